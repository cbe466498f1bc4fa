"""Excel: the sheet 「指標」 — the KPI progress table, a native chart per KPI, and reading it back.

The table (``table.kpitable``) is written in the main sheet's style, numbers as
numbers: each cell's number format keeps the places the value was given
(「12.30」 is 12.3 shown as ``0.00``), and says in its text what belongs to the
number (a value's 速報値, the baseline's year) so that the sheet reads as the
Word file does while the cell stays a number a clerk can compute with. Below
the table each KPI has a small block of chart data (its years, values and
target path) and an editable line chart (``openpyxl.chart.LineChart``) whose
series refer to that block.

Reading back, what a clerk sees and may correct in Excel is read from the
cells: the name, unit, baseline, target, the values by year, a hand-set
rating (「B（手動）」) and the departments. What the visible table cannot tell
is noted per row on the writer's very hidden sheet (the shapes' sheet, kind
``kpi``): the KPI's id, which way is better, the baseline's and target's
years, each value's note, the yearly targets, the comment and the reason of a
hand-set rating. A number format is display only (a clerk's own format would
lose the note), so the note is never parsed back out of it.
"""

from __future__ import annotations

import itertools
import json
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from ...core.kpi import fields
from ...core.kpi.numbers import format_value, parse_value
from ...core.model import (
    BETTER_LABELS,
    HIGHER,
    ImportWarning,
    Kpi,
    KpiTarget,
    KpiValue,
    ReportError,
    new_id,
    parse_departments,
)
from .. import kpichart
from ..table import kpitable, layout
from .cells import plain_value, safe_text

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
CHART_W_CM, CHART_H_CM = 16.0, 5.8
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
_PLACES = re.compile(r"0\.(0+)")


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
    writer.set(row, column, Decimal(format_value(value)), align="right")
    writer.sheet.cell(row, column).number_format = number_format(value, number.note)


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
    for number, item in enumerate(table.kpi_rows()):
        if number % BLOCKS_PER_PAGE == 0:
            sheet.row_breaks.append(Break(id=row))
        row = _chart_block(writer, item.kpi, row + 1) - 1
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
        writer.set(row, at[kpitable.RATE], item.rate, align="right")
        writer.sheet.cell(row, at[kpitable.RATE]).number_format = '0.0"%"'
    writer.set(row, at[kpitable.RATING], item.rating_text, align="center")
    departments = "\n".join(safe_text(name) for name in kpi.departments)
    writer.set(row, at[kpitable.DEPARTMENTS], departments or None)


def _character(font: str, size: float, bold: bool = False):
    from openpyxl.drawing.text import CharacterProperties, Font

    # The East-Asian typeface too: as in a cell, Excel sets Japanese only through it.
    face = Font(typeface=font)
    return CharacterProperties(sz=round(size * 100), b=bold, latin=face, ea=face)


def _chart_text(font: str, size: float):
    """A chart part's text properties (axis labels, legend) in the export's font."""
    from openpyxl.chart.text import RichText
    from openpyxl.drawing.text import Paragraph, ParagraphProperties

    props = _character(font, size)
    return RichText(p=[Paragraph(pPr=ParagraphProperties(defRPr=props), endParaRPr=props)])


def _title(text: str, font: str, size: float):
    """A chart title in the export's heading font, smaller than Excel's 14 pt default."""
    from openpyxl.chart.text import RichText, Text
    from openpyxl.chart.title import Title
    from openpyxl.drawing.text import Paragraph, ParagraphProperties, RegularTextRun

    props = _character(font, size, bold=True)
    run = RegularTextRun(rPr=props, t=text)
    paragraph = Paragraph(pPr=ParagraphProperties(defRPr=props), r=[run])
    return Title(tx=Text(rich=RichText(p=[paragraph])), overlay=False)


def _chart_block(writer, kpi: Kpi, row: int) -> int:
    """A KPI's chart data (years, values, target path) and its line chart; the next free row."""
    from openpyxl.chart import LineChart, Reference

    sheet = writer.sheet
    for number in range(row, row + BLOCK_ROWS):
        sheet.row_dimensions[number].height = BLOCK_ROW_POINTS
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
                writer.set(labels + offset, column, Decimal(format_value(value)), align="right")
                sheet.cell(labels + offset, column).number_format = number_format(value)
            else:
                writer.set(labels + offset, column, format_value(value), align="right")
    last = 1 + len(years)
    chart = LineChart()
    options = writer.options
    chart.title = _title(kpichart.title(kpi), options.heading_font, options.size + 1)
    text = _chart_text(options.font, options.size - 1)
    chart.x_axis.txPr = chart.y_axis.txPr = chart.legend.txPr = text
    chart.style = 2
    chart.height, chart.width = CHART_H_CM, CHART_W_CM
    chart.display_blanks = "span"  # the path has points only at some years
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    # The years stay under the plot when the values are below zero (社会増減数).
    chart.x_axis.crosses = "min"
    chart.x_axis.tickLblPos = "low"
    chart.legend.position = "b"
    data = Reference(sheet, min_col=1, max_col=last, min_row=labels + 1, max_row=labels + 2)
    chart.add_data(data, from_rows=True, titles_from_data=True)
    chart.set_categories(Reference(sheet, min_col=2, max_col=last, min_row=labels))
    measured, target = chart.series
    measured.graphicalProperties.line.solidFill = kpichart.VALUE_COLOUR[1:]
    measured.graphicalProperties.line.width = 28575  # 2.25 pt in EMU
    measured.marker.symbol = "circle"
    measured.marker.size = 6
    measured.marker.graphicalProperties.solidFill = kpichart.VALUE_COLOUR[1:]
    measured.marker.graphicalProperties.line.solidFill = kpichart.VALUE_COLOUR[1:]
    target.graphicalProperties.line.solidFill = kpichart.PATH_COLOUR[1:]
    target.graphicalProperties.line.dashStyle = "dash"
    target.graphicalProperties.line.width = 19050
    target.marker.symbol = "square"
    target.marker.size = 5
    target.marker.graphicalProperties.solidFill = "FFFFFF"
    target.marker.graphicalProperties.line.solidFill = kpichart.PATH_COLOUR[1:]
    target.smooth = measured.smooth = False
    sheet.add_chart(chart, f"A{row + 4}")
    return row + BLOCK_ROWS


# -- reading -------------------------------------------------------------------------
def _places(number_format_text: str) -> int:
    match = _PLACES.search(number_format_text.split(";", 1)[0])
    return len(match[1]) if match else 0


def cell_number(value, number_format_text: str = "General") -> Decimal | None:
    """A cell's number as an exact decimal with the places its format shows; None for 「－」."""
    value = plain_value(value)
    if value is None:
        return None
    if isinstance(value, bool):
        raise ReportError(f"「{value}」は数値として読めません。")
    if isinstance(value, int | float | Decimal):
        exact = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        places = _places(number_format_text)
        if not exact.is_finite():
            raise ReportError(f"「{value}」は数値として読めません。")
        if not places:
            return Decimal(int(exact)) if exact == exact.to_integral_value() else exact
        try:
            return exact.quantize(Decimal(1).scaleb(-places))
        except InvalidOperation as exc:
            raise ReportError(f"「{value}」は数値として読めません。") from exc
    text = str(value).strip()
    # 「－（集計中）」, 「530.5（速報値）」 typed as text: the note is the hidden sheet's.
    text = re.sub(r"[（(][^（()）]*[)）]$", "", text).strip()
    return parse_value(text)


def _headers(cells) -> dict[int, tuple[str, int | None]] | None:
    return kpitable.header_roles([str(plain_value(cell.value) or "") for cell in cells])


def read_sheet(sheet, notes: dict) -> tuple[list[kpitable.Placed], list[ImportWarning]]:
    """The KPIs of a sheet 「指標」 this editor wrote, where they stand, and what went wrong."""
    sheet.reset_dimensions()
    rows = sheet.iter_rows()
    header, header_row = None, 0
    for header_row, cells in enumerate(itertools.islice(rows, 10), start=1):  # noqa: B007
        header = _headers(cells)
        if header is not None:
            break
    if header is None:
        return [], [
            ImportWarning(
                row=0,
                topic="kpi",
                message=f"シート「{SHEET_TITLE}」に指標の表の見出しが見つからないため、"
                "指標は読み込んでいません。",
            )
        ]
    warnings: list[ImportWarning] = []
    place: list[int | None] = [None, None, None]
    pending: list[tuple[int, tuple, tuple[int | None, ...], str]] = []
    for number, cells in enumerate(rows, start=header_row + 1):
        shown = {i: plain_value(c.value) for i, c in enumerate(cells) if c.value not in (None, "")}
        if not shown:
            break  # the table ends at its first empty row; the legend and charts follow
        if list(shown) == [0]:
            level = kpitable.heading_level(str(shown[0]))
            if level is None:
                continue  # a legend line
            kind, index = level
            depth = ("goal", "direction", "measure").index(kind)
            place[depth] = index
            place[depth + 1 :] = [None] * (2 - depth)
            continue
        if place[0] is None:
            warnings.append(_unplaced(number, shown))
            continue
        pending.append((number, cells, tuple(place), str(shown.get(0, "")).strip()))
    chosen = _match_notes(notes, [(number, name) for number, _c, _p, name in pending])
    found: list[kpitable.Placed] = []
    for number, cells, (goal, direction, measure), _name in pending:
        try:
            kpi = _row_kpi(cells, header, chosen.get(number))
        except ReportError as exc:
            warnings.append(
                ImportWarning(row=number, topic="kpi", message=f"指標の{number}行目: {exc}")
            )
            continue
        found.append(kpitable.Placed(kpi, goal, direction, measure, number))
    return found, warnings


def _noted_name(note) -> str | None:
    try:
        name = json.loads(note[1][0]).get("name")
    except (ValueError, TypeError, AttributeError, IndexError):
        return None
    return name if isinstance(name, str) else None


def _match_notes(notes: dict, rows: list[tuple[int, str]]) -> dict[int, tuple]:
    """The hidden note of each KPI row (by row number), each note given to one row at most.

    A note goes to the row showing the name it was written with, the nearest
    such row first, so that rows moved, inserted or deleted in Excel keep their
    own; a row renamed in place keeps the note of its row when no row shows
    that note's name. A row left without a note is a KPI added in Excel.
    """
    written = {first: note for (kind, first), note in notes.items() if kind == NOTE_KIND}
    by_name: dict[str, list[int]] = {}
    for first, note in written.items():
        by_name.setdefault(_noted_name(note) or "", []).append(first)
    shown = {name for _number, name in rows}
    used: set[int] = set()
    chosen: dict[int, tuple] = {}
    for number, name in rows:
        free = [first for first in by_name.get(name, []) if first not in used]
        if name and free:
            pick = min(free, key=lambda first: abs(first - number))
            used.add(pick)
            chosen[number] = written[pick]
    for number, _name in rows:
        note = written.get(number)
        free = number not in chosen and note is not None and number not in used
        if free and _noted_name(note) not in shown:
            used.add(number)
            chosen[number] = note
    return chosen


def _unplaced(number: int, shown: dict) -> ImportWarning:
    return ImportWarning(
        row=number,
        topic="kpi",
        message=f"シート「{SHEET_TITLE}」の{number}行目の指標「{shown.get(0, '')}」は"
        "基本目標などの見出しの下にないため、読み込んでいません。",
    )


@dataclass
class _Hidden:
    """What the hidden sheet noted of a KPI's row (the defaults where it noted nothing)."""

    id: str = ""
    better: str = HIGHER
    baseline_year: int | None = None
    target_year: int | None = None
    notes: dict[int, str] = field(default_factory=dict)
    targets: tuple[KpiTarget, ...] = ()
    comment: str = ""
    override_reason: str = ""


def _year(value: object) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"not a year: {value!r}")
    return value


def _hidden(note) -> _Hidden:
    """The note of a row, each value of the right type; a damaged note is left unread."""
    if note is None or not note[1]:
        return _Hidden()
    try:
        data = json.loads(note[1][0])
        better = data.get("better", HIGHER)
        return _Hidden(
            id=str(data.get("id") or ""),
            better=better if better in BETTER_LABELS else HIGHER,
            baseline_year=_year(data.get("baseline_year")),
            target_year=_year(data.get("target_year")),
            notes={_year(year): str(text) for year, text in data.get("notes", [])},
            targets=tuple(
                KpiTarget(_year(year), parse_value(str(value)))
                for year, value in data.get("targets", [])
            ),
            comment=str(data.get("comment", "")),
            override_reason=str(data.get("override_reason", "")),
        )
    except (ValueError, TypeError, AttributeError, ReportError):
        logger.warning("an unreadable KPI note of the hidden sheet is left unread")
        return _Hidden()


def _row_kpi(cells, header: dict[int, tuple[str, int | None]], note) -> Kpi:
    hidden = _hidden(note)
    texts: dict[str, str] = {}
    numbers: dict[str, Decimal | None] = {}
    values: dict[int, Decimal | None] = {}
    for index, (role, year) in header.items():
        cell = cells[index] if index < len(cells) else None
        raw = None if cell is None else cell.value
        if role in (kpitable.BASELINE, kpitable.TARGET):
            numbers[role] = cell_number(raw, cell.number_format if cell is not None else "")
        elif role == kpitable.YEARS:
            values[year] = cell_number(raw, cell.number_format if cell is not None else "")
        else:
            texts[role] = str(plain_value(raw) or "").strip()
    notes = hidden.notes
    items = []
    for year in sorted(set(notes) | {y for y, v in values.items() if v is not None}):
        value = values.get(year)
        items.append(KpiValue(year, None if value is None else value, notes.get(year, "")))
    rating = texts.get(kpitable.RATING, "")
    override = rating.removesuffix(kpitable.MANUAL) if rating.endswith(kpitable.MANUAL) else ""
    kpi = Kpi(
        name=texts.get(kpitable.NAME, ""),
        unit=texts.get(kpitable.UNIT, ""),
        departments=parse_departments(texts.get(kpitable.DEPARTMENTS, "")),
        better=hidden.better,
        baseline=numbers.get(kpitable.BASELINE),
        baseline_year=hidden.baseline_year,
        target=numbers.get(kpitable.TARGET),
        target_year=hidden.target_year,
        yearly_targets=hidden.targets,
        values=tuple(items),
        comment=hidden.comment,
        override=override,
        override_reason=hidden.override_reason if override else "",
        id=hidden.id or new_id(),
    )
    fields.check_kpi(kpi)
    return kpi
