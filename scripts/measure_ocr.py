"""Measure the OCR engines on scans of the five fixtures (scripts/make_scans.py), as README「扫描件 (OCR)」 reports.

For each engine and resolution, every scan is read the way gpalint reads a scanned PDF (the page image levelled,
its rulings found, the text recognised into pieces, then the same layout as any PDF) and compared with the text
PDF the scan was made from, read by gpalint:

  * narrative: 1 − CER of the text outside tables (whitespace removed on both sides; Levenshtein distance over
    the text PDF's length);
  * cells: the numbers of 表三 and 表四 read exactly right (same value in the same row and column of the recovered
    table), over all of them; and how many of the wrong ones the confidence floor catches (document.UNSURE);
  * seconds per page (wall clock, OCR and layout) and the peak memory of the process (each engine and resolution
    runs in a fresh process).

    python scripts/measure_ocr.py [--engines rapidocr,rapidocr-full,tesseract] [--dpi 150,300] [--scans DIR]

Needs `gpalint[ocr]`, rapidfuzz (the edit distance), tesserocr and Debian's tesseract-ocr-chi-sim for the
Tesseract rows, and pdftoppm for the scans. The machine is shared: `uptime` is printed with the table.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
import make_scans  # noqa: E402

TESSDATA = "/usr/share/tesseract-ocr/5/tessdata/"


def tesseract():
    """Tesseract (chi_sim) through tesserocr, as a recogniser of ocr.read_image: characters with boxes and
    confidences, line by line."""
    import tesserocr
    from PIL import Image
    api = tesserocr.PyTessBaseAPI(lang="chi_sim", path=TESSDATA)

    def recognise(rgb):
        api.SetImage(Image.fromarray(rgb))
        api.Recognize()
        it = api.GetIterator()
        if it is None:
            return
        line: list = []
        for r in tesserocr.iterate_level(it, tesserocr.RIL.SYMBOL):
            try:
                ch = r.GetUTF8Text(tesserocr.RIL.SYMBOL)
            except RuntimeError:  # tesserocr's way of saying there is no text (a crop of a blank cell)
                continue
            box = r.BoundingBox(tesserocr.RIL.SYMBOL)
            if not ch or box is None:
                continue
            if r.IsAtBeginningOf(tesserocr.RIL.TEXTLINE) and line:
                yield line
                line = []
            line.append((ch.strip(), r.Confidence(tesserocr.RIL.SYMBOL) / 100, *box))
        if line:
            yield line

    return recognise


def recogniser(name: str):
    from gpalint.readers.pdf import ocr
    if name == "rapidocr":
        return ocr.recognise
    if name == "rapidocr-full":  # the page's own resolution, not scaled to 2000 pixels
        return ocr.rapidocr(**{"Global.max_side_len": 4000})
    if name == "tesseract":
        return tesseract()
    raise SystemExit(f"unknown engine {name}")


def read_scan(path: Path, engine) -> tuple[Any, int]:
    """The Document of a scanned PDF read by ``engine``, and its number of pages."""
    from gpalint.readers.pdf import layout, miner, ocr
    pages = list(miner.pages(path))
    ocr.read_pages(path, pages, engine)
    return layout.build(str(path), pages, []), len(pages)


def narrative(doc) -> str:
    return "".join("".join(b.text.split()) for b in doc.blocks if b.cell is None)


def numbers(doc) -> dict:
    """(table, row, column) → value of the numbers of 表三 and 表四, with the confidence of each."""
    from gpalint.report import analyse
    report = analyse(doc)
    out = {}
    for key in ("三", "四"):
        t = report.tables.get(key)
        if t is None:
            continue
        for (r, c), v in t.cells.items():
            out[(key, r, c)] = v
    return out


def confidence_of(doc, value) -> float | None:
    loc = value.location
    for b in doc.blocks:
        if b.page == loc.page and b.line == loc.line and b.cell is not None and b.text.strip() == value.raw:
            return b.confidence
    return None


def one(engine_name: str, dpi: int, scans: Path) -> dict:
    from rapidfuzz.distance import Levenshtein

    from gpalint.document import UNSURE
    from gpalint.readers.pdf import read
    engine = recogniser(engine_name)
    chars = errors = cells = right = wrong_caught = wrong = low_right = pages = 0
    seconds = 0.0
    for pdf in sorted(make_scans.FIXTURES.glob("*.pdf")):
        scan = scans / f"{dpi}" / f"{pdf.stem}.pdf"
        if not scan.exists():
            make_scans.scan(pdf, dpi, scan.parent)
        truth = read(pdf)
        start = time.perf_counter()
        doc, n = read_scan(scan, engine)
        seconds += time.perf_counter() - start
        pages += n
        t, o = narrative(truth), narrative(doc)
        chars += len(t)
        errors += Levenshtein.distance(t, o)
        want, got = numbers(truth), numbers(doc)
        for key, v in want.items():
            if v.value is None or v.raw == "":
                continue
            cells += 1
            g = got.get(key)
            ok = g is not None and g.raw == v.raw
            conf = confidence_of(doc, g) if g is not None else None
            low = conf is not None and conf < UNSURE
            right += ok
            low_right += ok and low
            if not ok:
                wrong += 1
                wrong_caught += low or g is None
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    return {"engine": engine_name, "dpi": dpi, "narrative": 1 - errors / chars, "cells": right / cells,
            "cells_n": cells, "wrong": wrong, "wrong_caught": wrong_caught, "low_right": low_right,
            "seconds_per_page": seconds / pages, "pages": pages, "peak_mb": rss}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--engines", default="rapidocr,rapidocr-full,tesseract")
    ap.add_argument("--dpi", default="150,300")
    ap.add_argument("--scans", type=Path, default=Path("/tmp/gpalint-scans"))
    ap.add_argument("--one", nargs=2, metavar=("ENGINE", "DPI"), help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.one:
        print(json.dumps(one(args.one[0], int(args.one[1]), args.scans)))
        return 0
    rows = []
    for engine in args.engines.split(","):
        for dpi in args.dpi.split(","):
            out = subprocess.run([sys.executable, __file__, "--one", engine, dpi, "--scans", str(args.scans)],
                                 capture_output=True, text=True, env={**os.environ, "OMP_NUM_THREADS": "2"})
            if out.returncode:
                print(out.stderr, file=sys.stderr)
                continue
            rows.append(json.loads(out.stdout.strip().splitlines()[-1]))
            print(rows[-1], file=sys.stderr)
    print("| 引擎 | dpi | 叙述文字准确率 (1−CER) | 表三、表四数值全对 | 读错的数值 (其中低于置信度下限) | 读对但低于下限 | 秒/页 | 峰值内存 |")
    print("|---|---|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['engine']} | {r['dpi']} | {r['narrative']:.2%} | {r['cells']:.2%}（{r['cells_n']} 个） | "
              f"{r['wrong']}（{r['wrong_caught']}） | {r['low_right']} | {r['seconds_per_page']:.1f} | {r['peak_mb']} MB |")
    print(subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip())
    return 0


if __name__ == "__main__":
    sys.exit(main())
