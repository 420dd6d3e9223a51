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
``scope`` (default "document"), ``skip_tables`` (default true: table cells and tab-separated table lines are left
    alone).

The fix changes only the characters that differ (one edit per changed stretch), so fonts and runs around them in
a Word file are kept, and fixes of neighbouring findings do not overlap.
Message fields: {found}, {replacement}, and the pattern's named groups.
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
            "skip_tables": param(rule, "skip_tables", bool, True)}


def minimal_edits(block, start: int, old: str, new: str) -> tuple[Edit, ...]:
    """The edits turning ``old`` (at offset ``start`` of ``block``) into ``new``: only the stretches that differ."""
    edits = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if op != "equal":
            edits.append(Edit(block.location(start + i1, start + i2), new[j1:j2]))
    return tuple(edits)


def run(rule, params, report):
    pattern, target = params["pattern"], params["target"]
    replace, translate, keep = params["replace"], params["translate"], params["keep"]
    for _, block in scope_blocks(report, params["scope"], with_cells=not params["skip_tables"]):
        text = block.text
        if params["skip_tables"] and "\t" in text:
            continue
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
            if replacement == found:
                continue
            fields = {k: v for k, v in m.groupdict().items() if v is not None}
            fields.update(found=found, replacement=replacement)
            fix = None
            if rule.fix:
                message = rule.fix_message.format_map(_Fields(fields)) if rule.fix_message else ""
                fix = Fix(rule.fix, message or f"改为「{replacement}」",
                          minimal_edits(block, start, found, replacement))
            yield diagnostic(rule, report, block.location(start, end), fix, **fields)
