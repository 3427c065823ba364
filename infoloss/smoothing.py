"""Label smoothing: smoothed targets under both conventions, and the finite logit gap at which
the smoothed softmax cross-entropy is smallest.

Two conventions are in use, and both are called "label smoothing with eps":

- ``"uniform"``: :math:`y = (1 - \\varepsilon)\\,\\mathrm{onehot} + \\varepsilon / K`, the mix of
  the one-hot label with the uniform distribution of Szegedy et al. (2016), PyTorch's
  ``label_smoothing`` and Keras's ``CategoricalCrossentropy(label_smoothing=...)``;
- ``"others"``: :math:`1 - \\varepsilon` on the true class and :math:`\\varepsilon / (K - 1)` on
  each other class, as in source note 000 and fairseq's ``label_smoothed_nll_loss``.

They are one family: ``"uniform"`` with eps is ``"others"`` with ``eps * (K - 1) / K``.
Derived in {doc}`03_label_smoothing`.
"""
from __future__ import annotations

import numpy as np

from infoloss._validation import as_class_labels, as_num_classes, as_smoothing_amount

__all__ = ["smooth_labels", "optimal_logit_gap"]

CONVENTIONS = ("uniform", "others")

_REFS = """
    References
    ----------
    .. [1] C. Szegedy, V. Vanhoucke, S. Ioffe, J. Shlens and Z. Wojna, "Rethinking the Inception
       Architecture for Computer Vision", CVPR 2016, pp. 2818-2826, sec. 7.
       doi:10.1109/CVPR.2016.308
    .. [2] R. Müller, S. Kornblith and G. Hinton, "When Does Label Smoothing Help?", NeurIPS 2019.
       doi:10.48550/arXiv.1906.02629
    .. [3] PyTorch, ``torch.nn.functional.cross_entropy(..., label_smoothing=eps)``, implemented in
       ``aten/src/ATen/native/LossNLL.cpp``. https://pytorch.org/docs/stable/generated/torch.nn.CrossEntropyLoss.html
    .. [4] fairseq, ``label_smoothed_nll_loss`` in ``fairseq/criterions/label_smoothed_cross_entropy.py``.
       https://github.com/facebookresearch/fairseq"""


def _check_convention(convention) -> str:
    if convention not in CONVENTIONS:
        raise ValueError(f"convention must be 'uniform' (Szegedy et al., PyTorch, Keras) or 'others' "
                         f"(note 000, fairseq), got {convention!r}")
    return convention


def smooth_labels(labels, num_classes, eps, *, convention="uniform"):
    r"""Smoothed target distributions for integer class labels.

    Parameters
    ----------
    labels : (...) array_like of int
        Class indices in ``[0, num_classes)``; any shape, including a single label. Floats are
        accepted only when every value is a whole number.
    num_classes : int
        The number of classes :math:`K \ge 2`.
    eps : float
        The smoothing amount :math:`\varepsilon \in [0, 1)`; 0 gives one-hot targets.
    convention : {"uniform", "others"}
        ``"uniform"`` (default): :math:`y_k = (1 - \varepsilon)[k = c] + \varepsilon / K`, the
        true class :math:`c` keeps :math:`1 - \varepsilon + \varepsilon / K`. ``"others"``:
        :math:`y_c = 1 - \varepsilon` and :math:`y_k = \varepsilon / (K - 1)` for :math:`k \ne c`.

    Returns
    -------
    targets : (..., K) ndarray
        One probability vector per label, along a new last axis: entries >= 0 summing to 1.

    Raises
    ------
    ValueError
        If ``labels`` are not whole numbers, are negative or >= ``num_classes``; if
        ``num_classes`` is not an integer >= 2; if ``eps`` is not a number in [0, 1); or if
        ``convention`` is neither ``"uniform"`` nor ``"others"``.

    Notes
    -----
    ``"uniform"`` is ``onehot * (1 - eps) + eps / K``, the very expression PyTorch applies to
    probability targets (``cross_entropy_loss_prob_target`` in ``LossNLL.cpp``) and Keras to
    one-hot ones. It moves :math:`\varepsilon (K - 1) / K` of the mass off the true class, so it
    equals ``"others"`` with :math:`\varepsilon' = \varepsilon (K - 1) / K`. Under ``"others"``
    with :math:`\varepsilon > (K - 1) / K` the true class gets less than each other class.
    Derived in the book chapter {doc}`03_label_smoothing`.
    {refs}

    Examples
    --------
    >>> smooth_labels([2, 0], 4, 0.2).round(6).tolist()
    [[0.05, 0.05, 0.85, 0.05], [0.85, 0.05, 0.05, 0.05]]
    >>> smooth_labels(2, 5, 0.2, convention="others").round(6).tolist()
    [0.05, 0.05, 0.8, 0.05, 0.05]

    The two conventions are one family:

    >>> bool(np.allclose(smooth_labels(1, 5, 0.25),
    ...                  smooth_labels(1, 5, 0.25 * 4 / 5, convention="others")))
    True
    """
    K = as_num_classes(num_classes)
    e = as_smoothing_amount(eps)
    if e.ndim:
        raise ValueError(f"eps must be a single number, got an array of shape {e.shape}; "
                         "smooth each group of labels with its own call")
    e = float(e)
    c = as_class_labels(labels, K)
    onehot = (c[..., None] == np.arange(K)).astype(float)
    if _check_convention(convention) == "uniform":
        return onehot * (1 - e) + e / K
    return np.where(onehot == 1, 1 - e, e / (K - 1))


def optimal_logit_gap(num_classes, eps, *, convention="uniform"):
    r"""The gap :math:`z_c - z_k` between the true logit and every other logit at the minimum of
    the smoothed softmax cross-entropy.

    Parameters
    ----------
    num_classes : int
        The number of classes :math:`K \ge 2`.
    eps : float or array_like
        The smoothing amount(s) :math:`\varepsilon \in [0, 1)`.
    convention : {"uniform", "others"}
        How the targets are smoothed, as in :func:`smooth_labels`.

    Returns
    -------
    gap : float or ndarray
        :math:`g^\ast = \log(y_c / y_k)`, in logit units (natural-log odds),
        with the shape of ``eps``; ``inf`` at :math:`\varepsilon = 0`, where the one-hot loss
        has no minimum at finite logits:

        - ``"uniform"``: :math:`g^\ast = \log\left(1 + K (1 - \varepsilon) / \varepsilon\right)`;
        - ``"others"``: :math:`g^\ast = \log\left((K - 1)(1 - \varepsilon) / \varepsilon\right)`,
          negative when :math:`\varepsilon > (K - 1)/K`.

    Raises
    ------
    ValueError
        If ``num_classes`` is not an integer >= 2, if some ``eps`` is not a number in [0, 1),
        or if ``convention`` is neither ``"uniform"`` nor ``"others"``.

    Notes
    -----
    The loss :math:`L(y, z) = H(y) + D_{\mathrm{KL}}(y \| \operatorname{softmax}(z))` is smallest,
    and equal to :math:`H(y)`, exactly where :math:`\operatorname{softmax}(z) = y`, that is
    :math:`z = \log y + \text{const}`; so every wrong logit sits :math:`\log(y_c / y_k)` below the
    true one. Source note 000 stops at :math:`e^{z_i} = \frac{1 - \varepsilon}{\varepsilon}
    \sum_{j \ne i} e^{z_j}`; with the wrong logits equal this is the ``"others"`` formula.
    Derived, and checked in SymPy and by numerical minimization, in {doc}`03_label_smoothing`.
    {refs}

    Examples
    --------
    >>> round(optimal_logit_gap(10, 0.1, convention="others"), 6)  # log 81
    4.394449
    >>> float(optimal_logit_gap(10, 0.0))
    inf

    At the gap, the softmax of the logits is the smoothed label itself:

    >>> from infoloss import softmax
    >>> z = np.r_[optimal_logit_gap(4, 0.1), 0.0, 0.0, 0.0]
    >>> bool(np.allclose(softmax(z), smooth_labels(0, 4, 0.1)))
    True
    """
    K = as_num_classes(num_classes)
    e = as_smoothing_amount(eps)
    _check_convention(convention)
    with np.errstate(divide="ignore"):
        odds = (1 - e) / e                  # inf at eps = 0
        gap = np.log1p(K * odds) if convention == "uniform" else np.log((K - 1) * odds)
    return float(gap) if gap.ndim == 0 else gap


for _f in (smooth_labels, optimal_logit_gap):
    _f.__doc__ = _f.__doc__.replace("{refs}", "\n    " + _REFS.strip())
del _f
