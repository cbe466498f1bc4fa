"""Last year's KPI table, made by hand in Excel (or saved as CSV), read onto the report.

The first year a city uses the editor, its 数値目標・KPI are in an office's own
sheet. This finds the table on any visible sheet by what its headings mean
(`table.kpiheader`), reads each row's numbers as typed (`table.kpicells`), takes
the goal, direction and measure a row belongs to from its own columns or from
the section rows above it (「【基本目標1】」, 「①…」), and then places each KPI
on the open report (:func:`attach`), as one batch for the one edit path.
Whatever it had to guess (a unit typed in a value cell, a direction of
"better", a rating that differs from the editor's) and whatever it could not
place is said in a note: nothing is dropped silently.
"""

from __future__ import annotations

import csv
import io
import logging
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from ..core.edits import Edit, Insert
from ..core.kpi import fields
from ..core.kpi.achievement import computed_rating, format_rate, rate_of
from ..core.model import HIGHER, LOWER, Kpi, KpiTarget, KpiValue, Report, parse_departments
from . import registry
from .files import decode_text, read_whole
from .table import kpiheader as h
from .table.kpicells import Reading, read

logger = logging.getLogger(__name__)

# The formats a KPI table is read from (the registry's keys): a book, or its CSV.
FORMATS = ("xlsx", "xlsm", "csv")
MAX_ROWS = 5000  # a KPI table is a few hundred rows; a sheet that claims more is cut
MAX_COLUMNS = 60
_GOAL = re.compile(r"基本目標\s*(\d+)")
_MEASURE = re.compile(r"^([ア-ン])(?:\s|$|[^ア-ン])")
_LOWER_WORDS = ("削減", "減少", "抑制", "低減", "以下")


@dataclass(frozen=True)
class Cell:
    """A cell as the sheet shows it: its text, its value and its number format."""

    text: str = ""
    raw: object = None
    number_format: str = "General"


@dataclass
class KpiRow:
    """One row of the table: where it belongs and the KPI it holds."""

    where: str  # 「シート『KPI』 5行目」
    goal: int | None
    direction: int | None
    measure: str | None
    kpi: Kpi
    rate: Decimal | None = None  # as the table has it: the editor computes its own
    rating: str = ""


@dataclass
class KpiTable:
    """What the file held: its rows, and every guess and problem in words."""

    rows: list[KpiRow] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _text(raw: object) -> str:
    if raw is None:
        return ""
    return unicodedata.normalize("NFKC", str(raw)).strip()


def _workbook_grids(path: Path) -> list[tuple[str, list[list[Cell]], list[str]]]:
    from .xlsx.cells import open_workbook, plain_value

    book = open_workbook(path, "指標の表")
    grids = []
    try:
        for sheet in book.workbook.worksheets:
            if sheet.sheet_state != "visible":
                continue
            facts = book.facts.get(sheet.title)
            sheet.reset_dimensions()
            grid: list[list[Cell]] = []
            hidden_rows = 0
            for number, row in enumerate(
                sheet.iter_rows(max_row=MAX_ROWS, max_col=MAX_COLUMNS), start=1
            ):
                if facts is not None and number in facts.hidden_rows:
                    hidden_rows += 1
                    grid.append([])
                    continue
                cells = []
                for column, cell in enumerate(row, start=1):
                    if facts is not None and facts.next_shown(column) != column:
                        cells.append(Cell())
                        continue
                    raw = plain_value(getattr(cell, "value", None))
                    fmt = getattr(cell, "number_format", None) or "General"
                    cells.append(Cell(_text(raw), raw, fmt))
                grid.append(cells)
            # A merged range shows its first cell's value over the whole range.
            for min_row, min_col, max_row, max_col in facts.merges if facts else ():
                if min_row > len(grid):
                    continue
                anchor = _at(grid, min_row - 1, min_col - 1)
                for r in range(min_row - 1, min(max_row, len(grid))):
                    for c in range(min_col - 1, min(max_col, MAX_COLUMNS)):
                        if (r, c) != (min_row - 1, min_col - 1) and grid[r]:
                            _put(grid, r, c, anchor)
            said = [f"隠された行 {hidden_rows} 行は読みませんでした"] if hidden_rows else []
            grids.append((sheet.title, grid, said))
    finally:
        book.close()
    return grids


def _at(grid: list[list[Cell]], r: int, c: int) -> Cell:
    return grid[r][c] if r < len(grid) and c < len(grid[r]) else Cell()


def _put(grid: list[list[Cell]], r: int, c: int, cell: Cell) -> None:
    row = grid[r]
    while len(row) <= c:
        row.append(Cell())
    row[c] = cell


def _csv_grid(path: Path) -> list[tuple[str, list[list[Cell]], list[str]]]:
    text = decode_text(read_whole(path))
    rows = list(csv.reader(io.StringIO(text)))[:MAX_ROWS]
    grid = [[Cell(_text(value), value or None) for value in row[:MAX_COLUMNS]] for row in rows]
    return [(path.name, grid, [])]


def open_filter() -> str:
    """The open dialog's filter for a KPI table."""
    patterns = " ".join(registry.get(key).patterns for key in FORMATS)
    return f"指標の表 ({patterns});;すべてのファイル (*)"


def read_file(path: Path | str) -> KpiTable:
    """The KPI table of an Excel book or a CSV file (ReportError when there is none)."""
    from ..core.model import ReportError

    path = Path(path)
    format_ = registry.for_reading(path)
    if format_.key == "csv":
        grids = _csv_grid(path)
    elif format_.key in FORMATS:
        grids = _workbook_grids(path)
    else:
        raise ReportError(
            f"{path.name}: 指標の表は Excel のブックか CSV で読み込めます"
            f"({format_.label}は読めません)。"
        )
    table = KpiTable()
    for title, grid, said in grids:
        texts = [[cell.text for cell in row] for row in grid]
        header = h.find_header(texts)
        if header is None:
            continue
        where = f"シート「{title}」の" if len(grids) > 1 else ""
        table.notes.extend(f"{where}{note}" for note in said)
        if header.unread:
            table.notes.append(
                f"{where}見出しが「{'」「'.join(header.unread[:6])}」の列は読みませんでした。"
            )
        _read_rows(grid, header, title if len(grids) > 1 else "", table)
    if not table.rows:
        raise ReportError(
            f"{path.name} に指標の表が見つかりません(「指標名」と「目標値」や年度の見出しの"
            "ある表を探しました)。"
        )
    return table


_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


def _section(raw: object) -> tuple[str, object] | None:
    """A section row's place, as the text table writes it: 「【基本目標1】…」, 「①…」, 「ア …」."""
    text = str(raw or "").strip()
    goal = _GOAL.search(unicodedata.normalize("NFKC", text))
    if goal:
        return "goal", int(goal.group(1))
    if text[:1] and text[0] in _CIRCLED:
        return "direction", _CIRCLED.index(text[0]) + 1
    measure = _MEASURE.match(text)
    if measure and len(text) > 2:
        return "measure", measure.group(1)
    return None


def _place_cell(key: str, cell: Cell) -> object | None:
    """A place column's value: 「基本目標1」 or 1, 「①」 or 「(1)」, 「ア」."""
    found = _section(cell.raw)
    if found is not None and found[0] == key:
        return found[1]
    if key == "measure":
        return cell.text[:1] if _MEASURE.match(cell.text) or len(cell.text) == 1 else None
    number = re.match(r"^[(（]?(\d+)[)）]?", cell.text)
    return int(number.group(1)) if number else None


def _read_rows(grid: list[list[Cell]], header: h.KpiHeader, sheet: str, table: KpiTable) -> None:
    place: dict[str, object] = {}
    prefix = f"シート「{sheet}」の" if sheet else ""
    below = {"goal": ("direction", "measure"), "direction": ("measure",), "measure": ()}

    def enter(key: str, value: object) -> None:
        place[key] = value
        for lower in below[key]:
            place.pop(lower, None)

    for index in range(header.first_row + header.height, len(grid)):
        row = grid[index]
        where = f"{prefix}{index + 1}行目"
        for role, key in ((h.GOAL, "goal"), (h.DIRECTION, "direction"), (h.MEASURE, "measure")):
            column = header.one(role)
            cell = _cell(row, column)
            value = _place_cell(key, cell) if cell.text else None
            if value is not None and place.get(key) != value:
                enter(key, value)
        name = _cell(row, header.one(h.NAME)).text
        shown = [cell for cell in row if cell.text]
        texts = {cell.text for cell in shown}
        # A row with one text (merged across, or alone) naming a goal, direction or measure.
        section = _section(shown[0].raw) if shown and len(texts) == 1 else None
        if section is not None:
            enter(*section)
            continue
        if not name:
            if shown and not kpiheader_again(shown):
                table.notes.append(
                    f"{where}: 指標名のない行は読みませんでした(「{shown[0].text[:20]}」)。"
                )
            continue
        kpi, rate, rating = _kpi(row, header, name, where, table.notes)
        table.rows.append(
            KpiRow(
                where,
                place.get("goal"),
                place.get("direction"),
                place.get("measure"),
                kpi,
                rate,
                rating,
            )
        )


def kpiheader_again(cells: list[Cell]) -> bool:
    """Whether a row repeats the header (a table printed over pages)."""
    return h.find_header([[cell.text for cell in cells]]) is not None


def _cell(row: list[Cell], column: h.KpiColumn | None) -> Cell:
    return _at([row], 0, column.index) if column is not None else Cell()


def _number(
    row: list[Cell], column: h.KpiColumn, units: list[str], where: str, notes: list[str]
) -> Reading:
    cell = _cell(row, column)
    reading = read(cell.raw, cell.number_format)
    if reading.problem:
        notes.append(f"{where}の「{column.heading}」: {reading.problem}。値なしとして読みました。")
    if reading.unit:
        units.append(reading.unit)
    return reading


def _kpi(
    row: list[Cell], header: h.KpiHeader, name: str, where: str, notes: list[str]
) -> tuple[Kpi, Decimal | None, str]:
    units: list[str] = []
    unit = _cell(row, header.one(h.UNIT)).text
    baseline_column = header.one(h.BASELINE)
    baseline = _number(row, baseline_column, units, where, notes) if baseline_column else Reading()
    baseline_year = baseline.year or (baseline_column.year if baseline_column else None)
    typed_year = h.year_in(_cell(row, header.one(h.BASELINE_YEAR)).text)
    baseline_year = typed_year or baseline_year
    targets = []
    for column in header.of(h.TARGET):
        reading = _number(row, column, units, where, notes)
        year = reading.year or column.year
        if reading.value is not None:
            targets.append((year, reading.value))
    target_year = h.year_in(_cell(row, header.one(h.TARGET_YEAR)).text)
    target, yearly = None, []
    if targets:
        dated = sorted((y, v) for y, v in targets if y is not None)
        if dated and len(dated) == len(targets):
            (target_year_found, target), yearly = dated[-1], dated[:-1]
            target_year = target_year or target_year_found
        else:
            target = targets[-1][1]
    values = []
    for column in sorted(header.of(h.VALUE), key=lambda c: c.year or 0):
        reading = _number(row, column, units, where, notes)
        if any(v.year == column.year for v in values):
            notes.append(f"{where}: {column.heading} の列が二つあります。左の列を読みました。")
            continue
        if reading.value is not None or reading.note:
            values.append(KpiValue(column.year, reading.value, reading.note))
    typed_units = sorted(set(units))
    if not unit and typed_units:
        unit = typed_units[0]
        notes.append(f"{where}「{name}」: 単位「{unit}」は値のセルに書かれていたものです。")
    elif typed_units and typed_units != [unit]:
        notes.append(
            f"{where}「{name}」: 値のセルの単位「{'」「'.join(typed_units)}」は単位の列の"
            f"「{unit}」と違います。数値だけを読みました。"
        )
    better = HIGHER
    if baseline.value is not None and target is not None and target < baseline.value:
        better = LOWER
        notes.append(
            f"{where}「{name}」: 目標値が基準値より小さいので「低いほどよい」と読みました。"
        )
    elif target is None and any(word in name for word in _LOWER_WORDS):
        better = LOWER
        notes.append(f"{where}「{name}」: 名前から「低いほどよい」と読みました。")
    kpi = Kpi(
        name=name,
        unit=unit,
        departments=parse_departments(_cell(row, header.one(h.DEPARTMENTS)).text),
        better=better,
        baseline=baseline.value,
        baseline_year=baseline_year,
        target=target,
        target_year=target_year,
        yearly_targets=tuple(KpiTarget(y, v) for y, v in yearly),
        values=tuple(values),
        comment=_cell(row, header.one(h.COMMENT)).text,
    )
    rate_cell = _cell(row, header.one(h.RATE))
    rate = read(rate_cell.raw, rate_cell.number_format).value
    return kpi, rate, _cell(row, header.one(h.RATING)).text


@dataclass
class KpiPlan:
    """Where each KPI goes on the report, and what could not be placed or differs."""

    placed: list[tuple[object, Kpi, KpiRow]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def edits(self) -> list[Edit]:
        """One Insert per KPI, after those its owner already has, in the table's order."""
        counts: dict[int, int] = {}
        out: list[Edit] = []
        for owner, kpi, _row in self.placed:
            position = counts.get(id(owner), len(owner.kpis))
            out.append(Insert(owner, kpi, position))
            counts[id(owner)] = position + 1
        return out


def attach(report: Report, table: KpiTable) -> KpiPlan:
    """Place each row's KPI under its goal, direction or measure of ``report``."""
    plan = KpiPlan(notes=list(table.notes))
    goals = {goal.number: goal for goal in report.goals}
    for row in table.rows:
        goal = goals.get(row.goal) if row.goal is not None else None
        if goal is None:
            plan.notes.append(
                f"{row.where}「{row.kpi.name}」: 基本目標が分からないので取り込みませんでした。"
                if row.goal is None
                else f"{row.where}「{row.kpi.name}」: 基本目標{row.goal}はこの報告にありません。"
            )
            continue
        owner: object = goal
        if row.direction is not None:
            owner = next((d for d in goal.directions if d.number == row.direction), None)
            if owner is None:
                plan.notes.append(
                    f"{row.where}「{row.kpi.name}」: {goal.label}に基本的方向"
                    f"{row.direction}はありません。取り込みませんでした。"
                )
                continue
            if row.measure is not None:
                measure = next((m for m in owner.measures if m.label == row.measure), None)
                if measure is None:
                    plan.notes.append(
                        f"{row.where}「{row.kpi.name}」: 施策「{row.measure}」が見つからないので"
                        "基本的方向に付けました。"
                    )
                else:
                    owner = measure
        if any(k.name == row.kpi.name for k in owner.kpis) or any(
            o is owner and k.name == row.kpi.name for o, k, _r in plan.placed
        ):
            plan.notes.append(
                f"{row.where}「{row.kpi.name}」: 同じ名前の指標があるので取り込みませんでした。"
            )
            continue
        fields.check_kpi(row.kpi)
        plan.placed.append((owner, row.kpi, row))
        _compare(report, row, plan.notes)
    return plan


def _compare(report: Report, row: KpiRow, notes: list[str]) -> None:
    """Say where the table's own rate or rating differs from what the editor computes."""
    known = [v.year for v in row.kpi.values if v.value is not None]
    if not known:
        return
    year = max(known)
    settings = report.kpi_settings
    if row.rating:
        computed = computed_rating(row.kpi, year, settings).label
        if computed != row.rating:
            notes.append(
                f"{row.where}「{row.kpi.name}」: 表の評価「{row.rating}」は、エディタの計算では"
                f"「{computed}」です(計算した評価を使います。手で決めた評価は指標の画面で)。"
            )
    computed_rate = rate_of(row.kpi, year, settings.rate_mode)
    # A rate typed as 0.855 under a percent format was read as 85.5 already.
    if (
        row.rate is not None
        and computed_rate is not None
        and abs(row.rate - computed_rate) > Decimal("0.1")
    ):
        notes.append(
            f"{row.where}「{row.kpi.name}」: 表の達成率 {format_rate(row.rate)} は、"
            f"エディタの計算では {format_rate(computed_rate)} です(計算した値を使います)。"
        )
