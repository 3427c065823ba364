"""Explorers for entropy and information content (chapters 0 and 1)."""
from __future__ import annotations

import numpy as np

from infoloss.coding import expected_code_length, huffman_code
from infoloss.explorers.core import Choice, Explorer, Slider, register
from infoloss.measures import entropy
from infoloss.plotting import COLORS, decorate
from infoloss.softmax import softmax


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
                    {"p": Slider("p", 0.02, 0.98, 0.3, step=0.01)})


#: Fixed logits of the temperature explorer; the first K are used (K = 3 ... 6 outcomes).
TEMPERATURE_LOGITS = np.array([2.0, 1.0, 0.5, 0.0, -0.5, -1.0])
TEMPERATURE_RANGE = (0.1, 4.0)


def _entropy_and_huffman_length(probs):
    """H(p) and the expected length of p's Huffman code, both in bits."""
    return float(entropy(probs, base=2)), expected_code_length(probs, huffman_code(probs))


def _curves(K: int):
    """H and the Huffman length L over the temperature range, for the first K logits."""
    grid = np.linspace(*TEMPERATURE_RANGE, 160)
    values = [_entropy_and_huffman_length(softmax(TEMPERATURE_LOGITS[:K], temperature=t))
              for t in grid]
    return grid, np.array(values)


_CURVES: dict[int, tuple] = {}   # the curves depend only on K: computed once per K


def temperature_entropy_data(temperature: float, K: int) -> dict:
    """Distribution softmax(logits / T) over K outcomes, its entropy and Huffman code, in bits."""
    probs = softmax(TEMPERATURE_LOGITS[:K], temperature=temperature)
    code = huffman_code(probs)
    H, L = _entropy_and_huffman_length(probs)
    if K not in _CURVES:
        _CURVES[K] = _curves(K)
    grid, values = _CURVES[K]
    return {"T": temperature, "K": K, "probs": probs, "code": code, "H": H, "L": L,
            "grid": grid, "H_curve": values[:, 0], "L_curve": values[:, 1]}


def draw_temperature_entropy(fig, data):
    """Left: the distribution with each outcome's Huffman codeword. Right: H, L against T."""
    n_max = len(TEMPERATURE_LOGITS)
    left, right = fig.subplots(1, 2, width_ratios=[1, 1.25])
    x = np.arange(1, n_max + 1)
    bars = left.bar(x, np.zeros(n_max), color=COLORS["p"])
    words = [left.text(k, 0, "", ha="center", va="bottom", family="monospace", fontsize=7)
             for k in x]
    left.set_xticks(x)
    decorate(left, xlabel="outcome", ylabel="probability", ylim=(0, 1.15), xlim=(0.4, n_max + 0.6))

    (h_line,) = right.plot([], [], color=COLORS["entropy"], label="H(p)")
    (l_line,) = right.plot([], [], color=COLORS["grad"], label="L (Huffman)")
    (h1_line,) = right.plot([], [], color=COLORS["entropy"], ls=":", lw=1, label="H(p) + 1")
    (log_line,) = right.plot([], [], color=COLORS["neutral"], ls="--", lw=1, label="log₂ K")
    (h_dot,) = right.plot([], [], "o", color=COLORS["entropy"])
    (l_dot,) = right.plot([], [], "o", color=COLORS["grad"])
    marker = right.axvline(data["T"], color=COLORS["neutral"], lw=0.8)
    readout = right.set_title(" ", fontsize="small")
    decorate(right, xlabel="temperature T", ylabel="bits", xlim=TEMPERATURE_RANGE,
             ylim=(0, np.log2(n_max) + 1.25), legend=False)
    right.legend(loc="lower right", fontsize=7)

    def update(data):
        K, probs = data["K"], data["probs"]
        for k, (bar, word) in enumerate(zip(bars, words)):
            height = probs[k] if k < K else 0.0
            bar.set_height(height)
            word.set_text(data["code"][k] if k < K else "")
            word.set_y(height + 0.01)
        grid = data["grid"]
        h_line.set_data(grid, data["H_curve"])
        l_line.set_data(grid, data["L_curve"])
        h1_line.set_data(grid, data["H_curve"] + 1)
        log_line.set_data(TEMPERATURE_RANGE, [np.log2(K)] * 2)
        h_dot.set_data([data["T"]], [data["H"]])
        l_dot.set_data([data["T"]], [data["L"]])
        marker.set_xdata([data["T"], data["T"]])
        readout.set_text(f"H = {data['H']:.2f} bits,  L = {data['L']:.2f} bits")
        return [*bars, *words, h_line, l_line, h1_line, log_line, h_dot, l_dot, marker, readout]

    update(data)
    return update


@register
def temperature_entropy_explorer() -> Explorer:
    """softmax(logits / T) over K outcomes: the bars, the entropy H against log₂ K, and the
    expected length L of the distribution's Huffman code (all in bits), with H ≤ L < H + 1.

    Try: drag T towards 0: the distribution becomes one-hot, H falls to 0 but L stays at 1 bit
    (a code for single symbols cannot spend less than one bit); drag T up: the bars level out, H climbs towards
    log₂ K and the codewords become nearly equal in length.
    """
    return Explorer(temperature_entropy_data, draw_temperature_entropy,
                    {"temperature": Slider("T", *TEMPERATURE_RANGE, 1.0, steps=27),
                     "K": Choice("K", [3, 4, 5, 6], 5)},
                    figsize=(8.0, 3.4))
