"""The year's work: a new year from last year's report, and prefilling plans."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QWidget

from ...core import fiscal, yearly
from ...core.model import ImportResult
from ...formats import registry
from ..editor.commands import tr
from ..session import Feature, Session
from ..shared.snapshot import take_snapshot
from .dialogs import PrefillDialog, RolloverDialog

logger = logging.getLogger(__name__)


class YearWork(Feature):
    """前年度から新年度を作成 and 取組予定の補完."""

    def __init__(self, session: Session, parent: QWidget) -> None:
        super().__init__(session, parent)
        self.act_rollover = self.action(
            self.tr("前年度から新年度を作成(&N)…"),
            self.rollover_dialog,
            None,
            self.tr("前年度の報告から次の年度の報告を作ります"),
        )
        self.act_prefill = self.action(
            self.tr("前年度ファイルから取組予定を補完(&P)…"),
            self.prefill_dialog,
            None,
            self.tr("空の取組予定を前年度のファイルから補います"),
            needs_report=True,
        )

    def rollover_dialog(self) -> None:
        """ファイル → 前年度から新年度を作成…"""
        dialog = RolloverDialog(
            self.session.store.years(), self.session.start_dir(), self.parent_widget
        )
        if dialog.exec() == RolloverDialog.DialogCode.Accepted:
            source, mode = dialog.choice()
            if isinstance(source, Path) and not str(source).strip("."):
                return
            self.rollover(source, mode)

    def rollover(self, source: int | Path, mode: str) -> None:
        """Create next year's report from a report of the store or a file."""
        from ...formats import read_file

        def make(previous) -> None:
            report = yearly.rollover(previous, actual=mode)
            made = self.session.store_report(
                self.parent_widget,
                ImportResult(report, []),
                "rollover",
                self.tr("新年度を作成できませんでした"),
            )
            if made is None:
                return
            self.session.message.emit(
                self.tr("{0}の報告を作成しました。引き継いだ文章には印が付いています。").replace(
                    "{0}", fiscal.short_label(report.actual_year)
                ),
                10000,
            )
            self.session.review_requested.emit()
            if mode == yearly.ACTUAL_FROM_PLAN:
                self.session.drafts_made.emit()

        if isinstance(source, int):
            self.session.flush()
            make(self.session.store.load(source))
            return
        self.read_then(
            self.tr("{0} を読み込んでいます…").replace("{0}", source.name),
            lambda: read_file(source).report,
            make,
        )

    def prefill_dialog(self) -> None:
        """ファイル → 前年度ファイルから取組予定を補完…"""
        name, _ = QFileDialog.getOpenFileName(
            self.parent_widget,
            self.tr("前年度のファイル"),
            self.session.start_dir(),
            self.tr(registry.open_filter()),
        )
        if name:
            self.prefill_from(Path(name))

    def prefill_from(self, path: Path) -> None:
        """Read last year's file, preview the fills, apply them as one undo step."""
        from ...formats import read_file

        if self.document is None:
            return

        def preview(previous) -> None:
            self.document.flush()
            dialog = PrefillDialog(self.document.report, previous, self.parent_widget)
            if self.confirm_prefill(dialog):
                self.apply_prefill(dialog.plan)

        self.read_then(
            self.tr("{0} を読み込んでいます…").replace("{0}", path.name),
            lambda: read_file(path).report,
            preview,
        )

    def confirm_prefill(self, dialog: PrefillDialog) -> bool:
        """Show the preview; True to apply."""
        return dialog.exec() == dialog.DialogCode.Accepted

    def apply_prefill(self, plan: yearly.PrefillPlan) -> None:
        """Fill the planned plans: one step on the undo history."""
        if self.document is None:
            return
        take_snapshot(self.session, "prefill")
        self.document.apply(tr("取組予定の補完"), yearly.prefill_edits(plan))
        self.session.message.emit(
            self.tr("取組予定を {0} 件補完しました。").replace("{0}", str(len(plan.fills))), 10000
        )
