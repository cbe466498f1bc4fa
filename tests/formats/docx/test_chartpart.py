"""Word: each KPI's chart as a native chart part — its series, caches, look and package."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from decimal import Decimal
from xml.etree import ElementTree

import pdfplumber
import pytest
from docx import Document
from lxml import etree
from PIL import Image

from kushiro_editor.core.kpi import fields
from kushiro_editor.core.model import Kpi
from kushiro_editor.formats import kpichart, read_file
from kushiro_editor.formats.docx import chartpart, kpireader
from kushiro_editor.formats.docx import writer as docx_writer
from kushiro_editor.formats.table import kpitable
from kushiro_editor.formats.table.layout import ExportOptions
from tests.core.kpi_samples import by_name, exact, kpi_report
from tests.formats.pages import flat, to_pdf

NS = chartpart.NS
CT = "http://schemas.openxmlformats.org/package/2006/content-types"


@pytest.fixture(scope="module")
def report():
    return kpi_report()


@pytest.fixture(scope="module")
def written(tmp_path_factory, report):
    path = tmp_path_factory.mktemp("charts") / "kpi.docx"
    docx_writer.write_file(report, path)
    return path


def _charts(path) -> list[etree._Element]:
    """The chart parts the document's drawings show, in the order they stand."""
    with zipfile.ZipFile(path) as archive:
        document = etree.fromstring(archive.read("word/document.xml"))
        rels = etree.fromstring(archive.read("word/_rels/document.xml.rels"))
        targets = {r.get("Id"): r.get("Target") for r in rels}
        rids = [c.get(f"{{{chartpart.R}}}id") for c in document.iterfind(".//c:chart", NS)]
        return [etree.fromstring(archive.read("word/" + targets[rid])) for rid in rids]


def _cache(ser: etree._Element, where: str) -> dict[int, str]:
    cache = ser.find(where, NS)
    return {int(p.get("idx")): p.findtext("c:v", namespaces=NS) for p in cache.iterfind("c:pt", NS)}


def test_one_chart_part_per_kpi_with_its_content_type(written, report):
    with zipfile.ZipFile(written) as archive:
        names = sorted(n for n in archive.namelist() if n.startswith("word/charts/"))
        types = etree.fromstring(archive.read("[Content_Types].xml"))
    count = len(list(fields.kpis(report)))
    assert names == [f"word/charts/chart{n}.xml" for n in range(1, count + 1)]
    found = types.iterfind(f"{{{CT}}}Override")
    overrides = {o.get("PartName"): o.get("ContentType") for o in found}
    assert {overrides["/" + name] for name in names} == {chartpart.CONTENT_TYPE}


def test_each_chart_draws_the_values_and_the_dashed_target_path(written, report):
    charts = _charts(written)
    visitors = by_name(report, "観光入込客数")
    index = [kpi.name for _owner, kpi in fields.kpis(report)].index(visitors.name)
    chart = charts[index]
    assert len(chart.findall(".//c:lineChart", NS)) == 1
    values, path = chart.findall(".//c:lineChart/c:ser", NS)
    assert values.findtext("c:tx//c:v", namespaces=NS) == kpichart.VALUES_LABEL
    assert path.findtext("c:tx//c:v", namespaces=NS) == "目標（道筋）"
    labels = ["H30", "令和元", "R2", "R3", "R4", "R5", "R6"]
    for ser in (values, path):
        assert _cache(ser, "c:cat//c:strCache") == dict(enumerate(labels))
        assert ser.find("c:cat//c:strCache/c:ptCount", NS).get("val") == "7"
        assert ser.find("c:val//c:numCache/c:ptCount", NS).get("val") == "7"
    # A year without a value is no point: the line spans the gap.
    assert _cache(values, "c:val//c:numCache") == {1: "512.30", 2: "530.5"}
    assert _cache(path, "c:val//c:numCache") == {0: "500.0", 2: "540.0", 4: "570", 6: "600.0"}
    assert chart.find("c:chart/c:dispBlanksAs", NS).get("val") == "span"
    dash = "c:spPr/a:ln/a:prstDash"
    assert values.find(dash, NS).get("val") == "solid"
    assert path.find(dash, NS).get("val") == "dash"
    assert values.find("c:marker/c:symbol", NS).get("val") == "circle"
    colour = "c:spPr/a:ln/a:solidFill/a:srgbClr"
    assert values.find(colour, NS).get("val") == kpichart.VALUE_COLOUR[1:].upper()
    assert path.find(colour, NS).get("val") == kpichart.PATH_COLOUR[1:].upper()
    # No workbook: the caches are all there is to draw from.
    assert chart.find("c:externalData", NS) is None


def test_the_caches_match_the_pdfs_points_for_every_kpi(written, report):
    for chart, (_owner, kpi) in zip(_charts(written), fields.kpis(report), strict=True):
        years = kpichart.years(kpi)
        values, path = chart.findall(".//c:ser", NS)
        lines = (kpichart.value_points(kpi), kpichart.path_points(kpi))
        for ser, points in zip((values, path), lines, strict=True):
            cached = _cache(ser, "c:val//c:numCache")
            assert [(years[i], Decimal(v)) for i, v in sorted(cached.items())] == points


def test_the_title_and_the_text_are_in_the_exports_fonts(tmp_path, report):
    options = ExportOptions(font="游明朝", heading_font="游ゴシック")
    path = tmp_path / "fonts.docx"
    docx_writer.write_file(report, path, options)
    chart = _charts(path)[0]
    title = chart.find("c:chart/c:title", NS)
    assert "".join(title.itertext()) == kpichart.title(next(fields.kpis(report))[1])
    assert {f.get("typeface") for f in title.iterfind(".//a:ea", NS)} == {"游ゴシック"}
    body = chart.find("c:txPr", NS)
    assert {f.get("typeface") for f in body.iterfind(".//a:ea", NS)} == {"游明朝"}
    assert {f.get("typeface") for f in body.iterfind(".//a:latin", NS)} == {"游明朝"}


def test_the_value_axis_takes_the_pdfs_round_steps():
    kpi = by_name(kpi_report(), "漁獲量")
    scale = kpichart.value_scale(kpi)
    axis = chartpart.chart_space(kpi).find(".//c:valAx", NS)
    assert float(axis.find("c:scaling/c:min", NS).get("val")) == scale.low
    assert float(axis.find("c:scaling/c:max", NS).get("val")) == scale.high
    assert float(axis.find("c:majorUnit", NS).get("val")) == scale.step


def test_a_kpi_without_numbers_still_gets_an_empty_chart():
    chart = chartpart.chart_space(Kpi(name="未設定"))
    for ser in chart.findall(".//c:ser", NS):
        assert ser.find("c:val//c:numCache/c:ptCount", NS).get("val") == "0"
        assert _cache(ser, "c:val//c:numCache") == {}
    with pytest.raises(ValueError):
        chartpart.inline("rId9", 1, "  ", 10, 10)


def test_names_and_ids_skip_what_the_document_already_holds(tmp_path, report):
    # A second section's charts in the same document take the next free names and ids.
    document = docx_writer.build(report)
    first = len(list(fields.kpis(report)))
    charts = chartpart.Charts(document)
    kpi = by_name(report, "漁獲量")
    drawing = charts.add(kpi, ExportOptions(), 100, 50)
    document.element.body.append(drawing)
    path = tmp_path / "twice.docx"
    document.save(path)
    with zipfile.ZipFile(path) as archive:
        names = [n for n in archive.namelist() if n.startswith("word/charts/")]
    assert f"word/charts/chart{first + 1}.xml" in names and len(names) == first + 1
    ids = [d.get("id") for d in Document(path).element.body.iterfind(".//wp:docPr", NS)]
    assert len(ids) == len(set(ids)) == first + 1


@pytest.mark.soffice
@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice (soffice) not installed")
def test_libreoffice_prints_every_chart(written, report, tmp_path):
    pdf = to_pdf(written)
    with pdfplumber.open(pdf) as document:
        pages = [p for p in document.pages if flat(kpitable.TITLE) in flat(p.extract_text() or "")]
        start = document.pages.index(pages[0])
        after = document.pages[start:]
        text = "".join(flat(p.extract_text() or "") for p in after)
        blue = [
            c
            for p in after
            for c in (*p.curves, *p.lines)
            if _near(c.get("stroking_color"), kpichart.VALUE_COLOUR)
        ]
        orange = [
            c
            for p in after
            for c in (*p.curves, *p.lines)
            if _near(c.get("stroking_color"), kpichart.PATH_COLOUR)
        ]
        images = sum(len(p.images) for p in after)
    for _owner, kpi in fields.kpis(report):
        assert flat(kpichart.title(kpi)) in text
    assert text.count(flat(kpichart.VALUES_LABEL)) >= 4  # each chart's legend
    assert "R6" in text and "令和元" in text
    assert images == 0  # drawn as vectors, not pictures
    # Each chart's two lines, whatever pieces LibreOffice cuts them into.
    assert len(blue) >= 4 and len(orange) >= 4
    # The page as a person sees it: the values' blue is drawn on it.
    png = tmp_path / "page"
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", "-f", str(start + 1), "-l", str(start + 1), pdf, png],
        check=True,
    )
    with Image.open(next(tmp_path.glob("page*.png"))) as image:
        colours = image.convert("RGB").getcolors(maxcolors=1 << 24)
    want = tuple(int(kpichart.VALUE_COLOUR[i : i + 2], 16) for i in (1, 3, 5))
    near = [n for n, c in colours if all(abs(a - b) < 40 for a, b in zip(c, want, strict=True))]
    assert sum(near) > 100


def _near(colour, hex_colour: str) -> bool:
    if not colour or len(colour) != 3:
        return False
    want = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    return all(abs(a - b) < 0.1 for a, b in zip(colour, want, strict=True))


def _rewritten(source, target, change) -> None:
    """A copy of the package with ``change`` applied to each part's text."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for info in old.infolist():
            data = old.read(info)
            if info.filename.endswith("xml"):
                data = change(info.filename, data.decode()).encode()
            new.writestr(info, data)


def test_the_yearly_targets_read_back_from_the_charts_without_their_words(tmp_path, written):
    # An office suite that drops the charts' text alternatives (LibreOffice does).
    bare = tmp_path / "bare.docx"
    _rewritten(written, bare, lambda name, text: re.sub(r' descr="[^"]*"', "", text))
    with zipfile.ZipFile(bare) as archive:
        assert b"descr=" not in archive.read("word/document.xml")
    result = read_file(bare)
    assert result.warnings == []
    assert exact(result.report)[1][2:12] == exact(kpi_report())[1][2:12]
    assert by_name(result.report, "観光入込客数").yearly_targets == (
        by_name(kpi_report(), "観光入込客数").yearly_targets
    )


def test_without_a_target_series_the_words_still_give_the_path(tmp_path, written):
    # A chart whose target series is renamed names no path: the text alternative does.
    renamed = tmp_path / "renamed.docx"
    _rewritten(
        written,
        renamed,
        lambda name, text: text.replace(kpichart.PATH_SERIES, "別の系列"),
    )
    visitors = by_name(read_file(renamed).report, "観光入込客数")
    assert visitors.yearly_targets == by_name(kpi_report(), "観光入込客数").yearly_targets
    assert kpireader.path_of_chart(None) == []
    with zipfile.ZipFile(renamed) as archive:
        space = ElementTree.fromstring(archive.read("word/charts/chart2.xml"))
    assert kpireader.path_of_chart(space) == []
    with zipfile.ZipFile(written) as archive:
        space = ElementTree.fromstring(archive.read("word/charts/chart2.xml"))
    assert kpireader.path_of_chart(space) == kpichart.path_points(visitors)
