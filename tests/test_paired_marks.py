"""G116 (kind "paired-marks"): marks that come in pairs, left open or closed by the wrong mark — one finding per
cause, a fix only where the intended mark is certain, nothing on sentences wrapped over lines."""
from __future__ import annotations

from gpalint.engine import Engine, Options
from gpalint.fix import apply_text_fixes
from gpalint.readers.text import parse
from gpalint.rules import builtin_rules

ENGINE = Engine(builtin_rules())
HEAD = "某镇人民政府2024年政府信息公开工作年度报告\n一、总体情况\n"


def findings(body: str, select=("G116",)):
    _, diags = ENGINE.check_document(parse(HEAD + body, "r.txt"), Options(select=list(select)))
    return [(d.code, d.location.line, d.location.column, d.message, d.fix is not None) for d in diags]


def test_wrong_half_is_fixed_and_a_missing_half_only_reported():
    assert findings("依照《条例>的规定公开。\n依照<条例》的规定公开。\n做到“三到位\"。\n") == [
        ("G116", 3, 6, "成对的标点不配对：「《条例>」中的「>」应为「》」", True),
        ("G116", 4, 3, "成对的标点不配对：「<条例》」中的「<」应为「《」", True),
        ("G116", 5, 7, "成对的标点不配对：「“三到位\"」中的「\"」应为「”」", True)]
    assert findings("依照《条例的规定公开。\n（以下简称条例。\n做到“三到位。\n") == [
        ("G116", 3, 3, "成对的标点不配对：「《条例的规定公开。」中的「《」没有配对的「》」", False),
        ("G116", 4, 1, "成对的标点不配对：「（以下简称条例。」中的「（」没有配对的「）」", False),
        ("G116", 5, 3, "成对的标点不配对：「“三到位。」中的「“」没有配对的「”」", False)]
    fixed = apply_text_fixes(ENGINE, HEAD + "依照《条例>的规定，做到“三到位\"。\n", Options(select=["G116"]))
    assert fixed.endswith("依照《条例》的规定，做到“三到位”。\n")


def test_wrapped_sentences_list_numbers_and_pairs_other_rules_report():
    # a sentence wrapped over lines (pdftotext), with pdfminer's blank lines between, is one paragraph
    assert findings("紧紧围绕“三高四\n\n新”总体战略，认真按照《中华人民\n共和国政府信息公开条例》要求。\n") == []
    assert findings("1）规章 2 件；2）规范性文件 3 件。\n") == []  # list numbers with only the closing bracket
    # (…） is G108's and <…> G103's: one cause, one finding
    both = findings("按照（国办函〔2021〕30号)编制。依照<条例>的规定。\n", select=("G",))
    assert [c for c, *_ in both if c in ("G103", "G108", "G116")] == ["G108", "G103"]


def test_a_paragraph_ends_at_a_full_stop():
    assert findings("依照《条例。\n的规定》公开。\n") == [
        ("G116", 3, 3, "成对的标点不配对：「《条例。」中的「《」没有配对的「》」", False),
        ("G116", 4, 4, "成对的标点不配对：「》公开。」中的「》」没有配对的「《」", False)]
