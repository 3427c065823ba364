"""Explorers for entropy and information content (chapters 0 and 1)."""
from __future__ import annotations

import numpy as np

from infoloss.explorers.core import Explorer, Slider, register
from infoloss.measures import entropy
from infoloss.plotting import COLORS, decorate


def binary_entropy_data(p: float) -> dict:
    """Surprise of each face and the entropy of a coin with P(heads) = ``p``, in bits."""
    grid = np.linspace(0.001, 0.999, 400)
    curve = entropy(np.stack([grid, 1 - grid], axis=-1), base=2)
    return {"p": p, "grid": grid, "curve": curve,
            "surprise": -np.log2([p, 1 - p]), "H": float(entropy([p, 1 - p], base=2))}


def draw_binary_entropy(fig, data):
    """Left: H(p) with the current point. Right: I(heads), I(tails) and H as bars."""
    left, right = fig.subplots(1, 2, width_ratios=[3, 2])
    left.plot(data["grid"], data["curve"], color=COLORS["entropy"], label="H(p)")
    (point,) = left.plot([data["p"]], [data["H"]], "o", color=COLORS["p"])
    decorate(left, xlabel="p = P(heads)", ylabel="bits", ylim=(0, 1.05), legend=False)
    bars = right.bar(["I(heads)", "I(tails)", "H"], [*data["surprise"], data["H"]],
                     color=[COLORS["p"], COLORS["q"], COLORS["entropy"]])
    decorate(right, ylabel="bits", ylim=(0, 7))
    right.axhline(1, color=COLORS["neutral"], lw=0.8, ls=":")

    def update(data):
        point.set_data([data["p"]], [data["H"]])
        for bar, h in zip(bars, [*data["surprise"], data["H"]]):
            bar.set_height(h)
        return [point, *bars]

    return update


@register
def binary_entropy_explorer() -> Explorer:
    """A coin with P(heads) = p: the surprise of each face and the entropy, in bits.

    Try: drag p towards 0 and watch I(heads) grow while H(p) falls; H peaks at p = 1/2.
    """
    return Explorer(binary_entropy_data, draw_binary_entropy,
                    {"p": Slider("p", 0.01, 0.99, 0.3)})
