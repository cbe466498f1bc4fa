"""Hostile file shapes for the benchmark: many rows holding only the left column.

A measure's description continued over thousands of rows is what made the
readers quadratic; the same rows are written as a sheet and as a Word table,
each built directly (no report model), as another program would.
"""

from __future__ import annotations

import logging
from pathlib import Path

logger = logging.getLogger(__name__)

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
HEAD = [
    ["基本目標と基本的方向", "所管部署", "進捗報告", ""],
    ["", "", "R2年度(実績)", "R3年度(取組予定)"],
    ["【基本目標1】地域の魅力を生かす", "", "", ""],
    ["①釧路らしさを生かす", "", "", ""],
    ["ア 観光の振興", "観光振興室", "案内所を運営した。", "案内所を運営する。"],
]


def left_only_rows(count: int) -> list[list[str]]:
    """A table whose measure's description continues on ``count`` left-only rows."""
    body = [
        [f"説明の続き{n}。地域の資源を生かした取組を続けた。", "", "", ""] for n in range(count)
    ]
    return [*HEAD, *body]


def left_only_xlsx(path: Path, count: int) -> Path:
    """The rows as a one-sheet workbook."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    for row in left_only_rows(count):
        sheet.append([cell or None for cell in row])
    workbook.save(path)
    return path


def left_only_docx(path: Path, count: int) -> Path:
    """The rows as a Word table (built as XML: python-docx adds rows slowly)."""
    from docx import Document
    from lxml import etree

    def el(tag: str, parent=None):
        return (
            etree.Element(f"{{{W}}}{tag}")
            if parent is None
            else etree.SubElement(parent, f"{{{W}}}{tag}")
        )

    document = Document()
    table = el("tbl")
    grid = el("tblGrid", table)
    for _ in range(4):
        el("gridCol", grid).set(f"{{{W}}}w", "2000")
    for row in left_only_rows(count):
        tr = el("tr", table)
        for text in row:
            p = el("p", el("tc", tr))
            if text:
                el("t", el("r", p)).text = text
    body = document.element.body
    body.insert(0, table)
    document.save(path)
    return path
