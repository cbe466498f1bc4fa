"""The record of the inquiry: kept by fiscal year, carried over from older stores."""

from __future__ import annotations

import pytest

from kushiro_editor.core import database, inquiryrecord, migrations
from kushiro_editor.core.inquiry import PackSent
from kushiro_editor.core.inquiryrecord import AnswerDecision
from kushiro_editor.core.store import APPLICATION_ID, Store


def test_packs_sent_before_the_record_existed_are_carried_over(tmp_path):
    path = tmp_path / "old.sqlite3"
    conn = database.connect_file(path)
    conn.execute(f"PRAGMA application_id={APPLICATION_ID}")
    for number, migration in enumerate(migrations.MIGRATIONS[:4], start=1):
        migration(conn)
        conn.execute(f"PRAGMA user_version = {number}")
    conn.execute("INSERT INTO report VALUES ('r', '総合戦略', 2020, 'x', 'x')")
    conn.execute(
        "INSERT INTO inquiry VALUES ('r', '農林課', '2021-05-10T09:00:00+09:00', 'a.xlsx')"
    )
    conn.close()
    with Store(path) as store:
        assert inquiryrecord.packs(store, 2020) == [
            PackSent("農林課", "2021-05-10T09:00:00+09:00", file_name="a.xlsx")
        ]
        assert store.inquiries("r") == {"農林課": "2021-05-10T09:00:00+09:00"}
        tables = {r[0] for r in store.conn.execute("SELECT name FROM sqlite_master")}
        assert "inquiry" not in tables


@pytest.mark.both_engines
def test_status_counts_answers_and_pending_conflicts_per_year(sample_store):
    inquiryrecord.record_packs(
        sample_store,
        2020,
        [
            PackSent("農林課", "2021-05-10T09:00", "2021-05-31", rows=2),
            PackSent("水産課", "2021-05-10T09:00", rows=1),
        ],
    )
    inquiryrecord.record_packs(sample_store, 2021, [PackSent("農林課", "2022-05-10T09:00", rows=5)])
    inquiryrecord.record_answers(
        sample_store,
        2020,
        [("農林課", "e1")],
        [
            AnswerDecision("農林課", "e1", "plan", "sum", "<p>x</p>", inquiryrecord.TAKEN),
            AnswerDecision("農林課", "e2", "plan", "sum", "<p>y</p>", inquiryrecord.PENDING),
        ],
        "2021-05-20",
    )
    status = inquiryrecord.status(sample_store, 2020, ["博物館", "農林課"])
    assert [(s.department, s.state, s.answered_rows, s.pending) for s in status] == [
        ("農林課", "一部回答", 1, 1),
        ("水産課", "未回答", 0, 0),
        ("博物館", "未照会", 0, 0),
    ]
    assert status[0].line() == (
        "農林課  送付 2021-05-10  期限 2021-05-31  2行  一部回答 1/2行  "
        "未決定の競合 1件  最終回答 2021-05-20"
    )
    assert [s.state for s in inquiryrecord.status(sample_store, 2021)] == ["未回答"]
    with pytest.raises(ValueError):
        inquiryrecord.record_answers(
            sample_store, 2020, [], [AnswerDecision("x", "e", "plan", "s", "", "maybe")], "x"
        )


@pytest.mark.both_engines
def test_a_department_that_was_sent_a_pack_is_not_taken_for_a_typo(sample_store):
    from kushiro_editor.core import review

    report = sample_store.load()
    rare = "阿寒地域振興課"
    assert rare in report.departments()

    def doubted(known):
        return [
            f
            for f in review.check(report, departments=known)
            if f.rule == "department" and rare in f.detail.split("」は")[0]
        ]

    year = report.actual_year
    assert inquiryrecord.known_departments(sample_store, year) is None
    assert doubted(None)  # with no office list, a name used once looks like a typo
    sent = [PackSent(name, "2021-05-10T09:00", rows=1) for name in report.departments()]
    inquiryrecord.record_packs(sample_store, year, sent)
    known = inquiryrecord.known_departments(sample_store, year)
    assert known == report.departments()
    assert doubted(known) == []
    # The office's own list comes first, the departments asked after it.
    sample_store.set_department_list(["企画課"])
    assert inquiryrecord.known_departments(sample_store, year)[:2] == [
        "企画課",
        report.departments()[0],
    ]
