"""Recover the template's tables from any layout into grids keyed by the template's row and column labels.

Real reports bring the same table as a Word table with merged cells, tab-separated rows with blanks for merged
cells, one cell per line, ``|``-separated rows, rows broken over two lines or shifted by a cell, or (pasted from
web pages) everything glued into one line. Column positions are therefore worthless; what survives every layout
is the *sequence*: a row label, then that row's numbers. So each table's region is cut into label and number
tokens (tokens.py), labels are matched to the template's rows in order, and each row takes the numbers that
follow it; digits glued together are split only where the split is unique (glued.py).
"""
from __future__ import annotations

from dataclasses import dataclass

from ...document import Block
from ...model import Location
from ..outline import Outline
from ..template import Row, TableSpec, Template, norm, split_numbering
from .glued import solve_glued
from .model import Issue, Table, Value
from .tokens import PROSE, Token, parse_value, tokenize, value_slots

_WINDOW = 8  # how far ahead of the last matched row a label may match (rows can be missing)


@dataclass(frozen=True, slots=True)
class _Source:
    blocks: list[Block]  # the Report's blocks (segmented): outline indices point into them
    format: str  # the reader's format: Word and PDF cells are located by their place in the real table


class _Matcher:
    """Matches label tokens to a table's rows, columns and header labels after normalisation."""

    def __init__(self, spec: TableSpec):
        self.spec = spec
        self.rows = list(spec.rows.values())
        self.row_forms = [{split_numbering(f)[1].rstrip(":：") for f in (r.label, *r.variants) if f} for r in self.rows]
        self.columns = {}
        for c in spec.columns.values():
            for f in (c.label, *c.variants):
                self.columns[norm(f)] = c.key
        self.headers = {norm(h) for h in spec.headers}
        # full labels (with their numbering) for glued text such as 「…信息内容本年制发件数规章」
        self.known = sorted([*self.columns, *self.headers], key=len, reverse=True)
        self.row_tails = [{norm(f) for f in (r.label, *r.variants) if f and len(norm(f)) >= 2} for r in self.rows]

    def _after_known_label(self, head: str) -> bool:
        return any(head.endswith(k) for k in self.known)

    def row(self, text: str, pos: int) -> int | None:
        _numbering, core = split_numbering(text)
        core = core.rstrip(":：")
        if not core:
            return None
        window = range(pos, min(len(self.rows), pos + _WINDOW))
        for i in window:
            if core in self.row_forms[i]:
                return i
        for i in range(pos + _WINDOW, len(self.rows)):  # a long gap: accept only exact labels
            if core in self.row_forms[i] and len(core) > 3:
                return i
        whole = norm(text)
        if len(whole) > 6:  # labels glued together: the row is the label the text ends with
            for i in window:
                for t in self.row_tails[i]:
                    if whole.endswith(t) and (len(t) >= 4 or self._after_known_label(whole[: -len(t)])):
                        return i
        if len(core) < 4 or (PROSE.search(core) and len(core) > 30):
            return None  # too short to match loosely, or a sentence
        from difflib import SequenceMatcher  # only for labels no exact rule recognised
        best, best_ratio = None, 0.0
        for i in window:
            for form in self.row_forms[i]:
                if len(form) >= 4 and (core.startswith(form) or form.startswith(core)):
                    return i
                r = SequenceMatcher(None, core, form).ratio()
                if r > best_ratio:
                    best, best_ratio = i, r
        return best if best_ratio >= 0.8 else None


# ── recovery ─────────────────────────────────────────────────────────────────────────────────────────

def recover_tables(blocks: list[Block], format: str, outline: Outline, template: Template) -> dict[str, Table]:
    """Each of the template's tables, as found in ``blocks`` (the Report's) of a document read from ``format``."""
    src = _Source(blocks, format)
    return {key: recover(src, outline, spec) for key, spec in template.tables.items()}


def _region(src: _Source, outline: Outline, spec: TableSpec) -> range:
    section = outline.sections.get(spec.key)
    if section:
        return range(section.start, section.end)
    # the heading is missing or unrecognised: start at the first block holding one of the table's own labels
    # labels only this table has: its long row labels and its long headers (第二十条第（一）项, 未经复议直接起诉)
    probes = [norm(r.label) for r in spec.rows.values() if len(r.label) > 4] + [
        norm(h) for h in spec.headers if len(h) >= 6]
    starts = sorted(h.index for h in outline.headings)
    for i, b in enumerate(src.blocks):
        n = norm(b.text)
        if any(p in n for p in probes):
            end = next((s for s in starts if s > i), len(src.blocks))
            return range(i, end)
    return range(0)


def recover(src: _Source, outline: Outline, spec: TableSpec) -> Table:
    table = Table(spec)
    region = _region(src, outline, spec)
    section = outline.sections.get(spec.key)
    if section is None and not region:
        return table
    anchor = table.anchor = src.blocks[section.heading.index if section else region.start].location()
    if not region:
        return table
    tokens = tokenize(src.blocks, region)
    if spec.layout == "header":
        _recover_header_table(src, table, tokens)
    else:
        _recover_row_table(src, table, tokens, anchor)
    return table


def _loc(src: _Source, block: int, start: int, end: int, context: str | None = None) -> Location:
    b = src.blocks[block]
    # PDF, Markdown: where the cell sits in the real table (a Word location says it: Location.cell)
    if context and b.cell is not None and src.format not in ("html", "docx"):
        context += f"（第 {b.cell.table} 个表格第 {b.cell.row} 行第 {b.cell.col} 列）"
    return b.location(start, end, context)


def _recover_row_table(src: _Source, table: Table, tokens: list[Token], anchor: Location) -> None:
    spec, matcher = table.spec, _Matcher(table.spec)
    pos = 0
    current: Row | None = None
    current_row: tuple[int, int] | None = None  # the real-table row the current label sits in
    values: list[Token] = []
    for tok in tokens:
        if tok.kind != "label":
            # an empty cell is a blank value only in its label's own table row (a page break may leave empty
            # remainders of merged cells before the next row's label)
            if current is not None and (tok.kind != "blank" or tok.row == current_row):
                values.append(tok)
            continue
        n = norm(tok.text)
        if n in matcher.columns:
            table.columns_seen.add(matcher.columns[n])
            continue
        if n in matcher.headers:
            continue
        i = matcher.row(tok.text, pos)
        if i is None:
            if PROSE.search(tok.text) and len(tok.text) > 12 and current is not None:
                _assign(src, table, current, values)  # prose after the table: the row ends here
                current, values = None, []
            continue
        if current is not None:
            _assign(src, table, current, values)
        current, values, current_row = matcher.rows[i], [], tok.row
        if current.key not in table.rows:
            table.rows[current.key] = _loc(src, tok.block, tok.start, tok.end)
        pos = i + 1
    if current is not None:
        _assign(src, table, current, values)
    leaves = [r for r in spec.rows.values() if not r.group]
    table.found = sum(1 for r in leaves if r.key in table.rows) >= min(2, len(leaves))
    if not table.found:
        return
    if not table.cells:  # labels but not one number (r014): one finding for the table, not one per row
        table.uncertain.update(table.rows)
        table.issues = [Issue("empty", None, None, "表格只有标签，没有填写任何数值", anchor)]
        return
    # a missing row is reported where it should stand: at the row before it (or, for the first, the row after)
    found = [k for k in spec.rows if k in table.rows]
    for r in leaves:
        if r.key not in table.rows:
            keys = list(spec.rows)
            before = [k for k in found if keys.index(k) < keys.index(r.key)]
            after = [k for k in found if keys.index(k) > keys.index(r.key)]
            where = table.rows[before[-1]] if before else table.rows[after[0]] if after else anchor
            table.issues.append(Issue("missing-row", r.key, None, r.label, where))


def _assign(src: _Source, table: Table, row: Row, tokens: list[Token], first: bool = False) -> None:
    spec = table.spec
    columns = table.active(row.columns)
    if row.group:
        if not tokens:
            return
        columns = table.active(spec.columns)  # a filled group row: subtotals over every column
    if not columns:
        return
    label_loc = table.rows[row.key]  # a row gets its values only after its label was found
    if row.group and all(t.kind == "blank" for t in tokens):
        return  # a blank heading row (三、本年度办理结果); a data row with no value at all is reported below
    slots = value_slots(tokens)
    n = len(columns)
    if len(slots) > n:
        extra = slots[n:] if first else slots[:-n]
        t, a, b = extra[0]
        table.issues.append(Issue("extra-values", row.key, None,
                                  f"有 {len(slots)} 个数值，模板只有 {n} 列", _loc(src, t.block, a, b)))
        slots = slots[:n] if first else slots[-n:]
    if len(slots) < n:
        solved = solve_glued(spec, columns, slots, src.blocks)
        if solved is None:
            loc = _loc(src, slots[0][0].block, slots[0][1], slots[-1][2]) if slots else label_loc
            if slots and all(t.kind == "num" and not t.cell for t, _, _ in slots) and sum(b - a for _, a, b in slots) >= n:
                detail = f"数字粘连在一起（{''.join(src.blocks[t.block].text[a:b] for t, a, b in slots)}），无法唯一地拆分成 {n} 个数值"
                table.issues.append(Issue("unreadable", row.key, None, detail, loc))
            else:
                table.issues.append(Issue("missing-values", row.key, None,
                                          f"应有 {n} 个数值，只找到 {len(slots)} 个", loc))
            table.uncertain.add(row.key)
            for col, (t, a, b) in zip(columns, slots):
                _store(src, table, row, col, t, a, b)
            return
        for col, (t, a, b, number) in zip(columns, solved):
            table.cells[(row.key, col)] = Value(str(number), number, _loc(src, t.block, a, b, table.context(row.key, col)))
        return
    for col, (t, a, b) in zip(columns, slots):
        _store(src, table, row, col, t, a, b)
    blanks = [col for col, (t, _, _) in zip(columns, slots) if t.kind == "blank"]
    if blanks:
        names = "、".join(f"「{spec.columns[c].label}」" for c in blanks)
        table.issues.append(Issue("blank", row.key, None, f"{names}为空（没有发生也应填 0；按 0 核算）",
                                  table.cells[(row.key, blanks[0])].location))


def _store(src: _Source, table: Table, row: Row, col: str, tok: Token, a: int, b: int) -> None:
    raw = src.blocks[tok.block].text[a:b]
    loc = _loc(src, tok.block, a, b, table.context(row.key, col))
    if tok.kind == "blank":  # many reports leave 0 blank: count it as 0, and say so once per row (see _assign)
        table.cells[(row.key, col)] = Value("", 0, loc)
        return
    value, problem = parse_value(raw, row.kind(col), row.unit)
    table.cells[(row.key, col)] = Value(raw, value, loc, problem)
    if problem:
        table.issues.append(Issue("bad-value", row.key, col, problem, loc))


def _recover_header_table(src: _Source, table: Table, tokens: list[Token]) -> None:
    spec = table.spec
    headers = {norm(h) for h in spec.headers}
    row = next(iter(spec.rows.values()))
    numeric_rows = {t.row for t in tokens if t.kind == "num" and t.row}  # real-table rows holding the values
    started = False
    values: list[Token] = []
    for tok in tokens:
        if tok.kind == "label":
            n = norm(tok.text)
            if n in headers or (len(n) > 8 and any(n.endswith(h) for h in headers)):
                if not started:
                    table.rows[row.key] = _loc(src, tok.block, tok.start, tok.end)
                started = True
                continue
            if started and (values or PROSE.search(tok.text)):
                break
            continue
        if started and (tok.kind != "blank" or values or tok.row in numeric_rows):
            values.append(tok)
            if len(value_slots(values)) >= len(row.columns):
                break
    table.found = started
    if started:
        table.columns_seen = set(spec.columns)
        _assign(src, table, row, values, first=True)
