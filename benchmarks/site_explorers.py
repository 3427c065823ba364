"""The website's explorers in headless Chromium: page weight at first load and frame switches.

Reported, not asserted (``make bench``, after ``make book``). For every chapter page:

- its own weight at first load, before any control moves: the HTML, the figures it shows and the
  explorer frames it fetches (the theme's shared scripts, fonts and MathJax, cached after the
  first page, are counted apart); goal: at most 1.5 MB;
- for every explorer, the time from moving its first control one step to the new frame decoded
  and painted, once the neighbouring frames are prefetched; goal: within 50 ms.
"""
from __future__ import annotations

import functools
import http.server
import re
import shutil
import statistics
import sys
import threading
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[1]
HTML = ROOT / "_build" / "html"
STEPS = 8

STEP_AND_PAINT = """async k => {
    const root = document.querySelectorAll('.infoloss-explorer')[k];
    const input = root.querySelector('input[type=range]');
    const img = root.querySelector('img.ie-frame');
    const t0 = performance.now();
    input.value = String((Number(input.value) + 1) % (Number(input.max) + 1));
    input.dispatchEvent(new Event('input', {bubbles: true}));
    await img.decode();
    await new Promise(requestAnimationFrame);
    return performance.now() - t0;
}"""


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def kind(url: str) -> str:
    path = urlparse(url).path
    if "/_explorers/" in path:
        return "frames"
    if "/_static/" in path or path.endswith("searchindex.js"):
        return "shared"
    if "/_images/" in path:
        return "figures"
    return "html"


def main() -> int:
    if not (HTML / "index.html").exists():
        print("no website: run `make book` first")
        return 1
    from playwright.sync_api import sync_playwright

    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(Quiet, directory=str(HTML)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    chromium = next(filter(None, map(shutil.which, ["chromium", "chromium-browser"])), None)
    print("KB loaded before any control moves (figures: those in view; all figs: every figure of "
          "the page, scrolled through)")
    print(f"{'page':28s} {'html':>8s} {'figures':>8s} {'frames':>8s} {'own':>8s} {'shared':>8s}"
          f" {'all figs':>8s}   frame switch ms (median / max per explorer)")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, headless=True,
                                     args=["--no-sandbox", "--disable-gpu"])
        for path in sorted((HTML / "book").glob("*.html")):
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            sizes = {"html": 0, "figures": 0, "frames": 0, "shared": 0}

            def count(response):
                if urlparse(response.url).hostname == "127.0.0.1" and response.ok:
                    sizes[kind(response.url)] += len(response.body())

            page.on("response", count)
            page.goto(f"{base}/book/{path.name}", wait_until="networkidle")
            page.remove_listener("response", count)
            own = sizes["html"] + sizes["figures"] + sizes["frames"]
            switches = []
            for k in range(page.locator(".infoloss-explorer").count()):
                page.locator(".infoloss-explorer").nth(k).locator("input").first.focus()
                times = []
                for _ in range(STEPS):
                    page.wait_for_load_state("networkidle")  # the neighbours are prefetched
                    times.append(page.evaluate(STEP_AND_PAINT, k))
                switches.append(f"{statistics.median(times):.0f}/{max(times):.0f}")
            figures = set(re.findall(r'src="\.\./(_images/[^"]+)"', path.read_text()))
            all_figures = sum((HTML / f).stat().st_size for f in figures)
            print(f"{path.name:28s} " + " ".join(f"{sizes[key] / 1e3:8.0f}" for key in
                                                  ("html", "figures", "frames"))
                  + f" {own / 1e3:8.0f} {sizes['shared'] / 1e3:8.0f} {all_figures / 1e3:8.0f}"
                  + f"   {'  '.join(switches)}")
            page.close()
        browser.close()
    server.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
