"""The shared Chinese-text facts (gpalint/cjk.py): numerals both ways, \\p{Han}, what counts as CJK."""
from __future__ import annotations

import re

import pytest

from gpalint.cjk import (
    HAN_RE,
    LEGAL_DIGITS,
    chinese_digits,
    chinese_numeral,
    chinese_value,
    digits_value,
    expand_han,
    is_cjk,
)


def test_chinese_numerals_are_written_as_in_word_and_in_reports():
    assert [chinese_numeral(n) for n in (1, 10, 11, 20, 21, 99, 100, 105, 110, 1001, 9999)] == [
        "一", "十", "十一", "二十", "二十一", "九十九", "一百", "一百零五", "一百一十", "一千零一", "九千九百九十九"]
    assert chinese_numeral(0) == "0" and chinese_numeral(10000) == "10000"
    assert chinese_numeral(11, LEGAL_DIGITS, "拾佰仟") == "壹拾壹"  # 大写 keeps its 壹拾
    assert chinese_digits(2025) == "二〇二五"


def test_chinese_numerals_read_back():
    assert [chinese_value(chinese_numeral(n)) for n in range(1, 100)] == list(range(1, 100))
    for text in ("", "十十", "二二", "一百", "零", "a"):
        assert chinese_value(text) is None
    assert digits_value("二〇二五") == digits_value("二○二五") == digits_value("二零二五") == 2025
    assert digits_value("二〇2五") is None and digits_value("") is None


def test_han_pattern_and_cjk_test():
    assert HAN_RE.fullmatch("政") and not HAN_RE.match("1") and not HAN_RE.match("a") and not HAN_RE.match("，")
    assert re.fullmatch(expand_han(r"[\p{Han}，]+"), "政府，信息") is not None
    with pytest.raises(re.error):
        expand_han(r"[^\p{Han}]")
    assert is_cjk("政") and is_cjk("，") and not is_cjk("a") and not is_cjk(" ")
