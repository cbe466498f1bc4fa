"""「・」 is a list item's marker: the caret never stands in front of it."""

from __future__ import annotations

from PySide6.QtCore import QMimeData, QPoint, Qt
from PySide6.QtGui import QTextCursor

from kushiro_editor.core import richtext
from kushiro_editor.gui.editor.richedit import BULLET
from tests.gui.conftest import fresh, ime_commit


def first_item_editor(window):
    """The 実績 of 農林課 in ①: a 「・」 list from its first line."""
    editor = window.pane.view._entries[0].actual
    editor.setFocus()
    return editor


def test_home_never_puts_the_caret_before_the_marker(window, qtbot, store_path):
    editor = first_item_editor(window)
    cursor = editor.textCursor()
    cursor.setPosition(5)
    editor.setTextCursor(cursor)
    qtbot.keyClick(editor, Qt.Key.Key_Home)
    cursor = editor.textCursor()
    assert cursor.block().text().startswith(BULLET)
    assert cursor.position() == cursor.block().position() + 1
    ime_commit(editor, "HH")
    window.document.flush()
    actual = fresh(store_path).goals[0].directions[0].entries[0].actual
    assert actual.startswith("<ul><li>・HH農業経営基盤整備")
    assert "HH・" not in richtext.to_plain(actual)


def test_ctrl_home_and_a_click_at_the_line_start_land_after_the_marker(window, qtbot):
    editor = first_item_editor(window)
    qtbot.keyClick(editor, Qt.Key.Key_Home, Qt.KeyboardModifier.ControlModifier)
    assert editor.textCursor().position() == 1
    editor.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.mouseClick(editor.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(2, 8))
    cursor = editor.textCursor()
    assert cursor.block().blockNumber() == 0
    assert cursor.position() == 1


def test_tab_into_an_item_starts_after_the_marker(window, qtbot):
    widget = window.pane.view._entries[0]
    editor = widget.actual
    editor.setFocus()
    editor.moveCursor(QTextCursor.MoveOperation.Start)
    widget.plan.setFocus()
    # The editor's cursor is put back in front of 「・」, as a fresh bind leaves it.
    cursor = editor.textCursor()
    editor.blockSignals(True)
    cursor.setPosition(0)
    editor.setTextCursor(cursor)
    editor.blockSignals(False)
    assert editor.textCursor().position() == 0
    qtbot.keyClick(widget.plan, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    assert editor.hasFocus()
    assert editor.textCursor().position() == 1


def test_paste_at_the_start_goes_after_the_marker(window, qtbot, store_path):
    editor = first_item_editor(window)
    editor.moveCursor(QTextCursor.MoveOperation.Start)
    data = QMimeData()
    data.setText("貼付")
    editor.insertFromMimeData(data)
    window.document.flush()
    actual = fresh(store_path).goals[0].directions[0].entries[0].actual
    assert actual.startswith("<ul><li>・貼付農業経営基盤整備")


def test_backspace_after_the_marker_ends_the_item(window, qtbot, store_path):
    editor = first_item_editor(window)
    editor.moveCursor(QTextCursor.MoveOperation.Start)
    qtbot.keyClick(editor, Qt.Key.Key_Backspace)
    window.document.flush()
    actual = fresh(store_path).goals[0].directions[0].entries[0].actual
    assert actual.startswith("<p>農業経営基盤整備")
    window.document.undo_stack.undo()
    window.document.flush()
    actual = fresh(store_path).goals[0].directions[0].entries[0].actual
    assert actual.startswith("<ul><li>・農業経営基盤整備")
