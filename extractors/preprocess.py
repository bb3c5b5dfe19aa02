"""Clean up a page image before OCR: the steps real scans need, and only those.

Each step is a plain function from a Pillow image to a Pillow image, named in
:data:`STEPS` so a deployment (``RECON_EXTRACT_OCR_PREPROCESS``) or the
benchmark can switch it on or off. What each step bought on rendered scans of
``data/samples/`` is measured by ``bench/ocr.py`` and written down in
:mod:`extractors.ocr`. Nothing here runs Tesseract except :func:`orientation`
(its OSD mode), and nothing here reads files or knows about fields.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import cv2
import numpy as np
from numpy.typing import NDArray
from PIL import Image, ImageFilter, ImageOps
from scipy import ndimage

# Pages run in parallel, one per core (extractors.ocr): OpenCV's own thread
# pool would only oversubscribe the cores.
cv2.setNumThreads(1)

TARGET_DPI = 300
"""The resolution a needlessly fine page is scaled down to."""

MIN_DPI = 225
"""Below this, a page is upscaled to it before Tesseract reads it (faxes,
150- and 200-dpi scans).

Line F1 on 16 sample pages scanned at 150 dpi, clean and tilted: read as
scanned 0.737 (clean); upscaled to 200 dpi 0.881 and 0.905, to 225 dpi 0.929
and 0.929, to 300 dpi 0.929 and 0.929; on 16 other sample pages 0.938 and
0.812, 0.979 and 0.875, 0.938 and 0.875. Tesseract's time grows with the
pixels it is given (bare CLI, 8 clean 150-dpi pages: +7.5 % at 200 dpi, +12 %
at 225, +27 % at 300). A 200-dpi page read as scanned did as well as
upscaled to 225 on 32 sample pages, but lost 16 of the 23 items of the
two-page A-26-01301 (quantities read as "1"); upscaled to 225, 250 or 300 it
loses the same 5.
"""

MAX_DPI = 400
"""Above this, a page is scaled down to :data:`TARGET_DPI` (cheaper, no less accurate)."""

A4_WIDTH_INCHES = 8.27
"""A page image with no resolution tag is assumed to be this wide (A4; Letter is 8.5)."""

_MAX_SKEW_DEGREES = 5.0
_SKEW_STEP_DEGREES = 0.25
_SKEW_WORK_WIDTH = 700  # pixels: the skew search runs on a small copy

# A dark filled area at least this big (inches) holds light text (a coloured
# heading band): ink strokes and rules are thinner or narrower than this.
_BAND_MIN_HEIGHT_IN = 0.06
_BAND_MIN_WIDTH_IN = 0.5
_BAND_MIN_FILL = 0.55
_BAND_MIN_INK = 0.5  # of the filled area; the rest is the letters
_BAND_SEARCH_FACTOR = 4


def estimate_dpi(image: Image.Image) -> float:
    """The image's resolution: its tag when plausible, else from an A4 page width."""
    tag = image.info.get("dpi")
    if isinstance(tag, tuple) and tag and float(tag[0]) >= 50:
        return float(tag[0])
    return image.width / A4_WIDTH_INCHES


def is_blank(image: Image.Image) -> bool:
    """True when no pixel of a greyscale page is darker than mid-grey (no ink at all)."""
    low = image.getextrema()[0]
    return isinstance(low, (int, float)) and low >= 128


def normalise_resolution(image: Image.Image, dpi: float) -> tuple[Image.Image, float]:
    """Scale a low-resolution page up to :data:`MIN_DPI` (and a needlessly fine
    one down to :data:`TARGET_DPI`).

    Returns the image and its new resolution. Bicubic up (OpenCV, 0.007 s a
    150-dpi page, where Pillow's Lanczos took 0.08 s, same line F1), area
    averaging down.
    """
    if MIN_DPI <= dpi <= MAX_DPI:
        return image, dpi
    target = MIN_DPI if dpi < MIN_DPI else TARGET_DPI
    factor = target / dpi
    size = (max(1, round(image.width * factor)), max(1, round(image.height * factor)))
    how = cv2.INTER_CUBIC if factor > 1 else cv2.INTER_AREA
    return Image.fromarray(cv2.resize(_pixels(image), size, interpolation=how)), target


def greyscale(image: Image.Image) -> Image.Image:
    """One 8-bit channel; transparency is laid on white paper first."""
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        paper = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        image = Image.alpha_composite(paper, rgba)
    if image.mode == "1":
        return image.convert("L")
    return image.convert("L") if image.mode != "L" else image


def invert_dark_bands(image: Image.Image, dpi: float) -> Image.Image:
    """Turn light text on dark filled areas (heading bands, table headers) dark on light.

    Tesseract reads dark text on a light ground; small white-on-colour labels
    are otherwise lost. A band is a dark connected area at least
    :data:`_BAND_MIN_WIDTH_IN` wide and :data:`_BAND_MIN_HEIGHT_IN` tall that
    fills most of its bounding box once its holes (the letters) are filled.

    Bands are looked for on a copy a quarter the size (labelling a whole
    300-dpi page cost 0.09 s, most of this step's time on a page without
    any band) and each one found is then measured at full resolution.
    """
    grey = np.asarray(image, dtype=np.uint8)
    factor = _BAND_SEARCH_FACTOR
    small = image.reduce(factor) if min(image.size) >= 4 * factor else image
    k = grey.shape[1] / small.width
    candidates = _bands(np.asarray(small, dtype=np.uint8) < 128, dpi / k)
    if not candidates:
        return image
    out = grey.copy()
    changed = False
    for rows, cols in candidates:
        # the candidate's area at full resolution, a block's margin around it
        where = (
            slice(max(0, int(rows.start * k) - factor), int(rows.stop * k) + factor),
            slice(max(0, int(cols.start * k) - factor), int(cols.stop * k) + factor),
        )
        block = out[where]
        for inner in _bands(block < 128, dpi, masks=True):
            region_where, region = inner
            sub = block[region_where]
            inverted = 255 - sub[region].astype(np.float64)
            # the band's own colour becomes white paper, the letters dark ink
            paper = max(float(np.median(inverted)), 1.0)
            sub[region] = np.clip(inverted * (255.0 / paper), 0, 255).astype(np.uint8)
            changed = True
    return Image.fromarray(out) if changed else image


def _bands(dark: NDArray[np.bool_], dpi: float, *, masks: bool = False) -> list[Any]:
    """The dark connected areas of ``dark`` that are filled bands, as bounding
    slices, or with ``masks`` as (slices, filled mask) pairs."""
    labels, count = ndimage.label(dark)
    if count == 0:
        return []
    found: list[Any] = []
    min_w, min_h = _BAND_MIN_WIDTH_IN * dpi, _BAND_MIN_HEIGHT_IN * dpi
    for index, where in enumerate(ndimage.find_objects(labels), 1):
        if where is None:
            continue
        rows, cols = where
        if cols.stop - cols.start < min_w or rows.stop - rows.start < min_h:
            continue
        ink = labels[where] == index
        region = ndimage.binary_fill_holes(ink)
        if region.mean() < _BAND_MIN_FILL:
            continue  # a table's rules, a diagonal stroke: not a filled band
        if ink.sum() < _BAND_MIN_INK * region.sum():
            continue  # a closed frame (a box, a stamp): its inside is paper
        found.append((where, region) if masks else where)
    return found


def deskew(image: Image.Image) -> Image.Image:
    """Straighten a page scanned a few degrees askew (up to ±5°).

    The angle is the one whose row profile of ink is sharpest (text lines
    become thin dark stripes), searched on a small copy of the page.

    Turned with OpenCV's bilinear interpolation: 0.013 s a 300-dpi page, where
    OpenCV's bicubic took 0.037 s, its Lanczos 0.15 s and Pillow's bicubic
    0.27 s. Which one reads best is a matter of a letter here and there
    (tilted pages, line F1 at 150, 200, 300 dpi on 16 sample pages: bilinear
    0.976, 1.000, 0.952, bicubic 0.929, 1.000, 0.976, Pillow's bicubic 0.952,
    0.976, 0.952; on 16 others bilinear 0.848, 0.901, 0.870, bicubic 0.875,
    0.854, 0.875), so the cheapest it is.
    """
    angle = skew_angle(image)
    if abs(angle) < _SKEW_STEP_DEGREES:
        return image
    return Image.fromarray(rotate(_pixels(image), angle, fill=_paper(image)))


def rotate(pixels: NDArray[np.uint8], degrees: float, *, fill: int) -> NDArray[np.uint8]:
    """``pixels`` turned ``degrees`` counter-clockwise (bilinear), on a canvas grown
    to hold all of it, the corners filled with ``fill``."""
    h, w = pixels.shape[:2]
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), degrees, 1.0)
    cos, sin = abs(matrix[0, 0]), abs(matrix[0, 1])
    new_w, new_h = round(h * sin + w * cos), round(h * cos + w * sin)
    matrix[0, 2] += (new_w - w) / 2
    matrix[1, 2] += (new_h - h) / 2
    out = cv2.warpAffine(
        pixels,
        matrix,
        (new_w, new_h),
        flags=cv2.INTER_LINEAR,
        borderMode=cv2.BORDER_CONSTANT,
        borderValue=fill,
    )
    return np.asarray(out, dtype=np.uint8)


def skew_angle(image: Image.Image) -> float:
    """Degrees to rotate (counter-clockwise) so text lines run horizontally.

    Coarse to fine: whole degrees over ±5°, then quarter degrees around the
    best (19 trial rotations instead of 41, on a copy at most 700 pixels wide:
    0.02 s a 300-dpi page instead of 0.2 s, same angle on the tilted samples).
    """
    small = image.reduce(max(1, -(-image.width // _SKEW_WORK_WIDTH)))  # box filter: cheap
    ink = ImageOps.invert(small).point(lambda p: 255 if p > 96 else 0)

    def sharpness(angle: float) -> float:
        rotated = ink.rotate(angle, resample=Image.Resampling.NEAREST, fillcolor=0)
        profile = np.asarray(rotated, dtype=np.float64).sum(axis=1)
        return float(np.square(np.diff(profile)).sum())

    coarse = max(
        (float(a) for a in range(-int(_MAX_SKEW_DEGREES), int(_MAX_SKEW_DEGREES) + 1)),
        key=sharpness,
    )
    steps = round(1 / _SKEW_STEP_DEGREES)
    fine = [coarse + i * _SKEW_STEP_DEGREES for i in range(-steps + 1, steps) if i]
    return max([coarse, *fine], key=sharpness)


def adaptive_threshold(image: Image.Image, dpi: float) -> Image.Image:
    """Black text on white: each pixel against the mean of its neighbourhood.

    Evens out grey paper, shadows at the scanner's edge and faint toner that a
    single global threshold would lose.
    """
    radius = max(2, round(dpi / 12))  # about a sixth of an inch across
    local = image.filter(ImageFilter.BoxBlur(radius))
    grey = np.asarray(image, dtype=np.int16)
    mean = np.asarray(local, dtype=np.int16)
    binary = np.where(grey < mean - 10, 0, 255).astype(np.uint8)
    return Image.fromarray(binary)


def noise_level(image: Image.Image) -> float:
    """How grainy the paper is: the mean difference, in grey levels, between the
    paper pixels of a strip across the middle of the page and their 3x3 median.

    Speckle, toner dust and sensor grain raise it; clean anti-aliased text stays
    low (rendered sample pages: at most 1.3 at 150 dpi and 0.3 at 300 dpi, 1.7
    after JPEG at quality 60; with scanner-like grain and specks: 3.4 to 4.1).
    A strip of an eighth of the page is enough: grain is everywhere alike.
    """
    w, h = image.size
    strip = _pixels(image)[h * 7 // 16 : h * 9 // 16, w // 4 : w * 3 // 4]
    if strip.size == 0:
        return 0.0
    med = cv2.medianBlur(np.ascontiguousarray(strip), 3).astype(np.int16)
    paper = med >= 160
    if not paper.any():
        return 0.0
    diff = np.abs(strip.astype(np.int16) - med)
    return float(diff[paper].mean())


def denoise(image: Image.Image, *, scale: float = 1.0) -> Image.Image:
    """Remove grain and specks, then whiten the paper; strokes stay as they were.

    A median filter over a scanned pixel and its neighbours: 3x3, or 5x5 on a
    page upscaled at least twice (``scale``), where one scanned pixel covers
    two; never wider (:data:`_MAX_MEDIAN`). It runs after any upscaling: at
    150 dpi a 3x3 median before it wore thin strokes away (line F1 0.476 on
    16 grainy pages; after upscaling, with the paper whitened: 0.762). Then
    the grain the median leaves (it is blurred, a few pixels across) is
    lifted to white: every pixel within four deviations of the paper's grey
    becomes paper (:func:`whiten_paper`).
    """
    kernel = min(2 * max(1, int(scale)) + 1, _MAX_MEDIAN)
    pixels = cv2.medianBlur(_pixels(image), kernel)
    return Image.fromarray(whiten_paper(np.asarray(pixels, dtype=np.uint8)))


#: The widest median :func:`denoise` uses. 7x7 on grainy 150-dpi pages
#: upscaled twice wore strokes away (line F1 0.415, 5x5: 0.738), and on a
#: 240x150 photo upscaled eightfold a 15x15 median drew blobs Tesseract read
#: as 30 characters of text (5x5: none, so it is "not a document").
_MAX_MEDIAN = 5

#: Paper pixels this many (robust) standard deviations darker than the paper's
#: grey still count as paper in :func:`whiten_paper`.
_PAPER_DEVIATIONS = 4.0


def whiten_paper(pixels: NDArray[np.uint8]) -> NDArray[np.uint8]:
    """Stretch grey levels so that the paper and its grain become white.

    The paper's grey is the median of the light pixels (160 and up) and its
    spread their median absolute deviation (times 1.4826, a standard
    deviation for Gaussian grain); everything from
    :data:`_PAPER_DEVIATIONS` deviations below the paper up is white, darker
    greys are stretched in proportion, so ink keeps its anti-aliased edges.
    """
    hist = np.bincount(pixels.ravel(), minlength=256).astype(np.float64)
    light = hist.copy()
    light[:160] = 0
    total = light.sum()
    if total == 0:
        return pixels
    paper = int(np.searchsorted(np.cumsum(light), total / 2))
    deviations = np.bincount(np.abs(np.arange(256) - paper), weights=light, minlength=256)
    mad = int(np.searchsorted(np.cumsum(deviations), total / 2))
    white = max(paper - _PAPER_DEVIATIONS * 1.4826 * max(mad, 1), 64.0)
    lut = np.clip(np.arange(256) * (255.0 / white), 0, 255).astype(np.uint8)
    return np.asarray(lut[pixels], dtype=np.uint8)


def rotate_upright(image: Image.Image, degrees: int) -> Image.Image:
    """Undo a page turned by 90, 180 or 270 degrees (clockwise, as OSD reports it)."""
    if degrees % 360 == 0:
        return image
    return image.rotate(-degrees, expand=True)


def _pixels(image: Image.Image) -> NDArray[np.uint8]:
    """A greyscale image's pixels as a (height, width) array, without a copy where
    Pillow allows it."""
    return np.asarray(image.convert("L") if image.mode != "L" else image, dtype=np.uint8)


def _paper(image: Image.Image) -> int:
    """The page's background grey (its brightest common value)."""
    hist = image.histogram()[:256]
    return max(range(128, 256), key=lambda v: hist[v]) if sum(hist[128:]) else 255


Step = Callable[[Image.Image, float], Image.Image]

STEPS: dict[str, Step] = {
    "invert_bands": invert_dark_bands,
    "deskew": lambda image, _dpi: deskew(image),
    "denoise": lambda image, _dpi: denoise(image),
    "threshold": adaptive_threshold,
}
"""The optional steps by name, applied in this order after greyscale, resolution
and orientation (which always run)."""
