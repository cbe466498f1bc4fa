"""指標の一覧 (F8): the report's KPIs in a panel, and the jump to each."""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMainWindow

from ..editor.document import ReportDocument
from ..session import Feature, Session
from ..shared.docks import close_on_escape
from ..shared.warningspanel import WarningsPanel
from .panel import KpiOverviewPanel

logger = logging.getLogger(__name__)


class KpiWork(Feature):
    """The list of KPIs (指標の一覧), filtered by department and rating."""

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
