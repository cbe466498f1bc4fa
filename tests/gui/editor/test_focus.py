"""The cell with the keyboard shows it: after F6 and Alt+↓ a clerk sees where a paste goes."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette

from kushiro_editor.gui.editor.richedit import FOCUS_BACKGROUND, FOCUS_FRAME


def ground(editor):
    return editor.palette().color(QPalette.ColorRole.Base)


def test_the_focused_cell_is_tinted_and_framed_and_only_it(window, qtbot):
    view = window.pane.view
    direction = max(
        (d for _g, d in window.document.report.directions()), key=lambda d: len(d.entries)
    )
    window.pane.select_node(direction)
    qtbot.waitUntil(lambda: view.direction is direction)
    first, second = (view.entry_widget(e) for e in direction.entries[:2])
    plain = ground(first.actual)
    assert plain != FOCUS_BACKGROUND
    window.activateWindow()
    first.actual.setFocus()
    qtbot.waitUntil(first.actual.hasFocus)
    assert ground(first.actual) == FOCUS_BACKGROUND
    assert first.actual.palette().color(QPalette.ColorRole.WindowText) == FOCUS_FRAME
    # Alt+↓: the same column of the next row has the keyboard, and shows it.
    qtbot.keyClick(first.actual, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(second.actual.hasFocus, timeout=2000)
    assert ground(second.actual) == FOCUS_BACKGROUND
    assert ground(first.actual) == plain


def test_the_department_field_shows_the_keyboard_too(window, qtbot):
    view = window.pane.view
    direction = next(d for _g, d in window.document.report.directions() if d.entries)
    window.pane.select_node(direction)
    qtbot.waitUntil(lambda: view.direction is direction)
    row = view.entry_widget(direction.entries[0])
    plain = ground(row.departments)
    window.activateWindow()
    row.departments.setFocus()
    qtbot.waitUntil(row.departments.hasFocus)
    assert ground(row.departments) == FOCUS_BACKGROUND
    row.actual.setFocus()
    qtbot.waitUntil(row.actual.hasFocus)
    assert ground(row.departments) == plain
