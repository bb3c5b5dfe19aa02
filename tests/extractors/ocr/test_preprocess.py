"""What each clean-up step does to a page, and what it buys OCR.

The steps are plain image functions (extractors/preprocess.py); these tests
check each one's effect on sample pages rendered like scans, and, for the
steps on by default, that a real Tesseract reads the page better with the
step than without it. bench/ocr.py --ablate measures the same over the
sample set.
"""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFilter

from extractors import preprocess
from extractors.ocr import tesseract_available
from extractors.registry import extract
from extractors.settings import ExtractionSettings
from tests.extractors.ocr import scans

ACME = "2026-10-09_acme_A-26-01184.pdf"
PACIFIC = "2026-10-20_pacific_104955.pdf"  # white-on-green label bands

needs_tesseract = pytest.mark.skipif(not tesseract_available(), reason="tesseract not installed")


@pytest.mark.parametrize("degrees", [-2.0, -1.2, 0.0, 1.2, 3.5])
def test_skew_angle_finds_the_tilt(degrees: float) -> None:
    page = scans.tilt(scans.render(ACME, 150)[0], degrees)
    assert preprocess.skew_angle(page) == pytest.approx(-degrees, abs=0.25)


def test_deskew_leaves_a_straight_page_alone() -> None:
    page = scans.render(ACME, 150)[0]
    assert preprocess.deskew(page) is page


@needs_tesseract
def test_deskew_buys_the_line_items_of_a_tilted_page() -> None:
    """GIVEN a page scanned 2 degrees askew WHEN read with and without deskew
    THEN the table's items are read only with it (tilted rows break the columns)."""
    page = scans.tilt(scans.render(ACME, 200)[0], 2.0)
    data = scans.encode(page, "PNG", 200)
    want = len(scans.truth(ACME)["lines"])
    with_step = extract(data, filename="tilted.png", settings=ExtractionSettings())
    without = extract(
        data,
        filename="tilted.png",
        settings=ExtractionSettings(ocr_preprocess=("orientation", "invert_bands")),
    )
    assert len(with_step.lines) == want
    assert scans.errors(ACME, with_step) == []
    assert scans.errors(ACME, without) != []


def test_invert_bands_turns_white_on_colour_labels_dark_on_light() -> None:
    page = scans.render(PACIFIC, 150)[0]
    out = preprocess.invert_dark_bands(page, 150)
    before, after = np.asarray(page), np.asarray(out)
    changed = before != after
    assert changed.any()
    # the bands were dark and are now mostly paper
    assert before[changed].mean() < 128 < after[changed].mean()


def test_invert_bands_leaves_frames_and_stamps_alone() -> None:
    """A closed frame (a box round an address, a COPY stamp) is not a band:
    its inside is paper, and inverting it would blacken what it holds."""
    page = Image.new("L", (1200, 800), 255)
    draw = ImageDraw.Draw(page)
    draw.rectangle((100, 100, 700, 400), outline=0, width=6)
    draw.text((150, 200), "Deliver to", fill=0)
    assert preprocess.invert_dark_bands(page, 150) is page


@needs_tesseract
def test_invert_bands_buys_the_labels_in_coloured_bands() -> None:
    """Pacific prints "INVOICE #" and "P.O. #" white on green: without the step
    Tesseract cannot read those labels, so the number and PO are lost."""
    page = scans.render(PACIFIC, 300)[0]
    data = scans.encode(page, "PNG", 300)
    want = scans.truth(PACIFIC)
    with_step = extract(data, filename="scan.png", settings=ExtractionSettings())
    without = extract(
        data, filename="scan.png", settings=ExtractionSettings(ocr_preprocess=("orientation",))
    )
    assert with_step.number is not None and with_step.number.value == want["number"]
    assert with_step.po_number is not None and with_step.po_number.value == want["po_number"]
    read_without = (
        without.number.value if without.number else None,
        without.po_number.value if without.po_number else None,
    )
    assert read_without != (want["number"], want["po_number"])


@pytest.mark.parametrize(
    ("dpi", "expected"), [(150, 225), (200, 225), (225, 225), (300, 300), (400, 400), (600, 300)]
)
def test_resolution_is_brought_to_what_tesseract_reads_best(dpi: int, expected: int) -> None:
    page = Image.new("L", (dpi * 8, dpi * 11), 255)
    out, new_dpi = preprocess.normalise_resolution(page, dpi)
    assert new_dpi == expected
    assert out.width == round(page.width * expected / dpi)


def test_resolution_of_an_untagged_image_comes_from_an_a4_width() -> None:
    page = Image.new("L", (1240, 1754), 255)  # A4 at 150 dpi, no dpi tag
    assert preprocess.estimate_dpi(page) == pytest.approx(150, abs=1)


def test_greyscale_lays_transparency_on_white_paper() -> None:
    rgba = Image.new("RGBA", (10, 10), (0, 0, 0, 0))  # fully transparent black
    assert preprocess.greyscale(rgba).getextrema() == (255, 255)


def test_denoise_removes_specks_and_keeps_strokes() -> None:
    page = Image.new("L", (200, 100), 255)
    draw = ImageDraw.Draw(page)
    draw.line((20, 50, 180, 50), fill=0, width=4)  # a stroke
    for x, y in ((10, 10), (60, 80), (150, 20)):
        page.putpixel((x, y), 0)  # specks
    out = np.asarray(preprocess.denoise(page))
    assert out[10, 10] == out[80, 60] == out[20, 150] == 255
    assert out[50, 100] == 0


def test_whitening_lifts_grainy_paper_to_white_and_keeps_ink() -> None:
    rng = np.random.default_rng(3)
    paper = np.clip(rng.normal(235, 6, (100, 200)), 0, 255).astype(np.uint8)
    paper[40:60, 20:180] = 30  # a stroke
    paper[45:55, 10:20] = 140  # its anti-aliased grey edge
    out = preprocess.whiten_paper(paper)
    assert (out[:30] == 255).mean() > 0.97  # grain gone
    assert out[50, 100] < 40 and 100 < out[50, 15] < 200  # ink dark, edge grey


def _grainy(page: Image.Image, seed: int) -> Image.Image:
    """Scanner grain (Gaussian, sigma 18 grey levels), black specks on 0.2 % of
    the pixels, a slight blur: what bench/ocr.py calls a grainy scan."""
    rng = np.random.default_rng(seed)
    pixels = np.asarray(page, dtype=np.int16)
    out = np.clip(pixels + rng.normal(0, 18, pixels.shape), 0, 255)
    out[rng.random(pixels.shape) < 0.002] = 0
    return Image.fromarray(out.astype(np.uint8)).filter(ImageFilter.GaussianBlur(0.6))


@needs_tesseract
def test_a_grainy_150_dpi_scan_is_denoised_and_its_items_read() -> None:
    """GIVEN a grainy 150-dpi scan WHEN read as measured (grainy, so denoised
    after upscaling) and with the noise check off THEN only the first reads
    the items."""
    page = _grainy(scans.render(ACME, 150)[0], seed=7)
    assert preprocess.noise_level(page) > ExtractionSettings().ocr_noise_level
    data = scans.encode(page, "PNG", 150)
    denoised = extract(data, filename="grainy.png")
    as_is = extract(data, filename="grainy.png", settings=ExtractionSettings(ocr_noise_level=255))
    assert scans.errors(ACME, denoised) == []
    assert len(as_is.lines) < len(scans.truth(ACME)["lines"])


def test_threshold_makes_a_grey_shadowed_page_black_and_white() -> None:
    ramp = np.tile(np.linspace(120, 250, 400, dtype=np.uint8), (200, 1))  # a shadow
    page = Image.fromarray(ramp)
    ImageDraw.Draw(page).line((20, 100, 380, 100), fill=40, width=3)
    out = np.asarray(preprocess.adaptive_threshold(page, 150))
    assert set(np.unique(out)) <= {0, 255}
    assert out[100, 30] == 0 and out[100, 370] == 0  # the line, in shadow and in light
    assert out[20, 30] == 255  # shadowed paper is paper
