"""The inquiry loop with real workbooks: blanks, deletions, conflicts, re-imports, long texts."""

from __future__ import annotations

import shutil
from datetime import date

import pytest
from docx import Document
from openpyxl import load_workbook

from kushiro_editor.core import edits, inquiryrecord, merge, richtext, snapshots
from kushiro_editor.core.inquiry import PackSent, Request
from kushiro_editor.formats.inquiry import answers as inquiry_answers
from kushiro_editor.formats.inquiry import packs as inquiry_packs
from tests.formats.pages import resave

FIRST, ACTUAL, PLAN = inquiry_packs.FIRST_ROW, inquiry_packs.COL_ACTUAL, inquiry_packs.COL_PLAN


@pytest.fixture
def sent(tmp_path, sample_store):
    """Packs of the sample's FY2020 report sent to 農林課 and 水産課, and recorded."""
    report = sample_store.load(2020)
    request = Request(date(2021, 5, 31), "山田", "1234", "kikaku@example.jp")
    written = inquiry_packs.export_packs(
        report, tmp_path / "packs", ["農林課", "水産課"], request=request
    )
    inquiryrecord.record_packs(
        sample_store,
        2020,
        [
            PackSent(n, "2021-05-10T09:00:00+09:00", "2021-05-31", "", p.name, r)
            for n, p, r in written
        ],
    )
    return sample_store, {name: path for name, path, _rows in written}


def fill(path, cells: dict[tuple[int, int], str | None]) -> None:
    """Write answer cells as a department would (row offset, column) → value."""
    workbook = load_workbook(path)
    sheet = workbook[inquiry_packs.ANSWER_SHEET]
    for (offset, column), value in cells.items():
        sheet.cell(row=FIRST + offset, column=column).value = value  # None empties it
    workbook.save(path)


def merge_files(store, files, choose=None, today=date(2021, 6, 1)):
    """Review, let ``choose`` decide, apply through the edit path and record."""
    report = store.load(2020)
    review = merge.review_answers(
        report,
        [inquiry_answers.read_answers(p) for p in files],
        inquiryrecord.recorded_answers(store, 2020),
    )
    if choose:
        choose(review)
    edits.apply(store, report, merge.answer_edits(review, today))
    merge.record(store, 2020, review, today)
    return review


@pytest.mark.both_engines
def test_request_on_the_guide_and_the_letter(sent):
    _store, packs = sent
    guide = load_workbook(packs["農林課"])[inquiry_packs.GUIDE_SHEET]
    lines = [guide.cell(row=r, column=1).value or "" for r in range(1, guide.max_row + 1)]
    assert "提出期限: 2021年5月31日(月)" in lines
    assert "問い合わせ先: 企画課 担当 山田 内線 1234 メール kikaku@example.jp" in lines
    assert any("「削除」とだけ書いてください" in line for line in lines)
    letter = Document(packs["農林課"].parent / "依頼文_R2年度.docx")
    text = "\n".join(p.text for p in letter.paragraphs)
    assert "提出期限: 2021年5月31日(月)" in text and "照会先: 2 部署" in text
    assert "担当 山田 内線 1234" in text
    assert "進捗報告(R2年度実績・R3年度取組予定)の照会について(依頼)" in text
    assert text.count("進捗報告") == 1
    rows = [[c.text for c in row.cells] for row in letter.tables[0].rows]
    assert rows[1:] == [
        ["農林課", "1", "照会_農林課_R2年度.xlsx"],
        ["水産課", "2", "照会_水産課_R2年度.xlsx"],
    ]
    fonts = letter.paragraphs[0].runs[0]._element.rPr.rFonts
    assert fonts.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia")


@pytest.mark.both_engines
def test_a_blank_cell_is_no_answer_and_delete_clears(sent):
    store, packs = sent
    before = store.load(2020)
    agri = before.goals[0].directions[0].entries[0]
    fish = [e for _g, _d, e in before.entries() if e.departments == ["水産課"]]
    fill(packs["農林課"], {(0, ACTUAL): None, (0, PLAN): "土地改良を進める。"})
    fill(packs["水産課"], {(0, PLAN): "「削除」", (1, ACTUAL): ""})
    review = merge_files(store, [packs["農林課"], packs["水産課"]])
    lines = review.lines()
    assert "未回答: 【基本目標1】① 農林課 実績 (農林課、空欄のため変更しません)" in lines
    assert sum(line.startswith("未回答:") for line in lines) == 2
    after = {e.id: e for _g, _d, e in store.load(2020).entries()}
    assert after[agri.id].actual == agri.actual  # the blank erased nothing
    assert after[agri.id].plan == "<p>土地改良を進める。</p>"
    assert after[fish[0].id].plan == ""  # 「削除」 cleared it
    assert after[fish[1].id].actual == fish[1].actual
    # Rows with a blank cell are not counted as answered.
    assert after[agri.id].answered_by == "" and after[fish[0].id].answered_by == "水産課"
    status = {s.department: s for s in inquiryrecord.status(store, 2020)}
    assert (status["農林課"].answered_rows, status["水産課"].answered_rows) == (0, 1)
    assert status["農林課"].line().endswith("未回答")


@pytest.mark.both_engines
def test_conflicts_start_undecided_are_kept_or_taken_and_the_same_file_twice(sent):
    store, packs = sent
    report = store.load(2020)
    fish = [e for _g, _d, e in report.entries() if e.departments == ["水産課"]]
    edits.apply(store, report, [edits.SetField(fish[0], "plan", "<p>企画課が直した。</p>")])
    fill(packs["水産課"], {(0, PLAN): "部署の予定。", (1, PLAN): "別の予定。"})
    review = merge_files(store, [packs["水産課"]])
    assert [(i.conflict, i.choice) for i in review.items] == [(True, "pending"), (False, "taken")]
    after = {e.id: e for _g, _d, e in store.load(2020).entries()}
    assert after[fish[0].id].plan == "<p>企画課が直した。</p>"  # kept unless decided
    assert after[fish[1].id].plan == "<p>別の予定。</p>"
    status = {s.department: s for s in inquiryrecord.status(store, 2020)}
    assert status["水産課"].pending == 1 and "未決定の競合 1件" in status["水産課"].line()

    # The same file again: what was taken changes nothing; the conflict is still open.
    again = merge_files(store, [packs["水産課"]], lambda r: setattr(r.items[0], "accepted", True))
    assert [(s.item.entry.id, s.reason) for s in again.settled] == [(fish[1].id, "取り込み済み")]
    assert [i.entry.id for i in again.items] == [fish[0].id]
    assert store.load(2020).goals[0].directions[0].entries[1].plan == "<p>部署の予定。</p>"
    assert inquiryrecord.status(store, 2020)[1].pending == 0
    # A third time: nothing left to do, and it says so.
    third = merge_files(store, [packs["水産課"]])
    assert third.items == [] and len(third.settled) == 2
    assert all(line.startswith("変更なし:") for line in third.lines()[:2])


@pytest.mark.both_engines
def test_a_second_version_is_compared_with_the_first(sent, tmp_path):
    store, packs = sent
    first = tmp_path / "v1.xlsx"
    shutil.copy(packs["水産課"], first)
    fill(first, {(0, PLAN): "第1版の予定。"})
    merge_files(store, [first])
    fill(packs["水産課"], {(0, PLAN): "第2版の予定。"})
    review = merge_files(store, [packs["水産課"]])
    (item,) = review.items
    assert item.second_version and not item.conflict
    assert richtext.to_plain(item.compared) == "第1版の予定。"
    assert "    前回の取り込み後: 第1版の予定。" in review.lines()
    assert store.load(2020).goals[0].directions[0].entries[1].plan == "<p>第2版の予定。</p>"
    # The clerk edits, then a third version comes: now a conflict with the clerk's text.
    report = store.load(2020)
    entry = report.goals[0].directions[0].entries[1]
    edits.apply(store, report, [edits.SetField(entry, "plan", "<p>企画課の手直し。</p>")])
    fill(packs["水産課"], {(0, PLAN): "第3版の予定。"})
    third = merge_files(store, [packs["水産課"]])
    assert third.items[0].conflict and third.items[0].choice == "pending"


@pytest.mark.both_engines
def test_a_row_of_another_department_is_refused(sent):
    store, packs = sent
    report = store.load(2020)
    agri = report.goals[0].directions[0].entries[0]
    # After sending, the row moved to 水産課; 農林課's answer for it is refused.
    edits.apply(store, report, [edits.SetField(agri, "departments", ["水産課"])])
    fill(packs["農林課"], {(0, PLAN): "農林課の予定。"})
    review = merge_files(store, [packs["農林課"]])
    assert review.items == []
    assert any("水産課の行で、農林課の行ではありません" in p for p in review.problems)
    assert store.load(2020).goals[0].directions[0].entries[0].plan == agri.plan


@pytest.mark.both_engines
def test_a_40000_character_text_travels_whole(sample_store, tmp_path):
    report = sample_store.load(2020)
    entry = report.goals[0].directions[0].entries[1]
    long_text = "".join(f"<p>{n:05d}" + "港" * 994 + "。</p>" for n in range(40))
    one_paragraph = "<p>" + "湾" * 40000 + "</p>"
    edits.apply(
        sample_store,
        report,
        [edits.SetField(entry, "actual", long_text), edits.SetField(entry, "plan", one_paragraph)],
    )
    path = tmp_path / "fish.xlsx"
    inquiry_packs.write_pack(report, "水産課", path)
    sheet = load_workbook(path)[inquiry_packs.ANSWER_SHEET]
    lengths = [
        len(str(sheet.cell(row=r, column=c).value or ""))
        for r in range(FIRST, sheet.max_row + 1)
        for c in (ACTUAL, PLAN)
    ]
    assert max(lengths) <= 32767 and sum(lengths) >= 80000
    assert sheet.cell(row=FIRST + 1, column=1).value == "(続き)"
    answers = inquiry_answers.read_answers(path)
    assert all(row.answered == {} and row.blank == [] for row in answers.rows)
    # The department changes the very end of the long text: it comes back whole.
    continuation = FIRST + 1
    cell = sheet.cell(row=continuation, column=ACTUAL)
    workbook = load_workbook(path)
    workbook[inquiry_packs.ANSWER_SHEET].cell(
        row=continuation, column=ACTUAL, value=str(cell.value) + "\n追記した。"
    )
    workbook.save(path)
    (row, *_rest) = inquiry_answers.read_answers(path).rows
    assert row.answered["actual"] == long_text + "<p>追記した。</p>"
    review = merge.review_answers(report, [inquiry_answers.read_answers(path)])
    edits.apply(sample_store, report, merge.answer_edits(review))
    stored = sample_store.load(2020).goals[0].directions[0].entries[1]
    assert stored.actual == long_text + "<p>追記した。</p>" and stored.plan == one_paragraph


def test_the_record_survives_replace_restore_and_a_restart(sent, store_path, sample_file):
    from kushiro_editor.core.store import Store
    from kushiro_editor.formats import read_file

    store, packs = sent
    fill(packs["水産課"], {(0, PLAN): "部署の予定。"})
    merge_files(store, [packs["水産課"]])
    before = inquiryrecord.status(store, 2020)
    snapshot = snapshots.take(store, "manual", "回答のあと")
    store.save(read_file(sample_file).report, replace=True)  # import --replace
    assert inquiryrecord.status(store, 2020) == before
    snapshots.restore(store, snapshot, 2020)
    assert inquiryrecord.status(store, 2020) == before
    store.close()
    with Store(store_path) as again:
        status = inquiryrecord.status(again, 2020, again.load(2020).departments())
        assert status[:2] == before
        lines = [s.line() for s in status]
    assert lines[0].startswith("農林課  送付 2021-05-10  期限 2021-05-31  1行  未回答")
    assert lines[1].startswith(
        "水産課  送付 2021-05-10  期限 2021-05-31  2行  回答済 2/2行  未決定の競合 0件"
    )
    assert "博物館  未照会" in lines


def test_a_snapshot_from_before_the_answers_brings_their_record_back_too(sent):
    store, packs = sent
    asked = inquiryrecord.status(store, 2020)
    snapshot = snapshots.take(store, "manual", "回答の前")
    fill(packs["水産課"], {(0, PLAN): "部署の予定。"})
    merge_files(store, [packs["水産課"]])
    assert inquiryrecord.status(store, 2020) != asked
    _report, before = snapshots.restore(store, snapshot, 2020)
    assert before.name == f"「{snapshot.label}」を復元する前"
    # The texts are as before the answers, and so is what the record says was merged;
    # the packs are still out with the departments.
    assert inquiryrecord.status(store, 2020) == asked
    assert [p.department for p in inquiryrecord.packs(store, 2020)] == [s.department for s in asked]
    snapshots.restore(store, before, 2020)  # undoing the restore brings the answers back
    assert inquiryrecord.status(store, 2020)[1].state == "回答済"


@pytest.mark.soffice
@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice not installed")
def test_an_answered_pack_resaved_by_libreoffice(sent, tmp_path):
    store, packs = sent
    report = store.load(2020)
    long_entry = report.goals[0].directions[0].entries[1]
    long_text = "".join(f"<p>{n:05d}" + "港" * 994 + "。</p>" for n in range(40))
    edits.apply(store, report, [edits.SetField(long_entry, "actual", long_text)])
    path = packs["水産課"]
    inquiry_packs.write_pack(report, "水産課", path)  # sent again, with the long text
    fill(path, {(0, PLAN): "再保存した予定。", (2, ACTUAL): None})
    review = merge_files(store, [resave(path, tmp_path / "resaved")])
    assert [richtext.to_plain(i.answered) for i in review.items] == ["再保存した予定。"]
    assert [u.where for u in review.unanswered] == ["【基本目標1】② 水産課 実績"]
    assert review.problems == []
    # The long text came back whole and unchanged: nothing to merge for it.
    assert store.load(2020).goals[0].directions[0].entries[1].actual == long_text


@pytest.mark.both_engines
def test_a_conflict_kept_is_not_asked_again(sent):
    store, packs = sent
    report = store.load(2020)
    fish = report.goals[0].directions[0].entries[1]
    edits.apply(store, report, [edits.SetField(fish, "plan", "<p>企画課が直した。</p>")])
    fill(packs["水産課"], {(0, PLAN): "部署の予定。"})
    merge_files(store, [packs["水産課"]], lambda r: setattr(r.items[0], "accepted", False))
    again = merge_files(store, [packs["水産課"]])
    assert again.items == []
    assert [s.reason for s in again.settled] == [merge.KEPT_BEFORE]
    assert store.load(2020).goals[0].directions[0].entries[1].plan == "<p>企画課が直した。</p>"
