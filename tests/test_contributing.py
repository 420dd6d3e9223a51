"""CONTRIBUTING.md's recipes work as written: its rule file loads and passes its examples, its check kind runs."""
from __future__ import annotations

import re
import sys
import textwrap
import types
from pathlib import Path

from gpalint.checks import KINDS
from gpalint.engine import Engine, Options
from gpalint.readers.text import parse
from gpalint.rules import parse_rule
from gpalint.ruletest import check_example

GUIDE = (Path(__file__).resolve().parents[1] / "CONTRIBUTING.md").read_text(encoding="utf-8")


def block(language: str) -> str:
    """The guide's one code block in ``language``, unindented (recipe 1's sits inside a numbered list)."""
    [(_, code)] = re.findall(rf"^( *)```{language}\n(.*?)^\1```$", GUIDE, re.S | re.M)
    return textwrap.dedent(code)


def test_the_rule_of_recipe_1_loads_and_passes_its_examples(tmp_path):
    path = tmp_path / "F105.toml"
    path.write_text(block("toml"), encoding="utf-8")
    rule = parse_rule(path)
    assert len(rule.examples) == 2 and rule.examples[1]["base"] == "report"
    engine = Engine({rule.code: rule})
    assert [check_example(engine, rule, e) for e in rule.examples] == [[], []]


def test_the_kind_of_recipe_2_runs(tmp_path, monkeypatch):
    module = types.ModuleType("gpalint.checks.my_kind")
    module.__package__ = "gpalint.checks"
    monkeypatch.setitem(sys.modules, module.__name__, module)  # dataclasses look their module up
    exec(compile(block("python"), "CONTRIBUTING.md", "exec"), module.__dict__)
    monkeypatch.setitem(KINDS, "my-kind", module.KIND)
    path = tmp_path / "G990.toml"
    path.write_text('code = "G990"\nname = "x"\nseverity = "info"\nsummary = "s"\nmessage = "不宜写「{found}」"\n'
                    '[check]\nkind = "my-kind"\npattern = "兹"\n', encoding="utf-8")
    engine = Engine({"G990": parse_rule(path)})
    _, found = engine.check_document(parse("一、总体情况\n兹有报告如下。\n", "r.txt"), Options())
    assert [(d.message, d.location.line, d.location.column) for d in found] == [("不宜写「兹」", 2, 1)]
