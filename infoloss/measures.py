"""Entropy, cross-entropy, KL and Jensen–Shannon divergence of discrete distributions, and the
total variation distance.

All take probability vectors along ``axis`` (leading dimensions broadcast); the information
measures return nats by default and bits with ``base=2``, and use the convention ``0 log 0 = 0``.
"""
from __future__ import annotations

import numpy as np
from scipy.special import xlogy

from infoloss._validation import as_distribution, broadcast_pair, log_base

_REFS = """
    References
    ----------
    .. [1] C. E. Shannon, "A Mathematical Theory of Communication", Bell System Technical
       Journal 27(3):379-423, 1948. doi:10.1002/j.1538-7305.1948.tb01338.x
    .. [2] T. M. Cover and J. A. Thomas, *Elements of Information Theory*, 2nd ed., Wiley,
       2006, ch. 2. doi:10.1002/047174882X"""


def _pair(p, q, axis):
    p, q = as_distribution(p, "p", axis=axis), as_distribution(q, "q", axis=axis)
    return broadcast_pair(p, q, ("p", "q"))


def entropy(p, *, base=None, axis=-1):
    r"""Shannon entropy :math:`H(p) = -\sum_k p_k \log p_k`.

    Parameters
    ----------
    p : (..., K) array_like
        Probability vectors along ``axis``: entries >= 0 that sum to 1 (within 1e-6).
    base : float, optional
        Logarithm base: None for nats (natural log), 2 for bits.
    axis : int
        The axis that holds the outcomes (default: the last).

    Returns
    -------
    H : (...) ndarray or float
        Entropy in nats (or in units of ``base``), with ``axis`` removed; ``0 <= H <= log K``.

    Raises
    ------
    ValueError
        If ``p`` has NaN/inf or negative entries, does not sum to 1 along ``axis``, is empty
        along ``axis`` or a scalar, or if ``base`` is not finite, > 0 and != 1.

    Notes
    -----
    Terms with :math:`p_k = 0` contribute 0 (the limit of :math:`p \log p` as :math:`p \to 0`).
    Derived in the book chapter {doc}`01_entropy`.
    {refs}

    Examples
    --------
    Cover and Thomas's distribution (1/2, 1/4, 1/8, 1/8) carries 1.75 bits:

    >>> float(entropy([1/2, 1/4, 1/8, 1/8], base=2))
    1.75

    A sure outcome carries none, and a fair die carries log 6 nats:

    >>> float(entropy([1.0, 0.0]))
    0.0
    >>> bool(np.isclose(entropy([1/6] * 6), np.log(6)))
    True
    """
    p = as_distribution(p, "p", axis=axis)
    return -xlogy(p, p).sum(axis=axis) / log_base(base) + 0.0  # + 0.0 turns -0.0 into 0.0


def cross_entropy(p, q, *, base=None, axis=-1):
    r"""Cross-entropy :math:`H(p, q) = -\sum_k p_k \log q_k`.

    The expected code length, per symbol, of data drawn from ``p`` coded with a code built
    for ``q``.

    Parameters
    ----------
    p, q : (..., K) array_like
        Probability vectors along ``axis`` (the data and the model); they broadcast.
    base : float, optional
        Logarithm base: None for nats, 2 for bits.
    axis : int
        The axis that holds the outcomes.

    Returns
    -------
    H : (...) ndarray or float
        Cross-entropy in nats (or units of ``base``); ``inf`` where some :math:`q_k = 0 < p_k`.

    Raises
    ------
    ValueError
        If ``p`` or ``q`` is not a probability vector along ``axis`` (NaN/inf, negative
        entries, sums != 1, empty), if their shapes do not broadcast, or for a bad ``base``.

    Notes
    -----
    :math:`H(p, q) = H(p) + D_{KL}(p \| q) \ge H(p)`. Derived in the book chapter
    {doc}`02_cross_entropy`.
    {refs}

    Examples
    --------
    >>> p, q = [0.5, 0.5], [0.9, 0.1]
    >>> bool(np.isclose(cross_entropy(p, q), entropy(p) + kl_divergence(p, q)))
    True
    >>> float(cross_entropy([0.5, 0.5], [1.0, 0.0]))
    inf
    """
    p, q = _pair(p, q, axis)
    with np.errstate(divide="ignore"):  # log 0 = -inf is the right answer where p > 0
        log_q = np.log(np.where(p > 0, q, 1.0))  # outcomes with p = 0 contribute 0
    return -(p * log_q).sum(axis=axis) / log_base(base)


def kl_divergence(p, q, *, base=None, axis=-1):
    r"""Kullback–Leibler divergence :math:`D_{KL}(p \| q) = \sum_k p_k \log (p_k / q_k)`.

    Parameters
    ----------
    p, q : (..., K) array_like
        Probability vectors along ``axis``; they broadcast.
    base : float, optional
        Logarithm base: None for nats, 2 for bits.
    axis : int
        The axis that holds the outcomes.

    Returns
    -------
    D : (...) ndarray or float
        The divergence in nats (or units of ``base``), >= 0, and ``inf`` where some
        :math:`q_k = 0 < p_k`. Not symmetric in ``p`` and ``q``.

    Raises
    ------
    ValueError
        If ``p`` or ``q`` is not a probability vector along ``axis``, if their shapes do not
        broadcast, or for a bad ``base``.

    Notes
    -----
    Terms with :math:`p_k = 0` contribute 0. Rounding, or inputs that sum to 1 only within the
    1e-6 tolerance, can make the sum a hair negative; the result is clipped at 0, the bound of
    Gibbs' inequality. Met in the book chapter {doc}`02_cross_entropy` as
    :math:`H(p, q) - H(p)`; non-negativity, asymmetry and direction in the book chapter
    {doc}`04_kl_divergence`.
    {refs}
    .. [3] S. Kullback and R. A. Leibler, "On Information and Sufficiency", Annals of
       Mathematical Statistics 22(1):79-86, 1951. doi:10.1214/aoms/1177729694

    Examples
    --------
    >>> p, q = [0.5, 0.5], [0.9, 0.1]
    >>> bool(kl_divergence(p, q) > 0 and kl_divergence(p, p) == 0)
    True
    >>> bool(np.isclose(kl_divergence(p, q), cross_entropy(p, q) - entropy(p)))
    True
    """
    p, q = _pair(p, q, axis)
    with np.errstate(divide="ignore"):  # log 0 = -inf where q = 0 < p: the divergence is infinite
        # a difference of logs (not the log of p / q, which overflows); p = 0 terms vanish
        log_ratio = np.log(np.where(p > 0, p, 1.0)) - np.log(np.where(p > 0, q, 1.0))
    # rounding, and sums within the 1e-6 tolerance, can leave a hair below 0: the bound is exact
    return np.maximum((p * log_ratio).sum(axis=axis), 0.0) / log_base(base)


def js_divergence(p, q, *, base=None, axis=-1):
    r"""Jensen–Shannon divergence with equal weights on the mixture :math:`m = (p + q) / 2`.

    :math:`D_{JS}(p \| q) = \tfrac12 D_{KL}(p \| m) + \tfrac12 D_{KL}(q \| m)`. This is the
    divergence itself, not its square root (scipy's ``jensenshannon`` distance).

    Parameters
    ----------
    p, q : (..., K) array_like
        Probability vectors along ``axis``; they broadcast.
    base : float, optional
        Logarithm base: None for nats, 2 for bits.
    axis : int
        The axis that holds the outcomes.

    Returns
    -------
    D : (...) ndarray or float
        Symmetric and finite: :math:`0 \le D_{JS} \le \log 2` nats, that is at most 1 bit, with
        the maximum exactly when ``p`` and ``q`` have disjoint supports.

    Raises
    ------
    ValueError
        If ``p`` or ``q`` is not a probability vector along ``axis``, if their shapes do not
        broadcast, or for a bad ``base``.

    Notes
    -----
    Equivalently :math:`D_{JS} = H(m) - \tfrac12 H(p) - \tfrac12 H(q)`, the mutual information
    between a draw from the mixture and the fair coin that chose ``p`` or ``q``. Its square root
    is a metric [4]_. The ratio :math:`p_k / m_k = 2 p_k / (p_k + q_k)` is computed directly, so
    a mixture entry that would underflow to 0 does not make the result infinite (as it does in
    ``scipy.spatial.distance.jensenshannon``). :func:`weighted_js_divergence` gives the mixture
    weights :math:`\pi, 1 - \pi`. Derived in the book chapter {doc}`05_js_divergence`.
    {refs}
    .. [3] J. Lin, "Divergence measures based on the Shannon entropy", IEEE Transactions on
       Information Theory 37(1):145-151, 1991. doi:10.1109/18.61115
    .. [4] D. M. Endres and J. E. Schindelin, "A new metric for probability distributions",
       IEEE Transactions on Information Theory 49(7):1858-1860, 2003.
       doi:10.1109/TIT.2003.813506

    Examples
    --------
    Disjoint supports reach the bound of one bit:

    >>> float(js_divergence([1.0, 0.0], [0.0, 1.0], base=2))
    1.0
    >>> p, q = [0.2, 0.8], [0.6, 0.4]
    >>> bool(np.isclose(js_divergence(p, q), js_divergence(q, p)))
    True
    """
    p, q = _pair(p, q, axis)

    def kl_to_mixture(a, b):  # KL(a || (a+b)/2) with p_k/m_k = 2a/(a+b): no underflow in m
        ratio = np.where(a > 0, 2 * a, 1.0) / np.where(a > 0, a + b, 1.0)
        return (a * np.log(ratio)).sum(axis=axis)

    js = (kl_to_mixture(p, q) + kl_to_mixture(q, p)) / 2
    return np.maximum(js, 0.0) / log_base(base)  # a hair below 0 is rounding, as in KL


def _mixture_weight(pi) -> float:
    """``pi`` as a float in [0, 1], or a ValueError saying what is wrong."""
    try:
        w = float(pi)
    except (TypeError, ValueError):
        raise ValueError(f"pi must be a single number in [0, 1] (the weight of p in the mixture), "
                         f"got {pi!r}") from None
    if not 0.0 <= w <= 1.0:  # also refuses NaN
        raise ValueError(f"pi must be in [0, 1] (the weight of p in the mixture), got {pi!r}; "
                         "pi = 0.5 gives the ordinary Jensen–Shannon divergence")
    return w


def _kl_to_mixture(a, b, w, axis):
    """KL(a || w a + (1 - w) b) in nats for 0 < w <= 1, the mixture taken in logs (no underflow)."""
    with np.errstate(divide="ignore"):  # log 0 = -inf is exact where b = 0 or w = 1
        log_a = np.log(np.where(a > 0, a, 1.0))
        log_m = np.logaddexp(np.log(w) + log_a, np.log1p(-w) + np.log(b))
    return np.where(a > 0, a * (log_a - log_m), 0.0).sum(axis=axis)


def weighted_js_divergence(p, q, pi, *, base=None, axis=-1):
    r"""Generalized Jensen–Shannon divergence with weights :math:`\pi` and :math:`1 - \pi`.

    :math:`D_{JS}^{\pi}(p \| q) = \pi D_{KL}(p \| m_\pi) + (1 - \pi) D_{KL}(q \| m_\pi)` with the
    mixture :math:`m_\pi = \pi p + (1 - \pi) q`; ``pi = 0.5`` gives :func:`js_divergence`.

    Parameters
    ----------
    p, q : (..., K) array_like
        Probability vectors along ``axis``; they broadcast.
    pi : float
        The weight of ``p`` in the mixture, in [0, 1].
    base : float, optional
        Logarithm base: None for nats, 2 for bits.
    axis : int
        The axis that holds the outcomes.

    Returns
    -------
    D : (...) ndarray or float
        :math:`0 \le D_{JS}^{\pi} \le h(\pi)`, the binary entropy of the weights (in the same
        unit), with the maximum exactly when ``p`` and ``q`` have disjoint supports; 0 when
        ``pi`` is 0 or 1.

    Raises
    ------
    ValueError
        If ``p`` or ``q`` is not a probability vector along ``axis``, if their shapes do not
        broadcast, if ``pi`` is not a number in [0, 1], or for a bad ``base``.

    Notes
    -----
    Equivalently :math:`D_{JS}^{\pi} = H(m_\pi) - \pi H(p) - (1 - \pi) H(q)`: the mutual
    information between a draw :math:`X` from :math:`m_\pi` and the biased coin :math:`Z`
    (heads with probability :math:`\pi`) that chose :math:`p` or :math:`q` (Lin [3]_). The
    mixture is formed in logs, so it does not underflow. Derived in the book chapter
    {doc}`05_js_divergence`.
    {refs}
    .. [3] J. Lin, "Divergence measures based on the Shannon entropy", IEEE Transactions on
       Information Theory 37(1):145-151, 1991. doi:10.1109/18.61115

    Examples
    --------
    >>> p, q = [0.2, 0.8], [0.6, 0.4]
    >>> bool(np.isclose(weighted_js_divergence(p, q, 0.5), js_divergence(p, q)))
    True

    Disjoint supports reach the bound, the binary entropy of the weights:

    >>> d = weighted_js_divergence([1.0, 0.0], [0.0, 1.0], 0.25, base=2)
    >>> bool(np.isclose(d, entropy([0.25, 0.75], base=2)))
    True
    """
    p, q = _pair(p, q, axis)
    w = _mixture_weight(pi)
    scale = log_base(base)
    if w in (0.0, 1.0):  # the mixture is q or p itself: nothing to tell apart
        return np.zeros(p.sum(axis=axis).shape)[()] / scale
    js = w * _kl_to_mixture(p, q, w, axis) + (1 - w) * _kl_to_mixture(q, p, 1 - w, axis)
    return np.maximum(js, 0.0) / scale  # a hair below 0 is rounding, as in KL


def total_variation_distance(p, q, *, axis=-1):
    r"""Total variation distance :math:`\mathrm{TV}(p, q) = \tfrac12 \sum_k |p_k - q_k|`.

    The largest difference in probability that ``p`` and ``q`` give to one event,
    :math:`\max_A |p(A) - q(A)|` (attained by :math:`A = \{k : p_k > q_k\}`).

    Parameters
    ----------
    p, q : (..., K) array_like
        Probability vectors along ``axis``; they broadcast.
    axis : int
        The axis that holds the outcomes.

    Returns
    -------
    TV : (...) ndarray or float
        A metric with :math:`0 \le \mathrm{TV} \le 1` (up to rounding): 0 exactly when
        ``p == q``, 1 exactly when their supports are disjoint. It has no unit.

    Raises
    ------
    ValueError
        If ``p`` or ``q`` is not a probability vector along ``axis``, or if their shapes do not
        broadcast.

    Notes
    -----
    Equivalently :math:`1 - \sum_k \min(p_k, q_k)`, one minus the overlap of the two
    distributions. It bounds the Jensen–Shannon divergence from above,
    :math:`D_{JS} \le \mathrm{TV} \log 2` (Lin [1]_), and from below. Some texts call
    :math:`\sum_k |p_k - q_k|`, twice this, the variational distance. Derived in the book
    chapter {doc}`05_js_divergence`.

    References
    ----------
    .. [1] J. Lin, "Divergence measures based on the Shannon entropy", IEEE Transactions on
       Information Theory 37(1):145-151, 1991. doi:10.1109/18.61115

    Examples
    --------
    >>> p, q = [0.5, 0.5, 0.0], [0.0, 0.5, 0.5]
    >>> float(total_variation_distance(p, q))
    0.5
    >>> float(total_variation_distance([1.0, 0.0], [0.0, 1.0]))
    1.0
    >>> bool(js_divergence(p, q) <= total_variation_distance(p, q) * np.log(2))
    True
    """
    p, q = _pair(p, q, axis)
    return 0.5 * np.abs(p - q).sum(axis=axis)


for _f in (entropy, cross_entropy, kl_divergence, js_divergence, weighted_js_divergence):
    _f.__doc__ = _f.__doc__.replace("{refs}", "\n    " + _REFS.strip())
