"""kind = "date-range": the 统计期限 statement — its years and its start and end days.

Parameters: ``pattern`` (regex with named groups y1 m1 d1 [y2] m2 d2; matched across the line breaks between prose
blocks), ``aspect`` = "year" (start and end in one year, the report's year when it is known) | "span" (1月1日 to
12月31日), ``scope`` (default document).
Message fields: {found} (the statement's dates), {year} (the report year), {start}, {end}.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass

from ..document import Block
from ..model import Diagnostic
from ..report import Report
from ..rules import Rule
from .base import CheckKind, CheckTable, Context, TextPattern, diagnostic, scope_blocks

GROUPS = ("y1", "m1", "d1", "m2", "d2")


@dataclass(frozen=True, slots=True)
class Params:
    pattern: TextPattern
    aspect: str
    scope: str


def prepare(rule: Rule) -> Params:
    table = CheckTable(rule)
    params = Params(table.pattern("pattern"), table.choice("aspect", ("year", "span")), table.scope())
    missing = [g for g in GROUPS if g not in params.pattern.groupindex]
    if missing:
        raise table.error("pattern", f"应含命名分组 {'、'.join(f'(?P<{g}>…)' for g in missing)}（起止年、月、日）")
    table.done()
    return params


def _prose(report: Report, scope: str) -> tuple[str, list[int], list[Block]]:
    """The scope's prose blocks joined by line breaks, with each block's offset in the joined text: a statement
    that a hard line break split (「…至2024年12月⏎31日止」, as PDFs and wrapped text files give it) is still one."""
    blocks = [b for _, b in scope_blocks(report, scope)]
    starts, offset = [], 0
    for b in blocks:
        starts.append(offset)
        offset += len(b.text) + 1
    return "\n".join(b.text for b in blocks), starts, blocks


def run(rule: Rule, params: Params, context: Context) -> Iterator[Diagnostic]:
    report = context.report
    text, starts, blocks = _prose(report, params.scope)
    for m in params.pattern.finditer(text):
        g = m.groupdict()
        y1, y2 = int(g["y1"]), int(g["y2"]) if g.get("y2") else int(g["y1"])
        start, end = (int(g["m1"]), int(g["d1"])), (int(g["m2"]), int(g["d2"]))
        i = bisect_right(starts, m.start("y1")) - 1
        block = blocks[i]
        loc = block.location(m.start("y1") - starts[i], min(m.end() - starts[i], len(block.text)))
        found = re.sub(r"\s*\n\s*", "", text[m.start("y1"):m.end()])
        if params.aspect == "year":
            year = report.year
            if y1 != y2 or (year is not None and y1 != year):
                yield diagnostic(rule, context, loc, found=found, year=year or y1, start=y1, end=y2)
        elif start != (1, 1) or end != (12, 31):
            yield diagnostic(rule, context, loc, found=found, year=y1,
                             start=f"{start[0]}月{start[1]}日", end=f"{end[0]}月{end[1]}日")


KIND = CheckKind("date-range", prepare, run, ("found", "year", "start", "end"),
                 "统计期限的说明：起止年份、起止日期")
