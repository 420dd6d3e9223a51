"""One wording of a location, in every output and in messages (Location.where)."""
from __future__ import annotations

from conftest import ROOT

from gpalint.document import Block, Document
from gpalint.engine import Engine, Options
from gpalint.model import Diagnostic, Location, Severity
from gpalint.report import analyse
from gpalint.rules import builtin_rules

ENGINE = Engine(builtin_rules())
CLEAN = ROOT / "examples" / "clean-report.txt"


def test_one_wording_per_kind_of_file():
    text, word, pdf = Location(13, 19), Location(61), Location(12, 3, page=3)
    assert [text.where("a.txt"), word.where("a.docx"), pdf.where("a.pdf")] == ["a.txt:13:19", "a.docx:¶61",
                                                                                "a.pdf:第3页:12"]
    assert [text.where("a.txt", True), word.where("A.DOCX", True), pdf.where("a.pdf", True)] == [
        "第13行第19列", "第61段", "第3页第12行"]
    d = Diagnostic("T103", Severity.ERROR, "m", "a.docx", word)
    assert d.where() == "a.docx:¶61" and d.where(words=True) == "第61段" and d.unit == "paragraph"


def _duplicated_section_five(path: str, fmt: str) -> list[str]:
    lines = CLEAN.read_text(encoding="utf-8").splitlines()
    five = lines.index("五、存在的主要问题及改进情况")
    lines[five + 2:five + 2] = ["五、存在的主要问题及改进情况", "无。"]
    doc = Document(path, fmt, [Block(t, i) for i, t in enumerate(lines, 1) if t.strip()])
    return [d.message for d in ENGINE.check_report(analyse(doc), Options(select=["S103"]))]


def test_a_message_names_the_first_heading_as_the_outputs_would():
    assert _duplicated_section_five("r.txt", "text") == [
        "第五部分「五、存在的主要问题及改进情况」重复出现（首次出现在第79行第1列）"]
    assert _duplicated_section_five("r.docx", "docx") == [
        "第五部分「五、存在的主要问题及改进情况」重复出现（首次出现在第79段）"]  # a paragraph, not a line
