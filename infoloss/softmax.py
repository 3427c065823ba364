"""The softmax family: softmax, log-softmax and the softmax Jacobian, stable for large logits.

Every function shifts the logits by their maximum before exponentiating (the log-sum-exp trick),
so logits of magnitude 1e4 give exact, finite results. Derived in {doc}`02_cross_entropy`.
"""
from __future__ import annotations

import numpy as np

from infoloss._validation import as_finite_array, check_axis

__all__ = ["softmax", "log_softmax", "softmax_jacobian"]

_REFS = """
    References
    ----------
    .. [1] J. S. Bridle, "Probabilistic interpretation of feedforward classification network
       outputs, with relationships to statistical pattern recognition", in *Neurocomputing*,
       NATO ASI Series F68, Springer, 1990, pp. 227-236. doi:10.1007/978-3-642-76153-9_28
    .. [2] I. Goodfellow, Y. Bengio and A. Courville, *Deep Learning*, MIT Press, 2016,
       sec. 6.2.2.3 (softmax units). https://www.deeplearningbook.org
    .. [3] C. M. Bishop, *Pattern Recognition and Machine Learning*, Springer, 2006,
       sec. 4.3.4. ISBN 978-0-387-31073-2"""


def _scaled_logits(logits, axis: int, temperature) -> np.ndarray:
    """``logits / temperature`` as a finite float array, after checking both arguments."""
    z = as_finite_array(logits, "logits")
    check_axis(z, "logits", axis)
    try:
        t = float(temperature)
    except (TypeError, ValueError):
        raise ValueError(f"temperature must be a number, got {temperature!r}") from None
    if not np.isfinite(t) or t <= 0:
        raise ValueError(f"temperature must be a finite number > 0, got {temperature}; "
                         "use temperature=1.0 for the plain softmax")
    with np.errstate(over="ignore"):
        scaled = z / t
    if not np.isfinite(scaled).all():
        raise ValueError(f"logits / temperature overflows for temperature={temperature}; "
                         "use a larger temperature")
    return scaled


def log_softmax(logits, *, axis=-1, temperature=1.0):
    r"""Log of the softmax, :math:`\log p_k = z_k/T - \log \sum_j e^{z_j/T}`, computed stably.

    Parameters
    ----------
    logits : (..., K) array_like
        Unnormalized log-probabilities :math:`z`, finite, with the classes along ``axis``.
    axis : int
        The axis that holds the ``K`` classes (default: the last).
    temperature : float
        :math:`T > 0`; the logits are divided by it. ``T > 1`` flattens, ``T < 1`` sharpens.

    Returns
    -------
    log_probs : (..., K) ndarray
        Log-probabilities in nats, all :math:`\le 0`, same shape as ``logits``.

    Raises
    ------
    ValueError
        If ``logits`` has NaN/inf, is a scalar or empty along ``axis``, if ``axis`` is out of
        range, or if ``temperature`` is not a finite number > 0 (or makes ``logits / T`` overflow).

    Notes
    -----
    With :math:`m = \max_j z_j/T`, :math:`\log p_k = (z_k/T - m) - \log \sum_j e^{z_j/T - m}`:
    every exponent is :math:`\le 0` and the sum is :math:`\ge 1`, so nothing overflows and the
    log never sees 0. Derived in {doc}`02_cross_entropy`.
    {refs}

    Examples
    --------
    Logits of 10 000 do not overflow, and the result is exact:

    >>> log_softmax([10_000.0, 0.0]).tolist()
    [0.0, -10000.0]
    >>> bool(np.allclose(np.exp(log_softmax([1.0, 2.0, 3.0])).sum(), 1.0))
    True
    """
    z = _scaled_logits(logits, axis, temperature)
    shifted = z - z.max(axis=axis, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=axis, keepdims=True))


def softmax(logits, *, axis=-1, temperature=1.0):
    r"""Softmax :math:`p_k = e^{z_k/T} / \sum_j e^{z_j/T}`, shifted by the max so it never overflows.

    Parameters
    ----------
    logits : (..., K) array_like
        Unnormalized log-probabilities :math:`z`, finite, with the classes along ``axis``.
    axis : int
        The axis that holds the ``K`` classes (default: the last).
    temperature : float
        :math:`T > 0`; the logits are divided by it. ``T -> 0`` tends to one-hot on the largest
        logit, ``T -> inf`` to uniform.

    Returns
    -------
    probs : (..., K) ndarray
        Probability vectors along ``axis``: entries in [0, 1] that sum to 1.

    Raises
    ------
    ValueError
        If ``logits`` has NaN/inf, is a scalar or empty along ``axis``, if ``axis`` is out of
        range, or if ``temperature`` is not a finite number > 0 (or makes ``logits / T`` overflow).

    Notes
    -----
    Adding a constant to every logit leaves the softmax unchanged, so it is computed from
    :math:`z - \max_j z_j`, whose exponentials lie in (0, 1]. Derived in {doc}`02_cross_entropy`.
    {refs}

    Examples
    --------
    >>> softmax([0.0, 0.0, 0.0, 0.0]).tolist()
    [0.25, 0.25, 0.25, 0.25]
    >>> bool(np.allclose(softmax([1000.0, 1001.0]), softmax([0.0, 1.0])))
    True
    """
    z = _scaled_logits(logits, axis, temperature)
    e = np.exp(z - z.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def softmax_jacobian(logits):
    r"""The Jacobian :math:`\partial p_i / \partial z_j = p_i(\delta_{ij} - p_j)` of the softmax.

    In matrix form :math:`J = \operatorname{diag}(p) - p p^\top`.

    Parameters
    ----------
    logits : (..., K) array_like
        Logits with the classes along the last axis; leading axes are a batch.

    Returns
    -------
    J : (..., K, K) ndarray
        ``J[..., i, j]`` is :math:`\partial p_i / \partial z_j`. Each ``J`` is symmetric, its rows
        sum to 0 (the softmax ignores a common shift of the logits) and its rank is ``K - 1``
        (at most; entries that underflow to 0 can lower it numerically).

    Raises
    ------
    ValueError
        If ``logits`` has NaN/inf, is a scalar, or has no classes on the last axis.

    Notes
    -----
    Derived, and checked in SymPy for ``K = 3``, in {doc}`02_cross_entropy`.
    {refs}

    Examples
    --------
    >>> J = softmax_jacobian([0.0, 0.0])
    >>> J.tolist()
    [[0.25, -0.25], [-0.25, 0.25]]
    >>> bool(np.allclose(softmax_jacobian([1.0, 2.0, 3.0]).sum(axis=-1), 0.0))
    True
    """
    p = softmax(logits, axis=-1)
    return np.einsum("...i,ij->...ij", p, np.eye(p.shape[-1])) - p[..., :, None] * p[..., None, :]


for _f in (log_softmax, softmax, softmax_jacobian):
    _f.__doc__ = _f.__doc__.replace("{refs}", "\n    " + _REFS.strip())
del _f
