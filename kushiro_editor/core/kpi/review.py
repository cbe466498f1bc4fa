"""Checks of a report's KPIs before submission, beside the checks of its texts.

Per KPI:

* ``kpi_missing``: no value for the report's own fiscal year (a year without an
  entry, or one kept as not known yet);
* ``kpi_jump``: a value more than ten times, or less than a tenth of, the
  previous year's value — more likely a unit typed wrong (千人 for 人, 円 for
  千円) than a real change;
* ``kpi_unmet``: a target whose fiscal year has come (目標年度 in or before the
  report's year) with a value of that year that does not reach it (the
  achievement rate below 100 %, in the direction that is better);
* ``kpi_misplaced``: a number typed into a value's note or into the comment
  while the value is empty, or the unit typed into a note.

The value itself cannot hold text: :func:`numbers.parse_value` refuses 「12人」
at the door and the store keeps only decimals, so a number typed in the wrong
place can only be in a note or the comment.

The checks return plain rows (:class:`KpiFinding`); :func:`core.review.check`
makes them findings of the review, so that the panel, the check before export
and the command line list them with the others.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from .. import fiscal
from ..model import LOWER, Direction, Goal, Kpi, Report
from . import fields
from .achievement import achievement_rate, format_rate
from .numbers import format_value

logger = logging.getLogger(__name__)

RULE_LABELS = {
    "kpi_missing": "今年度の実績値なし",
    "kpi_jump": "前年度から桁違いの値",
    "kpi_unmet": "目標年度で未達成",
    "kpi_misplaced": "数値・単位の書き場所",
}
# The KPI's values a finding is about, named as the KPI's fields are.
FIELD_LABELS = {
    "values": fields.label("values"),
    "target": fields.label("target"),
    "comment": fields.label("comment"),
}

# Beyond this factor from one year to the next a change is taken for a unit slip.
JUMP_FACTOR = Decimal(10)
_HUNDRED = Decimal(100)
# A number as a person types it into a text: 1,234 / 12.5 / △3 / 約530, with a
# unit after it or not (folded to half-width first).
_TYPED_NUMBER = re.compile(r"(?:約|およそ)?[△▲+\-−]?\d[\d,]*(?:\.\d+)?")
# Units offices write beside a KPI's number; a note that is only one of them
# (or the KPI's own unit) is a unit typed into the note.
COMMON_UNITS = frozenset(
    {
        "人",
        "万人",
        "千人",
        "件",
        "回",
        "社",
        "戸",
        "世帯",
        "箇所",
        "か所",
        "カ所",
        "%",
        "ポイント",
        "円",
        "千円",
        "万円",
        "百万円",
        "億円",
        "t",
        "トン",
        "ha",
        "km",
        "泊",
        "日",
        "歳",
        "年",
    }
)


@dataclass(frozen=True)
class KpiFinding:
    """One thing to look at in a KPI: where it stands, which value, which rule, why."""

    goal: Goal
    direction: Direction | None
    owner: object  # the goal, direction or measure holding the KPI
    kpi: Kpi
    field: str  # a key of FIELD_LABELS
    rule: str  # a key of RULE_LABELS
    detail: str


def check(report: Report) -> list[KpiFinding]:
    """Every finding of the report's KPIs, in document order."""
    found: list[KpiFinding] = []
    for goal, direction, owner in fields.owners(report):
        for kpi in owner.kpis:
            for field, rule, detail in check_kpi(report, kpi):
                found.append(KpiFinding(goal, direction, owner, kpi, field, rule, detail))
    return found


def check_kpi(report: Report, kpi: Kpi) -> list[tuple[str, str, str]]:
    """The findings of one KPI in a report: ``(field, rule, detail)``."""
    return [
        *_missing(report, kpi),
        *_jumps(kpi),
        *_unmet(report, kpi),
        *_misplaced(kpi),
    ]


def _missing(report: Report, kpi: Kpi) -> Iterator[tuple[str, str, str]]:
    year = report.actual_year
    item = kpi.value_of(year)
    if item is None or item.value is None:
        note = f"(注記: {item.note})" if item is not None and item.note else ""
        yield "values", "kpi_missing", f"{fiscal.short_label(year)}の実績値がありません{note}"


def previous_value(kpi: Kpi, year: int) -> Decimal | None:
    """The value a year follows: the year before's, or the baseline when it is of that year."""
    item = kpi.value_of(year - 1)
    if item is not None and item.value is not None:
        return item.value
    if item is None and kpi.baseline_year == year - 1:
        return kpi.baseline
    return None


def is_jump(previous: Decimal, value: Decimal) -> bool:
    """Whether a value is more than ten times, or under a tenth of, the one before.

    A unit slip multiplies a number and keeps its sign: zero on either side, or
    a change of sign (社会増減数 from −5 to +80), is a real change, never a jump.
    """
    if previous == 0 or value == 0 or (previous < 0) != (value < 0):
        return False
    before, after = abs(previous), abs(value)
    return after > before * JUMP_FACTOR or before > after * JUMP_FACTOR


def _jumps(kpi: Kpi) -> Iterator[tuple[str, str, str]]:
    for item in kpi.values:
        previous = previous_value(kpi, item.year)
        if item.value is None or previous is None or not is_jump(previous, item.value):
            continue
        unit = kpi.unit
        yield (
            "values",
            "kpi_jump",
            f"{fiscal.short_label(item.year)}の {_number(item.value)}{unit} は"
            f"{fiscal.short_label(item.year - 1)}の {_number(previous)}{unit} から"
            "10倍を超えて変わっています(単位の誤りではありませんか)",
        )


def _unmet(report: Report, kpi: Kpi) -> Iterator[tuple[str, str, str]]:
    # Only the final target: the target path's targets of the years on the way are
    # what the year's rating is judged against, and the rating already says how far
    # a KPI is behind; once the target year has come, the office must say why.
    year, target = kpi.target_year, kpi.target
    if target is None or year is None or year > report.actual_year:
        return
    item = kpi.value_of(year)
    value = item.value if item is not None else None
    rate = achievement_rate(
        value,
        kpi.baseline,
        target,
        mode=report.kpi_settings.rate_mode,
        lower_is_better=kpi.better == LOWER,
    )
    # No value: the missing value is its own finding (for this year) or history.
    if rate is None or rate >= _HUNDRED:
        return
    unit = kpi.unit
    yield (
        "target",
        "kpi_unmet",
        f"目標年度({fiscal.short_label(year)})の目標値 {_number(target)}{unit} に対し"
        f"実績値 {_number(value)}{unit}(達成率 {format_rate(rate)})",
    )


def _number(value: Decimal | None) -> str:
    return format_value(value, grouping=True)


def _folded(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip()


def looks_like_number(text: str, unit: str = "") -> bool:
    """Whether a text is only a number, perhaps with a unit after it: 「530」「約1,200人」."""
    folded = _folded(text)
    match = _TYPED_NUMBER.match(folded)
    if match is None:
        return False
    rest = folded[match.end() :].strip()
    return rest == "" or rest == _folded(unit) or rest in COMMON_UNITS


def is_unit(text: str, unit: str = "") -> bool:
    """Whether a text is only a unit: the KPI's own or one offices commonly write."""
    folded = _folded(text)
    return bool(folded) and (folded == _folded(unit) or folded in COMMON_UNITS)


def _misplaced(kpi: Kpi) -> Iterator[tuple[str, str, str]]:
    for item in kpi.values:
        if not item.note:
            continue
        year = fiscal.short_label(item.year)
        if item.value is None and looks_like_number(item.note, kpi.unit):
            yield (
                "values",
                "kpi_misplaced",
                f"{year}の実績値が空で、注記に「{item.note}」とあります"
                "(数値は実績値の欄に入力してください)",
            )
        elif is_unit(item.note, kpi.unit):
            yield (
                "values",
                "kpi_misplaced",
                f"{year}の注記が単位「{item.note}」だけです(単位は指標の単位の欄に入力します)",
            )
    if kpi.comment and looks_like_number(kpi.comment, kpi.unit):
        empty = [fiscal.short_label(v.year) for v in kpi.values if v.value is None]
        where = f"(実績値が空の年度: {'、'.join(empty)})" if empty else ""
        yield (
            "comment",
            "kpi_misplaced",
            f"備考が数値「{kpi.comment}」だけです。実績値の欄に入力するものではありませんか{where}",
        )
