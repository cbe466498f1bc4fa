"""A Japanese morphological analyser for the notation rules and the tense check.

SudachiPy with its small dictionary: the words of a text with their part of
speech, conjugation and normalised spelling (取組み, 取り組み → 取り組み). It is
imported on the first call only, so that starting the editor or importing
``kushiro_editor.core`` does not load it; :func:`available` says whether it is
installed (the review falls back to its sentence-ending patterns when not).

Where the dictionary is, the program decides: :func:`use_dictionary_finder`
takes a function giving a dictionary file (the one-folder build unpacks its
packed copy on first use) or None for the installed ``sudachidict_small``.
A dictionary that cannot be loaded makes the analyser missing, as if it were
not installed: the details go to the log.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from functools import lru_cache
from os import PathLike
from typing import NamedTuple

logger = logging.getLogger(__name__)

PAST = "past"
PLAN = "plan"

# Sudachi refuses very long inputs; report texts are split into lines first,
# and a line longer than this is analysed in pieces.
_MAX_CHARS = 4000

_lock = threading.Lock()
_tokenizer = None
_missing = False
_finder: Callable[[], str | PathLike[str] | None] | None = None
_when_missing: Callable[[], None] | None = None


class Token(NamedTuple):
    """One word of a text: where it is, and what the dictionary says of it."""

    start: int
    end: int
    surface: str
    pos: str  # 名詞, 動詞, 助動詞, 接続詞 …
    pos_detail: str  # 普通名詞, 非自立可能 …
    conjugation: str  # 終止形-一般, 連用形-促音便 … ("*" when it does not conjugate)
    lemma: str  # the dictionary form: 為る, 行く, た
    normalized: str  # the standard spelling: 取り組み, 及び, 子供
    # The conjugation class (五段-カ行, 下一段-マ行, サ行変格 …, "*" when none) and
    # the noun class (サ変可能 …): the past-tense drafts conjugate from them.
    conjugation_type: str = "*"
    pos_class: str = "*"


def use_dictionary_finder(finder: Callable[[], str | PathLike[str] | None] | None) -> None:
    """Where the dictionary comes from: ``finder()`` gives a .dic file, None the installed one.

    The entry points set it before any check runs; a new finder drops the
    analyser loaded (or found missing) before, and takes effect on the next use.
    """
    global _finder, _tokenizer, _missing  # noqa: PLW0603 - one analyser per process
    with _lock:
        if finder is _finder:
            return  # the command line's tests run main() many times in one process
        _finder = finder
        _tokenizer = None
        _missing = False
    _line_tokens.cache_clear()


def when_missing(callback: Callable[[], None] | None) -> None:
    """Call ``callback`` once the analyser turns out missing (from the thread that tried)."""
    global _when_missing  # noqa: PLW0603 - one listener: the window that shows the note
    with _lock:
        _when_missing = callback
        missing = _missing
    if missing and callback is not None:
        _tell(callback)


def _tell(callback: Callable[[], None]) -> None:
    try:
        callback()
    except Exception:  # a window closed meanwhile must not take the check down
        logger.exception("telling that the analyser is missing failed")


def is_missing() -> bool:
    """Whether loading the analyser was tried in this process and failed."""
    return _missing


def _load():
    """The tokenizer, created once (thread-safe: the window checks in the background)."""
    global _tokenizer, _missing  # noqa: PLW0603 - one analyser per process, made on first use
    with _lock:
        if _tokenizer is None and not _missing:
            _tokenizer = _create()
            _missing = _tokenizer is None
            callback = _when_missing if _missing else None
        else:
            callback = None
        tokenizer = _tokenizer
    if callback is not None:
        _tell(callback)
    return tokenizer


def _create():
    """A new tokenizer, or None (logged) when SudachiPy or its dictionary is unusable."""
    try:
        from sudachipy import Dictionary, SplitMode
    except ImportError:
        logger.warning("SudachiPy is not installed: notation and tense checks degrade")
        return None
    try:
        path = _finder() if _finder is not None else None
        dictionary = Dictionary(dict=str(path) if path else "small")
        maker = getattr(dictionary, "tokenizer", None)
        tokenizer = maker(mode=SplitMode.C) if maker else dictionary.create(SplitMode.C)
    except Exception:  # any failure of the dictionary: the checks go on without it
        logger.warning(
            "the Japanese analyser's dictionary could not be loaded: notation and tense checks"
            " degrade",
            exc_info=True,
        )
        return None
    logger.info("loaded the Japanese analyser (SudachiPy, dictionary %s)", path or "small")
    return tokenizer


def forget() -> None:
    """Drop the analysed lines kept in memory (the benchmark measures without them)."""
    _line_tokens.cache_clear()


def available() -> bool:
    """Whether the analyser can be used (loads it)."""
    return _load() is not None


def is_loaded() -> bool:
    """Whether the analyser was loaded already in this process."""
    return _tokenizer is not None


def tokens(text: str) -> tuple[Token, ...]:
    """The words of a text (offsets into ``text``); empty when the analyser is missing."""
    if not text or _load() is None:
        return ()
    out: list[Token] = []
    for start, line in _pieces(text):
        if start == 0:
            out.extend(_line_tokens(line))
        else:
            out.extend(
                t._replace(start=start + t.start, end=start + t.end) for t in _line_tokens(line)
            )
    return tuple(out)


def _pieces(text: str) -> list[tuple[int, str]]:
    """Lines of a text with their offsets; a very long line in fixed-size pieces."""
    pieces, position = [], 0
    for line in text.split("\n"):
        for offset in range(0, max(len(line), 1), _MAX_CHARS):
            piece = line[offset : offset + _MAX_CHARS]
            if piece.strip():
                pieces.append((position + offset, piece))
        position += len(line) + 1
    return pieces


@lru_cache(maxsize=4096)
def _line_tokens(line: str) -> tuple[Token, ...]:
    # Cached per line: the review and the notation check read the same texts
    # again and again while the office edits one of them.
    with _lock:
        morphemes = list(_tokenizer.tokenize(line))
    out = []
    for m in morphemes:
        surface = m.surface()
        if not surface.strip():
            continue
        pos = m.part_of_speech()
        out.append(
            Token(
                m.begin(),
                m.end(),
                surface,
                pos[0],
                pos[1],
                pos[5],
                m.dictionary_form(),
                m.normalized_form(),
                pos[4],
                pos[2],
            )
        )
    return tuple(out)


# -- the tense of a sentence -----------------------------------------------------------
# Nouns a plan ends with (〜予定。〜予定である。).
_PLAN_NOUNS = frozenset({"予定", "計画", "見込み", "見込", "方針", "方向", "考え", "つもり"})
# Verbs that, after て, make a state (〜ている, 〜てある, 〜ておる) rather than an act.
_STATE_AUXILIARIES = frozenset({"居る", "有る", "おる", "いる", "ある"})
# Verbs of judging: 〜と考えられる。〜と思われる。 state a view, not a plan.
_JUDGING = frozenset({"考える", "思う", "見る", "言う", "推測", "推察", "見込む"})
_PUNCTUATION = frozenset({"補助記号", "空白"})
_TAIL = 24


def tense(sentence: str) -> str | None:
    """PAST (〜した), PLAN (〜する, 〜します, 〜予定) or None (体言止め, a state, a view)."""
    # Only the end decides, and the analyser reads it the same from a few words
    # before: the tail alone keeps the check fast on long sentences.
    sentence = sentence.rsplit("\n", maxsplit=1)[-1]
    cut = _without_closing_note(sentence)
    words = [t for t in tokens(cut[-_TAIL:]) if t.pos not in _PUNCTUATION]
    if len(cut) > _TAIL:
        words = words[1:]  # the first word may be cut in two
    if not words:
        return None
    last = words[-1]
    before = words[-2] if len(words) > 1 else None
    if last.pos == "助動詞":
        if last.normalized == "た":
            return PAST
        if last.normalized in ("ます", "う", "よう", "たい", "まい"):
            return PLAN
        if last.normalized in ("だ", "です") and before is not None:
            # 〜予定である。〜予定です。: the noun before the copula decides.
            return PLAN if _is_plan_noun(before) else None
        if last.normalized in ("れる", "られる") and before is not None:
            return None if before.lemma in _JUDGING else PLAN
        return None
    if last.pos == "動詞":
        if not last.conjugation.startswith(("終止形", "連体形")):
            return None
        if last.lemma in ("有る", "ある"):
            # 〜である / 〜にある / 〜がある: a state or a copula; 〜予定である is a plan.
            noun = words[-3] if len(words) > 2 and before and before.normalized == "だ" else None
            return PLAN if noun is not None and _is_plan_noun(noun) else None
        if (
            last.lemma in _STATE_AUXILIARIES
            and before is not None
            and before.surface in ("て", "で")
        ):
            return None
        if last.lemma in ("居る", "いる") or last.lemma in ("分かる", "わかる"):
            return None
        return PLAN
    if last.pos == "名詞" and _is_plan_noun(last):
        return PLAN
    return None


def _is_plan_noun(token: Token) -> bool:
    return token.surface in _PLAN_NOUNS or token.normalized in _PLAN_NOUNS


def _without_closing_note(sentence: str) -> str:
    """The sentence without a bracketed note at its very end: 実施した(市有林管理事業)。"""
    stripped = sentence.rstrip(" \u3000。．.")
    if not stripped.endswith((")", "）")):
        return stripped
    depth = 0
    for index in range(len(stripped) - 1, -1, -1):
        char = stripped[index]
        if char in ")）":
            depth += 1
        elif char in "(（":
            depth -= 1
            if depth == 0:
                return stripped[:index]
    return stripped
