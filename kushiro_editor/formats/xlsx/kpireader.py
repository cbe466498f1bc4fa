"""Excel: the KPIs read back from the sheet 「指標」 this editor wrote (``xlsx.kpisheet``).

What a clerk sees and may correct is read from the cells: the name, unit,
baseline, target, the values by year with the places their number format
shows, a hand-set rating (「B（手動）」) and the departments. The rest comes
from the row's note on the very hidden sheet, found by the name it was
written with, so that rows moved, inserted or deleted in Excel keep their
own; a damaged note is left unread and the cells still are.
"""

from __future__ import annotations

import itertools
import json
import logging
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from ...core.kpi import fields
from ...core.kpi.numbers import parse_value
from ...core.model import (
    BETTER_LABELS,
    HIGHER,
    ImportWarning,
    Kpi,
    KpiTarget,
    KpiValue,
    ReportError,
    new_id,
    parse_departments,
)
from ..table import kpitable
from .cells import plain_value
from .kpisheet import NOTE_KIND, SHEET_TITLE

logger = logging.getLogger(__name__)

_PLACES = re.compile(r"0\.(0+)")


def _places(number_format_text: str) -> int:
    match = _PLACES.search(number_format_text.split(";", 1)[0])
    return len(match[1]) if match else 0


def cell_number(value, number_format_text: str = "General") -> Decimal | None:
    """A cell's number as an exact decimal with the places its format shows; None for 「－」."""
    value = plain_value(value)
    if value is None:
        return None
    if isinstance(value, bool):
        raise ReportError(f"「{value}」は数値として読めません。")
    if isinstance(value, int | float | Decimal):
        exact = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        places = _places(number_format_text)
        if not exact.is_finite():
            raise ReportError(f"「{value}」は数値として読めません。")
        if not places:
            return Decimal(int(exact)) if exact == exact.to_integral_value() else exact
        try:
            return exact.quantize(Decimal(1).scaleb(-places))
        except InvalidOperation as exc:
            raise ReportError(f"「{value}」は数値として読めません。") from exc
    text = str(value).strip()
    # 「－（集計中）」, 「530.5（速報値）」 typed as text: the note is the hidden sheet's.
    text = re.sub(r"[（(][^（()）]*[)）]$", "", text).strip()
    return parse_value(text)


def _headers(cells) -> dict[int, tuple[str, int | None]] | None:
    return kpitable.header_roles([str(plain_value(cell.value) or "") for cell in cells])


def read_sheet(sheet, notes: dict) -> tuple[list[kpitable.Placed], list[ImportWarning]]:
    """The KPIs of a sheet 「指標」 this editor wrote, where they stand, and what went wrong."""
    sheet.reset_dimensions()
    rows = sheet.iter_rows()
    header, header_row = None, 0
    for header_row, cells in enumerate(itertools.islice(rows, 10), start=1):  # noqa: B007
        header = _headers(cells)
        if header is not None:
            break
    if header is None:
        return [], [
            ImportWarning(
                row=0,
                topic="kpi",
                message=f"シート「{SHEET_TITLE}」に指標の表の見出しが見つからないため、"
                "指標は読み込んでいません。",
            )
        ]
    warnings: list[ImportWarning] = []
    place: list[int | None] = [None, None, None]
    pending: list[tuple[int, tuple, tuple[int | None, ...], str]] = []
    for number, cells in enumerate(rows, start=header_row + 1):
        shown = {i: plain_value(c.value) for i, c in enumerate(cells) if c.value not in (None, "")}
        if not shown:
            break  # the table ends at its first empty row; the legend and charts follow
        if list(shown) == [0]:
            level = kpitable.heading_level(str(shown[0]))
            if level is None:
                continue  # a legend line
            kind, index = level
            depth = ("goal", "direction", "measure").index(kind)
            place[depth] = index
            place[depth + 1 :] = [None] * (2 - depth)
            continue
        if place[0] is None:
            warnings.append(_unplaced(number, shown))
            continue
        pending.append((number, cells, tuple(place), str(shown.get(0, "")).strip()))
    chosen = _match_notes(notes, [(number, name) for number, _c, _p, name in pending])
    found: list[kpitable.Placed] = []
    for number, cells, (goal, direction, measure), _name in pending:
        try:
            kpi = _row_kpi(cells, header, chosen.get(number))
        except ReportError as exc:
            warnings.append(
                ImportWarning(row=number, topic="kpi", message=f"指標の{number}行目: {exc}")
            )
            continue
        found.append(kpitable.Placed(kpi, goal, direction, measure, number))
    return found, warnings


def _noted_name(note) -> str | None:
    try:
        name = json.loads(note[1][0]).get("name")
    except (ValueError, TypeError, AttributeError, IndexError):
        return None
    return name if isinstance(name, str) else None


def _match_notes(notes: dict, rows: list[tuple[int, str]]) -> dict[int, tuple]:
    """The hidden note of each KPI row (by row number), each note given to one row at most.

    A note goes to the row showing the name it was written with, the nearest
    such row first, so that rows moved, inserted or deleted in Excel keep their
    own; a row renamed in place keeps the note of its row when no row shows
    that note's name. A row left without a note is a KPI added in Excel.
    """
    written = {first: note for (kind, first), note in notes.items() if kind == NOTE_KIND}
    by_name: dict[str, list[int]] = {}
    for first, note in written.items():
        by_name.setdefault(_noted_name(note) or "", []).append(first)
    shown = {name for _number, name in rows}
    used: set[int] = set()
    chosen: dict[int, tuple] = {}
    for number, name in rows:
        free = [first for first in by_name.get(name, []) if first not in used]
        if name and free:
            pick = min(free, key=lambda first: abs(first - number))
            used.add(pick)
            chosen[number] = written[pick]
    for number, _name in rows:
        note = written.get(number)
        free = number not in chosen and note is not None and number not in used
        if free and _noted_name(note) not in shown:
            used.add(number)
            chosen[number] = note
    return chosen


def _unplaced(number: int, shown: dict) -> ImportWarning:
    return ImportWarning(
        row=number,
        topic="kpi",
        message=f"シート「{SHEET_TITLE}」の{number}行目の指標「{shown.get(0, '')}」は"
        "基本目標などの見出しの下にないため、読み込んでいません。",
    )


@dataclass
class _Hidden:
    """What the hidden sheet noted of a KPI's row (the defaults where it noted nothing)."""

    id: str = ""
    better: str = HIGHER
    baseline_year: int | None = None
    target_year: int | None = None
    notes: dict[int, str] = field(default_factory=dict)
    targets: tuple[KpiTarget, ...] = ()
    comment: str = ""
    override_reason: str = ""


def _year(value: object) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"not a year: {value!r}")
    return value


def _hidden(note) -> _Hidden:
    """The note of a row, each value of the right type; a damaged note is left unread."""
    if note is None or not note[1]:
        return _Hidden()
    try:
        data = json.loads(note[1][0])
        better = data.get("better", HIGHER)
        return _Hidden(
            id=str(data.get("id") or ""),
            better=better if better in BETTER_LABELS else HIGHER,
            baseline_year=_year(data.get("baseline_year")),
            target_year=_year(data.get("target_year")),
            notes={_year(year): str(text) for year, text in data.get("notes", [])},
            targets=tuple(
                KpiTarget(_year(year), parse_value(str(value)))
                for year, value in data.get("targets", [])
            ),
            comment=str(data.get("comment", "")),
            override_reason=str(data.get("override_reason", "")),
        )
    except (ValueError, TypeError, AttributeError, ReportError):
        logger.warning("an unreadable KPI note of the hidden sheet is left unread")
        return _Hidden()


def _row_kpi(cells, header: dict[int, tuple[str, int | None]], note) -> Kpi:
    hidden = _hidden(note)
    texts: dict[str, str] = {}
    numbers: dict[str, Decimal | None] = {}
    values: dict[int, Decimal | None] = {}
    for index, (role, year) in header.items():
        cell = cells[index] if index < len(cells) else None
        raw = None if cell is None else cell.value
        if role in (kpitable.BASELINE, kpitable.TARGET):
            numbers[role] = cell_number(raw, cell.number_format if cell is not None else "")
        elif role == kpitable.YEARS:
            values[year] = cell_number(raw, cell.number_format if cell is not None else "")
        else:
            texts[role] = str(plain_value(raw) or "").strip()
    notes = hidden.notes
    items = []
    for year in sorted(set(notes) | {y for y, v in values.items() if v is not None}):
        value = values.get(year)
        items.append(KpiValue(year, None if value is None else value, notes.get(year, "")))
    rating = texts.get(kpitable.RATING, "")
    override = rating.removesuffix(kpitable.MANUAL) if rating.endswith(kpitable.MANUAL) else ""
    kpi = Kpi(
        name=texts.get(kpitable.NAME, ""),
        unit=texts.get(kpitable.UNIT, ""),
        departments=parse_departments(texts.get(kpitable.DEPARTMENTS, "")),
        better=hidden.better,
        baseline=numbers.get(kpitable.BASELINE),
        baseline_year=hidden.baseline_year,
        target=numbers.get(kpitable.TARGET),
        target_year=hidden.target_year,
        yearly_targets=hidden.targets,
        values=tuple(items),
        comment=hidden.comment,
        override=override,
        override_reason=hidden.override_reason if override else "",
        id=hidden.id or new_id(),
    )
    fields.check_kpi(kpi)
    return kpi
