"""The KPIs on the web page: a data table per goal, direction or measure, and a chart each.

The table is read like the department rows' table: the KPI's name is the row
header, the columns (単位, 基準値, 目標値, each year, 達成率, 評価, 所管) are
column headers under a caption naming whose KPIs they are, and on a phone each
row stacks with its cells labelled. Each KPI's chart is an inline SVG image
(nothing fetched), named by its title, with what it shows in words under it —
the baseline, each year's value and the target — so that nothing is only seen.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from html import escape

from ..core import fiscal
from ..core.kpi import progress
from ..core.kpi.achievement import format_rate, rating
from ..core.kpi.numbers import format_value
from ..core.model import Kpi, Report

STYLE = """
table.kpi td, table.kpi th { width: auto; }
table.kpi td.number { text-align: right; white-space: nowrap; }
table.kpi tbody th { width: 22%; }
figure.charts { display: flex; flex-wrap: wrap; gap: 0.5rem 1.5rem; margin: 0.5rem 0 1rem; }
figure.charts figcaption { flex-basis: 100%; font-weight: bold; }
div.chart { flex: 0 1 20rem; }
div.chart p { margin: 0; font-size: 0.9rem; }
svg.chart { width: 100%; max-width: 20rem; height: auto; }
@media (max-width: 40rem) {
  table.kpi td.number { text-align: left; }
  table.kpi tbody th { width: auto; }
}
"""
WIDTH, HEIGHT = 320, 150
LEFT, RIGHT, TOP, BOTTOM = 30, 20, 14, 28  # room for the years' labels
VALUE_COLOUR = "#1d4f91"  # 8.6:1 on white
TARGET_COLOUR = "#b34700"  # 5.2:1 on white
NUMBER = ' class="number"'


def _number(kpi: Kpi, value: Decimal | None) -> str:
    if value is None:
        return "－"
    return f"{format_value(value, grouping=True)}{escape(kpi.unit)}"


def _dated(kpi: Kpi, value: Decimal | None, year: int | None) -> str:
    shown = _number(kpi, value)
    return (
        f"{shown}({fiscal.short_label(year)})" if year is not None and value is not None else shown
    )


def section(report: Report, owner: object, caption: str, anchor: str) -> Iterator[str]:
    """The table of ``owner``'s KPIs and their charts; nothing when it has none."""
    kpis = list(owner.kpis)
    if not kpis:
        return
    years = sorted({item.year for kpi in kpis for item in kpi.values})
    year = report.actual_year
    heads = [
        "指標",
        "単位",
        "基準値",
        "目標値",
        *(f"{fiscal.short_label(y)}の実績値" for y in years),
        f"達成率({fiscal.short_label(year)})",
        "評価",
        "所管",
    ]
    yield f'<table class="kpi" role="table" aria-labelledby="{anchor}-kpi">'
    yield f'<caption id="{anchor}-kpi">{escape(caption)}</caption>'
    cells = "".join(f'<th scope="col" role="columnheader">{escape(h)}</th>' for h in heads)
    yield f'<thead role="rowgroup"><tr role="row">{cells}</tr></thead>'
    yield '<tbody role="rowgroup">'
    for kpi in kpis:
        judged = rating(report, kpi)
        values = {item.year: item for item in kpi.values}
        row = [
            ("単位", escape(kpi.unit) or "－", False),
            ("基準値", _dated(kpi, kpi.baseline, kpi.baseline_year), True),
            ("目標値", _dated(kpi, kpi.target, kpi.target_year), True),
        ]
        for y in years:
            item = values.get(y)
            shown = _number(kpi, item.value if item else None)
            if item is not None and item.note:
                shown += f"({escape(item.note)})"
            row.append((f"{fiscal.short_label(y)}の実績値", shown, True))
        row += [
            (heads[-3], format_rate(judged.rate), True),
            ("評価", escape(judged.display), False),
            ("所管", escape("、".join(kpi.departments)) or "－", False),
        ]
        tds = "".join(
            f'<td role="cell"{NUMBER if number else ""}>'
            f'<span class="label" aria-hidden="true">{escape(label)}</span>{text}</td>'
            for label, text, number in row
        )
        yield f'<tr role="row"><th scope="row" role="rowheader">{escape(kpi.name)}</th>{tds}</tr>'
    yield "</tbody></table>"
    yield f'<figure class="charts" aria-labelledby="{anchor}-charts">'
    yield f'<figcaption id="{anchor}-charts">{escape(caption)}の推移</figcaption>'
    for index, kpi in enumerate(kpis, start=1):
        yield from _chart(report, kpi, f"{anchor}-c{index}")
    yield "</figure>"
    yield (
        '<p class="empty">「－」は値がまだないことを示します。'
        "達成率と評価は報告の年度のものです。</p>"
    )


def describe(report: Report, kpi: Kpi) -> str:
    """The chart in words: the baseline, each year's value and the target."""
    parts = []
    if kpi.baseline is not None:
        parts.append(f"基準値 {_dated(kpi, kpi.baseline, kpi.baseline_year)}")
    for row in progress.history(report, kpi):
        note = f"({row.note})" if row.note else ""
        parts.append(f"{fiscal.short_label(row.year)} {_number(kpi, row.value)}{note}")
    if kpi.target is not None:
        parts.append(f"目標値 {_dated(kpi, kpi.target, kpi.target_year)}")
    return "、".join(parts) + "。"


def _chart(report: Report, kpi: Kpi, anchor: str) -> Iterator[str]:
    values = [
        (row.year, row.value) for row in progress.history(report, kpi) if row.value is not None
    ]
    path = progress.target_path(kpi)
    years = [y for y, _v in values] + [y for y, _v in path]
    numbers = [v for _y, v in values] + [v for _y, v in path]
    title = f"{kpi.name}の推移"
    text = describe(report, kpi)
    yield '<div class="chart">'
    yield (
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="{anchor}-t" xmlns="http://www.w3.org/2000/svg">'
    )
    # The image is named; what it shows is the paragraph under it, for everyone.
    yield f'<title id="{anchor}-t">{escape(title)}</title>'
    if years:
        first, last = min(years), max(years)
        low, high = min(numbers), max(numbers)
        if high == low:
            low, high = low - 1, high + 1

        def x(year: int) -> float:
            span = max(last - first, 1)
            return LEFT + (WIDTH - LEFT - RIGHT) * (year - first) / span

        def y(value: Decimal) -> float:
            share = float((value - low) / (high - low))
            return TOP + (HEIGHT - TOP - BOTTOM) * (1 - share)

        base = HEIGHT - BOTTOM
        yield f'<line x1="{LEFT}" y1="{base}" x2="{WIDTH - RIGHT}" y2="{base}" stroke="#5a5a5a"/>'
        for year in sorted({first, last, *(yr for yr, _v in values)}):
            yield (
                f'<text x="{x(year):.1f}" y="{HEIGHT - 8}" font-size="12" fill="#1a1a1a" '
                f'text-anchor="middle">{escape(fiscal.short_label(year).removesuffix("年度"))}</text>'
            )
        if len(path) > 1:
            points = " ".join(f"{x(yr):.1f},{y(v):.1f}" for yr, v in path)
            yield (
                f'<polyline points="{points}" fill="none" stroke="{TARGET_COLOUR}" '
                'stroke-width="2" stroke-dasharray="6 4"/>'
            )
        if values:
            points = " ".join(f"{x(yr):.1f},{y(v):.1f}" for yr, v in values)
            if len(values) > 1:
                yield (
                    f'<polyline points="{points}" fill="none" stroke="{VALUE_COLOUR}" '
                    'stroke-width="2.5"/>'
                )
            for yr, v in values:
                yield f'<circle cx="{x(yr):.1f}" cy="{y(v):.1f}" r="4" fill="{VALUE_COLOUR}"/>'
    yield "</svg>"
    yield f"<p>{escape(title)}(実線が実績値、破線が目標への道筋): {escape(text)}</p>"
    yield "</div>"
