"""Inquiries to the departments (照会): writing the packs and merging the answers.

The packs, the request letter and the record of what was sent go out
together; answers are reviewed against the report and against what earlier
answers left (the store's record), and every decision is recorded, so that
the 照会状況 panel and ``inquiry status`` tell the same story.
"""

from __future__ import annotations

import copy
import logging
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMainWindow, QWidget

from ...core import edits, inquiryrecord, merge, yearly
from ...core.inquiry import PackSent, Request
from ...core.model import ReportError
from ...formats import registry
from ..editor.commands import tr
from ..session import Feature, Session
from ..shared.snapshot import take_snapshot
from .dialogs import MergeDialog, PackDialog
from .panel import InquiryStatusPanel

logger = logging.getLogger(__name__)


class InquiryWork(Feature):
    """照会用ファイルを作成 and 照会回答を取り込み."""

    def __init__(self, session: Session, parent: QWidget) -> None:
        super().__init__(session, parent)
        self.act_packs = self.action(
            self.tr("照会用ファイルを作成(&Q)…"),
            self.packs_dialog,
            None,
            self.tr("部署ごとに記入用の Excel を作ります"),
            needs_report=True,
        )
        self.act_answers = self.action(
            self.tr("照会回答を取り込み(&A)…"),
            self.answers_dialog,
            None,
            self.tr("部署から返ってきた Excel を確認して取り込みます"),
            needs_report=True,
        )
        self.act_status = self.action(
            self.tr("照会状況(&Q)"),
            self.show_status,
            None,
            self.tr("部署ごとの照会・回答の状況を表示します"),
            writes=False,
            needs_report=True,
        )
        self.panel: InquiryStatusPanel | None = None  # made on first use

    def show_status(self) -> None:
        """表示 → 照会状況: the panel of the record, one row per department."""
        if self.panel is None:
            self.panel = InquiryStatusPanel(self.session, self.parent_widget)
            if isinstance(self.parent_widget, QMainWindow):
                self.parent_widget.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.panel)
        self.panel.show()
        self.panel.raise_()
        self.panel.refresh()

    def packs_dialog(self) -> None:
        """ファイル → 照会用ファイルを作成…"""
        if self.document is None:
            return
        report = self.document.report
        status = merge.department_status(report, self.session.store.inquiries(report.id))
        dialog = PackDialog(
            report, status, self.session.start_dir(), self.session.settings, self.parent_widget
        )
        if dialog.exec() == PackDialog.DialogCode.Accepted and dialog.departments():
            self.write_packs(Path(dialog.folder.text()), dialog.departments(), dialog.request())

    def write_packs(
        self, folder: Path, departments: list[str], request: Request | None = None
    ) -> None:
        """Write the chosen departments' packs in the background."""
        from ...formats.inquiry import packs as inquiry_packs

        if self.document is None or self.session.tasks.busy:
            return
        self.document.flush()
        report = copy.deepcopy(self.document.report)
        previous = self.session.store.load_previous(report)
        texts = yearly.previous_texts(report, previous)

        request = request or Request()

        def done(written) -> None:
            stamp = datetime.now().astimezone().isoformat(timespec="seconds")
            deadline = request.deadline.isoformat() if request.deadline else ""
            inquiryrecord.record_packs(
                self.session.store,
                report.actual_year,
                [
                    PackSent(name, stamp, deadline, request.contact, path.name, rows)
                    for name, path, rows in written
                ],
            )
            self.session.departments_changed.emit()
            self.show_status()
            self.session.settings.setValue("files/last_dir", str(folder))
            self.session.written.emit(folder)
            self.session.message.emit(
                self.tr("照会用ファイルを {0} 件作成しました: {1}")
                .replace("{0}", str(len(written)))
                .replace("{1}", str(folder)),
                15000,
            )

        self.session.tasks.run(
            self.tr("照会用ファイルを作成しています…"),
            lambda: inquiry_packs.export_packs(report, folder, departments, texts, request),
            done,
            lambda message: self.show_error(self.tr("作成できませんでした"), message),
        )

    def answers_dialog(self) -> None:
        """ファイル → 照会回答を取り込み…"""
        names, _ = QFileDialog.getOpenFileNames(
            self.parent_widget,
            self.tr("照会の回答"),
            self.session.start_dir(),
            self.tr(registry.get("xlsx").dialog_filter),
        )
        if names:
            self.read_answers([Path(n) for n in names])

    def read_answers(self, paths: list[Path]) -> None:
        """Read answered packs in the background, then show the review."""
        from ...formats.inquiry import answers as inquiry_answers

        if self.document is None or self.session.tasks.busy:
            return

        def read_all() -> tuple[list, list[str]]:
            # One file that is not an answered pack does not stop the others.
            answers, refused = [], []
            for path in paths:
                try:
                    answers.append(inquiry_answers.read_answers(path))
                except ReportError as exc:
                    refused.append(str(exc))
            return answers, refused

        def review(read) -> None:
            answers, refused = read
            self.document.flush()
            report = self.document.report
            recorded = inquiryrecord.recorded_answers(self.session.store, report.actual_year)
            result = merge.review_answers(report, answers, recorded)
            result.rejected_files[:0] = refused
            dialog = MergeDialog(result, self.parent_widget)
            if self.confirm_merge(dialog):
                self.apply_answers(result)

        self.read_then(self.tr("回答を読み込んでいます…"), read_all, review)

    def confirm_merge(self, dialog: MergeDialog) -> bool:
        """Show the review; True to take the chosen answers."""
        return dialog.exec() == dialog.DialogCode.Accepted

    def apply_answers(self, review: merge.MergeReview) -> None:
        """Take the accepted answers and mark the entries answered: one undo step."""
        if self.document is None:
            return
        batch = edits.expand(merge.answer_edits(review))
        if batch:
            take_snapshot(self.session, "merge")
        if batch and not self.document.apply(tr("照会回答の取り込み"), batch):
            return  # the store refused: the document said why, nothing is recorded
        merge.record(self.session.store, self.document.report.actual_year, review)
        self.session.departments_changed.emit()
        self.show_status()
        taken = sum(item.accepted for item in review.items)
        pending = sum(item.choice == inquiryrecord.PENDING for item in review.items)
        self.session.message.emit(
            self.tr("回答を {0} 件取り込みました(未決定の競合 {1} 件)。")
            .replace("{0}", str(taken))
            .replace("{1}", str(pending)),
            10000,
        )
