"""The JSON form: stable, versioned, and identical through the store."""

from __future__ import annotations

import json

import pytest
from hypothesis import given

from kushiro_editor.core.model import ReportError
from kushiro_editor.core.store import Store
from kushiro_editor.formats import reportjson as json_format
from tests.strategies import reports


def test_shape_of_the_sample(sample_result):
    data = json_format.to_dict(sample_result.report)
    assert data["format"] == "kushiro-progress-report" and data["version"] == 1
    assert data["actual_year"] == 2020
    goal = data["goals"][0]
    direction = goal["directions"][0]
    assert goal["number"] == 1 and direction["number"] == 1
    assert direction["measures"][0]["label"] == "ア"
    assert direction["main_projects"][0] == {
        "id": direction["main_projects"][0]["id"],
        "name": "増養殖漁業推進事業",
        "relisted": False,
    }
    assert direction["entries"][0]["departments"] == ["農林課"]
    assert direction["entries"][0]["actual"].startswith("<ul><li>・農業経営基盤整備")


@given(reports())
def test_json_round_trip(report):
    text = json_format.dumps(report)
    assert json_format.dumps(json_format.loads(text).report) == text


@given(reports())
def test_json_store_json_is_identical(tmp_path_factory, report):
    path = tmp_path_factory.mktemp("rt") / "s.sqlite3"
    text = json_format.dumps(report)
    with Store(path) as store:
        store.save(json_format.loads(text).report)
        assert json_format.dumps(store.load()) == text


def test_ids_are_optional_and_generated(sample_result):
    data = json_format.to_dict(sample_result.report)
    for goal in data["goals"]:
        del goal["id"]
    report = json_format.loads(json.dumps(data)).report
    assert all(len(goal.id) == 32 for goal in report.goals)


def test_rich_text_is_sanitised_on_the_way_in(sample_result):
    data = json_format.to_dict(sample_result.report)
    data["goals"][0]["directions"][0]["entries"][0]["actual"] = (
        '<p style="color:red">赤<script>x()</script></p>'
    )
    report = json_format.loads(json.dumps(data)).report
    assert report.goals[0].directions[0].entries[0].actual == "<p>赤</p>"


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d.update(format="other"), "進捗報告の JSON ではありません"),
        (lambda d: d.update(version=99), "新しい形式"),
        (lambda d: d.pop("actual_year"), "actual_year"),
        (lambda d: d.update(actual_year="2020"), "型が違います"),
        (lambda d: d.update(actual_year=True), "型が違います"),
        (lambda d: d["goals"][0].update(directions="x"), r"goals\[0\]"),
        (
            lambda d: d["goals"][0]["directions"][0]["entries"][0].update(departments=[1]),
            r"goals\[0\]\.directions\[0\]\.entries\[0\]",
        ),
        (lambda d: d["goals"][1].update(id=d["goals"][0]["id"]), "重複"),
        (
            lambda d: d["goals"][0]["directions"][0]["entries"][0].update(plan_state="done"),
            "plan_state",
        ),
    ],
)
def test_bad_json_gets_one_clear_error(sample_result, mutate, message):
    data = json_format.to_dict(sample_result.report)
    mutate(data)
    with pytest.raises(ReportError, match=message):
        json_format.loads(json.dumps(data))


@pytest.mark.parametrize("text", ["", "{", "[]", "null", "[" * 100000])
def test_not_json(text):
    with pytest.raises(ReportError):
        json_format.loads(text)
