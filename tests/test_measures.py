"""entropy, cross_entropy, kl_divergence, js_divergence: cross-checks against scipy,
known values, invariants, axis handling and every error case."""
import warnings

import numpy as np
import pytest
import scipy.spatial.distance
import scipy.special
import scipy.stats
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from infoloss import cross_entropy, entropy, js_divergence, kl_divergence

LOG2 = np.log(2)


@st.composite
def distributions(draw, k=None, zeros=True):
    """A probability vector of length k (2..8), sometimes with exact zeros."""
    k = k or draw(st.integers(2, 8))
    low = 0.0 if zeros else 1e-3
    w = np.array(draw(st.lists(st.floats(low, 1.0), min_size=k, max_size=k)))
    if w.sum() < 1e-3:
        w[draw(st.integers(0, k - 1))] = 1.0
    return w / w.sum()


@st.composite
def pairs(draw, q_zeros=False):
    p = draw(distributions())
    return p, draw(distributions(k=len(p), zeros=q_zeros))


# --- cross-checks against scipy ---------------------------------------------------------------
@settings(max_examples=80, deadline=None)
@given(distributions(), st.sampled_from([None, 2, 10]))
def test_entropy_matches_scipy(p, base):
    np.testing.assert_allclose(entropy(p, base=base), scipy.stats.entropy(p, base=base), atol=1e-12)


@settings(max_examples=80, deadline=None)
@given(pairs())
def test_kl_matches_scipy_rel_entr_and_stats_entropy(pq):
    p, q = pq
    np.testing.assert_allclose(kl_divergence(p, q), scipy.special.rel_entr(p, q).sum(), atol=1e-12)
    np.testing.assert_allclose(kl_divergence(p, q, base=2), scipy.stats.entropy(p, q, base=2), atol=1e-12)


@settings(max_examples=80, deadline=None)
@given(pairs())
def test_cross_entropy_matches_scipy_xlogy(pq):
    p, q = pq
    np.testing.assert_allclose(cross_entropy(p, q), -scipy.special.xlogy(p, q).sum(), atol=1e-12)


@settings(max_examples=80, deadline=None)
@given(pairs(q_zeros=True), st.sampled_from([None, 2]))
def test_js_is_the_square_of_scipys_jensenshannon_distance(pq, base):
    p, q = pq
    # scipy's mixture (p + q) / 2 underflows to 0 at the smallest subnormal, and it returns inf
    assume(np.all(((p + q) / 2 > 0) | (p + q == 0)))
    expected = scipy.spatial.distance.jensenshannon(p, q, base=base) ** 2
    np.testing.assert_allclose(js_divergence(p, q, base=base), expected, atol=1e-10)


def test_js_survives_a_mixture_that_underflows():
    # hypothesis found (1, 0) against (1, 5e-324), where scipy's jensenshannon gives inf
    js = js_divergence([1.0, 0.0], [1.0, 5e-324])
    assert js == pytest.approx(0.0, abs=1e-300)


# --- known values ----------------------------------------------------------------------------
@pytest.mark.parametrize("p, bits", [
    ([0.5, 0.5], 1.0),                                         # a fair coin
    ([1 / 6] * 6, np.log2(6)),                                 # a fair die
    ([1 / 2, 1 / 4, 1 / 8, 1 / 8], 1.75),                      # Cover & Thomas (2006), Example 2.1.2
    ([1 / 2, 1 / 4, 1 / 8, 1 / 16] + [1 / 64] * 4, 2.0),       # the eight-horse race, ibid.
    ([0.9, 0.1], 0.4689955935892812),                          # -0.9 log2 0.9 - 0.1 log2 0.1
    ([1.0, 0.0, 0.0], 0.0),                                    # a sure outcome
])
def test_entropy_known_values(p, bits):
    assert entropy(p, base=2) == pytest.approx(bits, abs=1e-12)
    assert entropy(p) == pytest.approx(bits * LOG2, abs=1e-12)


def test_disjoint_supports():
    # KL is infinite where q = 0 < p (not 0, as source note 001 says); JS is log 2.
    p, q = [0.5, 0.5, 0.0, 0.0], [0.0, 0.0, 0.5, 0.5]
    assert kl_divergence(p, q) == np.inf
    assert cross_entropy(p, q) == np.inf
    assert js_divergence(p, q) == pytest.approx(LOG2)
    assert js_divergence(p, q, base=2) == pytest.approx(1.0)


def test_kl_of_two_coins_closed_form():
    # D(Bern(a) || Bern(b)) = a log(a/b) + (1-a) log((1-a)/(1-b)); Cover & Thomas Example 2.3.1.
    a, b = 0.3, 0.6
    expected = a * np.log(a / b) + (1 - a) * np.log((1 - a) / (1 - b))
    assert kl_divergence([a, 1 - a], [b, 1 - b]) == pytest.approx(expected, abs=1e-15)


# --- invariants ------------------------------------------------------------------------------
@settings(max_examples=80, deadline=None)
@given(pairs(q_zeros=True))
@example(pq=(np.array([0.0, 0.0, 1.0, 2.00656324e-66]), np.array([0.0, 0.0, 1.0, 6.35787939e-40])))
def test_invariants(pq):  # the example once gave KL = -1.2e-64 (rounding)
    p, q = pq
    kl = kl_divergence(p, q)
    assert kl >= 0
    assert kl_divergence(p, p) == pytest.approx(0, abs=1e-12)
    if np.isfinite(kl):
        assert cross_entropy(p, q) == pytest.approx(entropy(p) + kl, abs=1e-9)
    else:
        assert cross_entropy(p, q) == np.inf
    js = js_divergence(p, q)
    assert -1e-12 <= js <= LOG2 + 1e-12
    assert js == pytest.approx(js_divergence(q, p), abs=1e-12)
    assert entropy(p) <= np.log(len(p)) + 1e-12


# --- axes and broadcasting ---------------------------------------------------------------------
def test_batch_and_broadcasting():
    rng = np.random.default_rng(0)
    p = rng.dirichlet(np.ones(4), size=(3, 5))           # (3, 5, 4)
    q = rng.dirichlet(np.ones(4))                        # (4,) broadcasts
    assert entropy(p).shape == (3, 5)
    for f in (cross_entropy, kl_divergence, js_divergence):
        out = f(p, q)
        assert out.shape == (3, 5)
        np.testing.assert_allclose(out[1, 2], f(p[1, 2], q))


def test_axis_zero_equals_transposed_last_axis():
    rng = np.random.default_rng(1)
    p, q = rng.dirichlet(np.ones(3), size=4), rng.dirichlet(np.ones(3), size=4)
    for f in (cross_entropy, kl_divergence, js_divergence):
        np.testing.assert_allclose(f(p.T, q.T, axis=0), f(p, q))
    np.testing.assert_allclose(entropy(p.T, axis=0), entropy(p))


def test_zeros_emit_no_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        entropy([1.0, 0.0])
        cross_entropy([0.0, 1.0], [0.0, 1.0])
        kl_divergence([0.0, 1.0], [0.0, 1.0])
        kl_divergence([0.5, 0.5], [1.0, 0.0])
        js_divergence([1.0, 0.0], [0.0, 1.0])


# --- bad input -----------------------------------------------------------------------------------
@pytest.mark.parametrize("p, match", [
    ([0.5, -0.1, 0.6], "p has negative entries"),
    ([0.5, np.nan, 0.5], "p contains NaN or inf"),
    ([0.5, np.inf], "p contains NaN or inf"),
    ([0.5, 0.4], r"p must sum to 1 along axis -1 \(got sums in \[0.9, 0.9\]\); normalize"),
    ([], "p is empty along axis -1"),
    (0.5, "p must have at least one dimension"),
    (["a", "b"], "p must be an array of numbers"),
])
def test_bad_p(p, match):
    with pytest.raises(ValueError, match=match):
        entropy(p)


def test_no_silent_normalization():
    with pytest.raises(ValueError, match="must sum to 1"):
        entropy([1.0, 1.0])
    entropy([0.5, 0.5 + 5e-7])  # within the 1e-6 tolerance


@pytest.mark.parametrize("f", [cross_entropy, kl_divergence, js_divergence])
def test_bad_q_and_shapes(f):
    with pytest.raises(ValueError, match="q must sum to 1"):
        f([0.5, 0.5], [0.5, 0.6])
    with pytest.raises(ValueError, match="q has negative entries"):
        f([0.5, 0.5], [1.5, -0.5])
    with pytest.raises(ValueError, match=r"shape \(2,\) and q with shape \(3,\) do not broadcast"):
        f([0.5, 0.5], [1 / 3] * 3)


@pytest.mark.parametrize("base", [0, -2, 1, np.nan, np.inf])
def test_bad_base(base):
    with pytest.raises(ValueError, match="base must be a finite number > 0 and != 1"):
        entropy([0.5, 0.5], base=base)


def test_bad_axis():
    with pytest.raises(ValueError, match="axis=2 is out of range for p"):
        entropy([0.5, 0.5], axis=2)


# --- chapter 5: total variation, weighted JS, and how they bound each other ------------------
import itertools  # noqa: E402

from infoloss import total_variation_distance, weighted_js_divergence  # noqa: E402


def binary_entropy_nats(t):
    return float(entropy([t, 1 - t]))


def tv_by_events(p, q):
    """max over all 2^K events A of |p(A) - q(A)|: the definition, by brute force."""
    K = len(p)
    return max(abs(p[list(A)].sum() - q[list(A)].sum())
               for r in range(K + 1) for A in itertools.combinations(range(K), r))


@settings(max_examples=80, deadline=None)
@given(pairs(q_zeros=True))
def test_tv_matches_scipy_cityblock_overlap_and_events(pq):
    p, q = pq
    tv = total_variation_distance(p, q)
    # scipy's L1 (cityblock) distance is twice the total variation
    assert tv == pytest.approx(scipy.spatial.distance.cityblock(p, q) / 2, abs=1e-12)
    assert tv == pytest.approx(1 - np.minimum(p, q).sum(), abs=1e-12)
    assert tv == pytest.approx(tv_by_events(p, q), abs=1e-12)


@pytest.mark.parametrize("p, q, tv", [
    ([0.3, 0.7], [0.6, 0.4], 0.3),                     # two coins: |a - b|
    ([0.5, 0.5, 0.0, 0.0], [0.0, 0.0, 0.5, 0.5], 1.0),  # disjoint supports
    ([0.2, 0.3, 0.5], [0.2, 0.3, 0.5], 0.0),            # equal
    ([1.0, 0.0], [0.5, 0.5], 0.5),                      # the triangle counterexample's legs
])
def test_tv_known_values(p, q, tv):
    assert total_variation_distance(p, q) == pytest.approx(tv, abs=1e-15)
    assert total_variation_distance(q, p) == pytest.approx(tv, abs=1e-15)


@st.composite
def triples(draw):
    p = draw(distributions())
    return p, draw(distributions(k=len(p))), draw(distributions(k=len(p)))


@settings(max_examples=100, deadline=None)
@given(triples())
def test_tv_and_sqrt_js_obey_the_triangle_inequality(pqr):
    p, q, r = pqr
    tv = total_variation_distance
    assert tv(p, r) <= tv(p, q) + tv(q, r) + 1e-12
    d = lambda a, b: np.sqrt(js_divergence(a, b))  # Endres and Schindelin (2003): a metric
    assert d(p, r) <= d(p, q) + d(q, r) + 1e-9


def test_js_itself_breaks_the_triangle_inequality():
    # (1, 0) -> (1/2, 1/2) -> (0, 1): each leg is (3/4) log(4/3), the whole way log 2 (by hand)
    p, q, r = [1.0, 0.0], [0.5, 0.5], [0.0, 1.0]
    leg = 0.75 * np.log(4 / 3)
    assert js_divergence(p, q) == pytest.approx(leg, abs=1e-15)
    assert js_divergence(p, q) + js_divergence(q, r) < js_divergence(p, r)


def js_lower_bound(tv):
    """log 2 - h((1 + TV) / 2): the tightest lower bound on JS given TV (derived in chapter 5)."""
    return LOG2 - binary_entropy_nats((1 + tv) / 2)


@settings(max_examples=100, deadline=None)
@given(pairs(q_zeros=True))
def test_js_lies_between_its_tv_bounds(pq):
    p, q = pq
    tv, js = float(total_variation_distance(p, q)), float(js_divergence(p, q))
    assert tv ** 2 / 2 - 1e-12 <= js_lower_bound(min(tv, 1.0)) <= js + 1e-12
    assert js <= tv * LOG2 + 1e-12                      # Lin (1991)


@pytest.mark.parametrize("u", [0.0, 0.1, 0.5, 0.9, 1.0])
def test_the_tv_bounds_are_attained(u):
    # the lower bound by the "mirror" coins ((1+u)/2, (1-u)/2) and ((1-u)/2, (1+u)/2)
    p, q = [(1 + u) / 2, (1 - u) / 2], [(1 - u) / 2, (1 + u) / 2]
    assert js_divergence(p, q) == pytest.approx(js_lower_bound(u), abs=1e-15)
    # the upper bound when every outcome is shared equally or not at all: a fraction u moved
    p, q = [1 - u, u, 0.0], [1 - u, 0.0, u]
    assert js_divergence(p, q) == pytest.approx(u * LOG2, abs=1e-15)
    assert total_variation_distance(p, q) == pytest.approx(u, abs=1e-15)


def weighted_js_by_entropies(p, q, pi, base=None):
    """H(m) - pi H(p) - (1 - pi) H(q), with scipy's entropy: an independent formula."""
    m = pi * p + (1 - pi) * q
    H = lambda a: scipy.stats.entropy(a, base=base)
    return H(m) - pi * H(p) - (1 - pi) * H(q)


def mutual_information_of_the_coin(p, q, pi):
    """I(X; Z) = H(X) + H(Z) - H(X, Z) for Z ~ Bernoulli(pi) choosing p (Z = 1) or q (Z = 0)."""
    joint = np.concatenate([pi * p, (1 - pi) * q])   # the table P(x, z), flattened
    H = scipy.stats.entropy
    return H(pi * p + (1 - pi) * q) + H([pi, 1 - pi]) - H(joint)


@settings(max_examples=80, deadline=None)
@given(pairs(q_zeros=True), st.floats(0.0, 1.0), st.sampled_from([None, 2]))
def test_weighted_js_matches_the_entropy_form_and_the_mutual_information(pq, pi, base):
    p, q = pq
    got = weighted_js_divergence(p, q, pi, base=base)
    np.testing.assert_allclose(got, weighted_js_by_entropies(p, q, pi, base), atol=1e-12)
    scale = LOG2 if base == 2 else 1.0
    np.testing.assert_allclose(got * scale, mutual_information_of_the_coin(p, q, pi), atol=1e-12)
    assert -1e-15 <= got * scale <= binary_entropy_nats(pi) + 1e-12
    np.testing.assert_allclose(got, weighted_js_divergence(q, p, 1 - pi, base=base), atol=1e-12)


@settings(max_examples=50, deadline=None)
@given(pairs(q_zeros=True))
def test_weighted_js_at_one_half_is_js_and_scipys_distance_squared(pq):
    p, q = pq
    assume(np.all(((p + q) / 2 > 0) | (p + q == 0)))  # see the scipy underflow test above
    js = weighted_js_divergence(p, q, 0.5)
    np.testing.assert_allclose(js, js_divergence(p, q), atol=1e-14)
    np.testing.assert_allclose(js, scipy.spatial.distance.jensenshannon(p, q) ** 2, atol=1e-10)


@pytest.mark.parametrize("pi", [0.0, 0.1, 0.5, 0.75, 1.0])
def test_weighted_js_of_disjoint_supports_is_the_entropy_of_the_weights(pi):
    p, q = [0.5, 0.5, 0.0], [0.0, 0.0, 1.0]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        got = weighted_js_divergence(p, q, pi, base=2)
    assert got == pytest.approx(float(entropy([pi, 1 - pi], base=2)), abs=1e-15)


def test_weighted_js_survives_underflow():
    # 0.3 * 5e-324 is 0.0 in floating point: a mixture formed in linear space gives
    # 5e-324 * log(5e-324 / 0) = inf here (checked with scipy.special.rel_entr)
    got = weighted_js_divergence([1 - 5e-324, 5e-324], [1.0, 0.0], 0.3)
    assert np.isfinite(got) and got == pytest.approx(0, abs=1e-300)


def test_weighted_js_and_tv_batch_broadcast_and_axis():
    rng = np.random.default_rng(2)
    p = rng.dirichlet(np.ones(4), size=(3, 5))
    q = rng.dirichlet(np.ones(4))
    for f in (total_variation_distance, lambda a, b, **kw: weighted_js_divergence(a, b, 0.3, **kw)):
        out = f(p, q)
        assert out.shape == (3, 5)
        np.testing.assert_allclose(out[1, 2], f(p[1, 2], q))
        np.testing.assert_allclose(f(np.moveaxis(p, -1, 0), q[:, None, None], axis=0), out)
    assert weighted_js_divergence(p, q, 0.0).shape == (3, 5)
    assert isinstance(weighted_js_divergence([0.5, 0.5], [1.0, 0.0], 1.0), float)


@pytest.mark.parametrize("pi, match", [
    (-0.1, r"pi must be in \[0, 1\]"),
    (1.5, r"pi must be in \[0, 1\]"),
    (np.nan, r"pi must be in \[0, 1\]"),
    ([0.3, 0.7], "pi must be a single number"),
    ("half", "pi must be a single number"),
])
def test_bad_pi(pi, match):
    with pytest.raises(ValueError, match=match):
        weighted_js_divergence([0.5, 0.5], [0.9, 0.1], pi)


@pytest.mark.parametrize("f", [total_variation_distance,
                               lambda p, q: weighted_js_divergence(p, q, 0.5)])
def test_new_measures_reject_bad_distributions(f):
    with pytest.raises(ValueError, match="q must sum to 1"):
        f([0.5, 0.5], [0.5, 0.6])
    with pytest.raises(ValueError, match="p has negative entries"):
        f([1.5, -0.5], [0.5, 0.5])
    with pytest.raises(ValueError, match=r"shape \(2,\) and q with shape \(3,\) do not broadcast"):
        f([0.5, 0.5], [1 / 3] * 3)


def test_weighted_js_bad_base():
    with pytest.raises(ValueError, match="base must be a finite number > 0 and != 1"):
        weighted_js_divergence([0.5, 0.5], [0.9, 0.1], 0.5, base=1)
