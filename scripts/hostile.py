"""Hostile inputs against the budgets: generate each one, run `gpalint check` on it in a subprocess under an
address-space limit, and print a Markdown table of the exit code, the stderr line, the time and the peak memory
(ru_maxrss of the subprocess and its workers). Measures; asserts nothing (tests/test_budgets.py asserts).

    python scripts/hostile.py [--limit-mb 4096] [--only NAME]
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TITLE = "2024年政府信息公开工作年度报告\n"


def pdf(*streams: bytes, pages: int = 1) -> bytes:
    """A PDF of ``pages`` pages sharing one content made of the given (Flate-compressed) streams."""
    n = len(streams)
    contents = " ".join(f"{5 + i} 0 R" for i in range(n))
    kids = " ".join(f"{5 + n + i} 0 R" for i in range(pages))
    page = (b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> "
            b"/Contents [" + contents.encode() + b"] >>")
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [" + kids.encode() + b"] /Count %d >>" % pages,
            b"<< >>", b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    objs += [b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(s) + s + b"\nendstream" for s in streams]
    objs += [page] * pages
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, o in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + o + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return bytes(out)


def deflate(head: bytes, filler_mb: int) -> bytes:
    c = zlib.compressobj(9)
    out = c.compress(head)
    mb = b" " * (1 << 20)
    for _ in range(filler_mb):
        out += c.compress(mb)
    return out + c.flush()


HELLO = b"BT /F1 12 Tf 72 700 Td (2024 Hello) Tj ET\n"
SHOW = b"BT /F1 1 Tf 10 10 Td (" + b"x" * 1000 + b") Tj ET\n"

# name, file name, what it is, how to make it, extra arguments
CASES = [
    ("html-grid", "grid.html", "147 KB of <td rowspan=100 colspan=100>",
     lambda: ("<html><body><p>" + TITLE + "<table><tr>" + "<td rowspan=100 colspan=100>1</td>" * 4300
              + "</tr></table></body></html>").encode(), []),
    ("zheng-line", "line.txt", "one 5 MB line of 「政 政 政…」 (1.75 M findings)",
     lambda: (TITLE + "政 " * (5 * 1024 * 1024 // 4) + "\n").encode(), ["--format", "json"]),
    ("pdf-bomb", "bomb.pdf", "1 MB PDF whose content stream inflates to 1 GiB",
     lambda: pdf(deflate(HELLO, 1024)), []),
    ("pdf-streams", "streams.pdf", "one page of 5 content streams of 60 MB each (300 KB file)",
     lambda: pdf(*[deflate(b"", 60)] * 5), []),
    ("pdf-chars", "chars.pdf", "772-byte PDF page of 60,000 characters",
     lambda: pdf(zlib.compress(SHOW * 60)), []),
    ("pdf-pages", "pages.pdf", "PDF of 2,001 pages (90 KB)",
     lambda: pdf(zlib.compress(HELLO), pages=2001), []),
    ("txt-lines", "lines.txt", "50 MB of one-character lines (12.6 M lines)",
     lambda: (TITLE + "政\n" * (12 * 1024 * 1024)).encode(), []),
    ("txt-blank", "blank.txt", "50 MB of blank lines",
     lambda: (TITLE + "\n" * (50 * 1024 * 1024 - 64)).encode(), []),
    ("html-paras", "paras.html", "50 MB of <p>政",
     lambda: ("<p>" + TITLE + "<p>政" * (8 * 1024 * 1024)).encode(), []),
    ("html-cells", "cells.html", "50 MB of empty <td></td>",
     lambda: ("<p>" + TITLE + "<table><tr>" + "<td></td>" * (5 * 1024 * 1024)).encode(), []),
    ("utf16-surrogate", "surrogate.txt", "UTF-16 file with a lone surrogate",
     lambda: "\ufeff2024年政府信息公开".encode("utf-16-le") + b"\x00\xd8" + "工作年度报告".encode("utf-16-le"), []),
    ("time-budget", "line.txt", "the 5 MB line with --max-seconds 1",
     lambda: (TITLE + "政 " * (5 * 1024 * 1024 // 4) + "\n").encode(), ["--max-seconds", "1"]),
    ("memory-budget", "line.txt", "the 5 MB line with --max-memory 50",
     lambda: (TITLE + "政 " * (5 * 1024 * 1024 // 4) + "\n").encode(), ["--max-memory", "50"]),
]


def measure(args: list[str], limit_mb: int, timeout: float) -> tuple[str, str, float, float]:
    """(exit code, last stderr line, seconds, peak MB) of `python -m gpalint ARGS` in a fresh measuring process."""
    code = f"""
import resource, subprocess, sys, time
def limit():
    resource.setrlimit(resource.RLIMIT_AS, ({limit_mb} << 20, {limit_mb} << 20))
t = time.monotonic()
try:
    p = subprocess.run({[sys.executable, "-m", "gpalint", *args]!r}, capture_output=True, text=True,
                       preexec_fn=limit, timeout={timeout}, cwd={str(ROOT)!r})
    rc, err = p.returncode, p.stderr
except subprocess.TimeoutExpired as e:
    rc, err = "timeout", (e.stderr or b"").decode(errors="replace")
took = time.monotonic() - t
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
lines = [x for x in err.splitlines() if x.strip()]
print(rc, took, peak, sep="\\t")
print(lines[-1] if lines else "")
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout.splitlines()
    rc, took, peak = out[0].split("\t")
    return rc, out[1] if len(out) > 1 else "", float(took), float(peak)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--limit-mb", type=int, default=4096, help="address-space limit of the measured run")
    ap.add_argument("--timeout", type=float, default=600)
    ap.add_argument("--only")
    args = ap.parse_args()
    print("| input | exit | message (stderr) | time | peak memory |\n|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        for name, file, what, make, extra in CASES:
            if args.only and args.only != name:
                continue
            path = Path(tmp, file)
            path.write_bytes(make())
            rc, line, took, peak = measure(["check", *extra, str(path)], args.limit_mb, args.timeout)
            line = line.replace(str(path), file)
            print(f"| {what} | {rc} | {line} | {took:.1f} s | {peak:.0f} MB |", flush=True)


if __name__ == "__main__":
    main()
