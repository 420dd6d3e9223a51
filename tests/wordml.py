"""Small .docx files written from raw WordprocessingML in a test (no binaries in the repository), and a runner that
checks or fixes a file in a child process under an address-space limit (a hostile input that blows up cannot take
the machine down)."""
from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import zipfile
from collections.abc import Callable, Iterable
from pathlib import Path
from xml.sax.saxutils import escape

from conftest import ROOT

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_CT = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
       '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
       '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
       '<Default Extension="xml" ContentType="application/xml"/>'
       '<Override PartName="/word/document.xml" '
       'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')
_RELS = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
         '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
         '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
         'officeDocument" Target="word/document.xml"/></Relationships>')
_DOC_RELS = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
             '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
             '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
             'numbering" Target="numbering.xml"/></Relationships>')


def run(text: str, props: str = "") -> str:
    rpr = f"<w:rPr>{props}</w:rPr>" if props else ""
    return f'<w:r>{rpr}<w:t xml:space="preserve">{escape(text)}</w:t></w:r>'


def para(*runs: str, ppr: str = "") -> str:
    return f"<w:p>{f'<w:pPr>{ppr}</w:pPr>' if ppr else ''}{''.join(runs)}</w:p>"


HEAD = para(run("叶城县河园镇人民政府2024年政府信息公开工作年度报告")) + para(run("一、总体情况"))
TAIL = para(run("六、其他需要报告的事项")) + para(run("本年度未收取信息处理费。"))


def document_xml(body: str, prolog: str = "") -> str:
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>{prolog}'
            f'<w:document xmlns:w="{W_NS}"><w:body>{body}</w:body></w:document>')


def write_docx(path: Path, body: str, *, prolog: str = "", numbering: str | None = None,
               members: Iterable[tuple[str, Callable[[zipfile.ZipFile], None]]] = (),
               document: Callable[[zipfile.ZipFile], None] | None = None, level: int = 6) -> Path:
    """A .docx holding ``HEAD + body + TAIL`` (``document`` writes word/document.xml itself, e.g. streamed);
    ``members`` write extra members (e.g. a huge image) with the zip open for writing."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as z:
        z.writestr("[Content_Types].xml", _CT)
        z.writestr("_rels/.rels", _RELS)
        if document is not None:
            document(z)
        else:
            z.writestr("word/document.xml", document_xml(HEAD + body + TAIL, prolog))
        if numbering is not None:
            z.writestr("word/_rels/document.xml.rels", _DOC_RELS)
            z.writestr("word/numbering.xml", f'<w:numbering xmlns:w="{W_NS}">{numbering}</w:numbering>')
        for _, write in members:
            write(z)
    return path


def stream_member(name: str, chunks: Iterable[bytes]) -> tuple[str, Callable[[zipfile.ZipFile], None]]:
    def write(z: zipfile.ZipFile) -> None:
        with z.open(name, "w", force_zip64=True) as fh:
            for chunk in chunks:
                fh.write(chunk)
    return name, write


_CHILD = textwrap.dedent("""
    import json, resource, sys, time
    from pathlib import Path
    import lxml.etree, gpalint.fix.word, gpalint.readers.docx  # imported before the limit: code is not the input
    from gpalint.engine import Engine, Options
    from gpalint.fix import fix_file
    engine = Engine.load()
    size = int(open("/proc/self/status").read().split("VmSize:")[1].split()[0]) * 1024
    limit = size + int(sys.argv[3]) * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, resource.getrlimit(resource.RLIMIT_AS)[1]))
    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    path = Path(sys.argv[2])
    if sys.argv[1] == "fix":
        r = fix_file(engine, path, Options(select=["G"]))
    else:
        r = engine.check_path(path, Options())
    print(json.dumps({"error": r.error, "fixed": r.fixed, "codes": [d.code for d in r.diagnostics],
                      "seconds": round(time.perf_counter() - start, 2),
                      "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
                      "base_mb": round(base / 1024, 1)}, ensure_ascii=False))
""")


def run_limited(mode: str, path: Path, headroom_mb: int, timeout: float = 120) -> dict:
    """``check`` or ``fix`` (G rules) ``path`` in a child whose address space may grow by ``headroom_mb`` only."""
    proc = subprocess.run([sys.executable, "-c", _CHILD, mode, str(path), str(headroom_mb)], capture_output=True,
                          text=True, timeout=timeout, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])
