"""Connecting to the shared store: TLS with a checked certificate, passwords, and every
connection that cannot be made as one Japanese line.

The TLS and password tests run on a cluster of their own (ssl on, a login that
must give its password); the run's cluster stays as it is.
"""

from __future__ import annotations

import uuid

import psycopg
import pytest

from kushiro_editor.core.server import address, pgpass
from kushiro_editor.core.store import Store
from kushiro_editor.core.storeerror import StoreError
from tests import pgserver, securecluster
from tests.securecluster import PASSWORD, PASSWORD_USER


@pytest.fixture(scope="module")
def certificates(tmp_path_factory):
    """The right root certificate, a stranger's, and the server's certificate and key."""
    return securecluster.certificates(tmp_path_factory.mktemp("certificates"))


@pytest.fixture(scope="module")
def secure_cluster(certificates):
    """A cluster of its own with TLS on and a login that must give its password."""
    with securecluster.running(certificates) as cluster:
        yield cluster


def secure_url(cluster, **options: str) -> str:
    base = f"postgresql://{pgserver.ADMIN}@127.0.0.1:{cluster.port}/postgres"
    return base + ("?" + "&".join(f"{k}={v}" for k, v in options.items()) if options else "")


def refused(location: str) -> str:
    """The one line a connection that cannot be made gives."""
    with pytest.raises(StoreError) as caught:
        Store(location)
    message = str(caught.value)
    assert caught.value.failure == "open"
    assert "\n" not in message
    assert "password" not in message.lower() or "pgpass" in message  # no English from libpq
    return message


def test_verify_full_with_the_servers_root_certificate_is_an_encrypted_store(
    secure_cluster, certificates
):
    location = secure_url(
        secure_cluster, sslmode="verify-full", sslrootcert=str(certificates["root"])
    )
    with Store(location) as store:
        ssl = store.conn.execute("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")
        assert ssl.fetchone()[0] is True
        assert store.years() == []
        assert "sslmode=verify-full" in store.location


def test_localhost_is_named_in_the_certificate_too(secure_cluster, certificates):
    where = address.Address(
        "localhost", secure_cluster.port, "postgres", pgserver.ADMIN, "verify-full",
        str(certificates["root"]),
    )  # fmt: skip
    with Store(address.url(where)) as store:
        assert store.on_server


def test_a_stranger_root_certificate_is_one_line_naming_the_certificate(
    secure_cluster, certificates
):
    stranger = str(certificates["stranger"])
    message = refused(secure_url(secure_cluster, sslmode="verify-full", sslrootcert=stranger))
    assert message.startswith(f"postgresql://{pgserver.ADMIN}@127.0.0.1:")
    assert "サーバーの証明書をルート証明書" in message
    assert stranger in message


def test_a_missing_root_certificate_file_is_named(secure_cluster, tmp_path):
    missing = str(tmp_path / "root.crt")
    message = refused(secure_url(secure_cluster, sslmode="verify-full", sslrootcert=missing))
    assert f"ルート証明書のファイル({missing})を読めません" in message


def test_tls_asked_of_a_server_without_it(pg_url):
    message = refused(pg_url + "?sslmode=require")
    assert "サーバーが TLS の接続を受け付けていません" in message


def test_a_wrong_password_is_one_line_and_the_right_one_opens(secure_cluster):
    where = address.Address("127.0.0.1", secure_cluster.port, "reports", PASSWORD_USER)
    message = refused(address.url(where, "wrong"))
    assert "利用者名かパスワードが違います" in message
    assert "wrong" not in message
    with Store(address.url(where, PASSWORD)) as store:
        assert PASSWORD not in store.location
        assert store.years() == []


def test_no_password_at_all_is_the_same_line(secure_cluster, tmp_path, monkeypatch):
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "none"))
    where = address.Address("127.0.0.1", secure_cluster.port, "reports", PASSWORD_USER)
    assert "利用者名かパスワードが違います" in refused(address.url(where))


def test_a_password_saved_in_the_password_file_opens_without_typing_it(
    secure_cluster, tmp_path, monkeypatch
):
    passfile = tmp_path / "pgpass.conf"
    monkeypatch.setenv("PGPASSFILE", str(passfile))
    passfile.write_text(f"127.0.0.1:{secure_cluster.port}:reports:{PASSWORD_USER}:old\n")
    where = address.Address("127.0.0.1", secure_cluster.port, "reports", PASSWORD_USER)
    assert "パスワードが違います" in refused(address.url(where))
    pgpass.save(where, PASSWORD)
    with Store(address.url(where)) as store:  # libpq read the line, escapes and all
        assert store.on_server
    assert passfile.stat().st_mode & 0o777 == 0o600


def test_a_server_that_is_not_running(pg_cluster):
    closed = pgserver.free_port()
    message = refused(f"postgresql://{pgserver.ADMIN}@127.0.0.1:{closed}/postgres")
    assert f"127.0.0.1:{closed}" in message
    assert "サーバーが動いていないか、ネットワークにつながっていません" in message


def test_a_database_that_is_not_there(pg_cluster):
    location = pg_cluster.url.rsplit("/", 1)[0] + "/no_such_reports"
    message = refused(location)
    assert "そのデータベースはサーバーにありません" in message
    assert message.startswith("postgresql://") and "no_such_reports" in message


def test_a_login_the_server_does_not_know(pg_cluster):
    location = f"postgresql://nobody_{uuid.uuid4().hex[:8]}@127.0.0.1:{pg_cluster.port}/postgres"
    assert "その利用者はサーバーに登録されていません" in refused(location)


def test_a_role_without_connect_on_the_database(pg_admin, pg_cluster):
    admin_url, name = pg_admin
    role = f"k_noconnect_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f"CREATE ROLE {role} LOGIN")
        conn.execute(f"REVOKE CONNECT ON DATABASE {name} FROM PUBLIC")
    try:
        location = f"postgresql://{role}@127.0.0.1:{pg_cluster.port}/{name}"
        assert "このデータベースに接続する権限がありません" in refused(location)
    finally:
        with psycopg.connect(pg_cluster.url, autocommit=True) as conn:
            conn.execute(f"DROP ROLE IF EXISTS {role}")


def test_a_location_libpq_cannot_read(pg_cluster):
    with pytest.raises(StoreError) as caught:
        Store("postgresql://[bad")
    assert "接続先の書き方が正しくありません" in str(caught.value)
