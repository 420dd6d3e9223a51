"""The same report as .txt, .docx and .pdf: the same tables and the same findings.

The fixtures in tests/corpus/fixtures are the seeds rebuilt as Word files (real tables with merged cells, two
heading styles) and exported to PDF. Where a format genuinely differs it is excluded below, with the reason."""
from __future__ import annotations

from collections import Counter

import pytest
from conftest import CORPUS, need_corpus, seed

from gpalint.engine import Engine, Options
from gpalint.readers import read
from gpalint.report import analyse
from gpalint.rules import builtin_rules

ENGINE = Engine(builtin_rules())
# G (typography) is excluded: the Word/PDF fixtures were rebuilt from the text, and PDF text extraction itself
# changes spacing (line breaks, justified spaces), so spaces and punctuation widths are not the same facts there.
# M102-M106 concern the file itself (title lines, signature, reader notes) and are format specific.
PARITY_IGNORE = ["G", "M103", "M106"]


def tables_of(path):
    report = analyse(read(path))
    return {(k, r, c): (v.value if v.problem is None else v.raw)
            for k, t in report.tables.items() for (r, c), v in t.cells.items()}


def findings_of(path):
    _, diags = ENGINE.check_document(read(path), Options(ignore=PARITY_IGNORE))
    return Counter((d.code, d.message) for d in diags)


@pytest.mark.parametrize("n", ["000", "001", "002", "003", "004"])
def test_same_tables_and_findings_in_txt_docx_pdf(n, pdf_engine):
    need_corpus()
    txt = seed(n)
    docx = next((CORPUS / "fixtures").glob(f"{n}_*.docx"))
    pdf = next((CORPUS / "fixtures").glob(f"{n}_*.pdf"))
    base = tables_of(txt)
    assert len(base) == 200
    assert tables_of(docx) == base
    assert tables_of(pdf) == base
    expected = findings_of(txt)
    assert findings_of(docx) == expected
    assert findings_of(pdf) == expected
