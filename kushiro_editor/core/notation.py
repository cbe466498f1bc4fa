"""表記ルール: one way of writing across the departments, checked and fixed.

A rule names the form to prefer and the forms to replace, found by one of three
methods (a rule file names it ``kind``):

* ``word``: the forms are words (子供 → 子ども); with a part of speech, only
  words the analyser reads as that part of speech (取り組み → 取組 as a noun,
  取組む → 取り組む as a verb);
* ``chars``: characters replaced one for one (〜 → ～, （） → ());
* ``width``: runs of the listed characters folded to their standard width
  (全角の数字・英字 → 半角, 半角カナ → 全角).

Names of departments, projects in 【】 and quotations in 「」『』 are never
rewritten. :func:`find` lists the findings of a report, :func:`fix_edits`
turns them into ``edits.SetField`` changes that keep bold and lists, to be
applied through ``edits.apply``. Rules are shared as JSON files and kept in
the store (``notationfile``: written, read and checked).
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field

from . import analyser, richtext
from .edits import SetField
from .model import TEXT_LABELS, Direction, Entry, Goal, Measure, Report, ReportError

logger = logging.getLogger(__name__)

METHODS = ("word", "chars", "width")
FIELD_LABELS = {**TEXT_LABELS, "body": "施策の説明"}

# Stretches nobody rewrites: project names and quotations.
_PROTECTED = re.compile(r"【[^【】\n]*】|「[^「」\n]*」|『[^『』\n]*』")
_CONTEXT = 12


@dataclass(frozen=True)
class NotationRule:
    """One rule: prefer ``prefer`` over each of ``replace`` (see the module's methods)."""

    id: str
    label: str
    prefer: str
    replace: tuple[str, ...]
    method: str = "word"  # how the forms are found: METHODS
    pos: str = ""  # 名詞, 動詞, 接続詞 …: only words of this part of speech
    keep: tuple[str, ...] = ()  # longer names the rule leaves alone (障害者基本法)
    enabled: bool = True
    note: str = ""  # where the rule comes from

    def with_enabled(self, enabled: bool) -> NotationRule:
        """The same rule switched on or off."""
        return NotationRule(**{**asdict(self), "enabled": enabled})


def _rule(**values) -> NotationRule:
    values["replace"] = tuple(values["replace"])
    values["keep"] = tuple(values.get("keep", ()))
    return NotationRule(**values)


_GUIDE = "公用文作成の考え方(令和4年)"
_KANJI_RULES = "公用文における漢字使用等について(平成22年内閣訓令)"
DEFAULT_RULES: tuple[NotationRule, ...] = (
    _rule(
        id="torikumi-noun",
        label="取組(名詞)",
        prefer="取組",
        replace=("取り組み", "取組み"),
        pos="名詞",
        note=f"{_KANJI_RULES}: 名詞は送り仮名を省く(取組)",
    ),
    _rule(
        id="torikumu-verb",
        label="取り組む(動詞)",
        prefer="取り組",
        replace=("取組",),
        pos="動詞",
        note=f"{_KANJI_RULES}: 動詞は送り仮名を付ける(取り組む、取り組んだ)",
    ),
    _rule(
        id="oyobi",
        label="及び",
        prefer="及び",
        replace=("および",),
        pos="接続詞",
        note=f"{_GUIDE}: 及び・並びに・又は・若しくはは漢字で書く",
    ),
    _rule(
        id="narabini",
        label="並びに",
        prefer="並びに",
        replace=("ならびに",),
        note=f"{_GUIDE}: 及び・並びに・又は・若しくはは漢字で書く",
    ),
    _rule(
        id="mataha",
        label="又は",
        prefer="又は",
        replace=("または",),
        pos="接続詞",
        note=f"{_GUIDE}: 及び・並びに・又は・若しくはは漢字で書く",
    ),
    _rule(
        id="moshikuha",
        label="若しくは",
        prefer="若しくは",
        replace=("もしくは",),
        pos="接続詞",
        note=f"{_GUIDE}: 及び・並びに・又は・若しくはは漢字で書く",
    ),
    _rule(
        id="nao",
        label="なお(接続詞)",
        prefer="なお",
        replace=("尚",),
        pos="接続詞",
        note=f"{_GUIDE}: ほかの接続詞は平仮名で書く",
    ),
    _rule(
        id="tadashi",
        label="ただし(接続詞)",
        prefer="ただし",
        replace=("但し",),
        pos="接続詞",
        note=f"{_GUIDE}: ほかの接続詞は平仮名で書く",
    ),
    _rule(
        id="dekiru",
        label="できる(動詞)",
        prefer="でき",
        replace=("出来",),
        pos="動詞",
        note=f"{_GUIDE}: 可能の「できる」は平仮名で書く(出来事・出来高は名詞でそのまま)",
    ),
    _rule(
        id="kodomo",
        label="子ども",
        prefer="子ども",
        replace=("子供",),
        note="本市の表記(子ども・子育て支援法に合わせる)",
    ),
    _rule(
        id="shougai",
        label="障がい",
        prefer="障がい",
        replace=("障害",),
        keep=(
            "障害者基本法",
            "障害者総合支援法",
            "障害者差別解消法",
            "障害者雇用促進法",
            "障害者手帳",
            "障害福祉サービス",
        ),
        note="本市の表記(法令名と法令の用語は法令のまま)",
    ),
    _rule(
        id="kasho",
        label="箇所",
        prefer="箇所",
        replace=("ヶ所", "ヵ所", "カ所", "か所"),
        note=f"{_GUIDE}: 常用漢字の「箇」を使う",
    ),
    _rule(
        id="digits",
        label="数字は半角",
        method="width",
        prefer="0123456789",
        replace=("０１２３４５６７８９",),
        note=f"{_GUIDE}: 横書きは算用数字。全角と半角を混ぜない",
    ),
    _rule(
        id="latin",
        label="英字は半角",
        method="width",
        prefer="A–Z a–z",
        replace=(
            "ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺ"
            "ａｂｃｄｅｆｇｈｉｊｋｌｍｎｏｐｑｒｓｔｕｖｗｘｙｚ",
        ),
        note="全角と半角を混ぜない(本市の文書は半角)",
    ),
    _rule(
        id="katakana",
        label="片仮名は全角",
        method="width",
        prefer="ア–ン",
        replace=("".join(chr(c) for c in range(0xFF65, 0xFFA0)),),
        note=f"{_GUIDE}: 半角の片仮名は使わない",
    ),
    _rule(
        id="wave",
        label="波ダッシュは「～」",
        method="chars",
        prefer="～",
        replace=("〜", "~"),
        note="Windows の日本語入力が打つ形(〜は Shift_JIS で文字化けする)",
    ),
    _rule(
        id="brackets",
        label="丸括弧は半角",
        method="chars",
        prefer="()",
        replace=("（）",),
        note="本市の文書の表記(全角に揃えるときは、このルールを切って追加する)",
    ),
)


# -- finding ---------------------------------------------------------------------------
@dataclass(frozen=True)
class NotationFinding:
    """A word written another way than the rules say: where, what, and the fix."""

    goal: Goal
    direction: Direction
    node: Entry | Measure
    field: str  # "actual", "plan" or "body"
    start: int  # offsets into the field's plain text (richtext.to_plain)
    end: int
    before: str
    after: str
    rule: NotationRule
    context: str = field(default="", compare=False)

    @property
    def span(self) -> tuple[int, int]:
        """Where in the field's plain text."""
        return self.start, self.end

    @property
    def place(self) -> str:
        """【基本目標1】① 農林課, or 【基本目標1】① ア for a measure."""
        if isinstance(self.node, Entry):
            who = self.node.department_label or "(部署なし)"
        else:
            who = self.node.label
        return f"{self.goal.label}{self.direction.label} {who}"

    def __str__(self) -> str:
        return (
            f"{self.place} {FIELD_LABELS[self.field]}: {self.rule.label}: "
            f"「{self.before}」→「{self.after}」 …{self.context}…"
        )

    def change_line(self) -> str:
        """The change as one line: place, text, before → after, the rule, the context."""
        return (
            f"{self.place} {FIELD_LABELS[self.field]}: 「{self.before}」→「{self.after}」"
            f"({self.rule.label}) …{self.context}…"
        )


def texts(report: Report) -> Iterable[tuple[Goal, Direction, Entry | Measure, str]]:
    """Every text the rules look at: measures' descriptions, then 実績 and 取組予定."""
    for goal, direction in report.directions():
        for measure in direction.measures:
            yield goal, direction, measure, "body"
        for entry in direction.entries:
            yield goal, direction, entry, "actual"
            yield goal, direction, entry, "plan"


def find(
    report: Report, rules: Iterable[NotationRule], *, departments: Iterable[str] = ()
) -> list[NotationFinding]:
    """Every notation finding of the report, in document order.

    ``departments`` adds names to leave alone beyond those the report uses.
    """
    active = [r for r in rules if r.enabled]
    if not active:
        return []
    names = sorted({*report.departments(), *departments}, key=len, reverse=True)
    names_pattern = re.compile("|".join(map(re.escape, names))) if names else None
    findings: list[NotationFinding] = []
    for goal, direction, node, name in texts(report):
        plain = richtext.to_plain(getattr(node, name))
        for start, end, before, after, rule in find_in_text(plain, active, names_pattern):
            context = plain[max(0, start - _CONTEXT) : end + _CONTEXT].replace("\n", " ")
            findings.append(
                NotationFinding(
                    goal, direction, node, name, start, end, before, after, rule, context
                )
            )
    return findings


def find_in_text(
    text: str, rules: list[NotationRule], names: re.Pattern[str] | None = None
) -> list[tuple[int, int, str, str, NotationRule]]:
    """The findings of one plain text: (start, end, before, after, rule), in order."""
    rules = [r for r in rules if r.enabled]
    if not rules or not text.strip():
        return []
    protected = [m.span() for m in _PROTECTED.finditer(text)]
    if names is not None:
        protected += [m.span() for m in names.finditer(text)]
    words = _PartsOfSpeech(text)
    candidates: list[tuple[int, int, str, str, NotationRule]] = []
    for rule in rules:
        candidates.extend(_candidates(text, rule, words))
    out: list[tuple[int, int, str, str, NotationRule]] = []
    last_end = -1
    # Longest first where two rules start at one place; never two changes overlapping.
    for start, end, before, after, rule in sorted(candidates, key=lambda c: (c[0], c[0] - c[1])):
        if start < last_end or any(a < end and start < b for a, b in protected):
            continue
        out.append((start, end, before, after, rule))
        last_end = end
    return out


def _candidates(
    text: str, rule: NotationRule, words: _PartsOfSpeech
) -> Iterable[tuple[int, int, str, str, NotationRule]]:
    if rule.method == "width":
        chars = "".join(rule.replace)
        for match in re.finditer(f"[{re.escape(chars)}]+", text):
            run = match.group()
            folded = unicodedata.normalize("NFKC", run)
            if folded != run:  # a run already of its standard width is no finding
                yield match.start(), match.end(), run, folded, rule
        return
    if rule.method == "chars":
        table = {c: rule.prefer[i] for form in rule.replace for i, c in enumerate(form)}
        for match in re.finditer(f"[{re.escape(''.join(table))}]+", text):
            run = match.group()
            yield match.start(), match.end(), run, "".join(table[c] for c in run), rule
        return
    kept = [m.span() for k in rule.keep for m in re.finditer(re.escape(k), text)]
    for form in rule.replace:
        for match in re.finditer(re.escape(form), text):
            start, end = match.span()
            if rule.pos and words.at(start) != rule.pos:
                continue
            if any(a <= start and end <= b for a, b in kept):
                continue
            yield start, end, form, rule.prefer, rule


# Particles after which a verb's 連用形 is read as a noun: 地域の取り組み、
_NOUN_BEFORE = frozenset({"の"})
_NOUN_AFTER = frozenset({"を", "が", "は", "の", "も", "と", "に", "へ", "で"})


class _PartsOfSpeech:
    """Part of speech of the word starting at an offset, analysing only the lines asked about."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.known: dict[int, str] = {}
        self.lines: set[int] = set()

    def at(self, offset: int) -> str:
        """The part of speech of the word starting at ``offset`` ("" if none starts there)."""
        start = self.text.rfind("\n", 0, offset) + 1
        if start not in self.lines:
            self.lines.add(start)
            end = self.text.find("\n", offset)
            line = self.text[start : end if end >= 0 else len(self.text)]
            for at, pos in _parts_of_speech(line).items():
                self.known[start + at] = pos
        return self.known.get(offset, "")


def _parts_of_speech(text: str) -> dict[int, str]:
    """Part of speech of the word starting at each offset (where the analyser has one).

    The analyser reads 「地域の取り組み、」 as a verb; a 連用形 after の, or
    followed by a case particle, is taken as the noun it is.
    """
    tokens = analyser.tokens(text)
    out: dict[int, str] = {}
    for index, token in enumerate(tokens):
        pos = token.pos
        if pos == "動詞" and token.conjugation.startswith("連用形-一般"):
            previous = tokens[index - 1] if index else None
            following = tokens[index + 1] if index + 1 < len(tokens) else None
            after_no = (
                previous is not None
                and previous.surface in _NOUN_BEFORE
                and previous.end == token.start
            )
            before_particle = (
                following is not None
                and following.pos == "助詞"
                and following.surface in _NOUN_AFTER
                and following.pos_detail in ("格助詞", "係助詞")
            )
            if after_no or before_particle:
                pos = "名詞"
        out[token.start] = pos
    return out


def only_rules(rules: list[NotationRule], wanted: Iterable[str]) -> list[NotationRule]:
    """The rules with only those named (by id or label) switched on; ReportError if unknown."""
    known = {key: rule for rule in rules for key in (rule.id, rule.label)}
    wanted = list(wanted)
    unknown = [name for name in wanted if name not in known]
    if unknown:
        ids = "、".join(rule.id for rule in rules)
        raise ReportError(f"表記ルールがありません: {'、'.join(unknown)}(使えるもの: {ids})")
    chosen = {known[name].id for name in wanted}
    return [rule.with_enabled(rule.id in chosen) for rule in rules]


def of_departments(
    report: Report, findings: list[NotationFinding], departments: Iterable[str]
) -> list[NotationFinding]:
    """The findings in the rows of these departments; ReportError for a name not in the report."""
    names = set(departments)
    unknown = sorted(names - set(report.departments()))
    if unknown:
        raise ReportError(f"この報告にない部署です: {'、'.join(unknown)}")
    return [f for f in findings if isinstance(f.node, Entry) and names & set(f.node.departments)]


def rule_line(rule: NotationRule) -> str:
    """A rule as one line: on/off, id, label, forms replaced → form preferred."""
    pos = f"[{rule.pos}]" if rule.pos else ""
    forms = "」「".join(rule.replace)
    return (
        f"{'○' if rule.enabled else '×'} {rule.id}: {rule.label}{pos} 「{forms}」→「{rule.prefer}」"
    )


# -- fixing ----------------------------------------------------------------------------
def fix_edits(report: Report, findings: Iterable[NotationFinding]) -> list[SetField]:
    """The text changes that apply ``findings``, one SetField per text, bold and lists kept.

    A finding whose text changed since it was found (its ``before`` is no
    longer at its place) is skipped. The changes are mechanical: a text
    carried over from last year keeps its 未確認 mark, as nobody read it.
    """
    grouped: dict[tuple[int, str], list[NotationFinding]] = {}
    for finding in findings:
        grouped.setdefault((id(finding.node), finding.field), []).append(finding)
    out: list[SetField] = []
    for group in grouped.values():
        node, name = group[0].node, group[0].field
        markup = getattr(node, name)
        fixed = replace_spans(markup, [(f.start, f.end, f.before, f.after) for f in group])
        if fixed != markup:
            out.append(SetField(node, name, fixed, mechanical=True))
    logger.info("notation fixes: %d texts", len(out))
    return out


def replace_spans(markup: str, changes: list[tuple[int, int, str, str]]) -> str:
    """Rich text with plain-text spans replaced; each change keeps its run's weight."""
    blocks = list(richtext.parse(markup))
    starts, position = [], 0
    for block in blocks:
        starts.append(position)
        position += len(block.text) + 1
    plain = richtext.blocks_to_plain(tuple(blocks))
    for start, end, before, after in sorted(changes, key=lambda c: c[0], reverse=True):
        if plain[start:end] != before:
            logger.info("skipped a stale notation change at %d: %r", start, before)
            continue
        index = max(i for i, s in enumerate(starts) if s <= start)
        block = blocks[index]
        a, b = start - starts[index], end - starts[index]
        if b > len(block.text):
            continue  # never across two paragraphs
        weight = richtext.slice_runs(block.runs, a, b)[0].bold
        runs = (
            *richtext.slice_runs(block.runs, 0, a),
            richtext.Run(after, weight),
            *richtext.slice_runs(block.runs, b),
        )
        blocks[index] = richtext.Block(block.tag, runs)
    return richtext.serialise(blocks)


def summary(findings: Iterable[NotationFinding], *, by: str = "id") -> dict[str, int]:
    """Findings counted per rule (its id, or its label with ``by="label"``), in order."""
    counts: dict[str, int] = {}
    for finding in findings:
        key = getattr(finding.rule, by)
        counts[key] = counts.get(key, 0) + 1
    return counts
