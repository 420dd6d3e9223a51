"""--annotate: Word copies with one comment per finding, anchored on the faulty text or cell; Word comments that
accept a finding (gpalint: ignore); Word locations a person can find."""
from __future__ import annotations

import json
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
from conftest import CORPUS, ROOT
from lxml import etree
from wordml import W_NS, para, run, write_docx

from gpalint.annotate import annotate_file, targets
from gpalint.cli import main
from gpalint.engine import Engine, Options
from gpalint.readers.docx import load, walk
from gpalint.rules import builtin_rules

ENGINE = Engine(builtin_rules())
W = f"{{{W_NS}}}"
FAULTY = ROOT / "examples" / "faulty-report.docx"
FIXTURES = ROOT / "tests" / "fixtures"  # edge cases: fields, list numbers, tracked changes, a comment of its own
WORD_FILES = [FAULTY, *sorted((CORPUS / "fixtures").glob("*.docx")),
              *(FIXTURES / f"{name}.docx" for name in ("edge_cases", "tracked_changes", "numbered_headings"))]


def anchored(path: Path) -> dict[str, str]:
    """Comment id → the text between its range start and end, read with lxml."""
    root = etree.fromstring(zipfile.ZipFile(path).read("word/document.xml"))
    open_: dict[str, list[str]] = {}
    out: dict[str, str] = {}
    for el in root.iter(f"{W}commentRangeStart", f"{W}commentRangeEnd", f"{W}t"):
        cid = el.get(f"{W}id")
        if el.tag == f"{W}commentRangeStart":
            open_[cid] = []
        elif el.tag == f"{W}commentRangeEnd":
            out[cid] = "".join(open_.pop(cid))
        else:
            for texts in open_.values():
                texts.append(el.text or "")
    return out


def faulty_text(path: Path, d) -> str:
    """What a finding is about, from a walk of the original: the typed characters of its span, or its cell."""
    body = walk(load(path.read_bytes(), str(path)))
    cells = {b.line: b for b in body.doc.blocks if b.cell is not None}
    loc = d.location
    if loc.line in cells:
        return "".join(t.text or "" for t in body.cells[cells[loc.line].cell].iter(f"{W}t"))
    found = body.locate(loc.line, loc.column - 1, (loc.end_column or loc.column) - 1)
    assert found is not None, d
    para_, s, e = found
    if s == e:
        s, e = (s, s + 1) if s < len(para_.text) else (s - 1, s)
    return "".join(para_.text[i] for i in range(s, e) if para_.sources.nodes[i] is not None)


def annotate(path: Path, out: Path, **options):
    return annotate_file(ENGINE, path, Options(**options), out / path.name)


@pytest.mark.parametrize("path", WORD_FILES, ids=lambda p: p.name)
def test_every_finding_is_a_comment_on_its_faulty_text(path, tmp_path):
    before = path.read_bytes()
    result = annotate(path, tmp_path)
    assert result.error is None and result.diagnostics
    assert path.read_bytes() == before  # the original is only read
    copy = Path(result.annotated)
    comments = [c for c in docx.Document(str(copy)).comments if c.author == "gpalint"]
    assert len(comments) == len(result.diagnostics)
    assert {c.initials for c in comments} == {"GL"}
    ranges = anchored(copy)
    for d, c in zip(result.diagnostics, sorted(comments, key=lambda c: c.comment_id)):
        assert c.text.startswith(f"{d.code} {d.message}")
        assert "http" not in c.text
        expected = faulty_text(path, d)
        if d.location.end_line in (None, d.location.line) and expected:
            assert ranges[str(c.comment_id)] == expected, d
    # the copy reads as the original: same text, same findings
    again = ENGINE.check_path(copy, Options())
    assert [(d.code, d.location.line, d.location.column) for d in again.diagnostics] == \
           [(d.code, d.location.line, d.location.column) for d in result.diagnostics]


def test_other_parts_are_copied_as_stored(tmp_path):
    result = annotate(FAULTY, tmp_path)
    old, new = zipfile.ZipFile(FAULTY), zipfile.ZipFile(result.annotated)
    changed = {"word/document.xml", "word/comments.xml", "word/_rels/document.xml.rels", "[Content_Types].xml"}
    assert set(new.namelist()) - set(old.namelist()) == {"word/comments.xml"}
    for info in old.infolist():
        if info.filename not in changed:
            assert new.getinfo(info.filename).CRC == info.CRC, info.filename
    assert b"wordprocessingml.comments+xml" in new.read("[Content_Types].xml")


def test_a_table_finding_is_anchored_on_its_cell(tmp_path):
    result = annotate(FAULTY, tmp_path, select=["T103"])
    (d,) = result.diagnostics
    assert d.location.cell == (2, 27, 10)
    assert list(anchored(Path(result.annotated)).values()) == ["5"]


def _split_report(tmp_path: Path) -> Path:
    """A paragraph whose G108 finding (half-width parentheses) sits inside runs formatted two ways."""
    text = para(run("本报告依据《条例》", "<w:b/>"), run("(国办公开办函〔2021〕", '<w:color w:val="FF0000"/>'),
                run("30号)编制。", "<w:i/>"))
    return write_docx(tmp_path / "split.docx", text)


def test_runs_are_split_at_the_span_and_keep_their_formatting(tmp_path):
    path = _split_report(tmp_path)
    result = annotate(path, tmp_path / "out", select=["G108"])
    assert len(result.diagnostics) == 1
    assert list(anchored(Path(result.annotated)).values()) == ["(国办公开办函〔2021〕30号)"]
    root = etree.fromstring(zipfile.ZipFile(result.annotated).read("word/document.xml"))
    p = next(p for p in root.iter(f"{W}p") if "国办" in "".join(p.itertext()))
    runs = [(r.findtext(f"{W}t"), etree.tostring(r.find(f"{W}rPr")) if r.find(f"{W}rPr") is not None else b"")
            for r in p.iter(f"{W}r") if r.find(f"{W}t") is not None]
    assert [t for t, _ in runs] == ["本报告依据《条例》", "(国办公开办函〔2021〕", "30号)", "编制。"]
    assert b"FF0000" in runs[1][1] and b"<w:i/>" in runs[2][1] and b"<w:i/>" in runs[3][1]
    tags = [etree.QName(el).localname for el in p]
    assert tags.index("commentRangeStart") < tags.index("commentRangeEnd")


def _with_comment(tmp_path: Path, name: str, body: str, comments: dict[int, str]) -> Path:
    """A .docx holding ``body`` and a comments part with the given id → text."""
    parts = "".join(f'<w:comment w:id="{i}" w:author="审核人"><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:comment>'
                    for i, text in comments.items())

    def extra(z: zipfile.ZipFile) -> None:
        z.writestr("word/comments.xml", f'<w:comments xmlns:w="{W_NS}">{parts}</w:comments>')
        z.writestr("word/_rels/document.xml.rels",
                   '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                   '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                   'relationships/comments" Target="comments.xml"/></Relationships>')

    made = write_docx(tmp_path / f"raw-{name}", body, members=[("word/comments.xml", extra)])
    with zipfile.ZipFile(made) as z:
        members = {i.filename: z.read(i) for i in z.infolist()}
    members["[Content_Types].xml"] = members["[Content_Types].xml"].replace(
        b"</Types>", b'<Override PartName="/word/comments.xml" ContentType="application/'
                     b'vnd.openxmlformats-officedocument.wordprocessingml.comments+xml"/></Types>')
    return _zip(tmp_path / name, members)


def _zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for name, data in members.items():
            out.writestr(name, data)
    return path


def _commented(cid: int, *runs: str) -> str:
    return (f'<w:p><w:commentRangeStart w:id="{cid}"/>{"".join(runs)}<w:commentRangeEnd w:id="{cid}"/>'
            f'<w:r><w:commentReference w:id="{cid}"/></w:r></w:p>')


def test_existing_comments_are_kept_and_ours_get_fresh_ids(tmp_path):
    body = _commented(3, run("本报告依据(国办公开办函〔2021〕30号)编制。"))
    path = _with_comment(tmp_path, "commented.docx", body, {3: "请核对文号"})
    result = annotate(path, tmp_path / "out", select=["G108"])
    comments = {c.comment_id: (c.author, c.text) for c in docx.Document(result.annotated).comments}
    assert comments[3] == ("审核人", "请核对文号")
    assert len(comments) == 1 + len(result.diagnostics) and min(set(comments) - {3}) == 4


def test_annotating_an_annotated_copy_replaces_our_comments_and_keeps_the_others(tmp_path):
    body = _commented(3, run("本报告依据(国办公开办函〔2021〕30号)编制。"))
    path = _with_comment(tmp_path, "commented.docx", body, {3: "请核对文号"})
    first = annotate(path, tmp_path / "once")
    again = annotate(Path(first.annotated), tmp_path / "twice")
    once = docx.Document(first.annotated).comments
    twice = docx.Document(again.annotated).comments
    assert len(list(twice)) == len(list(once)) == 1 + len(first.diagnostics) > 2
    assert sorted((c.author, c.text) for c in twice) == sorted((c.author, c.text) for c in once)
    ours = {c.comment_id for c in twice if c.author == "gpalint"}
    assert sorted(anchored(Path(again.annotated))[i] for i in map(str, ours)) == \
        sorted(anchored(Path(first.annotated))[str(c.comment_id)] for c in once if c.author == "gpalint")
    root = etree.fromstring(zipfile.ZipFile(again.annotated).read("word/document.xml"))
    marks = [el.get(f"{W}id") for el in root.iter(f"{W}commentReference")]
    assert len(marks) == len(set(marks)) == len(list(twice))  # no mark of a removed comment is left behind
    assert ("审核人", "请核对文号") in {(c.author, c.text) for c in twice}


def test_an_annotated_copy_of_a_now_clean_report_loses_our_comments(tmp_path):
    path = write_docx(tmp_path / "dirty.docx", para(run("本报告依据(国办公开办函〔2021〕30号)编制。")))
    first = annotate(path, tmp_path / "once", select=["G108"])
    assert [c.author for c in docx.Document(first.annotated).comments] == ["gpalint"]
    again = annotate(Path(first.annotated), tmp_path / "twice", select=["G116"])  # nothing G116 to say here
    assert again.diagnostics == [] and list(docx.Document(again.annotated).comments) == []


def test_a_word_comment_accepts_a_finding_there(tmp_path):
    body = _commented(0, run("本报告依据(国办公开办函〔2021〕30号)编制。"))
    path = _with_comment(tmp_path, "ignored.docx", body, {0: "gpalint: ignore G108 文号照原文引用"})
    codes = [d.code for d in ENGINE.check_path(path, Options(select=["G108", "M103"])).diagnostics]
    assert codes == []
    plain = write_docx(tmp_path / "plain.docx", para(run("本报告依据(国办公开办函〔2021〕30号)编制。")))
    assert [d.code for d in ENGINE.check_path(plain, Options(select=["G108", "M103"])).diagnostics] == ["G108"]


def test_an_unused_word_suppression_is_m103_and_a_reason_is_not_a_code(tmp_path):
    body = _commented(0, run("本年度工作平稳推进。"))
    path = _with_comment(tmp_path, "unused.docx", body, {0: "gpalint: ignore T103, G108 ok 已核实"})
    found = ENGINE.check_path(path, Options(select=["M103"])).diagnostics
    assert sorted(d.message for d in found) == ["忽略注释中的「G108」没有忽略任何问题，可以删除",
                                                "忽略注释中的「T103」没有忽略任何问题，可以删除"]
    assert {d.where() for d in found} == {f"{path}:¶3"}  # the commented paragraph, as a person counts


def test_an_ignore_comment_on_a_cell_suppresses_that_code_there(tmp_path):
    annotated = Path(annotate(FAULTY, tmp_path, select=["T103", "T105"]).annotated)
    # the reviewer turns our T103 comment into an acceptance, keeping the cell range
    z = zipfile.ZipFile(annotated)
    comments = etree.fromstring(z.read("word/comments.xml"))
    for c in comments.iter(f"{W}comment"):
        if "".join(c.itertext()).startswith("T103"):
            t = next(c.iter(f"{W}t"))
            t.text = "gpalint: ignore T103 已与原始台账核对"
            for extra in list(c.iter(f"{W}p"))[1:]:
                c.remove(extra)
    members = {i.filename: z.read(i) for i in z.infolist()}
    members["word/comments.xml"] = etree.tostring(comments)
    accepted = _zip(tmp_path / "accepted.docx", members)
    before = [d.code for d in ENGINE.check_path(annotated, Options(select=["T103", "T105", "M103"])).diagnostics]
    codes = [d.code for d in ENGINE.check_path(accepted, Options(select=["T103", "T105", "M103"])).diagnostics]
    # one wrong cell is one finding (T103, naming the T105 relation it also breaks): accepted on that cell, nothing
    # is left, and the acceptance was used (no M103)
    assert before == ["T103"] and codes == []


def test_word_locations_name_what_a_person_sees():
    found = {d.code: d for d in ENGINE.check_path(FAULTY, Options()).diagnostics}
    c101, t103 = found["C101"].location, found["T103"].location
    assert found["C101"].where() == f"{FAULTY}:¶7" and c101.paragraph == 7
    assert c101.section == "一、总体情况 › （二）依申请公开"
    assert c101.quote == "「…信息公开申请5件，均已按期…」"  # the faulty figure, not the paragraph start
    assert found["T103"].where() == f"{FAULTY}:表2第27行第10列"
    assert found["T103"].where(words=True) == "第2个表格第27行第10列"
    assert t103.section == "三、收到和处理政府信息公开申请情况" and t103.quote is None
    assert found["F101"].location.paragraph == 19  # 19 of the body's non-empty paragraphs, table cells not counted
    assert found["F101"].location.line > 300


def test_json_carries_the_word_location_fields(capsys):
    main(["check", "--format", "json", "--select", "C101,T103", "--no-progress", str(FAULTY)])
    entries = {e["code"]: e for e in json.loads(capsys.readouterr().out)}
    assert entries["C101"]["paragraph"] == 7 and entries["C101"]["quote"].startswith("「…")
    assert entries["C101"]["section"] == "一、总体情况 › （二）依申请公开"
    assert entries["T103"]["cell"] == {"table": 2, "row": 27, "column": 10}
    assert entries["T103"]["context"] == "表三 「（七）总计」行 「总计」列"


def test_copies_of_same_named_inputs_do_not_collide(tmp_path):
    a, b = tmp_path / "a" / "报告.docx", tmp_path / "b" / "报告.docx"
    assert targets(tmp_path / "out", [a, b, tmp_path / "x.pdf"]) == {
        a: tmp_path / "out" / "报告.docx", b: tmp_path / "out" / "报告（2）.docx"}
    a.parent.mkdir()
    shutil.copy(FAULTY, a)
    assert targets(a.parent, [a]) == {a: a.parent / "报告（2）.docx"}  # never the input itself


def test_cli_annotates_word_files_and_says_other_formats_are_only_checked(tmp_path, capsys):
    out = tmp_path / "批注"
    code = main(["check", "--annotate", str(out), "--no-progress", "-q", str(FAULTY),
                 str(ROOT / "examples" / "faulty-report.txt")])
    err = capsys.readouterr().err
    assert code == 1
    assert "--annotate 只适用于 Word 文档（.docx）" in err and "faulty-report.txt" in err
    assert sorted(p.name for p in out.iterdir()) == ["faulty-report.docx"]
    assert main(["check", "--annotate", str(out), "--fix", str(FAULTY)]) == 2


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_opens_the_copy_with_every_comment(tmp_path):
    result = annotate(FAULTY, tmp_path)
    options = '{"ExportNotes":{"type":"boolean","value":"true"},"ExportNotesInMargin":{"type":"boolean","value":"true"}}'
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path / 'lo'}",
                    "--convert-to", f"pdf:writer_pdf_Export:{options}", "--outdir", str(tmp_path),
                    result.annotated], check=True, capture_output=True, timeout=180)
    pdf = tmp_path / "faulty-report.pdf"
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser
    from pdfminer.pdftypes import resolve1
    notes = []
    with pdf.open("rb") as fh:
        for page in PDFPage.create_pages(PDFDocument(PDFParser(fh))):
            for annot in resolve1(page.annots) or []:
                annot = resolve1(annot)
                if annot.get("Contents"):
                    notes.append(annot["Contents"].decode("utf-16"))
    assert sorted(n.split()[0] for n in notes) == sorted(d.code for d in result.diagnostics)
    if shutil.which("pdftoppm"):
        subprocess.run(["pdftoppm", "-r", "60", "-png", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "page")],
                       check=True, capture_output=True, timeout=60)
        assert (tmp_path / "page-1.png").stat().st_size > 10_000


def test_a_message_naming_another_paragraph_counts_as_a_person_does(tmp_path):
    body = para(run("（一）主动公开")) + para(run("本年度主动公开信息10条。"))
    table = ('<w:tbl><w:tr><w:tc><w:p><w:r><w:t>单元格</w:t></w:r></w:p></w:tc></w:tr></w:tbl>')
    path = write_docx(tmp_path / "dup.docx", table + body + para(run("一、总体情况")) + body)
    (d,) = ENGINE.check_path(path, Options(select=["S103"])).diagnostics
    assert "首次出现在第2段" in d.message  # the table cell before it is not counted
    assert d.where() == f"{path}:¶5"


def test_copies_of_an_earlier_run_are_not_checked_again(tmp_path, capsys):
    reports = tmp_path / "reports"
    reports.mkdir()
    shutil.copy(FAULTY, reports / "faulty-report.docx")
    args = ["check", "--annotate", str(reports / "批注"), "--format", "json", "--no-progress", str(reports)]
    main(args)
    first = json.loads(capsys.readouterr().out)
    main(args)  # the folder walk now also finds 批注/faulty-report.docx
    second = json.loads(capsys.readouterr().out)
    assert {e["path"] for e in second} == {str(reports / "faulty-report.docx")} and len(second) == len(first)
    assert sorted(p.name for p in (reports / "批注").iterdir()) == ["faulty-report.docx"]
