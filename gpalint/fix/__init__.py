"""--fix and --diff: apply the fixes the checks propose, and change nothing else.

One loop for every format (``loop.run``): check → take the fixes allowed (safe; unsafe too with --unsafe-fixes)
→ drop a fix that overlaps one already taken (it comes back in the next round, against the new text) → apply →
check again, until no fix is left or after ``MAX_ROUNDS`` rounds. The planner (``planner``) knows no format; a
target does: ``text.TextTarget`` (.txt .md: line and column of the decoded text) and ``word.WordTarget`` (.docx:
paragraph and offsets, mapped to ``w:t`` characters by the reader's own walk). A fix the target cannot place is
left unfixed and its finding says why. ``FileResult.diagnostics`` are what is left after the last round,
``FileResult.fixed`` counts the fixes applied.

The file is read once, fixed from those bytes, and replaced atomically only if nobody changed it meanwhile
(``writer``); read-only files and files with several hard links are not replaced.

PDF and HTML files cannot be fixed: they are checked as usual and a note says so once per run.
"""
from __future__ import annotations

import sys
from pathlib import Path

from ..model import FileResult, InputError
from . import writer
from .loop import MAX_ROUNDS, unified_diff
from .planner import Change, Unplaced, choose, plan, wanted
from .text import apply_text_fixes, fix_text

PDF_NOT_FIXABLE = "PDF 文件不能自动修复，只报告问题"
HTML_NOT_FIXABLE = "HTML 网页不能自动修复，只报告问题"
DOC_NOT_FIXABLE = ("Word 97-2003（.doc）和 WPS（.wps）文件不能自动修复（转换后无法原样写回），只报告问题：另存为 .docx 后"
                   "可用 --fix 修复")
TOLD: set[str] = set()  # notes already printed in this run

__all__ = ["DOC_NOT_FIXABLE", "HTML_NOT_FIXABLE", "MAX_ROUNDS", "PDF_NOT_FIXABLE", "Change", "Unplaced", "apply_text_fixes", "choose",
           "fix_file", "fix_text", "plan", "unified_diff", "wanted"]


def fix_file(engine, path, options, unsafe: bool = False, diff_only: bool = False) -> FileResult:
    """Fix one file in place (or, with ``diff_only``, only compute the unified diff of the fixes)."""
    from ..readers import FIXABLE, SUFFIXES
    path = Path(path)
    kind = SUFFIXES.get(path.suffix.lower())
    if kind not in FIXABLE:
        result = engine.check_path(path, options)
        if kind in ("pdf", "html", "doc") and result.error is None:
            _tell_once({"pdf": PDF_NOT_FIXABLE, "html": HTML_NOT_FIXABLE, "doc": DOC_NOT_FIXABLE}[kind])
        return result
    if not diff_only:
        writer.remove_leftovers(path)
    try:
        data, snap = writer.read_once(path)
    except InputError:  # not a regular file, empty, too large, unreadable: exactly what `check` says
        return engine.check_path(path, options)
    if kind == "text":
        from .text import fix_text_file
        result = fix_text_file(engine, path, data, snap, options, unsafe, diff_only)
        return result if result is not None else engine.check_path(path, options)
    from .word import fix_docx_file
    return fix_docx_file(engine, path, data, snap, options, unsafe, diff_only)


def _tell_once(message: str) -> None:
    if message not in TOLD:
        TOLD.add(message)
        sys.stderr.write(message + "\n")
