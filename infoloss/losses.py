"""Classification losses computed from logits: softmax cross-entropy, its gradient, the
sigmoid binary cross-entropy for multi-label problems, and the distillation loss (a KL divergence
between a teacher's and a student's softened predictions) with its gradient.

All take logits (never probabilities), so they can use the log-sum-exp form and stay exact for
logits of magnitude 1e4, as the frameworks' fused losses do. Derived in {doc}`02_cross_entropy`
and, for distillation, {doc}`04_kl_divergence`.
"""
from __future__ import annotations

import numpy as np

from infoloss._validation import as_distribution, as_finite_array, broadcast_pair
from infoloss.softmax import log_softmax, softmax

__all__ = ["softmax_cross_entropy", "softmax_cross_entropy_grad", "sigmoid_binary_cross_entropy",
           "distillation_loss", "distillation_loss_grad"]

_REFS = """
    References
    ----------
    .. [1] I. Goodfellow, Y. Bengio and A. Courville, *Deep Learning*, MIT Press, 2016,
       sec. 6.2.2 (output units and cross-entropy). https://www.deeplearningbook.org
    .. [2] C. M. Bishop, *Pattern Recognition and Machine Learning*, Springer, 2006,
       sec. 4.3.2 and 4.3.4. ISBN 978-0-387-31073-2
    .. [3] J. S. Bridle, "Probabilistic interpretation of feedforward classification network
       outputs, with relationships to statistical pattern recognition", in *Neurocomputing*,
       NATO ASI Series F68, Springer, 1990, pp. 227-236. doi:10.1007/978-3-642-76153-9_28"""


def _labels_and_logits(labels, logits, axis: int):
    """Validated labels (distributions along ``axis``) and logits of the same number of classes."""
    y = as_distribution(labels, "labels", axis=axis)
    z = as_finite_array(logits, "logits")
    if not -z.ndim <= axis < z.ndim or z.shape[axis] != y.shape[axis]:
        k = z.shape[axis] if -z.ndim <= axis < z.ndim else "no such axis"
        raise ValueError(f"labels with shape {y.shape} and logits with shape {z.shape} must have the "
                         f"same number of classes along axis {axis} ({y.shape[axis]} vs {k}); "
                         "pass one label probability per logit, e.g. a one-hot vector")
    return broadcast_pair(y, z, ("labels", "logits"))


def softmax_cross_entropy(labels, logits, *, axis=-1):
    r"""Per-example softmax cross-entropy :math:`L = -\sum_k y_k \log \operatorname{softmax}(z)_k`.

    The same quantity as TensorFlow's ``tf.nn.softmax_cross_entropy_with_logits`` and PyTorch's
    ``F.cross_entropy(logits, probs, reduction="none")``.

    Parameters
    ----------
    labels : (..., K) array_like
        Target distributions :math:`y` along ``axis``: one-hot or soft, entries >= 0 summing to 1
        (within 1e-6).
    logits : (..., K) array_like
        Finite logits :math:`z`, with the same ``K`` along ``axis``; leading axes broadcast.
    axis : int
        The axis that holds the ``K`` classes (default: the last).

    Returns
    -------
    loss : (...) ndarray
        The loss of each example in nats, ``axis`` removed; >= 0. Take ``.mean()`` for a batch loss.

    Raises
    ------
    ValueError
        If ``labels`` is not a probability vector along ``axis`` (negative, NaN/inf, sums != 1,
        empty), if ``logits`` has NaN/inf, or if the two do not have the same ``K`` or do not
        broadcast.

    Notes
    -----
    Computed as :math:`L = \sum_k y_k \left(\log\sum_j e^{z_j} - z_k\right)` with the max shift
    inside the log-sum-exp, so logits of magnitude 1e4 give the exact answer. For one-hot
    labels it is :math:`-\log p_c`, the negative log-likelihood of the true class :math:`c`.
    Derived in {doc}`02_cross_entropy`.
    {refs}

    Examples
    --------
    The example of source note 003, whose printed TensorFlow losses are 0.16984602, 0.82474489:

    >>> labels = [[1.0, 0.0, 0.0], [0.0, 0.8, 0.2]]
    >>> logits = [[4.0, 2.0, 1.0], [0.0, 5.0, 1.0]]
    >>> softmax_cross_entropy(labels, logits).round(8).tolist()
    [0.16984602, 0.82474489]
    >>> float(softmax_cross_entropy([0.0, 1.0], [10_000.0, 0.0]))
    10000.0
    """
    y, z = _labels_and_logits(labels, logits, axis)
    return -(y * log_softmax(z, axis=axis)).sum(axis=axis)


def softmax_cross_entropy_grad(labels, logits, *, axis=-1):
    r"""Gradient of :func:`softmax_cross_entropy` with respect to the logits: :math:`p - y`.

    Parameters
    ----------
    labels : (..., K) array_like
        Target distributions along ``axis`` (one-hot or soft), as for
        :func:`softmax_cross_entropy`.
    logits : (..., K) array_like
        Finite logits, with the same ``K`` along ``axis``; leading axes broadcast.
    axis : int
        The axis that holds the ``K`` classes.

    Returns
    -------
    grad : (..., K) ndarray
        :math:`\partial L / \partial z_k` for each example's own loss (not divided by the batch
        size), in nats per unit logit. Sums to 0 along ``axis``.

    Raises
    ------
    ValueError
        For the same inputs as :func:`softmax_cross_entropy`.

    Notes
    -----
    By the chain rule through the softmax Jacobian,
    :math:`\partial L/\partial z = J^\top(-y \oslash p) = (\textstyle\sum_k y_k)\, p - y`, which is
    :math:`p - y` because the labels sum to 1 (the code uses the general form, so the gradient is
    exact for the loss as computed). Derived in {doc}`02_cross_entropy`.
    {refs}

    Examples
    --------
    >>> softmax_cross_entropy_grad([1.0, 0.0], [0.0, 0.0]).tolist()
    [-0.5, 0.5]
    >>> g = softmax_cross_entropy_grad([[0.0, 0.8, 0.2]], [[0.0, 5.0, 1.0]])
    >>> bool(np.isclose(g.sum(), 0.0))
    True
    """
    y, z = _labels_and_logits(labels, logits, axis)
    return y.sum(axis=axis, keepdims=True) * softmax(z, axis=axis) - y


def sigmoid_binary_cross_entropy(labels, logits):
    r"""Elementwise binary cross-entropy of :math:`\sigma(z)` against labels in [0, 1], from logits.

    :math:`\ell = -y \log \sigma(z) - (1 - y) \log(1 - \sigma(z))`, the multi-label loss: each
    class is its own yes/no question (TensorFlow's ``sigmoid_cross_entropy_with_logits``,
    PyTorch's ``F.binary_cross_entropy_with_logits``).

    Parameters
    ----------
    labels : array_like
        Target probabilities :math:`y \in [0, 1]` (0/1 for hard labels), finite.
    logits : array_like
        Finite logits :math:`z`; ``labels`` and ``logits`` broadcast against each other.

    Returns
    -------
    loss : ndarray
        The loss of each element in nats, >= 0, with the broadcast shape. Sum over classes and
        average over examples as the task needs.

    Raises
    ------
    ValueError
        If ``labels`` has entries outside [0, 1] or NaN/inf, if ``logits`` has NaN/inf, if either
        is a scalar, or if their shapes do not broadcast.

    Notes
    -----
    Computed as :math:`\max(z, 0) - z y + \log(1 + e^{-|z|})`: the exponent is never positive,
    so nothing overflows, and ``log1p`` keeps the small term accurate, for :math:`|z|` up to
    1e4 and beyond. Derived in {doc}`02_cross_entropy`.
    {refs}
    .. [4] TensorFlow, ``tf.nn.sigmoid_cross_entropy_with_logits`` (the same stable form).
       https://www.tensorflow.org/api_docs/python/tf/nn/sigmoid_cross_entropy_with_logits

    Examples
    --------
    >>> bool(np.isclose(sigmoid_binary_cross_entropy([1.0], [0.0])[0], np.log(2)))
    True
    >>> sigmoid_binary_cross_entropy([0.0, 1.0], [10_000.0, -10_000.0]).tolist()
    [10000.0, 10000.0]
    """
    y = as_finite_array(labels, "labels")
    z = as_finite_array(logits, "logits")
    if ((y < 0) | (y > 1)).any():
        raise ValueError(f"labels must lie in [0, 1] (got values in [{y.min():.3g}, {y.max():.3g}]); "
                         "each entry is the probability that its class is present")
    y, z = broadcast_pair(y, z, ("labels", "logits"))
    return np.maximum(z, 0.0) - z * y + np.log1p(np.exp(-np.abs(z)))


for _f in (softmax_cross_entropy, softmax_cross_entropy_grad, sigmoid_binary_cross_entropy):
    _f.__doc__ = _f.__doc__.replace("{refs}", "\n    " + _REFS.strip())


# --- knowledge distillation (chapter 4) ---------------------------------------------------------
_DISTILLATION_REFS = """
    References
    ----------
    .. [1] G. Hinton, O. Vinyals and J. Dean, "Distilling the Knowledge in a Neural Network",
       NIPS 2014 Deep Learning Workshop, 2015, sec. 2 and 2.1. doi:10.48550/arXiv.1503.02531
    .. [2] PyTorch, ``torch.nn.KLDivLoss`` (the loss ``F.kl_div(log_q, p, reduction="batchmean")``
       computes, before the factor T^2).
       https://pytorch.org/docs/stable/generated/torch.nn.KLDivLoss.html"""


def _teacher_and_student(teacher_logits, student_logits):
    """Validated teacher and student logits with the same K on the last axis, broadcast."""
    t = as_finite_array(teacher_logits, "teacher_logits")
    s = as_finite_array(student_logits, "student_logits")
    if t.shape[-1] != s.shape[-1] or t.shape[-1] == 0:
        raise ValueError(f"teacher_logits with shape {t.shape} and student_logits with shape "
                         f"{s.shape} must have the same number of classes K >= 1 on the last axis "
                         f"({t.shape[-1]} vs {s.shape[-1]}); pass one logit per class for both")
    return broadcast_pair(t, s, ("teacher_logits", "student_logits"))


def distillation_loss(teacher_logits, student_logits, *, temperature):
    r"""Per-example distillation loss :math:`T^2 D_{KL}(\operatorname{softmax}(t/T) \,\|\,
    \operatorname{softmax}(s/T))` of student logits :math:`s` against teacher logits :math:`t`.

    Parameters
    ----------
    teacher_logits : (..., K) array_like
        The teacher's logits :math:`t`, finite, classes on the last axis.
    student_logits : (..., K) array_like
        The student's logits :math:`s`, finite, the same ``K``; leading axes broadcast.
    temperature : float
        :math:`T > 0`, keyword only. Both sets of logits are divided by it before the softmax.

    Returns
    -------
    loss : (...) ndarray
        The loss of each example in nats (times :math:`T^2`), >= 0, and 0 exactly when the two
        softened distributions are equal. Take ``.mean()`` for a batch loss.

    Raises
    ------
    ValueError
        If either set of logits has NaN/inf entries, is a scalar, or the two differ in ``K`` or do
        not broadcast; if ``temperature`` is not a finite number > 0 (or makes ``logits / T``
        overflow).

    Notes
    -----
    With :math:`p = \operatorname{softmax}(t/T)` (the teacher's soft targets) and
    :math:`q = \operatorname{softmax}(s/T)` (the student's),
    :math:`L = T^2 \sum_k p_k (\log p_k - \log q_k)`, the log-probabilities coming from
    log-sum-exp, so logits of magnitude 1e3 (and T = 1) give exact, finite losses; a class whose
    :math:`p_k` underflows to 0 contributes 0. The factor :math:`T^2` keeps the gradient,
    :func:`distillation_loss_grad`, of the same size as :math:`T` changes (Hinton et al.).
    PyTorch computes the KL part as ``F.kl_div(F.log_softmax(s / T, -1), F.softmax(t / T, -1),
    reduction="none").sum(-1)``. Derived in the book chapter {doc}`04_kl_divergence`.
    {refs}

    Examples
    --------
    >>> t, s = np.array([2.0, 1.0, 0.0]), np.array([0.0, 1.0, 2.0])
    >>> p, q = softmax(t / 4), softmax(s / 4)
    >>> bool(np.isclose(distillation_loss(t, s, temperature=4.0),
    ...                 16 * np.sum(p * np.log(p / q))))
    True
    >>> float(distillation_loss(t, t + 5.0, temperature=2.0))   # a shift changes nothing
    0.0
    >>> float(distillation_loss([1000.0, 0.0], [0.0, 1000.0], temperature=1.0))
    1000.0
    """
    t, s = _teacher_and_student(teacher_logits, student_logits)
    log_p = log_softmax(t, temperature=temperature)
    log_q = log_softmax(s, temperature=temperature)
    kl = np.sum(np.exp(log_p) * (log_p - log_q), axis=-1)
    return float(temperature) ** 2 * np.maximum(kl, 0.0)   # a hair below 0 is rounding


def distillation_loss_grad(teacher_logits, student_logits, *, temperature):
    r"""Gradient of :func:`distillation_loss` with respect to the student logits,
    :math:`T \left(\operatorname{softmax}(s/T) - \operatorname{softmax}(t/T)\right)`.

    Parameters
    ----------
    teacher_logits : (..., K) array_like
        The teacher's logits :math:`t`, finite, classes on the last axis.
    student_logits : (..., K) array_like
        The student's logits :math:`s`, finite, the same ``K``; leading axes broadcast.
    temperature : float
        :math:`T > 0`, keyword only.

    Returns
    -------
    grad : (..., K) ndarray
        :math:`\partial L / \partial s_k` for each example's own loss, in nats per unit logit;
        sums to 0 over the classes.

    Raises
    ------
    ValueError
        For the same inputs as :func:`distillation_loss`.

    Notes
    -----
    For the unscaled :math:`D_{KL}(p \| q)` with :math:`q = \operatorname{softmax}(s/T)`, the
    softmax gradient of {doc}`02_cross_entropy` and the chain rule through :math:`s/T` give
    :math:`(q - p)/T`; times :math:`T^2` it is :math:`T (q - p)`. For large :math:`T` and
    logits of zero mean, :math:`q - p \approx (s - t) / (K T)`, so the unscaled gradient shrinks
    as :math:`1/T^2` and the scaled one tends to :math:`(s - t)/K`. Derived in the book chapter
    {doc}`04_kl_divergence`.
    {refs}

    Examples
    --------
    >>> g = distillation_loss_grad([2.0, 1.0, 0.0], [0.0, 1.0, 2.0], temperature=3.0)
    >>> bool(np.isclose(g.sum(), 0.0))
    True
    >>> distillation_loss_grad([1000.0, 0.0], [0.0, 1000.0], temperature=1.0).tolist()
    [-1.0, 1.0]
    """
    t, s = _teacher_and_student(teacher_logits, student_logits)
    p = softmax(t, temperature=temperature)
    q = softmax(s, temperature=temperature)
    return float(temperature) * (q - p)


for _f in (distillation_loss, distillation_loss_grad):
    _f.__doc__ = _f.__doc__.replace("{refs}", "\n    " + _DISTILLATION_REFS.strip())
del _f
