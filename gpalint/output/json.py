"""--format json: a JSON array, one object per diagnostic, the fields of the contract in DESIGN.md (page only for
PDF) and the ``fingerprint`` that --baseline matches (gpalint.baseline). A file that could not be checked is one
object of the same shape with code ``E000`` (not a rule: the file's problem, as SARIF's toolExecutionNotifications
and JUnit's <error>), so a consumer that reads the array keeps working and still sees that the run was incomplete.
The findings of a report paired with last year's (gpalint/years.py) carry ``previous``, that report's path: when the
array is written as files are checked (every run but --baseline), the findings comparing the two reports, which come
after all the files' own; otherwise every finding of the paired report."""
from __future__ import annotations

import json
from typing import Any

from ..model import Diagnostic, FileResult
from . import FILE_ERROR_CODE


def diagnostic_dict(d: Diagnostic) -> dict:
    loc = d.location
    out: dict[str, Any] = {"code": d.code, "severity": d.severity.value, "message": d.message, "path": d.path,
           "line": loc.line, "column": loc.column, "end_line": loc.end_line or loc.line,
           "end_column": loc.end_column or loc.column, "context": loc.context, "fix": None,
           "fingerprint": d.fingerprint}
    if loc.page is not None:
        out["page"] = loc.page
    for key in ("paragraph", "section", "quote"):  # Word and PDF: what leads a person to the spot
        value = getattr(loc, key)
        if value is not None:
            out[key] = value
    if loc.cell is not None:
        out["cell"] = {"table": loc.cell[0], "row": loc.cell[1], "column": loc.cell[2]}
    if d.fix:
        out["fix"] = {"applicability": d.fix.applicability.value, "message": d.fix.message,
                      "edits": [{"line": e.location.line, "column": e.location.column,
                                 "end_line": e.location.end_line, "end_column": e.location.end_column,
                                 "content": e.content} for e in d.fix.edits]}
    return out


def file_error_dict(r: FileResult) -> dict:
    return {"code": FILE_ERROR_CODE, "severity": "error", "message": r.error, "path": r.path,
            "line": 1, "column": 1, "end_line": 1, "end_column": 1, "context": None, "fix": None,
            "fingerprint": None}


def _entry(d: Diagnostic, previous: str | None) -> dict:
    entry = diagnostic_dict(d)
    if previous is not None:  # paired with last year's report (gpalint/years.py)
        entry["previous"] = previous
    return entry


class JsonWriter:
    """The array ``render`` gives, written one result at a time (``file``, then ``end``): a batch's findings are
    not held to be written. Files that could not be checked come last, as in ``render``."""

    def __init__(self) -> None:
        self.count = 0
        self.failed: list[FileResult] = []

    def _entries(self, entries: list[dict]) -> str:
        out = []
        for entry in entries:
            text = json.dumps(entry, ensure_ascii=False, indent=2).replace("\n", "\n  ")
            out.append(("[\n  " if not self.count else ",\n  ") + text)
            self.count += 1
        return "".join(out)

    def file(self, r: FileResult) -> str:
        """The findings of a checked file; a file that could not be checked waits for the end."""
        if r.error is not None:
            self.failed.append(r)
            return ""
        return self._entries([_entry(d, r.previous) for d in r.diagnostics])

    def extra(self, diagnostics: list[Diagnostic], previous: dict[str, str] | None = None) -> str:
        """Findings comparing two reports (gpalint/years.py), after every file's own; ``previous``: the report each
        file was paired with (by path)."""
        return self._entries([_entry(d, (previous or {}).get(d.path)) for d in diagnostics])

    def end(self, hidden: int = 0, pairing: list[str] | None = None) -> str:
        """The files that could not be checked, and the end of the array (``hidden`` and ``pairing`` are the text
        summary's)."""
        text = self._entries([file_error_dict(r) for r in self.failed])
        return text + ("\n]\n" if self.count else "[]\n")


def render(results: list[FileResult], rules) -> str:
    writer = JsonWriter()
    return "".join(writer.file(r) for r in results) + writer.end()
