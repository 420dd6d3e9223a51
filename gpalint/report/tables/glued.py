"""Digits a web page glued together (``0000000``, ``200 000121``): split them into a row's values only where the
row's own sums (总计 = the other columns) make the split unique; otherwise the row stays unreadable, not guessed."""
from __future__ import annotations

from collections.abc import Iterator

from ...document import Block
from ..template import TableSpec
from .tokens import Slot, Token

SOLUTIONS_CAP = 20000  # search steps for one glued row
Split = list[tuple[int, tuple[str, int]]]  # the numbers of one split: (digit group, (digits, offset in the group))


def solve_glued(spec: TableSpec, columns: list[str], slots: list[Slot],
                blocks: list[Block]) -> list[tuple[Token, int, int, int]] | None:
    """Split glued digit groups into len(columns) numbers; return the split if the row's own sums make it unique."""
    n = len(columns)
    if not slots or any(t.kind != "num" for t, _, _ in slots):
        return None
    if any(t.cell for t, _, _ in slots):
        return None  # separate cells of a real table are separate values
    groups = [(t, a, b, blocks[t.block].text[a:b]) for t, a, b in slots]
    digits = sum(len(g[3]) for g in groups)
    if any(not g[3].isdigit() for g in groups) or digits < n or digits > 4 * n:
        return None  # too few digits, or so many that no split could be trusted
    index = {c: i for i, c in enumerate(columns)}
    checks = [(index[r.total], [(s, index[p]) for s, p in r.parts]) for r in spec.relations
              if r.axis == "column" and r.total in index and all(p in index for _, p in r.parts)]
    solutions: list[Split] = []
    try:
        for split in _splits([g[3] for g in groups], n):
            numbers = [int(part[0]) for _, part in split]
            if all(numbers[t] == sum(s * numbers[p] for s, p in parts) for t, parts in checks):
                solutions.append(split)
                if len(solutions) > 1:
                    return None
    except _TooMany:
        return None
    if len(solutions) != 1:
        return None
    out: list[tuple[Token, int, int, int]] = []
    for gi, part in solutions[0]:
        t, a, _, _s = groups[gi]
        offset = part[1]
        out.append((t, a + offset, a + offset + len(part[0]), int(part[0])))
    return out


class _TooMany(Exception):
    pass


def _splits(groups: list[str], n: int) -> Iterator[Split]:
    """Every way to cut the digit strings into n numbers without leading zeros: lists of (group, (digits, offset)).
    Depth-first and lazy; it gives up (raises _TooMany) after SOLUTIONS_CAP steps: a long run of digits has millions
    of cuts, and a split found among so many could not be trusted anyway."""
    budget = [SOLUTIONS_CAP]
    parts: list[tuple[int, tuple[str, int]]] = []

    def rec(gi: int, pos: int) -> Iterator[Split]:
        budget[0] -= 1
        if budget[0] < 0:
            raise _TooMany
        if gi == len(groups):
            if len(parts) == n:
                yield list(parts)
            return
        g = groups[gi]
        if pos == len(g):
            yield from rec(gi + 1, 0)
            return
        later = len(groups) - gi - 1  # each later group needs at least one part
        for length in range(1, len(g) - pos + 1):
            piece = g[pos:pos + length]
            if length > 1 and piece[0] == "0":
                break
            if len(parts) + 1 + later > n:
                break
            parts.append((gi, (piece, pos)))
            yield from rec(gi, pos + length)
            parts.pop()

    yield from rec(0, 0)
