"""--fix and --diff: apply the fixes the checks propose, and change nothing else.

One loop for every format: check → take the fixes allowed (safe; unsafe too with --unsafe-fixes) → drop a fix that
overlaps one already taken (it comes back in the next round, against the new text) → apply → check again, until no
fix is left or after ``MAX_ROUNDS`` rounds. ``FileResult.diagnostics`` are what is left after the last round,
``FileResult.fixed`` counts the fixes applied.

Text files (.txt .md): edits are applied by line and column on the decoded text, lines split exactly as the text
reader splits them; the encoding, the BOM and every line ending are kept; the file is replaced atomically (a
temporary file in the same folder, then ``os.replace``), keeping its permissions.

Word files (.docx): a location is a paragraph number and character columns of the paragraph's text as the docx
reader builds it; the same reader (a subclass that remembers each paragraph's ``w:p``) finds the paragraph, and the
characters are traced back to the ``w:t`` elements they come from. An edit changes the text of those ``w:t``
elements only — the replacement goes into the first one, the others lose the replaced characters — so runs keep
their fonts, sizes, bold and styles, and no other element or attribute of the package changes (the other zip
members are copied byte for byte). An edit touching text Word generates (list numbers) or that is not a plain
``w:t`` (tabs, breaks, symbols) is not applied; its finding stays.

PDF and HTML files cannot be fixed: they are checked as usual and a note says so once per run.
"""
from __future__ import annotations

import codecs
import difflib
import io
import os
import stat
import sys
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .model import Applicability, Diagnostic, Edit, FileResult, InputError

MAX_ROUNDS = 10
PDF_NOT_FIXABLE = "PDF 文件不能自动修复，只报告问题"
HTML_NOT_FIXABLE = "HTML 网页不能自动修复，只报告问题"
_told: set[str] = set()

# line separators of str.splitlines(), which the text reader uses to number lines
_LINE_BREAKS = "\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029"
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


def fix_file(engine, path, options, unsafe: bool = False, diff_only: bool = False) -> FileResult:
    """Fix one file in place (or, with ``diff_only``, only compute the unified diff of the fixes)."""
    from .readers import SUFFIXES
    path = Path(path)
    kind = SUFFIXES.get(path.suffix.lower())
    if kind == "text":
        return _fix_text_file(engine, path, options, unsafe, diff_only)
    if kind == "docx":
        return _fix_docx_file(engine, path, options, unsafe, diff_only)
    result = engine.check_path(path, options)
    if kind in ("pdf", "html") and result.error is None:
        _tell_once(PDF_NOT_FIXABLE if kind == "pdf" else HTML_NOT_FIXABLE)
    return result


def _tell_once(message: str) -> None:
    if message not in _told:
        _told.add(message)
        sys.stderr.write(message + "\n")


# ---------------------------------------------------------------- choosing the fixes of one round
@dataclass(frozen=True, slots=True)
class Change:
    """One edit placed in the file: replace ``start``..``end`` (whatever positions the format uses) by ``content``."""

    start: int
    end: int
    content: str
    where: object = None  # format-specific, e.g. (paragraph, offsets)


def wanted(d: Diagnostic, unsafe: bool) -> bool:
    fix = d.fix
    return bool(fix and fix.edits) and (fix.applicability == Applicability.SAFE or unsafe)


def _overlap(a: Change, b: Change) -> bool:
    if a.start < b.end and b.start < a.end:
        return True
    return a.start == b.start and (a.start == a.end or b.start == b.end)  # two inserts, or insert + replace at one spot


def choose(diagnostics: list[Diagnostic], unsafe: bool,
           place: Callable[[Edit], Change | None]) -> list[tuple[Diagnostic, list[Change]]]:
    """The fixes to apply this round: allowed, placeable (every edit), in file order, none overlapping another.

    Deterministic: fixes are taken by their first position, then last position, then rule code. A fix overlapping
    one already taken waits for the next round. A fix identical to one taken (two rules, one edit) is taken once.
    """
    candidates = []
    for d in diagnostics:
        if not wanted(d, unsafe):
            continue
        changes = []
        for edit in d.fix.edits:
            c = place(edit)
            if c is None:
                break
            changes.append(c)
        else:
            changes.sort(key=lambda c: (c.start, c.end))
            if any(_overlap(a, b) for i, a in enumerate(changes) for b in changes[i + 1:]):
                continue
            candidates.append((changes, d))
    candidates.sort(key=lambda c: (c[0][0].start, c[0][-1].end, c[1].code,
                                   tuple((x.start, x.end, x.content) for x in c[0])))
    taken: list[Change] = []
    seen: set = set()
    out = []
    for changes, d in candidates:
        key = tuple((x.start, x.end, x.content) for x in changes)
        if key in seen:
            continue
        if any(_overlap(a, b) for a in changes for b in taken):
            continue
        seen.add(key)
        taken.extend(changes)
        out.append((d, changes))
    return out


def unified_diff(path: Path | str, before: list[str], after: list[str]) -> str:
    name = Path(path).as_posix()
    lines = list(difflib.unified_diff(before, after, f"a/{name}", f"b/{name}", lineterm=""))
    return "\n".join(lines) + "\n" if lines else ""


# ---------------------------------------------------------------- text files
class _Lines:
    """Line/column ↔ offset in a decoded text, with lines numbered as ``str.splitlines`` numbers them."""

    def __init__(self, text: str):
        self.starts: list[int] = []
        self.lengths: list[int] = []  # without the line ending
        pos = 0
        for line in text.splitlines(keepends=True):
            ending = 2 if line.endswith("\r\n") else (1 if line[-1] in _LINE_BREAKS else 0)
            self.starts.append(pos)
            self.lengths.append(len(line) - ending)
            pos += len(line)

    def offset(self, line: int, column: int | None, default_end: bool) -> int | None:
        if not 1 <= line <= len(self.starts):
            return None
        length = self.lengths[line - 1]
        if column is None:
            column = length + 1 if default_end else 1
        if not 1 <= column <= length + 1:
            return None
        return self.starts[line - 1] + column - 1

    def place(self, edit: Edit) -> Change | None:
        loc = edit.location
        start = self.offset(loc.line, loc.column, False)
        end_line = loc.end_line if loc.end_line is not None else loc.line
        end_column = loc.end_column if loc.end_column is not None else (loc.column if end_line == loc.line else None)
        end = self.offset(end_line, end_column, True)
        if start is None or end is None or end < start:
            return None
        return Change(start, end, edit.content)


def _apply_text(text: str, chosen) -> str:
    changes = sorted((c for _, cs in chosen for c in cs), key=lambda c: (c.start, c.end), reverse=True)
    for c in changes:
        text = text[:c.start] + c.content + text[c.end:]
    return text


def fix_text(engine, text: str, options, unsafe: bool = False, path: str = "<text>", markdown: bool = False,
             diagnostics: list[Diagnostic] | None = None) -> tuple[str, list[Diagnostic], int]:
    """Fix ``text`` to a fixed point: (fixed text, the diagnostics left, number of fixes applied).

    ``diagnostics``: the findings on ``text`` as it is, when the caller has them already.
    """
    from .readers.text import parse
    fixed = 0
    if diagnostics is None:
        _, diagnostics = engine.check_document(parse(text, path, markdown), options)
    for _ in range(MAX_ROUNDS):
        chosen = choose(diagnostics, unsafe, _Lines(text).place)
        if not chosen:
            break
        new = _apply_text(text, chosen)
        if new == text:
            break
        text, fixed = new, fixed + len(chosen)
        _, diagnostics = engine.check_document(parse(text, path, markdown), options)
    return text, diagnostics, fixed


def apply_text_fixes(engine, text: str, options, unsafe: bool = False, path: str = "example.txt",
                     markdown: bool = False) -> str:
    """The text after applying the fixes (safe ones; unsafe ones too if ``unsafe``) to a fixed point."""
    return fix_text(engine, text, options, unsafe, path, markdown)[0]


def _encode(text: str, encoding: str, original: bytes) -> bytes:
    """``text`` in the file's encoding, with the BOM the file had (and in the byte order it had)."""
    for bom, name in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
                      (codecs.BOM_UTF16_BE, "utf-16-be")):
        if original.startswith(bom):
            return bom + text.encode(name)
    return text.encode(encoding)


def _fix_text_file(engine, path: Path, options, unsafe: bool, diff_only: bool) -> FileResult:
    from .readers.text import decode
    result = engine.check_path(path, options)  # reading errors exactly as `check` reports them
    if result.error is not None or not any(wanted(d, unsafe) for d in result.diagnostics):
        return result
    try:
        data = path.read_bytes()
        text, encoding = decode(data)
    except OSError as exc:
        result.error = f"无法读取文件：{exc.strerror or exc}"
        return result
    except InputError as exc:
        result.error = str(exc)
        return result
    markdown = path.suffix.lower() in (".md", ".markdown")
    try:
        new, result.diagnostics, result.fixed = fix_text(engine, text, options, unsafe, str(path), markdown,
                                                          result.diagnostics)
    except InputError as exc:  # the fixed text no longer reads as a report: keep the file as it is
        result.error = str(exc)
        result.fixed = 0
        return result
    if new == text:
        return result
    if diff_only:
        result.diff = unified_diff(path, text.splitlines(), new.splitlines())
        return result
    try:
        if _encode(text, encoding, data) != data:
            raise UnicodeError
        out = _encode(new, encoding, data)
    except UnicodeError:
        result.error = f"修复后的文字无法按原编码（{encoding}）原样写回，文件未修改"
        result.fixed = 0
        return result
    try:
        write_atomically(path, out)
    except OSError as exc:
        result.error = f"无法写入文件：{exc.strerror or exc}"
        result.fixed = 0
    return result


def write_atomically(path: Path, data: bytes) -> None:
    """Replace ``path``'s content by ``data``: a temporary file in the same folder, then ``os.replace``.

    The file keeps its permission bits; a symbolic link stays a link (its target is replaced).
    """
    target = Path(os.path.realpath(path))
    mode = stat.S_IMODE(target.stat().st_mode)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".gpalint", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


# ---------------------------------------------------------------- Word files
_PARA = 10 ** 8  # Change positions in a .docx: paragraph number × _PARA + offset in the paragraph's text


class _Docx:
    """An opened .docx: its main part parsed once, edited in place, read back with the docx reader's own code."""

    def __init__(self, path: Path):
        from lxml import etree

        from .readers import docx as reader
        self.reader = reader
        self.path = path
        with reader._open_zip(path) as z:
            self.main = reader._rels(z, "").get("officeDocument")
            if self.main is None or self.main not in z.NameToInfo:
                self.main = "word/document.xml"
            data = reader._read_part(z, self.main)
            if data is None:
                raise InputError("不是有效的 Word 文档（.docx）文件：压缩包中没有正文部分 word/document.xml")
            self.root = reader._parse(data, self.main)
            self.ns = etree.QName(self.root).namespace
            related = reader._rels(z, self.main)
            self.styles = self.numbering = None
            if "styles" in related:
                sdata = reader._read_part(z, related["styles"])
                self.styles = reader._parse(sdata, related["styles"]) if sdata else None
            if "numbering" in related:
                ndata = reader._read_part(z, related["numbering"])
                self.numbering = reader._parse(ndata, related["numbering"]) if ndata else None
        self.changed = False

    def read(self):
        """Walk the (possibly edited) body as the docx reader does: (Document, {paragraph number: (w:p, text)})."""
        reader = self.reader

        class Locator(reader._Reader):
            def __init__(self, w, path):
                super().__init__(w, path)
                self.paragraphs: dict[int, tuple] = {}

            def _paragraph(self, p, out):
                text, no = super()._paragraph(p, out)
                self.paragraphs[no] = (p, text)
                return text, no

        loc = Locator(self.ns, str(self.path))
        if self.styles is not None:
            loc.load_styles(self.styles)
        if self.numbering is not None:
            loc.load_numbering(self.numbering)
        body = self.root.find(loc.q("body"))
        if body is not None:
            loc.walk_body(body)
        doc = loc.doc
        if not any(b.text.strip() for b in doc.blocks):
            raise InputError("该 Word 文档中没有文字内容（可能只有图片或扫描件），无法检查")
        reader._clear_uninformative_bold(doc)
        return doc, loc

    def save(self, target: Path) -> None:
        """Write the package with the edited main part; every other member is copied unchanged."""
        from lxml import etree
        info = self.root.getroottree().docinfo
        xml = etree.tostring(self.root, xml_declaration=True, encoding=info.encoding or "UTF-8",
                             standalone=info.standalone)
        buffer = io.BytesIO()  # a report is small: build the package in memory, then one atomic write
        with zipfile.ZipFile(self.path) as zin, zipfile.ZipFile(buffer, "w") as zout:
            zout.comment = zin.comment
            for item in zin.infolist():
                data = xml if item.filename == self.main else zin.read(item)
                zout.writestr(item, data, compress_type=item.compress_type)
        write_atomically(target, buffer.getvalue())


class _Paragraph:
    """A paragraph's text traced to its sources: for each character of the reader's text after the generated
    list number, the (w:t element, offset) it comes from, or None (tab, break, symbol…)."""

    def __init__(self, docx: _Docx, loc, p, text: str):
        self.ok = False
        self.sources: list = []
        pieces: list[tuple[str, object]] = []
        self._walk(docx.reader, loc, p, pieces)
        raw_chars: list[tuple[str, object]] = []
        for piece, node in pieces:
            for i, ch in enumerate(piece):
                raw_chars.append((ch, (node, i) if node is not None else None))
        chars = _soft_breaks(docx.reader, raw_chars) if any(ch == "\n" for ch, _ in raw_chars) else raw_chars
        own = "".join(ch for ch, _ in chars)
        if not text.endswith(own):
            return
        self.prefix = len(text) - len(own)  # the list number Word generates, prepended by the reader
        self.text = text
        self.sources = [src for _, src in chars]
        self.ok = True

    @staticmethod
    def _walk(reader, loc, el, pieces) -> None:
        for child in el:
            tag = child.tag
            if tag == loc.R:
                _Paragraph._run(reader, loc, child, pieces)
            elif tag in loc.DESCEND:
                _Paragraph._walk(reader, loc, child, pieces)
            elif tag == loc.SDT:
                content = child.find(loc.SDTCONTENT)
                if content is not None:
                    _Paragraph._walk(reader, loc, content, pieces)

    @staticmethod
    def _run(reader, loc, r, pieces) -> None:
        q, VAL = loc.q, loc.VAL
        rpr = r.find(loc.RPR)
        if rpr is not None:
            van = rpr.find(q("vanish"))
            if van is not None and (van.get(VAL) or "true").lower() not in reader._FALSE:
                return
        for child in r:
            tag = child.tag
            if tag == loc.T:
                if child.text:
                    pieces.append((child.text, child))
            elif not isinstance(tag, str):
                continue
            else:
                local = tag[tag.rfind("}") + 1:]
                if local in ("tab", "ptab"):
                    pieces.append(("\t", None))
                elif local in ("br", "cr"):
                    pieces.append(("\n", None))
                elif local == "noBreakHyphen":
                    pieces.append(("-", None))
                elif local == "sym":
                    code = child.get(q("char")) or ""
                    try:
                        cp = int(code, 16)
                    except ValueError:
                        continue
                    if 0xF000 <= cp <= 0xF0FF:
                        cp -= 0xF000
                    if cp >= 0x20:
                        pieces.append((chr(cp), None))
                elif local == "ruby":
                    base = child.find(q("rubyBase"))
                    if base is not None:
                        _Paragraph._walk(reader, loc, base, pieces)

    def span(self, start: int, end: int) -> tuple[int, int] | None:
        """Offsets in the reader's text → offsets in ``sources``; None when they touch text that is not editable."""
        start, end = start - self.prefix, end - self.prefix
        if start < 0 or end < start or end > len(self.sources):
            return None
        if start == end:  # an insertion needs a w:t beside it
            if not ((start > 0 and self.sources[start - 1] is not None)
                    or (start < len(self.sources) and self.sources[start] is not None)):
                return None
        elif any(s is None for s in self.sources[start:end]):
            return None
        return start, end

    def apply(self, changes: list[tuple[int, int, str]]) -> None:
        """Apply edits (offsets into ``sources``), last first, so earlier offsets stay valid."""
        for start, end, content in sorted(changes, reverse=True):
            if start == end:
                if start > 0 and self.sources[start - 1] is not None:
                    node, off = self.sources[start - 1]
                    off += 1
                else:
                    node, off = self.sources[start]
                _set_text(node, node.text[:off] + content + node.text[off:])
                continue
            by_node: dict = {}
            order = []
            for node, off in self.sources[start:end]:
                if node not in by_node:
                    by_node[node] = [off, off]
                    order.append(node)
                by_node[node][1] = off
            for i, node in enumerate(order):
                first, last = by_node[node]
                _set_text(node, node.text[:first] + (content if i == 0 else "") + node.text[last + 1:])


def _set_text(node, text: str) -> None:
    node.text = text
    if text != text.strip() and node.get(_XML_SPACE) != "preserve":
        node.set(_XML_SPACE, "preserve")


def _soft_breaks(reader, chars: list[tuple[str, object]]) -> list[tuple[str, object]]:
    """The docx reader's soft-break rule (nothing between CJK characters, a space otherwise), on traced characters."""
    out: list[tuple[str, object]] = []
    for i, (ch, src) in enumerate(chars):
        if ch != "\n":
            out.append((ch, src))
            continue
        prev = out[-1][0] if out else ""
        nxt = next((c for c, _ in chars[i + 1:] if c != "\n"), "")
        if prev and nxt and not (reader._is_cjk(prev) or reader._is_cjk(nxt)) and not prev.isspace() \
                and not nxt.isspace():
            out.append((" ", None))
    return out


def _docx_placer(docx: _Docx, doc, loc):
    cells = {b.line: b for b in doc.blocks if b.cell is not None}
    traced: dict[int, _Paragraph] = {}

    def paragraph(no: int) -> _Paragraph | None:
        if no not in traced:
            entry = loc.paragraphs.get(no)
            traced[no] = _Paragraph(docx, loc, *entry) if entry else None
        para = traced[no]
        return para if para is not None and para.ok else None

    def place(edit: Edit) -> Change | None:
        loc = edit.location
        if loc.end_line not in (None, loc.line) or any(c in edit.content for c in "\t\n\r\v\f"):
            return None
        para = paragraph(loc.line)
        if para is None:
            return None
        start = loc.column - 1
        end = (loc.end_column if loc.end_column is not None else loc.column) - 1
        if loc.line in cells:  # a table cell's text: its paragraphs stripped and joined; edits in the first only
            first = para.text
            lead = len(first) - len(first.lstrip())
            if end > len(first.strip()):
                return None
            start, end = start + lead, end + lead
        span = para.span(start, end)
        if span is None:
            return None
        return Change(loc.line * _PARA + span[0], loc.line * _PARA + span[1], edit.content, (loc.line, span))

    return place, paragraph


def _fix_docx_file(engine, path: Path, options, unsafe: bool, diff_only: bool) -> FileResult:
    result = engine.check_path(path, options)
    if result.error is not None or not any(wanted(d, unsafe) for d in result.diagnostics):
        return result
    try:
        docx = _Docx(path)
        doc, loc = docx.read()
        before = _paragraph_lines(loc)
        diagnostics, fixed = result.diagnostics, 0
        for _ in range(MAX_ROUNDS):
            place, paragraph = _docx_placer(docx, doc, loc)
            chosen = choose(diagnostics, unsafe, place)
            if not chosen:
                break
            per_paragraph: dict[int, list] = {}
            for _, changes in chosen:
                for c in changes:
                    no, (start, end) = c.where
                    per_paragraph.setdefault(no, []).append((start, end, c.content))
            for no, changes in per_paragraph.items():
                paragraph(no).apply(changes)
            fixed += len(chosen)
            doc, loc = docx.read()
            _, diagnostics = engine.check_document(doc, options)
        after = _paragraph_lines(loc)
    except InputError as exc:
        result.error = str(exc)
        return result
    if after == before:
        return result
    result.diagnostics, result.fixed = diagnostics, fixed
    if diff_only:
        result.diff = unified_diff(path, before, after)
        return result
    try:
        docx.save(path)
    except OSError as exc:
        result.error = f"无法写入文件：{exc.strerror or exc}"
        result.fixed = 0
    return result


def _paragraph_lines(loc) -> list[str]:
    """One line per paragraph (table-cell paragraphs included), for --diff."""
    return [loc.paragraphs[no][1] for no in sorted(loc.paragraphs)]
