"""PDF: last year's report read back from the table of its published PDF.

pdfplumber (on pdfminer.six) gives the characters, lines and rectangles of
each page. The ruled table is found by its lines, its cells by the ruling and
its four columns by the header's words; the header rows repeated on every page
and the page numbers are dropped. A cell is rebuilt from its lines: a line
that stops short of the cell's right edge although the next line's first word
would have fitted ends a paragraph, a line starting with 「・」 starts a list
item, and bold comes from the font's name or from the outline stroke that
office programs draw for a bold face the font lacks. A left cell merged down
over several pages and a row split by a page break are joined again; the rows
then go through the shared table reader, like every other format.

A PDF is a drawing, so reading it is guarded like the zip formats: the file
size, the number of pages, every stream's unpacked size (checked before
pdfminer unpacks it) and the glyphs and shapes of a page are bounded.
"""

from __future__ import annotations

import logging
import re
import zlib
from dataclasses import dataclass, field, replace
from io import BytesIO
from pathlib import Path

from ...core import fiscal, richtext
from ...core.model import ImportResult, ImportWarning, ReportError, circled_value
from ..files import check_regular, open_regular
from ..table import columns as table_columns
from ..table import kpitable
from ..table.cells import split_departments
from ..table.columns import ACTUAL, DEPARTMENTS, LEFT, PLAN, PROGRESS_WORDS
from ..table.header import HEADER_LEFT, role_of
from ..table.reader import Row, read_rows
from . import cells as pdf_cells
from . import grid
from .cells import Cell, Line

logger = logging.getLogger(__name__)

MAX_PDF_BYTES = 64 * 1024 * 1024
MAX_PAGES = 400  # the printed report has 16-25 pages
MAX_PAGE_GLYPHS = 30_000  # a dense A4 page holds about 5,000
MAX_PAGE_SHAPES = 50_000
MAX_OBJECTS = 500_000
MAX_STREAM_BYTES = 32 * 1024 * 1024
MAX_STREAMS_BYTES = 256 * 1024 * 1024
MAX_OBJECT_STREAM_ITEMS = 100_000

_PAGE_NUMBER = re.compile(r"^[-－ー―‐\s]*\d+\s*(?:[/／]\s*\d+)?[-－ー―‐\s]*$|^\d+\s*ページ$")


class _TooLargeError(Exception):
    """A page draws more than a report's page could."""


# -- opening -----------------------------------------------------------------------
def _open(path: Path):
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFSyntaxError
    from pdfminer.psexceptions import PSException

    try:
        size = check_regular(path).st_size
        with open_regular(path) as handle:
            head = handle.read(1024)
    except OSError as exc:
        raise ReportError(f"ファイルを開けません: {path.name} ({exc.strerror})") from exc
    if not head.strip():
        raise ReportError(f"ファイルが空です: {path.name}")
    if b"%PDF-" not in head:
        raise ReportError(f"{path.name} は PDF のファイルではありません。")
    if size > MAX_PDF_BYTES:
        raise ReportError(f"{path.name} は大きすぎるため読み込みません(64MB まで)。")
    try:
        return pdfplumber.open(path)
    except Exception as exc:
        inner = _cause(exc)
        if isinstance(inner, PDFPasswordIncorrect | PDFEncryptionError):
            raise _locked(path) from exc
        if isinstance(inner, PSException | PDFSyntaxError | ValueError | KeyError | TypeError):
            raise ReportError(
                f"{path.name} は壊れているため読めません(PDF の構造を読めません)。"
            ) from exc
        raise


def _cause(exc: BaseException) -> BaseException:
    """The pdfminer error inside pdfplumber's wrapper (which keeps it as its argument)."""
    inner = exc.__cause__ or exc.__context__
    if inner is None and exc.args and isinstance(exc.args[0], BaseException):
        inner = exc.args[0]
    return inner or exc


def _locked(path: Path) -> ReportError:
    return ReportError(
        f"{path.name} はパスワードで保護(暗号化)されているため読めません。"
        "保護のない PDF を使ってください。"
    )


def _inflate(data: bytes, limit: int) -> bytes:
    """Unpack a Flate stream, never more than ``limit`` bytes (then: too big)."""
    out = bytearray()
    inflater = zlib.decompressobj()
    try:
        for start in range(0, len(data), 1 << 16):
            out += inflater.decompress(data[start : start + (1 << 16)], limit + 1 - len(out))
            if len(out) > limit or inflater.unconsumed_tail:
                raise _TooLargeError
    except zlib.error:
        pass  # pdfminer keeps what a damaged stream yields; so does the count
    return bytes(out)


def _check_streams(document) -> None:
    """Refuse a file whose streams would unpack beyond the limits, before pdfminer does."""
    from pdfminer.ascii85 import ascii85decode, asciihexdecode
    from pdfminer.lzw import LZWDecoder
    from pdfminer.pdftypes import (
        LITERALS_ASCII85_DECODE,
        LITERALS_ASCIIHEX_DECODE,
        LITERALS_FLATE_DECODE,
        LITERALS_LZW_DECODE,
        PDFStream,
    )
    from pdfminer.psparser import PSException

    total = 0
    seen = 0
    for xref in document.xrefs:
        for objid in xref.get_objids():
            seen += 1
            if seen > MAX_OBJECTS:
                raise _TooLargeError
            try:
                stream_id, _index, _gen = xref.get_pos(objid)
                if stream_id is not None:
                    continue  # inside an object stream, which is checked itself
                obj = document.getobj(objid)
            except (PSException, KeyError, ValueError, TypeError):
                continue
            if not isinstance(obj, PDFStream) or obj.rawdata is None:
                continue
            is_objects = getattr(obj.get("Type"), "name", "") == "ObjStm"
            if is_objects and int(obj.get("N", 0) or 0) > MAX_OBJECT_STREAM_ITEMS:
                raise _TooLargeError
            data = obj.rawdata
            for name, _params in obj.get_filters():
                if name in LITERALS_FLATE_DECODE:
                    data = _inflate(data, MAX_STREAM_BYTES)
                elif name in LITERALS_LZW_DECODE:
                    pieces, size = [], 0
                    for piece in LZWDecoder(BytesIO(data)).run():
                        size += len(piece)
                        if size > MAX_STREAM_BYTES:
                            raise _TooLargeError
                        pieces.append(piece)
                    data = b"".join(pieces)
                elif name in LITERALS_ASCII85_DECODE:
                    data = ascii85decode(data)
                elif name in LITERALS_ASCIIHEX_DECODE:
                    data = asciihexdecode(data)
                else:
                    break  # images: pdfminer leaves them packed
            total += len(data)
            if total > MAX_STREAMS_BYTES:
                raise _TooLargeError


def _pages(pdf):
    """The document's pages, each read by the bounded, bold-aware device."""
    from pdfminer.pdfpage import PDFPage

    for number, page_obj in enumerate(PDFPage.create_pages(pdf.doc), start=1):
        if number > MAX_PAGES:
            raise ReportError(
                f"ページが多すぎるため読み込みません({MAX_PAGES}ページまで)。"
                "報告の表のページだけの PDF にしてください。"
            )
        yield pdf_cells.BoundedPage(pdf, page_obj, page_number=number)


# -- one page's table ---------------------------------------------------------------
@dataclass
class Columns:
    """Where the declared columns start, and the right edge of the table."""

    starts: list[float]
    end: float
    pad: float = 0.0  # the cells' inner margin, where the table was read by its text

    def of(self, x: float) -> int:
        """The logical column a point lies in."""
        return max(0, max((i for i, s in enumerate(self.starts) if x >= s - 2), default=0))


@dataclass
class PageRow:
    """A row of one page's table: a full-width row or a cell per column."""

    top: float
    full: Cell | None = None
    cells: list[Cell | None] = field(default_factory=lambda: [None] * table_columns.width())
    left_continues: bool = False


def _header(bands: list[list[tuple[Cell, str]]]) -> tuple[int, dict[str, Cell]] | None:
    """How many top rows are header rows, and the header cell of each role."""
    found: dict[str, Cell] = {}
    count = 0
    for band in bands[:4]:
        texts = [text for _cell, text in band if text]
        if not texts or any(
            len(t) > 40 or "。" in t or t.startswith("【") or circled_value(t[:1]) for t in texts
        ):
            break
        hits = {}
        for cell, text in band:
            # The header's words are the other readers': ``header.role_of``.
            role = role_of(text)
            if role is not None:
                hits.setdefault(role, cell)
            elif text and not any(word in text for word in PROGRESS_WORDS):
                hits = {}  # a cell no header would hold: a body row
                break
        if not hits and all(any(word in t for word in PROGRESS_WORDS) for t in texts):
            count += 1  # 「進捗報告」 alone: the upper row over the right columns of a split print
            continue
        if not hits or hits.keys() <= found.keys():
            # A row naming no column not named above is a body row that
            # happens to hold a header word (「実績を…」 under the repeated
            # header at a page's top): the header ended.
            break
        for role, cell in hits.items():
            found.setdefault(role, cell)
        count += 1
    return (count, found) if count else None


def _complete(found: dict[str, Cell]) -> bool:
    """True when the header heads the whole table, not the right part of a split print."""
    return ACTUAL in found and PLAN in found and bool(found.keys() & {LEFT, DEPARTMENTS})


def _columns(found: dict[str, Cell], table_x0: float, table_x1: float) -> Columns:
    """Each declared column's start: its heading's, else the next headed column's.

    A table without a left heading starts at the table's edge; the right
    edge is the last headed column's, or the table's.
    """
    declared = table_columns.declared()
    starts: list[float] = [0.0] * len(declared)
    following = max(table_x1, *(cell.x1 for cell in found.values()))
    for index in range(len(declared) - 1, -1, -1):
        cell = found.get(declared[index].role)
        if cell is not None:
            following = cell.x0
        elif index == 0:
            following = table_x0
        starts[index] = following
    last = found.get(declared[-1].role)
    return Columns(starts, max(last.x1, table_x1) if last is not None else table_x1)


@dataclass
class PageTable:
    """What one page contributes: the text above the table and the table's rows."""

    above: list[str]
    header_rows: int
    columns: Columns | None
    header_texts: dict[str, str]
    rows: list[PageRow]
    # A page printing only some of the columns (a sheet wider than the paper):
    # the columns its header names, and its table, kept to be joined.
    part: tuple[str, ...] = ()
    sheet: grid.Sheet | None = None


def read_page(page, columns: Columns | None) -> PageTable | None:
    """The table of a page (None when the page has none).

    A table ruled in both directions is read by its rules; one ruled only
    across, or only at its frame, by where its columns' text stands.
    """
    # What is drawn off the paper is not printed: a merged cell's text or
    # frame running past the edge of a page that prints only some columns.
    # A glyph the edge cuts is the page's where its middle is, whole.
    x0, top, x1, bottom = page.bbox
    chars = [
        c
        for c in pdf_cells.page_chars(page)
        if x0 <= (c["x0"] + c["x1"]) / 2 <= x1 and top <= (c["top"] + c["bottom"]) / 2 <= bottom
    ]
    page = page.crop(page.bbox)
    sheet = grid.ruled(page, chars)
    table = read_sheet(sheet, columns) if sheet is not None else None
    if table is not None and table.columns is not None and _has_columns(table):
        return table
    known = (columns.starts[1:], columns.pad) if columns is not None else None
    other = grid.aligned(page, chars, known)
    if other is None:
        return table
    found = read_sheet(other, columns)
    if found.part or (found.columns is not None and _has_columns(found)):
        return found
    return table


def _has_columns(table: PageTable) -> bool:
    """True when some body row has cells side by side (not only rows across)."""
    return any(row.full is None for row in table.rows)


def read_sheet(sheet: grid.Sheet, columns: Columns | None) -> PageTable:
    """A page's table from its cells: header, columns, rows."""
    chars = sheet.chars
    x0, top, x1, _bottom = sheet.bbox
    cells = [pdf_cells.make_cell(bbox, chars) for bbox in sheet.boxes]
    above = [
        line.text.strip()
        for line in pdf_cells.lines_of([c for c in chars if c["bottom"] <= top + 1])
        if line.text.strip() and not _PAGE_NUMBER.match(line.text.strip())
    ]
    bands: dict[float, list[Cell]] = {}
    for cell in sorted(cells, key=lambda c: (c.top, c.x0)):
        key = next((k for k in bands if abs(k - cell.top) < 1.5), cell.top)
        bands.setdefault(key, []).append(cell)
    ordered = [bands[k] for k in sorted(bands)]
    flat = [[(c, "".join(c.plain.split())) for c in band] for band in ordered]
    header = _header(flat)
    header_rows = 0
    texts: dict[str, str] = {}
    if header is not None and not _complete(header[1]):
        roles = tuple(c.role for c in table_columns.declared() if c.role in header[1])
        return PageTable(above, header[0], None, {}, [], part=roles, sheet=sheet.slim())
    if header is not None:
        header_rows, found = header
        columns = replace(_columns(found, x0, x1), pad=sheet.pad)
        texts = {role: "".join(cell.plain.split()) for role, cell in found.items()}
    if columns is None:
        return PageTable(above, 0, None, {}, [])
    rows = []
    lefts: list[Cell] = []
    for band in ordered[header_rows:]:
        row = PageRow(top=band[0].top)
        for cell in band:
            first, last = columns.of(cell.x0 + 2), columns.of(cell.x1 - 2)
            if first == 0 and last == len(row.cells) - 1:
                row.full = cell
            elif row.cells[first] is None:
                row.cells[first] = cell
            else:
                row.cells[first].lines.extend(cell.lines)
            if first == 0 and last < 3:
                lefts.append(cell)
        if row.full is None and row.cells[0] is None:
            row.left_continues = any(c.top < row.top - 1 and c.bottom > row.top + 1 for c in lefts)
        rows.append(row)
    return PageTable(above, header_rows, columns, texts, rows)


# -- rows across pages --------------------------------------------------------------
@dataclass
class Logical:
    """One row of the whole table, its cells possibly gathered from several pages."""

    page: int
    full: list[Line] | None = None
    cells: list[list[Line]] = field(default_factory=lambda: [[] for _c in table_columns.declared()])
    left_continues: bool = False
    joined: str = ""  # why the row was joined with its continuation on the next page


def _department_text(lines: list[Line]) -> str:
    return "".join(line.text for line in lines).strip()


def _starts_structure(lines: list[Line]) -> bool:
    text = lines[0].text.lstrip(" \u3000") if lines else ""
    return bool(text) and (text.startswith("【基本目標") or bool(circled_value(text[:1])))


def gather(tables: list[tuple[int, PageTable]]) -> list[Logical]:
    """The table's rows in order, joining what page breaks split."""
    out: list[Logical] = []
    block_left: Logical | None = None  # the row whose left cell the current block uses
    names_at, texts = table_columns.index(table_columns.DEPARTMENTS), table_columns.text_indexes()
    for index, (page, table) in enumerate(tables):
        for position, row in enumerate(table.rows):
            if row.full is not None:
                out.append(Logical(page, full=list(row.full.lines)))
                block_left = None
                continue
            cells = [list(c.lines) if c is not None else [] for c in row.cells]
            at_top = position == 0 and index > 0
            previous = out[-1] if out and out[-1].full is None else None
            if at_top and previous is not None:
                left_goes_on = block_left is not None and not _starts_structure(cells[0])
                if left_goes_on:
                    block_left.cells[0].extend(cells[0])
                    cells[0] = []
                dept = _department_text(cells[names_at])
                before = _department_text(previous.cells[names_at])
                if (
                    dept
                    and before
                    and (left_goes_on or not cells[0])
                    and pdf_cells.name_goes_on(previous.cells[names_at], cells[names_at])
                ):
                    # A department's name the page break cut (市立病院医療管 | 理課).
                    for column in (names_at, *texts):
                        previous.cells[column].extend(cells[column])
                    previous.joined = before + dept
                    continue
                written = [bool(cells[column]) for column in texts]
                same = dept and dept == before and not all(written)
                if (left_goes_on or not cells[0]) and any(written) and (not dept or same):
                    for column in texts:
                        previous.cells[column].extend(cells[column])
                    if same:
                        previous.joined = dept
                    continue
                if left_goes_on:
                    out.append(Logical(page, cells=cells, left_continues=True))
                    continue
            logical = Logical(page, cells=cells, left_continues=row.left_continues)
            if not row.left_continues:
                block_left = logical
            out.append(logical)
    return out


def _html(lines: list[Line], spacing: pdf_cells.Spacing, *, names: bool = False) -> str:
    return richtext.serialise(pdf_cells.blocks(lines, names=names, spacing=spacing))


def _settle(logicals: list[Logical]) -> pdf_cells.Spacing:
    """Every column's lines measured against its own text end; the document's spacing."""
    for column in range(table_columns.width()):
        pdf_cells.fit_column([line for logical in logicals for line in logical.cells[column]])
    every = [line for logical in logicals for lines in logical.cells for line in lines]
    spacing = pdf_cells.spacing(every)
    cells = (lines for logical in logicals for lines in logical.cells)
    return replace(spacing, repeats=pdf_cells.repeats_gaps(cells, spacing))


def to_rows(logicals: list[Logical]) -> tuple[list[Row], list[ImportWarning]]:
    """Rows of canonical rich-text cells, one per column, for the shared table reader."""
    rows: list[Row] = []
    warnings: list[ImportWarning] = []
    spacing = _settle(logicals)
    names_at = table_columns.index(table_columns.DEPARTMENTS)
    for number, logical in enumerate(logicals, start=1):
        where = f"{logical.page}ページ "
        if logical.full is not None:
            text = "".join(block.text for block in pdf_cells.blocks(logical.full))
            rows.append(Row(number=number, cells=[richtext.paragraph(text)], where=where))
            continue
        cells = [
            _html(lines, spacing, names=column == names_at)
            for column, lines in enumerate(logical.cells)
        ]
        names = [
            b.text.strip()
            for b in pdf_cells.blocks(logical.cells[names_at], names=True, spacing=spacing)
            if b.text.strip()
        ]
        departments = None
        if names and all(split_departments(n) for n in names):
            departments = [part for n in names for part in split_departments(n) or [n]]
        if spacing.kinds and len(names) > 1:
            departments = names  # the editor's own PDF: one paragraph per department
        if not logical.cells[names_at]:
            departments = None
        if logical.joined:
            warnings.append(
                ImportWarning(
                    row=number,
                    message=f"{where}{logical.joined}: 次のページの先頭の同じ部署の行を、"
                    "ページの区切りで分かれた1つの行としてつなげました。確認してください。",
                    topic="joined",
                )
            )
        rows.append(
            Row(
                number=number,
                cells=cells,
                left_continues=logical.left_continues,
                departments=departments,
                where=where,
            )
        )
    return rows, warnings


def _header_year(texts: dict[str, str]) -> int | None:
    try:
        return fiscal.parse_label(texts.get(ACTUAL, ""))
    except ValueError:
        return None


def read_file(path: Path | str, *, actual_year: int | None = None) -> ImportResult:
    """Read the report's table from a PDF (the published file or a print to PDF)."""
    from pdfminer.pdfexceptions import PDFException
    from pdfminer.psexceptions import PSException
    from pdfplumber.utils.exceptions import PdfminerException

    path = Path(path)
    pdf = _open(path)
    try:
        try:
            _check_streams(pdf.doc)
            tables: list[tuple[int, PageTable]] = []
            columns: Columns | None = None
            glyphs = 0
            above: list[str] = []
            header_texts: dict[str, str] = {}
            unmapped = 0  # glyphs pdfminer could not map to characters: 「(cid:12)」
            parts = grid.Parts(lambda sheet: read_sheet(sheet, None))
            for page in _pages(pdf):
                if columns is not None and kpitable.starts_section(pdf_cells.first_line(page)):
                    page.close()
                    break  # the KPI section follows the text table: it holds no report rows
                table = read_page(page, columns)
                glyphs += page.glyph_count
                unmapped += sum(1 for char in page.chars if char["text"].startswith("(cid:"))
                page.close()
                if table is not None and table.part:
                    table = parts.add(page.page_number, table)
                    page_number = parts.joined_page
                else:
                    page_number = page.page_number
                if table is None:
                    continue
                if table.columns is not None and columns is None:
                    above, header_texts = table.above, table.header_texts
                columns = table.columns or columns
                if columns is not None:
                    tables.append((page_number, table))
        except (_TooLargeError, pdf_cells.GlyphLimitError) as exc:
            raise ReportError(
                f"{path.name} は中身の大きさが異常なため読み込みません"
                "(展開後のデータや1ページの図形・文字が多すぎます)。"
            ) from exc
        except (PdfminerException, PDFException, PSException) as exc:
            from pdfminer.pdfdocument import PDFEncryptionError

            if isinstance(_cause(exc), PDFEncryptionError) or isinstance(exc, PDFEncryptionError):
                raise _locked(path) from exc
            raise ReportError(
                f"{path.name} は壊れているため読めません(PDF の中身を読めません)。"
            ) from exc
    finally:
        pdf.close()
    if not glyphs:
        raise ReportError(
            f"{path.name} には文字の情報がありません(スキャンした画像の PDF のようです)。"
            "文字を選択できる PDF か、Word・Excel のファイルを使ってください。"
        )
    if unmapped * 5 > glyphs:
        # Fonts without a ToUnicode map: the glyphs are there, their characters are not.
        raise ReportError(
            f"{path.name} は文字の対応表のないフォントで作られているため、文章を読み取れません。"
            "元の Word・Excel のファイルか、別の方法で PDF にしたものを使ってください。"
        )
    if parts.failed or parts.waiting:
        raise ReportError(
            f"{path.name} の表は左右に分かれて印刷されています(1ページに一部の列しかありません)。"
            "印刷を1ページの幅に合わせて PDF にし直すか、"
            "Word・Excel のファイルを読み込んでください。"
        )
    if not tables:
        raise ReportError(
            f"{path.name} に進捗報告の表が見つかりません"
            "(罫線で囲まれ、「実績」「取組予定」の見出しがある表を読みます)。"
        )
    rows, warnings = to_rows(gather(tables))
    preamble = [Row(number=0, cells=[richtext.paragraph(line)], preamble=True) for line in above]
    header = Row(number=0, cells=table_columns.sized([richtext.paragraph(HEADER_LEFT)]))
    year = actual_year or _header_year(header_texts)
    result = read_rows([*preamble, header, *rows], actual_year=year)
    result.warnings[:0] = warnings
    return result
