"""Long fuzz run, outside the default test run: mutated corpus files of every format and random text, checked as
`gpalint check` would (and `--diff` for a share of them), every output format rendered. A case fails when anything
but the one-line InputError comes out, or when it runs past --case-seconds (a hang). Failing inputs are kept.

    python scripts/fuzz.py [--cases 10000] [--seconds 900] [--seed 1] [--keep /tmp/gpalint-fuzz]

Runs in this process under an address-space limit (--memory MB), so a memory bomb is a failure, not the machine's.
"""
from __future__ import annotations

import argparse
import io
import random
import resource
import shutil
import signal
import sys
import tempfile
import time
import traceback
import zipfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from gpalint.engine import Engine, Options  # noqa: E402
from gpalint.fix import fix_file  # noqa: E402
from gpalint.output import FORMATS, render  # noqa: E402
from gpalint.rules import builtin_rules  # noqa: E402

SUFFIXES = (".txt", ".md", ".html", ".docx", ".pdf")
# what reports are made of, and what breaks readers: CJK, numbers, table words, full-width and control characters
ALPHABET = ("政府信息公开工作年度报告一二三四五六七八九十〇（）()、。，：；「」〔〕【】总计件万元年月日申请办理结果"
            "0123456789０１２３４５６７８９ \t\n\r\u3000\u00a0\u200b\ufeff\x00\x0b\x0c\x1b\x85\u2028\ud800<>&#;/=\"'")
CHUNKS = ("一、总体情况\n", "（七）总计 3 1 0 0 0 0 5\n", "<table><tr><td rowspan=3>", "</td></tr>", "<!-- gpalint: ignore ",
          "本报告所列数据的统计期限自2024年1月1日起至2024年12月31日止。", "\t", "# ", "| 1 | 2 |\n", "&#xD800;", "<td colspan=9999>")


class Hang(Exception):
    pass


def _alarm(signum, frame):
    raise Hang


def corpus() -> dict[str, list[bytes]]:
    files: dict[str, list[bytes]] = {s: [] for s in SUFFIXES}
    for p in sorted([*(ROOT / "tests" / "corpus").rglob("*"), *(ROOT / "examples").glob("*")]):
        if p.is_file() and p.suffix.lower() in files and p.name != "README.md":
            files[p.suffix.lower()].append(p.read_bytes())
    return files


def mutate_bytes(data: bytes, rng: random.Random) -> bytes:
    b = bytearray(data)
    for _ in range(rng.choice((1, 1, 2, 4, 16))):
        if not b:
            b += rng.randbytes(8)
        op = rng.randrange(6)
        i = rng.randrange(len(b))
        if op == 0:
            b[i] = rng.randrange(256)
        elif op == 1:
            b[i:i] = rng.randbytes(rng.randrange(1, 16))
        elif op == 2:
            del b[i:i + rng.randrange(1, 256)]
        elif op == 3:
            j = rng.randrange(len(b))
            b[i:i] = b[j:j + rng.randrange(1, 512)]
        elif op == 4:
            del b[i:]
        else:
            b[i:i] = encode(rng.choice(CHUNKS), rng, ("utf-8", "gb18030", "utf-16-le"))
    return bytes(b)


def mutate_text(data: bytes, rng: random.Random) -> bytes:
    """A mutation at the level of characters: lines swapped, dropped or doubled, characters replaced."""
    text = data.decode("utf-8", "replace")
    lines = text.splitlines(keepends=True) or [""]
    for _ in range(rng.choice((1, 2, 5))):
        op = rng.randrange(5)
        i = rng.randrange(len(lines))
        if op == 0:
            j = rng.randrange(len(lines))
            lines[i], lines[j] = lines[j], lines[i]
        elif op == 1:
            del lines[i]
            lines = lines or [""]
        elif op == 2:
            lines.insert(i, lines[rng.randrange(len(lines))])
        elif op == 3:
            line = list(lines[i])
            for _ in range(rng.randrange(1, 4)):
                if line:
                    line[rng.randrange(len(line))] = rng.choice(ALPHABET)
            lines[i] = "".join(line)
        else:
            lines.insert(i, rng.choice(CHUNKS))
    return encode("".join(lines), rng, ("utf-8", "utf-8-sig", "gb18030", "utf-16"))


def mutate_docx(data: bytes, rng: random.Random) -> bytes:
    """One zip member mutated (bytes or characters: document.xml most often), the others copied."""
    try:
        src = zipfile.ZipFile(io.BytesIO(data))
        names = src.namelist()
    except zipfile.BadZipFile:
        return mutate_bytes(data, rng)
    target = "word/document.xml" if "word/document.xml" in names and rng.random() < 0.6 else rng.choice(names)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name in names:
            content = src.read(name)
            if name == target:
                content = mutate_bytes(content, rng) if rng.random() < 0.25 else _mutate_xml(content, rng)
            dst.writestr(name, content)
    return out.getvalue()


def _mutate_xml(content: bytes, rng: random.Random) -> bytes:
    text = content.decode("utf-8", "replace")
    for _ in range(rng.choice((1, 3, 8))):
        i = rng.randrange(len(text) + 1)
        op = rng.randrange(4)
        if op == 0:  # a run dropped
            j = text.find("<w:r>", i)
            k = text.find("</w:r>", j)
            if 0 <= j < k:
                text = text[:j] + text[k + 6:]
        elif op == 1:  # text inside a run
            j = text.find("<w:t>", i)
            if j >= 0:
                chunk = rng.choice(CHUNKS).replace("&", "&amp;").replace("<", "&lt;").replace("\x00", "")
                text = text[:j + 5] + chunk + text[j + 5:]
        elif op == 2:  # an element duplicated
            j = text.find("<w:p", i)
            k = text.find("</w:p>", j)
            if 0 <= j < k:
                text = text[:k + 6] + text[j:k + 6] + text[k + 6:]
        else:
            text = text.replace('w:val="', f'w:val="{rng.choice(("9", "-1", "2000000000", "x"))}', 1)
    return text.encode("utf-8")


def encode(text: str, rng: random.Random, encodings=("utf-8", "gb18030", "utf-16")) -> bytes:
    """``text`` in one of ``encodings``; a lone surrogate kept where the codec can (UTF-8/16), else replaced."""
    encoding = rng.choice(encodings)
    try:
        return text.encode(encoding, "surrogatepass")
    except UnicodeEncodeError:
        return text.encode(encoding, "replace")


def random_text(rng: random.Random) -> bytes:
    parts = [rng.choice(CHUNKS) if rng.random() < 0.2 else "".join(rng.choices(ALPHABET, k=rng.randrange(1, 80)))
             for _ in range(rng.randrange(1, 60))]
    return encode("".join(parts), rng)


def case(files: dict[str, list[bytes]], rng: random.Random) -> tuple[str, bytes]:
    roll = rng.random()
    if roll < 0.12:
        return rng.choice((".txt", ".md", ".html")), random_text(rng)
    suffix = rng.choices(SUFFIXES, weights=(30, 10, 15, 25, 8))[0]
    base = rng.choice(files[suffix])
    if suffix == ".docx":
        return suffix, mutate_docx(base, rng)
    if suffix == ".pdf" or rng.random() < 0.5:
        return suffix, mutate_bytes(base, rng)
    return suffix, mutate_text(base, rng)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cases", type=int, default=10_000)
    ap.add_argument("--seconds", type=float, default=900, help="stop after this long even if cases remain")
    ap.add_argument("--case-seconds", type=int, default=30)
    ap.add_argument("--memory", type=int, default=2048, help="MB of address space for this process")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--keep", type=Path, default=Path(tempfile.gettempdir()) / "gpalint-fuzz")
    args = ap.parse_args()
    resource.setrlimit(resource.RLIMIT_AS, (args.memory << 20, args.memory << 20))
    signal.signal(signal.SIGALRM, _alarm)
    rng = random.Random(args.seed)
    files = corpus()
    engine = Engine(builtin_rules())
    options = Options()
    rules = engine.rules
    counts: Counter[str] = Counter()
    reasons: Counter[str] = Counter()  # why files were refused (the start of the message)
    failures = 0
    slowest = (0.0, "")
    work = Path(tempfile.mkdtemp(prefix="gpalint-fuzz-"))
    start = time.monotonic()
    n = 0
    for n in range(1, args.cases + 1):
        if time.monotonic() - start > args.seconds:
            n -= 1
            break
        suffix, data = case(files, rng)
        path = work / f"case{suffix}"
        path.write_bytes(data)
        t = time.monotonic()
        signal.alarm(args.case_seconds)
        try:
            if suffix in (".txt", ".md", ".docx") and rng.random() < 0.2:
                result = fix_file(engine, path, options, unsafe=True, diff_only=True)
            else:
                result = engine.check_path(path, options)
            for fmt in FORMATS:
                if fmt != "html" or n % 10 == 0:
                    render(fmt, [result], rules)
            counts[f"{suffix} {'read' if result.error is None else 'refused'}"] += 1
            if result.error is not None:
                reasons[result.error[:24]] += 1
        except (Hang, Exception) as exc:
            failures += 1
            kind = "hang" if isinstance(exc, Hang) else type(exc).__name__
            args.keep.mkdir(parents=True, exist_ok=True)
            kept = args.keep / f"{n:05d}-{kind}{suffix}"
            kept.write_bytes(data)
            print(f"FAIL case {n} ({suffix}, {kind}) kept as {kept}", flush=True)
            traceback.print_exc(limit=6)
        finally:
            signal.alarm(0)
        took = time.monotonic() - t
        if took > slowest[0]:
            slowest = (took, f"case {n} {suffix}")
        if n % 500 == 0:
            print(f"{n} cases, {failures} failures, {time.monotonic() - start:.0f} s", flush=True)
    shutil.rmtree(work)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"done: {n} cases in {time.monotonic() - start:.0f} s, {failures} failures; slowest {slowest[0]:.1f} s "
          f"({slowest[1]}); peak memory {peak:.0f} MB")
    print("  " + ", ".join(f"{k}: {v}" for k, v in sorted(counts.items())))
    print("  refused: " + "; ".join(f"{k}… {v}" for k, v in reasons.most_common(8)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
