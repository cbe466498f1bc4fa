"""A department's clerk with psql writes values the editor would never write into its own
KPI: the server refuses them, so the report stays readable for everyone."""

from __future__ import annotations

import psycopg
import pytest

from kushiro_editor.core.kpi import fields
from kushiro_editor.core.server import logins
from kushiro_editor.core.store import Store
from tests.serverroles import secured_fixture  # noqa: F401 - the fixture `secured`

DEPT = "産業推進室"


def test_a_department_cannot_write_a_kpi_value_that_stops_the_report_loading(secured):
    login = secured.login("sangyo")
    with Store(secured.admin_url) as admin:
        logins.add_department(admin, DEPT, login)
        report = admin.load()
    own = next(k for _o, k in fields.kpis(report) if DEPT in k.departments and k.values)
    with psycopg.connect(secured.admin_url) as conn:
        before = conn.execute("SELECT * FROM kpi_value ORDER BY 1, 2").fetchall()
    with secured.connect(login) as conn:
        for value in ("abc", "1e308", "12人", " 1", "1.", "NaN", "1" * 40):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute("UPDATE kpi_value SET value = %s WHERE kpi_id = %s", (value, own.id))
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(
                    "INSERT INTO kpi_value (kpi_id, fiscal_year, value) VALUES (%s, 2999, %s)",
                    (own.id, value),
                )
    with psycopg.connect(secured.admin_url) as conn:
        assert conn.execute("SELECT * FROM kpi_value ORDER BY 1, 2").fetchall() == before
    # What the store itself writes is taken, and the report still loads.
    with secured.connect(login) as conn:
        for value in ("12.30", "-3", None, "1" * 30):
            done = conn.execute(
                "UPDATE kpi_value SET value = %s WHERE kpi_id = %s", (value, own.id)
            )
            assert done.rowcount >= 1
    with Store(secured.admin_url) as admin:
        loaded = admin.load()
    after = next(k for _o, k in fields.kpis(loaded) if k.id == own.id)
    assert after.values
