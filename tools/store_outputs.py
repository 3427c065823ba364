"""Execute book notebooks in place, so their stored outputs are what nbval compares against, and
trim their explorer outputs.

    python tools/store_outputs.py [--trim-only] [book/NN_slug.ipynb ...]   (default: every one)

An explorer's stored output keeps its ``text/plain`` line and one small PNG preview (the print
edition's small multiples at half size); the live widget, its state and the website's recipe are
dropped. nbval ignores explorer outputs, and the website build executes the notebooks again.
"""
from __future__ import annotations

import argparse
import base64
import io
import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from PIL import Image

from infoloss.explorers.core import EXPLORER_MIME, palette_png

ROOT = Path(__file__).resolve().parents[1]
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
PREVIEW_WIDTH = 700   # pixels; wider previews are halved


def is_explorer(output) -> bool:
    return any(k in output.get("data", {}) for k in (WIDGET_VIEW, EXPLORER_MIME))


def preview(png_b64: str) -> str:
    image = Image.open(io.BytesIO(base64.b64decode(png_b64))).convert("RGB")
    if image.width > PREVIEW_WIDTH:
        image = image.resize((image.width // 2, image.height // 2), Image.Resampling.LANCZOS)
    return base64.b64encode(palette_png(image)).decode("ascii")


def trim(nb) -> None:
    """Trim every explorer output of ``nb`` in place, and drop the stored widget state."""
    nb.metadata.pop("widgets", None)
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            if is_explorer(output):
                data = output["data"]
                kept = {"text/plain": data["text/plain"]}
                if "image/png" in data:
                    kept["image/png"] = preview(data["image/png"])
                output["data"] = kept
                output.get("metadata", {}).pop(WIDGET_VIEW, None)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trim-only", action="store_true", help="trim without executing")
    parser.add_argument("notebooks", nargs="*", type=Path)
    args = parser.parse_args(argv)
    for path in args.notebooks or sorted((ROOT / "book").glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        if not args.trim_only:
            print(f"executing {path.name} ...", flush=True)
            NotebookClient(nb, timeout=600, kernel_name="python3", record_timing=False,
                           resources={"metadata": {"path": str(path.parent)}}).execute()
        trim(nb)
        nbformat.write(nb, path)
        print(f"{path.name}: {path.stat().st_size / 1e3:.0f} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
