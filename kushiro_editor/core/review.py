"""Checks before submission: what still needs a department's attention.

Per entry and per text (実績, 取組予定):

* ``empty``: nothing written;
* ``carried``: carried over from last year and neither edited nor confirmed;
* ``unchanged``: identical to last year's text (the same column, or for the
  実績 the plan it was drafted from), not confirmed;
* ``tense``: a 実績 sentence ending in a plan form (〜する。〜図る。〜予定。) or a
  取組予定 sentence ending in the past (〜した。〜行った。), judged on the last
  predicate as the Japanese analyser reads it (:mod:`.analyser`), or on the
  sentence-final verb form where the analyser is not installed;
* ``style``: である調 and です・ます調 mixed in one text;
* ``length``: longer than the limit for a printed cell;
* ``department``: a department name not in the list (a likely typo).

and per KPI the checks of :mod:`.kpi.review` (a value missing for the year, a
value ten times the year before's, a target due and not met, a number typed
into a note), whose findings name the KPI in ``entry`` and its holder in
``owner``.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from dataclasses import dataclass
from difflib import SequenceMatcher

from . import richtext
from .edits import Edit, SetField
from .kpi import fields as kpi_fields
from .kpi import review as kpi_review
from .model import (
    STATE_CARRIED,
    STATE_CONFIRMED,
    TEXT_LABELS,
    Direction,
    Entry,
    Goal,
    Kpi,
    Report,
    place,
)

logger = logging.getLogger(__name__)

DEFAULT_LIMIT = 800
FIELD_LABELS = {**TEXT_LABELS, "departments": "所管部署", **kpi_review.FIELD_LABELS}
RULE_LABELS = {
    "empty": "未記入",
    "carried": "前年度から引継ぎ・未確認",
    "unchanged": "前年度と同じ文章",
    "tense": "時制",
    "style": "文体の混在",
    "length": "文字数超過",
    "department": "部署名",
    **kpi_review.RULE_LABELS,
}

# -- sentences and their endings -----------------------------------------------------
_CLOSERS = "」』）)】〕］]\"'"
_TRAILING_NOTE = re.compile(r"[（(][^（()）]*[)）]\s*$")
_POLITE = re.compile(r"(ます|ました|ません|ませんでした|です|でした|でしょう|ましょう)$")
_PAST = re.compile(r"(た|だ)$")
# Plain non-past predicates: a verb in its dictionary form (う段), or the nouns
# a plan ends with.
_PLAN_NOUN = re.compile(r"(予定|計画|見込み|見込|方針|方向|考え|つもり)(である|だ|です)?$")
_DICTIONARY_FORM = re.compile(r"[うくぐすつぬぶむる]$")
# Endings that look like う段 but state a present condition, a copula, or an
# evaluation (〜と考えられる) rather than a plan.
_STATE_FORMS = re.compile(
    r"(ている|でいる|てある|ておる|である|にある|となっている|がある|がいる|いる|ある|"
    r"わかる|分かる|と考えられる|と思われる|とみられる|と見られる|といえる|と言える|"
    r"と推測される|と推察される)$"
)
_PLAIN_DECLARATIVE = re.compile(r"(である|だ|た|[うくぐすつぬぶむる]|ない)$")


def sentences(text: str) -> list[str]:
    """Sentences of a text: split at 。 and at line ends (list items end without 。)."""
    out = []
    for line in text.split("\n"):
        for piece in re.split(r"(?<=[。．])", line):
            piece = piece.strip(" \u3000")
            if piece:
                out.append(piece)
    return out


def predicate(sentence: str) -> str:
    """The end of a sentence with its punctuation, quotes and closing notes removed."""
    text = sentence.strip(" \u3000").rstrip("。．.、,，!！?？")
    for _ in range(3):
        stripped = _TRAILING_NOTE.sub("", text).rstrip(" \u3000").rstrip(_CLOSERS)
        stripped = stripped.rstrip("。．.、 \u3000")
        if stripped == text:
            break
        text = stripped
    return text


def is_past(sentence: str) -> bool:
    """Ends in a past form: 〜した。〜行った。〜でした。"""
    end = predicate(sentence)
    return bool(_PAST.search(end)) and not end.endswith(("まだ", "ただ"))


def is_plan(sentence: str) -> bool:
    """Ends in a non-past (plan) form: 〜する。〜図る。〜予定。〜します。"""
    end = predicate(sentence)
    if _PLAN_NOUN.search(end):
        return True
    if end.endswith(("ます", "ましょう")):
        return True
    if _STATE_FORMS.search(end):
        return False
    return bool(_DICTIONARY_FORM.search(end)) and _ends_in_kana_verb(end)


def _ends_in_kana_verb(end: str) -> bool:
    # A verb's last two characters: kanji/kana + う段 kana (図る, 進める, 行う, する).
    return len(end) >= 2 and not end[-2].isascii()


def tense_of(sentence: str, *, use_analyser: bool | None = None) -> str | None:
    """ "past", "plan" or None: by the analyser, or by the endings without it.

    ``use_analyser`` None uses the analyser when it is installed (it is loaded
    on the first call, not when this module is imported).
    """
    from . import analyser

    if use_analyser is None:
        use_analyser = analyser.available()
    if use_analyser:
        return analyser.tense(predicate(sentence))
    if is_past(sentence):
        return analyser.PAST
    return analyser.PLAN if is_plan(sentence) else None


def is_polite(sentence: str) -> bool:
    """Ends in です・ます."""
    return bool(_POLITE.search(predicate(sentence)))


def is_plain_style(sentence: str) -> bool:
    """Ends in a plain (である調) predicate rather than a noun."""
    end = predicate(sentence)
    return (
        not is_polite(sentence) and bool(_PLAIN_DECLARATIVE.search(end)) and _ends_in_kana_verb(end)
    )


# -- findings ------------------------------------------------------------------------
@dataclass(frozen=True)
class Finding:
    """One thing to look at: where, which text, which rule, and why.

    A KPI's finding holds the KPI in ``entry`` (its departments are counted as
    an entry's are), the goal, direction or measure holding it in ``owner``,
    and no direction for a goal's 数値目標.
    """

    goal: Goal
    direction: Direction | None
    entry: Entry | Kpi
    field: str  # "actual", "plan", "departments" or a KPI's value (kpi.review.FIELD_LABELS)
    rule: str
    detail: str
    owner: object = None  # a KPI's holder

    @property
    def where(self) -> str:
        """【基本目標1】① 農林課; for a KPI 【基本目標1】① ア 指標「観光入込客数」."""
        if isinstance(self.entry, Kpi):
            return kpi_fields.kpi_place(self.goal, self.direction, self.owner, self.entry)
        return place(self.goal, self.direction, self.entry)

    @property
    def is_kpi(self) -> bool:
        """Whether the finding is about a KPI rather than a department row."""
        return isinstance(self.entry, Kpi)

    def __str__(self) -> str:
        return f"{self.where} {FIELD_LABELS[self.field]}: {RULE_LABELS[self.rule]}: {self.detail}"


def _short(text: str, size: int = 24) -> str:
    text = text.replace("\n", " ")
    return text if len(text) <= size else text[:size] + "…"


def check_text(
    entry: Entry, field: str, *, limit: int, use_analyser: bool | None = None
) -> list[tuple[str, str]]:
    """The findings of one text: ``(rule, detail)`` pairs (``use_analyser``: see tense_of)."""
    markup = getattr(entry, field)
    text = richtext.to_plain(markup)
    state = getattr(entry, f"{field}_state")
    found: list[tuple[str, str]] = []
    if not text.strip():
        found.append(("empty", "何も書かれていません"))
        return found
    length = richtext.char_count(markup)
    if state == STATE_CARRIED:
        # Last year's words as they were: "rewrite or confirm" says it all (the
        # tense of a plan drafted into 実績 is wrong by design until rewritten).
        found.append(("carried", "前年度の文章のままです。書き直すか「確認済み」にしてください"))
        if limit and length > limit:
            found.append(("length", f"{length:,}字(上限 {limit:,}字)"))
        return found
    if state != STATE_CONFIRMED:
        previous = [getattr(entry, "previous_" + field)]
        if field == "actual":
            previous.append(entry.previous_plan)
        for old in previous:
            if old is not None and richtext.to_plain(old).strip() == text.strip():
                found.append(("unchanged", "前年度と同じ文章です"))
                break
    all_sentences = sentences(text)
    # 実績 should not end as a plan, 取組予定 not in the past.
    wrong_form, form = ("plan", "予定") if field == "actual" else ("past", "過去")
    wrong = [s for s in all_sentences if tense_of(s, use_analyser=use_analyser) == wrong_form]
    if wrong:
        found.append(
            (
                "tense",
                f"{form}の形で終わる文があります: 「{_short(wrong[0])}」"
                + (f" ほか{len(wrong) - 1}文" if len(wrong) > 1 else ""),
            )
        )
    polite = [s for s in all_sentences if is_polite(s)]
    plain = [s for s in all_sentences if is_plain_style(s)]
    if polite and plain:
        found.append(
            (
                "style",
                f"です・ます調(「{_short(polite[0], 16)}」)と"
                f"である調(「{_short(plain[0], 16)}」)が混在しています",
            )
        )
    if limit and length > limit:
        found.append(("length", f"{length:,}字(上限 {limit:,}字)"))
    return found


def similar_names(name: str, known: list[str], *, threshold: float = 0.7) -> list[str]:
    """The known names most like ``name`` (ties all kept, two at most)."""
    scored = sorted(
        (
            (SequenceMatcher(None, name, other).ratio(), other)
            for other in dict.fromkeys(known)
            if other != name
        ),
        reverse=True,
    )
    if not scored or scored[0][0] < threshold:
        return []
    best = scored[0][0]
    return [other for score, other in scored if score == best][:2]


def _did_you_mean(name: str, guesses: list[str]) -> str:
    names = "」か「".join(guesses)
    return f"「{name}」は「{names}」の誤りではありませんか"


def check(
    report: Report,
    *,
    limit: int = DEFAULT_LIMIT,
    departments: list[str] | None = None,
    use_analyser: bool | None = None,
) -> list[Finding]:
    """Every finding of the report, in document order.

    ``departments`` is the list of valid names (last year's, or a list kept by
    the office); without one, a name used once that is nearly the same as a
    name used more often is taken for a typo.
    """
    findings: list[Finding] = []
    doubtful = {} if departments is not None else _doubtful(report, same_length=False)
    for goal, direction, entry in report.entries():
        for name in entry.departments:
            if departments is not None:
                if name not in departments:
                    guesses = similar_names(name, departments, threshold=0.6)
                    detail = (
                        _did_you_mean(name, guesses) + "(部署の一覧にありません)"
                        if guesses
                        else f"「{name}」は部署の一覧にありません"
                    )
                    findings.append(
                        Finding(goal, direction, entry, "departments", "department", detail)
                    )
            elif name in doubtful:
                findings.append(
                    Finding(
                        goal,
                        direction,
                        entry,
                        "departments",
                        "department",
                        _did_you_mean(name, doubtful[name]),
                    )
                )
        if not entry.departments:
            findings.append(
                Finding(
                    goal, direction, entry, "departments", "empty", "所管部署が書かれていません"
                )
            )
        for field in ("actual", "plan"):
            for rule, detail in check_text(entry, field, limit=limit, use_analyser=use_analyser):
                findings.append(Finding(goal, direction, entry, field, rule, detail))
    for found in kpi_review.check(report):
        findings.append(
            Finding(
                found.goal,
                found.direction,
                found.kpi,
                found.field,
                found.rule,
                found.detail,
                found.owner,
            )
        )
    return findings


Subject = tuple[Goal, Direction | None, Entry | Kpi, object]


def subjects(report: Report) -> list[Subject]:
    """What findings can be about, in the order :func:`check` lists them: every entry, then
    every KPI, each as (goal, direction, entry or KPI, a KPI's holder).

    A check run on a copy of the report names its findings by position in this
    list, so that they are placed again on the report's own nodes.
    """
    out: list[Subject] = [(g, d, e, None) for g, d, e in report.entries()]
    for goal, direction, owner in kpi_fields.owners(report):
        out.extend((goal, direction, kpi, owner) for kpi in owner.kpis)
    return out


def counts_by(findings: list[Finding]) -> tuple[Counter, Counter]:
    """Findings counted per goal label and per department."""
    goals: Counter = Counter()
    departments: Counter = Counter()
    for finding in findings:
        goals[finding.goal.label] += 1
        for name in finding.entry.departments or ["(部署なし)"]:
            departments[name] += 1
    return goals, departments


def suggest_departments(report: Report) -> tuple[list[str], dict[str, list[str]]]:
    """A department list from a report, and the names that look like typos.

    A name used once that is much like a name used at least three times
    (観光推進室 beside 観光振興室) is left out of the list, so that the check
    asks about it; the office adds it back if it is right.
    """
    doubtful = _doubtful(report, same_length=True)
    names = dict.fromkeys(name for _g, _d, e in report.entries() for name in e.departments)
    return [name for name in names if name not in doubtful], doubtful


def _doubtful(report: Report, *, same_length: bool) -> dict[str, list[str]]:
    """Names used once that look like a name used at least three times, with those names."""
    counts = Counter(name for _g, _d, e in report.entries() for name in e.departments)
    frequent = [name for name, count in counts.items() if count >= 3]
    doubtful: dict[str, list[str]] = {}
    for name, count in counts.items():
        if count == 1:
            guesses = similar_names(name, frequent, threshold=0.6)
            if same_length:
                guesses = [g for g in guesses if len(g) == len(name)]
            if guesses:
                doubtful[name] = guesses
    return doubtful


def confirm_edits(entry: Entry) -> list[Edit]:
    """「確認済みにする」: the entry's carried texts (引継ぎ・未確認) become confirmed."""
    return [
        SetField(entry, f"{name}_state", STATE_CONFIRMED)
        for name in TEXT_LABELS
        if getattr(entry, f"{name}_state") == STATE_CARRIED
    ]
