"""Resource budgets (issue 14): caps on what one hostile file can cost, per-file time and memory budgets, workers
that die. Every hostile input is generated here; the costly ones run in a subprocess under an address-space limit
(RLIMIT_AS) and a timeout, so a failing test cannot take the machine down."""
from __future__ import annotations

import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import time
import zlib
from pathlib import Path

import pytest
from conftest import PDF_ENGINES, ROOT

from gpalint import engine, runner
from gpalint.cli import main
from gpalint.engine import Engine, Options
from gpalint.readers.text import parse
from gpalint.rules import builtin_rules

sys.path.insert(0, str(ROOT / "scripts"))
from hostile import deflate, pdf  # the generators of scripts/hostile.py, which measures these inputs

CLEAN = ROOT / "examples" / "clean-report.txt"
FAULTY = ROOT / "examples" / "faulty-report.txt"
TITLE = "2024年政府信息公开工作年度报告\n"


def limited(*args: str, memory_mb: int = 1024, timeout: float = 120, cwd: Path | None = None):
    """Run gpalint in a subprocess that cannot take more than ``memory_mb`` of address space:
    (exit code, stdout, stderr, seconds)."""
    def limit():
        resource.setrlimit(resource.RLIMIT_AS, (memory_mb << 20, memory_mb << 20))
    start = time.monotonic()
    p = subprocess.run([sys.executable, "-m", "gpalint", *args], capture_output=True, text=True, timeout=timeout,
                       preexec_fn=limit, cwd=cwd, env={**os.environ, "PYTHONPATH": str(ROOT)})
    return p.returncode, p.stdout, p.stderr, time.monotonic() - start


def run(capsys, *args: str):
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


# ── findings caps ─────────────────────────────────────────────────────────────────────────────────────

def test_findings_of_one_rule_stop_at_100_then_one_summary(tmp_path, capsys):
    p = tmp_path / "r.txt"
    p.write_text(TITLE + "政 " * 251 + "\n", encoding="utf-8")  # 250 spaces between Chinese characters (G114)
    code, out, _ = run(capsys, "check", "--format", "json", str(p))
    found = [d for d in json.loads(out) if d["code"] == "G114"]
    assert code == 1 and len(found) == 101
    summary = found[-1]
    assert summary["message"] == "另有 150 处同类问题，未逐一列出"
    assert set(summary) == set(found[0]), "the summary is a finding like any other (JSON contract)"
    assert (summary["line"], summary["column"]) == (2, 2 + 2 * 100)  # where the first one left out is


def test_counting_stops_after_10000_left_out(tmp_path, capsys):
    p = tmp_path / "r.txt"
    p.write_text(TITLE + "政 " * 20_000 + "\n", encoding="utf-8")
    _, out, _ = run(capsys, "check", "--format", "json", "--select", "G114", str(p))
    found = json.loads(out)
    assert len(found) == 101 and found[-1]["message"] == "另有超过 10000 处同类问题，未逐一列出"


def test_file_cap_takes_from_the_rule_with_most_findings(monkeypatch):
    monkeypatch.setattr(engine, "MAX_PER_FILE", 20)
    report = TITLE + "政 " * 251 + "\n"
    diags = Engine(builtin_rules()).check_document(parse(report, "r.txt"), Options())[1]
    by_code: dict[str, list[str]] = {}
    for d in diags:
        by_code.setdefault(d.code, []).append(d.message)
    # no section at all: one S101 naming the six (one cause); the rare findings all stay under the file cap
    assert len(by_code["S101"]) == 1 and "第一至六部分" in by_code["S101"][0] and len(by_code["D101"]) == 1
    assert sum(1 for d in diags if "同类问题" not in d.message) <= 20
    g114 = by_code["G114"]
    kept = len(g114) - 1
    assert 0 < kept < 20 and g114[-1] == f"另有 {250 - kept} 处同类问题，未逐一列出"


def test_a_real_report_is_far_below_the_caps(capsys):
    _, out, _ = run(capsys, "check", "--format", "json", str(FAULTY))
    assert not any("同类问题" in d["message"] for d in json.loads(out))


# ── hostile inputs, each in a subprocess under a memory limit ─────────────────────────────────────────

def test_html_table_of_huge_merged_cells_is_refused_fast(tmp_path):
    p = tmp_path / "grid.html"  # 147 KB: took 4.7 GB and 89 s
    p.write_text("<html><body><p>2024年政府信息公开工作年度报告</p><table><tr>"
                 + "<td rowspan=100 colspan=100>1</td>" * 4300 + "</tr></table></body></html>")
    code, _, err, seconds = limited("check", str(p), memory_mb=600)
    assert code == 2 and seconds < 20
    assert err.strip() == (f"{p}: 错误：网页中的表格过大：单元格（合并单元格按 rowspan×colspan 计）共超过 100000 格"
                           "（第 1 个表格，源文件第 1 行），不是年度报告的表格，无法检查")


def test_one_5mb_line_of_findings_stays_small(tmp_path):
    p = tmp_path / "line.txt"  # 1.75 M findings: passed 6 GB
    p.write_text(TITLE + "政 " * (5 * 1024 * 1024 // 4) + "\n", encoding="utf-8")
    code, out, _, seconds = limited("check", "--format", "json", str(p), memory_mb=800)
    assert code == 1 and seconds < 60
    found = json.loads(out)
    assert len(found) < 200
    assert any(d["message"] == "另有超过 10000 处同类问题，未逐一列出" for d in found)


# pdfminer inflates a page's streams as it reads the page, and names it; PDFium's streams are inflated (and counted)
# before it opens the file, so the line names no page
WHERE = {"pdfminer": "第 1 页", "pdfium": ""}


@pytest.mark.parametrize("name", PDF_ENGINES)
def test_pdf_stream_inflating_past_64_mb_is_refused(tmp_path, name):
    p = tmp_path / "bomb.pdf"  # 1 MB inflating to 1 GiB took 2.1 GB; 100 MB is enough to pass the cap
    p.write_bytes(pdf(deflate(b"BT /F1 12 Tf 72 700 Td (Hello) Tj ET\n", 100)))
    code, _, err, seconds = limited("check", "--pdf-engine", name, str(p), memory_mb=700)
    assert code == 2 and seconds < 30
    assert err.strip() == f"{p}: 错误：PDF {WHERE[name]}有一个数据流解压后超过 64 MB（可能是压缩炸弹），不像是正常的报告，无法检查"


def test_pdf_streams_inflating_past_the_file_budget_together_are_refused(tmp_path, monkeypatch, pdf_engine):
    from gpalint.readers import pdf as reader
    from gpalint.readers.pdf import layout
    monkeypatch.setattr(layout, "MAX_INFLATED", 12 << 20)  # 256 MB in use: the same sum, smaller
    p = tmp_path / "many.pdf"
    p.write_bytes(pdf(*[deflate(b"", 5)] * 3))
    with pytest.raises(reader.InputError) as exc:
        reader.read(p)
    assert str(exc.value) == f"PDF {WHERE[pdf_engine]}的数据流解压后共超过 12 MB（可能是压缩炸弹），不像是正常的报告，无法检查"


@pytest.mark.parametrize("name", PDF_ENGINES)
def test_pdf_page_with_too_many_characters_is_refused(tmp_path, name):
    p = tmp_path / "chars.pdf"
    # 60,000 characters in 60 lines, in under 1 KB (at distinct places: PDFium keeps one copy of a text drawn twice
    # at one place)
    show = b"".join(b"BT /F1 1 Tf 10 %d Td (" % y + b"x" * 1000 + b") Tj ET\n" for y in range(10, 70))
    p.write_bytes(pdf(zlib.compress(show)))
    code, _, err, _ = limited("check", "--pdf-engine", name, str(p), memory_mb=700)
    assert code == 2
    assert err.strip() == f"{p}: 错误：PDF 第 1 页的文字和图形超过 50000 个，不像是正常的报告页面，无法检查"


def test_pdf_of_more_pages_than_any_report_is_refused(monkeypatch, pdf_engine):
    from gpalint.readers import pdf as reader
    from gpalint.readers.pdf import layout
    monkeypatch.setattr(layout, "MAX_PAGES", 1)  # 2000 in use
    with pytest.raises(reader.InputError) as exc:
        reader.read(ROOT / "examples" / "faulty-report.pdf")
    assert str(exc.value) == "PDF 超过 1 页，不像是一份年度报告，无法检查"


@pytest.mark.parametrize(("name", "content", "message"), [
    ("lines.txt", TITLE + "政\n" * 100_001, "文件有超过 100000 行文字，不像是一份年度报告（200 页的报告约有一万行），无法检查"),
    ("blank.txt", TITLE + "\n" * 400_001, "文件有超过 400000 行文字，不像是一份年度报告（200 页的报告约有一万行），无法检查"),
    ("paras.html", "<p>" + TITLE + "<p>政" * 100_001, "网页中有超过 100000 段文字或单元格，不像是一份年度报告，无法检查"),
    ("cells.html", "<p>" + TITLE + "<table><tr>" + "<td></td>" * 100_001, "网页中有超过 100000 段文字或单元格，不像是一份年度报告，无法检查"),
])
def test_more_lines_or_cells_than_any_report_are_refused(tmp_path, name, content, message):
    p = tmp_path / name  # 50 MB of one-character lines took 3.5 GB and 250 s
    p.write_text(content, encoding="utf-8")
    code, _, err, _ = limited("check", str(p), memory_mb=700)
    assert (code, err.strip()) == (2, f"{p}: 错误：{message}")


def test_pdfminer_inflates_normally_again_after_a_read(tmp_path):
    import pdfminer.pdftypes

    from gpalint.readers import pdf as reader
    p = tmp_path / "bomb.pdf"
    p.write_bytes(pdf(deflate(b"", 70)))
    with pytest.raises(reader.InputError):
        reader.read(p, "pdfminer")
    assert pdfminer.pdftypes.zlib is zlib


# ── workers ───────────────────────────────────────────────────────────────────────────────────────────

def reports(tmp_path: Path, n: int) -> list[Path]:
    out = []
    for i in range(n):
        p = tmp_path / f"r{i:02d}.txt"
        shutil.copy(FAULTY if i % 2 else CLEAN, p)
        out.append(p)
    return out


def test_workers_never_exceed_cpus_nor_files(tmp_path, monkeypatch, capsys):
    cpus = len(os.sched_getaffinity(0))
    assert runner.worker_count(100_000, 3) == min(cpus, 3)
    assert runner.worker_count(100_000, 1000) == cpus
    assert runner.worker_count(0, 1) == 1
    started = []
    real = runner._Worker.__init__

    def counting(self, *args):
        started.append(1)
        real(self, *args)
    monkeypatch.setattr(runner._Worker, "__init__", counting)
    code, _, _ = run(capsys, "check", "-j", "100000", *map(str, reports(tmp_path, 3)))
    assert code == 1 and len(started) == min(cpus, 3)


def test_a_worker_killed_on_every_try_loses_only_its_file(tmp_path, monkeypatch, capsys):
    files = reports(tmp_path, 8)
    victim = files[3]
    real = runner.check_one

    def dying(args, path):
        if path == victim:
            os.kill(os.getpid(), signal.SIGKILL)  # what the out-of-memory killer does
        return real(args, path)
    monkeypatch.setattr(runner, "check_one", dying)
    code, out, err = run(capsys, "check", "-j", "2", "--format", "json", *map(str, files))
    assert code == 2
    assert err.strip() == f"{victim}: 错误：检查进程被终止（信号 SIGKILL，常见原因是内存不足被系统结束），该文件未能检查"
    paths = {d["path"] for d in json.loads(out)}
    assert {str(f) for f in files[1::2] if f != victim} <= paths  # the other faulty reports' findings are there


def test_a_worker_killed_once_is_retried(tmp_path, monkeypatch, capsys):
    files = reports(tmp_path, 6)
    mark = tmp_path / "killed-once"
    real = runner.check_one

    def dying_once(args, path):
        if path == files[1] and not mark.exists():
            mark.touch()
            os.kill(os.getpid(), signal.SIGKILL)
        return real(args, path)
    monkeypatch.setattr(runner, "check_one", dying_once)
    code, out, err = run(capsys, "check", "-j", "2", "--format", "json", *map(str, files))
    assert mark.exists() and code == 1 and err == ""
    assert str(files[1]) in {d["path"] for d in json.loads(out)}


def test_workers_killed_from_outside_mid_run_lose_nothing(tmp_path, capsys):
    slow = tmp_path / "a-slow.txt"  # keeps one worker busy for a second or two
    slow.write_text(TITLE + "政 " * 400_000 + "\n", encoding="utf-8")
    files = [slow, *reports(tmp_path, 20)]
    _, out, _ = run(capsys, "check", "--format", "json", *map(str, files))
    expected = json.loads(out)
    proc = subprocess.Popen([sys.executable, "-m", "gpalint", "check", "-j", "2", "--format", "json", "--no-cache",
                             *map(str, files)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    children = Path(f"/proc/{proc.pid}/task/{proc.pid}/children")
    deadline = time.monotonic() + 30
    killed: list[int] = []
    while not killed and time.monotonic() < deadline:
        if children.exists() and children.read_text().split():
            time.sleep(0.3)  # mid-run: the workers hold files
            for pid in map(int, children.read_text().split()):
                os.kill(pid, signal.SIGKILL)  # as the out-of-memory killer does
                killed.append(pid)
        time.sleep(0.02)
    out, err = proc.communicate(timeout=120)
    assert killed, "no worker was seen"
    assert (proc.returncode, err) == (1, ""), "each file held by a killed worker was checked again"
    assert json.loads(out) == expected


def slow_on(slow: Path, monkeypatch) -> None:
    """Checking ``slow`` takes a minute (in the worker: check_one is looked up there, after the fork)."""
    real = runner.check_one

    def check(args, path):
        if path == slow:
            time.sleep(60)
        return real(args, path)
    monkeypatch.setattr(runner, "check_one", check)


def test_a_file_over_its_time_budget_gets_one_line_others_go_on(tmp_path, monkeypatch, capsys):
    files = reports(tmp_path, 4)
    slow_on(files[0], monkeypatch)
    start = time.monotonic()
    code, out, err = run(capsys, "check", "--max-seconds", "1", "--format", "json", *map(str, files))
    assert time.monotonic() - start < 20
    assert code == 2
    assert err.strip() == f"{files[0]}: 错误：检查超时：超过 1 秒仍未完成，已停止（可用 --max-seconds 或配置项 max-seconds 放宽）"
    assert {str(files[1]), str(files[3])} <= {d["path"] for d in json.loads(out)}


def test_a_file_over_its_memory_budget_gets_one_line_others_go_on(tmp_path, monkeypatch, capsys):
    files = reports(tmp_path, 4)
    real = runner.check_one

    def hungry(args, path):
        if path == files[1]:
            bytearray(600 << 20)  # in the worker, which may add only 200 MB
        return real(args, path)
    monkeypatch.setattr(runner, "check_one", hungry)
    code, out, err = run(capsys, "check", "-j", "2", "--max-memory", "200", "--format", "json", *map(str, files))
    assert code == 2
    assert err.strip() == f"{files[1]}: 错误：检查时内存超出上限（200 MB），已停止（可用 --max-memory 或配置项 max-memory 放宽）"
    assert str(files[3]) in {d["path"] for d in json.loads(out)}


def test_budgets_from_the_configuration(tmp_path, monkeypatch, capsys):
    (tmp_path / "gpalint.toml").write_text("max-seconds = 1\nmax-memory = 300\n")
    files = reports(tmp_path, 2)
    assert runner.budget_for(main_args(), files[0]) == runner.Budget(1, 300)
    slow_on(files[0], monkeypatch)
    code, _, err = run(capsys, "check", *map(str, files))
    assert code == 2 and "检查超时：超过 1 秒仍未完成" in err


@pytest.mark.parametrize("ocr", [True, False])
def test_files_ocr_may_read_get_room_for_it_when_the_extra_is_there(tmp_path, monkeypatch, ocr):
    from gpalint.readers import extras
    monkeypatch.chdir(tmp_path)  # no configuration of the project's own applies
    monkeypatch.setattr(extras, "ocr_available", lambda: ocr)
    args = main_args()
    for name, room in (("扫描件.pdf", 4096 if ocr else 2048), ("扫描件.PNG", 4096 if ocr else 2048),
                       ("报告.txt", 2048), ("报告.docx", 2048)):
        assert runner.budget_for(args, tmp_path / name).memory == room, name
    args.max_memory = 1000  # what the user asks for always wins
    assert runner.budget_for(args, tmp_path / "扫描件.pdf").memory == 1000


def main_args():
    from gpalint.cli import build_parser
    return build_parser().parse_args(["check"])


@pytest.mark.parametrize(("text", "problem"), [("max-seconds = 0", "应为正的秒数，如 300"),
                                               ("max-memory = 1.5", "应为正的兆字节数（MB），如 2048")])
def test_bad_budget_in_the_configuration_is_an_error(tmp_path, capsys, text, problem):
    (tmp_path / "gpalint.toml").write_text(text + "\n")
    code, _, err = run(capsys, "check", *map(str, reports(tmp_path, 1)))
    assert code == 2 and problem in err


# ── found by scripts/fuzz.py ──────────────────────────────────────────────────────────────────────────

def test_utf16_with_a_lone_surrogate_is_one_line_not_a_traceback(tmp_path, capsys):
    p = tmp_path / "r.txt"
    p.write_bytes("\ufeff2024年政府信息公开".encode("utf-16-le") + b"\x00\xd8" + "工作年度报告".encode("utf-16-le"))
    code, _, err = run(capsys, "check", str(p))
    assert (code, err.strip()) == (2, f"{p}: 错误：文件按字节顺序标记应为 UTF-16 编码，但第 25 个字节处的内容不符合这种编码：文件可能已损坏")
