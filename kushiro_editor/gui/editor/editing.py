"""Editing the texts: undo and redo, bold and lists, saving now, the text size."""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QKeySequence
from PySide6.QtWidgets import QApplication, QWidget

from ..session import Feature, Session
from . import previousplanbox
from .document import ReportDocument
from .reportpane import ReportPane
from .richedit import RichTextEdit

logger = logging.getLogger(__name__)

DEFAULT_SIZE = 10.5


class Editing(Feature):
    """元に戻す, やり直し, 太字, 「・」の箇条書き, すぐに保存, 文字の大きさ."""

    def __init__(self, session: Session, parent: QWidget, pane: ReportPane) -> None:
        super().__init__(session, parent)
        self.pane = pane
        key = QKeySequence.StandardKey
        self.act_undo = self.action(self.tr("元に戻す(&U)"), self.undo, key.Undo)
        self.act_redo = self.action(self.tr("やり直し(&R)"), self.redo, [key.Redo, "Ctrl+Y"])
        self.act_undo.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.act_undo.setEnabled(False)
        self.act_redo.setEnabled(False)
        self.act_bold = self.action(
            self.tr("太字(&B)"), self.toggle_bold, key.Bold, self.tr("選んだ文字を太字にします")
        )
        self.act_list = self.action(
            self.tr("「・」の箇条書き(&L)"),
            self.toggle_list,
            "Ctrl+Shift+L",
            self.tr("段落を「・」の項目にします"),
        )
        self.act_save = self.action(
            self.tr("すぐに保存(&S)"),
            self.save_now,
            key.Save,
            self.tr("入力は自動で保存されます。今すぐ保存します"),
            writes=False,
        )
        self.act_bigger = self.action(
            self.tr("文字を大きく"), lambda: self.zoom(1), [key.ZoomIn, "Ctrl+="], writes=False
        )
        self.act_smaller = self.action(
            self.tr("文字を小さく"), lambda: self.zoom(-1), key.ZoomOut, writes=False
        )
        self.act_normal = self.action(
            self.tr("文字の大きさを標準に"), lambda: self.zoom(0), "Ctrl+0", writes=False
        )
        self.act_previous_plan = self.action(
            self.tr("前年度の取組予定を表示(&P)"),
            lambda: pane.set_previous_plans_visible(self.act_previous_plan.isChecked()),
            "Ctrl+Shift+P",
            self.tr("各行の実績の下に、前年度に予定した取組を表示します"),
            writes=False,
        )
        self.act_previous_plan.setCheckable(True)
        self.act_previous_plan.setChecked(
            session.settings.value(previousplanbox.SETTING, True, type=bool)
        )
        self.act_focus_tree = self.action(
            self.tr("一覧と編集欄を切り替え"), pane.switch_pane, "F6", writes=False
        )

    def document_changed(self, document: ReportDocument | None) -> None:
        """Follow the open report's undo history."""
        self.act_undo.setEnabled(False)
        self.act_redo.setEnabled(False)
        if document is None or self.session.read_only:
            return
        stack = document.undo_stack
        stack.canUndoChanged.connect(self.act_undo.setEnabled)
        stack.canRedoChanged.connect(self.act_redo.setEnabled)
        stack.undoTextChanged.connect(self._undo_text)
        stack.redoTextChanged.connect(self._redo_text)

    def _undo_text(self, text: str) -> None:
        self.act_undo.setText(
            self.tr("元に戻す: {0}").replace("{0}", text) if text else self.tr("元に戻す(&U)")
        )

    def _redo_text(self, text: str) -> None:
        self.act_redo.setText(
            self.tr("やり直し: {0}").replace("{0}", text) if text else self.tr("やり直し(&R)")
        )

    @staticmethod
    def _editor() -> RichTextEdit | None:
        widget = QApplication.focusWidget()
        return widget if isinstance(widget, RichTextEdit) else None

    def undo(self) -> None:
        """Ctrl+Z over text and structure alike."""
        if self.document is not None:
            self.document.undo_stack.undo()

    def redo(self) -> None:
        """Ctrl+Y."""
        if self.document is not None:
            self.document.undo_stack.redo()

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

    def save_now(self) -> None:
        """Ctrl+S: everything is saved automatically; this saves at once."""
        if self.document is not None and self.document.flush():
            self.session.message.emit(self.tr("保存しました。"), 3000)

    def zoom(self, step: int) -> None:
        """The editors' text size."""
        font = QFont(self.pane.editor_font)
        size = DEFAULT_SIZE if step == 0 else min(max(font.pointSizeF() + step, 8), 20)
        font.setPointSizeF(size)
        self.session.settings.setValue("view/font_size", size)
        self.pane.set_editor_font(font)
