"""Open data: the CSV's header and records against the report, and the file read back."""

from __future__ import annotations

import csv
import io

import pytest

from benchmarks.synthetic import scaled
from kushiro_editor.core import richtext
from kushiro_editor.core.model import ReportError
from kushiro_editor.formats import opendata, read_file, write_file
from kushiro_editor.formats.opendata import COLUMNS, Publisher
from tests.cli.running import run_cli


def _records(path):
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # Excel reads UTF-8 only with its BOM
    text = data.decode("utf-8-sig")
    assert "\r\n" in text  # records end CRLF
    return list(csv.reader(io.StringIO(text, newline="")))


def test_one_header_then_one_record_per_department_row(tmp_path, sample_result):
    report = sample_result.report
    path = tmp_path / "r2.csv"
    write_file(report, path)
    header, *rows = _records(path)
    assert header == list(COLUMNS)
    entries = list(report.entries())
    assert len(rows) == len(entries) == 70
    for row, (goal, direction, entry) in zip(rows, entries, strict=True):
        values = dict(zip(header, row, strict=True))
        assert values["全国地方公共団体コード"] == "012068"
        assert values["地方公共団体名"] == "釧路市"
        assert (values["実績年度"], values["実績年度(和暦)"]) == ("2020", "令和2年度")
        assert (values["取組予定年度"], values["取組予定年度(和暦)"]) == ("2021", "令和3年度")
        assert values["基本目標番号"] == str(report.goals.index(goal) + 1)
        assert values["基本目標"] == goal.title
        assert values["基本的方向番号"] == str(goal.directions.index(direction) + 1)
        assert values["基本的方向"] == direction.title
        assert values["所管部署"] == "、".join(entry.departments)
        # Plain text, line breaks kept inside the quoted field.
        assert values["実績"] == richtext.to_plain(entry.actual)
        assert values["取組予定"] == richtext.to_plain(entry.plan)
    assert any("\n" in row[12] for row in rows)


def test_read_back_to_the_same_texts(tmp_path, sample_result):
    report = sample_result.report
    path = tmp_path / "r2.csv"
    write_file(report, path)
    result = read_file(path)
    again = result.report
    assert again.title == report.title and again.actual_year == report.actual_year
    assert [g.title for g in again.goals] == [g.title for g in report.goals]
    assert [d.title for _g, d in again.directions()] == [
        d.title for _g, d in report.directions() if d.entries
    ]

    def texts(r):
        return [
            (e.departments, richtext.to_plain(e.actual), richtext.to_plain(e.plan))
            for _g, _d, e in r.entries()
        ]

    assert texts(again) == texts(report)
    assert any("施策と主な事業" in w.message for w in result.warnings)


def test_a_20_times_report_has_twenty_times_the_records(tmp_path, sample_result):
    report = scaled(sample_result.report, 20)
    path = tmp_path / "large.csv"
    write_file(report, path)
    assert len(_records(path)) == 1 + 20 * 70


def test_the_municipality_is_a_setting_with_a_checked_code(tmp_path, sample_result):
    path = tmp_path / "other.csv"
    opendata.write_file(sample_result.report, path, Publisher("131016", "千代田区"))
    _header, first, *_rest = _records(path)
    assert first[:2] == ["131016", "千代田区"]
    with pytest.raises(ReportError, match="検査数字"):
        Publisher("012069")


@pytest.mark.parametrize(
    "text",
    [
        "",
        "a,b,c\r\n1,2,3\r\n",
        ",".join(COLUMNS) + "\r\n012068,釧路市\r\n",
        ",".join(COLUMNS) + "\r\n",
    ],
)
def test_other_csv_files_are_one_clear_line(tmp_path, text):
    path = tmp_path / "other.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ReportError) as caught:
        read_file(path)
    assert "\n" not in str(caught.value)


def test_publish_writes_the_four_files_under_one_name(tmp_path, db, capsys):
    folder = tmp_path / "web"
    folder.mkdir()
    code, out, err = run_cli(capsys, "export", "--publish", folder, "--db", db)
    assert code == 0, err
    names = sorted(p.name for p in folder.iterdir())
    assert names == sorted(f"R2進捗報告{s}" for s in (".pdf", ".html", ".csv", ".xlsx"))
    assert out.splitlines() == [
        f"書き出しました: {folder / n}"
        for n in ("R2進捗報告.pdf", "R2進捗報告.html", "R2進捗報告.csv", "R2進捗報告.xlsx")
    ]
    assert read_file(folder / "R2進捗報告.csv").report.title
    assert (folder / "R2進捗報告.pdf").read_bytes().startswith(b"%PDF")


@pytest.mark.parametrize("name", ["a/b", "", "報告?", "con:1"])
def test_publish_refuses_a_name_windows_cannot_use_and_writes_nothing(tmp_path, db, capsys, name):
    folder = tmp_path / "web"
    folder.mkdir()
    code, _out, err = run_cli(
        capsys, "export", "--publish", folder, "--publish-name", name, "--db", db
    )
    assert code == 2 and len(err.strip().splitlines()) == 1
    assert list(folder.iterdir()) == []


def test_publish_never_lands_on_the_store(tmp_path, db, capsys):
    folder = tmp_path / "web"
    folder.mkdir()
    (folder / "R2進捗報告.csv").symlink_to(db)  # one of the four names is the store
    before = db.read_bytes()
    code, _out, err = run_cli(capsys, "export", "--publish", folder, "--db", db)
    assert code == 2 and len(err.strip().splitlines()) == 1
    assert db.read_bytes() == before
    assert sorted(p.name for p in folder.iterdir()) == ["R2進捗報告.csv"]  # nothing written
