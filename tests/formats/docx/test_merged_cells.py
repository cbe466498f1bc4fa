"""Cells merged down (w:vMerge) in any column: each row holds the merged cell's text."""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

from kushiro_editor.core import richtext
from kushiro_editor.formats import read_file
from tests.formats.handmade import entry_texts


def _merged_department_table(path: Path, *, merge_plan: bool = False) -> None:
    document = Document()
    table = document.add_table(rows=5, cols=4)
    heads = ("基本目標と基本的方向、具体的な施策", "所管部署", "R2年度(実績)", "R3年度(取組予定)")
    for cell, text in zip(table.rows[0].cells, heads, strict=True):
        cell.text = text
    table.rows[1].cells[0].merge(table.rows[1].cells[3]).text = "【基本目標1】まちの魅力"
    table.rows[2].cells[0].merge(table.rows[2].cells[3]).text = "①観光の振興"
    first, second = table.rows[3].cells, table.rows[4].cells
    first[0].text = "ア 誘客の推進\n観光客を呼び込む。"
    first[1].text, first[2].text, first[3].text = (
        "観光振興室",
        "ツアーを実施した。",
        "ツアーを続ける。",
    )
    second[2].text, second[3].text = "PRを行った。", "" if merge_plan else "PRを続ける。"
    # Merged down as Word stores it: the top cell restarts, the one below continues
    # (python-docx's merge would move the texts into one cell instead).
    columns = [0, 1, 3] if merge_plan else [0, 1]
    for column in columns:
        top, below = first[column]._tc, second[column]._tc
        top.get_or_add_tcPr().append(parse_xml(f'<w:vMerge {nsdecls("w")} w:val="restart"/>'))
        below.get_or_add_tcPr().append(parse_xml(f"<w:vMerge {nsdecls('w')}/>"))
    document.save(path)


def test_a_department_merged_over_two_rows_is_both_rows_department(tmp_path):
    path = tmp_path / "merged.docx"
    _merged_department_table(path)
    result = read_file(path)
    assert entry_texts(result.report) == [
        (["観光振興室"], "ツアーを実施した。", "ツアーを続ける。"),
        (["観光振興室"], "PRを行った。", "PRを続ける。"),
    ]
    direction = result.report.goals[0].directions[0]
    assert [m.title for m in direction.measures] == ["誘客の推進"]  # the left column read once
    assert richtext.to_plain(direction.measures[0].body) == "観光客を呼び込む。"


def test_a_plan_merged_over_two_rows_goes_with_each(tmp_path):
    path = tmp_path / "merged-plan.docx"
    _merged_department_table(path, merge_plan=True)
    assert [p for _d, _a, p in entry_texts(read_file(path).report)] == ["ツアーを続ける。"] * 2
