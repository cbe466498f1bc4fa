"""PDF: the KPI section after the text table — its heading in the outline, the table, the charts.

The section starts on a page of its own, under a page template without the
text table's header rows (``TEMPLATE``), so that the PDF reader, which stops
at the section's title (``kpitable.starts_section``), reads the text table exactly as
from a file without KPIs. The table (``table.kpitable``) is a ReportLab table
whose header row repeats on every page; each KPI's chart is the shared
drawing (``formats.kpichart``) placed as vectors, two to a row.
"""

from __future__ import annotations

import logging
from xml.sax.saxutils import escape

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    Frame,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from ...core.model import Report
from .. import kpichart
from ..table import kpitable
from ..table.layout import ExportOptions

logger = logging.getLogger(__name__)

TEMPLATE = "kpi"
BOOKMARK = "kr-kpi"
PAD = 2.85
CHARTS_PER_ROW = 2


class SectionTitle(Flowable):
    """The section's title, with its bookmark and its entry at the outline's first level."""

    def __init__(self, text: str, font: str, size: float, width: float) -> None:
        super().__init__()
        self.text, self.font, self.size, self.width = text, font, size, width
        self.height = size * 2.2

    def wrap(self, availWidth, availHeight):  # noqa: N803 (ReportLab's names)
        """As wide as the frame, two lines high."""
        return self.width, self.height

    def draw(self):
        """The title centred, as the text table's title is."""
        canvas = self.canv
        canvas.bookmarkHorizontal(BOOKMARK, 0, self.height)
        canvas.addOutlineEntry(self.text, BOOKMARK, 0)
        canvas.setFont(self.font, self.size)
        canvas.drawCentredString(self.width / 2, self.height - self.size - 3, self.text)


def page_template(page_w: float, page_h: float, margin: float) -> PageTemplate:
    """The section's pages: the whole page inside the margins, no header rows."""
    frame = Frame(margin, margin, page_w - 2 * margin, page_h - 2 * margin, 0, 0, 0, 0, id="kpi")
    return PageTemplate(TEMPLATE, [frame])


def _styles(body_font: str, heading_font: str, size: float) -> dict[str, ParagraphStyle]:
    base = ParagraphStyle(
        "kpi", fontName=body_font, fontSize=size, leading=size * 1.2, wordWrap="CJK"
    )
    return {
        "body": base,
        "number": ParagraphStyle("kpi-number", parent=base, alignment=2),
        "centre": ParagraphStyle("kpi-centre", parent=base, alignment=1),
        "head": ParagraphStyle("kpi-head", parent=base, fontName=heading_font, alignment=1),
        "group": ParagraphStyle("kpi-group", parent=base, fontName=heading_font),
        "legend": ParagraphStyle("kpi-legend", parent=base, fontSize=size * 0.9),
    }


def _number(number: kpitable.Number) -> str:
    # The note on a line of its own under the number, as a narrow column wraps it anyway.
    text = escape(number.text)
    return f"{text}<br/>（{escape(number.note)}）" if number.note else text


def _numbers(table: kpitable.KpiTable, item: kpitable.Row) -> dict[int, kpitable.Number]:
    """The numbers of a KPI's row by column: baseline, target and one per year."""
    out = {table.index(kpitable.BASELINE): item.baseline, table.index(kpitable.TARGET): item.target}
    for index, column in enumerate(table.columns):
        if column.year is not None:
            out[index] = item.values[table.years.index(column.year)]
    return out


def table_flowable(
    table: kpitable.KpiTable,
    width: float,
    styles: dict[str, ParagraphStyle],
    fills: tuple[tuple[float, float, float], tuple[float, float, float]],
) -> Table:
    """The KPI table as a ReportLab table, its header row repeated on every page.

    ``fills`` are the text table's: its header's and its goal rows'.
    """
    head_fill, goal_fill = fills
    count = len(table.columns)
    data: list[list] = [[Paragraph(escape(h), styles["head"]) for h in table.headings]]
    commands: list[tuple] = [
        # Cells without a paragraph (those a span covers) are set in the table's
        # font: ReportLab's default, Helvetica, would be named unembedded.
        ("FONT", (0, 0), (-1, -1), styles["body"].fontName, styles["body"].fontSize),
        ("GRID", (0, 0), (-1, -1), 0.5, (0, 0, 0)),
        ("BACKGROUND", (0, 0), (-1, 0), head_fill),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), PAD),
        ("RIGHTPADDING", (0, 0), (-1, -1), PAD),
        ("TOPPADDING", (0, 0), (-1, -1), 1.4),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]
    for item in table.rows:
        at = len(data)
        if item.kpi is None:
            data.append([Paragraph(f"<b>{escape(item.text)}</b>", styles["group"])])
            data[-1] += [""] * (count - 1)
            commands.append(("SPAN", (0, at), (-1, at)))
            if item.level == "goal":
                commands.append(("BACKGROUND", (0, at), (-1, at), goal_fill))
            continue
        texts = item.cells()
        numbers = _numbers(table, item)
        cells = []
        for index, column in enumerate(table.columns):
            if index in numbers:
                cells.append(Paragraph(_number(numbers[index]), styles["number"]))
            elif column.role == kpitable.RATE:
                cells.append(Paragraph(escape(texts[index]), styles["number"]))
            elif column.role in (kpitable.UNIT, kpitable.RATING):
                cells.append(Paragraph(escape(texts[index]), styles["centre"]))
            elif column.role == kpitable.DEPARTMENTS:
                names = "<br/>".join(escape(n) for n in item.kpi.departments)
                cells.append(Paragraph(names, styles["body"]))
            else:
                cells.append(Paragraph(escape(texts[index]), styles["body"]))
        data.append(cells)
    widths = [width * column.share for column in table.columns]
    flowable = Table(data, colWidths=widths, repeatRows=1, hAlign="CENTER")
    flowable.setStyle(TableStyle(commands))
    return flowable


def story(
    report: Report,
    options: ExportOptions,
    fonts: tuple[str, str],
    width: float,
    fills: tuple[tuple[float, float, float], tuple[float, float, float]],
) -> list[Flowable]:
    """The section's flowables after the text table; none for a report without KPIs.

    ``fonts`` are the registered body and heading fonts, ``fills`` the text table's.
    """
    table = kpitable.build(report)
    if table is None:
        return []
    body_font, heading_font = fonts
    styles = _styles(body_font, heading_font, options.size)
    out: list[Flowable] = [
        NextPageTemplate(TEMPLATE),
        PageBreak(),
        SectionTitle(kpitable.TITLE, heading_font, options.size + 3, width),
        table_flowable(table, width, styles, fills),
        Spacer(1, 4),
        *(Paragraph(escape(line), styles["legend"]) for line in table.legend),
        Spacer(1, 10),
    ]
    drawings = [kpichart.drawing(row.kpi, options) for row in table.kpi_rows()]
    gap = (width - CHARTS_PER_ROW * kpichart.WIDTH) / max(CHARTS_PER_ROW - 1, 1)
    for start in range(0, len(drawings), CHARTS_PER_ROW):
        row = drawings[start : start + CHARTS_PER_ROW]
        row += [""] * (CHARTS_PER_ROW - len(row))
        widths = [kpichart.WIDTH + gap] * (CHARTS_PER_ROW - 1) + [kpichart.WIDTH]
        charts = Table([row], colWidths=widths, hAlign="LEFT")
        charts.setStyle(
            TableStyle(
                [
                    ("FONT", (0, 0), (-1, -1), body_font, options.size),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ]
            )
        )
        out += [CondPageBreak(kpichart.HEIGHT + 8), charts, Spacer(1, 8)]
    return out
