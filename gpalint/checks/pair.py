"""What the kinds that compare two reports share (previous-year, copied-text): the pair being compared, and how a
finding is made from what a report's digest kept.

A pair kind runs after the whole batch (gpalint/years.py), on two reports of which the parent keeps only digests:
plain data each kind notes while the report is checked (``CheckKind.digest``), as ``digest["rules"][code]``. A
kind that needs the text itself (copied passages) asks the PairContext for the report, which is then read again,
once per pair at most.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import PurePath
from typing import Any

from ..model import Diagnostic, Location, Severity
from ..report import Report
from ..rules import Rule
from .base import Context, Fields, diagnostic, fill, findable

AGAINST = ("previous", "same-year")
LONGEST_SOURCE = 200  # characters of a cell's source line a digest keeps to show under the finding  # last year's report of the same agency; another agency's of the same year


def part(digest: dict, code: str) -> Any:
    """Rule ``code``'s part of a report's digest (a part two rules share is kept once: {"same_as": code})."""
    parts = digest.get("rules", {})
    found = parts.get(code)
    return parts.get(found["same_as"]) if isinstance(found, dict) and "same_as" in found else found


@dataclass(slots=True)
class Side:
    """One report of the pair: its path, its digest, and how to read it again (None when it cannot be)."""

    path: str
    digest: dict
    load: Callable[[], Report | None]
    loaded: list[Context | None] = field(default_factory=list)

    @property
    def name(self) -> str:
        return PurePath(self.path).name

    def part(self, rule: Rule) -> Any:
        return part(self.digest, rule.code)

    def context(self) -> Context | None:
        """The report read again, once."""
        if not self.loaded:
            report = self.load()
            self.loaded.append(Context(report) if report is not None else None)
        return self.loaded[0]


@dataclass(slots=True)
class PairContext:
    this: Side  # the report the findings are about
    other: Side  # last year's, or the other agency's


# ── a cell, as a digest keeps it ───────────────────────────────────────────────────────────────────────────────────

def cell_note(context: Context, location: Location) -> dict:
    """Where a cell is, as plain data: its findable location, the source line to show, and what identifies it
    across edits (the baseline's section and anchor)."""
    from ..baseline import places
    at, source = findable(context, location)
    probe = Diagnostic("", Severity.INFO, "", context.report.doc.path, at)
    section, anchor = places(context.report, [probe], context)[0]
    if source is not None and len(source) > LONGEST_SOURCE:
        source = None  # a whole report on one line (a web page's text): the cell's name and place say enough
    return {"at": {k: v for k, v in asdict(at).items() if v is not None}, "source": source, "place": [section, anchor]}


def cell_diagnostic(rule: Rule, side: Side, note: dict, **fields: object) -> Diagnostic:
    """A finding of ``rule`` on the cell ``note`` (cell_note) of ``side``'s report, fingerprinted as the baseline
    does a finding made while the report was checked."""
    from ..baseline import fingerprint
    at = dict(note["at"])
    if "cell" in at:
        at["cell"] = tuple(at["cell"])
    filled = Fields(fields)
    expected = fields.get("expected")
    d = Diagnostic(rule.code, rule.severity, fill(rule.message, filled), side.path, Location(**at),
                   fill(rule.hint, filled) if rule.hint else None, source_line=note.get("source"),
                   expected=None if expected is None else str(expected))
    d.fingerprint = fingerprint(rule.code, *note["place"])
    return d


def text_diagnostic(rule: Rule, context: Context, location: Location, **fields: object) -> Diagnostic:
    """A finding of ``rule`` at ``location`` in a report read again, fingerprinted."""
    from ..baseline import add_fingerprints
    d = diagnostic(rule, context, location, None, **fields)
    add_fingerprints(context.report, [d])
    return d
