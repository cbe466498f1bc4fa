"""The report model's shared helpers: the place label, department names, the entry fields."""

from __future__ import annotations

import dataclasses
import json

from kushiro_editor.core import kinds, review
from kushiro_editor.core.model import (
    STATE_CARRIED,
    STATE_CONFIRMED,
    Entry,
    MainProject,
    parse_departments,
    place,
    place_in,
)
from kushiro_editor.formats import reportjson


def test_place_names_every_kind_of_node(sample_result):
    report = sample_result.report
    goal = report.goals[0]
    direction = goal.directions[0]
    assert place_in(report, goal) == "【基本目標1】"
    assert place_in(report, direction) == "【基本目標1】①"
    assert place_in(report, direction.measures[1]) == "【基本目標1】① イ"
    assert place_in(report, direction.main_projects[0]) == "【基本目標1】① 主な事業"
    entry = direction.entries[0]
    assert place_in(report, entry) == f"【基本目標1】① {entry.department_label}"
    assert place(goal, direction, Entry(departments=[])) == "【基本目標1】① (部署なし)"
    # By identity: an equal node that is not in the report has no place.
    assert place_in(report, MainProject(name=direction.main_projects[0].name)) == ""


def test_department_names_split_on_japanese_and_western_separators():
    assert parse_departments("観光振興室、阿寒観光振興課") == ["観光振興室", "阿寒観光振興課"]
    assert parse_departments(" 農林課,水産課，\u3000博物館\n") == ["農林課", "水産課", "博物館"]
    assert parse_departments("  ") == []


def test_entry_fields_are_described_once_and_reach_store_and_json(sample_store):
    described = kinds.KINDS["entry"].names()
    assert tuple(f.name for f in dataclasses.fields(Entry) if f.name != "id") == described
    columns = {row[1] for row in sample_store.conn.execute("PRAGMA table_info(entry)")}
    assert set(described) <= columns
    report = sample_store.load()
    entry = next(e for _g, _d, e in report.entries())
    entry.answered_by, entry.previous_plan = "農林課", "<p>前年度</p>"
    data = json.loads(reportjson.dumps(report))
    first = data["goals"][0]["directions"][0]["entries"][0]
    assert {name: first[name] for name in ("answered_by", "previous_plan")} == {
        "answered_by": "農林課",
        "previous_plan": "<p>前年度</p>",
    }


def test_confirm_edits_confirm_only_carried_texts():
    entry = Entry(departments=["農林課"], actual_state=STATE_CARRIED)
    batch = review.confirm_edits(entry)
    assert [(e.field, e.value) for e in batch] == [("actual_state", STATE_CONFIRMED)]
    assert review.confirm_edits(Entry(departments=["農林課"])) == []
