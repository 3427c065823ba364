"""The explorer mechanism: one figure, three renderings.

A chapter author writes two functions and declares the parameters:

- ``compute(**params) -> data``: pure, no plotting; it receives each parameter's value itself
  (a float for a :class:`Slider`, one of the declared values for a :class:`Choice`);
- ``draw(fig, data) -> update``: builds the artists on ``fig`` (a Figure or SubFigure) with fixed
  axis limits, and returns ``update(data)``, which moves those same artists (``set_data``,
  ``set_height``...) and returns them.

:class:`Explorer` turns them into one display object whose mime bundle holds

- the live ipywidgets view (one control per parameter above the figure), shown by Jupyter;
- :data:`EXPLORER_MIME`: how to rebuild the explorer (its registered factory and arguments); the
  website's build renders a frame for every point of the parameter grid from it, and the page
  shows one labeled control per parameter (:mod:`infoloss.explorers.site`);
- ``image/png``: static small multiples, shown by LaTeX/PDF output and as a preview;
- ``text/plain``: a one-line description.
"""
from __future__ import annotations

import functools
import io
import math
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Mapping, Sequence

import numpy as np
from matplotlib.artist import Artist
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

Compute = Callable[..., Any]
Update = Callable[[Any], Iterable[Artist]]
Draw = Callable[[Any, Any], Update]

#: The mime type of an explorer's rebuild recipe (``{"factory", "kwargs", "params"}``).
EXPLORER_MIME = "application/vnd.infoloss.explorer+json"

#: The most frames one explorer may ask the website build to render (the product of the grid
#: sizes of its parameters).
MAX_FRAMES = 400

#: Every explorer factory the package defines, by name (swept by the tests, rebuilt by the site).
REGISTRY: dict[str, Callable[..., "Explorer"]] = {}


def register(factory: Callable[..., "Explorer"]) -> Callable[..., "Explorer"]:
    """Record an explorer factory in :data:`REGISTRY` under its function name.

    The explorers it returns remember how they were made (``explorer.spec``), so the website's
    build can make them again. Keyword arguments must be JSON values.
    """
    @functools.wraps(factory)
    def make(**kwargs):
        explorer = factory(**kwargs)
        explorer.spec = {"factory": factory.__name__, "kwargs": kwargs}
        return explorer

    REGISTRY[factory.__name__] = make
    return make


@dataclass(frozen=True)
class Slider:
    """A continuous parameter of an explorer.

    Parameters
    ----------
    label : str
        Short name shown beside the control and in the frame title, e.g. ``"p"`` or ``"T"``.
    min, max : float
        The range; both ends must give a finite, warning-free figure (the tests sweep them).
    value : float
        The starting value; it must be one of the website's ``steps`` values, so that the page
        opens on the figure Jupyter starts with.
    step : float, optional
        Resolution of the live Jupyter slider; default ``(max - min) / 100``.
    steps : int
        How many evenly spaced values, ``min`` and ``max`` included, the website offers (and
        renders a frame for). About 25 for an explorer's main parameter, fewer for the others.
    fmt : str
        Format spec of the value (Python's, which Jupyter's readout shares), default ``".2f"``.

    Raises
    ------
    ValueError
        If the range is not finite with ``min < max``, ``value`` lies outside it or off the
        website's grid, or ``steps < 2``.
    """

    label: str
    min: float
    max: float
    value: float
    step: float | None = None
    steps: int = 25
    fmt: str = ".2f"

    def __post_init__(self):
        if not (np.isfinite([self.min, self.max, self.value]).all() and self.min < self.max):
            raise ValueError(f"Slider {self.label!r}: need finite min < max, got {self.min}, {self.max}")
        if not self.min <= self.value <= self.max:
            raise ValueError(f"Slider {self.label!r}: value {self.value} is outside [{self.min}, {self.max}]")
        if int(self.steps) != self.steps or self.steps < 2:
            raise ValueError(f"Slider {self.label!r}: steps must be an integer >= 2, got {self.steps}")
        grid = np.asarray(self.grid())
        if np.abs(grid - self.value).min() > 1e-9 * (self.max - self.min):
            raise ValueError(
                f"Slider {self.label!r}: value {self.value} is not one of the website's {self.steps} "
                f"steps from {self.min} to {self.max} (spacing {(self.max - self.min) / (self.steps - 1):g}); "
                "choose min, max and steps so that it is")

    def grid(self) -> list[float]:
        """The website's values: ``steps`` evenly spaced from ``min`` to ``max``."""
        return [float(v) for v in np.linspace(self.min, self.max, self.steps)]

    def format(self, value) -> str:
        return format(value, self.fmt)

    def check(self, value) -> None:
        """Raise ``ValueError`` unless ``value`` lies in the range."""
        if not self.min <= value <= self.max:
            raise ValueError(f"{self.label} = {value} is outside [{self.min}, {self.max}]")

    def widget(self, value):
        """The live Jupyter control: a float slider."""
        import ipywidgets as w

        return w.FloatSlider(value=value, min=self.min, max=self.max,
                             step=self.step or (self.max - self.min) / 100,
                             description=self.label, readout_format=self.fmt,
                             continuous_update=True)


@dataclass(frozen=True)
class Choice:
    """A parameter with a few values: a class label, a number of classes K, a convention name.

    ``compute`` receives the value itself. Jupyter shows consecutive integers as an integer
    slider, other numbers as a selection slider and strings as toggle buttons; the website
    shows numbers as a slider with one step per value and strings as a group of buttons.

    Parameters
    ----------
    label : str
        Short name shown beside the control and in the frame title.
    values : sequence of int, float or str
        The values, in display order (at least two, all different, all numbers or all strings).
    value
        The starting value, one of ``values``.
    fmt : str
        Format spec of a value, default ``""`` (``str``).

    Raises
    ------
    ValueError
        If ``values`` has fewer than two entries, repeats one, mixes numbers and strings, or
        does not contain ``value``.
    """

    label: str
    values: Sequence[Any]
    value: Any
    fmt: str = ""

    def __post_init__(self):
        values = tuple(self.values)
        object.__setattr__(self, "values", values)
        if len(values) < 2 or len(set(values)) != len(values):
            raise ValueError(f"Choice {self.label!r}: need at least two different values, got {values}")
        kinds = {isinstance(v, str) for v in values}
        if len(kinds) != 1:
            raise ValueError(f"Choice {self.label!r}: values mix strings and numbers: {values}")
        self.check(self.value)

    @property
    def textual(self) -> bool:
        return isinstance(self.values[0], str)

    def grid(self) -> list[Any]:
        return list(self.values)

    def format(self, value) -> str:
        return format(value, self.fmt)

    def check(self, value) -> None:
        """Raise ``ValueError`` unless ``value`` is one of the values."""
        if value not in self.values:
            raise ValueError(f"{self.label} = {value!r} is not one of {list(self.values)}")

    def widget(self, value):
        """The live Jupyter control (see the class docstring)."""
        import ipywidgets as w

        values = self.values
        if self.textual:
            return w.ToggleButtons(options=[(self.format(v), v) for v in values], value=value,
                                   description=self.label)
        consecutive = all(isinstance(v, (int, np.integer)) for v in values) and \
            list(values) == list(range(values[0], values[0] + len(values)))
        if consecutive:
            return w.IntSlider(value=value, min=values[0], max=values[-1], description=self.label,
                               continuous_update=True)
        return w.SelectionSlider(options=[(self.format(v), v) for v in values], value=value,
                                 description=self.label, continuous_update=True)


Parameter = Slider | Choice


class Explorer:
    """An interactive figure that works in Jupyter, on the website and in print.

    Parameters
    ----------
    compute : callable
        ``compute(**params) -> data``; pure, called with one keyword per parameter.
    draw : callable
        ``draw(fig, data) -> update``; draws on ``fig`` with fixed axis limits and returns
        ``update(data) -> artists``, which moves the existing artists (no new figure per update)
        and returns those it changed: the live view and the website's frames redraw only them.
    sliders : mapping of str to Slider or Choice
        The parameters, in display order; keys are ``compute``'s keyword names. The first is the
        main one: print shows small multiples along it, and the website can play it.
    figsize : (float, float)
        Figure size in inches; ``dpi`` its resolution.

    Raises
    ------
    ValueError
        If ``sliders`` is empty, or its website grid has more than :data:`MAX_FRAMES` points.
    """

    #: How the explorer was made (set by :func:`register`); None for one built directly.
    spec: dict | None = None

    def __init__(self, compute: Compute, draw: Draw, sliders: Mapping[str, Parameter], *,
                 figsize: tuple[float, float] = (7.0, 3.2), dpi: int = 80):
        if not sliders:
            raise ValueError("sliders is empty: an explorer needs at least one Slider or Choice")
        self.sliders = dict(sliders)
        frames = math.prod(len(s.grid()) for s in self.sliders.values())
        if frames > MAX_FRAMES:
            sizes = " x ".join(f"{s.label}: {len(s.grid())}" for s in self.sliders.values())
            raise ValueError(f"the website grid has {frames} frames ({sizes}), more than "
                             f"{MAX_FRAMES}; give the secondary sliders fewer steps")
        self.compute, self.draw = compute, draw
        self.figsize, self.dpi = figsize, dpi
        self.params = {name: s.value for name, s in self.sliders.items()}
        self.fig, self._update = self._new_figure(self.params)

    # -- figures -----------------------------------------------------------------------------
    def title(self, params: Mapping[str, Any]) -> str:
        """The parameters and their values, e.g. ``"p = 0.30,  K = 4"``."""
        return ",  ".join(f"{s.label} = {s.format(params[n])}" for n, s in self.sliders.items())

    def _new_figure(self, params):
        fig = Figure(figsize=self.figsize, dpi=self.dpi, layout="constrained")
        FigureCanvasAgg(fig)  # a bare Agg figure: pyplot never sees it, so nothing leaks
        update = self.draw(fig, self.compute(**params))
        fig.suptitle(self.title(params))
        return fig, update

    def set(self, **params) -> None:
        """Recompute at ``params`` (others unchanged) and move the existing artists."""
        self._check(params)
        self.params.update(params)
        self._update(self.compute(**self.params))
        self.fig.suptitle(self.title(self.params))

    def _check(self, params: Mapping[str, Any]) -> None:
        unknown = set(params) - set(self.sliders)
        if unknown:
            raise ValueError(f"unknown parameter(s) {sorted(unknown)}; sliders are {list(self.sliders)}")
        for name, value in params.items():
            self.sliders[name].check(value)

    def png(self) -> bytes:
        """The current figure as PNG bytes."""
        buf = io.BytesIO()
        self.fig.savefig(buf, format="png")
        return buf.getvalue()

    def grid(self) -> dict[str, list]:
        """The website's values of every parameter (the frames are their product)."""
        return {name: s.grid() for name, s in self.sliders.items()}

    def small_multiples(self, n: int = 4) -> Figure:
        """A static grid of up to ``n`` panels along the main parameter, two per row (for print)."""
        main, slider = next(iter(self.sliders.items()))
        grid = slider.grid()
        picks = [grid[i] for i in np.unique(np.linspace(0, len(grid) - 1, n).round().astype(int))]
        w, h = self.figsize
        rows = -(-len(picks) // 2)
        fig = Figure(figsize=(2 * w, rows * h), dpi=self.dpi, layout="constrained")
        FigureCanvasAgg(fig)
        for sub, value in zip(fig.subfigures(rows, 2).ravel(), picks):
            params = {**self.params, main: value}
            self.draw(sub, self.compute(**params))
            sub.suptitle(self.title(params))
        return fig

    # -- Jupyter -------------------------------------------------------------------------------
    def widget(self):
        """The live view: one ipywidgets control per parameter above the figure."""
        import ipywidgets as w

        live = LiveFigure(self)
        image = w.Image(value=live.png(), format="png")
        controls = []
        for name, s in self.sliders.items():
            control = s.widget(self.params[name])

            def on_change(change, name=name):
                self.params[name] = change["new"]
                image.value = live.render(self.params)

            control.observe(on_change, names="value")
            controls.append(control)
        return w.VBox([w.HBox(controls, layout=w.Layout(flex_flow="row wrap")), image])

    def _repr_mimebundle_(self, include=None, exclude=None):
        bundle = dict(self.widget()._repr_mimebundle_() or {})
        bundle["image/png"] = encode_png(self.small_multiples())
        bundle["text/plain"] = f"Explorer({', '.join(self.sliders)}): {self.title(self.params)}"
        if self.spec is not None:
            bundle[EXPLORER_MIME] = {**self.spec, "params": _json_values(self.params)}
        return bundle

    def __repr__(self) -> str:
        return f"<Explorer over {', '.join(self.sliders)}>"


def from_spec(spec: Mapping) -> Explorer:
    """Make the explorer an :data:`EXPLORER_MIME` recipe describes, at its parameters."""
    explorer = REGISTRY[spec["factory"]](**spec.get("kwargs", {}))
    explorer.set(**spec.get("params", {}))
    return explorer


def _json_values(params: Mapping[str, Any]) -> dict:
    """Parameter values as plain JSON numbers and strings (NumPy scalars converted)."""
    return {k: v.item() if isinstance(v, np.generic) else v for k, v in params.items()}


def encode_png(fig: Figure) -> bytes:
    """``fig`` as a palette PNG (see :func:`palette_png`)."""
    from PIL import Image

    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return palette_png(Image.open(buf).convert("RGB"))


def palette_png(image) -> bytes:
    """A Pillow RGB image as a 256-colour PNG: a third the size of a full-colour one, and the
    same to the eye for line plots and text."""
    from PIL import Image

    buf = io.BytesIO()
    image.quantize(256, method=Image.Quantize.FASTOCTREE).save(buf, format="png")
    return buf.getvalue()


class LiveFigure:
    """The figure behind a live widget or a website frame: drawn in full once, then only its
    moving artists.

    The artists ``update`` returns (and the title) are marked animated and blitted over a saved
    background, so a new parameter value costs a few artist draws and one fast image encode.
    """

    def __init__(self, explorer: Explorer):
        self.explorer = explorer
        self.fig, self.update = explorer._new_figure(explorer.params)
        moving = self.update(explorer.compute(**explorer.params))
        title = self.fig.suptitle(explorer.title(explorer.params))  # the existing title Text
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

    def move(self, params: Mapping[str, Any]) -> None:
        """Move the artists to ``params``."""
        self.update(self.explorer.compute(**params))
        self.fig.suptitle(self.explorer.title(params))
        self._blit()

    def render(self, params: Mapping[str, Any]) -> bytes:
        """Move the artists to ``params`` and return the figure as PNG bytes."""
        self.move(params)
        return self.png()

    def image(self):
        """The canvas as a Pillow RGB image."""
        from PIL import Image

        return Image.frombuffer("RGBA", self.fig.canvas.get_width_height(),
                                self.fig.canvas.buffer_rgba(), "raw", "RGBA", 0, 1).convert("RGB")

    def png(self) -> bytes:
        """The canvas as PNG, encoded by Pillow at low compression (speed over size)."""
        buf = io.BytesIO()
        self.image().save(buf, format="png", compress_level=1)
        return buf.getvalue()
