"""Templates drive every section, scope and signature: a template version is data, added without Python.

The hypothetical 2027 template in tests/templates_2027/ is the 2021 format plus a seventh section
七、政务新媒体建设情况 and a new 表二 row (行政征收); tests/templates_2027/rules/X901.toml is a rule scoped to
section:七. Both come in through the configuration (extra-templates, extra-rules), as a province's would.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import CORPUS, ROOT

from gpalint.cli import main
from gpalint.config import load_settings
from gpalint.engine import Engine, Options
from gpalint.model import NotAReport
from gpalint.readers import read
from gpalint.readers.text import parse
from gpalint.report import analyse
from gpalint.report.template import load_templates, parse_template
from gpalint.rules import RuleSources
from gpalint.tomlfile import RuleFileError

HERE = ROOT / "tests" / "templates_2027"
TEMPLATES, RULES = HERE / "templates", HERE / "rules"
CLEAN = ROOT / "examples" / "clean-report.txt"  # a 2024 report in the 2021 format, without findings
ENGINE_2027 = Engine.load(RuleSources((RULES,), "X", (TEMPLATES,)))


def report_2027(seventh: str | None = "本机关开设政务新媒体账号3个，全年发布信息120条。", year: int = 2027) -> str:
    """The clean 2024 report moved to ``year`` in the 2027 format: the new 表二 row and, unless ``seventh`` is
    None, section 七 with that text."""
    text = CLEAN.read_text(encoding="utf-8").replace("2024", str(year)).replace("2025年1月20日", f"{year + 1}年1月20日")
    text = text.replace("行政强制\t0\n", "行政强制\t0\n行政征收\t2\n")
    if seventh is not None:
        text = text.replace("示范镇人民政府\n", f"七、政务新媒体建设情况\n\n{seventh}\n\n示范镇人民政府\n")
    return text


def flattened(text: str) -> str:
    """As a web crawler gives it: every line break gone, headings glued to the text before and after them."""
    return "".join(line.strip() for line in text.splitlines())


LAYOUTS = {"tabbed": lambda t: t, "flattened": flattened}


def check(text: str, engine: Engine = ENGINE_2027):
    report, diagnostics = engine.check_document(parse(text, "r.txt"), Options())
    return report, [(d.code, d.message) for d in diagnostics]


# ── the 2027 template, through the configuration ─────────────────────────────────────────────────────────

@pytest.fixture
def configured(tmp_path):
    """A folder whose gpalint.toml brings in the 2027 template and its rule."""
    (tmp_path / "gpalint.toml").write_text(f"extra-templates = [{json.dumps(str(TEMPLATES))}]\n"
                                           f"extra-rules = [{json.dumps(str(RULES))}]\nlocal-prefix = \"X\"\n",
                                           encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize("layout", LAYOUTS)
def test_a_2027_report_is_checked_by_the_2027_template_and_its_section_rule(configured, layout, capsys):
    cases = {"good.txt": report_2027(), "bad.txt": report_2027("持续做好政务新媒体的日常维护。"),
             "none.txt": report_2027(None)}
    for name, text in cases.items():
        (configured / name).write_text(LAYOUTS[layout](text), encoding="utf-8")
    code = main(["check", "--format", "json", "--no-progress", str(configured)])
    found = {(Path(d["path"]).name, d["code"], d["message"]) for d in json.loads(capsys.readouterr().out)}
    assert code == 1
    assert found == {
        ("bad.txt", "X901", "「七、政务新媒体建设情况」没有写政务新媒体账号的数量"),
        ("none.txt", "S101", "缺少第七部分「七、政务新媒体建设情况」"),
    }


def test_worker_processes_load_the_extra_templates_too(configured, capsys):
    for n in range(16):  # enough files for the process pool
        (configured / f"r{n:02}.txt").write_text(report_2027("持续做好政务新媒体的日常维护。"), encoding="utf-8")
    code = main(["check", "--format", "json", "--no-progress", "--jobs", "2", str(configured)])
    assert code == 1
    assert [d["code"] for d in json.loads(capsys.readouterr().out)] == ["X901"] * 16


@pytest.mark.parametrize("layout", LAYOUTS)
def test_the_2027_report_is_detected_as_2027_and_its_new_row_read(layout):
    report, findings = check(LAYOUTS[layout](report_2027()))
    assert report.template.version == "2027" and report.template_evidence > 0
    assert list(report.outline.sections) == ["一", "二", "三", "四", "五", "六", "七"]
    assert report.tables["二"].value("行政征收", "处理决定") == 2
    assert findings == []


def test_a_sequence_rule_without_scopes_counts_in_the_seventh_section_too():
    _, findings = check(report_2027("一是开设政务新媒体账号3个。三是建立值班制度。"))
    assert findings == [("G111", "列举编号不连续：「一是」之后是「三是」，应为「二是」")]


def test_the_2027_format_in_an_earlier_year_is_reported_as_not_in_force():
    _, findings = check(report_2027(year=2025))
    assert [c for c, _ in findings] == ["M108"]
    assert "2027年度报告格式" in findings[0][1]


@pytest.mark.parametrize("layout", LAYOUTS)
def test_a_2024_report_is_still_detected_as_2021(layout):
    report, findings = check(LAYOUTS[layout](CLEAN.read_text(encoding="utf-8")))
    assert report.template.version == "2021" and report.template_evidence > 0
    assert findings == []  # no section 七 missing, no M108, no X901


def test_the_corpus_reads_the_same_with_the_2027_template_loaded():
    builtin = Engine.load()
    files = [p for p in sorted(CORPUS.rglob("*")) if p.suffix in (".txt", ".md", ".docx", ".pdf", ".html")]
    assert len(files) > 30
    yearless = []
    for path in files:
        doc = read(path)  # read once: checking leaves the Document as read
        results = []
        for engine in (builtin, ENGINE_2027):
            try:
                report, diagnostics = engine.check_document(doc, Options())
                results.append((report.template.version, diagnostics))
            except NotAReport as exc:
                results.append(str(exc))
        if results[1][0] == "2027":  # only a text with neither a year nor labels: it gets the newest template
            assert report.year is None and report.template_evidence == 0, path
            yearless.append(path.name)
        else:
            assert results[0] == results[1], path
    assert set(yearless) <= {"UPSTREAM-README.md"}  # the corpus's provenance notes, not a report


def test_a_report_without_year_or_labels_gets_the_newest_template():
    templates = load_templates()
    assert [t.version for t in templates] == ["2019", "2021"]
    assert templates.detect("", None) == (templates.get("2021"), 0)  # not the first in order, 2019
    assert templates.detect("", 2020) == (templates.get("2019"), 0)  # a known year: the template then in force
    assert load_templates((TEMPLATES,)).detect("", None)[0].version == "2027"


def test_without_a_title_year_the_period_statement_tells_the_template_in_force():
    text = CLEAN.read_text(encoding="utf-8").split("\n一、总体情况")[0]  # no tables: nothing but the year tells
    no_title = text.replace("示范镇人民政府2024年政府信息公开工作年度报告\n", "")
    assert analyse(parse(no_title, "r.txt")).template.version == "2021"
    in_2020 = no_title.replace("2024年", "2020年")
    report = analyse(parse(in_2020, "r.txt"))
    assert (report.year, report.template.version) == (2020, "2019")


def test_extract_shows_the_new_row(configured, capsys):
    (configured / "r.txt").write_text(report_2027(), encoding="utf-8")
    assert main(["extract", str(configured / "r.txt")]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["template"] == "2027"
    rows = {r["key"]: r for r in next(t for t in data["tables"] if t["table"] == "表二")["rows"]}
    assert rows["行政征收"]["values"] == {"本年处理决定数量": 2}


# ── distinguishing labels ────────────────────────────────────────────────────────────────────────────────

def test_distinguishing_labels_are_derived_from_all_templates():
    def labels(templates, version):
        return {f for label in templates.distinguishing[version] for f in label.forms}
    builtin, more = load_templates(), load_templates((TEMPLATES,))
    assert {"本年制发件数", "本年处理决定数量"} <= labels(builtin, "2021")
    assert "本年新制作数量" in labels(builtin, "2019")
    # 2019's 处理决定数量 is part of 2021's 本年处理决定数量: a 2021 report contains it, so it tells nothing
    assert "处理决定数量" not in labels(builtin, "2019")
    # the 2027 template has all of 2021's labels: its distinguishing ones are 2021's and its own new ones
    assert labels(more, "2027") == labels(more, "2021") | {"七、政务新媒体建设情况", "行政征收"}
    assert more.section_keys == ("一", "二", "三", "四", "五", "六", "七")


def test_the_share_found_decides_between_templates_that_lack_nothing_found():
    """A 2021-format report uses every 2021 label and a share of the 2027 ones: it is a 2021 report, although it
    uses as many 2027 labels. Words of the new labels in prose (not a numbered heading, not a row with a number)
    are no evidence."""
    text = CLEAN.read_text(encoding="utf-8").replace(
        "做好政府网站信息公开专栏的日常维护。", "做好政府网站信息公开专栏的日常维护，检查政务新媒体建设情况和行政征收等事项。")
    report, findings = check(text)
    assert report.template.version == "2021" and findings == []


def test_a_2027_report_without_the_new_section_is_still_a_2027_report():
    """Its 行政征收 row is a label 2021 lacks: read by the 2021 template it would be a false T109 (two values in
    the 行政强制 row); read by its own, the missing section is reported."""
    report, findings = check(report_2027(None))
    assert report.template.version == "2027"
    assert findings == [("S101", "缺少第七部分「七、政务新媒体建设情况」")]


# ── scopes and template files are validated ───────────────────────────────────────────────────────────────

def test_a_rule_scoped_to_a_section_no_template_has_is_a_rule_error():
    with pytest.raises(RuleFileError) as info:
        Engine.load(RuleSources((RULES,), "X"))  # the 2027 rule without the 2027 template
    assert info.value.key == "check.scope" and "七" in info.value.problem


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_extra_templates_configuration(tmp_path):
    write(tmp_path / "模板" / "2027.toml", (TEMPLATES / "2027.toml").read_text(encoding="utf-8"))
    config = write(tmp_path / "gpalint.toml", 'extra-templates = ["模板"]\ntemplate = "2027"\n')
    settings = load_settings(config)
    assert settings.extra_templates == [(tmp_path / "模板").resolve()] and settings.template == "2027"
    write(config, 'template = "2027"\n')  # without the folder, 2027 is no template
    with pytest.raises(RuleFileError) as info:
        load_settings(config)
    assert info.value.key == "template" and "2021" in info.value.problem
    write(config, 'extra-templates = ["没有"]\n')
    with pytest.raises(RuleFileError) as info:
        load_settings(config)
    assert info.value.key == "extra-templates" and "不是一个目录" in info.value.problem


TEMPLATE_2021 = (ROOT / "rules" / "templates" / "2021.toml").read_text(encoding="utf-8")


@pytest.mark.parametrize(("change", "key", "problem"), [
    (lambda t: 'signature = ["本年制发件数"]\n' + t, "signature", "不是模板文件的键"),
    (lambda t: t.replace('{ key = "六"', '{ key = "6"'), "sections[5].key", "汉字序号"),
    (lambda t: t.replace('{ key = "六"', '{ key = "五"'), "sections[5].key", "重复"),
    (lambda t: t.replace('[tables."四"]', '[tables."八"]'), "tables.八", "没有章节「八」"),
    (lambda t: t.replace('cell = "行政规范性文件/制发"', 'cell = "行政规范性文件/收费金额"'), "tables.二.stated[0].cell",
     "表中没有「行政规范性文件/收费金额」"),
    (lambda t: t.replace("规范性文件(?:共)?(?P<n>", "规范性文件(?:共)?(?P<m>"), "tables.二.stated[0].pattern", "(?P<n>"),
])
def test_template_file_errors_name_the_key(tmp_path, change, key, problem):
    path = write(tmp_path / "2030.toml", change(TEMPLATE_2021))
    with pytest.raises(RuleFileError) as info:
        parse_template(path)
    assert info.value.key == key and problem in info.value.problem


def test_a_version_defined_twice_is_an_error(tmp_path):
    write(tmp_path / "again.toml", TEMPLATE_2021)
    with pytest.raises(RuleFileError) as info:
        load_templates((tmp_path,))
    assert info.value.key == "version" and "重复" in info.value.problem


# ── the Report segments, the Document stays as read ──────────────────────────────────────────────────────

def test_analyse_leaves_the_document_as_read_and_locates_every_block():
    source = flattened(report_2027())
    doc = parse(source, "r.txt")
    before = [(b.text, b.line, b.column) for b in doc.blocks]
    report = analyse(doc, templates=load_templates((TEMPLATES,)))
    assert [(b.text, b.line, b.column) for b in doc.blocks] == before == [(source, 1, 1)]
    assert len(report.blocks) == 8  # the title and 统计期限 line, then one block per section
    for b in report.blocks:
        loc = b.location()
        assert source[loc.column - 1:loc.end_column - 1] == b.text
    assert [report.blocks[s.heading.index].text[:5] for s in report.outline.sections.values()] == [
        "一、总体情", "二、主动公", "三、收到和", "四、政府信", "五、存在的", "六、其他需", "七、政务新"]
    assert re.match(r"示范镇人民政府2027年", report.blocks[0].text)
