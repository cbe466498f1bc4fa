"""The real window on a real store file, with private settings."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QInputMethodEvent, QTextCursor
from PySide6.QtWidgets import QApplication

from kushiro_editor.core.store import Store


@pytest.fixture
def window(make_window, sample_store, store_location):
    """The window on the sample report (the sample store's connection stays open too); on
    the server as well for a test marked ``both_engines``."""
    return make_window(store_location)


def fresh(store_path):
    """A second connection to the store, as a new session would see it."""
    store = Store(store_path)
    try:
        return store.load()
    finally:
        store.close()


def ime_commit(editor, text):
    """Type as a Japanese IME does: a composition, then the committed phrase."""
    QApplication.sendEvent(editor, QInputMethodEvent(text, []))  # the preedit (underlined)
    commit = QInputMethodEvent()
    commit.setCommitString(text)
    QApplication.sendEvent(editor, commit)


def type_into(qtbot, editor, text):
    """Type at the end of an editor, as an IME commits a phrase."""
    editor.setFocus()
    editor.moveCursor(QTextCursor.MoveOperation.End)
    ime_commit(editor, text)


def answer_precheck(press):
    """Press a button of the dialog once it is open; returns what it showed."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from kushiro_editor.gui.files.precheck import PreExportDialog

    seen: dict = {}

    def look():
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, PreExportDialog):
            seen["summary"] = dialog.summary.text()
            seen["rows"] = [
                [dialog.list.topLevelItem(i).text(c) for c in range(4)]
                for i in range(dialog.list.topLevelItemCount())
            ]
            room = dialog.screen().availableGeometry()
            # (where it opens is the window manager's; its size is the dialog's own)
            seen["fits"] = dialog.width() < room.width() and dialog.height() < room.height()
            press(dialog)
        else:
            QTimer.singleShot(50, look)

    QTimer.singleShot(50, look)
    return seen
