"""GitHub Actions workflow commands: each diagnostic becomes an annotation on the pull request."""
from __future__ import annotations

from ..model import Diagnostic, FileResult, Severity
from ..rules import Rule
from . import printable

COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(text: str) -> str:
    """The message part (after "::"), escaped as GitHub's toolkit does; other control characters made visible,
    since the runner prints the annotation to the log."""
    return printable(text, keep="\r\n").replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A property value (file=…,title=…): additionally ":" and "," that would end the value."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _message(d: Diagnostic) -> str:
    # .docx and .pdf have no text lines GitHub can show, so say where in words as well
    loc = d.location
    where = [d.where(words=True)] if d.unit != "line" else []
    detail = loc.detail()
    if detail:
        where.append(detail)
    return d.message + (f"（{'，'.join(where)}）" if where else "")


def _line(d: Diagnostic) -> str:
    loc = d.location
    props = [("file", d.path), ("line", loc.line), ("col", loc.column)]
    if loc.end_line is not None:
        props.append(("endLine", loc.end_line))
    if loc.end_column is not None:
        props.append(("endColumn", loc.end_column))
    props.append(("title", d.code))
    head = ",".join(f"{key}={escape_property(str(value))}" for key, value in props)
    return f"::{COMMANDS[Severity(d.severity)]} {head}::{escape_data(_message(d))}"


def render(results: list[FileResult], rules: dict[str, Rule]) -> str:
    lines = []
    for r in results:
        if r.error:
            lines.append(f"::error file={escape_property(r.path)},title=gpalint::{escape_data(r.error)}")
        lines.extend(_line(d) for d in r.diagnostics)
    return "".join(line + "\n" for line in lines)
