"""Find the report's title, its top-level sections and their sub-headings, whatever the heading style.

A block is a section heading when it is short, starts with a level-1 number (一、 … or a Markdown/Word heading
mark) and its words match one of the template's section titles (exactly, by a known variant, or closely enough to
be a misspelling). Which sections there are, their keys (一 … 六, 七 …) and titles, all come from the template.
Reports pasted from web pages may hold a whole report in one line: ``segment`` first cuts such blocks where a
section heading stands inside them, into a block list of the Report's own (the reader's Document stays as read).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from ..cjk import NUMERAL
from ..document import Block
from .template import SectionSpec, Template, norm, split_numbering

_LEVEL1 = re.compile(rf"^{NUMERAL}{{1,2}}[、.．,，]$")
_LEVEL1_WRONG = re.compile(rf"^(?:\d{{1,2}}[、.．]|第{NUMERAL}{{1,2}}部分[、.．:：]?)$")  # 「1、」「第一部分」
_LEVEL2 = re.compile(rf"^[（(]{NUMERAL}{{1,2}}[)）]")
_TITLE = re.compile(r"(?:(?P<year>\d{4})\s*年\s*度?)?\s*政\s*府\s*信\s*息\s*公\s*开\s*(?:工\s*作\s*)?(?:年\s*度\s*)?报\s*告")
MAX_HEADING = 40  # characters; a longer block is prose, not a heading
TITLE_WINDOW = 40  # blocks; web pages put menus and breadcrumbs before the title


@dataclass(slots=True)
class Heading:
    index: int  # block index
    numbering: str  # as written, e.g. "一、", "1、", "" when none
    title: str  # the words after the number, as written (trailing colon dropped)
    spec: SectionSpec
    match: str  # "exact", "variant" or "fuzzy"


@dataclass(slots=True)
class Section:
    key: str
    heading: Heading
    start: int  # first block after the heading
    end: int  # one past the last block of the section


@dataclass(slots=True)
class Title:
    index: int
    year: int | None
    start: int  # offset of the year (or of the match) within the block
    end: int


@dataclass(slots=True)
class Outline:
    title: Title | None
    headings: list[Heading]  # every section heading found, in document order (duplicates included)
    sections: dict[str, Section]  # first occurrence of each key
    subheadings: list[tuple[int, str, str]]  # (block index, numbering, title) of level-2 headings

    def section_blocks(self, key: str) -> range:
        s = self.sections.get(key)
        return range(s.start, s.end) if s else range(0)


@dataclass(frozen=True, slots=True)
class _Titles:
    """A template's section titles, compiled for matching headings."""

    exact: dict[str, SectionSpec]  # normalised title → section
    variants: dict[str, SectionSpec]  # normalised variant → section
    numbered: re.Pattern[str]  # a section's own number at the start of a text: 「七、」
    inline: re.Pattern[str]  # a section heading (number and words) anywhere in a text


@cache
def _titles(template: Template) -> _Titles:
    exact = {norm(s.title): s for s in template.sections}
    variants = {norm(v): s for s in template.sections for v in s.variants}
    words = sorted({*(s.title for s in template.sections), *(v for s in template.sections for v in s.variants)},
                   key=len, reverse=True)
    long_words = [w for w in words if len(w) >= 8]  # specific enough to stand anywhere, even after a CJK char
    short_words = [w for w in words if len(w) < 8]
    keys = "(?:" + "|".join(sorted((s.key for s in template.sections), key=len, reverse=True)) + ")"
    inline = re.compile(r"(?:(?<![^\W\d_A-Za-z])" + keys + r"、\s*(?:" + "|".join(map(re.escape, short_words)) + r")"
                        r"|" + keys + r"、\s*(?:" + "|".join(map(re.escape, long_words)) + r"))")
    return _Titles(exact, variants, re.compile(r"^(" + keys + r")、\s*"), inline)


def segment(blocks: list[Block], template: Template) -> list[Block]:
    """The blocks, long ones (whole reports pasted as one line) cut before each section heading inside them."""
    inline = _titles(template).inline
    out: list[Block] = []
    for b in blocks:
        cuts = [m.start() for m in inline.finditer(b.text) if m.start() > 0] if len(b.text) >= 200 and not b.cell else []
        if not cuts:
            out.append(b)
            continue
        start = 0
        for cut in [*cuts, len(b.text)]:
            piece = b.text[start:cut]
            if piece.strip():
                out.append(_slice(b, start, cut))
            start = cut
    return out


def _slice(b: Block, start: int, end: int) -> Block:
    """The part [start, end) of a block, as a block of its own whose offsets still map to the right source place."""
    line, column = b.position(start)
    breaks = tuple((at - start, ln, col) for at, ln, col in b.breaks if start < at < end)
    return Block(b.text[start:end], line, column, b.page, b.heading if start == 0 else None, None,
                 b.bold if start == 0 else False, breaks)


def match_section(text: str, template: Template) -> tuple[SectionSpec, str] | None:
    """The section a heading's words name, and how ("exact", "variant", "fuzzy"), or None."""
    titles = _titles(template)
    words = norm(text).rstrip(":：").rstrip("。.")
    if words in titles.exact:
        return titles.exact[words], "exact"
    if words in titles.variants:
        return titles.variants[words], "variant"
    if len(words) < 4:
        return None
    from difflib import SequenceMatcher  # only for headings that are not exact or known variants
    best, best_ratio = None, 0.0
    for spec in template.sections:
        for cand in (spec.title, *spec.variants):
            r = SequenceMatcher(None, words, norm(cand)).ratio()
            if r > best_ratio:
                best, best_ratio = spec, r
    if best is not None and best_ratio >= 0.75:
        return best, "fuzzy"
    return None


def _is_table_label(words: str, template: Template) -> bool:
    return words in _table_labels(template)


@cache
def _table_labels(template: Template) -> frozenset[str]:
    return frozenset(split_numbering(r.label)[1] for t in template.tables.values() for r in t.rows.values())


def find_title(blocks: list[Block]) -> Title | None:
    """The title among the first blocks; a title wrapped over two lines (PDF, narrow Word columns) is joined."""
    blocks = blocks[:TITLE_WINDOW]
    for i, b in enumerate(blocks):
        if b.cell is not None:
            continue
        text = b.text
        m = _TITLE.search(text)
        if m is None and i + 1 < len(blocks) and len(text) < 60 and blocks[i + 1].cell is None:
            m = _TITLE.search(text + blocks[i + 1].text)
            if m and m.start() >= len(text):
                m = None  # wholly on the next line: that line's own turn
        if m and (len(text) < 200 or m.start() < 80):
            year = int(m.group("year")) if m.group("year") else None
            start = m.start("year") if m.group("year") else m.start()
            if year is None:
                y = re.search(r"(\d{4})\s*年", text[: m.start() + 1])
                year, start = (int(y.group(1)), y.start(1)) if y else (None, start)
            return Title(i, year, start, min(m.end(), len(text)))
    return None


def build_outline(blocks: list[Block], template: Template) -> Outline:
    """The outline of ``blocks`` (already segmented: block indices are into that list)."""
    titles = _titles(template)
    headings: list[Heading] = []
    subheadings: list[tuple[int, str, str]] = []
    for i, b in enumerate(blocks):
        text = b.text.strip().lstrip("#").strip()  # Markdown marks that reached a PDF or Word file as text
        if not text or b.cell is not None or ("\t" in text and len(text) <= MAX_HEADING):
            continue  # a tab: a table row (in a long block, only a heading at its very start counts, below)
        if len(text) > MAX_HEADING:
            text = text[:MAX_HEADING + 10]
            if not titles.numbered.match(text):
                continue
        numbering, words = _numbering_as_written(text)
        if _LEVEL2.match(text):
            subheadings.append((i, numbering, words))
            continue
        if len(b.text.strip()) > MAX_HEADING:  # inline heading at the start of a long (segmented) block
            found = _inline_heading(text, template)
            if found:
                headings.append(Heading(i, found[0], found[1], found[2], "exact"))
            continue
        if numbering and not (_LEVEL1.match(numbering) or _LEVEL1_WRONG.match(numbering)):
            continue
        if not numbering and not (b.heading or b.bold) and norm(words).rstrip(":：") not in titles.exact:
            continue  # a bare title line counts only when it is exactly a section title
        if _is_table_label(norm(words), template):
            continue
        m = match_section(words, template)
        if m:
            headings.append(Heading(i, numbering, words.rstrip("：:"), m[0], m[1]))
        elif numbering and _LEVEL1.match(numbering):
            found = _inline_heading(text, template)  # 「六、其他需要报告的事项 无。」: heading and text on one line
            if found:
                headings.append(Heading(i, found[0], found[1], found[2], "exact"))
    _recover_misnumbered(template, headings, subheadings)
    sections: dict[str, Section] = {}
    for n, h in enumerate(headings):
        end = headings[n + 1].index if n + 1 < len(headings) else len(blocks)
        if h.spec.key not in sections:
            sections[h.spec.key] = Section(h.spec.key, h, h.index + 1, end)
    # a heading that shares its line with the section's first text: the section starts at the heading block
    for s in sections.values():
        rest = blocks[s.heading.index].text.split(s.heading.title, 1)[-1]
        if rest.strip(" \t\u3000：:。"):
            s.start = s.heading.index
    return Outline(find_title(blocks), headings, sections, subheadings)


def _recover_misnumbered(template: Template, headings: list[Heading], subheadings: list[tuple[int, str, str]]) -> None:
    """A section whose heading carries a second-level number (「（六）其他需要报告的事项」) is that section, badly
    numbered (S104), not missing (S101) — when no other heading names it, the words are the template's, and it stands
    in order after the previous section (outside the first section, 一, whose sub-items often echo the section
    titles)."""
    titles = _titles(template)
    order = [s.key for s in template.sections]
    first = order[0]
    present = {h.spec.key: h.index for h in headings}
    for i, numbering, words in subheadings:
        spec = titles.exact.get(norm(words).rstrip(":：")) or titles.variants.get(norm(words).rstrip(":："))
        if spec is None or spec.key in present or spec.key == first:
            continue
        earlier = [present[k] for k in order[: order.index(spec.key)] if k in present]
        later = [present[k] for k in order[order.index(spec.key) + 1:] if k in present]
        if first in present and earlier and max(earlier) > present[first] and i > max(earlier) \
                and all(i < j for j in later):
            headings.append(Heading(i, numbering, words.rstrip("：:"), spec, "exact"))
            present[spec.key] = i
    headings.sort(key=lambda h: h.index)


def _numbering_as_written(text: str) -> tuple[str, str]:
    m = re.match(r"^\s*((?:[一二三四五六七八九十]{1,2}|\d{1,2})\s*[、.．,，]|[（(]\s*[一二三四五六七八九十\d]{1,2}\s*[)）]"
                 r"|第[一二三四五六七八九十]{1,2}部分[、.．:：]?)\s*", text)
    if not m:
        return "", text.strip()
    return re.sub(r"\s+", "", m.group(1)), text[m.end():].strip()


def _inline_heading(text: str, template: Template) -> tuple[str, str, SectionSpec] | None:
    """(numbering, words as written, section) of a section heading at the start of ``text`` followed by more text."""
    titles = _titles(template)
    m = titles.numbered.match(text)
    if not m:
        return None
    rest = norm(text[m.end():])
    for table in (titles.exact, titles.variants):
        for words, spec in sorted(table.items(), key=lambda kv: -len(kv[0])):
            if rest.startswith(words):
                return m.group(0).strip(), text[m.end():m.end() + len(words)], spec
    return None
