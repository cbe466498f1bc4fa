"""Read-only second windows, and snapshots from the window."""

from __future__ import annotations

import pytest

from kushiro_editor.core import richtext, snapshots
from tests.gui.conftest import fresh, ime_commit, type_into


def test_read_only_window_changes_nothing(make_window, sample_store, store_path, qtbot):
    window = make_window(store_path, read_only=True)
    assert "読み取り専用" in window.windowTitle()
    widget = window.pane.view._entries[0]
    assert widget.actual.isReadOnly() and widget.departments.isReadOnly()
    for action in (
        window.files.act_import,
        window.editing.act_undo,
        window.year.act_rollover,
        window.inquiry.act_packs,
        window.structure.act_add_entry,
        window.find.act_replace,
    ):
        assert not action.isEnabled()
    assert window.files.act_export_docx.isEnabled() and window.find.act_find.isEnabled()
    before = sample_store.load().goals[0].directions[0].entries[0].actual
    ime_commit(widget.actual, "書けない")
    window.document.add(window.pane.view.direction, type(widget.entry)(departments=["博物館"]))
    window.document.flush()
    after = fresh(store_path).goals[0].directions[0]
    assert after.entries[0].actual == before and len(after.entries) == 2
    window.snapshots.daily_snapshot()
    assert snapshots.snapshots(store_path) == []


@pytest.mark.both_engines
def test_daily_snapshot_once(window):
    window.snapshots.daily_snapshot()
    window.snapshots.daily_snapshot()
    listed = snapshots.snapshots(window.store)
    assert [s.reason for s in listed] == ["daily"]


@pytest.mark.both_engines
def test_restore_from_the_window_and_take_it_back(window, store_location, monkeypatch):
    named = window.snapshots.take_snapshot("manual", "提出版")
    type_into(None, window.pane.view._entries[0].actual, "提出後に追記")
    window.document.flush()
    monkeypatch.setattr(window.snapshots, "confirm_restore", lambda snapshot: True)
    window.snapshots.restore_snapshot(named)
    restored = fresh(store_location).goals[0].directions[0].entries[0]
    assert "提出後に追記" not in richtext.to_plain(restored.actual)
    assert window.open_button.isVisible() and window.open_button.text() == "復元を取り消す"
    window.open_button.click()
    back = fresh(store_location).goals[0].directions[0].entries[0]
    assert richtext.to_plain(back.actual).endswith("提出後に追記")


@pytest.mark.both_engines
def test_snapshot_dialog_compares(window):
    from kushiro_editor.gui.snapshots.work import SnapshotDialog

    window.snapshots.take_snapshot("manual", "比較用")
    report = window.document.report
    window.document.rename(report.goals[0], "変えた題名")
    dialog = SnapshotDialog(window.snapshots, window)
    assert dialog.list.topLevelItemCount() == 1
    dialog._compare()
    assert dialog.details.topLevelItemCount() == 1
    assert dialog.details.topLevelItem(0).text(3) == "変えた題名"
    dialog.close()


def test_prefill_and_merge_take_a_snapshot_first(window, qtbot, tmp_path, sample_result):
    from kushiro_editor.formats.docx import writer as docx_writer
    from kushiro_editor.formats.inquiry import packs as inquiry_packs

    last_year = tmp_path / "r2.docx"
    docx_writer.write_file(sample_result.report, last_year)
    window.year.confirm_prefill = lambda dialog: True
    with qtbot.waitSignal(window.tasks.finished, timeout=30000):
        window.year.prefill_from(last_year)
    folder = tmp_path / "packs"
    inquiry_packs.export_packs(window.document.report, folder, ["博物館"])
    window.inquiry.confirm_merge = lambda dialog: True
    with qtbot.waitSignal(window.tasks.finished, timeout=30000):
        window.inquiry.read_answers(list(folder.iterdir()))
    reasons = [s.reason for s in snapshots.snapshots(window.store.path)]
    assert "merge" in reasons and "prefill" in reasons
