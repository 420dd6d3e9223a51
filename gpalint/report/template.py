"""Load a template definition (rules/templates/*.toml) and tell which template a report follows.

Also home of label normalisation, used wherever report text is matched against template labels.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path

from ..cjk import NUMERAL, expand_han
from ..rules import TEMPLATES_DIR
from ..tomlfile import RuleFileError, load_toml, require, save_cache

_DROP = str.maketrans("", "", " \t\u3000\u00a0“”\"'‘’「」")
_NUMBERING = re.compile(rf"^(?:[（(]?{NUMERAL}{{1,3}}[)）]|{NUMERAL}{{1,3}}[、.．,，]|"
                        r"[（(]\d{1,2}[)）]|\d{1,2}[.．、,，](?!\d))")


@lru_cache(maxsize=8192)
def norm(text: str) -> str:
    """Fold width, drop whitespace and quotes: the form labels are compared in (never shown to users)."""
    return unicodedata.normalize("NFKC", text).translate(_DROP)


def split_numbering(text: str) -> tuple[str, str]:
    """('（三）', '不予公开') from '（三）不予公开', on the normalised text."""
    n = norm(text)
    m = _NUMBERING.match(n)
    if not m:
        return "", n
    return m.group(0), n[m.end():]


@dataclass(frozen=True, slots=True)
class Column:
    key: str
    label: str
    variants: tuple[str, ...] = ()
    optional: bool = False  # not in the template, but some reports add it (表三 小计): used only when the header has it


@dataclass(frozen=True, slots=True)
class Row:
    key: str
    label: str
    variants: tuple[str, ...] = ()
    columns: tuple[str, ...] = ()  # keys of the columns this row has values in
    group: bool = False  # a heading row: blank in the template, its value is the sum of its sub-rows
    values: tuple[str, ...] = ()  # per column: "int" (≥ 0), "signed" (本年增/减) or "amount" (a sum of money)
    unit: str | None = None
    parent: str | None = None

    def kind(self, column: str) -> str:
        return self.values[self.columns.index(column)] if column in self.columns and self.values else "int"

    @property
    def numbering(self) -> str:
        return split_numbering(self.label)[0]

    @property
    def core(self) -> str:
        return split_numbering(self.label)[1]


@dataclass(frozen=True, slots=True)
class Relation:
    id: str
    axis: str  # "row": total and parts are rows, checked per column; "column": the other way round
    total: str
    parts: tuple[tuple[int, str], ...]  # (sign, key); keys already expanded
    note: str = ""
    optional: bool = False


@dataclass(frozen=True, slots=True)
class Stated:
    """A sentence that states a cell's value in the narrative (「本年度制发规范性文件34件」): the pattern's group n,
    found in section ``scope``. Used only to choose among the readings of digits glued together (recovery.py)."""

    row: str
    column: str
    scope: str
    pattern: re.Pattern[str]


@dataclass(slots=True, eq=False)
class TableSpec:
    key: str  # "二", "三", "四": the section it belongs to
    name: str
    layout: str  # "rows" or "header"
    columns: dict[str, Column]
    rows: dict[str, Row]
    headers: tuple[str, ...]
    relations: list[Relation]
    stated: list[Stated] = field(default_factory=list)

    @property
    def title(self) -> str:
        return f"表{self.key}"

    @property
    def total_columns(self) -> set[str]:
        return {r.total for r in self.relations if r.axis == "column"}

    def row_label(self, key: str) -> str:
        row = self.rows[key]
        if self.layout == "header":
            return ""
        if row.parent and self.rows[row.parent].group and row.parent.count(".") > 0:
            return f"{self.rows[row.parent].label}{row.label}"
        return row.label

    def children(self, key: str) -> list[str]:
        prefix = key + "."
        return [k for k in self.rows if k.startswith(prefix) and k.count(".") == key.count(".") + 1]


@dataclass(frozen=True, slots=True)
class SectionSpec:
    key: str
    title: str
    variants: tuple[str, ...] = ()  # wordings recognised as this section, yet not the template's (S105 says so)
    table: str | None = None
    # wordings as right as the title: the 条例 第五十条's own words for the item, which a report may head it with
    statutory: tuple[str, ...] = ()

    @property
    def heading(self) -> str:
        return f"{self.key}、{self.title}"

    @property
    def right(self) -> tuple[str, ...]:
        """The title and the statutory wordings: each is the section's heading as it should be."""
        return (self.title, *self.statutory)


@dataclass(frozen=True, slots=True)
class Label:
    """A template label, as looked for in a report's normalised text."""

    forms: frozenset[str]  # normalised: the label and its variants
    row: bool = False  # a table row label: it counts only with a number after it (prose names the same things)

    def pattern(self) -> str:
        forms = "|".join(re.escape(f) for f in sorted(self.forms, key=len, reverse=True))
        return f"(?:{forms})" + (r"(?=[+-]?\d)" if self.row else "")


@dataclass(slots=True, eq=False)  # hashed by identity: compiled matchers are cached per template
class Template:
    version: str
    name: str
    first_year: int | None
    last_year: int | None
    sections: list[SectionSpec]
    tables: dict[str, TableSpec]
    path: Path

    @property
    def labels(self) -> list[Label]:
        """Each label of the template's sections and tables: headings with their number (七、政务新媒体建设情况),
        row labels without theirs, column labels and headers; each with its variants."""
        out = [Label(frozenset(norm(f"{s.key}、{t}") for t in (*s.right, *s.variants))) for s in self.sections]
        for table in self.tables.values():
            out += [Label(frozenset(split_numbering(f)[1] for f in (r.label, *r.variants) if f), row=True)
                    for r in table.rows.values()]
            out += [Label(frozenset(norm(f) for f in (c.label, *c.variants))) for c in table.columns.values()]
            out += [Label(frozenset((norm(h),))) for h in table.headers]
        return out

    def in_force(self, year: int | None) -> bool:
        return year is not None and (self.first_year or 0) <= year <= (self.last_year or 9999)


def _parse_table(key: str, data: dict, path: Path) -> TableSpec:
    where = f"tables.{key}."
    columns = {}
    for i, c in enumerate(require(data, "columns", list, path, where)):
        ck = require(c, "key", str, path, f"{where}columns[{i}].")
        columns[ck] = Column(ck, require(c, "label", str, path, f"{where}columns[{i}]."), tuple(c.get("variants", ())),
                             bool(c.get("optional", False)))
    rows: dict[str, Row] = {}
    for i, r in enumerate(require(data, "rows", list, path, where)):
        rk = require(r, "key", str, path, f"{where}rows[{i}].")
        cols = tuple(r.get("columns", [] if r.get("group") else list(columns)))
        for ck in cols:
            if ck not in columns:
                raise RuleFileError(path, f"{where}rows[{i}].columns", f"未定义的列「{ck}」")
        parent = rk.rsplit(".", 1)[0] if "." in rk else None
        value = r.get("value", "int")
        values = tuple(value) if isinstance(value, list) else (value,) * len(cols)
        if len(values) != len(cols) or any(v not in ("int", "signed", "amount") for v in values):
            raise RuleFileError(path, f"{where}rows[{i}].value",
                                "只能是 \"int\"、\"signed\"、\"amount\" 之一，或与 columns 等长的列表")
        rows[rk] = Row(rk, require(r, "label", str, path, f"{where}rows[{i}]."), tuple(r.get("variants", ())), cols,
                       bool(r.get("group", False)), values, r.get("unit"), parent if parent in rows else None)
    layout = data.get("layout", "rows")
    if layout not in ("rows", "header"):
        raise RuleFileError(path, f"{where}layout", "只能是 \"rows\" 或 \"header\"")
    spec = TableSpec(key, require(data, "name", str, path, where), layout, columns, rows,
                     tuple(data.get("headers", ())), [])
    for i, rel in enumerate(data.get("relations", [])):
        w = f"{where}relations[{i}]."
        axis = require(rel, "axis", str, path, w)
        if axis not in ("row", "column"):
            raise RuleFileError(path, w + "axis", "只能是 \"row\" 或 \"column\"")
        keys = rows if axis == "row" else columns
        total = require(rel, "total", str, path, w)
        if total not in keys:
            raise RuleFileError(path, w + "total", f"未定义的{'行' if axis == 'row' else '列'}「{total}」")
        parts: list[tuple[int, str]] = []
        for p in require(rel, "parts", list, path, w):
            sign, name = (-1, p[1:]) if p.startswith("-") else (1, p)
            if name.endswith(".*"):
                base = name[:-2]
                kids = spec.children(base) if axis == "row" else []
                expanded = kids or [base]
            else:
                expanded = [name]
            for k in expanded:
                if k not in keys:
                    raise RuleFileError(path, w + "parts", f"未定义的{'行' if axis == 'row' else '列'}「{k}」")
                parts.append((sign, k))
        spec.relations.append(Relation(require(rel, "id", str, path, w), axis, total, tuple(parts),
                                       rel.get("note", ""), bool(rel.get("optional", False))))
    for i, st in enumerate(data.get("stated", [])):
        w = f"{where}stated[{i}]."
        row, _, column = require(st, "cell", str, path, w).partition("/")
        if row not in rows or column not in rows[row].columns:
            raise RuleFileError(path, w + "cell", f"表中没有「{row}/{column}」这一格（应写成 行/列）")
        try:
            pattern = re.compile(expand_han(require(st, "pattern", str, path, w)))
        except re.error as exc:
            raise RuleFileError(path, w + "pattern", f"正则表达式有误：{exc}") from None
        if "n" not in pattern.groupindex:
            raise RuleFileError(path, w + "pattern", "应有命名分组 (?P<n>…)：所说的件数")
        spec.stated.append(Stated(row, column, st.get("scope", "一"), pattern))
    return spec


_TOP_KEYS = ("version", "name", "first_year", "last_year", "sections", "tables")
_SECTION_KEY = re.compile(r"^[一二三四五六七八九十]{1,3}$")
MIN_DISTINGUISHING = 4  # characters: a shorter label (其他, 小计) turns up in any report's prose


def parse_template(path: Path, cached: bool = False) -> Template:
    data = load_toml(path, cached=cached)
    unknown = sorted(set(data) - set(_TOP_KEYS))
    if unknown:
        raise RuleFileError(path, unknown[0], f"不是模板文件的键；可用的键：{'、'.join(_TOP_KEYS)}")
    sections: list[SectionSpec] = []
    for i, s in enumerate(require(data, "sections", list, path)):
        key = require(s, "key", str, path, f"sections[{i}].")
        if not _SECTION_KEY.match(key):
            raise RuleFileError(path, f"sections[{i}].key", "应为章节的汉字序号，如 \"一\"、\"七\"")
        if any(key == other.key for other in sections):
            raise RuleFileError(path, f"sections[{i}].key", f"章节「{key}」重复")
        sections.append(SectionSpec(key, require(s, "title", str, path, f"sections[{i}]."),
                                    tuple(s.get("variants", ())), s.get("table"), tuple(s.get("statutory", ()))))
    tables = {k: _parse_table(k, v, path) for k, v in require(data, "tables", dict, path).items()}
    for k in tables:
        if not any(k == s.key for s in sections):  # a table is read from its section
            raise RuleFileError(path, f"tables.{k}", f"表格的键应为它所在章节的序号；模板中没有章节「{k}」")
    return Template(str(require(data, "version", str, path)), require(data, "name", str, path),
                    data.get("first_year"), data.get("last_year"), sections, tables, path)


class Templates:
    """The templates one run knows — the built-in ones and the configuration's ``extra-templates`` — and what tells
    them apart.

    A template's distinguishing labels are derived from the label sets of all of them: its labels that some other
    template lacks (a label another template contains as part of a longer label, 处理决定数量 in
    本年处理决定数量, does not count: a report of that template contains it too). A report follows the template
    that lacks the fewest of the distinguishing labels the report uses, and among those the one whose own
    distinguishing labels it uses the largest share of. So a newer template that adds a few labels to an older one
    is told apart from it both ways: a report of the newer one uses labels the older one lacks (even when it
    leaves out a new section), a report of the older one misses a share of the newer one's labels.
    """

    def __init__(self, templates: list[Template]):
        self.by_version = {t.version: t for t in sorted(templates, key=lambda t: t.version)}
        # in order of first appearance: 一 … 六 of the built-in templates, then any further ones (七 …)
        self.section_keys = tuple(dict.fromkeys(s.key for t in self.by_version.values() for s in t.sections))
        forms = {t.version: [f for label in t.labels for f in label.forms] for t in self}
        self.distinguishing = {t.version: _distinguishing(t, [forms[o.version] for o in self if o is not t])
                               for t in self}
        self._all = list(dict.fromkeys(label for labels in self.distinguishing.values() for label in labels))
        self._finders = [re.compile(label.pattern()) for label in self._all]
        self._lacks = {t.version: {label for label in self._all if not _has(forms[t.version], label)} for t in self}

    def __iter__(self) -> Iterator[Template]:
        return iter(self.by_version.values())

    def get(self, version: str) -> Template:
        template = self.by_version.get(version)
        if template is None:
            raise RuleFileError(TEMPLATES_DIR, "template",
                                f"没有名为「{version}」的模板；可用：{'、'.join(self.by_version)}")
        return template

    def detect(self, normalised_text: str, year: int | None) -> tuple[Template, int]:
        """The template the report's labels point to (see the class), and how many of its distinguishing labels
        the report uses (0: chosen by ``year`` alone). Ties go to the template in force for ``year`` (the newest);
        with no year at all, to the newest template."""
        used = {label for label, finder in zip(self._all, self._finders) if finder.search(normalised_text)}
        best: Template | None = None
        best_score: tuple[int, float, int, int] = (-(1 << 30), -1.0, -1, -1)
        for t in self:
            own = self.distinguishing[t.version]
            found = sum(1 for label in own if label in used)
            lacked = len(used & self._lacks[t.version])
            in_force = (t.first_year or 0) if year is None or t.in_force(year) else -1
            score = (-lacked, found / len(own) if own else 0.0, found, in_force)
            if score > best_score:
                best, best_score = t, score
        assert best is not None, "rules/templates is empty"
        return best, best_score[2]


def _distinguishing(template: Template, others: list[list[str]]) -> list[Label]:
    """The labels of ``template`` that at least one of the other templates (their label forms) does not have."""
    out: list[Label] = []
    for label in template.labels:
        forms = frozenset(f for f in label.forms if len(f) >= MIN_DISTINGUISHING)
        if forms and any(not _has(o, Label(forms)) for o in others) and Label(forms, label.row) not in out:
            out.append(Label(forms, label.row))
    return out


def _has(forms: list[str], label: Label) -> bool:
    """Whether a report of the template with label ``forms`` contains ``label``: one of its forms is (part of)
    one of them."""
    return any(f in g for f in label.forms for g in forms)


@cache
def load_templates(extra: tuple[Path, ...] = ()) -> Templates:
    """The built-in templates and those of the ``extra`` folders; a version may be defined only once."""
    templates: dict[str, Template] = {}
    for directory in (TEMPLATES_DIR, *extra):
        if not directory.is_dir():
            raise RuleFileError(directory, "extra-templates", "不是一个目录")
        for path in sorted(directory.glob("*.toml")):
            t = parse_template(path, cached=directory == TEMPLATES_DIR)
            if t.version in templates:
                raise RuleFileError(path, "version", f"模板「{t.version}」与 {templates[t.version].path} 重复")
            templates[t.version] = t
    save_cache()
    return Templates(list(templates.values()))
