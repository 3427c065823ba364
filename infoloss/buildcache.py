"""Sphinx extension: a change in the library re-executes the book's notebooks.

myst-nb caches each executed notebook under a key made of its code cells, so a notebook whose cells
did not change is not run again when ``infoloss`` changes, and the site would show outputs (numbers,
explorer recipes) of the old library. The cache here remembers the library's fingerprint and is
cleared when it differs.
"""
from __future__ import annotations

import hashlib
import shutil
from functools import lru_cache
from importlib.metadata import version
from pathlib import Path

STAMP = "infoloss-fingerprint"


@lru_cache(maxsize=1)
def fingerprint() -> str:
    """A hash of the library's source and of the matplotlib that draws its figures."""
    package = Path(__file__).parent
    digest = hashlib.sha256(version("matplotlib").encode())
    for path in sorted(package.rglob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()


def clear_stale_cache(app, config) -> None:
    """Sphinx ``config-inited``: empty the execution cache if the library changed since."""
    cache = Path(config.nb_execution_cache_path or Path(app.outdir).parent / ".jupyter_cache")
    stamp = cache / STAMP
    if cache.exists() and (not stamp.exists() or stamp.read_text() != fingerprint()):
        shutil.rmtree(cache)
    cache.mkdir(parents=True, exist_ok=True)
    stamp.write_text(fingerprint())


def setup(app):
    app.connect("config-inited", clear_stale_cache)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
