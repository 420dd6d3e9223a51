"""A configuration's own rules: a declared code prefix (local-prefix = "JS"), never a built-in family letter."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import ROOT

from gpalint import config
from gpalint.cli import main
from gpalint.config import load_settings, selected
from gpalint.output.rulesdoc import render_markdown
from gpalint.rules import RuleSources, is_selector, selector_matches
from gpalint.tomlfile import RuleFileError

CLEAN = ROOT / "examples" / "clean-report.txt"
RULE = '''code = "{code}"
name = "province-hotline"
severity = "warning"
summary = "第六部分应公布政务公开咨询电话"
message = '「{{scope}}」没有写政务公开咨询电话'
[check]
kind = "required-text"
scope = "section:六"
patterns = ['咨询电话|联系电话']
'''


@pytest.fixture(autouse=True)
def _fresh_caches():
    config.clear_caches()
    yield
    config.clear_caches()


def _province(tmp_path: Path, settings: str, code: str = "JS101") -> Path:
    (tmp_path / "gpalint.toml").write_text('extra-rules = ["江苏规则"]\n' + settings, encoding="utf-8")
    (tmp_path / "江苏规则").mkdir()
    (tmp_path / "江苏规则" / f"{code}.toml").write_text(RULE.format(code=code), encoding="utf-8")
    report = tmp_path / "report.txt"
    report.write_text(CLEAN.read_text(encoding="utf-8"), encoding="utf-8")
    return report


def _codes(capsys, *args) -> tuple[int, list[str]]:
    code = main(["check", "--format", "json", *args])
    out, err = capsys.readouterr()
    assert err == "", err
    return code, [d["code"] for d in json.loads(out)]


def test_a_local_rule_runs_under_its_prefix(tmp_path, capsys):
    report = _province(tmp_path, 'local-prefix = "JS"\n')
    assert _codes(capsys, str(report)) == (1, ["JS101"])
    assert _codes(capsys, "--select", "JS", str(report)) == (1, ["JS101"])
    assert _codes(capsys, "--select", "JS1", str(report)) == (1, ["JS101"])
    assert _codes(capsys, "--ignore", "JS101", str(report)) == (0, [])
    # a built-in family does not reach the local rules, nor a local prefix the built-in ones
    assert _codes(capsys, "--select", "S", str(report)) == (0, [])
    main(["check", str(report)])
    assert "本地规则 JS 1" in capsys.readouterr().out  # the summary names the local family


@pytest.mark.parametrize("setting", ['ignore = ["JS"]', 'ignore = ["JS101"]', 'per-file-ignores = {"*.txt" = ["JS1"]}'])
def test_local_codes_are_valid_selectors_in_the_configuration(tmp_path, capsys, setting):
    report = _province(tmp_path, f'local-prefix = "JS"\n{setting}\n')
    assert _codes(capsys, str(report)) == (0, [])


def test_local_severity_and_inline_suppression(tmp_path, capsys):
    report = _province(tmp_path, 'local-prefix = "JS"\n[severity]\nJS = "error"\n')
    main(["check", "--format", "json", str(report)])
    assert [d["severity"] for d in json.loads(capsys.readouterr().out)] == ["error"]
    lines = report.read_text(encoding="utf-8").splitlines()
    six = next(i for i, line in enumerate(lines) if line.startswith("六、"))
    lines.insert(six, "<!-- gpalint: ignore JS101 -->")
    report.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert _codes(capsys, str(report)) == (0, [])


def test_a_local_rule_in_a_built_in_family_is_an_error(tmp_path, capsys):
    report = _province(tmp_path, "", code="S901")
    assert main(["check", str(report)]) == 2
    err = capsys.readouterr().err
    assert "S901.toml" in err and "「code」" in err and "内置族字母「S」" in err and "local-prefix" in err


def test_a_local_rule_must_use_the_declared_prefix(tmp_path):
    _province(tmp_path, 'local-prefix = "JS"\n', code="ZJ101")
    settings = load_settings(tmp_path / "gpalint.toml")
    with pytest.raises(RuleFileError, match="本地前缀「JS」") as info:
        settings.rule_sources.load()
    assert info.value.key == "code" and info.value.path.endswith("ZJ101.toml")


@pytest.mark.parametrize("prefix, problem", [("SH", "内置族字母「S」"), ("js", "大写英文字母"), ("ALL", "大写英文字母"),
                                             ("ABCD", "大写英文字母")])
def test_a_local_prefix_cannot_squat_a_built_in_family(tmp_path, prefix, problem):
    (tmp_path / "gpalint.toml").write_text(f'local-prefix = "{prefix}"\n', encoding="utf-8")
    with pytest.raises(RuleFileError, match=problem) as info:
        load_settings(tmp_path / "gpalint.toml")
    assert info.value.key == "local-prefix"


def test_a_local_code_is_no_selector_without_its_prefix(tmp_path):
    (tmp_path / "gpalint.toml").write_text('ignore = ["JS101"]\n', encoding="utf-8")
    with pytest.raises(RuleFileError, match="不是规则代码或前缀"):
        load_settings(tmp_path / "gpalint.toml")


def test_selectors_match_within_one_family():
    assert is_selector("JS1", "JS") and not is_selector("JS1", "") and not is_selector("J", "JS")
    assert selector_matches("JS101", "JS") and selector_matches("JS101", "JS10") and selector_matches("T103", "ALL")
    assert not selector_matches("XA101", "X") and not selector_matches("T103", "T2")


def test_selection_is_the_same_with_and_without_a_configuration(tmp_path):
    from gpalint.engine import Options
    settings = load_settings(None)
    for select, ignore, extend in ((None, ["G"], ["G101"]), (["T"], ["T1"], []), (None, [], ["C"]), (["ALL"], ["T103"], [])):
        for code in ("T103", "T201", "G101", "G107", "C101", "S101"):
            assert Options(select=select, ignore=ignore, extend_select=extend).wants(code) == \
                selected(code, tmp_path / "r.txt", settings, select, ignore, extend), (select, ignore, extend, code)


def test_the_rule_reference_lists_local_rules_after_the_built_in_ones(tmp_path):
    _province(tmp_path, 'local-prefix = "JS"\n')
    rules = RuleSources((tmp_path / "江苏规则",), "JS").load()
    text = render_markdown(rules)
    assert "## JS 本地规则" in text and text.index("## M ") < text.index("## JS 本地规则")


def test_severity_overrides_use_the_same_selectors_everywhere(tmp_path):
    from gpalint.config import severity_for
    from gpalint.engine import Options
    from gpalint.model import Severity
    (tmp_path / "gpalint.toml").write_text('[severity]\nG = "info"\nG101 = "error"\n', encoding="utf-8")
    settings = load_settings(tmp_path / "gpalint.toml")
    options = Options(severity={"G": Severity.INFO, "G101": Severity.ERROR})
    for code, level in (("G101", Severity.ERROR), ("G107", Severity.INFO), ("T103", None)):
        assert options.severity_of(code) == severity_for(code, settings) == level
