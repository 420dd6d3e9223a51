"""After the batch: pair each report with last year's report of the same agency, and run the rules that compare two
reports (the pair kinds: gpalint/checks/pair.py).

Every report checked in a batch comes back from its worker with a digest (FileResult.digest: the agency and year it
is paired by, the few table cells and the text sketches the pair rules compare, its suppressions), never its text:
the parent of a batch of 10,000 reports keeps digests only, and reads a report again only for a pair whose
sketches say its text may be copied.

Pairing: ``--previous LAST`` pairs the reports checked with LAST (read, not reported on); in a batch, a report of
year N is paired with the report of the same agency of year N−1. The agency is the title's (else the 落款's),
normalised (spaces, full/half width, 管理委员会/管委会, a trailing 人民政府 or 办事处 that one year writes and
another leaves out). Two reports of one agency for one year (the same report as .docx and .pdf, or a mistake)
pair with nothing: one note, never a guess. Another agency's report of the same year is compared with this one
only for the rules that say so (``against = "same-year"``), and only when an index of the sketches' hashes names
them as candidates, so a batch is not compared pair by pair.
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Protocol

from .checks.base import Check
from .checks.pair import PairContext, Side, part
from .document import Document
from .engine import Engine, Options
from .model import Diagnostic, FileResult, InputError, Location
from .output import display_path
from .report import Report
from .report.template import norm
from .suppress import Suppression, apply

MAX_POSTING = 50  # a sampled shingle more reports share than this is boilerplate, no evidence of one copy
MIN_SHARED = 4  # sampled shingles two reports must share to be compared at all
_ENDING = re.compile(r"(?:人民政府|办事处)$")


def agency_key(name: str | None) -> str | None:
    """The agency as reports are paired by: 「平潭综合实验区管理委员会」 and 「平潭综合实验区管委会」 alike."""
    if not name:
        return None
    key = _ENDING.sub("", norm(name).replace("管理委员会", "管委会"))
    return key or None


@dataclass(slots=True)
class Outcome:
    """What the batch's pairs gave: findings per file path, the pairs (agency, last year's path, this year's path)
    and notes for the summary."""

    findings: dict[str, list[Diagnostic]] = field(default_factory=dict)
    pairs: list[tuple[str, str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def summary(self, results: list[FileResult]) -> list[str]:
        """「按单位和年度配对：A局 2023→2024」 and the notes, for the text summary."""
        years = {r.path: (r.digest or {}).get("year") for r in results}
        by_agency: dict[str, list[str]] = defaultdict(list)
        for agency, last, this in self.pairs:
            by_agency[agency or f"「{display_path(this)}」"].append(f"{years.get(last) or '?'}→{years.get(this) or '?'}")
        lines = []
        if by_agency:
            lines.append("按单位和年度配对：" + "；".join(f"{a} {'、'.join(p)}" for a, p in by_agency.items()))
        return lines + self.notes


class Batch(Protocol):
    """What the pairing needs of the run: each file's options and rules, and its report read again."""

    def options(self, path: str) -> Options: ...

    def engine(self, path: str) -> Engine: ...

    def load(self, path: str) -> Report | None: ...


class CommandBatch:
    """The files of one `gpalint check`: each with the options and the rules of its configuration."""

    def __init__(self, args) -> None:
        self.args = args

    def options(self, path: str) -> Options:
        from .runner import options_for
        return options_for(self.args, Path(path))[0]

    def engine(self, path: str) -> Engine:
        from .runner import engine_for, options_for
        return engine_for(options_for(self.args, Path(path))[1])

    def load(self, path: str) -> Report | None:
        from .readers import read
        from .report import analyse
        options = self.options(path)
        try:
            return analyse(read(path), options.template, options.year, self.engine(path).templates)
        except InputError:
            return None


def cross_check(env: Batch, results: list[FileResult], previous: FileResult | None = None) -> Outcome:
    """Pair ``results`` (each with its digest), run the pair rules, and return the findings; ``previous`` is the
    --previous file's result (with its digest), paired with each of ``results``."""
    out = Outcome()
    usable = [r for r in results if r.error is None and r.digest is not None]
    if previous is not None:
        pairs = [(r, previous) for r in usable if _explicit(r, previous, out)]
    else:
        pairs = _by_agency_and_year(usable, out)
    sides = {r.path: Side(r.path, r.digest or {}, partial(env.load, r.path))
             for r in [*usable, *([previous] if previous else [])]}
    for this, last in pairs:
        out.pairs.append((str((this.digest or {}).get("agency") or ""), last.path, this.path))
        _run(env, out, sides[this.path], sides[last.path], "previous")
        _forget(sides[this.path], sides[last.path])
    for a, b in _same_year_candidates(env, usable):
        _run(env, out, sides[a.path], sides[b.path], "same-year")
        _run(env, out, sides[b.path], sides[a.path], "same-year")
        _forget(sides[a.path], sides[b.path])
    for found in out.findings.values():
        found.sort(key=Diagnostic.sort_key)
    return out


def _forget(*sides: Side) -> None:
    """Drop the reports read again for a pair: the parent holds at most two at a time, never the batch's texts."""
    for side in sides:
        side.loaded.clear()


def read_previous(env: Batch, path: str) -> FileResult:
    """The --previous file checked for its digest only (its findings are not reported)."""
    try:
        options = env.options(path)
        options.digest = True
        result = env.engine(path).check_path(path, options)
    except InputError as exc:
        return FileResult(path, error=str(exc))
    if result.error is None:
        result.diagnostics = []
    return result


# ── pairing ───────────────────────────────────────────────────────────────────────────────────────────────────────

def _explicit(this: FileResult, last: FileResult, out: Outcome) -> bool:
    """--previous: paired, unless the years or the agencies say it is not last year's report of this agency."""
    mine, theirs = this.digest or {}, last.digest or {}
    shown = display_path(last.path)
    if mine.get("year") and theirs.get("year") and theirs["year"] != mine["year"] - 1:
        out.notes.append(f"未配对：--previous 给出的「{shown}」是 {theirs['year']} 年度的报告，"
                         f"不是「{display_path(this.path)}」（{mine['year']} 年度）的上一年度")
        return False
    a, b = agency_key(mine.get("agency")), agency_key(theirs.get("agency"))
    if a and b and a != b:
        from .checks.signing_date import other_agency
        if other_agency(a, b):
            out.notes.append(f"未配对：--previous 给出的「{shown}」是「{theirs['agency']}」的报告，"
                             f"与「{display_path(this.path)}」的单位「{mine['agency']}」不同")
            return False
    return True


def _by_agency_and_year(results: list[FileResult], out: Outcome) -> list[tuple[FileResult, FileResult]]:
    groups: dict[tuple[str, int], list[FileResult]] = defaultdict(list)
    for r in results:
        d = r.digest or {}
        key, year = agency_key(d.get("agency")), d.get("year")
        if key and isinstance(year, int):
            groups[(key, year)].append(r)
    noted: set[tuple[str, int]] = set()
    pairs = []
    for (key, year), found in sorted(groups.items()):
        last = groups.get((key, year - 1))
        if last is None:
            continue
        for k, group in (((key, year - 1), last), ((key, year), found)):
            if len(group) > 1 and k not in noted:
                noted.add(k)
                names = "、".join(f"「{display_path(r.path)}」" for r in group)
                out.notes.append(f"未配对：「{(group[0].digest or {}).get('agency')}」{k[1]} 年度有 {len(group)} 份报告"
                                 f"（{names}），无法确定与哪一份比较")
        if len(last) == 1 and len(found) == 1:
            pairs.append((found[0], last[0]))
    return pairs


def _same_year_candidates(env: Batch, results: list[FileResult]) -> Iterable[tuple[FileResult, FileResult]]:
    """Pairs of reports of one year and of different agencies that share enough sampled shingles of a same-year
    rule's scopes, from an inverted index of the hashes (no pair is compared unless the index names it)."""
    from .shingles import hashes
    codes = {c.rule.code for c in _pair_checks(env, results) if getattr(c.params, "against", "") == "same-year"}
    if not codes:
        return []
    by_year: dict[int, list[int]] = defaultdict(list)
    for i, r in enumerate(results):
        year = (r.digest or {}).get("year")
        if isinstance(year, int) and agency_key((r.digest or {}).get("agency")):
            by_year[year].append(i)
    found: set[tuple[int, int]] = set()
    for members in by_year.values():
        index: dict[int, list[int]] = defaultdict(list)
        for i in members:
            sampled = {h for code in codes for s in (part(results[i].digest or {}, code) or {}).values() for h in hashes(s)}
            for h in sampled:
                index[h].append(i)
        shared: Counter[tuple[int, int]] = Counter()
        for posting in index.values():
            if 1 < len(posting) <= MAX_POSTING:
                for x in range(len(posting)):
                    for y in range(x + 1, len(posting)):
                        shared[(posting[x], posting[y])] += 1
        found.update(p for p, n in shared.items() if n >= MIN_SHARED)
    from .checks.signing_date import other_agency
    out = []
    for a, b in sorted(found):
        ka, kb = (agency_key((results[i].digest or {}).get("agency")) for i in (a, b))
        if ka and kb and ka != kb and other_agency(ka, kb):
            out.append((results[a], results[b]))
    return out


# ── running the pair rules ────────────────────────────────────────────────────────────────────────────────────────

def _pair_checks(env: Batch, results: list[FileResult]) -> list[Check]:
    return [c for c in env.engine(results[0].path).checks if c.kind.pair] if results else []


def _run(env: Batch, out: Outcome, this: Side, other: Side, against: str) -> None:
    options = env.options(this.path)
    suppressions = [Suppression(frozenset(lines), tuple(codes), Location(1))
                    for lines, codes in this.digest.get("suppress", [])]
    pair = PairContext(this, other)
    for check in env.engine(this.path).checks:
        rule = check.rule
        if not check.kind.pair or getattr(check.params, "against", "previous") != against:
            continue
        if not options.wants(rule.code) or (rule.templates and this.digest.get("template") not in rule.templates):
            continue
        found = list(apply(check.run(pair), suppressions))  # type: ignore[arg-type]  # a pair kind's run
        override = options.severity_of(rule.code)
        for d in found:
            if override:
                d.severity = override
        if found:
            out.findings.setdefault(this.path, []).extend(found)



# ── two documents in hand (a rule's examples) ─────────────────────────────────────────────────────────────────────

class _Documents:
    """A batch of documents already read: every one checked with the same engine and options."""

    def __init__(self, engine: Engine, options: Options, reports: dict[str, Report]) -> None:
        self._engine, self._options, self.reports = engine, options, reports

    def options(self, path: str) -> Options:
        return self._options

    def engine(self, path: str) -> Engine:
        return self._engine

    def load(self, path: str) -> Report | None:
        return self.reports.get(path)


def pair_findings(engine: Engine, options: Options, doc: Document, other: Document) -> list[Diagnostic]:
    """The findings of the pair rules on ``doc`` against ``other``: last year's report when its year is the one
    before, else another report of the same batch."""
    from .report import analyse
    reports = {d.path: analyse(d, options.template, options.year, engine.templates) for d in (doc, other)}
    batch = _Documents(engine, options, reports)
    this, that = (FileResult(path, digest=engine.digest(report, options)) for path, report in reports.items())
    years = [(r.digest or {}).get("year") for r in (this, that)]
    previous = years[0] is not None and years[1] == years[0] - 1
    outcome = cross_check(batch, [this], that) if previous else cross_check(batch, [this, that])
    return outcome.findings.get(doc.path, [])
