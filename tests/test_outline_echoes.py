"""Captions, repeated headings, sub-series and headings split by a hard line break are not sections of their own:
injected into a clean report they give no S (or T) finding; a section truly missing or duplicated still does."""
from __future__ import annotations

import pytest
from conftest import need_corpus, seed

from gpalint.document import Block, Document
from gpalint.engine import Engine, Options
from gpalint.model import NotAReport
from gpalint.readers import read
from gpalint.readers.text import parse
from gpalint.report import analyse
from gpalint.rules import builtin_rules

ENGINE = Engine(builtin_rules())
S_T = Options(select=["S", "T"])


@pytest.fixture(autouse=True)
def _corpus():
    need_corpus()


def clean() -> str:
    return seed("001").read_text(encoding="utf-8")


def found(text: str) -> list[tuple[str, int, str]]:
    return sorted((d.code, d.location.line, d.message) for d in ENGINE.check_document(parse(text, "r.txt"), S_T)[1])


def inject(after: str, lines: list[str]) -> str:
    rows = clean().splitlines()
    at = next(i for i, row in enumerate(rows) if row.strip().startswith(after))
    rows[at + 1:at + 1] = lines
    return "\n".join(rows) + "\n"


CASES = {
    "caption 表二：": ("二、主动公开政府信息情况", ["表二：主动公开政府信息情况"]),
    "caption 表三 as a Markdown heading": ("三、收到和处理政府信息公开申请情况", ["## 表三 收到和处理政府信息公开申请情况"]),
    "heading repeated above its table": ("二、主动公开政府信息情况", ["本年度主动公开情况如下。", "二、主动公开政府信息情况"]),
    "bare heading repeated above its table": ("三、收到和处理政府信息公开申请情况", ["## 收到和处理政府信息公开申请情况"]),
    "sub-series inside 五": ("五、存在的主要问题及改进情况", ["一、存在的问题", "信息发布不够及时。", "二、改进措施", "下一步将加强。"]),
    "sub-series naming sections inside 一": ("一、总体情况", [
        "一、主动公开政府信息情况", "本年主动公开信息100条。", "二、收到和处理政府信息公开申请情况", "本年收到申请2件。",
        "三、政府信息公开行政复议、行政诉讼情况", "无。"]),
    "sub-series close to section titles inside 一": ("一、总体情况", [
        "一、工作概况", "本年工作有序开展。", "二、主动公开情况", "本年主动公开信息100条。", "三、依申请公开情况", "无。"]),
}


@pytest.mark.parametrize("name", CASES)
def test_echo_is_not_a_section(name):
    after, lines = CASES[name]
    assert found(clean()) == []
    assert found(inject(after, lines)) == []


@pytest.mark.parametrize("heading, split", [
    ("三、收到和处理政府信息公开申请情况", "三、收到和处理政府信息公开申\n请情况"),
    ("四、政府信息公开行政复议、行政诉讼情况", "四、政府信息公开行政复议、行政\n— 5 —\n诉讼情况"),  # a footer between
    ("四、政府信息公开行政复议、行政诉讼情况", "四、\n政府信息公开行政复议、行政诉讼情况"),  # the number alone
])
def test_heading_split_by_a_hard_line_break(heading, split):
    text = clean().replace(heading, split)
    assert found(text) == []
    r = analyse(parse(text, "r.txt"))
    key = heading[0]
    assert r.outline.sections[key].heading.title == heading[2:]


def test_a_bold_caption_in_a_word_or_pdf_file_is_not_a_section():
    report = analyse(parse(clean(), "r.txt"))
    at = report.outline.sections["二"].heading.index
    blocks = [*report.blocks[:at + 1], Block("表二：主动公开政府信息情况", 9999, bold=True), *report.blocks[at + 1:]]
    r = analyse(Document("r.docx", "docx", blocks))
    assert [h.spec.key for h in r.outline.headings] == list("一二三四五六")


def test_a_section_truly_duplicated_or_missing_is_still_found():
    codes = [f[0] for f in found(clean() + "\n二、主动公开政府信息情况\n（又一份）\n")]
    assert codes == ["S103"]
    five = "五、存在的主要问题及改进情况\n信息发布不够及时，部分栏目更新较慢。下一步将加强栏目维护和信息审核。\n"
    pasted_twice = clean().replace("五、存在的主要问题及改进情况", five + five)
    assert [f[0] for f in found(pasted_twice)] == ["S103"]  # right after itself, with its own text again
    codes = [f[0] for f in found(clean().replace("五、存在的主要问题及改进情况", "（正文）"))]
    assert codes == ["S101"]
    swapped = clean().replace("二、主动公开政府信息情况", "@@").replace("三、收到和处理政府信息公开申请情况",
                                                                 "二、主动公开政府信息情况").replace("@@", "三、收到和处理政府信息公开申请情况")
    assert "S102" in [f[0] for f in found(swapped)]


@pytest.mark.parametrize("name", ["README.md", "UPSTREAM-README.md", "CHANGELOG.md", "contributing.md"])
def test_project_files_are_not_reports(name):
    with pytest.raises(NotAReport, match="不像是政府信息公开工作年度报告"):
        analyse(parse(clean(), name, markdown=True))


def test_a_report_named_like_a_report_is_checked():
    assert analyse(parse(clean(), "2024年报告.md", markdown=True)).outline.headings


def test_markdown_bold_headings_read_as_plain_text():
    """「**一、总体情况**」 in a .txt (or a Markdown file read as text): the headings, with no S finding."""
    text = "\n".join(f"**{line}**" if line[:2] in ("一、", "二、", "三、", "四、", "五、", "六、") else line
                     for line in clean().splitlines())
    assert found(text) == []
    assert [h.spec.key for h in analyse(parse(text, "r.txt")).outline.headings] == list("一二三四五六")


def test_a_project_file_beside_the_reports_is_skipped_with_a_note(tmp_path, capsys):
    """UPSTREAM-README.md mentions 政府信息公开 (so the content test alone would check it): its name says what it is."""
    from gpalint.cli import main
    (tmp_path / "UPSTREAM-README.md").write_text("# Corpus: real 政府信息公开工作年度报告\n\n一、总体情况 is the first "
                                                 "section.\n", encoding="utf-8")
    (tmp_path / "report.txt").write_text(clean(), encoding="utf-8")
    code = main(["check", "--select", "S", str(tmp_path)])
    out, err = capsys.readouterr()
    assert code == 0 and "UPSTREAM-README.md: 已跳过" in err and "检查了 1 个文件" in out
    code = main(["check", str(tmp_path / "UPSTREAM-README.md")])  # named explicitly: a clear error line, exit 2
    out, err = capsys.readouterr()
    assert code == 2 and "错误" in err and "不像是政府信息公开工作年度报告" in err


def test_headings_of_a_real_agency_pdf(pdf_engine):
    """淮安市 2024, the PDF as the agency published it (not a LibreOffice export): all six sections, no S finding."""
    from conftest import CORPUS
    doc = read(CORPUS / "real-pdf" / "003_2024_huaian-shi.pdf")
    report, diagnostics = ENGINE.check_document(doc, S_T)
    assert [h.spec.key for h in report.outline.headings] == list("一二三四五六")
    assert [d.code for d in diagnostics if d.code.startswith("S")] == []


def test_a_heading_right_after_a_sentence_on_the_same_line():
    """Text from a PDF or a web page: 「…进一步加强。六、其他需要报告的事项」 — the heading starts a piece of its own."""
    rows = [row for row in clean().splitlines() if row.strip()]
    at = next(i for i, row in enumerate(rows) if row.startswith("六、其他需要报告的事项"))
    rows[at - 1:at + 1] = [rows[at - 1] + rows[at]]
    text = "\n".join(rows) + "\n"
    assert [h.spec.key for h in analyse(parse(text, "r.txt")).outline.headings] == list("一二三四五六")
    assert found(text) == []
