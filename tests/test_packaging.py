"""What the package declares is what it uses: every module gpalint imports at run time comes from the standard
library, gpalint itself, or a declared dependency; the version has one home; the repository's own pre-commit hooks
work offline."""
from __future__ import annotations

import ast
import re
import sys
from importlib.metadata import packages_distributions, version
from pathlib import Path

import yaml

import gpalint

ROOT = Path(__file__).resolve().parents[1]

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def _name(requirement: str) -> str:
    """The distribution name of a requirement string, normalised ("pdfminer.six>=2023" → "pdfminer-six")."""
    m = re.match(r"[A-Za-z0-9][A-Za-z0-9._-]*", requirement)
    assert m, requirement
    return re.sub(r"[-_.]+", "-", m.group(0)).lower()


def _imported_top_modules(folder: Path) -> set[str]:
    """Top-level names of the absolute imports in the package's source (relative imports are gpalint's own)."""
    found = set()
    for path in folder.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                found.add(node.module.split(".")[0])
    return found


def _third_party(modules: set[str]) -> set[str]:
    return {m for m in modules if m not in sys.stdlib_module_names and m not in ("gpalint", "__future__")}


def test_every_run_time_import_is_a_declared_dependency():
    # a dependency, or an optional feature's extra (imported only when the feature is used); never the test extra
    extras = PYPROJECT["project"].get("optional-dependencies", {})
    declared = {_name(r) for r in PYPROJECT["project"]["dependencies"]}
    declared |= {_name(r) for name, reqs in extras.items() if name != "test" for r in reqs}
    providers = packages_distributions()  # import name → distributions that provide it
    undeclared = {}
    for module in _third_party(_imported_top_modules(ROOT / "gpalint")):
        dists = {_name(d) for d in providers.get(module, [module])}
        if not dists & declared:
            undeclared[module] = sorted(dists)
    assert not undeclared, f"imported by gpalint but not declared in [project].dependencies: {undeclared}"


def test_no_dependency_is_declared_that_gpalint_does_not_import():
    providers = packages_distributions()
    used = {_name(d) for m in _third_party(_imported_top_modules(ROOT / "gpalint")) for d in providers.get(m, [m])}
    unused = {_name(r) for r in PYPROJECT["project"]["dependencies"]} - used
    assert not unused, f"declared run-time dependencies gpalint never imports (move them to an extra): {unused}"


def test_the_version_has_one_home():
    assert "version" not in PYPROJECT["project"] and "version" in PYPROJECT["project"]["dynamic"]
    assert PYPROJECT["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "gpalint.__version__"}
    assert version("gpalint") == gpalint.__version__


def test_the_repository_hooks_need_no_network():
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    assert [repo["repo"] for repo in config["repos"]] == ["local"]  # pre-commit would fetch any other from GitHub
    ids = {hook["id"] for repo in config["repos"] for hook in repo["hooks"]}
    assert {"ruff", "mypy"} <= ids


def test_ci_runs_the_linters_and_fails_on_corpus_skips():
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "ruff check gpalint tests scripts bench" in script and ".venv/bin/mypy" in script
    assert re.search(r"grep .*SKIPPED.*corpus", script)
