"""Optimal transport: the Wasserstein distance on the line, exact transport plans by linear
programming, and entropic plans by Sinkhorn's iterations in the log domain.

Distances are in the units of the ground cost (metres, pixels, ...), not in nats: transport
measures how far mass must move, not how surprising it is.
"""
from __future__ import annotations

import warnings

import numpy as np
import scipy.sparse
from scipy.optimize import linprog
from scipy.special import logsumexp

from infoloss._validation import as_distribution, as_finite_array

_REFS = """
    References
    ----------
    .. [1] C. Villani, *Optimal Transport: Old and New*, Springer, 2009.
       doi:10.1007/978-3-540-71050-9
    .. [2] G. Peyré and M. Cuturi, "Computational Optimal Transport", Foundations and Trends
       in Machine Learning 11(5-6):355-607, 2019. doi:10.1561/2200000073"""


class ConvergenceWarning(UserWarning):
    """:func:`sinkhorn` stopped at ``max_iter`` before its marginals met ``tol``."""


def _sample(values, weights, name: str):
    """A 1-D sample and its non-negative weights (with a positive sum; normalized later)."""
    x = as_finite_array(values, f"{name}_values")
    if x.ndim != 1:
        raise ValueError(f"{name}_values must be 1-D (points on the line), got shape {x.shape}")
    if x.size == 0:
        raise ValueError(f"{name}_values is empty; give at least one value")
    if weights is None:
        return x, np.ones(x.size)
    w = as_finite_array(weights, f"{name}_weights")
    if w.shape != x.shape:
        raise ValueError(f"{name}_weights has shape {w.shape} but {name}_values has shape {x.shape}; "
                         f"give one weight per value")
    if (w < 0).any():
        raise ValueError(f"{name}_weights has negative entries (min {w.min():.3g}); weights are >= 0")
    if not w.sum() > 0:
        raise ValueError(f"{name}_weights sum to 0; at least one value needs a positive weight")
    return x, w


def _order(p) -> float:
    try:
        p = float(p)
    except (TypeError, ValueError):
        raise ValueError(f"p must be a number >= 1, got {p!r}") from None
    if not (np.isfinite(p) and p >= 1):
        raise ValueError(f"p must be a finite number >= 1, got {p}; for p < 1 the p-th root of the "
                         "least cost breaks the triangle inequality and sorting no longer gives the "
                         "optimal coupling: use the least cost E|X - Y|^p itself, without the root "
                         "(optimal_transport with the cost |x - y|^p)")
    return p


def _steps(x, w):
    """The sorted values and the CDF at each of them, ending at 1.0 exactly (the weights are
    normalized here, once, so that equal weights give bit-equal levels in both samples)."""
    order = np.argsort(x, kind="stable")
    cdf = np.cumsum(w[order])
    return x[order], cdf / cdf[-1]


def _quantiles(sorted_x, cdf, levels):
    """The quantile function inf{x : F(x) >= t} of a sample at each level t in (0, 1]."""
    index = np.searchsorted(cdf, levels, side="left")
    return sorted_x[np.minimum(index, sorted_x.size - 1)]


def wasserstein_1d(u_values, v_values, u_weights=None, v_weights=None, *, p=1):
    r"""Wasserstein distance :math:`W_p` between two weighted samples on the real line.

    This is :math:`W_p` itself, not :math:`W_p^p` (POT's ``ot.wasserstein_1d`` returns the
    latter). For ``p=1`` it equals ``scipy.stats.wasserstein_distance``.

    Parameters
    ----------
    u_values, v_values : (n,), (m,) array_like
        The points of the two distributions (values, not histograms), in the units of the line.
    u_weights, v_weights : (n,), (m,) array_like, optional
        Non-negative weights, one per value; normalized to sum to 1, as scipy does. ``None``
        gives every value the same weight.
    p : float
        The order, ``p >= 1``: the cost of moving mass from x to y is :math:`|x - y|^p`.

    Returns
    -------
    W : float
        :math:`W_p \ge 0`, in the units of the values.

    Raises
    ------
    ValueError
        If a sample is empty, not 1-D or has NaN/inf values; if weights are NaN/inf, negative,
        sum to 0, or do not have one entry per value; if ``p`` is not a finite number >= 1
        (for p < 1 the root of the least cost is not a metric and sorting is not optimal).

    Notes
    -----
    On the line the monotone (sorted) coupling is optimal for every convex cost, so with the
    quantile functions :math:`F^{-1}, G^{-1}` of the two samples

    .. math:: W_p^p = \int_0^1 \left|F^{-1}(t) - G^{-1}(t)\right|^p dt ,
       \qquad W_1 = \int_{-\infty}^{\infty} |F(x) - G(x)|\, dx .

    Both quantile functions are step functions; the integral is an exact sum over the union of
    their steps. For two samples of n equally weighted values, :math:`W_p^p` is the mean of
    :math:`|x_{(i)} - y_{(i)}|^p` over the sorted values. Derived in the book chapter
    {doc}`06_wasserstein`.
    {refs}

    Examples
    --------
    Moving a sample by 3 costs 3, whatever p:

    >>> x = np.array([0.0, 1.0, 5.0])
    >>> bool(np.isclose(wasserstein_1d(x, x + 3), 3) and
    ...      np.isclose(wasserstein_1d(x, x + 3, p=2), 3))
    True

    Values with weights, compared with scipy:

    >>> from scipy.stats import wasserstein_distance
    >>> bins, p_, q_ = [0.0, 1.0, 2.0], [0.5, 0.5, 0.0], [0.0, 0.5, 0.5]
    >>> bool(np.isclose(wasserstein_1d(bins, bins, p_, q_),
    ...                 wasserstein_distance(bins, bins, p_, q_)))
    True
    """
    p = _order(p)
    u, u_w = _sample(u_values, u_weights, "u")
    v, v_w = _sample(v_values, v_weights, "v")
    (u_sorted, u_cdf), (v_sorted, v_cdf) = _steps(u, u_w), _steps(v, v_w)
    # between consecutive levels both quantile functions are constant
    levels = np.unique(np.concatenate([u_cdf, v_cdf]))     # sorted, ends at 1.0
    widths = np.diff(levels, prepend=0.0)
    gaps = np.abs(_quantiles(u_sorted, u_cdf, levels) - _quantiles(v_sorted, v_cdf, levels))
    if p == 1:
        return float(widths @ gaps)
    largest = gaps.max()
    if largest == 0:
        return 0.0
    return float(largest * (widths @ (gaps / largest) ** p) ** (1 / p))  # no overflow in gaps**p


def _histogram(a, name: str) -> np.ndarray:
    a = as_distribution(a, name)
    if a.ndim != 1:
        raise ValueError(f"{name} must be 1-D (one histogram), got shape {a.shape}")
    return a


def _problem(a, b, cost):
    a, b = _histogram(a, "a"), _histogram(b, "b")
    cost = as_finite_array(cost, "cost")
    if cost.shape != (a.size, b.size):
        raise ValueError(f"cost has shape {cost.shape}, but a has {a.size} and b has {b.size} "
                         f"entries; it must be ({a.size}, {b.size}): cost[i, j] moves a[i] to b[j]")
    return a, b, cost


def optimal_transport(a, b, cost):
    r"""The optimal transport plan between two histograms, by linear programming.

    Minimizes :math:`\langle \gamma, C \rangle = \sum_{ij} \gamma_{ij} C_{ij}` over plans
    :math:`\gamma \ge 0` with row sums ``a`` and column sums ``b``, with scipy's HiGHS dual
    simplex solver.

    Parameters
    ----------
    a : (n,) array_like
        The source histogram: entries >= 0 that sum to 1 (within 1e-6).
    b : (m,) array_like
        The target histogram, likewise.
    cost : (n, m) array_like
        ``cost[i, j]``, the finite cost of moving a unit of mass from source point i to target
        point j (for :math:`W_p`, the distance to the power p).

    Returns
    -------
    plan : (n, m) ndarray
        An optimal plan :math:`\gamma`: ``plan.sum(axis=1) == a`` and ``plan.sum(axis=0) == b``
        (to 1e-9), entries >= 0. The optimal cost is ``(plan * cost).sum()``. It is a vertex of
        the feasible set, with at most n + m - 1 nonzero entries; when several plans are optimal
        it is one of them.

    Raises
    ------
    ValueError
        If ``a`` or ``b`` is not a 1-D probability vector (NaN/inf, negative entries, sum not 1,
        empty), or ``cost`` is not finite or not of shape (n, m).

    Notes
    -----
    The linear program has n m variables and n + m equality constraints, one of them redundant
    (both marginals carry the same mass), so the last column's is left out: ``a`` and ``b`` may
    then differ in total by the 1e-6 their sums are allowed. For :math:`W_p` between point
    clouds, pass ``cost = dist ** p`` and take :math:`(\langle\gamma, C\rangle)^{1/p}`. The LP
    grows as n m; for thousands of points use a network simplex (POT's ``ot.emd``). Derived
    in the book chapter {doc}`06_wasserstein`.
    {refs}
    .. [3] Q. Huangfu and J. A. J. Hall, "Parallelizing the dual revised simplex method",
       Mathematical Programming Computation 10(1):119-142, 2018. doi:10.1007/s12532-017-0130-5

    Examples
    --------
    Half the mass sits at 0 and half at 1; it must end up at 1 and 2. Shifting every pile by
    one costs 1 in total:

    >>> x = np.array([0.0, 1.0, 2.0])
    >>> a, b = [0.5, 0.5, 0.0], [0.0, 0.5, 0.5]
    >>> plan = optimal_transport(a, b, np.abs(x[:, None] - x[None, :]))
    >>> bool(np.allclose(plan.sum(axis=1), a) and np.allclose(plan.sum(axis=0), b))
    True
    >>> float(np.round((plan * np.abs(x[:, None] - x[None, :])).sum(), 12))
    1.0
    """
    a, b, cost = _problem(a, b, cost)
    n, m = cost.shape
    rows = scipy.sparse.kron(scipy.sparse.eye(n), np.ones((1, m)))   # sum_j plan[i, j] = a[i]
    cols = scipy.sparse.kron(np.ones((1, n)), scipy.sparse.eye(m))   # sum_i plan[i, j] = b[j]
    constraints = scipy.sparse.vstack([rows, cols.tocsr()[:-1]]).tocsr()
    result = linprog(cost.ravel(), A_eq=constraints, b_eq=np.concatenate([a, b[:-1]]),
                     bounds=(0, None), method="highs-ds",
                     options={"primal_feasibility_tolerance": 1e-10,
                              "dual_feasibility_tolerance": 1e-10})
    if result.status != 0:  # cannot happen for valid input: a plan always exists
        raise RuntimeError(f"linprog failed: {result.message}")
    return np.maximum(result.x.reshape(n, m), 0.0)   # -0.0 and feasibility-tolerance dust


def sinkhorn(a, b, cost, reg, *, max_iter=10_000, tol=1e-9):
    r"""The entropic optimal transport plan, by Sinkhorn's iterations in the log domain.

    Minimizes :math:`\langle \gamma, C \rangle - \varepsilon H(\gamma)`, with
    :math:`H(\gamma) = -\sum_{ij} \gamma_{ij} \log \gamma_{ij}` and :math:`\varepsilon` =
    ``reg``, over plans with row sums ``a`` and column sums ``b``. (POT's ``reg`` is the same
    :math:`\varepsilon`.)

    Parameters
    ----------
    a : (n,) array_like
        The source histogram: entries >= 0 that sum to 1 (within 1e-6).
    b : (m,) array_like
        The target histogram, likewise.
    cost : (n, m) array_like
        Finite costs, ``cost[i, j]`` for moving mass from source point i to target point j.
    reg : float
        The regularization :math:`\varepsilon > 0`, in the units of ``cost``. Only
        ``cost / reg`` matters: choose it relative to the scale of the cost (a fraction of
        ``cost.max()`` or of the median cost). Small values approach the exact plan and need
        more iterations; large values blur the plan towards the independent plan
        :math:`a b^\top`.
    max_iter : int
        The most iterations (each one updates both scalings).
    tol : float
        Stop when the row sums of the plan are within ``tol`` of ``a`` in L1 norm (after each
        iteration the column sums equal ``b`` up to rounding).

    Returns
    -------
    plan : (n, m) ndarray
        The plan :math:`\gamma_{ij} = \exp\big((f_i + g_j - C_{ij}) / \varepsilon\big)`, zero in
        the rows and columns where ``a`` or ``b`` is 0. Every entry is finite and >= 0 however
        small ``reg`` is. ``(plan * cost).sum()`` is its transport cost, which exceeds the exact
        optimum by at most :math:`\varepsilon \min(H(a), H(b))`.

    Raises
    ------
    ValueError
        If ``a`` or ``b`` is not a 1-D probability vector, ``cost`` is not finite or not of
        shape (n, m), ``reg`` is not a finite number > 0, ``max_iter`` is not an integer >= 1,
        or ``tol`` is not a number > 0.

    Warns
    -----
    ConvergenceWarning
        If the row sums are still more than ``tol`` from ``a`` after ``max_iter`` iterations.
        This is a warning, not an error: the last iterate is returned, a valid nonnegative
        plan whose column sums equal ``b`` and whose row sums miss ``a`` by the L1 error the
        message reports. Running a fixed, small number of iterations is a common and deliberate
        approximation (e.g. inside a training loop); where it is not intended, raise
        ``max_iter`` or ``reg``, or turn the warning into an error with :mod:`warnings`.

    Notes
    -----
    Setting the gradient of the Lagrangian to zero gives the plan's form above; Sinkhorn's
    iterations alternately choose :math:`f` to fit the rows and :math:`g` to fit the columns:

    .. math:: f_i = \varepsilon \log a_i - \varepsilon \log \sum_j e^{(g_j - C_{ij})/\varepsilon},
       \qquad g_j = \varepsilon \log b_j - \varepsilon \log \sum_i e^{(f_i - C_{ij})/\varepsilon} .

    Computed with ``scipy.special.logsumexp``, nothing overflows or underflows, whereas the
    classic scaling form :math:`u = a / (K v)`, :math:`v = b / (K^\top u)` with
    :math:`K = e^{-C/\varepsilon}` divides by zero once :math:`C / \varepsilon` exceeds about
    745. Derived in the book chapter {doc}`06_wasserstein`.
    {refs}
    .. [3] M. Cuturi, "Sinkhorn Distances: Lightspeed Computation of Optimal Transport",
       Advances in Neural Information Processing Systems 26, 2013.
       doi:10.48550/arXiv.1306.0895

    Examples
    --------
    Every plan has the right marginals; a huge ``reg`` gives the independent plan:

    >>> a, b = np.array([0.5, 0.5]), np.array([0.25, 0.75])
    >>> cost = np.array([[0.0, 1.0], [1.0, 0.0]])
    >>> plan = sinkhorn(a, b, cost, reg=0.05)
    >>> bool(np.allclose(plan.sum(axis=1), a) and np.allclose(plan.sum(axis=0), b))
    True
    >>> bool(np.allclose(sinkhorn(a, b, cost, reg=1e6), np.outer(a, b)))
    True

    A small ``reg`` approaches the exact plan and stays finite where :math:`e^{-C/\varepsilon}`
    underflows (here :math:`C / \varepsilon = 10^4`):

    >>> bool(np.allclose(sinkhorn(a, b, cost, reg=1e-4), optimal_transport(a, b, cost)))
    True
    """
    a, b, cost = _problem(a, b, cost)
    try:
        reg = float(reg)
    except (TypeError, ValueError):
        raise ValueError(f"reg must be a number > 0, got {reg!r}") from None
    if not (np.isfinite(reg) and reg > 0):
        raise ValueError(f"reg must be a finite number > 0, got {reg}; choose it relative to the "
                         f"cost, e.g. reg = 0.05 * cost.max()")
    if isinstance(max_iter, bool) or int(max_iter) != max_iter or max_iter < 1:
        raise ValueError(f"max_iter must be an integer >= 1, got {max_iter!r}")
    if not (np.isfinite(tol) and tol > 0):
        raise ValueError(f"tol must be a finite number > 0, got {tol!r}")
    rows, cols = a > 0, b > 0                 # mass-free points carry no plan: leave them out
    scaled = cost[np.ix_(rows, cols)] / reg   # C / eps: the only thing the plan depends on
    log_a, log_b = np.log(a[rows]), np.log(b[cols])
    # f and g below are the potentials divided by eps; start from g = 0
    lse_rows = logsumexp(-scaled, axis=1)
    for _ in range(int(max_iter)):
        f = log_a - lse_rows                                   # rows fit a
        g = log_b - logsumexp(f[:, None] - scaled, axis=0)     # columns fit b
        lse_rows = logsumexp(g[None, :] - scaled, axis=1)
        error = np.abs(np.exp(f + lse_rows) - a[rows]).sum()   # row sums of the plan vs a
        if error <= tol:
            break
    else:
        warnings.warn(f"sinkhorn did not converge in max_iter={max_iter} iterations: the row sums "
                      f"miss a by {error:.2e} (L1) > tol={tol:g}; the column sums match b. Raise "
                      f"max_iter, or reg (now {reg:g}, cost.max() = {cost.max():g})",
                      ConvergenceWarning, stacklevel=2)
    plan = np.zeros(cost.shape)
    plan[np.ix_(rows, cols)] = np.exp(f[:, None] + g[None, :] - scaled)
    return plan


for _f in (wasserstein_1d, optimal_transport, sinkhorn):
    _f.__doc__ = _f.__doc__.replace("{refs}", "\n    " + _REFS.strip())
