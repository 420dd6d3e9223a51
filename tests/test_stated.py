"""Digits glued together (web pages) that the narrative's own figures settle: 「本年度制发规范性文件34件」 picks
the one reading of 「34089」 that starts with 34 (rules/templates/2021.toml, tables.二.stated)."""
from __future__ import annotations

from conftest import CORPUS, need_corpus

from gpalint.readers.text import parse
from gpalint.report import analyse

REPORT = CORPUS / "full" / "106_2022_pingtan-guanweihuibangongshi.txt"
SENTENCE = "本年度制发规范性文件34件，现行有效件数424件。"


def _row(text: str):
    table = analyse(parse(text, "r.txt")).tables["二"]
    return [table.value("行政规范性文件", c) for c in ("制发", "废止", "现行有效")], table


def test_the_narrative_settles_a_glued_row_it_makes_unique():
    need_corpus()
    text = REPORT.read_text(encoding="utf-8")
    assert SENTENCE in text and "行政规范性文件34089" in text
    values, table = _row(text)
    assert values == [34, 0, 89] and "行政规范性文件" not in table.glued


def test_without_the_sentence_the_row_stays_unreadable():
    need_corpus()
    values, table = _row(REPORT.read_text(encoding="utf-8").replace(SENTENCE, "本年度加强规范性文件管理。"))
    assert values == [None, None, None] and "有 4 种拆法" in " ".join(i.detail for i in table.issues)


def test_a_figure_no_reading_has_settles_nothing():
    need_corpus()
    values, _ = _row(REPORT.read_text(encoding="utf-8").replace(SENTENCE, "本年度制发规范性文件35件，现行有效件数424件。"))
    assert values == [None, None, None]


def test_a_cell_stated_twice_differently_settles_nothing():
    need_corpus()
    text = REPORT.read_text(encoding="utf-8").replace(SENTENCE, SENTENCE + "全年制定规范性文件3件。")
    assert _row(text)[0] == [None, None, None]
