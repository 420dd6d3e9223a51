"""kind = "pattern": text that must not appear, optionally with its replacement (a fix).

Parameters: ``pattern`` (regular expression; named groups become message fields), ``replace`` (optional,
``re`` template: \\g<name>), ``unless_sentence`` (optional regular expression: a match in a sentence that says it is
not reported — words before or after the match showing it is about something else), ``scope`` (default body),
``skip_tables`` (default true: leave table cells and tab-separated table lines alone), and the preconditions of base.Conditions (min_year, max_year, when, when_cell).
Message fields: {found}, {replacement}, and the pattern's named groups.
"""
from __future__ import annotations

from collections.abc import Collection, Iterator
from dataclasses import dataclass

from ..model import Diagnostic, Edit, Fix
from ..rules import Rule
from .base import (
    CheckKind,
    CheckTable,
    Conditions,
    Context,
    TextPattern,
    diagnostic,
    fill,
    scope_blocks,
    scope_text,
    sentence_says,
)


@dataclass(frozen=True, slots=True)
class Params:
    pattern: TextPattern
    replace: str | None
    unless_sentence: TextPattern | None
    scope: str
    skip_tables: bool
    conditions: Conditions


def prepare(rule: Rule) -> Params:
    table = CheckTable(rule)
    pattern = table.pattern("pattern")
    params = Params(pattern, table.replacement("replace", pattern), table.optional_pattern("unless_sentence"),
                    table.scope(default="body"),
                    table.value("skip_tables", bool, True), Conditions.read(table))
    table.done()
    return params


def groups(params: Params) -> Collection[str]:
    return params.pattern.groupindex.keys()


def run(rule: Rule, params: Params, context: Context) -> Iterator[Diagnostic]:
    report, cond = context.report, params.conditions
    if not cond.applies(report, scope_text(report, params.scope) if cond.needs_text else None):
        return
    pattern, replace = params.pattern, params.replace
    for _, block in scope_blocks(report, params.scope, with_cells=not params.skip_tables):
        if params.skip_tables and "\t" in block.text:
            continue
        for m in pattern.finditer(block.text):
            if sentence_says(params.unless_sentence, block.text, m.start(), m.end()):
                continue
            loc = block.location(m.start(), m.end())
            fix, replacement = None, ""
            groups = {k: v for k, v in m.groupdict().items() if v is not None}
            if replace is not None:
                replacement = m.expand(replace)
                if replacement == m.group(0):
                    continue
                if rule.fix:
                    message = fill(rule.fix_message, {**groups, "found": m.group(0), "replacement": replacement})
                    fix = Fix(rule.fix, message or f"改为「{replacement}」", (Edit(loc, replacement),))
            yield diagnostic(rule, context, loc, fix, found=m.group(0), replacement=replacement, **groups)


KIND = CheckKind("pattern", prepare, run, ("found", "replacement"), "不应出现的文字（正则表达式），可带替换修复",
                 pattern_groups=groups)
