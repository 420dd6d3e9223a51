"""Inline suppressions in text and Markdown reports, like ruff's noqa:

    <!-- gpalint: ignore T103 -->            on a line of its own: for the next line
    （七）总计 … <!-- gpalint: ignore T103, T105 -->   at the end of a line: for that line

A table cell's finding is on the line of the cell, so a suppression before a table row covers that row.
Suppressions that suppressed nothing are themselves reported (rule M103), so stale ones do not pile up.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from .document import Document
from .model import Diagnostic, Location
from .rules import selector_matches

_COMMENT = re.compile(r"<!--\s*gpalint\s*:\s*ignore\s+(?P<codes>[A-Za-z0-9,，\s]+?)\s*-->")


@dataclass(slots=True)
class Suppression:
    line: int  # the line it applies to
    codes: tuple[str, ...]
    location: Location  # of the comment itself
    used: set[str] = field(default_factory=set)


def find(doc: Document) -> list[Suppression]:
    if doc.format not in ("text", "markdown"):
        return []
    out: list[Suppression] = []
    blocks = doc.blocks
    for i, b in enumerate(blocks):
        if "gpalint" not in b.text:
            continue
        for m in _COMMENT.finditer(b.text):
            codes = tuple(c.upper() for c in re.split(r"[,，\s]+", m.group("codes")) if c)
            own_line = not b.text[: m.start()].strip()
            target = b.line
            if own_line and i + 1 < len(blocks):
                target = blocks[i + 1].line
            out.append(Suppression(target, codes, b.location(m.start(), m.end())))
    return out


def apply(diagnostics: Iterable[Diagnostic], suppressions: list[Suppression]) -> Iterator[Diagnostic]:
    """The diagnostics no suppression covers, as they come (a rule may find a million in a hostile file); marks
    which suppressions were used."""
    by_line: dict[int, list[Suppression]] = {}
    for s in suppressions:
        by_line.setdefault(s.line, []).append(s)
    for d in diagnostics:
        hit = False
        for s in by_line.get(d.location.line, ()):
            for code in s.codes:
                if selector_matches(d.code, code):
                    s.used.add(code)
                    hit = True
        if not hit:
            yield d
