"""The CI output formats, from FileResults built by hand (independent of the engine)."""
from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest

from gpalint.model import Applicability, Diagnostic, Edit, FileResult, Fix, Location, Severity
from gpalint.output import github, html, junit, sarif
from gpalint.rules import Rule

SCHEMA = Path(__file__).parent / "schemas" / "sarif-schema-2.1.0.json"


def _rule(code: str, severity: Severity, fix: Applicability | None = None) -> Rule:
    return Rule(code=code, name=f"rule-{code.lower()}", family=code[0], severity=severity,
                summary=f"{code} 的要求 <b>&", message="{found}", kind="pattern", params={}, fix=fix,
                why="因为《条例》第五十条", source="国办公开办函〔2021〕30号",
                examples=[{"bad": "国办函【2020】109号", "fixed": "国办函〔2020〕109号"}])


RULES = {r.code: r for r in (_rule("T103", Severity.ERROR), _rule("G101", Severity.WARNING, Applicability.SAFE),
                             _rule("D101", Severity.INFO))}


def _results() -> list[FileResult]:
    fix = Fix(Applicability.SAFE, "改为六角括号", (Edit(Location(3, 4, 3, 10), "〔2020〕"),))
    txt = FileResult("reports/2024 年报.txt", [
        Diagnostic("G101", Severity.WARNING, "发文字号应使用〔〕：【2020】 → 〔2020〕, 见 a:b <script>", "reports/2024 年报.txt",
                   Location(3, 4, 3, 10), fix=fix),
        Diagnostic("D101", Severity.INFO, "缺少统计期限说明\n第二行 100%", "reports/2024 年报.txt", Location(1)),
    ])
    docx = FileResult("reports/b.docx", [
        Diagnostic("T103", Severity.ERROR, "表三「总计」应为 58，实为 57", "reports/b.docx",
                   Location(61, 1, 61, 3, context="表三 「（七）总计」行 「总计」列")),
    ])
    pdf = FileResult("reports/c.pdf", [
        Diagnostic("T103", Severity.ERROR, "表三「总计」应为 5，实为 4", "reports/c.pdf", Location(12, 2, page=3)),
        Diagnostic("T999", Severity.ERROR, "a code without a rule \x0c", "reports/c.pdf", Location(1)),
    ])
    clean = FileResult("reports/clean.txt")
    broken = FileResult("reports/broken.docx", error="无法读取：文件不是有效的 .docx（zip 损坏）")
    return [txt, docx, pdf, clean, broken]


# ── SARIF ──────────────────────────────────────────────────────────────────────

def test_sarif_validates_against_the_official_schema():
    log = json.loads(sarif.render(_results(), RULES))
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft4Validator.check_schema(schema)
    jsonschema.Draft4Validator(schema, format_checker=jsonschema.FormatChecker()).validate(log)


def test_sarif_content():
    log = json.loads(sarif.render(_results(), RULES))
    run = log["runs"][0]
    driver = run["tool"]["driver"]
    assert driver["name"] == "gpalint" and isinstance(driver["version"], str)
    ids = [r["id"] for r in driver["rules"]]
    assert ids == sorted(RULES)
    g101 = driver["rules"][ids.index("G101")]
    assert g101["defaultConfiguration"]["level"] == "warning"
    assert g101["properties"]["family"] == "G"
    assert "国办函〔2020〕109号" in g101["help"]["text"]
    results = run["results"]
    assert [r["level"] for r in results] == ["warning", "note", "error", "error", "error"]
    first = results[0]
    assert first["ruleId"] == "G101" and ids[first["ruleIndex"]] == "G101"
    loc = first["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"]["uri"] == "reports/2024%20%E5%B9%B4%E6%8A%A5.txt"
    assert loc["region"] == {"startLine": 3, "startColumn": 4, "endLine": 3, "endColumn": 10}
    replacement = first["fixes"][0]["artifactChanges"][0]["replacements"][0]
    assert replacement["insertedContent"]["text"] == "〔2020〕"
    assert replacement["deletedRegion"]["startColumn"] == 4
    assert results[1]["locations"][0]["physicalLocation"]["region"] == {"startLine": 1, "startColumn": 1}
    assert results[2]["locations"][0]["message"]["text"] == "表三 「（七）总计」行 「总计」列"
    assert results[3]["locations"][0]["properties"] == {"page": 3}
    assert "ruleIndex" not in results[4]
    invocation = run["invocations"][0]
    assert invocation["executionSuccessful"] is False
    [note] = invocation["toolExecutionNotifications"]
    assert note["level"] == "error" and "zip" in note["message"]["text"]


def test_sarif_clean_run_is_valid_and_successful():
    log = json.loads(sarif.render([FileResult("a.txt")], {}))
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft4Validator(schema).validate(log)
    assert log["runs"][0]["results"] == [] and log["runs"][0]["invocations"][0]["executionSuccessful"] is True


# ── GitHub workflow commands ───────────────────────────────────────────────────

def test_github_annotations():
    lines = github.render(_results(), RULES).rstrip("\n").split("\n")
    assert len(lines) == 6  # five diagnostics and one unreadable file
    assert lines[0] == ("::warning file=reports/2024 年报.txt,line=3,col=4,endLine=3,endColumn=10,title=G101::"
                        "发文字号应使用〔〕：【2020】 → 〔2020〕, 见 a:b <script>")
    assert lines[1] == "::notice file=reports/2024 年报.txt,line=1,col=1,title=D101::缺少统计期限说明%0A第二行 100%25"
    assert lines[2].startswith("::error file=reports/b.docx,line=61,col=1,endLine=61,endColumn=3,title=T103::")
    assert lines[2].endswith("（第61段，表三 「（七）总计」行 「总计」列）")
    assert "（第3页第12行）" in lines[3]
    assert lines[5] == "::error file=reports/broken.docx,title=gpalint::无法读取：文件不是有效的 .docx（zip 损坏）"


def test_github_escapes_properties():
    assert github.escape_property("a,b:c%d\ne") == "a%2Cb%3Ac%25d%0Ae"
    d = Diagnostic("G101", Severity.ERROR, "m", "dir,1/x:y.txt", Location(1))
    [line] = github.render([FileResult("dir,1/x:y.txt", [d])], RULES).splitlines()
    assert line.startswith("::error file=dir%2C1/x%3Ay.txt,line=1,")


# ── JUnit ──────────────────────────────────────────────────────────────────────

def test_junit_parses_back_with_one_case_per_finding():
    root = ET.fromstring(junit.render(_results(), RULES).encode("utf-8"))
    [suite] = root.findall("testsuite")
    assert suite.get("name") == "gpalint"
    # 5 findings, each its own failed case (a viewer showing one failure per case shows them all), a clean file one
    # passed case, the broken file one case with its error
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors")) == ("7", "5", "1")
    cases = suite.findall("testcase")
    assert [c.get("classname") for c in cases] == ["reports/2024 年报.txt"] * 2 + ["reports/b.docx"] + \
        ["reports/c.pdf"] * 2 + ["reports/clean.txt", "reports/broken.docx"]
    assert [len(c.findall("failure")) for c in cases] == [1, 1, 1, 1, 1, 0, 0]
    assert [c.get("name") for c in cases[:3]] == ["G101 第3行第4列", "D101 第1行第1列", "T103 第61段"]
    assert cases[3].get("name") == "T103 第3页第12行"
    failure = cases[0].find("failure")
    assert failure.get("type") == "G101"
    assert failure.get("message").startswith("G101 发文字号应使用〔〕")
    assert failure.text.startswith("reports/2024 年报.txt:3:4: G101")
    assert "表三 「（七）总计」行 「总计」列" in cases[2].find("failure").text
    assert "第3页" in cases[3].find("failure").text
    assert "\ufffd" in cases[4].find("failure").get("message")  # the form feed, replaced
    assert cases[5].get("name") == "gpalint" and not list(cases[5])
    error = cases[6].find("error")
    assert error is not None and "zip" in error.get("message") and error.get("type") == "E000"


# ── HTML ───────────────────────────────────────────────────────────────────────

def test_html_page_escapes_and_summarises():
    page = html.render(_results(), RULES)
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    # one script, the page's own (its hash is the only one the CSP allows), and messages are escaped
    assert page.count("<script") == 1 and f"<script>{html.SCRIPT}</script>" in page
    assert "见 a:b &lt;script&gt;" in page
    assert "T103 的要求 &lt;b&gt;&amp;" in page
    assert "表三 「（七）总计」行 「总计」列" in page
    assert "第3页第12行" in page and "第61段" in page and "第3行第4列" in page
    assert "无法读取：文件不是有效的 .docx（zip 损坏）" in page
    assert "共检查 5 个文件，3 个有问题，1 个无法检查，1 个通过" in page
    # the summary table's total row: 3 errors, 1 warning, 1 note
    assert ('<tr><th>合计</th><th class="n">3</th><th class="n">1</th><th class="n">1</th>'
            '<th class="n">5</th></tr>') in page


@pytest.mark.parametrize("module", [sarif, github, junit, html])
def test_empty_input(module):
    assert isinstance(module.render([], RULES), str)


# ── JSON ───────────────────────────────────────────────────────────────────────

def test_json_lists_files_that_could_not_be_checked_as_e000():
    from gpalint.output import json as json_output
    data = json.loads(json_output.render(_results(), RULES))
    assert [d["code"] for d in data] == ["G101", "D101", "T103", "T103", "T999", "E000"]
    assert data[-1] == {"code": "E000", "severity": "error", "message": "无法读取：文件不是有效的 .docx（zip 损坏）",
                        "path": "reports/broken.docx", "line": 1, "column": 1, "end_line": 1, "end_column": 1,
                        "context": None, "fix": None, "fingerprint": None}
    assert set(data[-1]) == set(data[2]) and "page" in data[3]  # the same shape as a finding


def test_sarif_and_junit_name_the_file_error_alike():
    log = json.loads(sarif.render(_results(), RULES))
    [note] = log["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert note["descriptor"] == {"id": "E000"}
    error = ET.fromstring(junit.render(_results(), RULES).encode()).find(".//error")
    assert error is not None and error.get("type") == "E000"


# ── text ───────────────────────────────────────────────────────────────────────

def test_text_severity_order_per_file_lines_and_quiet():
    from gpalint.output import text
    out = text.render(_results(), RULES)
    lines = out.splitlines()
    heads = [line for line in lines if ": 错误 " in line or ": 警告 " in line or ": 提示 " in line]
    assert heads[0].startswith("reports/2024 年报.txt:3:4: 警告 G101 [*] ")
    assert heads[1] == "reports/2024 年报.txt:1:1: 提示 D101 缺少统计期限说明\\x0a第二行 100%"  # the newline shown
    assert heads[2] == "reports/b.docx:¶61: 错误 T103 表三「总计」应为 58，实为 57 〔表三 「（七）总计」行 「总计」列〕"
    assert "reports/c.pdf:第1页:1" not in out and heads[3].startswith("reports/c.pdf:第3页:12: 错误 T103")
    assert "reports/2024 年报.txt：2 个问题（警告 1，提示 1）" in lines
    assert "reports/c.pdf：2 个问题（错误 2）" in lines and "reports/clean.txt：通过" in lines
    assert lines[-1] == ("共发现 5 个问题（错误 3，警告 1，提示 1；3 个文件，共检查 4 个）：表格 T 3，统计期限 D 1，"
                         "公文格式 G 1；1 个可用 --fix 自动修复；另有 1 个文件无法检查。")
    assert text.render(_results(), RULES, quiet=True).splitlines() == heads


def test_text_excerpt_and_hint_show_control_characters_visibly():
    from gpalint.output import text
    d = Diagnostic("G101", Severity.WARNING, "m\x1b[1A", "a.txt", Location(1, 3, 1, 5),
                   hint="h\x9d]52;c;x\x07", source_line="ab\x1b[2Jcd")
    lines = text.render([FileResult("a.txt", [d])], RULES).splitlines()
    assert lines[:5] == ["a.txt:1:3: 警告 G101 m\\x1b[1A", "  |", "1 | ab\\x1b[2Jcd", "  |   ^^^^^",
                         "  = 提示：h\\x9d]52;c;x\\x07"]


def test_colours_set_severities_apart(monkeypatch, capsys):
    from gpalint.output.color import print_colored
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.delenv("NO_COLOR", raising=False)
    print_colored("a.txt:1:1: 错误 T103 x\na.txt:2:1: 警告 G101 y\na.txt:3:1: 提示 G107 z\n")
    out = capsys.readouterr().out.splitlines()
    assert "\x1b[1;31m错误 T103" in out[0] and "\x1b[1;33m警告 G101" in out[1] and "\x1b[1;34m提示 G107" in out[2]
