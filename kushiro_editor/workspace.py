"""Opening a store: the default one is created from the bundled sample on first use."""

from __future__ import annotations

import contextlib
import logging
from pathlib import Path

from .core import paths
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
    result = read_file(paths.sample_path())
    with Store(tmp) as store:
        store.save(result.report, result.warnings)
    tmp.replace(path)
    logger.info("created %s from the sample report", path)


def open_store(db: Path | str | None = None) -> Store:
    """Open ``db``, or the default store (created from the sample when missing).

    A store named explicitly that does not exist yet starts empty.
    """
    if db is not None:
        return Store(Path(db))
    path = paths.default_store_path()
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        create_from_sample(path)
    return Store(path)
