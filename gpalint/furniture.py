"""Page furniture: text that came with the report but is not the report — page numbers and running footers, the
provenance lines a crawler writes above a page (``标题:``, ``发布时间:``, ``# source:``), a web site's menus and share
bars (当前位置, 首页, 微信 微博 QQ空间, 打印本页, 关闭窗口).

Readers mark a block that is furniture as a whole (``Block.furniture``); the Report leaves such blocks out of its
block list and cuts furniture out of long blocks (a whole web page crawled into one line), so no rule of any family
reports on them. One home for the patterns, so the readers, the Report and the tests agree on what furniture is.
"""
from __future__ import annotations

import re

from .document import Document

_DASH = r"[-—–－~～_·•]"
# a whole line that is furniture, wherever it stands
_LINE = re.compile(
    r"^\s*(?:"
    # page numbers: 「— 1 —」「-1-」「第 1 页 共 5 页」「第1页/共5页」「1 / 5 页」
    rf"{_DASH}+\s*\d{{1,4}}\s*{_DASH}+"
    r"|第\s*\d{1,4}\s*页\s*(?:[，,/]?\s*共\s*\d{1,4}\s*页)?"
    r"|共\s*\d{1,4}\s*页\s*[，,/]?\s*第\s*\d{1,4}\s*页"
    r"|\d{1,4}\s*/\s*\d{1,4}\s*页"
    # provenance written by a crawler or an archive: 「# source: …」「标题: …」「发布时间: …」「原文链接: …」
    r"|#\s*(?:source|agency|url|title|date|year)\s*:.*"
    r"|(?:标\s*题|发布时间|发布日期|发表日期|图解链接|发文日期|成文日期|原文链接|原文地址|原始链接|来源链接|页面链接|网页地址|信息来源|来\s*源"
    r"|发布机构|发布单位|所属机构|索\s*引\s*号|生成日期|关键字|文\s*号|栏\s*目|本地目录|主题分类|浏览次数|点击数|访问量)\s*[:：].*"
    r"|页面链接与图片详见.*"
    r"|={3,}\s*(?:正文|正\s*文|原文|附件)?\s*={3,}"
    # site menus and share bars
    r"|(?:当前位置|您现在的位置|你现在的位置|您的位置|你的位置|所在位置)\s*[:：].*"
    r"|【\s*(?:打印|关闭|返回|收藏|打印本页|关闭窗口|返回顶部)\s*】(?:\s*【[^】]{1,6}】)*"
    r"|扫一扫(?:在手机上?打开(?:当前页|本页)?)?|分享到\s*[:：]?.{0,30}"
    # a site's footer after the 落款
    r"|(?:主办单位|承办单位|主\s*办|承\s*办|协办单位|维护单位|技术支持|网站标识码|网站地图|联系我们)\s*[:：].*"
    r"|.{0,60}(?:ICP\s*备\s*\d|公网安备\s*\d|网站标识码\s*[:：]?\s*\d).*|(?:版权所有|Copyright|©).{0,80}"
    r"|(?:字号|字体)\s*[:：]?\s*[【\[]?\s*大\s*[】\]]?\s*[【\[]?\s*中\s*[】\]]?\s*[【\[]?\s*小\s*[】\]]?.*"
    r")\s*$", re.IGNORECASE)
# words of a menu or share bar: a line made only of them (two or more, or one that is never prose) is furniture
_MENU_WORDS = ("首页", "打印本页", "打印此页", "关闭窗口", "关闭本页", "返回顶部", "返回首页", "收藏本页", "加入收藏",
               "微信", "微博", "QQ空间", "QQ", "分享到", "分享", "扫一扫", "在手机上打开", "全真版", "文字版",
               "文件下载", "附件下载", "相关链接", "打印", "关闭", "收藏", "-->", "【打印】", "【关闭】")
_MENU_WORD = "(?:" + "|".join(re.escape(w) for w in sorted(_MENU_WORDS, key=len, reverse=True)) + r")[:：]?"
_MENU_LINE = re.compile(rf"^\s*(?:{_MENU_WORD}\s*){{2,}}$|^\s*(?:首页|打印本页|关闭窗口|返回顶部|附件下载|文件下载)\s*$")
# furniture inside a long block (a web page crawled into one line): a breadcrumb up to the next space, a
# 「来源：… 时间：…」 byline, a run of two or more menu words, a leading 「==== 正文 ====」, a trailing 「附件下载」
_INLINE = re.compile(
    r"(?:当前位置|您现在的位置|您的位置)\s*[:：]\s*\S+(?:\s*[>＞›»/]\s*\S+)*"
    r"|来\s*源\s*[:：]\s*\S{0,30}?\s*(?:发布)?时\s*间\s*[:：]\s*\d{4}-\d{1,2}-\d{1,2}(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?"
    rf"|{_MENU_WORD}(?:\s+{_MENU_WORD})+"
    # a crawler's rule above the text, which a Markdown paragraph joins to the text's first line
    r"|^={3,}\s*(?:正文|正\s*文|原文|附件)?\s*={3,}\s*"
    r"|(?<=\s)附件下载\s*$")


MAX_LINE = 200  # characters: a longer block holds more than a furniture line (a web page crawled into one line)

# a page number glued to the end of a line of text (not of a table row, whose cells tabs or runs of spaces part:
# 「—」 is also an empty cell there)
_TRAILING_PAGE_NO = re.compile(r"(?<=[^\s\d—－\-|])[ \u3000]?[—－]\s?\d{1,4}\s?[—－]\s*$")


# the fields of a page's metadata box (索引号, 发文字号, 生成日期 …): a line that starts with one and names two or more,
# colons or not, is that box flattened into a line (「索引号 620702074/2024-00047 发文字号 …」「公开形式 责任部门」)
_META_KEYS = ("索引号", "发文字号", "文号", "关键词", "关键字", "发布机构", "发文机关", "公开形式", "公开方式", "公开范围",
              "公开时限", "责任部门", "生成日期", "发布日期", "发表日期", "成文日期", "是否有效", "有效性", "主题分类",
              "体裁分类", "信息分类", "组配分类", "所属机构", "所属主题")
_META_KEY = "(?:" + "|".join(sorted(_META_KEYS, key=len, reverse=True)) + r")\s*[:：]?"
_META_ROW = re.compile(rf"^\s*{_META_KEY}(?=\s|$)")
_META_ANY = re.compile(rf"(?:^|(?<=\s)){_META_KEY}(?=\s|$|\d)")


def is_furniture(text: str) -> bool:
    """Whether the whole of ``text`` (one line or block) is page furniture."""
    if not 0 < len(text.strip()) <= MAX_LINE:
        return False
    if _LINE.match(text) is not None or _MENU_LINE.match(text) is not None:
        return True
    return _META_ROW.match(text) is not None and len(_META_ANY.findall(text)) >= 2


def spans(text: str) -> list[tuple[int, int]]:
    """The (start, end) of the furniture inside ``text``: all of it when it is furniture as a whole; else a page
    number a PDF line took in after the text (「2025年1月20日— 3 —」), and in a long block the breadcrumbs, bylines
    and menu runs a crawled page leaves in its one long line."""
    if is_furniture(text):
        return [(0, len(text))]
    found = [m.span() for m in _INLINE.finditer(text)] if len(text) > MAX_LINE else []
    m = _TRAILING_PAGE_NO.search(text) if "\t" not in text and "  " not in text else None
    return [*found, m.span()] if m else found


# the provenance header an archive or a crawler writes above a text: 「# agency: …; year: 2019」「# 来源：…」, one
# ``key: value`` pair or several parted by 「;」, under a comment or heading mark; only the keys below, so a Markdown
# heading (「# 一、总体情况」「# 说明：…」) is never taken for one
_HEADER_KEYS = ("source", "agency", "url", "link", "title", "date", "year", "author", "publisher", "origin",
                "original", "crawled", "fetched", "retrieved", "archived", "encoding", "license", "licence",
                "来源", "抓取", "抓取时间", "抓取日期", "采集", "采集时间", "原文", "原文链接", "网址", "链接", "机构",
                "发布机构", "年份", "年度", "标题", "发布时间", "发布日期")
_HEADER = re.compile(r"^\s*(?:#{1,6}|//|%|;)?\s*(?:" + "|".join(sorted(map(re.escape, _HEADER_KEYS), key=len, reverse=True))
                     + r")\s*[:：]", re.IGNORECASE)


def is_header(block_text: str, marked: bool) -> bool:
    """Whether a line at the very top of a file is a provenance header line: a metadata key and a colon, after a
    comment or heading mark (``marked``: the reader took the Markdown mark off, Block.heading)."""
    text = block_text.lstrip()
    return (marked or text[:1] in "#/%;") and _HEADER.match(text) is not None


def mark(doc: Document) -> Document:
    """Mark each block of ``doc`` that is furniture as a whole, and the provenance header at the top of the file
    (however long its lines: a source path); the document, for chaining."""
    top = True
    for block in doc.blocks:
        top = top and block.cell is None and is_header(block.text, block.heading is not None)
        if top or is_furniture(block.text):
            block.furniture = True
    _keep_page_title(doc)
    return doc


_PAGE_TITLE = re.compile(r"^\s*标\s*题\s*[:：]\s*")
_REPORT_TITLE = re.compile(r"\d{4}\s*年[^。，；]{0,30}?政\s*府\s*信\s*息\s*公\s*开\s*(?:工\s*作\s*)?(?:年\s*度\s*)?报\s*告")
TITLE_WINDOW = 40  # blocks: where a report's title stands (menus and breadcrumbs before it)


def _keep_page_title(doc: Document) -> None:
    """A crawled page whose text has no title of its own: the crawler's 「标题: …」 line holds the report's title as
    the page showed it above the text — its value is the report's title, not furniture."""
    top = doc.blocks[:TITLE_WINDOW]
    if any(not b.furniture and _REPORT_TITLE.search(b.text) for b in top):
        return
    for b in top:
        m = _PAGE_TITLE.match(b.text)
        if b.furniture and m and not b.breaks and _REPORT_TITLE.search(b.text, m.end()):
            b.text, b.column, b.furniture = b.text[m.end():].rstrip(), b.column + m.end(), False
            return
