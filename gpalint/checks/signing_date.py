"""kind = "signing-date": the 落款 (issuer line and date line at the end of the report) against the report year.

Parameters: ``aspect`` = "late" (after the publication deadline of the issuer's kind) | "early" (before the
report year has ended); for "late", ``deadlines`` = a list of {issuer = regex on the issuer line (or the title),
month, day, basis}: the first whose issuer matches applies; the deadline is that day of the year after the report
year; an entry without month/day means no national deadline. Message fields: {date}, {deadline}, {basis}, {issuer}, {year}.
"""
from __future__ import annotations

import re

from ..cjk import chinese_value, digits_value
from ..tomlfile import RuleFileError
from .base import diagnostic, param

_DATE = re.compile(r"^\s*(?P<y>\d{4}|[〇○零O０一二三四五六七八九]{4})\s*年\s*(?P<m>\d{1,2}|[一二三四五六七八九十]{1,3})\s*月"
                   r"\s*(?P<d>\d{1,2}|[一二三四五六七八九十]{1,3})\s*日\s*$")


def _number(text: str) -> int | None:
    if text.isdigit():
        return int(text)
    if len(text) == 4:  # a year written digit by digit: 二〇二五
        return digits_value(text)
    return chinese_value(text)  # 十, 十二, 二十, 二十一, 三十一


def prepare(rule):
    aspect = param(rule, "aspect", str, choices=("late", "early"))
    deadlines = []
    for i, d in enumerate(param(rule, "deadlines", list, [])):
        try:
            month, day = (int(d["month"]), int(d["day"])) if "month" in d else (None, None)  # None: no deadline
            deadlines.append((re.compile(d["issuer"]), month, day, d.get("basis", "")))
        except (KeyError, TypeError, ValueError, re.error) as exc:
            raise RuleFileError(rule.path, f"check.deadlines[{i}]", f"应为 {{issuer, month, day, basis}}：{exc}") from None
    if aspect == "late" and not deadlines:
        raise RuleFileError(rule.path, "check.deadlines", "aspect = \"late\" 需要至少一个期限")
    return {"aspect": aspect, "deadlines": deadlines}


def find_signature(report):
    """(date block index, (year, month, day), issuer text) of the 落款, or None."""
    blocks = report.doc.blocks
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


def run(rule, params, report):
    found = find_signature(report)
    year = report.year
    if found is None or year is None:
        return
    i, (y, m, d), issuer = found
    block = report.doc.blocks[i]
    loc = block.location(len(block.text) - len(block.text.lstrip()), len(block.text.rstrip()))
    date = f"{y}年{m}月{d}日"
    if params["aspect"] == "early":
        if (y, m, d) <= (year, 12, 31):
            yield diagnostic(rule, report, loc, date=date, year=year, issuer=issuer)
        return
    title = report.doc.blocks[report.outline.title.index].text if report.outline.title else ""
    for pattern, month, day, basis in params["deadlines"]:
        if pattern.search(issuer) or (not issuer and pattern.search(title)):
            if month is not None and (y, m, d) > (year + 1, month, day):
                yield diagnostic(rule, report, loc, date=date, deadline=f"{year + 1}年{month}月{day}日", basis=basis,
                                 issuer=issuer or "本机关", year=year)
            return
