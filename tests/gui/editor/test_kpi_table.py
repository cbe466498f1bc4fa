"""The KPI tables under a direction's title, driven by the keyboard as a clerk uses them."""

from __future__ import annotations

from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QAbstractItemModelTester
from PySide6.QtWidgets import QAbstractItemView, QApplication, QLineEdit

from kushiro_editor.core.kpi import fields
from kushiro_editor.core.store import Store
from tests.core.kpi_samples import by_name, kpi_report
from tests.gui.conftest import fresh, ime_commit

CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def kpi_window(make_window, store_path):
    """The window on a report with KPIs on its goal, its direction and a measure."""
    store = Store(store_path)
    store.save(kpi_report())
    store.close()
    return make_window(store_path)


def panel(window):
    return window.pane.view.kpis


def section(window, owner_type):
    return next(
        s for s in panel(window).sections if s.isVisible() and type(s.owner).__name__ == owner_type
    )


def cells(made, row):
    model = made.model
    return {c.heading: model.index(row, i).data() for i, c in enumerate(model.columns)}


def editor_of(table):
    focused = QApplication.focusWidget()
    assert isinstance(focused, QLineEdit) and table.isAncestorOf(focused)
    return focused


def type_cell(qtbot, table, text, start=Qt.Key.Key_F2):
    """Open the current cell's editor with a key, type over its text, Enter to commit."""
    qtbot.keyClick(table, start)
    editor = editor_of(table)
    editor.selectAll()
    if text.isascii():
        qtbot.keyClicks(editor, text)
    else:  # as a Japanese IME commits a phrase
        ime_commit(editor, text)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    # The delegate commits on the next turn of the event loop.
    qtbot.waitUntil(lambda: table.state() != QAbstractItemView.State.EditingState)


def test_a_report_without_kpis_shows_no_table(window):
    assert not panel(window).isVisible()
    assert panel(window).sections == []


def test_the_tables_show_each_nodes_kpis_with_rate_and_rating(kpi_window):
    made = section(kpi_window, "Direction")
    QAbstractItemModelTester(made.model, QAbstractItemModelTester.FailureReportingMode.Fatal)
    headings = [c.heading for c in made.model.columns]
    assert headings == [
        "指標",
        "単位",
        "基準値（年度）",
        "目標値（年度）",
        "令和元年度",
        "R2年度",
        "注記",
        "達成率",
        "評価",
        "所管",
        "備考",
    ]
    visitors = cells(made, 0)
    assert visitors["指標"] == "観光入込客数"
    assert visitors["基準値（年度）"] == "500.0（H30）"
    assert visitors["目標値（年度）"] == "600.0（R6）"
    assert (visitors["令和元年度"], visitors["R2年度"], visitors["注記"]) == (
        "512.30",
        "530.5",
        "速報値",
    )
    # (530.5 − 500) ÷ (540 − 500), this year's target on the path: 76.25 → 76.3 %.
    assert (visitors["達成率"], visitors["評価"]) == ("76.3%", "C")
    assert cells(made, 1)["所管"] == "こども育成課、教育支援課"
    assert cells(section(kpi_window, "Goal"), 0)["評価"] == "C"
    catch = cells(section(kpi_window, "Measure"), 0)
    assert (catch["R2年度"], catch["達成率"], catch["評価"]) == ("－", "－", "－")
    assert not made.model.flags(made.model.index(0, headings.index("達成率"))) & (
        Qt.ItemFlag.ItemIsEditable
    )


def test_a_rating_set_by_hand_says_so(kpi_window):
    from kushiro_editor.core.kpi import editing

    document = kpi_window.document
    kpi = by_name(document.report, "観光入込客数")
    assert document.apply("評価", editing.set_override(document.report, kpi, "B", "速報値のため"))
    assert cells(section(kpi_window, "Direction"), 0)["評価"] == "B（手動）"
    document.undo_stack.undo()
    assert cells(section(kpi_window, "Direction"), 0)["評価"] == "C"


def test_adding_a_kpi_and_typing_its_values_by_keyboard(kpi_window, qtbot, store_path):
    made = section(kpi_window, "Direction")
    table = made.table
    table.setFocus()
    table.setCurrentIndex(made.model.index(0, 0))
    qtbot.keyClick(table, Qt.Key.Key_K, CTRL)  # 編集 → 追加 → 指標
    assert made.model.rowCount() == 3
    name = editor_of(table)  # the new KPI's name is being edited
    name.selectAll()
    ime_commit(name, "移住相談件数")
    qtbot.keyClick(name, Qt.Key.Key_Return)
    assert table.currentIndex().row() == 2
    qtbot.keyClick(table, Qt.Key.Key_Right)
    type_cell(qtbot, table, "件", Qt.Key.Key_Return)
    qtbot.keyClick(table, Qt.Key.Key_Right)
    type_cell(qtbot, table, "１，２００（令和元）")
    qtbot.keyClick(table, Qt.Key.Key_Right)
    type_cell(qtbot, table, "1500 (R6)")
    r2 = made.model.column_of("year", 2020)
    table.setCurrentIndex(made.model.index(2, r2 - 1))
    qtbot.keyClick(table, Qt.Key.Key_Right)
    type_cell(qtbot, table, "1,350")
    qtbot.keyClick(table, Qt.Key.Key_Right)
    type_cell(qtbot, table, "速報値")
    row = cells(made, 2)
    assert (row["達成率"], row["評価"]) == ("50.0%", "C")
    kpi = by_name(fresh(store_path), "移住相談件数")
    assert (kpi.unit, kpi.baseline, kpi.baseline_year) == ("件", Decimal("1200"), 2019)
    assert (kpi.target, kpi.target_year) == (Decimal("1500"), 2024)
    assert [(v.year, v.value, v.note) for v in kpi.values] == [(2020, Decimal("1350"), "速報値")]
    # Each change was one step: undoing them all takes the KPI away again.
    document = kpi_window.document
    while document.undo_stack.canUndo():
        document.undo_stack.undo()
    assert made.model.rowCount() == 2
    assert [k.name for k in fresh(store_path).goals[0].directions[0].kpis] == [
        "観光入込客数",
        "待機児童数",
    ]


def test_a_bad_number_is_refused_with_a_message(kpi_window, qtbot, store_path):
    made = section(kpi_window, "Direction")
    table = made.table
    table.setFocus()
    table.setCurrentIndex(made.model.index(0, made.model.column_of("year", 2020)))
    steps = kpi_window.document.undo_stack.count()
    type_cell(qtbot, table, "530人")
    message = panel(kpi_window).message
    assert message.isVisible()
    assert "数値として読めません" in message.text()
    assert kpi_window.document.undo_stack.count() == steps
    assert cells(made, 0)["R2年度"] == "530.5"
    assert by_name(fresh(store_path), "観光入込客数").value_of(2020).value == Decimal("530.5")
    type_cell(qtbot, table, "△5")  # a negative value, as offices write it
    assert not message.isVisible()
    assert by_name(fresh(store_path), "観光入込客数").value_of(2020).value == Decimal("-5")


def test_reorder_and_delete_with_undo(kpi_window, qtbot, store_path, monkeypatch):
    made = section(kpi_window, "Direction")
    table = made.table
    table.setFocus()
    table.setCurrentIndex(made.model.index(0, 1))
    qtbot.keyClick(table, Qt.Key.Key_Down, CTRL)
    assert [k.name for k in made.model.kpis] == ["待機児童数", "観光入込客数"]
    assert table.current_kpi().name == "観光入込客数"  # the keyboard went with it
    assert table.currentIndex().column() == 1
    # Ctrl+Shift+↑ moves the KPI too (not the direction in the tree).
    qtbot.keyClick(table, Qt.Key.Key_Up, CTRL | Qt.KeyboardModifier.ShiftModifier)
    assert [k.name for k in made.model.kpis] == ["観光入込客数", "待機児童数"]
    assert [g.title for g in kpi_window.document.report.goals] == ["地域の魅力"]
    kpi_window.document.undo_stack.undo()
    assert [k.name for k in made.model.kpis] == ["待機児童数", "観光入込客数"]
    kpi_window.document.undo_stack.redo()

    asked = []
    monkeypatch.setattr(panel(kpi_window), "confirm_delete", lambda kpi: asked.append(kpi) or False)
    table.setCurrentIndex(made.model.index(1, 0))
    qtbot.keyClick(table, Qt.Key.Key_Delete)
    assert [k.name for k in asked] == ["待機児童数"]
    assert made.model.rowCount() == 2  # declined: nothing changed
    monkeypatch.setattr(panel(kpi_window), "confirm_delete", lambda kpi: True)
    qtbot.keyClick(table, Qt.Key.Key_Delete)
    assert [k.name for k in made.model.kpis] == ["観光入込客数"]
    assert [k.name for k in fresh(store_path).goals[0].directions[0].kpis] == ["観光入込客数"]
    kpi_window.document.undo_stack.undo()
    assert [k.name for k in made.model.kpis] == ["観光入込客数", "待機児童数"]
    restored = by_name(fresh(store_path), "待機児童数")
    assert [v.value for v in restored.values] == [Decimal("40"), Decimal("0")]


def test_the_chart_shows_the_selected_kpi(kpi_window, qtbot):
    made = section(kpi_window, "Direction")
    table = made.table
    table.setFocus()
    table.setCurrentIndex(made.model.index(1, 0))
    chart = panel(kpi_window).chart
    waiting = by_name(kpi_window.document.report, "待機児童数")
    assert chart.kpi is waiting
    assert "待機児童数" in panel(kpi_window).chart_label.text()
    # Two values (40, then 0): the second point stands lower, a year to the right.
    first, second = chart.value_points()
    assert second.x() > first.x() and second.y() > first.y()
    qtbot.keyClick(table, Qt.Key.Key_Up)
    assert chart.kpi is by_name(kpi_window.document.report, "観光入込客数")
    assert len(chart.value_points()) == 2
    assert 0 < chart.height() <= 160


def test_editing_follows_undo_and_other_views(kpi_window, qtbot):
    made = section(kpi_window, "Direction")
    table = made.table
    table.setFocus()
    table.setCurrentIndex(made.model.index(0, 0))
    type_cell(qtbot, table, "観光入込客数（延べ）")
    assert cells(made, 0)["指標"] == "観光入込客数（延べ）"
    assert kpi_window.document.undo_stack.undoText() == "指標「観光入込客数」の指標名を変更"
    kpi_window.document.undo_stack.undo()
    assert cells(made, 0)["指標"] == "観光入込客数"
    kpi_window.document.undo_stack.redo()
    assert cells(made, 0)["指標"] == "観光入込客数（延べ）"
    assert fields.has_kpis(kpi_window.document.report)


def test_tab_reaches_the_table_and_esc_cancels_an_edit(kpi_window, qtbot, store_path):
    from kushiro_editor.gui.editor.kpitable import KpiTable

    kpi_window.pane.tree.setFocus()
    seen = []
    for _ in range(12):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        seen.append(type(QApplication.focusWidget()).__name__)
        if isinstance(QApplication.focusWidget(), KpiTable):
            break
    table = QApplication.focusWidget()
    assert isinstance(table, KpiTable), seen
    assert table.kpi_model.owner is kpi_window.document.report.goals[0]  # the first table
    table.setCurrentIndex(table.kpi_model.index(0, 0))
    # Tab leaves the table for the next one (the arrows move inside it).
    qtbot.keyClick(table, Qt.Key.Key_Tab)
    following = QApplication.focusWidget()
    assert isinstance(following, KpiTable) and following is not table
    following.setCurrentIndex(following.kpi_model.index(0, 1))
    qtbot.keyClick(following, Qt.Key.Key_Down)
    assert following.current_kpi().name == "待機児童数"
    qtbot.keyClick(following, Qt.Key.Key_F2)
    editor = editor_of(following)
    editor.selectAll()
    qtbot.keyClicks(editor, "kg")
    qtbot.keyClick(editor, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: following.state() != QAbstractItemView.State.EditingState)
    assert cells(section(kpi_window, "Direction"), 1)["単位"] == "人"
    assert by_name(fresh(store_path), "待機児童数").unit == "人"
    assert QApplication.focusWidget() is following


def test_the_first_kpi_of_a_report_is_added_with_ctrl_k(window, qtbot, store_path):
    view = window.pane.view
    window.pane.tree.setFocus()
    qtbot.keyClick(window.pane.tree, Qt.Key.Key_K, CTRL)
    assert panel(window).isVisible()
    made = section(window, "Direction")
    assert made.owner is view.direction
    name = editor_of(made.table)
    ime_commit(name, "農業産出額")
    qtbot.keyClick(name, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: made.table.state() != QAbstractItemView.State.EditingState)
    stored = fresh(store_path).goals[0].directions[0].kpis
    assert [k.name for k in stored] == ["農業産出額"]
    window.document.undo_stack.undo()  # the name
    window.document.undo_stack.undo()  # the KPI: the report has none again
    assert not panel(window).isVisible()
    assert fresh(store_path).goals[0].directions[0].kpis == []


def test_the_add_menu_adds_to_the_goal_or_a_measure(kpi_window):
    kpis = panel(kpi_window)
    kpis._fill_add_menu()
    texts = [a.text() for a in kpis.add_menu.actions()]
    assert texts == [
        "【基本目標1】の数値目標に追加",
        "基本的方向①の重要業績評価指標（KPI）に追加",
        "施策「ア 水産業の振興」の重要業績評価指標（KPI）に追加",
    ]
    kpis.add_menu.actions()[2].trigger()
    measure = kpi_window.document.report.goals[0].directions[0].measures[0]
    assert [k.name for k in measure.kpis] == ["漁獲量", "新しい指標"]
    assert section(kpi_window, "Measure").model.rowCount() == 2


def test_a_read_only_window_changes_no_kpi(make_window, store_path):
    store = Store(store_path)
    store.save(kpi_report())
    store.close()
    window = make_window(store_path, read_only=True)
    made = section(window, "Direction")
    assert not made.model.flags(made.model.index(0, 0)) & Qt.ItemFlag.ItemIsEditable
    assert not panel(window).add_button.isEnabled()
    assert panel(window).add_kpi() is None
    assert made.model.rowCount() == 2


def test_at_1280_by_720_no_column_is_cut_or_squashed(kpi_window, qtbot):
    from kushiro_editor.gui.editor.kpitable import LONG_TEXT_WIDTH, NAME_WIDTH

    kpi_window.resize(1280, 720)
    qtbot.waitUntil(lambda: kpi_window.width() == 1280)
    QApplication.processEvents()
    image = kpi_window.grab()
    assert image.width() == 1280
    for made in panel(kpi_window).sections:
        if not made.isVisible():
            continue
        table, model = made.table, made.model
        header = table.horizontalHeader()
        for index, column in enumerate(model.columns):
            width = header.sectionSize(index)
            if column.key == "name":
                assert width >= NAME_WIDTH
            elif column.key in ("departments", "comment"):
                assert width >= min(header.sectionSizeHint(index), LONG_TEXT_WIDTH)
            else:  # a number, a unit, a rate: never elided
                needed = max(header.sectionSizeHint(index), table.sizeHintForColumn(index))
                assert width >= needed, (column.heading, width, needed)
        # Every row is shown: the table is as high as its rows (no inner scrolling).
        assert table.verticalScrollBar().maximum() == 0
    assert panel(kpi_window).chart.height() <= 160
