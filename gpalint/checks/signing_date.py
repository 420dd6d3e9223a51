"""kind = "signing-date": the 落款 (issuer line and date line at the end of the report) against the report year.

Parameters: ``aspect`` = "late" (after the publication deadline of the issuer's kind) | "early" (before the
report year has ended) | "issuer" (the 落款 names another agency than the title: see ``other_agency``) |
"undated" (the report ends with an issuer line and no date); for "issuer" and "undated", ``issuer`` = a regex an
issuer line matches (the line above a date may be the report's last sentence); for "late", ``deadlines`` = a list of {issuer = regex on the issuer line (or the title),
month, day, basis}: the first whose issuer matches applies; the deadline is that day of the year after the report
year; an entry without month/day means no national deadline. Message fields: {date}, {deadline}, {basis}, {issuer},
{year}, {agency} (the title's).
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from ..cjk import DIGITS, HAN, NUMERAL, ZEROS, chinese_value, digits_value
from ..model import Diagnostic
from ..report import Report
from ..rules import Rule
from .base import CheckKind, CheckTable, Context, TextPattern, diagnostic

ASPECTS = ("late", "early", "issuer", "undated")
# the agency a title names before its year: 「某县财政局2024年度政府信息公开工作年度报告」
_TITLE_AGENCY = re.compile(rf"^[#\s]*(?P<agency>(?:{HAN}|[（）()]){{2,40}}?)\s*(?:\d{{4}}|[{ZEROS}{DIGITS[1:]}]{{4}})\s*年度?\s*"
                           rf"政\s*府\s*信\s*息\s*公\s*开")
# endings that say nothing about which agency it is (a 镇 signs as 「某镇人民政府」 and titles as 「某镇」)
_GENERIC_ENDING = re.compile(r"(?:人民政府|办事处)$")
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
    issuer: TextPattern | None  # "issuer", "undated": what an issuer line looks like


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
    aspect = table.choice("aspect", ASPECTS)
    deadlines = tuple(_deadline(table, f"deadlines[{i}]", d) for i, d in enumerate(table.value("deadlines", list, [])))
    if aspect == "late" and not deadlines:
        raise table.error("deadlines", "aspect = \"late\" 需要至少一个期限")
    issuer = table.optional_pattern("issuer")
    if aspect in ("issuer", "undated") and issuer is None:
        raise table.error("issuer", f"aspect = \"{aspect}\" 需要落款单位一行的正则表达式")
    table.done()
    return Params(aspect, deadlines, issuer)


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


def title_agency(report: Report) -> str | None:
    """The agency the title names before the year, without spaces; None when the title does not start with one."""
    t = report.outline.title
    m = _TITLE_AGENCY.match(report.blocks[t.index].text) if t else None
    return "".join(m.group("agency").split()) if m else None


def other_agency(title: str, issuer: str) -> bool:
    """Whether the 落款 ``issuer`` names another agency than ``title``: once the two names' common beginning and
    ending are set aside (and 人民政府/办事处, which a title often leaves out), neither rest is the other shortened
    (its characters in order) — 「大口镇」 and 「酒后镇」, 「河园镇」 and 「易俗河镇」, 「某市财政局」 and 「某市教育局」,
    but not 「湘潭县易俗河镇」 and 「易俗河镇人民政府」, 「管委会」 and 「管理委员会」, 「市场监管局」 and
    「市场监督管理局」."""
    a, b = (_GENERIC_ENDING.sub("", "".join(x.split())) for x in (title, issuer))
    if not a or not b or a in b or b in a:
        return False
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    a, b = a[n:], b[n:]
    n = 0
    while n < min(len(a), len(b)) and a[-1 - n] == b[-1 - n]:
        n += 1
    a, b = a[:len(a) - n], b[:len(b) - n]
    return bool(a) and bool(b) and not _shortened(a, b) and not _shortened(b, a)


def _shortened(short: str, full: str) -> bool:
    """Whether ``short`` is ``full`` with characters left out (发改委 of 发展和改革委员会)."""
    rest = iter(full)
    return all(ch in rest for ch in short)


def _undated(report: Report, issuer: TextPattern) -> int | None:
    """The index of the last body block when it is an issuer line (and so the 落款 has no date), else None."""
    last = next((i for i in range(len(report.blocks) - 1, -1, -1) if report.blocks[i].cell is None
                 and report.blocks[i].text.strip()), None)
    if last is None or (report.outline.title and report.outline.title.index == last):
        return None
    text = report.blocks[last].text.strip()
    return last if len(text) <= 40 and issuer.search(text) else None


def run(rule: Rule, params: Params, context: Context) -> Iterator[Diagnostic]:
    report = context.report
    if params.aspect == "undated":
        if params.issuer is not None and find_signature(report) is None:
            i = _undated(report, params.issuer)
            if i is not None:
                block = report.blocks[i]
                yield diagnostic(rule, context, block.location(), issuer=block.text.strip(), year=report.year or "")
        return
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
    if params.aspect == "issuer":
        agency = title_agency(report)
        if agency and params.issuer is not None and params.issuer.search(issuer) and other_agency(agency, issuer):
            at = report.blocks[i - 1]
            yield diagnostic(rule, context, at.location(), date=date, year=year, issuer=issuer, agency=agency)
        return
    title = report.blocks[report.outline.title.index].text if report.outline.title else ""
    for dl in params.deadlines:
        if dl.issuer.search(issuer) or (not issuer and dl.issuer.search(title)):
            if dl.month is not None and dl.day is not None and (y, m, d) > (year + 1, dl.month, dl.day):
                yield diagnostic(rule, context, loc, date=date, deadline=f"{year + 1}年{dl.month}月{dl.day}日",
                                 basis=dl.basis, issuer=issuer or "本机关", year=year)
            return


KIND = CheckKind("signing-date", prepare, run, ("date", "deadline", "basis", "issuer", "year", "agency"),
                 "落款：日期晚于公布期限、早于年度结束，单位与标题不符，有单位没有日期")
