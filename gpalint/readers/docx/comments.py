"""Word comments as the reader sees them: each comment's text and the paragraphs its range covers.

A comment is a range in the body (``w:commentRangeStart`` … ``w:commentRangeEnd`` with the same ``w:id``) and
its content in the comments part (``word/comments.xml``, related to the main part). The reader gives the checks
``Document.comments``: the text of each comment and the block lines of the paragraphs it covers — a table cell's
block when it covers one of the cell's paragraphs — so a ``gpalint: ignore T103`` comment on the faulty paragraph
or cell suppresses that code there (gpalint/suppress.py). A comment whose range has no end covers the paragraph it
starts in; markers outside a paragraph (between paragraphs or table rows) count for the paragraph next to them.
The writer of annotated copies (gpalint/annotate.py) appends to the same part.
"""
from __future__ import annotations

from lxml import etree

from ...document import Comment
from ...model import Location
from .body import WordBody
from .package import Names, Package, parse_xml

RELATIONSHIP = "comments"  # the relationship type's last segment (transitional and strict alike)


def comments_part(package: Package, main: str) -> str | None:
    """The name of the comments part of the main part ``main``, if it has one."""
    return package.rels(main).get(RELATIONSHIP)


def texts(root: etree._Element, names: Names) -> dict[str, str]:
    """Comment id → its text (paragraphs joined by a newline), from the root of a comments part."""
    out: dict[str, str] = {}
    for comment in root.iter(names.q("comment")):
        cid = comment.get(names.q("id"))
        if cid is None:
            continue
        paragraphs = ["".join(t.text or "" for t in p.iter(names.T)) for p in comment.iter(names.P)]
        out[cid] = "\n".join(paragraphs)
    return out


def part_texts(package: Package, main: str, names: Names) -> dict[str, str]:
    """Comment id → text, for the comments part of ``main`` (empty when there is none)."""
    part = comments_part(package, main)
    data = package.part(part) if part else None
    return texts(parse_xml(data, part or ""), names) if data else {}


def read(root: etree._Element, names: Names, body: WordBody, content: dict[str, str]) -> list[Comment]:
    """The comments of the body ``root`` with their text (``content``: id → text) and the block lines they cover."""
    if not content:
        return []
    starts = {el.get(names.q("id")): el for el in root.iter(names.q("commentRangeStart"))}
    ends = {el.get(names.q("id")): el for el in root.iter(names.q("commentRangeEnd"))}
    number = {p.element: no for no, p in body.paragraphs.items()}
    ns = {"w": names.w}

    def paragraph_of(marker: etree._Element, axis: str) -> int | None:
        """The number of the paragraph holding ``marker``, else of the nearest one along ``axis``."""
        holder = next(marker.iterancestors(names.P), None)
        if holder is None:
            holder = next(iter(marker.xpath(f"{axis}::w:p[1]", namespaces=ns)), None)
        return number.get(holder) if holder is not None else None

    out: list[Comment] = []
    block_lines = {b.line for b in body.doc.blocks}
    for cid, start in starts.items():
        text = content.get(cid or "")
        first = paragraph_of(start, "following")
        if text is None or first is None:
            continue
        end = ends.get(cid)
        last = paragraph_of(end, "preceding") if end is not None else None
        last = first if last is None or last < first else last
        lines = set(range(first, last + 1))
        lines.update(line for line, segments in body.segments.items()
                     if any(first <= s.paragraph.number <= last for s in segments))
        at = min(lines & block_lines, default=first)
        out.append(Comment(text, frozenset(lines), Location(at)))
    return out
