"""Document: what every reader returns, whatever the format — an ordered list of text blocks with locations.

A block is one line of text (a line of a .txt file, a Word paragraph, a text line of a PDF page) or one table
cell of a real table (.docx, .pdf, .html). Offsets inside ``text`` map to source columns by ``column + offset``,
so a diagnostic can point at a character in any format.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .model import Location


@dataclass(frozen=True, slots=True)
class Cell:
    """Where a block sits in a real table: table number (1-based, document order), row and column (1-based)."""

    table: int
    row: int
    col: int


@dataclass(slots=True)
class Block:
    text: str
    line: int
    column: int = 1
    page: int | None = None
    heading: int | None = None  # heading level the format itself declares (Markdown #, Word style); None if none
    cell: Cell | None = None
    bold: bool = False  # looks like a heading (Word direct formatting, PDF font), for readers that know

    def location(self, start: int = 0, end: int | None = None, context: str | None = None) -> Location:
        end = len(self.text) if end is None else end
        return Location(self.line, self.column + start, self.line, self.column + end, self.page, context)


@dataclass(slots=True)
class Document:
    path: str
    format: str  # "text", "markdown", "docx", "pdf", "html"
    blocks: list[Block] = field(default_factory=list)
    notes: list[tuple[str, Location]] = field(default_factory=list)  # reader remarks, e.g. unreadable glyphs

    def source_line(self, block: Block) -> str:
        return block.text
