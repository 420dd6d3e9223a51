"""The rule reference in Markdown, built from the rule files only (docs/rules.md, `gpalint rules --format markdown`,
and the help text of SARIF rules), so documentation never drifts from what the rules do."""
from __future__ import annotations

import re

from ..examples import edits_text
from ..model import Applicability
from ..rules import Rule, families, family_name, family_rank

FIX_SAFETY = {
    None: "不可自动修复",
    Applicability.SAFE: "可自动修复（安全：`--fix` 即应用）",
    Applicability.UNSAFE: "可自动修复（不安全：需 `--fix --unsafe-fixes`）",
}
_EXAMPLE_LABELS = (("other", "比较的另一份报告（上年或同年另一单位的）"), ("bad", "不符合"), ("good", "符合"), ("fixed", "修复后"))


def _fence(text: str) -> str:
    # a fence longer than any backtick run inside, so examples are shown verbatim whatever they contain; a form feed
    # (a page end in text a PDF extractor wrote) shown as its symbol ␌, which a page would not show
    ticks = "`" * max(3, max((len(m) for m in re.findall(r"`+", text)), default=0) + 1)
    text = text.replace("\f", "\u240c")
    return f"{ticks}text\n{text.rstrip(chr(10))}\n{ticks}"


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def anchor(rule: Rule) -> str:
    """The anchor GitHub gives the rule's heading ("T103 table3-total" → "t103-table3-total")."""
    return re.sub(r"[^\w\- ]", "", f"{rule.code} {rule.name}".lower()).replace(" ", "-")


def kind_label(name: str) -> str:
    """A check kind as the docs name it: generic kinds serve any rule file, built-in ones one rule of gpalint's."""
    from ..checks import KINDS
    kind = KINDS.get(name)
    if kind is None:
        return f"`{name}`"
    return f"`{name}`（{'内置检查类型：只服务于这一条规则' if kind.builtin else '通用检查类型'}）"


def render_kinds(rules: dict[str, Rule]) -> str:
    """The table of check kinds: the generic ones a rule file may use, then the built-in ones."""
    from ..checks import KINDS
    out = ["| 检查类型 | 用途 | 类别 | 消息字段 | 使用它的规则 |", "|---|---|---|---|---|"]
    for kind in sorted(KINDS.values(), key=lambda k: (k.builtin, k.name)):
        users = "、".join(r.code for r in sorted(rules.values(), key=lambda r: r.code) if r.kind == kind.name)
        fields = " ".join(f"`{{{f}}}`" for f in kind.fields) + ("，及 pattern 的命名分组" if kind.pattern_groups else "")
        out.append(f"| `{kind.name}` | {_cell(kind.summary)} | {'内置' if kind.builtin else '通用'} | {fields} | "
                   f"{users or '—'} |")
    return "\n".join(out)


def rule_markdown(rule: Rule, level: int = 3) -> str:
    """One rule: heading, what it requires, facts, why, source, examples."""
    lines = [f"{'#' * level} {rule.code} {rule.name}", "", rule.summary.strip(), "",
             f"- 族：{rule.family} {rule.family_name}",
             f"- 级别：{rule.severity.value}（{rule.severity.label}）",
             f"- 修复：{FIX_SAFETY[rule.fix]}" + (f"——{rule.fix_message}" if rule.fix and rule.fix_message else ""),
             f"- 检查类型：{kind_label(rule.kind)}"]
    if rule.templates:
        lines.append(f"- 适用模板：{'、'.join(rule.templates)}")
    if rule.why:
        lines += ["", "**为什么**", "", rule.why.strip()]
    if rule.source:
        lines += ["", f"**依据**：{rule.source.strip()}"]
    for i, example in enumerate(rule.examples, 1):
        lines += ["", "**示例**" + (f" {i}" if len(rule.examples) > 1 else "")]
        if example.get("note"):
            lines += ["", example["note"].strip()]
        for key, label in _EXAMPLE_LABELS:
            if key in example:  # a text written as replacements of a base text is shown as those replacements
                lines += ["", f"{label}：", "", _fence(edits_text(example, key) or example[key])]
    return "\n".join(lines) + "\n"


def render_index(rules: dict[str, Rule], link: str = "") -> str:
    """The table of all rules (code, name, level, fix, requirement); ``link`` prefixes the anchors (README → docs)."""
    ordered = sorted(rules.values(), key=lambda r: (family_rank(r.family), r.code))
    out = ["| 代码 | 名称 | 级别 | 修复 | 要求 |", "|---|---|---|---|---|"]
    for r in ordered:
        fix = {None: "—", Applicability.SAFE: "安全", Applicability.UNSAFE: "不安全"}[r.fix]
        out.append(f"| [{r.code}]({link}#{anchor(r)}) | {_cell(r.name)} | {r.severity.value} | {fix} | {_cell(r.summary)} |")
    return "\n".join(out)


def render_markdown(rules: dict[str, Rule]) -> str:
    """The whole reference: an index table, then the rules grouped by family in FAMILIES order."""
    ordered = sorted(rules.values(), key=lambda r: (family_rank(r.family), r.code))
    out = ["# gpalint 规则", "",
           "<!-- 由 scripts/gen_rules_doc.py 根据 rules/*.toml 生成，请勿手工修改。 -->", "",
           f"共 {len(ordered)} 条规则。选择规则时可写完整代码或前缀（如 `T`、`T1`、`T103`），"
           "见 docs/integration.md 的配置说明。", "", render_index(rules), "", "## 检查类型", "",
           "每条规则由一种检查类型运行（规则文件的 `[check] kind`）。通用检查类型可供任何规则文件（包括各地的"
           "本地规则）使用；内置检查类型只服务于 gpalint 自带的一条规则，其逻辑不能由规则文件改作他用。", "",
           render_kinds(rules)]
    for family in families(rules):
        members = [r for r in ordered if r.family == family]
        if members:
            out += ["", f"## {family} {family_name(family)}"]
            out += ["\n" + rule_markdown(r).rstrip("\n") for r in members]
    return "\n".join(out) + "\n"
