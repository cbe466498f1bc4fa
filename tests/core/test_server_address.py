"""The connect dialog's fields as a URL and back, and PostgreSQL's password file."""

from __future__ import annotations

import sys

import pytest
from psycopg.conninfo import conninfo_to_dict

from kushiro_editor.core.model import ReportError
from kushiro_editor.core.server import address, pgpass
from kushiro_editor.core.server.connection import safe_location

ODD = address.Address(
    "db.city.local", 5433, "進捗 報告", "suisan@課", "verify-full", "/certs/C:\\x y/root.crt"
)


def test_every_part_of_the_url_reads_back_as_typed():
    url = address.url(ODD, "p@ss:w/o?rd%#")
    parts = conninfo_to_dict(url)
    assert parts == {
        "user": "suisan@課",
        "password": "p@ss:w/o?rd%#",
        "dbname": "進捗 報告",
        "host": "db.city.local",
        "port": "5433",
        "sslmode": "verify-full",
        "sslrootcert": "/certs/C:\\x y/root.crt",
    }
    assert address.parse(url) == ODD


def test_the_remembered_location_has_no_password_and_opens_the_same_place():
    url = address.url(ODD, "secret-word")
    remembered = safe_location(url)
    assert "secret-word" not in remembered
    assert address.parse(remembered) == ODD


def test_an_ipv6_server_is_bracketed():
    url = address.url(address.Address("::1", 5432, "reports", "kikaku"))
    assert url == "postgresql://kikaku@[::1]:5432/reports"
    assert conninfo_to_dict(url)["host"] == "::1"


@pytest.mark.parametrize(
    ("fields", "said"),
    [
        ({"host": " "}, "サーバーの名前"),
        ({"dbname": ""}, "データベースの名前"),
        ({"user": ""}, "ログイン名"),
        ({"port": 70000}, "ポート番号"),
        ({"sslmode": "verify-full", "sslrootcert": ""}, "ルート証明書のファイルを選んで"),
        ({"host": "db\nhost"}, "改行や制御文字"),
    ],
)
def test_a_field_left_wrong_is_one_line(fields, said):
    base = {"host": "db", "port": 5432, "dbname": "reports", "user": "kikaku"}
    with pytest.raises(ReportError, match=said):
        address.Address(**{**base, **fields}).checked()


def test_the_password_file_is_named_by_pgpassfile(tmp_path, monkeypatch):
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "mine.conf"))
    assert pgpass.path() == tmp_path / "mine.conf"
    monkeypatch.delenv("PGPASSFILE")
    if sys.platform == "win32":
        assert pgpass.path().name == "pgpass.conf"
    else:
        assert pgpass.path() == tmp_path / "home" / ".pgpass"


def test_on_windows_the_password_file_is_under_appdata(tmp_path, monkeypatch):
    monkeypatch.delenv("PGPASSFILE", raising=False)
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setenv("APPDATA", str(tmp_path / "Roaming"))
    assert pgpass.path() == tmp_path / "Roaming" / "postgresql" / "pgpass.conf"


def test_saving_replaces_the_line_of_the_same_place_and_keeps_the_others(tmp_path):
    passfile = tmp_path / "pgpass.conf"
    where = address.Address("db", 5432, "reports", "kikaku")
    other = "db:5432:other:kikaku:keep-me"
    passfile.write_text(f"# office\n{other}\ndb:5432:reports:kikaku:old\n", encoding="utf-8")
    passfile.chmod(0o644)
    pgpass.save(where, "new:pass\\word", passfile)
    lines = passfile.read_text(encoding="utf-8").splitlines()
    assert lines == ["# office", other, "db:5432:reports:kikaku:new\\:pass\\\\word"]
    if sys.platform != "win32":
        assert passfile.stat().st_mode & 0o777 == 0o600
    pgpass.save(where, "newer", passfile)
    assert passfile.read_text(encoding="utf-8").count("db:5432:reports:kikaku:") == 1


def test_a_login_with_a_colon_is_its_own_line(tmp_path):
    passfile = tmp_path / "pgpass.conf"
    pgpass.save(address.Address("db", 5432, "reports", "a:b"), "one", passfile)
    pgpass.save(address.Address("db", 5432, "reports", "a"), "two", passfile)
    assert passfile.read_text(encoding="utf-8").splitlines() == [
        "db:5432:reports:a\\:b:one",
        "db:5432:reports:a:two",
    ]


def test_an_empty_password_or_a_line_break_is_refused_and_nothing_is_written(tmp_path):
    passfile = tmp_path / "pgpass.conf"
    where = address.Address("db", 5432, "reports", "kikaku")
    for bad in ("", "two\nlines"):
        with pytest.raises(ReportError):
            pgpass.save(where, bad, passfile)
    assert not passfile.exists()
