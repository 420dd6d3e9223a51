#!/usr/bin/env python3
"""Build the layout zoo: the five Word fixtures (tests/corpus/fixtures/*.docx and their LibreOffice PDFs) converted by
real third-party tools, written to tests/corpus/layouts/<layout>/ with a MANIFEST.json naming each tool and version.

Real reports reach reviewers as text that such tools made; gpalint must read every one of these layouts (see
tests/test_layouts.py). The tools: pandoc (GFM Markdown with pipe tables, HTML), markitdown (Markdown), poppler
pdftotext (default and -layout), pdfminer.six extract_text, LibreOffice HTML export, and headless Chromium printing
the pandoc and LibreOffice HTML to PDF (a PDF producer other than LibreOffice). A tool that is not installed is
reported and its layout left as it is; ``--only`` rebuilds some layouts.

    python scripts/make_layouts.py [--only pandoc-gfm,chromium-pandoc]

Needs pandoc, poppler-utils, LibreOffice Writer, Chromium and fonts-noto-cjk (Debian packages) and, in the venv,
``pip install 'markitdown[docx]'`` (used only here, not by gpalint). Chromium's PDFs embed the CJK fonts as Type 3
glyphs (0.5–1 MB each): they stay local, listed in layouts/.gitignore, and the tests do not depend on them.
"""
from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "corpus" / "fixtures"
LAYOUTS = ROOT / "tests" / "corpus" / "layouts"
MAX_PDF = 300 * 1024  # keep the committed zoo small: larger PDFs stay local (listed in layouts/.gitignore)
# Chromium without a profile, network or first-run work: it only renders a local file to PDF
CHROMIUM = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run", "--no-pdf-header-footer"]


def run(*cmd: str | Path, cwd: Path | None = None) -> str:
    done = subprocess.run([str(c) for c in cmd], cwd=cwd, capture_output=True, text=True, timeout=300, check=True)
    return done.stdout


def first_line(*cmd: str) -> str:
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    return ((done.stdout or done.stderr).strip().splitlines() or ["?"])[0]


def pandoc(to: str, suffix: str) -> Callable[[Path, Path], None]:
    def convert(docx: Path, out_dir: Path) -> None:
        extra = ["--standalone", "--metadata", f"title={docx.stem}"] if to == "html" else []
        run("pandoc", "-f", "docx", "-t", to, *extra, docx, "-o", out_dir / f"{docx.stem}{suffix}")
    return convert


def markitdown(docx: Path, out_dir: Path) -> None:
    from markitdown import MarkItDown

    text = MarkItDown().convert(str(docx)).text_content
    (out_dir / f"{docx.stem}.md").write_text(text, encoding="utf-8")


def pdftotext(*flags: str) -> Callable[[Path, Path], None]:
    def convert(docx: Path, out_dir: Path) -> None:
        run("pdftotext", *flags, "-enc", "UTF-8", docx.with_suffix(".pdf"), out_dir / f"{docx.stem}.txt")
    return convert


def pdfminer(docx: Path, out_dir: Path) -> None:
    from pdfminer.high_level import extract_text

    (out_dir / f"{docx.stem}.txt").write_text(extract_text(str(docx.with_suffix(".pdf"))), encoding="utf-8")


def libreoffice_html(docx: Path, out_dir: Path) -> None:
    with tempfile.TemporaryDirectory() as profile:
        run("soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "html",
            "--outdir", out_dir, docx)


def chromium_pdf(html_layout: str) -> Callable[[Path, Path], None]:
    def convert(docx: Path, out_dir: Path) -> None:
        html = LAYOUTS / html_layout / f"{docx.stem}.html"
        out = out_dir / f"{docx.stem}.pdf"
        with tempfile.TemporaryDirectory() as profile:
            run(chromium_binary(), *CHROMIUM, f"--user-data-dir={profile}", f"--print-to-pdf={out}", html.as_uri())
    return convert


def chromium_binary() -> str:
    return shutil.which("chromium") or shutil.which("chromium-browser") or "chromium"


def markitdown_version() -> str:
    from importlib.metadata import version

    return f"markitdown {version('markitdown')}"


def pdfminer_version() -> str:
    from importlib.metadata import version

    return f"pdfminer.six {version('pdfminer.six')}"


# layout -> (how to convert one fixture, the tool's version, what the layout is)
LAYOUT_TOOLS: dict[str, tuple[Callable[[Path, Path], None], Callable[[], str], str]] = {
    "pandoc-gfm": (pandoc("gfm", ".md"), lambda: first_line("pandoc", "--version"), "pandoc -f docx -t gfm"),
    "pandoc-html": (pandoc("html", ".html"), lambda: first_line("pandoc", "--version"),
                    "pandoc -f docx -t html --standalone"),
    "markitdown": (markitdown, markitdown_version, "markitdown (Python API) on the .docx"),
    "pdftotext": (pdftotext(), lambda: first_line("pdftotext", "-v"), "pdftotext -enc UTF-8 on the fixture PDF"),
    "pdftotext-layout": (pdftotext("-layout"), lambda: first_line("pdftotext", "-v"),
                         "pdftotext -layout -enc UTF-8 on the fixture PDF"),
    "pdfminer": (pdfminer, pdfminer_version, "pdfminer.high_level.extract_text on the fixture PDF"),
    "libreoffice-html": (libreoffice_html, lambda: first_line("soffice", "--version"),
                         "soffice --headless --convert-to html"),
    "chromium-pandoc": (chromium_pdf("pandoc-html"), lambda: first_line(chromium_binary(), "--version"),
                        "chromium --headless --print-to-pdf of the pandoc-html layout"),
    "chromium-libreoffice": (chromium_pdf("libreoffice-html"), lambda: first_line(chromium_binary(), "--version"),
                             "chromium --headless --print-to-pdf of the libreoffice-html layout"),
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", help="comma-separated layouts to rebuild (default: all)")
    args = parser.parse_args(argv)
    names = args.only.split(",") if args.only else list(LAYOUT_TOOLS)
    unknown = sorted(set(names) - set(LAYOUT_TOOLS))
    if unknown:
        parser.error(f"unknown layouts: {', '.join(unknown)}; known: {', '.join(LAYOUT_TOOLS)}")
    manifest_path = LAYOUTS / "MANIFEST.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8")) if manifest_path.exists() else {}
    fixtures = sorted(FIXTURES.glob("*.docx"))
    failed = 0
    for name in names:
        convert, version, how = LAYOUT_TOOLS[name]
        out_dir = LAYOUTS / name
        try:
            tool = version()
        except (OSError, ImportError) as exc:
            print(f"{name}: skipped, tool not available ({exc})", file=sys.stderr)
            failed += 1
            continue
        if out_dir.exists():
            shutil.rmtree(out_dir)
        out_dir.mkdir(parents=True)
        for docx in fixtures:
            try:
                convert(docx, out_dir)
            except (subprocess.SubprocessError, OSError, RuntimeError) as exc:
                print(f"{name}: {docx.name}: {exc}", file=sys.stderr)
                failed += 1
        files = sorted(out_dir.iterdir())
        large = [p.name for p in files if p.suffix == ".pdf" and p.stat().st_size > MAX_PDF]
        manifest[name] = {"tool": tool, "command": how, "files": [p.name for p in files], "not_committed": large}
        print(f"{name}: {tool}, {len(files)} files" + (f", {len(large)} too large to commit" if large else ""))
    manifest_path.write_text(json.dumps(dict(sorted(manifest.items())), ensure_ascii=False, indent=2) + "\n",
                             encoding="utf-8")
    ignored = [f"{name}/{file}" for name, entry in sorted(manifest.items()) for file in entry.get("not_committed", [])]
    (LAYOUTS / ".gitignore").write_text("# built by scripts/make_layouts.py, too large to commit\n"
                                        + "".join(f"{p}\n" for p in ignored), encoding="utf-8")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
