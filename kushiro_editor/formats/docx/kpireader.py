"""Word: the KPIs read back from the section after the text table, as far as it shows them.

The Word reader (``docx.reader``) hands over the section's table as the texts
of its cells' paragraphs and the text alternatives of its pictures. What the
table prints is read from it: the name, unit, baseline and target with their
years (「500.0」 over 「（H30年度）」), a value and its note per year, a hand-set
rating (「B（手動）」) and the departments. The yearly targets are the points of
the target path besides the baseline and the target, read from the chart
part's target series (its cached years and numbers, which stay when an
office suite saves the file again without the chart's text alternative, as
LibreOffice does), else from the words of the text alternative (a file whose
charts were pictures). What a Word file does not print (an id, the comment, the
reason of a hand-set rating) is not there to read: each KPI gets a new id,
and which way is better is taken from the target's side of the baseline (a
target below the baseline: lower is better). The Excel file keeps all of it.
"""

from __future__ import annotations

import logging
import re
from decimal import Decimal
from xml.etree.ElementTree import Element

from ...core import fiscal
from ...core.kpi import fields
from ...core.kpi.numbers import parse_value
from ...core.model import HIGHER, LOWER, ImportWarning, Kpi, KpiTarget, KpiValue, ReportError
from .. import kpichart
from ..table import kpitable

logger = logging.getLogger(__name__)

WHERE = "指標の表"
# 「目標（破線）: H30年度 500.0、R2年度 540.0。」 in a chart's text alternative.
_PATH = re.compile(re.escape(f"{kpichart.PATH_LABEL}（破線）: ") + r"(.*?)。")
_NOTE = re.compile(r"^[（(](.*)[)）]$")
_C = {"c": "http://schemas.openxmlformats.org/drawingml/2006/chart"}

Cell = list[str]  # the texts of a cell's paragraphs


def _number(cell: Cell) -> tuple[Decimal | None, str]:
    """The value of a number cell and the note under it (a year, 速報値 …)."""
    lines = [line.strip() for line in cell if line.strip()]
    if not lines:
        return None, ""
    value = parse_value(lines[0])
    note = ""
    if len(lines) > 1:
        match = _NOTE.match(lines[1])
        note = match[1] if match else lines[1]
    return value, note


def _year(note: str) -> int | None:
    try:
        return fiscal.parse_label(note, whole=True) if note else None
    except ValueError:
        return None


def path_of(description: str) -> list[tuple[int, Decimal]]:
    """The target path a chart's text alternative names; none when it names none."""
    match = _PATH.search(description)
    if not match:
        return []
    points = []
    for item in match[1].split("、"):
        label, _space, number = item.strip().rpartition(" ")
        try:
            points.append((fiscal.parse_label(label, whole=True), parse_value(number)))
        except (ValueError, ReportError):
            return []
    return points


def path_of_chart(space: Element | None) -> list[tuple[int, Decimal]]:
    """The target path a chart part's target series holds; none when it holds none."""
    if space is None:
        return []
    for ser in space.iterfind(".//c:ser", _C):
        if (ser.findtext("c:tx//c:v", "", _C) or "").strip() != kpichart.PATH_SERIES:
            continue
        labels = {p.get("idx"): p.findtext("c:v", "", _C) for p in ser.iterfind("c:cat//c:pt", _C)}
        points = []
        for point in ser.iterfind("c:val//c:pt", _C):
            try:
                year = fiscal.parse_label(f"{labels[point.get('idx')]}年度", whole=True)
                points.append((year, parse_value(point.findtext("c:v", "", _C))))
            except (KeyError, ValueError, ReportError):
                return []
        return sorted(points)
    return []


def _kpi(cells: list[Cell], header: dict[int, tuple[str, int | None]], path: list) -> Kpi:
    texts: dict[str, str] = {}
    numbers: dict[str, tuple[Decimal | None, str]] = {}
    values: list[KpiValue] = []
    departments: list[str] = []
    for index, (role, year) in header.items():
        cell = cells[index] if index < len(cells) else []
        if role in (kpitable.BASELINE, kpitable.TARGET):
            numbers[role] = _number(cell)
        elif role == kpitable.YEARS:
            value, note = _number(cell)
            if value is not None or note:
                values.append(KpiValue(year, value, note))
        elif role == kpitable.DEPARTMENTS:
            departments = [line.strip() for line in cell if line.strip()]
        else:
            texts[role] = "\n".join(cell).strip()
    baseline, baseline_note = numbers.get(kpitable.BASELINE, (None, ""))
    target, target_note = numbers.get(kpitable.TARGET, (None, ""))
    baseline_year, target_year = _year(baseline_note), _year(target_note)
    ends = {baseline_year, target_year} - {None}
    yearly = tuple(KpiTarget(y, v) for y, v in path if y not in ends)
    rating = texts.get(kpitable.RATING, "")
    lower = baseline is not None and target is not None and target < baseline
    kpi = Kpi(
        name=texts.get(kpitable.NAME, ""),
        unit=texts.get(kpitable.UNIT, ""),
        departments=departments,
        better=LOWER if lower else HIGHER,
        baseline=baseline,
        baseline_year=baseline_year,
        target=target,
        target_year=target_year,
        yearly_targets=yearly,
        values=tuple(sorted(values, key=lambda item: item.year)),
        override=rating.removesuffix(kpitable.MANUAL) if rating.endswith(kpitable.MANUAL) else "",
    )
    fields.check_kpi(kpi)
    return kpi


def read(
    rows: list[list[Cell]], descriptions: list[str], charts: list[Element | None] | None = None
) -> tuple[list[kpitable.Placed], list[ImportWarning]]:
    """The KPIs of the section's table rows (the first the header) and where they stood.

    ``descriptions`` are the drawings' text alternatives and ``charts`` their
    chart parts (None for a picture), one chart per KPI in the table's order.
    """
    header = kpitable.header_roles(["\n".join(cell) for cell in rows[0]]) if rows else None
    if header is None:
        message = f"{WHERE}の見出しが読み取れないため、指標は読み込んでいません。"
        return [], [ImportWarning(row=0, topic="kpi", message=message)] if rows else []
    found: list[kpitable.Placed] = []
    warnings: list[ImportWarning] = []
    place: list[int | None] = [None, None, None]
    drawings = iter(zip(descriptions, charts or [None] * len(descriptions), strict=True))
    for number, cells in enumerate(rows[1:], start=2):
        if len(cells) == 1:
            level = kpitable.heading_level("\n".join(cells[0]))
            if level is not None:
                depth = ("goal", "direction", "measure").index(level[0])
                place[depth] = level[1]
                place[depth + 1 :] = [None] * (2 - depth)
            continue
        description, chart = next(drawings, ("", None))
        if place[0] is None:
            continue
        try:
            kpi = _kpi(cells, header, path_of_chart(chart) or path_of(description))
        except ReportError as exc:
            warnings.append(
                ImportWarning(row=number, topic="kpi", message=f"{WHERE}の{number}行目: {exc}")
            )
            continue
        found.append(kpitable.Placed(kpi, place[0], place[1], place[2], number))
    return found, warnings
