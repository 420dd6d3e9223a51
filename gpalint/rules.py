"""Rule files: one TOML file per rule under rules/ (and the user's extra-rules folders), validated on load."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from .examples import parse_examples
from .model import Applicability, Severity
from .tomlfile import RuleFileError, load_toml, save_cache


def _rules_dir() -> Path:
    checkout = Path(__file__).resolve().parent.parent / "rules"  # a source checkout or an editable install
    return checkout if (checkout / "templates").is_dir() else Path(__file__).resolve().parent / "_rules"


RULES_DIR = _rules_dir()
FAMILIES = {"S": "结构", "T": "表格", "D": "统计期限", "F": "信息处理费", "C": "一致性", "G": "公文格式", "M": "元数据"}
_CODE = re.compile(r"^[STDFCGM]\d{3}$")
_TOP_KEYS = {"code", "name", "family", "severity", "summary", "message", "hint", "fix", "fix_message", "check",
             "docs", "examples", "templates"}


@dataclass(slots=True)
class Rule:
    code: str
    name: str
    family: str
    severity: Severity
    summary: str  # one line: what the rule requires
    message: str  # the diagnostic text, a str.format template filled by the check kind
    kind: str  # the generic check kind that runs it (gpalint/checks/)
    params: dict  # the kind's parameters, from the [check] table
    fix: Applicability | None = None
    fix_message: str = ""
    hint: str = ""
    why: str = ""  # docs.why: why it matters
    source: str = ""  # docs.source: the template clause or regulation
    examples: list[dict] = field(default_factory=list)  # {"bad": …, "good": …, "fixed": …}: see examples.py
    templates: tuple[str, ...] = ()  # template versions it applies to; empty: all
    path: Path | None = None

    @property
    def family_name(self) -> str:
        return FAMILIES[self.family]


def parse_rule(path: Path, cached: bool = False) -> Rule:
    data = load_toml(path, cached)
    unknown = set(data) - _TOP_KEYS
    if unknown:
        raise RuleFileError(path, sorted(unknown)[0], f"不是规则文件的键；可用的键：{', '.join(sorted(_TOP_KEYS))}")

    def need(key: str, kind=str):
        if key not in data:
            raise RuleFileError(path, key, "缺少必填项")
        if not isinstance(data[key], kind):
            raise RuleFileError(path, key, f"类型应为 {kind.__name__}")
        return data[key]

    code = need("code")
    if not _CODE.match(code):
        raise RuleFileError(path, "code", "应为一个族字母（S T D F C G M）加三位数字，如 T103")
    if path.stem != code:
        raise RuleFileError(path, "code", f"与文件名不一致（文件名应为 {code}.toml）")
    family = data.get("family", code[0])
    if family != code[0]:
        raise RuleFileError(path, "family", f"应为「{code[0]}」，与规则代码的首字母一致")
    try:
        severity = Severity(need("severity"))
    except ValueError:
        raise RuleFileError(path, "severity", "只能是 error、warning 或 info") from None
    fix = data.get("fix", "none")
    if fix not in ("none", "safe", "unsafe"):
        raise RuleFileError(path, "fix", "只能是 none、safe 或 unsafe")
    check = need("check", dict)
    kind = check.get("kind")
    if not isinstance(kind, str):
        raise RuleFileError(path, "check.kind", "缺少必填项（检查类型，如 table-sum、pattern）")
    docs = data.get("docs", {})
    if not isinstance(docs, dict):
        raise RuleFileError(path, "docs", "应为表（[docs]）")
    examples = parse_examples(path, data.get("examples", []), (path.parent / "bases", RULES_DIR / "bases"))
    params = {k: v for k, v in check.items() if k != "kind"}
    return Rule(code=code, name=need("name"), family=family, severity=severity, summary=need("summary"),
                message=need("message"), kind=kind, params=params,
                fix=None if fix == "none" else Applicability(fix), fix_message=data.get("fix_message", ""),
                hint=data.get("hint", ""), why=docs.get("why", ""), source=docs.get("source", ""),
                examples=examples, templates=tuple(data.get("templates", ())), path=path)


def load_rules(directories: tuple[Path, ...] = (RULES_DIR,)) -> dict[str, Rule]:
    """All rules of the given folders, by code; a later folder may not redefine an earlier folder's code."""
    rules: dict[str, Rule] = {}
    for directory in directories:
        if not directory.is_dir():
            raise RuleFileError(directory, "extra-rules", "不是一个目录")
        for path in sorted(directory.glob("*.toml")):
            rule = parse_rule(path, cached=directory == RULES_DIR)
            if rule.code in rules:
                raise RuleFileError(path, "code", f"与 {rules[rule.code].path} 重复")
            rules[rule.code] = rule
    save_cache()
    return rules


@cache
def builtin_rules() -> dict[str, Rule]:
    return load_rules()
