"""Fonts for the PDF: the installed file behind a family name, embedded as a subset.

The Word and Excel files only name their fonts; a PDF has to carry them. The
family the user chose (ＭＳ 明朝 / ＭＳ ゴシック by default) is looked up as a
file: through fontconfig where it exists (Linux, and any PC with its tools),
else among the files Windows and macOS install under well-known names. Where
that family is missing, an installed Japanese TrueType font of the same kind
(明朝 or ゴシック: IPA, IPAex, Takao…) stands in. ReportLab embeds TrueType
outlines only (not the CFF of Noto CJK), so every candidate is opened and
checked before use.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from functools import cache
from pathlib import Path

logger = logging.getLogger(__name__)

# Known files per family (lower-case name, index in a collection).
KNOWN_FILES: dict[str, tuple[tuple[str, int], ...]] = {
    "ＭＳ 明朝": (("msmincho.ttc", 0),),
    "ms mincho": (("msmincho.ttc", 0),),
    "ＭＳ ゴシック": (("msgothic.ttc", 0),),
    "ms gothic": (("msgothic.ttc", 0),),
    "游明朝": (("yumin.ttf", 0),),
    "yu mincho": (("yumin.ttf", 0),),
    "游ゴシック": (("yugothr.ttc", 0), ("yugothm.ttc", 0)),
    "yu gothic": (("yugothr.ttc", 0), ("yugothm.ttc", 0)),
    "メイリオ": (("meiryo.ttc", 0),),
    "meiryo": (("meiryo.ttc", 0),),
}
# Stand-ins where the chosen family is not installed, by kind.
MINCHO_FILES = (
    ("msmincho.ttc", 0),
    ("ipam.ttf", 0),
    ("ipaexm.ttf", 0),
    ("fonts-japanese-mincho.ttf", 0),
    ("takaomincho.ttf", 0),
    ("yumin.ttf", 0),
)
GOTHIC_FILES = (
    ("msgothic.ttc", 0),
    ("ipag.ttf", 0),
    ("ipaexg.ttf", 0),
    ("fonts-japanese-gothic.ttf", 0),
    ("takaogothic.ttf", 0),
    ("meiryo.ttc", 0),
)


@dataclass(frozen=True)
class FontFile:
    """A font file and the face inside it (collections hold several)."""

    path: Path
    index: int = 0


def _font_dirs() -> list[Path]:
    home = Path.home()
    if sys.platform == "win32":
        windows = Path(os.environ.get("WINDIR", r"C:\Windows"))
        local = Path(os.environ.get("LOCALAPPDATA", home / "AppData" / "Local"))
        return [windows / "Fonts", local / "Microsoft" / "Windows" / "Fonts"]
    if sys.platform == "darwin":
        return [Path("/Library/Fonts"), Path("/System/Library/Fonts"), home / "Library" / "Fonts"]
    return [
        Path("/usr/share/fonts"),
        Path("/usr/local/share/fonts"),
        home / ".local" / "share" / "fonts",
        home / ".fonts",
    ]


@cache
def installed_files() -> dict[str, Path]:
    """Every font file in the usual folders, by lower-case name."""
    found: dict[str, Path] = {}
    for folder in _font_dirs():
        if not folder.is_dir():
            continue
        for root, _dirs, names in os.walk(folder):
            for name in names:
                if name.lower().endswith((".ttf", ".ttc")):
                    found.setdefault(name.lower(), Path(root) / name)
    return found


def fontconfig_match(family: str) -> FontFile | None:
    """The file fontconfig gives for ``family`` in Japanese, if fontconfig is there."""
    tool = shutil.which("fc-match")
    if tool is None:
        return None
    try:
        done = subprocess.run(
            [tool, "-f", "%{file}\n%{index}", f"{family}:lang=ja"],
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    lines = done.stdout.splitlines()
    if len(lines) < 2 or not lines[0]:
        return None
    return FontFile(Path(lines[0]), int(lines[1]) if lines[1].isdigit() else 0)


def candidates(family: str, heading: bool) -> list[FontFile]:
    """Files that may carry ``family``, best first, then the stand-ins of its kind."""
    out: list[FontFile] = []
    files = installed_files()
    for name, index in KNOWN_FILES.get(family.lower(), ()):
        if name in files:
            out.append(FontFile(files[name], index))
    matched = fontconfig_match(family)
    if matched is not None:
        out.append(matched)
    gothic = heading or "ゴシック" in family or "gothic" in family.lower()
    for name, index in GOTHIC_FILES if gothic else MINCHO_FILES:
        if name in files:
            out.append(FontFile(files[name], index))
    return list(dict.fromkeys(out))


@cache
def register(family: str, heading: bool = False) -> str:
    """The ReportLab font name for ``family``: an embeddable TrueType file, registered.

    Falls back to ReportLab's built-in Japanese CID font (not embedded; a
    reader supplies the glyphs) only when no TrueType Japanese font is
    installed at all.
    """
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFError, TTFont

    for index, candidate in enumerate(candidates(family, heading)):
        name = f"KR{'G' if heading else 'M'}{index}-{candidate.path.stem}"
        try:
            font = TTFont(name, str(candidate.path), subfontIndex=candidate.index)
        except (TTFError, OSError, ValueError, KeyError, IndexError) as exc:
            logger.info("font %s not usable for the PDF: %s", candidate.path, exc)
            continue
        if 0x660E not in font.face.charToGlyph:  # 明: a face without kanji is no use
            continue
        pdfmetrics.registerFont(font)
        logger.info("PDF font for %s: %s", family, candidate.path)
        return name
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    cid = "HeiseiKakuGo-W5" if heading else "HeiseiMin-W3"
    logger.warning("no TrueType Japanese font for %s; using %s, not embedded", family, cid)
    pdfmetrics.registerFont(UnicodeCIDFont(cid))
    return cid
