"""--fix and --diff: properties of fixing text, encodings and line endings kept, atomic writes, Word files edited at
run level with nothing else in the package changed, PDFs left alone."""
from __future__ import annotations

import codecs
import itertools
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
from conftest import CORPUS, ROOT, need_corpus, seed
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

import gpalint.fix as fix
from gpalint.engine import Engine, Options
from gpalint.fix import apply_text_fixes, choose, fix_file, fix_text
from gpalint.model import Applicability, Edit, Location
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
def test_edits_land_on_the_characters_the_check_saw(text, markdown):
    """Every edit is placed on exactly the characters of the block the check read (columns are source columns)."""
    if markdown:
        text = "# " + text
    doc = parse(text, "t.md" if markdown else "t.txt", markdown)
    blocks = list(doc.blocks)  # before analyse splits long blocks
    _, diags = ENGINE.check_document(doc, G)
    lines = fix._Lines(text)
    chosen = choose(diags, True, lines.place)
    for d, changes in chosen:
        for e, c in zip(sorted(d.fix.edits, key=lambda e: e.location.column), changes):
            # the part of a block on the edit's line (a Markdown paragraph may join lines)
            column, seen = next(seg for b in blocks if (seg := b.segment(e.location.line))
                                and seg[0] <= e.location.column <= seg[0] + len(seg[1]))
            assert text[c.start:c.end] == seen[e.location.column - column:e.location.end_column - column]
    # and nothing outside them changes
    new = fix._apply_text(text, chosen)
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
    a = choose(diags, True, fix._Lines(text).place)
    b = choose(list(reversed(diags)), True, fix._Lines(text).place)
    assert [(d.code, c) for d, c in a] == [(d.code, c) for d, c in b]
    assert choose(diags, True, lambda e: None) == []
    assert all(d.fix.applicability is Applicability.SAFE for d, _ in choose(diags, False, fix._Lines(text).place))


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
    monkeypatch.setattr(fix, "_told", set())
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
    docx_ = fix._Docx(path)
    doc, loc = docx_.read()
    place, _ = fix._docx_placer(docx_, doc, loc)
    by_text = {b.text: b for b in doc.blocks}
    numbered = by_text["1.主动公开 2024 年。"]
    assert place(Edit(Location(numbered.line, 1, numbered.line, 2), "一")) is None  # inside "1."
    assert place(Edit(Location(numbered.line, 7, numbered.line, 8), "")) is not None  # the space after 公开
    broken = by_text["see Table 1"]
    assert place(Edit(Location(broken.line, 4, broken.line, 5), "")) is None  # the space a soft break stands for
    assert place(Edit(Location(broken.line, 10, broken.line, 11), "")) is not None
    cell = by_text["行政许可"]
    c = place(Edit(Location(cell.line, 3, cell.line, 5), "审批"))  # 许可 in the cell " 行政许可 " (stripped)
    assert c is not None
    _, paragraph = fix._docx_placer(docx_, doc, loc)
    paragraph(cell.line).apply([(c.where[1][0], c.where[1][1], "审批")])
    docx_.save(path)
    import docx
    assert docx.Document(str(path)).tables[0].cell(0, 0).text == "  行政审批 "


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
