"""Test setup: offscreen Qt, a private data folder, a fresh store per test."""

from __future__ import annotations

import os

# Set before any Qt module is imported anywhere in the test run.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.pop("KUSHIRO_EDITOR_DB", None)

from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from PySide6.QtCore import QSettings, QStandardPaths, Qt

from kushiro_editor import appdata
from kushiro_editor.core.store import Store
from kushiro_editor.formats import read_file

settings.register_profile(
    "default", deadline=None, suppress_health_check=[HealthCheck.too_slow], max_examples=60
)
settings.load_profile("default")

SAMPLE = appdata.sample_path()


@pytest.fixture(autouse=True)
def _private_paths(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep every test away from the user's real data folder and settings."""
    QStandardPaths.setTestModeEnabled(True)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("KUSHIRO_EDITOR_DB", str(tmp_path / "default-store" / "reports.sqlite3"))


@pytest.fixture(scope="session")
def sample_file() -> Path:
    """The path of the bundled FY2020 report (read it, never write it)."""
    return SAMPLE


@pytest.fixture(scope="session")
def sample_bytes() -> bytes:
    """The bundled FY2020 report as shipped."""
    return SAMPLE.read_bytes()


@pytest.fixture
def sample_result():
    """The sample report freshly imported (mutable: one per test)."""
    return read_file(SAMPLE)


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    """The path of a store file that does not exist yet."""
    return tmp_path / "store.sqlite3"


# -- the two engines --------------------------------------------------------------------
ENGINES = ("sqlite", "postgresql")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """A test marked ``both_engines`` runs once on a store file and once on the server."""
    if "engine" in metafunc.fixturenames and metafunc.definition.get_closest_marker("both_engines"):
        metafunc.parametrize("engine", ENGINES, indirect=True)


@pytest.fixture
def engine(request: pytest.FixtureRequest) -> str:
    """The engine of the test's store: a SQLite file unless the test runs on both."""
    return getattr(request, "param", "sqlite")


@pytest.fixture(scope="session")
def pg_cluster():
    """The PostgreSQL cluster of the run: the one `.ci/run` started, or one of our own.

    In CI a missing server is a failure, never a skip.
    """
    from tests import pgserver

    found = pgserver.from_environment()
    if found is not None:
        yield found
        return
    import shutil
    import tempfile

    # Not under pytest's folder: the account the server runs as must reach it.
    folder = Path(tempfile.mkdtemp(prefix="kushiro-pg-"))
    try:
        cluster = pgserver.create(folder)
    except (FileNotFoundError, OSError, pgserver.ClusterError) as exc:
        shutil.rmtree(folder, ignore_errors=True)
        if os.environ.get("CI"):
            raise
        pytest.skip(f"no PostgreSQL server: {exc}")
    yield cluster
    cluster.stop()
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def pg_admin(pg_cluster):
    """A fresh database on the cluster, as (its URL as the cluster's superuser, name)."""
    import uuid

    import psycopg

    name = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(pg_cluster.url, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name} TEMPLATE template0 ENCODING 'UTF8'")
    yield pg_cluster.url.rsplit("/", 1)[0] + f"/{name}", name
    with psycopg.connect(pg_cluster.url, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture
def pg_url(pg_admin) -> str:
    """The URL of a fresh, empty database on the test cluster."""
    return pg_admin[0]


@pytest.fixture
def store_location(request: pytest.FixtureRequest, engine: str, store_path: Path):
    """Where the test's store lives: the file path, or a fresh database's URL."""
    if engine == "postgresql":
        return request.getfixturevalue("pg_url")
    return store_path


@pytest.fixture
def sample_store(store_location, sample_result) -> Store:
    """A real store holding the sample report (a SQLite file, or the server too for a
    test marked ``both_engines``)."""
    store = Store(store_location)
    store.save(sample_result.report, sample_result.warnings)
    yield store
    store.close()


@pytest.fixture
def settings(tmp_path):
    """Settings in a private INI file."""
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture(scope="session")
def qapp(qapp_args, qapp_cls, pytestconfig):
    """The application as the editor sets it up: its Japanese UI font and translations.

    Every window test then measures rows and fields in the font a user sees, and a
    test that starts the editor's own setup (the benchmark) changes nothing for the
    tests after it.
    """
    from kushiro_editor.gui.app import create_application

    return create_application(qapp_args)


@pytest.fixture
def make_window(qtbot, settings):
    """Open windows on a store path; closed at the end of the test."""
    opened = []

    def make(path, **kwargs):
        from kushiro_editor.gui.mainwindow import MainWindow

        window = MainWindow(Store(path), settings, **kwargs)
        qtbot.addWidget(window)
        # The tests' screen is smaller than the window's preferred size, where the
        # window opens maximised: a test sets the size it needs.
        window.setWindowState(Qt.WindowState.WindowNoState)
        window.resize(1400, 900)
        window.show()
        qtbot.waitExposed(window)
        opened.append(window)
        return window

    yield make
    for window in opened:
        if window.isVisible():
            window.close()
        window.store.close()


@pytest.fixture
def db(tmp_path, sample_file, capsys):
    """A store the command line made by importing the sample."""
    from tests.cli.running import run_cli

    path = tmp_path / "store.sqlite3"
    assert run_cli(capsys, "import", sample_file, "--db", path)[0] == 0
    return path
