"""The pdfminer.six engine: each page laid out once (``extract_pages``; hierarchical box ordering is switched off
because layout.py orders lines by position), its text lines and drawn shapes turned into a ``layout.Page``."""
from __future__ import annotations

import logging
import zlib
from collections.abc import Generator, Iterator
from io import BytesIO
from pathlib import Path

import pdfminer.pdftypes
from pdfminer.converter import PDFPageAggregator
from pdfminer.layout import LAParams, LTAnno, LTChar, LTCurve, LTFigure, LTLine, LTPage, LTRect, LTTextBox, LTTextLine
from pdfminer.lzw import LZWDecoder
from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
from pdfminer.pdfpage import PDFPage

from ...model import InputError
from . import layout
from .layout import Glyph, Page, TooLarge, line_pieces

# char_margin 2.0 keeps the numbers of adjacent table columns apart; line_overlap 0.5 keeps the baseline of a
# CJK line together with its Latin digits; boxes_flow None skips pdfminer's (slow) reading-order analysis.
LAPARAMS = LAParams(line_overlap=0.5, char_margin=2.0, line_margin=0.5, word_margin=0.1, boxes_flow=None,
                    all_texts=True)

# pdfminer inflates every stream whole and lays a page out from all its objects at once, with no limit of its own:
# the budgets (layout.MAX_*) are kept by standing in for its zlib and counting what its aggregator is given.


def pages(path: Path) -> Iterator[Page]:
    """The pages of the PDF at ``path``, within the budgets (pdfminer's logging quietened meanwhile)."""
    logger = logging.getLogger("pdfminer")
    level = logger.level
    logger.setLevel(logging.ERROR)
    fonts: dict[str, bool] = {}
    ltpages = _ltpages(path)
    try:
        for number, ltpage in enumerate(ltpages, 1):
            yield _page(ltpage, number, fonts)
    finally:
        ltpages.close()  # puts pdfminer's own inflating back even when the caller stops early
        logger.setLevel(level)


def _page(ltpage: LTPage, number: int, fonts: dict) -> Page:
    page = Page(number, ltpage.width, ltpage.height)
    lines: list = []
    shapes: list = []
    _collect(ltpage, lines, shapes)
    page.rule((o.x0, o.y0, o.x1, o.y1, isinstance(o, LTRect)) for o in shapes)
    vrules = page.vrules
    for line in lines:
        page.pieces.extend(line_pieces((line.x0, line.y0, line.x1, line.y1), _glyphs(line), vrules, fonts))
    page.number_lines()
    return page


def _glyphs(line) -> Iterator[Glyph | None]:
    for item in line:
        if isinstance(item, LTChar):
            yield Glyph(item.get_text(), item.x0, item.y0, item.x1, item.y1, item.size, item.fontname)
        elif isinstance(item, LTAnno) and item.get_text() == " ":
            yield None  # a space pdfminer inferred from a gap


def _collect(objs, lines: list, shapes: list) -> None:
    for o in objs:
        if isinstance(o, LTTextBox):
            lines.extend(o)
        elif isinstance(o, LTTextLine):
            lines.append(o)
        elif isinstance(o, (LTLine, LTRect, LTCurve)):
            shapes.append(o)
        elif isinstance(o, LTFigure):
            _collect(o, lines, shapes)


# ---------------------------------------------------------------- budgets
class _Inflater:
    """Stands in for the zlib module inside pdfminer.pdftypes (its only use of zlib is inflating streams, whole):
    the same calls, within layout.MAX_STREAM per stream and the file's remaining layout.MAX_INFLATED."""

    error = zlib.error

    def __init__(self) -> None:
        self.left = layout.MAX_INFLATED

    def spend(self, stream_total: int, more: int) -> None:
        """Count ``more`` inflated bytes, making ``stream_total`` so far for the stream they belong to."""
        if stream_total > layout.MAX_STREAM:
            raise TooLarge(layout.stream_too_large())
        self.left -= more
        if self.left < 0:
            raise TooLarge(layout.streams_too_large())

    def decompress(self, data: bytes) -> bytes:
        d = zlib.decompressobj()
        out = d.decompress(data, layout.MAX_STREAM + 1)
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
        limit = layout.MAX_STREAM + 1
        out = self.d.decompress(data, min(max_length or limit, limit))
        self.total += len(out)
        self.inflater.spend(self.total, len(out))
        return out

    def __getattr__(self, name: str):
        return getattr(self.d, name)


class _Aggregator(PDFPageAggregator):
    """pdfminer's page aggregator, refusing a page with more than layout.MAX_PAGE_OBJECTS characters and paths."""

    objects = 0

    def begin_page(self, page, ctm) -> None:
        self.objects = 0
        super().begin_page(page, ctm)

    def count(self) -> None:
        self.objects += 1
        if self.objects > layout.MAX_PAGE_OBJECTS:
            raise TooLarge(layout.too_many_objects())

    def render_char(self, *args, **kwargs) -> float:
        self.count()
        return super().render_char(*args, **kwargs)

    def paint_path(self, *args, **kwargs) -> None:
        self.count()
        super().paint_path(*args, **kwargs)


def _ltpages(path: Path) -> Generator[LTPage, None, None]:
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
                if number > layout.MAX_PAGES:
                    raise InputError(f"PDF 超过 {layout.MAX_PAGES} 页，不像是一份年度报告，无法检查")
                interpreter.process_page(page)
                yield device.get_result()
    finally:
        pdfminer.pdftypes.zlib, pdfminer.pdftypes.lzwdecode = saved


