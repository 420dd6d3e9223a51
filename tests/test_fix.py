"""--fix and --diff: properties of fixing text, encodings and line endings kept, atomic writes, Word files edited at
run level with nothing else in the package changed, PDFs left alone."""
from __future__ import annotations

import codecs
import io
import itertools
import json
import os
import re
import shutil
import stat
import subprocess
import sys
import unicodedata
import zipfile
from pathlib import Path

import pytest
import wordml
from conftest import CORPUS, ROOT, need_corpus, seed
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from lxml import etree

import gpalint.fix as fix
from gpalint.engine import Engine, Options
from gpalint.fix import apply_text_fixes, choose, fix_file, fix_text
from gpalint.fix.text import Lines, apply_changes
from gpalint.fix.word import WordTarget, apply_edit
from gpalint.model import Applicability, Edit, Location
from gpalint.readers.docx import load
from gpalint.readers.text import parse

ENGINE = Engine.load()
G = Options(select=["G"])
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
FIXTURES = CORPUS / "fixtures"


def g_findings(text: str, markdown: bool = False):
    return ENGINE.check_document(parse(text, "t.txt", markdown), G)[1]


# ---------------------------------------------------------------- properties of fixing text
PIECES = ["政府", "信息", "公开", "年", "条", "2024", "998", "10:30", "0537-5450001", "www.gov.cn", "Table", " ", "  ",
          "\u3000", ",", ";", ":", "?", "!", "(", ")", "（", "）", "《", "》", "<", ">", "〈", "〉", "【", "】", "[", "]",
          "〔", "〕", "。", "，", "、", "；", "：", "。。", "，，", '"', "“", "”", "２０２４", "１２．５％", "一是", "二是",
          "三是", "(一)", "（二）", "（四）", "1、", "一.", "国办函", "109号", "\t", "a", "0", "01月", "09日", "第",
          "统一是", "号"]
HEAD = ["一、总体情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项", "（三）政府信息管理", ""]
ENDINGS = ["\n", "\r\n", "\r", "\u2028", "\x0b"]


@st.composite
def reports(draw):
    lines = ["叶城县河园镇人民政府" + "".join(draw(st.lists(st.sampled_from(PIECES), max_size=4))) + "政府信息公开工作年度报告",
             "一、总体情况"]
    for _ in range(draw(st.integers(1, 8))):
        if draw(st.booleans()):
            lines.append(draw(st.sampled_from(HEAD)))
        lines.append("".join(draw(st.lists(st.sampled_from(PIECES), min_size=1, max_size=14))))
    endings = [draw(st.sampled_from(ENDINGS)) for _ in lines]
    return "".join(line + end for line, end in zip(lines, endings))


def canon(text: str) -> str:
    """What no safe fix may change: the text up to width, whitespace, bracket and quote shapes, doubled punctuation."""
    t = unicodedata.normalize("NFKC", text)
    t = re.sub(r"\s+", "", t)
    t = t.translate(str.maketrans({"【": "(", "〔": "(", "〖": "(", "[": "(", "】": ")", "〕": ")", "〗": ")", "]": ")",
                                   "〈": "<", "《": "<", "〉": ">", "》": ">", "“": '"', "”": '"', "、": ",",
                                   ".": ","}))
    t = re.sub(r"([,;:?!。])\1+", r"\1", t)
    t = re.sub(r"(?<=年)0(?=\d月)|(?<=月)0(?=\d日)", "", t)
    return re.sub(r"(?<=\))[,]", "", t)  # （一）、 → （一）


SETTINGS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(reports(), st.booleans())
def test_fixing_is_idempotent(text, unsafe):
    once = apply_text_fixes(ENGINE, text, G, unsafe=unsafe)
    assert apply_text_fixes(ENGINE, once, G, unsafe=unsafe) == once


@SETTINGS
@given(reports())
def test_safe_fixes_keep_the_words_and_the_lines(text):
    out = apply_text_fixes(ENGINE, text, G, unsafe=False)
    assert canon(out) == canon(text)
    # line breaks are never touched: the same number of lines, each with the same ending
    assert [ln[len(ln.rstrip("\r\n\x0b\u2028")):] for ln in out.splitlines(True)] == \
           [ln[len(ln.rstrip("\r\n\x0b\u2028")):] for ln in text.splitlines(True)]


@SETTINGS
@given(reports())
def test_no_safe_g_fix_left_after_fixing(text):
    out, left, _ = fix_text(ENGINE, text, G, unsafe=False)
    assert not [d for d in left if d.fix and d.fix.applicability is Applicability.SAFE]
    assert not [d for d in g_findings(out) if d.fix and d.fix.applicability is Applicability.SAFE]


@SETTINGS
@given(reports(), st.booleans())
# one fix with edits on two lines, the later line's at a smaller column (edits are matched in document order)
@example("叶城县河园镇人民政府政府信息公开工作年度报告\n一、总体情况\n （二）\n（三）政府信息管理\n政府\n", False)
def test_edits_land_on_the_characters_the_check_saw(text, markdown):
    """Every edit is placed on exactly the characters of the block the check read (columns are source columns)."""
    if markdown:
        text = "# " + text
    doc = parse(text, "t.md" if markdown else "t.txt", markdown)
    blocks = list(doc.blocks)  # before analyse splits long blocks
    _, diags = ENGINE.check_document(doc, G)
    lines = Lines(text)
    chosen = choose(diags, True, lines.place)
    for d, changes in chosen:
        for e, c in zip(sorted(d.fix.edits, key=lambda e: (e.location.line, e.location.column)), changes):
            # the part of a block on the edit's line (a Markdown paragraph may join lines)
            column, seen = next(seg for b in blocks if (seg := b.segment(e.location.line))
                                and seg[0] <= e.location.column <= seg[0] + len(seg[1]))
            assert text[c.start:c.end] == seen[e.location.column - column:e.location.end_column - column]
    # and nothing outside them changes
    new = apply_changes(text, chosen)
    spans = sorted((c.start, c.end, c.content) for _, cs in chosen for c in cs)
    rebuilt, pos = [], 0
    for s, e, content in spans:
        rebuilt.append(text[pos:s])
        rebuilt.append(content)
        pos = e
    rebuilt.append(text[pos:])
    assert new == "".join(rebuilt)
    assert all(not (a[1] > b[0]) for a, b in itertools.pairwise(spans))  # accepted edits never overlap


def test_overlapping_fixes_wait_for_the_next_round():
    # G108 (the parentheses) and G101 (the brackets inside them) both fix this span; both end up applied
    text = "六、其他需要报告的事项\n按照国办函(2020)109号和(国办函【2020】109号)执行,未收费。\n"
    out, left, count = fix_text(ENGINE, text, G)
    assert out.splitlines()[1] == "按照国办函〔2020〕109号和（国办函〔2020〕109号）执行，未收费。"
    assert count >= 4 and not left


def test_choose_is_deterministic_and_skips_unplaceable():
    text = "六、其他需要报告的事项\n按照<办法>执行,未收费;特此报告。\n"
    diags = g_findings(text)
    a = choose(diags, True, Lines(text).place)
    b = choose(list(reversed(diags)), True, Lines(text).place)
    assert [(d.code, c) for d, c in a] == [(d.code, c) for d, c in b]
    assert choose(diags, True, lambda e: None) == []
    assert all(d.fix.applicability is Applicability.SAFE for d, _ in choose(diags, False, Lines(text).place))


# ---------------------------------------------------------------- text files: encodings, endings, atomic writes
REPORT = ("叶城县河园镇人民政府 2024 年政府信息公开工作年度报告\n一、总体情况\n(一)主动公开方面:本年度主动公开信息 998 条。\n"
          "六、其他需要报告的事项\n本机关按照《国务院办公厅关于印发<政府信息公开信息处理费管理办法>的通知》"
          "(国办函【2020】109号)规定,未收取信息处理费。\n叶城县河园镇人民政府\n2025年1月20日\n")
FIXED = ("叶城县河园镇人民政府2024年政府信息公开工作年度报告\n一、总体情况\n（一）主动公开方面：本年度主动公开信息998条。\n"
         "六、其他需要报告的事项\n本机关按照《国务院办公厅关于印发〈政府信息公开信息处理费管理办法〉的通知》"
         "（国办函〔2020〕109号）规定，未收取信息处理费。\n叶城县河园镇人民政府\n2025年1月20日\n")


@pytest.mark.parametrize("encoding,bom", [("utf-8", b""), ("utf-8", codecs.BOM_UTF8), ("gb18030", b""),
                                          ("utf-16-le", codecs.BOM_UTF16_LE), ("utf-16-be", codecs.BOM_UTF16_BE)])
@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_text_fix_keeps_encoding_bom_and_line_endings(tmp_path, encoding, bom, newline):
    path = tmp_path / "report.txt"
    path.write_bytes(bom + REPORT.replace("\n", newline).encode(encoding))
    result = fix_file(ENGINE, path, G)
    assert result.error is None and result.fixed >= 7
    data = path.read_bytes()
    assert data == bom + FIXED.replace("\n", newline).encode(encoding)
    assert not [d for d in result.diagnostics if d.fix and d.fix.applicability is Applicability.SAFE]


def test_gb18030_seed_only_changed_lines_differ(tmp_path):
    need_corpus()
    text = seed("003").read_text(encoding="utf-8")
    path = tmp_path / "003.txt"
    path.write_bytes(text.replace("\n", "\r\n").encode("gb18030"))
    before = path.read_bytes().split(b"\r\n")
    result = fix_file(ENGINE, path, Options(select=["G1"]))
    after = path.read_bytes().split(b"\r\n")
    assert len(before) == len(after) and result.fixed
    changed = [i + 1 for i, (a, b) in enumerate(zip(before, after)) if a != b]
    assert changed == [3, 9, 19, 21, 23, 84, 92]
    assert b"\r\n" not in b"".join(after) and after[91].decode("gb18030").count("〔2020〕109号") == 1


def test_mixed_line_endings_and_odd_separators(tmp_path):
    path = tmp_path / "r.txt"
    raw = "标题 2024 年政府信息公开工作年度报告\r\n一、总体情况\n2024 年\x0b共 3 条\r\n六、其他需要报告的事项\r无,特此报告。"
    path.write_bytes(raw.encode("utf-8"))
    fix_file(ENGINE, path, G)
    assert path.read_bytes().decode("utf-8") == \
        "标题2024年政府信息公开工作年度报告\r\n一、总体情况\n2024年\x0b共3条\r\n六、其他需要报告的事项\r无，特此报告。"


def test_markdown_heading_columns(tmp_path):
    path = tmp_path / "r.md"
    path.write_text("# 伊川县酒后镇人民政府 2024 年政府信息公开工作年度报告\n\n## 一、总体情况\n\n(一) 主动公开:共 998 条。\n",
                    encoding="utf-8")
    fix_file(ENGINE, path, G)
    assert path.read_text(encoding="utf-8") == \
        "# 伊川县酒后镇人民政府2024年政府信息公开工作年度报告\n\n## 一、总体情况\n\n（一）主动公开：共998条。\n"


def test_diff_only_writes_nothing(tmp_path):
    path = tmp_path / "r.txt"
    path.write_text(REPORT, encoding="utf-8")
    result = fix_file(ENGINE, path, G, diff_only=True)
    assert path.read_text(encoding="utf-8") == REPORT
    lines = result.diff.splitlines()
    assert lines[0] == f"--- a/{path.as_posix()}" and lines[1] == f"+++ b/{path.as_posix()}"
    assert "-(一)主动公开方面:本年度主动公开信息 998 条。" in lines and "+（一）主动公开方面：本年度主动公开信息998条。" in lines
    assert result.fixed >= 7 and result.diff.endswith("\n")


def test_nothing_to_fix_leaves_the_file_alone(tmp_path):
    path = tmp_path / "r.txt"
    path.write_text(FIXED, encoding="utf-8")
    inode = path.stat().st_ino
    result = fix_file(ENGINE, path, G)
    assert result.fixed == 0 and result.diff is None and path.stat().st_ino == inode


def test_atomic_write_keeps_mode_and_cleans_up(tmp_path, monkeypatch):
    path = tmp_path / "r.txt"
    path.write_text(REPORT, encoding="utf-8")
    os.chmod(path, 0o640)
    fix_file(ENGINE, path, G)
    assert stat.S_IMODE(path.stat().st_mode) == 0o640 and path.read_text(encoding="utf-8") == FIXED

    path.write_text(REPORT, encoding="utf-8")

    def boom(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", boom)
    result = fix_file(ENGINE, path, G)
    assert result.error and "无法写入文件" in result.error and result.fixed == 0
    assert path.read_text(encoding="utf-8") == REPORT  # untouched
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.txt"]  # no temporary file left


def test_symlink_stays_a_link(tmp_path):
    target = tmp_path / "real.txt"
    target.write_text(REPORT, encoding="utf-8")
    link = tmp_path / "link.txt"
    link.symlink_to(target)
    fix_file(ENGINE, link, G)
    assert link.is_symlink() and target.read_text(encoding="utf-8") == FIXED


def test_unsafe_only_with_the_flag(tmp_path):
    path = tmp_path / "r.txt"
    text = "一、总体情况\n下步措施：一是加强学习。二是拓展渠道。二是强化考核。\n"
    path.write_text(text, encoding="utf-8")
    result = fix_file(ENGINE, path, G)
    assert path.read_text(encoding="utf-8") == text and [d.code for d in result.diagnostics] == ["G111"]
    result = fix_file(ENGINE, path, G, unsafe=True)
    assert path.read_text(encoding="utf-8") == "一、总体情况\n下步措施：一是加强学习。二是拓展渠道。三是强化考核。\n"
    assert result.fixed == 1 and result.diagnostics == []


def test_input_errors_as_in_check(tmp_path):
    empty = tmp_path / "e.txt"
    empty.write_bytes(b"")
    assert fix_file(ENGINE, empty, G).error == ENGINE.check_path(empty, G).error
    binary = tmp_path / "b.txt"
    binary.write_bytes(bytes(range(256)) * 20)
    assert fix_file(ENGINE, binary, G).error


def test_pdf_is_reported_once_not_fixed(tmp_path, capsys, monkeypatch):
    need_corpus()
    monkeypatch.setattr(fix, "TOLD", set())
    pdfs = sorted(FIXTURES.glob("00[03]_*.pdf"))
    copies = []
    for p in pdfs:
        shutil.copy(p, tmp_path / p.name)
        copies.append(tmp_path / p.name)
    results = [fix_file(ENGINE, p, G) for p in copies]
    err = capsys.readouterr().err
    assert err.count(fix.PDF_NOT_FIXABLE) == 1
    assert all(r.error is None and r.fixed == 0 for r in results)
    assert any(d.code.startswith("G") for r in results for d in r.diagnostics)
    assert [p.read_bytes() for p in copies] == [p.read_bytes() for p in pdfs]


def test_findings_in_a_file_fix_cannot_change_offer_no_fix(capsys):
    """The rules that fix a .docx fix nothing in its PDF: no [*], none counted, no fix in JSON (trial item 10)."""
    need_corpus()
    from gpalint.cli import main
    docx, pdf = FIXTURES / "003_0ab25f721fbf8f7b.docx", FIXTURES / "003_0ab25f721fbf8f7b.pdf"
    assert any(d.fix for d in ENGINE.check_path(docx, G).diagnostics)  # the same rules can fix the Word file
    found = ENGINE.check_path(pdf, G).diagnostics
    assert found and not any(d.fix for d in found)
    main(["check", "--no-cache", str(pdf)])
    out = capsys.readouterr().out
    assert "[*]" not in out and "--fix" not in out
    main(["check", "--no-cache", "--format", "json", str(pdf)])
    assert not any(d.get("fix") for d in json.loads(capsys.readouterr().out))


# ---------------------------------------------------------------- Word files
def _xml(path: Path) -> etree._Element:
    with zipfile.ZipFile(path) as z:
        return etree.fromstring(z.read("word/document.xml"))


def _texts(root) -> list[str]:
    return ["".join(t.text or "" for t in p.iter(W + "t")) for p in root.iter(W + "p")]


def assert_only_text_changed(before: Path, after: Path) -> None:
    """Same zip members (all but document.xml byte for byte); in document.xml the same elements with the same
    attributes in the same order (xml:space="preserve" may be added to a w:t); only w:t texts differ."""
    with zipfile.ZipFile(before) as a, zipfile.ZipFile(after) as b:
        assert [i.filename for i in a.infolist()] == [i.filename for i in b.infolist()]
        for i in a.infolist():
            if i.filename != "word/document.xml":
                assert a.read(i) == b.read(i.filename), i.filename
    ea, eb = list(_xml(before).iter()), list(_xml(after).iter())
    assert len(ea) == len(eb)
    for x, y in zip(ea, eb):
        assert x.tag == y.tag
        ax, ay = dict(x.attrib), dict(y.attrib)
        if x.tag == W + "t":
            ay.pop("{http://www.w3.org/XML/1998/namespace}space", None)
            ax.pop("{http://www.w3.org/XML/1998/namespace}space", None)
        else:
            assert (x.text or "") == (y.text or "")
        assert ax == ay
        assert (x.tail or "") == (y.tail or "")


@pytest.mark.parametrize("n", ["000", "001", "002", "003", "004"])
def test_docx_fixture_round_trip(tmp_path, n):
    need_corpus()
    import docx
    src = next(FIXTURES.glob(f"{n}_*.docx"))
    path = tmp_path / src.name
    shutil.copy(src, path)
    check = ENGINE.check_path(path, G)
    result = fix_file(ENGINE, path, G)
    assert result.error is None
    safe_before = [d for d in check.diagnostics if d.fix and d.fix.applicability is Applicability.SAFE]
    if not safe_before:
        assert path.read_bytes() == src.read_bytes() and result.fixed == 0
        return
    assert result.fixed >= len(safe_before)
    assert_only_text_changed(src, path)
    # what is left is what a fresh check finds, and no safe G fix is among it
    again = ENGINE.check_path(path, G)
    assert [(d.code, d.location) for d in again.diagnostics] == [(d.code, d.location) for d in result.diagnostics]
    assert not [d for d in again.diagnostics if d.fix and d.fix.applicability is Applicability.SAFE]
    # python-docx opens it; every run keeps its formatting
    old, new = docx.Document(str(src)), docx.Document(str(path))
    assert len(old.paragraphs) == len(new.paragraphs)
    for p, q in zip(old.paragraphs, new.paragraphs):
        assert [(r.bold, r.italic, r.font.size, r.font.name, r.style.name) for r in p.runs] == \
               [(r.bold, r.italic, r.font.size, r.font.name, r.style.name) for r in q.runs]
    # the changed paragraphs are exactly those with a safe finding, and their text is the text fix of it
    changed = [i + 1 for i, (a, b) in enumerate(zip(_texts(_xml(src)), _texts(_xml(path)))) if a != b]
    assert changed == sorted({d.location.line for d in safe_before})


def test_docx_fix_is_not_rewritten_twice(tmp_path):
    need_corpus()
    src = next(FIXTURES.glob("003_*.docx"))
    path = tmp_path / "r.docx"
    shutil.copy(src, path)
    fix_file(ENGINE, path, G)
    data, inode = path.read_bytes(), path.stat().st_ino
    result = fix_file(ENGINE, path, G)
    assert result.fixed == 0 and path.read_bytes() == data and path.stat().st_ino == inode


def test_docx_diff_only(tmp_path):
    need_corpus()
    src = next(FIXTURES.glob("003_*.docx"))
    path = tmp_path / "r.docx"
    shutil.copy(src, path)
    result = fix_file(ENGINE, path, G, diff_only=True)
    assert path.read_bytes() == src.read_bytes()
    assert "+叶城县河园镇人民政府2024年政府信息公开 工作年度报告" in result.diff.splitlines()
    assert any(line.startswith("+") and "〔2020〕109号" in line for line in result.diff.splitlines())


def _build(path: Path, build) -> None:
    import docx
    d = docx.Document()
    d.add_paragraph("叶城县河园镇人民政府2024年政府信息公开工作年度报告")
    d.add_paragraph("一、总体情况")
    build(d)
    d.add_paragraph("六、其他需要报告的事项")
    d.add_paragraph("本年度未收取信息处理费。")
    d.save(str(path))


def test_docx_edit_spanning_runs_keeps_each_runs_formatting(tmp_path):
    from docx.shared import Pt
    path = tmp_path / "runs.docx"

    def build(d):
        p = d.add_paragraph()
        a = p.add_run("(一)")
        a.bold = True
        b = p.add_run(" 主动公开：全年公开 ")
        b.font.size = Pt(16)
        c = p.add_run(" 998")
        c.italic = True
        p.add_run(" 条,其中国办函【20")
        p.add_run("20】109号文件 1 件。")

    _build(path, build)
    original = tmp_path / "orig.docx"
    shutil.copy(path, original)
    result = fix_file(ENGINE, path, G)
    assert result.error is None
    import docx
    runs = docx.Document(str(path)).paragraphs[2].runs
    assert [r.text for r in runs] == ["（一）", "主动公开：全年公开", "998", "条，其中国办函〔20", "20〕109号文件1件。"]
    assert runs[0].bold and runs[1].font.size == Pt(16) and runs[2].italic
    assert_only_text_changed(original, path)


def test_docx_generated_numbering_is_not_edited(tmp_path):
    path = tmp_path / "num.docx"

    def build(d):
        d.add_paragraph("主动公开 2024 年共 998 条。", style="List Number")

    _build(path, build)
    result = fix_file(ENGINE, path, G)
    import docx
    assert docx.Document(str(path)).paragraphs[2].text == "主动公开2024年共998条。"
    assert result.fixed and not result.diagnostics


def test_docx_edits_on_generated_or_non_text_characters_are_refused(tmp_path):
    path = tmp_path / "num.docx"

    def build(d):
        d.add_paragraph("主动公开 2024 年。", style="List Number")
        p = d.add_paragraph("see")
        p.add_run().add_break()
        p.add_run("Table 1")
        t = d.add_table(rows=1, cols=2)
        t.cell(0, 0).text = "  行政许可 "
        t.cell(0, 1).text = "3"

    _build(path, build)
    target = WordTarget(ENGINE, G, load(path.read_bytes(), str(path)))
    place = target.place
    by_text = {b.text: b for b in target.body.doc.blocks}
    numbered = by_text["1.主动公开 2024 年。"]
    refused = place(Edit(Location(numbered.line, 1, numbered.line, 2), "一"))  # inside "1."
    assert isinstance(refused, fix.Unplaced) and "自动生成" in refused.reason
    assert isinstance(place(Edit(Location(numbered.line, 7, numbered.line, 8), "")), fix.Change)  # after 公开
    broken = by_text["see Table 1"]
    assert isinstance(place(Edit(Location(broken.line, 4, broken.line, 5), "")), fix.Unplaced)  # a soft break's space
    assert isinstance(place(Edit(Location(broken.line, 10, broken.line, 11), "")), fix.Change)
    cell = by_text["行政许可"]
    c = place(Edit(Location(cell.line, 3, cell.line, 5), "审批"))  # 许可 in the cell " 行政许可 " (stripped)
    assert isinstance(c, fix.Change)
    apply_edit(*c.where, "审批")
    xml = etree.tostring(target.word.root)
    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(tmp_path / "out.docx", "w") as zout:
        for info in zin.infolist():
            zout.writestr(info, xml if info.filename == "word/document.xml" else zin.read(info))
    import docx
    assert docx.Document(str(tmp_path / "out.docx")).tables[0].cell(0, 0).text == "  行政审批 "


def test_docx_that_needs_nothing_is_not_rewritten(tmp_path):
    path = tmp_path / "clean.docx"
    _build(path, lambda d: d.add_paragraph("（一）主动公开：2024年共998条。"))
    data, inode = path.read_bytes(), path.stat().st_ino
    result = fix_file(ENGINE, path, G)
    assert result.fixed == 0 and path.read_bytes() == data and path.stat().st_ino == inode


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_fixed_docx_converts_to_pdf(tmp_path):
    need_corpus()
    path = tmp_path / "r.docx"
    shutil.copy(next(FIXTURES.glob("003_*.docx")), path)
    assert fix_file(ENGINE, path, G).fixed
    subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(path)],
                   check=True, capture_output=True, timeout=180)
    pdf = tmp_path / "r.pdf"
    assert pdf.exists() and pdf.read_bytes().startswith(b"%PDF")
    from gpalint.readers import read
    text = "".join(b.text for b in read(pdf).blocks)  # LibreOffice rendered the fixed text
    assert "〔2020〕109号" in text and "【2020】" not in text


# ---------------------------------------------------------------- the command line
def test_cli_fix_and_diff(tmp_path):
    need_corpus()
    for p in [seed("003"), next(FIXTURES.glob("003_*.docx"))]:
        shutil.copy(p, tmp_path / p.name)
    env = {**os.environ, "NO_COLOR": "1"}
    cmd = [sys.executable, "-m", "gpalint", "check", "--select", "G", "--diff", str(tmp_path)]
    diff = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=ROOT)
    assert diff.returncode == 1 and "+++ b/" in diff.stdout and "〔2020〕109号" in diff.stdout
    assert all(line[0] in " +-@" for line in diff.stdout.splitlines() if line and not line.startswith(("---", "+++")))
    fixed = subprocess.run(cmd[:-2] + ["--fix", str(tmp_path)], capture_output=True, text=True, env=env, cwd=ROOT)
    assert "已修复" in fixed.stdout
    left = subprocess.run(cmd[:-2] + ["--format", "json", str(tmp_path)], capture_output=True, text=True, env=env,
                          cwd=ROOT)
    import json
    assert {d["code"] for d in json.loads(left.stdout)} == {"G111", "G114"}  # only unsafe ones remain


# ---------------------------------------------------------------- Word: one walk for reader and fixer (issue 9 §1)
def _runs(path: Path, line: int) -> list[tuple[str, bytes]]:
    """(text, rPr) of each run with text in body paragraph number ``line``."""
    p = list(_xml(path).iter(W + "p"))[line - 1]
    return [("".join(t.text or "" for t in r.iter(W + "t")),
             etree.tostring(r.find(W + "rPr")) if r.find(W + "rPr") is not None else b"")
            for r in p.iter(W + "r") if r.find(W + "t") is not None]


def test_soft_break_after_a_digit_is_no_space_and_the_paragraph_is_fixed(tmp_path):
    path = wordml.write_docx(tmp_path / "br.docx", wordml.para(
        wordml.run("全年共收到申请326"), "<w:r><w:br/></w:r>", wordml.run("条，依据国办函【2020】109号办理。")))
    check = ENGINE.check_path(path, G)
    block = next(b for b in load(path.read_bytes(), str(path)).walk().doc.blocks if "326" in b.text)
    assert block.text == "全年共收到申请326条，依据国办函【2020】109号办理。"  # no space nobody typed
    assert [d.code for d in check.diagnostics] == ["G101"]  # no G107
    result = fix_file(ENGINE, path, G)
    assert result.error is None and result.fixed == 1 and result.diagnostics == []
    assert _texts(_xml(path))[2] == "全年共收到申请326条，依据国办函〔2020〕109号办理。"
    assert len(list(_xml(path).iter(W + "br"))) == 1  # the line break stays


def test_edit_spanning_differently_formatted_runs_keeps_each_format(tmp_path):
    red, blue = '<w:b/><w:color w:val="FF0000"/>', '<w:i/><w:color w:val="0000FF"/>'
    path = wordml.write_docx(tmp_path / "fmt.docx", wordml.para(
        wordml.run("本年度（"), wordml.run("２０", red), wordml.run("２４", blue), wordml.run("年）公开信息998条。")))
    before = _runs(path, 3)
    result = fix_file(ENGINE, path, G)
    assert result.error is None and result.fixed == 1
    after = _runs(path, 3)
    assert [t for t, _ in after] == ["本年度（", "20", "24", "年）公开信息998条。"]
    assert [f for _, f in after] == [f for _, f in before]  # bold red 20, italic blue 24

    # a replacement of another length across those runs cannot keep both formats: refused, with the reason
    path = wordml.write_docx(tmp_path / "fmt2.docx", wordml.para(wordml.run("２０", red), wordml.run("２４年", blue)))
    target = WordTarget(ENGINE, G, load(path.read_bytes(), str(path)))
    placed = target.place(Edit(Location(3, 1, 3, 5), "二〇二四年度"))
    assert isinstance(placed, fix.Unplaced) and "格式不同" in placed.reason
    assert isinstance(target.place(Edit(Location(3, 1, 3, 5), "2024")), fix.Change)  # one for one: fine
    assert isinstance(target.place(Edit(Location(3, 2, 3, 4), "")), fix.Change)  # deleting: fine


@pytest.mark.parametrize("field", [
    '<w:fldSimple w:instr=" DATE \\@ &quot;yyyy年M月&quot; "><w:r><w:t xml:space="preserve">2024 年1月</w:t></w:r>'
    '</w:fldSimple>',
    '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> REF _Ref1 </w:instrText></w:r>'
    '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t xml:space="preserve">2024 年1月</w:t></w:r>'
    '<w:r><w:fldChar w:fldCharType="end"/></w:r>',
])
def test_field_results_are_not_fixed_and_say_why(tmp_path, field):
    path = wordml.write_docx(tmp_path / "field.docx", wordml.para(wordml.run("截至"), field,
                                                                  wordml.run("，共公开 998 条。")))
    check = ENGINE.check_path(path, G)
    assert sum(d.fix is not None for d in check.diagnostics) == 2  # the check proposes both G107 fixes
    data = path.read_bytes()
    result = fix_file(ENGINE, path, G)
    assert result.error is None and result.fixed == 1  # 「998 条」: typed text
    left = [d for d in result.diagnostics if d.code == "G107"]
    assert len(left) == 1 and left[0].fix is None and "域" in left[0].hint  # 「2024 年」: a field result
    assert path.read_bytes() != data and "2024 年1月" in _texts(_xml(path))[2]
    from gpalint.output import render
    from gpalint.rules import builtin_rules
    assert "可用 --fix 自动修复" not in render("text", [result], dict(builtin_rules()))


# ---------------------------------------------------------------- a --fix that cannot lose a user's work (issue 14)
def _changing(monkeypatch, path: Path, content: bytes):
    """Make the engine save ``content`` to ``path`` (another program saving it) while the fix is checking."""
    original = ENGINE.check_document
    calls = []

    def check_document(doc, options):
        calls.append(1)
        if len(calls) == 2:
            path.write_bytes(content)
        return original(doc, options)

    monkeypatch.setattr(ENGINE, "check_document", check_document)


def test_a_text_file_saved_during_the_fix_is_left_alone(tmp_path, monkeypatch):
    path = tmp_path / "r.txt"
    path.write_text(REPORT, encoding="utf-8")
    theirs = (REPORT + "新加的一段。\n").encode("utf-8")
    _changing(monkeypatch, path, theirs)
    result = fix_file(ENGINE, path, G)
    assert result.error == fix.writer.CHANGED and result.fixed == 0
    assert path.read_bytes() == theirs and sorted(p.name for p in tmp_path.iterdir()) == ["r.txt"]


def test_a_docx_saved_during_the_fix_is_left_alone(tmp_path, monkeypatch):
    path = wordml.write_docx(tmp_path / "r.docx", wordml.para(wordml.run("共公开 998 条。")))
    other = wordml.write_docx(tmp_path / "other.docx", wordml.para(wordml.run("另一个版本 2024 年。")))
    theirs = other.read_bytes()
    other.unlink()
    _changing(monkeypatch, path, theirs)
    result = fix_file(ENGINE, path, G)
    assert result.error == fix.writer.CHANGED and result.fixed == 0
    assert path.read_bytes() == theirs and sorted(p.name for p in tmp_path.iterdir()) == ["r.docx"]


def test_the_fix_uses_the_text_it_read(tmp_path, monkeypatch):
    """Findings and edits come from one read: a change after it is detected, never merged into (「公室224年」)."""
    path = tmp_path / "r.txt"
    path.write_text("一、总体情况\n本机关办公室 2024 年共公开 998 条。\n", encoding="utf-8")
    reads = []
    real = Path.read_bytes

    def read_bytes(self):
        reads.append(self)
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    result = fix_file(ENGINE, path, G)
    assert result.fixed == 1 and path.read_text(encoding="utf-8") == "一、总体情况\n本机关办公室2024年共公开998条。\n"
    assert reads == []  # read once, by the fixer's own snapshot (not again through the reader)


def test_read_only_file_is_refused(tmp_path):
    path = tmp_path / "r.txt"
    path.write_text(REPORT, encoding="utf-8")
    os.chmod(path, 0o444)
    result = fix_file(ENGINE, path, G)
    assert "只读" in result.error and path.read_text(encoding="utf-8") == REPORT and result.fixed == 0
    assert fix_file(ENGINE, path, G, diff_only=True).diff  # --diff writes nothing: allowed


def test_hard_linked_file_is_refused(tmp_path):
    path = wordml.write_docx(tmp_path / "r.docx", wordml.para(wordml.run("共公开 998 条。")))
    os.link(path, tmp_path / "link.docx")
    data = path.read_bytes()
    result = fix_file(ENGINE, path, G)
    assert "2 个硬链接" in result.error and "其他链接仍指向旧内容" in result.error and result.fixed == 0
    assert path.read_bytes() == data == (tmp_path / "link.docx").read_bytes()


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root to give a file away")
def test_owner_and_group_are_kept_as_root(tmp_path):
    path = tmp_path / "r.txt"
    path.write_text(REPORT, encoding="utf-8")
    os.chown(path, 4321, 4322)
    os.chmod(path, 0o664)
    result = fix_file(ENGINE, path, G)
    st = path.stat()
    assert result.fixed and (st.st_uid, st.st_gid, stat.S_IMODE(st.st_mode)) == (4321, 4322, 0o664)


def test_doctype_is_refused_for_fixing_and_entities_are_read(tmp_path):
    prolog = '<!DOCTYPE w:document [<!ENTITY town "河园镇">]>'
    body = "<w:p><w:r><w:t>叶城县&town;人民政府 2024 年共公开 998 条。</w:t></w:r></w:p>"
    path = wordml.write_docx(tmp_path / "dtd.docx", body, prolog=prolog)
    doc = load(path.read_bytes(), str(path)).walk().doc
    assert "叶城县河园镇人民政府 2024 年共公开 998 条。" in [b.text for b in doc.blocks]  # text after &town; kept
    data = path.read_bytes()
    result = fix_file(ENGINE, path, G)
    assert result.error == fix.word.DOCTYPE_REFUSED and path.read_bytes() == data
    assert "\n" not in result.error


def test_leftover_temporary_file_is_removed(tmp_path):
    path = tmp_path / "r.txt"
    path.write_text(REPORT, encoding="utf-8")
    (tmp_path / ".gpalint-tmp-r.txt-abc_1234.tmp").write_text("半截", encoding="utf-8")  # a killed run's
    (tmp_path / ".gpalint-tmp-r.txt-abc_1234.tmp.keep").write_text("别的", encoding="utf-8")  # not ours
    (tmp_path / ".gpalint-tmp-s.txt-abc_1234.tmp").write_text("另一个文件的", encoding="utf-8")
    fix_file(ENGINE, path, G)
    assert sorted(p.name for p in tmp_path.iterdir()) == [".gpalint-tmp-r.txt-abc_1234.tmp.keep",
                                                          ".gpalint-tmp-s.txt-abc_1234.tmp", "r.txt"]
    assert path.read_text(encoding="utf-8") == FIXED


def test_interrupted_fix_leaves_the_file_and_a_recognisable_temporary(tmp_path, monkeypatch):
    path = tmp_path / "r.txt"
    path.write_text(REPORT, encoding="utf-8")

    def killed(src, dst):  # what a power cut between writing and renaming leaves
        raise SystemExit

    monkeypatch.setattr(os, "unlink", lambda p: None)
    monkeypatch.setattr(os, "replace", killed)
    with pytest.raises(SystemExit):
        fix_file(ENGINE, path, G)
    monkeypatch.undo()
    leftovers = [p.name for p in tmp_path.iterdir() if p.name != "r.txt"]
    assert len(leftovers) == 1 and leftovers[0].startswith(".gpalint-tmp-r.txt-")
    assert path.read_text(encoding="utf-8") == REPORT
    fix_file(ENGINE, path, G)
    assert [p.name for p in tmp_path.iterdir()] == ["r.txt"] and path.read_text(encoding="utf-8") == FIXED


def test_fix_copies_members_as_stored(tmp_path):
    """Members the fix does not change keep their stored bytes (compression, data descriptors included)."""
    path = tmp_path / "r.docx"
    media = [wordml.stream_member("word/media/image1.png", [bytes(range(256)) * 64]),
             ("word/media/stored.bin", lambda z: z.writestr(zipfile.ZipInfo("word/media/stored.bin"), b"raw" * 99))]
    wordml.write_docx(tmp_path / "plain.docx", wordml.para(wordml.run("共公开 998 条。")), members=media)

    class Unseekable:  # zipfile writes a data descriptor after each member when it cannot seek back
        def __init__(self, fh):
            self.fh = fh

        def write(self, b):
            return self.fh.write(b)

        def flush(self):
            self.fh.flush()

    with zipfile.ZipFile(tmp_path / "plain.docx") as zin, path.open("wb") as fh, \
            zipfile.ZipFile(Unseekable(fh), "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(info, zin.read(info), compress_type=info.compress_type)
    original = path.read_bytes()
    with zipfile.ZipFile(path) as z:
        assert all(i.flag_bits & 0x08 for i in z.infolist())
    assert fix_file(ENGINE, path, G).fixed == 1
    with zipfile.ZipFile(tmp_path / "r.docx") as new, zipfile.ZipFile(io.BytesIO(original)) as old:
        assert new.testzip() is None and [i.filename for i in new.infolist()] == [i.filename for i in old.infolist()]
        for a in old.infolist():
            b = new.getinfo(a.filename)
            if a.filename != "word/document.xml":
                assert (b.compress_type, b.CRC, b.file_size) == (a.compress_type, a.CRC, a.file_size)
                assert stored(original, a) == stored(path.read_bytes(), b), a.filename
    assert _texts(_xml(path))[2] == "共公开998条。"


def stored(data: bytes, info: zipfile.ZipInfo) -> bytes:
    at = info.header_offset
    n, m = int.from_bytes(data[at + 26:at + 28], "little"), int.from_bytes(data[at + 28:at + 30], "little")
    return data[at + 30 + n + m:at + 30 + n + m + info.compress_size]


def test_fix_never_inflates_a_member_it_does_not_change(tmp_path):
    """A 512 MiB image (2 MB on disk) beside the text: the fix runs in 200 MB of extra address space."""
    path = tmp_path / "bomb.docx"
    zeros = bytes(1 << 20)
    wordml.write_docx(path, wordml.para(wordml.run("共公开 998 条。")), level=1,
                      members=[wordml.stream_member("word/media/image1.png", (zeros for _ in range(512)))])
    got = wordml.run_limited("fix", path, headroom_mb=200)
    assert got["error"] is None and got["fixed"] == 1, got
    with zipfile.ZipFile(path) as z:
        assert z.getinfo("word/media/image1.png").file_size == 512 << 20
    print("\nhostile: 512 MiB member, --fix:", got)
