"""Word: a KPI's chart as a native Word chart — a DrawingML chart part and its inline drawing.

The same chart the PDF draws (``formats.kpichart``): a line chart of the
values by year, solid with round markers, and the target path (baseline →
yearly targets → target) dashed with square markers, the years in era labels
(「R2」), the KPI's name as its title, the value axis on the PDF's round
gridlines, in the export's fonts. Word and LibreOffice draw it from the
series' cached values (``c:numCache``/``c:strCache``), so no workbook is
embedded: Word's 「データの編集」 then has no workbook to open, and the
chart's numbers are edited in the report, where they come from.

A picture of the chart cost tens of milliseconds to render and python-docx
looked through every image part to add each one; a chart part is a copy of
a template parsed once with its numbers filled in, and the part names,
relationship ids and drawing ids are counted here rather than looked up
per chart.
"""

from __future__ import annotations

import copy
import logging
from decimal import Decimal
from functools import cache, lru_cache

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from lxml import etree

from ...core.model import Kpi
from .. import kpichart
from ..table.layout import ExportOptions
from .wml import LANGUAGE, WP, el

logger = logging.getLogger(__name__)

C = "http://schemas.openxmlformats.org/drawingml/2006/chart"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.drawingml.chart+xml"
PART_NAME = "/word/charts/chart{}.xml"
EMU_PER_POINT = 12700
TEXT_SIZE = 7.5  # points, as the PDF's chart
NS = {"c": C, "a": A, "r": R, "wp": WP}

# The series' formulas name cells of a workbook that is not there: Word reads
# only the caches under them, but wants a formula to hold a cache. The years'
# axis crosses the value axis at its low end (``c:crosses val="min"``), where the
# PDF draws it, also when every value is below zero.
_TEMPLATE = f"""\
<c:chartSpace xmlns:c="{C}" xmlns:a="{A}" xmlns:r="{R}">
 <c:date1904 val="0"/><c:lang val="{LANGUAGE}"/><c:roundedCorners val="0"/>
 <c:chart>
  <c:title>
   <c:tx><c:rich><a:bodyPr/><a:lstStyle/><a:p>
    <a:pPr><a:defRPr sz="900" b="1"/></a:pPr>
    <a:r><a:rPr lang="{LANGUAGE}" altLang="en-US" sz="900" b="1">
     <a:latin typeface=""/><a:ea typeface=""/></a:rPr><a:t/></a:r>
   </a:p></c:rich></c:tx>
   <c:overlay val="0"/>
  </c:title>
  <c:autoTitleDeleted val="0"/>
  <c:plotArea>
   <c:layout/>
   <c:lineChart>
    <c:grouping val="standard"/><c:varyColors val="0"/>
    <c:ser>
     <c:idx val="0"/><c:order val="0"/>
     <c:tx><c:strRef><c:f>Sheet1!$B$1</c:f><c:strCache><c:ptCount val="1"/>
      <c:pt idx="0"><c:v/></c:pt></c:strCache></c:strRef></c:tx>
     <c:spPr><a:ln w="20320" cap="rnd"><a:solidFill><a:srgbClr val=""/></a:solidFill>
      <a:prstDash val="solid"/><a:round/></a:ln></c:spPr>
     <c:marker><c:symbol val="circle"/><c:size val="5"/>
      <c:spPr><a:solidFill><a:srgbClr val=""/></a:solidFill>
       <a:ln w="9525"><a:solidFill><a:srgbClr val=""/></a:solidFill></a:ln></c:spPr></c:marker>
     <c:cat><c:strRef><c:f>Sheet1!$A$2</c:f><c:strCache><c:ptCount val="0"/></c:strCache>
     </c:strRef></c:cat>
     <c:val><c:numRef><c:f>Sheet1!$B$2</c:f><c:numCache><c:formatCode>General</c:formatCode>
      <c:ptCount val="0"/></c:numCache></c:numRef></c:val>
     <c:smooth val="0"/>
    </c:ser>
    <c:ser>
     <c:idx val="1"/><c:order val="1"/>
     <c:tx><c:strRef><c:f>Sheet1!$C$1</c:f><c:strCache><c:ptCount val="1"/>
      <c:pt idx="0"><c:v/></c:pt></c:strCache></c:strRef></c:tx>
     <c:spPr><a:ln w="15240" cap="flat"><a:solidFill><a:srgbClr val=""/></a:solidFill>
      <a:prstDash val="dash"/><a:round/></a:ln></c:spPr>
     <c:marker><c:symbol val="square"/><c:size val="4"/>
      <c:spPr><a:solidFill><a:srgbClr val="FFFFFF"/></a:solidFill>
       <a:ln w="9525"><a:solidFill><a:srgbClr val=""/></a:solidFill></a:ln></c:spPr></c:marker>
     <c:cat><c:strRef><c:f>Sheet1!$A$2</c:f><c:strCache><c:ptCount val="0"/></c:strCache>
     </c:strRef></c:cat>
     <c:val><c:numRef><c:f>Sheet1!$C$2</c:f><c:numCache><c:formatCode>General</c:formatCode>
      <c:ptCount val="0"/></c:numCache></c:numRef></c:val>
     <c:smooth val="0"/>
    </c:ser>
    <c:marker val="1"/>
    <c:axId val="1001"/><c:axId val="1002"/>
   </c:lineChart>
   <c:catAx>
    <c:axId val="1001"/><c:scaling><c:orientation val="minMax"/></c:scaling>
    <c:delete val="0"/><c:axPos val="b"/>
    <c:numFmt formatCode="General" sourceLinked="0"/>
    <c:majorTickMark val="out"/><c:minorTickMark val="none"/><c:tickLblPos val="nextTo"/>
    <c:spPr><a:ln w="7620"><a:solidFill><a:srgbClr val="000000"/></a:solidFill></a:ln></c:spPr>
    <c:crossAx val="1002"/><c:crosses val="min"/>
    <c:auto val="1"/><c:lblAlgn val="ctr"/><c:lblOffset val="100"/>
    <c:tickLblSkip val="1"/><c:noMultiLvlLbl val="0"/>
   </c:catAx>
   <c:valAx>
    <c:axId val="1002"/>
    <c:scaling><c:orientation val="minMax"/><c:max val="1"/><c:min val="0"/></c:scaling>
    <c:delete val="0"/><c:axPos val="l"/>
    <c:majorGridlines><c:spPr><a:ln w="5080"><a:solidFill><a:srgbClr val="CCCCCC"/>
     </a:solidFill></a:ln></c:spPr></c:majorGridlines>
    <c:numFmt formatCode="#,##0" sourceLinked="0"/>
    <c:majorTickMark val="none"/><c:minorTickMark val="none"/><c:tickLblPos val="nextTo"/>
    <c:spPr><a:ln w="7620"><a:solidFill><a:srgbClr val="000000"/></a:solidFill></a:ln></c:spPr>
    <c:crossAx val="1001"/><c:crosses val="autoZero"/>
    <c:crossBetween val="midCat"/><c:majorUnit val="1"/>
   </c:valAx>
  </c:plotArea>
  <c:legend><c:legendPos val="t"/><c:overlay val="0"/></c:legend>
  <c:plotVisOnly val="1"/>
  <c:dispBlanksAs val="span"/>
 </c:chart>
 <c:spPr><a:solidFill><a:srgbClr val="FFFFFF"/></a:solidFill>
  <a:ln w="9525"><a:solidFill><a:srgbClr val="999999"/></a:solidFill></a:ln></c:spPr>
 <c:txPr><a:bodyPr/><a:lstStyle/><a:p>
  <a:pPr><a:defRPr sz="{round(TEXT_SIZE * 100)}"><a:latin typeface=""/><a:ea typeface=""/>
  </a:defRPr></a:pPr><a:endParaRPr lang="{LANGUAGE}"/></a:p></c:txPr>
</c:chartSpace>
"""

_INLINE = f"""\
<wp:inline xmlns:wp="{WP}" xmlns:a="{A}" xmlns:c="{C}" xmlns:r="{R}"
  distT="0" distB="0" distL="0" distR="0">
 <wp:extent cx="0" cy="0"/><wp:effectExtent l="0" t="0" r="0" b="0"/>
 <wp:docPr id="0" name="" descr=""/>
 <wp:cNvGraphicFramePr/>
 <a:graphic><a:graphicData uri="{C}"><c:chart r:id=""/></a:graphicData></a:graphic>
</wp:inline>
"""


# Where the template's variable nodes are (lxml paths), found once and kept as
# child positions: looking them up by path in every copy cost more than the rest.
_SLOTS = {
    "title": "c:chart/c:title//a:t",
    "heading_faces": "c:chart/c:title//a:rPr/*",
    "body_faces": "c:txPr//a:defRPr/*",
    "max": ".//c:valAx/c:scaling/c:max",
    "min": ".//c:valAx/c:scaling/c:min",
    "step": ".//c:valAx/c:majorUnit",
    "format": ".//c:valAx/c:numFmt",
    "skip": ".//c:catAx/c:tickLblSkip",
}
_SERIES_SLOTS = {
    "name": "c:tx//c:v",
    "colours": ".//a:srgbClr[@val='']",
    "cat_formula": "c:cat//c:f",
    "cat_cache": "c:cat//c:strCache",
    "val_formula": "c:val//c:f",
    "val_cache": "c:val//c:numCache",
}
_PT, _V, _PT_COUNT = f"{{{C}}}pt", f"{{{C}}}v", f"{{{C}}}ptCount"


def _position(root: etree._Element, node: etree._Element) -> tuple[int, ...]:
    out = []
    while node is not root:
        parent = node.getparent()
        out.append(parent.index(node))
        node = parent
    return tuple(reversed(out))


@cache
def _templates() -> tuple[etree._Element, etree._Element, dict, list[dict]]:
    parser = etree.XMLParser(remove_blank_text=True)
    space = etree.fromstring(_TEMPLATE, parser)

    def positions(base: etree._Element, path: str) -> list[tuple[int, ...]]:
        return [_position(space, node) for node in base.iterfind(path, NS)]

    slots = {key: positions(space, path) for key, path in _SLOTS.items()}
    series = [
        {key: positions(ser, path) for key, path in _SERIES_SLOTS.items()}
        for ser in space.iterfind(".//c:ser", NS)
    ]
    return space, etree.fromstring(_INLINE, parser), slots, series


def _at(root: etree._Element, positions: list[tuple[int, ...]]) -> list[etree._Element]:
    out = []
    for position in positions:
        node = root
        for index in position:
            node = node[index]
        out.append(node)
    return out


def _number(value: Decimal | float) -> str:
    """A number as the cache and the axis hold it: plain decimals, no exponent, no float noise."""
    if not isinstance(value, Decimal):
        value = Decimal(repr(round(value, 10)))
    return format(value, "f")


def _points(holder: etree._Element, values: list[str | None]) -> None:
    """Fill a cache: its count, then one ``c:pt`` per known value (a gap is no point)."""
    holder.find(_PT_COUNT).set("val", str(len(values)))
    for index, value in enumerate(values):
        if value is not None:
            etree.SubElement(etree.SubElement(holder, _PT, idx=str(index)), _V).text = value


@lru_cache(maxsize=64)
def _categories(labels: tuple[str, ...]) -> etree._Element:
    """The years' ``c:strCache``: most KPIs of a report span the same years."""
    out = etree.Element(f"{{{C}}}strCache")
    etree.SubElement(out, _PT_COUNT)
    _points(out, list(labels))
    return out


def chart_space(kpi: Kpi, options: ExportOptions | None = None) -> etree._Element:
    """The chart part's XML (``c:chartSpace``) of a KPI's chart."""
    options = options or ExportOptions()
    template, _inline, slots, series_slots = _templates()
    space = copy.deepcopy(template)

    def one(key: str) -> etree._Element:
        return _at(space, slots[key])[0]

    one("title").text = kpichart.title(kpi)
    for face in _at(space, slots["heading_faces"]):
        face.set("typeface", options.heading_font)
    for face in _at(space, slots["body_faces"]):
        face.set("typeface", options.font)
    years = kpichart.years(kpi)
    labels = tuple(kpichart.year_label(year) for year in years)
    last = len(years) + 1
    colours = (kpichart.VALUE_COLOUR[1:].upper(), kpichart.PATH_COLOUR[1:].upper())
    names = (kpichart.VALUES_LABEL, kpichart.PATH_SERIES)
    lines = (kpichart.value_points(kpi), kpichart.path_points(kpi))
    for ser, column, colour, name, points in zip(
        series_slots, "BC", colours, names, lines, strict=True
    ):
        _at(space, ser["name"])[0].text = name
        for fill in _at(space, ser["colours"]):
            fill.set("val", colour)
        _at(space, ser["cat_formula"])[0].text = f"Sheet1!$A$2:$A${last}"
        cat_cache = _at(space, ser["cat_cache"])[0]
        cat_cache.getparent().replace(cat_cache, copy.deepcopy(_categories(labels)))
        _at(space, ser["val_formula"])[0].text = f"Sheet1!${column}$2:${column}${last}"
        by_year = {year: _number(value) for year, value in points}
        _points(_at(space, ser["val_cache"])[0], [by_year.get(year) for year in years])
    if years:
        scale = kpichart.value_scale(kpi)
        one("max").set("val", _number(scale.high))
        one("min").set("val", _number(scale.low))
        one("step").set("val", _number(scale.step))
        one("format").set("formatCode", _format_code(scale.step))
        # At most eight labels under the axis, as the PDF's chart, so that none overlap.
        one("skip").set("val", str(max(1, -(-len(years) // 8))))
    return space


def _format_code(step: float) -> str:
    """The value axis' number format: as many decimals as its step needs."""
    places = len(kpichart.tick_text(step, step).partition(".")[2])
    return "#,##0" + ("." + "0" * places if places else "")


def inline(rid: str, drawing_id: int, description: str, width: float, height: float):
    """The ``wp:inline`` drawing that shows a chart part, ``width`` by ``height`` points."""
    if not description.strip():
        raise ValueError("a chart needs a text alternative")
    out = copy.deepcopy(_templates()[1])
    extent = out.find("wp:extent", NS)
    extent.set("cx", str(round(width * EMU_PER_POINT)))
    extent.set("cy", str(round(height * EMU_PER_POINT)))
    doc_pr = out.find("wp:docPr", NS)
    doc_pr.set("id", str(drawing_id))
    doc_pr.set("name", f"グラフ {drawing_id}")
    doc_pr.set("descr", description)
    out.find(".//c:chart", NS).set(f"{{{R}}}id", rid)
    return out


class Charts:
    """Adds chart parts to one document, counting part names, relationship ids and drawing ids.

    python-docx finds the next part name and relationship id by looking
    through all parts and relationships each time, which made adding a chart
    cost more the more charts came before it; each is looked at once here.
    """

    def __init__(self, document) -> None:
        self.part = document.part
        self._names = {str(part.partname) for part in self.part.package.iter_parts()}
        self._chart = self._rid = 0
        ids = document.element.xpath("//wp:docPr/@id")
        self._drawing = max((int(v) for v in ids if v.isdigit()), default=0)

    def _part_name(self) -> str:
        self._chart += 1
        while PART_NAME.format(self._chart) in self._names:
            self._chart += 1
        return PART_NAME.format(self._chart)

    def _rel_id(self) -> str:
        self._rid += 1
        while f"rId{self._rid}" in self.part.rels:
            self._rid += 1
        return f"rId{self._rid}"

    def add(self, kpi: Kpi, options: ExportOptions, width: float, height: float):
        """A KPI's chart as a new chart part, and the ``w:drawing`` that shows it."""
        blob = etree.tostring(
            chart_space(kpi, options), xml_declaration=True, encoding="UTF-8", standalone=True
        )
        part = Part(PackURI(self._part_name()), CONTENT_TYPE, blob, self.part.package)
        rid = self._rel_id()
        self.part.rels.add_relationship(RT.CHART, part, rid)
        self._drawing += 1
        shown = inline(rid, self._drawing, kpichart.describe(kpi), width, height)
        return el("drawing", None, shown)
