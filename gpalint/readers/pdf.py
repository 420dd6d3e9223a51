"""PDF reports: text lines with page and line number; tables rebuilt from the ruling lines of their borders.

pdfminer.six lays out each page once (``extract_pages``; hierarchical box ordering is switched off because we order
lines ourselves by position). From every text line we rebuild the text from its characters:

  * the spaces pdfminer *infers* from gaps (``LTAnno``) are kept only between two non-CJK characters — the gaps
    around CJK characters come from justification or from Word/LibreOffice's CJK–Latin autospacing, not from the
    text (so "2024年" stays "2024年"); space characters really present in the PDF are kept;
  * unmapped glyphs ``(cid:NN)`` become U+FFFD and are listed in ``Document.notes``; nothing is guessed;
  * full-width characters stay as they are.

Locations: ``Block.page`` is the 1-based page, ``Block.line`` the 1-based line on that page counted top to bottom
over all text on the page (running headers included, so it matches what a reader counts), ``Block.column`` 1.

Tables. Horizontal and vertical rulings (``LTLine``, thin ``LTRect``/``LTCurve``, the edges of cell rectangles)
that touch each other form a table grid. Every text line inside the grid is assigned to the cell bounded by the
nearest rulings around it; lines in one cell are joined (a label wrapped over two or five lines stays one cell).
Cells are emitted row-major (top boundary, then left boundary) as ``Cell(table, row, col)`` blocks, so a
vertically merged label comes right before the first row it spans — the order a text extraction gives. A table
that continues at the top of the next page keeps its number and row count; its repeated header rows are dropped.
Outside ruled tables every printed line stays a line, its pieces two spaces apart; table recovery reads a
borderless table from such lines as from a text file.

Page numbers ("3", "— 3 —", "第 3 页", "3/12") and running headers/footers repeated on most pages, in the top or
bottom margin band, are dropped.
"""
from __future__ import annotations

import bisect
import logging
import re
import unicodedata
import zlib
from collections.abc import Iterator
from io import BytesIO
from pathlib import Path

import pdfminer.pdftypes
from pdfminer.converter import PDFPageAggregator
from pdfminer.layout import LAParams, LTAnno, LTChar, LTCurve, LTFigure, LTLine, LTPage, LTRect, LTTextBox, LTTextLine
from pdfminer.lzw import LZWDecoder
from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
from pdfminer.pdfpage import PDFPage

from ..cjk import is_cjk
from ..document import Block, Cell, Document
from ..model import InputError, Location

# char_margin 2.0 keeps the numbers of adjacent table columns apart; line_overlap 0.5 keeps the baseline of a
# CJK line together with its Latin digits; boxes_flow None skips pdfminer's (slow) reading-order analysis.
LAPARAMS = LAParams(line_overlap=0.5, char_margin=2.0, line_margin=0.5, word_margin=0.1, boxes_flow=None,
                    all_texts=True)

# Budgets. pdfminer inflates every stream whole and lays a page out from all its objects at once, with no limit of
# its own: a 1 MB file whose content stream inflates to 1 GiB took 2.1 GB. A real report's page has a few thousand
# characters and ruling lines; its streams (content, fonts, object streams) inflate to a few MB.
MAX_STREAM = 64 * 1024 * 1024  # bytes one stream may inflate to
MAX_INFLATED = 256 * 1024 * 1024  # bytes all streams of one file may inflate to
MAX_PAGE_OBJECTS = 50_000  # characters and drawn paths on one page
MAX_PAGES = 2000  # a long annual report has two hundred

TOL = 2.0  # points: how far apart ruling ends may be and still meet
MARGIN = 0.10  # top/bottom share of the page where headers, footers and page numbers live
_PAGE_NO = re.compile(
    r"^[\s\-—–－_~·•]*(?:第\s*\d+\s*页(?:\s*[，,/]?\s*共\s*\d+\s*页)?|\d{1,4}(?:\s*/\s*\d{1,4})?|"
    r"(?:page|p\.)\s*\d+(?:\s*(?:of|/)\s*\d+)?|[ivxlc]{1,6})[\s\-—–－_~·•]*$", re.I)
_HEAD_FONT = ("bold", "black", "heavy", "hei", "kai", "sans", "gothic", "黑", "楷")
_CID = re.compile(r"\(cid:(\d+)\)")
# Some producers (Chromium/Skia, among others) map CJK glyphs to the Kangxi radicals (U+2F00…) and CJK radical
# supplement forms that look the same: 「⼀、总体情况」 is 「一、总体情况」. NFKC gives the ideograph for the Kangxi
# radicals; the simplified-form supplements NFKC leaves alone are listed.
_RADICALS = {**{chr(c): unicodedata.normalize("NFKC", chr(c)) for c in range(0x2F00, 0x2FD6)},
             "⺠": "民", "⻓": "长", "⻅": "见", "⻚": "页", "⻔": "门", "⻋": "车", "⻉": "贝", "⻛": "风", "⻜": "飞",
             "⻢": "马", "⻥": "鱼", "⻰": "龙", "⻆": "角", "⺟": "母"}
_IDEOGRAPHS = str.maketrans(_RADICALS)


class _Piece:
    """A run of characters of one text line that lies within one table cell (usually the whole line)."""

    __slots__ = ("band", "cids", "cjk", "cjk_head", "other", "other_head", "text", "x0", "x1", "y0", "y1")

    def __init__(self):
        self.text = ""
        self.x0 = self.y0 = float("inf")
        self.x1 = self.y1 = float("-inf")
        self.cids: list[tuple[int, str]] = []
        self.cjk = self.cjk_head = self.other = self.other_head = 0
        self.band = 0

    @property
    def yc(self) -> float:
        return (self.y0 + self.y1) / 2

    @property
    def xc(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def height(self) -> float:
        return self.y1 - self.y0

    @property
    def headish(self) -> bool:
        if self.cjk:
            return self.cjk_head == self.cjk
        return self.other > 0 and self.other_head == self.other


class _Seg:
    __slots__ = ("a", "b", "pos")  # horizontal: y, x0, x1 ; vertical: x, y0, y1

    def __init__(self, pos: float, a: float, b: float):
        self.pos, self.a, self.b = pos, a, b


class _Grid:
    """One ruled table on one page."""

    def __init__(self, hs: list[_Seg], vs: list[_Seg]):
        self.hs, self.vs = hs, vs
        self.x0 = min(min(s.a for s in hs), min(s.pos for s in vs))
        self.x1 = max(max(s.b for s in hs), max(s.pos for s in vs))
        self.y0 = min(min(s.pos for s in hs), min(s.a for s in vs))
        self.y1 = max(max(s.pos for s in hs), max(s.b for s in vs))
        self.rows = _distinct(sorted((s.pos for s in hs), reverse=True))  # top first
        self.cols = _distinct(sorted(s.pos for s in vs))

    def contains(self, p: _Piece) -> bool:
        return self.x0 - TOL <= p.xc <= self.x1 + TOL and self.y0 - TOL <= p.yc <= self.y1 + TOL

    def cell_of(self, p: _Piece) -> tuple[float, float, float, float]:
        """(top, left, bottom, right) of the cell around piece ``p``."""
        xc, yc = p.xc, p.yc
        left, right, top, bottom = self.x0, self.x1, self.y1, self.y0
        for v in self.vs:
            if v.a - TOL <= yc <= v.b + TOL:
                if left < v.pos <= xc:
                    left = v.pos
                elif xc <= v.pos < right:
                    right = v.pos
        for h in self.hs:
            if h.a - TOL <= xc <= h.b + TOL:
                if yc <= h.pos < top:
                    top = h.pos
                elif bottom < h.pos <= yc:
                    bottom = h.pos
        return top, left, bottom, right

    def row_index(self, top: float) -> int:
        return _nearest(self.rows, top) + 1

    def col_index(self, left: float) -> int:
        return _nearest(self.cols, left) + 1


def _distinct(values: list[float]) -> list[float]:
    out: list[float] = []
    for v in values:
        if not out or abs(v - out[-1]) > 1.5:
            out.append(v)
    return out


def _nearest(values: list[float], v: float) -> int:
    best, best_d = 0, float("inf")
    for i, x in enumerate(values):
        d = abs(x - v)
        if d < best_d:
            best, best_d = i, d
    return best


# ---------------------------------------------------------------- rulings → grids
def _rulings(objs) -> tuple[list[_Seg], list[_Seg]]:
    hs: list[_Seg] = []
    vs: list[_Seg] = []
    for o in objs:
        x0, y0, x1, y1 = o.x0, o.y0, o.x1, o.y1
        w, h = x1 - x0, y1 - y0
        if h <= 2.5 and w > 2:
            hs.append(_Seg((y0 + y1) / 2, x0, x1))
        elif w <= 2.5 and h > 2:
            vs.append(_Seg((x0 + x1) / 2, y0, y1))
        elif isinstance(o, LTRect) and w > 4 and h > 4:  # a cell drawn as a rectangle: its four edges
            hs += [_Seg(y0, x0, x1), _Seg(y1, x0, x1)]
            vs += [_Seg(x0, y0, y1), _Seg(x1, y0, y1)]
    return _merge(hs), _merge(vs)


def _merge(segs: list[_Seg]) -> list[_Seg]:
    """Join collinear segments that touch (Word draws each cell border separately)."""
    segs.sort(key=lambda s: (round(s.pos), s.a))
    out: list[_Seg] = []
    for s in segs:
        if out:
            last = out[-1]
            if abs(last.pos - s.pos) <= 1.0 and s.a <= last.b + TOL:
                if s.b > last.b:
                    last.b = s.b
                continue
        out.append(_Seg(s.pos, s.a, s.b))
    return out


def _grids(hs: list[_Seg], vs: list[_Seg]) -> list[_Grid]:
    if len(hs) < 2 or len(vs) < 2:
        return []
    parent = list(range(len(hs) + len(vs)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    vs_sorted = sorted(range(len(vs)), key=lambda j: vs[j].pos)
    xs = [vs[j].pos for j in vs_sorted]
    for i, h in enumerate(hs):
        lo = bisect.bisect_left(xs, h.a - TOL)
        hi = bisect.bisect_right(xs, h.b + TOL)
        for k in range(lo, hi):
            j = vs_sorted[k]
            v = vs[j]
            if v.a - TOL <= h.pos <= v.b + TOL:
                ri, rj = find(i), find(len(hs) + j)
                if ri != rj:
                    parent[ri] = rj
    groups: dict[int, tuple[list[_Seg], list[_Seg]]] = {}
    for i, h in enumerate(hs):
        groups.setdefault(find(i), ([], []))[0].append(h)
    for j, v in enumerate(vs):
        groups.setdefault(find(len(hs) + j), ([], []))[1].append(v)
    out = []
    for ghs, gvs in groups.values():
        if len(ghs) >= 2 and len(gvs) >= 2:
            g = _Grid(ghs, gvs)
            if len(g.rows) >= 3 or len(g.cols) >= 3:  # at least two cells; a lone frame is not a table
                out.append(g)
    return out


# ---------------------------------------------------------------- characters → pieces
def _font_headish(name: str, cache: dict) -> bool:
    got = cache.get(name)
    if got is None:
        base = name.split("+", 1)[-1]
        try:  # Chinese font names are often stored GBK-encoded: "#BA#DA#CC#E5" = 黑体
            decoded = base.encode("latin-1").decode("gbk")
        except (UnicodeEncodeError, UnicodeDecodeError):
            decoded = base
        low = (base + " " + decoded).lower()
        got = cache[name] = any(k in low for k in _HEAD_FONT)
    return got


def _line_pieces(line, vrules: list[_Seg], fonts: dict) -> list[_Piece]:
    """Rebuild the text of a pdfminer text line; split it where a vertical ruling crosses it."""
    yc = (line.y0 + line.y1) / 2
    cuts = sorted(v.pos for v in vrules if line.x0 < v.pos < line.x1 and v.a - TOL <= yc <= v.b + TOL)
    pieces: list[_Piece] = []
    cur = _Piece()
    chars: list[str] = []
    length = 0
    pending_space = False
    cut_i = 0
    prev_x1 = None
    for item in line:
        if isinstance(item, LTChar):
            t = item.get_text().translate(_IDEOGRAPHS)
            if not t:
                continue
            # a gap wider than a character is a column break even without a ruling (tab-aligned tables)
            gap = prev_x1 is not None and item.x0 - prev_x1 > 1.2 * max(item.size, item.height, 1.0)
            prev_x1 = item.x1
            crossed = cuts and cut_i < len(cuts) and (item.x0 + item.x1) / 2 > cuts[cut_i]
            if crossed or gap:
                while cuts and cut_i < len(cuts) and (item.x0 + item.x1) / 2 > cuts[cut_i]:
                    cut_i += 1
                if chars:
                    cur.text = "".join(chars)
                    pieces.append(cur)
                cur, chars, length, pending_space = _Piece(), [], 0, False
            cid = None
            if t.startswith("(cid:"):
                cid, t = t, "\ufffd"
            if pending_space:
                prev = chars[-1][-1] if chars else ""
                if prev and not prev.isspace() and not is_cjk(prev) and not is_cjk(t[0]):
                    chars.append(" ")
                    length += 1
                pending_space = False
            if cid:
                cur.cids.append((length, cid))
            chars.append(t)
            length += len(t)
            if item.x0 < cur.x0:
                cur.x0 = item.x0
            if item.x1 > cur.x1:
                cur.x1 = item.x1
            if item.y0 < cur.y0:
                cur.y0 = item.y0
            if item.y1 > cur.y1:
                cur.y1 = item.y1
            if not t.isspace():
                head = _font_headish(item.fontname, fonts)
                if is_cjk(t[0]):
                    cur.cjk += 1
                    cur.cjk_head += head
                else:
                    cur.other += 1
                    cur.other_head += head
        elif isinstance(item, LTAnno) and item.get_text() == " ":
            pending_space = True
    if chars:
        cur.text = "".join(chars)
        pieces.append(cur)
    out = []
    for p in pieces:
        stripped = p.text.lstrip()
        lead = len(p.text) - len(stripped)
        stripped = stripped.rstrip()
        if not stripped:
            continue
        p.text = stripped
        if lead and p.cids:
            p.cids = [(i - lead, c) for i, c in p.cids]
        out.append(p)
    return out


def _collect(objs, lines: list, rules: list) -> None:
    for o in objs:
        if isinstance(o, LTTextBox):
            lines.extend(o)
        elif isinstance(o, LTTextLine):
            lines.append(o)
        elif isinstance(o, (LTLine, LTRect, LTCurve)):
            rules.append(o)
        elif isinstance(o, LTFigure):
            _collect(o, lines, rules)


# ---------------------------------------------------------------- page model
class _Page:
    def __init__(self, number: int, height: float, width: float):
        self.number, self.height, self.width = number, height, width
        self.pieces: list[_Piece] = []
        self.grids: list[_Grid] = []


def _layout_page(ltpage, number: int, fonts: dict) -> _Page:
    page = _Page(number, ltpage.height, ltpage.width)
    lines: list = []
    rules: list = []
    _collect(ltpage, lines, rules)
    hs, vs = _rulings(rules)
    page.grids = _grids(hs, vs)
    vrules = [v for g in page.grids for v in g.vs]
    for line in lines:
        page.pieces.extend(_line_pieces(line, vrules, fonts))
    # line numbers: bands of text top to bottom over the whole page
    order = sorted(page.pieces, key=lambda p: (-p.yc, p.x0))
    band, band_yc = 0, None
    for p in order:
        if band_yc is None or band_yc - p.yc > max(2.0, 0.4 * p.height):
            band += 1
            band_yc = p.yc
        p.band = band
    return page


def _norm_running(text: str) -> str:
    return re.sub(r"\d+", "#", re.sub(r"\s+", "", text))


def _drop_margins(pages: list[_Page]) -> None:
    """Remove page numbers and running headers/footers from the margin bands."""
    def in_margin(page: _Page, p: _Piece) -> bool:
        return p.y0 >= page.height * (1 - MARGIN) or p.y1 <= page.height * MARGIN

    seen: dict[str, set[int]] = {}
    for page in pages:
        for p in page.pieces:
            if in_margin(page, p) and len(p.text) <= 60:
                seen.setdefault(_norm_running(p.text), set()).add(page.number)
    need = max(2, (len(pages) + 1) // 2)
    running = {k for k, v in seen.items() if len(v) >= need and len(pages) >= 2}
    for page in pages:
        page.pieces = [p for p in page.pieces
                       if not (in_margin(page, p) and not any(g.contains(p) for g in page.grids)
                               and (_PAGE_NO.match(p.text) or _norm_running(p.text) in running))]


# ---------------------------------------------------------------- blocks
def _join(parts: list[str]) -> str:
    out = ""
    for t in parts:
        if out and not (is_cjk(out[-1]) or is_cjk(t[0])):
            out += " "
        out += t
    return out


class _Builder:
    def __init__(self, path: str):
        self.doc = Document(path=path, format="pdf")
        self.table_no = 0
        self.cont: dict | None = None  # the table still open at the end of the previous page
        self.cid_notes = 0
        self.cid_total = 0
        self.geometry: dict[int, tuple[float, float, float]] = {}  # body line block index → (x0, x1, line height)

    def note_cids(self, p: _Piece, line: int, page: int, offset: int = 0) -> None:
        if not p.cids:
            return
        self.cid_total += len(p.cids)
        if self.cid_notes >= 50:
            return
        self.cid_notes += 1
        names = "".join(dict.fromkeys(c for _, c in p.cids))
        col = 1 + offset + p.cids[0][0]
        self.doc.notes.append((f"无法识别的字形 {names}：PDF 未给出这些字形对应的文字，已用 U+FFFD（\ufffd）代替",
                               Location(line, col, line, col + 1, page)))

    def page(self, page: _Page) -> None:
        items: list[tuple[float, int, _Grid | None, list[_Piece]]] = []  # (top y, tables first, grid or None, pieces)
        in_grid: dict[int, list[_Piece]] = {i: [] for i in range(len(page.grids))}
        free: list[_Piece] = []
        for p in page.pieces:
            for i, g in enumerate(page.grids):
                if g.contains(p):
                    in_grid[i].append(p)
                    break
            else:
                free.append(p)
        for i, g in enumerate(page.grids):
            if in_grid[i]:
                items.append((g.y1, 0, g, in_grid[i]))
        for top, pieces in _free_lines(free):
            items.append((top, 1, None, pieces))
        items.sort(key=lambda it: (-it[0], it[1]))
        for n, (_, _, grid, pieces) in enumerate(items):
            if grid is not None:
                self.table(_grid_rows(grid, pieces), page, n == 0, grid.cols)
            else:
                self.cont = None
                self.line(pieces, page)

    def line(self, pieces: list[_Piece], page: _Page) -> None:
        pieces.sort(key=lambda p: p.x0)
        text = "  ".join(p.text for p in pieces)
        line = pieces[0].band
        offset = 0
        for p in pieces:
            self.note_cids(p, line, page.number, offset)
            offset += len(p.text) + 2
        cjk = sum(p.cjk for p in pieces)
        if cjk:
            bold = sum(p.cjk_head for p in pieces) == cjk
        else:
            bold = all(p.headish for p in pieces)
        self.doc.blocks.append(Block(text, line, 1, page=page.number, bold=bold))
        if len(pieces) == 1:  # a line of prose (a line of several pieces is a table row: never joined)
            self.geometry[len(self.doc.blocks) - 1] = (pieces[0].x0, pieces[-1].x1, pieces[0].height)

    def table(self, rows: list[list[_ColCell]], page: _Page, first: bool, grid_cols: list[float]) -> None:
        """Emit rows (lists of cells, each a list of pieces) as cell blocks; continue a table from the last page."""
        texts = [[_cell_text(c) for c in row] for row in rows]
        cont = self.cont
        last: dict[int, Block] = {}
        if first and cont is not None and cont["page"] == page.number - 1:
            number, row_base = cont["number"], cont["rows"]
            xs = cont["xs"]
            cols = [[_column(xs, c.left) for c in row] for row in rows]  # numbered by the first part's borders
            head = cont["head"]
            k = 0
            while k < len(texts) and k < len(head) and texts[k] == head[k]:
                k += 1  # header rows repeated on the new page
            rows, texts, cols = rows[k:], texts[k:], cols[k:]
            if rows and cont["last"] and _split_row(cont["last"], texts[0], cols[0]):
                # the first row is the rest of a row broken by the page: finish the cells of that row
                prev = cont["last"]
                for cell, text, col in zip(rows[0], texts[0], cols[0]):
                    if not text:
                        continue
                    if col in prev:
                        prev[col].text = _join([prev[col].text, text])
                    else:
                        prev[col] = Block(text, min(p.band for p in cell), 1, page=page.number,
                                          cell=Cell(number, row_base, col))
                        self.doc.blocks.append(prev[col])
                last = prev
                rows, texts, cols = rows[1:], texts[1:], cols[1:]
        else:
            self.table_no += 1
            number, row_base = self.table_no, 0
            head = texts[:3]
            cols = [[c.col for c in row] for row in rows]
            xs = list(grid_cols)
        blocks = self.doc.blocks
        for r, (row, rtexts, rcols) in enumerate(zip(rows, texts, cols), row_base + 1):
            last = {}
            row_line = min((p.band for cell in row for p in cell), default=None)
            for cell, text, col in zip(row, rtexts, rcols):
                if not text:
                    if row_line is not None and not cell:  # an empty cell keeps its place, on its row's line
                        blocks.append(Block("", row_line, 1, page=page.number, cell=Cell(number, r, col)))
                    continue
                line = min(p.band for p in cell)
                for p in cell:
                    self.note_cids(p, line, page.number)
                block = Block(text, line, 1, page=page.number, cell=Cell(number, r, col))
                blocks.append(block)
                last[col] = block
        self.cont = {"page": page.number, "number": number, "rows": row_base + len(rows),
                     "head": head, "last": last, "xs": xs}


_NUMERIC = re.compile(r"^[\d.,，．%％\s-]+$")


def _column(xs: list[float], x: float) -> int:
    """1-based index of border ``x`` among the known column borders ``xs`` (a new border is added)."""
    i = bisect.bisect_left(xs, x)
    for j in (i - 1, i):
        if 0 <= j < len(xs) and abs(xs[j] - x) <= 3:
            return j + 1
    xs.insert(i, x)
    return i + 1


def _split_row(prev: dict[int, Block], texts: list[str], cols: list[int]) -> bool:
    """Is a table's first row on a new page the rest of the previous page's last row (a row broken by the page)?
    Yes when its label cells all sit in columns the last row already has text in, and exactly one of the two parts
    holds the row's numbers."""
    labels = [c for t, c in zip(texts, cols) if t and not _NUMERIC.match(t)]
    if not labels or any(c not in prev for c in labels):
        return False
    if any(_HEADING_START.match(t) for t in texts if t):
        return False  # 「3. 要求提供公开出版物」: a row of its own (the last row above was left blank), not a rest
    now_numbers = any(t and _NUMERIC.match(t) for t in texts)
    prev_numbers = any(_NUMERIC.match(b.text) for b in prev.values())
    return now_numbers != prev_numbers


def _cell_text(cell: list[_Piece]) -> str:
    # pieces top to bottom, then left to right within a visual line
    cell.sort(key=lambda p: (-round(p.yc / 3), p.x0))
    return _join([p.text for p in cell])


def _grid_rows(g: _Grid, pieces: list[_Piece]) -> list[list[_ColCell]]:
    cells: dict[tuple[int, int], list[_Piece]] = {}
    lefts: dict[tuple[int, int], float] = {}
    for p in pieces:
        top, left, _, _ = g.cell_of(p)
        key = (g.row_index(top), g.col_index(left))
        cells.setdefault(key, []).append(p)
        lefts.setdefault(key, g.cols[key[1] - 1])
    # the empty cells too: a cell starts where a rule runs along its top and down its left side (a merged cell's
    # continuation has neither); in a table of numbers an empty one is a value left blank
    for k in range(len(g.rows) - 1):
        ymid = (g.rows[k] + g.rows[k + 1]) / 2
        for j in range(len(g.cols) - 1):
            xmid = (g.cols[j] + g.cols[j + 1]) / 2
            if any(abs(v.pos - g.cols[j]) <= TOL and v.a - TOL <= ymid <= v.b + TOL for v in g.vs) and \
                    any(abs(h.pos - g.rows[k]) <= TOL and h.a - TOL <= xmid <= h.b + TOL for h in g.hs):
                key = (k + 1, j + 1)
                if key not in cells:
                    cells[key] = []
                    lefts[key] = g.cols[j]
    rows: dict[int, list[tuple[int, list[_Piece]]]] = {}
    for (r, c), ps in cells.items():
        rows.setdefault(r, []).append((c, ps))
    out = []
    for r in sorted(rows):
        if any(ps for _, ps in rows[r]):  # a row of empty cells only (spacing, or a page's ruled remainder): none
            out.append([_ColCell(ps, c, lefts[r, c]) for c, ps in sorted(rows[r], key=lambda t: t[0])])
    return out


class _ColCell(list[_Piece]):
    """A cell's pieces, its column number and the x of its left border."""

    def __init__(self, pieces: list[_Piece], col: int, left: float):
        super().__init__(pieces)
        self.col = col
        self.left = left


def _free_lines(free: list[_Piece]) -> list[tuple[float, list[_Piece]]]:
    """Pieces outside ruled tables → (top, pieces), one per printed line."""
    if not free:
        return []
    free.sort(key=lambda p: (-p.yc, p.x0))
    bands: list[list[_Piece]] = []
    band_yc = None
    for p in free:
        if band_yc is None or band_yc - p.yc > max(2.0, 0.4 * p.height):
            bands.append([p])
            band_yc = p.yc
        else:
            bands[-1].append(p)
    for b in bands:
        b.sort(key=lambda p: p.x0)
    # Outside ruled tables every printed line stays a line, its pieces (split at wide gaps) two spaces apart: table
    # recovery reads label/number sequences from such lines as from a text file. Guessing borderless cells from
    # positions merged headings and row labels into cells (a plain-text report printed to PDF), which lost more
    # than it gained.
    return [(b[0].y1, b) for b in bands]


def _clear_uninformative_bold(doc: Document) -> None:
    body = [b for b in doc.blocks if b.cell is None]
    if len(body) >= 8 and sum(b.bold for b in body) > 0.6 * len(body):
        for b in body:
            b.bold = False


# ---------------------------------------------------------------- budgets
class _TooLarge(InputError):
    """A budget above was exceeded; the message says which, _read names the page."""


class _Inflater:
    """Stands in for the zlib module inside pdfminer.pdftypes (its only use of zlib is inflating streams, whole):
    the same calls, within MAX_STREAM per stream and the file's remaining MAX_INFLATED."""

    error = zlib.error

    def __init__(self) -> None:
        self.left = MAX_INFLATED

    def spend(self, stream_total: int, more: int) -> None:
        """Count ``more`` inflated bytes, making ``stream_total`` so far for the stream they belong to."""
        if stream_total > MAX_STREAM:
            raise _TooLarge(f"有一个数据流解压后超过 {MAX_STREAM >> 20} MB（可能是压缩炸弹），不像是正常的报告")
        self.left -= more
        if self.left < 0:
            raise _TooLarge(f"的数据流解压后共超过 {MAX_INFLATED >> 20} MB（可能是压缩炸弹），不像是正常的报告")

    def decompress(self, data: bytes) -> bytes:
        d = zlib.decompressobj()
        out = d.decompress(data, MAX_STREAM + 1)
        self.spend(len(out), len(out))
        if not d.eof:  # as zlib.decompress does, so pdfminer tries its repair for a stream cut short
            raise zlib.error("Error -5 while decompressing data: incomplete or truncated stream")
        return out

    def decompressobj(self, *args, **kwargs) -> _BoundedDecompressor:
        return _BoundedDecompressor(self, zlib.decompressobj(*args, **kwargs))

    def lzwdecode(self, data: bytes) -> bytes:
        out = bytearray()
        for chunk in LZWDecoder(BytesIO(data)).run():
            out += chunk
            self.spend(len(out), len(chunk))
        return bytes(out)


class _BoundedDecompressor:
    """A zlib decompress object whose output counts against the _Inflater's budgets."""

    def __init__(self, inflater: _Inflater, d):
        self.inflater, self.d, self.total = inflater, d, 0

    def decompress(self, data: bytes, max_length: int = 0) -> bytes:
        out = self.d.decompress(data, min(max_length or MAX_STREAM + 1, MAX_STREAM + 1))
        self.total += len(out)
        self.inflater.spend(self.total, len(out))
        return out

    def __getattr__(self, name: str):
        return getattr(self.d, name)


class _Aggregator(PDFPageAggregator):
    """pdfminer's page aggregator, refusing a page with more than MAX_PAGE_OBJECTS characters and paths."""

    objects = 0

    def begin_page(self, page, ctm) -> None:
        self.objects = 0
        super().begin_page(page, ctm)

    def count(self) -> None:
        self.objects += 1
        if self.objects > MAX_PAGE_OBJECTS:
            raise _TooLarge(f"的文字和图形超过 {MAX_PAGE_OBJECTS} 个，不像是正常的报告页面")

    def render_char(self, *args, **kwargs) -> float:
        self.count()
        return super().render_char(*args, **kwargs)

    def paint_path(self, *args, **kwargs) -> None:
        self.count()
        super().paint_path(*args, **kwargs)


def _pages(path: Path) -> Iterator[LTPage]:
    """pdfminer's extract_pages, within the budgets above (pdfminer's own inflating is put back afterwards)."""
    inflater = _Inflater()
    saved = pdfminer.pdftypes.zlib, pdfminer.pdftypes.lzwdecode
    pdfminer.pdftypes.zlib, pdfminer.pdftypes.lzwdecode = inflater, inflater.lzwdecode  # type: ignore[assignment]
    try:
        with path.open("rb") as fh:
            resources = PDFResourceManager(caching=True)
            device = _Aggregator(resources, laparams=LAPARAMS)
            interpreter = PDFPageInterpreter(resources, device)
            for number, page in enumerate(PDFPage.get_pages(fh, caching=True), 1):
                if number > MAX_PAGES:
                    raise InputError(f"PDF 超过 {MAX_PAGES} 页，不像是一份年度报告，无法检查")
                interpreter.process_page(page)
                yield device.get_result()
    finally:
        pdfminer.pdftypes.zlib, pdfminer.pdftypes.lzwdecode = saved


# ---------------------------------------------------------------- entry point
def read(path: Path) -> Document:
    logger = logging.getLogger("pdfminer")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        return _read(path)
    except InputError:
        raise
    except RecursionError:
        raise InputError("PDF 文件结构嵌套过深，无法读取：文件可能已损坏") from None
    except MemoryError:
        raise InputError("PDF 文件过大，内存不足，无法读取") from None
    except Exception as exc:  # pdfminer raises many kinds; the user gets one Chinese line
        raise InputError(_pdf_error(exc)) from None
    finally:
        logger.setLevel(level)


def _pdf_error(exc: Exception) -> str:
    name = type(exc).__name__
    if name in ("PDFPasswordIncorrect", "PDFEncryptionError", "PDFEncryptionWarning") or "crypt" in name.lower():
        return "该 PDF 已加密（需要打开密码或使用了不支持的加密方式），无法读取：请提供未加密的文件"
    if name == "PDFTextExtractionNotAllowed":
        return "该 PDF 设置了禁止提取文字的权限，无法检查：请提供未加限制的文件"
    return f"PDF 文件已损坏或格式不受支持，无法读取（{name}）：请重新导出 PDF 后再检查"


def _read(path: Path) -> Document:
    try:
        with path.open("rb") as fh:
            head = fh.read(1024)
    except OSError as exc:
        raise InputError(f"无法读取文件：{exc.strerror or exc}") from None
    if b"%PDF" not in head:
        if head.startswith(b"PK"):
            raise InputError("这是 Word 文档（.docx）或其他 zip 文件，扩展名却是 .pdf：请改正扩展名后再检查")
        raise InputError("不是有效的 PDF 文件：文件开头没有 %PDF 标记")
    fonts: dict[str, bool] = {}
    pages: list[_Page] = []
    doc_note: tuple[str, Location] | None = None
    try:
        for number, ltpage in enumerate(_pages(path), 1):
            pages.append(_layout_page(ltpage, number, fonts))
    except _TooLarge as exc:
        raise InputError(f"PDF 第 {len(pages) + 1} 页{exc}，无法检查") from None
    except (InputError, MemoryError, RecursionError):
        raise
    except Exception as exc:
        if not pages or _is_crypt(exc):
            raise
        # a broken page late in the file: keep what was read, say so
        pages_read = len(pages)
        doc_note = (f"PDF 第 {pages_read + 1} 页起已损坏，无法读取，只检查了前 {pages_read} 页", Location(1, page=pages_read))
    if not pages:
        raise InputError("PDF 文件中没有页面，无法检查")
    chars = [sum(len(p.text) for p in pg.pieces) for pg in pages]
    if max(chars) <= 10:
        raise InputError("该 PDF 是扫描件，没有文字层，无法检查：请提供 Word 文档或可复制文字的 PDF")
    _drop_margins(pages)
    builder = _Builder(str(path))
    doc = builder.doc
    for pg, n in zip(pages, chars):
        if n == 0:
            doc.notes.append((f"第 {pg.number} 页没有文字层（可能是扫描图片），该页未能检查", Location(1, page=pg.number)))
        builder.page(pg)
    if doc_note:
        doc.notes.append(doc_note)
    total = sum(chars)
    if builder.cid_total > 0.5 * total:
        raise InputError("该 PDF 的字体没有文字映射，大部分字符无法识别（cid 字形），无法检查：请提供 Word 文档或重新导出 PDF")
    if builder.cid_notes >= 50 and builder.cid_total > 50:
        doc.notes.append((f"共有 {builder.cid_total} 个无法识别的字形，以上只列出前 50 处", Location(1, page=1)))
    _clear_uninformative_bold(doc)
    _join_paragraphs(doc, builder.geometry)
    return doc


_HEADING_START = re.compile(r"^\s*(?:[一二三四五六七八九十]{1,2}[、.．]|[（(][一二三四五六七八九十\d]{1,2}[)）]|\d{1,2}[.、．](?!\d))")


def _join_paragraphs(doc: Document, geometry: dict[int, tuple[float, float, float]]) -> None:
    """Join the printed lines of a paragraph into one block (keeping each line's location in Block.breaks), so
    a sentence wrapped at the right margin — a 统计期限 statement, a figure in the narrative — reads as one.

    A line continues the one above when the one above runs to the right margin of the page's text and this one
    starts at the left margin (no first-line indent) and does not start with a heading number; both in the same
    weight (a bold paragraph wraps too, but a bold heading line is not glued to the plain text under it)."""
    if not geometry:
        return
    by_page: dict[int, list[int]] = {}
    for i in geometry:
        by_page.setdefault(doc.blocks[i].page or 0, []).append(i)
    right = {pg: max(geometry[i][1] for i in idx) for pg, idx in by_page.items()}
    left = {pg: min(geometry[i][0] for i in idx) for pg, idx in by_page.items()}
    out: list[Block] = []
    prev_index = None  # index in doc.blocks of the block `out[-1]` ends with
    for i, b in enumerate(doc.blocks):
        g = geometry.get(i)
        last = out[-1] if out else None
        pg = b.page or 0
        if (g is not None and prev_index is not None and last is not None and last.cell is None
                and last.page == b.page and prev_index in geometry and last.bold == b.bold):
            _px0, px1, ph = geometry[prev_index]
            full = px1 >= right[pg] - 1.5 * ph
            flush_left = g[0] <= left[pg] + 0.5 * g[2]
            if full and flush_left and not _HEADING_START.match(b.text) and not last.text.rstrip().endswith("。") \
                    and b.text.strip():
                sep = " " if last.text[-1:].isascii() and last.text[-1:].isalnum() and b.text[:1].isascii() \
                    and b.text[:1].isalnum() else ""
                last.breaks = (*last.breaks, (len(last.text) + len(sep), b.line, b.column))
                last.text += sep + b.text
                prev_index = i
                continue
        out.append(b)
        prev_index = i
    doc.blocks = out


def _is_crypt(exc: Exception) -> bool:
    name = type(exc).__name__
    return "crypt" in name.lower() or "password" in name.lower()
