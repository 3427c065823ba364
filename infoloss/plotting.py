"""The book's plot style and the small helpers chapters and explorers share."""
from __future__ import annotations

import matplotlib as mpl

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
