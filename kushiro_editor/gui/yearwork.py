"""The window's yearly work: a new year, prefilling plans, the review before
submission, comparing with last year, inquiry packs and their answers."""

from __future__ import annotations

import copy
import logging
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QLabel, QVBoxLayout

from ..core import fiscal
from ..core.model import Entry
from .filework import FILE_FILTER

if TYPE_CHECKING:
    from .inquiry import MergeDialog
    from .review import PrefillDialog

logger = logging.getLogger(__name__)


class YearWorkMixin:
    """Rollover, prefill, review, comparison and inquiries, for the main window."""

    def show_review(self) -> None:
        """F7: the check before submission."""
        from .review import ReviewPanel

        if self.controller is None:
            return
        if self.review_panel is None:
            self.review_panel = ReviewPanel(self.controller, self.settings, self)
            self.review_panel.jump.connect(self.reveal)
            self.review_panel.limit.valueChanged.connect(self._limit_changed)
            self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.review_panel)
            self.tabifyDockWidget(self.warnings_panel, self.review_panel)
            self.resizeDocks([self.review_panel], [240], Qt.Orientation.Vertical)
        self.review_panel.show()
        self.review_panel.raise_()
        self.review_panel.refresh()

    def _limit_changed(self, value: int) -> None:
        if self.view is not None:
            self.view.length_limit = value
            for widget in self.view._entries:
                if widget.isVisible():
                    widget.update_counts()

    def compare_entry(self, entry: Entry) -> None:
        """Last year's texts of an entry beside this year's."""
        from .review import CompareDialog

        if self.controller is None:
            return
        previous = self.controller.previous_texts(entry)
        if previous is None:
            self.statusBar().showMessage(self.tr("前年度の文章が見つかりません。"), 5000)
            return
        dialog = CompareDialog(self.controller, entry, previous, self)
        dialog.show()
        self._compare = dialog

    def rollover_dialog(self) -> None:
        """ファイル → 前年度から新年度を作成…"""
        from .review import RolloverDialog

        dialog = RolloverDialog(self.store.years(), self._start_dir(), self)
        if dialog.exec() == RolloverDialog.DialogCode.Accepted:
            source, mode = dialog.choice()
            if isinstance(source, Path) and not str(source).strip("."):
                return
            self.rollover(source, mode)

    def rollover(self, source: int | Path, mode: str) -> None:
        """Create next year's report from a report of the store or a file."""
        from ..core import yearly
        from ..formats import read_file

        def make(previous) -> None:
            from ..core.model import ImportResult

            report = yearly.rollover(previous, actual=mode)
            made = self.store_new_report(
                ImportResult(report, []), "rollover", self.tr("新年度を作成できませんでした")
            )
            if made is None:
                return
            self.statusBar().showMessage(
                self.tr("{0}の報告を作成しました。引き継いだ文章には印が付いています。").replace(
                    "{0}", fiscal.short_label(report.actual_year)
                ),
                10000,
            )
            self.show_review()

        if isinstance(source, int):
            if self.controller is not None:
                self.controller.flush()
            make(self.store.load(source))
            return
        self._read_then(
            self.tr("{0} を読み込んでいます…").replace("{0}", source.name),
            lambda: read_file(source).report,
            make,
        )

    def _read_then(self, label: str, work, then) -> None:
        """Read a file in the background, then go on; a failure is one clear message."""
        self.tasks.run(
            label,
            work,
            then,
            lambda message: self.show_error(self.tr("読み込めませんでした"), message),
        )

    def prefill_dialog(self) -> None:
        """ファイル → 前年度ファイルから取組予定を補完…"""
        name, _ = QFileDialog.getOpenFileName(
            self, self.tr("前年度のファイル"), self._start_dir(), self.tr(FILE_FILTER)
        )
        if name:
            self.prefill_from(Path(name))

    def prefill_from(self, path: Path) -> None:
        """Read last year's file, preview the fills, apply them as one undo step."""
        from ..formats import read_file
        from .review import PrefillDialog

        if self.controller is None:
            return

        def preview(previous) -> None:
            self.controller.flush()
            dialog = PrefillDialog(self.controller.report, previous, self)
            if self.confirm_prefill(dialog):
                self.apply_prefill(dialog.plan)

        self._read_then(
            self.tr("{0} を読み込んでいます…").replace("{0}", path.name),
            lambda: read_file(path).report,
            preview,
        )

    def confirm_prefill(self, dialog: PrefillDialog) -> bool:
        """Show the preview; True to apply."""
        return dialog.exec() == dialog.DialogCode.Accepted

    def apply_prefill(self, plan) -> None:
        """Fill the planned plans: one step on the undo history."""
        from ..core import yearly
        from .commands import SetFieldCommand, tr

        controller = self.controller
        self.take_snapshot("prefill")
        stack = controller.undo_stack
        stack.beginMacro(tr("取組予定の補完"))
        try:
            for fill in plan.fills:
                entry = fill.entry
                (_plan, text), *marks = yearly.fill_values(fill)
                controller.set_text(entry, "plan", text)
                controller.flush()  # the text first: a later edit clears the mark
                for field, value in marks:
                    stack.push(
                        SetFieldCommand(
                            controller,
                            entry,
                            field,
                            getattr(entry, field),
                            value,
                            tr("取組予定の補完"),
                        )
                    )
        finally:
            stack.endMacro()
        controller.review_changed.emit()
        if self.view is not None:
            self.view.show_direction(self.view.direction)
        self.statusBar().showMessage(
            self.tr("取組予定を {0} 件補完しました。").replace("{0}", str(len(plan.fills))), 10000
        )

    # -- inquiries ---------------------------------------------------------------------------
    def packs_dialog(self) -> None:
        """ファイル → 照会用ファイルを作成…"""
        from ..core.merge import department_status
        from .inquiry import PackDialog

        if self.controller is None:
            return
        report = self.controller.report
        status = department_status(report, self.store.inquiries(report.id))
        dialog = PackDialog(report, status, self._start_dir(), self)
        if dialog.exec() == PackDialog.DialogCode.Accepted and dialog.departments():
            self.write_packs(Path(dialog.folder.text()), dialog.departments())

    def write_packs(self, folder: Path, departments: list[str]) -> None:
        """Write the chosen departments' packs in the background."""
        from datetime import datetime

        from ..core import yearly
        from ..formats import inquiry_packs

        if self.controller is None or self.tasks.busy:
            return
        self.controller.flush()
        report = copy.deepcopy(self.controller.report)
        previous = self.store.load_previous(report)
        texts = yearly.previous_texts(report, previous)

        def done(written) -> None:
            stamp = datetime.now().astimezone().isoformat(timespec="seconds")
            self.store.record_inquiries(
                report.id, [(name, stamp, path.name) for name, path, _rows in written]
            )
            self._refresh_departments()
            self.settings.setValue("files/last_dir", str(folder))
            self._last_written = folder
            self._open_action = None
            self.open_button.setText(self.tr("フォルダを開く"))
            self.open_button.show()
            self.statusBar().showMessage(
                self.tr("照会用ファイルを {0} 件作成しました: {1}")
                .replace("{0}", str(len(written)))
                .replace("{1}", str(folder)),
                15000,
            )

        self.tasks.run(
            self.tr("照会用ファイルを作成しています…"),
            lambda: inquiry_packs.export_packs(report, folder, departments, texts),
            done,
            lambda message: self.show_error(self.tr("作成できませんでした"), message),
        )

    def answers_dialog(self) -> None:
        """ファイル → 照会回答を取り込み…"""
        names, _ = QFileDialog.getOpenFileNames(
            self, self.tr("照会の回答"), self._start_dir(), self.tr("Excel ブック (*.xlsx)")
        )
        if names:
            self.read_answers([Path(n) for n in names])

    def read_answers(self, paths: list[Path]) -> None:
        """Read answered packs in the background, then show the review."""
        from ..core import merge
        from ..formats import inquiry_answers
        from .inquiry import MergeDialog

        if self.controller is None or self.tasks.busy:
            return

        def review(answers) -> None:
            self.controller.flush()
            result = merge.review_answers(self.controller.report, answers)
            dialog = MergeDialog(result, self)
            if self.confirm_merge(dialog):
                self.apply_answers(result)

        self._read_then(
            self.tr("回答を読み込んでいます…"),
            lambda: [inquiry_answers.read_answers(p) for p in paths],
            review,
        )

    def confirm_merge(self, dialog: MergeDialog) -> bool:
        """Show the review; True to take the chosen answers."""
        return dialog.exec() == dialog.DialogCode.Accepted

    def apply_answers(self, review) -> None:
        """Take the accepted answers and mark the entries answered: one undo step."""
        from ..core import merge
        from .commands import SetFieldCommand, tr

        controller = self.controller
        self.take_snapshot("merge")
        stack = controller.undo_stack
        stack.beginMacro(tr("照会回答の取り込み"))
        try:
            for item in review.items:
                if not item.accepted:
                    continue
                controller.set_text(item.entry, item.field, item.answered)
                controller.flush()
            for entry, department, stamp in merge.answered_marks(review):
                for field, value in (("answered_by", department), ("answered_at", stamp)):
                    if getattr(entry, field) != value:
                        stack.push(
                            SetFieldCommand(
                                controller,
                                entry,
                                field,
                                getattr(entry, field),
                                value,
                                tr("照会回答の取り込み"),
                            )
                        )
        finally:
            stack.endMacro()
        self._refresh_departments()
        if self.view is not None:
            self.view.show_direction(self.view.direction)
        taken = sum(item.accepted for item in review.items)
        self.statusBar().showMessage(
            self.tr("回答を {0} 件取り込みました。").replace("{0}", str(taken)), 10000
        )

    def department_list_dialog(self) -> None:
        """編集 → 部署の一覧…: the names the check accepts."""
        from PySide6.QtWidgets import QDialog, QDialogButtonBox, QPlainTextEdit

        dialog = QDialog(self)
        dialog.setWindowTitle(self.tr("部署の一覧"))
        dialog.resize(360, 520)
        text = QPlainTextEdit("\n".join(self.store.department_list()))
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
            self.store.set_department_list(text.toPlainText().splitlines())
            if self.review_panel is not None:
                self.review_panel.refresh()
