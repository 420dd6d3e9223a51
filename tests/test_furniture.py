"""Page furniture (page numbers, crawler provenance, site menus) is not the report: no rule of any family reports
on it, over the whole corpus and on furniture injected into a clean report."""
from __future__ import annotations

import pytest
from conftest import CORPUS, need_corpus, seed

from gpalint import furniture
from gpalint.engine import Engine, Options
from gpalint.fix.planner import Change
from gpalint.readers import SUFFIXES, read
from gpalint.readers.text import parse
from gpalint.rules import builtin_rules

ENGINE = Engine(builtin_rules())
# every report of the corpus (its own README files describe it: they are not reports)
FILES = sorted(p for p in CORPUS.rglob("*") if p.suffix.lower() in SUFFIXES and p.is_file()
               and not p.name.endswith("README.md"))


@pytest.fixture(autouse=True)
def _corpus():
    need_corpus()


@pytest.mark.parametrize("text", [
    "— 1 —", "-1-", "—12—", "第 1 页 共 5 页", "第3页/共12页", "# source: github:x/y", "# agency: 某镇人民政府; year: 2024",
    "标题: 某镇2024年政府信息公开工作年度报告", "发布时间: 2025-01-20 15:22", "原文链接: https://example.gov.cn/a.html",
    "当前位置：首页 > 政务公开 > 年报", "首页", "微信 微博 QQ空间", "打印本页 关闭窗口", "【打印】【关闭】",
    "==================== 正文 ====================", "索 引 号: | 1234/2024-00001 |",
    "主办单位：某市人民政府办公室 承办：某市大数据中心", "京ICP备12345678号 京公网安备 11010502030号", "扫一扫在手机打开当前页",
    # a page's metadata box flattened into lines (real/r008 lines 7–11)
    "发表日期:2024-01-26 15:35:23 发布机构:政务服务管理局", "索引号 620702074/2024-00047 发文字号 东街街道2023年度报告号",
    "关键词 发布机构 政务服务管理局", "公开形式 责任部门", "生成日期 2024-01-26 15:35:23 是否有效", "图解链接:点击查看图解"])
def test_furniture_lines(text):
    assert furniture.is_furniture(text)


@pytest.mark.parametrize("text", [
    "一、总体情况", "（一）主动公开", "2024年，我镇收到政府信息公开申请5件。", "1", "-1", "（七）总计 3 1 0 0 0 0 5",
    "通过微信、微博等平台发布信息。", "本机关未收取信息处理费。", "首页改版后，新增政策解读栏目12个。",
    "主办了政务公开培训班3期。", "完成网站ICP备案信息更新。", "公开形式多样，责任部门明确。", "公开形式 多样，群众满意。"])
def test_report_lines_are_not_furniture(text):
    assert not furniture.is_furniture(text)


@pytest.mark.parametrize("text, footer", [("2025年1⽉20⽇— 3 —", "— 3 —"), ("某镇人民政府 —12—", " —12—"),
                                          ("总计\t—\t3\t—", None), ("（七）总计 3 1 0 — 3 —", None),
                                          ("总计    —    3    —", None)])
def test_a_page_number_glued_to_a_line(text, footer):
    assert [text[s:e] for s, e in furniture.spans(text)] == ([footer] if footer else [])


def test_inline_furniture_of_a_crawled_page():
    text = ("当前位置： 首页政务公开政府信息公开年报 某区2021年度政府信息公开工作年度报告 来源：某区人民政府 "
            "时间：2022-02-08 16:34 微信 微博 QQ空间 全真版 文字版 文件下载 相关链接： --> 根据《条例》编制本报告。" * 3)
    cut = "".join(text[s:e] for s, e in furniture.spans(text))
    assert "当前位置" in cut and "来源：某区人民政府" in cut and "QQ空间" in cut
    assert "根据《条例》" not in cut and "年度报告" not in cut


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(CORPUS)))
def test_no_finding_falls_on_furniture(path):
    doc = read(path)
    _, diagnostics = ENGINE.check_document(doc, Options())
    for d in diagnostics:
        loc = d.location
        on_line = [b for b in doc.blocks if b.page == loc.page and b.segment(loc.line) is not None]
        assert not any(b.furniture for b in on_line if _holds(b, loc)), (d.code, d.message, loc)
        if d.source_line:
            for start, end in furniture.spans(d.source_line):
                assert not start < loc.column <= end, (d.code, d.message, d.source_line[start:end])


def _holds(block, loc) -> bool:
    seg = block.segment(loc.line)
    return seg is not None and seg[0] <= loc.column <= seg[0] + len(seg[1])


def test_injected_furniture_gives_no_finding():
    """A clean seed with a crawler's header, a site menu, page footers inside a paragraph and a table, and a share
    bar after the 落款: the same findings as the seed itself."""
    clean = seed("001").read_text(encoding="utf-8")
    lines = clean.splitlines()
    table_row = next(i for i, line in enumerate(lines) if line.strip().startswith("（一）予以公开"))
    lines.insert(table_row + 3, "— 3 —")  # between two values of a row
    lines.insert(12, "-2-")
    lines.insert(6, "第 1 页 共 5 页")
    noisy = "\n".join(["# source: https://example.gov.cn/a.html", "标题: 某镇2024年政府信息公开工作年度报告",
                       "发布时间: 2025-01-20 15:22", "当前位置：首页 > 政务公开 > 年报", *lines,
                       "打印本页 关闭窗口", "微信 微博 QQ空间"]) + "\n"

    def found(text):
        return sorted((d.code, d.message) for d in ENGINE.check_document(parse(text, "r.txt"), Options())[1])
    assert found(noisy) == found(clean)


HEADER = "# source: https://example.gov.cn/a.html (original: x)\n# agency: 某镇人民政府（某省，乡镇）; year: 2024\n"


@pytest.mark.parametrize("markdown", [False, True])
def test_a_provenance_header_is_furniture_and_never_fixed(markdown):
    """The corpus's two header lines (tests/corpus/README.md): 「;」 and 「(」 there are no report text, so no G108,
    and --fix leaves the lines as they are."""
    from gpalint.fix.text import fix_text
    clean = seed("001").read_text(encoding="utf-8")
    text = HEADER + clean
    doc = parse(text, "r.md" if markdown else "r.txt", markdown=markdown)
    assert [b.furniture for b in doc.blocks[:3]] == [True, True, False]
    _, diagnostics = ENGINE.check_document(doc, Options())
    assert not [d for d in diagnostics if d.location.line <= 2]
    fixed, _, _ = fix_text(ENGINE, text, Options(), unsafe=True, path="r.txt", markdown=markdown)
    assert fixed.splitlines()[:2] == HEADER.splitlines()


def test_a_furniture_line_is_never_edited_by_a_fix():
    """Whatever a rule says, an edit on a furniture line is refused (fix/text.py)."""
    from gpalint.fix.text import TextTarget
    from gpalint.model import Edit, Location
    target = TextTarget(ENGINE, Options(), HEADER + "一、总体情况\n本年度无。\n", "r.txt", False)
    target.check()
    assert not isinstance(target.place(Edit(Location(2, 10, 2, 11), "；")), Change)
    assert isinstance(target.place(Edit(Location(4, 1, 4, 2), "今")), Change)


@pytest.mark.parametrize("text", ["# 一、总体情况\n# agency: 某镇; year: 2024\n", "# 说明：本报告为摘录\n",
                                  "# 2024年度政府信息公开工作年度报告\n", "agency: 某镇; year: 2024\n"])
def test_headings_and_bare_lines_are_no_provenance_header(text):
    """Only ``# key: value`` lines with a metadata key, at the very top, are a header: a Markdown heading is not."""
    for markdown in (False, True):
        assert not any(b.furniture for b in parse(text, "r.md", markdown=markdown).blocks), (text, markdown)


def test_the_crawlers_title_line_is_the_title_of_a_page_without_one():
    """full/006: the text under the page has no title; the crawler's 「标题: …」 line is the title the page showed."""
    page = "标题: 某镇2025年度政府信息公开工作年度报告\n发布时间: 2026-03-10 12:56\n"
    body = "本报告根据《条例》编制。\n一、总体情况\n本年度无。\n"
    doc = parse(page + body, "r.txt")
    assert (doc.blocks[0].text, doc.blocks[0].column, doc.blocks[0].furniture) == ("某镇2025年度政府信息公开工作年度报告", 5, False)
    assert doc.blocks[1].furniture
    titled = parse(page + "某镇2025年度政府信息公开工作年度报告\n" + body, "r.txt")
    assert titled.blocks[0].furniture and titled.blocks[0].text.startswith("标题")
