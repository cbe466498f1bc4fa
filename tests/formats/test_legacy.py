"""Excel 97–2003 (.xls) and Word 97–2003 (.doc) files: last year's file in an old format."""

from __future__ import annotations

import shutil

import pytest

from kushiro_editor.core.model import ReportError
from kushiro_editor.formats import legacy as old_formats
from kushiro_editor.formats import read_file
from tests.formats.corpus import Variant, write_docx, write_xlsx
from tests.formats.handmade import content
from tests.formats.pages import soffice

needs_soffice = pytest.mark.skipif(
    not shutil.which("soffice"), reason="LibreOffice (soffice) makes the old files here"
)


@pytest.mark.parametrize(
    "variant",
    [Variant(header="excel-issue"), Variant(split=True, two_rows=True, extra="備考")],
    ids=["one-sheet", "sheet-per-goal"],
)
@pytest.mark.soffice
@needs_soffice
def test_xls_reads_as_its_xlsx(tmp_path, variant):
    write_xlsx(tmp_path / "hand.xlsx", variant)
    soffice("--convert-to", "xls", "hand.xlsx", cwd=tmp_path)
    assert (tmp_path / "hand.xls").read_bytes()[:4] == b"\xd0\xcf\x11\xe0"  # a real .xls
    expected = read_file(tmp_path / "hand.xlsx")
    result = read_file(tmp_path / "hand.xls")
    assert content(result.report) == content(expected.report)
    # The bold measure heading came through xlrd's fonts.
    assert result.report.goals[0].directions[0].measures[0].title == "誘客の推進"
    assert [w.topic for w in result.warnings] == [w.topic for w in expected.warnings]


@pytest.mark.soffice
@needs_soffice
def test_doc_is_converted_by_libreoffice(tmp_path):
    write_docx(tmp_path / "hand.docx", Variant(notes=["※ 速報値です。"]))
    soffice("--convert-to", "doc", "hand.docx", cwd=tmp_path)
    expected = read_file(tmp_path / "hand.docx")
    result = read_file(tmp_path / "hand.doc")
    assert content(result.report) == content(expected.report)
    assert any("速報値" in w.message for w in result.warnings)


def test_doc_without_libreoffice_says_how_to_save_as_docx(tmp_path, monkeypatch):
    (tmp_path / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0" + b"\0" * 600)
    monkeypatch.setattr(old_formats, "soffice_command", lambda: None)
    with pytest.raises(ReportError) as raised:
        read_file(tmp_path / "old.doc")
    message = str(raised.value)
    assert "old.doc" in message and "名前を付けて保存" in message and "(*.docx)" in message


def test_a_file_named_xls_that_is_not_one(tmp_path):
    (tmp_path / "bad.xls").write_bytes(b"not a workbook at all")
    with pytest.raises(ReportError, match="Excel 97-2003"):
        read_file(tmp_path / "bad.xls")


@pytest.mark.parametrize("name", ["missing.xls", "missing.doc"])
def test_a_missing_old_file(tmp_path, name):
    with pytest.raises(ReportError, match="見つかりません"):
        read_file(tmp_path / name)
