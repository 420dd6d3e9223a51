"""Run the examples of rule files as tests: `gpalint test-rules DIR` and the test suite use this one runner.

For each example (see gpalint/examples.py for the keys): ``bad`` gives findings of the rule (``count`` of them, on
``lines``, with ``message``), every message filled in; ``good`` gives none; fixing ``bad`` gives ``fixed``, after which
the rule is silent; an unsafe fix is not applied by a plain ``--fix``.
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .checks import KINDS
from .document import Document
from .engine import Engine, Options
from .model import Applicability, Diagnostic
from .rules import RULES_DIR, Rule, RuleSources
from .tomlfile import RuleFileError


@dataclass(frozen=True, slots=True)
class Failure:
    rule: Rule
    number: int  # 1-based, as the examples appear in the rule file
    problem: str  # what differed, in Chinese

    def __str__(self) -> str:
        return f"{self.rule.path}: {self.rule.code} 示例 {self.number}：{self.problem}"


def example_document(text: str, name: str = "example.txt") -> Document:
    """Examples are report fragments as text, or as HTML when the rule is about real table cells."""
    if text.lstrip().startswith("<"):
        from .readers.html import parse as parse_html
        return parse_html(text, name.replace(".txt", ".html"))
    from .readers.text import parse
    return parse(text, name)


def findings(engine: Engine, code: str, text: str, other: str | None = None) -> list[Diagnostic]:
    """The findings of rule ``code`` alone on an example text; with ``other``, of a rule comparing two reports,
    against that text (gpalint/years.py)."""
    if other is not None:
        from .years import pair_findings
        return [d for d in pair_findings(engine, Options(select=[code]), example_document(text),
                                         example_document(other, "other.txt")) if d.code == code]
    _, diags = engine.check_document(example_document(text), Options(select=[code]))
    return [d for d in diags if d.code == code]


def _listing(found: list[Diagnostic]) -> str:
    return "；".join(f"第 {d.location.line} 行「{d.message}」" for d in found)


def _numbers(numbers: list[int]) -> str:
    return "、".join(map(str, numbers))


def _diff(expected: str, actual: str) -> str:
    lines = difflib.unified_diff(expected.splitlines(), actual.splitlines(), "fixed（应为）", "实际修复结果", lineterm="", n=0)
    return "\n".join(lines)


def check_example(engine: Engine, rule: Rule, example: dict[str, Any]) -> list[str]:
    """What is wrong with one example of ``rule``: one Chinese sentence per problem; empty when it passes."""
    problems: list[str] = []
    kind = KINDS.get(rule.kind)
    if kind is not None and kind.pair and "other" not in example:
        return ["比较两份报告的规则，示例需要 other（上年的报告，或同年另一单位的报告）"]
    bad = example.get("bad")
    if bad is not None:
        found = findings(engine, rule.code, bad, example.get("other"))
        count, lines, message = example.get("count"), example.get("lines"), example.get("message")
        if count is None and isinstance(message, list):  # one string per finding: as many findings as strings
            count = len(message)
        if not found:
            problems.append("bad 没有报出问题")
        elif count is not None and len(found) != count:
            problems.append(f"bad 应报出 {count} 个问题，实际 {len(found)} 个：{_listing(found)}")
        actual = [d.location.line for d in found]
        if found and lines is not None and actual != lines:
            problems.append(f"bad 的问题应在第 {_numbers(lines)} 行，实际在第 {_numbers(actual)} 行")
        unfilled = [d for d in found if "{" in d.message or not d.message]
        if unfilled:
            problems.append(f"消息中有未填写的占位符：{_listing(unfilled)}")
        if isinstance(message, str):
            missing = [d for d in found if message not in d.message]
            if missing:
                problems.append(f"消息应包含「{message}」，实际：{_listing(missing)}")
        elif isinstance(message, list):
            for i, (want, d) in enumerate(zip(message, found), 1):
                if want not in d.message:
                    problems.append(f"第 {i} 个问题的消息应包含「{want}」，实际：{_listing([d])}")
    good = example.get("good")
    if good is not None:
        found = findings(engine, rule.code, good, example.get("other"))
        if found:
            problems.append(f"good 不应报出问题，实际 {len(found)} 个：{_listing(found)}")
    fixed = example.get("fixed")
    if bad is not None and fixed is not None:
        problems += _check_fix(engine, rule, bad, fixed)
    return problems


def _check_fix(engine: Engine, rule: Rule, bad: str, fixed: str) -> list[str]:
    from .fix import apply_text_fixes
    options = Options(select=[rule.code])
    problems = []
    actual = apply_text_fixes(engine, bad, options, unsafe=True)
    if actual != fixed:
        problems.append(f"修复 bad 的结果与 fixed 不同：\n{_diff(fixed, actual)}")
    left = findings(engine, rule.code, actual)
    if left:
        problems.append(f"修复后仍报出 {len(left)} 个问题：{_listing(left)}")
    if rule.fix is Applicability.UNSAFE and apply_text_fixes(engine, bad, options, unsafe=False) != bad:
        problems.append("这是不安全的修复，只用 --fix（不加 --unsafe-fixes）时不应改动文本")
    return problems


def run(engine: Engine, rules: list[Rule]) -> tuple[int, list[Failure]]:
    """The number of examples run and the failures among them, for ``rules`` checked by ``engine``."""
    failures = []
    total = 0
    for rule in rules:
        for number, example in enumerate(rule.examples, 1):
            total += 1
            failures += [Failure(rule, number, p) for p in check_example(engine, rule, example)]
    return total, failures


def folder_rules(directory: Path, local_prefix: str | None = None) -> tuple[Engine, list[Rule]]:
    """The engine and the rules to test for a rule folder: the built-in folder alone, or a province's folder of rules
    extra to the built-in ones, checked together with them under the configuration that applies to the folder (found
    upward from it: its ``local-prefix`` and ``extra-templates``); ``local_prefix`` overrides the configuration's."""
    from .config import settings_for
    if not directory.is_dir():
        raise RuleFileError(directory, "目录", "不存在或不是一个目录")
    own = sorted(p.stem for p in directory.glob("*.toml"))
    if not own:
        raise RuleFileError(directory, "目录", "中没有规则文件（*.toml）")
    if directory.resolve() == RULES_DIR.resolve():
        engine = Engine.load()
    else:
        settings = settings_for(directory.resolve() / "_")
        prefix = settings.local_prefix if local_prefix is None else local_prefix
        engine = Engine.load(RuleSources((directory,), prefix, tuple(settings.extra_templates)))
    return engine, [rule for rule in engine.rules.values() if rule.path and rule.path.stem in own
                    and rule.path.parent.resolve() == directory.resolve()]


def report(directory: Path, local_prefix: str | None = None) -> tuple[str, bool]:
    """The Chinese report of running the examples of a rule folder, and whether all passed."""
    engine, rules = folder_rules(directory, local_prefix)
    total, failures = run(engine, rules)
    lines = [str(f) for f in failures]
    without = [r.code for r in rules if not r.examples]
    if without:
        lines.append(f"注意：这些规则没有示例：{'、'.join(without)}")
    if failures:
        failed = len({(f.rule.code, f.number) for f in failures})
        lines.append(f"{len(rules)} 条规则的 {total} 个示例中，{failed} 个未通过。")
    else:
        lines.append(f"全部通过：{len(rules)} 条规则的 {total} 个示例。")
    return "\n".join(lines) + "\n", not failures
