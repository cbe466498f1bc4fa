"""Notation in the window: the findings in the review panel, the preview, the rules' settings."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from kushiro_editor.core import edits, notation, notationfile, richtext, snapshots
from kushiro_editor.core.store import Store
from kushiro_editor.gui.editor.richedit import RichTextEdit
from kushiro_editor.gui.review.notationdialogs import OwnRuleDialog
from kushiro_editor.gui.review.panel import NOTATION
from tests.gui.conftest import fresh

SAMPLE_COUNTS = {
    "torikumi-noun": 30,
    "wave": 5,
    "oyobi": 6,
    "dekiru": 2,
    "kasho": 3,
    "nao": 1,
}


def stored_texts(store_path):
    """Every text the rules look at, as a new session reads it from the store file."""
    report = fresh(store_path)
    return {(node.id, name): getattr(node, name) for _g, _d, node, name in notation.texts(report)}


def notation_rows(panel):
    """The panel's notation rows: (item, finding)."""
    items = [panel.tree.topLevelItem(i) for i in range(panel.tree.topLevelItemCount())]
    return [(item, panel.notation_of(item)) for item in items if panel.notation_of(item)]


def open_panel(window, qtbot):
    """Show the check before submission and wait for its notation findings."""
    window.review.show_review()
    panel = window.review.panel
    qtbot.waitUntil(lambda: not panel.checker.busy and bool(panel.notation_findings), timeout=30000)
    return panel


def test_findings_are_their_own_kind_with_the_proposed_form(window, qtbot):
    panel = open_panel(window, qtbot)
    rows = notation_rows(panel)
    assert notation.summary(f for _i, f in rows) == SAMPLE_COUNTS
    assert all(item.text(2) == "表記の揺れ" for item, _f in rows)
    assert "表記の揺れ 47 箇所" in panel.summary.text()
    assert panel.fix_notation.isEnabled()
    item, finding = next((i, f) for i, f in rows if f.rule.id == "oyobi")
    assert (item.text(0), item.text(1)) == ("【基本目標1】⑥ スポーツ課", "実績")
    assert (
        item.text(3)
        == "「および」→「及び」(及び) …湿原マラソン大会開催事業および釧路市・八千代市少年少女…"
    )
    # The filter shows the notation findings alone; the review's own rows are still there.
    review_rows = panel.tree.topLevelItemCount() - len(rows)
    assert review_rows == len(panel.findings) > 0
    panel.rule.setCurrentIndex(panel.rule.findData(NOTATION))
    assert panel.tree.topLevelItemCount() == 47
    panel.rule.setCurrentIndex(panel.rule.findData("tense"))
    assert notation_rows(panel) == []
    panel.rule.setCurrentIndex(panel.rule.findData(NOTATION))
    # Each row selects the words to change in their editor (lists and all).
    selected = []
    for item, finding in notation_rows(panel):
        panel._activated(item)
        editor = window.focusWidget()
        assert isinstance(editor, RichTextEdit)
        selected.append((finding.before, editor.textCursor().selectedText()))
    assert [shown for _before, shown in selected] == [before for before, _shown in selected]
    assert ("取組み", "取組み") in selected


def test_an_edit_is_checked_again_in_the_background(window, qtbot, store_path):
    panel = open_panel(window, qtbot)
    document = window.document
    entry = document.report.goals[0].directions[0].entries[0]
    others = [f for f in panel.notation_findings if (f.node, f.field) != (entry, "plan")]
    with qtbot.waitSignal(panel.notation_checked, timeout=30000) as signal:
        document.apply("試し", [edits.SetField(entry, "plan", "<p>地域の取り組み及びＩＣＴ</p>")])
        panel.refresh()
    assert signal.args == [len(others) + 2]
    mine = [f for _i, f in notation_rows(panel) if f.node is entry]
    assert [(f.before, f.after, f.rule.id) for f in mine] == [
        ("取り組み", "取組", "torikumi-noun"),
        ("ＩＣＴ", "ICT", "latin"),
    ]


def test_preview_some_changes_then_one_undo(window, qtbot, store_path):
    before = stored_texts(store_path)
    seen = []

    def choose(dialog):
        # Every change listed, grouped by rule; keep the 及び ones and the first 取組.
        seen.append([(i.text(0), i.text(2), i.text(3), i.text(4)) for i in dialog.items()])
        assert dialog.ok.text() == "47 箇所を直す"
        dialog.set_all(False)
        assert not dialog.ok.isEnabled()
        dialog.groups["oyobi"].setCheckState(0, Qt.CheckState.Checked)
        dialog.groups["torikumi-noun"].child(0).setCheckState(0, Qt.CheckState.Checked)
        assert dialog.groups["torikumi-noun"].checkState(0) == Qt.CheckState.PartiallyChecked
        assert dialog.ok.text() == "7 箇所を直す"
        return True

    window.review.confirm_fixes = choose
    steps = window.document.undo_stack.count()
    with qtbot.waitSignal(window.tasks.finished, timeout=30000):
        window.review.act_fix_notation.trigger()
    [rows] = seen
    assert len(rows) == 47
    assert ("【基本目標3】② 医療年金課", "および", "及び", "及び") in rows
    assert window.document.undo_stack.count() == steps + 1
    after = stored_texts(store_path)
    changed = {key for key in before if before[key] != after[key]}
    assert len(changed) == 7
    plain = {key: richtext.to_plain(after[key]) for key in changed}
    assert sum(text.count("及び") for text in plain.values()) >= 6
    assert not any("および" in text for text in plain.values())
    left = notation.summary(notation.find(fresh(store_path), notationfile.default_rules()))
    expected = {**SAMPLE_COUNTS, "torikumi-noun": 29}
    del expected["oyobi"]
    assert left == expected
    [taken] = snapshots.snapshots(store_path)
    assert (taken.reason, taken.named) == ("notation", False)
    assert stored_texts(taken.path) == before  # the state before, to go back to
    # One undo takes every change back, in the store too.
    window.document.undo_stack.undo()
    assert stored_texts(store_path) == before
    window.document.undo_stack.redo()
    assert stored_texts(store_path) == after


def test_nothing_to_fix_is_said(window, qtbot, store_path, monkeypatch):
    window.store.set_notation_rules(notationfile.to_json([]))
    shown = []
    window.review.confirm_fixes = lambda dialog: shown.append(dialog) or True
    with qtbot.waitSignal(window.tasks.finished, timeout=30000):
        window.review.fix_notation()
    assert shown == []
    assert window.statusBar().currentMessage() == "直す表記はありません。"


def rules_dialog(window, edit):
    """Open the rules' settings, let ``edit`` change them, and keep them (OK)."""
    opened = []

    def confirm(dialog):
        opened.append(dialog)
        return edit(dialog) is not False

    window.review.confirm_rules = confirm
    window.review.notation_rules_dialog()
    return opened[0]


def test_a_rule_switched_off_leaves_the_findings(window, qtbot, store_path):
    panel = open_panel(window, qtbot)

    def switch_off(dialog):
        assert len(dialog.rules()) == len(notation.DEFAULT_RULES)
        dialog.item_of("oyobi").setCheckState(0, Qt.CheckState.Unchecked)

    with qtbot.waitSignal(panel.notation_checked, timeout=30000) as signal:
        rules_dialog(window, switch_off)
    assert signal.args == [41]
    assert {f.rule.id for _i, f in notation_rows(panel)} == set(SAMPLE_COUNTS) - {"oyobi"}
    with Store(store_path) as store:
        kept = {rule.id: rule.enabled for rule in notationfile.rules_of(store)}
    assert kept["oyobi"] is False and kept["torikumi-noun"] is True
    # Back to the defaults: the store keeps nothing, and 及び is checked again.
    with qtbot.waitSignal(panel.notation_checked, timeout=30000) as signal:
        rules_dialog(window, lambda dialog: dialog.set_rules(notationfile.default_rules()))
    assert signal.args == [47]
    assert window.store.notation_rules() is None


def test_an_own_rule_finds_its_form(window, qtbot, monkeypatch):
    panel = open_panel(window, qtbot)

    def add(dialog):
        def fill(rule=None):
            own = OwnRuleDialog(rule, dialog)
            own.label.setText("さまざま")
            own.prefer.setText("さまざま")
            own.replace.setText("様々")
            own._accept()
            return own.result_rule

        dialog.own_rule_dialog = fill
        dialog.add_own()
        assert dialog.item_of("own-1").text(1) == "様々"
        assert dialog.edit_button.isEnabled() and dialog.remove_button.isEnabled()

    with qtbot.waitSignal(panel.notation_checked, timeout=30000) as signal:
        rules_dialog(window, add)
    assert signal.args == [57]
    own = [f for _i, f in notation_rows(panel) if f.rule.id == "own-1"]
    assert len(own) == 10
    assert {(f.before, f.after) for f in own} == {("様々", "さまざま")}
    stored = json.loads(window.store.notation_rules())["rules"]
    assert stored[-1] | {"note": ""} == {
        "id": "own-1",
        "label": "さまざま",
        "prefer": "さまざま",
        "replace": ["様々"],
        "kind": "word",
        "pos": "",
        "keep": [],
        "enabled": True,
        "note": "",
    }


def test_an_own_rule_that_would_loop_is_refused(qtbot, monkeypatch):
    warned = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text: warned.append(text))
    dialog = OwnRuleDialog()
    qtbot.addWidget(dialog)
    dialog.prefer.setText("子ども")
    dialog.replace.setText("子供、子ど")
    dialog._accept()
    assert dialog.result_rule is None
    assert warned == ["置き換える形「子ど」が使う形に含まれています。"]
    dialog.replace.setText("")
    dialog._accept()
    assert warned[-1] == "使う形と置き換える形を書いてください。"


def test_export_then_import_in_another_office(window, tmp_path, monkeypatch):
    shared = tmp_path / "表記ルール.json"

    def export(dialog):
        dialog.item_of("kodomo").setCheckState(0, Qt.CheckState.Unchecked)
        assert dialog.export_to(shared)
        return False  # the other office's file, this one keeps its own rules

    rules_dialog(window, export)
    assert window.store.notation_rules() is None
    written = notationfile.read_rules(shared)
    assert {r.id: r.enabled for r in written}["kodomo"] is False
    assert [r.id for r in written] == [r.id for r in notation.DEFAULT_RULES]
    # A broken file is one message, and the list stays as it was.
    broken = tmp_path / "broken.json"
    broken.write_text(
        '{"format": "kushiro-notation-rules", "version": 1, "rules": [{"id": "x"}]}',
        encoding="utf-8",
    )
    warned = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text: warned.append(text))

    def import_both(dialog):
        assert not dialog.import_from(broken)
        assert len(dialog.rules()) == len(notation.DEFAULT_RULES)
        assert dialog.import_from(shared)

    rules_dialog(window, import_both)
    assert warned and "表記ルールの1件目" in warned[0]
    with Store(window.store.path) as store:
        assert {r.id: r.enabled for r in notationfile.rules_of(store)}["kodomo"] is False


def test_a_read_only_window_fixes_nothing(make_window, sample_store, store_path, qtbot):
    window = make_window(store_path, read_only=True)
    assert not window.review.act_fix_notation.isEnabled()
    assert not window.review.act_notation_rules.isEnabled()
    window.review.show_review()
    panel = window.review.panel
    qtbot.waitUntil(lambda: len(panel.notation_findings) == 47, timeout=30000)
    assert not panel.fix_notation.isVisible()


LOADING = """
import sys
from PySide6.QtCore import QSettings
from kushiro_editor.core.store import Store
from kushiro_editor.gui.app import create_application
from kushiro_editor.gui.mainwindow import MainWindow

app = create_application([])
window = MainWindow(Store(sys.argv[1]), QSettings(sys.argv[2], QSettings.Format.IniFormat))
window.show()
app.processEvents()
print("sudachipy" in sys.modules)
window.review.show_review()
window.review.panel.checker.wait()
print("sudachipy" in sys.modules)
window.close()
"""


def test_the_analyser_loads_with_the_first_check_not_with_the_window(sample_store, tmp_path):
    done = subprocess.run(
        [sys.executable, "-c", LOADING, str(sample_store.path), str(tmp_path / "s.ini")],
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["False", "True"]


def test_unreadable_stored_rules_are_one_message(window, qtbot, monkeypatch):
    window.store.set_notation_rules("{not json")
    warned = []
    monkeypatch.setattr(
        "kushiro_editor.gui.session.warn", lambda _p, title, text, detail="": warned.append(title)
    )
    window.review.show_review()
    panel = window.review.panel
    qtbot.waitUntil(lambda: not panel.busy, timeout=30000)
    assert panel.findings and panel.notation_findings == []  # the other checks still run
    window.review.fix_notation()
    assert warned == ["表記ルールを読めません"]
    shown = rules_dialog(window, lambda dialog: False)
    assert shown.rules() == notationfile.default_rules()
    assert window.store.notation_rules() == "{not json"  # nothing kept without OK


def test_the_panel_button_opens_the_preview_and_cancel_changes_nothing(window, qtbot, store_path):
    panel = open_panel(window, qtbot)
    before = stored_texts(store_path)
    steps = window.document.undo_stack.count()
    shown = []
    window.review.confirm_fixes = lambda dialog: shown.append(len(dialog.items())) and False
    with qtbot.waitSignal(window.tasks.finished, timeout=30000):
        qtbot.mouseClick(panel.fix_notation, Qt.MouseButton.LeftButton)
    assert shown == [47]
    assert window.document.undo_stack.count() == steps
    assert stored_texts(store_path) == before
    assert snapshots.snapshots(store_path) == []
