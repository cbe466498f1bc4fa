"""The editor window, driven as a planning officer uses it."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtTest import QAbstractItemModelTester

from kushiro_editor.core import richtext
from kushiro_editor.core.model import Direction, Entry, Goal, Measure
from kushiro_editor.gui.editor import richedit
from tests.gui.conftest import fresh, ime_commit, type_into

ROOT = Path(__file__).resolve().parents[2]


def shown_entries(window):
    return [w.entry for w in window.pane.view._entries if w.isVisible()]


def test_the_tree_model_is_sound(window):
    model = window.document.tree
    QAbstractItemModelTester(model, QAbstractItemModelTester.FailureReportingMode.Fatal)
    QAbstractItemModelTester(
        window.pane.filter, QAbstractItemModelTester.FailureReportingMode.Fatal
    )
    assert model.rowCount() == 4
    goal = model.index(0, 0)
    assert (
        goal.data()
        == "【基本目標1】地域の魅力を生かして、経済・産業・交流人口・関係人口の拡大を目指す"
    )
    direction = model.index(0, 0, goal)
    assert direction.data() == "① 釧路らしさを生み出す農林水産業の成長産業化"
    assert model.index(0, 1, goal).data() == "2"
    assert model.index(0, 0, direction).data() == "ア 持続的成長を目指した水産業の振興"
    # Structural changes keep it sound (the tester stays attached and checks each signal).
    window.pane.select_node(window.document.report.goals[0].directions[0])
    window.structure.add_direction()
    window.document.undo_stack.undo()
    window.document.move(window.document.report.goals[1], window.document.report, 0)
    window.document.undo_stack.undo()


def test_opening_shows_the_first_direction_with_all_departments(window):
    assert window.pane.view.title.text() == "① 釧路らしさを生み出す農林水産業の成長産業化"
    assert [e.departments for e in shown_entries(window)] == [["農林課"], ["水産課"]]
    assert window.pane.view.heading_actual.text() == "R2年度(実績)"
    assert window.pane.view.heading_plan.text() == "R3年度(取組予定)"
    assert "保存済み" in window.windowTitle()


def test_choosing_a_direction_and_a_measure(window, qtbot):
    report = window.document.report
    tourism = report.goals[0].directions[2]
    window.pane.select_node(tourism)
    assert window.pane.view.direction is tourism
    shown = [w.departments.toPlainText() for w in window.pane.view._entries if w.isVisible()]
    assert shown == [
        "観光振興室",
        "阿寒観光振興課",
        "観光振興室\n阿寒観光振興課",
        "阿寒観光振興課",
        "港湾空港課",
        "阿寒地域振興課",
        "博物館",
    ]
    measure = report.goals[3].directions[0].measures[4]
    window.pane.select_node(measure)
    assert window.pane.view.direction is report.goals[3].directions[0]
    assert window.pane.view.details.isVisible()
    widget = window.pane.view.measure_widget(measure)
    assert widget.highlighted and widget.autoFillBackground()


def test_typing_japanese_reaches_the_store(window, qtbot, store_path):
    widget = window.pane.view._entries[0]
    with qtbot.waitSignal(
        window.document.saved_changed, timeout=3000, check_params_cb=lambda saved: saved
    ):
        type_into(qtbot, widget.actual, "追記：新規就農者を3名受け入れた。")
    assert "保存済み" in window.windowTitle()
    entry = fresh(store_path).goals[0].directions[0].entries[0]
    assert richtext.to_plain(entry.actual).endswith("追記：新規就農者を3名受け入れた。")
    assert widget.actual_count.text() == f"{richtext.char_count(entry.actual):,}字"


def test_bold_undo_and_redo(window, qtbot, store_path):
    editor = window.pane.view._entries[1].plan
    editor.setFocus()
    editor.moveCursor(QTextCursor.MoveOperation.Start)
    editor.moveCursor(QTextCursor.MoveOperation.EndOfWord, QTextCursor.MoveMode.KeepAnchor)
    selected = editor.textCursor().selectedText()
    qtbot.keyClick(editor, Qt.Key.Key_B, Qt.KeyboardModifier.ControlModifier)
    window.document.flush()
    plan = fresh(store_path).goals[0].directions[0].entries[1].plan
    assert f"<b>{selected}</b>" in plan
    qtbot.keyClick(editor, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    window.document.flush()
    assert "<b>" not in fresh(store_path).goals[0].directions[0].entries[1].plan
    qtbot.keyClick(editor, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    window.document.flush()
    assert f"<b>{selected}</b>" in fresh(store_path).goals[0].directions[0].entries[1].plan


def test_one_undo_history_for_text_and_structure(window, qtbot, store_path):
    direction = window.pane.view.direction
    type_into(qtbot, window.pane.view._entries[0].plan, "追加する。")
    window.structure.add_entry()
    assert len(direction.entries) == 3
    window.pane.view._entries[2].departments.setPlainText("博物館")
    window.pane.view._entries[2].departments.editing_finished.emit()
    assert fresh(store_path).goals[0].directions[0].entries[2].departments == ["博物館"]
    stack = window.document.undo_stack
    stack.undo()  # the department
    stack.undo()  # the new row
    assert len(direction.entries) == 2
    assert len(fresh(store_path).goals[0].directions[0].entries) == 2
    stack.undo()  # the typing
    window.document.flush()
    assert "追加する。" not in richtext.to_plain(
        fresh(store_path).goals[0].directions[0].entries[0].plan
    )
    stack.redo()
    stack.redo()
    assert len(fresh(store_path).goals[0].directions[0].entries) == 3


def test_lists_and_line_breaks(window, qtbot, store_path):
    """Word-like 「・」 items: Enter continues the list, Enter on an empty item ends it."""
    editor = window.pane.view._entries[0].actual  # ends with a 「・」 list
    editor.setFocus()
    editor.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClick(editor, Qt.Key.Key_Return)  # a new item, 「・」 already typed
    ime_commit(editor, "最後の項目")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.keyClick(editor, Qt.Key.Key_Return)  # on the empty item: the list ends
    ime_commit(editor, "段落")
    window.document.flush()
    actual = fresh(store_path).goals[0].directions[0].entries[0].actual
    assert actual.endswith("<li>・最後の項目</li></ul><p>段落</p>")
    qtbot.keyClick(
        editor,
        Qt.Key.Key_L,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    qtbot.keyClick(editor, Qt.Key.Key_End)
    qtbot.keyClick(editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    ime_commit(editor, "改行の後")
    window.document.flush()
    actual = fresh(store_path).goals[0].directions[0].entries[0].actual
    assert actual.endswith("<li>・最後の項目</li><li>・段落<br>改行の後</li></ul>")


def test_paste_keeps_only_the_subset(window, qtbot, store_path):
    editor = window.pane.view._entries[1].actual
    editor.setFocus()
    editor.moveCursor(QTextCursor.MoveOperation.End)
    data = QMimeData()
    data.setHtml(
        "<html><head><style>p{color:red}</style></head><body>"
        "<p class=MsoNormal style=\"font-family:'ＭＳ 明朝';color:#ff0000\">"
        '<span style="font-size:20pt;font-weight:bold">貼り付け</span>た文章'
        '<img src="file:///C:/x.png"><a href="http://example.invalid">リンク</a></p>'
        "<table><tr><td>表の</td><td>セル</td></tr></table></body></html>"
    )
    editor.insertFromMimeData(data)
    window.document.flush()
    actual = fresh(store_path).goals[0].directions[0].entries[1].actual
    # The first pasted paragraph joins the item being typed; the table's cells follow
    # as a paragraph of their text.
    assert actual.endswith("<b>貼り付け</b>た文章リンク</li></ul><p>表の セル</p>")
    for forbidden in ("font", "color", "img", "href", "table", "style", "ＭＳ"):
        assert forbidden not in actual


def test_department_filter(window):
    combo = window.pane.departments
    index = next(i for i in range(combo.count()) if combo.itemData(i) == "教育支援課")
    assert combo.itemText(index) == "教育支援課 (5)"
    combo.setCurrentIndex(index)
    visible = []
    model = window.pane.filter
    for row in range(model.rowCount()):
        goal = model.index(row, 0)
        for sub in range(model.rowCount(goal)):
            visible.append(model.index(sub, 0, goal).data(Qt.ItemDataRole.UserRole + 1))
    assert all(any("教育支援課" in e.departments for e in d.entries) for d in visible)
    assert len(visible) == 4
    assert window.pane.view.direction in visible
    assert all(e.departments == ["教育支援課"] for e in shown_entries(window))
    assert model.index(0, 1, model.index(0, 0)).data() == "1"
    combo.setCurrentIndex(0)
    assert model.rowCount() == 4


def test_find_and_replace_all_is_one_undo_step(window, store_path):
    window.find.show_find()
    panel = window.find.panel
    panel.query.setText("新型コロナウイルス")
    found = panel.run()
    assert len(found) > 10
    assert panel.results.count() == len(found)
    assert "件見つかりました" in panel.summary.text()
    panel.replacement.setText("新型コロナ")
    previews = []
    panel.confirm = lambda matches, replacement: previews.append(len(matches)) or True
    assert panel.replace_all() == len(found)
    assert previews == [len(found)]
    text = richtext.to_plain(fresh(store_path).goals[0].directions[1].entries[1].actual)
    assert "新型コロナウイルス" not in text and "新型コロナの影響" in text
    assert panel.run() == []
    window.document.undo_stack.undo()
    window.document.flush()
    assert len(panel.run()) == len(found)


def test_find_ignores_width_and_jumps(window, qtbot):
    window.find.show_find()
    panel = window.find.panel
    panel.query.setText("ｐｒ")
    matches = panel.run()
    assert matches and all(m.text[m.start : m.end].upper() == "PR" for m in matches)
    panel.fold.setChecked(False)
    assert panel.run() == []
    panel.fold.setChecked(True)
    panel.query.setText("旬産旬消")
    match = panel.run()[0]
    panel.results.setCurrentRow(0)
    panel._activated(panel.results.item(0))
    editor = window.pane.view.editor_for(match.node, match.field)
    assert window.pane.view.direction.entries[1] is match.node
    assert editor.textCursor().selectedText() == "旬産旬消"


def test_add_rename_move_delete_with_undo(window, store_path, monkeypatch):
    document = window.document
    report = document.report
    monkeypatch.setattr(window.structure, "confirm_delete", lambda node: True)
    # Rename a direction in the tree.
    direction = report.goals[0].directions[1]
    index = window.pane.filter.mapFromSource(document.tree.index_of(direction))
    window.pane.filter.setData(index, "食の販路拡大")
    assert fresh(store_path).goals[0].directions[1].title == "食の販路拡大"
    # Move a measure down by drag and drop: labels follow positions.
    first = report.goals[0].directions[0].measures[0]
    data = document.tree.mimeData([document.tree.index_of(first)])
    document.tree.dropMimeData(
        data,
        Qt.DropAction.MoveAction,
        3,
        0,
        document.tree.index_of(report.goals[0].directions[0]),
    )
    labels = [(m.label, m.title[:6]) for m in report.goals[0].directions[0].measures]
    assert labels == [("ア", "生産基盤の強"), ("イ", "森林資源の循"), ("ウ", "持続的成長を")]
    stored = fresh(store_path).goals[0].directions[0].measures
    assert [m.title[:6] for m in stored] == ["生産基盤の強", "森林資源の循", "持続的成長を"]
    # A direction moves to another goal by drag and drop.
    data = document.tree.mimeData([document.tree.index_of(direction)])
    document.tree.dropMimeData(
        data, Qt.DropAction.MoveAction, 0, 0, document.tree.index_of(report.goals[1])
    )
    assert report.goals[1].directions[0] is direction and direction.number == 1
    assert fresh(store_path).goals[1].directions[0].title == "食の販路拡大"
    # Delete a goal with everything under it.
    window.pane.select_node(report.goals[3])
    window.structure.delete_selected()
    assert len(fresh(store_path).goals) == 3
    for _ in range(4):
        document.undo_stack.undo()
    after = fresh(store_path)
    assert (
        len(after.goals) == 4
        and after.goals[0].directions[1].title == "釧路の「食」の高付加価値化と地場産品の販路拡大"
    )
    assert [m.title[:6] for m in after.goals[0].directions[0].measures] == [
        "持続的成長を",
        "生産基盤の強",
        "森林資源の循",
    ]
    assert after.goals[3].directions[1].entries[-1].departments == ["高等看護学院"]


def test_add_goal_direction_measure_and_project(window, store_path):
    document = window.document
    window.pane.select_node(document.report.goals[3])
    window.structure.add_goal()
    assert [g.number for g in document.report.goals] == [1, 2, 3, 4, 5]
    assert document.report.goals[4].title == "新しい基本目標"
    window.pane.select_node(document.report.goals[0].directions[0])
    window.structure.add_measure()
    window.pane.view.add_project()
    stored = fresh(store_path)
    assert len(stored.goals) == 5
    assert stored.goals[0].directions[0].measures[-1].title == "新しい施策"
    assert stored.goals[0].directions[0].measures[-1].label == "エ"
    assert stored.goals[0].directions[0].main_projects[-1].name == "新しい事業"


def test_relisted_and_project_rename(window, store_path):
    view = window.pane.view
    view.set_details_visible(True)
    model = view.projects
    model.setData(model.index(0, 1), Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole)
    model.setData(model.index(1, 0), "コンブ漁場整備事業(改)")
    stored = fresh(store_path).goals[0].directions[0].main_projects
    assert stored[0].relisted and stored[1].name == "コンブ漁場整備事業(改)"
    window.document.undo_stack.undo()
    window.document.undo_stack.undo()
    stored = fresh(store_path).goals[0].directions[0].main_projects
    assert not stored[0].relisted and stored[1].name == "コンブ漁場整備事業"


def test_warnings_jump_to_their_entry(window):
    panel = window.warnings_panel
    assert panel.list.count() == 12
    item = next(
        panel.list.item(i)
        for i in range(panel.list.count())
        if panel.list.item(i).text().startswith("93行目: 教育支援課")
    )
    panel._activated(item)
    report = window.document.report
    assert window.pane.view.direction is report.goals[2].directions[2]
    widget = window.pane.view.entry_widget(report.goals[2].directions[2].entries[1])
    assert widget.actual.hasFocus()


def test_alt_arrows_move_between_departments(window, qtbot):
    window.pane.select_node(window.document.report.goals[0].directions[2])
    widgets = [w for w in window.pane.view._entries if w.isVisible()]
    widgets[0].plan.setFocus()
    qtbot.keyClick(widgets[0].plan, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    assert widgets[1].plan.hasFocus()
    qtbot.keyClick(widgets[1].plan, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    assert widgets[0].plan.hasFocus()


def test_closing_saves_without_asking(make_window, sample_store, store_path, qtbot, monkeypatch):
    window = make_window(store_path)
    asked = []
    monkeypatch.setattr("kushiro_editor.gui.mainwindow.ask", lambda *a, **k: asked.append(a))
    editor = window.pane.view._entries[0].plan
    type_into(qtbot, editor, "閉じる直前の入力")
    assert not window.document.is_saved
    window.close()
    assert asked == []
    plan = fresh(store_path).goals[0].directions[0].entries[0].plan
    assert richtext.to_plain(plan).endswith("閉じる直前の入力")


def test_a_failing_store_keeps_the_text_and_retries(window, qtbot, store_path, monkeypatch):
    original = window.store.update
    calls = []

    def failing(changes, known=None):
        calls.append(1)
        if len(calls) == 1:
            raise sqlite3.OperationalError("disk I/O error")
        return original(changes, known)

    monkeypatch.setattr(window.store, "update", failing)
    shown = []
    monkeypatch.setattr(window, "show_store_failure", shown.append)
    type_into(qtbot, window.pane.view._entries[0].actual, "失われない")
    assert not window.document.flush()
    assert "保存できていません" in window.saved_label.text()
    assert len(shown) == 1 and "store.sqlite3" in shown[0]
    assert window.document.flush()
    assert "失われない" in richtext.to_plain(
        fresh(store_path).goals[0].directions[0].entries[0].actual
    )


def test_a_store_locked_by_another_program_is_one_dialog_and_nothing_lost(
    window, qtbot, store_path, monkeypatch
):
    shown = []
    monkeypatch.setattr(window, "show_store_failure", shown.append)
    window.store.conn.execute("PRAGMA busy_timeout=200")
    other = sqlite3.connect(store_path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another program holds the write lock
    try:
        type_into(qtbot, window.pane.view._entries[0].actual, "ロック中の入力")
        assert not window.document.flush()
        assert not window.document.flush()  # the retry fails too: still one dialog
        assert len(shown) == 1
        assert "ロック" in shown[0] or "使用中" in shown[0] or "別の" in shown[0]
        assert "保存できていません" in window.saved_label.text()
        window.structure.add_entry()  # the window stays usable (the change is refused)
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert window.document.flush()
    assert "ロック中の入力" in richtext.to_plain(
        fresh(store_path).goals[0].directions[0].entries[0].actual
    )
    assert window.saved_label.text() == "保存済み"


def test_layout_is_remembered(make_window, sample_store, store_path, settings):
    window = make_window(store_path)
    window.pane.setSizes([300, 1100])
    sizes = window.pane.sizes()
    window.close()
    again = make_window(store_path)
    assert again.pane.sizes() == sizes


def test_import_export_and_switch_years(window, qtbot, tmp_path, monkeypatch, store_path):
    from kushiro_editor.formats import read_file

    out = tmp_path / "out.docx"
    with qtbot.waitSignal(window.tasks.finished, timeout=30000):
        window.files.export_file(out, "docx")
    assert read_file(out).report.actual_year == 2020
    assert window.open_button.isVisible() and "out.docx" in window.open_button.text()
    # The same file imported as the next year: a second report to switch to.
    from kushiro_editor.formats.docx import writer as docx_writer

    report = read_file(out).report
    report.actual_year = 2021
    newer = tmp_path / "r3.docx"
    docx_writer.write_file(report, newer)
    with qtbot.waitSignal(window.tasks.finished, timeout=30000):
        window.files.import_file(newer)
    assert window.reports.count() == 2 and window.reports.isEnabled()
    assert window.document.report.actual_year == 2021
    assert window.pane.view.heading_actual.text() == "R3年度(実績)"
    window.reports.setCurrentIndex(1)
    assert window.document.report.actual_year == 2020
    # Importing a year that exists asks first; declining changes nothing.
    monkeypatch.setattr(window.session, "ask_replace", lambda parent, year: False)
    with qtbot.waitSignal(window.tasks.finished, timeout=30000):
        window.files.import_file(newer)
    assert sorted(window.store.years()) == [2020, 2021]
    errors = []
    monkeypatch.setattr(
        window.session, "show_error", lambda parent, title, message: errors.append(message)
    )
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"not a workbook")
    with qtbot.waitSignal(window.tasks.finished, timeout=30000):
        window.files.import_file(broken)
    assert errors and "Excel のファイルではありません" in errors[0]
    assert sorted(window.store.years()) == [2020, 2021]


def test_empty_store_invites_an_import(make_window, tmp_path):
    window = make_window(tmp_path / "empty.sqlite3")
    assert window.document is None
    assert "取り込み" in window.statusBar().currentMessage()
    assert not window.files.act_export_docx.isEnabled()


def test_check_mode_prints_ready(tmp_path):
    env = {
        "QT_QPA_PLATFORM": "offscreen",
        "KUSHIRO_EDITOR_DB": str(tmp_path / "d.sqlite3"),
        "HOME": str(tmp_path),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "PATH": "/usr/bin:/bin",
    }
    done = subprocess.run(
        [sys.executable, str(ROOT / "app.py"), "--check"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("ready ")
    assert int(done.stdout.split()[1]) > 0
    assert (tmp_path / "d.sqlite3").exists()  # the default store, created from the sample


def test_document_serialisation_round_trip(qapp):
    from PySide6.QtGui import QTextDocument

    markup = (
        "<p>前文<b>太字</b><br>次の行</p><ul><li>・項目1</li><li>・項目<b>2</b></li></ul>"
        "<p>後の段落</p>"
    )
    document = QTextDocument()
    richedit.load(document, markup, 14)
    assert richedit.serialise(document) == markup
    assert richedit.plain_length(document) == richtext.char_count(markup)


@pytest.mark.parametrize("kind", [Goal, Direction, Measure, Entry])
def test_delete_asks_first(window, monkeypatch, kind):
    asked = []
    monkeypatch.setattr(
        window.structure, "confirm_delete", lambda node: asked.append(node) or False
    )
    report = window.document.report
    node = {
        Goal: report.goals[0],
        Direction: report.goals[0].directions[0],
        Measure: report.goals[0].directions[0].measures[0],
        Entry: report.goals[0].directions[0].entries[0],
    }[kind]
    if kind is Entry:
        window.pane.view.delete(node)
    else:
        window.pane.select_node(node)
        window.structure.delete_selected()
    assert asked == [node]
    assert report.find_node(node.id) is node


def test_rows_below_the_view_are_bound_when_reached(window, qtbot, store_path):
    window.resize(1000, 500)
    tourism = window.document.report.goals[0].directions[2]
    window.pane.select_node(tourism)
    widgets = [w for w in window.pane.view._entries if w.isVisible()]
    waiting = [w for w in widgets if w.pending]
    assert widgets[0].pending is False and waiting, "rows out of sight wait"
    last = waiting[-1]
    # Sized from the text before it is laid out (so the scroll bar hardly moves
    # when it is), and counted already.
    estimates = {w: w.actual.height() for w in waiting}
    assert last.actual_count.text() == f"{richtext.char_count(last.entry.actual):,}字"
    # A keystroke never lands in the placeholder: focusing binds the row first.
    with qtbot.waitSignal(
        window.document.saved_changed, timeout=3000, check_params_cb=lambda saved: saved
    ):
        type_into(qtbot, last.plan, "（追記）")
    assert not last.pending
    entry = fresh(store_path).goals[0].directions[2].entries[widgets.index(last)]
    assert richtext.to_plain(entry.plan).endswith("（追記）")
    qtbot.waitUntil(lambda: not any(w.pending for w in widgets), timeout=2000)
    for widget in widgets:
        assert widget.actual.document() is window.document.text_document(widget.entry, "actual")
    for widget, estimate in estimates.items():
        assert abs(estimate - widget.actual.height()) <= 0.15 * widget.actual.height()
