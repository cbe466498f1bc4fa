"""The change record and the snapshots under the roles of server init: a department reads its
own rows' history only; planners take snapshots, a department cannot read them."""

from __future__ import annotations

import pytest

from kushiro_editor.core import edits, history, snapshots
from kushiro_editor.core.model import ReportError
from kushiro_editor.core.server import rowstates
from kushiro_editor.core.store import Store
from tests.serverroles import secured_fixture  # noqa: F401 - the fixture `secured`

MINE, OTHER = "健康推進課", "農林課"


@pytest.fixture
def people(secured):
    """A department login for 健康推進課 and a planner login."""
    return secured.people(MINE)


def _row(report, department):
    return rowstates.rows(report, [department])[0].entry


def test_a_department_reads_its_own_rows_history_and_a_planner_all(secured, people):
    department, planner = people
    with Store(secured.url(department)) as dept:
        report = dept.load()
        edits.apply(dept, report, [edits.SetField(_row(report, MINE), "actual", "<p>部署。</p>")])
    with Store(secured.url(planner)) as office:
        report = office.load()
        edits.apply(
            office, report, [edits.SetField(_row(report, OTHER), "actual", "<p>企画。</p>")]
        )
        seen_by_planner = {c.who for c in history.changes(office, report) if c.action == "update"}
    with Store(secured.url(department)) as dept:
        report = dept.load()
        seen = [c for c in history.changes(dept, report) if c.action == "update"]
    assert seen_by_planner == {department, planner}
    assert [c.who for c in seen] == [department]  # the planner's change to 農林課 is not shown
    assert seen[0].node_id == _row(report, MINE).id


def test_planners_take_snapshots_and_departments_cannot_read_them(secured, people):
    department, planner = people
    with Store(secured.url(planner)) as office:
        taken = snapshots.take(office, "manual", "提出版")
        assert [s.name for s in snapshots.snapshots(office)] == ["提出版"]
        assert taken.years == (2020,) or list(taken.years) == [2020]
    with Store(secured.url(department)) as dept, pytest.raises(ReportError) as refused:
        snapshots.snapshots(dept)
    assert "\n" not in str(refused.value)
