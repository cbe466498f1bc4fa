"""The undo commands and the tree model, driven through the document's one edit path."""

from __future__ import annotations

import pytest
from PySide6.QtTest import QAbstractItemModelTester

from kushiro_editor.core import edits
from kushiro_editor.core.model import STATE_CARRIED, Direction, Entry, Goal, Measure
from kushiro_editor.gui.editor.document import ReportDocument
from tests.gui.conftest import fresh, ime_commit


def _document(sample_store) -> ReportDocument:
    return ReportDocument(sample_store, sample_store.load())


@pytest.mark.both_engines
def test_one_batch_is_one_undo_step_in_store_and_report(qapp, sample_store, store_location):
    document = _document(sample_store)
    entries = [e for _g, _d, e in document.report.entries()][:3]
    before = [e.plan for e in entries]
    batch = [edits.SetField(e, "plan", f"<p>新しい予定{i}。</p>") for i, e in enumerate(entries)]
    assert document.apply("まとめて変更", batch)
    assert document.undo_stack.count() == 1
    assert document.undo_stack.undoText() == "まとめて変更"
    stored = [e.plan for _g, _d, e in fresh(store_location).entries()][:3]
    assert stored == [f"<p>新しい予定{i}。</p>" for i in range(3)]
    document.undo_stack.undo()
    assert [e.plan for e in entries] == before
    assert [e.plan for _g, _d, e in fresh(store_location).entries()][:3] == before
    document.undo_stack.redo()
    assert [e.plan for _g, _d, e in fresh(store_location).entries()][:3] == [
        f"<p>新しい予定{i}。</p>" for i in range(3)
    ]


@pytest.mark.both_engines
def test_a_batch_keeps_the_text_documents_history_in_step(qtbot, sample_store, store_location):
    """Typing, then a replace of the same field, then typing: undo walks back in order."""
    from kushiro_editor.gui.editor.richedit import RichTextEdit, serialise

    document = _document(sample_store)
    entry = next(e for _g, _d, e in document.report.entries())
    original = entry.plan
    editor = RichTextEdit()
    qtbot.addWidget(editor)
    editor.bind(document.text_document(entry, "plan"))
    editor.setFocus()
    editor.moveCursor(editor.textCursor().MoveOperation.End)
    ime_commit(editor, "一")
    document.flush()
    typed = entry.plan
    assert document.apply("置換", [edits.SetField(entry, "plan", "<p>置き換えた。</p>")])
    ime_commit(editor, "二")
    document.flush()
    assert entry.plan == "<p>置き換えた。二</p>"
    document.undo_stack.undo()  # 二
    document.flush()
    assert entry.plan == "<p>置き換えた。</p>"
    document.undo_stack.undo()  # the replace
    assert entry.plan == typed
    assert serialise(document.text_document(entry, "plan")) == typed
    document.undo_stack.undo()  # 一
    document.flush()
    assert entry.plan == original
    assert fresh(store_location).find_node(entry.id).plan == original


# (a file only: a server store translates a failure with no file path to name)
def test_a_refused_batch_leaves_no_undo_step(qapp, sample_store, monkeypatch):
    document = _document(sample_store)
    entry = next(e for _g, _d, e in document.report.entries())
    failures = []
    document.store_failed.connect(failures.append)

    def refuse(*_args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(sample_store, "update", refuse)
    assert not document.apply("名前", [edits.SetField(entry, "departments", ["別の課"])])
    assert entry.departments != ["別の課"]
    assert document.undo_stack.count() == 0
    assert failures and "書き込めませんでした" in failures[0]


@pytest.mark.both_engines
def test_editing_a_carried_text_clears_its_mark_and_undo_restores_it(qapp, sample_store):
    document = _document(sample_store)
    entry = next(e for _g, _d, e in document.report.entries())
    document.apply("印", [edits.SetField(entry, "plan_state", STATE_CARRIED)])
    document.apply("書き換え", [edits.SetField(entry, "plan", "<p>書き換えた。</p>")])
    assert entry.plan_state == ""
    document.undo_stack.undo()
    assert entry.plan_state == STATE_CARRIED


@pytest.mark.both_engines
def test_the_tree_model_stays_sound_through_structural_undo(qapp, sample_store, store_location):
    document = _document(sample_store)
    model = document.tree
    QAbstractItemModelTester(model, QAbstractItemModelTester.FailureReportingMode.Fatal)
    report = document.report
    goal = report.goals[0]
    new_goal = Goal(title="新しい基本目標", directions=[Direction(title="方向")])
    document.add(report, new_goal, 1)
    document.add(goal, Direction(title="追加の方向"), 0)
    document.add(goal.directions[1], Measure(title="新しい施策"))
    document.move(goal.directions[1], report.goals[2], 0)
    document.delete(report.goals[3])
    assert model.rowCount() == 4
    assert model.index(1, 0).data().startswith("【基本目標2】新しい基本目標")
    assert fresh(store_location) == report
    while document.undo_stack.canUndo():
        document.undo_stack.undo()
    assert fresh(store_location) == report
    assert model.rowCount() == 4
    assert [g.title for g in report.goals] == [g.title for g in fresh(store_location).goals]
    while document.undo_stack.canRedo():
        document.undo_stack.redo()
    assert model.index(1, 0).data().startswith("【基本目標2】新しい基本目標")
    assert fresh(store_location) == report


@pytest.mark.both_engines
def test_entries_move_between_directions_and_back(qapp, sample_store, store_location):
    document = _document(sample_store)
    first, second = document.report.goals[0].directions[:2]
    entry = first.entries[0]
    document.move(entry, second, 0)
    assert second.entries[0] is entry
    assert isinstance(fresh(store_location).goals[0].directions[1].entries[0], Entry)
    assert fresh(store_location).goals[0].directions[1].entries[0].id == entry.id
    document.undo_stack.undo()
    assert first.entries[0] is entry
    assert fresh(store_location) == document.report


@pytest.mark.both_engines
def test_the_mark_comes_back_only_when_the_text_is_back_to_what_was_carried(
    qtbot, sample_store, store_location
):
    from kushiro_editor.gui.editor.richedit import RichTextEdit

    document = _document(sample_store)
    entry = next(e for _g, _d, e in document.report.entries())
    document.apply("印", [edits.SetField(entry, "plan_state", STATE_CARRIED)])
    original = entry.plan
    editor = RichTextEdit()
    qtbot.addWidget(editor)
    editor.bind(document.text_document(entry, "plan"))
    editor.setFocus()
    editor.moveCursor(editor.textCursor().MoveOperation.End)
    ime_commit(editor, "一")
    ime_commit(editor, "二")
    document.flush()
    assert entry.plan_state == ""
    document.undo_stack.undo()  # 二: the text is still not what was carried
    document.flush()
    assert entry.plan_state == ""
    document.undo_stack.undo()  # 一: back to the carried text, and its mark
    document.flush()
    assert (entry.plan, entry.plan_state) == (original, STATE_CARRIED)
    stored = fresh(store_location).find_node(entry.id)
    assert (stored.plan, stored.plan_state) == (original, STATE_CARRIED)
    # Typed and taken back before any save: the mark never left.
    ime_commit(editor, "三")
    document.undo_stack.undo()
    document.flush()
    assert (entry.plan, entry.plan_state) == (original, STATE_CARRIED)
    assert fresh(store_location).find_node(entry.id).plan_state == STATE_CARRIED
