"""Entropy between two variables: joint and conditional entropy, and mutual information.

Each function takes a joint distribution as a 2-D table ``joint[x, y] = p(x, y)``, with X along
axis 0 and Y along axis 1, and returns nats by default, bits with ``base=2``; ``0 log 0 = 0``.
For the other direction, pass the transposed table: ``conditional_entropy(joint.T)`` is H(X | Y).
"""
from __future__ import annotations

import numpy as np
from scipy.special import xlogy

from infoloss._validation import SUM_TOL, as_finite_array, log_base

#: A table whose every entry equals the product of its marginals to this relative tolerance is
#: independent: its mutual information, at most about ``INDEPENDENCE_RTOL**2 / 2`` nats, is
#: returned as exactly 0 rather than as rounding noise of order 1e-17 (of either sign).
INDEPENDENCE_RTOL = 1e-10

_REFS = """
    References
    ----------
    .. [1] T. M. Cover and J. A. Thomas, *Elements of Information Theory*, 2nd ed., Wiley,
       2006, sec. 2.2-2.5 (Example 2.2.1 is the test table). doi:10.1002/047174882X
    .. [2] C. E. Shannon, "A Mathematical Theory of Communication", Bell System Technical
       Journal 27(3):379-423, 1948. doi:10.1002/j.1538-7305.1948.tb01338.x"""


def as_joint(joint, name: str = "joint") -> np.ndarray:
    """``joint`` as a 2-D float table of probabilities p(x, y), or a ValueError saying what is wrong.

    Raises ValueError for a table that is not 2-D, is empty, has NaN/inf or negative entries, or
    does not sum to 1 within ``SUM_TOL``. Nothing is normalized silently.
    """
    arr = as_finite_array(joint, name)
    if arr.ndim != 2:
        raise ValueError(f"{name} must be a 2-D table p(x, y) with X along axis 0 and Y along "
                         f"axis 1, got {arr.ndim} dimension(s) with shape {arr.shape}; for one "
                         "variable use infoloss.entropy")
    if arr.size == 0:
        raise ValueError(f"{name} is empty (shape {arr.shape}); each variable needs at least "
                         "one outcome")
    if (arr < 0).any():
        raise ValueError(f"{name} has negative entries (min {arr.min():.3g}); probabilities "
                         "are >= 0")
    total = arr.sum()
    if abs(total - 1.0) > SUM_TOL:
        raise ValueError(f"{name} must sum to 1 over all entries (got {total:.6g}); for a table "
                         f"of counts divide by the number of samples, {name} / {name}.sum()")
    return arr


def joint_entropy(joint, *, base=None):
    r"""Joint entropy :math:`H(X, Y) = -\sum_{x, y} p(x, y) \log p(x, y)`.

    Parameters
    ----------
    joint : (|X|, |Y|) array_like
        The joint distribution ``joint[x, y] = p(x, y)``: entries >= 0 summing to 1 (within
        1e-6).
    base : float, optional
        Logarithm base: None for nats, 2 for bits.

    Returns
    -------
    H : float
        The entropy of the pair in nats (or units of ``base``); at most
        ``log(|X| |Y|)``, and at least ``max(H(X), H(Y))``.

    Raises
    ------
    ValueError
        If ``joint`` is not a 2-D table, is empty, has NaN/inf or negative entries, or does not
        sum to 1; or if ``base`` is not finite, > 0 and != 1.

    Notes
    -----
    The entropy of the pair is the entropy of the flattened table. The chain rule splits it as
    :math:`H(X, Y) = H(X) + H(Y \mid X)`. Derived in the book chapter
    {doc}`07_mutual_information_perplexity`.
    {refs}

    Examples
    --------
    Two independent fair coins carry two bits, the sum of their entropies:

    >>> float(joint_entropy(np.full((2, 2), 1 / 4), base=2))
    2.0
    >>> from infoloss import entropy
    >>> joint = [[1 / 2, 0], [1 / 4, 1 / 4]]
    >>> bool(np.isclose(joint_entropy(joint),
    ...                 entropy(np.sum(joint, axis=1)) + conditional_entropy(joint)))
    True
    """
    p = as_joint(joint)
    return float(-xlogy(p, p).sum() / log_base(base) + 0.0)  # + 0.0: no -0.0


def conditional_entropy(joint, *, base=None):
    r"""Conditional entropy :math:`H(Y \mid X) = \sum_x p(x)\, H(Y \mid X = x)`.

    The uncertainty left in Y, on average, once X is known. Pass ``joint.T`` for
    :math:`H(X \mid Y)`.

    Parameters
    ----------
    joint : (|X|, |Y|) array_like
        The joint distribution ``joint[x, y] = p(x, y)``, X along axis 0 (the conditioning
        variable) and Y along axis 1.
    base : float, optional
        Logarithm base: None for nats, 2 for bits.

    Returns
    -------
    H : float
        :math:`0 \le H(Y \mid X) \le H(Y)` in nats (or units of ``base``): 0 when Y is a
        function of X, :math:`H(Y)` when they are independent.

    Raises
    ------
    ValueError
        If ``joint`` is not a 2-D probability table (see :func:`joint_entropy`), or for a bad
        ``base``.

    Notes
    -----
    Computed as :math:`-\sum_{x, y} p(x, y) \log \frac{p(x, y)}{p(x)}`, which equals
    :math:`H(X, Y) - H(X)` (the chain rule) without its cancellation: every term is >= 0 because
    :math:`p(x, y) \le p(x)` (each log is clipped at 0 against rounding), so the result is never
    a tiny negative number. Rows with
    :math:`p(x) = 0` contribute nothing. Derived in the book chapter
    {doc}`07_mutual_information_perplexity`.
    {refs}

    Examples
    --------
    Cover and Thomas's Example 2.2.1 (their table has Y along the rows, so X is its columns):

    >>> table = np.array([[1/8, 1/16, 1/32, 1/32], [1/16, 1/8, 1/32, 1/32],
    ...                   [1/16, 1/16, 1/16, 1/16], [1/4, 0, 0, 0]])
    >>> joint = table.T                       # X along axis 0
    >>> H_y_given_x = conditional_entropy(joint, base=2)     # 13/8 bits
    >>> H_x_given_y = conditional_entropy(joint.T, base=2)   # 11/8 bits
    >>> round(H_y_given_x, 12), round(H_x_given_y, 12)
    (1.625, 1.375)

    If Y is a function of X, nothing is left to learn: a die and its parity.

    >>> die = np.zeros((6, 2)); die[np.arange(6), np.arange(1, 7) % 2] = 1 / 6
    >>> conditional_entropy(die)
    0.0
    """
    p = as_joint(joint)
    p_x = p.sum(axis=1, keepdims=True)
    # log p(x) - log p(x, y), a difference of logs (the ratio can overflow), is >= 0 because
    # p(x) >= p(x, y): clipping at 0 only removes rounding; terms with p(x, y) = 0 are 0
    log_ratio = np.maximum(np.log(np.where(p > 0, p_x, 1.0))
                           - np.log(np.where(p > 0, p, 1.0)), 0.0)
    return float((p * log_ratio).sum() / log_base(base) + 0.0)


def mutual_information(joint, *, base=None):
    r"""Mutual information :math:`I(X; Y) = H(Y) - H(Y \mid X) = D_{KL}(p(x, y) \,\|\, p(x) p(y))`.

    How much knowing one variable tells about the other, on average; symmetric in X and Y.

    Parameters
    ----------
    joint : (|X|, |Y|) array_like
        The joint distribution ``joint[x, y] = p(x, y)``: entries >= 0 summing to 1 (within
        1e-6). For a table of counts pass ``counts / counts.sum()`` (the plug-in estimate, which
        is usually biased upwards; see the book chapter).
    base : float, optional
        Logarithm base: None for nats, 2 for bits.

    Returns
    -------
    I : float
        :math:`0 \le I(X; Y) \le \min(H(X), H(Y))` in nats (or units of ``base``); exactly 0.0
        for an independent table, never a tiny negative number.

    Raises
    ------
    ValueError
        If ``joint`` is not a 2-D probability table (see :func:`joint_entropy`), or for a bad
        ``base``.

    Notes
    -----
    Computed as the divergence of the table from the product of its marginals,
    :math:`\sum_{x, y} p(x, y) \log \frac{p(x, y)}{p(x) p(y)}` (terms with :math:`p(x, y) = 0`
    are 0), not as :math:`H(X) + H(Y) - H(X, Y)`, whose three terms cancel. Rounding can still
    leave a residue of order 1e-17 on either side of 0: the result is clipped at 0 (Gibbs'
    inequality), and a table that equals the product of its marginals to a relative
    ``INDEPENDENCE_RTOL`` = 1e-10 in every entry gives exactly 0.0 (its true value is below
    1e-20 nats). The marginal product is divided by the table's total, so a table that sums to 1
    only within the tolerance is still recognized as independent. Derived in the book chapter
    {doc}`07_mutual_information_perplexity`.
    {refs}

    Examples
    --------
    Cover and Thomas's Example 2.2.1: I(X; Y) = 3/8 bit.

    >>> table = np.array([[1/8, 1/16, 1/32, 1/32], [1/16, 1/8, 1/32, 1/32],
    ...                   [1/16, 1/16, 1/16, 1/16], [1/4, 0, 0, 0]])
    >>> round(mutual_information(table.T, base=2), 12)
    0.375

    Independent variables share nothing, exactly; a copy shares all of its entropy:

    >>> from infoloss import entropy
    >>> mutual_information(np.outer([0.2, 0.3, 0.5], [0.6, 0.4]))
    0.0
    >>> bool(np.isclose(mutual_information(np.diag([0.2, 0.3, 0.5])),
    ...                 entropy([0.2, 0.3, 0.5])))
    True
    """
    p = as_joint(joint)
    p_x, p_y, total = p.sum(axis=1, keepdims=True), p.sum(axis=0, keepdims=True), p.sum()
    if np.allclose(p, p_x * p_y / total, rtol=INDEPENDENCE_RTOL, atol=0.0):
        return 0.0
    # where p(x, y) > 0 the marginals are > 0 too; the logs of the marginals are taken apart,
    # so a product of two tiny marginals cannot underflow to 0 (no log 0, no 0 / 0, no overflow)
    seen = p > 0
    log_ratio = (np.log(np.where(seen, p, 1.0)) - np.log(np.where(seen, p_x, 1.0))
                 - np.log(np.where(seen, p_y, 1.0)) + np.log(total))
    return float(max((p * log_ratio).sum(), 0.0) / log_base(base))


for _f in (joint_entropy, conditional_entropy, mutual_information):
    _f.__doc__ = _f.__doc__.replace("{refs}", "\n    " + _REFS.strip())
