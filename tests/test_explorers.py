"""The explorer mechanism, and a sweep of every explorer the package defines."""
import io
import itertools
import json
import warnings

import ipywidgets as w
import numpy as np
import pytest
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle
from PIL import Image

from infoloss.explorers import REGISTRY, Choice, Explorer, Slider, register
from infoloss.explorers.core import EXPLORER_MIME, MAX_FRAMES, LiveFigure, from_spec
from infoloss.explorers.site import page_html, render_frames, start_indices


def finite_artists(fig):
    """Every line point and bar height drawn on ``fig`` is finite."""
    for ax in fig.get_axes():
        for artist in ax.get_children():
            if isinstance(artist, Line2D):
                yield np.isfinite(np.asarray(artist.get_xydata(), float)).all()
            elif isinstance(artist, Rectangle) and artist is not ax.patch:
                yield np.isfinite([artist.get_height(), artist.get_width()]).all()


def corners(explorer):
    """Every combination of each parameter's first and last website value."""
    ends = {name: sorted({0, len(grid) - 1}) for name, grid in explorer.grid().items()}
    grid = explorer.grid()
    for combo in itertools.product(*ends.values()):
        yield {name: grid[name][i] for name, i in zip(ends, combo)}


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_every_corner_of_the_grid_gives_a_finite_warning_free_figure(name):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        explorer = REGISTRY[name]()
        for params in corners(explorer):
            explorer.set(**params)
            explorer.fig.canvas.draw()
            assert all(finite_artists(explorer.fig)), f"{name}: {params} draws inf/nan"


def pixels(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"), dtype=float)


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_live_view_matches_a_full_redraw(name):
    """The blitted figure (Jupyter and the website's frames) shows what a full redraw shows:
    axes and labels must not move on update."""
    explorer = REGISTRY[name]()
    live = LiveFigure(explorer)
    for params in corners(explorer):
        blitted = pixels(live.render(params))
        explorer.set(**params)
        full = pixels(explorer.png())
        assert blitted.shape == full.shape
        differing = (np.abs(blitted - full).max(axis=-1) > 64).mean()
        assert differing < 0.01, f"{name} at {params}: {differing:.1%} of pixels differ"


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_explorers_say_what_to_try_and_fit_the_frame_budget(name):
    assert "Try:" in (REGISTRY[name].__doc__ or "")
    explorer = REGISTRY[name]()
    assert np.prod([len(g) for g in explorer.grid().values()]) <= MAX_FRAMES
    assert explorer.spec == {"factory": name, "kwargs": {}}


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_the_site_opens_on_the_starting_values(name):
    explorer = REGISTRY[name]()
    grid = explorer.grid()
    opening = {n: grid[n][i] for n, i in zip(grid, start_indices(explorer))}
    assert opening == pytest.approx(explorer.params) if not any(
        isinstance(v, str) for v in opening.values()) else opening == explorer.params


# --- the mechanism, on a toy explorer -----------------------------------------------------------
def toy_compute(a, b, mode="up"):
    sign = 1 if mode == "up" else -1
    return {"y": sign * a * np.linspace(0, 1, 5) + b}


def toy_draw(fig, data):
    ax = fig.subplots()
    (line,) = ax.plot(data["y"])
    ax.set_ylim(-3, 3)

    def update(data):
        line.set_ydata(data["y"])
        return [line]

    return update


def toy(**extra):
    return Explorer(toy_compute, toy_draw,
                    {"a": Slider("a", 0, 2, 1, steps=5), "b": Choice("b", [-1, 0, 1], 0), **extra})


@pytest.fixture
def registered_toy():
    """A registered toy factory, ``toy_explorer(offset=0)``, removed from the registry after."""
    def toy_explorer(offset=0):
        """A line y = a x + b. Try: drag a."""
        return Explorer(lambda a, b: toy_compute(a, b + offset), toy_draw,
                        {"a": Slider("a", 0, 2, 1, steps=5), "b": Choice("b", [-1, 0, 1], 0)})

    yield register(toy_explorer)
    REGISTRY.pop("toy_explorer")


def test_set_reuses_the_artists():
    ex = toy()
    (line,) = ex.fig.axes[0].lines
    ex.set(a=2.0, b=1)
    assert ex.fig.axes[0].lines[0] is line
    np.testing.assert_allclose(line.get_ydata(), 2 * np.linspace(0, 1, 5) + 1)
    assert ex.fig._suptitle.get_text() == "a = 2.00,  b = 1"


def test_compute_receives_the_declared_values_themselves():
    seen = []
    ex = Explorer(lambda K, mode: seen.append((K, mode)) or {"y": np.zeros(5)}, toy_draw,
                  {"K": Choice("K", [2, 3, 5], 3), "mode": Choice("mode", ["up", "down"], "up")})
    ex.set(K=5, mode="down")
    assert seen[-1] == (5, "down") and type(seen[-1][0]) is int


def test_mime_bundle_has_widget_recipe_and_print_fallback_but_no_frames(registered_toy):
    bundle = registered_toy(offset=1)._repr_mimebundle_()
    assert "model_id" in bundle["application/vnd.jupyter.widget-view+json"]
    assert bundle["image/png"] and bundle["text/plain"].startswith("Explorer(a, b)")
    assert bundle[EXPLORER_MIME] == {"factory": "toy_explorer", "kwargs": {"offset": 1},
                                     "params": {"a": 1, "b": 0}}
    assert "text/html" not in bundle
    assert len(json.dumps(bundle[EXPLORER_MIME])) < 200


def test_an_unregistered_explorer_has_no_recipe():
    assert EXPLORER_MIME not in toy()._repr_mimebundle_()


def test_from_spec_rebuilds_at_the_same_parameters(registered_toy):
    ex = registered_toy(offset=1)
    ex.set(a=1.5, b=-1)
    again = from_spec(ex._repr_mimebundle_()[EXPLORER_MIME])
    assert again.params == ex.params
    np.testing.assert_array_equal(pixels(again.png()), pixels(ex.png()))


def test_widgets_match_the_kind_of_parameter():
    ex = Explorer(lambda a, K, s, mode: {"y": np.zeros(5)}, toy_draw,
                  {"a": Slider("a", 0, 1, 0.5, steps=3, fmt=".3f"), "K": Choice("K", [2, 3, 4], 3),
                   "s": Choice("s", [0.5, 1.0, 2.0], 1.0, fmt=".1f"),
                   "mode": Choice("mode", ["up", "down"], "up")})
    a, K, s, mode = ex.widget().children[0].children
    assert isinstance(a, w.FloatSlider) and a.readout_format == ".3f"
    assert isinstance(K, w.IntSlider) and (K.min, K.max, K.value) == (2, 4, 3)
    assert isinstance(s, w.SelectionSlider) and s.label == "1.0" and s.value == 1.0
    assert isinstance(mode, w.ToggleButtons) and mode.value == "up"


def test_widget_control_redraws_the_image():
    ex = toy()
    view = ex.widget()
    slider_a, choice_b = view.children[0].children
    image = view.children[1]
    before = image.value
    slider_a.value = 0.5
    assert image.value != before and ex.params["a"] == 0.5
    choice_b.value = 1
    assert ex.params["b"] == 1


def test_site_html_has_a_labeled_control_per_parameter(registered_toy):
    ex = registered_toy()
    ex.set(a=1.5)
    html = page_html(ex, "../_explorers/k/", "ie-x")
    assert html.count('type="range"') == 2
    assert '<label for="ie-x-0">a</label>' in html and 'aria-valuetext="a = 1.50"' in html
    assert 'src="../_explorers/k/3_1.png"' in html       # a = 1.5 is step 3, b = 0 is value 1
    assert 'alt="A line y = a x + b. a = 1.50, b = 0"' in html
    assert "data:image" not in html and "http" not in html


def test_site_shows_string_choices_as_buttons():
    @register
    def modes_explorer():
        """Modes. Try: it."""
        return Explorer(lambda mode: toy_compute(1, 0, mode), toy_draw,
                        {"mode": Choice("mode", ["up", "down"], "down")})
    try:
        html = page_html(modes_explorer(), "", "ie-m")
        assert html.count('type="radio"') == 2 and "<legend>mode</legend>" in html
        assert 'value="1" data-param="0" checked' in html
    finally:
        REGISTRY.pop("modes_explorer")


def test_frames_are_the_blitted_figure_at_each_grid_point(registered_toy, tmp_path):
    recipe = {"factory": "toy_explorer", "kwargs": {"offset": 0}}
    assert render_frames(recipe, str(tmp_path), [(0, 0), (4, 2)]) == 2
    ex = registered_toy(offset=0)
    ex.set(a=2.0, b=1)
    frame = pixels((tmp_path / "4_2.png").read_bytes())
    assert frame.shape == pixels(ex.png()).shape
    assert (np.abs(frame - pixels(ex.png())).max(axis=-1) > 64).mean() < 0.01


def test_small_multiples_run_along_the_main_parameter():
    fig = toy().small_multiples()
    titles = [sub._suptitle.get_text() for sub in fig.subfigs]
    assert titles == ["a = 0.00,  b = 0", "a = 0.50,  b = 0", "a = 1.50,  b = 0", "a = 2.00,  b = 0"]


@pytest.mark.parametrize("kwargs, match", [
    ({"sliders": {}}, "sliders is empty"),
    ({"sliders": {"a": Slider("a", 0, 1, 0, steps=25), "b": Slider("b", 0, 1, 0, steps=17)}},
     "425 frames"),
])
def test_bad_explorer_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        Explorer(lambda **_: None, lambda fig, d: None, kwargs["sliders"])


@pytest.mark.parametrize("make, match", [
    (lambda: Slider("x", 1, 0, 0.5), "finite min < max"),
    (lambda: Slider("x", 0, 1, 2), "outside"),
    (lambda: Slider("x", 0, np.inf, 0.5), "finite min < max"),
    (lambda: Slider("x", 0, 1, 0.3, steps=5), "not one of the website's 5 steps"),
    (lambda: Slider("x", 0, 1, 0.5, steps=1), "steps must be an integer >= 2"),
    (lambda: Choice("K", [3], 3), "at least two different values"),
    (lambda: Choice("K", [3, 3, 4], 3), "at least two different values"),
    (lambda: Choice("K", [3, "x"], 3), "mix strings and numbers"),
    (lambda: Choice("K", [3, 4], 5), "is not one of"),
])
def test_bad_parameters(make, match):
    with pytest.raises(ValueError, match=match):
        make()


@pytest.mark.parametrize("params, match", [
    ({"c": 1}, "unknown parameter"),
    ({"a": 3.0}, "outside"),
    ({"b": 0.5}, "is not one of"),
])
def test_set_rejects_bad_values(params, match):
    with pytest.raises(ValueError, match=match):
        toy().set(**params)
