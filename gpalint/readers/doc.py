"""Word 97–2003 (.doc) and WPS Writer (.wps) reports: converted to .docx by LibreOffice, then read as a .docx.

gpalint reads no binary Word format itself: LibreOffice (``soffice``) converts the file, headless, in a private
temporary directory with a profile of its own (so a running LibreOffice, its recovery and its settings are never
touched), without restoring documents and within a time limit; the process group is killed when the time is up and
the directory is always removed. A new profile keeps LibreOffice's default macro security: macros in the document
are not run. LibreOffice reads Kingsoft WPS Writer and Microsoft Works .wps files as well as .doc.

Locations (paragraph numbers, table cells) are counted in the conversion, which the user never sees: one note
(M117, info) says so in terms of what the user does see, the file opened in Word or WPS.
"""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from ..document import Document
from ..model import InputError, Location

TIMEOUT = 60  # seconds one conversion may take: a report converts in a few seconds
# What a .doc or .wps file starts with: the OLE compound file of Word 97–2003 and WPS, RTF, or the HTML/MHT/XML that
# Word and web sites save under .doc. Anything else LibreOffice would import as plain text.
_HEADS = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"{\\rtf", b"<", b"\xef\xbb\xbf<", b"MIME-Version", b"\xef\xbb\xbfMIME")
NO_SOFFICE = ("读取 {suffix} 文件需要 LibreOffice（soffice），本机未安装：请安装后再检查（Debian/Ubuntu：apt install "
              "libreoffice-writer），或在 Word/WPS 中另存为 .docx")

# the conversion is LibreOffice's, in a private folder: say what the numbers mean for the file the user has
POSITIONS = "段落号和单元格位置按转换结果计数，一般与在 Word/WPS 中打开本文件所见的段落和表格一致，个别可能不同"


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def read(path: Path) -> Document:
    program = soffice()
    suffix = path.suffix.lower()
    if program is None:
        raise InputError(NO_SOFFICE.format(suffix=suffix))
    try:
        with path.open("rb") as fh:
            head = fh.read(16).lstrip(b" \t\r\n")
    except OSError as exc:
        raise InputError(f"无法读取文件：{exc.strerror or exc}") from None
    if head.startswith(b"PK"):
        raise InputError(f"这是 Word 文档（.docx）或其他 zip 文件，扩展名却是 {suffix}：请改正扩展名后再检查")
    if not head.startswith(_HEADS):
        raise InputError(f"不是有效的 Word 97-2003 或 WPS 文档（{suffix}）：文件开头没有这类文件的标记")
    with tempfile.TemporaryDirectory(prefix="gpalint-doc-") as tmp:
        work = Path(tmp)
        source = work / f"report{suffix}"  # a plain name: LibreOffice names its output after the input
        try:
            shutil.copyfile(path, source)
        except OSError as exc:
            raise InputError(f"无法读取文件：{exc.strerror or exc}") from None
        _convert(program, source, work)
        converted = work / "out" / "report.docx"
        if not converted.is_file() or converted.stat().st_size == 0:
            raise InputError(f"LibreOffice 无法转换该文件：它可能已损坏、已加密，或不是 Word/WPS 文档（{suffix}）")
        from . import docx
        doc = docx.read(converted)
    doc.path = str(path)
    doc.conversion_notes.append((f"本文件（{suffix}）经 LibreOffice 转换后检查：{POSITIONS}",
                                 Location(1)))
    return doc


def _convert(program: str, source: Path, work: Path) -> None:
    profile = (work / "profile").as_uri()
    command = [program, f"-env:UserInstallation={profile}", "--headless", "--norestore", "--nologo", "--nodefault",
               "--nolockcheck", "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(work / "out"), str(source)]
    try:
        process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL, cwd=work, start_new_session=True)
    except OSError as exc:
        raise InputError(f"无法启动 LibreOffice（{program}）：{exc.strerror or exc}") from None
    try:
        process.wait(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        raise InputError(f"LibreOffice 转换该文件超过 {TIMEOUT} 秒，已停止：文件可能已损坏；请在 Word/WPS 中另存为 .docx "
                         "后再检查") from None
    finally:  # done, the time is up, or gpalint's own budget stopped us: no LibreOffice process is left running
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except OSError:  # the group is gone already
            pass
        process.wait()
