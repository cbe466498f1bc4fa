"""A question in a message box keeps its lines whole (Japanese breaks between any two
characters, and a box wraps at about 500 pixels); its explanation wraps below it; and
a dialog's title carries no application name for a narrow box to cut."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtGui import QFontMetrics, QGuiApplication
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox

from kushiro_editor.core import snapshots
from kushiro_editor.gui.shared.messages import Button, message_box

LONG = "令和2年度の報告を「2026年12月3日 16時16分 照会回答の取り込みの前」の状態に戻しますか？"


def _whole(box: QMessageBox, question: str) -> list[str]:
    """The question's lines that the box's label would wrap."""
    label = box.findChild(QLabel, "qt_msgbox_label")
    metrics = QFontMetrics(label.font())
    room = label.contentsRect().width()
    return [line for line in question.split("\n") if metrics.horizontalAdvance(line) > room]


def test_a_long_question_is_not_broken_mid_word(qtbot):
    box = message_box(None, QMessageBox.Icon.Question, "戻す", LONG, "説明の文章。" * 20)
    qtbot.addWidget(box)
    box.show()
    qtbot.waitExposed(box)
    assert _whole(box, LONG) == []
    room = QGuiApplication.primaryScreen().availableGeometry()
    assert room.contains(box.frameGeometry())
    # A plain box wraps the same question: the check above is what the helper adds.
    plain = QMessageBox(QMessageBox.Icon.Question, "戻す", LONG)
    qtbot.addWidget(plain)
    plain.show()
    qtbot.waitExposed(plain)
    assert _whole(plain, LONG) != []


def test_the_restore_question_shows_whole_lines_and_a_short_title(window, qtbot):
    window.document.flush()
    snapshot = snapshots.take(window.store, "merge", "提出前に確かめた版 2026年12月3日")
    seen = {}

    def answer() -> None:
        box = QApplication.activeModalWidget()
        seen["title"] = box.windowTitle()
        seen["text"] = box.text()
        seen["detail"] = box.informativeText()
        seen["broken"] = _whole(box, box.text())
        box.button(Button.No).click()

    QTimer.singleShot(0, answer)
    assert window.snapshots.confirm_restore(snapshot) is False
    assert seen["title"] == "スナップショットから戻す"
    assert seen["text"].endswith("の状態に戻しますか？")
    assert "取り消せます" in seen["detail"]
    assert seen["broken"] == []
    # No display name: Qt would add 「 — 釧路市 進捗報告エディタ」 to every dialog.
    assert QGuiApplication.applicationDisplayName() == QGuiApplication.applicationName()


def test_naming_a_snapshot_asks_in_a_dialog_wide_enough_for_its_title(window, qtbot):
    from kushiro_editor.gui.snapshots.work import SnapshotDialog

    dialog = SnapshotDialog(window.snapshots, window)
    qtbot.addWidget(dialog)
    seen = {}

    def answer() -> None:
        box = QApplication.activeModalWidget()
        seen["title"] = box.windowTitle()
        metrics = QFontMetrics(box.font())
        seen["room"] = box.width() - metrics.horizontalAdvance(box.windowTitle())
        box.setTextValue("提出版")
        box.accept()

    QTimer.singleShot(0, answer)
    dialog._create()
    assert seen["title"] == "スナップショットの名前"
    assert seen["room"] >= 120  # the title bar's icon and close button beside the whole title
    assert [s.name for s in snapshots.snapshots(window.store.path)][:1] == ["提出版"]
