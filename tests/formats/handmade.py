"""Files as planning offices make them by hand, in the official layout or close to it."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from docx import Document
from docx.oxml.ns import qn
from lxml import etree
from openpyxl import Workbook
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont

from kushiro_editor.core import richtext
from kushiro_editor.formats import reportjson
from kushiro_editor.formats.table import layout


def content(report) -> dict:
    """The report as JSON without ids (Word and Excel keep content, not store identity)."""

    def strip(data):
        if isinstance(data, dict):
            return {k: strip(v) for k, v in data.items() if k not in ("id", "node_id", "warnings")}
        if isinstance(data, list):
            return [strip(x) for x in data]
        return data

    return strip(reportjson.to_dict(report))


def printed_characters(report) -> Counter:
    """Every non-space character the printed table must show."""
    chars: Counter = Counter()

    def add(text: str) -> None:
        chars.update(ch for ch in text if not ch.isspace())

    for row in layout.rows(report):
        if row.level != "entry":
            add(row.text)
            continue
        for item in row.left:
            add(item.block.text)
        for name in row.departments:
            add(name)
        for block in (*row.actual, *row.plan):
            add(block.text)
    return chars


def entry_texts(report) -> list[tuple[list[str], str, str]]:
    """(departments, 実績 plain, 予定 plain) of every entry."""
    return [
        (e.departments, richtext.to_plain(e.actual), richtext.to_plain(e.plan))
        for _g, _d, e in report.entries()
    ]


W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def word_table(
    path: Path,
    *,
    header: bool = True,
    title: bool = True,
    legacy: bool = False,
    dept_in_text: bool = False,
) -> None:
    """A Word table typed by hand in the official layout (options: what it lacks or adds)."""
    document = Document()
    if title:
        document.add_paragraph("令和2年度 釧路市総合戦略 進捗状況")
        document.add_paragraph("")
    table = document.add_table(rows=0, cols=4)

    def row(*cells):
        tr = table.add_row()
        for cell, text in zip(tr.cells, cells, strict=True):
            if text is None:
                continue
            lines = text.split("\n")
            cell.paragraphs[0].text = lines[0]
            for line in lines[1:]:
                cell.add_paragraph(line)
        return tr

    if header:
        first = row("基本目標と基本的方向、具体的な施策", "所管部署", "進捗報告", "")
        first.cells[2].merge(first.cells[3])
        second = row("", "", "R2年度(実績)", "R3年度(取組予定)")
        first.cells[0].merge(second.cells[0])
        first.cells[1].merge(second.cells[1])
    goal = row("【基本目標1】まちの魅力", "", "", "")
    goal.cells[0].merge(goal.cells[3])
    direction = row("①観光の振興", "", "", "")
    direction.cells[0].merge(direction.cells[3])
    a = row(
        "ア 誘客の推進\n観光客を呼び込む。\n【主な事業】\n・観光事業\n・港湾事業【再掲】",
        "観光振興室",
        "・ツアーを実施した。\n・PRを行った。",
        "・ツアーを実施する。",
    )
    if dept_in_text:
        b = row(None, "", "港湾空港課\nクルーズ船が寄港した。", "寄港を予定する。")
    else:
        b = row(None, "港湾空港課", "クルーズ船が寄港した。", "寄港を予定する。")
    a.cells[0].merge(b.cells[0])
    # A line break inside a paragraph (w:br) rather than a new paragraph.
    b.cells[2].paragraphs[-1].add_run().add_break()
    b.cells[2].paragraphs[-1].add_run("乗客は少なかった。").bold = True
    if legacy:
        # Word 95-style horizontal merge on the goal row instead of gridSpan.
        for tr in table._tbl.tr_lst:
            tcs = tr.tc_lst
            if len(tcs) == 1 and tcs[0].tcPr is not None and tcs[0].tcPr.gridSpan == 4:
                tcs[0].tcPr.gridSpan = 1
                hm = etree.SubElement(tcs[0].tcPr, qn("w:hMerge"))
                hm.set(qn("w:val"), "restart")
                for _ in range(3):
                    extra = etree.fromstring(
                        f'<w:tc xmlns:w="{W}"><w:tcPr><w:hMerge/></w:tcPr><w:p/></w:tc>'
                    )
                    tr.append(extra)
    document.save(path)


def excel_sheets(path: Path, *, per_goal_sheets: bool = False, offset: int = 0) -> None:
    """An Excel sheet typed by hand in the official layout, or one sheet per goal."""
    workbook = Workbook()
    sheets = [workbook.active]
    sheets[0].title = "目標1"
    if per_goal_sheets:
        sheets.append(workbook.create_sheet("目標2"))

    def put(sheet, row, *values):
        for index, value in enumerate(values):
            if value is not None:
                sheet.cell(row=row, column=index + 1 + offset, value=value)

    def col(index):
        return chr(ord("A") + index + offset)

    first = sheets[0]
    put(first, 1, "令和2年度 総合戦略 進捗状況")
    put(first, 3, "基本目標と基本的方向、具体的な施策", "所管部署", "進捗報告")
    put(first, 4, None, None, "R2年度(実績)", "R3年度(取組予定)")
    first.merge_cells(f"{col(0)}3:{col(0)}4")
    first.merge_cells(f"{col(2)}3:{col(3)}3")
    put(first, 5, "【基本目標1】まちの魅力")
    first.merge_cells(f"{col(0)}5:{col(3)}5")
    put(first, 6, "①観光の振興")
    bold = InlineFont(b=True)
    left = CellRichText(
        TextBlock(bold, "ア 誘客の推進"),
        "\n観光客を呼び込む。\n【主な事業】\n・観光事業\n・港湾事業【再掲】",
    )
    put(first, 7, left, "観光振興室", "ツアーを実施した。\n・PRを行った。", "ツアーを実施する。")
    put(first, 8, None, None, "港湾空港課\nクルーズ船が寄港した。", "寄港を予定する。")
    first.merge_cells(f"{col(0)}7:{col(0)}8")
    goal_sheet = sheets[-1]
    start = 10 if not per_goal_sheets else 1
    put(goal_sheet, start, "【基本目標2】ひとの育成")
    put(goal_sheet, start + 1, "① 人材の確保")
    put(goal_sheet, start + 2, "ア 育成", "商業労政課", "講座を開いた。", "講座を開く。")
    put(goal_sheet, start + 3, None, "教育支援課", "職場体験を行った。", "")
    goal_sheet.merge_cells(f"{col(0)}{start + 2}:{col(0)}{start + 3}")
    workbook.save(path)
