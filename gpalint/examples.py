"""The `[[examples]]` of a rule file: their keys, validated when the rule is loaded, and the shared base texts.

An example is a report fragment the rule must report (``bad``) and one it must leave alone (``good``), with the text
that fixing ``bad`` gives (``fixed``) for fixable rules. What ``bad`` must give can be stated exactly:

- ``count``: how many findings of this rule ``bad`` gives (without it: at least one);
- ``lines``: their line numbers in ``bad``, in order (line 1 is the first line of the text);
- ``message``: a string every finding's message contains, or a list of strings, one per finding in order (so
  the list says how many findings there are, too).

Instead of pasting a whole report, an example may start from a shared base text: ``base = "report"`` names
``bases/report.txt`` (looked up in a ``bases/`` folder beside the rule file, then among the built-in bases:
``report``, a complete clean report, and ``outline``, the six headings with no text under them), and
``bad``, ``good`` or ``fixed`` may then be a list of replacements ``[["old", "new"], …]`` applied to the base in
order, each ``old`` occurring exactly once where it is applied; ``[]`` is the base unchanged. The parsed example
keeps the resolved texts under ``bad``/``good``/``fixed`` and the replacements under ``edits``.

A rule that compares two reports (last year's report of the same agency, another agency's of the same year) takes
the second from ``other`` (a text, or replacements of the base), the same for ``bad`` and ``good``: ``bad`` and
``good`` are then checked against it, as if both were in one batch (or ``other`` given with --previous).
"""
from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from .oserrors import describe
from .tomlfile import RuleFileError

TEXTS = ("bad", "good", "fixed", "other")
KEYS = (*TEXTS, "note", "base", "count", "lines", "message")
Edits = list[tuple[str, str]]


@cache
def _read_base(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except UnicodeDecodeError:
        raise RuleFileError(path, "文件", "不是 UTF-8 编码的文本") from None
    except OSError as exc:
        raise RuleFileError(path, "文件", f"无法读取：{describe(exc)}") from None


def base_text(name: str, folders: tuple[Path, ...]) -> str | None:
    """The base text called ``name`` from the first of ``folders`` that has it; None if none has."""
    for folder in folders:
        text = _read_base(folder / f"{name}.txt")
        if text is not None:
            return text
    return None


def _edits(path: Path, key: str, value: object) -> Edits:
    pairs = value if isinstance(value, list) else None
    if pairs is None or not all(isinstance(p, list) and len(p) == 2 and all(isinstance(s, str) for s in p)
                                for p in pairs):
        raise RuleFileError(path, key, "应为文本，或（有 base 时）替换对的列表 [[\"原文\", \"新文\"], …]")
    return [(old, new) for old, new in pairs]


def _apply(path: Path, key: str, base: str, name: str, edits: Edits) -> str:
    text = base
    for j, (old, new) in enumerate(edits):
        n = text.count(old) if old else 0
        if n != 1:
            where = f"不在基础文本「{name}」中" if n == 0 else f"在基础文本「{name}」中出现 {n} 次，应只出现一次"
            raise RuleFileError(path, f"{key}[{j}]", f"「{old}」{where}")
        text = text.replace(old, new)
    return text


def _positive_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 1


def parse_examples(path: Path, raw: object, base_folders: tuple[Path, ...]) -> list[dict[str, Any]]:
    """The validated examples of the rule file at ``path``, with base texts resolved; RuleFileError names the key."""
    if not isinstance(raw, list) or not all(isinstance(e, dict) for e in raw):
        raise RuleFileError(path, "examples", "应为表数组（[[examples]]）")
    return [_parse_one(path, f"examples[{i}]", e, base_folders) for i, e in enumerate(raw)]


def _parse_one(path: Path, at: str, raw: dict, base_folders: tuple[Path, ...]) -> dict[str, Any]:
    extra = sorted(set(raw) - set(KEYS))
    if extra:
        raise RuleFileError(path, f"{at}.{extra[0]}", f"不是示例的键；可用的键：{'、'.join(KEYS)}")
    example: dict[str, Any] = {}
    name = raw.get("base")
    base = None
    if name is not None:
        if not isinstance(name, str):
            raise RuleFileError(path, f"{at}.base", "应为基础文本的名字（文本）")
        base = base_text(name, base_folders)
        if base is None:
            folders = "、".join(str(f) for f in base_folders)
            raise RuleFileError(path, f"{at}.base", f"没有名为「{name}」的基础文本（在 {folders} 中找 {name}.txt）")
        example["base"] = name
    for key in TEXTS:
        if key not in raw:
            continue
        value = raw[key]
        if isinstance(value, str):
            example[key] = value
        elif base is None or name is None:
            raise RuleFileError(path, f"{at}.{key}", "应为文本；替换对的列表需要先用 base 指定基础文本")
        else:
            edits = _edits(path, f"{at}.{key}", value)
            example.setdefault("edits", {})[key] = edits
            example[key] = _apply(path, f"{at}.{key}", base, name, edits)
    if "other" in example and "fixed" in example:
        raise RuleFileError(path, f"{at}.other", "比较两份报告的规则没有修复，不能与 fixed 一起使用")
    if "bad" not in example and "good" not in example:
        raise RuleFileError(path, at, "示例应至少有 bad 或 good")
    note = raw.get("note", "")
    if not isinstance(note, str):
        raise RuleFileError(path, f"{at}.note", "应为文本")
    if note:
        example["note"] = note
    for key in ("fixed", "count", "lines", "message"):
        if key in raw and "bad" not in example:
            raise RuleFileError(path, f"{at}.{key}", "只能与 bad 一起使用（说明的是 bad 的检查结果）")
    count = raw.get("count")
    if count is not None:
        if not _positive_int(count):
            raise RuleFileError(path, f"{at}.count", "应为正整数（bad 报出的问题数；不报问题的文本请写成 good）")
        example["count"] = count
    lines = raw.get("lines")
    if lines is not None:
        if not isinstance(lines, list) or not lines or not all(_positive_int(n) for n in lines):
            raise RuleFileError(path, f"{at}.lines", "应为行号（正整数）的列表，如 [3, 5]")
        if count is not None and len(lines) != count:
            raise RuleFileError(path, f"{at}.lines", f"有 {len(lines)} 个行号，与 count = {count} 不符")
        example["lines"] = lines
    message = raw.get("message")
    if message is not None:
        if isinstance(message, list):
            if not message or not all(isinstance(m, str) for m in message):
                raise RuleFileError(path, f"{at}.message", "应为文本，或每个问题一段文本的列表")
            if count is not None and len(message) != count:
                raise RuleFileError(path, f"{at}.message", f"有 {len(message)} 段文本，与 count = {count} 不符")
        elif not isinstance(message, str):
            raise RuleFileError(path, f"{at}.message", "应为文本，或每个问题一段文本的列表")
        example["message"] = message
    return example


def edits_text(example: dict[str, Any], key: str) -> str | None:
    """How the docs show a text written as replacements of a base: the base's name and each replacement; None when
    the text was written out in full."""
    edits = example.get("edits", {}).get(key)
    if edits is None:
        return None
    head = f"（基础文本 rules/bases/{example['base']}.txt" + ("，改动如下）" if edits else "，不作改动）")
    return "\n".join([head, *(f"把「{old}」\n改为「{new}」" for old, new in edits)])
