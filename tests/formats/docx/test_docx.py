"""Word: the official layout as XML, reading it back, hand-made and hostile files."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt
from lxml import etree

from kushiro_editor.core.model import ReportError
from kushiro_editor.formats import read_file
from kushiro_editor.formats.docx import reader as docx_reader
from kushiro_editor.formats.docx import writer as docx_writer
from kushiro_editor.formats.table.layout import ExportOptions
from tests.formats.handmade import content, entry_texts, printed_characters, word_table

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}


@pytest.fixture
def written(tmp_path, sample_result):
    path = tmp_path / "report.docx"
    docx_writer.write_file(sample_result.report, path)
    return path


def part(path: Path, name: str) -> etree._Element:
    with zipfile.ZipFile(path) as archive:
        return etree.fromstring(archive.read(name))


def val(element, attribute="val"):
    return element.get(f"{{{W}}}{attribute}")


def texts(element) -> str:
    return "".join(t.text or "" for t in element.iter(f"{{{W}}}t"))


def test_page_is_a4_landscape_with_margins(written):
    body = part(written, "word/document.xml")
    size = body.find(".//w:sectPr/w:pgSz", NS)
    assert (val(size, "w"), val(size, "h"), val(size, "orient")) == ("16838", "11906", "landscape")
    margins = body.find(".//w:sectPr/w:pgMar", NS)
    assert all(int(val(margins, side)) >= 567 for side in ("top", "bottom", "left", "right"))


def test_header_rows_span_and_repeat(written, sample_result):
    body = part(written, "word/document.xml")
    table = body.find(".//w:tbl", NS)
    rows = table.findall("w:tr", NS)
    first, second = rows[0], rows[1]
    assert [texts(tc) for tc in first.findall("w:tc", NS)] == [
        "基本目標と基本的方向、具体的な施策",
        "所管部署",
        "進捗報告",
    ]
    assert [texts(tc) for tc in second.findall("w:tc", NS)] == [
        "",
        "",
        "R2年度(実績)",
        "R3年度(取組予定)",
    ]
    assert val(first.find("w:tc[3]/w:tcPr/w:gridSpan", NS)) == "2"
    assert [val(tc.find("w:tcPr/w:vMerge", NS)) for tc in first.findall("w:tc", NS)[:2]] == [
        "restart",
        "restart",
    ]
    assert [
        tc.find("w:tcPr/w:vMerge", NS) is not None and val(tc.find("w:tcPr/w:vMerge", NS)) is None
        for tc in second.findall("w:tc", NS)[:2]
    ] == [True, True]
    for row in (first, second):
        props = [child.tag.split("}")[1] for child in row.find("w:trPr", NS)]
        assert props == ["cantSplit", "tblHeader"]  # Word wants this order
        assert row.find("w:tc/w:tcPr/w:shd", NS) is not None
    assert all(row.find("w:trPr/w:tblHeader", NS) is None for row in rows[2:])


def test_rows_break_across_pages_and_headings_keep_with_the_next_row(written):
    table = part(written, "word/document.xml").find(".//w:tbl", NS)
    rows = table.findall("w:tr", NS)
    entries = [row for row in rows[2:] if len(row.findall("w:tc", NS)) == 4]
    assert len(entries) == 70  # the sample's department rows (one page-break row joined)
    assert all(row.find("w:trPr/w:cantSplit", NS) is None for row in entries)
    styles = part(written, "word/styles.xml")
    for style_id in ("KRGoal", "KRDirection"):
        style = styles.find(f"w:style[@w:styleId='{style_id}']", NS)
        assert style.find("w:pPr/w:keepNext", NS) is not None, style_id
    # The department column holds 市民協働推進課 (seven kanji at 9.5 pt) and the
    # cell margins on one line.
    widths = [int(val(col, "w")) for col in table.findall("w:tblGrid/w:gridCol", NS)]
    assert widths[1] >= 7 * 9.5 * 20 + 2 * 57
    assert sum(widths) == 16838 - 2 * 851


def test_goal_and_direction_rows_and_merged_left_column(written, sample_result):
    table = part(written, "word/document.xml").find(".//w:tbl", NS)
    rows = table.findall("w:tr", NS)[2:]
    assert texts(rows[0]).startswith("【基本目標1】地域の魅力を生かして")
    assert val(rows[0].find("w:tc/w:tcPr/w:gridSpan", NS)) == "4"
    assert texts(rows[1]) == "① 釧路らしさを生み出す農林水産業の成長産業化"
    assert rows[1].find(".//w:b", NS) is not None
    # ①'s block: two department rows; the left cell is merged over both.
    agri, fish = rows[2], rows[3]
    left = agri.find("w:tc", NS)
    assert val(left.find("w:tcPr/w:vMerge", NS)) == "restart"
    assert texts(left).startswith("ア 持続的成長を目指した水産業の振興")
    assert "【主な事業】" in texts(left) and "・増養殖漁業推進事業" in texts(left)
    assert fish.find("w:tc/w:tcPr/w:vMerge", NS) is not None
    assert texts(fish.find("w:tc", NS)) == ""
    assert texts(agri.findall("w:tc", NS)[1]) == "農林課"
    # A measure heading is bold; a re-listed project carries 【再掲】.
    heading = left.find("w:p", NS)
    assert heading.find("w:r/w:rPr/w:b", NS) is not None
    assert "・水産加工業活性化支援事業【再掲】" in texts(table)


def test_every_cell_has_a_width_and_the_grid_is_fixed(written):
    table = part(written, "word/document.xml").find(".//w:tbl", NS)
    assert val(table.find("w:tblPr/w:tblLayout", NS), "type") == "fixed"
    grid = [int(val(col, "w")) for col in table.findall("w:tblGrid/w:gridCol", NS)]
    assert len(grid) == 4 and sum(grid) == docx_writer.TABLE_W
    for tc in table.iter(f"{{{W}}}tc"):
        width = tc.find("w:tcPr/w:tcW", NS)
        span = tc.find("w:tcPr/w:gridSpan", NS)
        assert width is not None and val(width, "type") == "dxa"
        if span is None:
            assert int(val(width, "w")) in grid


def test_cell_property_order(written):
    order = ["tcW", "gridSpan", "vMerge", "shd", "vAlign"]
    for tc in part(written, "word/document.xml").iter(f"{{{W}}}tc"):
        tags = [child.tag.split("}")[1] for child in tc.find("w:tcPr", NS)]
        assert tags == sorted(tags, key=order.index)


def test_japanese_fonts_are_really_applied(written):
    styles = part(written, "word/styles.xml")
    defaults = styles.find("w:docDefaults/w:rPrDefault/w:rPr", NS)
    fonts = defaults.find("w:rFonts", NS)
    assert val(fonts, "eastAsia") == "ＭＳ 明朝" and val(fonts, "ascii") == "ＭＳ 明朝"
    assert not any("Theme" in key for key in fonts.attrib)  # theme fonts would win
    assert val(defaults.find("w:sz", NS)) == "19"  # 9.5 pt, the original's density
    assert val(defaults.find("w:lang", NS), "eastAsia") == "ja-JP"
    used = {val(p) for p in part(written, "word/document.xml").iter(f"{{{W}}}pStyle")}
    for style in styles.findall("w:style", NS):
        if val(style, "styleId") in used or val(style, "styleId") in ("Normal", "Footer"):
            rpr = style.find("w:rPr", NS)
            assert rpr is not None, val(style, "styleId")
            assert val(rpr.find("w:rFonts", NS), "eastAsia") in ("ＭＳ 明朝", "ＭＳ ゴシック")
            assert val(rpr.find("w:lang", NS), "eastAsia") == "ja-JP"
    heads = [s for s in styles.findall("w:style", NS) if val(s, "styleId") == "KRHead"]
    assert val(heads[0].find("w:rPr/w:rFonts", NS), "eastAsia") == "ＭＳ ゴシック"


def test_fonts_follow_the_options(tmp_path, sample_result):
    path = tmp_path / "yu.docx"
    docx_writer.write_file(
        sample_result.report, path, ExportOptions(font="游明朝", heading_font="游ゴシック", size=11)
    )
    document = Document(path)
    style = document.styles["進捗 本文"]
    assert style.element.rPr.rFonts.get(qn("w:eastAsia")) == "游明朝"
    assert style.font.size == Pt(11)
    head = document.styles["進捗 見出し"]
    assert head.element.rPr.rFonts.get(qn("w:eastAsia")) == "游ゴシック"


def test_list_items_hang_and_line_breaks_stay(written):
    styles = part(written, "word/styles.xml")
    item = next(s for s in styles.findall("w:style", NS) if val(s, "styleId") == "KRItem")
    indent = item.find("w:pPr/w:ind", NS)
    assert val(indent, "hanging") == val(indent, "left") == "190"  # one character at 9.5 pt
    body = part(written, "word/document.xml")
    items = [
        p
        for p in body.iter(f"{{{W}}}p")
        if p.find("w:pPr/w:pStyle", NS) is not None
        and val(p.find("w:pPr/w:pStyle", NS)) == "KRItem"
    ]
    assert texts(items[0]).startswith("・農業経営基盤整備のため")
    # A line break starts a paragraph of its own, a hair below, read back as a
    # line break (the sample has 42 in its 実績/予定 texts).
    breaks = [
        p
        for p in body.iter(f"{{{W}}}p")
        if p.find("w:pPr/w:pStyle", NS) is not None
        and val(p.find("w:pPr/w:pStyle", NS)) in ("KRBreak", "KRItemBreak")
    ]
    assert len(breaks) >= 42
    assert body.find(".//w:br", NS) is None


def test_paragraphs_items_and_broken_lines_are_spaced_as_in_the_pdf(written, sample_result):
    """Room above each paragraph, item and broken line, none above a cell's first."""
    styles = part(written, "word/styles.xml")

    def before(style_id: str) -> str:
        style = next(s for s in styles.findall("w:style", NS) if val(s, "styleId") == style_id)
        return val(style.find("w:pPr/w:spacing", NS), "before")

    # 0.3, 0.2 and 0.1 of 9.5 pt, in twentieths of a point.
    assert [before(s) for s in ("KRBody", "KRItem", "KRBreak", "KRItemBreak")] == [
        "57",
        "38",
        "19",
        "19",
    ]
    body = part(written, "word/document.xml")
    firsts = [tc.find("w:p", NS) for tc in body.iter(f"{{{W}}}tc")]
    tops = {
        val(p.find("w:pPr/w:spacing", NS), "before")
        for p in firsts
        if p is not None and p.find("w:pPr/w:spacing", NS) is not None
    }
    # 0 above a cell's first paragraph; 19 above one that starts with 「・」 but is no item.
    assert tops == {"0", "19"}
    back = docx_reader.read_file(written).report
    assert content(back) == content(sample_result.report)


def test_title_and_footer(written):
    document = Document(written)
    assert document.paragraphs[0].text == (
        "釧路市まち・ひと・しごと創生総合戦略 進捗報告（令和2年度実績・令和3年度取組予定）"
    )
    footer = (
        part(written, "word/footer1.xml")
        if "word/footer1.xml" in zipfile.ZipFile(written).namelist()
        else None
    )
    name = next(n for n in zipfile.ZipFile(written).namelist() if n.startswith("word/footer"))
    footer = part(written, name)
    fields = [val(f, "instr").strip() for f in footer.iter(f"{{{W}}}fldSimple")]
    assert fields == ["PAGE", "NUMPAGES"]
    assert "".join(t.text for t in footer.iter(f"{{{W}}}t")) == "- 1 / 1 -"


def test_year_labels_come_from_the_report(tmp_path, sample_result):
    report = sample_result.report
    report.actual_year = 2019
    path = tmp_path / "r1.docx"
    docx_writer.write_file(report, path)
    document = part(path, "word/document.xml")
    heading_row = document.find(".//w:tbl", NS).findall("w:tr", NS)[1]
    assert [texts(tc) for tc in heading_row.findall("w:tc", NS)][2:] == [
        "令和元年度(実績)",
        "R2年度(取組予定)",
    ]
    assert "令和元年度実績・令和2年度取組予定" in texts(document.find(".//w:p", NS))


def test_every_character_is_written(written, sample_result):
    from collections import Counter

    document = part(written, "word/document.xml")
    got = Counter(ch for ch in texts(document) if not ch.isspace())
    assert not printed_characters(sample_result.report) - got


# -- files made by hand -----------------------------------------------------------
def test_handmade_word_table(tmp_path):
    path = tmp_path / "hand.docx"
    word_table(path)
    result = read_file(path)
    report = result.report
    assert report.actual_year == 2020
    assert report.title == "令和2年度 釧路市総合戦略 進捗状況"
    direction = report.goals[0].directions[0]
    assert report.goals[0].title == "まちの魅力" and direction.title == "観光の振興"
    assert [(m.label, m.title) for m in direction.measures] == [("ア", "誘客の推進")]
    assert direction.measures[0].body == "<p>観光客を呼び込む。</p>"
    assert [(p.name, p.relisted) for p in direction.main_projects] == [
        ("観光事業", False),
        ("港湾事業", True),
    ]
    assert entry_texts(report) == [
        (["観光振興室"], "・ツアーを実施した。\n・PRを行った。", "・ツアーを実施する。"),
        (["港湾空港課"], "クルーズ船が寄港した。\n乗客は少なかった。", "寄港を予定する。"),
    ]
    first = direction.entries[0]
    assert first.actual == "<ul><li>・ツアーを実施した。</li><li>・PRを行った。</li></ul>"
    assert (
        direction.entries[1].actual == "<p>クルーズ船が寄港した。<br><b>乗客は少なかった。</b></p>"
    )


def test_handmade_without_header_needs_the_year(tmp_path):
    path = tmp_path / "noheader.docx"
    word_table(path, header=False, title=False)
    with pytest.raises(ReportError, match="年度が分かりません"):
        read_file(path)
    assert read_file(path, actual_year=2021).report.actual_year == 2021


def test_handmade_year_from_the_title_line(tmp_path):
    path = tmp_path / "title-only.docx"
    word_table(path, header=False, title=True)
    assert read_file(path).report.actual_year == 2020


def test_legacy_hmerge_and_department_in_text(tmp_path):
    path = tmp_path / "legacy.docx"
    word_table(path, legacy=True, dept_in_text=True)
    result = read_file(path)
    assert result.report.goals[0].title == "まちの魅力"
    assert entry_texts(result.report)[1][0] == ["港湾空港課"]
    assert entry_texts(result.report)[1][1] == "クルーズ船が寄港した。\n乗客は少なかった。"
    assert any(w.topic == "department" for w in result.warnings)


def test_tracked_changes_are_read_accepted_and_reported(tmp_path, sample_result):
    path = tmp_path / "tracked.docx"
    word_table(path)
    with zipfile.ZipFile(path) as archive:
        files = {name: archive.read(name) for name in archive.namelist()}
    xml = files["word/document.xml"].decode()
    xml = xml.replace(
        "<w:t>寄港を予定する。</w:t></w:r>",
        '<w:t>寄港を予定する。</w:t></w:r><w:ins w:id="1" w:author="a"><w:r><w:t>追記した。</w:t>'
        '</w:r></w:ins><w:del w:id="2" w:author="a"><w:r><w:delText>削除した。</w:delText></w:r>'
        "</w:del>",
        1,
    )
    files["word/document.xml"] = xml.encode()
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    result = read_file(path)
    plan = entry_texts(result.report)[1][2]
    assert plan == "寄港を予定する。追記した。"
    assert result.warnings[0].topic == "tracked"


# -- hostile and broken files ---------------------------------------------------------
def _zip_with(path: Path, members: dict[str, bytes]) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)


def test_not_a_zip_truncated_empty_and_protected(tmp_path, written):
    cases = {
        "text.docx": (b"this is not a Word file", "Word のファイルではありません"),
        "empty.docx": (b"", "空です"),
        "truncated.docx": (written.read_bytes()[:3000], "壊れているか"),
        "protected.docx": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "パスワード"),
    }
    for name, (data, message) in cases.items():
        path = tmp_path / name
        path.write_bytes(data)
        with pytest.raises(ReportError, match=message):
            read_file(path)


def test_zip_bomb_is_refused(tmp_path):
    path = tmp_path / "bomb.docx"
    with (
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive,
        archive.open("word/document.xml", "w", force_zip64=True) as member,
    ):
        chunk = b"\0" * (1 << 20)
        for _ in range(260):
            member.write(chunk)
    assert path.stat().st_size < 2_000_000
    with pytest.raises(ReportError, match="展開後の大きさが異常"):
        read_file(path)


def test_entity_bomb_is_refused(tmp_path, written):
    with zipfile.ZipFile(written) as archive:
        files = {name: archive.read(name) for name in archive.namelist()}
    files["word/document.xml"] = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
        b'<w:document xmlns:w="' + W.encode() + b'"><w:body><w:p><w:r><w:t>&lol2;</w:t></w:r>'
        b"</w:p></w:body></w:document>"
    )
    path = tmp_path / "entities.docx"
    _zip_with(path, files)
    with pytest.raises(ReportError, match="安全でない XML"):
        read_file(path)


def test_word_file_that_is_not_this_report(tmp_path):
    document = Document()
    document.add_paragraph("拝啓 時下ますますご清栄のこととお喜び申し上げます。")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "品名"
    table.cell(1, 0).text = "りんご"
    path = tmp_path / "letter.docx"
    document.save(path)
    with pytest.raises(ReportError, match="進捗報告の表として読めません"):
        read_file(path)
    plain = Document()
    plain.add_paragraph("表のない文書")
    plain.save(tmp_path / "plain.docx")
    with pytest.raises(ReportError, match="表がありません"):
        read_file(tmp_path / "plain.docx")


def test_xlsx_named_docx(tmp_path):
    from openpyxl import Workbook

    path = tmp_path / "wrong.docx"
    buffer = io.BytesIO()
    Workbook().save(buffer)
    path.write_bytes(buffer.getvalue())
    with pytest.raises(ReportError, match="Word の文書ではありません"):
        read_file(path)
