"""Which fixes to apply in one round, whatever the format: allowed, placeable, in file order, none overlapping."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from ..model import Applicability, Diagnostic, Edit


@dataclass(frozen=True, slots=True)
class Change:
    """One edit placed in the file: replace ``start``..``end`` (whatever positions the format uses) by ``content``."""

    start: int
    end: int
    content: str
    where: object = None  # format-specific, e.g. (paragraph, offsets)


@dataclass(frozen=True, slots=True)
class Unplaced:
    """An edit the target cannot make, and why (a Chinese phrase shown to the user)."""

    reason: str


Placer = Callable[[Edit], "Change | Unplaced | None"]


@dataclass(slots=True)
class Plan:
    chosen: list[tuple[Diagnostic, list[Change]]] = field(default_factory=list)
    refused: list[tuple[Diagnostic, str]] = field(default_factory=list)  # wanted, but an edit cannot be placed


def wanted(d: Diagnostic, unsafe: bool) -> bool:
    fix = d.fix
    return fix is not None and bool(fix.edits) and (fix.applicability == Applicability.SAFE or unsafe)


def _overlap(a: Change, b: Change) -> bool:
    if a.start < b.end and b.start < a.end:
        return True
    return a.start == b.start and (a.start == a.end or b.start == b.end)  # two inserts, or insert + replace at one spot


def plan(diagnostics: list[Diagnostic], unsafe: bool, place: Placer) -> Plan:
    """The fixes to apply this round: allowed, placeable (every edit), in file order, none overlapping another.

    Deterministic: fixes are taken by their first position, then last position, then rule code. A fix overlapping
    one already taken waits for the next round. A fix identical to one taken (two rules, one edit) is taken once.
    A fix with an edit the target cannot place is refused, with the reason.
    """
    out = Plan()
    candidates = []
    for d in diagnostics:
        if not wanted(d, unsafe) or d.fix is None:
            continue
        changes: list[Change] = []
        for edit in d.fix.edits:
            c = place(edit)
            if not isinstance(c, Change):
                out.refused.append((d, c.reason if isinstance(c, Unplaced) else "位置无法对应到文件内容"))
                break
            changes.append(c)
        else:
            changes.sort(key=lambda c: (c.start, c.end))
            if any(_overlap(a, b) for i, a in enumerate(changes) for b in changes[i + 1:]):
                out.refused.append((d, "修复的几处改动互相重叠"))
                continue
            candidates.append((changes, d))
    candidates.sort(key=lambda c: (c[0][0].start, c[0][-1].end, c[1].code,
                                   tuple((x.start, x.end, x.content) for x in c[0])))
    taken: list[Change] = []
    seen: set = set()
    for changes, d in candidates:
        key = tuple((x.start, x.end, x.content) for x in changes)
        if key in seen:
            continue
        if any(_overlap(a, b) for a in changes for b in taken):
            continue
        seen.add(key)
        taken.extend(changes)
        out.chosen.append((d, changes))
    return out


def choose(diagnostics: list[Diagnostic], unsafe: bool, place: Placer) -> list[tuple[Diagnostic, list[Change]]]:
    """``plan(…).chosen``: the fixes to apply this round."""
    return plan(diagnostics, unsafe, place).chosen
