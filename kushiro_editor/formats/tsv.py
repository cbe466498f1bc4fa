"""The sample's text form: one table row per line, tab-separated HTML cells.

The text was taken from the published file and keeps the marks of that
extraction, which the reader undoes:

* the two header rows repeat at every page break (with blank lines before);
* a run of two or more spaces inside a cell is a line break of the original;
* shifted rows: the department and its 実績 share a cell, the 取組予定 moved
  one column left and the last cell is empty;
* cells naming several departments, split into one entry each;
* a direction's block continuing on the next page.

Where it must guess (a shifted row, a split cell), it keeps every character
and records an :class:`ImportWarning` naming the row.
"""

from __future__ import annotations

import contextlib
import html
import logging
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from ..core import fiscal, richtext
from ..core.model import (
    MAIN_PROJECTS_HEADING,
    RELISTED_MARK,
    Direction,
    Entry,
    Goal,
    ImportResult,
    ImportWarning,
    MainProject,
    Measure,
    Report,
    ReportError,
    circled_value,
    kana_index,
    kana_label,
)
from ..core.richtext import Block, Run
from .common import decode_text

logger = logging.getLogger(__name__)

DEFAULT_TITLE = "釧路市まち・ひと・しごと創生総合戦略 進捗報告"
HEADER_LEFT = "基本目標と基本的方向"
_GOAL = re.compile(r"^【基本目標\s*([0-9０-９]+)\s*】\s*(.*)$", re.S)
_KANA_MARK = re.compile(r"^([ア-ン])[\s\u3000．.、]+(.*)$", re.S)
_SPACE_BREAK = re.compile(r" {2,}")
# A department is a short name ending in an office word: 農林課, 博物館, 観光振興室…
_DEPARTMENT = re.compile(
    r"^[^\s、。,.:：;()（）「」『』【】・■○※]{1,24}?"
    r"(課|室|館|所|院|部|局|係|署|センター|委員会|事務局|事務所|園|校)$"
)


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
def _cell_html(cell: str) -> str:
    """A cell's HTML with the extraction's space-run line breaks made ``<br>``."""
    return _SPACE_BREAK.sub("<br>", cell.strip(" "))


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


def _group_by_style(chunks: list[str]) -> list[list[str]]:
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
class _LeftCell:
    """What one left cell holds: maybe a direction title, measures, projects, loose text."""

    direction: tuple[int, str] | None = None
    measures: list[Measure] = field(default_factory=list)
    projects: list[MainProject] = field(default_factory=list)
    has_projects_heading: bool = False
    loose: list[Block] = field(default_factory=list)


def _split_projects(text: str) -> list[MainProject]:
    projects = []
    for part in re.split(r"(?:^|\s+)・", text.strip()):
        name = part.strip()
        if not name:
            continue
        relisted = name.endswith(RELISTED_MARK)
        if relisted:
            name = name[: -len(RELISTED_MARK)].rstrip()
        projects.append(MainProject(name=name, relisted=relisted))
    return projects


def parse_left_cell(cell_html: str) -> _LeftCell:
    """Read the direction title, measures (ア…) and 【主な事業】 of a left cell."""
    result = _LeftCell()
    blocks = richtext.parse(cell_html)
    measure: Measure | None = None
    body: list[Block] = []
    project_text: list[str] = []
    in_projects = False

    def close_measure() -> None:
        nonlocal measure, body
        if measure is not None:
            measure.body = richtext.serialise(body)
            result.measures.append(measure)
        measure, body = None, []

    for block in blocks:
        if in_projects:
            project_text.append(block.text)
            continue
        pending: list[Run] = []
        for index, run in enumerate(block.runs):
            text = run.text.lstrip(" \u3000")
            at_start = index == 0 or run.bold
            if at_start and text.startswith(MAIN_PROJECTS_HEADING):
                if pending and measure is not None:
                    body.append(Block(block.kind, tuple(pending)))
                elif pending:
                    result.loose.append(Block(block.kind, tuple(pending)))
                pending = []
                close_measure()
                in_projects = True
                result.has_projects_heading = True
                rest = text[len(MAIN_PROJECTS_HEADING) :]
                rest += "".join(r.text for r in block.runs[index + 1 :])
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
                    target.append(Block(block.kind, tuple(pending)))
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
                target.append(Block(block.kind, tuple(pending)))
    close_measure()
    if in_projects:
        result.projects = _split_projects("\n".join(project_text))
    return result


def _loose_projects(blocks: list[Block]) -> list[MainProject] | None:
    """Loose left-cell text that is only 「・」 lines: the rest of a 【主な事業】 list."""
    lines = [line for b in blocks for line in b.text.split("\n") if line.strip()]
    if lines and all(line.lstrip(" \u3000").startswith("・") for line in lines):
        return _split_projects("\n".join(lines))
    return None


# -- the reader ---------------------------------------------------------------
class _Reader:
    def __init__(self) -> None:
        self.report = Report(title=DEFAULT_TITLE, actual_year=0)
        self.warnings: list[ImportWarning] = []
        self.goal: Goal | None = None
        self.direction: Direction | None = None
        self.direction_row = 0

    def warn(self, row: int, message: str, node_id: str = "", kind: str = "guess") -> None:
        self.warnings.append(ImportWarning(row=row, message=message, node_id=node_id, kind=kind))

    # -- structure --
    def start_goal(self, row: int, number_text: str, title: str) -> None:
        number = int(number_text.translate(str.maketrans("０１２３４５６７８９", "0123456789")))
        self.goal = Goal(title=title.strip())
        self.report.goals.append(self.goal)
        self.direction = None
        if number != len(self.report.goals):
            self.warn(
                row,
                f"基本目標{number} は {len(self.report.goals)} 番目にあるため、"
                f"基本目標{len(self.report.goals)} として取り込みました。",
                self.goal.id,
                "numbering",
            )

    def start_direction(self, row: int, number: int, title: str) -> None:
        if self.goal is None:
            self.start_goal(row, "1", "")
            self.warn(
                row,
                "基本目標の行より前に基本的方向があったため、題名のない基本目標を補いました。",
                self.goal.id,
            )
        self.direction = Direction(title=title)
        self.goal.directions.append(self.direction)
        self.direction_row = row
        expected = len(self.goal.directions)
        if number != expected:
            self.warn(
                row,
                f"基本的方向の番号 {number} を {expected} に振り直しました。",
                self.direction.id,
                "numbering",
            )

    def need_direction(self, row: int) -> Direction:
        if self.direction is None:
            self.start_direction(row, len(self.goal.directions) + 1 if self.goal else 1, "")
            self.warn(
                row,
                "基本的方向の題名がない行があったため、題名が空の基本的方向を作りました。",
                self.direction.id,
            )
        return self.direction

    def add_left(self, row: int, cell: str) -> None:
        left = parse_left_cell(_cell_html(cell))
        if left.direction is not None:
            self.start_direction(row, *left.direction)
        if not (left.measures or left.projects or left.loose or left.has_projects_heading):
            return
        direction = self.need_direction(row)
        for measure in left.measures:
            direction.measures.append(measure)
            expected = kana_label(len(direction.measures) - 1)
            if measure.label != expected:
                self.warn(
                    row,
                    f"施策「{measure.label} {measure.title}」は{expected}として"
                    "取り込みました(記号は並び順で振り直します)。",
                    direction.id,
                    "numbering",
                )
        if left.loose:
            continued = _loose_projects(left.loose) if direction.main_projects else None
            if continued is not None:
                direction.main_projects.extend(continued)
            elif direction.measures and not left.measures:
                target = direction.measures[-1]
                target.body = richtext.serialise([*richtext.parse(target.body), *left.loose])
                self.warn(
                    row,
                    f"施策の見出しのない文章を「{target.title}」の説明に続けました。",
                    direction.id,
                )
            else:
                holder = Measure(title="", body=richtext.serialise(left.loose))
                direction.measures.insert(0, holder)
                self.warn(
                    row,
                    "施策の見出しのない文章を、題名が空の施策として取り込みました。",
                    direction.id,
                )
        direction.main_projects.extend(left.projects)

    # -- entries --
    def add_entries(self, row: int, cells: list[str]) -> None:
        direction = self.need_direction(row)
        dept_cell, actual_cell, plan_cell = (_cell_html(c) for c in cells[1:4])
        dept_plain = richtext.to_plain(dept_cell)
        dept_lines = [line.strip() for line in dept_plain.split("\n") if line.strip()]
        dept_only = bool(dept_lines) and all(split_departments(line) for line in dept_lines)
        shifted = (
            not plan_cell.strip() and actual_cell.strip() and dept_plain.strip() and not dept_only
        )
        if shifted:
            self.add_shifted(row, direction, dept_cell, actual_cell)
            return
        if not dept_lines:
            entry = Entry(
                departments=[],
                actual=richtext.sanitise(actual_cell),
                plan=richtext.sanitise(plan_cell),
            )
            direction.entries.append(entry)
            self.warn(row, "所管部署が書かれていない行があります。", entry.id, "missing")
            return
        if not dept_only:
            # Text in the department cell that is not a name: keep it as the name.
            entry = Entry(
                departments=[" ".join(dept_lines)],
                actual=richtext.sanitise(actual_cell),
                plan=richtext.sanitise(plan_cell),
            )
            direction.entries.append(entry)
            self.warn(row, f"所管部署「{entry.departments[0]}」は部署名に見えません。", entry.id)
            return
        if len(dept_lines) == 1:
            entry = Entry(
                departments=split_departments(dept_lines[0]) or [],
                actual=richtext.sanitise(actual_cell),
                plan=richtext.sanitise(plan_cell),
            )
            direction.entries.append(entry)
            if not entry.plan and entry.actual:
                self.warn(
                    row,
                    f"{entry.department_label} の取組予定が空です(元の表でも空欄)。",
                    entry.id,
                    "empty",
                )
            return
        self.add_mixed(row, direction, dept_lines, actual_cell, plan_cell)

    def add_shifted(self, row: int, direction: Direction, dept_cell: str, actual_cell: str) -> None:
        """Department and 実績 in one cell, 取組予定 one column left."""
        groups: list[tuple[str, list[Block]]] = []
        for block in richtext.parse(dept_cell):
            first, _sep, rest = block.text.partition("\n")
            name = first.strip()
            if not is_department(name):
                # "市民協働推進課 新型コロナ…": name and text on one line.
                head, _sp, tail = first.replace("\u3000", " ").partition(" ")
                if (is_department(head) and not groups) or (is_department(head) and tail):
                    name, rest = head, tail + ("\n" + rest if rest else "")
                else:
                    name = ""
            if name and is_department(name):
                runs = _drop_prefix(block.runs, len(block.text) - len(rest))
                groups.append((name, [Block(block.kind, runs)] if rest.strip() else []))
            elif groups:
                groups[-1][1].append(block)
            else:
                groups.append(("", [block]))
        plans = top_level_chunks(actual_cell)
        names = [name or "(部署名なし)" for name, _ in groups]
        pairs = ["".join(plans)] if len(groups) == 1 else _pair(plans, len(groups))
        entries = []
        for (name, blocks), plan in zip(groups, pairs, strict=True):
            entry = Entry(
                departments=split_departments(name) or ([name] if name else []),
                actual=richtext.serialise(blocks),
                plan=richtext.sanitise(plan),
            )
            direction.entries.append(entry)
            entries.append(entry)
        if len(groups) == 1:
            self.warn(
                row,
                f"{names[0]}: 所管部署と実績が同じセルにあり、取組予定が1列左に"
                "ずれていたため、列を直して取り込みました。",
                entries[0].id,
                "shifted",
            )
        else:
            note = (
                ""
                if len(plans) == len(groups)
                else (
                    f"(取組予定の段落が{len(plans)}個、部署が{len(groups)}件のため、"
                    "余りは最後の部署に入れました)"
                )
            )
            for entry in entries:
                self.warn(
                    row,
                    f"{entry.department_label}: 1つのセルに{len(groups)}部署"
                    f"({'、'.join(names)})の実績が書かれていたため部署ごとに分け、"
                    f"取組予定を段落の順に対応付けました{note}。確認してください。",
                    entry.id,
                    "split",
                )

    def add_mixed(
        self, row: int, direction: Direction, names: list[str], actual_cell: str, plan_cell: str
    ) -> None:
        """Several departments in one cell, their texts mixed in the next cells."""
        actual_groups = _group_by_style(top_level_chunks(actual_cell))
        plan_groups = _group_by_style(top_level_chunks(plan_cell))
        if len(actual_groups) == len(names) and len(plan_groups) == len(names):
            entries = []
            for name, actual, plan in zip(names, actual_groups, plan_groups, strict=True):
                entry = Entry(
                    departments=split_departments(name) or [name],
                    actual=richtext.sanitise("".join(actual)),
                    plan=richtext.sanitise("".join(plan)),
                )
                direction.entries.append(entry)
                entries.append(entry)
            for entry in entries:
                self.warn(
                    row,
                    f"{entry.department_label}: 1つのセルに{len(names)}部署"
                    f"({'、'.join(names)})が書かれ、実績・取組予定が混在していたため、"
                    "段落の書き出しの違いで部署ごとに分けました。確認してください。",
                    entry.id,
                    "split",
                )
            return
        departments = [n for name in names for n in (split_departments(name) or [name])]
        entry = Entry(
            departments=departments,
            actual=richtext.sanitise(actual_cell),
            plan=richtext.sanitise(plan_cell),
        )
        direction.entries.append(entry)
        self.warn(
            row,
            f"1つのセルに{len(names)}部署({'、'.join(names)})が書かれ、文章を部署ごとに"
            "分けられなかったため、共同の行として取り込みました。確認してください。",
            entry.id,
            "split",
        )


def _drop_prefix(runs: tuple[Run, ...], count: int) -> tuple[Run, ...]:
    """The runs without their first ``count`` characters."""
    out = []
    for run in runs:
        if count >= len(run.text):
            count -= len(run.text)
            continue
        out.append(Run(run.text[count:], run.bold))
        count = 0
    return tuple(out)


def _pair(chunks: list[str], count: int) -> list[str]:
    """Deal ``chunks`` to ``count`` entries in order; the rest go to the last."""
    pairs = [chunks[i] if i < len(chunks) else "" for i in range(count)]
    if len(chunks) > count:
        pairs[-1] = "".join(chunks[count - 1 :])
    return pairs


def _is_header(cells: list[str]) -> bool:
    return cells[0].strip().startswith(HEADER_LEFT) or (
        not cells[0].strip() and not cells[1].strip() and "(実績)" in cells[2]
    )


def read(data: bytes, *, actual_year: int | None = None) -> ImportResult:
    """Read the sample's tab-separated form into a report."""
    text = decode_text(data)
    reader = _Reader()
    year = actual_year
    saw_header = False
    for number, line in enumerate(text.split("\n"), start=1):
        line = line.rstrip("\r")
        if not line.strip():
            continue
        cells = line.split("\t")
        if len(cells) < 4:
            cells += [""] * (4 - len(cells))
        if len(cells) > 4 and any(c.strip() for c in cells[4:]):
            extra = "".join(cells[4:])
            cells = [*cells[:3], cells[3] + extra]
            reader.warn(number, "5列目以降に文字があったため、取組予定の末尾に続けました。")
        if _is_header(cells):
            saw_header = True
            for cell in cells[2:4]:
                if "(実績)" in cell and year is None:
                    with contextlib.suppress(ValueError):
                        year = fiscal.parse_label(cell)
            continue
        left, rest = cells[0], cells[1:4]
        left_plain = richtext.to_plain(html.unescape(left)).strip()
        if not any(c.strip() for c in rest):
            goal = _GOAL.match(left_plain)
            if goal:
                reader.start_goal(number, goal[1], goal[2])
                continue
            if left_plain and circled_value(left_plain[0]):
                reader.start_direction(
                    number, circled_value(left_plain[0]), left_plain[1:].strip(" \u3000")
                )
                continue
        if not reader.report.goals and not saw_header:
            raise ReportError("進捗報告の表として読めません(見出し行も基本目標の行もありません)。")
        if left.strip():
            reader.add_left(number, left)
        if any(c.strip() for c in rest):
            reader.add_entries(number, cells)
    if not reader.report.goals:
        raise ReportError("進捗報告の表として読めません(基本目標の行がありません)。")
    if year is None:
        raise ReportError(
            "年度が分かりません(見出し行に「R2年度(実績)」のような年度がありません)。"
        )
    reader.report.actual_year = year
    reader.report.renumber()
    return ImportResult(reader.report, reader.warnings)
