"""joint_entropy, conditional_entropy, mutual_information: Cover and Thomas's example, a direct
double loop, scipy (entropies and the G-test statistic), identities among the five quantities,
independence, and every error case."""
import warnings

import numpy as np
import pytest
import scipy.stats
from hypothesis import given, settings
from hypothesis import strategies as st

from infoloss import (conditional_entropy, entropy, joint_entropy, kl_divergence,
                      mutual_information)
from infoloss.joint import INDEPENDENCE_RTOL

LOG2 = np.log(2)

# Cover & Thomas (2006), Example 2.2.1: their table has Y along the rows and X along the
# columns; the book's convention puts X along axis 0, hence the transpose.
CT_TABLE = np.array([[1 / 8, 1 / 16, 1 / 32, 1 / 32],
                     [1 / 16, 1 / 8, 1 / 32, 1 / 32],
                     [1 / 16, 1 / 16, 1 / 16, 1 / 16],
                     [1 / 4, 0, 0, 0]])
CT_JOINT = CT_TABLE.T


@st.composite
def tables(draw, max_side=6, zeros=True):
    """A joint distribution of shape (1..6, 1..6), sometimes with exact zeros."""
    nx, ny = draw(st.integers(1, max_side)), draw(st.integers(1, max_side))
    # exact zeros, or weights >= 1e-100: the references multiply two marginals, and a product
    # of two tinier ones underflows to 0 (the library takes their logs apart; see
    # test_tiny_marginals_do_not_underflow)
    weight = st.floats(1e-100, 1.0)
    weight = st.one_of(st.just(0.0), weight) if zeros else st.floats(1e-3, 1.0)
    w = np.array(draw(st.lists(weight, min_size=nx * ny, max_size=nx * ny)))
    if w.sum() < 1e-3:
        w[draw(st.integers(0, nx * ny - 1))] = 1.0
    return (w / w.sum()).reshape(nx, ny)


@st.composite
def distributions(draw, zeros=True):
    k = draw(st.integers(1, 6))
    w = np.array(draw(st.lists(st.floats(0.0 if zeros else 1e-3, 1.0), min_size=k, max_size=k)))
    if w.sum() < 1e-3:
        w[0] = 1.0
    return w / w.sum()


# --- a direct double loop: the definitions, term by term ---------------------------------------
def loop_quantities(p):
    """H(X, Y), H(Y | X) and I(X; Y) in nats, by the textbook sums over x and y."""
    nx, ny = p.shape
    px = [sum(p[x, y] for y in range(ny)) for x in range(nx)]
    py = [sum(p[x, y] for x in range(nx)) for y in range(ny)]
    h_xy = h_y_given_x = mi = 0.0
    for x in range(nx):
        for y in range(ny):
            if p[x, y] > 0:
                h_xy -= p[x, y] * np.log(p[x, y])
                h_y_given_x -= p[x, y] * np.log(p[x, y] / px[x])
                mi += p[x, y] * np.log(p[x, y] / (px[x] * py[y]))
    return h_xy, h_y_given_x, mi


@settings(max_examples=100, deadline=None)
@given(tables())
def test_matches_the_double_loop(p):
    h_xy, h_y_given_x, mi = loop_quantities(p)
    assert joint_entropy(p) == pytest.approx(h_xy, abs=1e-12)
    assert conditional_entropy(p) == pytest.approx(h_y_given_x, abs=1e-12)
    assert mutual_information(p) == pytest.approx(max(mi, 0.0), abs=1e-12)


@settings(max_examples=100, deadline=None)
@given(tables(), st.sampled_from([None, 2, 10]))
def test_matches_scipy_entropies(p, base):
    scale = 1.0 if base is None else np.log(base)
    px, py = p.sum(axis=1), p.sum(axis=0)
    h_x = scipy.stats.entropy(px, base=base)
    h_y = scipy.stats.entropy(py, base=base)
    h_xy = scipy.stats.entropy(p.ravel(), base=base)
    # H(Y | X) = sum_x p(x) H(Y | X = x), each row entropy by scipy
    h_y_given_x = sum(px[x] * scipy.stats.entropy(p[x] / px[x]) for x in range(len(px))
                      if px[x] > 0) / scale
    assert joint_entropy(p, base=base) == pytest.approx(h_xy, abs=1e-12)
    assert conditional_entropy(p, base=base) == pytest.approx(h_y_given_x, abs=1e-12)
    assert mutual_information(p, base=base) == pytest.approx(h_x + h_y - h_xy, abs=1e-12)


@settings(max_examples=60, deadline=None)
@given(st.integers(2, 5), st.integers(2, 5), st.data())
def test_plug_in_estimate_is_scipys_g_statistic_over_2n(nx, ny, data):
    # scipy's chi2_contingency with lambda_="log-likelihood" returns the G-test statistic
    # G = 2 sum O log(O / E), which is 2 N times the plug-in mutual information in nats.
    counts = np.array(data.draw(st.lists(st.integers(0, 30), min_size=nx * ny,
                                         max_size=nx * ny))).reshape(nx, ny)
    counts[np.arange(nx), np.arange(nx) % ny] += 1     # no empty row
    counts[np.arange(ny) % nx, np.arange(ny)] += 1     # no empty column
    g, *_ = scipy.stats.chi2_contingency(counts, correction=False, lambda_="log-likelihood")
    n = counts.sum()
    assert 2 * n * mutual_information(counts / n) == pytest.approx(g, rel=1e-9, abs=1e-9)


# --- Cover & Thomas, Example 2.2.1 (exact in bits) ---------------------------------------------
def test_cover_thomas_example_2_2_1():
    # ibid.: H(X) = 7/4, H(Y) = 2, H(X | Y) = 11/8, H(Y | X) = 13/8, H(X, Y) = 27/8, and
    # I(X; Y) = 3/8 bits (sec. 2.2 and 2.4)
    exact = pytest.approx  # dyadic probabilities: equal up to the last bit of a log
    assert entropy(CT_JOINT.sum(axis=1), base=2) == exact(7 / 4, abs=1e-15)
    assert entropy(CT_JOINT.sum(axis=0), base=2) == exact(2, abs=1e-15)
    assert conditional_entropy(CT_JOINT.T, base=2) == exact(11 / 8, abs=1e-15)  # H(X | Y)
    assert conditional_entropy(CT_JOINT, base=2) == exact(13 / 8, abs=1e-15)    # H(Y | X)
    assert joint_entropy(CT_JOINT, base=2) == exact(27 / 8, abs=1e-15)
    assert mutual_information(CT_JOINT, base=2) == exact(3 / 8, abs=1e-15)
    # and in nats
    assert mutual_information(CT_JOINT) == pytest.approx(3 / 8 * LOG2, abs=1e-15)


def test_conditioning_can_raise_the_entropy_for_one_value():
    # Cover & Thomas's Example 2.2.1 again: H(X | Y = 3) = 2 bits > H(X) = 7/4 bits, while the
    # average H(X | Y) = 11/8 is below H(X).
    row = CT_TABLE[2] / CT_TABLE[2].sum()
    assert entropy(row, base=2) == pytest.approx(2, abs=1e-15)
    assert entropy(row, base=2) > entropy(CT_JOINT.sum(axis=1), base=2)
    assert conditional_entropy(CT_JOINT.T, base=2) < entropy(CT_JOINT.sum(axis=1), base=2)


# --- identities and bounds -----------------------------------------------------------------------
@settings(max_examples=150, deadline=None)
@given(tables())
def test_identities_among_the_five_quantities(p):
    px, py = p.sum(axis=1), p.sum(axis=0)
    h_x, h_y, h_xy = entropy(px), entropy(py), joint_entropy(p)
    h_y_x, h_x_y = conditional_entropy(p), conditional_entropy(p.T)
    mi = mutual_information(p)
    tol = 1e-12
    assert h_xy == pytest.approx(h_x + h_y_x, abs=tol) == pytest.approx(h_y + h_x_y, abs=tol)
    assert mi == pytest.approx(h_y - h_y_x, abs=tol) == pytest.approx(h_x - h_x_y, abs=tol)
    assert mi == pytest.approx(h_x + h_y - h_xy, abs=tol)
    assert mi == pytest.approx(mutual_information(p.T), abs=tol)           # symmetric
    # I = KL(p(x, y) || p(x) p(y)) = E_x KL(p(y | x) || p(y))
    assert mi == pytest.approx(kl_divergence(p.ravel(), np.outer(px, py).ravel()), abs=1e-10)
    expected_kl = sum(px[x] * kl_divergence(p[x] / px[x], py) for x in range(len(px))
                      if px[x] > 0)
    assert mi == pytest.approx(expected_kl, abs=1e-10)
    # bounds: never negative, conditioning never raises entropy on average
    assert mi >= 0 and h_y_x >= 0 and h_x_y >= 0
    assert h_y_x <= h_y + tol and h_x_y <= h_x + tol
    assert mi <= min(h_x, h_y) + tol
    assert max(h_x, h_y) - tol <= h_xy <= h_x + h_y + tol


@settings(max_examples=150, deadline=None)
@given(distributions(), distributions())
def test_independent_tables_give_exactly_zero(px, py):
    p = np.outer(px, py)
    assert mutual_information(p) == 0.0
    assert mutual_information(p.T, base=2) == 0.0
    assert conditional_entropy(p) == pytest.approx(entropy(py), abs=1e-12)
    assert joint_entropy(p) == pytest.approx(entropy(px) + entropy(py), abs=1e-12)


def test_independence_within_the_sum_tolerance():
    # a table that sums to 1 + 5e-7 (within the tolerance) and is a scaled product
    p = np.outer([0.3, 0.7], [0.5, 0.25, 0.25]) * (1 + 5e-7)
    assert mutual_information(p) == 0.0


def test_a_weak_dependence_is_not_rounded_away():
    # p = 1/4 + e [[1, -1], [-1, 1]] has uniform marginals and, exactly,
    # I = 2 (1/4 + e) log(1 + 4e) + 2 (1/4 - e) log(1 - 4e) (about 8 e^2 nats)
    for e in (1e-6, 1e-4, 1e-2):
        p = 0.25 + e * np.array([[1.0, -1.0], [-1.0, 1.0]])
        exact = 2 * (0.25 + e) * np.log1p(4 * e) + 2 * (0.25 - e) * np.log1p(-4 * e)
        assert mutual_information(p) == pytest.approx(exact, rel=1e-4)
    # the snap to 0 only catches departures far below that: relative 1e-10 per entry
    assert INDEPENDENCE_RTOL ** 2 < 1e-18


def test_a_function_of_x_and_a_copy():
    die_parity = np.zeros((6, 2))
    die_parity[np.arange(6), np.arange(1, 7) % 2] = 1 / 6     # Y = parity of the face
    assert conditional_entropy(die_parity) == 0.0                # Y is a function of X
    assert conditional_entropy(die_parity.T) == pytest.approx(np.log(3), abs=1e-15)
    assert mutual_information(die_parity, base=2) == pytest.approx(1.0, abs=1e-15)
    p = np.array([0.2, 0.3, 0.5])
    assert mutual_information(np.diag(p)) == pytest.approx(entropy(p), abs=1e-15)


def test_tiny_marginals_do_not_underflow():
    # p(x) p(y) = 1e-600 underflows to 0 although p(x, y) = 1e-300 > 0; the true value is the
    # entropy of either marginal, h(1e-300) = 1e-300 (ln 1e300 + 1) to double precision
    joint = np.array([[1.0, 0.0], [0.0, 1e-300]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        mi = mutual_information(joint)
    assert mi == pytest.approx(1e-300 * (300 * np.log(10) + 1), rel=1e-12)
    assert mi == pytest.approx(entropy(joint.sum(axis=0)), rel=1e-12)


def test_one_outcome_carries_nothing():
    assert joint_entropy([[1.0]]) == conditional_entropy([[1.0]]) == 0.0
    assert mutual_information([[1.0]]) == 0.0
    assert mutual_information([[0.25, 0.75]]) == 0.0  # X certain: nothing to share


def test_zeros_emit_no_warnings_and_results_are_floats():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for f in (joint_entropy, conditional_entropy, mutual_information):
            value = f([[0.5, 0.0], [0.0, 0.5]])
            assert type(value) is float and value == pytest.approx(np.log(2) * (f is not
                                                                                 conditional_entropy))
        assert conditional_entropy([[0.0, 0.0], [0.5, 0.5]]) == pytest.approx(np.log(2))


# --- bad input -------------------------------------------------------------------------------------
@pytest.mark.parametrize("joint, match", [
    ([0.5, 0.5], r"joint must be a 2-D table p\(x, y\).*got 1 dimension\(s\)"),
    (np.full((2, 2, 2), 1 / 8), "got 3 dimension"),
    (0.5, "joint must have at least one dimension"),
    (np.zeros((0, 3)), r"joint is empty \(shape \(0, 3\)\)"),
    ([[0.5, -0.1], [0.3, 0.3]], "joint has negative entries"),
    ([[0.5, np.nan], [0.25, 0.25]], "joint contains NaN or inf"),
    ([[0.5, np.inf], [0.25, 0.25]], "joint contains NaN or inf"),
    ([[3, 1], [0, 4]], r"must sum to 1 over all entries \(got 8\); .* joint / joint.sum\(\)"),
    ([[0.2, 0.2], [0.2, 0.2]], r"must sum to 1 over all entries \(got 0.8\)"),
    ([["a", "b"], ["c", "d"]], "joint must be an array of numbers"),
])
@pytest.mark.parametrize("f", [joint_entropy, conditional_entropy, mutual_information])
def test_bad_joint(f, joint, match):
    with pytest.raises(ValueError, match=match):
        f(joint)


def test_no_silent_normalization():
    with pytest.raises(ValueError, match="must sum to 1"):
        mutual_information([[1.0, 1.0], [1.0, 1.0]])
    mutual_information([[0.25, 0.25], [0.25, 0.25 + 5e-7]])  # within the 1e-6 tolerance


@pytest.mark.parametrize("base", [0, -2, 1, np.nan, np.inf])
@pytest.mark.parametrize("f", [joint_entropy, conditional_entropy, mutual_information])
def test_bad_base(f, base):
    with pytest.raises(ValueError, match="base must be a finite number > 0 and != 1"):
        f([[0.5, 0.0], [0.0, 0.5]], base=base)
