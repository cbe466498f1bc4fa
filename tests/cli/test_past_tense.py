"""`past-tense`: one line per sentence, --dept, --dry-run, and one message for bad input."""

from __future__ import annotations

from kushiro_editor.core import snapshots
from kushiro_editor.core.model import STATE_CARRIED
from kushiro_editor.core.store import Store

from .running import run_cli


def _new_year(db, capsys):
    assert run_cli(capsys, "rollover", "R2", "--db", db)[0] == 0
    return db


def test_dry_run_lists_each_sentence_and_changes_nothing(db, capsys):
    _new_year(db, capsys)
    before = db.read_bytes()
    code, out, err = run_cli(capsys, "past-tense", "--db", db, "--year", "R3", "--dry-run")
    assert code == 0, err
    lines = out.splitlines()
    assert (
        "【基本目標1】① 農林課 1文目: ・農業経営基盤整備のために土地改良事業を実施する。"
        " → ・農業経営基盤整備のために土地改良事業を実施した。"
    ) in lines
    assert any("そのまま(体言止め)" in line for line in lines)
    assert "過去形にする文 152、そのままの文 62(文章 63 件が変わります)" in lines
    assert lines[-1] == "(--dry-run のため変更していません)"
    assert db.read_bytes() == before


def test_one_department_is_converted_and_keeps_its_mark(db, capsys):
    _new_year(db, capsys)
    code, out, err = run_cli(capsys, "past-tense", "--db", db, "--dept", "水産課")
    assert code == 0, err
    changed = [line for line in out.splitlines() if " → " in line]
    assert changed and all(" 水産課 " in line for line in changed)
    assert "前年度から引き継いだ文章は未確認のままです" in out
    store = Store(db)
    try:
        report = store.load(2021)
    finally:
        store.close()
    texts = {" ".join(e.departments): e.actual for _g, _d, e in report.entries()}
    assert all(e.actual_state == STATE_CARRIED for _g, _d, e in report.entries())
    assert "販路拡大を図った。" in texts["水産課"]
    assert "土地改良事業を実施する。" in texts["農林課"]
    assert "pasttense" in {s.reason for s in snapshots.snapshots(db)}


def test_an_unknown_department_is_one_line_and_nothing_changes(db, capsys):
    _new_year(db, capsys)
    before = db.read_bytes()
    code, _out, err = run_cli(capsys, "past-tense", "--db", db, "--dept", "存在しない課")
    assert code == 2
    assert err.strip().count("\n") == 0 and "存在しない課" in err
    assert db.read_bytes() == before
