"""PDF: the table drawn by another program, the Word export printed to PDF, refusals."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tracemalloc
import zlib
from pathlib import Path

import pytest
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from kushiro_editor.core import richtext
from kushiro_editor.core.model import ReportError
from kushiro_editor.formats import read_file, write_file
from kushiro_editor.formats.docx import writer as docx_writer
from kushiro_editor.formats.pdf import reader as pdf_reader
from tests.formats.handmade import content

FONTS = Path(__file__).resolve().parents[2] / "fonts" / "fonts.conf"
MINCHO = next(
    (
        p
        for p in (
            Path("/usr/share/fonts/opentype/ipafont-mincho/ipam.ttf"),
            Path("/usr/share/fonts/truetype/fonts-japanese-mincho.ttf"),
        )
        if p.exists()
    ),
    None,
)
needs_font = pytest.mark.skipif(MINCHO is None, reason="IPA Mincho not installed")
PAGE_W, PAGE_H = 842.0, 595.0
SIZE = 9.0


# -- a table drawn by another program (ReportLab), with its own wrapping ----------
def _font() -> str:
    if "IPAMincho" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("IPAMincho", str(MINCHO)))
    return "IPAMincho"


def _wrap(text: str, width: float, indent: float = 0.0) -> list[str]:
    """Break ``text`` into lines of at most ``width`` points, character by character."""
    lines, current = [], ""
    for char in text:
        room = width - (indent if lines else 0.0)
        if current and pdfmetrics.stringWidth(current + char, _font(), SIZE) > room:
            lines.append(current)
            current = ""
        current += char
    return [*lines, current]


class Drawing:
    """Draws a ruled table page by page: what a city's own layout tool might print."""

    def __init__(self, path: Path, widths: list[float]) -> None:
        self.pdf = canvas.Canvas(str(path), pagesize=(PAGE_W, PAGE_H))
        self.widths = widths
        self.x = [40.0]
        for width in widths:
            self.x.append(self.x[-1] + width)
        self.y = PAGE_H - 40
        self.pages = 0
        self.pad = 4.0

    def text(self, x: float, y: float, text: str, bold: bool = False) -> None:
        obj = self.pdf.beginText(x, y)
        obj.setFont(_font(), SIZE)
        # A bold face the font lacks: filled and stroked, as office programs do.
        obj.setTextRenderMode(2 if bold else 0)
        obj.textOut(text)
        self.pdf.saveState()
        self.pdf.setLineWidth(0.3)
        self.pdf.drawText(obj)
        self.pdf.restoreState()

    def cell_lines(self, paragraphs: list[tuple[str, bool]], width: float) -> list:
        """(text, bold, indent) lines of a cell; 「・」 items hang by one character."""
        out = []
        for text, bold in paragraphs:
            hang = SIZE if text.startswith("・") else 0.0
            for number, line in enumerate(_wrap(text, width - 2 * self.pad, hang)):
                out.append((line, bold, hang if number else 0.0))
        return out

    def row(self, cells: list[list[tuple[str, bool]]], spans: list[int] | None = None) -> None:
        spans = spans or [1] * len(cells)
        column, laid = 0, []
        for paragraphs, span in zip(cells, spans, strict=True):
            x0, x1 = self.x[column], self.x[column + span]
            laid.append((x0, x1, self.cell_lines(paragraphs, x1 - x0)))
            column += span
        height = max(len(lines) for *_x, lines in laid) * SIZE * 1.4 + 2 * self.pad
        for x0, x1, lines in laid:
            self.pdf.rect(x0, self.y - height, x1 - x0, height)
            for number, (line, bold, indent) in enumerate(lines):
                baseline = self.y - self.pad - SIZE - number * SIZE * 1.4
                self.text(x0 + self.pad + indent, baseline, line, bold)
        self.y -= height

    def header(self) -> None:
        heads = ["基本目標・基本的方向・施策", "担当課", "令和２年度の実績", "令和３年度の取組予定"]
        self.row([[(h, True)] for h in heads])

    def new_page(self, title: str = "") -> None:
        if self.pages:
            self.footer()
            self.pdf.showPage()
        self.pages += 1
        self.y = PAGE_H - 40
        if title:
            self.text(200, self.y - SIZE, title, True)
            self.y -= 30
        self.header()

    def footer(self) -> None:
        self.text(PAGE_W / 2 - 20, 20, f"- {self.pages} / 2 -")

    def close(self) -> None:
        self.footer()
        self.pdf.save()


LEFT = [
    ("ア 持続的成長を目指した水産業の振興", True),
    (
        "基幹産業である水産業の経営安定に向けた増養殖事業等の推進による水産資源の維持・増大への協力と後継者等の人材育成への支援等を行う。",
        False,
    ),
    ("【主な事業】", False),
    ("・増養殖漁業推進事業", False),
    ("・水産加工業活性化支援事業【再掲】", False),
]
ACTUAL_1 = [
    ("・農業経営基盤整備のため、3地区における土地改良事業を実施した。", False),
    (
        "・森林資源の循環利用を推進するため森林整備を実施した。(市有林管理事業、市有林収穫事業)",
        False,
    ),
]
PLAN_1 = [("・農業経営基盤整備のために土地改良事業を実施する。", False)]
ACTUAL_2 = [
    (
        "子育て世代包括支援センターにおいて、妊娠期から子育て期にわたる切れ目のない支援を行った。",
        False,
    )
]
ACTUAL_2_REST = [("マタニティ講座を年6回開催した。", False)]
PLAN_2 = [("引き続き、切れ目のない支援とマタニティ講座を行う。", False)]


def _drawn(path: Path) -> Path:
    """Two pages, other widths and header words, a title above, a row split by the page."""
    drawing = Drawing(path, [230.0, 90.0, 221.0, 221.0])
    drawing.new_page(
        "釧路市まち・ひと・しごと創生総合戦略 進捗報告（令和2年度実績・令和3年度取組予定）"
    )
    drawing.row([[("【基本目標1】地域の魅力を生かして経済の拡大を目指す", True)]], [4])
    drawing.row([[("① 釧路らしさを生み出す農林水産業の成長産業化", True)]], [4])
    drawing.row([LEFT, [("農林課", False)], ACTUAL_1, PLAN_1])
    drawing.row([[], [("健康推進課", False)], ACTUAL_2, PLAN_2])
    drawing.new_page()
    drawing.row([[], [("健康推進課", False)], ACTUAL_2_REST, []])
    drawing.row(
        [
            [],
            [("観光振興室", False), ("阿寒観光振興課", False)],
            [("観光客を誘致した。", False)],
            [("観光客を誘致する。", False)],
        ]
    )
    drawing.row([[("【基本目標2】安心して暮らせるまちをつくる", True)]], [4])
    drawing.row([[("① 健康なまちづくり", True)]], [4])
    drawing.row(
        [
            [("ア 健康づくりの推進", True)],
            [("健康推進課", False)],
            [("健診を行った。", False)],
            [("健診を行う。", False)],
        ]
    )
    drawing.close()
    return path


def _html(paragraphs: list[tuple[str, bool]]) -> str:
    blocks = [
        richtext.Block("li" if text.startswith("・") else "p", (richtext.Run(text, bold),))
        for text, bold in paragraphs
    ]
    return richtext.serialise(blocks)


@needs_font
def test_a_table_drawn_by_another_program(tmp_path):
    result = read_file(_drawn(tmp_path / "drawn.pdf"))
    report = result.report
    assert report.title == "釧路市まち・ひと・しごと創生総合戦略 進捗報告"
    assert report.actual_year == 2020
    assert [g.title for g in report.goals] == [
        "地域の魅力を生かして経済の拡大を目指す",
        "安心して暮らせるまちをつくる",
    ]
    first = report.goals[0].directions[0]
    assert first.title == "釧路らしさを生み出す農林水産業の成長産業化"
    assert [(m.label, m.title) for m in first.measures] == [
        ("ア", "持続的成長を目指した水産業の振興")
    ]
    assert first.measures[0].body == _html([LEFT[1]])
    assert [(p.name, p.relisted) for p in first.main_projects] == [
        ("増養殖漁業推進事業", False),
        ("水産加工業活性化支援事業", True),
    ]
    entries = [(e.departments, e.actual, e.plan) for e in first.entries]
    assert entries == [
        (["農林課"], _html(ACTUAL_1), _html(PLAN_1)),
        # The row the page break split is one row again, its text in one paragraph list.
        (["健康推進課"], _html(ACTUAL_2 + ACTUAL_2_REST), _html(PLAN_2)),
        (
            ["観光振興室", "阿寒観光振興課"],
            _html([("観光客を誘致した。", False)]),
            _html([("観光客を誘致する。", False)]),
        ),
    ]
    second = report.goals[1].directions[0]
    assert [m.title for m in second.measures] == ["健康づくりの推進"]
    assert [e.departments for e in second.entries] == [["健康推進課"]]
    assert any(w.topic == "joined" and "健康推進課" in w.message for w in result.warnings)
    # Neither the repeated header nor the page numbers became text.
    every = "".join(e.actual + e.plan for _g, _d, e in report.entries())
    assert "担当課" not in every and "/ 2 -" not in every


@needs_font
@pytest.mark.parametrize(
    "rest", ["課題の解決に向けて調査した", "課題を整理した。"], ids=["open", "full_stop"]
)
def test_a_continued_row_holding_a_header_word_is_body_text(tmp_path, rest):
    """A page break leaves a row's last lines alone at the next page's top, under the
    repeated header; 課題 holds 課, a word of the department column's header."""
    drawing = Drawing(tmp_path / "rest.pdf", [230.0, 90.0, 221.0, 221.0])
    drawing.new_page("進捗報告（令和2年度実績・令和3年度取組予定）")
    drawing.row([[("【基本目標1】地域の魅力を生かして経済の拡大を目指す", True)]], [4])
    drawing.row([[("① 釧路らしさを生み出す農林水産業の成長産業化", True)]], [4])
    drawing.row([LEFT, [("農林課", False)], ACTUAL_1, PLAN_1])
    drawing.new_page()
    drawing.row([[], [], [(rest, False)], []])
    drawing.row([[], [("水産課", False)], [("漁業を振興した。", False)], []])
    drawing.close()
    entries = read_file(tmp_path / "rest.pdf").report.goals[0].directions[0].entries
    assert [e.departments for e in entries] == [["農林課"], ["水産課"]]
    assert entries[0].actual == _html([*ACTUAL_1, (rest, False)])


@needs_font
def test_bold_from_the_font_name(tmp_path, monkeypatch):
    from kushiro_editor.formats.pdf import cells as pdf_cells

    chars = [
        {"text": "太", "fontname": "ABCDEF+MS-Gothic-Bold", "upright": True},
        {"text": "細", "fontname": "ABCDEF+HiraMinPro-W3", "upright": True},
        {"text": "太", "fontname": "HiraKakuPro-W6", "upright": True},
    ]

    class FakePage:
        pass

    page = FakePage()
    page.chars = chars
    assert [c["bold"] for c in pdf_cells.page_chars(page)] == [True, False, True]


# -- round trips through LibreOffice ---------------------------------------------
def _soffice_pdf(docx_path: Path) -> Path:
    folder = docx_path.parent
    env = {**os.environ, "FONTCONFIG_FILE": str(FONTS)}
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={(folder / 'lo-profile').as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            docx_path.name,
        ],
        cwd=folder,
        env=env,
        check=True,
        capture_output=True,
        timeout=240,
    )
    return docx_path.with_suffix(".pdf")


def _flat(markup: str) -> str:
    """The text without its paragraph and line structure."""
    return re.sub(r"\s+", "", richtext.to_plain(markup))


@pytest.fixture(scope="module")
def sample_pdf(tmp_path_factory):
    from kushiro_editor.appdata import sample_path

    if not shutil.which("soffice"):
        pytest.skip("LibreOffice (soffice) not installed")
    folder = tmp_path_factory.mktemp("pdf")
    report = read_file(sample_path()).report
    docx_writer.write_file(report, folder / "report.docx")
    return _soffice_pdf(folder / "report.docx"), report


@pytest.mark.soffice
def test_word_export_printed_to_pdf_reads_back(sample_pdf):
    pdf, report = sample_pdf
    back = read_file(pdf).report
    assert (back.title, back.actual_year) == (report.title, report.actual_year)
    goals = [(g.title, [d.title for d in g.directions]) for g in report.goals]
    assert [(g.title, [d.title for d in g.directions]) for g in back.goals] == goals
    directions = [d for g in report.goals for d in g.directions]
    read = [d for g in back.goals for d in g.directions]
    for before, after in zip(directions, read, strict=True):
        assert [(m.label, m.title) for m in after.measures] == [
            (m.label, m.title) for m in before.measures
        ]
        assert [(p.name, p.relisted) for p in after.main_projects] == [
            (p.name, p.relisted) for p in before.main_projects
        ]
        assert [e.departments for e in after.entries] == [e.departments for e in before.entries]
        for old, new in zip(before.entries, after.entries, strict=True):
            assert _flat(new.actual) == _flat(old.actual)
            assert _flat(new.plan) == _flat(old.plan)
            # Bold survives the print: LibreOffice strokes the outline of a face it lacks.
            bold = [r.text.strip() for b in richtext.parse(old.actual) for r in b.runs if r.bold]
            bold_back = [
                r.text.strip() for b in richtext.parse(new.actual) for r in b.runs if r.bold
            ]
            assert bold_back == bold
        for old, new in zip(before.measures, after.measures, strict=True):
            assert _flat(new.body) == _flat(old.body)


@pytest.mark.soffice
def test_word_export_paragraphs_come_back_as_written(sample_pdf):
    """The Word file spaces paragraphs, 「・」 items and broken lines as the editor's PDF
    does, so the printed copy gives back every text's paragraphs, items, line breaks
    and bold, also where a page break cuts a paragraph. What no print shows is a space
    where a line wrapped (LibreOffice draws none): three of the sample's texts lose one."""
    pdf, report = sample_pdf
    expected, got = content(report), content(read_file(pdf).report)
    texts = [
        (old, new)
        for goal_old, goal_new in zip(expected["goals"], got["goals"], strict=True)
        for d_old, d_new in zip(goal_old["directions"], goal_new["directions"], strict=True)
        for e_old, e_new in zip(d_old["entries"], d_new["entries"], strict=True)
        for old, new in ((e_old["actual"], e_new["actual"]), (e_old["plan"], e_new["plan"]))
    ]
    differ = [(old, new) for old, new in texts if old != new]
    for old, new in differ:
        assert old.replace(" ", "") == new.replace(" ", "")
        assert len(new) < len(old)
    assert len(differ) <= 3, f"{len(differ)} of {len(texts)} texts differ"
    for goal_old, goal_new in zip(expected["goals"], got["goals"], strict=True):
        for d_old, d_new in zip(goal_old["directions"], goal_new["directions"], strict=True):
            assert d_new["measures"] == d_old["measures"]
            assert d_new["main_projects"] == d_old["main_projects"]


# -- the editor's own PDF ---------------------------------------------------------------
def test_own_pdf_export_reads_back_to_the_same_report(tmp_path):
    """The editor's PDF spaces paragraphs, items and line breaks apart a little, so
    everything comes back: texts with their paragraphs, 「・」 items, line breaks and
    bold, departments, measures and main projects, as the Word and Excel files do."""
    from kushiro_editor.appdata import sample_path
    from kushiro_editor.formats import write_file

    report = read_file(sample_path()).report
    write_file(report, tmp_path / "report.pdf")
    result = read_file(tmp_path / "report.pdf")
    back = result.report
    entries = [(e.departments, e.actual, e.plan) for _g, _d, e in report.entries()]
    assert [(e.departments, e.actual, e.plan) for _g, _d, e in back.entries()] == entries
    directions = [d for g in report.goals for d in g.directions]
    read = [d for g in back.goals for d in g.directions]
    assert [(m.label, m.title, m.body) for d in read for m in d.measures] == [
        (m.label, m.title, m.body) for d in directions for m in d.measures
    ]
    assert [(p.name, p.relisted) for d in read for p in d.main_projects] == [
        (p.name, p.relisted) for d in directions for p in d.main_projects
    ]
    assert content(back) == content(report)
    assert not [w for w in result.warnings if w.topic != "joined"]


def test_own_pdf_keeps_breaks_spaces_and_items_of_a_cell(tmp_path):
    """Line breaks, a space where a line wraps, a 「・」 paragraph beside list items."""
    from kushiro_editor.appdata import sample_path
    from kushiro_editor.formats import write_file

    report = read_file(sample_path()).report
    entry = next(e for _g, _d, e in report.entries())
    long = " ".join(["釧路市の取組を進めた。"] * 12)
    entry.actual = (
        f"<p>{long}</p><p>・項目として書いた段落。</p>"
        "<ul><li>・一つ目の項目</li><li>・二つ目の項目<br>改行した行</li></ul>"
        f"<p><b>【事業名】</b> {long}<br>改行の後の行。</p>"
    )
    entry.plan = "<p>・一行だけの段落</p>"
    write_file(report, tmp_path / "cell.pdf")
    back = next(e for _g, _d, e in read_file(tmp_path / "cell.pdf").report.entries())
    assert (back.actual, back.plan) == (entry.actual, entry.plan)


# -- refusals -------------------------------------------------------------------------
def _raw_pdf(objects: list[bytes]) -> bytes:
    """A PDF from numbered object bodies, with a correct cross-reference table."""
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def _stream(data: bytes, extra: bytes = b"") -> bytes:
    packed = zlib.compress(data, 9)
    return (
        b"<< /Length %d /Filter /FlateDecode %s >>\nstream\n" % (len(packed), extra)
        + packed
        + b"\nendstream"
    )


def _page_with(content: bytes) -> list[bytes]:
    return [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 842 595] /Contents 4 0 R >>",
        content,
    ]


def _refused(path: Path) -> str:
    tracemalloc.start()
    try:
        with pytest.raises(ReportError) as caught:
            read_file(path)
        _now, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 120 * 1024 * 1024, f"peak {peak / 2**20:.0f} MiB"
    message = str(caught.value)
    assert "\n" not in message
    return message


@needs_font
def test_scanned_pdf_without_text(tmp_path):
    from reportlab.lib.utils import ImageReader

    png = tmp_path / "scan.png"
    from PIL import Image

    Image.new("L", (200, 100), 255).save(png)
    pdf = canvas.Canvas(str(tmp_path / "scan.pdf"), pagesize=(PAGE_W, PAGE_H))
    pdf.drawImage(ImageReader(str(png)), 40, 40, 700, 500)
    pdf.rect(40, 40, 700, 500)
    pdf.save()
    assert "スキャン" in _refused(tmp_path / "scan.pdf")


@needs_font
def test_encrypted_pdf(tmp_path):
    from reportlab.lib import pdfencrypt

    path = tmp_path / "locked.pdf"
    pdf = canvas.Canvas(
        str(path), pagesize=(PAGE_W, PAGE_H), encrypt=pdfencrypt.StandardEncryption("secret")
    )
    pdf.setFont(_font(), SIZE)
    pdf.drawString(40, 500, "進捗報告")
    pdf.save()
    assert "パスワード" in _refused(path)


@needs_font
def test_pdf_without_a_table(tmp_path):
    path = tmp_path / "letter.pdf"
    pdf = canvas.Canvas(str(path), pagesize=(PAGE_W, PAGE_H))
    pdf.setFont(_font(), SIZE)
    pdf.drawString(40, 500, "令和2年度 進捗報告について(お知らせ)")
    pdf.save()
    assert "表が見つかりません" in _refused(path)


def test_too_many_pages(tmp_path, monkeypatch):
    monkeypatch.setattr(pdf_reader, "MAX_PAGES", 3)
    path = tmp_path / "long.pdf"
    pdf = canvas.Canvas(str(path), pagesize=(PAGE_W, PAGE_H))
    for number in range(5):
        pdf.drawString(40, 500, f"page {number}")
        pdf.showPage()
    pdf.save()
    assert "ページが多すぎる" in _refused(path)


def test_too_large_file(tmp_path):
    path = tmp_path / "huge.pdf"
    with path.open("wb") as handle:
        handle.write(b"%PDF-1.7\n")
        handle.truncate(pdf_reader.MAX_PDF_BYTES + 1)
    assert "大きすぎる" in _refused(path)


def test_decompression_bomb(tmp_path):
    path = tmp_path / "bomb.pdf"
    path.write_bytes(_raw_pdf(_page_with(_stream(b"0 0 m " * (40 * 1024 * 1024 // 6)))))
    assert path.stat().st_size < 1024 * 1024
    assert "異常" in _refused(path)


def test_huge_object_stream(tmp_path):
    objects = _page_with(_stream(b"BT ET"))
    objects.append(_stream(b"1 0 " * 10, b"/Type /ObjStm /N 5000000 /First 20"))
    path = tmp_path / "objstm.pdf"
    path.write_bytes(_raw_pdf(objects))
    assert "異常" in _refused(path)


def test_page_of_a_million_glyphs(tmp_path):
    content = b"BT /F1 1 Tf " + b"(x) Tj " * 200_000 + b"ET"
    objects = _page_with(_stream(content))
    objects[2] = (
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 842 595] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>"
    )
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    path = tmp_path / "glyphs.pdf"
    path.write_bytes(_raw_pdf(objects))
    assert "異常" in _refused(path)


@needs_font
def test_broken_cross_reference(tmp_path):
    good = _drawn(tmp_path / "drawn.pdf").read_bytes()
    broken = tmp_path / "broken.pdf"
    # The table of object offsets points into nowhere and the file ends early.
    broken.write_bytes(re.sub(rb"startxref\s+\d+", b"startxref\n999999999", good)[:-4000])
    with pytest.raises(ReportError) as caught:
        read_file(broken)
    assert "\n" not in str(caught.value)


def test_not_a_pdf_and_empty(tmp_path):
    (tmp_path / "a.pdf").write_bytes(b"PK\x03\x04 not a pdf at all")
    assert "PDF のファイルではありません" in _refused(tmp_path / "a.pdf")
    (tmp_path / "b.pdf").write_bytes(b"")
    assert "空" in _refused(tmp_path / "b.pdf")


def test_pdf_is_listed_among_the_readable_types(tmp_path):
    (tmp_path / "x.odt").write_bytes(b"x")
    with pytest.raises(ReportError, match=r"\.pdf"):
        read_file(tmp_path / "x.odt")


def test_a_pdf_whose_fonts_map_no_characters_is_refused(sample_result, tmp_path):
    # The editor's own PDF with its fonts' ToUnicode maps taken out: pdfminer then
    # gives 「(cid:12)」 for every glyph, which must never become the report's texts.
    written = tmp_path / "report.pdf"
    write_file(sample_result.report, written)
    data = written.read_bytes()
    assert b"/ToUnicode" in data
    blank = re.sub(rb"/ToUnicode \d+ 0 R", lambda m: b" " * len(m.group()), data)
    path = tmp_path / "no-map.pdf"
    path.write_bytes(blank)
    with pytest.raises(ReportError, match="文字の対応表のないフォント"):
        read_file(path)
    assert read_file(written).report.goals  # the file as written reads
