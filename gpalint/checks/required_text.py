"""kind = "required-text": a scope must say something — any one of ``patterns`` (regular expressions), and/or
each of the ``each`` keywords (one finding per keyword absent).

Parameters: ``scope`` (document, title, body, section:一 … — a section of the templates), ``patterns`` and/or ``each``, and the
preconditions of base.conditions (min_year, max_year, when, when_cell, when_above). A section scope is checked only
when the section exists: a missing section is the S rules' finding.
Message fields: {scope} (the section heading), {keyword}.
"""
from __future__ import annotations

from .base import applies, check_scope, conditions, diagnostic, param, regex, scope_anchor, scope_text


def prepare(rule):
    scope = check_scope(rule, param(rule, "scope", str, "document"))
    patterns = [regex(rule, "patterns", p) for p in param(rule, "patterns", list, [])]
    each = param(rule, "each", list, [])
    if not patterns and not each:
        from ..tomlfile import RuleFileError
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
    for keyword in params["each"]:
        if keyword not in compact:
            yield diagnostic(rule, report, anchor, scope=heading, keyword=keyword)
