"""Characters of the symbol fonts (Symbol, Wingdings) as the Unicode characters they show.

Word stores 「挿入 → 記号と特殊文字」 from a symbol font as ``w:sym`` with
the font and a code (F0AE is Symbol's →), and a bullet list's marker as
such a code in the level text: without the font the code is an unassigned
private-use character. Symbol is Adobe's Symbol encoding, taken from
reportlab's codec (the editor already depends on reportlab for its PDF).
No installed package maps Wingdings, so the characters offices use as
marks (bullets, arrows, check marks, circled digits) are listed below.
"""

from __future__ import annotations

import codecs
import functools
from xml.etree.ElementTree import Element

from .writer import w

# Wingdings code → Unicode, from the font's glyph names as Alan Wood's
# Wingdings table gives them (alanwood.net/demos/wingdings.html), for the
# marks offices type. The wide-headed arrows DF–EE have no character of
# their own before Unicode 7's pictographs; the plain arrow reads the same.
WINGDINGS = {
    0x21: "✏",
    0x22: "✂",
    0x28: "☎",
    0x2A: "✉",
    0x36: "⌛",
    0x37: "⌨",
    0x3F: "✍",
    0x41: "✌",
    0x43: "👍",
    0x44: "👎",
    0x45: "☜",
    0x46: "☞",
    0x47: "☝",
    0x48: "☟",
    0x4A: "☺",
    0x4B: "😐",
    0x4C: "☹",
    0x4E: "☠",
    0x4F: "⚐",
    0x51: "✈",
    0x52: "☼",
    0x54: "❄",
    0x56: "✞",
    0x58: "✠",
    0x59: "✡",
    0x5A: "☪",
    0x5B: "☯",
    0x6C: "●",
    0x6D: "❍",
    0x6E: "■",
    0x6F: "□",
    0x70: "□",  # a bold white square: the white square is the nearest
    0x71: "❑",
    0x72: "❒",
    0x73: "⬧",
    0x74: "⧫",
    0x75: "◆",
    0x76: "❖",
    0x77: "⬥",
    0x78: "⌧",
    0x7B: "❀",
    0x7C: "✿",
    0x7D: "❝",
    0x7E: "❞",
    0x80: "⓪",
    **{0x81 + i: chr(0x2460 + i) for i in range(10)},  # ①…⑩
    0x8B: "⓿",
    **{0x8C + i: chr(0x2776 + i) for i in range(10)},  # ❶…❿
    0x9E: "·",
    0x9F: "•",
    0xA0: "▪",
    0xA1: "○",
    0xA2: "⭕",
    0xA4: "◉",
    0xA5: "◎",
    0xA7: "▪",
    0xA8: "◻",
    0xAA: "✦",
    0xAB: "★",
    0xAC: "✶",
    0xAD: "✴",
    0xAE: "✹",
    0xAF: "✵",
    0xB1: "⌖",
    0xB5: "✪",
    0xB6: "✰",
    0xD5: "⌫",
    0xD6: "⌦",
    0xD8: "➢",
    0xDC: "➲",
    0xDF: "←",
    0xE0: "→",
    0xE1: "↑",
    0xE2: "↓",
    0xE3: "↖",
    0xE4: "↗",
    0xE5: "↙",
    0xE6: "↘",
    0xE7: "←",
    0xE8: "➔",
    0xE9: "↑",
    0xEA: "↓",
    0xEB: "↖",
    0xEC: "↗",
    0xED: "↙",
    0xEE: "↘",
    0xEF: "⇦",
    0xF0: "⇨",
    0xF1: "⇧",
    0xF2: "⇩",
    0xF3: "⬄",
    0xF4: "⇳",
    0xF5: "⬀",
    0xF6: "⬁",
    0xF7: "⬃",
    0xF8: "⬂",
    0xF9: "▭",
    0xFA: "▫",
    0xFB: "✗",
    0xFC: "✓",
    0xFD: "☒",
    0xFE: "☑",
}

SYMBOL_FONTS = ("symbol", "wingdings")


@functools.cache
def _symbol_codec() -> codecs.CodecInfo:
    from reportlab.pdfbase.rl_codecs import RL_Codecs

    RL_Codecs.register()  # reportlab's codecs, which its own PDF code registers too
    return codecs.lookup("symbol")


def _font_key(font: str) -> str:
    return font.strip().lower()


def char(font: str, code: int) -> str | None:
    """The character ``code`` shows in ``font``; None when it is not known.

    ``code`` is Word's: F000 plus the font's own code, or the code alone.
    """
    key = _font_key(font)
    low = code - 0xF000 if 0xF000 <= code <= 0xF0FF else code
    if key == "symbol" and 0x20 <= low <= 0xFF:
        try:
            text = _symbol_codec().decode(bytes([low]))[0]
        except UnicodeDecodeError:
            return None
        return text if text != "\ufffd" else None
    if key == "wingdings":
        return " " if low == 0x20 else WINGDINGS.get(low)
    if 0xE000 <= code <= 0xF8FF:
        return None  # another font's private character: nothing a reader could show
    return chr(code) if 0 < code < 0x110000 else None


def run_font(rpr: Element | None) -> str:
    """The symbol font a run's properties set (Symbol, Wingdings), or ""."""
    if rpr is None:
        return ""
    fonts = rpr.find(w("rFonts"))
    if fonts is None:
        return ""
    # The fonts Word uses for Latin text; the complex-script font (w:cs) is
    # for Arabic and the like, never what a symbol code is shown in.
    for attribute in ("ascii", "hAnsi"):
        name = fonts.get(w(attribute), "")
        if _font_key(name) in SYMBOL_FONTS:
            return name
    return ""


def font_text(text: str, font: str) -> tuple[str, list[int]]:
    """Text set in a symbol font as the characters it shows, and the codes it could not map."""
    out = []
    unknown = []
    for ch in text:
        code = ord(ch)
        if 0x20 <= code <= 0xFF or 0xF020 <= code <= 0xF0FF:
            shown = char(font, code)
            if shown is None:
                unknown.append(code)
            else:
                out.append(shown)
        else:
            out.append(ch)
    return "".join(out), unknown
