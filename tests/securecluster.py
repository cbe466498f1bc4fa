"""A cluster of its own for the tests of TLS and passwords: a certificate authority
made with openssl, the server's certificate for 127.0.0.1 and localhost, TLS on, and a
login that must give its password (scram). The run's cluster stays as it is."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from psycopg import sql

from tests import pgserver

PASSWORD_USER = "kushiro_pw_user"
PASSWORD = "正しい-pass:word\\1"
DATABASE = "reports"  # owned by PASSWORD_USER


def _openssl(*args: object, cwd: Path) -> None:
    subprocess.run(["openssl", *map(str, args)], cwd=cwd, check=True, capture_output=True)


def make_ca(folder: Path, name: str) -> tuple[Path, Path]:
    """A certificate authority of its own: (its certificate, its key)."""
    cert, key = folder / f"{name}.crt", folder / f"{name}.key"
    _openssl(
        "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
        "-subj", f"/CN={name}", "-keyout", key, "-out", cert, cwd=folder,
    )  # fmt: skip
    return cert, key


def make_server_certificate(folder: Path, ca: tuple[Path, Path]) -> tuple[Path, Path]:
    """The server's certificate for 127.0.0.1 and localhost, signed by ``ca``."""
    key, request, cert = folder / "server.key", folder / "server.csr", folder / "server.crt"
    names = folder / "names.ext"
    names.write_text("subjectAltName = IP:127.0.0.1, DNS:localhost\n", encoding="utf-8")
    _openssl(
        "req", "-new", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1",
        "-keyout", key, "-out", request, cwd=folder,
    )  # fmt: skip
    _openssl(
        "x509", "-req", "-in", request, "-CA", ca[0], "-CAkey", ca[1], "-CAcreateserial",
        "-days", "2", "-extfile", names, "-out", cert, cwd=folder,
    )  # fmt: skip
    return cert, key


def certificates(folder: Path) -> dict:
    """The right root certificate, a stranger's, and the server's (certificate, key)."""
    ca = make_ca(folder, "KushiroTestCA")
    stranger = make_ca(folder, "SomeOtherCA")
    return {"root": ca[0], "stranger": stranger[0], "server": make_server_certificate(folder, ca)}


@contextlib.contextmanager
def running(made: dict) -> Iterator[pgserver.Cluster]:
    """The cluster, started with the server's certificate; stopped and removed after."""
    try:
        pgserver.bin_dir()
    except FileNotFoundError as exc:
        if os.environ.get("CI"):
            raise
        pytest.skip(f"no PostgreSQL server: {exc}")
    # Not under pytest's folder: the account the server runs as must reach it.
    folder = Path(tempfile.mkdtemp(prefix="kushiro-pg-tls-"))
    rule = f"host all {PASSWORD_USER} 127.0.0.1/32 scram-sha-256"
    try:
        cluster = pgserver.create(folder, tls=made["server"], hba=[rule])
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    try:
        with psycopg.connect(cluster.url, autocommit=True) as conn:
            conn.execute(
                sql.SQL("CREATE ROLE {} LOGIN PASSWORD {}").format(
                    sql.Identifier(PASSWORD_USER), sql.Literal(PASSWORD)
                )
            )
            conn.execute(f"CREATE DATABASE {DATABASE} OWNER {PASSWORD_USER}")
        yield cluster
    finally:
        cluster.stop()
        shutil.rmtree(folder, ignore_errors=True)
