"""Classification losses computed from logits: softmax cross-entropy, its gradient, and the
sigmoid binary cross-entropy for multi-label problems.

All take logits (never probabilities), so they can use the log-sum-exp form and stay exact for
logits of magnitude 1e4, as the frameworks' fused losses do. Derived in {doc}`02_cross_entropy`.
"""
from __future__ import annotations

import numpy as np

from infoloss._validation import as_distribution, as_finite_array, broadcast_pair
from infoloss.softmax import log_softmax, softmax

__all__ = ["softmax_cross_entropy", "softmax_cross_entropy_grad", "sigmoid_binary_cross_entropy"]

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
del _f
