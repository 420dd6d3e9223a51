"""kind = "required-text": a scope must say something — any one of ``patterns`` (regular expressions), and/or
each of the ``each`` subjects (one finding naming all the subjects absent).

Parameters: ``scope`` (document, title, body, section:一 … section:六), ``patterns`` and/or ``each``, and the
preconditions of base.Conditions (min_year, max_year, when, when_cell, when_above). An ``each`` item is a
keyword, or a table {name = "平台建设", pattern = "平台(?:载体)?建设|…"} for a subject real reports word in several
ways; both are matched against the scope with and without its whitespace. A section scope is checked only when the
section exists: a missing section is the S rules' finding.
Message fields: {scope} (the section heading), {year}, {keyword} (the absent subjects, joined by 、), {missing} (the
same, each in 「」).
"""
from __future__ import annotations

import re
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
class Subject:
    """An ``each`` item: its name in the message, and the pattern that finds it (a keyword stands for itself)."""

    name: str
    pattern: TextPattern


@dataclass(frozen=True, slots=True)
class Params:
    scope: str
    patterns: tuple[TextPattern, ...]
    each: tuple[Subject, ...]
    conditions: Conditions


def _subjects(table: CheckTable) -> tuple[Subject, ...]:
    subjects = []
    for i, item in enumerate(table.value("each", list, [])):
        if isinstance(item, str):
            subjects.append(Subject(item, re.compile(re.escape(item))))
        elif (isinstance(item, dict) and set(item) == {"name", "pattern"}
              and isinstance(item["name"], str) and isinstance(item["pattern"], str)):
            subjects.append(Subject(item["name"], table.pattern(f"each[{i}].pattern", item["pattern"])))
        else:
            raise table.error(f"each[{i}]", "每一项应为关键词，或 {name = \"…\", pattern = \"…\"}")
    return tuple(subjects)


def prepare(rule: Rule) -> Params:
    table = CheckTable(rule)
    scope = table.scope()
    patterns = tuple(table.pattern("patterns", p) for p in table.strings("patterns", []))
    each = _subjects(table)
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
    missing = [s.name for s in params.each if not (s.pattern.search(text) or s.pattern.search(compact))]
    if missing:  # one finding for the scope, however many subjects it lacks
        yield diagnostic(rule, context, anchor, scope=heading, keyword="、".join(missing),
                         missing="".join(f"「{m}」" for m in missing))


KIND = CheckKind("required-text", prepare, run, ("scope", "year", "keyword", "missing"),
                 "某一范围必须写到的内容（任一正则表达式，或每个关键词）")
