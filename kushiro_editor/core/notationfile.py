"""Rule files of 表記ルール: written, read and checked before a rule is ever used.

A rule file is shared between offices and kept in the store, so what it says
is checked as a whole before any text is looked at: a rule that would match
everywhere (an empty form), grow the text on every fix (a preferred form that
holds a form it replaces), fight another rule (each rewriting what the other
prefers), find nothing to change (a width rule over characters with one width)
or is of a size no office writes is refused with the rule named, and the file
is taken whole or not at all.
"""

from __future__ import annotations

import json
import logging
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict
from pathlib import Path

from . import reading
from .model import ReportError
from .notation import DEFAULT_RULES, METHODS, NotationRule

logger = logging.getLogger(__name__)

FORMAT = "kushiro-notation-rules"
FORMAT_VERSION = 1
# An office's rule file holds tens of rules of a few words each: these bounds
# are far beyond any real one, and keep a check of the report quick.
MAX_RULES_BYTES = 4 * 1024 * 1024
MAX_RULES = 2000
MAX_FORM = 100  # characters of one form (a word, or the characters of a width rule)
MAX_FORMS = 200  # forms one rule replaces or keeps


def default_rules() -> list[NotationRule]:
    """The rules the editor starts with."""
    return list(DEFAULT_RULES)


# -- writing ---------------------------------------------------------------------------
def _rule_json(rule: NotationRule) -> dict:
    """A rule as a rule file holds it: its method under the file's key ``kind``."""
    values = {**asdict(rule), "replace": list(rule.replace), "keep": list(rule.keep)}
    return {("kind" if key == "method" else key): value for key, value in values.items()}


def to_json(rules: Iterable[NotationRule]) -> str:
    """Rules as a JSON document that another office can load."""
    document = {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "rules": [_rule_json(r) for r in rules],
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def write_rules(rules: Iterable[NotationRule], path: Path) -> None:
    """Write rules to a JSON file (a temporary name first, then renamed into place)."""
    partial = path.with_name(path.name + ".partial")
    try:
        partial.write_text(to_json(rules), encoding="utf-8")
        partial.replace(path)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise ReportError(f"表記ルールを書き出せません: {path}({exc.strerror})") from exc


# -- reading ---------------------------------------------------------------------------
def read_rules(path: Path) -> list[NotationRule]:
    """Rules from a shared JSON file; a file that cannot be read is one ReportError."""
    data = reading.read_bounded(path, MAX_RULES_BYTES)  # a pipe or a device is refused
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ReportError(f"表記ルールのファイルを読めません: {path.name}({exc})") from exc
    return from_json(text)


def rules_of(store) -> list[NotationRule]:
    """The store's rules, or the defaults when the office has not changed them."""
    stored = store.notation_rules()
    return from_json(stored) if stored else default_rules()


def from_json(text: str) -> list[NotationRule]:
    """Rules from JSON, checked as a whole; a bad document is one ReportError naming why."""
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ReportError(f"表記ルールのファイルを読めません(JSON の誤り: {exc.msg})。") from exc
    except RecursionError as exc:  # nested far deeper than any rule file
        raise ReportError("表記ルールのファイルではありません(入れ子が深すぎます)。") from exc
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise ReportError("表記ルールのファイルではありません(format が表記ルールではありません)。")
    version = document.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or not version >= 1:
        raise ReportError("表記ルールのファイルの version が読めません。")
    if version > FORMAT_VERSION:
        raise ReportError(
            f"この表記ルールのファイル(version {version})は、このエディタより新しい版で"
            "作られています。エディタを新しくしてから読み込んでください。"
        )
    items = document.get("rules")
    if not isinstance(items, list):
        raise ReportError("表記ルールのファイルではありません(rules がありません)。")
    if len(items) > MAX_RULES:
        raise ReportError(f"表記ルールが多すぎます({len(items)}件。{MAX_RULES}件までです)。")
    rules = [_rule_from(item, number) for number, item in enumerate(items, start=1)]
    counts = Counter(r.id for r in rules)
    duplicated = sorted(i for i, n in counts.items() if n > 1)
    if duplicated:
        raise ReportError(f"表記ルールの id が重複しています: {', '.join(duplicated)}")
    _check_together(rules)
    return rules


def _rule_from(item: object, number: int) -> NotationRule:
    where = f"表記ルールの{number}件目"
    if not isinstance(item, dict):
        raise ReportError(f"{where}が読めません。")
    try:
        rule = NotationRule(
            id=_text(item["id"], "id"),
            label=_text(item.get("label") or item["prefer"], "label"),
            prefer=_text(item["prefer"], "prefer"),
            replace=_forms(item["replace"], "replace"),
            method=_text(item.get("kind", "word"), "kind"),
            pos=_text(item.get("pos", ""), "pos"),
            keep=_forms(item.get("keep", []), "keep"),
            enabled=_flag(item.get("enabled", True)),
            note=_text(item.get("note", ""), "note"),
        )
    except KeyError as exc:
        raise ReportError(f"{where}に必要な項目がありません({exc})。") from exc
    except (TypeError, ValueError) as exc:
        raise ReportError(f"{where}({item.get('id', '')}): {exc}") from exc
    where = f"{where}({rule.id})"
    if not rule.id or not rule.prefer or not rule.replace:
        raise ReportError(f"{where}: id、優先する形、置き換える形を書いてください。")
    if not all(rule.replace):
        raise ReportError(f"{where}: 置き換える形に空の形があります(どこにでも当たります)。")
    if rule.method not in METHODS:
        raise ReportError(f"{where}: 種類「{rule.method}」は使えません({'、'.join(METHODS)})。")
    if max(len(rule.prefer), *(len(f) for f in rule.replace)) > MAX_FORM:
        raise ReportError(f"{where}: 形が長すぎます({MAX_FORM}文字までです)。")
    if rule.method == "chars" and any(len(f) != len(rule.prefer) for f in rule.replace):
        raise ReportError(f"{where}: 文字の置き換えは、置き換える形と優先する形を同じ長さに。")
    if rule.method == "width":
        same = sorted({c for f in rule.replace for c in f if unicodedata.normalize("NFKC", c) == c})
        if same:
            raise ReportError(
                f"{where}: 「{''.join(same[:10])}」には幅の違う形がありません"
                "(直すものがありません)。"
            )
    elif any(form in rule.prefer for form in rule.replace):
        # 取組 → 取組み would find 取組 again in 取組み: the text grows on every fix.
        grows = next(form for form in rule.replace if form in rule.prefer)
        raise ReportError(
            f"{where}: 優先する形「{rule.prefer}」が置き換える形「{grows}」を含むため、"
            "直すたびに文章が変わり続けます。"
        )
    return rule


def _check_together(rules: list[NotationRule]) -> None:
    """No rule rewrites what another prefers: the two would undo each other's fixes.

    Rules of two parts of speech do not meet (取組 the noun, 取り組む the verb).
    """
    replacing: dict[str, list[NotationRule]] = {}
    for rule in rules:
        if rule.enabled and rule.method == "word":
            for form in rule.replace:
                replacing.setdefault(form, []).append(rule)
    for rule in rules:
        if not rule.enabled or rule.method != "word":
            continue
        other = next(
            (
                o
                for o in replacing.get(rule.prefer, ())
                if o is not rule and (not o.pos or not rule.pos or o.pos == rule.pos)
            ),
            None,
        )
        if other is not None:
            raise ReportError(
                f"表記ルール「{rule.id}」が優先する「{rule.prefer}」を、ルール「{other.id}」が"
                f"「{other.prefer}」に直すため、二つのルールが互いに直し合います。"
                "どちらかを切るか、形を見直してください。"
            )


def _text(value: object, key: str) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{key} は文字列で書いてください({type(value).__name__} です)。")
    return value


def _forms(value: object, key: str) -> tuple[str, ...]:
    # A string is not a list of forms: "子供" would be read as 子 and 供.
    if not isinstance(value, list):
        raise TypeError(f'{key} は文字列の一覧 (["…", …]) で書いてください。')
    if len(value) > MAX_FORMS:
        raise ValueError(f"{key} の形が多すぎます({MAX_FORMS}個までです)。")
    return tuple(_text(form, key) for form in value)


def _flag(value: object) -> bool:
    # "false" is a string, and bool("false") is True.
    if not isinstance(value, bool):
        raise TypeError("enabled は true か false で書いてください。")
    return value
