"""wasserstein_1d, optimal_transport, sinkhorn: cross-checks against scipy and POT (the
independent implementations), closed forms, invariants, marginals of every plan, edge cases
and every error case."""
import warnings

import numpy as np
import ot
import pytest
import scipy.stats
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.special import logsumexp

from infoloss import optimal_transport, sinkhorn, wasserstein_1d
from infoloss.transport import ConvergenceWarning

# a test that expects the warning says so; everywhere else sinkhorn must converge
pytestmark = pytest.mark.filterwarnings("error::infoloss.transport.ConvergenceWarning")

finite = st.floats(-100, 100, allow_nan=False, allow_infinity=False)


@st.composite
def weighted_samples(draw, max_size=8):
    """Values on the line (ties allowed) and non-negative weights with a positive sum."""
    n = draw(st.integers(1, max_size))
    values = np.array(draw(st.lists(finite, min_size=n, max_size=n)))
    weights = np.array(draw(st.lists(st.floats(0, 10), min_size=n, max_size=n)))
    if weights.sum() < 1e-3:
        weights[draw(st.integers(0, n - 1))] = 1.0
    return values, weights


@st.composite
def histograms(draw, n=None, zeros=True):
    """A probability vector of length n (1..6), sometimes with exact zeros."""
    n = n or draw(st.integers(1, 6))
    w = np.array(draw(st.lists(st.floats(0.0 if zeros else 1e-2, 1.0), min_size=n, max_size=n)))
    if w.sum() < 1e-3:
        w[draw(st.integers(0, n - 1))] = 1.0
    return w / w.sum()


@st.composite
def problems(draw, zeros=True):
    """(a, b, cost): two histograms and a cost matrix of distances between points in the plane."""
    a, b = draw(histograms(zeros=zeros)), draw(histograms(zeros=zeros))
    pts = st.floats(-10, 10, allow_nan=False)
    x = np.array(draw(st.lists(st.tuples(pts, pts), min_size=a.size, max_size=a.size)))
    y = np.array(draw(st.lists(st.tuples(pts, pts), min_size=b.size, max_size=b.size)))
    return a, b, np.linalg.norm(x[:, None, :] - y[None, :, :], axis=-1)


def transport_cost(plan, cost):
    return float((plan * cost).sum())


def assert_marginals(plan, a, b, atol=1e-9):
    assert plan.shape == (len(a), len(b)) and (plan >= 0).all()
    np.testing.assert_allclose(plan.sum(axis=1), a, atol=atol)
    np.testing.assert_allclose(plan.sum(axis=0), b, atol=atol)


# --- wasserstein_1d: cross-checks ----------------------------------------------------------------
@settings(max_examples=150, deadline=None)
@given(weighted_samples(), weighted_samples())
def test_w1_matches_scipy_wasserstein_distance(u, v):
    expected = scipy.stats.wasserstein_distance(u[0], v[0], u[1], v[1])
    assert wasserstein_1d(u[0], v[0], u[1], v[1]) == pytest.approx(expected, rel=1e-9, abs=1e-9)


@settings(max_examples=150, deadline=None)
@given(weighted_samples(), weighted_samples(), st.sampled_from([1, 1.5, 2, 3]))
def test_wp_is_the_p_th_root_of_pots_wasserstein_1d(u, v, p):
    # POT's ot.wasserstein_1d returns W_p^p (and wants weights that sum to 1). Compared as W_p^p:
    # the p-th root turns rounding dust of 1e-16 into 1e-8, in either implementation.
    expected = ot.wasserstein_1d(u[0], v[0], u[1] / u[1].sum(), v[1] / v[1].sum(), p=p)
    scale = max(np.abs(u[0]).max(), np.abs(v[0]).max(), 1.0) ** p
    got = wasserstein_1d(u[0], v[0], u[1], v[1], p=p) ** p
    assert got == pytest.approx(expected, rel=1e-9, abs=1e-12 * scale)


@settings(max_examples=60, deadline=None)
@given(weighted_samples(max_size=6), weighted_samples(max_size=6), st.sampled_from([1, 2, 3]))
def test_wp_matches_the_linear_program_with_cost_distance_to_the_p(u, v, p):
    # the LP knows nothing about sorting: it checks that the monotone coupling is optimal.
    # Compared as W_p^p: the LP's plan is exact to its solver tolerance, and the p-th root would
    # turn a weight of 2e-19 moved by 2 (cost 2e-18) into a distance of 1e-6.
    a, b = u[1] / u[1].sum(), v[1] / v[1].sum()
    cost = np.abs(u[0][:, None] - v[0][None, :]) ** p
    lp = transport_cost(optimal_transport(a, b, cost), cost)
    got = wasserstein_1d(u[0], v[0], u[1], v[1], p=p) ** p
    assert got == pytest.approx(lp, rel=1e-6, abs=1e-9 * max(cost.max(), 1.0))


# --- wasserstein_1d: closed forms and invariants -------------------------------------------------
@pytest.mark.parametrize("p", [1, 2, 3.5])
def test_diracs_and_translations(p):
    # W_p(delta_x, delta_y) = |x - y|; moving a whole sample by c costs |c| for every p
    assert wasserstein_1d([2.0], [-1.5], p=p) == pytest.approx(3.5)
    x = np.array([0.0, 1.0, 1.0, 7.0])
    assert wasserstein_1d(x, x - 2.5, p=p) == pytest.approx(2.5)
    assert wasserstein_1d(x, x, p=p) == 0.0


def test_sorted_difference_formula_for_equal_sizes():
    # n equally weighted values each: W_p^p = mean |x_(i) - y_(i)|^p (the book's first formula)
    rng = np.random.default_rng(0)
    x, y = rng.normal(size=50), rng.exponential(size=50)
    for p in (1, 2, 3):
        expected = np.mean(np.abs(np.sort(x) - np.sort(y)) ** p) ** (1 / p)
        assert wasserstein_1d(x, y, p=p) == pytest.approx(expected, rel=1e-12)


def test_gaussian_w2_closed_form():
    # W_2(N(m1, s1^2), N(m2, s2^2))^2 = (m1 - m2)^2 + (s1 - s2)^2 (quantiles m + s Phi^-1(t));
    # 20000 equally spaced quantiles of each, so the only error is the discretization
    t = (np.arange(20_000) + 0.5) / 20_000
    x, y = scipy.stats.norm(1.0, 2.0).ppf(t), scipy.stats.norm(-0.5, 0.5).ppf(t)
    assert wasserstein_1d(x, y, p=2) == pytest.approx(np.hypot(1.5, 1.5), rel=1e-3)


def test_two_point_distributions_by_hand():
    # mass 1/2 at 0 and 1 to mass 1/2 at 1 and 2: every unit moves by 1 (or half moves by 2)
    bins = [0.0, 1.0, 2.0]
    assert wasserstein_1d(bins, bins, [0.5, 0.5, 0], [0, 0.5, 0.5]) == pytest.approx(1.0)
    assert wasserstein_1d(bins, bins, [0.5, 0.5, 0], [0, 0.5, 0.5], p=2) == pytest.approx(1.0)
    # 1/4 of the mass at 0 must go to 10: W_1 = 2.5, W_2 = sqrt(25) = 5
    assert wasserstein_1d([0.0, 10.0], [10.0], [1, 3]) == pytest.approx(2.5)
    assert wasserstein_1d([0.0, 10.0], [10.0], [1, 3], p=2) == pytest.approx(5.0)


@settings(max_examples=80, deadline=None)
@given(weighted_samples(), weighted_samples(), weighted_samples(),
       st.floats(-5, 5).filter(lambda s: abs(s) > 1e-3))
def test_metric_properties_and_scaling(u, v, w, s):
    d = lambda x, y, p=1: wasserstein_1d(x[0], y[0], x[1], y[1], p=p)
    tol = 1e-9 * (1 + np.abs(np.concatenate([u[0], v[0], w[0]])).max())
    assert d(u, v) == pytest.approx(d(v, u), abs=tol)               # symmetric
    assert d(u, w) <= d(u, v) + d(v, w) + tol                       # triangle inequality
    assert d(u, v) <= d(u, v, p=2) + tol <= d(u, v, p=3) + 2 * tol  # W_p grows with p
    scaled = wasserstein_1d(s * u[0], s * v[0], u[1], v[1])
    assert scaled == pytest.approx(abs(s) * d(u, v), rel=1e-9, abs=tol)
    # the means are a lower bound: f(x) = x is 1-Lipschitz
    mean_gap = abs(u[0] @ u[1] / u[1].sum() - v[0] @ v[1] / v[1].sum())
    assert mean_gap <= d(u, v) + tol


def test_weights_are_normalized_and_zero_weights_drop_out():
    x, y = np.array([0.0, 3.0, 4.0]), np.array([1.0, 2.0])
    w = np.array([1.0, 2.0, 1.0])
    assert wasserstein_1d(x, y, w) == pytest.approx(wasserstein_1d(x, y, 10 * w))
    assert wasserstein_1d(x, y, [1.0, 0.0, 1.0]) == pytest.approx(wasserstein_1d([0.0, 4.0], y))
    assert wasserstein_1d(x, y, [0.0, 1.0, 0.0]) == pytest.approx(wasserstein_1d([3.0], y))


def test_unsorted_input_and_ties():
    x, w = np.array([3.0, -1.0, 3.0, 0.5]), np.array([0.1, 0.2, 0.3, 0.4])
    order = np.argsort(x)
    y = np.array([2.0, 2.0, -4.0])
    assert wasserstein_1d(x, y, w) == pytest.approx(wasserstein_1d(x[order], y[::-1], w[order]))


def test_huge_values_do_not_overflow():
    # gaps**p would overflow; the scaled computation does not
    assert wasserstein_1d([0.0], [1e200], p=3) == pytest.approx(1e200)


# --- optimal_transport ---------------------------------------------------------------------------
@settings(max_examples=100, deadline=None)
@given(problems())
def test_plan_has_the_marginals_and_pots_optimal_cost(problem):
    a, b, cost = problem
    plan = optimal_transport(a, b, cost)
    assert_marginals(plan, a, b)
    assert transport_cost(plan, cost) == pytest.approx(ot.emd2(a, b, cost), rel=1e-9, abs=1e-9)


@settings(max_examples=60, deadline=None)
@given(problems(zeros=False))
def test_plan_is_a_vertex_and_no_random_plan_is_cheaper(problem):
    a, b, cost = problem
    plan = optimal_transport(a, b, cost)
    # a basic solution of the LP: at most n + m - 1 nonzero entries
    assert np.count_nonzero(plan > 1e-12) <= a.size + b.size - 1
    # the independent plan a b^T is feasible, so it costs at least as much
    assert transport_cost(plan, cost) <= transport_cost(np.outer(a, b), cost) + 1e-9


def test_identical_histograms_stay_put():
    x = np.arange(4.0)
    a = np.array([0.1, 0.2, 0.3, 0.4])
    plan = optimal_transport(a, a, np.abs(x[:, None] - x[None, :]))
    np.testing.assert_allclose(plan, np.diag(a), atol=1e-12)


def test_one_source_point_sends_b():
    cost = np.array([[1.0, 5.0, 2.0]])
    np.testing.assert_allclose(optimal_transport([1.0], [0.2, 0.3, 0.5], cost), [[0.2, 0.3, 0.5]])


def test_sums_within_tolerance_still_solve():
    # a and b each sum to 1 within the allowed 1e-6, but not to the same total
    a, b = np.array([0.5, 0.5 + 4e-7]), np.array([0.5, 0.5 - 4e-7])
    plan = optimal_transport(a, b, np.ones((2, 2)) - np.eye(2))
    np.testing.assert_allclose(plan.sum(axis=1), a, atol=1e-9)
    np.testing.assert_allclose(plan.sum(axis=0)[:-1], b[:-1], atol=1e-9)


# --- sinkhorn ------------------------------------------------------------------------------------
def pot_sinkhorn_log(a, b, cost, reg):
    return ot.bregman.sinkhorn_log(a, b, cost, reg, numItermax=100_000, stopThr=1e-13)


@settings(max_examples=60, deadline=None)
@given(problems(zeros=False), st.sampled_from([0.25, 0.5, 1.0]))
def test_sinkhorn_matches_pots_log_domain_sinkhorn(problem, relative_reg):
    # Each iteration shrinks the error at least by tanh(D / 4)^2, D = max (C_ij + C_kl - C_il -
    # C_kj) / reg <= 2 max C / reg (Franklin and Lorenz 1989): fast for these reg, while
    # reg = 0.1 max C can need 10^5 iterations (a = b on two points). Smaller reg is tested
    # below on problems where it converges fast.
    a, b, cost = problem
    reg = relative_reg * max(cost.max(), 1e-3)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no ConvergenceWarning
        plan = sinkhorn(a, b, cost, reg, tol=1e-11, max_iter=50_000)
    assert_marginals(plan, a, b)
    np.testing.assert_allclose(plan, pot_sinkhorn_log(a, b, cost, reg), atol=1e-8)


def random_problem(n=6, m=5, seed=0):
    rng = np.random.default_rng(seed)
    x, y = rng.normal(size=(n, 2)), rng.normal(1.0, 1.0, size=(m, 2))
    return (rng.dirichlet(np.ones(n)), rng.dirichlet(np.ones(m)),
            np.linalg.norm(x[:, None] - y[None], axis=-1))


def test_sinkhorn_matches_pots_classic_sinkhorn_where_it_works():
    a, b, cost = random_problem()
    expected = ot.sinkhorn(a, b, cost, 0.5, numItermax=100_000, stopThr=1e-13)
    np.testing.assert_allclose(sinkhorn(a, b, cost, 0.5, tol=1e-12), expected, atol=1e-9)


def test_plan_has_the_gibbs_form():
    # gamma_ij e^{C_ij / eps} = u_i v_j: a rank-one matrix (the first-order condition)
    a, b, cost = random_problem(seed=1)
    reg = 0.3
    scaled = sinkhorn(a, b, cost, reg) * np.exp(cost / reg)
    assert np.linalg.matrix_rank(scaled, tol=1e-10 * np.abs(scaled).max()) == 1


@pytest.mark.parametrize("scale", [1e-3, 1.0, 1e3])
def test_only_cost_over_reg_matters(scale):
    a, b, cost = random_problem(seed=2)
    np.testing.assert_allclose(sinkhorn(a, b, scale * cost, scale * 0.2), sinkhorn(a, b, cost, 0.2),
                               atol=1e-9)


def test_large_reg_gives_the_independent_plan():
    a, b, cost = random_problem(seed=3)
    np.testing.assert_allclose(sinkhorn(a, b, cost, 1e7), np.outer(a, b), atol=1e-6)


@pytest.mark.parametrize("relative_reg", [1e-3, 1e-2, 1e-1, 1.0])
def test_cost_exceeds_the_optimum_by_at_most_reg_times_the_smaller_entropy(relative_reg):
    # <gamma_eps, C> - W <= eps (H(gamma_eps) - H(gamma*)) <= eps min(H(a), H(b))
    a, b, cost = random_problem(n=8, m=7, seed=4)
    reg = relative_reg * cost.max()
    exact = ot.emd2(a, b, cost)
    excess = transport_cost(sinkhorn(a, b, cost, reg), cost) - exact
    assert -1e-9 <= excess <= reg * min(scipy.stats.entropy(a), scipy.stats.entropy(b)) + 1e-9


def test_small_reg_stays_finite_where_the_classic_scaling_underflows():
    # C / eps up to 5000: exp(-C / eps) underflows to 0 for whole rows, and u = a / (K v) is inf
    x = np.linspace(0, 1, 8)
    a, b = np.full(8, 1 / 8), scipy.stats.binom.pmf(np.arange(8), 7, 0.8)
    cost = np.abs(x[:, None] - x[None, :])
    reg = 2e-4
    assert (np.exp(-cost / reg) == 0).any()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        plan = sinkhorn(a, b, cost, reg)
    assert np.isfinite(plan).all()
    assert_marginals(plan, a, b)
    assert transport_cost(plan, cost) == pytest.approx(ot.emd2(a, b, cost), abs=reg * np.log(8))
    # the classic scaling u = a / (K v), v = b / (K^T u) overflows to inf, then nan
    K, v = np.exp(-cost / reg), np.ones(8)
    with np.errstate(all="ignore"):
        for _ in range(200):
            u = a / (K @ v)
            v = b / (K.T @ u)
    assert not np.isfinite(u[:, None] * K * v[None, :]).all()


def test_zero_mass_points_get_zero_rows_and_columns():
    a, b, cost = random_problem(seed=5)
    a[[0, 3]] = 0.0
    b[1] = 0.0
    a, b = a / a.sum(), b / b.sum()
    plan = sinkhorn(a, b, cost, 0.1)
    assert_marginals(plan, a, b)
    assert (plan[[0, 3]] == 0).all() and (plan[:, 1] == 0).all()
    kept = np.ix_(a > 0, b > 0)
    np.testing.assert_allclose(plan[kept], sinkhorn(a[a > 0], b[b > 0], cost[kept], 0.1))


def test_not_converging_warns_and_returns_the_last_iterate():
    x = np.linspace(0, 1, 10)
    a, b = np.full(10, 0.1), scipy.stats.binom.pmf(np.arange(10), 9, 0.3)
    cost = np.abs(x[:, None] - x[None, :])
    with pytest.warns(ConvergenceWarning, match=r"did not converge in max_iter=2 iterations: "
                                                r"the row sums miss a by .* \(L1\) > tol=1e-09"):
        plan = sinkhorn(a, b, cost, 0.01, max_iter=2)
    # the documented state: finite, columns exact, rows not yet
    assert np.isfinite(plan).all() and (plan >= 0).all()
    np.testing.assert_allclose(plan.sum(axis=0), b, atol=1e-12)
    assert np.abs(plan.sum(axis=1) - a).sum() > 1e-9
    # more iterations remove the warning
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        sinkhorn(a, b, cost, 0.01)


def test_log_domain_iteration_by_hand():
    # one step of the book's formulas, f = log a - lse(g - C/eps), g = log b - lse(f - C/eps)
    a, b, cost = random_problem(n=3, m=4, seed=6)
    reg, f, g = 0.5, np.zeros(3), np.zeros(4)
    for _ in range(2000):
        f = np.log(a) - logsumexp(g[None, :] - cost / reg, axis=1)
        g = np.log(b) - logsumexp(f[:, None] - cost / reg, axis=0)
    np.testing.assert_allclose(sinkhorn(a, b, cost, reg, tol=1e-13),
                               np.exp(f[:, None] + g[None, :] - cost / reg), atol=1e-12)


# --- bad input -----------------------------------------------------------------------------------
@pytest.mark.parametrize("kwargs, match", [
    ({"u_values": []}, "u_values is empty"),
    ({"v_values": [1.0, np.nan]}, "v_values contains NaN or inf"),
    ({"u_values": [[1.0, 2.0]]}, r"u_values must be 1-D \(points on the line\), got shape \(1, 2\)"),
    ({"u_values": 1.0}, "u_values must have at least one dimension"),
    ({"u_weights": [1.0, -0.5]}, "u_weights has negative entries"),
    ({"v_weights": [1.0, np.inf, 1.0]}, "v_weights contains NaN or inf"),
    ({"u_weights": [1.0, 1.0, 1.0]}, r"u_weights has shape \(3,\) but u_values has shape \(2,\)"),
    ({"v_weights": [0.0, 0.0, 0.0]}, "v_weights sum to 0"),
    ({"p": 0.5}, r"p must be a finite number >= 1, got 0.5; for p < 1 the p-th root of the least "
                 r"cost breaks the triangle inequality and sorting no longer gives the optimal "
                 r"coupling: use the least cost E\|X - Y\|\^p itself"),
    ({"p": np.inf}, "p must be a finite number >= 1"),
    ({"p": "two"}, "p must be a number >= 1"),
])
def test_wasserstein_1d_bad_input(kwargs, match):
    args = {"u_values": [0.0, 1.0], "v_values": [0.0, 1.0, 2.0], **kwargs}
    p = args.pop("p", 1)
    with pytest.raises(ValueError, match=match):
        wasserstein_1d(**args, p=p)


def test_the_p_below_1_message_is_true():
    # the two claims of the error message, shown by the LP (which has no p >= 1 restriction)
    def least_cost(x, a, y, b, p):
        cost = np.abs(np.subtract.outer(x, y)) ** p
        return (optimal_transport(a, b, cost) * cost).sum()

    p, one, two = 0.5, [1.0], [0.0, 1.0]
    # delta_0 -> (delta_0 + delta_1) / 2 -> delta_1: the roots break the triangle inequality ...
    root = lambda x, a, y, b: least_cost(x, a, y, b, p) ** (1 / p)
    detour = root([0.0], one, two, [0.5, 0.5]) + root(two, [0.5, 0.5], [1.0], one)
    assert detour == pytest.approx(0.5) and root([0.0], one, [1.0], one) == pytest.approx(1.0)
    # ... while the least cost without the root obeys it here (it is W_1 for the metric |x - y|^p)
    assert least_cost([0.0], one, [1.0], one, p) <= (least_cost([0.0], one, two, [0.5, 0.5], p)
                                                     + least_cost(two, [0.5, 0.5], [1.0], one, p))
    # sorting is not optimal: the sorted pairs 0 -> 1, 1 -> 2 cost (1 + 1) / 2, the crossed
    # pairs 0 -> 2, 1 -> 1 cost 2**p / 2 < 1
    x, y, half = np.array([0.0, 1.0]), np.array([1.0, 2.0]), [0.5, 0.5]
    sorted_cost = np.mean(np.abs(x - y) ** p)
    assert sorted_cost == 1.0
    assert least_cost(x, half, y, half, p) == pytest.approx(2 ** p / 2)
    with pytest.raises(ValueError, match="p must be a finite number >= 1"):
        wasserstein_1d(x, y, p=p)


PROBLEM = {"a": [0.5, 0.5], "b": [0.2, 0.3, 0.5], "cost": np.ones((2, 3))}


@pytest.mark.parametrize("solver", [optimal_transport,
                                    lambda a, b, cost: sinkhorn(a, b, cost, 0.1)])
@pytest.mark.parametrize("kwargs, match", [
    ({"a": [0.5, 0.6]}, r"a must sum to 1 along axis -1 \(got sums in \[1.1, 1.1\]\); normalize"),
    ({"b": [0.2, 0.9, -0.1]}, "b has negative entries"),
    ({"a": [np.nan, 1.0]}, "a contains NaN or inf"),
    ({"b": []}, "b is empty"),
    ({"a": [[0.5, 0.5]]}, r"a must be 1-D \(one histogram\), got shape \(1, 2\)"),
    ({"cost": np.ones((3, 2))}, r"cost has shape \(3, 2\), but a has 2 and b has 3 entries; "
                                r"it must be \(2, 3\)"),
    ({"cost": [[0.0, np.inf, 1.0], [1.0, 1.0, 1.0]]}, "cost contains NaN or inf"),
])
def test_plan_bad_input(solver, kwargs, match):
    with pytest.raises(ValueError, match=match):
        solver(**{**PROBLEM, **kwargs})


@pytest.mark.parametrize("kwargs, match", [
    ({"reg": 0.0}, "reg must be a finite number > 0, got 0.0; choose it relative to the cost"),
    ({"reg": -1.0}, "reg must be a finite number > 0"),
    ({"reg": np.nan}, "reg must be a finite number > 0"),
    ({"reg": "small"}, "reg must be a number > 0"),
    ({"reg": 0.1, "max_iter": 0}, "max_iter must be an integer >= 1"),
    ({"reg": 0.1, "max_iter": 2.5}, "max_iter must be an integer >= 1"),
    ({"reg": 0.1, "tol": 0.0}, "tol must be a finite number > 0"),
])
def test_sinkhorn_bad_parameters(kwargs, match):
    with pytest.raises(ValueError, match=match):
        sinkhorn(**PROBLEM, **kwargs)
