"""Explorers for softmax cross-entropy and its gradient (chapter 2, {doc}`02_cross_entropy`)."""
from __future__ import annotations

import numpy as np

from infoloss.explorers.core import Choice, Explorer, Slider, register
from infoloss.losses import softmax_cross_entropy, softmax_cross_entropy_grad
from infoloss.plotting import COLORS, decorate
from infoloss.softmax import softmax, softmax_jacobian

#: The fixed logits of classes 2..K of the logits explorer; class 1's logit is the slider.
OTHER_LOGITS = np.array([1.0, 0.0, -1.0])
Z_RANGE = (-5.0, 5.0)
LOSS_MAX = 10.0   # nats shown on the loss axis; larger losses leave the axis at the top


def logits_temperature_data(z1: float, temperature: float, label: int) -> dict:
    """softmax(z / T) for z = (z1, 1, 0, -1), the loss of one-hot ``label`` and its gradient."""
    c = label - 1                                   # classes are counted from 1
    K = OTHER_LOGITS.size + 1
    y = np.eye(K)[c]
    logits = np.concatenate([[z1], OTHER_LOGITS])
    grid = np.linspace(*Z_RANGE, 201)
    grid_logits = np.column_stack([grid, np.tile(OTHER_LOGITS, (grid.size, 1))])
    scaled = logits / temperature
    return {"probs": softmax(logits, temperature=temperature), "label": c, "z1": z1,
            "loss": float(softmax_cross_entropy(y, scaled)),
            # the gradient with respect to the scaled logits z / T (divide by T for d/dz)
            "grad": softmax_cross_entropy_grad(y, scaled),
            "grid": grid, "loss_curve": softmax_cross_entropy(y, grid_logits / temperature)}


def draw_logits_temperature(fig, data):
    """Left: the softmax bars, the label's bar outlined. Middle: loss against z1. Right: p − y."""
    bars_ax, loss_ax, grad_ax = fig.subplots(1, 3, width_ratios=[1, 1.2, 1])
    K = data["probs"].size
    x = np.arange(1, K + 1)
    bars = bars_ax.bar(x, data["probs"], color=COLORS["p"], edgecolor=COLORS["label"], linewidth=0)
    bars_ax.set_xticks(x)
    decorate(bars_ax, title="p = softmax(z / T)", xlabel="class", ylim=(0, 1))

    (curve,) = loss_ax.plot(data["grid"], np.minimum(data["loss_curve"], LOSS_MAX),
                            color=COLORS["entropy"])
    (dot,) = loss_ax.plot([data["z1"]], [min(data["loss"], LOSS_MAX)], "o", color=COLORS["grad"])
    readout = loss_ax.text(0.04, 0.93, "", transform=loss_ax.transAxes, va="top", fontsize="small")
    decorate(loss_ax, title="loss −log p_label (nats)", xlabel="z₁", xlim=Z_RANGE, ylim=(0, LOSS_MAX))

    grad_bars = grad_ax.bar(x, data["grad"], color=COLORS["grad"])
    grad_ax.axhline(0, color=COLORS["neutral"], lw=0.8)
    grad_ax.set_xticks(x)
    decorate(grad_ax, title="∂L/∂(z/T) = p − y", xlabel="class", ylim=(-1, 1))

    def update(data):
        for k, (bar, gbar) in enumerate(zip(bars, grad_bars)):
            bar.set_height(data["probs"][k])
            bar.set_linewidth(2.5 if k == data["label"] else 0)
            gbar.set_height(data["grad"][k])
        curve.set_ydata(np.minimum(data["loss_curve"], LOSS_MAX))
        dot.set_data([data["z1"]], [min(data["loss"], LOSS_MAX)])
        readout.set_text(f"label = class {data['label'] + 1}\nloss = {data['loss']:.3f} nats")
        return [*bars, *grad_bars, curve, dot, readout]

    update(data)
    return update


@register
def logits_temperature_explorer() -> Explorer:
    """Logits z = (z₁, 1, 0, −1) through softmax(z / T): the probabilities, the cross-entropy
    loss −log p_label for a one-hot label, and its gradient p − y with respect to z / T.

    Try: with the label on class 1, drag z₁ from −5 up: the loss falls along its curve and the
    gradient bar of class 1 shrinks from nearly −1 towards 0, while the other bars (their p) melt
    away. Lower T: the bars sharpen and a wrong answer costs more; raise T: everything flattens.
    Move the label to class 4 and the loss climbs as z₁ grows.
    """
    return Explorer(logits_temperature_data, draw_logits_temperature,
                    {"z1": Slider("z₁", *Z_RANGE, 0.0, steps=21),
                     "temperature": Slider("T", 0.25, 2.5, 1.0, steps=4),
                     "label": Choice("label", [1, 2, 3, 4], 1)},
                    figsize=(9.0, 3.2))


def ce_mse_gradients(z, K: int) -> dict:
    """Losses and gradient norms for logits (z, 0, ..., 0), the true class being class 1.

    Cross-entropy: ∂L/∂z = p − y. Squared error L = ½‖p − y‖²: ∂L/∂z = J (p − y), with J the
    softmax Jacobian. ``z`` may be an array of values.
    """
    z = np.atleast_1d(np.asarray(z, float))
    logits = np.zeros((z.size, K))
    logits[:, 0] = z
    y = np.eye(K)[0]
    p = softmax(logits)
    ce_grad = softmax_cross_entropy_grad(y, logits)
    mse_grad = np.einsum("nij,nj->ni", softmax_jacobian(logits), p - y)
    return {"ce": softmax_cross_entropy(y, logits), "mse": 0.5 * ((p - y) ** 2).sum(axis=1),
            "ce_grad": np.linalg.norm(ce_grad, axis=1), "mse_grad": np.linalg.norm(mse_grad, axis=1)}


CE_Z_RANGE = (-10.0, 10.0)
GRAD_FLOOR = 1e-5     # the gradient axis (log scale) starts here


def ce_vs_mse_data(z: float, K: int) -> dict:
    """Both losses and gradient norms along z, and at the current z."""
    grid = np.linspace(*CE_Z_RANGE, 241)
    return {"z": z, "K": K, "grid": grid, "curves": ce_mse_gradients(grid, K),
            "point": {k: float(v[0]) for k, v in ce_mse_gradients(z, K).items()}}


def draw_ce_vs_mse(fig, data):
    """Left: the two losses against the true-class logit. Right: their gradient norms, log scale."""
    loss_ax, grad_ax = fig.subplots(1, 2)
    lines, dots = {}, {}
    for ax, keys in ((loss_ax, ("ce", "mse")), (grad_ax, ("ce_grad", "mse_grad"))):
        for key, color, name in zip(keys, (COLORS["p"], COLORS["grad"]),
                                    ("cross-entropy", "squared error")):
            (lines[key],) = ax.plot([], [], color=color, label=name)
            (dots[key],) = ax.plot([], [], "o", color=color)
    marker = grad_ax.axvline(data["z"], color=COLORS["neutral"], lw=0.8)
    grad_ax.set_yscale("log")
    decorate(loss_ax, title="loss (nats)", xlabel="logit of the true class z", xlim=CE_Z_RANGE,
             ylim=(0, 12))
    decorate(grad_ax, ylabel="gradient norm ‖∂L/∂z‖", xlabel="logit of the true class z",
             xlim=CE_Z_RANGE, ylim=(GRAD_FLOOR, 2), legend=False)
    readout = grad_ax.set_title(" ", fontsize="small")

    def update(data):
        changed = []
        for key in ("ce", "mse", "ce_grad", "mse_grad"):
            lines[key].set_data(data["grid"], np.maximum(data["curves"][key], GRAD_FLOOR / 10))
            dots[key].set_data([data["z"]], [max(data["point"][key], GRAD_FLOOR / 10)])
            changed += [lines[key], dots[key]]
        marker.set_xdata([data["z"], data["z"]])
        pt = data["point"]
        readout.set_text(f"‖∂L/∂z‖: cross-entropy {pt['ce_grad']:.2g}, squared error {pt['mse_grad']:.2g}")
        return [*changed, marker, readout]

    update(data)
    return update


@register
def ce_vs_mse_explorer() -> Explorer:
    """Cross-entropy against squared error on softmax outputs, as the logit z of the true class
    moves (the other K − 1 logits are 0): both losses, and the size of their gradients.

    Try: drag z to −10, a confidently wrong model: the norm of the cross-entropy gradient,
    ‖p − y‖, stays above 1 (it tends to √(K/(K−1))), while the squared-error gradient has all but
    vanished (note the log scale), so squared error barely learns where it is most wrong. Raise
    K: more wrong classes share the probability, and the squared-error gradient shrinks further.
    """
    return Explorer(ce_vs_mse_data, draw_ce_vs_mse,
                    {"z": Slider("z", *CE_Z_RANGE, -4.0, steps=21),
                     "K": Choice("K", list(range(2, 11)), 2)},
                    figsize=(8.0, 3.2))
