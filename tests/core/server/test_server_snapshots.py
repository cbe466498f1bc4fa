"""Snapshots of a server store: one moment's store, kept on the server, read when opened."""

from __future__ import annotations

import psycopg
import pytest

from kushiro_editor.core import snapshots, storecopy
from kushiro_editor.core.model import ReportError
from kushiro_editor.core.store import Store
from kushiro_editor.core.storeerror import StoreError
from tests.core.server.logins import application_login


@pytest.fixture
def app_login(pg_admin, pg_cluster):
    """A login of the application's kind (not the tables' owner): its URL and name."""
    with application_login(pg_admin, pg_cluster) as login:
        yield login


def test_a_snapshot_is_one_moment_though_others_edit_while_it_is_copied(
    pg_url, sample_result, monkeypatch
):
    real_copy = storecopy.copy
    with Store(pg_url) as store:
        store.save(sample_result.report, sample_result.warnings)
        entry = next(e for _g, _d, e in store.load(2020).entries())

        def copy_while_another_edits(source, target, progress=None):
            def between(table, _rows):
                if table == "report":  # the entries are not copied yet
                    with psycopg.connect(pg_url, autocommit=True) as other:
                        other.execute(
                            "UPDATE entry SET actual = '<p>途中の変更</p>' WHERE id = %s",
                            (entry.id,),
                        )

            return real_copy(source, target, between)

        monkeypatch.setattr(storecopy, "copy", copy_while_another_edits)
        taken = snapshots.take(store, "manual", "途中")
        with snapshots.open_snapshot(taken) as old:
            kept = next(e for _g, _d, e in old.load(2020).entries())
        assert kept.actual == entry.actual
        now = next(e for _g, _d, e in store.load(2020).entries())
        assert now.actual == "<p>途中の変更</p>"


def test_a_snapshot_deleted_meanwhile_is_one_line(pg_url, sample_result):
    with Store(pg_url) as store:
        store.save(sample_result.report, sample_result.warnings)
        taken = snapshots.take(store, "manual", "消される")
        store.conn.execute("DELETE FROM server_snapshot")
        with pytest.raises(ReportError, match="もうサーバーにありません"):
            snapshots.open_snapshot(taken)


def test_a_login_kept_from_the_snapshots_gets_one_japanese_line(app_login, pg_url):
    url, role = app_login
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute(f"REVOKE ALL ON server_snapshot FROM {role}")
    with Store(url) as store, pytest.raises(StoreError) as caught:
        snapshots.snapshots(store)
    assert caught.value.failure == "permission" and "\n" not in str(caught.value)
