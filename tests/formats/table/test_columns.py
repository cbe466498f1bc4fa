"""The table's columns are declared once: a column declared in a test only is printed
by the Word, Excel and PDF writers and read back by their readers, with no other code
change; the header words are the same for every reader."""

from __future__ import annotations

import copy
import dataclasses

import pdfplumber
import pytest

from kushiro_editor.core import kinds
from kushiro_editor.core.model import Direction, Entry, Goal, Measure, Report
from kushiro_editor.formats import read_file, write_file
from kushiro_editor.formats.table import columns
from kushiro_editor.formats.table.header import role_of
from kushiro_editor.formats.xlsx.shapes import Shape

NOTE = kinds.Field("note", "備考", kinds.RICH, "", searched=True, compared=True)


def _set_note(entry: Entry, text: str) -> None:
    entry.note = text


@pytest.fixture
def note_column(monkeypatch):
    """A 備考 column right of 取組予定, holding a value per entry declared for the test."""
    kinds.add_field("entry", NOTE)
    note = columns.Column(
        role="note",
        name="備考",
        words=("備考",),
        heading="備考",
        share=0.10,
        excel_width=16,
        holds=columns.TEXT,
        rank=4,
        required=False,
        cell=lambda entry: getattr(entry, "note", ""),
        store=_set_note,
    )
    # The left column gives the new one its share of the width.
    left, *rest = columns.COLUMNS
    narrower = dataclasses.replace(left, share=left.share - note.share)
    monkeypatch.setattr(columns, "COLUMNS", (narrower, *rest, note))
    yield note
    kinds.remove_field("entry", NOTE.name)


def _report() -> Report:
    entries = [
        Entry(departments=["観光振興室"], actual="<p>誘致した。</p>", plan="<p>続ける。</p>"),
        Entry(departments=["商業労政課"], actual="<p>支援した。</p>", plan="<p>広げる。</p>"),
    ]
    entries[0].note = "<p>補正予算で追加</p>"
    entries[1].note = ""
    direction = Direction(
        title="地域の魅力を高める",
        measures=[Measure(title="観光の振興", body="<p>観光客を増やす。</p>")],
        entries=entries,
    )
    report = Report(
        title="進捗報告",
        actual_year=2020,
        goals=[Goal(title="しごとをつくる", directions=[direction])],
    )
    report.renumber()
    return report


@pytest.mark.parametrize("suffix", ["docx", "xlsx"])
def test_a_declared_column_is_written_and_read_back(note_column, tmp_path, suffix):
    path = tmp_path / f"report.{suffix}"
    write_file(_report(), path)
    result = read_file(path)
    entries = result.report.goals[0].directions[0].entries
    assert [e.departments for e in entries] == [["観光振興室"], ["商業労政課"]]
    assert [e.note for e in entries] == ["<p>補正予算で追加</p>", ""]
    assert [e.actual for e in entries] == ["<p>誘致した。</p>", "<p>支援した。</p>"]
    assert [e.plan for e in entries] == ["<p>続ける。</p>", "<p>広げる。</p>"]


def test_a_declared_column_is_printed_in_the_pdf_and_read_back(note_column, tmp_path):
    path = tmp_path / "report.pdf"
    write_file(_report(), path)
    with pdfplumber.open(path) as pdf:
        words = pdf.pages[0].extract_words()
    texts = [w["text"] for w in words]
    assert "備考" in texts
    heading = next(w for w in words if w["text"] == "備考")
    plan = next(w for w in words if "取組予定" in w["text"])
    assert heading["x0"] > plan["x1"]  # right of 取組予定, as declared
    entries = read_file(path).report.goals[0].directions[0].entries
    assert [e.note for e in entries] == ["<p>補正予算で追加</p>", ""]
    assert [e.plan for e in entries] == ["<p>続ける。</p>", "<p>広げる。</p>"]


def test_without_the_declaration_the_files_have_four_columns(tmp_path):
    path = tmp_path / "report.docx"
    write_file(_report(), path)
    with pdfplumber.open(_pdf(tmp_path)) as pdf:
        assert "備考" not in pdf.pages[0].extract_text()
    assert not hasattr(read_file(path).report.goals[0].directions[0].entries[0], "note")


def _pdf(tmp_path):
    path = tmp_path / "four.pdf"
    write_file(_report(), path)
    return path


@pytest.mark.parametrize("suffix", ["docx", "xlsx", "pdf", "json"])
def test_writers_leave_the_report_as_they_were_handed_it(tmp_path, suffix):
    report = _report()
    # Numbers and labels as a half-made edit leaves them: not renumbered.
    report.goals[0].number = 7
    report.goals[0].directions[0].number = 5
    report.goals[0].directions[0].measures[0].label = "ウ"
    before = copy.deepcopy(report)
    write_file(report, tmp_path / f"report.{suffix}")
    assert report == before
    # The file is numbered from positions all the same.
    read = read_file(tmp_path / f"report.{suffix}").report
    assert read.goals[0].number == 1
    assert read.goals[0].directions[0].number == 1
    assert read.goals[0].directions[0].measures[0].label == "ア"


def test_the_header_words_are_the_columns_words_for_every_reader():
    assert role_of("所管部署") == columns.DEPARTMENTS
    assert role_of("担当課") == columns.DEPARTMENTS
    assert role_of("令和2年度(実績)") == columns.ACTUAL
    assert role_of("取組実績") == columns.ACTUAL  # 実績 ranks before the plan's 取組
    assert role_of("令和3年度(取組予定)") == columns.PLAN
    assert role_of("基本目標と基本的方向、具体的な施策") == columns.LEFT
    # A bare 「…課」 is a department's name (or 課題), never a heading — the
    # PDF reader included, which takes its words from the same place.
    assert role_of("観光振興課") is None
    assert role_of("課題") is None


def test_the_shape_letters_are_the_files_format():
    # Files already written hold these letters: they are never renamed.
    assert {shape.name: shape.value for shape in Shape} == {
        "PARAGRAPH": "P",
        "ITEM": "L",
        "BREAK": "B",
        "JOINED": "J",
        "MEASURE": "M",
        "PROJECTS": "H",
        "PROJECT": "N",
        "RELISTED": "R",
    }
