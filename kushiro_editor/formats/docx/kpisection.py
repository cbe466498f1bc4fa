"""Word: the KPI section after the text table — its title, the table, a chart per KPI.

The section opens a new page with its title (「数値目標・重要業績評価指標（KPI）の
進捗」, a heading Word lists in its navigation and its tagged PDF's outline),
then the table (``table.kpitable``) in the text table's style — fixed layout,
thin rules, the shaded header row repeated on every page, goal rows shaded,
its caption naming it — its legend, and each KPI's chart as a native Word
chart (``docx.chartpart``: the drawing ``formats.kpichart`` gives the PDF, as a
chart part Word can restyle) with the chart in words as its text
alternative, two to a line. Its styles are added only when the report has
KPIs, so that a report without them is written as before. The Word reader
stops at the title: the section is never read as rows of the text table.
"""

from __future__ import annotations

import copy
import logging
from functools import cache

from lxml import etree

from ...core.richtext import clean_text
from .. import kpichart
from ..table import kpitable
from ..table.layout import ExportOptions
from .chartpart import Charts
from .wml import (
    cell_margins,
    el,
    paragraph_style,
    ruled_borders,
    text_runs,
    w,
)

logger = logging.getLogger(__name__)

# Our styles of the section: ASCII ids, Japanese names, as the text table's.
STYLE_NAMES = {
    "KRKpiTitle": "進捗 指標の表題",
    "KRKpiHead": "進捗 指標の見出し",
    "KRKpiGroup": "進捗 指標の区分",
    "KRKpiCell": "進捗 指標",
    "KRKpiNumber": "進捗 指標の数値",
    "KRKpiCentre": "進捗 指標の中央",
    "KRKpiNote": "進捗 指標の注",
    "KRKpiChart": "進捗 指標のグラフ",
}
HEAD_SHADE, GOAL_SHADE = "D9D9D9", "F2F2F2"
# A chart's width on the page, in points: two side by side fill the line.
CHART_POINTS = 360.0
CHART_HEIGHT = CHART_POINTS * kpichart.HEIGHT / kpichart.WIDTH


def _style(style_id: str, font: str, size: float, **how) -> etree._Element:
    # A page break keeps its title with what follows.
    if how.get("page_break"):
        how["keep_next"] = True
    return paragraph_style(style_id, STYLE_NAMES[style_id], font, size, **how)


def add_styles(document, options: ExportOptions) -> None:
    """The section's paragraph styles, in the fonts of the text table."""
    body, head, size = options.font, options.heading_font, options.size
    styles = document.styles.element
    for style in (
        _style(
            "KRKpiTitle",
            head,
            size + 3,
            bold=True,
            align="center",
            after=120,
            page_break=True,
            outline=True,
        ),
        _style("KRKpiHead", head, size, bold=True, align="center"),
        _style("KRKpiGroup", head, size, bold=True),
        _style("KRKpiCell", body, size),
        _style("KRKpiNumber", body, size, align="right"),
        _style("KRKpiCentre", body, size, align="center"),
        _style("KRKpiNote", body, size * 0.9, before=40),
        _style("KRKpiChart", body, size, before=120, exact=False),
    ):
        styles.append(style)


# A report with many KPIs has thousands of cells: each cell, paragraph and run
# is a copy of one built once (a copy costs a fifth of building it anew).
@cache
def _prototype(kind: str, *key) -> etree._Element:
    if kind == "p":
        return el("p", None, el("pPr", None, el("pStyle", {"val": key[0]})))
    if kind == "r":
        return el("r", None, el("rPr", None, el("b"), el("bCs"))) if key[0] else el("r")
    width, span, shade = key
    tcpr = el("tcPr", None, el("tcW", {"w": str(width), "type": "dxa"}))
    if span > 1:
        tcpr.append(el("gridSpan", {"val": str(span)}))
    if shade:
        tcpr.append(el("shd", {"val": "clear", "color": "auto", "fill": shade}))
    return el("tc", None, tcpr)


def _paragraph(style: str, text: str = "", bold: bool = False) -> etree._Element:
    p = copy.deepcopy(_prototype("p", style))
    if text:
        text = clean_text(text)
        if text and "\n" not in text and text == text.strip(" "):
            run = copy.deepcopy(_prototype("r", bold))
            etree.SubElement(run, w("t")).text = text
            p.append(run)
        else:
            text_runs(p, text, bold)  # line breaks and edge spaces
    return p


def _cell(width: int, paragraphs: list, *, span: int = 1, shade: str = "") -> etree._Element:
    tc = copy.deepcopy(_prototype("tc", width, span, shade))
    tc.extend(paragraphs or [_paragraph("KRKpiCell")])
    return tc


def _row(cells: list, *, header: bool = False) -> etree._Element:
    trpr = el("trPr", None, el("cantSplit"))
    if header:
        trpr.append(el("tblHeader"))
    tr = el("tr", None, trpr)
    tr.extend(cells)
    return tr


def _number_cell(number: kpitable.Number) -> list:
    out = [_paragraph("KRKpiNumber", number.text)]
    if number.note:
        out.append(_paragraph("KRKpiNumber", f"（{number.note}）"))
    return out


def _kpi_cells(table: kpitable.KpiTable, item: kpitable.Row) -> list[list]:
    texts = item.cells()
    out = []
    for index, column in enumerate(table.columns):
        if column.role == kpitable.BASELINE:
            out.append(_number_cell(item.baseline))
        elif column.role == kpitable.TARGET:
            out.append(_number_cell(item.target))
        elif column.year is not None:
            out.append(_number_cell(item.values[table.years.index(column.year)]))
        elif column.role == kpitable.RATE:
            out.append([_paragraph("KRKpiNumber", texts[index])])
        elif column.role in (kpitable.UNIT, kpitable.RATING):
            out.append([_paragraph("KRKpiCentre", texts[index])])
        elif column.role == kpitable.DEPARTMENTS:
            out.append([_paragraph("KRKpiCell", name) for name in item.kpi.departments])
        else:
            out.append([_paragraph("KRKpiCell", texts[index])])
    return out


def table_element(table: kpitable.KpiTable, total: int) -> etree._Element:
    """The KPI table, ``total`` twentieths of a point wide, its header row repeated."""
    widths = [round(total * column.share) for column in table.columns]
    widths[-1] = total - sum(widths[:-1])
    tblpr = el(
        "tblPr",
        None,
        el("tblW", {"w": str(total), "type": "dxa"}),
        ruled_borders(),
        el("tblLayout", {"type": "fixed"}),
        cell_margins(),
        el("tblLook", {"val": "0000", "firstRow": "1", "noHBand": "1", "noVBand": "1"}),
        el("tblCaption", {"val": kpitable.TITLE}),
    )
    grid = el("tblGrid", None, *(el("gridCol", {"w": str(v)}) for v in widths))
    out = el("tbl", None, tblpr, grid)
    out.append(
        _row(
            [
                _cell(width, [_paragraph("KRKpiHead", heading)], shade=HEAD_SHADE)
                for width, heading in zip(widths, table.headings, strict=True)
            ],
            header=True,
        )
    )
    for item in table.rows:
        if item.kpi is None:
            shade = GOAL_SHADE if item.level == "goal" else ""
            group = _paragraph("KRKpiGroup", item.text, bold=True)
            out.append(_row([_cell(total, [group], span=len(widths), shade=shade)]))
            continue
        cells = _kpi_cells(table, item)
        out.append(_row([_cell(wd, c) for wd, c in zip(widths, cells, strict=True)]))
    return out


def add(document, report, options: ExportOptions, total: int) -> None:
    """Append the section to the document's body when the report has KPIs."""

    table = kpitable.build(report)
    if table is None:
        return
    add_styles(document, options)
    body = document.element.body
    end = body.find(w("sectPr"))

    def append(element: etree._Element) -> etree._Element:
        end.addprevious(element)
        return element

    append(_paragraph("KRKpiTitle", kpitable.TITLE, bold=True))
    append(table_element(table, total))
    for line in table.legend:
        append(_paragraph("KRKpiNote", line))
    append(_charts(document, table.kpi_rows(), options, total))


def _charts(document, rows: list[kpitable.Row], options: ExportOptions, total: int):
    """The charts two to a row of a table without rules, which keeps each pair side by side."""
    half = total // 2
    nil = {"val": "nil"}
    tblpr = el(
        "tblPr",
        None,
        el("tblW", {"w": str(total), "type": "dxa"}),
        el(
            "tblBorders",
            None,
            *(el(side, nil) for side in ("top", "left", "bottom", "right", "insideH", "insideV")),
        ),
        el("tblLayout", {"type": "fixed"}),
        el(
            "tblCellMar",
            None,
            el("left", {"w": "0", "type": "dxa"}),
            el("right", {"w": "0", "type": "dxa"}),
        ),
        # A layout table: its charts carry the text alternatives, the table needs none.
        el("tblLook", {"val": "0000", "firstRow": "0", "noHBand": "1", "noVBand": "1"}),
    )
    out = el(
        "tbl",
        None,
        tblpr,
        el(
            "tblGrid",
            None,
            el("gridCol", {"w": str(half)}),
            el("gridCol", {"w": str(total - half)}),
        ),
    )
    charts = Charts(document)
    for start in range(0, len(rows), 2):
        cells = []
        for item in (*rows[start : start + 2], None)[:2]:
            paragraph = _paragraph("KRKpiChart")
            if item is not None:
                drawing = charts.add(item.kpi, options, CHART_POINTS, CHART_HEIGHT)
                paragraph.append(el("r", None, drawing))
            cell = el("tc", None, el("tcPr", None, el("tcW", {"w": str(half), "type": "dxa"})))
            cell.append(paragraph)
            cells.append(cell)
        out.append(el("tr", None, el("trPr", None, el("cantSplit")), *cells))
    return out
