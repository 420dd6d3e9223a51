"""The result cache (.gpalint_cache/, gpalint/cache.py): a hit gives what a check gives, byte for byte; an edit of the
file, of a rule or template, of the configuration or a new version is a miss; a damaged entry is checked again
and rewritten; parallel runs share the folder. Also the batch behaviour that comes with it: a single file checked
in this process within its budgets, results streamed in file order, --fix in the pool."""
from __future__ import annotations

import dataclasses
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import CORPUS, ROOT

from gpalint import cache as result_cache
from gpalint import config, runner
from gpalint.cli import main
from gpalint.model import Applicability, Diagnostic, Edit, FileResult, Fix, Location, Severity

CLEAN = ROOT / "examples" / "clean-report.txt"
FAULTY = ROOT / "examples" / "faulty-report.txt"
MIXED = [FAULTY, CLEAN, ROOT / "examples" / "faulty-report.md", ROOT / "examples" / "faulty-report.docx",
         *sorted((CORPUS / "seeds").glob("*.txt"))[:3], ROOT / "examples" / "faulty-report.pdf"]


@pytest.fixture(autouse=True)
def _fresh_config():
    config.clear_caches()
    yield
    config.clear_caches()


@pytest.fixture
def cache_dir(monkeypatch, tmp_path) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("GPALINT_CACHE_DIR", str(folder))
    return folder


def entries(folder: Path) -> list[Path]:
    return sorted(folder.glob("*/*/*.json"))


def counting(monkeypatch) -> list[str]:
    """The files checked (not served by the cache) from now on, in this process."""
    checked: list[str] = []
    real = runner.check_one

    def check(args, path):
        checked.append(str(path))
        return real(args, path)
    monkeypatch.setattr(runner, "check_one", check)
    return checked


def run(capsys, *args) -> tuple[int, str, str]:
    code = main(["check", *map(str, args)])
    out, err = capsys.readouterr()
    return code, out, err


def copies(tmp_path: Path, sources: list[Path], folder: str = "reports") -> list[Path]:
    target = tmp_path / folder
    target.mkdir()
    out = []
    for i, source in enumerate(sources):
        p = target / f"{i:02d}_{source.name}"
        shutil.copy(source, p)
        out.append(p)
    return out


# ── hits and misses ───────────────────────────────────────────────────────────────────────────────────

def test_second_run_is_served_by_the_cache_and_says_the_same(tmp_path, cache_dir, monkeypatch, capsys):
    [report] = copies(tmp_path, [FAULTY])
    checked = counting(monkeypatch)
    cold = run(capsys, report)
    assert checked == [str(report)] and len(entries(cache_dir)) == 1
    assert (cache_dir / "CACHEDIR.TAG").read_text().startswith("Signature: 8a477f597d28d172789f06886806bc55")
    assert (cache_dir / ".gitignore").read_text().splitlines()[-1] == "*"
    warm = run(capsys, report)
    assert checked == [str(report)], "the second run checked nothing"
    assert warm == cold and cold[0] == 1


def test_an_edit_of_the_file_is_a_miss(tmp_path, cache_dir, monkeypatch, capsys):
    [report] = copies(tmp_path, [FAULTY])
    checked = counting(monkeypatch)
    run(capsys, report)
    report.write_text(CLEAN.read_text(encoding="utf-8"), encoding="utf-8")
    code, out, _ = run(capsys, report)
    assert len(checked) == 2 and code == 0 and out.startswith("全部通过")


def test_options_that_change_findings_are_part_of_the_key(tmp_path, cache_dir, monkeypatch, capsys):
    [report] = copies(tmp_path, [FAULTY])
    checked = counting(monkeypatch)
    run(capsys, report)
    _, out, _ = run(capsys, "--select", "T", report)
    assert len(checked) == 2 and " S1" not in out
    run(capsys, "--select", "T", report)
    run(capsys, "--year", "2023", report)
    assert len(checked) == 3
    run(capsys, "--pdf-engine", "pdfminer", report)
    assert len(checked) == 4
    _, out, _ = run(capsys, "--severity", "error", report)  # a filter of the findings: served by the cache
    assert len(checked) == 4 and "警告" not in out.split("共发现")[0]


def _fresh_process(*args: str, cwd: Path, cache: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "GPALINT_CACHE_DIR": str(cache)}
    return subprocess.run([sys.executable, "-m", "gpalint", "check", "--format", "json", *args], cwd=cwd,
                          capture_output=True, text=True, env=env, timeout=120)


def _written(cache: Path) -> dict[Path, float]:
    return {p: p.stat().st_mtime_ns for p in entries(cache)}


def test_rule_and_configuration_edits_are_misses(tmp_path, cache_dir):
    """In fresh processes, as a user re-runs gpalint: each edit makes a new entry; no edit, no new entry."""
    (tmp_path / "rules").mkdir()
    (tmp_path / "templates").mkdir()
    rule = tmp_path / "rules" / "XA101.toml"
    rule.write_text('code = "XA101"\nname = "hotline"\nseverity = "warning"\nsummary = "应写咨询电话"\n'
                    "message = '「{scope}」没有写咨询电话'\n[check]\nkind = \"required-text\"\n"
                    "scope = \"section:六\"\npatterns = ['咨询电话']\n", encoding="utf-8")
    conf = tmp_path / "gpalint.toml"
    conf.write_text('extra-rules = ["rules"]\nextra-templates = ["templates"]\nlocal-prefix = "XA"\n')
    [report] = copies(tmp_path, [CLEAN])
    first = _fresh_process(str(report), cwd=tmp_path, cache=cache_dir)
    assert [d["code"] for d in json.loads(first.stdout)] == ["XA101"]
    assert len(_written(cache_dir)) == 1
    again = _fresh_process(str(report), cwd=tmp_path, cache=cache_dir)
    assert again.stdout == first.stdout and len(_written(cache_dir)) == 1

    rule.write_text(rule.read_text(encoding="utf-8").replace("['咨询电话']", "['咨询电话|联系电话']"), encoding="utf-8")
    edited = _fresh_process(str(report), cwd=tmp_path, cache=cache_dir)
    assert len(_written(cache_dir)) == 2 and edited.returncode == 1

    conf.write_text(conf.read_text() + 'ignore = ["XA101"]\n')
    ignored = _fresh_process(str(report), cwd=tmp_path, cache=cache_dir)
    assert json.loads(ignored.stdout) == [] and len(_written(cache_dir)) == 3


def test_workers_keep_every_result_before_they_are_stopped(tmp_path, cache_dir, monkeypatch, capsys):
    files = copies(tmp_path, [FAULTY, CLEAN] * 3)
    run(capsys, "-j", "2", *files)
    assert len(entries(cache_dir)) == len(files)
    checked = counting(monkeypatch)
    run(capsys, "-j", "2", *files)
    assert checked == []


def test_a_new_version_is_a_miss(tmp_path, cache_dir, monkeypatch, capsys):
    [report] = copies(tmp_path, [FAULTY])
    checked = counting(monkeypatch)
    run(capsys, report)
    monkeypatch.setattr(result_cache, "__version__", "99.0")
    run(capsys, report)
    assert len(checked) == 2 and (cache_dir / "99.0").is_dir()


def test_a_new_version_of_a_reading_library_is_a_miss(tmp_path, cache_dir, monkeypatch, capsys):
    [report] = copies(tmp_path, [FAULTY])
    checked = counting(monkeypatch)
    run(capsys, report)
    run(capsys, report)
    assert len(checked) == 1
    site = tmp_path / "site"
    (site / "pdfminer_six-29990101.dist-info").mkdir(parents=True)  # as pip leaves an upgraded pdfminer.six
    monkeypatch.syspath_prepend(str(site))
    run(capsys, report)
    assert len(checked) == 2


def test_no_cache_flag_and_configuration_key(tmp_path, cache_dir, monkeypatch, capsys):
    [report] = copies(tmp_path, [FAULTY])
    checked = counting(monkeypatch)
    run(capsys, "--no-cache", report)
    run(capsys, "--no-cache", report)
    assert len(checked) == 2 and not cache_dir.exists()
    (tmp_path / "reports" / "gpalint.toml").write_text("cache = false\n")
    config.clear_caches()
    run(capsys, report)
    run(capsys, report)
    assert len(checked) == 4 and not cache_dir.exists()
    (tmp_path / "reports" / "gpalint.toml").write_text("cache = 0\n")
    config.clear_caches()
    code, _, err = run(capsys, report)
    assert code == 2 and "「cache」应为布尔值" in err


def test_fix_and_annotate_do_not_use_the_cache(tmp_path, cache_dir, capsys):
    [report] = copies(tmp_path, [FAULTY])
    run(capsys, "--diff", report)
    run(capsys, "--fix", report)
    assert not cache_dir.exists()


# ── damaged entries, parallel runs ────────────────────────────────────────────────────────────────────

@pytest.mark.parametrize("damage", [b"", b"{\"key\": ", b"\xff\xfe garbage", b"[1, 2]",
                                    b'{"key": "KEY", "result": {"@": "Path", "path": "/etc"}}',
                                    b'{"key": "other", "result": {"@": "FileResult", "path": "x"}}',
                                    b"\x80\x04\x95pickle"])
def test_a_damaged_entry_is_checked_again_and_rewritten(tmp_path, cache_dir, monkeypatch, capsys, damage):
    [report] = copies(tmp_path, [FAULTY])
    cold = run(capsys, "--format", "json", report)
    [entry] = entries(cache_dir)
    entry.write_bytes(damage.replace(b"KEY", entry.stem.encode()))
    checked = counting(monkeypatch)
    assert run(capsys, "--format", "json", report) == cold
    assert checked == [str(report)]
    assert json.loads(entry.read_text(encoding="utf-8"))["key"] == entry.stem


def test_parallel_runs_share_the_folder(tmp_path, cache_dir):
    files = copies(tmp_path, [FAULTY, CLEAN] * 6)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "GPALINT_CACHE_DIR": str(cache_dir)}
    command = [sys.executable, "-m", "gpalint", "check", "--format", "json", "-j", "2", *map(str, files)]
    procs = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True)
             for _ in range(3)]
    outs = [p.communicate(timeout=300) for p in procs]
    assert all(p.returncode == 1 for p in procs) and all(err == "" for _, err in outs)
    assert outs[0][0] == outs[1][0] == outs[2][0]
    assert len(entries(cache_dir)) == len(files)
    assert not list(cache_dir.glob("*/*/.entry-*")), "no temporary file left behind"
    warm = subprocess.run(command, capture_output=True, text=True, env=env, timeout=300)
    assert warm.stdout == outs[0][0]


# ── what an entry holds ───────────────────────────────────────────────────────────────────────────────

def test_every_field_of_a_result_round_trips():
    loc = Location(3, 2, 3, 9, page=2, context="表三", paragraph=7, cell=(1, 2, 3), section="二、", quote="…x…")
    fix = Fix(Applicability.SAFE, "改为", (Edit(loc, "新"),))
    d = Diagnostic("T103", Severity.ERROR, "消息", "a.txt", loc, "提示", fix, "  源文", "12", "fp")
    values = {"path": "a.txt", "diagnostics": [d], "error": "e", "skipped": True, "fixed": 2, "diff": "--- a",
              "readout": {"agency": "某局", "tables": [{"rows": [1, None, 2.5]}], "pair": (1, 2), "n": {3: "x"}},
              "annotated": "out/a.docx"}
    fields = [f.name for f in dataclasses.fields(FileResult)]
    result = FileResult(**{name: values.get(name, f"value of {name}") for name in fields})
    back = result_cache.decode(json.dumps(result_cache.encode(result)))
    assert back == result and set(values) <= set(fields), "a field added to FileResult needs a value here"
    assert isinstance(back.diagnostics[0].severity, Severity) and back.readout["pair"] == (1, 2)


def test_an_entry_names_only_classes_of_the_model():
    with pytest.raises(KeyError):
        result_cache.decode('{"@": "Path", "x": 1}')
    with pytest.raises(TypeError):
        result_cache.encode(Path("/etc"))


def test_warm_output_is_byte_identical_to_cold_for_every_format(tmp_path, cache_dir, capsys):
    files = copies(tmp_path, MIXED)
    for fmt in ("text", "json", "sarif", "junit", "github", "html"):
        cold = run(capsys, "--no-cache", "--format", fmt, "-j", "2", *files)
        first = run(capsys, "--format", fmt, "-j", "2", *files)
        warm = run(capsys, "--format", fmt, "-j", "2", *files)
        assert cold == first == warm, fmt
    assert len(entries(cache_dir)) == 3 * len(files)  # text and html keep source lines, html the readout


def test_old_entries_are_pruned(tmp_path, cache_dir, capsys):
    [report, other] = copies(tmp_path, [FAULTY, CLEAN])
    run(capsys, report)
    [entry] = entries(cache_dir)
    old = time.time() - (result_cache.MAX_AGE_DAYS + 1) * 86400
    os.utime(entry, (old, old))
    (cache_dir / "0.0.1").mkdir()
    os.utime(cache_dir / "pruned", (old, old))  # the first run pruned (nothing); the next may a day later
    run(capsys, other)  # writes, and prunes
    assert entries(cache_dir) != [] and entry not in entries(cache_dir) and not (cache_dir / "0.0.1").exists()


def test_entries_beyond_the_bound_are_pruned_least_recently_used_first(tmp_path, cache_dir, monkeypatch, capsys):
    monkeypatch.setattr(result_cache, "MAX_ENTRIES", 2)
    oldest, older, new = copies(tmp_path, [FAULTY, CLEAN, FAULTY])
    now = time.time()
    run(capsys, oldest)
    [first] = entries(cache_dir)
    os.utime(first, (now - 200, now - 200))
    run(capsys, older)
    [second] = [e for e in entries(cache_dir) if e != first]
    os.utime(second, (now - 100, now - 100))
    os.utime(cache_dir / "pruned", (0, 0))  # the last pruning long ago
    run(capsys, new)
    assert len(entries(cache_dir)) == 2 and first not in entries(cache_dir) and second in entries(cache_dir)


# ── a single file in this process, within its budgets ─────────────────────────────────────────────────

def test_a_single_file_is_checked_without_a_worker(tmp_path, monkeypatch, capsys):
    started = []
    monkeypatch.setattr(runner, "_Worker", lambda *a: started.append(a))
    code, _, _ = run(capsys, "--no-cache", FAULTY)
    assert code == 1 and started == []


def test_a_single_file_over_its_time_budget_in_this_process(tmp_path, monkeypatch, capsys):
    real = runner.check_one

    def slow(args, path):
        time.sleep(60)
        return real(args, path)
    monkeypatch.setattr(runner, "check_one", slow)
    before = signal.getsignal(signal.SIGALRM)
    start = time.monotonic()
    code, _, err = run(capsys, "--no-cache", "--max-seconds", "1", FAULTY)
    assert time.monotonic() - start < 20
    assert (code, err.strip()) == (2, f"{FAULTY}: 错误：检查超时：超过 1 秒仍未完成，已停止（可用 --max-seconds 或配置项 max-seconds 放宽）")
    assert signal.getsignal(signal.SIGALRM) is before and signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


def test_a_single_file_over_its_memory_budget_in_this_process(tmp_path, monkeypatch, capsys):
    real = runner.check_one

    def hungry(args, path):
        bytearray(600 << 20)
        return real(args, path)
    monkeypatch.setattr(runner, "check_one", hungry)
    before = resource.getrlimit(resource.RLIMIT_AS)
    code, _, err = run(capsys, "--no-cache", "--max-memory", "200", FAULTY)
    assert (code, err.strip()) == (2, f"{FAULTY}: 错误：检查时内存超出上限（200 MB），已停止（可用 --max-memory 或配置项 max-memory 放宽）")
    assert resource.getrlimit(resource.RLIMIT_AS) == before
    assert run(capsys, "--no-cache", FAULTY)[0] == 1, "the next check has its memory again"


# ── streaming, and --fix in the pool ──────────────────────────────────────────────────────────────────

def test_streamed_output_keeps_the_order_of_the_files(tmp_path, monkeypatch, capsys):
    files = copies(tmp_path, [FAULTY, CLEAN, FAULTY, FAULTY])
    expected = run(capsys, "--no-cache", "-j", "1", "--format", "json", *files)
    real = runner.check_one

    def first_is_slow(args, path):  # in the workers: the first file finishes last
        if path == files[0]:
            time.sleep(1.5)
        return real(args, path)
    monkeypatch.setattr(runner, "check_one", first_is_slow)
    assert run(capsys, "--no-cache", "-j", "2", "--format", "json", *files) == expected
    _, out, _ = run(capsys, "--no-cache", "-j", "2", *files)
    lines = [line for line in out.splitlines() if line.startswith(str(tmp_path)) and "：" in line.split(":")[0]]
    assert [line.split("：")[0] for line in lines] == [str(f) for f in files]  # the per-file lines, in order


def pool_jobs(monkeypatch) -> list[int]:
    """The number of workers of each pool started from now on."""
    jobs: list[int] = []

    class Recording(runner._Pool):
        def __init__(self, args, files, n, *rest):
            jobs.append(n)
            super().__init__(args, files, n, *rest)
    monkeypatch.setattr(runner, "_Pool", Recording)
    return jobs


def test_fix_runs_in_the_pool(tmp_path, monkeypatch, capsys):
    sequential = copies(tmp_path, [FAULTY] * 4, "one")
    parallel = copies(tmp_path, [FAULTY] * 4, "two")
    run(capsys, "--fix", "-j", "1", *sequential)
    jobs = pool_jobs(monkeypatch)
    _, out, _ = run(capsys, "--fix", "-j", "2", *parallel)
    assert jobs == [2] and "已修复" in out
    assert [p.read_bytes() for p in parallel] == [p.read_bytes() for p in sequential]
    assert all(p.read_bytes() != FAULTY.read_bytes() for p in parallel)


def test_fix_of_a_file_named_twice_is_not_run_in_parallel(tmp_path, monkeypatch, capsys):
    from gpalint.cli import build_parser
    [report] = copies(tmp_path, [FAULTY])
    jobs = pool_jobs(monkeypatch)
    code, out, _ = run(capsys, "--fix", "-j", "2", report, report)  # the command line names it once (cli.collect)
    assert jobs == [] and code == 1 and "已修复" in out and "共检查 1 个" in out
    shutil.copy(FAULTY, report)
    # a caller of run_all passing the same file twice: its fixes are not written by two workers at once
    args = build_parser().parse_args(["check", "--no-cache", "--fix", "-j", "2", "--no-progress", str(report),
                                      str(report)])
    args.format = "text"
    results = list(runner.run_all(args, [report, report]))
    assert jobs == [1] and sum(r.fixed for r in results) > 0


def test_on_a_terminal_results_come_as_they_are_ready(tmp_path, monkeypatch):
    from gpalint.cli import build_parser
    files = copies(tmp_path, [FAULTY, CLEAN, CLEAN])
    real = runner.check_one

    def first_is_slow(args, path):
        if path == files[0]:
            time.sleep(3)  # far longer than the two others take
        return real(args, path)
    monkeypatch.setattr(runner, "check_one", first_is_slow)
    args = build_parser().parse_args(["check", "--no-cache", "-j", "2", "--no-progress", *map(str, files)])
    args.format = "text"
    unordered = [r.path for r in runner.run_all(args, files, ordered=False)]
    assert sorted(unordered) == sorted(map(str, files)) and unordered[-1] == str(files[0])
    assert [r.path for r in runner.run_all(args, files)] == [str(f) for f in files]
