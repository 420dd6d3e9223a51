"""kind = "reader-notes": what a reader says about the file — what it could not read faithfully (PDF glyphs without
Unicode mapping, pages without a text layer, a file broken after some pages: ``notes = "reading"``, the default),
or that it read a conversion of the file, to which the locations refer (a .doc converted by LibreOffice:
``notes = "conversion"``). Message field: {note} (the reader's Chinese sentence)."""
from __future__ import annotations

from collections.abc import Iterator

from ..model import Diagnostic
from ..rules import Rule
from .base import CheckKind, CheckTable, Context, diagnostic


def prepare(rule: Rule) -> str:
    table = CheckTable(rule)
    which = table.choice("notes", ("reading", "conversion"), default="reading")
    table.done()
    return which


def run(rule: Rule, params: str, context: Context) -> Iterator[Diagnostic]:
    doc = context.report.doc
    for note, location in doc.notes if params == "reading" else doc.conversion_notes:
        yield diagnostic(rule, context, location, note=note)


KIND = CheckKind("reader-notes", prepare, run, ("note",), "读取时无法如实读出的内容或读取的是转换后的文件（读取说明）")
