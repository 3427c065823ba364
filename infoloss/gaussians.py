"""Gaussians and the KL divergence: the closed forms for two normal distributions (univariate and
multivariate), and the best Gaussian for a density in either direction of the divergence.

Derived in {doc}`04_kl_divergence`.
"""
from __future__ import annotations

import numpy as np
import scipy.linalg
import scipy.ndimage
import scipy.optimize
import scipy.special
from scipy.special import logsumexp

__all__ = ["gaussian_kl_divergence", "mvn_kl_divergence", "fit_gaussian"]

_REFS = """
    References
    ----------
    .. [1] S. Kullback and R. A. Leibler, "On Information and Sufficiency", Annals of
       Mathematical Statistics 22(1):79-86, 1951. doi:10.1214/aoms/1177729694
    .. [2] T. M. Cover and J. A. Thomas, *Elements of Information Theory*, 2nd ed., Wiley,
       2006, ch. 2 and 8. doi:10.1002/047174882X
    .. [3] D. P. Kingma and M. Welling, "Auto-Encoding Variational Bayes", ICLR 2014,
       appendix B. doi:10.48550/arXiv.1312.6114"""


def _finite(x, name: str) -> np.ndarray:
    """``x`` as a float array (a scalar allowed) with only finite entries."""
    try:
        arr = np.asarray(x, dtype=float)
    except (TypeError, ValueError) as err:
        raise ValueError(f"{name} must be a number or an array of numbers ({err})") from None
    if not np.isfinite(arr).all():
        raise ValueError(f"{name} contains NaN or inf; pass finite values")
    return arr


def _positive(x, name: str) -> np.ndarray:
    """``x`` as a finite float array with every entry > 0 (a standard deviation)."""
    arr = _finite(x, name)
    if (arr <= 0).any():
        raise ValueError(f"{name} must be > 0 (got a minimum of {arr.min():.3g}); it is a standard "
                         "deviation, not a variance or a log-variance")
    return arr


def gaussian_kl_divergence(mu_p, sigma_p, mu_q, sigma_q):
    r"""KL divergence :math:`D_{KL}(\mathcal N(\mu_p, \sigma_p^2) \,\|\, \mathcal N(\mu_q, \sigma_q^2))`.

    Parameters
    ----------
    mu_p, sigma_p : array_like
        Mean and **standard deviation** (not the variance) of :math:`p`, as ``loc`` and
        ``scale`` in ``scipy.stats.norm`` and ``torch.distributions.Normal``.
    mu_q, sigma_q : array_like
        Mean and standard deviation of :math:`q`. All four broadcast against each other.

    Returns
    -------
    D : ndarray or float
        The divergence in nats, with the broadcast shape (a NumPy float for scalar inputs);
        always finite and >= 0, and 0 exactly when the two Gaussians are equal.

    Raises
    ------
    ValueError
        If an argument has NaN/inf entries or is not numeric, if ``sigma_p`` or ``sigma_q`` has an
        entry <= 0, or if the shapes do not broadcast.

    Notes
    -----
    .. math::

        D_{KL}(p \| q) = \log\frac{\sigma_q}{\sigma_p}
            + \frac{\sigma_p^2 + (\mu_p - \mu_q)^2}{2\sigma_q^2} - \frac12 ,

    computed with :math:`r = \sigma_p / \sigma_q` as
    :math:`\tfrac12 (r^2 - 1 - \log r^2) + \tfrac12 ((\mu_p - \mu_q)/\sigma_q)^2`, so that no
    variance is formed (standard deviations of 1e200 do not overflow) and both terms are
    visibly >= 0. Not symmetric: the roles of :math:`\sigma_p` and :math:`\sigma_q` differ.
    Derived by integration in the book chapter {doc}`04_kl_divergence`.
    {refs}

    Examples
    --------
    Equal variances give half the squared distance between the means, in units of sigma:

    >>> float(gaussian_kl_divergence(0.0, 2.0, 3.0, 2.0))
    1.125
    >>> d = gaussian_kl_divergence([0.0, 1.0], 1.0, 0.0, [2.0, 1.0])
    >>> bool(np.isclose(d[0], np.log(2) + 1 / 8 - 1 / 2) and d[1] == 0.5)
    True
    """
    arrays = [_finite(mu_p, "mu_p"), _positive(sigma_p, "sigma_p"),
              _finite(mu_q, "mu_q"), _positive(sigma_q, "sigma_q")]
    try:
        mu_p, sigma_p, mu_q, sigma_q = np.broadcast_arrays(*arrays)
    except ValueError:
        shapes = ", ".join(f"{n} {a.shape}" for n, a in zip(("mu_p", "sigma_p", "mu_q", "sigma_q"),
                                                               arrays))
        raise ValueError(f"the arguments do not broadcast ({shapes}); give them compatible "
                         "shapes, e.g. all the same or scalars") from None
    ratio = sigma_p / sigma_q
    spread = ratio**2 - 1 - 2 * np.log(ratio)          # >= 0, with equality at ratio 1
    shift = ((mu_p - mu_q) / sigma_q) ** 2
    return (np.maximum(spread, 0.0) + shift)[()] / 2


def _mvn_inputs(mean_p, cov_p, mean_q, cov_q):
    """Validated means (..., d) and covariances (..., d, d) with one d, and their batch shape."""
    means = {"mean_p": _finite(mean_p, "mean_p"), "mean_q": _finite(mean_q, "mean_q")}
    covs = {"cov_p": _finite(cov_p, "cov_p"), "cov_q": _finite(cov_q, "cov_q")}
    for name, m in means.items():
        if m.ndim < 1 or m.shape[-1] == 0:
            raise ValueError(f"{name} must have shape (..., d) with d >= 1, got {m.shape}; "
                             f"wrap a scalar mean as [{name}]")
    d = means["mean_p"].shape[-1]
    for name, c in covs.items():
        if c.ndim < 2 or c.shape[-1] != c.shape[-2]:
            raise ValueError(f"{name} must have shape (..., d, d), got {c.shape}; "
                             "a univariate variance is [[sigma**2]]")
    dims = {name: a.shape[-1] for name, a in {**means, **covs}.items()}
    if len(set(dims.values())) != 1:
        raise ValueError(f"the dimension d differs between the arguments ({dims}); the means "
                         "must be (..., d) and the covariances (..., d, d) with the same d")
    for name, c in covs.items():
        scale = np.abs(c).max()
        asymmetry = np.abs(c - np.swapaxes(c, -1, -2)).max()
        if asymmetry > 1e-10 * scale:
            raise ValueError(f"{name} is not symmetric (max |C - C^T| = {asymmetry:.3g}); a "
                             "covariance matrix is symmetric: use (C + C^T) / 2 if it is only "
                             "rounding")
    try:
        batch = np.broadcast_shapes(means["mean_p"].shape[:-1], means["mean_q"].shape[:-1],
                                    covs["cov_p"].shape[:-2], covs["cov_q"].shape[:-2])
    except ValueError:
        raise ValueError("the batch shapes of the arguments do not broadcast (mean_p "
                         f"{means['mean_p'].shape}, cov_p {covs['cov_p'].shape}, mean_q "
                         f"{means['mean_q'].shape}, cov_q {covs['cov_q'].shape})") from None
    return means["mean_p"], covs["cov_p"], means["mean_q"], covs["cov_q"], batch, d


def _cholesky(cov: np.ndarray, name: str) -> np.ndarray:
    """Lower Cholesky factors of a stack of covariances, or a ValueError naming ``name``."""
    try:
        return np.linalg.cholesky(cov)
    except np.linalg.LinAlgError:
        raise ValueError(f"{name} is not positive definite (its Cholesky factorization fails); "
                         "every covariance needs a positive variance in every direction: check "
                         "for a zero or negative eigenvalue, e.g. add a small multiple of the "
                         "identity") from None


def mvn_kl_divergence(mean_p, cov_p, mean_q, cov_q):
    r"""KL divergence :math:`D_{KL}(\mathcal N(m_p, \Sigma_p) \,\|\, \mathcal N(m_q, \Sigma_q))`.

    Parameters
    ----------
    mean_p, mean_q : (..., d) array_like
        The means.
    cov_p, cov_q : (..., d, d) array_like
        The covariance matrices: symmetric and positive definite. Leading (batch) axes of all
        four arguments broadcast against each other.

    Returns
    -------
    D : (...) ndarray or float
        The divergence in nats for each batch entry, >= 0.

    Raises
    ------
    ValueError
        If an argument has NaN/inf entries, a mean is not (..., d) or a covariance not
        (..., d, d), the four do not share one d, a covariance is not symmetric (to 1e-10
        relative) or not positive definite, or the batch shapes do not broadcast.

    Notes
    -----
    .. math::

        D_{KL} = \frac12 \left[\operatorname{tr}(\Sigma_q^{-1}\Sigma_p)
            + (m_q - m_p)^\top \Sigma_q^{-1} (m_q - m_p) - d
            + \log\frac{\det \Sigma_q}{\det \Sigma_p}\right] .

    No inverse is formed. With the Cholesky factors :math:`\Sigma = L L^\top`, the trace is
    :math:`\lVert L_q^{-1} L_p \rVert_F^2`, the quadratic form is :math:`\lVert L_q^{-1}
    (m_q - m_p) \rVert^2` (both by triangular solves), and :math:`\log\det\Sigma = 2
    \sum_i \log L_{ii}`. For :math:`d = 1` it is :func:`gaussian_kl_divergence`; against
    :math:`\mathcal N(0, I)` with a diagonal :math:`\Sigma_p = \operatorname{diag}(\sigma^2)`
    it is the VAE's :math:`\tfrac12 \sum_i (m_i^2 + \sigma_i^2 - 1 - \log \sigma_i^2)`.
    Stated and checked in the book chapter {doc}`04_kl_divergence`.
    {refs}

    Examples
    --------
    >>> float(mvn_kl_divergence([0.0, 0.0], np.eye(2), [0.0, 0.0], np.eye(2)))
    0.0
    >>> mu, var = np.array([0.5, -1.0]), np.array([0.5, 2.0])
    >>> vae = 0.5 * np.sum(mu**2 + var - 1 - np.log(var))
    >>> bool(np.isclose(mvn_kl_divergence(mu, np.diag(var), [0.0, 0.0], np.eye(2)), vae))
    True
    """
    mean_p, cov_p, mean_q, cov_q, batch, d = _mvn_inputs(mean_p, cov_p, mean_q, cov_q)
    chol_p, chol_q = _cholesky(cov_p, "cov_p"), _cholesky(cov_q, "cov_q")
    chol_p = np.broadcast_to(chol_p, batch + (d, d)).reshape(-1, d, d)
    chol_q = np.broadcast_to(chol_q, batch + (d, d)).reshape(-1, d, d)
    diff = np.broadcast_to(mean_q - mean_p, batch + (d,)).reshape(-1, d)
    trace, quad = np.empty(len(chol_q)), np.empty(len(chol_q))
    for i, (lp, lq, delta) in enumerate(zip(chol_p, chol_q, diff)):  # scipy < 1.16: no batches
        trace[i] = np.sum(scipy.linalg.solve_triangular(lq, lp, lower=True) ** 2)
        quad[i] = np.sum(scipy.linalg.solve_triangular(lq, delta, lower=True) ** 2)
    log_det = 2 * (np.log(np.diagonal(chol_q, axis1=-2, axis2=-1)).sum(axis=-1)
                   - np.log(np.diagonal(chol_p, axis1=-2, axis2=-1)).sum(axis=-1))
    kl = np.maximum((trace + quad - d + log_det) / 2, 0.0)  # a hair below 0 is rounding
    return kl.reshape(batch)[()]


# --- fitting a Gaussian to a density -------------------------------------------------------------
#: The density's Riemann sum on the grid must lie within this of 1.
DENSITY_SUM_TOL = 1e-2
#: Size of the table of (mu, log sigma) the reverse fit evaluates before refining.
SEARCH_MU, SEARCH_SIGMA = 81, 41
#: Fits whose divergences differ by less than this (nats) tie; the larger mu wins.
TIE_TOL = 1e-9
#: The fitted Gaussian may put at most this much of its mass outside the grid (reverse fit).
OUTSIDE_MASS_TOL = 1e-2


def _grid_distribution(x, density):
    """The grid (1-D, increasing, evenly spaced) and the distribution P of its Riemann weights."""
    x = _finite(x, "x")
    if x.ndim != 1 or x.size < 3:
        raise ValueError(f"x must be a 1-D grid of at least 3 points, got shape {x.shape}")
    steps = np.diff(x)
    if (steps <= 0).any():
        raise ValueError("x must be strictly increasing; sort it (and the density with it)")
    dx = (x[-1] - x[0]) / (x.size - 1)
    if not np.allclose(steps, dx, rtol=1e-6, atol=0):
        raise ValueError("x must be evenly spaced (steps from "
                         f"{steps.min():.6g} to {steps.max():.6g}); use np.linspace")
    density = _finite(density, "density")
    if density.shape != x.shape:
        raise ValueError(f"density has shape {density.shape} but x has shape {x.shape}; give one "
                         "density value per grid point")
    if (density < 0).any():
        raise ValueError(f"density has negative entries (min {density.min():.3g}); a density is "
                         ">= 0")
    mass = density.sum() * dx
    if abs(mass - 1) > DENSITY_SUM_TOL:
        raise ValueError(f"density integrates to {mass:.6g} on the grid, not 1 (sum(density) * dx); "
                         "widen the grid to cover its mass, or normalize it")
    return x, density, dx


def _reverse_objective(mu, log_sigma, x, log_P):
    r"""KL(Q || P) of the Gaussian N(mu, sigma^2) discretized on the grid, for arrays of mu and
    log_sigma (same shape): Q_i is proportional to exp(-(x_i - mu)^2 / (2 sigma^2))."""
    mu, log_sigma = np.asarray(mu, float)[..., None], np.asarray(log_sigma, float)[..., None]
    z = -0.5 * ((x - mu) * np.exp(-log_sigma)) ** 2
    log_Q = z - logsumexp(z, axis=-1, keepdims=True)
    return np.sum(np.exp(log_Q) * (log_Q - log_P), axis=-1)


def _reverse_fit(x, log_P, dx):
    """The global minimizer of KL(Q || P) over (mu, log sigma): a table, then local refinement."""
    mus = np.linspace(x[0], x[-1], SEARCH_MU)
    log_sigmas = np.linspace(np.log(dx), np.log(x[-1] - x[0]), SEARCH_SIGMA)
    table = np.array([_reverse_objective(np.full(SEARCH_SIGMA, m), log_sigmas, x, log_P)
                      for m in mus])
    minima = np.argwhere(scipy.ndimage.minimum_filter(table, size=3, mode="nearest") == table)
    order = np.argsort(table[minima[:, 0], minima[:, 1]])
    step = np.array([mus[1] - mus[0], log_sigmas[1] - log_sigmas[0]])

    def objective(theta):
        return float(_reverse_objective(theta[0], theta[1], x, log_P))

    fits = []
    for i, j in minima[order[:8]]:       # the eight lowest basins of the table
        start = np.array([mus[i], log_sigmas[j]])
        simplex = np.array([start, start + [step[0] / 2, 0], start + [0, step[1] / 2]])
        res = scipy.optimize.minimize(objective, start, method="Nelder-Mead",
                                      options={"initial_simplex": simplex, "xatol": 1e-10,
                                               "fatol": 1e-14, "maxiter": 4000})
        fits.append((res.fun, res.x[0], res.x[1]))
    best = min(f for f, _, _ in fits)
    _, mu, log_sigma = max((fit for fit in fits if fit[0] <= best + TIE_TOL), key=lambda t: t[1])
    mu, sigma = float(mu) + 0.0, float(np.exp(log_sigma))   # + 0.0: no -0.0
    # The objective sees the Gaussian only on the grid. If the best one spills out of it, the
    # number minimized is not KL(q || p) (e.g. a density that fills the grid, like a uniform one,
    # drives sigma to infinity: a flat Q on the grid has divergence 0).
    lo, hi = x[0] - dx / 2, x[-1] + dx / 2                  # the cells of the Riemann sum
    outside = scipy.special.ndtr((lo - mu) / sigma) + scipy.special.ndtr((mu - hi) / sigma)
    if outside > OUTSIDE_MASS_TOL:
        raise ValueError(
            f"the best Gaussian on this grid, mu = {mu:.4g}, sigma = {sigma:.4g}, puts "
            f"{outside:.1%} of its mass outside the grid [{x[0]:.4g}, {x[-1]:.4g}], where the "
            "divergence cannot see it, so it is no fit to the density. Widen the grid if the "
            "density continues beyond it; if the density is 0 outside it (bounded support, such "
            "as a uniform density), KL(q || p) is infinite for every Gaussian q and there is no "
            "reverse fit")
    return mu, sigma


def fit_gaussian(x, density, *, direction):
    r"""The Gaussian :math:`q = \mathcal N(\mu, \sigma^2)` closest to a density ``p`` on a grid, in
    the ``"forward"`` :math:`D_{KL}(p \| q)` or the ``"reverse"`` :math:`D_{KL}(q \| p)` sense.

    Parameters
    ----------
    x : (n,) array_like
        The grid: at least 3 points, strictly increasing and evenly spaced (``np.linspace``),
        wide enough to hold the density's mass and, for the reverse fit, the fitted Gaussian's.
    density : (n,) array_like
        The density :math:`p(x)` at the grid points: >= 0, integrating to 1 within 1% on the
        grid (``density.sum() * dx``). It is used as the grid distribution
        :math:`P_i = p(x_i) / \sum_j p(x_j)`.
    direction : {"forward", "reverse"}
        ``"forward"`` minimizes :math:`D_{KL}(p \| q)` (mass-covering, the maximum-likelihood
        fit); ``"reverse"`` minimizes :math:`D_{KL}(q \| p)` (zero-forcing, the fit of
        variational inference).

    Returns
    -------
    mu, sigma : float
        The mean and the standard deviation of the best Gaussian.

    Raises
    ------
    ValueError
        If ``direction`` is not ``"forward"`` or ``"reverse"``; if ``x`` is not a 1-D, strictly
        increasing, evenly spaced grid of at least 3 finite points; if ``density`` does not match
        ``x`` in shape, has NaN/inf or negative entries, or does not integrate to 1 (within 1%)
        on the grid; for ``"forward"``, if the density sits on one grid point (sigma would be 0);
        for ``"reverse"``, if the density is 0 at some grid point (an underflow counts), where
        every Gaussian, being positive everywhere, would make :math:`D_{KL}(q \| p)` infinite,
        or if the best Gaussian puts more than 1% of its mass outside the grid (the grid is too
        narrow, or the density fills it, as a uniform density does: then the divergence on the
        grid falls as sigma grows without bound, and no Gaussian has a finite
        :math:`D_{KL}(q \| p)` on the whole line).

    Notes
    -----
    *Forward.* :math:`D_{KL}(p \| q) = -\H(p) - \E_p[\log q]`, and
    :math:`-\E_p[\log q] = \tfrac12 \log(2\pi\sigma^2) + \E_p[(X - \mu)^2] / (2\sigma^2)` is
    minimized exactly by the moments of :math:`p`: :math:`\mu = \E_p[X]`,
    :math:`\sigma^2 = \operatorname{Var}_p[X]` (moment matching). They are computed as
    :math:`\sum_i P_i x_i` and :math:`\sum_i P_i (x_i - \mu)^2`; no search is needed.

    *Reverse.* :math:`D_{KL}(q \| p)` has no closed form and, for a multimodal :math:`p`,
    several local minima. The objective is the divergence of the Gaussian discretized on the
    grid, :math:`Q_i \propto e^{-(x_i - \mu)^2 / 2\sigma^2}`, from :math:`P`:
    :math:`\sum_i Q_i \log(Q_i / P_i)`, which approximates the integral when :math:`\sigma`
    spans several grid steps. The global minimum is searched in two stages:

    1. the objective is evaluated on a table of 81 values of :math:`\mu`, evenly spaced over
       the grid, by 41 values of :math:`\log\sigma`, evenly spaced from the grid step to the
       grid's width;
    2. every local minimum of that table (a cell no larger than its 8 neighbours), the eight
       lowest at most, is refined by Nelder–Mead in :math:`(\mu, \log\sigma)`, and the lowest
       refined value wins.

    So every basin of the objective at least one table cell wide is found and its minimum
    located to about 1e-10; fits within 1e-9 nats of each other tie, and the one with the
    larger :math:`\mu` is returned (the right-hand mode of a symmetric density). The
    discretized objective ignores the Gaussian's mass beyond the grid, so a fit that puts more
    than 1% of it there (``OUTSIDE_MASS_TOL``, counted from the cells' outer edges) raises
    instead of being returned. The book
    chapter {doc}`04_kl_divergence` checks the search against a brute-force grid search and
    derives the forward fit.
    {refs}
    .. [4] C. M. Bishop, *Pattern Recognition and Machine Learning*, Springer, 2006,
       sec. 10.1.2. ISBN 978-0-387-31073-2

    Examples
    --------
    For a Gaussian density both directions recover it:

    >>> x = np.linspace(-19, 21, 801)
    >>> p = np.exp(-(x - 1) ** 2 / 8) / np.sqrt(8 * np.pi)          # N(1, 2^2)
    >>> np.round(fit_gaussian(x, p, direction="forward"), 6).tolist()
    [1.0, 2.0]
    >>> np.round(fit_gaussian(x, p, direction="reverse"), 6).tolist()
    [1.0, 2.0]

    For two well separated modes the forward fit covers both, the reverse fit picks one:

    >>> x = np.linspace(-10, 10, 801)
    >>> mix = (np.exp(-(x - 3) ** 2 / 2) + np.exp(-(x + 3) ** 2 / 2)) / np.sqrt(8 * np.pi)
    >>> np.round(fit_gaussian(x, mix, direction="forward"), 4).tolist()   # sqrt(1 + 3^2)
    [0.0, 3.1623]
    >>> mu, sigma = fit_gaussian(x, mix, direction="reverse")
    >>> bool(abs(mu - 3) < 0.05 and abs(sigma - 1) < 0.05)
    True
    """
    if direction not in ("forward", "reverse"):
        raise ValueError(f"direction must be 'forward' (minimize KL(p || q)) or 'reverse' "
                         f"(minimize KL(q || p)), got {direction!r}")
    x, density, dx = _grid_distribution(x, density)
    if direction == "forward":
        P = density / density.sum()
        mu = P @ x
        var = P @ (x - mu) ** 2
        if not var > 0:
            raise ValueError("density is concentrated on a single grid point, so the forward "
                             "fit would have sigma = 0; use a finer grid")
        return float(mu) + 0.0, float(np.sqrt(var))
    if (density == 0).any():
        raise ValueError("density is 0 at some grid points (values that underflow to 0 count): "
                         "there KL(q || p) is infinite for every Gaussian q, which is positive "
                         "everywhere. If the zeros are underflow in far tails, restrict x to "
                         "where the density is positive; if the density is 0 on an interval "
                         "(bounded support), no Gaussian has a finite KL(q || p)")
    return _reverse_fit(x, np.log(density) - np.log(density.sum()), dx)


for _f in (gaussian_kl_divergence, mvn_kl_divergence, fit_gaussian):
    _f.__doc__ = _f.__doc__.replace("{refs}", "\n    " + _REFS.strip())
del _f
