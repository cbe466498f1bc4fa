"""Hostile and broken input: one clear message, no crash, no hang, the store unchanged."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from docx import Document
from openpyxl import Workbook

from kushiro_editor.cli import main as cli
from kushiro_editor.core import richtext
from kushiro_editor.core.store import Store
from kushiro_editor.formats import read_file
from kushiro_editor.formats.docx import writer as docx_writer
from kushiro_editor.formats.xlsx import writer as xlsx_writer
from tests.conftest import SAMPLE


def _zip_bomb(kind: str) -> bytes:
    buffer = io.BytesIO()
    member = "word/document.xml" if kind == "docx" else "xl/worksheets/sheet1.xml"
    with (
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive,
        archive.open(member, "w", force_zip64=True) as handle,
    ):
        for _ in range(230):
            handle.write(b"\0" * (1 << 20))
    return buffer.getvalue()


def _entity_bomb(kind: str) -> bytes:
    report = read_file(SAMPLE).report
    buffer = io.BytesIO()
    (docx_writer.build(report) if kind == "docx" else xlsx_writer.build(report)).save(buffer)
    with zipfile.ZipFile(buffer) as archive:
        files = {n: archive.read(n) for n in archive.namelist()}
    name = "word/document.xml" if kind == "docx" else "xl/workbook.xml"
    files[name] = (
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;">]>'
        b"<x>&c;</x>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for member, data in files.items():
            archive.writestr(member, data)
    return out.getvalue()


def _not_this_report(kind: str) -> bytes:
    buffer = io.BytesIO()
    if kind == "docx":
        document = Document()
        document.add_paragraph("議事録")
        document.add_table(rows=2, cols=2).cell(0, 0).text = "出席者"
        document.save(buffer)
    else:
        workbook = Workbook()
        workbook.active.append(["品名", "単価"])
        workbook.save(buffer)
    return buffer.getvalue()


def _huge_merge_not_a_report() -> bytes:
    """A tiny workbook whose one merged range claims the whole sheet."""
    data = _not_this_report("xlsx")
    source = io.BytesIO(data)
    out = io.BytesIO()
    with zipfile.ZipFile(source) as archive, zipfile.ZipFile(out, "w") as target:
        for info in archive.infolist():
            member = archive.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                member = member.replace(
                    b"</sheetData>",
                    b'</sheetData><mergeCells count="1"><mergeCell ref="A1:XFD1048576"/>'
                    b"</mergeCells>",
                )
            target.writestr(info, member)
    return out.getvalue()


def _broken_utf8() -> bytes:
    data = bytearray(SAMPLE.read_bytes())
    data[2000:2003] = b"\xc3\x28\xa0"
    return bytes(data)


REFUSED = {
    "not-a-zip.docx": lambda: b"MZ\x90\x00 this is a program, not a document",
    "not-a-zip.xlsx": lambda: b"%PDF-1.7 a PDF named .xlsx",
    "truncated.docx": lambda: _not_this_report("docx")[:1500],
    "truncated.xlsx": lambda: _not_this_report("xlsx")[:1500],
    "bomb.docx": lambda: _zip_bomb("docx"),
    "bomb.xlsx": lambda: _zip_bomb("xlsx"),
    "entities.docx": lambda: _entity_bomb("docx"),
    "entities.xlsx": lambda: _entity_bomb("xlsx"),
    "password.xlsx": lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 4000,
    "password.docx": lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 4000,
    "minutes.docx": lambda: _not_this_report("docx"),
    "prices.xlsx": lambda: _not_this_report("xlsx"),
    "huge-merge.xlsx": _huge_merge_not_a_report,
    "empty.docx": lambda: b"",
    "empty.xlsx": lambda: b"",
    "empty.tsv": lambda: b"",
    "broken-utf8.tsv": _broken_utf8,
    "binary.tsv": lambda: bytes(range(256)) * 40,
    "deep.json": lambda: b"[" * 200000,
}


@pytest.fixture
def store_with_sample(tmp_path):
    db = tmp_path / "s.sqlite3"
    assert cli.main(["import", str(SAMPLE), "--db", str(db)]) == 0
    return db


def _state(db: Path) -> str:
    from kushiro_editor.formats import reportjson as json_format

    with Store(db) as store:
        return json.dumps(
            [json_format.to_dict(store.load(y), store.warnings(y)) for y in store.years()]
        )


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_cli_refuses_with_one_line(tmp_path, capsys, store_with_sample, name):
    path = tmp_path / name
    path.write_bytes(REFUSED[name]())
    before = _state(store_with_sample)
    capsys.readouterr()
    code = cli.main(["import", str(path), "--db", str(store_with_sample), "--replace"])
    out, err = capsys.readouterr()
    assert code == 2 and out == ""
    assert err.startswith("kushiro-editor: エラー: ") and err.count("\n") == 1, err
    assert _state(store_with_sample) == before


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_window_refuses_with_one_message(
    make_window, store_with_sample, qtbot, tmp_path, monkeypatch, name
):
    window = make_window(store_with_sample)
    path = tmp_path / name
    path.write_bytes(REFUSED[name]())
    before = _state(store_with_sample)
    shown = []
    monkeypatch.setattr(
        window.session, "show_error", lambda parent, title, message: shown.append(message)
    )
    with qtbot.waitSignal(window.tasks.finished, timeout=60000):
        window.files.import_file(path)
    assert len(shown) == 1 and shown[0]
    assert any("\u3040" <= ch <= "\u30ff" for ch in shown[0])  # said in Japanese
    assert _state(store_with_sample) == before


def _with_cell(markup: str) -> bytes:
    lines = SAMPLE.read_text(encoding="utf-8").split("\n")
    cells = lines[28].split("\t")  # 博物館's row
    cells[2] = markup
    lines[28] = "\t".join(cells)
    return "\n".join(lines).encode("utf-8")


def test_a_5mb_cell_imports(tmp_path):
    path = tmp_path / "huge.tsv"
    path.write_bytes(_with_cell("<p>" + "あ" * (5 * 1024 * 1024 // 3) + "</p>"))
    museum = read_file(path).report.goals[0].directions[2].entries[-1]
    assert len(richtext.to_plain(museum.actual)) == 5 * 1024 * 1024 // 3


def test_control_zero_width_and_formula_like_text(tmp_path):
    path = tmp_path / "odd.tsv"
    path.write_bytes(
        _with_cell("<p>=SUM(A1)\x00\x07 見\u200bえ\ufeffない\x1b文字</p><p>+81 @x -1</p>")
    )
    museum = read_file(path).report.goals[0].directions[2].entries[-1]
    assert museum.actual == "<p>=SUM(A1) 見えない文字</p><p>+81 @x -1</p>"
    out = tmp_path / "odd.xlsx"
    report = read_file(path).report
    xlsx_writer.write_file(report, out)
    with zipfile.ZipFile(out) as archive:
        assert b"<f>" not in archive.read("xl/worksheets/sheet1.xml")
    again = read_file(out).report.goals[0].directions[2].entries[-1]
    assert again.actual == museum.actual


def test_html_in_a_tsv_cell_loads_nothing_external(tmp_path):
    path = tmp_path / "html.tsv"
    path.write_bytes(
        _with_cell(
            '<p onclick="x()" style="background:url(http://example.invalid/a.png)">本文'
            '<script src="http://example.invalid/s.js"></script><img src="http://example.invalid/i.png">'
            '<a href="http://example.invalid/">リンク</a><iframe src="http://example.invalid"></iframe>'
            "<style>@import url(http://example.invalid/c.css);</style></p>"
        )
    )
    museum = read_file(path).report.goals[0].directions[2].entries[-1]
    assert museum.actual == "<p>本文リンク</p>"


@pytest.mark.parametrize("encoding", ["cp932", "shift_jis", "utf-16", "utf-8-sig"])
def test_windows_encodings_import(tmp_path, encoding):
    text = SAMPLE.read_text(encoding="utf-8")
    path = tmp_path / f"{encoding}.tsv"
    # Strict Shift_JIS lacks ①… (CP932 has them): those become "?" as Windows would write.
    path.write_bytes(text.encode(encoding, errors="replace"))
    assert sum(1 for _ in read_file(path).report.entries()) == 70
