"""--format json: one object per diagnostic, exactly the fields of the contract in DESIGN.md (page only for PDF)."""
from __future__ import annotations

import json


def diagnostic_dict(d) -> dict:
    loc = d.location
    out = {"code": d.code, "severity": d.severity.value, "message": d.message, "path": d.path,
           "line": loc.line, "column": loc.column, "end_line": loc.end_line or loc.line,
           "end_column": loc.end_column or loc.column, "context": loc.context, "fix": None}
    if loc.page is not None:
        out["page"] = loc.page
    if d.fix:
        out["fix"] = {"applicability": d.fix.applicability.value, "message": d.fix.message,
                      "edits": [{"line": e.location.line, "column": e.location.column,
                                 "end_line": e.location.end_line, "end_column": e.location.end_column,
                                 "content": e.content} for e in d.fix.edits]}
    return out


def render(results, rules) -> str:
    return json.dumps([diagnostic_dict(d) for r in results for d in r.diagnostics], ensure_ascii=False, indent=2) + "\n"
