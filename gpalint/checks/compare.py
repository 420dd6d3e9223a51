"""kind = "compare": two figures of the report must agree — a number stated in the text against a table cell,
the title's year against the statistics year, and so on.

Parameters: ``left`` and ``right``, each a source: "title.year"; "signature.report-year" (the year before the
落款 date, when it is in the first half of a year); "cell:表/行/列" (e.g. "cell:三/一/总计", or a sum
"cell:四/数据/直诉.总计+复诉.总计", "cell:三/一+二/总计");
or a table {scope = "section:一", pattern = "…(?P<n>\\d+)…", mode = "each" | "most-common", unless_sentence = "…",
this_year_only = true}
(every match is compared, or only the number the scope names most often, when it is a clear majority; a match in a
sentence saying ``unless_sentence`` does not count: 「行政诉讼5件，均不涉及政府信息公开」; with ``this_year_only``, nor
a match whose sentence names an earlier year than the report's as the last year before it: 「2023年收到申请6件」 in a
2024 report, while 「2024年收到申请5件，较2023年增加2件」 is compared). ``right`` may also be a
list of readings, each a source or {source = …, label = "…"}: a figure the text may mean in more than one way (收到
申请N 件: the new applications, or with the carry-over) agrees when it equals any of them. ``require_all`` (default
false): compare only when every reading is found (the year a sentence states against both the title's year and the
统计期限's, when one of those two may itself be the mistake). The finding is placed at ``left``; the preconditions of
base.Conditions apply (``unless`` is matched against the whole document).
Message fields: {left}, {right} (the first reading found), {left_text} (the matched words), {right_text}, {readings}
(each distinct reading as 「label为 N」, joined by ，).
"""
from __future__ import annotations

import re
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
    sentence_says,
    sentence_start,
)
from .signing_date import find_signature


@dataclass(frozen=True, slots=True)
class Mentions:
    """{scope, pattern, mode}: the numbers the text states (group n)."""

    scope: str
    pattern: TextPattern
    mode: str  # "each" | "most-common"
    unless_sentence: TextPattern | None = None
    this_year_only: bool = False


YEARS = ("title.year", "signature.report-year")
Source = str | Cell | Mentions  # str: "title.year" or "signature.report-year"


@dataclass(frozen=True, slots=True)
class Reading:
    """One way of reading the figure ``left`` states, and its label in the message (「新收申请」)."""

    source: Source
    label: str = ""


@dataclass(frozen=True, slots=True)
class Params:
    left: Source
    right: tuple[Reading, ...]
    require_all: bool
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
        unknown = sorted(set(value) - {"scope", "pattern", "mode", "unless_sentence", "this_year_only"})
        if unknown:
            raise table.error(f"{key}.{unknown[0]}", "只能写 scope、pattern、mode、unless_sentence、this_year_only")
        p = table.pattern(f"{key}.pattern", value["pattern"])
        if "n" not in p.groupindex:
            raise table.error(f"{key}.pattern", "需要一个命名分组 (?P<n>…) 表示要比较的数")
        mode = value.get("mode", "each")
        if mode not in ("each", "most-common"):
            raise table.error(f"{key}.mode", "只能是 \"each\"（逐个比较）或 \"most-common\"（出现最多的数）")
        unless = value.get("unless_sentence")
        if unless is not None and not isinstance(unless, str):
            raise table.error(f"{key}.unless_sentence", "应为正则表达式字符串")
        this_year_only = value.get("this_year_only", False)
        if not isinstance(this_year_only, bool):
            raise table.error(f"{key}.this_year_only", "类型应为布尔值（true 或 false）")
        return Mentions(check_scope(table, f"{key}.scope", value.get("scope", "document")), p, mode,
                        table.pattern(f"{key}.unless_sentence", unless) if unless else None, this_year_only)
    raise table.error(key, "应为 \"title.year\"、\"signature.report-year\"、\"cell:表/行/列\" 或 {scope, pattern}")


def _readings(table: CheckTable) -> tuple[Reading, ...]:
    """``right``: one source, or a list of readings, each a source or {source, label}."""
    value = table.value("right", object)
    if not isinstance(value, list):
        return (Reading(_source(table, "right", value)),)
    if not value:
        raise table.error("right", "至少要有一个来源")
    readings = []
    for i, item in enumerate(value):
        key = f"right[{i}]"
        if isinstance(item, dict) and "source" in item:
            unknown = sorted(set(item) - {"source", "label"})
            if unknown:
                raise table.error(f"{key}.{unknown[0]}", "只能写 source、label")
            if not isinstance(item.get("label", ""), str):
                raise table.error(f"{key}.label", "应为字符串")
            readings.append(Reading(_source(table, f"{key}.source", item["source"]), item.get("label", "")))
        else:
            readings.append(Reading(_source(table, key, item)))
    return tuple(readings)


def prepare(rule: Rule) -> Params:
    table = CheckTable(rule)
    params = Params(_source(table, "left", table.value("left", object)), _readings(table),
                    table.value("require_all", bool, False), Conditions.read(table))
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
                 for _, block in scope_blocks(report, source.scope) for m in source.pattern.finditer(block.text)
                 if not sentence_says(source.unless_sentence, block.text, m.start(), m.end())
                 and not (source.this_year_only and _of_an_earlier_year(block.text, m.start("n"), report.year))]
        if source.mode == "each":
            yield from found
        elif found:
            counts = Counter(v for v, _, _ in found)
            (top, n), *rest = counts.most_common(2) + [(None, 0)]
            if n >= 2 and n > 2 * rest[0][1]:  # a clear majority only: a report may well name other years
                yield next(f for f in found if f[0] == top)


_YEAR = re.compile(r"(?<!\d)(20\d\d)\s*年(?![\d月])")


def _of_an_earlier_year(text: str, start: int, year: int | None) -> bool:
    """Whether the last year the sentence names before ``start`` (the stated number) is earlier than the report's
    ``year``."""
    if year is None:
        return False
    named = _YEAR.findall(text, sentence_start(text, start), start)
    return bool(named) and int(named[-1]) < year


def run(rule: Rule, params: Params, context: Context) -> Iterator[Diagnostic]:
    report, cond = context.report, params.conditions
    if not cond.applies(report, scope_text(report, "document") if cond.needs_text else None):
        return
    readings: list[tuple[float, str, str]] = []  # (value, label, text) of each reading the report has
    for reading in params.right:
        found = next(iter(_values(report, reading.source)), None)
        if found is not None:
            readings.append((found[0], reading.label, found[2]))
        elif params.require_all:
            return
    if not readings:
        return
    accepted = {value for value, _, _ in readings}
    first_label: dict[float, str] = {}  # each distinct value once, with the label of its first reading
    for value, label, _ in readings:
        first_label.setdefault(value, label)
    said = "，".join(f"{label}为 {value}" for value, label in first_label.items())
    for value, loc, text in _values(report, params.left):
        if value not in accepted:
            yield diagnostic(rule, context, loc, left=value, right=readings[0][0], left_text=text,
                             right_text=readings[0][2], readings=said)


KIND = CheckKind("compare", prepare, run, ("left", "right", "left_text", "right_text", "readings"),
                 "两个数须一致：正文中的数、表格单元格、标题年度、落款年度（可有几种读法）")
