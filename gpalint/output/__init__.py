"""Renderers: each turns the run's FileResults into one string (text, json, sarif, github, junit, html).

Report text and file names come from strangers: everything a terminal or a CI log shows goes through
``printable`` (control characters made visible, so an escape sequence cannot clear the screen or erase findings)
and paths through ``display_path`` (a line never starts with "::", which GitHub would run as a workflow command).
"""
from __future__ import annotations

import re

FORMATS = ("text", "json", "sarif", "github", "junit", "html")
# --output FILE without --format: the format its suffix names
SUFFIX_FORMATS = {".json": "json", ".sarif": "sarif", ".xml": "junit", ".html": "html", ".htm": "html"}
# the code of a file that could not be checked, in the outputs that list findings (JSON, SARIF, JUnit): not a rule
FILE_ERROR_CODE = "E000"

# C0 controls except tab, DEL, C1 controls, bidirectional overrides and isolates (they reorder what a reader sees),
# and lone surrogates (which cannot be encoded at all)
_UNPRINTABLE = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def _visible(char: str) -> str:
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str, keep: str = "") -> str:
    """``text`` with every control character shown as an escape (``\\x1b``, ``\\x0a``, ``\\u202e``); tabs and the
    characters in ``keep`` (that the caller escapes its own way) stay."""
    return _UNPRINTABLE.sub(lambda m: m.group() if m.group() in keep else _visible(m.group()), text)


def encodable(text: str) -> str:
    """``text`` with lone surrogates (from a damaged UTF-16 file) replaced by U+FFFD, so it can be written as UTF-8."""
    return _SURROGATE.sub("\ufffd", text)


def display_path(path: str) -> str:
    """A path as a line may start with it: printable, and "./" before a relative path that starts with "::" or
    blanks (GitHub's runner strips leading blanks before it looks for "::")."""
    shown = printable(path)
    if shown[:1].isspace() or shown.lstrip().startswith("::"):
        shown = "./" + shown
    return shown


def render(fmt: str, results, rules, **options) -> str:
    """The run in format ``fmt`` (one of FORMATS, each a module here); ``options`` are the text format's."""
    from importlib import import_module
    return import_module(f"{__name__}.{fmt}").render(results, rules, **options)
