"""Suppressions, like ruff's noqa. In text and Markdown reports, inline comments:

    <!-- gpalint: ignore T103 -->            on a line of its own: for the next line
    （七）总计 … <!-- gpalint: ignore T103, T105 -->   at the end of a line: for that line

A table cell's finding is on the line of the cell, so a suppression before a table row covers that row.

In Word, a comment (Review › New Comment) whose text starts with ``gpalint: ignore T103``, on the faulty paragraph
or table cell: for the paragraphs and cells its range covers. Codes (or prefixes) are separated by commas or
spaces; a reason may follow (``gpalint: ignore T103 表三另附说明``): it starts at the first word that is not a code
after a space (``T103 ok`` ignores T103 only; a code after a space needs its digits, after a comma a prefix will do).

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
_SELECTOR = r"[A-Za-z]{1,3}\d{0,3}"
_WORD_COMMENT = re.compile(
    rf"\s*gpalint\s*[:：]\s*ignore\s+(?P<codes>{_SELECTOR}(?:\s*[,，、]\s*{_SELECTOR}|\s+[A-Za-z]{{1,3}}\d{{3}})*)"
    r"(?![A-Za-z0-9])", re.I)


@dataclass(slots=True)
class Suppression:
    lines: frozenset[int]  # the lines it applies to
    codes: tuple[str, ...]
    location: Location  # of the comment itself
    used: set[str] = field(default_factory=set)


def _codes(text: str) -> tuple[str, ...]:
    return tuple(c.upper() for c in re.split(r"[,，、\s]+", text) if c)


def find(doc: Document) -> list[Suppression]:
    if doc.format == "docx":
        return [Suppression(c.lines, _codes(m.group("codes")), c.location)
                for c in doc.comments if (m := _WORD_COMMENT.match(c.text))]
    if doc.format not in ("text", "markdown"):
        return []
    out: list[Suppression] = []
    blocks = doc.blocks
    for i, b in enumerate(blocks):
        if "gpalint" not in b.text:
            continue
        for m in _COMMENT.finditer(b.text):
            own_line = not b.text[: m.start()].strip()
            target = b.line
            if own_line and i + 1 < len(blocks):
                target = blocks[i + 1].line
            out.append(Suppression(frozenset((target,)), _codes(m.group("codes")), b.location(m.start(), m.end())))
    return out


def apply(diagnostics: Iterable[Diagnostic], suppressions: list[Suppression]) -> Iterator[Diagnostic]:
    """The diagnostics no suppression covers, as they come (a rule may find a million in a hostile file); marks
    which suppressions were used."""
    by_line: dict[int, list[Suppression]] = {}
    for s in suppressions:
        for line in s.lines:
            by_line.setdefault(line, []).append(s)
    for d in diagnostics:
        hit = False
        for s in by_line.get(d.location.line, ()):
            for code in s.codes:
                if selector_matches(d.code, code):
                    s.used.add(code)
                    hit = True
        if not hit:
            yield d
