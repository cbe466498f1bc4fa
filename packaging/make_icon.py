"""Draw the editor's icon and write it as the PNG the window uses and the ICO the EXE embeds.

Run from the project folder when the design changes; both files are committed:

    uv run --group package python packaging/make_icon.py

Qt draws each size on its own (a 16-pixel icon drawn at 16 pixels stays sharp,
where one scaled down from 256 would blur); Pillow packs them into one .ico,
which Qt's own ICO writer cannot do (it writes a single size).
"""

from __future__ import annotations

import io
import logging
import os
import sys
from pathlib import Path

logger = logging.getLogger(__name__)

HERE = Path(__file__).resolve().parent
PNG_PATH = HERE.parent / "resources" / "icons" / "kushiro-editor.png"
ICO_PATH = HERE / "icons" / "kushiro-editor.ico"
# Windows picks from these for the taskbar, the Start menu, Explorer and the installer.
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
# The character is drawn only where it can be read; below this a plain mark stands in.
SMALLEST_GLYPH = 24
FONTS = ("Noto Sans CJK JP", "IPAGothic", "Yu Gothic UI", "Meiryo")
NAVY = "#1f4e79"
ORANGE = "#f0a030"


def draw(size: int):
    """The icon at ``size`` × ``size`` pixels as a QImage."""
    from PySide6.QtCore import QRectF, Qt
    from PySide6.QtGui import QColor, QFont, QFontDatabase, QImage, QPainter

    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    margin = max(1.0, size / 32)
    box = QRectF(margin, margin, size - 2 * margin, size - 2 * margin)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(NAVY))
    painter.drawRoundedRect(box, size / 6, size / 6)
    # A table's ruled band under the character: the report is one wide table.
    band = QRectF(box.left() + size / 8, box.bottom() - size / 4, box.width() - size / 4, size / 9)
    painter.setBrush(QColor(ORANGE))
    painter.drawRect(band)
    if size >= SMALLEST_GLYPH:
        families = set(QFontDatabase.families())
        family = next((f for f in FONTS if f in families), None)
        if family is None:
            raise SystemExit(f"日本語のフォントがありません: {', '.join(FONTS)}")
        font = QFont(family)
        font.setPixelSize(round(size * 0.56))
        font.setWeight(QFont.Weight.Bold)
        painter.setFont(font)
        painter.setPen(QColor("white"))
        text_box = QRectF(box.left(), box.top(), box.width(), band.top() - box.top())
        painter.drawText(text_box, Qt.AlignmentFlag.AlignCenter, "釧")
    painter.end()
    return image


def to_pillow(image):
    """A QImage as a Pillow image (through PNG bytes, which both read and write)."""
    from PIL import Image
    from PySide6.QtCore import QBuffer, QIODevice

    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return Image.open(io.BytesIO(bytes(buffer.data()))).copy()


def main() -> int:
    """Write the PNG and the ICO next to this script."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    PNG_PATH.parent.mkdir(parents=True, exist_ok=True)
    images = {size: to_pillow(draw(size)) for size in ICO_SIZES}
    images[256].save(PNG_PATH)
    largest = images[ICO_SIZES[-1]]
    largest.save(
        ICO_PATH,
        format="ICO",
        sizes=[(size, size) for size in ICO_SIZES],
        append_images=[images[size] for size in ICO_SIZES[:-1]],
    )
    del app
    print(f"{PNG_PATH.name} と {ICO_PATH.name} を書きました")
    return 0


if __name__ == "__main__":
    sys.exit(main())
