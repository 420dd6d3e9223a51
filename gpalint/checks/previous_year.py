"""kind = "previous-year": a cell of this year's table equals a (signed) sum of cells of last year's report of the same
agency and of this year's — the figures that must continue from one year's report to the next.

Parameters: ``table`` (a table key of the templates, e.g. "三"); ``rows`` (the rows whose cells are checked);
``columns`` (the columns checked, default ["*"]: every column the row has); ``terms``, the cells the checked cell
equals the sum of, each "[-][上年:]行/列": a leading "-" subtracts, 「上年:」 takes the cell from last year's report,
and "*" for the row or the column stands for the checked cell's own (["上年:四/*"]: last year's row 四, same column).

A cell is compared only when every cell it involves was read with confidence in both reports (a number: no reader
note, not unreadable, not missing, not left blank), so a table gpalint could not read gives no finding. The cells of one row that
disagree are one finding (one cause: the row was not carried over), on the first of them, naming each.
Message fields: {table}, {row} (the checked row's label), {previous} (last year's file), {details} (each cell that
disagrees: its value, the expected value and the terms), {found}, {expected} (of the first cell).
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from ..model import Diagnostic
from ..rules import Rule
from .base import CheckKind, CheckTable, Context
from .pair import PairContext, cell_diagnostic, cell_note

_TERM = re.compile(r"^(?P<sign>-)?(?P<previous>上年:)?(?P<row>[^/:]+)/(?P<column>[^/:]+)$")


@dataclass(frozen=True, slots=True)
class Term:
    sign: int
    previous: bool
    row: str  # "*": the checked cell's
    column: str

    def cell(self, row: str, column: str) -> str:
        return f"{row if self.row == '*' else self.row}/{column if self.column == '*' else self.column}"


@dataclass(frozen=True, slots=True)
class Params:
    table: str
    rows: tuple[str, ...]
    columns: tuple[str, ...]
    terms: tuple[Term, ...]
    against: str = "previous"


def prepare(rule: Rule) -> Params:
    table = CheckTable(rule)
    key = table.value("table", str)
    rows = table.strings("rows")
    columns = table.strings("columns", ["*"])
    terms = []
    for i, text in enumerate(table.strings("terms")):
        m = _TERM.match(text)
        if m is None:
            raise table.error(f"terms[{i}]", "应写成 [-][上年:]行/列，如 \"上年:四/*\" 或 \"-*/废止\"")
        terms.append(Term(-1 if m.group("sign") else 1, bool(m.group("previous")), m.group("row"), m.group("column")))
    if not rows or not terms:
        raise table.error("rows" if not rows else "terms", "不能为空")
    if not any(t.previous for t in terms):
        raise table.error("terms", "至少有一项取自上年报告（「上年:」）")
    table.done()
    return Params(key, tuple(rows), tuple(columns), tuple(terms))


def digest(params: Params, context: Context) -> dict | None:
    """The table's cells this kind compares, as plain data: every checked cell with where it is, and the value of
    every cell a term names (a report is this year's of one pair and last year's of another)."""
    from ..output.readout import cell_reading
    t = context.report.tables.get(params.table)
    if t is None or not t.found:
        return None
    spec = t.spec
    cells: dict[str, dict] = {}
    labels: dict[str, str] = {}

    def note(row: str, column: str) -> dict | None:
        if row not in spec.rows or column not in spec.columns:
            return None
        name = f"{row}/{column}"
        if name not in cells:
            reading = cell_reading(t, row, column)
            value = t.value(row, column)
            # a blank cell is not compared: left empty in one report, it may mean 0 or nothing filled in
            cells[name] = {"v": value, "ok": reading["state"] == "ok" and value is not None}
            labels[row], labels[column] = spec.row_label(row) or spec.title, spec.columns[column].label
        return cells[name]

    for row in params.rows:
        if row not in spec.rows:
            continue
        columns = t.active(spec.rows[row].columns or spec.columns) if "*" in params.columns else params.columns
        for column in columns:
            for term in params.terms:
                note(*term.cell(row, column).split("/"))
            found = note(row, column)
            if found is not None and found["ok"] and (row, column) in t.cells:
                found["checked"] = True
                found.update(cell_note(context, t.cells[(row, column)].location))
    return {"title": spec.title, "cells": cells, "labels": labels}


def _fmt(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else f"{v:g}"


def run(rule: Rule, params: Params, pair: PairContext) -> Iterator[Diagnostic]:
    this, last = pair.this.part(rule), pair.other.part(rule)
    if not this or not last:
        return
    labels = {**last["labels"], **this["labels"]}
    for row in params.rows:
        wrong: list[tuple[dict, float, float, str]] = []
        for name, cell in this["cells"].items():
            r, column = name.split("/")
            if r != row or not cell.get("checked"):
                continue
            total = 0.0
            parts: list[str] = []
            for term in params.terms:
                source = last if term.previous else this
                other = source["cells"].get(term.cell(row, column))
                if other is None or not other["ok"]:
                    break
                tr, tc = term.cell(row, column).split("/")
                label = labels.get(tr if tr != row else tc, tr)
                parts.append(f"{'−' if term.sign < 0 else ('＋' if parts else '')}{'上年' if term.previous else ''}"
                             f"「{label}」{_fmt(other['v'])}")
                total += term.sign * other["v"]
            else:
                if abs(cell["v"] - total) > 1e-9:
                    wrong.append((cell, cell["v"], total, f"「{labels.get(column, column)}」列为 {_fmt(cell['v'])}，"
                                                          f"应为 {_fmt(total)}（{''.join(parts)}）"))
        if wrong:
            first, found, expected, _ = wrong[0]
            yield cell_diagnostic(rule, pair.this, first, table=this["title"], row=labels.get(row, row),
                                  previous=pair.other.name, details="；".join(w[3] for w in wrong),
                                  found=_fmt(found), expected=_fmt(expected))


KIND = CheckKind("previous-year", prepare, run,  # type: ignore[arg-type]  # run gets a PairContext: see pair.py
                 ("table", "row", "previous", "details", "found", "expected"),
                 "与上年报告衔接：本年表格的一格等于上年报告（及本年）若干格的和", digest=digest)
