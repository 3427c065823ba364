"""Slider update latency of every explorer, next to re-plotting through ``ipywidgets.interact``.

Reported, not asserted (``make bench``). Both paths are driven the same way, by setting an
ipywidgets slider's value, and both end with the figure encoded as PNG, as a frontend would get
it. Goal on a 2-core machine: explorer median <= 30 ms, p95 <= 50 ms, >= 2x faster than re-plotting.
"""
from __future__ import annotations

import contextlib
import io
import sys
import time

import matplotlib

matplotlib.use("Agg")
import ipywidgets  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from infoloss.explorers import REGISTRY, Choice  # noqa: E402

N = 60


def timings(slider, values) -> np.ndarray:
    out = []
    for v in values:
        start = time.perf_counter()
        slider.value = v  # fires the callback synchronously
        out.append(time.perf_counter() - start)
    return 1e3 * np.array(out[5:])  # ms, warm-up dropped


def replot_interact(explorer, name):
    """The usual notebook route: a new pyplot figure per slider move."""

    def replot(**params):
        fig = plt.figure(figsize=explorer.figsize, dpi=explorer.dpi, layout="constrained")
        explorer.draw(fig, explorer.compute(**params))
        fig.savefig(io.BytesIO(), format="png")  # what the inline backend sends
        plt.close(fig)

    widget = ipywidgets.interactive(replot, **{
        n: sl.widget(sl.value) for n, sl in explorer.sliders.items()
    })  # what ``interact`` builds, without displaying it
    return next(c for c in widget.children if getattr(c, "description", None) == name)


def main() -> int:
    print(f"{'explorer':34s} {'path':10s} {'median ms':>10s} {'p95 ms':>8s}")
    for key, factory in sorted(REGISTRY.items()):
        explorer = factory()
        name = next(iter(explorer.sliders))  # the main parameter
        grid = explorer.sliders[name].grid()
        if isinstance(explorer.sliders[name], Choice):
            values = [grid[i % len(grid)] for i in range(N + 5)]
        else:
            values = np.linspace(grid[0], grid[-1], N + 5).tolist()
        live = explorer.widget().children[0].children[list(explorer.sliders).index(name)]
        ours = timings(live, values)
        with contextlib.redirect_stdout(io.StringIO()):  # interact's Output clears the terminal
            slider = replot_interact(factory(), name)
            theirs = timings(slider, values)
        for label, t in (("explorer", ours), ("interact", theirs)):
            print(f"{key:34s} {label:10s} {np.median(t):10.1f} {np.percentile(t, 95):8.1f}")
        print(f"{'':34s} {'speed-up':10s} {np.median(theirs) / np.median(ours):10.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
