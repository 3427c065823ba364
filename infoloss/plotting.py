"""The book's plot style and the small helpers chapters and explorers share."""
from __future__ import annotations

import matplotlib as mpl
import numpy as np
from matplotlib.colors import ListedColormap

#: Colour per role, used consistently across chapters (colour-blind safe, Okabe–Ito).
COLORS = {"p": "#0072B2", "q": "#E69F00", "label": "#009E73", "grad": "#D55E00",
          "entropy": "#CC79A7", "neutral": "#555555"}

STYLE = {
    "figure.figsize": (6.4, 3.2),
    "figure.dpi": 100,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.titlesize": "medium",
    "legend.frameon": False,
}


def use_book_style() -> None:
    """Apply the book's matplotlib style (rcParams) to every later figure."""
    mpl.rcParams.update(STYLE)


def decorate(ax, *, title=None, xlabel=None, ylabel=None, xlim=None, ylim=None, legend=None):
    """Label an Axes in one call (after Downey's ``decorate``); returns ``ax``.

    ``legend=None`` adds a legend only when some artist has a label.
    """
    if title is not None:
        ax.set_title(title)
    if xlabel is not None:
        ax.set_xlabel(xlabel)
    if ylabel is not None:
        ax.set_ylabel(ylabel)
    if xlim is not None:
        ax.set_xlim(*xlim)
    if ylim is not None:
        ax.set_ylim(*ylim)
    handles, _ = ax.get_legend_handles_labels()
    if legend or (legend is None and handles):
        ax.legend()
    return ax


def plot_decision_regions(ax, predict, points, labels, *, resolution=200, margin=0.5, title=None):
    """Shade the plane by the class ``predict`` assigns, and scatter ``points`` by their labels.

    ``predict`` maps an (N, 2) array of points to N class indices; ``points`` is (n, 2) and
    ``labels`` (n,) integer classes. Class k uses the k-th colour of :data:`COLORS`. Returns ``ax``.
    """
    palette = list(COLORS.values())
    K = int(max(labels.max() + 1, 2))
    lo, hi = points.min(axis=0) - margin, points.max(axis=0) + margin
    gx, gy = np.meshgrid(np.linspace(lo[0], hi[0], resolution), np.linspace(lo[1], hi[1], resolution))
    regions = np.asarray(predict(np.column_stack([gx.ravel(), gy.ravel()]))).reshape(gx.shape)
    cmap = ListedColormap(palette[:K])
    ax.contourf(gx, gy, regions, levels=np.arange(K + 1) - 0.5, cmap=cmap, alpha=0.25)
    ax.scatter(points[:, 0], points[:, 1], c=labels, cmap=cmap, vmin=-0.5, vmax=K - 0.5, s=14,
               edgecolors="white", linewidths=0.4)
    ax.set_aspect("equal")
    return decorate(ax, title=title, xlabel="$x_1$", ylabel="$x_2$", legend=False)
