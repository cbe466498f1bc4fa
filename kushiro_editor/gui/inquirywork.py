"""Inquiries to the departments (照会): writing the packs and merging the answers."""

from __future__ import annotations

import copy
import logging
from datetime import datetime
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QWidget

from ..core import merge, yearly
from .commands import tr
from .inquirydialogs import MergeDialog, PackDialog
from .session import Feature, Session
from .snapshotwork import take_snapshot

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

    def packs_dialog(self) -> None:
        """ファイル → 照会用ファイルを作成…"""
        if self.document is None:
            return
        report = self.document.report
        status = merge.department_status(report, self.session.store.inquiries(report.id))
        dialog = PackDialog(report, status, self.session.start_dir(), self.parent_widget)
        if dialog.exec() == PackDialog.DialogCode.Accepted and dialog.departments():
            self.write_packs(Path(dialog.folder.text()), dialog.departments())

    def write_packs(self, folder: Path, departments: list[str]) -> None:
        """Write the chosen departments' packs in the background."""
        from ..formats import inquiry_packs

        if self.document is None or self.session.tasks.busy:
            return
        self.document.flush()
        report = copy.deepcopy(self.document.report)
        previous = self.session.store.load_previous(report)
        texts = yearly.previous_texts(report, previous)

        def done(written) -> None:
            stamp = datetime.now().astimezone().isoformat(timespec="seconds")
            self.session.store.record_inquiries(
                report.id, [(name, stamp, path.name) for name, path, _rows in written]
            )
            self.session.departments_changed.emit()
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
            lambda: inquiry_packs.export_packs(report, folder, departments, texts),
            done,
            lambda message: self.show_error(self.tr("作成できませんでした"), message),
        )

    def answers_dialog(self) -> None:
        """ファイル → 照会回答を取り込み…"""
        names, _ = QFileDialog.getOpenFileNames(
            self.parent_widget,
            self.tr("照会の回答"),
            self.session.start_dir(),
            self.tr("Excel ブック (*.xlsx)"),
        )
        if names:
            self.read_answers([Path(n) for n in names])

    def read_answers(self, paths: list[Path]) -> None:
        """Read answered packs in the background, then show the review."""
        from ..formats import inquiry_answers

        if self.document is None or self.session.tasks.busy:
            return

        def review(answers) -> None:
            self.document.flush()
            result = merge.review_answers(self.document.report, answers)
            dialog = MergeDialog(result, self.parent_widget)
            if self.confirm_merge(dialog):
                self.apply_answers(result)

        self.read_then(
            self.tr("回答を読み込んでいます…"),
            lambda: [inquiry_answers.read_answers(p) for p in paths],
            review,
        )

    def confirm_merge(self, dialog: MergeDialog) -> bool:
        """Show the review; True to take the chosen answers."""
        return dialog.exec() == dialog.DialogCode.Accepted

    def apply_answers(self, review: merge.MergeReview) -> None:
        """Take the accepted answers and mark the entries answered: one undo step."""
        if self.document is None:
            return
        take_snapshot(self.session, "merge")
        self.document.apply(tr("照会回答の取り込み"), merge.answer_edits(review))
        self.session.departments_changed.emit()
        taken = sum(item.accepted for item in review.items)
        self.session.message.emit(
            self.tr("回答を {0} 件取り込みました。").replace("{0}", str(taken)), 10000
        )
