"""Explorers for the Jensen–Shannon divergence (chapter 5, {doc}`05_js_divergence`): two
Gaussians pulled apart, and the optimal discriminator of a GAN."""
from __future__ import annotations

import functools

import numpy as np
from matplotlib.collections import PolyCollection
from scipy.special import expit
from scipy.stats import norm

from infoloss.explorers.core import Choice, Explorer, Slider, register
from infoloss.plotting import COLORS, decorate

LOG2 = float(np.log(2))


def gaussian_kl(mu_p, sigma_p, mu_q, sigma_q):
    """KL(N(mu_p, sigma_p²) ‖ N(mu_q, sigma_q²)) in nats, the closed form of chapter 4."""
    return (np.log(sigma_q / sigma_p) + (sigma_p ** 2 + (mu_p - mu_q) ** 2) / (2 * sigma_q ** 2)
            - 0.5)


def gaussian_tv(mu_p, sigma_p, mu_q, sigma_q) -> float:
    """TV(N(mu_p, sigma_p²), N(mu_q, sigma_q²)) exactly: P(A) − Q(A) on A = {x : p(x) > q(x)},
    whose ends are the (at most two) roots of log p(x) = log q(x), a quadratic in x."""
    a = 1 / (2 * sigma_q ** 2) - 1 / (2 * sigma_p ** 2)
    b = mu_p / sigma_p ** 2 - mu_q / sigma_q ** 2
    c = (mu_q ** 2 / (2 * sigma_q ** 2) - mu_p ** 2 / (2 * sigma_p ** 2)
         + np.log(sigma_q / sigma_p))                    # log p − log q = a x² + b x + c
    roots = np.roots([a, b, c]) if (a, b) != (0, 0) else np.array([])
    ends = np.sort(roots[np.isreal(roots)].real)
    edges = np.r_[-np.inf, ends, np.inf]
    mids = np.r_[ends[0] - 1 if ends.size else 0.0, (ends[1:] + ends[:-1]) / 2,
                 ends[-1] + 1 if ends.size else 0.0][:len(edges) - 1]
    inside = a * mids ** 2 + b * mids + c > 0             # intervals where p > q
    P = np.diff(norm.cdf(edges, mu_p, sigma_p))
    Q = np.diff(norm.cdf(edges, mu_q, sigma_q))
    return float(np.sum((P - Q)[inside]))


def shifted_gaussians(shifts, *, sigma_p=1.0, sigma_q=1.0, points_per_sigma=40) -> dict:
    """Divergences between p = N(0, sigma_p²) and q = N(θ, sigma_q²) for each shift θ.

    Returns a dict of arrays over ``shifts``: ``js`` (nats), its derivative ``djs`` = dJS/dθ,
    ``tv`` (exact, :func:`gaussian_tv`), and the two KL divergences ``kl_pq`` and ``kl_qp``
    (closed form). JS has no closed form: it is computed by the trapezoidal rule on a grid
    reaching 12 standard deviations past both densities, every density kept in logs: the
    mixture is
    log m = logaddexp(log p, log q) - log 2, so nothing underflows in the tails. The
    derivative uses dJS/dθ = ½ ∫ ∂q/∂θ · log(q / m) dx, the other terms integrating to 0; it
    is exactly 0 at θ = 0, where JS, an even function of θ, has its minimum.
    """
    shifts = np.atleast_1d(np.asarray(shifts, float))
    reach = 12 * max(sigma_p, sigma_q)
    lo, hi = min(0.0, shifts.min()) - reach, max(0.0, shifts.max()) + reach
    x = np.linspace(lo, hi, int((hi - lo) / min(sigma_p, sigma_q) * points_per_sigma) + 1)
    log_p = norm.logpdf(x, 0.0, sigma_p)[None, :]
    log_q = norm.logpdf(x[None, :], shifts[:, None], sigma_q)
    log_m = np.logaddexp(log_p, log_q) - LOG2
    p, q = np.exp(log_p), np.exp(log_q)
    js = 0.5 * np.trapezoid(p * (log_p - log_m) + q * (log_q - log_m), x, axis=-1)
    dq = q * (x[None, :] - shifts[:, None]) / sigma_q ** 2          # ∂q/∂θ
    # log(q / m) = log 2 - log(1 + p / q); the constant integrates against ∂q/∂θ to 0
    djs = -0.5 * np.trapezoid(dq * np.logaddexp(0.0, log_p - log_q), x, axis=-1)
    djs[shifts == 0] = 0.0      # JS is even in θ: exactly 0, not rounding noise
    return {"shifts": shifts, "js": np.maximum(js, 0.0), "djs": djs,
            "tv": np.array([gaussian_tv(0.0, sigma_p, t, sigma_q) for t in shifts]),
            "kl_pq": gaussian_kl(0.0, sigma_p, shifts, sigma_q),
            "kl_qp": gaussian_kl(shifts, sigma_q, 0.0, sigma_p)}


# --- two Gaussians pulled apart: every measure against the shift -------------------------------
SHIFT_RANGE = (0.0, 6.0)
X_VIEW = (-4.0, 13.0)   # q = N(6, 2²) fits to three standard deviations
KL_MAX = 8.0      # nats shown on the KL axis; larger values leave the axis at the top


@functools.lru_cache(maxsize=None)
def _shift_curves(sigma_q: float) -> dict:
    return shifted_gaussians(np.linspace(*SHIFT_RANGE, 121), sigma_q=sigma_q)


def js_shift_data(shift: float, sigma_q: float) -> dict:
    """p = N(0, 1) and q = N(shift, sigma_q²): densities, their mixture, and every measure."""
    x = np.linspace(*X_VIEW, 400)
    p, q = norm.pdf(x, 0.0, 1.0), norm.pdf(x, shift, sigma_q)
    point = {k: float(v[0]) for k, v in
             shifted_gaussians([shift], sigma_q=sigma_q).items() if k != "shifts"}
    return {"shift": shift, "x": x, "p": p, "q": q, "m": (p + q) / 2,
            "overlap": np.minimum(p, q), "curves": _shift_curves(sigma_q), "point": point}


def _band(x, y):
    """The vertices of the region between the x-axis and the curve y(x)."""
    return np.column_stack([np.r_[x[0], x, x[-1]], np.r_[0.0, y, 0.0]])


def draw_js_shift(fig, data):
    """Left: p, q, the mixture m and their overlap. Middle: JS, √JS, TV. Right: KL both ways."""
    dens_ax, bounded_ax, kl_ax = fig.subplots(1, 3, width_ratios=[1.2, 1, 1])
    overlap = PolyCollection([_band(data["x"], data["overlap"])], color=COLORS["neutral"],
                             alpha=0.2, linewidth=0, label="min(p, q)")
    dens_ax.add_collection(overlap)
    lines = {}
    for key, color, style, name in (("p", COLORS["p"], "-", "p"), ("q", COLORS["q"], "-", "q"),
                                    ("m", COLORS["entropy"], "--", "m = (p + q)/2")):
        (lines[key],) = dens_ax.plot(data["x"], data[key], style, color=color, label=name)
    decorate(dens_ax, xlabel="x", ylabel="density", xlim=X_VIEW, ylim=(0, 0.85), legend=False)
    dens_ax.legend(loc="upper right", fontsize=7)

    curves = data["curves"]
    shifts = curves["shifts"]
    bounded = {"js": ("JS (nats)", COLORS["p"]), "sqrt_js": ("√JS (√nats)", COLORS["grad"]),
               "tv": ("TV (no unit)", COLORS["label"])}
    kls = {"kl_pq": ("KL(p‖q)", COLORS["p"]), "kl_qp": ("KL(q‖p)", COLORS["q"]),
           "js": ("JS", COLORS["neutral"])}
    artists = {}
    for ax, spec in ((bounded_ax, bounded), (kl_ax, kls)):
        for key, (name, color) in spec.items():
            (line,) = ax.plot(shifts, np.zeros_like(shifts), color=color, label=name)
            (dot,) = ax.plot([0.0], [0.0], "o", color=color, ms=4)
            artists[ax, key] = line, dot
    for ceiling, name in ((LOG2, "log 2"), (np.sqrt(LOG2), "√log 2")):   # JS's and √JS's
        bounded_ax.axhline(ceiling, color=COLORS["neutral"], ls=":", lw=1)
        bounded_ax.text(0.1, ceiling + 0.01, name, va="bottom", fontsize=7)
    decorate(bounded_ax, xlabel="shift θ", ylabel="JS, √JS, TV", xlim=SHIFT_RANGE,
             ylim=(0, 1.05), legend=False)
    bounded_ax.legend(loc="lower right", fontsize=7)
    decorate(kl_ax, xlabel="shift θ", ylabel="nats", xlim=SHIFT_RANGE, ylim=(0, KL_MAX),
             legend=False)
    kl_ax.legend(loc="upper left", fontsize=7)
    marker_b = bounded_ax.axvline(0, color=COLORS["neutral"], lw=0.8)
    marker_k = kl_ax.axvline(0, color=COLORS["neutral"], lw=0.8)
    readout = bounded_ax.set_title(" ", fontsize="small")
    kl_readout = kl_ax.set_title(" ", fontsize="small")

    def values(d):
        return {"js": d["js"], "sqrt_js": np.sqrt(d["js"]), "tv": d["tv"],
                "kl_pq": d["kl_pq"], "kl_qp": d["kl_qp"]}

    def update(data):
        for key in ("p", "q", "m"):
            lines[key].set_ydata(data[key])
        overlap.set_verts([_band(data["x"], data["overlap"])])
        curve, point, theta = values(data["curves"]), values(data["point"]), data["shift"]
        for (ax, key), (line, dot) in artists.items():
            top = KL_MAX if ax is kl_ax else 1.05
            line.set_ydata(np.minimum(curve[key], 2 * top))
            dot.set_data([theta], [min(point[key], top)])
        for marker in (marker_b, marker_k):
            marker.set_xdata([theta, theta])
        pt = data["point"]
        readout.set_text(f"JS = {pt['js']:.3f} nats,  TV = {pt['tv']:.3f}")
        kl_readout.set_text(f"KL(p‖q) = {pt['kl_pq']:.2f},  KL(q‖p) = {pt['kl_qp']:.2f}")
        return [*lines.values(), overlap, *(a for pair in artists.values() for a in pair),
                marker_b, marker_k, readout, kl_readout]

    update(data)
    return update


@register
def js_shift_explorer() -> Explorer:
    """p = N(0, 1) and q = N(θ, σ_q²) pulled apart by the shift θ: the densities, their mixture m
    and overlap; JS, √JS and TV against θ; and KL in both directions.

    Try: drag θ from 0 to 6: the overlap (grey) melts away, TV climbs to 1, JS flattens at log 2
    and √JS at √log 2, while both KLs keep growing like θ². Set σ_q = 1: the two KLs coincide;
    with σ_q = 0.5 or 2 they come apart, while the symmetric JS, √JS and TV need one curve each.
    """
    return Explorer(js_shift_data, draw_js_shift,
                    {"shift": Slider("θ", *SHIFT_RANGE, 1.5, steps=25),
                     "sigma_q": Choice("σ_q", [0.5, 1.0, 2.0], 1.0)},
                    figsize=(10.0, 3.3))


# --- the GAN: optimal discriminator and the generator's value -----------------------------------
GAN_SHIFT_RANGE = (0.0, 6.0)
GAN_X_VIEW = (-3.0, 9.0)
GRAD_FLOOR = 1e-16    # the gradient axis (log scale) starts here; smaller values rest on it


@functools.lru_cache(maxsize=None)
def _gan_curves(sigma: float) -> dict:
    curves = shifted_gaussians(np.linspace(*GAN_SHIFT_RANGE, 121), sigma_p=sigma, sigma_q=sigma)
    return {"shifts": curves["shifts"], "value": 2 * curves["js"] - np.log(4),
            "grad": 2 * np.abs(curves["djs"])}


def gan_data(shift: float, sigma: float) -> dict:
    """p_data = N(0, σ²), p_g = N(shift, σ²): D*(x) = p_data / (p_data + p_g), the generator's
    value 2 JS − log 4 and the size of its derivative in the shift."""
    x = np.linspace(*GAN_X_VIEW, 500)
    log_data, log_g = norm.logpdf(x, 0.0, sigma), norm.logpdf(x, shift, sigma)
    point = shifted_gaussians([shift], sigma_p=sigma, sigma_q=sigma)
    return {"shift": shift, "x": x, "p_data": np.exp(log_data), "p_g": np.exp(log_g),
            "d_star": expit(log_data - log_g),   # the logistic of the log density ratio
            "value": float(2 * point["js"][0] - np.log(4)),
            "grad": float(2 * abs(point["djs"][0])), "curves": _gan_curves(sigma)}


def draw_gan(fig, data):
    """Left: the two densities and D*(x). Middle: 2 JS − log 4. Right: |d/dθ| of it, log scale."""
    dens_ax, value_ax, grad_ax = fig.subplots(1, 3, width_ratios=[1.3, 1, 1])
    (data_line,) = dens_ax.plot(data["x"], data["p_data"], color=COLORS["p"], label="p_data")
    (g_line,) = dens_ax.plot(data["x"], data["p_g"], color=COLORS["q"], label="p_g")
    decorate(dens_ax, xlabel="x", ylabel="density", xlim=GAN_X_VIEW, ylim=(0, 1.7), legend=False)
    d_ax = dens_ax.twinx()
    d_ax.grid(False)
    (d_line,) = d_ax.plot(data["x"], data["d_star"], color=COLORS["label"], lw=2, label="D*(x)")
    d_ax.set_ylim(0, 1.05)
    d_ax.set_ylabel("D*(x)")
    d_ax.spines["right"].set_visible(True)
    handles = [data_line, g_line, d_line]
    dens_ax.legend(handles, [h.get_label() for h in handles], loc="upper right", fontsize=7,
                   frameon=True, framealpha=0.85)

    shifts = data["curves"]["shifts"]
    (value_line,) = value_ax.plot(shifts, data["curves"]["value"], color=COLORS["entropy"])
    (value_dot,) = value_ax.plot([0.0], [0.0], "o", color=COLORS["entropy"])
    value_ax.axhline(0.0, color=COLORS["neutral"], ls=":", lw=1)
    value_ax.axhline(-np.log(4), color=COLORS["neutral"], ls=":", lw=1)
    value_ax.text(GAN_SHIFT_RANGE[1], -np.log(4) - 0.03, "−log 4: the optimum", ha="right",
                  va="top", fontsize=7)
    value_ax.text(0.1, -0.03, "0: saturated", va="top", fontsize=7)
    decorate(value_ax, title="V(D*, G) = 2 JS − log 4", xlabel="shift θ", ylabel="nats",
             xlim=GAN_SHIFT_RANGE, ylim=(-1.5, 0.1))

    (grad_line,) = grad_ax.plot(shifts, np.ones_like(shifts), color=COLORS["grad"])
    (grad_dot,) = grad_ax.plot([0.0], [1.0], "o", color=COLORS["grad"])
    grad_ax.set_yscale("log")
    decorate(grad_ax, xlabel="shift θ", ylabel="|dV/dθ|", xlim=GAN_SHIFT_RANGE,
             ylim=(GRAD_FLOOR, 3))
    readout = grad_ax.set_title(" ", fontsize="small")

    def update(data):
        data_line.set_ydata(data["p_data"])
        g_line.set_ydata(data["p_g"])
        d_line.set_ydata(data["d_star"])
        curves = data["curves"]
        value_line.set_ydata(curves["value"])
        value_dot.set_data([data["shift"]], [data["value"]])
        grad_line.set_ydata(np.maximum(curves["grad"], GRAD_FLOOR))     # pinned to the floor,
        grad_dot.set_data([data["shift"]], [max(data["grad"], GRAD_FLOOR)])  # still in view
        readout.set_text(f"|dV/dθ| = {data['grad']:.1e} nats per unit θ")
        return [data_line, g_line, d_line, value_line, value_dot, grad_line, grad_dot, readout]

    update(data)
    return update


@register
def gan_discriminator_explorer() -> Explorer:
    """A GAN's data p_data = N(0, σ²) and generator p_g = N(θ, σ²): the optimal discriminator
    D*(x) = p_data / (p_data + p_g), the generator's value V(D*, G) = 2 JS − log 4 against the
    shift θ, and the size of its gradient in θ (log scale).

    Try: start at θ = 0, where D* = ½ everywhere and V = −log 4, its minimum. Drag θ up: D*
    becomes a step, V climbs to 0 and its gradient collapses by orders of magnitude, so the
    generator no longer learns which way to move. Narrow the distributions (σ = 0.25): it
    happens at a smaller shift, until the gradient drops below 1e-16 and its dot rests on the
    bottom of the axis (the readout keeps the value); widen them (σ = 1): the gradient survives
    longer.
    """
    return Explorer(gan_data, draw_gan,
                    {"shift": Slider("θ", *GAN_SHIFT_RANGE, 1.0, steps=25),
                     "sigma": Choice("σ", [0.25, 0.5, 1.0], 0.5)},
                    figsize=(10.0, 3.3))
