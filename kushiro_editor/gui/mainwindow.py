"""The editor window: the report's tree beside the editor of one direction's block."""

from __future__ import annotations

import copy
import logging
from pathlib import Path

from PySide6.QtCore import QModelIndex, QSettings, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QAction, QCloseEvent, QDesktopServices, QFont, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QFileDialog,
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
from ..core.model import Direction, Entry, Goal, ImportResult, MainProject, Measure
from ..core.store import Store
from ..formats.layout import ExportOptions
from .directionview import DirectionView
from .document import ReportDocument
from .panels import FindReplacePanel, WarningsPanel
from .review import CompareDialog, PrefillDialog, ReviewPanel, RolloverDialog
from .richedit import RichTextEdit
from .tasks import TaskRunner
from .treemodel import DepartmentFilter, NodeRole

logger = logging.getLogger(__name__)

APP_TITLE = "釧路市 進捗報告エディタ"
MAX_RECENT = 8
FILE_FILTER = "報告ファイル (*.docx *.xlsx *.tsv *.txt *.json);;すべてのファイル (*)"


class MainWindow(QMainWindow):
    """The report tree, the direction editor, menus, panels and file work."""

    report_loaded = Signal(object)  # the ReportDocument now shown

    def __init__(self, store: Store, settings: QSettings, *, year: int | None = None) -> None:
        super().__init__()
        self.store = store
        self.settings = settings
        self.controller: ReportDocument | None = None
        self.tasks = TaskRunner(self)
        self.editor_font = QFont(QApplication.font())
        self.editor_font.setPointSizeF(float(settings.value("view/font_size", 10.5)))
        self.setWindowTitle(APP_TITLE)
        self.resize(1400, 900)

        self.filter = DepartmentFilter()
        self.tree = QTreeView()
        self.tree.setModel(self.filter)
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
        self.review_panel: ReviewPanel | None = None
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
        self.open_button.clicked.connect(self._open_last_written)

        self.reports = QComboBox()
        self.reports.setToolTip(self.tr("年度を切り替える"))
        self.reports.currentIndexChanged.connect(self._report_chosen)
        self._build_actions()
        self._build_menus()
        QApplication.instance().focusChanged.connect(self._focus_changed)
        self.restore_layout()
        self.refresh_reports(select=year)

    # -- actions and menus ----------------------------------------------------------------
    def _action(self, text: str, slot, shortcut=None, tip: str = "") -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            shortcuts = shortcut if isinstance(shortcut, list) else [shortcut]
            action.setShortcuts([QKeySequence(s) for s in shortcuts])
        if tip:
            action.setStatusTip(tip)
            action.setToolTip(tip)
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _build_actions(self) -> None:
        key = QKeySequence.StandardKey
        self.act_import = self._action(
            self.tr("取り込み(&I)…"),
            self.import_dialog,
            key.Open,
            self.tr("Word・Excel・テキストの報告を取り込みます"),
        )
        self.act_export_docx = self._action(
            self.tr("Word で書き出し(&W)…"),
            lambda: self.export_dialog("docx"),
            "Ctrl+E",
            self.tr("提出用の Word の表を書き出します"),
        )
        self.act_export_xlsx = self._action(
            self.tr("Excel で書き出し(&X)…"),
            lambda: self.export_dialog("xlsx"),
            "Ctrl+Shift+E",
            self.tr("公開用の Excel を書き出します"),
        )
        self.act_export_json = self._action(
            self.tr("JSON で書き出し(&J)…"), lambda: self.export_dialog("json")
        )
        self.act_rollover = self._action(
            self.tr("前年度から新年度を作成(&N)…"),
            self.rollover_dialog,
            None,
            self.tr("前年度の報告から次の年度の報告を作ります"),
        )
        self.act_prefill = self._action(
            self.tr("前年度ファイルから取組予定を補完(&P)…"),
            self.prefill_dialog,
            None,
            self.tr("空の取組予定を前年度のファイルから補います"),
        )
        self.act_review = self._action(
            self.tr("提出前の点検(&C)"),
            self.show_review,
            "F7",
            self.tr("未記入・未確認・時制などを点検します"),
        )
        self.act_department_list = self._action(
            self.tr("部署の一覧(&D)…"), self.department_list_dialog
        )
        self.act_save = self._action(
            self.tr("すぐに保存(&S)"),
            self.save_now,
            key.Save,
            self.tr("入力は自動で保存されます。今すぐ保存します"),
        )
        self.act_quit = self._action(self.tr("終了(&Q)"), self.close, "Ctrl+Q")
        self.act_undo = self._action(self.tr("元に戻す(&U)"), self.undo, key.Undo)
        self.act_redo = self._action(self.tr("やり直し(&R)"), self.redo, [key.Redo, "Ctrl+Y"])
        self.act_undo.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.act_bold = self._action(
            self.tr("太字(&B)"), self.toggle_bold, key.Bold, self.tr("選んだ文字を太字にします")
        )
        self.act_list = self._action(
            self.tr("「・」の箇条書き(&L)"),
            self.toggle_list,
            "Ctrl+Shift+L",
            self.tr("段落を「・」の項目にします"),
        )
        self.act_find = self._action(self.tr("検索(&F)…"), self.show_find, key.Find)
        self.act_replace = self._action(self.tr("置換(&H)…"), self.show_replace, "Ctrl+H")
        self.act_rename = self._action(self.tr("名前の変更(&M)"), self.rename_selected, "F2")
        self.act_delete = self._action(self.tr("削除(&D)…"), self.delete_selected, key.Delete)
        self.act_delete.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.tree.addAction(self.act_delete)
        self.act_up = self._action(
            self.tr("上へ移動"), lambda: self.move_selected(-1), "Ctrl+Shift+Up"
        )
        self.act_down = self._action(
            self.tr("下へ移動"), lambda: self.move_selected(1), "Ctrl+Shift+Down"
        )
        self.act_add_goal = self._action(self.tr("基本目標を追加"), self.add_goal)
        self.act_add_direction = self._action(self.tr("基本的方向を追加"), self.add_direction)
        self.act_add_measure = self._action(self.tr("施策を追加"), self.add_measure)
        self.act_add_entry = self._action(
            self.tr("所管部署の行を追加"), self.add_entry, "Ctrl+Shift+N"
        )
        self.act_warnings = self.warnings_panel.toggleViewAction()
        self.act_warnings.setText(self.tr("取り込み時の確認事項(&W)"))
        self.act_bigger = self._action(
            self.tr("文字を大きく"), lambda: self.zoom(1), [key.ZoomIn, "Ctrl+="]
        )
        self.act_smaller = self._action(self.tr("文字を小さく"), lambda: self.zoom(-1), key.ZoomOut)
        self.act_normal = self._action(
            self.tr("文字の大きさを標準に"), lambda: self.zoom(0), "Ctrl+0"
        )
        self.act_focus_tree = self._action(
            self.tr("一覧と編集欄を切り替え"), self.switch_pane, "F6"
        )
        self.act_help = self._action(self.tr("使い方(&H)"), self.show_help, key.HelpContents)
        self.act_about = self._action(self.tr("バージョン情報(&A)"), self.show_about)

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu(self.tr("ファイル(&F)"))
        file_menu.addAction(self.act_import)
        file_menu.addSeparator()
        file_menu.addAction(self.act_export_docx)
        file_menu.addAction(self.act_export_xlsx)
        file_menu.addAction(self.act_export_json)
        file_menu.addSeparator()
        file_menu.addAction(self.act_rollover)
        file_menu.addAction(self.act_prefill)
        file_menu.addSeparator()
        self.recent_menu = file_menu.addMenu(self.tr("最近使ったファイル(&R)"))
        self._fill_recent()
        file_menu.addSeparator()
        file_menu.addAction(self.act_save)
        file_menu.addSeparator()
        file_menu.addAction(self.act_quit)
        self.file_menu = file_menu

        edit = bar.addMenu(self.tr("編集(&E)"))
        edit.addAction(self.act_undo)
        edit.addAction(self.act_redo)
        edit.addSeparator()
        edit.addAction(self.act_bold)
        edit.addAction(self.act_list)
        edit.addSeparator()
        edit.addAction(self.act_find)
        edit.addAction(self.act_replace)
        edit.addSeparator()
        add = edit.addMenu(self.tr("追加(&A)"))
        for action in (
            self.act_add_goal,
            self.act_add_direction,
            self.act_add_measure,
            self.act_add_entry,
        ):
            add.addAction(action)
        edit.addAction(self.act_rename)
        edit.addAction(self.act_up)
        edit.addAction(self.act_down)
        edit.addAction(self.act_delete)
        edit.addSeparator()
        edit.addAction(self.act_department_list)
        self.edit_menu = edit

        view = bar.addMenu(self.tr("表示(&V)"))
        view.addAction(self.act_review)
        view.addAction(self.act_warnings)
        self.view_menu = view
        view.addSeparator()
        view.addAction(self.act_bigger)
        view.addAction(self.act_smaller)
        view.addAction(self.act_normal)
        view.addSeparator()
        view.addAction(self.act_focus_tree)

        help_menu = bar.addMenu(self.tr("ヘルプ(&H)"))
        help_menu.addAction(self.act_help)
        help_menu.addAction(self.act_about)

        toolbar = self.addToolBar(self.tr("標準"))
        toolbar.setObjectName("mainToolbar")
        toolbar.setMovable(False)
        toolbar.addWidget(QLabel(self.tr(" 年度: ")))
        toolbar.addWidget(self.reports)
        toolbar.addSeparator()
        for action in (self.act_import, self.act_export_docx, self.act_export_xlsx):
            toolbar.addAction(action)
        toolbar.addSeparator()
        for action in (self.act_undo, self.act_redo, self.act_bold, self.act_list, self.act_find):
            toolbar.addAction(action)
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
        self.controller = None
        self._set_view(None)
        self.filter.setSourceModel(None)
        self.departments.clear()
        for action in (
            self.act_export_docx,
            self.act_export_xlsx,
            self.act_export_json,
            self.act_prefill,
            self.act_review,
        ):
            action.setEnabled(False)
        self.statusBar().showMessage(
            self.tr("報告がありません。「ファイル → 取り込み」で昨年度の報告を読み込んでください。")
        )
        self._update_title()

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
        controller.font = QFont(self.editor_font)
        controller.saved_changed.connect(self._update_title)
        controller.store_failed.connect(self._store_failed)
        controller.reveal.connect(self.reveal)
        controller.structure_changed.connect(self._refresh_departments)
        controller.node_changed.connect(self._node_changed)
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
        self.filter.set_department("")
        self._set_view(controller)
        if self.find_panel is not None:
            self.find_panel.set_controller(controller)
        if self.review_panel is not None:
            self.review_panel.set_controller(controller)
        for action in (
            self.act_export_docx,
            self.act_export_xlsx,
            self.act_export_json,
            self.act_prefill,
            self.act_review,
        ):
            action.setEnabled(True)
        self.tree.selectionModel().currentChanged.connect(self._tree_current)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.expandAll()
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
        for name in sorted(counts, key=lambda n: (-counts[n], n)):
            self.departments.addItem(f"{name} ({counts[name]})", name)
        index = max(self.departments.findData(current), 0)
        self.departments.setCurrentIndex(index)
        self.departments.blockSignals(False)

    def _department_chosen(self, index: int) -> None:
        if self.controller is None or self.view is None:
            return
        name = self.departments.itemData(index) or ""
        self.filter.set_department(name)
        self.tree.expandAll()
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
        source = self.controller.tree.index_of(node)
        index = self.filter.mapFromSource(source)
        if index.isValid():
            self.tree.setCurrentIndex(index)
            self.tree.scrollTo(index)

    def select_first_direction(self) -> None:
        """Choose the first direction the tree shows."""
        model = self.filter
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
                    if not self.filter.department
                    or any(self.filter.department in e.departments for e in d.entries)
                ),
                None,
            )
        elif isinstance(node, Measure):
            measure = node
            node = self.controller.parent_of(node)
        if node is not self.view.direction:
            self.view.show_direction(node)
        self.view.highlight_measure(measure)

    def _node_changed(self, node: object) -> None:
        if isinstance(node, Entry):
            self._refresh_departments()

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
        if (
            isinstance(node, Entry)
            and self.filter.department
            and self.filter.department not in node.departments
        ):
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

    # -- structure --------------------------------------------------------------------------
    def _current_direction(self) -> Direction | None:
        return self.view.direction if self.view is not None else None

    def add_goal(self) -> None:
        """A new goal after the selected one."""
        if self.controller is None:
            return
        node = self.selected_node()
        goal = (
            node
            if isinstance(node, Goal)
            else (self.controller.parent_of(node) if isinstance(node, Direction) else None)
        )
        report = self.controller.report
        position = report.goals.index(goal) + 1 if goal in report.goals else None
        new = Goal(
            title=self.tr("新しい基本目標"),
            directions=[Direction(title=self.tr("新しい基本的方向"))],
        )
        self.controller.add(report, new, position)
        self.select_node(new)
        self.tree.edit(self.tree.currentIndex())

    def add_direction(self) -> None:
        """A new direction in the selected goal."""
        if self.controller is None:
            return
        node = self.selected_node()
        if isinstance(node, Measure):
            node = self.controller.parent_of(node)
        if isinstance(node, Direction):
            goal = self.controller.parent_of(node)
            position = goal.directions.index(node) + 1
        elif isinstance(node, Goal):
            goal, position = node, None
        else:
            return
        new = Direction(title=self.tr("新しい基本的方向"))
        self.controller.add(goal, new, position)
        self.select_node(new)
        self.tree.edit(self.tree.currentIndex())

    def add_measure(self) -> None:
        """A new measure in the shown direction."""
        if self.view is not None:
            self.view.add_measure()

    def add_entry(self) -> None:
        """A new department row in the shown direction."""
        if self.view is not None:
            self.view.add_entry()

    def rename_selected(self) -> None:
        """F2: rename the chosen tree node."""
        if self.tree.currentIndex().isValid():
            self.tree.setFocus()
            self.tree.edit(self.tree.currentIndex().siblingAtColumn(0))

    def move_selected(self, step: int) -> None:
        """Move the chosen tree node up or down."""
        node = self.selected_node()
        if self.controller is not None and node is not None and self.controller.move_by(node, step):
            self.select_node(node)

    def delete_selected(self) -> None:
        """Delete the chosen tree node, after confirmation."""
        node = self.selected_node()
        if self.controller is not None and node is not None and self.confirm_delete(node):
            self.controller.delete(node)

    def confirm_delete(self, node: object) -> bool:
        """Ask before deleting; says what goes with it."""
        what = {
            Goal: self.tr("基本目標"),
            Direction: self.tr("基本的方向"),
            Measure: self.tr("施策"),
            MainProject: self.tr("主な事業"),
            Entry: self.tr("所管部署の行"),
        }[type(node)]
        name = (
            getattr(node, "title", None)
            or getattr(node, "name", None)
            or getattr(node, "department_label", "")
        )
        detail = ""
        if isinstance(node, Goal):
            count = sum(len(d.entries) for d in node.directions)
            detail = (
                self.tr("基本的方向 {0} 件と所管部署の行 {1} 件も削除されます。")
                .replace("{0}", str(len(node.directions)))
                .replace("{1}", str(count))
            )
        elif isinstance(node, Direction):
            detail = (
                self.tr("施策 {0} 件と所管部署の行 {1} 件も削除されます。")
                .replace("{0}", str(len(node.measures)))
                .replace("{1}", str(len(node.entries)))
            )
        box = QMessageBox(
            QMessageBox.Icon.Question,
            self.tr("削除の確認"),
            self.tr("{0}「{1}」を削除しますか？")
            .replace("{0}", what)
            .replace("{1}", name or self.tr("(名前なし)")),
            parent=self,
        )
        box.setInformativeText(
            (detail + "\n" if detail else "")
            + self.tr("削除は「元に戻す」(Ctrl+Z)で取り消せます。")
        )
        delete = box.addButton(self.tr("削除する"), QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(self.tr("キャンセル"), QMessageBox.ButtonRole.RejectRole)
        box.exec()
        return box.clickedButton() is delete

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
            self.controller.font = QFont(self.editor_font)
            for document in self.controller._docs.values():
                document.setDefaultFont(self.editor_font)
            self._set_view(self.controller)
            self.view.show_direction(current, department=self.filter.department)

    def save_now(self) -> None:
        """Ctrl+S: everything is saved automatically; this saves at once."""
        if self.controller is not None and self.controller.flush():
            self.statusBar().showMessage(self.tr("保存しました。"), 3000)

    def _focus_changed(self, old, _new) -> None:
        if self.controller is not None and isinstance(old, RichTextEdit):
            self.controller.flush()

    def _update_title(self, *_args) -> None:
        if self.controller is None:
            self.setWindowTitle(APP_TITLE)
            self.saved_label.setText("")
            return
        report = self.controller.report
        saved = self.controller.is_saved
        state = self.tr("保存済み") if saved else self.tr("保存待ち…")
        self.setWindowTitle(
            f"{fiscal.short_label(report.actual_year)} {report.title} - {state} - {APP_TITLE}"
        )
        self.saved_label.setText(state)
        self.saved_label.setStyleSheet("" if saved else "color: #9a5b00;")

    def _store_failed(self, message: str) -> None:
        self.statusBar().showMessage(message, 15000)
        self.saved_label.setText(self.tr("保存できていません"))
        self.saved_label.setStyleSheet("color: #b00020; font-weight: bold;")

    # -- files ----------------------------------------------------------------------------------
    def _start_dir(self) -> str:
        return str(self.settings.value("files/last_dir", str(Path.home())))

    def _remember(self, path: Path) -> None:
        self.settings.setValue("files/last_dir", str(path.parent))
        recent = [p for p in self.settings.value("files/recent", [], type=list) if p != str(path)]
        recent.insert(0, str(path))
        self.settings.setValue("files/recent", recent[:MAX_RECENT])
        self._fill_recent()

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        recent = self.settings.value("files/recent", [], type=list)
        for number, name in enumerate(recent, start=1):
            action = self.recent_menu.addAction(f"&{number} {Path(name).name}")
            action.setStatusTip(name)
            action.triggered.connect(
                lambda _c=False, n=name: QDesktopServices.openUrl(QUrl.fromLocalFile(n))
            )
        self.recent_menu.setEnabled(bool(recent))

    def import_dialog(self) -> None:
        """ファイル → 取り込み…"""
        name, _ = QFileDialog.getOpenFileName(
            self, self.tr("取り込むファイル"), self._start_dir(), self.tr(FILE_FILTER)
        )
        if name:
            self.import_file(Path(name))

    def import_file(self, path: Path) -> None:
        """Read a file in the background, then store it as a report."""
        from ..formats import read_file

        if self.tasks.busy:
            return
        self.tasks.run(
            self.tr("{0} を読み込んでいます…").replace("{0}", path.name),
            lambda: read_file(path),
            lambda result: self._imported(path, result),
            lambda message: self.show_error(self.tr("取り込めませんでした"), message),
        )

    def _imported(self, path: Path, result: ImportResult) -> None:
        report = result.report
        if self.controller is not None:
            self.controller.flush()
        replace = False
        if report.actual_year in self.store.years():
            if not self.ask_replace(report.actual_year):
                self.statusBar().showMessage(self.tr("取り込みをやめました。"), 5000)
                return
            replace = True
        try:
            self.store.save(report, result.warnings, replace=replace)
        except Exception as exc:  # the store keeps what it had: say why
            logger.exception("import failed")
            self.show_error(self.tr("取り込めませんでした"), str(exc))
            return
        self._remember(path)
        if (
            replace
            and self.controller is not None
            and self.controller.report.actual_year == report.actual_year
        ):
            # The open report was replaced: its nodes are gone from the store.
            self.controller.deleteLater()
            self.controller = None
        self.refresh_reports(select=report.actual_year)
        entries = sum(1 for _ in report.entries())
        message = (
            self.tr("{0} を取り込みました(所管部署の行 {1} 件、確認事項 {2} 件)。")
            .replace("{0}", path.name)
            .replace("{1}", str(entries))
            .replace("{2}", str(len(result.warnings)))
        )
        self.statusBar().showMessage(message, 10000)
        if result.warnings:
            self.warnings_panel.show()

    def ask_replace(self, year: int) -> bool:
        """Ask before an import replaces a report of the same year."""
        answer = QMessageBox.question(
            self,
            self.tr("同じ年度の報告があります"),
            self.tr("{0}の報告はすでにあります。取り込んだ内容で置き換えますか？").replace(
                "{0}", fiscal.short_label(year)
            ),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    def export_options(self) -> ExportOptions:
        """The fonts of exported documents (from the settings)."""
        return ExportOptions(
            font=str(self.settings.value("export/font", "ＭＳ 明朝")),
            heading_font=str(self.settings.value("export/heading_font", "ＭＳ ゴシック")),
            size=float(self.settings.value("export/size", 10.5)),
        )

    def export_dialog(self, kind: str) -> None:
        """ファイル → Word/Excel/JSON で書き出し…"""
        if self.controller is None:
            return
        report = self.controller.report
        suggested = Path(self._start_dir()) / (
            f"進捗報告_{fiscal.short_label(report.actual_year)}.{kind}"
        )
        filters = {
            "docx": self.tr("Word 文書 (*.docx)"),
            "xlsx": self.tr("Excel ブック (*.xlsx)"),
            "json": self.tr("JSON (*.json)"),
        }
        name, _ = QFileDialog.getSaveFileName(
            self, self.tr("書き出し先"), str(suggested), filters[kind]
        )
        if name:
            path = Path(name)
            if path.suffix.lower() != f".{kind}":
                path = path.with_name(path.name + f".{kind}")
            self.export_file(path, kind)

    def export_file(self, path: Path, kind: str) -> None:
        """Write the report in the background."""
        if self.controller is None or self.tasks.busy:
            return
        self.controller.flush()
        snapshot = copy.deepcopy(self.controller.report)
        warnings = self.store.warnings(snapshot.actual_year)
        options = self.export_options()

        def work() -> Path:
            if kind == "docx":
                from ..formats import docx

                docx.write(snapshot, path, options)
            elif kind == "xlsx":
                from ..formats import xlsx

                xlsx.write(snapshot, path, options)
            else:
                from ..formats import json

                json.write(snapshot, path, warnings)
            return path

        self.tasks.run(
            self.tr("{0} を書き出しています…").replace("{0}", path.name),
            work,
            self._exported,
            lambda message: self.show_error(self.tr("書き出せませんでした"), message),
        )

    def _exported(self, path: Path) -> None:
        self._remember(path)
        self._last_written = path
        self.open_button.setText(self.tr("{0} を開く").replace("{0}", path.name))
        self.open_button.show()
        self.statusBar().showMessage(
            self.tr("書き出しました: {0}").replace("{0}", str(path)), 15000
        )

    def _open_last_written(self) -> None:
        if self._last_written is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self._last_written)))

    def show_error(self, title: str, message: str) -> None:
        """One clear message (kept in the status bar too)."""
        self.statusBar().showMessage(f"{title}: {message}", 15000)
        QMessageBox.warning(self, title, message)

    # -- the yearly work -----------------------------------------------------------------------
    def show_review(self) -> None:
        """F7: the check before submission."""
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
            report = yearly.rollover(previous, actual=mode)
            replace = False
            if report.actual_year in self.store.years():
                if not self.ask_replace(report.actual_year):
                    return
                replace = True
            if self.controller is not None:
                self.controller.flush()
            from ..core.model import ImportResult
            from ..workspace import save_import

            try:
                save_import(self.store, ImportResult(report, []), replace=replace)
            except Exception as exc:  # the store keeps what it had
                logger.exception("rollover failed")
                self.show_error(self.tr("新年度を作成できませんでした"), str(exc))
                return
            if (
                replace
                and self.controller is not None
                and self.controller.report.actual_year == report.actual_year
            ):
                self.controller.deleteLater()
                self.controller = None
            self.refresh_reports(select=report.actual_year)
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
        self.tasks.run(
            self.tr("{0} を読み込んでいます…").replace("{0}", source.name),
            lambda: read_file(source).report,
            make,
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

        if self.controller is None:
            return

        def preview(previous) -> None:
            self.controller.flush()
            dialog = PrefillDialog(self.controller.report, previous, self)
            if self.confirm_prefill(dialog):
                self.apply_prefill(dialog.plan)

        self.tasks.run(
            self.tr("{0} を読み込んでいます…").replace("{0}", path.name),
            lambda: read_file(path).report,
            preview,
            lambda message: self.show_error(self.tr("読み込めませんでした"), message),
        )

    def confirm_prefill(self, dialog: PrefillDialog) -> bool:
        """Show the preview; True to apply."""
        return dialog.exec() == PrefillDialog.DialogCode.Accepted

    def apply_prefill(self, plan) -> None:
        """Fill the planned plans: one step on the undo history."""
        from ..core.model import STATE_CARRIED
        from .commands import SetFieldCommand, tr

        controller = self.controller
        stack = controller.undo_stack
        stack.beginMacro(tr("取組予定の補完"))
        try:
            for fill in plan.fills:
                entry = fill.entry
                controller.set_text(entry, "plan", fill.previous.plan)
                controller.flush()  # the text first: a later edit clears the mark
                for field, value in (
                    ("plan_state", STATE_CARRIED),
                    ("previous_plan", fill.previous.plan),
                    (
                        "previous_actual",
                        entry.previous_actual
                        if entry.previous_actual is not None
                        else fill.previous.actual,
                    ),
                ):
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
        self.save_layout()
        event.accept()
