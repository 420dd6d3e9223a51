"""`gpalint extract --format xlsx`: the tables of many reports in one workbook, what a 政务公开办 compiles its
province's statistics from.

One sheet per table (表二, 表三, 表四), one row per report: the file, agency, report year and template, then one
column per cell of the table (two header rows: the table's row label over its column labels), then 「未能读取」,
the list of the cells gpalint could not read. Such a cell is left empty and filled yellow with a comment saying why
(a row missing from the report: grey); a cell the report left blank is empty with a light grey fill. Reports of
different templates share a sheet: the columns are the union of their cells, in the order they first appear. A
last sheet lists the files that could not be read, with the reason.

openpyxl is an optional dependency (``pip install 'gpalint[xlsx]'``): ``MISSING`` is the line to show without it.
"""
from __future__ import annotations

import io

from . import printable
from .readout import split_header

MISSING = "导出 xlsx 需要 openpyxl：请运行 pip install 'gpalint[xlsx]'（或 pip install openpyxl）"
FIXED = ("文件", "单位", "年度", "模板")
UNREAD_COLUMN = "未能读取"
UNREAD_FILL, MISSING_FILL, BLANK_FILL = "FFF3CD", "D9D9D9", "F2F2F2"
AUTHOR = "gpalint"


def available() -> bool:
    try:
        import openpyxl  # noqa: F401
    except ImportError:
        return False
    return True


def workbook(reports: list[tuple[str, dict]], failed: list[tuple[str, str]]) -> bytes:
    """The workbook of ``reports`` (path, FileResult.readout-shaped dict) and ``failed`` (path, reason)."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    titles: dict[str, str] = {}
    for _, read in reports:
        for t in read["tables"]:
            titles.setdefault(t["key"], f"{t['title']} {t['name']}"[:31])
    for key, title in titles.items():
        _sheet(book.create_sheet(title), key, reports)
    errors = book.create_sheet("无法读取的文件")
    errors.append(["文件", "原因"])
    for n, (path, reason) in enumerate(failed, start=2):
        _text(errors.cell(row=n, column=1), path)
        _text(errors.cell(row=n, column=2), reason)
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def _text(cell, text: str) -> None:
    """Report text and file names as text, never as a formula (「=HYPERLINK(…)」 in a file name) and without the
    control characters a workbook cannot hold."""
    cell.value = printable(text)
    cell.data_type = "s"


def _columns(key: str, reports: list[tuple[str, dict]]) -> list[tuple[str, str]]:
    """(row label, column label) of every cell of table ``key`` in any report, in order of first appearance."""
    seen: dict[tuple[str, str], None] = {}
    for _, read in reports:
        for t in read["tables"]:
            if t["key"] == key:
                for row in t["rows"]:
                    for column in row["columns"]:
                        seen.setdefault(_name(t, row, column), None)
    return list(seen)


def _name(table: dict, row: dict, column: str) -> tuple[str, str]:
    """A cell's two header levels: its row label over its column label (表四: the column group over the column)."""
    return split_header(column) if table["layout"] == "header" else (row["label"], column)


def _sheet(ws, key: str, reports: list[tuple[str, dict]]) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill

    columns = _columns(key, reports)
    first = len(FIXED) + 1
    ws.append([*FIXED, *(r for r, _ in columns), UNREAD_COLUMN])
    ws.append(["", "", "", "", *(c for _, c in columns), ""])
    for col in range(1, len(FIXED) + 1):  # the fixed columns span both header rows
        ws.merge_cells(start_row=1, start_column=col, end_row=2, end_column=col)
    end = first + len(columns)
    ws.merge_cells(start_row=1, start_column=end, end_row=2, end_column=end)
    start = first
    for i in range(1, len(columns) + 1):  # a row label over all its columns
        if i == len(columns) or columns[i][0] != columns[start - first][0]:
            if first + i - 1 > start:
                ws.merge_cells(start_row=1, start_column=start, end_row=1, end_column=first + i - 1)
            start = first + i
    for cell in (*ws[1], *ws[2]):
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
    index = {c: first + i for i, c in enumerate(columns)}
    fills = {state: PatternFill("solid", fgColor=color) for state, color in
             (("unreadable", UNREAD_FILL), ("missing", MISSING_FILL), ("blank", BLANK_FILL))}
    for path, read in reports:
        table = next((t for t in read["tables"] if t["key"] == key), None)
        r = ws.max_row + 1
        for n, text in enumerate((path, read.get("agency") or "", read.get("template") or ""), start=1):
            _text(ws.cell(row=r, column=n if n < 3 else 4), text)
        ws.cell(row=r, column=3, value=read.get("year"))
        if table is None or not table["found"]:
            for c in range(first, end):
                ws.cell(row=r, column=c).fill = fills["missing"]
            _text(ws.cell(row=r, column=end), "报告中没有找到这张表")
            continue
        unread = _fill_row(ws, r, table, index, fills)
        _text(ws.cell(row=r, column=end), "；".join(unread))
    ws.freeze_panes = ws.cell(row=3, column=first)
    ws.column_dimensions["A"].width = 40
    ws.column_dimensions["B"].width = 24


def _fill_row(ws, r: int, table: dict, index: dict, fills: dict) -> list[str]:
    """Write one report's cells of ``table`` into sheet row ``r``; the names of the cells it could not read."""
    from openpyxl.comments import Comment

    unread: list[str] = []
    for row in table["rows"]:
        unread_row: list[str] = []
        for column, cell in zip(row["columns"], row["cells"]):
            target = ws.cell(row=r, column=index[_name(table, row, column)])
            state = cell["state"]
            if state == "ok":
                target.value = cell["value"]
                continue
            target.fill = fills[state]
            if state == "blank":
                continue
            unread_row.append(column)
            why = "报告中没有这一行" if state == "missing" else cell["problem"] or "未能读取"
            raw = f"（原文「{cell['text']}」）" if cell["text"] else ""
            target.comment = Comment(printable(f"gpalint 未能读取：{why}{raw}"), AUTHOR)
        if unread_row and len(unread_row) == len(row["columns"]) > 1:
            unread.append("全部数值" if table["layout"] == "header" else f"{row['label']}（整行）")
        else:
            unread += ["/".join(x for x in _name(table, row, column) if x) for column in unread_row]
    return unread
