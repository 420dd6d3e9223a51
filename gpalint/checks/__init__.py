"""The generic check kinds. A rule file names one (``[check] kind = "…"``) and gives its parameters.

Each kind is a module with ``prepare(rule) -> params`` (validate and compile the rule's parameters once per run;
raise RuleFileError naming the key) and ``run(rule, params, report) -> Iterable[Diagnostic]``.
"""
from __future__ import annotations

from . import (
               compare,
               date_range,
               outline,
               paired_marks,
               pattern,
               reader_notes,
               required_text,
               sequence,
               signing_date,
               substitution,
               table,
               table_sum,
               template_year,
               unused_suppression,
)

KINDS = {
    "outline": outline,
    "table": table,
    "table-sum": table_sum,
    "required-text": required_text,
    "pattern": pattern,
    "date-range": date_range,
    "compare": compare,
    "substitution": substitution,
    "paired-marks": paired_marks,
    "sequence": sequence,
    "signing-date": signing_date,
    "reader-notes": reader_notes,
    "template-year": template_year,
    "unused-suppression": unused_suppression,  # run by the engine after the others (see gpalint/suppress.py)
}
