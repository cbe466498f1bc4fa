"""Checking before submission: the review panel, last year's texts, the department list."""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMainWindow,
    QPlainTextEdit,
    QVBoxLayout,
)

from ..core.model import Entry
from .document import ReportDocument
from .reviewpanel import ReviewPanel
from .session import Feature, Session
from .warningspanel import WarningsPanel
from .yeardialogs import CompareDialog

logger = logging.getLogger(__name__)


class ReviewWork(Feature):
    """提出前の点検 (F7), 前年度と比較, 部署の一覧."""

    def __init__(self, session: Session, window: QMainWindow, warnings: WarningsPanel) -> None:
        super().__init__(session, window)
        self.window = window
        self.warnings = warnings  # the review panel is tabbed with it
        self.panel: ReviewPanel | None = None  # made on first use
        self.compare_dialog: CompareDialog | None = None
        self.act_review = self.action(
            self.tr("提出前の点検(&C)"),
            self.show_review,
            "F7",
            self.tr("未記入・未確認・時制などを点検します"),
            writes=False,
            needs_report=True,
        )
        self.act_department_list = self.action(
            self.tr("部署の一覧(&D)…"), self.department_list_dialog
        )
        session.review_requested.connect(self.show_review)

    def document_changed(self, document: ReportDocument | None) -> None:
        """Check the report now open."""
        if self.panel is not None and document is not None:
            self.panel.set_controller(document)

    def show_review(self) -> None:
        """F7: the check before submission."""
        if self.document is None:
            return
        if self.panel is None:
            self.panel = ReviewPanel(self.document, self.session.settings, self.window)
            self.panel.jump.connect(
                lambda node, field: self.session.reveal.emit(node, field, -1, -1)
            )
            self.panel.limit.valueChanged.connect(self.session.limit_changed)
            self.window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.panel)
            self.window.tabifyDockWidget(self.warnings, self.panel)
            self.window.resizeDocks([self.panel], [240], Qt.Orientation.Vertical)
        self.panel.show()
        self.panel.raise_()
        self.panel.refresh()

    def stop(self) -> None:
        """No more refreshes (the window is closing)."""
        if self.panel is not None:
            self.panel.stop()

    def compare_entry(self, entry: Entry) -> None:
        """Last year's texts of an entry beside this year's."""
        if self.document is None:
            return
        previous = self.document.previous_texts(entry)
        if previous is None:
            self.session.message.emit(self.tr("前年度の文章が見つかりません。"), 5000)
            return
        self.compare_dialog = CompareDialog(self.document, entry, previous, self.window)
        self.compare_dialog.show()

    def department_list_dialog(self) -> None:
        """編集 → 部署の一覧…: the names the check accepts."""
        dialog = QDialog(self.window)
        dialog.setWindowTitle(self.tr("部署の一覧"))
        dialog.resize(360, 520)
        text = QPlainTextEdit("\n".join(self.session.store.department_list()))
        note = QLabel(
            self.tr(
                "提出前の点検は、この一覧にない部署名を誤りの候補として示します。"
                "1行に1部署を書いてください。"
            )
        )
        note.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(dialog.accept)
        buttons.rejected.connect(dialog.reject)
        layout = QVBoxLayout(dialog)
        layout.addWidget(note)
        layout.addWidget(text)
        layout.addWidget(buttons)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.session.store.set_department_list(text.toPlainText().splitlines())
            if self.panel is not None:
                self.panel.refresh()
