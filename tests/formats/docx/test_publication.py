"""The Word file for publication, read back from the written package.

Its properties name the title, author and language; its styles default to
Japanese; its header rows are marked as the table's header (Word's tagged PDF
makes them header cells); a picture gets a text alternative; and LibreOffice's
PDF of it carries the report's title.
"""

from __future__ import annotations

import struct
import zipfile
import zlib
from pathlib import Path

import pytest
from lxml import etree

from benchmarks.synthetic import scaled
from kushiro_editor.appdata import sample_path
from kushiro_editor.formats import read_file
from kushiro_editor.formats.docx import writer as docx_writer
from kushiro_editor.formats.table import layout
from kushiro_editor.formats.table.layout import ExportOptions
from tests.formats import pages as printed

W = docx_writer.W
NS = {
    "w": W,
    "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
    "dc": "http://purl.org/dc/elements/1.1/",
    "wp": docx_writer.WP,
}
SCALES = (1, pytest.param(20, marks=pytest.mark.slow))


@pytest.fixture(scope="module", params=SCALES, ids=lambda scale: f"{scale}x")
def written(request, tmp_path_factory):
    report = read_file(sample_path()).report
    if request.param > 1:
        report = scaled(report, request.param)
    path = tmp_path_factory.mktemp("word") / "report.docx"
    docx_writer.write_file(report, path)
    return report, path


def part(path: Path, name: str) -> etree._Element:
    with zipfile.ZipFile(path) as archive:
        return etree.fromstring(archive.read(name))


def test_core_properties_name_title_author_and_language(written):
    report, path = written
    core = part(path, "docProps/core.xml")
    assert core.findtext("dc:title", namespaces=NS) == report.title
    assert core.findtext("dc:subject", namespaces=NS) == layout.headings(report).title
    assert core.findtext("dc:creator", namespaces=NS) == "釧路市"
    assert core.findtext("dc:language", namespaces=NS) == "ja-JP"


def test_author_follows_the_export_option(tmp_path, sample_result):
    path = tmp_path / "report.docx"
    docx_writer.write_file(sample_result.report, path, ExportOptions(author="釧路市 総合政策部"))
    core = part(path, "docProps/core.xml")
    assert core.findtext("dc:creator", namespaces=NS) == "釧路市 総合政策部"


def test_styles_default_to_japanese(written):
    _report, path = written
    styles = part(path, "word/styles.xml")
    rpr = styles.find("w:docDefaults/w:rPrDefault/w:rPr", NS)
    lang = rpr.find("w:lang", NS)
    assert lang.get(f"{{{W}}}eastAsia") == "ja-JP"
    assert lang.get(f"{{{W}}}val") == "ja-JP"
    # The schema's order: fonts first, the size before the language.
    names = [etree.QName(child).localname for child in rpr]
    assert names.index("rFonts") < names.index("sz") < names.index("szCs") < names.index("lang")
    assert names[-1] == "lang"
    langs = [
        element.get(f"{{{W}}}val") for element in styles.iter(f"{{{W}}}lang")
    ]  # every style that names a language names Japanese
    assert langs and set(langs) == {"ja-JP"}


def test_every_header_row_is_marked_and_no_other(written):
    report, path = written
    document = part(path, "word/document.xml")
    table = document.find("w:body/w:tbl", NS)
    rows = table.findall("w:tr", NS)
    header_rows = 1 + max(cell.row + cell.rows - 1 for cell in layout.headings(report).cells)
    for row in rows[:header_rows]:
        trpr = row.find("w:trPr", NS)
        assert trpr.find("w:tblHeader", NS) is not None
        names = [etree.QName(child).localname for child in trpr]
        assert names == ["cantSplit", "tblHeader"]  # Word's order
        assert row.find("w:trPr", NS) is row[0]  # trPr first in the row
    assert all(row.find("w:trPr/w:tblHeader", NS) is None for row in rows[header_rows:])
    caption = table.find("w:tblPr/w:tblCaption", NS)
    assert caption.get(f"{{{W}}}val") == layout.headings(report).title
    assert etree.QName(table.find("w:tblPr", NS)[-1]).localname == "tblCaption"


def _png(path: Path) -> Path:
    """A one-pixel PNG, written by hand (no imaging library needed)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    image = zlib.compress(b"\x00\xff\xff\xff")
    data = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", image)
    path.write_bytes(data + chunk(b"IEND", b""))
    return path


def test_a_picture_gets_its_text_alternative(tmp_path, sample_result):
    from docx.shared import Pt

    document = docx_writer.build(sample_result.report)
    run = document.add_paragraph().add_run()
    docx_writer.add_picture(run, str(_png(tmp_path / "kpi.png")), "KPI の推移", width=Pt(40))
    with pytest.raises(ValueError, match="text alternative"):
        docx_writer.add_picture(run, str(tmp_path / "kpi.png"), "  ")
    path = tmp_path / "report.docx"
    document.save(path)
    pictures = part(path, "word/document.xml").findall(".//wp:inline/wp:docPr", NS)
    assert [picture.get("descr") for picture in pictures] == ["KPI の推移"]


@pytest.mark.skipif(not printed.HAS_SOFFICE, reason="LibreOffice (soffice) not installed")
def test_libreoffice_pdf_of_the_word_file_has_its_title(written):
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfparser import PDFParser
    from pdfminer.pdftypes import resolve1

    report, path = written
    if len(report.goals) > 4:
        pytest.skip("the sample is enough for what LibreOffice takes over")
    pdf = printed.to_pdf(path, name="-publication")
    with pdf.open("rb") as handle:
        document = PDFDocument(PDFParser(handle))
        title = resolve1(document.info[0]["Title"])
        lang = resolve1(document.catalog.get("Lang"))
    text = title[2:].decode("utf-16-be") if title[:2] == b"\xfe\xff" else title.decode("latin-1")
    assert text == report.title
    assert lang in (b"ja-JP", b"ja")
