"""Explorers on the website: one labeled control per parameter, over frames rendered at build time.

Two hooks into the book's build, both here:

- :class:`ExplorerRenderer`, a myst-nb mime renderer (entry point ``myst_nb.mime_renderers``),
  turns an explorer's :data:`~infoloss.explorers.core.EXPLORER_MIME` output into the page's
  controls and its opening frame, and records the explorer in the Sphinx environment;
- :func:`setup`, a Sphinx extension (``_config.yml``, ``extra_extensions``), adds the script and
  stylesheet, and when the HTML build finishes renders the frames of every recorded explorer into
  ``_explorers/<key>/`` of the output: one palette PNG per point of the parameter grid, named by
  the grid indices (``12_0_3.png``), in parallel, keeping what an earlier build already made.

The page loads its opening frame only; ``infoloss-explorer.js`` loads the others when a control
reaches them and prefetches the neighbours.
"""
from __future__ import annotations

import hashlib
import html
import inspect
import itertools
import json
import os
import re
import shutil
import time
from concurrent.futures import ProcessPoolExecutor
from functools import lru_cache
from pathlib import Path

import numpy as np

from infoloss.buildcache import fingerprint
from infoloss.explorers.core import EXPLORER_MIME, REGISTRY, Choice, LiveFigure, from_spec, palette_png

WIDGET_VIEW_MIME = "application/vnd.jupyter.widget-view+json"
STATIC = Path(__file__).with_name("static")
FRAMES_DIR = "_explorers"


# -- the page ------------------------------------------------------------------------------------
class ExplorerRenderer:
    """myst-nb mime renderer: an explorer output becomes controls and a frame (HTML builders)."""

    mime_priority_overrides = [("html", EXPLORER_MIME, 1), ("html", WIDGET_VIEW_MIME, None)]

    @staticmethod
    def handle_mime(renderer, data, inline):
        if data.mime_type != EXPLORER_MIME or inline:
            return None
        env = renderer.renderer.sphinx_env
        if env is None:  # plain docutils: no build folder to put frames in
            return None
        from docutils import nodes

        spec = data.content if isinstance(data.content, dict) else json.loads(data.string)
        if spec.get("factory") not in REGISTRY:
            raise ValueError(f"{env.docname}: explorer {spec.get('factory')!r} is not in "
                             "infoloss.explorers.REGISTRY (re-run the notebook?)")
        recipe = {"factory": spec["factory"], "kwargs": spec.get("kwargs", {})}
        key = frames_key(recipe)
        if not hasattr(env, "infoloss_explorers"):
            env.infoloss_explorers = {}
        env.infoloss_explorers.setdefault(env.docname, {})[key] = recipe
        base = "../" * env.docname.count("/") + f"{FRAMES_DIR}/{key}/"
        uid = f"ie-{key[:8]}-{data.cell_index}-{data.output_index}"
        return [nodes.raw("", page_html(from_spec(spec), base, uid), format="html")]


def frames_key(recipe: dict) -> str:
    """A name for an explorer's frames that changes when the recipe or the library changes."""
    text = json.dumps(recipe, sort_keys=True) + fingerprint()
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def describe(factory: str) -> str:
    """The first sentence of an explorer factory's docstring (the figure's alt text starts so)."""
    doc = " ".join((inspect.getdoc(REGISTRY[factory]) or factory).split("\n\n")[0].split())
    return re.split(r"(?<=\.)\s", doc, maxsplit=1)[0]


def start_indices(explorer) -> list[int]:
    """The grid point of each parameter nearest to the explorer's current value."""
    out = []
    for name, grid in explorer.grid().items():
        value = explorer.params[name]
        if isinstance(explorer.sliders[name], Choice):
            out.append(grid.index(value))
        else:
            out.append(int(np.abs(np.asarray(grid) - value).argmin()))
    return out


def frame_name(indices) -> str:
    return "_".join(map(str, indices)) + ".png"


def page_html(explorer, base: str, uid: str) -> str:
    """The explorer on a page: a control per parameter and the opening frame."""
    start = start_indices(explorer)
    params, controls = [], []
    for k, (name, s) in enumerate(explorer.sliders.items()):
        labels = [s.format(v) for v in s.grid()]
        params.append({"name": name, "label": s.label, "values": labels})
        controls.append(_control_html(f"{uid}-{k}", k, s, labels, start[k]))
    state = {"base": base, "title": describe(explorer.spec["factory"]), "params": params,
             "start": start}
    alt = f"{state['title']} " + ", ".join(
        f"{p['label']} = {p['values'][i]}" for p, i in zip(params, start))
    width, height = (round(x * explorer.dpi) for x in explorer.figsize)
    main = explorer.sliders[next(iter(explorer.sliders))].label
    return (
        f'<div class="infoloss-explorer" data-explorer="{html.escape(json.dumps(state))}">'
        f'<div class="ie-controls">{"".join(controls)}'
        f'<button type="button" class="ie-play" aria-pressed="false" '
        f'aria-label="Play {html.escape(main)}">▶</button></div>'
        f'<img class="ie-frame" src="{base}{frame_name(start)}" alt="{html.escape(alt)}" '
        f'width="{width}" height="{height}"></div>')


def _control_html(cid: str, k: int, s, labels: list[str], start: int) -> str:
    label = html.escape(s.label)
    if isinstance(s, Choice) and s.textual:
        buttons = "".join(
            f'<label><input type="radio" name="{cid}" value="{i}" data-param="{k}"'
            f'{" checked" if i == start else ""}><span>{html.escape(text)}</span></label>'
            for i, text in enumerate(labels))
        return (f'<fieldset class="ie-control ie-choice"><legend>{label}</legend>'
                f'{buttons}</fieldset>')
    value = html.escape(labels[start])
    return (f'<div class="ie-control"><label for="{cid}">{label}</label>'
            f'<input type="range" id="{cid}" min="0" max="{len(labels) - 1}" step="1" '
            f'value="{start}" data-param="{k}" aria-valuetext="{label} = {value}">'
            f'<output for="{cid}">{value}</output></div>')


# -- the frames ----------------------------------------------------------------------------------
def render_frames(recipe: dict, folder: str, indices: list[tuple[int, ...]]) -> int:
    """Render the frames at ``indices`` of the grid into ``folder``; returns how many."""
    explorer = _explorer(json.dumps(recipe, sort_keys=True))
    live = LiveFigure(explorer)
    grid = list(explorer.grid().items())
    for idx in indices:
        live.move({name: values[i] for (name, values), i in zip(grid, idx)})
        Path(folder, frame_name(idx)).write_bytes(palette_png(live.image()))
    return len(indices)


@lru_cache(maxsize=8)
def _explorer(recipe_json: str):
    return from_spec(json.loads(recipe_json))


def manifest(recipe: dict) -> dict:
    """What every frame shows: the parameters' labels and their formatted grid values."""
    explorer = from_spec(recipe)
    return {"recipe": recipe,
            "params": [{"name": n, "label": s.label, "values": [s.format(v) for v in s.grid()]}
                       for n, s in explorer.sliders.items()]}


def render_all(app, exception) -> None:
    """Sphinx ``build-finished``: render the frames of every explorer of the book."""
    if exception is not None or app.builder.format != "html":
        return
    from sphinx.util import logging

    recorded = {}
    for per_doc in getattr(app.env, "infoloss_explorers", {}).values():
        recorded.update(per_doc)
    root = Path(app.outdir, FRAMES_DIR)
    for stale in (root.iterdir() if root.exists() else ()):
        if stale.name not in recorded:
            shutil.rmtree(stale)
    todo, tasks = {}, []
    for key, recipe in recorded.items():
        folder = root / key
        if (folder / "frames.json").exists():
            continue
        folder.mkdir(parents=True, exist_ok=True)
        todo[key] = manifest(recipe)
        sizes = [len(p["values"]) for p in todo[key]["params"]]
        indices = list(itertools.product(*map(range, sizes)))
        chunk = -(-len(indices) // (os.cpu_count() or 1))
        tasks += [(recipe, str(folder), indices[i:i + chunk]) for i in range(0, len(indices), chunk)]
    if not tasks:
        return
    t0 = time.perf_counter()
    with ProcessPoolExecutor(max_workers=os.cpu_count()) as pool:
        count = sum(pool.map(render_frames, *zip(*tasks)))
    for key, info in todo.items():  # written last: a folder with frames.json is complete
        (root / key / "frames.json").write_text(json.dumps(info))
    logging.getLogger(__name__).info(
        f"infoloss: rendered {count} explorer frames for {len(todo)} explorers "
        f"in {time.perf_counter() - t0:.1f} s")


# -- the Sphinx extension ------------------------------------------------------------------------
def _purge(app, env, docname):
    getattr(env, "infoloss_explorers", {}).pop(docname, None)


def _merge(app, env, docnames, other):
    if not hasattr(env, "infoloss_explorers"):
        env.infoloss_explorers = {}
    for docname in docnames:
        if docname in getattr(other, "infoloss_explorers", {}):
            env.infoloss_explorers[docname] = other.infoloss_explorers[docname]


def _add_static(app):
    app.config.html_static_path.append(str(STATIC))


def setup(app):
    app.connect("builder-inited", _add_static)
    app.add_js_file("infoloss-explorer.js", defer="defer")
    app.add_css_file("infoloss-explorer.css")
    app.connect("env-purge-doc", _purge)
    app.connect("env-merge-info", _merge)
    app.connect("build-finished", render_all)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "env_version": 1}
