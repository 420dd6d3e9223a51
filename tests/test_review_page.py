"""The review page (--format html): overview, findings with filters, the tables as read; and in a real browser."""
from __future__ import annotations

import base64
import hashlib
import json
import re
import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import lxml.html
import pytest
from conftest import CORPUS, need_corpus

from gpalint.cli import main
from gpalint.model import Diagnostic, FileResult, Location, Severity
from gpalint.output import html
from gpalint.rules import Rule

CHROMIUM = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
HOSTILE = '<img src=x onerror=alert(1)>\u202e"&'


def _rule(code: str) -> Rule:
    return Rule(code=code, name=f"rule-{code.lower()}", family=code[0], severity=Severity.ERROR,
                summary=f"{code} 要求", message="", kind="table-sum", params={}, why="勾稽关系 <b>", source="30号文")


def _cell(state: str, text: str = "", value=None, at=None, problem=None) -> dict:
    return {"state": state, "text": text, "value": value, "problem": problem, "at": at}


def _readout(agency: str) -> dict:
    row = {"key": "三.七", "label": "（七）总计", "own": "（七）总计", "parent": None, "group": False,
           "columns": ["自然人", "其他", "总计", "小计"],
           "cells": [_cell("ok", "5", 5, [None, 9, 3]), _cell("unreadable", "1O", None, [None, 9, 5], "「1O」不是数字"),
                     _cell("blank", "", 0, [None, 9, 7]), _cell("missing")]}
    return {"agency": agency, "year": 2024, "template": "2021",
            "tables": [{"key": "三", "title": "表三", "name": "收到和处理", "layout": "rows", "found": True,
                        "rows": [row]},
                       {"key": "四", "title": "表四", "name": "复议诉讼", "layout": "header", "found": False, "rows": []}]}


def _results() -> list[FileResult]:
    bad = Diagnostic("T103", Severity.ERROR, f"总计应为 6，实为 5 {HOSTILE}", "a.txt", Location(9, 3, 9, 4),
                     expected="6", source_line="  5")
    g = Diagnostic("G101", Severity.WARNING, "括号", "a.txt", Location(2, 4, 2, 10),
                   source_line="国办函【2020】109号，另见某文")
    worse = FileResult("a.txt", [g, bad], readout=_readout(HOSTILE))
    clean = FileResult("b.txt", readout=_readout("某镇人民政府"))
    typo = FileResult("c.txt", [Diagnostic("G101", Severity.WARNING, "括号", "c.txt", Location(1))],
                      readout=_readout("某局"))
    broken = FileResult("d.docx", error="无法读取：文件不是有效的 .docx")
    return [clean, typo, worse, broken]


def _page(**kw) -> lxml.html.HtmlElement:
    return lxml.html.fromstring(html.render(_results(), {"T103": _rule("T103")}, **kw))


def test_hostile_text_is_escaped_and_only_the_pages_own_script_may_run():
    text = html.render(_results(), {"T103": _rule("T103")})
    assert "<img" not in text and "&lt;img src=x onerror=alert(1)&gt;\\u202e&quot;&amp;" in text
    assert text.count("<script") == 1
    csp = lxml.html.fromstring(text).xpath('//meta[@http-equiv="Content-Security-Policy"]/@content')[0]
    digest = base64.b64encode(hashlib.sha256(html.SCRIPT.encode()).digest()).decode()
    assert f"script-src 'sha256-{digest}'" in csp and "default-src 'none'" in csp  # nothing from the network


def test_overview_worst_first_with_agency_year_template_and_files_not_checked():
    page = _page(skipped=[FileResult("README.md", error="这不像是政府信息公开工作年度报告", skipped=True)])
    rows = page.xpath("//h2[.='总览']/following-sibling::table[1]/tbody/tr")
    cells = [[td.text_content() for td in tr.xpath("td")] for tr in rows]
    # errors, warnings, notes, typography: a.txt (1 error) before c.txt (1 G warning) before the clean b.txt
    assert [c[0] for c in cells] == ["a.txt", "c.txt", "b.txt"]
    assert cells[0][1:] == [HOSTILE.replace("\u202e", "\\u202e"), "2024", "2021", "—", "1", "0", "0", "1"]
    assert cells[1][5:] == ["0", "0", "0", "1"]  # a G finding counts as typography, not as a warning
    failed = page.xpath("//h3[starts-with(., '无法检查的文件')]/following-sibling::table[1]//td/text()")
    assert failed == ["d.docx", "无法读取：文件不是有效的 .docx"]
    skipped = page.xpath("//h3[starts-with(., '已跳过的文件')]/following-sibling::table[1]//td/text()")
    assert skipped == ["README.md", "这不像是政府信息公开工作年度报告"]


def test_the_page_shows_which_reports_were_compared_with_last_years(tmp_path):
    folder = tmp_path / "报告"
    folder.mkdir()
    last = next((CORPUS / "full").glob("004_2019_*.txt"))
    shutil.copyfile(last, folder / "a2019.txt")
    (folder / "a2020.txt").write_text(last.read_text(encoding="utf-8").replace("2019", "2020").replace("2018", "2019"),
                                      encoding="utf-8")
    out = tmp_path / "page.html"
    main(["check", "--no-cache", "--format", "html", "-o", str(out), str(folder)])
    page = lxml.html.fromstring(out.read_text(encoding="utf-8"))
    rows = page.xpath("//h2[.='总览']/following-sibling::table[1]/tbody/tr")
    previous = {tr.xpath("td")[0].text_content(): tr.xpath("td")[4] for tr in rows}
    link = previous[str(folder / "a2020.txt")].xpath("a")[0]
    assert link.text_content() == str(folder / "a2019.txt")
    assert page.xpath(f"//section[@id='{link.get('href')[1:]}']")  # the link leads to last year's report
    assert previous[str(folder / "a2019.txt")].text_content() == "—"
    assert "按单位和年度配对：平潭综合实验区 2019→2020" in page.text_content()
    assert "C115" in page.text_content()  # the copy is reported on the page, as in the text output


def test_findings_sorted_by_severity_with_quote_filters_and_rule_explanation():
    section = _page().xpath('//section[@id="f2"]')[0]
    items = section.xpath(".//li[contains(@class, 'finding')]")
    assert [(li.get("data-family"), li.get("data-severity")) for li in items] == [("T", "error"), ("G", "warning")]
    assert items[1].xpath(".//div[@class='quote']/mark/text()") == ["【2020】"]  # the faulty text, in its line
    assert "国办函" in items[1].xpath(".//div[@class='quote']")[0].text_content()
    details = items[0].xpath(".//details")[0]
    assert "勾稽关系 <b>" in details.text_content() and "30号文" in details.text_content()
    boxes = section.xpath(".//form[@class='filters']//input")
    assert [(b.get("name"), b.get("value")) for b in boxes] == [
        ("family", "T"), ("family", "G"), ("severity", "error"), ("severity", "warning")]  # in family order


def test_tables_show_faulty_unreadable_blank_and_missing_cells():
    section = _page().xpath('//section[@id="f2"]')[0]
    cells = section.xpath(".//table[@class='grid']//td")
    faulty, unreadable, blank, missing = cells
    assert "faulty" in faulty.get("class")
    assert faulty.xpath("del/text()") == ["5"] and faulty.xpath("ins/text()") == ["6"]  # found, expected
    assert faulty.xpath(".//a/@href") == ["#" + section.xpath(".//li[@data-family='T']/@id")[0]]  # its finding
    assert "unreadable" in unreadable.get("class") and "未能读取" in unreadable.text_content()
    assert unreadable.get("title") == "「1O」不是数字"
    assert "blank" in blank.get("class") and "missing" in missing.get("class")
    assert "报告中没有找到这张表" in section.text_content()  # 表四 not found


# ── the corpus page, and in Chromium ─────────────────────────────────────────────────────────────────

@pytest.fixture(scope="module")
def corpus_page(tmp_path_factory) -> Path:
    need_corpus()
    page = tmp_path_factory.mktemp("review") / "review.html"
    assert main(["check", str(CORPUS), "--format", "html", "-o", str(page)]) == 1
    return page


def _section(page: lxml.html.HtmlElement, path: Path) -> lxml.html.HtmlElement:
    return next(s for s in page.xpath("//section") if s.xpath(".//p[@class='path']")[0].text_content()
                .startswith(str(path)))


def test_corpus_page_draws_every_report_with_its_tables(corpus_page):
    page = lxml.html.parse(str(corpus_page)).getroot()
    sections = page.xpath("//section")
    reports = [p for p in CORPUS.rglob("*") if p.suffix in (".txt", ".md", ".docx", ".pdf", ".html")
               and not p.name.endswith("README.md")]
    assert len(sections) == len(reports)  # every file checked (README.md and the like skipped, and listed as such)
    assert page.xpath("//h3[starts-with(., '已跳过的文件')]/following-sibling::table[1]//td/text()")[0].endswith(
        "README.md")
    for s in sections:
        assert len(s.xpath(".//h3[starts-with(., '表')]")) == 3
    # full/101: 表三's results add up to 27 against a 总计 of 21
    s101 = _section(page, CORPUS / "full" / "101_2020_pingtan-zongheshiyanqu.txt")
    faulty = [(td.xpath("string(del)"), td.xpath("string(ins)"), td.xpath("string(.//a)"))
              for td in s101.xpath(".//td[contains(@class, 'faulty')]") if td.xpath("ins")]
    assert ("21", "27", "T103") in faulty
    assert s101.xpath(".//td[contains(@class, 'unreadable')]")  # the glued digits of 表二
    shanghai = _section(page, CORPUS / "html" / "201_2019_shanghai-shizhengfubangongting.html")
    assert ("空", "272", "T105") in [(td.xpath("string(del)"), td.xpath("string(ins)"), td.xpath("string(.//a)"))
                                    for td in shanghai.xpath(".//td[contains(@class, 'faulty')]")]


def _chromium(*args: str, tmp_path: Path) -> subprocess.CompletedProcess:
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
             "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={tmp_path / 'profile'}"]
    return subprocess.run([CHROMIUM, *flags, *args], capture_output=True, timeout=180, check=True)


def _png_pixels(png: bytes) -> tuple[int, int, bytes]:
    """Width, height and the decompressed scanlines of a PNG (enough to tell a drawn page from a blank one)."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", png[16:24])
    data, pos = b"", 8
    while pos < len(png):
        length, kind = struct.unpack(">I4s", png[pos:pos + 8])
        if kind == b"IDAT":
            data += png[pos + 8:pos + 8 + length]
        pos += 12 + length
    return width, height, zlib.decompress(data)


@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed")
def test_chromium_renders_the_corpus_page(corpus_page, tmp_path):
    shot = tmp_path / "review.png"
    _chromium("--window-size=1300,2400", f"--screenshot={shot}", corpus_page.as_uri(), tmp_path=tmp_path)
    width, height, pixels = _png_pixels(shot.read_bytes())
    assert (width, height) == (1300, 2400)
    assert len(set(pixels[::97])) > 20  # text, tables and colours, not a blank page


@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed")
def test_chromium_filters_by_family_and_severity(corpus_page, tmp_path):
    dom = _chromium("--dump-dom", corpus_page.as_uri() + "#only=T,error", tmp_path=tmp_path).stdout.decode()
    page = lxml.html.fromstring(dom)
    assert page.get("class") == "js"  # the page's script ran (the CSP let it)
    items = page.xpath("//li[contains(@class, 'finding')]")
    shown = [li for li in items if li.get("hidden") is None]
    assert shown and len(shown) < len(items)
    assert all((li.get("data-family"), li.get("data-severity")) == ("T", "error") for li in shown)
    counts = [re.fullmatch(r"显示 (\d+) / (\d+)", o.text_content()) for o in page.xpath("//form//output")]
    assert sum(int(m.group(1)) for m in counts) == len(shown) and sum(int(m.group(2)) for m in counts) == len(items)
    # without a filter in the address, every finding is shown
    dom = _chromium("--dump-dom", corpus_page.as_uri(), tmp_path=tmp_path).stdout.decode()
    assert not lxml.html.fromstring(dom).xpath("//li[@hidden]")


def test_a_review_page_left_beside_the_reports_is_not_checked_as_one(tmp_path, capsys):
    """The page of an earlier run, found by the next folder walk, is skipped with a note — not read as a report."""
    need_corpus()
    report = tmp_path / "report.txt"
    clean = Path(__file__).resolve().parent.parent / "examples" / "clean-report.txt"
    report.write_text(clean.read_text(encoding="utf-8"), encoding="utf-8")
    assert main(["check", str(tmp_path), "--format", "html", "-o", str(tmp_path / "review.html")]) == 0
    capsys.readouterr()
    code = main(["check", str(tmp_path), "--format", "json"])
    captured = capsys.readouterr()
    assert code == 0 and json.loads(captured.out) == []
    assert "review.html: 已跳过：这不像是政府信息公开工作年度报告：这是 gpalint 生成的审阅页面" in captured.err
