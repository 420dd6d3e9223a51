"""kind = "table": what table recovery found wrong — a table missing, a row missing, values missing or unreadable.

Parameters: ``aspect`` = "missing-table" | "missing-row" | "values" | "bad-value" | "blank" (cells of a real table
left empty); optional ``tables`` (keys).
Message fields: {table} (表三), {name}, {row}, {column}, {detail}.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from ..model import Diagnostic
from ..rules import Rule
from .base import CheckKind, CheckTable, Context, diagnostic

ASPECTS = ("missing-table", "missing-row", "values", "bad-value", "blank")
_ISSUES = {"missing-row": ("missing-row",), "values": ("missing-values", "extra-values", "unreadable", "empty"),
           "bad-value": ("bad-value",), "blank": ("blank",)}


@dataclass(frozen=True, slots=True)
class Params:
    aspect: str
    tables: tuple[str, ...]  # table keys; empty: all


def prepare(rule: Rule) -> Params:
    table = CheckTable(rule)
    params = Params(table.choice("aspect", ASPECTS), tuple(table.strings("tables", [])))
    table.done()
    return params


def run(rule: Rule, params: Params, context: Context) -> Iterator[Diagnostic]:
    report = context.report
    for key, table in report.tables.items():
        if params.tables and key not in params.tables:
            continue
        spec = table.spec
        if params.aspect == "missing-table":
            # only under a section that is there: a missing section is the S rules' finding, not a second one here
            if not table.found and key in report.outline.sections and table.anchor is not None:
                yield diagnostic(rule, context, table.anchor, table=spec.title, name=spec.name)
            continue
        if not table.found:
            continue
        for issue in table.issues:
            if issue.kind not in _ISSUES[params.aspect]:
                continue
            row = spec.row_label(issue.row) if issue.row else ""
            column = spec.columns[issue.column].label if issue.column else ""
            loc = issue.location.with_context(table.context(issue.row, issue.column))
            yield diagnostic(rule, context, loc, table=spec.title, name=spec.name, row=f"「{row}」行" if row else "",
                             column=column, detail=issue.detail)


KIND = CheckKind("table", prepare, run, ("table", "name", "row", "column", "detail"),
                 "表格识别的结果：缺表、缺行、数值缺失或无法读取、单元格留空")
