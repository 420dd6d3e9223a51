"""Word (.docx) reports: paragraphs and real tables in body order, one Block per paragraph or table cell.

The package is read straight from the zip with lxml (document, styles and numbering parts only): that is several
times faster than python-docx's object model and does not load images. The body XML is walked once, in order.

Locations. ``Block.line`` is the paragraph number in document order: the 1-based index of the paragraph among the
``w:p`` elements of the body in document order, table-cell paragraphs (nested tables too) and empty paragraphs
included, paragraphs inside text boxes (``w:txbxContent``), headers, footers, footnotes and comments excluded.
``Block.column`` is 1: offsets in ``text`` count characters of the paragraph's visible text.

What becomes text
  * runs (``w:t``), tabs as "\\t", soft line breaks (``w:br``/``w:cr``) as nothing between CJK characters, two
    spaces in a line that has tabs, one space otherwise (see ``_soft_breaks``), symbols (``w:sym``), no-break
    hyphens;
  * tracked changes as if all were accepted: inserted (``w:ins``, ``w:moveTo``) text kept, deleted (``w:del``,
    ``w:moveFrom``, ``w:delText``) text and deleted table rows dropped;
  * hidden text (``w:vanish``), field instructions, drawings, text boxes, math are not report body: dropped;
  * automatic numbering: Word draws the list number ("一、", "（一）", "1.") which is not in the paragraph's
    text; it is computed from the numbering part and *prepended* to ``Block.text``. We keep ``column = 1``, so
    for a numbered paragraph the columns of the real text are shifted right by the length of the generated
    prefix (a diagnostic inside the number itself has no source text to point at). A fixer editing such a
    paragraph must subtract the prefix: ``read_with_numbering(path)`` returns, beside the Document, the generated
    prefix of every numbered paragraph by paragraph number.

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

import posixpath
import re
import zipfile
from pathlib import Path

from lxml import etree

from ..document import Block, Cell, Document
from ..model import InputError, Location

W_TRANSITIONAL = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W_STRICT = "http://purl.oclc.org/ooxml/wordprocessingml/main"

MAX_PART_BYTES = 256 * 1024 * 1024  # an uncompressed part larger than this is a zip bomb, not a report
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, collect_ids=False, huge_tree=True)

_STYLE_HEADING = re.compile(r"^(?:heading|标题)\s*([1-9])$", re.I)
_STYLE_CN_HEADING = re.compile(r"^([一二三四五六七八九])级标题$")
_STYLE_TOC = re.compile(r"^(?:toc|目录)\s*[1-9]$", re.I)
_TRUE = {"1", "true", "on"}
_FALSE = {"0", "false", "off", "none"}


def _is_cjk(ch: str) -> bool:
    return ch >= "\u2e80"


def _heading_font(name: str | None) -> bool:
    if not name:
        return False
    low = name.lower()
    return "黑体" in name or "楷体" in name or "hei" in low or "kai" in low


# ---------------------------------------------------------------- numbering formats
_CN_DIGITS = "零一二三四五六七八九"
_CN_LEGAL = "零壹贰叁肆伍陆柒捌玖"
_STEMS = "甲乙丙丁戊己庚辛壬癸"
_BRANCHES = "子丑寅卯辰巳午未申酉戌亥"


def _chinese(n: int, digits: str = _CN_DIGITS, units: str = "十百千") -> str:
    if n <= 0 or n >= 10000:
        return str(n)
    out = []
    s = str(n)
    width = len(s)
    zero = False
    for i, d in enumerate(s):
        pos = width - 1 - i
        v = int(d)
        if v == 0:
            zero = True
            continue
        if zero and out:
            out.append(digits[0])
        zero = False
        out.append(digits[v])
        if pos:
            out.append(units[pos - 1])
    text = "".join(out)
    if 10 <= n < 20 and digits is _CN_DIGITS:
        text = text[1:]  # 十一, not 一十一
    return text


def _letters(n: int, upper: bool) -> str:
    if n <= 0:
        return str(n)
    ch = chr((ord("A") if upper else ord("a")) + (n - 1) % 26)
    return ch * ((n - 1) // 26 + 1)


def _roman(n: int) -> str:
    if n <= 0 or n >= 4000:
        return str(n)
    vals = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL"),
            (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))
    out = []
    for v, s in vals:
        while n >= v:
            out.append(s)
            n -= v
    return "".join(out)


def format_number(n: int, fmt: str) -> str:
    """The text Word shows for counter value ``n`` in number format ``fmt`` (ST_NumberFormat)."""
    if fmt in ("chineseCounting", "chineseCountingThousand", "japaneseCounting", "taiwaneseCounting",
               "taiwaneseCountingThousand", "koreanCounting"):
        return _chinese(n)
    if fmt in ("chineseLegalSimplified", "ideographLegalTraditional", "japaneseLegal"):
        return _chinese(n, _CN_LEGAL, "拾佰仟")
    if fmt in ("ideographDigital", "japaneseDigitalTenThousand", "taiwaneseDigital", "koreanDigital"):
        return "".join("〇一二三四五六七八九"[int(d)] for d in str(n))
    if fmt == "ideographTraditional":  # ECMA-376: the ten Heavenly Stems 甲乙丙丁…
        return _STEMS[(n - 1) % 10] if n > 0 else str(n)
    if fmt == "ideographZodiac":  # the twelve Earthly Branches 子丑寅卯…
        return _BRANCHES[(n - 1) % 12] if n > 0 else str(n)
    if fmt == "decimalEnclosedCircle" or fmt == "decimalEnclosedCircleChinese" or fmt == "ideographEnclosedCircle":
        return chr(0x2460 + n - 1) if 1 <= n <= 20 else str(n)
    if fmt == "decimalEnclosedParen":
        return chr(0x2474 + n - 1) if 1 <= n <= 20 else f"({n})"
    if fmt == "decimalEnclosedFullstop":
        return chr(0x2488 + n - 1) if 1 <= n <= 20 else f"{n}."
    if fmt in ("decimalFullWidth", "decimalFullWidth2"):
        return "".join(chr(0xFF10 + int(d)) for d in str(n))
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt == "upperLetter":
        return _letters(n, True)
    if fmt == "lowerLetter":
        return _letters(n, False)
    if fmt == "upperRoman":
        return _roman(n)
    if fmt == "lowerRoman":
        return _roman(n).lower()
    if fmt in ("none", "bullet"):
        return ""
    return str(n)


# ---------------------------------------------------------------- package access
def _open_zip(path: Path) -> zipfile.ZipFile:
    try:
        with path.open("rb") as fh:
            head = fh.read(8)
    except OSError as exc:
        raise InputError(f"无法读取文件：{exc.strerror or exc}") from None
    if head.startswith(OLE_MAGIC[:4]):
        try:
            data = path.read_bytes()
        except OSError:
            data = b""
        if "EncryptedPackage".encode("utf-16-le") in data or "EncryptionInfo".encode("utf-16-le") in data:
            raise InputError("该 Word 文档已加密（设置了打开密码），无法读取：请取消密码后另存为 .docx 再检查")
        raise InputError("这是旧版 Word 97-2003（.doc）文件或已加密的文档，不是 .docx：请在 Word 中另存为 .docx 后再检查")
    if head.startswith(b"{\\rtf"):
        raise InputError("这是 RTF 文件，不是有效的 Word 文档（.docx）：请在 Word 中另存为 .docx 后再检查")
    if head.startswith(b"%PDF"):
        raise InputError("这是 PDF 文件，扩展名却是 .docx：请把扩展名改为 .pdf 再检查")
    if not head.startswith(b"PK"):
        raise InputError("不是有效的 Word 文档（.docx）文件：文件内容不是 docx 所用的 zip 压缩包")
    try:
        return zipfile.ZipFile(path)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise InputError("不是有效的 Word 文档（.docx）文件：zip 压缩包已损坏或不完整") from None


def _read_part(z: zipfile.ZipFile, name: str) -> bytes | None:
    try:
        info = z.getinfo(name)
    except KeyError:
        return None
    if info.file_size > MAX_PART_BYTES:
        raise InputError("Word 文档内容异常庞大（解压后超过 256 MB），不像是一份年度报告，已拒绝读取")
    if info.flag_bits & 0x1:
        raise InputError("该 Word 文档的压缩包已加密，无法读取：请取消密码后另存为 .docx 再检查")
    try:
        return z.read(info)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError, RuntimeError):
        raise InputError(f"不是有效的 Word 文档（.docx）文件：压缩包中的 {name} 已损坏") from None


def _parse(data: bytes, name: str):
    try:
        return etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError:
        raise InputError(f"不是有效的 Word 文档（.docx）文件：{name} 不是合法的 XML") from None


def _styles_root(data: bytes, name: str):
    """Parse the styles part, skipping the table styles and latent-style lists that make up most of its bytes
    (Word's default template: 350 KB, of which the paragraph and character styles are a tenth). The cut is made
    with plain byte searches and needs the usual "w:" prefix; anything unexpected falls back to a full parse."""
    try:
        i = data.find(b"<w:styles")
        e = data.find(b">", i)
        if i < 0 or e < 0 or W_TRANSITIONAL.encode() not in data[i:e] or data[e - 1:e] == b"/":
            return _parse(data, name)
        parts = [data[i:e + 1]]
        a = data.find(b"<w:docDefaults", e)
        if a >= 0:
            b = data.find(b"</w:docDefaults>", a)
            if b >= 0:
                parts.append(data[a:b + 16])
        pos = e
        found = 0
        while True:
            i = data.find(b"<w:style ", pos)
            if i < 0:
                break
            found += 1
            he = data.find(b">", i)
            if he < 0:
                break
            if data[he - 1:he] == b"/":
                pos = he + 1
                continue
            j = data.find(b"</w:style>", he)
            if j < 0:
                break
            pos = j + 10
            if b'w:type="table"' not in data[i:he]:
                parts.append(data[i:pos])
        if found != data.count(b"<w:style") - data.count(b"<w:styles"):  # unusual spacing: play safe
            return _parse(data, name)
        parts.append(b"</w:styles>")
        return etree.fromstring(b"".join(parts), _PARSER)
    except etree.XMLSyntaxError:
        return _parse(data, name)


def _rels(z: zipfile.ZipFile, part: str) -> dict[str, str]:
    """Relationship type suffix ("officeDocument", "styles", …) → target part name, for ``part``."""
    folder, base = posixpath.split(part)
    data = _read_part(z, posixpath.join(folder, "_rels", base + ".rels"))
    out: dict[str, str] = {}
    if not data:
        return out
    try:
        root = etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError:
        return out
    for rel in root:
        if not isinstance(rel.tag, str) or rel.get("TargetMode") == "External":
            continue
        kind = (rel.get("Type") or "").rsplit("/", 1)[-1]
        target = rel.get("Target") or ""
        if not target or kind in out:
            continue
        target = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
        out[kind] = target
    return out


# ---------------------------------------------------------------- styles and numbering
class _Style:
    __slots__ = ("based_on", "bold", "font", "ilvl", "kind", "name", "num_id", "outline")

    def __init__(self):
        self.name = ""
        self.based_on = None
        self.outline = None  # int level 1.. or 0 for "body text" (explicit outlineLvl 9)
        self.num_id = None
        self.ilvl = None
        self.bold = None
        self.font = None
        self.kind = "paragraph"


class _Reader:
    def __init__(self, w: str, path: str):
        self.w = w
        q = lambda tag: f"{{{w}}}{tag}"
        self.q = q
        self.VAL = q("val")
        self.P, self.TBL, self.TR, self.TC = q("p"), q("tbl"), q("tr"), q("tc")
        self.R, self.T, self.PPR, self.RPR = q("r"), q("t"), q("pPr"), q("rPr")
        self.SDT, self.SDTCONTENT, self.CUSTOMXML = q("sdt"), q("sdtContent"), q("customXml")
        self.ALTCHUNK = q("altChunk")
        self.PSTYLE, self.NUMPR, self.NUMID, self.ILVL, self.OUTLINELVL = (
            q("pStyle"), q("numPr"), q("numId"), q("ilvl"), q("outlineLvl"))
        self.B, self.RFONTS, self.EASTASIA, self.VANISH, self.RSTYLE = (
            q("b"), q("rFonts"), q("eastAsia"), q("vanish"), q("rStyle"))
        self.CHAR, self.RUBYBASE, self.DEL, self.GRIDBEFORE = q("char"), q("rubyBase"), q("del"), q("gridBefore")
        self.GRIDSPAN, self.VMERGE, self.HMERGE, self.TCPR, self.TRPR = (
            q("gridSpan"), q("vMerge"), q("hMerge"), q("tcPr"), q("trPr"))
        self.doc = Document(path=path, format="docx")
        self.para_no = 0
        self.table_no = 0
        self.prefixes: dict[int, str] = {}  # paragraph number -> generated list number prepended to its text
        self.styles: dict[str, _Style] = {}
        self.default_pstyle: str | None = None
        self.default_bold = False
        self.default_font: str | None = None
        self._resolved: dict[str, tuple] = {}
        # numbering
        self.nums: dict[str, tuple[str, dict[int, int]]] = {}  # numId -> (abstractNumId, startOverrides)
        self.num_lvl_override: dict[str, dict[int, tuple]] = {}
        self.abstract: dict[str, dict[int, tuple]] = {}  # abstractNumId -> ilvl -> (start, numFmt, lvlText, isLgl)
        self.abstract_style_link: dict[str, str] = {}
        self.counters: dict[str, dict[int, int]] = {}  # abstractNumId -> level -> current value
        self.seen: set[tuple[str, int]] = set()  # (numId, level) pairs already used
        # inline dispatch
        self.DESCEND = {q(t) for t in ("ins", "moveTo", "hyperlink", "smartTag", "customXml", "fldSimple", "dir",
                                       "bdo")}

    # ---- styles
    def load_styles(self, root) -> None:
        q = self.q
        VAL = self.VAL
        defaults = root.find(q("docDefaults"))
        if defaults is not None:
            rpr = defaults.find(f"{q('rPrDefault')}/{q('rPr')}")
            if rpr is not None:
                self.default_bold = bool(self._bold_of(rpr))
                fonts = rpr.find(q("rFonts"))
                if fonts is not None:
                    self.default_font = fonts.get(q("eastAsia"))
        STYLE, NAME, BASED = q("style"), q("name"), q("basedOn")
        for el in root.iter(STYLE):
            kind = el.get(q("type")) or "paragraph"
            if kind not in ("paragraph", "character", "numbering"):
                continue
            sid = el.get(q("styleId"))
            if sid is None:
                continue
            st = _Style()
            st.kind = kind
            n = el.find(NAME)
            st.name = (n.get(VAL) or "") if n is not None else ""
            b = el.find(BASED)
            st.based_on = b.get(VAL) if b is not None else None
            ppr = el.find(self.PPR)
            if ppr is not None:
                ol = ppr.find(q("outlineLvl"))
                if ol is not None:
                    st.outline = _outline(ol.get(VAL))
                numpr = ppr.find(q("numPr"))
                if numpr is not None:
                    nid = numpr.find(q("numId"))
                    lvl = numpr.find(q("ilvl"))
                    st.num_id = nid.get(VAL) if nid is not None else None
                    st.ilvl = _int(lvl.get(VAL)) if lvl is not None else None
            rpr = el.find(self.RPR)
            if rpr is not None:
                st.bold = self._bold_of(rpr)
                fonts = rpr.find(q("rFonts"))
                if fonts is not None:
                    st.font = fonts.get(q("eastAsia"))
            self.styles[sid] = st
            if kind == "paragraph" and (el.get(q("default")) or "").lower() in _TRUE:
                self.default_pstyle = sid

    def resolve(self, sid: str | None) -> tuple:
        """(heading level or None, bold or None, east-asian font or None, numId, ilvl, is_toc) of a style."""
        if sid is None:
            return (None, None, None, None, None, False)
        got = self._resolved.get(sid)
        if got is not None:
            return got
        self._resolved[sid] = (None, None, None, None, None, False)  # cycle guard
        st = self.styles.get(sid)
        if st is None:
            return self._resolved[sid]
        parent = self.resolve(st.based_on) if st.based_on and st.based_on != sid else (None,) * 5 + (False,)
        level = None
        m = _STYLE_HEADING.match(st.name.strip()) or _STYLE_HEADING.match(sid)
        if m:
            level = int(m.group(1))
        else:
            m = _STYLE_CN_HEADING.match(st.name.strip())
            if m:
                level = "一二三四五六七八九".index(m.group(1)) + 1
            elif st.outline is not None:
                level = st.outline or None
            else:
                level = parent[0]
        got = (level,
               st.bold if st.bold is not None else parent[1],
               st.font if st.font is not None else parent[2],
               st.num_id if st.num_id is not None else parent[3],
               st.ilvl if st.ilvl is not None else parent[4],
               bool(_STYLE_TOC.match(st.name.strip())))
        self._resolved[sid] = got
        return got

    def _bold_of(self, rpr) -> bool | None:
        b = rpr.find(self.q("b"))
        if b is None:
            return None
        v = b.get(self.VAL)
        return v is None or v.lower() not in _FALSE

    # ---- numbering
    def load_numbering(self, root) -> None:
        q, VAL = self.q, self.VAL
        ABS, LVL, NUM = q("abstractNum"), q("lvl"), q("num")
        for a in root.iter(ABS):
            aid = a.get(q("abstractNumId"))
            self.abstract[aid] = self._levels(a)
            link = a.find(q("numStyleLink"))
            if link is not None:
                self.abstract_style_link[aid] = link.get(VAL)
        for n in root.iter(NUM):
            nid = n.get(q("numId"))
            an = n.find(q("abstractNumId"))
            starts: dict[int, int] = {}
            overrides: dict[int, tuple] = {}
            for ov in n.iter(q("lvlOverride")):
                ilvl = _int(ov.get(q("ilvl"))) or 0
                so = ov.find(q("startOverride"))
                if so is not None:
                    starts[ilvl] = _int(so.get(VAL)) or 0
                lvl = ov.find(LVL)
                if lvl is not None:
                    overrides.update(self._levels_from([lvl]))
            self.nums[nid] = (an.get(VAL) if an is not None else None, starts)
            if overrides:
                self.num_lvl_override[nid] = overrides

    def _levels(self, a) -> dict[int, tuple]:
        return self._levels_from(a.iter(self.q("lvl")))

    def _levels_from(self, lvls) -> dict[int, tuple]:
        q, VAL = self.q, self.VAL
        out = {}
        for lvl in lvls:
            ilvl = _int(lvl.get(q("ilvl"))) or 0
            start = lvl.find(q("start"))
            fmt = lvl.find(q("numFmt"))
            text = lvl.find(q("lvlText"))
            legal = lvl.find(q("isLgl"))
            out[ilvl] = (_int(start.get(VAL)) if start is not None else 1,
                         (fmt.get(VAL) if fmt is not None else None) or "decimal",
                         text.get(VAL) if text is not None else None,
                         legal is not None and _on(legal.get(VAL)))
        return out

    def number_text(self, num_id: str, ilvl: int) -> str:
        """Advance the list counter of (numId, level) and return the number text Word shows, e.g. "（一）"."""
        entry = self.nums.get(num_id)
        if entry is None:
            return ""
        aid, starts = entry
        levels = self.abstract.get(aid)
        if not levels and aid in self.abstract_style_link:  # a list defined through a numbering style
            st = self.styles.get(self.abstract_style_link[aid])
            if st is not None and st.num_id in self.nums and st.num_id != num_id:
                aid = self.nums[st.num_id][0]
                levels = self.abstract.get(aid)
        if not levels:
            return ""
        override = self.num_lvl_override.get(num_id)
        if override:
            levels = {**levels, **override}
        # Word counts on the abstract numbering definition: every w:num of one abstractNum continues the same
        # list, and a num's startOverride restarts that shared count where the num is first used.
        counters = self.counters.setdefault(aid, {})

        def start_of(k: int) -> int:
            lv = levels.get(k)
            return lv[0] if lv and lv[0] is not None else 1

        if ilvl in starts and (num_id, ilvl) not in self.seen:
            counters[ilvl] = starts[ilvl]
        elif ilvl in counters:
            counters[ilvl] += 1
        else:
            counters[ilvl] = start_of(ilvl)
        self.seen.add((num_id, ilvl))
        for k in [k for k in counters if k > ilvl]:
            del counters[k]
        lv = levels.get(ilvl)
        if lv is None or lv[2] is None:
            return ""
        _, fmt, text, legal = lv
        if fmt in ("none", "bullet"):
            return "" if fmt == "bullet" else _LVL_REF.sub("", text)

        def sub(m: re.Match) -> str:
            k = int(m.group(1)) - 1
            value = counters.get(k, start_of(k))
            kfmt = levels[k][1] if k in levels else "decimal"
            return format_number(value, "decimal" if legal else kfmt)  # isLgl: legal numbering, all decimal

        return _LVL_REF.sub(sub, text)

    # ---- body
    def walk_body(self, body) -> None:
        out = self.doc.blocks
        for child in body:
            self._block_level(child, out)

    def _block_level(self, el, out: list) -> None:
        tag = el.tag
        if tag == self.P:
            self._paragraph(el, out)
        elif tag == self.TBL:
            self._table(el, out)
        elif tag == self.SDT:
            content = el.find(self.SDTCONTENT)
            if content is not None:
                for child in content:
                    self._block_level(child, out)
        elif tag == self.CUSTOMXML:
            for child in el:
                self._block_level(child, out)
        elif tag == self.ALTCHUNK:
            self.doc.notes.append(("文档中嵌入了外部内容（altChunk），这部分未能检查：请在 Word 中打开并另存为 .docx 后再检查",
                                   Location(max(self.para_no, 1))))

    def _paragraph(self, p, out: list | None):
        """Read one w:p; append its block to ``out`` (body paragraphs) and return (text, line)."""
        self.para_no += 1
        no = self.para_no
        VAL = self.VAL
        sid = None
        num_id = ilvl = None
        outline = None
        ppr = p.find(self.PPR)
        if ppr is not None:
            for el in ppr:
                tag = el.tag
                if tag == self.PSTYLE:
                    sid = el.get(VAL)
                elif tag == self.NUMPR:
                    num_id = ""  # numPr without numId: the style's list at this level
                    for sub in el:
                        if sub.tag == self.NUMID:
                            num_id = sub.get(VAL) or ""
                        elif sub.tag == self.ILVL:
                            ilvl = _int(sub.get(VAL))
                elif tag == self.OUTLINELVL:
                    outline = _outline(el.get(VAL))
        if sid is None:
            sid = self.default_pstyle
        level, sbold, sfont, snum, silvl, toc = self.resolve(sid)
        if outline is not None:
            level = outline or None
        if not num_id and snum:  # no numPr, or numPr without numId: the style's list
            num_id = snum
            if ilvl is None:
                ilvl = silvl
        parts: list[str] = []
        stats = [0, 0, 0]  # non-blank runs, bold runs, heading-font runs
        self._inline(p, parts, stats, sbold, sfont)
        text = "".join(parts)
        if "\n" in text:
            text = _soft_breaks(text)
        if num_id and num_id != "0":
            prefix = self.number_text(num_id, ilvl or 0)
            if prefix:
                # Generated list number: prepended, column stays 1 (see the module docstring).
                text = prefix + text
                self.prefixes[no] = prefix
        if out is not None and not toc and text.strip():
            total, nbold, nfont = stats
            bold = total > 0 and (nbold == total or nfont == total)
            out.append(Block(text, no, 1, heading=level, bold=bold))
        return text, no

    def _inline(self, el, parts: list, stats: list, sbold, sfont) -> None:
        R = self.R
        for child in el:
            tag = child.tag
            if tag == R:
                self._run(child, parts, stats, sbold, sfont)
            elif tag in self.DESCEND:
                self._inline(child, parts, stats, sbold, sfont)
            elif tag == self.SDT:
                content = child.find(self.SDTCONTENT)
                if content is not None:
                    self._inline(content, parts, stats, sbold, sfont)
            # w:del, w:moveFrom, pPr, bookmarks, proofErr, oMath, AlternateContent …: not text

    def _run(self, r, parts: list, stats: list, sbold, sfont) -> None:
        VAL = self.VAL
        bold, font = sbold, sfont
        dbold = dfont = None
        T = self.T
        pieces: list[str] = []
        for child in r:
            tag = child.tag
            if tag == T:
                if child.text:
                    pieces.append(child.text)
            elif tag == self.RPR:
                for el in child:
                    t = el.tag
                    if t == self.B:
                        v = el.get(VAL)
                        dbold = v is None or v.lower() not in _FALSE
                    elif t == self.RFONTS:
                        dfont = el.get(self.EASTASIA)
                    elif t == self.VANISH:
                        v = el.get(VAL)
                        if v is None or v.lower() not in _FALSE:
                            return  # hidden text
                    elif t == self.RSTYLE:
                        _, cbold, cfont, _, _, _ = self.resolve(el.get(VAL))
                        if cbold is not None:
                            bold = cbold
                        if cfont is not None:
                            font = cfont
            elif not isinstance(tag, str):
                continue
            else:
                local = tag[tag.rfind("}") + 1:]
                if local == "tab" or local == "ptab":
                    pieces.append("\t")
                elif local == "br" or local == "cr":
                    pieces.append("\n")
                elif local == "noBreakHyphen":
                    pieces.append("-")
                elif local == "sym":
                    code = child.get(self.CHAR) or ""
                    try:
                        cp = int(code, 16)
                    except ValueError:
                        continue
                    if 0xF000 <= cp <= 0xF0FF:
                        cp -= 0xF000  # symbol fonts address their glyphs in the private-use area
                    if cp >= 0x20:
                        pieces.append(chr(cp))
                elif local == "ruby":
                    base = child.find(self.RUBYBASE)
                    if base is not None:
                        self._inline(base, pieces, [0, 0, 0], sbold, sfont)
                # delText, instrText, fldChar, drawing, pict, object, AlternateContent, footnoteReference …: skip
        if not pieces:
            return
        parts.extend(pieces)
        if dbold is not None:
            bold = dbold
        if dfont is not None:
            font = dfont
        if any(not x.isspace() for x in pieces):
            stats[0] += 1
            if bold if bold is not None else self.default_bold:
                stats[1] += 1
            if _heading_font(font if font is not None else self.default_font):
                stats[2] += 1

    def _table(self, tbl, out: list) -> None:
        self.table_no += 1
        number = self.table_no
        VAL = self.VAL
        GRIDSPAN, VMERGE, HMERGE, TCPR, TRPR = self.GRIDSPAN, self.VMERGE, self.HMERGE, self.TCPR, self.TRPR
        P, TBL = self.P, self.TBL
        row = 0
        for tr in self._rows(tbl):
            trpr = tr.find(TRPR)
            col = 1
            if trpr is not None:
                deleted = False
                for el in trpr:
                    if el.tag == self.DEL:
                        deleted = True
                    elif el.tag == self.GRIDBEFORE:
                        col += _int(el.get(VAL)) or 0
                if deleted:  # a deleted row (tracked change): gone once accepted; its paragraphs still count
                    self.para_no += sum(1 for p in tr.iter(P) if not _in_textbox(p, tr))
                    continue
            row += 1
            for tc in self._cells(tr):
                span = 1
                skip = False
                tcpr = tc.find(TCPR)
                if tcpr is not None:
                    for el in tcpr:
                        t = el.tag
                        if t == GRIDSPAN:
                            span = max(1, _int(el.get(VAL)) or 1)
                        elif t in (VMERGE, HMERGE) and (el.get(VAL) or "continue") != "restart":
                            skip = True  # continuation of a merged cell: blank in the grid
                nested: list[Block] = []
                texts: list[str] = []
                line = None
                first = None
                for child in self._cell_content(tc):
                    if child.tag == P:
                        text, no = self._paragraph(child, None)
                        if first is None:
                            first = no
                        if text and not text.isspace():
                            texts.append(text.strip())
                            if line is None:
                                line = no
                    elif child.tag == TBL:
                        self._table(child, nested)
                if not skip:  # an empty cell too: in a table of numbers it is a value left blank, at a known place
                    out.append(Block(" ".join(texts), line or first or self.para_no, 1,
                                     cell=Cell(number, row, col)))
                if nested:
                    out.extend(nested)
                col += span

    def _rows(self, tbl):
        for child in tbl:
            if child.tag == self.TR:
                yield child
            elif child.tag in (self.SDT, self.CUSTOMXML):
                inner = child.find(self.SDTCONTENT) if child.tag == self.SDT else child
                if inner is not None:
                    yield from self._rows(inner)

    def _cells(self, tr):
        for child in tr:
            if child.tag == self.TC:
                yield child
            elif child.tag in (self.SDT, self.CUSTOMXML):
                inner = child.find(self.SDTCONTENT) if child.tag == self.SDT else child
                if inner is not None:
                    yield from self._cells(inner)

    def _cell_content(self, tc):
        for child in tc:
            tag = child.tag
            if tag == self.P or tag == self.TBL:
                yield child
            elif tag in (self.SDT, self.CUSTOMXML):
                inner = child.find(self.SDTCONTENT) if tag == self.SDT else child
                if inner is not None:
                    yield from self._cell_content(inner)


_LVL_REF = re.compile(r"%([1-9])")


def _int(v) -> int | None:
    try:
        return int(v)
    except (TypeError, ValueError):
        return None


def _on(v) -> bool:
    return v is None or v.lower() in _TRUE


def _outline(v) -> int | None:
    """w:outlineLvl value → heading level (1-based), 0 for "body text" (9), None when unreadable."""
    n = _int(v)
    if n is None:
        return None
    return n + 1 if 0 <= n < 9 else 0


def _in_textbox(p, stop) -> bool:
    el = p.getparent()
    while el is not None and el is not stop:
        if isinstance(el.tag, str) and el.tag.endswith("}txbxContent"):
            return True
        el = el.getparent()
    return False


_BREAKS = re.compile(r"\n+")


def _soft_breaks(text: str) -> str:
    """Soft line breaks: nothing between two CJK characters (a heading wrapped by hand: 一、总体↵情况) and at the
    ends; two spaces in a tab-separated line (so table recovery splits there: 规章\t0↵行政规范性文件\t0); else one
    space (Annual↵Report, 0↵行政处罚)."""
    tabular = "\t" in text

    def repl(m: re.Match) -> str:
        s, e = m.start(), m.end()
        prev = text[s - 1] if s else ""
        nxt = text[e] if e < len(text) else ""
        if not prev or not nxt or prev.isspace() or nxt.isspace():
            return ""
        if tabular:
            return "  "
        return "" if _is_cjk(prev) and _is_cjk(nxt) else " "

    return _BREAKS.sub(repl, text)


def _clear_uninformative_bold(doc: Document) -> None:
    """When most body paragraphs 'look bold' (a bold or 黑体 Normal style), the hint tells nothing: drop it."""
    body = [b for b in doc.blocks if b.cell is None and b.heading is None]
    if len(body) >= 8 and sum(b.bold for b in body) > 0.6 * len(body):
        for b in body:
            b.bold = False


def read(path: Path) -> Document:
    return read_with_numbering(path)[0]


def read_with_numbering(path: Path) -> tuple[Document, dict[int, str]]:
    """The Document, and the list numbers Word generates that were prepended to block texts, by paragraph number
    (``Block.line``): a text offset ``k`` in such a paragraph is ``k - len(prefix)`` in the paragraph's own text."""
    try:
        return _read(path)
    except InputError:
        raise
    except RecursionError:
        raise InputError("Word 文档结构嵌套过深（表格或内容控件层层嵌套），无法读取") from None
    except MemoryError:
        raise InputError("Word 文档过大，内存不足，无法读取") from None
    except Exception as exc:  # a reader must never let a traceback through: one Chinese line instead
        raise InputError(f"无法读取该 Word 文档（{type(exc).__name__}）：文件可能已损坏，请用 Word 打开后另存为 .docx 再检查") from None


def _read(path: Path) -> tuple[Document, dict[int, str]]:
    with _open_zip(path) as z:
        main = _rels(z, "").get("officeDocument")
        if main is None or main not in z.NameToInfo:
            main = "word/document.xml"
        data = _read_part(z, main)
        if data is None:
            names = z.namelist()
            if any(n.startswith("xl/") for n in names):
                raise InputError("这是 Excel 表格（.xlsx），不是 Word 文档（.docx）：请提供报告的 Word 或 PDF 文件")
            if any(n.startswith("ppt/") for n in names):
                raise InputError("这是 PowerPoint 演示文稿，不是 Word 文档（.docx）：请提供报告的 Word 或 PDF 文件")
            raise InputError("不是有效的 Word 文档（.docx）文件：压缩包中没有正文部分 word/document.xml")
        root = _parse(data, main)
        ns = etree.QName(root).namespace
        if ns not in (W_TRANSITIONAL, W_STRICT):
            raise InputError("不是有效的 Word 文档（.docx）文件：正文部分不是 WordprocessingML")
        reader = _Reader(ns, str(path))
        related = _rels(z, main)
        if "styles" in related:
            sdata = _read_part(z, related["styles"])
            if sdata:
                reader.load_styles(_styles_root(sdata, related["styles"]))
        if "numbering" in related:
            ndata = _read_part(z, related["numbering"])
            if ndata:
                reader.load_numbering(_parse(ndata, related["numbering"]))
    body = root.find(reader.q("body"))
    if body is not None:
        reader.walk_body(body)
    doc = reader.doc
    if not any(b.text.strip() for b in doc.blocks):
        raise InputError("该 Word 文档中没有文字内容（可能只有图片或扫描件），无法检查")
    _clear_uninformative_bold(doc)
    return doc, reader.prefixes
