"""KPI values answered in an inquiry: reviewed beside the texts, conflicts kept, one batch."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from kushiro_editor.core import edits, inquiryrecord, merge
from kushiro_editor.core.inquiry import AnsweredKpi, AnsweredRow, Answers
from kushiro_editor.core.kpi import editing
from kushiro_editor.core.kpi.merging import KpiMergeItem
from kushiro_editor.core.model import KpiValue
from kushiro_editor.core.store import Store

from .kpi_samples import by_name, exact, kpi_report

# Each test runs on a store file and on the server.
pytestmark = pytest.mark.both_engines


@pytest.fixture
def kpi_store(store_location):
    """A real store holding the KPI report, and the report as the editor holds it."""
    store = Store(store_location)
    store.save(kpi_report())
    yield store, store.load(2020)
    store.close()


def _answers(report, department, kpis=(), rows=(), unsent=()) -> Answers:
    return Answers(
        path=Path(f"照会_{department}.xlsx"),
        department=department,
        actual_year=report.actual_year,
        report_id=report.id,
        sent_at="2021-05-01T10:00:00+09:00",
        rows=list(rows),
        kpis=list(kpis),
        unsent_kpis=list(unsent),
    )


def _answered(kpi, value, note=None, sent=None, row=5) -> AnsweredKpi:
    """What the reader makes of a 「指標」 row: the pack's value, and the one typed."""
    sent = sent if sent is not None else kpi.value_of(2020) or KpiValue(2020)
    return AnsweredKpi(
        row, kpi.id, 2020, sent.value, sent.note, value, sent.note if note is None else note
    )


def _review(store, report, files):
    recorded = inquiryrecord.recorded_answers(store, report.actual_year)
    return merge.review_answers(report, files, recorded)


def _merge(store, report, review):
    """As the command line does: one batch through the edit path, then the record."""
    batch = edits.expand(merge.answer_edits(review))
    undo = edits.apply(store, report, batch)
    merge.record(store, report.actual_year, review)
    return undo


def test_an_answered_value_is_taken_with_the_texts_in_one_batch(kpi_store):
    store, report = kpi_store
    visitors = by_name(report, "観光入込客数")
    entry = report.goals[0].directions[0].entries[0]
    row = AnsweredRow(1, entry.id, {"actual": entry.actual}, {"actual": "<p>回答した。</p>"})
    value = _answered(visitors, Decimal("1234"), "確定値")
    files = [_answers(report, "観光振興室", [value], [row])]
    review = _review(store, report, files)
    assert [type(item).__name__ for item in review.items] == ["MergeItem", "KpiMergeItem"]
    item = review.items[1]
    assert (item.conflict, item.accepted) == (False, True)
    assert item.where == "【基本目標1】① 指標「観光入込客数」 R2年度の値"
    lines = review.lines()
    assert "回答: 【基本目標1】① 指標「観光入込客数」 R2年度の値 (観光振興室より)" in lines
    assert "    照会時: 530.5 万人(速報値)" in lines and "    回答  : 1,234 万人(確定値)" in lines
    assert "観光振興室: 回答のあった文章・指標の値 2 件、うち競合 0 件" in lines
    before = exact(report)
    undo = _merge(store, report, review)
    stored = by_name(store.load(2020), "観光入込客数")
    assert stored.value_of(2020) == KpiValue(2020, Decimal("1234"), "確定値")
    assert stored.value_of(2019) == KpiValue(2019, Decimal("512.30"))  # other years stay
    assert store.load(2020).goals[0].directions[0].entries[0].actual == "<p>回答した。</p>"
    # One undo takes back the text and the value together.
    edits.apply(store, report, undo)
    assert exact(store.load(2020)) == before == exact(report)
    # Undone, the answer is an answer again.
    again = _review(store, report, files)
    assert [i.where for i in again.items if isinstance(i, KpiMergeItem)] == [item.where]


def test_a_value_the_clerk_changed_since_the_pack_is_a_conflict(kpi_store):
    store, report = kpi_store
    visitors = by_name(report, "観光入込客数")
    sent = visitors.value_of(2020)
    edits.apply(store, report, editing.set_value(visitors, 2020, "541.0"))
    files = [_answers(report, "観光振興室", [_answered(visitors, Decimal("550"), sent=sent)])]
    review = _review(store, report, files)
    (item,) = review.items
    assert item.conflict and item.choice == inquiryrecord.PENDING and not item.accepted
    assert review.conflicts() == [item]
    assert "競合: 【基本目標1】① 指標「観光入込客数」 R2年度の値 (観光振興室より)" in review.lines()
    assert "    企画課の変更 照会時→現在: 530.5 万人(速報値) → 541.0 万人(速報値)" in review.lines()
    assert "    部署の回答   照会時→回答: 530.5 万人(速報値) → 550 万人(速報値)" in review.lines()
    # Undecided: nothing changes, and the record keeps it pending.
    assert merge.answer_edits(review) == []
    _merge(store, report, review)
    assert by_name(store.load(2020), "観光入込客数").value_of(2020).value == Decimal("541.0")
    recorded = inquiryrecord.recorded_answers(store, 2020)
    assert recorded[("観光振興室", visitors.id, "kpi_value")].decision == inquiryrecord.PENDING
    # The clerk types a value: that one is taken.
    review = _review(store, report, files)
    (item,) = review.items
    assert item.conflict
    item.choice, item.merged = inquiryrecord.EDITED, KpiValue(2020, Decimal("545"), "見込み")
    _merge(store, report, review)
    assert by_name(store.load(2020), "観光入込客数").value_of(2020) == KpiValue(
        2020, Decimal("545"), "見込み"
    )
    # The same answer again is settled: decided already.
    review = _review(store, report, files)
    assert review.items == [] and [s.reason for s in review.settled] == [merge.ALREADY_MERGED]


def test_keep_mine_and_take_theirs(kpi_store):
    store, report = kpi_store
    visitors = by_name(report, "観光入込客数")
    sent = visitors.value_of(2020)
    edits.apply(store, report, editing.set_value(visitors, 2020, None, "集計中"))
    files = [_answers(report, "観光振興室", [_answered(visitors, Decimal("550"), sent=sent)])]
    review = _review(store, report, files)
    review.items[0].accepted = False
    _merge(store, report, review)
    kept = by_name(store.load(2020), "観光入込客数").value_of(2020)
    assert kept == KpiValue(2020, None, "集計中")
    review = _review(store, report, files)
    assert [s.reason for s in review.settled] == [merge.KEPT_VALUE_BEFORE]
    # A changed answer (a second file) is asked anew; taken, it overwrites the clerk's.
    files = [_answers(report, "観光振興室", [_answered(visitors, Decimal("560"), sent=sent)])]
    review = _review(store, report, files)
    (item,) = review.items
    assert item.conflict
    item.choice = inquiryrecord.TAKEN
    _merge(store, report, review)
    assert by_name(store.load(2020), "観光入込客数").value_of(2020) == KpiValue(
        2020, Decimal("560"), "速報値"
    )


def test_a_value_equal_to_the_current_one_is_nothing_to_merge(kpi_store):
    store, report = kpi_store
    visitors = by_name(report, "観光入込客数")
    sent = visitors.value_of(2020)
    edits.apply(store, report, editing.set_value(visitors, 2020, "540"))
    files = [_answers(report, "観光振興室", [_answered(visitors, Decimal("540"), sent=sent)])]
    review = _review(store, report, files)
    assert review.items == []
    assert [s.reason for s in review.settled] == [merge.SAME_AS_CURRENT_VALUE]
    assert merge.answer_edits(review) == []
    # 540 and 540.0 are not the same value: the places reported are part of it.
    files = [_answers(report, "観光振興室", [_answered(visitors, Decimal("540.0"), sent=sent)])]
    assert len(_review(store, report, files).items) == 1


def test_another_departments_kpi_is_refused(kpi_store):
    store, report = kpi_store
    catch, visitors = by_name(report, "漁獲量"), by_name(report, "観光入込客数")
    files = [
        _answers(
            report,
            "観光振興室",
            # Sent to 観光振興室, but the KPI has since become 水産課's alone …
            [_answered(catch, Decimal("900"), row=6), _answered(visitors, Decimal("531"))],
            # … and a row copied from 水産課's pack, and an id no report has.
            unsent=[(7, catch.id), (8, "nothing-like-it")],
        )
    ]
    review = _review(store, report, files)
    assert [item.kpi for item in review.items] == [visitors]
    refused = "【基本目標1】① ア 指標「漁獲量」 は水産課の指標で、観光振興室の指標ではありません。"
    assert review.problems == [
        f"照会_観光振興室.xlsx(観光振興室) 「指標」シート 6行目: {refused}この値は取り込みません。",
        f"照会_観光振興室.xlsx(観光振興室) 「指標」シート 7行目: {refused}この値は取り込みません。",
        "照会_観光振興室.xlsx(観光振興室) 「指標」シート 8行目: 照会時になかった指標です"
        "(id nothing-…)。この値は取り込みません。",
    ]
    _merge(store, report, review)
    assert by_name(store.load(2020), "漁獲量").value_of(2020) == KpiValue(2020, None, "集計中")


def test_a_kpi_deleted_since_the_pack_is_listed(kpi_store):
    store, report = kpi_store
    catch = by_name(report, "漁獲量")
    answered = _answered(catch, Decimal("900"))
    edits.apply(store, report, editing.remove(report, catch))
    review = _review(store, report, [_answers(report, "水産課", [answered])])
    assert review.items == []
    assert review.problems == [
        "照会_水産課.xlsx(水産課) 「指標」シート 5行目: データファイルにない指標です"
        "(削除されたか、別の報告の照会です)。"
    ]


def test_a_second_version_starts_from_what_the_first_left(kpi_store):
    store, report = kpi_store
    visitors = by_name(report, "観光入込客数")
    sent = visitors.value_of(2020)
    first = [_answers(report, "観光振興室", [_answered(visitors, Decimal("1234"), sent=sent)])]
    _merge(store, report, _review(store, report, first))
    # The department sends a second version; nothing changed meanwhile: taken.
    second = [_answers(report, "観光振興室", [_answered(visitors, Decimal("1250"), sent=sent)])]
    review = _review(store, report, second)
    (item,) = review.items
    assert item.second_version and not item.conflict and item.accepted
    assert "    前回の取り込み後: 1,234 万人(速報値)" in review.lines()
    # A third, after the clerk corrected the second: a conflict from what the second left.
    _merge(store, report, review)
    edits.apply(store, report, editing.set_value(visitors, 2020, "1255"))
    third = [_answers(report, "観光振興室", [_answered(visitors, Decimal("1260"), sent=sent)])]
    review = _review(store, report, third)
    (item,) = review.items
    assert item.second_version and item.conflict and not item.accepted
    assert (
        "    企画課の変更 前回の取り込み後→現在: 1,250 万人(速報値) → 1,255 万人(速報値)"
        in review.lines()
    )


def test_a_shared_kpi_answered_differently_is_taken_by_nobody_unasked(kpi_store):
    store, report = kpi_store
    waiting = by_name(report, "待機児童数")  # こども育成課 and 教育支援課
    files = [
        _answers(report, "こども育成課", [_answered(waiting, Decimal("3"))]),
        _answers(report, "教育支援課", [_answered(waiting, Decimal("4"))]),
    ]
    review = _review(store, report, files)
    assert [(i.department, i.choice, i.conflict) for i in review.items] == [
        ("こども育成課", inquiryrecord.PENDING, False),
        ("教育支援課", inquiryrecord.PENDING, False),
    ]
    assert review.problems == [
        "【基本目標1】① 指標「待機児童数」 R2年度の値: こども育成課と教育支援課から違う値の"
        "回答があります。どれを取り込むか選んでください(二つとも取り込むと、後の回答の値になります)。"
    ]
    assert merge.answer_edits(review) == []
    review.items[1].choice = inquiryrecord.TAKEN
    _merge(store, report, review)
    assert by_name(store.load(2020), "待機児童数").value_of(2020).value == Decimal("4")
    # The same value from both is no rivalry.
    files[1] = _answers(report, "教育支援課", [_answered(waiting, Decimal("3"))])
    files[0] = _answers(report, "こども育成課", [_answered(waiting, Decimal("3"))])
    review = _review(store, report, files)
    assert [i.choice for i in review.items] == [inquiryrecord.TAKEN, inquiryrecord.TAKEN]
    assert review.problems == []
