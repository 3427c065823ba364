"""Make the student edition's sources: the book with its solutions taken out.

    python tools/student_edition.py [--out _build/student]

writes ``<out>/src``, a copy of the book (``_config.yml``, ``_toc.yml``, ``_static/``, ``book/``)
in which

- every code cell tagged ``solution`` becomes a stub: the signature of each function it defines,
  ``# your code here`` and ``raise NotImplementedError`` (a cell that defines no function keeps
  only those two lines, tagged ``raises-exception`` and ``remove-output``); its outputs are
  cleared, and so are those of the check cells, which now report "not implemented yet";
- every sphinx-exercise solution is removed from the Markdown: ``{solution}`` blocks and
  everything from ``{solution-start}`` to ``{solution-end}``, across cells;
- the configuration drops the buttons that lead to the teacher's repository (launch, repository,
  issues, edit), so no link on a page opens the notebooks with their solutions;
- the teacher's guide (``book/teaching.md``, which discusses answers) is left out: its toc entry,
  its file and every Markdown paragraph that links it.

The website build then reuses the explorer frames of the teacher's build (``_build/html``) when
they exist; ``make student`` runs the whole thing into ``_build/student/html``.
"""
from __future__ import annotations

import argparse
import ast
import re
import shutil
import sys
from pathlib import Path

import nbformat
import yaml

ROOT = Path(__file__).resolve().parents[1]
COPIED = ["_config.yml", "_toc.yml", "_static", "book", "latex"]
TEACHER_ONLY = "book/teaching"    # the teacher's guide
STUB_BODY = "    # your code here\n    raise NotImplementedError"
FENCE = r"(?P<fence>`{3,}|:{3,})"
START = re.compile(rf"^{FENCE}\{{solution-start\}}")
END = re.compile(rf"^{FENCE}\{{solution-end\}}")
BLOCK = re.compile(rf"^{FENCE}\{{solution\}}")


def stub(source: str) -> tuple[str, bool]:
    """The stub of a solution cell, and whether it defines functions (else it raises at once)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:  # IPython magics: nothing to keep
        tree = ast.Module(body=[], type_ignores=[])
    lines = source.splitlines()
    defs = []
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            first = min([node.lineno] + [d.lineno for d in node.decorator_list]) - 1
            signature = "\n".join(lines[first:node.body[0].lineno - 1]).rstrip()
            defs.append(f"{signature}\n{STUB_BODY}")
    if defs:
        return "\n\n\n".join(defs), True
    return "# your code here\nraise NotImplementedError", False


def strip_solutions(text: str, inside: bool) -> tuple[str, bool]:
    """``text`` without its solution blocks; ``inside`` says whether a gated solution is open
    at the start (and, returned, at the end)."""
    kept, lines, i = [], text.splitlines(), 0
    while i < len(lines):
        line = lines[i]
        if inside:
            end = END.match(line)
            if end:  # skip the directive and its closing fence
                i += 1
                while i < len(lines) and lines[i].strip() != end["fence"]:
                    i += 1
                inside = False
        elif START.match(line):
            inside = True
        elif BLOCK.match(line):
            fence = BLOCK.match(line)["fence"]
            i += 1
            while i < len(lines) and lines[i].strip() != fence:
                i += 1
        else:
            kept.append(line)
        i += 1
    return "\n".join(kept).strip("\n"), inside


def is_check(cell) -> bool:
    return cell.cell_type == "code" and "checks.check_" in cell.source


def student_notebook(nb):
    """``nb`` with its solutions stubbed or removed (a new notebook)."""
    cells, inside = [], False
    for cell in nb.cells:
        tags = cell.metadata.get("tags", [])
        if cell.cell_type == "markdown":
            text, inside = strip_solutions(cell.source, inside)
            if text.strip():
                cell.source = text.replace("replace the solution above with your own first",
                                           "write your code in the cell above first")
                cells.append(cell)
        elif cell.cell_type == "code" and ("solution" in tags or inside):
            cell.source, defines = stub(cell.source)
            raises = set() if defines else {"raises-exception", "remove-output"}
            cell.metadata["tags"] = sorted(set(tags) | {"solution"} | raises)
            cell.outputs, cell.execution_count = [], None
            cells.append(cell)
        else:
            if is_check(cell):
                cell.outputs, cell.execution_count = [], None
            cells.append(cell)
    nb.cells = cells
    return nb


def student_config(config: dict) -> dict:
    """The book's configuration for the student edition: no way back to the solutions."""
    config = dict(config)
    config["title"] = f"{config['title']} (student edition)"
    config["launch_buttons"] = {"notebook_interface": "classic"}  # no launch buttons
    html = dict(config.get("html", {}))
    html.update(use_repository_button=False, use_issues_button=False, use_edit_page_button=False,
                extra_footer="Student edition: solutions are left to you.")
    config["html"] = html
    return config


def student_toc(toc):
    """``_toc.yml``'s tree without the teacher-only page."""
    if isinstance(toc, dict):
        return {key: student_toc(value) for key, value in toc.items()}
    if isinstance(toc, list):
        return [student_toc(item) for item in toc
                if not (isinstance(item, dict) and item.get("file") == TEACHER_ONLY)]
    return toc


def without_teacher_links(text: str) -> str:
    """Markdown ``text`` without the paragraphs that link the teacher-only page."""
    link = "{doc}`" + Path(TEACHER_ONLY).name + "`"
    return "\n\n".join(p for p in text.split("\n\n") if link not in p)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "_build" / "student")
    args = parser.parse_args(argv)
    src = args.out / "src"
    if src.exists():
        shutil.rmtree(src)
    src.mkdir(parents=True)
    for name in COPIED:
        path = ROOT / name
        if path.is_dir():
            shutil.copytree(path, src / name, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
        else:
            shutil.copy2(path, src / name)
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    (src / "_config.yml").write_text(yaml.safe_dump(student_config(config), allow_unicode=True,
                                                    sort_keys=False))
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    (src / "_toc.yml").write_text(yaml.safe_dump(student_toc(toc), sort_keys=False))
    (src / f"{TEACHER_ONLY}.md").unlink()
    for path in sorted((src / "book").glob("*.md")):
        path.write_text(without_teacher_links(path.read_text()))
    for path in sorted((src / "book").glob("*.ipynb")):
        nbformat.write(student_notebook(nbformat.read(path, as_version=4)), path)
    frames, reused = ROOT / "_build" / "html" / "_explorers", args.out / "build" / "_build" / "html"
    if frames.exists():  # the teacher's frames: the same explorers, no need to draw them again
        shutil.copytree(frames, reused / "_explorers", dirs_exist_ok=True)
    print(f"student edition sources in {src}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
