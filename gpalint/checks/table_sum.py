"""kind = "table-sum": the 勾稽关系 — a total equals the (signed) sum of its parts, for the template's relations.

The relations of a table are solved together (gpalint/report/tables/relations.py): a wrong cell is reported once, by
the rule of the relation that names it (the one it is the total of), and the other relations it breaks are named
in the same finding.

Parameters: ``relations`` = ids of relations in the template's tables (e.g. ["E2"]).
Message fields: {table} {row} {column} (the cell), {expected}, {found}, {expression} (e.g. 3+4+5), {note};
{should}: 「应为 4（3+1）」, or, where no count could satisfy the relation (the parts are at fault), 「无法成立（4−5 为负数）」;
{also}: 「（同时不符：…）」 naming the other relations the cell breaks, or empty.
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
    for table in context.report.tables.values():
        if not table.found:
            continue
        spec = table.spec
        for b in table.breaks:
            if b.relation.id not in params.relations:
                continue
            row, col = b.cell
            cell = table.cells[b.cell]
            expression = _expression(b.terms)
            if b.expected is None:
                should, expected = f"无法成立（{expression} 为负数）", ""
            else:
                expected = _fmt(b.expected)
                should = f"应为 {expected}（{expression}）"
            also = "；".join(o.note or o.id for o in b.others)
            yield diagnostic(rule, context, cell.location, table=spec.title, row=spec.row_label(row) or spec.title,
                             column=spec.columns[col].label, expected=expected,
                             found="空白" if cell.raw == "" else _fmt(b.found), expression=expression,
                             note=b.relation.note, should=should, also=f"（同时不符：{also}）" if also else "")


def _fmt(v: float) -> str:
    text = str(int(v)) if float(v).is_integer() else f"{v:g}"
    return text.replace("-", "−")  # the same minus sign as in the expression


def _expression(terms: list[tuple[int, int | float]]) -> str:
    nonzero = [(s, v) for s, v in terms if v]
    if not nonzero:
        return "各项均为 0"
    out = ""
    for s, v in nonzero:
        out += ("−" if s * v < 0 else "+") + _fmt(abs(v))
    return out.lstrip("+")


KIND = CheckKind("table-sum", prepare, run,
                 ("table", "row", "column", "expected", "found", "expression", "note", "should", "also"),
                 "勾稽关系：模板中的合计等于各分项（带符号）之和")
