"""The website: it builds with zero warnings, and every page reads offline in Chromium.

The build goes to ``_build/html``, where ``make book`` puts it. Pages are served on 127.0.0.1
and every other request is blocked, as on a machine with no network.
"""
import functools
import http.server
import json
import os
import re
import shutil
import subprocess
import sys
import threading
from pathlib import Path
from urllib.parse import urlparse

import pytest
import yaml

ROOT = Path(os.environ.get("INFOLOSS_BOOK_ROOT") or Path(__file__).resolve().parents[1])
HTML = ROOT / "_build" / "html"
CHROMIUM = next(filter(None, map(shutil.which, ["chromium", "chromium-browser", "google-chrome"])), None)
REQUIRE_BROWSER = os.environ.get("INFOLOSS_REQUIRE_BROWSER") == "1"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]

#: Console messages that are not faults of the page, each with its reason.
CONSOLE_ALLOW = {
    "Identifier 'THEBE_JS_URL' has already been declared":
        "sphinx-thebe 0.3.1 under Jupyter Book 1.0.4 inlines its config script twice; the first wins",
    "Got invalid theme mode":
        "pydata-sphinx-theme logs this on a first visit, before a light/dark choice is stored",
}
#: Blocked outside requests that a reader does not need, each with its reason. (None so far.)
BLOCKED_ALLOW = {}


def words(text: str) -> list[str]:
    return re.findall(r"[A-Za-z0-9_]+", text)


def toc_pages():
    """Every page of _toc.yml, as a path relative to the html root."""
    def walk(node):
        if isinstance(node, dict):
            for key, value in node.items():
                yield from ([value] if key in ("file", "root") else walk(value))
        elif isinstance(node, list):
            for item in node:
                yield from walk(item)
    return sorted(f"{page}.html" for page in walk(yaml.safe_load((ROOT / "_toc.yml").read_text())))


def notebook_of(page: str) -> Path:
    """The notebook behind an html page of the toc (it may not exist: the page is markdown)."""
    return (ROOT / page).with_suffix(".ipynb")


@pytest.fixture(scope="module")
def build():
    """Build the site once for this module; returns the build log."""
    jb = Path(sys.executable).with_name("jupyter-book")
    proc = subprocess.run([str(jb), "build", str(ROOT), "-W", "-n", "--keep-going"],
                          capture_output=True, text=True, timeout=900)
    return proc.returncode, proc.stdout + proc.stderr


@pytest.mark.build
def test_book_builds_without_warnings(build):
    code, log = build
    problems = [line for line in log.splitlines() if re.search(r"WARNING:|ERROR:|CRITICAL:|Traceback", line)]
    assert code == 0 and not problems, "\n".join(problems[-40:]) or log[-4000:]


XELATEX = shutil.which("xelatex")
REQUIRE_PDF = os.environ.get("INFOLOSS_REQUIRE_PDF") == "1"
LATEX = ROOT / "_build" / "latex"


@pytest.fixture(scope="module")
def print_build(build):
    """``make pdf``'s build (the LaTeX sources only when XeLaTeX is missing and not required)."""
    if XELATEX is None and REQUIRE_PDF:
        pytest.fail("no xelatex (INFOLOSS_REQUIRE_PDF=1): install the TeX packages the README lists")
    jb = Path(sys.executable).with_name("jupyter-book")
    builder = "pdflatex" if XELATEX else "latex"
    proc = subprocess.run([str(jb), "build", str(ROOT), "--builder", builder],  # reuses the cache
                          capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return LATEX


def page_title(page: str) -> str:
    """The first heading of a toc page (a Markdown file or a notebook)."""
    md, nb = (ROOT / page).with_suffix(".md"), (ROOT / page).with_suffix(".ipynb")
    text = md.read_text() if md.exists() else "".join(json.loads(nb.read_text())["cells"][0]["source"])
    return re.search(r"^# (.+)$", text, re.M).group(1).strip()


@pytest.mark.build
def test_print_edition_shows_explorers_as_small_multiples(print_build):
    """The LaTeX builder picks each explorer's static PNG, not the web controls or the widget."""
    tex = (print_build / "infoloss.tex").read_text()
    explorer_cells = sum("_explorer(" in "".join(cell["source"])
                         for nb in map(notebook_of, toc_pages()) if nb.exists()
                         for cell in json.loads(nb.read_text())["cells"] if cell["cell_type"] == "code")
    assert tex.count("sphinxincludegraphics") >= explorer_cells > 0
    assert "widget-view" not in tex and "infoloss-explorer" not in tex


@pytest.mark.build
def test_pdf_has_every_chapter_and_no_missing_glyph_or_reference(print_build):
    if XELATEX is None:
        pytest.skip("no xelatex: install the TeX packages the README lists (CI requires them)")
    log = (print_build / "infoloss.log").read_text(errors="replace")
    assert re.search(r"Output written on infoloss\.pdf \((\d+) pages", log)
    toc = re.sub(r"\\sphinxhyphen\s*\{\}", "-", (print_build / "infoloss.toc").read_text())
    contents = " ".join(words(toc))
    for page in toc_pages():
        if page != "book/intro.html":   # the root page opens the book, before the contents
            title = page_title(page.removesuffix(".html"))
            assert " ".join(words(title)) in contents, f"{title} is not in the PDF's contents"
    assert "Missing character" not in log, re.findall(r"Missing character.*", log)[:5]
    undefined = re.findall(r"LaTeX Warning: (?:Reference|Citation|Hyper reference) .* undefined.*", log)
    assert not undefined and "There were undefined references" not in log, undefined[:5]


# --- browser ------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def pw():
    """Playwright, once per module (a second instance in the same thread is refused)."""
    if CHROMIUM is None:
        message = "no Chromium found; install one, e.g. `sudo apt-get install -y chromium`"
        if REQUIRE_BROWSER:
            pytest.fail(message + " (INFOLOSS_REQUIRE_BROWSER=1: browser tests may not skip)")
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="module")
def browser(pw):
    chromium = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
    yield chromium
    chromium.close()


def serve(directory: Path):
    handler = functools.partial(QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def site(build):
    code, log = build
    if not (HTML / "index.html").exists():
        pytest.fail("the site did not build: see test_book_builds_without_warnings")
    server = serve(HTML)
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def open_offline(browser, url):
    """Load ``url`` with every non-local request blocked; returns (page, blocked, console errors)."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})  # a laptop screen
    blocked, errors = [], []

    def route(r):
        if urlparse(r.request.url).hostname in ("127.0.0.1", "localhost") or r.request.url.startswith("data:"):
            r.continue_()
        else:
            blocked.append((r.request.resource_type, r.request.url))
            r.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.on("pageerror", lambda e: errors.append(str(e)))
    response = page.goto(url, wait_until="load")
    assert response is not None and response.status == 200, url
    page.evaluate("() => window.MathJax && MathJax.startup ? MathJax.startup.promise : null")
    return page, blocked, errors


def math_problems(page) -> list[str]:
    """What shows that math was not typeset: untypeset math nodes, raw TeX, MathJax errors."""
    return page.evaluate(r"""() => {
        const out = [];
        const nodes = [...document.querySelectorAll('.math, span.math, div.math')];
        const raw = nodes.filter(n => !n.querySelector('mjx-container'));
        if (raw.length) out.push(`${raw.length} math node(s) not typeset: ${raw[0].textContent.slice(0, 60)}`);
        const text = document.body.innerText;
        for (const d of ['\\(', '\\[', '$$', '\\begin{']) if (text.includes(d)) out.push(`raw TeX ${d} in the text`);
        if (document.querySelector('mjx-merror, [data-mjx-error]')) out.push('a MathJax error node');
        return out;
    }""")


@pytest.mark.browser
@pytest.mark.parametrize("path", toc_pages())
def test_page_reads_offline(browser, site, path):
    page, blocked, errors = open_offline(browser, f"{site}/{path}")
    try:
        needed = [(kind, url) for kind, url in blocked
                  if kind in ("script", "stylesheet", "font", "image") and url not in BLOCKED_ALLOW]
        assert not needed, f"the page needs outside resources: {needed}"
        assert not math_problems(page)
        broken = page.evaluate("() => [...document.images].filter(i => !i.complete || i.naturalWidth === 0)"
                               ".map(i => i.src.slice(0, 80))")
        assert not broken, f"images that did not load: {broken}"
        unexpected = [e for e in errors if not any(a in e for a in CONSOLE_ALLOW)]
        assert not unexpected, f"console errors: {unexpected}"
        assert not too_wide(page), "display math or code wider than the page (it scrolls)"
    finally:
        page.context.close()


def too_wide(page) -> list[str]:
    """Display equations and code blocks that overflow their column at a desktop width."""
    return page.evaluate("""() => [...document.querySelectorAll(
            'mjx-container[display="true"], div.cell pre, div.highlight pre')]
        .filter(e => e.scrollWidth > e.clientWidth + 2)
        .map(e => e.textContent.slice(0, 60))""")


def explorer_state(page, k: int) -> dict:
    """The k-th explorer on the page: its frame, alt text and what each control reads."""
    return page.evaluate("""k => {
        const root = document.querySelectorAll('.infoloss-explorer')[k];
        const img = root.querySelector('img.ie-frame');
        const readouts = [...root.querySelectorAll('.ie-control')].map(c => {
            const out = c.querySelector('output');
            if (out) return out.textContent;
            const checked = c.querySelector('input:checked');
            return checked ? checked.parentElement.textContent : null;
        });
        return {src: img.getAttribute('src'), alt: img.alt, readouts,
                loaded: img.complete && img.naturalWidth > 0};
    }""", k)


def frame_labels(src: str) -> list[str]:
    """What the build says the frame at ``src`` shows: each parameter's value, formatted."""
    folder, name = src.rsplit("/", 2)[-2:]
    manifest = json.loads((HTML / "_explorers" / folder / "frames.json").read_text())
    indices = map(int, name.removesuffix(".png").split("_"))
    return [p["values"][i] for p, i in zip(manifest["params"], indices)]


def wait_for_frame(page, k: int) -> dict:
    page.wait_for_function("""k => {
        const img = document.querySelectorAll('.infoloss-explorer')[k].querySelector('img.ie-frame');
        return img.complete && img.naturalWidth > 0;
    }""", arg=k, timeout=5_000)
    return explorer_state(page, k)


def move_every_control(page) -> list[str]:
    """Move every control of every explorer with the keyboard; returns what went wrong."""
    problems = []
    for k in range(page.locator(".infoloss-explorer").count()):
        root = page.locator(".infoloss-explorer").nth(k)
        for c in range(root.locator(".ie-control").count()):
            control = root.locator(".ie-control").nth(c)
            if control.locator("input[type=range]").count():
                target = control.locator("input[type=range]")
                at_top = target.input_value() == target.get_attribute("max")
                keys = ["Home", "End", "ArrowLeft"] if at_top else ["End", "Home", "ArrowRight"]
            else:
                target, keys = control.locator("input:checked"), ["ArrowRight", "ArrowLeft"]
            target.focus()
            for key in keys:
                before = explorer_state(page, k)
                page.keyboard.press(key)
                try:
                    after = wait_for_frame(page, k)
                except Exception:
                    problems.append(f"explorer {k}, control {c}, {key}: the frame did not load")
                    continue
                where = f"explorer {k}, control {c}, {key}"
                if after["src"] == before["src"]:
                    problems.append(f"{where}: the frame did not change")
                elif after["readouts"] != frame_labels(after["src"]):
                    problems.append(f"{where}: readouts {after['readouts']} but the frame shows "
                                    f"{frame_labels(after['src'])}")
                elif not all(f"= {v}" in after["alt"] for v in after["readouts"]):
                    problems.append(f"{where}: alt text {after['alt']!r} misses a value")
    return problems


def explorer_pages() -> list[str]:
    return [p for p in toc_pages() if notebook_of(p).exists() and "_explorer(" in notebook_of(p).read_text()]


@pytest.mark.browser
@pytest.mark.parametrize("path", explorer_pages())
def test_every_explorer_control_moves_the_figure_offline(browser, site, path):
    page, blocked, errors = open_offline(browser, f"{site}/{path}")
    frames = []
    page.on("request", lambda r: "/_explorers/" in r.url and frames.append(r.url))
    try:
        count = page.locator(".infoloss-explorer").count()
        cells = sum("_explorer(" in "".join(cell["source"]) for cell in
                    json.loads(notebook_of(path).read_text())["cells"] if cell["cell_type"] == "code")
        assert count == cells, f"{cells} explorer cells but {count} explorers on the page"
        for k in range(count):
            opening = explorer_state(page, k)
            assert opening["loaded"] and opening["readouts"] == frame_labels(opening["src"])
        assert not frames, f"frames fetched before any control moved: {frames}"
        assert not move_every_control(page)
        assert not blocked and not [e for e in errors if not any(a in e for a in CONSOLE_ALLOW)]
    finally:
        page.context.close()


@pytest.mark.browser
def test_play_button_animates_the_main_parameter(browser, site):
    page, _, _ = open_offline(browser, f"{site}/{explorer_pages()[0]}")
    try:
        before = explorer_state(page, 0)["src"]
        play = page.locator(".infoloss-explorer").first.locator("button.ie-play")
        play.click()
        assert play.get_attribute("aria-pressed") == "true"
        page.wait_for_timeout(600)
        play.click()
        after = explorer_state(page, 0)
        assert play.get_attribute("aria-pressed") == "false" and after["src"] != before
        assert after["readouts"] == frame_labels(after["src"])
    finally:
        page.context.close()


# --- Chinese glyphs with no CJK font on the machine -------------------------------------------
LATIN_FONT_DIRS = ["/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/opentype/freefont"]

DISTINCT_GLYPHS = """async ([chars, family]) => {
    await document.fonts.ready;
    await document.fonts.load(`32px ${family}`, chars.join(''));
    const canvas = document.createElement('canvas');
    canvas.width = canvas.height = 40;
    const ctx = canvas.getContext('2d');
    const shots = chars.map(ch => {
        ctx.clearRect(0, 0, 40, 40);
        ctx.font = `32px ${family}`;
        ctx.fillText(ch, 2, 32);
        return ctx.getImageData(0, 0, 40, 40).data.join(',');
    });
    return new Set(shots).size;   // missing glyphs all draw the same box
}"""


@pytest.fixture(scope="module")
def browser_without_cjk_fonts(pw, tmp_path_factory):
    """Chromium that sees only Latin fonts (a fontconfig of its own), as on a bare school PC."""
    dirs = [d for d in LATIN_FONT_DIRS if Path(d).is_dir()]
    if not dirs:
        pytest.skip(f"none of the Latin font folders {LATIN_FONT_DIRS} exists")
    tmp = tmp_path_factory.mktemp("fonts")
    config = tmp / "fonts.conf"
    config.write_text('<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">'
                      f'<fontconfig>{"".join(f"<dir>{d}</dir>" for d in dirs)}'
                      f"<cachedir>{tmp}/cache</cachedir></fontconfig>")
    chromium = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS,
                                  env={**os.environ, "FONTCONFIG_FILE": str(config)})
    yield chromium
    chromium.close()


@pytest.mark.browser
def test_chinese_glyphs_render_with_no_cjk_font_and_no_network(browser_without_cjk_fonts, site):
    page, blocked, _ = open_offline(browser_without_cjk_fonts, f"{site}/book/glossary.html")
    try:
        text = page.inner_text("article")
        chars = sorted(set(re.findall(r"[\u4e00-\u9fff]", text)))[:12]
        assert len(chars) >= 8, "the glossary should show Chinese names"
        # the machine really has no CJK font: without the book's, every character is the same box
        assert page.evaluate(DISTINCT_GLYPHS, [chars, "sans-serif"]) == 1
        family = page.evaluate("() => getComputedStyle(document.querySelector('article')).fontFamily")
        assert page.evaluate(DISTINCT_GLYPHS, [chars, family]) == len(chars)
        assert not blocked
    finally:
        page.context.close()


# --- the checkers can fail ------------------------------------------------------------------------
@pytest.mark.browser
def test_checkers_catch_raw_tex_and_a_dead_explorer(browser, tmp_path):
    (tmp_path / "raw.html").write_text(
        '<html><body><div class="math">$$x^2$$</div>'
        '<div class="infoloss-explorer"><div class="ie-control"><input type="range" min="0" max="4" '
        'value="0" id="r"><output for="r">0</output></div><img class="ie-frame" src="'
        'data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7"></div>'
        "</body></html>")
    server = serve(tmp_path)
    try:
        page, _, _ = open_offline(browser, f"http://127.0.0.1:{server.server_address[1]}/raw.html")
        assert any("not typeset" in p for p in math_problems(page))
        assert any("$$" in p for p in math_problems(page))
        # an explorer whose script never ran: every control move is reported
        assert len(move_every_control(page)) == 3
        page.set_content('<div class="highlight"><pre style="width: 100px; overflow: auto">'
                         + "x = 1  # " * 40 + "</pre></div>")
        assert too_wide(page)
        page.context.close()
    finally:
        server.shutdown()
