"""Renderers: each turns the run's FileResults into one string (text, json, sarif, github, junit, html)."""
from __future__ import annotations

FORMATS = ("text", "json", "sarif", "github", "junit", "html")


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
