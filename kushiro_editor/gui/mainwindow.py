"""The editor window: the report's tree beside the editor of one direction's block."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QModelIndex, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QSplitter,
    QToolButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from .. import __version__
from ..core import fiscal
from ..core.merge import department_status
from ..core.model import Entry, Goal, MainProject, Measure
from ..core.store import Store
from .directionview import DirectionView
from .document import ReportDocument
from .filework import FileWorkMixin
from .menus import MenuMixin
from .panels import FindReplacePanel, WarningsPanel
from .richedit import RichTextEdit
from .rows import tint
from .safety import SafetyMixin
from .structure import StructureMixin
from .tasks import TaskRunner
from .treemodel import DepartmentFilter, NodeRole
from .yearwork import YearWorkMixin

logger = logging.getLogger(__name__)

APP_TITLE = "釧路市 進捗報告エディタ"


class MainWindow(MenuMixin, StructureMixin, FileWorkMixin, YearWorkMixin, SafetyMixin, QMainWindow):
    """The report tree, the direction editor, menus, panels and file work."""

    report_loaded = Signal(object)  # the ReportDocument now shown

    def __init__(
        self, store: Store, settings: QSettings, *, year: int | None = None, read_only: bool = False
    ) -> None:
        super().__init__()
        self.store = store
        self.read_only = read_only
        self.settings = settings
        self.controller: ReportDocument | None = None
        self.tasks = TaskRunner(self)
        self.editor_font = QFont(QApplication.font())
        self.editor_font.setPointSizeF(float(settings.value("view/font_size", 10.5)))
        self.setWindowTitle(APP_TITLE)
        self.resize(1400, 900)

        # The filter proxy sits between the model and the tree only while a
        # department is chosen: mapping every row through it costs at start.
        self.filter = DepartmentFilter()
        self.department = ""
        self.tree = QTreeView()
        self.tree.setHeaderHidden(False)
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        self.tree.setEditTriggers(
            QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.SelectedClicked
        )
        self.tree.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.tree.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.tree.setDropIndicatorShown(True)
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.tree.customContextMenuRequested.connect(self._tree_menu)
        self.tree.setAccessibleName(self.tr("基本目標と基本的方向の一覧"))
        self.departments = QComboBox()
        self.departments.setToolTip(self.tr("所管部署で絞り込む"))
        self.departments.setMinimumContentsLength(14)
        self.departments.currentIndexChanged.connect(self._department_chosen)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(6, 6, 0, 6)
        filter_row = QHBoxLayout()
        filter_row.addWidget(QLabel(self.tr("所管部署:")))
        filter_row.addWidget(self.departments, 1)
        left_layout.addLayout(filter_row)
        left_layout.addWidget(self.tree, 1)

        self.view_holder = QWidget()
        self.view_layout = QVBoxLayout(self.view_holder)
        self.view_layout.setContentsMargins(0, 0, 0, 0)
        self.view: DirectionView | None = None
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.view_holder)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([420, 980])
        self.setCentralWidget(self.splitter)

        self.find_panel: FindReplacePanel | None = None
        self.review_panel = None  # made on first use (提出前の点検)
        self.warnings_panel = WarningsPanel(self)
        self.warnings_panel.jump.connect(self.jump_to_id)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.warnings_panel)
        self.warnings_panel.hide()
        self.resizeDocks([self.warnings_panel], [150], Qt.Orientation.Vertical)

        self.saved_label = QLabel()
        self.statusBar().addPermanentWidget(self.saved_label)
        self.open_button = QToolButton()
        self.open_button.setAutoRaise(True)
        self.open_button.hide()
        self.statusBar().addPermanentWidget(self.open_button)
        self._last_written: Path | None = None
        self._open_action = None  # what the status bar button does besides opening a file
        self.open_button.clicked.connect(self._open_button_clicked)

        self.reports = QComboBox()
        self.reports.setToolTip(self.tr("年度を切り替える"))
        self.reports.currentIndexChanged.connect(self._report_chosen)
        self._build_actions()
        self._build_menus()
        QApplication.instance().focusChanged.connect(self._focus_changed)
        self.restore_layout()
        self.refresh_reports(select=year)
        if read_only:
            self.apply_read_only()
        else:
            self.start_daily_snapshots()

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
        self.controller = None
        self._set_view(None)
        self.filter.setSourceModel(None)
        self.tree.setModel(None)
        self.departments.clear()
        self._enable_report_actions(False)
        self.statusBar().showMessage(
            self.tr("報告がありません。「ファイル → 取り込み」で昨年度の報告を読み込んでください。")
        )
        self._update_title()

    def _enable_report_actions(self, enabled: bool) -> None:
        # What needs an open report.
        for action in (
            self.act_export_docx,
            self.act_export_xlsx,
            self.act_export_json,
            self.act_prefill,
            self.act_review,
        ):
            action.setEnabled(enabled)

    def _report_chosen(self, index: int) -> None:
        year = self.reports.itemData(index)
        if year is not None and (
            self.controller is None or year != self.controller.report.actual_year
        ):
            self.load_report(int(year))

    def load_report(self, year: int) -> None:
        """Open a report of the store in the window."""
        if self.controller is not None:
            self.controller.flush()
        report = self.store.load(year)
        controller = ReportDocument(self.store, report, self)
        controller.read_only = self.read_only
        controller.set_font(self.editor_font)
        controller.saved_changed.connect(self._update_title)
        controller.store_failed.connect(self._store_failed)
        controller.reveal.connect(self.reveal)
        controller.structure_changed.connect(self._refresh_departments)
        controller.departments_changed.connect(self._refresh_departments)
        stack = controller.undo_stack
        stack.canUndoChanged.connect(self.act_undo.setEnabled)
        stack.canRedoChanged.connect(self.act_redo.setEnabled)
        stack.undoTextChanged.connect(self._undo_text)
        stack.redoTextChanged.connect(self._redo_text)
        self.act_undo.setEnabled(False)
        self.act_redo.setEnabled(False)
        old = self.controller
        self.controller = controller
        self.filter.setSourceModel(controller.tree)
        self.department = ""
        self._set_view(controller)
        if self.find_panel is not None:
            self.find_panel.set_controller(controller)
        if self.review_panel is not None:
            self.review_panel.set_controller(controller)
        self._enable_report_actions(True)
        self._attach_tree(controller.tree)
        self._refresh_departments()
        warnings = self.store.warnings(year)
        self.warnings_panel.set_warnings(warnings)
        if warnings and not self.settings.value(
            "view/warnings_seen_" + str(year), False, type=bool
        ):
            self.warnings_panel.show()
        self.settings.setValue("report/year", year)
        self._update_title()
        self.select_first_direction()
        if old is not None:
            old.deleteLater()
        self.report_loaded.emit(controller)

    def _undo_text(self, text: str) -> None:
        self.act_undo.setText(
            self.tr("元に戻す: {0}").replace("{0}", text) if text else self.tr("元に戻す(&U)")
        )

    def _redo_text(self, text: str) -> None:
        self.act_redo.setText(
            self.tr("やり直し: {0}").replace("{0}", text) if text else self.tr("やり直し(&R)")
        )

    def _set_view(self, controller: ReportDocument | None) -> None:
        if self.view is not None:
            self.view_layout.removeWidget(self.view)
            self.view.deleteLater()
            self.view = None
        if controller is None:
            return
        self.view = DirectionView(controller)
        self.view.setFont(self.editor_font)
        self.view_layout.addWidget(self.view)
        # Shown now, not at the next event loop turn, so that a jump right after
        # switching reports finds its editor.
        self.view.show()
        self.view.compare_requested.connect(self.compare_entry)
        if self.read_only:
            self.view.set_read_only(True)
        self.view.length_limit = int(self.settings.value("review/limit", 0) or 0)

    def _refresh_departments(self, *_args) -> None:
        if self.controller is None:
            return
        current = self.departments.currentData() or ""
        counts: dict[str, int] = {}
        for _g, _d, entry in self.controller.report.entries():
            for name in entry.departments:
                counts[name] = counts.get(name, 0) + 1
        total = sum(1 for _ in self.controller.report.entries())
        self.departments.blockSignals(True)
        self.departments.clear()
        self.departments.addItem(self.tr("すべての部署 ({0}行)").replace("{0}", str(total)), "")
        status = department_status(
            self.controller.report, self.store.inquiries(self.controller.report.id)
        )
        for name in sorted(counts, key=lambda n: (-counts[n], n)):
            state = status.get(name, "")
            shown = f" {state}" if state and state != "未照会" else ""
            self.departments.addItem(f"{name} ({counts[name]}){shown}", name)
        index = max(self.departments.findData(current), 0)
        self.departments.setCurrentIndex(index)
        self.departments.blockSignals(False)

    def _attach_tree(self, model) -> None:
        """Show a model in the tree (the report's, or the department filter over it)."""
        if self.tree.model() is not model:
            self.tree.setModel(model)
            self.tree.selectionModel().currentChanged.connect(self._tree_current)
            header = self.tree.header()
            header.setStretchLastSection(False)
            header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
            # The count column is sized for its header and a three-digit count:
            # sizing it to its contents asks the model for every row at start.
            header.setSectionResizeMode(1, QHeaderView.ResizeMode.Fixed)
            metrics = self.tree.fontMetrics()
            label = str(model.headerData(1, Qt.Orientation.Horizontal) or "")
            header.resizeSection(
                1, max(metrics.horizontalAdvance(label), metrics.horizontalAdvance("999")) + 16
            )
        # Goals open on their directions; a direction opens on its measures.
        self.tree.expandToDepth(0)

    def _department_chosen(self, index: int) -> None:
        if self.controller is None or self.view is None:
            return
        name = self.departments.itemData(index) or ""
        if name == self.department:
            return
        self.department = name
        self.filter.set_department(name)
        self._attach_tree(self.filter if name else self.controller.tree)
        direction = self.view.direction
        if (
            direction is not None
            and name
            and not any(name in e.departments for e in direction.entries)
        ):
            direction = None
        self.view.show_direction(direction, department=name)
        if direction is None:
            self.select_first_direction()
        else:
            self.select_node(direction)

    # -- the tree and the view --------------------------------------------------------------
    def _source(self, index: QModelIndex) -> object | None:
        return index.data(NodeRole) if index.isValid() else None

    def selected_node(self) -> object | None:
        """The goal, direction or measure chosen in the tree."""
        return self._source(self.tree.currentIndex())

    def select_node(self, node: object) -> None:
        """Choose a node in the tree (and show its direction)."""
        if self.controller is None:
            return
        index = self.controller.tree.index_of(node)
        if self.tree.model() is self.filter:
            index = self.filter.mapFromSource(index)
        if index.isValid():
            self.tree.setCurrentIndex(index)
            self.tree.scrollTo(index)

    def select_first_direction(self) -> None:
        """Choose the first direction the tree shows."""
        model = self.tree.model()
        if model is None:
            return
        for row in range(model.rowCount()):
            goal = model.index(row, 0)
            if model.rowCount(goal):
                self.tree.setCurrentIndex(model.index(0, 0, goal))
                return
        if self.view is not None:
            self.view.show_direction(None)

    def _tree_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        node = self._source(current)
        if self.view is None or node is None:
            return
        measure = None
        if isinstance(node, Goal):
            node = next(
                (
                    d
                    for d in node.directions
                    if not self.department
                    or any(self.department in e.departments for e in d.entries)
                ),
                None,
            )
        elif isinstance(node, Measure):
            measure = node
            node = self.controller.parent_of(node)
        if node is not self.view.direction:
            self.view.show_direction(node)
        self.view.highlight_measure(measure)

    def jump_to_id(self, node_id: str) -> None:
        """Show the node with this id (a warning's entry)."""
        if self.controller is None:
            return
        node = self.controller.report.find_node(node_id)
        if node is None:
            self.statusBar().showMessage(self.tr("その行はもうありません。"), 5000)
            return
        self.reveal(node, "actual" if isinstance(node, Entry) else "")

    def reveal(self, node: object, field: str, start: int = -1, end: int = -1) -> None:
        """Show a node's place: its direction, the entry's editor, the text span."""
        if self.controller is None or self.view is None:
            return
        direction = node
        if isinstance(node, Entry | MainProject | Measure):
            direction = self.controller.parent_of(node)
        if isinstance(node, Goal):
            self.select_node(node)
            return
        if isinstance(node, Entry) and self.department and self.department not in node.departments:
            self.departments.setCurrentIndex(0)
        if direction is not self.view.direction:
            self.select_node(direction)
            if direction is not self.view.direction:
                self.view.show_direction(direction)
        if isinstance(node, Measure):
            self.view.highlight_measure(node)
        editor = self.view.editor_for(node, field) if field else None
        if editor is None and isinstance(node, Entry):
            widget = self.view.entry_widget(node)
            editor = widget.departments if widget is not None else None
        if editor is None:
            return
        editor.setFocus(Qt.FocusReason.OtherFocusReason)
        if isinstance(editor, RichTextEdit) and start >= 0:
            cursor = editor.textCursor()
            cursor.setPosition(start)
            cursor.setPosition(end, cursor.MoveMode.KeepAnchor)
            editor.setTextCursor(cursor)
        QTimer.singleShot(
            0,
            lambda: self.view.ensureWidgetVisible(editor, 0, 60) if self.view is not None else None,
        )

    def switch_pane(self) -> None:
        """F6: between the tree and the editors."""
        if self.tree.hasFocus() and self.view is not None:
            self.view.focus_neighbour(0)
        else:
            self.tree.setFocus()

    def _tree_menu(self, point) -> None:
        menu = QMenu(self)
        for action in (
            self.act_add_goal,
            self.act_add_direction,
            self.act_add_measure,
            self.act_add_entry,
        ):
            menu.addAction(action)
        menu.addSeparator()
        for action in (self.act_rename, self.act_up, self.act_down, self.act_delete):
            menu.addAction(action)
        menu.exec(self.tree.viewport().mapToGlobal(point))

    # -- editing --------------------------------------------------------------------------------
    def _editor(self) -> RichTextEdit | None:
        widget = QApplication.focusWidget()
        return widget if isinstance(widget, RichTextEdit) else None

    def undo(self) -> None:
        """Ctrl+Z over text and structure alike."""
        if self.controller is not None:
            self.controller.undo_stack.undo()

    def redo(self) -> None:
        """Ctrl+Y."""
        if self.controller is not None:
            self.controller.undo_stack.redo()

    def toggle_bold(self) -> None:
        """Ctrl+B in an editor."""
        editor = self._editor()
        if editor is not None:
            editor.toggle_bold()

    def toggle_list(self) -> None:
        """Ctrl+Shift+L in an editor."""
        editor = self._editor()
        if editor is not None:
            editor.toggle_list()

    def _ensure_find(self) -> FindReplacePanel | None:
        if self.controller is None:
            return None
        if self.find_panel is None:
            self.find_panel = FindReplacePanel(self.controller, self)
            self.find_panel.jump.connect(self.reveal)
            self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.find_panel)
            self.tabifyDockWidget(self.warnings_panel, self.find_panel)
            toggle = self.find_panel.toggleViewAction()
            toggle.setText(self.tr("検索と置換の結果(&S)"))
            self.view_menu.insertAction(self.view_menu.actions()[1], toggle)
        return self.find_panel

    def show_find(self) -> None:
        """Ctrl+F."""
        panel = self._ensure_find()
        if panel is not None:
            editor = self._editor()
            selected = editor.textCursor().selectedText() if editor else ""
            if selected and "\u2029" not in selected:
                panel.query.setText(selected)
            panel.focus_query()

    def show_replace(self) -> None:
        """Ctrl+H."""
        panel = self._ensure_find()
        if panel is not None:
            panel.show()
            panel.replacement.setFocus()

    def zoom(self, step: int) -> None:
        """The editors' text size."""
        size = 10.5 if step == 0 else min(max(self.editor_font.pointSizeF() + step, 8), 20)
        self.editor_font.setPointSizeF(size)
        self.settings.setValue("view/font_size", size)
        if self.controller is not None:
            current = self.view.direction if self.view is not None else None
            self.controller.set_font(self.editor_font)
            self._set_view(self.controller)
            self.view.show_direction(current, department=self.department)

    def save_now(self) -> None:
        """Ctrl+S: everything is saved automatically; this saves at once."""
        if self.controller is not None and self.controller.flush():
            self.statusBar().showMessage(self.tr("保存しました。"), 3000)

    def _focus_changed(self, old, _new) -> None:
        if self.controller is not None and isinstance(old, RichTextEdit):
            self.controller.flush()

    def _open_button_clicked(self) -> None:
        if self._open_action is not None:
            action, self._open_action = self._open_action, None
            self.open_button.hide()
            action()
        else:
            self._open_last_written()

    def _update_title(self, *_args) -> None:
        if self.controller is None:
            self.setWindowTitle(APP_TITLE)
            self.saved_label.setText("")
            return
        report = self.controller.report
        saved = self.controller.is_saved
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

    # -- help -----------------------------------------------------------------------------------
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

    # -- window state -------------------------------------------------------------------------
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
            self.splitter.restoreState(splitter)

    def save_layout(self) -> None:
        """Remember geometry, splitter and panels."""
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/state", self.saveState())
        self.settings.setValue("window/splitter", self.splitter.saveState())
        if self.controller is not None:
            self.settings.setValue(f"view/warnings_seen_{self.controller.report.actual_year}", True)
        self.settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        """Closing never asks to save: everything is saved; only a failure is reported."""
        self.tasks.wait()
        if self.controller is not None and not self.controller.close():
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
        if self.review_panel is not None:
            self.review_panel.stop()
        self.stop_daily_snapshots()
        self.save_layout()
        event.accept()
