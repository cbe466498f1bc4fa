"""The pack's 「前年度の取組予定」 beside the 実績: filled from last year's row, never read back."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook

from kushiro_editor.core import previousplan, richtext, yearly
from kushiro_editor.core.model import Entry
from kushiro_editor.formats.inquiry import answers as inquiry_answers
from kushiro_editor.formats.inquiry import packs as inquiry_packs

FIRST, ACTUAL, PLAN = inquiry_packs.FIRST_ROW, inquiry_packs.COL_ACTUAL, inquiry_packs.COL_PLAN
BESIDE = inquiry_packs.COL_PREVIOUS_PLAN
# A pack of version 2 (answers in columns 5 and 6), written by the editor before the column.
OLD_PACK = Path(__file__).parent / "reference" / "pack_v2.xlsx"


@pytest.fixture
def year_2021(sample_store):
    """FY2021 made from the sample as an import makes it: rows matched, nothing kept."""
    report = yearly.rollover(sample_store.load(2020))
    for _goal, _direction, entry in report.entries():
        entry.previous_actual = entry.previous_plan = None
    # A row new this year, without a plan of last year.
    report.goals[0].directions[0].entries.append(Entry(["農林課"], actual="新しく始めた。"))
    sample_store.save(report)
    return sample_store, sample_store.load(2021)


def _write(tmp_path, store, report, department="農林課", name="pack.xlsx"):
    path = tmp_path / name
    texts = yearly.previous_texts(report, store.load_previous(report))
    inquiry_packs.write_pack(report, department, path, texts)
    return path


def _read(path):
    return [(r.entry_id, r.answered, r.blank) for r in inquiry_answers.read_answers(path).rows]


@pytest.mark.both_engines
def test_last_years_plan_stands_left_of_the_result(tmp_path, year_2021):
    store, report = year_2021
    path = _write(tmp_path, store, report)
    sheet = load_workbook(path)[inquiry_packs.ANSWER_SHEET]
    assert BESIDE == ACTUAL - 1
    assert sheet.cell(row=inquiry_packs.HEADER_ROW, column=BESIDE).value == "前年度の取組予定"
    plans = previousplan.previous_plans(report, store.load(2020))
    rows = inquiry_packs.entries_of(report, "農林課")
    shown = [sheet.cell(row=FIRST + i, column=BESIDE).value for i in range(len(rows))]
    expected = [richtext.to_plain(plans.of(e)) or None for _g, _d, e in rows]
    assert shown == expected
    last_year = store.load(2020)
    first_plan = next(e.plan for _g, _d, e in last_year.entries() if e.departments == ["農林課"])
    assert shown[0] == richtext.to_plain(first_plan) and shown[0].startswith("・")
    assert shown[-1] is None  # the new row had no plan last year
    for index in range(len(rows)):
        cell = sheet.cell(row=FIRST + index, column=BESIDE)
        assert cell.protection.locked and cell.fill.fgColor.rgb == "00E7E6E6"
        assert cell.font.color.rgb == "00404040"
        assert not sheet.cell(row=FIRST + index, column=ACTUAL).protection.locked
    assert sheet.freeze_panes == "E5"  # the context stays; the plan scrolls with the answers
    guide = "\n".join(str(c.value) for c in load_workbook(path)["記入方法"]["A"] if c.value)
    assert "前年度の取組予定" in guide and "取り込まれません" in guide


@pytest.mark.both_engines
def test_answers_read_the_same_with_the_column_and_ignore_its_edits(tmp_path, year_2021):
    store, report = year_2021
    with_plans = _write(tmp_path, store, report, name="with.xlsx")
    without = tmp_path / "without.xlsx"
    inquiry_packs.write_pack(report, "農林課", without)
    untouched = inquiry_answers.read_answers(with_plans)
    assert all(row.answered == {} for row in untouched.rows) and untouched.problems == []
    for path in (with_plans, without):
        workbook = load_workbook(path)
        sheet = workbook[inquiry_packs.ANSWER_SHEET]
        sheet.cell(row=FIRST, column=ACTUAL, value="土地改良事業を3地区で実施した。")
        sheet.cell(row=FIRST + 1, column=PLAN, value="就農相談会を開く。")
        workbook.save(path)
    expected = [
        (r.entry_id, r.answered, r.blank) for r in inquiry_answers.read_answers(without).rows
    ]
    read = inquiry_answers.read_answers(with_plans)
    assert [(r.entry_id, r.answered, r.blank) for r in read.rows] == expected
    assert read.rows[0].answered == {"actual": "<p>土地改良事業を3地区で実施した。</p>"}
    # The department wrote into the grey cells (the protection is easily lifted).
    workbook = load_workbook(with_plans)
    sheet = workbook[inquiry_packs.ANSWER_SHEET]
    sheet.cell(row=FIRST, column=BESIDE, value="書き換えた前年度の予定")
    sheet.cell(row=FIRST + 1, column=BESIDE, value="")
    sheet.cell(row=FIRST, column=inquiry_packs.COL_PREVIOUS_ACTUAL, value="書き換えた実績")
    workbook.save(with_plans)
    edited = inquiry_answers.read_answers(with_plans)
    assert _read(with_plans) == expected
    assert edited.problems == [] and not any(r.context_changed for r in edited.rows)


def test_a_pack_from_before_the_column_still_reads(tmp_path):
    path = tmp_path / OLD_PACK.name
    shutil.copy(OLD_PACK, path)
    untouched = inquiry_answers.read_answers(path)
    assert untouched.department == "博物館" and len(untouched.rows) == 2
    assert all(row.answered == {} for row in untouched.rows) and untouched.problems == []
    workbook = load_workbook(path)
    sheet = workbook[inquiry_packs.ANSWER_SHEET]
    assert sheet.cell(row=inquiry_packs.HEADER_ROW, column=5).value == "R3年度(実績)"
    old_actual, old_plan = inquiry_packs.answer_columns(2)
    sheet.cell(row=FIRST, column=old_actual, value="多言語の音声ガイドを始めた。")
    sheet.cell(row=FIRST + 1, column=old_plan, value="友好提携を続ける。")
    workbook.save(path)
    read = inquiry_answers.read_answers(path)
    assert read.problems == []
    assert read.rows[0].answered == {"actual": "<p>多言語の音声ガイドを始めた。</p>"}
    assert read.rows[1].answered == {"plan": "<p>友好提携を続ける。</p>"}
