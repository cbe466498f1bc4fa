"""Two planners on one report on the server: conflicts, each other's changes live, offline."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QTextCursor

from kushiro_editor.core import richtext
from kushiro_editor.core.store import Store
from kushiro_editor.gui.editor import richedit
from kushiro_editor.gui.editor.conflictdialog import BOTH, MINE, THEIRS
from kushiro_editor.gui.editor.document import ReportDocument


@pytest.fixture
def planners(qapp, pg_url, sample_result):
    """Two documents on the same report of one server, each with its own connection."""
    first = Store(pg_url)
    first.save(sample_result.report, sample_result.warnings)
    second = Store(pg_url)
    documents = [
        ReportDocument(store, store.load(), autosave_ms=60_000) for store in (first, second)
    ]
    yield documents
    for document in documents:
        document.sharing.stop()
        document.store.close()


def _entry(document, index=0):
    return [e for _g, _d, e in document.report.entries()][index]


def _type(document, node, field, text, at_end=True):
    cursor = QTextCursor(document.text_document(node, field))
    cursor.movePosition(
        QTextCursor.MoveOperation.End if at_end else QTextCursor.MoveOperation.Start
    )
    cursor.insertText(text)


def _plain(document, node, field):
    return richedit.serialise(document.text_document(node, field))


def _stored(pg_url, index, field):
    store = Store(pg_url)
    try:
        return getattr([e for _g, _d, e in store.load().entries()][index], field)
    finally:
        store.close()


@pytest.mark.parametrize("choice", [MINE, THEIRS, BOTH])
def test_two_planners_on_one_text_meet_a_conflict_and_nothing_is_lost(planners, pg_url, choice):
    mine, theirs = planners
    base = _entry(mine).actual
    _type(theirs, _entry(theirs), "actual", "(相手の追記)")
    assert theirs.flush()
    _type(mine, _entry(mine), "actual", "(わたしの追記)")
    asked = []
    mine.sharing.choose = lambda conflict, where: asked.append((conflict, where)) or choice
    mine.flush()
    ((conflict, where),) = asked
    assert conflict.base == base
    assert "わたしの追記" in richtext.to_plain(conflict.mine)
    assert "相手の追記" in richtext.to_plain(conflict.theirs)
    assert "わたしの追記" not in richtext.to_plain(conflict.theirs)
    assert where.endswith("実績") and where.startswith("【基本目標1】")
    stored = richtext.to_plain(_stored(pg_url, 0, "actual"))
    shown = richtext.to_plain(_plain(mine, _entry(mine), "actual"))
    assert shown == stored == richtext.to_plain(_entry(mine).actual)
    assert ("わたしの追記" in stored) == (choice in (MINE, BOTH))
    assert ("相手の追記" in stored) == (choice in (THEIRS, BOTH))
    assert mine.is_saved
    # One undo step for the choice: it goes back to the other side.
    mine.undo_stack.undo()
    back = richtext.to_plain(_stored(pg_url, 0, "actual"))
    assert back == richtext.to_plain(_plain(mine, _entry(mine), "actual"))
    if choice == THEIRS:
        assert "わたしの追記" in back and "相手の追記" not in back
    else:
        assert "相手の追記" in back and "わたしの追記" not in back


def test_different_texts_are_both_kept_and_each_seen_by_the_other(qtbot, planners, pg_url):
    first, second = planners
    # The second planner reads the first row's 実績 with the cursor in it.
    reader = QTextCursor(second.text_document(_entry(second), "actual"))
    reader.setPosition(3)
    _type(first, _entry(first), "actual", "(一人目)")
    _type(second, _entry(second, 1), "plan", "(二人目)")
    assert first.flush() and second.flush()
    qtbot.waitUntil(
        lambda: "二人目" in richtext.to_plain(_plain(first, _entry(first, 1), "plan")),
        timeout=2000,
    )
    qtbot.waitUntil(
        lambda: "一人目" in richtext.to_plain(_plain(second, _entry(second), "actual")),
        timeout=2000,
    )
    assert "一人目" in richtext.to_plain(_entry(second).actual)
    assert reader.position() == 3  # the reader's cursor did not move
    assert "一人目" in richtext.to_plain(_stored(pg_url, 0, "actual"))
    assert "二人目" in richtext.to_plain(_stored(pg_url, 1, "plan"))
    # What came from the other planner is no undo step here.
    assert second.undo_stack.count() == 1


def test_a_change_to_a_row_being_typed_into_waits_and_merges(qtbot, planners, pg_url):
    first, second = planners
    _type(second, _entry(second), "actual", "(入力中)")
    _type(first, _entry(first), "plan", "(予定を変更)")
    assert first.flush()
    qtbot.wait(300)  # the notification has come; the row being typed into waits
    assert "(入力中)" in richtext.to_plain(_plain(second, _entry(second), "actual"))
    asked = []
    second.sharing.choose = lambda conflict, where: asked.append(conflict) or MINE
    assert second.flush()
    assert not asked  # different fields of one row: merged without a question
    assert "予定を変更" in richtext.to_plain(_entry(second).plan)
    assert "入力中" in richtext.to_plain(_stored(pg_url, 0, "actual"))
    assert "予定を変更" in richtext.to_plain(_stored(pg_url, 0, "plan"))


def test_a_server_restart_mid_edit_keeps_the_edits_and_sends_them_once_back(
    qtbot, planners, pg_cluster, pg_url
):
    document = planners[0]
    lines = []
    document.sharing.status.connect(lines.append)
    _type(document, _entry(document), "actual", "(再起動をまたぐ)")
    pg_cluster.restart()
    assert not document.flush()
    assert lines[-1] == "サーバーとの接続が切れました。変更 1 件は接続が戻ったときに保存します"
    assert not document.is_saved
    _type(document, _entry(document, 1), "plan", "(切れている間)")
    qtbot.waitUntil(lambda: document.is_saved, timeout=15000)
    assert "再接続" in lines[-1] or "再び接続" in lines[-1]
    assert "再起動をまたぐ" in richtext.to_plain(_stored(pg_url, 0, "actual"))
    assert "切れている間" in richtext.to_plain(_stored(pg_url, 1, "plan"))
    # Listening again: the other planner's next change arrives.
    other = planners[1]
    other.sharing.reconnect()
    _type(other, _entry(other, 2), "actual", "(戻った後)")
    assert other.flush()
    qtbot.waitUntil(
        lambda: "戻った後" in richtext.to_plain(_entry(document, 2).actual), timeout=2000
    )


@pytest.fixture
def windows(make_window, pg_url, sample_result):
    """Two windows on the same report of the server."""
    store = Store(pg_url)
    store.save(sample_result.report, sample_result.warnings)
    store.close()
    return make_window(pg_url), make_window(pg_url)


def test_the_window_asks_in_its_dialog_and_the_choice_is_one_undo_step(
    qtbot, windows, pg_url, monkeypatch
):
    from kushiro_editor.gui.editor.conflictdialog import ConflictDialog
    from tests.gui.conftest import type_into

    mine, theirs = windows
    shown = {}

    def exec_(dialog):
        shown["mine"] = dialog.mine.toPlainText()
        shown["theirs"] = dialog.theirs.toPlainText()
        shown["title"] = dialog.windowTitle()
        dialog.both_button.click()
        return 1

    monkeypatch.setattr(ConflictDialog, "exec", exec_)
    type_into(qtbot, theirs.pane.view._entries[0].actual, "相手の行")
    assert theirs.document.flush()
    type_into(qtbot, mine.pane.view._entries[0].actual, "自分の行")
    mine.document.flush()
    assert shown["title"] == "同時に変更された文章"
    assert "自分の行" in shown["mine"] and "相手の行" not in shown["mine"]
    assert "相手の行" in shown["theirs"] and "自分の行" not in shown["theirs"]
    stored = richtext.to_plain(_stored(pg_url, 0, "actual"))
    assert "自分の行" in stored and "相手の行" in stored
    assert mine.pane.view._entries[0].actual.toPlainText() == stored
    # The other window sees the text both wrote.
    qtbot.waitUntil(
        lambda: "自分の行" in theirs.pane.view._entries[0].actual.toPlainText(), timeout=2000
    )
    mine.document.undo_stack.undo()
    assert "自分の行" not in richtext.to_plain(_stored(pg_url, 0, "actual"))


def test_a_row_added_by_another_planner_appears_in_the_open_window(qtbot, windows):
    from kushiro_editor.core.model import Entry, new_id

    first, second = windows
    direction = second.document.report.goals[0].directions[0]
    count = len(first.document.report.goals[0].directions[0].entries)
    second.document.add(direction, Entry(id=new_id(), departments=["新しい課"]))
    qtbot.waitUntil(
        lambda: len(first.document.report.goals[0].directions[0].entries) == count + 1,
        timeout=2000,
    )
    assert first.document.report.goals[0].directions[0].entries[-1].departments == ["新しい課"]


def test_a_row_moved_by_another_planner_moves_in_the_open_window(qtbot, windows):
    first, second = windows
    direction = second.document.report.goals[0].directions[0]
    assert len(direction.entries) > 1
    moved = direction.entries[0]
    second.document.move_by(moved, +1)
    qtbot.waitUntil(
        lambda: first.document.report.goals[0].directions[0].entries[1].id == moved.id,
        timeout=2000,
    )


def test_an_undo_after_another_planner_changed_the_row_merges_or_is_refused(
    qtbot, planners, pg_url
):
    first, second = planners
    entry = _entry(first)
    departments = list(entry.departments)
    assert first.set_departments(entry, ["企画課"]) is None
    _type(second, _entry(second), "actual", "(あとから)")
    assert second.flush()
    # Another field of the row: the undo is taken, their text kept.
    first.undo_stack.undo()
    assert entry.departments == departments
    assert "あとから" in richtext.to_plain(entry.actual)
    store = Store(pg_url)
    try:
        stored = next(e for _g, _d, e in store.load().entries())
    finally:
        store.close()
    assert stored.departments == departments and "あとから" in richtext.to_plain(stored.actual)
    # The same text: undoing the typing is a change of that text, met at its save.
    _type(first, entry, "plan", "(わたしの予定)")
    assert first.flush()
    _type(second, _entry(second), "plan", "(相手の予定)")
    assert second.flush()
    asked = []
    first.sharing.choose = lambda conflict, where: asked.append(conflict) or THEIRS
    first.undo_stack.undo()
    first.flush()
    (conflict,) = asked
    assert "わたしの予定" not in richtext.to_plain(conflict.mine)
    assert "相手の予定" in richtext.to_plain(conflict.theirs)
    assert "相手の予定" in richtext.to_plain(_stored(pg_url, 0, "plan"))
    assert "相手の予定" in richtext.to_plain(_plain(first, entry, "plan"))


def test_an_undo_of_a_batch_on_a_text_another_planner_changed_is_refused(planners, pg_url):
    from kushiro_editor.core import edits

    first, second = planners
    entry = _entry(first)
    assert first.apply("置換", [edits.SetField(entry, "plan", "<p>置き換えた予定</p>")])
    _type(second, _entry(second), "plan", "(相手の予定)")
    assert second.flush()
    lines = []
    first.store_failed.connect(lines.append)
    first.undo_stack.undo()
    assert lines and "ほかの人が同じ文章を変更していた" in lines[0]
    assert "相手の予定" in richtext.to_plain(_stored(pg_url, 0, "plan"))
    assert "相手の予定" in richtext.to_plain(entry.plan)


def test_a_window_offline_keeps_the_text_says_so_and_warns_before_closing(
    qtbot, windows, pg_cluster, pg_url, monkeypatch
):
    from kushiro_editor.gui import mainwindow
    from kushiro_editor.gui.shared.messages import Button
    from tests.gui.conftest import type_into

    window = windows[0]
    # (the day's snapshot is not what this is about: its timer is another's failure)
    for each in windows:
        each.snapshots.stop_daily_snapshots()
    asked = []
    monkeypatch.setattr(
        mainwindow, "ask", lambda _parent, title, *_args: asked.append(title) or Button.Cancel
    )
    pg_cluster.stop()
    try:
        type_into(qtbot, window.pane.view._entries[0].actual, "接続待ちの文")
        assert not window.document.flush()
        assert window.statusBar().currentMessage() == (
            "サーバーとの接続が切れました。変更 1 件は接続が戻ったときに保存します"
        )
        assert not window.close()  # warned, and staying open
        assert asked and window.isVisible()
        assert not window.document.sharing.reconnect()
    finally:
        pg_cluster.start()
    qtbot.waitUntil(lambda: window.document.is_saved, timeout=15000)
    assert "接続待ちの文" in richtext.to_plain(_stored(pg_url, 0, "actual"))
    assert "再び接続" in window.statusBar().currentMessage()


def test_on_a_file_a_text_changed_meanwhile_is_a_conflict_too(qapp, sample_store, store_path):
    document = ReportDocument(sample_store, sample_store.load(), autosave_ms=60_000)
    other = Store(store_path)  # the command line, say, while the window is open
    try:
        entry = next(e for _g, _d, e in other.load().entries())
        other.update([("entry", entry.id, "actual", "<p>コマンドで変えた実績</p>")])
    finally:
        other.close()
    _type(document, _entry(document), "actual", "(窓で書いた)")
    asked = []
    document.sharing.choose = lambda conflict, where: asked.append(conflict) or BOTH
    assert document.flush()
    (conflict,) = asked
    assert conflict.theirs == "<p>コマンドで変えた実績</p>"
    with Store(store_path) as check:
        stored = richtext.to_plain(check.load().goals[0].directions[0].entries[0].actual)
    assert "コマンドで変えた実績" in stored and "窓で書いた" in stored
