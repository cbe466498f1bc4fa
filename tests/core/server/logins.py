"""A login of the application's kind on the test database: not the tables' owner.

Each test module that needs one makes its fixture from :func:`application_login`.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg


@contextmanager
def application_login(pg_admin, pg_cluster) -> Iterator[tuple[str, str]]:
    """A login role that may read and change the store's tables (no more): its URL and name.

    The database is made (opened once as its owner) before the role is given its rights.
    """
    from kushiro_editor.core.store import Store

    url, _name = pg_admin
    Store(url).close()
    role = f"app_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"CREATE ROLE {role} LOGIN")
        # Every table, the history too: what keeps the history is not the lack of a grant.
        conn.execute(
            f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}"
        )
        conn.execute(f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO {role}")
    host = url.split("@", 1)[1]
    yield f"postgresql://{role}@{host}", role
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"DROP OWNED BY {role}")
    with psycopg.connect(pg_cluster.url, autocommit=True) as conn:
        conn.execute(f"DROP ROLE IF EXISTS {role}")
