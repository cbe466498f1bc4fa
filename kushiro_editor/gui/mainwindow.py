"""The editor window: lays out the report pane and the panels, and wires the features.

Each feature owns its actions, dialogs and work; the window only places their actions in menus
and the toolbar and connects the session's signals in one place (:meth:`MainWindow._wire`).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEvent, QSettings, Qt, QTimer, QUrl
from PySide6.QtGui import QAction, QCloseEvent, QDesktopServices, QFont, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDockWidget,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QToolButton,
    QWidget,
)

from .. import __version__
from ..appdata import StoreLock
from ..core import fiscal
from ..core.model import Report
from ..core.store import Store
from ..core.validate import year_label
from .editor import sharing
from .editor.document import ReportDocument
from .editor.editing import Editing
from .editor.entrywidgets import tint
from .editor.reportpane import ReportPane
from .editor.richedit import RichTextEdit
from .files.work import FileWork
from .find.work import FindWork
from .guide.dialog import SEEN_KEY, GuideDialog, record_export
from .history.work import HistoryWork
from .inquiry.work import InquiryWork
from .kpi.work import KpiWork
from .menukeys import unique_access_keys
from .pasttense.work import PastTenseWork
from .reports.work import ReportsWork
from .review.work import ReviewWork
from .session import Session
from .shared.messages import Button, ask, warn
from .shared.warningspanel import WarningsPanel
from .snapshots.work import SnapshotWork
from .structure.work import StructureEditing
from .tasks import TaskRunner
from .windowlayout import WindowLayout
from .year.work import YearWork

logger = logging.getLogger(__name__)

APP_TITLE = "釧路市 進捗報告エディタ"
REOPEN_MS = 300  # a panel left open is reopened this long after the window is shown
PANEL_HEIGHT_KEY = "window/panel_height"  # the bottom panels' height the user left (0: all)


class MainWindow(QMainWindow, WindowLayout):
    """The report pane, the panels, the menus: one window over one store."""

    def __init__(
        self,
        store: Store,
        settings: QSettings,
        *,
        year: int | None = None,
        read_only: bool = False,
        lock: StoreLock | None = None,
    ) -> None:
        super().__init__()
        self.settings = settings
        self.read_only = read_only
        self.tasks = TaskRunner(self)
        self.session = Session(
            store, settings, self.tasks, read_only=read_only, lock=lock, parent=self
        )
        self.setWindowTitle(APP_TITLE)
        self.fit_to_screen()
        self.setDockOptions(
            QMainWindow.DockOption.AnimatedDocks
            | QMainWindow.DockOption.AllowTabbedDocks
            | QMainWindow.DockOption.GroupedDragging
        )
        font = QFont(QApplication.font())
        font.setPointSizeF(float(settings.value("view/font_size", 10.5)))
        self.pane = ReportPane(self.session, font, self)
        self.setCentralWidget(self.pane)
        self.warnings_panel = WarningsPanel(self)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.warnings_panel)
        self.warnings_panel.hide()
        self.guide: GuideDialog | None = None  # made on first use
        self._work_focus: QWidget | None = None  # where the keyboard was in the report

        self.where_label = QLabel()  # a server's store, named while the window is on it
        self.saved_label = QLabel()
        self.statusBar().addPermanentWidget(self.where_label)
        self.statusBar().addPermanentWidget(self.saved_label)
        self.open_button = QToolButton()
        self.open_button.setAutoRaise(True)
        self.open_button.hide()
        self.statusBar().addPermanentWidget(self.open_button)
        self._open_action: Callable[[], None] | None = None
        self.reports = QComboBox()
        self.reports.setToolTip(self.tr("年度を切り替える"))
        self.reports.currentIndexChanged.connect(self._report_chosen)

        session = self.session
        self.files = FileWork(session, self)
        self.year = YearWork(session, self)
        self.past_tense = PastTenseWork(session, self)
        self.inquiry = InquiryWork(session, self)
        self.structure = StructureEditing(session, self, self.pane)
        self.snapshots = SnapshotWork(session, self)
        self.reports_work = ReportsWork(session, self)
        self.review = ReviewWork(session, self, self.warnings_panel)
        self.find = FindWork(session, self, self.warnings_panel)
        self.kpi = KpiWork(session, self, self.warnings_panel)
        self.history = HistoryWork(session, self)
        self.editing = Editing(session, self, self.pane)
        self.act_quit = QAction(self.tr("終了(&X)"), self)
        self.act_quit.setShortcut(QKeySequence("Ctrl+Q"))
        self.act_quit.triggered.connect(self.close)
        self.act_help = QAction(self.tr("作業の流れ(&G)…"), self)
        self.act_help.setShortcut(QKeySequence.StandardKey.HelpContents)
        self.act_help.setStatusTip(self.tr("1年の作業の進め方と、今どこまで進んだか"))
        self.act_help.triggered.connect(self.show_guide)
        self.act_about = QAction(self.tr("バージョン情報(&A)"), self)
        self.act_about.triggered.connect(self.show_about)
        self.addActions([self.act_quit, self.act_help])
        self._build_menus()
        for menu in self.menuBar().findChildren(QMenu):
            unique_access_keys(menu, keep=(self.act_quit,))
        self._label_toolbar()
        self._wire()
        self.restore_layout()
        self._failure_shown = False  # one dialog per run of failed saves
        self.refresh_reports(select=year)
        if read_only:
            self._show_read_only()
        else:
            self.snapshots.start_daily_snapshots()
            self.reports_work.check_unsupported()

    @property
    def document(self) -> ReportDocument | None:
        """The open report."""
        return self.session.document

    @property
    def store(self) -> Store:
        """The store the window is on (another once 「データベースに接続…」 moved it)."""
        return self.session.store

    # -- wiring ---------------------------------------------------------------------------
    def _wire(self) -> None:
        """Every connection between the features and the window, in one place."""
        session = self.session
        session.reports_changed.connect(self.refresh_reports)
        session.store_changed.connect(self._store_changed)
        session.message.connect(self.statusBar().showMessage)
        session.written.connect(self._offer_open)
        session.written.connect(self._record_export)
        session.offer.connect(self._offer)
        session.focus_back.connect(self.return_focus)
        session.warnings_found.connect(self.warnings_panel.show)
        self.warnings_panel.jump.connect(session.reveal_id)
        self.pane.compare_requested.connect(self.review.compare_entry)
        # A panel's show/hide tick joins the 表示 menu once the panel exists.
        for feature in (self.find, self.review):
            feature.panel_made.connect(
                lambda toggle: self.view_menu.insertAction(self.view_menu.actions()[1], toggle)
            )
        self.open_button.clicked.connect(self._open_button_clicked)
        QApplication.instance().focusChanged.connect(self._focus_changed)

    def _build_menus(self) -> None:
        files, year, inquiry = self.files, self.year, self.inquiry
        structure, editing = self.structure, self.editing
        bar = self.menuBar()
        file_menu = bar.addMenu(self.tr("ファイル(&F)"))
        for group in (
            [files.act_import, self.kpi.act_import],
            [files.act_export_docx, files.act_export_xlsx, files.act_export_pdf],
            [files.act_export_html, files.act_export_csv, files.act_publish],
            [files.act_export_json, files.act_print],
            [year.act_rollover, year.act_prefill, self.past_tense.act_past_tense],
            [inquiry.act_packs, inquiry.act_answers, inquiry.act_folder],
        ):
            file_menu.addActions(group)
            file_menu.addSeparator()
        file_menu.addMenu(files.recent_menu)
        file_menu.addSeparator()
        file_menu.addAction(files.act_connect)
        file_menu.addMenu(files.stores_menu)
        file_menu.addSeparator()
        file_menu.addActions(
            [self.snapshots.act_snapshots, self.reports_work.act_delete_report, editing.act_save]
        )
        file_menu.addSeparator()
        file_menu.addAction(self.act_quit)
        self.file_menu = file_menu

        edit = bar.addMenu(self.tr("編集(&E)"))
        edit.addActions([editing.act_undo, editing.act_redo])
        edit.addSeparator()
        edit.addActions([editing.act_bold, editing.act_list])
        edit.addSeparator()
        edit.addActions([self.find.act_find, self.find.act_replace])
        edit.addSeparator()
        add = edit.addMenu(self.tr("追加(&A)"))
        add.addActions(
            [
                structure.act_add_goal,
                structure.act_add_direction,
                structure.act_add_measure,
                structure.act_add_entry,
                structure.act_add_kpi,
            ]
        )
        edit.addActions(
            [structure.act_rename, structure.act_up, structure.act_down, structure.act_delete]
        )
        edit.addSeparator()
        edit.addAction(self.review.act_department_list)
        edit.addActions([self.review.act_fix_notation, self.review.act_notation_rules])
        self.edit_menu = edit

        view = bar.addMenu(self.tr("表示(&V)"))
        act_warnings = self.warnings_panel.toggleViewAction()
        act_warnings.setText(self.tr("取り込み時の確認事項(&W)"))
        view.addActions([self.review.act_review, act_warnings])
        view.addActions([inquiry.act_status, self.kpi.act_overview, self.history.act_history])
        view.addSeparator()
        view.addActions([editing.act_bigger, editing.act_smaller, editing.act_normal])
        view.addSeparator()
        view.addAction(editing.act_previous_plan)
        view.addAction(editing.act_focus_tree)
        self.view_menu = view

        help_menu = bar.addMenu(self.tr("ヘルプ(&H)"))
        help_menu.addActions([self.act_help, self.act_about])

        toolbar = self.addToolBar(self.tr("標準"))
        toolbar.setObjectName("mainToolbar")
        toolbar.setMovable(False)
        toolbar.addWidget(QLabel(self.tr(" 年度: ")))
        toolbar.addWidget(self.reports)
        toolbar.addSeparator()
        toolbar.addActions([files.act_import, files.act_export_docx, files.act_export_xlsx])
        toolbar.addSeparator()
        toolbar.addActions(
            [
                editing.act_undo,
                editing.act_redo,
                editing.act_bold,
                editing.act_list,
                self.find.act_find,
            ]
        )
        self.toolbar = toolbar

    def _label_toolbar(self) -> None:
        """Toolbar buttons say what they do, without menu access keys, at a fixed width."""
        labels = {
            self.files.act_import: self.tr("取り込み"),
            self.files.act_export_docx: self.tr("Word"),
            self.files.act_export_xlsx: self.tr("Excel"),
            self.editing.act_undo: self.tr("元に戻す"),
            self.editing.act_redo: self.tr("やり直し"),
            self.editing.act_bold: self.tr("太字"),
            self.editing.act_list: self.tr("「・」箇条書き"),
            self.find.act_find: self.tr("検索"),
        }
        for action, label in labels.items():
            action.setIconText(label)
            # Qt's tooltip is the menu text, access key included (元に戻す(U)):
            # the button says its name and its shortcut instead.
            if re.search(r"\([A-Z]\)$", action.toolTip()):
                keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
                action.setToolTip(f"{label}({keys})" if keys else label)

    # -- reports --------------------------------------------------------------------------
    def refresh_reports(self, select: int | Report | None = None) -> None:
        """Fill the year switcher from the store and show a report.

        ``select`` is the year to show, or a report just stored: that object is
        opened as it is (it was read or made and numbered once already).
        """
        stored = select if isinstance(select, Report) else None
        if stored is not None:
            select = stored.actual_year
        # A year an older version stored outside the supported eras is not shown
        # (ReportsWork offers to delete it).
        infos = [i for i in self.store.reports() if i.actual_year in self.store.years()]
        self.reports.blockSignals(True)
        self.reports.clear()
        for info in infos:
            self.reports.addItem(year_label(info.actual_year), info.actual_year)
        self.reports.blockSignals(False)
        self.reports.setEnabled(len(infos) > 1)
        if not infos:
            self.show_empty()
            return
        years = [info.actual_year for info in infos]
        wanted = select if select in years else int(self.settings.value("report/year", 0) or 0)
        year = wanted if wanted in years else years[0]
        if stored is not None and stored.actual_year != year:
            stored = None
        self.reports.blockSignals(True)
        self.reports.setCurrentIndex(years.index(year))
        self.reports.blockSignals(False)
        self.load_report(year, stored)

    def _store_changed(self, store: Store) -> None:
        self.refresh_reports()
        self.statusBar().showMessage(
            self.tr("{0} を開きました。").replace("{0}", store.location), 10000
        )

    def show_empty(self) -> None:
        """A store without reports: ask for a file to import."""
        old = self.session.document
        self.session.set_document(None)
        if old is not None:
            old.deleteLater()
        self.statusBar().showMessage(
            self.tr("報告がありません。「ファイル → 取り込み」で昨年度の報告を読み込んでください。")
        )
        self._update_title()

    def _report_chosen(self, index: int) -> None:
        year = self.reports.itemData(index)
        document = self.session.document
        if year is not None and (document is None or year != document.report.actual_year):
            self.load_report(int(year))

    def load_report(self, year: int, report: Report | None = None) -> None:
        """Open a report of the store in the window (``report``: the one just stored)."""
        old = self.session.document
        if old is not None:
            old.flush()
            if old.undo_stack.count() and old.report.actual_year != year:
                # Each report has its own history: say that the one left behind is gone.
                self.session.message.emit(
                    self.tr(
                        "{0}の「元に戻す」の履歴は、年度を切り替えたため消えました"
                        "(入力は保存されています)。"
                    ).replace("{0}", fiscal.short_label(old.report.actual_year)),
                    15000,
                )
        if report is None:
            report = self.store.load(year)
        document = ReportDocument(self.store, report, self)
        document.read_only = self.read_only
        document.saved_changed.connect(self._update_title)
        document.saved_changed.connect(self._saved)
        document.store_failed.connect(self._store_failed)
        sharing.connect_window(self, document)
        self.session.set_document(document)
        # The notes are listed, not shown: they open after an import (warnings_found)
        # or from the 表示 menu, so that a first start is not about the sample's quirks.
        self.warnings_panel.set_warnings(self.store.warnings(year))
        self.settings.setValue("report/year", year)
        self._update_title()
        if old is not None:
            old.deleteLater()

    # -- the status bar and the title ----------------------------------------------------
    def _offer_open(self, path: Path) -> None:
        label = (
            self.tr("フォルダを開く")
            if path.is_dir()
            else self.tr("{0} を開く").replace("{0}", path.name)
        )
        # A file opens in Word or Excel; a folder (inquiry packs) in Explorer.
        self._offer(label, lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))))

    def _offer(self, label: str, action: Callable[[], None]) -> None:
        self._open_action = action
        self.open_button.setText(label)
        self.open_button.show()

    def _open_button_clicked(self) -> None:
        action, self._open_action = self._open_action, None
        self.open_button.hide()
        if action is not None:
            action()

    def _focus_changed(self, old, new) -> None:
        if isinstance(old, RichTextEdit):
            self.session.flush()
        if new is not None and self.pane.isAncestorOf(new):
            self._work_focus = new

    def return_focus(self) -> None:
        """The keyboard back where the user was working in the report, or on the tree."""
        widget = self._work_focus
        try:
            usable = widget is not None and widget.isVisible() and widget.isEnabled()
        except RuntimeError:  # the entry's widgets were rebuilt
            usable = False
        # The 所管部署 filter is a combo box: ↓ there changes what the editor shows.
        filter_box = self.pane.departments
        if not usable or widget is filter_box or filter_box.isAncestorOf(widget):
            widget = self.pane.tree
        widget.setFocus(Qt.FocusReason.OtherFocusReason)

    def _update_title(self, *_args) -> None:
        self.where_label.setText(self.store.location if self.store.on_server else "")
        self.where_label.setVisible(self.store.on_server)
        document = self.session.document
        if document is None:
            self.setWindowTitle(APP_TITLE)
            self.saved_label.setText("")
            return
        report = document.report
        saved = document.is_saved
        state = self.tr("保存済み") if saved else self.tr("保存待ち…")
        if self.read_only:
            state = self.tr("読み取り専用")
        # On a server the title says which one: several may be open side by side.
        where = f" - {self.store.location}" if self.store.on_server else ""
        self.setWindowTitle(
            f"{fiscal.short_label(report.actual_year)} {report.title} - {state}{where}"
            f" - {APP_TITLE}"
        )
        self.saved_label.setText(state)
        tint(self.saved_label, "#000000" if saved else "#9a5b00", bold=False)

    def _saved(self, saved: bool) -> None:
        if saved:
            self._failure_shown = False

    def _store_failed(self, message: str) -> None:
        self.statusBar().showMessage(message, 15000)
        self.saved_label.setText(self.tr("保存できていません"))
        tint(self.saved_label, "#b00020", bold=True)
        if not self._failure_shown:
            # Once until the next successful save: autosave retries every few seconds.
            self._failure_shown = True
            self.show_store_failure(message)

    def show_store_failure(self, message: str) -> None:
        """The store refused a write: say what happened; the window stays usable."""
        warn(
            self,
            self.tr("保存できません"),  # (a file or the shared database)
            message,
            self.tr(
                "入力した内容はこのウィンドウに残っています。原因を取り除くと自動で保存します。"
                "閉じる前に保存できたことを確かめてください。"
            ),
        )

    def _show_read_only(self) -> None:
        """A second window on a store in use: look, search and export, but change nothing."""
        self.statusBar().showMessage(
            self.tr(
                "別のウィンドウがこのデータファイルを編集中のため、読み取り専用で開いています。"
            )
        )
        banner = QLabel(self.tr("  読み取り専用  "))
        tint(banner, "#ffffff", bold=True, background="#9a5b00")
        banner.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.statusBar().insertPermanentWidget(0, banner)
        self.read_only_banner = banner

    # -- help -----------------------------------------------------------------------------
    def show_guide(self) -> GuideDialog:
        """F1: 作業の流れ, the year's steps with their state and a button each."""
        if self.guide is None:
            actions = {
                "rollover": self.year.act_rollover,
                "packs": self.inquiry.act_packs,
                "answers": self.inquiry.act_answers,
                "review": self.review.act_review,
                "export": self.files.act_export_docx,
                "snapshots": self.snapshots.act_snapshots,
                "status": self.inquiry.act_status,
            }
            self.guide = GuideDialog(self.session, actions, self)
            self.guide.finished.connect(lambda _result: self.return_focus())
        self.guide.show()
        self.guide.raise_()
        self.guide.activateWindow()
        return self.guide

    def show_start_page(self) -> bool:
        """On a new installation, open with 作業の流れ (until the user turns it off)."""
        if self.read_only or self.settings.value(SEEN_KEY, False, type=bool):
            return False
        # Once, unless the user ticks 起動時に表示する: the guide stays in Help and on F1.
        self.show_guide().show_at_start.setChecked(False)
        return True

    def _record_export(self, path: Path) -> None:
        if self.session.document is not None:
            record_export(self.settings, self.session.document.report.actual_year, Path(path))
            if self.guide is not None:
                self.guide.refresh()  # an export started from the guide ends after its button

    def show_about(self) -> None:
        """Version and where the data lives."""
        QMessageBox.about(
            self,
            self.tr("バージョン情報"),
            (
                self.tr("釧路市 総合戦略 進捗報告エディタ {0}\n\n共有のデータベース: {1}")
                if self.store.on_server
                else self.tr("釧路市 総合戦略 進捗報告エディタ {0}\n\nデータファイル: {1}")
            )
            .replace("{0}", __version__)
            .replace("{1}", self.store.location),
        )

    # -- window state ---------------------------------------------------------------------
    def childEvent(self, event) -> None:
        """Every panel, made now or later by a feature, keeps the editor its room."""
        super().childEvent(event)
        child = event.child()
        # Polished, not added: a child is announced before it is fully made.
        if (
            event.type() == QEvent.Type.ChildPolished
            and isinstance(child, QDockWidget)
            and not child.property("fitted")
        ):
            child.setProperty("fitted", True)
            child.visibilityChanged.connect(lambda shown, d=child: self._panel_shown(d, shown))
            if child.isVisible():
                QTimer.singleShot(0, self.fit_panels)

    def restore_layout(self) -> None:
        """Geometry, splitter and panels as the user left them."""
        geometry = self.settings.value("window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
            if not self.fits_screen():
                # Remembered on a larger screen (or at another scale): start afresh.
                self.fit_to_screen()
        state = self.settings.value("window/state")
        if state is not None:
            self.restoreState(state)
        splitter = self.settings.value("window/splitter")
        if splitter is not None:
            self.pane.restoreState(splitter)
        self.panel_height = int(self.settings.value(PANEL_HEIGHT_KEY, 0) or 0)
        if "reviewPanel" in self.settings.value("window/panels", [], type=list):
            # After the first paint: the check is not needed to start.
            QTimer.singleShot(REOPEN_MS, self._reopen_review)

    def _reopen_review(self) -> None:
        if self.session.document is not None:
            self.review.act_review.trigger()

    def save_layout(self) -> None:
        """Remember geometry, splitter and panels."""
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/state", self.saveState())
        self.settings.setValue("window/splitter", self.pane.saveState())
        docks = self._bottom_docks()
        if docks:
            self._keep_panel_height(docks[0])
        self.settings.setValue(PANEL_HEIGHT_KEY, self.panel_height)
        # Panels made on first use are not in the saved state: remember which were open.
        self.settings.setValue(
            "window/panels",
            [d.objectName() for d in self.findChildren(QDockWidget) if d.isVisible()],
        )
        self.settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        """Closing never asks to save: everything is saved; only a failure is reported."""
        self.tasks.wait()
        document = self.session.document
        if document is not None and not document.close():
            answer = ask(
                self,
                self.tr("保存できていません"),
                self.tr("閉じると失われる入力があります。閉じますか？"),
                self.tr("データファイルに書き込めなかった入力です。"),
                Button.Close | Button.Cancel,
                Button.Cancel,
                QMessageBox.Icon.Warning,
            )
            if answer != Button.Close:
                event.ignore()
                return
        self.review.stop()
        self.snapshots.stop_daily_snapshots()
        self.session.stop_listening()
        self.save_layout()
        event.accept()
