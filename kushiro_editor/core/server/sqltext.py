"""Statements built with psycopg.sql, run on the store's server connection.

Role, table and department names reach the server only as
:class:`psycopg.sql.Identifier` or :class:`psycopg.sql.Literal` (or as
parameters), never pasted into the text, so a name such as
「水産課'; DROP TABLE entry;--」 stays a name.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from ..model import ReportError
from ..storeerror import StoreError
from .connection import translate_error

logger = logging.getLogger(__name__)

NAME_BYTES = 63  # PostgreSQL's NAMEDATALEN - 1: a longer role name would be cut silently
DEPARTMENT_CHARACTERS = 200


def server_only(store: Any, what: str) -> None:
    """Refuse a store file: roles and row states live on the server only."""
    if not store.on_server:
        raise ReportError(
            f"{what}は共有のデータベース(postgresql://…)でだけ使えます。"
            f"{store.location} はデータファイルです。"
        )


def run(store: Any, statement: Any, params: Sequence[Any] | None = None) -> Any:
    """Run a composed statement on the server, a failure as one Japanese line."""
    import psycopg

    try:
        return store.conn.raw.execute(statement, params)
    except psycopg.Error as exc:
        raise translate_error(exc, store.location) from exc


def rows(store: Any, statement: Any, params: Sequence[Any] | None = None) -> list[tuple]:
    """The rows a composed statement returns."""
    return run(store, statement, params).fetchall()


def check_name(name: str, what: str, *, role: bool = True) -> str:
    """A login (a role: 63 bytes at most) or department name the server can hold as it is."""
    text = name.strip() if isinstance(name, str) else ""
    if not text:
        raise ReportError(f"{what}が空です。")
    if "\x00" in text or any(ch in text for ch in "\r\n\t"):
        raise ReportError(f"{what}に使えない文字が含まれています。")
    if role and len(text.encode("utf-8")) > NAME_BYTES:
        raise ReportError(f"{what}が長すぎます(UTF-8 で {NAME_BYTES} バイトまで): {text[:20]}…")
    if len(text) > DEPARTMENT_CHARACTERS:
        raise ReportError(f"{what}が長すぎます({DEPARTMENT_CHARACTERS} 文字まで): {text[:20]}…")
    return text


def permission_hint(exc: StoreError, what: str) -> StoreError:
    """A permission failure of an administrative step, said as who may do it."""
    if exc.failure != "permission":
        return exc
    return StoreError(
        f"{what}はデータベースの管理者(server init を実行した利用者)として接続して"
        "実行してください。",
        "permission",
    )
