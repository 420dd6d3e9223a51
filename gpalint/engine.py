"""Load and compile the rules once per run, check a document with them, keep what the user selected."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from . import suppress
from .checks import KINDS
from .document import Document
from .model import Diagnostic, FileResult, InputError, NotAReport, Severity
from .report import Report, analyse
from .rules import RULES_DIR, Rule, load_rules
from .tomlfile import RuleFileError


def matches(code: str, selectors: list[str]) -> int:
    """The length of the longest selector (code or prefix, e.g. T, T1, T101; ALL) matching ``code``; 0 if none."""
    best = 0
    for s in selectors:
        s = s.strip().upper()
        if s == "ALL":
            best = max(best, 1)
        elif s and code.startswith(s):
            best = max(best, len(s) + 1)
    return best


def is_selected(code: str, select: list[str] | None, ignore: list[str]) -> bool:
    """ruff's rule: the more specific selector wins; at equal specificity, ignore wins."""
    chosen = matches(code, select) if select else 1
    return chosen > 0 and chosen > matches(code, ignore)


@dataclass
class Options:
    select: list[str] | None = None
    ignore: list[str] = field(default_factory=list)
    extend_select: list[str] = field(default_factory=list)
    template: str = "auto"
    year: int | None = None
    severity: dict[str, str] = field(default_factory=dict)
    # set by the CLI from the configuration found for the file (config.selected / config.severity_for)
    select_fn: Callable[[str], bool] | None = None
    severity_fn: Callable[[str], Severity | None] | None = None
    readout: bool = False  # also return what was read (FileResult.readout), for the review page

    def wants(self, code: str) -> bool:
        if self.select_fn is not None:
            return self.select_fn(code)
        select = (self.select or []) + self.extend_select if self.select or self.extend_select else None
        return is_selected(code, select, self.ignore)

    def severity_of(self, code: str) -> Severity | None:
        if self.severity_fn is not None:
            return self.severity_fn(code)
        return Severity(self.severity[code]) if code in self.severity else None


class Engine:
    """Compiled rules. Build one per run (or per configuration), then check any number of documents."""

    def __init__(self, rules: dict[str, Rule]):
        self.rules = rules
        self.compiled = []
        for rule in rules.values():
            kind = KINDS.get(rule.kind)
            if kind is None:
                raise RuleFileError(rule.path, "check.kind", f"未知的检查类型「{rule.kind}」；可用：{'、'.join(KINDS)}")
            self.compiled.append((rule, kind, kind.prepare(rule)))

    @classmethod
    def load(cls, extra: tuple[Path, ...] = ()) -> Engine:
        return cls(load_rules((RULES_DIR, *extra)))

    def check_report(self, report: Report, options: Options) -> list[Diagnostic]:
        out: list[Diagnostic] = []
        unused_rule = None
        for rule, kind, params in self.compiled:
            if rule.kind == "unused-suppression":
                unused_rule = rule if options.wants(rule.code) else None
                continue
            if not options.wants(rule.code):
                continue
            if rule.templates and report.template.version not in rule.templates:
                continue
            override = options.severity_of(rule.code)
            for d in kind.run(rule, params, report):
                if override:
                    d.severity = override
                out.append(d)
        suppressions = suppress.find(report.doc)
        out = suppress.apply(out, suppressions)
        if unused_rule is not None:
            from .checks.base import diagnostic
            for s in suppressions:
                for code in s.codes:
                    if code not in s.used:
                        out.append(diagnostic(unused_rule, report, s.location, code=code))
        out.sort(key=Diagnostic.sort_key)
        return out

    def check_document(self, doc: Document, options: Options) -> tuple[Report, list[Diagnostic]]:
        report = analyse(doc, options.template, options.year)
        diagnostics = self.check_report(report, options)
        from .baseline import fingerprint
        for d in diagnostics:
            d.fingerprint = fingerprint(d, report)
        return report, diagnostics

    def check_path(self, path: str | Path, options: Options) -> FileResult:
        from .readers import read
        result = FileResult(str(path))
        try:
            doc = read(path)
            report, result.diagnostics = self.check_document(doc, options)
            if options.readout:
                from .output.readout import readout
                result.readout = readout(report)
        except InputError as exc:
            result.error = str(exc)
            result.skipped = isinstance(exc, NotAReport)
        return result
