"""OCR accuracy and speed on scans rendered from data/samples/.

    uv run python bench/ocr.py [--pages N] [--dpi 150,200,300] [--distort none,skew,noise]
                               [--ablate] [--preprocess orientation,deskew] [--psm 3]
                               [--lang eng] [--verbose]

Renders N sample documents (spread over invoices, POs and receipts) to
greyscale page images at each resolution, distorted like a real scan (tilted
1.2-2 degrees; speckled and blurred; JPEG-compressed; turned 90/180/270), and
extracts them through recon's registry (PNG, or a multi-page TIFF). Prints a
row per resolution and distortion: header-field accuracy (kind + 8 fields),
line item precision/recall/F1 against data/samples/ground_truth.json, seconds
per page, the part of it spent inside Tesseract, and the bare ``tesseract``
CLI on the same page images (the floor), run right after recon on each
document so that the machine's load hits both alike, with recon's overhead
over it. Both run one page at a time with OMP_THREAD_LIMIT=1, so the overhead
is per page, not hidden by parallelism.

``--ablate`` adds, under each row, the same row without each default clean-up
step and with each optional one: what every step buys, measured.
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
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pypdfium2 as pdfium
from PIL import Image, ImageFilter

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import extractors.ocr as ocr_module  # noqa: E402
from extractors._pdfium import PDFIUM_LOCK  # noqa: E402
from extractors.ocr import tesseract_languages  # noqa: E402
from extractors.preprocess import STEPS  # noqa: E402
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


@dataclass
class Row:
    """One table row: a resolution, a distortion and a set of clean-up steps."""

    dpi: int
    distortion: str
    steps: str
    pages: int
    header: float
    precision: float
    recall: float
    f1: float
    recon_s: float
    tesseract_s: float
    cli_s: float
    errors: list[str]

    def line(self) -> str:
        n = self.pages
        own = (self.recon_s - self.tesseract_s) / n
        return (
            f"{self.dpi:>4} {self.distortion:<7} {self.steps:<28} {n:>5} {self.header:>7.3f} "
            f"{self.precision:>7.3f} {self.recall:>7.3f} {self.f1:>7.3f} "
            f"{self.recon_s / n:>7.2f} {self.tesseract_s / n:>7.2f} {own:>6.2f} "
            f"{self.cli_s / n:>7.2f} {(self.recon_s - self.cli_s) / self.cli_s * 100:>7.1f}%"
        )


HEADER = (
    f"{'dpi':>4} {'distort':<7} {'steps':<28} {'pages':>5} {'header':>7} {'line P':>7} "
    f"{'line R':>7} {'line F1':>7} {'s/page':>7} {'in tess':>7} {'recon':>6} "
    f"{'floor':>7} {'overhead':>8}"
)
LEGEND = (
    "s/page: recon's extract() per page; in tess: of which inside Tesseract (pytesseract, "
    "all passes);\nrecon: the rest (decode, clean-up, layout); floor: bare `tesseract` CLI "
    "on the same page image, timed right after recon on each document; overhead: "
    "s/page over floor."
)


class _TesseractClock:
    """Seconds spent in :func:`extractors.ocr.run_tesseract` and the OSD pass."""

    def __init__(self) -> None:
        self.seconds = 0.0
        for name in ("run_tesseract", "orientation"):
            original = getattr(ocr_module, name)
            setattr(ocr_module, name, self._timed(original))

    def _timed(self, fn: Any) -> Any:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            t0 = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                self.seconds += time.perf_counter() - t0

        return wrapper


def run_row(
    chosen: list[dict[str, Any]],
    truth: dict[str, Any],
    paths: dict[str, Path],
    *,
    dpi: int,
    distortion: str,
    settings: ExtractionSettings,
    clock: _TesseractClock,
) -> Row:
    rng = random.Random(f"{dpi}-{distortion}")
    export: list[dict[str, Any]] = []
    errors: list[str] = []
    pages_n = 0
    recon_s = cli_s = tess_s = 0.0
    with tempfile.TemporaryDirectory() as tmp:
        for want in chosen:
            pages = [
                distort(p, distortion, rng, dpi)
                for p in render(paths[want["source"]].read_bytes(), dpi)
            ]
            # Encoded before the pages are saved as PNG: Pillow 13 keeps a PNG
            # save's encoder settings on the image, and a multi-page TIFF that
            # appends such a page then fails ("takes exactly 6 arguments").
            data = encode(pages, dpi)
            images = []
            for i, page in enumerate(pages):
                path = Path(tmp) / f"{want['source']}-{i}.png"
                page.save(path, dpi=(dpi, dpi))
                images.append(path)
            before = clock.seconds
            t0 = time.perf_counter()
            try:
                doc = extract(data, filename=want["source"], settings=settings)
                export.append(as_export(want["source"], doc))
            except ExtractionError as exc:
                errors.append(f"{want['source']}: {exc}")
            recon_s += time.perf_counter() - t0
            tess_s += clock.seconds - before
            cli_s += tesseract_cli(images, settings)
            pages_n += len(images)
    subset = {**truth, "documents": chosen}
    for k in ("matches", "discrepancies", "assets", "quarantine"):
        subset[k] = []
    got = {"documents": export, "matches": [], "discrepancies": [], "assets": [], "quarantine": []}
    s = score(got, subset)
    return Row(
        dpi,
        distortion,
        ",".join(settings.ocr_preprocess) or "-",
        pages_n,
        s.header_accuracy,
        s.lines.precision,
        s.lines.recall,
        s.lines.f1,
        recon_s,
        tess_s,
        cli_s,
        [*errors, *s.errors],
    )


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--pages", type=int, default=8, help="documents to use (default 8)")
    parser.add_argument("--dpi", default="150,200,300", help="resolutions (default 150,200,300)")
    parser.add_argument(
        "--distort",
        default="none,skew,noise",
        help=f"comma-separated scan distortions from {', '.join(DISTORTIONS)} "
        "(default none,skew,noise)",
    )
    parser.add_argument("--preprocess", help="comma-separated steps (default: the setting)")
    parser.add_argument(
        "--ablate",
        action="store_true",
        help="also run each row without each default step and with each optional step, "
        "to show what every clean-up step buys",
    )
    parser.add_argument("--psm", type=int, help="Tesseract page segmentation mode")
    parser.add_argument("--lang", help="Tesseract languages, e.g. eng+deu+fra")
    parser.add_argument("--verbose", action="store_true", help="list every mismatch")
    args = parser.parse_args()

    distortions = [d for d in args.distort.split(",") if d]
    unknown = sorted(set(distortions) - set(DISTORTIONS))
    if unknown:
        parser.error(f"unknown distortion {', '.join(unknown)}; choose from {DISTORTIONS}")
    overrides: dict[str, Any] = {"ocr_workers": 1}
    if args.preprocess is not None:
        overrides["ocr_preprocess"] = tuple(s for s in args.preprocess.split(",") if s)
    if args.psm is not None:
        overrides["ocr_psm"] = args.psm
    if args.lang:
        overrides["ocr_languages"] = args.lang
    settings = ExtractionSettings(**overrides)
    variants = [settings]
    if args.ablate:
        base = settings.ocr_preprocess
        variants += [
            settings.model_copy(update={"ocr_preprocess": tuple(x for x in base if x != step)})
            for step in base
        ]
        variants += [
            settings.model_copy(update={"ocr_preprocess": (*base, step)})
            for step in STEPS
            if step not in base
        ]
    truth = json.loads((SAMPLES / "ground_truth.json").read_text(encoding="utf-8"))
    chosen = pick(truth["documents"], args.pages)
    paths = {p.name: p for p in SAMPLES.rglob("*.pdf")}
    clock = _TesseractClock()
    print(
        f"{len(chosen)} documents; psm {settings.ocr_psm}; lang {tesseract_languages(settings)}; "
        f"one page at a time, OMP_THREAD_LIMIT=1"
    )
    print("  sources: " + ", ".join(d["source"] for d in chosen))
    print(HEADER, flush=True)
    rows: list[Row] = []
    for dpi in (int(d) for d in args.dpi.split(",")):
        for distortion in distortions:
            for variant in variants:
                row = run_row(
                    chosen, truth, paths, dpi=dpi, distortion=distortion,
                    settings=variant, clock=clock,
                )  # fmt: skip
                rows.append(row)
                print(row.line(), flush=True)
                if args.verbose:
                    for e in row.errors:
                        print("    " + e)
    print(LEGEND)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
