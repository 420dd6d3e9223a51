"""Scanned copies of the fixture reports: what an agency publishes when it prints, signs, stamps and scans a report.

Each page of a text PDF is rendered by pdftoppm (poppler) at the given resolution, then degraded as a scanner and
a stamp degrade it:

  * turned 0.5° (a sheet fed a little askew);
  * a red round seal (ring, star, 「专用章」) printed over the text — on the first page over the narrative, on the last
    page over its last lines, where a report is signed; red multiplies with the black ink as a stamp does;
  * grain (Gaussian noise, σ 6) and JPEG compression at quality 60.

The pages are assembled into an image-only PDF (Pillow's PDF writer: one JPEG per page, no text layer), or written as
JPEG/PNG files. Nothing here is used by gpalint itself; the tests and scripts/measure_ocr.py build their scans
with it, so it needs Pillow and numpy (both come with `gpalint[ocr]`) and pdftoppm.

    python scripts/make_scans.py OUT_DIR [--dpi 300] [--format pdf|jpg|png] [PDF ...]   (default: the five fixtures)
"""
from __future__ import annotations

import argparse
import math
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
from PIL import Image, ImageChops, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "corpus" / "fixtures"
ANGLE = 0.5  # degrees, counter-clockwise
JPEG_QUALITY = 60
NOISE = 6.0
SEAL_FONT = "/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc"  # when missing, the seal has no lettering


def render(pdf: Path, dpi: int, out: Path) -> list[Path]:
    """The pages of ``pdf`` as PNG files in ``out`` (pdftoppm)."""
    subprocess.run(["pdftoppm", "-r", str(dpi), "-png", str(pdf), str(out / "page")], check=True, timeout=300)
    return sorted(out.glob("page-*.png"))


def seal_layer(size: tuple[int, int], centre: tuple[float, float], dpi: int) -> Image.Image:
    """A red round seal, 42 mm across (the common size of an agency's seal), on white."""
    layer = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(layer)
    red = (205, 30, 35)
    r = 21 / 25.4 * dpi
    cx, cy = centre
    w = max(2, round(1.2 / 25.4 * dpi))
    draw.ellipse((cx - r, cy - r, cx + r, cy + r), outline=red, width=w)
    star_r = r * 0.3
    pts = [(cx + (star_r if k % 2 == 0 else star_r * 0.4) * math.sin(k * math.pi / 5),
            cy - (star_r if k % 2 == 0 else star_r * 0.4) * math.cos(k * math.pi / 5)) for k in range(10)]
    draw.polygon(pts, fill=red)
    if Path(SEAL_FONT).exists():
        font = ImageFont.truetype(SEAL_FONT, round(r * 0.22))
        draw.text((cx, cy + r * 0.55), "专用章", fill=red, font=font, anchor="mm")
        # the name around the top of the ring, one character at a time
        name = "人民政府办公室"
        for i, ch in enumerate(name):
            a = math.radians(-70 + 140 * i / (len(name) - 1))
            ch_img = Image.new("L", (round(r * 0.4),) * 2, 0)
            ImageDraw.Draw(ch_img).text((ch_img.width / 2, ch_img.height / 2), ch, fill=255, font=font, anchor="mm")
            ch_img = ch_img.rotate(-math.degrees(a), resample=Image.Resampling.BICUBIC)
            x = cx + r * 0.75 * math.sin(a) - ch_img.width / 2
            y = cy - r * 0.75 * math.cos(a) - ch_img.height / 2
            layer.paste(Image.new("RGB", ch_img.size, red), (round(x), round(y)), ch_img)
    return layer


def degrade(img: Image.Image, dpi: int, seal_at: tuple[float, float] | None, seed: int) -> Image.Image:
    """``img`` turned, stamped at ``seal_at`` (fractions of width and height) and grained."""
    img = img.convert("RGB")
    if seal_at is not None:
        img = ImageChops.multiply(img, seal_layer(img.size, (seal_at[0] * img.width, seal_at[1] * img.height), dpi))
    img = img.rotate(ANGLE, resample=Image.Resampling.BICUBIC, fillcolor="white")
    rng = np.random.default_rng(seed)
    arr = np.asarray(img, dtype=np.float32) + rng.normal(0, NOISE, (img.height, img.width, 1))
    return Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))


def last_text_y(img: Image.Image) -> float:
    """The bottom of the last printed line, as a fraction of the height (where the seal goes on the last page)."""
    dark = np.asarray(img.convert("L")) < 128
    rows = np.nonzero(dark[: int(img.height * 0.9)].any(axis=1))[0]
    return float(rows[-1]) / img.height if len(rows) else 0.5


def scan(pdf: Path, dpi: int, out: Path, fmt: str = "pdf") -> list[Path]:
    """A scanned copy of ``pdf`` in ``out``: one image-only PDF (``fmt`` pdf) or one image file per page
    (``fmt`` jpg or png). Deterministic: the same input gives the same pixels."""
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        pages = render(pdf, dpi, Path(tmp))
        images = []
        for i, png in enumerate(pages):
            with Image.open(png) as im:
                seal = (0.62, 0.30) if i == 0 else (0.68, max(0.15, last_text_y(im) - 0.02)) if i == len(pages) - 1 \
                    else None
                images.append(degrade(im, dpi, seal, seed=i))
    if fmt == "pdf":
        target = out / f"{pdf.stem}.pdf"
        images[0].save(target, "PDF", resolution=float(dpi), save_all=True, append_images=images[1:],
                       quality=JPEG_QUALITY)
        return [target]
    paths = []
    for i, im in enumerate(images, 1):
        target = out / f"{pdf.stem}-{i}.{fmt}"
        im.save(target, quality=JPEG_QUALITY, dpi=(dpi, dpi)) if fmt == "jpg" else im.save(target, dpi=(dpi, dpi))
        paths.append(target)
    return paths


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("pdfs", nargs="*", type=Path)
    ap.add_argument("--dpi", type=int, default=300)
    ap.add_argument("--format", choices=("pdf", "jpg", "png"), default="pdf")
    args = ap.parse_intermixed_args(argv)
    for pdf in args.pdfs or sorted(FIXTURES.glob("*.pdf")):
        for p in scan(pdf, args.dpi, args.out, args.format):
            print(p, f"{p.stat().st_size >> 10} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
