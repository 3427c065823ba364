"""gaussian_kl_divergence, mvn_kl_divergence and fit_gaussian: numerical integration, the
univariate and diagonal cases, sampling, an explicit-inverse formula, moment matching, and the
reverse fit against a brute-force grid search."""

import numpy as np
import pytest
import scipy.integrate
import scipy.optimize
import scipy.special
import scipy.stats
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from infoloss import fit_gaussian, gaussian_kl_divergence, mvn_kl_divergence

means = st.floats(-5, 5)
sigmas = st.floats(0.2, 5)


# --- gaussian_kl_divergence -------------------------------------------------------------------------
def kl_by_quadrature(mu_p, sigma_p, mu_q, sigma_q):
    """The integral of p log(p / q) by scipy.integrate.quad over p's mass (40 sigma each side)."""
    p, q = scipy.stats.norm(mu_p, sigma_p), scipy.stats.norm(mu_q, sigma_q)
    value, _ = scipy.integrate.quad(lambda x: p.pdf(x) * (p.logpdf(x) - q.logpdf(x)),
                                    mu_p - 40 * sigma_p, mu_p + 40 * sigma_p, points=[mu_p],
                                    limit=200, epsabs=1e-12, epsrel=1e-10)
    return value


@settings(max_examples=60, deadline=None)
@given(means, sigmas, means, sigmas)
def test_closed_form_matches_numerical_integration(mu_p, sigma_p, mu_q, sigma_q):
    expected = kl_by_quadrature(mu_p, sigma_p, mu_q, sigma_q)
    assert np.isclose(gaussian_kl_divergence(mu_p, sigma_p, mu_q, sigma_q), expected,
                      rtol=1e-7, atol=1e-9)


def test_equal_variances_give_half_the_squared_standardized_distance():
    # closed form: log 1 + (s^2 + d^2) / (2 s^2) - 1/2 = d^2 / (2 s^2)
    d, s = np.array([0.0, 1.0, 3.0, -4.0]), np.array([1.0, 2.0, 0.5, 4.0])
    np.testing.assert_allclose(gaussian_kl_divergence(0.0, s, d, s), d**2 / (2 * s**2), rtol=1e-14)


def test_equal_means_depend_only_on_the_ratio_of_the_standard_deviations():
    # closed form with r = sigma_p / sigma_q: (r^2 - 1 - log r^2) / 2
    r = np.array([0.1, 0.5, 1.0, 2.0, 10.0])
    expected = (r**2 - 1 - np.log(r**2)) / 2
    np.testing.assert_allclose(gaussian_kl_divergence(0.0, r, 0.0, 1.0), expected, rtol=1e-14)
    np.testing.assert_allclose(gaussian_kl_divergence(3.0, 7 * r, 3.0, 7.0), expected, rtol=1e-13)


@settings(max_examples=40, deadline=None)
@given(means, sigmas, means, sigmas, st.floats(-10, 10), st.floats(0.1, 10))
def test_invariant_under_the_same_affine_map_of_both(mu_p, sigma_p, mu_q, sigma_q, b, a):
    moved = gaussian_kl_divergence(a * mu_p + b, a * sigma_p, a * mu_q + b, a * sigma_q)
    assert np.isclose(moved, gaussian_kl_divergence(mu_p, sigma_p, mu_q, sigma_q),
                      rtol=1e-9, atol=1e-12)


def test_zero_only_for_equal_gaussians_and_not_symmetric():
    assert gaussian_kl_divergence(1.5, 0.3, 1.5, 0.3) == 0.0
    assert gaussian_kl_divergence(0.0, 1.0, 1e-4, 1.0) > 0
    assert gaussian_kl_divergence(0.0, 1.0, 0.0, 1.0 + 1e-4) > 0
    # the variance terms are not symmetric: KL(N(0,1)||N(0,4)) = log 2 - 3/8, reverse = 3/2 - log 2
    assert np.isclose(gaussian_kl_divergence(0, 1, 0, 2), np.log(2) - 3 / 8)
    assert np.isclose(gaussian_kl_divergence(0, 2, 0, 1), 3 / 2 - np.log(2))


def test_broadcasting_and_scalar_output():
    out = gaussian_kl_divergence(np.zeros((3, 1)), 1.0, np.arange(4.0), np.ones(4))
    assert out.shape == (3, 4)
    np.testing.assert_allclose(out[0], np.arange(4.0) ** 2 / 2)
    scalar = gaussian_kl_divergence(0.0, 1.0, 1.0, 1.0)
    assert isinstance(scalar, np.floating) and scalar == 0.5


def test_extreme_standard_deviations_stay_finite():
    with np.errstate(all="raise"):
        # sigma^2 would overflow; the ratio does not. Closed form: equal means and sigmas.
        assert gaussian_kl_divergence(0.0, 1e200, 0.0, 1e200) == 0.0
        assert np.isclose(gaussian_kl_divergence(0.0, 1e-200, 1e-200, 1e-200), 0.5)
    # a relative difference of 1e-9 in sigma gives about 2e-18, never a negative number
    assert 0.0 <= gaussian_kl_divergence(0.0, 1.0, 0.0, 1.0 + 1e-9) < 1e-16


@pytest.mark.parametrize("args, match", [
    ((0.0, 0.0, 0.0, 1.0), "sigma_p must be > 0"),
    ((0.0, 1.0, 0.0, -1.0), "sigma_q must be > 0"),
    ((0.0, [1.0, -2.0], 0.0, 1.0), "sigma_p must be > 0"),
    ((np.nan, 1.0, 0.0, 1.0), "mu_p contains NaN or inf"),
    ((0.0, 1.0, np.inf, 1.0), "mu_q contains NaN or inf"),
    ((0.0, np.inf, 0.0, 1.0), "sigma_p contains NaN or inf"),
    (([0.0, 1.0], 1.0, [0.0, 1.0, 2.0], 1.0), "do not broadcast"),
    (("a", 1.0, 0.0, 1.0), "mu_p must be a number"),
])
def test_gaussian_kl_bad_input(args, match):
    with pytest.raises(ValueError, match=match):
        gaussian_kl_divergence(*args)


# --- mvn_kl_divergence --------------------------------------------------------------------------------
@st.composite
def gaussians(draw, d=None):
    """A mean (d,) and a well-conditioned covariance A A^T + 0.1 I (d, d)."""
    d = d or draw(st.integers(1, 4))
    mean = draw(hnp.arrays(float, d, elements=st.floats(-3, 3)))
    a = draw(hnp.arrays(float, (d, d), elements=st.floats(-2, 2)))
    return mean, a @ a.T + 0.1 * np.eye(d)


def kl_with_inverses(mean_p, cov_p, mean_q, cov_q):
    """The textbook formula with an explicit inverse and slogdet (an independent computation)."""
    inv_q = np.linalg.inv(cov_q)
    diff = mean_q - mean_p
    return 0.5 * (np.trace(inv_q @ cov_p) + diff @ inv_q @ diff - len(mean_p)
                  + np.linalg.slogdet(cov_q)[1] - np.linalg.slogdet(cov_p)[1])


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_mvn_matches_the_explicit_inverse_formula(data):
    d = data.draw(st.integers(1, 4))
    (mp, cp), (mq, cq) = data.draw(gaussians(d)), data.draw(gaussians(d))
    assert np.isclose(mvn_kl_divergence(mp, cp, mq, cq), kl_with_inverses(mp, cp, mq, cq),
                      rtol=1e-8, atol=1e-10)


@settings(max_examples=60, deadline=None)
@given(means, sigmas, means, sigmas)
def test_one_dimension_is_the_univariate_formula(mu_p, sigma_p, mu_q, sigma_q):
    assert np.isclose(mvn_kl_divergence([mu_p], [[sigma_p**2]], [mu_q], [[sigma_q**2]]),
                      gaussian_kl_divergence(mu_p, sigma_p, mu_q, sigma_q), rtol=1e-10, atol=1e-12)


def test_diagonal_covariances_add_up_the_coordinates():
    rng = np.random.default_rng(0)
    mp, mq = rng.normal(size=5), rng.normal(size=5)
    sp_, sq = rng.uniform(0.3, 3, 5), rng.uniform(0.3, 3, 5)
    assert np.isclose(mvn_kl_divergence(mp, np.diag(sp_**2), mq, np.diag(sq**2)),
                      gaussian_kl_divergence(mp, sp_, mq, sq).sum(), rtol=1e-12)


def test_the_vae_term():
    # Kingma and Welling (2014), appendix B: -KL = 1/2 sum(1 + log sigma^2 - mu^2 - sigma^2)
    rng = np.random.default_rng(1)
    mu, log_var = rng.normal(size=(6, 8)), rng.normal(size=(6, 8))
    vae = 0.5 * np.sum(mu**2 + np.exp(log_var) - 1 - log_var, axis=-1)
    covs = np.exp(log_var)[..., None] * np.eye(8)
    np.testing.assert_allclose(mvn_kl_divergence(mu, covs, np.zeros(8), np.eye(8)), vae, rtol=1e-12)


def test_mvn_matches_a_monte_carlo_estimate():
    # E_p[log p(X) - log q(X)] from 200 000 samples of p, with scipy's densities; 5 standard errors
    rng = np.random.default_rng(2)
    mp, mq = np.array([0.0, 1.0, -1.0]), np.array([0.5, 0.0, 0.0])
    a, b = rng.normal(size=(3, 3)), rng.normal(size=(3, 3))
    cp, cq = a @ a.T + 0.5 * np.eye(3), b @ b.T + 0.5 * np.eye(3)
    p, q = scipy.stats.multivariate_normal(mp, cp), scipy.stats.multivariate_normal(mq, cq)
    x = p.rvs(size=200_000, random_state=rng)
    log_ratio = p.logpdf(x) - q.logpdf(x)
    se = log_ratio.std() / np.sqrt(len(x))
    assert abs(mvn_kl_divergence(mp, cp, mq, cq) - log_ratio.mean()) < 5 * se


@settings(max_examples=30, deadline=None)
@given(st.data())
def test_mvn_invariant_under_an_invertible_affine_map(data):
    d = data.draw(st.integers(1, 3))
    (mp, cp), (mq, cq) = data.draw(gaussians(d)), data.draw(gaussians(d))
    a = data.draw(hnp.arrays(float, (d, d), elements=st.floats(-2, 2))) + 3 * np.eye(d)
    b = data.draw(hnp.arrays(float, d, elements=st.floats(-5, 5)))
    moved = mvn_kl_divergence(a @ mp + b, a @ cp @ a.T, a @ mq + b, a @ cq @ a.T)
    assert np.isclose(moved, mvn_kl_divergence(mp, cp, mq, cq), rtol=1e-6, atol=1e-8)


def test_mvn_zero_for_equal_and_positive_otherwise():
    cov = np.array([[2.0, 0.5], [0.5, 1.0]])
    assert mvn_kl_divergence([1.0, 2.0], cov, [1.0, 2.0], cov) == 0.0
    assert mvn_kl_divergence([1.0, 2.0], cov, [1.0, 2.001], cov) > 0
    assert mvn_kl_divergence([1.0, 2.0], cov, [1.0, 2.0], cov.T + 1e-3 * np.eye(2)) > 0


def test_mvn_batches_broadcast():
    rng = np.random.default_rng(3)
    means_p = rng.normal(size=(4, 1, 2))
    means_q = rng.normal(size=(1, 3, 2))
    cov_q = np.array([[1.0, 0.3], [0.3, 2.0]])
    out = mvn_kl_divergence(means_p, np.eye(2), means_q, cov_q)
    assert out.shape == (4, 3)
    for i in range(4):
        for j in range(3):
            assert np.isclose(out[i, j], kl_with_inverses(means_p[i, 0], np.eye(2),
                                                          means_q[0, j], cov_q))
    assert isinstance(mvn_kl_divergence([0.0], [[1.0]], [1.0], [[1.0]]), np.floating)


GOOD_M, GOOD_C = np.zeros(2), np.eye(2)


@pytest.mark.parametrize("args, match", [
    ((GOOD_M, [[1.0, 0.5], [0.0, 1.0]], GOOD_M, GOOD_C), "cov_p is not symmetric"),
    ((GOOD_M, GOOD_C, GOOD_M, [[1.0, 2.0], [2.0, 1.0]]), "cov_q is not positive definite"),
    ((GOOD_M, [[1.0, 1.0], [1.0, 1.0]], GOOD_M, GOOD_C), "cov_p is not positive definite"),
    ((GOOD_M, -GOOD_C, GOOD_M, GOOD_C), "cov_p is not positive definite"),
    ((np.zeros(3), GOOD_C, GOOD_M, GOOD_C), "the dimension d differs"),
    ((GOOD_M, GOOD_C, GOOD_M, np.eye(3)), "the dimension d differs"),
    ((0.0, GOOD_C, GOOD_M, GOOD_C), r"mean_p must have shape \(..., d\)"),
    ((GOOD_M, np.ones(2), GOOD_M, GOOD_C), r"cov_p must have shape \(..., d, d\)"),
    ((GOOD_M, np.ones((2, 3)), GOOD_M, GOOD_C), r"cov_p must have shape \(..., d, d\)"),
    (([np.nan, 0.0], GOOD_C, GOOD_M, GOOD_C), "mean_p contains NaN or inf"),
    ((GOOD_M, GOOD_C, GOOD_M, [[np.inf, 0.0], [0.0, 1.0]]), "cov_q contains NaN or inf"),
    ((np.zeros((3, 2)), GOOD_C, np.zeros((4, 2)), GOOD_C), "batch shapes .* do not broadcast"),
])
def test_mvn_bad_input(args, match):
    with pytest.raises(ValueError, match=match):
        mvn_kl_divergence(*args)


# --- fit_gaussian ---------------------------------------------------------------------------------------
X = np.linspace(-10, 10, 801)


def mixture(x, mu0, weight=0.5):
    """weight N(-mu0, 1) + (1 - weight) N(mu0, 1)."""
    return (weight * scipy.stats.norm.pdf(x, -mu0, 1)
            + (1 - weight) * scipy.stats.norm.pdf(x, mu0, 1))


@settings(max_examples=40, deadline=None)
@given(hnp.arrays(float, 801, elements=st.floats(0.0, 1.0)))
def test_forward_fit_is_moment_matching(weights):
    weights[[100, 700]] += 0.5              # never all on one grid point (that raises)
    density = weights / (weights.sum() * (X[1] - X[0]))
    mu, sigma = fit_gaussian(X, density, direction="forward")
    assert np.isclose(mu, np.average(X, weights=density), atol=1e-12)
    assert np.isclose(sigma**2, np.cov(X, aweights=density, bias=True), rtol=1e-9)


def test_forward_fit_minimizes_the_forward_divergence():
    # an optimizer on -sum P log q (the forward KL up to the constant -H(P)) finds the moments
    density = mixture(X, 2.0, weight=0.3)
    P = density / density.sum()

    def cross_entropy(theta):
        return -np.sum(P * scipy.stats.norm.logpdf(X, theta[0], np.exp(theta[1])))

    res = scipy.optimize.minimize(cross_entropy, [1.0, 0.0], method="BFGS", options={"gtol": 1e-10})
    mu, sigma = fit_gaussian(X, density, direction="forward")
    assert np.isclose(mu, res.x[0], atol=1e-6) and np.isclose(sigma, np.exp(res.x[1]), atol=1e-6)


@pytest.mark.parametrize("mu0", [0.0, 1.0, 2.0, 3.0, 4.0])
def test_forward_fit_of_the_mixture_has_the_mixture_moments(mu0):
    # closed form: mean 0, variance 1 + mu0^2 (half the mass at each of +-mu0, variance 1 each)
    mu, sigma = fit_gaussian(X, mixture(X, mu0), direction="forward")
    assert abs(mu) < 1e-12 and np.isclose(sigma, np.sqrt(1 + mu0**2), rtol=1e-9)


@settings(max_examples=20, deadline=None)
@given(st.floats(-3, 3), st.floats(0.5, 2.0))
def test_both_fits_recover_a_gaussian(mu, sigma):
    x = np.linspace(-15, 15, 601)   # 6 sigma of margin, no underflow: the density is > 0
    density = scipy.stats.norm.pdf(x, mu, sigma)
    np.testing.assert_allclose(fit_gaussian(x, density, direction="forward"), (mu, sigma),
                               atol=1e-6)
    np.testing.assert_allclose(fit_gaussian(x, density, direction="reverse"), (mu, sigma),
                               atol=1e-6)


def reverse_kl_brute_force(x, density, n_mu=321, n_sigma=201):
    """The reverse objective on a fine (mu, log sigma) grid, written independently (scipy's
    normal density, normalized on the grid, and rel_entr): the grid, the table, its argmin."""
    P = density / density.sum()
    mus = np.linspace(x[0], x[-1], n_mu)
    sigmas = np.geomspace(x[1] - x[0], x[-1] - x[0], n_sigma)
    table = np.empty((n_mu, n_sigma))
    for i, m in enumerate(mus):
        Q = scipy.stats.norm.pdf(x[None, :], m, sigmas[:, None])
        Q /= Q.sum(axis=1, keepdims=True)
        table[i] = scipy.special.rel_entr(Q, P).sum(axis=1)
    i, j = np.unravel_index(np.argmin(table), table.shape)
    return mus, sigmas, table, (mus[i], sigmas[j], table[i, j])


def reverse_kl(x, density, mu, sigma):
    P = density / density.sum()
    Q = scipy.stats.norm.pdf(x, mu, sigma)
    Q /= Q.sum()
    return scipy.special.rel_entr(Q, P).sum()


DENSITIES = {
    "mixture 0.5": (X, mixture(X, 0.5)),
    "mixture 1.5": (X, mixture(X, 1.5)),
    "mixture 2.6 (two local minima, central best)": (X, mixture(X, 2.6)),
    "mixture 3.0 (two local minima, one-mode best)": (X, mixture(X, 3.0)),
    "mixture 4.0": (X, mixture(X, 4.0)),
    "unequal weights 0.3 / 0.7": (X, mixture(X, 2.5, weight=0.3)),
    "three modes": (X, (scipy.stats.norm.pdf(X, -5, 0.8) + scipy.stats.norm.pdf(X, 0, 1.5)
                        + 2 * scipy.stats.norm.pdf(X, 5, 0.6)) / 4),
    "student t (heavy tails)": (X, scipy.stats.t.pdf(X, df=3) / (scipy.stats.t.pdf(X, df=3).sum()
                                                                 * (X[1] - X[0]))),
    "skew normal (skewed)": (X, scipy.stats.skewnorm.pdf(X, 4.0, loc=-1.0, scale=2.0)),
}


@pytest.mark.parametrize("name", sorted(DENSITIES))
def test_reverse_fit_is_the_global_minimum_of_a_brute_force_search(name):
    x, density = DENSITIES[name]
    mus, sigmas, _, (mu_b, sigma_b, kl_b) = reverse_kl_brute_force(x, density)
    mu, sigma = fit_gaussian(x, density, direction="reverse")
    kl_fit = reverse_kl(x, density, mu, sigma)
    assert kl_fit <= kl_b + 1e-12                      # at least as good as every grid point
    assert kl_b - kl_fit < 1e-3                        # and the grid is fine enough to be close
    symmetric = np.allclose(density, density[::-1])
    d_mu = mus[1] - mus[0]
    assert abs((abs(mu) if symmetric else mu) - (abs(mu_b) if symmetric else mu_b)) <= 2 * d_mu
    assert abs(np.log(sigma / sigma_b)) <= 2 * np.log(sigmas[1] / sigmas[0])


def test_reverse_fit_switches_modes_near_the_separation_found_in_the_book():
    # Provenance: chapter 4 finds, with the continuous objective (trapezoid rule in q's
    # standardized variable, checked against scipy.integrate.quad), that the one-mode fit becomes
    # the global minimum at mu0 = 2.800; below it the fit is central.
    mu_low, sigma_low = fit_gaussian(X, mixture(X, 2.78), direction="reverse")
    mu_high, sigma_high = fit_gaussian(X, mixture(X, 2.83), direction="reverse")
    assert abs(mu_low) < 1e-6 and sigma_low > 2.5
    assert 2.7 < mu_high < 2.83 and 1.0 < sigma_high < 1.1


def test_reverse_fit_ties_go_to_the_larger_mean():
    mu, _ = fit_gaussian(X, mixture(X, 3.5), direction="reverse")
    assert mu > 3
    mu_flipped, _ = fit_gaussian(X, mixture(X, 3.5)[::-1], direction="reverse")
    assert np.isclose(mu_flipped, mu, atol=1e-6)


def test_a_density_that_underflows_to_zero_is_refused_by_the_reverse_fit():
    x = np.linspace(-40, 40, 801)                      # exp(-40^2 / 2) underflows to 0
    with pytest.raises(ValueError, match="values that underflow to 0 count"):
        fit_gaussian(x, scipy.stats.norm.pdf(x), direction="reverse")
    np.testing.assert_allclose(fit_gaussian(x, scipy.stats.norm.pdf(x), direction="forward"),
                               (0.0, 1.0), atol=1e-9)


def test_the_advice_of_the_underflow_error_gives_a_fit():
    # restricted to where N(0, 1) does not underflow, the reverse fit recovers it
    x = np.linspace(-37, 37, 801)
    assert (scipy.stats.norm.pdf(x) > 0).all()
    np.testing.assert_allclose(fit_gaussian(x, scipy.stats.norm.pdf(x), direction="reverse"),
                               (0.0, 1.0), atol=1e-6)


@pytest.mark.parametrize("x, density", [
    # uniform on [0, 1] on a grid that it fills (the exercise of chapter 4): on the grid a flat
    # Q has divergence 0, so the search ends at a huge sigma (about 4000 before this check)
    (np.linspace(0, 1, 1001), np.full(1001, 1 / 1.001)),
    (np.linspace(-3, 5, 81), np.full(81, 1 / 8.1)),
    # gamma(2, scale 2) is 0 below 0; cut at 0.05 its best discretized Gaussian (mu 2.58,
    # sigma 3.52) puts 23% of its mass below the grid
    (np.linspace(0.05, 30, 600), scipy.stats.gamma.pdf(np.linspace(0.05, 30, 600), a=2.0,
                                                       scale=2.0)),
])
def test_the_reverse_fit_refuses_a_gaussian_that_spills_out_of_the_grid(x, density):
    with pytest.raises(ValueError, match="of its mass outside the grid"):
        fit_gaussian(x, density, direction="reverse")
    fit_gaussian(x, density, direction="forward")          # the forward fit is well defined


def test_a_fit_just_inside_the_outside_mass_tolerance_is_returned():
    # N(0, 1) on [-2.6, 2.6] (cells to +-2.605): 0.92% of the fit's mass is outside, under 1%;
    # on [-2.5, 2.5] it is 1.2% and the fit raises. Both densities integrate to 1 within 1%
    # once renormalized on the grid, and the discretized fit is then N(0, 1) exactly.
    for half_width, ok in [(2.6, True), (2.5, False)]:
        x = np.linspace(-half_width, half_width, 521)
        density = scipy.stats.norm.pdf(x) / (scipy.stats.norm.pdf(x).sum() * (x[1] - x[0]))
        if ok:
            np.testing.assert_allclose(fit_gaussian(x, density, direction="reverse"), (0, 1),
                                       atol=1e-6)
        else:
            with pytest.raises(ValueError, match="outside the grid"):
                fit_gaussian(x, density, direction="reverse")


def test_a_density_that_integrates_to_one_within_the_tolerance_is_accepted():
    density = scipy.stats.norm.pdf(X) * 1.005                 # 0.5% off
    np.testing.assert_allclose(fit_gaussian(X, density, direction="forward"), (0.0, 1.0),
                               atol=1e-8)


GOOD_P = scipy.stats.norm.pdf(X)


@pytest.mark.parametrize("x, density, direction, match", [
    (X, GOOD_P, "backward", "direction must be 'forward'"),
    (X, GOOD_P, "Forward", "direction must be 'forward'"),
    (X[:, None], GOOD_P, "forward", "x must be a 1-D grid"),
    (X[:2], GOOD_P[:2], "forward", "x must be a 1-D grid of at least 3 points"),
    (X[::-1], GOOD_P, "forward", "x must be strictly increasing"),
    (np.r_[X[:400], X[401:], 10.5], GOOD_P, "forward", "x must be evenly spaced"),
    (np.r_[X[:-1], np.inf], GOOD_P, "forward", "x contains NaN or inf"),
    (X, GOOD_P[:-1], "forward", "density has shape"),
    (X, GOOD_P - 0.01, "forward", "density has negative entries"),
    (X, np.r_[np.nan, GOOD_P[1:]], "reverse", "density contains NaN or inf"),
    (X, 2 * GOOD_P, "forward", "density integrates to 2"),
    (X, np.zeros_like(X), "forward", "density integrates to 0"),
    (X, np.where(np.arange(801) == 400, 1 / (X[1] - X[0]), 0.0), "forward",
     "concentrated on a single grid point"),
    (X, np.where(np.abs(X) < 12, GOOD_P, 0.0) * (np.abs(X) < 9), "reverse", "density is 0"),
])
def test_fit_gaussian_bad_input(x, density, direction, match):
    with pytest.raises(ValueError, match=match):
        fit_gaussian(x, density, direction=direction)
