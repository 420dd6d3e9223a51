"""SARIF 2.1.0, for GitHub code scanning and other SARIF viewers (validated against the OASIS schema in the tests)."""
from __future__ import annotations

import json
from pathlib import Path, PurePath
from typing import Any
from urllib.parse import quote

import gpalint

from ..examples import edits_text
from ..model import Diagnostic, FileResult, Fix, Location, Severity
from ..rules import Rule
from . import FILE_ERROR_CODE
from .rulesdoc import FIX_SAFETY, rule_markdown

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/gpalint/gpalint"
LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def _uri(path: str) -> str:
    """A relative URI when the file is under the working directory (what code scanning matches to the repository),
    percent-encoded so Chinese file names and spaces stay valid URI references."""
    p = Path(path)
    if p.is_absolute():
        try:
            p = p.relative_to(Path.cwd())
        except ValueError:
            return p.as_uri()
    return quote(PurePath(p).as_posix())


def _region(loc: Location) -> dict:
    region = {"startLine": loc.line, "startColumn": loc.column}
    if loc.end_line is not None:
        region["endLine"] = loc.end_line
    if loc.end_column is not None:
        region["endColumn"] = loc.end_column  # exclusive in both SARIF and gpalint
    return region


def _location(d: Diagnostic) -> dict:
    loc = d.location
    physical = {"artifactLocation": {"uri": _uri(d.path)}, "region": _region(loc)}
    out: dict = {"physicalLocation": physical}
    detail = loc.detail()
    if detail:
        out["message"] = {"text": detail}
    if loc.page is not None:
        out["properties"] = {"page": loc.page}
    return out


def _fix(path: str, fix: Fix) -> dict:
    return {
        "description": {"text": fix.message or "gpalint 自动修复"},
        "artifactChanges": [{
            "artifactLocation": {"uri": _uri(path)},
            "replacements": [{"deletedRegion": _region(e.location), "insertedContent": {"text": e.content}}
                             for e in fix.edits],
        }],
        "properties": {"applicability": fix.applicability.value},
    }


def _help_text(rule: Rule) -> str:
    parts = [rule.summary, rule.why, rule.source and f"依据：{rule.source}"]
    for example in rule.examples:
        parts += [f"{label}：{edits_text(example, key) or example[key]}"
                  for key, label in (("bad", "不符合"), ("good", "符合"), ("fixed", "修复后")) if key in example]
    return "\n\n".join(p.strip() for p in parts if p)


def _descriptor(rule: Rule) -> dict:
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": rule.why or rule.summary},
        "help": {"text": _help_text(rule), "markdown": rule_markdown(rule)},
        "defaultConfiguration": {"level": LEVELS[rule.severity]},
        "properties": {"family": rule.family, "familyName": rule.family_name, "tags": [rule.family_name],
                       "fix": FIX_SAFETY[rule.fix]},
    }


def render(results: list[FileResult], rules: dict[str, Rule]) -> str:
    codes = sorted(rules)
    index = {code: i for i, code in enumerate(codes)}
    sarif_results = []
    for d in (d for r in results for d in r.diagnostics):
        result: dict[str, Any] = {"ruleId": d.code, "level": LEVELS[Severity(d.severity)], "message": {"text": d.message},
                  "locations": [_location(d)]}
        if d.code in index:
            result["ruleIndex"] = index[d.code]
        if d.fix is not None and d.fix.edits:
            result["fixes"] = [_fix(d.path, d.fix)]
        sarif_results.append(result)
    # a file that could not be checked is a tool execution problem, not a finding about the report
    notifications = [{"level": "error", "message": {"text": r.error}, "descriptor": {"id": FILE_ERROR_CODE},
                      "locations": [{"physicalLocation": {"artifactLocation": {"uri": _uri(r.path)}}}]}
                     for r in results if r.error]
    run = {
        "tool": {"driver": {"name": "gpalint", "informationUri": INFORMATION_URI,
                            "version": str(getattr(gpalint, "__version__", "0")),
                            "rules": [_descriptor(rules[c]) for c in codes]}},
        "invocations": [{"executionSuccessful": not notifications, "toolExecutionNotifications": notifications}],
        "columnKind": "unicodeCodePoints",  # gpalint columns count characters, not UTF-16 code units
        "results": sarif_results,
    }
    return json.dumps({"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}, ensure_ascii=False, indent=2) + "\n"
