"""kind = "copied-text": the share of a report's narrative that another report already holds — last year's report of
the same agency, or another agency's report of the same year (a template filled in twice).

The narrative of a scope is its text outside the tables and without the headings' own words, with whitespace and
digits removed (gpalint/shingles.py): a report made from last year's by changing the year and the numbers is the
same narrative. A character is copied when a run of 8 characters covering it occurs in the other report's
narrative of the same scope. While each report is checked its digest keeps a sketch of each scope (sampled shingle
hashes); after the batch, only a pair whose sketches estimate a share near the threshold is read again and
measured exactly. One finding per report: the scopes whose share reaches ``share``, on the longest copied passage.

Parameters: ``scopes`` (default ["section:一", "section:五", "section:六"]), ``share`` (0–1: the share from which a
scope is reported), ``min_chars`` (a scope with fewer characters of narrative is not judged: a one-line 六 that
says 「无」 every year is no copy), ``against`` = "previous" | "same-year", ``both_ways`` (same-year: the other
report must hold the same share of this one, so a report that quotes another's paragraph in a longer text of its
own — a 区 report that takes in a department's — is not reported).
Message fields: {sections} (each scope reported and its share), {share} (the largest, 「96%」), {other} (the other
report's file), {passage} (the longest copied passage, quoted).
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace

from .. import shingles
from ..document import Block
from ..model import Diagnostic, Location
from ..rules import Rule
from .base import CheckKind, CheckTable, Context, check_scope, quote
from .pair import AGAINST, PairContext, text_diagnostic

SCREEN = 0.6  # a pair is measured exactly when its sketches estimate at least this part of the threshold
# (the estimate counts shingles, the share characters; the estimate is the lower, by up to a third on real pairs)


@dataclass(frozen=True, slots=True)
class Params:
    scopes: tuple[str, ...]
    share: float
    min_chars: int
    against: str
    both_ways: bool


def prepare(rule: Rule) -> Params:
    table = CheckTable(rule)
    scopes = [check_scope(table, f"scopes[{i}]", s)
              for i, s in enumerate(table.strings("scopes", ["section:一", "section:五", "section:六"]))]
    share = table.number("share")
    if share is None or not 0 < share <= 1:
        raise table.error("share", "应为 0 到 1 之间的比例，如 0.5")
    min_chars = table.value("min_chars", int, 100)
    against = table.choice("against", AGAINST)
    both_ways = table.value("both_ways", bool, False)
    table.done()
    return Params(tuple(scopes), share, min_chars, against, both_ways)


def narrative(context: Context, scope: str) -> list[tuple[Block, int]]:
    """The pieces of ``scope``'s narrative: (block, offset where its narrative starts). A heading's own words are
    left out (every report has them) but the text run on after them is kept, as is a sub-heading's sentence."""
    report = context.report
    headings = {h.index: h for h in report.outline.headings}
    subheadings = {i: title for i, _, title in report.outline.subheadings}
    out = []
    for i, block in context.text_blocks(scope, True):
        start = 0
        if i in headings or i in subheadings:
            title = headings[i].title if i in headings else subheadings[i]
            at = block.text.find(title) if title else -1
            start = at + len(title) if at >= 0 else len(block.text)
        if start < len(block.text):
            out.append((block, start))
    return out


def _text(context: Context, scope: str) -> tuple[list[tuple[Block, int]], shingles.Text]:
    pieces = narrative(context, scope)
    return pieces, shingles.normalise(b.text[start:] for b, start in pieces)


def digest(params: Params, context: Context) -> dict:
    return {scope: shingles.sketch(_text(context, scope)[1].chars) for scope in params.scopes}


def _scope_name(context: Context, scope: str) -> str:
    if scope.startswith("section:"):
        key = scope.split(":", 1)[1]
        spec = next((s for s in context.report.template.sections if s.key == key), None)
        return spec.heading if spec else key
    return {"document": "全文", "body": "正文", "title": "标题"}.get(scope, scope)


def _worth_reading(params: Params, this: dict, other: dict) -> bool:
    for scope in params.scopes:
        mine, theirs = this.get(scope), other.get(scope)
        if not mine or not theirs or mine["c"] < params.min_chars:
            continue
        estimate = shingles.estimated_share(mine, theirs)
        back = shingles.estimated_share(theirs, mine) if params.both_ways else 1.0
        if all(e is None or e >= params.share * SCREEN for e in (estimate, back)):
            return True
    return False


def run(rule: Rule, params: Params, pair: PairContext) -> Iterator[Diagnostic]:
    this, other = pair.this.part(rule), pair.other.part(rule)
    if not this or not other or not _worth_reading(params, this, other):
        return
    mine, theirs = pair.this.context(), pair.other.context()
    if mine is None or theirs is None:
        return
    found: list[tuple[str, float]] = []
    longest: tuple[int, list[tuple[Block, int]], shingles.Text, tuple[int, int]] | None = None
    for scope in params.scopes:
        pieces, text = _text(mine, scope)
        if len(text.chars) < params.min_chars:
            continue
        _, other_text = _text(theirs, scope)
        share, span = shingles.copied(text, shingles.shingles(other_text.chars))
        if share < params.share:
            continue
        if params.both_ways and shingles.copied(other_text, shingles.shingles(text.chars))[0] < params.share:
            continue
        found.append((_scope_name(mine, scope), share))
        if longest is None or span[1] - span[0] > longest[0]:
            longest = (span[1] - span[0], pieces, text, span)
    if not found or longest is None:
        return
    _, pieces, text, (start, end) = longest
    location, passage = _passage(pieces, text, start, end)
    yield text_diagnostic(rule, mine, location, other=pair.other.name,
                          sections="，".join(f"{name} {share:.0%}" for name, share in found),
                          share=f"{max(s for _, s in found):.0%}", passage=passage)


def _passage(pieces: list[tuple[Block, int]], text: shingles.Text, start: int, end: int) -> tuple[Location, str]:
    """Where the copied passage text.chars[start:end] stands in the report (from its first character to its
    last, over several blocks if need be) and how a message quotes it, with the digits it starts or ends with and
    its length."""
    first_piece, first = text.origin[start]
    last_piece, last = text.origin[end - 1]
    (head, head_base), (tail, tail_base) = pieces[first_piece], pieces[last_piece]
    begin, stop = head_base + first, tail_base + last + 1
    while begin > head_base and head.text[begin - 1].isdigit():  # 「2024年，…」: the year belongs to the passage
        begin -= 1
    while stop < len(tail.text) and tail.text[stop].isdigit():
        stop += 1
    if first_piece == last_piece:
        location, written = head.location(begin, stop), head.text[begin:stop]
    else:
        a, b = head.location(begin), tail.location(0, stop)
        location = replace(a, end_line=b.end_line, end_column=b.end_column)
        middle = "".join(p.text[base:] for p, base in pieces[first_piece + 1:last_piece])
        written = head.text[begin:] + middle + tail.text[tail_base:stop]
    shown = quote(written, 0, len(written), around=0, longest=60)
    return location, f"{shown}（{end - start} 字）"


KIND = CheckKind("copied-text", prepare, run,  # type: ignore[arg-type]  # run gets a PairContext: see pair.py
                 ("sections", "share", "other", "passage"),
                 "内容雷同：叙述中照搬上年报告（或同年另一单位报告）的比例", digest=digest,
                 digest_key=lambda params: params.scopes)
