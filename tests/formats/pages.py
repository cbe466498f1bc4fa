"""What a reader sees on printed pages: a PDF's pages read back with pdfplumber.

The exports' page tests render a file to PDF (LibreOffice for Word and Excel,
the editor itself for PDF) and check what a person holding the pages would:
the header on every page, no heading alone at the foot of a page, no text
cut at the bottom edge, department names whole, every paragraph there.
"""

from __future__ import annotations

import itertools
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pdfplumber

from kushiro_editor.core.model import Report
from kushiro_editor.formats.table import layout

FONT_FOLDER = Path(__file__).resolve().parent.parent / "fonts"
# The IPA fonts standing in for the MS fonts (a Japanese Windows PC), and a PC
# with only Noto CJK, whose other widths make LibreOffice store cells differently.
FONT_SETUPS = {"ipa": FONT_FOLDER / "fonts.conf", "noto-only": FONT_FOLDER / "noto-cjk.conf"}
# The fonts LibreOffice lays pages out and re-saves with, unless a test names
# others: KUSHIRO_TEST_FONTS=noto-only runs every office-suite test as a PC
# without the MS or IPA fonts would.
FONTS = FONT_SETUPS[os.environ.get("KUSHIRO_TEST_FONTS", "ipa")]
# What LibreOffice saves a file as, by its suffix, when it re-saves it.
RESAVE_AS = {".docx": "docx:MS Word 2007 XML", ".xlsx": "xlsx:Calc MS Excel 2007 XML"}
HAS_SOFFICE = shutil.which("soffice") is not None


def soffice(*args: str, cwd: Path, fonts: Path = FONTS) -> None:
    """Run LibreOffice headless with a private profile (parallel-safe, no first-run wizard)."""
    env = {**os.environ, "FONTCONFIG_FILE": str(fonts)}
    profile = (cwd / "lo-profile").as_uri()
    subprocess.run(
        ["soffice", f"-env:UserInstallation={profile}", "--headless", "--norestore", *args],
        cwd=cwd,
        env=env,
        check=True,
        capture_output=True,
        timeout=300,
    )


def resave(path: Path, out: Path, fonts: Path = FONTS) -> Path:
    """The file opened and saved again by LibreOffice (as a PC with ``fonts`` would), in ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    soffice(
        "--convert-to",
        RESAVE_AS[path.suffix],
        "--outdir",
        str(out),
        path.name,
        cwd=path.parent,
        fonts=fonts,
    )
    return out / path.name


def to_pdf(path: Path, fonts: Path = FONTS, name: str = "") -> Path:
    """The file laid out by LibreOffice, as a PDF beside it (named after its suffix)."""
    out = path.parent / f"lo-{path.suffix[1:]}{name}"
    out.mkdir(exist_ok=True)
    soffice("--convert-to", "pdf", "--outdir", str(out), path.name, cwd=path.parent, fonts=fonts)
    return out / f"{path.stem}.pdf"


def flat(text: str) -> str:
    """Text without any white space (a PDF's line ends fall anywhere)."""
    return re.sub(r"\s+", "", text)


@dataclass
class Line:
    """A printed line: its text and where it sits (points from the page's top)."""

    text: str
    x0: float
    top: float
    bottom: float


@dataclass
class Page:
    """One printed page: its lines, the table's column edges and the header's foot."""

    number: int
    height: float
    lines: list[Line]
    columns: list[float]  # x of the table's vertical rules, left to right
    header_bottom: float  # below the two header rows
    table_bottom: float  # the lowest horizontal rule
    footer_top: float  # where the page number starts

    def text(self) -> str:
        """Everything on the page, flattened."""
        return flat("".join(line.text for line in self.lines))

    def column_lines(self, index: int) -> list[Line]:
        """The body lines (below the header, above the footer) inside column ``index``."""
        left, right = self.columns[index], self.columns[index + 1]
        return [
            line
            for line in self.lines
            if left - 1 <= line.x0 < right - 1 and self.header_bottom < line.top < self.footer_top
        ]


def _cluster(values: list[float], tolerance: float = 2.0) -> list[float]:
    out: list[float] = []
    for value in sorted(values):
        if not out or value - out[-1] > tolerance:
            out.append(value)
    return out


def read_pages(pdf: Path) -> list[Page]:
    """Every page of ``pdf`` as lines and rules."""
    pages = []
    with pdfplumber.open(pdf) as document:
        for number, page in enumerate(document.pages, start=1):
            # Lines per column: split the page at the table's vertical rules so
            # that a line of one column is not glued to its neighbours'.
            edges = page.edges
            verticals = _cluster([e["x0"] for e in edges if e["orientation"] == "v"])
            horizontals = [e["top"] for e in edges if e["orientation"] == "h"]
            lines = []
            bounds = [0.0, *verticals, float(page.width)]
            for left, right in itertools.pairwise(bounds):
                if right - left < 2:
                    continue
                # A character belongs to the column its middle is in (a crop
                # would give one crossing a rule to both sides); one drawn off
                # the page (a merged cell's text, clipped) is not seen.
                crop = page.filter(
                    lambda obj, left=left, right=right, height=page.height: (
                        obj.get("object_type") != "char"
                        or (
                            left <= (obj["x0"] + obj["x1"]) / 2 < right
                            and obj["top"] >= 0
                            and obj["bottom"] <= height
                        )
                    )
                )
                for found in crop.extract_text_lines(return_chars=False):
                    lines.append(Line(found["text"], found["x0"], found["top"], found["bottom"]))
            lines.sort(key=lambda line: (round(line.top), line.x0))
            head = [line for line in lines if "取組予定" in line.text and "R" in line.text]
            header_bottom = min((line.bottom for line in head), default=0.0)
            numbers = [line for line in lines if re.fullmatch(r"-\s*\d+\s*/\s*\d+\s*-", line.text)]
            footer_top = min((line.top for line in numbers), default=float(page.height))
            pages.append(
                Page(
                    number=number,
                    height=float(page.height),
                    lines=lines,
                    columns=verticals,
                    header_bottom=header_bottom,
                    table_bottom=max(horizontals, default=float(page.height)),
                    footer_top=footer_top,
                )
            )
    return pages


def headings_of(report: Report) -> set[str]:
    """The flattened texts of the goal and direction rows."""
    return {flat(row.text) for row in layout.rows(report) if row.level != "entry"}


def heading_alone_at_foot(pages: list[Page], report: Report) -> list[int]:
    """Pages (but the last) whose last body line is a goal or direction heading."""
    heads = headings_of(report)
    bad = []
    for page in pages[:-1]:
        body = [line for line in page.lines if page.header_bottom < line.top < page.footer_top]
        if not body:
            continue
        last_top = max(line.top for line in body)
        last = flat("".join(line.text for line in body if abs(line.top - last_top) < 2))
        if any(last and head.startswith(last) for head in heads):
            bad.append(page.number)
    return bad


def text_below_table(pages: list[Page]) -> list[int]:
    """Pages with a body line reaching below the table's lowest rule (cut at the edge)."""
    return [
        page.number
        for page in pages
        if any(
            line.bottom > page.table_bottom + 0.5
            for line in page.lines
            if page.header_bottom < line.top < page.footer_top
        )
    ]


def broken_departments(pages: list[Page], report: Report) -> list[str]:
    """Lines of the 所管部署 column that are part of a name short enough to fit."""
    names = {
        name
        for goal in report.goals
        for direction in goal.directions
        for entry in direction.entries
        for name in entry.departments
    }
    short = {flat(n) for n in names if layout.text_width(n) <= layout.DEPARTMENT_HALF_WIDTHS}
    long = [flat(n) for n in names if flat(n) not in short]
    # A goal or direction row spans the table: its pieces fall in every column.
    heads = headings_of(report)
    bad = []
    for page in pages:
        for line in page.column_lines(1):
            text = flat(line.text)
            if text in short or any(text in name for name in (*long, *heads)):
                continue
            bad.append(text)
    return bad


def column_text(pages: list[Page], index: int) -> str:
    """Column ``index``'s body text over all pages, in reading order, flattened."""
    return "".join(flat(line.text) for page in pages for line in page.column_lines(index))


def fill_ratios(pages: list[Page], top_margin: float, bottom_margin: float) -> list[float]:
    """How far down each page's usable height its last body line reaches (0-1)."""
    out = []
    for page in pages:
        body = [line for line in page.lines if line.top < page.footer_top]
        last = max((line.bottom for line in body), default=top_margin)
        out.append((last - top_margin) / (page.height - top_margin - bottom_margin))
    return out
