"""What the check kinds share: making a diagnostic from a rule, and the scopes a rule can look at."""
from __future__ import annotations

import re
from collections.abc import Iterator

from ..document import Block
from ..model import Diagnostic, Fix, Location
from ..report import Report
from ..rules import Rule
from ..tomlfile import RuleFileError

SCOPES = ("document", "title", "body") + tuple(f"section:{k}" for k in "一二三四五六")


class _Fields(dict):
    def __missing__(self, key):  # a message may name a field a particular finding lacks
        return "{" + key + "}"


def diagnostic(rule: Rule, report: Report, location: Location, fix: Fix | None = None, **fields) -> Diagnostic:
    fields = _Fields(fields)
    message = rule.message.format_map(fields)
    hint = rule.hint.format_map(fields) if rule.hint else None
    found = _block_at(report, location)
    source = None
    if found is not None:
        block, (column, text) = found
        if location.context is None and report.doc.format in ("docx", "pdf"):
            location = location.with_context(_quote(block.text))  # a paragraph number alone is hard to find
        source = text if block.cell is not None else " " * (column - 1) + text
    return Diagnostic(rule.code, rule.severity, message, report.doc.path, location, hint, fix, source)


def _block_at(report: Report, location: Location):
    """The block holding the location, and (column, text) of its part on the location's source line."""
    index = report.cache.get("blocks by line")
    if index is None:  # built once per report: a report can have thousands of findings
        index = report.cache["blocks by line"] = {}
        for b in report.doc.blocks:
            for line in (b.line, *(brk[1] for brk in b.breaks)):
                index.setdefault((b.page, line), []).append(b)
    for b in index.get((location.page, location.line), ()):
        seg = b.segment(location.line)
        if seg is not None and seg[0] <= location.column <= seg[0] + len(seg[1]):
            return b, seg
    return None


def _quote(text: str, width: int = 16) -> str:
    text = " ".join(text.split())
    return f"「{text[:width]}…」" if len(text) > width else f"「{text}」"


def param(rule: Rule, key: str, kind, default=None, choices=None):
    value = rule.params.get(key, default)
    if value is None:
        raise RuleFileError(rule.path, f"check.{key}", "缺少必填项")
    if not isinstance(value, kind):
        raise RuleFileError(rule.path, f"check.{key}", f"类型应为 {getattr(kind, '__name__', kind)}")
    if choices is not None and value not in choices:
        raise RuleFileError(rule.path, f"check.{key}", f"只能是：{'、'.join(map(str, choices))}")
    return value


# \p{Han} in rule patterns, as in Vale and Perl: a Chinese character. Python's re has no \p{…}, and a class with the
# whole CJK range costs ~1 ms to compile (sre builds a 64K-entry map), which dominated start-up with a few dozen
# rules. A word character that is not a digit, "_" or an ASCII letter is a category test, compiled at once; it also
# admits other scripts' letters (kana, Cyrillic…), which do not occur in these reports.
HAN = r"[^\W\d_A-Za-z]"
_CLASS = re.compile(r"\[(?:\\.|[^\]\\])*\]")


def expand_han(pattern: str) -> str:
    r"""\p{Han} → HAN; a class holding it, [\p{Han}，。], becomes (?:HAN|[，。])."""
    def in_class(m: re.Match) -> str:
        cls = m.group(0)
        if "\\p{Han}" not in cls:
            return cls
        if cls.startswith("[^"):
            raise re.error("\\p{Han} 不能用在取反的字符类 [^…] 中")
        rest = cls.replace("\\p{Han}", "")
        return f"(?:{HAN}|{rest})" if rest != "[]" else HAN
    if "\\p{Han}" not in pattern:
        return pattern
    return _CLASS.sub(in_class, pattern).replace("\\p{Han}", HAN)


def regex(rule: Rule, key: str, value: str) -> re.Pattern:
    try:
        return re.compile(expand_han(value))
    except re.error as exc:
        raise RuleFileError(rule.path, f"check.{key}", f"正则表达式有误：{exc}") from None


def scope_blocks(report: Report, scope: str, with_cells: bool = False) -> Iterator[tuple[int, Block]]:
    """The blocks a rule looks at: the whole document, the title, the body after it, or one section."""
    blocks = report.doc.blocks
    if scope == "document":
        indices = range(len(blocks))
    elif scope == "title":
        t = report.outline.title
        indices = range(t.index, t.index + 1) if t else range(0)
    elif scope == "body":
        t = report.outline.title
        indices = range((t.index + 1) if t else 0, len(blocks))
    else:
        indices = report.outline.section_blocks(scope.split(":", 1)[1])
    for i in indices:
        if with_cells or blocks[i].cell is None:
            yield i, blocks[i]


def scope_anchor(report: Report, scope: str) -> Location:
    """Where to report that something is missing from a scope: its heading, else the title, else line 1."""
    if scope.startswith("section:"):
        s = report.outline.sections.get(scope.split(":", 1)[1])
        if s:
            return report.doc.blocks[s.heading.index].location()
    t = report.outline.title
    if t:
        return report.doc.blocks[t.index].location()
    return report.doc.blocks[0].location() if report.doc.blocks else Location(1)


def check_scope(rule: Rule, scope: str) -> str:
    if scope not in SCOPES:
        raise RuleFileError(rule.path, "check.scope", f"只能是：{'、'.join(SCOPES)}")
    return scope


def conditions(rule: Rule) -> dict:
    """Optional preconditions any text kind accepts: the report year (``min_year``/``max_year``), something the
    scope must say for the rule to apply (``when``, a regex) or must not say (``unless``), and a table cell above a value (``when_cell`` =
    "表/行/列", ``when_above``, default 0) or equal to one (``when_equals``)."""
    cell = param(rule, "when_cell", str, "")
    if cell and len(cell.split("/")) != 3:
        raise RuleFileError(rule.path, "check.when_cell", "应写成 表/行/列，如 三/三.六.2/总计")
    when = param(rule, "when", str, "")
    unless = param(rule, "unless", str, "")
    equals = rule.params.get("when_equals")
    if equals is not None and not isinstance(equals, (int, float)):
        raise RuleFileError(rule.path, "check.when_equals", "应为一个数")
    return {"min_year": param(rule, "min_year", int, 0), "max_year": param(rule, "max_year", int, 9999),
            "when": regex(rule, "when", when) if when else None, "when_cell": cell,
            "unless": regex(rule, "unless", unless) if unless else None,
            "when_above": param(rule, "when_above", (int, float), 0), "when_equals": equals}


def applies(report: Report, cond: dict, scope_text: str | None = None) -> bool:
    year = report.year
    if year is not None and not cond["min_year"] <= year <= cond["max_year"]:
        return False
    if cond["when"] is not None and not (scope_text and (cond["when"].search(scope_text)
                                                         or cond["when"].search("".join(scope_text.split())))):
        return False
    if cond["unless"] is not None and scope_text and (cond["unless"].search(scope_text)
                                                     or cond["unless"].search("".join(scope_text.split()))):
        return False
    if cond["when_cell"]:
        table, row, col = cond["when_cell"].split("/")
        t = report.tables.get(table)
        value = t.value(row, col) if t is not None and t.found else None
        if value is None:
            return False
        if cond["when_equals"] is not None:
            if value != cond["when_equals"]:
                return False
        elif value <= cond["when_above"]:
            return False
    return True


def scope_text(report: Report, scope: str) -> str:
    return "\n".join(b.text for _, b in scope_blocks(report, scope, with_cells=True))
