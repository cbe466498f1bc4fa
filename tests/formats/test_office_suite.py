"""The exports opened by a real office suite (LibreOffice), as a reviewer would see them."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pytest

from kushiro_editor.formats import read_file
from kushiro_editor.formats.docx import writer as docx_writer
from kushiro_editor.formats.xlsx import writer as xlsx_writer
from tests.formats.handmade import content, excel_sheets, printed_characters, word_table
from tests.formats.pages import FONT_SETUPS, FONTS, resave, to_pdf

pytestmark = [
    pytest.mark.soffice,
    pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice (soffice) not installed"),
]


def ipa_fonts_installed() -> bool:
    """True when the IPA fonts stand in for the MS fonts (the page layout is checked with them)."""
    if not shutil.which("fc-match"):
        return False
    found = subprocess.run(
        ["fc-match", "-f", "%{family}", "ＭＳ 明朝"],
        env={**os.environ, "FONTCONFIG_FILE": str(FONTS)},
        capture_output=True,
        text=True,
        check=False,
    )
    return "IPAMincho" in found.stdout


# Page counts and page numbers are those of a PC with the MS fonts (or their
# metric twins); a PC with other fonts breaks pages elsewhere.
needs_ipa_fonts = pytest.mark.skipif(
    not ipa_fonts_installed(), reason="the page layout is checked with the IPA fonts"
)


def pdf_pages(pdf: Path) -> list[str]:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    count = int(re.search(r"Pages:\s+(\d+)", info.stdout)[1])
    pages = []
    for number in range(1, count + 1):
        done = subprocess.run(
            ["pdftotext", "-f", str(number), "-l", str(number), str(pdf), "-"],
            capture_output=True,
            text=True,
            check=True,
        )
        pages.append(done.stdout)
    return pages


def page_sizes(pdf: Path) -> set[tuple[int, int]]:
    info = subprocess.run(
        ["pdfinfo", "-f", "1", "-l", "999", str(pdf)], capture_output=True, text=True, check=True
    )
    return {
        (round(float(w)), round(float(h)))
        for w, h in re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)", info.stdout)
    }


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    from kushiro_editor.appdata import sample_path

    folder = tmp_path_factory.mktemp("office")
    report = read_file(sample_path()).report
    docx_writer.write_file(report, folder / "report.docx")
    xlsx_writer.write_file(report, folder / "report.xlsx")
    # One folder per file: both would be converted to the same report.pdf.
    for name in ("report.docx", "report.xlsx"):
        to_pdf(folder / name)
    return folder, report


def _pdf(folder: Path, name: str) -> Path:
    return folder / f"lo-{Path(name).suffix[1:]}" / "report.pdf"


@needs_ipa_fonts
@pytest.mark.parametrize(
    "name",
    ["report.docx", "report.xlsx"],
)
def test_pdf_is_a4_landscape_with_the_header_on_every_page(exported, name):
    folder, _report = exported
    pdf = _pdf(folder, name)
    assert page_sizes(pdf) == {(842, 595)}
    pages = pdf_pages(pdf)
    assert len(pages) > 5
    for number, text in enumerate(pages, start=1):
        flat = "".join(text.split())
        assert "基本目標と基本的方向、具体的な施策" in flat, f"page {number}"
        assert "所管部署" in flat and "R2年度(実績)" in flat and "R3年度(取組予定)" in flat
        assert f"-{number}/{len(pages)}-" in flat, f"page number on page {number}"


@pytest.mark.parametrize("name", ["report.docx", "report.xlsx"])
def test_pdf_loses_no_text(exported, name):
    folder, report = exported
    pdf = _pdf(folder, name)
    shown = Counter(ch for page in pdf_pages(pdf) for ch in page if not ch.isspace())
    assert not printed_characters(report) - shown


@pytest.mark.parametrize("fonts", sorted(FONT_SETUPS))
@pytest.mark.parametrize("name", ["report.docx", "report.xlsx"])
def test_libreoffice_resave_reads_back_the_same(exported, name, fonts):
    folder, report = exported
    result = read_file(resave(folder / name, folder / f"resaved-{fonts}", FONT_SETUPS[fonts]))
    assert content(result.report) == content(report)


@pytest.mark.parametrize("fonts", sorted(FONT_SETUPS))
def test_handmade_files_resaved_by_libreoffice(tmp_path, fonts):
    word_table(tmp_path / "hand.docx")
    excel_sheets(tmp_path / "hand.xlsx")
    before = {n: content(read_file(tmp_path / n).report) for n in ("hand.docx", "hand.xlsx")}
    out = tmp_path / "resaved"
    for name in before:
        resave(tmp_path / name, out, FONT_SETUPS[fonts])
    for name, expected in before.items():
        assert content(read_file(out / name).report) == expected, name
