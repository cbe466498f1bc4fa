"""Finding and replacing text across the whole report.

Every field is searched: titles, measure descriptions, main projects,
departments, 実績 and 取組予定. Positions are in the field's plain text (one
line per paragraph, list item and line break), which is also the cursor
position in the editor's document. With ``fold`` on, 全角/半角 and upper/lower
case variants match each other (ＡＢＣ = abc, ｶﾞ = ガ, １２ = 12).
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from . import kinds, richtext
from .edits import Edit, SetField
from .model import Report, parse_departments, place_in
from .richtext import Block, Run

logger = logging.getLogger(__name__)

_HALFWIDTH_VOICED = re.compile(r"[\uff66-\uff9d][\uff9e\uff9f]")


def _slow_fold(text: str) -> tuple[str, list[int]]:
    out: list[str] = []
    where: list[int] = []
    index = 0
    while index < len(text):
        match = _HALFWIDTH_VOICED.match(text, index)
        piece = match.group() if match else text[index]
        folded = unicodedata.normalize("NFKC", piece).casefold()
        # NFKC turns ① into 1 and ㍉ into ミリ: keep such symbols as they are,
        # folding only width and case.
        if unicodedata.east_asian_width(piece[0]) not in ("F", "H") and not piece.isascii():
            folded = piece.casefold()
        out.append(folded)
        where.extend([index] * len(folded))
        index += len(piece)
    where.append(len(text))
    return "".join(out), where


def _fold_table() -> dict[int, str]:
    table = {code: chr(code).lower() for code in range(ord("A"), ord("Z") + 1)}
    for code in range(0xFF01, 0xFFEF):
        folded = unicodedata.normalize("NFKC", chr(code)).casefold()
        if len(folded) == 1 and code not in (0xFF9E, 0xFF9F):
            table[code] = folded
    return table


_FOLD = _fold_table()


def fold(text: str) -> tuple[str, list[int] | None]:
    """The text with width and case folded, and each folded character's source index.

    Folding is one character to one (a translation table), so positions stay
    the same (``None``) except where half-width voiced kana (ｶﾞ) join.
    """
    if "\uff9e" in text or "\uff9f" in text:
        return _slow_fold(text)
    return text.translate(_FOLD), None


@dataclass(frozen=True)
class Match:
    """One occurrence: the node, its field, and the span in the field's plain text."""

    node: object
    field: str
    start: int
    end: int
    text: str  # the field's plain text

    @property
    def context(self) -> str:
        """The match with some text around it, on one line."""
        return self.context_with(self.text[self.start : self.end])

    def context_with(self, middle: str) -> str:
        """The text around the match with ``middle`` in its place (a replacement's preview).

        The match stands in 《》: the report's own texts use 【】 (【主な事業】), and a
        mark of the same brackets inside them could not be told from the text.
        """
        before = self.text[max(0, self.start - 18) : self.start].replace("\n", " ")
        after = self.text[self.end : self.end + 18].replace("\n", " ")
        return f"{before}《{middle}》{after}"


def fields(report: Report) -> Iterator[tuple[object, str, str]]:
    """Every searchable field as (node, field, plain text), in document order.

    Which fields are searched is the kinds' description (``searched``).
    """
    for node in kinds.nodes(report):
        for field in kinds.of(node).fields:
            if field.searched:
                yield node, field.name, _plain(field, getattr(node, field.name, field.default))


def _plain(field: kinds.Field, value: object) -> str:
    if field.type == kinds.NAMES:
        return "、".join(value)
    if field.type == kinds.RICH:
        return richtext.to_plain(value)
    return str(value)


def field_label(match: Match) -> str:
    """The matched field's name as the office says it."""
    return kinds.field_label(match.node, match.field)


def where(report: Report, match: Match) -> str:
    """Where a match is, as a reader names it: 【基本目標1】① 農林課 実績.

    A main project's place already says 主な事業, which is its one field's name too.
    """
    place, label = place_in(report, match.node), field_label(match)
    return place if place.endswith(label) else f"{place} {label}"


def find_in(text: str, query: str, *, fold_width: bool) -> list[tuple[int, int]]:
    """Spans of ``query`` in ``text``."""
    if not query:
        return []
    if not fold_width:
        spans, start = [], text.find(query)
        while start >= 0:
            spans.append((start, start + len(query)))
            start = text.find(query, start + len(query))
        return spans
    haystack, where = fold(text)
    needle, _ = fold(query)
    if where is None:
        where = range(len(text) + 1)
    spans, start = [], haystack.find(needle)
    while start >= 0:
        spans.append((where[start], where[start + len(needle) - 1] + 1 if needle else where[start]))
        start = haystack.find(needle, start + len(needle))
    # A folded character may come from a two-character source (ｶﾞ): widen to it.
    return [(a, _end_of(text, b)) for a, b in spans]


def _end_of(text: str, end: int) -> int:
    if end < len(text) and text[end] in "\uff9e\uff9f":
        return end + 1
    return end


def find(
    report: Report,
    query: str,
    *,
    fold_width: bool = False,
    texts: dict[tuple[str, str], str] | None = None,
) -> list[Match]:
    """Every occurrence in the report; ``texts`` overrides fields being edited."""
    matches = []
    for node, field, text in fields(report):
        if texts and (node.id, field) in texts:
            text = texts[(node.id, field)]
        for start, end in find_in(text, query, fold_width=fold_width):
            matches.append(Match(node, field, start, end, text))
    return matches


def replace_plain(text: str, spans: list[tuple[int, int]], replacement: str) -> str:
    """Replace spans (in order, not overlapping) in plain text."""
    out, last = [], 0
    for start, end in spans:
        out.append(text[last:start])
        out.append(replacement)
        last = end
    out.append(text[last:])
    return "".join(out)


def replace_rich(markup: str, spans: list[tuple[int, int]], replacement: str) -> str:
    """Replace spans of a rich field's plain text, keeping paragraphs, items and bold.

    The replacement takes the weight of the first character it replaces.
    """
    blocks = richtext.parse(markup)
    # Each character of the plain text, with its block and weight.
    chars: list[tuple[int, str, bool]] = []
    for index, block in enumerate(blocks):
        if index:
            chars.append((-1, "\n", False))  # the paragraph boundary
        for run in block.runs:
            chars.extend((index, ch, run.bold) for ch in run.text)
    out: list[tuple[int, str, bool]] = []
    last = 0
    for start, end in spans:
        out.extend(chars[last:start])
        owner = chars[start] if start < len(chars) else (len(blocks) - 1, "", False)
        block_index = (
            owner[0]
            if owner[0] >= 0
            else (chars[start + 1][0] if start + 1 < len(chars) else len(blocks) - 1)
        )
        out.extend((block_index, ch, owner[2]) for ch in replacement)
        last = end
    out.extend(chars[last:])
    # Rebuild blocks: a boundary marker starts the next block.
    kinds = [b.tag for b in blocks] or ["p"]
    rebuilt: list[list[Run]] = [[]]
    block_kinds = [kinds[0]]
    for owner, ch, bold in out:
        if owner == -1:
            rebuilt.append([])
            block_kinds.append(kinds[min(len(rebuilt) - 1, len(kinds) - 1)])
            continue
        rebuilt[-1].append(Run(ch, bold))
    return richtext.serialise(
        [Block(kind, tuple(runs)) for kind, runs in zip(block_kinds, rebuilt, strict=True)]
    )


def replace_edits(
    matches: list[Match],
    replacement: str,
    text_of: Callable[[object, str], str] | None = None,
) -> list[Edit]:
    """The edits that replace every match (one per field, its matches in order).

    ``text_of(node, field)`` gives a rich field's current markup (the window
    passes the text being typed); a rich field keeps its paragraphs, items and
    bold, department names are split again, titles and names are plain.
    """
    current = text_of or getattr
    grouped: dict[tuple[int, str], list[Match]] = {}
    for match in matches:
        grouped.setdefault((id(match.node), match.field), []).append(match)
    out: list[Edit] = []
    for group in grouped.values():
        node, field = group[0].node, group[0].field
        spans = sorted((m.start, m.end) for m in group)
        described = kinds.of(node).field(field)
        if described.type == kinds.RICH:
            value: object = replace_rich(current(node, field), spans, replacement)
        elif described.type == kinds.NAMES:
            value = parse_departments(replace_plain(group[0].text, spans, replacement))
        else:
            value = replace_plain(group[0].text, spans, replacement)
        out.append(SetField(node, field, value, mechanical=True))
    return out
