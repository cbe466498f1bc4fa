"""Finding and replacing across the report (Ctrl+F, Ctrl+H)."""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication, QMainWindow

from ..editor.document import ReportDocument
from ..editor.richedit import RichTextEdit
from ..session import Feature, Session
from ..shared.docks import close_on_escape
from ..shared.warningspanel import WarningsPanel
from .panel import FindReplacePanel

logger = logging.getLogger(__name__)


class FindWork(Feature):
    """検索 and 置換, with their results panel."""

    panel_made = Signal(object)  # the results panel's show/hide action, for the 表示 menu

    def __init__(self, session: Session, window: QMainWindow, warnings: WarningsPanel) -> None:
        super().__init__(session, window)
        self.window = window
        self.warnings = warnings  # the results panel is tabbed with it
        self.panel: FindReplacePanel | None = None  # made on first use
        self.act_find = self.action(
            self.tr("検索(&F)…"),
            self.show_find,
            QKeySequence.StandardKey.Find,
            writes=False,
            needs_report=True,
        )
        self.act_replace = self.action(
            self.tr("置換(&H)…"), self.show_replace, "Ctrl+H", needs_report=True
        )

    def document_changed(self, document: ReportDocument | None) -> None:
        """Search the report now open."""
        if self.panel is not None and document is not None:
            self.panel.set_document(document)

    def _ensure_panel(self) -> FindReplacePanel | None:
        if self.document is None:
            return None
        if self.panel is None:
            self.panel = FindReplacePanel(self.document, self.window)
            self.panel.jump.connect(self.session.reveal)
            self.window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.panel)
            self.window.tabifyDockWidget(self.warnings, self.panel)
            close_on_escape(self.panel, self.session.focus_back.emit)
            toggle = self.panel.toggleViewAction()
            toggle.setText(self.tr("検索と置換の結果(&S)"))
            self.panel_made.emit(toggle)
        return self.panel

    def show_find(self) -> None:
        """Ctrl+F: the search field, with the selected words in it."""
        panel = self._ensure_panel()
        if panel is not None:
            editor = QApplication.focusWidget()
            selected = (
                editor.textCursor().selectedText() if isinstance(editor, RichTextEdit) else ""
            )
            if selected and "\u2029" not in selected:
                panel.query.setText(selected)
            panel.focus_query()

    def show_replace(self) -> None:
        """Ctrl+H."""
        panel = self._ensure_panel()
        if panel is not None:
            panel.focus_replacement()
