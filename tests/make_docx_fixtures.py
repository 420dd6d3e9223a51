#!/usr/bin/env python3
"""Build the extra Word/PDF fixtures of the reader tests into tests/fixtures/ (run from anywhere):

    python tests/make_docx_fixtures.py

Every file is generated from code (python-docx plus a little raw WordprocessingML; the PDFs are written byte by
byte), never edited by hand. The report-like .docx files are built from seed 001 of the shared corpus
(``tests/corpus`` beside the repository), reusing the corpus builder's parsing and table helpers
(``tests/corpus/fixtures/make_fixtures.py``), so their tables carry the seed's real numbers:

  numbered_headings.docx   headings and the 1./2./… items of table 三 numbered by Word (w:numPr): "一、",
                           "（一）" and "1." are not in the paragraph text; level 1 by direct numPr + outlineLvl,
                           level 2 through a paragraph style 「二级标题」 whose style carries the numPr
  table_header_repeat.docx table 三 with its three header rows marked w:tblHeader and tall rows, so Word breaks it
                           over pages and repeats the header (in the XML the header exists once)
  tracked_changes.docx     w:del/w:ins runs (行政处罚 1→3, 申请5条→2条), a deleted table row 「行政征收 7」,
                           a deleted paragraph, an inserted paragraph
  edge_cases.docx          small: page header/footer, text boxes (VML and DrawingML), a comment, hidden text,
                           soft line breaks, tabs, a symbol, a content control, a TOC paragraph, heading styles
                           and outline levels, a nested table, gridBefore, hMerge and vMerge
  encrypted.docx           an OLE compound file holding "EncryptionInfo"/"EncryptedPackage" (what Word writes for
                           a password-protected document)
  old_format.docx          an OLE compound file holding "WordDocument" (a .doc renamed .docx)
  garbage.docx             plain text with a .docx name
  truncated.docx           the first half of numbered_headings.docx
  not_word.docx            a zip without word/document.xml
  scanned.pdf              one page holding only an image: no text layer
  encrypted.pdf            a PDF with a Standard security handler whose password is not empty
  corrupt.pdf              a PDF header followed by garbage
  layout.pdf               two pages: running header and "- N -" page numbers, a ruled table whose row has a
                           label wrapped over two lines and which continues on page 2 (drawn there with cell
                           rectangles, header row repeated), unmapped (cid:NN) glyphs, a borderless table
"""
from __future__ import annotations

import copy
import importlib.util
import itertools
import sys
import zipfile
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt
from docx.table import _Cell
from docx.text.paragraph import Paragraph

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "tests" / "corpus"
CORPUS_BUILDER = CORPUS / "fixtures" / "make_fixtures.py"
SEED = CORPUS / "seeds" / "001_61f640e52d4e149d.txt"
OUT = REPO / "tests" / "fixtures"
FIXED_TIME = (2025, 1, 15, 9, 0, 0)  # zip entry dates, so regenerating gives identical bytes


def load_corpus_builder():
    spec = importlib.util.spec_from_file_location("corpus_make_fixtures", CORPUS_BUILDER)
    if spec is None or not CORPUS_BUILDER.is_file():
        sys.exit(f"cannot find {CORPUS_BUILDER}: tests/corpus is part of the repository")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


mf = load_corpus_builder()


# ---------------------------------------------------------------- helpers
def normalise_zip(path: Path) -> None:
    """Rewrite a zip with fixed entry dates and order (python-docx stamps the current time)."""
    with zipfile.ZipFile(path) as z:
        entries = [(i.filename, z.read(i)) for i in z.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in entries:
            info = zipfile.ZipInfo(name, FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            z.writestr(info, data)


def new_report_document():
    """An empty document with the corpus builder's page setup and body font."""
    doc = Document()
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Cm(21.0), Cm(29.7)
    sec.top_margin, sec.bottom_margin = Cm(3.7), Cm(3.5)
    sec.left_margin, sec.right_margin = Cm(2.8), Cm(2.6)
    mf.add_footer_page_number(sec)
    normal = doc.styles["Normal"]
    mf.set_fonts(normal.element, mf.FONT_BODY)
    normal.font.size = Pt(16)
    cp = doc.core_properties
    cp.author = "gpalint tests/make_docx_fixtures.py"
    cp.comments = f"generated from seed {SEED.name}"
    return doc


def build_report(heading, *, after_t3=None):
    """Seed 001 as a Word report, like the corpus builder; ``heading(doc, text, level)`` writes headings."""
    title, preface, sections = mf.split_sections(SEED.read_text(encoding="utf-8"))
    t2 = mf.parse_t2(sections[1][1])
    t3_rows, spelled = mf.parse_t3(sections[2][1])
    t4 = mf.parse_t4(sections[3][1])
    doc = new_report_document()
    doc.core_properties.title = title
    par = doc.add_paragraph()
    mf.fmt_body(par, indent=False, align=WD_ALIGN_PARAGRAPH.CENTER)
    mf.add_run(par, title, mf.FONT_TITLE, 22)
    for text in mf.body_paragraphs(preface):
        mf.add_body(doc, text)
    for idx in range(6):
        head, lines = sections[idx]
        heading(doc, head, 1)
        if idx == 1:
            mf.build_t2(doc, t2)
            mf.spacer(doc)
        elif idx == 2:
            tbl = mf.build_t3(doc, t3_rows, spelled)
            if after_t3:
                after_t3(doc, tbl)
            mf.spacer(doc)
        elif idx == 3:
            mf.build_t4(doc, t4)
            mf.spacer(doc)
        else:
            for text in mf.body_paragraphs(lines):
                if mf.is_signature(text) and idx == 5:
                    par = doc.add_paragraph()
                    mf.fmt_body(par, indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT)
                    mf.add_run(par, text)
                elif mf.SUBHEAD_RE.match(text) and len(text) <= 30 and "。" not in text:
                    heading(doc, text, 2)
                else:
                    mf.add_body(doc, text)
    return doc


def direct_heading(doc, text, level):
    return mf.add_heading(doc, text, level, use_styles=False)


def w_el(tag: str, **attrs):
    el = OxmlElement(tag)
    for k, v in attrs.items():
        el.set(qn(k), str(v))
    return el


def numbering_root(doc):
    return doc.part.numbering_part.element


def add_abstract_num(doc, aid: int, levels):
    """levels: [(numFmt, lvlText)] for ilvl 0, 1, …"""
    xml = [f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{aid}"><w:multiLevelType w:val="multilevel"/>']
    for ilvl, (fmt, text) in enumerate(levels):
        xml.append(f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
                   f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/><w:suff w:val="nothing"/></w:lvl>')
    xml.append("</w:abstractNum>")
    root = numbering_root(doc)
    first_num = root.find(qn("w:num"))
    el = parse_xml("".join(xml))
    if first_num is not None:
        first_num.addprevious(el)  # the schema wants every abstractNum before the first num
    else:
        root.append(el)


def add_num(doc, num_id: int, aid: int, restart: bool = False):
    xml = f'<w:num {nsdecls("w")} w:numId="{num_id}"><w:abstractNumId w:val="{aid}"/>'
    if restart:
        xml += '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride>'
    numbering_root(doc).append(parse_xml(xml + "</w:num>"))


def set_numpr(par, num_id: int | None, ilvl: int | None):
    ppr = par._p.get_or_add_pPr()
    numpr = OxmlElement("w:numPr")
    if ilvl is not None:
        numpr.append(w_el("w:ilvl", **{"w:val": ilvl}))
    if num_id is not None:
        numpr.append(w_el("w:numId", **{"w:val": num_id}))
    ppr.insert_element_before(numpr, "w:suppressLineNumbers", "w:pBdr", "w:shd", "w:tabs", "w:suppressAutoHyphens",
                              "w:kinsoku", "w:wordWrap", "w:overflowPunct", "w:topLinePunct", "w:autoSpaceDE",
                              "w:autoSpaceDN", "w:bidi", "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind",
                              "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc",
                              "w:textDirection", "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl",
                              "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange")


def set_outline(par, level0: int):
    ppr = par._p.get_or_add_pPr()
    ppr.insert_element_before(w_el("w:outlineLvl", **{"w:val": level0}), "w:divId", "w:cnfStyle", "w:rPr",
                              "w:sectPr", "w:pPrChange")


# ---------------------------------------------------------------- numbered headings
NUM_HEAD, NUM_ITEMS = 90, 91  # abstractNum ids; numIds 90 (headings) and 100+ (table items)


def build_numbered_headings(path: Path):
    import re

    head_no = re.compile(r"^[一二三四五六七八九十]+、")
    sub_no = re.compile(r"^（[一二三四五六七八九十]+）")
    doc_holder = {}

    def heading(doc, text, level):
        if "nums" not in doc_holder:
            add_abstract_num(doc, NUM_HEAD, [("chineseCounting", "%1、"), ("chineseCounting", "（%2）")])
            add_num(doc, NUM_HEAD, NUM_HEAD)
            add_abstract_num(doc, NUM_ITEMS, [("decimal", "%1.")])
            st = doc.styles.add_style("二级标题", 1)  # WD_STYLE_TYPE.PARAGRAPH
            st.base_style = doc.styles["Normal"]
            mf.set_fonts(st.element, mf.FONT_H2)
            st.font.bold = True
            spr = st.element.get_or_add_pPr()
            numpr = OxmlElement("w:numPr")
            numpr.append(w_el("w:ilvl", **{"w:val": 1}))
            numpr.append(w_el("w:numId", **{"w:val": NUM_HEAD}))
            spr.append(numpr)
            doc_holder["nums"] = True
        if level == 1:
            words = head_no.sub("", text)
            par = doc.add_paragraph()
            mf.fmt_body(par)
            mf.add_run(par, words, mf.FONT_H1, 16, bold=True)
            set_numpr(par, NUM_HEAD, 0)
            set_outline(par, 0)
        else:
            words = sub_no.sub("", text)
            par = doc.add_paragraph(style="二级标题")
            mf.fmt_body(par)
            par.add_run(words)
        return par

    def number_items(doc, tbl):
        """Column 3 items 「1.属于国家秘密」…: the number goes to Word's numbering, restarting per group."""
        num_id = 99
        for row in tbl.rows:
            tc = row.cells[2]._tc
            for p in tc.iter(qn("w:p")):
                ts = list(p.iter(qn("w:t")))
                if not ts:
                    continue
                m = re.match(r"^(\d+)\.", ts[0].text or "")
                if not m:
                    continue
                if m.group(1) == "1":
                    num_id += 1
                    add_num(doc, num_id, NUM_ITEMS, restart=True)
                ts[0].text = ts[0].text[m.end():]
                set_numpr(Paragraph(p, None), num_id, 0)

    doc = build_report(heading, after_t3=number_items)
    doc.save(path)


# ---------------------------------------------------------------- table with repeated header rows
def build_table_header_repeat(path: Path):
    def tall_rows(doc, tbl):
        for i, row in enumerate(tbl.rows):
            trpr = row._tr.get_or_add_trPr()
            if i < 3:
                trpr.append(w_el("w:tblHeader"))  # repeat as header row at the top of each page
            trpr.append(w_el("w:cantSplit"))
            trpr.append(w_el("w:trHeight", **{"w:val": 900, "w:hRule": "atLeast"}))

    doc = build_report(direct_heading, after_t3=tall_rows)
    doc.save(path)


# ---------------------------------------------------------------- tracked changes
_REV = 0


def _rev_attrs() -> str:
    global _REV
    _REV += 1
    return f'w:id="{_REV}" w:author="审核人" w:date="2025-01-10T09:00:00Z"'


def _run_xml(text: str, deleted: bool = False, bold: bool = False) -> str:
    t = "w:delText" if deleted else "w:t"
    b = "<w:b/>" if bold else '<w:b w:val="0"/>'
    return (f'<w:r><w:rPr><w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:eastAsia="仿宋_GB2312"/>'
            f'{b}<w:sz w:val="32"/></w:rPr><{t} xml:space="preserve">{text}</{t}></w:r>')


def deleted(text: str) -> str:
    return f"<w:del {_rev_attrs()}>{_run_xml(text, deleted=True)}</w:del>"


def inserted(text: str) -> str:
    return f"<w:ins {_rev_attrs()}>{_run_xml(text)}</w:ins>"


def replace_runs(p, xml_runs: str) -> None:
    """Replace the runs of paragraph element ``p`` by ``xml_runs`` (keeps pPr)."""
    for r in p.findall(qn("w:r")):
        p.remove(r)
    frag = parse_xml(f'<w:p {nsdecls("w")}>{xml_runs}</w:p>')
    for child in list(frag):
        p.append(child)


def build_tracked_changes(path: Path):
    doc = build_report(direct_heading)
    body = doc.element.body
    t2 = doc.tables[0]
    # 行政处罚: the value was 1, changed to 3 (the seed's value)
    rows = t2._tbl.findall(qn("w:tr"))
    row_cf = next(r for r in rows if "行政处罚" in "".join(t.text or "" for t in r.iter(qn("w:t"))))
    value_p = row_cf.findall(qn("w:tc"))[1].find(qn("w:p"))
    replace_runs(value_p, deleted("1") + inserted("3"))
    # a row 「行政征收 7」 added after 行政强制 and then deleted (tracked): gone once accepted
    row_qz = next(r for r in rows if "行政强制" in "".join(t.text or "" for t in r.iter(qn("w:t"))))
    extra = copy.deepcopy(row_qz)
    texts = list(extra.iter(qn("w:t")))
    texts[0].text, texts[1].text = "行政征收", "7"
    trpr = extra.find(qn("w:trPr"))
    if trpr is None:
        trpr = OxmlElement("w:trPr")
        extra.insert(0, trpr)
    trpr.append(parse_xml(f'<w:del {nsdecls("w")} {_rev_attrs()}/>'))
    row_qz.addnext(extra)
    # narrative: 「收到政府信息公开申请5条」 corrected to 2条
    for p in body.iter(qn("w:p")):
        text = "".join(t.text or "" for t in p.iter(qn("w:t")))
        if "收到政府信息公开申请2条" in text:
            before, after = text.split("申请2条", 1)
            replace_runs(p, _run_xml(before + "申请") + deleted("5条") + inserted("2条") + _run_xml(after))
            break
    # a whole paragraph deleted (its runs and its paragraph mark), right after the title
    title_p = body.find(qn("w:p"))
    gone = parse_xml(f'<w:p {nsdecls("w")}><w:pPr><w:rPr><w:del {_rev_attrs()}/></w:rPr></w:pPr>'
                     f'{deleted("此段已被删除，不应出现在检查结果中。")}</w:p>')
    title_p.addnext(gone)
    # a paragraph inserted in section 五
    for p in body.iter(qn("w:p")):
        text = "".join(t.text or "" for t in p.iter(qn("w:t")))
        if text.startswith("三是开展方法创新"):
            new = parse_xml(f'<w:p {nsdecls("w")}><w:pPr><w:ind w:firstLine="640"/><w:rPr><w:ins {_rev_attrs()}/>'
                            f'</w:rPr></w:pPr>{inserted("四是加强队伍建设。定期组织业务培训。")}</w:p>')
            p.addnext(new)
            break
    doc.save(path)


# ---------------------------------------------------------------- edge cases
VML_TEXTBOX = (
    '<w:r {w} xmlns:v="urn:schemas-microsoft-com:vml"><w:pict><v:shape style="width:200pt;height:40pt">'
    '<v:textbox><w:txbxContent><w:p><w:r><w:t>文本框内容不应出现</w:t></w:r></w:p></w:txbxContent></v:textbox>'
    '</v:shape></w:pict></w:r>')
DRAWING_TEXTBOX = (
    '<w:r {w} xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006">'
    '<mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wp:anchor distT="0" distB="0" distL="0" distR="0" '
    'simplePos="0" relativeHeight="1" behindDoc="0" locked="0" layoutInCell="1" allowOverlap="1">'
    '<wp:simplePos x="0" y="0"/><wp:positionH relativeFrom="column"><wp:posOffset>0</wp:posOffset></wp:positionH>'
    '<wp:positionV relativeFrom="paragraph"><wp:posOffset>0</wp:posOffset></wp:positionV>'
    '<wp:extent cx="2540000" cy="508000"/><wp:wrapNone/><wp:docPr id="1" name="文本框 1"/>'
    '<a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
    '<wps:wsp><wps:spPr><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></wps:spPr>'
    '<wps:txbx><w:txbxContent><w:p><w:r><w:t>绘图文本框也不应出现</w:t></w:r></w:p></w:txbxContent></wps:txbx>'
    '<wps:bodyPr/></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice>'
    '<mc:Fallback><w:pict><w:p><w:r><w:t>备用内容不应出现</w:t></w:r></w:p></w:pict></mc:Fallback>'
    '</mc:AlternateContent></w:r>')


def _frag(xml: str):
    return parse_xml(xml.format(w=nsdecls("w")))


def build_edge_cases(path: Path):
    doc = Document()
    doc.sections[0].header.paragraphs[0].text = "页眉：内部资料不应出现"
    doc.sections[0].footer.paragraphs[0].text = "页脚：第 1 页不应出现"
    custom = doc.styles.add_style("我的标题", 1)
    ppr = custom.element.get_or_add_pPr()
    ppr.append(w_el("w:outlineLvl", **{"w:val": 0}))
    toc = doc.styles.add_style("toc 1", 1)
    toc.base_style = doc.styles["Normal"]

    doc.add_paragraph("测试报告标题")                                             # 1
    p = doc.add_paragraph("目录：一、总体情况\t1", style="toc 1")                  # 2 (TOC: no block)
    p = doc.add_paragraph()                                                      # 3 heading with a soft break
    p.add_run("一、总体")
    p.runs[0].add_break()
    p.add_run("情况")
    p.style = doc.styles["Heading 1"]
    p = doc.add_paragraph("正文段落。")                                          # 4 with two text boxes
    p._p.append(_frag(VML_TEXTBOX))
    p._p.append(_frag(DRAWING_TEXTBOX))
    p.add_run("文本框之后。")
    p = doc.add_paragraph("可见文字")                                            # 5 with hidden text
    hidden = p.add_run("隐藏文字")
    hidden.font.hidden = True
    p.add_run("继续。\t完")                                                     # a tab (w:tab)
    p = doc.add_paragraph()                                                      # 6 Latin soft break, sym
    p.add_run("Annual")
    p.runs[0].add_break()
    p.add_run("Report 2024")
    p._p.append(_frag('<w:r {w}><w:sym w:font="Symbol" w:char="F0B7"/></w:r>'))
    p = doc.add_paragraph()                                                      # 7 commented run
    r = p.add_run("有批注的文字。")
    comment = doc.add_comment(r, text="批注内容不应出现", author="审核人", initials="SH")
    comment._comment_elm.set(qn("w:date"), "2025-01-15T09:00:00Z")  # python-docx stamps the current time
    sdt = _frag('<w:sdt {w}><w:sdtPr><w:alias w:val="内容控件"/></w:sdtPr><w:sdtContent><w:p><w:r>'
                '<w:t>内容控件中的段落</w:t></w:r></w:p></w:sdtContent></w:sdt>')
    doc.element.body.insert(len(doc.element.body) - 1, sdt)                     # 8 (before sectPr)
    doc.add_paragraph("（二）我的标题样式", style="我的标题")                       # 9 outline level 0 → 1
    p = doc.add_paragraph("标题样式但大纲级别为正文", style="Heading 2")             # 10 outlineLvl 9 → none
    set_outline(p, 9)
    p = doc.add_paragraph()                                                      # 11 all runs bold
    p.add_run("（三）").bold = True
    p.add_run("加粗小标题").bold = True
    doc.add_paragraph("二级标题样式", style="Heading 2")                          # 12
    # table: 3 rows × 4 grid columns
    t = doc.add_table(rows=3, cols=4)                                            # paragraphs 13…
    t.style = doc.styles["Table Grid"]
    a = t.cell(0, 0).merge(t.cell(0, 1))                                         # gridSpan 2
    a.text = "横向合并"
    t.cell(0, 2).text = "列三"
    t.cell(0, 3).text = "列四"
    v = t.cell(1, 0).merge(t.cell(2, 0))                                         # vMerge restart/continue
    v.text = "纵向合并"
    t.cell(1, 1).text = "甲"
    t.cell(1, 2).paragraphs[0].text = "第一段"
    t.cell(1, 2).add_paragraph("第二段")
    t.cell(1, 3).text = ""
    t.cell(2, 1).text = "乙"
    inner_cell = t.cell(2, 2)
    inner_cell.text = "外层"
    inner = inner_cell.add_table(rows=1, cols=2)
    inner.cell(0, 0).text = "内层一"
    inner.cell(0, 1).text = "内层二"  # add_table leaves an empty paragraph after the nested table
    t.cell(2, 3).text = "9"
    # a row with gridBefore 1 and an old-style hMerge pair
    t2 = doc.add_table(rows=1, cols=3)
    tr = t2.rows[0]._tr
    trpr = tr.get_or_add_trPr()
    trpr.append(w_el("w:gridBefore", **{"w:val": 1}))
    tcs = tr.findall(qn("w:tc"))
    tr.remove(tcs[0])
    tcs[1].get_or_add_tcPr().append(w_el("w:hMerge", **{"w:val": "restart"}))
    tcs[2].get_or_add_tcPr().append(w_el("w:hMerge"))
    _Cell(tcs[1], t2).text = "前空一格"
    doc.add_paragraph("结尾段落。")
    doc.save(path)


# ---------------------------------------------------------------- broken Word files
def ole_file(stream_names: list[str]) -> bytes:
    """Just enough of an OLE compound file for format sniffing: the magic header and a directory holding the
    given stream names (UTF-16LE, as in a real compound file)."""
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 16 + b"\x3e\x00\x03\x00\xfe\xff\x09\x00"
    header = header.ljust(512, b"\xff")
    directory = b""
    for name in ["Root Entry", *stream_names]:
        raw = name.encode("utf-16-le") + b"\x00\x00"
        directory += raw.ljust(64, b"\x00") + len(raw).to_bytes(2, "little") + b"\x02" + b"\x00" * 61
    return header + directory.ljust(1024, b"\x00") + bytes(range(256)) * 8


def build_broken_word(out: Path):
    (out / "encrypted.docx").write_bytes(ole_file(["EncryptionInfo", "EncryptedPackage", "\x06DataSpaces"]))
    (out / "old_format.docx").write_bytes(ole_file(["WordDocument", "1Table", "\x05SummaryInformation"]))
    (out / "garbage.docx").write_text("这不是 Word 文档，只是改了扩展名的文本文件。\n" * 20, encoding="utf-8")
    good = (out / "numbered_headings.docx").read_bytes()
    (out / "truncated.docx").write_bytes(good[: len(good) // 2])
    with zipfile.ZipFile(out / "not_word.docx", "w") as z:
        info = zipfile.ZipInfo("hello.txt", FIXED_TIME)
        z.writestr(info, "not a Word document")


# ---------------------------------------------------------------- PDFs, written by hand
def pdf_bytes(objects: list[bytes], trailer_extra: bytes = b"") -> bytes:
    """A PDF from object bodies (object n = objects[n-1]; object 1 is the catalog), with a correct xref."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for n, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R %s>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, trailer_extra, xref)
    return bytes(out)


def stream(data: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d %s>>\nstream\n" % (len(data), extra) + data + b"\nendstream"


def build_scanned_pdf(path: Path):
    img = bytes([0, 255, 255, 0] * 4)
    path.write_bytes(pdf_bytes([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /Im1 5 0 R >> >> "
        b"/Contents 4 0 R >>",
        stream(b"q 595 0 0 842 0 0 cm /Im1 Do Q"),
        stream(img, b"/Type /XObject /Subtype /Image /Width 4 /Height 4 /ColorSpace /DeviceGray "
                    b"/BitsPerComponent 8 "),
    ]))


def build_encrypted_pdf(path: Path):
    path.write_bytes(pdf_bytes([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        stream(b"BT /F1 12 Tf 72 700 Td (secret) Tj ET"),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Filter /Standard /V 1 /R 2 /P -3904 /O <" + b"4f" * 32 + b"> /U <" + b"55" * 32 + b"> >>",
    ], trailer_extra=b"/Encrypt 6 0 R /ID [<0123456789abcdef0123456789abcdef> <0123456789abcdef0123456789abcdef>] "))


def build_corrupt_pdf(path: Path):
    path.write_bytes(b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R\n" + bytes(range(256)) * 4 + b"\n")


def _text(x: float, y: float, s: str, font: str = "F1", size: int = 11) -> bytes:
    esc = s.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    return f"BT /{font} {size} Tf {x} {y} Td ({esc}) Tj ET\n".encode("latin-1")


def _hline(x0, x1, y) -> bytes:
    return f"{x0} {y} m {x1} {y} l S\n".encode()


def _vline(x, y0, y1) -> bytes:
    return f"{x} {y0} m {x} {y1} l S\n".encode()


def build_layout_pdf(path: Path):
    xs = [72, 272, 372, 472]
    # page 1: header, heading, unmapped glyphs, a ruled table drawn with lines that ends the page, footer
    c1 = bytearray(b"0.5 w\n")
    c1 += _text(72, 800, "Annual Report 2024", size=9)
    c1 += _text(72, 700, "Section one", size=14)
    c1 += b"BT /F1 11 Tf 72 682 Td (Glyphs: ) Tj /F2 11 Tf <00120034> Tj ET\n"  # two unmapped CIDs
    c1 += _text(72, 664, "Plain text line before the table.")
    rows = [650, 620, 570, 540]  # row borders, top to bottom
    for y in rows:
        c1 += _hline(72, 472, y)
    for x in xs:
        c1 += _vline(x, rows[-1], rows[0])
    c1 += _text(80, 630, "Item") + _text(280, 630, "Count") + _text(380, 630, "Note")
    c1 += _text(80, 603, "Administrative penalty") + _text(80, 588, "decisions")  # one cell, two lines
    c1 += _text(280, 592, "3")
    c1 += _text(80, 550, "Fees") + _text(280, 550, "0") + _text(380, 550, "none")
    c1 += _text(290, 40, "- 1 -", size=9)
    # page 2: the table continues at the top (cells drawn as rectangles, header row repeated), then text
    c2 = bytearray(b"0.5 w\n")
    c2 += _text(72, 800, "Annual Report 2024", size=9)
    rows2 = [740, 710, 680]
    for top, bottom in itertools.pairwise(rows2):
        for x0, x1 in itertools.pairwise(xs):
            c2 += f"{x0} {bottom} {x1 - x0} {top - bottom} re S\n".encode()
    c2 += _text(80, 720, "Item") + _text(280, 720, "Count") + _text(380, 720, "Note")
    c2 += _text(80, 690, "Other") + _text(280, 690, "5") + _text(380, 690, "x")
    c2 += _text(72, 600, "Between the tables.")
    for i, (label, a, b) in enumerate([("Applicant", "Natural", "Legal"), ("New", "2", "0"), ("Carried", "1", "4")]):
        y = 560 - 18 * i
        c2 += _text(72, y, label) + _text(300, y, a) + _text(420, y, b)
    c2 += _text(72, 440, "End of report.")
    c2 += _text(72, 380, "Signed") + _text(400, 380, "2025-01-15")
    c2 += _text(290, 40, "- 2 -", size=9)
    fonts = b"/Font << /F1 6 0 R /F2 7 0 R >>"
    path.write_bytes(pdf_bytes([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R 4 0 R] /Count 2 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 5 0 R /Resources << " + fonts + b" >> >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 10 0 R /Resources << " + fonts + b" >> >>",
        stream(bytes(c1)),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Type /Font /Subtype /Type0 /BaseFont /NoUnicodeFont /Encoding /Identity-H /DescendantFonts [8 0 R] >>",
        b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /NoUnicodeFont /CIDSystemInfo << /Registry (Adobe) "
        b"/Ordering (Identity) /Supplement 0 >> /FontDescriptor 9 0 R /DW 1000 >>",
        b"<< /Type /FontDescriptor /FontName /NoUnicodeFont /Flags 4 /FontBBox [0 -120 1000 880] /ItalicAngle 0 "
        b"/Ascent 880 /Descent -120 /CapHeight 700 /StemV 80 >>",
        stream(bytes(c2)),
    ]))


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for name, build in (("numbered_headings.docx", build_numbered_headings),
                        ("table_header_repeat.docx", build_table_header_repeat),
                        ("tracked_changes.docx", build_tracked_changes),
                        ("edge_cases.docx", build_edge_cases)):
        build(OUT / name)
        normalise_zip(OUT / name)
        print("wrote", OUT / name)
    build_broken_word(OUT)
    build_scanned_pdf(OUT / "scanned.pdf")
    build_encrypted_pdf(OUT / "encrypted.pdf")
    build_corrupt_pdf(OUT / "corrupt.pdf")
    build_layout_pdf(OUT / "layout.pdf")
    print("wrote the broken Word files and the PDFs into", OUT)


if __name__ == "__main__":
    main()
