"""What the check kinds share: the kind interface, reading a rule's [check] table into a typed parameters object,
rule patterns with a time budget, message templates checked at load, the per-report context, and scopes."""
from __future__ import annotations

import re
import string
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from typing import Any, Generic, Protocol, TypeVar, cast

from ..cjk import expand_han
from ..document import Block
from ..model import Diagnostic, Fix, Location, PatternTimeout
from ..report import Report
from ..rules import FAMILIES, Rule
from ..tomlfile import RuleFileError, require

P = TypeVar("P")
T = TypeVar("T")
SCOPES = ("document", "title", "body")  # and "section:<key>", a section of the templates in use (check_sections)
PATTERN_BUDGET = 1.0  # seconds one search of a user's pattern may take; a real report's lines need microseconds


# ── the kind interface ───────────────────────────────────────────────────────────────────────────────────────────

@dataclass(frozen=True, slots=True)
class CheckKind(Generic[P]):
    """A generic check kind: ``prepare`` reads and validates a rule's [check] table into the kind's parameters
    (raising RuleFileError naming the file and key), ``run`` finds what the rule reports in one report, ``fields``
    names the message fields its findings fill (for checking the rule's templates at load), ``pattern_groups``
    the parameters' named groups when they are fields too.

    ``builtin``: the kind serves one built-in rule (its logic is not a reusable pattern a rule file can aim at
    something else), so the docs list it apart from the generic kinds."""

    name: str
    prepare: Callable[[Rule], P]
    run: Callable[[Rule, P, Context], Iterable[Diagnostic]]
    fields: tuple[str, ...]
    summary: str
    builtin: bool = False
    pattern_groups: Callable[[P], Collection[str]] | None = None  # the named groups, fields too (pattern kinds)
    # a kind that compares two reports (gpalint/checks/pair.py): ``digest`` notes, while a report is checked, what
    # the comparison needs of it (plain data); ``run`` then gets a PairContext, after the whole batch, not a Context
    digest: Callable[[P, Context], Any] | None = None
    digest_key: Callable[[P], Any] | None = None  # what a digest depends on: rules alike in it share one


    @property
    def pair(self) -> bool:
        return self.digest is not None

    def compile(self, rule: Rule) -> Check[P]:
        params = self.prepare(rule)
        groups = self.pattern_groups(params) if self.pattern_groups is not None else ()
        check_templates(rule, {*self.fields, *groups})
        return Check(rule, self, params)


@dataclass(frozen=True, slots=True)
class Check(Generic[P]):
    """A rule bound to its kind and its prepared parameters: what the engine runs on each report."""

    rule: Rule
    kind: CheckKind[P]
    params: P

    def run(self, context: Context) -> Iterable[Diagnostic]:
        return self.kind.run(self.rule, self.params, context)


# ── reading the [check] table ────────────────────────────────────────────────────────────────────────────────────

class CheckTable:
    """A rule's [check] table, read key by key into typed values; every error names the rule file and the key, and a
    key no reader asked for is an error too (a misspelt key must not be silently ignored)."""

    def __init__(self, rule: Rule):
        self.rule = rule
        self.file = rule.path or rule.code
        self.data = rule.params
        self.read: set[str] = set()

    def error(self, key: str, problem: str) -> RuleFileError:
        return RuleFileError(self.file, f"check.{key}", problem)

    def _get(self, key: str) -> Any:
        self.read.add(key)
        return self.data.get(key)

    def has(self, key: str) -> bool:
        return key in self.data

    def value(self, key: str, kind: type[T], default: T | None = None) -> T:
        """The value of ``key``, of type ``kind``; ``default`` when absent, which ``None`` makes required."""
        self.read.add(key)
        return require(self.data, key, kind, self.file, "check.", default)

    def optional(self, key: str, kind: type[T]) -> T | None:
        return self.value(key, kind) if self.has(key) else self._get(key)

    def number(self, key: str, default: float | None = None) -> float | None:
        value = self._get(key)
        if value is None:
            return default
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            raise self.error(key, "应为一个数")
        return value

    def choice(self, key: str, choices: tuple[str, ...], default: str | None = None) -> str:
        value = self.value(key, str, default)
        if value not in choices:
            raise self.error(key, f"只能是：{'、'.join(choices)}")
        return value

    def strings(self, key: str, default: list[str] | None = None) -> list[str]:
        value = self.value(key, list, default)
        if not all(isinstance(v, str) for v in value):
            raise self.error(key, "应为字符串列表")
        return list(value)

    def scope(self, key: str = "scope", default: str = "document") -> str:
        return check_scope(self, key, self.value(key, str, default))

    def pattern(self, key: str, value: str | None = None) -> TextPattern:
        """A regular expression: ``key``'s value, or ``value`` read from inside it (e.g. left.pattern)."""
        return compile_pattern(self, key, self.value(key, str) if value is None else value)

    def replacement(self, key: str, pattern: TextPattern) -> str | None:
        """An optional replacement template (\\g<name>) for ``pattern``, dry-run now."""
        template = self.optional(key, str)
        return None if template is None else check_replacement(self, key, pattern, template)

    def optional_pattern(self, key: str) -> TextPattern | None:
        text = self.value(key, str, "")
        return self.pattern(key, text) if text else None

    def done(self) -> None:
        """After the kind has read its parameters: every other key is a mistake."""
        unknown = sorted(set(self.data) - self.read)
        if unknown:
            raise self.error(unknown[0], f"不是检查类型「{self.rule.kind}」的参数；可用的参数："
                                         f"{'、'.join(sorted(self.read)) or '（无）'}")


def check_scope(table: CheckTable, key: str, scope: str) -> str:
    if scope not in SCOPES and not (scope.startswith("section:") and scope != "section:"):
        raise table.error(key, f"只能是：{'、'.join(SCOPES)} 或 section:章节序号（如 section:一）")
    return scope


def check_sections(rule: Rule, keys: tuple[str, ...], value: object = None, where: str = "check") -> None:
    """Every section a rule's parameters name (``scope = "section:七"``, at any depth) is one of ``keys``, the
    sections of the templates in use."""
    value = rule.params if value is None else value
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for k, v in items:
        at = f"{where}.{k}" if isinstance(k, str) else f"{where}[{k}]"
        if isinstance(v, str) and v.startswith("section:") and v.removeprefix("section:") not in keys:
            raise RuleFileError(rule.path or "<rule>", at,
                                f"模板中没有章节「{v.removeprefix('section:')}」；章节为：{'、'.join(keys)}")
        check_sections(rule, keys, v, at)


def no_params(rule: Rule) -> None:
    CheckTable(rule).done()


# ── patterns ─────────────────────────────────────────────────────────────────────────────────────────────────────

class TextPattern(Protocol):
    """What the check kinds use of a compiled pattern (re.Pattern, or a user's pattern with a time budget)."""

    @property
    def pattern(self) -> str: ...

    @property
    def groupindex(self) -> Mapping[str, int]: ...

    def finditer(self, string: str) -> Iterator[re.Match[str]]: ...

    def search(self, string: str) -> re.Match[str] | None: ...


class TimedPattern:
    """A pattern from a user's rule file, compiled with the ``regex`` module: every search stops after
    PATTERN_BUDGET seconds (a backtracking pattern such as ``^(\\p{Han}+)+$`` must not hang the whole run), and the
    file being checked then gets one line naming the rule and its file."""

    __slots__ = ("_compiled", "_key", "_rule")

    def __init__(self, compiled: Any, rule: Rule, key: str):
        self._compiled, self._rule, self._key = compiled, rule, key

    @property
    def pattern(self) -> str:
        return cast(str, self._compiled.pattern)

    @property
    def groupindex(self) -> Mapping[str, int]:
        return cast("Mapping[str, int]", self._compiled.groupindex)

    def _timeout(self) -> PatternTimeout:
        return PatternTimeout(f"规则 {self._rule.code} 的正则表达式 check.{self._key} 在 {PATTERN_BUDGET:g} 秒内没有完成匹配，"
                              f"已停止检查此文件：请改写该规则，避免嵌套的重复（如 (…+)+）（{self._rule.path}）")

    def finditer(self, string: str) -> Iterator[re.Match[str]]:
        # regex's Match offers the methods of re.Match the kinds use (group, span, start, end, groupdict, expand)
        try:
            yield from self._compiled.finditer(string, timeout=PATTERN_BUDGET)
        except TimeoutError:
            raise self._timeout() from None

    def search(self, string: str) -> re.Match[str] | None:
        try:
            return cast("re.Match[str] | None", self._compiled.search(string, timeout=PATTERN_BUDGET))
        except TimeoutError:
            raise self._timeout() from None

    def empty_match(self) -> Any:
        """A match in which no group took part, for dry-running replacement templates."""
        import regex
        return regex.compile(f"(?:{self._compiled.pattern})|", self._compiled.flags).match("")


def compile_pattern(table: CheckTable, key: str, value: str) -> TextPattern:
    """A rule's regular expression, with \\p{Han}. Built-in rules use ``re`` (their patterns are tested against
    backtracking inputs, tests/test_rule_safety.py); a user's rules get the ``regex`` module's time budget."""
    rule = table.rule
    if rule.family in FAMILIES:
        try:
            return re.compile(expand_han(value))
        except re.error as exc:
            raise table.error(key, f"正则表达式有误：{exc}") from None
    import regex  # only for users' rules: gpalint's own start-up does not pay for it
    try:
        return TimedPattern(regex.compile(expand_han(value)), rule, key)
    except (regex.error, re.error) as exc:
        raise table.error(key, f"正则表达式有误：{exc}") from None


def check_replacement(table: CheckTable, key: str, pattern: TextPattern, template: str) -> str:
    """Dry-run a replacement template (\\g<name>) against the pattern's groups at load, so a bad one is a rule-file
    error, not an exception on every report."""
    try:
        if isinstance(pattern, TimedPattern):
            pattern.empty_match().expand(template)
        else:
            cast("re.Pattern[str]", pattern).sub(template, "")  # re compiles the template before matching
    except Exception as exc:  # re.error, IndexError (unknown group), regex.error
        raise table.error(key, f"替换模板有误：{exc}") from None
    return template


# ── message templates ────────────────────────────────────────────────────────────────────────────────────────────

TEMPLATE_KEYS = ("message", "hint", "fix_message")


def template_problem(template: str, fields: Collection[str]) -> str | None:
    """Why ``template`` is not a message template of these fields: only {field} is allowed — no format spec,
    conversion, index or attribute (``{found:>1000000000}`` would eat memory on every finding)."""
    try:
        parts = list(string.Formatter().parse(template))
    except ValueError as exc:
        return f"不是有效的消息模板（{exc}）；字面的花括号写成 {{{{ 和 }}}}"
    for _, name, spec, conversion in parts:
        if name is None:
            continue
        if spec or conversion:
            return f"「{{{name}{'!' + conversion if conversion else ''}{':' + spec if spec else ''}}}」不能带格式说明或转换，只能写 {{字段名}}"
        if name not in fields:
            return f"没有字段「{{{name}}}」；可用的字段：{'、'.join('{' + f + '}' for f in sorted(fields)) or '（无）'}"
    return None


def check_templates(rule: Rule, fields: Collection[str]) -> None:
    for key, template in (("message", rule.message), ("hint", rule.hint), ("fix_message", rule.fix_message)):
        problem = template_problem(template, fields) if template else None
        if problem:
            raise RuleFileError(rule.path or rule.code, key, problem)


class Fields(dict):
    """A finding's message fields. A field a particular finding lacks (an optional group that did not take part)
    stays as written, {name}: the template was checked at load, so nothing else can go wrong when it is filled."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def fill(template: str, fields: Mapping[str, object]) -> str:
    return template.format_map(fields if isinstance(fields, Fields) else Fields(fields))


# ── the per-report context ───────────────────────────────────────────────────────────────────────────────────────

class Context:
    """One report being checked, and what several kinds look up in it, computed once on first use: a report can
    have thousands of findings, and a dozen G rules read the same text blocks."""

    __slots__ = ("_blocks_by_line", "_index", "_read_by_ocr", "_text_blocks", "report")

    def __init__(self, report: Report):
        self.report = report
        self._blocks_by_line: dict[tuple[int | None, int], list[Block]] | None = None
        self._text_blocks: dict[tuple[str, bool], list[tuple[int, Block]]] = {}
        self._index: dict[int, int] | None = None
        self._read_by_ocr: bool | None = None

    @property
    def read_by_ocr(self) -> bool:
        """Whether any of the document was read by OCR (a block with a confidence)."""
        if self._read_by_ocr is None:
            self._read_by_ocr = any(b.confidence is not None for b in self.report.doc.blocks)
        return self._read_by_ocr

    def section_of(self, block: Block) -> str | None:
        """The section heading and the sub-heading ``block`` stands under (or is), as written: 「三、… › （二）…」."""
        if self._index is None:
            self._index = {id(b): i for i, b in enumerate(self.report.blocks)}
        i = self._index.get(id(block))
        outline = self.report.outline
        if i is None:
            return None
        heading = None
        for h in outline.headings:
            if h.index > i:
                break
            heading = h
        if heading is None or heading.index == i:  # a heading is under nothing: the quote shows it
            return None
        label = _heading_label(heading.numbering, heading.title)
        sub = None
        for index, numbering, title in outline.subheadings:
            if index >= i:
                break
            if index > heading.index:
                sub = _heading_label(numbering, title)
        return f"{label} › {sub}" if sub else label

    def place(self, block: Block) -> Location:
        """Where ``block`` is, as a finding says it (for a message that names another place in the report)."""
        location = block.location()
        if self.report.doc.format not in ("docx", "pdf"):
            return location
        return _findable(self, location, block, block.column, block.text)

    def blocks_on(self, page: int | None, line: int) -> list[Block]:
        """The blocks with a part on source line ``line`` (of ``page``)."""
        if self._blocks_by_line is None:
            index: dict[tuple[int | None, int], list[Block]] = {}
            for b in self.report.blocks:
                for line_no in (b.line, *(brk[1] for brk in b.breaks)):
                    index.setdefault((b.page, line_no), []).append(b)
            self._blocks_by_line = index
        return self._blocks_by_line.get((page, line), [])

    def text_blocks(self, scope: str, skip_tables: bool) -> list[tuple[int, Block]]:
        """The blocks of ``scope``, without the tables when ``skip_tables``: table cells, table-like lines (tabs, two
        or more ``|``) and the sections holding the template's tables (reports pasted from web pages glue table
        cells into lines where single spaces separate the numbers)."""
        key = (scope, skip_tables)
        cached = self._text_blocks.get(key)
        if cached is None:
            report = self.report
            skip: set[int] = set()
            if skip_tables:
                skip = {i for spec in report.template.tables.values() for i in report.outline.section_blocks(spec.key)}
            cached = self._text_blocks[key] = [
                (i, block) for i, block in scope_blocks(report, scope, with_cells=not skip_tables)
                if not (skip_tables and (i in skip or "\t" in block.text or block.text.count("|") >= 2))]
        return cached


def _heading_label(numbering: str, title: str, longest: int = 16) -> str:
    """A heading as a location names it: its number and words, without the text run on after them
    (「（二）依申请公开：2024年，…」 → 「（二）依申请公开」)."""
    words = re.split(r"[：:。；;]", title, maxsplit=1)[0].strip()
    return numbering + (words[:longest] + "…" if len(words) > longest else words)


# ── making a diagnostic ──────────────────────────────────────────────────────────────────────────────────────────

OCR_SAID = "据 OCR 识别"  # what a finding on text read from a scanned page says of it


def diagnostic(rule: Rule, context: Context, location: Location, fix: Fix | None = None,
               **fields: object) -> Diagnostic:
    filled = Fields(fields)
    report = context.report
    message = fill(rule.message, filled)
    hint = fill(rule.hint, filled) if rule.hint else None
    if fix is not None and any((b := block_at(context, e.location)) is not None and b[0].rendered
                               for e in fix.edits):
        fix = None  # the text there is rendered from markup (Block.rendered): an edit could not be placed back safely
    location, source = findable(context, location)
    expected = fields.get("expected")
    return Diagnostic(rule.code, rule.severity, message, report.doc.path, location, hint, fix, source,
                      expected=None if expected is None else str(expected))


def findable(context: Context, location: Location) -> tuple[Location, str | None]:
    """``location`` as a finding states it (in Word and PDF with what leads a person to it, see _findable), and the
    source line to show under it (None when no block holds the location)."""
    found = block_at(context, location)
    doc = context.report.doc
    if found is None:
        # nothing to point at (something missing) on a document read by OCR: the finding says so too
        if context.read_by_ocr:
            location = _said_by_ocr(location)
        return location, None
    block, (column, text) = found
    if doc.format in ("docx", "pdf"):  # a paragraph number alone is hard to find
        location = _findable(context, location, block, column, text)
    if block.confidence is not None:  # text read by OCR from a scanned page
        location = _said_by_ocr(location)
    return location, text if block.cell is not None else " " * (column - 1) + text


def _said_by_ocr(location: Location) -> Location:
    return replace(location, context="；".join(c for c in (OCR_SAID, location.context) if c))


def _findable(context: Context, location: Location, block: Block, column: int, text: str) -> Location:
    """``location`` with what leads a person to it in a Word or PDF file: the paragraph a person counts (Word), the
    table cell, the section it is under, the faulty text quoted with a few characters around it."""
    cell = block.cell
    start = location.column - column
    end = location.end_column - column if location.end_column is not None and location.end_line in (
        None, location.line) else len(text)
    return replace(location, paragraph=context.report.doc.paragraphs.get(location.line),
                   cell=(cell.table, cell.row, cell.col) if cell is not None and context.report.doc.format == "docx"
                   else None,
                   section=context.section_of(block),
                   quote=quote(text, start, end) if cell is None else None)


def block_at(context: Context, location: Location) -> tuple[Block, tuple[int, str]] | None:
    """The block holding the location, and (column, text) of its part on the location's source line."""
    for b in context.blocks_on(location.page, location.line):
        seg = b.segment(location.line)
        if seg is not None and seg[0] <= location.column <= seg[0] + len(seg[1]):
            return b, seg
    return None


def quote(text: str, start: int, end: int, around: int = 6, longest: int = 30) -> str:
    """The characters ``start``..``end`` of ``text`` with up to ``around`` characters either side, in 「」, "…"
    where cut (a long span keeps its start and end)."""
    start, end = max(0, min(start, len(text))), max(0, min(end, len(text)))
    a, b = max(0, start - around), min(len(text), max(end, start) + around)
    span = text[start:end]
    if len(span) > longest:
        span = span[:longest // 2] + "…" + span[-(longest // 2):]
    shown = " ".join((text[a:start] + span + text[end:b]).split())
    return f"「{'…' if a > 0 else ''}{shown}{'…' if b < len(text) else ''}」"


# ── table cells ──────────────────────────────────────────────────────────────────────────────────────────────────

@dataclass(frozen=True, slots=True)
class Cell:
    """表/行/列 — a table cell, or the sum of several (行1+行2, 列1+列2: every row with every column), as rules
    name them."""

    table: str
    rows: tuple[str, ...]
    columns: tuple[str, ...]

    @classmethod
    def parse(cls, text: str) -> Cell | None:
        parts = text.split("/")
        if len(parts) != 3 or not all(parts):
            return None
        return cls(parts[0], tuple(parts[1].split("+")), tuple(parts[2].split("+")))

    def value(self, report: Report) -> float | None:
        """The cell's value (the sum of its cells); None when the table or one of the cells cannot be read."""
        t = report.tables.get(self.table)
        values = [t.value(r, c) for r in self.rows for c in self.columns] if t is not None and t.found else [None]
        return None if any(v is None for v in values) else sum(v for v in values if v is not None)

    def location(self, report: Report) -> Location:
        return report.tables[self.table].cells[(self.rows[0], self.columns[0])].location


# ── preconditions ────────────────────────────────────────────────────────────────────────────────────────────────


def _conversions(table: CheckTable) -> frozenset[str]:
    from ..readers.text import CONVERTED
    listed = table.strings("unless_converted", [])
    unknown = [c for c in listed if c not in CONVERTED]
    if unknown:
        raise table.error("unless_converted", f"「{unknown[0]}」不是可识别的转换；可用：{'、'.join(CONVERTED)}")
    return frozenset(listed)


@dataclass(frozen=True, slots=True)
class Conditions:
    """Optional preconditions any text kind accepts: the report year (``min_year``/``max_year``), something the
    scope must say for the rule to apply (``when``, a regex) or must not say (``unless``), and a table cell
    (``when_cell`` = "表/行/列", or a sum of columns of one row "表/行/列1+列2") above a value (``when_above``,
    default 0) or equal to one (``when_equals``), what the title must say (``when_title``, a regex: e.g. the kind
    of issuer), and not on what a tool changed in the text (``unless_converted``: e.g. ["spacing"] for a PDF
    extractor's spaces, ["punctuation"] for marks a converter made half-width; see Document.converted)."""

    min_year: int = 0
    max_year: int = 9999
    when: TextPattern | None = None
    unless: TextPattern | None = None
    when_cell: Cell | None = None
    when_above: float = 0
    when_equals: float | None = None
    when_title: TextPattern | None = None
    unless_converted: frozenset[str] = frozenset()

    @classmethod
    def read(cls, table: CheckTable) -> Conditions:
        text = table.value("when_cell", str, "")
        cell = Cell.parse(text) if text else None
        if text and cell is None:
            raise table.error("when_cell", "应写成 表/行/列，如 三/三.六.2/总计（或 四/数据/直诉.总计+复诉.总计）")
        return cls(min_year=table.value("min_year", int, 0), max_year=table.value("max_year", int, 9999),
                   when=table.optional_pattern("when"), unless=table.optional_pattern("unless"),
                   when_cell=cell,
                   when_above=table.number("when_above", 0) or 0, when_equals=table.number("when_equals"),
                   when_title=table.optional_pattern("when_title"),
                   unless_converted=_conversions(table))

    @property
    def needs_text(self) -> bool:
        return self.when is not None or self.unless is not None

    def applies(self, report: Report, scope_text: str | None = None) -> bool:
        if self.unless_converted & report.doc.converted:
            return False
        year = report.year
        if year is not None and not self.min_year <= year <= self.max_year:
            return False
        if self.when is not None and not (scope_text and _says(self.when, scope_text)):
            return False
        if self.unless is not None and scope_text and _says(self.unless, scope_text):
            return False
        if self.when_title is not None:
            title = report.outline.title
            if title is None or not _says(self.when_title, report.blocks[title.index].text):
                return False
        if self.when_cell is not None:
            value = self.when_cell.value(report)
            if value is None:
                return False
            if self.when_equals is not None:
                if value != self.when_equals:
                    return False
            elif value <= self.when_above:
                return False
        return True


def _says(pattern: TextPattern, text: str) -> bool:
    return pattern.search(text) is not None or pattern.search("".join(text.split())) is not None


SENTENCE_END = "。！？!?"  # not ；: a list of counts (主动公开148条；依申请公开182条；…) is one sentence


def sentence_says(pattern: TextPattern | None, text: str, start: int, end: int) -> bool:
    """Whether the sentence of ``text`` holding ``start``..``end`` says ``pattern`` (a kind's ``unless_sentence``:
    what the words around a match show it is about, before it or after it; None says nothing)."""
    if pattern is None:
        return False
    ends = [i for c in SENTENCE_END if (i := text.find(c, end)) >= 0]
    return _says(pattern, text[sentence_start(text, start):min(ends, default=len(text))])


def sentence_start(text: str, at: int) -> int:
    """Where the sentence of ``text`` holding the offset ``at`` begins."""
    return max(text.rfind(c, 0, at) for c in SENTENCE_END) + 1


# ── scopes ───────────────────────────────────────────────────────────────────────────────────────────────────────

def scope_blocks(report: Report, scope: str, with_cells: bool = False) -> Iterator[tuple[int, Block]]:
    """The blocks a rule looks at: the whole document, the title, the body after it, or one section."""
    blocks = report.blocks
    indices: Iterable[int]
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
            return report.blocks[s.heading.index].location()
    t = report.outline.title
    if t:
        return report.blocks[t.index].location()
    return report.blocks[0].location() if report.blocks else Location(1)


def scope_text(report: Report, scope: str) -> str:
    return "\n".join(b.text for _, b in scope_blocks(report, scope, with_cells=True))
