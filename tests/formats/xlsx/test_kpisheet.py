"""Excel: the sheet 「指標」 — its cells and number formats, its charts, and the round trip."""

from __future__ import annotations

import copy
import zipfile
from decimal import Decimal

import pytest
from lxml import etree
from openpyxl import load_workbook

from kushiro_editor.core.kpi import fields
from kushiro_editor.formats import read_file
from kushiro_editor.formats.table.layout import ExportOptions
from kushiro_editor.formats.xlsx import kpireader, kpisheet
from kushiro_editor.formats.xlsx import writer as xlsx_writer
from tests.core.kpi_samples import by_name, exact, kpi_report

C = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"


@pytest.fixture
def report():
    return kpi_report()


@pytest.fixture
def written(tmp_path, report):
    path = tmp_path / "kpi.xlsx"
    xlsx_writer.write_file(report, path)
    return path


@pytest.fixture
def sheet(written):
    workbook = load_workbook(written)
    yield workbook[kpisheet.SHEET_TITLE]
    workbook.close()


def rows_by_name(sheet) -> dict[str, int]:
    return {
        sheet.cell(row, 1).value: row
        for row in range(kpisheet.FIRST_ROW, sheet.max_row + 1)
        if sheet.cell(row, 2).value is not None
    }


def test_the_sheet_follows_the_report_sheet_with_the_table_header(sheet):
    workbook = sheet.parent
    assert workbook.sheetnames == [xlsx_writer.SHEET_TITLE, "指標", xlsx_writer.DATA_SHEET]
    assert sheet["A1"].value == "数値目標・重要業績評価指標（KPI）の進捗"
    header = [sheet.cell(kpisheet.HEADER_ROW, c).value for c in range(1, 10)]
    assert header == [
        *("指標", "単位", "基準値", "目標値"),
        *("令和元年度", "R2年度"),
        *("達成率", "評価", "所管"),
    ]
    headings = [sheet.cell(r, 1).value for r in (3, 5, 8)]
    assert headings == ["【基本目標1】地域の魅力", "① 観光の振興", "ア 水産業の振興"]
    assert "A3:I3" in {str(r) for r in sheet.merged_cells.ranges}


def test_numbers_are_numbers_whose_format_keeps_their_places_and_notes(sheet):
    row = rows_by_name(sheet)["観光入込客数"]
    baseline, value_2019, value_2020 = (sheet.cell(row, c) for c in (3, 5, 6))
    assert baseline.value == 500 and baseline.number_format == '0.0"（H30年度）"'
    assert value_2019.value == pytest.approx(512.3) and value_2019.number_format == "0.00"
    assert value_2020.number_format == '0.0"（速報値）"'
    rate = sheet.cell(row, 7)
    assert rate.value == pytest.approx(76.3) and rate.number_format == '0.0"%"'
    assert sheet.cell(row, 8).value == "C"
    catch = rows_by_name(sheet)["漁獲量"]
    assert sheet.cell(catch, 6).value == "－（集計中）"
    assert sheet.cell(catch, 7).value == "－"
    waiting = rows_by_name(sheet)["待機児童数"]
    assert sheet.cell(waiting, 9).value == "こども育成課\n教育支援課"


def test_the_sheet_is_styled_as_the_report_sheet(sheet):
    options = ExportOptions()
    head = sheet.cell(kpisheet.HEADER_ROW, 1)
    assert head.font.name == options.heading_font and head.font.b
    assert head.fill.fgColor.rgb.endswith("D9D9D9")
    assert sheet["A3"].fill.fgColor.rgb.endswith("F2F2F2")
    body = sheet.cell(rows_by_name(sheet)["観光入込客数"], 1)
    assert body.font.name == options.font and body.font.sz == options.size
    assert body.border.left.style == body.border.bottom.style == "thin"


def _charts(path) -> list[etree._Element]:
    with zipfile.ZipFile(path) as archive:
        names = sorted(n for n in archive.namelist() if n.startswith("xl/charts/chart"))
        return [etree.fromstring(archive.read(name)) for name in names]


def test_each_kpi_has_a_line_chart_whose_series_refer_to_the_sheets_cells(written, sheet):
    charts = _charts(written)
    assert len(charts) == 4
    for chart in charts:
        assert chart.find(f".//{C}lineChart") is not None
    # The charts follow the table's KPIs in order; the second is 観光入込客数's.
    chart = charts[1]
    series = chart.findall(f".//{C}ser")
    assert len(series) == 2
    refs = [s.find(f"{C}val/{C}numRef/{C}f").text for s in series]
    category = series[0].find(f"{C}cat//{C}f").text
    values = _cells(sheet, refs[0])
    path = _cells(sheet, refs[1])
    years = _cells(sheet, category)
    assert refs[0].startswith("'指標'!")
    assert years == ["H30", "令和元", "R2", "R3", "R4", "R5", "R6"]
    assert values[1:3] == [pytest.approx(512.3), pytest.approx(530.5)]
    assert values[0] is None and values[3:] == [None] * 4
    assert [v if v is None else float(v) for v in path] == [500, None, 540, None, 570, None, 600]
    dash = series[1].find(f"{C}spPr/{A}ln/{A}prstDash")
    assert dash is not None and dash.get("val") == "dash"
    assert chart.find(f".//{C}dispBlanksAs").get("val") == "span"
    # Its texts name the export's fonts, the East-Asian one too.
    title = chart.find(f"{C}chart/{C}title")
    assert "".join(t.text for t in title.iter(f"{A}t")) == "観光入込客数（万人）"
    options = ExportOptions()
    assert {e.get("typeface") for e in title.iter(f"{A}ea")} == {options.heading_font}
    axis = chart.find(f".//{C}catAx/{C}txPr")
    assert {e.get("typeface") for e in axis.iter(f"{A}ea")} == {options.font}


def _cells(sheet, reference: str) -> list:
    area = reference.split("!")[1].replace("$", "")
    return [cell.value for row in sheet[area] for cell in row]


def test_kpis_read_back_equal_with_their_places_notes_and_hidden_values(written, report):
    result = read_file(written)
    assert result.warnings == []
    assert exact(result.report) == exact(report)
    pairs = zip(fields.kpis(result.report), fields.kpis(report), strict=True)
    for (_o, read), (_p, wrote) in pairs:
        assert read == wrote
    assert str(by_name(result.report, "観光入込客数").value_of(2019).value) == "512.30"


def test_a_hand_set_rating_and_its_reason_go_and_come_back(tmp_path):
    report = kpi_report()
    kpi = by_name(report, "待機児童数")
    kpi.override, kpi.override_reason = "B", "年度途中に待機が生じたため"
    kpi.comment = "4月1日時点"
    path = tmp_path / "override.xlsx"
    xlsx_writer.write_file(report, path)
    workbook = load_workbook(path)
    sheet = workbook[kpisheet.SHEET_TITLE]
    assert sheet.cell(rows_by_name(sheet)["待機児童数"], 8).value == "B（手動）"
    workbook.close()
    back = by_name(read_file(path).report, "待機児童数")
    assert back == kpi


def test_values_a_clerk_changes_in_excel_are_read_from_the_cells(written, report, tmp_path):
    workbook = load_workbook(written)
    sheet = workbook[kpisheet.SHEET_TITLE]
    row = rows_by_name(sheet)["漁獲量"]
    sheet.cell(row, 6).value = 1100.5
    sheet.cell(row, 6).number_format = "0.00"
    sheet.cell(row, 1).value = "漁獲量（全魚種）"
    edited = tmp_path / "edited.xlsx"
    workbook.save(edited)
    result = read_file(edited)
    kpi = by_name(result.report, "漁獲量（全魚種）")
    value = kpi.value_of(2020)
    assert str(value.value) == "1100.50"
    assert value.note == "集計中"  # the note is kept from the hidden sheet
    assert kpi.id == by_name(report, "漁獲量").id


def test_a_report_without_kpis_gets_no_sheet_and_its_sheet_is_unchanged(tmp_path, sample_result):
    plain = tmp_path / "plain.xlsx"
    xlsx_writer.write_file(sample_result.report, plain)
    with zipfile.ZipFile(plain) as archive:
        names = archive.namelist()
        assert not [n for n in names if "chart" in n or "drawing" in n]
    workbook = load_workbook(plain)
    assert workbook.sheetnames == [xlsx_writer.SHEET_TITLE, xlsx_writer.DATA_SHEET]
    data = workbook[xlsx_writer.DATA_SHEET]
    notes = "".join(str(c.value) for row in data.iter_rows() for c in row)
    assert '"kpi"' not in notes
    workbook.close()
    # The KPIs add a sheet and leave the report's sheet as it was, byte for byte.
    report = copy.deepcopy(sample_result.report)
    report.goals[0].kpis.append(copy.deepcopy(by_name(kpi_report(), "観光入込客数")))
    with_kpis = tmp_path / "kpis.xlsx"
    xlsx_writer.write_file(report, with_kpis)
    with zipfile.ZipFile(plain) as a, zipfile.ZipFile(with_kpis) as b:
        assert a.read("xl/worksheets/sheet1.xml") == b.read("xl/worksheets/sheet1.xml")
    assert read_file(with_kpis).report.goals[0].kpis == report.goals[0].kpis


def test_cell_numbers_take_the_places_of_their_format():
    assert str(kpireader.cell_number(12.3, "0.00")) == "12.30"
    assert str(kpireader.cell_number(1000, "0")) == "1000"
    assert str(kpireader.cell_number(12.5, "General")) == "12.5"
    assert kpireader.cell_number("－（集計中）") is None
    assert kpireader.cell_number("△5") == Decimal("-5")


def _rewrite_notes(path, change) -> None:
    import json

    workbook = load_workbook(path)
    data = workbook[xlsx_writer.DATA_SHEET]
    chunks = [row[0].value for row in data.iter_rows(min_row=2) if row[0].value]
    notes = json.loads("".join(chunk[1:] for chunk in chunks))
    change(notes)
    for row in list(data.iter_rows(min_row=2)):
        row[0].value = None
    data.cell(2, 1).value = "|" + json.dumps(notes, ensure_ascii=False)
    workbook.save(path)


def test_a_damaged_note_leaves_the_visible_cells_read(written, report):
    def damage(notes):
        for note in notes:
            if note[0] == kpisheet.NOTE_KIND:
                note[3] = '{"notes": [["x", 1]], "baseline_year": "soon", "targets": 5}'

    _rewrite_notes(written, damage)
    result = read_file(written)
    kpi = by_name(result.report, "観光入込客数")
    assert str(kpi.value_of(2019).value) == "512.30"
    assert kpi.baseline == Decimal("500.0") and kpi.baseline_year is None
    assert kpi.id != by_name(report, "観光入込客数").id  # nothing hidden could be trusted
    assert len(list(fields.kpis(result.report))) == 4


def test_a_kpi_under_a_heading_the_report_lacks_is_reported(written):
    workbook = load_workbook(written)
    sheet = workbook[kpisheet.SHEET_TITLE]
    sheet["A5"].value = "⑤ ない基本的方向"
    workbook.save(written)
    result = read_file(written)
    names = {kpi.name for _owner, kpi in fields.kpis(result.report)}
    # The measure's KPI stood under that direction too.
    assert names == {"社会増減数"}
    messages = [w.message for w in result.warnings if w.topic == "kpi"]
    assert len(messages) == 3 and "観光入込客数" in messages[0] and "漁獲量" in messages[2]


def test_rows_moved_in_excel_keep_their_own_hidden_values(written, report):
    workbook = load_workbook(written)
    sheet = workbook[kpisheet.SHEET_TITLE]
    rows = rows_by_name(sheet)
    first, second = rows["観光入込客数"], rows["待機児童数"]
    for column in range(1, sheet.max_column + 1):
        a, b = sheet.cell(first, column), sheet.cell(second, column)
        (a.value, a.number_format), (b.value, b.number_format) = (
            (b.value, b.number_format),
            (a.value, a.number_format),
        )
    workbook.save(written)
    result = read_file(written)
    direction = result.report.goals[0].directions[0]
    assert [kpi.name for kpi in direction.kpis] == ["待機児童数", "観光入込客数"]
    for kpi in direction.kpis:
        assert kpi == by_name(report, kpi.name)


def test_the_chart_blocks_go_two_to_a_page_each_page_break_before_a_block(sheet):
    headings = [
        row
        for row in range(1, sheet.max_row + 1)
        if str(sheet.cell(row, 1).value or "").endswith("のグラフのデータ")
    ]
    breaks = [brk.id for brk in sheet.row_breaks.brk]
    assert len(headings) == 4
    # A page ends on the row above every second block's heading.
    assert breaks == [row - 1 for row in headings[::2]]
