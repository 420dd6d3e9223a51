"""kind = "required-text": a scope must say something — any one of ``patterns`` (regular expressions), and/or
each of the ``each`` keywords (one finding per keyword absent).

Parameters: ``scope`` (document, title, body, section:一 … section:六), ``patterns`` and/or ``each``,
optional ``min_year`` / ``max_year`` (only for reports of those years), ``if_section`` (only when that section
exists; default true for section scopes: a missing section is reported by the S rules).
Message fields: {scope} (the section heading), {keyword}.
"""
from __future__ import annotations

from .base import check_scope, diagnostic, param, regex, scope_anchor, scope_blocks


def prepare(rule):
    scope = check_scope(rule, param(rule, "scope", str, "document"))
    patterns = [regex(rule, "patterns", p) for p in param(rule, "patterns", list, [])]
    each = param(rule, "each", list, [])
    if not patterns and not each:
        from ..tomlfile import RuleFileError
        raise RuleFileError(rule.path, "check.patterns", "patterns 与 each 至少要有一个")
    return {"scope": scope, "patterns": patterns, "each": each,
            "min_year": param(rule, "min_year", int, 0), "max_year": param(rule, "max_year", int, 9999)}


def run(rule, params, report):
    year = report.year
    if year is not None and not params["min_year"] <= year <= params["max_year"]:
        return
    scope = params["scope"]
    section = scope.split(":", 1)[1] if scope.startswith("section:") else None
    if section and section not in report.outline.sections:
        return
    text = "\n".join(b.text for _, b in scope_blocks(report, scope, with_cells=True))
    compact = "".join(text.split())
    heading = next((s.heading for s in report.template.sections if s.key == section), "全文")
    anchor = scope_anchor(report, scope)
    if params["patterns"] and not any(p.search(text) or p.search(compact) for p in params["patterns"]):
        yield diagnostic(rule, report, anchor, scope=heading, year=year or "××××")
    for keyword in params["each"]:
        if keyword not in compact:
            yield diagnostic(rule, report, anchor, scope=heading, keyword=keyword)
