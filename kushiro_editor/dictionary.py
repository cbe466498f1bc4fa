"""The analyser's dictionary in the one-folder build: packed there, unpacked once per user.

The Japanese analyser's dictionary (sudachidict-small) is 115 MB, half the
folder an office PC gets. The build keeps it xz-packed (about 24 MB) in the
bundled resources, with its size and SHA-256 in a JSON file beside it; the
first check that needs the analyser unpacks it into the user's data folder,
where every later run opens it directly. An installed editor (a wheel, or the
source tree) has no packed copy and uses the installed dictionary package.

Unpacking writes a temporary file in the target folder, checks its size and
SHA-256, and only then renames it into place: a full disk, a damaged packed
file or a read-only folder leaves nothing behind, and the analyser counts as
missing (the checks fall back to their patterns).
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import logging
import lzma
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from . import appdata

logger = logging.getLogger(__name__)

# Where the build puts the packed dictionary, under the bundled resources.
PACKED_FOLDER = "analyser"
PACKED_NAME = "system.dic.xz"
INFO_NAME = "system.dic.json"
# The unpacked copy, under the user's data folder.
UNPACKED_FOLDER = "analyser"
PACKAGE = "sudachidict_small"
CHUNK = 1 << 20


@dataclass(frozen=True)
class Packed:
    """A packed dictionary and what it must unpack to."""

    path: Path
    size: int
    sha256: str

    @property
    def file_name(self) -> str:
        """The unpacked file's name: a new dictionary gets a new name."""
        return f"system-{self.sha256[:12]}.dic"


def read_packed(folder: Path) -> Packed | None:
    """The packed dictionary in ``folder`` with its expected size and hash, or None."""
    info, packed = folder / INFO_NAME, folder / PACKED_NAME
    if not info.is_file() or not packed.is_file():
        return None
    try:
        data = json.loads(info.read_text(encoding="utf-8"))
        size, sha256 = int(data["size"]), str(data["sha256"]).lower()
    except (OSError, ValueError, KeyError, TypeError):
        logger.warning("the packed dictionary's description is unreadable: %s", info, exc_info=True)
        return None
    if size <= 0 or len(sha256) != 64:
        logger.warning("the packed dictionary's description is wrong: %s", info)
        return None
    return Packed(packed, size, sha256)


def unpack(packed: Packed, folder: Path) -> Path | None:
    """The dictionary unpacked in ``folder`` (once; later calls reuse it), or None on failure."""
    target = folder / packed.file_name
    try:
        if _complete(target, packed):
            return target
    except OSError:
        logger.warning("cannot look at the unpacked dictionary %s", target, exc_info=True)
        return None
    temporary: Path | None = None
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(prefix=".system-", suffix=".part", dir=folder)
        temporary = Path(name)
        size, digest = _decompress(packed.path, handle)
        if size != packed.size or digest != packed.sha256:
            logger.warning(
                "the packed dictionary %s unpacks to %d bytes, sha256 %s (expected %d, %s)",
                packed.path,
                size,
                digest,
                packed.size,
                packed.sha256,
            )
            return None
        # Two programs of the folder may unpack at once: each renames its own
        # complete copy, and the last one wins with the same bytes.
        try:
            temporary.replace(target)
        except PermissionError:
            # Windows refuses to replace a file another program has open: the
            # copy it unpacked meanwhile is as good as this one.
            if not _complete(target, packed):
                raise
            return target
        temporary = None
    except (OSError, lzma.LZMAError, EOFError):
        logger.warning("unpacking the dictionary into %s failed", folder, exc_info=True)
        return None
    finally:
        if temporary is not None:
            temporary.unlink(missing_ok=True)
    logger.info("unpacked the analyser's dictionary to %s", target)
    _remove_older(folder, keep=target)
    return target


def _complete(target: Path, packed: Packed) -> bool:
    """Whether ``target`` is an unpacked copy (checked in full when it was unpacked)."""
    return target.is_file() and target.stat().st_size == packed.size


def _decompress(source: Path, handle: int) -> tuple[int, str]:
    """Write the unpacked bytes to ``handle`` (closed after); their count and SHA-256."""
    digest = hashlib.sha256()
    size = 0
    with os.fdopen(handle, "wb") as out, lzma.open(source, "rb") as packed:
        while chunk := packed.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
            out.write(chunk)
        out.flush()
        os.fsync(out.fileno())
    return size, digest.hexdigest()


def _remove_older(folder: Path, keep: Path) -> None:
    # A new version of the editor brings a new dictionary: the old copy is
    # 115 MB nobody opens any more.
    for old in folder.glob("system-*.dic"):
        if old != keep:
            try:
                old.unlink()
            except OSError:
                logger.info("could not remove the old dictionary %s", old, exc_info=True)


def _installed() -> bool:
    """Whether the dictionary package is installed with its dictionary (not packed)."""
    spec = importlib.util.find_spec(PACKAGE)
    locations = spec.submodule_search_locations if spec is not None else None
    return any((Path(place) / "resources" / "system.dic").is_file() for place in locations or ())


def analyser_dictionary() -> Path | None:
    """The dictionary file for the analyser: the unpacked copy in a build, else None.

    None means "the installed dictionary" where one is installed, and "none"
    in a build whose packed copy could not be unpacked (the log says why).
    """
    try:
        packed = read_packed(appdata.resources_dir() / PACKED_FOLDER)
    except FileNotFoundError:
        return None
    if packed is None or _installed():
        return None
    try:
        folder = appdata.data_dir() / UNPACKED_FOLDER
    except OSError:
        logger.warning("no data folder for the analyser's dictionary", exc_info=True)
        return None
    return unpack(packed, folder)
