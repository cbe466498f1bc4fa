"""The PDF for the city's website, read back from the written file.

Every font embedded, the title, author, subject and language in the document
information, the catalog and the XMP metadata, and an outline of every goal
and direction pointing at the page where its heading stands; on the sample
and on a report twenty times its size.
"""

from __future__ import annotations

import re

import pdfplumber
import pytest
from lxml import etree
from pdfminer.pdfdocument import PDFDocument
from pdfminer.pdfpage import PDFPage
from pdfminer.pdfparser import PDFParser
from pdfminer.pdftypes import PDFStream, resolve1
from pdfminer.psparser import PSLiteral

from benchmarks.synthetic import scaled
from kushiro_editor.appdata import sample_path
from kushiro_editor.formats import read_file
from kushiro_editor.formats.pdf import writer as pdf_writer
from kushiro_editor.formats.table import layout
from kushiro_editor.formats.table.layout import ExportOptions

SCALES = (1, pytest.param(20, marks=pytest.mark.slow))
NS = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "dc": "http://purl.org/dc/elements/1.1/",
    "xml": "http://www.w3.org/XML/1998/namespace",
}


@pytest.fixture(scope="module", params=SCALES, ids=lambda scale: f"{scale}x")
def written(request, tmp_path_factory):
    report = read_file(sample_path()).report
    if request.param > 1:
        report = scaled(report, request.param)
    path = tmp_path_factory.mktemp("publication") / "report.pdf"
    pdf_writer.write_file(report, path)
    with path.open("rb") as handle:
        document = PDFDocument(PDFParser(handle))
        pages = list(PDFPage.create_pages(document))
        yield report, path, document, pages


def _text(value) -> str:
    """A PDF text string (PDFDocEncoding or UTF-16 with its mark) as text."""
    value = resolve1(value)
    if value[:2] == b"\xfe\xff":
        return value[2:].decode("utf-16-be")
    return value.decode("latin-1")


def _name(value) -> str:
    value = resolve1(value)
    return value.name if isinstance(value, PSLiteral) else str(value)


def _fonts(resources, seen: set[int]):
    """Every font of a resource dictionary and of the form xobjects it holds."""
    resources = resolve1(resources) or {}
    for font in (resolve1(resources.get("Font")) or {}).values():
        yield resolve1(font)
    for xobject in (resolve1(resources.get("XObject")) or {}).values():
        stream = resolve1(xobject)
        if id(stream) in seen or _name(stream.attrs.get("Subtype")) != "Form":
            continue
        seen.add(id(stream))
        yield from _fonts(stream.attrs.get("Resources"), seen)


def _embedded(font: dict) -> bool:
    """Whether the font's outlines are in the file (a Type0 font's, in its descendant)."""
    if _name(font.get("Subtype")) == "Type0":
        return all(_embedded(resolve1(f)) for f in resolve1(font["DescendantFonts"]))
    descriptor = resolve1(font.get("FontDescriptor")) or {}
    return any(key in descriptor for key in ("FontFile", "FontFile2", "FontFile3"))


def test_every_font_of_every_page_and_annotation_is_embedded(written):
    _report, path, _document, pages = written
    seen: set[int] = set()
    fonts = []
    for page in pages:
        fonts.extend(_fonts(page.resources, seen))
        for annotation in resolve1(page.annots) or []:
            appearance = resolve1(resolve1(annotation).get("AP")) or {}
            for stream in appearance.values():
                stream = resolve1(stream)
                if isinstance(stream, PDFStream):
                    fonts.extend(_fonts(stream.attrs.get("Resources"), seen))
    assert fonts
    names = {_name(font["BaseFont"]) for font in fonts}
    assert all(_embedded(font) for font in fonts), names
    assert not any(re.search(r"Helvetica|Times|Courier|Symbol|Dingbats", n) for n in names)
    # Nothing anywhere in the file names a font that is not embedded (the
    # canvas's initial font was Helvetica, named once and never used).
    assert b"/Helvetica" not in path.read_bytes()


def test_information_names_title_author_subject_and_creator(written):
    report, _path, document, _pages = written
    info = document.info[0]
    title = layout.headings(report).title
    assert _text(info["Title"]) == title
    assert "令和2年度" in title and report.title in title
    assert _text(info["Author"]) == "釧路市"
    assert report.title in _text(info["Subject"]) and "令和3年度" in _text(info["Subject"])
    assert _text(info["Creator"]) == pdf_writer.CREATOR


def test_catalog_language_outline_mode_and_title_shown(written):
    _report, _path, document, _pages = written
    catalog = document.catalog
    assert _text(catalog["Lang"]) == "ja-JP"
    assert _name(catalog["PageMode"]) == "UseOutlines"
    assert resolve1(resolve1(catalog["ViewerPreferences"])["DisplayDocTitle"]) is True


def test_xmp_metadata_carries_title_creator_and_language(written):
    report, _path, document, _pages = written
    stream = resolve1(document.catalog["Metadata"])
    assert _name(stream.attrs["Type"]) == "Metadata" and _name(stream.attrs["Subtype"]) == "XML"
    data = stream.get_data()
    root = etree.fromstring(data[data.index(b"<x:xmpmeta") : data.index(b"</x:xmpmeta>") + 12])
    description = root.find("rdf:RDF/rdf:Description", NS)
    assert description.findtext("dc:title/rdf:Alt/rdf:li", namespaces=NS) == (
        layout.headings(report).title
    )
    assert description.findtext("dc:creator/rdf:Seq/rdf:li", namespaces=NS) == "釧路市"
    assert description.findtext("dc:language/rdf:Bag/rdf:li", namespaces=NS) == "ja-JP"
    assert report.title in description.findtext("dc:description/rdf:Alt/rdf:li", namespaces=NS)


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_outline_lists_every_goal_and_direction_at_its_page(written):
    report, path, document, pages = written
    expected = [
        (1 if row.level == "goal" else 2, " ".join(row.text.split()))
        for row in layout.rows(report)
        if row.level in ("goal", "direction")
    ]
    outline = list(document.get_outlines())
    assert [(level, title) for level, title, *_rest in outline] == expected
    number = {page.pageid: index for index, page in enumerate(pages)}
    with pdfplumber.open(path) as pdf:
        texts = [_flat(page.extract_text()) for page in pdf.pages]
        # Headings are found in order, each at or after the one before it (the
        # 20x report repeats the sample's directions under numbered goals).
        at = 0
        for _level, title, dest, *_rest in outline:
            dest = resolve1(dest)
            page = number[dest[0].objid]
            while _flat(title)[:20] not in texts[at]:
                at += 1
            assert page == at, (title, page, at)
            # The destination's top is the heading row's top, where the text stands.
            top = pdf.pages[page].height - float(dest[3])
            found = pdf.pages[page].search(title[:6], regex=False)
            assert any(0 <= hit["top"] - top <= 15 for hit in found), (title, top)


def test_author_follows_the_export_option(tmp_path, sample_result):
    path = tmp_path / "report.pdf"
    pdf_writer.write_file(sample_result.report, path, ExportOptions(author="釧路市 総合政策部"))
    with path.open("rb") as handle:
        document = PDFDocument(PDFParser(handle))
        assert _text(document.info[0]["Author"]) == "釧路市 総合政策部"
        assert (
            b"<rdf:li>\xe9\x87\xa7\xe8\xb7\xaf\xe5\xb8\x82 "
            in resolve1(document.catalog["Metadata"]).get_data()
        )
