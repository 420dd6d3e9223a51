"""The text target (.txt .md): edits by line and column on the decoded text, lines split exactly as the text reader
splits them; the encoding, the BOM and every line ending are kept."""
from __future__ import annotations

import codecs
from pathlib import Path

from ..model import Diagnostic, Edit, FileResult, InputError
from ..readers.text import decode, parse
from . import loop, writer
from .loop import unified_diff
from .planner import Change, Unplaced, wanted

# line separators of str.splitlines(), which the text reader uses to number lines
_LINE_BREAKS = "\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029"


class Lines:
    """Line/column ↔ offset in a decoded text, with lines numbered as ``str.splitlines`` numbers them."""

    def __init__(self, text: str):
        self.starts: list[int] = []
        self.lengths: list[int] = []  # without the line ending
        pos = 0
        for line in text.splitlines(keepends=True):
            ending = 2 if line.endswith("\r\n") else (1 if line[-1] in _LINE_BREAKS else 0)
            self.starts.append(pos)
            self.lengths.append(len(line) - ending)
            pos += len(line)

    def offset(self, line: int, column: int | None, default_end: bool) -> int | None:
        if not 1 <= line <= len(self.starts):
            return None
        length = self.lengths[line - 1]
        if column is None:
            column = length + 1 if default_end else 1
        if not 1 <= column <= length + 1:
            return None
        return self.starts[line - 1] + column - 1

    def place(self, edit: Edit) -> Change | Unplaced:
        loc = edit.location
        start = self.offset(loc.line, loc.column, False)
        end_line = loc.end_line if loc.end_line is not None else loc.line
        end_column = loc.end_column if loc.end_column is not None else (loc.column if end_line == loc.line else None)
        end = self.offset(end_line, end_column, True)
        if start is None or end is None or end < start:
            return Unplaced("位置超出文件内容")
        return Change(start, end, edit.content)


def apply_changes(text: str, chosen: list[tuple[Diagnostic, list[Change]]]) -> str:
    changes = sorted((c for _, cs in chosen for c in cs), key=lambda c: (c.start, c.end), reverse=True)
    for c in changes:
        text = text[:c.start] + c.content + text[c.end:]
    return text


class TextTarget:
    def __init__(self, engine, options, text: str, path: str, markdown: bool):
        self.engine, self.options = engine, options
        self.text, self.path, self.markdown = text, path, markdown
        self.lines = Lines(text)
        self.furniture: frozenset[int] = frozenset()  # lines of page furniture (a provenance header): never edited

    def check(self) -> list[Diagnostic]:
        doc = parse(self.text, self.path, self.markdown)
        self.furniture = frozenset(line for b in doc.blocks if b.furniture
                                   for line in (b.line, *(brk[1] for brk in b.breaks)))
        return self.engine.check_document(doc, self.options)[1]

    def place(self, edit: Edit) -> Change | Unplaced:
        loc = edit.location
        if self.furniture.intersection(range(loc.line, (loc.end_line or loc.line) + 1)):
            return Unplaced("该处是页面附加内容（来源说明、页码、网站菜单），不属于报告正文，不修改")
        return self.lines.place(edit)

    def apply(self, chosen: list[tuple[Diagnostic, list[Change]]]) -> bool:
        new = apply_changes(self.text, chosen)
        if new == self.text:
            return False
        self.text, self.lines = new, Lines(new)
        return True


def fix_text(engine, text: str, options, unsafe: bool = False, path: str = "<text>", markdown: bool = False,
             diagnostics: list[Diagnostic] | None = None) -> tuple[str, list[Diagnostic], int]:
    """Fix ``text`` to a fixed point: (fixed text, the diagnostics left, number of fixes applied).

    ``diagnostics``: the findings on ``text`` as it is, when the caller has them already.
    """
    target = TextTarget(engine, options, text, path, markdown)
    outcome = loop.run(target, unsafe, diagnostics)
    return target.text, outcome.diagnostics, outcome.fixed


def apply_text_fixes(engine, text: str, options, unsafe: bool = False, path: str = "example.txt",
                     markdown: bool = False) -> str:
    """The text after applying the fixes (safe ones; unsafe ones too if ``unsafe``) to a fixed point."""
    return fix_text(engine, text, options, unsafe, path, markdown)[0]


def encode(text: str, encoding: str, original: bytes) -> bytes:
    """``text`` in the file's encoding, with the BOM the file had (and in the byte order it had)."""
    for bom, name in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
                      (codecs.BOM_UTF16_BE, "utf-16-be")):
        if original.startswith(bom):
            return bom + text.encode(name)
    return text.encode(encoding)


def fix_text_file(engine, path: Path, data: bytes, snap: writer.Snapshot, options, unsafe: bool,
                  diff_only: bool) -> FileResult | None:
    """Fix the text file whose bytes (read once) are ``data``; None when they do not read as a report (the caller
    then reports what `check` reports)."""
    try:
        text, encoding = decode(data)
    except InputError:
        return None
    if not text.strip():
        return None
    markdown = path.suffix.lower() in (".md", ".markdown")
    target = TextTarget(engine, options, text, str(path), markdown)
    try:
        diagnostics = target.check()
    except InputError:
        return None
    result = FileResult(str(path), diagnostics)
    if not any(wanted(d, unsafe) for d in diagnostics):
        return result
    if not diff_only and (problem := writer.refusal(snap)):
        result.error = problem
        return result
    try:
        outcome = loop.run(target, unsafe, diagnostics)
    except InputError as exc:  # the fixed text no longer reads as a report: keep the file as it is
        result.error = str(exc)
        return result
    result.diagnostics = outcome.diagnostics
    new = target.text
    if new == text:
        return result
    result.fixed = outcome.fixed
    if diff_only:
        result.diff = unified_diff(path, text.splitlines(), new.splitlines())
        return result
    try:
        if encode(text, encoding, data) != data:
            raise UnicodeError
        out = encode(new, encoding, data)
    except UnicodeError:
        result.error = f"修复后的文字无法按原编码（{encoding}）原样写回，文件未修改"
        result.fixed = 0
        return result
    writer.save(result, snap, lambda fh: fh.write(out))
    return result
