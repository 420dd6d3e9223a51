"""--format text: ruff-like — location, code, message; the source line with the span underlined; the hint; a
summary by family. Plain text for pipes and files; colours (rich) only when writing to a terminal."""
from __future__ import annotations

from collections import Counter
from unicodedata import east_asian_width

from ..rules import families, family_name, family_of


def _width(s: str) -> int:
    return sum(2 if east_asian_width(c) in "WF" else 1 for c in s)


def _excerpt(d) -> list[str]:
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
    num = str(loc.line)
    pad = " " * len(num)
    text = line.replace("\t", " ")
    marks = " " * _width(text[:col]) + "^" * max(1, _width(text[col:end]))
    return [f"{pad} |", f"{num} | {text}", f"{pad} | {marks}"]


def render(results, rules, statistics: bool = False, quiet: bool = False, checked: int | None = None) -> str:
    out: list[str] = []
    diags = [d for r in results for d in r.diagnostics]
    if statistics:
        counts = Counter(d.code for d in diags)
        for code, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
            rule = rules.get(code)
            fixable = "[*]" if rule and rule.fix and rule.fix.value == "safe" else "   "
            out.append(f"{n:5d}\t{code}\t{fixable} {rule.summary if rule else ''}")
        return "\n".join(out) + ("\n" if out else "")
    for d in diags:
        fix = " [*]" if d.fix and d.fix.applicability.value == "safe" else ""
        ctx = f" 〔{d.location.context}〕" if d.location.context else ""
        out.append(f"{d.where()}: {d.code}{fix} {d.message}{ctx}")
        if not quiet:
            out.extend(_excerpt(d))
            if d.hint:
                out.append(f"  = 提示：{d.hint}")
            out.append("")
    if not quiet or diags:
        out.append(summary(results, checked))
    return "\n".join(out) + "\n"


def summary(results, checked: int | None = None) -> str:
    diags = [d for r in results for d in r.diagnostics]
    files = sum(1 for r in results if r.diagnostics)
    checked = checked if checked is not None else sum(1 for r in results if r.error is None)
    if not diags:
        return f"全部通过：检查了 {checked} 个文件，没有发现问题。"
    fam = Counter(family_of(d.code) for d in diags)
    by_family = "，".join(f"{family_name(f)} {f} {fam[f]}" for f in families(fam) if fam[f])
    fixable = sum(1 for d in diags if d.fix and d.fix.applicability.value == "safe")
    unsafe = sum(1 for d in diags if d.fix and d.fix.applicability.value == "unsafe")
    tail = ""
    if fixable:
        tail += f"；{fixable} 个可用 --fix 自动修复"
    if unsafe:
        tail += f"；另有 {unsafe} 个可用 --unsafe-fixes 修复"
    return f"共发现 {len(diags)} 个问题（{files} 个文件，共检查 {checked} 个）：{by_family}{tail}。"
