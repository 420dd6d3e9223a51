"""Automatic list numbers: the text Word draws for a numbered paragraph ("一、", "（一）", "1.", "2.1").

Budgets: a counter is a Python int, so a list starting at 2,000,000,000 is harmless, but some formats repeat a
letter per 26 (lowerLetter 2,000,000,000 would be 77 million "a"s): past ``MAX_LETTER_REPEAT`` letters the number
is shown in Arabic digits, and the whole generated text is cut at ``MAX_NUMBER_TEXT`` characters.
"""
from __future__ import annotations

import re

from ...cjk import LEGAL_DIGITS, chinese_digits, chinese_numeral
from .package import Names, on, to_int
from .styles import Styles

MAX_LETTER_REPEAT = 30  # Word itself stops at 780 = "zzz…" (30 letters)
MAX_NUMBER_TEXT = 64

_LVL_REF = re.compile(r"%([1-9])")
Level = tuple[int, str, "str | None", bool]  # (start, numFmt, lvlText, isLgl)


def _letters(n: int, upper: bool) -> str:
    if n <= 0 or n > 26 * MAX_LETTER_REPEAT:
        return str(n)
    ch = chr((ord("A") if upper else ord("a")) + (n - 1) % 26)
    return ch * ((n - 1) // 26 + 1)


def _roman(n: int) -> str:
    if n <= 0 or n >= 4000:
        return str(n)
    vals = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL"),
            (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))
    out = []
    for v, s in vals:
        while n >= v:
            out.append(s)
            n -= v
    return "".join(out)


HEAVENLY_STEMS = "甲乙丙丁戊己庚辛壬癸"  # Word's ideographTraditional numbering
EARTHLY_BRANCHES = "子丑寅卯辰巳午未申酉戌亥"  # Word's ideographZodiac numbering


def format_number(n: int, fmt: str) -> str:
    """The text Word shows for counter value ``n`` in number format ``fmt`` (ST_NumberFormat)."""
    if fmt in ("chineseCounting", "chineseCountingThousand", "japaneseCounting", "taiwaneseCounting",
               "taiwaneseCountingThousand", "koreanCounting"):
        return chinese_numeral(n)
    if fmt in ("chineseLegalSimplified", "ideographLegalTraditional", "japaneseLegal"):
        return chinese_numeral(n, LEGAL_DIGITS, "拾佰仟")
    if fmt in ("ideographDigital", "japaneseDigitalTenThousand", "taiwaneseDigital", "koreanDigital"):
        return chinese_digits(n)
    if fmt == "ideographTraditional":  # ECMA-376: the ten Heavenly Stems 甲乙丙丁…
        return HEAVENLY_STEMS[(n - 1) % 10] if n > 0 else str(n)
    if fmt == "ideographZodiac":  # the twelve Earthly Branches 子丑寅卯…
        return EARTHLY_BRANCHES[(n - 1) % 12] if n > 0 else str(n)
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese", "ideographEnclosedCircle"):
        return chr(0x2460 + n - 1) if 1 <= n <= 20 else str(n)
    if fmt == "decimalEnclosedParen":
        return chr(0x2474 + n - 1) if 1 <= n <= 20 else f"({n})"
    if fmt == "decimalEnclosedFullstop":
        return chr(0x2488 + n - 1) if 1 <= n <= 20 else f"{n}."
    if fmt in ("decimalFullWidth", "decimalFullWidth2"):
        return "".join(chr(0xFF10 + int(d)) for d in str(n))
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt == "upperLetter":
        return _letters(n, True)
    if fmt == "lowerLetter":
        return _letters(n, False)
    if fmt == "upperRoman":
        return _roman(n)
    if fmt == "lowerRoman":
        return _roman(n).lower()
    if fmt in ("none", "bullet"):
        return ""
    return str(n)


class Numbering:
    """The numbering part's definitions, and the list counters of one walk over the body (``reset`` restarts)."""

    def __init__(self, names: Names, styles: Styles):
        self.n = names
        self.styles = styles
        self.nums: dict[str, tuple[str | None, dict[int, int]]] = {}  # numId -> (abstractNumId, startOverrides)
        self.num_lvl_override: dict[str, dict[int, Level]] = {}
        self.abstract: dict[str | None, dict[int, Level]] = {}  # abstractNumId -> ilvl -> level
        self.abstract_style_link: dict[str | None, str] = {}
        self.reset()

    def reset(self) -> None:
        self.counters: dict[str | None, dict[int, int]] = {}  # abstractNumId -> level -> current value
        self.seen: set[tuple[str, int]] = set()  # (numId, level) pairs already used

    def load(self, root) -> None:
        q, VAL = self.n.q, self.n.VAL
        ABS, LVL, NUM = q("abstractNum"), q("lvl"), q("num")
        for a in root.iter(ABS):
            aid = a.get(q("abstractNumId"))
            self.abstract[aid] = self._levels(a.iter(LVL))
            link = a.find(q("numStyleLink"))
            if link is not None and link.get(VAL):
                self.abstract_style_link[aid] = link.get(VAL) or ""
        for num in root.iter(NUM):
            nid = num.get(q("numId")) or ""
            an = num.find(q("abstractNumId"))
            starts: dict[int, int] = {}
            overrides: dict[int, Level] = {}
            for ov in num.iter(q("lvlOverride")):
                ilvl = to_int(ov.get(q("ilvl"))) or 0
                so = ov.find(q("startOverride"))
                if so is not None:
                    starts[ilvl] = to_int(so.get(VAL)) or 0
                lvl = ov.find(LVL)
                if lvl is not None:
                    overrides.update(self._levels([lvl]))
            self.nums[nid] = (an.get(VAL) if an is not None else None, starts)
            if overrides:
                self.num_lvl_override[nid] = overrides

    def _levels(self, lvls) -> dict[int, Level]:
        q, VAL = self.n.q, self.n.VAL
        out: dict[int, Level] = {}
        for lvl in lvls:
            ilvl = to_int(lvl.get(q("ilvl"))) or 0
            start = lvl.find(q("start"))
            fmt = lvl.find(q("numFmt"))
            text = lvl.find(q("lvlText"))
            legal = lvl.find(q("isLgl"))
            first = to_int(start.get(VAL)) if start is not None else None
            out[ilvl] = (1 if first is None else first,
                         (fmt.get(VAL) if fmt is not None else None) or "decimal",
                         text.get(VAL) if text is not None else None,
                         legal is not None and on(legal.get(VAL)))
        return out

    def number_text(self, num_id: str, ilvl: int) -> str:
        """Advance the list counter of (numId, level) and return the number text Word shows, e.g. "（一）"."""
        entry = self.nums.get(num_id)
        if entry is None:
            return ""
        aid, starts = entry
        levels = self.abstract.get(aid)
        if not levels and aid in self.abstract_style_link:  # a list defined through a numbering style
            linked = self.styles.numbering_style(self.abstract_style_link[aid])
            if linked is not None and linked in self.nums and linked != num_id:
                aid = self.nums[linked][0]
                levels = self.abstract.get(aid)
        if not levels:
            return ""
        override = self.num_lvl_override.get(num_id)
        if override:
            levels = {**levels, **override}
        # Word counts on the abstract numbering definition: every w:num of one abstractNum continues the same
        # list, and a num's startOverride restarts that shared count where the num is first used.
        counters = self.counters.setdefault(aid, {})

        def start_of(k: int) -> int:
            lv = levels.get(k)
            return lv[0] if lv else 1

        if ilvl in starts and (num_id, ilvl) not in self.seen:
            counters[ilvl] = starts[ilvl]
        elif ilvl in counters:
            counters[ilvl] += 1
        else:
            counters[ilvl] = start_of(ilvl)
        self.seen.add((num_id, ilvl))
        for k in [k for k in counters if k > ilvl]:
            del counters[k]
        lv = levels.get(ilvl)
        if lv is None:
            return ""
        _, fmt, text, legal = lv
        if text is None:
            return ""
        if fmt in ("none", "bullet"):
            return "" if fmt == "bullet" else _LVL_REF.sub("", text)[:MAX_NUMBER_TEXT]

        def sub(m: re.Match) -> str:
            k = int(m.group(1)) - 1
            value = counters.get(k, start_of(k))
            kfmt = levels[k][1] if k in levels else "decimal"
            return format_number(value, "decimal" if legal else kfmt)  # isLgl: legal numbering, all decimal

        return _LVL_REF.sub(sub, text[:MAX_NUMBER_TEXT])[:MAX_NUMBER_TEXT]
