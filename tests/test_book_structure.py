"""The table of contents, cell tags and math macros agree with the book's files."""
import json
import pathlib
import re

import pytest
import yaml

from infoloss.explorers.core import EXPLORER_MIME
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


def test_latex_preamble_defines_the_same_macros():
    preamble = yaml.safe_load((ROOT / "_config.yml").read_text())["sphinx"]["config"][
        "latex_elements"]["preamble"]
    for name, body in MACROS.items():
        body, args = (body[0], f"[{body[1]}]") if isinstance(body, list) else (body, "")
        assert f"\\renewcommand{{\\{name}}}{args}{{{body}}}" in preamble, name



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


# --- stored outputs: small, and the same on every machine ---------------------------------------
MAX_NOTEBOOK_BYTES = 500_000
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def outputs(nb):
    """(cell index, output) of every stored output."""
    for i, cell in enumerate(nb["cells"]):
        for out in cell.get("outputs", []):
            yield i, out


def output_texts(out):
    """Every text an output stores: stream text and each text-like mime value."""
    if "text" in out:
        yield "".join(out["text"])
    for mime, value in out.get("data", {}).items():
        if mime.startswith("text/") or mime.startswith("application/papermill.record/text"):
            yield "".join(value) if isinstance(value, list) else str(value)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebooks_are_small(path):
    size = path.stat().st_size
    assert size <= MAX_NOTEBOOK_BYTES, (
        f"{path.name} is {size / 1e3:.0f} KB (limit {MAX_NOTEBOOK_BYTES / 1e3:.0f} KB); "
        "run `make outputs` to store it with explorer outputs trimmed")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_no_explorer_frames_or_widgets_are_stored(path):
    nb = json.loads(path.read_text())
    assert "widgets" not in nb["metadata"], "stored widget state: run `make outputs`"
    for i, out in outputs(nb):
        data = out.get("data", {})
        assert WIDGET_VIEW not in data and EXPLORER_MIME not in data, f"cell {i}: `make outputs`"
        assert "data:image" not in str(data.get("text/html", "")), f"cell {i}: frames inlined in HTML"
        assert len(data.get("image/png", "")) < 100_000, f"cell {i}: a PNG over 75 KB"


#: NumPy 2's scalar repr, which shows a bare float.
NUMPY_SCALAR = re.compile(r"np\.float(16|32|64)\(")
#: More significant digits than a rounded float shows (a bare repr has 15-17).
MAX_DIGITS = 12


def bare_floats(text: str) -> list[str]:
    """Floats in ``text`` shown as bare reprs (use infoloss.notebook.rounded or an f-string)."""
    long = [m.group() for m in re.finditer(r"\d+\.\d+", text)
            if len(m.group().replace(".", "").lstrip("0")) > MAX_DIGITS]
    return long + [m.group() for m in NUMPY_SCALAR.finditer(text)]
#: What a plotting call's return value looks like when a cell forgets plt.show().
PLOT_REPR = re.compile(r"<matplotlib\.|^\[?Text\(|<Axes", re.M)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_stored_outputs_show_no_bare_floats_and_no_plot_reprs(path):
    nb = json.loads(path.read_text())
    bare = [(i, number) for i, out in outputs(nb) for text in output_texts(out)
            for number in bare_floats(text)]
    assert not bare, f"bare float reprs (cell index, text); format them: {bare}"
    plots = [(i, m.group()) for i, out in outputs(nb) for text in output_texts(out)
             for m in PLOT_REPR.finditer(text)]
    assert not plots, f"plot reprs (cell index, text); end the cell with plt.show(): {plots}"


def test_the_float_and_plot_checks_can_fail():
    assert bare_floats("{'Shannon(q)': 2.9000000000000004}") == ["2.9000000000000004"]
    assert bare_floats("0.0009876543210987") and bare_floats("np.float64(0.5)")
    assert not bare_floats("(2.14335, 2.15, array([0.878878, 0.118943]), 0.007695600601)")
    assert PLOT_REPR.search("[<matplotlib.lines.Line2D at 0xADDRESS>]")
    assert PLOT_REPR.search("Text(0.5, 1.0, 'title')")
    assert not PLOT_REPR.search("H(p, q) = 2.1500 bits")


WRAPPED_ALIGN = re.compile(r"\$\$\s*\\begin\{align\*?\}")


@pytest.mark.parametrize("path", NOTEBOOKS + sorted((ROOT / "book").glob("*.md")), ids=lambda p: p.name)
def test_no_align_inside_dollars(path):
    """``$$ \\begin{align}`` breaks LaTeX ("Misplaced \\omit"): use a bare align block, or
    ``$$ \\begin{aligned} ... \\end{aligned} $$ (eq:label)`` when the equation needs a label."""
    text = path.read_text()
    if path.suffix == ".ipynb":
        text = "\n".join("".join(c["source"]) for c in json.loads(text)["cells"]
                         if c["cell_type"] == "markdown")
    assert not WRAPPED_ALIGN.search(text)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_code_inside_solutions_is_tagged_solution(path):
    """The student edition stubs exactly the cells tagged ``solution``."""
    import sys
    sys.path.insert(0, str(ROOT / "tools"))
    from student_edition import strip_solutions

    inside, untagged = False, []
    for i, cell in enumerate(json.loads(path.read_text())["cells"]):
        if cell["cell_type"] == "markdown":
            inside = strip_solutions("".join(cell["source"]), inside)[1]
        elif inside and "solution" not in cell["metadata"].get("tags", []):
            untagged.append(i)
    assert not untagged, f"code cells inside a solution without the `solution` tag: {untagged}"


def test_the_website_font_has_every_chinese_character_of_the_book():
    import sys
    sys.path.insert(0, str(ROOT / "tools"))
    from fontTools.ttLib import TTFont
    from subset_cjk_font import book_text, cjk_characters

    needed = set(cjk_characters(book_text()))
    assert needed, "the glossary's Chinese names are gone?"
    for weight in ("regular", "bold"):
        cmap = TTFont(ROOT / "_static" / "fonts" / f"infoloss-cjk-{weight}.woff2").getBestCmap()
        missing = sorted(c for c in needed if ord(c) not in cmap)
        assert not missing, f"{weight}: {''.join(missing)} missing; run `make font`"


def test_glossary_terms_are_separate_entries():
    """In the {glossary} block a term follows a blank line; without it the term is swallowed
    into the previous definition, with no warning from the build."""
    lines = (ROOT / "book" / "glossary.md").read_text().split("```{glossary}")[1].split("\n```")[0]
    lines = lines.strip("\n").split("\n")
    glued = [line for prev, line in zip(lines, lines[1:])
             if line and not line.startswith(" ") and prev.strip()]
    assert not glued, f"terms without a blank line before them: {glued}"


def test_equation_labels_are_unique_across_the_book():
    """Sphinx equation labels are global: two chapters with the same label break references."""
    owners = {}
    for path in NOTEBOOKS + sorted((ROOT / "book").glob("*.md")):
        for label in set(re.findall(r"\$\$\s*\((eq:[\w-]+)\)", path.read_text().replace("\\n", "\n"))):
            owners.setdefault(label, []).append(path.name)
    assert not {k: v for k, v in owners.items() if len(v) > 1}


# --- the teacher's guide (book/teaching.md) ------------------------------------------------------
TEACHING = ROOT / "book" / "teaching.md"


def cell_texts(path, kind):
    return ["".join(c["source"]) for c in json.loads(path.read_text())["cells"] if c["cell_type"] == kind]


def chapter_names(path):
    """What the guide may name from one notebook: exercise labels, explorers used in code cells,
    equation and theorem labels."""
    markdown, code = "\n".join(cell_texts(path, "markdown")), "\n".join(cell_texts(path, "code"))
    return {"exercise": set(re.findall(r"^:label: (ex-[\w-]+)", markdown, re.M)),
            "explorer": set(re.findall(r"\b(\w+_explorer)\(", code)),
            "equation": set(re.findall(r"\$\$\s*\((eq:[\w-]+)\)", markdown)),
            "theorem": set(re.findall(r"^:label: (thm-[\w-]+)", markdown, re.M))}


CHAPTER_NAMES = {p.stem: chapter_names(p) for p in NOTEBOOKS}
#: How the guide writes each kind of name: in backticks.
GUIDE_NAME = {"exercise": r"`(ex-[\w-]+)`", "explorer": r"`(\w+_explorer)`",
              "equation": r"`(eq:[\w-]+)`", "theorem": r"`(thm-[\w-]+)`"}


def guide_sections():
    """The guide's ``## `` sections: title -> text."""
    parts = re.split(r"^## (.+)$", TEACHING.read_text(), flags=re.M)
    return dict(zip(parts[1::2], parts[2::2]))


@pytest.mark.parametrize("kind", sorted(GUIDE_NAME))
def test_the_teaching_guide_names_only_what_the_notebooks_have(kind):
    named = set(re.findall(GUIDE_NAME[kind], TEACHING.read_text()))
    known = set().union(*(names[kind] for names in CHAPTER_NAMES.values()))
    assert named, f"the guide names no {kind}"
    assert not named - known, f"{kind}s the notebooks do not have: {sorted(named - known)}"


@pytest.mark.parametrize("stem", [p.stem for p in NOTEBOOKS if p.stem[:2] != "00"])
def test_the_teaching_guide_plans_every_chapter(stem):
    """A ``## Chapter N: ...`` section that links the chapter and names one of its explorers and
    one of its exercises."""
    number = int(stem[:2])
    sections = {t: s for t, s in guide_sections().items() if t.startswith(f"Chapter {number}: ")}
    assert len(sections) == 1, f"one section titled 'Chapter {number}: ...' expected"
    (text,) = sections.values()
    assert f"{{doc}}`{stem}`" in text
    for kind in ("explorer", "exercise"):
        mine = set(re.findall(GUIDE_NAME[kind], text)) & CHAPTER_NAMES[stem][kind]
        assert mine, f"chapter {number}'s section names none of its {kind}s"


def test_the_teaching_guide_refers_to_no_label_of_another_page():
    """Exercise and equation labels are undefined in the PDF build outside their chapter: the
    guide names them in backticks and links chapters with {doc}."""
    roles = set(re.findall(r"\{(ref|eq|numref|prf:ref)\}", TEACHING.read_text()))
    assert not roles, f"cross-references in the guide: {sorted(roles)}"
