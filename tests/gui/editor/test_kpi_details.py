"""「指標の詳細」: which way is better, the years, the target path and a hand-set rating."""

from __future__ import annotations

from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QApplication, QLineEdit

from kushiro_editor.core.kpi.scales import RATE_TARGET, KpiSettings
from kushiro_editor.core.model import HIGHER, LOWER, KpiTarget
from kushiro_editor.core.store import Store
from kushiro_editor.gui.editor.kpidetails import KpiDetailsDialog
from tests.core.kpi_samples import by_name, kpi_report
from tests.gui.conftest import fresh, ime_commit


@pytest.fixture
def kpi_window(make_window, store_path):
    """The window on the KPI report, rated value against target (so the direction counts)."""
    report = kpi_report()
    report.kpi_settings = KpiSettings(RATE_TARGET)
    store = Store(store_path)
    store.save(report)
    store.close()
    return make_window(store_path)


def direction_section(window):
    panel = window.pane.view.kpis
    shown = (s for s in panel.sections if s.isVisible())
    return next(s for s in shown if type(s.owner).__name__ == "Direction")


def row_cells(made, row):
    model = made.model
    return {c.heading: model.index(row, i).data() for i, c in enumerate(model.columns)}


def open_details(window, qtbot, row=0) -> KpiDetailsDialog:
    """The dialog opened from the table with F4, on a row of the direction's KPIs."""
    made = direction_section(window)
    made.table.setFocus()
    made.table.setCurrentIndex(made.model.index(row, 0))
    qtbot.keyClick(made.table, Qt.Key.Key_F4)
    dialog = window.pane.view.kpis.details
    assert dialog is not None
    qtbot.waitExposed(dialog)
    qtbot.waitUntil(dialog.isActiveWindow)
    return dialog


def closed(window):
    return window.pane.view.kpis.details is None


def test_lower_is_better_changes_rate_and_rating(kpi_window, qtbot, store_path):
    made = direction_section(kpi_window)
    # 530.5 ÷ 540.0, this year's target: 98.2 %.
    assert (row_cells(made, 0)["達成率"], row_cells(made, 0)["評価"]) == ("98.2%", "B")
    dialog = open_details(kpi_window, qtbot)
    assert dialog.better.currentText() == "高いほどよい"
    assert dialog.computed.text() == "計算では B(達成率 98.2%)"
    dialog.better.setCurrentIndex(dialog.better.findData(LOWER))
    # The computed rating beside the choice follows before OK: 540.0 ÷ 530.5.
    assert dialog.computed.text() == "計算では A(達成率 101.8%)"
    dialog.ok_button.click()
    qtbot.waitUntil(lambda: closed(kpi_window))
    assert (row_cells(made, 0)["達成率"], row_cells(made, 0)["評価"]) == ("101.8%", "A")
    assert by_name(fresh(store_path), "観光入込客数").better == LOWER


def test_years_and_path_are_stored(kpi_window, qtbot, store_path):
    dialog = open_details(kpi_window, qtbot)
    assert dialog.baseline_year.text() == "H30年度"
    assert [dialog.path.item(r, 0).text() for r in range(dialog.path.rowCount())] == [
        "R2年度",
        "R4年度",
    ]
    dialog.baseline_year.setText("令和元年度")
    dialog.target_year.setText("2025")
    dialog.add_path_row()  # after the last year: R5
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit) and dialog.path.isAncestorOf(editor)
    ime_commit(editor, "５８０．０")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.path.state() != QAbstractItemView.State.EditingState)
    assert dialog.path.item(2, 0).text() == "R5年度"
    dialog.path.setCurrentCell(0, 0)
    dialog.remove_path_row()  # R2's target goes
    dialog.ok_button.click()
    qtbot.waitUntil(lambda: closed(kpi_window))
    kpi = by_name(fresh(store_path), "観光入込客数")
    assert (kpi.baseline_year, kpi.target_year) == (2019, 2025)
    assert kpi.yearly_targets == (
        KpiTarget(2022, Decimal("570")),
        KpiTarget(2023, Decimal("580.0")),
    )
    # Without R2's own target the year is judged against the final one: 530.5 ÷ 600.0.
    assert row_cells(direction_section(kpi_window), 0)["目標値（年度）"] == "600.0（R7）"
    assert row_cells(direction_section(kpi_window), 0)["達成率"] == "88.4%"


def test_a_hand_rating_with_reason_and_back_to_computed(kpi_window, qtbot, store_path):
    dialog = open_details(kpi_window, qtbot)
    assert dialog.rating.currentText() == "計算どおり"
    assert not dialog.reason.isEnabled()
    dialog.rating.setCurrentIndex(dialog.rating.findData("A"))
    assert dialog.reason.isEnabled()
    dialog.reason.setText("速報値のため、確定値で見直す")
    dialog.ok_button.click()
    qtbot.waitUntil(lambda: closed(kpi_window))
    made = direction_section(kpi_window)
    assert row_cells(made, 0)["評価"] == "A（手動）"
    kpi = by_name(fresh(store_path), "観光入込客数")
    assert (kpi.override, kpi.override_reason) == ("A", "速報値のため、確定値で見直す")

    dialog = open_details(kpi_window, qtbot)
    assert dialog.rating.currentText() == "A"
    assert dialog.reason.text() == "速報値のため、確定値で見直す"
    dialog.rating.setCurrentIndex(dialog.rating.findData(""))
    dialog.ok_button.click()
    qtbot.waitUntil(lambda: closed(kpi_window))
    assert row_cells(made, 0)["評価"] == "B"
    kpi = by_name(fresh(store_path), "観光入込客数")
    assert (kpi.override, kpi.override_reason) == ("", "")


@pytest.mark.parametrize(
    ("field", "text", "said"),
    [
        ("baseline_year", "令和百年度", "基準値の年度「令和百年度」は年度として読めません"),
        ("target_year", "2024年度版", "目標年度「2024年度版」は年度として読めません"),
        ("path", "540人", "「540人」は数値として読めません"),
        ("path_year", "R", "目標値の年度「R」は年度として読めません"),
        ("rating", "", "手動で評価するときは理由を書いてください。"),
    ],
)
def test_bad_input_is_refused_and_changes_nothing(kpi_window, qtbot, store_path, field, text, said):
    document = kpi_window.document
    steps = document.undo_stack.count()
    dialog = open_details(kpi_window, qtbot)
    dialog.better.setCurrentIndex(dialog.better.findData(LOWER))  # a good change beside it
    if field == "path":
        dialog.path.item(0, 1).setText(text)
    elif field == "path_year":
        dialog.path.item(0, 0).setText(text)
    elif field == "rating":
        dialog.rating.setCurrentIndex(dialog.rating.findData("A"))
        dialog.reason.setText("　")
    else:
        getattr(dialog, field).setText(text)
    dialog.ok_button.click()
    assert dialog.isVisible()
    assert dialog.error.isVisible()
    assert said in dialog.error.text()
    assert "\n" not in dialog.error.text()
    assert document.undo_stack.count() == steps
    kpi = by_name(fresh(store_path), "観光入込客数")
    assert kpi.better == HIGHER and kpi.override == ""
    assert by_name(document.report, "観光入込客数").better == HIGHER
    dialog.reject()
    qtbot.waitUntil(lambda: closed(kpi_window))
    assert document.undo_stack.count() == steps


def test_the_whole_dialog_is_one_undo_step(kpi_window, qtbot, store_path):
    document = kpi_window.document
    steps = document.undo_stack.count()
    dialog = open_details(kpi_window, qtbot, row=1)  # 待機児童数
    dialog.better.setCurrentIndex(dialog.better.findData(HIGHER))
    dialog.target_year.setText("R8")
    dialog.add_path_row()
    QApplication.focusWidget().setText("10")
    dialog.path.setFocus()  # the editor commits as the keyboard leaves it
    qtbot.waitUntil(lambda: dialog.path.state() != QAbstractItemView.State.EditingState)
    dialog.rating.setCurrentIndex(dialog.rating.findData("B"))
    dialog.reason.setText("年度途中の入所を考慮")
    dialog.ok_button.click()
    qtbot.waitUntil(lambda: closed(kpi_window))
    assert document.undo_stack.count() == steps + 1
    assert document.undo_stack.undoText() == "指標「待機児童数」の詳細を変更"
    kpi = by_name(fresh(store_path), "待機児童数")
    assert (kpi.better, kpi.target_year, kpi.override) == (HIGHER, 2026, "B")
    assert kpi.yearly_targets == (KpiTarget(2020, Decimal("10")),)
    document.undo_stack.undo()
    kpi = by_name(fresh(store_path), "待機児童数")
    assert (kpi.better, kpi.target_year, kpi.yearly_targets) == (LOWER, 2024, ())
    assert (kpi.override, kpi.override_reason) == ("", "")
    assert row_cells(direction_section(kpi_window), 1)["評価"] != "B（手動）"
    document.undo_stack.redo()
    assert row_cells(direction_section(kpi_window), 1)["評価"] == "B（手動）"


def test_nothing_changed_is_no_undo_step(kpi_window, qtbot):
    document = kpi_window.document
    steps = document.undo_stack.count()
    dialog = open_details(kpi_window, qtbot)
    qtbot.keyClick(dialog.better, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: closed(kpi_window))
    assert document.undo_stack.count() == steps


def test_keyboard_only(kpi_window, qtbot, store_path):
    made = direction_section(kpi_window)
    dialog = open_details(kpi_window, qtbot)
    assert QApplication.focusWidget() is dialog.better
    qtbot.keyClick(dialog.better, Qt.Key.Key_Down)  # 低いほどよい
    qtbot.keyClick(dialog.better, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is dialog.baseline_year
    qtbot.keyClicks(dialog.baseline_year, "R1")  # the text was selected as Tab came in
    qtbot.keyClick(dialog.baseline_year, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is dialog.target_year
    qtbot.keyClicks(dialog.target_year, "2026")
    qtbot.keyClick(dialog.target_year, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is dialog.path
    qtbot.keyClick(dialog.path, Qt.Key.Key_Insert)  # a row after the last year, R5
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit) and dialog.path.isAncestorOf(editor)
    qtbot.keyClicks(editor, "590")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.path.state() != QAbstractItemView.State.EditingState)
    qtbot.keyClick(dialog.path, Qt.Key.Key_Return)  # Enter is OK
    qtbot.waitUntil(lambda: closed(kpi_window))
    kpi = by_name(fresh(store_path), "観光入込客数")
    assert (kpi.better, kpi.baseline_year, kpi.target_year) == (LOWER, 2019, 2026)
    assert kpi.target_of(2023) == KpiTarget(2023, Decimal("590"))
    assert kpi.target_of(2020) == KpiTarget(2020, Decimal("540.0"))
    qtbot.waitUntil(lambda: QApplication.focusWidget() is made.table)  # back on the KPI's row
    assert made.table.current_kpi() is by_name(kpi_window.document.report, "観光入込客数")


def test_opened_from_the_button_beside_the_table(kpi_window, qtbot):
    made = direction_section(kpi_window)
    made.table.setFocus()
    made.table.setCurrentIndex(made.model.index(1, 0))
    panel = kpi_window.pane.view.kpis
    assert panel.details_button.text() == "詳細…"
    assert "F4" in panel.details_button.toolTip()
    panel.details_button.click()
    assert panel.details is not None and panel.details.kpi.name == "待機児童数"
    assert panel.details.better.currentData() == LOWER
    panel.details.reject()
    qtbot.waitUntil(lambda: closed(kpi_window))


def test_the_list_and_the_chart_follow(kpi_window, qtbot):
    overview = kpi_window.kpi.show_overview()
    chart = kpi_window.pane.view.kpis.chart

    def listed():
        items = (overview.tree.topLevelItem(i) for i in range(overview.tree.topLevelItemCount()))
        return next((it.text(3), it.text(4)) for it in items if it.text(1) == "観光入込客数")

    assert listed() == ("98.2%", "B")
    dialog = open_details(kpi_window, qtbot)
    assert chart.kpi is by_name(kpi_window.document.report, "観光入込客数")
    paths = len(chart.path_points())
    dialog.better.setCurrentIndex(dialog.better.findData(LOWER))
    dialog.rating.setCurrentIndex(dialog.rating.findData("C"))
    dialog.reason.setText("統計の見直し")
    dialog.add_path_row()
    QApplication.focusWidget().setText("585")
    dialog.path.setFocus()
    qtbot.waitUntil(lambda: dialog.path.state() != QAbstractItemView.State.EditingState)
    dialog.ok_button.click()
    qtbot.waitUntil(lambda: closed(kpi_window))
    assert listed() == ("101.8%", "C（手動）")
    assert len(chart.path_points()) == paths + 1


def test_the_context_menu_opens_the_dialog(kpi_window, qtbot):
    from PySide6.QtCore import QTimer
    from PySide6.QtGui import QContextMenuEvent

    made = direction_section(kpi_window)
    chosen = []

    def pick():
        menu = QApplication.activePopupWidget()
        if menu is None:
            QTimer.singleShot(20, pick)
            return
        chosen.append([a.text() for a in menu.actions()])
        menu.actions()[0].trigger()
        menu.close()

    made.table.setFocus()
    rect = made.table.visualRect(made.model.index(1, 0))
    spot = rect.center()
    event = QContextMenuEvent(
        QContextMenuEvent.Reason.Keyboard, spot, made.table.viewport().mapToGlobal(spot)
    )
    QTimer.singleShot(20, pick)
    QApplication.sendEvent(made.table.viewport(), event)
    assert chosen == [["指標の詳細…\tF4", "上へ", "下へ", "削除…"]]
    dialog = kpi_window.pane.view.kpis.details
    assert dialog is not None and dialog.kpi.name == "待機児童数"
    dialog.reject()
    qtbot.waitUntil(lambda: closed(kpi_window))


def test_a_read_only_window_opens_no_details(make_window, store_path, qtbot):
    store = Store(store_path)
    store.save(kpi_report())
    store.close()
    window = make_window(store_path, read_only=True)
    panel = window.pane.view.kpis
    assert not panel.details_button.isEnabled()
    made = direction_section(window)
    made.table.setFocus()
    made.table.setCurrentIndex(made.model.index(0, 0))
    qtbot.keyClick(made.table, Qt.Key.Key_F4)
    assert panel.details is None
    assert panel.show_details(by_name(window.document.report, "観光入込客数")) is None
