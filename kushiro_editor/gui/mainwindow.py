"""The editor window: lays out the report pane and the panels, and wires the features.

Each feature owns its actions, dialogs and work; the window only places their
actions in menus and the toolbar and connects the session's signals in one
place (:meth:`MainWindow._wire`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QSettings, Qt, QUrl
from PySide6.QtGui import QAction, QCloseEvent, QDesktopServices, QFont, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QLabel,
    QMainWindow,
    QMessageBox,
    QToolButton,
)

from .. import __version__
from ..core import fiscal
from ..core.store import Store
from .document import ReportDocument
from .editing import Editing
from .entrywidgets import tint
from .filework import FileWork
from .findwork import FindWork
from .inquirywork import InquiryWork
from .reportpane import ReportPane
from .reviewwork import ReviewWork
from .richedit import RichTextEdit
from .session import Session
from .snapshotwork import SnapshotWork
from .structure import StructureEditing
from .tasks import TaskRunner
from .warningspanel import WarningsPanel
from .yearwork import YearWork

logger = logging.getLogger(__name__)

APP_TITLE = "釧路市 進捗報告エディタ"


class MainWindow(QMainWindow):
    """The report pane, the panels, the menus: one window over one store."""

    def __init__(
        self, store: Store, settings: QSettings, *, year: int | None = None, read_only: bool = False
    ) -> None:
        super().__init__()
        self.store = store
        self.settings = settings
        self.read_only = read_only
        self.tasks = TaskRunner(self)
        self.session = Session(store, settings, self.tasks, read_only=read_only, parent=self)
        self.setWindowTitle(APP_TITLE)
        self.resize(1400, 900)
        font = QFont(QApplication.font())
        font.setPointSizeF(float(settings.value("view/font_size", 10.5)))
        self.pane = ReportPane(self.session, font, self)
        self.setCentralWidget(self.pane)
        self.warnings_panel = WarningsPanel(self)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.warnings_panel)
        self.warnings_panel.hide()
        self.resizeDocks([self.warnings_panel], [150], Qt.Orientation.Vertical)

        self.saved_label = QLabel()
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
        self.inquiry = InquiryWork(session, self)
        self.structure = StructureEditing(session, self, self.pane)
        self.snapshots = SnapshotWork(session, self)
        self.review = ReviewWork(session, self, self.warnings_panel)
        self.find = FindWork(session, self, self.warnings_panel)
        self.editing = Editing(session, self, self.pane)
        self.act_quit = QAction(self.tr("終了(&X)"), self)
        self.act_quit.setShortcut(QKeySequence("Ctrl+Q"))
        self.act_quit.triggered.connect(self.close)
        self.act_help = QAction(self.tr("使い方(&H)"), self)
        self.act_help.setShortcut(QKeySequence.StandardKey.HelpContents)
        self.act_help.triggered.connect(self.show_help)
        self.act_about = QAction(self.tr("バージョン情報(&A)"), self)
        self.act_about.triggered.connect(self.show_about)
        self.addActions([self.act_quit, self.act_help])
        self._build_menus()
        self._wire()
        self.restore_layout()
        self.refresh_reports(select=year)
        if read_only:
            self._show_read_only()
        else:
            self.snapshots.start_daily_snapshots()

    @property
    def document(self) -> ReportDocument | None:
        """The open report."""
        return self.session.document

    # -- wiring ---------------------------------------------------------------------------
    def _wire(self) -> None:
        """Every connection between the features and the window, in one place."""
        session = self.session
        session.reports_changed.connect(self.refresh_reports)
        session.message.connect(self.statusBar().showMessage)
        session.written.connect(self._offer_open)
        session.offer.connect(self._offer)
        session.warnings_found.connect(self.warnings_panel.show)
        self.warnings_panel.jump.connect(session.reveal_id)
        self.pane.compare_requested.connect(self.review.compare_entry)
        self.find.panel_made.connect(
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
            [files.act_import],
            [files.act_export_docx, files.act_export_xlsx, files.act_export_pdf],
            [files.act_export_json, files.act_print],
            [year.act_rollover, year.act_prefill],
            [inquiry.act_packs, inquiry.act_answers],
        ):
            file_menu.addActions(group)
            file_menu.addSeparator()
        file_menu.addMenu(files.recent_menu)
        file_menu.addSeparator()
        file_menu.addActions([self.snapshots.act_snapshots, editing.act_save])
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
            ]
        )
        edit.addActions(
            [structure.act_rename, structure.act_up, structure.act_down, structure.act_delete]
        )
        edit.addSeparator()
        edit.addAction(self.review.act_department_list)
        self.edit_menu = edit

        view = bar.addMenu(self.tr("表示(&V)"))
        act_warnings = self.warnings_panel.toggleViewAction()
        act_warnings.setText(self.tr("取り込み時の確認事項(&W)"))
        view.addActions([self.review.act_review, act_warnings])
        view.addSeparator()
        view.addActions([editing.act_bigger, editing.act_smaller, editing.act_normal])
        view.addSeparator()
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

    # -- reports --------------------------------------------------------------------------
    def refresh_reports(self, select: int | None = None) -> None:
        """Fill the year switcher from the store and show a report."""
        infos = self.store.reports()
        self.reports.blockSignals(True)
        self.reports.clear()
        for info in infos:
            self.reports.addItem(
                f"{fiscal.short_label(info.actual_year)}({fiscal.western_label(info.actual_year)})",
                info.actual_year,
            )
        self.reports.blockSignals(False)
        self.reports.setEnabled(len(infos) > 1)
        if not infos:
            self.show_empty()
            return
        years = [info.actual_year for info in infos]
        wanted = select if select in years else int(self.settings.value("report/year", 0) or 0)
        year = wanted if wanted in years else years[0]
        self.reports.blockSignals(True)
        self.reports.setCurrentIndex(years.index(year))
        self.reports.blockSignals(False)
        self.load_report(year)

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

    def load_report(self, year: int) -> None:
        """Open a report of the store in the window."""
        old = self.session.document
        if old is not None:
            old.flush()
        document = ReportDocument(self.store, self.store.load(year), self)
        document.read_only = self.read_only
        document.saved_changed.connect(self._update_title)
        document.store_failed.connect(self._store_failed)
        self.session.set_document(document)
        warnings = self.store.warnings(year)
        self.warnings_panel.set_warnings(warnings)
        if warnings and not self.settings.value(
            "view/warnings_seen_" + str(year), False, type=bool
        ):
            self.warnings_panel.show()
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

    def _focus_changed(self, old, _new) -> None:
        if isinstance(old, RichTextEdit):
            self.session.flush()

    def _update_title(self, *_args) -> None:
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
        self.setWindowTitle(
            f"{fiscal.short_label(report.actual_year)} {report.title} - {state} - {APP_TITLE}"
        )
        self.saved_label.setText(state)
        tint(self.saved_label, "#000000" if saved else "#9a5b00", bold=False)

    def _store_failed(self, message: str) -> None:
        self.statusBar().showMessage(message, 15000)
        self.saved_label.setText(self.tr("保存できていません"))
        tint(self.saved_label, "#b00020", bold=True)

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
    def show_help(self) -> None:
        """A short guide with the shortcuts."""
        QMessageBox.information(
            self,
            self.tr("使い方"),
            self.tr(
                "左の一覧で基本的方向を選ぶと、右に施策・主な事業・所管部署ごとの実績と取組予定が"
                "表示されます。入力は自動で保存されます。\n\n"
                "Ctrl+B 太字 / Ctrl+Shift+L「・」の箇条書き / Shift+Enter 改行(段落内)\n"
                "Alt+↓ / Alt+↑ 次・前の部署の行へ / F6 一覧と編集欄の切り替え\n"
                "Ctrl+Z 元に戻す / Ctrl+Y やり直し / Ctrl+F 検索 / Ctrl+H 置換\n"
                "F2 名前の変更 / Delete 削除 / Ctrl+Shift+↑↓ 並べ替え\n"
                "Ctrl+E Word で書き出し / Ctrl+Shift+E Excel で書き出し"
            ),
        )

    def show_about(self) -> None:
        """Version and where the data lives."""
        QMessageBox.about(
            self,
            self.tr("バージョン情報"),
            self.tr("釧路市 総合戦略 進捗報告エディタ {0}\n\nデータファイル: {1}")
            .replace("{0}", __version__)
            .replace("{1}", str(self.store.path)),
        )

    # -- window state ---------------------------------------------------------------------
    def restore_layout(self) -> None:
        """Geometry, splitter and panels as the user left them."""
        geometry = self.settings.value("window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        state = self.settings.value("window/state")
        if state is not None:
            self.restoreState(state)
        splitter = self.settings.value("window/splitter")
        if splitter is not None:
            self.pane.restoreState(splitter)

    def save_layout(self) -> None:
        """Remember geometry, splitter and panels."""
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/state", self.saveState())
        self.settings.setValue("window/splitter", self.pane.saveState())
        if self.session.document is not None:
            year = self.session.document.report.actual_year
            self.settings.setValue(f"view/warnings_seen_{year}", True)
        self.settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        """Closing never asks to save: everything is saved; only a failure is reported."""
        self.tasks.wait()
        document = self.session.document
        if document is not None and not document.close():
            answer = QMessageBox.warning(
                self,
                self.tr("保存できていません"),
                self.tr(
                    "データファイルに書き込めない入力があります。閉じると失われます。閉じますか？"
                ),
                QMessageBox.StandardButton.Close | QMessageBox.StandardButton.Cancel,
                QMessageBox.StandardButton.Cancel,
            )
            if answer != QMessageBox.StandardButton.Close:
                event.ignore()
                return
        self.review.stop()
        self.snapshots.stop_daily_snapshots()
        self.save_layout()
        event.accept()
