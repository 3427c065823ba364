"""The entropies of two variables and their mutual information (chapter 7,
{doc}`07_mutual_information_perplexity`): a 2 x 2 joint distribution with a dependence slider,
and the bar diagram of H(X, Y), H(X), H(Y), H(X | Y), I(X; Y), H(Y | X)."""
from __future__ import annotations

import numpy as np

from infoloss.explorers.core import Choice, Explorer, Slider, register
from infoloss.joint import conditional_entropy, joint_entropy, mutual_information
from infoloss.measures import entropy
from infoloss.plotting import COLORS, decorate

#: Colours of the three parts of H(X, Y) in the diagram.
PART_COLORS = {"H(X|Y)": COLORS["p"], "I(X;Y)": COLORS["entropy"], "H(Y|X)": COLORS["q"]}


def information_quantities(joint, base=2) -> dict:
    """H(X), H(Y), H(X, Y), H(X | Y), H(Y | X) and I(X; Y) of a 2-D table ``joint[x, y]``."""
    joint = np.asarray(joint, dtype=float)
    return {"H(X)": float(entropy(joint.sum(axis=1), base=base)),
            "H(Y)": float(entropy(joint.sum(axis=0), base=base)),
            "H(X,Y)": joint_entropy(joint, base=base),
            "H(X|Y)": conditional_entropy(joint.T, base=base),
            "H(Y|X)": conditional_entropy(joint, base=base),
            "I(X;Y)": mutual_information(joint, base=base)}


def _segments(q: dict) -> dict:
    """(left, width) of every bar segment of the diagram: three rows share the I(X;Y) column."""
    a, i, b = q["H(X|Y)"], q["I(X;Y)"], q["H(Y|X)"]
    return {("H(X,Y)", "H(X|Y)"): (0.0, a), ("H(X,Y)", "I(X;Y)"): (a, i),
            ("H(X,Y)", "H(Y|X)"): (a + i, b),
            ("H(X)", "H(X|Y)"): (0.0, a), ("H(X)", "I(X;Y)"): (a, i),
            ("H(Y)", "I(X;Y)"): (a, i), ("H(Y)", "H(Y|X)"): (a + i, b)}


ROWS = ["H(X,Y)", "H(X)", "H(Y)"]


def draw_information_diagram(ax, quantities: dict, *, xmax: float, unit: str = "bits"):
    """The bar diagram of MacKay (2003), Fig. 8.1, on ``ax``: H(X, Y) on top, split into
    H(X | Y), I(X; Y) and H(Y | X); below it H(X) and H(Y), which overlap in I(X; Y).

    Returns ``update(quantities)``, which moves the bars and value labels and returns them.
    """
    y_of = {row: len(ROWS) - 1 - i for i, row in enumerate(ROWS)}
    bars, labels = {}, {}
    for (row, part), (left, width) in _segments(quantities).items():
        (bars[row, part],) = ax.barh(y_of[row], width, left=left, height=0.6,
                                     color=PART_COLORS[part], edgecolor="white", linewidth=1)
    for row in ROWS:
        labels[row] = ax.text(xmax * 0.99, y_of[row] + 0.34, "", ha="right", va="bottom",
                              fontsize="small")
    ax.set_yticks(list(y_of.values()), list(y_of))
    handles = [bars["H(X,Y)", part] for part in PART_COLORS]
    ax.legend(handles, [p.replace("|", " | ").replace(";", "; ") for p in PART_COLORS],
              loc="lower center", ncol=3, fontsize="small", handlelength=1,
              columnspacing=1.0)
    decorate(ax, xlabel=unit, xlim=(0, xmax), ylim=(-1.0, len(ROWS) - 0.1), legend=False)
    ax.grid(False, axis="y")
    ax.spines["left"].set_visible(False)  # the bars start on it
    ax.set_title("H(X, Y) = H(X | Y) + I(X; Y) + H(Y | X)", fontsize="small")
    readout = ax.text(0.02, 0.97, "", transform=ax.transAxes, va="top", fontsize="medium")

    def update(quantities):
        for (row, part), (left, width) in _segments(quantities).items():
            bars[row, part].set_x(left)
            bars[row, part].set_width(width)
        for row in ROWS:
            labels[row].set_text(f"{row.replace(',', ', ')} = {quantities[row]:.3f}")
        readout.set_text(f"I(X; Y) = {quantities['I(X;Y)']:.3f} {unit}")
        return [*bars.values(), *labels.values(), readout]

    update(quantities)
    return update


def dependent_table(dependence: float, px1: float, py1: float) -> np.ndarray:
    """A 2 x 2 joint distribution with P(X = 1) = px1 and P(Y = 1) = py1 whose covariance goes
    from its most negative (``dependence = -1``) through 0 (independent) to its most positive
    (``dependence = +1``) value."""
    independent = np.outer([1 - px1, px1], [1 - py1, py1])
    if dependence >= 0:
        c = dependence * min(px1 * (1 - py1), (1 - px1) * py1)
    else:
        c = dependence * min(px1 * py1, (1 - px1) * (1 - py1))
    joint = independent + c * np.array([[1.0, -1.0], [-1.0, 1.0]])
    return np.maximum(joint, 0.0)  # a -1e-17 from rounding is a 0


def mutual_information_data(dependence: float, px: float, py: float) -> dict:
    """The table with P(X = 1) = px and P(Y = 1) = py, its six information quantities and
    H(Y | X = x) for each x, in bits."""
    joint = dependent_table(dependence, px, py)
    rows = joint / joint.sum(axis=1, keepdims=True)
    return {"joint": joint, "q": information_quantities(joint),
            "H(Y|X=x)": entropy(rows, base=2)}


def draw_mutual_information(fig, data):
    """Left: the table p(x, y). Middle: the diagram. Right: H(Y | X = x) against H(Y)."""
    table_ax, diagram_ax, cond_ax = fig.subplots(1, 3, width_ratios=[0.8, 1.6, 0.9])
    image = table_ax.imshow(data["joint"], cmap="Blues", vmin=0, vmax=1)
    cells = [[table_ax.text(y, x, "", ha="center", va="center", fontsize="medium")
              for y in range(2)] for x in range(2)]
    table_ax.set_xticks([0, 1], ["y = 0", "y = 1"])
    table_ax.set_yticks([0, 1], ["x = 0", "x = 1"])
    table_ax.grid(False)
    table_ax.set_frame_on(False)  # the image covers the frame; a live update would hide it
    table_ax.set_title("p(x, y)")

    update_diagram = draw_information_diagram(diagram_ax, data["q"], xmax=2.0)

    bars = cond_ax.bar([0, 1], data["H(Y|X=x)"], color=COLORS["q"], width=0.6)
    (h_y,) = cond_ax.plot([-0.5, 1.5], [0, 0], color=COLORS["neutral"], lw=1.5, label="H(Y)")
    (h_y_x,) = cond_ax.plot([-0.5, 1.5], [0, 0], color=COLORS["grad"], ls="--", lw=1.5,
                            label="H(Y | X)")
    cond_ax.set_xticks([0, 1], ["x = 0", "x = 1"])
    decorate(cond_ax, title="H(Y | X = x), bits", xlim=(-0.5, 1.5), ylim=(0, 1.35),
             legend=False)
    cond_ax.legend(loc="upper center", ncol=2, fontsize="small", handlelength=1.2,
                   columnspacing=0.8)

    def update(data):
        image.set_data(data["joint"])
        for x in range(2):
            for y in range(2):
                cells[x][y].set_text(f"{data['joint'][x, y]:.3f}")
        for bar, h in zip(bars, data["H(Y|X=x)"]):
            bar.set_height(h)
        h_y.set_ydata([data["q"]["H(Y)"]] * 2)
        h_y_x.set_ydata([data["q"]["H(Y|X)"]] * 2)
        return [image, *sum(cells, []), *bars, h_y, h_y_x, *update_diagram(data["q"])]

    update(data)
    return update


@register
def mutual_information_explorer() -> Explorer:
    """Two coins X and Y with P(X = 1) and P(Y = 1) fixed and a dependence from −1 (the most
    negative covariance the marginals allow) through 0 (independent) to +1: the table p(x, y),
    the diagram of H(X, Y), H(X), H(Y), H(X | Y), I(X; Y) and H(Y | X) in bits, and the entropy
    of Y in each row of the table.

    Try: drag the dependence to 0: I(X; Y) shrinks to nothing, H(X, Y) = H(X) + H(Y) and both
    rows have the entropy H(Y). Drag it to +1 with both marginals 0.5: Y copies X, and
    I(X; Y) = H(X) = H(Y) = 1 bit. Then set P(Y = 1) = 0.1: at dependence +1 the row x = 1
    has more uncertainty about Y than H(Y) itself, and only the average H(Y | X) stays below it.
    """
    return Explorer(mutual_information_data, draw_mutual_information,
                    {"dependence": Slider("dependence", -1.0, 1.0, 0.5, steps=25),
                     # from the fair coin down, so that it opens on one end of the control
                     "px": Choice("P(X=1)", [0.5, 0.3, 0.1], 0.5),
                     "py": Choice("P(Y=1)", [0.5, 0.3, 0.1], 0.5)},
                    figsize=(9.0, 3.3))
