"""Markdown reports (.md), parsed as CommonMark with GFM pipe tables by markdown-it-py.

Pipe tables become table cells (as the Word and HTML readers give them), ``#`` headings become headings, escapes
(``\\(一\\)``, ``2\\.``), entities and emphasis marks are undone, and every character keeps the line and column it has
in the .md source. A paragraph is one block per source line, as in a .txt file, except where a converter wrapped a
sentence over lines (pandoc wraps at 72 columns): such lines are joined, the continuation's place kept in
``Block.breaks``, the line break read as a space (as CommonMark renders it). A block whose text is not the
source's characters as they stand (markup undone, a line break read as a space) is marked ``rendered``, so that no
fix is offered there: an edit could not be placed back on the source safely.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from markdown_it import MarkdownIt
from markdown_it.token import Token

from ..cjk import display_width, is_cjk
from ..document import Block, Cell, Document
from ..model import InputError
from .html import parse as parse_html

_PARSER = MarkdownIt("commonmark", {"html": True}).enable("table")
# a line that starts a new item rather than continuing the sentence above: an outline number (一、 （一） 1. 第一)
_ITEM = re.compile(r"^(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[）)]|\d+[.．、)）]|第[一二三四五六七八九十\d]+)")
_WRAP = 72  # pandoc's line width; converters that wrap use this or more
_LINE_END = "。；;：:！!？?"
_LINE_BREAKS = re.compile("\r\n|[\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
_BR = re.compile(r"<br\s*/?>", re.IGNORECASE)
_NUMBER = re.compile(r"[-−]?\d+(?:\.\d+)?\s*(?:件|个|条|项|次|万元)?")
_PLACEHOLDER = re.compile(r"(?:(?:列|栏|字段|column|col\.?)\s*\d{0,3}|[-—–_]*)", re.IGNORECASE)
_ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")  # a backslash escape of ASCII punctuation (CommonMark)
# a table only pandoc's own Markdown has (simple and multiline tables: dash runs parted by spaces; grid tables: a
# 「+---+---+」 border): pandoc wrote it, with its smart extension, so a straight 「"」 in the file stands for a curly
# quote the reader renders (pandoc x.docx -t markdown) — what the file shows is pandoc's, not the author's
_PANDOC_TABLE = re.compile(r"^[ \t]*(?:-{3,}(?:[ \t]+-{3,})+|\+(?:[-=:]{3,}\+){2,})[ \t]*$", re.MULTILINE)
_ORDERED = re.compile(r"\d{1,9}[.)][ \t]*$")  # an ordered-list marker before the item's text


@dataclass(slots=True)
class _Char:
    ch: str
    line: int
    column: int
    rendered: bool = False  # markup before it was undone, or it stands for other source characters


class _Source:
    """The source characters an inline token was parsed from, each with its (line, column)."""

    def __init__(self, pieces: list[tuple[str, int, int]]):
        self.text = ""
        self.where: list[tuple[int, int]] = []
        for n, (text, line, column) in enumerate(pieces):
            if n:
                self.text += "\n"
                self.where.append((line, column))  # a line break: it stands before the next line's text
            self.text += text
            self.where.extend((line, column + k) for k in range(len(text)))
        last_text, last_line, last_column = pieces[-1]
        self.where.append((last_line, last_column + len(last_text)))  # past the end
        self.at = 0

    def take(self, ch: str) -> _Char:
        """The source place of the next rendered character ``ch``: the next source character if it is ``ch``, else
        after an escape or an entity, else the next ``ch`` after markup."""
        t, at = self.text, self.at
        if t.startswith(ch, at):
            self.at = at + 1
            return _Char(ch, *self.where[at])
        if t.startswith("\\" + ch, at):
            self.at = at + 2
            return _Char(ch, *self.where[at + 1], rendered=True)
        if t.startswith("&", at) and (semi := t.find(";", at, at + 40)) > at:
            self.at = semi + 1
            return _Char(ch, *self.where[at], rendered=True)
        found = t.find(ch, at)
        if found < 0:
            return _Char(ch, *self.where[min(at, len(self.where) - 1)], rendered=True)
        self.at = found + 1
        return _Char(ch, *self.where[found], rendered=True)

    def skip(self, raw: str) -> None:
        """Past ``raw`` (markup the text does not show)."""
        found = self.text.find(raw, self.at)
        if found >= 0:
            self.at = found + len(raw)

    def next_line(self) -> None:
        nl = self.text.find("\n", self.at)
        self.at = len(self.text) if nl < 0 else nl + 1

    def skip_target(self) -> None:
        """After a link's or image's text: past its ``](target)`` or ``][label]``."""
        t = self.text
        close = t.find("]", self.at)
        if close < 0:
            return
        if t.startswith("(", close + 1):
            depth, k = 0, close + 1
            while k < len(t):
                depth += {"(": 1, ")": -1}.get(t[k], 0)
                if depth == 0:
                    break
                k += 1
            self.at = k + 1
        elif t.startswith("[", close + 1) and (end := t.find("]", close + 2)) > 0:
            self.at = end + 1
        else:
            self.at = close + 1


def _render(inline: Token, source: _Source) -> list[list[_Char]]:
    """The inline token's text, character by character with source places; one list per line the text keeps (a hard
    break, or a soft break before a new item)."""
    lines: list[list[_Char]] = [[]]
    for child in inline.children or []:
        kind = child.type
        if kind in ("text", "code_inline") or (kind == "html_inline" and not _BR.fullmatch(child.content)):
            lines[-1].extend(source.take(ch) for ch in child.content)
        elif kind == "html_inline":  # <br> in a table cell or a paragraph: a line break, read as a space
            source.skip(child.content)
            if lines[-1]:
                last = lines[-1][-1]
                lines[-1].append(_Char(" ", last.line, last.column + 1, rendered=True))
        elif kind == "softbreak":
            text = source.text
            nl = text.find("\n", source.at)
            before = text[text.rfind("\n", 0, max(nl, 0)) + 1:nl] if nl >= 0 else ""
            source.next_line()
            end = text.find("\n", source.at)
            rest = text[source.at:] if end < 0 else text[source.at:end]
            cur = lines[-1]
            if _own_line("".join(c.ch for c in cur), before, rest):
                lines.append([])
            else:  # the line break reads as a space, as CommonMark renders it; no edit can be placed on it
                last = cur[-1]
                cur.append(_Char(" ", last.line, last.column + 1, rendered=True))
        elif kind == "hardbreak":
            source.next_line()
            lines.append([])
        elif kind == "image" or kind == "link_close":
            source.skip_target()
    return lines


def _own_line(before: str, source_line: str, line: str) -> bool:
    """Whether a source line after a soft break is a line of its own, as in a .txt report, rather than the rest of a
    sentence a converter wrapped. Converters wrap where the text had a space and the next word did not fit in the
    line (pandoc at 72 columns: 「2024\n年以来，……」, 「**(一)\n主动公开：**……」). Any other break keeps the lines apart
    (「示范镇人民政府\n2025年1月20日」), and so does one between two Chinese characters, after a full stop or colon,
    before an outline number or a field label (「本地目录:」), around a row of cells (tabs, ``|``) or after a short
    heading line (「一、总体情况」).
    ``before``: the block's text so far; ``source_line``: the source line before the break."""
    word = line.strip().split(" ", 1)[0]
    if display_width(source_line.strip()) + 1 + display_width(word) <= _WRAP or word.endswith((":", "：")):
        return True  # the line was not full, or the next starts a field of its own (「本地目录: …」)
    if not before or not line or before[-1] in _LINE_END or any(c in before or c in line for c in "\t|"):
        return True
    if is_cjk(before[-1]) and is_cjk(line[0]):
        return True
    if _ITEM.match(line.lstrip("*_ ")):
        return True
    head = before.lstrip("*_ ")
    number = _ITEM.match(head)
    # a short numbered line of words (「一、总体情况」), not a number alone (「(一)」) nor the start of a sentence
    return number is not None and number.end() < len(head) <= 30 and is_cjk(head[-1]) \
        and not any(p in head for p in "，,：:")


def _strip(chars: list[_Char]) -> list[_Char]:
    """Without surrounding spaces, and without ``**`` pairs CommonMark left as text (it does not close emphasis
    next to Chinese punctuation, as in ``**（一）主动公开：**酒后镇``)."""
    text = "".join(c.ch for c in chars)
    if text.count("**") and text.count("**") % 2 == 0:
        kept: list[_Char] = []
        k = 0
        while k < len(chars):
            if text.startswith("**", k):
                k += 2
                if k < len(chars):
                    chars[k].rendered = True
                continue
            kept.append(chars[k])
            k += 1
        chars = kept
    start, end = 0, len(chars)
    while start < end and chars[start].ch.isspace():
        start += 1
    while end > start and chars[end - 1].ch.isspace():
        end -= 1
    return chars[start:end]


def _block(chars: list[_Char], heading: int | None = None, cell: Cell | None = None) -> Block:
    first = chars[0]
    breaks = []
    rendered = first.rendered
    for k in range(1, len(chars)):
        prev, c = chars[k - 1], chars[k]
        rendered = rendered or c.rendered
        if (c.line, c.column) != (prev.line, prev.column + 1):
            breaks.append((k, c.line, c.column))
            rendered = rendered or c.line == prev.line
    return Block("".join(c.ch for c in chars), first.line, first.column, heading=heading, cell=cell,
                 breaks=tuple(breaks), rendered=rendered)


class _Reader:
    def __init__(self, text: str, doc: Document):
        self.lines = text.splitlines()
        self.doc = doc
        self.tables = 0
        self.row = 0
        self.table: list[Block] = []  # the cells of the table being read

    def line(self, index: int) -> str:
        return self.lines[index] if index < len(self.lines) else ""

    def paragraph(self, inline: Token, heading: int | None, marker: bool) -> None:
        """A paragraph or heading: its content lines found in the source lines they were parsed from."""
        assert inline.map is not None
        first = inline.map[0]
        pieces = []
        marker_length = 0
        for n, content in enumerate(inline.content.split("\n")):
            src = self.line(first + n)
            column = max(src.find(content), 0) if content else len(src.rstrip())
            if n == 0 and marker and (m := _ORDERED.search(src[:column])):
                marker_length, column = column - m.start(), m.start()  # 「1. 属于国家秘密」: the number is text too
            pieces.append((src[column:], first + n + 1, column + 1))
        source = _Source(pieces)
        prefix = [source.take(ch) for ch in pieces[0][0][:marker_length]]
        for n, chars in enumerate(_render(inline, source)):
            chars = _strip((prefix if n == 0 else []) + chars)
            if chars:
                self.doc.blocks.append(_block(chars, heading))

    def cells(self, inline: Token, cursor: int, col: int) -> int:
        """One table cell; returns where the next cell's search starts in the row's source line."""
        assert inline.map is not None
        index = inline.map[0]
        src = self.line(index)
        cell = Cell(self.tables, self.row, col)
        content = inline.content
        if not content:
            bar = src.find("|", cursor)
            at = bar + 1 if bar >= 0 else cursor
            self.table.append(Block("", index + 1, at + 1, cell=cell))
            return at
        raw = content.replace("|", "\\|")  # the table rule unescapes 「\|」 before the inline parser sees the cell
        at = src.find(raw, cursor)
        if at < 0:
            raw, at = content, max(src.find(content, cursor), cursor)
        chars = _strip([c for line in _render(inline, _Source([(raw, index + 1, at + 1)])) for c in line])
        self.table.append(_block(chars, cell=cell) if chars else Block("", index + 1, at + 1, cell=cell))
        return at + len(raw)

    def end_table(self) -> None:
        """The table's cells, without the empty cells GFM needs where Word merged cells (a merged cell comes once, as
        from the Word reader), without the empty cells markdown-it pads short rows with and without a placeholder
        header row (a table needs one in GFM). An empty cell is kept
        only where it can be a value left blank: in a column that holds numbers in some row, after the row's first
        number (or in a row of numbers only) and before its last filled cell."""
        rows: dict[int, list[Block]] = {}
        for b in self.table:
            if b.cell:
                rows.setdefault(b.cell.row, []).append(b)
        if 1 in rows and all(_PLACEHOLDER.fullmatch(b.text) for b in rows[1]):
            del rows[1]  # GFM needs a header row: a converter splitting a table gives it 「列1 | 列2」 or nothing
        numeric = {b.cell.col for cells in rows.values() for b in cells if b.cell and _NUMBER.fullmatch(b.text)}
        for cells in rows.values():
            filled = [n for n, b in enumerate(cells) if b.text]
            first_number = next((n for n, b in enumerate(cells) if _NUMBER.fullmatch(b.text)), len(cells))
            labelled = any(b.text for b in cells[:first_number])
            for n, b in enumerate(cells):
                if b.text or (b.cell and b.cell.col in numeric and filled and n < filled[-1]
                              and not (labelled and n < first_number)):
                    self.doc.blocks.append(b)
        self.table = []

    def verbatim(self, token: Token) -> None:
        """Code blocks and HTML comments: their lines as they stand (a comment may be a gpalint suppression). In
        pandoc's own Markdown an indented block is a multiline table's rows, written with Markdown's escapes
        (「1\\. 属于国家秘密」): those are undone, as pandoc renders them, and the line is marked rendered (no fix)."""
        assert token.map is not None
        table_rows = token.type == "code_block" and "quotes" in self.doc.converted
        for index in range(*token.map):
            src = self.line(index)
            if src.strip():
                lead = len(src) - len(src.lstrip())
                text = src.strip()
                shown = _ESCAPED.sub(r"\1", text) if table_rows else text
                self.doc.blocks.append(Block(shown, index + 1, lead + 1, rendered=shown != text))

    def html(self, token: Token) -> None:
        """An HTML block (pandoc writes a table as HTML where merged cells do not fit a pipe table): read as the HTML
        reader reads a page, its tables numbered on from the Markdown ones."""
        assert token.map is not None
        first = token.map[0]
        try:
            page = parse_html("\n".join(self.lines[first:token.map[1]]), self.doc.path)
        except InputError:  # markup without text
            return
        for b in page.blocks:
            b.line += first
            b.rendered = True  # entities decoded and lines joined: the text is not the source as it stands
            if b.cell is not None:
                b.cell = Cell(b.cell.table + self.tables, b.cell.row, b.cell.col)
        self.tables += max((b.cell.table - self.tables for b in page.blocks if b.cell), default=0)
        self.doc.blocks.extend(page.blocks)

    def read(self, tokens: list[Token]) -> None:
        heading: int | None = None
        item_start = False  # the next paragraph opens an ordered list item
        in_cell = False
        col, cursor = 0, 0
        for token in tokens:
            kind = token.type
            if kind == "heading_open":
                heading = int(token.tag[1])
            elif kind == "heading_close":
                heading = None
            elif kind == "list_item_open":
                item_start = token.info != ""  # ordered lists carry their number in info
            elif kind == "table_open":
                self.tables += 1
                self.row = 0
            elif kind == "tr_open":
                self.row += 1
                col, cursor = 0, 0
            elif kind in ("th_open", "td_open"):
                in_cell = True
            elif kind in ("th_close", "td_close"):
                in_cell = False
            elif kind == "inline" and token.map is not None:
                if in_cell:
                    col += 1
                    cursor = self.cells(token, cursor, col)
                else:
                    self.paragraph(token, heading, item_start)
                    item_start = False
            elif kind == "table_close":
                self.end_table()
            elif kind == "html_block" and not token.content.lstrip().startswith("<!--"):
                self.html(token)
            elif kind in ("fence", "code_block", "html_block"):
                self.verbatim(token)


def parse(text: str, path: str = "<markdown>") -> Document:
    from .text import converted_by_tool
    converted = converted_by_tool(text) | ({"quotes"} if _PANDOC_TABLE.search(text) else set())
    doc = Document(path=path, format="markdown", converted=frozenset(converted))
    # markdown-it numbers lines by "\n"; gpalint (and the fixer) as str.splitlines does, which also breaks at \v,
    # \f, \u2028 …: those become "\n" for the parser, so that both count the same lines
    _Reader(text, doc).read(_PARSER.parse(_LINE_BREAKS.sub("\n", text)))
    return doc

