"""Accepted findings: ``--write-baseline FILE`` records the findings of a run, ``--baseline FILE`` reports only the
ones that are new.

A reviewer re-checking 300 corrected reports wants to see what changed, not the findings already sent back. So a
finding is recognised by what it is about, not by where it stands: its code, the section it is in, and either the
table cell it names or the faulty text itself with the letters and digits of a few characters either side of it,
normalised (full/half width, spaces). Line numbers, page numbers and the numbers in the message are left out, so blank lines inserted at the top
or a paragraph rewritten elsewhere keep a finding matched; a total changed to another wrong value is a new finding
(the correction failed). The same fingerprint may occur more than once in a file (the same typo twice in one
section): the baseline counts them, and only occurrences beyond the count are new.

The file is JSON, paths relative to the baseline's folder (so the folder of reports and its baseline can move
together): ``{"gpalint-baseline": 1, "findings": [{"path", "fingerprint", "code", "line", "message"}, …]}``;
``line`` and ``message`` are for a person reading it, never matched. A baseline of an older version (other
fingerprints) is refused with one line saying to write it again.
"""
from __future__ import annotations

import bisect
import hashlib
import json
import re
from collections import Counter
from pathlib import Path

from .checks.base import Context, block_at
from .model import Diagnostic, FileResult
from .report import Report
from .report.template import norm

# 2: the context beside the span without punctuation, a span without an end cut to SPAN characters (1 took the
# AROUND characters as they were, and a span without an end to the end of the line or paragraph)
VERSION = 2
AROUND = 4  # characters of the text on each side of the faulty span that belong to the fingerprint
SPAN = 12  # characters from where a finding without an end starts
_WORDS = re.compile(r"[\W_]+")  # what is not a letter or a digit (CJK characters are letters)
_CELL = re.compile(r"^表[一二三四五六七八九十]")  # a context naming a table cell (「表三 「（七）总计」行 「总计」列」)
_CELL_PLACE = re.compile(r"（第 \d+ 个表格第 \d+ 行第 \d+ 列）")  # where the cell sits in the real table: moves with rows
_DIGITS = re.compile(r"\d+")


class BaselineError(Exception):
    """A baseline file that cannot be read or is not a baseline: the message is one Chinese line."""


def add_fingerprints(report: Report, diagnostics: list[Diagnostic]) -> None:
    """Set the fingerprint of each of ``report``'s findings."""
    for d, (section, anchor) in zip(diagnostics, places(report, diagnostics)):
        d.fingerprint = fingerprint(d.code, section, anchor)


def places(report: Report, diagnostics: list[Diagnostic], context: Context | None = None) -> list[tuple[str, str]]:
    """What identifies where each finding stands, apart from its code: (section key, anchor). A finding made after
    the batch, from what a report's digest kept (gpalint/years.py), is fingerprinted from these."""
    if not diagnostics:
        return []
    context = context or Context(report)
    blocks = report.blocks
    starts = sorted(((blocks[h.index].page or 0, blocks[h.index].line), h.spec.key) for h in report.outline.headings)
    return [(_section(starts, d), _anchor(context, d)) for d in diagnostics]


def fingerprint(code: str, section: str, anchor: str) -> str:
    return hashlib.sha256("\x1f".join((code, section, anchor)).encode("utf-8")).hexdigest()[:16]


def _section(starts: list[tuple[tuple[int, int], str]], d: Diagnostic) -> str:
    """The key of the section (一…六) the finding stands in, "" before the first; ``starts`` are the headings'
    (page, line) and keys, in order."""
    at = bisect.bisect_right(starts, ((d.location.page or 0, d.location.line), "\uffff")) - 1
    return starts[at][1] if at >= 0 else ""


def _anchor(context: Context, d: Diagnostic) -> str:
    """The faulty text with AROUND characters either side; for a table cell, the cell's name and its text."""
    loc = d.location
    cell = norm(_CELL_PLACE.sub("", loc.context)) if loc.context and _CELL.match(loc.context) else None
    found = block_at(context, loc)
    if found is None:  # not located in the text (a table missing, a reader note): the message without its numbers
        return cell or _DIGITS.sub("#", norm(d.message))
    _, (column, text) = found
    start = max(0, loc.column - column)
    if loc.end_line in (None, loc.line) and loc.end_column:
        end = max(start, loc.end_column - column)
    else:  # no end on this line: the finding is about where it starts, not the rest of the line or paragraph
        end = start + SPAN
    if cell is not None:  # a cell: its neighbours in a flattened row are other cells, not context
        return f"{cell}|{norm(text[start:end])}"
    # the context keeps only letters and digits: a full stop added at the end of the line, or a comma changed beside
    # the span, is an edit elsewhere; the faulty text itself is kept whole (it may be the wrong punctuation)
    before, after = (_WORDS.sub("", norm(t)) for t in (text[max(0, start - AROUND):start], text[end:end + AROUND]))
    return f"{before}|{norm(text[start:end])}|{after}"


# ── the file ─────────────────────────────────────────────────────────────────────────────────────────

def _key(path: str, folder: Path) -> str:
    p = Path(path).resolve()
    try:
        return p.relative_to(folder).as_posix()
    except ValueError:
        return p.as_posix()


def write(target: Path, results: list[FileResult]) -> int:
    """Record the findings of ``results`` in ``target``; how many."""
    folder = target.resolve().parent
    findings = [{"path": _key(r.path, folder), "fingerprint": d.fingerprint, "code": d.code,
                 "line": d.location.line, "message": d.message}
                for r in results for d in r.diagnostics if d.fingerprint]
    from .atomic import replace_atomically
    text = json.dumps({"gpalint-baseline": VERSION, "findings": findings}, ensure_ascii=False, indent=1)
    replace_atomically(target, (text + "\n").encode("utf-8"))
    return len(findings)


def load(source: Path) -> Counter[tuple[str, str]]:
    """(path, fingerprint) → how many times the baseline holds it."""
    try:
        data = json.loads(source.read_text(encoding="utf-8"))
    except OSError as exc:
        from .oserrors import describe
        raise BaselineError(f"无法读取基线文件「{source}」：{describe(exc)}") from None
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise BaselineError(f"基线文件「{source}」不是 JSON：请用 --write-baseline 重新生成") from None
    version = data.get("gpalint-baseline") if isinstance(data, dict) else None
    if isinstance(version, int) and not isinstance(version, bool) and 0 < version < VERSION:
        raise BaselineError(f"基线文件「{source}」是旧版 gpalint 写的（第 {version} 版，现为第 {VERSION} 版），"
                            "其中的问题已无法对应：请用 --write-baseline 重新生成")
    findings = data.get("findings") if version == VERSION else None
    if not isinstance(findings, list) or not all(
            isinstance(f, dict) and isinstance(f.get("path"), str) and isinstance(f.get("fingerprint"), str)
            for f in findings):
        raise BaselineError(f"「{source}」不是 gpalint 的基线文件（第 {VERSION} 版）：请用 --write-baseline 重新生成")
    return Counter((f["path"], f["fingerprint"]) for f in findings)


def apply(source: Path, results: list[FileResult]) -> int:
    """Drop from ``results`` the findings the baseline in ``source`` holds; how many of its entries for the files
    checked no longer occur (entries of files not checked in this run are not counted)."""
    left = load(source)
    folder = source.resolve().parent
    checked = set()
    for r in results:
        path = _key(r.path, folder)
        checked.add(path)
        kept = []
        for d in r.diagnostics:
            key = (path, d.fingerprint or "")
            if left[key] > 0:
                left[key] -= 1
            else:
                kept.append(d)
        r.diagnostics = kept
    return sum(n for (path, _), n in left.items() if path in checked)
