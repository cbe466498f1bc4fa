"""The KPIs' open data: a second CSV beside the report's, one record per KPI and year."""

from __future__ import annotations

from kushiro_editor.core.kpi import demo, fields
from kushiro_editor.formats import write_file
from kushiro_editor.formats.opendata import KPI_COLUMNS
from tests.cli.running import run_cli
from tests.formats.test_opendata import _records


def test_a_report_with_kpis_gets_their_csv_beside_its_own(tmp_path, sample_result):
    report = demo.demo_report(sample_result.report)
    path = tmp_path / "報告.csv"
    write_file(report, path)
    rows = _records(tmp_path / "報告_指標.csv")
    assert rows[0] == list(KPI_COLUMNS)
    records = [dict(zip(KPI_COLUMNS, row, strict=True)) for row in rows[1:]]
    kpis = [kpi for _owner, kpi in fields.kpis(report)]
    # Two years (R2 and R3) for each KPI: the long form, one record per year.
    assert len(records) == sum(len(k.values) for k in kpis) == 2 * len(kpis)
    first = records[0]
    assert (first["基本目標番号"], first["基本的方向番号"], first["施策"]) == ("1", "", "")
    assert (first["指標名"], first["単位"], first["所管部署"]) == (
        "市内総生産",
        "億円",
        "都市経営課",
    )
    assert (first["基準値"], first["基準年度"], first["目標値"], first["目標年度"]) == (
        "6500",
        "2019",
        "6800",
        "2024",
    )
    assert (first["年度"], first["年度(和暦)"], first["実績値"]) == ("2020", "令和2年度", "6420")
    assert (first["達成率(%)"], first["評価"], first["評価の決め方"]) == ("97.9", "B", "計算")
    assert first["よい方向"] == "高いほどよい"
    estimate = records[1]
    assert (estimate["年度"], estimate["注記"]) == ("2021", "見込み")
    # A value not known is empty, never 0, and has no rating.
    unknown = next(r for r in records if r["指標名"].startswith("全国学力") and r["年度"] == "2020")
    assert (unknown["実績値"], unknown["評価"], unknown["評価の決め方"]) == ("", "", "")
    assert all(r["地方公共団体名"] == "釧路市" for r in records)


def test_a_report_without_kpis_writes_one_csv(tmp_path, sample_result):
    write_file(sample_result.report, tmp_path / "報告.csv")
    assert [p.name for p in tmp_path.iterdir()] == ["報告.csv"]


def test_the_kpis_csv_never_lands_on_the_store(tmp_path, capsys):
    db = tmp_path / "demo.sqlite3"
    assert run_cli(capsys, "kpi", "demo", "--db", db)[0] == 0
    (tmp_path / "報告_指標.csv").symlink_to(db)
    before = db.read_bytes()
    code, _out, err = run_cli(capsys, "export", "--csv", tmp_path / "報告.csv", "--db", db)
    assert code == 2 and len(err.strip().splitlines()) == 1 and "報告_指標.csv" in err
    assert db.read_bytes() == before
    assert not (tmp_path / "報告.csv").exists()


def test_publish_lists_the_kpis_csv(tmp_path, capsys):
    db = tmp_path / "demo.sqlite3"
    assert run_cli(capsys, "kpi", "demo", "--db", db)[0] == 0
    folder = tmp_path / "web"
    folder.mkdir()
    code, out, err = run_cli(capsys, "export", "--publish", folder, "--db", db)
    assert code == 0, err
    assert out.splitlines()[-1] == f"書き出しました: {folder / 'R2進捗報告_指標.csv'}"
    assert (folder / "R2進捗報告_指標.csv").read_bytes().startswith(b"\xef\xbb\xbf")
