"""Published web pages (.html): paragraphs and real <table>s (rowspan/colspan resolved), site chrome skipped.

Locations are the line and column of the text in the HTML source, so a reviewer can jump to it in an editor.
"""
from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

from ..document import Block, Cell, Document
from ..model import InputError, NotAReport
from . import MAX_BLOCKS
from .text import converted_by_tool, read_decoded

_BREAKS = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article", "center"}
_SKIP = {"script", "style", "nav", "header", "footer", "noscript", "template", "head", "select", "button"}
_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
# A report's table has a few hundred grid cells. rowspan/colspan beyond MAX_SPAN are taken as MAX_SPAN (browsers
# clamp too), and a page whose tables cover more than MAX_GRID_CELLS grid cells is refused: 147 KB of
# <td rowspan=100 colspan=100> would otherwise mean 43 million cells to place (4.7 GB, 89 s).
MAX_SPAN = 100
MAX_GRID_CELLS = 100_000


class _Reader(HTMLParser):
    def __init__(self, doc: Document):
        super().__init__(convert_charrefs=True)
        self.doc = doc
        self.skip = 0
        self.parts: list[str] = []  # text of the current block
        self.start: tuple[int, int] | None = None  # (line, column) where it began
        self.heading: int | None = None
        self.bold = False
        self.tables: list[dict] = []  # stack of open tables: {"no", "row", "col", "taken"}
        self.table_count = 0
        self.grid_cells = 0  # grid cells the page's tables cover so far, merged cells counted in full
        self.cell: Cell | None = None
        self.cell_has_text = False
        self.cell_at = (1, 1)

    # blocks ---------------------------------------------------------------------------------------------
    def flush(self) -> None:
        text = "".join(self.parts)
        if text.strip() and self.start:
            lead = len(text) - len(text.lstrip())
            text = text.strip()
            line, col = self.start
            self.add(Block(" ".join(text.split()) if self.cell else text.replace("\n", " "),
                                         line, col + lead, heading=self.heading, cell=self.cell, bold=self.bold))
            self.cell_has_text = self.cell is not None
        self.parts, self.start = [], None

    def add(self, block: Block) -> None:
        if len(self.doc.blocks) == MAX_BLOCKS:
            raise InputError(f"网页中有超过 {MAX_BLOCKS} 段文字或单元格，不像是一份年度报告，无法检查")
        self.doc.blocks.append(block)

    def handle_starttag(self, tag, attrs):
        if tag in _SKIP:
            self.skip += 1
            return
        if self.skip:
            return
        a = dict(attrs)
        if tag == "table":
            self.flush()
            self.table_count += 1
            self.tables.append({"no": self.table_count, "row": 0, "col": 0, "taken": set()})
        elif tag == "tr" and self.tables:
            self.flush()
            t = self.tables[-1]
            t["row"] += 1
            t["col"] = 0
        elif tag in ("td", "th") and self.tables:
            self.flush()
            t = self.tables[-1]
            col = t["col"] + 1
            while (t["row"], col) in t["taken"]:  # skip columns covered by a rowspan from above
                col += 1
            span_r = _span(a.get("rowspan"))
            span_c = _span(a.get("colspan"))
            self.grid_cells += span_r * span_c
            if self.grid_cells > MAX_GRID_CELLS:
                raise InputError(f"网页中的表格过大：单元格（合并单元格按 rowspan×colspan 计）共超过 {MAX_GRID_CELLS} 格"
                                 f"（第 {t['no']} 个表格，源文件第 {self.getpos()[0]} 行），不是年度报告的表格，无法检查")
            for r in range(t["row"], t["row"] + span_r):
                for c in range(col, col + span_c):
                    t["taken"].add((r, c))
            t["col"] = col + span_c - 1
            self.cell = Cell(t["no"], t["row"], col)
            self.cell_has_text = False
            line, offset = self.getpos()
            self.cell_at = (line, offset + 1)
        elif tag in _BREAKS:
            self.flush()
            self.heading = _HEADINGS.get(tag)
            self.bold = "bold" in (a.get("style") or "")
        elif tag in ("b", "strong") and not self.parts:
            self.bold = True

    def handle_endtag(self, tag):
        if tag in _SKIP:
            self.skip = max(0, self.skip - 1)
            return
        if self.skip:
            return
        if tag in ("td", "th"):
            self.flush()
            if self.cell is not None and not self.cell_has_text:
                line, col = self.cell_at
                self.add(Block("", line, col, cell=self.cell))  # an empty cell keeps its place
            self.cell = None
        elif tag == "table" and self.tables:
            self.flush()
            self.tables.pop()
        elif tag in _BREAKS:
            self.flush()
            self.heading, self.bold = None, False

    def handle_data(self, data):
        if self.skip or not data:
            return
        if self.start is None:
            line, offset = self.getpos()
            self.start = (line, offset + 1)
        self.parts.append(data)


def _span(value) -> int:
    try:
        return max(1, min(int(str(value).strip()), MAX_SPAN))
    except (TypeError, ValueError):
        return 1


def read(path: Path) -> Document:
    return parse(read_decoded(path), str(path))


GENERATOR = '<meta name="generator" content="gpalint">'  # written into gpalint's own review pages


def parse(text: str, path: str = "<html>") -> Document:
    if GENERATOR in text[:4096]:  # a review page from an earlier run, found beside the reports
        raise NotAReport("这不像是政府信息公开工作年度报告：这是 gpalint 生成的审阅页面")
    doc = Document(path, "html", converted=converted_by_tool(text) - {"spacing"})
    reader = _Reader(doc)
    try:
        reader.feed(text)
        reader.close()
    except InputError:
        raise
    except Exception as exc:  # html.parser is lenient; anything it still rejects is not a usable page
        raise InputError(f"无法解析网页文件：{exc}") from None
    reader.flush()
    if not doc.blocks:
        raise InputError("网页中没有正文文字，无法检查")
    return doc
