"""The floors: what the dependencies alone need for the same work.

A number means something on any machine only beside its floor: the start of
a bare PySide6 window, and python-docx / openpyxl writing the same cells as
plain text, with nothing of the official layout.
"""

from __future__ import annotations

import logging
from pathlib import Path

from kushiro_editor.core import richtext
from kushiro_editor.core.model import Report
from kushiro_editor.formats.table import layout

logger = logging.getLogger(__name__)

BARE_WINDOW = """\
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow, QSplitter, QTextEdit, QTreeView

app = QApplication(sys.argv)
window = QMainWindow()
splitter = QSplitter()
splitter.addWidget(QTreeView())
splitter.addWidget(QTextEdit())
window.setCentralWidget(splitter)
window.resize(1400, 900)
window.show()
# Like app.py --check: once the event loop runs, paint, then say "ready".
QTimer.singleShot(0, lambda: (app.processEvents(), print("ready", flush=True), app.quit()))
app.exec()
"""


def cells(report: Report) -> list[list[str]]:
    """The table's cells as plain text, one list per row (left, department, 実績, 予定)."""
    rows = []
    for row in layout.rows(report):
        if row.level != "entry":
            rows.append([row.text, "", "", ""])
            continue
        left = "\n".join(item.block.text for item in row.left)
        rows.append(
            [
                left,
                "\n".join(row.departments),
                richtext.blocks_to_plain(row.actual),
                richtext.blocks_to_plain(row.plan),
            ]
        )
    return rows


def bare_docx(rows: list[list[str]], path: Path) -> None:
    """python-docx writing the cells into a plain four-column table."""
    from docx import Document

    document = Document()
    table = document.add_table(rows=len(rows), cols=4)
    for row, values in zip(table.rows, rows, strict=True):
        for cell, value in zip(row.cells, values, strict=True):
            cell.text = value
    document.save(path)


def bare_xlsx(rows: list[list[str]], path: Path) -> None:
    """openpyxl writing the cells into a plain sheet."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    for values in rows:
        sheet.append(values)
    workbook.save(path)
