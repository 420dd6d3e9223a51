"""Tables gpalint can trust: one wrong cell gives one finding with the expected value (the relations solved
together), glued digits are split exactly when the table's relations allow one reading, and a table that cannot
be read gives one reader note instead of a finding per row or cell."""
from __future__ import annotations

import time

import pytest
from conftest import ROOT, need_corpus, seed

from gpalint.engine import Engine, Options
from gpalint.readers.text import parse
from gpalint.report import analyse
from gpalint.report.tables.glued import search
from gpalint.rules import builtin_rules

ENGINE = Engine(builtin_rules())
CLEAN = (ROOT / "examples" / "clean-report.txt").read_text(encoding="utf-8")
SUMS = ("T103", "T104", "T105", "T106", "T107")


def t_findings(text: str):
    _, diags = ENGINE.check_document(parse(text), Options(select=["T", "M110"]))
    return diags


def with_cell(text: str, table: str, row: str, column: str, value: int) -> str:
    """``text`` with one cell of a table set to ``value`` (found through gpalint's own reading of the text)."""
    cell = analyse(parse(text)).tables[table].cells[(row, column)]
    lines = text.split("\n")
    loc = cell.location
    line = lines[loc.line - 1]
    lines[loc.line - 1] = line[:loc.column - 1] + str(value) + line[loc.end_column - 1:]
    return "\n".join(lines)


# ── one wrong cell, one finding ──────────────────────────────────────────────────────────────────────────────────

CELLS = [("三", "一", "自然人"), ("三", "一", "总计"), ("三", "二", "商业企业"), ("三", "三.一", "自然人"),
         ("三", "三.一", "总计"), ("三", "三.三.4", "其他"), ("三", "三.六.3", "自然人"), ("三", "三.七", "自然人"),
         ("三", "三.七", "总计"), ("三", "四", "总计"), ("四", "数据", "复议.总计"), ("四", "数据", "直诉.总计")]


@pytest.mark.parametrize("n", ["000", "001", "002", "003", "004"])
@pytest.mark.parametrize(("table", "row", "column"), CELLS)
def test_one_changed_cell_gives_one_finding_with_its_value(n, table, row, column):
    need_corpus()
    text = seed(n).read_text(encoding="utf-8")
    before = [d for d in t_findings(text) if d.code in SUMS]
    assert not before
    old = analyse(parse(text)).tables[table].value(row, column)
    assert isinstance(old, int)
    found = [d for d in t_findings(with_cell(text, table, row, column, old + 2)) if d.code in SUMS]
    assert len(found) == 1, [d.message for d in found]
    d = found[0]
    assert f"应为 {old}（" in d.message and f"实为 {old + 2}" in d.message
    label = analyse(parse(text)).tables[table].context(row, column)
    assert d.location.context is not None and d.location.context.startswith(label)


def test_the_cell_is_named_by_the_relation_it_totals_and_names_the_others():
    text = CLEAN.replace("（七）总计\t3\t1\t0\t0\t0\t0\t4", "（七）总计\t3\t1\t0\t0\t0\t0\t5")
    found = t_findings(text)
    assert [d.code for d in found] == ["T103"]
    assert "同时不符：第一项加第二项之和" in found[0].message and "总计等于自然人与" in found[0].message


def test_no_negative_count_is_suggested():
    """Results beyond what was received: the carry-over cannot be −1; the message says the relation fails."""
    text = CLEAN.replace("（一）予以公开\t2\t1\t0\t0\t0\t0\t3", "（一）予以公开\t3\t1\t0\t0\t0\t0\t4").replace(
        "（七）总计\t3\t1\t0\t0\t0\t0\t4", "（七）总计\t4\t1\t0\t0\t0\t0\t5")
    found = [d for d in t_findings(text) if d.code in SUMS]
    assert found and all("−1" not in d.message and "应为 −" not in d.message for d in found)
    assert any("无法成立（" in d.message and "为负数" in d.message for d in found)


def test_two_independent_wrong_cells_give_two_findings():
    text = with_cell(with_cell(CLEAN, "三", "一", "自然人", 5), "四", "数据", "复议.总计", 3)
    codes = sorted(d.code for d in t_findings(text) if d.code in SUMS)
    assert len(codes) == 2 and "T106" in codes


# ── glued digits ─────────────────────────────────────────────────────────────────────────────────────────────────

def test_full_2025_glued_rows_are_read_by_the_tables_relations():
    """full/006 (2025): 「330000033」 has two readings by its own row (33,0,…,33 and 3,30,…,33); the column sums
    choose one. Table 四's 「25380363300630003」 has one reading. No T109, no guess."""
    need_corpus()
    path = next((ROOT / "tests" / "corpus" / "full").glob("006_*.txt"))
    report = analyse(parse(path.read_text(encoding="utf-8")))
    t3, t4 = report.tables["三"], report.tables["四"]
    assert [t3.value("三.一", c) for c in t3.active(t3.spec.columns)] == [33, 0, 0, 0, 0, 0, 33]
    assert [t4.value("数据", c) for c in t4.spec.columns][:5] == [25, 3, 8, 0, 36]
    assert not t3.issues and not t4.issues
    _, diags = ENGINE.check_document(report.doc, Options(select=["T", "M110"]))
    assert [d.code for d in diags] == ["M110"] and "5845546" in diags[0].message  # 表二 has no relation to use


def test_glued_row_with_one_reading_by_its_total():
    text = CLEAN.replace("（一）予以公开\t2\t1\t0\t0\t0\t0\t3", "（一）予以公开\t2100003")
    assert t_findings(text) == []
    t3 = analyse(parse(text)).tables["三"]
    assert t3.value("三.一", "商业企业") == 1


def test_glued_row_without_a_deciding_relation_is_one_reader_note():
    text = CLEAN.replace("行政规范性文件\t2\t0\t5", "行政规范性文件\t2105")
    found = t_findings(text)
    assert [(d.code, d.severity.value if hasattr(d.severity, "value") else d.severity) for d in found] == [
        ("M110", "info")]
    assert "2、10、5；21、0、5" in found[0].message


def test_a_sign_in_a_signed_column_starts_a_value():
    """2019 表二: 「2648-18538」 is 上一年 2648, then 增/减 negative: the sign is kept, never read as junk."""
    cuts = search("2648-18538", frozenset({4, 10}), (False, True, False), ())
    values = {tuple(int(x) for x in _pieces("2648-18538", c)) for c in cuts}
    assert (2648, -185, 38) in values and all(v[1] < 0 and v[0] == 2648 for v in values)


def _pieces(digits, cut):
    return [digits[a:b] for a, b in zip(cut, (*cut[1:], len(digits)))]


def test_thesearch_is_bounded_and_uses_the_total():
    """Fifteen values with three sums over 40 digits: decided (or given up) in well under a second."""
    start = time.perf_counter()
    checks = ((4, ((1, 0), (1, 1), (1, 2), (1, 3))),)
    cuts = search("1234567" + "0" * 3 + "1234567", frozenset({17}), (False,) * 5, checks)
    assert time.perf_counter() - start < 1.0
    assert all(sum(int(p) for p in _pieces("12345670001234567", c)[:4]) == int(_pieces("12345670001234567", c)[4])
               for c in cuts)


# ── one finding per unreadable table ────────────────────────────────────────────────────────────────────────────

def test_markdown_separator_rows_are_not_values():
    text = CLEAN.replace("信息内容\t本年制发件数\t本年废止件数\t现行有效件数\n",
                         "| 信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |\n|---|:---:|---|---|\n", 1)
    assert t_findings(text) == []


def test_a_table_read_in_column_order_is_one_reader_note():
    """Text from a PDF whose cells come column by column: labels first, the numbers after them."""
    lines = CLEAN.split("\n")
    start = next(i for i, ln in enumerate(lines) if ln.startswith("一、本年新收"))
    end = next(i for i, ln in enumerate(lines) if ln.startswith("四、结转下年度"))
    rows = [ln.split("\t") for ln in lines[start:end + 1]]
    labels = ["\t".join(c for c in r if not c.isdigit()) for r in rows]
    numbers = [c for r in rows for c in r if c.isdigit()]
    lines[start:end + 1] = labels + [" ".join(numbers[i:i + 7]) for i in range(0, len(numbers), 7)]
    found = t_findings("\n".join(lines))
    assert [d.code for d in found] == ["M110"] and found[0].message.startswith("表三")


def test_rows_missing_in_a_run_are_one_finding():
    """A table cut short (the page ends after row 二): one T102 naming the run, not one per row."""
    lines = CLEAN.split("\n")
    start = next(i for i, ln in enumerate(lines) if "（一）予以公开" in ln)
    end = next(i for i, ln in enumerate(lines) if ln.startswith("四、结转下年度"))
    text = "\n".join(lines[:start] + lines[end + 1:])
    found = [d for d in t_findings(text) if d.code == "T102"]
    assert len(found) == 1 and found[0].message.startswith("表三缺少连续 ")


def test_a_blank_total_is_reported_once_with_its_expected_value():
    from gpalint.readers.html import parse as parse_html
    row = "<tr><td>一、本年新收政府信息公开申请数量</td><td>3</td><td>1</td><td>0</td><td>0</td><td>0</td><td>0</td><td></td></tr>"
    zero = "<tr><td>二、上年结转政府信息公开申请数量</td>" + "<td>0</td>" * 7 + "</tr>"
    html = f"<p>三、收到和处理政府信息公开申请情况</p><table>{row}{zero}</table>"
    _, diags = ENGINE.check_document(parse_html(html), Options(select=["T105", "T110"]))
    assert [d.code for d in diags] == ["T105"] and "应为 4（3+1），实为 空白" in diags[0].message


# ── parity with the Word original, layout by layout ─────────────────────────────────────────────────────────────

LAYOUTS = ROOT / "tests" / "corpus" / "layouts"  # the layout zoo's text layouts (scripts/make_layouts.py)
LAYOUT_FILES = sorted(p for p in LAYOUTS.glob("*/*") if p.suffix in (".txt", ".md")) if LAYOUTS.is_dir() else []
READING = {"T109", "M110"}  # a table, or its rows, that could not be read


@pytest.mark.parametrize("path", LAYOUT_FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_each_layout_gives_the_word_tables_or_one_finding_per_table(path):
    """Every cell read from a converter's text equals the .docx's; a table that could not be read as a whole gets
    at most one finding saying so, and no arithmetic or value finding is drawn from it."""
    from gpalint.readers import read
    need_corpus()
    word = analyse(read(next((ROOT / "tests" / "corpus" / "fixtures").glob(f"{path.stem}.docx")))).tables
    report, diags = ENGINE.check_document(read(path), Options(select=["T", "M110"]))
    assert not [d.message for d in diags if d.code in (*SUMS, "T108")]
    for key, table in report.tables.items():
        assert table.found, key
        wrong = [c for c in table.cells if c[0] not in table.uncertain and c in word[key].cells
                 and table.value(*c) is not None and table.value(*c) != word[key].value(*c)]
        assert not wrong, (key, wrong[:3])
        notes = [d for d in diags if d.code in READING and d.message.startswith(table.spec.title)]
        assert len(notes) <= 1, [d.message for d in notes]
        assert bool(table.uncertain) == bool(notes), (key, sorted(table.uncertain), [d.message for d in notes])


def test_rows_short_in_a_web_table_are_one_error_for_the_table():
    """Read from real cells, short rows are the report's: one T109 naming them, not one per row."""
    from gpalint.readers.html import parse as parse_html
    short = "<tr><td>{}</td>" + "<td>0</td>" * 5 + "</tr>"
    rows = short.format("一、本年新收政府信息公开申请数量") + short.format("二、上年结转政府信息公开申请数量")
    html = f"<p>三、收到和处理政府信息公开申请情况</p><table>{rows}</table>"
    _, diags = ENGINE.check_document(parse_html(html), Options(select=["T109", "M110"]))
    assert [d.code for d in diags] == ["T109"] and "2 行的数值不全" in diags[0].message


def test_a_file_cut_short_inside_a_table_is_one_finding_where_it_stops():
    """An excerpt or a crawl that stops in the middle of 表三: the rows after the cut, and the values missing from
    the row it cuts, are where the file stops, not the report's omissions — one S101 says so, at the cut."""
    base = (ROOT / "rules" / "bases" / "report.txt").read_text(encoding="utf-8")
    row = "\t\t6.属于四类过程性信息\t0\t0\t0\t0\t0\t0\t0"
    assert row in base
    cut = base[:base.index(row)] + row[:-4]  # the row loses its last values, and everything after it is gone
    _, diags = ENGINE.check_document(parse(cut, "cut.txt"), Options(select=["S", "T"]))
    assert [d.code for d in diags] == ["S101"]
    assert diags[0].message.startswith("缺少第四至六部分") and "（文件在此中断：最后一段「…" in diags[0].message
    assert diags[0].location.line == cut.count("\n") + 1
    # the same rows missing from a file that ends properly are the report's own omission
    ended = base[:base.index(row)] + "五、存在的主要问题及改进情况\n无。\n六、其他需要报告的事项\n无。\n"
    _, diags = ENGINE.check_document(parse(ended, "ended.txt"), Options(select=["S", "T"]))
    assert "T102" in {d.code for d in diags} and not any("中断" in d.message for d in diags)
