""".txt and .md reports: detect the encoding, keep line:column for every character; Markdown is parsed by
readers/markdown.py."""
from __future__ import annotations

import codecs
import itertools
import re
from pathlib import Path

from ..document import Block, Document
from ..furniture import mark
from ..model import InputError, NotAReport, Severity
from ..oserrors import describe
from . import MAX_BLOCKS

_MD_HEADING = re.compile(r"^(#{1,6})[ \t]+")
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def detect_encoding(data: bytes) -> str:
    """The encoding of ``data``: a BOM decides; else strict UTF-8; else UTF-16 without BOM (NUL bytes in every other
    position, or Chinese text that decodes cleanly as UTF-16); else GB18030 (a superset of GBK and GB2312).
    Binary data raises InputError."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name
    sample = data[:4096]
    if b"\x00" in sample:
        even, odd = sample[0::2].count(0), sample[1::2].count(0)
        if odd > len(sample) // 8 and even < odd // 8:
            return "utf-16-le"
        if even > len(sample) // 8 and odd < even // 8:
            return "utf-16-be"
        if not _plausible_utf16(data):
            raise InputError("这是二进制文件，不是文本：请提供 .txt/.md 文本、.docx 或 .pdf 格式的报告")
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    utf16 = _plausible_utf16(data)
    if utf16:
        return utf16
    try:
        data.decode("gb18030")
        return "gb18030"
    except UnicodeDecodeError:
        raise InputError("无法识别文件编码（既不是 UTF-8/UTF-16，也不是 GB18030/GBK），可能不是文本文件") from None


def _plausible_utf16(data: bytes) -> str | None:
    """UTF-16 without BOM whose Chinese text has few NUL bytes: it must decode strictly (GB18030 bytes read as
    UTF-16 soon hit an unpaired surrogate) and read as Chinese, ASCII and CJK punctuation."""
    if len(data) % 2:
        return None
    for name in ("utf-16-le", "utf-16-be"):
        try:
            text = data[:8192].decode(name)
        except UnicodeDecodeError:
            continue
        ordinary = sum(1 for c in text if "\u4e00" <= c <= "\u9fff" or " " <= c <= "~" or c in "\t\r\n"
                       or "\u3000" <= c <= "\u303f" or "\uff00" <= c <= "\uffef" or c in "“”‘’—…·")
        if text and ordinary >= 0.95 * len(text) and sum(1 for c in text if "\u4e00" <= c <= "\u9fff") >= 0.2 * len(text):
            return name
    return None


def decode(data: bytes) -> tuple[str, str]:
    encoding = detect_encoding(data)
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:  # a BOM promised an encoding the bytes break (a lone UTF-16 surrogate)
        raise InputError(f"文件按字节顺序标记应为 {encoding.upper()} 编码，但第 {exc.start + 1} 个字节处的内容不符合"
                         "这种编码：文件可能已损坏") from None
    if "\x00" in text or _looks_binary(text):
        raise InputError("这是二进制文件，不是文本：请提供 .txt/.md 文本、.docx 或 .pdf 格式的报告")
    return text, encoding


def _looks_binary(text: str) -> bool:
    sample = text[:4096]
    controls = sum(1 for ch in sample if ch < " " and ch not in "\t\r\n\f\v")
    return controls > max(8, len(sample) // 50)


def parse(text: str, path: str = "<text>", markdown: bool = False) -> Document:
    """Split decoded text into one block per non-blank line; Markdown goes to the Markdown reader. Page furniture
    (gpalint/furniture.py) is marked in both."""
    if text.count("\n") > 4 * MAX_BLOCKS:  # before splitting: millions of (blank) lines cost memory as a list
        _too_many_lines(4 * MAX_BLOCKS)
    if markdown:
        from .markdown import parse as parse_markdown
        return mark(parse_markdown(text, path))
    doc = Document(path=path, format="text", converted=converted_by_tool(text))
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        if len(doc.blocks) == MAX_BLOCKS:
            _too_many_lines(MAX_BLOCKS)
        column, heading = 1, None
        m = _MD_HEADING.match(line)
        if m:
            heading = len(m.group(1))
            column = m.end() + 1
            line = line[m.end():]
        doc.blocks.append(Block(line, number, column, heading=heading))
    return mark(doc)


CONVERTED = ("spacing", "punctuation", "quotes")  # what converted_by_tool (and the Markdown reader) can tell a tool changed
_HALF_COMMA = re.compile(r"[\u4e00-\u9fff],(?=[\u4e00-\u9fff])")


def converted_by_tool(text: str) -> frozenset[str]:
    """What a tool rather than the author made of ``text`` (see Document.converted)."""
    found = set()
    if extracted_from_pdf(text):
        found.add("spacing")
    if "，" not in text and len(_HALF_COMMA.findall(text, 0, 200_000)) >= 10:
        found.add("punctuation")
    return frozenset(found)


def extracted_from_pdf(text: str) -> bool:
    """Whether ``text`` is what a PDF text extractor wrote: poppler's pdftotext (with or without -layout) and
    pdfminer's extract_text (pdf2txt.py) end every page with a form feed, the last page too. A person's text does
    not end with one (Word's plain-text save writes a manual page break as a form feed, but between pages)."""
    return text.rstrip(" \t\r\n").endswith("\f")


def _too_many_lines(limit: int):
    raise InputError(f"文件有超过 {limit} 行文字，不像是一份年度报告（200 页的报告约有一万行），无法检查")


def read_decoded(path: Path) -> str:
    """The file's text, whatever its encoding (see detect_encoding); InputError when it cannot be had."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"无法读取文件：{describe(exc)}") from None
    return decode(data)[0]


def read(path: Path) -> Document:
    text = read_decoded(path)
    if not text.strip():
        raise InputError("文件只有空白，没有可检查的内容")
    if gpalint_output(text):
        raise NotAReport("这不像是政府信息公开工作年度报告：这是 gpalint 的检查结果（文本输出），不是报告")
    return parse(text, str(path), markdown=path.suffix.lower() in (".md", ".markdown"))


# gpalint's own text output (output/text.py), saved beside the reports or kept as a test snapshot: a finding's line
# (path:where: severity CODE …, where as Location.where writes it), the excerpt under it (「  |」「12 | …」) and its hint
_FINDING = re.compile(r"^.+?:(?:\d+:\d+|¶\d+|表\d+第\d+行第\d+列|第\d+页:\d+): "
                      rf"(?:{'|'.join(s.label for s in Severity)}) [A-Z]\d{{3}} ")
_EXCERPT = re.compile(r"^ *\d* \|(?: |$)|^ += ")
OUTPUT_SHARE = 0.8  # of the non-blank lines: a report quoting a finding or two is still a report


def gpalint_output(text: str) -> bool:
    """Whether ``text`` is what `gpalint check` printed: most of its lines are findings and their excerpts (a
    report has none of either). Read from the first 2,000 non-blank lines."""
    lines = list(itertools.islice((ln for ln in text.splitlines() if ln.strip()), 2000))
    findings = sum(1 for line in lines if _FINDING.match(line))
    excerpts = sum(1 for line in lines if _EXCERPT.match(line))
    return findings > 0 and findings + excerpts >= OUTPUT_SHARE * len(lines)
