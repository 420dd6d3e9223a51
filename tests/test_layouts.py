"""The layout zoo: the Word fixtures as third-party converters turn them into Markdown, HTML, text and PDF
(tests/corpus/layouts, built by scripts/make_layouts.py). From every layout gpalint must read the same three tables
as from the .docx, cell by cell, or report each table it cannot read with exactly one finding; and it must find
nothing the .docx does not give.

Text extracted from a PDF (pdftotext, pdfminer) carries the extractor's spacing, not the author's: the reader marks
it (Document.extracted) and the spacing rules say nothing on it; a finding that quotes the text quotes it with the
extractor's spaces, so findings are compared without spaces.

Where a layout fails, the case is a strict xfail naming the reason (TABLES_DIFFER, FINDINGS_DIFFER), so that fixing
it turns the test red until the mark goes.
"""
from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
from conftest import CORPUS, need_corpus
from hypothesis import given, settings
from hypothesis import strategies as st

from gpalint.engine import Engine, Options
from gpalint.readers import read
from gpalint.report import analyse
from gpalint.rules import builtin_rules

LAYOUTS = CORPUS / "layouts"
FIXTURES = CORPUS / "fixtures"
ENGINE = Engine(builtin_rules())
TABLES = ("二", "三", "四")
READER_NOTES = {"M106", "M110"}  # info: what the reading could not do (unmapped glyphs, an unreadable table)

# why a layout's tables differ from the .docx's today, by layout or layout/fixture (none at present)
TABLES_DIFFER: dict[str, str] = {}
# why a layout gives findings the .docx does not (besides its tables and reader notes)
FINDINGS_DIFFER: dict[str, str] = {}


def cases():
    manifest = json.loads((LAYOUTS / "MANIFEST.json").read_text(encoding="utf-8"))
    for layout, entry in manifest.items():
        for name in entry["files"]:
            if name not in entry["not_committed"]:  # Chromium's PDFs are too large to commit: not every checkout has them
                yield layout, LAYOUTS / layout / name


CASES = sorted(cases())


def marked(reasons):
    def reason(layout, path):
        return reasons.get(f"{layout}/{path.stem[:3]}", reasons.get(layout))
    return [pytest.param(layout, path, id=f"{layout}/{path.stem[:3]}",
                         marks=[pytest.mark.xfail(strict=True, reason=why)] if (why := reason(layout, path)) else [])
            for layout, path in CASES]


def docx_of(path):
    return FIXTURES / f"{path.stem}.docx"


def tables_of(path):
    report = analyse(read(path))
    out: dict[str, dict] = {k: {} for k in TABLES}
    for k, t in report.tables.items():
        out[k] = {(r, c): (v.value if v.problem is None else v.raw) for (r, c), v in t.cells.items()}
    return out


def findings_of(path):
    _, diags = ENGINE.check_document(read(path), Options())
    # a quote of the text carries an extractor's spaces (「109 号」 for the .docx's 「109号」): the same finding
    return Counter((d.code, "".join(d.message.split())) for d in diags)


def test_every_layout_of_every_fixture_is_in_the_zoo():
    need_corpus()
    layouts = {layout for layout, _ in CASES}
    assert {"pandoc-gfm", "pandoc-html", "markitdown", "pdftotext", "pdftotext-layout", "pdfminer",
            "libreoffice-html"} <= layouts
    for layout in layouts:
        assert sorted(p.stem for lay, p in CASES if lay == layout) == sorted(p.stem for p in FIXTURES.glob("*.docx"))


@pytest.mark.parametrize(("layout", "path"), marked(TABLES_DIFFER))
def test_layout_gives_the_docx_tables_or_one_finding_per_table(layout, path):
    expected = tables_of(docx_of(path))
    got = tables_of(path)
    findings = findings_of(path)
    for k in TABLES:
        assert expected[k], f"the .docx has no 表{k}"
        if got[k] == expected[k]:
            continue
        about = [m for (code, m), n in findings.items() for _ in range(n)
                 if (code.startswith("T") or code in READER_NOTES) and f"表{k}" in m]
        assert len(about) == 1, f"表{k} differs from the .docx's and draws {len(about)} findings: {about[:5]}"


@pytest.mark.parametrize(("layout", "path"), marked(FINDINGS_DIFFER))
def test_layout_finds_nothing_the_docx_does_not(layout, path):
    # a reader note (a table the layout did not let gpalint read) is the layout's limit, not the report's defect
    extra = Counter({k: n for k, n in (findings_of(path) - findings_of(docx_of(path))).items()
                     if k[0] not in READER_NOTES})
    assert not extra, f"{sum(extra.values())} findings beyond the .docx's: {sorted(extra)[:8]}"


# ---------------------------------------------------------------- text extracted from a PDF
PERSON_TYPED = ("示范镇人民政府2024年政府信息公开工作年度报告\n一、总体情况\n2024 年，我镇主动公开政府信息 326 条。\n"
                "二、主动公开政府信息情况\n本年度制发规章 3 件。\n")
SPACING = {"G107", "G114"}


def codes_of(text, tmp_path, name="r.txt"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    _, diags = ENGINE.check_document(read(path), Options())
    return Counter(d.code for d in diags)


def test_a_person_typed_text_keeps_its_spacing_findings(tmp_path):
    assert codes_of(PERSON_TYPED, tmp_path)["G107"] == 2
    # a manual page break Word's plain-text save writes between pages does not make it extracted
    page_break = PERSON_TYPED.replace("二、", "\f二、")
    assert codes_of(page_break, tmp_path)["G107"] == 2


def test_text_a_pdf_extractor_wrote_gets_no_spacing_findings_and_keeps_the_others(tmp_path):
    typed = codes_of(PERSON_TYPED, tmp_path)
    extracted = codes_of(PERSON_TYPED.replace("二、", "\f二、") + "\f", tmp_path)  # as pdftotext writes pages
    assert not SPACING & set(extracted)
    assert extracted == Counter({k: n for k, n in typed.items() if k not in SPACING})


@pytest.mark.parametrize("layout", ["pdftotext", "pdftotext-layout", "pdfminer"])
def test_the_pdf_extractors_text_is_recognised_by_its_form_feeds(layout, tmp_path):
    need_corpus()
    for _, path in (c for c in CASES if c[0] == layout):
        assert read(path).extracted, path
        text = path.read_text(encoding="utf-8")
        assert SPACING & set(codes_of(text.replace("\f", ""), tmp_path)), path  # without them: the spacing findings


def test_no_person_typed_report_in_the_corpus_reads_as_extracted():
    need_corpus()
    paths = [p for d in ("seeds", "full", "real") for p in sorted((CORPUS / d).glob("*.txt"))]
    assert paths and not [p for p in paths if read(p).extracted]


# ---------------------------------------------------------------- the Markdown reader
MD = """# 示范镇人民政府2024年政府信息公开工作年度报告

## 一、总体情况

\\(一\\) 主动公开：2024
年，我镇主动公开政府信息326条，坚持以公开为常态、不公开为例外，积极做好政府信息主动公开工作。

| 信息内容 | 本年制发件数 |
|---|---|
| 1\\. 规章 | 3 |

示范镇人民政府
2025年1月20日
"""


def test_markdown_blocks_keep_source_places():
    from gpalint.readers.markdown import parse
    lines = MD.splitlines()
    doc = parse(MD, "r.md")
    texts = [b.text for b in doc.blocks]
    assert texts[:3] == ["示范镇人民政府2024年政府信息公开工作年度报告", "一、总体情况",
                         "(一) 主动公开：2024 年，我镇主动公开政府信息326条，坚持以公开为常态、不公开为例外，积极做好政府信息主动公开工作。"]
    assert [b.heading for b in doc.blocks[:3]] == [1, 2, None]
    assert texts[-2:] == ["示范镇人民政府", "2025年1月20日"]  # short lines stay apart, as in a .txt report
    cells = {(b.cell.row, b.cell.col): b for b in doc.blocks if b.cell}
    assert {k: b.text for k, b in cells.items()} == {(1, 1): "信息内容", (1, 2): "本年制发件数", (2, 1): "1. 规章",
                                                     (2, 2): "3"}
    # every character points at itself in the source (escapes and the wrapped line included)
    for b in doc.blocks:
        for k, ch in enumerate(b.text):
            loc = b.location(k, k + 1)
            if ch != " ":
                assert lines[loc.line - 1][loc.column - 1] == ch, (b.text, k)
    para = doc.blocks[2]
    assert para.rendered and not doc.blocks[3].rendered  # the escapes: no fix is offered there


def test_markdown_fixes_skip_rendered_text_and_apply_elsewhere(tmp_path):
    from gpalint.fix import fix_file
    path = tmp_path / "r.md"
    path.write_text("# 示范镇2024年政府信息公开工作年度报告\n\n\\(一\\) 主动公开\n\n(二) 依申请公开\n", encoding="utf-8")
    _, diags = ENGINE.check_document(read(path), Options(select=["G104"]))
    assert [(d.location.line, d.fix is not None) for d in diags] == [(3, False), (5, True)]
    fix_file(ENGINE, path, Options(select=["G104"]))
    assert path.read_text(encoding="utf-8").splitlines()[2:] == ["\\(一\\) 主动公开", "", "（二） 依申请公开"]


def test_markdown_with_html_tables_reads_them_as_the_html_reader():
    """pandoc ≥ 3 writes a table with merged cells as HTML inside GFM: its cells are table cells, numbered on."""
    import re

    from gpalint.readers.markdown import parse
    page = (LAYOUTS / "pandoc-html" / "000_93445c37e83f1c72.html").read_text(encoding="utf-8")
    body = re.search(r"<body>(.*)</body>", page, re.S).group(1)
    doc = parse("| 信息 | 数<br>量 |\n|---|---|\n| 规章 | 3 |\n\n" + body, "r.md")
    assert [b.text for b in doc.blocks[:4]] == ["信息", "数 量", "规章", "3"]
    assert {b.cell.table for b in doc.blocks if b.cell} == {1, 2, 3, 4}
    report = analyse(doc)
    got = {(k, r, c): (v.value if v.problem is None else v.raw)
           for k, t in report.tables.items() for (r, c), v in t.cells.items()}
    expected = {(k, r, c): v for k, cells in tables_of(FIXTURES / "000_93445c37e83f1c72.docx").items()
                for (r, c), v in cells.items()}
    assert got == expected


def test_markdown_lines_are_numbered_as_the_fixer_numbers_them():
    from gpalint.readers.markdown import parse
    text = "一、总体情况\x0b本年度\u2028公开\r\n| a | 1 |\n|---|---|\n| b | 2 |\n"
    lines = text.splitlines()
    doc = parse(text, "r.md")
    assert [(b.line, b.column, b.text) for b in doc.blocks] == [
        (1, 1, "一、总体情况"), (2, 1, "本年度"), (3, 1, "公开"), (4, 3, "a"), (4, 7, "1"), (6, 3, "b"), (6, 7, "2")]
    assert all(lines[b.line - 1][b.column - 1:].startswith(b.text) for b in doc.blocks)


def test_pdf_glyphs_mapped_to_kangxi_radicals_read_as_ideographs(pdf_engine):
    """Chromium (Skia) maps CJK glyphs to the look-alike Kangxi radicals (「⼀、总体情况」, 「⼈⺠」): pdfminer gives those
    code points, the PDF reader the ideographs, so the headings are found. The PDF is Chromium's print of a page with
    the six headings (tests/fixtures/chromium-kangxi-radicals.pdf)."""
    from pathlib import Path

    from pdfminer.high_level import extract_text
    path = Path(__file__).parent / "fixtures" / "chromium-kangxi-radicals.pdf"
    assert "⼀、总体情况" in extract_text(str(path))  # what the file holds
    texts = [b.text for b in read(path).blocks]
    assert texts[:3] == ["示范镇人民政府2024年政府信息公开工作年度报告", "一、总体情况", "二、主动公开政府信息情况"]
    assert not any("\u2e80" <= ch <= "\u2fdf" for t in texts for ch in t)


@pytest.mark.parametrize("path", sorted((CORPUS / "seeds").glob("*.txt")) + sorted((CORPUS / "real").glob("*.txt"))
                         + sorted((CORPUS / "full").glob("*.txt")), ids=lambda p: p.stem[:24])
def test_a_plain_text_report_saved_as_markdown_gives_the_same_findings(path, tmp_path):
    """Hand-written Markdown is mostly plain text: one line per paragraph, tab-separated tables, crawler lines. Read as
    Markdown it must give what it gives as .txt (no line glued to the next, no table lost to Markdown syntax)."""
    md = tmp_path / f"{path.stem}.md"
    md.write_bytes(path.read_bytes())
    key = lambda d: (d.code, d.location.line, d.location.column, d.message)
    _, as_text = ENGINE.check_document(read(path), Options())
    _, as_markdown = ENGINE.check_document(read(md), Options())
    assert sorted(map(key, as_markdown)) == sorted(map(key, as_text))


@pytest.mark.parametrize("layout", ["pandoc-gfm", "markitdown"])
@pytest.mark.parametrize("split", ["placeholder", "blank", "repeated-header"])
def test_markdown_table_split_into_pieces_still_gives_the_docx_tables(layout, split):
    """Converters split a long table into small pipe tables (GFM wants a header row: 「列1 | 列2」 or blank ones),
    leave empty stub tables, or repeat the header rows in the middle (a page break in the source)."""
    from gpalint.readers.markdown import parse
    lines = (LAYOUTS / layout / "000_93445c37e83f1c72.md").read_text(encoding="utf-8").splitlines()
    top = next(n for n, line in enumerate(lines) if line.startswith("| (本列数据"))
    width = lines[top].count("|") - 1
    if split == "repeated-header":
        middle = lines[top:top + 4] if layout == "pandoc-gfm" else [lines[top], lines[top + 1], *lines[top + 2:top + 4]]
        middle = [row for row in middle if not set(row) <= set("|- ")]
    else:
        names = [f"列{n + 1}" if split == "placeholder" else " " for n in range(width)]
        middle = ["", "| | |", "|---|---|", "", "| " + " | ".join(names) + " |", "|" + "---|" * width]
    text = "\n".join(lines[:top + 12] + middle + lines[top + 12:]) + "\n"
    report = analyse(parse(text, "r.md"))
    got = {k: {(r, c): (v.value if v.problem is None else v.raw) for (r, c), v in t.cells.items()}
           for k, t in report.tables.items()}
    assert got == tables_of(FIXTURES / "000_93445c37e83f1c72.docx")


_PIECES = [*"|-*_`#>\\[]()!<>&;:\n \t019一二（）《》“”。，、.a", "**", "\\(", "&amp;", "<br>", "<!-- gpalint: ignore G -->",
           "\n\n", "| a | b |\n|---|---|\n", "    code\n", "1. ", "- ", "\x0b", "\r\n", "<p>", "政府信息公开" * 12]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=60).map("".join))
def test_markdown_text_that_is_not_rendered_stands_in_the_source_as_it_is(text):
    """The fixer edits the source at a block's locations: in a block not marked rendered, every character is the
    source character at its location (escapes, entities, emphasis, HTML and joined lines mark a block rendered)."""
    from gpalint.readers.markdown import parse
    lines = text.splitlines()
    for b in parse(text, "r.md").blocks:
        if not b.rendered:
            for k, ch in enumerate(b.text):
                loc = b.location(k, k + 1)
                assert lines[loc.line - 1][loc.column - 1] == ch, (b, k)


def test_chromium_spaces_and_angle_brackets_read_alike_by_both_engines(pdf_engine):
    """Chromium draws each space as a text object of its own, without ink: PDFium's text page leaves such objects
    out, pdfminer reads them; the PDFium engine puts them back, so 「人民政府 2024 年」 keeps its spaces either way.
    Its ToUnicode gives 〈〉 as U+2329/U+232A (PDFium gives U+3008/U+3009): both read as 〈〉.
    tests/fixtures/chromium-spaces.pdf is `chromium --headless --print-to-pdf` of:
    <p>示范镇人民政府 2024 年政府信息公开工作年度报告</p> <p>本报告依据〈中华人民共和国政府信息公开条例〉编制，统计期限为
    2024 年 1 月 1 日至 2024 年 12 月 31 日。</p> and a bordered table (信息内容 本年新制作数量 本年新公开数量 / 规章 0 3 /
    规范性文件 12 7)."""
    path = Path(__file__).parent / "fixtures" / "chromium-spaces.pdf"
    doc = read(path)
    assert [b.text for b in doc.blocks] == [
        "示范镇人民政府 2024 年政府信息公开工作年度报告",
        "本报告依据〈中华人民共和国政府信息公开条例〉编制，统计期限为 2024 年 1 月 1 日至 2024 年 12 月31 日。",
        "信息内容", "本年新制作数量", "本年新公开数量", "规章", "0", "3", "规范性文件", "12", "7"]
    assert [b.cell.col for b in doc.blocks if b.cell] == [1, 2, 3] * 3


def test_straight_quotes_of_pandocs_own_markdown_are_not_the_authors():
    """pandoc x.docx -t markdown writes the Word file's curly quotes as 「"」 (its smart extension renders them curly
    again); a simple table (dash runs parted by spaces) shows the file is pandoc's Markdown. GFM has no such table: a
    straight quote there is what the author typed."""
    from gpalint.readers.markdown import parse
    body = '# 一、总体情况\n\n做到了领导、机构、人员"三到位"。\n\n'
    table = "  ------ ------\n  项目   数量\n  申请   0\n  ------ ------\n"
    for text, quotes in ((body + table, 0), (body, 1), (body + "| 项目 | 数量 |\n|---|---|\n| 申请 | 0 |\n", 1)):
        _, diagnostics = ENGINE.check_document(parse(text, "r.md"), Options())
        assert sum(d.code == "G113" for d in diagnostics) == quotes, text


def test_escapes_in_the_rows_of_pandocs_multiline_tables_are_undone():
    """pandoc -t markdown writes a multiline table's rows as an indented block (a code block to CommonMark), with
    Markdown's escapes: 「1\\. 属于国家秘密」 is 「1. 属于国家秘密」, not a row with one more number. Outside pandoc's
    Markdown an indented block is code, kept as it stands."""
    from gpalint.readers.markdown import parse
    table = ("  ------ ------\n  项目   数量\n  ------ ------\n\n"
             "      （三）不予公开   1\\. 属于国家秘密   0   0\n\n  ------ ------\n")
    doc = parse("# 三、收到和处理政府信息公开申请情况\n\n" + table, "r.md")
    row = next(b for b in doc.blocks if "国家秘密" in b.text)
    assert "1. 属于国家秘密" in row.text and "\\" not in row.text and row.rendered
    plain = parse("# 说明\n\n    1\\. 代码\n", "r.md")
    assert [b.text for b in plain.blocks if "代码" in b.text] == ["1\\. 代码"]
