"""The inquiry loop in the window: packs, the request, answers reviewed and decided, status."""

from __future__ import annotations

from datetime import date

from openpyxl import load_workbook
from PySide6.QtCore import Qt

from kushiro_editor.core import edits, richtext
from kushiro_editor.core.inquiry import Request
from kushiro_editor.formats.inquiry import packs as inquiry_packs
from kushiro_editor.gui.inquiry.dialogs import MergeDialog, PackDialog
from tests.gui.conftest import fresh, type_into

FIRST, ACTUAL, PLAN = inquiry_packs.FIRST_ROW, inquiry_packs.COL_ACTUAL, inquiry_packs.COL_PLAN


def fill(path, cells) -> None:
    """Write answer cells as a department would: (row offset, column) → value."""
    workbook = load_workbook(path)
    sheet = workbook[inquiry_packs.ANSWER_SHEET]
    for (offset, column), value in cells.items():
        sheet.cell(row=FIRST + offset, column=column).value = value
    workbook.save(path)


def status_rows(window) -> dict[str, list[str]]:
    """The 照会状況 panel as a user reads it: department → its cells."""
    table = window.inquiry.panel.table
    return {
        table.item(r, 0).text(): [table.item(r, c).text() for c in range(table.columnCount())]
        for r in range(table.rowCount())
    }


def send(window, qtbot, folder):
    request = Request(date(2021, 5, 31), "山田", "1234", "kikaku@example.jp")
    with qtbot.waitSignal(window.tasks.finished, timeout=60000):
        window.inquiry.write_packs(folder, ["農林課", "水産課"], request)


def test_the_loop_in_the_window(window, qtbot, tmp_path, store_path):
    folder = tmp_path / "packs"
    send(window, qtbot, folder)
    assert sorted(p.name for p in folder.iterdir()) == [
        "依頼文_R2年度.docx",
        "照会_水産課_R2年度.xlsx",
        "照会_農林課_R2年度.xlsx",
    ]
    combo = window.pane.departments
    labels = [combo.itemText(i) for i in range(combo.count())]
    assert "農林課 (1) 照会中" in labels and "博物館 (2)" in labels
    # The 照会状況 panel is opened from the result, nobody has answered yet.
    assert window.inquiry.panel is None
    window.inquiry.result_box.close()
    window.inquiry.show_status()
    rows = status_rows(window)
    assert rows["農林課"][1:5] == ["未回答", rows["農林課"][2], "2021-05-31", "1"]
    assert rows["博物館"][1] == "未照会"
    assert "照会した部署 2、未回答 2" in window.inquiry.panel.heading.text()

    # 農林課 answers its plan; 水産課 answers one plan and leaves one actual blank.
    agri_pack, fish_pack = folder / "照会_農林課_R2年度.xlsx", folder / "照会_水産課_R2年度.xlsx"
    fill(agri_pack, {(0, PLAN): "・土地改良事業を3地区で実施する。"})
    fill(fish_pack, {(0, PLAN): "部署の予定。", (1, ACTUAL): None})
    # Meanwhile the clerk rewrites 水産課's first plan in the window.
    fish = window.document.report.goals[0].directions[0].entries[1]
    window.document.apply("clerk", [edits.SetField(fish, "plan", "<p>企画課が直した予定。</p>")])

    seen = {}

    def decide(dialog: MergeDialog) -> bool:
        items = dialog.items
        seen["rows"] = [
            (items.topLevelItem(i).text(3), items.topLevelItem(i).checkState(0))
            for i in range(items.topLevelItemCount())
        ]
        seen["notes"] = [dialog.notes.item(i).text() for i in range(dialog.notes.count())]
        conflict = next(
            i for i in range(items.topLevelItemCount()) if items.topLevelItem(i).text(3) == "競合"
        )
        items.setCurrentItem(items.topLevelItem(conflict))
        seen["labels"] = (dialog.clerk_label.text(), dialog.department_label.text())
        seen["clerk"] = dialog.clerk.toPlainText()

        # 「合わせて直す…」: the clerk writes a text from both.
        def merged(editor_dialog) -> bool:
            editor_dialog.editor.clear()  # the clerk starts over from the answer
            type_into(qtbot, editor_dialog.editor, "両方を合わせた予定。")
            return True

        dialog.run_merged_dialog = merged
        qtbot.mouseClick(dialog.edit_button, Qt.MouseButton.LeftButton)
        seen["decision"] = items.topLevelItem(conflict).text(4)
        seen["summary"] = dialog.summary.text()
        return True

    window.inquiry.confirm_merge = decide
    with qtbot.waitSignal(window.tasks.finished, timeout=60000):
        window.inquiry.read_answers([agri_pack, fish_pack])
    assert sorted(seen["rows"]) == [
        ("回答", Qt.CheckState.Checked),
        ("競合", Qt.CheckState.Unchecked),
    ]
    assert "未回答: 【基本目標1】② 水産課 実績(水産課、空欄のため変更しません)" in seen["notes"]
    assert seen["labels"] == ("企画課の変更(照会時 → 現在)", "部署の回答(照会時 → 回答)")
    assert "企画課が直した予定。" in seen["clerk"]
    assert seen["decision"] == "合わせて直した文章を取り込む"
    assert "取り込む 2 件" in seen["summary"] and "未回答 1 件" in seen["summary"]
    report = fresh(store_path)
    assert report.goals[0].directions[0].entries[0].plan == (
        "<ul><li>・土地改良事業を3地区で実施する。</li></ul>"
    )
    assert report.goals[0].directions[0].entries[1].plan == "<p>両方を合わせた予定。</p>"
    rows = status_rows(window)
    assert rows["農林課"][1] == "回答済" and rows["水産課"][1] == "一部回答"
    assert rows["水産課"][5:7] == ["1", "0"]

    # The same answers again: nothing to decide, and the dialog says why.
    again = {}

    def look(dialog: MergeDialog) -> bool:
        again["items"] = dialog.items.topLevelItemCount()
        again["notes"] = [dialog.notes.item(i).text() for i in range(dialog.notes.count())]
        return True

    window.inquiry.confirm_merge = look
    with qtbot.waitSignal(window.tasks.finished, timeout=60000):
        window.inquiry.read_answers([agri_pack, fish_pack])
    assert again["items"] == 0
    assert (
        sum(note.startswith("変更なし:") and "取り込み済み" in note for note in again["notes"]) == 2
    )

    # One undo takes the whole merge back (the second import changed nothing).
    window.document.undo_stack.undo()
    window.document.flush()
    entries = fresh(store_path).goals[0].directions[0].entries
    assert richtext.to_plain(entries[0].plan).startswith("・農業経営基盤整備のために")
    assert entries[1].plan == "<p>企画課が直した予定。</p>" and entries[0].answered_by == ""
    # Undone answers are answers again: the same files propose them once more.
    window.inquiry.confirm_merge = look
    with qtbot.waitSignal(window.tasks.finished, timeout=60000):
        window.inquiry.read_answers([agri_pack, fish_pack])
    assert again["items"] == 2


def test_a_conflict_kept_stays_undecided_until_decided(window, qtbot, tmp_path, store_path):
    folder = tmp_path / "packs"
    send(window, qtbot, folder)
    window.inquiry.show_status()
    fish_pack = folder / "照会_水産課_R2年度.xlsx"
    fill(fish_pack, {(0, PLAN): "部署の予定。"})
    fish = window.document.report.goals[0].directions[0].entries[1]
    window.document.apply("clerk", [edits.SetField(fish, "plan", "<p>企画課が直した予定。</p>")])
    window.inquiry.confirm_merge = lambda dialog: True  # closed without deciding
    with qtbot.waitSignal(window.tasks.finished, timeout=60000):
        window.inquiry.read_answers([fish_pack])
    assert fresh(store_path).goals[0].directions[0].entries[1].plan == "<p>企画課が直した予定。</p>"
    assert status_rows(window)["水産課"][6] == "1"

    def keep_then_take(dialog: MergeDialog) -> bool:
        dialog.items.setCurrentItem(dialog.items.topLevelItem(0))
        qtbot.mouseClick(dialog.keep_button, Qt.MouseButton.LeftButton)
        assert dialog.items.topLevelItem(0).text(4) == "現在の文章を残す"
        qtbot.mouseClick(dialog.take_button, Qt.MouseButton.LeftButton)
        return True

    window.inquiry.confirm_merge = keep_then_take
    with qtbot.waitSignal(window.tasks.finished, timeout=60000):
        window.inquiry.read_answers([fish_pack])
    assert fresh(store_path).goals[0].directions[0].entries[1].plan == "<p>部署の予定。</p>"
    assert status_rows(window)["水産課"][6] == "0"


def test_the_pack_dialog_asks_for_the_deadline_and_remembers_the_contact(window, settings):
    report = window.document.report
    dialog = PackDialog(report, {}, "/tmp", settings, window)
    dialog.person.setText("山田")
    dialog.extension.setText("1234")
    request = dialog.request()
    assert request.contact == "担当 山田 内線 1234" and request.deadline is not None
    dialog.has_deadline.setChecked(False)
    assert dialog.request().deadline is None
    again = PackDialog(report, {}, "/tmp", settings, window)
    assert again.person.text() == "山田"
