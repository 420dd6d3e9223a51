"""The parameters issue 10 added to the text kinds, as a rule author writes them: compare's readings of ``right`` and
sums of rows, required-text's ``each`` subjects as {name, pattern}, and their message fields ({readings},
{missing}). What the built-in rules do with them is in their examples (C101, S106, D102, D103)."""
from __future__ import annotations

from pathlib import Path

import pytest

from gpalint.engine import Engine, Options
from gpalint.readers.text import parse
from gpalint.rules import parse_rule
from gpalint.tomlfile import RuleFileError

REPORT = (Path(__file__).resolve().parents[1] / "rules" / "bases" / "report.txt").read_text(encoding="utf-8")


def engine(tmp_path: Path, check: str, message: str = "m") -> Engine:
    path = tmp_path / "C901.toml"
    path.write_text(f'code = "C901"\nname = "x"\nseverity = "warning"\nsummary = "s"\nmessage = \'{message}\'\n'
                    f'[check]\n{check}\n', encoding="utf-8")
    return Engine({"C901": parse_rule(path)})


def messages(engine: Engine, text: str) -> list[str]:
    return [d.message for d in engine.check_document(parse(text, "r.txt"), Options())[1]]


NARRATIVE = "left = { scope = 'section:一', pattern = '收到政府信息公开申请(?P<n>\\d+)件' }\n"


@pytest.mark.parametrize("right,key,problem", [
    ("[]", "check.right", "至少要有一个来源"),
    ('[{ source = "cell:三/一" }]', r"check.right\[0\].source", "cell:表/行/列"),
    ('[{ source = "cell:三/一/总计", lable = "x" }]', r"check.right\[0\].lable", "只能写 source、label"),
    ('[{ source = "cell:三/一/总计", label = 3 }]', r"check.right\[0\].label", "应为字符串"),
    ('["title.year", 7]', r"check.right\[1\]", "应为"),
])
def test_compare_readings_are_validated(tmp_path, right, key, problem):
    with pytest.raises(RuleFileError, match=f"{key}.*{problem}"):
        engine(tmp_path, f'kind = "compare"\n{NARRATIVE}right = {right}')


def test_a_figure_agrees_with_any_reading_and_the_message_names_each_distinct_one(tmp_path):
    readings = ('right = [{ source = "cell:三/一/总计", label = "新收" },\n'
                '         { source = "cell:三/一+二/总计", label = "新收加结转" }, "cell:三/一/总计"]')
    rule = engine(tmp_path, f'kind = "compare"\n{NARRATIVE}{readings}', message="{left}：{readings}")
    carried = REPORT.replace("二、上年结转政府信息公开申请数量\t0\t0\t0\t0\t0\t0\t0",
                             "二、上年结转政府信息公开申请数量\t2\t0\t0\t0\t0\t0\t2")
    assert messages(rule, carried) == []  # 4: the new applications
    assert messages(rule, carried.replace("申请4件", "申请6件")) == []  # 6: with the carry-over (rows 一+二)
    assert messages(rule, carried.replace("申请4件", "申请5件")) == ["5：新收为 4，新收加结转为 6"]
    assert messages(rule, REPORT.replace("申请4件", "申请5件")) == ["5：新收为 4"]  # 4 and 4 + 0: one reading


def test_readings_is_a_field_of_compare_only(tmp_path):
    with pytest.raises(RuleFileError, match=r"没有字段「\{readings\}」"):
        engine(tmp_path, 'kind = "required-text"\npatterns = ["x"]', message="{readings}")


@pytest.mark.parametrize("each", [
    '[{ name = "平台建设" }]',
    '[{ name = "平台建设", pattern = "平台", note = "x" }]',
    '[3]',
])
def test_each_subjects_are_validated(tmp_path, each):
    with pytest.raises(RuleFileError, match=r"check\.each\[0\].*关键词"):
        engine(tmp_path, f'kind = "required-text"\nscope = "section:一"\neach = {each}')


def test_a_bad_subject_pattern_names_its_place(tmp_path):
    with pytest.raises(RuleFileError, match=r"check\.each\[1\]\.pattern.*正则表达式有误"):
        engine(tmp_path, 'kind = "required-text"\neach = ["主动公开", { name = "x", pattern = "(" }]')


def test_one_finding_lists_every_missing_subject_found_by_keyword_or_meaning(tmp_path):
    rule = engine(tmp_path, 'kind = "required-text"\nscope = "section:一"\n'
                            'each = ["主动公开", { name = "平台建设", pattern = "平台(?:载体)?建设" }, "新闻发布"]',
                  message="{scope}：{missing}／{keyword}")
    assert messages(rule, REPORT) == ["一、总体情况：「新闻发布」／新闻发布"]
    text = REPORT.replace("（一）主动公开", "（一）信息发布").replace("主动公开政府信息", "发布政府信息")
    text = text.replace("平台建设", "平台维护")
    assert messages(rule, text) == ["一、总体情况：「主动公开」「平台建设」「新闻发布」／主动公开、平台建设、新闻发布"]
    assert messages(rule, REPORT.replace("平台建设", "平台载体建设").replace("按期答复", "按期答复；召开新闻发布会2次")) == []


def test_a_period_statement_split_by_a_line_break_is_read_and_placed_on_its_first_line(tmp_path):
    rule = engine(tmp_path, 'kind = "date-range"\naspect = "span"\n'
                            "pattern = '统计期限自(?P<y1>\\d{4})年(?P<m1>\\d{1,2})月(?P<d1>\\d{1,2})日起至"
                            "\\s*(?:(?P<y2>\\d{4})年)?\\s*(?P<m2>\\d{1,2})月\\s*(?P<d2>\\d{1,2})日'",
                  message="{found}")
    split = REPORT.replace("至2024年12月31日止。", "至2024年11月\n30日止。")
    found = rule.check_document(parse(split, "r.txt"), Options())[1]
    assert [(d.message, d.location.line) for d in found] == [("2024年1月1日起至2024年11月30日", 2)]
    assert REPORT.splitlines()[1][found[0].location.column - 1:].startswith("2024年1月1日")
    assert messages(rule, REPORT.replace("至2024年12月31日止。", "至2024年12月\n31日止。")) == []


# ── unless_sentence: what the words around a match say it is about ──────────────────────────────────────────────

LAWSUITS = ("left = { scope = 'section:一', pattern = '行政诉讼(?P<n>\\d+)件', unless_sentence = '不涉及政府信息公开' }\n"
            'right = "cell:四/数据/直诉.总计+复诉.总计"')


def test_a_figure_in_a_sentence_saying_unless_sentence_is_not_compared(tmp_path):
    rule = engine(tmp_path, f'kind = "compare"\n{LAWSUITS}', message="{left}")
    said = "全年被申请行政复议1件。"
    assert messages(rule, REPORT.replace(said, said + "行政诉讼5件，均不涉及政府信息公开。")) == []
    assert messages(rule, REPORT.replace(said, said + "均不涉及政府信息公开的行政诉讼5件。")) == []  # before it too
    # the next sentence is another matter: its figure is compared
    assert messages(rule, REPORT.replace(said, said + "均不涉及政府信息公开。行政诉讼5件。")) == ["5"]
    assert messages(rule, REPORT.replace(said, said + "行政诉讼5件。")) == ["5"]


def test_unless_sentence_of_the_pattern_kind_reads_the_whole_sentence(tmp_path):
    rule = engine(tmp_path, "kind = 'pattern'\nscope = 'section:一'\npattern = '依申请公开\\d+条'\n"
                            "unless_sentence = '主动公开\\d+条'", message="{found}")
    said = "全年被申请行政复议1件。"
    assert messages(rule, REPORT.replace(said, said + "主动公开148条，依申请公开182条。")) == []
    assert messages(rule, REPORT.replace(said, said + "依申请公开182条；主动公开148条！")) == []  # ； is no full stop
    assert messages(rule, REPORT.replace(said, said + "主动公开148条！依申请公开182条。")) == ["依申请公开182条"]


@pytest.mark.parametrize("check,key", [
    ("kind = 'compare'\nleft = { pattern = '(?P<n>\\d+)', unless_sentence = 3 }\nright = 'title.year'",
     r"check.left.unless_sentence"),
    ("kind = 'compare'\nleft = { pattern = '(?P<n>\\d+)', unless_sentence = '(' }\nright = 'title.year'",
     r"check.left.unless_sentence"),
    ("kind = 'pattern'\npattern = 'x'\nunless_sentence = '('", r"check.unless_sentence"),
])
def test_unless_sentence_is_validated(tmp_path, check, key):
    with pytest.raises(RuleFileError, match=key):
        engine(tmp_path, check)
