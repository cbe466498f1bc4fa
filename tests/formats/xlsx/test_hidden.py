"""Hidden columns and rows: read as the clerk sees the sheet, and named in the findings."""

from __future__ import annotations

import zipfile

import pytest
from openpyxl import Workbook, load_workbook

from kushiro_editor.core import richtext
from kushiro_editor.formats import read_file
from tests.formats.corpus import EXPECTED_ENTRIES, Variant, write_xlsx
from tests.formats.handmade import entry_texts

SHEET = "xl/worksheets/sheet1.xml"


def _rebuilt(source, path, *, column=lambda c: c, row=lambda r: r, put=()):
    """The corpus sheet copied with its cells and merges moved, and cells ``put`` added."""
    old = load_workbook(source, rich_text=True)["進捗"]
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "進捗"
    for cells in old.iter_rows():
        for cell in cells:
            if cell.value is not None:
                sheet.cell(row(cell.row), column(cell.column), cell.value)
    for merged in old.merged_cells.ranges:
        sheet.merge_cells(
            start_row=row(merged.min_row),
            start_column=column(merged.min_col),
            end_row=row(merged.max_row),
            end_column=column(merged.max_col),
        )
    for (number, at), value in put:
        sheet.cell(number, at, value)
    workbook.save(path)
    return old


def _with_cols(path, cols: str) -> None:
    """The sheet's column declarations set by hand (openpyxl writes no width of 0)."""
    with zipfile.ZipFile(path) as archive:
        files = {name: archive.read(name) for name in archive.namelist()}
    files[SHEET] = files[SHEET].replace(b"<sheetData", f"<cols>{cols}</cols><sheetData".encode(), 1)
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)


def _rows_of(sheet, text: str) -> list[int]:
    return [c.row for c in sheet["B"] if c.value == text] or [
        c.row for c in sheet["A"] if isinstance(c.value, str) and c.value.startswith(text)
    ]


HIDING = {
    "each-hidden": '<col min="3" max="3" hidden="1"/><col min="4" max="4" hidden="1"/>',
    "one-range": '<col min="3" max="4" width="13" customWidth="1" hidden="1"/>',
    "width-zero": '<col min="3" max="4" width="0" customWidth="1"/>',
    "to-the-end": '<col min="3" max="4" hidden="1"/><col min="7" max="16384" hidden="1"/>',
}


@pytest.mark.parametrize("hiding", sorted(HIDING))
def test_last_years_columns_hidden_beside_this_years_are_left_out(tmp_path, hiding):
    """Last year's 実績 and 予定 kept in hidden columns C:D, this year's typed in E:F."""
    source = tmp_path / "corpus.xlsx"
    write_xlsx(source, Variant())
    old = load_workbook(source)["進捗"]
    header = _rows_of(old, "基本目標・基本的方向")[0]
    entries = [c.row for c in old["B"] if c.row > header and c.value]
    last_years = [((header, 3), "令和元年度の実績"), ((header, 4), "令和２年度の取組予定")]
    for number in entries:
        last_years += [((number, 3), "前年度に実施した。"), ((number, 4), "前年度に予定する。")]
    path = tmp_path / "hidden-columns.xlsx"
    _rebuilt(source, path, column=lambda c: c + 2 if c > 2 else c, put=last_years)
    if hiding == "to-the-end":
        # Notes far to the right of what is shown, hidden as well.
        _rebuilt(path, path, put=[((header, 9), "メモ")])
    _with_cols(path, HIDING[hiding])

    result = read_file(path)

    assert result.report.actual_year == 2020  # the shown columns' year, not last year's
    assert entry_texts(result.report) == EXPECTED_ENTRIES
    found = [w.message for w in result.warnings if w.topic == "hidden"]
    assert found[:2] == [
        "非表示の列 C: 令和元年度の実績 は読み込んでいません。",
        "非表示の列 D: 令和２年度の取組予定 は読み込んでいません。",
    ]
    # The shown year columns are read, not reported as left out.
    assert not [w for w in result.warnings if w.topic == "column"]
    everything = " ".join(richtext.to_plain(e.actual) for _g, _d, e in result.report.entries())
    assert "前年度" not in everything


def test_a_hidden_department_row_is_named_not_imported(tmp_path):
    """A department dropped this year, its row hidden in the middle of the block."""
    source = tmp_path / "corpus.xlsx"
    write_xlsx(source, Variant(repeat_header=True, blank_rows=True))
    old = load_workbook(source)["進捗"]
    first = _rows_of(old, "観光振興室")[0]
    dropped = first + 1
    path = tmp_path / "hidden-row.xlsx"
    _rebuilt(
        source,
        path,
        row=lambda r: r + 1 if r > first else r,
        put=[((dropped, 2), "観光振興課"), ((dropped, 3), "廃止した。"), ((dropped, 4), "なし。")],
    )
    workbook = load_workbook(path)
    sheet = workbook.active
    sheet.row_dimensions[dropped].hidden = True
    # The header typed again and a blank row, hidden too: nothing of the report, nothing said.
    repeated = _rows_of(sheet, "基本目標・基本的方向")[1]
    blank = next(n for n in range(repeated - 1, 1, -1) if all(c.value is None for c in sheet[n]))
    for number in (repeated, blank):
        sheet.row_dimensions[number].hidden = True
    workbook.save(path)

    result = read_file(path)

    assert entry_texts(result.report) == EXPECTED_ENTRIES
    tourism = result.report.goals[0].directions[0]
    assert [m.title for m in tourism.measures] == ["誘客の推進"]
    assert [w.message for w in result.warnings if w.topic == "hidden"] == [
        f"非表示の行 {dropped}(観光振興課)は読み込んでいません。"
    ]


def test_a_hidden_first_row_keeps_the_left_cell_merged_down_from_it(tmp_path):
    """The block's left cell stands in the hidden row: the rows below still show it."""
    source = tmp_path / "corpus.xlsx"
    write_xlsx(source, Variant())
    old = load_workbook(source)["進捗"]
    first = _rows_of(old, "観光振興室")[0]
    path = tmp_path / "hidden-first.xlsx"
    # A row of a dropped department put above the block's first one, the left
    # cell moved up into it and merged down over the block.
    _rebuilt(
        source,
        path,
        row=lambda r: r + 1 if r >= first else r,
        put=[((first, 2), "観光振興課"), ((first, 3), "廃止した。"), ((first, 4), "なし。")],
    )
    workbook = load_workbook(path, rich_text=True)
    sheet = workbook.active
    block = next(r for r in sheet.merged_cells.ranges if r.min_row == first + 1 and r.min_col == 1)
    left = sheet.cell(first + 1, 1).value
    sheet.unmerge_cells(str(block))
    sheet.cell(first, 1, left)
    sheet.merge_cells(start_row=first, start_column=1, end_row=block.max_row, end_column=1)
    sheet.row_dimensions[first].hidden = True
    workbook.save(path)

    result = read_file(path)

    assert entry_texts(result.report) == EXPECTED_ENTRIES
    tourism = result.report.goals[0].directions[0]
    assert [(m.label, m.title) for m in tourism.measures] == [("ア", "誘客の推進")]
    assert [p.name for p in tourism.main_projects] == ["観光事業", "港湾事業"]
    assert [w.message for w in result.warnings if w.topic == "hidden"] == [
        f"非表示の行 {first}(観光振興課)は読み込んでいません。"
    ]


def test_rows_merged_across_from_a_hidden_column_read_where_they_show(tmp_path):
    """A hidden 番号 column in A; the goal and direction rows begin in it, merged across."""
    source = tmp_path / "corpus.xlsx"
    write_xlsx(source, Variant())
    old = load_workbook(source)["進捗"]
    header = _rows_of(old, "基本目標・基本的方向")[0]
    entries = [c.row for c in old["B"] if c.row > header and c.value]
    path = tmp_path / "numbered.xlsx"
    numbers = [((header, 1), "番号")] + [((n, 1), index) for index, n in enumerate(entries, 1)]
    _rebuilt(source, path, column=lambda c: c + 1, put=numbers)
    workbook = load_workbook(path, rich_text=True)
    sheet = workbook.active
    across = [r for r in sheet.merged_cells.ranges if r.min_row == r.max_row and r.min_col == 2]
    for merged in across:
        sheet.unmerge_cells(str(merged))
        number = merged.min_row
        sheet.cell(number, 1, sheet.cell(number, 2).value)
        sheet.cell(number, 2).value = None
        sheet.merge_cells(start_row=number, start_column=1, end_row=number, end_column=5)
    sheet.column_dimensions["A"].hidden = True
    workbook.save(path)

    result = read_file(path)

    assert [g.title for g in result.report.goals] == ["まちの魅力", "ひとの育成"]
    assert [d.title for g in result.report.goals for d in g.directions] == [
        "観光の振興",
        "人材の確保",
    ]
    assert entry_texts(result.report) == EXPECTED_ENTRIES
    assert [w.message for w in result.warnings if w.topic == "hidden"] == [
        "非表示の列 A: 番号 は読み込んでいません。"
    ]


def test_many_hidden_rows_are_counted_and_the_sheet_named(tmp_path):
    """One sheet per goal: the dropped rows of the second sheet named with it, the rest counted."""
    path = tmp_path / "per-goal.xlsx"
    write_xlsx(path, Variant(split=True))
    workbook = load_workbook(path, rich_text=True)
    sheet = workbook["目標2"]
    last = max(c.row for c in sheet["B"] if c.value)
    for number in range(last + 1, last + 26):
        sheet.cell(number, 2, f"旧部署{number}")
        sheet.cell(number, 3, "廃止した。")
        sheet.row_dimensions[number].hidden = True
    workbook.save(path)

    result = read_file(path)

    assert entry_texts(result.report) == EXPECTED_ENTRIES
    found = [w.message for w in result.warnings if w.topic == "hidden"]
    assert len(found) == 21
    assert (
        found[0]
        == f"シート「目標2」の非表示の行 {last + 1}(旧部署{last + 1})は読み込んでいません。"
    )
    assert found[-1] == "シート「目標2」のほかの非表示の行 5 行は読み込んでいません。"
