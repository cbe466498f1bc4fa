"""The one edit path: a batch reaches the store first, then the report, and undoes exactly."""

from __future__ import annotations

import pytest

from kushiro_editor.core import edits
from kushiro_editor.core.model import STATE_CARRIED, STATE_NONE, Entry, ReportError
from kushiro_editor.core.store import Store


def _first_entry(report) -> Entry:
    return next(entry for _g, _d, entry in report.entries())


@pytest.mark.both_engines
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


@pytest.mark.both_engines
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


@pytest.mark.both_engines
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


@pytest.mark.both_engines
def test_unchanged_values_make_an_empty_batch(sample_store: Store):
    report = sample_store.load()
    entry = _first_entry(report)
    assert edits.apply(sample_store, report, [edits.SetField(entry, "plan", entry.plan)]) == []


@pytest.mark.both_engines
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


TEXTS = ("actual", "plan")


def _carry_every_text(store: Store, report) -> list[Entry]:
    """Mark every 実績 and 取組予定 of the report as carried over, as a rollover does."""
    entries = [entry for _g, _d, entry in report.entries()]
    edits.apply(
        store,
        report,
        [edits.SetField(e, f"{f}_state", STATE_CARRIED) for e in entries for f in TEXTS],
    )
    return entries


def _marks(report) -> list[tuple[str, str]]:
    return [(e.actual_state, e.plan_state) for _g, _d, e in report.entries()]


@pytest.mark.both_engines
def test_a_notation_fix_keeps_the_carried_mark_and_its_undo_too(sample_store: Store):
    from kushiro_editor.core import notation, notationfile

    report = sample_store.load()
    _carry_every_text(sample_store, report)
    fixes = notation.fix_edits(report, notation.find(report, notationfile.default_rules()))
    touched = {(id(e.node), e.field) for e in fixes if isinstance(e.node, Entry)}
    assert touched and all(e.mechanical for e in fixes)
    undo = edits.apply(sample_store, report, fixes)
    assert len(undo) == len(fixes)  # no companion clearing a mark
    assert set(_marks(report)) == {(STATE_CARRIED, STATE_CARRIED)}
    assert sample_store.load(report.actual_year) == report
    edits.apply(sample_store, report, undo)
    assert set(_marks(report)) == {(STATE_CARRIED, STATE_CARRIED)}
    assert sample_store.load(report.actual_year) == report


@pytest.mark.both_engines
def test_a_replace_all_keeps_the_carried_mark(sample_store: Store):
    from kushiro_editor.core import search

    report = sample_store.load()
    _carry_every_text(sample_store, report)
    matches = [m for m in search.find(report, "事業") if m.field in ("actual", "plan")]
    assert matches
    edits.apply(sample_store, report, search.replace_edits(matches, "取組"))
    replaced = [e for _g, _d, e in report.entries() if any(m.node is e for m in matches)]
    assert all("事業" not in e.actual + e.plan for e in replaced)
    assert set(_marks(report)) == {(STATE_CARRIED, STATE_CARRIED)}
    assert set(_marks(sample_store.load(report.actual_year))) == {(STATE_CARRIED, STATE_CARRIED)}


@pytest.mark.both_engines
def test_only_a_persons_edit_or_a_confirmation_clears_the_mark(sample_store: Store):
    from kushiro_editor.core import review

    report = sample_store.load()
    first, second = _carry_every_text(sample_store, report)[:2]
    edits.apply(
        sample_store,
        report,
        [
            edits.SetField(first, "plan", "<p>機械的な置換。</p>", mechanical=True),
            edits.SetField(first, "actual", "<p>人が書き直した。</p>"),
        ],
    )
    assert (first.actual_state, first.plan_state) == (STATE_NONE, STATE_CARRIED)
    edits.apply(sample_store, report, review.confirm_edits(second))
    assert STATE_CARRIED not in (second.actual_state, second.plan_state)
    assert sample_store.load(report.actual_year) == report


@pytest.mark.both_engines
def test_the_undo_of_a_persons_edit_puts_the_mark_back_with_the_text(sample_store: Store):
    report = sample_store.load()
    entry = _carry_every_text(sample_store, report)[0]
    old = entry.plan
    undo = edits.apply(sample_store, report, [edits.SetField(entry, "plan", "<p>書いた。</p>")])
    assert all(isinstance(e, edits.SetField) and e.mechanical for e in undo)
    assert entry.plan_state == STATE_NONE
    assert edits.apply(sample_store, report, undo)
    assert (entry.plan, entry.plan_state) == (old, STATE_CARRIED)
    assert sample_store.load(report.actual_year) == report
