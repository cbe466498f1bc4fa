"""Excel: the native line chart of each KPI on the sheet 「指標」.

``line_chart`` builds a KPI's chart with openpyxl: its values as a line with
points, the target path dashed, the texts in the export's fonts. Built and
serialised through openpyxl's descriptors, one chart costs more than the rest
of its KPI's block (about 3 ms, most of an export with KPIs), and every KPI's
chart differs from another's only in its title and the cells its series refer
to. So ``Charts`` builds one KPI's chart with openpyxl (once for each set of
export options), keeps its XML, and gives every KPI a copy of that XML with its
own title and references put in: the same part, byte for byte, that openpyxl
would have written for it (``tests/formats/xlsx/test_kpicharts.py`` compares them).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field

from openpyxl.chart._chart import ChartBase

from .. import kpichart

CHART_W_CM, CHART_H_CM = 16.0, 5.8
# Where a chart's XML holds what differs from one KPI's chart to another's, by
# the elements' local names: openpyxl's own tree leaves the chart's elements
# unqualified (it declares their namespace on the root only), the DrawingML ones not.
_TITLE_TEXT = ("chart", "title", "tx", "rich", "p", "r", "t")
_SERIES = ("chart", "plotArea", "lineChart")
_FORMULAS = (("tx", "strRef", "f"), ("cat", "numRef", "f"), ("val", "numRef", "f"))
# The chart built for each ExportOptions, with its slots, kept for the next
# export: only the options' fonts and size shape it. A few options at most.
_TEMPLATES: dict[object, tuple[object, list[tuple[int, ...]]]] = {}
_KEPT_TEMPLATES = 8


@dataclass(frozen=True)
class Place:
    """Where a KPI's chart data stands: the row of its years and the last column of a year."""

    sheet: object
    labels: int
    last: int


def _character(font: str, size: float, bold: bool = False):
    from openpyxl.drawing.text import CharacterProperties, Font

    # The East-Asian typeface too: as in a cell, Excel sets Japanese only through it.
    face = Font(typeface=font)
    return CharacterProperties(sz=round(size * 100), b=bold, latin=face, ea=face)


def _chart_text(font: str, size: float):
    """A chart part's text properties (axis labels, legend) in the export's font."""
    from openpyxl.chart.text import RichText
    from openpyxl.drawing.text import Paragraph, ParagraphProperties

    props = _character(font, size)
    return RichText(p=[Paragraph(pPr=ParagraphProperties(defRPr=props), endParaRPr=props)])


def _title(text: str, font: str, size: float):
    """A chart title in the export's heading font, smaller than Excel's 14 pt default."""
    from openpyxl.chart.text import RichText, Text
    from openpyxl.chart.title import Title
    from openpyxl.drawing.text import Paragraph, ParagraphProperties, RegularTextRun

    props = _character(font, size, bold=True)
    run = RegularTextRun(rPr=props, t=text)
    paragraph = Paragraph(pPr=ParagraphProperties(defRPr=props), r=[run])
    return Title(tx=Text(rich=RichText(p=[paragraph])), overlay=False)


def line_chart(kpi, place: Place, options):
    """The KPI's chart built with openpyxl, its series referring to the data at ``place``."""
    from openpyxl.chart import LineChart, Reference

    chart = LineChart()
    chart.title = _title(kpichart.title(kpi), options.heading_font, options.size + 1)
    text = _chart_text(options.font, options.size - 1)
    chart.x_axis.txPr = chart.y_axis.txPr = chart.legend.txPr = text
    chart.style = 2
    chart.height, chart.width = CHART_H_CM, CHART_W_CM
    chart.display_blanks = "span"  # the path has points only at some years
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    # The years stay under the plot when the values are below zero (社会増減数).
    chart.x_axis.crosses = "min"
    chart.x_axis.tickLblPos = "low"
    chart.legend.position = "b"
    labels, last = place.labels, place.last
    data = Reference(place.sheet, min_col=1, max_col=last, min_row=labels + 1, max_row=labels + 2)
    chart.add_data(data, from_rows=True, titles_from_data=True)
    chart.set_categories(Reference(place.sheet, min_col=2, max_col=last, min_row=labels))
    measured, target = chart.series
    measured.graphicalProperties.line.solidFill = kpichart.VALUE_COLOUR[1:]
    measured.graphicalProperties.line.width = 28575  # 2.25 pt in EMU
    measured.marker.symbol = "circle"
    measured.marker.size = 6
    measured.marker.graphicalProperties.solidFill = kpichart.VALUE_COLOUR[1:]
    measured.marker.graphicalProperties.line.solidFill = kpichart.VALUE_COLOUR[1:]
    target.graphicalProperties.line.solidFill = kpichart.PATH_COLOUR[1:]
    target.graphicalProperties.line.dashStyle = "dash"
    target.graphicalProperties.line.width = 19050
    target.marker.symbol = "square"
    target.marker.size = 5
    target.marker.graphicalProperties.solidFill = "FFFFFF"
    target.marker.graphicalProperties.line.solidFill = kpichart.PATH_COLOUR[1:]
    target.smooth = measured.smooth = False
    return chart


def series_formulas(place: Place) -> list[tuple[str, str, str]]:
    """What ``line_chart``'s two series refer to, as openpyxl writes it: title cell, years, values.

    ``Reference`` writes a range absolute, a range of one cell as that cell;
    ``SeriesFactory`` a series' title, taken from the data's first cell, relative.
    """
    from openpyxl.utils import get_column_letter, quote_sheetname

    sheet = quote_sheetname(place.sheet.title)
    last = get_column_letter(place.last)

    def cells(row: int) -> str:
        return f"{sheet}!$B${row}" + (f":${last}${row}" if place.last > 2 else "")

    return [
        (f"{sheet}!A{row}", cells(place.labels), cells(row))
        for row in (place.labels + 1, place.labels + 2)
    ]


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _path(element, names: tuple[str, ...], start: tuple[int, ...] = ()) -> tuple[int, ...]:
    """The positions leading from ``element`` along ``names`` (local names), each found once."""
    path = start
    for name in names:
        found = [at for at, child in enumerate(element) if _local(child.tag) == name]
        if len(found) != 1:
            raise ValueError(f"openpyxl の書くグラフに {name} が {len(found)} 個あります")
        element = element[found[0]]
        path = (*path, found[0])
    return path


def _slots(tree) -> list[tuple[int, ...]]:
    """Where the title's text and each series' three formulas stand, in the order filled."""
    chart = _path(tree, _SERIES)
    plot = _at(tree, chart)
    series = [(*chart, at) for at, child in enumerate(plot) if _local(child.tag) == "ser"]
    if len(series) != 2:
        raise ValueError(f"openpyxl の書くグラフの系列が {len(series)} 個あります")
    formulas = [_path(_at(tree, ser), names, ser) for ser in series for names in _FORMULAS]
    return [_path(tree, _TITLE_TEXT), *formulas]


def _at(tree, path: tuple[int, ...]):
    for at in path:
        tree = tree[at]
    return tree


class FilledChart(ChartBase):
    """A chart whose XML is ready: openpyxl's writer places and writes it as any chart.

    It must be a ``ChartBase``, which the drawing's writer tests for. It relies
    on openpyxl (3.1) writing a chart part as ``tostring(chart._write())`` and
    placing it by ``anchor``, ``width`` and ``height``: a private method, which
    ``tests/formats/xlsx/test_kpicharts.py`` pins by writing a workbook.
    """

    # Each is a part of its own: equal by identity, as openpyxl's writer
    # refuses a chart put twice by comparing them (ChartBase compares fields).
    __eq__ = object.__eq__
    __hash__ = object.__hash__

    def __init__(self, tree, width: float, height: float):
        # ChartBase.__init__ is not called: setting its descriptors is what costs.
        self._tree = tree
        self.width, self.height = width, height

    def _write(self):
        return self._tree


@dataclass
class Charts:
    """The KPIs' charts of one sheet: one built with openpyxl, its XML filled in for each.

    The chart is built for the first KPI of the first export with these options.
    """

    options: object
    template: object = field(default=None)
    slots: list[tuple[int, ...]] = field(default_factory=list)

    def chart(self, kpi, place: Place) -> FilledChart:
        """The KPI's chart, the same as ``line_chart`` would write."""
        if self.template is None:
            if self.options not in _TEMPLATES:
                if len(_TEMPLATES) >= _KEPT_TEMPLATES:
                    _TEMPLATES.clear()
                tree = line_chart(kpi, place, self.options)._write()
                _TEMPLATES[self.options] = (tree, _slots(tree))
            self.template, self.slots = _TEMPLATES[self.options]
        tree = copy.deepcopy(self.template)
        texts = [kpichart.title(kpi), *(f for series in series_formulas(place) for f in series)]
        for slot, text in zip(self.slots, texts, strict=True):
            _at(tree, slot).text = text
        return FilledChart(tree, CHART_W_CM, CHART_H_CM)
