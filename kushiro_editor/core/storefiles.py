"""The files that belong to a store besides itself: SQLite's, the editor's lock, the snapshots.

An export written onto any of them would destroy the store or a way back to
it, so they are named in one place: the lock (``appdata.StoreLock``) and the
check of an export's targets (``formats.targets``) both read this module.
"""

from __future__ import annotations

import logging
from pathlib import Path

from . import snapshotnames

logger = logging.getLogger(__name__)

# SQLite's files beside the store: the write-ahead log, its shared memory, the
# rollback journal (used on network drives).
SIDECARS = ("-wal", "-shm", "-journal")
LOCK_SUFFIX = ".lock"


def lock_path(store_path: Path | str) -> Path:
    """The lock file of the store at ``store_path``."""
    store_path = Path(store_path)
    return store_path.with_name(store_path.name + LOCK_SUFFIX)


def owned(store_path: Path | str) -> list[Path]:
    """The store, its sidecars, its lock and its snapshot folder (existing or not)."""
    store_path = Path(store_path)
    sidecars = [store_path.with_name(store_path.name + suffix) for suffix in SIDECARS]
    return [store_path, *sidecars, lock_path(store_path), snapshotnames.folder_of(store_path)]
