"""The smaller faults of the window, each as a user meets it."""

from __future__ import annotations

import re

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMenu, QToolButton

from kushiro_editor.core import edits
from kushiro_editor.core.model import ImportResult
from kushiro_editor.gui.find.panel import ReplaceAllDialog
from kushiro_editor.workspace import save_import
from tests.gui.conftest import ime_commit


def choose_department(window, name):
    combo = window.pane.departments
    index = combo.findData(name)
    assert index > 0, name
    combo.setCurrentIndex(index)


def shown_entries(window):
    return [w.entry for w in window.pane.view._entries if w.isVisible()]


def test_renaming_a_row_under_the_filter_keeps_it_in_view(window, qtbot):
    choose_department(window, "教育支援課")
    view = window.pane.view
    direction = view.direction
    widget = next(w for w in view._entries if w.isVisible())
    entry = widget.entry
    widget.departments.setPlainText("教育支援課\n学校教育課")
    widget.departments.editing_finished.emit()
    widget.departments.setPlainText("学校教育課")
    widget.departments.editing_finished.emit()
    assert entry.departments == ["学校教育課"]
    assert view.direction is direction
    assert entry in shown_entries(window)
    assert window.pane.selected_node() is direction
    # Clearing the filter then stays on it too.
    window.pane.departments.setCurrentIndex(0)
    assert view.direction is direction
    assert window.pane.selected_node() is direction


def test_clearing_the_filter_stays_on_the_direction(window, qtbot):
    choose_department(window, "教育支援課")
    report = window.document.report
    wanted = [
        d for _g, d in report.directions() if any("教育支援課" in e.departments for e in d.entries)
    ]
    target = wanted[-1]
    window.pane.select_node(target)
    assert window.pane.view.direction is target
    window.pane.departments.setCurrentIndex(0)
    assert window.pane.view.direction is target
    assert window.pane.selected_node() is target
    assert len(shown_entries(window)) == len(target.entries)


def listed(window):
    combo = window.pane.departments
    return [combo.itemData(i) for i in range(1, combo.count())]


def test_departments_are_listed_in_the_office_order(window):
    report = window.document.report
    first_named = list(dict.fromkeys(n for _g, _d, e in report.entries() for n in e.departments))
    # Without an office list: as the report first names them, not by how many rows.
    assert listed(window) == first_named
    office = sorted(first_named)[:5]
    window.store.set_department_list(office)
    window.session.departments_changed.emit()
    assert listed(window) == office + [n for n in first_named if n not in office]


def test_switching_the_year_says_the_undo_history_is_left_behind(window, qtbot, sample_result):
    report = sample_result.report
    report.actual_year = 2021

    save_import(window.store, ImportResult(report, []))
    window.refresh_reports(select=2020)
    window.structure.add_entry()
    assert window.document.undo_stack.count() == 1
    window.reports.setCurrentIndex(window.reports.findData(2021))
    assert window.document.report.actual_year == 2021
    message = window.statusBar().currentMessage()
    assert "R2年度" in message and "元に戻す" in message


def test_search_results_follow_replace_all_and_its_undo(window, qtbot):
    window.find.show_find()
    panel = window.find.panel
    panel.query.setText("新型コロナウイルス")
    found = panel.run()
    panel.replacement.setText("新型コロナ")
    panel.confirm = lambda matches, replacement: True
    panel.replace_all()
    assert panel.results.count() == 0
    window.document.undo_stack.undo()
    # Listed again without searching by hand: the old list pointed at replaced text.
    qtbot.waitUntil(lambda: panel.results.count() == len(found), timeout=2000)
    assert str(len(found)) in panel.summary.text()
    window.document.undo_stack.redo()
    qtbot.waitUntil(lambda: panel.results.count() == 0, timeout=2000)


def test_the_replace_all_preview_shows_the_replaced_text(window, qtbot):

    window.find.show_find()
    panel = window.find.panel
    panel.query.setText("事業")
    matches = panel.run()
    dialog = ReplaceAllDialog(window.document.report, matches, "取組", window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    header = dialog.tree.header()
    width = dialog.tree.viewport().width()
    assert header.sectionViewportPosition(2) + header.sectionSize(2) <= width + 1
    assert header.sectionSize(2) >= width // 4
    assert header.sectionSize(1) >= width // 4
    item = dialog.tree.topLevelItem(0)
    assert "取組" in item.text(2) and item.toolTip(2) == item.text(2)


def access_keys(menu):

    keys = []
    for action in menu.actions():
        found = re.search(r"&(\w)", action.text())
        if found and not action.isSeparator():
            keys.append(found.group(1).upper())
    return keys


def test_each_menu_uses_an_access_key_once(window):

    menus = window.menuBar().findChildren(QMenu)
    assert window.file_menu in menus and window.edit_menu in menus
    for menu in menus:
        keys = access_keys(menu)
        assert len(keys) == len(set(keys)), (menu.title(), keys)
    assert window.act_quit.text() == "終了(&X)"
    assert "&X" not in window.files.act_export_xlsx.text()


def test_toolbar_buttons_have_no_access_keys_and_keep_their_width(window, qtbot):
    toolbar = window.toolbar
    undo = toolbar.widgetForAction(window.editing.act_undo)
    buttons = [toolbar.widgetForAction(a) for a in toolbar.actions()]
    texts = [b.text() for b in buttons if isinstance(b, QToolButton)]
    assert len(texts) == 8
    assert not [t for t in texts if "&" in t or "(" in t]
    assert toolbar.widgetForAction(window.editing.act_bold).text() == "太字"
    # Their tooltips name them and their keys, not the menu's access key (元に戻す(U)).
    tips = [b.toolTip() for b in buttons if isinstance(b, QToolButton)]
    assert not [t for t in tips if re.search(r"\([A-Z]\)$", t)]
    assert undo.toolTip() == "元に戻す(Ctrl+Z)"
    width = undo.width()
    window.structure.add_entry()
    assert window.editing.act_undo.text().startswith("元に戻す: ")
    qtbot.wait(10)
    assert undo.text() == "元に戻す"
    assert undo.width() == width


def test_the_new_year_dialog_says_which_year_it_creates(window, qtbot, sample_result):
    from kushiro_editor.gui.year.dialogs import RolloverDialog

    dialog = RolloverDialog([2021, 2020], "", window)
    qtbot.addWidget(dialog)
    assert "R4年度(2022年度)の報告を作成します" in dialog.creates.text()
    assert "R4年度(実績)" in dialog.creates.text() and "R5年度(取組予定)" in dialog.creates.text()
    assert dialog.ok.text() == "R4年度を作成する"
    dialog.years.setCurrentIndex(1)
    assert dialog.creates.text().startswith("R3年度(2021年度)の報告を作成します")
    dialog.from_file.setChecked(True)
    assert "翌年度" in dialog.creates.text()


def test_confirm_and_compare_only_where_something_was_carried_over(window, qtbot):
    view = window.pane.view
    widget = next(w for w in view._entries if w.isVisible())
    # The sample was imported, not carried over: nothing to confirm or compare.
    assert not widget.confirm_button.isVisible()
    assert not widget.compare_button.isVisible()
    window.year.rollover(2020, "plan")
    widget = next(w for w in window.pane.view._entries if w.isVisible())
    assert widget.confirm_button.isVisible() and widget.compare_button.isVisible()
    carried_colour = widget.left_box.palette().window().color().name()
    qtbot.mouseClick(widget.confirm_button, Qt.MouseButton.LeftButton)
    # Confirmed: the button goes, the row says so and looks it; comparing stays possible.
    assert not widget.confirm_button.isVisible()
    assert widget.compare_button.isVisible()
    assert widget.state_text == "✓ 確認済み(前年度から引継ぎ)"
    assert widget.left_box.autoFillBackground()
    assert widget.left_box.palette().window().color().name() not in (carried_colour, "#000000")
    window.document.undo_stack.undo()
    assert widget.confirm_button.isVisible()
    assert widget.left_box.palette().window().color().name() == carried_colour


def test_the_snapshot_comparison_shows_whole_texts_and_headings(window, qtbot):
    from kushiro_editor.gui.snapshots.work import SnapshotDialog

    window.snapshots.take_snapshot("manual", "比較用")
    entry = window.document.report.goals[0].directions[0].entries[0]
    long_text = "長い文章を書いた。" * 20
    window.document.apply("書き換え", [edits.SetField(entry, "actual", f"<p>{long_text}</p>")])
    dialog = SnapshotDialog(window.snapshots, window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog._compare()
    item = dialog.details.topLevelItem(0)
    assert item.text(3) == long_text and item.toolTip(3) == long_text
    header = dialog.details.header()
    heading = header.fontMetrics().horizontalAdvance("スナップショット")
    assert header.sectionSize(2) > heading and header.sectionSize(3) > heading
    width = dialog.details.viewport().width()
    assert header.sectionViewportPosition(3) + header.sectionSize(3) <= width + 1


def test_the_second_window_message_names_no_process_or_lock_file(qapp):
    from kushiro_editor.gui.app import read_only_box

    box = read_only_box()
    text = box.text() + box.informativeText()
    assert "すでに開いています" in text
    for hidden in ("PID", "pid", ".lock", "/", "\\\\"):
        assert hidden not in text
    assert [b.text() for b in box.buttons()] == ["読み取り専用で開く", "終了"]


def test_recent_files_are_the_imported_ones_and_open_by_importing(
    window, qtbot, tmp_path, monkeypatch
):
    exported = tmp_path / "out.docx"
    with qtbot.waitSignal(window.tasks.finished, timeout=30000):
        window.files.export_file(exported, "docx")
    assert window.files.recent_menu.actions() == []
    monkeypatch.setattr(window.session, "ask_replace", lambda parent, year: True)
    with qtbot.waitSignal(window.tasks.finished, timeout=30000):
        window.files.import_file(exported)
    actions = window.files.recent_menu.actions()
    assert [a.statusTip() for a in actions] == [str(exported)]
    opened = []
    monkeypatch.setattr(
        "PySide6.QtGui.QDesktopServices.openUrl", lambda url: opened.append(url) or True
    )
    with qtbot.waitSignal(window.tasks.finished, timeout=30000):
        actions[0].trigger()
    assert opened == []
    assert "out.docx を取り込みました" in window.statusBar().currentMessage()


def test_the_department_filter_finds_a_name_by_any_part_of_it(window, qtbot):
    combo = window.pane.departments
    office = ["産業推進室", "水産課", "農林課"]  # not the order the report names them in
    window.store.set_department_list(office)
    window.pane.refresh_departments()
    names = [combo.itemData(i) for i in range(1, combo.count())]
    # The office's own order first, then the others as the report first names them.
    assert names[:3] == office
    combo.setFocus()
    combo.lineEdit().selectAll()
    ime_commit(combo.lineEdit(), "水産")
    completer = combo.completer()
    qtbot.waitUntil(lambda: completer.popup().isVisible(), timeout=2000)
    shown = [
        completer.completionModel().index(row, 0).data()
        for row in range(completer.completionModel().rowCount())
    ]
    assert shown and all("水産" in text for text in shown)
    qtbot.keyClick(completer.popup(), Qt.Key.Key_Down)
    qtbot.keyClick(completer.popup(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.pane.department == "水産課", timeout=2000)
    assert all("水産課" in e.departments for e in shown_entries(window))


def test_text_that_names_no_department_leaves_the_filter_as_it_was(window, qtbot):
    combo = window.pane.departments
    before = combo.currentText()
    combo.setFocus()
    combo.lineEdit().selectAll()
    ime_commit(combo.lineEdit(), "存在しない部署")
    combo.lineEdit().editingFinished.emit()
    assert window.pane.department == ""
    assert combo.currentText() == before


def test_a_new_row_is_scrolled_into_view(window, qtbot):
    window.resize(1280, 720)
    view = window.pane.view
    direction = max(
        (d for _g, d in window.document.report.directions()), key=lambda d: len(d.entries)
    )
    window.pane.select_node(direction)
    qtbot.waitUntil(lambda: view.direction is direction)
    view.verticalScrollBar().setValue(0)
    last = direction.entries[-1]
    view.add_entry(after=last)
    new = direction.entries[-1]
    widget = view.entry_widget(new)
    qtbot.waitUntil(widget.departments.hasFocus, timeout=2000)
    qtbot.wait(100)  # the row's texts are laid out, and the row has its height
    # The whole row is in view, its two text cells too, not only its first line.
    top = widget.mapTo(view.viewport(), widget.rect().topLeft()).y()
    assert widget.height() > 3 * widget.departments.height()
    assert top >= 0
    assert top + widget.height() <= view.viewport().height()


def test_with_no_direction_shown_nothing_offers_to_add_to_one(window, qtbot):
    view = window.pane.view
    view.show_direction(None)
    assert not view.fold_button.isVisible()
    assert not view.details.isVisible()
    assert not view.entries_heading.isVisible()
    labels = [b.text() for b in view.findChildren(QToolButton) if b.isVisible()]
    assert "＋ 所管部署の行を追加" not in labels and "＋ 施策を追加" not in labels
    # A direction shown again brings them back.
    direction = next(d for _g, d in window.document.report.directions())
    view.show_direction(direction)
    assert view.fold_button.isVisible() and view.entries_heading.isVisible()


def busiest_direction(window):
    return max((d for _g, d in window.document.report.directions()), key=lambda d: len(d.entries))


def row_menu(widget):
    menu = widget.actions.menu()
    menu.aboutToShow.emit()
    return {action.text(): action for action in menu.actions() if action.text()}


def test_the_row_menu_offers_only_the_moves_a_row_can_make_and_shows_their_keys(window, qtbot):
    direction = busiest_direction(window)
    window.pane.select_node(direction)
    view = window.pane.view
    qtbot.waitUntil(lambda: view.direction is direction)
    first = row_menu(view.entry_widget(direction.entries[0]))
    middle = row_menu(view.entry_widget(direction.entries[1]))
    last = row_menu(view.entry_widget(direction.entries[-1]))
    assert not first["上へ移動"].isEnabled() and first["下へ移動"].isEnabled()
    assert middle["上へ移動"].isEnabled() and middle["下へ移動"].isEnabled()
    assert last["上へ移動"].isEnabled() and not last["下へ移動"].isEnabled()
    assert first["下へ移動"].shortcut().toString() == "Ctrl+Shift+Down"
    assert first["下へ移動"].isShortcutVisibleInContextMenu()


def test_ctrl_shift_down_in_a_row_moves_that_row_and_keeps_the_cursor_in_it(window, qtbot):
    direction = busiest_direction(window)
    window.pane.select_node(direction)
    view = window.pane.view
    qtbot.waitUntil(lambda: view.direction is direction)
    moved, other = direction.entries[0], direction.entries[1]
    editor = view.entry_widget(moved).plan
    editor.setFocus()
    qtbot.waitUntil(editor.hasFocus)
    qtbot.keyClick(
        editor,
        Qt.Key.Key_Down,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    qtbot.waitUntil(lambda: direction.entries[1] is moved, timeout=2000)
    assert direction.entries[0] is other
    # The tree's order is untouched, and the keyboard is still in the moved row's plan.
    assert window.pane.selected_node() is direction

    def moved_row_has_the_keyboard():
        # The row's widget is looked up again: a moved row is bound to another one.
        return view.entry_widget(moved).plan.hasFocus()

    qtbot.waitUntil(moved_row_has_the_keyboard, timeout=2000)
