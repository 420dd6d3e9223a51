"""The generic check kinds. A rule file names one (``[check] kind = "…"``) and gives its parameters.

Each kind is a module with a parameters class (``Params``), ``prepare(rule) -> Params`` (read and validate the
rule's [check] table once per run, raising RuleFileError naming the file and key), ``run(rule, params, context)``
yielding Diagnostics, and ``KIND``, the base.CheckKind that ties them together with the kind's message fields.
"""
from __future__ import annotations

from typing import Any

from . import (
    compare,
    copied_text,
    date_range,
    outline,
    paired_marks,
    pattern,
    previous_year,
    reader_notes,
    required_text,
    sequence,
    share,
    signing_date,
    stated_list,
    substitution,
    table,
    table_sum,
    template_year,
    unused_suppression,
)
from .base import CheckKind

KINDS: dict[str, CheckKind[Any]] = {kind.name: kind for kind in (
    outline.KIND, table.KIND, table_sum.KIND, required_text.KIND, pattern.KIND, date_range.KIND, compare.KIND,
    substitution.KIND, paired_marks.KIND, sequence.KIND, signing_date.KIND, stated_list.KIND, share.KIND, reader_notes.KIND, template_year.KIND,
    previous_year.KIND, copied_text.KIND,  # pair kinds: run after the batch (gpalint/years.py)
    unused_suppression.KIND,  # run by the engine after the others (see gpalint/suppress.py)
)}
