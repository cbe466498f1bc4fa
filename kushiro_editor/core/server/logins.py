"""The store's logins: departments with their 所管部署, planners, and who is connected.

A login is a PostgreSQL role that can log in, a member of the database's
planners' or departments' group (:mod:`.roles`). Making one or giving it a
password takes the database's administrator (CREATEROLE); mapping a
department login to another 所管部署 or taking one away is a planner's.
A password is sent to the server already encrypted (SCRAM, by libpq), so it
is never in a statement the server could log.
"""

from __future__ import annotations

import logging

from ..model import ReportError
from ..storeerror import StoreError
from . import sqltext
from .roles import LOGIN_TABLE, Login, Roles, roles_of

logger = logging.getLogger(__name__)


def _sql():
    from psycopg import sql

    return sql


def _role(store, name: str) -> tuple[bool, bool] | None:
    """(can log in, superuser) of a role, None when there is none of that name."""
    found = sqltext.rows(
        store,
        _sql().SQL("SELECT rolcanlogin, rolsuper FROM pg_roles WHERE rolname = %s"),
        (name,),
    )
    return tuple(found[0]) if found else None


def _member(store, login: str, group: str) -> bool:
    return bool(
        sqltext.rows(
            store,
            _sql().SQL(
                "SELECT 1 FROM pg_auth_members a JOIN pg_roles r ON a.member = r.oid"
                " JOIN pg_roles g ON a.roleid = g.oid WHERE r.rolname = %s AND g.rolname = %s"
            ),
            (login, group),
        )
    )


def _check_login(store, login: str, roles: Roles) -> tuple[bool, bool] | None:
    login = sqltext.check_name(login, "利用者名")
    if login in (roles.owner, roles.planner, roles.department):
        raise ReportError(
            f"「{login}」はデータベースの役割の名前です。別の利用者名にしてください。"
        )
    found = _role(store, login)
    if found is not None and not found[0]:
        raise ReportError(f"「{login}」はログインできない役割です。別の利用者名にしてください。")
    if found is not None and found[1]:
        raise ReportError(
            f"「{login}」は管理者です。部署や企画担当には普段使いの別の利用者名を作ってください。"
        )
    return found


def _ensure_login(store, login: str, password: str | None, roles: Roles) -> bool:
    """Make the login when missing (and set its password when one is given); True if made."""
    sql = _sql()
    found = _check_login(store, login, roles)
    name = sql.Identifier(login)
    try:
        if found is None:
            sqltext.run(store, sql.SQL("CREATE ROLE {} LOGIN").format(name))
        if password is not None:
            encrypted = store.conn.raw.pgconn.encrypt_password(
                password.encode("utf-8"), login.encode("utf-8")
            )
            sqltext.run(
                store,
                sql.SQL("ALTER ROLE {} PASSWORD {}").format(
                    name, sql.Literal(encrypted.decode("ascii"))
                ),
            )
    except StoreError as exc:
        raise sqltext.permission_hint(exc, "利用者の作成とパスワードの設定") from exc
    return found is None


def _join(store, login: str, group: str) -> None:
    sql = _sql()
    if _member(store, login, group):
        return
    try:
        sqltext.run(
            store,
            sql.SQL("GRANT {} TO {}").format(sql.Identifier(group), sql.Identifier(login)),
        )
    except StoreError as exc:
        raise sqltext.permission_hint(exc, "利用者をグループに入れる操作") from exc


def add_department(store, department: str, login: str, password: str | None = None) -> bool:
    """Map a department login to a 所管部署 (the login made if missing); True if it was made."""
    roles = roles_of(store)
    department = sqltext.check_name(department, "部署名", role=False)
    login = login.strip()
    with store.transaction():
        _check_login(store, login, roles)
        if _member(store, login, roles.planner):
            raise ReportError(f"「{login}」は企画担当です。部署には別の利用者名を作ってください。")
        made = _ensure_login(store, login, password, roles)
        _join(store, login, roles.department)
        _map(store, login, department)
    logger.info("department login %s → %s (made: %s)", login, department, made)
    return made


def add_planner(store, login: str, password: str | None = None) -> bool:
    """Make a login a planner (made if missing); True if it was made."""
    roles = roles_of(store)
    login = login.strip()
    with store.transaction():
        _check_login(store, login, roles)
        if _member(store, login, roles.department):
            raise ReportError(
                f"「{login}」は部署の利用者です。企画担当には別の利用者名を作ってください。"
            )
        made = _ensure_login(store, login, password, roles)
        _join(store, login, roles.planner)
    logger.info("planner login %s (made: %s)", login, made)
    return made


def _map(store, login: str, department: str) -> None:
    sqltext.run(
        store,
        _sql().SQL(
            f"INSERT INTO {LOGIN_TABLE} (login, department) VALUES (%s, %s) ON CONFLICT DO NOTHING"
        ),
        (login, department),
    )


def grant(store, login: str, department: str) -> None:
    """Let a department login also write the rows of another 所管部署."""
    roles = roles_of(store)
    department = sqltext.check_name(department, "部署名", role=False)
    login = sqltext.check_name(login, "利用者名")
    with store.transaction():
        if not _member(store, login, roles.department):
            raise ReportError(
                f"「{login}」は部署の利用者ではありません"
                f"(先に server add-department {department} --login {login})。"
            )
        _map(store, login, department)


def revoke(store, login: str, department: str) -> None:
    """Take a 所管部署 away from a department login."""
    login = sqltext.check_name(login, "利用者名")
    department = sqltext.check_name(department, "部署名", role=False)
    with store.transaction():
        cursor = sqltext.run(
            store,
            _sql().SQL(f"DELETE FROM {LOGIN_TABLE} WHERE login = %s AND department = %s"),
            (login, department),
        )
    if cursor.rowcount != 1:
        raise ReportError(f"「{login}」は{department}に割り当てられていません。")


def logins(store) -> list[Login]:
    """Every planner and department login of the database, by name (for planners)."""
    roles = roles_of(store)
    me = whoami(store)
    if not me.planner:
        # The server shows a department its own mapping only: a list would mislead.
        raise ReportError(f"利用者の一覧は企画担当が見られます({me.name} は部署の利用者です)。")
    sql = _sql()
    members = sqltext.rows(
        store,
        sql.SQL(
            "SELECT r.rolname, g.rolname FROM pg_auth_members a JOIN pg_roles r ON a.member = r.oid"
            " JOIN pg_roles g ON a.roleid = g.oid WHERE g.rolname IN (%s, %s) AND r.rolcanlogin"
        ),
        (roles.planner, roles.department),
    )
    mapped: dict[str, list[str]] = {}
    for login, department in sqltext.rows(
        store, sql.SQL(f"SELECT login, department FROM {LOGIN_TABLE} ORDER BY login, department")
    ):
        mapped.setdefault(login, []).append(department)
    found = {
        login: Login(login, group == roles.planner, tuple(mapped.get(login, ())))
        for login, group in members
    }
    return [found[name] for name in sorted(found)]


def whoami(store) -> Login:
    """The connected login: a planner (or the administrator), or a department."""
    roles = roles_of(store)
    sql = _sql()
    name, superuser = sqltext.rows(
        store, sql.SQL("SELECT current_user, rolsuper FROM pg_roles WHERE rolname = current_user")
    )[0]
    planner = superuser or _member(store, name, roles.planner)
    departments = sqltext.rows(
        store,
        sql.SQL(f"SELECT department FROM {LOGIN_TABLE} WHERE login = current_user ORDER BY 1"),
    )
    return Login(name, planner, tuple(row[0] for row in departments))
