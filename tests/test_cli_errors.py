"""Issue 14: no crash path outside the per-file guard, and outputs that cannot be turned against the reader.

Every failure ends in one Chinese line on stderr and exit 2 (never a traceback, never exit 1, which means
"findings"); report text and file names cannot drive the terminal or inject GitHub workflow commands; --output
never overwrites an input and is written atomically."""
from __future__ import annotations

import errno
import json
import os
import re
import stat
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from unicodedata import east_asian_width

import pytest
from conftest import ROOT

from gpalint import cli
from gpalint.cli import main
from gpalint.oserrors import describe, not_regular

CLEAN = ROOT / "examples" / "clean-report.txt"
FAULTY = ROOT / "examples" / "faulty-report.txt"
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def run(*args, capsys):
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def one_chinese_line(err: str) -> str:
    assert err.count("\n") == 1 and "Traceback" not in err, err
    assert re.search(r"[\u4e00-\u9fff]", err), err
    return err


# ── crash paths ────────────────────────────────────────────────────────────────

def test_symlink_loop_in_a_walk_is_one_line_and_the_rest_is_checked(tmp_path, capsys):
    (tmp_path / "report.txt").write_text(CLEAN.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "loop.txt").symlink_to(tmp_path / "loop.txt")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "up").symlink_to(tmp_path, target_is_directory=True)  # a directory loop: not followed
    code, out, err = run("check", tmp_path, capsys=capsys)
    assert code == 2
    assert "loop.txt: 错误：无法读取文件：符号链接循环" in one_chinese_line(err)
    assert "检查了 1 个文件" in out and "全部通过" not in out


def test_named_symlink_loop_and_missing_file(tmp_path, capsys):
    (tmp_path / "loop.txt").symlink_to(tmp_path / "loop.txt")
    code, _, err = run("check", tmp_path / "loop.txt", capsys=capsys)
    assert code == 2 and "符号链接循环" in one_chinese_line(err)


@pytest.mark.parametrize("target,expected", [("missing/out.json", "所在的文件夹不存在"), (".", "这是一个目录")])
def test_output_to_a_missing_folder_or_a_directory(tmp_path, capsys, target, expected):
    code, out, err = run("check", CLEAN, "--output", tmp_path / target, capsys=capsys)
    assert code == 2 and out == ""
    assert expected in one_chinese_line(err) and err.startswith("gpalint: 无法写入结果文件")


def test_output_that_cannot_be_written_at_the_end(tmp_path, capsys, monkeypatch):
    target = tmp_path / "out.json"
    target.write_text("old", encoding="utf-8")

    def full_disk(src, dst):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "replace", full_disk)
    code, _, err = run("check", CLEAN, "-o", target, capsys=capsys)
    assert code == 2 and "磁盘空间不足" in one_chinese_line(err)
    assert target.read_text(encoding="utf-8") == "old"  # the old output is intact
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.json"]  # and no temporary file is left


def test_memory_error_while_rendering_json(capsys, monkeypatch):
    import gpalint.output.json as json_output

    def no_memory(*args):
        raise MemoryError

    monkeypatch.setattr(json_output.JsonWriter, "file", no_memory)  # json is written as each file is checked
    code, out, err = run("check", "--format", "json", FAULTY, capsys=capsys)
    assert code == 2 and out == ""
    assert "内存不足" in one_chinese_line(err) and "json" in err


def test_extract_of_utf16_with_a_lone_surrogate(tmp_path, capsys):
    text = CLEAN.read_text(encoding="utf-8").encode("utf-16-le")
    p = tmp_path / "u16.txt"
    p.write_bytes(b"\xff\xfe" + text[:200] + b"\x00\xd8" + text[200:])  # U+D800 alone
    code, out, err = run("extract", p, capsys=capsys)
    assert code == 2 and out == ""
    assert "UTF-16" in one_chinese_line(err) and "第 203 个字节" in err
    code, _, err = run("check", p, capsys=capsys)
    assert code == 2 and "UTF-16" in one_chinese_line(err) and "内部错误" not in err


def test_last_resort_handler_prints_one_line_and_exits_2(capsys, monkeypatch):
    def boom(args):
        raise RuntimeError("oops \x1b[2J\nsecond line")

    monkeypatch.setattr(cli, "cmd_check", boom)
    code, _, err = run("check", CLEAN, capsys=capsys)
    assert code == 2
    assert "内部错误" in one_chinese_line(err) and "\x1b" not in err and "\\x1b[2J" in err


def test_a_traceback_never_reaches_the_user_of_the_command():
    proc = subprocess.run([sys.executable, "-m", "gpalint", "check", str(CLEAN), "-o", "/nonexistent/x.json"],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr and "所在的文件夹不存在" in proc.stderr


def test_unreadable_subfolder_is_reported(tmp_path, capsys, monkeypatch):
    (tmp_path / "report.txt").write_text(CLEAN.read_text(encoding="utf-8"), encoding="utf-8")
    locked = tmp_path / "locked"
    locked.mkdir()
    (locked / "hidden-report.txt").write_text("x", encoding="utf-8")
    real_scandir = os.scandir

    def scandir(path="."):  # chmod 000 does not stop root, so refuse the folder the way the kernel would
        if Path(path) == locked:
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    code, out, err = run("check", tmp_path, capsys=capsys)
    assert code == 2
    assert f"{locked}: 错误：无法读取目录：没有访问权限" in one_chinese_line(err)
    assert "检查了 1 个文件" in out


def test_unreadable_file_is_a_chinese_line(tmp_path, capsys, monkeypatch):
    p = tmp_path / "r.txt"
    p.write_text(CLEAN.read_text(encoding="utf-8"), encoding="utf-8")
    real = Path.read_bytes

    def read_bytes(self):
        if self == p:
            raise PermissionError(errno.EACCES, "Permission denied", str(self))
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    code, _, err = run("check", p, capsys=capsys)
    assert code == 2 and "r.txt: 错误：无法读取文件：没有访问权限" in one_chinese_line(err)
    assert "Permission" not in err


def test_fifo_is_not_a_regular_file_and_does_not_hang(tmp_path):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    folder = tmp_path / "walked"
    folder.mkdir()
    os.mkfifo(folder / "pipe.md")
    for target in (fifo, folder):
        proc = subprocess.run([sys.executable, "-m", "gpalint", "check", str(target)], capture_output=True,
                              text=True, timeout=120)  # reading a pipe would wait for ever
        assert proc.returncode == 2, proc.stderr
        assert "不是普通文件（命名管道）" in proc.stderr and "全部通过" not in proc.stdout


def test_os_errors_in_chinese():
    assert describe(PermissionError(errno.EACCES, "Permission denied")) == "没有访问权限"
    assert describe(OSError(errno.ELOOP, "Too many levels of symbolic links")).startswith("符号链接循环")
    assert describe(OSError(errno.ENOSPC, "No space")) == "磁盘空间不足"
    rare = describe(OSError(errno.ENOTEMPTY, "Directory not empty"))
    assert rare.startswith("系统错误") and "ENOTEMPTY" in rare
    assert not_regular(stat.S_IFREG | 0o644) is None
    assert not_regular(stat.S_IFCHR) == "不是普通文件（字符设备），无法检查"


def test_files_that_could_not_be_checked_are_in_json_sarif_and_junit(tmp_path, capsys):
    missing = tmp_path / "missing.txt"
    code, out, _ = run("check", "--format", "json", FAULTY, missing, capsys=capsys)
    data = json.loads(out)
    assert code == 2
    [error] = [d for d in data if d["code"] == "E000"]
    assert error["path"] == str(missing) and error["severity"] == "error" and error["message"] == "文件或目录不存在"
    assert set(error) == {"code", "severity", "message", "path", "line", "column", "end_line", "end_column",
                          "context", "fix", "fingerprint"}  # the shape of every other entry
    assert any(d["code"] == "F101" for d in data)  # the findings are still there
    _, out, _ = run("check", "--format", "sarif", FAULTY, missing, capsys=capsys)
    [note] = json.loads(out)["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert note["descriptor"]["id"] == "E000" and note["message"]["text"] == "文件或目录不存在"
    _, out, _ = run("check", "--format", "junit", FAULTY, missing, capsys=capsys)
    errors = ET.fromstring(out.encode()).findall(".//error")
    assert [(e.get("type"), e.get("message")) for e in errors] == [("E000", "文件或目录不存在")]


# ── outputs that cannot be turned against the reader ───────────────────────────

HOSTILE = "\x1b[2J\x1b]0;owned\x07\x9b31m\u202e"  # clear screen, OSC title, C1 CSI, right-to-left override


def test_control_characters_in_a_report_reach_no_terminal(tmp_path, capsys):
    text = FAULTY.read_text(encoding="utf-8").replace("2024年，我镇收到", f"2024年，{HOSTILE}我镇收到")
    name = tmp_path / "报告\x1b[31m.txt"
    name.write_text(text, encoding="utf-8")
    code, out, err = run("check", name, capsys=capsys)
    assert code == 1
    assert not CONTROL.search(out) and "\u202e" not in out
    assert "\\x1b[2J" in out and "\\x9b31m" in out and "\\u202e" in out and "报告\\x1b[31m.txt" in out
    # the caret still points at the finding's span, counted with the escapes as shown
    lines = out.splitlines()
    i = next(i for i, line in enumerate(lines) if "C101" in line)
    shown, marks = lines[i + 2], lines[i + 3]
    width = sum(2 if east_asian_width(c) in "WF" else 1 for c in shown[:shown.index("5件")])
    assert marks.index("^") == width and marks.count("^") == 1
    bad = tmp_path / "空\x1b]8;;x\x07.txt"
    bad.write_bytes(b"")
    code, _, err = run("check", bad, capsys=capsys)
    assert code == 2 and not CONTROL.search(err) and "\\x1b]8;;x\\x07" in err


def test_file_named_like_a_workflow_command_injects_nothing(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("::error title=X::pwned.txt").write_text(FAULTY.read_text(encoding="utf-8"), encoding="utf-8")
    Path("::warning::empty.txt").write_bytes(b"")
    Path(" ::notice::blank.txt").write_bytes(b"")
    code, out, err = run("check", "::error title=X::pwned.txt", "::warning::empty.txt", " ::notice::blank.txt",
                         CLEAN, capsys=capsys)
    assert code == 2
    for line in (out + err).splitlines():
        assert not line.lstrip().startswith("::"), line
    assert "./::error title=X::pwned.txt:70:20: 错误 T103" in out
    assert "./::warning::empty.txt: 错误：文件为空" in err and "./ ::notice::blank.txt: 错误" in err
    _, out, _ = run("check", "--format", "github", "::error title=X::pwned.txt", capsys=capsys)
    assert "file=%3A%3Aerror title=X%3A%3Apwned.txt," in out


def test_github_format_escapes_control_characters_and_properties():
    from gpalint.model import Diagnostic, FileResult, Location, Severity
    from gpalint.output import github
    d = Diagnostic("G101", Severity.WARNING, f"a{HOSTILE}b\r\n::error::x 100%", "d,1/x:y.txt", Location(2, 3))
    [line] = github.render([FileResult("d,1/x:y.txt", [d])], {}).splitlines()
    assert line == ("::warning file=d%2C1/x%3Ay.txt,line=2,col=3,title=G101::"
                    "a\\x1b[2J\\x1b]0;owned\\x07\\x9b31m\\u202eb%0D%0A::error::x 100%25")


def test_an_option_smuggled_in_as_a_file_name_cannot_overwrite_a_report(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    report = Path("001_report.txt")
    report.write_text(CLEAN.read_text(encoding="utf-8"), encoding="utf-8")
    Path("-o001_report.txt").write_text(CLEAN.read_text(encoding="utf-8"), encoding="utf-8")
    before = report.read_bytes()
    # what `gpalint check *.txt` expands to: the -o… file comes first
    code, _, err = run("check", "-o001_report.txt", "001_report.txt", capsys=capsys)
    assert code == 2 and "是要检查的文件之一，拒绝覆盖" in one_chinese_line(err)
    assert report.read_bytes() == before
    link = Path("link.txt")
    link.symlink_to(report)  # the same file under another name
    code, _, err = run("check", "-o", "link.txt", "001_report.txt", capsys=capsys)
    assert code == 2 and "拒绝覆盖" in err and report.read_bytes() == before
    code, out, err = run("check", "--", "-o001_report.txt", "001_report.txt", capsys=capsys)  # what the hooks run
    assert (code, err) == (0, "") and "检查了 2 个文件" in out and report.read_bytes() == before


def test_output_is_written_atomically_and_keeps_permissions(tmp_path, capsys):
    target = tmp_path / "result.json"
    target.write_text("old", encoding="utf-8")
    target.chmod(0o640)
    code, _, _ = run("check", FAULTY, "-o", target, capsys=capsys)
    assert code == 1 and json.loads(target.read_text(encoding="utf-8"))  # the format from the suffix
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["result.json"]
    fresh = tmp_path / "fresh.txt"
    run("check", FAULTY, "-o", fresh, capsys=capsys)
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o666 & ~umask  # not mkstemp's 0600


def test_last_runs_output_in_the_walked_folder_is_not_checked(tmp_path, capsys):
    (tmp_path / "report.txt").write_text(CLEAN.read_text(encoding="utf-8"), encoding="utf-8")
    out_file = tmp_path / "gpalint-result.txt"
    for _ in range(2):
        code, out, err = run("check", tmp_path, "-o", out_file, capsys=capsys)
        assert (code, out, err) == (0, "", "")
        assert out_file.read_text(encoding="utf-8").startswith("全部通过：检查了 1 个文件")


def test_read_only_output_is_refused_before_the_run(tmp_path, capsys, monkeypatch):
    target = tmp_path / "out.json"
    target.write_text("keep", encoding="utf-8")
    target.chmod(0o444)
    real_access = os.access
    # root may write anything: answer for target as the kernel does for everyone else
    monkeypatch.setattr(os, "access", lambda p, mode: False if Path(p) == target else real_access(p, mode))
    code, out, err = run("check", FAULTY, "-o", target, capsys=capsys)
    assert code == 2 and out == "" and "没有写入权限" in one_chinese_line(err)
    assert target.read_text(encoding="utf-8") == "keep"


def test_output_to_a_pipe_is_written_into_not_replaced(tmp_path, capsys):
    import threading
    fifo = tmp_path / "out.fifo"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    code, out, err = run("check", "--format", "json", FAULTY, "-o", fifo, capsys=capsys)
    reader.join(timeout=60)
    assert code == 1 and (out, err) == ("", "")
    assert stat.S_ISFIFO(fifo.stat().st_mode)  # still the pipe (what -o /dev/stdout relies on)
    assert received and json.loads(received[0])


def test_output_through_a_symbolic_link_keeps_the_link(tmp_path, capsys):
    # what `-o /dev/stdout` is when stdout is redirected to a file: a link to a regular file
    real = tmp_path / "real.json"
    real.write_text("old", encoding="utf-8")
    link = tmp_path / "link.json"
    link.symlink_to(real)
    code, _, _ = run("check", FAULTY, "-o", link, capsys=capsys)
    assert code == 1 and link.is_symlink() and json.loads(real.read_text(encoding="utf-8"))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.json", "real.json"]


@pytest.mark.skipif(not Path("/proc/self/fd/1").exists(), reason="needs Linux /proc")
def test_output_to_own_stdout_appends_to_a_redirected_log(tmp_path):
    log = tmp_path / "ci.log"
    with open(log, "w", encoding="utf-8") as f:
        f.write("earlier step\n")
        f.flush()
        proc = subprocess.run([sys.executable, "-m", "gpalint", "check", str(CLEAN), "-o", "/proc/self/fd/1"],
                              stdout=f, stderr=subprocess.PIPE, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert log.read_text(encoding="utf-8") == "earlier step\n全部通过：检查了 1 个文件，没有发现问题。\n"


def test_an_output_onto_a_report_found_by_the_walk_is_refused_but_last_runs_output_is_replaced(tmp_path, capsys):
    """`gpalint check -o001_report.txt` in a folder (an option glued to a name, or a typo) must not overwrite a report
    the walk finds there; the output an earlier run wrote there is left out of the check and replaced."""
    report = tmp_path / "001_report.txt"
    report.write_text(CLEAN.read_text(encoding="utf-8"), encoding="utf-8")
    code, _, err = run("check", "-o", str(report), str(tmp_path), capsys=capsys)
    assert code == 2 and "是文件夹中的一份报告，不是 gpalint 上次写的结果，拒绝覆盖" in err
    assert report.read_text(encoding="utf-8") == CLEAN.read_text(encoding="utf-8")
    out = tmp_path / "out.txt"
    for _ in range(2):  # the second run finds the first run's out.txt, leaves it out and writes it again
        code, _, _ = run("check", "-o", str(out), str(tmp_path), capsys=capsys)
        assert code == 0 and out.read_text(encoding="utf-8").startswith("全部通过：检查了 1 个文件")
