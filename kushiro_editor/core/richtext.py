"""The report's rich-text subset: paragraphs, bold, 「・」 list items, line breaks.

Every formatted field of the report is stored as canonical HTML of this subset::

    <p>text <b>bold</b><br>next line</p><ul><li>・item</li></ul>

Anything else (fonts, colours, links, tables, images, scripts) is sanitised
away here, so that the store, the exporters and the editor all see one form.
The parsed form (a tuple of :class:`Block`) is what the writers walk.
"""

from __future__ import annotations

import html
import logging
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from html.parser import HTMLParser

logger = logging.getLogger(__name__)

# Characters that XML 1.0 (and so .docx/.xlsx) cannot hold, C1 controls, and
# invisible characters that only ever cause "identical-looking but different"
# texts. Tabs become spaces: a tab inside a table cell means nothing here.
_FORBIDDEN = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff"
    "\u200b\u2060\ufeff\u202a-\u202e\u2066-\u2069]"
)
_CJK = re.compile(r"[\u3000-\u30ff\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]")


def clean_text(text: str) -> str:
    """Remove characters the office formats forbid; unify line endings."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    return _FORBIDDEN.sub("", text)


@dataclass(frozen=True, slots=True)
class Run:
    """A piece of text with one weight; ``\\n`` inside it is a line break."""

    text: str
    bold: bool = False


@dataclass(frozen=True, slots=True)
class Block:
    """A paragraph (``tag='p'``) or a list item (``tag='li'``): the tag it is written with."""

    tag: str
    runs: tuple[Run, ...]

    @property
    def text(self) -> str:
        """The block's plain text, line breaks as ``\\n``."""
        return "".join(run.text for run in self.runs)


_BLOCK_TAGS = frozenset(
    {
        "p",
        "div",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "blockquote",
        "pre",
        "tr",
        "table",
        "section",
        "article",
        "header",
        "footer",
        "dd",
        "dt",
        "center",
        "address",
    }
)
_CELL_TAGS = frozenset({"td", "th"})
_DROP_CONTENT = frozenset(
    {
        "script",
        "style",
        "head",
        "title",
        "template",
        "object",
        "iframe",
        "noscript",
        "svg",
        "math",
        "xml",
    }
)
_BOLD_TAGS = frozenset({"b", "strong", "h1", "h2", "h3", "h4", "h5", "h6", "th"})
_VOID = frozenset({"br", "img", "hr", "meta", "link", "input", "col", "area", "base", "wbr"})
_WEIGHT = re.compile(r"font-weight\s*:\s*(bold|bolder|[6-9]00)", re.I)
_WEIGHT_NORMAL = re.compile(r"font-weight\s*:\s*(normal|lighter|[1-5]00)", re.I)


class _Sanitiser(HTMLParser):
    """Walks arbitrary HTML and collects blocks of the subset."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[Block] = []
        self._tag: str | None = None  # open block's tag
        self._runs: list[Run] = []
        self._bold: list[bool] = []  # stack of bold states per open element
        self._stack: list[str] = []
        self._drop = 0

    # -- helpers ---------------------------------------------------------
    def _bold_now(self) -> bool:
        return bool(self._bold) and self._bold[-1]

    def _flush(self) -> None:
        if self._tag is not None or self._runs:
            self.blocks.append(Block(self._tag or "p", tuple(self._runs)))
        self._tag = None
        self._runs = []

    def _add(self, text: str) -> None:
        if not text:
            return
        if self._tag is None:
            if not text.strip(" \n"):
                return  # whitespace between blocks
            self._tag = "p"
        self._runs.append(Run(text, self._bold_now()))

    # -- HTMLParser ------------------------------------------------------
    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _DROP_CONTENT:
            self._drop += 1
            if tag not in _VOID:
                self._stack.append(tag)
            return
        if self._drop:
            if tag not in _VOID:
                self._stack.append(tag)
            return
        if tag == "br":
            self._add("\n")
            return
        if tag in _VOID:
            return
        style = dict(attrs).get("style") or ""
        bold = self._bold_now()
        if tag in _BOLD_TAGS or _WEIGHT.search(style):
            bold = True
        elif _WEIGHT_NORMAL.search(style):
            bold = False
        if tag == "li" or (tag in _BLOCK_TAGS and "mso-list" in style):
            self._flush()
            self._tag = "li"
        elif tag in _BLOCK_TAGS:
            if self._tag == "li" and not self._runs:
                pass  # <li><p>…</p></li>: the paragraph is the list item
            else:
                self._flush()
                if tag not in ("tr", "table"):
                    self._tag = "p"
        elif tag in _CELL_TAGS and self._runs:
            self._add(" ")
        self._stack.append(tag)
        self._bold.append(bold)

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID or tag not in self._stack:
            return
        # Close everything up to the matching tag (tolerates bad nesting).
        while self._stack:
            top = self._stack.pop()
            if top in _DROP_CONTENT:
                self._drop -= 1
            elif not self._drop:
                self._bold.pop()
                if top in _BLOCK_TAGS or top == "li":
                    self._flush()
            if top == tag:
                break

    def handle_data(self, data: str) -> None:
        if self._drop:
            return
        self._add(_collapse_source_breaks(data).replace("\xa0", " "))

    def close(self) -> None:
        super().close()
        self._flush()


def _collapse_source_breaks(text: str) -> str:
    """Turn HTML source line breaks into what a reader sees.

    A break between two CJK characters is dropped (Japanese has no word
    spaces, and Word wraps its clipboard HTML mid-sentence); elsewhere it
    is a space.
    """
    if "\n" not in text and "\r" not in text:
        return text

    def repl(m: re.Match[str]) -> str:
        before = text[m.start() - 1] if m.start() > 0 else ""
        after = text[m.end()] if m.end() < len(text) else ""
        if _CJK.match(before) and _CJK.match(after):
            return ""
        return " "

    return re.sub(r"[ \t]*[\r\n]+[ \t]*", repl, text)


def _normalise_runs(runs: tuple[Run, ...] | list[Run]) -> tuple[Run, ...]:
    """Clean text, merge neighbours of equal weight, trim the block's ends."""
    pieces: list[Run] = []
    for run in runs:
        text = clean_text(run.text)
        if not text:
            continue
        if not run.bold:
            pieces.append(Run(text))
            continue
        # Line breaks and blank stretches never carry weight, so that
        # "<b>a<br>b</b>" and "<b>a</b><br><b>b</b>" have one canonical form.
        for part in re.split(r"(\s*\n\s*)", text):
            if part:
                pieces.append(Run(part, bool(part.strip())))
    merged: list[Run] = []
    for run in pieces:
        if merged and merged[-1].bold == run.bold:
            merged[-1] = Run(merged[-1].text + run.text, run.bold)
        else:
            merged.append(run)
    # Trim ASCII spaces and line breaks at both ends (U+3000 is kept: it is
    # a deliberate indent in Japanese text).
    while merged:
        stripped = merged[0].text.lstrip(" \n")
        if stripped:
            merged[0] = Run(stripped, merged[0].bold)
            break
        merged.pop(0)
    while merged:
        stripped = merged[-1].text.rstrip(" \n")
        if stripped:
            merged[-1] = Run(stripped, merged[-1].bold)
            break
        merged.pop()
    return tuple(merged)


def normalise_blocks(blocks: list[Block] | tuple[Block, ...]) -> tuple[Block, ...]:
    """The canonical form of a list of blocks: no empty blocks, merged runs."""
    out = []
    for block in blocks:
        runs = _normalise_runs(block.runs)
        if runs:
            out.append(Block("li" if block.tag == "li" else "p", runs))
    return tuple(out)


# The stored form: only the subset's tags, escaped text, no raw line breaks.
_CANONICAL = re.compile(
    r"(?:<p>(?:[^<>&\r\n]|&(?:lt|gt|amp);|<b>|</b>|<br>)*</p>|<ul>(?:<li>"
    r"(?:[^<>&\r\n]|&(?:lt|gt|amp);|<b>|</b>|<br>)*</li>)+</ul>)+"
)
_CANONICAL_TOKEN = re.compile(r"<(/?)(p|li|b|br|ul)>|([^<]+)")
_ENTITIES = {"&lt;": "<", "&gt;": ">", "&amp;": "&"}


def _unescape(text: str) -> str:
    return re.sub(r"&(?:lt|gt|amp);", lambda m: _ENTITIES[m.group()], text) if "&" in text else text


@lru_cache(maxsize=16384)
def _parse_canonical(markup: str) -> tuple[Block, ...]:
    """The stored form, read without an HTML parser (it is what the store holds)."""
    blocks: list[Block] = []
    runs: list[Run] = []
    current = "p"
    bold = False
    for match in _CANONICAL_TOKEN.finditer(markup):
        closing, tag, text = match.groups()
        if text is not None:
            runs.append(Run(_unescape(text), bold))
        elif tag == "br":
            runs.append(Run("\n"))
        elif tag == "b":
            bold = not closing
        elif tag in ("p", "li"):
            if closing:
                blocks.append(Block(current, tuple(runs)))
                runs = []
            else:
                current = tag
    return normalise_blocks(blocks)


def slice_runs(runs: tuple[Run, ...], start: int, end: int | None = None) -> tuple[Run, ...]:
    """The runs' characters from ``start`` to ``end``, each keeping its weight."""
    out, position = [], 0
    for run in runs:
        stop = position + len(run.text) if end is None else min(end, position + len(run.text))
        a = max(start, position)
        if a < stop:
            out.append(Run(run.text[a - position : stop - position], run.bold))
        position += len(run.text)
    return tuple(out)


def parse(markup: str) -> tuple[Block, ...]:
    """Parse any HTML (or plain text) into canonical blocks of the subset."""
    if not markup:
        return ()
    if _CANONICAL.fullmatch(markup):
        return _parse_canonical(markup)
    parser = _Sanitiser()
    parser.feed(markup)
    parser.close()
    return normalise_blocks(parser.blocks)


def _escape(text: str) -> str:
    return html.escape(text, quote=False).replace("\n", "<br>")


def serialise(blocks: tuple[Block, ...] | list[Block]) -> str:
    """Write blocks as canonical HTML (the stored form)."""
    parts: list[str] = []
    in_list = False
    for block in normalise_blocks(blocks):
        if block.tag == "li" and not in_list:
            parts.append("<ul>")
            in_list = True
        elif block.tag != "li" and in_list:
            parts.append("</ul>")
            in_list = False
        inner = "".join(
            f"<b>{_escape(run.text)}</b>" if run.bold else _escape(run.text) for run in block.runs
        )
        parts.append(f"<li>{inner}</li>" if block.tag == "li" else f"<p>{inner}</p>")
    if in_list:
        parts.append("</ul>")
    return "".join(parts)


def sanitise(markup: str) -> str:
    """Any HTML in, canonical HTML of the subset out."""
    return serialise(parse(markup))


def to_plain(markup: str) -> str:
    """Plain text: one line per paragraph, list item and line break."""
    return "\n".join(block.text for block in parse(markup))


def blocks_to_plain(blocks: tuple[Block, ...]) -> str:
    """Plain text of already parsed blocks."""
    return "\n".join(block.text for block in blocks)


def char_count(markup: str) -> int:
    """Characters a reader counts: everything but line breaks."""
    return sum(len(block.text.replace("\n", "")) for block in parse(markup))


def from_plain(text: str, *, bullets_as_list: bool = True) -> str:
    """Plain text in: each line a paragraph, 「・」 lines list items."""
    blocks = []
    for line in clean_text(text).split("\n"):
        tag = "li" if bullets_as_list and line.lstrip(" \u3000").startswith("・") else "p"
        blocks.append(Block(tag, (Run(line),)))
    return serialise(blocks)


def paragraph(text: str, *, bold: bool = False) -> str:
    """One paragraph of literal text (line breaks kept)."""
    return serialise([Block("p", (Run(text, bold),))])


def normalise_width(text: str) -> str:
    """Fold 全角/半角 variants (ＡＢＣ１２３ → ABC123, ｶﾅ → カナ) for matching."""
    return unicodedata.normalize("NFKC", text)
