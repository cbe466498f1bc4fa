"""指標の一覧: every KPI of the report, filtered by department and rating, and the jump to one."""

from __future__ import annotations

from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from kushiro_editor.core.kpi import editing
from kushiro_editor.core.store import Store
from tests.core.kpi_samples import by_name, kpi_report


@pytest.fixture
def kpi_window(make_window, store_path):
    """The window on a report with KPIs on its goal, its direction and a measure."""
    store = Store(store_path)
    store.save(kpi_report())
    store.close()
    return make_window(store_path)


def rows(panel):
    tree = panel.tree
    return [
        [tree.topLevelItem(i).text(c) for c in range(tree.columnCount())]
        for i in range(tree.topLevelItemCount())
    ]


def choose(box, text):
    index = box.findText(text)
    assert index >= 0, text
    box.setCurrentIndex(index)


def test_f8_lists_every_kpi_with_this_years_state(kpi_window, qtbot):
    qtbot.keyClick(kpi_window.pane.tree, Qt.Key.Key_F8)
    panel = kpi_window.kpi.panel
    assert panel is not None and panel.isVisible()
    assert QApplication.focusWidget() is panel.tree
    assert [panel.tree.headerItem().text(c) for c in range(6)] == [
        "場所",
        "指標",
        "R2年度の値",
        "達成率",
        "評価",
        "所管",
    ]
    assert rows(panel) == [
        ["【基本目標1】", "社会増減数", "-900 人", "50.0%", "C", "企画課"],
        ["【基本目標1】①", "観光入込客数", "530.5 万人", "76.3%", "C", "観光振興室"],
        ["【基本目標1】①", "待機児童数", "0 人", "100.0%", "A", "こども育成課、教育支援課"],
        ["【基本目標1】① ア", "漁獲量", "－", "－", "－", "水産課"],
    ]
    assert panel.count.text() == "4 件 / 全 4 件"


def test_filters_by_department_and_rating(kpi_window):
    panel = kpi_window.kpi.show_overview()
    departments = [panel.department.itemText(i) for i in range(panel.department.count())]
    assert departments == [
        "すべての部署",
        "企画課",
        "観光振興室",
        "こども育成課",
        "教育支援課",
        "水産課",
    ]
    choose(panel.department, "教育支援課")
    assert panel.shown_names() == ["待機児童数"]
    choose(panel.department, "すべての部署")
    choose(panel.rating, "C")
    assert panel.shown_names() == ["社会増減数", "観光入込客数"]
    choose(panel.rating, "－")
    assert panel.shown_names() == ["漁獲量"]
    choose(panel.department, "企画課")
    assert panel.shown_names() == []
    assert panel.count.text() == "0 件 / 全 4 件"


def test_a_hand_set_rating_is_listed_and_filtered_as_shown(kpi_window):
    panel = kpi_window.kpi.show_overview()
    document = kpi_window.document
    kpi = by_name(document.report, "観光入込客数")
    document.apply("評価", editing.set_override(document.report, kpi, "B", "速報値のため"))
    assert rows(panel)[1][4] == "B（手動）"
    choose(panel.rating, "B")
    assert panel.shown_names() == ["観光入込客数"]


def test_enter_jumps_to_the_kpis_row(kpi_window, qtbot):
    panel = kpi_window.kpi.show_overview()
    panel.tree.setCurrentItem(panel.tree.topLevelItem(3))
    qtbot.keyClick(panel.tree, Qt.Key.Key_Return)
    view = kpi_window.pane.view
    table = QApplication.focusWidget()
    assert table.current_kpi() is by_name(kpi_window.document.report, "漁獲量")
    assert view.kpis.isAncestorOf(table)
    assert type(table.kpi_model.owner).__name__ == "Measure"
    # The goal's 数値目標: shown above its first direction.
    panel.tree.setFocus()
    panel.tree.setCurrentItem(panel.tree.topLevelItem(0))
    qtbot.keyClick(panel.tree, Qt.Key.Key_Return)
    table = QApplication.focusWidget()
    assert table.current_kpi() is by_name(kpi_window.document.report, "社会増減数")
    assert kpi_window.pane.selected_node() is kpi_window.document.report.goals[0]


def test_the_list_follows_edits_and_undo(kpi_window):
    panel = kpi_window.kpi.show_overview()
    document = kpi_window.document
    catch = by_name(document.report, "漁獲量")
    assert document.apply("値", editing.set_value(catch, 2020, "1,100"))
    assert rows(panel)[3][2:5] == ["1,100 t", "50.0%", "C"]
    assert document.apply("削除", editing.remove(document.report, catch))
    assert panel.shown_names() == ["社会増減数", "観光入込客数", "待機児童数"]
    document.undo_stack.undo()
    document.undo_stack.undo()
    assert rows(panel)[3][1:5] == ["漁獲量", "－", "－", "－"]
    assert by_name(document.report, "漁獲量").value_of(2020).value is None
    assert by_name(document.report, "観光入込客数").value_of(2020).value == Decimal("530.5")


def test_a_report_without_kpis_has_an_empty_list(window):
    panel = window.kpi.show_overview()
    assert panel.shown_names() == []
    assert panel.count.text() == "0 件 / 全 0 件"
