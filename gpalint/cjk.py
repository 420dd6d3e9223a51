"""Chinese text facts every stage shares: what a Chinese character is, and Chinese numerals both ways.

One home for them, so the reader, the outline, the table recovery and the check kinds agree on what they mean.
"""
from __future__ import annotations

import re

# A Chinese character, cheaply. Python's re has no \p{Han}, and a class with the whole CJK range costs ~1 ms to
# compile (sre builds a 64K-entry map), which dominated start-up with a few dozen rules. A word character that is
# not a digit, "_" or an ASCII letter is a category test, compiled at once; it also admits other scripts' letters
# (kana, Cyrillic…), which do not occur in these reports.
HAN = r"[^\W\d_A-Za-z]"
HAN_RE = re.compile(HAN)

_CLASS = re.compile(r"\[(?:\\.|[^\]\\])*\]")


def expand_han(pattern: str) -> str:
    r"""\p{Han} (in rule patterns, as in Vale and Perl) → HAN; a class holding it, [\p{Han}，。], becomes
    (?:HAN|[，。]). Raises re.error for a negated class holding it."""
    def in_class(m: re.Match) -> str:
        cls = m.group(0)
        if "\\p{Han}" not in cls:
            return cls
        if cls.startswith("[^"):
            raise re.error("\\p{Han} 不能用在取反的字符类 [^…] 中")
        rest = cls.replace("\\p{Han}", "")
        return f"(?:{HAN}|{rest})" if rest != "[]" else HAN
    if "\\p{Han}" not in pattern:
        return pattern
    return _CLASS.sub(in_class, pattern).replace("\\p{Han}", HAN)


def is_cjk(ch: str) -> bool:
    """A character of the CJK blocks (ideographs, CJK punctuation, full-width forms): text that is written without
    spaces between characters, so a line break inside it joins without one."""
    return ch >= "\u2e80"


def display_width(text: str) -> int:
    """Columns ``text`` takes on a terminal or in a fixed-width editor: two for a wide (CJK) character."""
    from unicodedata import east_asian_width
    return sum(2 if east_asian_width(ch) in "WF" else 1 for ch in text)


# ── numerals ────────────────────────────────────────────────────────────────────────────────────────────────────
DIGITS = "零一二三四五六七八九"
LEGAL_DIGITS = "零壹贰叁肆伍陆柒捌玖"  # 大写数字, as in Word's chineseLegalSimplified
NUMERALS = "一二三四五六七八九十"  # the characters of a heading or list number 一 … 九十九
NUMERAL = f"[{NUMERALS}]"  # one of them, for regular expressions
ZEROS = "〇○零O０"  # how a zero is written in a year spelt digit by digit (二〇二五, 二○二五)


def chinese_numeral(n: int, digits: str = DIGITS, units: str = "十百千") -> str:
    """1 … 9999 in Chinese counting (一, 十, 十一, 二十一, 一百零五); ``str(n)`` outside that range."""
    if n <= 0 or n >= 10000:
        return str(n)
    out: list[str] = []
    s = str(n)
    zero = False
    for i, d in enumerate(s):
        pos = len(s) - 1 - i
        v = int(d)
        if v == 0:
            zero = True
            continue
        if zero and out:
            out.append(digits[0])
        zero = False
        out.append(digits[v])
        if pos:
            out.append(units[pos - 1])
    text = "".join(out)
    if 10 <= n < 20 and digits == DIGITS:
        text = text[1:]  # 十一, not 一十一
    return text


def chinese_digits(n: int) -> str:
    """``n`` written digit by digit: 2025 → 二〇二五."""
    return "".join("〇一二三四五六七八九"[int(d)] for d in str(n))


def chinese_value(text: str) -> int | None:
    """一 … 九十九 → 1 … 99; None when ``text`` is not such a numeral."""
    ones_digits = DIGITS[1:]
    if not text or any(c not in NUMERALS for c in text) or text.count("十") > 1:
        return None
    if "十" not in text:
        return ones_digits.index(text) + 1 if len(text) == 1 else None
    tens, _, ones = text.partition("十")
    if len(tens) > 1 or len(ones) > 1:
        return None
    return (ones_digits.index(tens) + 1 if tens else 1) * 10 + (ones_digits.index(ones) + 1 if ones else 0)


def digits_value(text: str) -> int | None:
    """A number written digit by digit (二〇二五 → 2025, zero also as ○ 零 O ０); None when it is not one."""
    out = 0
    for c in text:
        if c in ZEROS:
            d = 0
        elif c in DIGITS[1:]:
            d = DIGITS.index(c)
        else:
            return None
        out = out * 10 + d
    return out if text else None
