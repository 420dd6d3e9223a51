"""The Word target (.docx): edits mapped back to the ``w:t`` characters they came from, through the reader's own walk.

A location is a paragraph number (or a table cell's line) and character columns of the block text the reader built;
``WordBody.locate`` turns it into offsets of one paragraph's text, whose ``sources`` name the ``w:t`` element and
offset of every character. An edit changes the text of those ``w:t`` elements only, so runs keep their fonts, sizes,
bold and styles:
  * within one ``w:t``, or deleting characters, or replacing as many characters as it writes: each character
    stays in its own run (``２０``(bold red)+``２４``(italic blue) → ``20``(bold red)+``24``(italic blue));
  * replacing text that spans runs by text of another length: only when those runs are formatted alike (the new
    text goes into the first); otherwise the finding is left unfixed, and its hint says why.
An edit touching characters that are not typed text (a generated list number, a tab, break or symbol, a field
result Word regenerates, an entity reference) is not applied either; its finding says why.

The package is written back from the bytes read at the start: the edited main part is serialised, every other
member is copied as it was stored (its compressed bytes; nothing else is inflated). A main part with a DOCTYPE
(Word never writes one; lxml would drop it and LibreOffice would no longer open the file) is not fixed.
"""
from __future__ import annotations

import struct
import zipfile
from pathlib import Path
from typing import BinaryIO, NamedTuple

from lxml import etree

from ..model import Diagnostic, Edit, FileResult, InputError, NotAReport
from ..readers.docx import WordBody, WordFile, load, walk
from ..readers.docx.body import Paragraph
from . import loop, writer
from .loop import unified_diff
from .planner import Change, Unplaced, wanted

DOCTYPE_REFUSED = "该 Word 文档的正文含 DOCTYPE 或实体声明（Word 不会这样保存），为免损坏文件，不自动修复"
_PARA = 10 ** 8  # Change positions: paragraph number × _PARA + offset in the paragraph's text
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_CONTROL = "\t\n\r\v\f"


def _formatting(node: etree._Element) -> tuple:
    """What decides how a w:t's characters look: its run's properties and the run's container."""
    run = node.getparent()
    if run is None:
        return (None, None)
    rpr = run.find(f"{{{etree.QName(run).namespace}}}rPr")
    return (run.getparent(), etree.tostring(rpr) if rpr is not None else b"")


def set_text(node: etree._Element, text: str) -> None:
    node.text = text
    if text != text.strip() and node.get(_XML_SPACE) != "preserve":
        node.set(_XML_SPACE, "preserve")


def apply_edit(para: Paragraph, start: int, end: int, content: str) -> None:
    """Replace characters ``start``..``end`` of ``para``'s text (all editable: see ``place``) by ``content``."""
    if start == end:
        before = para.sources[start - 1] if start > 0 else (None, -1)
        if before[0] is not None and before[1] >= 0:
            node, off = before[0], before[1] + 1
        else:
            node, off = para.sources[start]
        assert node is not None
        set_text(node, (node.text or "")[:off] + content + (node.text or "")[off:])
        return
    pieces = para.pieces(start, end)
    if len(pieces) > 1 and len(content) == end - start:  # one character for one: each keeps its run
        at = 0
        for node, first, last in pieces:
            text = node.text or ""
            set_text(node, text[:first] + content[at:at + last - first] + text[last:])
            at += last - first
        return
    for i, (node, first, last) in enumerate(pieces):
        text = node.text or ""
        set_text(node, text[:first] + (content if i == 0 else "") + text[last:])


class Spot(NamedTuple):
    """Where a Change goes: characters ``start``..``end`` of a paragraph's text."""

    paragraph: Paragraph
    start: int
    end: int


class WordTarget:
    def __init__(self, engine, options, word: WordFile):
        self.engine, self.options, self.word = engine, options, word
        self.body: WordBody = walk(word)
        self.changed = False

    def check(self) -> list[Diagnostic]:
        self.body = walk(self.word)
        return self.engine.check_document(self.body.doc, self.options)[1]

    def place(self, edit: Edit) -> Change | Unplaced:
        loc = edit.location
        if loc.end_line not in (None, loc.line):
            return Unplaced("改动跨越多个段落")
        if any(c in edit.content for c in _CONTROL):
            return Unplaced("改动含制表符或换行，Word 中不是普通文字")
        start = loc.column - 1
        end = (loc.end_column if loc.end_column is not None else loc.column) - 1
        found = self.body.locate(loc.line, start, end)
        if found is None:
            return Unplaced("位置不在 Word 段落的文字之内")
        para, s, e = found
        what = f"「{para.text[s:e]}」" if para.text[s:e].strip() else "这里的空格" if e > s else "此处"
        why = para.editable(s, e)
        if why:
            return Unplaced(what + why)
        pieces = para.pieces(s, e)
        if len(pieces) > 1 and edit.content and len(edit.content) != e - s \
                and len({_formatting(node) for node, _, _ in pieces}) > 1:
            return Unplaced(f"{what}跨越格式不同的几段文字，替换后无法保持各自的格式")
        return Change(para.number * _PARA + s, para.number * _PARA + e, edit.content, Spot(para, s, e))

    def apply(self, chosen: list[tuple[Diagnostic, list[Change]]]) -> bool:
        edits: list[tuple[Spot, str]] = []
        for _, changes in chosen:
            for c in changes:
                assert isinstance(c.where, Spot)
                edits.append((c.where, c.content))
        edits.sort(key=lambda x: (x[0].paragraph.number, x[0].start, x[0].end), reverse=True)  # last first
        for spot, content in edits:
            apply_edit(spot.paragraph, spot.start, spot.end, content)
        self.changed = self.changed or bool(edits)
        return bool(edits)

    def lines(self) -> list[str]:
        """One line per paragraph (table-cell paragraphs included), for --diff."""
        return [self.body.paragraphs[no].text for no in sorted(self.body.paragraphs)]


def _local_data_start(data: bytes, info: zipfile.ZipInfo) -> int:
    """Where the stored bytes of member ``info`` start in the zip ``data`` (after its local file header)."""
    at = info.header_offset
    if data[at:at + 4] != b"PK\x03\x04":
        raise InputError("Word 文档的压缩包结构异常，无法安全地写回，未修复")
    name_len, extra_len = struct.unpack("<HH", data[at + 26:at + 30])
    start = at + 30 + name_len + extra_len
    if start + info.compress_size > len(data):
        raise InputError("Word 文档的压缩包结构异常，无法安全地写回，未修复")
    return start


def _without_zip64(extra: bytes) -> bytes:
    """A zip extra field without its ZIP64 record (id 1)."""
    out, pos = [], 0
    while pos + 4 <= len(extra):
        kind, size = struct.unpack("<HH", extra[pos:pos + 4])
        if kind != 1:
            out.append(extra[pos:pos + 4 + size])
        pos += 4 + size
    return b"".join(out)


def write_package(out: BinaryIO, zin: zipfile.ZipFile, data: bytes, replaced: dict[str, bytes]) -> None:
    """Write the zip ``zin`` (opened on ``data``) to ``out`` with the members in ``replaced`` given new content
    (those it does not have are added at the end, deflated); every other member is copied as stored (compressed
    bytes, never inflated), with a fresh local header."""
    with zipfile.ZipFile(out, "w") as zout:
        zout.comment = zin.comment
        for info in zin.infolist():
            if info.filename in replaced:
                zout.writestr(info, replaced[info.filename], compress_type=info.compress_type)
                continue
            start = _local_data_start(data, info)
            copy = zipfile.ZipInfo(info.filename, info.date_time)
            for attr in ("compress_type", "comment", "create_system", "create_version", "extract_version",
                         "flag_bits", "internal_attr", "external_attr", "CRC", "compress_size", "file_size"):
                setattr(copy, attr, getattr(info, attr))
            copy.flag_bits &= ~0x08  # sizes and CRC go into the local header, no data descriptor
            copy.extra = _without_zip64(info.extra)  # FileHeader adds its own when the sizes need one
            copy.header_offset = out.tell()
            out.write(copy.FileHeader())
            out.write(memoryview(data)[start:start + info.compress_size])
            # zipfile has no call to add a member as stored: register it as ZipFile.write does, so the central
            # directory lists it and the next member goes after it
            zout.filelist.append(copy)
            zout.NameToInfo[copy.filename] = copy
            zout.start_dir = out.tell()
        for name, content in replaced.items():
            if name not in zin.NameToInfo:
                zout.writestr(name, content, compress_type=zipfile.ZIP_DEFLATED)


def fix_docx_file(engine, path: Path, data: bytes, snap: writer.Snapshot, options, unsafe: bool,
                  diff_only: bool) -> FileResult:
    """Fix the .docx whose bytes (read once) are ``data``."""
    result = FileResult(str(path))
    try:
        word = load(data, str(path))
        target = WordTarget(engine, options, word)
        result.diagnostics = engine.check_document(target.body.doc, options)[1]
    except InputError as exc:
        result.error, result.skipped = str(exc), isinstance(exc, NotAReport)
        return result
    if not any(wanted(d, unsafe) for d in result.diagnostics):
        return result
    if not diff_only:
        problem = DOCTYPE_REFUSED if word.has_dtd else writer.refusal(snap)
        if problem:
            result.error = problem
            return result
    before = target.lines()
    try:
        outcome = loop.run(target, unsafe, result.diagnostics)
    except InputError as exc:
        result.error = str(exc)
        return result
    result.diagnostics = outcome.diagnostics
    after = target.lines()
    if not target.changed or after == before:
        return result
    result.fixed = outcome.fixed
    if diff_only:
        result.diff = unified_diff(path, before, after)
        return result
    xml = word.xml()
    try:
        writer.save(result, snap, lambda out: write_package(out, word.package.zip, data, {word.main: xml}))
    except InputError as exc:
        result.error, result.fixed = str(exc), 0
    return result
