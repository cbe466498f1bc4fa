"""server init / add-department / add-planner / grant / revoke / list and the row states
(rows, submit, accept, return) on a real cluster, each one Japanese line."""

from __future__ import annotations

import psycopg
import pytest

from kushiro_editor.core.server import roles
from tests.cli.running import run_cli
from tests.serverroles import Secured


@pytest.fixture
def shared(pg_admin, sample_file, capsys):
    """The sample imported onto a fresh database and ``server init`` run on it."""
    url, name = pg_admin
    assert run_cli(capsys, "import", sample_file, "--db", url)[0] == 0
    code, out, err = run_cli(capsys, "server", "init", url)
    assert code == 0, err
    assert out.count("\n") == 1 and "共有のデータベースとして設定しました" in out
    assert "kushiro_admin" in out and "127.0.0.1" in out
    secured = Secured(url, name)
    yield secured
    secured.drop_roles()


def _lines(text: str) -> list[str]:
    return text.strip().splitlines()


def test_an_office_sets_up_departments_and_planners(shared, capsys):
    suisan, kikaku = shared.login("suisan"), shared.login("kikaku")
    code, out, err = run_cli(
        capsys, "server", "add-department", "水産課", "--login", suisan, "--db", shared.admin_url
    )
    assert (code, _lines(out)) == (0, [f"利用者 {suisan} を作り、水産課に割り当てました。"]), err
    code, out, _ = run_cli(capsys, "server", "grant", suisan, "農林課", "--db", shared.admin_url)
    assert _lines(out) == [f"利用者 {suisan} に農林課の行を割り当てました。"]
    code, out, _ = run_cli(capsys, "server", "add-planner", kikaku, "--db", shared.admin_url)
    assert _lines(out) == [f"利用者 {kikaku} を作り、企画担当にしました。"]
    code, out, _ = run_cli(capsys, "server", "list", "--db", shared.url(kikaku))
    assert sorted(_lines(out)) == sorted(
        [f"{suisan}\t部署\t水産課、農林課", f"{kikaku}\t企画担当\tすべて"]
    )
    # A planner changes the mapping; the administrator is not needed for it.
    code, out, _ = run_cli(capsys, "server", "revoke", suisan, "農林課", "--db", shared.url(kikaku))
    assert (code, _lines(out)) == (0, [f"利用者 {suisan} から農林課の割り当てを外しました。"])
    code, out, err = run_cli(
        capsys, "server", "revoke", suisan, "農林課", "--db", shared.url(kikaku)
    )
    assert code == 2 and len(_lines(err)) == 1 and "割り当てられていません" in err
    # Adding again changes nothing and says so without "作り".
    code, out, _ = run_cli(
        capsys, "server", "add-department", "水産課", "--login", suisan, "--db", shared.admin_url
    )
    assert _lines(out) == [f"利用者 {suisan} を水産課に割り当てました。"]


def test_a_department_submits_and_a_planner_accepts_or_returns(shared, capsys):
    suisan, kikaku = shared.login("suisan"), shared.login("kikaku")
    run_cli(
        capsys, "server", "add-department", "水産課", "--login", suisan, "--db", shared.admin_url
    )
    run_cli(capsys, "server", "add-planner", kikaku, "--db", shared.admin_url)
    code, out, err = run_cli(capsys, "server", "submit", "--db", shared.url(suisan))
    assert (code, _lines(out)) == (0, ["水産課の 2 行を提出しました。"]), err
    code, out, _ = run_cli(capsys, "server", "rows", "--dept", "水産課", "--db", shared.url(kikaku))
    lines = _lines(out)
    assert lines[-1] == "合計 2 行(提出済み 2 行)"
    first, second = (line.split("\t")[0] for line in lines[:2])
    assert all("\t提出済み\t【基本目標1】" in line for line in lines[:2])
    code, out, err = run_cli(capsys, "server", "submit", "--db", shared.url(suisan))
    assert code == 2 and _lines(err) == ["kushiro-editor: エラー: 水産課に記入中の行はありません。"]
    code, out, err = run_cli(capsys, "server", "accept", first, "--db", shared.url(suisan))
    assert code == 2 and len(_lines(err)) == 1 and "企画担当" in err
    code, out, _ = run_cli(capsys, "server", "accept", first, "--db", shared.url(kikaku))
    assert _lines(out) == ["1 行を確認済みにしました。"]
    code, out, _ = run_cli(
        capsys, "server", "return", second, "--comment", "数字を確かめてください", "--db",
        shared.url(kikaku),
    )  # fmt: skip
    assert code == 0 and _lines(out)[0].endswith("水産課 を差し戻しました(記入中に戻りました)。")
    code, out, _ = run_cli(capsys, "server", "rows", "--dept", "水産課", "--db", shared.url(suisan))
    assert f"{second}\t記入中\t" in out and out.rstrip().split("\n")[1].endswith(
        "\t数字を確かめてください"
    )
    assert (
        "合計 2 行(確認済み 1 行、記入中 1 行)" in out
        or "合計 2 行(記入中 1 行、確認済み 1 行)" in out
    )
    code, out, _ = run_cli(
        capsys, "server", "submit", "--dept", "水産課", "--db", shared.url(suisan)
    )
    assert _lines(out) == ["水産課の 1 行を提出しました。"]
    code, out, _ = run_cli(
        capsys, "server", "accept", "--dept", "水産課", "--db", shared.url(kikaku)
    )
    assert _lines(out) == ["1 行を確認済みにしました。"]


def test_the_password_is_asked_never_taken_from_the_command_line(shared, capsys, monkeypatch):
    asked = iter(["秘密のpass1", "秘密のpass1", "pass2", "違う"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(asked))
    suisan = shared.login("suisan")
    code, _out, err = run_cli(
        capsys, "server", "add-department", "水産課", "--login", suisan, "--password-prompt",
        "--db", shared.admin_url,
    )  # fmt: skip
    assert code == 0, err
    kikaku = shared.login("kikaku")
    code, _out, err = run_cli(
        capsys, "server", "add-planner", kikaku, "--password-prompt", "--db", shared.admin_url
    )
    assert code == 2 and "一致しません" in err and len(_lines(err)) == 1
    with psycopg.connect(shared.admin_url) as conn:
        stored = dict(
            conn.execute(
                "SELECT rolname, rolpassword FROM pg_authid WHERE rolname = ANY(%s)",
                ([suisan, kikaku],),
            ).fetchall()
        )
    assert list(stored) == [suisan]  # the mismatch made no login
    assert stored[suisan].startswith("SCRAM-SHA-256$") and "秘密" not in stored[suisan]
    code, _out, err = run_cli(
        capsys, "server", "add-planner", kikaku, "--password", "x", "--db", shared.admin_url
    )
    assert code == 2


def test_refusals_are_one_japanese_line(shared, capsys, tmp_path):
    suisan = shared.login("suisan")
    run_cli(
        capsys, "server", "add-department", "水産課", "--login", suisan, "--db", shared.admin_url
    )
    cases = [
        (("server", "init", tmp_path / "a.sqlite3"), "データファイルです"),
        (("server", "list", "--db", tmp_path / "a.sqlite3"), "データファイルです"),
        (("server", "init", shared.url(suisan)), "管理者"),
        (
            (
                "server",
                "add-department",
                "農林課",
                "--login",
                shared.login("x"),
                "--db",
                shared.url(suisan),
            ),
            "管理者",
        ),
        (("server", "grant", suisan, "農林課", "--db", shared.url(suisan)), "権限"),
        (("server", "submit", "--dept", "農林課", "--db", shared.url(suisan)), "担当の部署では"),
        (("server", "accept", "--db", shared.admin_url), "どちらか"),
        (("server", "add-planner", suisan, "--db", shared.admin_url), "部署の利用者です"),
        (
            (
                "server",
                "add-planner",
                roles.role_names(shared.database).owner,
                "--db",
                shared.admin_url,
            ),
            "役割の名前",
        ),
        (("server", "list", "--db", shared.url("nobody_here")), "登録されていません"),
        (("server", "list", "--db", shared.url(suisan)), "企画担当が見られます"),
    ]
    for args, words in cases:
        code, out, err = run_cli(capsys, *args)
        assert code == 2, (args, out, err)
        assert len(_lines(err)) == 1 and words in err, (args, err)
        assert "Traceback" not in err and out == ""
    assert not (tmp_path / "a.sqlite3").exists()
