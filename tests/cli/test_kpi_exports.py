"""The command line: a report with KPIs exported and imported again into a store."""

from __future__ import annotations

from kushiro_editor.core.store import Store
from tests.cli.running import run_cli
from tests.core.kpi_samples import exact, kpi_report


def test_kpis_go_through_excel_and_word_into_another_store(tmp_path, capsys):
    report = kpi_report()
    db = tmp_path / "kpi.sqlite3"
    with Store(db) as store:
        store.save(report)
    code, _out, err = run_cli(
        capsys, "export", "--xlsx", tmp_path / "k.xlsx", "--docx", tmp_path / "k.docx", "--db", db
    )
    assert code == 0, err
    again = tmp_path / "again.sqlite3"
    code, _out, err = run_cli(capsys, "import", tmp_path / "k.xlsx", "--db", again)
    assert code == 0, err
    with Store(again) as store:
        assert exact(store.load(2020)) == exact(report)
    # The Word file in its place: what it prints comes back (the Excel file keeps the rest).
    code, _out, err = run_cli(capsys, "import", tmp_path / "k.docx", "--db", again, "--replace")
    assert code == 0, err
    with Store(again) as store:
        loaded = store.load(2020)
    assert [row[2:12] for row in exact(loaded)] == [row[2:12] for row in exact(report)]
