"""The window's actions, menus and toolbar, with the shortcuts Windows users expect."""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QLabel

logger = logging.getLogger(__name__)


class MenuMixin:
    """Builds the main window's actions, menus and toolbar."""

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
        self.act_packs = self._action(
            self.tr("照会用ファイルを作成(&Q)…"),
            self.packs_dialog,
            None,
            self.tr("部署ごとに記入用の Excel を作ります"),
        )
        self.act_answers = self._action(
            self.tr("照会回答を取り込み(&A)…"),
            self.answers_dialog,
            None,
            self.tr("部署から返ってきた Excel を確認して取り込みます"),
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
        self.act_snapshots = self._action(
            self.tr("スナップショット(&T)…"),
            self.snapshot_dialog,
            None,
            self.tr("データファイルの写しを作る・比べる・戻す"),
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
        file_menu.addAction(self.act_packs)
        file_menu.addAction(self.act_answers)
        file_menu.addSeparator()
        self.recent_menu = file_menu.addMenu(self.tr("最近使ったファイル(&R)"))
        self._fill_recent()
        file_menu.addSeparator()
        file_menu.addAction(self.act_snapshots)
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
