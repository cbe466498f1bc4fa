"""The folder an office PC gets: built with the project's spec, started without Python."""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
import sqlite3
import subprocess
import sys
from contextlib import ExitStack
from pathlib import Path

import pytest

from kushiro_editor.formats import read_file

logger = logging.getLogger(__name__)

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "packaging" / "kushiro-editor.spec"
SUFFIX = ".exe" if sys.platform == "win32" else ""
GUI = f"KushiroEditor{SUFFIX}"
CLI = f"kushiro-editor{SUFFIX}"
# About 240 MB on Linux: the Japanese analyser's dictionary (115 MB) is in it
# xz-packed (24 MB) and unpacked on first use into the user's data folder.
MAX_FOLDER_BYTES = 250 * 1000 * 1000
# Qt libraries the editor never loads; any of them in the folder means the
# spec's module selection slipped.
UNWANTED_QT = ("Qt6Qml", "Qt6Quick", "Qt6WebEngine", "Qt6Multimedia", "Qt63D", "Qt6Charts")
# Qt plugins an office desktop never loads (and Qt6Network, which only they need).
UNWANTED_PLUGINS = ("qvnc", "qlinuxfb", "qeglfs", "qvkkhrdisplay", "qevdev", "qtuiotouch", "qgtk3")
BUILD_TIMEOUT = 900
RUN_TIMEOUT = 120


def _uv() -> str:
    # `uv run` names itself in UV; a plain PATH lookup covers a shell with uv on it.
    uv = os.environ.get("UV") or shutil.which("uv")
    if uv is None:
        pytest.fail("uv が見つかりません: 配布用フォルダの作成には uv が必要です")
    return uv


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """dist/KushiroEditor built by the README's command, into a temporary folder."""
    base = tmp_path_factory.mktemp("package")
    command = [
        _uv(),
        "run",
        "--group",
        "package",
        "pyinstaller",
        "--noconfirm",
        "--distpath",
        str(base / "dist"),
        "--workpath",
        str(base / "build"),
        str(SPEC),
    ]
    done = subprocess.run(
        command, cwd=ROOT, capture_output=True, text=True, timeout=BUILD_TIMEOUT, check=False
    )
    assert done.returncode == 0, done.stderr[-4000:]
    return base / "dist" / "KushiroEditor"


@pytest.fixture
def fresh_account(tmp_path: Path) -> dict[str, str]:
    """The environment of a user who never ran the editor, with no Python on PATH."""
    empty_bin = tmp_path / "bin"
    empty_bin.mkdir()
    runtime = tmp_path / "runtime"
    runtime.mkdir(mode=0o700)
    env = {
        "PATH": str(empty_bin),
        "HOME": str(tmp_path / "home"),
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "XDG_RUNTIME_DIR": str(runtime),
        "QT_QPA_PLATFORM": "offscreen",
        "LANG": "C.UTF-8",
    }
    for name in ("SYSTEMROOT", "LOCALAPPDATA", "APPDATA", "TEMP", "TMP"):
        # Windows cannot start a program without SYSTEMROOT; the rest are its HOME.
        if name in os.environ:
            env[name] = str(tmp_path / name.lower()) if name != "SYSTEMROOT" else os.environ[name]
    assert shutil.which("python3", path=env["PATH"]) is None
    assert shutil.which("python", path=env["PATH"]) is None
    return env


def _store_of(env: dict[str, str]) -> Path:
    if sys.platform == "win32":
        base = Path(env["LOCALAPPDATA"])
    else:
        base = Path(env["XDG_DATA_HOME"])
    return base / "Kushiro" / "KushiroProgressEditor" / "reports.sqlite3"


def _run(program: Path, args: list[str], env: dict[str, str], cwd: Path):
    return subprocess.run(
        [str(program), *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        timeout=RUN_TIMEOUT,
        check=False,
    )


def test_folder_holds_both_programs_the_resources_and_no_unused_qt(folder: Path) -> None:
    """The folder has the editor, the command line, the sample and icon, and no unused Qt."""
    assert (folder / GUI).is_file()
    assert (folder / CLI).is_file()
    # PyInstaller links some libraries to their copy under PySide6/ on Linux:
    # count each file once, as a zip of the folder would.
    files = [path for path in folder.rglob("*") if path.is_file() and not path.is_symlink()]
    names = {path.name for path in files}
    assert "kushiro_progress_r2_r3.tsv" in names
    assert "kushiro-editor.png" in names
    unwanted = sorted(
        name for name in names if any(part in name for part in (*UNWANTED_QT, *UNWANTED_PLUGINS))
    )
    assert unwanted == []
    assert not any("Qt6Network" in name for name in names)
    # Nor the build machine's GTK, which only the left-out GTK theme links to.
    assert not any(name.startswith(("libgtk-3", "libgdk-3")) for name in names)
    # The analyser's dictionary travels packed, never raw.
    assert "system.dic" not in names
    assert {"system.dic.xz", "system.dic.json"} <= names
    assert not any(name.startswith(("objectify.", "to-unicode-Adobe-GB1")) for name in names)
    assert "to-unicode-Adobe-Japan1.json.gz" in names
    # 「印刷…」 needs Qt's print support in the folder (it is imported only when used).
    assert any("Qt6PrintSupport" in name or "QtPrintSupport" in name for name in names)
    translations = sorted(path.name for path in files if path.suffix == ".qm")
    assert "qtbase_ja.qm" in translations
    assert [name for name in translations if not name.endswith("_ja.qm")] == []
    size = sum(path.stat().st_size for path in files)
    logger.info("folder size: %.1f MB", size / 1e6)
    assert size < MAX_FOLDER_BYTES


def test_editor_starts_on_a_fresh_account_and_creates_the_store(
    folder: Path, fresh_account: dict[str, str], tmp_path: Path
) -> None:
    """``KushiroEditor --check`` shows the sample and makes the user's store from it."""
    store = _store_of(fresh_account)
    assert not store.exists()
    done = _run(folder / GUI, ["--check"], fresh_account, tmp_path)
    output = done.stdout.decode("utf-8")
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
    assert re.fullmatch(r"ready \d+\n", output), output
    with sqlite3.connect(store) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    # The command line of the same folder finds the store the editor made.
    listed = _run(folder / CLI, ["reports"], fresh_account, tmp_path)
    assert listed.returncode == 0, listed.stderr.decode("utf-8", "replace")
    text = listed.stdout.decode("utf-8")
    assert str(store) in text
    assert re.search(r"R2年度\(2020年度\)\s+部署の行\s+70\b", text), text


def test_command_line_dumps_exports_and_reads_back_without_python(
    folder: Path, fresh_account: dict[str, str], tmp_path: Path
) -> None:
    """The folder's command line writes Word and Excel files that read back as the sample."""
    sample = read_file(ROOT / "resources" / "sample" / "kushiro_progress_r2_r3.tsv").report
    dumped = _run(folder / CLI, ["dump"], fresh_account, tmp_path)
    assert dumped.returncode == 0, dumped.stderr.decode("utf-8", "replace")
    report = json.loads(dumped.stdout.decode("utf-8"))
    assert report["format"] == "kushiro-progress-report"
    assert report["title"] == sample.title
    assert report["actual_year"] == sample.actual_year
    docx, xlsx = tmp_path / "報告.docx", tmp_path / "報告.xlsx"
    exported = _run(
        folder / CLI, ["export", "--docx", str(docx), "--xlsx", str(xlsx)], fresh_account, tmp_path
    )
    assert exported.returncode == 0, exported.stderr.decode("utf-8", "replace")
    expected = [(e.departments, e.actual, e.plan) for _, _, e in sample.entries()]
    assert len(expected) == 70
    for path in (docx, xlsx):
        back = read_file(path).report
        assert [(e.departments, e.actual, e.plan) for _, _, e in back.entries()] == expected
    # The folder's own readers (lxml, pdfminer as the folder has them) read them back,
    # and its PDF writer (ReportLab, which needs Pillow) works.
    pdf = tmp_path / "報告.pdf"
    exported = _run(folder / CLI, ["export", "--pdf", str(pdf)], fresh_account, tmp_path)
    assert exported.returncode == 0, exported.stderr.decode("utf-8", "replace")
    for path in (docx, xlsx, pdf):
        store = tmp_path / f"{path.suffix[1:]}.sqlite3"
        command = ["import", str(path), "--db", str(store)]
        imported = _run(folder / CLI, command, fresh_account, tmp_path)
        assert imported.returncode == 0, imported.stderr.decode("utf-8", "replace")
        dump = tmp_path / f"{path.suffix[1:]}.json"
        dumped = _run(folder / CLI, ["dump", "--db", str(store)], fresh_account, tmp_path)
        dump.write_bytes(dumped.stdout)
        back = read_file(dump).report
        entries = [(e.departments, e.actual, e.plan) for _, _, e in back.entries()]
        assert entries == expected, path.suffix


def test_command_line_refuses_bad_input_with_one_message(
    folder: Path, fresh_account: dict[str, str], tmp_path: Path
) -> None:
    """A wrong file is one Japanese line on stderr and exit status 2, as from source."""
    wrong = tmp_path / "報告.docx"
    wrong.write_bytes(b"not a zip")
    store = tmp_path / "store.sqlite3"
    done = _run(folder / CLI, ["import", str(wrong), "--db", str(store)], fresh_account, tmp_path)
    assert done.returncode == 2
    lines = done.stderr.decode("utf-8").strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("kushiro-editor: エラー:")
    assert "Traceback" not in done.stderr.decode("utf-8")


def test_command_line_reaches_a_postgresql_server_from_the_folder(
    folder: Path, fresh_account: dict[str, str], tmp_path: Path, pg_url: str
) -> None:
    """The folder's own PostgreSQL client (psycopg and its libpq) copies a store both ways."""
    names = {path.name for path in folder.rglob("*")}
    assert any(name.startswith("libpq") for name in names)
    # TLS to the server is libpq's own OpenSSL, not Python's (left out).
    assert any(name.startswith("libssl") for name in names)
    source = tmp_path / "source.sqlite3"
    sample = ROOT / "resources" / "sample" / "kushiro_progress_r2_r3.tsv"
    command = ["import", str(sample), "--db", str(source)]
    imported = _run(folder / CLI, command, fresh_account, tmp_path)
    assert imported.returncode == 0, imported.stderr.decode("utf-8", "replace")
    copied = _run(folder / CLI, ["store", "copy", str(source), pg_url], fresh_account, tmp_path)
    assert copied.returncode == 0, copied.stderr.decode("utf-8", "replace")
    back = tmp_path / "back.sqlite3"
    returned = _run(folder / CLI, ["store", "copy", pg_url, str(back)], fresh_account, tmp_path)
    assert returned.returncode == 0, returned.stderr.decode("utf-8", "replace")
    dumps = []
    for location in (str(source), pg_url, str(back)):
        dumped = _run(folder / CLI, ["dump", "--db", location], fresh_account, tmp_path)
        assert dumped.returncode == 0, dumped.stderr.decode("utf-8", "replace")
        dumps.append(json.loads(dumped.stdout.decode("utf-8")))
    assert dumps[0] == dumps[1] == dumps[2]
    assert len([e for g in dumps[1]["goals"] for d in g["directions"] for e in d["entries"]]) == 70
    # A server that is not there is one Japanese line, as from source.
    closed = pg_url.rsplit("/", 1)[0].rsplit(":", 1)[0] + ":1/nowhere"
    refused = _run(folder / CLI, ["reports", "--db", closed], fresh_account, tmp_path)
    assert refused.returncode == 2
    lines = refused.stderr.decode("utf-8").strip().splitlines()
    assert len(lines) == 1 and "に接続できません" in lines[0], lines


@pytest.fixture(scope="module")
def tls_cluster():
    """A throw-away PostgreSQL cluster that takes only TLS connections over the network."""
    from benchmarks import pgserver

    with ExitStack() as stack:
        try:
            cluster = stack.enter_context(pgserver.throwaway(tls=True))
        except (FileNotFoundError, OSError, pgserver.ClusterError) as exc:
            if os.environ.get("CI"):
                raise
            pytest.skip(f"no PostgreSQL server: {exc}")
        yield cluster


def test_the_folders_client_verifies_the_servers_certificate(
    folder: Path, fresh_account: dict[str, str], tmp_path: Path, tls_cluster
) -> None:
    """``sslmode=verify-full`` from the folder: TLS by its own libpq, the certificate checked."""
    import psycopg

    with psycopg.connect(tls_cluster.url, sslmode="require", autocommit=True) as conn:
        conn.execute("CREATE DATABASE packaged")
    root = tls_cluster.folder / "root.crt"
    base = tls_cluster.url.rsplit("/", 1)[0] + "/packaged"
    url = f"{base}?sslmode=verify-full&sslrootcert={root}"
    source = tmp_path / "source.sqlite3"
    sample = ROOT / "resources" / "sample" / "kushiro_progress_r2_r3.tsv"
    command = ["import", str(sample), "--db", str(source)]
    assert _run(folder / CLI, command, fresh_account, tmp_path).returncode == 0
    copied = _run(folder / CLI, ["store", "copy", str(source), url], fresh_account, tmp_path)
    assert copied.returncode == 0, copied.stderr.decode("utf-8", "replace")
    listed = _run(folder / CLI, ["reports", "--db", url], fresh_account, tmp_path)
    assert listed.returncode == 0, listed.stderr.decode("utf-8", "replace")
    assert re.search(r"R2年度\(2020年度\)\s+部署の行\s+70\b", listed.stdout.decode("utf-8"))
    # The server takes no connection without TLS, and a certificate nobody vouches for
    # is refused in one Japanese line.
    plain = _run(
        folder / CLI, ["reports", "--db", f"{base}?sslmode=disable"], fresh_account, tmp_path
    )
    assert plain.returncode == 2
    unknown = tmp_path / "other-root.crt"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-nodes",
            "-subj",
            "/CN=another office",
            "-days",
            "1",
            "-keyout",
            str(tmp_path / "other.key"),
            "-out",
            str(unknown),
        ],
        check=True,
        capture_output=True,
    )  # a real certificate authority, but not the one that signed the server's
    wrong = f"{base}?sslmode=verify-full&sslrootcert={unknown}"
    refused = _run(folder / CLI, ["reports", "--db", wrong], fresh_account, tmp_path)
    assert refused.returncode == 2
    lines = refused.stderr.decode("utf-8").strip().splitlines()
    assert len(lines) == 1 and "サーバーの証明書をルート証明書" in lines[0], lines


@pytest.mark.skipif(shutil.which("readelf") is None, reason="needs readelf (Linux binutils)")
def test_every_qt_library_a_binary_needs_is_in_the_folder(folder: Path) -> None:
    """The Qt libraries left out (Qt6Network, EGLFS) are needed by nothing left in."""
    present = {path.name for path in folder.rglob("*")}
    missing = set()
    for binary in folder.rglob("*.so*"):
        if binary.is_symlink() or not binary.is_file():
            continue
        dynamic = subprocess.run(
            ["readelf", "-d", str(binary)], capture_output=True, text=True, check=False
        ).stdout
        for needed in re.findall(r"\(NEEDED\)\s+Shared library: \[(.+?)\]", dynamic):
            if needed.startswith("libQt6") and needed not in present:
                missing.add(f"{binary.name} → {needed}")
    assert sorted(missing) == []


def test_command_line_finds_the_analyser_on_a_fresh_account(
    folder: Path, fresh_account: dict[str, str], tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    """``check --notation`` unpacks the dictionary once and finds what it finds from source."""
    from kushiro_editor import dictionary
    from kushiro_editor.cli import main as cli

    command = ["check", "--notation"]
    done = _run(folder / CLI, command, fresh_account, tmp_path)
    assert done.returncode == cli.EXIT_FINDINGS, done.stderr.decode("utf-8", "replace")
    err = done.stderr.decode("utf-8")
    assert "注意" not in err  # the analyser was found: no note of the simpler check
    store = _store_of(fresh_account)
    unpacked = list((store.parent / dictionary.UNPACKED_FOLDER).iterdir())
    assert [path.suffix for path in unpacked] == [".dic"]
    info = json.loads(next(folder.rglob(dictionary.INFO_NAME)).read_text(encoding="utf-8"))
    assert unpacked[0].stat().st_size == info["size"]
    assert unpacked[0].name == f"system-{info['sha256'][:12]}.dic"
    # The same findings as the editor run from source, parts of speech included.
    assert cli.main([*command, "--db", str(store)]) == cli.EXIT_FINDINGS
    from_source = capsys.readouterr()
    assert done.stdout.decode("utf-8") == from_source.out
    assert "取組(名詞)" in done.stdout.decode("utf-8")
    assert err.strip().splitlines()[-1] == from_source.err.strip().splitlines()[-1]
    # Later runs open the unpacked copy as it is.
    stamp = unpacked[0].stat().st_mtime_ns
    again = _run(folder / CLI, command, fresh_account, tmp_path)
    assert again.stdout == done.stdout
    assert unpacked[0].stat().st_mtime_ns == stamp
