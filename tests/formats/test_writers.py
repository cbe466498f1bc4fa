"""What the Word and the Excel writer promise alike: the same report back, atomic writes."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings

from kushiro_editor.core.model import ReportError
from kushiro_editor.formats import read_file, write_file
from kushiro_editor.formats.docx import writer as docx_writer
from kushiro_editor.formats.pdf import writer as pdf_writer
from kushiro_editor.formats.xlsx import writer as xlsx_writer
from tests.formats.handmade import content, printed_characters
from tests.strategies import reports

WRITERS = {"docx": docx_writer, "xlsx": xlsx_writer}
# The PDF is not read back into the same report, but is written the same way.
ALL_WRITERS = {**WRITERS, "pdf": pdf_writer}


@pytest.fixture(params=sorted(WRITERS))
def kind(request) -> str:
    return request.param


@pytest.fixture(params=sorted(ALL_WRITERS))
def any_kind(request) -> str:
    return request.param


def test_own_file_reads_back_identically(tmp_path, sample_result, kind):
    path = tmp_path / f"report.{kind}"
    WRITERS[kind].write_file(sample_result.report, path)
    result = read_file(path)
    assert content(result.report) == content(sample_result.report)
    assert result.warnings == []


@pytest.mark.parametrize("suffix", [".docx", ".xlsx", ".json", ".DOCX"])
def test_write_file_chooses_the_writer_by_extension(tmp_path, sample_result, suffix):
    path = tmp_path / f"report{suffix}"
    write_file(sample_result.report, path)
    assert content(read_file(path).report) == content(sample_result.report)


def test_write_file_writes_a_pdf_by_its_extension(tmp_path, sample_result):
    path = tmp_path / "report.PDF"
    write_file(sample_result.report, path)
    assert path.read_bytes().startswith(b"%PDF-")


def test_write_file_refuses_an_unknown_extension(tmp_path, sample_result):
    with pytest.raises(ReportError, match="書き出せません"):
        write_file(sample_result.report, tmp_path / "report.odt")
    assert not (tmp_path / "report.odt").exists()


@pytest.mark.parametrize("kind", sorted(WRITERS))
@settings(max_examples=25)
@given(reports())
def test_round_trip_property(tmp_path_factory, kind, report):
    path = tmp_path_factory.mktemp(kind) / f"r.{kind}"
    WRITERS[kind].write_file(report, path)
    assert content(read_file(path).report) == content(report)


@settings(max_examples=20)
@given(reports())
def test_pdf_shows_every_character_of_any_report(tmp_path_factory, report):
    import pdfplumber

    path = tmp_path_factory.mktemp("pdf") / "r.pdf"
    pdf_writer.write_file(report, path)
    with pdfplumber.open(path) as pdf:
        shown = Counter(ch["text"] for page in pdf.pages for ch in page.chars)
    assert not printed_characters(report) - shown


def test_write_is_atomic(tmp_path, sample_result, monkeypatch, any_kind):
    kind = any_kind
    path = tmp_path / f"report.{kind}"
    path.write_bytes(b"the previous export")

    def fail(*_args, **_kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("os.fsync", fail)
    with pytest.raises(ReportError, match="ディスクの空きが足りません"):
        ALL_WRITERS[kind].write_file(sample_result.report, path)
    assert path.read_bytes() == b"the previous export"
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"report.{kind}"]


def test_target_open_elsewhere_is_explained(tmp_path, sample_result, monkeypatch, any_kind):
    kind = any_kind
    path = tmp_path / f"report.{kind}"
    path.write_bytes(b"old")

    def locked(self, target):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "replace", locked)
    with pytest.raises(ReportError, match="Word や Excel で開いていれば閉じて"):
        ALL_WRITERS[kind].write_file(sample_result.report, path)
    assert path.read_bytes() == b"old"
