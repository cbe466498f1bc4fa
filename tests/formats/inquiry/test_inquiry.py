"""Inquiry packs: sending each department its rows and merging the answers back."""

from __future__ import annotations

import shutil
from datetime import date

import pytest
from openpyxl import load_workbook

from kushiro_editor.core import edits, merge, richtext, yearly
from kushiro_editor.core.model import ReportError
from kushiro_editor.formats.inquiry import answers as inquiry_answers
from kushiro_editor.formats.inquiry import packs as inquiry_packs
from tests.formats.pages import FONT_SETUPS, resave

ACTUAL, PLAN = inquiry_packs.COL_ACTUAL, inquiry_packs.COL_PLAN


@pytest.fixture
def year_2021(sample_store):
    """FY2021 rolled over from the sample, in a real store."""
    report = yearly.rollover(sample_store.load(2020))
    sample_store.save(report)
    return sample_store, sample_store.load(2021)


@pytest.fixture
def packs(tmp_path, year_2021):
    store, report = year_2021
    previous = yearly.previous_texts(report, store.load(2020))
    written = inquiry_packs.export_packs(report, tmp_path / "packs", previous=previous)
    return {name: path for name, path, _rows in written}


def answer(path, department_rows: dict[int, dict[int, str]]):
    """Edit answer cells as a department would, in Excel (here: openpyxl)."""
    workbook = load_workbook(path)
    sheet = workbook[inquiry_packs.ANSWER_SHEET]
    for row, columns in department_rows.items():
        for column, value in columns.items():
            sheet.cell(row=inquiry_packs.FIRST_ROW + row, column=column, value=value)
    workbook.save(path)


@pytest.mark.both_engines
def test_one_pack_per_department_with_only_its_rows(packs, year_2021):
    _store, report = year_2021
    assert len(packs) == len(report.departments()) == 35
    assert packs["農林課"].name == "照会_農林課_R3年度.xlsx"
    workbook = load_workbook(packs["観光振興室"])
    sheet = workbook[inquiry_packs.ANSWER_SHEET]
    departments = [
        sheet.cell(row=r, column=inquiry_packs.COL_DEPARTMENTS).value
        for r in range(inquiry_packs.FIRST_ROW, sheet.max_row + 1)
    ]
    assert departments == ["観光振興室", "観光振興室", "観光振興室\n阿寒観光振興課", "観光振興室"]
    joint = load_workbook(packs["阿寒観光振興課"])[inquiry_packs.ANSWER_SHEET]
    assert "観光振興室\n阿寒観光振興課" in [
        joint.cell(row=r, column=4).value for r in range(inquiry_packs.FIRST_ROW, joint.max_row + 1)
    ]


def test_the_guide_is_a_letter_to_the_department(packs):
    guide = load_workbook(packs["農林課"])[inquiry_packs.GUIDE_SHEET]
    lines = [guide.cell(row=r, column=1).value or "" for r in range(1, guide.max_row + 1)]
    assert "農林課 のご担当者様" in lines
    sent = date.fromisoformat(inquiry_answers.read_answers(packs["農林課"]).sent_at[:10])
    assert f"作成日: {sent.year}年{sent.month}月{sent.day}日" in lines


def test_pack_layout_protection_and_hidden_ids(packs, year_2021):
    _store, report = year_2021
    workbook = load_workbook(packs["農林課"])
    assert workbook.sheetnames == ["記入方法", "回答", "_照会"]
    assert (packs["農林課"].parent / "依頼文_R3年度.docx").exists()
    assert workbook["_照会"].sheet_state == "veryHidden"
    guide = "\n".join(str(c.value) for c in workbook["記入方法"]["A"] if c.value)
    assert "農林課 のご担当者様" in guide and "Alt+Enter" in guide
    sheet = workbook["回答"]
    assert sheet.protection.sheet
    row = inquiry_packs.FIRST_ROW
    assert sheet.cell(row=inquiry_packs.HEADER_ROW, column=5).value == "前年度の取組予定"
    assert sheet.cell(row=inquiry_packs.HEADER_ROW, column=6).value == "R3年度(実績)"
    assert sheet.cell(row=inquiry_packs.HEADER_ROW, column=7).value == "R4年度(取組予定)"
    assert sheet.cell(row=inquiry_packs.HEADER_ROW, column=8).value == "(参考)前年度の実績"
    assert sheet.cell(row=row, column=1).value.startswith("【基本目標1】")
    assert sheet.cell(row=row, column=3).value.startswith("ア 持続的成長を目指した水産業の振興")
    for column in (1, 2, 3, 4, 5, 8):
        assert sheet.cell(row=row, column=column).protection.locked
    for column in (6, 7):
        assert not sheet.cell(row=row, column=column).protection.locked
    for letter in "IJKLMN":
        assert sheet.column_dimensions[letter].hidden
    entry = report.goals[0].directions[0].entries[0]
    assert sheet.cell(row=row, column=inquiry_packs.COL_ID).value == entry.id
    assert sheet.cell(
        row=row, column=inquiry_packs.COL_SUM_PLAN
    ).value == inquiry_packs.text_checksum(entry.plan)
    # Last year's texts beside the answer cells, for reference.
    previous = sheet.cell(row=row, column=inquiry_packs.COL_PREVIOUS_ACTUAL).value
    assert previous.startswith("・農業経営基盤整備のため、3地区における土地改良事業を実施。")


@pytest.mark.both_engines
def test_untouched_pack_has_nothing_to_merge(packs, year_2021):
    _store, report = year_2021
    review = merge.review_answers(report, [inquiry_answers.read_answers(packs["水産課"])])
    assert review.items == [] and review.problems == [] and review.rejected_files == []
    assert [e.departments for e in review.answered["水産課"]] == [["水産課"], ["水産課"]]


@pytest.mark.both_engines
def test_texts_kept_in_pieces_never_become_formulas(tmp_path, year_2021, monkeypatch):
    # A long text is kept in pieces; a piece that starts with "=" must stay text.
    _store, report = year_2021
    monkeypatch.setattr(inquiry_packs, "PACK_CHUNK", 5)
    entry = next(e for _g, _d, e in report.entries() if e.departments == ["水産課"])
    entry.plan = richtext.paragraph("計画=2件、=予定=" * 30)
    path = tmp_path / "pack.xlsx"
    inquiry_packs.write_pack(report, "水産課", path)
    pieces = [
        cell
        for row in load_workbook(path)[inquiry_packs.DATA_SHEET].iter_rows(min_row=2)
        for cell in row[1:]
        if cell.value is not None
    ]
    assert any(str(c.value).startswith("=") for c in pieces)
    assert all(c.data_type == "s" for c in pieces)
    answers = inquiry_answers.read_answers(path)
    assert entry.plan in [row.sent["plan"] for row in answers.rows]
    assert all(row.answered == {} for row in answers.rows)


def _answer_everything(tmp_path, packs, year_2021):
    """Several departments answer; one file is of another year."""
    store, report = year_2021
    answer(
        packs["農林課"], {0: {ACTUAL: "3地区で土地改良事業を実施した。\n・就農相談会に参加した。"}}
    )
    answer(
        packs["水産課"],
        {
            0: {PLAN: "増養殖事業に協力し、資源の維持に努める。"},
            1: {PLAN: "商品開発と販路拡大を支援する。"},
        },
    )
    answer(packs["博物館"], {0: {2: "(書き換えた方向)", ACTUAL: "多言語の音声ガイドを始めた。"}})
    # Meanwhile the planning office edited 水産課's first plan in the store.
    fish = report.goals[0].directions[0].entries[1]
    store.update([("entry", fish.id, "plan", "<p>企画課が直した予定</p>")])
    # A department deletes a row and adds one (the sheet was unprotected).
    workbook = load_workbook(packs["観光振興室"])
    sheet = workbook["回答"]
    sheet.delete_rows(inquiry_packs.FIRST_ROW + 1)
    sheet.cell(row=sheet.max_row + 1, column=ACTUAL, value="新しい事業を行った。")
    workbook.save(packs["観光振興室"])
    # A pack from the FY2020 report, answered.
    old_pack = tmp_path / "old.xlsx"
    inquiry_packs.write_pack(store.load(2020), "農林課", old_pack)
    answer(old_pack, {0: {ACTUAL: "古い年度の回答"}})
    return [packs[n] for n in ("農林課", "水産課", "博物館", "観光振興室")] + [old_pack]


def _merge_and_check(store, files):
    report = store.load(2021)
    review = merge.review_answers(report, [inquiry_answers.read_answers(p) for p in files])
    assert review.rejected_files == [
        "old.xlsx: R2年度の照会の回答です(開いている報告はR3年度)。取り込みません。"
    ]
    items = {(i.entry.department_label, i.field, i.entry.id): i for i in review.items}
    fields = sorted((dept, field) for dept, field, _ in items)
    assert fields == [
        ("博物館", "actual"),
        ("水産課", "plan"),
        ("水産課", "plan"),
        ("農林課", "actual"),
    ]
    conflicts = [i for i in review.items if i.conflict]
    assert len(conflicts) == 1 and richtext.to_plain(conflicts[0].current) == "企画課が直した予定"
    assert any("記入欄の外" in p and "博物館" in p for p in review.problems)
    assert any("追加された行" in p and "新しい事業を行った" in p for p in review.problems)
    assert any("削除されています" in p for p in review.problems)
    agri = next(i for i in review.items if i.entry.departments == ["農林課"])
    assert (
        agri.answered
        == "<p>3地区で土地改良事業を実施した。</p><ul><li>・就農相談会に参加した。</li></ul>"
    )
    assert review.counts()["水産課"] == (2, 1)
    # The planning office rejects the conflicting answer and accepts the rest.
    conflicts[0].accepted = False
    edits.apply(store, report, merge.answer_edits(review, today=date(2021, 6, 1)))
    stored = store.load(2021)
    by_id = {e.id: e for _g, _d, e in stored.entries()}
    for item in review.items:
        entry = by_id[item.entry.id]
        expected = item.answered if item.accepted else item.current
        assert getattr(entry, item.field) == expected, item.where
    fish = stored.goals[0].directions[0].entries[1]
    assert richtext.to_plain(fish.plan) == "企画課が直した予定"
    assert (fish.answered_by, fish.answered_at) == ("水産課", "2021-06-01")
    untouched = stored.goals[3].directions[0].entries[0]
    assert untouched.answered_by == ""
    return stored


@pytest.mark.both_engines
def test_merge_answers_back(tmp_path, packs, year_2021):
    store, _report = year_2021
    files = _answer_everything(tmp_path, packs, year_2021)
    _merge_and_check(store, files)


@pytest.mark.soffice
@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice not installed")
@pytest.mark.parametrize("fonts", sorted(FONT_SETUPS))
def test_the_same_answers_resaved_by_libreoffice(tmp_path, packs, year_2021, fonts):
    store, _report = year_2021
    files = _answer_everything(tmp_path, packs, year_2021)
    out = tmp_path / "resaved"
    for path in files:
        resaved = load_workbook(resave(path, out, FONT_SETUPS[fonts]))
        # LibreOffice keeps the data sheet hidden, though no longer very hidden.
        assert resaved[inquiry_packs.DATA_SHEET].sheet_state in ("hidden", "veryHidden")
    _merge_and_check(store, [out / p.name for p in files])


def test_a_damaged_or_hostile_answer_is_one_clear_message(tmp_path, packs, year_2021):
    import zipfile

    damaged = tmp_path / "damaged.xlsx"
    shutil.copy(packs["水産課"], damaged)
    workbook = load_workbook(damaged)
    workbook[inquiry_packs.DATA_SHEET]["C1"].value = "{not json"
    workbook.save(damaged)
    with pytest.raises(ReportError, match="隠しシート"):
        inquiry_answers.read_answers(damaged)

    with zipfile.ZipFile(packs["水産課"]) as archive:
        files = {name: archive.read(name) for name in archive.namelist()}
    sheet = next(n for n in files if n.startswith("xl/worksheets/sheet"))
    files[sheet] = (
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&b;</t></is></c></row>'
        b"</sheetData></worksheet>"
    )
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(bomb, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    with pytest.raises(ReportError, match="安全でない XML"):
        inquiry_answers.read_answers(bomb)


def test_not_a_pack(tmp_path, sample_result):
    from kushiro_editor.formats.xlsx import writer as xlsx_writer

    path = tmp_path / "report.xlsx"
    xlsx_writer.write_file(sample_result.report, path)
    with pytest.raises(ReportError, match="照会用ファイルではありません"):
        inquiry_answers.read_answers(path)
    with pytest.raises(ReportError):
        inquiry_packs.export_packs(sample_result.report, tmp_path, ["存在しない課"])
