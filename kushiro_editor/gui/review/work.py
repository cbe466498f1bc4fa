"""Checking before submission: the review panel, last year's texts, the department list.

Also the notation rules (表記ルール): 「まとめて直す…」 with its preview, and their settings.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMainWindow,
    QPlainTextEdit,
    QVBoxLayout,
)

from ...core import notation, notationfile
from ...core.model import Entry, Report, ReportError
from ..editor.commands import tr
from ..editor.document import ReportDocument
from ..session import Feature, Session
from ..shared.docks import close_on_escape
from ..shared.snapshot import take_snapshot
from ..shared.warningspanel import WarningsPanel
from .compare import CompareDialog
from .notationdialogs import NotationPreviewDialog, NotationRulesDialog
from .panel import ReviewPanel

logger = logging.getLogger(__name__)


class ReviewWork(Feature):
    """提出前の点検 (F7), 前年度と比較, 部署の一覧, 表記の揃え."""

    panel_made = Signal(object)  # the findings panel's show/hide action, for the 表示 menu

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
        self.act_fix_notation = self.action(
            self.tr("表記の揺れをまとめて直す(&N)…"),
            self.fix_notation,
            tip=self.tr("表記ルールに合わない書き方を、一覧で確かめてからまとめて直します"),
            needs_report=True,
        )
        self.act_notation_rules = self.action(
            self.tr("表記ルールの設定(&R)…"), self.notation_rules_dialog
        )
        session.review_requested.connect(self.show_review)

    def document_changed(self, document: ReportDocument | None) -> None:
        """Check the report now open."""
        if self.panel is not None and document is not None:
            self.panel.set_document(document)

    def show_review(self) -> None:
        """F7: the check before submission."""
        if self.document is None:
            return
        if self.panel is None:
            self.panel = ReviewPanel(self.document, self.session.settings, self.window)
            self.panel.jump.connect(
                lambda node, field: self.session.reveal.emit(node, field, -1, -1)
            )
            self.panel.jump_span.connect(self.session.reveal)
            self.panel.fix_requested.connect(self.act_fix_notation.trigger)
            self.panel.fix_notation.setVisible(not self.session.read_only)
            self.panel.limit.valueChanged.connect(self.session.limit_changed)
            self.window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.panel)
            self.window.tabifyDockWidget(self.warnings, self.panel)
            self.window.resizeDocks([self.panel], [240], Qt.Orientation.Vertical)
            close_on_escape(self.panel, self.session.focus_back.emit)
            toggle = self.panel.toggleViewAction()
            toggle.setText(self.tr("点検結果の一覧(&L)"))
            self.panel_made.emit(toggle)
        shown = self.panel.isVisible()
        self.panel.show()
        self.panel.raise_()
        if shown:  # F7 again: check again (a panel coming into view checks as it is shown)
            self.panel.refresh()
        # The keyboard goes to the findings: ↓ and Enter go through them (Esc closes).
        self.panel.tree.setFocus(Qt.FocusReason.ShortcutFocusReason)

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

    # -- notation ---------------------------------------------------------------------------
    def rules(self) -> list[notation.NotationRule] | None:
        """The store's notation rules (None, with a message, when they cannot be read)."""
        try:
            return notationfile.rules_of(self.session.store)
        except ReportError as exc:
            self.show_error(self.tr("表記ルールを読めません"), str(exc))
            return None

    def fix_notation(self) -> None:
        """編集 → 表記の揺れをまとめて直す…: find, preview, apply the chosen as one step."""
        if self.document is None or self.session.read_only:
            return
        rules = self.rules()
        if rules is None:
            return
        self.session.flush()
        report = self.document.report
        departments = self.session.store.department_list()
        self.session.tasks.run(
            self.tr("表記を点検しています…"),
            lambda: notation.find(report, rules, departments=departments),
            lambda findings: self._preview(report, findings),
            lambda message: self.show_error(self.tr("表記を点検できませんでした"), message),
        )

    def _preview(self, report: Report, findings: list[notation.NotationFinding]) -> None:
        if self.document is None or self.document.report is not report:
            return  # another report was opened meanwhile
        if not findings:
            self.session.message.emit(self.tr("直す表記はありません。"), 5000)
            return
        dialog = NotationPreviewDialog(findings, self.parent_widget)
        if self.confirm_fixes(dialog):
            self.apply_fixes(dialog.chosen())

    def confirm_fixes(self, dialog: NotationPreviewDialog) -> bool:
        """Show the preview; True to apply the changes chosen in it."""
        return dialog.exec() == QDialog.DialogCode.Accepted

    def apply_fixes(self, chosen: list[notation.NotationFinding]) -> bool:
        """Apply the chosen changes: a snapshot, then one step on the undo history."""
        if self.document is None or not chosen:
            return False
        take_snapshot(self.session, "notation")
        report = self.document.report
        done = self.document.apply(tr("表記の統一"), notation.fix_edits(report, chosen))
        if done:
            self.session.message.emit(
                self.tr("表記を {0} 箇所直しました(元に戻す: Ctrl+Z)。").replace(
                    "{0}", str(len(chosen))
                ),
                10000,
            )
        return done

    def notation_rules_dialog(self) -> None:
        """編集 → 表記ルールの設定…"""
        rules = self.rules()
        if rules is None:  # unreadable (said): start again from the defaults
            rules = notationfile.default_rules()
        dialog = NotationRulesDialog(rules, self.parent_widget)
        dialog.start_dir = self.session.start_dir()
        if self.confirm_rules(dialog):
            self.save_rules(dialog)

    def confirm_rules(self, dialog: NotationRulesDialog) -> bool:
        """Show the rules' settings; True to keep what they show."""
        return dialog.exec() == QDialog.DialogCode.Accepted

    def save_rules(self, dialog: NotationRulesDialog) -> None:
        """Keep the rules the dialog shows (nothing kept when they are the defaults)."""
        rules = None if dialog.is_default() else notationfile.to_json(dialog.rules())
        try:
            self.session.store.set_notation_rules(rules)
        except ReportError as exc:
            logger.error("storing the notation rules failed: %s", exc)
            self.show_error(self.tr("表記ルールを保存できませんでした"), str(exc))
            return
        self.session.settings.setValue("files/last_dir", dialog.start_dir)
        self.session.message.emit(self.tr("表記ルールを保存しました。"), 5000)
        if self.panel is not None:
            self.panel.refresh()
