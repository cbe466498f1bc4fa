"""Excel: the official layout as cells, reading it back, hand-made and hostile files."""

from __future__ import annotations

import math
import zipfile
from collections import Counter

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.cell.rich_text import CellRichText, TextBlock

from kushiro_editor.core import richtext
from kushiro_editor.core.model import ReportError
from kushiro_editor.formats import read_file
from kushiro_editor.formats.table.layout import ExportOptions
from kushiro_editor.formats.xlsx import writer as xlsx_writer
from tests.formats.handmade import content, entry_texts, excel_sheets, printed_characters


@pytest.fixture
def written(tmp_path, sample_result):
    path = tmp_path / "report.xlsx"
    xlsx_writer.write_file(sample_result.report, path)
    return path


@pytest.fixture
def sheet(written):
    workbook = load_workbook(written, rich_text=True)
    yield workbook[xlsx_writer.SHEET_TITLE]
    workbook.close()


def text_of(value) -> str:
    if value is None:
        return ""
    if isinstance(value, CellRichText):
        return "".join(p.text if isinstance(p, TextBlock) else str(p) for p in value)
    return str(value)


def no_line(side) -> bool:
    return side is None or side.style is None


def merged(sheet) -> set[str]:
    return {str(r) for r in sheet.merged_cells.ranges}


def test_one_visible_sheet_and_the_hidden_exact_copy(written):
    workbook = load_workbook(written)
    visible = [s.title for s in workbook.worksheets if s.sheet_state == "visible"]
    assert visible == ["進捗報告"]
    assert workbook[xlsx_writer.DATA_SHEET].sheet_state == "veryHidden"


def test_title_and_header_rows(sheet):
    assert sheet["A1"].value == (
        "釧路市まち・ひと・しごと創生総合戦略 進捗報告（令和2年度実績・令和3年度取組予定）"
    )
    assert [sheet.cell(2, c).value for c in (1, 2, 3)] == [
        "基本目標と基本的方向、具体的な施策",
        "所管部署",
        "進捗報告",
    ]
    assert [sheet.cell(3, c).value for c in (3, 4)] == ["R2年度(実績)", "R3年度(取組予定)"]
    assert {"A1:D1", "A2:A3", "B2:B3", "C2:D2"} <= merged(sheet)
    assert sheet["A2"].fill.fgColor.rgb.endswith("D9D9D9")
    assert sheet["C3"].font.bold and sheet["C3"].font.name == "ＭＳ ゴシック"


def test_goal_direction_and_block_rows(sheet, sample_result):
    assert sheet["A4"].value.startswith("【基本目標1】地域の魅力")
    assert "A4:D4" in merged(sheet)
    assert sheet["A5"].value == "① 釧路らしさを生み出す農林水産業の成長産業化"
    left = text_of(sheet["A6"].value)
    assert left.startswith("ア 持続的成長を目指した水産業の振興\n基幹産業である")
    assert "\n【主な事業】\n・増養殖漁業推進事業\n" in left
    assert isinstance(sheet["A6"].value, CellRichText)  # the measure headings are bold
    bold = [p.text for p in sheet["A6"].value if isinstance(p, TextBlock) and p.font.b]
    assert bold[0] == "ア 持続的成長を目指した水産業の振興"
    # The block runs to the next direction's heading (merged across the four columns).
    end = next(r for r in range(7, 60) if f"A{r}:D{r}" in merged(sheet))
    assert sheet.cell(end, 1).value.startswith("② ")
    assert sheet["B6"].value == "農林課"
    names = [sheet.cell(r, 2).value for r in range(6, end)]
    assert [n for n in names if n] == ["農林課", "水産課"]


def _left_pieces(sheet) -> list[tuple[int, int]]:
    """The left cells below the header: (first row, last row) of each."""
    spans = {
        r.min_row: r.max_row for r in sheet.merged_cells.ranges if r.min_col == 1 and r.max_col == 1
    }
    return [
        (row, spans.get(row, row))
        for row in range(xlsx_writer.FIRST_BODY_ROW, sheet.max_row + 1)
        if sheet.cell(row, 1).value is not None and f"A{row}:D{row}" not in merged(sheet)
    ]


def test_left_cells_close_at_every_page_break(sheet, sample_result):
    """A left cell never crosses a break: the next page opens it again with 「（続き）」."""
    breaks = {brk.id for brk in sheet.row_breaks.brk}
    pieces = _left_pieces(sheet)
    for first, last in pieces:
        assert not breaks & set(range(first, last)), (first, last)
    headings = {d.heading for _g, d in sample_result.report.directions()}
    continued = [
        (first, text_of(sheet.cell(first, 1).value).split("\n"))
        for first, _last in pieces
        if text_of(sheet.cell(first, 1).value).endswith(xlsx_writer.CONTINUED)
        or xlsx_writer.CONTINUED + "\n" in text_of(sheet.cell(first, 1).value)
    ]
    assert len(continued) >= 5
    for first, lines in continued:
        assert first - 1 in breaks  # a piece opens a page
        assert lines[0].removesuffix(xlsx_writer.CONTINUED) in headings
    # Some left cells are taller than their first page: their lines go on, none cut.
    assert any(len(lines) > 1 for _first, lines in continued)
    shown = "".join(text_of(sheet.cell(first, 1).value) for first, _last in pieces)
    for _goal, direction in sample_result.report.directions():
        for project in direction.main_projects:
            assert f"・{project.display}" in shown


def test_joint_departments_one_per_line(sheet):
    cells = [sheet.cell(r, 2).value for r in range(1, sheet.max_row + 1)]
    assert "観光振興室\n阿寒観光振興課" in cells


def test_fonts_wrap_and_alignment_on_every_cell(sheet):
    for row in sheet.iter_rows(min_row=2, max_row=sheet.max_row, max_col=4):
        for cell in row:
            if cell.coordinate in sheet.merged_cells and not cell.value:
                continue
            assert cell.font.name in ("ＭＳ 明朝", "ＭＳ ゴシック"), cell.coordinate
            assert cell.font.size == ExportOptions().size
            assert cell.alignment.wrap_text, cell.coordinate
            if cell.row > 3:
                assert cell.alignment.vertical == "top"


def test_font_options(tmp_path, sample_result):
    path = tmp_path / "yu.xlsx"
    xlsx_writer.write_file(
        sample_result.report, path, ExportOptions(font="游明朝", heading_font="游ゴシック", size=11)
    )
    workbook = load_workbook(path)
    body = workbook[xlsx_writer.SHEET_TITLE]
    assert body["B6"].font.name == "游明朝" and body["B6"].font.size == 11
    assert body["A4"].font.name == "游ゴシック"


def test_page_setup(sheet):
    assert sheet.page_setup.orientation == "landscape"
    assert int(sheet.page_setup.paperSize) == 9  # A4
    # The pages are computed by the writer: a fixed scale and manual row breaks.
    assert not sheet.sheet_properties.pageSetUpPr.fitToPage
    assert 80 <= int(sheet.page_setup.scale) <= 100
    breaks = [brk.id for brk in sheet.row_breaks.brk]
    assert len(breaks) > 10 and breaks == sorted(breaks)
    assert sheet.print_title_rows == "$2:$3"
    assert sheet.freeze_panes == "A4"
    assert sheet.oddFooter.center.text == "- &P / &N -"


def test_every_character_is_in_the_cells(sheet, sample_result):
    got = Counter()
    for row in sheet.iter_rows():
        for cell in row:
            got.update(ch for ch in text_of(cell.value) if not ch.isspace())
    assert not printed_characters(sample_result.report) - got


def test_texts_that_look_like_formulas_stay_text(tmp_path, sample_result):
    report = sample_result.report
    entry = report.goals[0].directions[0].entries[0]
    entry.actual = '<p>=HYPERLINK("http://example.invalid")</p>'
    entry.plan = "<p>+81 0154</p>"
    entry.departments = ["@危機管理課"]
    report.goals[0].directions[1].entries[0].actual = "<p>-3%の減少</p>"
    path = tmp_path / "formula.xlsx"
    xlsx_writer.write_file(report, path)
    with zipfile.ZipFile(path) as archive:
        sheet_xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml and "<f " not in sheet_xml
    workbook = load_workbook(path)
    body = workbook[xlsx_writer.SHEET_TITLE]
    values = {c.value: c for row in body.iter_rows() for c in row if isinstance(c.value, str)}
    for text in ('=HYPERLINK("http://example.invalid")', "+81 0154", "@危機管理課", "-3%の減少"):
        assert values[text].data_type == "s"
        assert values[text].quotePrefix
    assert entry_texts(read_file(path).report)[0] == (
        ["@危機管理課"],
        '=HYPERLINK("http://example.invalid")',
        "+81 0154",
    )


def test_long_entries_continue_on_seamless_rows(sheet, sample_result):
    """水産課's 実績 is taller than a row may be: it continues, 所管部署 merged over it."""
    row = next(r for r in range(6, 40) if sheet.cell(r, 2).value == "水産課")
    span = next(r for r in sheet.merged_cells.ranges if r.min_row == row and r.min_col == 2)
    assert span.max_row > row
    breaks = {brk.id for brk in sheet.row_breaks.brk}
    # Seamless on screen; closed by a rule where the printed page breaks between pieces.
    for number in range(row, span.max_row):
        ruled = number in breaks
        assert no_line(sheet.cell(number, 3).border.bottom) is not ruled, number
        assert no_line(sheet.cell(number + 1, 3).border.top) is not ruled, number
    pieces = "\n".join(text_of(sheet.cell(r, 3).value) for r in range(row, span.max_row + 1))
    fish = sample_result.report.goals[0].directions[0].entries[1]
    assert "".join(pieces.split()) == "".join(richtext.to_plain(fish.actual).split())
    assert all(sheet.row_dimensions[r].height <= 409 for r in range(4, sheet.max_row + 1))


def _qt_lines(text: str, width_px: float, family: str, size_pt: float) -> int:
    from PySide6.QtGui import QFont, QTextLayout, QTextOption

    font = QFont(family)
    font.setPointSizeF(size_pt)
    lines = 0
    for paragraph in text.split("\n"):
        layout = QTextLayout(paragraph or " ", font)
        option = QTextOption()
        option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        layout.setTextOption(option)
        layout.beginLayout()
        while True:
            line = layout.createLine()
            if not line.isValid():
                break
            line.setLineWidth(width_px)
            lines += 1
        layout.endLayout()
    return lines


@pytest.mark.parametrize("family", ["IPAMincho", "Noto Serif CJK JP"])
def test_row_heights_leave_no_text_clipped(qapp, sheet, family):
    """Lay out every cell with a real text engine in each font a PC may show it in.

    IPA Mincho has the metrics of ＭＳ 明朝; Noto Serif CJK is what a PC without
    the Japanese fonts shows a 明朝 in, with taller lines. Column width in Excel's
    units is measured in the default font's digit (7 px at 96 dpi, plus 5 px
    of padding).
    """
    from PySide6.QtGui import QFont, QFontDatabase, QFontMetricsF

    if family not in QFontDatabase.families():
        pytest.skip(f"{family} is not installed")
    size = ExportOptions().size
    font = QFont(family)
    font.setPointSizeF(size)
    # QFontMetricsF measures in pixels at 96 dpi; a line is never under 1.25 em in Excel.
    line_pt = max(QFontMetricsF(font).height() * 72 / 96, size * 1.25)
    widths = [xlsx_writer.COLUMN_WIDTHS[i] * 7 + 5 - 2 * 3 for i in range(4)]
    heights = {r: sheet.row_dimensions[r].height or 15 for r in range(1, sheet.max_row + 1)}
    spans = {(r.min_row, r.min_col): r for r in sheet.merged_cells.ranges}
    checked = 0
    for row in sheet.iter_rows(min_row=4, max_col=4):
        for cell in row:
            text = text_of(cell.value)
            if not text:
                continue
            span = spans.get((cell.row, cell.column))
            last_row = span.max_row if span else cell.row
            last_col = span.max_col if span else cell.column
            width = sum(widths[c - 1] for c in range(cell.column, last_col + 1))
            lines = _qt_lines(text, width, family, size)
            available = sum(heights[r] for r in range(cell.row, last_row + 1))
            assert available >= lines * line_pt, (cell.coordinate, lines, available)
            checked += 1
    assert checked > 150


def test_notes_over_many_cells_read_back_identically(tmp_path, sample_result, monkeypatch):
    from benchmarks.synthetic import scaled

    # Short chunks stand in for a report too large for one cell's 32,767 characters.
    monkeypatch.setattr(xlsx_writer, "NOTE_CHUNK", 7)
    report = scaled(sample_result.report, 2)
    path = tmp_path / "large.xlsx"
    xlsx_writer.write_file(report, path)
    workbook = load_workbook(path)
    chunks = [
        row[0] for row in workbook[xlsx_writer.DATA_SHEET].iter_rows(min_row=2, values_only=True)
    ]
    assert len(chunks) > 1 and all(c.startswith("|") for c in chunks)
    result = read_file(path)
    assert content(result.report) == content(report)
    assert result.warnings == []


def test_a_damaged_hidden_sheet_is_read_as_shown(written, sample_result):
    workbook = load_workbook(written, rich_text=True)
    workbook[xlsx_writer.DATA_SHEET]["A2"].value = "|{not json"
    workbook.save(written)
    result = read_file(written)
    assert entry_texts(result.report) == entry_texts(sample_result.report)


def test_a_cell_edited_in_excel_is_read_as_shown(written, sample_result):
    workbook = load_workbook(written, rich_text=True)
    body = workbook[xlsx_writer.SHEET_TITLE]
    row = next(r for r in range(1, body.max_row) if body.cell(r, 2).value == "博物館")
    body.cell(row, 4).value = "展示解説を多言語化する。\n・音声ガイドを増やす。"
    workbook.save(written)
    result = read_file(written)
    museum = next(e for _g, _d, e in result.report.entries() if e.departments == ["博物館"])
    assert museum.plan == "<p>展示解説を多言語化する。</p><ul><li>・音声ガイドを増やす。</li></ul>"
    assert result.warnings[0].topic == "edited"
    others = [t for t in entry_texts(result.report) if t[0] != ["博物館"]]
    assert others == [t for t in entry_texts(sample_result.report) if t[0] != ["博物館"]]


def test_a_cell_over_excels_limit_is_refused_clearly(tmp_path, sample_result):
    sample_result.report.goals[0].directions[0].entries[0].departments = ["課" * 40000]
    with pytest.raises(ReportError, match="上限"):
        xlsx_writer.write_file(sample_result.report, tmp_path / "big.xlsx")
    assert not (tmp_path / "big.xlsx").exists()


# -- files made by hand ---------------------------------------------------------------
@pytest.mark.parametrize(("per_goal", "offset"), [(False, 0), (True, 0), (False, 1)])
def test_handmade_sheet(tmp_path, per_goal, offset):
    path = tmp_path / "hand.xlsx"
    excel_sheets(path, per_goal_sheets=per_goal, offset=offset)
    result = read_file(path)
    report = result.report
    assert report.actual_year == 2020 and report.title == "令和2年度 総合戦略 進捗状況"
    assert [g.title for g in report.goals] == ["まちの魅力", "ひとの育成"]
    tourism = report.goals[0].directions[0]
    assert [(m.label, m.title, m.body) for m in tourism.measures] == [
        ("ア", "誘客の推進", "<p>観光客を呼び込む。</p>")
    ]
    assert [(p.name, p.relisted) for p in tourism.main_projects] == [
        ("観光事業", False),
        ("港湾事業", True),
    ]
    assert entry_texts(report) == [
        (["観光振興室"], "ツアーを実施した。\n・PRを行った。", "ツアーを実施する。"),
        (["港湾空港課"], "クルーズ船が寄港した。", "寄港を予定する。"),
        (["商業労政課"], "講座を開いた。", "講座を開く。"),
        (["教育支援課"], "職場体験を行った。", ""),
    ]
    assert tourism.entries[0].actual == "<p>ツアーを実施した。</p><ul><li>・PRを行った。</li></ul>"
    assert any(w.topic == "department" for w in result.warnings)


def test_left_cell_pieces_read_back_as_one_block(written, sample_result):
    """Our own pieces are named in the hidden notes: read back exactly, nothing reported."""
    result = read_file(written)
    assert content(result.report) == content(sample_result.report)
    assert not [w for w in result.warnings if "続き" in w.message]


def test_handmade_left_cell_continued_after_a_page_break(tmp_path):
    """A left cell 「…（続き）」 opening a page is the block above it going on."""
    workbook = Workbook()
    sheet = workbook.active
    rows = [
        ["基本目標と基本的方向、具体的な施策", "所管部署", "進捗報告"],
        [None, None, "R2年度(実績)", "R3年度(取組予定)"],
        ["【基本目標1】まちの魅力"],
        ["①観光の振興"],
        ["ア 誘客の推進\n観光客を呼び込む。", "観光振興室", "ツアーを実施した。", "実施する。"],
        [None, "港湾空港課", "船が寄港した。", "寄港を予定する。"],
        ["①観光の振興（続き）\n【主な事業】\n・観光事業", "博物館", "展示した。", "展示する。"],
        ["②人材の確保"],
        ["ア 育成", "商業労政課", "講座を開いた。", "講座を開く。"],
    ]
    for number, values in enumerate(rows, start=1):
        for column, value in enumerate(values, start=1):
            sheet.cell(number, column, value)
    sheet.merge_cells("A1:A2")
    sheet.merge_cells("C1:D1")
    sheet.merge_cells("A5:A6")
    workbook.save(tmp_path / "hand.xlsx")
    result = read_file(tmp_path / "hand.xlsx")
    tourism, people = result.report.goals[0].directions
    assert [(m.label, m.title) for m in tourism.measures] == [("ア", "誘客の推進")]
    assert [p.name for p in tourism.main_projects] == ["観光事業"]
    assert [e.departments for e in tourism.entries] == [["観光振興室"], ["港湾空港課"], ["博物館"]]
    assert [e.departments for e in people.entries] == [["商業労政課"]]
    assert any("（続き）" in w.message and "7行目" in w.message for w in result.warnings)


# -- hostile and broken files ---------------------------------------------------------
def test_broken_and_protected_workbooks(tmp_path, written):
    cases = {
        "text.xlsx": (b"not a workbook at all", "Excel のファイルではありません"),
        "empty.xlsx": (b"", "空です"),
        "truncated.xlsx": (written.read_bytes()[:4000], "壊れているか"),
        "protected.xlsx": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "パスワード"),
    }
    for name, (data, message) in cases.items():
        path = tmp_path / name
        path.write_bytes(data)
        with pytest.raises(ReportError, match=message):
            read_file(path)


def test_entity_bomb_in_a_sheet(tmp_path, written):
    with zipfile.ZipFile(written) as archive:
        files = {name: archive.read(name) for name in archive.namelist()}
    files["xl/worksheets/sheet1.xml"] = (
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&b;</t></is></c></row>'
        b"</sheetData></worksheet>"
    )
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    with pytest.raises(ReportError, match="安全でない XML"):
        read_file(path)


def test_workbook_that_is_not_this_report(tmp_path):
    workbook = Workbook()
    workbook.active.append(["品名", "数量"])
    workbook.active.append(["りんご", 3])
    path = tmp_path / "list.xlsx"
    workbook.save(path)
    with pytest.raises(ReportError, match="進捗報告の表として読めません"):
        read_file(path)


def test_docx_named_xlsx(tmp_path, sample_result):
    from kushiro_editor.formats.docx import writer as docx_writer

    path = tmp_path / "wrong.xlsx"
    docx_writer.write_file(sample_result.report, path)
    with pytest.raises(ReportError, match="Excel のブックではありません"):
        read_file(path)


def test_heights_are_whole_rows(sheet):
    for number in range(1, sheet.max_row + 1):
        height = sheet.row_dimensions[number].height
        assert height is not None and 0 < height <= 409 and not math.isnan(height)
