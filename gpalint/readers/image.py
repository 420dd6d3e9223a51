"""Image files (.png .jpg .jpeg .tif .tiff): the pages of a scanned report, read by OCR (``gpalint[ocr]``) into the
same Document as a scanned PDF's (``Document.format`` "pdf": pages, lines on the page, tables rebuilt from their
rulings). A multi-page TIFF is one report, a page per frame.

A page's size comes from the resolution the file states; a file that states none, or one that would make the page
smaller than A5 or larger than A3 (a camera's 72 dpi), is taken to be an A4 page as wide as the image. Larger than
300 dpi, the image is scaled down to it before reading.
"""
from __future__ import annotations

from pathlib import Path

from ..document import Document
from ..model import InputError, Location
from .pdf import layout, ocr

MAX_PIXELS = 60_000_000  # a 600-dpi A3 page has 70 million: larger than any page of a report
A4_WIDTH = 8.27  # inches


def read(path: Path) -> Document:
    if not ocr.available():
        raise InputError(f"图片文件要用 OCR 识别后才能检查：请安装 OCR 扩展（{ocr.INSTALL}）")
    from PIL import Image, ImageSequence, UnidentifiedImageError
    pages: list[layout.Page] = []
    notes: list[tuple[str, Location]] = []
    try:
        with Image.open(path) as im:
            for number, frame in enumerate(ImageSequence.Iterator(im), 1):
                if number > ocr.MAX_OCR_PAGES:
                    notes.append((f"图片超过 {ocr.MAX_OCR_PAGES} 页，第 {number} 页起未做 OCR 识别，未能检查",
                                  Location(1, page=number)))
                    break
                w, h = frame.size
                if w * h > MAX_PIXELS:
                    raise InputError(f"图片第 {number} 页过大（{w}×{h} 像素），不像是一页报告，无法检查")
                dpi = float((frame.info.get("dpi") or (0, 0))[0] or 0)
                if not 5.8 <= w / (dpi or 1) <= 11.7 * 1.42:  # narrower than A5, wider than A3 landscape
                    dpi = w / A4_WIDTH
                img = frame.convert("RGB")
                if dpi > ocr.DPI:
                    img = img.resize((round(w * ocr.DPI / dpi), round(h * ocr.DPI / dpi)), Image.Resampling.LANCZOS)
                pages.append(ocr.read_image(img, number, min(dpi, ocr.DPI), w * 72 / dpi, h * 72 / dpi))
    except Image.DecompressionBombError:
        raise InputError("图片过大，不像是一页报告，无法检查") from None
    except (PermissionError, FileNotFoundError, IsADirectoryError):
        raise  # the file, not its content: readers.read says what
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as exc:  # Pillow's broken data
        raise InputError(f"图片文件已损坏或格式不受支持，无法读取（{type(exc).__name__}）") from None
    if not any(pg.chars for pg in pages):
        raise InputError("图片中没有识别出文字，无法检查")
    for pg in pages:
        if not pg.chars:
            pg.note = f"第 {pg.number} 页 OCR 未识别出文字，该页未能检查"
    doc = layout.build(str(path), pages, notes)
    doc.converted |= ocr.CONVERTED
    return doc
