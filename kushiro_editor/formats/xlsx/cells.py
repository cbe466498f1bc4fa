"""Excel cells ⇄ rich text, and opening an untrusted workbook safely.

Shared by the report's Excel reader and writer and by the inquiry packs: a
cell holds lines (no paragraphs or list items), bold parts as openpyxl rich
text.
"""

from __future__ import annotations

import bisect
import contextlib
import logging
import posixpath
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ...core import richtext
from ...core.model import ReportError
from ...core.richtext import Block, Run
from .. import ooxml
from ..files import ZIP_ERRORS, open_zip
from .package import readable_copy, workbook_part

logger = logging.getLogger(__name__)

MAX_COLUMN = 16384  # XFD, the last column a sheet can have
_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_RELATIONSHIP = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"


def safe_text(text: str) -> str:
    """Text with the characters a cell cannot hold removed."""
    return richtext.clean_text(text)


def cell_value(blocks: tuple[Block, ...] | list[Block], bold_font):
    """A cell's value: plain text, or rich text when something is bold."""
    from openpyxl.cell.rich_text import CellRichText, TextBlock

    parts: list[Run] = []
    for index, block in enumerate(blocks):
        if index:
            parts.append(Run("\n"))
        parts.extend(block.runs)
    if not any(run.bold for run in parts):
        return safe_text("".join(run.text for run in parts))
    rich = CellRichText()
    for run in parts:
        text = safe_text(run.text)
        if text:
            rich.append(TextBlock(bold_font, text) if run.bold else text)
    return rich


def plain_value(value):
    """A cell's value with rich text made plain (other values as they are).

    Another program may store any text cell as rich text: LibreOffice does so
    for a cell mixing scripts when the fonts for them differ (on a PC without
    the MS fonts, for one). Cells read as data (ids, checksums, the hidden
    sheets) only need their text.
    """
    from openpyxl.cell.rich_text import CellRichText

    if isinstance(value, CellRichText):
        return str(value)
    return value


def plain_row(row) -> tuple:
    """A row of values with every rich-text cell made plain."""
    return tuple(plain_value(value) for value in row)


def cell_runs(value) -> list[Run]:
    """A cell's value as runs (rich text keeps its bold parts)."""
    from openpyxl.cell.rich_text import CellRichText, TextBlock

    if value is None:
        return []
    if isinstance(value, CellRichText):
        runs = []
        for part in value:
            if isinstance(part, TextBlock):
                bold = bool(part.font is not None and part.font.b)
                runs.append(Run(part.text or "", bold))
            else:
                runs.append(Run(str(part)))
        return runs
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return [Run(str(value))]


def blocks_from_runs(runs: list[Run]) -> list[Block]:
    """Lines of a cell as paragraphs; 「・」 lines as list items."""
    blocks: list[Block] = []
    current: list[Run] = []

    def close() -> None:
        if current:
            text = "".join(r.text for r in current).lstrip(" \u3000")
            blocks.append(Block("li" if text.startswith("・") else "p", tuple(current)))
        current.clear()

    for run in runs:
        pieces = run.text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        for index, piece in enumerate(pieces):
            if index:
                close()
            if piece:
                current.append(Run(piece, run.bold))
    close()
    return blocks


def caused_by(exc: BaseException, kind: type) -> bool:
    """True when ``kind`` is among the exceptions that led to ``exc``."""
    seen = 0
    while exc is not None and seen < 20:
        if isinstance(exc, kind):
            return True
        exc = exc.__cause__ or exc.__context__
        seen += 1
    return False


@dataclass
class SheetFacts:
    """What the fast (read-only) reading of a sheet leaves out."""

    # (first row, first column, last row, last column) of each merged range
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)
    # Cells ("B12") holding a formula but no value computed by Excel
    uncached_formulas: list[str] = field(default_factory=list)
    # (row, column) → runs of an inline string with bold parts: openpyxl's
    # read-only reading gives inline strings (how openpyxl writes rich text)
    # as plain text
    rich: dict[tuple[int, int], list[Run]] = field(default_factory=dict)
    # (first row, first column, last row, last column) of the print area, if one is set
    print_area: tuple[int, int, int, int] | None = None
    # (first, last) column of each hidden range, sorted, apart and not touching:
    # one declaration may hide every column to the sheet's end
    hidden_columns: list[tuple[int, int]] = field(default_factory=list)
    hidden_rows: set[int] = field(default_factory=set)

    def runs(self, row: int, column: int, value) -> list[Run]:
        """A cell's runs, its bold parts kept."""
        return self.rich.get((row, column)) or cell_runs(value)

    def _hiding(self, column: int) -> tuple[int, int] | None:
        at = bisect.bisect_right(self.hidden_columns, (column, MAX_COLUMN)) - 1
        if at >= 0 and self.hidden_columns[at][0] <= column <= self.hidden_columns[at][1]:
            return self.hidden_columns[at]
        return None

    def next_shown(self, column: int) -> int:
        """``column``, or the first column after it that is not hidden."""
        hiding = self._hiding(column)
        return column if hiding is None else hiding[1] + 1


def _joined(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Column ranges sorted, with the ones that overlap or touch made one."""
    joined: list[tuple[int, int]] = []
    for first, last in sorted(ranges):
        if joined and first <= joined[-1][1] + 1:
            joined[-1] = (joined[-1][0], max(last, joined[-1][1]))
        else:
            joined.append((first, last))
    return joined


def _inline_runs(cell, main: str) -> list[Run] | None:
    """The runs of an inline rich string, or None when nothing in it is bold."""
    inline = cell.find(f"{main}is")
    if inline is None:
        return None
    runs = []
    for run in inline.iter(f"{main}r"):
        bold = run.find(f"{main}rPr/{main}b")
        is_bold = bold is not None and bold.get("val", "true") not in ("0", "false")
        text = "".join(t.text or "" for t in run.iter(f"{main}t"))
        if text:
            runs.append(Run(text, is_bold))
    return runs if any(run.bold for run in runs) else None


@dataclass
class Book:
    """An opened workbook and, per sheet name, the facts read beside it."""

    workbook: object
    facts: dict[str, SheetFacts]

    def close(self) -> None:
        """Release the file (a read-only workbook keeps it open)."""
        self.workbook.close()


def _unsafe(path: Path) -> ReportError:
    return ReportError(f"{path.name} には安全でない XML が含まれているため読み込みません。")


def _sheet_parts(archive, book) -> dict[str, str]:
    """Sheet name → its part in the zip, from the workbook and its relationships."""
    folder, name = posixpath.split(book)
    rels_name = posixpath.join(folder, "_rels", f"{name}.rels")
    if rels_name not in archive.NameToInfo:
        return {}
    root = ooxml.parse_part(archive, book)
    rels = ooxml.parse_part(archive, rels_name)
    targets = {}
    for rel in rels.iter(f"{{{ooxml.RELATIONSHIPS}}}Relationship"):
        target = rel.get("Target", "")
        part = posixpath.normpath(
            target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target)
        )
        targets[rel.get("Id", "")] = part
    parts = {}
    for sheet in root.iter(f"{_MAIN}sheet"):
        part = targets.get(sheet.get(f"{_RELATIONSHIP}id", ""))
        if part in archive.NameToInfo:
            parts[sheet.get("name", "")] = part
    return parts


def _print_areas(archive, book: str) -> dict[str, tuple[int, int, int, int]]:
    """Sheet name → its print area (the first range of it), from the workbook's defined names."""
    from openpyxl.utils.cell import range_boundaries

    root = ooxml.parse_part(archive, book)
    names = [sheet.get("name", "") for sheet in root.iter(f"{_MAIN}sheet")]
    areas = {}
    for defined in root.iter(f"{_MAIN}definedName"):
        if defined.get("name") != "_xlnm.Print_Area" or not defined.text:
            continue
        try:
            sheet = names[int(defined.get("localSheetId", ""))]
            first = defined.text.split(",")[0].rsplit("!", 1)[-1].replace("$", "")
            min_col, min_row, max_col, max_row = range_boundaries(first)
        except (ValueError, TypeError, IndexError):
            continue  # a print area Excel could not use either
        if None not in (min_col, min_row, max_col, max_row):
            areas[sheet] = (min_row, min_col, max_row, max_col)
    return areas


def _scan_sheet(handle) -> SheetFacts:
    """Merges, uncached formulas, hidden rows and columns of one sheet, streamed (no cell kept)."""
    import defusedxml.ElementTree as SafeET
    from openpyxl.utils.cell import coordinate_to_tuple, range_boundaries

    facts = SheetFacts()
    row_number = 0
    hidden_columns = []
    for _event, element in SafeET.iterparse(handle, events=("end",), forbid_dtd=True):
        tag = element.tag
        if tag == f"{_MAIN}c":
            value = element.find(f"{_MAIN}v")
            # openpyxl and some tools write an empty <v/> for "not computed yet".
            if element.find(f"{_MAIN}f") is not None and (value is None or not value.text):
                facts.uncached_formulas.append(element.get("r", "?"))
            elif element.get("t") == "inlineStr":
                runs = _inline_runs(element, _MAIN)
                # A cell without an address is read as plain text.
                with contextlib.suppress(ValueError, TypeError, AttributeError):
                    if runs:
                        facts.rich[coordinate_to_tuple(element.get("r", ""))] = runs
            element.clear()
        elif tag == f"{_MAIN}row":
            row_number = _number(element.get("r"), row_number + 1)
            if _hides(element, "ht"):
                facts.hidden_rows.add(row_number)
            element.clear()
        elif tag == f"{_MAIN}col" and _hides(element, "width"):
            first = _number(element.get("min"), 0)
            last = min(_number(element.get("max"), first), MAX_COLUMN)
            if 1 <= first <= last:
                hidden_columns.append((first, last))
        elif tag == f"{_MAIN}mergeCell":
            try:
                min_col, min_row, max_col, max_row = range_boundaries(element.get("ref", ""))
            except (ValueError, TypeError):
                continue  # a range Excel could not show either
            if None not in (min_col, min_row, max_col, max_row):
                facts.merges.append((min_row, min_col, max_row, max_col))
    facts.hidden_columns = _joined(hidden_columns)
    return facts


def _number(text: str | None, default: int) -> int:
    try:
        return int(text) if text is not None else default
    except ValueError:
        return default


def _hides(element, size: str) -> bool:
    """A row or column the clerk hid, or sized to nothing (``size``: its height or width)."""
    if element.get("hidden") in ("1", "true"):
        return True
    try:
        return float(element.get(size, "1")) == 0
    except ValueError:
        return False


def sheet_facts(archive, book: str, path: Path) -> dict[str, SheetFacts]:
    """Per sheet: merged ranges, formulas without a value, hidden rows and columns, streamed.

    Streamed because a sheet may claim far more than it holds: one merged
    range over all 17 billion cells takes a few bytes, and openpyxl's full
    reading would make a cell object for each.
    """
    from defusedxml.common import DefusedXmlException

    try:
        parts = _sheet_parts(archive, book)
        areas = _print_areas(archive, book) if parts else {}
        facts = {}
        for name, part in parts.items():
            with archive.open(part) as handle:
                facts[name] = _scan_sheet(handle)
            facts[name].print_area = areas.get(name)
    except DefusedXmlException as exc:
        raise _unsafe(path) from exc
    except ZIP_ERRORS as exc:
        raise ReportError(f"{path.name} は壊れています(シートを読めません)。") from exc
    except SyntaxError as exc:  # ParseError
        raise ReportError(f"{path.name} は壊れています(XML を読めません)。") from exc
    return facts


@contextlib.contextmanager
def quiet_openpyxl() -> Iterator[None]:
    """openpyxl's warnings about what it leaves out go to the log, never to the terminal."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            yield
        finally:
            for message in {str(w.message) for w in caught}:
                logger.info("openpyxl: %s", message)


def open_workbook(path: Path, what: str = "Excel のブック") -> Book:
    """An untrusted workbook, opened safely, or one ReportError saying why not.

    The zip is checked first (size, members, ratio); the workbook is the part
    its relationships name, and a package openpyxl would misread (Strict, or
    content types naming another part) is handed to it as a copy made right
    (``package``). Each sheet is streamed once for what read-only mode leaves
    out (merges, formulas without a value, hidden rows and columns); openpyxl
    then reads read-only, cell by cell as they exist, with defusedxml, which it
    uses when installed (a dependency), and never keeps a macro. Errors met
    later, while the cells are read, come from the same parse and are the
    caller's to report.
    """
    import zipfile

    from defusedxml.common import DefusedXmlException
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    with open_zip(path, "Excel") as archive:
        book = workbook_part(archive, path.name)
        copy = readable_copy(archive, book)
        if copy is None:
            facts = sheet_facts(archive, book, path)
    if copy is not None:
        with zipfile.ZipFile(copy) as archive:
            facts = sheet_facts(archive, book, path)
    try:
        with quiet_openpyxl():
            workbook = load_workbook(
                copy or path, read_only=True, rich_text=True, data_only=True, keep_vba=False
            )
    except DefusedXmlException as exc:  # a ValueError: caught before the others
        raise _unsafe(path) from exc
    except (
        InvalidFileException,
        zipfile.BadZipFile,
        KeyError,
        ValueError,
        TypeError,
        OSError,
        IndexError,
        AttributeError,
        SyntaxError,
    ) as exc:
        if caused_by(exc, DefusedXmlException):  # openpyxl wraps the refusal
            raise _unsafe(path) from exc
        raise ReportError(f"{path.name} を{what}として読めません({type(exc).__name__})。") from exc
    return Book(workbook, facts)
