"""Scanned reports: PDF pages without a text layer and image files, read by OCR (gpalint[ocr]).

The scans are made from the fixtures by scripts/make_scans.py (pdftoppm at 300 dpi, turned 0.5°, a red seal over
the text, grain, JPEG 60) and kept in pytest's cache: the same script, the same scans."""
from __future__ import annotations

import hashlib
import shutil
import sys
from collections import Counter
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import CORPUS, ROOT, need_corpus

from gpalint.document import UNSURE
from gpalint.engine import Engine, Options
from gpalint.model import InputError
from gpalint.readers import IMAGES, SUFFIXES, read
from gpalint.readers.extras import ocr_available
from gpalint.readers.pdf import ocr
from gpalint.report import analyse
from gpalint.rules import builtin_rules

ENGINE = Engine(builtin_rules())
FIXTURES = CORPUS / "fixtures"
needs_ocr = pytest.mark.skipif(not ocr_available(), reason="the OCR extra is not installed (pip install '.[ocr]')")
needs_pdftoppm = pytest.mark.skipif(shutil.which("pdftoppm") is None,
                                    reason="pdftoppm (poppler-utils) is not installed: the scans cannot be made")


def fixture(n: str) -> Path:
    need_corpus()
    return next(FIXTURES.glob(f"{n}_*.pdf"))


@pytest.fixture(scope="session")
def scans(request) -> Path:
    """The folder of scans, cached by the script's own text: a change to make_scans.py makes them again."""
    script = ROOT / "scripts" / "make_scans.py"
    key = hashlib.sha256(script.read_bytes()).hexdigest()[:12]
    return Path(request.config.cache.mkdir(f"ocr-scans-{key}"))


def scan_of(scans: Path, n: str, fmt: str = "pdf") -> list[Path]:
    sys.path.insert(0, str(ROOT / "scripts"))
    import make_scans
    pdf = fixture(n)
    done = sorted(scans.glob(f"{pdf.stem}.{fmt}" if fmt == "pdf" else f"{pdf.stem}-*.{fmt}"))
    return done or make_scans.scan(pdf, 300, scans, fmt)


def families(doc, keep=("T", "D", "F", "S")) -> Counter:
    _, diags = ENGINE.check_document(doc, Options())
    return Counter((d.code, d.message) for d in diags if d.code[0] in keep)


# ── without the extra ────────────────────────────────────────────────────────────────────────────────────────────

def test_a_scanned_pdf_without_the_extra_names_the_extra(tmp_path, monkeypatch):
    pil = pytest.importorskip("PIL.Image")
    scan = tmp_path / "scan.pdf"
    page = pil.new("RGB", (1240, 1754), "white")
    page.save(scan, "PDF", resolution=150.0, save_all=True, append_images=[page.copy()])
    monkeypatch.setattr(ocr, "available", lambda: False)
    with pytest.raises(InputError, match=r"扫描件.*pip install 'gpalint\[ocr\]'"):
        read(scan)


def test_an_image_file_without_the_extra_says_how_to_install(tmp_path, monkeypatch):
    png = tmp_path / "page.png"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 64)
    monkeypatch.setattr(ocr, "available", lambda: False)
    with pytest.raises(InputError, match=r"OCR.*pip install 'gpalint\[ocr\]'"):
        read(png)


@pytest.mark.parametrize("extra", [False, True])
def test_a_page_without_text_in_a_text_pdf_is_one_note(tmp_path, monkeypatch, extra):
    """A text PDF with a blank page added (no text layer): without the extra, M106 says how to install OCR; with
    it, the page is read by OCR, which finds nothing there and says so. The other pages are checked as before."""
    pdfium = pytest.importorskip("pypdfium2")
    if extra and not ocr_available():
        pytest.skip("the OCR extra is not installed (pip install '.[ocr]')")
    pdf = pdfium.PdfDocument(fixture("000"))
    pdf.new_page(595, 842)
    mixed = tmp_path / "mixed.pdf"
    pdf.save(mixed)
    pdf.close()
    monkeypatch.setattr(ocr, "available", lambda: extra)
    _, diags = ENGINE.check_document(read(mixed), Options())
    notes = [d for d in diags if d.code == "M106"]
    assert len(notes) == 1 and notes[0].location.page == 6
    assert ("OCR 也未识别出文字" if extra else "pip install 'gpalint[ocr]'") in notes[0].message
    assert families(read(mixed)) == families(read(fixture("000")))


def test_images_are_reports_in_a_folder_only_with_the_extra():
    assert set(IMAGES) <= set(SUFFIXES) if ocr_available() else not set(IMAGES) & set(SUFFIXES)


# ── confidence: values OCR was not sure of are not checked ──────────────────────────────────────────────────────

def test_a_value_read_without_confidence_is_one_note_and_no_arithmetic():
    """The text PDF's 表三, one cell of its first row marked as read by OCR with little confidence (and misread):
    the broken sum it would make is not reported; one M110 note names the cell."""
    doc = read(fixture("001"))
    total = analyse(doc).tables["三"].cells[("一", "总计")]
    i = next(i for i, b in enumerate(doc.blocks) if b.cell is not None and b.page == total.location.page
             and b.line == total.location.line and b.text == total.raw)
    doc.blocks[i] = replace(doc.blocks[i], text=str(int(total.raw) + 7), confidence=UNSURE / 2)
    _, diags = ENGINE.check_document(doc, Options())
    notes = [d for d in diags if d.code == "M110"]
    assert len(notes) == 1 and "OCR 识别置信度低" in notes[0].message, notes
    assert f"读作「{int(total.raw) + 7}」" in notes[0].message
    assert not [d for d in diags if d.code.startswith("T") and d.location.line == doc.blocks[i].line
                and d.location.page == doc.blocks[i].page]
    # read with confidence, the same misread value is checked (and its sum broken)
    doc.blocks[i] = replace(doc.blocks[i], confidence=0.99)
    _, diags = ENGINE.check_document(doc, Options())
    assert not [d for d in diags if d.code == "M110"]
    assert any(d.code.startswith("T") for d in diags)


def test_findings_on_ocr_text_say_so():
    doc = read(fixture("000"))
    _, plain = ENGINE.check_document(doc, Options())
    assert plain and not any("据 OCR 识别" in (d.location.detail() or "") for d in plain)
    doc.blocks = [replace(b, confidence=0.95) for b in doc.blocks]
    _, diags = ENGINE.check_document(doc, Options())
    assert len(diags) == len(plain) and all((d.location.detail() or "").startswith("据 OCR 识别") for d in diags)


# ── with the extra ───────────────────────────────────────────────────────────────────────────────────────────────

@needs_ocr
def test_the_models_come_from_the_wheel_and_nothing_is_downloaded(monkeypatch):
    import requests

    def no_network(*args, **kwargs):
        raise AssertionError(f"RapidOCR tried to download {args}")

    monkeypatch.setattr(requests, "get", no_network)
    monkeypatch.setattr(requests.Session, "request", no_network)
    recognise = ocr.rapidocr()
    import numpy as np
    assert list(recognise(np.full((64, 64, 3), 255, np.uint8))) == []


@needs_ocr
@needs_pdftoppm
@pytest.mark.parametrize("n", ["000", "001", "002", "003", "004"])
def test_a_scan_gives_the_text_pdfs_findings(scans, n):
    """Parity: the scan at 300 dpi (turned, stamped, grainy) gives the text PDF's tables and T/D/F/S findings."""
    text = read(fixture(n))
    doc = read(scan_of(scans, n)[0])
    assert any(b.confidence is not None for b in doc.blocks)
    assert doc.converted >= ocr.CONVERTED  # OCR's spaces and mark widths are its guesses: no G finding on them
    report = analyse(doc)
    want = analyse(text)
    for key in ("三", "四"):
        got = {c: v.raw for c, v in report.tables[key].cells.items()}
        assert got == {c: v.raw for c, v in want.tables[key].cells.items()}, key
    assert families(doc) == families(text)
    # and no typography finding the text PDF does not have (marks and spaces OCR guessed are not the author's)
    assert set(families(doc, keep=("G",))) <= set(families(text, keep=("G",)))


@needs_ocr
@needs_pdftoppm
def test_an_image_file_is_read_like_a_scanned_page(scans):
    pages = scan_of(scans, "000", "jpg")
    doc = read(pages[0])
    assert doc.blocks and all(b.page == 1 and b.confidence is not None for b in doc.blocks)
    assert any(b.text.startswith("一、总体情况") for b in doc.blocks)


@needs_ocr
def test_a_broken_or_blank_image_is_one_line(tmp_path):
    from PIL import Image
    broken = tmp_path / "broken.png"
    broken.write_bytes(b"\x89PNG\r\n\x1a\n" + b"x" * 64)
    with pytest.raises(InputError, match="图片文件已损坏"):
        read(broken)
    blank = tmp_path / "blank.png"
    Image.new("RGB", (620, 877), "white").save(blank)
    with pytest.raises(InputError, match="没有识别出文字"):
        read(blank)
