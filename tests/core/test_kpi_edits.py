"""Every KPI change goes through the one edit path: the store first, then the report,
and its inverse batch (one undo step) puts back exactly what was."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kushiro_editor.core import edits
from kushiro_editor.core.kpi import editing, scales
from kushiro_editor.core.kpi.achievement import rating
from kushiro_editor.core.kpi.scales import RATE_TARGET
from kushiro_editor.core.model import LOWER, Kpi, KpiValue, ReportError
from kushiro_editor.core.store import Store

from .kpi_samples import by_name, exact, kpi_report

# Each test runs on a store file and on the server.
pytestmark = pytest.mark.both_engines


@pytest.fixture
def kpi_store(store_location):
    """A real store holding the KPI report, and the report as the editor holds it."""
    store = Store(store_location)
    store.save(kpi_report())
    yield store, store.load(2020)
    store.close()


def run(store, report, batch):
    """Apply a batch; the store must then hold what the report holds. Returns the undo."""
    undo = edits.apply(store, report, batch)
    assert exact(store.load(report.actual_year)) == exact(report)
    assert store.load(report.actual_year).kpi_settings == report.kpi_settings
    return undo


def undo_and_check(store, report, undo, before):
    edits.apply(store, report, undo)
    assert exact(report) == before
    assert exact(store.load(report.actual_year)) == before


@pytest.mark.parametrize("where", ["goal", "direction", "measure"])
def test_adding_a_kpi_and_undoing_it(kpi_store, where):
    store, report = kpi_store
    before = exact(report)
    goal = report.goals[0]
    owner = {
        "goal": goal,
        "direction": goal.directions[0],
        "measure": goal.directions[0].measures[0],
    }[where]
    new = Kpi(name="移住者数", unit="人", values=(KpiValue(2020, Decimal("12.0"), "見込み"),))
    undo = run(store, report, editing.add(owner, new, 0))
    assert owner.kpis[0] is new
    assert edits.parent_of(report, new) is owner
    assert by_name(store.load(2020), "移住者数").values == new.values
    undo_and_check(store, report, undo, before)
    assert all(k is not new for k in owner.kpis)


def test_a_kpi_goes_only_under_a_goal_direction_or_measure(kpi_store):
    _store, report = kpi_store
    entry = report.goals[0].directions[0].entries[0]
    with pytest.raises(ReportError, match="基本目標、基本的方向、施策"):
        editing.add(entry, Kpi(name="x"))


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("name", "観光客数(延べ)", "観光客数(延べ)"),
        ("unit", "千人", "千人"),
        ("departments", ["観光振興室", "阿寒観光振興課"], ["観光振興室", "阿寒観光振興課"]),
        ("better", LOWER, LOWER),
        ("baseline", "480.00", Decimal("480.00")),
        ("baseline", "－", None),
        ("baseline_year", 2017, 2017),
        ("baseline_year", "令和元年度", 2019),
        ("target_year", "R5年度", 2023),
        ("target_year", "２０２６", 2026),
        ("target_year", "", None),
        ("target", Decimal("650"), Decimal("650")),
        ("target_year", None, None),
        ("comment", "算定方法を見直した", "算定方法を見直した"),
    ],
)
def test_setting_a_field_and_undoing_it(kpi_store, name, value, expected):
    store, report = kpi_store
    kpi = by_name(report, "観光入込客数")
    before = exact(report)
    undo = run(store, report, editing.set_field(kpi, name, value))
    got = getattr(kpi, name)
    assert (str(got), type(got)) == (str(expected), type(expected))
    assert len(undo) == 1
    undo_and_check(store, report, undo, before)


def test_more_places_are_a_change_of_their_own(kpi_store):
    store, report = kpi_store
    kpi = by_name(report, "観光入込客数")
    before = exact(report)
    undo = run(store, report, editing.set_value(kpi, 2020, "530.50"))
    assert undo  # not dropped as "unchanged", though 530.5 == 530.50
    assert str(kpi.value_of(2020).value) == "530.50"
    assert kpi.value_of(2020).note == "速報値"  # the note stays unless given
    undo_and_check(store, report, undo, before)
    assert edits.apply(store, report, editing.set_value(kpi, 2020, "530.5")) == []
    # The baseline is a number of its own, not inside a year's value.
    undo = run(store, report, editing.set_field(kpi, "baseline", "500.00"))
    assert undo and str(kpi.baseline) == "500.00"
    undo_and_check(store, report, undo, before)
    assert str(kpi.baseline) == "500.0"


def test_a_years_value_and_note_set_opened_and_undone(kpi_store):
    store, report = kpi_store
    kpi = by_name(report, "漁獲量")
    before = exact(report)
    undo = run(store, report, editing.set_value(kpi, 2020, "1,080", "確定値"))
    assert kpi.value_of(2020) == KpiValue(2020, Decimal("1080"), "確定値")
    undo_and_check(store, report, undo, before)
    assert kpi.value_of(2020) == KpiValue(2020, None, "集計中")
    # A year not in the history yet goes in its place by year.
    undo = run(store, report, editing.set_value(kpi, 2018, "950"))
    assert [v.year for v in kpi.values] == [2018, 2019, 2020]
    undo_and_check(store, report, undo, before)
    # Back to not known (not zero).
    visitors = by_name(report, "観光入込客数")
    undo = run(store, report, editing.set_value(visitors, 2020, None))
    assert visitors.value_of(2020).value is None
    assert rating(report, visitors).label == "－"
    undo_and_check(store, report, undo, before)


def test_removing_a_year_is_not_the_same_as_a_missing_value(kpi_store):
    store, report = kpi_store
    kpi = by_name(report, "漁獲量")
    before = exact(report)
    undo = run(store, report, editing.remove_year(kpi, 2020))
    assert kpi.value_of(2020) is None and [v.year for v in kpi.values] == [2019]
    undo_and_check(store, report, undo, before)


def test_yearly_targets_set_taken_away_and_undone(kpi_store):
    store, report = kpi_store
    kpi = by_name(report, "観光入込客数")
    before = exact(report)
    undo = run(store, report, editing.set_yearly_target(kpi, 2021, "555.0"))
    assert [(t.year, str(t.value)) for t in kpi.yearly_targets] == [
        (2020, "540.0"),
        (2021, "555.0"),
        (2022, "570"),
    ]
    undo_and_check(store, report, undo, before)
    undo = run(store, report, editing.set_yearly_target(kpi, 2020, None))
    assert [t.year for t in kpi.yearly_targets] == [2022]
    undo_and_check(store, report, undo, before)


def test_an_override_and_its_reason_are_one_step(kpi_store):
    store, report = kpi_store
    kpi = by_name(report, "観光入込客数")
    before = exact(report)
    undo = run(store, report, editing.set_override(report, kpi, "B", "速報値のため"))
    assert (
        rating(store.load(2020), by_name(store.load(2020), "観光入込客数")).display == "B（手動）"
    )
    undo_and_check(store, report, undo, before)
    assert not rating(report, kpi).overridden
    with pytest.raises(ReportError, match="理由"):
        editing.set_override(report, kpi, "A", " ")
    run(store, report, editing.set_override(report, kpi, "B", "速報値のため"))
    run(store, report, editing.set_override(report, kpi, ""))
    with pytest.raises(
        ReportError, match=r"評価「◎」はこの報告の評価の基準にありません\(A、B、C、D、－\)"
    ):
        editing.set_override(report, kpi, "◎", "達成")
    assert (kpi.override, kpi.override_reason) == ("", "")


def test_reordering_and_moving_to_another_node_and_undoing(kpi_store):
    store, report = kpi_store
    direction = report.goals[0].directions[0]
    before = exact(report)
    first, second = direction.kpis
    undo = run(store, report, editing.move_by(report, first, +1))
    assert direction.kpis == [second, first]
    undo_and_check(store, report, undo, before)
    assert editing.move_by(report, first, -1) == []  # already first
    measure = direction.measures[0]
    undo = run(store, report, editing.move(report, second, 0, measure))
    assert [k.name for k in measure.kpis] == ["待機児童数", "漁獲量"]
    assert direction.kpis == [first]
    undo_and_check(store, report, undo, before)
    with pytest.raises(ReportError):
        editing.move(report, first, 5)


def test_deleting_a_kpi_and_undoing_brings_back_its_values(kpi_store):
    store, report = kpi_store
    kpi = by_name(report, "観光入込客数")
    before = exact(report)
    undo = run(store, report, editing.remove(report, kpi))
    assert all(k is not kpi for k in report.goals[0].directions[0].kpis)
    assert store.conn.execute(
        "SELECT count(*) FROM kpi_value WHERE kpi_id = ?", (kpi.id,)
    ).fetchone() == (0,)
    undo_and_check(store, report, undo, before)
    with pytest.raises(ReportError, match="この報告にありません"):
        editing.remove(report, Kpi(name="どこにもない"))


def test_the_reports_settings_change_and_undo(kpi_store):
    store, report = kpi_store
    undo = run(
        store, report, editing.set_settings(report, rate_mode=RATE_TARGET, scale=scales.PRESETS[2])
    )
    assert report.kpi_settings.rate_mode == RATE_TARGET
    assert store.load(2020).kpi_settings.scale.name == "S〜C"
    edits.apply(store, report, undo)
    assert report.kpi_settings.is_default and store.load(2020).kpi_settings.is_default
    with pytest.raises(ReportError, match="算定方法"):
        editing.set_settings(report, rate_mode="median")


def test_a_refused_batch_changes_neither_store_nor_report(kpi_store):
    store, report = kpi_store
    kpi = by_name(report, "観光入込客数")
    before = exact(report)
    batch = [
        *editing.set_field(kpi, "unit", "人"),
        edits.SetField(kpi, "baseline", 500.5),  # a float, past the builders
    ]
    with pytest.raises(ReportError):
        edits.apply(store, report, batch)
    assert exact(report) == before
    assert exact(store.load(2020)) == before


def test_kpi_edits_are_no_text_edits_and_find_their_node(kpi_store):
    _store, report = kpi_store
    kpi = by_name(report, "漁獲量")
    assert not edits.is_text_field(kpi, "comment")
    assert not edits.is_text_field(report, "kpi_settings")
    assert edits.parent_of(report, kpi) is report.goals[0].directions[0].measures[0]
    assert report.find_node(kpi.id) is kpi
    assert kpi.id in set(report.all_ids())
    assert edits.kind_name(kpi) == "kpi"
    with pytest.raises(ReportError, match="数値として読めません"):
        editing.set_value(kpi, 2020, "12人")
    with pytest.raises(ReportError, match="年度として読めません"):
        editing.set_field(kpi, "target_year", "来年")


@pytest.mark.parametrize(
    "make",
    [
        lambda report, kpi: editing.set_value(kpi, 2020, "1"),
        lambda report, kpi: editing.move_by(report, kpi, +1),
        editing.remove,
        lambda report, kpi: editing.add(report.goals[0], Kpi(name="新しい指標")),
        lambda report, kpi: editing.set_settings(report, rate_mode=RATE_TARGET),
    ],
)
def test_every_kpi_edit_marks_its_report_modified(kpi_store, make):
    store, report = kpi_store
    store.conn.execute("UPDATE report SET modified_at = 'before'")
    edits.apply(store, report, make(report, by_name(report, "観光入込客数")))
    assert store.reports()[0].modified_at != "before"
