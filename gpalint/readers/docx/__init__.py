"""Word (.docx) reports: paragraphs and real tables in body order, one Block per paragraph or table cell.

The package is read straight from the zip with lxml (document, styles and numbering parts only): that is several
times faster than python-docx's object model and does not load images. Modules: ``package`` (zip/OLE sniffing,
parts, relationships, size budgets), ``styles``, ``numbering`` (list numbers Word draws), ``body`` (the one walk
over the body, shared with the fixer), ``comments`` (comment texts and the paragraphs they cover).

Locations. ``Block.line`` is the paragraph number in document order: the 1-based index of the paragraph among the
``w:p`` elements of the body in document order, table-cell paragraphs (nested tables too) and empty paragraphs
included, paragraphs inside text boxes (``w:txbxContent``), headers, footers, footnotes and comments excluded: the
key the fixer, the suppressions and the annotations use. What a person is shown is ``Document.paragraphs``: the
number of the paragraph among the non-empty paragraphs outside tables (table-of-contents lines included, as they
are visible), or for a table cell its table, row and column (``Location.where``).
``Block.column`` is 1: offsets in ``text`` count characters of the paragraph's visible text. Comments: the text
and covered lines of each (``comments``), for ``gpalint: ignore`` comments.

What becomes text
  * runs (``w:t``), tabs as "\\t", soft line breaks (``w:br``/``w:cr``) as nothing next to a CJK character, two
    spaces in a line that has tabs, one space otherwise (see ``body.break_text``), symbols (``w:sym``), no-break
    hyphens; field results (``w:fldSimple``, runs between ``w:fldChar`` separate and end) as shown;
  * tracked changes as if all were accepted: inserted (``w:ins``, ``w:moveTo``) text kept, deleted (``w:del``,
    ``w:moveFrom``, ``w:delText``) text and deleted table rows dropped;
  * hidden text (``w:vanish``), field instructions, drawings, text boxes, math are not report body: dropped;
  * entity references (only in a document with a DTD, which Word never writes): their literal value from the
    internal DTD, never expanded further, and the text after them;
  * automatic numbering: Word draws the list number ("一、", "（一）", "1.") which is not in the paragraph's
    text; it is computed from the numbering part and *prepended* to ``Block.text``. We keep ``column = 1``, so
    for a numbered paragraph the columns of the real text are shifted right by the length of the generated
    prefix (``Paragraph.prefix``; a diagnostic inside the number itself has no source text to point at).

Tables: one Block per cell in row-major order with ``cell = Cell(table, row, col)``; ``col`` is the grid column
(``w:gridBefore`` and ``w:gridSpan`` counted), a horizontally merged cell comes once, vertically merged
continuation cells (``w:vMerge`` without ``restart``) and empty cells not at all. Paragraphs of a cell are joined
with one space; the cell block's ``line`` is its first non-empty paragraph. A nested table's cells follow the
cell that holds it, numbered as the next table in document order.

Headings: ``heading`` from the paragraph style ("heading N", "标题 N", "N级标题") or the outline level
(``w:outlineLvl``, on the paragraph or inherited through the style chain). ``bold`` when every non-blank run is
bold or set in a 黑体/楷体 face (direct, character-style or paragraph-style formatting). Table-of-contents
paragraphs (styles "toc N") are generated copies of the headings: they keep their line numbers but get no block.
"""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from lxml import etree

from ...document import Document
from ...model import InputError
from ...oserrors import describe
from . import comments
from .body import Walker, WordBody, clear_uninformative_bold
from .numbering import Numbering, format_number
from .package import W_STRICT, W_TRANSITIONAL, Names, Package, parse_xml
from .styles import Styles, styles_root

T = TypeVar("T")
__all__ = ["W_TRANSITIONAL", "WordBody", "WordFile", "format_number", "load", "read", "walk"]


class WordFile:
    """A .docx with its main part parsed (once), its styles and numbering loaded; ``walk`` reads the body as it is
    now, so a fixer can edit ``root`` and walk again."""

    def __init__(self, package: Package, path: str):
        self.package = package
        self.path = path
        self.main = package.main_part()
        data = package.part(self.main)
        if data is None:
            raise package.not_word()
        self.root = parse_xml(data, self.main)
        ns = etree.QName(self.root).namespace
        if ns not in (W_TRANSITIONAL, W_STRICT):
            raise InputError("不是有效的 Word 文档（.docx）文件：正文部分不是 WordprocessingML")
        self.names = Names(ns)
        self.styles = Styles(self.names)
        self.numbering = Numbering(self.names, self.styles)
        related = package.rels(self.main)
        if "styles" in related:
            sdata = package.part(related["styles"])
            if sdata:
                self.styles.load(styles_root(sdata, related["styles"]))
        if "numbering" in related:
            ndata = package.part(related["numbering"])
            if ndata:
                self.numbering.load(parse_xml(ndata, related["numbering"]))
        dtd = self.root.getroottree().docinfo.internalDTD
        self.has_dtd = dtd is not None or bool(self.root.getroottree().docinfo.doctype)
        self.comment_texts: dict[str, str] | None = None
        self.entities = {e.name: e.content for e in dtd.iterentities()
                         if e.name and e.content and "&" not in e.content and len(e.content) <= 256} if dtd else {}

    def xml(self) -> bytes:
        """The main part as it is now (edited by a fixer or annotator), serialised with its own declaration."""
        info = self.root.getroottree().docinfo
        return etree.tostring(self.root, xml_declaration=True, encoding=info.encoding or "UTF-8",
                              standalone=info.standalone)

    def walk(self) -> WordBody:
        """Walk the body (as edited so far): the Document the reader returns, and its map back to the XML."""
        self.numbering.reset()
        walker = Walker(self.names, self.styles, self.numbering, self.path, self.entities)
        body = self.root.find(self.names.BODY)
        result = walker.walk(body) if body is not None else walker.body
        if not any(b.text.strip() for b in result.doc.blocks):
            raise InputError("该 Word 文档中没有文字内容（可能只有图片或扫描件），无法检查")
        if next(self.root.iter(self.names.q("commentRangeStart")), None) is not None:
            if self.comment_texts is None:  # read once: the fixer walks again after each round
                self.comment_texts = comments.part_texts(self.package, self.main, self.names)
            result.doc.comments = comments.read(self.root, self.names, result, self.comment_texts)
        clear_uninformative_bold(result.doc)
        return result


def _guarded(step: Callable[[], T]) -> T:
    """Run one reading step; a reader must never let a traceback through: one Chinese line instead."""
    try:
        return step()
    except InputError:
        raise
    except RecursionError:
        raise InputError("Word 文档结构嵌套过深（表格或内容控件层层嵌套），无法读取") from None
    except MemoryError:
        raise InputError("Word 文档过大，内存不足，无法读取") from None
    except Exception as exc:
        raise InputError(f"无法读取该 Word 文档（{type(exc).__name__}）：文件可能已损坏，请用 Word 打开后另存为 .docx 再检查") from None


def load(data: bytes, path: str) -> WordFile:
    """Open and parse a .docx from the bytes of the file; every failure is one Chinese InputError line."""
    return _guarded(lambda: WordFile(Package(data), path))


def walk(word: WordFile) -> WordBody:
    """``word.walk()`` under the same guard."""
    return _guarded(word.walk)


def read(path: Path) -> Document:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"无法读取文件：{describe(exc)}") from None
    return walk(load(data, str(path))).doc
