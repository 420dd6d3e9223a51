"""kind = "required-text": a scope must say something — any one of ``patterns`` (regular expressions), and/or
each of the ``each`` keywords (one finding per keyword absent).

Parameters: ``scope`` (document, title, body, section:一 … section:六), ``patterns`` and/or ``each``, and the
preconditions of base.Conditions (min_year, max_year, when, when_cell, when_above). A section scope is checked only
when the section exists: a missing section is the S rules' finding.
Message fields: {scope} (the section heading), {year}, {keyword}.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from ..model import Diagnostic
from ..rules import Rule
from .base import (
    CheckKind,
    CheckTable,
    Conditions,
    Context,
    TextPattern,
    diagnostic,
    scope_anchor,
    scope_text,
)


@dataclass(frozen=True, slots=True)
class Params:
    scope: str
    patterns: tuple[TextPattern, ...]
    each: tuple[str, ...]
    conditions: Conditions


def prepare(rule: Rule) -> Params:
    table = CheckTable(rule)
    scope = table.scope()
    patterns = tuple(table.pattern("patterns", p) for p in table.strings("patterns", []))
    each = tuple(table.strings("each", []))
    if not patterns and not each:
        raise table.error("patterns", "patterns 与 each 至少要有一个")
    params = Params(scope, patterns, each, Conditions.read(table))
    table.done()
    return params


def run(rule: Rule, params: Params, context: Context) -> Iterator[Diagnostic]:
    report = context.report
    year = report.year
    scope = params.scope
    section = scope.split(":", 1)[1] if scope.startswith("section:") else None
    if section and section not in report.outline.sections:
        return
    text = scope_text(report, scope)
    if not params.conditions.applies(report, text):
        return
    compact = "".join(text.split())
    heading = next((s.heading for s in report.template.sections if s.key == section), "全文")
    anchor = scope_anchor(report, scope)
    if params.patterns and not any(p.search(text) or p.search(compact) for p in params.patterns):
        yield diagnostic(rule, context, anchor, scope=heading, year=year or "××××")
    for keyword in params.each:
        if keyword not in compact:
            yield diagnostic(rule, context, anchor, scope=heading, keyword=keyword)


KIND = CheckKind("required-text", prepare, run, ("scope", "year", "keyword"),
                 "某一范围必须写到的内容（任一正则表达式，或每个关键词）")
