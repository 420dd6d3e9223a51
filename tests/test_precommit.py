"""The pre-commit hooks, as a report repository uses them: `pre-commit try-repo` installs gpalint from this
repository into its own virtualenv and runs the `gpalint` hook on a faulty and on a clean report."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from pre_commit.clientlib import load_manifest

ROOT = Path(__file__).resolve().parents[1]
FAULTY = Path(__file__).resolve().parent / "corpus" / "seeds" / "003_0ab25f721fbf8f7b.txt"
CLEAN = ROOT / "examples" / "clean-report.txt"
# not part of what pre-commit would install: environments, caches, build output
_SKIP_PARTS = {".git", ".venv", "venv", "__pycache__", ".pytest_cache", ".hypothesis", "build", "dist"}


def test_manifest_is_valid_and_matches_the_right_files():
    hooks = {h["id"]: h for h in load_manifest(str(ROOT / ".pre-commit-hooks.yaml"))}
    assert set(hooks) == {"gpalint", "gpalint-fix"}
    for hook in hooks.values():
        assert hook["language"] == "python" and hook["pass_filenames"] is True
        assert "text" not in hook["types"]  # .docx and .pdf are binary
    check, fix = (re.compile(hooks[i]["files"]) for i in ("gpalint", "gpalint-fix"))
    for name in ("a.txt", "b/c.md", "报告.docx", "d.pdf", "E.PDF", "网页.html", "f.HTM"):
        assert check.search(name), name
    assert fix.search("a.txt") and fix.search("报告.docx") and not fix.search("d.pdf") and not fix.search("g.html")
    assert not check.search("a.docx.bak") and not check.search("a.py") and not check.search("a.html.orig")
    # file names come after "--": a file named -o001_report.txt stays a file name
    assert hooks["gpalint"]["entry"] == "gpalint check --"
    assert hooks["gpalint-fix"]["entry"] == "gpalint check --fix --"


def test_pre_commit_puts_file_names_after_the_entry_and_its_args():
    from pre_commit.lang_base import hook_cmd
    assert hook_cmd("gpalint check --", ()) == ("gpalint", "check", "--")  # then xargs appends the files


def test_ci_examples_are_valid_yaml():
    gh = yaml.safe_load((ROOT / "examples" / "github-actions.yml").read_text(encoding="utf-8"))
    assert "pull_request" in gh.get("on", gh.get(True))  # YAML 1.1 reads a bare `on` as True
    steps = [s for job in gh["jobs"].values() for s in job["steps"]]
    runs = " ".join(s.get("run", "") for s in steps)
    assert "gpalint check --format sarif --output gpalint.sarif" in runs and "--format github" in runs
    assert all(line.rstrip().endswith(" --") for line in runs.split("\n") if "gpalint check" in line)
    assert "**.html" in gh.get("on", gh.get(True))["pull_request"]["paths"] and "'*.html'" in runs
    assert any(s.get("uses", "").startswith("github/codeql-action/upload-sarif") for s in steps)
    gl = yaml.safe_load((ROOT / "examples" / "gitlab-ci.yml").read_text(encoding="utf-8"))
    job = gl["gpalint"]
    assert any("--format junit --output gpalint-junit.xml" in line for line in job["script"])
    assert job["artifacts"]["reports"]["junit"] == "gpalint-junit.xml"


def _git(*args: str, cwd: Path) -> None:
    subprocess.run(["git", "-c", "commit.gpgsign=false", *args], cwd=cwd, check=True, capture_output=True)


def _env() -> dict[str, str]:
    # a clean git identity, and none of the GIT_DIR/GIT_INDEX_FILE a surrounding git hook may have set
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(GIT_AUTHOR_NAME="gpalint test", GIT_AUTHOR_EMAIL="test@example.invalid",
               GIT_COMMITTER_NAME="gpalint test", GIT_COMMITTER_EMAIL="test@example.invalid")
    return env


def _snapshot(dest: Path) -> Path:
    """A one-commit copy of the working tree. try-repo installs from a git revision and carries over changes to
    tracked files only, so pointing it at the working tree itself would miss new files (or fail before the first
    commit)."""
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                            capture_output=True, check=True, env=_env()).stdout.decode().split("\0")
    for name in filter(None, listed):
        src = ROOT / name
        if src.is_file() and not _SKIP_PARTS & set(Path(name).parts) and ".egg-info" not in name:
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / name)
    _git("init", "-q", cwd=dest)
    _git("add", "-A", cwd=dest)
    _git("commit", "-q", "-m", "snapshot", cwd=dest)
    return dest


def _try_repo(source: Path, workdir: Path, report: Path, *names: str) -> subprocess.CompletedProcess:
    workdir.mkdir()
    _git("init", "-q", cwd=workdir)
    for name in names:
        shutil.copy(report, workdir / name)
    _git("add", "--", *names, cwd=workdir)  # --all-files means the files git tracks
    return subprocess.run([sys.executable, "-m", "pre_commit", "try-repo", str(source), "gpalint", "--all-files"],
                          cwd=workdir, env=_env(), capture_output=True, text=True, timeout=900)


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed: pre-commit needs it")
@pytest.mark.skipif(not (ROOT / "gpalint" / "cli.py").exists(), reason="gpalint/cli.py (the CLI) is not written yet")
@pytest.mark.skipif(not CLEAN.exists(), reason="examples/clean-report.txt (a report without findings) is missing")
@pytest.mark.skipif(not FAULTY.exists(), reason=f"the shared corpus is missing ({FAULTY})")
def test_hook_fails_on_a_faulty_report_and_passes_on_a_clean_one(tmp_path):
    source = _snapshot(tmp_path / "gpalint-src")
    faulty = _try_repo(source, tmp_path / "faulty", FAULTY, "2024年报告.txt")
    out = faulty.stdout + faulty.stderr
    assert faulty.returncode == 1, out
    assert "- exit code: 1" in out, out  # findings, not a usage or input error (2)
    assert "Failed" in out and "2024年报告.txt" in out and "Traceback" not in out, out
    # a file named like an option: without the hook's "--" it would overwrite clean-report.txt with the output
    clean = _try_repo(source, tmp_path / "clean", CLEAN, "clean-report.txt", "-oclean-report.txt")
    out = clean.stdout + clean.stderr
    assert clean.returncode == 0, out
    assert "Passed" in out, out
    assert (tmp_path / "clean" / "clean-report.txt").read_bytes() == CLEAN.read_bytes()
