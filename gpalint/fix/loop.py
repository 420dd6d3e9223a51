"""The one fixed-point loop, over any target: check → plan → apply → check again, until no fix is left."""
from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from ..model import Diagnostic, Edit
from .planner import Change, Unplaced, plan

MAX_ROUNDS = 10


class Target(Protocol):
    """What a format gives the loop: its text checked as it is now, edits placed in it, chosen edits applied."""

    def check(self) -> list[Diagnostic]: ...

    def place(self, edit: Edit) -> Change | Unplaced: ...

    def apply(self, chosen: list[tuple[Diagnostic, list[Change]]]) -> bool:
        """Apply the changes; False when nothing changed."""
        ...


@dataclass(slots=True)
class Outcome:
    diagnostics: list[Diagnostic]  # what is left after the last round
    fixed: int = 0  # fixes applied
    refused: list[tuple[Diagnostic, str]] = field(default_factory=list)


def run(target: Target, unsafe: bool, diagnostics: list[Diagnostic] | None = None) -> Outcome:
    """Fix ``target`` to a fixed point (at most ``MAX_ROUNDS`` rounds). A fix overlapping one taken waits for the next
    round, against the new text. A finding whose fix cannot be placed is left unfixed, and no longer offers a fix:
    its hint says why (so no summary promises a fix that --fix does not make)."""
    if diagnostics is None:
        diagnostics = target.check()
    fixed = 0
    for _ in range(MAX_ROUNDS):
        chosen = plan(diagnostics, unsafe, target.place).chosen
        if not chosen or not target.apply(chosen):
            break
        fixed += len(chosen)
        diagnostics = target.check()
    refused = plan(diagnostics, unsafe, target.place).refused
    for d, reason in refused:
        note = f"未自动修复：{reason}"
        d.hint = f"{d.hint}；{note}" if d.hint else note
        d.fix = None
    return Outcome(diagnostics, fixed, refused)


def unified_diff(path: Path | str, before: list[str], after: list[str]) -> str:
    """The unified diff --diff prints for one file (``before``/``after``: its lines)."""
    name = Path(path).as_posix()
    lines = list(difflib.unified_diff(before, after, f"a/{name}", f"b/{name}", lineterm=""))
    return "\n".join(lines) + "\n" if lines else ""
