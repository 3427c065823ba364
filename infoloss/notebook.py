"""Notebook helpers: one call that prepares a notebook (print options, plot style, the book's
math macros), rounding for display, and glue for the prose."""
from __future__ import annotations

import numpy as np

from infoloss.plotting import use_book_style

#: The book's LaTeX macros. ``_config.yml`` (mathjax3_config) is the source; this copy serves
#: notebooks opened outside the repository (Colab) and a test keeps the two equal.
MACROS = {
    "KL": [r"D_{\mathrm{KL}}\left(#1\,\middle\|\,#2\right)", 2],
    "JS": [r"D_{\mathrm{JS}}\left(#1\,\middle\|\,#2\right)", 2],
    "E": r"\mathbb{E}",
    "H": r"\mathrm{H}",
    "softmax": r"\operatorname{softmax}",
    "R": r"\mathbb{R}",
}


def macros_latex(macros=MACROS) -> str:
    r"""The macros as ``\newcommand`` lines (MathJax in Jupyter keeps them for the whole page)."""
    lines = []
    for name, body in macros.items():
        if isinstance(body, list):
            lines.append(rf"\newcommand{{\{name}}}[{body[1]}]{{{body[0]}}}")
        else:
            lines.append(rf"\newcommand{{\{name}}}{{{body}}}")
    return "\n".join(lines)


def setup_notebook(precision: int = 6) -> None:
    """Set NumPy print options and the plot style, and define the math macros in Jupyter.

    Scalars print as ``0.5`` rather than ``np.float64(0.5)`` (NumPy's 1.25 legacy repr).
    """
    np.set_printoptions(precision=precision, suppress=True, legacy="1.25")
    use_book_style()
    try:
        from IPython import get_ipython
        from IPython.display import Math, display
    except ImportError:
        return
    if get_ipython() is not None:
        display(Math(macros_latex()))



def rounded(*values, decimals: int = 6):
    """``values`` with every float rounded to ``decimals`` places, for display in a notebook.

    The last bits of a float depend on the CPU's BLAS and SIMD kernels (``2.9`` on one machine is
    ``2.9000000000000004`` on another), so a stored output must not show them. Floats, NumPy
    floats and float arrays are rounded (and ``-0.0`` shown as ``0.0``), inside tuples, lists and
    dicts too; integers, booleans, strings and exact SymPy values pass through. One value gives
    one value back, several a tuple. For tiny or huge numbers format instead (``f"{x:.3e}"``).

    >>> rounded(0.1 + 0.2, 2.0 ** -30)
    (0.3, 0.0)
    >>> rounded({"H": np.float64(2.9000000000000004), "n": 3})
    {'H': 2.9, 'n': 3}
    """
    def one(v):
        if isinstance(v, (float, np.floating)):
            return float(round(float(v), decimals)) + 0.0
        if isinstance(v, np.ndarray) and np.issubdtype(v.dtype, np.floating):
            return np.round(v, decimals) + 0.0
        if isinstance(v, dict):
            return {k: one(x) for k, x in v.items()}
        if isinstance(v, (tuple, list)):
            return type(v)(one(x) for x in v)
        return v

    return one(values[0]) if len(values) == 1 else tuple(one(v) for v in values)


def glue(name: str, value, display: bool = False) -> None:
    """Record ``value`` for the prose (myst-nb's ``glue``); outside a book build, show it or skip.

    On the website ``{glue:text}`name:.3f``` prints the computed number, so prose never types one.
    A float is kept to 10 significant digits: the record is a stored output that nbval compares,
    and its last bits would depend on the machine (see :func:`rounded`).
    """
    if isinstance(value, (float, np.floating)):
        value = float(f"{value:.10g}")
    try:
        from myst_nb import glue as myst_glue
    except ImportError:  # e.g. on Colab: the notebook still runs, the number shows inline
        if display:
            from IPython.display import display as show
            show(value)
        return
    myst_glue(name, value, display=display)
