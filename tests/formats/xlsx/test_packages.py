"""Workbook packages as Excel and other tools save them: Strict, renamed parts, macros."""

from __future__ import annotations

import datetime
import warnings
import zipfile

import pytest
from openpyxl import load_workbook

from kushiro_editor.core.model import ReportError
from kushiro_editor.formats import read_file
from kushiro_editor.formats.xlsx.cells import open_workbook
from tests.formats.corpus import EXPECTED_ENTRIES, Variant, write_xlsx
from tests.formats.handmade import content, entry_texts, excel_sheets

# The transitional namespaces an openpyxl book uses, and their Strict names (ISO/IEC 29500-1).
STRICT = {
    "http://schemas.openxmlformats.org/spreadsheetml/2006/main": (
        "http://purl.oclc.org/ooxml/spreadsheetml/main"
    ),
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships": (
        "http://purl.oclc.org/ooxml/officeDocument/relationships"
    ),
    "http://schemas.openxmlformats.org/drawingml/2006/main": (
        "http://purl.oclc.org/ooxml/drawingml/main"
    ),
    "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties": (
        "http://purl.oclc.org/ooxml/officeDocument/extendedProperties"
    ),
    "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes": (
        "http://purl.oclc.org/ooxml/officeDocument/docPropsVTypes"
    ),
}
BOOK_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"


def _files(path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _save(path, files: dict[str, bytes]) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)


def _strict(files: dict[str, bytes]) -> dict[str, bytes]:
    """The package as Excel's 「Strict Open XML スプレッドシート」 stores it."""
    out = {}
    for name, data in files.items():
        for usual, strict in STRICT.items():
            data = data.replace(usual.encode(), strict.encode())
        out[name] = data
    book = out["xl/workbook.xml"]
    out["xl/workbook.xml"] = book.replace(b"<workbook ", b'<workbook conformance="strict" ', 1)
    return out


def _corpus(tmp_path, name="corpus.xlsx", *, iso_dates=False):
    """The corpus book, with a date and a number typed into 教育支援課's text cells."""
    path = tmp_path / name
    write_xlsx(path, Variant(two_rows=True))
    workbook = load_workbook(path, rich_text=True)
    sheet = workbook["進捗"]
    row = next(c.row for c in sheet["B"] if c.value == "教育支援課")
    sheet.cell(row, 3).value = datetime.datetime(2021, 3, 31)
    sheet.cell(row, 4).value = 1200.5
    workbook.iso_dates = iso_dates  # how a Strict book stores a date: an ISO string
    workbook.save(path)
    return path


def test_a_strict_book_reads_as_its_transitional_twin(tmp_path):
    twin = _corpus(tmp_path)
    path = tmp_path / "strict.xlsx"
    _save(path, _strict(_files(_corpus(tmp_path, "iso.xlsx", iso_dates=True))))
    assert b"purl.oclc.org" in _files(path)["xl/worksheets/sheet1.xml"]

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = read_file(path)
    assert [str(w.message) for w in caught] == []  # nothing of openpyxl's on the terminal

    expected = read_file(twin)
    assert content(result.report) == content(expected.report)
    assert entry_texts(result.report)[:3] == EXPECTED_ENTRIES[:3]
    dated = entry_texts(result.report)[3]
    assert dated[0] == ["教育支援課"] and "2021" in dated[1] and dated[2] == "1200.5"
    assert [w.message for w in result.warnings] == [w.message for w in expected.warnings]


def _renamed(files: dict[str, bytes], name: str, *, types: bool) -> dict[str, bytes]:
    """The workbook part moved to ``xl/{name}``, the package's relationships following."""
    out = dict(files)
    out[f"xl/{name}"] = out.pop("xl/workbook.xml")
    out[f"xl/_rels/{name}.rels"] = out.pop("xl/_rels/workbook.xml.rels")
    out["_rels/.rels"] = out["_rels/.rels"].replace(b"xl/workbook.xml", f"xl/{name}".encode())
    if types:
        out["[Content_Types].xml"] = out["[Content_Types].xml"].replace(
            b"/xl/workbook.xml", f"/xl/{name}".encode()
        )
    return out


@pytest.mark.parametrize("types", [True, False], ids=["types-follow", "types-left-behind"])
def test_a_workbook_part_under_another_name_is_read(tmp_path, types):
    source = tmp_path / "corpus.xlsx"
    write_xlsx(source, Variant())
    path = tmp_path / "renamed.xlsx"
    _save(path, _renamed(_files(source), "book.xml", types=types))
    result = read_file(path)
    assert entry_texts(result.report) == EXPECTED_ENTRIES


def test_a_stale_workbook_xml_beside_the_named_one_is_not_read(tmp_path):
    """A tool renamed the workbook and left the old part, with last year's sheet, behind."""
    source = tmp_path / "corpus.xlsx"
    write_xlsx(source, Variant())
    stale = tmp_path / "stale.xlsx"
    excel_sheets(stale)  # another report: its texts are not the corpus's
    files = _renamed(_files(source), "book2.xml", types=True)
    old = _files(stale)
    files["xl/worksheets/old1.xml"] = old["xl/worksheets/sheet1.xml"]
    files["xl/workbook.xml"] = old["xl/workbook.xml"]
    files["xl/_rels/workbook.xml.rels"] = old["xl/_rels/workbook.xml.rels"].replace(
        b"/xl/worksheets/sheet1.xml", b"/xl/worksheets/old1.xml"
    )
    # Both parts typed as a workbook, the stale one first: openpyxl takes the first.
    types = files["[Content_Types].xml"]
    stale_type = f'<Override PartName="/xl/workbook.xml" ContentType="{BOOK_TYPE}"/>'.encode()
    files["[Content_Types].xml"] = types.replace(b"<Override ", stale_type + b"<Override ", 1)
    path = tmp_path / "two-books.xlsx"
    _save(path, files)

    result = read_file(path)

    assert entry_texts(result.report) == EXPECTED_ENTRIES


def test_a_package_naming_no_workbook_is_refused(tmp_path):
    source = tmp_path / "corpus.xlsx"
    write_xlsx(source, Variant())
    files = _files(source)
    files["_rels/.rels"] = files["_rels/.rels"].replace(b"xl/workbook.xml", b"xl/gone.xml")
    path = tmp_path / "nothing.xlsx"
    _save(path, files)
    with pytest.raises(ReportError, match="ブックの本体が見つかりません"):
        read_file(path)


MACRO_BOOKS = {
    ".xlsm": "application/vnd.ms-excel.sheet.macroEnabled.main+xml",
    ".xltx": "application/vnd.openxmlformats-officedocument.spreadsheetml.template.main+xml",
    ".xltm": "application/vnd.ms-excel.template.macroEnabled.main+xml",
}
VBA = "http://schemas.microsoft.com/office/2006/relationships/vbaProject"


def _macro_book(source, path, book_type: str) -> None:
    files = _files(source)
    files["[Content_Types].xml"] = (
        files["[Content_Types].xml"]
        .replace(BOOK_TYPE.encode(), book_type.encode())
        .replace(
            b"<Default ",
            b'<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>'
            b"<Default ",
            1,
        )
    )
    vba = f'<Relationship Id="rIdVba" Type="{VBA}" Target="vbaProject.bin"/>'
    files["xl/_rels/workbook.xml.rels"] = files["xl/_rels/workbook.xml.rels"].replace(
        b"</Relationships>", vba.encode() + b"</Relationships>"
    )
    files["xl/vbaProject.bin"] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"Sub Auto_Open()" * 40
    _save(path, files)


@pytest.mark.parametrize("suffix", sorted(MACRO_BOOKS))
def test_macro_enabled_books_and_templates_are_read_as_books(tmp_path, suffix):
    source = tmp_path / "corpus.xlsx"
    write_xlsx(source, Variant())
    path = tmp_path / f"last-year{suffix}"
    _macro_book(source, path, MACRO_BOOKS[suffix])

    result = read_file(path)

    assert entry_texts(result.report) == EXPECTED_ENTRIES
    book = open_workbook(path)
    try:
        assert book.workbook.vba_archive is None  # the macros are not kept
    finally:
        book.close()
