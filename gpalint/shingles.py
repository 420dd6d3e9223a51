"""Character shingles of a report's narrative: how much of one text another text already holds, and a compact sketch
of a text that estimates it without the text.

Copied text is found on the narrative with whitespace and digits removed (ASCII and full-width), so a report made
from last year's by changing only the year and the numbers reads as the same text. A shingle is a run of
``SIZE`` characters of that normalised text; a character is *copied* when a shingle covering it occurs in the other
text. The share of a text copied from another is its copied characters over all its characters (containment, not
resemblance: a short report copied into a longer one is wholly copied).

A sketch is the hashes of a text's shingles that fall in the lowest 1/RATE of the hash range (the same shingles
are sampled in every text, so the sampled shingles of A that B's sample holds estimate the share of A that B
holds, however different the two lengths; a bottom-k sketch of a fixed size estimates resemblance, and the
containment of a short text in a long one badly). The parent of a batch keeps sketches, not texts, and re-reads the reports only for
the pairs a sketch says may be copied.
"""
from __future__ import annotations

import base64
import re
import zlib
from collections.abc import Iterable
from dataclasses import dataclass

SIZE = 8  # characters per shingle
RATE = 8  # a sketch keeps the shingles whose hash falls in the lowest 1/RATE of the range
_CUT = (1 << 32) // RATE
MIN_SAMPLE = 8  # sampled shingles below which a sketch cannot estimate a share
_DROP = re.compile(r"[\s0-9０-９]+")


@dataclass(frozen=True, slots=True)
class Text:
    """A narrative normalised for comparison: ``chars`` the kept characters, ``origin[i]`` = (piece, offset) of
    character i in the pieces the text was built from."""

    chars: str
    origin: tuple[tuple[int, int], ...]


def normalise(pieces: Iterable[str]) -> Text:
    chars: list[str] = []
    origin: list[tuple[int, int]] = []
    for n, piece in enumerate(pieces):
        last = 0
        for m in _DROP.finditer(piece):
            chars.append(piece[last:m.start()])
            origin.extend((n, i) for i in range(last, m.start()))
            last = m.end()
        chars.append(piece[last:])
        origin.extend((n, i) for i in range(last, len(piece)))
    return Text("".join(chars), tuple(origin))


def shingles(chars: str) -> set[str]:
    return {chars[i:i + SIZE] for i in range(len(chars) - SIZE + 1)}


def sketch(chars: str) -> dict:
    """{"c": characters, "n": distinct shingles, "k": the sampled hashes, base64}: plain data, about a sixth of the
    text. The hash is CRC-32 of the shingle's UTF-32 bytes: stable across processes and runs (a result cache keeps
    digests), and fast enough to hash every shingle of every report."""
    raw, width = chars.encode("utf-32-le"), 4 * SIZE
    found = {raw[i:i + width] for i in range(0, len(raw) - width + 1, 4)}
    kept = sorted(h for h in map(zlib.crc32, found) if h < _CUT)
    return {"c": len(chars), "n": len(found), "k": base64.b64encode(b"".join(h.to_bytes(4, "big") for h in kept)).decode("ascii")}


def hashes(s: dict) -> list[int]:
    raw = base64.b64decode(s["k"])
    return [int.from_bytes(raw[i:i + 4], "big") for i in range(0, len(raw), 4)]


def estimated_share(a: dict, b: dict) -> float | None:
    """The share of text ``a``'s shingles that text ``b`` holds, estimated from their sketches; None when ``a`` has
    too few sampled shingles to say."""
    ha = hashes(a)
    if len(ha) < MIN_SAMPLE:
        return None
    hb = set(hashes(b))
    return sum(1 for h in ha if h in hb) / len(ha)


def copied(text: Text, other: set[str]) -> tuple[float, tuple[int, int]]:
    """The share of ``text``'s characters covered by a shingle ``other`` holds, and the longest copied passage as
    (start, end) in ``text.chars`` ((0, 0) when nothing is copied)."""
    chars = text.chars
    covered = bytearray(len(chars))
    for i in range(len(chars) - SIZE + 1):
        if chars[i:i + SIZE] in other:
            covered[i:i + SIZE] = b"\x01" * SIZE
    best, start = (0, 0), None
    for i, c in enumerate([*covered, 0]):
        if c and start is None:
            start = i
        elif not c and start is not None:
            if i - start > best[1] - best[0]:
                best = (start, i)
            start = None
    return (sum(covered) / len(chars) if chars else 0.0), best
