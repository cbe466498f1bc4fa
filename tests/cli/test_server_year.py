"""The year's work on the shared store from the command line, as on a file: the new year,
its past-tense drafts, the check, every export, the inquiry packs, snapshots, history."""

from __future__ import annotations

from docx import Document
from openpyxl import load_workbook

from kushiro_editor.core import storecopy
from kushiro_editor.core.store import Store
from tests.cli.running import run_cli


def test_a_year_on_the_server(pg_url, sample_file, tmp_path, capsys):
    assert run_cli(capsys, "import", sample_file, "--db", pg_url)[0] == 0
    code, out, err = run_cli(capsys, "rollover", "2020", "--db", pg_url)
    assert code == 0, err
    code, out, err = run_cli(capsys, "past-tense", "--db", pg_url)
    assert code == 0 and "過去形" in out + err, err
    code, out, err = run_cli(capsys, "check", "--db", pg_url)
    assert code == 1 and "R3年度" in err and "前年度から引継ぎ・未確認" in out, err
    docx, xlsx = tmp_path / "r3.docx", tmp_path / "r3.xlsx"
    code, out, err = run_cli(
        capsys, "export", "--db", pg_url, "--docx", docx, "--xlsx", xlsx, "--changes-since", "R2"
    )
    assert code == 0, err
    assert len(Document(str(docx)).tables) >= 1 and load_workbook(xlsx).sheetnames
    packs = tmp_path / "packs"
    code, out, err = run_cli(capsys, "inquiry", "export", "--out", packs, "--db", pg_url)
    assert code == 0 and any(packs.glob("照会_*.xlsx")), err
    code, out, err = run_cli(capsys, "snapshot", "list", "--db", pg_url)
    assert code == 0 and "新年度作成の前" in out, out + err
    code, out, err = run_cli(capsys, "history", "--limit", "5", "--db", pg_url)
    assert code == 0 and len(out.strip().splitlines()) == 5, out + err
    # What the server holds, copied down to a file, is the same store.
    target = tmp_path / "down.sqlite3"
    assert run_cli(capsys, "store", "copy", pg_url, target)[0] == 0
    with Store(pg_url) as server, Store(target) as copy:
        assert storecopy.contents(copy) == storecopy.contents(server)
        assert server.years() == [2021, 2020]
