"""Excel: the sheet 「指標」 — the KPI progress table and a native chart per KPI.

The table (``table.kpitable``) is written in the main sheet's style, numbers as
numbers: each cell's number format keeps the places the value was given
(「12.30」 is 12.3 shown as ``0.00``), and says in its text what belongs to the
number (a value's 速報値, the baseline's year) so that the sheet reads as the
Word file does while the cell stays a number a clerk can compute with. Below
the table each KPI has a small block of chart data (its years, values and
target path) and an editable line chart (``openpyxl.chart.LineChart``) whose
series refer to that block.

Reading back (``xlsx.kpireader``), what a clerk sees and may correct in
Excel is read from the cells: the name, unit, baseline, target, the values by
year, a hand-set rating (「B（手動）」) and the departments. What the table cannot tell
is noted per row on the writer's very hidden sheet (the shapes' sheet, kind
``kpi``): the KPI's id, which way is better, the baseline's and target's
years, each value's note, the yearly targets, the comment and the reason of a
hand-set rating. A number format is display only (a clerk's own format would
lose the note), so the note is never parsed back out of it.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from ...core.kpi.numbers import format_value
from ...core.model import (
    Kpi,
)
from .. import kpichart
from ..table import kpitable, layout
from .cells import safe_text

logger = logging.getLogger(__name__)

SHEET_TITLE = "指標"
NOTE_KIND = "kpi"
HEADER_ROW = 2
FIRST_ROW = 3
# Excel keeps 15 significant digits; a longer value is written as its text.
EXCEL_DIGITS = 15
# A KPI's block: its heading, three rows of data, the chart over CHART_ROWS rows
# and a row of space, every row set to BLOCK_ROW_POINTS so that Excel and
# LibreOffice (whose default rows are lower) put the chart in the same rows;
# two blocks and the repeated header fit one A4 landscape page.
CHART_ROWS = 12
BLOCK_ROWS = 4 + CHART_ROWS + 1
BLOCK_ROW_POINTS = 14.0
BLOCKS_PER_PAGE = 2
MARGIN_X_IN, MARGIN_Y_IN = 0.5, 0.5
DATA_LABELS = ("年度", kpichart.VALUES_LABEL, f"{kpichart.PATH_LABEL}（道筋）")
# Widths (Excel units) of the columns that hold words; number columns fit their text.
_WIDTHS = {
    kpitable.NAME: 30,
    kpitable.UNIT: 7,
    kpitable.RATE: 9,
    kpitable.RATING: 10,
    kpitable.DEPARTMENTS: 18,
}


@dataclass
class Style:
    """What the main sheet's writer lends this sheet: its cell writer and fills, row heights."""

    writer: Callable[[object], object]  # a cell writer (``xlsx.writer._Writer``) for a sheet
    head_fill: object
    goal_fill: object
    height: Callable[[int], float]  # points of a row of so many lines


def number_format(value: Decimal, note: str = "") -> str:
    """A format showing the value with its own places, and its note: ``0.0"（速報値）"``."""
    places = max(0, -value.as_tuple().exponent)  # type: ignore[operator]
    shown = "0." + "0" * places if places else "0"
    if note:
        # Inside a quoted literal only the quote itself is special.
        shown += '"（' + note.replace('"', "”") + '）"'
    return shown


def _fits_excel(value: Decimal) -> bool:
    return len(value.as_tuple().digits) <= EXCEL_DIGITS


def _put_number(writer, row: int, column: int, number: kpitable.Number) -> None:
    """A number cell with its format; a missing value (or one too long for Excel) as text."""
    value = number.value
    if value is None or not _fits_excel(value):
        writer.set(row, column, number.display, align="right")
        return
    shown = number_format(value, number.note)
    writer.set(row, column, Decimal(format_value(value)), align="right", number_format=shown)


def _width(table: kpitable.KpiTable, index: int) -> float:
    column = table.columns[index]
    if column.role in _WIDTHS:
        return _WIDTHS[column.role]
    texts = [column.heading, *(row.cells()[index] for row in table.kpi_rows())]
    return max(10, max(layout.text_width(text) for text in texts) + 3)


def _hidden_note(kpi: Kpi) -> str:
    """What the visible row cannot tell, as the JSON of its note on the hidden sheet."""
    return json.dumps(
        {
            "id": kpi.id,
            # The name written, which finds the note again when rows were moved in Excel.
            "name": kpi.name,
            "better": kpi.better,
            "baseline_year": kpi.baseline_year,
            "target_year": kpi.target_year,
            "notes": [[item.year, item.note] for item in kpi.values],
            "targets": [[item.year, format_value(item.value)] for item in kpi.yearly_targets],
            "comment": kpi.comment,
            "override_reason": kpi.override_reason,
        },
        ensure_ascii=False,
    )


def add_sheet(workbook, report, style: Style) -> list[list]:
    """Write the sheet 「指標」 when the report has KPIs; returns its notes for the hidden sheet."""
    table = kpitable.build(report)
    if table is None:
        return []
    from openpyxl.styles import Border
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.pagebreak import Break

    from . import kpicharts  # openpyxl's charts, loaded only when a sheet has KPIs

    sheet = workbook.create_sheet(SHEET_TITLE)
    writer = style.writer(sheet)
    count = len(table.columns)
    for index in range(count):
        sheet.column_dimensions[get_column_letter(index + 1)].width = _width(table, index)
    writer.set(1, 1, kpitable.TITLE, font="title", align="center", valign="center")
    sheet.cell(1, 1).border = Border()
    writer.merge(1, 1, 1, count)
    sheet.row_dimensions[1].height = style.height(1) + 8
    for index, heading in enumerate(table.headings, start=1):
        writer.set(
            HEADER_ROW,
            index,
            heading,
            font="heading",
            fill=style.head_fill,
            align="center",
            valign="center",
        )
    row = FIRST_ROW
    capacity = (_WIDTHS[kpitable.NAME] - 1) * 0.96
    for item in table.rows:
        if item.kpi is None:
            fill = style.goal_fill if item.level == "goal" else None
            writer.set(row, 1, item.text, font="heading", fill=fill)
            for column in range(2, count + 1):
                writer.set(row, column, None, font="heading", fill=fill)
            writer.merge(row, 1, row, count)
        else:
            _kpi_row(writer, table, item, row)
            writer.note(NOTE_KIND, row, row, [_hidden_note(item.kpi)])
            lines = len(item.kpi.departments) or 1
            name = layout.count_lines([layout.Block("p", (layout.Run(item.kpi.name),))], capacity)
            sheet.row_dimensions[row].height = style.height(max(lines, name))
        row += 1
    last = row - 1
    for line in table.legend:
        writer.set(row, 1, line, border="none")
        writer.merge(row, 1, row, count)
        row += 1
    sheet.freeze_panes = f"B{FIRST_ROW}"
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_margins.left = sheet.page_margins.right = MARGIN_X_IN
    sheet.page_margins.top = sheet.page_margins.bottom = MARGIN_Y_IN
    sheet.oddFooter.center.text = "- &P / &N -"
    # The charts start on a page of their own, two to a page, none cut by a page's end.
    charts = kpicharts.Charts(writer.options)
    breaks = []
    for number, item in enumerate(table.kpi_rows()):
        if number % BLOCKS_PER_PAGE == 0:
            breaks.append(Break(id=row))
        row = _chart_block(writer, charts, item.kpi, row + 1) - 1
    # Set once: RowBreak.append copies and checks every break so far, each time.
    sheet.row_breaks.brk = breaks
    logger.info("KPI sheet: %d rows of KPIs, table ends at row %d", len(table.kpi_rows()), last)
    return writer.data


def _kpi_row(writer, table: kpitable.KpiTable, item: kpitable.Row, row: int) -> None:
    kpi = item.kpi
    at = {role: table.index(role) + 1 for role in kpitable.ROLES if role != kpitable.YEARS}
    writer.set(row, at[kpitable.NAME], safe_text(kpi.name))
    writer.set(row, at[kpitable.UNIT], safe_text(kpi.unit) or None, align="center")
    _put_number(writer, row, at[kpitable.BASELINE], item.baseline)
    _put_number(writer, row, at[kpitable.TARGET], item.target)
    first_year = table.index(kpitable.YEARS) + 1 if table.years else None
    for offset, number in enumerate(item.values):
        _put_number(writer, row, first_year + offset, number)
    if item.rate is None:
        writer.set(row, at[kpitable.RATE], item.rate_text, align="right")
    else:
        writer.set(row, at[kpitable.RATE], item.rate, align="right", number_format='0.0"%"')
    writer.set(row, at[kpitable.RATING], item.rating_text, align="center")
    departments = "\n".join(safe_text(name) for name in kpi.departments)
    writer.set(row, at[kpitable.DEPARTMENTS], departments or None)


def _chart_block(writer, charts, kpi: Kpi, row: int) -> int:
    """A KPI's chart data (years, values, target path) and its line chart; the next free row."""
    from .kpicharts import Place
    from .rows import FixedRow

    sheet = writer.sheet
    for number in range(row, row + BLOCK_ROWS):
        sheet.row_dimensions[number] = FixedRow(sheet, number, BLOCK_ROW_POINTS)
    years = kpichart.years(kpi)
    writer.set(row, 1, f"{kpichart.title(kpi)}のグラフのデータ", font="bold", border="none")
    if not years:
        writer.set(row + 1, 1, "値がありません", border="none")
        return row + BLOCK_ROWS
    values = dict(kpichart.value_points(kpi))
    path = dict(kpichart.path_points(kpi))
    labels = row + 1
    for offset, label in enumerate(DATA_LABELS):
        writer.set(labels + offset, 1, label, font="heading")
    for column, year in enumerate(years, start=2):
        writer.set(labels, column, kpichart.year_label(year), font="heading", align="center")
        for offset, points in ((1, values), (2, path)):
            value = points.get(year)
            if value is None:
                writer.set(labels + offset, column, None)
            elif _fits_excel(value):
                number = Decimal(format_value(value))
                shown = number_format(value)
                writer.set(labels + offset, column, number, align="right", number_format=shown)
            else:
                writer.set(labels + offset, column, format_value(value), align="right")
    last = 1 + len(years)
    chart = charts.chart(kpi, Place(sheet, labels, last))
    sheet.add_chart(chart, f"A{row + 4}")
    return row + BLOCK_ROWS
