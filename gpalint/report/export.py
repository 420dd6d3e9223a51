"""`gpalint extract`: the recovered tables as JSON or CSV, so a user can see what gpalint understood."""
from __future__ import annotations

import csv
import io
import json
from typing import Any

from . import Report


def _rows(report: Report):
    for table in report.tables.values():
        spec = table.spec
        for rk, row in spec.rows.items():
            for ck in table.active(row.columns or ()):
                v = table.cells.get((rk, ck))
                yield table, rk, ck, v


def tables_json(report: Report) -> str:
    tables: list[dict[str, Any]] = []
    out = {"path": report.doc.path, "template": report.template.version, "year": report.year, "tables": tables}
    for table in report.tables.values():
        spec = table.spec
        rows = []
        for rk, row in spec.rows.items():
            if row.group and not any((rk, c) in table.cells for c in spec.columns):
                continue
            cols = table.active(row.columns or spec.columns)
            loc = table.rows.get(rk)
            rows.append({"key": rk, "label": spec.row_label(rk) or spec.title, "found": rk in table.rows,
                         "line": loc.line if loc else None, "uncertain": rk in table.uncertain,
                         "values": {spec.columns[c].label: (table.cells[(rk, c)].value if (rk, c) in table.cells else None)
                                    for c in cols}})
        tables.append({"table": spec.title, "name": spec.name, "found": table.found, "rows": rows,
                              "issues": [{"kind": i.kind, "row": i.row, "column": i.column, "detail": i.detail,
                                          "line": i.location.line} for i in table.issues]})
    return json.dumps(out, ensure_ascii=False, indent=2) + "\n"


def tables_csv(report: Report) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["table", "row", "column", "value", "raw", "line", "column_no", "page", "problem"])
    for table, rk, ck, v in _rows(report):
        spec = table.spec
        if v is None:
            w.writerow([spec.title, spec.row_label(rk) or spec.title, spec.columns[ck].label, "", "", "", "", "", "缺失"])
        else:
            w.writerow([spec.title, spec.row_label(rk) or spec.title, spec.columns[ck].label,
                        "" if v.value is None else v.value, v.raw, v.location.line, v.location.column,
                        v.location.page or "", v.problem or ""])
    return buf.getvalue()
