"""The shared store on a PostgreSQL server: the same figures as a file's, and forty clients.

Measured on a database the benchmark makes for itself on the server it is
given (``--server URL``: an account that may create databases), or on a
throw-away cluster on this PC that commits to disk as an office's server
does. The database is dropped at the end; nothing else on the server is read
or written.
"""

from __future__ import annotations

import math
import statistics
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

CLIENTS = 40  # the departments saving at once
EDITS_PER_CLIENT = 10


def _median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def percentile(values: list[float], share: float) -> float:
    """The value ``share`` (0.95: the 95th percentile) of the way up ``values``, nearest rank."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    # Rounded first: 0.95 of 400 is 380, not the 381st value a float's tail would give.
    rank = max(1, math.ceil(round(len(ordered) * share, 9)))
    return ordered[rank - 1]


def with_database(url: str, name: str) -> str:
    """``url`` pointing at the database ``name`` (user, host, port and options kept)."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, parts.fragment))


@contextmanager
def server(url: str | None) -> Iterator[str]:
    """The server to measure on (``url``, or a throw-away cluster), as its URL."""
    if url:
        yield url
        return
    from .pgserver import throwaway

    print("… PostgreSQL のクラスタを一時フォルダに作ります", file=sys.stderr)
    with throwaway(durable=True) as cluster:
        yield cluster.url


@contextmanager
def database(url: str) -> Iterator[str]:
    """A fresh database of the benchmark's own on the server of ``url``, dropped after."""
    import psycopg

    name = f"kushiro_bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name} TEMPLATE template0 ENCODING 'UTF8'")
    try:
        yield with_database(url, name)
    finally:
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def fill(url: str, report) -> None:
    """The server's database holds ``report`` (replacing the year's report there)."""
    from kushiro_editor.core.store import Store

    with Store(url) as store:
        store.save(report, replace=True)


def measure_open(location: str | Path, repeat: int) -> dict[str, float]:
    """Connecting to the store and reading the newest report, in ms (the window's start)."""
    from kushiro_editor.core.store import Store

    def once() -> None:
        with Store(location) as store:
            store.load()

    once()  # the server's caches and the interpreter's imports warmed, as in a day's use
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        once()
        runs.append((time.perf_counter() - start) * 1000)
    return {"open_ms": _median(runs)}


def measure_window_open(location: str | Path, work: Path, repeat: int) -> dict[str, float]:
    """From opening the store to the window shown with the report, in ms (in this process)."""
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from kushiro_editor.core.store import Store
    from kushiro_editor.gui.app import create_application
    from kushiro_editor.gui.mainwindow import MainWindow

    app = create_application([])
    settings = QSettings(str(work / "bench-open.ini"), QSettings.Format.IniFormat)
    runs = []
    for _ in range(repeat + 1):  # the first builds Qt's caches (fonts, styles): left out
        start = time.perf_counter()
        window = MainWindow(Store(location), settings)
        window.resize(1400, 900)
        window.show()
        app.processEvents()
        runs.append((time.perf_counter() - start) * 1000)
        window.close()
        window.store.close()
        window.deleteLater()
        QApplication.processEvents()
    return {"window_open_ms": _median(runs[1:])}


def _client_texts(index: int) -> list[str]:
    from kushiro_editor.core import richtext

    return [
        richtext.paragraph(f"部署{index + 1}の実績の{count + 1}回目の保存。説明会を開いた。")
        for count in range(EDITS_PER_CLIENT)
    ]


def measure_clients(url: str, clients: int = CLIENTS) -> dict[str, float]:
    """``clients`` connections at once, each saving ten edits of its own row's 実績.

    Each client is a thread with its own connection and its own copy of the
    report, as forty department PCs are; they start together and each edit
    goes through the one edit path (one transaction, committed) before the
    next. Gives the edits per second over the whole and the 95th percentile
    of one edit's time. Every text is read back: a lost edit is a failure.
    """
    from kushiro_editor.core import edits
    from kushiro_editor.core.store import Store

    stores = [Store(url) for _ in range(clients)]
    reports = [store.load() for store in stores]
    if sum(1 for _ in reports[0].entries()) < clients:
        raise RuntimeError(f"{clients} の部署の行がない報告では測れません")
    start_line = threading.Barrier(clients + 1)
    latencies: list[list[float]] = [[] for _ in range(clients)]
    failures: list[BaseException] = []

    def client(index: int) -> None:
        store, report = stores[index], reports[index]
        try:
            entry = [e for _g, _d, e in report.entries()][index]
            texts = _client_texts(index)
            start_line.wait()
            for text in texts:
                began = time.perf_counter()
                edits.apply(store, report, [edits.SetField(entry, "actual", text)])
                latencies[index].append((time.perf_counter() - began) * 1000)
        except BaseException as exc:  # reported below, after every thread has ended
            failures.append(exc)
            start_line.abort()

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    # A client that failed before the start broke the line: its failure is raised below.
    with suppress(threading.BrokenBarrierError):
        start_line.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - began
    for store in stores:
        store.close()
    if failures:
        raise RuntimeError(f"同時の保存が失敗しました: {failures[0]}") from failures[0]
    with Store(url) as store:
        stored = [e.actual for _g, _d, e in store.load().entries()][:clients]
    expected = [_client_texts(i)[-1] for i in range(clients)]
    if stored != expected:
        lost = sum(1 for a, b in zip(stored, expected, strict=True) if a != b)
        raise RuntimeError(f"同時の保存で {lost} 行の最後の文章が残っていません")
    every = [ms for one in latencies for ms in one]
    return {
        "clients": clients,
        "clients_edits_per_s": len(every) / wall,
        "clients_p95_ms": percentile(every, 0.95),
        "clients_median_ms": _median(every),
    }


def _beside(location: str | Path, work: Path, repeat: int) -> dict[str, float]:
    """The figures measured on both engines, for the store at ``location``."""
    from . import __main__ as bench

    figures: dict[str, float] = {}
    figures.update(measure_open(location, repeat))
    figures.update(measure_window_open(location, work, repeat))
    window = bench.measure_window(location, work)
    for key in ("switch_median_ms", "switch_worst_ms", "move_median_ms", "autosave_ms"):
        figures[key] = window[key]
    return figures


def measure(path: Path, url: str, report, work: Path, repeat: int) -> dict[str, dict]:
    """The shared store's figures for one report, beside the same of its file at ``path``.

    Measured one right after the other, so that both see the same machine.
    """
    fill(url, report)
    on_server = _beside(url, work, repeat)
    fill(url, report)  # the window's typing undone: the clients start from the same texts
    on_server.update(measure_clients(url))
    return {"file": _beside(path, work, repeat), "server": on_server}
