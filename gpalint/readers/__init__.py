"""Pick the reader for a file by its suffix; heavy libraries are imported only when such a file comes."""
from __future__ import annotations

from pathlib import Path

from ..document import Document
from ..model import InputError
from ..oserrors import describe, not_regular
from .extras import ocr_available

SUFFIXES = {".txt": "text", ".md": "text", ".markdown": "text", ".docx": "docx", ".pdf": "pdf", ".html": "html", ".htm": "html",
            ".doc": "doc", ".wps": "doc"}  # .doc/.wps: converted to .docx by LibreOffice (readers/doc.py)
# Scanned pages as image files, read by OCR. Only with the OCR extra installed are they reports to look for in a
# folder (without it, a folder's logos and screenshots are no reports; a file named on its own says how to install).
IMAGES = {".png": "image", ".jpg": "image", ".jpeg": "image", ".tif": "image", ".tiff": "image"}
if ocr_available():
    SUFFIXES.update(IMAGES)
# The kinds gpalint/fix has a target for (fix.text.TextTarget, fix.word.WordTarget); findings in the others (PDF,
# HTML, a converted .doc, an image) offer no fix, whatever their rule could fix elsewhere.
FIXABLE = frozenset({"text", "docx"})
MAX_BYTES = 50 * 1024 * 1024  # a report is a few hundred KB; anything this large is not one
# Lines, paragraphs or table cells: a 200-page report has about ten thousand. 50 MB of one-character lines would be
# 12 million blocks (3.5 GB, 250 s); readers stop at this many.
MAX_BLOCKS = 100_000


def fixable(path: str | Path) -> bool:
    """Whether --fix can change this file."""
    return SUFFIXES.get(Path(path).suffix.lower()) in FIXABLE


def read(path: str | Path, pdf_engine: str = "auto") -> Document:
    p = Path(path)
    kind = SUFFIXES.get(p.suffix.lower()) or IMAGES.get(p.suffix.lower())
    if kind is None:
        raise InputError(f"不支持的文件类型「{p.suffix or '无扩展名'}」：gpalint 只检查 .txt .md .docx .doc .wps .pdf .html 文件"
                         "（装有 OCR 扩展时还有 .png .jpg .tif 图片）")
    try:
        st = p.stat()
    except OSError as exc:
        raise InputError(f"无法读取文件：{describe(exc)}") from None
    special = not_regular(st.st_mode)  # a pipe or a device: reading it could wait forever
    if special:
        raise InputError(special)
    size = st.st_size
    if size == 0:
        raise InputError("文件为空，没有可检查的内容")
    if size > MAX_BYTES:
        raise InputError(f"文件过大（{size / 1048576:.0f} MB），不像是一份年度报告；上限为 {MAX_BYTES // 1048576} MB")
    from importlib import import_module
    reader = import_module(f".{kind}", __package__)  # imported on demand: a run over text files needs no PDF code
    from ..furniture import mark
    try:
        if kind == "text":
            return reader.read(p)  # text.parse marks its own
        return mark(reader.read(p, pdf_engine) if kind == "pdf" else reader.read(p))
    except OSError as exc:  # unreadable (permissions), or gone since the folder was listed
        raise InputError(f"无法读取文件：{describe(exc)}") from None
