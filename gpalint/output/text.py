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
    loc, line = d.location, d.line_text()
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


class Tally:
    """What the summary line counts, gathered file by file (a batch is not held to count it)."""

    def __init__(self) -> None:
        self.checked = self.failed = self.files = self.fixable = self.unsafe = 0
        self.severities: Counter[Severity] = Counter()
        self.families: Counter[str] = Counter()
        self.codes: Counter[str] = Counter()

    def add(self, r: FileResult) -> None:
        if r.error is not None:
            self.failed += 1
            return
        self.checked += 1
        self.files += bool(r.diagnostics)
        self.add_findings(r.diagnostics)

    def add_findings(self, diagnostics: list[Diagnostic]) -> None:
        for d in diagnostics:
            self.severities[Severity(d.severity)] += 1
            self.families[family_of(d.code)] += 1
            self.codes[d.code] += 1
            if d.fix:
                self.fixable += d.fix.applicability.value == "safe"
                self.unsafe += d.fix.applicability.value == "unsafe"

    def summary(self, hidden: int = 0) -> str:
        """The last line. 「全部通过」 only when at least one report was checked, nothing was found and no file
        failed."""
        total = sum(self.severities.values())
        unchecked = f"；另有 {self.failed} 个文件无法检查" if self.failed else ""
        not_shown = f"；另有 {hidden} 个较低级别的问题按 --severity 未显示" if hidden else ""
        if not self.checked:
            return f"没有检查任何报告{unchecked}。"
        if not total:
            if self.failed:
                return f"检查了 {self.checked} 个文件，没有发现问题{unchecked}{not_shown}。"
            return f"全部通过：检查了 {self.checked} 个文件，没有发现问题{not_shown}。"
        fam = self.families
        by_family = "，".join(f"{family_name(f)} {f} {fam[f]}" for f in families(fam) if fam[f])
        tail = ""
        if self.fixable:
            tail += f"；{self.fixable} 个可用 --fix 自动修复"
        if self.unsafe:
            tail += f"；另有 {self.unsafe} 个可用 --unsafe-fixes 修复"
        by_severity = "，".join(f"{s.label} {self.severities[s]}" for s in SEVERITIES if self.severities[s])
        return (f"共发现 {total} 个问题（{by_severity}；{self.files} 个文件，共检查 {self.checked} 个）："
                f"{by_family}{tail}{unchecked}{not_shown}。")


class TextWriter:
    """The text output, one file at a time (``file``), then ``end``: what ``render`` gives for the same results,
    in pieces that can be written as each file is checked. A batch (more than one report checked) has one line
    per file after its findings; the first file's line waits until a second report comes."""

    def __init__(self, rules, statistics: bool = False, quiet: bool = False) -> None:
        self.rules, self.statistics, self.quiet = rules, statistics, quiet
        self.tally = Tally()
        self.first_line: list[str] | None = None  # the first report's per-file line, until a second one comes
        self.wrote = False  # any line written: the summary follows a blank line
        self.last_blank = False

    def file(self, r: FileResult) -> str:
        """The lines of one result (a file that could not be checked is only counted: its line goes to stderr)."""
        self.tally.add(r)
        if r.error is not None or self.statistics:
            return ""
        out: list[str] = []
        if self.first_line is not None:  # a second report: the batch shows the first one's line too
            out += self.first_line
        out += self._findings(r.diagnostics)
        if not self.quiet:
            problems = f"{len(r.diagnostics)} 个问题（{_by_severity(r.diagnostics)}）" if r.diagnostics else "通过"
            line = [f"{display_path(r.path)}：{problems}"] + ([""] if r.diagnostics else [])
            if self.tally.checked == 1:
                self.first_line = line
            else:
                out += line
                self.first_line = []
        return self._lines(out)

    def extra(self, diagnostics: list[Diagnostic], previous: dict[str, str] | None = None) -> str:
        """Findings comparing two reports (gpalint/years.py), after every file's own: counted, shown as findings
        are (``previous``, the report each file was paired with, is for JSON)."""
        self.tally.add_findings(diagnostics)
        return "" if self.statistics else self._lines(self._findings(diagnostics))

    def _findings(self, diagnostics: list[Diagnostic]) -> list[str]:
        out: list[str] = []
        for d in ordered(diagnostics):
            out.append(_head(d))
            if not self.quiet:
                out.extend(_excerpt(d))
                if d.hint:
                    out.append(f"  = 提示：{printable(d.hint)}")
                out.append("")
        return out

    def _lines(self, out: list[str]) -> str:
        if out:
            self.wrote = True
            self.last_blank = out[-1] == ""
        return "".join(line + "\n" for line in out)

    def end(self, hidden: int = 0, pairing: list[str] | None = None) -> str:
        """The summary; ``pairing``: how the reports were paired by agency and year (gpalint/years.py), lines shown
        before it."""
        if self.statistics:
            out = []
            for code, n in sorted(self.tally.codes.items(), key=lambda kv: (-kv[1], kv[0])):
                rule = self.rules.get(code)
                fixable = "[*]" if rule and rule.fix and rule.fix.value == "safe" else "   "
                out.append(f"{n:5d}\t{code}\t{fixable} {rule.summary if rule else ''}")
            return "".join(line + "\n" for line in out)
        if self.quiet:
            return ""
        blank = "\n" if self.wrote and not self.last_blank else ""  # a blank line before the summary
        return blank + "".join(printable(line) + "\n" for line in pairing or ()) + self.tally.summary(hidden) + "\n"


def render(results: list[FileResult], rules, statistics: bool = False, quiet: bool = False, hidden: int = 0,
           pairing: list[str] | None = None) -> str:
    """``results`` include the files that could not be checked (their lines go to stderr; here they are counted);
    ``hidden``: findings left out by --severity; ``pairing``: how the reports were paired by agency and year
    (gpalint/years.py), lines shown before the summary."""
    writer = TextWriter(rules, statistics, quiet)
    return "".join(writer.file(r) for r in results) + writer.end(hidden, pairing)


def summary(results: list[FileResult], hidden: int = 0) -> str:
    """The last line of the text output for ``results``."""
    tally = Tally()
    for r in results:
        tally.add(r)
    return tally.summary(hidden)
