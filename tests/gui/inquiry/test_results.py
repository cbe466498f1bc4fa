"""Inquiry work ends with a result the user sees; dialogs fit a small screen; diffs read by line."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QApplication, QMessageBox

from kushiro_editor.core.merge import MergeReview
from kushiro_editor.gui.inquiry import work
from kushiro_editor.gui.inquiry.dialogs import MergeDialog, PackDialog, change_html
from tests.gui.inquiry.test_inquiry import PLAN, fill, send


def button(box: QMessageBox, text: str):
    """The button of a message box a user reads as ``text``."""
    return next(b for b in box.buttons() if b.text() == text)


def test_packs_end_with_a_message_that_opens_the_folder(window, qtbot, tmp_path, monkeypatch):
    opened = []
    monkeypatch.setattr(work.QDesktopServices, "openUrl", opened.append)
    folder = tmp_path / "packs"
    send(window, qtbot, folder)
    box = window.inquiry.result_box
    assert box.isVisible() and box.text() == "2件の照会用ファイルを作成しました"
    # The panel does not open by itself: it narrows the editor's text columns.
    assert window.inquiry.panel is None
    assert box.defaultButton().text() == "OK"
    button(box, "フォルダを開く").click()
    assert [u.toLocalFile() for u in opened] == [str(folder)]
    send(window, qtbot, folder)
    button(window.inquiry.result_box, "照会状況を表示").click()
    assert window.inquiry.panel.isVisible()


def test_a_folder_of_answers_is_one_review_naming_who_has_not_answered(window, qtbot, tmp_path):
    folder = tmp_path / "packs"
    send(window, qtbot, folder)
    window.inquiry.result_box.close()
    fill(folder / "照会_農林課_R2年度.xlsx", {(0, PLAN): "農林課の予定。"})
    fill(folder / "照会_水産課_R2年度.xlsx", {(0, PLAN): "水産課の予定。"})
    answers = tmp_path / "answers"
    answers.mkdir()
    for name in ("照会_農林課_R2年度.xlsx",):
        (answers / name).write_bytes((folder / name).read_bytes())
    (answers / "メモ.xlsx").write_bytes(b"not a workbook")
    # 水産課 has answered into another copy; 博物館 was never asked.
    (answers / "水産課回答.xlsx").write_bytes((folder / "照会_水産課_R2年度.xlsx").read_bytes())
    seen = {}

    def decide(dialog: MergeDialog) -> bool:
        seen["rows"] = dialog.items.topLevelItemCount()
        seen["notes"] = [dialog.notes.item(i).text() for i in range(dialog.notes.count())]
        return True

    window.inquiry.confirm_merge = decide
    with qtbot.waitSignal(window.tasks.finished, timeout=60000):
        window.inquiry.read_folder(answers)
    assert seen["rows"] == 2
    assert any("メモ.xlsx" in note for note in seen["notes"])
    box = window.inquiry.result_box
    assert box.text() == "2部署の回答を取り込みました"
    assert "メモ.xlsx" in box.informativeText()
    assert "まだ回答のない部署" not in box.informativeText()
    box.close()

    # Only 農林課's answer in the folder: 水産課 is named as not answered yet.
    (answers / "水産課回答.xlsx").unlink()
    with qtbot.waitSignal(window.tasks.finished, timeout=60000):
        window.inquiry.read_folder(answers)
    assert "まだ回答のない部署: 水産課" in window.inquiry.result_box.informativeText()


def test_the_review_and_pack_dialogs_fit_the_screen(window, qtbot, settings):
    room = QApplication.primaryScreen().availableGeometry()
    for dialog in (
        MergeDialog(MergeReview(), window),
        PackDialog(window.document.report, {}, "/tmp", settings, window),
    ):
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        assert room.contains(dialog.frameGeometry()), dialog.windowTitle()
    review = MergeDialog(MergeReview(), window)
    qtbot.addWidget(review)
    review.show()
    for each in (review.ok, review.keep_button, review.take_button, review.edit_button):
        place = QRect(each.mapToGlobal(QPoint(0, 0)), each.size())
        assert each.isVisible() and room.contains(place), each.text()


def test_the_old_and_new_paragraphs_each_start_a_line():
    shown = QTextDocument()
    shown.setHtml(change_html("<p>古い一行目。</p><p>古い二行目。</p>", "<p>・新しい項目。</p>"))
    lines = shown.toPlainText().splitlines()
    assert "・新しい項目。" in lines
    assert "古い二行目。" in lines


FITTED = """
import sys
from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import QApplication, QDialogButtonBox
from kushiro_editor.core.merge import MergeReview
from kushiro_editor.gui.inquiry.dialogs import MergeDialog
app = QApplication([])
dialog = MergeDialog(MergeReview())
dialog.show()
app.processEvents()
room = app.primaryScreen().availableGeometry()
cancel = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Cancel)
for each in (dialog.ok, cancel, dialog.keep_button, dialog.take_button, dialog.edit_button):
    place = QRect(each.mapToGlobal(QPoint(0, 0)), each.size())
    print(each.text(), room.contains(place), each.isVisible())
print("frame", room.contains(dialog.frameGeometry()))
"""


@pytest.mark.parametrize("scale", ["1", "1.5"])
def test_the_review_fits_a_1280x720_screen(tmp_path, scale):
    config = tmp_path / "screen.json"
    size = (1280, 720) if scale == "1" else (1920, 1080)
    one = {"name": "s", "x": 0, "y": 0, "width": size[0], "height": size[1]}
    config.write_text(json.dumps({"screens": [{**one, "logicalDpi": 96, "dpr": 1}]}))
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": f"offscreen:configfile={config}",
        "QT_SCALE_FACTOR": scale,
    }
    out = subprocess.run(
        [sys.executable, "-c", FITTED],
        check=False,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    lines = out.stdout.splitlines()
    assert lines == [
        "決めた回答を取り込む True True",
        "キャンセル True True",
        "現在の文章を残す True True",
        "回答を取り込む True True",
        "合わせて直す… True True",
        "frame True",
    ], out.stderr


def test_the_review_opens_each_text_at_its_first_change_and_shows_which_pane_has_the_keyboard(
    window, qtbot
):
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QPalette

    from kushiro_editor.core.merge import MergeItem
    from kushiro_editor.gui.editor.richedit import FOCUS_BACKGROUND

    goal, direction = next(iter(window.document.report.directions()))
    entry = direction.entries[0]
    sent = "".join(f"<p>{n}行目の変わらない文章です。</p>" for n in range(60))
    answered = sent + "<p>部署が末尾に書き足した一文。</p>"
    answers = MergeReview()
    answers.items.append(MergeItem("農林課", goal, direction, entry, "plan", sent, answered, sent))
    dialog = MergeDialog(answers, window)
    qtbot.addWidget(dialog)
    dialog.resize(1100, 600)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.items.setCurrentItem(None)
    dialog.items.setCurrentItem(dialog.items.topLevelItem(0))
    bar = dialog.department.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0)
    assert bar.value() > 0  # scrolled down to the added sentence, not left at 0行目
    # Tab reaches the panes; the one with the keyboard is tinted like an editor's cell.
    assert dialog.department.focusPolicy() & Qt.FocusPolicy.TabFocus
    dialog.activateWindow()
    dialog.department.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(dialog.department.hasFocus)
    base = QPalette.ColorRole.Base
    assert dialog.department.palette().color(base) == FOCUS_BACKGROUND
    assert dialog.clerk.palette().color(base) != FOCUS_BACKGROUND


def test_tab_in_the_pack_dialog_stops_only_where_something_shows_it(window, qtbot, settings):
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QScrollArea

    dialog = PackDialog(window.document.report, {}, "/tmp", settings, window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    for area in dialog.findChildren(QScrollArea):
        assert area.focusPolicy() == Qt.FocusPolicy.NoFocus
    assert dialog.list.currentRow() == 0
