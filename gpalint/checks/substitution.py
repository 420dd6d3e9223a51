"""kind = "substitution": text written the wrong way, with the right way (a fix) — typography above all.

Like ``pattern``, plus what typography rules need:

``pattern``
    regular expression. Named groups become message fields.
``target`` (optional)
    the name of a group: only that group is reported and replaced. A match in which the group did not take part
    is *context*: it is consumed and nothing is reported — so a pattern can step over text it must leave alone,
    e.g. ``《[^《》]*》|(?P<x><[^<>]*>)`` flags ``<…>`` only outside 《》.
``replace`` (re template, ``\\g<name>``) or ``translate`` (a table character → character applied to the target)
    the right way. A finding whose replacement equals the text is not reported.
``keep`` (optional, with ``translate``)
    the name of a group inside the target left as written (e.g. the words between two brackets being replaced).
``merge`` (optional, default 0)
    findings at most this many characters apart are reported as one (one finding, one fix with all the edits),
    e.g. the five spaces of 「自 2024 年 1 月 1 日」.
``scope`` (default "document"), ``skip_tables`` (default true: the tables are left alone — table cells, lines
    with tabs or ``|`` separators, and the table sections 二、三、四, whose spacing the table recovery reads).

The fix changes only the characters that differ (one edit per changed stretch), so fonts and runs around them in
a Word file are kept, and fixes of neighbouring findings do not overlap.
Message fields: {found}, {replacement}, {count} (findings merged), and the pattern's named groups.
"""
from __future__ import annotations

from difflib import SequenceMatcher

from ..model import Edit, Fix
from ..rules import Rule
from ..tomlfile import RuleFileError
from .base import _Fields, check_scope, diagnostic, param, regex, scope_blocks


def prepare(rule: Rule):
    pattern = regex(rule, "pattern", param(rule, "pattern", str))
    target = rule.params.get("target")
    if target is not None and (not isinstance(target, str) or target not in pattern.groupindex):
        raise RuleFileError(rule.path, "check.target", "应为 pattern 中一个命名分组的名字")
    replace = rule.params.get("replace")
    table = rule.params.get("translate")
    if replace is not None and table is not None:
        raise RuleFileError(rule.path, "check.translate", "replace 与 translate 只能写一个")
    if replace is None and table is None:
        raise RuleFileError(rule.path, "check.replace", "缺少必填项（replace 或 translate）")
    if replace is not None and not isinstance(replace, str):
        raise RuleFileError(rule.path, "check.replace", "类型应为 str")
    translate = None
    if table is not None:
        if not isinstance(table, dict) or not all(isinstance(k, str) and len(k) == 1 and isinstance(v, str)
                                                  for k, v in table.items()):
            raise RuleFileError(rule.path, "check.translate", "应为表：单个字符 = 替换文字")
        translate = str.maketrans(table)
    keep = rule.params.get("keep")
    if keep is not None and (translate is None or not isinstance(keep, str) or keep not in pattern.groupindex):
        raise RuleFileError(rule.path, "check.keep", "应为 pattern 中一个命名分组的名字，且只能与 translate 一起用")
    return {"pattern": pattern, "target": target, "replace": replace, "translate": translate, "keep": keep,
            "scope": check_scope(rule, param(rule, "scope", str, "document")),
            "merge": param(rule, "merge", int, 0),
            "skip_tables": param(rule, "skip_tables", bool, True)}


def minimal_edits(block, start: int, old: str, new: str) -> tuple[Edit, ...]:
    """The edits turning ``old`` (at offset ``start`` of ``block``) into ``new``: only the stretches that differ."""
    edits = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if op != "equal":
            edits.append(Edit(block.location(start + i1, start + i2), new[j1:j2]))
    return tuple(edits)


def text_blocks(report, scope: str, skip_tables: bool):
    """The blocks of ``scope``, without the tables when ``skip_tables``: table cells, table-like lines (tabs, two
    or more ``|``) and the sections holding the template's tables (reports pasted from web pages glue table cells
    into lines where single spaces separate the numbers)."""
    key = ("text-blocks", scope, skip_tables)
    cached = report.cache.get(key)  # a dozen G rules ask for the same blocks
    if cached is not None:
        return cached
    skip: set[int] = set()
    if skip_tables:
        skip = {i for spec in report.template.tables.values() for i in report.outline.section_blocks(spec.key)}
    cached = report.cache[key] = [
        (i, block) for i, block in scope_blocks(report, scope, with_cells=not skip_tables)
        if not (skip_tables and (i in skip or "\t" in block.text or block.text.count("|") >= 2))]
    return cached


def run(rule, params, report):
    merge = params["merge"]
    for _, block in text_blocks(report, params["scope"], params["skip_tables"]):
        group: list = []
        for found in _findings(params, block.text):
            if group and found[0] - group[-1][1] > merge:
                yield _diagnostic(rule, report, block, group)
                group = []
            group.append(found)
        if group:
            yield _diagnostic(rule, report, block, group)


def _findings(params, text: str):
    """(start, end, replacement, fields) of each finding in ``text``."""
    pattern, target = params["pattern"], params["target"]
    replace, translate, keep = params["replace"], params["translate"], params["keep"]
    for m in pattern.finditer(text):
        if target is not None and m.start(target) < 0:
            continue  # context the pattern steps over
        start, end = m.span(target) if target is not None else m.span()
        found = text[start:end]
        if translate is None:
            replacement = m.expand(replace)
        elif keep is not None and m.start(keep) >= 0:
            k0, k1 = m.start(keep) - start, m.end(keep) - start
            replacement = found[:k0].translate(translate) + found[k0:k1] + found[k1:].translate(translate)
        else:
            replacement = found.translate(translate)
        if replacement != found:
            yield start, end, replacement, {k: v for k, v in m.groupdict().items() if v is not None}


def _diagnostic(rule, report, block, group):
    start, end = group[0][0], group[-1][1]
    text = block.text
    # the merged span as it is and as it should be
    replacement = text[start:end]
    for s, e, rep, _ in reversed(group):
        replacement = replacement[:s - start] + rep + replacement[e - start:]
    found = text[start:end]
    fields = _Fields(group[0][3])
    fields.update(found=found, replacement=replacement, count=str(len(group)))
    fix = None
    if rule.fix:
        edits = tuple(edit for s, e, rep, _ in group for edit in minimal_edits(block, s, text[s:e], rep))
        message = rule.fix_message.format_map(fields) if rule.fix_message else ""
        fix = Fix(rule.fix, message or f"改为「{replacement}」", edits)
    return diagnostic(rule, report, block.location(start, end), fix, **fields)
