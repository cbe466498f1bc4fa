"""The command line, run as a user runs it."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kushiro_editor.cli import main as cli
from kushiro_editor.core.store import Store


def run(*args, capsys):
    code = cli.main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def snapshot(path):
    with Store(path) as store:
        return {year: json.dumps(cli_dump(store, year)) for year in store.years()}


def cli_dump(store, year):
    from kushiro_editor.formats import reportjson as json_format

    return json_format.to_dict(store.load(year), store.warnings(year))


def test_import_then_dump_shows_the_whole_report(tmp_path, capsys, sample_file):
    db = tmp_path / "x.sqlite3"
    code, out, err = run("import", sample_file, "--db", db, capsys=capsys)
    assert code == 0, err
    assert "基本目標 4、基本的方向 17、部署の行 70" in out
    assert "確認が必要な箇所 14 件" in out
    assert "部署名「観光推進室」は「観光振興室」か「産業推進室」の誤りかもしれません" in out
    assert "7行目: 農林課:" in out and "93行目: 教育支援課:" in out
    code, out, _err = run("dump", "--db", db, capsys=capsys)
    assert code == 0
    data = json.loads(out)
    assert [len(g["directions"]) for g in data["goals"]] == [6, 5, 4, 2]
    assert len(data["warnings"]) == 14


def test_reports_and_export_json(tmp_path, capsys, sample_file):
    db = tmp_path / "x.sqlite3"
    run("import", sample_file, "--db", db, capsys=capsys)
    code, out, _ = run("reports", "--db", db, capsys=capsys)
    assert code == 0 and "R2年度(2020年度)" in out and "部署の行   70" in out
    out_path = tmp_path / "out.json"
    code, out, _ = run("export", "--json", out_path, "--db", db, "--year", "R2", capsys=capsys)
    assert code == 0
    exported = json.loads(out_path.read_text(encoding="utf-8"))
    assert exported["actual_year"] == 2020
    # The exported JSON imports back into another store identically.
    db2 = tmp_path / "y.sqlite3"
    assert run("import", out_path, "--db", db2, capsys=capsys)[0] == 0
    assert snapshot(db2) == snapshot(db)


def test_replace(tmp_path, capsys, sample_file):
    db = tmp_path / "x.sqlite3"
    run("import", sample_file, "--db", db, capsys=capsys)
    before = snapshot(db)
    code, _out, err = run("import", sample_file, "--db", db, capsys=capsys)
    assert code == 2 and "--replace" in err
    assert snapshot(db) == before
    code, _out, _err = run("import", sample_file, "--db", db, "--replace", capsys=capsys)
    assert code == 0


def _bad_inputs(tmp_path, sample_file):
    broken_utf8 = bytearray(sample_file.read_bytes())
    broken_utf8[3000:3002] = b"\xff\xff"
    cases = {
        "missing.tsv": None,
        "wrong.csv": b"a,b\n",
        "broken.tsv": bytes(broken_utf8),
        "notreport.tsv": "名前\t住所\n".encode(),
        "empty.tsv": b"",
        "bad.json": b"{not json",
        "other.json": b'{"format": "something-else"}',
        "fake.docx": b"this is not a zip",
        "fake.xlsx": b"PK\x03\x04 truncated",
        "locked.xlsx": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512,
    }
    for name, content in cases.items():
        if content is not None:
            (tmp_path / name).write_bytes(content)
        yield tmp_path / name


def test_bad_input_gets_one_line_exit_2_and_store_untouched(tmp_path, capsys, sample_file):
    db = tmp_path / "x.sqlite3"
    run("import", sample_file, "--db", db, capsys=capsys)
    before = snapshot(db)
    for path in _bad_inputs(tmp_path, sample_file):
        code, out, err = run("import", path, "--db", db, "--replace", capsys=capsys)
        assert code == 2, path
        assert out == ""
        assert len(err.strip().splitlines()) == 1, err
        assert err.startswith("kushiro-editor: エラー: ")
        assert snapshot(db) == before


def test_bad_arguments_exit_2(tmp_path, capsys):
    with pytest.raises(SystemExit) as exc:
        cli.main(["dump", "--year", "abc"])
    assert exc.value.code == 2
    code, _out, err = run("export", "--db", tmp_path / "x.sqlite3", capsys=capsys)
    assert code == 2 and "--json" in err
    code, _out, err = run("dump", "--db", tmp_path / "new.sqlite3", capsys=capsys)
    assert code == 2 and "データファイルがありません" in err
    assert not (tmp_path / "new.sqlite3").exists()


def test_named_store_that_does_not_exist_starts_empty(tmp_path, capsys):
    code, out, _ = run("reports", "--db", tmp_path / "new.sqlite3", capsys=capsys)
    assert code == 0 and "報告はありません" in out
    assert not (tmp_path / "new.sqlite3").exists()  # listing creates nothing


def test_default_store_is_created_from_the_sample(tmp_path, capsys):
    default = tmp_path / "default-store" / "reports.sqlite3"
    assert not default.exists()
    code, out, _ = run("reports", capsys=capsys)
    assert code == 0 and "R2年度(2020年度)" in out
    assert default.exists()
    assert not default.with_name(default.name + ".new").exists()


def test_console_script_and_module(tmp_path):
    env = {**os.environ, "KUSHIRO_EDITOR_DB": str(tmp_path / "d.sqlite3")}
    script = shutil.which("kushiro-editor", path=str(Path(sys.executable).parent))
    assert script, "console script not installed"
    done = subprocess.run(
        [script, "reports"], capture_output=True, text=True, env=env, encoding="utf-8", check=False
    )
    assert done.returncode == 0, done.stderr
    assert "R2年度" in done.stdout
    done = subprocess.run(
        [sys.executable, "-m", "kushiro_editor", "dump", "--year", "2020"],
        capture_output=True,
        env=env,
        check=False,
    )
    assert done.returncode == 0
    assert json.loads(done.stdout.decode("utf-8"))["actual_year"] == 2020


def test_export_word_and_excel_with_fonts(tmp_path, capsys, sample_file):
    from docx import Document
    from openpyxl import load_workbook

    db = tmp_path / "x.sqlite3"
    run("import", sample_file, "--db", db, capsys=capsys)
    code, out, err = run(
        "export",
        "--docx",
        tmp_path / "a.docx",
        "--xlsx",
        tmp_path / "a.xlsx",
        "--db",
        db,
        "--font",
        "游明朝",
        "--font-size",
        "11",
        capsys=capsys,
    )
    assert code == 0, err
    assert "a.docx" in out and "a.xlsx" in out
    body = Document(tmp_path / "a.docx").styles["進捗 本文"]
    assert body.font.size.pt == 11
    sheet = load_workbook(tmp_path / "a.xlsx")["進捗報告"]
    assert sheet["B6"].font.name == "游明朝"
    # Both read back as the same report.
    for name in ("a.docx", "a.xlsx"):
        db2 = tmp_path / f"{name}.sqlite3"
        assert run("import", tmp_path / name, "--db", db2, capsys=capsys)[0] == 0
        from tests.formats.handmade import content

        with Store(db) as one, Store(db2) as two:
            assert content(one.load()) == content(two.load())
    with pytest.raises(SystemExit):
        cli.main(["export", "--docx", str(tmp_path / "b.docx"), "--font-size", "99"])


def test_rollover_prefill_and_check(tmp_path, capsys, sample_file):
    from kushiro_editor.formats.docx import writer as docx_writer

    db = tmp_path / "x.sqlite3"
    run("import", sample_file, "--db", db, capsys=capsys)
    code, out, _err = run("check", "--db", db, "--limit", "0", capsys=capsys)
    assert code == 1
    lines = out.strip().splitlines()
    assert any(line.startswith("【基本目標3】② 健康推進課 取組予定: 時制:") for line in lines)
    assert any(line.startswith("【基本目標4】② 観光推進室 所管部署: 部署名:") for line in lines)
    code, out, err = run("rollover", "R2", "--db", db, capsys=capsys)
    assert code == 0, err
    assert "R3年度(2021年度)の報告を作成しました" in out and "引継ぎ・未確認の文章 140" in out
    code, _out, err = run("rollover", "2020", "--db", db, capsys=capsys)
    assert code == 2 and "--replace" in err
    code, out, _err = run("check", "--db", db, "--year", "2021", capsys=capsys)
    assert code == 1 and out.count("前年度から引継ぎ・未確認") == 140
    assert "時制" not in out  # a carried text is reported once, as carried
    # From a file, with empty 実績, into a fresh store.
    word = tmp_path / "r2.docx"
    with Store(db) as store:
        docx_writer.write_file(store.load(2020), word)
    other = tmp_path / "y.sqlite3"
    code, out, err = run("rollover", word, "--db", other, "--actual", "empty", capsys=capsys)
    assert code == 0, err
    with Store(other) as store:
        report = store.load(2021)
        assert all(e.actual == "" for _g, _d, e in report.entries())
        assert store.department_list()  # the list starts with the first report
    # Prefill: empty the plans of 2021, fill them back from last year's Word file.
    with Store(other) as store:
        report = store.load(2021)
        store.update([("entry", e.id, "plan", "") for _g, _d, e in report.entries()])
    code, out, _err = run("prefill", word, "--db", other, "--dry-run", capsys=capsys)
    assert code == 0 and out.startswith("補完する取組予定: 70 件(うち上書き 0 件)")
    with Store(other) as store:
        assert all(e.plan == "" for _g, _d, e in store.load(2021).entries())
    code, out, _err = run("prefill", word, "--db", other, capsys=capsys)
    assert code == 0 and "取組予定を 70 件補完しました" in out
    with Store(other) as store:
        assert sum(1 for _g, _d, e in store.load(2021).entries() if e.plan) == 70


def test_check_passes_clean_reports_and_departments_command(tmp_path, capsys):
    db = tmp_path / "x.sqlite3"
    data = {
        "format": "kushiro-progress-report",
        "version": 1,
        "title": "t",
        "actual_year": 2021,
        "goals": [
            {
                "title": "g",
                "directions": [
                    {
                        "title": "d",
                        "entries": [
                            {
                                "departments": ["農林課"],
                                "actual": "<p>実施した。</p>",
                                "plan": "<p>実施する。</p>",
                            }
                        ],
                    }
                ],
            }
        ],
    }
    path = tmp_path / "r.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    run("import", path, "--db", db, capsys=capsys)
    code, out, err = run("check", "--db", db, capsys=capsys)
    assert code == 0 and out == "" and "確認が必要な箇所 0 件" in err
    code, out, _ = run("departments", "--db", db, "--add", "水産課", capsys=capsys)
    assert out.split() == ["農林課", "水産課"]
    code, out, _ = run("departments", "--db", db, "--remove", "農林課", capsys=capsys)
    assert out.split() == ["水産課"]
    code, out, _ = run("check", "--db", db, capsys=capsys)
    assert code == 1 and "「農林課」は部署の一覧にありません" in out


def test_inquiry_export_and_import(tmp_path, capsys, sample_file):
    from openpyxl import load_workbook

    from kushiro_editor.formats.inquiry import packs as inquiry_packs

    db = tmp_path / "x.sqlite3"
    run("import", sample_file, "--db", db, capsys=capsys)
    code, out, err = run(
        "inquiry",
        "export",
        "--out",
        tmp_path / "packs",
        "--dept",
        "博物館",
        "--db",
        db,
        capsys=capsys,
    )
    assert code == 0, err
    assert "博物館: 2 行" in out
    path = tmp_path / "packs" / "照会_博物館_R2年度.xlsx"
    with Store(db) as store:
        assert list(store.inquiries(store.load().id)) == ["博物館"]
    workbook = load_workbook(path)
    workbook["回答"].cell(
        row=inquiry_packs.FIRST_ROW, column=inquiry_packs.COL_ACTUAL, value="展示を充実した。"
    )
    workbook.save(path)
    code, out, _ = run("inquiry", "import", path, "--db", db, capsys=capsys)
    assert code == 0 and "回答: 【基本目標1】③ 博物館 実績 (博物館より)" in out
    assert "--accept-all" in out
    with Store(db) as store:
        museum = store.load().goals[0].directions[2].entries[-1]
        assert museum.actual != "<p>展示を充実した。</p>"
        store.update([("entry", museum.id, "actual", "<p>企画課の修正</p>")])
    code, out, _ = run("inquiry", "import", path, "--db", db, "--accept", capsys=capsys)
    assert code == 0 and "取り込んでいない競合 1 件" in out
    with Store(db) as store:
        assert store.load().goals[0].directions[2].entries[-1].actual == "<p>企画課の修正</p>"
    code, out, _ = run("inquiry", "import", path, "--db", db, "--accept-all", capsys=capsys)
    assert code == 0 and "競合:" in out and "うち 1 件は競合" in out
    with Store(db) as store:
        museum = store.load().goals[0].directions[2].entries[-1]
        assert museum.actual == "<p>展示を充実した。</p>" and museum.answered_by == "博物館"
    code, _out, err = run("inquiry", "import", sample_file, "--db", db, capsys=capsys)
    assert code == 2 and "Excel" in err
