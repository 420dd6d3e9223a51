"""The values every stage passes on: where something is, what is wrong with it, how to fix it."""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import Enum


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def label(self) -> str:
        return {"error": "错误", "warning": "警告", "info": "提示"}[self.value]


@dataclass(frozen=True, slots=True)
class Location:
    """A span in the source.

    ``line`` is a text line (.txt/.md), a paragraph number in document order (.docx, table cell paragraphs
    included: the key the fixer and the suppressions use) or a line on the page (.pdf, with ``page``). Columns are
    1-based and count characters; the end is exclusive, as in ruff. ``context`` names a table cell.

    What leads a person to the spot in a Word or PDF file (filled when the finding is made): ``paragraph``, the
    number of the paragraph among the non-empty paragraphs outside tables (Word: what a person counts; table
    cells and empty paragraphs not counted); ``cell``, (table, row, column) of a real table's cell (Word);
    ``section``, the section heading and sub-heading the spot is under; ``quote``, the faulty text itself with a
    few characters around it.
    """

    line: int
    column: int = 1
    end_line: int | None = None
    end_column: int | None = None
    page: int | None = None
    context: str | None = None
    paragraph: int | None = None
    cell: tuple[int, int, int] | None = None
    section: str | None = None
    quote: str | None = None

    def with_context(self, context: str | None) -> Location:
        return replace(self, context=context)

    def unit(self, path: str) -> str:
        """What ``line`` counts in the file ``path``: "page-line" (a line on a PDF page), "paragraph" (Word) or
        "line"."""
        if self.page is not None:
            return "page-line"
        return "paragraph" if path.lower().endswith((".docx", ".doc", ".wps")) else "line"  # .doc/.wps: read as .docx

    def where(self, path: str, words: bool = False) -> str:
        """How a clerk finds the spot in ``path``, the one wording every output and message uses. Compact, after the
        path (text output, logs): path:line:col, path:¶paragraph or path:表T第R行第C列 for Word, path:第P页:line
        for PDF. In words, where the path is shown elsewhere (review pages, annotations, messages): 第L行第C列,
        第N段, 第T个表格第R行第C列, 第P页第L行. See ``detail`` for the section and quote."""
        unit = self.unit(path)
        if unit == "page-line":
            return f"第{self.page}页第{self.line}行" if words else f"{path}:第{self.page}页:{self.line}"
        if unit == "paragraph":
            if self.cell is not None:
                table, row, col = self.cell
                return (f"第{table}个表格" if words else f"{path}:表{table}") + f"第{row}行第{col}列"
            # a location no paragraph holds (rare: a note of the reader) keeps the document-order number
            number = self.paragraph if self.paragraph is not None else self.line
            return f"第{number}段" if words else f"{path}:¶{number}"
        return f"第{self.line}行第{self.column}列" if words else f"{path}:{self.line}:{self.column}"

    def detail(self) -> str | None:
        """What follows the place: the table cell's name, the section it is under and the quote, or None."""
        parts = [p for p in (self.context, self.section, self.quote) if p]
        return "；".join(parts) or None


class Applicability(str, Enum):
    SAFE = "safe"
    UNSAFE = "unsafe"


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace the source span ``location`` (line/column .. end_line/end_column, end exclusive) by ``content``."""

    location: Location
    content: str


@dataclass(frozen=True, slots=True)
class Fix:
    applicability: Applicability
    message: str
    edits: tuple[Edit, ...]


@dataclass(slots=True)
class Diagnostic:
    code: str
    severity: Severity
    message: str
    path: str
    location: Location
    hint: str | None = None
    fix: Fix | None = None
    source_line: str | None = None  # the text of the located line, for the underlined excerpt
    expected: str | None = None  # the value the rule expects there (a table total), shown beside the found one
    fingerprint: str | None = None  # what identifies the finding across edits elsewhere (gpalint.baseline)

    def sort_key(self):
        loc = self.location
        return (self.path, loc.page or 0, loc.line, loc.column, self.code)

    @property
    def unit(self) -> str:
        return self.location.unit(self.path)

    def where(self, words: bool = False) -> str:
        """Location.where for this finding's file."""
        return self.location.where(self.path, words)


@dataclass(slots=True)
class FileResult:
    """What checking one file gave: its diagnostics, or the one error line that stopped it."""

    path: str
    diagnostics: list[Diagnostic] = field(default_factory=list)
    error: str | None = None
    skipped: bool = False  # found by a directory walk and not a report: a note, not an error
    fixed: int = 0
    diff: str | None = None  # --diff: the unified diff of the fixes, nothing written
    readout: dict | None = None  # what gpalint read (agency, year, tables) as plain data, for the review page
    annotated: str | None = None  # --annotate: the Word copy written, with one comment per finding


class InputError(Exception):
    """A file gpalint cannot read as a report; the message is the single Chinese line shown to the user."""


class NotAReport(InputError):
    """A readable file that is not an annual report (a README beside the reports): skipped when a directory walk
    found it, an error when the user named it."""


class PatternTimeout(InputError):
    """A pattern of a user's rule ran out of its time budget on this file (a backtracking pattern): the file is
    reported as not checked, with one line naming the rule and its file, and the run goes on."""
