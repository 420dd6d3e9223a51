"""The engine-neutral page model of a PDF, and everything after it: pages → Document blocks and cells.

An engine (``miner``: pdfminer.six; ``pdfium``: PDFium; an OCR engine for pages without a text layer) turns each
page into a ``Page``: its text as ``Piece``s (a run of characters of one printed line within one table cell, with
its box in PDF points, y up) and the ruled tables found from its drawn shapes (``Page.rule``). From there on nothing
depends on the engine:

  * the spaces an engine *infers* from gaps are kept only between two non-CJK characters — the gaps around CJK
    characters come from justification or from Word/LibreOffice's CJK–Latin autospacing, not from the text (so
    "2024年" stays "2024年"); space characters really present in the PDF are kept (``line_pieces``);
  * unmapped glyphs ``(cid:NN)`` become U+FFFD and are listed in ``Document.notes``; nothing is guessed;
  * full-width characters stay as they are.

Locations: ``Block.page`` is the 1-based page, ``Block.line`` the 1-based line on that page counted top to bottom
over all text on the page (running headers included, so it matches what a reader counts), ``Block.column`` 1.

Tables. Horizontal and vertical rulings (lines, thin rectangles and curves, the edges of cell rectangles) that
touch each other form a table grid. Every text line inside the grid is assigned to the cell bounded by the nearest
rulings around it; lines in one cell are joined (a label wrapped over two or five lines stays one cell). Cells are
emitted row-major (top boundary, then left boundary) as ``Cell(table, row, col)`` blocks, so a vertically merged
label comes right before the first row it spans — the order a text extraction gives. A table that continues at the
top of the next page keeps its number and row count; its repeated header rows are dropped. Outside ruled tables
every printed line stays a line, its pieces two spaces apart; table recovery reads a borderless table from such
lines as from a text file.

Page numbers ("3", "— 3 —", "第 3 页", "3/12") and running headers/footers repeated on most pages, in the top or
bottom margin band, are dropped.
"""
from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Iterable
from typing import NamedTuple

from ...cjk import is_cjk
from ...document import Block, Cell, Document
from ...model import InputError, Location

# Budgets every engine keeps. A real report's page has a few thousand characters and ruling lines; its streams
# (content, fonts, object streams) inflate to a few MB. Neither engine limits inflating by itself: pdfminer inflated
# a 1 MB file's content stream to 1 GiB and took 2.1 GB.
MAX_STREAM = 64 * 1024 * 1024  # bytes one stream may inflate to
MAX_INFLATED = 256 * 1024 * 1024  # bytes all streams of one file may inflate to
MAX_PAGE_OBJECTS = 50_000  # characters and drawn paths on one page
MAX_PAGES = 2000  # a long annual report has two hundred


class TooLarge(InputError):
    """A budget was exceeded; the message says which. The reader names the page it was reading (``on_page``) or,
    for a check of the whole file before any page is read, the file."""

    def __init__(self, message: str, on_page: bool = True):
        super().__init__(message)
        self.on_page = on_page


def stream_too_large() -> str:
    return f"有一个数据流解压后超过 {MAX_STREAM >> 20} MB（可能是压缩炸弹），不像是正常的报告"


def streams_too_large() -> str:
    return f"的数据流解压后共超过 {MAX_INFLATED >> 20} MB（可能是压缩炸弹），不像是正常的报告"


def too_many_objects() -> str:
    return f"的文字和图形超过 {MAX_PAGE_OBJECTS} 个，不像是正常的报告页面"


TOL = 2.0  # points: how far apart ruling ends may be and still meet
MARGIN = 0.10  # top/bottom share of the page where headers, footers and page numbers live
_PAGE_NO = re.compile(
    r"^[\s\-—–－_~·•]*(?:第\s*\d+\s*页(?:\s*[，,/]?\s*共\s*\d+\s*页)?|\d{1,4}(?:\s*/\s*\d{1,4})?|"
    r"(?:page|p\.)\s*\d+(?:\s*(?:of|/)\s*\d+)?|[ivxlc]{1,6})[\s\-—–－_~·•]*$", re.I)
_HEAD_FONT = ("bold", "black", "heavy", "hei", "kai", "sans", "gothic", "黑", "楷")
# Some producers (Chromium/Skia, among others) map CJK glyphs to the Kangxi radicals (U+2F00…) and CJK radical
# supplement forms that look the same: 「⼀、总体情况」 is 「一、总体情况」. NFKC gives the ideograph for the Kangxi
# radicals; the simplified-form supplements NFKC leaves alone are listed. (PDFium gives 〈〉 where Chromium's
# ToUnicode says U+2329/U+232A; pdfminer gives what the PDF says.)
_RADICALS = {**{chr(c): unicodedata.normalize("NFKC", chr(c)) for c in range(0x2F00, 0x2FD6)},
             "⺠": "民", "⻓": "长", "⻅": "见", "⻚": "页", "⻔": "门", "⻋": "车", "⻉": "贝", "⻛": "风", "⻜": "飞",
             "⻢": "马", "⻥": "鱼", "⻰": "龙", "⻆": "角", "⺟": "母",
             "\u2329": "〈", "\u232a": "〉"}  # the angle brackets Unicode makes canonically equal to CJK 〈〉
IDEOGRAPHS = str.maketrans(_RADICALS)


class Piece:
    """A run of characters of one text line that lies within one table cell (usually the whole line)."""

    __slots__ = ("band", "cids", "cjk", "cjk_head", "confidence", "other", "other_head", "text", "x0", "x1", "y0", "y1")

    def __init__(self) -> None:
        self.text = ""
        self.confidence: float | None = None  # an OCR engine's confidence in the text (0–1); None: a text layer
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


class Seg:
    __slots__ = ("a", "b", "pos")  # horizontal: y, x0, x1 ; vertical: x, y0, y1

    def __init__(self, pos: float, a: float, b: float):
        self.pos, self.a, self.b = pos, a, b


class Grid:
    """One ruled table on one page."""

    def __init__(self, hs: list[Seg], vs: list[Seg]):
        self.hs, self.vs = hs, vs
        self.x0 = min(min(s.a for s in hs), min(s.pos for s in vs))
        self.x1 = max(max(s.b for s in hs), max(s.pos for s in vs))
        self.y0 = min(min(s.pos for s in hs), min(s.a for s in vs))
        self.y1 = max(max(s.pos for s in hs), max(s.b for s in vs))
        self.rows = _distinct(sorted((s.pos for s in hs), reverse=True))  # top first
        self.cols = _distinct(sorted(s.pos for s in vs))

    def contains(self, p: Piece) -> bool:
        return self.x0 - TOL <= p.xc <= self.x1 + TOL and self.y0 - TOL <= p.yc <= self.y1 + TOL

    def cell_of(self, p: Piece) -> tuple[float, float, float, float]:
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
def rulings(boxes: Iterable[tuple[float, float, float, float, bool]]) -> tuple[list[Seg], list[Seg]]:
    """Drawn lines, rectangles and curves, as (x0, y0, x1, y1, is a rectangle) → merged horizontal and vertical
    rulings: a thin shape is a ruling, a rectangle is the four edges of a cell."""
    hs: list[Seg] = []
    vs: list[Seg] = []
    for x0, y0, x1, y1, rect in boxes:
        w, h = x1 - x0, y1 - y0
        if h <= 2.5 and w > 2:
            hs.append(Seg((y0 + y1) / 2, x0, x1))
        elif w <= 2.5 and h > 2:
            vs.append(Seg((x0 + x1) / 2, y0, y1))
        elif rect and w > 4 and h > 4:  # a cell drawn as a rectangle: its four edges
            hs += [Seg(y0, x0, x1), Seg(y1, x0, x1)]
            vs += [Seg(x0, y0, y1), Seg(x1, y0, y1)]
    return _merge(hs), _merge(vs)


def _merge(segs: list[Seg]) -> list[Seg]:
    """Join collinear segments that touch (Word draws each cell border separately)."""
    segs.sort(key=lambda s: (round(s.pos), s.a))
    out: list[Seg] = []
    for s in segs:
        if out:
            last = out[-1]
            if abs(last.pos - s.pos) <= 1.0 and s.a <= last.b + TOL:
                if s.b > last.b:
                    last.b = s.b
                continue
        out.append(Seg(s.pos, s.a, s.b))
    return out


def grids(hs: list[Seg], vs: list[Seg]) -> list[Grid]:
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
    groups: dict[int, tuple[list[Seg], list[Seg]]] = {}
    for i, h in enumerate(hs):
        groups.setdefault(find(i), ([], []))[0].append(h)
    for j, v in enumerate(vs):
        groups.setdefault(find(len(hs) + j), ([], []))[1].append(v)
    out = []
    for ghs, gvs in groups.values():
        if len(ghs) >= 2 and len(gvs) >= 2:
            g = Grid(ghs, gvs)
            if len(g.rows) >= 3 or len(g.cols) >= 3:  # at least two cells; a lone frame is not a table
                out.append(g)
    return out


# ---------------------------------------------------------------- characters → pieces
def font_headish(name: str, cache: dict) -> bool:
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


class Glyph(NamedTuple):
    """One character of a text line as an engine gives it (``None`` in a line's glyphs: a space the engine
    inferred from a gap)."""

    text: str
    x0: float
    y0: float
    x1: float
    y1: float
    size: float  # the font size
    font: str  # the font's name (bold, 黑体 … make a heading-like piece)


def line_pieces(box: tuple[float, float, float, float], glyphs: Iterable[Glyph | None], vrules: list[Seg],
                fonts: dict) -> list[Piece]:
    """Rebuild the text of one text line (its box x0, y0, x1, y1) from its glyphs; split it where a vertical
    ruling crosses it and at a gap wider than a character."""
    lx0, ly0, lx1, ly1 = box
    yc = (ly0 + ly1) / 2
    cuts = sorted(v.pos for v in vrules if lx0 < v.pos < lx1 and v.a - TOL <= yc <= v.b + TOL)
    pieces: list[Piece] = []
    cur = Piece()
    chars: list[str] = []
    length = 0
    pending_space = False
    cut_i = 0
    prev_x1 = None
    for item in glyphs:
        if item is not None:
            t = item.text.translate(IDEOGRAPHS)
            if not t:
                continue
            # a gap wider than a character is a column break even without a ruling (tab-aligned tables)
            gap = prev_x1 is not None and item.x0 - prev_x1 > 1.2 * max(item.size, item.y1 - item.y0, 1.0)
            prev_x1 = item.x1
            crossed = cuts and cut_i < len(cuts) and (item.x0 + item.x1) / 2 > cuts[cut_i]
            if crossed or gap:
                while cuts and cut_i < len(cuts) and (item.x0 + item.x1) / 2 > cuts[cut_i]:
                    cut_i += 1
                if chars:
                    cur.text = "".join(chars)
                    pieces.append(cur)
                cur, chars, length, pending_space = Piece(), [], 0, False
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
                head = font_headish(item.font, fonts)
                if is_cjk(t[0]):
                    cur.cjk += 1
                    cur.cjk_head += head
                else:
                    cur.other += 1
                    cur.other_head += head
        else:
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




# ---------------------------------------------------------------- page model
class Page:
    """One page as an engine read it: its size in points, its text pieces, its rulings and the tables they form.
    An engine calls ``rule`` with the page's drawn shapes, adds ``pieces`` (cut at ``vrules``), then ``number_lines``."""

    def __init__(self, number: int, width: float, height: float):
        self.number, self.width, self.height = number, width, height
        self.pieces: list[Piece] = []
        self.hs: list[Seg] = []  # horizontal rulings
        self.vs: list[Seg] = []  # vertical rulings
        self.grids: list[Grid] = []
        self.note: str | None = None  # what the reader says about the page as a whole (it has no text layer …)

    def rule(self, boxes: Iterable[tuple[float, float, float, float, bool]]) -> None:
        self.hs, self.vs = rulings(boxes)
        self.grids = grids(self.hs, self.vs)

    @property
    def vrules(self) -> list[Seg]:
        """The vertical rulings of the page's tables: text lines are split where they cross one."""
        return [v for g in self.grids for v in g.vs]

    @property
    def chars(self) -> int:
        return sum(len(p.text) for p in self.pieces)

    def number_lines(self) -> None:
        """Line numbers: bands of text top to bottom over the whole page."""
        order = sorted(self.pieces, key=lambda p: (-p.yc, p.x0))
        band, band_yc = 0, None
        for p in order:
            if band_yc is None or band_yc - p.yc > max(2.0, 0.4 * p.height):
                band += 1
                band_yc = p.yc
            p.band = band


def _norm_running(text: str) -> str:
    return re.sub(r"\d+", "#", re.sub(r"\s+", "", text))


def drop_margins(pages: list[Page]) -> None:
    """Remove page numbers and running headers/footers from the margin bands."""
    def in_margin(page: Page, p: Piece) -> bool:
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
def confidence(pieces: Iterable[Piece], also: float | None = None) -> float | None:
    """The least confidence among ``pieces`` (and ``also``) read by OCR; None when none was."""
    sure = [p.confidence for p in pieces if p.confidence is not None]
    if also is not None:
        sure.append(also)
    return min(sure, default=None)


def _join(parts: list[str]) -> str:
    out = ""
    for t in parts:
        if out and not (is_cjk(out[-1]) or is_cjk(t[0])):
            out += " "
        out += t
    return out


class Builder:
    def __init__(self, path: str):
        self.doc = Document(path=path, format="pdf")
        self.table_no = 0
        self.cont: dict | None = None  # the table still open at the end of the previous page
        self.cid_notes = 0
        self.cid_total = 0
        self.geometry: dict[int, tuple[float, float, float]] = {}  # body line block index → (x0, x1, line height)

    def note_cids(self, p: Piece, line: int, page: int, offset: int = 0) -> None:
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

    def page(self, page: Page) -> None:
        items: list[tuple[float, int, Grid | None, list[Piece]]] = []  # (top y, tables first, grid or None, pieces)
        in_grid: dict[int, list[Piece]] = {i: [] for i in range(len(page.grids))}
        free: list[Piece] = []
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

    def line(self, pieces: list[Piece], page: Page) -> None:
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
        self.doc.blocks.append(Block(text, line, 1, page=page.number, bold=bold, confidence=confidence(pieces)))
        if len(pieces) == 1:  # a line of prose (a line of several pieces is a table row: never joined)
            self.geometry[len(self.doc.blocks) - 1] = (pieces[0].x0, pieces[-1].x1, pieces[0].height)

    def table(self, rows: list[list[_ColCell]], page: Page, first: bool, grid_cols: list[float]) -> None:
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
                        prev[col].confidence = confidence(cell, prev[col].confidence)
                    else:
                        prev[col] = Block(text, min(p.band for p in cell), 1, page=page.number,
                                          cell=Cell(number, row_base, col), confidence=confidence(cell))
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
                block = Block(text, line, 1, page=page.number, cell=Cell(number, r, col), confidence=confidence(cell))
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


def _cell_text(cell: list[Piece]) -> str:
    # pieces top to bottom, then left to right within a visual line
    cell.sort(key=lambda p: (-round(p.yc / 3), p.x0))
    return _join([p.text for p in cell])


def _grid_rows(g: Grid, pieces: list[Piece]) -> list[list[_ColCell]]:
    cells: dict[tuple[int, int], list[Piece]] = {}
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
    rows: dict[int, list[tuple[int, list[Piece]]]] = {}
    for (r, c), ps in cells.items():
        rows.setdefault(r, []).append((c, ps))
    out = []
    for r in sorted(rows):
        if any(ps for _, ps in rows[r]):  # a row of empty cells only (spacing, or a page's ruled remainder): none
            out.append([_ColCell(ps, c, lefts[r, c]) for c, ps in sorted(rows[r], key=lambda t: t[0])])
    return out


class _ColCell(list[Piece]):
    """A cell's pieces, its column number and the x of its left border."""

    def __init__(self, pieces: list[Piece], col: int, left: float):
        super().__init__(pieces)
        self.col = col
        self.left = left


def _free_lines(free: list[Piece]) -> list[tuple[float, list[Piece]]]:
    """Pieces outside ruled tables → (top, pieces), one per printed line."""
    if not free:
        return []
    free.sort(key=lambda p: (-p.yc, p.x0))
    bands: list[list[Piece]] = []
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


def clear_uninformative_bold(doc: Document) -> None:
    body = [b for b in doc.blocks if b.cell is None]
    if len(body) >= 8 and sum(b.bold for b in body) > 0.6 * len(body):
        for b in body:
            b.bold = False




def build(path: str, pages: list[Page], notes: list[tuple[str, Location]]) -> Document:
    """The Document of ``pages`` (at least one, some with text). Each page's ``note`` comes before the notes on its
    text; ``notes`` (on the file as a whole) follow those of the pages."""
    total = sum(pg.chars for pg in pages)
    drop_margins(pages)
    builder = Builder(path)
    doc = builder.doc
    for pg in pages:
        if pg.note:
            doc.notes.append((pg.note, Location(1, page=pg.number)))
        builder.page(pg)
    doc.notes.extend(notes)
    if builder.cid_total > 0.5 * total:
        raise InputError("该 PDF 的字体没有文字映射，大部分字符无法识别（cid 字形），无法检查：请提供 Word 文档或重新导出 PDF")
    if builder.cid_notes >= 50 and builder.cid_total > 50:
        doc.notes.append((f"共有 {builder.cid_total} 个无法识别的字形，以上只列出前 50 处", Location(1, page=1)))
    clear_uninformative_bold(doc)
    join_paragraphs(doc, builder.geometry)
    return doc


_HEADING_START = re.compile(r"^\s*(?:[一二三四五六七八九十]{1,2}[、.．]|[（(][一二三四五六七八九十\d]{1,2}[)）]|\d{1,2}[.、．](?!\d))")


def join_paragraphs(doc: Document, geometry: dict[int, tuple[float, float, float]]) -> None:
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
                if b.confidence is not None:
                    last.confidence = b.confidence if last.confidence is None else min(last.confidence, b.confidence)
                last.text += sep + b.text
                prev_index = i
                continue
        out.append(b)
        prev_index = i
    doc.blocks = out


