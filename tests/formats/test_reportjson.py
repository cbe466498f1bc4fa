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


# -- KPIs -----------------------------------------------------------------------------
def test_a_report_without_kpis_is_written_as_before(sample_result):
    text = json_format.dumps(sample_result.report)
    data = json.loads(text)
    assert data["version"] == 1
    assert '"kpis"' not in text and '"kpi_settings"' not in text


def _kpi_data():
    from tests.core.kpi_samples import kpi_report

    report = kpi_report()
    return report, json.loads(json_format.dumps(report))


def test_kpis_are_written_with_decimal_text_and_null_for_missing():
    _report, data = _kpi_data()
    assert data["version"] == 2  # an editor without KPIs refuses it rather than dropping them
    goal = data["goals"][0]
    assert [k["name"] for k in goal["kpis"]] == ["社会増減数"]
    direction = goal["directions"][0]
    visitors, waiting = direction["kpis"]
    assert visitors["values"] == [
        {"year": 2019, "value": "512.30", "note": ""},
        {"year": 2020, "value": "530.5", "note": "速報値"},
    ]
    assert visitors["baseline"] == "500.0" and visitors["target_year"] == 2024
    assert visitors["yearly_targets"][0] == {"year": 2020, "value": "540.0"}
    assert waiting["better"] == "lower" and waiting["values"][1]["value"] == "0"
    catch = direction["measures"][0]["kpis"][0]
    assert catch["values"][1] == {"year": 2020, "value": None, "note": "集計中"}


def test_a_node_without_kpis_has_no_kpis_key_beside_one_with_them():
    from kushiro_editor.core.model import Measure

    report, _data = _kpi_data()
    report.goals[0].directions[0].measures.append(Measure(title="KPIのない施策"))
    data = json.loads(json_format.dumps(report))
    with_kpis, without = data["goals"][0]["directions"][0]["measures"]
    assert "kpis" in with_kpis and "kpis" not in without


def test_kpis_and_settings_read_back_exactly():
    from kushiro_editor.core.kpi import scales
    from tests.core.kpi_samples import exact

    report, _data = _kpi_data()
    report.kpi_settings = scales.KpiSettings(scales.RATE_TARGET, scales.preset("S〜C"))
    text = json_format.dumps(report)
    back = json_format.loads(text).report
    assert exact(back) == exact(report)
    assert back.kpi_settings == report.kpi_settings
    assert json_format.dumps(back) == text


@given(reports(with_kpis=True))
def test_json_round_trip_with_kpis(report):
    text = json_format.dumps(report)
    assert json_format.dumps(json_format.loads(text).report) == text


@given(reports(max_goals=2, with_kpis=True))
def test_json_store_json_is_identical_with_kpis(tmp_path_factory, report):
    path = tmp_path_factory.mktemp("rt") / "s.sqlite3"
    text = json_format.dumps(report)
    with Store(path) as store:
        store.save(json_format.loads(text).report)
        assert json_format.dumps(store.load()) == text


def _first_kpi(data):
    return data["goals"][0]["directions"][0]["kpis"][0]


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: _first_kpi(d).update(baseline=500.0), "文字列で書いて"),
        (lambda d: _first_kpi(d).update(target="六百"), "数値として読めません"),
        (lambda d: _first_kpi(d)["values"][0].update(value=12.3), "文字列で書いて"),
        (lambda d: _first_kpi(d)["values"][1].update(year=2019), "1 年度 1 つ"),
        (lambda d: _first_kpi(d)["yearly_targets"][0].update(value=None), "value"),
        (lambda d: _first_kpi(d).update(better="up"), "higher か lower"),
        (lambda d: _first_kpi(d).update(target_year=1800), "年度として正しくありません"),
        (lambda d: _first_kpi(d).update(departments=[1]), "文字列の配列"),
        (lambda d: _first_kpi(d).update(id=d["goals"][0]["id"]), "重複"),
        (lambda d: d.update(kpi_settings={"rate_mode": "x", "scale": {}}), "kpi_settings"),
        (lambda d: d.update(version=3), "新しい形式"),
    ],
)
def test_bad_kpis_get_one_clear_error(mutate, message):
    _report, data = _kpi_data()
    mutate(data)
    with pytest.raises(ReportError, match=message):
        json_format.loads(json.dumps(data))


def test_kpi_ids_are_optional_and_values_in_any_order_are_put_in_year_order():
    _report, data = _kpi_data()
    kpi = _first_kpi(data)
    del kpi["id"]
    kpi["values"].reverse()
    kpi["baseline"] = 500  # a whole number may be a JSON integer
    back = json_format.loads(json.dumps(data)).report
    loaded = back.goals[0].directions[0].kpis[0]
    assert len(loaded.id) == 32
    assert [v.year for v in loaded.values] == [2019, 2020]
    assert str(loaded.baseline) == "500"
