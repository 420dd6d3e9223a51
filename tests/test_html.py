"""Published web pages: real <table>s with rowspan/colspan, blank cells, locations in the HTML source."""
from __future__ import annotations

from conftest import CORPUS, need_corpus

from gpalint.engine import Engine, Options
from gpalint.readers import read
from gpalint.readers.html import parse
from gpalint.report import analyse
from gpalint.rules import builtin_rules

ENGINE = Engine(builtin_rules())


def test_rowspan_and_colspan_cells_are_placed():
    doc = parse("<p>三、收到和处理政府信息公开申请情况</p><table>"
                "<tr><td rowspan='2'>三、本年度办理结果</td><td colspan='2'>（一）予以公开</td><td>1</td></tr>"
                "<tr><td>（二）部分公开</td><td></td><td>2</td></tr></table>")
    cells = [(b.text, b.cell.row, b.cell.col) for b in doc.blocks if b.cell]
    assert cells == [("三、本年度办理结果", 1, 1), ("（一）予以公开", 1, 2), ("1", 1, 4),
                     ("（二）部分公开", 2, 2), ("", 2, 3), ("2", 2, 4)]


def test_script_and_style_are_not_report_text():
    doc = parse("<script>var a='一、总体情况';</script><style>p{}</style><p>一、总体情况</p>")
    assert [b.text for b in doc.blocks] == ["一、总体情况"]


def test_shanghai_2019_page():
    need_corpus()
    path = next((CORPUS / "html").glob("*.html"))
    report = analyse(read(path))
    assert report.template.version == "2019" and report.year == 2019
    t3 = report.tables["三"]
    assert [t3.value("一", c) for c in t3.active(t3.spec.columns)] == [821, 35, 0, 0, 2, 1, 859]
    # the page leaves eleven 总计 cells blank: reported with the expected values, not read as 0 — and once, since
    # one habit (the total column left blank) is one cause
    _, diags = ENGINE.check_document(read(path), Options(select=["T105"]))
    assert len(diags) == 1
    first = diags[0]
    assert "「（一）予以公开」行「总计」列应为 272（258+12+1+1），实为 空白（同列另有 10 个合计留空" in first.message
    assert "「（四）无法提供1.本机关不掌握相关政府信息」265" in first.message
    assert first.location.line == 3 and first.location.column > 1
