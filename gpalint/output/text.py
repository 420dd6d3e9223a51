"""--format text: ruff-like — location, severity, code, message; the source line with the span underlined; the
hint; in a batch one line per file; a summary by severity and family. Plain text for pipes and files; colours
(rich) only when writing to a terminal. Report text and paths are shown through ``printable``: a report cannot
send escape sequences to the reader's terminal."""
from __future__ import annotations

from collections import Counter

from ..cjk import display_width
from ..model import Diagnostic, FileResult, Severity
from ..rules import families, family_name, family_of
from . import display_path, printable

SEVERITIES = (Severity.ERROR, Severity.WARNING, Severity.INFO)  # most serious first: the order findings are shown in


def _excerpt(d: Diagnostic) -> list[str]:
    loc, line = d.location, d.source_line
    if line is None:
        return []
    if len(line) > 120:  # very long (pasted) lines: show a window around the span
        start = max(0, loc.column - 1 - 40)
        line, shift = line[start:start + 100], start
    else:
        shift = 0
    col = loc.column - 1 - shift
    end = (loc.end_column - 1 - shift) if loc.end_column and loc.end_line in (None, loc.line) else col + 1
    end = max(end, col + 1)
    num = str(loc.paragraph if loc.paragraph is not None else "" if d.unit == "paragraph" else loc.line)
    pad = " " * len(num)
    text = line.replace("\t", " ")
    before, span = printable(text[:col]), printable(text[col:end])
    marks = " " * display_width(before) + "^" * max(1, display_width(span))
    return [f"{pad} |", f"{num} | {before}{span}{printable(text[end:])}", f"{pad} | {marks}"]


def _head(d: Diagnostic) -> str:
    fix = " [*]" if d.fix and d.fix.applicability.value == "safe" else ""
    detail = d.location.detail()
    ctx = f" 〔{detail}〕" if detail else ""
    return f"{d.location.where(display_path(d.path))}: {Severity(d.severity).label} {d.code}{fix} {printable(d.message + ctx)}"


def ordered(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    """One file's findings, errors first, then warnings, then notes; in source order within each."""
    return sorted(diagnostics, key=lambda d: SEVERITIES.index(Severity(d.severity)))


def _by_severity(diagnostics: list[Diagnostic]) -> str:
    counts = Counter(Severity(d.severity) for d in diagnostics)
    return "，".join(f"{s.label} {counts[s]}" for s in SEVERITIES if counts[s])


def render(results: list[FileResult], rules, statistics: bool = False, quiet: bool = False, hidden: int = 0,
           pairing: list[str] | None = None) -> str:
    """``results`` include the files that could not be checked (their lines go to stderr; here they are counted);
    ``hidden``: findings left out by --severity; ``pairing``: how the reports were paired by agency and year
    (gpalint/years.py), lines shown before the summary."""
    out: list[str] = []
    checked = [r for r in results if r.error is None]
    diags = [d for r in checked for d in r.diagnostics]
    if statistics:
        counts = Counter(d.code for d in diags)
        for code, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
            rule = rules.get(code)
            fixable = "[*]" if rule and rule.fix and rule.fix.value == "safe" else "   "
            out.append(f"{n:5d}\t{code}\t{fixable} {rule.summary if rule else ''}")
        return "\n".join(out) + ("\n" if out else "")
    batch = len(checked) > 1
    for r in checked:
        for d in ordered(r.diagnostics):
            out.append(_head(d))
            if not quiet:
                out.extend(_excerpt(d))
                if d.hint:
                    out.append(f"  = 提示：{printable(d.hint)}")
                out.append("")
        if batch and not quiet:
            problems = f"{len(r.diagnostics)} 个问题（{_by_severity(r.diagnostics)}）" if r.diagnostics else "通过"
            out += [f"{display_path(r.path)}：{problems}"] + ([""] if r.diagnostics else [])
    if quiet:
        return "".join(line + "\n" for line in out)
    if out and out[-1]:  # a blank line before the summary
        out.append("")
    out += [printable(line) for line in pairing or ()]
    out.append(summary(results, hidden))
    return "\n".join(out) + "\n"


def summary(results: list[FileResult], hidden: int = 0) -> str:
    """The last line. 「全部通过」 only when at least one report was checked, nothing was found and no file failed."""
    checked = sum(1 for r in results if r.error is None)
    failed = sum(1 for r in results if r.error is not None)
    diags = [d for r in results for d in r.diagnostics]
    files = sum(1 for r in results if r.diagnostics)
    unchecked = f"；另有 {failed} 个文件无法检查" if failed else ""
    not_shown = f"；另有 {hidden} 个较低级别的问题按 --severity 未显示" if hidden else ""
    if not checked:
        return f"没有检查任何报告{unchecked}。"
    if not diags:
        if failed:
            return f"检查了 {checked} 个文件，没有发现问题{unchecked}{not_shown}。"
        return f"全部通过：检查了 {checked} 个文件，没有发现问题{not_shown}。"
    fam = Counter(family_of(d.code) for d in diags)
    by_family = "，".join(f"{family_name(f)} {f} {fam[f]}" for f in families(fam) if fam[f])
    fixable = sum(1 for d in diags if d.fix and d.fix.applicability.value == "safe")
    unsafe = sum(1 for d in diags if d.fix and d.fix.applicability.value == "unsafe")
    tail = ""
    if fixable:
        tail += f"；{fixable} 个可用 --fix 自动修复"
    if unsafe:
        tail += f"；另有 {unsafe} 个可用 --unsafe-fixes 修复"
    return (f"共发现 {len(diags)} 个问题（{_by_severity(diags)}；{files} 个文件，共检查 {checked} 个）："
            f"{by_family}{tail}{unchecked}{not_shown}。")
