"""Word (.docx) with tracked changes: the report as it is, marked against an earlier one.

The table is the writer's own; where a text differs from the same place in
the earlier report (last year's, or a snapshot), the cell's paragraphs are
written again with Word's revision marks, so that the review pane lists what
changed and accepting every change leaves the current report:

- the paragraphs of a cell are aligned first (a line that is new is one
  inserted paragraph, a line gone one deleted paragraph, its mark deleted
  too), then a paragraph kept is compared by characters (``core.diff``), each
  character keeping the bold of its side: inserted text in ``w:ins``, deleted
  text in ``w:del`` with ``w:delText``, a kept text whose bold changed with
  its old properties in ``w:rPrChange``, a paragraph whose style changed (made
  a list item) with its old style in ``w:pPrChange``; a cell's last paragraph
  mark cannot be deleted, so when a cell's last lines are gone the last line
  kept gives up its mark instead;
- a row that is new is marked inserted (``w:trPr/w:ins``), a row that is gone
  is written where it stood, deleted (``w:trPr/w:del``) with its text in
  ``w:del``.

Places are matched by ``core.counterparts``. The title and the header rows
are the year's and are not marked.
"""

from __future__ import annotations

import copy
import itertools
import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime
from difflib import SequenceMatcher
from pathlib import Path

from lxml import etree

from ...core import counterparts, diff, richtext
from ...core.model import Report
from ...core.richtext import Block, Run
from ..files import write_atomically
from ..table import columns, layout
from ..table.layout import ExportOptions
from . import writer
from .writer import el, w

logger = logging.getLogger(__name__)

# Two lines of a cell this alike are the same line changed; less alike, one
# line deleted and another inserted, which reads better than a rewrite
# spelled out character by character.
SAME_LINE = 0.5

Line = tuple[str, tuple[Run, ...]]  # (paragraph style, runs), as writer.cell_lines gives


@dataclass
class Marks:
    """Who made the changes and when, and the next revision id (unique in the file)."""

    author: str
    date: str
    _ids: itertools.count = field(default_factory=lambda: itertools.count(1))

    def attrs(self) -> dict[str, str]:
        """The attributes of one revision mark."""
        return {"id": str(next(self._ids)), "author": self.author, "date": self.date}

    def mark(self, tag: str) -> etree._Element:
        """An empty ``w:ins`` or ``w:del`` (of a paragraph mark or a row)."""
        return el(tag, self.attrs())


def timestamp(when: datetime | None = None) -> str:
    """A revision date as Word writes it: ISO 8601 in UTC, to the second."""
    when = (when or datetime.now(UTC)).astimezone(UTC)
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")


# -- one cell -------------------------------------------------------------------------
def _chars(runs: tuple[Run, ...]) -> list[tuple[str, bool]]:
    return [(char, run.bold) for run in runs for char in richtext.clean_text(run.text)]


def _text(runs: tuple[Run, ...]) -> str:
    return "".join(richtext.clean_text(run.text) for run in runs)


def _groups(chars: list[tuple[str, str, bool, bool]]):
    """Consecutive characters of the same (op, bold, old bold): (op, text, bold, old bold)."""
    for (op, bold, old_bold), group in itertools.groupby(chars, key=lambda c: (c[1], c[2], c[3])):
        yield op, "".join(c[0] for c in group), bold, old_bold


def _spans(old: str, new: str) -> list[diff.Span]:
    """``diff.compare``'s spans, a lone kept character folded only between two changes.

    At the end of a change it would make 「水産課」→「水産振興課」 a rewrite of 「課」
    instead of the two characters put in.
    """
    matcher = SequenceMatcher(None, old, new, autojunk=False)
    raw = [diff.Span(op, old[a1:a2], new[b1:b2]) for op, a1, a2, b1, b2 in matcher.get_opcodes()]
    spans: list[diff.Span] = []
    for number, span in enumerate(raw):
        between = 0 < number < len(raw) - 1 and len(span.old) <= diff.MERGE_GAP
        if span.op == "equal" and not between:
            spans.append(span)
            continue
        if spans and spans[-1].op != "equal":
            last = spans.pop()
            span = diff.Span("replace", last.old + span.old, last.new + span.new)
        spans.append(span)
    return spans


def _tracked_runs(old: tuple[Run, ...], new: tuple[Run, ...]) -> list[tuple[str, str, bool, bool]]:
    """The characters of a changed line: (char, "equal"/"insert"/"delete", bold, old bold)."""
    old_chars, new_chars = _chars(old), _chars(new)
    out: list[tuple[str, str, bool, bool]] = []
    at_old = at_new = 0
    for span in _spans(_text(old), _text(new)):
        olds = old_chars[at_old : at_old + len(span.old)]
        news = new_chars[at_new : at_new + len(span.new)]
        at_old += len(span.old)
        at_new += len(span.new)
        if span.op == "equal":
            out += [(c, "equal", b, ob) for (c, b), (_c, ob) in zip(news, olds, strict=True)]
            continue
        out += [(c, "delete", b, b) for c, b in olds]
        out += [(c, "insert", b, b) for c, b in news]
    return out


def _run_in(parent: etree._Element, op: str, text: str, bold: bool, old_bold: bool, marks: Marks):
    """Append ``text`` to ``parent`` as a plain, inserted or deleted run."""
    if op == "equal" and bold == old_bold:
        writer.text_runs(parent, text, bold)
        return
    if op == "equal":
        # The same words, made bold or plain: the old properties kept for the review pane.
        writer.text_runs(parent, text, bold)
        run = parent[-1]
        rpr = run.find(w("rPr"))
        if rpr is None:
            rpr = el("rPr")
            run.insert(0, rpr)
        old = el("rPr", None, el("b"), el("bCs")) if old_bold else el("rPr")
        rpr.append(el("rPrChange", marks.attrs(), old))
        return
    tag = w("ins" if op == "insert" else "del")
    # Runs changed together (a word and its bold part) are one change in the review pane.
    wrapper = parent[-1] if len(parent) and parent[-1].tag == tag else None
    if wrapper is None:
        wrapper = marks.mark(etree.QName(tag).localname)
        parent.append(wrapper)
    writer.text_runs(wrapper, text, bold)
    if op == "delete":
        for t in wrapper.iter(w("t")):
            t.tag = w("delText")


def _tracked_paragraph(style: str, chars, marks: Marks) -> etree._Element:
    """A paragraph of tracked characters (its mark is marked by the cell)."""
    p = writer.paragraph(style)
    for op, text, bold, old_bold in _groups(chars):
        _run_in(p, op, text, bold, old_bold, marks)
    return p


def _whole(runs: tuple[Run, ...], op: str) -> list[tuple[str, str, bool, bool]]:
    return [(c, op, b, b) for c, b in _chars(runs)]


def _alike(old: str, new: str) -> bool:
    """Two lines alike enough to be one line changed (``diff.similarity`` ≥ SAME_LINE)."""
    if not old and not new:
        return True
    matcher = SequenceMatcher(None, old, new, autojunk=False)
    # quick_ratio is never below ratio: most pairs are told apart without the full count.
    return matcher.real_quick_ratio() >= SAME_LINE and (
        matcher.quick_ratio() >= SAME_LINE and matcher.ratio() >= SAME_LINE
    )


def _aligned(old: list[Line], new: list[Line]):
    """The lines of a cell paired: (old line or None, new line or None), in order."""
    keys_old = [(style, _text(runs)) for style, runs in old]
    keys_new = [(style, _text(runs)) for style, runs in new]
    matcher = SequenceMatcher(None, keys_old, keys_new, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            yield from zip(old[a1:a2], new[b1:b2], strict=True)
            continue
        at = a1
        for line in new[b1:b2]:
            similar = next(
                (k for k in range(at, a2) if _alike(keys_old[k][1], _text(line[1]))),
                None,
            )
            if similar is None:
                yield None, line
                continue
            for gone in old[at:similar]:
                yield gone, None
            yield old[similar], line
            at = similar + 1
        for gone in old[at:a2]:
            yield gone, None


def tracked_cell(
    old_pieces: list[tuple[str, Block]],
    new_pieces: list[tuple[str, Block]],
    size: float,
    marks: Marks,
) -> list[etree._Element]:
    """A cell's paragraphs marked against the earlier cell's."""
    new = writer.cell_lines(new_pieces)
    old = writer.cell_lines(old_pieces)
    out: list[tuple[etree._Element, str]] = []  # (paragraph, "del"/"ins"/"")
    for before, now in _aligned(old, new):
        if now is None:
            out.append((_tracked_paragraph(before[0], _whole(before[1], "delete"), marks), "del"))
        elif before is None:
            out.append((_tracked_paragraph(now[0], _whole(now[1], "insert"), marks), "ins"))
        else:
            paragraph = _tracked_paragraph(now[0], _tracked_runs(before[1], now[1]), marks)
            if before[0] != now[0]:
                # A paragraph made a list item (or back): its old style for the review pane.
                old_style = el("pPr", None, el("pStyle", {"val": before[0]}))
                paragraph.find(w("pPr")).append(el("pPrChange", marks.attrs(), old_style))
            out.append((paragraph, ""))
    if new_pieces:
        top = writer.first_gap(new_pieces, size)
        out[0][0].find(w("pPr")).insert(1, el("spacing", {"before": str(top)}))
    survivors = [index for index, (_p, state) in enumerate(out) if state != "del"]
    if not survivors:
        # Every line gone: the cell still ends in a paragraph, which stays.
        out.append((writer.paragraph("KRBody"), ""))
    elif survivors[-1] != len(out) - 1:
        # The last lines are gone, but a cell's last paragraph mark cannot be: the
        # last line that stays gives up its mark instead and the cell's end takes
        # its properties, so that accepting leaves that line as it is.
        last_kept = out[survivors[-1]][0]
        properties = copy.deepcopy(last_kept.find(w("pPr")))
        for change in properties.iter(w("pPrChange")):
            change.set(w("id"), marks.attrs()["id"])  # ids stay unique in the copy
        out[-1][0].replace(out[-1][0].find(w("pPr")), properties)
        out[survivors[-1]] = (last_kept, "del")
    paragraphs = []
    for number, (p, state) in enumerate(out):
        if state and number < len(out) - 1:
            ppr = p.find(w("pPr"))
            mark = el("rPr", None, marks.mark(state))
            change = ppr.find(w("pPrChange"))
            # The schema's order: the mark's properties before the paragraph's old ones.
            if change is None:
                ppr.append(mark)
            else:
                change.addprevious(mark)
        paragraphs.append(p)
    return paragraphs


def deleted_cell(pieces: list[tuple[str, Block]], size: float, marks: Marks) -> list:
    """The paragraphs of a cell that is gone, every line deleted."""
    return tracked_cell(pieces, [], size, marks)


# -- the table ----------------------------------------------------------------------
def _cell_pieces(row: layout.TableRow, column: columns.Column) -> list[tuple[str, Block]]:
    if column.holds == columns.STRUCTURE:
        return writer.left_pieces(row.left)
    if column.holds == columns.NAMES:
        return writer.name_pieces(row.departments)
    return writer.entry_pieces(row.blocks(column.role))


def _heading_pieces(row: layout.TableRow) -> list[tuple[str, Block]]:
    style = "KRGoal" if row.level == "goal" else "KRDirection"
    return [(style, Block("p", (Run(row.text, True),)))]


def _replace_content(tc: etree._Element, content: list[etree._Element]) -> None:
    for child in list(tc):
        if child.tag != w("tcPr"):
            tc.remove(child)
    tc.extend(content)


@dataclass
class _Rows:
    """The earlier report's rows, and which of them the current report still has."""

    by_node: dict[int, layout.TableRow]  # id(earlier node) → its row
    left_of: dict[int, layout.TableRow]  # id(earlier direction) → the row with its left cell
    rows: list[layout.TableRow]
    kept: set[str]  # ids of the earlier nodes that have a counterpart

    @classmethod
    def of(cls, earlier: Report, kept: set[str]) -> _Rows:
        rows = list(layout.rows(earlier))
        by_node = {id(r.node): r for r in rows if r.node is not None}
        left_of = {id(r.direction): r for r in rows if r.first_of_block}
        return cls(by_node, left_of, rows, kept)

    def gone(self, row: layout.TableRow) -> bool:
        """A row of the earlier report whose place the current report no longer has."""
        if row.level != "entry":
            return row.node.id not in self.kept
        if row.node is None:  # a direction's row without departments goes with it
            return row.direction.id not in self.kept
        return row.node.id not in self.kept


def _mark_row(tr: etree._Element, marks: Marks, tag: str) -> None:
    tr.find(w("trPr")).append(marks.mark(tag))


class _TableMarks:
    """The written table's rows marked against the earlier report's."""

    def __init__(self, report: Report, earlier: Report, table, options, marks: Marks) -> None:
        self.pairs = counterparts.match(report, earlier)
        self.old = _Rows.of(earlier, self.pairs.earlier_ids())
        self.table = table
        self.options = options
        self.marks = marks
        widths = [int(g.get(w("w"))) for g in table.find(w("tblGrid"))]
        self.grid = writer.Grid(tuple(widths))
        self.declared = columns.declared()

    def counterpart(self, row: layout.TableRow):
        """The earlier node in the place of ``row``'s node (None for a new one)."""
        if row.level == "goal":
            return self.pairs.goals.get(row.node.id)
        if row.level == "direction":
            return self.pairs.directions.get(row.node.id)
        return self.pairs.entries.get(row.node.id) if row.node is not None else None

    def mark(self, report: Report) -> None:
        """Mark every row, then put back the rows that are gone where they stood."""
        trs = self.table.findall(w("tr"))[2:]
        # id(earlier goal or department row) → the row written for it.
        self.after: dict[int, etree._Element] = {}
        # A direction's block (its department rows) by the direction's id: first and last row.
        self.blocks: dict[str, list[etree._Element]] = {}
        self.home: dict[int, str] = {}  # id(earlier department row) → its direction now
        self.now_of: dict[int, str] = {}  # id(earlier direction) → that direction now
        for row, tr in zip(layout.rows(report), trs, strict=True):
            earlier = self.counterpart(row)
            if row.level != "entry":
                self._mark_heading(row, tr, earlier)
                if earlier is not None:
                    self.after[id(earlier)] = tr
                    if row.level == "direction":
                        self.now_of[id(earlier)] = row.node.id
                continue
            old_direction = self.pairs.directions.get(row.direction.id)
            self._mark_entry(row, tr, earlier, old_direction)
            self.blocks.setdefault(row.direction.id, [tr, tr])[1] = tr
            if earlier is not None:
                self.after[id(earlier)] = tr
                self.home[id(earlier)] = row.direction.id
        self._put_back()

    def _mark_heading(self, row, tr, earlier) -> None:
        tc = tr.find(w("tc"))
        old = self.old.by_node.get(id(earlier)) if earlier is not None else None
        pieces = _heading_pieces(old) if old is not None else []
        _replace_content(
            tc, tracked_cell(pieces, _heading_pieces(row), self.options.size, self.marks)
        )
        if earlier is None:
            _mark_row(tr, self.marks, "ins")

    def _mark_entry(self, row, tr, earlier, old_direction) -> None:
        old_row = self.old.by_node.get(id(earlier)) if earlier is not None else None
        new_row = row.node is not None and earlier is None
        for column, tc in zip(self.declared, tr.findall(w("tc")), strict=True):
            if column.holds == columns.STRUCTURE:
                if not row.first_of_block:
                    continue
                old_left = self.old.left_of.get(id(old_direction)) if old_direction else None
                old_pieces = writer.left_pieces(old_left.left) if old_left is not None else []
            else:
                old_pieces = _cell_pieces(old_row, column) if old_row is not None else []
            content = tracked_cell(
                old_pieces, _cell_pieces(row, column), self.options.size, self.marks
            )
            _replace_content(tc, content)
        # A new row is one insertion, unless it holds the left cell of a direction
        # kept: rejecting it would take the direction's text away.
        carries_kept_left = row.first_of_block and old_direction is not None
        if (new_row or old_direction is None) and not carries_kept_left:
            _mark_row(tr, self.marks, "ins")

    def _put_back(self) -> None:
        """Write the earlier rows that are gone, each below the row it followed."""
        last_kept = None  # the earlier row before the gone one that is still there
        below: dict[int, tuple[etree._Element | None, list[etree._Element]]] = {}
        for old_row in self.old.rows:
            if not self.old.gone(old_row):
                last_kept = old_row
                continue
            kept_direction = old_row.level == "entry" and old_row.direction.id in self.old.kept
            if kept_direction:
                # A department row of a direction that stays goes below the row it
                # followed in that direction, never above the direction's first row,
                # which holds the left cell merged down over it.
                now = self.now_of[id(old_row.direction)]
                first = self.blocks[now][0]
                anchor = first
                if (
                    last_kept is not None
                    and last_kept.level == "entry"
                    and last_kept.node is not None
                    and self.home.get(id(last_kept.node)) == now
                ):
                    anchor = self.after[id(last_kept.node)]
                self._restart_left(first)
            else:
                anchor = self._below_block(last_kept)
            below.setdefault(id(anchor), (anchor, []))[1].append(
                self._deleted_row(old_row, kept_direction)
            )
        header_end = self.table.findall(w("tr"))[1]
        for at, gone in below.values():
            at = header_end if at is None else at
            for tr in gone:
                at.addnext(tr)
                at = tr

    def _below_block(self, last_kept: layout.TableRow | None) -> etree._Element | None:
        """Where a goal, a direction or a row of a direction gone goes: below the whole
        block of the earlier row before it that stayed (None: below the header)."""
        if last_kept is None:
            return None
        if last_kept.level == "goal":
            return self.after[id(last_kept.node)]
        if last_kept.level == "direction":
            return self.blocks[self.now_of[id(last_kept.node)]][1]
        if last_kept.node is None:  # the row of a direction without departments
            return self.blocks[self.now_of[id(last_kept.direction)]][1]
        return self.blocks[self.home[id(last_kept.node)]][1]

    def _restart_left(self, tr) -> None:
        tcpr = tr.findall(w("tc"))[columns.index(columns.LEFT)].find(w("tcPr"))
        vmerge = tcpr.find(w("vMerge"))
        if vmerge is None:
            vmerge = el("vMerge")
            tcpr.find(w("tcW")).addnext(vmerge)
        vmerge.set(w("val"), "restart")

    def _deleted_row(self, old_row: layout.TableRow, kept_direction: bool) -> etree._Element:
        size = self.options.size
        if old_row.level != "entry":
            content = deleted_cell(_heading_pieces(old_row), size, self.marks)
            shade = "F2F2F2" if old_row.level == "goal" else ""
            cell = writer.table_cell(self.grid, 0, content, span=len(self.declared), shade=shade)
            tr = writer.table_row([cell])
        else:
            cells = []
            for index, column in enumerate(self.declared):
                if column.holds == columns.STRUCTURE and (
                    kept_direction or not old_row.first_of_block
                ):
                    # The left cell merged down from the direction's first row.
                    cells.append(writer.table_cell(self.grid, index, [], vmerge=""))
                    continue
                content = deleted_cell(_cell_pieces(old_row, column), size, self.marks)
                vmerge = None
                if column.holds == columns.STRUCTURE and old_row.block_size > 1:
                    vmerge = "restart"
                cells.append(writer.table_cell(self.grid, index, content, vmerge=vmerge))
            tr = writer.table_row(cells, cant_split=False)
        _mark_row(tr, self.marks, "del")
        return tr


def build(
    report: Report,
    earlier: Report,
    options: ExportOptions | None = None,
    when: datetime | None = None,
):
    """The python-docx Document of ``report`` with its changes since ``earlier`` tracked."""
    options = options or ExportOptions()
    document = writer.build(report, options)
    table = document.element.body.find(w("tbl"))
    marks = Marks(options.author, timestamp(when))
    _TableMarks(report, earlier, table, options, marks).mark(report)
    return document


def write_file(
    report: Report,
    path: Path | str,
    earlier: Report,
    options: ExportOptions | None = None,
    when: datetime | None = None,
) -> None:
    """Write the report as a Word file with its changes since ``earlier`` tracked, atomically."""
    write_atomically(path, build(report, earlier, options, when).save)
