"""kind = "compare": two figures of the report must agree — a number stated in the text against a table cell,
the title's year against the statistics year, and so on.

Parameters: ``left`` and ``right``, each a source: "title.year"; "signature.report-year" (the year before the
落款 date, when it is in the first half of a year); "cell:表/行/列" (e.g. "cell:三/一/总计", or a sum
"cell:四/数据/直诉.总计+复诉.总计");
or a table {scope = "section:一", pattern = "…(?P<n>\\d+)…", mode = "each" | "most-common"} (every match is
compared, or only the number the scope names most often, when it is a clear majority). The finding is placed at
``left``; the preconditions of base.conditions apply (``unless`` is matched against the whole document).
Message fields: {left}, {right}, {left_text} (the matched words).
"""
from __future__ import annotations

from collections import Counter

from ..tomlfile import RuleFileError
from .base import applies, check_scope, conditions, diagnostic, regex, scope_blocks, scope_text


def _source(rule, key):
    value = rule.params.get(key)
    if isinstance(value, str) and (value in ("title.year", "signature.report-year") or value.startswith("cell:")):
        if value.startswith("cell:") and len(value[5:].split("/")) != 3:
            raise RuleFileError(rule.path, f"check.{key}", "单元格应写成 cell:表/行/列，如 cell:三/一/总计")
        return value
    if isinstance(value, dict) and "pattern" in value:
        p = regex(rule, f"{key}.pattern", value["pattern"])
        if "n" not in p.groupindex:
            raise RuleFileError(rule.path, f"check.{key}.pattern", "需要一个命名分组 (?P<n>…) 表示要比较的数")
        mode = value.get("mode", "each")
        if mode not in ("each", "most-common"):
            raise RuleFileError(rule.path, f"check.{key}.mode", "只能是 \"each\"（逐个比较）或 \"most-common\"（出现最多的数）")
        return (check_scope(rule, value.get("scope", "document")), p, mode)
    raise RuleFileError(rule.path, f"check.{key}", "应为 \"title.year\"、\"cell:表/行/列\" 或 {scope, pattern}")


def prepare(rule):
    return {"left": _source(rule, "left"), "right": _source(rule, "right"), "if": conditions(rule)}


def _values(report, source):
    """(number, location, matched text) for each occurrence of the source."""
    if source == "title.year":
        t = report.outline.title
        if t and t.year:
            yield t.year, report.blocks[t.index].location(t.start, t.start + 4), str(t.year)
    elif source == "signature.report-year":  # a report signed in the first half of a year reports on the year before
        from .signing_date import find_signature
        found = find_signature(report)
        if found is not None and found[1][1] <= 6:
            block = report.blocks[found[0]]
            yield found[1][0] - 1, block.location(), block.text.strip()
    elif isinstance(source, str):  # cell:表/行/列, where 列 may be 列1+列2 (a sum of cells)
        table, row, cols = source[5:].split("/")
        tab = report.tables.get(table)
        if tab and tab.found:
            values = [tab.value(row, c) for c in cols.split("+")]
            if all(v is not None for v in values):
                total = sum(values)
                yield total, tab.cells[(row, cols.split("+")[0])].location, str(total)
    else:
        scope, pattern, mode = source
        found = [(int(m.group("n")), block.location(m.start("n"), m.end("n")), m.group(0))
                 for _, block in scope_blocks(report, scope) for m in pattern.finditer(block.text)]
        if mode == "each":
            yield from found
        elif found:
            counts = Counter(v for v, _, _ in found)
            (top, n), *rest = counts.most_common(2) + [(None, 0)]
            if n >= 2 and n > 2 * rest[0][1]:  # a clear majority only: a report may well name other years
                yield next(f for f in found if f[0] == top)


def run(rule, params, report):
    cond = params["if"]
    if not applies(report, cond, scope_text(report, "document") if cond["when"] or cond["unless"] else None):
        return
    rights = list(_values(report, params["right"]))
    if not rights:
        return
    right = rights[0][0]
    for value, loc, text in _values(report, params["left"]):
        if value != right:
            yield diagnostic(rule, report, loc, left=value, right=right, left_text=text, right_text=rights[0][2])
