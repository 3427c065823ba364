"""The numerics behind the chapter-5 explorers: JS, its derivative, TV and KL between two
Gaussians, against numerical integration (scipy.integrate.quad, mpmath) and closed forms."""
import mpmath
import numpy as np
import pytest
import scipy.integrate
from scipy.stats import norm

from infoloss.explorers.js_divergence import (gan_data, gaussian_kl, gaussian_tv,
                                              js_shift_data, shifted_gaussians)

LOG2 = np.log(2)


def js_by_quad(shift, sigma_p, sigma_q):
    """½ KL(p‖m) + ½ KL(q‖m) by adaptive quadrature, split at both means."""
    def integrand(x):
        lp, lq = norm.logpdf(x, 0, sigma_p), norm.logpdf(x, shift, sigma_q)
        lm = np.logaddexp(lp, lq) - LOG2
        return 0.5 * (np.exp(lp) * (lp - lm) + np.exp(lq) * (lq - lm))
    reach = 20 * max(sigma_p, sigma_q)
    return scipy.integrate.quad(integrand, -reach, shift + reach, points=[0, shift],
                                limit=200, epsabs=1e-14)[0]


@pytest.mark.parametrize("shift", [0.0, 0.3, 1.0, 2.5, 5.0])
@pytest.mark.parametrize("sigma_p, sigma_q", [(1.0, 1.0), (1.0, 0.5), (1.0, 2.0), (0.25, 0.25)])
def test_js_and_tv_match_quadrature(shift, sigma_p, sigma_q):
    got = shifted_gaussians([shift], sigma_p=sigma_p, sigma_q=sigma_q)
    assert got["js"][0] == pytest.approx(js_by_quad(shift, sigma_p, sigma_q), abs=1e-10)
    tv_quad = scipy.integrate.quad(
        lambda x: 0.5 * abs(norm.pdf(x, 0, sigma_p) - norm.pdf(x, shift, sigma_q)),
        -30, 30, points=[0, shift], limit=500, epsabs=1e-13)[0]
    assert got["tv"][0] == pytest.approx(tv_quad, abs=1e-8)
    assert 0 <= got["js"][0] <= got["tv"][0] * LOG2 + 1e-12       # Lin's bound holds here too


@pytest.mark.parametrize("shift, sigma", [(0.5, 1.0), (2.0, 0.5), (1.5, 0.25)])
def test_equal_widths_tv_closed_form_and_js_derivative(shift, sigma):
    # equal widths cross once, at shift / 2: TV = 2 Φ(shift / 2σ) − 1
    assert gaussian_tv(0.0, sigma, shift, sigma) == pytest.approx(
        2 * norm.cdf(shift / (2 * sigma)) - 1, abs=1e-15)
    h = 1e-5
    fd = np.diff(shifted_gaussians([shift - h, shift + h], sigma_p=sigma, sigma_q=sigma)["js"])
    got = shifted_gaussians([shift], sigma_p=sigma, sigma_q=sigma)["djs"][0]
    assert got == pytest.approx(fd[0] / (2 * h), rel=1e-6)


@pytest.mark.parametrize("shift, sigma", [(4.0, 0.25), (6.0, 0.25), (6.0, 0.5)])
def test_the_vanishing_derivative_is_computed_accurately(shift, sigma):
    # reference: dJS/dθ = −½ ∫ ∂q/∂θ log(1 + p/q) dx in 40-digit arithmetic (mpmath)
    mpmath.mp.dps = 40
    t, s = mpmath.mpf(shift), mpmath.mpf(sigma)
    p, q = (lambda x: mpmath.npdf(x, 0, s)), (lambda x: mpmath.npdf(x, t, s))
    exact = mpmath.quad(lambda x: -q(x) * (x - t) / s ** 2 * mpmath.log(1 + p(x) / q(x)) / 2,
                        [-mpmath.inf, 0, t / 2, t, mpmath.inf])
    got = shifted_gaussians([shift], sigma_p=sigma, sigma_q=sigma)["djs"][0]
    assert 0 < got < 1e-7 and got == pytest.approx(float(exact), rel=1e-6)


@pytest.mark.parametrize("sigma_p, sigma_q", [(1.0, 1.0), (1.0, 0.5), (0.25, 0.25)])
def test_the_derivative_is_exactly_zero_at_no_shift(sigma_p, sigma_q):
    # reflecting x -> -x maps the pair at -θ to the pair at θ, so JS is even in θ and its
    # derivative at θ = 0 is 0; the quadrature alone leaves rounding noise of about 1e-17
    got = shifted_gaussians([-0.7, 0.0, 0.7], sigma_p=sigma_p, sigma_q=sigma_q)
    assert got["djs"][1] == 0.0
    assert got["js"][0] == pytest.approx(got["js"][2], abs=1e-12)
    assert got["djs"][0] == pytest.approx(-got["djs"][2], rel=1e-8)


def test_scale_invariance_and_the_saturation():
    # JS depends on shift / sigma only; far apart it reaches log 2 and TV reaches 1
    a = shifted_gaussians([1.0, 3.0], sigma_p=0.5, sigma_q=0.5)
    b = shifted_gaussians([2.0, 6.0], sigma_p=1.0, sigma_q=1.0)
    np.testing.assert_allclose(a["js"], b["js"], atol=1e-12)
    np.testing.assert_allclose(a["djs"], 2 * b["djs"], rtol=1e-8)   # d/dθ scales by 1/σ
    far = shifted_gaussians([40.0])
    assert far["js"][0] == pytest.approx(LOG2, abs=1e-12) and far["tv"][0] == pytest.approx(1)


def test_gaussian_kl_closed_form_against_quadrature():
    mu_p, s_p, mu_q, s_q = 0.3, 0.8, -1.0, 1.7
    quad = scipy.integrate.quad(
        lambda x: norm.pdf(x, mu_p, s_p) * (norm.logpdf(x, mu_p, s_p) - norm.logpdf(x, mu_q, s_q)),
        -np.inf, np.inf)[0]
    assert gaussian_kl(mu_p, s_p, mu_q, s_q) == pytest.approx(quad, abs=1e-10)
    got = shifted_gaussians([2.0], sigma_q=0.5)
    assert got["kl_pq"][0] == pytest.approx(gaussian_kl(0.0, 1.0, 2.0, 0.5))
    assert got["kl_qp"][0] == pytest.approx(gaussian_kl(2.0, 0.5, 0.0, 1.0))


def test_explorer_data_agree_with_the_definitions():
    d = gan_data(shift=1.5, sigma=0.5)
    np.testing.assert_allclose(d["d_star"], d["p_data"] / (d["p_data"] + d["p_g"]), rtol=1e-12)
    assert d["value"] == pytest.approx(2 * js_by_quad(1.5, 0.5, 0.5) - np.log(4), abs=1e-9)
    s = js_shift_data(shift=2.0, sigma_q=2.0)
    np.testing.assert_allclose(s["m"], (s["p"] + s["q"]) / 2)
    assert s["point"]["js"] == pytest.approx(js_by_quad(2.0, 1.0, 2.0), abs=1e-10)
