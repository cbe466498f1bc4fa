"""A KPI table made by hand in Excel or CSV, read by meaning and placed on the report."""

from __future__ import annotations

from decimal import Decimal

import pytest
from openpyxl import Workbook

from kushiro_editor.core import edits
from kushiro_editor.core.model import HIGHER, LOWER, KpiTarget, KpiValue, ReportError
from kushiro_editor.formats import kpiimport
from kushiro_editor.formats.table import kpicells, kpiheader


@pytest.mark.parametrize(
    ("raw", "fmt", "value", "unit", "year", "note"),
    [
        ("1,234人", "General", Decimal("1234"), "人", None, ""),
        ("１２．５", "General", Decimal("12.5"), "", None, ""),
        ("△3", "General", Decimal("-3"), "", None, ""),
        ("約 120 件", "General", Decimal("120"), "件", None, "約"),
        ("1,200（R1）", "General", Decimal("1200"), "", 2019, ""),
        ("98(速報値)", "General", Decimal("98"), "", None, "速報値"),
        ("12.30", "General", Decimal("12.30"), "", None, ""),
        (12.3, "0.00", Decimal("12.30"), "", None, ""),
        (0.855, "0.0%", Decimal("85.5"), "%", None, ""),
        (0.1, "General", Decimal("0.1"), "", None, ""),
        (1500, "#,##0", Decimal("1500"), "", None, ""),
        ("－", "General", None, "", None, ""),
        ("", "General", None, "", None, ""),
        ("集計中", "General", None, "", None, "集計中"),
    ],
)
def test_a_cell_is_read_as_typed(raw, fmt, value, unit, year, note):
    reading = kpicells.read(raw, fmt)
    assert (reading.value, reading.unit, reading.year, reading.note) == (value, unit, year, note)
    assert reading.problem == ""
    if value is not None:
        assert str(reading.value) == str(value)  # the places are kept


def test_text_that_is_no_number_is_a_problem_not_a_zero():
    reading = kpicells.read("目標を上回った")
    assert reading.value is None and "数値として読めません" in reading.problem


@pytest.mark.parametrize(
    ("heading", "role", "year"),
    [
        ("指標名", kpiheader.NAME, None),
        ("KPI(重要業績評価指標)", kpiheader.NAME, None),
        ("基準値（R1）", kpiheader.BASELINE, 2019),
        ("現状値", kpiheader.BASELINE, None),
        ("目標値\n(令和6年度)", kpiheader.TARGET, 2024),
        ("目標年度", kpiheader.TARGET_YEAR, None),
        ("R2年度", kpiheader.VALUE, 2020),
        ("実績値 令和3年度", kpiheader.VALUE, 2021),
        ("2022年度", kpiheader.VALUE, 2022),
        ("達成率", kpiheader.RATE, None),
        ("評価", kpiheader.RATING, None),
        ("所管課", kpiheader.DEPARTMENTS, None),
        ("基本的方向", kpiheader.DIRECTION, None),
    ],
)
def test_a_heading_is_read_by_meaning(heading, role, year):
    header = kpiheader.find_header([[heading, "指標名", "目標値"]])
    assert header is not None
    (column,) = [c for c in header.columns if c.index == 0] or [None]
    if role == kpiheader.NAME:
        assert kpiheader.role_of(heading) == role
        return
    assert column is not None and (column.role, column.year) == (role, year)


def planner_book(path):
    """A sheet as a planning office makes it: a title, a two-row header, merged goals."""
    book = Workbook()
    sheet = book.active
    sheet.title = "KPI"
    sheet["A1"] = "釧路市総合戦略 KPI一覧"
    sheet.merge_cells("A1:K1")
    heads = ["基本目標", "基本的方向", "指標名", "単位", "基準値（R1）", "目標値（R6）", "実績値"]
    for column, text in enumerate(heads, start=1):
        sheet.cell(3, column, text)
    sheet.cell(3, 8, None)
    sheet.cell(3, 9, "達成率")
    sheet.cell(3, 10, "評価")
    sheet.cell(3, 11, "所管課")
    sheet.merge_cells("G3:H3")
    sheet.cell(4, 7, "R2年度")
    sheet.cell(4, 8, "R3年度")
    for column in (1, 2, 3, 4, 5, 6, 9, 10, 11):
        sheet.merge_cells(start_row=3, start_column=column, end_row=4, end_column=column)
    rows = [
        (1, "①", "新規就農者数", "", "10人", "30人", "１５人", "18人", 0.4, "B", "農林課"),
        (None, "①", "水産加工品の新商品数", "件", 3, 12, 5, "－", None, "", "水産課"),
        (None, "②", "企業誘致件数", "件", 2, 10, "△1", 4, None, "", "産業推進室"),
        (None, "②", "市内の失業率", "%", 0.052, 0.04, 0.05, 0.045, None, "A", "産業推進室"),
        (2, "①", "転入者数", "人", "1,200", "1,500", "1,234", "", None, "", "市民課"),
        (9, "①", "存在しない目標の指標", "人", 1, 2, 1, 2, None, "", "企画課"),
    ]
    for offset, values in enumerate(rows):
        for column, value in enumerate(values, start=1):
            if value is not None:
                sheet.cell(5 + offset, column, value)
    for r in (8, 9):  # the rate cells as percent
        sheet.cell(r, 5).number_format = "0.0%"
        sheet.cell(r, 6).number_format = "0.0%"
        sheet.cell(r, 7).number_format = "0.0%"
        sheet.cell(r, 8).number_format = "0.0%"
    sheet.cell(8, 5).value = None
    sheet.cell(8, 4).value = "%"
    sheet.cell(8, 5).value = 0.052
    sheet.cell(8, 6).value = 0.04
    sheet.cell(8, 7).value = 0.05
    sheet.cell(8, 8).value = 0.045
    sheet.cell(5, 9).number_format = "0%"
    sheet.merge_cells("A5:A8")  # the goal merged down over its rows
    # A department dropped this year: hidden, not read.
    sheet.cell(11, 1, 1)
    sheet.cell(11, 2, "①")
    sheet.cell(11, 3, "廃止した指標")
    sheet.cell(11, 6, 5)
    sheet.row_dimensions[11].hidden = True
    book.save(path)
    return path


def test_a_planners_sheet_reads_with_its_guesses_said(tmp_path):
    table = kpiimport.read_file(planner_book(tmp_path / "KPI.xlsx"))
    names = [row.kpi.name for row in table.rows]
    assert names == [
        "新規就農者数",
        "水産加工品の新商品数",
        "企業誘致件数",
        "市内の失業率",
        "転入者数",
        "存在しない目標の指標",
    ]
    farm = table.rows[0]
    assert (farm.goal, farm.direction) == (1, 1)
    kpi = farm.kpi
    assert (kpi.unit, kpi.baseline, kpi.baseline_year, kpi.target, kpi.target_year) == (
        "人",
        Decimal("10"),
        2019,
        Decimal("30"),
        2024,
    )
    assert kpi.values == (KpiValue(2020, Decimal("15")), KpiValue(2021, Decimal("18")))
    assert kpi.departments == ["農林課"] and kpi.better == HIGHER
    assert farm.rate == Decimal("40") and farm.rating == "B"
    fish = table.rows[1]
    assert (fish.goal, fish.direction) == (1, 1)  # the merged goal cell holds for its rows
    assert fish.kpi.values == (KpiValue(2020, Decimal("5")),)  # 「－」: not known, not zero
    assert table.rows[2].kpi.values[0].value == Decimal("-1")
    jobless = table.rows[3].kpi
    assert (jobless.baseline, jobless.target, jobless.better) == (
        Decimal("5.2"),
        Decimal("4.0"),
        LOWER,
    )
    assert table.rows[4].goal == 2 and table.rows[4].kpi.baseline == Decimal("1200")
    assert "廃止した指標" not in names
    notes = "\n".join(table.notes)
    assert "隠された行 1 行は読みませんでした" in notes
    assert "単位「人」は値のセルに書かれていたもの" in notes
    assert "「市内の失業率」: 目標値が基準値より小さいので「低いほどよい」と読みました" in notes


def test_attached_to_the_sample_as_one_batch(tmp_path, sample_store, sample_result):
    report = sample_result.report
    table = kpiimport.read_file(planner_book(tmp_path / "KPI.xlsx"))
    plan = kpiimport.attach(report, table)
    assert [kpi.name for _owner, kpi, _row in plan.placed][:5] == [
        "新規就農者数",
        "水産加工品の新商品数",
        "企業誘致件数",
        "市内の失業率",
        "転入者数",
    ]
    notes = "\n".join(plan.notes)
    assert "「存在しない目標の指標」: 基本目標9はこの報告にありません" in notes
    # 10 → 18 of 10 → 30 is 40 % of the way: D on the default scale, not the table's B.
    assert "「新規就農者数」: 表の評価「B」は、エディタの計算では「D」です" in notes
    # 5.2 → 4.5 of 5.2 → 4.0 (lower is better) is 58.3 %: C, not A.
    assert "「市内の失業率」: 表の評価「A」は、エディタの計算では「C」です" in notes
    assert "表の達成率" not in notes  # the table's 40 % is the editor's too
    edits.apply(sample_store, report, plan.edits())
    stored = sample_store.load(report.actual_year)
    first = stored.goals[0].directions[0]
    assert [k.name for k in first.kpis] == ["新規就農者数", "水産加工品の新商品数"]
    assert first.kpis[0] == plan.placed[0][1]
    assert [k.name for k in stored.goals[1].directions[0].kpis] == ["転入者数"]


def test_section_rows_and_other_headings(tmp_path):
    book = Workbook()
    sheet = book.active
    rows = [
        ["KPI", "現状値", "基準年度", "目標値", "目標年度", "令和2年度", "令和3年度", "担当"],
        ["【基本目標1】しごとをつくる"],
        ["① 地域産業の振興"],
        ["観光入込客数", "5,000", "H30", "6,000", "R6", "4,200", "4,800", "観光振興室"],
        ["② 人材の育成"],
        ["セミナー参加者数", "100", "R1", "150", "R6", "集計中", "120", "商業労政課"],
    ]
    for row in rows:
        sheet.append(row)
    path = tmp_path / "手作り.xlsx"
    book.save(path)
    table = kpiimport.read_file(path)
    first, second = table.rows
    assert (first.goal, first.direction, first.kpi.baseline_year, first.kpi.target_year) == (
        1,
        1,
        2018,
        2024,
    )
    assert first.kpi.values == (KpiValue(2020, Decimal("4200")), KpiValue(2021, Decimal("4800")))
    assert (second.goal, second.direction) == (1, 2)
    assert second.kpi.values == (KpiValue(2020, None, "集計中"), KpiValue(2021, Decimal("120")))
    assert second.kpi.departments == ["商業労政課"]


def test_a_csv_in_shift_jis_with_yearly_targets(tmp_path):
    text = (
        "基本目標,基本的方向,指標名,単位,基準値,R3年度目標,R6年度目標,2020年度,2021年度\r\n"
        "1,1,新規就農者数,人,10,20,30,15,18\r\n"
    )
    path = tmp_path / "kpi.csv"
    path.write_bytes(text.encode("cp932"))
    (row,) = kpiimport.read_file(path).rows
    assert row.kpi.target == Decimal("30") and row.kpi.target_year == 2024
    assert row.kpi.yearly_targets == (KpiTarget(2021, Decimal("20")),)
    assert [v.year for v in row.kpi.values] == [2020, 2021]


def test_a_file_without_a_kpi_table_is_one_message(tmp_path, sample_file):
    book = Workbook()
    book.active.append(["所管部署", "実績", "取組予定"])
    path = tmp_path / "本文.xlsx"
    book.save(path)
    with pytest.raises(ReportError, match="指標の表が見つかりません"):
        kpiimport.read_file(path)
    with pytest.raises(ReportError, match="Excel のブックか CSV"):
        kpiimport.read_file(sample_file)


def test_the_command_line_imports_once_and_says_every_note(tmp_path, db, capsys):
    from tests.cli.running import run_cli

    path = planner_book(tmp_path / "KPI.xlsx")
    before = db.read_bytes()
    code, out, err = run_cli(capsys, "kpi", "import", path, "--db", db, "--dry-run")
    assert code == 0, err
    lines = out.splitlines()
    assert "5行目: 【基本目標1】① 指標「新規就農者数」" in lines
    assert any(line.startswith("確認: ") and "基本目標9" in line for line in lines)
    assert "取り込む指標 5 件" in lines[-2]
    assert db.read_bytes() == before
    code, out, err = run_cli(capsys, "kpi", "import", path, "--db", db)
    assert code == 0, err
    assert out.endswith("指標を 5 件取り込みました。\n")
    code, out, err = run_cli(capsys, "kpi", "list", "--db", db)
    assert code == 0
    assert out.splitlines()[0].startswith("【基本目標1】① 指標「新規就農者数」  実績値 15人")
    # Twice is refused KPI by KPI: the names are there already.
    code, out, err = run_cli(capsys, "kpi", "import", path, "--db", db)
    assert code == 2 and "付けられる指標はありませんでした" in err


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("壊れた.xlsx", b"PK\x03\x04 not a zip at all"),
        ("空.csv", b""),
        ("バイナリ.csv", bytes(range(256)) * 64),
        ("見出しだけ.csv", "指標名,目標値\r\n".encode()),
    ],
)
def test_bad_files_are_one_message(tmp_path, name, data):
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(ReportError) as caught:
        kpiimport.read_file(path)
    assert "\n" not in str(caught.value)
