"""Rule files: one TOML file per rule under rules/ (and the user's extra-rules folders), validated on load."""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from .examples import parse_examples
from .model import Applicability, Severity
from .tomlfile import RuleFileError, load_toml, require, save_cache


def _rules_dir() -> Path:
    checkout = Path(__file__).resolve().parent.parent / "rules"  # a source checkout or an editable install
    return checkout if (checkout / "templates").is_dir() else Path(__file__).resolve().parent / "_rules"


RULES_DIR = _rules_dir()
TEMPLATES_DIR = RULES_DIR / "templates"  # the built-in templates (gpalint.report.template)
FAMILIES = {"S": "结构", "T": "表格", "D": "统计期限", "F": "信息处理费", "C": "一致性", "G": "公文格式", "M": "元数据"}
LOCAL_FAMILY_NAME = "本地规则"  # the family of a configuration's own rules (its local-prefix)
CODE = r"[A-Z]{1,3}\d{3}"  # a rule code, built-in or local, for patterns that find codes in text
_CODE = re.compile(r"^(?P<family>[A-Z]{1,3})(?P<number>\d{3})$")
_SELECTOR = re.compile(r"^(?P<family>[A-Z]{1,3})(?P<digits>\d{0,3})$")
_PREFIX = re.compile(r"^[A-Z]{1,3}$")
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
    params: dict[str, Any]  # the [check] table as written; the kind reads it into its Params at load
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
        return family_name(self.family)


# ── codes and families ──────────────────────────────────────────────────────────────────────────────────────────
# A code is a family (a built-in letter, or a configuration's local prefix such as JS) and three digits. A local
# prefix may not begin with a built-in letter, so no selector or suppression of one family can reach another.

def family_of(code: str) -> str:
    """The family part of a code or selector: "T" of T103, "JS" of JS101."""
    return code.rstrip("0123456789")


def family_name(family: str) -> str:
    return FAMILIES.get(family, LOCAL_FAMILY_NAME)


def family_rank(family: str) -> tuple[int, str]:
    """Sort key of families: the built-in ones in FAMILIES order, then local ones by name."""
    order = list(FAMILIES)
    return (order.index(family), "") if family in FAMILIES else (len(order), family)


def families(codes: Iterable[str] = ()) -> list[str]:
    """Every built-in family, then the local families among ``codes``, in family_rank order."""
    return sorted(set(FAMILIES) | {family_of(c) for c in codes}, key=family_rank)


def local_prefix_problem(prefix: str) -> str | None:
    """Why ``prefix`` cannot be a configuration's local code prefix, or None when it can."""
    if not _PREFIX.match(prefix) or prefix == "ALL":
        return "应为一至三个大写英文字母，如 \"JS\" 或 \"X\"（规则代码写成 JS101）"
    if prefix[0] in FAMILIES:
        return (f"不能以内置族字母「{prefix[0]}」开头（{' '.join(FAMILIES)} 留给 gpalint 自带的规则，"
                f"否则选择 {prefix[0]} 也会选中本地规则）")
    return None


def is_selector(text: str, local_prefix: str = "") -> bool:
    """A code or prefix of one (T, T1, T103; JS, JS101 with local prefix JS), or ALL."""
    m = _SELECTOR.match(text)
    return text == "ALL" or (m is not None and m.group("family") in (*FAMILIES, local_prefix))


def selector_help(local_prefix: str = "") -> str:
    local = f"或本地前缀 {local_prefix}" if local_prefix else ""
    return f"应为规则代码或前缀：{' '.join(FAMILIES)} 之一{local}，可后跟一至三位数字（如 T、T1、T103），或 ALL"


def selector_matches(code: str, selector: str) -> bool:
    """Whether a selector (ALL, a family, a family and leading digits, a code) covers ``code``."""
    if selector == "ALL":
        return True
    family = family_of(selector)
    return family == family_of(code) and code[len(family):].startswith(selector[len(family):])


def specificity(selector: str) -> int:
    """How specific a selector is: ALL < T < T1 < T103 (only selectors matching one code are compared)."""
    return 0 if selector == "ALL" else len(selector)


def parse_rule(path: Path, cached: bool = False, local_prefix: str | None = None) -> Rule:
    """One rule file. ``local_prefix``: the file is one of the user's extra rules, whose code must use this prefix
    ("" when the configuration declares none); None: a built-in rule, in a built-in family."""
    data = load_toml(path, cached)
    unknown = set(data) - _TOP_KEYS
    if unknown:
        raise RuleFileError(path, sorted(unknown)[0], f"不是规则文件的键；可用的键：{', '.join(sorted(_TOP_KEYS))}")

    def need(key: str, kind: type = str) -> Any:
        return require(data, key, kind, path)

    code = need("code")
    problem = _code_problem(code, local_prefix)
    if problem:
        raise RuleFileError(path, "code", problem)
    if path.stem != code:
        raise RuleFileError(path, "code", f"与文件名不一致（文件名应为 {code}.toml）")
    family = data.get("family", family_of(code))
    if family != family_of(code):
        raise RuleFileError(path, "family", f"应为「{family_of(code)}」，与规则代码的族（代码中数字前的字母）一致")
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


def _code_problem(code: str, local_prefix: str | None) -> str | None:
    m = _CODE.match(code)
    if local_prefix is None:
        if m is None or m.group("family") not in FAMILIES:
            return f"应为一个族字母（{' '.join(FAMILIES)}）加三位数字，如 T103"
        return None
    if m is None:
        return f"应为本地前缀加三位数字，如 {local_prefix or 'JS'}101"
    family = m.group("family")
    if family in FAMILIES or family[0] in FAMILIES:
        return (f"本地规则不能使用内置族字母「{family[0]}」（{' '.join(FAMILIES)} 留给 gpalint 自带的规则）："
                + (f"请改为 {local_prefix}{m.group('number')}" if local_prefix else
                   f"请在配置中声明本地前缀（如 local-prefix = \"JS\"），并把规则代码改为 JS{m.group('number')}"))
    if family != local_prefix:
        return (f"本地规则代码应以配置声明的本地前缀「{local_prefix}」开头，如 {local_prefix}{m.group('number')}"
                if local_prefix else f"本地前缀「{family}」未在配置中声明（local-prefix = \"{family}\"）")
    return None


def load_rules(directories: tuple[Path, ...] = (RULES_DIR,), local_prefix: str = "") -> dict[str, Rule]:
    """All rules of the given folders, by code; a later folder may not redefine an earlier folder's code. Rules
    outside the built-in folder are local: their codes use ``local_prefix``."""
    rules: dict[str, Rule] = {}
    for directory in directories:
        if not directory.is_dir():
            raise RuleFileError(directory, "extra-rules", "不是一个目录")
        builtin = directory == RULES_DIR
        for path in sorted(directory.glob("*.toml")):
            rule = parse_rule(path, cached=builtin, local_prefix=None if builtin else local_prefix)
            if rule.code in rules:
                raise RuleFileError(path, "code", f"与 {rules[rule.code].path} 重复")
            rules[rule.code] = rule
    save_cache()
    return rules


@dataclass(frozen=True, slots=True)
class RuleSources:
    """Where a run's rules come from: the built-in folder, then the configuration's extra-rules folders, whose
    codes use the configuration's local prefix; and the extra-templates folders the rules are read against.
    Hashable: one compiled engine per distinct source."""

    extra: tuple[Path, ...] = ()
    local_prefix: str = ""
    extra_templates: tuple[Path, ...] = ()

    def load(self) -> dict[str, Rule]:
        return load_rules((RULES_DIR, *self.extra), self.local_prefix)


@cache
def builtin_rules() -> dict[str, Rule]:
    return load_rules()
