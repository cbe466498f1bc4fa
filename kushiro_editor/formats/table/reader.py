"""Reading a report table, whatever file it came from.

The sample's text form, Word tables and Excel sheets all reach this module as
rows of cells of canonical rich text, one per column ``columns`` declares
(left column, 所管部署, 実績, 取組予定), and one reader turns them into a
report. It knows the document's structure
(【基本目標N】 rows, ① directions, ア measures, 【主な事業】) and the ways
hand-made and extracted files deviate from it: shifted rows, several
departments in one cell, departments named in the first line of the text, a
direction's block continued on the next page, a department's row split by a
page break, a left cell typed again on every row, ※ notes below the table.
The readers find the header and its columns by meaning (``tableheader``)
before their rows come here.

Files this editor wrote are read *trusted*: their cells say exactly what they
hold (one department per paragraph, measure headings marked by style), so no
guessing is done on them.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass

from ...core import fiscal, richtext
from ...core.model import (
    Direction,
    Entry,
    Goal,
    ImportResult,
    ImportWarning,
    Measure,
    Report,
    ReportError,
    circled_value,
    kana_label,
)
from ...core.richtext import Block
from . import columns
from .cells import (
    LeftCell,
    group_by_style,
    is_department,
    loose_projects,
    pair_chunks,
    parse_left_cell,
    split_departments,
    top_level_chunks,
)
from .header import ACTUAL, PLAN, header_at, header_year, is_header_row

logger = logging.getLogger(__name__)

DEFAULT_TITLE = "釧路市まち・ひと・しごと創生総合戦略 進捗報告"
GOAL_PARAGRAPH = re.compile(r"^【基本目標\s*[0-9０-９]+\s*】")
_GOAL = re.compile(r"^【基本目標\s*([0-9０-９]+)\s*】\s*(.*)$", re.S)
_TITLE_YEARS = re.compile(r"^(.*?)\s*[（(]([^（()）]*年度[^（()）]*)[)）]\s*$", re.S)


@dataclass
class Row:
    """One table row as the reader sees it: a cell of canonical rich text per column.

    ``cells`` are in the order of ``columns.declared()``; a row may hold
    fewer (a full-width row: one), the rest are empty.

    ``left`` carries an already structured left cell (own files), which then
    wins over ``cells[0]``; ``left_continues`` says the left cell is merged
    from the row above; ``departments`` is an exact department list.
    """

    number: int
    cells: list[str]
    left: LeftCell | None = None
    left_continues: bool = False
    departments: list[str] | None = None
    where: str = ""  # "シート名 " or "" for messages
    preamble: bool = False  # a line above the table (title, date): never structure
    note: bool = False  # a line below the table (※ notes): reported, not read


# -- the reader ---------------------------------------------------------------
class TableReader:
    """Builds a report from rows, recording every guess as a warning."""

    def __init__(self, *, trusted: bool = False) -> None:
        self.report = Report(title="", actual_year=0)
        self.warnings: list[ImportWarning] = []
        self.trusted = trusted
        self.goal: Goal | None = None
        self.direction: Direction | None = None
        self.where = ""
        # The measure whose description continues on further rows, and its blocks so far.
        self.continued: tuple[Measure, list[Block]] | None = None

    def warn(self, row: int, message: str, node_id: str = "", topic: str = "guess") -> None:
        """Record a guess (or an oddity) about a source row."""
        self.warnings.append(
            ImportWarning(row=row, message=f"{self.where}{message}", node_id=node_id, topic=topic)
        )

    # -- structure --
    def start_goal(self, row: int, number_text: str, title: str) -> None:
        """A 【基本目標N】 row."""
        number = int(number_text.translate(str.maketrans("０１２３４５６７８９", "0123456789")))
        self.goal = Goal(title=title.strip())
        self.report.goals.append(self.goal)
        self.direction = None
        expected = len(self.report.goals)
        if number != expected:
            self.warn(
                row,
                f"基本目標{number} を基本目標{expected} として取り込みました"
                "(番号は並び順で振り直します)。",
                self.goal.id,
                "numbering",
            )

    def start_direction(self, row: int, number: int, title: str) -> None:
        """A ① direction, as a row or as the first paragraph of a left cell."""
        if self.goal is None:
            self.goal = Goal(title="")
            self.report.goals.append(self.goal)
            self.warn(
                row,
                "基本目標の行より前に基本的方向があったため、題名のない基本目標を補いました。",
                self.goal.id,
                "missing",
            )
        self.direction = Direction(title=title)
        self.goal.directions.append(self.direction)
        expected = len(self.goal.directions)
        if number != expected:
            self.warn(
                row,
                f"基本的方向の番号 {number} を {expected} に振り直しました。",
                self.direction.id,
                "numbering",
            )

    def need_direction(self, row: int) -> Direction:
        """The current direction, made up (and reported) when the rows lack one."""
        if self.direction is None:
            number = len(self.goal.directions) + 1 if self.goal else 1
            self.start_direction(row, number, "")
            self.warn(
                row,
                "基本的方向の題名がない行があったため、題名が空の基本的方向を作りました。",
                self.direction.id,
                "missing",
            )
        return self.direction

    def add_left(self, row: int, left: LeftCell) -> None:
        """The left column of a row: maybe a direction title, measures, projects."""
        if left.direction is not None:
            self.start_direction(row, *left.direction)
        if not (left.measures or left.projects or left.loose or left.has_projects_heading):
            return
        direction = self.need_direction(row)
        for measure in left.measures:
            direction.measures.append(measure)
            expected = kana_label(len(direction.measures) - 1)
            if measure.label and measure.label != expected:
                self.warn(
                    row,
                    f"施策「{measure.label} {measure.title}」は{expected}として"
                    "取り込みました(記号は並び順で振り直します)。",
                    direction.id,
                    "numbering",
                )
        if left.loose:
            continued = loose_projects(left.loose) if direction.main_projects else None
            if continued is not None:
                direction.main_projects.extend(continued)
            elif direction.measures and not left.measures:
                target = direction.measures[-1]
                self.continue_body(target, left.loose)
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

    def continue_body(self, measure: Measure, blocks: list[Block]) -> None:
        """Add continued text to a measure's description (serialised once, at the end).

        Re-reading and re-writing the whole description for every continuation
        row made a long left column quadratic.
        """
        if self.continued is None or self.continued[0] is not measure:
            self.finish_body()
            self.continued = (measure, list(richtext.parse(measure.body)))
        self.continued[1].extend(blocks)

    def finish_body(self) -> None:
        """Write the continued description being collected, if any."""
        if self.continued is not None:
            measure, blocks = self.continued
            measure.body = richtext.serialise(blocks)
            self.continued = None

    # -- entries --
    def add_entries(
        self,
        row: int,
        dept_cell: str,
        actual_cell: str,
        plan_cell: str,
        departments: list[str] | None = None,
    ) -> None:
        """One department row (or, in hand-made files, several run together).

        Cells may be any HTML: the raw form keeps list boundaries that pairing
        several departments' texts needs; what is stored is sanitised.
        """
        direction = self.need_direction(row)
        actual, plan = richtext.sanitise(actual_cell), richtext.sanitise(plan_cell)
        if departments is not None or self.trusted:
            if departments is None:
                departments = [
                    line.strip()
                    for line in richtext.to_plain(dept_cell).split("\n")
                    if line.strip()
                ]
            direction.entries.append(Entry(departments=departments, actual=actual, plan=plan))
            return
        dept_lines = [
            line.strip() for line in richtext.to_plain(dept_cell).split("\n") if line.strip()
        ]
        dept_only = bool(dept_lines) and all(split_departments(line) for line in dept_lines)
        if not dept_lines and actual:
            # 所管部署 left empty, the department named in the text's first line.
            first = richtext.to_plain(actual).split("\n", 1)[0].strip()
            head = first.replace("\u3000", " ").split(" ", 1)[0]
            if is_department(head):
                self.add_shifted(row, direction, actual_cell, plan_cell, moved=False)
                return
        if not plan and actual and dept_lines and not dept_only:
            self.add_shifted(row, direction, dept_cell, actual_cell, moved=True)
            return
        if not dept_lines:
            entry = Entry(departments=[], actual=actual, plan=plan)
            direction.entries.append(entry)
            self.warn(row, "所管部署が書かれていない行があります。", entry.id, "missing")
            return
        if not dept_only:
            entry = Entry(departments=[" ".join(dept_lines)], actual=actual, plan=plan)
            direction.entries.append(entry)
            self.warn(row, f"所管部署「{entry.departments[0]}」は部署名に見えません。", entry.id)
            return
        if len(dept_lines) == 1:
            entry = Entry(
                departments=split_departments(dept_lines[0]) or [], actual=actual, plan=plan
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

    def join_continuation(self, row: int, cells: list[str]) -> bool:
        """Join a department row split by a page break to its first part.

        Right after the header repeated at a page break, a row naming the same
        department as the row before the break, with one text cell empty, is
        the rest of that row (the sample's 健康推進課 in 基本目標3 ②): its texts
        are appended to the first part's, in order.
        """
        direction = self.direction
        if direction is None or not direction.entries:
            return False
        previous = direction.entries[-1]
        dept_cell, actual_cell, plan_cell = (
            cells[columns.index(role)] for role in (columns.DEPARTMENTS, ACTUAL, PLAN)
        )
        names = [line.strip() for line in richtext.to_plain(dept_cell).split("\n") if line.strip()]
        departments = [n for name in names for n in (split_departments(name) or [name])]
        actual, plan = richtext.sanitise(actual_cell), richtext.sanitise(plan_cell)
        if departments != previous.departments or (actual and plan):
            return False
        previous.actual = richtext.serialise(
            [*richtext.parse(previous.actual), *richtext.parse(actual)]
        )
        previous.plan = richtext.serialise([*richtext.parse(previous.plan), *richtext.parse(plan)])
        self.warn(
            row,
            f"{previous.department_label}: ページの区切りの後に同じ部署の行が続いていたため、"
            "区切りの前の行の続きとしてつなぎました。確認してください。",
            previous.id,
            "joined",
        )
        return True

    def add_shifted(
        self, row: int, direction: Direction, text_cell: str, plan_cell: str, *, moved: bool
    ) -> None:
        """Departments named inside the text cell, each followed by its 実績.

        ``moved``: the 取組予定 sits one column left of its place (the sample's
        extraction); otherwise the department simply heads the 実績 text.
        """
        groups: list[tuple[str, list[Block]]] = []
        for block in richtext.parse(text_cell):
            first, _sep, rest = block.text.partition("\n")
            name = first.strip()
            if not is_department(name):
                # "市民協働推進課 新型コロナ…": the name and the text on one line.
                head, _sp, tail = first.replace("\u3000", " ").partition(" ")
                if is_department(head) and (tail or not groups):
                    name, rest = head, tail + ("\n" + rest if rest else "")
                else:
                    name = ""
            if name:
                runs = richtext.slice_runs(block.runs, len(block.text) - len(rest))
                groups.append((name, [Block(block.tag, runs)] if rest.strip() else []))
            elif groups:
                groups[-1][1].append(block)
            else:
                groups.append(("", [block]))
        plans = top_level_chunks(plan_cell)
        names = [name or "(部署名なし)" for name, _ in groups]
        pairs = ["".join(plans)] if len(groups) == 1 else pair_chunks(plans, len(groups))
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
            what = (
                "所管部署と実績が同じセルにあり、取組予定が1列左にずれていたため、列を直して"
                if moved
                else "所管部署が実績の1行目に書かれていたため、部署名として"
            )
            self.warn(
                row,
                f"{names[0]}: {what}取り込みました。",
                entries[0].id,
                "shifted" if moved else "department",
            )
            return
        note = (
            ""
            if len(plans) == len(groups)
            else (
                f"(取組予定の段落が{len(plans)}個、部署が{len(groups)}件のため、余りは最後の部署に"
                "入れました)"
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
        actual_groups = group_by_style(top_level_chunks(actual_cell))
        plan_groups = group_by_style(top_level_chunks(plan_cell))
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


def title_and_years(text: str) -> tuple[str, int | None]:
    """Split a title line into the title and the fiscal year of 実績 it names."""
    match = _TITLE_YEARS.match(text.strip())
    title, years = (match[1], match[2]) if match else (text.strip(), text)
    actual = None
    for part in re.split(r"[・、,／/]", years):
        if "実績" in part or (actual is None and "予定" not in part):
            try:
                actual = fiscal.parse_label(part)
            except ValueError:
                continue
            if "実績" in part:
                break
    return (title if match else text.strip()), actual


def _not_a_table(candidate: list[str] | None) -> ReportError:
    """The message for rows that hold no report table: what is missing, in words."""
    header = header_at([candidate], 0) if candidate else None
    if header is not None:
        return ReportError(f"進捗報告の表として読めません。{header.missing_message()}")
    return ReportError(
        "進捗報告の表として読めません(「基本目標・施策」「所管部署」「実績」「取組予定」の"
        "見出し行も、【基本目標】の行も、表の最初に見つかりません)。"
    )


def read_rows(
    rows: Iterable[Row],
    *,
    trusted: bool = False,
    title: str | None = None,
    actual_year: int | None = None,
) -> ImportResult:
    """Turn table rows into a report; raises ReportError when they are not one."""
    reader = TableReader(trusted=trusted)
    # Where the cells an entry is read from stand, and the further text
    # columns read back into the entry a row makes.
    entry_cells = [columns.index(role) for role in (columns.DEPARTMENTS, ACTUAL, PLAN)]
    extras = [
        (index, column)
        for index, column in enumerate(columns.declared())
        if column.holds == columns.TEXT
        and column.role not in (ACTUAL, PLAN)
        and column.store is not None
    ]
    year_from_header: int | None = None
    year_from_title: int | None = None
    title_lines: list[str] = []
    started = False
    after_break = False  # the header was just repeated (a page break)
    last_left = ""  # the left cell of the last department row
    repeats: set[str] = set()  # directions whose left cell was typed on every row
    for row in rows:
        reader.where = row.where
        cells = columns.sized(row.cells)
        plain = [richtext.to_plain(c).strip() for c in cells]
        if is_header_row(cells, plain):
            after_break = started
            started = True
            if year_from_header is None:
                year_from_header = header_year(plain)
            continue
        if not any(plain) and row.left is None:
            continue
        if row.note or (started and _is_note(plain, row)):
            text = " ".join(p for p in plain if p)
            reader.warn(
                row.number, f"表の後の文章「{text[:40]}」は取り込んでいません。", topic="note"
            )
            continue
        goal = _GOAL.match(plain[0]) if not any(plain[1:]) else None
        if row.preamble and not (goal and not trusted):
            if not started:
                title_lines.append("\n".join(p for p in plain if p))
            continue
        only_left = not any(plain[1:]) and row.left is None
        if only_left and not row.left_continues:
            if goal:
                started = True
                after_break = False
                last_left = ""
                reader.start_goal(row.number, goal[1], goal[2])
                continue
            if plain[0] and circled_value(plain[0][0]) and "\n" not in plain[0]:
                reader.start_direction(
                    row.number, circled_value(plain[0][0]), plain[0][1:].strip(" \u3000")
                )
                continue
            if not started:
                title_lines.append(plain[0])
                continue
        if not started:
            raise _not_a_table(plain)
        # The left cell typed again on each department row instead of merged.
        repeated = not trusted and bool(plain[0]) and plain[0] == last_left
        if repeated and reader.direction is not None and reader.direction.id not in repeats:
            repeats.add(reader.direction.id)  # reported once per block
            reader.warn(
                row.number,
                "左の列の同じ文章が部署の行ごとに繰り返されていたため、1つの基本的方向の"
                "行として読みました。",
                reader.direction.id,
                "repeated",
            )
        if any(plain[1:]) and not row.left_continues:
            last_left = plain[0]
        if not (row.left_continues or repeated):
            left = row.left if row.left is not None else parse_left_cell(cells[0])
            reader.add_left(row.number, left)
        if any(plain[1:]) or row.departments:
            joined = after_break and not trusted and reader.join_continuation(row.number, cells)
            if not joined:
                direction = reader.need_direction(row.number)
                before = len(direction.entries)
                dept, actual, plan = (cells[index] for index in entry_cells)
                reader.add_entries(row.number, dept, actual, plan, row.departments)
                # The further text columns go with the row's (first) entry.
                for entry in direction.entries[before : before + 1]:
                    for index, column in extras:
                        column.store(entry, richtext.sanitise(cells[index]))
        after_break = False
    reader.finish_body()
    if not reader.report.goals:
        raise (
            _not_a_table(None)
            if not started
            else ReportError("進捗報告の表として読めません(【基本目標】の行がありません)。")
        )
    for line in title_lines:
        found_title, found_year = title_and_years(line)
        if found_year and year_from_title is None:
            year_from_title = found_year
            title = title or found_title
    if title is None:
        title = next((t for t in title_lines if t), DEFAULT_TITLE)
    year = actual_year or year_from_header or year_from_title
    if year is None:
        raise ReportError(
            "年度が分かりません(見出しに「R2年度(実績)」のような年度がありません)。"
            "年度を指定して取り込んでください。"
        )
    reader.report.title = title
    reader.report.actual_year = year
    reader.report.renumber()
    return ImportResult(reader.report, reader.warnings)


def _is_note(plain: list[str], row: Row) -> bool:
    """A ※ note (or 注:) typed in the left column below or inside the table."""
    return (
        not any(plain[1:])
        and row.left is None
        and not row.left_continues
        and plain[0].startswith(("※", "注:", "注:", "(注)", "(注)"))
    )
