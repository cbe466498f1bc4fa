"""The window's export refuses a target that is the open store or a snapshot (issue 26)."""

from __future__ import annotations

import hashlib

import pytest
from PySide6.QtWidgets import QFileDialog

from kushiro_editor.core import snapshots
from kushiro_editor.core.store import Store
from tests.gui.conftest import answer_precheck


def _digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def warnings_shown(monkeypatch):
    shown = []
    monkeypatch.setattr(
        "kushiro_editor.gui.session.warn",
        lambda parent, title, message, *a: shown.append((title, message)),
    )
    return shown


def _choose(monkeypatch, path) -> None:
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(path), ""))


@pytest.mark.parametrize("key", ["json", "docx"])
def test_a_link_to_the_open_store_is_refused(
    qtbot, window, store_path, tmp_path, monkeypatch, warnings_shown, key
):
    window.store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    before = _digest(store_path)
    link = tmp_path / f"提出.{key}"
    link.symlink_to(store_path)  # chosen in the dialog, it names the store
    _choose(monkeypatch, link)
    if key == "docx":
        answer_precheck(lambda dialog: dialog.export_button.click())
    window.files.export_actions[key].trigger()
    qtbot.waitUntil(lambda: bool(warnings_shown) or not window.tasks.busy, timeout=60000)
    qtbot.waitUntil(lambda: not window.tasks.busy, timeout=60000)
    assert len(warnings_shown) == 1, warnings_shown
    title, message = warnings_shown[0]
    assert title == "書き出せませんでした"
    assert "データファイル" in message and "\n" not in message
    assert _digest(store_path) == before
    with Store(store_path) as again:
        assert again.years()


def test_a_snapshot_is_not_replaced_from_the_window(
    qtbot, window, store_path, tmp_path, monkeypatch, warnings_shown
):
    snapshot = snapshots.take(window.store, "manual", "提出版").path
    before = _digest(snapshot)
    link = tmp_path / "控え.json"
    link.hardlink_to(snapshot)
    _choose(monkeypatch, link)
    window.files.export_actions["json"].trigger()
    qtbot.waitUntil(lambda: bool(warnings_shown), timeout=60000)
    assert "スナップショット" in warnings_shown[0][1]
    assert _digest(snapshot) == before
