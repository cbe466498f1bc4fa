"""The request letter (依頼文) written beside the inquiry packs, in Word.

One A4 page addressed to the departments: what is asked, the deadline, the
departments sent a pack (with their rows and file names) and whom to ask.
The planning office can send it as it is or adjust the wording in Word.
"""

from __future__ import annotations

import logging
from datetime import date
from pathlib import Path

from ...core import fiscal
from ...core.inquiry import DELETE_WORD, Request
from ...core.kpi import fields
from ...core.model import Report
from ..files import write_atomically

logger = logging.getLogger(__name__)

FONT = "ＭＳ 明朝"
HEADING_FONT = "ＭＳ ゴシック"


def letter_name(year: int) -> str:
    """依頼文_R3年度.docx."""
    return f"依頼文_{fiscal.short_label(year)}.docx"


def _font(run, name: str, size: float, bold: bool = False) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt

    run.font.name = name
    run.font.size = Pt(size)
    run.font.bold = bold
    # Word applies a Japanese font only through the East-Asian slot.
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), name)


def _line(document, text: str, *, align=None, bold: bool = False, size: float = 10.5):
    paragraph = document.add_paragraph()
    if align is not None:
        paragraph.alignment = align
    _font(paragraph.add_run(text), HEADING_FONT if bold else FONT, size, bold)
    return paragraph


def letter_lines(
    report: Report, departments: list[tuple[str, int]], request: Request | None
) -> list[str]:
    """The letter's running text, paragraph by paragraph (the table aside)."""
    request = request or Request()
    actual, plan = fiscal.short_label(report.actual_year), fiscal.short_label(report.plan_year)
    lines = [
        f"{report.title}({actual}実績・{plan}取組予定)の照会について(依頼)",
        f"標記について、{actual}の実績及び{plan}の取組予定を取りまとめるため、"
        "各部署が所管する行についてご記入をお願いします。",
        "部署ごとの照会用ファイル(Excel)を添付します。「回答」シートの黄色のセル"
        "(実績・取組予定)に"
        + (
            f"、所管する指標のある部署は「指標」シートの黄色のセル({actual}の値・注記)にも"
            if fields.has_kpis(report)
            else ""
        )
        + "ご記入のうえ、ファイル名を変えずに返送してください。",
        "空欄のセルは「回答なし」として扱い、文章は変わりません。文章を消すときは、"
        f"セルに「{DELETE_WORD}」とだけ書いてください。",
        "提出期限: " + (request.deadline_text or "別途お知らせします"),
        f"照会先: {len(departments)} 部署",
    ]
    if request.contact:
        lines.append(f"問い合わせ先: 企画課 {request.contact}")
    return lines


def write_letter(
    report: Report,
    folder: Path | str,
    departments: list[tuple[str, int, str]],
    request: Request | None = None,
    today: date | None = None,
) -> Path:
    """Write 依頼文_R3年度.docx in ``folder``: (department, rows, pack's file name) each;
    returns its path."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm

    today = today or date.today()
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(25)
    title, *body = letter_lines(report, [(name, rows) for name, rows, _ in departments], request)
    deadline, recipients, *contact = body[3:]
    _line(document, f"{today.year}年{today.month}月{today.day}日", align=WD_ALIGN_PARAGRAPH.RIGHT)
    _line(document, "各所管部署 ご担当者様")
    _line(document, "企画課", align=WD_ALIGN_PARAGRAPH.RIGHT)
    _line(document, "")
    _line(document, title, align=WD_ALIGN_PARAGRAPH.CENTER, bold=True, size=12)
    _line(document, "")
    for text in body[:3]:
        _line(document, "\u3000" + text)
    _line(document, "")
    _line(document, deadline, bold=True)
    _line(document, recipients)
    table = document.add_table(rows=1, cols=3)
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, ("部署", "行数", "ファイル名"), strict=True):
        _font(cell.paragraphs[0].add_run(text), HEADING_FONT, 10.5, True)
    for name, rows, pack in departments:
        cells = table.add_row().cells
        for cell, text in zip(cells, (name, str(rows), pack), strict=True):
            _font(cell.paragraphs[0].add_run(text), FONT, 10.5)
    _line(document, "")
    for text in contact:
        _line(document, text)
    path = Path(folder) / letter_name(report.actual_year)
    write_atomically(path, document.save)
    logger.info("request letter %s", path)
    return path
