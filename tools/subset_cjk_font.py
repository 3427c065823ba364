"""Subset Noto Sans CJK SC to the Chinese characters the book uses, for the website.

    python tools/subset_cjk_font.py [--fonts /usr/share/fonts/opentype/noto]

Reads Noto Sans CJK SC Regular and Bold (SIL OFL 1.1; Debian's fonts-noto-cjk) and writes
``_static/fonts/infoloss-cjk-{regular,bold}.woff2`` with the licence beside them. The website
uses them through ``@font-face`` with a ``unicode-range`` (``_static/infoloss.css``), so the
glossary's Chinese names render on machines without a CJK font and with no network.
Run it (``make font``) when a chapter adds Chinese characters; a test says when.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "_static" / "fonts"
#: CJK radicals, symbols and punctuation, kana, unified ideographs (with extension A),
#: compatibility ideographs, and full-width forms.
CJK = re.compile("[\u2e80-\u2fdf\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")
SOURCES = {"regular": "NotoSansCJK-Regular.ttc", "bold": "NotoSansCJK-Bold.ttc"}
FACE = "Noto Sans CJK SC"


def book_text() -> str:
    """Everything the website shows: Markdown pages, notebook cells and their text outputs."""
    parts = [p.read_text() for p in sorted((ROOT / "book").glob("*.md"))]
    parts += [(ROOT / name).read_text() for name in ("_config.yml", "_toc.yml")]
    for path in sorted((ROOT / "book").glob("*.ipynb")):
        for cell in json.loads(path.read_text())["cells"]:
            parts.append("".join(cell["source"]))
            for out in cell.get("outputs", []):
                parts.append("".join(out.get("text", "")) + "".join(out.get("data", {}).get("text/plain", "")))
    return "\n".join(parts)


def cjk_characters(text: str) -> str:
    return "".join(sorted(set(CJK.findall(text))))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fonts", type=Path, default=Path("/usr/share/fonts/opentype/noto"))
    parser.add_argument("--licence", type=Path, default=Path("/usr/share/doc/fonts-noto-cjk/copyright"),
                        help="a file with the SIL OFL 1.1 text (Debian's copyright file)")
    args = parser.parse_args(argv)
    chars = cjk_characters(book_text())
    OUT.mkdir(parents=True, exist_ok=True)
    notices = []
    for weight, name in SOURCES.items():
        collection = TTCollection(str(args.fonts / name))
        font = next(f for f in collection.fonts if f["name"].getDebugName(1) == FACE)
        notices.append(f"{FACE} {weight.title()}: {font['name'].getDebugName(0)}")
        options = subset.Options(flavor="woff2", name_IDs=[0, 1, 2, 3, 4, 5, 6, 13, 14])
        subsetter = subset.Subsetter(options)
        subsetter.populate(text=chars)
        subsetter.subset(font)
        path = OUT / f"infoloss-cjk-{weight}.woff2"
        font.flavor = "woff2"
        font.save(str(path))
        print(f"{path.relative_to(ROOT)}: {len(chars)} characters, {path.stat().st_size / 1e3:.0f} KB")
    (OUT / "OFL.txt").write_text(
        "infoloss-cjk-{regular,bold}.woff2 are subsets of Noto Sans CJK SC\n"
        "(https://github.com/notofonts/noto-cjk), made by tools/subset_cjk_font.py with the\n"
        "characters the infoloss book uses. They are under the SIL Open Font License 1.1.\n\n"
        + "\n".join(notices) + "\n\n" + ofl_text(args.licence))
    return 0


def ofl_text(copyright_file: Path) -> str:
    """The SIL OFL 1.1 text from a Debian copyright file (its indented ``License: SIL-1.1``)."""
    lines, out = copyright_file.read_text().splitlines(), []
    start = max(i for i, line in enumerate(lines) if line.strip() == "License: SIL-1.1")
    for line in lines[start + 1:]:
        if not line.startswith(" "):
            break
        out.append("" if line.strip() == "." else line[1:])
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    sys.exit(main())
