"""Merging answers: the review names conflicts; the edits take only what is accepted."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from kushiro_editor.core import edits, merge
from kushiro_editor.core.inquiry import AnsweredRow, Answers, checksum, text_checksum
from kushiro_editor.core.model import STATE_CARRIED, STATE_NONE


def _answers(report, department: str, rows: list[AnsweredRow], **kwargs) -> Answers:
    return Answers(
        path=Path(f"照会_{department}.xlsx"),
        department=department,
        actual_year=kwargs.pop("actual_year", report.actual_year),
        report_id=report.id,
        sent_at="2021-05-01T10:00:00+09:00",
        rows=rows,
        **kwargs,
    )


def test_checksum_ignores_line_ends_and_edge_spaces_but_not_the_text():
    assert checksum("港を整備した。\r\n 次に\u3000") == checksum("港を整備した。\n次に")
    assert checksum("港を整備した。") != checksum("港を整備する。")
    assert text_checksum("<p>港を<b>整備</b>した。</p>") == checksum("港を整備した。")


@pytest.mark.both_engines
def test_review_names_conflicts_and_problems_and_edits_take_the_accepted(sample_store):
    report = sample_store.load()
    rows = [(g, d, e) for g, d, e in report.entries()]
    (goal, direction, first), (_g2, _d2, second) = rows[0], rows[1]
    first_sent, second_sent = first.actual, second.plan
    # After sending, the planning office rewrote the second row's plan itself.
    edits.apply(sample_store, report, [edits.SetField(second, "plan", "<p>企画課の修正。</p>")])
    edits.apply(sample_store, report, [edits.SetField(first, "actual_state", STATE_CARRIED)])
    assert (first.departments, second.departments) == (["農林課"], ["水産課"])
    answered = [
        AnsweredRow(1, first.id, {"actual": first_sent}, {"actual": "<p>回答した実績。</p>"}),
        AnsweredRow(3, "no-such-id", {}, {"plan": "<p>?</p>"}),
    ]
    fish = [AnsweredRow(2, second.id, {"plan": second_sent}, {"plan": "<p>回答した予定。</p>"})]
    files = [
        _answers(report, "農林課", answered, added=[(9, "新しい行")], deleted=["gone"]),
        _answers(report, "水産課", fish),
        _answers(report, "水産課", [], actual_year=report.actual_year - 1),
    ]
    review = merge.review_answers(report, files)

    assert [(item.entry, item.conflict) for item in review.items] == [
        (first, False),
        (second, True),
    ]
    assert review.items[0].where == f"{goal.label}{direction.label} {first.department_label} 実績"
    assert len(review.rejected_files) == 1 and "令和元年度の照会の回答" in review.rejected_files[0]
    assert any("追加された行" in p and "新しい行" in p for p in review.problems)
    assert any("削除されています" in p for p in review.problems)
    assert any("データファイルにない行" in p for p in review.problems)
    assert review.counts() == {"農林課": (1, 0), "水産課": (1, 1)}
    lines = review.lines()
    assert any(line.startswith("競合: ") for line in lines)
    # Both changes side by side: the clerk's (sent → current) and the department's.
    assert any("照会時→現在" in line and "企画課の修正。" in line for line in lines)
    assert any("照会時→回答" in line and "回答した予定。" in line for line in lines)
    # A conflict starts undecided; the others are taken.
    assert [item.choice for item in review.items] == ["taken", "pending"]

    # The conflicting answer is rejected: the office's own text stays.
    review.items[1].accepted = False
    undo = edits.apply(sample_store, report, merge.answer_edits(review, date(2021, 6, 1)))
    stored = {e.id: e for _g, _d, e in sample_store.load(report.actual_year).entries()}
    assert stored[first.id].actual == "<p>回答した実績。</p>"
    assert stored[first.id].actual_state == STATE_NONE
    assert stored[second.id].plan == "<p>企画課の修正。</p>"
    for entry_id, department in ((first.id, "農林課"), (second.id, "水産課")):
        assert (stored[entry_id].answered_by, stored[entry_id].answered_at) == (
            department,
            "2021-06-01",
        )
    status = merge.department_status(report, {"農林課": "2021-05-01"})
    assert status["農林課"] in ("一部回答", "回答済")
    edits.apply(sample_store, report, undo)
    assert sample_store.load(report.actual_year) == report
    assert first.actual == first_sent and first.actual_state == STATE_CARRIED


@pytest.mark.both_engines
def test_department_status_counts_rows_answered(sample_store):
    report = sample_store.load()
    entry = next(e for _g, _d, e in report.entries() if e.departments == ["農林課"])
    names = report.departments()
    assert set(merge.department_status(report, {}).values()) == {"未照会"}
    assert merge.department_status(report, {"農林課": "x"})["農林課"] == "照会中"
    entry.answered_by = "農林課"
    assert merge.department_status(report, {"農林課": "x"})["農林課"] in ("一部回答", "回答済")
    assert len(merge.department_status(report, {})) == len(names)
