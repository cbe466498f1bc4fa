"""Last year's 取組予定 under each row's 実績: shown, compared as the 実績 is typed, folded away."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence, QTextCursor
from PySide6.QtWidgets import QApplication

from kushiro_editor.core import previousplan, richtext, yearly
from kushiro_editor.gui.editor import previousplanbox
from tests.gui.conftest import ime_commit


@pytest.fixture
def year_2021(sample_store):
    """FY2021 started from the sample with empty 実績, beside FY2020 in the store."""
    sample_store.save(yearly.rollover(sample_store.load(2020), actual=yearly.ACTUAL_EMPTY))
    return sample_store


def first_row(window):
    view = window.pane.view
    entry = view.visible_entries()[0]
    return entry, view.entry_widget(entry)


def last_years_plan(store, department):
    old = store.load(2020)
    return next(e.plan for _g, _d, e in old.entries() if e.departments == [department])


def test_the_rows_plan_of_last_year_stands_under_its_result(
    make_window, year_2021, store_path, qtbot
):
    window = make_window(store_path)
    assert window.document.report.actual_year == 2021
    entry, widget = first_row(window)
    box = widget.previous_plan
    assert entry.departments == ["農林課"] and entry.actual == ""
    assert box.isVisible() and box.heading.text() == "前年度の取組予定"
    plan = richtext.to_plain(last_years_plan(year_2021, "農林課"))
    assert box.plan == plan and "土地改良事業" in box.text.text()
    # Under the 実績, not beside the 取組予定; nothing marked while the 実績 is empty.
    assert box.x() == widget.actual.x() and box.y() > widget.actual.y()
    assert box.missing_texts() == [] and not box.legend.isVisible()
    assert previousplanbox.MISSING_BACKGROUND not in box.text.text()
    # Read only: it takes no keyboard; its right-click menu copies it whole.
    assert box.text.focusPolicy() == Qt.FocusPolicy.NoFocus
    assert box.contextMenuPolicy() == Qt.ContextMenuPolicy.ActionsContextMenu
    box.act_copy.trigger()
    assert QApplication.clipboard().text() == plan


def test_typing_the_result_marks_what_the_plan_said(make_window, year_2021, store_path, qtbot):
    window = make_window(store_path)
    _entry, widget = first_row(window)
    box = widget.previous_plan
    first_line = richtext.to_plain(last_years_plan(year_2021, "農林課")).split("\n")[0]
    ime_commit_at_end(widget.actual, first_line.replace("実施する", "実施した"))
    qtbot.waitUntil(lambda: box.missing_texts() != [], timeout=3000)
    missing = "".join(box.missing_texts())
    assert "農業担い手対策事業" in missing  # the plan's second item is not written yet
    assert "土地改良事業" not in missing  # the first one is
    assert previousplanbox.MISSING_BACKGROUND in box.text.text()
    assert box.legend.isVisible() and "実績にない部分" in box.legend.text()
    # Writing the rest as it was planned takes the marks away.
    editor = widget.actual
    editor.selectAll()
    ime_commit(editor, box.plan.replace("\n", " "))
    qtbot.waitUntil(lambda: "農業担い手対策事業" not in "".join(box.missing_texts()), timeout=3000)


def ime_commit_at_end(editor, text):
    editor.setFocus()
    editor.moveCursor(QTextCursor.MoveOperation.End)
    ime_commit(editor, text)


def test_the_match_is_made_once_not_per_keystroke(
    make_window, year_2021, store_path, qtbot, monkeypatch
):
    window = make_window(store_path)
    entry, widget = first_row(window)
    calls = []
    real = previousplan.previous_plans
    monkeypatch.setattr(previousplan, "previous_plans", lambda *a: calls.append(1) or real(*a))
    for word in ("土地", "改良", "事業を", "実施した。"):
        ime_commit_at_end(widget.actual, word)
    window.document.flush()
    qtbot.waitUntil(lambda: widget.previous_plan.missing_texts() != [], timeout=3000)
    assert calls == []
    # A department renamed: the rows are matched again, and this one keeps its plan
    # (it came over with the row), another department's is never shown.
    window.document.set_departments(entry, ["農林水産課"])
    assert len(calls) == 1
    widget = window.pane.view.entry_widget(entry)
    assert widget.previous_plan.isVisible()


def test_a_row_matched_by_department_loses_its_plan_when_renamed(
    make_window, sample_store, store_path, qtbot
):
    report = yearly.rollover(sample_store.load(2020), actual=yearly.ACTUAL_EMPTY)
    for _goal, _direction, entry in report.entries():
        entry.previous_actual = entry.previous_plan = None  # as an import of this year's file
    sample_store.save(report)
    window = make_window(store_path)
    entry, widget = first_row(window)
    assert widget.previous_plan.isVisible()
    window.document.set_departments(entry, ["新設課"])
    widget = window.pane.view.entry_widget(entry)
    assert not widget.previous_plan.isVisible()
    window.editing.act_undo.trigger()
    widget = window.pane.view.entry_widget(entry)
    assert entry.departments == ["農林課"] and widget.previous_plan.isVisible()


def test_the_toggle_folds_the_plans_away_and_is_remembered(
    make_window, year_2021, store_path, qtbot, settings
):
    window = make_window(store_path)
    action = window.editing.act_previous_plan
    assert action in window.view_menu.actions() and action.isChecked()
    assert action.shortcut() == QKeySequence("Ctrl+Shift+P")
    # No other command of the window answers the same keys.
    taken = [
        a
        for a in window.findChildren(QAction)
        if a is not action and QKeySequence("Ctrl+Shift+P") in a.shortcuts()
    ]
    assert taken == []
    _entry, widget = first_row(window)
    before = widget.height()
    action.trigger()
    qtbot.waitUntil(lambda: not widget.previous_plan.isVisible())
    qtbot.waitUntil(lambda: widget.height() < before)
    assert settings.value(previousplanbox.SETTING, type=bool) is False
    window.close()
    again = make_window(store_path)
    assert not again.editing.act_previous_plan.isChecked()
    _entry, widget = first_row(again)
    assert not widget.previous_plan.isVisible()
    # The keys do it from inside the 実績.
    widget.actual.setFocus()
    qtbot.waitUntil(widget.actual.hasFocus)
    qtbot.keyClick(
        widget.actual,
        Qt.Key.Key_P,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    qtbot.waitUntil(widget.previous_plan.isVisible)
    assert again.editing.act_previous_plan.isChecked()
    assert widget.actual.toPlainText() == ""  # the keys typed nothing


def test_nothing_shown_without_an_earlier_report(window, qtbot):
    assert window.document.report.actual_year == 2020
    view = window.pane.view
    widgets = [view.entry_widget(e) for e in view.visible_entries()]
    assert widgets and all(not w.previous_plan.isVisibleTo(w) for w in widgets)
    assert window.document.previous_plans().plans == {}


def test_a_new_row_has_no_plan_box(make_window, year_2021, store_path, qtbot):
    window = make_window(store_path)
    view = window.pane.view
    view.add_entry()
    entry = view.visible_entries()[-1]
    widget = view.entry_widget(entry)
    assert entry.departments == [] and not widget.previous_plan.isVisibleTo(widget)


def test_the_plan_rises_under_a_short_result(make_window, year_2021, store_path, qtbot):
    window = make_window(store_path)
    window.resize(1280, 720)
    qtbot.waitUntil(lambda: window.width() == 1280)
    _entry, widget = first_row(window)
    box, plan = widget.previous_plan, widget.plan
    # The 実績 is empty and the 取組予定 beside it long: the box stands beside the latter,
    # and the two columns end level.
    qtbot.waitUntil(lambda: box.geometry().top() < plan.geometry().bottom() - 100)
    qtbot.waitUntil(
        lambda: abs(box.geometry().bottom() - widget.plan_count.geometry().bottom()) <= 2
    )
    assert widget.actual.height() >= widget.actual.fontMetrics().lineSpacing() * 3


def test_a_result_still_word_for_word_the_plan_takes_one_line(
    make_window, sample_store, store_path, qtbot
):
    sample_store.save(yearly.rollover(sample_store.load(2020)))  # 実績 drafted from the plan
    window = make_window(store_path)
    entry, widget = first_row(window)
    box = widget.previous_plan
    assert entry.actual == last_years_plan(sample_store, "農林課")
    assert box.isVisible() and not box.text.isVisible()
    assert box.legend.text() == "実績と同じ文章です"
    assert box.height() < box.heading.height() * 3
    ime_commit_at_end(widget.actual, "加えて、新たに研修を行った。")
    qtbot.waitUntil(box.text.isVisible, timeout=3000)
    assert box.missing_texts() == [] and not box.legend.isVisible()
    qtbot.waitUntil(lambda: box.height() > box.heading.height() * 3)
