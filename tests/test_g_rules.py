"""The G rules (公文格式) on real report lines: each fires where the seeds are wrong, stays silent where they are right,
and its fix gives the right text. Lines are read from tests/corpus, not copied, so a test fails if they change."""
from __future__ import annotations

from collections import Counter

import pytest
from conftest import CORPUS, need_corpus, seed

from gpalint.engine import Engine, Options
from gpalint.fix import apply_text_fixes
from gpalint.model import Applicability
from gpalint.readers.text import parse

ENGINE = Engine.load()
HEADINGS = {k: f"{k}、{t}" for k, t in (("一", "总体情况"), ("五", "存在的主要问题及改进情况"), ("六", "其他需要报告的事项"))}


def line(name: str, number: int) -> str:
    need_corpus()
    return seed(name).read_text(encoding="utf-8").splitlines()[number - 1]


def real(prefix: str, number: int) -> str:
    need_corpus()
    path = next((CORPUS / "real").glob(f"{prefix}_*.txt"))
    return path.read_text(encoding="utf-8").splitlines()[number - 1]


def fragment(*lines: str, section: str = "六") -> str:
    """A report fragment the analyser accepts: a section heading, then the lines."""
    return "\n".join((HEADINGS[section], *lines)) + "\n"


def findings(code: str, text: str):
    _, diags = ENGINE.check_document(parse(text, "t.txt"), Options(select=[code]))
    return [d for d in diags if d.code == code]


def fixed(code: str, text: str, unsafe: bool = True) -> str:
    return apply_text_fixes(ENGINE, text, Options(select=[code]), unsafe=unsafe)


# ---------------------------------------------------------------- G101 发文字号
def test_g101_seed003_doc_number():
    text = fragment(line("003", 92))
    [d] = findings("G101", text)
    assert "【2020】109号" in d.message and "〔2020〕109号" in d.message
    assert d.fix.applicability is Applicability.SAFE
    assert [e.content for e in d.fix.edits] == ["〔", "〕"]  # only the two brackets change
    assert "（国办函〔2020〕109号）" not in fixed("G101", text) and "(国办函〔2020〕109号)" in fixed("G101", text)


@pytest.mark.parametrize("wrong", ["国办函[2020]109号", "国办函(2020)109号", "国办函（2020）109号", "国办公开办函［2021］30号"])
def test_g101_all_bracket_forms(wrong):
    text = fragment(f"本机关依照{wrong}的规定，未收取信息处理费。")
    assert findings("G101", text)
    assert "〔20" in fixed("G101", text)


@pytest.mark.parametrize("right", ["数据口径同上年（2023）。", "详见附件【2024】。", "按照国办函〔2020〕109号执行。", "编号(2020)不是文号。"])
def test_g101_not_outside_document_numbers(right):
    assert findings("G101", fragment(right)) == []


# ---------------------------------------------------------------- G102 / G103 书名号
def test_g102_seed003_inner_angle_brackets():
    text = fragment(line("003", 92))
    [d] = findings("G102", text)
    assert d.fix.applicability is Applicability.SAFE
    assert "《国务院办公厅关于印发〈政府信息公开信息处理费管理办法〉的通知》" in fixed("G102", text)
    assert findings("G103", text) == []  # inside 《》 it is G102's, not G103's


def test_g102_seed001_correct_nesting_is_silent():
    assert "〈中华人民共和国政府信息公开工作年度报告格式〉" in line("001", 3)
    assert findings("G102", fragment(line("001", 3), section="一")) == []


def test_g102_double_title_marks():
    text = fragment("根据《关于印发《政府信息公开信息处理费管理办法》的通知》执行。")
    assert "《关于印发〈政府信息公开信息处理费管理办法〉的通知》" in fixed("G102", text)
    assert findings("G102", fragment("根据《条例》和《办法》执行。")) == []


def test_g103_stray_angle_brackets_unsafe():
    text = fragment(line("003", 92).replace("《国务院办公厅关于印发", "国务院办公厅印发").replace("的通知》", ""))
    [d] = findings("G103", text)
    assert d.fix.applicability is Applicability.UNSAFE
    assert "印发《政府信息公开信息处理费管理办法》(国办函" in fixed("G103", text)
    assert fixed("G103", text, unsafe=False) == text
    assert findings("G103", fragment("网页代码 <br> 与 a<b 不是书名。")) == []


# ---------------------------------------------------------------- G104–G106 序数
def test_g104_seed003_half_width_headings():
    text = fragment(line("003", 11), line("003", 19), line("003", 21), section="一")
    found = findings("G104", text)
    assert [d.location.line for d in found] == [3, 4]  # （一） is right; (四) (五) are not
    out = fixed("G104", text, unsafe=False)
    assert out.splitlines()[2].startswith("（四）政府信息公开平台建设方面") and out.splitlines()[3].startswith("（五）")


def test_g104_seed000_space_after_number_is_g107s():
    text = fragment(line("000", 7), section="一")
    assert fixed("G104", text).splitlines()[1].startswith("（一） 主动公开：")
    assert fixed("G107", fixed("G104", text)).splitlines()[1].startswith("（一）主动公开：酒后镇")


def test_g104_comma_after_parenthesis():
    assert fixed("G104", fragment("（二）、依申请公开方面。", section="一")).splitlines()[1] == "（二）依申请公开方面。"


def test_g105_level1_number():
    text = fragment("一.公开的内容难以全面。", "二，更新不够及时。", section="五")
    assert [d.location.line for d in findings("G105", text)] == [2, 3]
    assert fixed("G105", text).splitlines()[1:] == ["一、公开的内容难以全面。", "二、更新不够及时。"]
    # section headings are S104's
    assert findings("G105", "一.总体情况\n（正文）\n六、其他需要报告的事项\n无。\n") == []


def test_g106_real_r006_level3_number():
    r = real("r006", 7)
    assert r.startswith("1、公开渠道与数量")
    [d] = findings("G106", fragment(r, section="一"))
    assert d.fix.applicability is Applicability.UNSAFE
    assert fixed("G106", fragment(r, section="一")).splitlines()[1].startswith("1.公开渠道与数量")


def test_g106_leaves_section_headings_to_s104():
    assert real("r012", 15).startswith("1、 总体情况")
    assert findings("G106", fragment(real("r012", 15), "本年度……", section="六")) == []


# ---------------------------------------------------------------- G107 / G114 空格
@pytest.mark.parametrize("name,number,expected", [
    ("000", 3, "# 伊川县酒后镇人民政府2024年政府信息公开工作年度报告"),
    ("002", 3, "偃师区大口镇人民政府2023年政府信息公开工作 年度报告"),
    ("003", 3, "叶城县河园镇人民政府2024年政府信息公开 工作年度报告"),
    ("004", 3, "朱口镇人民政府2024年政府信息公开工作年度报告"),
])
def test_g107_seed_titles(name, number, expected):
    text = line(name, number) + "\n" + HEADINGS["一"] + "\n"
    assert findings("G107", text)
    assert fixed("G107", text).splitlines()[0] == expected


def test_g107_seed004_period_statement_is_one_finding():
    text = fragment(line("004", 7), section="一")
    found = findings("G107", text)
    statement = [d for d in found if d.location.column > 80]
    assert len(statement) == 1 and "12 处" in statement[0].message
    assert "统计期限自2024年1月1日起至2024年12月31日止。" in fixed("G107", text)


def test_g107_leaves_tables_latin_and_alignment_alone():
    need_corpus()
    table = line("004", 78)
    assert "\t" in table
    text = fragment("see Table  1 for details, a  b.", "叶城县河园镇人民政府      2025年1月20日", table)
    assert findings("G107", text) == []


def test_g107_table_sections_are_left_alone():
    # in a report pasted from a web page the cells of table 三 are glued with single spaces: not typography
    text = ("一、总体情况\n本年度 2 件。\n三、收到和处理政府信息公开申请情况\n一、本年新收政府信息公开申请数量 2 0 0 0 0 0 2\n"
            "六、其他需要报告的事项\n无。\n")
    assert [d.location.line for d in findings("G107", text)] == [2]


def test_g114_seed_title_unsafe():
    text = line("003", 3) + "\n" + HEADINGS["一"] + "\n"
    [d] = findings("G114", text)
    assert d.fix.applicability is Applicability.UNSAFE
    assert fixed("G114", text).splitlines()[0] == "叶城县河园镇人民政府 2024 年政府信息公开工作年度报告"


# ---------------------------------------------------------------- G108 标点
def test_g108_seed001_semicolons():
    text = fragment(line("001", 408), line("001", 414), section="五")
    assert [d.message for d in findings("G108", text)] == ["中文里应使用全角标点：「;」应为「；」"] * 2
    out = fixed("G108", text, unsafe=False)
    assert "忽略了过程公开；在与群众" in out and "更加便捷；加强" in out and ";" not in out


def test_g108_seed003_parentheses_pairwise():
    text = fragment(line("003", 92))
    [d] = findings("G108", text)
    assert [e.content for e in d.fix.edits] == ["（", "）"]
    assert "（国办函【2020】109号）规定" in fixed("G108", text)


def test_g108_keeps_numbers_urls_times():
    text = fragment("咨询电话0537-5450001，网址www.gov.cn，办公时间10:30-17:00，占比12.5%，共1,000件。")
    assert findings("G108", text) == []


def test_g108_heading_numbers_and_markdown_links_are_not_its_business():
    assert findings("G108", fragment("(一)主动公开方面。", "详见[链接](http://www.gov.cn)政府网站。", section="一")) == []


# ---------------------------------------------------------------- G109 G112 G113 G115
def test_g109_doubled():
    text = fragment("本年度未收取信息处理费。。无其他事项，，特此报告。")
    assert len(findings("G109", text)) == 2
    assert fixed("G109", text).splitlines()[1] == "本年度未收取信息处理费。无其他事项，特此报告。"
    assert findings("G109", fragment("未完待续。。。")) == []


def test_g112_fullwidth_digits():
    text = fragment(line("001", 418).replace("2024", "２０２４"))
    assert fixed("G112", text) == fragment(line("001", 418))


def test_g113_ascii_quotes_unsafe():
    src = line("000", 11)
    assert "“三到位”" in src
    text = fragment(src.replace("“", '"').replace("”", '"'), section="一")
    found = findings("G113", text)
    assert found and all(d.fix.applicability is Applicability.UNSAFE for d in found)
    assert fixed("G113", text) == fragment(src, section="一")


def test_g115_date_zero_padding():
    assert line("003", 96) == "2025年1月20日"
    assert findings("G115", fragment(line("003", 94), line("003", 96))) == []
    assert fixed("G115", fragment("2025年01月09日")) == fragment("2025年1月9日")


# ---------------------------------------------------------------- G110 / G111 编号连续
def test_g110_seed003_mixed_widths_in_sequence():
    need_corpus()
    text = seed("003").read_text(encoding="utf-8")
    assert findings("G110", text) == []


def test_g110_skip_and_repeat():
    text = fragment("（一）主动公开", "（二）依申请公开", "（四）政府信息管理", "（四）平台建设", section="一")
    [d] = findings("G110", text)
    assert d.location.line == 4 and "「（二）」之后是「（四）」，应为「（三）」" in d.message
    assert d.fix.applicability is Applicability.UNSAFE
    assert fixed("G110", text).splitlines()[1:] == ["（一）主动公开", "（二）依申请公开", "（三）政府信息管理", "（四）平台建设"]


def test_g110_must_start_at_one():
    [d] = findings("G110", fragment("（二）依申请公开", section="一"))
    assert "应为「（一）」" in d.message


def test_g111_seed003_duplicate_enumeration():
    text = fragment(line("003", 88), section="五")
    [d] = findings("G111", text)
    assert "「二是」之后是「二是」，应为「三是」" in d.message
    out = fixed("G111", text)
    assert [out.count(f"{n}是") for n in "一二三四五"] == [1, 1, 1, 1, 1]
    assert fixed("G111", text, unsafe=False) == text


def test_g111_lists_over_paragraphs_and_restarts():
    need_corpus()
    # seed 001 §五: l.408 has 一是…二是, then l.410/412/414 start 一是/二是/三是 one per paragraph
    assert findings("G111", seed("001").read_text(encoding="utf-8")) == []
    # seed 002 §一: 一是 … 五是, one per paragraph
    assert findings("G111", seed("002").read_text(encoding="utf-8")) == []
    assert findings("G111", fragment("做到统一是非标准，唯一是指……", section="五")) == []


# ---------------------------------------------------------------- whole seeds
EXPECTED = {  # (seed, code, line) of every G finding on the five seeds: nothing on their clean parts
    "000": {("G107", 3), ("G104", 7), ("G107", 7), ("G104", 9), ("G107", 9), ("G104", 11), ("G104", 13)},
    "001": {("G108", 408), ("G108", 414)},
    "002": {("G107", 3), ("G114", 3), ("G107", 7), ("G104", 76), ("G104", 78)},
    "003": {("G107", 3), ("G114", 3), ("G107", 9), ("G104", 19), ("G104", 21), ("G104", 23), ("G104", 84),
            ("G111", 88), ("G102", 92), ("G108", 92), ("G101", 92)},
    "004": {("G107", 3), ("G107", 7), ("G107", 15), ("G107", 27), ("G107", 31)},
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_g_findings_on_seeds(name):
    need_corpus()
    _, diags = ENGINE.check_document(parse(seed(name).read_text(encoding="utf-8"), "s.txt"), Options(select=["G"]))
    assert {(d.code, d.location.line) for d in diags} == EXPECTED[name]


def test_seed_tables_untouched_by_fixing():
    need_corpus()
    for name in EXPECTED:
        text = seed(name).read_text(encoding="utf-8")
        out = apply_text_fixes(ENGINE, text, Options(select=["G"]), unsafe=True)
        before, after = text.splitlines(), out.splitlines()
        assert len(before) == len(after)
        for a, b in zip(before, after):
            if "\t" in a:
                assert a == b
        counts = Counter(d.code for d in ENGINE.check_document(parse(out, "s.txt"), Options(select=["G"]))[1])
        assert not counts, counts


# ---------------------------------------------------------------- the two kinds, as any rule author would use them
def _rule(tmp_path, code: str, check: str):
    from gpalint.rules import parse_rule
    path = tmp_path / f"{code}.toml"
    path.write_text(f'code = "{code}"\nname = "x"\nseverity = "warning"\nsummary = "s"\nmessage = "{{found}}→{{expected}}"\n'
                    f'fix = "unsafe"\n[check]\n{check}\n', encoding="utf-8")
    return parse_rule(path)


def test_sequence_kind_arabic_level3_with_reset(tmp_path):
    rule = _rule(tmp_path, "G901", 'kind = "sequence"\nnumerals = "arabic"\n'
                                   "pattern = '^(?P<item>(?P<n>\\d{1,2})\\.)'\nscopes = [\"section:一\"]\n"
                                   "reset = '^[（(][一二三四五六七八九十]+[)）]'")
    engine = Engine({"G901": rule})
    text = fragment("（一）主动公开", "1.公开渠道", "2.公开内容", "（二）依申请公开", "1.受理", "3.答复", section="一")
    _, diags = engine.check_document(parse(text, "t.txt"), Options())
    assert [(d.location.line, d.message) for d in diags] == [(7, "3.→2.")]
    assert apply_text_fixes(engine, text, Options(), unsafe=True).splitlines()[6] == "2.答复"


@pytest.mark.parametrize("check,key", [
    ('kind = "substitution"\npattern = "a"', "check.replace"),
    ('kind = "substitution"\npattern = "a"\nreplace = "b"\ntarget = "nope"', "check.target"),
    ('kind = "substitution"\npattern = "a"\nreplace = "b"\ntranslate = { a = "b" }', "check.translate"),
    ('kind = "substitution"\npattern = "(?P<k>a)"\nreplace = "b"\nkeep = "k"', "check.keep"),
    ('kind = "substitution"\npattern = "a"\ntranslate = { ab = "b" }', "check.translate"),
    ('kind = "sequence"\npattern = "a"\nnumerals = "chinese"', "check.pattern"),
    ('kind = "sequence"\npattern = "(?P<n>a)"\nnumerals = "roman"', "check.numerals"),
    ('kind = "sequence"\npattern = "(?P<n>a)"\nnumerals = "arabic"\nfirst = "two"', "check.first"),
])
def test_kind_parameters_are_validated(tmp_path, check, key):
    from gpalint.tomlfile import RuleFileError
    with pytest.raises(RuleFileError, match=key.replace(".", r"\.")):
        Engine({"G902": _rule(tmp_path, "G902", check)})


def test_chinese_numerals_round_trip():
    from gpalint.checks.sequence import chinese_numeral, chinese_value
    assert [chinese_value(chinese_numeral(n)) for n in range(1, 100)] == list(range(1, 100))
    assert [chinese_numeral(n) for n in (1, 10, 11, 20, 21, 99)] == ["一", "十", "十一", "二十", "二十一", "九十九"]
    assert chinese_value("十十") is None and chinese_value("二二") is None and chinese_value("") is None
