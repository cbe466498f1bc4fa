"""Word: the KPI section after the text table — its table, its charts, and reading around it."""

from __future__ import annotations

import copy
import zipfile

import pytest
from docx import Document
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from lxml import etree

from kushiro_editor.core.kpi import fields
from kushiro_editor.formats import kpichart, read_file
from kushiro_editor.formats.docx import chartpart, kpireader, kpisection
from kushiro_editor.formats.docx import writer as docx_writer
from kushiro_editor.formats.table import kpitable
from tests.core.kpi_samples import by_name, exact, kpi_report

W = docx_writer.W
NS = {
    "w": W,
    "wp": docx_writer.WP,
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "pic": "http://schemas.openxmlformats.org/drawingml/2006/picture",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "c": "http://schemas.openxmlformats.org/drawingml/2006/chart",
}


@pytest.fixture(scope="module")
def report():
    return kpi_report()


@pytest.fixture(scope="module")
def written(tmp_path_factory, report):
    path = tmp_path_factory.mktemp("kpi") / "kpi.docx"
    docx_writer.write_file(report, path)
    return path


def _kpi_table(document):
    for table in document.tables:
        caption = table._tbl.find(f"{{{W}}}tblPr/{{{W}}}tblCaption")
        if caption is not None and caption.get(f"{{{W}}}val") == kpitable.TITLE:
            return table
    raise AssertionError("no KPI table")


def test_the_section_follows_the_text_table_on_a_new_page(written):
    document = Document(written)
    body = list(document.element.body)
    titles = [p for p in document.paragraphs if p.text == kpitable.TITLE]
    assert len(titles) == 1
    title = titles[0]
    assert title.style.name == kpisection.STYLE_NAMES["KRKpiTitle"]
    assert title.style.element.find(f"{{{W}}}pPr/{{{W}}}pageBreakBefore") is not None
    assert title.style.element.find(f"{{{W}}}pPr/{{{W}}}outlineLvl").get(f"{{{W}}}val") == "0"
    report_table = document.tables[0]._tbl
    assert body.index(report_table) < body.index(title._p) < body.index(_kpi_table(document)._tbl)


def test_the_table_holds_the_rows_in_the_official_style(written):
    table = _kpi_table(Document(written))
    rows = [[cell.text for cell in row.cells] for row in table.rows]
    assert rows[0] == [
        *("指標", "単位", "基準値", "目標値"),
        *("令和元年度", "R2年度"),
        *("達成率", "評価", "所管"),
    ]
    visitors = next(row for row in rows if row[0] == "観光入込客数")
    assert visitors == [
        *("観光入込客数", "万人", "500.0\n（H30年度）", "600.0\n（R6年度）"),
        *("512.30", "530.5\n（速報値）"),
        *("76.3%", "C", "観光振興室"),
    ]
    assert rows[1][0] == "【基本目標1】地域の魅力"
    assert len(set(rows[1])) == 1  # spans the table
    header = table.rows[0]._tr
    assert header.find(f"{{{W}}}trPr/{{{W}}}tblHeader") is not None
    shades = [s.get(f"{{{W}}}fill") for s in header.iter(f"{{{W}}}shd")]
    assert set(shades) == {"D9D9D9"}
    goal = table.rows[1]._tr
    assert [s.get(f"{{{W}}}fill") for s in goal.iter(f"{{{W}}}shd")] == ["F2F2F2"]
    fonts = {
        f.get(f"{{{W}}}eastAsia")
        for s in Document(written).styles
        if s.name in kpisection.STYLE_NAMES.values()
        for f in s.element.iter(f"{{{W}}}rFonts")
    }
    assert fonts == {"ＭＳ 明朝", "ＭＳ ゴシック"}


def test_each_kpi_has_a_native_chart_with_its_text_alternative(written, report):
    with zipfile.ZipFile(written) as archive:
        document = etree.fromstring(archive.read("word/document.xml"))
        rels = etree.fromstring(archive.read("word/_rels/document.xml.rels"))
        targets = {r.get("Id"): (r.get("Type"), r.get("Target")) for r in rels}
        drawings = document.findall(".//wp:inline", NS)
        assert len(drawings) == 4
        expected = [kpichart.describe(kpi) for _owner, kpi in fields.kpis(report)]
        assert [d.find("wp:docPr", NS).get("descr") for d in drawings] == expected
        ids = [d.find("wp:docPr", NS).get("id") for d in drawings]
        assert len(set(ids)) == 4
        charts = []
        for drawing in drawings:
            # The size the pictures had: two side by side across the line.
            assert int(drawing.find("wp:extent", NS).get("cx")) == 360 * 12700
            assert int(drawing.find("wp:extent", NS).get("cy")) == 180 * 12700
            data = drawing.find("a:graphic/a:graphicData", NS)
            assert data.get("uri") == chartpart.C
            kind, target = targets[data.find("c:chart", NS).get(f"{{{NS['r']}}}id")]
            assert kind == RT.CHART
            charts.append(etree.fromstring(archive.read("word/" + target)))
        assert not [n for n in archive.namelist() if n.startswith("word/media/")]
    titles = ["".join(c.find("c:chart/c:title", NS).itertext()) for c in charts]
    assert titles == [kpichart.title(kpi) for _owner, kpi in fields.kpis(report)]
    assert (
        "観光入込客数（万人）の推移のグラフ。実績値: 令和元年度 512.30、R2年度 530.5。"
        in expected[1]
    )


def test_a_file_with_kpis_imports_to_the_same_texts_as_without(tmp_path, sample_result):
    report = sample_result.report
    plain = tmp_path / "plain.docx"
    docx_writer.write_file(report, plain)
    with_kpis = copy.deepcopy(report)
    for _goal, _direction, owner in list(fields.owners(with_kpis))[:7]:
        owner.kpis.append(copy.deepcopy(by_name(kpi_report(), "観光入込客数")))
    kpis = tmp_path / "kpis.docx"
    docx_writer.write_file(with_kpis, kpis)
    a, b = read_file(plain), read_file(kpis)
    assert [str(w) for w in b.warnings] == [str(w) for w in a.warnings]

    def texts(result):
        return [(e.departments, e.actual, e.plan) for _g, _d, e in result.report.entries()]

    assert texts(b) == texts(a) == texts(sample_result)
    assert [g.title for g in b.report.goals] == [g.title for g in a.report.goals]


def test_a_report_without_kpis_is_written_as_before(tmp_path, sample_result):
    plain = tmp_path / "plain.docx"
    docx_writer.write_file(sample_result.report, plain)
    with zipfile.ZipFile(plain) as archive:
        names = archive.namelist()
        styles = archive.read("word/styles.xml").decode()
        body = etree.fromstring(archive.read("word/document.xml")).find("w:body", NS)
    assert not [n for n in names if n.startswith(("word/media/", "word/charts/"))]
    assert "KRKpi" not in styles
    assert [etree.QName(c).localname for c in body] == ["p", "tbl", "p", "sectPr"]
    # With KPIs the text table's part of the body is the same, byte for byte.
    report = copy.deepcopy(sample_result.report)
    report.goals[0].kpis.append(copy.deepcopy(by_name(kpi_report(), "待機児童数")))
    kpis = tmp_path / "kpis.docx"
    docx_writer.write_file(report, kpis)
    with zipfile.ZipFile(kpis) as archive:
        other = etree.fromstring(archive.read("word/document.xml")).find("w:body", NS)
    assert [etree.tostring(c) for c in other[:3]] == [etree.tostring(c) for c in body[:3]]


def test_the_kpis_read_back_from_what_the_section_shows(written, report):
    result = read_file(written)
    assert result.warnings == []
    shown = [row[2:12] for row in exact(report)]  # what the file prints, up to the comment
    assert [row[2:12] for row in exact(result.report)] == shown
    # Which way is better comes from the target's side of the baseline.
    assert by_name(result.report, "待機児童数").better == "lower"
    assert by_name(result.report, "観光入込客数").yearly_targets == (
        by_name(report, "観光入込客数").yearly_targets
    )


def test_a_hand_set_rating_reads_back_from_its_mark(tmp_path):
    report = kpi_report()
    by_name(report, "漁獲量").override = "C"
    path = tmp_path / "override.docx"
    docx_writer.write_file(report, path)
    assert by_name(read_file(path).report, "漁獲量").override == "C"


def test_the_path_is_read_from_a_charts_words():
    kpi = by_name(kpi_report(), "観光入込客数")
    assert kpireader.path_of(kpichart.describe(kpi)) == kpichart.path_points(kpi)
    assert kpireader.path_of("グラフ") == []
