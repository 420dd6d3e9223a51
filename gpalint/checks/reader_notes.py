"""kind = "reader-notes": what a reader could not read faithfully — PDF glyphs without Unicode mapping, pages
without a text layer, a file broken after some pages. Message field: {note} (the reader's Chinese sentence)."""
from __future__ import annotations

from .base import diagnostic


def prepare(rule):
    return {}


def run(rule, params, report):
    for note, location in report.doc.notes:
        yield diagnostic(rule, report, location, note=note)
