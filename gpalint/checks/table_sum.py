"""kind = "table-sum": the 勾稽关系 — a total equals the (signed) sum of its parts, for the template's relations.

The relations of a table are solved together (gpalint/report/tables/relations.py): a wrong cell is reported once, by
the rule of the relation that names it (the one it is the total of), and the other relations it breaks are named
in the same finding.

Parameters: ``relations`` = ids of relations in the template's tables (e.g. ["E2"]).
Message fields: {table} {row} {column} (the cell), {expected}, {found}, {expression} (e.g. 3+4+5), {note};
{should}: 「应为 4（3+1）」, or, where no count could satisfy the relation (the parts are at fault), 「无法成立（4−5 为负数）」;
{also}: 「（同时不符：…）」 naming the other relations the cell breaks, or empty.

A total column left blank all the way down (more than BLANK_ROWS blank totals of one column, each of a nonzero sum)
is one habit, not a defect per row: one finding at the first, whose {also} lists the other cells with the value each
should have.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from ..model import Diagnostic
from ..report.tables.recovery import BLANK_ROWS
from ..report.tables.relations import Break
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
        breaks = [b for b in table.breaks if b.relation.id in params.relations]
        blank_by_column: dict[str, list[Break]] = {}
        for b in breaks:
            if table.cells[b.cell].raw == "" and b.expected is not None:
                blank_by_column.setdefault(b.cell[1], []).append(b)
        folded = {col: bs for col, bs in blank_by_column.items() if len(bs) > BLANK_ROWS}
        for b in breaks:
            row, col = b.cell
            run_of_blanks = folded.get(col)
            if run_of_blanks is not None and b is not run_of_blanks[0] and b in run_of_blanks:
                continue  # listed in the finding of the column's first blank total
            cell = table.cells[b.cell]
            expression = _expression(b.terms)
            if b.expected is None:
                should, expected = f"无法成立（{expression} 为负数）", ""
            else:
                expected = _fmt(b.expected)
                should = f"应为 {expected}（{expression}）"
            if run_of_blanks is not None and b is run_of_blanks[0]:
                rest = "、".join(f"「{spec.row_label(o.cell[0]) or spec.title}」{_fmt(o.expected or 0)}"
                                 for o in run_of_blanks[1:])
                also = f"（同列另有 {len(run_of_blanks) - 1} 个合计留空，应分别为：{rest}）"
            else:
                others = "；".join(o.note or o.id for o in b.others)
                also = f"（同时不符：{others}）" if others else ""
            yield diagnostic(rule, context, cell.location, table=spec.title, row=spec.row_label(row) or spec.title,
                             column=spec.columns[col].label, expected=expected,
                             found="空白" if cell.raw == "" else _fmt(b.found), expression=expression,
                             note=b.relation.note, should=should, also=also)


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
