"""Excel: a FixedRow is the row openpyxl makes and writes for that height."""

from __future__ import annotations

import zipfile

import pytest
from openpyxl import Workbook

from kushiro_editor.formats.xlsx.rows import FixedRow

ATTRIBUTES = (
    *("index", "ht", "height", "hidden", "outlineLevel", "collapsed"),
    *("thickBot", "thickTop", "customHeight", "customFormat", "has_style"),
)


@pytest.mark.parametrize("points", [14.0, 13.5, 409])
def test_a_fixed_row_is_openpyxls_row_of_that_height(points):
    sheet = Workbook().active
    ours = FixedRow(sheet, 7, points)
    theirs = sheet.row_dimensions[7]
    theirs.height = points
    for name in ATTRIBUTES:
        assert getattr(ours, name) == getattr(theirs, name), name
    assert dict(ours) == dict(theirs)
    assert ours.parent is sheet


def _sheet_xml(tmp_path, fixed: bool) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet["A2"] = "値"
    for number in range(1, 6):
        if fixed:
            sheet.row_dimensions[number] = FixedRow(sheet, number, 14.0)
        else:
            sheet.row_dimensions[number].height = 14.0
    path = tmp_path / f"{fixed}.xlsx"
    workbook.save(path)
    with zipfile.ZipFile(path) as archive:
        return archive.read("xl/worksheets/sheet1.xml")


def test_a_sheet_of_fixed_rows_is_written_as_openpyxl_writes_its_own(tmp_path):
    """Pins what FixedRow relies on: openpyxl writes a row from iterating its dimension."""
    ours = _sheet_xml(tmp_path, fixed=True)
    assert b'<row r="3" ht="14" customHeight="1"' in ours
    assert ours == _sheet_xml(tmp_path, fixed=False)


def test_a_fixed_row_cannot_be_changed_behind_what_it_writes():
    row = FixedRow(Workbook().active, 1, 14.0)
    with pytest.raises(AttributeError):
        row.height = 20
    with pytest.raises(AttributeError):
        row.hidden = True
    assert dict(row) == {"ht": "14", "customHeight": "1"}
