"""Document: what every reader returns, whatever the format — an ordered list of text blocks with locations.

A block is one line of text (a line of a .txt file, a Word paragraph, a text line of a PDF page) or one table
cell of a real table (.docx, .pdf, .html). Offsets inside ``text`` map to source columns by ``column + offset``,
so a diagnostic can point at a character in any format.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .model import Location

# A value read by OCR with less confidence than this is not trusted: never used to check the table's sums (measured on
# scans of the fixtures: scripts/measure_ocr.py, README「扫描件 (OCR)」)
UNSURE = 0.8


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
    # a paragraph joined from several source lines (a PDF paragraph wrapped over lines): for each continuation line,
    # (offset in text where it starts, its line, its column), so offsets still map to the right source line
    breaks: tuple[tuple[int, int, int], ...] = ()
    # the text is rendered from markup (Markdown escapes, emphasis undone): offsets still map to the source, but a
    # span may cover markup the text does not show, so no fix is offered on it
    rendered: bool = False
    # not the report: a page number, a crawler's provenance line, a site menu (gpalint/furniture.py); the Report
    # leaves it out, so no rule reports on it
    furniture: bool = False
    # read by OCR from an image (a scanned page): the confidence of its least sure character (0–1); None: the file's
    # own text. A finding on it says so; a table value read with less than the reader's floor is not used
    confidence: float | None = None

    def position(self, offset: int) -> tuple[int, int]:
        """(line, column) in the source of the character at ``offset`` in ``text``."""
        line, column, base = self.line, self.column, 0
        for at, brk_line, brk_column in self.breaks:
            if at > offset:
                break
            line, column, base = brk_line, brk_column, at
        return line, column + offset - base

    def segment(self, line: int) -> tuple[int, str] | None:
        """(column, text) of the part of this block that stands on source ``line``; None if none does."""
        starts = [(0, self.line, self.column), *self.breaks]
        for n, (at, seg_line, column) in enumerate(starts):
            if seg_line == line:
                end = next((s[0] for s in starts[n + 1:] if s[1] != line), len(self.text))
                return column, self.text[at:end]
        return None

    def location(self, start: int = 0, end: int | None = None, context: str | None = None) -> Location:
        end = len(self.text) if end is None else end
        if not self.breaks:
            return Location(self.line, self.column + start, self.line, self.column + end, self.page, context)
        line, column = self.position(start)
        end_line, end_column = self.position(max(start, end - 1))
        return Location(line, column, end_line, end_column + 1, self.page, context)


@dataclass(frozen=True, slots=True)
class Comment:
    """A comment the file carries beside its text (a Word comment): what it says and the block lines it covers."""

    text: str
    lines: frozenset[int]
    location: Location  # where its range starts


@dataclass(slots=True)
class Document:
    path: str
    format: str  # "text", "markdown", "docx", "pdf", "html"
    blocks: list[Block] = field(default_factory=list)
    notes: list[tuple[str, Location]] = field(default_factory=list)  # reader remarks, e.g. unreadable glyphs
    # what was read is a conversion of the file (a .doc by LibreOffice): the locations are the converted file's
    conversion_notes: list[tuple[str, Location]] = field(default_factory=list)
    comments: list[Comment] = field(default_factory=list)
    # Word: block line → the paragraph's number among the non-empty paragraphs outside tables (what a person counts)
    paragraphs: dict[int, int] = field(default_factory=dict)
    # what a tool, not the author, made of the text: "spacing" (a .txt a PDF text extractor wrote — pdftotext,
    # pdfminer — puts spaces around Latin text and digits and spreads a justified line apart), "punctuation" (every
    # full-width mark made half-width, as some crawlers and converters do: no person typing with a Chinese input
    # method writes dozens of commas and not one 「，」); "quotes" (pandoc's own Markdown, whose straight 「"」 its
    # smart extension renders curly: readers/markdown.py); OCR spacing and punctuation (readers/pdf/ocr.py); rules
    # on what the tool changed say nothing there
    converted: frozenset[str] = frozenset()

    @property
    def extracted(self) -> bool:
        return "spacing" in self.converted
