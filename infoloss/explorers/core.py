"""The explorer mechanism: one figure, three renderings.

A chapter author writes two functions:

- ``compute(**params) -> data``: pure, no plotting;
- ``draw(fig, data) -> update``: builds the artists on ``fig`` (a Figure or SubFigure) with fixed
  axis limits, and returns ``update(data)``, which moves those same artists (``set_data``,
  ``set_height``...) and returns them, as a blitting ``FuncAnimation`` expects.

:class:`Explorer` turns them into one display object whose mime bundle holds

- the live ipywidgets view (sliders + the figure as a PNG ``ipywidgets.Image``), shown by Jupyter;
- ``text/html``: an offline scrubber over the main slider (``Animation.to_jshtml``), frames
  rendered at build time, shown by the website;
- ``image/png``: static small multiples, shown by LaTeX/PDF output;
- ``text/plain``: a one-line description.

The book's ``_config.yml`` picks the output per builder (``nb_mime_priority_overrides``).
"""
from __future__ import annotations

import base64
import io
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping

import numpy as np
from matplotlib.animation import HTMLWriter
from matplotlib.artist import Artist
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

Compute = Callable[..., Any]
Update = Callable[[Any], Iterable[Artist]]
Draw = Callable[[Any, Any], Update]

#: Every explorer factory the package defines, by name (swept by the tests).
REGISTRY: dict[str, Callable[[], "Explorer"]] = {}


def register(factory: Callable[[], "Explorer"]) -> Callable[[], "Explorer"]:
    """Record an explorer factory in :data:`REGISTRY` under its function name."""
    REGISTRY[factory.__name__] = factory
    return factory


@dataclass(frozen=True)
class Slider:
    """One parameter of an explorer.

    Parameters
    ----------
    label : str
        Short name shown beside the slider and in the frame title, e.g. ``"p"`` or ``"T"``.
    min, max : float
        The range; both ends must give a finite, warning-free figure (the tests sweep them).
    value : float
        The starting value.
    step : float, optional
        Slider resolution; default ``(max - min) / 100``.
    fmt : str
        Format of the value in titles, default ``"{:.2f}"``.
    """

    label: str
    min: float
    max: float
    value: float
    step: float | None = None
    fmt: str = "{:.2f}"

    def __post_init__(self):
        if not (np.isfinite([self.min, self.max, self.value]).all() and self.min < self.max):
            raise ValueError(f"Slider {self.label!r}: need finite min < max, got {self.min}, {self.max}")
        if not self.min <= self.value <= self.max:
            raise ValueError(f"Slider {self.label!r}: value {self.value} is outside [{self.min}, {self.max}]")

    def values(self, n: int) -> np.ndarray:
        """``n`` evenly spaced values from min to max (the scrubber's frames)."""
        return np.linspace(self.min, self.max, n)


class Explorer:
    """An interactive figure that works in Jupyter, on the website and in print.

    Parameters
    ----------
    compute : callable
        ``compute(**params) -> data``; pure, called with one keyword per slider.
    draw : callable
        ``draw(fig, data) -> update``; draws on ``fig`` with fixed axis limits and returns
        ``update(data) -> artists``, which moves the existing artists (no new figure per update)
        and returns those it changed: the live view redraws only them.
    sliders : mapping of str to Slider
        The parameters, in display order; keys are ``compute``'s keyword names.
    scrub : str, optional
        The slider the website's scrubber moves (default: the first). The others stay at their
        starting values there.
    frames : int
        Number of scrubber frames rendered at build time (default 25).
    figsize : (float, float)
        Figure size in inches; ``dpi`` its resolution.

    Raises
    ------
    ValueError
        If ``sliders`` is empty, ``scrub`` is not one of them, or ``frames < 2``.
    """

    def __init__(self, compute: Compute, draw: Draw, sliders: Mapping[str, Slider], *,
                 scrub: str | None = None, frames: int = 25,
                 figsize: tuple[float, float] = (7.0, 3.2), dpi: int = 80):
        if not sliders:
            raise ValueError("sliders is empty: an explorer needs at least one Slider")
        self.sliders = dict(sliders)
        self.scrub = next(iter(self.sliders)) if scrub is None else scrub
        if self.scrub not in self.sliders:
            raise ValueError(f"scrub={scrub!r} is not a slider; choose one of {list(self.sliders)}")
        if frames < 2:
            raise ValueError(f"frames must be at least 2, got {frames}")
        self.compute, self.draw, self.frames = compute, draw, frames
        self.figsize, self.dpi = figsize, dpi
        self.params = {name: s.value for name, s in self.sliders.items()}
        self.fig, self._update = self._new_figure(self.params)

    # -- figures -----------------------------------------------------------------------------
    def _title(self, params: Mapping[str, float]) -> str:
        return ",  ".join(f"{s.label} = {s.fmt.format(params[n])}" for n, s in self.sliders.items())

    def _new_figure(self, params):
        fig = Figure(figsize=self.figsize, dpi=self.dpi, layout="constrained")
        FigureCanvasAgg(fig)  # a bare Agg figure: pyplot never sees it, so nothing leaks
        update = self.draw(fig, self.compute(**params))
        fig.suptitle(self._title(params))
        return fig, update

    def set(self, **params: float) -> None:
        """Recompute at ``params`` (others unchanged) and move the existing artists."""
        unknown = set(params) - set(self.sliders)
        if unknown:
            raise ValueError(f"unknown parameter(s) {sorted(unknown)}; sliders are {list(self.sliders)}")
        self.params.update(params)
        self._update(self.compute(**self.params))
        self.fig.suptitle(self._title(self.params))

    def png(self) -> bytes:
        """The current figure as PNG bytes."""
        buf = io.BytesIO()
        self.fig.savefig(buf, format="png")
        return buf.getvalue()

    def small_multiples(self, n: int = 4) -> Figure:
        """A static grid of ``n`` panels along the scrubbed slider, two per row (for print)."""
        w, h = self.figsize
        rows = -(-n // 2)
        fig = Figure(figsize=(2 * w, rows * h), dpi=self.dpi, layout="constrained")
        FigureCanvasAgg(fig)
        for sub, v in zip(fig.subfigures(rows, 2).ravel(), self.sliders[self.scrub].values(n)):
            params = {**self.params, self.scrub: v}
            self.draw(sub, self.compute(**params))
            sub.suptitle(self._title(params))
        return fig

    def scrubber_html(self) -> str:
        """An offline HTML scrubber over :attr:`scrub`; frames are PNGs made now."""
        start = dict(self.params)
        self.fig.canvas.draw()
        self.fig.set_layout_engine("none")  # every frame keeps the first layout: one draw each
        writer = HTMLWriter(fps=5, embed_frames=True, default_mode="once")
        values = self.sliders[self.scrub].values(self.frames)
        with tempfile.TemporaryDirectory() as tmp:  # what Animation.to_jshtml does, minus redraws
            path = Path(tmp, "scrubber.html")
            with writer.saving(self.fig, path, dpi=self.dpi):
                for value in values:
                    self.set(**{self.scrub: value})
                    writer.grab_frame()
            html = path.read_text()
        self.set(**start)
        # matplotlib links Font Awesome 4 from a CDN for the button icons; the book's theme
        # ships Font Awesome, so drop the link and the page needs no network.
        html = re.sub(r"<link[^>]*font-awesome[^>]*>", "", html)
        return html + self._open_at(html, int(np.abs(values - start[self.scrub]).argmin()))

    @staticmethod
    def _open_at(html: str, frame: int) -> str:
        """A script that shows ``frame`` first (jshtml opens on frame 0, the slider's minimum)."""
        name = re.search(r"(anim[0-9a-f]{32}) = new Animation", html)
        if name is None:
            raise RuntimeError("matplotlib's jshtml template changed: no Animation object found")
        return f"<script>setTimeout(() => {name.group(1)}.set_frame({frame}), 0);</script>"

    # -- Jupyter -------------------------------------------------------------------------------
    def widget(self):
        """The live view: one ipywidgets slider per parameter above the figure."""
        import ipywidgets as w

        live = LiveFigure(self)
        image = w.Image(value=live.png(), format="png")
        controls = []
        for name, s in self.sliders.items():
            slider = w.FloatSlider(value=self.params[name], min=s.min, max=s.max,
                                   step=s.step or (s.max - s.min) / 100, description=s.label,
                                   continuous_update=True, readout_format=".3g")

            def on_change(change, name=name):
                self.params[name] = change["new"]
                image.value = live.render(self.params)

            slider.observe(on_change, names="value")
            controls.append(slider)
        return w.VBox([w.HBox(controls), image])

    def _repr_mimebundle_(self, include=None, exclude=None):
        bundle = dict(self.widget()._repr_mimebundle_() or {})
        buf = io.BytesIO()
        self.small_multiples().savefig(buf, format="png")
        bundle["image/png"] = base64.b64encode(buf.getvalue()).decode("ascii")
        bundle["text/html"] = self.scrubber_html()
        bundle["text/plain"] = f"Explorer({', '.join(self.sliders)}): {self._title(self.params)}"
        return bundle

    def __repr__(self) -> str:
        return f"<Explorer over {', '.join(self.sliders)}>"


class LiveFigure:
    """The figure behind a live widget: drawn in full once, then only its moving artists.

    The artists ``update`` returns (and the title) are marked animated and blitted over a saved
    background, so a slider move costs a few artist draws and one fast PNG encode.
    """

    def __init__(self, explorer: Explorer):
        self.explorer = explorer
        self.fig, self.update = explorer._new_figure(explorer.params)
        moving = self.update(explorer.compute(**explorer.params))
        title = self.fig.suptitle(explorer._title(explorer.params))  # the existing title Text
        self.moving = [*moving, title] if moving is not None else None
        for artist in self.moving or ():
            artist.set_animated(True)
        self.fig.canvas.draw()
        self.fig.set_layout_engine("none")  # keep the first layout: the background stays valid
        self.background = self.fig.canvas.copy_from_bbox(self.fig.bbox)
        self._blit()

    def _blit(self) -> None:
        canvas = self.fig.canvas
        if self.moving is None:  # update returned nothing: redraw everything
            canvas.draw()
            return
        canvas.restore_region(self.background)
        for artist in self.moving:
            self.fig.draw_artist(artist)

    def render(self, params: Mapping[str, float]) -> bytes:
        """Move the artists to ``params`` and return the figure as PNG bytes."""
        self.update(self.explorer.compute(**params))
        self.fig.suptitle(self.explorer._title(params))
        self._blit()
        return self.png()

    def png(self) -> bytes:
        """The canvas as PNG, encoded by Pillow at low compression (speed over size)."""
        from PIL import Image

        rgba = Image.frombuffer("RGBA", self.fig.canvas.get_width_height(),
                                self.fig.canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
        buf = io.BytesIO()
        rgba.save(buf, format="png", compress_level=1)
        return buf.getvalue()
