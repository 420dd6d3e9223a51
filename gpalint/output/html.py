"""--format html: the review page, one self-contained file a reviewer can send around (no network: inline CSS, the
system's Chinese fonts, one small inline script whose hash the page's Content-Security-Policy names, so nothing
else can run even if a report's text got through).

- An overview of all reports, worst first: agency, report year, template, counts of errors, warnings and notes and,
  apart, of typography (G) findings; then the files that could not be checked (E000) and those skipped, with why.
- Per report: the findings, errors first, filterable by family and severity (checkboxes; ``#only=T,G,error`` in
  the address sets them for every report), each with its location, the quoted text, and the rule's explanation in
  a collapsible ``<details>``; then the three tables as gpalint read them (FileResult.readout): a faulty cell shows
  the found value struck through beside the expected one and links to its finding, a cell gpalint could not read
  is marked as such.

Report text is hostile input: every piece of it goes through ``_e`` (control and bidirectional characters made
visible by ``printable``, then HTML-escaped), and none of it goes into the script.
"""
from __future__ import annotations

import base64
import hashlib
from collections import Counter
from html import escape

import gpalint

from ..model import Applicability, Diagnostic, FileResult, Severity
from ..readers.html import GENERATOR
from ..rules import Rule, families, family_name, family_of
from . import printable
from .readout import cell_position, split_header
from .text import SEVERITIES, ordered

APPLICABILITY = {Applicability.SAFE: "安全", Applicability.UNSAFE: "不安全，需 --unsafe-fixes"}
TYPOGRAPHY = "G"  # the family counted apart in the overview: many, minor, mostly fixable
QUOTE_AROUND = 12  # characters of the line shown on each side of the faulty text

FONTS = ('"PingFang SC","Hiragino Sans GB","Microsoft YaHei","Noto Sans CJK SC","Source Han Sans SC",'
         '"WenQuanYi Micro Hei",system-ui,sans-serif')
CSS = f"body{{font-family:{FONTS}}}" + """
body{margin:2em auto;max-width:80em;padding:0 1em;color:#222;line-height:1.5}
h1{font-size:1.6em}h2{margin-top:2.2em;border-bottom:2px solid #ccc}h3{font-size:1.1em;margin-top:1.5em}
table{border-collapse:collapse;margin:.5em 0}th,td{border:1px solid #ccc;padding:.25em .5em;text-align:left;
vertical-align:top}th{background:#f4f4f4;white-space:nowrap}table.wide{width:100%}
.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}.z{color:#bbb}
.error{color:#b00020}.warning{color:#8a5a00}.info{color:#0b5394}.ok{color:#1b7f3b}
.meta,.path{color:#555}.path{font-size:.9em;word-break:break-all}a{color:#0b5394}
.code{font-family:ui-monospace,"Noto Sans Mono CJK SC",monospace;white-space:nowrap}
.filters{display:none;gap:1.5em;flex-wrap:wrap;align-items:center;background:#f7f7f7;padding:.4em .8em;
border-radius:4px}.js .filters{display:flex}.filters label{margin-right:.6em;white-space:nowrap}
ol.findings{list-style:none;padding:0}li.finding{border-left:4px solid #999;padding:.3em .8em;margin:.4em 0;
background:#fcfcfc}li.sev-error{border-color:#b00020}li.sev-warning{border-color:#e0a000}
li.sev-info{border-color:#4a90d9}li.finding:target{background:#fff6d5}
.head{display:flex;gap:.8em;flex-wrap:wrap}.where{color:#555}
.quote{font-size:.95em;background:#f1f1f1;padding:.1em .4em;margin:.2em 0;white-space:pre-wrap}
.quote mark{background:#ffd54f}.hint,.fix,.ctx{font-size:.9em;color:#555}
details{font-size:.9em;color:#333;margin-top:.2em}details summary{cursor:pointer;color:#0b5394}
table.grid{font-size:.85em}table.grid th.row{font-weight:normal;max-width:28em}table.grid th.sub{padding-left:1.5em}
table.grid tr.group th{background:#eaeaea}
td.blank{color:#999}td.faulty{background:#fde2e4;outline:2px solid #b00020;outline-offset:-2px}
td.faulty del{color:#b00020}td.faulty ins{text-decoration:none;font-weight:bold;color:#1b7f3b}
td.unreadable{background:repeating-linear-gradient(45deg,#fff3cd,#fff3cd 4px,#ffe8a1 4px,#ffe8a1 8px)}
td.missing{background:#eee;color:#999}.tag{font-size:.75em;color:#8a5a00;display:block}
.legend span{display:inline-block;padding:0 .5em;margin-right:.8em;border:1px solid #ccc}
@media print{a{color:inherit;text-decoration:none}.filters{display:none!important}}
"""

# No report text in here: it reads the checkboxes and data-* attributes the page was written with.
SCRIPT = """
document.documentElement.className='js';
function gpaApply(form){
  var on={family:{},severity:{}};
  form.querySelectorAll('input').forEach(function(i){on[i.name][i.value]=i.checked;});
  var shown=0,all=0;
  document.getElementById(form.getAttribute('data-for')).querySelectorAll('li.finding').forEach(function(li){
    var show=on.family[li.getAttribute('data-family')]&&on.severity[li.getAttribute('data-severity')];
    li.hidden=!show;all++;if(show)shown++;});
  form.querySelector('output').textContent='显示 '+shown+' / '+all;
}
function gpaFromAddress(){
  var m=/^#only=([A-Za-z,]*)$/.exec(location.hash);if(!m)return;
  var want=m[1].split(',').filter(Boolean);
  var fam=want.filter(function(w){return /^[A-Z]+$/.test(w);}),sev=want.filter(function(w){return /^[a-z]+$/.test(w);});
  document.querySelectorAll('form.filters').forEach(function(f){
    f.querySelectorAll('input').forEach(function(i){
      var list=i.name==='family'?fam:sev;i.checked=!list.length||list.indexOf(i.value)>=0;});
    gpaApply(f);});
}
document.addEventListener('DOMContentLoaded',function(){
  document.querySelectorAll('form.filters').forEach(function(f){
    f.addEventListener('change',function(){gpaApply(f);});gpaApply(f);});
  gpaFromAddress();
});
window.addEventListener('hashchange',gpaFromAddress);
"""
SCRIPT_HASH = base64.b64encode(hashlib.sha256(SCRIPT.encode("utf-8")).digest()).decode("ascii")
CSP = f"default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-{SCRIPT_HASH}'"


def _e(text: object) -> str:
    """Report text as HTML: control characters shown as escapes, markup characters escaped (quotes too)."""
    return escape(printable(str(text)))


def _n(count: int, tag: str = "td") -> str:
    # zeros greyed out, so the few non-zero cells stand out in a long table
    return f'<{tag} class="n{" z" if count == 0 else ""}">{count}</{tag}>'


def _counts(r: FileResult) -> tuple[int, int, int, int]:
    """(errors, warnings, notes, typography): the first three leave the G findings out, the last counts them."""
    by = Counter(Severity(d.severity) for d in r.diagnostics if family_of(d.code) != TYPOGRAPHY)
    return by[Severity.ERROR], by[Severity.WARNING], by[Severity.INFO], sum(family_of(d.code) == TYPOGRAPHY
                                                                          for d in r.diagnostics)


# ── overview ─────────────────────────────────────────────────────────────────────────────────────────

def _overview(checked: list[tuple[int, FileResult]]) -> list[str]:
    section_of = {r.path: i for i, r in checked}
    rows = ['<table class="wide"><thead><tr><th>报告</th><th>单位</th><th>年度</th><th>模板</th><th>上年报告</th>'
            '<th>错误</th><th>警告</th><th>提示</th><th>公文格式</th></tr></thead><tbody>']
    def worst_first(ir: tuple[int, FileResult]):
        errors, warnings, notes, typography = _counts(ir[1])
        return -errors, -warnings, -typography, -notes, ir[1].path

    for i, r in sorted(checked, key=worst_first):
        read = r.readout or {}
        cells = "".join(_n(c) for c in _counts(r))
        rows.append(f'<tr><td class="path"><a href="#f{i}">{_e(r.path)}</a></td><td>{_e(read.get("agency") or "—")}</td>'
                    f'<td>{_e(read.get("year") or "—")}</td><td>{_e(read.get("template") or "—")}</td>'
                    f'<td class="path">{_previous(r, section_of)}</td>{cells}</tr>')
    rows.append("</tbody></table>")
    return rows


def _previous(r: FileResult, section_of: dict[str, int]) -> str:
    """Last year's report of the same agency it was compared with (gpalint/years.py), linked when it is on the page."""
    if not r.previous:
        return "—"
    i = section_of.get(r.previous)
    return f'<a href="#f{i}">{_e(r.previous)}</a>' if i is not None else _e(r.previous)


def _not_checked(title: str, results: list[FileResult], note: str) -> list[str]:
    if not results:
        return []
    out = [f"<h3>{title}（{len(results)}）</h3>", f'<p class="meta">{note}</p>',
           '<table class="wide"><thead><tr><th>文件</th><th>原因</th></tr></thead><tbody>']
    out += [f'<tr><td class="path">{_e(r.path)}</td><td>{_e(r.error)}</td></tr>' for r in results]
    out.append("</tbody></table>")
    return out


def _by_family(results: list[FileResult]) -> list[str]:
    by_family = Counter((family_of(d.code), Severity(d.severity)) for r in results for d in r.diagnostics)
    head = "".join(f"<th>{s.label}</th>" for s in SEVERITIES)
    rows = [f"<table><thead><tr><th>族</th>{head}<th>合计</th></tr></thead><tbody>"]
    shown = families(f for f, _ in by_family)
    for family in shown:
        cells = [by_family[(family, s)] for s in SEVERITIES]
        rows.append(f"<tr><td>{_e(family)} {_e(family_name(family))}</td>" + "".join(_n(c) for c in cells)
                    + _n(sum(cells)) + "</tr>")
    totals = [sum(by_family[(f, s)] for f in shown) for s in SEVERITIES]
    rows.append("<tr><th>合计</th>" + "".join(_n(c, "th") for c in totals) + _n(sum(totals), "th")
                + "</tr></tbody></table>")
    return rows


# ── one report ───────────────────────────────────────────────────────────────────────────────────────

def _filters(i: int, diagnostics: list[Diagnostic]) -> str:
    present = Counter(family_of(d.code) for d in diagnostics)
    severities = Counter(Severity(d.severity) for d in diagnostics)
    fam = "".join(f'<label><input type="checkbox" name="family" value="{_e(f)}" checked> {_e(f)} '
                  f'{_e(family_name(f))}（{present[f]}）</label>' for f in families(present) if present[f])
    sev = "".join(f'<label><input type="checkbox" name="severity" value="{s.value}" checked> {s.label}'
                  f'（{severities[s]}）</label>' for s in SEVERITIES if severities[s])
    return (f'<form class="filters" data-for="list{i}"><span>族：{fam}</span><span>级别：{sev}</span>'
            f'<output>显示 {len(diagnostics)} / {len(diagnostics)}</output></form>')


def _quote(d: Diagnostic) -> str:
    """The faulty text marked within a little of its line (Diagnostic.line_text, padded to the location's
    column for text lines; a table cell's text as it stands)."""
    line, loc = d.line_text(), d.location
    if not line or not line.strip():
        return ""
    start = loc.column - 1
    end = loc.end_column - 1 if loc.end_column and loc.end_line in (None, loc.line) else len(line)
    if not 0 <= start < len(line) or end <= start:  # a cell's text, not padded to its column: quote it whole
        return f'<div class="quote">{_e(line.strip())}</div>'
    before = line[max(0, start - QUOTE_AROUND):start].lstrip()
    after = line[end:end + QUOTE_AROUND].rstrip()
    dots = ("…" if start - QUOTE_AROUND > 0 and before else "", "…" if end + QUOTE_AROUND < len(line) else "")
    return (f'<div class="quote">{dots[0]}{_e(before)}<mark>{_e(line[start:end])}</mark>{_e(after)}'
            f'{dots[1]}</div>')


def _rule_details(rule: Rule | None) -> str:
    if rule is None:
        return ""
    body = [f"<p>{_e(rule.summary)}</p>"]
    if rule.why:
        body.append(f"<p>{_e(rule.why)}</p>")
    if rule.source:
        body.append(f"<p>依据：{_e(rule.source)}</p>")
    for ex in rule.examples[:2]:
        pairs = [("错误示例", ex.get("bad")), ("正确示例", ex.get("good") or ex.get("fixed"))]
        body += [f'<p>{label}：<span class="quote">{_e(text)}</span></p>' for label, text in pairs if text]
    return f"<details><summary>规则说明：{_e(rule.code)} {_e(rule.name)}</summary>{''.join(body)}</details>"


def _finding(i: int, j: int, d: Diagnostic, rules: dict[str, Rule]) -> str:
    sev = Severity(d.severity)
    parts = [f'<div class="head"><span class="code">{_e(d.code)}</span><span class="{sev.value}">{sev.label}</span>'
             f'<span class="where">{_e(d.where(words=True))}</span></div>', f"<div>{_e(d.message)}</div>"]
    if d.location.context:
        parts.append(f'<div class="ctx">位置：{_e(d.location.context)}</div>')
    parts.append(_quote(d))
    if d.hint:
        parts.append(f'<div class="hint">提示：{_e(d.hint)}</div>')
    if d.fix is not None:
        parts.append(f'<div class="fix">可自动修复（{APPLICABILITY[d.fix.applicability]}）：{_e(d.fix.message)}</div>')
    parts.append(_rule_details(rules.get(d.code)))
    return (f'<li class="finding sev-{sev.value}" id="f{i}-d{j}" data-family="{_e(family_of(d.code))}" '
            f'data-severity="{sev.value}" title="{_e(d.where())}">{"".join(parts)}</li>')


def _report(i: int, r: FileResult, rules: dict[str, Rule]) -> list[str]:
    read = r.readout or {}
    name = " ".join(str(x) for x in (read.get("agency"), read.get("year") and f"{read['year']}年度") if x)
    out = [f'<section id="f{i}"><h2>{_e(name or r.path)}</h2>',
           f'<p class="path">{_e(r.path)}' + (f"　模板 {_e(read['template'])}" if read.get("template") else "")
           + (f"　上年报告 {_e(r.previous)}" if r.previous else "") + "</p>"]
    findings = ordered(r.diagnostics)
    ids = {id(d): f"f{i}-d{j}" for j, d in enumerate(findings)}
    if findings:
        out += [_filters(i, findings), f'<ol class="findings" id="list{i}">',
                *(_finding(i, j, d, rules) for j, d in enumerate(findings)), "</ol>"]
    else:
        out.append('<p class="ok">没有发现问题。</p>')
    if r.readout:
        at: dict[tuple, list[Diagnostic]] = {}
        for d in findings:
            loc = d.location
            at.setdefault(tuple(cell_position(loc.page, loc.line, loc.column)), []).append(d)
        for table in r.readout["tables"]:
            out += _table(f"f{i}-t{table['key']}", table, at, ids)
    out.append("</section>")
    return out


# ── the tables as read ───────────────────────────────────────────────────────────────────────────────

def _table(anchor: str, table: dict, at: dict, ids: dict) -> list[str]:
    out = [f'<h3 id="{_e(anchor)}">{_e(table["title"])} {_e(table["name"])}</h3>']
    if not table["found"]:
        return out + ['<p class="meta">报告中没有找到这张表。</p>']
    blocks: list[tuple[list[str], list[dict]]] = []  # consecutive rows with the same columns share a header
    pending: list[dict] = []  # heading rows (三、本年度办理结果) go with the rows that follow them
    for row in table["rows"]:
        if row["group"]:
            pending.append(row)
        elif blocks and blocks[-1][0] == row["columns"]:
            blocks[-1][1].extend([*pending, row])
            pending = []
        else:
            blocks.append((row["columns"], [*pending, row]))
            pending = []
    header = table["layout"] == "header"
    groups = {row["key"] for row in table["rows"] if row["group"]}
    for columns, rows in blocks:
        out.append('<table class="grid"><thead>' + _header(columns, with_label=not header) + "</thead><tbody>")
        for row in rows:
            if row["group"]:
                out.append(f'<tr class="group"><th colspan="{len(columns) + 1}">{_e(row["label"])}</th></tr>')
                continue
            # under its heading row a sub-row needs only its own label (1.属于国家秘密, not （三）不予公开1.…)
            own = row["parent"] in groups
            label = "" if header else f'<th class="row{" sub" if own else ""}">{_e(row["own" if own else "label"])}</th>'
            out.append(f"<tr>{label}{''.join(_cell(c, at, ids) for c in row['cells'])}</tr>")
        out.append("</tbody></table>")
    return out


def _header(columns: list[str], with_label: bool) -> str:
    """One header row, or two when the labels are 「group sub」 pairs (表四: 行政复议 结果维持 …)."""
    groups = [split_header(c) for c in columns]
    first = '<th rowspan="2"></th>' if with_label else ""
    if not any(g for g, _ in groups):
        return f"<tr>{'<th></th>' if with_label else ''}{''.join(f'<th>{_e(c)}</th>' for c in columns)}</tr>"
    spans: list[list] = []
    for g, _ in groups:
        if spans and spans[-1][0] == g:
            spans[-1][1] += 1
        else:
            spans.append([g, 1])
    top = "".join(f'<th colspan="{n}">{_e(g)}</th>' for g, n in spans)
    return f"<tr>{first}{top}</tr><tr>{''.join(f'<th>{_e(s)}</th>' for _, s in groups)}</tr>"


def _cell(cell: dict, at: dict, ids: dict) -> str:
    state = cell["state"]
    faulty = at.get(tuple(cell["at"])) if cell["at"] else None
    text = _e(cell["text"])
    if faulty:
        expected = next((d.expected for d in faulty if d.expected is not None), None)
        links = " ".join(f'<a class="code" href="#{ids[id(d)]}" title="{_e(d.message)}">{_e(d.code)}</a>'
                         for d in faulty)
        shown = text or "空"
        value = f"<del>{shown}</del> <ins>{_e(expected)}</ins>" if expected is not None else shown
        unread = "未能读取 " if state == "unreadable" else ""
        return f'<td class="n faulty">{value}<span class="tag">{unread}{links}</span></td>'
    if state == "ok":
        return f'<td class="n">{text}</td>'
    if state == "blank":
        return '<td class="n blank" title="报告中这一格为空">空</td>'
    if state == "missing":
        return '<td class="missing" title="报告中没有这一行">缺</td>'
    return (f'<td class="n unreadable" title="{_e(cell["problem"] or "未能读取")}">{text}'
            '<span class="tag">未能读取</span></td>')


LEGEND = ('<p class="legend">表格图例：<span>数值</span><span class="blank">空：报告中为空</span>'
          '<span style="background:#fde2e4">有问题：<del>实为</del> <b>应为</b></span>'
          '<span style="background:#fff3cd">未能读取</span><span style="background:#eee">缺：没有这一行</span></p>')


def render(results: list[FileResult], rules: dict[str, Rule], skipped: list[FileResult] | None = None,
           pairing: list[str] | None = None) -> str:
    """The review page; ``skipped``: files found beside the reports that are not reports; ``pairing``: how the
    reports were paired by agency and year (the text summary's lines)."""
    failed = [r for r in results if r.error]
    checked = [(i, r) for i, r in enumerate(results) if not r.error]
    with_problems = sum(1 for _, r in checked if r.diagnostics)
    version = escape(str(getattr(gpalint, "__version__", "0")))
    parts = ["<!DOCTYPE html>", '<html lang="zh-CN"><head><meta charset="utf-8">', GENERATOR,
             f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',
             '<meta name="viewport" content="width=device-width, initial-scale=1">',
             f"<title>gpalint 检查结果</title><style>{CSS}</style><script>{SCRIPT}</script></head><body>",
             "<h1>政府信息公开工作年度报告检查结果</h1>",
             f'<p class="meta">gpalint {version}：共检查 {len(results)} 个文件，{with_problems} 个有问题，'
             f"{len(failed)} 个无法检查，{len(checked) - with_problems} 个通过"
             + (f"；另跳过 {len(skipped)} 个不是报告的文件" if skipped else "") + "。</p>",
             "<h2>总览</h2>", '<p class="meta">按问题严重程度排序；「公文格式」是 G 族问题，不计入前三列。</p>',
             *_overview(checked), *(f'<p class="meta">{_e(line)}</p>' for line in pairing or ()),
             *_not_checked("无法检查的文件", failed, "这些文件没有检查（代码 E000）：请按原因处理后重新检查。"),
             *_not_checked("已跳过的文件", skipped or [], "目录中找到、但不是政府信息公开工作年度报告的文件。"),
             "<h2>问题汇总</h2>", *_by_family(results), LEGEND]
    for i, r in checked:
        parts += _report(i, r, rules)
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"
