"""Each node's version: counted up by every change, an edit on a stale one refused."""

from __future__ import annotations

import pytest

from kushiro_editor.core import edits, versions
from kushiro_editor.core.model import Entry, new_id
from kushiro_editor.core.store import Store
from kushiro_editor.core.versions import VersionConflictError


def _first_entry(report):
    return next(e for _g, _d, e in report.entries())


@pytest.mark.both_engines
def test_every_change_counts_the_version_up_once_per_node(sample_store):
    report = sample_store.load()
    entry = _first_entry(report)
    known = versions.of_report(sample_store.conn, report.id)
    assert known[("entry", entry.id)] == 0
    assert known[("report", report.id)] == 0
    # Two fields of one row in one batch: one new version.
    edits.apply(
        sample_store,
        report,
        [edits.SetField(entry, "actual", "<p>一</p>"), edits.SetField(entry, "plan", "<p>二</p>")],
        known=known,
    )
    assert known[("entry", entry.id)] == 1
    assert versions.of_report(sample_store.conn, report.id)[("entry", entry.id)] == 1
    # A writer that names no version (the command line) counts it up too.
    sample_store.update([("entry", entry.id, "actual", "<p>三</p>")])
    assert versions.of_report(sample_store.conn, report.id)[("entry", entry.id)] == 2


@pytest.mark.both_engines
def test_an_edit_on_a_version_changed_meanwhile_is_refused_with_both_sides(
    sample_store, store_location
):
    mine = sample_store.load()
    known = versions.of_report(sample_store.conn, mine.id)
    entry = _first_entry(mine)
    other = Store(store_location)
    try:
        theirs = other.load()
        edits.apply(
            other,
            theirs,
            [edits.SetField(_first_entry(theirs), "actual", "<p>ほかの人の実績</p>")],
            known=versions.of_report(other.conn, theirs.id),
        )
    finally:
        other.close()
    with pytest.raises(VersionConflictError) as caught:
        edits.apply(
            sample_store,
            mine,
            [
                edits.SetField(entry, "actual", "<p>わたしの実績</p>"),
                edits.SetField(mine.goals[0], "title", "変えたはずの題"),
            ],
            known=known,
        )
    (stale,) = caught.value.stale
    assert (stale.kind, stale.node_id, stale.version) == ("entry", entry.id, 1)
    assert stale.values == {"actual": "<p>ほかの人の実績</p>"}
    assert "ほかの人が先に変更していた" in str(caught.value)
    # Nothing of the batch was written, nor changed in the report.
    again = sample_store.load()
    assert _first_entry(again).actual == "<p>ほかの人の実績</p>"
    assert again.goals[0].title == mine.goals[0].title != "変えたはずの題"
    assert entry.actual != "<p>わたしの実績</p>"
    assert known[("entry", entry.id)] == 0
    # Made on the stored version, the same edit is taken.
    known[("entry", entry.id)] = stale.version
    edits.apply(
        sample_store, mine, [edits.SetField(entry, "actual", "<p>わたしの実績</p>")], known=known
    )
    assert _first_entry(sample_store.load()).actual == "<p>わたしの実績</p>"
    assert known[("entry", entry.id)] == 2


@pytest.mark.both_engines
def test_a_node_set_on_both_sides_of_an_insert_is_checked_once(sample_store):
    report = sample_store.load()
    known = versions.of_report(sample_store.conn, report.id)
    direction = report.goals[0].directions[0]
    entry = direction.entries[0]
    row = Entry(id=new_id(), departments=["水産課"])
    edits.apply(
        sample_store,
        report,
        [
            edits.SetField(entry, "actual", "<p>前</p>"),
            edits.Insert(direction, row, len(direction.entries)),
            edits.SetField(entry, "plan", "<p>後</p>"),
        ],
        known=known,
    )
    stored = versions.of_report(sample_store.conn, report.id)
    assert stored[("entry", entry.id)] == known[("entry", entry.id)] == 2
    assert stored[("entry", row.id)] == 0


@pytest.mark.both_engines
def test_a_node_deleted_meanwhile_is_not_found(sample_store, store_location):
    report = sample_store.load()
    known = versions.of_report(sample_store.conn, report.id)
    entry = _first_entry(report)
    other = Store(store_location)
    try:
        other.delete("entry", entry.id)
    finally:
        other.close()
    with pytest.raises(edits.ReportError, match="対象が見つかりません"):
        edits.apply(
            sample_store, report, [edits.SetField(entry, "actual", "<p>x</p>")], known=known
        )
