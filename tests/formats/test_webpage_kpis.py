"""The KPIs on the web page: their tables and charts read back, and axe-core in Chromium."""

from __future__ import annotations

import pytest

from kushiro_editor.core.kpi import demo, fields
from kushiro_editor.formats import write_file
from tests.formats.test_webpage import WIDTHS, _axe, _parsed, browser  # noqa: F401


@pytest.fixture
def demo_page(tmp_path, sample_result):
    report = demo.demo_report(sample_result.report)
    path = tmp_path / "demo.html"
    write_file(report, path)
    return report, path


def test_each_owner_has_a_table_with_headers_and_a_named_chart_per_kpi(demo_page):
    report, path = demo_page
    page = _parsed(path)
    captions = page.texts["caption"]
    goal = report.goals[0]
    assert f"{goal.heading}の数値目標" in captions
    direction = "① 釧路らしさを生み出す農林水産業の成長産業化の重要業績評価指標"
    assert any(c.startswith(direction) for c in captions)
    kpis = [kpi for _owner, kpi in fields.kpis(report)]
    owners = {id(owner) for owner, _kpi in fields.kpis(report)}
    tables = [a for t, a in page.elements if t == "table" and a.get("class") == "kpi"]
    assert len(tables) == len(owners)
    rowheaders = [a for t, a in page.elements if t == "th" and a.get("role") == "rowheader"]
    assert len([a for a in rowheaders if a.get("scope") == "row"]) >= len(kpis)
    images = [a for t, a in page.elements if t == "svg"]
    assert len(images) == len(kpis)
    assert all(a.get("role") == "img" and a.get("aria-labelledby") for a in images)
    titles = page.texts["title"][1:]  # the page's own title first
    assert titles[:2] == ["市内総生産の推移", "観光入込客数の推移"]
    text = "\n".join(page.texts["p"])
    # What a chart shows, in words for everyone.
    assert (
        "市内総生産の推移(実線が実績値、破線が目標への道筋): 基準値 6,500億円(令和元年度)、"
        "R2年度 6,420億円、R3年度 6,480億円(見込み)、目標値 6,800億円(R6年度)。"
    ) in text
    # The table's cells: the values as kept, the computed rate and rating.
    cells = page.cells
    row = cells.index(("th", "市内総生産"))
    shown = [text for _tag, text in cells[row + 1 : row + 9]]
    assert shown == [
        "単位億円",
        "基準値6,500億円(令和元年度)",
        "目標値6,800億円(R6年度)",
        "R2年度の実績値6,420億円",
        "R3年度の実績値6,480億円(見込み)",
        "達成率(R2年度)97.9%",
        "評価B",
        "所管都市経営課",
    ]


@pytest.mark.slow
@pytest.mark.parametrize("width", ["phone", "desktop"])
def test_axe_finds_no_violation_in_the_kpis(browser, demo_page, tmp_path, width):  # noqa: F811
    _report, path = demo_page
    browser.set_window_size(*WIDTHS[width])
    browser.get(path.as_uri())
    violations = _axe(browser)
    assert violations == [], [(v["id"], v["help"], len(v["nodes"])) for v in violations]
    inner, scroll = browser.execute_script(
        "return [window.innerWidth, document.documentElement.scrollWidth]"
    )
    assert scroll <= inner  # the KPI tables too fit the screen, on a phone by stacking
    charts = browser.execute_script(
        "return [...document.querySelectorAll('svg.chart')]"
        ".map(s => s.getBoundingClientRect().width)"
    )
    assert charts and min(charts) > 100  # drawn, not collapsed
    browser.save_screenshot(str(tmp_path / f"kpi-{width}.png"))
