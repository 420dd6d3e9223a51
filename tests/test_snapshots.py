"""Snapshots of `gpalint check` on the sample reports (text, JSON, SARIF) and the README's sample output cut from them.

A change of output shows up here as a diff of a committed file: if it is intended, run
`python scripts/update_snapshots.py` and commit the snapshots with the change.
"""
from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

import gpalint

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("update_snapshots", ROOT / "scripts" / "update_snapshots.py")
assert _spec is not None and _spec.loader is not None
snap = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(snap)

CASES = [(report, fmt, suffix) for report in snap.REPORTS for fmt, suffix in snap.FORMATS.items()]


@pytest.mark.parametrize("report,fmt,suffix", CASES, ids=[f"{r}-{f}" for r, f, _ in CASES])
def test_output_matches_its_snapshot(report, fmt, suffix):
    path = snap.SNAPSHOTS / f"{report}.{suffix}"
    assert path.exists(), f"{path.name} 不存在：请运行 python scripts/update_snapshots.py"
    actual = snap.check_output(report, fmt)
    assert actual == path.read_text(encoding="utf-8"), f"{path.name} 已过期：请运行 python scripts/update_snapshots.py"
    assert str(ROOT) not in actual and f'"{gpalint.__version__}"' not in actual  # nothing machine- or release-specific


def test_readme_sample_is_cut_from_the_snapshot():
    snapshot = (snap.SNAPSHOTS / f"{snap.SAMPLE}.txt").read_text(encoding="utf-8")
    readme = snap.README.read_text(encoding="utf-8")
    assert readme == snap.readme_text(snapshot), "README.md 的示例输出已过期：请运行 python scripts/update_snapshots.py"
    block = readme.partition(snap.START)[2].partition(snap.END)[0]
    assert block.count(f"examples/{snap.SAMPLE}:") == len(snap.SAMPLE_CODES) and "共发现 8 个问题" in block


def test_snapshots_are_normalised():
    text = f"{ROOT}/examples/a.txt:1:1: D101 …\n{ROOT.as_uri()}/examples/a.txt"
    assert snap.normalise(text, "text") == "<root>/examples/a.txt:1:1: D101 …\n<root>/examples/a.txt"
