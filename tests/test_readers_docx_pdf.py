"""The Word and PDF readers: blocks, locations, tables and headings as the pipeline needs them, and one clear
Chinese error for every file they cannot read.

Corpus tests use tests/corpus (copied from tests/corpus) (five real reports as .txt seeds, .docx and .pdf built from them); the files in
tests/fixtures/ come from tests/make_docx_fixtures.py."""
from __future__ import annotations

import io
import json
import re
import shutil
import zipfile
from pathlib import Path

import pytest
import wordml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from gpalint.document import Block, Cell
from gpalint.model import InputError
from gpalint.readers import docx as docx_reader
from gpalint.readers import read
from gpalint.readers.docx.body import soft_breaks
from gpalint.readers.docx.numbering import Numbering
from gpalint.readers.docx.package import Names
from gpalint.readers.docx.styles import Styles

HERE = Path(__file__).resolve().parent
FIXTURES = HERE / "fixtures"
CORPUS = HERE / "corpus"
SEEDS = ["000_93445c37e83f1c72", "001_61f640e52d4e149d", "002_f6d5d9399982572c", "003_0ab25f721fbf8f7b",
         "004_233be8da4349a759"]
NUMBER = re.compile(r"^\d+(?:\.\d+)?$")
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
SECTION = re.compile(r"^#*\s*([一二三四五六])、\s*(总体情况|主动公开政府信息情况|收到和处理政府信息公开申请情况|"
                     r"政府信息公开行政复议、行政诉讼情况|存在的主要问题及改进情况|其他需要报告的事项)\s*$")

_cache: dict[str, object] = {}


def corpus(stem: str, ext: str) -> Path:
    path = CORPUS / ("seeds" if ext == "txt" else "fixtures") / f"{stem}.{ext}"
    assert path.is_file(), f"{path} is missing from tests/corpus"
    return path


def doc_of(path: Path):
    key = str(path)
    if key not in _cache:
        _cache[key] = read(path)
    return _cache[key]


def cells(doc, table: int) -> list[Block]:
    return [b for b in doc.blocks if b.cell is not None and b.cell.table == table]


def texts(blocks) -> list[str]:
    return [b.text for b in blocks]


def after(seq: list[str], label: str, n: int) -> list[str]:
    i = seq.index(label)
    return seq[i + 1:i + 1 + n]


def seed_numbers(stem: str) -> dict[str, list[str]]:
    """The numbers of tables 二, 三, 四 of a seed, in text order (its sections 二–四 hold only the tables)."""
    out: dict[str, list[str]] = {"二": [], "三": [], "四": []}
    section = None
    for line in corpus(stem, "txt").read_text(encoding="utf-8").splitlines():
        m = SECTION.match(line.strip())
        if m:
            section = m.group(1)
        elif section in out:
            out[section] += [c.strip() for c in line.split("\t") if NUMBER.match(c.strip())]
    return out


# ---------------------------------------------------------------- Word: the corpus reports
def test_docx_seed001_heading_by_direct_formatting():
    doc = doc_of(corpus(SEEDS[1], "docx"))
    head = next(b for b in doc.blocks if b.text == "一、总体情况")
    assert head.bold and head.heading is None and head.cell is None  # bold 黑体 runs, Normal style
    assert next(b for b in doc.blocks if b.text == "（一）主动公开方面").bold
    body = next(b for b in doc.blocks if b.text.startswith("2024年，是全面贯彻"))
    assert not body.bold and "\n" not in body.text


def test_docx_seed000_heading_styles():
    doc = doc_of(corpus(SEEDS[0], "docx"))
    heads = [b.text for b in doc.blocks if b.heading == 1]
    assert heads == ["一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
                     "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项"]


def test_docx_seed001_tables_in_text_order():
    doc = doc_of(corpus(SEEDS[1], "docx"))
    t2, t3, t4 = (texts(cells(doc, n)) for n in (1, 2, 3))
    assert after(t2, "行政处罚", 1) == ["3"]
    assert t3[:5] == ["（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", "申请人情况", "自然人",
                      "法人或其他组织", "总计"]  # merged header cells once each, in row-major order
    assert after(t3, "一、本年新收政府信息公开申请数量", 7) == ["2", "0", "0", "0", "0", "0", "2"]
    assert after(t3, "三、本年度办理结果", 8) == ["（一）予以公开", "2", "0", "0", "0", "0", "0", "2"]
    assert after(t3, "（七）总计", 7) == ["2", "0", "0", "0", "0", "0", "2"]
    assert after(t3, "（三）不予公开", 2) == ["1.属于国家秘密", "0"]  # vertically merged label: once, first row
    assert len(t4) == 5 + 2 + 10 + 15 + 2  # 行政复议/行政诉讼 + 2 group labels … + 15 numbers


def test_docx_seed001_cells_know_their_place():
    doc = doc_of(corpus(SEEDS[1], "docx"))
    t3 = cells(doc, 2)
    total = next(b for b in t3 if b.text == "（七）总计")
    row = [b for b in t3 if b.cell.row == total.cell.row]
    assert [b.cell.col for b in row] == [2, 4, 5, 6, 7, 8, 9, 10]  # grid columns: 「（七）总计」 spans 2–3
    assert all(b.column == 1 and b.page is None for b in row)
    corner = t3[0]
    assert corner.cell == Cell(2, 1, 1)


@pytest.mark.parametrize("stem", SEEDS)
@pytest.mark.parametrize("ext", ["docx", "pdf"])
def test_numbers_of_the_three_tables_match_the_seed_text(stem, ext, pdf_engine):
    doc = doc_of(corpus(stem, ext))
    want = seed_numbers(stem)
    for table, key in ((1, "二"), (2, "三"), (3, "四")):
        got = [b.text for b in cells(doc, table) if NUMBER.match(b.text)]
        assert got == want[key], (ext, key)


@pytest.mark.parametrize("stem", SEEDS)
def test_pdf_tables_equal_docx_tables(stem, pdf_engine):
    d, p = doc_of(corpus(stem, "docx")), doc_of(corpus(stem, "pdf"))

    def grid(doc):  # cells with text: a page break leaves empty remainders of merged cells in the PDF only
        return [(b.cell, re.sub(r"\s", "", b.text)) for b in doc.blocks if b.cell and b.text.strip()]

    assert grid(p) == grid(d)


def _paragraph_texts(path: Path) -> list[str]:
    """Independent of the reader: the text of every body w:p (not in text boxes), in document order."""
    with zipfile.ZipFile(path) as z:
        root = etree.fromstring(z.read("word/document.xml"))
    out = []
    for p in root.find(f"{W}body").iter(f"{W}p"):
        if any(a.tag == f"{W}txbxContent" for a in p.iterancestors()):
            continue
        parts = []
        for el in p.iter(f"{W}t", f"{W}delText"):
            if el.tag == f"{W}t" and not any(a.tag in (f"{W}del", f"{W}moveFrom") for a in el.iterancestors()):
                parts.append(el.text or "")
        out.append("".join(parts))
    return out


@pytest.mark.parametrize("path", [lambda: corpus(SEEDS[1], "docx"), lambda: FIXTURES / "tracked_changes.docx"])
def test_docx_line_is_the_paragraph_number(path):
    path = path()
    paragraphs = _paragraph_texts(path)
    doc = doc_of(path)
    for b in doc.blocks:
        first = b.text.split(" ")[0] if b.cell else b.text
        assert paragraphs[b.line - 1].strip().startswith(first.strip()[:10]), (b.line, b.text)


# ---------------------------------------------------------------- Word: generated fixtures
def test_numbered_headings_get_their_word_numbers():
    doc = doc_of(FIXTURES / "numbered_headings.docx")
    level1 = [b.text for b in doc.blocks if b.heading == 1]
    assert level1[:3] == ["一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况"]
    assert len(level1) == 6 and level1[-1] == "六、其他需要报告的事项"
    level2 = [b.text for b in doc.blocks if b.heading == 2]  # style 「二级标题」, numbered through the style
    assert level2 == ["（一）主动公开方面", "（二）依申请公开方面", "（三）政府信息管理方面", "（四）政府信息公开平台建设方面",
                      "（五）监督保障方面"]
    assert not any(b.text.startswith("（一）") and b.heading is None and b.cell is None for b in doc.blocks)
    t3 = texts(cells(doc, 2))
    assert after(t3, "（三）不予公开", 2) == ["1.属于国家秘密", "0"]
    assert "8.属于行政查询事项" in t3
    assert after(t3, "（四）无法提供", 1) == ["1.本机关不掌握相关政府信息"]  # restarted list
    assert "3.其他" in t3
    # same tables as the corpus build of the seed
    plain = doc_of(corpus(SEEDS[1], "docx"))
    for n in (1, 2, 3):
        assert texts(cells(doc, n)) == texts(cells(plain, n))


def test_table_with_repeated_header_rows_reads_once():
    doc = doc_of(FIXTURES / "table_header_repeat.docx")
    t3 = texts(cells(doc, 2))
    assert t3.count("申请人情况") == 1 and t3.count("商业企业") == 1
    assert after(t3, "（七）总计", 7) == ["2", "0", "0", "0", "0", "0", "2"]
    assert t3 == texts(cells(doc_of(corpus(SEEDS[1], "docx")), 2))


def test_tracked_changes_read_as_accepted():
    doc = doc_of(FIXTURES / "tracked_changes.docx")
    all_text = "\n".join(b.text for b in doc.blocks)
    t2 = texts(cells(doc, 1))
    assert after(t2, "行政处罚", 1) == ["3"]  # 1 deleted, 3 inserted
    assert "行政征收" not in t2 and "7" not in t2  # a deleted row
    assert "收到政府信息公开申请2条，全年" in all_text and "申请5条" not in all_text
    assert "此段已被删除" not in all_text
    assert "四是加强队伍建设。定期组织业务培训。" in texts(doc.blocks)
    assert doc.blocks[0].line == 1 and doc.blocks[1].line == 3  # the deleted paragraph keeps its number


def test_edge_cases():
    doc = doc_of(FIXTURES / "edge_cases.docx")
    by_text = {b.text: b for b in doc.blocks}
    all_text = "\n".join(by_text)
    for hidden in ("文本框内容", "绘图文本框", "备用内容", "页眉", "页脚", "批注内容", "隐藏文字", "目录"):
        assert hidden not in all_text, hidden
    assert by_text["一、总体情况"].heading == 1  # soft line break inside a CJK heading: nothing
    assert by_text["正文段落。文本框之后。"].line == 4  # the TOC paragraph (2) counts, text-box paragraphs do not
    assert by_text["可见文字继续。\t完"].line == 5  # hidden run dropped, w:tab kept as a tab
    assert by_text["Annual Report 2024·"].line == 6  # Latin soft break → space; Symbol font F0B7 → ·
    assert by_text["内容控件中的段落"].line == 8
    assert by_text["（二）我的标题样式"].heading == 1  # style with outlineLvl 0
    assert by_text["标题样式但大纲级别为正文"].heading is None  # direct outlineLvl 9 overrides Heading 2
    assert by_text["（三）加粗小标题"].bold and by_text["（三）加粗小标题"].heading is None
    assert by_text["二级标题样式"].heading == 2
    cells = [(b.cell, b.text) for b in doc.blocks if b.cell]
    assert (Cell(1, 2, 4), "") in cells  # an empty cell keeps its place (a blank value in a table of numbers)
    grid = [(c, t) for c, t in cells if t]
    assert grid == [
        (Cell(1, 1, 1), "横向合并"), (Cell(1, 1, 3), "列三"), (Cell(1, 1, 4), "列四"),
        (Cell(1, 2, 1), "纵向合并"), (Cell(1, 2, 2), "甲"), (Cell(1, 2, 3), "第一段 第二段"),
        (Cell(1, 3, 2), "乙"), (Cell(1, 3, 3), "外层"),
        (Cell(2, 1, 1), "内层一"), (Cell(2, 1, 2), "内层二"),  # the nested table, after its cell
        (Cell(1, 3, 4), "9"),
        (Cell(3, 1, 2), "前空一格"),  # gridBefore 1; hMerge continuation skipped
    ]
    assert by_text["外层"].line == 23 and by_text["9"].line == 27
    for b in doc.blocks:
        assert "\n" not in b.text


def test_docx_never_contains_newlines_and_columns_start_at_1():
    for path in [FIXTURES / "numbered_headings.docx", FIXTURES / "edge_cases.docx"]:
        for b in doc_of(path).blocks:
            assert "\n" not in b.text and b.column == 1 and b.page is None


def test_chinese_counting():
    f = docx_reader.format_number
    assert [f(n, "chineseCounting") for n in (1, 9, 10, 11, 19, 20, 21, 99, 100, 101, 110)] == [
        "一", "九", "十", "十一", "十九", "二十", "二十一", "九十九", "一百", "一百零一", "一百一十"]
    assert f(3, "chineseCountingThousand") == "三"
    assert f(12, "decimal") == "12" and f(3, "decimalZero") == "03"
    assert f(2, "ideographTraditional") == "乙" and f(4, "upperRoman") == "IV" and f(28, "lowerLetter") == "bb"
    assert f(5, "bullet") == "" and f(3, "decimalEnclosedCircle") == "③"


@given(st.integers(min_value=1, max_value=9999))
def test_chinese_counting_reads_back(n):
    text = docx_reader.format_number(n, "chineseCounting")
    digits = dict(zip("零一二三四五六七八九", range(10)))
    units = {"十": 10, "百": 100, "千": 1000}
    total, current = 0, 0
    for ch in text:
        if ch in digits:
            current = digits[ch]
        else:
            total += (current or 1) * units[ch]
            current = 0
    assert total + current == n
    assert "零零" not in text and not text.endswith("零")


# ---------------------------------------------------------------- PDF
def test_pdf_seed001_pages_lines_and_headings(pdf_engine):
    doc = doc_of(corpus(SEEDS[1], "pdf"))
    assert {b.page for b in doc.blocks} == {1, 2, 3, 4, 5}
    head = next(b for b in doc.blocks if b.text == "一、总体情况")
    assert head.page == 1 and head.bold and head.cell is None
    first = doc.blocks[0]
    assert (first.page, first.line, first.column) == (1, 1, 1)
    for page in range(1, 6):  # lines are numbered top to bottom on each page
        lines = [b.line for b in doc.blocks if b.page == page and b.cell is None]
        assert lines == sorted(lines) and lines[0] >= 1
    assert not any(re.fullmatch(r"[—\-\s]*\d+[—\-\s]*", b.text) for b in doc.blocks if not b.cell)  # 「— 3 —」
    assert "本报告所列数据的统计期限为2024年1月1日至2024年" in "".join(b.text for b in doc.blocks)  # no 「2024 年」
    assert not doc.notes


def test_pdf_seed001_table3_cells(pdf_engine):
    doc = doc_of(corpus(SEEDS[1], "pdf"))
    t3 = cells(doc, 2)
    seq = texts(t3)
    assert seq[0] == "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"  # wrapped in its cell
    assert after(seq, "一、本年新收政府信息公开申请数量", 7) == ["2", "0", "0", "0", "0", "0", "2"]
    assert "三、本年度办理结果" in seq  # five narrow lines of a merged cell, one cell
    assert after(seq, "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", 1) == ["0"]
    assert "2.没有现成信息需要另行制作" in seq  # broken over pages 3 and 4: one cell
    total = next(b for b in t3 if b.text == "（七）总计")
    assert total.page == 4 and after(seq, "（七）总计", 7) == ["2", "0", "0", "0", "0", "0", "2"]
    assert {b.page for b in t3} == {3, 4}  # one table across the page break
    assert t3[-1].cell.row == 28  # 3 header rows + 25 data rows, as in Word


def test_pdf_layout_fixture(pdf_engine):
    doc = doc_of(FIXTURES / "layout.pdf")
    seq = [(b.page, b.line, b.cell, b.text) for b in doc.blocks]
    assert seq == [
        (1, 2, None, "Section one"),  # line 1 is the running header, dropped
        (1, 3, None, "Glyphs: \ufffd\ufffd"),
        (1, 4, None, "Plain text line before the table."),
        (1, 5, Cell(1, 1, 1), "Item"), (1, 5, Cell(1, 1, 2), "Count"), (1, 5, Cell(1, 1, 3), "Note"),
        (1, 6, Cell(1, 2, 1), "Administrative penalty decisions"), (1, 7, Cell(1, 2, 2), "3"),
        (1, 6, Cell(1, 2, 3), ""),  # an empty cell keeps its place (on its row's first line)
        (1, 8, Cell(1, 3, 1), "Fees"), (1, 8, Cell(1, 3, 2), "0"), (1, 8, Cell(1, 3, 3), "none"),
        # page 2: the table goes on (cells drawn as rectangles), its repeated header row dropped
        (2, 3, Cell(1, 4, 1), "Other"), (2, 3, Cell(1, 4, 2), "5"), (2, 3, Cell(1, 4, 3), "x"),
        (2, 4, None, "Between the tables."),
        # a table without rules: its rows stay lines, pieces two spaces apart, read like a text file's table
        (2, 5, None, "Applicant  Natural  Legal"), (2, 6, None, "New  2  0"), (2, 7, None, "Carried  1  4"),
        (2, 8, None, "End of report."),
        (2, 9, None, "Signed  2025-01-15"),
    ]
    [(message, loc)] = doc.notes
    assert "(cid:18)(cid:52)" in message and "无法识别的字形" in message
    assert (loc.page, loc.line, loc.column) == (1, 3, 9)


# ---------------------------------------------------------------- the whole pipeline
def test_pipeline_reads_the_same_tables_from_txt_docx_and_pdf(pdf_engine):
    from gpalint.report import analyse

    txt = analyse(read(corpus(SEEDS[1], "txt"))).tables
    for ext in ("docx", "pdf"):
        got = analyse(doc_of(corpus(SEEDS[1], ext))).tables
        for key, table in txt.items():
            assert {k: c.value for k, c in got[key].cells.items()} == {k: c.value for k, c in table.cells.items()}
        assert got["二"].value("行政处罚", "处理决定") == 3
        assert got["三"].value("三.七", "总计") == 2


# ---------------------------------------------------------------- bad input
CHINESE = re.compile(r"[\u4e00-\u9fff]")


@pytest.mark.parametrize("name, words", [
    ("encrypted.docx", "已加密"),
    ("old_format.docx", ".doc"),
    ("garbage.docx", "不是有效的 Word 文档（.docx）文件"),
    ("truncated.docx", "不是有效的 Word 文档（.docx）文件"),
    ("not_word.docx", "不是有效的 Word 文档（.docx）文件"),
    ("scanned.pdf", "是扫描件，没有文字层，无法检查"),
    ("encrypted.pdf", "已加密"),
    ("corrupt.pdf", "PDF"),
])
def test_bad_input_is_one_chinese_sentence(name, words, pdf_engine):
    with pytest.raises(InputError) as err:
        read(FIXTURES / name)
    message = str(err.value)
    assert words in message and CHINESE.search(message) and "\n" not in message and "Traceback" not in message


def test_a_truncated_pdf_is_said_in_chinese_not_by_an_exception_name(tmp_path, pdf_engine):
    """pdfminer raises PSEOF on a cut-off file: the line explains it in Chinese (trial item 15)."""
    cut = tmp_path / "cut.pdf"
    cut.write_bytes((CORPUS / "fixtures" / "003_0ab25f721fbf8f7b.pdf").read_bytes()[:20_000])
    with pytest.raises(InputError) as err:
        read(cut)
    message = str(err.value)
    assert "已损坏" in message and not re.search(r"[A-Za-z]", message.replace("PDFium", "").replace("PDF", ""))


def test_wrong_extension_and_empty_word(tmp_path, pdf_engine):
    pdf_named_docx = tmp_path / "report.docx"
    pdf_named_docx.write_bytes((FIXTURES / "scanned.pdf").read_bytes())
    with pytest.raises(InputError, match="PDF"):
        read(pdf_named_docx)
    docx_named_pdf = tmp_path / "report.pdf"
    docx_named_pdf.write_bytes((FIXTURES / "edge_cases.docx").read_bytes())
    with pytest.raises(InputError, match="Word"):
        read(docx_named_pdf)
    empty = tmp_path / "empty.docx"
    with zipfile.ZipFile(empty, "w") as z:
        z.writestr("word/document.xml", '<w:document xmlns:w="http://schemas.openxmlformats.org/'
                                        'wordprocessingml/2006/main"><w:body><w:p/></w:body></w:document>')
    with pytest.raises(InputError, match="没有文字内容"):
        read(empty)


def _mutate(data: bytes, edits: list[tuple[int, int]]) -> bytes:
    buf = bytearray(data)
    for pos, value in edits:
        buf[pos % len(buf)] = value
    return bytes(buf)


_EDITS = st.lists(st.tuples(st.integers(min_value=0), st.integers(min_value=0, max_value=255)), min_size=1,
                  max_size=8)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(edits=_EDITS)
def test_damaged_docx_never_raises_anything_else(tmp_path, edits):
    # damage the XML inside the zip (damaging the zip itself only trips the CRC check)
    src = FIXTURES / "edge_cases.docx"
    out = io.BytesIO()
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(out, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename in ("word/document.xml", "word/styles.xml", "word/numbering.xml", "_rels/.rels"):
                data = _mutate(data, edits)
            zout.writestr(info.filename, data)
    path = tmp_path / "damaged.docx"
    path.write_bytes(out.getvalue())
    try:
        doc = read(path)
    except InputError as exc:
        assert CHINESE.search(str(exc))
    else:
        assert all("\n" not in b.text for b in doc.blocks)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(edits=_EDITS)
def test_damaged_pdf_never_raises_anything_else(tmp_path, edits, pdf_engine):
    path = tmp_path / "damaged.pdf"
    data = (FIXTURES / "layout.pdf").read_bytes()
    path.write_bytes(data[:9] + _mutate(data[9:], edits))  # keep the %PDF header
    try:
        read(path)
    except InputError as exc:
        assert CHINESE.search(str(exc))


def test_numbering_prefixes_for_fixers():
    path = FIXTURES / "numbered_headings.docx"
    body = docx_reader.walk(docx_reader.load(path.read_bytes(), str(path)))
    prefixes = body.prefixes
    assert prefixes[3] == "一、" and prefixes[5] == "（一）"
    by_line = {b.line: b for b in body.doc.blocks}
    for line, prefix in prefixes.items():
        if line in by_line:
            assert by_line[line].text.startswith(prefix)
    assert by_line[3].text[len(prefixes[3]):] == "总体情况"  # the paragraph's own text
    para = body.paragraphs[3]
    assert para.editable(0, 1) and para.editable(2, 3) is None  # the number is generated, the text is typed


def test_soft_breaks():
    f = soft_breaks
    assert f("一、总体\n情况") == "一、总体情况"
    assert f("Annual\nReport") == "Annual Report"
    assert f("326\n条") == "326条"  # beside a CJK character: nothing (no space nobody typed)
    assert f("行政处罚\n3") == "行政处罚3"
    assert f("规章\t0\n行政规范性文件\t0") == "规章\t0  行政规范性文件\t0"  # table recovery splits on 2+ spaces
    assert f("\n结尾。\n\n") == "结尾。"


def test_list_counters_follow_word():
    ns = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    numbering = etree.fromstring(f"""<w:numbering {ns}>
      <w:abstractNum w:abstractNumId="1">
        <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl>
        <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/></w:lvl>
        <w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1.%3"/><w:isLgl/></w:lvl>
      </w:abstractNum>
      <w:num w:numId="1"><w:abstractNumId w:val="1"/></w:num>
      <w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num>
      <w:num w:numId="3"><w:abstractNumId w:val="1"/>
        <w:lvlOverride w:ilvl="1"><w:startOverride w:val="1"/></w:lvlOverride></w:num>
    </w:numbering>""")
    names = Names(docx_reader.W_TRANSITIONAL)
    r = Numbering(names, Styles(names))
    r.load(numbering)
    got = [r.number_text(n, lvl) for n, lvl in
           [("1", 0), ("1", 1), ("1", 1), ("2", 1),  # another w:num of the same list continues it
            ("1", 0), ("1", 1), ("1", 2), ("1", 2),  # a higher level restarts the lower ones
            ("3", 1), ("3", 1), ("1", 1)]]  # startOverride restarts where num 3 is first used
    assert got == ["一、", "（一）", "（二）", "（三）", "二、", "（一）", "2.1", "2.2", "（一）", "（二）", "（三）"]


def test_styles_with_unusual_spacing_fall_back_to_a_full_parse(tmp_path):
    src = corpus(SEEDS[0], "docx")  # headings by the Heading 1 style
    out = tmp_path / "spaced.docx"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(out, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "word/styles.xml":
                data = data.replace(b"<w:style ", b"<w:style\n   ")
            zout.writestr(info.filename, data)
    heads = [b.text for b in read(out).blocks if b.heading == 1]
    assert heads[0] == "一、总体情况" and len(heads) == 6


# ---------------------------------------------------------------- Word: budgets (issue 14); hostile files built here
def _numbered(n: int, start: str, fmt: str, text: str = "%1.") -> str:
    numbering = (f'<w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:start w:val="{start}"/>'
                 f'<w:numFmt w:val="{fmt}"/><w:lvlText w:val="{text}"/></w:lvl></w:abstractNum>'
                 '<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>')
    item = wordml.para(wordml.run("本机关主动公开政府信息。"), ppr='<w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr>')
    return numbering, item * n


def test_numbering_budget():
    assert docx_reader.format_number(2_000_000_000, "lowerLetter") == "2000000000"  # not 77 million "a"s
    assert docx_reader.format_number(780, "lowerLetter") == "z" * 30 and docx_reader.format_number(28, "upperLetter") == "BB"


def test_list_starting_at_two_billion_is_cheap(tmp_path):
    numbering, items = _numbered(3000, "2000000000", "lowerLetter")
    path = wordml.write_docx(tmp_path / "big-number.docx", items, numbering=numbering)
    got = wordml.run_limited("check", path, headroom_mb=300)
    assert got["error"] is None and got["seconds"] < 30, got
    doc = read(path)
    numbered = [b.text for b in doc.blocks if b.text.endswith("本机关主动公开政府信息。")]
    assert numbered[0] == "2000000000.本机关主动公开政府信息。" and numbered[-1].startswith("2000002999.")
    print("\nhostile: list numbering from 2,000,000,000 (lowerLetter), 3000 items:", got)


def test_generated_number_text_is_capped(tmp_path):
    numbering, items = _numbered(2, "1", "decimal", "%1" * 5000)
    path = wordml.write_docx(tmp_path / "long-number.docx", items, numbering=numbering)
    doc = read(path)
    texts = [b.text for b in doc.blocks if b.text.endswith("本机关主动公开政府信息。")]
    assert texts and all(len(t) <= 64 + len("本机关主动公开政府信息。") for t in texts)


def _bomb(path: Path, megabytes: int) -> Path:
    """A .docx whose document.xml inflates to ``megabytes`` MB: one paragraph of 「政」 repeated."""
    def document(z):
        with z.open("word/document.xml", "w", force_zip64=True) as fh:
            fh.write(wordml.document_xml("<w:p><w:r><w:t>").split("<w:p>")[0].encode() + b"<w:p><w:r><w:t>")
            chunk = "政".encode() * (1 << 18)  # 768 KB
            for _ in range(megabytes * 4 // 3):
                fh.write(chunk)
            fh.write(b"</w:t></w:r></w:p></w:body></w:document>")
    return wordml.write_docx(path, "", document=document, level=9)


def test_xml_bomb_is_refused_by_the_absolute_cap(tmp_path):
    path = _bomb(tmp_path / "bomb.docx", 200)
    got = wordml.run_limited("check", path, headroom_mb=150)
    assert path.stat().st_size < 2_000_000
    assert got["error"].startswith("Word 文档解压后内容异常庞大") and got["seconds"] < 5, got
    print("\nhostile: document.xml inflating to 200 MB:", path.stat().st_size, "bytes,", got)


def test_xml_bomb_is_refused_relative_to_the_file_size(tmp_path):
    path = _bomb(tmp_path / "small-bomb.docx", 20)  # under the absolute cap, but 1000 times the file
    assert path.stat().st_size < 100_000
    with pytest.raises(InputError, match="异常庞大"):
        read(path)
    ok = wordml.write_docx(tmp_path / "ok.docx", wordml.para(wordml.run("正文。")))
    assert read(ok).blocks


def test_cli_bomb_is_one_line_and_exit_2_the_others_are_checked(tmp_path):
    import resource
    import subprocess
    import sys
    _bomb(tmp_path / "bomb.docx", 40)
    shutil.copy(corpus(SEEDS[1], "docx"), tmp_path / "report.docx")
    limit = 2 << 30  # a regression must not take the machine down

    def cap():
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    proc = subprocess.run([sys.executable, "-m", "gpalint", "check", "--format", "json", str(tmp_path)],
                          capture_output=True, text=True, cwd=wordml.ROOT, timeout=120, preexec_fn=cap)
    assert proc.returncode == 2
    errors = [line for line in proc.stderr.splitlines() if "bomb.docx" in line]
    assert len(errors) == 1 and "异常庞大" in errors[0]
    assert "report.docx" in proc.stdout  # the other file was checked


def test_walker_names_each_characters_source(tmp_path):
    """What the fixer and a comment writer rely on: every character of a block traced to its w:t, or why not."""
    body = (wordml.para(wordml.run("甲乙"), wordml.run("丙丁", "<w:b/>"), "<w:r><w:tab/></w:r>", wordml.run("戊"))
            + "<w:tbl><w:tr><w:tc>" + wordml.para(wordml.run(" 单元格 ")) + wordml.para(wordml.run("第二段"))
            + "</w:tc></w:tr></w:tbl>")
    path = wordml.write_docx(tmp_path / "src.docx", body)
    walked = docx_reader.walk(docx_reader.load(path.read_bytes(), str(path)))
    para = walked.paragraphs[3]
    assert para.text == "甲乙丙丁\t戊"
    r1, r2 = para.runs(0, 1)[0], para.runs(2, 3)[0]
    assert para.runs(1, 3) == [r1, r2] and para.runs(0, 2) == [r1]  # where a comment range starts and ends
    assert [(t.text, a, b) for t, a, b in para.pieces(1, 4)] == [("甲乙", 1, 2), ("丙丁", 0, 2)]
    assert para.editable(0, 4) is None and "制表符" in para.editable(3, 5)
    cell = next(b for b in walked.doc.blocks if b.cell)
    assert cell.text == "单元格 第二段"
    first, s, e = walked.locate(cell.line, 0, 3)
    assert first.text[s:e] == "单元格" and s == 1
    second, s, e = walked.locate(cell.line, 4, 7)
    assert second.text[s:e] == "第二段" and second.number == first.number + 1
    assert walked.locate(cell.line, 2, 6) is None  # across the space that joins the cell's paragraphs
    assert walked.cells[cell.cell] is first.element.getparent()  # the w:tc, to anchor a comment on the cell


# ---------------------------------------------------------------- PDF engines
def test_auto_engine_is_pdfium_when_installed_else_pdfminer(monkeypatch):
    from gpalint.readers import pdf
    assert pdf.auto_engine() == "pdfium"  # pypdfium2 is a dependency
    monkeypatch.setattr(pdf, "find_spec", lambda name: None)
    assert pdf.auto_engine() == "pdfminer"
    with pytest.raises(InputError, match="pip install pypdfium2"):
        pdf.read(corpus(SEEDS[1], "pdf"), "pdfium")
    assert pdf.read(corpus(SEEDS[1], "pdf")).blocks  # auto: pdfminer


def test_pdf_engine_from_the_command_line_and_the_configuration(tmp_path, capsys):
    from gpalint.cli import build_parser, main
    from gpalint.config import clear_caches
    from gpalint.runner import options_for
    report = tmp_path / "r.pdf"
    report.write_bytes(corpus(SEEDS[1], "pdf").read_bytes())

    def engine(*flags):
        clear_caches()
        return options_for(build_parser().parse_args(["check", *flags, str(report)]), report)[0].pdf_engine
    outputs = []
    for flags in (["--pdf-engine", "pdfminer"], ["--pdf-engine", "pdfium"], []):
        assert engine(*flags) == (flags[1] if flags else "auto")
        main(["check", "--format", "json", *flags, str(report)])
        outputs.append(capsys.readouterr().out)
    assert outputs[0] == outputs[1] == outputs[2] and json.loads(outputs[0])
    (tmp_path / "gpalint.toml").write_text('pdf-engine = "pdfminer"\n', encoding="utf-8")
    assert engine() == "pdfminer" and engine("--pdf-engine", "pdfium") == "pdfium"  # the command line wins
    (tmp_path / "gpalint.toml").write_text('pdf-engine = "fitz"\n', encoding="utf-8")
    clear_caches()
    assert main(["check", str(report)]) == 2
    assert "pdf-engine" in capsys.readouterr().err


def _pdf_with_a_form(path: Path) -> None:
    """A page drawing one form XObject twice (a 2×1 ruled table with a filled box and a text) under two matrices."""
    from make_docx_fixtures import pdf_bytes, stream
    form = (b"0 0 m 100 0 l S 0 50 m 100 50 l S 0 0 m 0 50 l S 50 0 m 50 50 l S 100 0 m 100 50 l S 10 60 80 20 re f "
            b"BT /F1 10 Tf 10 20 Td (ab) Tj ET")
    path.write_bytes(pdf_bytes([
        b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> "
        b"/XObject << /Fm1 6 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        stream(b"q 1 0 0 1 50 100 cm /Fm1 Do Q 0.5 0 0 0.5 300 300 cm /Fm1 Do"),
        stream(form, b"/Type /XObject /Subtype /Form /BBox [0 0 200 200] /Matrix [2 0 0 2 0 0] "
                     b"/Resources << /Font << /F1 4 0 R >> >> ")]))


def test_both_engines_see_the_rulings_and_text_of_form_xobjects(tmp_path):
    from gpalint.readers.pdf import miner, pdfium
    path = tmp_path / "form.pdf"
    _pdf_with_a_form(path)
    a, b = next(miner.pages(path)), next(pdfium.pages(path))
    segs = lambda page: sorted((round(s.pos, 2), round(s.a, 2), round(s.b, 2)) for s in page.hs + page.vs)
    assert segs(a) == segs(b) and len(a.grids) == len(b.grids) == 2
    assert (220.0, 70.0, 230.0) in segs(b)  # the filled box: its edges, through the form and page matrices
    assert [(p.text, p.x0) for p in a.pieces] == [(p.text, p.x0) for p in b.pieces] == [("ab", 70.0), ("ab", 310.0)]
    # Helvetica has no descriptor: pdfminer's descent is its AFM's, PDFium's its own metrics, a fraction of a point
    assert all(abs(p.y0 - q.y0) < 0.5 for p, q in zip(a.pieces, b.pieces))
