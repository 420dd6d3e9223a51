"""kind = "pattern": text that must not appear, optionally with its replacement (a fix).

Parameters: ``pattern`` (regular expression; named groups become message fields), ``replace`` (optional,
``re`` template: \\g<name>), ``scope`` (default body), ``skip_tables`` (default true: leave table cells and
tab-separated table lines alone), and the preconditions of base.conditions (min_year, max_year, when, when_cell).
Message fields: {found}, {replacement}, and the pattern's named groups.
"""
from __future__ import annotations

from ..model import Edit, Fix
from .base import applies, check_scope, conditions, diagnostic, param, regex, scope_blocks, scope_text


def prepare(rule):
    return {"pattern": regex(rule, "pattern", param(rule, "pattern", str)),
            "replace": rule.params.get("replace"),
            "scope": check_scope(rule, param(rule, "scope", str, "body")),
            "skip_tables": param(rule, "skip_tables", bool, True), "if": conditions(rule)}


def run(rule, params, report):
    cond = params["if"]
    needs_text = cond["when"] is not None or cond["unless"] is not None
    if not applies(report, cond, scope_text(report, params["scope"]) if needs_text else None):
        return
    pattern, replace = params["pattern"], params["replace"]
    for _, block in scope_blocks(report, params["scope"], with_cells=not params["skip_tables"]):
        if params["skip_tables"] and "\t" in block.text:
            continue
        for m in pattern.finditer(block.text):
            loc = block.location(m.start(), m.end())
            fix, replacement = None, ""
            if replace is not None:
                replacement = m.expand(replace)
                if replacement == m.group(0):
                    continue
                if rule.fix:
                    fix = Fix(rule.fix, rule.fix_message.format(found=m.group(0), replacement=replacement)
                              or f"改为「{replacement}」", (Edit(loc, replacement),))
            fields = {k: v for k, v in m.groupdict().items() if v is not None}
            yield diagnostic(rule, report, loc, fix, found=m.group(0), replacement=replacement, **fields)
