"""Every rule file's own examples, run by the same runner as `gpalint test-rules` (gpalint/ruletest.py), and the
validation of rule files and of their examples."""
from __future__ import annotations

import contextlib
import dataclasses
import io
import re
import shutil
from pathlib import Path

import pytest

from gpalint.cli import main
from gpalint.engine import Engine, Options
from gpalint.model import Applicability
from gpalint.rules import FAMILIES, RULES_DIR, builtin_rules, parse_rule
from gpalint.ruletest import check_example, example_document
from gpalint.tomlfile import RuleFileError

RULES = builtin_rules()
ENGINE = Engine(RULES)
CASES = [(code, i, ex) for code, r in RULES.items() for i, ex in enumerate(r.examples)]


def test_every_rule_has_examples_and_docs():
    for code, rule in RULES.items():
        assert rule.examples, f"{code} has no examples"
        assert any("good" in e for e in rule.examples), code
        if rule.kind != "reader-notes":  # its bad case is a real PDF: see test_unreadable_pdf_glyphs_are_reported
            assert any("bad" in e for e in rule.examples), code
        assert rule.why.strip() and rule.source.strip(), f"{code} has no docs"
        assert rule.family in FAMILIES
        if rule.fix:
            assert any("fixed" in e for e in rule.examples), f"{code} is fixable but has no fixed example"
        for i, e in enumerate(rule.examples, 1):  # every bad case states how many findings it gives
            assert "bad" not in e or "count" in e, f"{code} example {i}: a bad text without count"


@pytest.mark.parametrize("code,i,example", CASES, ids=[f"{c}-{i + 1}" for c, i, _ in CASES])
def test_example(code, i, example):
    assert check_example(ENGINE, RULES[code], example) == []


def test_malformed_rule_file_names_file_and_key(tmp_path):
    bad = tmp_path / "T999.toml"
    bad.write_text('code = "T999"\nname = "x"\nseverity = "fatal"\nsummary = "s"\nmessage = "m"\n[check]\nkind = "table"\n',
                   encoding="utf-8")
    with pytest.raises(RuleFileError) as exc:
        parse_rule(bad)
    assert "T999.toml" in str(exc.value) and "severity" in str(exc.value)


def test_unknown_kind_and_bad_params_are_reported(tmp_path):
    f = tmp_path / "T998.toml"
    f.write_text('code = "T998"\nname = "x"\nseverity = "error"\nsummary = "s"\nmessage = "m"\n[check]\nkind = "nope"\n',
                 encoding="utf-8")
    with pytest.raises(RuleFileError, match=r"check\.kind"):
        Engine({"T998": parse_rule(f)})
    f.write_text('code = "T998"\nname = "x"\nseverity = "error"\nsummary = "s"\nmessage = "m"\n[check]\nkind = "pattern"\n'
                 'pattern = "(["\n', encoding="utf-8")
    with pytest.raises(RuleFileError, match=r"check\.pattern"):
        Engine({"T998": parse_rule(f)})


def test_rule_file_name_matches_code():
    for path in RULES_DIR.glob("*.toml"):
        assert parse_rule(path).code == path.stem


def test_unreadable_pdf_glyphs_are_reported():
    from pathlib import Path

    from gpalint.document import Block
    from gpalint.readers import read
    doc = read(Path(__file__).parent / "fixtures" / "layout.pdf")  # a layout test page with unmapped glyphs
    doc.blocks.insert(0, Block("一、总体情况", 1, page=1))  # make it look like a report
    _, diags = ENGINE.check_document(doc, Options(select=["M106"]))
    assert diags and all(d.code == "M106" and d.location.page for d in diags)
    assert any("无法识别的字形" in d.message for d in diags)


# ── gpalint test-rules and the example keys ─────────────────────────────────────────────────────────────

PROVINCE = Path(__file__).parent / "fixtures" / "province" / "rules"


def run_cli(*args: str) -> tuple[int, str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        code = main(list(args))
    return code, out.getvalue()


def test_test_rules_passes_on_the_builtin_rules():
    code, out = run_cli("test-rules", str(RULES_DIR))
    assert code == 0 and out.startswith(f"全部通过：{len(RULES)} 条规则的 {len(CASES)} 个示例")


def test_test_rules_runs_a_provinces_own_rules_with_its_own_base(tmp_path):
    code, out = run_cli("test-rules", str(PROVINCE))
    assert (code, out) == (0, "全部通过：2 条规则的 3 个示例。\n")


def broken_copy(tmp_path: Path, old: str, new: str) -> Path:
    folder = tmp_path / "rules"
    shutil.copytree(PROVINCE, folder)
    shutil.copy(PROVINCE.parent / "gpalint.toml", tmp_path)  # the province's configuration: its local-prefix
    path = folder / "JS901.toml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return folder


GOOD = '\n        ["（二）依申请公开\\n", "（二）依申请公开\\n1.受理\\n'  # good's second replacement (indented 8)
FIXED = '\n         ["（二）依申请公开\\n", "（二）依申请公开\\n1.受理\\n'  # fixed's (indented 9)


@pytest.mark.parametrize("old,new,expected", [
    ("count = 1\nlines = [10]\n", "count = 2\n", "JS901 示例 1：bad 应报出 2 个问题，实际 1 个：第 10 行「三级标题编号不连续：「3.」应为「2.」」"),
    ("lines = [10]", "lines = [9]", "JS901 示例 1：bad 的问题应在第 9 行，实际在第 10 行"),
    ('message = "「3.」应为「2.」"', 'message = "「3.」应为「4.」"', "JS901 示例 1：消息应包含「「3.」应为「4.」」"),
    (FIXED + "2.答复", FIXED + "4.答复",
     "JS901 示例 1：修复 bad 的结果与 fixed 不同：\n--- fixed（应为）\n+++ 实际修复结果\n@@ -10 +10 @@\n-4.答复\n+2.答复"),
    (GOOD + "2.答复", GOOD + "5.答复",
     "JS901 示例 1：good 不应报出问题，实际 1 个：第 10 行「三级标题编号不连续：「5.」应为「2.」」"),
])
def test_a_broken_example_fails_with_rule_example_and_difference(tmp_path, old, new, expected):
    folder = broken_copy(tmp_path, old, new)
    code, out = run_cli("test-rules", str(folder))
    assert code == 1
    assert f"{folder / 'JS901.toml'}: {expected}" in out
    assert out.endswith("2 条规则的 3 个示例中，1 个未通过。\n")


def test_test_rules_bad_input_exits_2(tmp_path):
    assert run_cli("test-rules", str(tmp_path / "nope"))[0] == 2
    code, out = run_cli("test-rules", str(tmp_path))
    assert code == 2 and "没有规则文件" in out
    folder = broken_copy(tmp_path, "count = 1", "cout = 1")
    code, out = run_cli("test-rules", str(folder))
    assert code == 2 and "JS901.toml" in out and "examples[0].cout" in out


HEAD = 'code = "T997"\nname = "x"\nseverity = "error"\nsummary = "s"\nmessage = "m"\n[check]\nkind = "table"\n'


@pytest.mark.parametrize("example,key,problem", [
    ('bad = "x"\ncounts = 1', "examples[0].counts", "不是示例的键"),
    ('base = "nope"\ngood = []', "examples[0].base", "没有名为「nope」的基础文本"),
    ('base = 3\ngood = []', "examples[0].base", "应为基础文本的名字"),
    ('good = [["a", "b"]]', "examples[0].good", "需要先用 base"),
    ('base = "report"\ngood = [["a"]]', "examples[0].good", "替换对的列表"),
    ('base = "report"\nbad = [["不在报告里的话", "b"]]', "examples[0].bad[0]", "「不在报告里的话」不在基础文本「report」中"),
    ('base = "report"\nbad = [["政府信息", "b"]]', "examples[0].bad[0]", "出现 17 次，应只出现一次"),
    ('good = "x"\ncount = 1', "examples[0].count", "只能与 bad 一起使用"),
    ('good = "x"\nfixed = "x"', "examples[0].fixed", "只能与 bad 一起使用"),
    ('bad = "x"\ncount = 0', "examples[0].count", "应为正整数"),
    ('bad = "x"\ncount = true', "examples[0].count", "应为正整数"),
    ('bad = "x"\ncount = 2\nlines = [1]', "examples[0].lines", "与 count = 2 不符"),
    ('bad = "x"\nlines = [0]', "examples[0].lines", "行号"),
    ('bad = "x"\ncount = 1\nmessage = ["a", "b"]', "examples[0].message", "与 count = 1 不符"),
    ('bad = "x"\nmessage = 3', "examples[0].message", "应为文本"),
    ('note = "只有说明"', "examples[0]", "至少有 bad 或 good"),
])
def test_example_keys_are_validated_naming_file_and_key(tmp_path, example, key, problem):
    path = tmp_path / "T997.toml"
    path.write_text(f"{HEAD}[[examples]]\n{example}\n", encoding="utf-8")
    with pytest.raises(RuleFileError) as exc:
        parse_rule(path)
    assert str(exc.value).startswith(f"{path}：「{key}」") and problem in str(exc.value)


def test_replacements_apply_in_order_to_the_base(tmp_path):
    path = tmp_path / "T997.toml"
    path.write_text(f'{HEAD}[[examples]]\nbase = "report"\ngood = []\n'
                    'bad = [["申请4件", "申请5件"], ["申请5件，均已", "申请6件，均已"]]\n', encoding="utf-8")
    [example] = parse_rule(path).examples
    base = (RULES_DIR / "bases" / "report.txt").read_text(encoding="utf-8")
    assert example["good"] == base and example["bad"] == base.replace("申请4件", "申请6件")
    assert example["edits"]["bad"] == [("申请4件", "申请5件"), ("申请5件，均已", "申请6件，均已")]


# each base text, and the rules it is clean for: report, a complete clean report, for all; outline, the six headings
# with no text under them, for the heading rules
BASES = {"report": None, "outline": ["S101", "S102", "S103", "S104", "S105"]}


def test_every_base_is_listed():
    assert sorted(BASES) == sorted(p.stem for p in (RULES_DIR / "bases").glob("*.txt"))


@pytest.mark.parametrize("base,select", BASES.items())
def test_the_shared_bases_are_clean(base, select):
    # an example that edits a base owes its findings to its edits alone
    text = (RULES_DIR / "bases" / f"{base}.txt").read_text(encoding="utf-8")
    _, diags = ENGINE.check_document(example_document(text), Options(select=select))
    assert diags == []


def test_docs_show_a_base_example_as_its_replacements():
    from gpalint.output.rulesdoc import rule_markdown
    text = rule_markdown(RULES["T103"])
    assert ("不符合：\n\n```text\n（基础文本 rules/bases/report.txt，改动如下）\n"
            "把「（七）总计\t3\t1\t0\t0\t0\t0\t4」\n改为「（七）总计\t3\t1\t0\t0\t0\t0\t5」\n```") in text
    assert "符合：\n\n```text\n（基础文本 rules/bases/report.txt，不作改动）\n```" in text


def test_the_readme_rule_of_a_province_passes_test_rules(tmp_path):
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    [rule] = re.findall(r'```toml\n(code = "JS901".*?)```', readme, re.S)
    (tmp_path / "JS901.toml").write_text(rule, encoding="utf-8")
    assert run_cli("test-rules", "--local-prefix", "JS", str(tmp_path)) == (0, "全部通过：1 条规则的 2 个示例。\n")


def test_an_unsafe_fix_that_plain_fix_applies_is_a_failure():
    # G101's fix is safe, so plain --fix applies it: declared unsafe, the rule would break its promise
    rule = RULES["G101"]
    problems = check_example(ENGINE, dataclasses.replace(rule, fix=Applicability.UNSAFE), rule.examples[0])
    assert problems == ["这是不安全的修复，只用 --fix（不加 --unsafe-fixes）时不应改动文本"]


def test_a_message_list_counts_the_findings(tmp_path):
    folder = broken_copy(tmp_path, 'count = 1\nlines = [10]\nmessage = "「3.」应为「2.」"',
                         'message = ["「3.」应为「2.」", "「4.」应为「3.」"]')
    code, out = run_cli("test-rules", str(folder))
    assert code == 1 and "JS901 示例 1：bad 应报出 2 个问题，实际 1 个" in out


def test_an_unreadable_base_is_named(tmp_path):
    (tmp_path / "bases").mkdir()
    (tmp_path / "bases" / "gbk.txt").write_bytes("一、总体情况".encode("gbk"))
    path = tmp_path / "T997.toml"
    path.write_text(f'{HEAD}[[examples]]\nbase = "gbk"\ngood = []\n', encoding="utf-8")
    with pytest.raises(RuleFileError, match=r"gbk\.txt：「文件」不是 UTF-8 编码的文本"):
        parse_rule(path)


@pytest.mark.parametrize("said,codes", [
    ("本年度未收到行政复议申请。", ["C107"]),  # about reviews: C107's, not C104's too
    ("未收到行政诉讼申请。", []),  # table 四 has no lawsuits
    ("本年度未收到政府信息公开申请，未发生行政复议。", ["C104", "C107"]),  # two claims, each against its table
])
def test_a_negative_claim_is_reported_by_the_rule_of_its_subject_only(said, codes):
    from gpalint.readers.text import parse
    text = (RULES_DIR / "bases" / "report.txt").read_text(encoding="utf-8")
    text = text.replace("均已按期答复。全年被申请行政复议1件。", "均已按期答复。全年被申请行政复议1件。" + said)
    _, diags = ENGINE.check_document(parse(text, "r.txt"), Options(select=["C"]))
    assert sorted(d.code for d in diags) == codes
