"""Word's automatic paragraph numbering, rendered as Word shows it.

A numbered paragraph (``w:numPr`` in its own properties or its style's)
stores no number: Word counts it from ``word/numbering.xml`` when it lays
the page out. Offices number 【基本目標1】, ①, ア and 「・」 that way, and
the table reader recognises those only as text, so each paragraph's number
is worked out here, in document order, and put before its text.
"""

from __future__ import annotations

import logging
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from xml.etree.ElementTree import Element

from . import symbols
from .writer import w

logger = logging.getLogger(__name__)

MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
LEVELS = 9  # ilvl 0–8
_MAX_LINKS = 8  # numStyleLink and basedOn chains followed at most this far

_FULL_DIGITS = str.maketrans("0123456789", "０１２３４５６７８９")
_AIUEO = (
    "アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワヲン"
)
_IROHA = (
    "イロハニホヘトチリヌルヲワカヨタレソツネナラムウヰノオクヤマケフコエテアサキユメミシヱヒモセス"
)
_KANJI_DIGITS = "〇一二三四五六七八九"
_LEGAL_DIGITS = "〇壱弐参四伍六七八九"
_TEN_STEMS = "甲乙丙丁戊己庚辛壬癸"
_ZODIAC = "子丑寅卯辰巳午未申酉戌亥"
# Half-width katakana for the half-width formats: NFKC folds them into the
# full-width letters, so the table is that folding read backwards.
_HALF_KANA = {
    unicodedata.normalize("NFKC", chr(c)): chr(c)
    for c in range(0xFF66, 0xFF9E)
    if len(unicodedata.normalize("NFKC", chr(c))) == 1
}


def _roman(n: int) -> str:
    if not 0 < n < 4000:
        return str(n)
    out = []
    for value, letters in (
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ):
        count, n = divmod(n, value)
        out.append(letters * count)
    return "".join(out)


def _letter(n: int) -> str:
    # Word's A…Z, then AA…ZZ, AAA…: the letter repeated, not a base-26 number.
    if n <= 0:
        return str(n)
    return chr(ord("A") + (n - 1) % 26) * ((n - 1) // 26 + 1)


def _counting(n: int, digits: str = _KANJI_DIGITS) -> str:
    """一, 十一, 二十三, 百五: kanji numerals as written in words (Word's japaneseCounting)."""
    if n <= 0 or n >= 100_000:
        return str(n)
    out = []
    for value, unit in ((10_000, "万"), (1000, "千"), (100, "百"), (10, "十")):
        count, n = divmod(n, value)
        if count:
            # 十, 百 and 千 alone say one of them; 万 is always counted (一万).
            out.append(("" if count == 1 and unit != "万" else digits[count]) + unit)
    if n:
        out.append(digits[n])
    return "".join(out)


def _digital(n: int, digits: str = _KANJI_DIGITS) -> str:
    """一〇, 二三: each decimal digit as a kanji (Word's japaneseDigitalTenThousand)."""
    return "".join(digits[int(d)] for d in str(n)) if n >= 0 else str(n)


def _circled(n: int) -> str:
    if 1 <= n <= 20:
        return chr(0x2460 + n - 1)  # ①…⑳
    if 21 <= n <= 35:
        return chr(0x3251 + n - 21)  # ㉑…㉟
    if 36 <= n <= 50:
        return chr(0x32B1 + n - 36)  # ㊱…㊿
    return str(n)  # Word too goes on in plain digits


def _cyclic(letters: str) -> Callable[[int], str]:
    return lambda n: letters[(n - 1) % len(letters)] if n > 0 else str(n)


def _half(letters: str) -> Callable[[int], str]:
    full = _cyclic(letters)
    return lambda n: _HALF_KANA.get(full(n), full(n))


FORMATS: dict[str, Callable[[int], str]] = {
    "decimal": str,
    "decimalHalfWidth": str,
    "decimalZero": lambda n: f"{n:02d}",
    "decimalFullWidth": lambda n: str(n).translate(_FULL_DIGITS),
    "decimalFullWidth2": lambda n: str(n).translate(_FULL_DIGITS),
    "decimalEnclosedCircle": _circled,
    "decimalEnclosedCircleChinese": _circled,
    "decimalEnclosedFullstop": lambda n: chr(0x2488 + n - 1) if 1 <= n <= 20 else f"{n}.",
    "decimalEnclosedParen": lambda n: chr(0x2474 + n - 1) if 1 <= n <= 20 else f"({n})",
    "aiueoFullWidth": _cyclic(_AIUEO),
    "aiueo": _half(_AIUEO),
    "irohaFullWidth": _cyclic(_IROHA),
    "iroha": _half(_IROHA),
    "japaneseCounting": _counting,
    "chineseCounting": _counting,
    "chineseCountingThousand": _counting,
    "taiwaneseCounting": _counting,
    "taiwaneseCountingThousand": _counting,
    "japaneseLegal": lambda n: _counting(n, _LEGAL_DIGITS),
    "japaneseDigitalTenThousand": _digital,
    "ideographDigital": _digital,
    "taiwaneseDigital": _digital,
    "ideographTraditional": _cyclic(_TEN_STEMS),
    "ideographZodiac": _cyclic(_ZODIAC),
    "upperLetter": _letter,
    "lowerLetter": lambda n: _letter(n).lower(),
    "upperRoman": _roman,
    "lowerRoman": lambda n: _roman(n).lower(),
    "none": lambda _n: "",
}


@dataclass(frozen=True)
class Level:
    """One level of a list: how its number is counted and written."""

    start: int = 0  # the spec's default when w:start is left out
    fmt: str = "decimal"
    text: str = "%1."
    restart: int | None = None  # w:lvlRestart: None restarts after any level above
    legal: bool = False  # w:isLgl: the levels above in plain digits
    suffix: str = "tab"
    bold: bool | None = None  # the number's own w:b, if the level sets one
    style: str = ""  # w:pStyle: the paragraph style this level belongs to


@dataclass(frozen=True)
class Label:
    """A paragraph's rendered number or bullet."""

    text: str
    bullet: bool
    bold: bool | None


def _val(element: Element | None, default: str = "") -> str:
    return element.get(w("val"), default) if element is not None else default


def _int(element: Element | None, default: int | None) -> int | None:
    try:
        return int(_val(element))
    except ValueError:
        return default


def _num_fmt(lvl: Element) -> Element | None:
    """The level's w:numFmt, or the Fallback's when Word 2010 wrapped it for a custom one."""
    found = lvl.find(w("numFmt"))
    if found is None:
        for fallback in lvl.iter(f"{{{MC}}}Fallback"):
            found = fallback.find(w("numFmt"))
            if found is not None:
                break
    return found


def _level(lvl: Element) -> Level:
    text = lvl.find(w("lvlText"))
    rpr = lvl.find(w("rPr"))
    bold = None
    if rpr is not None and rpr.find(w("b")) is not None:
        bold = _val(rpr.find(w("b")), "true") not in ("0", "false", "off")
    font = symbols.run_font(rpr)
    level_text = text.get(w("val"), "") if text is not None else "%1."
    return Level(
        start=_int(lvl.find(w("start")), 0) or 0,
        fmt=_val(_num_fmt(lvl), "decimal"),
        text=symbols.font_text(level_text, font)[0] if font else level_text,
        restart=_int(lvl.find(w("lvlRestart")), None),
        legal=lvl.find(w("isLgl")) is not None
        and _val(lvl.find(w("isLgl")), "true") not in ("0", "false", "off"),
        suffix=_val(lvl.find(w("suff")), "tab"),
        bold=bold,
        style=_val(lvl.find(w("pStyle"))),
    )


def _levels(parent: Element) -> dict[int, Level]:
    out = {}
    for lvl in parent.findall(w("lvl")):
        ilvl = _int_attr(lvl, "ilvl")
        if ilvl is not None and 0 <= ilvl < LEVELS:
            out[ilvl] = _level(lvl)
    return out


def _int_attr(element: Element, name: str) -> int | None:
    try:
        return int(element.get(w(name), ""))
    except ValueError:
        return None


class Numbering:
    """The lists of one document part, counted as its paragraphs come."""

    def __init__(self, numbering: Element | None, styles: Element | None) -> None:
        self.abstract: dict[str, Element] = {}
        self.nums: dict[str, Element] = {}
        if numbering is not None:
            for element in numbering.findall(w("abstractNum")):
                self.abstract[element.get(w("abstractNumId"), "")] = element
            for element in numbering.findall(w("num")):
                self.nums[element.get(w("numId"), "")] = element
        # Style id → (its pPr's numId, its ilvl or None), basedOn followed.
        self.style_numbers: dict[str, tuple[str | None, int | None]] = {}
        if styles is not None:
            self._read_styles(styles)
        self._cache: dict[str, dict[int, Level]] = {}
        self.counters: dict[str, list[int | None]] = {}
        self.used = False  # a paragraph was given a number

    def _read_styles(self, styles: Element) -> None:
        own: dict[str, tuple[str | None, int | None, str]] = {}
        for style in styles.iter(w("style")):
            numpr = style.find(f"{w('pPr')}/{w('numPr')}")
            num_id = _val(numpr.find(w("numId")), None) if numpr is not None else None
            ilvl = _int(numpr.find(w("ilvl")), None) if numpr is not None else None
            own[style.get(w("styleId"), "")] = (num_id, ilvl, _val(style.find(w("basedOn"))))
        for style_id, (num_id, ilvl, based) in own.items():
            seen = 0
            while (num_id is None or ilvl is None) and based in own and seen < _MAX_LINKS:
                parent_num, parent_lvl, based = own[based]
                num_id = num_id if num_id is not None else parent_num
                ilvl = ilvl if ilvl is not None else parent_lvl
                seen += 1
            self.style_numbers[style_id] = (num_id, ilvl)

    def levels(self, num_id: str) -> dict[int, Level]:
        """The levels of a list instance: its abstract list's, with its overrides."""
        if num_id in self._cache:
            return self._cache[num_id]
        num = self.nums.get(num_id)
        levels: dict[int, Level] = {}
        if num is not None:
            abstract = self._abstract_of(num)
            if abstract is not None:
                levels = _levels(abstract)
            for override in num.findall(w("lvlOverride")):
                ilvl = _int_attr(override, "ilvl")
                if ilvl is None or not 0 <= ilvl < LEVELS:
                    continue
                whole = override.find(w("lvl"))
                if whole is not None:
                    levels[ilvl] = _level(whole)
                start = _int(override.find(w("startOverride")), None)
                if start is not None:
                    base = levels.get(ilvl, Level())
                    levels[ilvl] = Level(**{**base.__dict__, "start": start})
        self._cache[num_id] = levels
        return levels

    def _abstract_of(self, num: Element) -> Element | None:
        abstract = self.abstract.get(_val(num.find(w("abstractNumId"))))
        # A list defined by a list style: its abstractNum only names the style,
        # whose own numPr says which list really holds the levels.
        for _ in range(_MAX_LINKS):
            if abstract is None:
                return None
            link = _val(abstract.find(w("numStyleLink")))
            if not link:
                return abstract
            linked_num = self.style_numbers.get(link, (None, None))[0]
            target = self.nums.get(linked_num or "")
            if target is None:
                return abstract
            abstract = self.abstract.get(_val(target.find(w("abstractNumId"))))
        return abstract

    def label(self, ppr: Element | None, style_id: str) -> Label | None:
        """The number of the next paragraph with these properties, counted; None: not numbered."""
        numpr = ppr.find(w("numPr")) if ppr is not None else None
        style_num, style_lvl = self.style_numbers.get(style_id, (None, None))
        num_id = _val(numpr.find(w("numId")), None) if numpr is not None else None
        ilvl = _int(numpr.find(w("ilvl")), None) if numpr is not None else None
        num_id = num_id if num_id is not None else style_num
        if num_id is None or num_id == "0":  # numId 0 takes the numbering away
            return None
        levels = self.levels(num_id)
        if ilvl is None:
            ilvl = style_lvl
        if ilvl is None:
            # A level can name its paragraph style; else the list's first level.
            ilvl = next((i for i, lv in levels.items() if style_id and lv.style == style_id), 0)
        if not levels or not 0 <= ilvl < LEVELS:
            return None
        level = levels.get(ilvl)
        if level is None:
            return None
        counters = self.counters.setdefault(num_id, [None] * LEVELS)
        current = counters[ilvl]
        counters[ilvl] = level.start if current is None else current + 1
        for deeper in range(ilvl + 1, LEVELS):
            rule = levels[deeper].restart if deeper in levels else None
            if rule is not None and rule - 1 >= deeper:
                rule = None  # a level below itself: the spec says to ignore it
            # lvlRestart counts levels from 1: restart when a level up to it is used.
            if rule is None or (rule > 0 and ilvl < rule):
                counters[deeper] = None
        text = self._render(level, levels, counters, ilvl)
        self.used = True
        bullet = level.fmt == "bullet"
        if text and level.suffix != "nothing" and not bullet and _wants_space(text):
            text += " "
        return Label(text, bullet, level.bold)

    def _render(
        self, level: Level, levels: dict[int, Level], counters: list[int | None], ilvl: int
    ) -> str:
        if level.fmt == "bullet":
            return level.text
        out = []
        text = level.text
        index = 0
        while index < len(text):
            char = text[index]
            if char == "%" and index + 1 < len(text) and text[index + 1] in "123456789":
                which = int(text[index + 1]) - 1
                shown = levels.get(which, Level())
                value = counters[which]
                if value is None:
                    value = shown.start
                fmt = shown.fmt
                if level.legal and which != ilvl:
                    fmt = "decimal"
                out.append(FORMATS.get(fmt, str)(value) if fmt != "bullet" else shown.text)
                index += 2
                continue
            out.append(char)
            index += 1
        return "".join(out)


def _wants_space(text: str) -> bool:
    """Whether the tab or space after a number reads as a space in the text.

    After ア or 1. it does (「ア 施策名」 is how the table is typed); after a
    circled number or a closing bracket (①, 【基本目標1】, (1)), as after a
    bullet, the text follows at once, as offices type it.
    """
    last = text[-1]
    category = unicodedata.category(last)
    if category in ("So", "Sm", "Pe", "Pf", "Ps", "No", "Zs"):
        return False
    return not (category.startswith("P") and unicodedata.east_asian_width(last) in ("W", "F"))


def paragraphs(root: Element, choose: Callable[[Element], Element | None]) -> Iterator[Element]:
    """Every w:p under ``root`` in document order, one branch of each mc:AlternateContent.

    ``choose`` picks the branch the reader reads, so that the paragraphs of a
    text box stored twice (DrawingML and VML) are counted once.
    """
    alternate = f"{{{MC}}}AlternateContent"
    stack = [iter([root])]
    while stack:
        element = next(stack[-1], None)
        if element is None:
            stack.pop()
            continue
        if element.tag == alternate:
            branch = choose(element)
            if branch is not None:
                stack.append(iter([branch]))
            continue
        if element.tag == w("p"):
            yield element
        stack.append(iter(element))


def labels(
    root: Element, numbering: Numbering, style_of: Callable[[Element], str], choose
) -> dict[Element, Label]:
    """The label of each numbered paragraph under ``root``, counted in document order."""
    out: dict[Element, Label] = {}
    if not numbering.nums:
        return out
    for p in paragraphs(root, choose):
        ppr = p.find(w("pPr"))
        found = numbering.label(ppr, style_of(p))
        if found is not None:
            out[p] = found
    return out
