"""A PDF table cell's text rebuilt from its glyphs: lines, paragraphs, list items, bold.

A PDF keeps no paragraphs, only glyphs at positions. Within a cell, glyphs
on one baseline make a line. A line that stops short of the cell's right
edge, although the next line's first unbreakable piece (a character with the
punctuation that may not start a line, or a Latin word) would have fitted,
was ended on purpose: the next line starts a new paragraph (within a list
item, a line break). A line starting with 「・」 at the cell's left starts a
list item, whose wrapped lines hang under its text.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field

from pdfminer.layout import LTChar, LTCurve
from pdfplumber.page import Page, PDFPageAggregatorWithMarkedContent

from ..core.richtext import Block, Run

logger = logging.getLogger(__name__)

# A bold face named in the font: Bold, Gothic-Bold, HiraKakuPro-W6, Black, Heavy…
_BOLD_FONT = re.compile(r"bold|black|heavy|[-_ ,]?W(?:[6-9]|1[0-2])$", re.IGNORECASE)
# Characters a Japanese line may not start with (they go with the one before).
_NO_START = set(
    "、。，．,.・：；？！ー～…‥々ゝゞ）〕］｝〉》」』】〙〗ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ)]}'\""
)
_NO_END = set("（〔［｛〈《「『【〘〖([{")
BULLET = "・"
# Lines that always start a paragraph: the heading of a direction's project list.
HEADINGS = ("【主な事業】",)
_PARAGRAPH_MARKS = set("【■□●◆○※・<＜")
_OFFICE_END = re.compile(r"(課|室|館|所|院|部|局|係|署|センター|委員会|事務局|事務所|園|校)$")


class GlyphLimitError(Exception):
    """A page draws more glyphs or shapes than a report's page could."""


class _Device(PDFPageAggregatorWithMarkedContent):
    """pdfplumber's page device, bounded, noting the outline stroke of synthetic bold."""

    max_glyphs = 30_000
    max_shapes = 50_000

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.render_mode = 0
        self.glyphs = 0
        self.shapes = 0

    def render_string(self, textstate, seq, ncs, graphicstate) -> None:
        """Remember the text render mode: 1, 2, 5 and 6 stroke the outline (fake bold)."""
        self.render_mode = textstate.render
        super().render_string(textstate, seq, ncs, graphicstate)

    def render_char(self, *args, **kwargs) -> float:
        """Count glyphs, and mark those drawn filled and stroked."""
        self.glyphs += 1
        if self.glyphs > self.max_glyphs:
            raise GlyphLimitError
        advance = super().render_char(*args, **kwargs)
        item = self.cur_item._objs[-1]
        if isinstance(item, LTChar):
            item.stroked = self.render_mode in (1, 2, 5, 6)
        return advance

    def paint_path(self, *args, **kwargs) -> None:
        """Count shapes: a page of a million rectangles is an attack, not a report."""
        self.shapes += 1
        if self.shapes > self.max_shapes:
            raise GlyphLimitError
        super().paint_path(*args, **kwargs)


class BoundedPage(Page):
    """A pdfplumber page read with the bounded, bold-aware device."""

    def __init__(self, pdf, page_obj, page_number: int) -> None:
        super().__init__(pdf, page_obj, page_number=page_number, initial_doctop=0)
        self.glyph_count = 0
        self._bounded_layout = None

    @property
    def layout(self):
        """The page's pdfminer layout, made once."""
        if self._bounded_layout is None:
            from pdfminer.pdfinterp import PDFPageInterpreter

            device = _Device(self.pdf.rsrcmgr, pageno=self.page_number, laparams=None)
            PDFPageInterpreter(self.pdf.rsrcmgr, device).process_page(self.page_obj)
            self._bounded_layout = device.get_result()
            self.glyph_count = device.glyphs
        return self._bounded_layout

    def process_object(self, obj):
        """pdfplumber's object, plus whether a glyph's outline was stroked."""
        attr = super().process_object(obj)
        if isinstance(obj, LTChar):
            attr["stroked"] = getattr(obj, "stroked", False)
        elif isinstance(obj, LTCurve):
            attr.setdefault("stroked", False)
        return attr


def page_chars(page) -> list[dict]:
    """The page's upright glyphs, with a ``bold`` flag."""
    out = []
    for char in page.chars:
        if not char.get("upright", True) or not char["text"]:
            continue
        font = str(char.get("fontname", "")).split("+", 1)[-1]
        char["bold"] = bool(char.get("stroked")) or bool(_BOLD_FONT.search(font))
        out.append(char)
    return out


@dataclass
class Line:
    """One line of a cell: its runs and where it starts and stops inside the cell."""

    runs: list[Run]
    x0: float  # distance from the cell's text start
    room: float  # space left before the cell's text end
    lead: float  # width of the line's first unbreakable piece
    size: float
    trailing: str = ""  # spaces after the last glyph: kept when the line wraps

    @property
    def text(self) -> str:
        """The line's text."""
        return "".join(run.text for run in self.runs)


@dataclass
class Cell:
    """A ruled cell and the lines inside it."""

    x0: float
    top: float
    x1: float
    bottom: float
    lines: list[Line] = field(default_factory=list)

    @property
    def plain(self) -> str:
        """The cell's text, lines joined."""
        return "".join(line.text for line in self.lines)


@dataclass
class _RawLine:
    chars: list[dict]
    top: float

    @property
    def text(self) -> str:
        return "".join(c["text"] for c in self.chars)


def lines_of(chars: list[dict]) -> list[_RawLine]:
    """Glyphs grouped into lines (by their top) and ordered left to right."""
    lines: list[_RawLine] = []
    for char in sorted(chars, key=lambda c: (round(c["top"], 1), c["x0"])):
        size = char.get("size") or (char["bottom"] - char["top"]) or 10
        if lines and abs(lines[-1].top - char["top"]) < size * 0.4:
            lines[-1].chars.append(char)
        else:
            lines.append(_RawLine([char], char["top"]))
    for line in lines:
        line.chars.sort(key=lambda c: c["x0"])
    return lines


def _lead(chars: list[dict]) -> float:
    """Width of the first piece a line break could not have split.

    Office programs keep punctuation with the character before it and an
    opening bracket with the one after, and do not break inside a run of
    Latin letters and digits nor between it and its neighbours.
    """
    if not chars:
        return 0.0
    end = 1
    while end < len(chars):
        text, last = chars[end]["text"], chars[end - 1]["text"]
        latin = (text.isascii() and text.strip()) or (last.isascii() and last.strip())
        if last in _NO_END or text in _NO_START or latin:
            end += 1
        else:
            break
    return chars[end - 1]["x1"] - chars[0]["x0"]


def _runs(chars: list[dict]) -> list[Run]:
    runs: list[Run] = []
    previous = None
    for char in chars:
        text = char["text"]
        gap = previous is not None and char["x0"] - previous["x1"] > char["size"] * 0.6
        if gap and text != " " and previous["text"] != " ":
            text = " " + text  # a gap the file drew without a space glyph
        bold = char["bold"] and bool(text.strip())
        if runs and runs[-1].bold == bold:
            runs[-1] = Run(runs[-1].text + text, bold)
        else:
            runs.append(Run(text, bold))
        previous = char
    return runs


def make_cell(bbox: tuple[float, float, float, float], chars: list[dict]) -> Cell:
    """The cell at ``bbox`` with the lines of the glyphs whose middle lies inside it."""
    x0, top, x1, bottom = bbox
    inside = [
        c
        for c in chars
        if x0 <= (c["x0"] + c["x1"]) / 2 <= x1 and top <= (c["top"] + c["bottom"]) / 2 <= bottom
    ]
    cell = Cell(x0, top, x1, bottom)
    raw = [line for line in lines_of(inside) if line.text.strip()]
    if not raw:
        return cell
    # Cells keep the same inner margin on both sides.
    pad = max(0.0, min(line.chars[0]["x0"] for line in raw) - x0)
    start, end = x0 + pad, x1 - pad
    for line in raw:
        chars = line.chars
        trailing = ""
        while chars and not chars[-1]["text"].strip():
            trailing = chars[-1]["text"] + trailing
            chars = chars[:-1]
        cell.lines.append(
            Line(
                runs=_runs(chars),
                x0=chars[0]["x0"] - start,
                room=end - chars[-1]["x1"],
                lead=_lead(chars),
                size=max(c["size"] for c in chars) or 10.0,
                trailing=trailing,
            )
        )
    return cell


def _latin(text: str) -> bool:
    return bool(text) and text.isascii() and text.isalnum()


def _wrapped(line: Line, following: Line) -> bool:
    """True when ``line`` ended only because the next piece did not fit.

    Between Latin and Japanese text, office programs add about a quarter em.
    """
    need = following.lead + line.size * 0.15
    if _latin(line.text[-1:]) != _latin(following.text[:1]):
        need += line.size * 0.25
    return line.room < need


def _ends_name(line: Line) -> bool:
    return bool(_OFFICE_END.search(line.text))


def blocks(lines: list[Line], *, names: bool = False) -> list[Block]:
    """A cell's paragraphs and list items, rebuilt from its lines.

    ``names``: the cell lists departments, one per paragraph, so a line
    ending in an office word (課, 室…) ends a name even when it fills the cell.
    """
    out: list[tuple[str, list[Run], int]] = []
    previous: Line | None = None
    for line in lines:
        runs = list(line.runs)
        if not runs:
            continue
        text = line.text.lstrip(" \u3000")
        # A 「・」 after a space that wrapped is the sentence going on, not a new item.
        runs_on = previous is not None and previous.trailing and _wrapped(previous, line)
        starts_item = text.startswith(BULLET) and line.x0 < line.size * 0.5 and not runs_on
        # After a finished sentence, a heading mark or 「・」 starts a new paragraph
        # even where the line before happened to fill the cell.
        heading = text.startswith(HEADINGS) or (
            previous is not None
            and not previous.trailing
            and previous.text.endswith("。")
            and text[:1] in _PARAGRAPH_MARKS
        )
        if previous is None or not out or starts_item or heading:
            out.append(("li" if starts_item else "p", runs, 1))
            previous = line
            continue
        kind, current, count = out[-1]
        hangs = line.x0 >= previous.size * 0.5
        wrapped = _wrapped(previous, line) and not (names and _ends_name(previous))
        if kind == "li" and hangs:
            current.append(Run(previous.trailing if wrapped else "\n", False))
            current.extend(runs)
            out[-1] = (kind, current, count + 1)
        elif wrapped and (kind == "p" or count == 1):
            # 「・」 text wrapping back to the margin is a paragraph, not a list item.
            current.append(Run(previous.trailing, False))
            current.extend(runs)
            out[-1] = ("p", current, count + 1)
        else:
            out.append(("p", runs, 1))
        previous = line
    return [Block(kind, _merged(runs)) for kind, runs, _count in out]


def _merged(runs: list[Run]) -> tuple[Run, ...]:
    """Runs of equal weight joined; spaces take the weight of the text after them."""
    merged: list[Run] = []
    pending = ""
    for run in runs:
        if not run.text.strip():
            pending += run.text
            continue
        text, pending = pending + run.text, ""
        if merged and merged[-1].bold == run.bold:
            merged[-1] = Run(merged[-1].text + text, run.bold)
        else:
            merged.append(Run(text, run.bold))
    if pending:
        merged.append(Run(pending, False))
    return tuple(merged)
