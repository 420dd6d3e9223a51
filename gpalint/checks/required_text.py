"""kind = "required-text": a scope must say something — any one of ``patterns`` (regular expressions), and/or
each of the ``each`` subjects (one finding naming all the subjects absent).

Parameters: ``scope`` (document, title, body, section:一 … section:六), ``patterns`` and/or ``each``, and the
preconditions of base.conditions (min_year, max_year, when, when_cell, when_above). An ``each`` item is a
keyword, or a table {name = "平台建设", pattern = "平台(?:载体)?建设|…"} for a subject real reports word in several
ways; both are matched against the scope with and without its whitespace. A section scope is checked only when the
section exists: a missing section is the S rules' finding.
Message fields: {scope} (the section heading), {keyword} (the absent subjects, joined by 、), {missing} (the same,
each in 「」).
"""
from __future__ import annotations

import re

from ..tomlfile import RuleFileError
from .base import applies, check_scope, conditions, diagnostic, param, regex, scope_anchor, scope_text


def _subject(rule, item) -> tuple[str, re.Pattern]:
    """(name, pattern) of an ``each`` item: a keyword stands for itself."""
    if isinstance(item, str):
        return item, re.compile(re.escape(item))
    if isinstance(item, dict) and isinstance(item.get("name"), str) and isinstance(item.get("pattern"), str):
        return item["name"], regex(rule, f"each.{item['name']}", item["pattern"])
    raise RuleFileError(rule.path, "check.each", "每一项应为关键词，或 {name = \"…\", pattern = \"…\"}")


def prepare(rule):
    scope = check_scope(rule, param(rule, "scope", str, "document"))
    patterns = [regex(rule, "patterns", p) for p in param(rule, "patterns", list, [])]
    each = [_subject(rule, item) for item in param(rule, "each", list, [])]
    if not patterns and not each:
        raise RuleFileError(rule.path, "check.patterns", "patterns 与 each 至少要有一个")
    return {"scope": scope, "patterns": patterns, "each": each, "if": conditions(rule)}


def run(rule, params, report):
    year = report.year
    scope = params["scope"]
    section = scope.split(":", 1)[1] if scope.startswith("section:") else None
    if section and section not in report.outline.sections:
        return
    text = scope_text(report, scope)
    if not applies(report, params["if"], text):
        return
    compact = "".join(text.split())
    heading = next((s.heading for s in report.template.sections if s.key == section), "全文")
    anchor = scope_anchor(report, scope)
    if params["patterns"] and not any(p.search(text) or p.search(compact) for p in params["patterns"]):
        yield diagnostic(rule, report, anchor, scope=heading, year=year or "××××")
    missing = [name for name, p in params["each"] if not (p.search(text) or p.search(compact))]
    if missing:  # one finding for the scope, however many subjects it lacks
        yield diagnostic(rule, report, anchor, scope=heading, keyword="、".join(missing),
                         missing="".join(f"「{m}」" for m in missing))
