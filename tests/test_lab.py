"""In JupyterLab an explorer is a live widget: moving its slider redraws the figure."""
import json
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from test_site import CHROMIUM_ARGS, browser, pw  # noqa: F401  (the shared Chromium fixtures)

CELL = "from infoloss import explorers\nexplorers.binary_entropy_explorer()"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    root = tmp_path_factory.mktemp("lab")
    nb = {"cells": [{"cell_type": "code", "metadata": {}, "source": CELL, "outputs": [],
                     "execution_count": None}],
          "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
          "nbformat": 4, "nbformat_minor": 5}
    (root / "explorer.ipynb").write_text(json.dumps(nb))
    port = free_port()
    jupyter = Path(sys.executable).with_name("jupyter")
    proc = subprocess.Popen([str(jupyter), "lab", "--no-browser", f"--port={port}", "--ip=127.0.0.1",
                             "--ServerApp.token=", "--ServerApp.password=", "--allow-root",
                             f"--ServerApp.root_dir={root}", "--LabApp.news_url=",
                             "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    for _ in range(120):
        try:
            urllib.request.urlopen(f"{url}/api", timeout=1)
            break
        except OSError:
            time.sleep(0.5)
    yield url
    proc.terminate()
    proc.wait(timeout=30)


@pytest.mark.browser
def test_explorer_slider_redraws_in_jupyterlab(browser, lab):  # noqa: F811
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    try:
        page.goto(f"{lab}/lab/tree/explorer.ipynb")
        page.wait_for_selector(".jp-Notebook .jp-CodeCell", timeout=90_000)
        # the kernel must be connected and idle, or Shift+Enter moves on without running the cell
        page.wait_for_function("() => [...document.querySelectorAll('.jp-StatusBar-TextItem')]"
                               ".some(e => /\\| Idle/.test(e.textContent))", timeout=90_000)
        page.locator(".jp-CodeCell .cm-content").first.click()
        page.keyboard.press("Shift+Enter")
        page.wait_for_selector(".jp-OutputArea .widget-slider", timeout=90_000)
        image = page.locator(".jp-OutputArea img").first
        before = image.get_attribute("src")
        handle = page.locator(".widget-slider .noUi-handle").first
        box = handle.bounding_box()
        page.mouse.move(box["x"] + 4, box["y"] + 4)
        page.mouse.down()
        page.mouse.move(box["x"] + 120, box["y"] + 4, steps=8)
        page.mouse.up()
        page.wait_for_function("src => document.querySelector('.jp-OutputArea img').src !== src",
                               arg=before, timeout=30_000)
    finally:
        page.close()
