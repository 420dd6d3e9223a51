"""Year over year (gpalint/years.py, the pair kinds): pairing by agency and year, the carry-over rules on real pairs,
copied text on honest and synthetic pairs, and that findings made after the batch obey selection, suppressions,
the baseline, and never need the texts kept in the parent."""
from __future__ import annotations

import json
import random
import re
import shutil

from conftest import CORPUS, ROOT, need_corpus

from gpalint.cli import main
from gpalint.engine import Engine, Options
from gpalint.model import FileResult
from gpalint.years import CommandBatch, agency_key, cross_check

FULL = CORPUS / "full"
BASE = (ROOT / "rules" / "bases" / "report.txt").read_text(encoding="utf-8")


def full(prefix: str):
    return next(FULL.glob(f"{prefix}_*.txt"))


def run(capsys, *args):
    code = main(["check", "--no-progress", *args])
    out, err = capsys.readouterr()
    return code, out, err


class Args:
    """The command line's arguments gpalint.years reads, for calling it directly."""

    config = None
    template = year = None
    select = None
    ignore: list = []
    extend_select: list = []
    format = "json"
    pairing = True


def findings(out: str, code: str) -> list[dict]:
    return [d for d in json.loads(out) if d["code"] == code]


def test_agency_key_folds_what_years_write_differently():
    assert agency_key("平潭综合实验区管理委员会") == agency_key("平潭综合实验区管委会")
    assert agency_key("示范镇人民政府") == agency_key("示范镇") == agency_key("示范镇 ")
    assert agency_key("示范镇") != agency_key("样板镇")
    assert agency_key(None) is None and agency_key("人民政府") is None


# ── real pairs of the corpus ───────────────────────────────────────────────────────────────────────────────────────

def test_honest_consecutive_reports_are_paired_and_clean(tmp_path, capsys):
    need_corpus()
    for prefix in ("004", "101", "007"):  # 平潭综合实验区 2019, 2020, 2021
        shutil.copy(full(prefix), tmp_path)
    code, out, _ = run(capsys, str(tmp_path), "--select", "C113,C114,C115,C116")
    assert code == 0, out
    assert "按单位和年度配对：平潭综合实验区 2019→2020、2020→2021" in out


def test_a_broken_carry_over_in_a_real_pair_is_one_error_naming_both_reports(tmp_path, capsys):
    need_corpus()
    shutil.copy(full("004"), tmp_path)  # 2019: 四、结转下年度继续办理 all 0
    text = full("101").read_text(encoding="utf-8")
    # 2020 says it carried one application over from 2019 (and on to 2021, so the table itself still adds up)
    text = text.replace("上年结转政府信息公开申请数量0000000", "上年结转政府信息公开申请数量1000001", 1)
    text = text.replace("结转下年度继续办理 0 0 00 00 0", "结转下年度继续办理 1 0 00 00 1", 1)
    this = tmp_path / full("101").name
    this.write_text(text, encoding="utf-8")
    code, out, _ = run(capsys, str(tmp_path), "--select", "C113", "--format", "json")
    assert code == 1
    [d] = findings(out, "C113")
    assert d["path"] == str(this) and d["previous"] == str(tmp_path / full("004").name)
    assert d["context"] == "表三 「二、上年结转政府信息公开申请数量」行 「自然人」列"
    assert "004_2019_pingtan-zongheshiyanqu.txt" in d["message"]
    assert "「自然人」列为 1，应为 0（上年「四、结转下年度继续办理」0）；「总计」列为 1，应为 0" in d["message"]
    assert d["fingerprint"]


def test_unreadable_tables_give_no_carry_over_finding(tmp_path, capsys):
    """2021's 表三 rows are glued digits gpalint cannot split: the 2020→2021 pair is compared on nothing."""
    need_corpus()
    shutil.copy(full("101"), tmp_path)
    text = full("007").read_text(encoding="utf-8")
    (tmp_path / full("007").name).write_text(text, encoding="utf-8")
    code, out, _ = run(capsys, str(tmp_path), "--select", "C113,C114")
    assert code == 0 and "2020→2021" in out


def _synthetic_copy(source: str, year: int) -> str:
    """Last year's report with only the year and the numbers changed."""
    rng = random.Random(7)
    text = source.replace(str(year - 1), str(year))
    return re.sub(r"(?<!\d)[1-9]\d{0,2}(?!\d)", lambda m: str(int(m.group()) + rng.randint(1, 9)), text)


def test_a_report_made_from_last_years_by_changing_year_and_numbers_is_copied(tmp_path, capsys):
    need_corpus()
    shutil.copy(full("004"), tmp_path)
    copy = tmp_path / "102_2020_copy.txt"
    copy.write_text(_synthetic_copy(full("004").read_text(encoding="utf-8"), 2020), encoding="utf-8")
    code, out, _ = run(capsys, str(tmp_path), "--select", "C115", "--format", "json")
    assert code == 1
    [d] = findings(out, "C115")
    assert d["path"] == str(copy)
    assert "一、总体情况 100%，五、存在的主要问题及改进情况 100%" in d["message"]
    assert "最长的一段：「2020年，在省政府办公厅" in d["message"]


def test_previous_names_last_years_report_explicitly(tmp_path, capsys):
    need_corpus()
    copy = tmp_path / "copy.txt"
    copy.write_text(_synthetic_copy(full("004").read_text(encoding="utf-8"), 2020), encoding="utf-8")
    code, out, _ = run(capsys, str(copy), "--previous", str(full("004")), "--select", "C115", "--format", "json")
    assert code == 1 and [d["path"] for d in findings(out, "C115")] == [str(copy)]
    # the previous report is read, not reported on
    assert not [d for d in json.loads(out) if d["path"] == str(full("004"))]
    code, out, _ = run(capsys, str(copy), "--previous", str(full("007")), "--select", "C115")
    assert code == 0 and "未配对：--previous 给出的" in out and "2021 年度的报告" in out


def test_an_unreadable_previous_is_one_line_and_exit_2(tmp_path, capsys):
    code, _, err = run(capsys, str(ROOT / "examples" / "clean-report.txt"), "--previous", str(tmp_path / "无.txt"))
    assert code == 2 and "无.txt: 错误：" in err


def test_two_reports_of_one_agency_for_one_year_pair_with_nothing(tmp_path, capsys):
    need_corpus()
    shutil.copy(full("004"), tmp_path)
    copy = _synthetic_copy(full("004").read_text(encoding="utf-8"), 2020)
    (tmp_path / "a_2020.txt").write_text(copy, encoding="utf-8")
    (tmp_path / "b_2020.txt").write_text(copy, encoding="utf-8")
    code, out, _ = run(capsys, str(tmp_path), "--select", "C113,C115")
    assert code == 0
    assert out.count("未配对：") == 1 and "2020 年度有 2 份报告" in out and "按单位和年度配对" not in out


def test_honest_batches_read_no_report_again():
    """The parent keeps digests: honest pairs and same-year reports of other agencies are settled by their
    sketches, no report is read a second time (and a digest holds no text)."""
    need_corpus()
    engine = Engine.load()
    paths = [full(p) for p in ("004", "101", "007", "103", "105", "107")]
    results = [engine.check_path(p, Options(digest=True)) for p in paths]
    for p, r in zip(paths, results):
        kept = json.dumps(r.digest, ensure_ascii=False)
        assert len(kept) < 8000  # a few table cells and the sketches, whatever the length of the report
        text = p.read_text(encoding="utf-8")
        labels = "".join(t.read_text(encoding="utf-8") for t in (ROOT / "rules" / "templates").glob("*.toml"))
        runs = [run for run in re.findall(r"[\u4e00-\u9fff，、“”]{16,}", text) if run[:16] not in labels]
        assert runs and not any(run[:16] in kept for run in runs)  # the report's own words are not kept

    class Counting(CommandBatch):
        loads = 0

        def load(self, path):
            Counting.loads += 1
            return super().load(path)

    outcome = cross_check(Counting(Args()), results)
    assert not outcome.findings and len(outcome.pairs) == 2
    assert Counting.loads == 0


# ── findings after the batch obey the run's settings ──────────────────────────────────────────────────────────────

def _pair(tmp_path, this: str, last: str):
    (tmp_path / "2023.txt").write_text(last, encoding="utf-8")
    (tmp_path / "2024.txt").write_text(this, encoding="utf-8")


LAST = BASE.replace("示范镇人民政府2024年", "示范镇人民政府2023年").replace(
    "四、结转下年度继续办理\t0\t0\t0\t0\t0\t0\t0", "四、结转下年度继续办理\t1\t0\t0\t0\t0\t0\t1")


def test_selection_suppressions_and_baseline_apply_to_pair_findings(tmp_path, capsys):
    this = BASE
    _pair(tmp_path, this, LAST)
    code, out, _ = run(capsys, str(tmp_path), "--select", "C113", "--format", "json")
    assert code == 1
    assert [d["line"] for d in findings(out, "C113")] == [34]
    _, out, _ = run(capsys, str(tmp_path), "--select", "C", "--ignore", "C113", "--format", "json")
    assert not findings(out, "C113")
    baseline = tmp_path / "baseline.json"
    assert run(capsys, str(tmp_path), "--write-baseline", str(baseline))[0] == 0
    _, out, err = run(capsys, str(tmp_path), "--baseline", str(baseline), "--format", "json")
    assert not findings(out, "C113") and "已知问题未列出" in err
    # a suppression on the row: the finding goes, and the suppression is not reported unused (M103)
    suppressed = this.replace("二、上年结转政府信息公开申请数量", "<!-- gpalint: ignore C113 -->\n二、上年结转政府信息公开申请数量")
    _pair(tmp_path, suppressed, LAST)
    _, out, _ = run(capsys, str(tmp_path / "2023.txt"), str(tmp_path / "2024.txt"), "--format", "json")
    assert not findings(out, "C113") and not findings(out, "M103")


def test_same_year_reports_of_two_agencies_from_one_template(tmp_path, capsys):
    other = BASE.replace("示范镇人民政府2024年", "样板镇人民政府2024年").replace(
        "示范镇人民政府\n2025年1月20日", "样板镇人民政府\n2025年1月20日").replace("信息326条", "信息88条")
    (tmp_path / "示范镇.txt").write_text(BASE, encoding="utf-8")
    (tmp_path / "样板镇.txt").write_text(other, encoding="utf-8")
    code, out, _ = run(capsys, str(tmp_path), "--select", "C116", "--format", "json")
    found = findings(out, "C116")
    assert code == 1 and sorted(d["path"].rsplit("/", 1)[1] for d in found) == ["样板镇.txt", "示范镇.txt"]
    assert all(d["line"] == 5 for d in found)
    # the same report twice (one agency): not two agencies' copies
    (tmp_path / "样板镇.txt").write_text(BASE, encoding="utf-8")
    assert run(capsys, str(tmp_path), "--select", "C116")[0] == 0


def test_digests_survive_json(tmp_path):
    """A result cache stores FileResult fields as JSON: pairing works on digests read back from it."""
    _pair(tmp_path, BASE, LAST)
    engine = Engine.load()
    results = [engine.check_path(tmp_path / n, Options(digest=True)) for n in ("2023.txt", "2024.txt")]
    back = [FileResult(r.path, digest=json.loads(json.dumps(r.digest))) for r in results]

    outcome = cross_check(CommandBatch(Args()), back)
    # the base report against itself a year later: the carry-over, the documents in force and the copied text
    assert [d.code for d in outcome.findings[str(tmp_path / "2024.txt")]] == ["C115", "C114", "C113"]


def _huaian_2023(rules_in_force: int, documents_in_force: int, carried: int) -> str:
    """A 2023 report of 淮安市人民政府 (made from the base report) to pair with the real 2024 one (PDF)."""
    return BASE.replace("示范镇人民政府2024年", "淮安市人民政府2023年").replace(
        "规章\t0\t0\t0", f"规章\t0\t0\t{rules_in_force}").replace(
        "行政规范性文件\t2\t0\t5", f"行政规范性文件\t2\t0\t{documents_in_force}").replace(
        "四、结转下年度继续办理\t0\t0\t0\t0\t0\t0\t0", f"四、结转下年度继续办理\t{carried}\t0\t0\t0\t0\t0\t{carried}")


def test_a_real_pdf_against_last_years_report(tmp_path, capsys):
    """淮安市人民政府 2024 (a real PDF): 规章 制发 1、废止 0、现行有效 11; 行政规范性文件 8、26、66; 上年结转 34."""
    need_corpus()
    pdf = CORPUS / "real-pdf" / "003_2024_huaian-shi.pdf"
    last = tmp_path / "2023.txt"
    last.write_text(_huaian_2023(10, 84, 34), encoding="utf-8")  # 10+1−0 = 11, 84+8−26 = 66
    code, out, _ = run(capsys, str(pdf), "--previous", str(last), "--select", "C113,C114", "--format", "json")
    assert code == 0 and json.loads(out) == []
    last.write_text(_huaian_2023(10, 80, 33), encoding="utf-8")
    code, out, _ = run(capsys, str(pdf), "--previous", str(last), "--select", "C113,C114", "--format", "json")
    assert code == 1
    [c113] = findings(out, "C113")
    assert c113["page"] == 4 and "「自然人」列为 34，应为 33" in c113["message"] and c113["previous"] == str(last)
    [c114] = findings(out, "C114")
    assert c114["severity"] == "warning" and c114["page"] == 3
    assert "「现行有效件数」列为 66，应为 62（上年「现行有效件数」80＋「本年制发件数」8−「本年废止件数」26）" in c114["message"]


def test_an_example_of_a_pair_rule_needs_the_other_report():
    from gpalint.ruletest import check_example
    engine = Engine.load()
    assert check_example(engine, engine.rules["C115"], {"bad": BASE}) == [
        "比较两份报告的规则，示例需要 other（上年的报告，或同年另一单位的报告）"]
    # the same report as "last year's": the same year, not paired; a year earlier, copied
    assert check_example(engine, engine.rules["C115"], {"good": BASE, "other": BASE}) == []
    [problem] = check_example(engine, engine.rules["C115"], {"good": BASE, "other": LAST})
    assert problem.startswith("good 不应报出问题，实际 1 个：第 5 行「与上年报告（other.txt）内容雷同：一、总体情况 100%")


def test_same_year_candidates_come_from_the_index_not_from_every_pair():
    """300 reports of one year, each its own text but sharing stock phrases, and one text filled in by three
    agencies: the index names the three pairs of the copies and nothing else."""
    from gpalint import shingles
    from gpalint.years import _same_year_candidates
    rng = random.Random(5)
    stock = ["坚持以习近平新时代中国特色社会主义思想为指导", "认真贯彻落实《中华人民共和国政府信息公开条例》",
             "进一步加强政务公开工作", "及时更新政府信息公开目录", "做好依申请公开工作"]
    han = [chr(c) for c in range(0x4E00, 0x4E00 + 2000)]

    def narrative() -> str:
        parts = [rng.choice(stock) if rng.random() < 0.3 else "".join(rng.choices(han, k=12)) for _ in range(60)]
        return "，".join(parts)

    def result(i: int, sketches: dict) -> FileResult:
        return FileResult(f"{i}.txt", digest={"agency": f"第{i}局", "year": 2024, "rules": {"C116": sketches}})

    results = [result(i, {"section:一": shingles.sketch(narrative())}) for i in range(300)]
    for i in (1, 2):
        results[i] = result(i, results[0].digest["rules"]["C116"])
    pairs = {(a.path, b.path) for a, b in _same_year_candidates(CommandBatch(Args()), results)}
    assert pairs == {("0.txt", "1.txt"), ("0.txt", "2.txt"), ("1.txt", "2.txt")}
