"""The command line as users and CI meet it: exit codes, JSON, bad input, rule docs, extract."""
from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

import pytest
from conftest import ROOT, need_corpus, seed

from gpalint.cli import main

CLEAN = ROOT / "examples" / "clean-report.txt"


def run(*args, capsys):
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_clean_report_exits_0(capsys):
    code, out, err = run("check", str(CLEAN), capsys=capsys)
    assert code == 0, out
    assert "全部通过" in out and err == ""


def test_findings_exit_1_and_json_contract(capsys):
    need_corpus()
    code, out, _ = run("check", "--format", "json", str(seed("004")), capsys=capsys)
    assert code == 1
    data = json.loads(out)
    f101 = [d for d in data if d["code"] == "F101"]
    assert len(f101) == 1
    assert set(f101[0]) == {"code", "severity", "message", "path", "line", "column", "end_line", "end_column",
                            "context", "fix", "fingerprint"}
    assert f101[0]["severity"] == "error" and f101[0]["line"] == 96 and f101[0]["column"] == 1


def test_table_finding_names_cell_and_expected_value(tmp_path, capsys):
    text = CLEAN.read_text(encoding="utf-8").replace("（七）总计\t3\t1\t0\t0\t0\t0\t4", "（七）总计\t3\t1\t0\t0\t0\t0\t5")
    assert text != CLEAN.read_text(encoding="utf-8")
    p = tmp_path / "r.txt"
    p.write_text(text, encoding="utf-8")
    code, out, _ = run("check", "--select", "T", "--format", "json", str(p), capsys=capsys)
    msgs = {d["code"]: d for d in json.loads(out)}
    assert code == 1
    assert set(msgs) == {"T103"}  # one wrong cell, one finding: the other relations it breaks are named in it
    assert msgs["T103"]["message"] == ("表三「（七）总计」行「总计」列应为 4（3+1），实为 5（同时不符：第一项加第二项之和，"
                                       "等于第三项加第四项之和；总计等于自然人与法人或其他组织五类之和）")
    assert msgs["T103"]["context"] == "表三 「（七）总计」行 「总计」列"


def test_select_and_ignore_prefixes(capsys):
    need_corpus()
    code, out, _ = run("check", "--format", "json", "--select", "D", str(seed("000")), capsys=capsys)
    assert {d["code"] for d in json.loads(out)} == {"D101"}
    code, out, _ = run("check", "--format", "json", "--select", "D,S", "--ignore", "S106,S113", str(seed("000")),
                       capsys=capsys)
    assert {d["code"] for d in json.loads(out)} == {"D101"}
    code, out, _ = run("check", "--ignore", "ALL", str(seed("000")), capsys=capsys)
    assert code == 0


@pytest.mark.parametrize("content,expected", [
    (b"", "文件为空"),
    (b"\x00\x01\x02\x03binary\x00\xff" * 50, "二进制"),
    ("这是一份会议纪要，与年度报告无关。".encode(), "不像是政府信息公开工作年度报告"),
])
def test_bad_input_one_line_exit_2_others_still_checked(tmp_path, capsys, content, expected):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(content)
    code, out, err = run("check", str(bad), str(CLEAN), capsys=capsys)
    assert code == 2
    assert err.count("\n") == 1 and expected in err and "Traceback" not in err
    assert "检查了 1 个文件" in out  # the good file was still checked


def test_directory_without_reports_and_missing_path(tmp_path, capsys):
    (tmp_path / "notes.csv").write_text("a,b", encoding="utf-8")
    code, _, err = run("check", str(tmp_path), capsys=capsys)
    assert code == 2 and "没有可检查的报告文件" in err
    code, _, err = run("check", str(tmp_path / "nope.txt"), capsys=capsys)
    assert code == 2 and "不存在" in err


@pytest.mark.parametrize("encoding", ["gb18030", "gbk", "utf-16", "utf-8-sig"])
def test_chinese_encodings_are_read(tmp_path, capsys, encoding):
    p = tmp_path / f"r-{encoding}.txt"
    p.write_bytes(CLEAN.read_text(encoding="utf-8").encode(encoding))
    code, out, err = run("check", str(p), capsys=capsys)
    assert (code, err) == (0, ""), out


def test_usage_error_exit_2(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["check", "--format", "yaml"])
    assert exc.value.code == 2


def test_rule_and_rules(capsys):
    code, out, _ = run("rule", "T103", capsys=capsys)
    assert code == 0 and "T103" in out and "（七）总计" in out
    code, _, err = run("rule", "X999", capsys=capsys)
    assert code == 2 and "没有规则" in err
    code, out, _ = run("rules", "--format", "json", capsys=capsys)
    codes = {r["code"] for r in json.loads(out)}
    assert {"S101", "T103", "D101", "F101", "M101", "C101"} <= codes


def test_extract_json_and_csv(capsys):
    need_corpus()
    _, out, _ = run("extract", str(seed("001")), capsys=capsys)
    data = json.loads(out)
    t3 = next(t for t in data["tables"] if t["table"] == "表三")
    row1 = next(r for r in t3["rows"] if r["key"] == "一")
    assert row1["values"]["自然人"] == 2 and row1["values"]["总计"] == 2 and row1["line"] == 94
    _code, out, _ = run("extract", "--format", "csv", str(seed("001")), capsys=capsys)
    rows = list(csv.DictReader(io.StringIO(out)))
    punish = [r for r in rows if r["row"] == "行政处罚"]
    assert punish[0]["value"] == "3" and punish[0]["line"] == "62"


def test_python_m_gpalint_and_statistics():
    need_corpus()
    proc = subprocess.run([sys.executable, "-m", "gpalint", "check", "--statistics", str(seed("002"))],
                          capture_output=True, text=True)
    assert proc.returncode == 1
    assert "S106" in proc.stdout and "1" in proc.stdout.split("S106")[0].splitlines()[-1]


def test_exit_zero(capsys):
    need_corpus()
    code, _, _ = run("check", "--exit-zero", str(seed("004")), capsys=capsys)
    assert code == 0


def test_inline_suppression_and_unused(tmp_path, capsys):
    text = CLEAN.read_text(encoding="utf-8").replace("（七）总计\t3\t1\t0\t0\t0\t0\t4", "（七）总计\t3\t1\t0\t0\t0\t0\t5")
    p = tmp_path / "r.md"
    p.write_text(text.replace("（七）总计", "<!-- gpalint: ignore T103 -->\n\t（七）总计", 1), encoding="utf-8")
    _, out, _ = run("check", "--format", "json", str(p), capsys=capsys)
    codes = sorted(d["code"] for d in json.loads(out))
    assert not [c for c in codes if c.startswith("T")] and "M103" not in codes  # the cell's one finding is T103
    p.write_text(CLEAN.read_text(encoding="utf-8") + "\n<!-- gpalint: ignore D101 -->\n末行\n", encoding="utf-8")
    _code, out, _ = run("check", "--format", "json", str(p), capsys=capsys)
    data = json.loads(out)
    assert [d["code"] for d in data] == ["M103"] and "D101" in data[0]["message"]


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom(tmp_path, capsys, encoding):
    p = tmp_path / "r.txt"
    p.write_bytes(CLEAN.read_text(encoding="utf-8").encode(encoding))
    code, out, err = run("check", str(p), capsys=capsys)
    assert (code, err) == (0, ""), out


def test_a_readme_beside_the_reports_is_skipped_not_an_error(tmp_path, capsys):
    (tmp_path / "README.md").write_text("# 本仓库存放年度报告\n", encoding="utf-8")
    (tmp_path / "report.txt").write_text(CLEAN.read_text(encoding="utf-8"), encoding="utf-8")
    code, out, err = run("check", str(tmp_path), capsys=capsys)
    assert code == 0 and "已跳过" in err and "README.md" in err and "检查了 1 个文件" in out
    code, _, err = run("check", str(tmp_path / "README.md"), capsys=capsys)  # named explicitly: an error
    assert code == 2 and "错误" in err
    (tmp_path / "report.txt").unlink()
    code, out, err = run("check", str(tmp_path), capsys=capsys)
    assert code == 2 and "没有检查任何报告" in err and out == ""


def test_a_province_adds_its_own_rule_without_python(tmp_path, capsys):
    """extra-rules: a folder of the user's own rule files, found through gpalint.toml beside the reports."""
    (tmp_path / "gpalint.toml").write_text('extra-rules = ["省级规则"]\nlocal-prefix = "JS"\n', encoding="utf-8")
    (tmp_path / "省级规则").mkdir()
    (tmp_path / "省级规则" / "JS901.toml").write_text('''code = "JS901"
name = "province-hotline"
severity = "warning"
summary = "第六部分应公布政务公开咨询电话"
message = '「{scope}」没有写政务公开咨询电话'
[check]
kind = "required-text"
scope = "section:六"
patterns = ['咨询电话|联系电话']
[docs]
why = "本省要求。"
source = "某省政务公开办通知"
[[examples]]
bad = "六、其他需要报告的事项\\n无。"
good = "六、其他需要报告的事项\\n咨询电话：0000-1234567。"
''', encoding="utf-8")
    (tmp_path / "report.txt").write_text(CLEAN.read_text(encoding="utf-8"), encoding="utf-8")
    code, out, _ = run("check", "--format", "json", str(tmp_path / "report.txt"), capsys=capsys)
    assert code == 1 and [d["code"] for d in json.loads(out)] == ["JS901"]
    code, out, _ = run("check", "--format", "sarif", str(tmp_path / "report.txt"), capsys=capsys)
    assert "第六部分应公布政务公开咨询电话" in out  # the outputs know the user's rule too
    # a prefix is known when a rule of the rule set that applies has it
    code, out, _ = run("check", "--select", "JS9", "--format", "json", str(tmp_path / "report.txt"), capsys=capsys)
    assert code == 1 and [d["code"] for d in json.loads(out)] == ["JS901"]
    code, _, err = run("check", "--select", "S9", str(CLEAN), capsys=capsys)  # no rule has this prefix
    assert code == 2 and "「S9」不是任何规则的代码或前缀" in err


# ── issue 10: the command line a CI relies on ──────────────────────────────────

@pytest.mark.parametrize("flag", ["--select", "--ignore", "--extend-select"])
@pytest.mark.parametrize("selector", ["X101", "T999", "S9", "G11O"])
def test_unknown_code_or_prefix_on_the_command_line_is_an_error(capsys, flag, selector):
    code, out, err = run("check", flag, f"T,{selector}", str(CLEAN), capsys=capsys)
    assert code == 2 and out == ""
    assert err == f"gpalint: 参数错误：{flag} 中的「{selector}」不是任何规则的代码或前缀；用 gpalint rules 查看全部规则\n"


def test_empty_selector_list_is_an_error(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["check", "--select", ",", str(CLEAN)])
    assert exc.value.code == 2 and "应为逗号分隔的规则代码或前缀" in capsys.readouterr().err


@pytest.mark.parametrize("config,key", [
    ('select = ["T", "X"]', "select"),  # X: not even a family
    ('ignore = ["G199"]', "ignore"),
    ('extend-select = ["S9"]', "extend-select"),
    ('[per-file-ignores]\n"*.txt" = ["T1O"]', 'per-file-ignores."*.txt"'),
    ('[severity]\nG150 = "info"', "severity.G150"),
])
def test_unknown_code_in_the_configuration_is_an_error(tmp_path, capsys, config, key):
    (tmp_path / "gpalint.toml").write_text(config + "\n", encoding="utf-8")
    (tmp_path / "report.txt").write_text(CLEAN.read_text(encoding="utf-8"), encoding="utf-8")
    code, out, err = run("check", str(tmp_path / "report.txt"), capsys=capsys)
    assert code == 2 and out == "" and err.count("\n") == 1
    assert "gpalint.toml" in err and f"「{key}」" in err and "全部通过" not in out


def test_all_passed_only_when_a_report_was_checked_and_nothing_failed(tmp_path, capsys):
    code, out, _ = run("check", str(CLEAN), capsys=capsys)
    assert code == 0 and out.startswith("全部通过：检查了 1 个文件")
    code, out, _ = run("check", str(CLEAN), str(tmp_path / "missing.txt"), capsys=capsys)
    assert code == 2 and "全部通过" not in out and out == "检查了 1 个文件，没有发现问题；另有 1 个文件无法检查。\n"
    code, out, _ = run("check", str(tmp_path / "missing.txt"), capsys=capsys)
    assert code == 2 and "全部通过" not in out
    (tmp_path / "empty").mkdir()
    code, out, err = run("check", str(tmp_path / "empty"), capsys=capsys)
    assert code == 2 and "全部通过" not in out and "没有可检查的报告文件" in err
    _, out, _ = run("check", "--format", "json", str(tmp_path / "missing.txt"), capsys=capsys)
    assert [d["code"] for d in json.loads(out)] == ["E000"]
    _, out, _ = run("check", "--format", "html", str(tmp_path / "missing.txt"), capsys=capsys)
    assert '<span class="ok">通过</span>' not in out and "1 个无法检查，0 个通过" in out


@pytest.mark.parametrize("suffix,check", [
    (".json", lambda text: isinstance(json.loads(text), list)),
    (".sarif", lambda text: json.loads(text)["version"] == "2.1.0"),
    (".xml", lambda text: text.startswith('<?xml') and "<testsuites" in text),
    (".html", lambda text: text.startswith("<!DOCTYPE html>")),
    (".HTM", lambda text: text.startswith("<!DOCTYPE html>")),
    (".log", lambda text: "共发现" in text),
])
def test_output_suffix_gives_the_format(tmp_path, capsys, suffix, check):
    target = tmp_path / f"result{suffix}"
    code, out, _ = run("check", str(CLEAN.parent / "faulty-report.txt"), "-o", str(target), capsys=capsys)
    assert code == 1 and out == "" and check(target.read_text(encoding="utf-8"))


def test_format_given_wins_over_the_suffix(tmp_path, capsys):
    target = tmp_path / "result.json"
    run("check", str(CLEAN), "--format", "text", "-o", str(target), capsys=capsys)
    assert target.read_text(encoding="utf-8").startswith("全部通过")


FAULTY = ROOT / "examples" / "faulty-report.txt"


def test_text_output_shows_severity_errors_first(capsys):
    code, out, _ = run("check", str(FAULTY), capsys=capsys)
    heads = [line for line in out.splitlines() if line.startswith(str(FAULTY))]
    severities = [line.split(": ", 1)[1].split()[0] for line in heads]
    assert code == 1 and set(severities) == {"错误", "警告"}
    assert severities == sorted(severities, key=["错误", "警告", "提示"].index)  # errors first
    assert f"{FAULTY}:70:20: 错误 T103 " in out and f"{FAULTY}:3:91: 警告 G101 [*] " in out
    assert "（错误 2，警告 6；1 个文件，共检查 1 个）" in out.splitlines()[-1]


def test_text_output_per_file_lines_in_batches_and_quiet(capsys):
    _, out, _ = run("check", str(CLEAN), str(FAULTY), capsys=capsys)
    lines = out.splitlines()
    assert f"{CLEAN}：通过" in lines and f"{FAULTY}：8 个问题（错误 2，警告 6）" in lines
    assert lines[-1].startswith("共发现 8 个问题") and lines[-2] == ""
    _, single, _ = run("check", str(FAULTY), capsys=capsys)
    assert f"{FAULTY}：" not in single  # one file: no per-file line
    _, quiet, _ = run("check", "-q", str(CLEAN), str(FAULTY), capsys=capsys)
    assert quiet.splitlines() == [line for line in lines if line.startswith(f"{FAULTY}:")]
    _, quiet, _ = run("check", "-q", str(CLEAN), capsys=capsys)
    assert quiet == ""


def test_severity_filter_applies_to_every_output_and_the_exit_code(tmp_path, capsys):
    only_warnings = tmp_path / "w.txt"  # the clean report with one typographic warning (G101)
    only_warnings.write_text(CLEAN.read_text(encoding="utf-8").replace("〔2021〕30号", "【2021】30号"), encoding="utf-8")
    code, out, _ = run("check", "--format", "json", str(only_warnings), capsys=capsys)
    assert code == 1 and {d["severity"] for d in json.loads(out)} == {"warning"}
    code, out, _ = run("check", "--severity", "error", "--format", "json", str(only_warnings), capsys=capsys)
    assert code == 0 and json.loads(out) == []
    code, out, _ = run("check", "--severity", "error", str(only_warnings), capsys=capsys)
    assert code == 0 and "另有 1 个较低级别的问题按 --severity 未显示" in out
    code, out, _ = run("check", "--severity", "warning", "--format", "json", str(FAULTY), capsys=capsys)
    assert code == 1 and {d["severity"] for d in json.loads(out)} == {"error", "warning"}
    code, out, _ = run("check", "--severity", "error", "--format", "json", str(FAULTY), capsys=capsys)
    assert code == 1 and {d["severity"] for d in json.loads(out)} == {"error"}


ENGLISH = ("usage:", "options:", "positional arguments", "show this help", "error:", "invalid choice",
           "the following arguments", "unrecognized arguments", "expected one argument", "show program")


@pytest.mark.parametrize("argv", [["--help"], ["check", "--help"], ["rule", "-h"], ["rules", "-h"], ["extract", "-h"]])
def test_help_is_chinese_with_examples_and_exit_codes(capsys, argv):
    with pytest.raises(SystemExit) as exc:
        main(argv)
    out = capsys.readouterr().out
    assert exc.value.code == 0 and out.startswith("用法：gpalint")
    assert not any(word in out for word in ENGLISH), out
    if argv[0] in ("--help", "check"):
        assert "示例：" in out and "退出码：0 没有发现问题；1 发现了问题；2 " in out


@pytest.mark.parametrize("argv,expected", [
    (["check", "--format", "yaml"], "参数 --format：无效的取值 'yaml'（可选："),
    (["check", "--output"], "参数 --output/-o：需要一个值"),
    (["check", "--bogus", "x.txt"], "无法识别的参数：--bogus（文件名以 - 开头时，请写在 -- 之后）"),
    (["rule"], "缺少必需的参数：代码"),
    (["chek"], "参数 命令：无效的取值 'chek'"),
    (["check", "--ex"], "选项 --ex 有歧义，可能是：--extend-select, --exit-zero"),
    (["check", "--fix=3"], "参数 --fix：不接受值 '3'"),
    (["check", "--jobs", "many"], "参数 --jobs/-j：「many」不是进程数"),
    (["check", "--year", "24"], "参数 --year：「24」不是年份：应为 2008 至 2100 之间的四位数年份"),
    (["check", "--year", "2200"], "「2200」不是年份"),
    (["check", "--template", "2030"], "参数 --template：没有模板「2030」：可用 auto、2019、2021"),
    (["extract", "x.txt", "--template", "latest"], "没有模板「latest」"),
])
def test_argument_errors_are_chinese(capsys, argv, expected):
    with pytest.raises(SystemExit) as exc:
        main(argv)
    err = capsys.readouterr().err
    assert exc.value.code == 2 and err.startswith("用法：gpalint")
    assert err.splitlines()[-1].startswith("gpalint: 参数错误：") and expected in err, err
    assert not any(word in err for word in ENGLISH), err


def test_a_file_named_twice_is_checked_and_reported_once(tmp_path, capsys, monkeypatch):
    """`a.txt a.txt ./a.txt`, a file and its folder, a hard link: one report, under its first name (trial item 12)."""
    folder = tmp_path / "reports"
    folder.mkdir()
    report = folder / "a.txt"
    report.write_text(CLEAN.read_text(encoding="utf-8").replace("均已按期答复。", "均已按期答复(见附件)。"),
                      encoding="utf-8")
    (folder / "link.txt").hardlink_to(report)
    monkeypatch.chdir(folder)
    code, out, _ = run("check", "--no-cache", "--format", "json", "a.txt", "a.txt", "./a.txt", str(report), "..",
                       "link.txt", str(folder), capsys=capsys)
    findings = json.loads(out)
    assert code == 1 and findings and {f["path"] for f in findings} == {"a.txt"}
    once = json.loads(run("check", "--no-cache", "--format", "json", "a.txt", capsys=capsys)[1])
    assert len(findings) == len(once)
    code, out, _ = run("check", "--no-cache", "..", "a.txt", capsys=capsys)
    assert "共检查 1 个" in out


def test_gpalint_output_saved_beside_the_reports_is_skipped_not_checked(tmp_path, capsys):
    """`gpalint check > 结果.txt`, or the test snapshots in gpalint's own repository: not a report (trial item 15)."""
    need_corpus()
    faulty = tmp_path / "faulty.txt"
    faulty.write_text(seed("003").read_text(encoding="utf-8"), encoding="utf-8")
    code, out, _ = run("check", "--no-cache", str(faulty), capsys=capsys)
    assert code == 1 and ": 警告 " in out
    (tmp_path / "结果.txt").write_text(out, encoding="utf-8")
    code, again, err = run("check", "--no-cache", str(tmp_path), capsys=capsys)
    assert "结果.txt: 已跳过：" in err and "gpalint 的检查结果" in err
    assert again.count(": 警告 ") == out.count(": 警告 ") and "共检查 1 个" in again
    for snapshot in (ROOT / "tests" / "snapshots").glob("faulty-report.*.txt"):
        code, _, err = run("check", "--no-cache", str(snapshot), capsys=capsys)
        assert code == 2 and "gpalint 的检查结果" in err, snapshot
    # a report quoting a finding line or two is still a report
    quoted = tmp_path / "quoted.txt"
    quoted.write_text(CLEAN.read_text(encoding="utf-8") + out.splitlines()[0] + "\n", encoding="utf-8")
    code, _, err = run("check", "--no-cache", str(quoted), capsys=capsys)
    assert "gpalint 的检查结果" not in err and code in (0, 1)
