"""docs/rules.md is generated from the rule files and must not go stale."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from gpalint.model import Applicability, Severity
from gpalint.output.rulesdoc import anchor, render_markdown
from gpalint.rules import Rule, load_rules

ROOT = Path(__file__).resolve().parent.parent


def test_rules_md_is_up_to_date():
    expected = render_markdown(load_rules())
    current = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert current == expected, "docs/rules.md 已过期：请运行 python scripts/gen_rules_doc.py"


def test_check_mode_of_the_script():
    script = ROOT / "scripts" / "gen_rules_doc.py"
    assert subprocess.run([sys.executable, str(script), "--check"]).returncode == 0


def test_every_rule_documented():
    rules = load_rules()
    text = render_markdown(rules)
    for rule in rules.values():
        assert f"### {rule.code} {rule.name}\n" in text
        assert f"](#{anchor(rule)})" in text


def test_markdown_shape():
    rule = Rule(code="G101", name="doc-number-brackets", family="G", severity=Severity.WARNING,
                summary="发文字号的年份应使用六角括号 | 〔〕", message="m", kind="substitution", params={},
                fix=Applicability.SAFE, why="GB/T 9704", source="《党政机关公文格式》",
                examples=[{"bad": "国办函【2020】109号 ```", "fixed": "国办函〔2020〕109号"}])
    text = render_markdown({"G101": rule})
    assert "| [G101](#g101-doc-number-brackets) | doc-number-brackets | warning | 安全 | 发文字号的年份应使用六角括号 \\| 〔〕 |" in text
    assert "## G 公文格式" in text and "## T" not in text
    assert "````text\n国办函【2020】109号 ```\n````" in text  # a longer fence around backticks
    assert "修复后：\n\n```text\n国办函〔2020〕109号\n```" in text
