"""The printed pages of every export, as a reader holding them sees them.

Word and Excel are laid out by LibreOffice (where installed, with the IPA
fonts standing in for ＭＳ 明朝/ゴシック, as the tests' fontconfig says); the PDF
is the editor's own. Each is checked on the sample and on a report five
times its size.
"""

from __future__ import annotations

import re

import pdfplumber
import pytest

from benchmarks.synthetic import scaled
from kushiro_editor.appdata import sample_path
from kushiro_editor.formats import read_file
from kushiro_editor.formats.docx import writer as docx_writer
from kushiro_editor.formats.pdf import writer as pdf_writer
from kushiro_editor.formats.table import layout
from kushiro_editor.formats.xlsx import writer as xlsx_writer
from tests.formats import pages as printed

KINDS = ("docx", "xlsx", "pdf")
SCALES = (1, pytest.param(5, marks=pytest.mark.slow))
MARGIN = 42.5  # 15 mm, the Word file's and the PDF's


@pytest.fixture(scope="module", params=SCALES, ids=lambda scale: f"{scale}x")
def laid_out(request, tmp_path_factory):
    """The report at a scale, written in each format and printed to PDF pages."""
    scale = request.param
    report = read_file(sample_path()).report
    if scale > 1:
        report = scaled(report, scale)
    folder = tmp_path_factory.mktemp(f"pages{scale}")
    pdfs = {}
    pdf_writer.write_file(report, folder / "report.pdf")
    pdfs["pdf"] = folder / "report.pdf"
    if printed.HAS_SOFFICE:
        for kind, writer in (("docx", docx_writer), ("xlsx", xlsx_writer)):
            writer.write_file(report, folder / f"report.{kind}")
            pdfs[kind] = printed.to_pdf(folder / f"report.{kind}")
    return scale, report, {kind: (pdf, printed.read_pages(pdf)) for kind, pdf in pdfs.items()}


@pytest.fixture(params=KINDS)
def kind(request, laid_out):
    if request.param not in laid_out[2]:
        pytest.skip("LibreOffice (soffice) not installed")
    return request.param


def test_header_and_page_number_on_every_page(laid_out, kind):
    _scale, report, pdfs = laid_out
    heads = layout.headings(report)
    _pdf, pages = pdfs[kind]
    assert len(pages) > 5
    for page in pages:
        text = page.text()
        for head in (heads.left, heads.department, heads.progress, heads.actual, heads.plan):
            assert printed.flat(head) in text, f"{kind} page {page.number}: {head}"
        assert f"-{page.number}/{len(pages)}-" in text, f"{kind} page {page.number}"


def test_no_heading_alone_at_the_foot_of_a_page(laid_out, kind):
    _scale, report, pdfs = laid_out
    assert printed.heading_alone_at_foot(pdfs[kind][1], report) == []


def test_no_text_below_the_table(laid_out, kind):
    _scale, _report, pdfs = laid_out
    assert printed.text_below_table(pdfs[kind][1]) == []


def test_department_names_whole(laid_out, kind):
    _scale, report, pdfs = laid_out
    assert printed.broken_departments(pdfs[kind][1], report) == []


def _in_order(paragraphs: list[str], column: str) -> list[str]:
    """The paragraphs not found in ``column`` after the previous one."""
    missing, at = [], 0
    for text in paragraphs:
        found = column.find(text, at)
        if found < 0:
            missing.append(text)
        else:
            at = found + len(text)
    return missing


def test_every_paragraph_visible_in_its_column_and_order(laid_out, kind):
    _scale, report, pdfs = laid_out
    pages = pdfs[kind][1]
    entries = [row for row in layout.rows(report) if row.level == "entry"]
    for column, field in ((2, "actual"), (3, "plan")):
        paragraphs = [
            printed.flat(block.text)
            for row in entries
            for block in getattr(row, field)
            if block.text.strip()
        ]
        missing = _in_order(paragraphs, printed.column_text(pages, column))
        assert missing == [], f"{kind} {field}: {missing[:3]}"


def test_word_takes_the_originals_pages_without_holes(laid_out):
    scale, _report, pdfs = laid_out
    if "docx" not in pdfs:
        pytest.skip("LibreOffice (soffice) not installed")
    pages = pdfs["docx"][1]
    if scale == 1:
        assert len(pages) <= 16 + 2  # the original table fills 16 pages
    fills = printed.fill_ratios(pages, MARGIN, MARGIN)
    short = [(n, round(f, 2)) for n, f in enumerate(fills[:-1], start=1) if f < 0.8]
    assert short == []


def test_pdf_pages_within_a_third_of_words(laid_out):
    _scale, _report, pdfs = laid_out
    if "docx" not in pdfs:
        pytest.skip("LibreOffice (soffice) not installed")
    word, own = len(pdfs["docx"][1]), len(pdfs["pdf"][1])
    assert abs(own - word) <= 0.3 * word, (own, word)
    fills = printed.fill_ratios(pdfs["pdf"][1], MARGIN, MARGIN)
    assert min(fills[:-1]) > 0.8


def test_pdf_is_a4_landscape_with_embedded_fonts_and_bold_headings(laid_out):
    _scale, report, pdfs = laid_out
    pdf, _pages = pdfs["pdf"]
    with pdfplumber.open(pdf) as document:
        assert {(round(p.width), round(p.height)) for p in document.pages} == {(842, 595)}
        first = document.pages[0]
        fonts = {char["fontname"] for page in document.pages[:3] for char in page.chars}
        # A subset tag (six capitals and a plus) marks an embedded subset.
        assert fonts and all(re.match(r"[A-Z]{6}\+", name) for name in fonts), fonts
        row = next(row for row in layout.rows(report) if row.level == "entry")
        direction = row.direction
        bold = first.search(direction.measures[0].title, regex=False, return_chars=True)
        plain = first.search(row.actual[0].text[:8], regex=False, return_chars=True)
        bold_fonts = {char["fontname"].split("+")[1] for char in bold[0]["chars"]}
        plain_fonts = {char["fontname"].split("+")[1] for char in plain[0]["chars"]}
        assert bold_fonts.isdisjoint(plain_fonts), (bold_fonts, plain_fonts)


def test_pdf_left_column_per_direction(laid_out):
    """Each direction's measures and projects stand in the left column beside its rows."""
    _scale, report, pdfs = laid_out
    pages = pdfs["pdf"][1]
    left = printed.column_text(pages, 0)
    for goal in report.goals:
        for direction in goal.directions:
            for measure in direction.measures:
                assert printed.flat(measure.title) in left
            for project in direction.main_projects:
                assert printed.flat(project.display) in left


# -- the same pages whatever fonts the PC has ------------------------------------
@pytest.fixture(scope="module")
def in_both_font_setups(tmp_path_factory):
    """The sample's Word and Excel files laid out with the IPA fonts and with only Noto CJK."""
    if not printed.HAS_SOFFICE:
        pytest.skip("LibreOffice (soffice) not installed")
    report = read_file(sample_path()).report
    folder = tmp_path_factory.mktemp("fonts")
    out = {}
    for kind, writer in (("docx", docx_writer), ("xlsx", xlsx_writer)):
        writer.write_file(report, folder / f"report.{kind}")
        for setup, fonts in printed.FONT_SETUPS.items():
            pdf = printed.to_pdf(folder / f"report.{kind}", fonts=fonts, name=f"-{setup}")
            out[kind, setup] = printed.read_pages(pdf)
    return report, out


def test_excel_prints_one_page_wide_whatever_the_fonts(in_both_font_setups):
    """Measured in a stand-in for Calibri, the columns spread over two pages' width
    and the plan column stood alone on every other page."""
    report, out = in_both_font_setups
    heads = layout.headings(report)
    ipa, noto = out["xlsx", "ipa"], out["xlsx", "noto-only"]
    assert len(noto) == len(ipa)
    for page in noto:
        for head in (heads.left, heads.department, heads.actual, heads.plan):
            assert printed.flat(head) in page.text(), f"page {page.number}: {head}"


def test_word_takes_as_many_pages_whatever_the_fonts(in_both_font_setups):
    """Single line spacing takes its height from the font (Noto CJK's is 1.44 em)."""
    _report, out = in_both_font_setups
    ipa, noto = len(out["docx", "ipa"]), len(out["docx", "noto-only"])
    assert abs(noto - ipa) <= 1 and noto <= 16 + 2, (ipa, noto)


def test_excel_measures_its_columns_in_the_exports_font(tmp_path):
    from openpyxl import load_workbook

    report = read_file(sample_path()).report
    xlsx_writer.write_file(report, tmp_path / "report.xlsx")
    workbook = load_workbook(tmp_path / "report.xlsx")
    assert workbook._fonts[0].name == "ＭＳ 明朝"
    normal = next(style for style in workbook._named_styles if style.name == "Normal")
    assert normal.font.name == "ＭＳ 明朝"
