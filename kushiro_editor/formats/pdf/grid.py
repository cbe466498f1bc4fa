"""Where a PDF page's table cells are: by its rules, by its text, across pages.

Most tables rule every cell, and pdfplumber finds the cells by those lines.
A common Word table style rules only rows (no vertical lines), or draws only
the frame; there each column is found where the header names it and where
the lines of the body start: text in a cell starts at the cell's edge plus
the same inner margin the table's first column keeps. Without a rule between
two cells, a row's text that runs across a column's edge shows a cell merged
across it (a goal's heading, 「進捗報告」 over the two year columns).

A sheet wider than the paper prints as pages side by side: the left columns
on one page, the right ones on the next, the same rows at the same heights.
Such pages are joined again into one before the table is read (``join``).
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field
from itertools import pairwise

from ...core.model import circled_value
from ..table import columns as table_columns
from ..table.columns import PROGRESS_WORDS
from ..table.header import role_of
from . import cells as pdf_cells

logger = logging.getLogger(__name__)

Box = tuple[float, float, float, float]
# Glyph keys the cells are rebuilt from: a sheet kept for joining holds no more.
_CHAR_KEYS = ("text", "x0", "x1", "top", "bottom", "size", "bold")


@dataclass
class Sheet:
    """A page's table before it is read: its cells' boxes and the page's glyphs."""

    boxes: list[Box]
    chars: list[dict]
    bbox: Box
    # Column edges found from the text, where the table draws no rule.
    unruled: list[float] = field(default_factory=list)
    pad: float = 0.0  # the cells' inner margin, where it was measured

    def slim(self) -> Sheet:
        """The sheet with only what reading its cells needs (kept while a page waits)."""
        chars = [{key: char.get(key) for key in _CHAR_KEYS} for char in self.chars]
        return Sheet(self.boxes, chars, self.bbox, self.unruled, self.pad)


def ruled(page, chars: list[dict]) -> Sheet | None:
    """The table pdfplumber finds by the page's ruling, if any."""
    settings = {"vertical_strategy": "lines", "horizontal_strategy": "lines"}
    tables = [t for t in page.find_tables(settings) if len(t.cells) >= 2]
    if not tables:
        return None
    table = max(tables, key=lambda t: (t.bbox[2] - t.bbox[0]) * (t.bbox[3] - t.bbox[1]))
    return Sheet(list(table.cells), chars, table.bbox)


# -- a table ruled only across ----------------------------------------------------
def _rules(page) -> list[dict]:
    """The page's horizontal rules, pieces drawn cell by cell joined into lines."""
    from pdfplumber.table import merge_edges

    edges = [e for e in page.edges if e["orientation"] == "h"]
    return [e for e in merge_edges(edges, 3, 3, 3, 3) if e["x1"] - e["x0"] > 20]


def _verticals(page, top: float, bottom: float) -> list[float]:
    """Where the page rules a column's edge: vertical lines down most of the table.

    Shaded cells (the header's, a goal's row) have edges too, but only as
    high as their row.
    """
    from pdfplumber.table import merge_edges

    edges = [e for e in page.edges if e["orientation"] == "v"]
    lengths: dict[float, float] = {}
    for edge in merge_edges(edges, 3, 3, 3, 3):
        length = min(edge["bottom"], bottom) - max(edge["top"], top)
        if length > 0:
            x = next((k for k in lengths if abs(k - edge["x0"]) < 1.5), edge["x0"])
            lengths[x] = lengths.get(x, 0.0) + length
    return [x for x, length in lengths.items() if length >= (bottom - top) / 2]


def _words(chars: list[dict]) -> list[tuple[float, float, str]]:
    """(x0, x1, text) of the runs of text a wide gap parts, line by line."""
    out = []
    for line in pdf_cells.lines_of(chars):
        start = line.chars[0]
        previous = start
        text = ""
        for char in line.chars:
            size = char.get("size") or 10
            if text and char["x0"] - previous["x1"] > size * 0.8:
                out.append((start["x0"], previous["x1"], text))
                start, text = char, ""
            if char["text"].strip():
                text += char["text"]
            previous = char
        if text:
            out.append((start["x0"], previous["x1"], text))
    return out


def _headings(bands: list[list[dict]]) -> tuple[dict[str, tuple[float, float]], float] | None:
    """Each headed column's heading extent, and the foot of the header's bands."""
    found: dict[str, tuple[float, float]] = {}
    foot = None
    for band, bottom in bands[:3]:
        words = [(x0, x1, text) for x0, x1, text in _words(band) if text]
        if not words or any(
            len(t) > 40 or "。" in t or t.startswith("【") or circled_value(t[:1])
            for _x0, _x1, t in words
        ):
            break
        hits = {}
        for x0, x1, text in words:
            role = role_of(text)
            if role is not None:
                hits.setdefault(role, (x0, x1))
        if not hits and all(any(w in t for w in PROGRESS_WORDS) for _x0, _x1, t in words):
            foot = bottom  # 「進捗報告」 alone, over the year columns
            continue
        if not hits or hits.keys() <= found.keys():
            break
        for role, extent in hits.items():
            found.setdefault(role, extent)
        foot = bottom
    if not found or foot is None:
        return None
    return found, foot


def _starts(chars: list[dict]) -> list[float]:
    """Where the body's pieces of text start: a line's start and after a wide gap."""
    out = []
    for line in pdf_cells.lines_of(chars):
        previous = None
        for char in line.chars:
            if not char["text"].strip():
                continue
            size = char.get("size") or 10
            if previous is None or char["x0"] - previous["x1"] > size * 0.3:
                out.append(char["x0"])
            previous = char
    return out


def _unbroken(glyphs: list[dict], start: float) -> list[dict]:
    """The glyphs of lines that start at the first column's text and run on without a
    break: rows across the table (and the first column's own lines)."""
    out = []
    for line in pdf_cells.lines_of(glyphs):
        chars = line.chars
        if abs(chars[0]["x0"] - start) > 1.0:
            continue
        gaps = [b["x0"] - a["x1"] for a, b in pairwise(chars)]
        if all(gap < (a.get("size") or 10) * 0.3 for gap, a in zip(gaps, chars, strict=False)):
            out.extend(chars)
    return out


def _column_start(starts: list[float], body: list[dict], low: float, high: float) -> float | None:
    """The leftmost x in [low, high] where lines start with nothing just before it.

    A column's text starts at its edge on every line; a line of the column
    before may have a piece starting after a space, but its other lines'
    glyphs stand just left of it, while before a column's edge lies the empty
    margin between the cells. The 「・」 items' hanging lines start a
    character in, after the items' first glyphs, so they are passed over too.
    ``body``: the glyphs, without the rows across the table.
    """
    counts = Counter(round(x, 1) for x in starts if low <= x <= high)
    for x in sorted(counts):
        near = [y for y in counts if abs(y - x) <= 1.0]
        edge = min(near)
        before = sum(1 for c in body if c["x0"] < edge - 1.0 < c["x1"])
        after = sum(1 for c in body if c["x0"] <= edge + 0.5 < c["x1"])
        if before * 2 < after:
            return edge
    return None


def aligned(
    page, chars: list[dict], known: tuple[list[float], float] | None = None
) -> Sheet | None:
    """The table found from its horizontal rules and where its columns' text stands.

    ``known``: the column edges and the cells' margin of an earlier page of
    the table.
    """
    rules = _rules(page)
    if len(rules) < 2:
        return None
    widest = max(rules, key=lambda e: e["x1"] - e["x0"])
    x0, x1 = widest["x0"], widest["x1"]
    across = sorted({e["top"] for e in rules if e["x0"] <= x0 + 3 and e["x1"] >= x1 - 3})
    if len(across) < 2:
        return None
    top, bottom = across[0], across[-1]
    bands = [
        (
            [
                c
                for c in chars
                if upper < (c["top"] + c["bottom"]) / 2 < lower and x0 <= c["x0"] <= x1
            ],
            lower,
        )
        for upper, lower in pairwise(across)
    ]
    drawn = [x for x in _verticals(page, top, bottom) if x0 + 3 < x < x1 - 3]
    header = _headings(bands)
    body = [c for c in chars if x0 <= c["x0"] <= x1 and top < c["top"] < bottom]
    edges: list[float] = []
    pad = 0.0
    whole = header is not None and all(c.role in header[0] for c in table_columns.declared())
    if known and (header is None or whole):
        # The columns of an earlier page of the same table: a page with few
        # lines shows them less surely than the page that gave them.
        edges = [
            x for x in known[0] if x0 + 3 < x < x1 - 3 and not any(abs(x - d) < 3 for d in drawn)
        ]
        pad = known[1]
    elif header is not None:
        found, foot = header
        glyphs = [c for c in body if c["top"] > foot and c["text"].strip()]
        starts = _starts(glyphs)
        heads = [found[c.role] for c in table_columns.declared() if c.role in found]
        first = [x for x in starts if x0 <= x <= heads[0][0] + 1]
        pad = max(0.0, min(first, default=x0) - x0)
        across = {id(c) for c in _unbroken(glyphs, x0 + pad)}
        columned = [c for c in glyphs if id(c) not in across]
        for before, head in pairwise(heads):
            if any(before[1] < x < head[0] + 1 for x in drawn):
                continue  # the table rules this edge: the lines strategy finds it
            start = _column_start(starts, columned, before[1], head[0] + 1)
            if start is None:
                return None
            edges.append(start - pad)
    else:
        return None
    lines = [
        {
            "object_type": "line",
            "x0": x,
            "x1": x,
            "top": top,
            "bottom": bottom,
            "width": 0,
            "height": bottom - top,
        }
        for x in (x0, *edges, x1)
    ]
    settings = {
        "vertical_strategy": "lines",
        "horizontal_strategy": "lines",
        "explicit_vertical_lines": lines,
    }
    tables = [t for t in page.find_tables(settings) if len(t.cells) >= 2]
    if not tables:
        return None
    table = max(tables, key=lambda t: (t.bbox[2] - t.bbox[0]) * (t.bbox[3] - t.bbox[1]))
    sheet = Sheet(list(table.cells), chars, table.bbox, edges, pad)
    sheet.boxes = merged(sheet.boxes, chars, edges, pad)
    return sheet


def _crosses(chars: list[dict], edge: float, pad: float) -> bool:
    """True when a line of text runs across ``edge``: no cell's margin parts it there."""
    for line in pdf_cells.lines_of(chars):
        glyphs = [c for c in line.chars if c["text"].strip()]
        for char in glyphs:
            if char["x0"] < edge - 0.5 and char["x1"] > edge + 0.5:
                return True
        for before, after in pairwise(glyphs):
            straddles = before["x1"] <= edge + 0.5 and after["x0"] >= edge - 0.5
            if straddles and after["x0"] - before["x1"] < max(pad, 1.0):
                return True
    return False


def merged(boxes: list[Box], chars: list[dict], edges: list[float], pad: float) -> list[Box]:
    """Cells on both sides of an unruled edge joined where a row's text runs across it.

    A row whose text starts in the first column and runs across, beside cells
    that hold nothing, is a row across the table (a goal's or direction's).
    """
    if not edges:
        return boxes
    bands: dict[tuple[float, float], list[Box]] = {}
    for box in boxes:
        key = next(
            (k for k in bands if abs(k[0] - box[1]) < 1 and abs(k[1] - box[3]) < 1),
            (box[1], box[3]),
        )
        bands.setdefault(key, []).append(box)
    out: list[Box] = []
    for (top, bottom), row in bands.items():
        row.sort(key=lambda b: b[0])
        inside = [c for c in chars if top < (c["top"] + c["bottom"]) / 2 < bottom]
        joined: list[Box] = [row[0]]
        spans = [False]
        for box in row[1:]:
            last = joined[-1]
            edge = next((e for e in edges if abs(e - box[0]) < 1 and abs(e - last[2]) < 1), None)
            if edge is not None and _crosses(inside, edge, pad):
                joined[-1] = (last[0], top, box[2], bottom)
                spans[-1] = True
            else:
                joined.append(box)
                spans.append(False)
        if len(joined) > 1 and spans[0]:
            rest = [
                c for c in inside if joined[1][0] <= (c["x0"] + c["x1"]) / 2 and c["text"].strip()
            ]
            if not rest:
                joined = [(joined[0][0], top, joined[-1][2], bottom)]
        out.extend(joined)
    return out


# -- a sheet printed across pages ---------------------------------------------------
def join(sheets: list[Sheet]) -> Sheet | None:
    """Pages that each print some of the columns, as one sheet (None: their rows differ).

    Each page is moved to where its table meets the page before; a glyph is
    the page's whose part of the table it stands in (a text run across the
    cut is drawn on both, each clipping the other's part).
    """
    base = sheets[0]
    rows = _row_edges(base)
    boxes = list(base.boxes)
    chars = [c for c in base.chars if (c["x0"] + c["x1"]) / 2 < base.bbox[2]]
    edges = list(base.unruled)
    seams = []
    right = base.bbox[2]
    for sheet in sheets[1:]:
        if not _rows_meet(rows, _row_edges(sheet)):
            return None
        dx = right - sheet.bbox[0]
        seams.append(right)
        boxes += [(b[0] + dx, b[1], b[2] + dx, b[3]) for b in sheet.boxes]
        chars += [
            {**c, "x0": c["x0"] + dx, "x1": c["x1"] + dx}
            for c in sheet.chars
            if (c["x0"] + c["x1"]) / 2 >= sheet.bbox[0]
            and (len(seams) == len(sheets) - 1 or (c["x0"] + c["x1"]) / 2 < sheet.bbox[2])
        ]
        edges += [e + dx for e in sheet.unruled]
        right = sheet.bbox[2] + dx
    bbox = (base.bbox[0], base.bbox[1], right, base.bbox[3])
    pad = max((s.pad for s in sheets), default=0.0) or _pad(base)
    boxes = _whole_rows(boxes, seams, [s.bbox for s in sheets])
    return Sheet(merged(boxes, chars, [*edges, *seams], pad), chars, bbox, edges, pad)


def _pad(sheet: Sheet) -> float:
    inside = [c["x0"] for c in sheet.chars if 0 <= c["x0"] - sheet.bbox[0] < 30]
    return max(0.0, min(inside, default=sheet.bbox[0]) - sheet.bbox[0])


def _row_edges(sheet: Sheet) -> list[float]:
    """The heights at which the sheet's rows start and end."""
    out: list[float] = []
    for value in sorted({round(v, 1) for box in sheet.boxes for v in (box[1], box[3])}):
        if not out or value - out[-1] > 1.5:
            out.append(value)
    return out


def _rows_meet(one: list[float], other: list[float]) -> bool:
    """True when two parts of a print have the same rows: every rule of one at the
    height of one of the other's, but inside the header, whose upper row may
    be divided on one part only (「進捗報告」 over the year columns)."""
    common = [y for y in one if any(abs(y - z) <= 1.5 for z in other)]
    if len(common) < 2:
        return False
    upper, foot = common[0], common[1]
    alone = [y for y in one if y not in common] + [
        z for z in other if not any(abs(y - z) <= 1.5 for y in one)
    ]
    return all(upper < y < foot for y in alone)


def _whole_rows(boxes: list[Box], seams: list[float], parts: list[Box]) -> list[Box]:
    """A row that is one cell across every page's part is one cell across the table:
    a merged cell's rule is not drawn at the cut, and its text may end before it."""
    widths = [part[2] - part[0] for part in parts]
    by_row: dict[tuple[float, float], list[Box]] = {}
    for box in boxes:
        key = next(
            (k for k in by_row if abs(k[0] - box[1]) < 1 and abs(k[1] - box[3]) < 1),
            (box[1], box[3]),
        )
        by_row.setdefault(key, []).append(box)
    out: list[Box] = []
    for (top, bottom), row in by_row.items():
        row.sort(key=lambda b: b[0])
        whole = len(row) == len(parts) and all(
            abs((box[2] - box[0]) - width) < 2 for box, width in zip(row, widths, strict=True)
        )
        if whole and seams:
            out.append((row[0][0], top, row[-1][2], bottom))
        else:
            out.extend(row)
    return out


class Parts:
    """Pages that each print some of the columns, joined once the rest have come.

    A sheet wider than the paper prints its left columns on one page and the
    right ones on the next (Excel's 「左から右」 page order); each such run of
    pages is one page of the table. In any other order, or where the pages'
    rows do not meet, ``failed`` says the table cannot be put together.
    """

    def __init__(self, read) -> None:
        self.read = read  # a sheet's table (``reader.read_sheet``)
        self.waiting: list[tuple[int, object]] = []
        self.failed = False
        self.joined_page = 0

    def add(self, number: int, table):
        """Take a page; the joined table once its run of pages is whole."""
        order = [column.role for column in table_columns.declared()]
        if self.waiting:
            before = self.waiting[-1][1].part
            if order.index(table.part[0]) != order.index(before[-1]) + 1:
                self.failed = True
                self.waiting = []
        if not self.waiting and table.part[0] != order[0]:
            self.failed = True
            return None
        self.waiting.append((number, table))
        if table.part[-1] != order[-1]:
            return None
        run, self.waiting = self.waiting, []
        sheet = join([part.sheet for _number, part in run])
        joined = self.read(sheet) if sheet is not None else None
        if joined is None or joined.columns is None:
            logger.info("pages %s print parts of a table that do not meet", [n for n, _t in run])
            self.failed = True
            return None
        self.joined_page = run[0][0]
        return joined
