"""Who changed what on the server: every change to the report's tables, recorded by the server.

A trigger on each node table writes one row of ``audit_log`` per changed
column (an insert or a delete is one row holding the whole row as JSON): when,
who (``session_user``: the login, whatever role it took on), the table, the
node, the field, before and after. The trigger function is ``SECURITY
DEFINER`` and owned by the log's owner, so a login that may change the report
adds rows to the log without any right on it. A statement trigger refuses
every UPDATE, DELETE and TRUNCATE of the log, its owner's too: only the owner
taking the trigger away could.

Each row carries the report it belongs to and the departments of the row
changed (an entry's or a KPI's 所管部署, before and after), so that the log's
row-level security lets a department read only its own rows' history:
planners (:func:`kushiro_is_planner`) and the log's owner read everything,
anyone else the rows whose departments meet ``kushiro_my_departments()``.
Both functions are made here only when missing, and answer as if no login
were a planner or mapped to a department (bar the owner and the database's
``<db>_planner`` group); the department roles redefine them with
``CREATE OR REPLACE`` and keep their version.

The statements go to psycopg as written (``conn.raw``): PL/pgSQL's ``?``
operators and ``%`` signs are not the store's parameter marks.
"""

from __future__ import annotations

import logging

from .. import versions

logger = logging.getLogger(__name__)

# The tables a change to the report lands in: the node tables, as the versions name them,
# and a KPI's years.
TABLES = (*versions.TABLES.values(), "kpi_value", "kpi_target")
LOG = "audit_log"
TRIGGER = "kushiro_audit"
# Changed with the trigger function's body: a store with an older one gets this one.
MARK = "kushiro audit 1"

_TABLE = """
CREATE TABLE IF NOT EXISTS audit_log (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    changed_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    changed_by TEXT NOT NULL DEFAULT session_user,
    table_name TEXT NOT NULL,
    action TEXT NOT NULL CHECK (action IN ('insert', 'update', 'delete')),
    node_id TEXT NOT NULL,
    fiscal_year INTEGER,
    report_id TEXT,
    departments TEXT[] NOT NULL DEFAULT '{}',
    field TEXT,
    before TEXT,
    after TEXT
);
CREATE INDEX IF NOT EXISTS audit_log_node ON audit_log (node_id, id);
CREATE INDEX IF NOT EXISTS audit_log_report ON audit_log (report_id, id);
CREATE INDEX IF NOT EXISTS audit_log_departments ON audit_log USING gin (departments);
"""

# A JSON array of names as text[]; anything else (an empty or odd value) names none.
_NAMES = """
CREATE OR REPLACE FUNCTION kushiro_audit_names(names TEXT) RETURNS TEXT[]
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN names IS NULL OR left(btrim(names), 1) <> '['
                THEN '{}'::text[]
                ELSE ARRAY(SELECT jsonb_array_elements_text(names::jsonb)) END
$$;
"""

# The report and the departments a changed row belongs to. A row deleted with its
# parent (ON DELETE CASCADE) finds the parent gone: its report is then unknown.
_OWNER = """
CREATE OR REPLACE FUNCTION kushiro_audit_owner(
    tbl TEXT, r JSONB, OUT o_report TEXT, OUT o_departments TEXT[]
) LANGUAGE plpgsql STABLE AS $$
DECLARE
    k JSONB := r;
BEGIN
    o_departments := '{}';
    IF tbl IN ('kpi_value', 'kpi_target') THEN
        SELECT to_jsonb(x) INTO k FROM kpi x WHERE x.id = r->>'kpi_id';
        IF k IS NULL THEN
            RETURN;
        END IF;
        tbl := 'kpi';
    END IF;
    IF tbl = 'report' THEN
        o_report := r->>'id';
    ELSIF tbl = 'goal' THEN
        o_report := r->>'report_id';
    ELSIF tbl = 'direction' THEN
        SELECT g.report_id INTO o_report FROM goal g WHERE g.id = r->>'goal_id';
    ELSIF tbl IN ('measure', 'main_project', 'entry') THEN
        SELECT g.report_id INTO o_report
            FROM direction d JOIN goal g ON g.id = d.goal_id WHERE d.id = r->>'direction_id';
    ELSIF tbl = 'kpi' THEN
        o_report := coalesce(
            (SELECT g.report_id FROM goal g WHERE g.id = k->>'goal_id'),
            (SELECT g.report_id FROM direction d JOIN goal g ON g.id = d.goal_id
              WHERE d.id = k->>'direction_id'),
            (SELECT g.report_id FROM measure m JOIN direction d ON d.id = m.direction_id
              JOIN goal g ON g.id = d.goal_id WHERE m.id = k->>'measure_id'));
    END IF;
    IF tbl IN ('entry', 'kpi') THEN
        o_departments := kushiro_audit_names(k->>'departments');
    END IF;
END
$$;
"""

# One row per changed column; the bookkeeping columns (the report's modification
# time, a node's version) change with every edit and say nothing of their own.
_ROW = """
CREATE OR REPLACE FUNCTION kushiro_audit_row() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, {schema}, pg_temp AS $$
DECLARE
    old_row JSONB;
    new_row JSONB;
    r JSONB;
    found RECORD;
    departments TEXT[];
    node TEXT;
    fy INTEGER;
    col TEXT;
BEGIN
    IF TG_OP <> 'INSERT' THEN
        old_row := to_jsonb(OLD);
    END IF;
    IF TG_OP <> 'DELETE' THEN
        new_row := to_jsonb(NEW);
    END IF;
    r := coalesce(new_row, old_row);
    node := coalesce(r->>'id', r->>'kpi_id');
    fy := (r->>'fiscal_year')::integer;
    found := kushiro_audit_owner(TG_TABLE_NAME, r);
    departments := found.o_departments;
    IF TG_OP = 'INSERT' THEN
        INSERT INTO audit_log (table_name, action, node_id, fiscal_year, report_id,
                               departments, after)
        VALUES (TG_TABLE_NAME, 'insert', node, fy, found.o_report, departments,
                new_row::text);
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO audit_log (table_name, action, node_id, fiscal_year, report_id,
                               departments, before)
        VALUES (TG_TABLE_NAME, 'delete', node, fy, found.o_report, departments,
                old_row::text);
    ELSE
        IF TG_TABLE_NAME IN ('entry', 'kpi') THEN
            -- A row given to another department stays in the history of both.
            departments := ARRAY(
                SELECT DISTINCT unnest(
                    departments || kushiro_audit_names(old_row->>'departments')));
        END IF;
        FOR col IN SELECT key FROM jsonb_each(new_row) LOOP
            CONTINUE WHEN col = 'version'
                OR (TG_TABLE_NAME = 'report' AND col = 'modified_at');
            IF new_row->col IS DISTINCT FROM old_row->col THEN
                INSERT INTO audit_log (table_name, action, node_id, fiscal_year, report_id,
                                       departments, field, before, after)
                VALUES (TG_TABLE_NAME, 'update', node, fy, found.o_report, departments,
                        col, old_row->>col, new_row->>col);
            END IF;
        END LOOP;
    END IF;
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION kushiro_audit_row() IS '{mark}';
REVOKE ALL ON FUNCTION kushiro_audit_row() FROM PUBLIC;
"""

# For each statement, not each row: a statement that row-level security leaves no row
# to touch is refused as loudly as one that would change some.
_KEPT = """
CREATE OR REPLACE FUNCTION kushiro_audit_kept() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the change history (audit_log) is never changed or deleted'
        USING ERRCODE = 'insufficient_privilege';
END
$$;
DROP TRIGGER IF EXISTS kushiro_audit_kept ON audit_log;
CREATE TRIGGER kushiro_audit_kept BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION kushiro_audit_kept();
"""

# Made only when missing: the department roles put their own in their place.
_MY_DEPARTMENTS = """
CREATE FUNCTION kushiro_my_departments() RETURNS TEXT[]
LANGUAGE sql STABLE AS $$ SELECT '{}'::text[] $$;
"""
_IS_PLANNER = """
CREATE FUNCTION kushiro_is_planner() RETURNS BOOLEAN
LANGUAGE sql STABLE AS $$
    SELECT EXISTS (
        SELECT 1 FROM pg_catalog.pg_roles
         WHERE rolname = current_database() || '_planner'
           AND pg_catalog.pg_has_role(current_user, oid, 'MEMBER'))
$$;
"""

_POLICIES = {
    "audit_log_read": """
CREATE POLICY audit_log_read ON audit_log FOR SELECT USING (
    pg_catalog.pg_has_role(current_user,
        (SELECT c.relowner FROM pg_catalog.pg_class c WHERE c.oid = 'audit_log'::regclass),
        'USAGE')
    OR kushiro_is_planner()
    OR departments && kushiro_my_departments()
);
""",
    # Rows come only through the trigger function, which runs as the log's owner.
    "audit_log_record": """
CREATE POLICY audit_log_record ON audit_log FOR INSERT WITH CHECK (
    pg_catalog.pg_has_role(current_user,
        (SELECT c.relowner FROM pg_catalog.pg_class c WHERE c.oid = 'audit_log'::regclass),
        'USAGE')
);
""",
}

_SECURITY = """
ALTER TABLE audit_log ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit_log FORCE ROW LEVEL SECURITY;
REVOKE ALL ON audit_log FROM PUBLIC;
GRANT SELECT ON audit_log TO PUBLIC;
"""


def current(conn) -> bool:
    """True when the log, its functions and every table's trigger are as this version makes them."""
    row = conn.raw.execute(
        "SELECT obj_description(to_regprocedure('kushiro_audit_row()'), 'pg_proc'),"
        " (SELECT count(*) FROM pg_trigger t WHERE t.tgname = %s AND NOT t.tgisinternal"
        "   AND t.tgrelid = ANY (SELECT to_regclass(n) FROM unnest(%s::text[]) n)),"
        " to_regprocedure('kushiro_my_departments()') IS NOT NULL"
        "   AND to_regprocedure('kushiro_is_planner()') IS NOT NULL",
        (TRIGGER, list(TABLES)),
    ).fetchone()
    return row[0] == MARK and row[1] == len(TABLES) and bool(row[2])


def install(conn, schema: str) -> None:
    """Make what is missing of the log, its functions, triggers and policies (in the caller's
    transaction, by a login that owns the report's tables)."""
    from psycopg import sql

    raw = conn.raw
    for script in (_TABLE, _NAMES, _OWNER):
        raw.execute(script)
    raw.execute(sql.SQL(_ROW.replace("{mark}", MARK)).format(schema=sql.Identifier(schema)))
    raw.execute(_KEPT)
    for name, script in (
        ("kushiro_my_departments()", _MY_DEPARTMENTS),
        ("kushiro_is_planner()", _IS_PLANNER),
    ):
        if raw.execute("SELECT to_regprocedure(%s) IS NULL", (name,)).fetchone()[0]:
            raw.execute(script)
    raw.execute(_SECURITY)
    have = {
        row[0]
        for row in raw.execute(
            "SELECT policyname FROM pg_policies WHERE tablename = %s AND schemaname = %s",
            (LOG, schema),
        )
    }
    for name, script in _POLICIES.items():
        if name not in have:
            raw.execute(script)
    for table in TABLES:
        raw.execute(
            sql.SQL(
                "CREATE OR REPLACE TRIGGER {} AFTER INSERT OR UPDATE OR DELETE ON {}"
                " FOR EACH ROW EXECUTE FUNCTION kushiro_audit_row()"
            ).format(sql.Identifier(TRIGGER), sql.Identifier(table))
        )
    _give_to_database_owner(conn)
    logger.info("audit log installed (%s)", MARK)


def _give_to_database_owner(conn) -> None:
    """The log and the function writing it belong to the database's owner, when this login
    may hand them over (the owner itself or a superuser): the definer is then the owner."""
    raw = conn.raw
    owner, may = raw.execute(
        "SELECT o.rolname, pg_has_role(current_user, d.datdba, 'USAGE')"
        "    OR (SELECT rolsuper FROM pg_roles WHERE rolname = current_user)"
        " FROM pg_database d JOIN pg_roles o ON o.oid = d.datdba"
        " WHERE d.datname = current_database()"
    ).fetchone()
    if not may:
        return
    from psycopg import sql

    who = sql.Identifier(owner)
    raw.execute(sql.SQL("ALTER TABLE audit_log OWNER TO {}").format(who))
    raw.execute(sql.SQL("ALTER FUNCTION kushiro_audit_row() OWNER TO {}").format(who))
