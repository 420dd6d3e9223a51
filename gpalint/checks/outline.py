"""kind = "outline": the six sections — missing, out of order, duplicated, wrongly numbered, worded differently, or
all of them again (a second series 一 … 六 in the body: the report pasted twice).

Parameters: ``aspect`` = "missing" | "order" | "duplicate" | "numbering" | "wording" | "series". A second full
series is reported once, by "series"; its headings are not "duplicate" findings as well.
Message fields: {key} {title} {expected} (the template heading), {found} (as written), {previous}; {cut} ("missing"):
for the sections missing at the end of a file that breaks off in mid-sentence (Report.cut), 「（文件在此中断：…）」,
else empty.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from ..model import Diagnostic, Edit, Fix, Location
from ..report import Report
from ..report.outline import Heading
from ..rules import Rule
from .base import CheckKind, CheckTable, Context, diagnostic

ASPECTS = ("missing", "order", "duplicate", "numbering", "wording", "series")
_CUT_QUOTE = 12  # characters of the unfinished last paragraph a finding quotes


@dataclass(frozen=True, slots=True)
class Params:
    aspect: str


def prepare(rule: Rule) -> Params:
    table = CheckTable(rule)
    params = Params(table.choice("aspect", ASPECTS))
    table.done()
    return params


def run(rule: Rule, params: Params, context: Context) -> Iterator[Diagnostic]:
    report = context.report
    aspect, outline, blocks = params.aspect, report.outline, report.blocks
    order = [s.key for s in report.template.sections]
    if aspect == "missing":
        missing = [spec for spec in report.template.sections if spec.key not in outline.sections]
        present = [order.index(k) for k in outline.sections]
        # the sections missing after the last one present: the report stops there (a file cut short, or never
        # finished) — one cause, one finding that names them all, at the end of the text
        trailing = [spec for spec in missing if order.index(spec.key) > max(present, default=-1)]
        at_end = blocks[-1].location() if blocks else Location(1)
        # a file that breaks off in mid-sentence (Report.cut) is said to, at the place it stops
        cut = f"（文件在此中断：最后一段「…{blocks[-1].text.strip()[-_CUT_QUOTE:]}」没有结束，其后的内容未能检查）" \
            if report.cut else ""
        for spec in missing:
            if len(trailing) > 1 and spec in trailing:
                continue
            later = [h for h in outline.headings if order.index(h.spec.key) > order.index(spec.key)]
            loc = blocks[later[0].index].location() if later else at_end
            yield diagnostic(rule, context, loc, key=spec.key, title=spec.title, expected=spec.heading,
                             cut=cut if spec in trailing else "")
        if len(trailing) > 1:
            keys = f"{trailing[0].key}至{trailing[-1].key}" if len(trailing) > 2 else "、".join(s.key for s in trailing)
            yield diagnostic(rule, context, at_end, key=keys, title="、".join(s.title for s in trailing),
                             expected="」「".join(s.heading for s in trailing), cut=cut)
    elif aspect == "order":
        highest = None
        for h in outline.headings:
            if outline.sections[h.spec.key].heading is not h:
                continue  # a duplicate; reported by its own rule
            if highest is not None and order.index(h.spec.key) < order.index(highest.spec.key):
                yield diagnostic(rule, context, blocks[h.index].location(), key=h.spec.key,
                                 found=_written(h), expected=h.spec.heading, previous=_written(highest))
            elif highest is None or order.index(h.spec.key) > order.index(highest.spec.key):
                highest = h
    elif aspect == "series":
        series = second_series(report)
        if series is not None:
            h, first = outline.headings[series], outline.sections[order[0]].heading
            yield diagnostic(rule, context, blocks[h.index].location(), key=h.spec.key, found=_written(h),
                             expected=h.spec.heading,
                             previous=blocks[first.index].location().where(report.doc.path, words=True))
    elif aspect == "duplicate":
        series = second_series(report)
        repeated = range(series, series + len(order)) if series is not None else range(0)
        for n, h in enumerate(outline.headings):
            first = outline.sections[h.spec.key].heading
            if first is not h and n not in repeated:
                yield diagnostic(rule, context, blocks[h.index].location(), key=h.spec.key, found=_written(h),
                                 expected=h.spec.heading,
                                 previous=context.place(blocks[first.index]).where(report.doc.path, words=True))
    elif aspect == "numbering":
        for h in outline.headings:
            expected = f"{h.spec.key}、"
            if h.numbering == expected:
                continue
            b = blocks[h.index]
            start = len(b.text) - len(b.text.lstrip(" \t\u3000#*_"))  # the number, after any Markdown marks
            end = b.text.find(h.title[:2], start) if h.numbering else start  # a split title: its start
            loc = b.location(start, end if end > start else start)
            fix = None
            if rule.fix and end >= start:
                fix = Fix(rule.fix, f"改为「{expected}」", (Edit(loc, expected),))
            yield diagnostic(rule, context, loc, fix, key=h.spec.key, found=h.numbering or "（无编号）",
                             expected=expected, title=h.spec.title)
    elif aspect == "wording":
        for h in outline.headings:
            if h.match == "exact":
                continue
            b = blocks[h.index]
            start = b.text.find(h.title)
            loc = b.location(max(start, 0), max(start, 0) + len(h.title))
            fix = Fix(rule.fix, f"改为「{h.spec.title}」", (Edit(loc, h.spec.title),)) if rule.fix else None
            yield diagnostic(rule, context, loc, fix, key=h.spec.key, found=h.title, expected=h.spec.title,
                             title=h.spec.title)


def second_series(report: Report) -> int | None:
    """Where in the outline's headings a second full series of the template's sections starts — 一、 again after the
    first 一、, then every other section in order (a report pasted twice) — or None. Sub-items of a section that
    echo the section titles are not headings at all (see report/outline.py)."""
    order = [s.key for s in report.template.sections]
    outline = report.outline
    first = outline.sections.get(order[0])
    for p, h in enumerate(outline.headings):
        if h.spec.key != order[0] or first is None or first.heading is h:
            continue
        run = [h]
        for g in outline.headings[p + 1:]:
            if order.index(g.spec.key) != order.index(run[-1].spec.key) + 1:
                break
            run.append(g)
        if len(run) == len(order):
            return p
    return None


def _written(h: Heading) -> str:
    return f"{h.numbering}{h.title}"


KIND = CheckKind("outline", prepare, run, ("key", "title", "expected", "found", "previous", "cut"),
                 "六个部分：缺少、次序、重复、编号、措辞、第二套编号")
