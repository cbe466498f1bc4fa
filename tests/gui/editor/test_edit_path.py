"""The window's edit path: one refresh of the review per change, an import opened as read."""

from __future__ import annotations

from kushiro_editor import formats
from kushiro_editor.core import edits
from kushiro_editor.core.model import Report
from kushiro_editor.core.store import Store
from kushiro_editor.formats import reportjson
from tests.gui.conftest import type_into


def counted_checks(panel, monkeypatch) -> list[int]:
    """Record every check the review panel starts (one per refresh)."""
    started: list[int] = []
    real = panel.review_checker.check

    def check(*args, **kwargs):
        started.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(panel.review_checker, "check", check)
    return started


def settled(panel, qtbot) -> None:
    """Wait until the panel has refreshed and checked, and no refresh is due."""
    qtbot.waitUntil(lambda: not panel.busy and not panel.checker.busy, timeout=30000)
    qtbot.wait(2 * panel._timer.interval())
    qtbot.waitUntil(lambda: not panel.busy and not panel.checker.busy, timeout=30000)


def test_one_save_is_one_refresh_of_the_review(window, qtbot, monkeypatch):
    window.review.show_review()
    panel = window.review.panel
    settled(panel, qtbot)
    checks = counted_checks(panel, monkeypatch)
    document = window.document
    widget = window.pane.view._entries[0]
    saved = {"timeout": 3000, "check_params_cb": lambda saved: saved}
    with qtbot.waitSignal(document.saved_changed, **saved):
        type_into(qtbot, widget.actual, "追記。")
    settled(panel, qtbot)
    assert len(checks) == 1
    # A batch through the one edit path, and its undo: one refresh each.
    entry = widget.entry
    assert document.apply("試し", [edits.SetField(entry, "plan", "<p>新しい予定。</p>")])
    settled(panel, qtbot)
    assert len(checks) == 2
    document.undo_stack.undo()
    settled(panel, qtbot)
    assert len(checks) == 3


def test_an_import_is_stored_and_opened_as_read(
    window, qtbot, tmp_path, monkeypatch, sample_result, store_path
):
    report = sample_result.report
    report.actual_year = 2021
    path = tmp_path / "r3.json"
    reportjson.write(report, path)
    read, loads, numbered = [], [], []
    real_read, real_load, real_renumber = formats.read_file, window.store.load, Report.renumber

    def read_file(*args, **kwargs):
        read.append(real_read(*args, **kwargs).report)
        return type(sample_result)(read[-1], [])

    def load(*args, **kwargs):
        loads.append(args)
        return real_load(*args, **kwargs)

    def renumber(self):
        numbered.append(self)
        real_renumber(self)

    monkeypatch.setattr(formats, "read_file", read_file)
    monkeypatch.setattr(window.store, "load", load)
    monkeypatch.setattr(Report, "renumber", renumber)
    with qtbot.waitSignal(window.tasks.finished, timeout=30000):
        window.files.import_file(path)
    [parsed] = read
    # The report read is the one stored and shown: not loaded back, numbered as read.
    assert window.document.report is parsed
    # Only last year's report is read, for the plans shown beside the 実績.
    assert all(args == (2020,) for args in loads)
    assert numbered and all(r is parsed for r in numbered if r.actual_year == 2021)
    assert window.pane.view.heading_actual.text() == "R3年度(実績)"
    assert window.document.tree.index(0, 0).data().startswith("【基本目標1】")
    store = Store(store_path)
    try:
        assert store.load(2021) == parsed
    finally:
        store.close()
    # Its ids are the stored ones (the sample's were taken): an edit reaches the store.
    entry = next(e for _g, _d, e in parsed.entries())
    assert window.document.apply("試し", [edits.SetField(entry, "plan", "<p>取り込み後。</p>")])
    store = Store(store_path)
    try:
        assert store.load(2021).find_node(entry.id).plan == "<p>取り込み後。</p>"
    finally:
        store.close()
