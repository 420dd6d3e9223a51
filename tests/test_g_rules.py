"""The G rules (公文格式) on whole real reports, and the two kinds behind them as any rule author would use them.

The cases of single lines (each rule fires where a report is wrong, is silent where it is right, and fixes to the
right text) are the rules' own examples in rules/G*.toml, run by tests/test_rules.py and `gpalint test-rules`. What
is left here cannot be an example: every G rule together on the five seed reports of tests/corpus, and the validation
of kind parameters."""
from __future__ import annotations

from collections import Counter

import pytest
from conftest import CORPUS, need_corpus, seed

from gpalint.engine import Engine, Options
from gpalint.fix import apply_text_fixes
from gpalint.readers.text import parse

ENGINE = Engine.load()


# ---------------------------------------------------------------- a report collapsed into one line
# (file, column) of every G107/G114 on line 12 of a crawled report whose paragraphs a space parts: only the spaces inside
# a paragraph — 「新中国成立 70 周年」「“双随机、一公开” 抽查」「邮 编」「电 话」, the title's 「2020年度 政府…」 — never the
# ones that stood for a paragraph break (「年度报告 根据」「一、总体情况 2020年」「。 一是」「事项 无」「局 2021年1月27日」)
COLLAPSED = {
    "004_2019_pingtan-zongheshiyanqu": {("G107", 1270), ("G107", 1292), ("G107", 1864)},
    "103_2020_pingtan-caizhengjinrongju": {("G114", 108), ("G114", 481), ("G114", 492)},
    "107_2020_pingtan-haitanpianqu": {("G107", 913)},
}


@pytest.mark.parametrize("name", sorted(COLLAPSED))
def test_spaces_for_paragraph_breaks_of_a_collapsed_report_are_not_reported(name):
    need_corpus()
    path = CORPUS / "full" / f"{name}.txt"
    _, diagnostics = ENGINE.check_document(parse(path.read_text(encoding="utf-8"), str(path)), Options())
    found = {(d.code, d.location.column) for d in diagnostics if d.code in ("G107", "G114") and d.location.line == 12}
    assert found == COLLAPSED[name]


def test_one_long_paragraph_is_not_a_collapsed_report():
    """A long paragraph with one section heading in it is a paragraph: a space after its 「。」 is a typing error."""
    text = "一、总体情况 " + "2024年，我镇坚持以公开为常态、不公开为例外，" * 8 + "取得良好效果。 一是抓好主动公开。\n二、主动公开政府信息情况\n无。\n"
    _, diagnostics = ENGINE.check_document(parse(text, "r.txt"), Options())
    assert [d.location.column for d in diagnostics if d.code == "G107"] == [7, len(text.split("\n")[0]) - 9]


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


def test_a_translating_substitution_edits_only_the_characters_it_changes():
    # a Word fix keeps the formatting of every run it does not touch: G101 changes the two brackets, not the number
    from gpalint.ruletest import findings
    text = "六、其他需要报告的事项\n本机关按照《办法》(国办函【2020】109号)规定，未收取信息处理费。\n"
    [d] = findings(ENGINE, "G101", text)
    assert [e.content for e in d.fix.edits] == ["〔", "〕"]


CONVERTED = ("一、总体情况\n(一)主动公开。2024年,我镇深入贯彻落实《条例》,坚持以公开为常态,不公开为例外,主动公开政府信息326条,\n"
             "其中政策文件12条,工作动态210条,通知公告104条,办理依申请公开2件,均按期答复,\n"
             "未发生行政复议,行政诉讼,未收取信息处理费,群众满意度较高,工作取得实效。\n")


def test_punctuation_a_converter_made_half_width_is_not_reported_mark_by_mark():
    """Dozens of half-width commas and not one 「，」: a tool converted the marks (a crawler, as in tests/corpus/real);
    one full-width comma typed by a person, and the same marks are the author's again."""
    def codes(text):
        return Counter(d.code for d in ENGINE.check_document(parse(text, "r.txt"), Options(select=["G104", "G108"]))[1])
    converted = parse(CONVERTED, "r.txt")
    assert converted.converted == frozenset({"punctuation"}) and not codes(CONVERTED)
    typed = CONVERTED.replace("工作动态210条,", "工作动态210条，")
    assert parse(typed, "r.txt").converted == frozenset()
    found = codes(typed)
    assert found["G104"] == 1 and found["G108"] >= 10
