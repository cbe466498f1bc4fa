"""The first start on a Linux PC that lacks Qt's window libraries: one Japanese line and
exit 2 instead of Qt's English abort, and no store left behind."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from kushiro_editor import qtplatform
from kushiro_editor.appdata import resources_dir

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux only")


def broken_plugin(folder: Path) -> Path:
    """Qt's xcb plugin, with one library it needs renamed to one no PC has."""
    import PySide6

    real = Path(PySide6.__file__).parent / "Qt" / "plugins" / "platforms" / "libqxcb.so"
    data = real.read_bytes()
    needed = b"libQt6XcbQpa.so.6"
    assert needed in data
    folder.mkdir()
    plugin = folder / "libqxcb.so"
    # The same length, so the file stays a valid library that merely needs a stranger.
    plugin.write_bytes(data.replace(needed, b"libQt6XcbQpZ.so.6"))
    return plugin


def fresh_account(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("QT_", "XDG_"))}
    env.update(
        HOME=str(tmp_path / "home"),
        XDG_DATA_HOME=str(tmp_path / "data"),
        XDG_CONFIG_HOME=str(tmp_path / "config"),
        QT_QPA_PLATFORM="xcb",
        DISPLAY=":99",
    )
    return env


def test_a_missing_window_library_is_one_japanese_line_and_exit_2(tmp_path):
    env = fresh_account(tmp_path)
    plugin = broken_plugin(tmp_path / "platforms")
    env["QT_QPA_PLATFORM_PLUGIN_PATH"] = str(plugin.parent)
    # Qt's own libraries are found as from the plugin's usual place: only the stranger is not.
    import PySide6

    env["LD_LIBRARY_PATH"] = str(Path(PySide6.__file__).parent / "Qt" / "lib")
    for args in ([], ["--check"]):
        done = subprocess.run(
            [sys.executable, str(ROOT / "app.py"), *args],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert done.returncode == 2, done.stderr
        lines = done.stderr.strip().splitlines()
        assert len(lines) == 1, done.stderr
        assert lines[0].startswith("kushiro-editor: エラー: 画面を開くのに必要なライブラリ")
        assert "(libQt6XcbQpZ.so.6)" in lines[0]
        assert "sudo apt-get install" in lines[0] and "sudo dnf install" in lines[0]
        assert "qt.qpa" not in done.stderr and "Aborted" not in done.stderr
    # Nothing was made: no data folder, no store.
    assert not (tmp_path / "data").exists()


def test_a_library_the_list_knows_is_named_with_its_packages():
    known = qtplatform.packages(resources_dir())
    line = qtplatform.missing_line(["libxcb-cursor.so.0"], known)
    assert "libxcb-cursor.so.0" in line
    assert "sudo apt-get install libxcb-cursor0、" in line
    assert "sudo dnf install xcb-util-cursor で" in line


def test_windowless_platforms_need_no_check(monkeypatch):
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    assert qtplatform.platform_plugin() is None
    assert qtplatform.check(resources_dir()) is None


def test_the_readme_and_ci_name_the_packages_of_the_one_list():
    debian = [p.debian for p in qtplatform.packages(resources_dir())]
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    line = next(line for line in readme.splitlines() if "sudo apt-get install" in line)
    assert (
        re.findall(r"[a-z0-9][a-z0-9.+-]+", line.split("sudo apt-get install", 1)[1])[: len(debian)]
        == debian
    )
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "resources/linux-packages.tsv" in ci
