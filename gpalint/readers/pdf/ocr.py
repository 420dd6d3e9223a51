"""The OCR engine (``pip install 'gpalint[ocr]'``): a page image — a scanned PDF page without a text layer, an image
file — read into a ``layout.Page`` like any other engine's, so lines, ruled tables and borderless tables are rebuilt
the same way.

RapidOCR (PP-OCR models on ONNX Runtime) reads the text; README「扫描件 (OCR)」 says why this engine, with the accuracy
and speed measured by scripts/measure_ocr.py. Its models ship inside the wheel and are passed by path, so nothing is
ever downloaded (given no path, RapidOCR would fetch a missing model from the network).

Per page: the red of a seal is dropped (``paper``: black ink stays, red ink turns white), the image is levelled (the
skew that gives the sharpest row profile of ink, within ±2°), table rulings are found as long straight runs of
ink (morphological opening), and every recognised character becomes a ``Glyph`` with its box in PDF points (y up)
and its confidence. A piece's confidence is its least sure character's.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ...model import InputError
from ..extras import OCR_INSTALL as INSTALL
from ..extras import ocr_available as available
from .layout import Glyph, Page, line_pieces

if TYPE_CHECKING:
    from PIL.Image import Image

DPI = 300  # pages are read at this resolution at most (PP-OCR's accuracy does not grow beyond it; memory does)
MAX_PIXELS = 12_000_000  # an A4 page at 300 dpi has 8.7 million; a larger page is read at a lower resolution
MAX_OCR_PAGES = 60  # a scanned report has a few dozen pages; beyond this the file is not read by OCR further
SKEW = 2.0  # degrees: the largest skew looked for
__all__ = ["INSTALL", "available"]  # (from extras: what the readers ask without importing an engine)
# What OCR decides rather than the page shows (Document.converted): the spaces (it reads none around CJK, and
# guesses them between digits) and the width of a mark (「(」 or 「（」 look alike to it). Rules on those say nothing
# on a document OCR read: a false finding costs more than a missed one.
CONVERTED = frozenset({"spacing", "punctuation"})

# one recognised text line: its characters as (text, confidence 0–1, x0, y0, x1, y1) in pixels, y down
Chars = list[tuple[str, float, float, float, float, float]]


# ---------------------------------------------------------------- image → page
def level(gray: Any) -> Any:
    """``gray`` (uint8, white paper) turned by the skew that makes its rows of ink sharpest."""
    import cv2
    import numpy as np
    scale = min(1.0, 1000 / max(gray.shape))
    small = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    ink = (small < 160).astype(np.float32)
    h, w = ink.shape
    best, best_score = 0.0, -1.0
    for angle in np.arange(-SKEW, SKEW + 0.01, 0.1):
        m = cv2.getRotationMatrix2D((w / 2, h / 2), float(angle), 1.0)
        score = float(np.var(cv2.warpAffine(ink, m, (w, h), flags=cv2.INTER_NEAREST).sum(axis=1)))
        if score > best_score:
            best, best_score = float(angle), score
    if abs(best) < 0.05:
        return gray
    h, w = gray.shape
    m = cv2.getRotationMatrix2D((w / 2, h / 2), best, 1.0)
    return cv2.warpAffine(gray, m, (w, h), flags=cv2.INTER_LINEAR, borderValue=255)


def paper(rgb: Any) -> Any:
    """``rgb`` as gray with red ink (a seal, a red signature) turned to paper: the red channel, where black ink stays
    black, and white wherever red clearly outweighs green (faint red is still something a recogniser would read)."""
    import numpy as np
    gray = rgb[:, :, 0].copy()
    gray[rgb[:, :, 0].astype(np.int16) - rgb[:, :, 1] > 50] = 255
    return gray


def rulings(gray: Any, dpi: float) -> Iterator[tuple[float, float, float, float]]:
    """Table rulings in ``gray``, in pixels (x0, y0, x1, y1): runs of ink longer than any stroke of a character."""
    import cv2
    import numpy as np
    ink = (gray < 128).astype(np.uint8)
    thick = max(2, round(dpi * 3 / 72))  # a ruling is at most 3 pt thick
    for kernel, horizontal in (((round(dpi * 25 / 72), 1), True), ((1, round(dpi * 16 / 72)), False)):
        runs = cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones(kernel[::-1], np.uint8))
        n, _, stats, _ = cv2.connectedComponentsWithStats(runs, connectivity=8)
        for x, y, w, h, _area in stats[1:n]:
            if (h if horizontal else w) <= thick:
                yield float(x), float(y), float(x + w), float(y + h)


# What RapidOCR is asked for: each character's box and confidence, its own log quiet, one line recognised at a
# time. (Measured with scripts/measure_ocr.py: its defaults — pages scaled to 2000 pixels at most — read as well as
# the full resolution, in half the time and half the memory.)
PARAMS: dict[str, Any] = {"Global.log_level": "error", "Global.return_word_box": True,
                          "Global.return_single_char_box": True,
                          "Rec.rec_batch_num": 1,  # the same text, 200 MB less memory at its peak than 6 at a time
                          # gpalint's own workers (-j) share the CPUs: ONNX Runtime's default, a thread per core in
                          # every worker, would put 8 workers × 64 threads on a 64-core machine
                          "EngineConfig.onnxruntime.intra_op_num_threads": 2,
                          "EngineConfig.onnxruntime.inter_op_num_threads": 1}


def rapidocr(**params: Any) -> Callable[[Any], Iterator[Chars]]:
    """A RapidOCR recogniser (``params`` added to PARAMS): an H×W×3 uint8 array → its text lines. The models are the
    ones inside the wheel, given by path: RapidOCR downloads a model it is not given and cannot find."""
    import rapidocr
    models = Path(rapidocr.__file__).parent / "models"

    def model(task: str) -> str:
        found = sorted(models.glob(f"*{task}*.onnx"))
        if not found:
            raise InputError(f"OCR 扩展的模型文件缺失（{models}）：请重新安装（{INSTALL}）")
        return str(found[-1])

    engine: Any = rapidocr.RapidOCR(params={**PARAMS, "Det.model_path": model("det"), "Rec.model_path": model("rec"),
                              "Cls.model_path": model("cls"), **params})

    def recognise(rgb: Any) -> Iterator[Chars]:
        result: Any = engine(rgb)
        if not result.txts:  # nothing read (RapidOCR then gives one empty word, not none)
            return
        for words in result.word_results:
            line: Chars = []
            for text, score, quad in words:
                xs, ys = [p[0] for p in quad], [p[1] for p in quad]
                chars = [t for t in text if not t.isspace()]
                x0, x1 = min(xs), max(xs)
                for i, ch in enumerate(chars):  # a word's characters share its box: split it evenly
                    line.append((ch, float(score), x0 + (x1 - x0) * i / len(chars), min(ys),
                                 x0 + (x1 - x0) * (i + 1) / len(chars), max(ys)))
            yield line

    return recognise


@lru_cache(maxsize=1)
def _default() -> Callable[[Any], Iterator[Chars]]:
    return rapidocr()


def recognise(rgb: Any) -> Iterator[Chars]:
    """The text lines the default engine reads in ``rgb``."""
    return _default()(rgb)


def read_image(img: Image, number: int, dpi: float, width: float, height: float,
               engine: Callable[[Any], Iterable[Chars]] = recognise) -> Page:
    """The page ``number`` from its image, rendered at ``dpi``; the page is ``width`` × ``height`` points.
    (``engine``: another recogniser, for scripts/measure_ocr.py.) A failure of the engine is one Chinese line."""
    try:
        return _read_image(img, number, dpi, width, height, engine)
    except (InputError, MemoryError, RecursionError):
        raise
    except Exception as exc:  # ONNX Runtime and OpenCV raise their own kinds
        if "alloc" in str(exc).lower():  # ONNX Runtime's way of saying the memory budget ran out
            raise MemoryError from None
        raise InputError(f"第 {number} 页 OCR 识别失败（{type(exc).__name__}）") from None


def _read_image(img: Image, number: int, dpi: float, width: float, height: float,
                engine: Callable[[Any], Iterable[Chars]]) -> Page:
    import numpy as np
    gray = level(paper(np.asarray(img.convert("RGB"))))
    k = 72 / dpi
    page = Page(number, width, height)

    def box(x0: float, y0: float, x1: float, y1: float) -> tuple[float, float, float, float]:
        return x0 * k, height - y1 * k, x1 * k, height - y0 * k

    # a ruling as a zero-thickness line through its middle: rulings() wants lines thinner than 2.5 pt
    shapes = []
    for x0, y0, x1, y1 in rulings(gray, dpi):
        bx0, by0, bx1, by1 = box(x0, y0, x1, y1)
        if x1 - x0 >= y1 - y0:
            shapes.append((bx0, (by0 + by1) / 2, bx1, (by0 + by1) / 2, False))
        else:
            shapes.append(((bx0 + bx1) / 2, by0, (bx0 + bx1) / 2, by1, False))
    page.rule(shapes)
    vrules = page.vrules

    def add(lines: Iterable[Chars], dx: float = 0, dy: float = 0) -> None:
        for chars in lines:
            glyphs: list[Glyph | None] = []
            sure: list[tuple[float, float]] = []  # (x centre, confidence) of each character
            prev_x1 = None
            for ch, score, px0, py0, px1, py1 in chars:
                x0, y0, x1, y1 = box(px0 + dx, py0 + dy, px1 + dx, py1 + dy)
                if prev_x1 is not None and x0 - prev_x1 > 0.3 * (y1 - y0):
                    glyphs.append(None)  # a gap: a space between Latin characters (line_pieces keeps only those)
                glyphs.append(Glyph(ch, x0, y0, x1, y1, y1 - y0, ""))
                sure.append(((x0 + x1) / 2, score))
                prev_x1 = x1
            real = [g for g in glyphs if g is not None]
            if not real:
                continue
            line_box = (min(g.x0 for g in real), min(g.y0 for g in real), max(g.x1 for g in real),
                        max(g.y1 for g in real))
            for p in line_pieces(line_box, glyphs, vrules, {}):
                p.confidence = min((s for x, s in sure if p.x0 - 0.01 <= x <= p.x1 + 0.01), default=None)
                page.pieces.append(p)

    add(engine(np.ascontiguousarray(np.stack([gray] * 3, axis=-1))))
    # A lone short value in a ruled cell (「0」) is sometimes not found on the whole page; a cell left empty that has
    # ink in it is read again on its own. Ink nothing can be read from is a value that is there but unreadable.
    for x0, y0, x1, y1 in _empty_cells(page, gray, dpi):
        crop = gray[y0:y1, x0:x1]
        pad = round(dpi / 9)
        padded = np.pad(crop, pad, constant_values=255)
        before = len(page.pieces)
        add(engine(np.ascontiguousarray(np.stack([padded] * 3, axis=-1))), x0 - pad, y0 - pad)
        if len(page.pieces) == before:
            ys, xs = np.nonzero(crop < 128)
            add([[("\ufffd", 0.0, x0 + float(xs.min()), y0 + float(ys.min()), x0 + float(xs.max()) + 1,
                   y0 + float(ys.max()) + 1)]])
    page.number_lines()
    return page


def _empty_cells(page: Page, gray: Any, dpi: float) -> Iterator[tuple[int, int, int, int]]:
    """The ruled cells of ``page`` no piece is centred in that hold ink, as pixel boxes inside their rulings. Only a cell
    ruled on all four sides: part of a merged cell is not a cell (its text may be centred in another part)."""
    k = dpi / 72
    inset = max(4, round(2.5 * k))  # clear of the rulings, thick or slightly turned
    for g in page.grids:
        for top, bottom in zip(g.rows, g.rows[1:]):
            ymid = (top + bottom) / 2
            for left, right in zip(g.cols, g.cols[1:]):
                xmid = (left + right) / 2
                if not (all(any(abs(v.pos - x) <= 2 and v.a - 2 <= ymid <= v.b + 2 for v in g.vs) for x in (left, right))
                        and all(any(abs(h.pos - y) <= 2 and h.a - 2 <= xmid <= h.b + 2 for h in g.hs)
                                for y in (top, bottom))):
                    continue
                if any(left < p.xc < right and bottom < p.yc < top for p in page.pieces):  # as cells are filled
                    continue
                x0, x1 = round(left * k) + inset, round(right * k) - inset
                y0, y1 = round((page.height - top) * k) + inset, round((page.height - bottom) * k) - inset
                if x1 - x0 > 2 and y1 - y0 > 2 and int((gray[y0:y1, x0:x1] < 128).sum()) >= 3 * k * k:
                    yield x0, y0, x1, y1


# ---------------------------------------------------------------- scanned PDF pages
def read_pages(path: Path, pages: list[Page], engine: Callable[[Any], Iterable[Chars]] = recognise) -> list[Page]:
    """Read ``pages`` of the PDF at ``path`` (pages without a text layer) by OCR, in place; the pages beyond
    MAX_OCR_PAGES are returned unread."""
    import pypdfium2 as pdfium
    pdf = pdfium.PdfDocument(str(path))
    try:
        for n, pg in enumerate(pages):
            if n >= MAX_OCR_PAGES:
                return pages[n:]
            fp = pdf[pg.number - 1]
            try:
                width, height = fp.get_size()
                scale = min(DPI / 72, (MAX_PIXELS / max(1.0, width * height)) ** 0.5)
                img = fp.render(scale=scale).to_pil()
            finally:
                fp.close()
            # the page as shown (a /Rotate turns the rendering, not get_size)
            got = read_image(img, pg.number, scale * 72, img.width / scale, img.height / scale, engine)
            pg.width, pg.height, pg.pieces, pg.hs, pg.vs, pg.grids = (
                got.width, got.height, got.pieces, got.hs, got.vs, got.grids)
    finally:
        pdf.close()
    return []
