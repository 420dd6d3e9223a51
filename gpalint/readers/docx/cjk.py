"""Chinese characters and numerals as Word shows them. (One place in the Word reader; gpalint/cjk.py is to hold
the project-wide helpers, and these move there.)"""
from __future__ import annotations

CN_DIGITS = "零一二三四五六七八九"
CN_LEGAL = "零壹贰叁肆伍陆柒捌玖"
HEAVENLY_STEMS = "甲乙丙丁戊己庚辛壬癸"
EARTHLY_BRANCHES = "子丑寅卯辰巳午未申酉戌亥"


def is_cjk(ch: str) -> bool:
    """A CJK character or CJK punctuation (everything from the CJK radicals block up)."""
    return ch >= "\u2e80"


def chinese_number(n: int, digits: str = CN_DIGITS, units: str = "十百千") -> str:
    """1..9999 in Chinese counting (十一, not 一十一, in ordinary digits); other values in Arabic digits."""
    if n <= 0 or n >= 10000:
        return str(n)
    out: list[str] = []
    s = str(n)
    width = len(s)
    zero = False
    for i, d in enumerate(s):
        pos = width - 1 - i
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
    if 10 <= n < 20 and digits is CN_DIGITS:
        text = text[1:]  # 十一, not 一十一
    return text
