"""Reports the window cannot open (a year an older version stored) are offered for deletion."""

from __future__ import annotations

import sqlite3

from kushiro_editor.core.store import Store


def _store_a_year_1800_report(store_path) -> None:
    """As an older version did: the sample's report again, relabelled to 1800年度."""
    conn = sqlite3.connect(store_path)
    with conn:
        stamp = "2020-01-01T00:00:00+09:00"
        conn.execute(
            "INSERT INTO report (id, title, actual_year, created_at, modified_at)"
            " VALUES ('old-1800', '古い報告', 1800, ?, ?)",
            (stamp, stamp),
        )
    conn.close()


def test_a_store_with_an_unsupported_year_opens_and_can_delete_it(
    make_window, sample_store, store_path, monkeypatch
):
    _store_a_year_1800_report(store_path)
    window = make_window(store_path)
    assert window.document is not None and window.document.report.actual_year == 2020
    assert [window.reports.itemText(i) for i in range(window.reports.count())] == [
        "R2年度(2020年度)"
    ]
    assert "開けない年度の報告があります: 1800年度(対応していない年)" in (
        window.statusBar().currentMessage()
    )
    assert window.open_button.isVisible() and window.open_button.text() == "削除する…"

    monkeypatch.setattr(
        "kushiro_editor.gui.reports.work.ask_item",
        lambda *args, **kwargs: "1800年度(対応していない年)",
    )
    asked = []
    monkeypatch.setattr(
        window.reports_work, "confirm_delete", lambda label: asked.append(label) or True
    )
    window.open_button.click()
    assert asked == ["1800年度(対応していない年)"]
    with Store(store_path) as store:
        assert store.unsupported_years() == []
        assert store.years() == [2020]
    assert window.document.report.actual_year == 2020


def test_deleting_the_open_report_shows_the_next_one(make_window, sample_store, store_path):
    window = make_window(store_path)
    window.year.rollover(2020, "empty")
    assert window.document.report.actual_year == 2021
    assert window.reports_work.delete_report(2021)
    assert window.document.report.actual_year == 2020
    with Store(store_path) as store:
        assert store.years() == [2020]
