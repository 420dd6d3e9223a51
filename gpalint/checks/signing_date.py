"""kind = "signing-date": the 落款 (issuer line and date line at the end of the report) against the report year.

Parameters: ``aspect`` = "late" (after the publication deadline of the issuer's kind) | "early" (before the
report year has ended); for "late", ``deadlines`` = a list of {issuer = regex on the issuer line (or the title),
month, day, basis}: the first whose issuer matches applies; the deadline is that day of the year after the report
year; an entry without month/day means no national deadline. Message fields: {date}, {deadline}, {basis}, {issuer}, {year}.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from ..cjk import DIGITS, NUMERAL, ZEROS, chinese_value, digits_value
from ..model import Diagnostic
from ..report import Report
from ..rules import Rule
from .base import CheckKind, CheckTable, Context, TextPattern, diagnostic

_DATE = re.compile(rf"^\s*(?P<y>\d{{4}}|[{ZEROS}{DIGITS[1:]}]{{4}})\s*年\s*(?P<m>\d{{1,2}}|{NUMERAL}{{1,3}})\s*月"
                   rf"\s*(?P<d>\d{{1,2}}|{NUMERAL}{{1,3}})\s*日\s*$")


def _number(text: str) -> int | None:
    if text.isdigit():
        return int(text)
    if len(text) == 4:  # a year written digit by digit: 二〇二五
        return digits_value(text)
    return chinese_value(text)  # 十, 十二, 二十, 二十一, 三十一


@dataclass(frozen=True, slots=True)
class Deadline:
    issuer: TextPattern  # on the issuer line (or the title)
    month: int | None  # None: no national deadline for this kind of issuer
    day: int | None
    basis: str


@dataclass(frozen=True, slots=True)
class Params:
    aspect: str
    deadlines: tuple[Deadline, ...]


def _deadline(table: CheckTable, key: str, d: object) -> Deadline:
    if not isinstance(d, dict) or not isinstance(d.get("issuer"), str) or set(d) - {"issuer", "month", "day", "basis"}:
        raise table.error(key, "应为 {issuer, month, day, basis}")
    month, day = d.get("month"), d.get("day")
    if (month is None) != (day is None) or not all(v is None or (isinstance(v, int) and not isinstance(v, bool))
                                                   for v in (month, day)):
        raise table.error(key, "month 与 day 应同为整数，或同时省略（没有全国统一的期限）")
    if month is not None and day is not None and not (1 <= month <= 12 and 1 <= day <= 31):
        raise table.error(key, "month 应为 1 至 12，day 应为 1 至 31")
    basis = d.get("basis", "")
    if not isinstance(basis, str):
        raise table.error(f"{key}.basis", "类型应为 字符串")
    return Deadline(table.pattern(f"{key}.issuer", d["issuer"]), month, day, basis)


def prepare(rule: Rule) -> Params:
    table = CheckTable(rule)
    aspect = table.choice("aspect", ("late", "early"))
    deadlines = tuple(_deadline(table, f"deadlines[{i}]", d) for i, d in enumerate(table.value("deadlines", list, [])))
    if aspect == "late" and not deadlines:
        raise table.error("deadlines", "aspect = \"late\" 需要至少一个期限")
    table.done()
    return Params(aspect, deadlines)


def find_signature(report: Report) -> tuple[int, tuple[int, int, int], str] | None:
    """(date block index, (year, month, day), issuer text) of the 落款, or None."""
    blocks = report.blocks
    tail = [i for i in range(len(blocks) - 1, max(-1, len(blocks) - 6), -1) if blocks[i].cell is None]
    for i in tail:
        m = _DATE.match(blocks[i].text)
        if not m:
            continue
        y, mo, d = _number(m.group("y")), _number(m.group("m")), _number(m.group("d"))
        if y is None or mo is None or d is None:
            return None
        date = (y, mo, d)
        issuer = blocks[i - 1].text.strip() if i > 0 and len(blocks[i - 1].text.strip()) <= 40 else ""
        return i, date, issuer
    return None


def run(rule: Rule, params: Params, context: Context) -> Iterator[Diagnostic]:
    report = context.report
    found = find_signature(report)
    year = report.year
    if found is None or year is None:
        return
    i, (y, m, d), issuer = found
    block = report.blocks[i]
    loc = block.location(len(block.text) - len(block.text.lstrip()), len(block.text.rstrip()))
    date = f"{y}年{m}月{d}日"
    if params.aspect == "early":
        if (y, m, d) <= (year, 12, 31):
            yield diagnostic(rule, context, loc, date=date, year=year, issuer=issuer)
        return
    title = report.blocks[report.outline.title.index].text if report.outline.title else ""
    for dl in params.deadlines:
        if dl.issuer.search(issuer) or (not issuer and dl.issuer.search(title)):
            if dl.month is not None and dl.day is not None and (y, m, d) > (year + 1, dl.month, dl.day):
                yield diagnostic(rule, context, loc, date=date, deadline=f"{year + 1}年{dl.month}月{dl.day}日",
                                 basis=dl.basis, issuer=issuer or "本机关", year=year)
            return


KIND = CheckKind("signing-date", prepare, run, ("date", "deadline", "basis", "issuer", "year"),
                 "落款日期与报告年度：晚于公布期限、早于年度结束")
