"""A secured shared store for the tests: the sample on a fresh database after ``server init``.

Roles are cluster-wide, so every login a test makes is named after its
database and dropped (with what it owns or was granted there) at the end.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import quote

import psycopg
import pytest
from psycopg import sql

from kushiro_editor.core.kpi import demo
from kushiro_editor.core.server import roles
from kushiro_editor.core.store import Store
from tests.pgserver import ADMIN


@dataclass
class Secured:
    """The database, its admin URL and the logins made in it."""

    admin_url: str
    database: str
    logins: list[str] = field(default_factory=list)

    def url(self, login: str) -> str:
        """The URL a login connects with (the test cluster trusts 127.0.0.1)."""
        return self.admin_url.replace(f"{ADMIN}@", f"{quote(login, safe='')}@", 1)

    def login(self, suffix: str) -> str:
        """A login name unique to this database (and remembered for dropping)."""
        name = f"{self.database}_{suffix}"
        self.logins.append(name)
        return name

    def people(self, department: str, suffix: str = "kenko") -> tuple[str, str]:
        """A login for ``department`` and a planner's login, made by the administrator."""
        from kushiro_editor.core.server import logins

        login, planner = self.login(suffix), self.login("kikaku")
        with Store(self.admin_url) as admin:
            logins.add_department(admin, department, login)
            logins.add_planner(admin, planner)
        return login, planner

    def connect(self, login: str) -> psycopg.Connection:
        """A plain psycopg connection as a login, as psql would be."""
        return psycopg.connect(self.url(login), autocommit=True)

    def drop_roles(self) -> None:
        names = {*self.logins, *vars(roles.role_names(self.database)).values()}
        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            there = [
                row[0]
                for row in conn.execute(
                    "SELECT rolname FROM pg_roles WHERE rolname = ANY(%s)", (list(names),)
                )
            ]
            if there:
                listed = sql.SQL(", ").join(map(sql.Identifier, there))
                conn.execute(sql.SQL("DROP OWNED BY {} CASCADE").format(listed))
                conn.execute(sql.SQL("DROP ROLE {}").format(listed))


@pytest.fixture(name="secured")
def secured_fixture(pg_admin, sample_result):
    """The sample report on a fresh database, after server init (roles, grants, policies)."""
    url, name = pg_admin
    with Store(url) as store:
        store.save(demo.demo_report(sample_result.report), sample_result.warnings)
        roles.init(store)
    made = Secured(url, name)
    yield made
    made.drop_roles()
