#!/usr/bin/env python3
"""Write docs/rules.md from the rule files; with --check, exit 1 when it is out of date (for CI and pre-commit)."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # runs from a checkout without installing gpalint

from gpalint.output.rulesdoc import render_markdown  # noqa: E402
from gpalint.rules import load_rules  # noqa: E402

TARGET = ROOT / "docs" / "rules.md"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--check", action="store_true", help="只检查 docs/rules.md 是否最新，不写入")
    args = parser.parse_args(argv)
    text = render_markdown(load_rules())
    current = TARGET.read_text(encoding="utf-8") if TARGET.exists() else None
    if args.check:
        if current != text:
            print(f"{TARGET.relative_to(ROOT)} 已过期：请运行 python scripts/gen_rules_doc.py", file=sys.stderr)
            return 1
        return 0
    if current != text:
        TARGET.parent.mkdir(parents=True, exist_ok=True)
        TARGET.write_text(text, encoding="utf-8", newline="\n")
        print(f"已写入 {TARGET.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
