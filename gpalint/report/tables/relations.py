"""The template's relations (勾稽关系) over one recovered table, and the cells they point at when broken.

Each relation of the template is checked on every line it spans (axis "row": the total row against its part rows,
in every column; axis "column": the total column against its part columns, in every row). One wrong cell usually
breaks several lines at once — a wrong （七）总计 总计 breaks （七）'s own row sum, the 总计 column's sum of results
and the carry-over relation. The solver groups broken lines that share cells and looks for the one cell that, set
to one value, satisfies all of them without breaking a line that holds: that cell gets one finding, naming the other
relations. A group no single cell explains is reported line by line at each line's total, as the template states it.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..template import Relation
from .model import Table

Cell = tuple[str, str]  # (row key, column key)


@dataclass(frozen=True, slots=True)
class Line:
    """One relation on one line: ``total`` = Σ sign · part."""

    relation: Relation
    total: Cell
    parts: tuple[tuple[int, Cell], ...]

    def cells(self) -> list[Cell]:
        return [self.total, *(c for _, c in self.parts)]


@dataclass(slots=True)
class Break:
    """One finding of the relations: ``cell`` should be ``expected`` (None: no valid value, the parts are at fault)."""

    relation: Relation  # the relation that names the finding (the rule reporting it)
    cell: Cell
    expected: int | float | None
    found: int | float  # a blank total reads as 0
    terms: list[tuple[int, int | float]]  # how ``expected`` is computed: (sign, value) of the other cells
    others: list[Relation] = field(default_factory=list)  # the other relations the same cell breaks
    pointed: bool = True  # one cell explains its group; False: a line no single cell explains, reported at its total


def lines(table: Table) -> list[Line]:
    """Every line of every relation of the table that its recovered cells span (optional relations only where the
    report filled the total)."""
    spec = table.spec
    out: list[Line] = []
    for rel in spec.relations:
        if rel.axis == "row":
            for c in table.active(spec.rows[rel.total].columns or spec.columns):
                out.append(Line(rel, (rel.total, c), tuple((s, (p, c)) for s, p in rel.parts)))
        else:
            needed = {rel.total, *(p for _, p in rel.parts)}
            for r in spec.rows.values():
                if needed <= set(table.active(r.columns or spec.columns)):
                    out.append(Line(rel, (r.key, rel.total), tuple((s, (r.key, p)) for s, p in rel.parts)))
    return [ln for ln in out if ln.total in table.cells]


def total_value(table: Table, cell: Cell) -> int | float | None:
    """A total's number: a blank total where nothing happened reads as 0 (T110 asks to fill it)."""
    v = table.cells.get(cell)
    if v is None or cell[0] in table.uncertain:
        return None
    return 0 if v.raw == "" else table.value(*cell)


def residual(table: Table, line: Line) -> float | None:
    """total − Σ parts, or None when a cell of the line is missing or unreadable."""
    total = total_value(table, line.total)
    if total is None:
        return None
    s = 0.0
    for sign, cell in line.parts:
        v = table.value(*cell)
        if v is None:
            return None
        s += sign * v
    return total - s


def holds(table: Table, line: Line) -> bool | None:
    r = residual(table, line)
    return None if r is None else abs(r) < 1e-6


def solve(table: Table) -> list[Break]:
    """The findings of the table's broken relations: one per cell the relations point at."""
    evaluable = [(ln, r) for ln in lines(table) if (r := residual(table, ln)) is not None]
    broken = [ln for ln, r in evaluable if abs(r) >= 1e-6]
    if not broken:
        return []
    res = {id(ln): r for ln, r in evaluable}
    touching: dict[Cell, list[Line]] = {}
    for ln, _ in evaluable:
        for c in ln.cells():
            touching.setdefault(c, []).append(ln)
    out: list[Break] = []
    for group in _groups(broken):
        ids = {id(ln) for ln in group}
        found = [b for c in dict.fromkeys(c for ln in group for c in ln.cells())
                 if {id(ln) for ln in touching[c]} == ids and (b := _fix(table, c, group, res)) is not None]
        if len(found) > 1:  # a line alone (表四 总计): its total is the cell the template states as the sum
            found = [b for b in found if any(ln.total == b.cell for ln in group)]
        if len(found) == 1:
            out.append(found[0])
            continue
        seen: set[Cell] = set()
        for ln in group:
            if ln.total not in seen:
                seen.add(ln.total)
                out.append(_at_total(table, ln, res[id(ln)]))
    return out


def _groups(broken: list[Line]) -> list[list[Line]]:
    """Broken lines that share a cell, transitively, in template order."""
    groups: list[list[Line]] = []
    for ln in broken:
        cells = set(ln.cells())
        joined = [g for g in groups if any(cells & set(o.cells()) for o in g)]
        merged = [ln] + [o for g in joined for o in g]
        groups = [g for g in groups if g not in joined] + [merged]
    order = {id(ln): i for i, ln in enumerate(broken)}
    return sorted((sorted(g, key=lambda ln: order[id(ln)]) for g in groups), key=lambda g: order[id(g[0])])


def _fix(table: Table, cell: Cell, group: list[Line], res: dict[int, float]) -> Break | None:
    """The Break at ``cell`` if one value of it satisfies every line of ``group``, and that value is valid."""
    current = total_value(table, cell)
    if current is None:
        return None
    wanted: set[float] = set()
    for ln in group:
        r = res[id(ln)]
        if ln.total == cell:
            wanted.add(round(current - r, 6))
        else:
            sign = next(s for s, c in ln.parts if c == cell)
            wanted.add(round(current + r / sign, 6))
    if len(wanted) != 1:
        return None
    value = wanted.pop()
    if not _valid(table, cell, value):
        return None
    # the relation that names it: one the cell is the total of, else its own row's sum (axis "column"), else the
    # first; the others are named with it
    primary = next((ln for ln in group if ln.total == cell),
                   next((ln for ln in group if ln.relation.axis == "column"), group[0]))
    if primary.total == cell:
        terms = [(s, table.value(*c)) for s, c in primary.parts]
    else:
        sign = next(s for s, c in primary.parts if c == cell)
        terms = [(sign, total_value(table, primary.total))] + [
            (-s * sign, table.value(*c)) for s, c in primary.parts if c != cell]
    return Break(primary.relation, cell, _number(value), current, _known(terms),
                 list(dict.fromkeys(ln.relation for ln in group if ln.relation is not primary.relation)))


def _at_total(table: Table, line: Line, r: float) -> Break:
    current = total_value(table, line.total)
    assert current is not None  # the line was evaluable
    value = current - r
    terms = _known([(s, table.value(*c)) for s, c in line.parts])
    return Break(line.relation, line.total, _number(value) if _valid(table, line.total, value) else None, current,
                 terms, pointed=False)


def _valid(table: Table, cell: Cell, value: float) -> bool:
    """A count is a non-negative integer; a signed column (本年增/减) may be negative; an amount is a number ≥ 0."""
    kind = table.spec.rows[cell[0]].kind(cell[1])
    if kind == "signed":
        return float(value).is_integer()
    return value >= 0 and (kind == "amount" or float(value).is_integer())


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


def _known(terms: list[tuple[int, int | float | None]]) -> list[tuple[int, int | float]]:
    return [(s, v) for s, v in terms if v is not None]
