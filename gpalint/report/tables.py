"""Recover the template's tables from any layout into grids keyed by the template's row and column labels.

Real reports bring the same table as a Word table with merged cells, tab-separated rows with blanks for merged
cells, one cell per line, ``|``-separated rows, rows broken over two lines or shifted by a cell, or (pasted from
web pages) everything glued into one line. Column positions are therefore worthless; what survives every layout
is the *sequence*: a row label, then that row's numbers. So each table's region is cut into label and number
tokens, labels are matched to the template's rows in order, and each row takes the numbers that follow it.

Digits glued together (``0000000``, ``200 000121``) are split only where the split is unique under the table's
own within-row sums (总计 = the sum of the other columns); otherwise the row is reported unreadable, not guessed.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from ..cjk import HAN_RE
from ..document import Block, Document
from ..model import Location
from .outline import Outline
from .template import Row, TableSpec, Template, norm, split_numbering

_SPLIT = re.compile(r"\t|\||｜|\u3000|\s{2,}")
_NUMBER = re.compile(r"^[+-]?\d+(?:\.\d+)?$")
_AMOUNT = re.compile(r"^(?P<n>[+-]?\d+(?:\.\d+)?)\s*(?P<unit>万元|元)$")
_COUNT = re.compile(r"^(?P<n>\d+)\s*(?:件|个|条|项|次)$")  # 「2件」 in a cell: a count with its unit
_THOUSANDS = re.compile(r"^\d{1,3}(?:[,，]\d{3})+(?:\.\d+)?$")  # 14,069
_GROUPS = re.compile(r"^\d+(?:\s+\d+)+$")
_JUNK = re.compile(r"^(?:[-—–－/／\\~～*＊×xX]+|[-—–－]+\d+(?:\.\d+)?|无|空|/|[\dOoIl]*[OoIl][\dOoIl]*"
                   r"|[零〇一二两三四五六七八九十百千壹贰叁肆伍陆柒捌玖拾佰仟]{1,4})$")  # value-like but not a number: 「—」「无」「三」「1O」
_RUN = re.compile(r"\d+(?:\.\d+)?(?:[ \u00a0]+\d+(?:\.\d+)?)*")
_PROSE_UNIT = re.compile(r"^\s*(?:年|月|日|件|条|个|次|项|号|人|份|期|家|万|%|％|余|多)")
_PROSE = re.compile(r"[。，,；;]")
_WINDOW = 8  # how far ahead of the last matched row a label may match (rows can be missing)
_SOLUTIONS_CAP = 20000  # search steps for one glued row


@dataclass(slots=True)
class Token:
    kind: str  # "label", "num" (digit groups), "junk" (a value-like token that is not a number), "blank"
    text: str
    block: int
    start: int
    end: int
    spans: tuple[tuple[int, int], ...] = ()  # for "num": the digit groups' offsets within the block text
    cell: bool = False  # from a real table cell: its digits are one value, never to be split
    row: tuple[int, int] | None = None  # (table, row) of that cell


@dataclass(slots=True)
class Value:
    raw: str
    value: int | float | None
    location: Location
    problem: str | None = None  # why the value is not acceptable, in Chinese


@dataclass(slots=True)
class Issue:
    kind: str  # "missing-row", "missing-column", "missing-values", "extra-values", "unreadable", "bad-value"
    row: str | None
    column: str | None
    detail: str
    location: Location


@dataclass(slots=True)
class Table:
    spec: TableSpec
    found: bool = False
    anchor: Location | None = None
    rows: dict[str, Location] = field(default_factory=dict)
    cells: dict[tuple[str, str], Value] = field(default_factory=dict)
    uncertain: set[str] = field(default_factory=set)  # rows whose numbers could not be aligned to columns
    columns_seen: set[str] = field(default_factory=set)
    issues: list[Issue] = field(default_factory=list)

    def value(self, row: str, column: str) -> int | float | None:
        """The cell's number, or None when it is missing, unreadable or not trustworthy."""
        if row in self.uncertain:
            return None
        v = self.cells.get((row, column))
        if v is None or v.problem or (v.raw == "" and column in self.spec.total_columns):
            return None  # a blank 总计 is an omitted total, not a zero
        return v.value

    def context(self, row: str | None, column: str | None) -> str:
        return _context(self.spec, row, column)

    def active(self, columns) -> list[str]:
        """The columns this report has: the template's, plus optional ones (小计) its header shows."""
        cols = self.spec.columns
        return [c for c in columns if not cols[c].optional or c in self.columns_seen]


@lru_cache(maxsize=4096)
def _context(spec: TableSpec, row: str | None, column: str | None) -> str:
    """「表三 「（七）总计」行 「总计」列」: how a message names a cell (cached: every cell of every report asks)."""
    parts = [spec.title]
    if row is not None and spec.layout == "rows":
        parts.append(f"「{spec.row_label(row)}」行")
    if column is not None:
        parts.append(f"「{spec.columns[column].label}」列")
    return " ".join(parts)


# ── tokens ──────────────────────────────────────────────────────────────────────────────────────────

def tokenize(blocks: list[Block], indices: range) -> list[Token]:
    tokens: list[Token] = []
    numeric = {b.cell.table for i in indices if (b := blocks[i]).cell is not None
               and b.text.strip() and _NUMBER.match(b.text.strip())}
    for i in indices:
        b = blocks[i]
        if b.cell is not None:
            text = b.text.strip()
            if text:
                s = b.text.index(text)
                n = len(tokens)
                _piece(tokens, b.text, i, s, s + len(text))
                for t in tokens[n:]:
                    t.cell, t.row = True, (b.cell.table, b.cell.row)
            elif b.cell.table in numeric:
                # an empty cell in a table of numbers: a value left blank, at a known place
                tokens.append(Token("blank", "", i, 0, 0, cell=True, row=(b.cell.table, b.cell.row)))
            continue
        limit = b.text.find("<!--")  # an inline suppression comment is not table content
        limit = len(b.text) if limit < 0 else limit
        pos = 0
        for m in _SPLIT.finditer(b.text, 0, limit):
            _piece(tokens, b.text, i, pos, m.start())
            pos = m.end()
        _piece(tokens, b.text, i, pos, limit)
    return tokens


def _piece(out: list[Token], text: str, block: int, start: int, end: int) -> None:
    raw = text[start:end]
    stripped = raw.strip()
    if not stripped:
        return
    start += raw.index(stripped)
    end = start + len(stripped)
    if _NUMBER.match(stripped) or _AMOUNT.match(stripped) or _THOUSANDS.match(stripped) or _COUNT.match(stripped):
        out.append(Token("num", stripped, block, start, end, ((start, end),)))
        return
    if _GROUPS.match(stripped):
        spans = tuple((start + m.start(), start + m.end()) for m in re.finditer(r"\d+", stripped))
        out.append(Token("num", stripped, block, start, end, spans))
        return
    if _JUNK.match(stripped):
        out.append(Token("junk", stripped, block, start, end))
        return
    # a label, possibly with numbers glued to it (web pages flatten tables: 「规章007」, 「…信息40000042.没有…」)
    label_start = start
    for m in _RUN.finditer(stripped):
        a, b = start + m.start(), start + m.end()
        after = text[b:end]
        if re.match(r"[.．、](?!\d)", after):  # 「2.」 before a label: its last digit numbers the next row
            groups = list(re.finditer(r"\d+(?:\.\d+)?", m.group(0)))
            if len(groups) == 1 and len(groups[0].group(0)) == 1:
                continue
            cut = a + groups[-1].end() - 1  # sub-rows are numbered 1-8: one digit
            spans = tuple((a + g.start(), min(a + g.end(), cut)) for g in groups if a + g.start() < cut)
            _label(out, text, block, label_start, a)
            out.append(Token("num", text[a:cut].strip(), block, a, spans[-1][1], spans))
            label_start = cut
            continue
        if _PROSE_UNIT.match(after) or text[max(start, a - 1):a] in ("第", "（", "(") :
            continue  # 「2024年」「3件」「第711号」: a number inside a sentence or a label, not a cell
        _label(out, text, block, label_start, a)
        spans = tuple((a + g.start(), a + g.end()) for g in re.finditer(r"\d+(?:\.\d+)?", m.group(0)))
        out.append(Token("num", text[a:b], block, a, b, spans))
        label_start = b
    _label(out, text, block, label_start, end)


def _label(out: list[Token], text: str, block: int, start: int, end: int) -> None:
    raw = text[start:end]
    stripped = raw.strip(" \u3000\t")
    if stripped and HAN_RE.search(stripped):
        s = start + raw.index(stripped)
        out.append(Token("label", stripped, block, s, s + len(stripped)))


# ── label matching ───────────────────────────────────────────────────────────────────────────────────

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
        if len(core) < 4 or (_PROSE.search(core) and len(core) > 30):
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

def recover_tables(doc: Document, outline: Outline, template: Template) -> dict[str, Table]:
    return {key: recover(doc, outline, spec) for key, spec in template.tables.items()}


def _region(doc: Document, outline: Outline, spec: TableSpec) -> range:
    section = outline.sections.get(spec.key)
    if section:
        return range(section.start, section.end)
    # the heading is missing or unrecognised: start at the first block holding one of the table's own labels
    # labels only this table has: its long row labels and its long headers (第二十条第（一）项, 未经复议直接起诉)
    probes = [norm(r.label) for r in spec.rows.values() if len(r.label) > 4] + [
        norm(h) for h in spec.headers if len(h) >= 6]
    starts = sorted(h.index for h in outline.headings)
    for i, b in enumerate(doc.blocks):
        n = norm(b.text)
        if any(p in n for p in probes):
            end = next((s for s in starts if s > i), len(doc.blocks))
            return range(i, end)
    return range(0)


def recover(doc: Document, outline: Outline, spec: TableSpec) -> Table:
    table = Table(spec)
    region = _region(doc, outline, spec)
    section = outline.sections.get(spec.key)
    if section is not None or region:
        table.anchor = doc.blocks[section.heading.index if section else region.start].location()
    if not region:
        return table
    tokens = tokenize(doc.blocks, region)
    if spec.layout == "header":
        _recover_header_table(doc, table, tokens)
    else:
        _recover_row_table(doc, table, tokens)
    return table


def _loc(doc: Document, block: int, start: int, end: int, context: str | None = None) -> Location:
    b = doc.blocks[block]
    if context and b.cell is not None and doc.format != "html":  # Word/PDF: where the cell sits in the real table
        context += f"（第 {b.cell.table} 个表格第 {b.cell.row} 行第 {b.cell.col} 列）"
    return b.location(start, end, context)


def _recover_row_table(doc: Document, table: Table, tokens: list[Token]) -> None:
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
            if _PROSE.search(tok.text) and len(tok.text) > 12 and current is not None:
                _assign(doc, table, current, values)  # prose after the table: the row ends here
                current, values = None, []
            continue
        if current is not None:
            _assign(doc, table, current, values)
        current, values, current_row = matcher.rows[i], [], tok.row
        if current.key not in table.rows:
            table.rows[current.key] = _loc(doc, tok.block, tok.start, tok.end)
        pos = i + 1
    if current is not None:
        _assign(doc, table, current, values)
    leaves = [r for r in spec.rows.values() if not r.group]
    table.found = sum(1 for r in leaves if r.key in table.rows) >= min(2, len(leaves))
    if not table.found:
        return
    if not table.cells:  # labels but not one number (r014): one finding for the table, not one per row
        table.uncertain.update(table.rows)
        table.issues = [Issue("empty", None, None, "表格只有标签，没有填写任何数值", table.anchor)]
        return
    # a missing row is reported where it should stand: at the row before it (or, for the first, the row after)
    found = [k for k in spec.rows if k in table.rows]
    for r in leaves:
        if r.key not in table.rows:
            keys = list(spec.rows)
            before = [k for k in found if keys.index(k) < keys.index(r.key)]
            after = [k for k in found if keys.index(k) > keys.index(r.key)]
            where = table.rows[before[-1]] if before else table.rows[after[0]] if after else table.anchor
            table.issues.append(Issue("missing-row", r.key, None, r.label, where))


def _slots(tokens: list[Token]) -> list[tuple[Token, int, int]]:
    """Each value slot: (token, start, end); a "num" token holds one slot per digit group."""
    out = []
    for t in tokens:
        if t.kind == "num":
            out.extend((t, a, b) for a, b in t.spans)
        else:
            out.append((t, t.start, t.end))
    return out


def _assign(doc: Document, table: Table, row: Row, tokens: list[Token], first: bool = False) -> None:
    spec = table.spec
    columns = table.active(row.columns)
    if row.group:
        if not tokens:
            return
        columns = table.active(spec.columns)  # a filled group row: subtotals over every column
    if not columns:
        return
    label_loc = table.rows.get(row.key)
    if row.group and all(t.kind == "blank" for t in tokens):
        return  # a blank heading row (三、本年度办理结果); a data row with no value at all is reported below
    slots = _slots(tokens)
    n = len(columns)
    if len(slots) > n:
        extra = slots[n:] if first else slots[:-n]
        t, a, b = extra[0]
        table.issues.append(Issue("extra-values", row.key, None,
                                  f"有 {len(slots)} 个数值，模板只有 {n} 列", _loc(doc, t.block, a, b)))
        slots = slots[:n] if first else slots[-n:]
    if len(slots) < n:
        solved = _solve_glued(spec, columns, slots, doc)
        if solved is None:
            loc = _loc(doc, slots[0][0].block, slots[0][1], slots[-1][2]) if slots else label_loc
            if slots and all(t.kind == "num" and not t.cell for t, _, _ in slots) and sum(b - a for _, a, b in slots) >= n:
                detail = f"数字粘连在一起（{''.join(doc.blocks[t.block].text[a:b] for t, a, b in slots)}），无法唯一地拆分成 {n} 个数值"
                table.issues.append(Issue("unreadable", row.key, None, detail, loc))
            else:
                table.issues.append(Issue("missing-values", row.key, None,
                                          f"应有 {n} 个数值，只找到 {len(slots)} 个", loc or label_loc))
            table.uncertain.add(row.key)
            for col, (t, a, b) in zip(columns, slots):
                _store(doc, table, row, col, t, a, b)
            return
        for col, (t, a, b, number) in zip(columns, solved):
            table.cells[(row.key, col)] = Value(str(number), number, _loc(doc, t.block, a, b, table.context(row.key, col)))
        return
    for col, (t, a, b) in zip(columns, slots):
        _store(doc, table, row, col, t, a, b)
    blanks = [col for col, (t, _, _) in zip(columns, slots) if t.kind == "blank"]
    if blanks:
        names = "、".join(f"「{spec.columns[c].label}」" for c in blanks)
        table.issues.append(Issue("blank", row.key, None, f"{names}为空（没有发生也应填 0；按 0 核算）",
                                  table.cells[(row.key, blanks[0])].location))


def _store(doc: Document, table: Table, row: Row, col: str, tok: Token, a: int, b: int) -> None:
    raw = doc.blocks[tok.block].text[a:b]
    loc = _loc(doc, tok.block, a, b, table.context(row.key, col))
    if tok.kind == "blank":  # many reports leave 0 blank: count it as 0, and say so once per row (see _assign)
        table.cells[(row.key, col)] = Value("", 0, loc)
        return
    value, problem = parse_value(raw, row.kind(col), row.unit)
    table.cells[(row.key, col)] = Value(raw, value, loc, problem)
    if problem:
        table.issues.append(Issue("bad-value", row.key, col, problem, loc))


def parse_value(raw: str, kind: str, unit: str | None) -> tuple[int | float | None, str | None]:
    text = raw.strip()
    if text.isascii() and text.isdigit():
        return int(text), None
    if _THOUSANDS.match(text):
        text = text.replace(",", "").replace("，", "")
    elif (m := _COUNT.match(text)) and kind != "amount":
        text = m.group("n")
    if kind == "amount":
        m = _AMOUNT.match(text)
        if m:
            if unit and m.group("unit") != unit:
                return None, f"单位应为{unit or '万元'}，写成了「{text}」"
            text = m.group("n")
        if re.fullmatch(r"\d+(?:\.\d+)?", text):
            return (float(text) if "." in text else int(text)), None
        return None, f"「{text}」不是金额（应为{'以' + unit + '计的' if unit else ''}非负数）"
    if re.fullmatch(r"\d+", text) or (kind == "signed" and re.fullmatch(r"[+-]?\d+", text)):
        return int(text), None
    if re.fullmatch(r"[+-]?\d+(?:\.\d+)?", text):
        return None, f"「{text}」不是非负整数"
    return None, f"「{text}」不是数字（应为非负整数）"


def _solve_glued(spec: TableSpec, columns: list[str], slots, doc: Document):
    """Split glued digit groups into len(columns) numbers; return the split if the row's own sums make it unique."""
    n = len(columns)
    if not slots or any(t.kind != "num" for t, _, _ in slots):
        return None
    if any(t.cell for t, _, _ in slots):
        return None  # separate cells of a real table are separate values
    groups = [(t, a, b, doc.blocks[t.block].text[a:b]) for t, a, b in slots]
    digits = sum(len(g[3]) for g in groups)
    if any(not g[3].isdigit() for g in groups) or digits < n or digits > 4 * n:
        return None  # too few digits, or so many that no split could be trusted
    index = {c: i for i, c in enumerate(columns)}
    checks = [(index[r.total], [(s, index[p]) for s, p in r.parts]) for r in spec.relations
              if r.axis == "column" and r.total in index and all(p in index for _, p in r.parts)]
    solutions = []
    try:
        for split in _splits([g[3] for g in groups], n):
            numbers = [int(part[0]) for _, part in split]
            if all(numbers[t] == sum(s * numbers[p] for s, p in parts) for t, parts in checks):
                solutions.append(split)
                if len(solutions) > 1:
                    return None
    except _TooMany:
        return None
    if len(solutions) != 1:
        return None
    out = []
    for gi, part in solutions[0]:
        t, a, _, _s = groups[gi]
        offset = part[1]
        out.append((t, a + offset, a + offset + len(part[0]), int(part[0])))
    return out


class _TooMany(Exception):
    pass


def _splits(groups: list[str], n: int):
    """Every way to cut the digit strings into n numbers without leading zeros: lists of (group, (digits, offset)).
    Depth-first and lazy; it gives up (raises _TooMany) after _SOLUTIONS_CAP steps: a long run of digits has millions
    of cuts, and a split found among so many could not be trusted anyway."""
    budget = [_SOLUTIONS_CAP]
    parts: list[tuple[int, tuple[str, int]]] = []

    def rec(gi: int, pos: int):
        budget[0] -= 1
        if budget[0] < 0:
            raise _TooMany
        if gi == len(groups):
            if len(parts) == n:
                yield list(parts)
            return
        g = groups[gi]
        if pos == len(g):
            yield from rec(gi + 1, 0)
            return
        later = len(groups) - gi - 1  # each later group needs at least one part
        for length in range(1, len(g) - pos + 1):
            piece = g[pos:pos + length]
            if length > 1 and piece[0] == "0":
                break
            if len(parts) + 1 + later > n:
                break
            parts.append((gi, (piece, pos)))
            yield from rec(gi, pos + length)
            parts.pop()

    yield from rec(0, 0)


def _recover_header_table(doc: Document, table: Table, tokens: list[Token]) -> None:
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
                    table.rows[row.key] = _loc(doc, tok.block, tok.start, tok.end)
                started = True
                continue
            if started and (values or _PROSE.search(tok.text)):
                break
            continue
        if started and (tok.kind != "blank" or values or tok.row in numeric_rows):
            values.append(tok)
            if len(_slots(values)) >= len(row.columns):
                break
    table.found = started
    if started:
        table.columns_seen = set(spec.columns)
        _assign(doc, table, row, values, first=True)
