"""The web page for citizens: its structure read back, and axe-core run on it in Chromium."""

from __future__ import annotations

import json
import os
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest

from benchmarks.synthetic import scaled
from kushiro_editor.core import richtext
from kushiro_editor.formats import webpage, write_file

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "tests" / "web" / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM, DRIVER = shutil.which("chromium"), shutil.which("chromedriver")


class Page(HTMLParser):
    """The parts of the page the tests look at: tags with their attributes and text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.stack: list[list] = []
        self.texts: dict[str, list[str]] = {}
        self.cells: list[tuple[str, str]] = []  # (tag, text) of every th/td in tbody

    def handle_starttag(self, tag, attrs):
        attributes = {k: v or "" for k, v in attrs}
        self.elements.append((tag, attributes))
        if tag not in ("br", "meta", "link", "img"):
            self.stack.append([tag, attributes, []])
        elif tag == "br" and self.stack:
            self.stack[-1][2].append("\n")

    def handle_endtag(self, tag):
        while self.stack:
            name, _attributes, parts = self.stack.pop()
            text = "".join(parts)
            if self.stack:
                self.stack[-1][2].append(text if name not in ("p", "li") else text + "\n")
            self.texts.setdefault(name, []).append(text)
            if name in ("th", "td") and any(s[0] == "tbody" for s in self.stack):
                self.cells.append((name, text))
            if name == tag:
                return

    def handle_data(self, data):
        if self.stack:
            self.stack[-1][2].append(data)


def _parsed(path: Path) -> Page:
    page = Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


@pytest.fixture
def sample_page(tmp_path, sample_result):
    path = tmp_path / "report.html"
    write_file(sample_result.report, path)
    return path


def test_the_page_names_its_language_title_and_every_heading(sample_page, sample_result):
    report = sample_result.report
    page = _parsed(sample_page)
    html = next(a for t, a in page.elements if t == "html")
    assert html["lang"] == "ja"
    assert page.texts["title"][0].startswith(report.title)
    assert page.texts["h1"][0].startswith(report.title)
    goals = [h for h in page.texts["h2"] if h.startswith("【基本目標")]
    assert goals == [g.heading for g in report.goals]
    assert len(page.texts["h3"]) == sum(len(g.directions) for g in report.goals)
    assert page.texts["h3"][0] == report.goals[0].directions[0].heading
    # One table per direction with rows, each under a caption that names its direction.
    with_rows = [d for _g, d in report.directions() if d.entries]
    assert len(page.texts["caption"]) == len(with_rows)
    for caption, direction in zip(page.texts["caption"], with_rows, strict=True):
        assert caption.startswith(direction.heading)
    measures = sum(len(d.measures) for _g, d in report.directions())
    assert len(page.texts["h5"]) == measures


def test_each_cell_is_announced_with_its_department_and_year(sample_page, sample_result):
    page = _parsed(sample_page)
    headers = [a for t, a in page.elements if t == "th"]
    assert {a.get("scope") for a in headers} == {"col", "row"}
    assert [a["scope"] for a in headers[:3]] == ["col", "col", "col"]
    # Row by row: the department as the row's header, then 実績 and 取組予定 as cells.
    rows = [page.cells[i : i + 3] for i in range(0, len(page.cells), 3)]
    entries = [e for _g, _d, e in sample_result.report.entries()]
    assert len(rows) == len(entries)
    for (head, actual, plan), entry in zip(rows, entries, strict=True):
        assert head == ("th", "\n".join(entry.departments))
        for (tag, text), markup in ((actual, entry.actual), (plan, entry.plan)):
            shown = richtext.to_plain(markup).strip() or "(記載なし)"
            label, _, rest = text.partition(")")  # the stacked view's column label first
            assert tag == "td" and label.startswith("R")
            assert " ".join(rest.split()) == " ".join(shown.split())


def test_the_page_asks_for_nothing_from_elsewhere(sample_page):
    text = sample_page.read_text(encoding="utf-8")
    page = _parsed(sample_page)
    assert not [t for t, _a in page.elements if t in ("script", "iframe", "object", "img")]
    links = [a.get("href", "") for t, a in page.elements if t in ("a", "link")]
    assert links and all(link.startswith("#") for link in links)
    assert "url(" not in text and "@import" not in text and "http" not in text.lower()


def test_text_is_escaped_not_interpreted(tmp_path, sample_result):
    report = sample_result.report
    entry = report.goals[0].directions[0].entries[0]
    entry.actual = richtext.paragraph('<script>alert("x")</script> & <b>')
    report.goals[0].title = "</h2><script>"
    path = tmp_path / "page.html"
    write_file(report, path)
    page = _parsed(path)
    assert not [t for t, _a in page.elements if t == "script"]
    assert any('<script>alert("x")</script> & <b>' in t for t in page.texts["td"])


# -- in a real browser ------------------------------------------------------------------
def _need_browser() -> None:
    if CHROMIUM and DRIVER and AXE.exists():
        return
    missing = [n for n, ok in (("chromium", CHROMIUM), ("chromedriver", DRIVER)) if not ok]
    missing += [] if AXE.exists() else ["axe-core (npm install --prefix tests/web)"]
    if os.environ.get("CI"):
        pytest.fail(f"CI lacks {', '.join(missing)}: .ci/run installs them")
    pytest.skip(f"not installed here: {', '.join(missing)}")


@pytest.fixture(scope="module")
def browser():
    _need_browser()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    # As root in a container, without a GPU, and without the calls home a closed
    # network refuses.
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--lang=ja-JP",
    ):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(DRIVER), options=options)
    driver.set_script_timeout(600)  # axe on the 20× page's 30,000 elements
    yield driver
    driver.quit()


def _axe(driver) -> list[dict]:
    driver.execute_script(AXE.read_text(encoding="utf-8"))
    found = driver.execute_async_script(
        """
        const done = arguments[arguments.length - 1];
        axe.run(document, {runOnly: {type: "tag",
                 values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}})
           .then(r => done(JSON.stringify({violations: r.violations, passes: r.passes.length})))
           .catch(e => done(JSON.stringify({error: String(e)})));
        """
    )
    result = json.loads(found)
    assert "error" not in result, result
    assert result["passes"] > 10  # axe ran its rules on a real page
    return result["violations"]


WIDTHS = {"phone": (390, 844), "desktop": (1280, 900)}


@pytest.mark.slow
# The 20× page (30,000 elements) once: its layout is the sample's, repeated.
@pytest.mark.parametrize(("scale", "width"), [(1, "phone"), (1, "desktop"), (20, "desktop")])
def test_axe_finds_no_violation_and_nothing_is_cut(browser, tmp_path, sample_result, width, scale):
    report = scaled(sample_result.report, scale) if scale > 1 else sample_result.report
    path = tmp_path / f"report-{scale}.html"
    write_file(report, path)
    browser.set_window_size(*WIDTHS[width])
    browser.get(path.as_uri())
    assert browser.execute_script("return document.documentElement.lang") == "ja"
    violations = _axe(browser)
    assert violations == [], [(v["id"], v["help"], len(v["nodes"])) for v in violations]
    # Nothing wider than the screen: no side-scrolling, no text cut by a fixed width.
    inner, scroll = browser.execute_script(
        "return [window.innerWidth, document.documentElement.scrollWidth]"
    )
    assert scroll <= inner
    if width == "phone":
        # The stacked rows label each cell with its year.
        label = browser.execute_script(
            "const l = document.querySelector('td .label');"
            "return [getComputedStyle(l).display, l.textContent]"
        )
        assert label[0] == "block" and label[1].startswith("R2年度")
    browser.save_screenshot(str(tmp_path / f"page-{width}.png"))
    assert (tmp_path / f"page-{width}.png").stat().st_size > 1000


def test_the_page_in_the_registry(tmp_path, sample_result):
    from kushiro_editor.formats import registry

    format_ = registry.of_path(tmp_path / "a.html", registry.writable())
    assert format_ is not None and format_.key == "html" and format_.published
    assert webpage.render(sample_result.report).startswith("<!DOCTYPE html>")
