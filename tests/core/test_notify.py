"""The server tells listeners about each node changed (LISTEN/NOTIFY)."""

from __future__ import annotations

import select
import time

from kushiro_editor.core import edits
from kushiro_editor.core.model import Entry, new_id
from kushiro_editor.core.server import notify
from kushiro_editor.core.store import Store


def _heard(listener, wanted, seconds=3.0):
    """Changes heard until ``wanted(changes)`` holds (or the time is up)."""
    heard = []
    end = time.monotonic() + seconds
    while not wanted(heard) and time.monotonic() < end:
        select.select([listener.fileno()], [], [], 0.1)
        heard += listener.take()
    return heard


def test_each_change_of_a_node_is_heard_with_its_version(pg_url, sample_result):
    writer = Store(pg_url)
    writer.save(sample_result.report)
    listener = notify.Listener(writer.conn)
    try:
        report = writer.load()
        direction = report.goals[0].directions[0]
        entry = direction.entries[0]
        edits.apply(writer, report, [edits.SetField(entry, "actual", "<p>変えた</p>")])
        heard = _heard(listener, lambda h: any(c.node_id == entry.id for c in h))
        assert notify.Change("entry", entry.id, 1, "update", direction.id, 0) in heard
        # The report's modification time alone is not a change of the report.
        assert not [c for c in heard if c.kind == "report"]
        row = Entry(id=new_id(), departments=["水産課"])
        edits.apply(writer, report, [edits.Insert(direction, row, 0)])
        edits.apply(writer, report, [edits.Remove(direction, row, 0)])
        heard = _heard(listener, lambda h: any(c.op == "delete" for c in h))
        ops = [(c.op, c.kind) for c in heard if c.node_id == row.id]
        assert ops == [("insert", "entry"), ("delete", "entry")]
    finally:
        listener.close()
        writer.close()


def test_a_second_opener_finds_the_triggers_made(pg_url):
    Store(pg_url).close()
    store = Store(pg_url)
    try:
        assert notify._installed(store.conn) == len(notify.versions.TABLES)
    finally:
        store.close()


def test_a_payload_not_of_this_editor_is_ignored():
    assert notify.parse("not json") is None
    assert notify.parse('{"kind": "entry"}') is None
