"""Any bytes in: either a report or one clear error, never an exception escaping."""

from __future__ import annotations

import io
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kushiro_editor.core.model import ImportResult, ReportError
from kushiro_editor.formats import read_file
from kushiro_editor.formats import reportjson as json_format
from kushiro_editor.formats.docx import writer as docx_writer
from kushiro_editor.formats.xlsx import writer as xlsx_writer
from tests.conftest import SAMPLE

# Damaged workbooks make openpyxl warn before it fails; the failure is what is tested.
pytestmark = [pytest.mark.slow, pytest.mark.filterwarnings("ignore::UserWarning")]

FUZZ = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _valid_files() -> dict[str, bytes]:
    report = read_file(SAMPLE).report
    files = {"tsv": SAMPLE.read_bytes(), "json": json_format.dumps(report).encode()}
    for kind, module in (("docx", docx_writer), ("xlsx", xlsx_writer)):
        buffer = io.BytesIO()
        module.build(report).save(buffer)
        files[kind] = buffer.getvalue()
    return files


VALID = _valid_files()


def _read(tmp_path, kind: str, data: bytes) -> None:
    path = tmp_path / f"input.{kind}"
    path.write_bytes(data)
    try:
        result = read_file(path)
    except ReportError as exc:
        assert str(exc) and "\n" not in str(exc).strip()
    else:
        assert isinstance(result, ImportResult)


@pytest.mark.parametrize("kind", ["tsv", "txt", "json", "docx", "xlsx"])
@FUZZ
@given(data=st.binary(max_size=4096))
def test_random_bytes(tmp_path, kind, data):
    _read(tmp_path, kind, data)


@pytest.mark.parametrize("kind", ["tsv", "json", "docx", "xlsx"])
@FUZZ
@given(data=st.data())
def test_mutated_real_files(tmp_path, kind, data):
    original = bytearray(VALID[kind])
    how = data.draw(st.sampled_from(["flip", "truncate", "splice"]))
    if how == "flip":
        for _ in range(data.draw(st.integers(1, 20))):
            index = data.draw(st.integers(0, len(original) - 1))
            original[index] = data.draw(st.integers(0, 255))
    elif how == "truncate":
        original = original[: data.draw(st.integers(0, len(original)))]
    else:
        start = data.draw(st.integers(0, len(original)))
        original[start:start] = data.draw(st.binary(min_size=1, max_size=64))
    _read(tmp_path, kind, bytes(original))


XML_JUNK = st.one_of(
    st.binary(max_size=512),
    st.text(max_size=300).map(lambda t: t.encode("utf-8", "replace")),
    st.sampled_from(
        [
            b"",
            b"<a/>",
            b"<?xml version='1.0'?><x><y></x>",
            b"\xef\xbb\xbf<w:document/>",
            b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/'
            b'2006/main"><w:body><w:tbl><w:tr><w:tc><w:tcPr><w:gridSpan w:val="-3"/>'
            b"</w:tcPr></w:tc></w:tr></w:tbl></w:body></w:document>",
            b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/'
            b'2006/main"><w:body><w:sdt><w:sdtContent><w:tbl><w:tr><w:tc><w:tcPr>'
            b'<w:gridSpan w:val="abc"/><w:vMerge w:val="bogus"/></w:tcPr></w:tc></w:tr>'
            b"</w:tbl></w:sdtContent></w:sdt></w:body></w:document>",
            b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            b'<dimension ref="A1:XFD1048576"/><sheetData><row r="1048576"><c r="XFD1048576">'
            b'<f>1+1</f></c></row></sheetData><mergeCells><mergeCell ref="A1:XFD1048576"/>'
            b"</mergeCells></worksheet>",
        ]
    ),
)


@pytest.mark.parametrize("kind", ["docx", "xlsx"])
@FUZZ
@given(data=st.data())
def test_zip_members_replaced(tmp_path, kind, data):
    with zipfile.ZipFile(io.BytesIO(VALID[kind])) as archive:
        members = {info.filename: archive.read(info) for info in archive.infolist()}
    name = data.draw(st.sampled_from(sorted(members)))
    members[name] = data.draw(XML_JUNK)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for member, content in members.items():
            archive.writestr(member, content)
    _read(tmp_path, kind, buffer.getvalue())
