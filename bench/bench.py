"""How fast gpalint is, against honest floors. Measures; asserts nothing. How to run it and what it printed last:
bench/README.md.

    python bench/bench.py [--repeat N] [--mixed 300] [--warm 1000] [--skip-batch]

- per file, in one process with the rules compiled once: gpalint's check against the floor of its reader (what
  any tool must spend to read the file: FLOORS below), minimum and median, and their ratio;
- per run, each a fresh process: bare Python, ``--version``, one small text file cold (``--no-cache``) and warm
  (served by the result cache), minimum and median;
- a batch of mixed txt/docx/pdf reports with ``-j 1`` and ``-j 2`` (cold), and the ratio;
- a re-check of unchanged reports served by the cache (warm), as in pre-commit or an editor.

The machine's load is printed first and last (``uptime``): on a shared machine the figures are only as good as it
was quiet.
"""
from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "corpus"
# with bytecode caching on, as a user has it (some sandboxes set PYTHONDONTWRITEBYTECODE, which makes every
# start compile all of gpalint from source), and buffered output
ENV = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "PYTHONUNBUFFERED")}


# ── floors: what reading a file costs before any checking, per reader engine ─────────────────────────────

def _text_floor(path: Path) -> object:
    return path.read_bytes().decode("utf-8")


def _docx_floor(path: Path) -> object:
    import docx
    document = docx.Document(str(path))
    texts = [p.text for p in document.paragraphs]
    for table in document.tables:
        texts += [cell.text for row in table.rows for cell in row.cells]
    return texts


def _pdfminer_floor(path: Path) -> object:
    from pdfminer.high_level import extract_pages

    from gpalint.readers.pdf.miner import LAPARAMS  # the layout analysis gpalint asks of pdfminer
    return list(extract_pages(str(path), laparams=LAPARAMS))


def _pdfium_floor(path: Path) -> object:
    import pypdfium2 as pdfium
    doc = pdfium.PdfDocument(str(path))
    texts = [page.get_textpage().get_text_range() for page in doc]
    doc.close()
    return texts


@dataclass(frozen=True)
class Floor:
    suffix: str
    read: Callable[[Path], object]
    what: str
    options: tuple[tuple[str, str], ...] = ()  # the engine.Options that make gpalint use this engine


# One entry per reader engine, with the floor of the library it uses.
FLOORS: dict[str, Floor] = {
    "text": Floor(".txt", _text_floor, "read + decode"),
    "docx": Floor(".docx", _docx_floor, "python-docx Document() + every paragraph and table cell's text"),
    "pdf/pdfminer": Floor(".pdf", _pdfminer_floor, "pdfminer extract_pages with gpalint's LAParams",
                          (("pdf_engine", "pdfminer"),)),
    "pdf/pdfium": Floor(".pdf", _pdfium_floor, "pypdfium2: open, and the text page and text of every page",
                        (("pdf_engine", "pdfium"),)),
}


def corpus_files(suffix: str) -> list[Path]:
    found = sorted(p for p in CORPUS.rglob(f"*{suffix}") if "layouts" not in p.parts)
    return found + sorted((ROOT / "examples").glob(f"*{suffix}"))


# ── timing ────────────────────────────────────────────────────────────────────────────────────────────

def cpu_times(fn: Callable[[], object], repeat: int) -> list[float]:
    """CPU seconds of ``fn`` (this process: single-threaded work, steadier than wall time on a shared machine)."""
    out = []
    for _ in range(repeat):
        t = time.process_time()
        fn()
        out.append(time.process_time() - t)
    return out


def ms(values: list[float]) -> str:
    return f"min {min(values) * 1000:7.1f} ms  median {statistics.median(values) * 1000:7.1f} ms"


def gpalint(*args: str) -> list[str]:
    return [sys.executable, "-m", "gpalint", *args]


def run(command: list[str], cache: Path | None = None) -> tuple[float, float]:
    """Wall and CPU seconds (its own and its workers') of one fresh process of ``command``; ``cache``: its result
    cache folder."""
    env = {**ENV, "PYTHONPATH": str(ROOT)}
    if cache is not None:
        env["GPALINT_CACHE_DIR"] = str(cache)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    subprocess.run(command, capture_output=True, env=env)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)


def load() -> str:
    try:
        return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    except OSError:
        return "uptime unavailable"


# ── the parts ─────────────────────────────────────────────────────────────────────────────────────────

def per_file(repeat: int) -> None:
    """CPU time per file, gpalint and floor interleaved (a burst of load hits both alike)."""
    from gpalint.engine import Engine, Options
    from gpalint.rules import builtin_rules
    t = time.perf_counter()
    engine = Engine(builtin_rules())
    print(f"rules loaded and compiled once: {(time.perf_counter() - t) * 1000:.0f} ms ({len(engine.rules)} rules)")
    print("per file, CPU time, median over the files of each file's median:")
    for name, floor in FLOORS.items():
        files = corpus_files(floor.suffix)
        if not files:
            continue
        try:
            floor.read(files[0])
        except ImportError as exc:
            print(f"  {name}: floor not measured ({exc})")
            continue
        options = Options(**dict(floor.options))
        ours: list[list[float]] = [[] for _ in files]
        bare: list[list[float]] = [[] for _ in files]
        for _ in range(repeat):
            for i, p in enumerate(files):
                ours[i] += cpu_times(lambda p=p, o=options: engine.check_path(p, o), 1)
                bare[i] += cpu_times(lambda p=p, read=floor.read: read(p), 1)
        mine, base = [statistics.median(v) for v in ours], [statistics.median(v) for v in bare]
        ratio = statistics.median(m / b for m, b in zip(mine, base)) if min(base) > 0 else float("nan")
        print(f"  {name:13s} {len(files):3d} files  gpalint {ms(mine)}   floor {ms(base)}   "
              f"gpalint / floor {ratio:5.2f}× (median per file)   floor: {floor.what}")


def startup(repeat: int) -> None:
    """Fresh processes, the commands interleaved round by round; wall and CPU time."""
    one = ROOT / "examples" / "clean-report.txt"
    with tempfile.TemporaryDirectory() as tmp:
        cache = Path(tmp)
        run(gpalint("check", str(one)), cache)  # writes the bytecode and the cache entry
        rows = [("bare python (-c pass)", [sys.executable, "-c", "pass"], None),
                ("gpalint --version", gpalint("--version"), None),
                ("check 1 txt, cold (--no-cache)", gpalint("check", "--no-cache", str(one)), None),
                ("check 1 txt, warm (cache hit)", gpalint("check", str(one)), cache)]
        measured: dict[str, list[tuple[float, float]]] = {label: [] for label, _, _ in rows}
        for _ in range(repeat):
            for label, cmd, c in rows:
                measured[label].append(run(cmd, c))
    print("start-up, fresh processes:")
    bare_wall = statistics.median(w for w, _ in measured[rows[0][0]])
    bare_cpu = statistics.median(c for _, c in measured[rows[0][0]])
    for label, values in measured.items():
        walls, cpus = [w for w, _ in values], [c for _, c in values]
        print(f"  {label:32s} wall {ms(walls)}  (+{(statistics.median(walls) - bare_wall) * 1000:4.0f} ms)   "
              f"CPU median {statistics.median(cpus) * 1000:5.0f} ms (+{(statistics.median(cpus) - bare_cpu) * 1000:4.0f} ms)")


def _spin(n: int = 20_000_000) -> None:
    total = 0
    for i in range(n):
        total += i


def parallel_ceiling() -> float:
    """What two busy processes gain over one after the other on this machine now: the most -j 2 can show (on a
    shared or virtual machine, well below 2)."""
    import multiprocessing
    t = time.perf_counter()
    _spin()
    _spin()
    sequential = time.perf_counter() - t
    t = time.perf_counter()
    workers = [multiprocessing.Process(target=_spin) for _ in range(2)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    return sequential / (time.perf_counter() - t)


def mixed_batch(n: int, repeat: int) -> None:
    """``n`` reports, a third each txt, docx and pdf (copies of the corpus), checked cold with -j 1 and -j 2."""
    sources = [corpus_files(s) for s in (".txt", ".docx", ".pdf")]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp, "reports")
        folder.mkdir()
        for i in range(n):
            kind = sources[i % 3]
            source = kind[(i // 3) % len(kind)]
            shutil.copy(source, folder / f"{i:04d}_{source.name}")
        one, two = [], []
        for _ in range(repeat):
            one.append(run(gpalint("check", "--no-cache", "-j", "1", str(folder))))
            two.append(run(gpalint("check", "--no-cache", "-j", "2", str(folder))))
    ceiling = parallel_ceiling()
    w1, w2 = [w for w, _ in one], [w for w, _ in two]
    print(f"{n} mixed txt/docx/pdf, cold: -j 1 wall {ms(w1)}, CPU {statistics.median(c for _, c in one):.1f} s   "
          f"-j 2 wall {ms(w2)}, CPU {statistics.median(c for _, c in two):.1f} s   "
          f"-j 2 speed-up {min(w1) / min(w2):.2f}× (minimums), {statistics.median(w1) / statistics.median(w2):.2f}× (medians); "
          f"two busy processes on this machine now: {ceiling:.2f}×")


def warm_batch(n: int, repeat: int) -> None:
    """``n`` unchanged text reports re-checked: every result from the cache."""
    texts = corpus_files(".txt")
    with tempfile.TemporaryDirectory() as tmp:
        folder, cache = Path(tmp, "reports"), Path(tmp, "cache")
        folder.mkdir()
        for i in range(n):
            shutil.copy(texts[i % len(texts)], folder / f"{i:05d}_{texts[i % len(texts)].name}")
        cold, _ = run(gpalint("check", "-j", "2", str(folder)), cache)
        warm = [run(gpalint("check", "-j", "2", str(folder)), cache) for _ in range(repeat)]
    print(f"{n} unchanged txt: first run (checks, fills the cache) {cold:.2f} s   re-check (warm) wall "
          f"{ms([w for w, _ in warm])}, CPU median {statistics.median(c for _, c in warm) * 1000:.0f} ms")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--mixed", type=int, default=300, help="reports in the -j batch (a third each txt, docx, pdf)")
    ap.add_argument("--warm", type=int, default=1000, help="reports in the warm-cache batch")
    ap.add_argument("--skip-batch", action="store_true", help="only the per-file and start-up figures")
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT))
    print(f"load before: {load()}   ({os.cpu_count()} CPUs, Python {sys.version.split()[0]})")
    per_file(args.repeat)
    startup(max(args.repeat, 10))
    if not args.skip_batch:
        mixed_batch(args.mixed, max(1, args.repeat // 3))
        warm_batch(args.warm, args.repeat)
    print(f"load after:  {load()}")


if __name__ == "__main__":
    main()
