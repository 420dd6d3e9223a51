"""kind = "reader-notes": what a reader could not read faithfully — PDF glyphs without Unicode mapping, pages
without a text layer, a file broken after some pages. Message field: {note} (the reader's Chinese sentence)."""
from __future__ import annotations

from collections.abc import Iterator

from ..model import Diagnostic
from ..rules import Rule
from .base import CheckKind, Context, diagnostic, no_params


def run(rule: Rule, params: None, context: Context) -> Iterator[Diagnostic]:
    for note, location in context.report.doc.notes:
        yield diagnostic(rule, context, location, note=note)


KIND = CheckKind("reader-notes", no_params, run, ("note",), "读取时无法如实读出的内容（读取说明）",
                 builtin=True)
