"""PDF reports: text lines with page and line number; tables rebuilt from the ruling lines of their borders.

An engine reads the pages (``pdfium``: PDFium through pypdfium2, when installed; ``miner``: pdfminer.six);
``layout`` turns them into the Document, the same way whichever engine read them. Here: the engine is chosen, its
errors become one Chinese line, and pages without a text layer are dealt with (``no_text_layer``).
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from importlib import import_module
from importlib.util import find_spec
from pathlib import Path

from ...document import Document
from ...model import InputError, Location
from . import layout, ocr
from .layout import Page, TooLarge

ENGINES = ("auto", "pdfium", "pdfminer")
# A page with at most this many characters has no text layer to speak of (a scan with a page number, a stamp).
SCANNED_CHARS = 10


def auto_engine() -> str:
    """PDFium when pypdfium2 is installed (the same Documents, several times faster), else pdfminer.six."""
    return "pdfium" if find_spec("pypdfium2") is not None else "pdfminer"


def engine(name: str = "auto") -> Callable[[Path], Iterator[Page]]:
    """The ``pages`` function of engine ``name`` (auto: ``auto_engine``)."""
    if name == "auto":
        name = auto_engine()
    if name == "pdfium" and find_spec("pypdfium2") is None:
        raise InputError("未安装 PDFium 引擎（pypdfium2），无法用 --pdf-engine pdfium 读取：请运行 pip install pypdfium2，"
                         "或改用 --pdf-engine pdfminer")
    return import_module(f".{'miner' if name == 'pdfminer' else 'pdfium'}", __package__).pages


def read(path: Path, engine_name: str = "auto") -> Document:
    try:
        return _read(path, engine(engine_name))
    except InputError:
        raise
    except RecursionError:
        raise InputError("PDF 文件结构嵌套过深，无法读取：文件可能已损坏") from None
    except MemoryError:
        raise  # the memory budget ran out: the runner says so, with the option that widens it
    except Exception as exc:  # the engines raise many kinds; the user gets one Chinese line
        raise InputError(_pdf_error(exc)) from None


def _pdf_error(exc: Exception) -> str:
    name = type(exc).__name__
    if name in ("PDFPasswordIncorrect", "PDFEncryptionError", "PDFEncryptionWarning") or "crypt" in name.lower():
        return "该 PDF 已加密（需要打开密码或使用了不支持的加密方式），无法读取：请提供未加密的文件"
    if name == "PDFTextExtractionNotAllowed":
        return "该 PDF 设置了禁止提取文字的权限，无法检查：请提供未加限制的文件"
    if name == "PSEOF":
        return "PDF 文件不完整或已损坏（读到文件末尾仍未结束），无法读取：请重新获取或导出 PDF 后再检查"
    why = _WHY.get(name, f"读取库报告的错误类型为 {name}")  # the name helps a bug report; said as such, in Chinese
    return f"PDF 文件已损坏或格式不受支持，无法读取（{why}）：请重新导出 PDF 后再检查"


# What pdfminer's exceptions mean, for the error line (PSEOF, a truncated file, has a line of its own)
_WHY = {"PDFSyntaxError": "文件结构不合 PDF 语法", "PSSyntaxError": "文件结构不合 PDF 语法",
        "PDFNoValidXRef": "找不到有效的交叉引用表", "PDFTypeError": "文件中的对象类型不对",
        "PSTypeError": "文件中的对象类型不对", "PDFValueError": "文件中的数值无效", "PSValueError": "文件中的数值无效",
        "PDFKeyError": "文件缺少必需的条目", "PDFNotImplementedError": "用到了读取库不支持的 PDF 功能"}


def _read(path: Path, pages_of: Callable[[Path], Iterator[Page]]) -> Document:
    try:
        with path.open("rb") as fh:
            head = fh.read(1024)
    except OSError as exc:
        raise InputError(f"无法读取文件：{exc.strerror or exc}") from None
    if b"%PDF" not in head:
        if head.startswith(b"PK"):
            raise InputError("这是 Word 文档（.docx）或其他 zip 文件，扩展名却是 .pdf：请改正扩展名后再检查")
        raise InputError("不是有效的 PDF 文件：文件开头没有 %PDF 标记")
    pages: list[Page] = []
    notes: list[tuple[str, Location]] = []
    try:
        for page in pages_of(path):
            pages.append(page)
    except TooLarge as exc:
        where = f"第 {len(pages) + 1} 页" if exc.on_page else ""
        raise InputError(f"PDF {where}{exc}，无法检查") from None
    except (InputError, MemoryError, RecursionError):
        raise
    except Exception as exc:
        if not pages or _is_crypt(exc):
            raise
        # a broken page late in the file: keep what was read, say so
        pages_read = len(pages)
        notes.append((f"PDF 第 {pages_read + 1} 页起已损坏，无法读取，只检查了前 {pages_read} 页", Location(1, page=pages_read)))
    if not pages:
        raise InputError("PDF 文件中没有页面，无法检查")
    blank = pages_without_text(pages)
    unread = ocr.read_pages(path, blank) if blank and ocr.available() else blank
    if unread and len(unread) < len(blank):
        notes.append((f"扫描页超过 {ocr.MAX_OCR_PAGES} 页，第 {unread[0].number} 页起未做 OCR 识别，未能检查",
                      Location(1, page=unread[0].number)))
    no_text_layer(pages)
    doc = layout.build(str(path), pages, notes)
    if len(unread) < len(blank):
        doc.converted |= ocr.CONVERTED
    return doc


def pages_without_text(pages: list[Page]) -> list[Page]:
    """The pages with no text layer to speak of: what an OCR engine would read."""
    return [pg for pg in pages if pg.chars <= SCANNED_CHARS]


def no_text_layer(pages: list[Page]) -> None:
    """Deal with the pages without a text layer (``pages_without_text``): a file of nothing else is a scan and
    cannot be checked; a page of no text at all among others is named in a note. (An OCR engine, when there is one,
    reads such pages here, adding their pieces, before this.)"""
    if len(pages_without_text(pages)) == len(pages):
        if ocr.available():
            raise InputError("该 PDF 是扫描件，没有文字层，无法检查：OCR 也未识别出文字，请提供 Word 文档或可复制文字的 PDF")
        raise InputError(f"该 PDF 是扫描件，没有文字层，无法检查：请安装 OCR 扩展（{ocr.INSTALL}）后再检查，"
                         "或提供 Word 文档、可复制文字的 PDF")
    for pg in pages:
        if pg.chars == 0:
            pg.note = f"第 {pg.number} 页没有文字层（可能是扫描图片），该页未能检查" + (
                "：OCR 也未识别出文字" if ocr.available() else f"：安装 OCR 扩展（{ocr.INSTALL}）后可识别扫描页")


def _is_crypt(exc: Exception) -> bool:
    name = type(exc).__name__
    return "crypt" in name.lower() or "password" in name.lower()
