"""Reading one cell of a report table: the left column's structure and departments.

The left column holds a direction's title (①), its measures (ア) with their
descriptions, and its 【主な事業】 list; the 所管部署 cell one or several
department names. Hand-made files run several departments' texts together in
one cell: ``top_level_chunks`` and ``group_by_style`` cut such cells apart.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from ...core import richtext
from ...core.model import (
    MAIN_PROJECTS_HEADING,
    RELISTED_MARK,
    MainProject,
    Measure,
    circled_value,
    kana_index,
)
from ...core.richtext import Block, Run

logger = logging.getLogger(__name__)

_KANA_MARK = re.compile(r"^([ア-ン])[\s\u3000．.、]+(.*)$", re.S)
# A department is a short name ending in an office word: 農林課, 博物館, 観光振興室…
_DEPARTMENT = re.compile(
    r"^[^\s、。,.:：;()（）「」『』【】・■○※]{1,24}?"
    r"(課|室|館|所|院|部|局|係|署|センター|委員会|事務局|事務所|園|校)$"
)
# A title line: "… 進捗報告（令和2年度実績・令和3年度取組予定）"


def is_department(text: str) -> bool:
    """True when ``text`` looks like one department name."""
    return bool(_DEPARTMENT.match(text.strip()))


def split_departments(text: str) -> list[str] | None:
    """``"観光振興室 阿寒観光振興課"`` → both names; None if any part is not a name."""
    names = text.replace("\u3000", " ").split()
    if names and all(is_department(name) for name in names):
        return names
    return None


# -- cells -------------------------------------------------------------------
class _Chunker(HTMLParser):
    """Splits a cell into its top-level parts: each ``<p>``, each ``<ul>``, bare text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.chunks: list[str] = []
        self._depth = 0
        self._current: list[str] = []

    def _emit(self) -> None:
        text = "".join(self._current)
        if text.strip():
            self.chunks.append(text)
        self._current = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        raw = self.get_starttag_text() or ""
        if self._depth == 0 and tag in ("p", "ul", "ol"):
            self._emit()
        if tag in ("p", "ul", "ol"):
            self._depth += 1
        self._current.append(raw)

    def handle_endtag(self, tag: str) -> None:
        self._current.append(f"</{tag}>")
        if tag in ("p", "ul", "ol") and self._depth:
            self._depth -= 1
            if self._depth == 0:
                self._emit()

    def handle_data(self, data: str) -> None:
        self._current.append(data)

    def handle_entityref(self, name: str) -> None:
        self._current.append(f"&{name};")

    def handle_charref(self, name: str) -> None:
        self._current.append(f"&#{name};")


def top_level_chunks(cell_html: str) -> list[str]:
    """The cell's top-level paragraphs and lists, as HTML."""
    chunker = _Chunker()
    chunker.feed(cell_html)
    chunker.close()
    chunker._emit()
    return chunker.chunks


def _chunk_style(chunk: str) -> str:
    """What a paragraph starts with, to tell one department's texts from the next."""
    text = richtext.to_plain(chunk).lstrip(" \u3000")
    if not text:
        return ""
    first = text[0]
    if first in "【■□●◆○・":
        return first
    if _KANA_MARK.match(text):
        return "kana"
    return "text"


def group_by_style(chunks: list[str]) -> list[list[str]]:
    """Runs of chunks that start alike (one department's texts each)."""
    groups: list[list[str]] = []
    last = None
    for chunk in chunks:
        style = _chunk_style(chunk)
        if style != last:
            groups.append([])
            last = style
        groups[-1].append(chunk)
    return groups


# -- the left column --------------------------------------------------------
@dataclass
class LeftCell:
    """What one left cell holds: maybe a direction title, measures, projects, loose text."""

    direction: tuple[int, str] | None = None
    measures: list[Measure] = field(default_factory=list)
    projects: list[MainProject] = field(default_factory=list)
    has_projects_heading: bool = False
    loose: list[Block] = field(default_factory=list)

    def add_measure(self, measure: Measure | None, body: str) -> None:
        """Close a measure being read (if any) with its description."""
        if measure is not None:
            measure.body = body
            self.measures.append(measure)


def project_item(line: str, relisted: bool) -> MainProject:
    """A 【主な事業】 line (「・事業名【再掲】」) as a project."""
    name = line[1:] if line.startswith("・") else line
    if relisted and name.endswith(RELISTED_MARK):
        name = name[: -len(RELISTED_MARK)]
    return MainProject(name=name, relisted=relisted)


def _split_projects(text: str) -> list[MainProject]:
    projects = []
    for part in re.split(r"(?:^|\s+)・", text.strip()):
        name = part.strip()
        if name:
            project = project_item(name, name.endswith(RELISTED_MARK))
            project.name = project.name.rstrip()
            projects.append(project)
    return projects


def joined_runs(runs: tuple[Run, ...] | list[Run]) -> list[Run]:
    """Runs with a space between two bold runs made bold, and neighbours alike joined.

    Word and LibreOffice often store 「ア 施策名」 as three runs, the space
    between them not bold: it is still one bold heading.
    """
    out: list[Run] = []
    for index, run in enumerate(runs):
        bold = run.bold
        if not bold and not run.text.strip(" \u3000") and 0 < index < len(runs) - 1:
            bold = runs[index - 1].bold and runs[index + 1].bold
        if out and out[-1].bold == bold:
            out[-1] = Run(out[-1].text + run.text, bold)
        else:
            out.append(Run(run.text, bold))
    return out


def parse_left_cell(cell_html: str) -> LeftCell:
    """Read the direction title, measures (ア…) and 【主な事業】 of a left cell."""
    result = LeftCell()
    blocks = richtext.parse(cell_html)
    measure: Measure | None = None
    body: list[Block] = []
    project_text: list[str] = []
    in_projects = False

    def close_measure() -> None:
        nonlocal measure, body
        result.add_measure(measure, richtext.serialise(body))
        measure, body = None, []

    for block in blocks:
        if in_projects:
            project_text.append(block.text)
            continue
        pending: list[Run] = []
        runs = joined_runs(block.runs)
        for index, run in enumerate(runs):
            text = run.text.lstrip(" \u3000")
            at_start = index == 0 or run.bold
            if at_start and text.startswith(MAIN_PROJECTS_HEADING):
                if pending and measure is not None:
                    body.append(Block(block.tag, tuple(pending)))
                elif pending:
                    result.loose.append(Block(block.tag, tuple(pending)))
                pending = []
                close_measure()
                in_projects = True
                result.has_projects_heading = True
                rest = text[len(MAIN_PROJECTS_HEADING) :]
                rest += "".join(r.text for r in runs[index + 1 :])
                project_text.append(rest)
                break
            number = circled_value(text[:1]) if text else None
            kana = _KANA_MARK.match(text) if at_start else None
            if (
                number
                and at_start
                and result.direction is None
                and not result.measures
                and measure is None
            ):
                result.direction = (number, text[1:].strip(" \u3000"))
                continue
            if kana and (run.bold or index == 0) and kana_index(kana[1]) is not None:
                if pending:
                    target = body if measure is not None else result.loose
                    target.append(Block(block.tag, tuple(pending)))
                    pending = []
                close_measure()
                title, _sep, after = kana[2].partition("\n")
                measure = Measure(title=title.strip(" \u3000"), label=kana[1])
                if after:
                    pending.append(Run(after, run.bold))
                continue
            pending.append(run)
        else:
            if pending:
                target = body if measure is not None else result.loose
                target.append(Block(block.tag, tuple(pending)))
    close_measure()
    if in_projects:
        result.projects = _split_projects("\n".join(project_text))
    return result


def loose_projects(blocks: list[Block]) -> list[MainProject] | None:
    """Loose left-cell text that is only 「・」 lines: the rest of a 【主な事業】 list."""
    lines = [line for b in blocks for line in b.text.split("\n") if line.strip()]
    if lines and all(line.lstrip(" \u3000").startswith("・") for line in lines):
        return _split_projects("\n".join(lines))
    return None


def pair_chunks(chunks: list[str], count: int) -> list[str]:
    """Deal ``chunks`` to ``count`` entries in order; the rest go to the last."""
    pairs = [chunks[i] if i < len(chunks) else "" for i in range(count)]
    if len(chunks) > count:
        pairs[-1] = "".join(chunks[count - 1 :])
    return pairs
