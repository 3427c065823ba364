"""The explorer mechanism, and a sweep of every explorer the package defines."""
import io
import re
import warnings

import numpy as np
import pytest
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle
from PIL import Image

from infoloss.explorers import REGISTRY, Explorer, Slider
from infoloss.explorers.core import LiveFigure


def finite_artists(fig):
    """Every line point and bar height drawn on ``fig`` is finite."""
    for ax in fig.get_axes():
        for artist in ax.get_children():
            if isinstance(artist, Line2D):
                yield np.isfinite(np.asarray(artist.get_xydata(), float)).all()
            elif isinstance(artist, Rectangle) and artist is not ax.patch:
                yield np.isfinite([artist.get_height(), artist.get_width()]).all()


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_every_slider_end_gives_a_finite_warning_free_figure(name):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        explorer = REGISTRY[name]()
        for key, slider in explorer.sliders.items():
            for value in (slider.min, slider.max):
                explorer.set(**{key: value})
                explorer.fig.canvas.draw()
                assert all(finite_artists(explorer.fig)), f"{name}: {key}={value} draws inf/nan"
            explorer.set(**{key: slider.value})


def pixels(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"), dtype=float)


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_live_view_matches_a_full_redraw(name):
    """The blitted live figure shows what a full redraw shows (axes must not move on update)."""
    explorer = REGISTRY[name]()
    live = LiveFigure(explorer)
    for key, slider in explorer.sliders.items():
        for value in (slider.min, slider.max):
            params = {**explorer.params, key: value}
            blitted = pixels(live.render(params))
            explorer.set(**params)
            full = pixels(explorer.png())
            assert blitted.shape == full.shape
            differing = (np.abs(blitted - full).max(axis=-1) > 64).mean()
            assert differing < 0.01, f"{name} at {key}={value}: {differing:.1%} of pixels differ"


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_explorers_have_a_docstring_saying_what_to_try(name):
    assert "Try:" in (REGISTRY[name].__doc__ or "")


# --- the mechanism, on a toy explorer -----------------------------------------------------------
def toy():
    def compute(a, b):
        return {"y": a * np.linspace(0, 1, 5) + b}

    def draw(fig, data):
        ax = fig.subplots()
        (line,) = ax.plot(data["y"])
        ax.set_ylim(-1, 3)

        def update(data):
            line.set_ydata(data["y"])
            return [line]

        return update

    return Explorer(compute, draw, {"a": Slider("a", 0, 2, 1), "b": Slider("b", -1, 1, 0)},
                    frames=4)


def test_set_reuses_the_artists():
    ex = toy()
    (line,) = ex.fig.axes[0].lines
    ex.set(a=2.0)
    assert ex.fig.axes[0].lines[0] is line
    np.testing.assert_allclose(line.get_ydata(), 2 * np.linspace(0, 1, 5))
    assert ex.fig._suptitle.get_text() == "a = 2.00,  b = 0.00"


def test_mime_bundle_has_widget_scrubber_and_print_fallbacks():
    bundle = toy()._repr_mimebundle_()
    assert "model_id" in bundle["application/vnd.jupyter.widget-view+json"]
    assert bundle["image/png"] and bundle["text/plain"].startswith("Explorer(a, b)")
    html = bundle["text/html"]
    assert 'type="range"' in html
    assert len(re.findall(r"data:image/png;base64", html)) == 4   # one frame per value of a
    assert not re.search(r"https?://", html), "the scrubber must not load anything from the network"


def test_widget_slider_redraws_the_image():
    ex = toy()
    view = ex.widget()
    slider_a, image = view.children[0].children[0], view.children[1]
    before = image.value
    slider_a.value = 0.5
    assert image.value != before and ex.params["a"] == 0.5


def test_scrubber_opens_at_the_starting_value():
    ex = toy()
    ex.set(a=0.5)                  # nearest of the frame values 0, 2/3, 4/3, 2 is frame 1
    html = ex.scrubber_html()
    assert re.search(r"setTimeout\(\(\) => anim[0-9a-f]{32}\.set_frame\(1\), 0\)", html)


def test_scrubber_leaves_the_parameters_where_they_were():
    ex = toy()
    ex.scrubber_html()
    assert ex.params == {"a": 1, "b": 0}


@pytest.mark.parametrize("kwargs, match", [
    ({"sliders": {}}, "sliders is empty"),
    ({"scrub": "c"}, "scrub='c' is not a slider"),
    ({"frames": 1}, "frames must be at least 2"),
])
def test_bad_explorer_arguments(kwargs, match):
    args = {"compute": lambda a: a, "draw": lambda fig, d: None,
            "sliders": {"a": Slider("a", 0, 1, 0.5)}, **kwargs}
    with pytest.raises(ValueError, match=match):
        Explorer(args.pop("compute"), args.pop("draw"), args.pop("sliders"), **args)


@pytest.mark.parametrize("args, match", [
    (("x", 1, 0, 0.5), "finite min < max"),
    (("x", 0, 1, 2), "outside"),
    (("x", 0, np.inf, 0.5), "finite min < max"),
])
def test_bad_sliders(args, match):
    with pytest.raises(ValueError, match=match):
        Slider(*args)


def test_set_rejects_unknown_parameters():
    with pytest.raises(ValueError, match="unknown parameter"):
        toy().set(c=1)
