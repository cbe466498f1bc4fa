"""Word (.docx): the submission-ready table, and reading such tables back.

The writer starts from python-docx's package (parts, relationships, core
properties) but builds the table as WordprocessingML in one pass:
python-docx's ``table.cell()`` and ``_Cell.merge()`` are quadratic, and it has
no API for repeated header rows or East-Asian fonts.

The reader parses ``word/document.xml`` with defusedxml (no DTDs, no entity
expansion), after the zip has been checked for its unpacked size. Files this
editor wrote are recognised by their paragraph styles and read exactly; other
Word tables in the same layout go through the shared table reader's guesses.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from xml.etree.ElementTree import Element

import defusedxml.ElementTree as SafeET
from defusedxml.common import DefusedXmlException
from lxml import etree

from ..core import richtext
from ..core.model import RELISTED_MARK, Measure, ReportError
from ..core.richtext import Block, Run
from . import layout
from .common import open_zip, read_member, write_atomically
from .layout import ExportOptions
from .table import LeftCell, Row, project_item, read_rows

logger = logging.getLogger(__name__)

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
MARKER = "kushiro-progress-report"

# Page: A4 landscape, in twentieths of a point.
PAGE_W, PAGE_H = 16838, 11906
MARGIN_X, MARGIN_Y = 851, 851  # 15 mm
TABLE_W = PAGE_W - 2 * MARGIN_X
CELL_MARGIN_X = 57  # 1 mm

# Our paragraph styles: ASCII ids, Japanese names (what Word shows, and what a
# LibreOffice re-save keeps).
STYLE_NAMES = {
    "KRTitle": "進捗 表題",
    "KRHead": "進捗 見出し",
    "KRGoal": "進捗 基本目標",
    "KRDirection": "進捗 基本的方向",
    "KRMeasure": "進捗 施策",
    "KRBody": "進捗 本文",
    "KRItem": "進捗 箇条",
    "KRDept": "進捗 所管部署",
    "KRProjects": "進捗 主な事業見出し",
    "KRProject": "進捗 主な事業",
}
_ROLE_STYLE = {
    "measure": "KRMeasure",
    "body": "KRBody",
    "projects": "KRProjects",
    "project": "KRProject",
}


def w(tag: str) -> str:
    """A WordprocessingML qualified name."""
    return f"{{{W}}}{tag}"


def _el(tag: str, attrs: dict[str, str] | None = None, *children: etree._Element) -> etree._Element:
    node = etree.Element(w(tag), {w(k): v for k, v in (attrs or {}).items()})
    node.extend(children)
    return node


# -- writing ---------------------------------------------------------------------
def _fonts(font: str) -> etree._Element:
    return _el("rFonts", {"ascii": font, "hAnsi": font, "eastAsia": font, "cs": font})


def _run_props(font: str, size: float, bold: bool = False) -> etree._Element:
    rpr = _el("rPr", None, _fonts(font))
    if bold:
        rpr.append(_el("b"))
        rpr.append(_el("bCs"))
    half_points = str(round(size * 2))
    rpr.append(_el("sz", {"val": half_points}))
    rpr.append(_el("szCs", {"val": half_points}))
    rpr.append(_el("lang", {"val": "en-US", "eastAsia": "ja-JP", "bidi": "ar-SA"}))
    return rpr


def _style(
    style_id: str,
    font: str,
    size: float,
    *,
    bold: bool = False,
    align: str = "",
    hanging: int = 0,
    after: int = 0,
    keep_next: bool = False,
) -> etree._Element:
    style = _el("style", {"type": "paragraph", "customStyle": "1", "styleId": style_id})
    style.append(_el("name", {"val": STYLE_NAMES[style_id]}))
    style.append(_el("basedOn", {"val": "Normal"}))
    style.append(_el("qFormat"))
    ppr = _el("pPr")
    if keep_next:
        ppr.append(_el("keepNext"))
    ppr.append(
        _el("spacing", {"before": "0", "after": str(after), "line": "240", "lineRule": "auto"})
    )
    if hanging:
        ppr.append(_el("ind", {"left": str(hanging), "hanging": str(hanging)}))
    if align:
        ppr.append(_el("jc", {"val": align}))
    style.append(ppr)
    style.append(_run_props(font, size, bold))
    return style


def _setup_styles(document, options: ExportOptions) -> None:
    styles = document.styles.element
    defaults = styles.find(w("docDefaults"))
    rpr = defaults.find(f"{w('rPrDefault')}/{w('rPr')}")
    rpr.getparent().replace(rpr, _run_props(options.font, options.size))
    ppr = defaults.find(f"{w('pPrDefault')}/{w('pPr')}")
    ppr.getparent().replace(
        ppr, _el("pPr", None, _el("spacing", {"after": "0", "line": "240", "lineRule": "auto"}))
    )
    # Theme fonts override explicit ones: give Normal and Footer explicit fonts.
    for name in ("Normal", "Footer"):
        element = document.styles[name].element
        old = element.find(w("rPr"))
        if old is not None:
            element.remove(old)
        element.append(_run_props(options.font, options.size))
    one_char = round(options.size * 20)
    body, head, size = options.font, options.heading_font, options.size
    for style in (
        _style("KRTitle", head, size + 3, bold=True, align="center", after=120),
        _style("KRHead", head, size, bold=True, align="center"),
        _style("KRGoal", head, size, bold=True, keep_next=True),
        _style("KRDirection", head, size, bold=True, keep_next=True),
        _style("KRMeasure", body, size, bold=True),
        _style("KRBody", body, size),
        _style("KRItem", body, size, hanging=one_char),
        _style("KRDept", body, size),
        _style("KRProjects", body, size),
        _style("KRProject", body, size, hanging=one_char),
    ):
        styles.append(style)


def _text_runs(parent: etree._Element, text: str, bold: bool) -> None:
    """Append one run for ``text``, line breaks as ``w:br``."""
    run = _el("r")
    if bold:
        run.append(_el("rPr", None, _el("b"), _el("bCs")))
    for index, piece in enumerate(text.split("\n")):
        if index:
            run.append(_el("br"))
        if piece:
            t = _el("t")
            t.text = piece
            if piece != piece.strip(" "):
                t.set(XML_SPACE, "preserve")
            run.append(t)
    parent.append(run)


def _paragraph(style: str, runs: tuple[Run, ...] | list[Run] = ()) -> etree._Element:
    p = _el("p", None, _el("pPr", None, _el("pStyle", {"val": style})))
    for run in runs:
        _text_runs(p, richtext.clean_text(run.text), run.bold)
    return p


def _blocks(blocks: tuple[Block, ...] | list[Block], style: str = "KRBody") -> list:
    if not blocks:
        return [_paragraph(style)]
    return [
        _paragraph("KRItem" if b.kind == "li" and style == "KRBody" else style, b.runs)
        for b in blocks
    ]


@dataclass(frozen=True)
class _Grid:
    widths: tuple[int, ...]

    def width(self, start: int, span: int = 1) -> int:
        return sum(self.widths[start : start + span])


def _cell(
    grid: _Grid,
    column: int,
    content: list,
    *,
    span: int = 1,
    vmerge: str | None = None,
    shade: str = "",
    center: bool = False,
) -> etree._Element:
    tcpr = _el("tcPr", None, _el("tcW", {"w": str(grid.width(column, span)), "type": "dxa"}))
    if span > 1:
        tcpr.append(_el("gridSpan", {"val": str(span)}))
    if vmerge is not None:
        tcpr.append(_el("vMerge", {"val": vmerge} if vmerge else None))
    if shade:
        tcpr.append(_el("shd", {"val": "clear", "color": "auto", "fill": shade}))
    if center:
        tcpr.append(_el("vAlign", {"val": "center"}))
    tc = _el("tc", None, tcpr)
    tc.extend(content or [_paragraph("KRBody")])
    return tc


def _row(cells: list, *, header: bool = False, cant_split: bool = True) -> etree._Element:
    trpr = _el("trPr")
    # Child order matters to Word: cantSplit before tblHeader.
    if cant_split:
        trpr.append(_el("cantSplit"))
    if header:
        trpr.append(_el("tblHeader"))
    tr = _el("tr", None, trpr)
    tr.extend(cells)
    return tr


def _table(report, options: ExportOptions) -> etree._Element:
    widths = [round(TABLE_W * share) for share in layout.COLUMN_SHARES]
    widths[-1] = TABLE_W - sum(widths[:-1])
    grid = _Grid(tuple(widths))
    borders = _el(
        "tblBorders",
        None,
        *(
            _el(side, {"val": "single", "sz": "4", "space": "0", "color": "000000"})
            for side in ("top", "left", "bottom", "right", "insideH", "insideV")
        ),
    )
    tblpr = _el(
        "tblPr",
        None,
        _el("tblW", {"w": str(TABLE_W), "type": "dxa"}),
        borders,
        _el("tblLayout", {"type": "fixed"}),
        _el(
            "tblCellMar",
            None,
            _el("top", {"w": "28", "type": "dxa"}),
            _el("left", {"w": str(CELL_MARGIN_X), "type": "dxa"}),
            _el("bottom", {"w": "28", "type": "dxa"}),
            _el("right", {"w": str(CELL_MARGIN_X), "type": "dxa"}),
        ),
        _el(
            "tblLook",
            {
                "val": "0000",
                "firstRow": "0",
                "lastRow": "0",
                "firstColumn": "0",
                "lastColumn": "0",
                "noHBand": "1",
                "noVBand": "1",
            },
        ),
    )
    table = _el(
        "tbl", None, tblpr, _el("tblGrid", None, *(_el("gridCol", {"w": str(v)}) for v in widths))
    )
    heads = layout.headings(report)
    shade = "D9D9D9"

    def head(text: str) -> list:
        return [_paragraph("KRHead", [Run(text)])]

    table.append(
        _row(
            [
                _cell(grid, 0, head(heads.left), vmerge="restart", shade=shade, center=True),
                _cell(grid, 1, head(heads.department), vmerge="restart", shade=shade, center=True),
                _cell(grid, 2, head(heads.progress), span=2, shade=shade, center=True),
            ],
            header=True,
        )
    )
    table.append(
        _row(
            [
                _cell(grid, 0, [], vmerge="", shade=shade),
                _cell(grid, 1, [], vmerge="", shade=shade),
                _cell(grid, 2, head(heads.actual), shade=shade, center=True),
                _cell(grid, 3, head(heads.plan), shade=shade, center=True),
            ],
            header=True,
        )
    )
    # A row taller than the page body must be allowed to split, or Word clips it.
    line_pt = options.size * 1.3
    page_lines = (PAGE_H - 2 * MARGIN_Y) / 20 / line_pt - 4
    capacity = [(width - 2 * CELL_MARGIN_X) / 20 / options.size * 2 for width in widths]
    for row in layout.rows(report):
        if row.kind in ("goal", "direction"):
            style = "KRGoal" if row.kind == "goal" else "KRDirection"
            table.append(
                _row(
                    [
                        _cell(
                            grid,
                            0,
                            [_paragraph(style, [Run(row.text, True)])],
                            span=4,
                            shade="F2F2F2" if row.kind == "goal" else "",
                        )
                    ]
                )
            )
            continue
        if row.first_of_block:
            left = [
                _paragraph(
                    "KRItem"
                    if item.role == "body" and item.block.kind == "li"
                    else _ROLE_STYLE[item.role],
                    item.block.runs,
                )
                for item in row.left
            ]
            left_cell = _cell(grid, 0, left, vmerge="restart" if row.block_size > 1 else None)
        else:
            left_cell = _cell(grid, 0, [], vmerge="")
        departments = [_paragraph("KRDept", [Run(name)]) for name in row.departments]
        lines = max(
            layout.count_lines(row.actual, capacity[2]),
            layout.count_lines(row.plan, capacity[3]),
            len(row.departments),
        )
        table.append(
            _row(
                [
                    left_cell,
                    _cell(grid, 1, departments),
                    _cell(grid, 2, _blocks(row.actual)),
                    _cell(grid, 3, _blocks(row.plan)),
                ],
                cant_split=lines < page_lines,
            )
        )
    return table


def _footer(document) -> None:
    footer = document.sections[0].footer
    paragraph = footer.paragraphs[0]._p
    for child in list(paragraph):
        paragraph.remove(child)
    paragraph.append(
        _el("pPr", None, _el("pStyle", {"val": "Footer"}), _el("jc", {"val": "center"}))
    )
    _text_runs(paragraph, "- ", False)
    paragraph.append(_el("fldSimple", {"instr": " PAGE "}, _el("r", None, _el("t"))))
    paragraph[-1][0][0].text = "1"
    _text_runs(paragraph, " / ", False)
    paragraph.append(_el("fldSimple", {"instr": " NUMPAGES "}, _el("r", None, _el("t"))))
    paragraph[-1][0][0].text = "1"
    _text_runs(paragraph, " -", False)


def build(report, options: ExportOptions | None = None):
    """The python-docx Document of the report in the official layout."""
    from docx import Document

    options = options or ExportOptions()
    document = Document()
    _setup_styles(document, options)
    section = document.sections[0]
    sect_pr = section._sectPr
    for tag in ("pgSz", "pgMar"):
        old = sect_pr.find(w(tag))
        if old is not None:
            sect_pr.remove(old)
    # Set the size explicitly: the orientation flag alone does not turn the page.
    sect_pr.append(_el("pgSz", {"w": str(PAGE_W), "h": str(PAGE_H), "orient": "landscape"}))
    sect_pr.append(
        _el(
            "pgMar",
            {
                "top": str(MARGIN_Y),
                "right": str(MARGIN_X),
                "bottom": str(MARGIN_Y),
                "left": str(MARGIN_X),
                "header": "454",
                "footer": "397",
                "gutter": "0",
            },
        )
    )
    _footer(document)
    body = document.element.body
    for child in list(body):
        if child.tag != w("sectPr"):
            body.remove(child)
    heads = layout.headings(report)
    body.insert(0, _paragraph("KRTitle", [Run(heads.title, True)]))
    body.insert(1, _table(report, options))
    # Word needs a paragraph after a table at the end of the body.
    body.insert(2, _paragraph("KRBody"))
    props = document.core_properties
    props.title = report.title
    props.category = MARKER
    props.subject = heads.title
    props.language = "ja-JP"
    props.author = "釧路市"
    return document


def write(report, path: Path | str, options: ExportOptions | None = None) -> None:
    """Write the report as a Word file, atomically."""
    write_atomically(path, build(report, options).save)


# -- reading ---------------------------------------------------------------------
@dataclass
class _Para:
    style: str  # style name
    block: Block
    numbered: bool


class _DocReader:
    def __init__(self, styles: dict[str, str]) -> None:
        self.styles = styles
        self.tracked = False

    def runs(self, element: Element) -> Iterator[Run]:
        """The runs inside a paragraph, tracked insertions accepted."""
        for child in element:
            tag = child.tag
            if tag == w("r"):
                bold = False
                props = child.find(w("rPr"))
                if props is not None:
                    b = props.find(w("b"))
                    bold = b is not None and b.get(w("val"), "true") not in ("0", "false", "off")
                    if props.find(w("del")) is not None or props.find(w("ins")) is not None:
                        self.tracked = True
                text = []
                for part in child:
                    if part.tag == w("t"):
                        text.append(part.text or "")
                    elif part.tag in (w("br"), w("cr")) and part.get(w("type")) != "page":
                        text.append("\n")
                    elif part.tag in (w("tab"), w("ptab")):
                        text.append(" ")
                    elif part.tag == w("noBreakHyphen"):
                        text.append("-")
                if text:
                    yield Run("".join(text), bold)
            elif tag in (w("del"), w("moveFrom")):
                self.tracked = True  # deleted text is left out, as Word shows it accepted
            elif tag in (w("ins"), w("moveTo")):
                self.tracked = True
                yield from self.runs(child)
            elif tag in (
                w("hyperlink"),
                w("smartTag"),
                w("customXml"),
                w("fldSimple"),
                w("sdt"),
                w("sdtContent"),
                w("dir"),
                w("bdo"),
            ):
                yield from self.runs(child)

    def paragraph(self, p: Element) -> _Para:
        ppr = p.find(w("pPr"))
        style, numbered = "", False
        if ppr is not None:
            ps = ppr.find(w("pStyle"))
            if ps is not None:
                style = self.styles.get(ps.get(w("val"), ""), ps.get(w("val"), ""))
            numbered = ppr.find(w("numPr")) is not None
            rpr = ppr.find(w("rPr"))
            if rpr is not None and (
                rpr.find(w("ins")) is not None or rpr.find(w("del")) is not None
            ):
                self.tracked = True
        runs = tuple(self.runs(p))
        text = "".join(r.text for r in runs).lstrip(" \u3000")
        kind = "li" if style in (STYLE_NAMES["KRItem"], STYLE_NAMES["KRProject"]) else "p"
        if style not in STYLE_NAMES.values() and (numbered or text.startswith("・")):
            kind = "li"
            if numbered and not text.startswith(("・", "●", "○", "■", "◆")):
                runs = (Run("・"), *runs)
        return _Para(style, Block(kind, runs), numbered)

    def cell_paragraphs(self, tc: Element) -> list[_Para]:
        out = []
        for child in tc:
            if child.tag == w("p"):
                out.append(self.paragraph(child))
            elif child.tag == w("tbl") or child.tag in (
                w("sdt"),
                w("customXml"),
            ):  # a table inside a cell: keep its text
                out.extend(self.paragraph(p) for p in child.iter(w("p")))
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


def _direct_cells(tr: Element) -> list[Element]:
    """The cells of a row (not of tables nested in its cells), through sdt wrappers."""
    out = []
    for child in tr:
        if child.tag == w("tc"):
            out.append(child)
        elif child.tag in (w("sdt"), w("customXml")):
            for inner in child.iter(w("tc")):
                out.append(inner)
    return out


def read(path: Path | str, *, actual_year: int | None = None):
    """Read a Word file holding the report table."""
    path = Path(path)
    with open_zip(path, "Word") as archive:
        names = set(archive.namelist())
        if "word/document.xml" not in names:
            raise ReportError(f"{path.name} は Word の文書ではありません。")
        try:
            document = SafeET.fromstring(read_member(archive, "word/document.xml"))
            styles_xml = (
                SafeET.fromstring(read_member(archive, "word/styles.xml"))
                if "word/styles.xml" in names
                else None
            )
            core = (
                SafeET.fromstring(read_member(archive, "docProps/core.xml"))
                if "docProps/core.xml" in names
                else None
            )
        except DefusedXmlException as exc:
            raise ReportError(
                f"{path.name} には安全でない XML が含まれているため読み込みません。"
            ) from exc
        except SafeET.ParseError as exc:
            raise ReportError(f"{path.name} は壊れています(XML を読めません)。") from exc
    styles: dict[str, str] = {}
    if styles_xml is not None:
        for style in styles_xml.iter(w("style")):
            name = style.find(w("name"))
            if name is not None:
                styles[style.get(w("styleId"), "")] = name.get(w("val"), "")
    trusted = (
        STYLE_NAMES["KRMeasure"] in styles.values() or STYLE_NAMES["KRDept"] in styles.values()
    )
    title = None
    if core is not None and trusted:
        dc_title = core.find("{http://purl.org/dc/elements/1.1/}title")
        title = dc_title.text if dc_title is not None and dc_title.text else None
    reader = _DocReader(styles)
    body = document.find(w("body"))
    if body is None:
        raise ReportError(f"{path.name} は Word の文書ではありません。")
    result = read_rows(
        _rows(body, reader, trusted), trusted=trusted, title=title, actual_year=actual_year
    )
    if reader.tracked:
        from ..core.model import ImportWarning

        result.warnings.insert(
            0,
            ImportWarning(
                row=0,
                kind="tracked",
                message="変更履歴が残っていたため、すべての変更を承諾した状態で"
                "読み込みました(削除された文字は読み込んでいません)。元の文書を確認してください。",
            ),
        )
    return result


def _rows(body: Element, reader: _DocReader, trusted: bool) -> Iterator[Row]:
    number = 0
    saw_table = False
    for child in body:
        if child.tag == w("p"):
            text = reader.paragraph(child).block.text.strip()
            if text and not saw_table:
                number += 1
                yield Row(number=number, cells=[richtext.paragraph(text)], preamble=True)
            continue
        if child.tag != w("tbl"):
            continue
        saw_table = True
        rows = [tr for tr in child if tr.tag == w("tr")]
        starts = _column_starts(rows, reader)
        for tr in rows:
            number += 1
            cells = ["", "", "", ""]
            paras: list[list[_Para]] = [[], [], [], []]
            continues = False
            for start, _span, vmerge, content in _grid_cells_of(tr, reader):
                logical = (
                    max(i for i, s in enumerate(starts) if s <= start) if start >= starts[0] else 0
                )
                if vmerge == "continue":
                    if logical == 0:
                        continues = True
                    continue
                paras[logical] += content
                cells[logical] = _html(paras[logical])
            left = None
            styled = {p.style for p in paras[0]}
            row_styles = {STYLE_NAMES[k] for k in ("KRGoal", "KRDirection", "KRHead")}
            if (
                trusted
                and not continues
                and styled & set(STYLE_NAMES.values())
                and not styled & row_styles
            ):
                left = _trusted_left(paras[0])
            departments = None
            if trusted and any(p.style == STYLE_NAMES["KRDept"] for p in paras[1]):
                departments = [p.block.text.strip() for p in paras[1] if p.block.text.strip()]
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


def _grid_cells_of(tr: Element, reader: _DocReader):
    column = 0
    trpr = tr.find(w("trPr"))
    if trpr is not None:
        before = trpr.find(w("gridBefore"))
        if before is not None:
            column = int(before.get(w("val"), "0") or 0)
    cells: list[tuple[int, int, str | None, list[_Para]]] = []
    for tc in _direct_cells(tr):
        tcpr = tc.find(w("tcPr"))
        span, vmerge, hmerge = 1, None, None
        if tcpr is not None:
            gs = tcpr.find(w("gridSpan"))
            span = max(1, int(gs.get(w("val"), "1") or 1)) if gs is not None else 1
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


def _column_starts(rows: list[Element], reader: _DocReader) -> list[int]:
    """The grid columns where the four logical columns start.

    Taken from the first row that has four cells (a department row or the
    second header row); a table without one is read as four equal columns.
    """
    for tr in rows:
        cells = _grid_cells_of(tr, reader)
        if len(cells) == 4:
            return [start for start, _span, _v, _c in cells]
    total = max(
        (sum(span for _s, span, _v, _c in _grid_cells_of(tr, reader)) for tr in rows), default=4
    )
    step = max(total / 4, 1)
    return [math.floor(i * step) for i in range(4)]
