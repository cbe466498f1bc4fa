"""Opening a store: the default one is created from the bundled sample on first use."""

from __future__ import annotations

import contextlib
import logging
from pathlib import Path

from . import appdata
from .core import review, snapshots
from .core.database import is_server
from .core.model import ImportResult, ImportWarning, ReportError
from .core.store import Store
from .formats import read_file

logger = logging.getLogger(__name__)


def create_from_sample(path: Path) -> None:
    """Build a new store holding the sample report, then move it into place.

    Built under a temporary name so that an interrupted first start never
    leaves an empty default store behind.
    """
    tmp = path.with_name(path.name + ".new")
    for leftover in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):
        with contextlib.suppress(FileNotFoundError):
            leftover.unlink()
    result = read_file(appdata.sample_path())
    with Store(tmp) as store:
        save_import(store, result)
    tmp.replace(path)
    logger.info("created %s from the sample report", path)


def demo_result() -> ImportResult:
    """The demonstration report: the bundled sample with made-up KPIs, its import notes kept."""
    from .core.kpi import demo

    sample = read_file(appdata.sample_path())
    return ImportResult(demo.demo_report(sample.report), list(sample.warnings))


def open_store(db: Path | str | None = None, *, create: bool = True) -> Store:
    """Open ``db``, or the default store (created from the sample when missing).

    A store named explicitly that does not exist yet starts empty, unless
    ``create`` is false (a reading command): then it is an error, and no
    empty file is left behind.
    """
    if db is not None and is_server(db):
        return Store(db)  # (an empty database becomes a store, as a new file does)
    if db is not None:
        if not create and not Path(db).exists():
            raise ReportError(f"データファイルがありません: {db}")
        if not create:
            _refuse_empty(Path(db))
        return Store(Path(db))
    path = appdata.default_store_path()
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        create_from_sample(path)
    if not create:
        _refuse_empty(path)
    return Store(path)


def _refuse_empty(path: Path) -> None:
    # SQLite takes an empty file for a new database and would write a store into
    # it: a command that only reads must leave a file it was wrongly given as it is.
    try:
        empty = path.stat().st_size == 0 and path.is_file()
    except OSError:
        return  # opening says what is wrong with it
    if empty:
        raise ReportError(
            f"{path.name} は空のファイルで、データファイルではありません。"
            "--db でデータファイルを指定してください。"
        )


def save_import(
    store: Store, result: ImportResult, *, replace: bool = False, reason: str = "import"
) -> ImportResult:
    """Store an imported report (one transaction) and start the department list.

    A snapshot of the store is taken first. The first report imported gives
    the office's department list; a name that looks like a typo of a more
    common one is left out of it and reported.
    """
    if store.years():
        snapshots.take(store, reason)
    seeding = not store.department_list()
    kept, doubtful = review.suggest_departments(result.report) if seeding else ([], {})
    warnings = list(result.warnings)
    for _goal, _direction, entry in result.report.entries():
        for name in entry.departments:
            if name in doubtful:
                guesses = "」か「".join(doubtful[name])
                warning = ImportWarning(
                    row=0,
                    node_id=entry.id,
                    topic="department",
                    message=f"{entry.department_label}: 部署名「{name}」は「{guesses}」の"
                    "誤りかもしれません(部署の一覧には入れていません)。",
                )
                if warning not in warnings:  # a re-imported JSON already has it
                    warnings.append(warning)
    with store.transaction():
        store.save(result.report, warnings, replace=replace)
        if seeding:
            store.set_department_list(kept)
    return ImportResult(result.report, warnings)


@contextlib.contextmanager
def writing(db: Path | str | None = None):
    """The store, locked for writing (one editor or command at a time)."""
    store = open_store(db)
    lock = appdata.lock_of(store)
    try:
        if lock is not None:
            lock.acquire()
    except Exception:
        store.close()
        raise
    try:
        yield store
    finally:
        store.close()
        if lock is not None:
            lock.release()
