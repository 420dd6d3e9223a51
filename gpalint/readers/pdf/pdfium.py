"""The PDFium engine (pypdfium2): the same ``layout.Page``s as miner.py, several times faster.

PDFium gives each character of a page's text layer with its box; they are grouped into text lines exactly as
pdfminer.six groups its characters with gpalint's LAPARAMS (two characters next to each other in the content stream
share a line when they overlap vertically by half the smaller height and are less than ``char_margin`` widths
apart; a gap wider than ``word_margin`` is an inferred space), so that layout.py sees the same lines from either
engine. Where PDFium's text page and pdfminer see a page differently, this module follows pdfminer:

  * order: PDFium moves a text object drawn after the rest of its line to its place on the line; the characters
    are put back in content-stream order;
  * spaces: PDFium's own spaces and line breaks are skipped (spaces are inferred by pdfminer's rule), and a text
    object without ink (Chromium draws each space as one), which PDFium leaves out, is read as a space;
  * boxes: across, PDFium's loose box (origin to advance); up, one em from the descent of the font descriptor, read
    from the file (PDFium takes the font program's when the descriptor says 0, as LibreOffice writes), from the
    baseline for a font without one or without metrics (Chromium's Type 3 fonts);
  * rulings: the page's path objects, form XObjects included, split into subpaths and classified as pdfminer does
    (a closed four-sided axis-aligned path is a rectangle).
"""
from __future__ import annotations

import ctypes
import math
import re
import zlib
from collections.abc import Iterator
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as fp

from ...model import InputError
from . import layout
from .layout import Glyph, Page, TooLarge, line_pieces

# pdfminer's LAParams as miner.LAPARAMS sets them (miner.py is not imported: it would load pdfminer)
LINE_OVERLAP = 0.5
CHAR_MARGIN = 2.0
WORD_MARGIN = 0.1

# PDFium inflates a stream whole, as pdfminer does, with no limit of its own (a 1 GiB content stream took all the
# memory it was allowed): before PDFium opens a file, its zlib streams are inflated once here, the output thrown
# away, within the budgets layout.MAX_STREAM and layout.MAX_INFLATED.
_STREAM = re.compile(rb"stream\r?\n")


def pages(path: Path) -> Iterator[Page]:
    descents = _descents(_check_streams(path))
    try:
        doc = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        raise InputError(_open_error(exc)) from None
    try:
        count = len(doc)
        if count > layout.MAX_PAGES:
            raise InputError(f"PDF 超过 {layout.MAX_PAGES} 页，不像是一份年度报告，无法检查")
        fonts: dict[str, bool] = {}
        for number in range(1, count + 1):
            page = doc[number - 1]
            try:
                yield _page(page, number, fonts, descents)
            finally:
                page.close()
    finally:
        doc.close()


def _open_error(exc: pdfium.PdfiumError) -> str:
    code = getattr(exc, "err_code", None)
    if code in (fp.FPDF_ERR_PASSWORD, fp.FPDF_ERR_SECURITY):
        return "该 PDF 已加密（需要打开密码或使用了不支持的加密方式），无法读取：请提供未加密的文件"
    return "PDF 文件已损坏或格式不受支持，无法读取（PDFium 无法打开）：请重新导出 PDF 后再检查"


def _check_streams(path: Path) -> list[bytes]:
    """Inflate every zlib stream of the file within the budgets (the whole file: no page named). The file's bytes and
    its inflated object streams (where a PDF 1.5 file keeps its dictionaries) are returned; other output is not kept."""
    data = path.read_bytes()
    view = memoryview(data)  # slices without copies
    left = layout.MAX_INFLATED
    kept = [data]
    for m in _STREAM.finditer(data):
        start = m.end()
        if data[start:start + 1] != b"\x78":  # not zlib data (another filter, encrypted, or not a stream at all)
            continue
        keep: list[bytes] | None = [] if b"/ObjStm" in data[max(m.start() - 300, 0):m.start()] else None
        d = zlib.decompressobj()
        total = 0
        chunk = view[start:start + (1 << 20)]
        pos = start + len(chunk)
        try:
            while chunk and not d.eof:
                out = d.decompress(chunk, 1 << 20)
                while out:
                    total += len(out)
                    left -= len(out)
                    if total > layout.MAX_STREAM:
                        raise TooLarge(layout.stream_too_large(), on_page=False)
                    if left < 0:
                        raise TooLarge(layout.streams_too_large(), on_page=False)
                    if keep is not None:
                        keep.append(out)
                    out = d.decompress(d.unconsumed_tail, 1 << 20) if d.unconsumed_tail else b""
                chunk = view[pos:pos + (1 << 20)]
                pos += len(chunk)
        except zlib.error:
            continue  # PDFium reports what it cannot read
        if keep:
            kept.append(b"".join(keep))
    return kept


_DESCRIPTOR = re.compile(rb"/Type\s*/FontDescriptor\b")
_FONT_NAME = re.compile(rb"/FontName\s*/([^\s/<>\[\]()]+)")
_DESCENT = re.compile(rb"/Descent\s+(-?\d+(?:\.\d*)?)")
_HEX = re.compile(rb"#([0-9A-Fa-f]{2})")


def _descents(texts: list[bytes]) -> dict[str, float]:
    """Font name (without a subset prefix) → the /Descent of its font descriptor, per 1000 em, as pdfminer reads it
    (0 when absent; a positive one negated). PDFium puts a character's box on the descent it takes from the font
    program when the descriptor says 0, as LibreOffice writes; pdfminer uses the descriptor: from the descriptor, the
    boxes are the same."""
    out: dict[str, float] = {}
    for text in texts:
        for m in _DESCRIPTOR.finditer(text):
            start = text.rfind(b"<<", 0, m.start())
            end = text.find(b">>", m.end())
            if start < 0 or end < 0:
                continue
            body = text[start:end]
            name, descent = _FONT_NAME.search(body), _DESCENT.search(body)
            if name is None:
                continue
            raw = _HEX.sub(lambda h: bytes.fromhex(h.group(1).decode()), name.group(1))
            value = -abs(float(descent.group(1))) if descent else 0.0
            out[_font_name(raw).split("+", 1)[-1]] = value
    return out


def _page(page: pdfium.PdfPage, number: int, fonts: dict, descents: dict[str, float]) -> Page:
    width, height = page.get_size()
    out = Page(number, width, height)
    objects = list(page.get_objects(filter=[fp.FPDF_PAGEOBJ_PATH, fp.FPDF_PAGEOBJ_TEXT]))  # in stream order
    textpage = page.get_textpage()
    try:
        chars, order = _chars(textpage, {ctypes.addressof(o.raw.contents): k for k, o in enumerate(objects)},
                              descents)
    finally:
        textpage.close()
    chars = _stream_order(chars, order, _blanks(objects))
    shapes = list(_shapes([o for o in objects if o.type == fp.FPDF_PAGEOBJ_PATH], len(chars)))
    out.rule(shapes)
    vrules = out.vrules
    for line in _lines(chars):
        box = (min(g.x0 for g in line), min(g.y0 for g in line), max(g.x1 for g in line), max(g.y1 for g in line))
        out.pieces.extend(line_pieces(box, _spaced(line), vrules, fonts))
    out.number_lines()
    return out


# ---------------------------------------------------------------- characters → lines
def _chars(tp: pdfium.PdfTextPage, index: dict[int, int], descents: dict[str, float]
           ) -> tuple[list[Glyph], list[int]]:
    """The characters of the page's text layer and the stream index of each one's text object (``index``: the
    objects by address). (PDFium keeps one copy of a text drawn twice at one place, as for fake bold, where pdfminer
    keeps both.)"""
    raw = tp.raw  # the handle itself (the wrapper would convert itself on every call)
    n = fp.FPDFText_CountChars(raw)
    if n > layout.MAX_PAGE_OBJECTS:
        raise TooLarge(layout.too_many_objects())
    box = fp.FS_RECTF()
    matrix = fp.FS_MATRIX()
    left, right, bottom, top = ctypes.c_double(), ctypes.c_double(), ctypes.c_double(), ctypes.c_double()
    origin_x, origin_y = ctypes.c_double(), ctypes.c_double()
    name = ctypes.create_string_buffer(256)
    flags = ctypes.c_int()
    out = []
    order: list[int] = []
    styles: dict[int, tuple[float, str, float | None]] = {}
    for i in range(n):
        if fp.FPDFText_IsGenerated(raw, i):
            continue  # a space or line break PDFium inferred: spaces are inferred by pdfminer's rule below
        code = fp.FPDFText_GetUnicode(raw, i)
        text = f"(cid:{code})" if fp.FPDFText_HasUnicodeMapError(raw, i) else chr(code)
        obj = fp.FPDFText_GetTextObject(raw, i)
        address = ctypes.addressof(obj.contents) if obj else 0
        order.append(index.get(address, -1))
        style = styles.get(address)
        if style is None:  # size, font and matrix are the text object's: read once per object
            fp.FPDFText_GetMatrix(raw, i, matrix)
            size = fp.FPDFText_GetFontSize(raw, i) * math.hypot(matrix.c, matrix.d)
            length = fp.FPDFText_GetFontInfo(raw, i, name, len(name), flags)
            font = _font_name(name.raw[:max(length - 1, 0)])
            upright = matrix.b == 0 and matrix.c == 0 and matrix.d > 0 and size > 0
            # pdfminer's box goes up one em from the descriptor's descent below the baseline; a font PDFium gives no
            # name (Chromium's Type 3 fonts) has no descriptor pdfminer can use: its descent is 0
            descent = (descents.get(font.split("+", 1)[-1]) if font else 0.0) if upright else None
            style = styles[address] = (size, font, descent)
        size, font, descent = style
        # the loose box is pdfminer's across: from the origin one advance wide
        fp.FPDFText_GetLooseCharBox(raw, i, box)
        x0, y0, x1, y1 = box.left, box.bottom, box.right, box.top
        if not font or descent is None:
            fp.FPDFText_GetCharBox(raw, i, left, right, bottom, top)
            if (left.value, bottom.value, right.value, top.value) == (x0, y0, x1, y1) and size > 0:
                # no ascent and descent for the font (Type 3, broken metrics): PDFium's loose box is the glyph's ink
                # (a flat 「一」 sits mid-line); it starts at the origin, and at the baseline where pdfminer has no
                # descent either
                fp.FPDFText_GetCharOrigin(raw, i, origin_x, origin_y)
                x0, y0 = origin_x.value, origin_y.value
                x1 = max(x1, x0)
        if descent is not None:
            fp.FPDFText_GetCharOrigin(raw, i, origin_x, origin_y)
            y0 = origin_y.value + descent / 1000 * size
            y1 = y0 + size
        out.append(Glyph(text, x0, y0, x1, y1, size or (y1 - y0), font))
    return out, order


def _blanks(objects: list) -> list[tuple[int, Glyph]]:
    """Text objects without ink (Chromium draws each space as a text object of its own): PDFium's text page leaves
    them out, pdfminer reads them as characters. (stream index, a space at the object's origin, one em high)."""
    out = []
    size = ctypes.c_float()
    for k, obj in enumerate(objects):
        if obj.type != fp.FPDF_PAGEOBJ_TEXT:
            continue
        left, bottom, right, _ = obj.get_bounds()
        if right - left >= 0.01 or not fp.FPDFTextObj_GetFontSize(obj.raw, size):
            continue
        m = obj.get_matrix()
        em = size.value * math.hypot(m.c, m.d)
        if em > 0:
            out.append((k, Glyph(" ", left, bottom, left + 0.25 * em, bottom + em, em, "")))
    return out


def _stream_order(chars: list[Glyph], order: list[int], blanks: list[tuple[int, Glyph]]) -> list[Glyph]:
    """The characters, and the blank glyphs, in the order the content stream draws them, as pdfminer sees them:
    PDFium's text page moves a text object drawn after the rest of its line (LibreOffice draws a fallback font's
    「“」 last) to where it sits on the line. Characters of one object keep their order."""
    keyed = []
    last = -1
    for n, (c, k) in enumerate(zip(chars, order)):
        last = k if k >= 0 else last
        keyed.append((last, n, c))
    keyed += [(k, -1, g) for k, g in blanks]
    keyed.sort(key=lambda t: (t[0], t[1]))
    return [g for _, _, g in keyed]


def _font_name(raw: bytes) -> str:
    """A font's name as pdfminer gives it: UTF-8, else the bytes one to one (GBK-encoded names: layout decodes them)."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


def _lines(chars: list[Glyph]) -> Iterator[list[Glyph]]:
    """Group characters in stream order into text lines, by pdfminer's rule (LTLayoutContainer.group_objects)."""
    line: list[Glyph] = []
    prev = None
    for c in chars:
        if prev is not None and not _halign(prev, c):
            yield line
            line = []
        line.append(c)
        prev = c
    if line:
        yield line


def _halign(a: Glyph, b: Glyph) -> bool:
    if not (b.y0 <= a.y1 and a.y0 <= b.y1):
        return False
    voverlap = min(abs(a.y0 - b.y1), abs(a.y1 - b.y0))
    if not min(a.y1 - a.y0, b.y1 - b.y0) * LINE_OVERLAP < voverlap:
        return False
    hdistance = 0.0 if (b.x0 <= a.x1 and a.x0 <= b.x1) else min(abs(a.x0 - b.x1), abs(a.x1 - b.x0))
    return hdistance < max(a.x1 - a.x0, b.x1 - b.x0) * CHAR_MARGIN


def _spaced(line: list[Glyph]) -> Iterator[Glyph | None]:
    """The line's glyphs with a ``None`` (a space) where the gap before one is wider than WORD_MARGIN of it."""
    x1 = math.inf
    for g in line:
        if x1 < g.x0 - WORD_MARGIN * max(g.x1 - g.x0, g.y1 - g.y0):
            yield None
        x1 = g.x1
        yield g


# ---------------------------------------------------------------- drawn shapes
def _shapes(paths: list, chars: int) -> Iterator[tuple[float, float, float, float, bool]]:
    """(x0, y0, x1, y1, is a rectangle) of every painted subpath on the page, as pdfminer's paint_path sees it;
    the page's characters (``chars``) and its subpaths together within MAX_PAGE_OBJECTS."""
    point_x, point_y = ctypes.c_float(), ctypes.c_float()
    matrix = fp.FS_MATRIX()
    count = chars
    for obj in paths:
        fill, stroke = ctypes.c_int(), ctypes.c_int()
        if not fp.FPDFPath_GetDrawMode(obj, fill, stroke) or not (fill.value or stroke.value):
            continue
        m = _page_matrix(obj, matrix)
        subpath: list[tuple[float, float]] = []
        kinds = ""
        beziers = 0
        for k in range(fp.FPDFPath_CountSegments(obj)):
            seg = fp.FPDFPath_GetPathSegment(obj, k)
            kind = fp.FPDFPathSegment_GetType(seg)
            fp.FPDFPathSegment_GetPoint(seg, point_x, point_y)
            x, y = point_x.value, point_y.value
            # PDFium keeps points and matrices in single precision (154.2499 for 154.25): to the thousandth of a
            # point, as pdfminer computes them from the stream's numbers (layout's ruling merge rounds positions)
            pt = (round(m[0] * x + m[2] * y + m[4], 3), round(m[1] * x + m[3] * y + m[5], 3))
            if kind == fp.FPDF_SEGMENT_MOVETO:
                if subpath:
                    yield _shape(subpath, kinds)
                subpath, kinds = [pt], "m"
                count += 1
                if count > layout.MAX_PAGE_OBJECTS:
                    raise TooLarge(layout.too_many_objects())
                beziers = 0
            elif kind == fp.FPDF_SEGMENT_BEZIERTO:
                beziers += 1
                if beziers % 3 == 0:  # two control points, then the end: pdfminer keeps the end point only
                    kinds += "c"
                    subpath.append(pt)
            else:
                kinds += "l"
                subpath.append(pt)
            if fp.FPDFPathSegment_GetClose(seg) and subpath and pt != subpath[0]:
                kinds += "l"  # "h": back to the start (pdfminer's closing point)
                subpath.append(subpath[0])
        if subpath:
            yield _shape(subpath, kinds)


def _shape(pts: list[tuple[float, float]], kinds: str) -> tuple[float, float, float, float, bool]:
    rect = False
    if kinds == "mllll" and pts[0] == pts[4]:
        (x0, y0), (x1, y1), (x2, y2), (x3, y3), _ = pts
        rect = (x0 == x1 and y1 == y2 and x2 == x3 and y3 == y0) or (y0 == y1 and x1 == x2 and y2 == y3 and x3 == x0)
    xs = [p[0] for p in pts]
    ys = [p[1] for p in pts]
    return min(xs), min(ys), max(xs), max(ys), rect


def _page_matrix(obj, buf) -> tuple[float, float, float, float, float, float]:
    """The object's matrix composed with those of the form XObjects it is nested in: object space → page."""
    a, b, c, d, e, f = 1.0, 0.0, 0.0, 1.0, 0.0, 0.0
    while obj is not None:
        fp.FPDFPageObj_GetMatrix(obj, buf)
        m = (buf.a, buf.b, buf.c, buf.d, buf.e, buf.f)
        a, b, c, d, e, f = (a * m[0] + b * m[2], a * m[1] + b * m[3], c * m[0] + d * m[2], c * m[1] + d * m[3],
                            e * m[0] + f * m[2] + m[4], e * m[1] + f * m[3] + m[5])
        obj = obj.container
    return a, b, c, d, e, f
