"""The year by keyboard alone: where the keyboard goes when a panel or the guide closes."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from kushiro_editor.gui.find.panel import ReplaceAllDialog


def focused():
    return QApplication.focusWidget()


def test_closing_the_guide_gives_the_keyboard_to_the_tree_not_the_filter(window, qtbot):
    window.activateWindow()
    guide = window.show_guide()
    # Before the guide, the filter had the keyboard: ↓ there would change the filter.
    window.pane.departments.setFocus()
    qtbot.keyClick(guide, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not guide.isVisible())
    qtbot.waitUntil(lambda: focused() is window.pane.tree, timeout=2000)
    shown = window.pane.departments.currentText()
    qtbot.keyClick(window.pane.tree, Qt.Key.Key_Down)
    assert window.pane.departments.currentText() == shown


def test_the_open_guide_counts_an_export_it_started(window, qtbot, tmp_path):
    guide = window.show_guide()
    assert guide.states["export"].text() == "まだ書き出していません"
    with qtbot.waitSignal(window.tasks.finished, timeout=30000):
        window.files.export_file(tmp_path / "out.docx", "docx")
    now = datetime.now().astimezone()
    assert guide.states["export"].text() == f"最終書き出し {now.month}月{now.day}日"


def test_f7_puts_the_keyboard_on_the_findings_and_esc_closes_them(window, qtbot):
    window.activateWindow()
    editor = window.pane.view._entries[0].actual
    editor.setFocus()
    qtbot.waitUntil(lambda: focused() is editor, timeout=2000)
    window.review.act_review.trigger()
    panel = window.review.panel
    qtbot.waitUntil(lambda: focused() is panel.tree, timeout=2000)
    toggle = panel.toggleViewAction()
    assert toggle in window.view_menu.actions() and toggle.isChecked()
    qtbot.keyClick(panel.tree, Qt.Key.Key_Escape)
    assert not panel.isVisible() and not toggle.isChecked()
    qtbot.waitUntil(lambda: focused() is editor, timeout=2000)  # back where it was
    toggle.trigger()  # 表示 → 点検結果の一覧 brings it back
    assert panel.isVisible()


def test_esc_closes_find_and_replace_and_the_count_says_what_was_replaced(window, qtbot):
    window.resize(1280, 720)
    window.activateWindow()
    window.pane.tree.setFocus()
    window.find.show_replace()
    panel = window.find.panel
    qtbot.wait(200)
    # A handful of results in view, not a strip.
    rows = panel.results.sizeHintForRow(0) if panel.results.count() else 0
    line = panel.results.fontMetrics().height()
    assert panel.results.height() >= 4 * max(rows, line)
    panel.query.setText("新型コロナウイルス")
    found = len(panel.run())
    panel.replacement.setText("新型コロナ")
    panel.confirm = lambda matches, replacement: True
    panel.replace_current()
    assert panel.summary.text() == f"1 件を置換しました(残り {found - 1} 件)"
    panel.replace_all()
    assert panel.summary.text() == f"{found - 1} 件を置換しました(残り 0 件)"
    panel.query.setFocus()
    qtbot.keyClick(panel.query, Qt.Key.Key_Escape)
    assert not panel.isVisible()
    qtbot.waitUntil(lambda: focused() is window.pane.tree, timeout=2000)


def test_the_replace_all_preview_takes_the_keyboard(window, qtbot):
    window.find.show_find()
    panel = window.find.panel
    panel.query.setText("新型コロナウイルス")
    matches = panel.run()
    dialog = ReplaceAllDialog(window.document.report, matches, "新型コロナ", window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(lambda: focused() is dialog.tree, timeout=2000)
    assert dialog.tree.currentItem() is dialog.tree.topLevelItem(0)
    # Tab goes round the list and the two buttons.
    stops = []
    for _ in range(4):
        qtbot.keyClick(focused(), Qt.Key.Key_Tab)
        stops.append(focused())
    assert dialog.tree in stops
    assert {type(w).__name__ for w in stops} == {"QTreeWidget", "QPushButton"}
    dialog.reject()


def test_the_inquiry_status_is_a_tick_in_the_view_menu(window, qtbot):
    action = window.inquiry.act_status
    assert action.isCheckable() and not action.isChecked()
    action.trigger()
    panel = window.inquiry.panel
    assert panel.isVisible() and action.isChecked()
    action.trigger()
    assert not panel.isVisible() and not action.isChecked()
    action.trigger()
    panel.table.setFocus()
    qtbot.keyClick(panel.table, Qt.Key.Key_Escape)
    assert not panel.isVisible() and not action.isChecked()
