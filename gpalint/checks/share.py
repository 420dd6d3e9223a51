"""kind = "share": a percentage the text states of a count («予以公开208件，占17.46%») must be that count's share of
a total the tables give, to the precision it is written with.

Parameters: ``pattern`` (regular expression with the named groups ``n``, the count, and ``pct``, the percentage),
``of`` (the totals it may be a share of, each a table cell "表/行/列" or a sum of columns "表/行/列1+列2": the
first readable one is named in the message; a percentage that fits any of them is right), ``scope`` (default
section:一), and the preconditions of base.Conditions. A percentage is right when it is the share rounded or cut to
its written decimals.
Message fields: {found} (the words matched), {n}, {pct}, {total}, {computed} (the share to one more decimal than
written).
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from ..model import Diagnostic
from ..rules import Rule
from .base import Cell, CheckKind, CheckTable, Conditions, Context, TextPattern, diagnostic, scope_blocks, scope_text


@dataclass(frozen=True, slots=True)
class Params:
    pattern: TextPattern
    of: tuple[Cell, ...]
    scope: str
    conditions: Conditions


def prepare(rule: Rule) -> Params:
    table = CheckTable(rule)
    pattern = table.pattern("pattern")
    if not {"n", "pct"} <= set(pattern.groupindex):
        raise table.error("pattern", "需要命名分组 (?P<n>…)（件数）和 (?P<pct>…)（百分数）")
    cells = []
    for i, text in enumerate(table.strings("of")):
        cell = Cell.parse(text)
        if cell is None:
            raise table.error(f"of[{i}]", "单元格应写成 表/行/列，如 三/三.七/总计")
        cells.append(cell)
    if not cells:
        raise table.error("of", "至少要有一个总数")
    params = Params(pattern, tuple(cells), table.scope(default="section:一"), Conditions.read(table))
    table.done()
    return params


def fits(n: int, total: float, written: str) -> bool:
    """Whether ``written`` (a percentage as the text gives it) is n/total rounded or cut to its decimals."""
    decimals = len(written.partition(".")[2])
    exact = Decimal(n) * 100 / Decimal(str(total))
    step = Decimal(1).scaleb(-decimals)
    pct = Decimal(written)
    return abs(exact - pct) <= step / 2 or Decimal(0) <= exact - pct < step


def run(rule: Rule, params: Params, context: Context) -> Iterator[Diagnostic]:
    report, cond = context.report, params.conditions
    if not cond.applies(report, scope_text(report, params.scope) if cond.needs_text else None):
        return
    totals = [v for v in (cell.value(report) for cell in params.of) if v]
    if not totals:
        return
    for _, block in scope_blocks(report, params.scope):
        for m in params.pattern.finditer(block.text):
            n, written = int(m.group("n")), m.group("pct")
            if any(fits(n, total, written) for total in totals):
                continue
            decimals = len(written.partition(".")[2]) + 1
            computed = f"{Decimal(n) * 100 / Decimal(str(totals[0])):.{decimals}f}"
            yield diagnostic(rule, context, block.location(m.start("pct"), m.end("pct")), found=m.group(0), n=n,
                             pct=written, total=f"{totals[0]:g}", computed=computed)


KIND = CheckKind("share", prepare, run, ("found", "n", "pct", "total", "computed"),
                 "正文中的百分数应等于件数占表格总数的比例（按所写的小数位）")
