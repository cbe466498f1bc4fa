"""Workbooks re-saved by another program read back as the same report."""

from __future__ import annotations

from openpyxl import load_workbook
from openpyxl.cell.rich_text import CellRichText

from kushiro_editor.formats import read_file
from kushiro_editor.formats.inquiry import answers as inquiry_answers
from kushiro_editor.formats.inquiry import packs as inquiry_packs
from kushiro_editor.formats.xlsx import writer as xlsx_writer
from tests.formats.handmade import content
from tests.formats.other_programs import resave_as_rich_text


def test_every_cell_rich_text_reads_back_the_same_report(tmp_path, sample_result):
    xlsx_writer.write_file(sample_result.report, tmp_path / "report.xlsx")
    resave_as_rich_text(tmp_path / "report.xlsx", tmp_path / "resaved.xlsx")
    book = load_workbook(tmp_path / "resaved.xlsx", rich_text=True)
    hidden = book[xlsx_writer.DATA_SHEET]
    assert hidden.sheet_state == "hidden"
    assert isinstance(hidden["A1"].value, CellRichText)  # the copy is what it claims
    result = read_file(tmp_path / "resaved.xlsx")
    assert content(result.report) == content(sample_result.report)
    assert not [w for w in result.warnings if w.topic == "edited"]


def test_the_next_export_hides_the_data_sheet_again(tmp_path, sample_result):
    xlsx_writer.write_file(sample_result.report, tmp_path / "report.xlsx")
    resave_as_rich_text(tmp_path / "report.xlsx", tmp_path / "resaved.xlsx")
    report = read_file(tmp_path / "resaved.xlsx").report
    xlsx_writer.write_file(report, tmp_path / "again.xlsx")
    book = load_workbook(tmp_path / "again.xlsx")
    assert book[xlsx_writer.DATA_SHEET].sheet_state == "veryHidden"
    assert content(read_file(tmp_path / "again.xlsx").report) == content(sample_result.report)


def test_an_answered_pack_stored_as_rich_text_reads_the_same(tmp_path, sample_store):
    from kushiro_editor.core import yearly

    report = yearly.rollover(sample_store.load(2020))
    written = inquiry_packs.export_packs(report, tmp_path / "packs", ["農林課"])
    path = written[0][1]
    book = load_workbook(path)
    sheet = book[inquiry_packs.ANSWER_SHEET]
    sheet.cell(row=inquiry_packs.FIRST_ROW, column=inquiry_packs.COL_PLAN, value="DX を進める。")
    book.save(path)
    resave_as_rich_text(path, tmp_path / "resaved.xlsx")
    expected = inquiry_answers.read_answers(path)
    got = inquiry_answers.read_answers(tmp_path / "resaved.xlsx")
    assert got.problems == expected.problems == []
    assert [(r.entry_id, r.answered, r.context_changed) for r in got.rows] == [
        (r.entry_id, r.answered, r.context_changed) for r in expected.rows
    ]
    assert got.rows[0].answered == {"plan": "<p>DX を進める。</p>"}
