"""OCR accuracy and speed on scans rendered from data/samples/.

    uv run python bench/ocr.py [--pages N] [--dpi 150,200,300] [--distort skew]
                               [--preprocess orientation,deskew] [--psm 3] [--lang eng]

Renders N sample documents (spread over invoices, POs and receipts) to
greyscale page images at each resolution, optionally distorted like a real
scan, and extracts them through recon's registry (PNG, or a multi-page TIFF).
Prints per resolution: header-field accuracy (kind + 8 fields), line item
precision/recall/F1 against data/samples/ground_truth.json, seconds per page,
and the bare ``tesseract`` CLI on the same page images in the same run (the
floor), with recon's overhead over it. Both run one page at a time with
OMP_THREAD_LIMIT=1, so the overhead is per page, not hidden by parallelism.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
import pypdfium2 as pdfium
from PIL import Image, ImageFilter

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extractors._pdfium import PDFIUM_LOCK  # noqa: E402
from extractors.ocr import tesseract_languages  # noqa: E402
from extractors.registry import extract  # noqa: E402
from extractors.settings import ExtractionSettings  # noqa: E402
from extractors.types import ExtractedDocument, ExtractionError  # noqa: E402
from reports.accuracy import document_record, score  # noqa: E402

SAMPLES = ROOT / "data" / "samples"
DISTORTIONS = ("none", "skew", "noise", "jpeg", "rotate", "all")


def render(pdf_bytes: bytes, dpi: int) -> list[Image.Image]:
    """Each page of a digital PDF as a greyscale "scan" at ``dpi``."""
    with PDFIUM_LOCK:
        doc = pdfium.PdfDocument(pdf_bytes)
        try:
            return [
                doc[i].render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
                for i in range(len(doc))
            ]
        finally:
            doc.close()


def distort(image: Image.Image, how: str, rng: random.Random, dpi: int) -> Image.Image:
    """Make a clean rendering look scanned: tilt, speckle, JPEG, a turned page."""
    if how in ("skew", "all"):
        angle = rng.choice((-2.0, -1.2, 1.2, 2.0))
        image = image.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=255)
    if how in ("noise", "all"):
        pixels = np.asarray(image, dtype=np.int16)
        noise = np.random.default_rng(rng.randrange(2**32)).normal(0, 18, pixels.shape)
        speckle = np.random.default_rng(rng.randrange(2**32)).random(pixels.shape) < 0.002
        out = np.clip(pixels + noise, 0, 255)
        out[speckle] = 0
        image = Image.fromarray(out.astype(np.uint8)).filter(ImageFilter.GaussianBlur(0.6))
    if how in ("jpeg", "all"):
        buf = io.BytesIO()
        image.save(buf, format="JPEG", quality=60)
        image = Image.open(io.BytesIO(buf.getvalue())).convert("L")
    if how == "rotate":
        image = image.rotate(rng.choice((90, 180, 270)), expand=True)
    image.info["dpi"] = (dpi, dpi)
    return image


def encode(pages: list[Image.Image], dpi: int) -> bytes:
    buf = io.BytesIO()
    if len(pages) == 1:
        pages[0].save(buf, format="PNG", dpi=(dpi, dpi))
    else:
        pages[0].save(
            buf,
            format="TIFF",
            save_all=True,
            append_images=pages[1:],
            compression="tiff_deflate",
            dpi=(dpi, dpi),
        )
    return buf.getvalue()


def as_export(source: str, doc: ExtractedDocument) -> dict[str, Any]:
    """The document in the shape of ground_truth.json."""
    return document_record(source, doc)


def tesseract_cli(paths: list[Path], settings: ExtractionSettings) -> float:
    """Seconds the bare tesseract CLI takes on the page images, one after another."""
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    lang = tesseract_languages(settings)
    t0 = time.perf_counter()
    for p in paths:
        subprocess.run(
            ["tesseract", str(p), "-", "-l", lang, "--psm", str(settings.ocr_psm), "hocr"],
            check=True,
            capture_output=True,
            env=env,
        )
    return time.perf_counter() - t0


def pick(documents: list[dict[str, Any]], n: int) -> list[dict[str, Any]]:
    """``n`` documents spread evenly over the sorted sample set."""
    docs = sorted(documents, key=lambda d: d["source"])
    if n >= len(docs):
        return docs
    step = len(docs) / n
    return [docs[int(i * step)] for i in range(n)]


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--pages", type=int, default=8, help="documents to use (default 8)")
    parser.add_argument("--dpi", default="150,200,300", help="resolutions (default 150,200,300)")
    parser.add_argument("--distort", choices=DISTORTIONS, default="none")
    parser.add_argument("--preprocess", help="comma-separated steps (default: the setting)")
    parser.add_argument("--psm", type=int, help="Tesseract page segmentation mode")
    parser.add_argument("--lang", help="Tesseract languages, e.g. eng+deu+fra")
    parser.add_argument("--verbose", action="store_true", help="list every mismatch")
    args = parser.parse_args()

    overrides: dict[str, Any] = {"ocr_workers": 1}
    if args.preprocess is not None:
        overrides["ocr_preprocess"] = tuple(s for s in args.preprocess.split(",") if s)
    if args.psm is not None:
        overrides["ocr_psm"] = args.psm
    if args.lang:
        overrides["ocr_languages"] = args.lang
    settings = ExtractionSettings(**overrides)
    truth = json.loads((SAMPLES / "ground_truth.json").read_text(encoding="utf-8"))
    chosen = pick(truth["documents"], args.pages)
    paths = {p.name: p for p in SAMPLES.rglob("*.pdf")}
    print(
        f"{len(chosen)} documents, distortion {args.distort}, preprocess "
        f"{','.join(settings.ocr_preprocess) or '-'}, psm {settings.ocr_psm}, "
        f"lang {tesseract_languages(settings)}"
    )
    print("  sources: " + ", ".join(d["source"] for d in chosen))
    print(
        f"{'dpi':>4} {'pages':>5} {'header':>7} {'line P':>7} {'line R':>7} {'line F1':>7} "
        f"{'s/page':>7} {'cli s/page':>10} {'overhead':>8}"
    )
    for dpi in (int(d) for d in args.dpi.split(",")):
        rng = random.Random(dpi)
        export: list[dict[str, Any]] = []
        errors: list[str] = []
        images: list[Path] = []
        recon_s = 0.0
        with tempfile.TemporaryDirectory() as tmp:
            for want in chosen:
                pages = [
                    distort(p, args.distort, rng, dpi)
                    for p in render(paths[want["source"]].read_bytes(), dpi)
                ]
                for i, page in enumerate(pages):
                    path = Path(tmp) / f"{want['source']}-{i}.png"
                    page.save(path, dpi=(dpi, dpi))
                    images.append(path)
                data = encode(pages, dpi)
                t0 = time.perf_counter()
                try:
                    doc = extract(data, filename=want["source"], settings=settings)
                    export.append(as_export(want["source"], doc))
                except ExtractionError as exc:
                    errors.append(f"{want['source']}: {exc}")
                recon_s += time.perf_counter() - t0
            cli_s = tesseract_cli(images, settings)
        subset = {**truth, "documents": chosen}
        for k in ("matches", "discrepancies", "assets", "quarantine"):
            subset[k] = []
        s = score(
            {
                "documents": export,
                "matches": [],
                "discrepancies": [],
                "assets": [],
                "quarantine": [],
            },
            subset,
        )
        n = len(images)
        print(
            f"{dpi:>4} {n:>5} {s.header_accuracy:>7.3f} {s.lines.precision:>7.3f} "
            f"{s.lines.recall:>7.3f} {s.lines.f1:>7.3f} {recon_s / n:>7.2f} "
            f"{cli_s / n:>10.2f} {(recon_s - cli_s) / cli_s * 100:>7.1f}%"
        )
        if args.verbose:
            for e in [*errors, *s.errors]:
                print("    " + e)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
