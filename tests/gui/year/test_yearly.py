"""The yearly work in the window: new year, review, confirm, compare, prefill."""

from __future__ import annotations

from PySide6.QtCore import Qt

from kushiro_editor.core import richtext
from kushiro_editor.core.model import STATE_CARRIED, STATE_CONFIRMED
from kushiro_editor.formats import reportjson as json_format
from kushiro_editor.formats.docx import writer as docx_writer
from tests.gui.conftest import fresh, ime_commit


def review_rows(panel):
    """The panel's rows of review findings (not its notation rows): (item, finding)."""
    items = [panel.tree.topLevelItem(i) for i in range(panel.tree.topLevelItemCount())]
    return [(item, panel.finding_of(item)) for item in items if panel.finding_of(item)]


def rows_for(panel, entry):
    return [finding for _item, finding in review_rows(panel) if finding.entry is entry]


def test_new_year_review_rewrite_and_confirm(window, qtbot, store_path):
    """From the sample, FY2021 in a few clicks; the review lists what still needs work."""
    window.year.rollover(2020, "plan")
    document = window.document
    assert document.report.actual_year == 2021
    assert window.reports.isEnabled() and window.reports.count() == 2
    assert window.pane.view.heading_actual.text() == "R3年度(実績)"
    widgets = [w for w in window.pane.view._entries if w.isVisible()]
    assert all(w.state_text == "前年度から引継ぎ・未確認(実績・取組予定)" for w in widgets)
    assert all(w.confirm_button.isVisible() and w.compare_button.isVisible() for w in widgets)
    tree = document.tree
    direction_index = tree.index(0, 0, tree.index(0, 0))
    assert direction_index.data(Qt.ItemDataRole.DecorationRole) is not None
    panel = window.review.panel
    assert panel.isVisible()
    qtbot.waitUntil(lambda: not panel.busy, timeout=30000)
    entry = document.report.goals[0].directions[0].entries[0]
    assert {f.rule for f in rows_for(panel, entry)} >= {"carried"}
    # Rewrite the 実績 of 農林課 and confirm its plan.
    editor = widgets[0].actual
    editor.setFocus()
    editor.selectAll()
    ime_commit(editor, "3地区で土地改良事業を実施した。就農相談会に参加した。")
    qtbot.mouseClick(widgets[0].confirm_button, Qt.MouseButton.LeftButton)
    document.flush()
    panel.refresh()
    qtbot.waitUntil(lambda: not panel.busy, timeout=30000)
    assert rows_for(panel, entry) == []
    assert widgets[0].state_text == "✓ 確認済み(前年度から引継ぎ)"
    stored = fresh(store_path).goals[0].directions[0].entries[0]
    assert (stored.actual_state, stored.plan_state) == ("", STATE_CONFIRMED)
    # Typing over the whole text keeps the first paragraph a 「・」 item, as Word does.
    assert (
        stored.actual == "<ul><li>3地区で土地改良事業を実施した。就農相談会に参加した。</li></ul>"
    )
    # Undo the confirmation: the plan is unconfirmed again, and listed.
    document.undo_stack.undo()
    assert fresh(store_path).goals[0].directions[0].entries[0].plan_state == STATE_CARRIED
    panel.refresh()
    qtbot.waitUntil(lambda: not panel.busy, timeout=30000)
    assert [f.rule for f in rows_for(panel, entry)] == ["carried"]
    # A finding jumps to its entry.
    item = next(item for item, f in review_rows(panel) if f.entry.departments == ["博物館"])
    panel._activated(item)
    assert window.pane.view.direction is document.report.goals[0].directions[2]


def test_compare_with_last_year(window, qtbot):
    window.year.rollover(2020, "empty")
    entry = window.document.report.goals[0].directions[0].entries[0]
    widget = window.pane.view.entry_widget(entry)
    editor = widget.actual
    editor.setFocus()
    ime_commit(editor, "農業経営基盤整備のために土地改良事業を実施した。")
    window.review.compare_entry(entry)
    dialog = window.review.compare_dialog
    dialog.column.setCurrentIndex(1)  # this year's 実績 against last year's plan
    new_html = dialog.new.toHtml()
    assert "#dff3e4" in new_html  # the changed part is highlighted
    assert dialog.old.toPlainText().startswith("・農業経営基盤整備のために土地改良事業を実施する。")
    assert "書き換え・追加" in dialog.ratio.text()
    dialog.close()


def test_prefill_preview_and_one_undo(window, qtbot, store_path, tmp_path, sample_result):
    # This year's report in the store: last year's structure, empty plans.
    report = json_format.loads(json_format.dumps(sample_result.report)).report
    report.actual_year = 2021
    for _g, _d, entry in report.entries():
        entry.plan = ""
    window.store.save(report)
    window.refresh_reports(select=2021)
    last_year = tmp_path / "r2.docx"
    docx_writer.write_file(sample_result.report, last_year)
    previews = []

    def confirm(dialog):
        previews.append(dialog.plan)
        return True

    window.year.confirm_prefill = confirm
    with qtbot.waitSignal(window.tasks.finished, timeout=30000):
        window.year.prefill_from(last_year)
    assert len(previews[0].fills) == 70  # one plan was empty last year too
    stored = fresh(store_path)
    assert stored.actual_year == 2021
    filled = stored.goals[0].directions[0].entries[0]
    assert richtext.to_plain(filled.plan).startswith("・農業経営基盤整備のために土地改良事業")
    assert filled.plan_state == STATE_CARRIED
    window.document.undo_stack.undo()
    window.document.flush()
    after = fresh(store_path)
    assert all(e.plan == "" and e.plan_state == "" for _g, _d, e in after.entries())


def test_rollover_from_a_word_file(window, qtbot, tmp_path, sample_result):
    path = tmp_path / "r2.docx"
    docx_writer.write_file(sample_result.report, path)
    with qtbot.waitSignal(window.tasks.finished, timeout=30000):
        window.year.rollover(path, "empty")
    assert window.document.report.actual_year == 2021
    assert window.store.years() == [2021, 2020]


def test_department_typo_and_the_list(window, store_path, qtbot):
    window.store.set_department_list(["農林課", "水産課"])
    window.review.show_review()
    panel = window.review.panel
    qtbot.waitUntil(lambda: not panel.busy, timeout=30000)
    department_rows = [(i, f) for i, f in review_rows(panel) if f.rule == "department"]
    assert department_rows
    panel.tree.setCurrentItem(department_rows[0][0])
    assert panel.add_department.isEnabled()
    name = department_rows[0][1].entry.departments[0]
    panel.add_department.click()
    assert name in window.store.department_list()
    qtbot.waitUntil(lambda: not panel.busy, timeout=30000)
    assert all(
        name not in f.entry.departments or f.rule != "department" for _i, f in review_rows(panel)
    )


def test_length_limit_colours_the_count(window):
    window.review.show_review()
    window.review.panel.limit.setValue(100)
    widget = window.pane.view._entries[0]
    assert widget.actual_count.property("over")  # 360字 > 100
    window.review.panel.limit.setValue(0)
    assert not widget.actual_count.property("over")


def test_the_rule_column_fits_its_names_in_any_font(window):
    large = window.font()
    large.setPointSize(18)
    window.setFont(large)
    window.review.show_review()
    tree = window.review.panel.tree
    longest = tree.fontMetrics().horizontalAdvance("前年度から引継ぎ・未確認")
    assert tree.columnWidth(2) > longest
