"""The bottom and side panels: Esc closes the one the keyboard is in."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QDockWidget


def close_on_escape(dock: QDockWidget, back: Callable[[], None]) -> None:
    """Esc inside ``dock`` hides it and hands the keyboard ``back`` to the editor.

    Without a place to go, Qt gives the focus to whatever widget comes next,
    often the 所管部署 filter, where ↓ then changes the filter.
    """

    def close() -> None:
        back()  # first: a dock hidden with the keyboard inside hands it to the next widget
        dock.hide()

    shortcut = QShortcut(QKeySequence(Qt.Key.Key_Escape), dock)
    shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
    shortcut.activated.connect(close)
