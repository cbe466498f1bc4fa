"""表示 → 変更の履歴…: the recorded changes of the text the keyboard is in, on the server."""

from __future__ import annotations

import pytest

from kushiro_editor.core import edits, history, richtext
from kushiro_editor.core.store import Store
from tests.gui.conftest import type_into


@pytest.fixture
def server_window(make_window, pg_url, sample_result):
    with Store(pg_url) as store:
        store.save(sample_result.report, sample_result.warnings)
    return make_window(pg_url)


def test_the_history_of_the_text_being_typed_in_newest_first(server_window, qtbot):
    window = server_window
    assert window.history.act_history in window.view_menu.actions()
    widget = window.pane.view._entries[0]
    entry = widget.entry
    # A change of another field a moment before, then the typing.
    assert window.document.apply("他の欄", [edits.SetField(entry, "plan", "<p>別の欄</p>")])
    type_into(qtbot, widget.actual, "追記した文。")
    widget.actual.setFocus()
    qtbot.waitUntil(widget.actual.hasFocus)
    window.history.act_history.trigger()
    dialog = window.history.dialog
    assert dialog is not None and dialog.isVisible()
    rows = dialog.rows()
    assert "実績" in dialog.scope.text() and entry.departments[0] in dialog.scope.text()
    newest = rows[0]
    assert newest[1] == "kushiro_admin" and newest[3] == "実績"
    assert newest[5].endswith("追記した文。") and not newest[4].endswith("追記した文。")
    assert "<p>" not in newest[5]
    assert rows[-1][3] == "行を追加"  # the row as it was stored first, last
    assert not any("別の欄" in cell for row in rows for cell in row)  # another field
    dialog.reject()
    qtbot.waitUntil(widget.actual.hasFocus)


def test_outside_a_text_the_whole_reports_history(server_window, qtbot):
    window = server_window
    entries = window.pane.view._entries
    assert window.document.apply(
        "二つの行",
        [
            edits.SetField(entries[0].entry, "plan", "<p>一つ目</p>"),
            edits.SetField(entries[1].entry, "plan", "<p>二つ目</p>"),
        ],
    )
    window.pane.tree.setFocus()
    dialog = window.history.show_history()
    rows = dialog.rows()
    assert "報告全体" in dialog.scope.text()
    texts = [row[5] for row in rows[:2]]
    assert sorted(texts) == ["一つ目", "二つ目"]
    dialog.reject()


def test_on_a_file_one_line_says_only_the_shared_database_keeps_a_history(
    make_window, sample_store, store_path, qtbot
):
    window = make_window(store_path)
    shown = []
    window.session.message.connect(lambda text, _ms: shown.append(text))
    window.pane.view._entries[0].actual.setFocus()
    assert window.history.show_history() is None
    assert shown == [history.ON_FILE] and "\n" not in shown[0]


def test_a_change_in_the_middle_shows_as_one_and_the_whole_texts_below(server_window, qtbot):
    window = server_window
    entry = window.pane.view._entries[0].entry
    old = entry.actual
    plain = richtext.to_plain(old)
    middle = plain[len(plain) // 2 : len(plain) // 2 + 6]
    assert window.document.apply(
        "途中に追記", [edits.SetField(entry, "actual", old.replace(middle, middle + "【追記】", 1))]
    )
    window.pane.tree.setFocus()
    dialog = window.history.show_history()
    newest = dialog.rows()[0]
    assert "【追記】" in newest[5] and "【追記】" not in newest[4]
    assert newest[4].startswith("…") and middle in newest[4]  # cut to the changed part
    detail = dialog.detail.toHtml()
    assert "【追記】" in detail and "text-decoration: underline" in detail
    assert len(dialog.detail.toPlainText()) > len(plain)  # the whole text, not the excerpt
    dialog.reject()


def test_one_texts_changes_wrap_whole_in_the_list(server_window, qtbot):
    window = server_window
    widget = window.pane.view._entries[0]
    type_into(qtbot, widget.actual, "末尾に足した文。")
    widget.actual.setFocus()
    qtbot.waitUntil(widget.actual.hasFocus)
    window.history.act_history.trigger()
    dialog = window.history.dialog
    qtbot.waitExposed(dialog)
    dialog.resize(900, 500)
    listing = dialog.list
    assert listing.isColumnHidden(2)  # the place is the heading above the list
    item = listing.topLevelItem(0)
    assert item.text(5).endswith("末尾に足した文。")
    line = listing.fontMetrics().height()
    # The excerpt is wider than its column: wrapped on several lines, not cut off.
    assert listing.fontMetrics().horizontalAdvance(item.text(5)) > listing.columnWidth(5)
    qtbot.waitUntil(lambda: listing.visualItemRect(item).height() >= 2 * line)
    dialog.reject()
