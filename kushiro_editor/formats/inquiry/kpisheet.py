"""The pack's 「指標」 sheet: the values of the department's KPIs, asked and read back.

One row per KPI whose departments include the pack's: where it stands, its
name, unit, baseline and target for reading, last year's value in grey and the
report's year's value and note in yellow, the only cells a department can
change. A hidden column holds the KPI's id, so that an answer finds its KPI
even when the name changed meanwhile; a very hidden sheet keeps the value and
note as sent, which the merge compares with the store's to tell a conflict. A
pack whose department has no KPI gets no such sheet.

Values are written as text in cells formatted as text, so that 「12.30」 keeps
its places and a typed 「1,234」 or 「△3」 stays as typed until
``numbers.parse_value`` reads it.
"""

from __future__ import annotations

import logging
from decimal import Decimal

from ...core import fiscal
from ...core.inquiry import DELETE_WORD, AnsweredKpi, Answers
from ...core.kpi import fields
from ...core.kpi.numbers import format_value, parse_value, same, value_text
from ...core.model import Kpi, Measure, Report, ReportError, place
from ..xlsx.cells import SheetFacts, plain_row, plain_value

logger = logging.getLogger(__name__)

KPI_SHEET = "指標"
KPI_DATA_SHEET = "_指標"
HEADER_ROW = 4
FIRST_ROW = 5
COL_PLACE, COL_NAME, COL_UNIT, COL_BASELINE, COL_TARGET = 1, 2, 3, 4, 5
COL_PREVIOUS, COL_VALUE, COL_NOTE, COL_ID = 6, 7, 8, 9
ANSWER_COLUMNS = (COL_VALUE, COL_NOTE)
WIDTHS = {1: 24, 2: 34, 3: 8, 4: 16, 5: 16, 6: 16, 7: 16, 8: 20, 9: 10}
NOTE_LIMIT = 200  # a note is a word or two (速報値, 見込み); more is no note


def department_kpis(report: Report, department: str) -> list[tuple[str, Kpi]]:
    """(where, KPI) of every KPI the department is among the departments of, in report order."""
    out = []
    for goal, direction, owner in fields.owners(report):
        for kpi in owner.kpis:
            if department in kpi.departments:
                measure = owner if isinstance(owner, Measure) else None
                out.append((place(goal, direction, measure), kpi))
    return out


def _with_year(value: Decimal | None, year: int | None) -> str:
    if value is None:
        return "－"
    text = format_value(value, grouping=True)
    return f"{text}（{fiscal.short_label(year)}）" if year else text


def write_kpi_sheet(workbook, report: Report, department: str, title: str, styles) -> int:
    """Add the 「指標」 sheet and its hidden data when the department has KPIs; the rows."""
    from openpyxl.styles import Alignment, Font, Protection
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.properties import PageSetupProperties

    rows = department_kpis(report, department)
    if not rows:
        return 0
    year = report.actual_year
    sheet = workbook.create_sheet(KPI_SHEET)
    font = Font(name="ＭＳ ゴシック", size=10.5)
    sheet.cell(row=1, column=1, value=f"{title} 指標の値").font = Font(
        name="ＭＳ ゴシック", size=12, bold=True
    )
    sheet.cell(row=2, column=1, value=f"所管部署: {department}").font = font
    sheet.cell(
        row=3,
        column=1,
        value=(
            f"黄色のセルに{fiscal.short_label(year)}の値と注記(速報値・見込みなど)を記入して"
            "ください。まだ分からない値は「－」にします。灰色のセルは変更しても取り込まれません。"
        ),
    ).font = font
    headings = [
        "場所",
        "指標",
        "単位",
        "基準値",
        "目標値",
        f"前年度の値({fiscal.short_label(year - 1)})",
        f"今年度の値({fiscal.short_label(year)})",
        "注記",
        "id",
    ]
    for column, text in enumerate(headings, start=1):
        cell = sheet.cell(row=HEADER_ROW, column=column, value=text)
        cell.font = Font(name="ＭＳ ゴシック", size=10.5, bold=True)
        cell.fill = styles.head_fill
        cell.border = styles.border
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
    sheet.row_dimensions[HEADER_ROW].height = 30  # the year under 前年度の値 and 今年度の値
    data = workbook.create_sheet(KPI_DATA_SHEET)
    for index, (where, kpi) in enumerate(rows):
        row = FIRST_ROW + index
        last, this = kpi.value_of(year - 1), kpi.value_of(year)
        last_text = "" if last is None else _with_year(last.value, None)
        if last is not None and last.note:
            last_text += f"({last.note})"
        values = {
            COL_PLACE: where,
            COL_NAME: kpi.name,
            COL_UNIT: kpi.unit,
            COL_BASELINE: _with_year(kpi.baseline, kpi.baseline_year),
            COL_TARGET: _with_year(kpi.target, kpi.target_year),
            COL_PREVIOUS: last_text,
            COL_VALUE: "" if this is None or this.value is None else _with_year(this.value, None),
            COL_NOTE: "" if this is None else this.note,
            COL_ID: kpi.id,
        }
        for column, value in values.items():
            cell = sheet.cell(row=row, column=column, value=value or None)
            cell.data_type = "s"  # a name starting with "=" is text, not a formula
            cell.number_format = "@"
            cell.border = styles.border
            cell.alignment = styles.wrap
            grey = column == COL_PREVIOUS
            cell.font = Font(name="ＭＳ 明朝", size=10.5, color="404040" if grey else None)
            if column in ANSWER_COLUMNS:
                cell.fill = styles.answer_fill
                cell.protection = Protection(locked=False)
            elif grey:
                cell.fill = styles.reference_fill
        sheet.row_dimensions[row].height = 30
        data.append([kpi.id, str(year), value_text(this.value) if this else "", values[COL_NOTE]])
        for cell in data[data.max_row]:
            cell.data_type = "s"
    for column, width in WIDTHS.items():
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.column_dimensions[get_column_letter(COL_ID)].hidden = True
    sheet.freeze_panes = sheet.cell(row=FIRST_ROW, column=COL_UNIT)
    sheet.protection.sheet = True
    sheet.protection.formatRows = False
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    data.sheet_state = "veryHidden"
    return len(rows)


def _cell_text(value) -> str:
    """What a value cell holds, as text: a number another program stored as one reads exactly."""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        # The shortest text that is this float: 12.3, not 12.300000000000001.
        return repr(value).removesuffix(".0") if value.is_integer() else repr(value)
    text = plain_value(value)
    return "" if text is None else str(text)


def _sent(workbook) -> dict[str, tuple[int, Decimal | None, str]]:
    sheet = workbook[KPI_DATA_SHEET]
    sheet.reset_dimensions()
    out = {}
    for line in sheet.iter_rows(values_only=True):
        kpi_id, year, value, note = (list(plain_row(line)) + [None] * 4)[:4]
        if not kpi_id:
            continue
        try:
            out[str(kpi_id)] = (int(year), parse_value(str(value or "")), str(note or ""))
        except (ValueError, TypeError, ReportError) as exc:
            raise ReportError("指標の情報(隠しシート)が壊れているため読めません。") from exc
    return out


def read_kpi_sheet(workbook, answers: Answers, facts: SheetFacts | None = None) -> None:
    """Read the 「指標」 sheet of an answered pack into ``answers`` (nothing when it has none).

    ``facts`` are what the fast reading of the sheet leaves out: a formula whose
    value was never computed reads as an empty cell, which is no 「－」.
    """
    if KPI_SHEET not in workbook.sheetnames:
        if KPI_DATA_SHEET in workbook.sheetnames:
            answers.problems.append(
                f"「{KPI_SHEET}」シートが削除されています。指標の値は取り込みません。"
            )
        return
    if KPI_DATA_SHEET not in workbook.sheetnames:
        raise ReportError(f"{answers.path.name} の指標の情報(隠しシート)がありません。")
    sent = _sent(workbook)
    sheet = workbook[KPI_SHEET]
    sheet.reset_dimensions()
    uncached = set((facts or SheetFacts()).uncached_formulas)
    seen: set[str] = set()
    cells = sheet.iter_rows(min_row=FIRST_ROW, max_col=COL_ID, values_only=True)
    for row, line in enumerate(cells, start=FIRST_ROW):
        values = dict(enumerate(line, start=1))
        kpi_id = str(plain_value(values.get(COL_ID)) or "")
        name = str(plain_value(values.get(COL_NAME)) or "")
        at = f"「{KPI_SHEET}」シート"
        if not kpi_id:
            if any(_cell_text(values.get(c)).strip() for c in ANSWER_COLUMNS):
                answers.problems.append(
                    f"{at} {row}行目: 追加された行です。指標は企画課で追加します。取り込みません。"
                )
            continue
        if kpi_id in seen:
            answers.problems.append(
                f"{at} {row}行目: 同じ指標が二度あります。最初の行だけを読みます。"
            )
            continue
        if kpi_id not in sent:
            answers.unsent_kpis.append((row, kpi_id))  # the merge says whose it is
            continue
        seen.add(kpi_id)
        year, sent_value, sent_note = sent[kpi_id]
        formulas = [
            f"{_letter(c)}{row}" for c in ANSWER_COLUMNS if f"{_letter(c)}{row}" in uncached
        ]
        if formulas:
            answers.problems.append(
                f"{at}の{'・'.join(formulas)}: 指標「{name}」の値か注記が計算結果の保存されていない"
                "数式のため取り込みません(数式ではなく値を記入してください)。"
            )
            continue
        cell = f"{at}の{_letter(COL_VALUE)}{row}"
        typed = _cell_text(values.get(COL_VALUE))
        try:
            value = parse_value(typed)
        except ReportError:
            answers.problems.append(
                f"{cell}: 指標「{name}」の{fiscal.short_label(year)}の値「{typed[:30]}」は"
                "数値として読めないため取り込みません(単位は書かず、数字だけを記入してください)。"
            )
            continue
        note = _cell_text(values.get(COL_NOTE)).strip(" \u3000\n")
        if not note:
            note = sent_note  # a blank cell is no answer, as in the answer sheet
        elif note.strip("「」") == DELETE_WORD:
            note = ""
        if len(note) > NOTE_LIMIT:
            answers.problems.append(
                f"{at}の{_letter(COL_NOTE)}{row}: 指標「{name}」の注記が長すぎるため"
                f"取り込みません({NOTE_LIMIT}字まで)。"
            )
            continue
        if same(value, sent_value) and note == sent_note:
            continue
        answers.kpis.append(AnsweredKpi(row, kpi_id, year, sent_value, sent_note, value, note))


def _letter(column: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(column)
