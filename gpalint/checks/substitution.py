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
the preconditions of base.Conditions
    (min_year, max_year, when, unless, when_cell, when_title, unless_converted: e.g. a spacing rule says nothing on
    text a PDF extractor wrote).

The fix changes only the characters that differ (one edit per changed stretch), so fonts and runs around them in
a Word file are kept, and fixes of neighbouring findings do not overlap.
Message fields: {found}, {replacement}, {count} (findings merged), and the pattern's named groups.
"""
from __future__ import annotations

from collections.abc import Collection, Iterator
from dataclasses import dataclass
from difflib import SequenceMatcher

from ..document import Block
from ..model import Diagnostic, Edit, Fix
from ..rules import Rule
from .base import CheckKind, CheckTable, Conditions, Context, Fields, TextPattern, diagnostic, fill, scope_text


@dataclass(frozen=True, slots=True)
class Params:
    pattern: TextPattern
    target: str | None
    replace: str | None  # exactly one of replace and translate
    translate: dict[int, str] | None
    keep: str | None
    scope: str
    merge: int
    skip_tables: bool
    conditions: Conditions


def prepare(rule: Rule) -> Params:
    table = CheckTable(rule)
    pattern = table.pattern("pattern")
    target = table.optional("target", str)
    if target is not None and target not in pattern.groupindex:
        raise table.error("target", "应为 pattern 中一个命名分组的名字")
    replace = table.replacement("replace", pattern)
    chars = table.optional("translate", dict)
    if replace is not None and chars is not None:
        raise table.error("translate", "replace 与 translate 只能写一个")
    if replace is None and chars is None:
        raise table.error("replace", "缺少必填项（replace 或 translate）")
    translate = None
    if chars is not None:
        if not all(isinstance(k, str) and len(k) == 1 and isinstance(v, str) for k, v in chars.items()):
            raise table.error("translate", "应为表：单个字符 = 替换文字")
        translate = str.maketrans(chars)
    keep = table.optional("keep", str)
    if keep is not None and (translate is None or keep not in pattern.groupindex):
        raise table.error("keep", "应为 pattern 中一个命名分组的名字，且只能与 translate 一起用")
    params = Params(pattern, target, replace, translate, keep, table.scope(), table.value("merge", int, 0),
                    table.value("skip_tables", bool, True), Conditions.read(table))
    table.done()
    return params


def groups(params: Params) -> Collection[str]:
    return params.pattern.groupindex.keys()


def minimal_edits(block: Block, start: int, old: str, new: str) -> tuple[Edit, ...]:
    """The edits turning ``old`` (at offset ``start`` of ``block``) into ``new``: only the stretches that differ."""
    edits = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if op != "equal":
            edits.append(Edit(block.location(start + i1, start + i2), new[j1:j2]))
    return tuple(edits)


Finding = tuple[int, int, str, dict[str, str]]  # (start, end, replacement, the pattern's groups)


def run(rule: Rule, params: Params, context: Context) -> Iterator[Diagnostic]:
    report, cond = context.report, params.conditions
    if not cond.applies(report, scope_text(report, params.scope) if cond.needs_text else None):
        return
    merge = params.merge
    for _, block in context.text_blocks(params.scope, params.skip_tables):
        group: list[Finding] = []
        for found in _findings(params, block.text):
            if group and found[0] - group[-1][1] > merge:
                yield _diagnostic(rule, context, block, group)
                group = []
            group.append(found)
        if group:
            yield _diagnostic(rule, context, block, group)


def _findings(params: Params, text: str) -> Iterator[Finding]:
    """(start, end, replacement, fields) of each finding in ``text``."""
    pattern, target = params.pattern, params.target
    replace, translate, keep = params.replace, params.translate, params.keep
    for m in pattern.finditer(text):
        if target is not None and m.start(target) < 0:
            continue  # context the pattern steps over
        start, end = m.span(target) if target is not None else m.span()
        found = text[start:end]
        if translate is None:
            replacement = m.expand(replace or "")
        elif keep is not None and m.start(keep) >= 0:
            k0, k1 = m.start(keep) - start, m.end(keep) - start
            replacement = found[:k0].translate(translate) + found[k0:k1] + found[k1:].translate(translate)
        else:
            replacement = found.translate(translate)
        if replacement != found:
            yield start, end, replacement, {k: v for k, v in m.groupdict().items() if v is not None}


def _diagnostic(rule: Rule, context: Context, block: Block, group: list[Finding]) -> Diagnostic:
    start, end = group[0][0], group[-1][1]
    text = block.text
    # the merged span as it is and as it should be
    replacement = text[start:end]
    for s, e, rep, _ in reversed(group):
        replacement = replacement[:s - start] + rep + replacement[e - start:]
    found = text[start:end]
    fields = Fields(group[0][3])
    fields.update(found=found, replacement=replacement, count=str(len(group)))
    fix = None
    if rule.fix:
        edits = tuple(edit for s, e, rep, _ in group for edit in minimal_edits(block, s, text[s:e], rep))
        message = fill(rule.fix_message, fields) if rule.fix_message else ""
        fix = Fix(rule.fix, message or f"改为「{replacement}」", edits)
    return diagnostic(rule, context, block.location(start, end), fix, **fields)


KIND = CheckKind("substitution", prepare, run, ("found", "replacement", "count"),
                 "写法不对的文字及其正确写法（可修复），排版规则多用此类", pattern_groups=groups)
