"""Word's automatic numbering: counted and written as Word shows it."""

from __future__ import annotations

import pytest
from docx import Document
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

from kushiro_editor.formats import read_file
from kushiro_editor.formats.docx import numbering
from kushiro_editor.formats.docx.boxes import chosen
from tests.formats.handmade import entry_texts

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _root(xml: str):
    from xml.etree.ElementTree import fromstring

    return fromstring(xml)


def _lists(levels: str, nums: str, styles: str = "") -> numbering.Numbering:
    lists = _root(
        f'<w:numbering xmlns:w="{W}"><w:abstractNum w:abstractNumId="1">{levels}</w:abstractNum>'
        f"{nums}</w:numbering>"
    )
    return numbering.Numbering(lists, _root(f'<w:styles xmlns:w="{W}">{styles}</w:styles>'))


def _lvl(ilvl: int, fmt: str, text: str, start: int = 1, extra: str = "") -> str:
    return (
        f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="{start}"/><w:numFmt w:val="{fmt}"/>'
        f'<w:lvlText w:val="{text}"/>{extra}</w:lvl>'
    )


def _numbers(lists: numbering.Numbering, paragraphs: list[tuple[str, int]]) -> list[str]:
    """The labels of paragraphs given as (numId, ilvl)."""
    out = []
    for num_id, ilvl in paragraphs:
        ppr = _root(
            f'<w:pPr xmlns:w="{W}"><w:numPr><w:ilvl w:val="{ilvl}"/>'
            f'<w:numId w:val="{num_id}"/></w:numPr></w:pPr>'
        )
        label = lists.label(ppr, "")
        out.append(label.text if label is not None else None)
    return out


@pytest.mark.parametrize(
    ("fmt", "values", "expected"),
    [
        ("decimal", [1, 10], ["1", "10"]),
        ("decimalFullWidth", [1, 12], ["１", "１２"]),
        ("decimalEnclosedCircle", [1, 20, 21, 35, 36, 50], ["①", "⑳", "㉑", "㉟", "㊱", "㊿"]),
        ("aiueoFullWidth", [1, 2, 3, 46, 47], ["ア", "イ", "ウ", "ン", "ア"]),
        ("aiueo", [1, 2], ["ｱ", "ｲ"]),
        ("irohaFullWidth", [1, 2, 3], ["イ", "ロ", "ハ"]),
        ("iroha", [1], ["ｲ"]),
        (
            "japaneseCounting",
            [1, 10, 11, 20, 23, 105, 10000],
            ["一", "十", "十一", "二十", "二十三", "百五", "一万"],
        ),
        ("japaneseDigitalTenThousand", [10, 23], ["一〇", "二三"]),
        ("ideographTraditional", [1, 2, 11], ["甲", "乙", "甲"]),
        ("upperLetter", [1, 26, 27], ["A", "Z", "AA"]),
        ("lowerLetter", [2], ["b"]),
        ("upperRoman", [4, 9, 14], ["IV", "IX", "XIV"]),
        ("lowerRoman", [3], ["iii"]),
    ],
)
def test_number_formats(fmt, values, expected):
    assert [numbering.FORMATS[fmt](n) for n in values] == expected


def test_levels_count_and_restart_below_the_level_that_goes_on():
    lists = _lists(
        _lvl(0, "decimalFullWidth", "【基本目標%1】")
        + _lvl(1, "decimalEnclosedCircle", "%2")
        + _lvl(2, "aiueoFullWidth", "%3"),
        '<w:num w:numId="5"><w:abstractNumId w:val="1"/></w:num>',
    )
    got = _numbers(
        lists, [("5", 0), ("5", 1), ("5", 2), ("5", 2), ("5", 1), ("5", 2), ("5", 0), ("5", 1)]
    )
    assert got == ["【基本目標１】", "①", "ア ", "イ ", "②", "ア ", "【基本目標２】", "①"]


def test_a_level_that_never_restarts_and_one_naming_the_levels_above():
    lists = _lists(
        _lvl(0, "decimal", "第%1章")
        + _lvl(1, "decimal", "%1-%2", extra='<w:lvlRestart w:val="0"/>'),
        '<w:num w:numId="1"><w:abstractNumId w:val="1"/></w:num>',
    )
    got = _numbers(lists, [("1", 0), ("1", 1), ("1", 0), ("1", 1)])
    assert got == ["第1章 ", "1-1 ", "第2章 ", "2-2 "]


def test_start_override_and_separate_counters_per_list():
    lists = _lists(
        _lvl(0, "decimalEnclosedCircle", "%1"),
        '<w:num w:numId="1"><w:abstractNumId w:val="1"/></w:num>'
        '<w:num w:numId="2"><w:abstractNumId w:val="1"/>'
        '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="5"/></w:lvlOverride></w:num>',
    )
    assert _numbers(lists, [("1", 0), ("2", 0), ("1", 0), ("2", 0)]) == ["①", "⑤", "②", "⑥"]


def test_num_id_zero_and_unknown_lists_number_nothing():
    lists = _lists(
        _lvl(0, "decimal", "%1."), '<w:num w:numId="1"><w:abstractNumId w:val="1"/></w:num>'
    )
    assert _numbers(lists, [("0", 0), ("7", 0), ("1", 0)]) == [None, None, "1. "]


def test_a_bullet_in_the_symbol_font_is_its_character():
    lists = _lists(
        '<w:lvl w:ilvl="0"><w:numFmt w:val="bullet"/><w:lvlText w:val="\uf0b7"/>'
        '<w:rPr><w:rFonts w:ascii="Symbol" w:hAnsi="Symbol" w:hint="default"/></w:rPr></w:lvl>',
        '<w:num w:numId="1"><w:abstractNumId w:val="1"/></w:num>',
    )
    ppr = _root(
        f'<w:pPr xmlns:w="{W}"><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr></w:pPr>'
    )
    label = lists.label(ppr, "")
    assert label is not None and label.bullet and label.text == "•"


def test_a_paragraph_style_carries_the_numbering():
    lists = _lists(
        _lvl(0, "aiueoFullWidth", "%1"),
        '<w:num w:numId="3"><w:abstractNumId w:val="1"/></w:num>',
        '<w:style w:type="paragraph" w:styleId="Base"><w:pPr><w:numPr><w:numId w:val="3"/>'
        "</w:numPr></w:pPr></w:style>"
        '<w:style w:type="paragraph" w:styleId="Measure"><w:basedOn w:val="Base"/></w:style>',
    )
    assert lists.label(None, "Measure").text == "ア "
    assert lists.label(None, "Measure").text == "イ "
    assert lists.label(None, "Other") is None


def test_a_text_box_stored_twice_is_counted_once():
    """The paragraphs under the Choice are numbered; the Fallback's copy is not walked."""
    mc = numbering.MC
    body = _root(
        f'<w:body xmlns:w="{W}" xmlns:mc="{mc}"><w:p/><w:p><w:r><mc:AlternateContent>'
        "<mc:Choice><w:p/></mc:Choice><mc:Fallback><w:p/></mc:Fallback>"
        "</mc:AlternateContent></w:r></w:p></w:body>"
    )
    assert len(list(numbering.paragraphs(body, chosen))) == 3


def test_measures_numbered_by_their_paragraph_style(tmp_path):
    """ア and イ from the style's numbering, the number taking the heading's bold."""
    document = Document()
    numbering_part = document.part.numbering_part.element
    first_num = numbering_part.find(f"{{{W}}}num")
    first_num.addprevious(
        parse_xml(
            f'<w:abstractNum {nsdecls("w")} w:abstractNumId="77">'
            + _lvl(0, "aiueoFullWidth", "%1")
            + "</w:abstractNum>"
        )
    )
    numbering_part.append(
        parse_xml(f'<w:num {nsdecls("w")} w:numId="77"><w:abstractNumId w:val="77"/></w:num>')
    )
    style = document.styles.add_style("施策見出し", 1)
    style.element.get_or_add_pPr().append(
        parse_xml(f'<w:numPr {nsdecls("w")}><w:numId w:val="77"/></w:numPr>')
    )
    table = document.add_table(rows=5, cols=4)
    for cell, text in zip(
        table.rows[0].cells, ("施策", "所管部署", "R2年度(実績)", "R3年度(取組予定)"), strict=True
    ):
        cell.text = text
    table.rows[1].cells[0].merge(table.rows[1].cells[3]).text = "【基本目標1】まち"
    table.rows[2].cells[0].merge(table.rows[2].cells[3]).text = "①観光"
    left = table.rows[3].cells[0]
    heading = left.paragraphs[0]
    heading.style = style
    heading.add_run("誘客の推進").bold = True
    left.add_paragraph("観光客を呼ぶ。")
    second = left.add_paragraph(style=style)
    second.add_run("港の整備").bold = True
    left.merge(table.rows[4].cells[0])
    for row, name in ((3, "観光振興室"), (4, "港湾空港課")):
        cells = table.rows[row].cells
        cells[1].text, cells[2].text, cells[3].text = name, "行った。", "行う。"
    path = tmp_path / "styled.docx"
    document.save(path)

    direction = read_file(path).report.goals[0].directions[0]

    assert [(m.label, m.title) for m in direction.measures] == [
        ("ア", "誘客の推進"),
        ("イ", "港の整備"),
    ]
    assert [d for d, _a, _p in entry_texts(read_file(path).report)] == [
        ["観光振興室"],
        ["港湾空港課"],
    ]
