"""The window's edit path: one refresh of the review per change."""

from __future__ import annotations

from kushiro_editor.core import edits
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
