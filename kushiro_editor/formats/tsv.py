"""The sample's text form: one table row per line, tab-separated HTML cells.

The text was taken from the published file and keeps the marks of that
extraction. This module undoes the marks that belong to the text form (the
encoding, the line-per-row layout, line breaks written as runs of spaces);
the table's own irregularities (repeated headers, shifted rows, several
departments in one cell, blocks continued on the next page) are the shared
table reader's job.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

from ..core.model import ImportResult
from .files import decode_text, read_whole
from .table import columns
from .table.reader import Row, read_rows

logger = logging.getLogger(__name__)

_SPACE_BREAK = re.compile(r" {2,}")


def _cell_html(cell: str) -> str:
    """A cell's HTML with the extraction's space-run line breaks made ``<br>``."""
    return _SPACE_BREAK.sub("<br>", cell.strip(" "))


def rows(text: str) -> list[Row]:
    """The table rows of the text form, numbered by line."""
    out = []
    for number, line in enumerate(text.split("\n"), start=1):
        line = line.rstrip("\r")
        if not line.strip():
            continue
        cells = [_cell_html(cell) for cell in line.split("\t")]
        count = columns.width()
        if len(cells) > count:
            # Text past the last column belongs to the last cell; keep it.
            cells = [*cells[: count - 1], "".join(cells[count - 1 :])]
        out.append(Row(number=number, cells=cells))
    return out


def read(data: bytes, *, actual_year: int | None = None) -> ImportResult:
    """Read the sample's tab-separated form into a report."""
    return read_rows(rows(decode_text(data)), actual_year=actual_year)


def read_file(path: Path, *, actual_year: int | None = None) -> ImportResult:
    """Read a .tsv or .txt file of the sample's form."""
    return read(read_whole(path), actual_year=actual_year)
