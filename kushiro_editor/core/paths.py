"""Where the editor keeps its files, and the bundled sample report."""

from __future__ import annotations

import logging
import os
from pathlib import Path

logger = logging.getLogger(__name__)

ORGANIZATION = "Kushiro"
APPLICATION = "KushiroProgressEditor"
STORE_NAME = "reports.sqlite3"
SAMPLE_NAME = "kushiro_progress_r2_r3.tsv"


def set_application_names() -> None:
    """Name the application for QStandardPaths and QSettings (no QApplication needed)."""
    from PySide6.QtCore import QCoreApplication

    QCoreApplication.setOrganizationName(ORGANIZATION)
    QCoreApplication.setApplicationName(APPLICATION)


def data_dir() -> Path:
    """The user's data folder for the editor (created on demand).

    The *local* application data folder: on Windows the roaming one may be
    redirected to a network share, where SQLite's WAL is not safe.
    """
    from PySide6.QtCore import QStandardPaths

    set_application_names()
    location = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppLocalDataLocation)
    path = Path(location)
    path.mkdir(parents=True, exist_ok=True)
    return path


def default_store_path() -> Path:
    """The store used when no ``--db`` is given."""
    override = os.environ.get("KUSHIRO_EDITOR_DB")
    return Path(override) if override else data_dir() / STORE_NAME


def resources_dir() -> Path:
    """The bundled resources (the sample report, icons)."""
    here = Path(__file__).resolve().parent.parent
    for candidate in (here.parent / "resources", here / "_resources"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("resources folder not found")


def sample_path() -> Path:
    """The FY2020 report the editor ships with."""
    return resources_dir() / "sample" / SAMPLE_NAME
