"""The .docx package: what kind of file this is, its parts and relationships, and how much of it we agree to inflate.

A package is opened from the bytes of the file read once (a report is a few hundred KB; the readers refuse files
over 50 MB before this), so the fixer can later copy the members it does not change from exactly those bytes.

Budgets. A part is inflated only if its declared uncompressed size is within ``part_budget(file size)``: at most
``PART_RATIO`` times the size of the whole file (real reports: 20–30 times for document.xml) with a floor of
``MIN_PART_BUDGET`` for tiny files, and never above ``MAX_PART_BYTES``. The parts read for one document together
stay within the same budget. ``zipfile`` never inflates more than the declared size of a member, so a member that
lies about its size fails its checksum instead of filling memory.
"""
from __future__ import annotations

import io
import posixpath
import zipfile

from lxml import etree

from ...model import InputError

W_TRANSITIONAL = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W_STRICT = "http://purl.oclc.org/ooxml/wordprocessingml/main"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

MAX_PART_BYTES = 32 * 1024 * 1024  # a 200-page report's document.xml is a few MB
MIN_PART_BUDGET = 8 * 1024 * 1024
PART_RATIO = 100

PARSER = etree.XMLParser(resolve_entities=False, no_network=True, collect_ids=False, huge_tree=True)


def part_budget(file_size: int) -> int:
    """How many uncompressed bytes of XML a .docx of ``file_size`` bytes may make us read."""
    return min(MAX_PART_BYTES, max(MIN_PART_BUDGET, PART_RATIO * file_size))


def sniff(data: bytes) -> None:
    """Raise InputError, in one Chinese line, when ``data`` is not a zip package (an old .doc, RTF, PDF …)."""
    head = data[:8]
    if head.startswith(OLE_MAGIC[:4]):
        if "EncryptedPackage".encode("utf-16-le") in data or "EncryptionInfo".encode("utf-16-le") in data:
            raise InputError("该 Word 文档已加密（设置了打开密码），无法读取：请取消密码后另存为 .docx 再检查")
        raise InputError("这是旧版 Word 97-2003（.doc）文件或已加密的文档，不是 .docx：请在 Word 中另存为 .docx 后再检查")
    if head.startswith(b"{\\rtf"):
        raise InputError("这是 RTF 文件，不是有效的 Word 文档（.docx）：请在 Word 中另存为 .docx 后再检查")
    if head.startswith(b"%PDF"):
        raise InputError("这是 PDF 文件，扩展名却是 .docx：请把扩展名改为 .pdf 再检查")
    if not head.startswith(b"PK"):
        raise InputError("不是有效的 Word 文档（.docx）文件：文件内容不是 docx 所用的 zip 压缩包")


def parse_xml(data: bytes, name: str) -> etree._Element:
    try:
        return etree.fromstring(data, PARSER)
    except etree.XMLSyntaxError:
        raise InputError(f"不是有效的 Word 文档（.docx）文件：{name} 不是合法的 XML") from None


class Package:
    """An opened .docx: the bytes read, the zip over them, and the budget of XML we inflate from it."""

    def __init__(self, data: bytes):
        sniff(data)
        self.data = data
        try:
            self.zip = zipfile.ZipFile(io.BytesIO(data))
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
            raise InputError("不是有效的 Word 文档（.docx）文件：zip 压缩包已损坏或不完整") from None
        self.budget = part_budget(len(data))
        self.inflated = 0

    def has(self, name: str) -> bool:
        return name in self.zip.NameToInfo

    def names(self) -> list[str]:
        return self.zip.namelist()

    def part(self, name: str) -> bytes | None:
        """The uncompressed bytes of part ``name``, None if there is none; InputError when over budget or damaged."""
        try:
            info = self.zip.getinfo(name)
        except KeyError:
            return None
        if self.inflated + info.file_size > self.budget:
            mb = max(1, round(info.file_size / (1024 * 1024)))
            raise InputError(f"Word 文档解压后内容异常庞大（{name} 解压后约 {mb} MB，文件本身只有 "
                             f"{len(self.data) / 1024:.0f} KB），不像是一份年度报告，已拒绝读取")
        if info.flag_bits & 0x1:
            raise InputError("该 Word 文档的压缩包已加密，无法读取：请取消密码后另存为 .docx 再检查")
        try:
            data = self.zip.read(info)
        except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError, RuntimeError):
            raise InputError(f"不是有效的 Word 文档（.docx）文件：压缩包中的 {name} 已损坏") from None
        self.inflated += len(data)
        return data

    def rels(self, part: str) -> dict[str, str]:
        """Relationship type suffix ("officeDocument", "styles", …) → target part name, for ``part``."""
        folder, base = posixpath.split(part)
        data = self.part(posixpath.join(folder, "_rels", base + ".rels"))
        out: dict[str, str] = {}
        if not data:
            return out
        try:
            root = etree.fromstring(data, PARSER)
        except etree.XMLSyntaxError:
            return out
        for rel in root:
            if not isinstance(rel.tag, str) or rel.get("TargetMode") == "External":
                continue
            kind = (rel.get("Type") or "").rsplit("/", 1)[-1]
            target = rel.get("Target") or ""
            if not target or kind in out:
                continue
            if target.startswith("/"):
                target = target.lstrip("/")
            else:
                target = posixpath.normpath(posixpath.join(folder, target))
            out[kind] = target
        return out

    def main_part(self) -> str:
        main = self.rels("").get("officeDocument")
        return main if main is not None and self.has(main) else "word/document.xml"

    def not_word(self) -> InputError:
        """The error for a package without a main document part: say what it is instead, when we can tell."""
        names = self.names()
        if any(n.startswith("xl/") for n in names):
            return InputError("这是 Excel 表格（.xlsx），不是 Word 文档（.docx）：请提供报告的 Word 或 PDF 文件")
        if any(n.startswith("ppt/") for n in names):
            return InputError("这是 PowerPoint 演示文稿，不是 Word 文档（.docx）：请提供报告的 Word 或 PDF 文件")
        return InputError("不是有效的 Word 文档（.docx）文件：压缩包中没有正文部分 word/document.xml")


class Names:
    """The qualified tag and attribute names of one WordprocessingML namespace (transitional or strict)."""

    def __init__(self, w: str):
        self.w = w
        q = self.q
        self.VAL = q("val")
        self.BODY, self.P, self.TBL, self.TR, self.TC = q("body"), q("p"), q("tbl"), q("tr"), q("tc")
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
        self.FLDCHAR, self.FLDCHARTYPE, self.FLDSIMPLE = q("fldChar"), q("fldCharType"), q("fldSimple")
        # inline containers whose runs are text of the paragraph
        self.DESCEND = {q(t) for t in ("ins", "moveTo", "hyperlink", "smartTag", "customXml", "dir", "bdo")}

    def q(self, tag: str) -> str:
        return f"{{{self.w}}}{tag}"


FALSE = {"0", "false", "off", "none"}
TRUE = {"1", "true", "on"}


def on(v: str | None) -> bool:
    """An ST_OnOff attribute: absent value means on."""
    return v is None or v.lower() not in FALSE


def to_int(v: str | None) -> int | None:
    try:
        return int(v) if v is not None else None
    except (TypeError, ValueError):
        return None
