"""Report: a Document understood — which template, the title and year, the sections, the three tables.

The Report holds its own block list: the reader's blocks, with long ones (a whole report pasted as one line) cut
at the section headings inside them. The Document stays as the reader returned it, for whatever maps back to the
source (the fixer); every block of the Report still locates its text in the source exactly.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import PurePath

from ..document import Block, Document
from ..model import NotAReport
from .outline import TITLE_WINDOW, Outline, breaks_off, build_outline, segment
from .tables import Table, recover_tables
from .template import Template, Templates, load_templates, norm


@dataclass(slots=True)
class Report:
    doc: Document  # as the reader returned it
    blocks: list[Block]  # the Report's own segmentation of doc.blocks; outline and table indices point here
    template: Template
    outline: Outline
    tables: dict[str, Table]
    year: int | None  # the report year: the title's, else the configured one
    normalised: str = ""  # whole text, normalised, for cheap searches
    template_evidence: int = 0  # distinguishing labels of the detected template the report uses (0: chosen or by year)
    cut: bool = False  # the text stops in mid-course (outline.breaks_off): the file was cut short


def analyse(doc: Document, template: str = "auto", year: int | None = None,
            templates: Templates | None = None) -> Report:
    """Understand ``doc`` by ``template`` (a version, or "auto": detect it among ``templates``, by default the
    built-in ones)."""
    if doc.format in ("text", "markdown") and _PROJECT_FILE.search(PurePath(doc.path).stem):
        raise NotAReport(f"这不像是政府信息公开工作年度报告：{PurePath(doc.path).name} 是项目的说明文件（README、CHANGELOG 之类）")
    templates = templates or load_templates()
    normalised = norm("".join(b.text for b in doc.blocks))
    evidence = 0
    if template == "auto":
        # the year the template was in force: the title's, the given one, else the 统计期限 statement's
        tpl, evidence = templates.detect(normalised, _quick_year(doc) or year or _statement_year(normalised))
    else:
        tpl = templates.get(template)
    blocks = segment(doc.blocks, tpl)
    outline = build_outline(blocks, tpl)
    cut = breaks_off(blocks, outline, tpl)
    tables = recover_tables(blocks, doc.format, outline, tpl, cut)
    report_year = outline.title.year if outline.title and outline.title.year else year
    if report_year is None:  # no year in the title: the 统计期限 statement's, as the rules' year of reference
        report_year = _statement_year(normalised)
    if not outline.headings and not any(t.found for t in tables.values()) and "政府信息公开" not in normalised:
        raise NotAReport("这不像是政府信息公开工作年度报告：没有找到任何规定章节、表格或“政府信息公开”字样")
    return Report(doc, blocks, tpl, outline, tables, report_year, normalised, evidence, cut)


# the files a repository or a folder of reports keeps beside them (UPSTREAM-README.md, CHANGELOG.md …)
_PROJECT_FILE = re.compile(r"(?:^|[-_. ])(?:readme|changelog|changes|history|contributing|license|licence|copying|authors"
                           r"|contributors|code_of_conduct|security|support|notice|todo)$", re.IGNORECASE)
_STATEMENT_YEAR = re.compile(r"统计(?:期限|时限|时间)[^。；\d]{0,12}?(\d{4})年")


def _quick_year(doc: Document) -> int | None:
    for b in doc.blocks[:TITLE_WINDOW]:
        m = re.search(r"(\d{4})\s*年\s*度?\s*政府信息公开", b.text)
        if m:
            return int(m.group(1))
    return None


def _statement_year(normalised: str) -> int | None:
    m = _STATEMENT_YEAR.search(normalised)
    return int(m.group(1)) if m else None
