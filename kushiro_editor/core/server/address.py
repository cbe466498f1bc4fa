"""A server's address as the connect dialog shows it, and as a ``postgresql://`` URL.

The dialog asks for the server, port, database, login and TLS settings one
field each; the store opens a URL. :func:`url` writes the one from the other
(every part percent-encoded, so a name with ``@``, ``/`` or ``?`` stays that
name), :func:`parse` reads a URL back into the fields, for a store connected
to before. A password goes into the URL for that one connection only: what is
remembered is :func:`~.connection.safe_location`, which leaves it out.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from urllib.parse import quote, urlencode

from ..model import ReportError

logger = logging.getLogger(__name__)

DEFAULT_PORT = 5432
# The TLS modes the dialog offers, strictest first (libpq's names).
SSL_MODES = ("verify-full", "verify-ca", "require", "prefer", "disable")


@dataclass(frozen=True)
class Address:
    """Where a shared store is: the dialog's fields."""

    host: str
    port: int = DEFAULT_PORT
    dbname: str = ""
    user: str = ""
    sslmode: str = ""  # "" lets libpq choose (prefer)
    sslrootcert: str = ""  # the root certificate file that vouches for the server

    def checked(self) -> Address:
        """The same address, or one Japanese line naming what is missing or wrong."""
        host, dbname, user = self.host.strip(), self.dbname.strip(), self.user.strip()
        if not host:
            raise ReportError("サーバーの名前(またはアドレス)を入力してください。")
        if not dbname:
            raise ReportError("データベースの名前を入力してください。")
        if not user:
            raise ReportError("ログイン名を入力してください。")
        if not 0 < self.port < 65536:
            raise ReportError(f"ポート番号は 1 から 65535 までです: {self.port}")
        if self.sslmode and self.sslmode not in SSL_MODES:
            raise ReportError(f"TLS の設定が正しくありません: {self.sslmode}")
        if self.sslmode.startswith("verify") and not self.sslrootcert:
            raise ReportError(
                "サーバーの証明書を確かめるには、ルート証明書のファイルを選んでください。"
            )
        for text in (host, dbname, user, self.sslrootcert):
            if any(ord(c) < 32 for c in text):
                raise ReportError("接続先に改行や制御文字は使えません。")
        return Address(host, self.port, dbname, user, self.sslmode, self.sslrootcert)


def url(address: Address, password: str = "") -> str:
    """The ``postgresql://`` URL of ``address`` (with ``password`` for this connection)."""
    who = quote(address.user, safe="")
    if password:
        who += ":" + quote(password, safe="")
    host = address.host
    # An IPv6 address is written in brackets, as in any URL.
    host = f"[{host}]" if ":" in host and not host.startswith("[") else quote(host, safe="[]:")
    options = {}
    if address.sslmode:
        options["sslmode"] = address.sslmode
    if address.sslrootcert:
        options["sslrootcert"] = address.sslrootcert
    tail = f"?{urlencode(options, quote_via=quote)}" if options else ""
    return f"postgresql://{who}@{host}:{address.port}/{quote(address.dbname, safe='')}{tail}"


def parse(location: str) -> Address:
    """The fields of a ``postgresql://`` location (its password, if any, dropped)."""
    from psycopg.conninfo import conninfo_to_dict

    try:
        parts = conninfo_to_dict(location)
    except Exception as exc:
        raise ReportError("接続先の書き方が正しくありません。") from exc
    try:
        port = int(parts.get("port") or DEFAULT_PORT)
    except ValueError:
        port = DEFAULT_PORT
    return Address(
        host=str(parts.get("host") or "localhost"),
        port=port,
        dbname=str(parts.get("dbname") or ""),
        user=str(parts.get("user") or ""),
        sslmode=str(parts.get("sslmode") or ""),
        sslrootcert=str(parts.get("sslrootcert") or ""),
    )
