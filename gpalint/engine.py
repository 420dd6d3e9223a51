"""Load and compile the rules once per run, check a document with them, keep what the user selected."""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import suppress
from .checks import KINDS
from .checks.base import Check, Context, check_sections, diagnostic
from .config import choose, severity_in
from .document import Document
from .model import Diagnostic, FileResult, InputError, NotAReport, Severity
from .report import Report, analyse
from .report.template import Templates, load_templates
from .rules import Rule, RuleSources, selector_matches
from .tomlfile import RuleFileError


@dataclass
class Options:
    select: list[str] | None = None
    ignore: list[str] = field(default_factory=list)
    extend_select: list[str] = field(default_factory=list)
    template: str = "auto"
    year: int | None = None
    severity: dict[str, Severity] = field(default_factory=dict)  # selector → severity
    pdf_engine: str = "auto"  # auto, pdfium, pdfminer (gpalint.readers.pdf)
    # set by the CLI from the configuration found for the file (config.selected / config.severity_for)
    select_fn: Callable[[str], bool] | None = None
    severity_fn: Callable[[str], Severity | None] | None = None
    readout: bool = False  # also return what was read (FileResult.readout), for the review page
    digest: bool = False  # also return what comparing it with other reports needs (FileResult.digest, years.py)

    def wants(self, code: str) -> bool:
        if self.select_fn is not None:
            return self.select_fn(code)
        return choose(code, self.select, self.ignore, self.extend_select)

    def severity_of(self, code: str) -> Severity | None:
        if self.severity_fn is not None:
            return self.severity_fn(code)
        return severity_in(code, self.severity)


# Findings a hostile or badly broken file could produce by the million (one 5 MB line of 「政 政 政…」): past these,
# one summary finding per rule 「另有 N 处同类问题」. A real report has at most a few dozen findings of one rule.
MAX_PER_RULE = 100
MAX_PER_FILE = 500
MAX_COUNTED = 10_000  # findings of one rule counted past the kept ones; beyond, 「另有超过 N 处」 and the rule stops


class _Capped:
    """The findings of one rule in one file: the first ``limit`` kept, the others only counted."""

    __slots__ = ("first_left_out", "kept", "left_out", "left_over")

    def __init__(self) -> None:
        self.kept: list[Diagnostic] = []
        self.left_out = 0
        self.first_left_out: Diagnostic | None = None
        self.left_over = False  # more than MAX_COUNTED left out: counting stopped

    def add(self, diagnostics: Iterable[Diagnostic], limit: int) -> None:
        for d in diagnostics:
            if len(self.kept) < limit:
                self.kept.append(d)
                continue
            if self.left_out == MAX_COUNTED:
                self.left_over = True
                return  # not a report a person can work through: do not spend more time on it
            self.left_out += 1
            if self.first_left_out is None:
                self.first_left_out = d

    def trim(self, limit: int) -> None:
        if len(self.kept) > limit:
            cut = self.kept[limit:]
            del self.kept[limit:]
            self.first_left_out = cut[0]
            self.left_out += len(cut)

    def findings(self) -> list[Diagnostic]:
        d = self.first_left_out
        if d is None:
            return self.kept
        n = f"超过 {self.left_out}" if self.left_over else f" {self.left_out}"
        more = Diagnostic(d.code, d.severity, f"另有{n} 处同类问题，未逐一列出", d.path, d.location,
                          source_line=d.source_line, source_column=d.source_column)
        return [*self.kept, more]


def _file_quota(counts: list[int]) -> int:
    """The largest number of findings per rule that keeps the file within MAX_PER_FILE: the rules with the most
    findings give way first, so a rare finding is never crowded out by a flood of another rule's."""
    quota = MAX_PER_RULE
    while quota > 1 and sum(min(c, quota) for c in counts) > MAX_PER_FILE:
        quota -= 1
    return quota


class Engine:
    """Compiled rules. Build one per run (or per configuration), then check any number of documents."""

    def __init__(self, rules: dict[str, Rule], templates: Templates | None = None):
        self.rules = rules
        self.templates = templates or load_templates()
        self.checks: list[Check[Any]] = []
        for rule in rules.values():
            kind = KINDS.get(rule.kind)
            if kind is None:
                raise RuleFileError(rule.path or rule.code, "check.kind",
                                    f"未知的检查类型「{rule.kind}」；可用：{'、'.join(KINDS)}")
            self.checks.append(kind.compile(rule))
            check_sections(rule, self.templates.section_keys)

    @classmethod
    def load(cls, sources: RuleSources | None = None) -> Engine:
        """The built-in rules and templates, and those of the configuration's extra-rules and extra-templates."""
        sources = sources or RuleSources()
        return cls(sources.load(), load_templates(sources.extra_templates))

    def check_report(self, report: Report, options: Options) -> list[Diagnostic]:
        suppressions = suppress.find(report.doc)
        by_rule: dict[str, _Capped] = {}
        unused_rule = None
        context = Context(report)
        for check in self.checks:
            rule = check.rule
            if rule.kind == "unused-suppression":
                unused_rule = rule if options.wants(rule.code) else None
                continue
            if check.kind.pair or not options.wants(rule.code):
                continue  # a pair kind compares two reports: after the batch (gpalint/years.py)
            if rule.templates and report.template.version not in rule.templates:
                continue
            override = options.severity_of(rule.code)
            found = suppress.apply(check.run(context), suppressions)
            if override:
                found = (_with_severity(d, override) for d in found)
            by_rule.setdefault(rule.code, _Capped()).add(found, MAX_PER_RULE)
        if unused_rule is not None:
            # a suppression of a rule comparing two reports is used, or not, after the batch: never called unused
            pair_codes = [c.rule.code for c in self.checks if c.kind.pair]
            unused = (diagnostic(unused_rule, context, s.location, code=code)
                      for s in suppressions for code in s.codes
                      if code not in s.used and not any(selector_matches(p, code) for p in pair_codes))
            by_rule.setdefault(unused_rule.code, _Capped()).add(unused, MAX_PER_RULE)
        quota = _file_quota([len(c.kept) for c in by_rule.values()])
        out: list[Diagnostic] = []
        for capped in by_rule.values():
            capped.trim(quota)
            out += capped.findings()
        out.sort(key=Diagnostic.sort_key)
        return out

    def check_document(self, doc: Document, options: Options) -> tuple[Report, list[Diagnostic]]:
        report = analyse(doc, options.template, options.year, self.templates)
        diagnostics = self.check_report(report, options)
        from .baseline import add_fingerprints
        add_fingerprints(report, diagnostics)
        return report, diagnostics

    def check_path(self, path: str | Path, options: Options) -> FileResult:
        from .readers import fixable, read
        result = FileResult(str(path))
        try:
            doc = read(path, pdf_engine=options.pdf_engine)
            report, result.diagnostics = self.check_document(doc, options)
            can_fix = fixable(path)
            for d in result.diagnostics:
                d.compact()
                if not can_fix:  # no [*], not counted as fixable, no fix in JSON/SARIF: --fix cannot change it
                    d.fix = None
            if options.readout:
                from .output.readout import readout
                result.readout = readout(report)
            if options.digest:
                result.digest = self.digest(report, options)
        except InputError as exc:
            result.error = str(exc)
            result.skipped = isinstance(exc, NotAReport)
        return result


    def digest(self, report: Report, options: Options) -> dict:
        """What the rules comparing this report with another need of it (gpalint/years.py), as plain data: the
        agency and the year it is paired by, its suppressions, and each selected pair rule's part."""
        from .output.readout import agency
        context = Context(report)
        parts: dict[str, Any] = {}
        made: dict[tuple, str] = {}  # (kind, what its digest depends on) → the rule that made it
        for check in self.checks:
            rule, kind = check.rule, check.kind
            if kind.digest is None or not options.wants(rule.code):
                continue
            key = (kind.name, kind.digest_key(check.params)) if kind.digest_key is not None else (rule.code,)
            if key in made:  # two rules noting the same (one text's sketches): kept once
                parts[rule.code] = {"same_as": made[key]}
                continue
            part = kind.digest(check.params, context)
            if part is not None:
                parts[rule.code], made[key] = part, rule.code
        return {"agency": agency(report), "year": report.year, "template": report.template.version,
                "suppress": [[sorted(s.lines), list(s.codes)] for s in suppress.find(report.doc)], "rules": parts}


def _with_severity(d: Diagnostic, severity: Severity) -> Diagnostic:
    d.severity = severity
    return d
