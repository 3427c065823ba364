"""The table of contents, cell tags and math macros agree with the book's files."""
import json
import pathlib

import pytest
import yaml

from infoloss.notebook import MACROS

ROOT = pathlib.Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted(p for p in (ROOT / "book").glob("*.ipynb"))

#: Tags Jupyter Book, nbval and our exercises understand; anything else is a typo
#: (Jupyter Book silently ignores e.g. ``hide_input``).
ALLOWED_TAGS = {
    "remove-cell", "remove-input", "remove-output", "hide-cell", "hide-input", "hide-output",
    "raises-exception", "skip-execution", "nbval-ignore-output", "nbval-skip",
    "nbval-raises-exception", "solution", "full-width", "margin",
}


def toc_files(node):
    """Every ``file:`` entry (and the root) of a _toc.yml tree."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("file", "root"):
                yield value
            else:
                yield from toc_files(value)
    elif isinstance(node, list):
        for item in node:
            yield from toc_files(item)


TOC = set(toc_files(yaml.safe_load((ROOT / "_toc.yml").read_text())))


def test_every_notebook_is_in_the_toc():
    missing = [p.name for p in NOTEBOOKS if f"book/{p.stem}" not in TOC]
    assert not missing, f"add these to _toc.yml: {missing}"


@pytest.mark.parametrize("entry", sorted(TOC))
def test_every_toc_entry_exists(entry):
    assert any((ROOT / f"{entry}{ext}").exists() for ext in (".md", ".ipynb")), entry


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_cell_tags_come_from_the_allow_list(path):
    nb = json.loads(path.read_text())
    bad = {(i, tag) for i, cell in enumerate(nb["cells"])
           for tag in cell.get("metadata", {}).get("tags", []) if tag not in ALLOWED_TAGS}
    assert not bad, f"unknown tags (cell index, tag): {sorted(bad)}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_explorer_cells_are_ignored_by_nbval(path):
    nb = json.loads(path.read_text())
    for i, cell in enumerate(nb["cells"]):
        if cell["cell_type"] == "code" and "_explorer(" in "".join(cell["source"]):
            assert "nbval-ignore-output" in cell["metadata"].get("tags", []), f"cell {i}"


def test_notebook_macros_match_config():
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    assert config["sphinx"]["config"]["mathjax3_config"]["tex"]["macros"] == MACROS



#: The widest code line the website shows without a scroll bar (PEP 8's limit, too).
MAX_CODE_LINE = 79


def shown_text_lines(cell):
    """The lines of a code cell's source and of its text outputs, as the website shows them."""
    yield from "".join(cell["source"]).splitlines()
    for out in cell.get("outputs", []):
        text = out.get("text") or out.get("data", {}).get("text/plain", "")
        if "application/papermill.record/text/plain" not in out.get("data", {}):  # glue: not shown
            yield from "".join(text).splitlines()


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_code_and_text_output_fit_the_page(path):
    nb = json.loads(path.read_text())
    wide = [(i, len(line)) for i, cell in enumerate(nb["cells"]) if cell["cell_type"] == "code"
            for line in shown_text_lines(cell) if len(line) > MAX_CODE_LINE]
    assert not wide, f"lines over {MAX_CODE_LINE} characters (cell index, length): {wide}"
