"""kind = "paired-marks": marks that come in pairs (《》, （）, “”) left open or closed by the wrong mark.

Counted within a paragraph: consecutive blocks are read as one while a block does not end a sentence (。！？), so a
sentence a PDF or a .txt file wraps over lines (blank lines between, as pdfminer writes them) is one text. Parameters:

``pairs``
    array of tables, one per pair:
    ``open``, ``close``: the two marks;
    ``wrong_open``, ``wrong_close`` (optional): marks written instead of them (``<`` for 《, ``>`` for 》, ``"`` for
    either quote): 「《条例>」 is then certain to mean 「《条例》」, and the fix replaces the wrong mark;
    ``orphan_close`` (default true): also report a closing mark with no opening one (false for （）, as list items
    are numbered 「1）」);
    ``elsewhere`` (optional): marks another rule reports (half-width ``()`` are G108's): a paragraph holding one
    of them is not checked for this pair — one cause, one finding.
``scope`` (default "document"), ``skip_tables`` (default true), as for ``substitution``; the preconditions of
base.Conditions (``unless_converted = ["punctuation"]``: not on marks a converter or OCR gave).

Message fields: {found} (the text from the mark on), {mark} (the mark found), {partner} (the mark missing, or
the right mark for a wrong one), {detail} (「没有配对的「》」」 or 「应为「》」」).
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from ..cjk import HAN_RE as HAN
from ..document import Block
from ..model import Diagnostic, Edit, Fix
from ..rules import Rule
from .base import SENTENCE_END, CheckKind, CheckTable, Conditions, Context, diagnostic, fill

_TRAILING = "”’）》」』〕】\"')"  # closing marks after a full stop: 「……。”」 still ends the sentence
_PARAGRAPH = 40  # blocks read as one paragraph at most (a list of items may never end a sentence)
_EXCERPT = 16
_NEAR = 60  # a wrong mark farther than this from its partner is not surely meant for it


@dataclass(frozen=True, slots=True)
class Pair:
    open: str
    close: str
    wrong_open: str = ""
    wrong_close: str = ""
    orphan_close: bool = True
    elsewhere: str = ""


@dataclass(frozen=True, slots=True)
class Params:
    pairs: tuple[Pair, ...]
    scope: str
    skip_tables: bool
    conditions: Conditions


_PAIR_KEYS = {"open", "close", "wrong_open", "wrong_close", "orphan_close", "elsewhere"}


def prepare(rule: Rule) -> Params:
    table = CheckTable(rule)
    pairs = []
    for n, item in enumerate(table.value("pairs", list)):
        key = f"pairs[{n}]"
        if not isinstance(item, dict) or not isinstance(item.get("open"), str) or not isinstance(item.get("close"), str):
            raise table.error(key, "应为表，含 open 与 close（各一个字符）")
        unknown = set(item) - _PAIR_KEYS
        if unknown:
            raise table.error(f"{key}.{sorted(unknown)[0]}", "未知的键")
        if len(item["open"]) != 1 or len(item["close"]) != 1 or item["open"] == item["close"]:
            raise table.error(key, "open 与 close 应各是一个字符，且互不相同")
        for field in ("wrong_open", "wrong_close", "elsewhere"):
            if not isinstance(item.get(field, ""), str):
                raise table.error(f"{key}.{field}", "类型应为字符串")
        if not isinstance(item.get("orphan_close", True), bool):
            raise table.error(f"{key}.orphan_close", "类型应为布尔值（true 或 false）")
        pairs.append(Pair(**item))
    if not pairs:
        raise table.error("pairs", "至少要有一对标点")
    params = Params(tuple(pairs), table.scope(), table.value("skip_tables", bool, True), Conditions.read(table))
    table.done()
    return params


def paragraphs(blocks: list[tuple[int, Block]]) -> Iterator[list[Block]]:
    """Runs of consecutive blocks that make one paragraph: each but the last does not end a sentence."""
    run: list[Block] = []
    last = -2
    for i, block in blocks:
        if run and (i != last + 1 or len(run) >= _PARAGRAPH or block.heading is not None):
            yield run
            run = []
        run.append(block)
        last = i
        if block.text.rstrip().rstrip(_TRAILING)[-1:] in SENTENCE_END:
            yield run
            run = []
    if run:
        yield run


def run(rule: Rule, params: Params, context: Context) -> Iterator[Diagnostic]:
    if not params.conditions.applies(context.report):
        return
    for para in paragraphs(context.text_blocks(params.scope, params.skip_tables)):
        # the paragraph's text, and for each character the block and offset it comes from
        text = "".join(b.text for b in para)
        where = [(b, k) for b in para for k in range(len(b.text))]
        for pair in params.pairs:
            if pair.elsewhere and any(ch in text for ch in pair.elsewhere):
                continue
            for at, mark, partner, wrong in _unpaired(text, pair):
                block, offset = where[at]
                if wrong is None:
                    found = text[at:at + _EXCERPT]
                else:
                    found = text[min(at, wrong):max(at, wrong) + 1]
                fix = None
                if wrong is not None:
                    block, offset = where[wrong]
                    mark, partner = text[wrong], pair.open if wrong < at else pair.close
                    detail = f"中的「{mark}」应为「{partner}」"
                    if rule.fix:
                        fields = {"found": found, "mark": mark, "partner": partner}
                        message = fill(rule.fix_message, fields) if rule.fix_message else f"改为「{partner}」"
                        fix = Fix(rule.fix, message, (Edit(block.location(offset, offset + 1), partner),))
                else:
                    detail = f"中的「{mark}」没有配对的「{partner}」"
                yield diagnostic(rule, context, block.location(offset, offset + 1), fix, found=found, mark=mark,
                                 partner=partner, detail=detail)


def _unpaired(text: str, pair: Pair) -> Iterator[tuple[int, str, str, int | None]]:
    """(offset of the unpaired mark, the mark, the mark it lacks, offset of the wrong mark standing for it or None)."""
    opened: list[int] = []
    orphans: list[int] = []
    for k, ch in enumerate(text):
        if ch == pair.open:
            opened.append(k)
        elif ch == pair.close:
            if opened:
                opened.pop()
            else:
                orphans.append(k)
    for at in opened:  # an opening mark: closed by a wrong mark before the next mark of the pair, or not at all
        end = min([k for k in range(at + 1, len(text)) if text[k] in (pair.open, pair.close)] or [len(text)])
        wrong = next((k for k in range(at + 1, end) if text[k] in pair.wrong_close), None)
        yield at, pair.open, pair.close, _certain(text, at, wrong)
    if pair.orphan_close:
        for at in orphans:
            start = max([k for k in range(at) if text[k] in (pair.open, pair.close)] or [-1])
            wrong = next((k for k in range(at - 1, start, -1) if text[k] in pair.wrong_open), None)
            yield at, pair.close, pair.open, _certain(text, at, wrong)


def _certain(text: str, at: int, wrong: int | None) -> int | None:
    """``wrong`` if the wrong mark surely stands for the missing one: near, with Chinese words between."""
    if wrong is None or abs(wrong - at) > _NEAR:
        return None
    between = text[min(at, wrong) + 1:max(at, wrong)]
    return wrong if any(HAN.fullmatch(ch) for ch in between) else None


KIND = CheckKind("paired-marks", prepare, run, ("found", "mark", "partner", "detail"),
                 "成对的标点（《》（）“”）缺了一半或另一半写错（可确定时可修复）", builtin=True)
