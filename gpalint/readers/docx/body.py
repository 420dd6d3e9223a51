"""The one walk over a Word body: paragraphs and table cells in document order, each character with its source.

Reader, fixer (and, later, the comment writer) all use this walk, so the text a check reads is, character for
character, the text the fixer maps its edits back to. A ``Paragraph`` holds its text as the reader reads it and, for
every character, a ``Source``: ``(w:t element, offset in its text)`` for a character typed in the document, or
``(element or None, reason code < 0)`` for one Word draws or that is not plain text — a generated list number
(``GENERATED``), the space a soft line break stands for (``GENERATED``), a tab, break or symbol element
(``MARK``), the result of a field Word regenerates (``FIELD``), an entity reference (``ENTITY``). Only the first
kind is editable; ``Paragraph.editable`` says why a span is not.

What becomes text, and the locations, are described in the package docstring.
"""
from __future__ import annotations

import re
from itertools import repeat
from typing import NamedTuple

from lxml import etree

from ...cjk import is_cjk
from ...document import Block, Cell, Document
from ...model import Location
from .numbering import Numbering
from .package import Names, on, to_int
from .styles import Styles, heading_font, outline_level

GENERATED, MARK, FIELD, ENTITY = -1, -2, -3, -4
WHY = {
    GENERATED: "是 Word 自动生成的文字（列表编号或换行处的空格），不在正文中",
    MARK: "含制表符、换行符或符号，不是普通文字",
    FIELD: "位于 Word 域（如日期、页码、交叉引用）的结果中，Word 会重新生成",
    ENTITY: "含 XML 实体引用或注释",
}
Source = tuple["etree._Element | None", int]
_BREAKS = re.compile(r"\n+")


class Sources:
    """The sources of a text's characters, as two parallel lists (no object per character: a report has
    hundreds of thousands): ``nodes[i]`` the element or None, ``codes[i]`` the offset in its text or a code < 0."""

    __slots__ = ("codes", "nodes")

    def __init__(self) -> None:
        self.nodes: list[etree._Element | None] = []
        self.codes: list[int] = []

    def __len__(self) -> int:
        return len(self.codes)

    def __getitem__(self, i: int) -> Source:
        return self.nodes[i], self.codes[i]

    def text(self, node: etree._Element, n: int) -> None:
        """``n`` typed characters: offsets 0..n-1 of ``node``'s text."""
        self.nodes.extend(repeat(node, n))
        self.codes.extend(range(n))

    def add(self, node: etree._Element | None, code: int, n: int = 1) -> None:
        self.nodes.extend(repeat(node, n))
        self.codes.extend(repeat(code, n))

    def extend(self, other: Sources, start: int = 0, end: int | None = None) -> None:
        self.nodes.extend(other.nodes[start:end])
        self.codes.extend(other.codes[start:end])

    def span(self, start: int, end: int) -> zip:
        """The (element, code) pairs of characters ``start``..``end``."""
        return zip(self.nodes[start:end], self.codes[start:end])


def break_text(prev: str, nxt: str, tabular: bool) -> str:
    """What a soft line break (``w:br``/``w:cr``) between ``prev`` and ``nxt`` reads as: nothing at the ends, next
    to a space or beside a CJK character (a heading wrapped by hand 一、总体↵情况, 326↵条); two spaces in a
    tab-separated line (so table recovery splits there: 规章\\t0↵行政规范性文件\\t0); else one space (Annual↵Report)."""
    if not prev or not nxt or prev.isspace() or nxt.isspace():
        return ""
    if tabular:
        return "  "
    return "" if is_cjk(prev) or is_cjk(nxt) else " "


def resolve_breaks(text: str, sources: Sources) -> tuple[str, Sources]:
    """Replace each run of soft line breaks ("\\n") by what it reads as (``break_text``), sources alongside."""
    tabular = "\t" in text
    out: list[str] = []
    src = Sources()
    pos = 0
    for m in _BREAKS.finditer(text):
        s, e = m.span()
        out.append(text[pos:s])
        src.extend(sources, pos, s)
        rep = break_text(text[s - 1] if s else "", text[e] if e < len(text) else "", tabular)
        out.append(rep)
        src.add(None, GENERATED, len(rep))
        pos = e
    out.append(text[pos:])
    src.extend(sources, pos)
    return "".join(out), src


def soft_breaks(text: str) -> str:
    """``text`` with its soft line breaks read as the walker reads them."""
    sources = Sources()
    sources.add(None, GENERATED, len(text))
    return resolve_breaks(text, sources)[0]


class Paragraph:
    """One ``w:p``: its number, its text as read (generated list number first), the source of every character."""

    __slots__ = ("element", "number", "prefix", "sources", "text")

    def __init__(self, element, number: int, text: str, sources: Sources, prefix: int):
        self.element = element
        self.number = number
        self.text = text
        self.sources = sources
        self.prefix = prefix  # length of the generated list number at the start of ``text``

    def editable(self, start: int, end: int) -> str | None:
        """None when the characters ``start``..``end`` (an insertion point when equal) are typed text that can be
        edited in place; else why not, in Chinese."""
        if not 0 <= start <= end <= len(self.text):
            return "位置不在段落文字之内"
        codes = [c for c in self.sources.codes[start:end] if c < 0]
        if codes:
            return WHY[codes[0]]
        if start == end:  # an insertion goes into the w:t beside it
            near = [self.sources[i][1] for i in (start - 1, start) if 0 <= i < len(self.sources)]
            if not any(c >= 0 for c in near):
                return WHY[next((c for c in near if c < 0), GENERATED)]
        return None

    def pieces(self, start: int, end: int) -> list[tuple[etree._Element, int, int]]:
        """The editable characters ``start``..``end`` grouped by ``w:t``: (element, first offset, end offset)."""
        out: list[tuple[etree._Element, int, int]] = []
        for node, off in self.sources.span(start, end):
            if node is None or off < 0:
                continue
            if out and out[-1][0] is node and out[-1][2] == off:
                out[-1] = (node, out[-1][1], off + 1)
            else:
                out.append((node, off, off + 1))
        return out

    def runs(self, start: int, end: int) -> list[etree._Element]:
        """The ``w:r`` elements showing the characters ``start``..``end``, in order (generated characters have
        none): the first and last are where a comment range over those characters starts and ends."""
        out: list[etree._Element] = []
        for node in self.sources.nodes[start:end]:
            run = node.getparent() if node is not None else None
            if run is not None and (not out or out[-1] is not run):
                out.append(run)
        return out


class Segment(NamedTuple):
    """The part of a block's text that comes from one paragraph: block offset, paragraph, offset there, length."""

    at: int
    paragraph: Paragraph
    offset: int
    length: int


class WordBody:
    """The result of one walk: the Document as the reader returns it, and how its blocks map to paragraphs."""

    def __init__(self, doc: Document):
        self.doc = doc
        self.paragraphs: dict[int, Paragraph] = {}  # by paragraph number (Block.line)
        self.segments: dict[int, list[Segment]] = {}  # block line -> the paragraphs its text is made of
        self.cells: dict[Cell, etree._Element] = {}  # a table cell block's place -> its w:tc (e.g. to comment on)

    @property
    def prefixes(self) -> dict[int, str]:
        """The generated list number prepended to each numbered paragraph's text, by paragraph number."""
        return {no: p.text[:p.prefix] for no, p in self.paragraphs.items() if p.prefix}

    def locate(self, line: int, start: int, end: int) -> tuple[Paragraph, int, int] | None:
        """Offsets ``start``..``end`` of the text of the block at ``line`` → (paragraph, start, end) in its text."""
        for seg in self.segments.get(line, ()):
            if seg.at <= start and end <= seg.at + seg.length:
                return seg.paragraph, seg.offset + start - seg.at, seg.offset + end - seg.at
        return None


class Walker:
    """Walks a body once, in order; the list counters and the field nesting carry over from paragraph to paragraph."""

    def __init__(self, names: Names, styles: Styles, numbering: Numbering, path: str, entities: dict[str, str]):
        self.n = names
        self.styles = styles
        self.numbering = numbering
        self.entities = entities  # internal-DTD entity name -> its literal text (never expanded further)
        self.body = WordBody(Document(path=path, format="docx"))
        self.para_no = 0
        self.visible = 0  # non-empty paragraphs outside tables so far: the number a person counts
        self.table_no = 0
        self.fields: list[bool] = []  # open complex fields (w:fldChar begin … end); True once past "separate"
        self.simple_fields = 0  # w:fldSimple we are inside

    def walk(self, body) -> WordBody:
        out = self.body.doc.blocks
        for child in body:
            self._block_level(child, out)
        return self.body

    def _block_level(self, el, out: list[Block]) -> None:
        n = self.n
        tag = el.tag
        if tag == n.P:
            self._paragraph(el, out)
        elif tag == n.TBL:
            self._table(el, out)
        elif tag == n.SDT:
            content = el.find(n.SDTCONTENT)
            if content is not None:
                for child in content:
                    self._block_level(child, out)
        elif tag == n.CUSTOMXML:
            for child in el:
                self._block_level(child, out)
        elif tag == n.ALTCHUNK:
            self.body.doc.notes.append(("文档中嵌入了外部内容（altChunk），这部分未能检查：请在 Word 中打开并另存为 .docx 后再检查",
                                        Location(max(self.para_no, 1))))

    def _paragraph(self, p, out: list[Block] | None) -> Paragraph:
        """Read one w:p; append its block to ``out`` (body paragraphs, not table cells)."""
        n = self.n
        self.para_no += 1
        no = self.para_no
        VAL = n.VAL
        sid = None
        num_id: str | None = None
        ilvl = outline = None
        ppr = p.find(n.PPR)
        if ppr is not None:
            for el in ppr:
                tag = el.tag
                if tag == n.PSTYLE:
                    sid = el.get(VAL)
                elif tag == n.NUMPR:
                    num_id = ""  # numPr without numId: the style's list at this level
                    for sub in el:
                        if sub.tag == n.NUMID:
                            num_id = sub.get(VAL) or ""
                        elif sub.tag == n.ILVL:
                            ilvl = to_int(sub.get(VAL))
                elif tag == n.OUTLINELVL:
                    outline = outline_level(el.get(VAL))
        if sid is None:
            sid = self.styles.default_pstyle
        style = self.styles.resolve(sid)
        level = style.level
        if outline is not None:
            level = outline or None
        if not num_id and style.num_id:  # no numPr, or numPr without numId: the style's list
            num_id = style.num_id
            if ilvl is None:
                ilvl = style.ilvl
        parts: list[str] = []
        sources = Sources()
        stats = [0, 0, 0]  # non-blank runs, bold runs, heading-font runs
        self._inline(p, parts, sources, stats, style.bold, style.font)
        text = "".join(parts)
        if "\n" in text:
            text, sources = resolve_breaks(text, sources)
        prefix = ""
        if num_id and num_id != "0":
            # Generated list number: prepended, column stays 1 (see the package docstring).
            prefix = self.numbering.number_text(num_id, ilvl or 0)
            text = prefix + text
            numbered = Sources()
            numbered.add(None, GENERATED, len(prefix))
            numbered.extend(sources)
            sources = numbered
        para = Paragraph(p, no, text, sources, len(prefix))
        self.body.paragraphs[no] = para
        if out is not None and text.strip():
            self.visible += 1
            self.body.doc.paragraphs[no] = self.visible
        if out is not None and not style.toc and text.strip():
            total, nbold, nfont = stats
            bold = total > 0 and (nbold == total or nfont == total)
            out.append(Block(text, no, 1, heading=level, bold=bold))
            self.body.segments[no] = [Segment(0, para, 0, len(text))]
        return para

    def _inline(self, el, parts: list[str], sources: Sources, stats: list[int], sbold, sfont) -> None:
        n = self.n
        for child in el:
            tag = child.tag
            if tag == n.R:
                self._run(child, parts, sources, stats, sbold, sfont)
            elif tag in n.DESCEND:
                self._inline(child, parts, sources, stats, sbold, sfont)
            elif tag == n.FLDSIMPLE:  # its runs are the field's result, which Word regenerates
                self.simple_fields += 1
                try:
                    self._inline(child, parts, sources, stats, sbold, sfont)
                finally:
                    self.simple_fields -= 1
            elif tag == n.SDT:
                content = child.find(n.SDTCONTENT)
                if content is not None:
                    self._inline(content, parts, sources, stats, sbold, sfont)
            # w:del, w:moveFrom, pPr, bookmarks, proofErr, oMath, AlternateContent …: not text

    def _field_char(self, el) -> None:
        kind = el.get(self.n.FLDCHARTYPE)
        if kind == "begin":
            self.fields.append(False)
        elif kind == "separate" and self.fields:
            self.fields[-1] = True
        elif kind == "end" and self.fields:
            self.fields.pop()

    def _run(self, r, parts: list[str], sources: Sources, stats: list[int], sbold, sfont) -> None:
        n = self.n
        VAL = n.VAL
        bold, font = sbold, sfont
        dbold = dfont = None
        T = n.T
        pieces: list[str] = []
        src = Sources()
        for child in r:
            tag = child.tag
            in_field = bool(self.fields) or self.simple_fields > 0
            if tag == T:
                if child.text:
                    pieces.append(child.text)
                    if in_field:
                        src.add(child, FIELD, len(child.text))
                    else:
                        src.text(child, len(child.text))
                for sub in child:  # entity references (only with a DTD), comments: the text after them too
                    value = (self.entities.get(sub.name, "") if sub.tag is etree.Entity else "") + (sub.tail or "")
                    if value:
                        pieces.append(value)
                        src.add(child, ENTITY, len(value))
            elif tag == n.RPR:
                for el in child:
                    t = el.tag
                    if t == n.B:
                        dbold = on(el.get(VAL))
                    elif t == n.RFONTS:
                        dfont = el.get(n.EASTASIA)
                    elif t == n.VANISH:
                        if on(el.get(VAL)):  # hidden text; its field characters still open and close fields
                            for fc in r.iter(n.FLDCHAR):
                                self._field_char(fc)
                            return
                    elif t == n.RSTYLE:
                        cstyle = self.styles.resolve(el.get(VAL))
                        if cstyle.bold is not None:
                            bold = cstyle.bold
                        if cstyle.font is not None:
                            font = cstyle.font
            elif tag == n.FLDCHAR:
                self._field_char(child)
            elif not isinstance(tag, str):
                continue
            else:
                local = tag[tag.rfind("}") + 1:]
                mark = FIELD if in_field else MARK
                if local == "tab" or local == "ptab":
                    pieces.append("\t")
                    src.add(child, mark)
                elif local == "br" or local == "cr":
                    pieces.append("\n")
                    src.add(child, mark)
                elif local == "noBreakHyphen":
                    pieces.append("-")
                    src.add(child, mark)
                elif local == "sym":
                    code = child.get(n.CHAR) or ""
                    try:
                        cp = int(code, 16)
                    except ValueError:
                        continue
                    if 0xF000 <= cp <= 0xF0FF:
                        cp -= 0xF000  # symbol fonts address their glyphs in the private-use area
                    if cp >= 0x20:
                        pieces.append(chr(cp))
                        src.add(child, mark)
                elif local == "ruby":
                    base = child.find(n.RUBYBASE)
                    if base is not None:
                        self._inline(base, pieces, src, [0, 0, 0], sbold, sfont)
                # delText, instrText, drawing, pict, object, AlternateContent, footnoteReference …: skip
        if not pieces:
            return
        parts.extend(pieces)
        sources.extend(src)
        if dbold is not None:
            bold = dbold
        if dfont is not None:
            font = dfont
        if any(not x.isspace() for x in pieces):
            stats[0] += 1
            if bold if bold is not None else self.styles.default_bold:
                stats[1] += 1
            if heading_font(font if font is not None else self.styles.default_font):
                stats[2] += 1

    def _table(self, tbl, out: list[Block]) -> None:
        n = self.n
        self.table_no += 1
        number = self.table_no
        VAL = n.VAL
        row = 0
        for tr in self._children(tbl, (n.TR,)):
            trpr = tr.find(n.TRPR)
            col = 1
            if trpr is not None:
                deleted = False
                for el in trpr:
                    if el.tag == n.DEL:
                        deleted = True
                    elif el.tag == n.GRIDBEFORE:
                        col += to_int(el.get(VAL)) or 0
                if deleted:  # a deleted row (tracked change): gone once accepted; its paragraphs still count
                    self.para_no += sum(1 for p in tr.iter(n.P) if not _in_textbox(p, tr))
                    continue
            row += 1
            for tc in self._children(tr, (n.TC,)):
                span = 1
                skip = False
                tcpr = tc.find(n.TCPR)
                if tcpr is not None:
                    for el in tcpr:
                        t = el.tag
                        if t == n.GRIDSPAN:
                            span = max(1, to_int(el.get(VAL)) or 1)
                        elif t in (n.VMERGE, n.HMERGE) and (el.get(VAL) or "continue") != "restart":
                            skip = True  # continuation of a merged cell: blank in the grid
                nested: list[Block] = []
                texts: list[str] = []
                segments: list[Segment] = []
                at = 0
                line = first = None
                for child in self._children(tc, (n.P, n.TBL)):
                    if child.tag == n.P:
                        para = self._paragraph(child, None)
                        if first is None:
                            first = para.number
                        stripped = para.text.strip()
                        if stripped:
                            texts.append(stripped)
                            lead = len(para.text) - len(para.text.lstrip())
                            segments.append(Segment(at, para, lead, len(stripped)))
                            at += len(stripped) + 1  # paragraphs of a cell are joined with one space
                            if line is None:
                                line = para.number
                    elif child.tag == n.TBL:
                        self._table(child, nested)
                if not skip:  # an empty cell too: in a table of numbers it is a value left blank, at a known place
                    place = Cell(number, row, col)
                    out.append(Block(" ".join(texts), line or first or self.para_no, 1, cell=place))
                    self.body.cells[place] = tc
                    if line is not None:
                        self.body.segments[line] = segments
                if nested:
                    out.extend(nested)
                col += span

    def _children(self, el, tags: tuple[str, ...]):
        """The children of ``el`` with one of ``tags``, looking through content controls and custom XML."""
        n = self.n
        for child in el:
            if child.tag in tags:
                yield child
            elif child.tag in (n.SDT, n.CUSTOMXML):
                inner = child.find(n.SDTCONTENT) if child.tag == n.SDT else child
                if inner is not None:
                    yield from self._children(inner, tags)


def _in_textbox(p, stop) -> bool:
    el = p.getparent()
    while el is not None and el is not stop:
        if isinstance(el.tag, str) and el.tag.endswith("}txbxContent"):
            return True
        el = el.getparent()
    return False


def clear_uninformative_bold(doc: Document) -> None:
    """When most body paragraphs 'look bold' (a bold or 黑体 Normal style), the hint tells nothing: drop it."""
    body = [b for b in doc.blocks if b.cell is None and b.heading is None]
    if len(body) >= 8 and sum(b.bold for b in body) > 0.6 * len(body):
        for b in body:
            b.bold = False

