"""A PDF table cell's text rebuilt from its glyphs: lines, paragraphs, list items, bold.

A PDF keeps no paragraphs, only glyphs at positions. Within a cell, glyphs
on one baseline make a line. A line that stops short of the cell's right
edge, although the next line's first unbreakable piece (a character with the
punctuation that may not start a line, or a Latin word) would have fitted,
was ended on purpose: the next line starts a new paragraph (within a list
item, a line break). A line starting with 「・」 at the cell's left starts a
list item, whose wrapped lines hang under its text. Where a document leaves a
little more room above a paragraph than between its lines (the editor's own
PDF and Word file do, with their own gap for an item and for a line break),
the gaps say it instead, exactly. Where a page break cuts a paragraph,
LibreOffice sets its gap again on the next page (``Spacing.repeats``): there
a gap after a full line is the paragraph going on.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import pairwise

from pdfminer.layout import LTChar, LTCurve
from pdfplumber.page import Page, PDFPageAggregatorWithMarkedContent

from ...core.richtext import Block, Run
from ..table import layout

logger = logging.getLogger(__name__)

# A bold face named in the font: Bold, Gothic-Bold, HiraKakuPro-W6, Black, Heavy…
_BOLD_FONT = re.compile(r"bold|black|heavy|[-_ ,]?W(?:[6-9]|1[0-2])$", re.IGNORECASE)
_MINCHO_FONT = re.compile(r"mincho|minchou|明朝|serif|-?min(?:pro|std)?\b", re.IGNORECASE)
_GOTHIC_FONT = re.compile(r"gothic|goth|ゴシック|kaku|sans", re.IGNORECASE)
# Characters a Japanese line may not start with (they go with the one before).
_NO_START = set(
    "、。，．,.・：；？！ー～…‥々ゝゞ）〕］｝〉》」』】〙〗ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ)]}'\""
)
_NO_END = set("（〔［｛〈《「『【〘〖([{")
BULLET = "・"
# Lines that always start a paragraph: the heading of a direction's project list.
HEADINGS = ("【主な事業】",)
# What a gap beyond the line pitch (per point of size) starts, from the widest:
# half-way between the editor's own gaps (layout.GAPS: paragraph, item, line break).
_MARKS = {"para": "p", "item": "li", "break": "br"}
_WIDEST = sorted(layout.GAPS.items(), key=lambda item: item[1], reverse=True)
GAP_KINDS = tuple(
    ((gap + (_WIDEST[index + 1][1] if index + 1 < len(_WIDEST) else 0.0)) / 2, _MARKS[name])
    for index, (name, gap) in enumerate(_WIDEST)
)
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


def first_line(page) -> str:
    """The text of a page's top line of glyphs."""
    chars = [c for c in page.chars if c.get("text", "").strip()]
    if not chars:
        return ""
    top = min(c["top"] for c in chars)
    return "".join(c["text"] for c in sorted(chars, key=lambda c: c["x0"]) if c["top"] - top < 2)


def page_chars(page) -> list[dict]:
    """The page's upright glyphs, with a ``bold`` flag."""
    out = []
    for char in page.chars:
        if not char.get("upright", True) or not char["text"]:
            continue
        char["font"] = str(char.get("fontname", "")).split("+", 1)[-1]
        char["bold"] = bool(char.get("stroked")) or bool(_BOLD_FONT.search(char["font"]))
        out.append(char)
    # Japanese print sets emphasis in the ゴシック face of a 明朝 text (ＭＳ 明朝
    # has no bold): where the page's text is 明朝, its ゴシック glyphs are bold.
    faces = Counter(char["font"] for char in out if char["text"].strip())
    if faces and _MINCHO_FONT.search(faces.most_common(1)[0][0]):
        for char in out:
            char["bold"] = char["bold"] or bool(_GOTHIC_FONT.search(char["font"]))
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
    gap: float | None = None  # distance from the line above in the same cell, if any
    inset: float = 0.0  # the first line's distance from the cell's top, per point of size
    tail: float = 0.0  # width of the trailing spaces, drawn inside the room

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
    above: float | None = None
    for line in raw:
        chars = line.chars
        trailing = ""
        while chars and not chars[-1]["text"].strip():
            trailing = chars[-1]["text"] + trailing
            chars = chars[:-1]
        tail = max(0.0, line.chars[-1]["x1"] - chars[-1]["x1"]) if trailing else 0.0
        cell.lines.append(
            Line(
                runs=_runs(chars),
                x0=chars[0]["x0"] - start,
                room=end - chars[-1]["x1"],
                lead=_lead(chars),
                size=max(c["size"] for c in chars) or 10.0,
                trailing=trailing,
                tail=tail,
                gap=None if above is None else line.top - above,
                inset=(line.top - top) / (max(c["size"] for c in chars) or 10.0),
            )
        )
        above = line.top
    return cell


def _latin(text: str) -> bool:
    return bool(text) and text.isascii() and text.isalnum()


def _wrapped(line: Line, following: Line) -> bool:
    """True when ``line`` ended only because the next piece did not fit.

    Between Latin and Japanese text, office programs add about a quarter em.
    A space drawn at the end of the line took its part of the room.
    """
    need = following.lead + line.size * 0.15
    if _latin(line.text[-1:]) != _latin(following.text[:1]):
        need += line.size * 0.25
    return line.room - line.tail < need


def _ends_name(line: Line) -> bool:
    return bool(_OFFICE_END.search(line.text))


def name_goes_on(before: list[Line], after: list[Line]) -> bool:
    """True when a department cell's last line wrapped into ``after``'s first line:
    it fills the cell and does not end like an office's name, and the two together do."""
    if not before or not after:
        return False
    last, first = before[-1], after[0]
    joined = (last.text + first.text).strip()
    return not _ends_name(last) and _wrapped(last, first) and bool(_OFFICE_END.search(joined))


@dataclass(frozen=True)
class Spacing:
    """How a document sets the lines of its cells."""

    pitch: float  # from one line to the next within a paragraph, per point of size
    spaced: bool  # paragraphs have a little more room than lines
    kinds: bool = False  # items, paragraphs and line breaks each have their own gap
    inset: float = 0.0  # usual room above a cell's first line, per point of size
    # A paragraph that a page break cuts has its space above again on the next
    # page (LibreOffice); otherwise a gap there says a paragraph starts.
    repeats: bool = False


def spacing(lines: list[Line]) -> Spacing:
    """The document's line pitch, and whether it spaces its paragraphs."""
    steps = Counter(round(line.gap / line.size, 2) for line in lines if line.gap and line.size)
    if not steps:
        return Spacing(1.0, spaced=False)
    # The pitch is the least step that is common, not the commonest: in a
    # column of one-line items, the spaced steps outnumber the plain ones.
    common = max(3, steps.total() // 10)
    pitch = min(
        (step for step, count in steps.items() if count >= common),
        default=steps.most_common(1)[0][0],
    )
    # A gap of a fraction of a line more than the pitch is a spaced paragraph;
    # whole multiples of the pitch are empty lines.
    marks = Counter(gap_kind(_extra(step, pitch)) for step in steps.elements())
    least = max(3, steps.total() // 50)
    spaced = marks["p"] + marks["li"] >= least
    kinds = spaced and min(marks["p"], marks["li"]) >= least
    insets = [line.inset for line in lines if line.gap is None and line.size]
    return Spacing(pitch, spaced, kinds, min(insets, default=0.0))


_SENTENCE_END = set("。．.!！?？」』）)】")


def repeats_gaps(cells: Iterable[list[Line]], spacing: Spacing) -> bool:
    """Whether the document sets a paragraph's space above again where a page
    break cuts it: some line opening a page within a cell has a gap, though
    the line before it plainly stopped in mid-sentence. LibreOffice does so;
    the editor's own PDF keeps a gap there only where a paragraph starts."""
    for lines in cells:
        for before, line in pairwise(lines):
            if line.gap is not None or not gap_kind(line.inset - spacing.inset):
                continue
            full = before.room - before.tail < before.size * 0.25
            opens = line.text.lstrip(" \u3000")[:1] in _PARAGRAPH_MARKS
            if full and before.text[-1:] not in _SENTENCE_END and not opens:
                return True
    return False


def _extra(step: float, pitch: float) -> float:
    """What a gap has beyond a whole number of line pitches."""
    whole = max(1, int((step + 0.08) / pitch))
    return step - whole * pitch


def fit_column(lines: list[Line]) -> None:
    """Measure the lines' room against the column's true text end.

    The room of a line is first measured from the right edge, with the cell's
    left margin; a writer that keeps more room on the right (the editor keeps
    one character for the punctuation that hangs) shows it in its fullest
    lines. At most one character is taken off, so a column of short texts
    does not read as all full.
    """
    kept = [line.room for line in lines if line.text and line.text[-1] not in _NO_START]
    if not kept:
        return
    slack = min(max(0.0, min(kept)), max(line.size for line in lines))
    for line in lines:
        line.room -= slack


def gap_kind(extra: float) -> str:
    """What a gap beyond the line pitch (per point of size) marks: "p", "li", "br" or ""."""
    return next((kind for least, kind in GAP_KINDS if extra >= least), "")


def _spaced_blocks(lines: list[Line], spacing: Spacing) -> list[Block]:
    """Blocks where paragraphs are spaced: the gap above a line says what starts there."""
    out: list[tuple[str, list[Run]]] = []
    flat: list[bool] = []  # per block: a line of it came back to the margin
    previous: Line | None = None
    own = ""  # the gap above the paragraph (or broken line) the last line is part of
    for line in lines:
        runs = list(line.runs)
        if not runs:
            continue
        text = line.text.lstrip(" \u3000")
        starts_item = text.startswith(BULLET) and line.x0 < line.size * 0.5
        if line.gap is None:
            # The first line of a cell: on a later page, the room above it
            # beyond the cell's usual margin tells whether a block starts.
            mark = "p" if previous is None else gap_kind(line.inset - spacing.inset)
            if previous is None:
                own = gap_kind(line.inset - spacing.inset)
            elif spacing.repeats and mark == own and _wrapped(previous, line):
                # The same gap as the paragraph's own, after a full line, is
                # the paragraph going on where the document repeats gaps.
                mark = ""
        else:
            mark = gap_kind(_extra(line.gap / line.size, spacing.pitch))
        if previous is not None and mark:
            own = mark
        if not spacing.kinds and mark in ("p", "li"):
            mark = "p"  # items are not told by their gap: by their 「・」
        if previous is None or not out or mark in ("p", "li"):
            by_gap = spacing.kinds and previous is not None
            kind = mark if by_gap else ("li" if starts_item else "p")
            if previous is None and starts_item and spacing.kinds:
                # The editor sets a 「・」 paragraph that opens a cell a hair lower.
                kind = "p" if gap_kind(line.inset - spacing.inset) else "li"
            out.append((kind, runs))
            flat.append(False)
        elif mark == "br" or not (spacing.kinds or _wrapped(previous, line)):
            # Where line breaks have their own gap, a line without one wrapped.
            breaks = 1
            if line.gap is not None:
                breaks = max(1, int((line.gap / line.size + 0.08) / spacing.pitch))
            out[-1][1].extend([Run("\n" * breaks, False), *runs])
        else:
            out[-1][1].extend([Run(previous.trailing, False), *runs])
            if line.x0 < line.size * 0.5:
                flat[-1] = True  # a 「・」 paragraph whose lines wrap back to the margin
        previous = line
    return [
        Block("p" if kept else kind, _merged(runs))
        for (kind, runs), kept in zip(out, flat, strict=True)
    ]


def blocks(
    lines: list[Line], *, names: bool = False, spacing: Spacing | None = None
) -> list[Block]:
    """A cell's paragraphs and list items, rebuilt from its lines.

    ``names``: the cell lists departments, one per paragraph, so a line
    ending in an office word (課, 室…) ends a name even when it fills the cell.
    ``spacing``: how the document sets its lines; where it spaces its
    paragraphs, the gaps tell paragraphs from line breaks.
    """
    if spacing is not None and spacing.spaced:
        return _spaced_blocks(lines, spacing)
    out: list[tuple[str, list[Run], int]] = []
    previous: Line | None = None
    for line in lines:
        runs = list(line.runs)
        if not runs:
            continue
        text = line.text.lstrip(" \u3000")
        # A 「・」 after a space that wrapped is the sentence going on, not a new
        # item; so is a line that starts with the space the line before pushed on.
        pushed = previous is not None and line.text[:1] == " "
        runs_on = pushed or (
            previous is not None and previous.trailing and _wrapped(previous, line)
        )
        starts_item = text.startswith(BULLET) and line.x0 < line.size * 0.5 and not runs_on
        # After a finished sentence, a heading mark or 「・」 starts a new paragraph
        # even where the line before happened to fill the cell.
        heading = not pushed and (
            text.startswith(HEADINGS)
            or (
                previous is not None
                and not previous.trailing
                and previous.text.endswith("。")
                and text[:1] in _PARAGRAPH_MARKS
            )
        )
        if previous is None or not out or starts_item or heading:
            out.append(("li" if starts_item else "p", runs, 1))
            previous = line
            continue
        kind, current, count = out[-1]
        hangs = line.x0 >= previous.size * 0.5
        wrapped = pushed or (_wrapped(previous, line) and not (names and _ends_name(previous)))
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
    # A one-line 「・」 block prints alike as an item or a paragraph: it takes the
    # kind its cell's longer 「・」 blocks show by how their lines wrap.
    bullets = [
        index
        for index, (_kind, runs, _count) in enumerate(out)
        if "".join(run.text for run in runs).lstrip(" \u3000").startswith(BULLET)
    ]
    shown = {out[index][0] for index in bullets if out[index][2] > 1}
    if len(shown) == 1:
        kind = shown.pop()
        for index in bullets:
            out[index] = (kind, *out[index][1:])
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
