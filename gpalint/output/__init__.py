"""Renderers: each turns the run's FileResults into one string (text, json, sarif, github, junit, html)."""
from __future__ import annotations

from pathlib import Path

from ..model import Location

FORMATS = ("text", "json", "sarif", "github", "junit", "html")


def where(path: str, loc: Location) -> str:
    """How a clerk finds the spot: path:line:col for text, ¶paragraph for Word, page and line for PDF."""
    suffix = Path(path).suffix.lower()
    if suffix == ".docx":
        return f"{path}:¶{loc.line}"
    if loc.page is not None:
        return f"{path}:第{loc.page}页:{loc.line}"
    return f"{path}:{loc.line}:{loc.column}"


def render(fmt: str, results, rules, **options) -> str:
    if fmt == "text":
        from .text import render as r
        return r(results, rules, **options)
    if fmt == "json":
        from .json import render as r
    elif fmt == "sarif":
        from .sarif import render as r
    elif fmt == "github":
        from .github import render as r
    elif fmt == "junit":
        from .junit import render as r
    else:
        from .html import render as r
    return r(results, rules)
