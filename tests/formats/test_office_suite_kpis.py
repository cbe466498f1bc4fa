"""The KPI sections as LibreOffice opens, saves again and prints them."""

from __future__ import annotations

import shutil

import pdfplumber
import pytest

from kushiro_editor.core.kpi import fields
from kushiro_editor.formats import read_file
from kushiro_editor.formats.docx import writer as docx_writer
from kushiro_editor.formats.table import kpitable
from kushiro_editor.formats.xlsx import writer as xlsx_writer
from tests.core.kpi_samples import by_name, exact, kpi_report
from tests.formats.pages import flat, resave, to_pdf

pytestmark = [
    pytest.mark.soffice,
    pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice (soffice) not installed"),
]


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    report = kpi_report()
    folder = tmp_path_factory.mktemp("kpi-office")
    docx_writer.write_file(report, folder / "kpi.docx")
    xlsx_writer.write_file(report, folder / "kpi.xlsx")
    return report, folder


def test_excel_saved_again_by_libreoffice_reads_back_the_same_kpis(exported):
    report, folder = exported
    again = resave(folder / "kpi.xlsx", folder / "resaved")
    result = read_file(again)
    assert result.warnings == []
    assert exact(result.report) == exact(report)


def test_word_saved_again_by_libreoffice_reads_back_what_it_shows(exported):
    report, folder = exported
    again = resave(folder / "kpi.docx", folder / "resaved")
    result = read_file(again)
    assert result.warnings == []

    def shown(kpis, targets):
        return [
            (*row[2:10], targets(kpi), row[11])
            for row, (_o, kpi) in zip(exact(kpis), fields.kpis(kpis), strict=True)
        ]

    def by_value(kpi):
        return tuple((t.year, t.value) for t in kpi.yearly_targets)

    # LibreOffice keeps the charts but not their text alternatives, and writes
    # their numbers without trailing zeros: the yearly targets come back from
    # the target series' cache with their values, not their places (540.0 → 540).
    assert shown(result.report, by_value) == shown(report, by_value)
    assert by_name(result.report, "観光入込客数").yearly_targets


def test_excel_prints_the_sheet_with_notes_from_the_number_formats_and_the_charts(exported):
    _report, folder = exported
    pdf = to_pdf(folder / "kpi.xlsx")
    with pdfplumber.open(pdf) as document:
        texts = [flat(page.extract_text() or "") for page in document.pages]
        drawn = sum(len(page.curves) + len(page.lines) for page in document.pages)
    text = "".join(texts)
    assert flat(kpitable.TITLE) in text
    assert "530.5（速報値）" in text and "500.0（H30年度）" in text and "512.30" in text
    # The chart's title besides its data block's heading: the chart was drawn.
    assert text.count("観光入込客数（万人）") >= 2
    assert drawn > 20


def test_word_prints_the_section_after_the_table_with_its_charts(exported):
    report, folder = exported
    pdf = to_pdf(folder / "kpi.docx")
    with pdfplumber.open(pdf) as document:
        pages = [
            (flat(page.extract_text() or ""), len(page.curves) + len(page.lines))
            for page in document.pages
        ]
    start = next(i for i, (text, _drawn) in enumerate(pages) if flat(kpitable.TITLE) in text)
    assert start >= 1  # a page of its own after the text table
    assert "観光入込客数万人500.0600.0512.30530.576.3%C観光振興室" in pages[start][0].replace(
        "（H30年度）", ""
    ).replace("（R6年度）", "").replace("（速報値）", "")
    # Each chart's title is printed, and the charts are drawn as lines.
    text = "".join(text for text, _drawn in pages[start:])
    assert all(flat(f"{kpi.name}（{kpi.unit}）") in text for _o, kpi in fields.kpis(report))
    assert sum(drawn for _text, drawn in pages[start:]) > 20
