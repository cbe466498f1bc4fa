"""変更の履歴 (Ctrl+Shift+H): the recorded changes of the text the keyboard is in."""

from __future__ import annotations

import logging

from PySide6.QtWidgets import QApplication, QTextEdit, QWidget

from ...core import fiscal, history, kinds
from ...core.model import ReportError, place_in
from ..session import Feature, Session
from .dialog import HistoryDialog

logger = logging.getLogger(__name__)

LIMIT = 200  # changes listed at once, newest first


class HistoryWork(Feature):
    """Who changed what, for the shared store: the history of a text, or of the report."""

    def __init__(self, session: Session, parent: QWidget) -> None:
        super().__init__(session, parent)
        self.act_history = self.action(
            self.tr("変更の履歴(&Y)…"),
            self.show_history,
            "Ctrl+Shift+H",
            self.tr(
                "入力中の欄(欄の外では報告全体)を、いつ誰がどう変えたかを新しい順に表示します"
                "(共有のデータベースのみ)"
            ),
            writes=False,
            needs_report=True,
        )
        self.dialog: HistoryDialog | None = None

    def focused_text(self) -> tuple[object, str] | None:
        """The node and field of the text the keyboard is in (None elsewhere)."""
        widget = QApplication.focusWidget()
        if self.document is None or not isinstance(widget, QTextEdit):
            return None
        return self.document.field_of(widget.document())

    def show_history(self) -> HistoryDialog | None:
        """The history of the focused text (or of the whole report), newest first."""
        document = self.document
        if document is None:
            return None
        store = self.session.store
        if not store.on_server:
            self.session.message.emit(self.tr(history.ON_FILE), 15000)
            return None
        focused = self.focused_text()
        document.flush()  # what was typed a moment ago is in the history too
        report = document.report
        try:
            if focused is None:
                found = history.changes(store, report, limit=LIMIT)
                scope = self.tr("{0}の報告全体").replace("{0}", self._year_label())
                field = None
            else:
                node, field = focused
                found = history.changes(
                    store, report, node_ids=[node.id], fields=[field], limit=LIMIT
                )
                where = place_in(report, node)
                scope = f"{where} {kinds.field_label(node, field)}"
        except ReportError as exc:
            self.show_error(self.tr("変更の履歴を表示できません"), str(exc))
            return None
        lines = [history.describe(change, report, field) for change in found]
        self.dialog = HistoryDialog(
            scope, lines, LIMIT, self.parent_widget, one_text=focused is not None
        )
        self.dialog.finished.connect(lambda _result: self.session.focus_back.emit())
        self.dialog.open()
        return self.dialog

    def _year_label(self) -> str:
        return fiscal.short_label(self.document.report.actual_year)
