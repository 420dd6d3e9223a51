"""What gpalint read of a report, as plain data (str, int, float, None, lists and dicts): the agency, the year,
the template and the three tables cell by cell, as the review page draws them and the workbook lists them.

Plain data because it travels from a worker process back with the FileResult, and because the review page and
the workbook must not reach into a Report's internals. A table is its key, title, name, layout, whether it was
found, and its rows in template order; a row has its full label (「（三）不予公开1.属于国家秘密」), its own label
(「1.属于国家秘密」), its parent's key, whether it is a heading row (no cells), the labels of its columns and one
cell per column. A cell is one of:

- ``ok``: a number gpalint trusts (``value``);
- ``blank``: left empty in the report (counted as 0 where the template allows; a blank 总计 is an omitted total);
- ``unreadable``: gpalint could not read it: the row's numbers could not be aligned to the columns, the value is not
  a number (``problem`` says why), or the row has fewer numbers than columns;
- ``missing``: the row is not in the report at all.
"""
from __future__ import annotations

import re

from ..report import Report
from ..report.tables import Table

_TITLE_LABEL = re.compile(r"^[#\s]*(?:标题\s*[:：])?\s*")
_TRIM = " \u3000\t:：,，、·-—"
# an agency's name: Chinese characters (and brackets, 中共××委员会（××）), not a sentence that mentions the title
# the words around the year of a title: 「××区2020年度政府信息公开…」 or 「2019年××办公厅政府信息公开…」
_TITLE_WORDS = re.compile(r"(?P<before>.*?)\d{4}\s*年\s*度?(?P<after>.*?)(?:政\s*府\s*信\s*息\s*公\s*开|政\s*府\s*$|$)")
_AGENCY = re.compile(r"[^\W\d_A-Za-z]{2}[^\W\d_A-Za-z（）()]{0,38}")


def readout(report: Report) -> dict:
    return {"agency": agency(report), "year": report.year, "template": report.template.version,
            "tables": [_table(t) for t in report.tables.values()]}


def agency(report: Report) -> str | None:
    """The issuing agency: the title's words before the year (「平潭综合实验区2020年度政府信息公开工作年度报告」)
    or after it (「2019年上海市人民政府办公厅政府信息公开…」), else the issuer line of the 落款; None when neither
    reads as a name."""
    title = report.outline.title
    m = _TITLE_WORDS.match(report.blocks[title.index].text) if title is not None else None
    for words in (m.group("before"), m.group("after")) if m else ():
        words = _TITLE_LABEL.sub("", words).strip(_TRIM)
        if words.endswith("人民"):  # 「××镇人民政府信息公开…」: the agency's 政府 is the title's
            words += "政府"
        if _AGENCY.fullmatch(words):
            return words
    from ..checks.signing_date import find_signature
    found = find_signature(report)
    issuer = found[2].strip(_TRIM) if found is not None else ""
    return issuer if _AGENCY.fullmatch(issuer) else None


def split_header(label: str) -> tuple[str, str]:
    """The two header levels of a column label of a header-layout table: 「行政复议 总计」 → ("行政复议", "总计")."""
    group, _, sub = label.rpartition(" ")
    return group, sub


def cell_position(page: int | None, line: int, column: int) -> list:
    """How a cell and a finding are matched: the finding of a cell is placed where the cell's text starts."""
    return [page, line, column]


def _table(table: Table) -> dict:
    spec = table.spec
    rows: list[dict] = []
    for key, row in spec.rows.items():
        has_cells = any((key, c) in table.cells for c in spec.columns)
        if row.group and not has_cells:
            rows.append({"key": key, "label": row.label, "own": row.label, "parent": row.parent, "group": True,
                         "columns": [], "cells": []})
            continue
        columns = table.active(row.columns or spec.columns)
        rows.append({"key": key, "label": spec.row_label(key) or spec.name, "own": row.label or spec.name,
                     "parent": row.parent, "group": False,
                     "columns": [spec.columns[c].label for c in columns],
                     "cells": [cell_reading(table, key, c) for c in columns]})
    return {"key": spec.key, "title": spec.title, "name": spec.name, "layout": spec.layout, "found": table.found,
            "rows": rows}


def _row_problem(table: Table, row: str) -> str | None:
    """What the table's reading note says of ``row`` (its part of a note on several rows), if anything."""
    label = table.spec.rows[row].label
    for issue in table.issues:
        if issue.row == row:
            return issue.detail
        if issue.row is None and f"「{label}」" in issue.detail:
            part = next((p for p in issue.detail.split("；") if f"「{label}」" in p), issue.detail)
            return part.split("：", 1)[-1] if part.startswith(issue.detail.split("：", 1)[0]) else part
    return None


def cell_reading(table: Table, row: str, column: str) -> dict:
    """One cell as the review page draws it: its state (ok, blank, unreadable, missing), text, value and problem."""
    found = table.cells.get((row, column))
    if row not in table.rows or not table.found:
        return {"state": "missing", "text": "", "value": None, "problem": None, "at": None}
    if found is None:
        glued = table.glued.get(row)  # digits glued together with more than one reading: the file's own text
        if glued is not None:
            loc = glued.location
            return {"state": "unreadable", "text": glued.text, "value": None, "at": cell_position(loc.page, loc.line, loc.column),
                    "problem": f"这一行的数字连在一起（{glued.text}），有不止一种拆分，无法确定各格的数值"}
        return {"state": "unreadable", "text": "", "value": None, "at": None,
                "problem": _row_problem(table, row) or "没有读到这一格的数值"}
    loc = found.location
    at = cell_position(loc.page, loc.line, loc.column)
    value = table.value(row, column)
    if row in table.uncertain:
        state, problem = "unreadable", "这一行的数值无法与各列一一对应"
    elif found.problem:
        state, problem = "unreadable", found.problem
    elif found.raw == "":
        state, problem = "blank", None
    else:
        state, problem = "ok", None
    return {"state": state, "text": found.raw, "value": value if state in ("ok", "blank") else None,
            "problem": problem, "at": at}
