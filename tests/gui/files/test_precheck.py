"""書き出す前の確かめ: the Word and PDF for submission wait for the clerk's word while the
review still finds something; a draft (Excel) goes out at once."""

from __future__ import annotations

from PySide6.QtWidgets import QFileDialog

from kushiro_editor.core import review
from tests.gui.conftest import answer_precheck


def save_to(monkeypatch, path):
    asked = []

    def choose(*_args, **_kwargs):
        asked.append(path)
        return str(path), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", choose)
    return asked


def expected_findings(window):
    report = window.document.report
    departments = window.store.department_list() or None
    return review.check(report, departments=departments)


def test_word_export_lists_the_open_findings_and_cancel_writes_nothing(
    window, qtbot, tmp_path, monkeypatch
):
    out = tmp_path / "提出用.docx"
    asked = save_to(monkeypatch, out)
    expected = expected_findings(window)
    assert expected  # the sample has things to look at
    seen = answer_precheck(lambda dialog: dialog.reject())
    window.files.act_export_docx.trigger()
    qtbot.waitUntil(lambda: "rows" in seen, timeout=30000)
    qtbot.waitUntil(lambda: not window.tasks.busy, timeout=30000)
    assert len(seen["rows"]) == len(expected)
    assert f"{len(expected):,} 件" in seen["summary"]
    carried = sum(1 for f in expected if f.rule == "carried")
    # (said only when there are such texts: the sample has none, a new year has many)
    assert ("確認していないもの" in seen["summary"]) == bool(carried)
    first = expected[0]
    assert seen["rows"][0][0] == first.where and seen["rows"][0][3] == first.detail
    assert seen["fits"]
    assert asked == [] and not out.exists()


def test_export_anyway_writes_the_word_file(window, qtbot, tmp_path, monkeypatch):
    out = tmp_path / "提出用.docx"
    save_to(monkeypatch, out)
    answer_precheck(lambda dialog: dialog.export_button.click())
    window.files.act_export_docx.trigger()
    qtbot.waitUntil(out.exists, timeout=60000)
    qtbot.waitUntil(lambda: not window.tasks.busy, timeout=30000)


def test_looking_at_the_review_first_opens_it_and_writes_nothing(
    window, qtbot, tmp_path, monkeypatch
):
    out = tmp_path / "公表用.pdf"
    asked = save_to(monkeypatch, out)
    seen = answer_precheck(lambda dialog: dialog.review_button.click())
    window.files.act_export_pdf.trigger()
    qtbot.waitUntil(lambda: "rows" in seen, timeout=30000)
    qtbot.waitUntil(lambda: window.review.panel is not None and window.review.panel.isVisible())
    assert asked == [] and not out.exists()


def test_a_finding_double_clicked_opens_its_text(window, qtbot, tmp_path, monkeypatch):
    save_to(monkeypatch, tmp_path / "x.docx")
    expected = expected_findings(window)
    target = expected[-1]

    def open_last(dialog):
        last = dialog.list.topLevelItem(dialog.list.topLevelItemCount() - 1)
        dialog.list.itemActivated.emit(last, 0)

    answer_precheck(open_last)
    window.files.act_export_docx.trigger()
    qtbot.waitUntil(
        lambda: window.pane.view is not None and window.pane.view.direction is target.direction,
        timeout=30000,
    )


def test_a_draft_in_excel_goes_out_without_the_check(window, qtbot, tmp_path, monkeypatch):
    out = tmp_path / "公開用.xlsx"
    save_to(monkeypatch, out)
    with qtbot.waitSignal(window.tasks.finished, timeout=60000):
        window.files.act_export_xlsx.trigger()
    assert out.exists()


def test_last_years_texts_left_unread_are_counted(
    make_window, sample_store, store_path, qtbot, tmp_path, monkeypatch
):
    from copy import deepcopy

    from kushiro_editor.core.model import STATE_CARRIED

    report = deepcopy(sample_store.load())
    for _g, _d, entry in list(report.entries())[:3]:
        entry.plan_state = STATE_CARRIED
    sample_store.save(report, sample_store.warnings(report.actual_year), replace=True)
    window = make_window(store_path)
    save_to(monkeypatch, tmp_path / "x.docx")
    seen = answer_precheck(lambda dialog: dialog.reject())
    window.files.act_export_docx.trigger()
    qtbot.waitUntil(lambda: "rows" in seen, timeout=30000)
    qtbot.waitUntil(lambda: not window.tasks.busy, timeout=30000)
    assert "確認していないものが 3 件" in seen["summary"]
    assert sum(1 for row in seen["rows"] if row[2] == "前年度から引継ぎ・未確認") == 3
