"""A self-contained HTML review page (inline CSS, no script): the totals first, then one table per file, so a
reviewer going through hundreds of reports sees at once which need attention and can jump to them."""
from __future__ import annotations

from collections import Counter
from html import escape

import gpalint

from ..model import Applicability, Diagnostic, FileResult, Severity
from ..rules import Rule, families, family_name, family_of

SEVERITIES = (Severity.ERROR, Severity.WARNING, Severity.INFO)
APPLICABILITY = {Applicability.SAFE: "安全", Applicability.UNSAFE: "不安全，需 --unsafe-fixes"}

CSS = """
body{font-family:system-ui,"PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif;margin:2em auto;
max-width:70em;padding:0 1em;color:#222;line-height:1.5}
h1{font-size:1.6em}h2{margin-top:2em;border-bottom:1px solid #ccc}h3{font-size:1.1em;margin-top:1.5em}
table{border-collapse:collapse;width:100%;margin:.5em 0}th,td{border:1px solid #ddd;padding:.3em .5em;
text-align:left;vertical-align:top}th{background:#f4f4f4;white-space:nowrap}
.n{text-align:right;font-variant-numeric:tabular-nums}
.z{color:#bbb}
.error{color:#b00020}.warning{color:#8a5a00}.info{color:#0b5394}.ok{color:#1b7f3b}
tr.sev-error td:first-child{border-left:4px solid #b00020}tr.sev-warning td:first-child{border-left:4px solid #e0a000}
tr.sev-info td:first-child{border-left:4px solid #4a90d9}
.ctx,.hint,.fix{font-size:.9em;color:#555}.code{font-family:ui-monospace,monospace;white-space:nowrap}
.meta{color:#555}table.d{table-layout:fixed}table.d th:nth-child(1){width:9em}
table.d th:nth-child(2){width:5em}table.d th:nth-child(3){width:4em}a{color:#0b5394}
@media print{a{color:inherit;text-decoration:none}}
"""


def _n(count: int, tag: str = "td") -> str:
    # zeros greyed out, so the few non-zero cells stand out in a long table
    return f'<{tag} class="n{" z" if count == 0 else ""}">{count}</{tag}>'


def _counts(diagnostics: list[Diagnostic]) -> Counter:
    return Counter(Severity(d.severity) for d in diagnostics)


def _summary(results: list[FileResult]) -> list[str]:
    by_family = Counter((family_of(d.code), Severity(d.severity)) for r in results for d in r.diagnostics)
    head = "".join(f"<th>{s.label}</th>" for s in SEVERITIES)
    rows = [f"<table><thead><tr><th>族</th>{head}<th>合计</th></tr></thead><tbody>"]
    shown = families(f for f, _ in by_family)
    for family in shown:
        cells = [by_family[(family, s)] for s in SEVERITIES]
        rows.append(f"<tr><td>{family} {escape(family_name(family))}</td>" + "".join(_n(c) for c in cells) + _n(sum(cells)) + "</tr>")
    totals = [sum(by_family[(f, s)] for f in shown) for s in SEVERITIES]
    rows.append("<tr><th>合计</th>" + "".join(_n(c, "th") for c in totals) + _n(sum(totals), "th")
                + "</tr></tbody></table>")
    return rows


def _files(results: list[FileResult]) -> list[str]:
    head = "".join(f"<th>{s.label}</th>" for s in SEVERITIES)
    rows = [f"<table><thead><tr><th>文件</th>{head}<th>状态</th></tr></thead><tbody>"]
    for i, r in enumerate(results):
        counts = _counts(r.diagnostics)
        if r.error:
            status = f'<span class="error">{escape(r.error)}</span>'
        elif r.diagnostics:
            worst = next(s for s in SEVERITIES if counts[s])
            status = f'<span class="{worst.value}">{len(r.diagnostics)} 个问题</span>'
        else:
            status = '<span class="ok">通过</span>'
        name = f'<a href="#f{i}">{escape(r.path)}</a>' if (r.error or r.diagnostics) else escape(r.path)
        rows.append(f"<tr><td>{name}</td>" + "".join(_n(counts[s]) for s in SEVERITIES)
                    + f"<td>{status}</td></tr>")
    rows.append("</tbody></table>")
    return rows


def _details(i: int, r: FileResult, rules: dict[str, Rule]) -> list[str]:
    out = [f'<h3 id="f{i}">{escape(r.path)}</h3>',
           '<table class="d"><thead><tr><th>位置</th><th>代码</th><th>级别</th><th>说明</th></tr></thead><tbody>']
    if r.error:
        out.append('<tr class="sev-error"><td>—</td><td>—</td><td class="error">无法检查</td>'
                   f"<td>{escape(r.error)}</td></tr>")
    for d in r.diagnostics:
        sev = Severity(d.severity)
        rule = rules.get(d.code)
        title = f' title="{escape(rule.summary)}"' if rule else ""
        text = [escape(d.message)]
        detail = d.location.detail()
        if detail:
            text.append(f'<div class="ctx">位置：{escape(detail)}</div>')
        if d.hint:
            text.append(f'<div class="hint">提示：{escape(d.hint)}</div>')
        if d.fix is not None:
            text.append(f'<div class="fix">可自动修复（{APPLICABILITY[d.fix.applicability]}）：{escape(d.fix.message)}</div>')
        out.append(f'<tr class="sev-{sev.value}"><td>{escape(d.where(words=True))}</td>'
                   f'<td class="code"{title}>{escape(d.code)}</td>'
                   f'<td class="{sev.value}">{sev.label}</td><td>{"".join(text)}</td></tr>')
    out.append("</tbody></table>")
    return out


def _legend(results: list[FileResult], rules: dict[str, Rule]) -> list[str]:
    codes = sorted({d.code for r in results for d in r.diagnostics} & set(rules))
    if not codes:
        return []
    out = ["<h2>出现的规则</h2>", "<table><thead><tr><th>代码</th><th>名称</th><th>要求</th></tr></thead><tbody>"]
    out += [f'<tr><td class="code">{escape(c)}</td><td>{escape(rules[c].name)}</td>'
            f"<td>{escape(rules[c].summary)}</td></tr>" for c in codes]
    out.append("</tbody></table>")
    return out


def render(results: list[FileResult], rules: dict[str, Rule]) -> str:
    with_problems = sum(1 for r in results if r.diagnostics)
    unreadable = sum(1 for r in results if r.error)
    clean = len(results) - sum(1 for r in results if r.diagnostics or r.error)
    version = escape(str(getattr(gpalint, "__version__", "0")))
    parts = ["<!DOCTYPE html>", '<html lang="zh-CN"><head><meta charset="utf-8">',
             '<meta name="viewport" content="width=device-width, initial-scale=1">',
             f"<title>gpalint 检查结果</title><style>{CSS}</style></head><body>",
             "<h1>政府信息公开工作年度报告检查结果</h1>",
             f'<p class="meta">gpalint {version}：共检查 {len(results)} 个文件，{with_problems} 个有问题，'
             f"{unreadable} 个无法检查，{clean} 个通过。</p>",
             "<h2>问题汇总</h2>", *_summary(results), "<h2>文件</h2>", *_files(results)]
    flagged = [(i, r) for i, r in enumerate(results) if r.error or r.diagnostics]
    if flagged:
        parts.append("<h2>问题明细</h2>")
        for i, r in flagged:
            parts += _details(i, r, rules)
    parts += _legend(results, rules)
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"
