"""実績を過去形にする in the window: offered by the new year, previewed, one undo step."""

from __future__ import annotations

from PySide6.QtCore import Qt

from kushiro_editor.core import snapshots
from kushiro_editor.core.model import STATE_CARRIED
from tests.gui.conftest import fresh


def actual_texts(store_path, year=2021):
    report = fresh_year(store_path, year)
    return {i: e.actual for i, (_g, _d, e) in enumerate(report.entries())}


def fresh_year(store_path, year):
    from kushiro_editor.core.store import Store

    store = Store(store_path)
    try:
        return store.load(year)
    finally:
        store.close()


def test_the_new_year_offers_it_and_one_undo_takes_it_back(window, qtbot, store_path):
    window.year.rollover(2020, "plan")
    assert window.open_button.isVisible()
    assert window.open_button.text() == "実績の下書きを過去形にする…"
    before = actual_texts(store_path)
    seen = {}

    def choose(dialog):
        seen["all"] = dialog.ok.text()
        seen["summary"] = dialog.summary.text()
        dialog.scope.setCurrentIndex(dialog.scope.findData("水産課"))
        seen["places"] = {group.text(0) for _d, group in dialog.groups}
        dialog.set_all(False)
        assert not dialog.ok.isEnabled()
        _draft, group = dialog.groups[0]
        group.child(0).setCheckState(0, Qt.CheckState.Checked)
        seen["one"] = (group.child(0).text(1), group.child(0).text(2))
        assert dialog.ok.text() == "1 文を過去形にする"
        return True

    window.past_tense.confirm = choose
    steps = window.document.undo_stack.count()
    with qtbot.waitSignal(window.tasks.finished, timeout=30000):
        qtbot.mouseClick(window.open_button, Qt.MouseButton.LeftButton)
    assert seen["all"] == "152 文を過去形にする"
    assert "変える文 152" in seen["summary"] and "そのままにする文 62" in seen["summary"]
    assert seen["places"] == {"【基本目標1】① 水産課", "【基本目標1】② 水産課"}
    head = "・増養殖推進事業 引き続き各漁協が実施する増養殖事業の取り組みに協力し、"
    assert seen["one"] == (head + "水産資源維持に努める。", head + "水産資源維持に努めた。")
    assert window.document.undo_stack.count() == steps + 1
    after = actual_texts(store_path)
    changed = [key for key in before if before[key] != after[key]]
    assert len(changed) == 1 and "水産資源維持に努めた。" in after[changed[0]]
    assert "資源の維持・増大に努める。" in after[changed[0]]  # the sentence not chosen
    report = fresh_year(store_path, 2021)
    assert all(e.actual_state == STATE_CARRIED for _g, _d, e in report.entries())
    assert "pasttense" in {s.reason for s in snapshots.snapshots(store_path)}
    shown = next(w for w in window.pane.view._entries if w.entry.departments == ["水産課"])
    assert "水産資源維持に努めた。" in shown.actual.toPlainText()
    window.document.undo_stack.undo()
    assert actual_texts(store_path) == before
    assert "水産資源維持に努める。" in shown.actual.toPlainText()
    report = fresh_year(store_path, 2021)
    assert all(e.actual_state == STATE_CARRIED for _g, _d, e in report.entries())


def test_the_text_being_typed_is_its_own_scope(window, qtbot, store_path):
    window.year.rollover(2020, "plan")
    widget = window.pane.view._entries[0]
    widget.actual.setFocus()
    seen = {}

    def choose(dialog):
        seen["scope"] = dialog.scope.currentText()
        seen["places"] = [group.text(0) for _d, group in dialog.groups]
        return True

    window.past_tense.confirm = choose
    with qtbot.waitSignal(window.tasks.finished, timeout=30000):
        window.past_tense.act_past_tense.trigger()
    assert seen["scope"] == "この文章: 【基本目標1】① 農林課 実績"
    assert seen["places"] == ["【基本目標1】① 農林課 実績"]
    stored = fresh_year(store_path, 2021).goals[0].directions[0].entries[0]
    assert "土地改良事業を実施した。" in stored.actual
    assert stored.actual_state == STATE_CARRIED
    assert "土地改良事業を実施した。" in widget.actual.toPlainText()


def test_nothing_to_put_in_the_past_is_said(window, qtbot, store_path):
    # The sample's own 実績 are written in the past already.
    messages = []
    window.session.message.connect(lambda text, _ms: messages.append(text))
    window.past_tense.confirm = lambda dialog: (_ for _ in ()).throw(AssertionError("no dialog"))
    report_before = fresh(store_path)
    with qtbot.waitSignal(window.tasks.finished, timeout=30000):
        window.past_tense.act_past_tense.trigger()
    assert messages[-1] == "過去形にする文はありません。"
    assert fresh(store_path) == report_before


def test_texts_a_person_wrote_are_asked_about_only_when_chosen(qtbot, sample_result):
    from kushiro_editor.core import pastdrafts, yearly
    from kushiro_editor.gui.pasttense.dialog import PastTenseDialog

    written = pastdrafts.drafts(sample_result.report, carried_only=False)
    dialog = PastTenseDialog(written)
    qtbot.addWidget(dialog)
    # No draft from last year: the written texts are what is shown, 稼働している among them.
    assert dialog.written.isChecked()
    assert dialog.ok.text() == "16 文を過去形にする"
    new_year = yearly.rollover(sample_result.report)
    both = pastdrafts.drafts(new_year, carried_only=False)
    new_year.goals[0].directions[0].entries[0].actual_state = ""  # as if a person wrote it
    mixed = pastdrafts.drafts(new_year, carried_only=False)
    dialog = PastTenseDialog(mixed)
    qtbot.addWidget(dialog)
    assert not dialog.written.isChecked()
    assert dialog.ok.text() == "144 文を過去形にする"  # 農林課's eight are not proposed
    dialog.written.setChecked(True)
    assert dialog.ok.text() == "152 文を過去形にする"
    assert len(both) == len(mixed)
