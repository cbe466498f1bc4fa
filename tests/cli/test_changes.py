"""export --docx --changes-since: the Word file with its changes since an earlier report."""

from __future__ import annotations

import zipfile

import pytest
from lxml import etree

from kushiro_editor.core import edits, snapshots
from kushiro_editor.core.edits import SetField
from kushiro_editor.core.store import Store
from kushiro_editor.formats.docx import reader as docx_reader
from tests.cli.running import run_cli

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}


@pytest.fixture
def two_years(tmp_path, capsys, sample_file):
    """A store with R2 (the sample) and R3 made from it, one 実績 rewritten in R3."""
    db = tmp_path / "x.sqlite3"
    assert run_cli(capsys, "import", sample_file, "--db", db)[0] == 0
    assert run_cli(capsys, "rollover", "R2", "--db", db)[0] == 0
    with Store(db) as store:
        report = store.load(2021)
        _goal, _direction, entry = next(report.entries())
        edits.apply(store, report, [SetField(entry, "actual", "<p>土地改良事業に着手した。</p>")])
    return db


def body(path):
    with zipfile.ZipFile(path) as archive:
        return etree.fromstring(archive.read("word/document.xml"))


def test_changes_since_last_year_by_its_label(two_years, tmp_path, capsys):
    out = tmp_path / "変更履歴.docx"
    code, printed, err = run_cli(
        capsys, "export", "--docx", out, "--changes-since", "R2", "--db", two_years,
        "--city-name", "釧路市 企画課",
    )  # fmt: skip
    assert code == 0, err
    assert str(out) in printed
    xml = body(out)
    inserted = "".join(t.text for t in xml.iterfind(".//w:ins//w:t", NS))
    deleted = "".join(t.text for t in xml.iterfind(".//w:del//w:delText", NS))
    assert "着手" in inserted
    assert "3地区" in deleted  # last year's 実績 of that row, now rewritten
    authors = {m.get(f"{{{W}}}author") for m in xml.iter(f"{{{W}}}ins", f"{{{W}}}del")}
    assert authors == {"釧路市 企画課"}
    with Store(two_years) as store:
        current = store.load(2021)
    back = docx_reader.read_file(out).report
    assert [(e.departments, e.actual, e.plan) for _g, _d, e in back.entries()] == [
        (e.departments, e.actual, e.plan) for _g, _d, e in current.entries()
    ]


def test_changes_since_a_snapshot_by_its_name(two_years, tmp_path, capsys):
    with Store(two_years) as store:
        snapshots.take(store, "manual", "提出版")
        report = store.load(2021)
        entry = list(report.entries())[5][2]
        edits.apply(store, report, [SetField(entry, "plan", "<p>新たに計画する。</p>")])
    out = tmp_path / "since-snapshot.docx"
    code, _printed, err = run_cli(
        capsys, "export", "--docx", out, "--changes-since", "提出版", "--db", two_years
    )
    assert code == 0, err
    xml = body(out)
    marked = [p for p in xml.iter(f"{{{W}}}p") if p.find(".//w:ins", NS) is not None]
    assert marked  # only the plan changed since the snapshot
    assert all("計画" in "".join(t.text for t in p.iter(f"{{{W}}}t")) for p in marked)
    assert xml.find(".//w:trPr/w:ins", NS) is None


@pytest.mark.parametrize(
    ("label", "says"),
    [
        ("H30", "ありません"),  # a year the store does not hold
        ("R3", "前の年度ではありません"),  # the report's own year
        ("去年", "年度の報告もスナップショットもありません"),
    ],
)
def test_a_wrong_label_is_one_line_and_writes_nothing(two_years, tmp_path, capsys, label, says):
    out = tmp_path / "none.docx"
    code, printed, err = run_cli(
        capsys, "export", "--docx", out, "--changes-since", label, "--db", two_years
    )
    assert code == 2
    assert says in err
    assert len(err.strip().splitlines()) == 1
    assert printed == ""
    assert not out.exists()
    assert list(tmp_path.glob("*.docx")) == []


def test_changes_since_needs_a_word_file(two_years, tmp_path, capsys):
    out = tmp_path / "a.xlsx"
    code, _printed, err = run_cli(
        capsys, "export", "--xlsx", out, "--changes-since", "R2", "--db", two_years
    )
    assert code == 2 and "--docx" in err
    assert not out.exists()


def test_changes_since_is_not_for_the_publication_files(two_years, tmp_path, capsys):
    folder = tmp_path / "公開"
    code, _printed, err = run_cli(
        capsys, "export", "--publish", folder, "--changes-since", "R2", "--db", two_years
    )
    assert code == 2 and "--docx" in err
    assert not folder.exists() or not any(folder.iterdir())
