"""Colours for the text format on a terminal (rich is imported only here, only then)."""
from __future__ import annotations

import re

from ..rules import CODE

_HEAD = re.compile(rf"^(?P<loc>\S+?): (?P<code>{CODE})(?P<fix> \[\*\])?(?P<msg> .*)$")


def print_colored(text: str) -> None:
    from rich.console import Console
    from rich.text import Text
    console = Console(highlight=False, soft_wrap=True)
    for line in text.rstrip("\n").split("\n"):
        m = _HEAD.match(line)
        if m:
            t = Text()
            t.append(m.group("loc") + ": ", style="bold")
            t.append(m.group("code"), style="bold red")
            if m.group("fix"):
                t.append(m.group("fix"), style="cyan")
            t.append(m.group("msg"))
            console.print(t)
        elif line.strip().startswith("|") or re.match(r"^\s*\d+ \|", line):
            console.print(Text(line, style="red" if set(line.split("|", 1)[-1].strip()) <= {"^"} and "^" in line else ""))
        elif line.startswith("  = "):
            console.print(Text(line, style="cyan"))
        else:
            console.print(Text(line, style="bold" if line.startswith(("共发现", "全部通过")) else ""))
