"""kind = "unused-suppression": an inline ``<!-- gpalint: ignore CODE -->`` that suppressed nothing.

The engine applies suppressions after every other rule has run and then reports the unused ones with this rule's
message (field {code}); the kind itself has no parameters and finds nothing on its own.
"""
from __future__ import annotations

from ..model import Diagnostic
from ..rules import Rule
from .base import CheckKind, Context, no_params


def run(rule: Rule, params: None, context: Context) -> tuple[Diagnostic, ...]:
    return ()


KIND = CheckKind("unused-suppression", no_params, run, ("code",), "没有忽略任何问题的行内忽略注释",
                 builtin=True)
