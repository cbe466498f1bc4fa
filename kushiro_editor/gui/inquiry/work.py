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

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QAbstractButton, QFileDialog, QMainWindow, QMessageBox, QWidget

from ...core import edits, inquiryfolder, inquiryrecord, merge, yearly
from ...core.inquiry import PackSent, Request
from ...core.model import ReportError
from ...formats import registry
from ..editor.commands import tr
from ..session import Feature, Session
from ..shared.docks import close_on_escape
from ..shared.snapshot import take_snapshot
from .dialogs import MergeDialog, PackDialog
from .panel import InquiryStatusPanel

PANEL_WIDTH = 420  # the 照会状況 panel's first width (px), at most a third of the window

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
        self.act_folder = self.action(
            self.tr("照会回答をフォルダから取り込む(&F)…"),
            self.folder_dialog,
            None,
            self.tr("フォルダにある部署の回答をまとめて確認して取り込みます"),
            needs_report=True,
        )
        self.act_status = self.action(
            self.tr("照会状況(&Q)"),
            self._toggle_status,
            None,
            self.tr("部署ごとの照会・回答の状況を表示します"),
            writes=False,
            needs_report=True,
        )
        self.act_status.setCheckable(True)
        self.panel: InquiryStatusPanel | None = None  # made on first use
        self.result_box: QMessageBox | None = None  # the last result shown

    def _toggle_status(self) -> None:
        """表示 → 照会状況, a tick in the menu: shown, or closed again."""
        if self.act_status.isChecked():
            self.show_status()
        elif self.panel is not None:
            self.panel.hide()

    def show_status(self) -> None:
        """The panel of the record, one row per department."""
        if self.panel is None:
            self.panel = InquiryStatusPanel(self.session, self.parent_widget)
            if isinstance(self.parent_widget, QMainWindow):
                self.parent_widget.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.panel)
                # A third of the window at most: the table scrolls sideways, the editor's
                # texts keep the width they are read at.
                width = min(PANEL_WIDTH, self.parent_widget.width() // 3)
                self.parent_widget.resizeDocks([self.panel], [width], Qt.Orientation.Horizontal)
            self.panel.visibilityChanged.connect(self._status_shown)
            close_on_escape(self.panel, self.session.focus_back.emit)
        self.panel.show()
        self.panel.raise_()
        self.panel.refresh()

    def _status_shown(self, visible: bool) -> None:
        # A tab or the panel's own close button changes it too: the menu's tick follows.
        if self.panel is not None and not visible and self.panel.isVisible():
            return  # hidden behind another tab, not closed
        self.act_status.setChecked(visible)

    def refresh_status(self) -> None:
        """Bring an open panel up to date; it is never opened unasked (it narrows the editor)."""
        if self.panel is not None and self.panel.isVisible():
            self.panel.refresh()

    def show_result(self, text: str, details: str = "", folder: Path | None = None) -> None:
        """The end of a long piece of work, as a message the user closes."""
        box = QMessageBox(self.parent_widget)
        box.setIcon(QMessageBox.Icon.Information)
        box.setWindowTitle(self.tr("照会"))
        box.setText(text)
        if details:
            box.setInformativeText(details)
        open_folder = (
            box.addButton(self.tr("フォルダを開く"), QMessageBox.ButtonRole.ActionRole)
            if folder is not None
            else None
        )
        status = box.addButton(self.tr("照会状況を表示"), QMessageBox.ButtonRole.ActionRole)
        ok = box.addButton(QMessageBox.StandardButton.Ok)
        box.setDefaultButton(ok)
        box.setEscapeButton(ok)

        def pressed(clicked: QAbstractButton) -> None:
            if clicked is open_folder:
                QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))
            elif clicked is status:
                self.show_status()

        # Window-modal but not blocking: the work that ended is finished whatever is pressed.
        box.buttonClicked.connect(pressed)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.result_box = box
        box.open()

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
            self.refresh_status()
            self.session.settings.setValue("files/last_dir", str(folder))
            self.session.written.emit(folder)
            self.session.message.emit(
                self.tr("照会用ファイルを {0} 件作成しました: {1}")
                .replace("{0}", str(len(written)))
                .replace("{1}", str(folder)),
                15000,
            )
            self.show_result(
                self.tr("{0}件の照会用ファイルを作成しました").replace("{0}", str(len(written))),
                str(folder),
                folder,
            )

        store_path = self.session.store.path
        self.session.tasks.run(
            self.tr("照会用ファイルを作成しています…"),
            lambda: inquiry_packs.export_packs(
                report, folder, departments, texts, request, store_path=store_path
            ),
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
            self.review_answers(answers, refused)

        self.read_then(self.tr("回答を読み込んでいます…"), read_all, review)

    def folder_dialog(self) -> None:
        """ファイル → 照会回答をフォルダから取り込む…"""
        folder = QFileDialog.getExistingDirectory(
            self.parent_widget, self.tr("照会の回答があるフォルダ"), self.session.start_dir()
        )
        if folder:
            self.read_folder(Path(folder))

    def read_folder(self, folder: Path) -> None:
        """Read every answer of a folder that matches a pack sent, then show one review."""
        from ...formats.inquiry import answers as inquiry_answers

        if self.document is None or self.session.tasks.busy:
            return
        sent = inquiryrecord.packs(self.session.store, self.document.report.actual_year)

        def review(found: inquiryfolder.FolderAnswers) -> None:
            self.review_answers(found.answers, found.refused, found.missing)

        self.read_then(
            self.tr("回答を読み込んでいます…"),
            lambda: inquiryfolder.read_folder(folder, sent, inquiry_answers.read_answers),
            review,
        )

    def review_answers(
        self, answers: list, refused: list[str], missing: list[str] | None = None
    ) -> None:
        """The review of answers read; the chosen ones taken, and the result shown."""
        if self.document is None:
            return
        self.document.flush()
        report = self.document.report
        recorded = inquiryrecord.recorded_answers(self.session.store, report.actual_year)
        result = merge.review_answers(report, answers, recorded)
        result.rejected_files[:0] = refused
        dialog = MergeDialog(result, self.parent_widget)
        if not self.confirm_merge(dialog) or not self.apply_answers(result):
            return
        details = []
        if missing:
            details.append(self.tr("まだ回答のない部署: {0}").replace("{0}", "、".join(missing)))
        if refused:
            details.append(
                self.tr("回答として読めなかったファイル:\n{0}").replace("{0}", "\n".join(refused))
            )
        self.show_result(
            self.tr("{0}部署の回答を取り込みました").replace("{0}", str(len(result.answered))),
            "\n\n".join(details),
        )

    def confirm_merge(self, dialog: MergeDialog) -> bool:
        """Show the review; True to take the chosen answers."""
        return dialog.exec() == dialog.DialogCode.Accepted

    def apply_answers(self, review: merge.MergeReview) -> bool:
        """Take the accepted answers and mark the entries answered: one undo step."""
        if self.document is None:
            return False
        batch = edits.expand(merge.answer_edits(review))
        if batch:
            take_snapshot(self.session, "merge")
        if batch and not self.document.apply(tr("照会回答の取り込み"), batch):
            return False  # the store refused: the document said why, nothing is recorded
        merge.record(self.session.store, self.document.report.actual_year, review)
        self.session.departments_changed.emit()
        self.refresh_status()
        taken = sum(item.accepted for item in review.items)
        pending = sum(item.choice == inquiryrecord.PENDING for item in review.items)
        self.session.message.emit(
            self.tr("回答を {0} 件取り込みました(未決定の競合 {1} 件)。")
            .replace("{0}", str(taken))
            .replace("{1}", str(pending)),
            10000,
        )
        return True
