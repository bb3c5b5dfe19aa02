"""Scans rendered at test time from the committed digital samples.

PDFium renders a sample page (under the lock) to a greyscale picture, which is
then tilted, compressed or turned like a real scan and saved as the file type
a scanner sends. Nothing here is committed: the samples are the source.
"""

from __future__ import annotations

import io
import json
from functools import cache
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
from PIL import Image
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from extractors._pdfium import PDFIUM_LOCK
from extractors.types import ExtractedDocument
from reports.accuracy import document_record, score

SAMPLES = Path(__file__).resolve().parents[3] / "data" / "samples"


@cache
def truth(source: str) -> dict[str, Any]:
    """The ground-truth record of one sample document."""
    docs = json.loads((SAMPLES / "ground_truth.json").read_text(encoding="utf-8"))["documents"]
    return next(d for d in docs if d["source"] == source)


def sample(source: str) -> bytes:
    return next(SAMPLES.rglob(source)).read_bytes()


def render(source: str, dpi: int) -> list[Image.Image]:
    """Every page of a sample PDF as a greyscale image at ``dpi``."""
    with PDFIUM_LOCK:
        doc = pdfium.PdfDocument(sample(source))
        try:
            return [
                doc[i].render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
                for i in range(len(doc))
            ]
        finally:
            doc.close()


def tilt(image: Image.Image, degrees: float) -> Image.Image:
    return image.rotate(degrees, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=255)


def encode(image: Image.Image, fmt: str, dpi: int, **options: Any) -> bytes:
    buf = io.BytesIO()
    image.save(buf, format=fmt, dpi=(dpi, dpi), **options)
    return buf.getvalue()


def tiff(pages: list[Image.Image], dpi: int) -> bytes:
    buf = io.BytesIO()
    pages[0].save(
        buf,
        format="TIFF",
        save_all=True,
        append_images=pages[1:],
        compression="tiff_deflate",
        dpi=(dpi, dpi),
    )
    return buf.getvalue()


def image_pdf(image: Image.Image, dpi: int) -> bytes:
    """A PDF holding only the picture (what a scanner's "scan to PDF" sends)."""
    buf = io.BytesIO()
    image.save(buf, format="PDF", resolution=float(dpi))
    return buf.getvalue()


def _draw_scan(c: Canvas, scan: Image.Image) -> None:
    """``scan`` as a JPEG picture over the whole A4 page."""
    w, h = A4
    jpeg = io.BytesIO()
    scan.save(jpeg, format="JPEG", quality=90)
    jpeg.seek(0)
    c.drawImage(ImageReader(jpeg), 0, 0, width=w, height=h)


def mixed_pdf(scan: Image.Image, digital_text: list[str]) -> bytes:
    """Page 1 the scanned picture, page 2 a digital page of text."""
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=A4, invariant=1)
    _draw_scan(c, scan)
    c.showPage()
    c.setFont("Helvetica", 10)
    for i, line in enumerate(digital_text):
        c.drawString(50, A4[1] - 60 - 14 * i, line)
    c.showPage()
    c.save()
    return buf.getvalue()


def scan_with_stamp(scan: Image.Image, stamp: str) -> bytes:
    """A scanned page with a few words of real text on it (a copier's stamp)."""
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=A4, invariant=1)
    _draw_scan(c, scan)
    c.setFont("Helvetica", 7)
    c.drawString(40, 14, stamp)
    c.showPage()
    c.save()
    return buf.getvalue()


def letterhead_pdf(header: Image.Image, dpi: int, rows: list[tuple[float, str]]) -> bytes:
    """A digital page whose letterhead is a picture (``header``, drawn across the
    top at ``dpi``) and whose body is text: ``rows`` of (x in points, text),
    one text line each, under the picture."""
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=A4, invariant=1)
    _, h = A4
    png = io.BytesIO()
    header.save(png, format="PNG")
    png.seek(0)
    hw, hh = header.width * 72 / dpi, header.height * 72 / dpi
    c.drawImage(ImageReader(png), 0, h - hh, width=hw, height=hh)
    c.setFont("Helvetica", 9)
    y = h - hh - 30
    for x, text in rows:
        if x < 0:  # a new line
            y -= 16
            continue
        c.drawString(x, y, text)
    c.showPage()
    c.save()
    return buf.getvalue()


def png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims ``width`` x ``height`` pixels (a bomb's header)."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 1024)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def errors(source: str, doc: ExtractedDocument) -> list[str]:
    """Every header field and line item that differs from the ground truth."""

    record = document_record(source, doc)
    empty: dict[str, list[Any]] = {
        "matches": [],
        "discrepancies": [],
        "assets": [],
        "quarantine": [],
    }
    return score({"documents": [record], **empty}, {"documents": [truth(source)], **empty}).errors
