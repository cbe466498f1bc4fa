"""PDF: the KPI section after the text table — its text, its vector charts, its bookmark."""

from __future__ import annotations

import copy

import pdfplumber
import pytest

from kushiro_editor.core.kpi import fields
from kushiro_editor.formats import kpichart, read_file
from kushiro_editor.formats.pdf import writer as pdf_writer
from kushiro_editor.formats.table import kpitable
from tests.core.kpi_samples import by_name, kpi_report


def _rgb(hex_colour: str) -> tuple[float, ...]:
    return tuple(int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5))


def _near(colour, hex_colour: str) -> bool:
    return (
        colour is not None
        and len(colour) == 3
        and all(abs(a - b) < 0.01 for a, b in zip(colour, _rgb(hex_colour), strict=True))
    )


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    path = tmp_path_factory.mktemp("kpi") / "kpi.pdf"
    pdf_writer.write_file(kpi_report(), path)
    return path


def _section_pages(pdf) -> list:
    texts = [page.extract_text() or "" for page in pdf.pages]
    start = next(i for i, text in enumerate(texts) if text.startswith(kpitable.TITLE))
    return pdf.pages[start:]


def test_the_section_starts_a_page_after_the_text_table_with_the_table(written):
    with pdfplumber.open(written) as pdf:
        first = pdf.pages[0].extract_text()
        assert kpitable.TITLE not in first
        pages = _section_pages(pdf)
        text = pages[0].extract_text()
    header = "指標 単位 基準値 目標値 令和元年度 R2年度 達成率 評価 所管"
    assert header in text
    assert "観光入込客数 万人 500.0 600.0 512.30 530.5 76.3% C 観光振興室" in text
    assert "（H30年度） （R6年度） （速報値）" in text
    assert "漁獲量 t 1,000 1,200 1,000 － － － 水産課" in text
    assert "【基本目標1】地域の魅力" in text and "ア 水産業の振興" in text
    assert "達成率: R2年度の基準値からの進捗" in text


def test_each_chart_is_drawn_as_vectors_values_solid_and_the_path_dashed(written):
    with pdfplumber.open(written) as pdf:
        shapes = [shape for page in _section_pages(pdf) for shape in (*page.curves, *page.lines)]
        titles = "".join(page.extract_text() for page in _section_pages(pdf))
    values = [
        s
        for s in shapes
        if _near(s.get("stroking_color"), kpichart.VALUE_COLOUR) and len(s["pts"]) > 2
    ]
    dashed = [
        s
        for s in shapes
        if _near(s.get("stroking_color"), kpichart.PATH_COLOUR) and s.get("dash", ([], 0))[0]
    ]
    # 観光入込客数 and 待機児童数 have two values each: a line of points; the dashed paths of
    # every KPI (and the legend's dash in each chart).
    assert len(values) >= 2
    assert len(dashed) >= 8
    for kpi in ("観光入込客数（万人）", "待機児童数（人）", "社会増減数（人）", "漁獲量（t）"):
        assert kpi in titles
    assert "H30" in titles and "R6" in titles


def test_the_outline_has_a_bookmark_for_the_section(written):
    with pdfplumber.open(written) as pdf:
        outline = [(level, title) for level, title, *_rest in pdf.doc.get_outlines()]
    assert (1, kpitable.TITLE) in outline
    assert outline.index((1, kpitable.TITLE)) == len(outline) - 1


def test_the_text_table_reads_back_the_same_with_or_without_kpis(tmp_path, sample_result):
    report = sample_result.report
    plain = tmp_path / "plain.pdf"
    pdf_writer.write_file(report, plain)
    with_kpis = copy.deepcopy(report)
    for _goal, _direction, owner in list(fields.owners(with_kpis))[:5]:
        owner.kpis.append(copy.deepcopy(by_name(kpi_report(), "観光入込客数")))
    kpis = tmp_path / "kpis.pdf"
    pdf_writer.write_file(with_kpis, kpis)
    a, b = read_file(plain), read_file(kpis)
    assert [str(w) for w in b.warnings] == [str(w) for w in a.warnings]

    def texts(result):
        return [(e.departments, e.actual, e.plan) for _g, _d, e in result.report.entries()]

    assert texts(b) == texts(a)
    assert len(texts(a)) == len(list(report.entries()))
    with pdfplumber.open(plain) as pdf:
        assert not any(kpitable.TITLE in (page.extract_text() or "") for page in pdf.pages)


def test_the_section_names_no_font_it_does_not_embed(written):
    with pdfplumber.open(written) as pdf:
        fonts = {char["fontname"] for page in _section_pages(pdf) for char in page.chars}
    assert fonts and all("+" in name for name in fonts)  # subsets, embedded
    assert b"/Helvetica" not in written.read_bytes()
