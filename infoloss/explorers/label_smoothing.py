"""Explorers for label smoothing and calibration (chapter 3, {doc}`03_label_smoothing`), and the
chapter's toy model: softmax regression on overlapping Gaussian classes, trained from scratch.

The toy model lives here once, so that the chapter and the calibration explorer train the same
model; the chapter writes the same few lines out and asserts that they agree.
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np
import scipy.optimize
from matplotlib.colors import to_rgb
from matplotlib.patches import Patch

from infoloss.calibration import expected_calibration_error, reliability_bins
from infoloss.explorers.core import Choice, Explorer, Slider, register
from infoloss.losses import softmax_cross_entropy
from infoloss.measures import entropy
from infoloss.plotting import COLORS, decorate
from infoloss.smoothing import optimal_logit_gap, smooth_labels
from infoloss.softmax import softmax

# --- the toy model ---------------------------------------------------------------------------------
#: The toy problem: K Gaussian classes in `dim` dimensions, class k centred at sep * e_k with unit
#: noise, so the classes overlap; few training points, so a linear model can separate them.
TOY = {"K": 3, "dim": 25, "sep": 2.0, "n_train": 120, "n_val": 300, "n_test": 3000,
       "steps": 2000, "lr": 0.5, "seed": 0}


def make_overlapping_classes(n: int, rng, *, K=TOY["K"], dim=TOY["dim"], sep=TOY["sep"]):
    """``n`` points ``X`` (n, dim) and their classes ``labels`` (n,): class k is N(sep e_k, I)."""
    labels = rng.integers(K, size=n)
    X = sep * np.eye(K, dim)[labels] + rng.standard_normal((n, dim))
    return X, labels


def toy_data(seed: int = TOY["seed"]) -> dict:
    """The training, validation and test sets, drawn in that order from one seeded generator."""
    rng = np.random.default_rng(seed)
    return {name: make_overlapping_classes(TOY[f"n_{name}"], rng) for name in ("train", "val", "test")}


def train_softmax_regression(X, labels, eps, *, K=TOY["K"], steps=TOY["steps"], lr=TOY["lr"]):
    """Full-batch gradient descent on the smoothed softmax cross-entropy (``"uniform"``
    convention), from zero weights.

    Returns the weights ``W`` (dim, K), the biases ``b`` (K,) and ``norms`` (steps,), the mean
    logit norm ``mean_n ||z_n||`` on the training set after each step (``norms[t - 1]`` after
    ``t`` steps).
    """
    Y = smooth_labels(labels, K, eps)
    W, b = np.zeros((X.shape[1], K)), np.zeros(K)
    norms = np.empty(steps)
    for step in range(steps):
        G = (softmax(X @ W + b) - Y) / len(X)   # d(mean loss)/dZ: p - y per example (chapter 2)
        W -= lr * X.T @ G
        b -= lr * G.sum(axis=0)
        norms[step] = np.linalg.norm(X @ W + b, axis=1).mean()
    return W, b, norms


def fit_temperature(logits, labels) -> float:
    """Temperature scaling (Guo et al. 2017): the T > 0 that minimizes the mean negative
    log-likelihood of ``softmax(logits / T)`` on held-out ``labels``."""
    onehot = np.eye(logits.shape[1])[labels]
    nll = lambda log_t: softmax_cross_entropy(onehot, logits / np.exp(log_t)).mean()
    res = scipy.optimize.minimize_scalar(nll, bounds=(-4.0, 4.0), method="bounded",
                                         options={"xatol": 1e-8})
    return float(np.exp(res.x))


@lru_cache(maxsize=None)
def trained_toy(eps: float) -> dict:
    """The toy model trained at ``eps`` (cached per value): weights, training logit norms, test
    logits and the temperature fitted on the validation set."""
    data = toy_data()
    W, b, norms = train_softmax_regression(*data["train"], eps)
    X_val, y_val = data["val"]
    X_test, y_test = data["test"]
    return {"W": W, "b": b, "norms": norms, "test_logits": X_test @ W + b, "test_labels": y_test,
            "T": fit_temperature(X_val @ W + b, y_val)}


# --- explorer 1: the smoothed targets and the optimal gap --------------------------------------------
EPS_RANGE = (0.0, 0.5)
GAP_MAX = 8.0      # the gap axis ends here; an infinite gap is drawn at the top


def smoothed_targets_data(eps: float, K: int) -> dict:
    """Targets of class 1 under both conventions, and the optimal gap of each along eps (the
    grid is dense near 0, where the gap grows like log(1/eps) past the top of the plot)."""
    grid = np.concatenate([np.geomspace(1e-5, 0.01, 60, endpoint=False),
                           np.linspace(0.01, EPS_RANGE[1], 150)])
    return {"eps": eps, "K": K,
            "targets": {c: smooth_labels(0, K, eps, convention=c) for c in ("uniform", "others")},
            "gap": {c: optimal_logit_gap(K, eps, convention=c) for c in ("uniform", "others")},
            "grid": grid,
            "curves": {c: optimal_logit_gap(K, grid, convention=c) for c in ("uniform", "others")}}


_CONVENTION_NAMES = {"uniform": "uniform: (1 − ε)·onehot + ε/K", "others": "others: 1 − ε and ε/(K − 1)"}
_CONVENTION_COLORS = {"uniform": COLORS["p"], "others": COLORS["q"]}
MAX_K = 10


def _fmt_gap(g: float) -> str:
    return "∞" if np.isinf(g) else f"{g:.2f}"


def draw_smoothed_targets(fig, data):
    """Left and middle: the smoothed label of class 1 under each convention. Right: the optimal
    logit gap of each against eps, with the current eps marked."""
    axes = fig.subplots(1, 3, width_ratios=[1, 1, 1.3])
    bars, labels_true, labels_other = {}, {}, {}
    for ax, c in zip(axes[:2], ("uniform", "others")):
        bars[c] = ax.bar(np.arange(MAX_K), np.zeros(MAX_K), color=_CONVENTION_COLORS[c],
                         edgecolor=COLORS["label"])
        labels_true[c] = ax.text(0, 0, "", ha="center", va="bottom", fontsize="small")
        labels_other[c] = ax.text(0.98, 0.35, "", ha="right", va="bottom", fontsize="small",
                                  transform=ax.transAxes)
        ax.set_xticks([])
        decorate(ax, title=_CONVENTION_NAMES[c], xlabel="class (true class first)", ylim=(0, 1.12),
                 xlim=(0, 1))
    gap_ax = axes[2]
    lines, dots = {}, {}
    for c in ("uniform", "others"):
        (lines[c],) = gap_ax.plot([], [], color=_CONVENTION_COLORS[c], label=c)
        (dots[c],) = gap_ax.plot([], [], "o", color=_CONVENTION_COLORS[c], clip_on=False)
    readout = gap_ax.text(0.97, 0.95, "", transform=gap_ax.transAxes, ha="right", va="top",
                          fontsize="small")
    decorate(gap_ax, title="optimal logit gap z_true − z_other", xlabel="ε", xlim=EPS_RANGE,
             ylim=(-0.2, GAP_MAX + 0.3), legend=True)
    gap_ax.legend(loc="lower left")

    def update(data):
        K = data["K"]
        width = 0.8 / K
        changed = []
        for c in ("uniform", "others"):
            y = data["targets"][c]
            for k, bar in enumerate(bars[c]):
                on = k < K
                bar.set_x((k + 0.5) / K - width / 2 if on else 0.0)
                bar.set_width(width if on else 0.0)
                bar.set_height(y[k] if on else 0.0)
                bar.set_linewidth(2.0 if k == 0 else 0.0)
            labels_true[c].set_position((0.5 / K, y[0] + 0.02))
            labels_true[c].set_text(f"{y[0]:.3f}")
            labels_other[c].set_text(f"each other class:\n{y[1]:.3f}")
            lines[c].set_data(data["grid"], np.minimum(data["curves"][c], GAP_MAX))
            infinite = bool(np.isinf(data["gap"][c]))   # eps = 0: a triangle at the top
            dots[c].set_data([data["eps"]], [min(data["gap"][c], GAP_MAX)])
            dots[c].set_marker("^" if infinite else "o")
            changed += [*bars[c], labels_true[c], labels_other[c], lines[c], dots[c]]
        g = data["gap"]
        readout.set_text(f"K = {K}, ε = {data['eps']:.2f}\nuniform: gap {_fmt_gap(g['uniform'])}\n"
                         f"others: gap {_fmt_gap(g['others'])}")
        return [*changed, readout]

    update(data)
    return update


@register
def smoothed_targets_explorer() -> Explorer:
    """The smoothed label of the true class (drawn first) under both conventions, and the
    optimal logit gap of each: the distance by which the true logit ends up above the others.

    Try: drag ε towards 0: both gaps grow like log(1/ε), off the top of the plot, and at ε = 0
    both labels are one-hot and both gaps are infinite (the triangles at the top). Raise ε: "uniform" keeps more on the true class than "others" with the same ε, since part of
    its ε/K lands there too, so its gap is larger. Raise K: the wrong classes share the same
    mass, each gets less, and the gaps grow like log K.
    """
    return Explorer(smoothed_targets_data, draw_smoothed_targets,
                    {"eps": Slider("ε", *EPS_RANGE, 0.1, steps=26),
                     "K": Choice("K", [2, 3, 4, 5, 10], 5)},
                    figsize=(10.0, 3.3))


# --- explorer 2: the loss along the logit gap ---------------------------------------------------------
G_RANGE = (-2.0, 10.0)
LOSS_MAX = 5.0


def gap_loss_data(eps: float, convention: str, K: int) -> dict:
    """The one-hot and the smoothed loss, and their derivatives, along the gap g between the
    true logit and the K − 1 (equal) others; the minimum of the smoothed loss."""
    g = np.linspace(*G_RANGE, 241)
    logits = np.zeros((g.size, K))
    logits[:, 0] = g
    y_hard, y_soft = np.eye(K)[0], smooth_labels(0, K, eps, convention=convention)
    p_true = softmax(logits)[:, 0]
    gap = optimal_logit_gap(K, eps, convention=convention)
    return {"eps": eps, "K": K, "convention": convention, "g": g,
            "hard": softmax_cross_entropy(y_hard, logits), "soft": softmax_cross_entropy(y_soft, logits),
            # dL/dg = p_true - y_true: the true logit's gradient component
            "hard_grad": p_true - 1.0, "soft_grad": p_true - y_soft[0],
            "gap": gap, "floor": float(entropy(y_soft))}


def draw_gap_loss(fig, data):
    """Left: both losses against the gap, with the smoothed minimum. Right: dL/dg."""
    loss_ax, grad_ax = fig.subplots(1, 2)
    (hard,) = loss_ax.plot(data["g"], data["hard"], color=COLORS["neutral"], label="one-hot")
    (soft,) = loss_ax.plot([], [], color=COLORS["grad"], label="smoothed")
    floor = loss_ax.axhline(0.0, color=COLORS["grad"], ls=":", lw=1)
    (best,) = loss_ax.plot([], [], "o", color=COLORS["grad"])
    # the readout sits above the curves (below 3.1 nats for 2 < g < 6, every ε, K), the legend
    # in the empty lower right of the slope panel
    readout = loss_ax.text(0.5, 0.95, "", transform=loss_ax.transAxes, ha="center", va="top",
                           fontsize="small")
    decorate(loss_ax, title="loss (nats)", xlabel="gap g = z_true − z_other", xlim=G_RANGE,
             ylim=(0, LOSS_MAX), legend=False)
    (hard_g,) = grad_ax.plot(data["g"], data["hard_grad"], color=COLORS["neutral"], label="one-hot")
    (soft_g,) = grad_ax.plot([], [], color=COLORS["grad"], label="smoothed")
    grad_ax.axhline(0, color="black", lw=0.6)
    marker = grad_ax.axvline(G_RANGE[1], color=COLORS["grad"], ls=":", lw=1)
    decorate(grad_ax, title="dL/dg = p_true − y_true", xlabel="gap g", xlim=G_RANGE,
             ylim=(-1.05, 0.6), legend=False)
    grad_ax.legend(loc="lower right")

    def update(data):
        hard.set_ydata(data["hard"])
        hard_g.set_ydata(data["hard_grad"])
        soft.set_data(data["g"], np.minimum(data["soft"], LOSS_MAX + 1))
        soft_g.set_data(data["g"], data["soft_grad"])
        gap = data["gap"]
        shown = min(gap, G_RANGE[1])
        floor.set_ydata([data["floor"], data["floor"]])
        best.set_data([shown], [data["floor"]])
        best.set_visible(bool(np.isfinite(gap)))
        marker.set_xdata([shown, shown])
        if np.isfinite(gap):
            text = f"minimum at g* = {gap:.2f}\nfloor H(y) = {data['floor']:.3f} nats"
        else:
            text = "ε = 0: no minimum,\nthe loss only tends to 0 as g → ∞"
        readout.set_text(text)
        return [hard, hard_g, soft, soft_g, floor, best, marker, readout]

    update(data)
    return update


@register
def gap_loss_explorer() -> Explorer:
    """The softmax cross-entropy as a function of the gap g between the true logit and the
    K − 1 others, for the one-hot label and for the smoothed one, with their slopes dL/dg.

    Try: at ε = 0.1 the smoothed loss has a minimum at a finite gap g*, where its slope crosses
    0; the one-hot loss keeps falling and its slope stays negative however large g gets. Lower
    ε: the minimum moves right and its floor sinks; at ε = 0 there is no minimum. Switch the convention: at the same
    ε, "others" moves more mass off the true class, so its g* is smaller. Raise K: g* grows and
    so does the floor H(y) the smoothed loss cannot go below.
    """
    return Explorer(gap_loss_data, draw_gap_loss,
                    {"eps": Slider("ε", *EPS_RANGE, 0.1, steps=26),
                     "convention": Choice("convention", ["uniform", "others"], "uniform"),
                     "K": Choice("K", [2, 3, 5, 10], 3)},
                    figsize=(9.0, 3.3))


# --- explorer 3: calibration of the toy model -----------------------------------------------------------
#: The smoothing amounts the calibration explorer trains the toy model at.
CALIBRATION_EPS = (0.0, 0.02, 0.05, 0.1, 0.2, 0.3)
N_BINS = 15


def calibration_data(eps: float, scaling: str) -> dict:
    """The toy model trained at ``eps``: its reliability diagram on the test set (after
    temperature scaling if ``scaling == "on"``), and its training logit norms with eps = 0's."""
    model = trained_toy(eps)
    T = model["T"] if scaling == "on" else 1.0
    probs = softmax(model["test_logits"], temperature=T)
    labels = model["test_labels"]
    return {"eps": eps, "T": T, "scaling": scaling,
            "bins": reliability_bins(probs, labels, n_bins=N_BINS),
            "ece": expected_calibration_error(probs, labels, n_bins=N_BINS),
            "accuracy": float(np.mean(probs.argmax(axis=1) == labels)),
            "confidence": float(probs.max(axis=1).mean()),
            "norms": model["norms"], "norms_hard": trained_toy(0.0)["norms"]}


def _light(color, alpha):
    """``color`` mixed with white: an opaque tint, so a box drawn over a bar hides it."""
    rgb = np.array(to_rgb(color))
    return tuple(alpha * rgb + (1 - alpha) * np.ones(3))


#: The gap boxes of a reliability diagram: above the accuracy bar where the bin's mean
#: confidence is higher (overconfident), over its top where it is lower (underconfident).
_GAP_STYLE = {True: (_light(COLORS["grad"], 0.3), COLORS["grad"], "confidence > accuracy"),
              False: (_light(COLORS["label"], 0.35), COLORS["label"], "confidence < accuracy")}


def draw_reliability(ax, bins, *, legend=True):
    """A reliability diagram on ``ax``: accuracy per confidence bin, and the gap to the bin's
    mean confidence as a box, orange where the confidence is higher, green where it is lower
    (with a legend unless ``legend=False``). Returns ``update(bins)``, which moves the bars and
    returns them."""
    centers = (bins.edges[:-1] + bins.edges[1:]) / 2
    width = bins.edges[1] - bins.edges[0]
    ax.plot([0, 1], [0, 1], color=COLORS["neutral"], ls=":", lw=1)
    acc_bars = ax.bar(centers, np.zeros_like(centers), width=width * 0.95, color=COLORS["p"])
    gap_bars = ax.bar(centers, np.zeros_like(centers), width=width * 0.95, linewidth=1.2)
    decorate(ax, xlabel="confidence (top-class probability)", ylabel="accuracy", xlim=(0, 1),
             ylim=(0, 1), legend=False)
    if legend:
        handles = [Patch(facecolor=COLORS["p"], label="accuracy")] + [
            Patch(facecolor=face, edgecolor=edge, label=label)
            for face, edge, label in _GAP_STYLE.values()]
        ax.legend(handles=handles, loc="upper left", fontsize="small")

    def update(bins):
        filled = bins.counts > 0
        acc = np.where(filled, bins.accuracy, 0.0)
        conf = np.where(filled, bins.confidence, 0.0)
        for bar, a in zip(acc_bars, acc):
            bar.set_height(a)
        for bar, a, c, f in zip(gap_bars, acc, conf, filled):
            face, edge, _ = _GAP_STYLE[bool(c > a)]
            bar.set_y(min(a, c))
            bar.set_height(abs(a - c))
            bar.set_facecolor(face)
            bar.set_edgecolor(edge)
            bar.set_visible(bool(f))          # no outline on empty bins
        return [*acc_bars, *gap_bars]

    update(bins)
    return update


def draw_calibration(fig, data):
    """Left: the reliability diagram. Middle: how the test examples spread over the bins. Right:
    the mean training logit norm against the gradient step, for this eps and for eps = 0."""
    rel_ax, hist_ax, norm_ax = fig.subplots(1, 3, width_ratios=[1.2, 1, 1.2])
    update_rel = draw_reliability(rel_ax, data["bins"])
    edges = data["bins"].edges
    hist = hist_ax.bar((edges[:-1] + edges[1:]) / 2, np.zeros(N_BINS), width=edges[1] - edges[0],
                       color=COLORS["neutral"], alpha=0.6)
    decorate(hist_ax, title="test examples per bin", xlabel="confidence", ylabel="fraction",
             xlim=(0, 1), ylim=(0, 1))
    readout = hist_ax.text(0.04, 0.95, "", transform=hist_ax.transAxes, ha="left", va="top",
                           fontsize="small")
    steps = np.arange(1, data["norms"].size + 1)
    norm_ax.plot(steps, data["norms_hard"], color=COLORS["neutral"], label="ε = 0")
    (norm_line,) = norm_ax.plot(steps, data["norms"], color=COLORS["grad"], label="this ε")
    norm_ax.set_xscale("log")
    decorate(norm_ax, title="training: mean logit norm ‖z‖", xlabel="gradient step",
             xlim=(1, steps[-1]), ylim=(0, 18), legend=True)
    norm_ax.legend(loc="upper left")

    def update(data):
        bins = data["bins"]
        for bar, n in zip(hist, bins.counts / bins.counts.sum()):
            bar.set_height(n)
        norm_line.set_ydata(data["norms"])
        scaled = f", T = {data['T']:.2f}" if data["scaling"] == "on" else ""
        readout.set_text(f"ECE = {data['ece']:.3f}{scaled}\naccuracy = {data['accuracy']:.3f}\n"
                         f"mean confidence = {data['confidence']:.3f}")
        return [*update_rel(bins), *hist, norm_line, readout]

    update(data)
    return update


def _toy_doc(factory):
    """Fill the toy problem's sizes (:data:`TOY`) into ``factory``'s docstring, so that the
    caption and alt text of its figure cannot go stale."""
    if factory.__doc__:                 # None under python -OO
        factory.__doc__ = factory.__doc__.format(**TOY)
    return factory


@register
@_toy_doc
def calibration_explorer() -> Explorer:
    """The chapter's toy model (softmax regression on {K} overlapping Gaussian classes in {dim}
    dimensions, {n_train} training points, {steps} gradient steps) trained with label smoothing ε:
    its reliability diagram and ECE on {n_test} test points, how confident it is, and how its
    logits grew during training.

    Try: at ε = 0 the blue bars sit below the diagonal, under orange boxes: the model is far more
    confident than it is accurate, and its logits are still growing when training stops. Step ε
    up: the logits settle, the bars climb to the diagonal and the ECE falls; by ε = 0.3 the bars
    overshoot, with green boxes (the model is now underconfident). Switch temperature scaling on:
    a single T fitted on {n_val} held-out points calibrates every ε, without changing the
    accuracy.
    """
    return Explorer(calibration_data, draw_calibration,
                    {"eps": Choice("ε", list(CALIBRATION_EPS), 0.0, fmt=".2f"),
                     "scaling": Choice("temperature scaling", ["off", "on"], "off")},
                    figsize=(11.0, 3.4))
