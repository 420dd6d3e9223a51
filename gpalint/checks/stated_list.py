"""kind = "stated-list": a sentence that says how many items something has and names them («本报告由总体情况、
……、其他需要报告的事项等六个部分组成») must state the right count and name every item.

Parameters: ``patterns`` (regular expressions, each with the named groups ``count``, a number in Arabic or Chinese
numerals, and ``list``, the names: the list may come before the count or after it), ``items`` (a list of {name, pattern}: what must be named, each recognised in the list by its
own regular expression — a phrase, since names contain 、 themselves: 「行政复议、行政诉讼情况」), ``min_listed``
(default 1: a sentence naming fewer of the items is about something else), ``scope`` (default document). One finding per such sentence: a wrong count, else the items it does not name.
Message fields: {found} (the sentence part matched), {stated} (the count as written), {expected} (the number of
items), {listed} (how many items it names), {missing} (the names it leaves out, joined by 、), {problem} (what is
wrong, in words: 「说是7个，应为6个」, 「说是6个，只列出了5个，未列出「…」」).
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from ..cjk import chinese_numeral, chinese_value
from ..model import Diagnostic
from ..rules import Rule
from .base import CheckKind, CheckTable, Context, TextPattern, diagnostic, scope_blocks


@dataclass(frozen=True, slots=True)
class Item:
    name: str
    pattern: TextPattern


@dataclass(frozen=True, slots=True)
class Params:
    patterns: tuple[TextPattern, ...]
    items: tuple[Item, ...]
    min_listed: int
    scope: str


def _item(table: CheckTable, key: str, value: object) -> Item:
    if not isinstance(value, dict) or set(value) != {"name", "pattern"} or not all(
            isinstance(v, str) for v in value.values()):
        raise table.error(key, "应为 {name = \"名称\", pattern = \"正则表达式\"}")
    return Item(value["name"], table.pattern(f"{key}.pattern", value["pattern"]))


def prepare(rule: Rule) -> Params:
    table = CheckTable(rule)
    patterns = tuple(table.pattern("patterns", p) for p in table.strings("patterns"))
    if not patterns or not all({"count", "list"} <= set(p.groupindex) for p in patterns):
        raise table.error("patterns", "每个正则表达式都需要命名分组 (?P<count>…)（所说的个数）和 (?P<list>…)（列出的名称）")
    items = tuple(_item(table, f"items[{i}]", v) for i, v in enumerate(table.value("items", list)))
    if not items:
        raise table.error("items", "至少要有一项")
    params = Params(patterns, items, table.value("min_listed", int, 1), table.scope())
    table.done()
    return params


def _count(text: str) -> int | None:
    text = text.strip()
    return int(text) if text.isdigit() else chinese_value(text)


def _spell(n: int, like: str) -> str:
    """``n`` as the sentence writes its count: 「6」 or 「六」."""
    return str(n) if like.strip().isdigit() else chinese_numeral(n)


def run(rule: Rule, params: Params, context: Context) -> Iterator[Diagnostic]:
    expected = len(params.items)
    for _, block in scope_blocks(context.report, params.scope):
        for m in (m for p in params.patterns for m in p.finditer(block.text)):
            stated = _count(m.group("count"))
            if stated is None:
                continue
            names = "".join(m.group("list").split())
            missing = [item.name for item in params.items if not item.pattern.search(names)]
            written, listed = m.group("count"), expected - len(missing)
            if (stated == expected and not missing) or listed < params.min_listed:
                continue
            problem = f"说是{written}个，应为{_spell(expected, written)}个" if stated != expected else \
                f"说是{written}个，只列出了{_spell(listed, written)}个"
            if missing:
                problem += f"，未列出「{'」「'.join(missing)}」"
            loc = block.location(m.start("count") if stated != expected else m.start(), m.end("count"))
            yield diagnostic(rule, context, loc, found=m.group(0), stated=written, expected=expected, listed=listed,
                             missing="、".join(missing), problem=problem)


KIND = CheckKind("stated-list", prepare, run, ("found", "stated", "expected", "listed", "missing", "problem"),
                 "句中所说的项数与列出的名称：个数应对，每一项都应列出")
