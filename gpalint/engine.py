"""Load and compile the rules once per run, check a document with them, keep what the user selected."""
from __future__ import annotations

from collections.abc import Callable
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
from .rules import Rule, RuleSources
from .tomlfile import RuleFileError


@dataclass
class Options:
    select: list[str] | None = None
    ignore: list[str] = field(default_factory=list)
    extend_select: list[str] = field(default_factory=list)
    template: str = "auto"
    year: int | None = None
    severity: dict[str, Severity] = field(default_factory=dict)  # selector → severity
    # set by the CLI from the configuration found for the file (config.selected / config.severity_for)
    select_fn: Callable[[str], bool] | None = None
    severity_fn: Callable[[str], Severity | None] | None = None
    readout: bool = False  # also return what was read (FileResult.readout), for the review page

    def wants(self, code: str) -> bool:
        if self.select_fn is not None:
            return self.select_fn(code)
        return choose(code, self.select, self.ignore, self.extend_select)

    def severity_of(self, code: str) -> Severity | None:
        if self.severity_fn is not None:
            return self.severity_fn(code)
        return severity_in(code, self.severity)


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
        out: list[Diagnostic] = []
        unused_rule = None
        context = Context(report)
        for check in self.checks:
            rule = check.rule
            if rule.kind == "unused-suppression":
                unused_rule = rule if options.wants(rule.code) else None
                continue
            if not options.wants(rule.code):
                continue
            if rule.templates and report.template.version not in rule.templates:
                continue
            override = options.severity_of(rule.code)
            for d in check.run(context):
                if override:
                    d.severity = override
                out.append(d)
        suppressions = suppress.find(report.doc)
        out = suppress.apply(out, suppressions)
        if unused_rule is not None:
            for s in suppressions:
                for code in s.codes:
                    if code not in s.used:
                        out.append(diagnostic(unused_rule, context, s.location, code=code))
        out.sort(key=Diagnostic.sort_key)
        return out

    def check_document(self, doc: Document, options: Options) -> tuple[Report, list[Diagnostic]]:
        report = analyse(doc, options.template, options.year, self.templates)
        diagnostics = self.check_report(report, options)
        from .baseline import add_fingerprints
        add_fingerprints(report, diagnostics)
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
