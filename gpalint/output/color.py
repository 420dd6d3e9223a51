"""Colours for the text format on a terminal (rich is imported only here, only then): errors red, warnings
yellow, notes blue, so the serious findings stand out in a long list."""
from __future__ import annotations

import re

from ..model import Severity
from ..rules import CODE

_HEAD = re.compile(rf"^(?P<loc>.+?): (?P<sev>错误|警告|提示) (?P<code>{CODE})(?P<fix> \[\*\])?(?P<msg> .*)$")
STYLES = {Severity.ERROR.label: "bold red", Severity.WARNING.label: "bold yellow", Severity.INFO.label: "bold blue"}


def print_colored(text: str) -> None:
    from rich.console import Console
    from rich.text import Text
    console = Console(highlight=False, soft_wrap=True)
    style = ""
    for line in text.removesuffix("\n").split("\n"):  # a piece of the output: its blank lines are kept
        m = _HEAD.match(line)
        if m:
            style = STYLES[m.group("sev")]
            t = Text()
            t.append(m.group("loc") + ": ", style="bold")
            t.append(m.group("sev") + " " + m.group("code"), style=style)
            if m.group("fix"):
                t.append(m.group("fix"), style="cyan")
            t.append(m.group("msg"))
            console.print(t)
        elif line.strip().startswith("|") or re.match(r"^\s*\d+ \|", line):
            underline = set(line.split("|", 1)[-1].strip()) <= {"^"} and "^" in line
            console.print(Text(line, style=style.removeprefix("bold ") if underline else ""))
        elif line.startswith("  = "):
            console.print(Text(line, style="cyan"))
        else:
            console.print(Text(line, style="bold" if line.startswith(("共发现", "全部通过")) else ""))
