"""Word (.docx): reading report tables, ours and hand-made ones.

The package is opened in ``parts`` (the main part its relationships name,
Strict mapped, embedded Word documents put in place), every part parsed
with defusedxml (no DTDs, no entity expansion) after the zip has been
checked for its unpacked size. Files this editor wrote are recognised by
their paragraph styles and read exactly; other Word tables in the same
layout go through the shared table reader's guesses. What Word shows but
does not store as text is read as shown: automatic numbers (``numbering``),
symbol-font characters (``symbols``), the base of ruby and the text of
text boxes (``boxes``).
"""

from __future__ import annotations

import logging
import math
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from xml.etree.ElementTree import Element

from ...core import richtext
from ...core.model import RELISTED_MARK, ImportResult, ImportWarning, Measure, ReportError
from ...core.richtext import Block, Run
from ..table import columns, kpitable
from ..table.cells import LeftCell, project_item
from ..table.header import find_header, unread_columns_warning
from ..table.reader import GOAL_PARAGRAPH, Row, read_rows
from . import kpireader, numbering, parts, symbols
from .boxes import chosen, text_boxes
from .wml import WP
from .writer import STYLE_NAMES, w

logger = logging.getLogger(__name__)

_BREAK_STYLES = {STYLE_NAMES["KRBreak"], STYLE_NAMES["KRItemBreak"]}


@dataclass
class _Para:
    style: str  # style name
    block: Block
    numbered: bool
    joined: bool = False  # its mark deleted: accepted, it runs on into the next paragraph


# Elements inside a paragraph that only wrap its runs.
_RUN_WRAPPERS = frozenset(
    w(tag)
    for tag in (
        *("hyperlink", "smartTag", "customXml", "fldSimple"),
        *("sdt", "sdtContent", "dir", "bdo"),
    )
)
_BULLETS = ("・", "●", "○", "■", "◆")


def _on(element: Element | None) -> bool:
    """A toggle property (w:b and the like) that is there and not switched off."""
    return element is not None and element.get(w("val"), "true") not in ("0", "false", "off")


class _DocReader:
    def __init__(self, found: parts.WordFile) -> None:
        self.styles = found.styles
        self.labels = found.labels
        self.charts = found.charts
        self.has_lists = found.has_lists
        self.tracked = False
        self.numbered = False  # a number was taken from Word's automatic numbering
        self.boxed = False  # text was read from a text box
        self.symbols: list[str] = []  # symbol-font characters that could not be mapped
        self.unread: list[str] = []  # headings of columns that are not the report's

    def runs(self, element: Element) -> Iterator[Run]:
        """The runs inside a paragraph, tracked insertions accepted.

        Iterative, so that wrappers nested ever deeper cannot exhaust the stack.
        """
        stack = [iter(element)]
        while stack:
            child = next(stack[-1], None)
            if child is None:
                stack.pop()
                continue
            tag = child.tag
            if tag == w("r"):
                yield from self._run(child)
            elif tag in (w("del"), w("moveFrom")):
                self.tracked = True  # deleted text is left out, as Word shows it accepted
            elif tag in (w("ins"), w("moveTo")):
                self.tracked = True
                stack.append(iter(child))
            elif tag in _RUN_WRAPPERS:
                stack.append(iter(child))

    def _run(self, r: Element, *, ruby: bool = True) -> Iterator[Run]:
        bold, font = False, ""
        props = r.find(w("rPr"))
        if props is not None:
            bold = _on(props.find(w("b")))
            font = symbols.run_font(props)
            if props.find(w("del")) is not None or props.find(w("ins")) is not None:
                self.tracked = True
        text: list[str] = []
        for part in r:
            tag = part.tag
            if tag == w("t"):
                text.append(self._font_text(part.text or "", font) if font else part.text or "")
            elif tag in (w("br"), w("cr")) and part.get(w("type")) != "page":
                text.append("\n")
            elif tag in (w("tab"), w("ptab")):
                text.append(" ")
            elif tag == w("noBreakHyphen"):
                text.append("-")
            elif tag == w("sym"):
                text.append(self._symbol(part))
            elif tag == w("ruby") and ruby:
                # Ruby (ふりがな): the base is the text; the reading above it is not.
                if text:
                    yield Run("".join(text), bold)
                    text = []
                base = part.find(w("rubyBase"))
                for inner in base if base is not None else ():
                    if inner.tag == w("r"):
                        yield from self._run(inner, ruby=False)
        if text:
            yield Run("".join(text), bold)

    def _symbol(self, sym: Element) -> str:
        """A w:sym character (a symbol font's code) as the character it shows, else nothing."""
        font, code_text = sym.get(w("font"), ""), sym.get(w("char"), "")
        try:
            code = int(code_text, 16)
        except ValueError:
            code = -1
        shown = symbols.char(font, code) if code >= 0 else None
        if shown is None:
            self._unknown_symbol(font, code_text.upper())
            return ""
        return shown

    def _font_text(self, text: str, font: str) -> str:
        shown, unknown = symbols.font_text(text, font)
        for code in unknown:
            self._unknown_symbol(font, f"{code:04X}")
        return shown

    def _unknown_symbol(self, font: str, code: str) -> None:
        name = f"{font or '不明なフォント'} の {code or '番号なし'}"
        if name not in self.symbols:
            self.symbols.append(name)

    def paragraph(self, p: Element) -> _Para:
        ppr = p.find(w("pPr"))
        style, listed, joined = "", False, False
        if ppr is not None:
            ps = ppr.find(w("pStyle"))
            if ps is not None:
                style = self.styles.get(ps.get(w("val"), ""), ps.get(w("val"), ""))
            numpr = ppr.find(w("numPr"))
            listed = numpr is not None and numpr.find(w("numId")) is not None
            if listed:
                listed = numpr.find(w("numId")).get(w("val")) != "0"
            rpr = ppr.find(w("rPr"))
            if rpr is not None and (
                rpr.find(w("ins")) is not None or rpr.find(w("del")) is not None
            ):
                self.tracked = True
                joined = rpr.find(w("del")) is not None
        runs = tuple(self.runs(p))
        label = self.labels.get(p)
        if label is not None and label.text:
            self.numbered = True
            # The number is shown as the paragraph's first text is: a bold
            # 「ア 施策名」 heading keeps its ア, unless the level sets its own.
            bold = label.bold if label.bold is not None else bool(runs) and runs[0].bold
            runs = (Run(label.text, bold), *runs)
        # Numbered with no list to count it from (no numbering part): a list item.
        unlisted = listed and label is None and not self.has_lists
        numbered = unlisted or (label is not None and label.bullet)
        text = "".join(r.text for r in runs).lstrip(" \u3000")
        kind = "li" if style in (STYLE_NAMES["KRItem"], STYLE_NAMES["KRProject"]) else "p"
        if style not in STYLE_NAMES.values() and (numbered or text.startswith("・")):
            kind = "li"
            if unlisted and not text.startswith(_BULLETS):
                runs = (Run("・"), *runs)
        return _Para(style, Block(kind, runs), numbered, joined)

    def with_boxes(self, p: Element, *, boxes: bool = True) -> list[_Para]:
        """A paragraph and, after it, the paragraphs of the text boxes anchored in it."""
        out = [self.paragraph(p)]
        if boxes:
            for box in text_boxes(p):
                self.boxed = True
                out += self.cell_paragraphs(box, boxes=False)
        return out

    def cell_paragraphs(self, tc: Element, *, boxes: bool = True) -> list[_Para]:
        out: list[_Para] = []
        held: tuple[Run, ...] = ()  # the runs of paragraphs whose mark was deleted
        for child in tc:
            if child.tag == w("p"):
                para, *boxed = self.with_boxes(child, boxes=boxes)
                if held:
                    block = Block(para.block.tag, (*held, *para.block.runs))
                    para, held = _Para(para.style, block, para.numbered, para.joined), ()
                if para.joined:
                    held = para.block.runs
                    out += boxed
                    continue
                if para.style in _BREAK_STYLES and out:
                    # Our own file sets a line break's next line as a paragraph
                    # of its own: join it back to the paragraph it continues.
                    before = out[-1]
                    runs = (*before.block.runs, Run("\n"), *para.block.runs)
                    out[-1] = _Para(before.style, Block(before.block.tag, runs), before.numbered)
                else:
                    out.append(para)
                out += boxed
            elif child.tag == w("tbl") or child.tag in (
                w("sdt"),
                w("customXml"),
            ):  # a table inside a cell: keep its text, one copy of each text box's
                out.extend(self.paragraph(p) for p in numbering.paragraphs(child, chosen))
        if any(run.text for run in held):  # a cell's last mark stays, deleted or not
            out.append(_Para("", Block("p", held), False))
        return out


def _trusted_left(paras: list[_Para]) -> LeftCell:
    """The left column of our own file, read from its paragraph styles."""
    left = LeftCell()
    measure: Measure | None = None
    body: list[Block] = []

    def close() -> None:
        nonlocal measure, body
        left.add_measure(measure, richtext.serialise(body))
        measure, body = None, []

    for para in paras:
        text = para.block.text
        if para.style == STYLE_NAMES["KRMeasure"]:
            close()
            label, _sep, title = text.partition(" ")
            measure = Measure(title=title, label=label)
        elif para.style == STYLE_NAMES["KRProjects"]:
            close()
            left.has_projects_heading = True
        elif para.style == STYLE_NAMES["KRProject"]:
            left.projects.append(project_item(text, text.endswith(RELISTED_MARK)))
        elif measure is not None:
            body.append(para.block)
        elif text.strip():
            left.loose.append(para.block)
    close()
    return left


def _html(paras: list[_Para]) -> str:
    return richtext.serialise([p.block for p in paras])


# Elements that only wrap content: a content control (its w:sdtContent holds
# what it shows) and custom XML markup.
WRAPPERS = ("sdt", "sdtContent", "customXml")
MAX_GRID_SPAN = 63  # Word's most columns in a table
HEADER_SEARCH = 12  # rows of a table looked at for its header


def _unwrapped(parent: Element, tags: tuple[str, ...]) -> Iterator[Element]:
    """``parent``'s children with one of ``tags``, also those inside wrappers.

    Iterative, so that wrappers nested ever deeper cannot exhaust the stack.
    """
    wanted = {w(tag) for tag in tags}
    wrappers = {w(tag) for tag in WRAPPERS}
    stack = [iter(parent)]
    while stack:
        child = next(stack[-1], None)
        if child is None:
            stack.pop()
        elif child.tag in wanted:
            yield child
        elif child.tag in wrappers:
            stack.append(iter(child))


def _direct_cells(tr: Element) -> list[Element]:
    """The cells of a row (not of tables nested in its cells), through wrappers."""
    return list(_unwrapped(tr, ("tc",)))


def _count(element: Element | None, default: int, least: int) -> int:
    """A gridSpan or gridBefore: a whole number Word could show, else the default."""
    if element is None:
        return default
    try:
        value = int(element.get(w("val"), "") or default)
    except ValueError:
        return default
    return min(max(value, least), MAX_GRID_SPAN)


def read_file(path: Path | str, *, actual_year: int | None = None) -> ImportResult:
    """Read a Word file holding the report table."""
    path = Path(path)
    found = parts.open_document(path)
    styles = found.styles
    trusted = (
        STYLE_NAMES["KRMeasure"] in styles.values() or STYLE_NAMES["KRDept"] in styles.values()
    )
    title = None
    if found.core is not None and trusted:
        dc_title = found.core.find("{http://purl.org/dc/elements/1.1/}title")
        title = dc_title.text if dc_title is not None and dc_title.text else None
    reader = _DocReader(found)
    result = read_rows(
        _rows(found.body, reader, trusted), trusted=trusted, title=title, actual_year=actual_year
    )
    section = _kpi_section(found.body, reader)
    if section is not None:
        placed, problems = kpireader.read(*section)
        result.warnings += problems + kpitable.attach(result.report, placed, kpireader.WHERE)
    notices = [
        message
        for flag, message in (
            (reader.tracked, _TRACKED),
            (reader.numbered, _NUMBERED),
            (reader.boxed, _BOXED),
            (found.chunks, _CHUNKS),
        )
        if flag
    ]
    if reader.symbols:
        notices.append(
            (
                "symbol",
                f"記号({'、'.join(reader.symbols[:5])})を文字に置き換えられなかったため、"
                "その記号は読み込んでいません。元の文書で確認してください。",
            )
        )
    if reader.unread:
        result.warnings.insert(0, unread_columns_warning(reader.unread))
    for topic, message in reversed(notices):
        result.warnings.insert(0, ImportWarning(row=0, topic=topic, message=message))
    return result


_TRACKED = (
    "tracked",
    "変更履歴が残っていたため、すべての変更を承諾した状態で"
    "読み込みました(削除された文字は読み込んでいません)。元の文書を確認してください。",
)
_NUMBERED = (
    "numbering",
    "番号や記号(【基本目標1】、①、ア、・ など)の一部は Word の段落番号の機能で付けられていたため、"
    "表示どおりの文字として読み込みました。",
)
_BOXED = (
    "textbox",
    "テキストボックスの中の文字を、そのテキストボックスが置かれた段落の後に読み込みました。"
    "元の文書で位置を確認してください。",
)
_CHUNKS = (
    "chunk",
    "文書に埋め込まれた別の Word 文書の中身を、埋め込まれた位置に読み込みました。",
)


def _rows(body: Element, reader: _DocReader, trusted: bool) -> Iterator[Row]:
    number = 0
    saw_table = False
    grid_columns: _Columns | None = None
    left_column = columns.index(columns.LEFT)
    for child in _unwrapped(body, ("p", "tbl")):
        if child.tag == w("p"):
            for para in reader.with_boxes(child):
                text = para.block.text.strip()
                if not text:
                    continue
                if saw_table and kpitable.starts_section(text):
                    return  # the KPI section after the text table holds no report rows
                number += 1
                if not saw_table:
                    yield Row(number=number, cells=[richtext.paragraph(text)], preamble=True)
                elif GOAL_PARAGRAPH.match(text):
                    # 【基本目標N】 typed above a goal's own table.
                    yield Row(number=number, cells=[richtext.paragraph(text)])
                else:
                    # Text after a table (※ notes, a page's heading) is reported, never read.
                    yield Row(number=number, cells=[richtext.paragraph(text)], note=True)
            continue
        if child.tag != w("tbl"):
            continue
        saw_table = True
        rows = list(_unwrapped(child, ("tr",)))
        grid_columns = _table_columns(rows, reader, grid_columns)
        # Grid column → (where the cell over it starts, its paragraphs), for the
        # cells merged down (w:vMerge) from the row above.
        above: dict[int, tuple[int, list[_Para]]] = {}
        for tr in rows:
            number += 1
            trpr = tr.find(w("trPr"))
            if trpr is not None and trpr.find(w("del")) is not None:
                reader.tracked = True  # a deleted row, as Word shows it accepted
                continue
            cells = columns.sized([])
            paras: list[list[_Para]] = [[] for _cell in cells]
            continues = False
            for start, span, vmerge, content in _grid_cells_of(tr, reader):
                if vmerge == "continue":
                    # Word shows one cell over both rows: each row holds its text
                    # (a department merged over two rows is both rows' department).
                    over = above.get(start)
                    content = over[1] if over is not None and over[0] == start else []
                for column in range(start, start + span):
                    above[column] = (start, content)
                logical = grid_columns.logical(start, span)
                if logical is None:
                    continue  # a column the header names as something else (備考)
                if vmerge == "continue" and logical == left_column:
                    # The left column's merge is the direction's block going on.
                    continues = True
                    continue
                paras[logical] += content
                cells[logical] = _html(paras[logical])
            left = None
            styled = {p.style for p in paras[left_column]}
            row_styles = {STYLE_NAMES[k] for k in ("KRGoal", "KRDirection", "KRHead")}
            if (
                trusted
                and not continues
                and styled & set(STYLE_NAMES.values())
                and not styled & row_styles
            ):
                left = _trusted_left(paras[left_column])
            departments = None
            names = paras[columns.index(columns.DEPARTMENTS)]
            if trusted and any(p.style == STYLE_NAMES["KRDept"] for p in names):
                departments = [p.block.text.strip() for p in names if p.block.text.strip()]
            yield Row(
                number=number,
                cells=cells,
                left=left,
                left_continues=continues,
                departments=departments,
            )
    if not saw_table:
        raise ReportError(
            "文書に表がありません。進捗報告の表を含む Word ファイルを選んでください。"
        )


def _kpi_section(body: Element, reader: _DocReader) -> tuple[list, list, list] | None:
    """The KPI section after the text table: its table's cells (their paragraphs' texts),
    its drawings' text alternatives and chart parts (None for a picture); None when the
    document has no such section."""
    saw_table, started, rows, descriptions, charts = False, False, None, [], []
    for child in _unwrapped(body, ("p", "tbl")):
        if not started:
            if child.tag == w("tbl"):
                saw_table = True
            elif saw_table:
                text = "".join(p.block.text for p in reader.with_boxes(child, boxes=False))
                started = kpitable.starts_section(text)
            continue
        if child.tag == w("tbl") and rows is None:
            rows = [
                [
                    [p.block.text for p in content]
                    for _s, _w, _v, content in _grid_cells_of(tr, reader)
                ]
                for tr in _unwrapped(child, ("tr",))
            ]
            continue
        for drawn in child.iter():
            if drawn.tag == f"{{{WP}}}docPr":
                descriptions.append(drawn.get("descr", ""))
                charts.append(None)
            elif drawn.tag == parts.CHART and charts:  # inside the drawing its docPr opened
                charts[-1] = reader.charts.get(drawn)
    return (rows or [], descriptions, charts) if started else None


@dataclass
class _Columns:
    """Where each declared column starts in a table's grid, and the columns not read."""

    # Grid column of each declared column (None: a column the table lacks).
    starts: list[int | None]
    others: list[int]  # grid columns headed as something else (備考, 評価)
    width: int

    def logical(self, start: int, span: int) -> int | None:
        """The column a cell belongs to: the first column it covers, else the one it is in."""
        covered = [
            i for i, s in enumerate(self.starts) if s is not None and start <= s < start + span
        ]
        if covered:
            # A full-width row (a goal, a direction) is the left column's, wherever it stands.
            left = columns.index(columns.LEFT)
            return left if left in covered else min(covered, key=lambda i: self.starts[i])
        if start in self.others:
            return None
        before = [i for i, s in enumerate(self.starts) if s is not None and s <= start]
        return max(before, key=lambda i: self.starts[i]) if before else 0


def _table_columns(rows: list[Element], reader: _DocReader, previous: _Columns | None) -> _Columns:
    """The table's columns from its header; a table without one continues the one before."""
    grid = []
    for tr in rows[:HEADER_SEARCH]:
        cells = _grid_cells_of(tr, reader)
        width = max((start + span for start, span, _v, _c in cells), default=0)
        texts = [""] * width
        for start, _span, _v, content in cells:
            texts[start] = "\n".join(p.block.text for p in content)
        grid.append(texts)
    header = find_header(grid)
    width = max((len(texts) for texts in grid), default=0)
    if header is not None and header.complete:
        for _column, text in header.others:
            if text not in reader.unread:
                reader.unread.append(text)
        return _Columns(
            [header.columns.get(role) for role in columns.roles()],
            [c for c, _t in header.others],
            width,
        )
    if previous is not None and previous.width == width:
        return previous
    return _Columns(_column_starts(rows, reader), [], width)


def _grid_cells_of(tr: Element, reader: _DocReader):
    column = 0
    trpr = tr.find(w("trPr"))
    if trpr is not None:
        column = _count(trpr.find(w("gridBefore")), 0, 0)
    cells: list[tuple[int, int, str | None, list[_Para]]] = []
    for tc in _direct_cells(tr):
        tcpr = tc.find(w("tcPr"))
        span, vmerge, hmerge = 1, None, None
        if tcpr is not None:
            span = _count(tcpr.find(w("gridSpan")), 1, 1)
            vm = tcpr.find(w("vMerge"))
            vmerge = (vm.get(w("val")) or "continue") if vm is not None else None
            hm = tcpr.find(w("hMerge"))
            hmerge = (hm.get(w("val")) or "continue") if hm is not None else None
        paras = reader.cell_paragraphs(tc)
        if hmerge == "continue" and cells:
            start, width, state, content = cells[-1]
            cells[-1] = (start, width + span, state, content + paras)
        else:
            cells.append((column, span, vmerge, paras))
        column += span
    return cells


def _column_starts(rows: list[Element], reader: _DocReader) -> list[int | None]:
    """The grid columns where the declared columns start.

    Taken from the first row that has a cell per column (a department row or
    the second header row); a table without one is read as equal columns.
    """
    count = columns.width()
    for tr in rows:
        cells = _grid_cells_of(tr, reader)
        if len(cells) == count:
            return [start for start, _span, _v, _c in cells]
    total = max(
        (sum(span for _s, span, _v, _c in _grid_cells_of(tr, reader)) for tr in rows),
        default=count,
    )
    step = max(total / count, 1)
    return [math.floor(i * step) for i in range(count)]
