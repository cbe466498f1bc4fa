"""The inquiry loop on the command line, with real workbooks and a real store."""

from __future__ import annotations

import os
import sys

import pytest
from docx import Document
from openpyxl import load_workbook

from kushiro_editor.cli import main as cli
from kushiro_editor.core import richtext, snapshots
from kushiro_editor.core.model import STATE_CARRIED, STATE_CONFIRMED
from kushiro_editor.core.store import Store
from kushiro_editor.formats.inquiry import packs as inquiry_packs

FIRST, ACTUAL, PLAN = inquiry_packs.FIRST_ROW, inquiry_packs.COL_ACTUAL, inquiry_packs.COL_PLAN


def run(*args, capsys):
    code = cli.main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def fill(path, cells: dict[tuple[int, int], str | None]) -> None:
    """Write answer cells as a department would (row offset, column) → value."""
    workbook = load_workbook(path)
    sheet = workbook[inquiry_packs.ANSWER_SHEET]
    for (offset, column), value in cells.items():
        sheet.cell(row=FIRST + offset, column=column).value = value
    workbook.save(path)


@pytest.fixture
def db(tmp_path, capsys, sample_file, store_location):
    """A store with the sample report, and 水産課's and 農林課's packs sent."""
    path = store_location
    assert run("import", sample_file, "--db", path, capsys=capsys)[0] == 0
    code, out, err = run(
        "inquiry",
        "export",
        "--out",
        tmp_path / "packs",
        "--dept",
        "水産課",
        "農林課",
        "--deadline",
        "2021-05-31",
        "--person",
        "山田",
        "--extension",
        "1234",
        "--email",
        "kikaku@example.jp",
        "--db",
        path,
        capsys=capsys,
    )
    assert code == 0, err
    assert "依頼文:" in out and "依頼文_R2年度.docx" in out
    return path


def plans(db):
    with Store(db) as store:
        report = store.load()
    return [e.plan for _g, _d, e in report.entries() if e.departments == ["水産課"]]


@pytest.mark.both_engines
def test_export_writes_the_request_and_status_shows_who_has_not_answered(db, tmp_path, capsys):
    letter = Document(tmp_path / "packs" / "依頼文_R2年度.docx")
    assert "提出期限: 2021年5月31日(月)" in "\n".join(p.text for p in letter.paragraphs)
    code, out, _ = run("inquiry", "status", "--db", db, capsys=capsys)
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "R2年度(2020年度)の照会状況:"
    assert lines[1].strip().startswith("水産課  送付 ") and lines[1].endswith(
        "期限 2021-05-31  2行  未回答"
    )
    assert lines[2].strip().startswith("農林課  送付 ") and lines[2].endswith("未回答")
    assert "  博物館  未照会" in lines


def test_review_accept_accept_all_twice_and_status_after_replace_and_restore(
    db, tmp_path, capsys, sample_file
):
    pack = tmp_path / "packs" / "照会_水産課_R2年度.xlsx"
    with Store(db) as store:
        report = store.load()
        fish = [e for _g, _d, e in report.entries() if e.departments == ["水産課"]]
        store.update([("entry", fish[0].id, "plan", "<p>企画課が直した。</p>")])
    fill(pack, {(0, PLAN): "部署の予定。", (1, PLAN): "別の予定。", (1, ACTUAL): None})
    before = plans(db)

    code, out, _ = run("inquiry", "import", pack, "--db", db, capsys=capsys)
    assert code == 0 and plans(db) == before  # a review only
    assert "競合: 【基本目標1】① 水産課 取組予定 (水産課より)" in out
    assert "照会時→現在" in out and "照会時→回答" in out
    assert "未回答: 【基本目標1】② 水産課 実績 (水産課、空欄のため変更しません)" in out

    code, out, _ = run("inquiry", "import", pack, "--db", db, "--accept", capsys=capsys)
    assert code == 0 and "1 件の回答を取り込みました。" in out
    assert (
        "取り込んでいない競合 1 件" in out
        and "  【基本目標1】① 水産課 取組予定 (水産課より)" in out
    )
    assert plans(db) == ["<p>企画課が直した。</p>", "<p>別の予定。</p>"]
    code, out, _ = run("inquiry", "status", "--db", db, capsys=capsys)
    assert "水産課" in out and "一部回答 1/2行  未決定の競合 1件" in out

    code, out, _ = run("inquiry", "import", pack, "--db", db, "--accept-all", capsys=capsys)
    assert "うち 1 件は競合していた文章を回答で上書きしました" in out
    assert "変更なし: 【基本目標1】② 水産課 取組予定 (水産課より、取り込み済み)" in out
    assert plans(db) == ["<p>部署の予定。</p>", "<p>別の予定。</p>"]
    code, out, _ = run("inquiry", "import", pack, "--db", db, "--accept-all", capsys=capsys)
    assert "0 件の回答を取り込みました。" in out and "競合:" not in out
    assert "変更しなかった文章: 2 件" in out

    code, status, _ = run("inquiry", "status", "--db", db, capsys=capsys)
    assert "未決定の競合 0件" in status
    # The record outlives the report replaced by an import, and a restore.
    with Store(db) as store:
        taken = snapshots.take(store, "manual", "回答の取り込み後")
    assert run("import", sample_file, "--db", db, "--replace", capsys=capsys)[0] == 0
    assert run("inquiry", "status", "--db", db, capsys=capsys)[1] == status
    code, out, err = run("snapshot", "restore", "回答の取り込み後", "--db", db, capsys=capsys)
    assert code == 0, err
    assert run("inquiry", "status", "--db", db, "--year", "R2", capsys=capsys)[1] == status
    assert plans(db) == ["<p>部署の予定。</p>", "<p>別の予定。</p>"]
    code, out, err = run("snapshot", "restore", taken.id, "--db", db, capsys=capsys)
    assert code == 0, err


def test_confirm_by_department_row_and_answered(tmp_path, capsys, sample_file):
    db = tmp_path / "y.sqlite3"
    run("import", sample_file, "--db", db, capsys=capsys)
    assert run("rollover", "2020", "--db", db, capsys=capsys)[0] == 0

    def states(name):
        with Store(db) as store:
            report = store.load(2021)
        return [
            (e.actual_state, e.plan_state)
            for _g, _d, e in report.entries()
            if e.departments == [name]
        ]

    assert states("水産課") == [(STATE_CARRIED, STATE_CARRIED)] * 2
    code, out, _ = run("confirm", "--dept", "水産課", "--db", db, capsys=capsys)
    assert code == 0 and "確認済み: 【基本目標1】① 水産課(2件)" in out
    assert states("水産課") == [(STATE_CONFIRMED, STATE_CONFIRMED)] * 2
    code, out, _ = run("confirm", "--row", "1-1-1", "--db", db, capsys=capsys)
    assert code == 0 and states("農林課") == [(STATE_CONFIRMED, STATE_CONFIRMED)]
    code, _out, err = run("confirm", "--row", "9-9-9", "--db", db, capsys=capsys)
    assert code == 2 and "この報告にない行です: 9-9-9" in err
    code, _out, err = run("confirm", "--db", db, capsys=capsys)
    assert code == 2 and "--answered" in err
    # A department answered its pack without changes: confirm all it answered.
    run("inquiry", "export", "--out", tmp_path / "p", "--dept", "博物館", "--db", db, capsys=capsys)
    pack = tmp_path / "p" / "照会_博物館_R3年度.xlsx"
    assert run("inquiry", "import", pack, "--db", db, "--accept", capsys=capsys)[0] == 0
    code, out, _ = run("confirm", "--answered", "--db", db, capsys=capsys)
    assert code == 0 and states("博物館") == [(STATE_CONFIRMED, STATE_CONFIRMED)] * 2
    assert states("観光振興室")[0] == (STATE_CARRIED, STATE_CARRIED)


@pytest.mark.both_engines
def test_check_names_the_row_when_a_department_has_two_in_a_direction(db, capsys):
    with Store(db) as store:
        report = store.load()
        direction = report.goals[0].directions[0]
        entry = direction.entries[1]
        store.update(
            [("entry", entry.id, "departments", ["農林課"]), ("entry", entry.id, "plan", "")]
        )
    code, out, _ = run("check", "--db", db, capsys=capsys)
    assert code == 1
    assert "【基本目標1】① 農林課(2行目) 取組予定: " in out


def test_prefill_overwrite_lists_and_asks_for_yes(tmp_path, capsys, sample_file):
    db = tmp_path / "z.sqlite3"
    run("import", sample_file, "--db", db, capsys=capsys)
    run("rollover", "2020", "--db", db, capsys=capsys)
    with Store(db) as store:
        report = store.load(2021)
        entry = report.goals[0].directions[0].entries[0]
        store.update([("entry", entry.id, "plan", "<p>今年書いた予定。</p>")])
    code, out, err = run("prefill", sample_file, "--overwrite", "--db", db, capsys=capsys)
    assert code == 1 and "--yes" in err
    assert "上書きされる取組予定: 【基本目標1】① 農林課" in out and "今年書いた予定。" in out
    with Store(db) as store:
        assert store.load(2021).goals[0].directions[0].entries[0].plan == "<p>今年書いた予定。</p>"
    code, out, err = run("prefill", sample_file, "--overwrite", "--yes", "--db", db, capsys=capsys)
    assert code == 0, err
    with Store(db) as store:
        plan = store.load(2021).goals[0].directions[0].entries[0].plan
    assert richtext.to_plain(plan).startswith("・農業経営基盤整備のために")


def test_snapshots_by_id_or_name_not_by_position(db, capsys):
    code, _out, _ = run("snapshot", "create", "提出版", "--db", db, capsys=capsys)
    assert code == 0
    code, _out, err = run("snapshot", "restore", "1", "--db", db, capsys=capsys)
    assert code == 2 and "見つかりません" in err
    code, _out, err = run("snapshot", "diff", "提出版", "--db", db, capsys=capsys)
    assert code == 0, err
    run("snapshot", "create", "提出版", "--db", db, capsys=capsys)
    code, _out, err = run("snapshot", "restore", "提出版", "--db", db, capsys=capsys)
    assert code == 2 and "複数あります" in err


@pytest.mark.both_engines
def test_a_closed_pipe_ends_quietly(db, capsys, monkeypatch):
    read, write = os.pipe()
    os.close(read)  # … | head: the reader has gone
    stream = os.fdopen(write, "w", encoding="utf-8")
    monkeypatch.setattr(sys, "stdout", stream)
    try:
        code = cli.main(["dump", "--db", str(db)])
    finally:
        stream.close()
    assert code == cli.EXIT_BROKEN_PIPE
    assert capsys.readouterr().err == ""


def test_packs_of_a_new_year_show_last_years_plan_beside_the_result(tmp_path, capsys, sample_file):
    path = tmp_path / "y.sqlite3"
    assert run("import", sample_file, "--db", path, capsys=capsys)[0] == 0
    assert run("rollover", "2020", "--db", path, "--actual", "empty", capsys=capsys)[0] == 0
    out = tmp_path / "packs"
    code, _out, err = run(
        "inquiry",
        "export",
        "--year",
        "2021",
        "--out",
        out,
        "--dept",
        "水産課",
        "--db",
        path,
        capsys=capsys,
    )
    assert code == 0, err
    sheet = load_workbook(out / "照会_水産課_R3年度.xlsx")[inquiry_packs.ANSWER_SHEET]
    with Store(path) as store:
        last = store.load(2020)
    plans = [e.plan for _g, _d, e in last.entries() if e.departments == ["水産課"]]
    beside = [
        sheet.cell(row=FIRST + i, column=inquiry_packs.COL_PREVIOUS_PLAN).value
        for i in range(len(plans))
    ]
    assert beside == [richtext.to_plain(p) for p in plans] and all(beside)
    assert [sheet.cell(row=FIRST + i, column=ACTUAL).value for i in range(len(plans))] == [
        None
    ] * len(plans)


def _kpi(store, name):
    from kushiro_editor.core.kpi import fields

    report = store.load()
    return report, next(kpi for _o, kpi in fields.kpis(report) if kpi.name == name)


def test_kpi_values_asked_listed_and_taken(tmp_path, capsys):
    from decimal import Decimal

    from kushiro_editor.core import edits
    from kushiro_editor.core.kpi import editing

    db = tmp_path / "demo.sqlite3"
    assert run("kpi", "demo", "--db", db, capsys=capsys)[0] == 0
    code, out, err = run(
        "inquiry", "export", "--out", tmp_path, "--dept", "産業推進室", "--db", db, capsys=capsys
    )
    assert code == 0, err
    pack = tmp_path / "照会_産業推進室_R2年度.xlsx"
    assert f"産業推進室: 5 行、指標 8 件 → {pack}" in out
    letter = "\n".join(p.text for p in Document(tmp_path / "依頼文_R2年度.docx").paragraphs)
    assert "「指標」シートの黄色のセル(R2年度の値・注記)にもご記入のうえ" in letter
    workbook = load_workbook(pack)
    sheet = workbook["指標"]
    names = [sheet.cell(row=r, column=2).value for r in range(5, 13)]
    typed = {"地場産品の商談成約件数": "１，２３４", "ふるさと納税の寄附額": "△3"}
    typed |= {"創業支援による創業件数": "－", "石炭技術研修の受入れ人数": "集計中"}
    typed |= {"市内炭鉱の出炭量": "46.0"}
    for name, value in typed.items():
        sheet.cell(row=5 + names.index(name), column=7).value = value
    workbook.save(pack)
    # Meanwhile the planning office corrects one of them itself.
    with Store(db) as store:
        report, coal = _kpi(store, "市内炭鉱の出炭量")
        edits.apply(store, report, editing.set_value(coal, 2020, "45.9"))

    code, out, err = run("inquiry", "import", pack, "--db", db, capsys=capsys)
    assert code == 0, err
    lines = out.splitlines()
    heads = [line for line in lines if line.startswith(("回答:", "競合:", "確認:"))]
    assert heads == [
        "確認: 照会_産業推進室_R2年度.xlsx(産業推進室) 「指標」シートのG8: 指標「石炭技術研修の"
        "受入れ人数」のR2年度の値「集計中」は数値として読めないため取り込みません"
        "(単位は書かず、数字だけを記入してください)。",
        "回答: 【基本目標1】② 指標「地場産品の商談成約件数」 R2年度の値 (産業推進室より)",
        "回答: 【基本目標1】② 指標「ふるさと納税の寄附額」 R2年度の値 (産業推進室より)",
        "回答: 【基本目標1】④ 指標「創業支援による創業件数」 R2年度の値 (産業推進室より)",
        "競合: 【基本目標1】⑤ 指標「市内炭鉱の出炭量」 R2年度の値 (産業推進室より)",
    ]
    assert "    企画課の変更 照会時→現在: 45.8 万t → 45.9 万t" in lines
    assert "    部署の回答   照会時→回答: 45.8 万t → 46.0 万t" in lines
    assert "産業推進室: 回答のあった文章・指標の値 4 件、うち競合 1 件" in lines

    code, out, err = run("inquiry", "import", pack, "--db", db, "--accept", capsys=capsys)
    assert code == 0, err
    assert "3 件の回答を取り込みました。" in out
    assert "取り込んでいない競合 1 件(現在の指標の値のままです):" in out
    assert "  【基本目標1】⑤ 指標「市内炭鉱の出炭量」 R2年度の値 (産業推進室より)" in out
    with Store(db) as store:
        values = {n: _kpi(store, n)[1].value_of(2020).value for n in typed}
    assert values == {
        "地場産品の商談成約件数": Decimal("1234"),
        "ふるさと納税の寄附額": Decimal("-3"),
        "創業支援による創業件数": None,
        "石炭技術研修の受入れ人数": Decimal("120"),
        "市内炭鉱の出炭量": Decimal("45.9"),
    }
    code, out, err = run("inquiry", "import", pack, "--db", db, "--accept-all", capsys=capsys)
    assert code == 0, err
    assert (
        "1 件の回答を取り込みました(うち 1 件は競合していた指標の値を回答で上書きしました)。"
    ) in out
    with Store(db) as store:
        assert _kpi(store, "市内炭鉱の出炭量")[1].value_of(2020).value == Decimal("46.0")
