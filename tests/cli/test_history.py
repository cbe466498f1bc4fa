"""``history``: one line per recorded change on the shared store, one line on a file."""

from __future__ import annotations

from kushiro_editor.core import edits, history
from kushiro_editor.core.model import place_in
from kushiro_editor.core.store import Store
from tests.cli.running import run_cli


def _server_with_edits(capsys, pg_url, sample_file):
    assert run_cli(capsys, "import", sample_file, "--db", pg_url)[0] == 0
    with Store(pg_url) as store:
        report = store.load(2020)
        entries = [entry for _g, _d, entry in report.entries()]
        suisan = next(e for e in entries if e.departments == ["水産課"])
        other = next(e for e in entries if "水産課" not in e.departments)
        edits.apply(store, report, [edits.SetField(suisan, "actual", "<p>一回目の実績</p>")])
        edits.apply(store, report, [edits.SetField(suisan, "actual", "<p>二回目の実績</p>")])
        edits.apply(store, report, [edits.SetField(suisan, "plan", "<p>新しい予定</p>")])
        edits.apply(store, report, [edits.SetField(other, "plan", "<p>他の部署の予定</p>")])
        return report, suisan, other


def test_a_rows_field_history_newest_first_with_who_where_and_both_sides(
    capsys, pg_url, sample_file
):
    report, suisan, _other = _server_with_edits(capsys, pg_url, sample_file)
    where = place_in(report, suisan)
    code, out, err = run_cli(capsys, "history", "--db", pg_url, "--row", where, "--field", "actual")
    assert code == 0, err
    lines = out.splitlines()
    assert "二回目の実績" in lines[0] and "一回目の実績 → 二回目の実績" in lines[0]
    assert "一回目の実績" in lines[1] and "→ 一回目の実績" in lines[1]
    assert all(
        "kushiro_admin" in line and where in line and " 実績: " in line for line in lines[:2]
    )
    assert not any("新しい予定" in line for line in lines)  # the plan is another field
    assert " 行を追加: " in lines[-1]  # the row as imported, last
    assert "R2年度(2020年度): 変更 3 件" in err


def test_a_departments_history_holds_its_rows_only(capsys, pg_url, sample_file):
    _report, _suisan, _other = _server_with_edits(capsys, pg_url, sample_file)
    code, out, err = run_cli(capsys, "history", "--db", pg_url, "--dept", "水産課", "--limit", "3")
    assert code == 0, err
    lines = out.splitlines()
    assert len(lines) == 3
    assert "新しい予定" in lines[0] and "取組予定" in lines[0]
    assert "他の部署の予定" not in out
    assert "3 件まで" in err


def test_rich_text_is_shown_plain_and_long_text_shortened(capsys, pg_url, sample_file):
    _server_with_edits(capsys, pg_url, sample_file)
    code, out, _err = run_cli(capsys, "history", "--db", pg_url, "--limit", "1")
    assert code == 0
    assert "<p>" not in out and "他の部署の予定" in out
    long_line = history.Line(
        __import__("datetime").datetime.now().astimezone(), "a", "b", "実績", "字" * 100, ""
    ).text()
    assert "字" * 39 + "…" in long_line and "(空)" in long_line


def test_on_a_file_the_history_is_one_line_that_only_the_server_keeps_one(capsys, db):
    code, out, err = run_cli(capsys, "history", "--db", db)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "共有のデータベース" in err


def test_a_row_or_field_that_is_not_there_is_one_line(capsys, pg_url, sample_file):
    _server_with_edits(capsys, pg_url, sample_file)
    code, _out, err = run_cli(capsys, "history", "--db", pg_url, "--row", "【基本目標9】① 水産課")
    assert code == 2 and err.count("\n") == 1 and "ありません" in err
    code, _out, err = run_cli(capsys, "history", "--db", pg_url, "--field", "title")
    assert code == 2 and err.count("\n") == 1 and "actual" in err
    code, _out, err = run_cli(capsys, "history", "--db", pg_url, "--limit", "0")
    assert code == 2 and err.count("\n") == 1


def test_a_department_name_with_quotes_finds_nothing_and_changes_nothing(
    capsys, pg_url, sample_file
):
    _server_with_edits(capsys, pg_url, sample_file)
    with Store(pg_url) as store:
        before = store.conn.execute("SELECT count(*) FROM audit_log").fetchone()[0]
        found = history.changes(store, department="水産課' OR '1'='1")
        assert found == []
        assert store.conn.execute("SELECT count(*) FROM audit_log").fetchone()[0] == before
