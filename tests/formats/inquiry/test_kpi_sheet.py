"""The pack's 「指標」 sheet: a department's KPIs asked, filled as it would, read back."""

from __future__ import annotations

import json
import shutil
from decimal import Decimal
from pathlib import Path

import pdfplumber
import pytest
from openpyxl import load_workbook

from kushiro_editor.core.kpi import editing
from kushiro_editor.core.model import Kpi, KpiValue
from kushiro_editor.formats.inquiry import answers as inquiry_answers
from kushiro_editor.formats.inquiry import kpisheet
from kushiro_editor.formats.inquiry import packs as inquiry_packs
from tests.core.kpi_samples import kpi_report
from tests.formats.pages import flat, resave, to_pdf

SHEET = kpisheet.KPI_SHEET
VALUE, NOTE, ID = kpisheet.COL_VALUE, kpisheet.COL_NOTE, kpisheet.COL_ID
FIRST = kpisheet.FIRST_ROW
# The pack of kpi_report()'s 観光振興室 (fixed ids) as the editor wrote it before the sheet.
BEFORE = Path(__file__).parent / "reference" / "pack_v3.xlsx"


def report_with_more():
    """kpi_report() with a second KPI of 観光振興室 and one shared with 水産課."""
    report = kpi_report()
    direction = report.goals[0].directions[0]
    stays = Kpi(
        name="宿泊客数",
        unit="千人",
        departments=["観光振興室", "水産課"],
        values=(KpiValue(2019, Decimal("1200")),),
    )
    direction.measures[0].kpis.append(stays)
    return report


def _pack(tmp_path, report, department="観光振興室", name="pack.xlsx"):
    path = tmp_path / name
    inquiry_packs.write_pack(report, department, path)
    return path


def _fill(path, cells: dict[tuple[int, int], object]) -> None:
    """Type into the 「指標」 sheet as a department would: (row offset, column) → value."""
    workbook = load_workbook(path)
    sheet = workbook[SHEET]
    for (offset, column), value in cells.items():
        sheet.cell(row=FIRST + offset, column=column).value = value
    workbook.save(path)


def test_the_sheet_lists_the_departments_kpis_styled_and_protected(tmp_path):
    report = report_with_more()
    path = _pack(tmp_path, report)
    workbook = load_workbook(path)
    assert workbook.sheetnames == ["記入方法", "回答", "指標", "_指標", "_照会"]
    sheet = workbook[SHEET]
    header = [sheet.cell(row=kpisheet.HEADER_ROW, column=c).value for c in range(1, ID + 1)]
    assert header == [
        "場所",
        "指標",
        "単位",
        "基準値",
        "目標値",
        "前年度の値(令和元年度)",
        "今年度の値(R2年度)",
        "注記",
        "id",
    ]
    rows = [
        [sheet.cell(row=r, column=c).value for c in range(1, ID + 1)]
        for r in range(FIRST, sheet.max_row + 1)
    ]
    visitors = report.goals[0].directions[0].kpis[0]
    stays = report.goals[0].directions[0].measures[0].kpis[1]
    # Only 観光振興室's: not 待機児童数 (こども育成課) nor 漁獲量 (水産課), the shared one too.
    assert rows == [
        [
            "【基本目標1】①",
            "観光入込客数",
            "万人",
            "500.0（H30年度）",
            "600.0（R6年度）",
            "512.30",
            "530.5",
            "速報値",
            visitors.id,
        ],
        ["【基本目標1】① ア", "宿泊客数", "千人", "－", "－", "1,200", None, None, stays.id],
    ]
    assert sheet.cell(row=FIRST, column=VALUE).data_type == "s"  # 530.5 kept as written
    answer_fill, grey = "00FFF2B3", "00E7E6E6"
    for row in (FIRST, FIRST + 1):
        for column in range(1, ID + 1):
            cell = sheet.cell(row=row, column=column)
            assert cell.font.name == "ＭＳ 明朝" and cell.border.left.style == "thin"
            assert cell.protection.locked == (column not in (VALUE, NOTE))
            fill = cell.fill.fgColor.rgb if cell.fill.fill_type == "solid" else None
            assert fill == {VALUE: answer_fill, NOTE: answer_fill, 6: grey}.get(column)
        assert sheet.cell(row=row, column=6).font.color.rgb == "00404040"
    heading = sheet.cell(row=kpisheet.HEADER_ROW, column=1)
    assert heading.font.name == "ＭＳ ゴシック" and heading.font.b
    assert sheet.protection.sheet and sheet.column_dimensions["I"].hidden
    assert not any(sheet.column_dimensions[c].hidden for c in "ABCDEFGH")
    assert "灰色のセルは変更しても取り込まれません" in sheet["A3"].value
    assert workbook["_指標"].sheet_state == "veryHidden"
    assert [list(r) for r in workbook["_指標"].iter_rows(values_only=True)] == [
        [visitors.id, "2020", "530.5", "速報値"],
        [stays.id, "2020", None, None],
    ]
    guide = "\n".join(str(c.value) for c in workbook["記入方法"]["A"] if c.value)
    assert "「指標」シート" in guide and "R2年度の値" in guide
    assert workbook["_照会"]["B1"].value == 4


def test_a_pack_filled_by_the_department_reads_back(tmp_path):
    report = report_with_more()
    path = _pack(tmp_path, report)
    untouched = inquiry_answers.read_answers(path)
    assert untouched.kpis == [] and untouched.problems == []
    visitors = report.goals[0].directions[0].kpis[0]
    _fill(path, {(0, VALUE): "１，２３４", (0, NOTE): "見込み", (1, VALUE): "△3"})
    answers = inquiry_answers.read_answers(path)
    assert [(k.kpi_id, k.value, k.note, k.sent_value, k.sent_note) for k in answers.kpis] == [
        (visitors.id, Decimal("1234"), "見込み", Decimal("530.5"), "速報値"),
        (report.goals[0].directions[0].measures[0].kpis[1].id, Decimal("-3"), "", None, ""),
    ]
    assert answers.problems == []
    # 「－」: not known; the note left as sent is no answer of its own.
    _fill(path, {(0, VALUE): "－", (0, NOTE): "速報値", (1, VALUE): "集計中"})
    answers = inquiry_answers.read_answers(path)
    assert [(k.value, k.note) for k in answers.kpis] == [(None, "速報値")]
    assert answers.problems == [
        "「指標」シートのG6: 指標「宿泊客数」のR2年度の値「集計中」は数値として読めないため"
        "取り込みません(単位は書かず、数字だけを記入してください)。"
    ]
    # A unit typed with the number, and a number another program stored as one.
    _fill(path, {(0, VALUE): "12人", (1, VALUE): 12.5})
    answers = inquiry_answers.read_answers(path)
    assert [k.value for k in answers.kpis] == [Decimal("12.5")]
    assert "G5: 指標「観光入込客数」" in answers.problems[0] and "「12人」" in answers.problems[0]


def test_the_id_finds_the_kpi_and_the_name_does_not(tmp_path):
    report = report_with_more()
    path = _pack(tmp_path, report)
    visitors = report.goals[0].directions[0].kpis[0]
    _fill(path, {(0, 2): "名前を書き換えた", (0, VALUE): "540"})
    answers = inquiry_answers.read_answers(path)
    assert [(k.kpi_id, k.value) for k in answers.kpis] == [(visitors.id, Decimal("540"))]
    # An id the pack never sent (a row copied from another department's pack) is left to
    # the merge, which names whose it is.
    _fill(path, {(1, ID): "someone-elses-kpi", (1, VALUE): "5"})
    answers = inquiry_answers.read_answers(path)
    assert len(answers.kpis) == 1 and answers.problems == []
    assert answers.unsent_kpis == [(FIRST + 1, "someone-elses-kpi")]


def test_the_values_are_those_of_the_reports_year_and_the_one_before(tmp_path):
    report = kpi_report()
    visitors = report.goals[0].directions[0].kpis[0]
    visitors.values = editing.with_value(visitors, 2019, None, "未集計")
    path = _pack(tmp_path, report)
    sheet = load_workbook(path)[SHEET]
    assert sheet.cell(row=FIRST, column=6).value == "－(未集計)"
    assert sheet.cell(row=FIRST, column=VALUE).value == "530.5"


def _sheets(path: Path) -> dict[str, list]:
    """Every sheet's cells with their look, what the workbook shows and keeps."""
    workbook = load_workbook(path)
    out = {}
    for sheet in workbook.worksheets:
        cells = []
        for row in sheet.iter_rows():
            for cell in row:
                value = cell.value
                if isinstance(value, str) and value.startswith("作成日"):
                    value = "作成日"  # the day it was written
                elif isinstance(value, str) and value.startswith('{"report_id"'):
                    value = {k: v for k, v in json.loads(value).items() if k != "sent_at"}
                cells.append(
                    (
                        cell.coordinate,
                        value,
                        cell.data_type,
                        cell.font.name,
                        cell.font.b,
                        cell.font.color.rgb if cell.font.color else None,
                        cell.fill.fgColor.rgb if cell.fill.fill_type else None,
                        cell.border.left.style,
                        cell.protection.locked,
                        cell.number_format,
                    )
                )
        columns = {k: (d.width, d.hidden) for k, d in sheet.column_dimensions.items()}
        out[sheet.title] = [
            cells,
            columns,
            sheet.sheet_state,
            sheet.protection.sheet,
            sheet.freeze_panes,
        ]
    return out


@pytest.mark.parametrize("strip", [True, False])
def test_a_pack_without_kpis_is_the_pack_as_before(tmp_path, strip):
    report = kpi_report()
    for number, (_g, _d, entry) in enumerate(report.entries()):
        entry.id = f"entry{number}"
    report.id = "report1"
    if strip:
        for goal in report.goals:
            goal.kpis = []
            for direction in goal.directions:
                direction.kpis = []
                for measure in direction.measures:
                    measure.kpis = []
    else:
        # KPIs of other departments only: still no sheet for this one.
        for goal in report.goals:
            for direction in goal.directions:
                direction.kpis = [k for k in direction.kpis if "観光振興室" not in k.departments]
    path = tmp_path / "pack.xlsx"
    previous = {"entry0": ("<p>前年度の実績。</p>", "<p>前年度の予定。</p>")}
    inquiry_packs.write_pack(report, "観光振興室", path, previous)
    assert _sheets(path) == _sheets(BEFORE)
    assert load_workbook(path)["_照会"]["B1"].value == 3


@pytest.mark.soffice
@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice not installed")
def test_a_filled_pack_resaved_and_printed_by_libreoffice(tmp_path):
    report = report_with_more()
    path = _pack(tmp_path, report)
    _fill(path, {(0, VALUE): "１，２３４", (0, NOTE): "見込み", (1, VALUE): "△3"})
    expected = [(k.kpi_id, k.value, k.note) for k in inquiry_answers.read_answers(path).kpis]
    assert len(expected) == 2
    resaved = resave(path, tmp_path / "resaved")
    answers = inquiry_answers.read_answers(resaved)
    assert [(k.kpi_id, k.value, k.note) for k in answers.kpis] == expected
    assert answers.problems == []
    # Printed, the sheet is a page of its own with every KPI and what was typed.
    with pdfplumber.open(to_pdf(path)) as pdf:
        pages = [flat(page.extract_text() or "") for page in pdf.pages]
    (page,) = [text for text in pages if "指標の値" in text]
    for text in ("観光入込客数", "宿泊客数", "１，２３４", "△3", "見込み", "512.30", "今年度の値"):
        assert flat(text) in page
    assert report.goals[0].directions[0].kpis[0].id not in page  # the id column stays hidden


def test_a_sheet_deleted_or_its_data_damaged_is_said(tmp_path):
    from kushiro_editor.core.model import ReportError

    path = _pack(tmp_path, report_with_more())
    workbook = load_workbook(path)
    del workbook[SHEET]
    workbook.save(path)
    answers = inquiry_answers.read_answers(path)
    assert answers.kpis == []
    assert answers.problems == ["「指標」シートが削除されています。指標の値は取り込みません。"]
    path = _pack(tmp_path, report_with_more(), name="damaged.xlsx")
    workbook = load_workbook(path)
    workbook["_指標"]["C1"].value = "NaN"
    workbook.save(path)
    with pytest.raises(ReportError, match="指標の情報"):
        inquiry_answers.read_answers(path)


def test_a_formula_without_its_value_is_no_blank(tmp_path):
    path = _pack(tmp_path, report_with_more())
    workbook = load_workbook(path)
    workbook[SHEET].cell(row=FIRST, column=VALUE).value = "=500+30"  # never computed
    workbook[SHEET].cell(row=FIRST + 1, column=VALUE).value = "7"
    workbook.save(path)
    answers = inquiry_answers.read_answers(path)
    assert [k.value for k in answers.kpis] == [Decimal("7")]
    assert answers.problems == [
        "「指標」シートのG5: 指標「観光入込客数」の値か注記が計算結果の保存されていない数式のため"
        "取り込みません(数式ではなく値を記入してください)。"
    ]
