"""kind = "template-year": the report follows a template that was not in force for its year — the 2019 format in a
2021-or-later report (the 30号 notice replaced it), or the 2021 format for a year before it existed.

Only when the report's own table labels identified the template (a template chosen by year alone says nothing).
Message fields: {template} (its notice), {version}, {year}, {first}, {last}.
"""
from __future__ import annotations

from collections.abc import Iterator

from ..model import Diagnostic
from ..rules import Rule
from .base import CheckKind, Context, diagnostic, no_params


def run(rule: Rule, params: None, context: Context) -> Iterator[Diagnostic]:
    report = context.report
    t, year = report.template, report.year
    if year is None or report.template_evidence == 0:
        return
    first, last = t.first_year or 0, t.last_year or 9999
    if first <= year <= last:
        return
    t2 = report.tables.get("二")
    anchor = t2.anchor if t2 is not None and t2.anchor else report.blocks[0].location()
    yield diagnostic(rule, context, anchor, template=t.name, version=t.version, year=year, first=first,
                     last=last if last != 9999 else "今")


KIND = CheckKind("template-year", no_params, run, ("template", "version", "year", "first", "last"),
                 "报告所用格式在其年度是否有效（2019 与 2021 格式）", builtin=True)
