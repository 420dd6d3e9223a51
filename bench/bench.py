"""Throughput of gpalint on the corpus: ms per report and reports/s per core, start-up over bare Python, and
Word/PDF cost against the bare cost of python-docx / each PDF engine (pdfminer, PDFium). Measures; asserts nothing.

    python bench/bench.py [--repeat N]
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "corpus"


def best(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def startup(repeat: int) -> None:
    # with bytecode caching on, as a user has it (some sandboxes set PYTHONDONTWRITEBYTECODE, which makes every
    # start compile all of gpalint from source); the first run below writes the cache
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}

    def run(args):
        subprocess.run([sys.executable, *args], capture_output=True, env=env)
        return best(lambda: subprocess.run([sys.executable, *args], capture_output=True, env=env), repeat)
    bare = run(["-c", "pass"])
    gp = run(["-m", "gpalint", "check", "--select", "D101", str(ROOT / "examples" / "clean-report.txt")])
    print(f"start-up: bare python {bare * 1000:.0f} ms, gpalint check of one text file {gp * 1000:.0f} ms "
          f"(+{(gp - bare) * 1000:.0f} ms)")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT))
    from gpalint.engine import Engine, Options
    from gpalint.rules import builtin_rules

    t = time.perf_counter()
    engine = Engine(builtin_rules())
    print(f"rules loaded and compiled once: {(time.perf_counter() - t) * 1000:.1f} ms ({len(engine.rules)} rules)")
    options = Options()
    texts = sorted((CORPUS / "seeds").glob("*.txt")) + sorted((CORPUS / "full").glob("*.txt")) + sorted(
        (CORPUS / "real").glob("*.txt")) + sorted((ROOT / "examples").glob("*.txt"))
    per = [best(lambda p=p: engine.check_path(p, options), args.repeat) for p in texts]
    print(f"text: {len(texts)} reports, median {statistics.median(per) * 1000:.2f} ms, max {max(per) * 1000:.2f} ms, "
          f"{len(per) / sum(per):.0f} reports/s on one core")
    docx = sorted((CORPUS / "fixtures").glob("*.docx"))
    if docx:
        import docx as python_docx
        bare = sum(best(lambda p=p: python_docx.Document(str(p)), args.repeat) for p in docx)
        ours = sum(best(lambda p=p: engine.check_path(p, options), args.repeat) for p in docx)
        print(f"docx: {len(docx)} files, python-docx Document() {bare / len(docx) * 1000:.1f} ms/file, "
              f"gpalint check {ours / len(docx) * 1000:.1f} ms/file ({ours / bare:.2f}×)")
    pdf_engines(engine, args.repeat)
    startup(args.repeat)


def _bare_pdfminer(path: Path) -> None:
    from pdfminer.high_level import extract_pages

    from gpalint.readers.pdf.miner import LAPARAMS
    list(extract_pages(str(path), laparams=LAPARAMS))


def _bare_pdfium(path: Path) -> None:
    import pypdfium2 as pdfium
    doc = pdfium.PdfDocument(str(path))
    for page in doc:
        page.get_textpage().get_text_range()
    doc.close()


# PDF engine → its bare extraction: what any use of the library costs (pdfminer: extract_pages with gpalint's
# LAPARAMS; PDFium: open, text page and text of every page)
PDF_BARE = {"pdfminer": _bare_pdfminer, "pdfium": _bare_pdfium}


def pdf_engines(engine, repeat: int) -> None:
    """Per-report cost of a gpalint check of the PDF fixtures (and the agency's PDF) with each engine, against that
    engine's bare extraction."""
    from importlib.util import find_spec

    from gpalint.engine import Options
    pdfs = sorted((CORPUS / "fixtures").glob("*.pdf")) + sorted((CORPUS / "real-pdf").glob("*.pdf"))
    print(f"pdf: {len(pdfs)} files, ms per file   bare extraction   gpalint check   ratio")
    for name, bare_fn in PDF_BARE.items():
        if name == "pdfium" and find_spec("pypdfium2") is None:
            print(f"  {name:9} (pypdfium2 not installed)")
            continue
        options = Options(pdf_engine=name)
        bare = sum(best(lambda p=p, f=bare_fn: f(p), repeat) for p in pdfs) / len(pdfs)
        ours = sum(best(lambda p=p, o=options: engine.check_path(p, o), repeat) for p in pdfs) / len(pdfs)
        print(f"  {name:9}{bare * 1000:27.1f}{ours * 1000:16.1f}{ours / bare:8.2f}×")


if __name__ == "__main__":
    main()
