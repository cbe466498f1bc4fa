"""Past-tense drafts: each sentence's last predicate put in the past (実施する → 実施した).

The new year copies last year's 取組予定 into the 実績 drafts; this proposes the
past form of every sentence's final predicate from the analyser's conjugation
class (活用型) and form (活用形), with a small table of the 五段 rows — grammar,
not a list of words. A sentence it cannot judge (体言止め, 〜である after a
noun, a quotation at the end, a form it does not know) is left unchanged and
returned with a reason, so that a person rewrites it.

Texts are rich text: the change is made inside the runs of a block, the
replacement taking the weight of the run where it starts.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from kushiro_editor.core import analyser, richtext
from kushiro_editor.core.analyser import Token

logger = logging.getLogger(__name__)

# 五段 rows: the 連用形 (音便) ending of the past and the past auxiliary's form.
_GODAN = {
    "カ行": ("い", "た"),
    "ガ行": ("い", "だ"),
    "サ行": ("し", "た"),
    "タ行": ("っ", "た"),
    "ナ行": ("ん", "だ"),
    "バ行": ("ん", "だ"),
    "マ行": ("ん", "だ"),
    "ラ行": ("っ", "た"),
    "ワア行": ("っ", "た"),
}
_OPEN = "「『（(【〔［"
_CLOSE = "」』）)】〕］"
_PUNCTUATION = frozenset({"補助記号", "空白"})
# Nouns of a plan: 〜する予定である, 〜を予定している, 〜予定。
_PLAN_NOUNS = frozenset({"予定", "計画"})


@dataclass(frozen=True, slots=True)
class Proposal:
    """One sentence's change (offsets into the block's text) or why it is left."""

    block: int
    sentence: int
    start: int
    end: int
    before: str
    after: str | None  # None: left unchanged
    reason: str = ""


def sentences(text: str) -> list[tuple[int, int]]:
    """Spans of the sentences of a text: split at 。 and line breaks, not inside 「」 or ()."""
    spans, depth, start = [], 0, 0
    for index, char in enumerate(text):
        if char in _OPEN:
            depth += 1
        elif char in _CLOSE:
            depth = max(depth - 1, 0)
        elif char == "\n" or (char == "。" and depth == 0):
            end = index + 1 if char == "。" else index
            if text[start:end].strip():
                spans.append((start, end))
            start = index + 1
            depth = 0 if char == "\n" else depth
    if text[start:].strip():
        spans.append((start, len(text)))
    return spans


def _core_end(sentence: str) -> int:
    """Where the predicate ends: before 。, spaces and a closing bracketed note."""
    stripped = sentence.rstrip(" \u3000。．.")
    if stripped.endswith((")", "）")):
        depth = 0
        for index in range(len(stripped) - 1, -1, -1):
            if stripped[index] in ")）":
                depth += 1
            elif stripped[index] in "(（":
                depth -= 1
                if depth == 0:
                    return len(stripped[:index].rstrip())
    return len(stripped)


def past_of(verb: Token) -> str | None:
    """The past (〜た/〜だ) of a verb in its dictionary form, from its conjugation class."""
    kind, surface = verb.conjugation_type, verb.surface
    if not verb.conjugation.startswith(("終止形", "連体形")) or len(surface) < 1:
        return None
    stem = surface[:-1]
    if kind.startswith("五段-"):
        row = kind.removeprefix("五段-")
        if row == "カ行" and verb.lemma in ("行く", "いく", "逝く"):
            return stem + "った"  # 行く is the one カ行 verb with 促音便
        if row not in _GODAN:
            return None
        ending, aux = _GODAN[row]
        return stem + ending + aux
    if kind.startswith(("上一段-", "下一段-")):
        return stem + "た" if surface.endswith("る") else None
    if kind == "サ行変格":
        if surface.endswith("する"):
            return surface[:-2] + "した"
        if surface.endswith("ずる"):
            return surface[:-2] + "じた"
        return None
    if kind == "カ行変格":
        if surface.endswith("来る"):
            return surface[:-1] + "た"
        if surface.endswith("くる"):
            return surface[:-2] + "きた"
    return None


def _te(token: Token) -> bool:
    return token.pos == "助詞" and token.surface in ("て", "で")


def _past_after_te(te: Token) -> str:
    return "た" if te.surface == "て" else "だ"


def convert(sentence: str) -> tuple[str | None, str]:
    """The sentence with its last predicate in the past, or None and why it is left."""
    end = _core_end(sentence)
    body = sentence[:end]
    if not body.strip():
        return None, "空"
    if body.endswith(tuple(_CLOSE)):
        return None, "引用・括弧で終わる"
    words = [t for t in analyser.tokens(body) if t.pos not in _PUNCTUATION]
    if not words:
        return None, "解析できない"
    result = _convert_words(body, words)
    if isinstance(result, tuple):
        start, replacement = result
        return body[:start] + replacement + sentence[end:], ""
    return None, result


def _convert_words(body: str, words: list[Token]) -> tuple[int, str] | str:
    """``(start, replacement)`` for the body's tail, or the reason it is left."""
    last = words[-1]
    n = len(words)

    def at(index: int) -> Token | None:
        return words[index] if -n <= index < 0 else None

    if last.pos == "助動詞":
        if last.normalized == "た":
            return "過去形"
        if last.normalized == "ます" and last.conjugation.startswith("終止形"):
            verb = at(-2)
            if verb is None or verb.pos != "動詞":
                return "判断できない（ます）"
            te, main = at(-3), at(-4)
            # 〜ていきます: the act, not its going on (進めていきます → 進めました).
            if verb.lemma in ("行く", "いく") and te is not None and _te(te) and main is not None:
                return te.start, "ました"
            return last.start, "ました"
        if last.normalized in ("だ", "です"):
            return _after_copula(words, len(words) - 1)
        return f"判断できない（{last.surface}）"
    if last.pos == "動詞":
        if not last.conjugation.startswith(("終止形", "連体形")):
            return "判断できない（活用形）"
        if last.lemma in ("有る", "ある") and at(-2) is not None and at(-2).normalized == "だ":
            return _after_copula(words, len(words) - 2)
        te = at(-2)
        if te is not None and _te(te) and last.lemma in ("居る", "いる", "行く", "いく"):
            return _after_te(words, len(words) - 2)
        past = past_of(last)
        if past is None:
            return f"活用を判断できない（{last.conjugation_type}）"
        return last.start, past
    if last.pos == "名詞":
        if last.surface in _PLAN_NOUNS:
            return _plan_noun(words, len(words) - 1)
        return "体言止め"
    return "判断できない"


def _after_te(words: list[Token], te_index: int) -> tuple[int, str] | str:
    """〜ている / 〜ていく: the past of the verb before て, or a plan idiom."""
    te = words[te_index]
    verb = words[te_index - 1] if te_index >= 1 else None
    if verb is None or verb.pos != "動詞":
        return "判断できない（て）"
    before = words[te_index - 2] if te_index >= 2 else None
    # 〜を予定している / 〜を予定としている / 〜ことにしている: the plan's act in the past.
    if verb.conjugation_type == "サ行変格" and verb.surface == "し" and before is not None:
        if before.surface in _PLAN_NOUNS:
            return _plan_noun(words, te_index - 2)
        if before.surface in ("と", "に") and te_index >= 3:
            noun = words[te_index - 3]
            if noun.surface in _PLAN_NOUNS and before.surface == "と":
                return _plan_noun(words, te_index - 3)
            if noun.surface in ("こと", "事") and before.surface == "に":
                return _act_before(words, te_index - 3)
    return te.start, _past_after_te(te)


def _plan_noun(words: list[Token], noun_index: int) -> tuple[int, str] | str:
    """The act a plan noun (予定, 計画) names, put in the past."""
    noun = words[noun_index]
    if noun_index == 0:
        return "判断できない（予定）"
    before = words[noun_index - 1]
    if before.pos == "動詞":
        return _act_before(words, noun_index)
    if before.pos == "助詞" and before.surface == "を" and noun_index >= 2:
        act = words[noun_index - 2]
        if _owned(words, noun_index - 2):
            return "判断できない（〜の〜を予定）"
        if act.pos == "名詞" and act.pos_class == "サ変可能":
            return act.end, "した"  # 開催を予定している → 開催した
        return "判断できない（〜を予定）"
    if before.pos == "名詞" and before.pos_class == "サ変可能" and before.end == noun.start:
        if _owned(words, noun_index - 1):
            return "判断できない（〜の〜予定）"
        return before.end, "した"  # 開催予定である → 開催した
    return "判断できない（予定）"


def _owned(words: list[Token], act_index: int) -> bool:
    """Whether the act noun is governed by の (事業の実施を計画): its past needs the
    sentence rebuilt (事業を実施した), which is a person's choice, not a suffix."""
    return act_index >= 1 and words[act_index - 1].surface == "の"


def _act_before(words: list[Token], index: int) -> tuple[int, str] | str:
    """The verb right before ``words[index]`` (こと, 予定) in the past, from it to the end."""
    verb = words[index - 1] if index >= 1 else None
    if verb is None or verb.pos != "動詞":
        return "判断できない（〜こと・予定）"
    past = past_of(verb)
    if past is None:
        return f"活用を判断できない（{verb.conjugation_type}）"
    return verb.start, past


def _after_copula(words: list[Token], copula_index: int) -> tuple[int, str] | str:
    """〜予定である / 〜予定です: the planned act; a noun with である is left."""
    if copula_index >= 1 and words[copula_index - 1].surface in _PLAN_NOUNS:
        return _plan_noun(words, copula_index - 1)
    return "体言＋である・です"


def propose(markup: str) -> list[Proposal]:
    """The changes (and the sentences left) of one rich text."""
    out: list[Proposal] = []
    number = 0
    for block_index, block in enumerate(richtext.parse(markup)):
        text = block.text
        for start, end in sentences(text):
            sentence = text[start:end]
            lead = len(sentence) - len(sentence.lstrip(" \u3000・"))
            after, reason = convert(sentence[lead:])
            if after is not None:
                after = sentence[:lead] + after
            out.append(Proposal(block_index, number, start, end, sentence, after, reason))
            number += 1
    return out


def changes(proposals: list[Proposal]) -> list[Proposal]:
    """The proposals that change their sentence."""
    return [p for p in proposals if p.after is not None and p.after != p.before]


def left(proposals: list[Proposal]) -> list[Proposal]:
    """The sentences left unchanged for a person (already past ones are not)."""
    return [p for p in proposals if p.after is None and p.reason != "過去形"]


def apply(markup: str, chosen: list[Proposal]) -> str:
    """The text with the chosen changes made within its runs (formatting kept)."""
    blocks = list(richtext.parse(markup))
    by_block: dict[int, list[Proposal]] = {}
    for proposal in chosen:
        if proposal.after is not None:
            by_block.setdefault(proposal.block, []).append(proposal)
    for index, items in by_block.items():
        runs = blocks[index].runs
        # From the end, so that the earlier offsets still hold.
        for proposal in sorted(items, key=lambda p: p.start, reverse=True):
            runs = _replace(runs, proposal.start, proposal.end, proposal.before, proposal.after)
        blocks[index] = richtext.Block(blocks[index].tag, runs)
    return richtext.serialise(blocks)


def _replace(
    runs: tuple[richtext.Run, ...], start: int, end: int, before: str, after: str
) -> tuple[richtext.Run, ...]:
    """Replace only the differing middle of ``before`` so that the runs around keep their weight."""
    head = 0
    while head < min(len(before), len(after)) and before[head] == after[head]:
        head += 1
    tail = 0
    while (
        tail < min(len(before), len(after)) - head
        and before[len(before) - 1 - tail] == after[len(after) - 1 - tail]
    ):
        tail += 1
    a, b = start + head, end - tail
    inserted = after[head : len(after) - tail]
    out, position, done = [], 0, False
    for run in runs:
        r_start, r_end = position, position + len(run.text)
        position = r_end
        keep_head = run.text[: max(0, min(a, r_end) - r_start)]
        keep_tail = run.text[max(0, b - r_start) :] if b < r_end else ""
        text = keep_head
        if not done and r_start <= a <= r_end and (a < r_end or not keep_tail):
            text += inserted
            done = True
        text += keep_tail
        if text:
            out.append(richtext.Run(text, run.bold))
    if not done:
        out.append(richtext.Run(inserted))
    return tuple(out)
