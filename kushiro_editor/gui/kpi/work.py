"""指標の一覧 (F8): the report's KPIs in a panel, and the jump to each."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QFileDialog, QMainWindow

from ...core.model import ReportError
from ..editor.commands import tr
from ..editor.document import ReportDocument
from ..session import Feature, Session
from ..shared.docks import close_on_escape
from ..shared.snapshot import take_snapshot
from ..shared.warningspanel import WarningsPanel
from .importdialog import KpiImportDialog
from .panel import KpiOverviewPanel

logger = logging.getLogger(__name__)


class KpiWork(Feature):
    """The list of KPIs (指標の一覧), filtered by department and rating; a KPI table's import."""

    def __init__(self, session: Session, window: QMainWindow, warnings: WarningsPanel) -> None:
        super().__init__(session, window)
        self.window = window
        self.warnings = warnings  # the list is tabbed with the other bottom panels
        self.panel: KpiOverviewPanel | None = None  # made on first use
        self.act_overview = self.action(
            self.tr("指標の一覧(&K)"),
            self.show_overview,
            "F8",
            self.tr("数値目標・KPI の今年度の値、達成率と評価を一覧にします"),
            writes=False,
            needs_report=True,
        )
        self.act_import = self.action(
            self.tr("指標の表を取り込む(&I)…"),
            self.import_dialog,
            None,
            self.tr("前年度などの指標の表(Excel・CSV)を、確かめてから報告の指標として取り込みます"),
            needs_report=True,
        )

    def document_changed(self, document: ReportDocument | None) -> None:
        """List the KPIs of the report now open."""
        if self.panel is not None and document is not None:
            self.panel.set_document(document)

    def show_overview(self) -> KpiOverviewPanel | None:
        """F8: the list, with the keyboard in it (Esc closes it)."""
        if self.document is None:
            return None
        if self.panel is None:
            self.panel = KpiOverviewPanel(self.document, self.window)
            self.panel.jump.connect(lambda kpi: self.session.reveal.emit(kpi, "", -1, -1))
            self.window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.panel)
            self.window.tabifyDockWidget(self.warnings, self.panel)
            close_on_escape(self.panel, self.session.focus_back.emit)
        self.panel.show()
        self.panel.raise_()
        self.panel.tree.setFocus(Qt.FocusReason.ShortcutFocusReason)
        return self.panel

    def import_dialog(self) -> None:
        """ファイル → 指標の表を取り込む…"""
        from ...formats import kpiimport

        name, _ = QFileDialog.getOpenFileName(
            self.parent_widget,
            self.tr("指標の表"),
            self.session.start_dir(),
            self.tr(kpiimport.open_filter()),
        )
        if name:
            self.import_from(Path(name))

    def import_from(self, path: Path) -> None:
        """Read the table in the background, preview where each KPI goes, then one undo step."""
        from ...formats import kpiimport

        if self.document is None:
            return

        def preview(table) -> None:
            if self.document is None:
                return
            report = self.document.report
            try:
                plan = kpiimport.attach(report, table)
            except ReportError as exc:
                self.show_error(self.tr("指標の表を取り込めませんでした"), str(exc))
                return
            dialog = KpiImportDialog(report, plan, path.name, self.parent_widget)
            if self.confirm_import(dialog):
                self.apply_import(plan)

        self.read_then(
            self.tr("{0} を読み込んでいます…").replace("{0}", path.name),
            lambda: kpiimport.read_file(path),
            preview,
        )

    def confirm_import(self, dialog: KpiImportDialog) -> bool:
        """Show the preview; True to import."""
        return dialog.exec() == QDialog.DialogCode.Accepted

    def apply_import(self, plan) -> bool:
        """A snapshot, then every KPI as one step on the undo history."""
        if self.document is None or not plan.placed:
            return False
        take_snapshot(self.session, "import")
        done = self.document.apply(tr("指標の表の取り込み"), plan.edits())
        if done:
            self.session.message.emit(
                self.tr("指標を {0} 件取り込みました(元に戻す: Ctrl+Z)。").replace(
                    "{0}", str(len(plan.placed))
                ),
                10000,
            )
        return done
