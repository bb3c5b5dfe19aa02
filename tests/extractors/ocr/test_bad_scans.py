"""Scans that cannot become documents: a code, a reason, bounded time and memory."""

from __future__ import annotations

import io
import time

import numpy as np
import pytest
from PIL import Image, ImageFilter

from extractors.ocr import tesseract_available
from extractors.registry import extract
from extractors.settings import ExtractionSettings
from extractors.types import ErrorCode, ExtractionError
from tests.extractors.ocr import scans

pytestmark = pytest.mark.skipif(not tesseract_available(), reason="tesseract not installed")


def _error(data: bytes, settings: ExtractionSettings | None = None) -> ExtractionError:
    with pytest.raises(ExtractionError) as info:
        extract(data, filename="scan", settings=settings)
    return info.value


def test_decompression_bomb_png_is_refused_from_its_header() -> None:
    """GIVEN a 2 KB PNG claiming 50,000 x 50,000 pixels THEN HOSTILE, nothing decoded."""
    t0 = time.perf_counter()
    err = _error(scans.png_claiming(50_000, 50_000))
    assert time.perf_counter() - t0 < 2
    assert err.code is ErrorCode.HOSTILE
    assert "decompression bomb" in err.reason


def test_pixel_cap_is_a_setting() -> None:
    err = _error(scans.png_claiming(3000, 3000), ExtractionSettings(ocr_max_image_pixels=10**6))
    assert err.code is ErrorCode.HOSTILE


def test_truncated_jpeg_is_corrupt() -> None:
    jpeg = scans.encode(scans.render("PO-2026-0141.pdf", 100)[0], "JPEG", 100)
    err = _error(jpeg[: len(jpeg) // 2])
    assert err.code is ErrorCode.CORRUPT
    assert "damaged or truncated" in err.reason


def test_garbage_after_a_png_signature_is_corrupt() -> None:
    err = _error(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    assert err.code is ErrorCode.CORRUPT


@pytest.mark.parametrize(("pages", "limit"), [(501, 500), (500, 100)])
def test_tiff_with_too_many_pages_is_refused_before_ocr(pages: int, limit: int) -> None:
    frames = [Image.new("L", (16, 16), 255) for _ in range(pages)]
    buf = io.BytesIO()
    frames[0].save(buf, format="TIFF", save_all=True, append_images=frames[1:])
    t0 = time.perf_counter()
    err = _error(buf.getvalue(), ExtractionSettings(max_pages=limit))
    assert time.perf_counter() - t0 < 5
    assert err.code is ErrorCode.TOO_MANY_PAGES
    assert f"{pages} pages" in err.reason


def test_blank_page_has_no_text() -> None:
    blank = Image.new("L", (2480, 3508), 250)
    err = _error(scans.encode(blank, "PNG", 300))
    assert err.code is ErrorCode.NOT_A_DOCUMENT
    assert "OCR found no text" in err.reason


def test_photo_without_text_is_not_a_document() -> None:
    """GIVEN a photo (soft shapes and sensor noise, no writing) THEN no invoice is found."""
    rng = np.random.default_rng(7)
    y, x = np.mgrid[0:1200, 0:1600]
    sky = 120 + 80 * np.sin(x / 170.0) * np.cos(y / 230.0)
    photo = np.clip(sky + rng.normal(0, 12, sky.shape), 0, 255).astype(np.uint8)
    image = Image.fromarray(photo).convert("RGB").filter(ImageFilter.GaussianBlur(2))
    err = _error(scans.encode(image, "JPEG", 150, quality=85))
    assert err.code in (ErrorCode.NOT_A_DOCUMENT, ErrorCode.UNKNOWN_KIND)
    assert "no text" in err.reason or "invoice" in err.reason


def test_a_long_scan_is_refused_before_ocr() -> None:
    """A 500-page TIFF is within max_pages but far beyond what is worth OCRing."""
    import io
    import time

    from PIL import Image

    frames = [Image.new("1", (16, 16), 1) for _ in range(120)]
    out = io.BytesIO()
    frames[0].save(out, format="TIFF", save_all=True, append_images=frames[1:])
    started = time.perf_counter()
    with pytest.raises(ExtractionError) as err:
        extract(out.getvalue(), filename="long.tif")
    assert err.value.code is ErrorCode.TOO_MANY_PAGES
    assert "RECON_EXTRACT_OCR_MAX_PAGES" in err.value.reason
    assert time.perf_counter() - started < 10
