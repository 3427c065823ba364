"""The maintenance scripts in tools/: storing notebook outputs, making the student edition."""
import base64
import io
import sys
from pathlib import Path

import matplotlib
import nbformat
import pytest
from matplotlib.figure import Figure
from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))
from store_outputs import WIDGET_VIEW, trim  # noqa: E402
from student_edition import strip_solutions, stub, student_notebook  # noqa: E402

from infoloss.explorers.core import EXPLORER_MIME, encode_png  # noqa: E402


# --- store_outputs --------------------------------------------------------------------------------
def test_trim_keeps_text_and_a_small_preview():
    fig = Figure(figsize=(14, 6.4), dpi=80)
    fig.subplots().plot([0, 1])
    png = base64.b64encode(encode_png(fig)).decode()
    nb = nbformat.v4.new_notebook(metadata={"widgets": {"state": {}}})
    nb.cells = [nbformat.v4.new_code_cell("explorers.x()", outputs=[nbformat.v4.new_output(
        "execute_result", data={"text/plain": "Explorer(p)", "image/png": png,
                                WIDGET_VIEW: {"model_id": "abc"}, EXPLORER_MIME: {"factory": "x"}},
        execution_count=1)])]
    trim(nb)
    data = nb.cells[0].outputs[0]["data"]
    assert set(data) == {"text/plain", "image/png"} and "widgets" not in nb.metadata
    assert Image.open(io.BytesIO(base64.b64decode(data["image/png"]))).width == 14 * 80 // 2
    trim(nb)  # idempotent: a preview is halved once
    assert Image.open(io.BytesIO(base64.b64decode(nb.cells[0].outputs[0]["data"]["image/png"]))).width == 560


# --- student_edition ------------------------------------------------------------------------------
def test_stub_keeps_signatures_only():
    source = '''import numpy as np


@staticmethod
def helper(x,
           y=2):
    """Secret docstring."""
    return x + y


def answer(p):
    return np.sum(p)
'''
    text, defines = stub(source)
    assert defines
    assert text == ("@staticmethod\ndef helper(x,\n           y=2):\n    # your code here\n"
                    "    raise NotImplementedError\n\n\ndef answer(p):\n    # your code here\n"
                    "    raise NotImplementedError")


@pytest.mark.parametrize("source", ["answers = {'a': 1}\nanswers", "%pip install x\ny = 1"])
def test_stub_of_a_cell_without_functions_raises(source):
    text, defines = stub(source)
    assert not defines and text == "# your code here\nraise NotImplementedError"


def test_strip_solutions_handles_gated_blocks_across_cells_and_plain_blocks():
    first, inside = strip_solutions("Intro.\n\n```{solution-start} ex-1\n:class: dropdown\n```\n"
                                    "The secret.", False)
    assert (first, inside) == ("Intro.", True)
    middle, inside = strip_solutions("More secret.", inside)
    assert (middle, inside) == ("", True)
    last, inside = strip_solutions("Secret end.\n```{solution-end}\n```\n\nCheck it:", inside)
    assert (last.strip(), inside) == ("Check it:", False)
    plain, inside = strip_solutions("Before.\n````{solution} ex-2\n:class: dropdown\nHidden.\n"
                                    "```python\ncode\n```\n````\nAfter.", False)
    assert (plain, inside) == ("Before.\nAfter.", False)


def test_student_notebook_stubs_code_inside_solutions_and_clears_check_outputs():
    nb = nbformat.v4.new_notebook()
    out = nbformat.v4.new_output("stream", text="✓ check_x: all 3 cases match the library.\n")
    nb.cells = [nbformat.v4.new_markdown_cell("```{solution-start} ex\n```\nHow:"),
                nbformat.v4.new_code_cell("def f(p):\n    return p", outputs=[out]),
                nbformat.v4.new_markdown_cell("```{solution-end}\n```\nCheck your function "
                                              "(replace the solution above with your own first):"),
                nbformat.v4.new_code_cell("checks.check_x(f)", outputs=[out])]
    cells = student_notebook(nb).cells
    assert [c.cell_type for c in cells] == ["code", "markdown", "code"]
    assert cells[0].source.startswith("def f(p):\n    # your code here") and not cells[0].outputs
    assert cells[0].metadata["tags"] == ["solution"]
    assert "write your code in the cell above first" in cells[1].source
    assert not cells[2].outputs
