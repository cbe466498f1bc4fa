"""Rows with a state: a department submits, a planner accepts or gives back; a submitted
row is frozen for its department, by the server; forty departments submitting at once."""

from __future__ import annotations

import threading

import pytest
from psycopg import errors

from kushiro_editor.core import edits
from kushiro_editor.core.model import ReportError
from kushiro_editor.core.server import logins, roles, rowstates
from kushiro_editor.core.server.rowstates import ACCEPTED, DRAFT, SUBMITTED
from kushiro_editor.core.store import Store
from kushiro_editor.core.storeerror import StoreError
from tests.serverroles import (
    Secured,
    secured_fixture,  # noqa: F401 - the fixture `secured`
)

DEPT = "健康推進課"


@pytest.fixture
def people(secured):
    """A department login for 健康推進課 and a planner login."""
    return secured.people(DEPT)


def _own_ids(report, dept=DEPT) -> list[str]:
    return [row.entry.id for row in rowstates.rows(report, [dept])]


def test_a_submitted_row_is_frozen_for_its_department_until_given_back(secured, people):
    department, planner = people
    with Store(secured.url(department)) as dept, Store(secured.url(planner)) as office:
        report = dept.load()
        mine = rowstates.rows(report, [DEPT])[0].entry
        assert rowstates.states(dept, report)[mine.id].state == DRAFT
        assert rowstates.submit(dept, report, _own_ids(report)) == len(_own_ids(report))
        state = rowstates.states(office, office.load())[mine.id]
        assert (state.state, state.changed_by, state.frozen) == (SUBMITTED, department, True)
        # The server refuses the department's change, through the store and through SQL.
        with pytest.raises(StoreError) as refused:
            edits.apply(dept, report, [edits.SetField(mine, "actual", "<p>直した。</p>")])
        assert refused.value.failure == "permission"
        with secured.connect(department) as conn, pytest.raises(errors.InsufficientPrivilege):
            conn.execute("UPDATE entry SET actual = 'x' WHERE id = %s", (mine.id,))
        # Nor can it take its row back or accept it itself: the policy hides the row.
        with secured.connect(department) as conn:
            for state in (DRAFT, ACCEPTED):
                changed = conn.execute(
                    f"UPDATE {roles.STATE_TABLE} SET state = %s WHERE entry_id = %s",
                    (state, mine.id),
                )
                assert changed.rowcount == 0
        assert rowstates.states(office, report)[mine.id].state == SUBMITTED
        rowstates.give_back(office, office.load(), mine.id, "数字を確かめてください。")
        state = rowstates.states(dept, report)[mine.id]
        assert (state.state, state.comment, state.changed_by) == (
            DRAFT,
            "数字を確かめてください。",
            planner,
        )
        edits.apply(dept, report, [edits.SetField(mine, "actual", "<p>直した。</p>")])
        rowstates.submit(dept, report, [mine.id])
        assert rowstates.states(dept, report)[mine.id].comment == ""  # (answered)
        rowstates.accept(office, office.load(), [mine.id])
        assert rowstates.states(dept, report)[mine.id].state == ACCEPTED
        with pytest.raises(StoreError):
            edits.apply(dept, report, [edits.SetField(mine, "plan", "<p>まだ直す。</p>")])
    with Store(secured.admin_url) as admin:
        stored = {row.entry.id: row.entry for row in rowstates.rows(admin.load())}
    assert stored[mine.id].actual == "<p>直した。</p>" and stored[mine.id].plan == mine.plan


def test_a_planner_still_changes_a_submitted_row(secured, people):
    department, planner = people
    with Store(secured.url(department)) as dept:
        report = dept.load()
        rowstates.submit(dept, report, _own_ids(report))
    with Store(secured.url(planner)) as office:
        report = office.load()
        mine = rowstates.rows(report, [DEPT])[0].entry
        edits.apply(office, report, [edits.SetField(mine, "plan", "<p>企画課が直す。</p>")])
        assert office.load() == report


def test_the_steps_a_login_may_not_take_are_refused_in_one_line(secured, people):
    department, planner = people
    with Store(secured.url(department)) as dept, Store(secured.url(planner)) as office:
        report = dept.load()
        other = next(r for r in rowstates.rows(report) if DEPT not in r.entry.departments)
        mine = _own_ids(report)[0]
        cases = [
            (
                lambda: rowstates.submit(dept, report, [other.entry.id]),
                "担当の部署の行ではありません",
            ),
            (lambda: rowstates.accept(dept, report, [mine]), "企画担当"),
            (lambda: rowstates.give_back(dept, report, mine, "戻す"), "企画担当"),
            (lambda: rowstates.accept(office, report, [mine]), "記入中のため"),
            (lambda: rowstates.give_back(office, report, mine, "戻す"), "記入中のため"),
            (lambda: rowstates.give_back(office, report, mine, "  "), "理由"),
            (lambda: rowstates.submit(dept, report, ["no-such-row"]), "ありません"),
        ]
        for step, words in cases:
            with pytest.raises(ReportError, match=words) as refused:
                step()
            assert "\n" not in str(refused.value)
        rowstates.submit(dept, report, [mine])
        with pytest.raises(ReportError, match="すでに提出済み"):
            rowstates.submit(dept, report, [mine])
        assert {s.state for s in rowstates.states(dept, report).values()} == {DRAFT, SUBMITTED}
    with secured.connect(department) as conn, pytest.raises(errors.InsufficientPrivilege):
        conn.execute(
            f"INSERT INTO {roles.STATE_TABLE} (entry_id, state) VALUES (%s, %s)",
            (other.entry.id, SUBMITTED),
        )
    with secured.connect(planner) as conn, pytest.raises(errors.CheckViolation):
        conn.execute(
            f"INSERT INTO {roles.STATE_TABLE} (entry_id, state) VALUES (%s, %s)",
            (other.entry.id, ACCEPTED),  # (never submitted: not a step)
        )


@pytest.fixture
def forty(pg_admin, sample_result):
    """The sample with its rows shared out among forty departments, one login each."""
    url, name = pg_admin
    report = sample_result.report
    entries = [row.entry for row in rowstates.rows(report)]
    names = [f"部署{number:02d}" for number in range(1, 41)]
    for index, entry in enumerate(entries):
        entry.departments = [names[index % len(names)]]
    secured = Secured(url, name)
    with Store(url) as admin:
        admin.save(report, sample_result.warnings)
        roles.init(admin)
        people = {dept: secured.login(f"d{i:02d}") for i, dept in enumerate(names, 1)}
        for dept, login in people.items():
            logins.add_department(admin, dept, login)
    yield secured, people
    secured.drop_roles()


def test_forty_departments_submit_at_once(forty):
    secured, people = forty
    start = threading.Barrier(len(people))
    failures: list[BaseException] = []
    refused: list[str] = []

    def department(dept: str, login: str) -> None:
        try:
            with Store(secured.url(login)) as store:
                report = store.load()
                start.wait(timeout=60)
                rowstates.submit(store, report, _own_ids(report, dept))
                others = [
                    r.entry.id for r in rowstates.rows(report) if dept not in r.entry.departments
                ]
                with secured.connect(login) as conn:
                    try:
                        conn.execute(
                            f"INSERT INTO {roles.STATE_TABLE} (entry_id, state) VALUES (%s, %s)",
                            (others[0], SUBMITTED),
                        )
                    except errors.InsufficientPrivilege:
                        refused.append(login)
        except BaseException as exc:  # (reported below, with the thread's name)
            failures.append(exc)

    threads = [
        threading.Thread(target=department, args=item, name=item[1]) for item in people.items()
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not failures, failures[:3]
    assert sorted(refused) == sorted(people.values())
    with Store(secured.admin_url) as admin:
        report = admin.load()
        states = rowstates.states(admin, report)
    assert len(states) == 70
    for row in rowstates.rows(report):
        state = states[row.entry.id]
        assert (state.state, state.changed_by) == (SUBMITTED, people[row.entry.departments[0]])


def test_a_planner_deletes_a_submitted_row_and_replaces_the_report(secured, people, sample_result):
    department, planner = people
    with Store(secured.url(department)) as dept:
        report = dept.load()
        rowstates.submit(dept, report, _own_ids(report))
    with Store(secured.url(planner)) as office:
        report = office.load()
        row = rowstates.rows(report, [DEPT])[0].entry
        submitted = len(_own_ids(report))
        parent = edits.parent_of(report, row)
        edits.apply(office, report, [edits.Remove(parent, row, edits.position_of(parent, row))])
        states = rowstates.states(office, office.load())
        assert row.id not in states
        assert sum(s.state == SUBMITTED for s in states.values()) == submitted - 1
        office.save(sample_result.report, replace=True)
        assert {s.state for s in rowstates.states(office, office.load()).values()} == {DRAFT}
