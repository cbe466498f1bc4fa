"""``kushiro-editor export --pdf``: the editor's own PDF from the command line."""

from __future__ import annotations

import pdfplumber

from kushiro_editor.cli import main as cli


def run(*args, capsys):
    code = cli.main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def test_export_pdf(tmp_path, capsys, sample_file):
    db = tmp_path / "x.sqlite3"
    assert run("import", sample_file, "--db", db, capsys=capsys)[0] == 0
    out_path = tmp_path / "報告.pdf"
    code, out, err = run("export", "--pdf", out_path, "--db", db, capsys=capsys)
    assert code == 0, err
    assert "報告.pdf" in out
    with pdfplumber.open(out_path) as pdf:
        pages = len(pdf.pages)
        first = pdf.pages[0].extract_text()
        last = pdf.pages[-1].extract_text()
    assert "釧路市まち・ひと・しごと創生総合戦略" in first and "R2年度(実績)" in first
    assert f"- {pages} / {pages} -" in last
    # A larger size takes more pages.
    bigger = tmp_path / "big.pdf"
    code, _out, err = run("export", "--pdf", bigger, "--db", db, "--font-size", "11", capsys=capsys)
    assert code == 0, err
    with pdfplumber.open(bigger) as pdf:
        assert len(pdf.pages) > pages


def test_export_pdf_into_a_missing_folder_is_one_line(tmp_path, capsys, sample_file):
    db = tmp_path / "x.sqlite3"
    run("import", sample_file, "--db", db, capsys=capsys)
    target = tmp_path / "no-such-folder" / "r.pdf"
    code, _out, err = run("export", "--pdf", target, "--db", db, capsys=capsys)
    assert code == 2
    assert len(err.strip().splitlines()) == 1
    assert not target.exists()


def test_export_without_a_target_names_pdf(tmp_path, capsys):
    code, _out, err = run("export", "--db", tmp_path / "x.sqlite3", capsys=capsys)
    assert code == 2
    assert "--pdf" in err
