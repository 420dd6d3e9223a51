"""kind = "table-sum": the 勾稽关系 — a total equals the (signed) sum of its parts, for the template's relations.

Parameters: ``relations`` = ids of relations in the template's tables (e.g. ["E2"]).
Message fields: {table} {row} {column} (the total cell), {expected}, {found}, {expression} (e.g. 3+4+5), {note}.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from ..model import Diagnostic
from ..rules import Rule
from .base import CheckKind, CheckTable, Context, diagnostic


@dataclass(frozen=True, slots=True)
class Params:
    relations: frozenset[str]  # relation ids of the template's tables


def prepare(rule: Rule) -> Params:
    table = CheckTable(rule)
    ids = table.value("relations", list)
    if not ids or not all(isinstance(i, str) for i in ids):
        raise table.error("relations", "应为关系编号的列表，如 [\"E2\"]")
    table.done()
    return Params(frozenset(ids))


def run(rule: Rule, params: Params, context: Context) -> Iterator[Diagnostic]:
    report = context.report
    for table in report.tables.values():
        if not table.found:
            continue
        spec = table.spec
        for rel in spec.relations:
            if rel.id not in params.relations:
                continue
            if rel.axis == "row":
                lines = [(rel.total, c, [(s, p, c) for s, p in rel.parts])
                         for c in table.active(spec.rows[rel.total].columns or spec.columns)]
            else:
                needed = {rel.total, *(p for _, p in rel.parts)}
                lines = [(r.key, rel.total, [(s, r.key, p) for s, p in rel.parts]) for r in spec.rows.values()
                         if needed <= set(table.active(r.columns or spec.columns))]
            for row, col, parts in lines:
                cell = table.cells.get((row, col))
                if cell is None or row in table.uncertain:
                    continue  # missing or unreadable: reported by the table rules
                blank = cell.raw == ""
                found = table.value(row, col)
                if found is None and not blank:
                    continue
                read = [(s, table.value(r, c)) for s, r, c in parts]
                values = [(s, v) for s, v in read if v is not None]
                if len(values) < len(read):
                    continue
                expected = sum(s * v for s, v in values)
                if abs(expected - (found if found is not None and not blank else 0)) < 1e-6:
                    continue  # a blank total where nothing happened reads as 0 (T110 asks to fill it)
                yield diagnostic(rule, context, cell.location, table=spec.title, row=spec.row_label(row) or spec.title,
                                 column=spec.columns[col].label, expected=_fmt(expected),
                                 found="空白" if blank else _fmt(found),
                                 expression=_expression(values), note=rel.note)


def _fmt(v) -> str:
    text = str(int(v)) if float(v).is_integer() else f"{v:g}"
    return text.replace("-", "−")  # the same minus sign as in the expression


def _expression(values) -> str:
    terms = [(s, v) for s, v in values if v]
    if not terms:
        return "各项均为 0"
    out = ""
    for s, v in terms:
        out += ("−" if s < 0 else "+") + _fmt(v)
    return out.lstrip("+")


KIND = CheckKind("table-sum", prepare, run,
                 ("table", "row", "column", "expected", "found", "expression", "note"),
                 "勾稽关系：模板中的合计等于各分项（带符号）之和")
