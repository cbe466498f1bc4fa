"""Hand-made Word and Excel tables, laid out in many ways, import to the report they show."""

from __future__ import annotations

import zipfile

import pytest

from kushiro_editor.core import richtext
from kushiro_editor.core.model import ReportError
from kushiro_editor.formats import read_file
from tests.formats.corpus import EXPECTED_ENTRIES, TITLE, Variant, write_docx, write_xlsx
from tests.formats.handmade import content, entry_texts

VARIANTS = {
    "word-words": Variant(header="word-issue"),
    "excel-words": Variant(header="excel-issue"),
    "western-years": Variant(header="western"),
    "brackets-two-rows": Variant(header="brackets", two_rows=True),
    "reordered-with-remarks": Variant(order=(1, 0, 3, 2), extra="備考"),
    "left-cell-empty": Variant(merge="empty"),
    "left-cell-repeated": Variant(merge="repeated", header="excel-issue"),
    "one-per-goal": Variant(split=True, blank_rows=True, two_rows=True),
    "header-repeated-inside": Variant(header="brackets", two_rows=True, repeat_header=True),
    "excel-header-repeated": Variant(header="excel-issue", repeat_header=True, blank_rows=True),
    "notes-after": Variant(notes=["※ 金額は税込みです。", "※ 数値は速報値です。"]),
    "no-title": Variant(title=False, header="excel-issue"),
}


def _write(tmp_path, kind: str, variant: Variant):
    path = tmp_path / f"hand.{kind}"
    (write_docx if kind == "docx" else write_xlsx)(path, variant)
    return path


@pytest.mark.parametrize("kind", ["docx", "xlsx"])
@pytest.mark.parametrize("name", sorted(VARIANTS))
def test_each_variant_imports_to_the_report_it_shows(tmp_path, kind, name):
    variant = VARIANTS[name]
    result = read_file(_write(tmp_path, kind, variant))
    report = result.report
    assert report.actual_year == 2020
    if variant.title:
        assert report.title == TITLE
    assert [g.title for g in report.goals] == ["まちの魅力", "ひとの育成"]
    assert [[d.title for d in g.directions] for g in report.goals] == [
        ["観光の振興"],
        ["人材の確保"],
    ]
    tourism, people = (g.directions[0] for g in report.goals)
    assert [(m.label, m.title) for m in tourism.measures] == [("ア", "誘客の推進")]
    assert richtext.to_plain(tourism.measures[0].body) == "観光客を呼び込む。"
    assert [(p.name, p.relisted) for p in tourism.main_projects] == [
        ("観光事業", False),
        ("港湾事業", True),
    ]
    assert [(m.title, richtext.to_plain(m.body)) for m in people.measures] == [
        ("人材の育成", "講座で育てる。")
    ]
    assert entry_texts(report) == EXPECTED_ENTRIES
    # 「・」 typed as text lines are list items.
    assert tourism.entries[0].actual == (
        "<ul><li>・ツアーを実施した。</li><li>・PRを行った。</li></ul>"
    )
    kinds = {w.topic for w in result.warnings}
    assert ("column" in kinds) == bool(variant.extra)
    assert ("note" in kinds) == bool(variant.notes)
    assert ("repeated" in kinds) == (variant.merge == "repeated")
    if variant.extra:
        assert any("「備考」" in w.message for w in result.warnings)
    for note in variant.notes:
        assert any(note[:10] in w.message for w in result.warnings)


def test_shift_enter_is_a_break_inside_the_paragraph(tmp_path):
    report = read_file(_write(tmp_path, "docx", Variant())).report
    harbour = report.goals[0].directions[0].entries[1]
    assert harbour.actual == "<p>クルーズ船が寄港した。<br>乗客は少なかった。</p>"


@pytest.mark.parametrize("kind", ["docx", "xlsx"])
def test_a_missing_column_is_named(tmp_path, kind):
    variant = Variant(header="excel-issue")
    path = _write(tmp_path, kind, variant)
    # The same file with its 実績 heading typed as something else.
    if kind == "xlsx":
        from openpyxl import load_workbook

        book = load_workbook(path)
        sheet = book["進捗"]
        for row in sheet.iter_rows(max_row=6):
            for cell in row:
                if cell.value == "R2実績":
                    cell.value = "R2の状況"
        book.save(path)
    else:
        from docx import Document

        document = Document(path)
        for cell in document.tables[0].rows[0].cells:
            if cell.text == "R2実績":
                cell.paragraphs[0].runs[0].text = "R2の状況"
        document.save(path)
    with pytest.raises(ReportError) as raised:
        read_file(path)
    message = str(raised.value)
    assert "「実績」の列が見つかりません" in message
    assert "【基本目標】" not in message  # the goal rows are there: never say otherwise


def test_two_departments_in_one_cell_on_two_lines(tmp_path):
    from docx import Document

    document = Document()
    table = document.add_table(rows=4, cols=4)
    for cell, text in zip(
        table.rows[0].cells, ("施策", "担当課", "令和2年度実績", "令和3年度取組予定"), strict=True
    ):
        cell.text = text
    table.rows[1].cells[0].merge(table.rows[1].cells[3]).text = "【基本目標1】まち"
    table.rows[2].cells[0].merge(table.rows[2].cells[3]).text = "①農と漁"
    cells = table.rows[3].cells
    cells[1].text = "農林課"
    cells[1].add_paragraph("水産課")
    cells[2].text = "牧場を整備した。"
    cells[2].add_paragraph("漁港を整備した。")
    cells[3].text = "牧場を整備する。"
    cells[3].add_paragraph("漁港を整備する。")
    document.save(tmp_path / "two.docx")
    result = read_file(tmp_path / "two.docx")
    texts = entry_texts(result.report)
    shown = "".join(a + p for _d, a, p in texts)
    for text in ("牧場を整備した。", "漁港を整備した。", "牧場を整備する。", "漁港を整備する。"):
        assert text in shown  # nothing lost
    assert sorted(n for d, _a, _p in texts for n in d) == ["水産課", "農林課"]
    assert any(w.topic == "split" for w in result.warnings)  # the guess is reported


def test_hidden_sheets_are_not_read(tmp_path):
    path = _write(tmp_path, "xlsx", Variant(split=True))
    report = read_file(path).report
    assert "下書き" not in [g.title for g in report.goals]


@pytest.mark.parametrize("print_area", [True, False])
def test_only_the_print_area_is_read(tmp_path, print_area):
    from openpyxl import load_workbook

    path = _write(tmp_path, "xlsx", Variant(header="excel-issue"))
    book = load_workbook(path)
    sheet = book["進捗"]
    header_row = next(r for r in range(1, 8) if sheet.cell(row=r, column=2).value == "所管課")
    sheet.cell(row=header_row, column=6, value="集計メモ")
    sheet.cell(row=header_row + 3, column=6, value="件数を後で確認")
    if print_area:
        sheet.print_area = f"A1:D{sheet.max_row}"
    book.save(path)
    result = read_file(path)
    assert entry_texts(result.report) == EXPECTED_ENTRIES
    unread = [w for w in result.warnings if w.topic == "column"]
    assert bool(unread) != print_area
    if unread:
        assert "「集計メモ」" in unread[0].message


def test_word_automatic_numbering_reads_as_the_typed_numbers(tmp_path):
    """【基本目標N】, ①, ア and 「・」 made by Word's numbering import as if typed."""
    typed = read_file(_write(tmp_path, "docx", Variant(two_rows=True)))
    path = tmp_path / "numbered.docx"
    write_docx(path, Variant(two_rows=True, numbered=True))
    with zipfile.ZipFile(path) as archive:
        document = archive.read("word/document.xml").decode()
    # Nothing of the numbers is typed: Word counts them when it shows the page.
    assert "【基本目標" not in document and "①" not in document and "・ツアー" not in document
    assert "ア " not in document

    result = read_file(path)

    assert content(result.report) == content(typed.report)
    assert entry_texts(result.report) == EXPECTED_ENTRIES
    numbered = [w for w in result.warnings if w.topic == "numbering"]
    assert len(numbered) == 1 and "段落番号" in numbered[0].message
    assert not any(w.topic == "numbering" for w in typed.warnings)
