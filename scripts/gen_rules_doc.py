#!/usr/bin/env python3
"""Write docs/rules.md and the rule table of README.md from the rule files; with --check, exit 1 when either is out
of date (for CI and pre-commit)."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # runs from a checkout without installing gpalint

from gpalint.output.rulesdoc import render_index, render_markdown  # noqa: E402
from gpalint.rules import load_rules  # noqa: E402

TARGET = ROOT / "docs" / "rules.md"
README = ROOT / "README.md"
START, END = "<!-- rules:start -->", "<!-- rules:end -->"


def readme_text(rules) -> str:
    """README.md with the rule table between its markers replaced by the current one."""
    text = README.read_text(encoding="utf-8")
    head, _, rest = text.partition(START)
    _, _, tail = rest.partition(END)
    return f"{head}{START}\n{render_index(rules, 'docs/rules.md')}\n{END}{tail}"


def write_or_check(targets: dict[Path, str], check: bool, command: str) -> int:
    """Write each target file whose text differs; with ``check``, write nothing and return 1 if any differs."""
    stale = 0
    for target, text in targets.items():
        current = target.read_text(encoding="utf-8") if target.exists() else None
        if current == text:
            continue
        if check:
            print(f"{target.relative_to(ROOT)} 已过期：请运行 {command}", file=sys.stderr)
            stale = 1
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8", newline="\n")
        print(f"已写入 {target.relative_to(ROOT)}")
    return stale


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--check", action="store_true", help="只检查 docs/rules.md 是否最新，不写入")
    args = parser.parse_args(argv)
    rules = load_rules()
    return write_or_check({TARGET: render_markdown(rules), README: readme_text(rules)}, args.check,
                          "python scripts/gen_rules_doc.py")


if __name__ == "__main__":
    sys.exit(main())
