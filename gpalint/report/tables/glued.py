"""Digits a web page glued together (``0000000``, ``200 000121``): the readings of a row's digits as its values.

A row's digit groups are cut into as many numbers as the row has columns (no number with a leading zero, none
across a group boundary). The row's own relations (总计 = the other columns) constrain the cut as the digits are
consumed: once a relation's parts are read, its total is forced, so only the one piece that spells it is tried;
states are memoised. The readings that satisfy the row's relations are returned (recovery then lets the table's
other relations choose among several); a row with more readings than READINGS_CAP, or a search beyond STEPS_CAP
states, has no trustworthy reading.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from itertools import accumulate

from ...document import Block
from ..template import Row, TableSpec
from .tokens import Slot, Token

STEPS_CAP = 100_000  # memoised search states for one row: ample for every real row, bounded for junk
READINGS_CAP = 24  # readings kept for one row: beyond it the digits say nothing
MAX_DIGITS = 7  # digits of one value (a count of ten million is no table cell)

_GROUP = re.compile(r"[+-]?\d+")
Reading = list[tuple[Token, int, int, int]]  # per column: (token, start, end in the block text, value)


@dataclass(slots=True)
class Glued:
    """The readings of one row's glued digits; ``complete`` is False when the search gave up (too many)."""

    text: str  # the digits as the file has them (groups separated by their spaces)
    readings: list[Reading]
    complete: bool


class SearchExhausted(Exception):
    """The search went beyond STEPS_CAP states: the row has no trustworthy reading."""


def read_glued(spec: TableSpec, row: Row, columns: list[str], slots: list[Slot], blocks: list[Block]) -> Glued | None:
    """The readings of ``slots`` as the row's values in ``columns``, or None when they are not glued digits (a real
    table's cells, junk, a decimal, too few or too many digits). A sign starts a value of a signed column."""
    n = len(columns)
    if not slots or any(t.kind != "num" or t.cell for t, _, _ in slots):
        return None  # separate cells of a real table are separate values
    groups = [(t, a, blocks[t.block].text[a:b]) for t, a, b in slots]
    digits = "".join(g for _, _, g in groups)
    count = sum(ch.isdigit() for ch in digits)
    if not all(_GROUP.fullmatch(g) for _, _, g in groups) or not n <= count <= 4 * n:
        return None  # a decimal, too few digits, or so many that no split could be trusted
    signed = tuple(row.kind(c) == "signed" for c in columns)
    text = blocks[slots[0][0].block].text[slots[0][1]:slots[-1][2]]
    starts = [0, *accumulate(len(g) for _, _, g in groups)][:-1]  # where each group starts in ``digits``
    ends = frozenset(s + len(g) for s, (_, _, g) in zip(starts, groups))
    index = {c: i for i, c in enumerate(columns)}
    checks = tuple((index[r.total], tuple((s, index[p]) for s, p in r.parts)) for r in spec.relations
                   if r.axis == "column" and r.total in index and all(p in index for _, p in r.parts))
    try:
        cuts = search(digits, ends, signed, checks)
    except SearchExhausted:
        return Glued(text, [], False)
    readings: list[Reading] = []
    for cut in cuts[:READINGS_CAP]:
        reading: Reading = []
        for a, b in zip(cut, (*cut[1:], len(digits))):
            gi = max(i for i, s in enumerate(starts) if s <= a)
            t, offset, _ = groups[gi]
            pos = offset + a - starts[gi]
            reading.append((t, pos, pos + b - a, int(digits[a:b])))
        readings.append(reading)
    return Glued(text, readings, len(cuts) <= READINGS_CAP)


def search(digits: str, ends: frozenset[int], signed: tuple[bool, ...],
            checks: tuple[tuple[int, tuple[tuple[int, int], ...]], ...]) -> list[tuple[int, ...]]:
    """Every cut of ``digits`` into len(signed) values satisfying ``checks`` ((total index, ((sign, part index), …))), as the
    start offsets of the values; at most READINGS_CAP + 1 of them."""
    n = len(signed)
    last = {j: max(t, *(p for _, p in parts)) for j, (t, parts) in enumerate(checks)}
    steps = [0]

    @cache
    def rec(pos: int, k: int, sums: tuple[int, ...]) -> tuple[tuple[int, ...], ...]:
        steps[0] += 1
        if steps[0] > STEPS_CAP:
            raise SearchExhausted
        if k == n:
            return ((),) if pos == len(digits) else ()
        remaining = n - k - 1  # values still to come after this one
        out: list[tuple[int, ...]] = []
        for length in _lengths(digits, ends, pos, remaining, forced(k, sums), signed[k]):
            value = int(digits[pos:pos + length])
            new = _update(checks, k, value, sums)
            if any(last[j] == k and new[j] != 0 for j in range(len(checks))):
                continue  # a relation completed here does not hold
            if not _room(checks, k, new, len(digits) - pos - length, remaining):
                continue  # a total still to come could not spell the parts' sum in the digits left
            for rest in rec(pos + length, k + 1, new):
                out.append((pos, *rest))
                if len(out) > READINGS_CAP:
                    return tuple(out)
        return tuple(out)

    def forced(k: int, sums: tuple[int, ...]) -> int | None:
        """The value column k must have: the total of a relation whose parts are all read."""
        for j, (t, parts) in enumerate(checks):
            if t == k and all(p < k for _, p in parts):
                return sums[j]
        return None

    return list(rec(0, 0, (0,) * len(checks)))


def _lengths(digits: str, ends: frozenset[int], pos: int, remaining: int, forced: int | None,
             signed: bool) -> Sequence[int]:
    """The lengths the value starting at ``pos`` may have (its sign included)."""
    if pos >= len(digits):
        return ()
    sign = 1 if digits[pos] in "+-" else 0
    if sign and not signed:
        return ()  # a count is never negative: the sign belongs to no value here
    if digits[pos + sign:pos + sign + 1] == "0":
        lengths = [sign + 1] if _fits(digits, ends, pos, sign + 1, remaining) else []
    else:
        lengths = [sign + n for n in range(1, MAX_DIGITS + 1) if _fits(digits, ends, pos, sign + n, remaining)]
    if forced is not None:  # the total of a relation whose parts are read: only the piece that spells it
        lengths = [n for n in lengths if int(digits[pos:pos + n]) == forced]
    return lengths


def _fits(digits: str, ends: frozenset[int], pos: int, length: int, remaining: int) -> bool:
    """The piece stays in its group, ends on a digit, and enough is left for the values still to come."""
    end = pos + length
    if end > len(digits) or any(pos < e < end for e in ends) or not digits[end - 1].isdigit():
        return False
    left = len(digits) - end
    return remaining <= left <= MAX_DIGITS * remaining and (end == len(digits) or digits[end].isdigit() or end in ends)


def _room(checks: tuple[tuple[int, tuple[tuple[int, int], ...]], ...], k: int, sums: tuple[int, ...], left: int,
          remaining: int) -> bool:
    """Each total still to come (its parts positive) can be as large as its parts so far: it has at most
    min(MAX_DIGITS, digits left − one per other value still to come) digits."""
    longest = min(MAX_DIGITS, left - remaining + 1)
    return all(sums[j] < 10 ** longest for j, (t, parts) in enumerate(checks)
               if t > k and all(s > 0 for s, _ in parts))


def _update(checks: tuple[tuple[int, tuple[tuple[int, int], ...]], ...], k: int, value: int,
            sums: tuple[int, ...]) -> tuple[int, ...]:
    """Each relation's running total − Σ parts after column k reads ``value``."""
    out = list(sums)
    for j, (t, parts) in enumerate(checks):
        if t == k:
            out[j] -= value
        for s, p in parts:
            if p == k:
                out[j] += s * value
    return tuple(out)
