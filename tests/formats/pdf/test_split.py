"""PDF: a sheet wider than the paper, printed as pages side by side.

The editor's own PDF of the sample is cut into halves at the edge between
所管部署 and 実績: each page becomes a page of the left columns and a page of
the right ones (the page's box shows its part; what lies past it is drawn but
not printed, as an office suite prints a merged cell across the cut). Printed
left then right, page after page, it reads as the whole table; in another
order it is refused with one line that says what happened and what to do.
"""

from __future__ import annotations

import re
from pathlib import Path

import pdfplumber
import pytest

from kushiro_editor.core.model import ReportError
from kushiro_editor.formats import read_file, write_file
from kushiro_editor.formats.pdf import writer as pdf_writer
from tests.formats.handmade import content
from tests.formats.pdf.test_unruled import across_only

_OBJECT = re.compile(rb"(\d+) 0 obj\r?\n(.*?)\r?\nendobj", re.S)
_MEDIA = re.compile(rb"/MediaBox \[[^\]]*\]")


def _column_edges(path: Path) -> list[float]:
    with pdfplumber.open(path) as pdf:
        edges = pdf.pages[0].edges
    out: list[float] = []
    for x in sorted(e["x0"] for e in edges if e["orientation"] == "v"):
        if not out or x - out[-1] > 2:
            out.append(x)
    return out


def split_print(source: Path, target: Path, cut: float, *, order: str = "over") -> None:
    """Each page of ``source`` as two, the part left of ``cut`` and the part right of it.

    ``order``: "over" prints each page's halves one after the other (left to
    right, then down); "down" prints every left half first, then every right;
    "left" only the left halves.
    """
    data = source.read_bytes()
    objects = {int(number): body for number, body in _OBJECT.findall(data)}
    root = int(re.search(rb"/Root (\d+) 0 R", data).group(1))
    info = int(re.search(rb"/Info (\d+) 0 R", data).group(1))
    pages_at = next(n for n, body in objects.items() if b"/Type /Pages" in body)
    kids = [int(n) for n in re.findall(rb"(\d+) 0 R", objects[pages_at].split(b"/Kids")[1])]
    height = float(_MEDIA.search(objects[kids[0]]).group().split()[-2])
    width = float(_MEDIA.search(objects[kids[0]]).group().split()[-3])
    lefts, rights = [], []
    following = max(objects) + 1
    for kid in kids:
        body = objects[kid]
        objects[kid] = _MEDIA.sub(b"/MediaBox [ 0 0 %.4f %.4f ]" % (cut, height), body)
        objects[following] = _MEDIA.sub(
            b"/MediaBox [ %.4f 0 %.4f %.4f ]" % (cut, width, height), body
        )
        lefts.append(kid)
        rights.append(following)
        following += 1
    if order == "over":
        sequence = [n for pair in zip(lefts, rights, strict=True) for n in pair]
    elif order == "down":
        sequence = lefts + rights
    else:
        sequence = lefts
    listed = b" ".join(b"%d 0 R" % n for n in sequence)
    objects[pages_at] = re.sub(
        rb"/Count \d+", b"/Count %d" % len(sequence), objects[pages_at]
    ).replace(objects[pages_at].split(b"/Kids")[1].split(b"]")[0] + b"]", b" [ " + listed + b" ]")
    out = bytearray(b"%PDF-1.4\n")
    offsets = {}
    for number in sorted(objects):
        offsets[number] = len(out)
        out += b"%d 0 obj\n" % number + objects[number] + b"\nendobj\n"
    xref = len(out)
    size = max(objects) + 1
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    for number in range(1, size):
        out += (
            b"%010d 00000 n \n" % offsets[number] if number in offsets else b"0000000000 65535 f \n"
        )
    out += b"trailer\n<< /Size %d /Root %d 0 R /Info %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        size,
        root,
        info,
        xref,
    )
    target.write_bytes(bytes(out))


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    """The sample, its fully ruled PDF, and that PDF read back."""
    from kushiro_editor.appdata import sample_path

    report = read_file(sample_path()).report
    folder = tmp_path_factory.mktemp("split")
    write_file(report, folder / "report.pdf")
    return report, folder / "report.pdf", read_file(folder / "report.pdf")


def _cut(path: Path) -> float:
    """The edge between 所管部署 and 実績."""
    return _column_edges(path)[2]


def test_the_split_print_cut_the_columns_apart(sample, tmp_path):
    _report, pdf, _back = sample
    split_print(pdf, tmp_path / "split.pdf", _cut(pdf))
    with pdfplumber.open(tmp_path / "split.pdf") as split:
        first = split.pages[0].crop(split.pages[0].bbox).extract_text()
        second = split.pages[1].crop(split.pages[1].bbox).extract_text()
    assert "所管部署" in first and "実績" not in first.replace("令和2年度実績", "")
    assert "取組予定" in second and "所管部署" not in second


def test_halves_printed_side_by_side_read_as_the_whole_table(sample, tmp_path):
    report, pdf, back = sample
    split_print(pdf, tmp_path / "split.pdf", _cut(pdf))
    result = read_file(tmp_path / "split.pdf")
    assert content(result.report) == content(back.report)
    assert content(result.report) == content(report)
    assert [w.topic for w in result.warnings] == [w.topic for w in back.warnings]


SPLIT_MESSAGE = (
    "split.pdf の表は左右に分かれて印刷されています(1ページに一部の列しかありません)。"
    "印刷を1ページの幅に合わせて PDF にし直すか、Word・Excel のファイルを読み込んでください。"
)


def test_halves_of_a_table_ruled_across_only_are_refused_saying_why(sample, tmp_path, monkeypatch):
    """Without rules down the columns nor at the cut, where a row's cell ends on each
    page is a guess the reader does not make."""
    report, pdf, _back = sample
    cut = _cut(pdf)
    monkeypatch.setattr(pdf_writer, "_box", across_only(shading=False))
    write_file(report, tmp_path / "across.pdf")
    monkeypatch.undo()
    split_print(tmp_path / "across.pdf", tmp_path / "split.pdf", cut)
    with pytest.raises(ReportError) as caught:
        read_file(tmp_path / "split.pdf")
    assert str(caught.value) == SPLIT_MESSAGE


def test_halves_in_another_order_are_refused_saying_why(sample, tmp_path):
    _report, pdf, _back = sample
    split_print(pdf, tmp_path / "split.pdf", _cut(pdf), order="down")
    with pytest.raises(ReportError) as caught:
        read_file(tmp_path / "split.pdf")
    assert str(caught.value) == SPLIT_MESSAGE


def test_left_halves_alone_are_refused_saying_why(sample, tmp_path):
    _report, pdf, _back = sample
    split_print(pdf, tmp_path / "split.pdf", _cut(pdf), order="left")
    with pytest.raises(ReportError) as caught:
        read_file(tmp_path / "split.pdf")
    assert str(caught.value) == SPLIT_MESSAGE
