"""Load a template definition (rules/templates/*.toml) and tell which template a report follows.

Also home of label normalisation, used wherever report text is matched against template labels.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path

from ..rules import RULES_DIR
from ..tomlfile import RuleFileError, load_toml, save_cache

TEMPLATES_DIR = RULES_DIR / "templates"

_DROP = str.maketrans("", "", " \t\u3000\u00a0“”\"'‘’「」")
_NUMBERING = re.compile(r"^(?:[（(]?[一二三四五六七八九十]{1,3}[)）]|[一二三四五六七八九十]{1,3}[、.．,，]|"
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


@dataclass(slots=True, eq=False)
class TableSpec:
    key: str  # "二", "三", "四": the section it belongs to
    name: str
    layout: str  # "rows" or "header"
    columns: dict[str, Column]
    rows: dict[str, Row]
    headers: tuple[str, ...]
    relations: list[Relation]

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
    variants: tuple[str, ...] = ()
    table: str | None = None

    @property
    def heading(self) -> str:
        return f"{self.key}、{self.title}"


@dataclass(slots=True, eq=False)  # hashed by identity: compiled matchers are cached per template
class Template:
    version: str
    name: str
    first_year: int | None
    last_year: int | None
    signature: tuple[str, ...]
    sections: list[SectionSpec]
    tables: dict[str, TableSpec]
    path: Path
    _signature_norm: tuple[str, ...] = field(default=())


def _require(data: dict, key: str, kind, path: Path, where: str = ""):
    if key not in data:
        raise RuleFileError(path, f"{where}{key}", "缺少必填项")
    value = data[key]
    if not isinstance(value, kind):
        raise RuleFileError(path, f"{where}{key}", f"类型应为 {getattr(kind, '__name__', kind)}")
    return value


def _parse_table(key: str, data: dict, path: Path) -> TableSpec:
    where = f"tables.{key}."
    columns = {}
    for i, c in enumerate(_require(data, "columns", list, path, where)):
        ck = _require(c, "key", str, path, f"{where}columns[{i}].")
        columns[ck] = Column(ck, _require(c, "label", str, path, f"{where}columns[{i}]."), tuple(c.get("variants", ())),
                             bool(c.get("optional", False)))
    rows: dict[str, Row] = {}
    for i, r in enumerate(_require(data, "rows", list, path, where)):
        rk = _require(r, "key", str, path, f"{where}rows[{i}].")
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
        rows[rk] = Row(rk, _require(r, "label", str, path, f"{where}rows[{i}]."), tuple(r.get("variants", ())), cols,
                       bool(r.get("group", False)), values, r.get("unit"), parent if parent in rows else None)
    layout = data.get("layout", "rows")
    if layout not in ("rows", "header"):
        raise RuleFileError(path, f"{where}layout", "只能是 \"rows\" 或 \"header\"")
    spec = TableSpec(key, _require(data, "name", str, path, where), layout, columns, rows,
                     tuple(data.get("headers", ())), [])
    for i, rel in enumerate(data.get("relations", [])):
        w = f"{where}relations[{i}]."
        axis = _require(rel, "axis", str, path, w)
        if axis not in ("row", "column"):
            raise RuleFileError(path, w + "axis", "只能是 \"row\" 或 \"column\"")
        keys = rows if axis == "row" else columns
        total = _require(rel, "total", str, path, w)
        if total not in keys:
            raise RuleFileError(path, w + "total", f"未定义的{'行' if axis == 'row' else '列'}「{total}」")
        parts: list[tuple[int, str]] = []
        for p in _require(rel, "parts", list, path, w):
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
        spec.relations.append(Relation(_require(rel, "id", str, path, w), axis, total, tuple(parts),
                                       rel.get("note", ""), bool(rel.get("optional", False))))
    return spec


def parse_template(path: Path) -> Template:
    data = load_toml(path, cached=path.parent == TEMPLATES_DIR)
    sections = []
    for i, s in enumerate(_require(data, "sections", list, path)):
        sections.append(SectionSpec(_require(s, "key", str, path, f"sections[{i}]."),
                                    _require(s, "title", str, path, f"sections[{i}]."),
                                    tuple(s.get("variants", ())), s.get("table")))
    tables = {k: _parse_table(k, v, path) for k, v in _require(data, "tables", dict, path).items()}
    sig = tuple(data.get("signature", ()))
    return Template(str(_require(data, "version", str, path)), _require(data, "name", str, path),
                    data.get("first_year"), data.get("last_year"), sig, sections, tables, path,
                    tuple(norm(s) for s in sig))


@cache
def load_template(version: str, directory: Path = TEMPLATES_DIR) -> Template:
    path = directory / f"{version}.toml"
    if not path.exists():
        raise RuleFileError(path, "template", f"没有名为「{version}」的模板")
    template = parse_template(path)
    save_cache()
    return template


def available_templates(directory: Path = TEMPLATES_DIR) -> list[str]:
    return sorted(p.stem for p in directory.glob("*.toml"))


def detect_template(normalised_text: str, year: int | None, directory: Path = TEMPLATES_DIR) -> Template:
    """The template whose signature labels the report uses most; ties go to the one in force for ``year``, else to the
    newest."""
    return detect_template_hits(normalised_text, year, directory)[0]


def detect_template_hits(normalised_text: str, year: int | None,
                         directory: Path = TEMPLATES_DIR) -> tuple[Template, int]:
    """detect_template, and how many of the chosen template's own labels the report uses (0: chosen by year)."""
    best, best_score = None, (-1, -1, -1)
    for version in available_templates(directory):
        t = load_template(version, directory)
        hits = sum(1 for s in t._signature_norm if s in normalised_text)
        in_force = int(year is not None and (t.first_year or 0) <= year <= (t.last_year or 9999))
        score = (hits, in_force, t.first_year or 0)  # no labels and no year: the newest template
        if score > best_score:
            best, best_score = t, score
    assert best is not None, "rules/templates is empty"
    return best, best_score[0]
