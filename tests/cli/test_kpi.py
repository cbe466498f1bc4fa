"""kpi list and kpi demo, run as a user runs them: lines, filters and refusals."""

from __future__ import annotations

import pytest

from kushiro_editor.core import edits
from kushiro_editor.core.kpi import editing, fields
from kushiro_editor.core.store import Store
from tests.cli.running import run_cli


@pytest.fixture
def demo_db(tmp_path, capsys):
    """A store holding only the demonstration report."""
    path = tmp_path / "demo.sqlite3"
    code, out, err = run_cli(capsys, "kpi", "demo", "--db", path)
    assert code == 0, err
    assert out.splitlines() == [
        "デモ用の報告を入れました: 【デモ】釧路市まち・ひと・しごと創生総合戦略 進捗報告"
        "（数値は架空） R2年度(2020年度) 指標 47",
        f"データファイル: {path}",
    ]
    return path


def listed(capsys, db, *args):
    code, out, err = run_cli(capsys, "kpi", "list", "--db", db, *args)
    return code, out.splitlines(), err


def test_kpi_list_prints_one_line_per_kpi_in_document_order(demo_db, capsys):
    code, lines, err = listed(capsys, demo_db)
    assert code == 0
    assert len(lines) == 47
    assert lines[:3] == [
        "【基本目標1】 指標「市内総生産」  実績値 6,420億円  達成率 97.9%  評価 B",
        "【基本目標1】 指標「観光入込客数」  実績値 305.4万人  達成率 55.4%  評価 C",
        "【基本目標1】① 指標「水産物の水揚量」  実績値 119,900t  達成率 100.4%  評価 A",
    ]
    assert "【基本目標3】② 指標「待機児童数」  実績値 7人  達成率 142.9%  評価 A" in lines
    assert (
        "【基本目標3】③ 指標「全国学力・学習状況調査の平均正答率(全国との差)」"
        "  実績値 －  達成率 －  評価 －"
    ) in lines
    assert err.splitlines() == [
        "R2年度(2020年度): 指標 47 件(A 13件、B 20件、C 6件、D 7件、－ 1件)"
    ]


def test_kpi_list_filters_by_department(demo_db, capsys):
    code, lines, err = listed(capsys, demo_db, "--dept", "健康推進課")
    assert code == 0
    assert [line.split("  ")[0] for line in lines] == [
        "【基本目標3】 指標「合計特殊出生率」",
        "【基本目標3】① 指標「妊娠11週以内の妊娠届出の割合」",
        "【基本目標3】② 指標「乳幼児健診の受診率」",
        "【基本目標3】④ 指標「特定健康診査の受診率」",
        "【基本目標3】④ 指標「胃がん検診の受診率」",
    ]
    assert err.startswith("R2年度(2020年度): 指標 5 件(")


@pytest.mark.parametrize("typed", ["B", "Ｂ", "b"])
def test_kpi_list_filters_by_rating_as_typed(demo_db, capsys, typed):
    code, lines, _err = listed(capsys, demo_db, "--rating", typed)
    assert code == 0 and len(lines) == 20
    assert all(line.endswith("評価 B") for line in lines)


def test_the_no_value_mark_filters_too(demo_db, capsys):
    for typed in ("－", "-"):
        code, lines, _err = listed(capsys, demo_db, "--rating", typed)
        assert code == 0
        assert [line.split("  ")[0] for line in lines] == [
            "【基本目標3】③ 指標「全国学力・学習状況調査の平均正答率(全国との差)」"
        ]


def test_department_and_rating_together(demo_db, capsys):
    code, lines, err = listed(capsys, demo_db, "--dept", "健康推進課", "--rating", "B")
    assert code == 0
    assert [line.split("  ")[0] for line in lines] == [
        "【基本目標3】① 指標「妊娠11週以内の妊娠届出の割合」",
        "【基本目標3】② 指標「乳幼児健診の受診率」",
        "【基本目標3】④ 指標「特定健康診査の受診率」",
        "【基本目標3】④ 指標「胃がん検診の受診率」",
    ]
    assert err.splitlines() == ["R2年度(2020年度): 指標 4 件(B 4件)"]


def test_a_known_department_without_kpis_lists_nothing(demo_db, capsys):
    code, lines, err = listed(capsys, demo_db, "--dept", "住宅課", "--rating", "A")
    assert (code, lines) == (0, [])
    assert err.splitlines() == ["R2年度(2020年度): 条件に合う指標はありません。"]


def test_an_unknown_department_is_one_line_naming_the_likely_one(demo_db, capsys):
    before = demo_db.read_bytes()
    code, lines, err = listed(capsys, demo_db, "--dept", "健康推進")
    assert (code, lines) == (2, [])
    assert err.splitlines() == [
        "kushiro-editor: エラー: 部署「健康推進」はこの報告にも部署の一覧にもありません。"
        "「健康推進課」の誤りではありませんか。"
    ]
    code, _lines, err = listed(capsys, demo_db, "--dept", "存在しない部")
    assert code == 2
    assert err.splitlines() == [
        "kushiro-editor: エラー: 部署「存在しない部」はこの報告にも部署の一覧にもありません。"
    ]
    assert demo_db.read_bytes() == before


def test_an_unknown_rating_is_one_line_with_the_scales_labels(demo_db, capsys):
    code, lines, err = listed(capsys, demo_db, "--rating", "◎")
    assert (code, lines) == (2, [])
    assert err.splitlines() == [
        "kushiro-editor: エラー: 評価「◎」はこの報告の評価の基準(A〜D)にありません。"
        "使える評価: A、B、C、D、－"
    ]


def test_a_rating_set_by_hand_is_shown_and_filtered_as_such(demo_db, capsys):
    with Store(demo_db) as store:
        report = store.load()
        kpi = next(k for _o, k in fields.kpis(report) if k.name == "新規就農者数")
        edits.apply(store, report, editing.set_override(report, kpi, "B", "研修の受講者が増えた"))
    code, lines, _err = listed(capsys, demo_db, "--rating", "B")
    assert code == 0 and len(lines) == 21
    assert "【基本目標1】① 指標「新規就農者数」  実績値 3人  達成率 75.0%  評価 B（手動）" in lines
    code, lines, _err = listed(capsys, demo_db, "--rating", "C")
    assert not any("新規就農者数" in line for line in lines)


def test_a_report_without_kpis_says_so(db, capsys):
    code, lines, err = listed(capsys, db)
    assert (code, lines) == (0, [])
    assert err.splitlines() == ["R2年度(2020年度)の報告には指標がありません。"]


def test_a_year_not_in_the_store_is_refused(demo_db, capsys):
    code, lines, err = listed(capsys, demo_db, "--year", "R2")
    assert code == 0 and len(lines) == 47
    code, lines, err = listed(capsys, demo_db, "--year", "R5")
    assert code == 2 and lines == []
    assert len(err.splitlines()) == 1 and err.startswith("kushiro-editor: エラー: ")


def test_kpi_demo_does_not_replace_a_report_unless_told(db, capsys):
    before = db.read_bytes()
    code, out, err = run_cli(capsys, "kpi", "demo", "--db", db)
    assert (code, out) == (2, "")
    assert err.splitlines() == [
        "kushiro-editor: エラー: 2020年度の報告はすでにあります(置き換えるには --replace)。"
    ]
    assert db.read_bytes() == before
    code, _out, err = run_cli(capsys, "kpi", "demo", "--db", db, "--replace")
    assert code == 0, err
    with Store(db) as store:
        report = store.load()
    assert report.title.startswith("【デモ】") and fields.has_kpis(report)
    code, out, _err = run_cli(capsys, "snapshot", "list", "--db", db)
    assert code == 0 and out.strip()  # the store as it was, kept before the replacement


def test_kpi_needs_a_command(capsys):
    code, _out, err = run_cli(capsys, "kpi")
    assert code == 2 and len(err.splitlines()) == 1 and "エラー" in err


def test_check_names_the_kpi_findings_as_the_others(demo_db, capsys):
    code, out, err = run_cli(capsys, "check", "--db", demo_db)
    assert code == 1
    kpi_lines = [line for line in out.splitlines() if " 指標「" in line]
    assert kpi_lines == [
        "【基本目標1】② 指標「ふるさと納税の寄附額」 実績値: 前年度から桁違いの値: "
        "R3年度の 1,350,000,000百万円 はR2年度の 1,080百万円 から10倍を超えて変わっています"
        "(単位の誤りではありませんか)",
        "【基本目標3】③ 指標「全国学力・学習状況調査の平均正答率(全国との差)」 実績値: "
        "今年度の実績値なし: R2年度の実績値がありません(注記: 調査中止)",
    ]
    assert "産業推進室" in err  # counted by the KPI's department, as rows are
