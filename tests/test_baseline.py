"""Accepted findings: --write-baseline records a run's findings, --baseline reports only the new ones."""
from __future__ import annotations

import json
import shutil

import pytest
from conftest import CORPUS, need_corpus

from gpalint.cli import main


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """A copy of the corpus and its baseline, written once; tests change the copy, never the original."""
    need_corpus()
    root = tmp_path_factory.mktemp("baseline")
    shutil.copytree(CORPUS, root / "corpus")
    assert main(["check", str(root / "corpus"), "--write-baseline", str(root / "baseline.json"), "-q"]) == 0
    return root


def check(root, *paths, capsys):
    code = main(["check", "--format", "json", "--baseline", str(root / "baseline.json"),
                 *(str(root / p) for p in paths)])
    out, err = capsys.readouterr()
    return code, json.loads(out), err


def test_baseline_file_records_every_finding_relative_to_its_folder(corpus, capsys):
    data = json.loads((corpus / "baseline.json").read_text(encoding="utf-8"))
    assert data["gpalint-baseline"] == 2
    main(["check", "--format", "json", str(corpus / "corpus")])
    findings = json.loads(capsys.readouterr().out)
    assert len(data["findings"]) == len(findings) > 300  # the whole corpus: hundreds of findings
    assert {f["path"] for f in data["findings"]} >= {"corpus/full/101_2020_pingtan-zongheshiyanqu.txt"}
    assert all(len(f["fingerprint"]) == 16 for f in findings)  # the JSON output carries the same fingerprints


def test_a_baseline_rerun_of_the_corpus_reports_nothing(corpus, capsys):
    code, findings, err = check(corpus, "corpus", capsys=capsys)
    assert (code, findings) == (0, [])
    assert "个已知问题未列出" in err and "不再出现" not in err


def test_an_injected_defect_is_the_only_finding(corpus, capsys):
    report = next((corpus / "corpus" / "seeds").glob("002_*.txt"))
    original = report.read_text(encoding="utf-8")
    lines = original.split("\n")
    assert lines[71].startswith("0\t0\t0\t0\t0\t")  # 表四's data row: 行政复议 总计 is the fifth value
    lines[71] = "0\t0\t0\t0\t3\t" + lines[71][10:]
    report.write_text("\n".join(lines), encoding="utf-8")
    try:
        code, findings, _ = check(corpus, "corpus", capsys=capsys)
    finally:
        report.write_text(original, encoding="utf-8")
    assert code == 1
    assert [(f["code"], f["line"], f["context"]) for f in findings] == [("T106", 72, "表四 「行政复议 总计」列")]


def test_line_shifts_and_edits_elsewhere_keep_the_baseline_matching(corpus, capsys):
    report = corpus / "corpus" / "full" / "101_2020_pingtan-zongheshiyanqu.txt"
    original = report.read_text(encoding="utf-8")
    # blank lines at the top, and a sentence added to the last paragraph
    report.write_text("\n\n\n" + original.rstrip("\n") + "本报告经审核后发布。\n", encoding="utf-8")
    try:
        code, findings, err = check(corpus, "corpus/full", capsys=capsys)
    finally:
        report.write_text(original, encoding="utf-8")
    assert (code, findings) == (0, []), findings
    assert "不再出现" not in err  # every baseline entry of the shifted file still matched


def test_fixed_findings_are_counted_as_gone(corpus, capsys):
    report = next((corpus / "corpus" / "seeds").glob("003_*.txt"))
    original = report.read_text(encoding="utf-8")
    assert "【2020】" in original  # G101: 发文字号 brackets
    report.write_text(original.replace("【2020】", "〔2020〕"), encoding="utf-8")
    try:
        code, findings, err = check(corpus, "corpus/seeds", capsys=capsys)
    finally:
        report.write_text(original, encoding="utf-8")
    # G101 is gone; the G108 finding on 「(国办函【2020】109号)」 quotes other text now: a new finding, the old one gone
    assert code == 1 and [(f["code"], f["line"]) for f in findings] == [("G108", 92)]
    assert "〔2020〕" in findings[0]["message"]
    assert "基线中有 2 个问题已不再出现" in err  # only entries of the files checked are counted (not the 900 others)


def test_the_same_finding_twice_is_new_beyond_the_baseline_count(tmp_path, capsys):
    report = tmp_path / "r.txt"
    body = "2024年政府信息公开工作年度报告\n一、总体情况\n国办函【2020】109号。\n"
    report.write_text(body, encoding="utf-8")
    assert main(["check", str(report), "--write-baseline", str(tmp_path / "b.json"), "--select", "G101"]) == 0
    report.write_text(body + "又见国办函【2020】109号。\n", encoding="utf-8")
    capsys.readouterr()
    code = main(["check", "--format", "json", "--baseline", str(tmp_path / "b.json"), "--select", "G101", str(report)])
    findings = json.loads(capsys.readouterr().out)
    assert code == 1 and [f["line"] for f in findings] == [4]


@pytest.mark.parametrize("content", ["not json", '{"findings": []}', '{"gpalint-baseline": 2, "findings": [1]}'])
def test_a_bad_baseline_file_is_one_chinese_line_and_exit_2(tmp_path, capsys, content):
    (tmp_path / "b.json").write_text(content, encoding="utf-8")
    report = tmp_path / "r.txt"
    report.write_text("2024年政府信息公开工作年度报告\n", encoding="utf-8")
    assert main(["check", "--baseline", str(tmp_path / "b.json"), str(report)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "基线文件" in err[0] and "--write-baseline" in err[0]


def test_write_baseline_and_baseline_exclude_each_other(tmp_path, capsys):
    with pytest.raises(SystemExit) as exc:
        main(["check", "--baseline", "a.json", "--write-baseline", "b.json", str(tmp_path)])
    assert exc.value.code == 2 and "不能与参数" in capsys.readouterr().err


def test_a_wrong_cell_changed_to_another_wrong_value_is_new(tmp_path, capsys):
    need_corpus()
    lines = next((CORPUS / "seeds").glob("002_*.txt")).read_text(encoding="utf-8").split("\n")
    report = tmp_path / "r.txt"

    def with_total(total: str) -> None:  # 表四's 行政复议 总计 (the five 行政复议 values add up to 0)
        row = lines[71].split("\t")
        report.write_text("\n".join([*lines[:71], "\t".join([*row[:4], total, *row[5:]]), *lines[72:]]),
                          encoding="utf-8")

    with_total("3")
    assert main(["check", str(report), "--write-baseline", str(tmp_path / "b.json"), "--select", "T106"]) == 0
    with_total("4")
    capsys.readouterr()
    assert main(["check", "--format", "json", "--baseline", str(tmp_path / "b.json"), "--select", "T106",
                 str(report)]) == 1
    findings = json.loads(capsys.readouterr().out)
    assert [f["code"] for f in findings] == ["T106"] and "实为 4" in findings[0]["message"]


def test_write_baseline_never_overwrites_a_report(tmp_path, capsys):
    report = tmp_path / "r.txt"
    report.write_text("2024年政府信息公开工作年度报告\n", encoding="utf-8")
    assert main(["check", str(report), "--write-baseline", str(report)]) == 2
    assert report.read_text(encoding="utf-8") == "2024年政府信息公开工作年度报告\n"
    assert "拒绝覆盖" in capsys.readouterr().err


def _still_matched(tmp_path, report, edit, capsys):
    """Write a baseline of ``report``, ``edit`` it, check it against the baseline: (new findings, stderr)."""
    assert main(["check", "--no-cache", str(report), "--write-baseline", str(tmp_path / "b.json"), "-q"]) == 0
    edit(report)
    capsys.readouterr()
    main(["check", "--no-cache", "--format", "json", "--baseline", str(tmp_path / "b.json"), str(report)])
    out, err = capsys.readouterr()
    return json.loads(out), err


def test_a_full_stop_added_to_a_faulty_line_keeps_its_findings_matched(tmp_path, capsys):
    """Line 92 of seed 003 has four findings, F102 ending just before the line's last 「。」 (trial item 11)."""
    need_corpus()
    report = tmp_path / "r.txt"
    shutil.copy(next((CORPUS / "seeds").glob("003_*.txt")), report)

    def edit(path):
        lines = path.read_text(encoding="utf-8").split("\n")
        assert lines[91].endswith("信息公开处理费。")
        lines[91] += "。"
        path.write_text("\n".join(lines), encoding="utf-8")

    findings, err = _still_matched(tmp_path, report, edit, capsys)
    # the one new finding is the edit's own 「。。」; the four old ones on the line are all matched
    assert [f["code"] for f in findings] == ["G109"] and "不再出现" not in err and "个已知问题未列出" in err


def test_a_full_stop_added_to_a_faulty_word_paragraph_keeps_its_findings_matched(tmp_path, capsys):
    need_corpus()
    import docx
    report = tmp_path / "r.docx"
    shutil.copy(CORPUS / "fixtures" / "003_0ab25f721fbf8f7b.docx", report)

    def edit(path):
        d = docx.Document(str(path))
        faulty = [p for p in d.paragraphs if p.text.endswith("信息公开处理费。")]
        assert len(faulty) == 1
        faulty[0].add_run("。")
        d.save(str(path))

    findings, err = _still_matched(tmp_path, report, edit, capsys)
    # the one new finding is the edit's own 「。。」; the four old ones on the line are all matched
    assert [f["code"] for f in findings] == ["G109"] and "不再出现" not in err and "个已知问题未列出" in err


def test_a_baseline_of_the_first_version_is_refused_with_one_line(tmp_path, capsys):
    (tmp_path / "b.json").write_text('{"gpalint-baseline": 1, "findings": []}', encoding="utf-8")
    report = tmp_path / "r.txt"
    report.write_text("2024年政府信息公开工作年度报告\n", encoding="utf-8")
    assert main(["check", "--baseline", str(tmp_path / "b.json"), str(report)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "旧版" in err[0] and "--write-baseline 重新生成" in err[0]
