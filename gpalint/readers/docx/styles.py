"""Paragraph and character styles: heading level, bold, East-Asian font and list numbering, through ``w:basedOn``."""
from __future__ import annotations

import re
from typing import NamedTuple

from lxml import etree

from .package import PARSER, TRUE, W_TRANSITIONAL, Names, on, parse_xml, to_int

_STYLE_HEADING = re.compile(r"^(?:heading|标题)\s*([1-9])$", re.I)
_STYLE_CN_HEADING = re.compile(r"^([一二三四五六七八九])级标题$")
_STYLE_TOC = re.compile(r"^(?:toc|目录)\s*[1-9]$", re.I)


def outline_level(v: str | None) -> int | None:
    """w:outlineLvl value → heading level (1-based), 0 for "body text" (9), None when unreadable."""
    n = to_int(v)
    if n is None:
        return None
    return n + 1 if 0 <= n < 9 else 0


def heading_font(name: str | None) -> bool:
    if not name:
        return False
    low = name.lower()
    return "黑体" in name or "楷体" in name or "hei" in low or "kai" in low


class Resolved(NamedTuple):
    """A style with everything it inherits."""

    level: int | None = None  # heading level
    bold: bool | None = None
    font: str | None = None  # East-Asian font
    num_id: str | None = None
    ilvl: int | None = None
    toc: bool = False


class _Style:
    __slots__ = ("based_on", "bold", "font", "ilvl", "kind", "name", "num_id", "outline")

    def __init__(self) -> None:
        self.name = ""
        self.based_on: str | None = None
        self.outline: int | None = None  # level 1.. or 0 for "body text" (explicit outlineLvl 9)
        self.num_id: str | None = None
        self.ilvl: int | None = None
        self.bold: bool | None = None
        self.font: str | None = None
        self.kind = "paragraph"


class Styles:
    def __init__(self, names: Names):
        self.n = names
        self.styles: dict[str, _Style] = {}
        self.default_pstyle: str | None = None
        self.default_bold = False
        self.default_font: str | None = None
        self._resolved: dict[str, Resolved] = {}

    def bold_of(self, rpr) -> bool | None:
        b = rpr.find(self.n.B)
        return None if b is None else on(b.get(self.n.VAL))

    def numbering_style(self, sid: str) -> str | None:
        """The numId a numbering style (w:numStyleLink target) carries."""
        st = self.styles.get(sid)
        return st.num_id if st is not None else None

    def load(self, root) -> None:
        n = self.n
        q, VAL = n.q, n.VAL
        defaults = root.find(q("docDefaults"))
        if defaults is not None:
            rpr = defaults.find(f"{q('rPrDefault')}/{q('rPr')}")
            if rpr is not None:
                self.default_bold = bool(self.bold_of(rpr))
                fonts = rpr.find(n.RFONTS)
                if fonts is not None:
                    self.default_font = fonts.get(n.EASTASIA)
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
            name = el.find(NAME)
            st.name = (name.get(VAL) or "") if name is not None else ""
            b = el.find(BASED)
            st.based_on = b.get(VAL) if b is not None else None
            ppr = el.find(n.PPR)
            if ppr is not None:
                ol = ppr.find(n.OUTLINELVL)
                if ol is not None:
                    st.outline = outline_level(ol.get(VAL))
                numpr = ppr.find(n.NUMPR)
                if numpr is not None:
                    nid = numpr.find(n.NUMID)
                    lvl = numpr.find(n.ILVL)
                    st.num_id = nid.get(VAL) if nid is not None else None
                    st.ilvl = to_int(lvl.get(VAL)) if lvl is not None else None
            rpr = el.find(n.RPR)
            if rpr is not None:
                st.bold = self.bold_of(rpr)
                fonts = rpr.find(n.RFONTS)
                if fonts is not None:
                    st.font = fonts.get(n.EASTASIA)
            self.styles[sid] = st
            if kind == "paragraph" and (el.get(q("default")) or "").lower() in TRUE:
                self.default_pstyle = sid

    def resolve(self, sid: str | None) -> Resolved:
        """The style ``sid`` with what it inherits through w:basedOn (cycles cut)."""
        if sid is None:
            return Resolved()
        got = self._resolved.get(sid)
        if got is not None:
            return got
        self._resolved[sid] = Resolved()  # cycle guard
        st = self.styles.get(sid)
        if st is None:
            return self._resolved[sid]
        parent = self.resolve(st.based_on) if st.based_on and st.based_on != sid else Resolved()
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
                level = parent.level
        got = Resolved(level,
                       st.bold if st.bold is not None else parent.bold,
                       st.font if st.font is not None else parent.font,
                       st.num_id if st.num_id is not None else parent.num_id,
                       st.ilvl if st.ilvl is not None else parent.ilvl,
                       bool(_STYLE_TOC.match(st.name.strip())))
        self._resolved[sid] = got
        return got


def styles_root(data: bytes, name: str):
    """Parse the styles part, skipping the table styles and latent-style lists that make up most of its bytes
    (Word's default template: 350 KB, of which the paragraph and character styles are a tenth). The cut is made
    with plain byte searches and needs the usual "w:" prefix; anything unexpected falls back to a full parse."""
    try:
        i = data.find(b"<w:styles")
        e = data.find(b">", i)
        if i < 0 or e < 0 or W_TRANSITIONAL.encode() not in data[i:e] or data[e - 1:e] == b"/":
            return parse_xml(data, name)
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
            return parse_xml(data, name)
        parts.append(b"</w:styles>")
        return etree.fromstring(b"".join(parts), PARSER)
    except etree.XMLSyntaxError:
        return parse_xml(data, name)
