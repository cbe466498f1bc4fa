"""The readers against files that claim more than they hold, and Word's wrappers.

Each file is generated here: a sheet whose merged range or last value claims
the whole sheet, a description continued over thousands of left-only rows, a
formula without a value, a table inside a content control, odd grid spans.
"""

from __future__ import annotations

import re
import tracemalloc
import zipfile
from pathlib import Path

import pytest
from lxml import etree
from openpyxl import Workbook, load_workbook

from benchmarks.shapes import left_only_docx, left_only_rows, left_only_xlsx
from kushiro_editor.core import richtext
from kushiro_editor.core.model import ImportResult, ReportError
from kushiro_editor.formats import read_file
from kushiro_editor.formats.docx import writer as docx_writer
from kushiro_editor.formats.inquiry import answers as inquiry_answers
from kushiro_editor.formats.inquiry import packs as inquiry_packs
from kushiro_editor.formats.xlsx import writer as xlsx_writer
from tests.formats.handmade import content

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
# Well under what the claimed sheets would take if their cells were made.
MEMORY_CEILING = 200 * 1024 * 1024


def rewrite_member(path: Path, member: str, change) -> None:
    """Replace one zip member by ``change(text)``."""
    with zipfile.ZipFile(path) as archive:
        items = [(info, archive.read(info.filename)) for info in archive.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for info, data in items:
            if info.filename == member:
                data = change(data.decode("utf-8")).encode("utf-8")
            archive.writestr(info, data)


def add_merge(xml: str, ref: str) -> str:
    """A sheet's XML with one more merged range."""
    if "<mergeCells" in xml:
        return re.sub(r"<mergeCells[^>]*>", lambda m: f'{m[0]}<mergeCell ref="{ref}"/>', xml)
    return xml.replace(
        "</sheetData>", f'</sheetData><mergeCells><mergeCell ref="{ref}"/></mergeCells>'
    )


def within_memory(work):
    """``work()``'s result, failing when it takes more memory than the ceiling."""
    tracemalloc.start()
    try:
        result = work()
        _now, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < MEMORY_CEILING
    return result


def handmade_xlsx(path: Path, rows: int = 0) -> Path:
    """A small report table as another program writes it."""
    return left_only_xlsx(path, rows)


# -- class 2: sheets that claim far more than they hold ----------------------
def test_merge_below_the_table_over_the_whole_sheet_reads_as_without(tmp_path):
    clean = read_file(handmade_xlsx(tmp_path / "clean.xlsx"))
    path = handmade_xlsx(tmp_path / "merged.xlsx")
    rewrite_member(path, "xl/worksheets/sheet1.xml", lambda x: add_merge(x, "A20:XFD1048576"))
    assert path.stat().st_size < 50_000
    result = within_memory(lambda: read_file(path))
    assert content(result.report) == content(clean.report)


def test_merge_over_the_whole_sheet_is_read_or_refused_in_one_message(tmp_path):
    path = handmade_xlsx(tmp_path / "merged.xlsx")
    rewrite_member(path, "xl/worksheets/sheet1.xml", lambda x: add_merge(x, "A1:XFD1048576"))
    try:
        result = within_memory(lambda: read_file(path))
    except ReportError as exc:
        assert "\n" not in str(exc)
    else:
        assert isinstance(result, ImportResult)


def test_value_in_the_last_row_and_a_claimed_dimension_are_not_walked(tmp_path):
    path = handmade_xlsx(tmp_path / "far.xlsx")
    workbook = load_workbook(path)
    workbook.active.cell(row=1_048_576, column=16_384, value="末尾")
    workbook.save(path)
    rewrite_member(
        path,
        "xl/worksheets/sheet1.xml",
        lambda x: re.sub(r'<dimension ref="[^"]*"/>', '<dimension ref="A1:XFD1048576"/>', x),
    )
    clean = read_file(handmade_xlsx(tmp_path / "clean.xlsx"))
    result = within_memory(lambda: read_file(path))
    assert content(result.report) == content(clean.report)


def pack(tmp_path: Path, report) -> tuple[Path, str]:
    department = report.departments()[0]
    path = tmp_path / "pack.xlsx"
    inquiry_packs.write_pack(report, department, path)
    return path, department


def answer_sheet_member(path: Path) -> str:
    """The zip member of the answer sheet (the second sheet)."""
    return "xl/worksheets/sheet2.xml"


def test_answers_with_a_huge_merge_and_a_far_value_read_as_sent(tmp_path, sample_result):
    path, _department = pack(tmp_path, sample_result.report)
    before = inquiry_answers.read_answers(path)
    workbook = load_workbook(path)
    workbook[inquiry_packs.ANSWER_SHEET].cell(row=1_048_576, column=100, value="x")
    workbook.save(path)
    rewrite_member(path, answer_sheet_member(path), lambda x: add_merge(x, "M200:XFD1048576"))
    answers = within_memory(lambda: inquiry_answers.read_answers(path))
    assert [r.entry_id for r in answers.rows] == [r.entry_id for r in before.rows]
    assert all(not r.answered for r in answers.rows)


# -- class 3: linear readers ----------------------------------------------------
def parsed_characters(monkeypatch, work) -> int:
    """Characters of rich text parsed while ``work()`` runs."""
    seen = [0]
    parse = richtext.parse

    def counting(markup, *args, **kwargs):
        seen[0] += len(markup)
        return parse(markup, *args, **kwargs)

    monkeypatch.setattr(richtext, "parse", counting)
    work()
    monkeypatch.setattr(richtext, "parse", parse)
    return seen[0]


@pytest.mark.parametrize("make", [left_only_xlsx, left_only_docx])
def test_a_long_left_column_is_read_in_linear_work(tmp_path, monkeypatch, make):
    small = make(tmp_path / f"small.{make.__name__[-4:]}", 500)
    large = make(tmp_path / f"large.{make.__name__[-4:]}", 2000)
    work_small = parsed_characters(monkeypatch, lambda: read_file(small))
    result = []
    work_large = parsed_characters(monkeypatch, lambda: result.append(read_file(large)))
    # Quadratic work grows sixteenfold from 500 to 2,000 rows; linear, fourfold.
    assert work_large < work_small * 6
    measure = result[0].report.goals[0].directions[0].measures[0]
    assert len(richtext.parse(measure.body)) == 2000
    assert left_only_rows(2000)[-1][0] in richtext.to_plain(measure.body)


# -- class 9: formulas without a value ------------------------------------------
def test_formula_without_a_value_is_reported_and_kept_out(tmp_path):
    path = handmade_xlsx(tmp_path / "formula.xlsx")
    workbook = load_workbook(path)
    workbook.active["C5"] = '=CONCAT("案内所","を運営した。")'
    workbook.save(path)
    result = read_file(path)
    formula = [w for w in result.warnings if w.topic == "formula"]
    assert len(formula) == 1 and "Sheet C5" in formula[0].message
    entry = result.report.goals[0].directions[0].entries[0]
    assert "CONCAT" not in entry.actual and entry.actual == ""


def test_formula_in_an_answer_is_a_problem(tmp_path, sample_result):
    path, _department = pack(tmp_path, sample_result.report)
    workbook = load_workbook(path)
    workbook[inquiry_packs.ANSWER_SHEET].cell(
        row=inquiry_packs.FIRST_ROW, column=inquiry_packs.COL_ACTUAL
    ).value = "=1+1"
    workbook.save(path)
    answers = inquiry_answers.read_answers(path)
    assert any(p.startswith("F5:") and "数式" in p for p in answers.problems)
    assert all("1+1" not in text for r in answers.rows for text in r.answered.values())


# -- class 8: tables inside content controls and custom XML ----------------------
def wrap_table(path: Path, wrappers: list[str], rows_too: bool = False) -> None:
    """Put the document's table inside the given wrappers (outermost first)."""

    def change(xml: str) -> str:
        root = etree.fromstring(xml.encode("utf-8"))
        body = root.find(f"{{{W}}}body")
        table = body.find(f"{{{W}}}tbl")
        index = list(body).index(table)
        body.remove(table)
        outer = inner = None
        for tag in wrappers:
            node = etree.Element(f"{{{W}}}{tag}")
            content_node = etree.SubElement(node, f"{{{W}}}sdtContent") if tag == "sdt" else node
            if inner is None:
                outer = node
            else:
                inner.append(node)
            inner = content_node
        inner.append(table)
        body.insert(index, outer)
        if rows_too:
            for tr in list(table.findall(f"{{{W}}}tr"))[2:]:
                sdt = etree.Element(f"{{{W}}}sdt")
                holder = etree.SubElement(sdt, f"{{{W}}}sdtContent")
                table.replace(tr, sdt)
                holder.append(tr)
        return etree.tostring(root, xml_declaration=True, encoding="UTF-8").decode("utf-8")

    rewrite_member(path, "word/document.xml", change)


@pytest.mark.parametrize(
    ("wrappers", "rows_too"),
    [(["sdt"], False), (["customXml"], False), (["customXml", "sdt"], False), (["sdt"], True)],
)
def test_table_in_a_content_control_is_read(tmp_path, sample_result, wrappers, rows_too):
    path = tmp_path / "wrapped.docx"
    docx_writer.write_file(sample_result.report, path)
    wrap_table(path, wrappers, rows_too)
    assert content(read_file(path).report) == content(sample_result.report)


# -- odd grid spans and vertical merges --------------------------------------------
@pytest.mark.parametrize("value", ["abc", "-5", "0", "999999999999", ""])
def test_odd_grid_span_is_read_sensibly(tmp_path, sample_result, value):
    path = tmp_path / "span.docx"
    docx_writer.write_file(sample_result.report, path)
    rewrite_member(
        path,
        "word/document.xml",
        lambda x: x.replace('w:gridSpan w:val="4"', f'w:gridSpan w:val="{value}"'),
    )
    result = read_file(path)
    assert len(result.report.goals) == len(sample_result.report.goals)


@pytest.mark.parametrize(
    "change",
    [
        lambda x: x.replace('w:vMerge w:val="restart"', 'w:vMerge w:val="bogus"'),
        lambda x: x.replace('w:vMerge w:val="restart"', "w:vMerge"),
        lambda x: re.sub(r"<w:vMerge[^>]*/>", "", x),
    ],
)
def test_vertical_merge_oddities_read_or_one_message(tmp_path, sample_result, change):
    path = tmp_path / "vmerge.docx"
    docx_writer.write_file(sample_result.report, path)
    rewrite_member(path, "word/document.xml", change)
    try:
        result = read_file(path)
    except ReportError as exc:
        assert "\n" not in str(exc)
    else:
        assert result.report.goals


def test_workbook_without_rows_is_one_message(tmp_path):
    path = tmp_path / "empty.xlsx"
    Workbook().save(path)
    with pytest.raises(ReportError):
        read_file(path)


def test_xlsx_writer_output_still_reads_back(tmp_path, sample_result):
    path = tmp_path / "own.xlsx"
    xlsx_writer.write_file(sample_result.report, path)
    assert content(read_file(path).report) == content(sample_result.report)
