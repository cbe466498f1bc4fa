"""Inquiry packs from the window, and merging answers as one undo step."""

from __future__ import annotations

from openpyxl import load_workbook

from kushiro_editor.core import richtext
from kushiro_editor.formats import inquiry_packs
from tests.gui.conftest import fresh


def test_send_packs_merge_answers_and_undo(window, qtbot, tmp_path, store_path):
    folder = tmp_path / "packs"
    with qtbot.waitSignal(window.tasks.finished, timeout=60000):
        window.inquiry.write_packs(folder, ["農林課", "水産課"])
    assert sorted(p.name for p in folder.iterdir()) == [
        "照会_水産課_R2年度.xlsx",
        "照会_農林課_R2年度.xlsx",
    ]
    combo = window.pane.departments
    labels = [combo.itemText(i) for i in range(combo.count())]
    assert "農林課 (1) 照会中" in labels and "博物館 (2)" in labels
    # 農林課 answers its 取組予定.
    path = folder / "照会_農林課_R2年度.xlsx"
    workbook = load_workbook(path)
    workbook["回答"].cell(
        row=inquiry_packs.FIRST_ROW,
        column=inquiry_packs.COL_PLAN,
        value="・土地改良事業を3地区で実施する。",
    )
    workbook.save(path)
    reviewed = []

    def confirm(dialog):
        reviewed.append((dialog.items.topLevelItemCount(), dialog.summary.text()))
        return True

    window.inquiry.confirm_merge = confirm
    with qtbot.waitSignal(window.tasks.finished, timeout=60000):
        window.inquiry.read_answers([path, folder / "照会_水産課_R2年度.xlsx"])
    assert reviewed[0][0] == 1 and "農林課" in reviewed[0][1]
    entry = fresh(store_path).goals[0].directions[0].entries[0]
    assert entry.plan == "<ul><li>・土地改良事業を3地区で実施する。</li></ul>"
    assert entry.answered_by == "農林課" and entry.answered_at
    fish = fresh(store_path).goals[0].directions[0].entries[1]
    assert fish.answered_by == "水産課"  # answered without changes
    labels = [combo.itemText(i) for i in range(combo.count())]
    assert "農林課 (1) 回答済" in labels
    # One undo takes the whole merge back.
    window.document.undo_stack.undo()
    window.document.flush()
    entry = fresh(store_path).goals[0].directions[0].entries[0]
    assert richtext.to_plain(entry.plan).startswith("・農業経営基盤整備のために")
    assert entry.answered_by == ""
