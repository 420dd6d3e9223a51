"""Rules cannot hang or break a run: patterns have a time budget, templates and [check] tables are checked at load."""
from __future__ import annotations

import dataclasses
import json
import re
import subprocess
import sys
import time
from collections import Counter

import pytest
from conftest import ROOT

from gpalint import config
from gpalint.checks import KINDS, base
from gpalint.cli import main
from gpalint.engine import Engine
from gpalint.rules import builtin_rules, parse_rule
from gpalint.tomlfile import RuleFileError

CLEAN = ROOT / "examples" / "clean-report.txt"
FAULTY = ROOT / "examples" / "faulty-report.txt"
SENTENCE = "本机关坚持以公开为常态不公开为例外的原则全面推进决策执行管理服务结果公开工作取得明显成效。"  # 45 characters


@pytest.fixture(autouse=True)
def _fresh_caches():
    config.clear_caches()
    yield
    config.clear_caches()


def _rule(tmp_path, check: str, code: str = "G901", local: bool = False, **top: str):
    lines = {"code": code, "name": "x", "severity": "warning", "summary": "s", "message": "{found}", **top}
    text = "".join(f"{k} = '{v}'\n" for k, v in lines.items()) + "[check]\n" + check + "\n"
    path = tmp_path / f"{code}.toml"
    path.write_text(text, encoding="utf-8")
    return parse_rule(path, local_prefix="JS" if local else None)


def _compile(rule):
    return Engine({rule.code: rule})


# ── patterns with a time budget ──────────────────────────────────────────────────────────────────────────────────

def _province(tmp_path, pattern: str):
    (tmp_path / "gpalint.toml").write_text('extra-rules = ["本地规则"]\nlocal-prefix = "JS"\n', encoding="utf-8")
    folder = tmp_path / "本地规则"
    folder.mkdir()
    (folder / "JS101.toml").write_text(
        f"code = 'JS101'\nname = 'x'\nseverity = 'warning'\nsummary = 's'\nmessage = '{{found}}'\n"
        f"[check]\nkind = 'pattern'\nscope = 'document'\npattern = '{pattern}'\n", encoding="utf-8")
    report = tmp_path / "report.txt"
    report.write_text(CLEAN.read_text(encoding="utf-8") + SENTENCE + "\n", encoding="utf-8")
    return report


def test_the_backtracking_pattern_of_the_issue_does_not_hang(tmp_path):
    report = _province(tmp_path, r"^(\p{Han}+)+$")  # with re: 2^45 steps to fail on the sentence (its 。)
    # in a child process, so that a regression fails the test instead of hanging the suite
    done = subprocess.run([sys.executable, "-m", "gpalint", "check", "--format", "json", str(report)],
                          capture_output=True, text=True, encoding="utf-8", timeout=60, cwd=tmp_path)
    assert done.returncode == 1, done.stderr  # lines of Chinese characters only do match
    assert "示范镇人民政府" in done.stdout and SENTENCE not in done.stdout


def test_a_pattern_over_its_budget_is_one_line_naming_rule_and_file(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(base, "PATTERN_BUDGET", 0.2)
    report = _province(tmp_path, r"(?:(\p{Han}+?)+\1)+$")  # exponential in the regex module too, on the sentence
    started = time.perf_counter()
    assert main(["check", "--format", "json", str(report), str(FAULTY)]) == 2
    assert time.perf_counter() - started < 10
    captured = capsys.readouterr()
    lines = captured.err.splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith(f"{report}: 错误：规则 JS101 ") and "JS101.toml" in lines[0] and "秒" in lines[0]
    entries = json.loads(captured.out)
    assert {d["path"] for d in entries if d["code"] != "E000"} == {str(FAULTY)}  # the other file was still checked
    assert [d["path"] for d in entries if d["code"] == "E000"] == [str(report)]  # and the stopped one is listed


def _patterns(value):
    """The compiled patterns inside a kind's parameters."""
    if isinstance(value, re.Pattern):
        yield value
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            yield from _patterns(getattr(value, f.name))
    elif isinstance(value, (tuple, list)):
        for v in value:
            yield from _patterns(v)


def _hostile_inputs(pattern: re.Pattern) -> list[str]:
    literal = sorted({c for c in pattern.pattern if ord(c) > 127 or c in " .,:;()[]<>\"'-"})
    pieces = ["政", " ", "1", "政 ", "政1", "1 ", "（一）", "，", "。", "2024年1月1日", "a", "\t", "《", "〈", "“"]
    pieces += literal + [a + b for a in literal[:12] for b in ("政", " ", "1")]
    return [p * (1000 // len(p)) for p in pieces] + [SENTENCE * 20 + "!"]


def test_the_built_in_patterns_cannot_backtrack_catastrophically():
    r"""Why built-in rules may stay on re (no time budget): each of their patterns scans 1,000 characters of every
    repetitive input that could make it backtrack — its own literal characters, Chinese, spaces, digits — at once.
    An exponential pattern fails long before (the issue's ^(\p{Han}+)+$ hangs on 45 characters); what remains is
    the quadratic scan of any regex engine on a very long run (a line of thousands of digits), which the per-file
    time budget bounds."""
    engine = Engine(builtin_rules())
    patterns = [(check.rule.code, p) for check in engine.checks for p in _patterns(check.params)]
    assert len(patterns) >= 40
    slowest = (0.0, "", "")
    for code, pattern in patterns:
        for text in _hostile_inputs(pattern):
            started = time.perf_counter()
            for _ in pattern.finditer(text):
                pass
            pattern.search(text)
            slowest = max(slowest, (time.perf_counter() - started, code, pattern.pattern))
    assert slowest[0] < 0.5, slowest


def test_built_in_rules_use_re_and_local_rules_the_time_budget(tmp_path):
    builtin = _compile(_rule(tmp_path, "kind = 'pattern'\npattern = '政'")).checks[0]
    local = _compile(_rule(tmp_path, "kind = 'pattern'\npattern = '政'", code="JS901", local=True)).checks[0]
    assert isinstance(builtin.params.pattern, re.Pattern)
    assert isinstance(local.params.pattern, base.TimedPattern)


# ── templates checked at load ────────────────────────────────────────────────────────────────────────────────────

@pytest.mark.parametrize("key, template, problem", [
    ("message", "oops {", "不是有效的消息模板"),
    ("message", "{found:>1000000000}", "不能带格式说明"),
    ("message", "{found!r}", "不能带格式说明或转换"),
    ("message", "{nope}", "没有字段「{nope}」"),
    ("message", "{found.__class__}", "没有字段"),
    ("message", "{0}", "没有字段"),
    ("hint", "见 {found:{found}}", "不能带格式说明"),
    ("fix_message", "改为 {replacement", "不是有效的消息模板"),
])
def test_bad_templates_are_rule_file_errors_at_load(tmp_path, key, template, problem):
    rule = _rule(tmp_path, "kind = 'pattern'\npattern = '政'\nreplace = '政府'", **{key: template, "fix": "safe"})
    with pytest.raises(RuleFileError) as info:
        _compile(rule)
    assert info.value.key == key and problem in info.value.problem and info.value.path.endswith("G901.toml")


def test_good_templates_load_and_fill(tmp_path):
    from gpalint.document import Block, Document
    from gpalint.engine import Options
    from gpalint.report import analyse
    rule = _rule(tmp_path, "kind = 'pattern'\nscope = 'document'\npattern = '(?P<word>政)(?P<other>x)?'",
                 message="{{字面}} {found}/{word}/{other}")
    engine = _compile(rule)
    doc = Document("t.txt", "text", [Block("政府信息公开", 1)])
    diags = engine.check_report(analyse(doc), Options())
    assert [d.message for d in diags] == ["{字面} 政/政/{other}"]  # a group that did not take part stays as written


def test_every_built_in_rule_names_only_its_kinds_fields():
    engine = Engine(builtin_rules())  # compiling checks every template
    assert len(engine.checks) == len(builtin_rules())


@pytest.mark.parametrize("local", [False, True])
@pytest.mark.parametrize("replace", [r"\g<nope>", r"\q", r"\g<3>", "\\g<a"])
def test_replacement_templates_are_dry_run_at_load(tmp_path, local, replace):
    for kind in ("pattern", "substitution"):
        rule = _rule(tmp_path, f"kind = '{kind}'\npattern = '(?P<a>政)(?P<b>府)'\nreplace = '{replace}'",
                     code="JS901" if local else "G901", local=local)
        with pytest.raises(RuleFileError, match="替换模板有误") as info:
            _compile(rule)
        assert info.value.key == "check.replace" and info.value.path.endswith(f"{rule.code}.toml")


def test_a_good_replacement_template_of_a_local_rule_loads(tmp_path):
    rule = _rule(tmp_path, r"kind = 'substitution'" + "\n" + r"pattern = '(?P<a>政)(?P<b>x)?'" + "\n" +
                 r"replace = '\g<a>\g<b>府'", code="JS901", local=True)
    assert _compile(rule).checks[0].params.replace == r"\g<a>\g<b>府"


# ── [check] tables ───────────────────────────────────────────────────────────────────────────────────────────────

@pytest.mark.parametrize("check, key, problem", [
    ("kind = 'pattern'\npattern = '政'\nscpoe = 'body'", "check.scpoe", "不是检查类型「pattern」的参数"),
    ("kind = 'pattern'\npattern = '政'\nskip_tables = 1", "check.skip_tables", "布尔值"),
    ("kind = 'substitution'\npattern = '政'\nreplace = '府'\nmerge = true", "check.merge", "整数"),
    ("kind = 'date-range'\npattern = '(?P<y1>\\d{4})'\naspect = 'year'", "check.pattern", "(?P<m1>…)"),
    ("kind = 'compare'\nleft = 'title.year'\nright = {pattern = '(?P<n>\\d+)', mdoe = 'each'}", "check.right.mdoe",
     "只能写"),
    ("kind = 'signing-date'\naspect = 'late'\ndeadlines = [{issuer = '局$', month = 13, day = 1}]",
     "check.deadlines[0]", "1 至 12"),
    ("kind = 'template-year'\nscope = 'body'", "check.scope", "（无）"),
    ("kind = 'reader-notes'\nnotes = 'writing'", "check.notes", "只能是：reading、conversion"),
])
def test_check_tables_are_read_strictly(tmp_path, check, key, problem):
    with pytest.raises(RuleFileError) as info:
        _compile(_rule(tmp_path, check))
    assert info.value.key == key and problem in info.value.problem, info.value


def test_built_in_kinds_are_those_that_serve_one_rule():
    uses = Counter(rule.kind for rule in builtin_rules().values())
    assert {name for name, kind in KINDS.items() if kind.builtin} == {name for name, n in uses.items() if n == 1}


# ── one validation helper for rule, template and [check] tables ──────────────────────────────────────────────────

def test_rule_template_and_check_tables_word_errors_alike(tmp_path):
    from gpalint.report.template import parse_template
    rule = tmp_path / "G903.toml"
    rule.write_text("code = 'G903'\nname = 7\nseverity = 'info'\nsummary = 's'\nmessage = 'm'\n[check]\nkind = 'x'\n",
                    encoding="utf-8")
    template = tmp_path / "2030.toml"
    template.write_text("version = '2030'\nname = 'n'\nsections = [{key = '一'}]\ntables = {}\n", encoding="utf-8")
    errors = []
    for load in (lambda: parse_rule(rule), lambda: parse_template(template),
                 lambda: _compile(_rule(tmp_path, "kind = 'sequence'\npattern = '(?P<n>一)'\nnumerals = 1"))):
        with pytest.raises(RuleFileError) as info:
            load()
        errors.append((info.value.key, info.value.problem))
    assert errors == [("name", "类型应为字符串"), ("sections[0].title", "缺少必填项"), ("check.numerals", "类型应为字符串")]
