"""PDF: tables ruled only across (a common Word table style), or only at some cells.

The editor's own PDF of the sample is drawn again with horizontal rules only
(shaded cells keep their shading, whose edges are rules of a few cells only)
and must read back to the same report as the fully ruled file.
"""

from __future__ import annotations

import pytest

from kushiro_editor.formats import read_file, write_file
from kushiro_editor.formats.pdf import writer as pdf_writer
from tests.formats.handmade import content
from tests.formats.pdf.test_reader import SIZE, Drawing, _drawn, needs_font


def across_only(*, shading: bool):
    """A ``_box`` drawing a cell's top and bottom rules only (and its shading)."""

    def box(canvas, x, y, w, h, fill=None) -> None:
        canvas.saveState()
        if fill is not None and shading:
            canvas.setFillColorRGB(*fill)
            canvas.rect(x, y, w, h, stroke=0, fill=1)
        canvas.setLineWidth(0.5)
        canvas.line(x, y, x + w, y)
        canvas.line(x, y + h, x + w, y + h)
        canvas.restoreState()

    return box


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    """The sample, and its fully ruled PDF read back."""
    from kushiro_editor.appdata import sample_path

    report = read_file(sample_path()).report
    path = tmp_path_factory.mktemp("ruled") / "report.pdf"
    write_file(report, path)
    return report, read_file(path)


@pytest.mark.parametrize("shading", [False, True], ids=["plain", "shaded"])
def test_own_pdf_ruled_across_only_reads_as_the_ruled_one(sample, tmp_path, monkeypatch, shading):
    report, ruled_back = sample
    monkeypatch.setattr(pdf_writer, "_box", across_only(shading=shading))
    path = tmp_path / "across.pdf"
    write_file(report, path)
    monkeypatch.undo()
    result = read_file(path)
    assert content(result.report) == content(ruled_back.report)
    assert content(result.report) == content(report)
    assert [w.message for w in result.warnings] == [w.message for w in ruled_back.warnings]


class AcrossDrawing(Drawing):
    """Another program's table with rules across only; ``frame`` adds the outer sides."""

    frame = False

    def row(self, cells, spans=None) -> None:
        spans = spans or [1] * len(cells)
        column, laid = 0, []
        for paragraphs, span in zip(cells, spans, strict=True):
            x0, x1 = self.x[column], self.x[column + span]
            laid.append((x0, x1, self.cell_lines(paragraphs, x1 - x0)))
            column += span
        height = max(len(lines) for *_x, lines in laid) * SIZE * 1.4 + 2 * self.pad
        bottom = self.y - height
        # A left cell left empty reads as merged with the one above: no rule crosses it.
        start = self.x[1] if len(cells) > 1 and not cells[0] else self.x[0]
        self.pdf.setLineWidth(0.5)
        self.pdf.line(start, self.y, self.x[-1], self.y)
        self.pdf.line(self.x[0], bottom, self.x[-1], bottom)
        if self.frame:
            self.pdf.line(self.x[0], self.y, self.x[0], bottom)
            self.pdf.line(self.x[-1], self.y, self.x[-1], bottom)
        for x0, _x1, lines in laid:
            for number, (line, bold, indent) in enumerate(lines):
                baseline = self.y - self.pad - SIZE - number * SIZE * 1.4
                self.text(x0 + self.pad + indent, baseline, line, bold)
        self.y = bottom


@needs_font
@pytest.mark.parametrize("frame", [False, True], ids=["rules_across", "frame_and_rules"])
def test_another_programs_table_without_vertical_rules(tmp_path, monkeypatch, frame):
    ruled = read_file(_drawn(tmp_path / "ruled.pdf"))
    monkeypatch.setattr(AcrossDrawing, "frame", frame)
    monkeypatch.setattr("tests.formats.pdf.test_reader.Drawing", AcrossDrawing)
    across = read_file(_drawn(tmp_path / "across.pdf"))
    assert content(across.report) == content(ruled.report)
    assert [e.departments for _g, _d, e in across.report.entries()] == [
        ["農林課"],
        ["健康推進課"],
        ["観光振興室", "阿寒観光振興課"],
        ["健康推進課"],
    ]
    assert [w.topic for w in across.warnings] == [w.topic for w in ruled.warnings]
