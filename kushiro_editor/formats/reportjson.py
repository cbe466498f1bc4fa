"""The versioned, diff-friendly JSON form of one report (``dump``, import, export).

Version 1 is a report without KPIs; a report with KPIs (or its own way of
rating them) is written as version 2, so that an editor that knows nothing of
KPIs refuses the file instead of dropping them. A report without KPIs is
written exactly as before.
"""

from __future__ import annotations

import json
import logging
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..core import kinds, richtext, validate
from ..core.kpi import fields as kpi_fields
from ..core.kpi.numbers import parse_value, value_text
from ..core.kpi.scales import settings_from_data, settings_to_data
from ..core.model import (
    BETTER_LABELS,
    STATE_CARRIED,
    STATE_CONFIRMED,
    STATE_NONE,
    Direction,
    Entry,
    Goal,
    ImportResult,
    ImportWarning,
    Kpi,
    KpiTarget,
    KpiValue,
    MainProject,
    Measure,
    Report,
    ReportError,
    kana_label,
)
from .files import decode_text, read_whole, write_atomically

logger = logging.getLogger(__name__)

FORMAT = "kushiro-progress-report"
VERSION = 2  # the newest version read and written
WITHOUT_KPIS = 1  # the version of a report without KPIs
_STATES = (STATE_NONE, STATE_CARRIED, STATE_CONFIRMED)
# The described fields each reader method above reads (and checks) by name.
_READ_BY_NAME = {
    "report": ("title",),
    "goal": ("title",),
    "direction": ("title",),
    "measure": ("title", "body"),
    "project": ("name", "relisted"),
    "entry": (
        "departments",
        "actual",
        "plan",
        "actual_state",
        "plan_state",
        "previous_actual",
        "previous_plan",
        "answered_by",
        "answered_at",
    ),
}


def to_dict(report: Report, warnings: list[ImportWarning] | None = None) -> dict[str, Any]:
    """The report as JSON-ready data, numbers and labels included for readers.

    Numbers and labels come from positions, as ``Report.renumber`` gives them;
    the report handed in is left as it is.
    """
    with_kpis = kpi_fields.has_kpis(report) or not report.kpi_settings.is_default
    data: dict[str, Any] = {
        "format": FORMAT,
        "version": VERSION if with_kpis else WITHOUT_KPIS,
        "id": report.id,
        "title": report.title,
        "actual_year": report.actual_year,
        "goals": [_goal(goal, n) for n, goal in enumerate(report.goals, start=1)],
    }
    if not report.kpi_settings.is_default:
        data["kpi_settings"] = settings_to_data(report.kpi_settings)
    _declared(report, data)
    if warnings:
        data["warnings"] = [
            {"row": w.row, "message": w.message, "node_id": w.node_id, "kind": w.topic}
            for w in warnings
        ]
    return data


def _declared(node: object, data: dict[str, Any]) -> dict[str, Any]:
    """The node's described values not written yet: those that differ from the default.

    A field added to a kind's description is written (and read back) with no
    change here.
    """
    for field in kinds.of(node).fields:
        value = getattr(node, field.name, field.default)
        if field.name not in data and value not in (None, "", field.default):
            data[field.name] = list(value) if field.type == kinds.NAMES else value
    return data


def _with_kpis(node: Goal | Direction | Measure, data: dict[str, Any]) -> dict[str, Any]:
    """The node's KPIs under "kpis", only when it has any (a report without stays as it was)."""
    if node.kpis:
        data["kpis"] = [_kpi(kpi) for kpi in node.kpis]
    return data


def _kpi(kpi: Kpi) -> dict[str, Any]:
    """A KPI with every value; numbers as decimal text ("12.30"), null where not known."""
    data: dict[str, Any] = {"id": kpi.id}
    for kpi_field in kpi_fields.FIELDS:
        value = kpi_fields.value(kpi, kpi_field)
        if kpi_field.type == kpi_fields.NUMBER:
            value = value_text(value)
        elif kpi_field.type == kpi_fields.NAMES:
            value = list(value)
        elif kpi_field.type == kpi_fields.VALUES:
            value = [{"year": i.year, "value": value_text(i.value), "note": i.note} for i in value]
        elif kpi_field.type == kpi_fields.TARGETS:
            value = [{"year": i.year, "value": value_text(i.value)} for i in value]
        data[kpi_field.name] = value
    return data


def _goal(goal: Goal, number: int) -> dict[str, Any]:
    data: dict[str, Any] = {"id": goal.id, "number": number, "title": goal.title}
    _with_kpis(goal, data)
    data["directions"] = [_direction(d, n) for n, d in enumerate(goal.directions, start=1)]
    return _declared(goal, data)


def _direction(direction: Direction, number: int) -> dict[str, Any]:
    data: dict[str, Any] = {"id": direction.id, "number": number, "title": direction.title}
    _with_kpis(direction, data)
    data["measures"] = [
        _declared(
            m,
            _with_kpis(m, {"id": m.id, "label": kana_label(i), "title": m.title, "body": m.body}),
        )
        for i, m in enumerate(direction.measures)
    ]
    data["main_projects"] = [
        _declared(p, {"id": p.id, "name": p.name, "relisted": p.relisted})
        for p in direction.main_projects
    ]
    data["entries"] = [_entry(e) for e in direction.entries]
    return _declared(direction, data)


def _entry(entry: Entry) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": entry.id,
        "departments": list(entry.departments),
        "actual": entry.actual,
        "plan": entry.plan,
    }
    return _declared(entry, data)


def dumps(report: Report, warnings: list[ImportWarning] | None = None) -> str:
    """The report as pretty, stable JSON text."""
    return json.dumps(to_dict(report, warnings), ensure_ascii=False, indent=2) + "\n"


def write(report: Report, path: Path | str, warnings: list[ImportWarning] | None = None) -> None:
    """Write the JSON form atomically."""
    text = dumps(report, warnings).encode("utf-8")
    write_atomically(path, lambda handle: handle.write(text))


# -- reading -----------------------------------------------------------------
class _Reader:
    def __init__(self) -> None:
        self.path: list[str] = []

    def fail(self, message: str) -> ReportError:
        where = ".".join(self.path)
        return ReportError(f"JSON の {where or '最上位'} : {message}")

    def obj(self, value: Any) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail("オブジェクトではありません")
        return value

    def get(
        self, data: dict[str, Any], key: str, kind: type | tuple[type, ...], default: Any = ...
    ) -> Any:
        if key not in data:
            if default is ...:
                raise self.fail(f"「{key}」がありません")
            return default
        value = data[key]
        if (kind is int and isinstance(value, bool)) or not isinstance(value, kind):
            raise self.fail(f"「{key}」の型が違います")
        return value

    def items(self, data: dict[str, Any], key: str) -> list[Any]:
        return self.get(data, key, list, [])

    def text(self, data: dict[str, Any], key: str, default: Any = ...) -> str:
        return richtext.clean_text(self.get(data, key, str, default)).strip()

    def rich(self, data: dict[str, Any], key: str) -> str:
        return richtext.sanitise(self.get(data, key, str, ""))

    def node_id(self, data: dict[str, Any], seen: set[str]) -> dict[str, Any]:
        node_id = self.get(data, "id", str, None)
        if node_id is None:
            return {}
        if not node_id or len(node_id) > 64 or node_id in seen:
            raise self.fail(f"id「{node_id[:64]}」が空か重複しています")
        try:
            validate.node_id(node_id)
        except ReportError as exc:
            raise self.fail(str(exc).rstrip("。")) from exc
        seen.add(node_id)
        return {"id": node_id}

    def report(self, data: Any) -> ImportResult:
        data = self.obj(data)
        if data.get("format") != FORMAT:
            raise ReportError('進捗報告の JSON ではありません("format" が違います)。')
        version = self.get(data, "version", int)
        if version < 1:
            raise ReportError(f"この JSON の形式の版({version})は正しくありません(1 以上です)。")
        if version > VERSION:
            raise ReportError(
                f"この JSON は新しい形式(版 {version})です。エディタを更新してください。"
            )
        seen: set[str] = set()
        year = self.get(data, "actual_year", int)
        if not 1989 <= year <= 2200 or not validate.is_supported_year(year):
            raise self.fail(f"actual_year {year} は年度として正しくありません")
        report = Report(
            title=self.text(data, "title", ""), actual_year=year, **self.node_id(data, seen)
        )
        self.declared(report, data)
        if "kpi_settings" in data:
            self.path.append("kpi_settings")
            try:
                report.kpi_settings = settings_from_data(data["kpi_settings"])
            except ValueError as exc:
                raise self.fail(str(exc)) from exc
            self.path.pop()
        for gi, goal_data in enumerate(self.items(data, "goals")):
            self.path.append(f"goals[{gi}]")
            goal_data = self.obj(goal_data)
            goal = Goal(title=self.text(goal_data, "title", ""), **self.node_id(goal_data, seen))
            self.declared(goal, goal_data)
            goal.kpis = self.kpis(goal_data, seen)
            for di, direction_data in enumerate(self.items(goal_data, "directions")):
                self.path.append(f"directions[{di}]")
                goal.directions.append(self.direction(self.obj(direction_data), seen))
                self.path.pop()
            report.goals.append(goal)
            self.path.pop()
        warnings = []
        for wi, item in enumerate(self.items(data, "warnings")):
            self.path.append(f"warnings[{wi}]")
            item = self.obj(item)
            warnings.append(
                ImportWarning(
                    row=self.get(item, "row", int, 0),
                    message=self.text(item, "message"),
                    node_id=self.get(item, "node_id", str, ""),
                    topic=self.get(item, "kind", str, ""),
                )
            )
            self.path.pop()
        report.renumber()
        return ImportResult(report, warnings)

    def direction(self, data: dict[str, Any], seen: set[str]) -> Direction:
        direction = Direction(title=self.text(data, "title", ""), **self.node_id(data, seen))
        self.declared(direction, data)
        direction.kpis = self.kpis(data, seen)
        for mi, item in enumerate(self.items(data, "measures")):
            self.path.append(f"measures[{mi}]")
            item = self.obj(item)
            measure = Measure(
                title=self.text(item, "title", ""),
                body=self.rich(item, "body"),
                **self.node_id(item, seen),
            )
            measure.kpis = self.kpis(item, seen)
            direction.measures.append(self.declared(measure, item))
            self.path.pop()
        for pi, item in enumerate(self.items(data, "main_projects")):
            self.path.append(f"main_projects[{pi}]")
            item = self.obj(item)
            project = MainProject(
                name=self.text(item, "name"),
                relisted=self.get(item, "relisted", bool, False),
                **self.node_id(item, seen),
            )
            direction.main_projects.append(self.declared(project, item))
            self.path.pop()
        for ei, item in enumerate(self.items(data, "entries")):
            self.path.append(f"entries[{ei}]")
            direction.entries.append(self.entry(self.obj(item), seen))
            self.path.pop()
        return direction

    def entry(self, data: dict[str, Any], seen: set[str]) -> Entry:
        departments = self.get(data, "departments", list, [])
        if not all(isinstance(name, str) for name in departments):
            raise self.fail("departments は文字列の配列にしてください")
        names = [richtext.clean_text(name).strip() for name in departments]
        entry = Entry(
            departments=[n for n in names if n],
            actual=self.rich(data, "actual"),
            plan=self.rich(data, "plan"),
            **self.node_id(data, seen),
        )
        for key in ("actual_state", "plan_state"):
            state = self.get(data, key, str, STATE_NONE)
            if state not in _STATES:
                raise self.fail(f"{key}「{state}」は使えません")
            setattr(entry, key, state)
        for key in ("previous_actual", "previous_plan"):
            value = self.get(data, key, str, None)
            setattr(entry, key, None if value is None else richtext.sanitise(value))
        entry.answered_by = self.text(data, "answered_by", "")
        entry.answered_at = self.text(data, "answered_at", "")
        return self.declared(entry, data)

    def kpis(self, data: dict[str, Any], seen: set[str]) -> list[Kpi]:
        out = []
        for ki, item in enumerate(self.items(data, "kpis")):
            self.path.append(f"kpis[{ki}]")
            out.append(self.kpi(self.obj(item), seen))
            self.path.pop()
        return out

    def kpi(self, data: dict[str, Any], seen: set[str]) -> Kpi:
        kpi = Kpi(name=self.text(data, "name", ""), **self.node_id(data, seen))
        for kpi_field in kpi_fields.FIELDS:
            name, kind = kpi_field.name, kpi_field.type
            if name == "name":
                continue
            if kind == kpi_fields.TEXT:
                value: object = self.text(data, name, kpi_field.default)
            elif kind == kpi_fields.NAMES:
                names = self.get(data, name, list, [])
                if not all(isinstance(n, str) for n in names):
                    raise self.fail(f"{name} は文字列の配列にしてください")
                value = [n for n in (richtext.clean_text(n).strip() for n in names) if n]
            elif kind == kpi_fields.NUMBER:
                value = self.number(data, name, optional=True)
            elif kind == kpi_fields.YEAR:
                value = self.year(data, name, optional=True)
            elif kind == kpi_fields.BETTER:
                value = self.get(data, name, str, kpi_field.default)
                if value not in BETTER_LABELS:
                    raise self.fail(f"{name}「{value}」は使えません(higher か lower)")
            else:
                value = self.years(data, name, kind)
            try:
                setattr(kpi, name, kpi_fields.check(name, value))
            except ReportError as exc:
                raise self.fail(f"{name}: {str(exc).rstrip('。')}") from exc
        return kpi

    def number(self, data: dict[str, Any], key: str, *, optional: bool) -> Decimal | None:
        value = data.get(key)
        if value is None and optional:
            return None
        if isinstance(value, bool) or not isinstance(value, (str, int)):
            # A JSON number with a fraction has become a float already: 12.30 is 12.3.
            raise self.fail(f'「{key}」は数値を文字列で書いてください(例 "12.30")')
        try:
            number = parse_value(str(value))
        except ReportError as exc:
            raise self.fail(str(exc).rstrip("。")) from exc
        if number is None and not optional:
            raise self.fail(f"「{key}」がありません")
        return number

    def year(self, data: dict[str, Any], key: str, *, optional: bool) -> int | None:
        value = data.get(key)
        if value is None and optional:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.fail(f"「{key}」の型が違います")
        if not validate.is_supported_year(value):
            raise self.fail(f"{key} {value} は年度として正しくありません")
        return value

    def years(self, data: dict[str, Any], key: str, kind: str) -> tuple[Any, ...]:
        out: list[Any] = []
        for yi, item in enumerate(self.items(data, key)):
            self.path.append(f"{key}[{yi}]")
            item = self.obj(item)
            year = self.year(item, "year", optional=False)
            if kind == kpi_fields.VALUES:
                number = self.number(item, "value", optional=True)
                out.append(KpiValue(year, number, self.text(item, "note", "")))
            else:
                out.append(KpiTarget(year, self.number(item, "value", optional=False)))
            self.path.pop()
        return tuple(sorted(out, key=lambda item: item.year))

    def declared(self, node: Any, data: dict[str, Any]) -> Any:
        """The node's described values that the reading above does not name, by type."""
        for field in kinds.of(node).fields:
            if field.name in _READ_BY_NAME.get(kinds.name_of(node), ()):
                continue
            if field.type == kinds.FLAG:
                value: object = self.get(data, field.name, bool, field.default)
            elif field.type == kinds.NAMES:
                names = self.get(data, field.name, list, [])
                if not all(isinstance(name, str) for name in names):
                    raise self.fail(f"{field.name} は文字列の配列にしてください")
                value = [richtext.clean_text(name).strip() for name in names]
            elif field.type == kinds.RICH:
                value = self.rich(data, field.name) if field.name in data else field.default
            elif field.type == kinds.OPTIONAL:
                text = self.get(data, field.name, str, None)
                value = None if text is None else richtext.clean_text(text)
            else:
                value = self.text(data, field.name, field.default)
            setattr(node, field.name, value)
        return node


class _DuplicateKeyError(ValueError):
    """A JSON object names the same key twice (the second would silently win)."""


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise _DuplicateKeyError(key[:40])
        out[key] = value
    return out


def loads(text: str) -> ImportResult:
    """Read the JSON form; any mistake is one clear ReportError."""
    try:
        data = json.loads(text, object_pairs_hook=_unique_keys)
        # A \udc80 escape decodes to a lone surrogate, which no file can hold.
        json.dumps(data, ensure_ascii=False).encode("utf-8")
    except _DuplicateKeyError as exc:
        raise ReportError(f"JSON に同じキー「{exc.args[0]}」が 2 回あります。") from exc
    except UnicodeEncodeError as exc:
        raise ReportError(
            "JSON に文字として表せないもの(孤立したサロゲート \\udXXX)が含まれています。"
        ) from exc
    except json.JSONDecodeError as exc:
        raise ReportError(
            f"JSON として読めません({exc.lineno}行 {exc.colno}列: {exc.msg})。"
        ) from exc
    except RecursionError as exc:
        raise ReportError("JSON の入れ子が深すぎます。") from exc
    return _Reader().report(data)


def read(data: bytes) -> ImportResult:
    """Read a JSON file's bytes."""
    return loads(decode_text(data))


def read_file(path: Path, *, actual_year: int | None = None) -> ImportResult:
    """Read a .json file; ``actual_year`` overrides the year it names."""
    result = read(read_whole(path))
    if actual_year is not None:
        result.report.actual_year = actual_year
    return result
