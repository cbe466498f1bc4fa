"""What each line of an Excel cell is: the shape letters of the hidden notes.

A cell of Excel holds lines, not paragraphs, list items and line breaks. The
writer (``xlsx.writer``) notes, on its very hidden sheet, one letter per line
of each text it wrote, with a fingerprint of the lines; the reader
(``xlsx.reader``) rebuilds the paragraphs from those letters where the cell
still shows the lines the fingerprint was taken of. The letters are the
file's format: they are never renamed.
"""

from __future__ import annotations

import enum
import hashlib
import logging

from ...core import richtext
from ...core.model import Measure
from ...core.richtext import Block, Run
from ..table import layout
from ..table.cells import LeftCell, project_item

logger = logging.getLogger(__name__)

# Between the texts of an entry in the lines a fingerprint is taken of.
SEPARATOR = "\x1f"

Runs = list[Run]


class Shape(enum.StrEnum):
    """One line of a cell, as the hidden notes name it by a letter."""

    # In a text (実績, 取組予定) and in a measure's description:
    PARAGRAPH = "P"  # starts a paragraph
    ITEM = "L"  # starts a 「・」 list item
    BREAK = "B"  # continues the block above after a line break
    JOINED = "J"  # continues the line above, cut where a row of the sheet ended
    # In the left column only:
    MEASURE = "M"  # a measure's heading (ア 題名); its description follows
    PROJECTS = "H"  # the 【主な事業】 heading
    PROJECT = "N"  # a main project
    RELISTED = "R"  # a main project with 【再掲】


# The letters that continue or start a measure's description.
BODY_SHAPES = frozenset({Shape.PARAGRAPH, Shape.ITEM, Shape.BREAK, Shape.JOINED})


def fingerprint(lines: list[str]) -> str:
    """A short fingerprint of a cell's lines, to tell whether it was edited."""
    return hashlib.sha1("\n".join(lines).encode("utf-8")).hexdigest()[:16]


# -- writing -----------------------------------------------------------------------
def _block_shape(block: Block, first: Shape) -> tuple[list[str], list[str]]:
    lines = block.text.split("\n")
    return lines, [first] + [Shape.BREAK] * (len(lines) - 1)


def _start(block: Block) -> Shape:
    return Shape.ITEM if block.tag == "li" else Shape.PARAGRAPH


def piece_shape(pieces: list[layout.Piece]) -> tuple[list[str], str]:
    """The lines a reader sees once an entry's rows are joined, and their shape."""
    lines: list[str] = []
    shape: list[str] = []
    for piece in pieces:
        for index, block in enumerate(piece.blocks):
            if index == 0 and piece.join != "new":
                first = Shape.BREAK if piece.join == "br" else Shape.JOINED
            else:
                first = _start(block)
            more, kinds = _block_shape(block, first)
            lines += more
            shape += kinds
    return lines, "".join(shape)


_LEFT_ROLES = {"measure": Shape.MEASURE, "projects": Shape.PROJECTS}


def left_shape(direction) -> tuple[list[str], str]:
    """The lines of a direction's left cell and their shape."""
    lines: list[str] = []
    shape: list[str] = []
    projects = iter(direction.main_projects)
    for item in layout.left_blocks(direction):
        if item.role == "body":
            more, kinds = _block_shape(item.block, _start(item.block))
            lines += more
            shape += kinds
        else:
            lines.append(item.block.text)
            kind = _LEFT_ROLES.get(item.role)
            if kind is None:
                kind = Shape.RELISTED if next(projects).relisted else Shape.PROJECT
            shape.append(kind)
    return lines, "".join(shape)


# -- reading -----------------------------------------------------------------------
def _text(line: Runs) -> str:
    return "".join(run.text for run in line)


def blocks_from_shape(lines: list[Runs], shape: str) -> list[Block] | None:
    """Blocks rebuilt from a cell's lines and their shape letters (None if they disagree)."""
    if len(lines) != len(shape):
        return None
    blocks: list[tuple[str, list[Run]]] = []
    for line, kind in zip(lines, shape, strict=True):
        if kind in (Shape.PARAGRAPH, Shape.ITEM) or not blocks:
            blocks.append(("li" if kind == Shape.ITEM else "p", list(line)))
        elif kind == Shape.BREAK:
            blocks[-1][1].extend([Run("\n"), *line])
        elif kind == Shape.JOINED:
            blocks[-1][1].extend(line)
        else:
            return None
    return [Block(kind, tuple(runs)) for kind, runs in blocks]


def left_from_shape(lines: list[Runs], shape: str) -> LeftCell | None:
    """The left column's measures and projects, from its lines and shape letters."""
    if len(lines) != len(shape):
        return None
    left = LeftCell()
    measure: Measure | None = None
    body = ""
    for start in range(len(shape)):
        kind = shape[start]
        text = _text(lines[start])
        if kind == Shape.MEASURE:
            left.add_measure(measure, body)
            label, _space, title = text.partition(" ")
            measure, body = Measure(title=title, label=label), ""
            end = start + 1
            while end < len(shape) and shape[end] in BODY_SHAPES:
                end += 1
            blocks = blocks_from_shape(lines[start + 1 : end], shape[start + 1 : end])
            body = richtext.serialise(blocks or [])
        elif kind == Shape.PROJECTS:
            left.has_projects_heading = True
        elif kind in (Shape.RELISTED, Shape.PROJECT):
            left.projects.append(project_item(text, kind == Shape.RELISTED))
        elif measure is None:
            return None
    left.add_measure(measure, body)
    return left
