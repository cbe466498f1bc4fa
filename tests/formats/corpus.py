"""Hand-made report tables, written with python-docx and openpyxl as offices make them.

One small report (two goals, one direction each, two department rows each) is
laid out in many ways: other header words, columns in another order and a
備考 column, merges done three ways, one table or sheet per goal, blank rows,
a title above and ※ notes below. Each file must import to the report it shows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from docx import Document
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from openpyxl import Workbook
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont

# Header words as offices type them: (left, departments, actual, plan), one row.
HEADERS = {
    "word-issue": (
        "基本目標・基本的方向・具体的な施策",
        "担当課",
        "令和２年度の実績",
        "令和３年度の取組予定",
    ),
    "excel-issue": ("基本目標・基本的方向・施策", "所管課", "R2実績", "R3取組予定"),
    "western": ("施策", "担当部署", "2020年度 実績", "2021年度 取組予定"),
    "brackets": ("基本的方向と具体的施策", "所管", "実績(R2年度)", "取組予定(R3年度)"),
}
TITLE = "釧路市総合戦略 進捗状況"
GOALS = [
    (
        "【基本目標１】まちの魅力",
        "①観光の振興",
        "ア 誘客の推進\n観光客を呼び込む。\n【主な事業】\n・観光事業\n・港湾事業【再掲】",
        [
            ("観光振興室", "・ツアーを実施した。\n・PRを行った。", "・ツアーを実施する。"),
            ("港湾空港課", "クルーズ船が寄港した。⏎乗客は少なかった。", "寄港を予定する。"),
        ],
    ),
    (
        "【基本目標２】ひとの育成",
        "①人材の確保",
        "ア 人材の育成\n講座で育てる。",
        [
            ("商業労政課", "講座を開いた。", "講座を開く。"),
            ("教育支援課", "職場体験を行った。", "職場体験を続ける。"),
        ],
    ),
]
# What every variant must import to: (departments, 実績, 取組予定) as plain text.
EXPECTED_ENTRIES = [
    (["観光振興室"], "・ツアーを実施した。\n・PRを行った。", "・ツアーを実施する。"),
    (["港湾空港課"], "クルーズ船が寄港した。\n乗客は少なかった。", "寄港を予定する。"),
    (["商業労政課"], "講座を開いた。", "講座を開く。"),
    (["教育支援課"], "職場体験を行った。", "職場体験を続ける。"),
]


@dataclass
class Variant:
    """How one hand-made file lays the report out."""

    header: str = "word-issue"
    two_rows: bool = False  # 「進捗報告」 above the two year columns
    order: tuple[int, ...] = (0, 1, 2, 3)  # where left, departments, 実績, 予定 stand
    extra: str = ""  # a column of another kind at the end (備考)
    merge: str = "merged"  # the left cell over a direction's rows: merged / empty / repeated
    split: bool = False  # one table (Word) or sheet (Excel) per goal
    blank_rows: bool = False
    repeat_header: bool = False  # the header typed again inside the table (a page break)
    title: bool = True
    notes: list[str] = field(default_factory=list)  # ※ lines after the table
    # Word only: 【基本目標N】, ①, ア and 「・」 by Word's automatic numbering, not typed.
    numbered: bool = False

    @property
    def width(self) -> int:
        """Columns in the table."""
        return 4 + (1 if self.extra else 0)


def _header_rows(v: Variant) -> list[list[str]]:
    words = HEADERS[v.header]
    if not v.two_rows:
        cells = [words[i] for i in range(4)]
        return [_placed(v, cells, v.extra)]
    upper = _placed(v, [words[0], words[1], "進捗報告", ""], v.extra)
    lower = _placed(v, ["", "", words[2], words[3]], "")
    return [upper, lower]


def _placed(v: Variant, logical: list[str], extra: str) -> list[str]:
    """Four logical cells put where ``v.order`` says, the extra column last."""
    cells = [""] * v.width
    for role, position in enumerate(v.order):
        cells[position] = logical[role]
    if v.extra:
        cells[4] = extra
    return cells


def _blocks(v: Variant):
    """(kind, cells) rows of each goal: "full" rows span the table; "entry" rows have cells."""
    for goal, direction, left, entries in GOALS:
        rows = [("full", goal), ("full", direction)]
        for index, (department, actual, plan) in enumerate(entries):
            shown_left = left if index == 0 or v.merge == "repeated" else ""
            cells = _placed(v, [shown_left, department, actual, plan], "確認済")
            rows.append(("entry", cells))
        if v.blank_rows:
            rows.append(("blank", None))
        yield rows


# The lists a numbered variant uses: one outline list (goal, direction,
# measure, each level restarting when the one above goes on) and a 「・」 list.
OUTLINE_LIST, BULLET_LIST = "90", "91"
_LEVELS = (
    ("decimalFullWidth", "【基本目標%1】"),
    ("decimalEnclosedCircle", "%2"),
    ("aiueoFullWidth", "%3"),
)
# What a typed line starts with → (list, level, the text after the number).
_NUMBERED_LINE = re.compile(r"^(?:(【基本目標[0-9０-９]+】)|([①-⑳])|([アイ] )|(・))(.*)$", re.S)


def _add_lists(document) -> None:
    levels = "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
        f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/></w:lvl>'
        for i, (fmt, text) in enumerate(_LEVELS)
    )
    numbering = document.part.numbering_part.element
    abstracts = (
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{OUTLINE_LIST}">'
        f'<w:multiLevelType w:val="multilevel"/>{levels}</w:abstractNum>',
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{BULLET_LIST}">'
        '<w:multiLevelType w:val="singleLevel"/><w:lvl w:ilvl="0"><w:start w:val="1"/>'
        '<w:numFmt w:val="bullet"/><w:lvlText w:val="・"/><w:lvlJc w:val="left"/>'
        '<w:suff w:val="nothing"/></w:lvl></w:abstractNum>',
    )
    first_num = numbering.find(f"{{{W}}}num")
    for xml in abstracts:  # abstract lists before the lists that use them
        if first_num is None:
            numbering.append(parse_xml(xml))
        else:
            first_num.addprevious(parse_xml(xml))
    for num_id in (OUTLINE_LIST, BULLET_LIST):
        numbering.append(
            parse_xml(
                f'<w:num {nsdecls("w")} w:numId="{num_id}">'
                f'<w:abstractNumId w:val="{num_id}"/></w:num>'
            )
        )


W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _numbered(paragraph, line: str) -> tuple[str, bool]:
    """The line's typed number replaced by Word's automatic numbering: (the rest, a heading)."""
    match = _NUMBERED_LINE.match(line)
    if not match:
        return line, False
    goal, direction, measure, _bullet, rest = match.groups()
    num_id, level = BULLET_LIST, 0
    if goal or direction or measure:
        num_id, level = OUTLINE_LIST, 0 if goal else 1 if direction else 2
    numpr = parse_xml(
        f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level}"/><w:numId w:val="{num_id}"/></w:numPr>'
    )
    paragraph._p.get_or_add_pPr().append(numpr)
    return rest, bool(measure)


def write_docx(path: Path, v: Variant) -> None:
    """The variant as a Word file, with python-docx."""
    document = Document()
    if v.numbered:
        _add_lists(document)
    if v.title:
        document.add_paragraph(f"{TITLE}(令和2年度実績)")
        document.add_paragraph("")
    table = None
    for rows in _blocks(v):
        if table is None or v.split:
            if table is not None:
                document.add_paragraph("")
            table = document.add_table(rows=0, cols=v.width)
            for cells in _header_rows(v):
                _docx_row(table, cells)
            if v.two_rows:
                upper, lower = table.rows[-2], table.rows[-1]
                actual, plan = v.order[2], v.order[3]
                if abs(actual - plan) == 1:
                    upper.cells[min(actual, plan)].merge(upper.cells[max(actual, plan)])
                for role in (0, 1):
                    upper.cells[v.order[role]].merge(lower.cells[v.order[role]])
        first_entry = None
        for kind, cells in rows:
            if kind == "blank":
                _docx_row(table, [""] * v.width)
            elif kind == "full":
                tr = _docx_row(table, [cells] + [""] * (v.width - 1), numbered=v.numbered)
                tr.cells[0].merge(tr.cells[v.width - 1])
            else:
                tr = _docx_row(table, cells, numbered=v.numbered)
                if first_entry is None:
                    first_entry = tr
                elif v.merge == "merged":
                    left = v.order[0]
                    first_entry.cells[left].merge(tr.cells[left])
        if v.repeat_header and not v.split:
            for cells in _header_rows(v):
                _docx_row(table, cells)
    for note in v.notes:
        document.add_paragraph(note)
    document.save(path)


def _docx_row(table, cells: list[str], *, numbered: bool = False):
    tr = table.add_row()
    for cell, text in zip(tr.cells, cells, strict=True):
        if not text:
            continue
        lines = text.split("\n")
        _docx_paragraph(cell.paragraphs[0], lines[0], numbered)
        for line in lines[1:]:
            _docx_paragraph(cell.add_paragraph(), line, numbered)
    return tr


def _docx_paragraph(paragraph, line: str, numbered: bool = False) -> None:
    """A paragraph; ⏎ is Shift+Enter (a line break inside it); 「ア …」 headings in bold."""
    heading = line[:2] in ("ア ", "イ ")
    if numbered:
        line, _measure = _numbered(paragraph, line)
    for index, part in enumerate(line.split("⏎")):
        if index:
            paragraph.add_run().add_break()
        run = paragraph.add_run(part)
        if heading and index == 0:
            run.bold = True


def write_xlsx(path: Path, v: Variant, *, hidden_sheet: bool = True) -> None:
    """The variant as an Excel book, with openpyxl: one sheet, or one per goal."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "進捗"
    row_number = 0

    def put(cells: list) -> None:
        nonlocal row_number
        row_number += 1
        for column, value in enumerate(cells, start=1):
            if value:
                sheet.cell(row=row_number, column=column, value=_xlsx_value(value))

    def start_sheet() -> None:
        nonlocal sheet, row_number
        row_number = 0
        if v.title:
            put([f"{TITLE}(令和2年度実績)"])
            put(["企画課 作成"])
            row_number += 1
        for cells in _header_rows(v):
            put(cells)
        if v.two_rows:
            for role in (0, 1):
                column = v.order[role] + 1
                sheet.merge_cells(
                    start_row=row_number - 1,
                    start_column=column,
                    end_row=row_number,
                    end_column=column,
                )
        sheet.print_title_rows = f"{row_number - (1 if v.two_rows else 0)}:{row_number}"

    start_sheet()
    for index, rows in enumerate(_blocks(v)):
        if index and v.split:
            sheet = workbook.create_sheet(f"目標{index + 1}")
            start_sheet()
        first_entry = 0
        for kind, cells in rows:
            if kind == "blank":
                row_number += 1
            elif kind == "full":
                put([cells])
                sheet.merge_cells(
                    start_row=row_number, start_column=1, end_row=row_number, end_column=v.width
                )
            else:
                put(cells)
                if not first_entry:
                    first_entry = row_number
        if v.merge == "merged":
            column = v.order[0] + 1
            last = row_number - (1 if v.blank_rows else 0)
            sheet.merge_cells(
                start_row=first_entry, start_column=column, end_row=last, end_column=column
            )
        if v.repeat_header and not v.split:
            for cells in _header_rows(v):
                put(cells)
    for note in v.notes:
        row_number += 1
        put([note])
    if hidden_sheet:
        scratch = workbook.create_sheet("作業用")
        scratch["A1"] = "基本目標・施策"
        scratch["B1"] = "所管課"
        scratch["A2"] = "【基本目標9】下書き"
        scratch.sheet_state = "hidden"
    workbook.save(path)


def _xlsx_value(text: str):
    """A cell as typed in Excel: Alt+Enter lines; a bold 「ア …」 heading line."""
    text = text.replace("⏎", "\n")
    first, _sep, rest = text.partition("\n")
    if first[:2] in ("ア ", "イ "):
        return CellRichText(TextBlock(InlineFont(b=True), first), "\n" + rest if rest else "")
    return text
