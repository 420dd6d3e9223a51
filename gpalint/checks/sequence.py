"""kind = "sequence": numbered items — headings （一）（二）…, enumerations 一是、二是… — must count 1, 2, 3 … without
skips or repeats.

Parameters:
``pattern``
    regular expression finding one item; the group ``n`` holds its number, the optional group ``item`` the span
    to report (default: the whole match). Searched in every block of the scope, several items per block allowed.
``numerals``
    "chinese" (一 … 九十九) or "arabic" (1, 2, …): how ``n`` is written; the expected number is written the same way.
``scopes`` (default: every section of the report's template)
    list of scopes (``section:一`` …, ``body``, ``document``); the count starts again in each.
``reset`` (optional)
    regular expression: where it is found, the count starts again for the items after it (e.g. a higher-level
    heading, also one glued into a line by a web page).
``first`` (default "one")
    "one": a list must start at 1 (a list starting 二 lacks its 一); "any": a list may start at any number (when
    the first item may not be recognised, e.g. 「建设一是」 in a line that lost its line breaks).
``skip_tables`` (default true; see the substitution kind).

Counting: an item numbered 1 starts a new list; any other item is expected to be the previous item's number
plus one. Each list with a wrong number gives one finding, at the first wrong item; its fix renumbers every wrong
item of that list, so the list ends up 1, 2, 3 … in the order written.
Message fields: {found} (the item as written), {expected} (as it should be), {previous} (the item before, or
「（无）」), {position}.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from ..cjk import chinese_numeral, chinese_value
from ..document import Block
from ..model import Diagnostic, Edit, Fix
from ..rules import Rule
from .base import CheckKind, CheckTable, Context, Fields, TextPattern, check_scope, diagnostic, fill

NUMERALS = ("chinese", "arabic")


@dataclass(frozen=True, slots=True)
class Params:
    pattern: TextPattern
    numerals: str
    scopes: tuple[str, ...] | None  # None: every section of the report's template
    reset: TextPattern | None
    first: str  # "one" | "any"
    skip_tables: bool


def prepare(rule: Rule) -> Params:
    table = CheckTable(rule)
    pattern = table.pattern("pattern")
    if "n" not in pattern.groupindex:
        raise table.error("pattern", "应含命名分组 (?P<n>…)：编号的数字")
    listed = table.strings("scopes", []) if "scopes" in table.rule.params else None
    scopes = None if listed is None else tuple(check_scope(table, "scopes", s) for s in listed)
    params = Params(pattern, table.choice("numerals", NUMERALS), scopes, table.optional_pattern("reset"),
                    table.choice("first", ("one", "any"), "one"), table.value("skip_tables", bool, True))
    table.done()
    return params


Item = tuple[Block, re.Match[str], int, int]  # (block, match, number as written, number expected)


def run(rule: Rule, params: Params, context: Context) -> Iterator[Diagnostic]:
    pattern, reset = params.pattern, params.reset
    arabic = params.numerals == "arabic"
    value = (lambda s: int(s) if s.isdigit() else None) if arabic else chinese_value
    write = str if arabic else chinese_numeral
    any_first = params.first == "any"
    sections = [f"section:{s.key}" for s in context.report.template.sections]
    for scope in params.scopes if params.scopes is not None else sections:
        lists: list[list[Item]] = []
        current: list[Item] | None = None
        for _, block in context.text_blocks(scope, params.skip_tables):
            resets = [m.start() for m in reset.finditer(block.text)] if reset is not None else []
            for m in pattern.finditer(block.text):
                n = value(m.group("n"))
                if n is None:
                    continue
                while resets and resets[0] <= m.start():
                    resets.pop(0)
                    current = None
                if n == 1 or current is None:
                    current = []
                    lists.append(current)
                    expected = n if any_first else 1
                else:
                    expected = current[-1][3] + 1
                current.append((block, m, n, expected))
            if resets:
                current = None
        for items in lists:
            wrong = [i for i, item in enumerate(items) if item[2] != item[3]]
            if not wrong:
                continue
            edits = []
            for i in wrong:
                block, m, _, expected = items[i]
                edits.append(Edit(block.location(*m.span("n")), write(expected)))
            first = wrong[0]
            block, m, _, expected = items[first]
            span = m.span("item") if "item" in m.re.groupindex and m.start("item") >= 0 else m.span()
            found = block.text[span[0]:span[1]]
            right = found[:m.start("n") - span[0]] + write(expected) + found[m.end("n") - span[0]:]
            previous = _item_text(items[first - 1]) if first else "（无）"
            fields = Fields(found=found, expected=right, previous=previous, position=str(first + 1))
            fix = None
            if rule.fix:
                message = fill(rule.fix_message, fields) if rule.fix_message else ""
                fix = Fix(rule.fix, message or f"依次重新编号（{len(edits)} 处）", tuple(edits))
            yield diagnostic(rule, context, block.location(*span), fix, **fields)


def _item_text(item: Item) -> str:
    block, m, _, _ = item
    span = m.span("item") if "item" in m.re.groupindex and m.start("item") >= 0 else m.span()
    return block.text[span[0]:span[1]]


KIND = CheckKind("sequence", prepare, run, ("found", "expected", "previous", "position"),
                 "编号依次连续：（一）（二）……、一是、二是……，不跳号、不重号")
