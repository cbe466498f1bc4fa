"""Excel: each KPI's chart filled in from one built chart is the chart openpyxl would write."""

from __future__ import annotations

import dataclasses
import zipfile

import pytest
from lxml import etree
from openpyxl import Workbook
from openpyxl.utils import column_index_from_string
from openpyxl.xml.functions import tostring

from kushiro_editor.core.kpi import fields
from kushiro_editor.formats import kpichart
from kushiro_editor.formats.table.layout import ExportOptions
from kushiro_editor.formats.xlsx import kpicharts, kpisheet
from kushiro_editor.formats.xlsx import writer as xlsx_writer
from tests.core.kpi_samples import kpi_report

XDR = "{http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing}"


def _kpis():
    kpis = [kpi for _owner, kpi in fields.kpis(kpi_report())]
    # A title with what XML must escape, and a sheet name Excel must quote.
    odd = dataclasses.replace(kpis[0], name='「A&B」<比較> "率"', unit="")
    return [kpi for kpi in kpis if kpichart.years(kpi)] + [odd]


def _places(sheet):
    # Each KPI at another row, with its own number of years.
    return [kpicharts.Place(sheet, 20 * n + 5, 2 + n) for n in range(len(_kpis()))]


@pytest.mark.parametrize("title", ["指標", "指標 (2)", "O'Brien"])
def test_a_filled_chart_is_byte_for_byte_the_chart_openpyxl_builds(title):
    sheet = Workbook().active
    sheet.title = title
    options = ExportOptions()
    charts = kpicharts.Charts(options)
    for kpi, place in zip(_kpis(), _places(sheet), strict=True):
        built = tostring(kpicharts.line_chart(kpi, place, options)._write())
        assert tostring(charts.chart(kpi, place)._write()) == built
    # One chart was built: the rest are copies of its XML.
    assert charts.template is not None


def test_openpyxl_writes_and_places_a_filled_chart_as_its_own(tmp_path):
    """Pins what FilledChart relies on: openpyxl writes a chart part as ``tostring(chart._write())``
    and anchors it by ``anchor``, ``width`` and ``height``; an upgrade changing that fails here."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = kpisheet.SHEET_TITLE
    options = ExportOptions()
    charts = kpicharts.Charts(options)
    expected = []
    for number, (kpi, place) in enumerate(zip(_kpis(), _places(sheet), strict=True)):
        sheet.add_chart(charts.chart(kpi, place), f"A{place.labels + 3}")
        expected.append((number, place.labels + 2))
    path = tmp_path / "charts.xlsx"
    workbook.save(path)
    with zipfile.ZipFile(path) as archive:
        for number, (kpi, place) in enumerate(zip(_kpis(), _places(sheet), strict=True), start=1):
            built = tostring(kpicharts.line_chart(kpi, place, options)._write())
            assert archive.read(f"xl/charts/chart{number}.xml") == built
        drawing = etree.fromstring(archive.read("xl/drawings/drawing1.xml"))
    anchors = drawing.findall(f"{XDR}oneCellAnchor")
    assert [int(a.find(f"{XDR}from/{XDR}row").text) for a in anchors] == [
        row for _n, row in expected
    ]
    sizes = {(a.find(f"{XDR}ext").get("cx"), a.find(f"{XDR}ext").get("cy")) for a in anchors}
    assert sizes == {(str(round(16.0 * 360000)), str(round(5.8 * 360000)))}


def test_the_exports_charts_are_those_openpyxl_builds(tmp_path):
    """The sheet's charts, in the written file, each as openpyxl builds it for its own block."""
    report = kpi_report()
    path = tmp_path / "kpi.xlsx"
    xlsx_writer.write_file(report, path)
    with zipfile.ZipFile(path) as archive:
        names = sorted(
            (n for n in archive.namelist() if n.startswith("xl/charts/chart")),
            key=lambda n: int(n.removeprefix("xl/charts/chart").removesuffix(".xml")),
        )
        written = [archive.read(n) for n in names]
    sheet = Workbook().active
    sheet.title = kpisheet.SHEET_TITLE
    options = ExportOptions()
    for part in written:
        chart = etree.fromstring(part)
        values = chart.find(".//{*}ser/{*}val/{*}numRef/{*}f").text
        # '指標'!$B$97:$H$97: the values' row is under the years', the last column the years'.
        cells = values.split("!")[1].replace("$", "").split(":")
        row = int("".join(c for c in cells[0] if c.isdigit()))
        last = cells[1].rstrip("0123456789")
        place = kpicharts.Place(sheet, row - 1, column_index_from_string(last))
        title = "".join(chart.find("{*}chart/{*}title").itertext())
        kpi = next(k for _o, k in fields.kpis(report) if kpichart.title(k) == title)
        assert part == tostring(kpicharts.line_chart(kpi, place, options)._write())
    assert len(written) == 4


def test_the_chart_built_for_some_options_serves_the_next_export_and_only_those_options():
    sheet = Workbook().active
    sheet.title = kpisheet.SHEET_TITLE
    kpi, other = _kpis()[:2]
    place = kpicharts.Place(sheet, 40, 6)
    first = kpicharts.Charts(ExportOptions())
    first.chart(kpi, place)
    again = kpicharts.Charts(ExportOptions())
    again.chart(other, place)
    assert again.template is first.template
    larger = ExportOptions(font="ＭＳ Ｐ明朝", heading_font="ＭＳ Ｐゴシック", size=12)
    charts = kpicharts.Charts(larger)
    made = tostring(charts.chart(other, place)._write())
    assert charts.template is not first.template
    assert made == tostring(kpicharts.line_chart(other, place, larger)._write())
    assert "ＭＳ Ｐ明朝".encode() in made
