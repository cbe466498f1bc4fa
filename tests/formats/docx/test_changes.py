"""The Word file with its changes since an earlier report as Word's tracked changes.

Two reports that differ in known ways (a changed word, a bold title changed,
a new department row, a row gone) are written; the file is read as XML for
its w:ins and w:del, read back with the editor's reader (which accepts every
change) as the current report, and, with every change rejected, as the
earlier one. LibreOffice opens it and shows both sides.
"""

from __future__ import annotations

import copy
import re
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from kushiro_editor.core import richtext, yearly
from kushiro_editor.core.model import Entry, Report
from kushiro_editor.core.richtext import Block, Run
from kushiro_editor.formats.docx import changes
from kushiro_editor.formats.docx import reader as docx_reader
from kushiro_editor.formats.table.layout import ExportOptions
from tests.formats import pages as printed
from tests.formats.docx import office_changes as office

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}
DATE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")


def q(tag: str) -> str:
    return f"{{{W}}}{tag}"


def last_year_and_this(earlier: Report) -> Report:
    """This year's report from ``earlier``, every text as last year's: no change yet."""
    report = yearly.rollover(earlier)
    for _goal, _direction, entry in report.entries():
        entry.actual, entry.plan = entry.previous_actual, entry.previous_plan
    return report


def changed(earlier: Report) -> tuple[Report, dict]:
    """This year's report with the known changes, and what they were."""
    report = last_year_and_this(earlier)
    direction = report.goals[0].directions[0]
    first = direction.entries[0]
    assert "実施。" in first.actual
    first.actual = first.actual.replace("実施。", "着手。", 1)
    measure = direction.measures[0]
    measure.title = measure.title.replace("振興", "推進")
    direction.entries.append(
        Entry(["新設課"], actual="<p>新しい<b>交流事業</b>を始めた。</p>", plan="<p>続ける。</p>")
    )
    gone = report.goals[1].directions[0].entries.pop(1)
    return report, {"gone": gone.departments[0], "gone_text": gone.actual}


@pytest.fixture
def written(tmp_path, sample_result):
    earlier = sample_result.report
    report, facts = changed(earlier)
    path = tmp_path / "changes.docx"
    changes.write_file(report, path, copy.deepcopy(earlier))
    return report, earlier, path, facts


def document(path: Path) -> etree._Element:
    with zipfile.ZipFile(path) as archive:
        return etree.fromstring(archive.read("word/document.xml"))


def texts(element: etree._Element, tag: str = "t") -> str:
    return "".join(t.text or "" for t in element.iter(q(tag)))


def entries(report: Report) -> list[tuple]:
    return [(tuple(e.departments), e.actual, e.plan) for _g, _d, e in report.entries()]


def left_columns(report: Report) -> list[tuple]:
    return [
        (d.title, [(m.title, m.body) for m in d.measures], [p.display for p in d.main_projects])
        for _g, d in report.directions()
    ]


def test_every_change_has_its_author_date_and_own_id(written):
    _report, _earlier, path, _facts = written
    body = document(path)
    marks = [m for tag in ("ins", "del", "rPrChange") for m in body.iter(q(tag))]
    assert marks
    ids = [m.get(q("id")) for m in marks]
    assert len(ids) == len(set(ids))
    assert {m.get(q("author")) for m in marks} == {"釧路市"}
    assert all(DATE.match(m.get(q("date"))) for m in marks)
    # Deleted text only as w:delText, inside a deletion; w:delText nowhere else.
    for deletion in body.iter(q("del")):
        assert deletion.find(".//w:t", NS) is None
    for deleted in body.iter(q("delText")):
        assert any(a.tag == q("del") for a in deleted.iterancestors())


def test_the_author_follows_the_export_options(tmp_path, sample_result):
    earlier = sample_result.report
    report, _facts = changed(earlier)
    path = tmp_path / "author.docx"
    changes.write_file(report, path, earlier, ExportOptions(author="釧路市 総合政策部"))
    authors = {m.get(q("author")) for m in document(path).iter(q("ins"))}
    assert authors == {"釧路市 総合政策部"}


def test_a_changed_word_is_deleted_and_inserted_in_its_paragraph(written):
    _report, _earlier, path, _facts = written
    body = document(path)
    paragraph = next(p for p in body.iter(q("p")) if "着手" in texts(p))
    assert texts(paragraph.find("w:del", NS), "delText") == "実施"
    assert texts(paragraph.find("w:ins", NS)) == "着手"
    # The rest of the paragraph stays as it was, unmarked.
    kept = "".join(t.text for t in paragraph.findall("w:r/w:t", NS))
    assert kept.startswith("・農業経営基盤整備のため、3地区における土地改良事業を")
    assert paragraph.find("w:pPr/w:rPr", NS) is None  # its paragraph mark is unchanged


def test_a_bold_title_keeps_its_bold_on_both_sides(written):
    _report, _earlier, path, _facts = written
    body = document(path)
    heading = next(p for p in body.iter(q("p")) if "持続的成長を目指した水産業の" in texts(p))
    deleted, inserted = heading.find("w:del/w:r", NS), heading.find("w:ins/w:r", NS)
    assert texts(deleted, "delText") == "振興"
    assert texts(inserted) == "推進"
    for run in (deleted, inserted, *heading.findall("w:r", NS)):
        assert run.find("w:rPr/w:b", NS) is not None


def test_a_new_row_is_one_insertion_with_its_bold(written):
    _report, _earlier, path, _facts = written
    body = document(path)
    row = next(tr for tr in body.iter(q("tr")) if "新設課" in texts(tr))
    assert row.find("w:trPr/w:ins", NS) is not None
    assert row.find(".//w:del", NS) is None
    outside = [t for t in row.iter(q("t")) if not any(a.tag == q("ins") for a in t.iterancestors())]
    assert outside == []
    bold = [
        texts(r) for r in row.iterfind(".//w:ins/w:r", NS) if r.find("w:rPr/w:b", NS) is not None
    ]
    assert bold == ["交流事業"]


def test_a_row_gone_is_written_deleted_where_it_stood(written):
    _report, earlier, path, facts = written
    body = document(path)
    rows = body.find("w:body/w:tbl", NS).findall("w:tr", NS)
    deleted = [tr for tr in rows if tr.find("w:trPr/w:del", NS) is not None]
    assert len(deleted) == 1
    row = deleted[0]
    assert row.find(".//w:t", NS) is None  # every text of it deleted
    assert facts["gone"] in texts(row, "delText")
    assert richtext.to_plain(facts["gone_text"])[:20] in texts(row, "delText")
    # Where it stood: between the rows that were above and below it.
    at = rows.index(row)
    entries_there = earlier.goals[1].directions[0].entries
    assert entries_there[0].departments[0] in texts(rows[at - 1])
    assert entries_there[2].departments[0] in texts(rows[at + 1])
    left = row.find("w:tc/w:tcPr/w:vMerge", NS)
    assert left is not None and left.get(q("val")) is None  # merged into the block's left cell


def test_a_first_row_gone_goes_below_the_row_holding_the_left_cell(tmp_path, sample_result):
    earlier = sample_result.report
    report = last_year_and_this(earlier)
    direction = report.goals[1].directions[0]
    del direction.entries[1:]
    gone = direction.entries.pop(0)
    direction.entries.append(Entry(["新設課"], actual="<p>始めた。</p>"))
    path = tmp_path / "first.docx"
    changes.write_file(report, path, earlier)
    rows = document(path).find("w:body/w:tbl", NS).findall("w:tr", NS)
    first = next(tr for tr in rows if "新設課" in texts(tr))
    # The direction's one row now: its left cell starts a merge the rows gone continue.
    assert first.find("w:tc/w:tcPr/w:vMerge", NS).get(q("val")) == "restart"
    below = rows[rows.index(first) + 1]
    assert below.find("w:trPr/w:del", NS) is not None
    assert gone.departments[0] in texts(below, "delText")
    back = docx_reader.read_file(path).report
    assert entries(back) == entries(report)
    assert left_columns(back) == left_columns(report)


def test_nothing_else_is_marked(written):
    _report, _earlier, path, _facts = written
    body = document(path)

    def marked(tr) -> bool:
        return tr.find("w:trPr/w:ins", NS) is not None or tr.find("w:trPr/w:del", NS) is not None

    rows = body.find("w:body/w:tbl", NS).findall("w:tr", NS)
    assert sum(1 for tr in rows if marked(tr)) == 2  # the new row and the row gone
    changed_paragraphs = [
        p
        for tr in rows
        if not marked(tr)
        for p in tr.iter(q("p"))
        if p.find(".//w:ins", NS) is not None or p.find(".//w:del", NS) is not None
    ]
    # The changed word and the changed title, nothing more.
    assert len(changed_paragraphs) == 2


def test_read_back_it_is_the_current_report(written):
    report, _earlier, path, _facts = written
    back = docx_reader.read_file(path).report
    assert entries(back) == entries(report)
    assert left_columns(back) == left_columns(report)
    assert [g.title for g in back.goals] == [g.title for g in report.goals]


def rejected(path: Path, out: Path) -> Path:
    """The file with every change rejected, as Word's 「すべての変更を元に戻す」 leaves it."""
    with zipfile.ZipFile(path) as archive:
        files = {n: archive.read(n) for n in archive.namelist()}
    body = etree.fromstring(files["word/document.xml"])
    for tr in list(body.iter(q("tr"))):
        if tr.find("w:trPr/w:ins", NS) is not None:
            tr.getparent().remove(tr)
        elif (mark := tr.find("w:trPr/w:del", NS)) is not None:
            mark.getparent().remove(mark)
    marks = [m for m in body.iter(q("ins"), q("del")) if m.getparent().tag == q("rPr")]
    for mark in marks:  # paragraph marks: an inserted one goes, a deleted one stays
        if mark.tag == q("ins"):
            mark.tag = q("del")
        else:
            mark.getparent().remove(mark)
    for change in list(body.iter(q("pPrChange"))):
        ppr = change.getparent()
        ppr.find("w:pStyle", NS).set(q("val"), change.find("w:pPr/w:pStyle", NS).get(q("val")))
        ppr.remove(change)
    for change in list(body.iter(q("rPrChange"))):
        rpr = change.getparent()
        rpr.getparent().replace(rpr, change[0])
    for insertion in [m for m in body.iter(q("ins")) if m.getparent().tag != q("rPr")]:
        insertion.getparent().remove(insertion)
    for deletion in [m for m in body.iter(q("del")) if m.getparent().tag != q("rPr")]:
        for t in deletion.iter(q("delText")):
            t.tag = q("t")
        for child in list(deletion):
            deletion.addprevious(child)
        deletion.getparent().remove(deletion)
    files["word/document.xml"] = etree.tostring(body)
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return out


def test_every_change_rejected_it_is_the_earlier_report_again(written, tmp_path):
    _report, earlier, path, _facts = written
    back = docx_reader.read_file(rejected(path, tmp_path / "rejected.docx")).report
    assert entries(back) == entries(earlier)
    assert left_columns(back) == left_columns(earlier)


def test_a_snapshot_of_the_same_year_is_matched_by_its_rows(tmp_path, sample_result):
    earlier = sample_result.report
    report = copy.deepcopy(earlier)
    direction = report.goals[0].directions[0]
    # Two rows swapped and one renamed: by id they are the same rows, changed.
    direction.entries[0], direction.entries[1] = direction.entries[1], direction.entries[0]
    direction.entries[0].departments = ["水産振興課"]
    path = tmp_path / "snapshot.docx"
    changes.write_file(report, path, earlier)
    body = document(path)
    rows = [tr for tr in body.iter(q("tr")) if tr.find("w:trPr/w:ins", NS) is not None]
    assert rows == []  # no row is new
    names = next(p for p in body.iter(q("p")) if texts(p) == "水産振興課")
    assert texts(names.find("w:ins", NS)) == "振興"
    assert body.find(".//w:trPr/w:del", NS) is None  # and none is gone
    assert docx_reader.read_file(path).report.goals[0].directions[0].entries[0].departments == [
        "水産振興課"
    ]


def test_the_same_report_has_no_change(tmp_path, sample_result):
    report = sample_result.report
    path = tmp_path / "same.docx"
    changes.write_file(report, path, copy.deepcopy(report))
    body = document(path)
    assert body.find(".//w:ins", NS) is None
    assert body.find(".//w:del", NS) is None


@pytest.mark.soffice
@pytest.mark.skipif(not printed.HAS_SOFFICE, reason="LibreOffice (soffice) not installed")
def test_libreoffice_opens_it_and_shows_both_sides(written):
    report, _earlier, path, facts = written
    pdf = printed.to_pdf(path, name="-changes")
    import pdfplumber

    with pdfplumber.open(pdf) as opened:
        text = printed.flat("".join(page.extract_text() or "" for page in opened.pages))
    # LibreOffice prints the changes as it shows them: the deleted text struck through.
    assert "着手" in text and "実施" in text
    assert "新設課" in text and facts["gone"] in text
    # Saved again by LibreOffice, its changes are still there and read as accepted.
    again = printed.resave(path, path.parent / "lo-resaved")
    body = document(again)
    assert body.find(".//w:ins", NS) is not None and body.find(".//w:del", NS) is not None
    assert entries(docx_reader.read_file(again).report) == entries(report)


def test_a_direction_gone_and_one_new_and_a_title_and_a_bold_changed(tmp_path, sample_result):
    from kushiro_editor.core.model import Direction, Measure

    earlier = sample_result.report
    report = last_year_and_this(earlier)
    goal = report.goals[2]
    gone = goal.directions.pop()
    goal.directions.append(
        Direction(
            "新しく立てた方向",
            measures=[Measure("新しい施策", "<p>説明。</p>")],
            entries=[Entry(["企画課"], actual="<p>始めた。</p>")],
        )
    )
    heading = report.goals[0].directions[1]
    heading.title = heading.title + "の推進"
    entry = report.goals[3].directions[0].entries[0]
    plain = richtext.to_plain(entry.actual).split("\n")[0][:6]
    entry.actual = f"<p><b>{plain}</b></p>"
    earlier_entry = earlier.goals[3].directions[0].entries[0]
    earlier_entry.actual = f"<p>{plain}</p>"  # the same words, not bold last year
    report.renumber()
    path = tmp_path / "directions.docx"
    changes.write_file(report, path, earlier)
    body = document(path)
    rows = body.find("w:body/w:tbl", NS).findall("w:tr", NS)
    deleted = [tr for tr in rows if tr.find("w:trPr/w:del", NS) is not None]
    assert len(deleted) == 1 + len(gone.entries)  # its heading row and its rows
    assert gone.title in texts(deleted[0], "delText")
    left = deleted[1].find("w:tc", NS)
    assert gone.measures[0].title in texts(left, "delText")
    inserted = [tr for tr in rows if tr.find("w:trPr/w:ins", NS) is not None]
    assert texts(inserted[0]).endswith("新しく立てた方向")
    assert len(inserted) == 2
    title = next(p for p in body.iter(q("p")) if heading.title in texts(p))
    assert texts(title.find("w:ins", NS)) == "の推進"
    bolded = next(r for r in body.iter(q("r")) if texts(r) == plain)
    change = bolded.find("w:rPr/w:rPrChange", NS)
    assert bolded.find("w:rPr/w:b", NS) is not None
    assert change is not None and change.find("w:rPr/w:b", NS) is None
    back = docx_reader.read_file(path).report
    assert entries(back) == entries(report)
    assert left_columns(back) == left_columns(report)
    again = docx_reader.read_file(rejected(path, tmp_path / "rejected.docx")).report
    assert entries(again) == entries(earlier)
    assert left_columns(again) == left_columns(earlier)


def test_a_paragraph_made_a_list_item_keeps_its_old_style_in_the_change(tmp_path, sample_result):
    earlier = sample_result.report
    report = last_year_and_this(earlier)
    entry = report.goals[0].directions[1].entries[0]
    before = earlier.goals[0].directions[1].entries[0]
    before.actual = "<p>・展示会に出展した。</p><p>商談会を開いた。</p>"
    entry.actual = "<ul><li>・展示会に出展した。</li></ul><p>商談会を開いた。</p>"
    path = tmp_path / "styles.docx"
    changes.write_file(report, path, earlier)
    body = document(path)
    changes_ = list(body.iter(q("pPrChange")))
    assert len(changes_) == 1
    paragraph = changes_[0].getparent().getparent()
    assert paragraph.find("w:pPr/w:pStyle", NS).get(q("val")) == "KRItem"
    assert changes_[0].find("w:pPr/w:pStyle", NS).get(q("val")) == "KRBody"
    assert etree.QName(changes_[0].getparent()[-1]).localname == "pPrChange"  # last in w:pPr
    assert docx_reader.read_file(path).report.goals[0].directions[1].entries[0].actual == (
        entry.actual
    )
    again = docx_reader.read_file(rejected(path, tmp_path / "rejected.docx")).report
    assert again.goals[0].directions[1].entries[0].actual == before.actual


def _mutated(earlier: Report, seed: int, *, same_year: bool) -> Report:
    """A report changed at random from ``earlier``: rows and directions gone, new, moved,
    texts edited, as a year's work or the days since a snapshot change them."""
    import random

    from kushiro_editor.core.model import Direction

    rng = random.Random(seed)
    report = copy.deepcopy(earlier) if same_year else last_year_and_this(earlier)
    directions = [d for _g, d in report.directions()]
    for _ in range(rng.randint(1, 4)):
        direction = rng.choice(directions)
        if direction.entries and rng.random() < 0.5:
            direction.entries.pop(rng.randrange(len(direction.entries)))
        at = rng.randint(0, len(direction.entries))
        new = Entry([f"新設課{seed}"], actual="<p>新しく<b>始めた</b>。</p>")
        direction.entries.insert(at, new)
    for _g, _d, entry in rng.sample(list(report.entries()), 6):
        blocks = list(richtext.parse(entry.actual))
        at = rng.randrange(len(blocks))
        runs = list(blocks[at].runs)
        text = runs[0].text
        cut = rng.randrange(len(text) + 1)
        runs[0] = Run(f"{text[:cut]}書き足した{text[cut + 3 :]}", runs[0].bold)
        blocks[at] = Block(blocks[at].tag, tuple(runs))
        entry.actual = richtext.serialise(blocks)
    if same_year and rng.random() < 0.7:  # a row moved to another direction
        source, target = rng.sample([d for d in directions if d.entries], 2)
        target.entries.append(source.entries.pop(0))
    goal = rng.choice(report.goals)
    if rng.random() < 0.5 and len(goal.directions) > 1:
        goal.directions.pop(rng.randrange(len(goal.directions)))
    if rng.random() < 0.5:
        goal.directions.insert(
            rng.randint(0, len(goal.directions)),
            Direction("新しい方向", entries=[Entry(["企画課"], actual="<p>始めた。</p>")]),
        )
    report.renumber()
    return report


@pytest.mark.parametrize("same_year", [False, True], ids=["last-year", "snapshot"])
@pytest.mark.parametrize("seed", range(8))
def test_any_change_reads_back_as_the_report_and_rejected_as_the_earlier(
    tmp_path, sample_result, seed, same_year
):
    earlier = sample_result.report
    report = _mutated(earlier, seed, same_year=same_year)
    path = tmp_path / "random.docx"
    changes.write_file(report, path, earlier)
    body = document(path)
    ids = [m.get(q("id")) for m in body.iter(q("ins"), q("del"), q("rPrChange"), q("pPrChange"))]
    assert len(ids) == len(set(ids))
    back = docx_reader.read_file(path).report
    assert entries(back) == entries(report)
    assert left_columns(back) == left_columns(report)
    # Rejected, the earlier rows are all there again (a row gone from the top of its
    # direction comes back below that direction's first row).
    again = docx_reader.read_file(rejected(path, tmp_path / "rejected.docx")).report
    assert sorted(entries(again)) == sorted(entries(earlier))


@pytest.mark.soffice
@pytest.mark.skipif(not office.available(), reason="LibreOffice or its Python bridge missing")
def test_libreoffice_accepting_every_change_leaves_the_report(tmp_path, sample_result):
    earlier = sample_result.report
    report, _facts = changed(earlier)
    # The last paragraphs of a cell gone: the line before them gives up its mark.
    entry = report.goals[0].directions[0].entries[1]
    blocks = richtext.parse(entry.actual)
    assert len(blocks) > 2
    entry.actual = richtext.serialise(blocks[:1])
    path = tmp_path / "changes.docx"
    changes.write_file(report, path, earlier)
    accepted = office.all_changes(path, "accept", tmp_path / "accepted.docx")
    assert document(accepted).find(".//w:ins", NS) is None
    back = docx_reader.read_file(accepted).report
    assert entries(back) == entries(report)
    assert left_columns(back) == left_columns(report)
    # No empty line left where the last lines were.
    kept = richtext.to_plain(entry.actual)
    cell = next(tc for tc in document(accepted).iter(q("tc")) if texts(tc) == kept)
    assert [texts(p) for p in cell.findall("w:p", NS)] == [kept]
    rejected_ = office.all_changes(path, "reject", tmp_path / "rejected.docx")
    again = docx_reader.read_file(rejected_).report
    assert sorted(entries(again)) == sorted(entries(earlier))
    assert left_columns(again) == left_columns(earlier)
