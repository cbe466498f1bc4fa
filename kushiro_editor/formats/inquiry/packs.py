"""Inquiry packs (照会): one workbook per department.

A pack holds only that department's entries (a joint entry goes to each
co-owner): the goal, direction and measures as read-only context, the 実績 and
取組予定 cells to fill (the only unlocked cells), last year's 取組予定 of the
row just left of the 実績 (what the department promised, to write what it did
beside it) and last year's 実績 after the answers, both grey and locked, and an
instructions sheet in Japanese. Hidden columns carry each row's stable
id, a checksum of each text as sent and of the context cells; a very hidden
sheet keeps the texts as sent, for the review. ``inquiry_answers`` reads the
packs that come back.

A text longer than one Excel cell holds (32,767 characters) travels in
continuation rows under its row (「(続き)」), marked in hidden columns with
its part number and whether each piece starts a new paragraph, so that it
comes back joined, never cut. The guide sheet carries the deadline and the
contact of the request; ``letter`` writes the request letter itself.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from ...core import fiscal, richtext
from ...core.inquiry import DELETE_WORD, Request, checksum, text_checksum
from ...core.model import Report, ReportError
from ...core.richtext import Block, Run
from .. import registry, targets
from ..files import write_atomically
from ..table import layout
from ..xlsx.cells import blocks_from_runs, cell_value
from .kpisheet import department_kpis, write_kpi_sheet
from .letter import letter_name, write_letter

logger = logging.getLogger(__name__)

MARKER = "kushiro-inquiry"
# 2: continuation rows for long texts; 3: last year's plan left of the 実績; 4: the 「指標」
# sheet. A pack without it stays 3, so that only packs an older editor would half read refuse it.
VERSION = 4
TEXT_VERSION = 3
ANSWER_SHEET = "回答"
GUIDE_SHEET = "記入方法"
DATA_SHEET = "_照会"
HEADER_ROW = 4
FIRST_ROW = 5
# Columns of the answer sheet.
COL_GOAL, COL_DIRECTION, COL_MEASURES, COL_DEPARTMENTS = 1, 2, 3, 4
COL_PREVIOUS_PLAN, COL_ACTUAL, COL_PLAN, COL_PREVIOUS_ACTUAL = 5, 6, 7, 8
COL_LAST_SHOWN = COL_PREVIOUS_ACTUAL
# Packs before version 3 held the answers in columns 5 and 6, last year's texts after them.
OLD_ANSWER_COLUMNS = (5, 6)
COL_ID, COL_SUM_ACTUAL, COL_SUM_PLAN, COL_SUM_CONTEXT = 9, 10, 11, 12
# Continuation rows: the part number (2, 3…) and, per answer column, how the
# piece joins the one before it ("n": a new paragraph, "c": the same one).
COL_PART, COL_JOIN = 13, 14
HIDDEN_COLUMNS = (COL_ID, COL_SUM_ACTUAL, COL_SUM_PLAN, COL_SUM_CONTEXT, COL_PART, COL_JOIN)
# Characters of an answer text per cell (Excel holds at most 32,767).
CELL_LIMIT = 30000
# A cut looks this far back for a line end, so that pieces end with a paragraph.
_CUT_WINDOW = 2000
WIDTHS = {1: 18, 2: 22, 3: 26, 4: 12, 5: 36, 6: 48, 7: 48, 8: 36}
# Characters of the texts-as-sent JSON per cell (Excel holds at most 32,767).
PACK_CHUNK = 30000
_UNSAFE_NAME = re.compile(r'[\\/:*?"<>|\s]+')


def file_name(department: str, year: int) -> str:
    """照会_農林課_R3年度.xlsx (safe on Windows)."""
    return f"照会_{_UNSAFE_NAME.sub('_', department)}_{fiscal.short_label(year)}.xlsx"


def answer_columns(version: int) -> tuple[int, int]:
    """The columns of the 実績 and the 取組予定 in a pack of that version."""
    return OLD_ANSWER_COLUMNS if version < 3 else (COL_ACTUAL, COL_PLAN)


def entries_of(report: Report, department: str):
    """(goal, direction, entry) of a department's entries, joint ones included."""
    return [(g, d, e) for g, d, e in report.entries() if department in e.departments]


def flat_runs(blocks: tuple[Block, ...] | list[Block]) -> list[Run]:
    """A text's runs with its paragraphs joined by line ends, as one cell shows them."""
    out: list[Run] = []
    for index, block in enumerate(blocks):
        if index:
            out.append(Run("\n"))
        out.extend(block.runs)
    return out


def split_text(markup: str, limit: int = CELL_LIMIT) -> list[tuple[str, list[Block]]]:
    """A text in pieces that each fit a cell: (join, blocks), join "n" or "c" (see COL_JOIN)."""
    runs = tuple(flat_runs(richtext.parse(markup)))
    text = "".join(run.text for run in runs)
    pieces: list[tuple[str, list[Block]]] = []
    start, join = 0, "n"
    while True:
        if len(text) - start <= limit:
            pieces.append((join, blocks_from_runs(list(richtext.slice_runs(runs, start)))))
            return pieces
        end = start + limit
        line_end = text.rfind("\n", end - _CUT_WINDOW, end)
        if line_end > start:
            blocks = blocks_from_runs(list(richtext.slice_runs(runs, start, line_end)))
            pieces.append((join, blocks))
            start, join = line_end + 1, "n"
        else:
            pieces.append((join, blocks_from_runs(list(richtext.slice_runs(runs, start, end)))))
            start, join = end, "c"


def _context(goal, direction) -> list[str]:
    measures = "\n".join(m.heading for m in direction.measures)
    return [goal.heading, direction.heading, measures]


GUIDE = """\
{title}

{department} のご担当者様

次の年度の進捗報告のため、貴課が所管する行の「実績」と「取組予定」をご記入ください。

1. 「回答」シートの黄色のセル(実績・取組予定)だけに記入してください。
   ほかのセルは保護されています。
2. 実績({actual})は、行ったことを過去形(〜した。)で書いてください。
   取組予定({plan})は、これから行うことを(〜する。)で書いてください。
3. セルの中で改行するには Alt+Enter を押します。箇条書きは行頭に「・」を付けます。
4. 実績の左の灰色の「前年度の取組予定」は、前年度にこの行で予定した取組です。
   実績はこれと見比べながら書いてください。右端の「前年度の実績」も参考です。
   灰色のセルは変更しても取り込まれません。
5. 行を追加・削除したいときは、このファイルではなく企画課へご連絡ください。
6. 空欄のセルは「回答なし」として扱い、文章は変わりません。文章を消したいときは、
   セルに「{delete}」とだけ書いてください。
7. 長い文章は「(続き)」の行に分かれています。続けてお読みいただき、そのまま記入してください。
8. 記入が終わったら、ファイル名を変えずに .xlsx のまま保存して返送してください。
{kpis}{request}
作成日: {sent}
"""


KPI_GUIDE = """\
9. 「指標」シートには、貴課が所管する指標が並んでいます。黄色のセルに{year}の値と
   注記(速報値・見込みなど)を記入してください。値は数字だけで書き(単位は書きません)、
   まだ分からない値は「－」にします。灰色の「前年度の値」は変更しても取り込まれません。
"""


def request_lines(request: Request | None) -> str:
    """The deadline and the contact as the guide sheet states them."""
    if request is None:
        return ""
    lines = []
    if request.deadline is not None:
        lines.append(f"提出期限: {request.deadline_text}")
    if request.contact:
        lines.append(f"問い合わせ先: 企画課 {request.contact}")
    return "\n" + "\n".join(lines) + "\n" if lines else ""


def write_pack(
    report: Report,
    department: str,
    path: Path | str,
    previous: dict[str, tuple[str, str]] | None = None,
    request: Request | None = None,
) -> int:
    """Write one department's pack; returns the number of rows."""
    from openpyxl import Workbook
    from openpyxl.cell.text import InlineFont
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.properties import PageSetupProperties

    previous = previous or {}
    rows = entries_of(report, department)
    bold = InlineFont(b=True, rFont="ＭＳ 明朝", sz=10.5)
    now = datetime.now().astimezone()
    sent = now.isoformat(timespec="seconds")  # kept exactly; the guide shows the date
    workbook = Workbook()
    guide = workbook.active
    guide.title = GUIDE_SHEET
    font = Font(name="ＭＳ ゴシック", size=10.5)
    title = (
        f"{report.title} 照会({fiscal.short_label(report.actual_year)}実績・"
        f"{fiscal.short_label(report.plan_year)}取組予定)"
    )
    for number, line in enumerate(
        GUIDE.format(
            title=title,
            department=department,
            actual=fiscal.actual_heading(report.actual_year),
            plan=fiscal.plan_heading(report.plan_year),
            sent=f"{now.year}年{now.month}月{now.day}日",
            delete=DELETE_WORD,
            kpis=KPI_GUIDE.format(year=fiscal.short_label(report.actual_year))
            if department_kpis(report, department)
            else "",
            request=request_lines(request),
        ).split("\n"),
        start=1,
    ):
        cell = guide.cell(row=number, column=1, value=line or None)
        cell.font = Font(name="ＭＳ ゴシック", size=12 if number == 1 else 10.5, bold=number == 1)
    guide.column_dimensions["A"].width = 100
    guide.protection.sheet = True

    sheet = workbook.create_sheet(ANSWER_SHEET)
    workbook.active = 1
    thin = Side(style="thin", color="808080")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap = Alignment(wrap_text=True, vertical="top")
    answer_fill = PatternFill("solid", fgColor="FFF2B3")
    head_fill = PatternFill("solid", fgColor="D9D9D9")
    reference_fill = PatternFill("solid", fgColor="E7E6E6")
    sheet.cell(row=1, column=1, value=title).font = Font(name="ＭＳ ゴシック", size=12, bold=True)
    sheet.cell(row=2, column=1, value=f"所管部署: {department}").font = font
    sheet.cell(
        row=3,
        column=1,
        value="黄色のセルに記入してください。記入方法は「記入方法」シートをご覧ください。",
    ).font = font
    headings = [
        "基本目標",
        "基本的方向",
        "具体的な施策",
        "所管部署",
        "前年度の取組予定",
        fiscal.actual_heading(report.actual_year),
        fiscal.plan_heading(report.plan_year),
        "(参考)前年度の実績",
        "id",
        "sum_actual",
        "sum_plan",
        "sum_context",
        "part",
        "join",
    ]
    for column, text in enumerate(headings, start=1):
        cell = sheet.cell(row=HEADER_ROW, column=column, value=text)
        cell.font = Font(name="ＭＳ ゴシック", size=10.5, bold=True)
        cell.fill = head_fill
        cell.border = border
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
    sent_texts = {}
    row = FIRST_ROW
    styles = _Styles(border, wrap, answer_fill, reference_fill, bold, head_fill)
    for goal, direction, entry in rows:
        old_actual, old_plan = previous.get(entry.id, ("", ""))
        context = [*_context(goal, direction), "\n".join(entry.departments)]
        actual_pieces, plan_pieces = split_text(entry.actual), split_text(entry.plan)
        values = [
            *context,
            _reference(old_plan),
            actual_pieces[0][1],
            plan_pieces[0][1],
            _reference(old_actual),
        ]
        _write_row(sheet, row, values, styles)
        for column, value in (
            (COL_ID, entry.id),
            (COL_SUM_ACTUAL, text_checksum(entry.actual)),
            (COL_SUM_PLAN, text_checksum(entry.plan)),
            (COL_SUM_CONTEXT, checksum("\n".join(context))),
        ):
            sheet.cell(row=row, column=column, value=value).data_type = "s"
        lines = max(
            layout.count_lines(richtext.parse(v), (WIDTHS[c] - 1) * 0.96)
            for c, v in (
                (COL_ACTUAL, entry.actual),
                (COL_PLAN, entry.plan),
                (COL_PREVIOUS_ACTUAL, old_actual),
                (COL_PREVIOUS_PLAN, old_plan),
                (COL_MEASURES, richtext.paragraph(context[2])),
            )
        )
        sheet.row_dimensions[row].height = min(max(lines + 1, 3) * 13.65 + 4, 400)
        for part in range(2, max(len(actual_pieces), len(plan_pieces)) + 1):
            row += 1
            pieces = [
                p[part - 1] if part <= len(p) else ("n", []) for p in (actual_pieces, plan_pieces)
            ]
            _write_row(
                sheet, row, ["(続き)", "", "", "", "", pieces[0][1], pieces[1][1], ""], styles
            )
            for column, value in (
                (COL_ID, entry.id),
                (COL_PART, str(part)),
                (COL_JOIN, pieces[0][0] + pieces[1][0]),
            ):
                sheet.cell(row=row, column=column, value=value).data_type = "s"
            sheet.row_dimensions[row].height = 400
        row += 1
        sent_texts[entry.id] = {"actual": entry.actual, "plan": entry.plan}
    for column, width in WIDTHS.items():
        sheet.column_dimensions[get_column_letter(column)].width = width
    for column in HIDDEN_COLUMNS:
        sheet.column_dimensions[get_column_letter(column)].hidden = True
    # The context stays in view; last year's plan scrolls with the answers beside it.
    sheet.freeze_panes = sheet.cell(row=FIRST_ROW, column=COL_PREVIOUS_PLAN)
    sheet.protection.sheet = True
    sheet.protection.formatRows = False  # row heights may be adjusted while writing
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"

    kpi_rows = write_kpi_sheet(workbook, report, department, title, styles)
    data = workbook.create_sheet(DATA_SHEET)
    meta = {
        "report_id": report.id,
        "actual_year": report.actual_year,
        "department": department,
        "sent_at": sent,
    }
    version = VERSION if kpi_rows else TEXT_VERSION
    data.append([MARKER, version, json.dumps(meta, ensure_ascii=False)])
    for entry_id, texts in sent_texts.items():
        text = json.dumps(texts, ensure_ascii=False)
        data.append(
            [entry_id, *(text[i : i + PACK_CHUNK] for i in range(0, len(text), PACK_CHUNK))]
        )
        for cell in data[data.max_row]:
            cell.data_type = "s"  # a piece starting with "=" is text, not a formula
    data.sheet_state = "veryHidden"
    workbook.properties.title = title
    workbook.properties.category = MARKER
    write_atomically(path, workbook.save)
    return len(rows)


@dataclass(frozen=True)
class _Styles:
    border: object
    wrap: object
    answer_fill: object
    reference_fill: object
    bold: object
    head_fill: object


def _reference(markup: str) -> str:
    """Last year's text for reference, cut to what one cell holds."""
    text = richtext.to_plain(markup)
    return text if len(text) <= CELL_LIMIT else text[:CELL_LIMIT] + "…"


def _write_row(sheet, row: int, values: list, styles: _Styles) -> None:
    from openpyxl.styles import Font, Protection

    for column, value in enumerate(values, start=1):
        if column in (COL_ACTUAL, COL_PLAN):
            # Rich text, so that bold survives a round trip through Excel.
            value = cell_value(value, styles.bold) or None
        else:
            value = richtext.clean_text(value) or None
        cell = sheet.cell(row=row, column=column, value=value)
        if isinstance(value, str):
            cell.data_type = "s"
            cell.quotePrefix = value[:1] in ("=", "+", "-", "@")
        # Last year's texts in grey: there to read, not to fill.
        reference = column in (COL_PREVIOUS_PLAN, COL_PREVIOUS_ACTUAL)
        cell.font = Font(name="ＭＳ 明朝", size=10.5, color="404040" if reference else None)
        cell.alignment = styles.wrap
        cell.border = styles.border
        if column in (COL_ACTUAL, COL_PLAN):
            cell.fill = styles.answer_fill
            cell.protection = Protection(locked=False)
        elif reference:
            cell.fill = styles.reference_fill


def export_packs(
    report: Report,
    folder: Path | str,
    departments: list[str] | None = None,
    previous: dict[str, tuple[str, str]] | None = None,
    request: Request | None = None,
    store_path: Path | None = None,
) -> list[tuple[str, Path, int]]:
    """One pack per department (all by default): (department, path, rows).

    The request letter (依頼文) is written beside them (``letter``). No file
    is written when one would replace the store at ``store_path`` or its snapshots.
    """
    folder = Path(folder)
    names = departments if departments else report.departments()
    unknown = [n for n in names if not entries_of(report, n)]
    if unknown:
        raise ReportError(f"この報告に行のない部署です: {'、'.join(unknown)}")
    year = report.actual_year
    book, document = registry.get("xlsx"), registry.get("docx")
    outputs = [
        targets.Output.of(book, folder / file_name(n, year), f"{n}の照会用ファイル") for n in names
    ]
    outputs.append(targets.Output.of(document, folder / letter_name(year), "依頼文"))
    targets.check_outputs(outputs, store_path)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name in names:
        path = folder / file_name(name, report.actual_year)
        written.append((name, path, write_pack(report, name, path, previous, request)))
    write_letter(report, folder, [(name, rows, path.name) for name, path, rows in written], request)
    return written
