"""Whether Qt can open a window on this Linux PC, asked before Qt is loaded.

On a fresh Linux PC Qt's xcb platform lacks system libraries (libxcb-cursor0 and
friends), and Qt then stops the program with an English message and an abort. The
editor asks first: ``ldd`` (part of the C library, on every Linux PC) lists what the
platform plugin needs and cannot find, without loading anything, so a missing
library is one Japanese line with the command that installs it. The list of
packages is kept once, in ``resources/linux-packages.tsv``, which ``.ci/run`` reads
too.
"""

from __future__ import annotations

import importlib.util
import logging
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

logger = logging.getLogger(__name__)

PACKAGES_FILE = "linux-packages.tsv"
# Platforms that draw no window of the desktop's, and so need none of its libraries.
WINDOWLESS = ("offscreen", "minimal", "vnc", "linuxfb", "eglfs", "vkkhrdisplay")
LDD_SECONDS = 10


@dataclass(frozen=True)
class Package:
    """One library Qt's window needs, and the packages that bring it."""

    library: str
    debian: str
    fedora: str


def packages(resources: Path) -> list[Package]:
    """The libraries and packages of ``linux-packages.tsv``, in its order."""
    out = []
    for line in (resources / PACKAGES_FILE).read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            library, debian, fedora = line.split("\t")
            out.append(Package(library, debian, fedora))
    return out


def platform_plugin() -> Path | None:
    """The platform plugin Qt will load: Wayland's in a Wayland session, else xcb's."""
    chosen = os.environ.get("QT_QPA_PLATFORM", "")
    name = chosen.split(":")[0].split(";")[0].strip()
    if not name:
        name = "wayland" if os.environ.get("WAYLAND_DISPLAY") else "xcb"
    if name in WINDOWLESS:
        return None
    folders = [Path(p) for p in os.environ.get("QT_QPA_PLATFORM_PLUGIN_PATH", "").split(":") if p]
    spec = importlib.util.find_spec("PySide6")
    if spec is not None and spec.submodule_search_locations:
        folders.append(Path(spec.submodule_search_locations[0]) / "Qt" / "plugins" / "platforms")
    for folder in folders:
        plugin = folder / f"libq{name}.so"
        if plugin.is_file():
            return plugin
    return None


def unresolved(plugin: Path) -> list[str]:
    """The libraries ``plugin`` links to that this PC cannot find (by file name)."""
    ldd = shutil.which("ldd")
    if ldd is None:
        return []  # (no way to ask: Qt will say it itself)
    try:
        listed = subprocess.run(
            [ldd, str(plugin)], capture_output=True, text=True, timeout=LDD_SECONDS, check=False
        ).stdout
    except (OSError, subprocess.SubprocessError):
        logger.warning("ldd could not read %s", plugin, exc_info=True)
        return []
    missing = []
    for line in listed.splitlines():
        name, _, where = line.strip().partition("=>")
        if where.strip() == "not found":
            missing.append(name.strip())
    return missing


def missing_line(missing: list[str], known: list[Package]) -> str:
    """One Japanese line: what is missing, and the commands that install it."""
    needed = [p for p in known if p.library in missing] or known
    shown = "、".join(missing[:3]) + (f" ほか{len(missing) - 3}件" if len(missing) > 3 else "")
    debian = " ".join(dict.fromkeys(p.debian for p in needed))
    fedora = " ".join(dict.fromkeys(p.fedora for p in needed))
    return (
        f"画面を開くのに必要なライブラリがこの PC にありません({shown})。"
        f"Debian/Ubuntu では sudo apt-get install {debian}、"
        f"Fedora では sudo dnf install {fedora} で入ります。"
    )


def check(resources: Path) -> str | None:
    """On Linux, the line to print when Qt's window cannot open here; else None."""
    if not sys.platform.startswith("linux") or getattr(sys, "frozen", False):
        # Windows needs nothing; the one-folder build carries these libraries itself.
        return None
    plugin = platform_plugin()
    if plugin is None:
        return None
    missing = unresolved(plugin)
    if not missing:
        return None
    logger.info("Qt platform plugin %s cannot load: %s", plugin, ", ".join(missing))
    return missing_line(missing, packages(resources))
