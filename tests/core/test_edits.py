"""The one edit path: a batch reaches the store first, then the report, and undoes exactly."""

from __future__ import annotations

import pytest

from kushiro_editor.core import edits
from kushiro_editor.core.model import STATE_CARRIED, STATE_NONE, Entry, ReportError
from kushiro_editor.core.store import Store


def _first_entry(report) -> Entry:
    return next(entry for _g, _d, entry in report.entries())


def test_a_batch_is_stored_then_applied_and_its_inverse_undoes_it(sample_store: Store):
    report = sample_store.load()
    entry = _first_entry(report)
    direction = edits.parent_of(report, entry)
    old_plan = entry.plan
    new = Entry(departments=["新設課"], actual="<p>した。</p>", plan="<p>する。</p>")
    undo = edits.apply(
        sample_store,
        report,
        [edits.SetField(entry, "plan", "<p>新しい予定。</p>"), edits.Insert(direction, new, 0)],
    )
    assert direction.entries[0] is new
    assert entry.plan == "<p>新しい予定。</p>"
    stored = sample_store.load(report.actual_year)
    assert stored == report

    edits.apply(sample_store, report, undo)
    assert entry.plan == old_plan
    assert all(e is not new for e in direction.entries)
    assert sample_store.load(report.actual_year) == report


def test_a_carried_text_loses_its_mark_with_the_text_and_gets_it_back_on_undo(sample_store):
    report = sample_store.load()
    entry = _first_entry(report)
    edits.apply(sample_store, report, [edits.SetField(entry, "plan_state", STATE_CARRIED)])
    undo = edits.apply(sample_store, report, [edits.SetField(entry, "plan", "<p>書き換え。</p>")])
    assert entry.plan_state == STATE_NONE
    assert sample_store.load(report.actual_year) == report
    edits.apply(sample_store, report, undo)
    assert entry.plan_state == STATE_CARRIED
    assert sample_store.load(report.actual_year) == report


def test_a_refused_batch_changes_neither_store_nor_report(sample_store: Store):
    report = sample_store.load()
    entry = _first_entry(report)
    ghost = Entry(departments=["幽霊課"])  # never stored: the store cannot find it
    old = entry.plan
    with pytest.raises(ReportError):
        edits.apply(
            sample_store,
            report,
            [
                edits.SetField(entry, "plan", "<p>途中まで。</p>"),
                edits.SetField(ghost, "plan", "x"),
            ],
        )
    assert entry.plan == old
    assert sample_store.load(report.actual_year) == report


def test_unchanged_values_make_an_empty_batch(sample_store: Store):
    report = sample_store.load()
    entry = _first_entry(report)
    assert edits.apply(sample_store, report, [edits.SetField(entry, "plan", entry.plan)]) == []


def test_moves_renumber_and_undo(sample_store: Store):
    report = sample_store.load()
    goal = report.goals[0]
    first, second = goal.directions[0], goal.directions[1]
    undo = edits.apply(sample_store, report, [edits.Move(first, goal, 0, goal, 1)])
    assert goal.directions[0] is second
    assert second.number == 1
    assert sample_store.load(report.actual_year) == report
    edits.apply(sample_store, report, undo)
    assert goal.directions[0] is first
    assert first.number == 1
