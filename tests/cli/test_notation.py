"""The notation commands on a real store file: check --notation, fix-notation, notation-rules."""

from __future__ import annotations

import json

import pytest

from kushiro_editor.cli import main as cli
from kushiro_editor.core import notation, richtext, snapshots
from kushiro_editor.core.store import Store
from tests.conftest import SAMPLE


def run(*args, capsys):
    code = cli.main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def db(tmp_path, capsys):
    path = tmp_path / "s.sqlite3"
    code, _out, err = run("import", SAMPLE, "--db", path, capsys=capsys)
    assert code == 0, err
    return path


def texts(path):
    with Store(path) as store:
        report = store.load()
    return {
        (node.id, name): richtext.to_plain(getattr(node, name))
        for _g, _d, node, name in notation.texts(report)
    }


def test_check_lists_one_finding_per_line(db, capsys):
    code, out, err = run("check", "--notation", "--db", db, capsys=capsys)
    assert code == cli.EXIT_FINDINGS
    lines = out.splitlines()
    assert len(lines) == 47
    assert lines[0] == (
        "【基本目標1】① ウ 施策の説明: 取組(名詞): 「取り組み」→「取組」"
        " …ロジェクトをはじめとする取り組みにより、カラマツ等多くの…"
    )
    assert sum("「および」→「及び」" in line for line in lines) == 6
    assert "表記の揺れ 47 箇所(取組(名詞) 30、" in err


def test_fix_dry_run_changes_nothing(db, capsys):
    before = texts(db)
    code, out, _err = run("fix-notation", "--dry-run", "--rule", "oyobi", "--db", db, capsys=capsys)
    assert code == 0
    assert out.splitlines()[-1] == "(--dry-run のため変更していません: 6 箇所)"
    assert texts(db) == before
    assert snapshots.snapshots(db) == []


def test_fix_one_rule_for_one_department(db, capsys):
    before = texts(db)
    code, out, _err = run(
        "fix-notation", "--rule", "及び", "--dept", "医療年金課", "--db", db, capsys=capsys
    )
    assert code == 0
    assert out.splitlines() == [
        "【基本目標3】② 医療年金課 実績: 「および」→「及び」(及び)"
        " …年8月より小学生、中学生および高校生等の入院にかかる医…",
        "【基本目標3】② 医療年金課 取組予定: 「および」→「及び」(及び)"
        " …8月より、小学生、中学生および高校生等の入院にかかる医…",
        "R2年度(2020年度)の表記を 2 箇所直しました(文章 2 件)。",
    ]
    after = texts(db)
    changed = {key for key in before if before[key] != after[key]}
    assert len(changed) == 2
    for key in changed:
        assert after[key] == before[key].replace("中学生および高校生", "中学生及び高校生")
    # A snapshot of the state before, to go back to.
    [taken] = snapshots.snapshots(db)
    assert (taken.reason, taken.named, taken.label[-7:]) == ("notation", False, "表記の統一の前")
    # The other departments' および are still there.
    code, out, _err = run("check", "--notation", "--rule", "oyobi", "--db", db, capsys=capsys)
    assert code == cli.EXIT_FINDINGS
    assert len(out.splitlines()) == 4


def test_fix_everything_then_nothing_is_left(db, capsys):
    code, out, _err = run("fix-notation", "--db", db, capsys=capsys)
    assert code == 0
    assert out.splitlines()[-1].startswith("R2年度(2020年度)の表記を 47 箇所直しました")
    code, out, _err = run("check", "--notation", "--db", db, capsys=capsys)
    assert (code, out) == (0, "")
    code, out, _err = run("fix-notation", "--db", db, capsys=capsys)
    assert out == "直す表記はありません。\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--rule", "nope"), "表記ルールがありません: nope"),
        (("--dept", "存在しない課"), "この報告にない部署です: 存在しない課"),
    ],
)
def test_bad_names_are_one_message_and_change_nothing(db, capsys, args, message):
    before = texts(db)
    code, _out, err = run("fix-notation", *args, "--db", db, capsys=capsys)
    assert code == cli.EXIT_BAD_INPUT
    assert message in err and "Traceback" not in err
    assert texts(db) == before


def test_rules_are_exported_changed_and_imported(db, tmp_path, capsys):
    shared = tmp_path / "rules.json"
    code, out, _err = run("notation-rules", "--export", shared, "--db", db, capsys=capsys)
    assert code == 0
    document = json.loads(shared.read_text(encoding="utf-8"))
    assert [r["id"] for r in document["rules"]][:3] == ["torikumi-noun", "torikumu-verb", "oyobi"]
    for rule in document["rules"]:
        rule["enabled"] = rule["id"] == "kasho"
    shared.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    code, out, _err = run("notation-rules", "--import", shared, "--db", db, capsys=capsys)
    assert code == 0
    assert "○ kasho: 箇所 「ヶ所」「ヵ所」「カ所」「か所」→「箇所」" in out.splitlines()
    code, out, err = run("check", "--notation", "--db", db, capsys=capsys)
    assert len(out.splitlines()) == 3 and "表記の揺れ 3 箇所(箇所 3)" in err
    shared.write_text("{broken", encoding="utf-8")
    code, _out, err = run("notation-rules", "--import", shared, "--db", db, capsys=capsys)
    assert code == cli.EXIT_BAD_INPUT and "JSON の誤り" in err
    code, out, _err = run("check", "--notation", "--db", db, capsys=capsys)
    assert len(out.splitlines()) == 3, "a bad file leaves the rules as they were"
    code, out, _err = run("notation-rules", "--reset", "--db", db, capsys=capsys)
    code, out, _err = run("check", "--notation", "--db", db, capsys=capsys)
    assert len(out.splitlines()) == 47
