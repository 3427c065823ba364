"""infoloss.notebook: print options, math macros and glue outside a book build."""
import numpy as np

from infoloss.notebook import MACROS, macros_latex, setup_notebook


def test_macros_become_newcommands():
    latex = macros_latex()
    assert r"\newcommand{\KL}[2]{D_{\mathrm{KL}}" in latex
    assert r"\newcommand{\E}{\mathbb{E}}" in latex
    assert latex.count(r"\newcommand") == len(MACROS)


def test_setup_prints_scalars_plainly():
    saved = np.get_printoptions()
    try:
        setup_notebook()
        assert repr(np.float64(0.5)) == "0.5"
    finally:
        np.set_printoptions(**saved)
