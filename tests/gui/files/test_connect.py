"""The window on a server's store: opened with --db or by ファイル → データベースに接続…,
its typing saved there, its exports written, its title naming it, and no password kept
anywhere but PostgreSQL's own password file."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog

from kushiro_editor import appdata
from kushiro_editor.core import richtext
from kushiro_editor.core.server.address import Address, parse
from kushiro_editor.core.store import Store
from tests import pgserver, securecluster
from tests.gui.conftest import answer_precheck, type_into

ROOT = Path(__file__).resolve().parents[3]
SECRET = "s3cret-パス"


@pytest.fixture
def server_store(pg_url, sample_result):
    """The sample report stored on a fresh database of the test cluster."""
    with Store(pg_url) as store:
        store.save(sample_result.report, sample_result.warnings)
    return pg_url


def fresh(location):
    with Store(location) as store:
        return store.load()


def test_the_window_on_a_server_saves_what_is_typed_and_names_the_server(
    make_window, server_store, qtbot
):
    window = make_window(server_store)
    assert window.store.on_server and window.store.path is None
    widget = window.pane.view._entries[0]
    with qtbot.waitSignal(
        window.document.saved_changed, timeout=5000, check_params_cb=lambda saved: saved
    ):
        type_into(qtbot, widget.actual, "追記：共有のデータベースに保存した。")
    location = window.store.location
    assert location.startswith(f"postgresql://{pgserver.ADMIN}@127.0.0.1:")
    assert f"保存済み - {location} - 釧路市 進捗報告エディタ" in window.windowTitle()
    assert window.where_label.isVisible() and window.where_label.text() == location
    entry = fresh(server_store).goals[0].directions[0].entries[0]
    assert richtext.to_plain(entry.actual).endswith("追記：共有のデータベースに保存した。")


def test_a_file_store_keeps_its_title(make_window, sample_store, store_path):
    window = make_window(store_path)
    assert "postgresql" not in window.windowTitle()
    assert window.windowTitle().endswith("保存済み - 釧路市 進捗報告エディタ")
    assert not window.where_label.isVisible()


@pytest.mark.parametrize("key", ["xlsx", "docx"])
def test_exports_from_a_server_store(make_window, server_store, qtbot, tmp_path, monkeypatch, key):
    window = make_window(server_store)
    target = tmp_path / f"進捗報告.{key}"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    if key == "docx":
        answer_precheck(lambda dialog: dialog.export_button.click())
    window.files.export_actions[key].trigger()
    qtbot.waitUntil(lambda: target.exists() and not window.tasks.busy, timeout=60000)
    first = window.document.report.goals[0].directions[0].entries[0]
    words = richtext.to_plain(first.actual)[:12]
    if key == "xlsx":
        import openpyxl

        book = openpyxl.load_workbook(target)
        cells = [str(c.value) for row in book.worksheets[0].iter_rows() for c in row if c.value]
    else:
        import docx

        document = docx.Document(str(target))
        cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    assert any(words in cell for cell in cells)


def test_inquiry_packs_from_a_server_store(make_window, server_store, qtbot, tmp_path):
    window = make_window(server_store)
    folder = tmp_path / "packs"
    with qtbot.waitSignal(window.tasks.finished, timeout=60000):
        window.inquiry.write_packs(folder, ["農林課"])
    assert sorted(p.name for p in folder.iterdir()) == [
        "依頼文_R2年度.docx",
        "照会_農林課_R2年度.xlsx",
    ]


def test_publishing_from_a_server_store(make_window, server_store, qtbot, tmp_path):
    window = make_window(server_store)
    with qtbot.waitSignal(window.tasks.finished, timeout=120000):
        window.files.publish_to(tmp_path)
    written = sorted(p.suffix for p in tmp_path.glob("R2進捗報告*"))
    assert written == [".csv", ".html", ".pdf", ".xlsx"]
    window.files.published_box.close()


def test_the_guide_names_the_server_and_has_no_folder_to_open(make_window, server_store):
    window = make_window(server_store)
    guide = window.show_guide()
    assert window.store.location in guide.folder.text()
    assert "共有のデータベース" in guide.folder.text()
    assert not guide.open_folder_button.isEnabled()
    guide.close()


# -- ファイル → データベースに接続… --------------------------------------------------------------
def fill(dialog, location, password=""):
    where = parse(location)
    dialog.host.setText(where.host)
    dialog.port.setValue(where.port)
    dialog.dbname.setText(where.dbname)
    dialog.user.setText(where.user)
    dialog.password.setText(password)


def test_connecting_moves_the_window_to_the_server_and_keeps_no_password_in_the_settings(
    make_window, sample_store, store_path, server_store, settings, qtbot, tmp_path, monkeypatch
):
    passfile = tmp_path / "pgpass.conf"
    monkeypatch.setenv("PGPASSFILE", str(passfile))
    window = make_window(store_path)
    typed = window.pane.view._entries[0]
    type_into(qtbot, typed.actual, "ファイルに残す入力。")
    dialog = window.files.connect_dialog()
    fill(dialog, server_store, SECRET)
    assert dialog.save_password.isEnabled()
    dialog.save_password.setChecked(True)
    dialog.ok_button.click()
    assert not dialog.isVisible()
    assert window.store.on_server
    location = window.store.location
    assert location in window.windowTitle() and window.where_label.text() == location
    assert window.document.report.goals[0].directions[0].entries[0].actual == (
        fresh(server_store).goals[0].directions[0].entries[0].actual
    )
    # What was typed before went to the file, and the file is free for another editor.
    entry = fresh(store_path).goals[0].directions[0].entries[0]
    assert richtext.to_plain(entry.actual).endswith("ファイルに残す入力。")
    with appdata.StoreLock(store_path):
        pass
    settings.sync()
    ini = Path(settings.fileName()).read_text(encoding="utf-8")
    assert SECRET not in ini and "s3cret" not in ini
    assert settings.value("stores/recent", [], type=list) == [location]
    where = parse(location)
    assert passfile.read_text(encoding="utf-8") == (
        f"{where.host}:{where.port}:{where.dbname}:{where.user}:{SECRET}\n"
    )
    assert passfile.stat().st_mode & 0o777 == 0o600
    assert dialog.password.text() == ""


def test_a_password_not_asked_to_be_saved_is_written_nowhere(
    make_window, sample_store, store_path, server_store, settings, tmp_path, monkeypatch
):
    passfile = tmp_path / "pgpass.conf"
    monkeypatch.setenv("PGPASSFILE", str(passfile))
    window = make_window(store_path)
    dialog = window.files.connect_dialog()
    fill(dialog, server_store, SECRET)
    dialog.ok_button.click()
    assert window.store.on_server
    settings.sync()
    assert SECRET not in Path(settings.fileName()).read_text(encoding="utf-8")
    assert not passfile.exists()


def test_a_server_that_cannot_be_reached_is_one_line_and_the_file_stays_open(
    make_window, sample_store, store_path, pg_cluster, settings
):
    window = make_window(store_path)
    title = window.windowTitle()
    dialog = window.files.connect_dialog()
    closed = pgserver.free_port()
    fill(dialog, f"postgresql://{pgserver.ADMIN}@127.0.0.1:{closed}/reports")
    dialog.ok_button.click()
    assert dialog.isVisible()
    message = dialog.error.text()
    assert f"127.0.0.1:{closed}" in message
    assert "サーバーが動いていないか、ネットワークにつながっていません" in message
    assert "\n" not in message
    assert window.store.path == store_path and window.windowTitle() == title
    assert settings.value("stores/recent", [], type=list) == []
    dialog.reject()


def test_a_field_left_empty_is_said_in_the_dialog(make_window, sample_store, store_path):
    window = make_window(store_path)
    dialog = window.files.connect_dialog()
    dialog.host.setText("db.city.local")
    dialog.ok_button.click()
    assert dialog.isVisible() and "データベースの名前を入力してください" in dialog.error.text()
    assert window.store.path == store_path
    dialog.reject()


def test_a_root_certificate_chosen_asks_for_the_full_check(
    make_window, sample_store, store_path, tmp_path, monkeypatch
):
    window = make_window(store_path)
    dialog = window.files.connect_dialog()
    assert dialog.sslmode.currentData() == "prefer"
    root = tmp_path / "root.crt"
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(root), ""))
    dialog.choose.click()
    assert dialog.rootcert.text() == str(root)
    assert dialog.sslmode.currentData() == "verify-full"
    assert dialog.address() == Address("", 5432, "", "", "verify-full", str(root))
    dialog.reject()


def test_a_store_connected_to_before_is_in_the_menu_and_the_pc_file_one_step_back(
    make_window, sample_store, store_path, server_store, settings, qtbot
):
    window = make_window(store_path)
    dialog = window.files.connect_dialog()
    fill(dialog, server_store, SECRET)
    dialog.ok_button.click()
    location = window.store.location
    menu = window.files.stores_menu
    menu.aboutToShow.emit()
    texts = [a.text() for a in menu.actions() if not a.isSeparator()]
    assert texts == [f"&1 {location}", "このパソコンのデータファイルに戻る(&L)"]
    menu.actions()[0].trigger()
    again = window.files.connect_box
    assert parse(location) == again.address()
    assert again.password.text() == ""
    again.reject()
    menu.actions()[-1].trigger()
    assert window.store.path == appdata.default_store_path()
    assert "postgresql" not in window.windowTitle() and not window.where_label.isVisible()
    assert window.document is not None  # the default store, made from the sample


# -- app.py --db postgresql://… --------------------------------------------------------------
def run_app(tmp_path, *args):
    env = dict(os.environ)
    env.update(
        QT_QPA_PLATFORM="offscreen",
        HOME=str(tmp_path / "home"),
        XDG_DATA_HOME=str(tmp_path / "data"),
        XDG_CONFIG_HOME=str(tmp_path / "config"),
    )
    return subprocess.run(
        [sys.executable, str(ROOT / "app.py"), *map(str, args), "--check"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_app_opens_a_server_given_with_db(tmp_path, server_store):
    done = run_app(tmp_path, "--db", server_store)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("ready ")
    assert "read-only" not in done.stdout


def test_app_says_in_one_line_when_the_server_is_not_there(tmp_path, pg_cluster):
    closed = pgserver.free_port()
    done = run_app(tmp_path, "--db", f"postgresql://{pgserver.ADMIN}@127.0.0.1:{closed}/reports")
    assert done.returncode == 2
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert lines == [
        f"error postgresql://{pgserver.ADMIN}@127.0.0.1:{closed}/reports に接続できません。"
        "サーバーが動いていないか、ネットワークにつながっていません。"
    ]


# -- TLS and a password typed in the dialog ------------------------------------------------------
@pytest.fixture(scope="module")
def secure_cluster(tmp_path_factory):
    made = securecluster.certificates(tmp_path_factory.mktemp("certificates"))
    with securecluster.running(made) as cluster:
        yield cluster, made


def fill_secure(dialog, cluster, made, monkeypatch, password):
    dialog.host.setText("localhost")
    dialog.port.setValue(cluster.port)
    dialog.dbname.setText(securecluster.DATABASE)
    dialog.user.setText(securecluster.PASSWORD_USER)
    dialog.password.setText(password)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(made["root"]), ""))
    dialog.choose.click()


def test_the_dialog_connects_over_checked_tls_with_the_password_typed(
    make_window, sample_store, store_path, secure_cluster, settings, monkeypatch, tmp_path
):
    cluster, made = secure_cluster
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "none"))
    window = make_window(store_path)
    dialog = window.files.connect_dialog()
    fill_secure(dialog, cluster, made, monkeypatch, "wrong")
    dialog.ok_button.click()
    assert dialog.isVisible()
    assert "利用者名かパスワードが違います" in dialog.error.text()
    assert window.store.path == store_path
    # The refused password is selected, to be typed again over it.
    assert dialog.focusWidget() is dialog.password
    assert dialog.password.selectedText() == "wrong"
    dialog.password.setText(securecluster.PASSWORD)
    dialog.ok_button.click()
    assert not dialog.isVisible()
    assert window.store.on_server
    ssl = window.store.conn.execute("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")
    assert ssl.fetchone()[0] is True
    location = window.store.location
    assert "sslmode=verify-full" in location and securecluster.PASSWORD not in location
    assert window.document is None  # an empty database: a store with no report yet
    settings.sync()
    ini = Path(settings.fileName()).read_text(encoding="utf-8")
    assert "pass:word" not in ini and "wrong" not in ini
    # Remembered with its certificate: the next time only the password is asked.
    again = window.files.connect_dialog(settings.value("stores/recent", [], type=list)[0])
    assert again.rootcert.text() == str(made["root"])
    assert again.sslmode.currentData() == "verify-full"
    again.reject()


def test_typing_the_open_store_has_not_taken_keeps_the_window_where_it_is(
    make_window, sample_store, store_path, server_store, monkeypatch, caplog
):
    window = make_window(store_path)
    monkeypatch.setattr(window.session, "flush", lambda: False)
    dialog = window.files.connect_dialog()
    fill(dialog, server_store, SECRET)
    dialog.ok_button.click()
    assert dialog.isVisible()
    assert "保存できていない入力があります" in dialog.error.text()
    assert window.store.path == store_path
    dialog.reject()


def test_a_failed_connection_logs_no_password(
    make_window, sample_store, store_path, pg_cluster, caplog
):
    window = make_window(store_path)
    dialog = window.files.connect_dialog()
    fill(dialog, f"postgresql://{pgserver.ADMIN}@127.0.0.1:{pgserver.free_port()}/reports", SECRET)
    with caplog.at_level("DEBUG"):
        dialog.ok_button.click()
    assert "に接続できません" in dialog.error.text()
    assert caplog.records and "s3cret" not in caplog.text  # (its ASCII part, unencoded)
    dialog.reject()


def test_no_move_while_a_task_runs(make_window, sample_store, store_path, server_store, qtbot):
    import threading

    window = make_window(store_path)
    release = threading.Event()
    window.tasks.run("待っています…", lambda: release.wait(10), lambda _r: None, print)
    dialog = window.files.connect_dialog()
    fill(dialog, server_store)
    dialog.ok_button.click()
    assert "実行中の処理が終わってから" in dialog.error.text()
    assert window.store.path == store_path
    release.set()
    qtbot.waitUntil(lambda: not window.tasks.busy, timeout=10000)
    dialog.reject()


def test_the_pc_file_in_use_by_another_editor_keeps_the_window_on_the_server(
    make_window, server_store, monkeypatch
):
    from kushiro_editor.workspace import open_store

    open_store(None).close()  # the default file, made from the sample
    shown = []
    monkeypatch.setattr(
        "kushiro_editor.gui.session.warn", lambda parent, title, message, *a: shown.append(message)
    )
    window = make_window(server_store)
    location = window.store.location
    with appdata.StoreLock(appdata.default_store_path()):
        window.files.open_default_store()
    assert len(shown) == 1 and "使用中" in shown[0]
    assert window.store.location == location and window.store.years()


def test_the_dialog_on_a_server_starts_from_that_server(make_window, server_store, settings):
    window = make_window(server_store)
    assert settings.value("stores/recent", [], type=list) == []  # opened with --db
    dialog = window.files.connect_dialog()
    shown, where = dialog.address(), parse(window.store.location)
    assert (shown.host, shown.port, shown.dbname, shown.user) == (
        where.host,
        where.port,
        where.dbname,
        where.user,
    )
    assert shown.host == "127.0.0.1" and dialog.password.text() == ""
    dialog.reject()


def test_a_server_not_reached_puts_the_keyboard_back_on_the_server_field(
    make_window, sample_store, store_path, pg_cluster
):
    window = make_window(store_path)
    dialog = window.files.connect_dialog()
    fill(dialog, f"postgresql://{pgserver.ADMIN}@127.0.0.1:{pgserver.free_port()}/reports", "x")
    dialog.ok_button.click()
    assert dialog.isVisible() and dialog.error.isVisible()
    assert dialog.focusWidget() is dialog.host
    dialog.reject()
