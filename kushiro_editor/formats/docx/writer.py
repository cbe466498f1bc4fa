"""Word (.docx): the submission-ready table.

The writer starts from python-docx's package (parts, relationships, core
properties) but builds the table as WordprocessingML in one pass:
python-docx's ``table.cell()`` and ``_Cell.merge()`` are quadratic, and it has
no API for repeated header rows or East-Asian fonts. Its paragraph styles
(``STYLE_NAMES``) are what the reader (``docx_reader``) recognises our own
files by.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from ...core import richtext
from ...core.richtext import Block, Run
from ..files import write_atomically
from ..table import columns, layout
from ..table.layout import ExportOptions
from . import kpisection
from .wml import (
    CELL_MARGIN_X,
    LANGUAGE,
    WP,
    XML_SPACE,
    W,
    add_picture,
    cell_margins,
    describe,
    el,
    paragraph_style,
    ruled_borders,
    text_runs,
    w,
)
from .wml import line_spacing as _line_spacing
from .wml import run_props as _run_props

# Named here for the reader, the tracked changes and the tests, which take them from the writer.
__all__ = [
    "LANGUAGE",
    "MARKER",
    "STYLE_NAMES",
    "WP",
    "XML_SPACE",
    "W",
    "add_picture",
    "build",
    "describe",
    "el",
    "text_runs",
    "w",
    "write_file",
]

logger = logging.getLogger(__name__)

MARKER = "kushiro-progress-report"

# Page: A4 landscape, in twentieths of a point.
PAGE_W, PAGE_H = 16838, 11906
MARGIN_X, MARGIN_Y = 851, 851  # 15 mm
TABLE_W = PAGE_W - 2 * MARGIN_X

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
    "KRBreak": "進捗 改行",
    "KRItemBreak": "進捗 箇条の改行",
    "KRDept": "進捗 所管部署",
    "KRProjects": "進捗 主な事業見出し",
    "KRProject": "進捗 主な事業",
}
# The styles whose line breaks start a paragraph of their own (a w:br could
# not be spaced), and the style of that paragraph.
_BROKEN = {"KRBody": "KRBreak", "KRItem": "KRItemBreak"}
_ROLE_STYLE = {
    "measure": "KRMeasure",
    "body": "KRBody",
    "projects": "KRProjects",
    "project": "KRProject",
}


def _style(style_id: str, font: str, size: float, **how) -> etree._Element:
    return paragraph_style(style_id, STYLE_NAMES[style_id], font, size, **how)


def _setup_styles(document, options: ExportOptions) -> None:
    styles = document.styles.element
    defaults = styles.find(w("docDefaults"))
    rpr = defaults.find(f"{w('rPrDefault')}/{w('rPr')}")
    rpr.getparent().replace(rpr, _run_props(options.font, options.size))
    ppr = defaults.find(f"{w('pPrDefault')}/{w('pPr')}")
    ppr.getparent().replace(
        ppr, el("pPr", None, el("spacing", {"after": "0", **_line_spacing(options.size)}))
    )
    # Theme fonts override explicit ones: give Normal and Footer explicit fonts.
    for name in ("Normal", "Footer"):
        element = document.styles[name].element
        old = element.find(w("rPr"))
        if old is not None:
            element.remove(old)
        element.append(_run_props(options.font, options.size))
    one_char = round(options.size * 20)
    gap = {kind: str(_gap_twips(kind, options.size)) for kind in layout.GAPS}
    body, head, size = options.font, options.heading_font, options.size
    for style in (
        _style("KRTitle", head, size + 3, bold=True, align="center", after=120),
        _style("KRHead", head, size, bold=True, align="center"),
        _style("KRGoal", head, size, bold=True, keep_next=True),
        _style("KRDirection", head, size, bold=True, keep_next=True),
        _style("KRMeasure", body, size, bold=True, before=gap["para"]),
        _style("KRBody", body, size, before=gap["para"]),
        _style("KRItem", body, size, hanging=one_char, before=gap["item"]),
        # A line that a line break starts in a 実績/予定 text: its own paragraph,
        # a hair below the line before it (a w:br could not be spaced), read
        # back as a line break of the paragraph above.
        _style("KRBreak", body, size, before=gap["break"], follow="KRBody"),
        _style("KRItemBreak", body, size, indent=one_char, before=gap["break"], follow="KRItem"),
        _style("KRDept", body, size, before=gap["para"]),
        _style("KRProjects", body, size, before=gap["para"]),
        _style("KRProject", body, size, hanging=one_char, before=gap["item"]),
    ):
        styles.append(style)


def paragraph(style: str, runs: tuple[Run, ...] | list[Run] = ()) -> etree._Element:
    p = el("p", None, el("pPr", None, el("pStyle", {"val": style})))
    for run in runs:
        text_runs(p, richtext.clean_text(run.text), run.bold)
    return p


def _gap_twips(kind: str, size: float) -> int:
    """The room above a paragraph of ``kind`` (``layout.GAPS``), in twentieths of a point."""
    return round(layout.GAPS[kind] * size * 20)


def _spaced_cell(pieces: list[tuple[str, Block]], size: float) -> list:
    """A cell's paragraphs, spaced as the PDF's (``layout.GAPS``).

    ``pieces`` are (style, block). The styles keep the room above each
    paragraph, item and broken line; the cell's first paragraph has none,
    except a 「・」 paragraph that is not a list item, set a hair lower to tell
    it from one, as in the PDF.
    """
    out = [paragraph(style, runs) for style, runs in cell_lines(pieces)]
    if not out:
        return [paragraph("KRBody")]
    out[0].find(w("pPr")).append(el("spacing", {"before": str(first_gap(pieces, size))}))
    return out


def cell_lines(pieces: list[tuple[str, Block]]) -> list[tuple[str, tuple[Run, ...]]]:
    """The (style, runs) of each paragraph a cell's pieces are written as."""
    out = []
    for style, block in pieces:
        if style not in _BROKEN:
            out.append((style, block.runs))
            continue
        for number, runs in enumerate(layout.broken_lines(block.runs)):
            out.append((_BROKEN[style] if number else style, runs))
    return out


def first_gap(pieces: list[tuple[str, Block]], size: float) -> int:
    """The room above a cell's first paragraph: a hair for a 「・」 that is not a list item."""
    first = pieces[0][1]
    bullet = first.tag != "li" and first.text.lstrip().startswith("・")
    return _gap_twips("break", size) if bullet else 0


def entry_pieces(blocks: tuple[Block, ...]) -> list[tuple[str, Block]]:
    """The (style, block) pieces of a 実績/予定 cell."""
    return [("KRItem" if b.tag == "li" else "KRBody", b) for b in blocks]


def left_pieces(left: list[layout.LeftBlock]) -> list[tuple[str, Block]]:
    """The (style, block) pieces of a direction's left cell."""
    return [
        (
            "KRItem" if item.role == "body" and item.block.tag == "li" else _ROLE_STYLE[item.role],
            item.block,
        )
        for item in left
    ]


def name_pieces(departments: list[str]) -> list[tuple[str, Block]]:
    """The (style, block) pieces of a 所管部署 cell."""
    return [("KRDept", Block("p", (Run(name),))) for name in departments]


def _entry_blocks(blocks: tuple[Block, ...], size: float) -> list:
    """The paragraphs of a 実績/予定 cell."""
    return _spaced_cell(entry_pieces(blocks), size)


@dataclass(frozen=True)
class Grid:
    widths: tuple[int, ...]

    def width(self, start: int, span: int = 1) -> int:
        return sum(self.widths[start : start + span])


def table_cell(
    grid: Grid,
    column: int,
    content: list,
    *,
    span: int = 1,
    vmerge: str | None = None,
    shade: str = "",
    center: bool = False,
) -> etree._Element:
    tcpr = el("tcPr", None, el("tcW", {"w": str(grid.width(column, span)), "type": "dxa"}))
    if span > 1:
        tcpr.append(el("gridSpan", {"val": str(span)}))
    if vmerge is not None:
        tcpr.append(el("vMerge", {"val": vmerge} if vmerge else None))
    if shade:
        tcpr.append(el("shd", {"val": "clear", "color": "auto", "fill": shade}))
    if center:
        tcpr.append(el("vAlign", {"val": "center"}))
    tc = el("tc", None, tcpr)
    tc.extend(content or [paragraph("KRBody")])
    return tc


def table_row(cells: list, *, header: bool = False, cant_split: bool = True) -> etree._Element:
    trpr = el("trPr")
    # Child order matters to Word: cantSplit before tblHeader.
    if cant_split:
        trpr.append(el("cantSplit"))
    if header:
        trpr.append(el("tblHeader"))
    tr = el("tr", None, trpr)
    tr.extend(cells)
    return tr


def _body_cell(
    grid: Grid, index: int, column: columns.Column, row: layout.TableRow, options: ExportOptions
) -> etree._Element:
    """The cell of a department row in ``column``, by what the column holds."""
    if column.holds == columns.STRUCTURE:
        if not row.first_of_block:
            return table_cell(grid, index, [], vmerge="")
        left = _spaced_cell(left_pieces(row.left), options.size)
        return table_cell(grid, index, left, vmerge="restart" if row.block_size > 1 else None)
    if column.holds == columns.NAMES:
        return table_cell(grid, index, _spaced_cell(name_pieces(row.departments), options.size))
    return table_cell(grid, index, _entry_blocks(row.blocks(column.role), options.size))


def _table(report, options: ExportOptions) -> etree._Element:
    points = layout.column_widths(report, TABLE_W / 20, options.size, 2 * CELL_MARGIN_X / 20)
    widths = [round(value * 20) for value in points]
    widths[-1] = TABLE_W - sum(widths[:-1])
    grid = Grid(tuple(widths))
    tblpr = el(
        "tblPr",
        None,
        el("tblW", {"w": str(TABLE_W), "type": "dxa"}),
        ruled_borders(),
        el("tblLayout", {"type": "fixed"}),
        cell_margins(),
        el(
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
        # The table's text alternative (after tblLook, as the schema orders
        # them), which Word puts in the tagged PDF's table.
        el("tblCaption", {"val": layout.headings(report).title}),
    )
    table = el(
        "tbl", None, tblpr, el("tblGrid", None, *(el("gridCol", {"w": str(v)}) for v in widths))
    )
    shade = "D9D9D9"
    declared = columns.declared()

    def head(text: str) -> list:
        return [paragraph("KRHead", [Run(text)])]

    # The two header rows, as ``columns`` lays them out: a heading over both
    # rows is merged down (vMerge), a group's heading spans its columns.
    cells = layout.headings(report).cells
    upper, lower = [], []
    for cell in cells:
        if cell.row == 0:
            upper.append(
                table_cell(
                    grid,
                    cell.column,
                    head(cell.text),
                    span=cell.span,
                    vmerge="restart" if cell.rows == 2 else None,
                    shade=shade,
                    center=True,
                )
            )
        if cell.rows == 2:
            lower.append((cell.column, table_cell(grid, cell.column, [], vmerge="", shade=shade)))
        elif cell.row == 1:
            lower.append(
                (
                    cell.column,
                    table_cell(grid, cell.column, head(cell.text), shade=shade, center=True),
                )
            )
    table.append(table_row(upper, header=True))
    table.append(
        table_row([tc for _column, tc in sorted(lower, key=lambda item: item[0])], header=True)
    )
    for row in layout.rows(report):
        if row.level in ("goal", "direction"):
            style = "KRGoal" if row.level == "goal" else "KRDirection"
            table.append(
                table_row(
                    [
                        table_cell(
                            grid,
                            0,
                            [paragraph(style, [Run(row.text, True)])],
                            span=len(declared),
                            shade="F2F2F2" if row.level == "goal" else "",
                        )
                    ]
                )
            )
            continue
        # Body rows break across pages as in the original: a row kept whole
        # moves to the next page and leaves a hole where it would have started.
        table.append(
            table_row(
                [
                    _body_cell(grid, index, column, row, options)
                    for index, column in enumerate(declared)
                ],
                cant_split=False,
            )
        )
    return table


def _footer(document) -> None:
    footer = document.sections[0].footer
    paragraph = footer.paragraphs[0]._p
    for child in list(paragraph):
        paragraph.remove(child)
    paragraph.append(el("pPr", None, el("pStyle", {"val": "Footer"}), el("jc", {"val": "center"})))
    text_runs(paragraph, "- ", False)
    paragraph.append(el("fldSimple", {"instr": " PAGE "}, el("r", None, el("t"))))
    paragraph[-1][0][0].text = "1"
    text_runs(paragraph, " / ", False)
    paragraph.append(el("fldSimple", {"instr": " NUMPAGES "}, el("r", None, el("t"))))
    paragraph[-1][0][0].text = "1"
    text_runs(paragraph, " -", False)


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
    sect_pr.append(el("pgSz", {"w": str(PAGE_W), "h": str(PAGE_H), "orient": "landscape"}))
    sect_pr.append(
        el(
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
    body.insert(0, paragraph("KRTitle", [Run(heads.title, True)]))
    body.insert(1, _table(report, options))
    # Word needs a paragraph after a table at the end of the body. At a point's
    # height it stays on the table's last page even when the table fills it, as
    # it may where a stand-in font wraps a line more.
    end = paragraph("KRBody")
    end.find(w("pPr")).append(
        el("spacing", {"before": "0", "after": "0", "line": "20", "lineRule": "exact"})
    )
    end.find(w("pPr")).append(el("rPr", None, el("sz", {"val": "2"}), el("szCs", {"val": "2"})))
    body.insert(2, end)
    kpisection.add(document, report, options, TABLE_W)
    props = document.core_properties
    # The title without its years: the reader takes it back as the report's title.
    props.title = report.title
    props.category = MARKER
    props.subject = heads.title
    props.language = LANGUAGE
    props.author = options.author
    props.last_modified_by = options.author
    return document


def write_file(report, path: Path | str, options: ExportOptions | None = None) -> None:
    """Write the report as a Word file, atomically."""
    write_atomically(path, build(report, options).save)
