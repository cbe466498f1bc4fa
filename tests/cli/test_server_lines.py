"""The command line on a server's store: what it prints names the server (never its
password), exports have no store file to keep, and a failure is one line."""

from __future__ import annotations

import openpyxl
import pytest

from kushiro_editor.core.store import Store
from tests import pgserver
from tests.cli.running import run_cli


def with_password(url: str, password: str) -> str:
    scheme, rest = url.split("://", 1)
    user, host = rest.split("@", 1)
    return f"{scheme}://{user}:{password}@{host}"


def test_reports_names_the_server_without_the_password(capsys, pg_url):
    given = with_password(pg_url, "hunter2")  # the cluster trusts the login: any password
    code, out, err = run_cli(capsys, "reports", "--db", given)
    assert code == 0, err
    with Store(pg_url) as store:
        location = store.location
    assert out.splitlines() == [f"共有のデータベース: {location}", "報告はありません。"]
    assert "hunter2" not in out + err


def test_import_and_export_on_a_server(capsys, pg_url, sample_file, tmp_path):
    assert run_cli(capsys, "import", sample_file, "--db", pg_url)[0] == 0
    target = tmp_path / "進捗報告.xlsx"
    code, out, err = run_cli(capsys, "export", "--xlsx", target, "--db", pg_url)
    assert code == 0, err
    assert out.strip() == f"書き出しました: {target}"
    sheet = openpyxl.load_workbook(target).worksheets[0]
    assert any("基本目標1" in str(c.value) for row in sheet.iter_rows() for c in row if c.value)


def test_the_demo_names_the_server(capsys, pg_url):
    code, out, err = run_cli(capsys, "kpi", "demo", "--db", pg_url)
    assert code == 0, err
    assert out.splitlines()[-1].startswith(f"共有のデータベース: postgresql://{pgserver.ADMIN}@")


def test_a_failure_of_this_pc_on_a_server_names_the_server_not_a_file(capsys, pg_url, monkeypatch):
    def refuse(self):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Store, "reports", refuse)
    code, _out, err = run_cli(capsys, "reports", "--db", with_password(pg_url, "hunter2"))
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("kushiro-editor: エラー: 処理を中止しました(")
    assert lines[0].endswith(f"{pg_url} は変わっていません。")
    assert "hunter2" not in err and "読み取り専用" not in err


@pytest.mark.parametrize("command", [["reports"], ["export", "--json", "out.json"]])
def test_a_server_that_is_not_running_is_one_line(capsys, pg_cluster, tmp_path, command):
    closed = pgserver.free_port()
    location = f"postgresql://{pgserver.ADMIN}@127.0.0.1:{closed}/reports"
    command = [str(tmp_path / part) if part.endswith(".json") else part for part in command]
    code, _out, err = run_cli(capsys, *command, "--db", location)
    assert code == 2
    assert err.strip() == (
        f"kushiro-editor: エラー: {location} に接続できません。"
        "サーバーが動いていないか、ネットワークにつながっていません。"
    )
