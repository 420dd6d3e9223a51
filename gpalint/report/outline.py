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
from itertools import pairwise

from .. import furniture
from ..cjk import NUMERAL
from ..document import Block
from .template import SectionSpec, Template, norm, split_numbering

_LEVEL1 = re.compile(rf"^{NUMERAL}{{1,2}}[、.．,，]$")
_LEVEL1_WRONG = re.compile(rf"^(?:\d{{1,2}}[、.．]|第{NUMERAL}{{1,2}}部分[、.．:：]?)$")  # 「1、」「第一部分」
_LEVEL2 = re.compile(rf"^[（(]{NUMERAL}{{1,2}}[)）]")
_EMPHASIS = re.compile(r"^(?:\*\*|__)(.+?)(?:\*\*|__)$")  # 「**一、总体情况**」
# a table's caption (「表二：主动公开政府信息情况」「表三 收到和处理…」「附表1」): names its section, is not one
_CAPTION = re.compile(rf"^(?:附\s*)?表\s*(?:{NUMERAL}{{1,2}}|\d{{1,2}})(?![\u4e00-\u9fff])")
_TITLE = re.compile(r"(?:(?P<year>\d{4})\s*年\s*度?)?\s*政\s*府\s*信\s*息\s*公\s*开\s*(?:工\s*作\s*)?(?:年\s*度\s*)?报\s*告")
_SENTENCE_END = "。；！？"
MAX_HEADING = 40  # characters; a longer block is prose, not a heading
TITLE_WINDOW = furniture.TITLE_WINDOW  # blocks; web pages put menus and breadcrumbs before the title


@dataclass(slots=True)
class Heading:
    index: int  # block index
    numbering: str  # as written, e.g. "一、", "1、", "" when none
    title: str  # the words after the number, as written (trailing colon dropped)
    spec: SectionSpec
    match: str  # "exact", "variant" or "fuzzy"
    span: int = 1  # blocks the heading covers: 2 when a hard line break (text from a PDF) split it


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
    exact = {norm(t): s for s in template.sections for t in s.right}
    variants = {norm(v): s for s in template.sections for v in s.variants}
    words = sorted({*(t for s in template.sections for t in (*s.right, *s.variants))},
                   key=len, reverse=True)
    long_words = [w for w in words if len(w) >= 8]  # specific enough to stand anywhere, even after a CJK char
    short_words = [w for w in words if len(w) < 8]
    keys = "(?:" + "|".join(sorted((s.key for s in template.sections), key=len, reverse=True)) + ")"
    inline = re.compile(r"(?:(?<![^\W\d_A-Za-z])" + keys + r"、\s*(?:" + "|".join(map(re.escape, short_words)) + r")"
                        r"|" + keys + r"、\s*(?:" + "|".join(map(re.escape, long_words)) + r"))")
    return _Titles(exact, variants, re.compile(r"^(" + keys + r")、\s*"), inline)


def segment(blocks: list[Block], template: Template) -> list[Block]:
    """The blocks without page furniture, long ones (whole reports pasted as one line) cut before each section
    heading inside them and rid of the furniture inside them (a crawled page's breadcrumb, byline, share bar)."""
    inline = _titles(template).inline
    out: list[Block] = []
    for b in blocks:
        if b.furniture:
            continue
        long = len(b.text) > furniture.MAX_LINE and not b.cell
        # in a long block every section heading starts a piece; in a shorter one, a heading right after the end of
        # a sentence (text from a PDF: 「…取得了良好效果。二、主动公开政府信息情况」)
        cuts = [m.start() for m in inline.finditer(b.text) if m.start() > 0
                and (long or b.text[m.start() - 1] in _SENTENCE_END)] if not b.cell else []
        dropped = furniture.spans(b.text) if not b.cell else []
        if long and len(cuts) >= 2:  # a whole report collapsed into one line: cut it where its paragraphs ended too
            stop = min((s for s, e in dropped if not b.text[e:].strip()), default=len(b.text))
            cuts += [at for span in paragraph_breaks(b.text, cuts, template, stop) for at in span]
        if not cuts and not dropped:
            out.append(b)
            continue
        bounds = sorted({0, len(b.text), *cuts, *(at for span in dropped for at in span)})
        for start, end in pairwise(bounds):
            if b.text[start:end].strip() and not any(s <= start and end <= e for s, e in dropped):
                out.append(_slice(b, start, end))
    return out


_WS = "[ \u3000\u00a0]+"
# a space that stood for a paragraph break: after the end of a sentence (「…发挥了积极作用。 一是…」)
_AFTER_SENTENCE = re.compile(rf"(?:(?<=[。！？；])|(?<=[。！？；][”’」』）)]))(?:{_WS})(?=\S)")
_SENTENCE_ENDS = re.compile(r"[。！？；]")
# after a sub-heading that stood on a line of its own (「（一）主动公开政府信息的数量 2020年…」「1.门户网站 在…」)
_SUBHEADING = re.compile(rf"(?:{NUMERAL}{{1,2}}、|[（(]{NUMERAL}{{1,2}}[)）]|\d{{1,2}}[.．、](?!\d))"
                         rf"[^。，；：:！？\s]{{1,30}}?({_WS})(?=\S)")
# before the date of the 落款 that ends the report (「…财政金融局 2021年1月27日」)
_LAST_DATE = re.compile(rf"({_WS})\d{{4}}\s*年\s*\d{{1,2}}\s*月\s*\d{{1,2}}\s*日\s*$")


def paragraph_breaks(text: str, cuts: list[int], template: Template, stop: int) -> list[tuple[int, int]]:
    """The spaces of a report collapsed into one line (a crawled page: ``text`` holds several section headings, at
    ``cuts``; furniture from ``stop`` on) that stood for paragraph breaks: after the title, after a section heading
    or a sub-heading, after the end of a sentence, before the closing date. Not in the table sections, whose cells
    spaces part. Spaces inside a paragraph (「新中国成立 70 周年」「邮 编」) are not among them: the spacing rules
    still see those."""
    titles = _titles(template)
    bounds = sorted({0, *cuts, len(text)})
    found: list[tuple[int, int]] = []
    for start, end in pairwise(bounds):
        numbered = titles.numbered.match(text[start:start + 8])
        if numbered and numbered.group(1) in template.tables:
            continue
        piece: list[tuple[int, int]] = []
        heading = titles.inline.match(text, start)
        if heading:
            piece += [m.span() for m in [re.compile(_WS).match(text, heading.end())] if m]
        elif start == 0:  # before the first section: the title, then the opening paragraph
            piece += [m.span("ws") for m in re.finditer(rf"{_TITLE.pattern}(?P<ws>{_WS})(?=\S)", text[:end])]
        piece += [m.span() for m in _AFTER_SENTENCE.finditer(text, start, end)]
        todo = [start, *(e for _, e in piece), *(m.end() for m in _SENTENCE_ENDS.finditer(text, start, end))]
        while todo:  # a sub-heading after each break or sentence, and one after that (「…主要形式 1.门户网站 在…」)
            m = _SUBHEADING.match(text, todo.pop(), end)
            if m:
                piece.append(m.span(1))
                todo.append(m.end(1))
        found += piece
    last = _LAST_DATE.search(text, 0, stop)
    return found + ([last.span(1)] if last else [])


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


_CLOSES = "。！？!?；;：:…）)」』”’》〕】]"  # what a sentence, a heading's words or a 落款 may end with
_DATE_END = re.compile(r"\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日$")


def breaks_off(blocks: list[Block], outline: Outline, template: Template) -> bool:
    """Whether the text stops in mid-course: sections of the template are missing after the last one present, and
    the last block ends neither a sentence nor a date (「…依托市政府门户网站服务端口和」, a table row cut short,
    「五、存在的主」) — a file cut short (an excerpt, a crawl or a copy that lost its end), not a report that ends."""
    if not blocks or blocks[-1].cell is not None:  # a real table's cell (Word, a web page, a ruled PDF) is whole
        return False
    order = [s.key for s in template.sections]
    present = [order.index(k) for k in outline.sections]
    if not present or max(present) == len(order) - 1:
        return False
    last = blocks[-1].text.rstrip()
    return bool(last) and last[-1] not in _CLOSES and not _DATE_END.search(last)


def build_outline(blocks: list[Block], template: Template) -> Outline:
    """The outline of ``blocks`` (already segmented: block indices are into that list)."""
    titles = _titles(template)
    headings: list[Heading] = []
    subheadings: list[tuple[int, str, str]] = []
    for i, b in enumerate(blocks):
        text = _EMPHASIS.sub(r"\1", b.text.strip().lstrip("#").strip())  # Markdown marks read as plain text
        if not text or b.cell is not None or ("\t" in text and len(text) <= MAX_HEADING):
            continue  # a tab: a table row (in a long block, only a heading at its very start counts, below)
        if len(text) > MAX_HEADING:
            text = text[:MAX_HEADING + 10]
            if not titles.numbered.match(text):
                continue
        if _CAPTION.match(text):
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
        if words and _is_table_label(norm(words), template):
            continue
        m = match_section(words, template)
        joined = _continued(blocks, i, words, template) if numbering and (m is None or m[1] == "fuzzy") else None
        if joined:
            headings.append(Heading(i, numbering, joined[0], joined[1], joined[2], span=2))
        elif m:
            headings.append(Heading(i, numbering, words.rstrip("：:"), m[0], m[1]))
        elif numbering and _LEVEL1.match(numbering):
            found = _inline_heading(text, template)  # 「六、其他需要报告的事项 无。」: heading and text on one line
            if found:
                headings.append(Heading(i, found[0], found[1], found[2], "exact"))
    _recover_misnumbered(template, headings, subheadings)
    headings = _without_echoes(blocks, headings)
    sections: dict[str, Section] = {}
    for n, h in enumerate(headings):
        end = headings[n + 1].index if n + 1 < len(headings) else len(blocks)
        if h.spec.key not in sections:
            sections[h.spec.key] = Section(h.spec.key, h, h.index + h.span, end)
    # a heading that shares its line with the section's first text: the section starts at the heading block
    for s in sections.values():
        rest = blocks[s.heading.index].text.split(s.heading.title, 1)[-1]
        if rest.strip(" \t\u3000：:。*_"):
            s.start = s.heading.index
    return Outline(find_title(blocks), headings, sections, subheadings)


def _continued(blocks: list[Block], i: int, words: str, template: Template) -> tuple[str, SectionSpec, str] | None:
    """(words as written, section, match) of a heading a hard line break split (text from a PDF: 「三、收到和处理政府
    信息公开申」 then 「请情况」, or the number alone on its line), when the next block, short and unnumbered,
    completes it to a template title."""
    if i + 1 >= len(blocks):
        return None
    nxt = blocks[i + 1]
    rest = nxt.text.strip()
    if nxt.cell is not None or not rest or len(rest) > MAX_HEADING or _numbering_as_written(rest)[0] \
            or _LEVEL2.match(rest):
        return None
    whole = words + rest
    m = match_section(whole, template)
    if m is None or m[1] == "fuzzy":
        return None
    return whole.rstrip("：:"), m[0], m[1]


def _without_echoes(blocks: list[Block], headings: list[Heading]) -> list[Heading]:
    """The section headings, without the ones that only echo a section: where a section's heading stands with its
    own number (「二、」) and its words elsewhere, a line naming it under another number or none, or only roughly, is
    a sub-item of another section (「一、主动公开政府信息情况」 inside 一、总体情况) or the heading repeated above its
    table (see ``_standing``); and the heading of a section with a table repeated right after itself, with no other
    section between, is that heading again above the table — unless the text after it repeats the text after the
    first one: then the section was pasted twice."""
    best: dict[str, tuple[bool, bool]] = {}
    for h in headings:
        best[h.spec.key] = max(best.get(h.spec.key, (False, False)), _standing(h))
    out: list[Heading] = []
    for h in headings:
        if _standing(h) < best[h.spec.key]:
            continue
        if out and out[-1].spec.key == h.spec.key and h.spec.table and _opening(blocks, out[-1]) != _opening(blocks, h):
            continue
        out.append(h)
    return out


def _standing(h: Heading) -> tuple[bool, bool]:
    """How surely a heading is its section's: under the section's own number, then in the template's words (not
    merely close to them: 「二、主动公开情况」 among the sub-items of 一 is not 「二、主动公开政府信息情况」)."""
    return h.numbering == f"{h.spec.key}、", h.match != "fuzzy"


def _opening(blocks: list[Block], h: Heading) -> str:
    """The first text after a heading, normalised: the same in two copies of one section."""
    after = h.index + h.span
    return norm(blocks[after].text) if after < len(blocks) else ""


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
