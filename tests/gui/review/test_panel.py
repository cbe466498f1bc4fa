"""提出前の点検 off the window's thread: answers arrive, stale ones never show, rows fit."""

from __future__ import annotations

import sys
import threading

import pytest
from PySide6.QtCore import Qt

from kushiro_editor.core import edits, notation, review
from kushiro_editor.gui.review.backgroundcheck import SWITCH_INTERVAL, BackgroundCheck
from tests.gui.conftest import type_into


@pytest.fixture
def gate(monkeypatch):
    """Hold the review's check in its worker until the test opens the gate."""
    opened = threading.Event()
    started = threading.Semaphore(0)
    checked = []
    real_check = review.check

    def held(report, **kwargs):
        started.release()
        assert opened.wait(30), "the gate was never opened"
        texts = {(e.actual, e.plan) for _g, _d, e in report.entries()}
        checked.append(texts)
        return real_check(report, **kwargs)

    monkeypatch.setattr(review, "check", held)
    gate = type("Gate", (), {})()
    gate.open = opened.set
    gate.started = lambda: started.acquire(timeout=30)
    gate.checked = checked
    return gate


def as_rows(findings):
    """Findings as comparable values (the entry by identity)."""
    return [(id(f.entry), f.field, f.rule, f.detail) for f in findings]


def expected(window, panel):
    report = window.document.report
    known = window.store.department_list() or None
    return review.check(report, limit=panel.limit.value(), departments=known)


def test_the_findings_arrive_while_the_window_goes_on(window, qtbot, gate):
    window.review.show_review()
    panel = window.review.panel
    assert gate.started()  # the check runs in its worker, held there
    assert panel.busy and panel.summary.text() == "点検中…"
    assert panel.findings == []
    # The window is not blocked: typing goes on and reaches the text.
    entry = window.document.report.goals[0].directions[0].entries[0]
    editor = window.pane.view.entry_widget(entry).plan
    type_into(qtbot, editor, "追記")
    assert editor.toPlainText().endswith("追記")
    assert window.document.flush()
    with qtbot.waitSignal(panel.review_checked, timeout=30000) as arrived:
        gate.open()
    assert not panel.busy
    wanted = expected(window, panel)
    assert arrived.args == [len(wanted)] and len(wanted) > 0
    assert as_rows(panel.findings) == as_rows(wanted)
    shown = [panel.finding_of(panel.tree.topLevelItem(i)) for i in range(len(wanted))]
    assert as_rows(shown) == as_rows(wanted)
    assert "確認が必要な箇所 8 件" in panel.summary.text()


def test_the_window_is_served_first_while_a_check_runs(window, qtbot, gate):
    usual = sys.getswitchinterval()
    window.review.show_review()
    panel = window.review.panel
    assert gate.started()
    assert sys.getswitchinterval() == min(SWITCH_INTERVAL, usual)
    gate.open()
    qtbot.waitUntil(lambda: not panel.busy and not panel.checker.busy, timeout=30000)
    panel.checker.wait()
    assert sys.getswitchinterval() == usual


def test_a_stale_answer_is_never_shown(window, qtbot, gate):
    window.review.show_review()
    panel = window.review.panel
    assert gate.started()
    answers = []
    panel.review_checker.found.connect(answers.append)
    # While the first check is held, a text is emptied: that check's answer is stale.
    entry = window.document.report.goals[0].directions[0].entries[0]
    before = entry.actual
    assert window.document.apply("試し", [edits.SetField(entry, "actual", "")])
    assert panel.summary.text() == "点検中…"
    gate.open()
    qtbot.waitUntil(lambda: not panel.busy, timeout=30000)
    # Both checks ran; only the second one's answer (the text emptied) was used.
    assert len(gate.checked) == 2
    assert ("", entry.plan) not in gate.checked[0] and ("", entry.plan) in gate.checked[1]
    assert len(answers) == 1
    mine = {(f.field, f.rule) for f in panel.findings if f.entry is entry}
    assert ("actual", "empty") in mine
    assert as_rows(panel.findings) == as_rows(expected(window, panel))
    window.document.undo_stack.undo()
    assert entry.actual == before


def test_a_newer_request_replaces_the_waiting_one(window, qtbot, gate):
    window.review.show_review()
    panel = window.review.panel
    assert gate.started()
    for limit in (500, 400, 300):  # each asks again while the first is held
        panel.limit.setValue(limit)
        panel.refresh()
    gate.open()
    qtbot.waitUntil(lambda: not panel.busy, timeout=30000)
    assert len(gate.checked) == 2  # the held one, then only the newest
    assert as_rows(panel.findings) == as_rows(expected(window, panel))
    assert any(f.detail.endswith("(上限 300字)") for f in panel.findings)


def test_a_failed_check_is_said_and_the_rows_stay(window, qtbot, monkeypatch):
    window.review.show_review()
    panel = window.review.panel
    qtbot.waitUntil(lambda: not panel.busy and bool(panel.findings), timeout=30000)
    rows = panel.tree.topLevelItemCount()

    def broken(_report, **_kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(review, "check", broken)
    panel.refresh()
    qtbot.waitUntil(lambda: panel.failed, timeout=30000)
    assert "点検できませんでした" in panel.summary.text()
    assert panel.tree.topLevelItemCount() == rows


def test_a_change_drops_the_request_waiting_for_the_check_under_way(qtbot):
    """What waits behind a check is out of date too once the report changes: it never runs."""
    checker = BackgroundCheck()
    opened, ran, answers = threading.Event(), [], []

    def work(name):
        def run():
            ran.append(name)
            assert opened.wait(30)
            return name

        return run

    checker.submit(work("first"), answers.append)
    qtbot.waitUntil(lambda: ran == ["first"], timeout=10000)
    checker.submit(work("waiting"), answers.append)
    checker.invalidate()
    opened.set()
    qtbot.waitUntil(lambda: not checker.busy, timeout=10000)
    assert checker.wait()
    assert ran == ["first"] and answers == []


def test_a_failed_notation_check_drops_its_old_rows_and_says_so(window, qtbot, monkeypatch):
    window.review.show_review()
    panel = window.review.panel
    qtbot.waitUntil(lambda: not panel.busy and bool(panel.notation_findings), timeout=30000)

    def broken(*_args, **_kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(notation, "find_in_text", broken)
    panel.refresh()
    qtbot.waitUntil(lambda: panel.notation_failed, timeout=30000)
    assert panel.notation_findings == []
    assert "表記の点検はできませんでした" in panel.summary_text
    kinds = {panel.tree.topLevelItem(i).text(2) for i in range(panel.tree.topLevelItemCount())}
    assert "表記の揺れ" not in kinds
    assert panel.findings  # the review's own rows are still there


def rows_in_view(tree):
    """How many rows the list shows at once: its viewport's height over a row's."""
    row = tree.visualItemRect(tree.topLevelItem(0)).height()
    assert row > 0
    return tree.viewport().height() // row


def open_at(make_window, store_path, qtbot, size, *, tabbed=False):
    window = make_window(store_path)
    window.resize(*size)
    qtbot.waitUntil(lambda: window.height() == size[1])
    if tabbed:  # the notes of an import are open too: the panels share a tab bar
        window.warnings_panel.show()
    window.review.show_review()
    panel = window.review.panel
    qtbot.waitUntil(lambda: not panel.busy and panel.tree.topLevelItemCount() > 0, timeout=30000)
    return window, panel


@pytest.mark.parametrize(("tabbed", "least"), [(False, 5), (True, 4)])
def test_a_laptop_screen_shows_rows_and_keeps_the_editor_its_room(
    make_window, sample_store, store_path, qtbot, tabbed, least
):
    window, panel = open_at(make_window, store_path, qtbot, (1280, 720), tabbed=tabbed)
    qtbot.waitUntil(lambda: rows_in_view(panel.tree) >= least, timeout=2000)
    assert window.pane.height() / window.height() >= 2 / 3
    # The summary's first line, the counts, is always in view; the rest is its tooltip.
    first = panel.summary_text.split("\n")[0]
    assert first.startswith("確認が必要な箇所 8 件")
    assert panel.summary.text().startswith(first)
    assert panel.summary.toolTip() == panel.summary_text


def test_the_panels_open_at_the_height_they_were_left_at(
    make_window, sample_store, store_path, qtbot
):
    window, panel = open_at(make_window, store_path, qtbot, (1600, 1000))
    full = panel.height()
    assert rows_in_view(panel.tree) >= 8  # a third of the window, in the editor's own UI font
    window.resizeDocks([panel], [150], Qt.Orientation.Vertical)  # the user drags the edge
    qtbot.waitUntil(lambda: panel.height() == 150)
    panel.close()
    window.review.show_review()
    qtbot.waitUntil(panel.isVisible)
    qtbot.wait(50)  # the event loop turns: the panels are fitted after being shown
    assert panel.height() == 150
    window.close()
    again, panel = open_at(make_window, store_path, qtbot, (1600, 1000))
    qtbot.waitUntil(lambda: abs(panel.height() - 150) <= 1, timeout=2000)
    # Dragged back to the most it may take, it takes all of it in a larger window too.
    again.resizeDocks([panel], [full + 200], Qt.Orientation.Vertical)
    qtbot.waitUntil(lambda: panel.height() > full)
    again.close()
    _third, panel = open_at(make_window, store_path, qtbot, (1600, 1000))
    qtbot.waitUntil(lambda: panel.height() == full, timeout=2000)


def test_a_floating_panel_closed_keeps_the_height_of_the_docked_ones(
    make_window, sample_store, store_path, qtbot
):
    window, panel = open_at(make_window, store_path, qtbot, (1600, 1000))
    other = window.warnings_panel
    other.setFloating(True)  # the notes float as a window of their own
    other.show()
    other.resize(other.width(), 400)
    qtbot.wait(50)  # the panels are fitted once the event loop turns
    window.resizeDocks([panel], [150], Qt.Orientation.Vertical)
    qtbot.waitUntil(lambda: panel.height() == 150)
    panel.close()
    qtbot.wait(50)
    other.close()  # the last one visible, but not in the window's panel area
    qtbot.wait(50)
    assert window.panel_height == 150
    window.review.show_review()
    qtbot.waitUntil(panel.isVisible)
    qtbot.wait(50)
    assert panel.height() == 150


def test_panels_behind_tabs_go_without_their_title_and_close_by_their_tab(
    make_window, sample_store, store_path, qtbot
):
    from PySide6.QtWidgets import QTabBar

    window, panel = open_at(make_window, store_path, qtbot, (1280, 720), tabbed=True)
    notes = window.warnings_panel
    qtbot.waitUntil(lambda: panel.titleBarWidget() is not None)
    assert notes.titleBarWidget() is not None
    qtbot.waitUntil(lambda: panel.widget().y() == 0)  # the rows start at the panel's top
    bars = [b for b in window.findChildren(QTabBar) if b.isVisible() and b.count() > 1]
    assert len(bars) == 1 and bars[0].tabsClosable()
    bar = bars[0]
    index = next(i for i in range(bar.count()) if bar.tabText(i) == panel.windowTitle())
    bar.tabCloseRequested.emit(index)
    qtbot.waitUntil(lambda: not panel.isVisible())
    # Alone again, the notes have their title bar back (its × closes them).
    qtbot.waitUntil(lambda: notes.titleBarWidget() is None)
    assert notes.isVisible()
