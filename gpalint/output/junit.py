"""JUnit XML, for CI systems that show test reports (GitLab, Jenkins, Azure): each finding is one failed test case
(classname the file, name the code and where), so a viewer that shows one failure per case shows them all; a file
without findings is one passed case, a file that could not be checked one case with an error."""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from ..model import Diagnostic, FileResult
from ..rules import Rule
from . import FILE_ERROR_CODE

# characters XML 1.0 forbids; text pulled out of PDFs sometimes carries them, and one would make the report unreadable
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _clean(text: str) -> str:
    return _INVALID_XML.sub("\ufffd", text)


def _failure_text(d: Diagnostic) -> str:
    lines = [f"{d.where()}: {d.code} {d.message}"]
    detail = d.location.detail()
    if detail:
        lines.append(f"位置：{detail}")
    if d.hint:
        lines.append(f"提示：{d.hint}")
    if d.fix is not None:
        lines.append(f"可修复（{d.fix.applicability.value}）：{d.fix.message}")
    return "\n".join(lines)


def render(results: list[FileResult], rules: dict[str, Rule]) -> str:
    failures = sum(len(r.diagnostics) for r in results)
    errors = sum(1 for r in results if r.error)
    tests = sum(len(r.diagnostics) or 1 for r in results)
    counts = {"tests": str(tests), "failures": str(failures), "errors": str(errors)}
    root = ET.Element("testsuites", {"name": "gpalint", **counts})
    suite = ET.SubElement(root, "testsuite", {"name": "gpalint", "skipped": "0", **counts})
    for r in results:
        path = _clean(r.path)
        if r.error or not r.diagnostics:
            case = ET.SubElement(suite, "testcase", classname=path, name="gpalint", file=path)
            if r.error:
                ET.SubElement(case, "error", message=_clean(r.error), type=FILE_ERROR_CODE).text = _clean(r.error)
        for d in r.diagnostics:
            case = ET.SubElement(suite, "testcase", classname=path, name=_clean(f"{d.code} {d.where(words=True)}"),
                                 file=path)
            failure = ET.SubElement(case, "failure", message=_clean(f"{d.code} {d.message}"), type=d.code)
            failure.text = _clean(_failure_text(d))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
