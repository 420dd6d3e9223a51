"""kind = "compare": two figures of the report must agree — a number stated in the text against a table cell,
the title's year against the statistics year, and so on.

Parameters: ``left`` and ``right``, each a source: "title.year"; "signature.report-year" (the year before the
落款 date, when it is in the first half of a year); "cell:表/行/列" (e.g. "cell:三/一/总计", or a sum of cells
"cell:四/数据/直诉.总计+复诉.总计", "cell:三/一+二/总计");
or a table {scope = "section:一", pattern = "…(?P<n>\\d+)…", mode = "each" | "most-common"} (every match is
compared, or only the number the scope names most often, when it is a clear majority). ``right`` may also be a list
of readings, each a source or {source = …, label = "…"}: a figure the text may mean in more than one way (收到申请
N 件: the new applications, or with the carry-over) agrees when it equals any of them. The finding is placed at
``left``; the preconditions of base.conditions apply (``unless`` is matched against the whole document).
Message fields: {left}, {right} (the first reading), {left_text} (the matched words), {readings} (each distinct
reading as 「label为 N」, joined by ，).
"""
from __future__ import annotations

from collections import Counter

from ..tomlfile import RuleFileError
from .base import applies, check_scope, conditions, diagnostic, regex, scope_blocks, scope_text


def _source(rule, key, value):
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


def _readings(rule) -> list[tuple[object, str]]:
    """(source, label) for each reading of ``right``."""
    value = rule.params.get("right")
    items = value if isinstance(value, list) else [value]
    out = []
    for i, item in enumerate(items):
        key = f"right[{i}]" if isinstance(value, list) else "right"
        if isinstance(item, dict) and "source" in item:
            out.append((_source(rule, key, item["source"]), str(item.get("label", ""))))
        else:
            out.append((_source(rule, key, item), ""))
    if not out:
        raise RuleFileError(rule.path, "check.right", "至少要有一个来源")
    return out


def prepare(rule):
    return {"left": _source(rule, "left", rule.params.get("left")), "right": _readings(rule),
            "if": conditions(rule)}


def _values(report, source):
    """(number, location, matched text) for each occurrence of the source."""
    if source == "title.year":
        t = report.outline.title
        if t and t.year:
            yield t.year, report.doc.blocks[t.index].location(t.start, t.start + 4), str(t.year)
    elif source == "signature.report-year":  # a report signed in the first half of a year reports on the year before
        from .signing_date import find_signature
        found = find_signature(report)
        if found is not None and found[1][1] <= 6:
            block = report.doc.blocks[found[0]]
            yield found[1][0] - 1, block.location(), block.text.strip()
    elif isinstance(source, str):  # cell:表/行/列, where 行 and 列 may be 甲+乙 (a sum of cells)
        table, row_keys, col_keys = source[5:].split("/")
        rows, cols = row_keys.split("+"), col_keys.split("+")
        tab = report.tables.get(table)
        if tab and tab.found:
            values = [tab.value(r, c) for r in rows for c in cols]
            if all(v is not None for v in values):
                total = sum(values)
                yield total, tab.cells[(rows[0], cols[0])].location, str(total)
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
    readings = []  # (value, label, text) of each reading the report has
    for source, label in params["right"]:
        found = next(iter(_values(report, source)), None)
        if found is not None:
            readings.append((found[0], label, found[2]))
    if not readings:
        return
    accepted = {value for value, _, _ in readings}
    distinct = [r for i, r in enumerate(readings) if r[0] not in {v for v, _, _ in readings[:i]}]
    said = "，".join(f"{label}为 {value}" for value, label, _ in distinct)
    for value, loc, text in _values(report, params["left"]):
        if value not in accepted:
            yield diagnostic(rule, report, loc, left=value, right=readings[0][0], left_text=text,
                             right_text=readings[0][2], readings=said)
