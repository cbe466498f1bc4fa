"""Who may change what on the shared store: roles, the login → 所管部署 mapping, row security.

:func:`init` (``server init URL``, run once by the database's owner or a
superuser, harmless to run again) makes three roles per database — roles are
cluster-wide, so each is named after its database:

- ``<db>_owner`` owns every table of the store and never logs in; the editor
  never connects as it, so ``FORCE ROW LEVEL SECURITY`` holds for everyone
  who does (only a superuser passes, as PostgreSQL has it).
- ``<db>_planner``, the planning office's group: every row of every table.
- ``<db>_department``, the departments' group: reads the whole report and
  changes only its own rows' 実績 and 取組予定 (with their 未確認 marks) and
  its own KPIs' values, never the structure, a row's 所管部署 or another's row.

A department's rows are those whose ``entry.departments`` (a JSON array)
holds a department its login is mapped to in :data:`LOGIN_TABLE`, which only
planners change; a KPI is its own when ``kpi.departments`` holds one. The
server enforces it (column grants and policies); the editor's own checks only
word the refusal kindly.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass

from ..model import ReportError
from ..storeerror import StoreError
from . import sqltext

logger = logging.getLogger(__name__)

# The mapping of logins to departments: (login, department), one row per pair.
LOGIN_TABLE = "department_login"
# Each department row's state (記入中 / 提出済み / 確認済み): see rowstates.py.
STATE_TABLE = "entry_state"
OWNER_SUFFIX = "_owner"
PLANNER_SUFFIX = "_planner"
DEPARTMENT_SUFFIX = "_department"
# What a department may write, column by column (everything else it only reads).
DEPARTMENT_COLUMNS = {
    # (and the row's version, which every change counts up: core/versions.py)
    "entry": ("actual", "plan", "actual_state", "plan_state", "version"),
    # A KPI's values change its version; nothing else of the KPI is a department's.
    "kpi": ("version",),
    # Every change of a report's content records its time on the report (the present
    # only, for a department: see _STAMP_TRIGGER).
    "report": ("modified_at",),
}
# The longest text a department may write into a field (its HTML, in characters): far
# beyond any row's 実績, short of letting one login fill the server (and the record, which
# keeps each text twice).
DEPARTMENT_TEXT_LIMIT = 200_000
# A KPI value's digits (numbers.MAX_DIGITS) with its sign and point.
KPI_VALUE_LIMIT = 32
DRAFT, SUBMITTED, ACCEPTED = "記入中", "提出済み", "確認済み"
# The row states a department cannot change its row in (until a planner returns it).
FROZEN = (SUBMITTED, ACCEPTED)


@dataclass(frozen=True)
class Roles:
    """The three roles of one database."""

    owner: str
    planner: str
    department: str


@dataclass(frozen=True)
class Login:
    """A login of the store: a planner, or a department with its 所管部署."""

    name: str
    planner: bool
    departments: tuple[str, ...] = ()

    @property
    def kind(self) -> str:
        """企画担当 or 部署, as the list shows it."""
        return "企画担当" if self.planner else "部署"


def role_names(database: str) -> Roles:
    """The roles of a database; a name too long for PostgreSQL is cut and told apart by a hash."""
    longest = max(len(s) for s in (OWNER_SUFFIX, PLANNER_SUFFIX, DEPARTMENT_SUFFIX))
    base = database
    if len(base.encode("utf-8")) + longest > sqltext.NAME_BYTES:
        digest = hashlib.sha256(database.encode("utf-8")).hexdigest()[:8]
        room = sqltext.NAME_BYTES - longest - len(digest) - 1
        cut = base.encode("utf-8")[:room].decode("utf-8", errors="ignore")
        base = f"{cut}_{digest}"
    return Roles(base + OWNER_SUFFIX, base + PLANNER_SUFFIX, base + DEPARTMENT_SUFFIX)


def roles_of(store) -> Roles:
    """The roles of the database the store is on."""
    sqltext.server_only(store, "利用者と部署の設定")
    return role_names(store.conn.execute("SELECT current_database()").fetchone()[0])


def _sql():
    from psycopg import sql

    return sql


# -- server init ---------------------------------------------------------------------
def _own_entry(alias_of_id: str) -> str:
    # The entry is one of the current login's departments' rows.
    return (
        f"EXISTS (SELECT 1 FROM entry e JOIN {LOGIN_TABLE} m ON m.login = current_user"
        f" WHERE e.id = {alias_of_id} AND e.departments::jsonb ? m.department)"
    )


def _within_limit(table: str, columns: tuple[str, ...]) -> str:
    return " AND ".join(
        f"coalesce(length({table}.{column}), 0) <= {DEPARTMENT_TEXT_LIMIT}" for column in columns
    )


def _policies() -> dict[str, list[tuple[str, str, str, str | None, str | None]]]:
    """Per table: (name, command, group, USING, WITH CHECK); group 'planner' or 'department'."""
    own_row = (
        f"EXISTS (SELECT 1 FROM {LOGIN_TABLE} m WHERE m.login = current_user"
        " AND entry.departments::jsonb ? m.department)"
    )
    frozen = ", ".join(f"'{state}'" for state in FROZEN)
    open_row = (
        f"NOT EXISTS (SELECT 1 FROM {STATE_TABLE} s WHERE s.entry_id = entry.id"
        f" AND s.state IN ({frozen}))"
    )
    own_kpi = (
        f"EXISTS (SELECT 1 FROM kpi k JOIN {LOGIN_TABLE} m ON m.login = current_user"
        " WHERE k.id = kpi_value.kpi_id AND k.departments::jsonb ? m.department)"
    )
    own_state = _own_entry(f"{STATE_TABLE}.entry_id")
    own_kpi_row = (
        f"EXISTS (SELECT 1 FROM {LOGIN_TABLE} m WHERE m.login = current_user"
        " AND kpi.departments::jsonb ? m.department)"
    )
    entry_texts = _within_limit("entry", ("actual", "plan", "actual_state", "plan_state"))
    kpi_texts = _within_limit("kpi_value", ("value", "note"))
    # A value as the store keeps it (numbers.value_text) or none: any other text makes the
    # report unreadable for everyone (a damaged KPI value stops the loading).
    kpi_number = (
        "(kpi_value.value IS NULL OR (kpi_value.value ~ '^-?[0-9]+(\\.[0-9]+)?$'"
        f" AND length(kpi_value.value) <= {KPI_VALUE_LIMIT}))"
    )
    kpi_texts = f"{kpi_texts} AND {kpi_number}"
    everything = ("planner_all", "ALL", "planner", "true", "true")
    reading = ("department_read", "SELECT", "department", "true", None)
    # The change record's trigger runs as the owner and reads a row's departments.
    recording = ("owner_read", "SELECT", "owner", "true", None)
    return {
        # USING true with the check on the new row: a refused UPDATE is an error
        # ("violates row-level security policy"), not a silent "no row".
        "entry": [
            everything,
            reading,
            recording,
            (
                "department_write",
                "UPDATE",
                "department",
                "true",
                f"{own_row} AND {open_row} AND {entry_texts}",
            ),
        ],
        "kpi": [
            everything,
            reading,
            recording,
            ("department_count", "UPDATE", "department", own_kpi_row, own_kpi_row),
        ],
        # The store writes a KPI's values as "delete its rows, insert the new".
        "kpi_value": [
            everything,
            reading,
            recording,
            ("department_insert", "INSERT", "department", None, f"{own_kpi} AND {kpi_texts}"),
            ("department_update", "UPDATE", "department", "true", f"{own_kpi} AND {kpi_texts}"),
            ("department_delete", "DELETE", "department", own_kpi, None),
        ],
        LOGIN_TABLE: [
            everything,
            ("department_read", "SELECT", "department", "login = current_user", None),
        ],
        STATE_TABLE: [
            everything,
            reading,
            (
                "department_submit",
                "INSERT",
                "department",
                None,
                f"state = '{SUBMITTED}' AND {own_state}",
            ),
            (
                "department_resubmit",
                "UPDATE",
                "department",
                f"state = '{DRAFT}' AND {own_state}",
                f"state = '{SUBMITTED}' AND {own_state}",
            ),
        ],
    }


# The only moves between states; anything else the server refuses.
_STATE_TRIGGER = f"""
CREATE OR REPLACE FUNCTION kushiro_entry_state_change() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    before_state text := '{DRAFT}';
BEGIN
    IF TG_OP = 'UPDATE' THEN
        before_state := OLD.state;
    END IF;
    IF NOT ((before_state = '{DRAFT}' AND NEW.state = '{SUBMITTED}')
            OR (before_state = '{SUBMITTED}' AND NEW.state IN ('{ACCEPTED}', '{DRAFT}'))
            OR (before_state = '{ACCEPTED}' AND NEW.state = '{DRAFT}')) THEN
        RAISE EXCEPTION USING ERRCODE = 'check_violation',
            MESSAGE = format('row state %s -> %s is not a step', before_state, NEW.state);
    END IF;
    IF NEW.state <> '{DRAFT}' THEN
        NEW.comment := '';  -- a comment goes with a row given back
    END IF;
    NEW.changed_by := current_user;
    NEW.changed_at := now();
    RETURN NEW;
END
$$
"""


# A department stamps a report's modification time (every edit does) with the present
# only; the roles come as the trigger's arguments, never spelled into the function.
_STAMP_TRIGGER = """
CREATE OR REPLACE FUNCTION kushiro_report_stamp() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    stamped timestamptz;
BEGIN
    IF pg_has_role(current_user, TG_ARGV[0], 'MEMBER')
            AND NOT pg_has_role(current_user, TG_ARGV[1], 'MEMBER') THEN
        BEGIN
            stamped := NEW.modified_at::timestamptz;
        EXCEPTION WHEN others THEN
            stamped := NULL;
        END;
        -- The store's own form only: the server also reads 'now', 'tomorrow' or a time
        -- padded with spaces as a time, and the report would show that text.
        IF NEW.modified_at !~ ('^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}'
                               || '(\\.[0-9]{1,6})?([+-][0-9]{2}:[0-9]{2}|Z)?$') THEN
            stamped := NULL;
        END IF;
        IF stamped IS NULL
                OR stamped NOT BETWEEN now() - interval '1 day' AND now() + interval '1 day' THEN
            RAISE EXCEPTION USING ERRCODE = 'insufficient_privilege',
                MESSAGE = 'a department stamps a report with the present time only';
        END IF;
    END IF;
    RETURN NEW;
END
$$
"""


def _stamp_trigger(store, roles: Roles) -> None:
    sql = _sql()
    sqltext.run(store, sql.SQL(_STAMP_TRIGGER))
    sqltext.run(store, sql.SQL("DROP TRIGGER IF EXISTS report_stamp ON report"))
    sqltext.run(
        store,
        sql.SQL(
            "CREATE TRIGGER report_stamp BEFORE UPDATE ON report"
            " FOR EACH ROW EXECUTE FUNCTION kushiro_report_stamp({}, {})"
        ).format(sql.Literal(roles.department), sql.Literal(roles.planner)),
    )
    sqltext.run(
        store,
        sql.SQL("ALTER FUNCTION kushiro_report_stamp() OWNER TO {}").format(
            sql.Identifier(roles.owner)
        ),
    )


def _make_tables(store) -> None:
    sqltext.run(
        store,
        _sql().SQL(
            f"CREATE TABLE IF NOT EXISTS {LOGIN_TABLE} ("
            " login TEXT NOT NULL, department TEXT NOT NULL, PRIMARY KEY (login, department))"
        ),
    )
    sqltext.run(
        store,
        _sql().SQL(
            f"CREATE TABLE IF NOT EXISTS {STATE_TABLE} ("
            " entry_id TEXT PRIMARY KEY REFERENCES entry(id) ON DELETE CASCADE,"
            f" state TEXT NOT NULL CHECK (state IN ('{DRAFT}', '{SUBMITTED}', '{ACCEPTED}')),"
            " comment TEXT NOT NULL DEFAULT '',"
            " changed_by TEXT NOT NULL DEFAULT current_user,"
            " changed_at TIMESTAMPTZ NOT NULL DEFAULT now())"
        ),
    )
    sqltext.run(store, _sql().SQL(_STATE_TRIGGER))
    sqltext.run(store, _sql().SQL(f"DROP TRIGGER IF EXISTS entry_state_change ON {STATE_TABLE}"))
    sqltext.run(
        store,
        _sql().SQL(
            f"CREATE TRIGGER entry_state_change BEFORE INSERT OR UPDATE ON {STATE_TABLE}"
            " FOR EACH ROW EXECUTE FUNCTION kushiro_entry_state_change()"
        ),
    )


def _ensure_group(store, name: str) -> None:
    sql = _sql()
    found = sqltext.rows(
        store, sql.SQL("SELECT rolcanlogin FROM pg_roles WHERE rolname = %s"), (name,)
    )
    if not found:
        sqltext.run(store, sql.SQL("CREATE ROLE {} NOLOGIN").format(sql.Identifier(name)))
    elif found[0][0]:
        # A group one can log in as would be a way round the policies; taking a person's
        # login away is not init's to do.
        raise ReportError(
            f"役割 {name} がログインできる利用者としてすでにあります。名前を変えるか"
            "ログインできないようにしてから、もう一度実行してください。"
        )


def _store_tables() -> tuple[str, ...]:
    from .. import migrations
    from .connection import INFO_TABLE

    return (*migrations.TABLES, INFO_TABLE, LOGIN_TABLE, STATE_TABLE)


def init(store) -> Roles:
    """Make the database's roles, grants and policies (idempotent); returns the roles."""
    sql = _sql()
    roles = roles_of(store)
    owner, planner, department = (
        sql.Identifier(roles.owner),
        sql.Identifier(roles.planner),
        sql.Identifier(roles.department),
    )
    try:
        with store.transaction():
            for name in (roles.owner, roles.planner, roles.department):
                _ensure_group(store, name)
            superuser = sqltext.rows(
                store, sql.SQL("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
            )[0][0]
            if not superuser:  # the database's owner hands its tables over as a member
                sqltext.run(store, sql.SQL("GRANT {} TO current_user").format(owner))
            _make_tables(store)
            _stamp_trigger(store, roles)
            _grant_database(store, planner, department)
            for table in _store_tables():
                _secure_table(store, table, roles)
            sqltext.run(
                store,
                sql.SQL("ALTER FUNCTION kushiro_entry_state_change() OWNER TO {}").format(owner),
            )
            _secure_server_tables(store, roles)
    except StoreError as exc:
        raise sqltext.permission_hint(exc, "server init ") from exc
    logger.info("server roles set up: %s", roles)
    return roles


# Who the change record (core/server/audit.py) takes for a planner and for a department's
# login: its read policy asks these two. Every name is spelled with its schema (a SQL
# function finds names by the caller's search path, where a temporary table comes first),
# and no SET clause keeps them inlined into the policy.
_RECORD_FUNCTIONS = """
CREATE OR REPLACE FUNCTION kushiro_my_departments() RETURNS TEXT[]
LANGUAGE sql STABLE AS $$
    SELECT coalesce(pg_catalog.array_agg(department), '{{}}') FROM {logins}
     WHERE login = current_user
$$;
CREATE OR REPLACE FUNCTION kushiro_is_planner() RETURNS BOOLEAN
LANGUAGE sql STABLE AS $$ SELECT pg_catalog.pg_has_role(current_user, {planner}, 'MEMBER') $$;
"""


def _secure_server_tables(store, roles: Roles) -> None:
    """The change record and the snapshots belong to the owner too: everyone reads the record
    (its policy shows a department its own rows'), planners alone the snapshots, which hold
    the whole store."""
    from .audit import LOG
    from .schema import SNAPSHOTS

    sql = _sql()
    owner, planner, department = (
        sql.Identifier(roles.owner),
        sql.Identifier(roles.planner),
        sql.Identifier(roles.department),
    )
    for table in (LOG, SNAPSHOTS):
        name = sql.Identifier(table)
        sqltext.run(store, sql.SQL("ALTER TABLE {} OWNER TO {}").format(name, owner))
        sqltext.run(
            store,
            sql.SQL("REVOKE ALL ON TABLE {} FROM PUBLIC, {}, {}").format(name, planner, department),
        )
    sqltext.run(
        store,
        sql.SQL("GRANT SELECT ON TABLE {} TO {}, {}").format(
            sql.Identifier(LOG), planner, department
        ),
    )
    # When and by whom a snapshot was taken the server writes, not the planner.
    sqltext.run(
        store,
        sql.SQL(
            "GRANT SELECT, DELETE, INSERT (reason, name, years, data) ON TABLE {} TO {}"
        ).format(sql.Identifier(SNAPSHOTS), planner),
    )
    schema = sql.Identifier(store.conn.execute("SELECT current_schema()").fetchone()[0])
    sqltext.run(store, sql.SQL("ALTER FUNCTION kushiro_audit_row() OWNER TO {}").format(owner))
    # A login given TEMP could otherwise put a table of its own before the log (or the
    # tables the function reads): pg_temp comes first unless named last.
    sqltext.run(
        store,
        sql.SQL(
            "ALTER FUNCTION kushiro_audit_row() SET search_path = pg_catalog, {}, pg_temp"
        ).format(schema),
    )
    sqltext.run(
        store,
        sql.SQL(_RECORD_FUNCTIONS).format(
            logins=sql.SQL(".").join([schema, sql.Identifier(LOGIN_TABLE)]),
            planner=sql.Literal(roles.planner),
        ),
    )
    for function in ("kushiro_my_departments()", "kushiro_is_planner()"):
        sqltext.run(store, sql.SQL(f"ALTER FUNCTION {function} OWNER TO {{}}").format(owner))


def _grant_database(store, planner, department) -> None:
    sql = _sql()
    database = sql.Identifier(store.conn.execute("SELECT current_database()").fetchone()[0])
    schema = sql.Identifier(store.conn.execute("SELECT current_schema()").fetchone()[0])
    sqltext.run(
        store, sql.SQL("REVOKE CONNECT, TEMPORARY ON DATABASE {} FROM PUBLIC").format(database)
    )
    # PostgreSQL before 15 let everyone create objects in the public schema.
    sqltext.run(store, sql.SQL("REVOKE CREATE ON SCHEMA {} FROM PUBLIC").format(schema))
    for group in (planner, department):
        sqltext.run(store, sql.SQL("GRANT CONNECT ON DATABASE {} TO {}").format(database, group))
        sqltext.run(store, sql.SQL("GRANT USAGE ON SCHEMA {} TO {}").format(schema, group))
    # The numbered columns (import warnings, the notation rules) and a copy's renumbering.
    sqltext.run(
        store,
        sql.SQL("GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA {} TO {}").format(
            schema, planner
        ),
    )


def _secure_table(store, table: str, roles: Roles) -> None:
    from .connection import INFO_TABLE

    sql = _sql()
    name = sql.Identifier(table)
    owner, planner, department = (
        sql.Identifier(roles.owner),
        sql.Identifier(roles.planner),
        sql.Identifier(roles.department),
    )
    sqltext.run(store, sql.SQL("ALTER TABLE {} OWNER TO {}").format(name, owner))
    sqltext.run(
        store,
        sql.SQL("REVOKE ALL ON TABLE {} FROM PUBLIC, {}, {}").format(name, planner, department),
    )
    writes = "SELECT" if table == INFO_TABLE else "SELECT, INSERT, UPDATE, DELETE"
    sqltext.run(store, sql.SQL(f"GRANT {writes} ON TABLE {{}} TO {{}}").format(name, planner))
    sqltext.run(store, sql.SQL("GRANT SELECT ON TABLE {} TO {}").format(name, department))
    columns = DEPARTMENT_COLUMNS.get(table)
    if columns:
        sqltext.run(
            store,
            sql.SQL("GRANT UPDATE ({}) ON TABLE {} TO {}").format(
                sql.SQL(", ").join(map(sql.Identifier, columns)), name, department
            ),
        )
    if table == "kpi_value":
        sqltext.run(
            store,
            sql.SQL("GRANT INSERT, DELETE, UPDATE (value, note) ON TABLE {} TO {}").format(
                name, department
            ),
        )
    if table == STATE_TABLE:
        sqltext.run(
            store,
            sql.SQL("GRANT INSERT (entry_id, state), UPDATE (state) ON TABLE {} TO {}").format(
                name, department
            ),
        )
    policies = _policies().get(table)
    if not policies:
        return
    sqltext.run(store, sql.SQL("ALTER TABLE {} ENABLE ROW LEVEL SECURITY").format(name))
    sqltext.run(store, sql.SQL("ALTER TABLE {} FORCE ROW LEVEL SECURITY").format(name))
    existing = sqltext.rows(
        store,
        sql.SQL(
            "SELECT policyname FROM pg_policies WHERE schemaname = current_schema()"
            " AND tablename = %s"
        ),
        (table,),
    )
    for (policy,) in existing:
        sqltext.run(store, sql.SQL("DROP POLICY {} ON {}").format(sql.Identifier(policy), name))
    groups = {"planner": planner, "department": department, "owner": owner}
    for policy, command, group, using, check in policies:
        statement = sql.SQL("CREATE POLICY {} ON {} FOR {} TO {}").format(
            sql.Identifier(policy), name, sql.SQL(command), groups[group]
        )
        if using is not None:
            statement += sql.SQL(f" USING ({using})")
        if check is not None:
            statement += sql.SQL(f" WITH CHECK ({check})")
        sqltext.run(store, statement)
