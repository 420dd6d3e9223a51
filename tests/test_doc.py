""".doc and .wps reports: converted to .docx by LibreOffice, they give the findings of the .docx they were made from.

The .doc files are made here from the Word fixtures by LibreOffice itself (one soffice run for all five); the tests
that convert need LibreOffice and are skipped without it. The messages for a machine without LibreOffice are tested
everywhere."""
from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections import Counter
from pathlib import Path

import pytest
from conftest import CORPUS, need_corpus

from gpalint import fix
from gpalint.cli import main
from gpalint.engine import Engine, Options
from gpalint.model import InputError
from gpalint.readers import doc as doc_reader
from gpalint.readers import read
from gpalint.report import analyse
from gpalint.rules import builtin_rules

ENGINE = Engine(builtin_rules())
NEEDS_SOFFICE = pytest.mark.skipif(doc_reader.soffice() is None, reason="LibreOffice (soffice) is not installed")
NOTE = "经 LibreOffice 转换后检查：段落号和单元格位置按转换结果计数，一般与在 Word/WPS 中打开本文件所见的段落和表格一致，个别可能不同"


def docx_fixtures() -> list[Path]:
    need_corpus()
    return sorted((CORPUS / "fixtures").glob("*.docx"))


@pytest.fixture(scope="module")
def made(tmp_path_factory) -> dict[str, Path]:
    """stem → the .doc LibreOffice saves the fixture .docx as (Word 97–2003)."""
    out = tmp_path_factory.mktemp("doc")
    profile = (out / "profile").as_uri()
    subprocess.run([doc_reader.soffice(), f"-env:UserInstallation={profile}", "--headless", "--norestore",
                    "--convert-to", "doc:MS Word 97", "--outdir", str(out), *map(str, docx_fixtures())],
                   capture_output=True, timeout=300, check=True)
    return {p.stem: out / f"{p.stem}.doc" for p in docx_fixtures()}


def findings(doc) -> Counter:
    _, diags = ENGINE.check_document(doc, Options(ignore=["M117"]))  # M117: the .doc's conversion note
    return Counter((d.code, d.message, d.location.where(doc.path).split(":", 1)[1]) for d in diags)


def tables(doc) -> dict:
    return {(k, r, c): v.value for k, t in analyse(doc).tables.items() for (r, c), v in t.cells.items()}


@NEEDS_SOFFICE
@pytest.mark.parametrize("stem", [p.stem for p in docx_fixtures()])
def test_a_doc_gives_the_findings_of_its_docx(made, stem):
    docx = read(CORPUS / "fixtures" / f"{stem}.docx")
    doc = read(made[stem])
    assert doc.path == str(made[stem]) and doc.format == "docx"
    assert [n for n, _ in doc.conversion_notes] == [f"本文件（.doc）{NOTE}"] and not doc.notes  # once, for the file
    assert tables(doc) == tables(docx)
    assert findings(doc) == findings(docx)


@NEEDS_SOFFICE
def test_a_wps_file_is_read_as_libreoffice_reads_it(made, tmp_path):
    # WPS Writer saves Word 97–2003 data under .wps by default; LibreOffice tells the format by the content
    stem = docx_fixtures()[1].stem
    wps = tmp_path / "报告.wps"
    shutil.copyfile(made[stem], wps)
    doc = read(wps)
    assert doc.conversion_notes[0][0] == f"本文件（.wps）{NOTE}"
    assert findings(doc) == findings(read(CORPUS / "fixtures" / f"{stem}.docx"))


def private_tmp(tmp_path: Path, monkeypatch) -> None:
    """A temporary folder of the test's own, so that another process's gpalint-doc-* folders in /tmp (a run beside
    this one) are not taken for ones this test left."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))


@NEEDS_SOFFICE
def test_a_broken_doc_is_one_chinese_line_and_the_others_are_checked(made, tmp_path, capsys, monkeypatch):
    not_word = tmp_path / "乱码.doc"
    not_word.write_bytes(b"\x00\x01garbage" * 500)
    broken = tmp_path / "坏.doc"
    broken.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00garbage" * 500)  # an OLE header, then nothing
    good = tmp_path / "好.doc"
    shutil.copyfile(made[docx_fixtures()[1].stem], good)
    private_tmp(tmp_path, monkeypatch)
    before = set(Path(tempfile.gettempdir()).glob("gpalint-doc-*"))
    code = main(["check", "-j", "1", str(not_word), str(broken), str(good)])
    out, err = capsys.readouterr()
    assert code == 2 and "共检查 1 个" in out and "另有 2 个文件无法检查" in out
    assert out.count(f"{good}:¶1: 提示 M117 本文件（.doc）{NOTE}") == 1 and f"{good}:¶19: " in out  # once; ¶ as Word
    lines = err.strip().splitlines()
    assert lines[0] == f"{not_word}: 错误：不是有效的 Word 97-2003 或 WPS 文档（.doc）：文件开头没有这类文件的标记"
    assert len(lines) == 2 and lines[1].startswith(f"{broken}: 错误：")  # what LibreOffice made of it, in one line
    assert set(Path(tempfile.gettempdir()).glob("gpalint-doc-*")) <= before  # the private directories are gone


@NEEDS_SOFFICE
def test_a_conversion_past_the_time_limit_is_stopped(made, monkeypatch, tmp_path):
    monkeypatch.setattr(doc_reader, "TIMEOUT", 0.05)
    private_tmp(tmp_path, monkeypatch)
    before = set(Path(tempfile.gettempdir()).glob("gpalint-doc-*"))
    with pytest.raises(InputError, match=r"LibreOffice 转换该文件超过 0\.05 秒，已停止"):
        read(made[docx_fixtures()[0].stem])
    assert set(Path(tempfile.gettempdir()).glob("gpalint-doc-*")) <= before


@NEEDS_SOFFICE
def test_fix_leaves_a_doc_alone_and_says_why_once(made, tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(fix, "TOLD", set())
    copies = []
    for n, suffix in enumerate((".doc", ".wps")):
        copies.append(tmp_path / f"r{n}{suffix}")
        shutil.copyfile(made[docx_fixtures()[0].stem], copies[-1])
    results = [fix.fix_file(ENGINE, p, Options()) for p in copies]
    assert capsys.readouterr().err.count(fix.DOC_NOT_FIXABLE) == 1
    assert all(r.error is None and r.fixed == 0 and r.diagnostics for r in results)
    assert [p.read_bytes() for p in copies] == [made[docx_fixtures()[0].stem].read_bytes()] * 2


def test_without_libreoffice_a_doc_is_one_line_on_how_to_install_it(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "no-programs-here"))
    doc = tmp_path / "报告.doc"
    doc.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    txt = tmp_path / "报告.txt"
    txt.write_text((Path(__file__).parent.parent / "examples" / "clean-report.txt").read_text(encoding="utf-8"),
                   encoding="utf-8")
    code = main(["check", str(tmp_path)])
    out, err = capsys.readouterr()
    assert code == 2 and "检查了 1 个文件" in out and "另有 1 个文件无法检查" in out  # the .txt is still checked
    assert err.strip() == (f"{doc}: 错误：读取 .doc 文件需要 LibreOffice（soffice），本机未安装：请安装后再检查"
                           "（Debian/Ubuntu：apt install libreoffice-writer），或在 Word/WPS 中另存为 .docx")
