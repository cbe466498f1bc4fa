"""The review panel lists a KPI's findings and a click on one shows where the KPI stands."""

from __future__ import annotations

from decimal import Decimal

import pytest
from PySide6.QtCore import Qt

from kushiro_editor.core import review
from kushiro_editor.core.model import Kpi, KpiValue
from kushiro_editor.core.store import Store

D = Decimal


@pytest.fixture
def kpi_window(make_window, store_path, sample_result):
    """The window on the sample with three KPIs: on a goal, a direction and a measure."""
    report = sample_result.report
    goal = report.goals[0]
    goal.kpis.append(Kpi(name="市内総生産", unit="億円", values=(KpiValue(2019, D("7000")),)))
    direction = report.goals[1].directions[1]
    direction.kpis.append(
        Kpi(
            name="就業者数",
            unit="人",
            departments=["産業推進室"],
            values=(KpiValue(2019, D("120")), KpiValue(2020, D("12000"))),
        )
    )
    measure = next(d for _g, d in report.directions() if d.measures).measures[0]
    measure.kpis.append(Kpi(name="研修の参加者数", unit="人", values=(KpiValue(2020, None, "35"),)))
    with Store(store_path) as store:
        store.save(report, sample_result.warnings)
    return make_window(store_path)


def checked_panel(window, qtbot):
    window.review.show_review()
    panel = window.review.panel
    qtbot.waitUntil(lambda: not panel.busy and not panel.checker.busy, timeout=30000)
    return panel


def kpi_rows(panel):
    rows = []
    for index in range(panel.tree.topLevelItemCount()):
        item = panel.tree.topLevelItem(index)
        finding = panel.finding_of(item)
        if finding is not None and finding.is_kpi:
            rows.append(item)
    return rows


def test_the_panel_lists_the_kpi_findings_with_their_place_and_rule(kpi_window, qtbot):
    panel = checked_panel(kpi_window, qtbot)
    rows = [[item.text(c) for c in range(3)] for item in kpi_rows(panel)]
    # In document order: the goal's, the measure's (under 【基本目標1】), then 【基本目標2】.
    assert rows == [
        ["【基本目標1】 指標「市内総生産」", "実績値", "今年度の実績値なし"],
        [rows[1][0], "実績値", "今年度の実績値なし"],
        [rows[1][0], "実績値", "数値・単位の書き場所"],
        ["【基本目標2】② 指標「就業者数」", "実績値", "前年度から桁違いの値"],
    ]
    assert rows[1][0].endswith(" ア 指標「研修の参加者数」")
    # The rule filter offers the KPI rules as the others.
    index = panel.rule.findData("kpi_jump")
    assert panel.rule.itemText(index) == "前年度から桁違いの値"
    panel.rule.setCurrentIndex(index)
    assert [item.text(0) for item in kpi_rows(panel)] == ["【基本目標2】② 指標「就業者数」"]
    assert panel.tree.topLevelItemCount() == 1


def test_a_click_on_a_kpi_finding_shows_its_direction(kpi_window, qtbot):
    window = kpi_window
    panel = checked_panel(window, qtbot)
    direction = window.document.report.goals[1].directions[1]
    assert window.pane.view.direction is not direction
    item = next(i for i in kpi_rows(panel) if panel.finding_of(i).rule == "kpi_jump")
    panel.tree.setCurrentItem(item)
    spot = panel.tree.visualItemRect(item).center()
    qtbot.mouseClick(panel.tree.viewport(), Qt.MouseButton.LeftButton, pos=spot)
    qtbot.waitUntil(lambda: window.pane.view.direction is direction, timeout=5000)
    current = window.pane.tree.currentIndex()
    assert window.pane.view.title.text() == direction.heading
    assert current.isValid()


def test_a_kpi_of_a_measure_shows_the_measure_marked(kpi_window, qtbot):
    window = kpi_window
    panel = checked_panel(window, qtbot)
    item = next(i for i in kpi_rows(panel) if panel.finding_of(i).rule == "kpi_misplaced")
    measure = panel.finding_of(item).owner
    panel.tree.itemActivated.emit(item, 0)
    qtbot.waitUntil(lambda: window.pane.view.measure_widget(measure) is not None, timeout=5000)
    assert window.pane.view.measure_widget(measure).highlighted
    others = [w for w in window.pane.view._measures if w.measure is not measure]
    assert not any(w.highlighted for w in others)


def test_a_goals_kpi_selects_its_goal_and_the_window_goes_on(kpi_window, qtbot):
    window = kpi_window
    panel = checked_panel(window, qtbot)
    goal = window.document.report.goals[0]
    window.pane.select_node(window.document.report.goals[2].directions[0])
    item = kpi_rows(panel)[0]
    assert panel.finding_of(item).entry in goal.kpis
    panel.tree.itemActivated.emit(item, 0)
    assert window.pane.tree.currentIndex().data(Qt.ItemDataRole.DisplayRole) is not None
    node = window.document.tree.node(window.pane.tree.currentIndex())
    assert node is goal or node in goal.directions
    assert window.pane.view.direction in goal.directions


def test_a_deleted_kpis_finding_leads_nowhere_and_fails_nothing(kpi_window, qtbot):
    window = kpi_window
    panel = checked_panel(window, qtbot)
    item = kpi_rows(panel)[0]
    kpi = panel.finding_of(item).entry
    before = window.pane.view.direction
    window.document.report.goals[0].kpis.remove(kpi)  # as a check under way sees a deletion
    window.pane.reveal(kpi, "values")
    assert window.pane.view.direction is before


def test_the_check_before_export_lists_kpi_findings_and_jumps_to_them(kpi_window, qtbot):
    from kushiro_editor.gui.files.precheck import PreExportDialog, open_findings

    window = kpi_window
    report = window.document.report
    found = open_findings(report, None, review.DEFAULT_LIMIT)
    dialog = PreExportDialog(report, found, "Word", window)
    qtbot.addWidget(dialog)
    texts = [dialog.list.topLevelItem(i).text(0) for i in range(dialog.list.topLevelItemCount())]
    assert "【基本目標2】② 指標「就業者数」" in texts
    row = dialog.list.topLevelItem(texts.index("【基本目標2】② 指標「就業者数」"))
    assert row.text(2) == "前年度から桁違いの値"
    dialog.list.itemActivated.emit(row, 0)
    node, field = dialog.chosen
    assert isinstance(node, Kpi) and node.name == "就業者数" and field == "values"


def test_the_background_checks_copy_keeps_the_kpis_as_they_were_asked_for(sample_result):
    from kushiro_editor.gui.review.backgroundcheck import review_request, run_review

    report = sample_result.report
    direction = report.goals[0].directions[0]
    kpi = Kpi(name="新規就農者数", unit="人", departments=["農林課"])
    direction.kpis.append(kpi)
    request = review_request(report, review.DEFAULT_LIMIT, None)
    # The window goes on editing while the check waits for its worker.
    direction.kpis.insert(0, Kpi(name="追加した指標"))
    kpi.departments.append("水産課")
    kpi.values = (KpiValue(2020, D("3")),)
    subjects = review.subjects(request.report)
    found = [
        (subjects[index][2].name, rule)
        for index, _field, rule, _detail in run_review(request)
        if rule.startswith("kpi_")
    ]
    assert found == [("新規就農者数", "kpi_missing")]
    copied = next(s[2] for s in subjects if isinstance(s[2], Kpi) and s[2].name == "新規就農者数")
    assert copied is not kpi and copied.departments == ["農林課"]
