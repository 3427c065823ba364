"""Explorers for the Wasserstein distance and optimal transport (chapter 6,
{doc}`06_wasserstein`): note 001's parallel lines, the area between two CDFs, and Sinkhorn's
regularization."""
from __future__ import annotations

import functools

import numpy as np
import scipy.stats
from matplotlib.collections import LineCollection

from infoloss.explorers.core import Choice, Explorer, Slider, register
from infoloss.measures import js_divergence, kl_divergence
from infoloss.plotting import COLORS, decorate
from infoloss.transport import optimal_transport, sinkhorn, wasserstein_1d


# --- note 001's parallel lines --------------------------------------------------------------------
def parallel_lines(theta: float, n: int = 8) -> dict:
    """P_0 = (0, Z) and P_θ = (θ, Z), Z uniform on [0, 1] discretized at n midpoints.

    Both are histograms on the union of their support points; returns the points, the two
    histograms ``p`` and ``q``, the Euclidean cost, the optimal plan and ``W`` (Wasserstein-1,
    by the LP), ``JS`` and ``KL`` = KL(P_0 ‖ P_θ) (nats, from the library).
    """
    z = (np.arange(n) + 0.5) / n
    line_0 = np.column_stack([np.zeros(n), z])
    line_theta = np.column_stack([np.full(n, theta), z])
    if theta == 0:                       # the same points: one histogram, twice
        points, p, q = line_0, np.full(n, 1 / n), np.full(n, 1 / n)
    else:                                # 2n points: P_0 on the first n, P_θ on the last n
        points = np.concatenate([line_0, line_theta])
        p = np.concatenate([np.full(n, 1 / n), np.zeros(n)])
        q = np.concatenate([np.zeros(n), np.full(n, 1 / n)])
    cost = np.linalg.norm(points[:, None, :] - points[None, :, :], axis=-1)
    plan = optimal_transport(p, q, cost)
    return {"points": points, "p": p, "q": q, "cost": cost, "plan": plan,
            "W": float((plan * cost).sum()), "JS": float(js_divergence(p, q)),
            "KL": float(kl_divergence(p, q))}


THETA_RANGE = (-1.0, 1.0)    # the curves
#: the slider: its four print frames (the ends and two thirds of the way) include θ = 0
THETA_SLIDER = (-0.5, 1.0)
KL_SHOWN_AT = 1.2     # an infinite KL is drawn at this height, under a "+∞" label


@functools.lru_cache(maxsize=None)
def _parallel_curves():
    """W, JS and KL against θ (computed once), on each side of 0 up to θ = ∓1e-9, so that the
    constant JS and KL reach θ = 0, where the open circles mark the limits."""
    side = np.linspace(1e-9, THETA_RANGE[1], 21)   # W is linear and JS constant between them
    thetas = np.concatenate([-side[::-1], [0.0], side])
    values = [parallel_lines(t) for t in thetas]
    return thetas, {k: np.array([v[k] for v in values]) for k in ("W", "JS", "KL")}


def parallel_lines_data(theta: float) -> dict:
    theta = 0.0 if abs(theta) < 1e-9 else float(theta)   # the website's grid value near 0
    return {"theta": theta, **parallel_lines(theta)}


def draw_parallel_lines(fig, data):
    """Left: the two lines in the plane and the plan's moves. Right: W, JS, KL against θ."""
    plane, curves = fig.subplots(1, 2, width_ratios=[1, 1.6])
    z = (np.arange(8) + 0.5) / 8
    plane.plot([0, 0], [0, 1], color=COLORS["p"], lw=3, label="P₀")
    (moving_line,) = plane.plot([], [], color=COLORS["q"], lw=3, label="P_θ")
    arrows = LineCollection([], colors=COLORS["neutral"], linewidths=1)
    plane.add_collection(arrows)
    decorate(plane, title="the plan moves (0, z) to (θ, z)", xlabel="x₁", ylabel="x₂",
             xlim=(-1.2, 1.2), ylim=(-0.05, 1.05))
    plane.legend(loc="lower left", fontsize=7)

    thetas, values = _parallel_curves()
    curves.plot(thetas, values["W"], color=COLORS["p"], label="W = |θ|")
    for side in (thetas < 0, thetas > 0):
        curves.plot(thetas[side], values["JS"][side], color=COLORS["entropy"],
                    label="JS" if side[0] else None)
        curves.plot(thetas[side], np.full(side.sum(), KL_SHOWN_AT), color=COLORS["grad"], ls="--",
                    label="KL(P₀‖P_θ)" if side[0] else None)
    curves.plot([0, 0], [np.log(2), KL_SHOWN_AT], "o", mfc="white", color=COLORS["neutral"], ms=5)
    curves.plot([0], [0], "o", color=COLORS["neutral"], ms=5)
    curves.text(THETA_RANGE[1], KL_SHOWN_AT + 0.04, "+∞", ha="right", va="bottom",
                color=COLORS["grad"])
    curves.axhline(np.log(2), color=COLORS["entropy"], lw=0.6, ls=":")
    marker = curves.axvline(data["theta"], color=COLORS["neutral"], lw=0.8)
    (dots,) = curves.plot([], [], "o", color="black", ms=4)
    readout = curves.set_title(" ", fontsize="small")
    decorate(curves, xlabel="θ", ylabel="value (W: distance, JS and KL: nats)",
             xlim=(-1.05, 1.05), ylim=(-0.05, 1.6), legend=False)
    curves.legend(loc="upper center", fontsize=7, ncol=3)

    def update(data):
        theta = data["theta"]
        moving_line.set_data([theta, theta], [0, 1])
        arrows.set_segments([[(0.0, zk), (theta, zk)] for zk in z])
        kl_shown = KL_SHOWN_AT if np.isinf(data["KL"]) else data["KL"]
        dots.set_data([theta] * 3, [data["W"], data["JS"], kl_shown])
        marker.set_xdata([theta, theta])
        kl_text = "+∞" if np.isinf(data["KL"]) else f"{data['KL']:.3f}"
        readout.set_text(f"W = {data['W']:.3f},  JS = {data['JS']:.3f},  KL = {kl_text}")
        return [moving_line, arrows, dots, marker, readout]

    update(data)
    return update


@register
def parallel_lines_explorer() -> Explorer:
    """Note 001's parallel lines: P₀ uniform on the segment x₁ = 0, 0 ≤ x₂ ≤ 1, and P_θ the
    same segment moved to x₁ = θ; the Wasserstein distance, JS and KL against θ.

    Try: drag θ towards 0: W = |θ| shrinks steadily, while JS stays at log 2 and KL at +∞
    until the lines meet at θ = 0, where all three drop to 0. Only W tells a model which way
    to move θ; past 0 (θ < 0) it grows again.
    """
    return Explorer(parallel_lines_data, draw_parallel_lines,
                    {"theta": Slider("θ", *THETA_SLIDER, 0.5, steps=25)},
                    figsize=(8.0, 3.2))


# --- the area between two CDFs ----------------------------------------------------------------
CDF_X = np.linspace(-8.0, 8.0, 801)
SPREADS = (0.5, 1.0, 1.5)   # the standard deviations of Q the explorer offers


def cdf_area_data(shift: float, sigma: float) -> dict:
    """Densities and CDFs of P = N(0, 1) and Q = N(shift, sigma²), and W_1 (the library, on the
    fine grid)."""
    q = scipy.stats.norm(shift, sigma)
    p_density, q_density = scipy.stats.norm.pdf(CDF_X), q.pdf(CDF_X)
    return {"shift": shift, "p_pdf": p_density, "q_pdf": q_density,
            "F": scipy.stats.norm.cdf(CDF_X), "G": q.cdf(CDF_X),
            "W1": wasserstein_1d(CDF_X, CDF_X, p_density, q_density),
            "mean_gap": abs(shift)}


def plot_cdf_area(ax, data, *, xlim=(CDF_X[0], CDF_X[-1])):
    """The CDFs F of P and G of Q on ``ax``, the area between them (W_1) shaded, and a readout
    of W_1 and the mean gap. Returns ``update(data)``, which moves G, the area and the readout."""
    area = ax.fill_between(CDF_X, data["F"], data["G"], color=COLORS["grad"], alpha=0.3, lw=0,
                           label="|F − G|: area W₁")
    ax.plot(CDF_X, data["F"], color=COLORS["p"], label="F")
    (g_line,) = ax.plot([], [], color=COLORS["q"], label="G")
    readout = ax.text(0.02, 0.93, "", transform=ax.transAxes, va="top", fontsize="small")
    decorate(ax, xlabel="x", ylabel="CDF", xlim=xlim, ylim=(-0.02, 1.02), legend=False)
    ax.legend(loc="lower right", fontsize=7)

    def update(data):
        g_line.set_data(CDF_X, data["G"])
        area.set_data(CDF_X, data["F"], data["G"])
        readout.set_text(f"W₁ = area = {data['W1']:.3f}\n|mean gap| = {data['mean_gap']:.3f}")
        return [g_line, area, readout]

    update(data)
    return update


def draw_cdf_area(fig, data):
    """Top: the two densities. Bottom: the two CDFs and the area between them, W_1."""
    dens, cdfs = fig.subplots(2, 1, sharex=True, height_ratios=[1, 1.3])
    dens.plot(CDF_X, data["p_pdf"], color=COLORS["p"], label="P = N(0, 1)")
    (q_line,) = dens.plot([], [], color=COLORS["q"], label="Q = N(shift, σ²)")
    decorate(dens, ylabel="density", ylim=(0, 0.85), legend=False)
    dens.legend(loc="upper left", fontsize=7)
    update_cdfs = plot_cdf_area(cdfs, data)

    def update(data):
        q_line.set_data(CDF_X, data["q_pdf"])
        return [q_line, *update_cdfs(data)]

    update(data)
    return update


@register
def cdf_area_explorer() -> Explorer:
    """Two normal distributions on the line, P = N(0, 1) and Q = N(shift, σ²), their densities
    and CDFs F and G: the area between the CDFs is the Wasserstein-1 distance.

    Try: with σ = 1, drag the shift: the area is a band of width |shift|, so W₁ is exactly the
    mean gap. Set σ to 0.5 or 1.5 and bring the shift to 0: the means agree, but the CDFs cross
    and the area, W₁ = |1 − σ| √(2/π), is not 0.
    """
    return Explorer(cdf_area_data, draw_cdf_area,
                    {"shift": Slider("shift", -3.0, 3.0, 1.0, steps=25),
                     "sigma": Choice("σ", list(SPREADS), 1.0, fmt="g")},
                    figsize=(7.0, 4.2))


# --- Sinkhorn's regularization ---------------------------------------------------------------
def sinkhorn_example(n: int = 16) -> dict:
    """The chapter's transport problem: one wide bump ``a`` split into two narrow bumps ``b``,
    on n points of [0, 1], with the squared-distance cost (max about 0.88); the exact plan and
    its cost ``OT`` = min <γ, C> (for this cost, W_2 squared, not W_2)."""
    x = (np.arange(n) + 0.5) / n
    a = scipy.stats.norm.pdf(x, 0.4, 0.15)
    b = scipy.stats.norm.pdf(x, 0.25, 0.07) + scipy.stats.norm.pdf(x, 0.75, 0.07)
    a, b = a / a.sum(), b / b.sum()
    cost = (x[:, None] - x[None, :]) ** 2
    plan = optimal_transport(a, b, cost)
    return {"x": x, "a": a, "b": b, "cost": cost, "plan": plan,
            "OT": float((plan * cost).sum())}


def plot_plan(ax, plan, x, *, title=None, vmax=None):
    """A transport plan as an image: source points x up the side, targets along the bottom."""
    step = x[1] - x[0]
    extent = (x[0] - step / 2, x[-1] + step / 2) * 2
    image = ax.imshow(plan, origin="lower", extent=extent, cmap="Blues", vmin=0,
                      vmax=vmax if vmax is not None else plan.max(), interpolation="nearest")
    ax.set_aspect("equal")
    ticks = np.linspace(extent[0], extent[1], 3)   # three ticks: small panels stay legible
    ax.set_xticks(ticks)
    ax.set_yticks(ticks)
    ax.grid(False)
    decorate(ax, title=title, xlabel="target y", ylabel="source x")
    return image


#: log10 of the regularization, on the website's grid; the relative costs are cached per value
LOG_REG_RANGE = (-2.0, 1.0)
COST_SCALES = (0.1, 1.0, 10.0)


@functools.lru_cache(maxsize=None)
def _example():
    return sinkhorn_example()


@functools.lru_cache(maxsize=None)
def _entropic_plan(reg_over_scale: float):
    """The Sinkhorn plan at reg / scale (the plan depends on nothing else), computed once."""
    ex = _example()
    return sinkhorn(ex["a"], ex["b"], ex["cost"], reg_over_scale)


@functools.lru_cache(maxsize=None)
def _relative_cost_curve():
    """<γ_ε, C> / OT against ε / s, for every ε / s the explorer can reach."""
    ex = _example()
    grid = np.linspace(*LOG_REG_RANGE, 13)   # every other website value: a smooth curve
    ratios = np.unique(np.round([g - np.log10(s) for g in grid for s in COST_SCALES], 9))
    costs = [(_entropic_plan(10.0 ** r) * ex["cost"]).sum() / ex["OT"] for r in ratios]
    return ratios, np.array(costs)


def sinkhorn_data(log_reg: float, scale: float) -> dict:
    """The exact and the entropic plan of the cost ``scale * C`` at reg = 10**log_reg."""
    ex = _example()
    ratio = round(log_reg - np.log10(scale), 9)
    plan = _entropic_plan(10.0 ** ratio)
    ratios, relative = _relative_cost_curve()
    independent = (np.outer(ex["a"], ex["b"]) * ex["cost"]).sum() / ex["OT"]
    return {"log_reg": log_reg, "scale": scale, "x": ex["x"], "exact": ex["plan"],
            "plan": plan, "relative": float((plan * ex["cost"]).sum() / ex["OT"]),
            "curve_x": ratios + np.log10(scale), "curve_y": relative, "independent": independent,
            "reg_over_max": 10.0 ** log_reg / (scale * ex["cost"].max())}


def draw_sinkhorn(fig, data):
    """Left: the exact plan. Middle: the Sinkhorn plan. Right: its cost over OT against ε."""
    exact_ax, plan_ax, cost_ax = fig.subplots(1, 3, width_ratios=[1, 1, 1.3])
    vmax = data["exact"].max()
    plot_plan(exact_ax, data["exact"], data["x"], title="exact plan (LP)", vmax=vmax)
    image = plot_plan(plan_ax, data["plan"], data["x"], title="Sinkhorn plan", vmax=vmax)
    plan_ax.set_ylabel("")
    (curve,) = cost_ax.plot([], [], color=COLORS["p"])
    (dot,) = cost_ax.plot([], [], "o", color=COLORS["grad"], clip_on=False)
    cost_ax.axhline(1.0, color=COLORS["neutral"], lw=0.8, ls=":")
    cost_ax.axhline(data["independent"], color=COLORS["q"], lw=0.8, ls="--")
    cost_ax.text(LOG_REG_RANGE[0] + 0.05, data["independent"], "plan a bᵀ", va="bottom",
                 fontsize=7, color=COLORS["q"])
    cost_ax.text(LOG_REG_RANGE[1] - 0.05, 1.0, "exact", ha="right", va="bottom", fontsize=7)
    readout = cost_ax.set_title(" ", fontsize="small")
    decorate(cost_ax, xlabel="log₁₀ ε", ylabel="⟨γ_ε, C⟩ / OT",
             xlim=LOG_REG_RANGE, ylim=(0.8, 1.1 * data["independent"]))

    def update(data):
        image.set_data(data["plan"])
        inside = ((data["curve_x"] >= LOG_REG_RANGE[0] - 1e-9)
                  & (data["curve_x"] <= LOG_REG_RANGE[1] + 1e-9))
        curve.set_data(data["curve_x"][inside], data["curve_y"][inside])
        dot.set_data([data["log_reg"]], [data["relative"]])
        readout.set_text(f"ε / max(sC) = {data['reg_over_max']:.2g},  cost = {data['relative']:.3f} OT")
        return [image, curve, dot, readout]

    update(data)
    return update


@register
def sinkhorn_explorer() -> Explorer:
    """The entropic (Sinkhorn) plan next to the exact plan that splits a wide bump into two
    narrow ones on [0, 1], for the cost C = (x − y)² multiplied by a scale s, and its cost
    relative to the exact optimum OT.

    Try: drag log₁₀ ε down from 1: the blurred plan (nearly the independent plan a bᵀ) sharpens
    towards the exact one and its cost falls towards OT, but at the bottom of the slider it is
    still blurred. Then set the cost scale s to 10: ×10 sharpens the plan exactly as dividing
    ε by 10 does, because only ε / s matters, and at the bottom the plan is the exact one.
    """
    return Explorer(sinkhorn_data, draw_sinkhorn,
                    {"log_reg": Slider("log₁₀ ε", *LOG_REG_RANGE, -1.0, steps=25),
                     "scale": Choice("cost scale s", list(COST_SCALES), 1.0, fmt="g")},
                    figsize=(9.0, 3.2))
