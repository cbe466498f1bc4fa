"""Texts carried over from last year keep their 未確認 mark until a person reads them."""

from __future__ import annotations

import re

from PySide6.QtCore import Qt

from kushiro_editor.core.model import STATE_CARRIED, STATE_NONE
from tests.gui.conftest import fresh, type_into

CARRIED_BOTH = "前年度から引継ぎ・未確認(実績・取組予定)"


def needs_check(panel) -> int:
    """The count of 確認が必要な箇所 the review panel shows."""
    return int(re.search(r"確認が必要な箇所 (\d+) 件", panel.summary.text()).group(1))


def new_year(window, qtbot):
    """FY2021 carried over from the sample, its review shown and checked."""
    window.year.rollover(2020, "plan")
    panel = window.review.panel
    qtbot.waitUntil(lambda: not panel.busy and not panel.checker.busy, timeout=30000)
    return panel


def marks(report) -> list[tuple[str, str]]:
    return [(e.actual_state, e.plan_state) for _g, _d, e in report.entries()]


def test_fixing_notation_keeps_the_texts_nobody_read_unconfirmed(window, qtbot, store_path):
    panel = new_year(window, qtbot)
    carried = needs_check(panel)
    before = fresh(store_path)
    assert set(marks(before)) >= {(STATE_CARRIED, STATE_CARRIED)}
    window.review.confirm_fixes = lambda dialog: True  # 「まとめて直す」 with every change
    with qtbot.waitSignal(window.tasks.finished, timeout=30000):
        window.review.act_fix_notation.trigger()
    assert window.document.undo_stack.undoText() == "表記の統一"
    after = fresh(store_path)
    fixed = [
        (old, new)
        for (_g, _d, old), (_g2, _d2, new) in zip(before.entries(), after.entries(), strict=True)
        if (old.actual, old.plan) != (new.actual, new.plan)
    ]
    assert fixed  # the carried texts had notation to fix
    assert all((n.actual_state, n.plan_state) == (o.actual_state, o.plan_state) for o, n in fixed)
    assert marks(after) == marks(before)
    qtbot.waitUntil(lambda: not panel.busy and not panel.checker.busy, timeout=30000)
    assert needs_check(panel) == carried
    widgets = [w for w in window.pane.view._entries if w.isVisible()]
    assert all(w.state_text == CARRIED_BOTH for w in widgets)
    assert all(w.confirm_button.isVisible() for w in widgets)


def test_undo_of_typing_into_a_carried_text_puts_its_mark_back(window, qtbot, store_path):
    panel = new_year(window, qtbot)
    carried = needs_check(panel)
    widget = next(w for w in window.pane.view._entries if w.isVisible())
    entry = widget.entry
    original = entry.plan
    document = window.document
    type_into(qtbot, widget.plan, "あわせて周知する。")
    assert document.flush()
    # Typed: the 取組予定 is the person's now, and counts as read.
    assert entry.plan_state == STATE_NONE
    assert fresh(store_path).find_node(entry.id).plan_state == STATE_NONE
    assert widget.state_text == "前年度から引継ぎ・未確認(実績)"
    qtbot.waitUntil(lambda: not panel.busy and not panel.checker.busy, timeout=30000)
    assert needs_check(panel) == carried - 1
    qtbot.keyClick(widget.plan, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert document.flush()
    stored = fresh(store_path).find_node(entry.id)
    assert (entry.plan, entry.plan_state) == (original, STATE_CARRIED)
    assert (stored.plan, stored.plan_state) == (original, STATE_CARRIED)
    assert widget.state_text == CARRIED_BOTH and widget.confirm_button.isVisible()
    qtbot.waitUntil(lambda: not panel.busy and not panel.checker.busy, timeout=30000)
    assert needs_check(panel) == carried
    # Redo types it again: read again, the mark goes again.
    qtbot.keyClick(widget.plan, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert document.flush()
    assert fresh(store_path).find_node(entry.id).plan_state == STATE_NONE
    assert widget.state_text == "前年度から引継ぎ・未確認(実績)"


def test_the_mark_wraps_between_its_phrases_never_inside_a_word(qtbot):
    from PySide6.QtGui import QTextDocument

    from kushiro_editor.gui.editor.entrywidgets import DEPARTMENT_WIDTH, phrased

    text = "前年度から引継ぎ・未確認(実績・取組予定)"
    shown = phrased(text)
    assert shown.replace("\u2060", "") == text
    document = QTextDocument()
    document.setPlainText(shown)
    document.setTextWidth(DEPARTMENT_WIDTH - 12)  # the 所管部署 column, inside its margins
    document.documentLayout().documentSize()
    layout = document.firstBlock().layout()
    lines = [
        shown[line.textStart() : line.textStart() + line.textLength()].replace("\u2060", "")
        for line in (layout.lineAt(i) for i in range(layout.lineCount()))
    ]
    # Lines begin only where a phrase does: 「前年度から引継ぎ・」「未確認」「(実績・取組予定)」.
    assert len(lines) > 1
    assert lines in (
        ["前年度から引継ぎ・", "未確認(実績・取組予定)"],
        ["前年度から引継ぎ・", "未確認", "(実績・取組予定)"],
    )
