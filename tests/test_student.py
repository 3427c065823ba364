"""The student edition (``make student``, ``make student-pdf``): no solution text anywhere in its
site, no solution in its PDF, every stub raises ``NotImplementedError``, every check cell says "not
implemented yet" in words, and the teacher's guide is left out."""
import ast
import html as html_lib
import inspect
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(os.environ.get("INFOLOSS_BOOK_ROOT") or Path(__file__).resolve().parents[1])
STUDENT = ROOT / "_build" / "student"


@pytest.fixture(scope="module")
def student_build():
    """``make student`` once. It does not wait for the teacher's build (test_site.py, on the other
    worker): it reuses whichever of its explorer frames are complete and draws the rest."""
    proc = subprocess.run(["make", "-s", "student"], cwd=ROOT, capture_output=True, text=True,
                          timeout=1800)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return STUDENT / "html"


def words(text: str) -> list[str]:
    return re.findall(r"[A-Za-z0-9_]+", text)


def shingles(text: str, n: int = 8) -> set[tuple[str, ...]]:
    """Every run of ``n`` consecutive words: text survives rendering as these, markup aside."""
    w = words(text)
    return {tuple(w[i:i + n]) for i in range(len(w) - n + 1)}


def def_lines(source: str) -> list[str]:
    """The signatures of a cell's functions (``def`` up to the first line of the body)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:   # IPython magics
        return []
    lines = source.splitlines()
    return ["\n".join(lines[node.lineno - 1:node.body[0].lineno - 1])
            for node in ast.walk(tree) if isinstance(node, ast.FunctionDef)]


def teacher_texts() -> tuple[str, str]:
    """The teacher's solution text (solution blocks and solution cells) and all the rest (other
    cells with their stored outputs: a code line followed by its output is not a solution)."""
    sys.path.insert(0, str(ROOT / "tools"))
    from student_edition import END, START, strip_solutions

    solution, rest = [], []
    for path in sorted((ROOT / "book").glob("*.ipynb")):
        inside = False
        for cell in json.loads(path.read_text())["cells"]:
            source = "".join(cell["source"])
            if cell["cell_type"] == "markdown":
                kept, after = strip_solutions(source, inside)
                rest.append(kept)
                if inside or after or START.search(source) or END.search(source):
                    solution.append(source)
                inside = after
            elif inside or "solution" in cell["metadata"].get("tags", []):
                solution.append(source)
                rest += def_lines(source)   # the student's stub keeps each signature
            else:   # with its outputs, which the site shows right after the code
                rest.append(source + "\n" + "".join(
                    "".join(o.get("text", "")) + "".join(o.get("data", {}).get("text/plain", ""))
                    for o in cell.get("outputs", [])))
    return "\n".join(solution), "\n".join(rest)


def site_text(folder: Path) -> str:
    """The words a reader can get from a built site: pages (tags stripped), notebooks, sources."""
    out = []
    for path in folder.rglob("*"):
        if path.suffix in (".html", ".txt", ".md", ".js"):
            text = path.read_text(errors="ignore")
            out.append(html_lib.unescape(re.sub(r"<[^>]+>", " ", text)) if path.suffix == ".html" else text)
        elif path.suffix == ".ipynb":
            nb = json.loads(path.read_text())
            out += ["".join(c["source"]) for c in nb["cells"]]
            out += ["".join(o.get("text", "")) + "".join(o.get("data", {}).get("text/plain", ""))
                    for c in nb["cells"] for o in c.get("outputs", [])]
    return "\n".join(out)


@pytest.mark.build
def test_student_edition_leaks_no_solution(student_build):
    solution, rest = teacher_texts()
    secret = shingles(solution) - shingles(rest)   # what only a solution says
    assert len(secret) > 500, "too little solution text found: the test would prove nothing"
    student = shingles(site_text(student_build))
    # the detector sees text through the rendering: most of what is not a solution is found
    assert len(shingles(rest) & student) > 0.5 * len(shingles(rest)), "the detector is blind"
    leaked = secret & student
    assert not leaked, f"{len(leaked)} solution phrases in the student site, e.g. {sorted(leaked)[:3]}"


@pytest.mark.build
def test_student_stubs_raise_not_implemented(student_build):
    stubs = [cell for path in sorted((STUDENT / "src" / "book").glob("*.ipynb"))
             for cell in json.loads(path.read_text())["cells"]
             if "solution" in cell["metadata"].get("tags", [])]
    assert stubs
    for cell in stubs:
        source, namespace = "".join(cell["source"]), {}
        assert "# your code here" in source and "raise NotImplementedError" in source
        functions = [name for name in re.findall(r"^def (\w+)", source, re.M)]
        if not functions:
            with pytest.raises(NotImplementedError):
                exec(source, namespace)
            continue
        exec(source, namespace)
        for name in functions:
            required = [p for p in inspect.signature(namespace[name]).parameters.values()
                        if p.default is p.empty and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
            with pytest.raises(NotImplementedError):
                namespace[name](*[None] * len(required))


@pytest.mark.build
def test_student_check_cells_say_not_implemented(student_build):
    """Run against the stubs, every check cell tells the reader, in words, what to do."""
    for path in sorted((STUDENT / "src" / "book").glob("*.ipynb")):
        nb = json.loads(path.read_text())
        checkers = re.findall(r"checks\.(check_\w+)\(", "\n".join("".join(c["source"]) for c in nb["cells"]))
        page = (student_build / "book" / path.with_suffix(".html").name).read_text()
        text = html_lib.unescape(re.sub(r"<[^>]+>", "", page))
        for checker in checkers:
            assert f"✗ {checker}: not implemented yet" in text, f"{path.name}: {checker}"


@pytest.fixture(scope="module")
def student_pdf(student_build):
    """``make student-pdf`` (XeLaTeX), after ``make student``, whose executed notebooks it reuses."""
    if shutil.which("xelatex") is None:
        if os.environ.get("INFOLOSS_REQUIRE_PDF") == "1":
            pytest.fail("no xelatex (INFOLOSS_REQUIRE_PDF=1): install the TeX packages the README lists")
        pytest.skip("no xelatex: install the TeX packages the README lists (CI requires them)")
    proc = subprocess.run(["make", "-s", "student-pdf"], cwd=ROOT, capture_output=True, text=True,
                          timeout=1800)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return STUDENT / "build" / "_build" / "latex" / "infoloss.tex"


@pytest.mark.build
def test_student_pdf_has_every_exercise_and_no_solution(student_pdf):
    """The handout PDF: every exercise of the notebooks, no "Solution to ..." block, and a stub
    wherever the teacher's edition has solution code."""
    assert (STUDENT / "infoloss-student.pdf").stat().st_size > 0
    tex = student_pdf.read_text()
    labels, solution_cells = set(), 0
    for path in sorted((ROOT / "book").glob("*.ipynb")):
        for cell in json.loads(path.read_text())["cells"]:
            labels |= set(re.findall(r"^:label: (ex-[\w-]+)", "".join(cell["source"]), re.M))
            solution_cells += "solution" in cell["metadata"].get("tags", [])
    assert labels and labels <= set(re.findall(r"\\label\{exercise:(ex-[\w-]+)\}", tex))
    assert "Solution to" not in tex
    assert tex.count("NotImplementedError}") >= solution_cells > 0


@pytest.mark.build
def test_student_edition_leaves_out_the_teachers_guide(student_build):
    """The guide discusses answers: no page, no link and none of its sentences in the student site."""
    guide = (ROOT / "book" / "teaching.md").read_text()
    assert not list(student_build.rglob("teaching.*"))
    assert "teaching.html" not in (student_build / "book" / "intro.html").read_text()
    others = site_text(ROOT / "book").replace(guide, "")      # the chapters, which it quotes
    prose = re.sub(r"^#.*$", "", guide, flags=re.M)              # its headings name chapters
    own = shingles(prose) - shingles(others)
    assert len(own) > 1000, "too little of the guide's own text: the test would prove nothing"
    assert not own & shingles(site_text(student_build))
