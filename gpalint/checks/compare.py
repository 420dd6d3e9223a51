"""kind = "compare": two figures of the report must agree — a number stated in the text against a table cell,
the title's year against the statistics year, and so on.

Parameters: ``left`` and ``right``, each a source: "title.year"; "signature.report-year" (the year before the
落款 date, when it is in the first half of a year); "cell:表/行/列" (e.g. "cell:三/一/总计", or a sum
"cell:四/数据/直诉.总计+复诉.总计");
or a table {scope = "section:一", pattern = "…(?P<n>\\d+)…", mode = "each" | "most-common"} (every match is
compared, or only the number the scope names most often, when it is a clear majority). ``right`` may be a list of
sources that must all be found: ``left`` is then reported only when it differs from every one of them (the year a
sentence states against the title's year and the 统计期限's, when one of those two is itself the mistake). The finding
is placed at ``left``; the preconditions of base.Conditions apply (``unless`` is matched against the whole document).
Message fields: {left}, {right}, {left_text} (the matched words), {right_text} (of the first ``right``).
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

from ..model import Diagnostic, Location
from ..report import Report
from ..rules import Rule
from .base import (
    Cell,
    CheckKind,
    CheckTable,
    Conditions,
    Context,
    TextPattern,
    check_scope,
    diagnostic,
    scope_blocks,
    scope_text,
)
from .signing_date import find_signature


@dataclass(frozen=True, slots=True)
class Mentions:
    """{scope, pattern, mode}: the numbers the text states (group n)."""

    scope: str
    pattern: TextPattern
    mode: str  # "each" | "most-common"


YEARS = ("title.year", "signature.report-year")
Source = str | Cell | Mentions  # str: "title.year" or "signature.report-year"


@dataclass(frozen=True, slots=True)
class Params:
    left: Source
    right: tuple[Source, ...]
    conditions: Conditions


def _source(table: CheckTable, key: str, value: object) -> Source:
    if value in YEARS:
        return str(value)
    if isinstance(value, str) and value.startswith("cell:"):
        cell = Cell.parse(value[5:])
        if cell is None:
            raise table.error(key, "单元格应写成 cell:表/行/列，如 cell:三/一/总计")
        return cell
    if isinstance(value, dict) and "pattern" in value:
        unknown = sorted(set(value) - {"scope", "pattern", "mode"})
        if unknown:
            raise table.error(f"{key}.{unknown[0]}", "只能写 scope、pattern、mode")
        p = table.pattern(f"{key}.pattern", value["pattern"])
        if "n" not in p.groupindex:
            raise table.error(f"{key}.pattern", "需要一个命名分组 (?P<n>…) 表示要比较的数")
        mode = value.get("mode", "each")
        if mode not in ("each", "most-common"):
            raise table.error(f"{key}.mode", "只能是 \"each\"（逐个比较）或 \"most-common\"（出现最多的数）")
        return Mentions(check_scope(table, f"{key}.scope", value.get("scope", "document")), p, mode)
    raise table.error(key, "应为 \"title.year\"、\"signature.report-year\"、\"cell:表/行/列\" 或 {scope, pattern}")


def prepare(rule: Rule) -> Params:
    table = CheckTable(rule)
    right = table.value("right", object)
    rights = tuple(_source(table, f"right[{i}]", v) for i, v in enumerate(right)) if isinstance(right, list) else (
        _source(table, "right", right),)
    if not rights:
        raise table.error("right", "至少要有一个来源")
    params = Params(_source(table, "left", table.value("left", object)), rights, Conditions.read(table))
    table.done()
    return params


def _values(report: Report, source: Source) -> Iterator[tuple[float, Location, str]]:
    """(number, location, matched text) for each occurrence of the source."""
    if source == "title.year":
        t = report.outline.title
        if t and t.year:
            yield t.year, report.blocks[t.index].location(t.start, t.start + 4), str(t.year)
    elif source == "signature.report-year":  # a report signed in the first half of a year reports on the year before
        signature = find_signature(report)
        if signature is not None and signature[1][1] <= 6:
            block = report.blocks[signature[0]]
            yield signature[1][0] - 1, block.location(), block.text.strip()
    elif isinstance(source, Cell):
        total = source.value(report)
        if total is not None:
            yield total, source.location(report), str(total)
    elif isinstance(source, Mentions):
        found = [(int(m.group("n")), block.location(m.start("n"), m.end("n")), m.group(0))
                 for _, block in scope_blocks(report, source.scope) for m in source.pattern.finditer(block.text)]
        if source.mode == "each":
            yield from found
        elif found:
            counts = Counter(v for v, _, _ in found)
            (top, n), *rest = counts.most_common(2) + [(None, 0)]
            if n >= 2 and n > 2 * rest[0][1]:  # a clear majority only: a report may well name other years
                yield next(f for f in found if f[0] == top)


def run(rule: Rule, params: Params, context: Context) -> Iterator[Diagnostic]:
    report, cond = context.report, params.conditions
    if not cond.applies(report, scope_text(report, "document") if cond.needs_text else None):
        return
    rights = [next(_values(report, source), None) for source in params.right]
    if not rights or any(r is None for r in rights):
        return
    found = [r for r in rights if r is not None]
    right, _, right_text = found[0]
    for value, loc, text in _values(report, params.left):
        if all(value != r[0] for r in found):
            yield diagnostic(rule, context, loc, left=value, right=right, left_text=text, right_text=right_text)


KIND = CheckKind("compare", prepare, run, ("left", "right", "left_text", "right_text"),
                 "两个数须一致：正文中的数、表格单元格、标题年度、落款年度")
