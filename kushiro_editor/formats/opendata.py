"""The report as open data (``export --csv``), and such a file read back.

The form of the 自治体標準オープンデータセット: UTF-8 with a BOM (so that Excel
opens it without mojibake), one header row, no merged cells, one record per
department row, the municipality's code (全国地方公共団体コード, six digits with
its check digit) and name on every record, the fiscal year both in the western
form and as its 和暦 label, and the texts as plain text with their line breaks
kept inside quoted fields. Reading it back gives the same goals, directions,
departments and texts; the measures and main projects are not in the records.
A report with KPIs gets a second CSV beside it, one record per KPI and year.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

from ..core import fiscal, richtext
from ..core.model import Direction, Entry, Goal, ImportResult, ImportWarning, Report, ReportError
from .files import decode_text, read_whole, write_atomically

CITY_CODE = "012068"  # 釧路市 (012068: 01 北海道, 206 釧路市, check digit 8)
CITY_NAME = "釧路市"


@dataclass(frozen=True)
class Publisher:
    """Who publishes the report: the municipality's code and name on every record."""

    code: str = CITY_CODE
    name: str = CITY_NAME

    def __post_init__(self) -> None:
        if not check_digit_ok(self.code):
            raise ReportError(
                f"全国地方公共団体コード「{self.code}」が正しくありません"
                "(6桁で、6桁目は検査数字です。釧路市は 012068)。"
            )


COLUMNS = (
    "全国地方公共団体コード",
    "地方公共団体名",
    "報告名",
    "実績年度",
    "実績年度(和暦)",
    "取組予定年度",
    "取組予定年度(和暦)",
    "基本目標番号",
    "基本目標",
    "基本的方向番号",
    "基本的方向",
    "所管部署",
    "実績",
    "取組予定",
)
DEPARTMENT_SEPARATOR = "、"  # two departments sharing one row
_CODE = re.compile(r"\d{6}")


def check_digit_ok(code: str) -> bool:
    """Whether a 全国地方公共団体コード's sixth digit is the check digit of the first five."""
    if not _CODE.fullmatch(code):
        return False
    total = sum(int(d) * w for d, w in zip(code[:5], (6, 5, 4, 3, 2), strict=True))
    remainder = total % 11
    digit = (11 - remainder) % 10 if remainder else 1
    return int(code[5]) == digit


def records(report: Report, publisher: Publisher | None = None) -> list[list[str]]:
    """The header row, then one record per department row (directions without rows: none)."""
    publisher = publisher or Publisher()
    actual, plan = report.actual_year, report.plan_year
    years = [str(actual), fiscal.long_label(actual), str(plan), fiscal.long_label(plan)]
    rows = [list(COLUMNS)]
    for goal_number, goal in enumerate(report.goals, start=1):
        for number, direction in enumerate(goal.directions, start=1):
            for entry in direction.entries:
                rows.append(
                    [
                        publisher.code,
                        publisher.name,
                        report.title,
                        *years,
                        str(goal_number),
                        goal.title,
                        str(number),
                        direction.title,
                        DEPARTMENT_SEPARATOR.join(entry.departments),
                        richtext.to_plain(entry.actual),
                        richtext.to_plain(entry.plan),
                    ]
                )
    return rows


KPI_COLUMNS = (
    "全国地方公共団体コード",
    "地方公共団体名",
    "報告名",
    "基本目標番号",
    "基本目標",
    "基本的方向番号",
    "基本的方向",
    "施策",
    "指標名",
    "単位",
    "所管部署",
    "よい方向",
    "基準値",
    "基準年度",
    "目標値",
    "目標年度",
    "年度",
    "年度(和暦)",
    "実績値",
    "注記",
    "その年度の目標値",
    "達成率(%)",
    "評価",
    "評価の決め方",
)


def _year_cells(year: int | None) -> str:
    return str(year) if year is not None else ""


def kpi_records(report: Report, publisher: Publisher | None = None) -> list[list[str]]:
    """The header row, then one record per KPI and fiscal year of its values (long form).

    A KPI with no value yet is one record with the year left empty. Numbers are
    written as kept (「12.30」), a value not known is empty, never 0.
    """
    from ..core.kpi import fields, progress
    from ..core.kpi.numbers import value_text
    from ..core.model import BETTER_LABELS

    publisher = publisher or Publisher()
    rows = [list(KPI_COLUMNS)]
    goal_numbers = {id(goal): n for n, goal in enumerate(report.goals, start=1)}
    for goal, direction, owner in fields.owners(report):
        number = ""
        if direction is not None:
            number = str(goal.directions.index(direction) + 1)
        measure = owner.heading if owner is not direction and owner is not goal else ""
        for kpi in owner.kpis:
            head = [
                publisher.code,
                publisher.name,
                report.title,
                str(goal_numbers[id(goal)]),
                goal.title,
                number,
                direction.title if direction is not None else "",
                measure,
                kpi.name,
                kpi.unit,
                DEPARTMENT_SEPARATOR.join(kpi.departments),
                BETTER_LABELS.get(kpi.better, kpi.better),
                value_text(kpi.baseline) or "",
                _year_cells(kpi.baseline_year),
                value_text(kpi.target) or "",
                _year_cells(kpi.target_year),
            ]
            years = progress.history(report, kpi)
            if not years:
                rows.append([*head, *[""] * (len(KPI_COLUMNS) - len(head))])
            for row in years:
                rating = row.rating
                rated = row.value is not None or rating.overridden
                rows.append(
                    [
                        *head,
                        str(row.year),
                        fiscal.long_label(row.year),
                        value_text(row.value) or "",
                        row.note,
                        value_text(row.target) or "",
                        value_text(row.rate) or "",
                        rating.label if rated else "",
                        ("手動" if rating.overridden else "計算") if rated else "",
                    ]
                )
    return rows


def _csv(rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerows(rows)
    return buffer.getvalue()


def render(report: Report, publisher: Publisher | None = None) -> str:
    """The CSV text, lines ended CRLF as RFC 4180 and Excel write them."""
    return _csv(records(report, publisher))


def render_kpis(report: Report, publisher: Publisher | None = None) -> str:
    """The KPIs' CSV text (long form: one record per KPI and year)."""
    return _csv(kpi_records(report, publisher))


def write_file(report: Report, path: Path | str, publisher: Publisher | None = None) -> None:
    """Write the CSV atomically, UTF-8 with a BOM; the KPIs' CSV beside it when there are any.

    The KPIs' file is the registry's companion of ``path`` (「報告_指標.csv」), which
    the export's target check has checked with it.
    """
    from ..core.kpi import fields
    from . import registry

    path = Path(path)
    data = render(report, publisher).encode("utf-8-sig")
    write_atomically(path, lambda handle: handle.write(data))
    if fields.has_kpis(report):
        (beside,) = registry.get("csv").companions(path)
        kpis = render_kpis(report, publisher).encode("utf-8-sig")
        write_atomically(beside, lambda handle: handle.write(kpis))


# -- reading -----------------------------------------------------------------------------
def read_file(path: Path, *, actual_year: int | None = None) -> ImportResult:
    """Read an open-data CSV this editor wrote (or one of the same columns)."""
    return read(decode_text(read_whole(path)), actual_year=actual_year)


def _year(text: str, row: int) -> int:
    try:
        year = int(text)
        fiscal.long_label(year)  # a year the editor can name
    except ValueError as exc:
        raise ReportError(f"{row}行目: 年度「{text}」が読めません。") from exc
    return year


def read(text: str, *, actual_year: int | None = None) -> ImportResult:
    """The report the records describe; rows kept in the file's order."""
    lines = list(csv.reader(io.StringIO(text, newline="")))
    if not lines or [c.strip() for c in lines[0]] != list(COLUMNS):
        raise ReportError(
            "オープンデータの CSV ではありません(1行目の見出しが "
            f"「{'・'.join(COLUMNS[:3])}…」ではありません)。"
        )
    report: Report | None = None
    goals: dict[str, Goal] = {}
    directions: dict[tuple[str, str], Direction] = {}
    warnings: list[ImportWarning] = []
    for row, cells in enumerate(lines[1:], start=2):
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != len(COLUMNS):
            raise ReportError(f"{row}行目: 列の数が {len(cells)} です({len(COLUMNS)} 列のはず)。")
        values = dict(zip(COLUMNS, cells, strict=True))
        year = actual_year or _year(values["実績年度"], row)
        if report is None:
            report = Report(title=values["報告名"], actual_year=year)
        elif year != report.actual_year:
            raise ReportError(f"{row}行目: 実績年度が {year} で、前の行と違います。")
        goal_key = values["基本目標番号"]
        goal = goals.get(goal_key)
        if goal is None:
            goal = goals[goal_key] = Goal(title=values["基本目標"])
            report.goals.append(goal)
        key = (goal_key, values["基本的方向番号"])
        direction = directions.get(key)
        if direction is None:
            direction = directions[key] = Direction(title=values["基本的方向"])
            goal.directions.append(direction)
        names = [n.strip() for n in values["所管部署"].split(DEPARTMENT_SEPARATOR) if n.strip()]
        direction.entries.append(
            Entry(
                departments=names,
                actual=richtext.from_plain(values["実績"]),
                plan=richtext.from_plain(values["取組予定"]),
            )
        )
    if report is None:
        raise ReportError("オープンデータの CSV に部署の行がありません。")
    warnings.append(
        ImportWarning(
            0,
            "オープンデータの CSV には具体的な施策と主な事業がないため、"
            "基本目標・基本的方向と部署ごとの文章だけを読みました。",
        )
    )
    report.renumber()
    return ImportResult(report, warnings)
