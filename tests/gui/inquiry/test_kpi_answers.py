"""KPI values answered in the packs, reviewed in the window beside the texts: one undo step."""

from __future__ import annotations

from decimal import Decimal

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from kushiro_editor.core.kpi import editing
from kushiro_editor.core.model import Kpi, KpiValue
from kushiro_editor.core.store import Store
from kushiro_editor.formats.inquiry import packs as inquiry_packs
from kushiro_editor.gui.inquiry.dialogs import MergeDialog
from tests.core.kpi_samples import by_name, kpi_report
from tests.gui.conftest import fresh


@pytest.fixture
def kpi_window(make_window, store_path):
    """The window on the KPI report, with two more KPIs of 観光振興室."""
    report = kpi_report()
    direction = report.goals[0].directions[0]
    for name, value in (("宿泊客数", "120"), ("観光消費額", "80.5")):
        direction.kpis.append(
            Kpi(
                name=name,
                unit="億円" if name == "観光消費額" else "千人",
                departments=["観光振興室"],
                values=(KpiValue(2020, Decimal(value)),),
            )
        )
    store = Store(store_path)
    store.save(report)
    store.close()
    return make_window(store_path)


def _fill(path, kpi_cells: dict[str, str], plan: str) -> None:
    workbook = load_workbook(path)
    sheet = workbook["指標"]
    rows = {sheet.cell(row=r, column=2).value: r for r in range(5, sheet.max_row + 1)}
    for name, value in kpi_cells.items():
        sheet.cell(row=rows[name], column=7).value = value
    answers = workbook[inquiry_packs.ANSWER_SHEET]
    answers.cell(row=inquiry_packs.FIRST_ROW, column=inquiry_packs.COL_PLAN).value = plan
    workbook.save(path)


def test_kpi_values_in_the_answer_review(kpi_window, qtbot, tmp_path, store_path):
    window = kpi_window
    folder = tmp_path / "packs"
    with qtbot.waitSignal(window.tasks.finished, timeout=60000):
        window.inquiry.write_packs(folder, ["観光振興室"])
    window.inquiry.result_box.close()
    pack = folder / "照会_観光振興室_R2年度.xlsx"
    typed = {"観光入込客数": "１，２３４", "宿泊客数": "130", "観光消費額": "集計中"}
    _fill(pack, typed, "部署の予定。")
    # Meanwhile the clerk corrects 宿泊客数 in the window.
    stays = by_name(window.document.report, "宿泊客数")
    window.document.apply("clerk", editing.set_value(stays, 2020, "125"))
    seen = {}

    def decide(dialog: MergeDialog) -> bool:
        items = dialog.items
        seen["rows"] = [
            [items.topLevelItem(i).text(c) for c in (1, 3, 4)]
            for i in range(items.topLevelItemCount())
        ]
        seen["notes"] = [dialog.notes.item(i).text() for i in range(dialog.notes.count())]
        conflict = next(
            i for i in range(items.topLevelItemCount()) if items.topLevelItem(i).text(3) == "競合"
        )
        items.setCurrentItem(items.topLevelItem(conflict))
        seen["panes"] = (dialog.clerk.toPlainText(), dialog.department.toPlainText())
        seen["buttons"] = (dialog.keep_button.text(), dialog.edit_button.text())

        def typed_value(value_dialog) -> bool:
            value_dialog.value.setText("12人")
            value_dialog.accept()
            seen["refused"] = (value_dialog.result(), value_dialog.error.text())
            value_dialog.value.setText("1,280")
            value_dialog.note.setText("見込み")
            value_dialog.accept()
            return value_dialog.result() == QDialog.DialogCode.Accepted

        dialog.run_value_dialog = typed_value
        qtbot.mouseClick(dialog.edit_button, Qt.MouseButton.LeftButton)
        seen["decision"] = items.topLevelItem(conflict).text(4)
        seen["summary"] = dialog.summary.text()
        return True

    window.inquiry.confirm_merge = decide
    with qtbot.waitSignal(window.tasks.finished, timeout=60000):
        window.inquiry.read_answers([pack])
    assert seen["rows"] == [
        ["【基本目標1】① 観光振興室 取組予定", "回答", "回答を取り込む"],
        ["【基本目標1】① 指標「観光入込客数」 R2年度の値", "回答", "回答の値を取り込む"],
        ["【基本目標1】① 指標「宿泊客数」 R2年度の値", "競合", "未決定(現在の値のまま)"],
    ]
    assert any(
        "G7: 指標「観光消費額」のR2年度の値「集計中」は数値として読めない" in note
        for note in seen["notes"]
    )
    assert seen["panes"] == ("120 千人\n125 千人", "120 千人\n130 千人")
    assert seen["buttons"] == ("現在の値を残す", "値を入力…")
    assert seen["refused"][0] == QDialog.DialogCode.Rejected
    assert "「12人」は数値として読めません" in seen["refused"][1]
    assert seen["decision"] == "入力した値を取り込む"
    assert "書き換えのあった文章・指標の値 3 件: 取り込む 3 件" in seen["summary"]

    def stored():
        report = fresh(store_path)
        values = {n: by_name(report, n).value_of(2020) for n in typed}
        return values, report.goals[0].directions[0].entries[0].plan

    values, plan = stored()
    assert values == {
        "観光入込客数": KpiValue(2020, Decimal("1234"), "速報値"),
        "宿泊客数": KpiValue(2020, Decimal("1280"), "見込み"),
        "観光消費額": KpiValue(2020, Decimal("80.5")),
    }
    assert plan == "<p>部署の予定。</p>"
    # One undo step takes the texts and the values back, the clerk's correction stays.
    window.document.undo_stack.undo()
    window.document.flush()
    values, plan = stored()
    assert values == {
        "観光入込客数": KpiValue(2020, Decimal("530.5"), "速報値"),
        "宿泊客数": KpiValue(2020, Decimal("125")),
        "観光消費額": KpiValue(2020, Decimal("80.5")),
    }
    assert plan == "<p>する。</p>"
    assert by_name(window.document.report, "観光入込客数").value_of(2020).value == Decimal("530.5")
    window.document.undo_stack.undo()
    assert by_name(fresh(store_path), "宿泊客数").value_of(2020).value == Decimal("120")


def test_the_pack_dialog_counts_each_departments_kpis(kpi_window, settings):
    from kushiro_editor.gui.inquiry.dialogs import PackDialog

    dialog = PackDialog(kpi_window.document.report, {}, "/tmp", settings, kpi_window)
    texts = [dialog.list.item(i).text() for i in range(dialog.list.count())]
    assert texts == ["観光振興室(1行、指標3件、)"]
