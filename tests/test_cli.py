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
                            "context", "fix"}
    assert f101[0]["severity"] == "error" and f101[0]["line"] == 96 and f101[0]["column"] == 1


def test_table_finding_names_cell_and_expected_value(tmp_path, capsys):
    text = CLEAN.read_text(encoding="utf-8").replace("（七）总计\t3\t1\t0\t0\t0\t0\t4", "（七）总计\t3\t1\t0\t0\t0\t0\t5")
    assert text != CLEAN.read_text(encoding="utf-8")
    p = tmp_path / "r.txt"
    p.write_text(text, encoding="utf-8")
    code, out, _ = run("check", "--select", "T", "--format", "json", str(p), capsys=capsys)
    msgs = {d["code"]: d for d in json.loads(out)}
    assert code == 1
    assert msgs["T103"]["message"] == "表三「（七）总计」行「总计」列应为 4（3+1），实为 5"
    assert msgs["T103"]["context"] == "表三 「（七）总计」行 「总计」列"


def test_select_and_ignore_prefixes(capsys):
    need_corpus()
    code, out, _ = run("check", "--format", "json", "--select", "D", str(seed("000")), capsys=capsys)
    assert {d["code"] for d in json.loads(out)} == {"D101"}
    code, out, _ = run("check", "--format", "json", "--select", "D,S", "--ignore", "S106", str(seed("000")),
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
    p.write_text(text.replace("（七）总计", "<!-- gpalint: ignore T103, T105 -->\n\t（七）总计", 1), encoding="utf-8")
    _, out, _ = run("check", "--format", "json", str(p), capsys=capsys)
    codes = sorted(d["code"] for d in json.loads(out))
    assert "T103" not in codes and "T105" not in codes and "T104" in codes
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
    (tmp_path / "gpalint.toml").write_text('extra-rules = ["省级规则"]\n', encoding="utf-8")
    (tmp_path / "省级规则").mkdir()
    (tmp_path / "省级规则" / "S901.toml").write_text('''code = "S901"
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
    assert code == 1 and [d["code"] for d in json.loads(out)] == ["S901"]
    code, out, _ = run("check", "--format", "sarif", str(tmp_path / "report.txt"), capsys=capsys)
    assert "第六部分应公布政务公开咨询电话" in out  # the outputs know the user's rule too
