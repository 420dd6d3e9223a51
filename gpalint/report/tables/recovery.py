"""Recover the template's tables from any layout into grids keyed by the template's row and column labels.

Real reports bring the same table as a Word table with merged cells, tab-separated rows with blanks for merged
cells, one cell per line, ``|``-separated rows, rows broken over two lines or shifted by a cell, or (pasted from
web pages) everything glued into one line. Column positions are therefore worthless; what survives every layout
is the *sequence*: a row label, then that row's numbers. So each table's region is cut into label and number
tokens (tokens.py), labels are matched to the template's rows in order, and each row takes the numbers that
follow it; digits glued together are split only where the table's relations leave one reading (glued.py).

What could not be read is never guessed: rows whose values cannot be aligned are "uncertain" (no sum is drawn from
them), and a table with several such rows is one finding — an error (T109) when a Word or web table has the rows
short, a reader note (M110) when text or a PDF's extraction defeated the reading. The relations are then solved
together (relations.py), so that one wrong cell is one finding.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ...document import UNSURE, Block
from ...model import Location
from ..outline import Outline
from ..template import Row, TableSpec, Template, norm, split_numbering
from .glued import Reading, read_glued
from .model import Issue, Readings, Table, Value
from .relations import Cell, holds, lines, solve
from .tokens import PROSE, Token, parse_value, tokenize, value_slots

_WINDOW = 8  # how far ahead of the last matched row a label may match (rows can be missing)
# a sub-row's numbered label after its group's words on one line: pdftotext -layout sets a merged group cell beside
# its first sub-row (「(六) 其他处 1. 申请人无正当理由逾期不」)
_INNER_NUMBERING = re.compile(r"\s(\d{1,2}[.．、]\s*\D)")


def _arabic(numbering: str) -> bool:
    return any(ch.isdigit() for ch in numbering)


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
        self.row_numberings = [split_numbering(r.label)[0] for r in self.rows]
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

    def _same_words(self, numbering: str, core: str, i: int) -> bool:
        """``core`` is row ``i``'s words, and a numbering both carry is of one kind: 「（六）其他」 (a group's label
        wrapped by pdftotext -layout) is not the sub-row 「3.其他」."""
        theirs = self.row_numberings[i]
        return core in self.row_forms[i] and not (numbering and theirs and _arabic(numbering) != _arabic(theirs))

    def row(self, text: str, pos: int) -> int | None:
        numbering, core = split_numbering(text)
        core = core.rstrip(":：")
        if not core:
            return None
        window = range(pos, min(len(self.rows), pos + _WINDOW))
        for i in window:
            if self._same_words(numbering, core, i):
                return i
        for i in range(pos + _WINDOW, len(self.rows)):  # a long gap: accept only exact labels
            if self._same_words(numbering, core, i) and len(core) > 3:
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
        if best_ratio >= 0.8:
            return best
        inner = _INNER_NUMBERING.search(text)
        return self.row(text[inner.start(1):], pos) if inner else None


# ── recovery ─────────────────────────────────────────────────────────────────────────────────────────

def recover_tables(blocks: list[Block], format: str, outline: Outline, template: Template,
                   cut: bool = False) -> dict[str, Table]:
    """Each of the template's tables, as found in ``blocks`` (the Report's) of a document read from ``format``;
    ``cut``: the text stops in mid-course (outline.breaks_off), so a table running to its end is cut short."""
    src = _Source(blocks, format)
    return {key: recover(src, outline, spec, stated_values(blocks, outline, spec), cut)
            for key, spec in template.tables.items()}


def stated_values(blocks: list[Block], outline: Outline, spec: TableSpec) -> dict[tuple[str, str], int]:
    """The cells the narrative states one value for (the template's ``stated`` sentences: 「制发规范性文件34件」);
    a cell stated with two different values is left out."""
    found: dict[tuple[str, str], set[int]] = {}
    for st in spec.stated:
        for i in outline.section_blocks(st.scope):
            for m in st.pattern.finditer(blocks[i].text):
                found.setdefault((st.row, st.column), set()).add(int(m.group("n")))
    return {cell: values.pop() for cell, values in found.items() if len(values) == 1}


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


def recover(src: _Source, outline: Outline, spec: TableSpec, stated: dict[tuple[str, str], int] | None = None,
            cut: bool = False) -> Table:
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
    if cut and region.stop == len(src.blocks):
        _cut_short(table)
    if table.found:
        # Word and web tables are read as laid out; a PDF's cells are rebuilt from positions, text has none
        table.from_cells = src.format in ("docx", "html") and all(t.cell for t in tokens if t.kind != "label")
        _resolve_glued(table, stated or {})
        _judge(table, src.format)
        table.breaks = solve(table)
        _judge_sums(table)
        _blank_totals_once(table)
        _blank_rows_once(table)
        _unsure_once(table)
    return table


def _cut_short(table: Table) -> None:
    """The file stops inside this table: the rows after the last one read, and the values missing from that last
    row, are where the text breaks off, not the report's omissions (the outline's finding says the file stops
    there: one cause, one finding)."""
    keys = list(table.spec.rows)
    found = [k for k in keys if k in table.rows]
    if not found:
        return
    last = found[-1]
    after = set(keys[keys.index(last) + 1:])

    def at_the_cut(issue: Issue) -> bool:
        if issue.kind == "missing-values":
            return issue.row == last
        if issue.kind == "missing-row":  # a run is one issue at the row before it: the run after the last row
            return issue.location == table.rows[last] and (issue.row is None or issue.row in after)
        return False
    table.issues = [i for i in table.issues if not at_the_cut(i)]


def _unsure_once(table: Table) -> None:
    """The values OCR read with too little confidence: one reader note for the table, naming them."""
    if not table.unsure:
        return
    cells = [table.cells[c] for c in table.unsure]
    shown = "、".join(f"{table.context(*c).removeprefix(table.spec.title).strip()}读作「{v.raw}」"
                      for c, v in zip(table.unsure[:_SHOWN], cells))
    more = "等" if len(cells) > _SHOWN else ""
    table.issues.append(Issue("unreadable", None, None, f"{len(cells)} 个数值 OCR 识别置信度低于 {UNSURE}，"
                                                        f"未据以核对（{shown}{more}）", cells[0].location))


_SHOWN = 3  # readings or rows a message lists before 「等」
_SCRAMBLED = 3  # broken relations no single cell explains, in a table read from text: the reading is at fault


def _resolve_glued(table: Table, stated: dict[tuple[str, str], int]) -> None:
    """Let the table's relations across rows choose among a glued row's readings: a reading survives when every
    relation through the row that the rest of the table lets evaluate holds; a row left with one reading is read.
    Then let the narrative choose (``stated``: 「制发规范性文件34件」 makes 34089 read 34、0、89): of the values it
    states for the row that some reading has, a reading must have all; a row left with one reading is read. Rows
    still open get one reader note each, with their readings."""
    changed = True
    while changed:
        changed = _by_relations(table)
        changed = _by_narrative(table, stated) or changed
    for key, rd in table.glued.items():
        n = len(table.active(table.spec.rows[key].columns))
        if not rd.complete:
            why = f"可能的拆分太多，无法确定 {n} 个数值"
        elif not rd.candidates:
            why = f"拆不出满足勾稽关系的 {n} 个数值"
        else:
            shown = "；".join("、".join(v.raw for v in cand.values()) for cand in rd.candidates[:_SHOWN])
            more = "等" if len(rd.candidates) > _SHOWN else ""
            why = f"有 {len(rd.candidates)} 种拆法（{shown}{more}），表格的勾稽关系不能确定是哪一种"
        table.issues.append(Issue("glued", key, None, f"数字粘连在一起（{rd.text}），{why}", rd.location))


def _by_relations(table: Table) -> bool:
    """One pass of the relations over the glued rows; whether a row was read or lost readings."""
    changed = False
    for key, rd in list(table.glued.items()):
        if len(rd.candidates) < 2:
            continue
        through = [ln for ln in lines(table) if any(c[0] == key for c in ln.cells())]
        survivors = []
        table.uncertain.discard(key)
        for cand in rd.candidates:
            table.cells.update(cand)
            if all(holds(table, ln) is not False for ln in through):
                survivors.append(cand)
            for cell in cand:
                del table.cells[cell]
        table.uncertain.add(key)
        if len(survivors) == 1 and rd.complete:
            table.cells.update(survivors[0])
            table.uncertain.discard(key)
            del table.glued[key]
            changed = True
        elif survivors and len(survivors) < len(rd.candidates):
            rd.candidates = survivors
            changed = True
    return changed


def _by_narrative(table: Table, stated: dict[tuple[str, str], int]) -> bool:
    """The glued rows the narrative's stated values leave one reading for, read; whether any was."""
    changed = False
    for key, rd in list(table.glued.items()):
        if len(rd.candidates) < 2 or not rd.complete:
            continue
        said = {cell: n for cell, n in stated.items() if cell[0] == key
                and any(cell in cand and cand[cell].value == n for cand in rd.candidates)}
        survivors = [cand for cand in rd.candidates if said and all(cand[c].value == n for c, n in said.items())]
        if len(survivors) == 1:
            table.cells.update(survivors[0])
            table.uncertain.discard(key)
            del table.glued[key]
            changed = True
    return changed


_READING = ("missing-values", "extra-values", "glued")  # a row whose values could not be read as laid out


def _judge(table: Table, format: str) -> None:
    """Several rows unreadable: one finding for the table, and nothing drawn from a guessed reading of it. Read
    from real table cells, the rows are the report's (an error, T109); read from text, the layout or a converter
    defeated the reading (a reader note)."""
    bad = [i for i in table.issues if i.kind in _READING]
    rows = list(dict.fromkeys(i.row for i in bad))
    if len(rows) < 2:
        for i in bad:
            if table.from_cells:
                break
            # more values than columns in text: page numbers, wrapped labels, the next table's; values missing from
            # a PDF's text or from a header table's run: cells the extraction lost or scattered
            if i.kind == "extra-values" or (i.kind == "missing-values"
                                            and (format == "pdf" or table.spec.layout == "header")):
                i.kind = "unreadable"
        return
    kind = "values" if table.from_cells and not any(i.kind == "glued" for i in bad) else "unreadable"
    _collapse(table, kind, bad[0].location, _listing(table, bad, "不全" if kind == "values" else "读不出"), rows)


def _judge_sums(table: Table) -> None:
    """Relations broken all over a table read from text, no cell explaining them: the cells were read in the wrong
    order (a PDF's columns), not filled wrong — one reader note instead of a finding per line."""
    if table.from_cells:
        return
    loose = [b for b in table.breaks if not b.pointed]
    if len(loose) < _SCRAMBLED:
        return
    cells = "、".join(f"{table.context(*b.cell)}" for b in loose[:_SHOWN]) + ("等" if len(loose) > _SHOWN else "")
    detail = f"{len(loose)} 处勾稽关系不符且无法归于个别单元格（{cells}），可能是单元格的顺序没有读对"
    _collapse(table, "unreadable", table.cells[loose[0].cell].location, detail, list(table.rows))


def _listing(table: Table, issues: list[Issue], what: str) -> str:
    spec = table.spec
    parts = [f"「{spec.row_label(i.row)}」{i.detail}" if i.row and spec.row_label(i.row) else i.detail
             for i in issues[:_SHOWN]]
    more = f"等 {len(issues)} 行" if len(issues) > _SHOWN else ""
    return f"{len(issues)} 行的数值{what}：" + "；".join(parts) + more


def _collapse(table: Table, kind: str, location: Location, detail: str, rows: list[str | None]) -> None:
    """The table as one finding: no per-row, per-cell or arithmetic finding from what could not be read."""
    # read from text, a row label the reading missed is the same cause; a Word or web table's missing row is not
    table.issues = [i for i in table.issues if i.kind == "missing-row" and table.from_cells]
    table.issues.append(Issue(kind, None, None, detail, location))
    table.uncertain.update(table.rows)
    table.uncertain.update(r for r in rows if r)
    table.glued.clear()
    table.breaks = []


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
    # a missing row is reported where it should stand: at the row before it (or, for the first, the row after);
    # rows missing in a run (a table cut short, a page the extraction lost) are one finding at that place
    found = [k for k in spec.rows if k in table.rows]
    keys = list(spec.rows)
    runs: dict[int, tuple[Location, list[str]]] = {}
    for r in leaves:
        if r.key not in table.rows:
            before = [k for k in found if keys.index(k) < keys.index(r.key)]
            after = [k for k in found if keys.index(k) > keys.index(r.key)]
            where = table.rows[before[-1]] if before else table.rows[after[0]] if after else anchor
            runs.setdefault(keys.index(before[-1]) if before else -1, (where, []))[1].append(r.key)
    for where, missing in runs.values():
        names = [f"「{spec.row_label(k)}」" for k in missing]
        detail = (f"{names[0]}行" if len(names) == 1 else
                  f"连续 {len(names)} 行：{''.join(names[:_SHOWN])}{'等' if len(names) > _SHOWN else ''}")
        table.issues.append(Issue("missing-row", missing[0] if len(missing) == 1 else None, None, detail, where))


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
        table.uncertain.add(row.key)  # which of them are the row's is a guess: no sums are drawn from it
        slots = slots[:n] if first else slots[-n:]
    if len(slots) < n:
        loc = _loc(src, slots[0][0].block, slots[0][1], slots[-1][2]) if slots else label_loc
        glued = read_glued(spec, row, columns, slots, src.blocks)
        if glued is not None and glued.complete and len(glued.readings) == 1:
            table.cells.update(_reading(src, table, row, columns, glued.readings[0]))
            return
        table.uncertain.add(row.key)
        if glued is not None:  # the table's other relations may choose among the readings (_resolve_glued)
            table.glued[row.key] = Readings(glued.text, [_reading(src, table, row, columns, r) for r in glued.readings],
                                            glued.complete, loc)
            return
        if slots and all(t.kind == "num" and not t.cell for t, _, _ in slots) and sum(b - a for _, a, b in slots) >= n:
            text = src.blocks[slots[0][0].block].text[slots[0][1]:slots[-1][2]]  # 「3922533.2」: no reading to trust
            table.issues.append(Issue("glued", row.key, None, f"数字粘连在一起（{text}），无法确定 {n} 个数值", loc))
            return
        table.issues.append(Issue("missing-values", row.key, None, f"应有 {n} 个数值，只找到 {len(slots)} 个", loc))
        for col, (t, a, b) in zip(columns, slots):
            _store(src, table, row, col, t, a, b)
        return
    for col, (t, a, b) in zip(columns, slots):
        _store(src, table, row, col, t, a, b)
    _blank_issue(table, row.key, [col for col, (t, _, _) in zip(columns, slots) if t.kind == "blank"])


def _blank_issue(table: Table, row: str, blanks: list[str]) -> None:
    if blanks:
        names = "、".join(f"「{table.spec.columns[c].label}」" for c in blanks)
        table.issues.append(Issue("blank", row, None, f"{names}为空（没有发生也应填 0；按 0 核算）",
                                  table.cells[(row, blanks[0])].location))


def _blank_totals_once(table: Table) -> None:
    """A blank total the relations report (应为 272，实为 空白) is not listed again among the row's blank cells."""
    reported = {b.cell for b in table.breaks if table.cells[b.cell].raw == ""}
    for row in {r for r, _ in reported}:
        issue = next(i for i in table.issues if i.kind == "blank" and i.row == row)
        table.issues.remove(issue)
        blanks = [c for (r, c), v in table.cells.items() if r == row and v.raw == "" and (r, c) not in reported]
        _blank_issue(table, row, blanks)


BLANK_ROWS = 3  # more rows than this with blank cells: the table's way of writing 0, one finding for the table


def _blank_rows_once(table: Table) -> None:
    """Rows of blank cells all through a table are one habit (0 left blank), not a defect per row: one finding
    naming how many cells in which rows."""
    order = list(table.spec.rows)
    blank = sorted((i for i in table.issues if i.kind == "blank" and i.row), key=lambda i: order.index(i.row or ""))
    if len(blank) <= BLANK_ROWS:
        return
    cells = sum(1 for (r, _), v in table.cells.items() if v.raw == "" and any(i.row == r for i in blank))
    rows = "、".join(f"「{table.spec.row_label(i.row)}」" for i in blank[:_SHOWN] if i.row)
    table.issues = [i for i in table.issues if i.kind != "blank"]
    table.issues.append(Issue("blank", None, None, f"{len(blank)} 行共 {cells} 个单元格为空（{rows}等；没有发生也应填 0；"
                                                   "按 0 核算）", blank[0].location))


def _reading(src: _Source, table: Table, row: Row, columns: list[str], reading: Reading) -> dict[Cell, Value]:
    return {(row.key, col): Value(str(number), number, _loc(src, t.block, a, b, table.context(row.key, col)))
            for col, (t, a, b, number) in zip(columns, reading)}


def _store(src: _Source, table: Table, row: Row, col: str, tok: Token, a: int, b: int) -> None:
    raw = src.blocks[tok.block].text[a:b]
    loc = _loc(src, tok.block, a, b, table.context(row.key, col))
    if tok.kind == "blank":  # many reports leave 0 blank: count it as 0, and say so once per row (see _assign)
        table.cells[(row.key, col)] = Value("", 0, loc)
        return
    sure = src.blocks[tok.block].confidence
    if sure is not None and sure < UNSURE:  # read by OCR, not sure enough to check anything with
        table.cells[(row.key, col)] = Value(raw, None, loc, f"OCR 识别置信度低（{sure:.2f}），未核对")
        table.unsure.append((row.key, col))
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
            words = [norm(w) for w in tok.text.split()]
            if started and all(len(w) >= 2 and any(w in h for h in headers) for w in words):
                continue  # headers broken over lines (「结果」「维持」「结果 其他 尚未」 from a PDF), between the values
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
