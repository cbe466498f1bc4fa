"""The reports a store holds: deleting one, including a year the editor cannot open.

A store written by an older version may hold a report of a year outside the
supported eras (e.g. 1800年度); the window opens the others and offers to
delete it, as ``reports delete YEAR`` does on the command line.
"""

from __future__ import annotations

import logging

from PySide6.QtWidgets import QWidget

from ...core.model import ReportError
from ...core.validate import year_label
from ..session import Feature, Session
from ..shared.messages import Button, ask, ask_item
from ..shared.snapshot import take_snapshot

logger = logging.getLogger(__name__)


class ReportsWork(Feature):
    """報告の削除…"""

    def __init__(self, session: Session, parent: QWidget) -> None:
        super().__init__(session, parent)
        self.act_delete_report = self.action(
            self.tr("報告の削除(&L)…"),
            self.delete_dialog,
            None,
            self.tr("データファイルから 1 年度分の報告を削除します"),
        )

    def check_unsupported(self) -> None:
        """Say so when the store holds a report the editor cannot open, and offer to delete it."""
        years = self.session.store.unsupported_years()
        if years and not self.session.read_only:
            names = "、".join(year_label(y) for y in years)
            self.session.message.emit(
                self.tr("開けない年度の報告があります: {0}").replace("{0}", names), 0
            )
            self.session.offer.emit(self.tr("削除する…"), self.delete_dialog)

    def delete_dialog(self) -> None:
        """ファイル → 報告の削除…: choose a year, confirm, delete (after a snapshot)."""
        store = self.session.store
        years = store.years() + store.unsupported_years()
        if not years:
            return
        labels = [year_label(y) for y in years]
        label = ask_item(
            self.parent_widget, self.tr("報告の削除"), self.tr("削除する年度:"), labels
        )
        if label in labels:
            year = years[labels.index(label)]
            if self.confirm_delete(label):
                self.delete_report(year)

    def confirm_delete(self, label: str) -> bool:
        """Ask before deleting a whole report."""
        answer = ask(
            self.parent_widget,
            self.tr("報告の削除"),
            self.tr("{0}の報告をデータファイルから削除しますか？").replace("{0}", label),
            self.tr("削除の前にスナップショットを残すので、そこから戻せます。"),
        )
        return answer == Button.Yes

    def delete_report(self, year: int) -> bool:
        """Delete a report of the store (after a snapshot) and show another."""
        self.session.flush()
        take_snapshot(self.session, "manual", self.tr("報告の削除の前"))
        open_year = self.document.report.actual_year if self.document is not None else None
        try:
            self.session.store.delete_report(year)
        except ReportError as exc:
            self.show_error(self.tr("削除できませんでした"), str(exc))
            return False
        if open_year == year and self.document is not None:
            self.document.read_only = True  # its nodes are gone from the store
        self.session.reports_changed.emit(None)
        self.session.message.emit(
            self.tr("{0}の報告を削除しました。").replace("{0}", year_label(year)), 10000
        )
        return True
