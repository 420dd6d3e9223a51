#!/usr/bin/env python3
"""Write the snapshots of `gpalint check` on the sample reports in examples/ (text, JSON and SARIF, under
tests/snapshots/) and the sample output in README.md, which is cut from the text snapshot of faulty-report.txt; with
--check, exit 1 when any of them is out of date (tests/test_snapshots.py fails then too).

Snapshots are normalised so they do not depend on the machine: the checkout's path is written <root>, the version
<version>, and the SARIF rule descriptors keep only their id and level (their documentation is docs/rules.md's).
"""
from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # runs from a checkout without installing gpalint
sys.path.insert(0, str(ROOT / "scripts"))

from gen_rules_doc import write_or_check  # noqa: E402

from gpalint import __version__  # noqa: E402
from gpalint.cli import main as gpalint_main  # noqa: E402

SNAPSHOTS = ROOT / "tests" / "snapshots"
REPORTS = ("clean-report.txt", "faulty-report.txt", "faulty-report.md", "faulty-report.docx", "faulty-report.pdf")
FORMATS = {"text": "txt", "json": "json", "sarif": "sarif"}
README = ROOT / "README.md"
START, END = "<!-- sample-output:start -->", "<!-- sample-output:end -->"
SAMPLE = "faulty-report.txt"
SAMPLE_CODES = ("G101", "C101", "T103", "F101")  # the README shows these findings of the sample, and the summary


def normalise(text: str, fmt: str) -> str:
    text = text.replace(ROOT.as_uri(), "<root>").replace(str(ROOT), "<root>")
    if fmt != "sarif":
        return text
    data = json.loads(text)
    for run in data["runs"]:
        driver = run["tool"]["driver"]
        driver["version"] = driver["version"].replace(__version__, "<version>")
        driver["rules"] = [{"id": r["id"], "level": r["defaultConfiguration"]["level"]} for r in driver["rules"]]
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def check_output(report: str, fmt: str) -> str:
    """What `gpalint check examples/REPORT --format FMT` writes, run from the checkout's root, normalised."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp, "out")
        cwd = Path.cwd()
        os.chdir(ROOT)
        try:
            with contextlib.redirect_stderr(io.StringIO()):
                gpalint_main(["check", f"examples/{report}", "--format", fmt, "--output", str(out), "--no-progress"])
        finally:
            os.chdir(cwd)
        return normalise(out.read_text(encoding="utf-8"), fmt)


def snapshots() -> dict[Path, str]:
    return {SNAPSHOTS / f"{report}.{suffix}": check_output(report, fmt)
            for report in REPORTS for fmt, suffix in FORMATS.items()}


def sample(text: str) -> str:
    """The README's abridged sample: the findings of SAMPLE_CODES and the summary line of the text output."""
    blocks = text.rstrip("\n").split("\n\n")
    # a finding's first line: "path:line:col: 严重程度 CODE …"
    kept = [b for b in blocks[:-1] if set(b.split(": ", 2)[1].split()[:2]) & set(SAMPLE_CODES)]
    return "\n\n".join([*kept, blocks[-1]])


def readme_text(snapshot: str) -> str:
    text = README.read_text(encoding="utf-8")
    head, _, rest = text.partition(START)
    _, _, tail = rest.partition(END)
    return f"{head}{START}\n```\n{sample(snapshot)}\n```\n{END}{tail}"


def targets() -> dict[Path, str]:
    out = snapshots()
    out[README] = readme_text(out[SNAPSHOTS / f"{SAMPLE}.txt"])
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="只检查快照和 README 的示例输出是否最新，不写入")
    args = parser.parse_args(argv)
    return write_or_check(targets(), args.check, "python scripts/update_snapshots.py")


if __name__ == "__main__":
    sys.exit(main())
