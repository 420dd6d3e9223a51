"""What table recovery gives: per template table, the cells found (value, raw text, source location) and the
problems met reading it."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

from ...model import Location
from ..template import TableSpec

if TYPE_CHECKING:
    from .relations import Break


@dataclass(slots=True)
class Value:
    raw: str
    value: int | float | None
    location: Location
    problem: str | None = None  # why the value is not acceptable, in Chinese


@dataclass(slots=True)
class Issue:
    # the report's: "missing-row", "missing-values", "extra-values" (a Word/web table), "values" (several rows of
    # one), "empty", "bad-value", "blank"; the reading's (reader notes): "glued" (digits without one reading),
    # "unreadable" (a row or table that text or a PDF's extraction did not let gpalint read)
    kind: str
    row: str | None
    column: str | None
    detail: str
    location: Location


@dataclass(slots=True)
class Readings:
    """The readings of a row whose digits were glued together that its own relations leave open."""

    text: str  # the digits as the file has them
    candidates: list[dict[tuple[str, str], Value]]  # per reading: (row, column) → value
    complete: bool  # False: the search gave up, there may be more readings
    location: Location


@dataclass(slots=True)
class Table:
    spec: TableSpec
    found: bool = False
    anchor: Location | None = None
    rows: dict[str, Location] = field(default_factory=dict)
    cells: dict[tuple[str, str], Value] = field(default_factory=dict)
    uncertain: set[str] = field(default_factory=set)  # rows whose numbers could not be aligned to columns
    columns_seen: set[str] = field(default_factory=set)
    issues: list[Issue] = field(default_factory=list)
    glued: dict[str, Readings] = field(default_factory=dict)  # rows left to the table's other relations to read
    from_cells: bool = False  # every value came from a real table cell (Word, HTML, PDF table): read as laid out
    breaks: list[Break] = field(default_factory=list)  # the broken relations, one per cell they point at
    unsure: list[tuple[str, str]] = field(default_factory=list)  # cells read by OCR with too little confidence

    def value(self, row: str, column: str) -> int | float | None:
        """The cell's number, or None when it is missing, unreadable or not trustworthy."""
        if row in self.uncertain:
            return None
        v = self.cells.get((row, column))
        if v is None or v.problem or (v.raw == "" and column in self.spec.total_columns):
            return None  # a blank 总计 is an omitted total, not a zero
        return v.value

    def context(self, row: str | None, column: str | None) -> str:
        return _context(self.spec, row, column)

    def active(self, columns: Iterable[str]) -> list[str]:
        """The columns this report has: the template's, plus optional ones (小计) its header shows."""
        cols = self.spec.columns
        return [c for c in columns if not cols[c].optional or c in self.columns_seen]


@lru_cache(maxsize=4096)
def _context(spec: TableSpec, row: str | None, column: str | None) -> str:
    """「表三 「（七）总计」行 「总计」列」: how a message names a cell (cached: every cell of every report asks)."""
    parts = [spec.title]
    if row is not None and spec.layout == "rows":
        parts.append(f"「{spec.row_label(row)}」行")
    if column is not None:
        parts.append(f"「{spec.columns[column].label}」列")
    return " ".join(parts)
