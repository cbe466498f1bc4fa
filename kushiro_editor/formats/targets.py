"""Where an export may write: checked once, before anything is written.

An export replaces its target, so a target that is the open store, one of
its sidecar files, its lock, a snapshot, another output of the same command
or a read-only file would destroy something the office still needs. Paths
are compared as the file system sees them (symbolic links followed, hard
links by their inode), so another name for the same file is refused too.
The command line and the window both call :func:`check_outputs`.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..core import snapshotnames, storefiles
from ..core.model import ReportError
from .files import replaceable_target

if TYPE_CHECKING:
    from .registry import Format

logger = logging.getLogger(__name__)

TRY_ANOTHER = "書き出し先に別の名前を指定してください。"


@dataclass(frozen=True)
class Output:
    """One file an export is about to write, and what kind of file it must be named as."""

    path: Path
    suffixes: tuple[str, ...]  # lower case, the first one is what to suggest
    label: str  # the kind of file, for messages (「Word 文書」)
    companions: tuple[Path, ...] = ()  # written beside it (the open data's KPIs)

    @classmethod
    def of(cls, format_: Format, path: Path, label: str = "") -> Output:
        """``path`` written in one of the registry's formats (``label`` names what it holds)."""
        path = Path(path)
        return cls(path, format_.suffixes, label or format_.label, format_.companions(path))

    def with_companions(self) -> list[Output]:
        """This output and each file written beside it, checked alike."""
        beside = [Output(path, self.suffixes, f"{self.label}(指標)") for path in self.companions]
        return [self, *beside]


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        info = path.stat()
    except OSError:
        return None
    return info.st_dev, info.st_ino


def _resolved(path: Path) -> Path:
    return Path(os.path.normcase(os.path.realpath(path)))


class _Kept:
    """The files an export must leave alone, by resolved name and by identity."""

    def __init__(self, paths: Iterable[Path]) -> None:
        self.names: dict[Path, Path] = {}
        self.folders: dict[Path, Path] = {}
        self.identities: dict[tuple[int, int], Path] = {}
        for path in paths:
            path = Path(path)
            if path.is_dir():
                self.folders[_resolved(path)] = path
                for inside in path.iterdir():
                    self._add(inside)
            self._add(path)

    def _add(self, path: Path) -> None:
        self.names[_resolved(path)] = path
        identity = _identity(path)
        if identity is not None:
            self.identities[identity] = path

    def holder(self, resolved: Path, identity: tuple[int, int] | None) -> Path | None:
        """The kept file (or folder) that ``resolved`` is, or lies in."""
        if resolved in self.names:
            return self.names[resolved]
        if identity is not None and identity in self.identities:
            return self.identities[identity]
        for folder, named in self.folders.items():
            if resolved.is_relative_to(folder):
                return named
        return None


def check_outputs(outputs: Sequence[Output], store_path: Path | str | None) -> None:
    """Refuse, in one Japanese line, an export whose targets would destroy a file.

    ``store_path`` is the open store: it, its sidecars, its lock and every
    snapshot in its snapshot folder are kept. Nothing is written here.
    """
    kept = _Kept(storefiles.owned(store_path) if store_path is not None else [])
    snapshots = {snapshotnames.folder_of(Path(store_path))} if store_path is not None else set()
    seen: dict[Path, Output] = {}
    seen_identities: dict[tuple[int, int], Output] = {}
    for output in [each for given in outputs for each in given.with_companions()]:
        path = Path(output.path)
        resolved = _resolved(path)
        identity = _identity(path)
        holder = kept.holder(resolved, identity)
        if holder is not None:
            if holder in snapshots or holder.parent in snapshots:
                what = "スナップショット"
            else:
                what = "開いているデータファイル(またはその付属のファイル)"
            raise ReportError(f"{path.name} は{what}です。上書きすると戻せないため、{TRY_ANOTHER}")
        if identity is not None:
            replaceable_target(path)  # a folder, a device or a read-only file refused
        if path.suffix.lower() not in output.suffixes:
            raise ReportError(
                f"{path.name} は{output.label}のファイル名になっていません。名前の末尾を"
                f" {output.suffixes[0]} にしてください。"
            )
        other = seen.get(resolved) or (seen_identities.get(identity) if identity else None)
        if other is not None:
            raise ReportError(
                f"{other.label}と{output.label}の書き出し先が同じファイル({path.name})です。"
                "別々の名前を指定してください。"
            )
        seen[resolved] = output
        if identity is not None:
            seen_identities[identity] = output
