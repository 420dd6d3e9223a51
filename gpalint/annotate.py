"""--annotate OUTDIR: a copy of each Word report with one native Word comment per finding.

Each comment (author ``gpalint``, initials ``GL``) says the code and message, the fix when there is one and the
hint (links dropped), and is anchored on the exact faulty characters: the reader's walk (readers/docx/body.py)
names the ``w:t`` and offset of every character of a finding's span, and the runs at the span's ends are split
there, each part keeping the run's properties, so ``w:commentRangeStart``/``w:commentRangeEnd`` sit exactly around
the span. A table cell's finding is anchored on the whole cell; a finding with no span in one paragraph (a missing
section, a span over several paragraphs) on its paragraph. Characters Word draws (a list number) have no run: the
range covers the typed characters of the span.

The parts are written by hand, not through python-docx: its ``add_comment`` anchors only on whole runs (it cannot
split a run at a character) and saving through it re-serialises every part it loaded. Here only the main part, the
comments part, the main part's relationships and ``[Content_Types].xml`` are written (the last three only when
they change); every other member is copied as stored (``fix.word.write_package``). A file with comments keeps
them: ours are appended with fresh ids, and those an earlier run wrote (an annotated copy annotated again) are
replaced by this run's.

Output names: ``OUTDIR/<the input's file name>``; when two inputs of one run have the same name, the later ones (in
command-line order) get ``（2）``, ``（3）`` … before the suffix, as Windows does, and a name that would be the input
itself is never used. A copy left by an earlier run is replaced. The original is only read.
"""
from __future__ import annotations

import copy
import os
import posixpath
import re
from collections.abc import Iterable
from pathlib import Path

from lxml import etree

from .atomic import replace_atomically
from .fix.word import set_text, write_package
from .model import Diagnostic, FileResult, InputError, NotAReport
from .oserrors import describe
from .readers.docx import W_STRICT, WordBody, WordFile, load, walk
from .readers.docx.body import Paragraph
from .readers.docx.comments import comments_part
from .readers.docx.package import PARSER

AUTHOR, INITIALS = "gpalint", "GL"
DOCTYPE_REFUSED = "该 Word 文档的正文含 DOCTYPE 或实体声明（Word 不会这样保存），为免损坏文件，未生成批注副本"
_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml"
_RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_TYPES_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
_REL_TYPE = {False: "http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments",
             True: "http://purl.oclc.org/ooxml/officeDocument/relationships/comments"}
_LINK = re.compile(r"\s*(?:https?://|www\.)\S+")


def targets(outdir: Path, files: Iterable[Path]) -> dict[Path, Path]:
    """Where the annotated copy of each .docx of ``files`` goes (see the module docstring)."""
    taken: set[str] = set()
    out: dict[Path, Path] = {}
    for f in files:
        if f.suffix.lower() != ".docx":
            continue
        name, n = f.name, 1
        while name.casefold() in taken or _same_file(outdir / name, f):
            n += 1
            name = f"{f.stem}（{n}）{f.suffix}"
        taken.add(name.casefold())
        out[f] = outdir / name
    return out


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def comment_text(d: Diagnostic) -> list[str]:
    """The paragraphs of a finding's comment: code and message, the fix, the hint without links."""
    lines = [f"{d.code} {d.message}"]
    if d.fix is not None and d.fix.message:
        lines.append(f"修复：{d.fix.message}")
    if d.hint:
        hint = _LINK.sub("", d.hint).strip()
        if hint:
            lines.append(f"提示：{hint}")
    return lines


def annotate_file(engine, path: Path, options, target: Path) -> FileResult:
    """Check the .docx ``path`` and write its annotated copy to ``target``."""
    result = FileResult(str(path))
    try:
        data = path.read_bytes()
    except OSError:
        return engine.check_path(path, options)  # exactly what `check` says about a file it cannot read
    try:
        word = load(data, str(path))
        body = walk(word)
        result.diagnostics = engine.check_document(body.doc, options)[1]
    except InputError as exc:
        result.error, result.skipped = str(exc), isinstance(exc, NotAReport)
        return result
    if word.has_dtd:
        result.error = DOCTYPE_REFUSED
        return result
    try:
        replaced = Annotator(word, body).annotate(result.diagnostics)
    except InputError as exc:
        result.error = str(exc)
        return result
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        replace_atomically(target, lambda out: write_package(out, word.package.zip, data, replaced))
    except OSError as exc:
        result.error = f"无法写入批注副本 {target}：{describe(exc)}"
        return result
    result.annotated = str(target)
    return result


class Annotator:
    """Adds the comments of one walk's findings to the parsed main part, and builds the parts that change."""

    def __init__(self, word: WordFile, body: WordBody):
        self.word, self.body, self.n = word, body, word.names
        self.cells = {b.line: b.cell for b in body.doc.blocks if b.cell is not None}
        self.ours: set[etree._Element] = set()  # markers inserted so far (markers at one place keep their order)

    def annotate(self, diagnostics: list[Diagnostic]) -> dict[str, bytes]:
        """Comment every finding; the new content of the members that change (main part, comments part, …)."""
        n, word = self.n, self.word
        part = comments_part(word.package, word.main)
        data = word.package.part(part) if part else None
        comments = etree.fromstring(data, PARSER) if data else etree.Element(n.q("comments"), nsmap={"w": n.w})
        stale = self._drop_earlier(comments)
        used = [int(x) for el in (*comments.iter(n.q("comment")), *word.root.iter(n.q("commentRangeStart")),
                                  *word.root.iter(n.q("commentReference")))
                if (x := el.get(n.q("id")) or "").lstrip("-").isdigit()]
        fresh = max(used, default=-1) + 1
        spans: list[tuple[Paragraph, int, int, str]] = []
        wholes: list[tuple[etree._Element, str]] = []
        for i, d in enumerate(diagnostics):
            cid = str(fresh + i)
            comments.append(self._comment(cid, comment_text(d)))
            anchor = self._anchor(d)
            if isinstance(anchor, tuple):
                spans.append((*anchor, cid))
            else:
                wholes.append((anchor, cid))
        self._mark_spans(spans)
        for element, cid in wholes:
            self._mark_whole(element, cid)
        if not diagnostics and not stale:
            return {}  # the copy is the file as it is
        out = {word.main: word.xml()}
        out[part or self._new_part(out)] = etree.tostring(comments, xml_declaration=True, encoding="UTF-8",
                                                          standalone=True)
        return out

    def _drop_earlier(self, comments: etree._Element) -> set[str]:
        """Remove the comments an earlier ``--annotate`` wrote (author and initials ours) with their ranges and
        reference marks, so that annotating an annotated copy gives one comment per finding of this run, not two
        sets. Every other comment — a reviewer's, an ``ignore`` one — is kept. The ids removed."""
        n = self.n
        stale = {c.get(n.q("id")) or "" for c in comments.iter(n.q("comment"))
                 if c.get(n.q("author")) == AUTHOR and c.get(n.q("initials")) == INITIALS}
        if not stale:
            return stale
        for c in [c for c in comments.iter(n.q("comment")) if c.get(n.q("id")) in stale]:
            comments.remove(c)
        root = self.word.root
        for el in [el for el in root.iter(n.q("commentRangeStart"), n.q("commentRangeEnd"))
                   if el.get(n.q("id")) in stale]:
            _remove(el)
        for ref in [el for el in root.iter(n.q("commentReference")) if el.get(n.q("id")) in stale]:
            run = ref.getparent()
            only_mark = run is not None and run.tag == n.R and all(ch is ref or ch.tag == n.q("rPr") for ch in run)
            _remove(run if only_mark else ref)
        return stale

    # ── where a comment goes ─────────────────────────────────────────────────────────────────────────────────────

    def _anchor(self, d: Diagnostic) -> tuple[Paragraph, int, int] | etree._Element:
        """The typed characters of a finding's span (paragraph, first, end), or the element (a cell's ``w:tc``, a
        ``w:p``) it is anchored on as a whole."""
        loc, body = d.location, self.body
        cell = self.cells.get(loc.line)
        if cell is not None:
            return body.cells[cell]
        if loc.end_line in (None, loc.line):
            start = loc.column - 1
            end = max(start, (loc.end_column if loc.end_column is not None else loc.column) - 1)
            found = body.locate(loc.line, start, end)
            if found is not None:
                para, s, e = found
                if s == e:  # a point: the character there (or before it, at the end)
                    s, e = (s, s + 1) if s < len(para.text) else (max(0, s - 1), s)
                typed = [i for i in range(s, e) if para.sources.nodes[i] is not None]
                if typed:
                    return para, typed[0], typed[-1] + 1
        whole = body.paragraphs.get(loc.line)
        if whole is None:  # no paragraph there (a note about the whole document): the first paragraph with text
            whole = body.paragraphs[min(b.line for b in body.doc.blocks)]
        return whole.element

    def _mark_spans(self, spans: list[tuple[Paragraph, int, int, str]]) -> None:
        """Insert the range markers of character spans, splitting runs where a span starts or ends inside one.
        Boundaries are handled from the last in the document to the first: a split then only ever shortens a run
        whose later boundaries are done, so every element a later step needs is still where the walk saw it."""
        cuts: list[tuple[int, int, int, Paragraph, str]] = []  # (paragraph, position, 1 start / 0 end, …)
        for para, s, e, cid in spans:
            cuts.append((para.number, s, 1, para, cid))
            cuts.append((para.number, e, 0, para, cid))
        for _, pos, is_start, para, cid in sorted(cuts, key=lambda c: c[:3], reverse=True):
            i = pos if is_start else pos - 1
            node, code = para.sources[i]
            assert node is not None
            size = len(node.text or "") if node.tag == self.n.T else 1
            at = (code if code >= 0 else 0) if is_start else (code + 1 if code >= 0 else size)
            markers = [self._marker("commentRangeStart", cid)] if is_start else self._end(cid)
            self._place(self._cut(node, at), markers)

    def _mark_whole(self, element: etree._Element, cid: str) -> None:
        """Markers around all of a ``w:p`` or a cell's paragraphs."""
        paragraphs = [element] if element.tag == self.n.P else list(element.iter(self.n.P))
        first, last = paragraphs[0], paragraphs[-1]
        ppr = first.find(self.n.PPR)
        start = self._marker("commentRangeStart", cid)
        if ppr is not None:
            ppr.addnext(start)
        else:
            first.insert(0, start)
        last.extend(self._end(cid))

    def _cut(self, child: etree._Element, at: int) -> tuple[str, etree._Element]:
        """Split the run holding ``child`` before its character ``at`` (a ``w:t``; for another element 0 is before
        it, 1 after it); the new run after it gets the run's properties. Returns where the boundary now is:
        ("after", run) or ("before", run) when it is at the start of the run."""
        n = self.n
        run = child.getparent()
        assert run is not None
        kids = [c for c in run if c.tag != n.RPR]
        i = kids.index(child)
        size = len(child.text or "") if child.tag == n.T else 1
        if 0 < at < size:  # inside a w:t: its text is cut in two
            text = child.text or ""
            right = etree.Element(n.T)
            set_text(right, text[at:])
            set_text(child, text[:at])
            before, moved = kids[:i + 1], [right, *kids[i + 1:]]
        elif at <= 0:
            before, moved = kids[:i], kids[i:]
        else:
            before, moved = kids[:i + 1], kids[i + 1:]
        if not before:
            return "before", run
        if moved:
            new = etree.Element(run.tag, attrib=dict(run.attrib))
            rpr = run.find(n.RPR)
            if rpr is not None:
                new.append(copy.deepcopy(rpr))
            new.extend(moved)
            run.addnext(new)
        return "after", run

    def _place(self, where: tuple[str, etree._Element], markers: list[etree._Element]) -> None:
        side, run = where
        if side == "after":
            for m in reversed(markers):
                run.addnext(m)
        else:
            anchor = run
            while (prev := anchor.getprevious()) is not None and prev in self.ours:
                anchor = prev
            for m in markers:
                anchor.addprevious(m)
        self.ours.update(markers)

    # ── the XML ──────────────────────────────────────────────────────────────────────────────────────────────────

    def _marker(self, tag: str, cid: str) -> etree._Element:
        return etree.Element(self.n.q(tag), {self.n.q("id"): cid})

    def _end(self, cid: str) -> list[etree._Element]:
        """The range end and the run holding the comment's reference mark."""
        ref = etree.Element(self.n.R)
        ref.append(self._marker("commentReference", cid))
        return [self._marker("commentRangeEnd", cid), ref]

    def _comment(self, cid: str, lines: list[str]) -> etree._Element:
        n = self.n
        comment = etree.Element(n.q("comment"), {n.q("id"): cid, n.q("author"): AUTHOR, n.q("initials"): INITIALS})
        for line in lines:
            p = etree.SubElement(comment, n.P)
            t = etree.SubElement(etree.SubElement(p, n.R), n.T)
            set_text(t, line)
        return comment

    def _new_part(self, out: dict[str, bytes]) -> str:
        """Name a new comments part and relate it to the main part (relationships, content type) in ``out``."""
        word = self.word
        folder, base = posixpath.split(word.main)
        name = posixpath.join(folder, "comments.xml")
        k = 1
        while word.package.has(name):
            k += 1
            name = posixpath.join(folder, f"comments{k}.xml")
        rels_name = posixpath.join(folder, "_rels", base + ".rels")
        rels = _xml(word, rels_name)
        if rels is None:
            rels = etree.Element(f"{{{_RELS_NS}}}Relationships", nsmap={None: _RELS_NS})
        ids = {r.get("Id") for r in rels}
        rid = next(f"rId{i}" for i in range(1, len(ids) + 2) if f"rId{i}" not in ids)
        etree.SubElement(rels, f"{{{_RELS_NS}}}Relationship", Id=rid, Type=_REL_TYPE[self.n.w == W_STRICT],
                         Target=posixpath.relpath(name, folder))
        out[rels_name] = etree.tostring(rels, xml_declaration=True, encoding="UTF-8", standalone=True)
        types = _xml(word, "[Content_Types].xml")
        if types is None:
            raise InputError("Word 文档缺少 [Content_Types].xml，无法添加批注")
        etree.SubElement(types, f"{{{_TYPES_NS}}}Override", PartName="/" + name, ContentType=_CONTENT_TYPE)
        out["[Content_Types].xml"] = etree.tostring(types, xml_declaration=True, encoding="UTF-8", standalone=True)
        return name


def _remove(element: etree._Element) -> None:
    """Take ``element`` out of its parent, keeping the text that follows it (its tail)."""
    parent = element.getparent()
    if parent is None:
        return
    if element.tail:
        prev = element.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + element.tail
        else:
            parent.text = (parent.text or "") + element.tail
    parent.remove(element)


def _xml(word: WordFile, name: str) -> etree._Element | None:
    data = word.package.part(name)
    if not data:
        return None
    try:
        return etree.fromstring(data, PARSER)
    except etree.XMLSyntaxError:
        raise InputError(f"Word 文档的 {name} 不是合法的 XML，无法添加批注") from None


