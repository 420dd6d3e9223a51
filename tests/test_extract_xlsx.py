"""gpalint extract --format xlsx: one sheet per table, one row per report, unreadable cells empty and flagged."""
from __future__ import annotations

import pytest
from conftest import CORPUS, need_corpus

from gpalint.cli import main

openpyxl = pytest.importorskip("openpyxl")

T3 = "表三 收到和处理政府信息公开申请情况"


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    need_corpus()
    out = tmp_path_factory.mktemp("xlsx") / "统计表.xlsx"
    assert main(["extract", "--format", "xlsx", str(CORPUS), "-o", str(out)]) == 0
    return openpyxl.load_workbook(out)


def _rows(ws):
    """{path: {header: cell}} with header 「row label/column label」 (or the column label alone)."""
    names = []
    for top, sub in zip(ws[1], ws[2]):
        label = top.value if top.value is not None else (names[-1][0] if names else "")
        names.append((label, sub.value))
    return {row[0].value: {(f"{a}/{b}" if b else a): c for (a, b), c in zip(names, row)}
            for row in ws.iter_rows(min_row=3)}


def test_one_sheet_per_table_and_one_row_per_report(book):
    assert book.sheetnames == ["表二 主动公开政府信息情况", T3, "表四 政府信息公开行政复议、行政诉讼情况", "无法读取的文件"]
    reports = [p for p in CORPUS.rglob("*") if p.suffix in (".txt", ".docx", ".pdf", ".html", ".md")
               and p.name != "README.md"]
    for ws in book.worksheets[:3]:
        assert ws.max_row == 2 + len(reports)
        assert [c.value for c in ws[1][:4]] == ["文件", "单位", "年度", "模板"] and ws[1][-1].value == "未能读取"


def test_cells_agency_and_year(book):
    rows = _rows(book[T3])
    r = rows[str(CORPUS / "full" / "101_2020_pingtan-zongheshiyanqu.txt")]
    assert (r["单位"].value, r["年度"].value, r["模板"].value) == ("平潭综合实验区", 2020, "2019")
    assert r["一、本年新收政府信息公开申请数量/总计"].value == 21
    assert r["（七）总计/总计"].value == 21  # as the report says (27 by its rows: the check's finding, not extract's)
    word = rows[next(str(p) for p in (CORPUS / "fixtures").glob("000_*.docx"))]
    assert (word["单位"].value, word["年度"].value) == ("伊川县酒后镇人民政府", 2024)
    t4 = _rows(book["表四 政府信息公开行政复议、行政诉讼情况"])
    assert t4[str(next((CORPUS / "seeds").glob("002_*.txt")))]["行政复议/总计"].value == 0


def test_unreadable_cells_are_empty_flagged_and_listed(book):
    rows = _rows(book["表二 主动公开政府信息情况"])
    r = rows[str(CORPUS / "full" / "101_2020_pingtan-zongheshiyanqu.txt")]
    cell = r["行政许可/上一年项目数量"]  # glued digits 396442278: no unique split into the row's columns
    assert cell.value is None and cell.fill.fgColor.rgb.endswith("FFF3CD")
    assert cell.comment is not None and "未能读取" in cell.comment.text and "396442278" in cell.comment.text
    assert "行政许可（整行）" in r["未能读取"].value
    assert r["规章/本年新制作数量"].value == 0 and r["规章/本年新制作数量"].comment is None


def test_a_file_that_cannot_be_read_is_listed_with_the_reason(tmp_path, capsys):
    (tmp_path / "坏.docx").write_bytes(b"not a zip")
    (tmp_path / "=HYPERLINK(1).txt").write_text("2024年政府信息公开工作年度报告\n", encoding="utf-8")
    out = tmp_path / "out.xlsx"
    assert main(["extract", "--format", "xlsx", str(tmp_path), "-o", str(out)]) == 2
    assert "坏.docx: 错误：" in capsys.readouterr().err
    book = openpyxl.load_workbook(out)
    [(path, reason)] = [(r[0].value, r[1].value) for r in book["无法读取的文件"].iter_rows(min_row=2)]
    assert path.endswith("坏.docx") and reason
    name = book[book.sheetnames[0]]["A3"]
    assert name.value.endswith("=HYPERLINK(1).txt") and name.data_type == "s"  # text, never a formula


def test_xlsx_needs_an_output_file_on_a_terminal(monkeypatch, capsys):
    monkeypatch.setattr("sys.stdout.isatty", lambda: True)
    assert main(["extract", "--format", "xlsx", str(CORPUS / "seeds")]) == 2
    assert "--output" in capsys.readouterr().err


def test_without_openpyxl_one_chinese_line(monkeypatch, capsys, tmp_path):
    monkeypatch.setitem(__import__("sys").modules, "openpyxl", None)  # import openpyxl now raises ImportError
    assert main(["extract", "--format", "xlsx", str(CORPUS / "seeds"), "-o", str(tmp_path / "x.xlsx")]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "pip install 'gpalint[xlsx]'" in err


def test_json_and_csv_still_take_one_report(capsys):
    assert main(["extract", str(CORPUS / "seeds"), str(CORPUS / "full")]) == 2
    assert "--format xlsx" in capsys.readouterr().err
