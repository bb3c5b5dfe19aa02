"""The OCR extractor: scans (PNG, JPEG, TIFF, image-only and mixed PDFs) to words.

Pages without a text layer are rendered (PDF, PDFium at 300 dpi under
:data:`~extractors._pdfium.PDFIUM_LOCK`) or decoded (images), cleaned up by
:mod:`extractors.preprocess`, and read by Tesseract (through pytesseract, hOCR
output). Pages of a PDF that do have text keep their digital words
(:func:`extractors.pdf.read_words`). All words, in PDF points from the page's
top-left with Tesseract's word confidence, go to the one layout entry point
:func:`extractors.document.analyse`. Reading fields here is not allowed.

Pages run in parallel, one Tesseract process per page, each limited to one
OpenMP thread (``OMP_THREAD_LIMIT=1``: 1.6 s/page against 6.5 s with the default
threads, measured), never more Tesseract processes at once in this process than
the machine has cores (:data:`_TESSERACT_SLOTS`), whatever the callers do.

Why hOCR and not ``image_to_data``: hOCR gives each line's baseline and text
size, so a word's box can be the font's em box like a PDF's text layer gives
(Tesseract's boxes hug the ink: "ace" is half as tall as "Ship"), and the layout
thresholds, which are fractions of the text height, then mean the same thing
for scans and digital PDFs.

Measured with ``bench/ocr.py`` (sample documents rendered to greyscale scans;
Tesseract 5.3.0, OMP_THREAD_LIMIT=1, 2 cores, languages eng+deu+fra unless
said; header = kind + 8 fields, lines = exact item match; the sample set was
changing while this was measured, so compare rows of one run only):

* psm 3 (automatic layout) against psm 6 (one uniform block), 24 invoices at
  300 dpi: header 0.903 vs 0.875, line F1 0.894 vs 0.834. psm 3 is the default.
* Em boxes from hOCR line metrics against Tesseract's ink boxes (same run):
  line F1 0.894 vs 0.573 (ink boxes split cells into one-word phrases).
* invert_bands (white-on-colour labels): the Pacific layout's "INVOICE #" and
  "P.O. #" labels are read at all only with it (2 of 9 header fields per
  Pacific invoice); about +0.1 s/page.
* orientation + deskew on clean 300-dpi pages (6 documents): line F1 0.722 ->
  0.889, 1.27 -> 2.14 s/page (OSD is a second Tesseract run, ~1 s/page).
* deskew on pages tilted 1.2-2 degrees (200 dpi): header 0.759 -> 0.926, line
  F1 0.000 -> 0.889.
* orientation on pages turned 90/180/270 (200 dpi): header 0.148 -> 0.870,
  line F1 0.000 -> 0.788.
* deskew by moving OCR's word boxes instead of turning the pixels (free, where
  turning cost 0.23 s a 300-dpi page with Pillow, now 0.013 s with OpenCV), 16
  documents tilted 1.2-2 degrees: line F1 0.952 -> 0.795 at 300 dpi, 0.952 ->
  0.857 at 150 dpi. Pixels it is.
* denoise (3x3 median) on noisy, blurred, JPEG-60, tilted pages (200 dpi):
  header 0.833 -> 0.981, line F1 0.148 -> 0.833, no extra time; no change on
  6 clean pages (+0.09 s/page), but on a clean 300-dpi page drawn into a PDF
  it erased the final "1" of an invoice number. Off by default until it runs
  only on pages measured as noisy; turn it on for noisy scanners.
* grainy pages (noise_level over the setting) are median-filtered after
  upscaling and their paper whitened (preprocess.denoise), 16 grainy pages at
  150, 200, 300 dpi: line F1 0.476, 0.905, 0.952 with a 3x3 median before
  upscaling -> 0.762, 0.905, 0.976; 16 other grainy 150-dpi pages 0.615 ->
  0.821.
* adaptive threshold on the same noisy pages: header 0.352, line F1 0.000
  (worse than nothing; Tesseract's own Otsu does better). Off by default.
* eng against eng+deu+fra (8 documents, 300 dpi): header 0.972 vs 0.986, line
  F1 0.895 vs 0.947, 1.64 vs 2.14 s/page; the three-language model also
  misreads "Qty" as "Oty" on some pages (quantity column lost).

What must never happen here: a second copy of field or table logic, a call into
PDFium without the lock, or an image decoded before its size was checked.
"""

from __future__ import annotations

import functools
import io
import os
import re
import shutil
import threading
import xml.etree.ElementTree as ET
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from functools import partial
from types import ModuleType
from typing import Any

import pypdfium2 as pdfium
from PIL import Image, UnidentifiedImageError

from extractors._pdfium import PDFIUM_LOCK
from extractors.document import analyse
from extractors.layout import PageSize
from extractors.pdf import (
    check_page_limit,
    count_pages,
    pages_to_ocr,
    probe_pages,
    read_words,
)
from extractors.settings import ExtractionSettings
from extractors.sniff import JPEG, PDF, PNG, TIFF, sniff_mime
from extractors.types import (
    Box,
    DocumentKind,
    ErrorCode,
    ExtractedDocument,
    ExtractionError,
    Word,
)

NAME = "ocr"
IMAGE_TYPES = frozenset({PNG, JPEG, TIFF})
MIXED_PDF_SCORE = 0.9
"""A PDF with at least one page without text: above the text extractor's score for it."""

TESSERACT_LANGUAGES = {"en": "eng", "de": "deu", "fr": "fra"}
"""recon's vocabulary names to Tesseract's traineddata names."""

_TESSERACT_SLOTS = threading.BoundedSemaphore(os.cpu_count() or 1)
_ENV_LOCK = threading.Lock()
_RESEND = "re-scan it or ask the sender for a digital PDF"
_PIPES = "|¦"  # a table's vertical rules, read as characters
_TITLE_FIELD = re.compile(r"(\w+)\s+([^;]+)")


@dataclass(frozen=True, slots=True)
class PageWords:
    """What OCR read on one page: words in points, and the page's size in points."""

    number: int
    words: tuple[Word, ...]
    size: PageSize
    rotated: int = 0


class OcrExtractor:
    """Scanned pages: images, and PDFs with at least one page without a text layer."""

    name = NAME
    mime_types = frozenset({PDF, *IMAGE_TYPES})

    def score(self, data: bytes, mime: str, *, settings: ExtractionSettings | None = None) -> float:
        """1.0 for an image, 0.9 for a PDF with a page without text, else 0.

        0 when Tesseract is not installed, so a scan is then reported as needing OCR.
        """
        if mime not in self.mime_types or not tesseract_available():
            return 0.0
        if mime in IMAGE_TYPES:
            return 1.0
        flags = pages_to_ocr(data, settings or ExtractionSettings())
        return MIXED_PDF_SCORE if flags and any(flags) else 0.0

    def extract(
        self,
        data: bytes,
        *,
        filename: str,
        kind_hint: DocumentKind | None,
        settings: ExtractionSettings,
    ) -> ExtractedDocument:
        """OCR the pages without text, then read the document from all its words."""
        if not data:
            raise ExtractionError(ErrorCode.EMPTY, f"{filename} is empty (0 bytes); {_RESEND}")
        mime = sniff_mime(data)
        if mime == PDF:
            return self._extract_pdf(data, filename=filename, kind_hint=kind_hint, s=settings)
        if mime in IMAGE_TYPES:
            return self._extract_image(data, filename=filename, kind_hint=kind_hint, s=settings)
        raise ExtractionError(
            ErrorCode.UNSUPPORTED_TYPE,
            f"{filename} is {mime}, not a PDF or a PNG, JPEG or TIFF image; "
            "ask the sender for a PDF",
        )

    def _extract_image(
        self, data: bytes, *, filename: str, kind_hint: DocumentKind | None, s: ExtractionSettings
    ) -> ExtractedDocument:
        frames = _frame_count(data, filename=filename, settings=s)
        check_page_limit(frames, filename, s)
        _check_ocr_page_limit(frames, filename, s)
        pages = _ocr_pages(
            [partial(_load_frame, data, i, filename, s) for i in range(frames)],
            numbers=list(range(1, frames + 1)),
            settings=s,
        )
        return _analyse(pages, [], [], {}, frames, filename, kind_hint, s)

    def _extract_pdf(
        self, data: bytes, *, filename: str, kind_hint: DocumentKind | None, s: ExtractionSettings
    ) -> ExtractedDocument:
        page_count = count_pages(data, filename=filename)
        if page_count == 0:
            raise ExtractionError(
                ErrorCode.NO_PAGES, f"{filename} is a PDF with no pages; {_RESEND}"
            )
        check_page_limit(page_count, filename, s)
        # The same question score() asked (page_count <= max_pages was checked
        # above), so the answer comes from the probe's cache.
        flags = pages_to_ocr(data, s) or (True,) * page_count
        probes = probe_pages(data, limit=s.max_pages, max_inflated_bytes=s.max_inflated_bytes)
        digital, aside, sizes = read_words(
            data, filename=filename, max_inflated_bytes=s.max_inflated_bytes
        )
        scanned = [i + 1 for i, wanted in enumerate(flags) if wanted]
        _check_ocr_page_limit(len(scanned), filename, s)
        # A page a picture covers almost whole is a scan, whatever few words of
        # text lie on it (a copier's stamp): it may be tilted or turned, so it
        # gets every clean-up step, and OCR reads the stamp with the rest.
        scans = {n for n in scanned if probes and probes[n - 1].image_share >= _SCAN_SHARE}
        digital = [w for w in digital if w.box.page not in scans]
        with_text = {w.box.page for w in digital}
        # A page with a text layer is upright and straight as the PDF draws
        # it: turning or deskewing its picture would move OCR's words off the
        # text layer's coordinates.
        in_place = s.model_copy(
            update={"ocr_preprocess": tuple(x for x in s.ocr_preprocess if x in _IN_PLACE)}
        )
        pages = _ocr_pages(
            [partial(_render_page, data, n, filename, s) for n in scanned],
            numbers=scanned,
            settings=[in_place if n in with_text else s for n in scanned],
        )
        pages = [_beside_text(p, digital) if p.number in with_text else p for p in pages]
        return _analyse(pages, digital, aside, sizes, page_count, filename, kind_hint, s)


def _pytesseract() -> Any:
    """pytesseract, imported on first OCR: it imports pandas when that is
    installed, which a digital-PDF ingest should not pay for."""
    import pytesseract

    return pytesseract


def _preprocess() -> ModuleType:
    """The image clean-up steps, imported on first OCR (they need SciPy)."""
    from extractors import preprocess

    return preprocess


@functools.cache
def tesseract_available() -> bool:
    """True when the tesseract program can be run (looked up once, no import)."""
    return shutil.which("tesseract") is not None


def tesseract_languages(settings: ExtractionSettings) -> str:
    """Tesseract's ``-l`` argument: the setting, else recon's languages mapped."""
    if settings.ocr_languages:
        return settings.ocr_languages
    codes = [TESSERACT_LANGUAGES.get(lang, lang) for lang in settings.languages]
    return "+".join(dict.fromkeys(codes)) or "eng"


@dataclass(frozen=True, slots=True)
class _Scan:
    """A page image ready for OCR and how to map its pixels to points."""

    image: Image.Image
    dpi: float
    size: PageSize | None = None  # the PDF page's size, when it came from one


def _analyse(
    pages: Sequence[PageWords],
    digital: list[Word],
    aside: list[Word],
    sizes: dict[int, PageSize],
    page_count: int,
    filename: str,
    kind_hint: DocumentKind | None,
    s: ExtractionSettings,
) -> ExtractedDocument:
    words = list(digital)
    all_sizes = dict(sizes)
    notes: list[str] = []
    for p in pages:
        words.extend(p.words)
        all_sizes[p.number] = p.size
        if p.rotated:
            notes.append(f"page {p.number} was turned by {p.rotated} degrees; read upright")
    chars = sum(len(w.text) for w in words)
    if chars < s.min_text_chars_per_page:
        raise ExtractionError(
            ErrorCode.NOT_A_DOCUMENT,
            f"{filename}: OCR found no text on {'its page' if page_count == 1 else 'its pages'} "
            f"({chars} characters): a blank page or a picture, not an invoice or another "
            f"business document; {_RESEND}",
        )
    words.sort(key=lambda w: w.box.page)
    doc = analyse(
        words,
        extractor=NAME,
        page_count=page_count,
        settings=s,
        kind_hint=kind_hint,
        pages=all_sizes,
        aside=aside,
    )
    return replace(doc, notes=(*doc.notes, *notes)) if notes else doc


def _check_ocr_page_limit(pages: int, filename: str, s: ExtractionSettings) -> None:
    """OCR costs seconds a page: refuse a scan longer than any invoice before it starts."""
    if pages > s.ocr_max_pages:
        raise ExtractionError(
            ErrorCode.TOO_MANY_PAGES,
            f"{filename} has {pages} scanned pages to OCR, more than the limit of "
            f"{s.ocr_max_pages} (RECON_EXTRACT_OCR_MAX_PAGES); split it into single documents "
            "or raise the limit",
        )


#: A PDF page that pictures cover this much of is read as a scan (see _extract_pdf).
_SCAN_SHARE = 0.5

#: Clean-up steps that leave every pixel where it was (see _extract_pdf).
_IN_PLACE = frozenset({"invert_bands", "denoise", "threshold"})


def _beside_text(page: PageWords, digital: Sequence[Word]) -> PageWords:
    """The OCR words of a page that has a text layer, less those the text layer
    already has: what OCR adds is what pictures hold."""
    boxes = [w.box for w in digital if w.box.page == page.number]

    def covered(w: Word) -> bool:
        cx, cy = (w.box.x0 + w.box.x1) / 2, (w.box.top + w.box.bottom) / 2
        return any(b.x0 <= cx <= b.x1 and b.top <= cy <= b.bottom for b in boxes)

    return replace(page, words=tuple(w for w in page.words if not covered(w)))


def _ocr_pages(
    loaders: Sequence[Callable[[], _Scan]],
    *,
    numbers: Sequence[int],
    settings: ExtractionSettings | Sequence[ExtractionSettings],
) -> list[PageWords]:
    """Load, clean and OCR each page, in parallel; results in page order.

    ``settings`` is one for all pages or one per page.
    """
    if not loaders:
        return []
    _limit_openmp()
    per_page = (
        [settings] * len(loaders) if isinstance(settings, ExtractionSettings) else list(settings)
    )
    first = per_page[0]
    workers = max(1, min(first.ocr_workers or os.cpu_count() or 1, len(loaders)))

    def one(index: int) -> PageWords:
        scan = loaders[index]()
        return read_page(scan.image, dpi=scan.dpi, page=numbers[index], settings=per_page[index])

    if workers == 1:
        return [one(i) for i in range(len(loaders))]
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="recon-ocr") as pool:
        return list(pool.map(one, range(len(loaders))))


def read_page(
    image: Image.Image, *, dpi: float, page: int, settings: ExtractionSettings
) -> PageWords:
    """Pre-process one page image and OCR it; word boxes in points from the top-left."""
    image = _preprocess().greyscale(image)
    if _preprocess().is_blank(image):  # nothing to read: no Tesseract, no upscaling
        k = 72.0 / dpi
        return PageWords(page, (), PageSize(image.width * k, image.height * k))
    grainy = (
        "denoise" not in settings.ocr_preprocess
        and _preprocess().noise_level(image) > settings.ocr_noise_level
    )
    scanned_dpi = dpi
    image, dpi = _preprocess().normalise_resolution(image, dpi)
    if grainy:
        # A grainy scan: specks become letters and break words. The median
        # filter runs after any upscaling, which leaves it whole strokes to keep.
        image = _preprocess().denoise(image, scale=dpi / scanned_dpi)
    words = _read_upright(image, dpi=dpi, page=page, settings=settings)
    rotated = 0
    # Orientation (Tesseract OSD) is a second Tesseract run: pay for it only
    # when the page as it came reads poorly, which a turned page does.
    if "orientation" in settings.ocr_preprocess and not _trustworthy(words, settings):
        rotated = orientation(image, settings)
        if rotated:
            turned = _preprocess().rotate_upright(image, rotated)
            again = _read_upright(turned, dpi=dpi, page=page, settings=settings)
            if _quality(again) > _quality(words):
                image, words = turned, again
            else:
                rotated = 0
    k = 72.0 / dpi
    size = PageSize(image.width * k, image.height * k)
    return PageWords(page, tuple(words), size, rotated)


def _read_upright(
    image: Image.Image, *, dpi: float, page: int, settings: ExtractionSettings
) -> list[Word]:
    for name, step in _preprocess().STEPS.items():
        if name in settings.ocr_preprocess:
            image = step(image, dpi)
    return run_tesseract(image, dpi=dpi, page=page, settings=settings)


#: Fewer words than this say too little to judge a page's reading by.
_MIN_WORDS_TO_JUDGE = 10


def _trustworthy(words: Sequence[Word], settings: ExtractionSettings) -> bool:
    """Enough words, read on average with a confidence we would trust in a field,
    and lying the way text lies on an upright page.

    Tesseract reads the lines of a page turned 90 degrees confidently, as
    words standing on end: on an upright page a word of three or more
    letters is wider than it is tall.
    """
    if len(words) < _MIN_WORDS_TO_JUDGE:
        return False
    if sum(w.confidence for w in words) / len(words) < settings.ocr_low_confidence:
        return False
    long_words = [w for w in words if len(w.text) >= 3]
    standing = sum(1 for w in long_words if w.box.bottom - w.box.top > w.box.x1 - w.box.x0)
    return standing * 2 < len(long_words)


def _quality(words: Sequence[Word]) -> float:
    """Confidence mass: more words read surely is a better reading."""
    return sum(w.confidence for w in words)


def orientation(image: Image.Image, settings: ExtractionSettings) -> int:
    """Clockwise degrees (0, 90, 180, 270) the page is turned, from Tesseract's OSD.

    A page OSD cannot judge (too little text) counts as upright.
    """
    small = image
    if image.width > 1600:  # OSD needs text, not detail: a small copy is enough
        f = 1600 / image.width
        small = image.resize((1600, max(1, round(image.height * f))), Image.Resampling.BILINEAR)
    try:
        with _TESSERACT_SLOTS:
            osd = _pytesseract().image_to_osd(
                small,
                config="--psm 0 --dpi 150",
                timeout=settings.ocr_page_timeout,
                output_type=_pytesseract().Output.DICT,
            )
    except _pytesseract().TesseractError:
        return 0
    except RuntimeError as exc:  # pytesseract's timeout
        raise _timeout(settings) from exc
    if float(osd.get("orientation_conf", 0.0)) < settings.ocr_orientation_confidence:
        return 0
    return int(osd.get("rotate", 0)) % 360


def run_tesseract(
    image: Image.Image, *, dpi: float, page: int, settings: ExtractionSettings
) -> list[Word]:
    """Tesseract's words on ``image`` (hOCR), boxes converted to points."""
    config = f"--psm {settings.ocr_psm} --dpi {round(dpi)}"
    if image.mode not in ("L", "RGB", "1"):
        image = image.convert("L")
    # pytesseract hands Tesseract the image through a file in ``image.format``;
    # without one it writes PNG, whose compression cost 0.16 s a 300-dpi page.
    # BMP is written in 0.006 s and read by Tesseract as fast as PNG (PGM, as
    # cheap to write, took Tesseract 0.04 s longer to read).
    image.format = "BMP"
    try:
        with _TESSERACT_SLOTS:
            hocr = _pytesseract().image_to_pdf_or_hocr(
                image,
                lang=tesseract_languages(settings),
                config=config,
                extension="hocr",
                timeout=settings.ocr_page_timeout,
            )
    except RuntimeError as exc:  # pytesseract's timeout
        raise _timeout(settings) from exc
    return words_from_hocr(hocr, page=page, scale=72.0 / dpi)


def words_from_hocr(hocr: bytes, *, page: int, scale: float) -> list[Word]:
    """Words from Tesseract's hOCR; each box spans its line's em height.

    The vertical extent is the line's text size (``x_size``) resting on its
    baseline with the line's descender depth below it, as a PDF's font box;
    the horizontal extent is the word's ink.
    """
    root = ET.fromstring(hocr)
    out: list[Word] = []
    for line in root.iter():
        if _hocr_class(line) not in ("ocr_line", "ocr_header", "ocr_caption", "ocr_textfloat"):
            continue
        meta = _title(line)
        lx0, _ly0, _lx1, ly1 = _bbox(meta)
        slope, offset = _floats(meta.get("baseline", "0 0"), 2)
        x_size = _floats(meta.get("x_size", "0"), 1)[0]
        descent = _floats(meta.get("x_descenders", "0"), 1)[0]
        for span in line:
            if _hocr_class(span) != "ocrx_word":
                continue
            text = "".join(span.itertext()).strip().strip(_PIPES).strip()
            if not text:
                continue
            wmeta = _title(span)
            x0, y0, x1, y1 = _bbox(wmeta)
            conf = max(0.0, min(1.0, float(wmeta.get("x_wconf", "0")) / 100))
            if x_size <= 0:
                top, bottom = y0, y1
            else:
                baseline = ly1 + offset + slope * ((x0 + x1) / 2 - lx0)
                bottom = baseline + descent
                top = min(bottom - x_size, y0)
                bottom = max(bottom, y1)
            out.append(
                Word(text, Box(page, x0 * scale, top * scale, x1 * scale, bottom * scale), conf)
            )
    return out


def _hocr_class(element: ET.Element) -> str:
    return element.get("class", "")


def _title(element: ET.Element) -> dict[str, str]:
    return {m.group(1): m.group(2).strip() for m in _TITLE_FIELD.finditer(element.get("title", ""))}


def _floats(text: str, n: int) -> list[float]:
    parts = [float(v) for v in text.split()[:n]]
    return parts + [0.0] * (n - len(parts))


def _bbox(meta: dict[str, str]) -> tuple[float, float, float, float]:
    x0, y0, x1, y1 = _floats(meta.get("bbox", "0 0 0 0"), 4)
    return x0, y0, x1, y1


def _limit_openmp() -> None:
    """One OpenMP thread per Tesseract: parallelism comes from pages, not threads.

    pytesseract starts tesseract with this process's environment, so the limit
    is set here (once, unless the deployment set its own).
    """
    with _ENV_LOCK:
        os.environ.setdefault("OMP_THREAD_LIMIT", "1")


def _timeout(settings: ExtractionSettings) -> ExtractionError:
    return ExtractionError(
        ErrorCode.TOO_LARGE,
        f"OCR of one page took longer than {settings.ocr_page_timeout:g} s "
        "(RECON_EXTRACT_OCR_PAGE_TIMEOUT); the page is too large or too noisy to read",
    )


# ---------------------------------------------------------------------------
# Loading page images with bounded memory
# ---------------------------------------------------------------------------


def _open_image(data: bytes, filename: str, s: ExtractionSettings) -> Image.Image:
    """Open (not decode) an image, refusing a decompression bomb by its header."""
    Image.MAX_IMAGE_PIXELS = s.ocr_max_image_pixels
    try:
        image = Image.open(io.BytesIO(data))
    except Image.DecompressionBombError as exc:
        raise _bomb(filename, s) from exc
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as exc:
        raise _corrupt_image(filename) from exc
    if image.width * image.height > s.ocr_max_image_pixels:
        raise _bomb(filename, s)
    return image


def _frame_count(data: bytes, *, filename: str, settings: ExtractionSettings) -> int:
    image = _open_image(data, filename, settings)
    try:
        return max(1, int(getattr(image, "n_frames", 1)))
    except (OSError, ValueError, SyntaxError) as exc:
        raise _corrupt_image(filename) from exc
    finally:
        image.close()


def _load_frame(data: bytes, index: int, filename: str, s: ExtractionSettings) -> _Scan:
    """Decode frame ``index`` of an image file (each worker decodes its own frame)."""
    image = _open_image(data, filename, s)
    try:
        if index:
            image.seek(index)
            if image.width * image.height > s.ocr_max_image_pixels:
                raise _bomb(filename, s)
        image.load()
        dpi = _preprocess().estimate_dpi(image)
        return _Scan(image.copy(), dpi)
    except Image.DecompressionBombError as exc:
        raise _bomb(filename, s) from exc
    except (OSError, ValueError, SyntaxError, EOFError) as exc:
        raise _corrupt_image(filename) from exc
    finally:
        image.close()


def _render_page(data: bytes, number: int, filename: str, s: ExtractionSettings) -> _Scan:
    """Render PDF page ``number`` (1-based) in greyscale at the OCR resolution."""
    with PDFIUM_LOCK:
        try:
            doc = pdfium.PdfDocument(data)
        except pdfium.PdfiumError as exc:
            raise ExtractionError(
                ErrorCode.CORRUPT, f"{filename}: page {number} cannot be rendered; {_RESEND}"
            ) from exc
        try:
            page = doc[number - 1]
            try:
                width, height = page.get_size()
                dpi = float(s.ocr_dpi)
                pixels = (width * dpi / 72) * (height * dpi / 72)
                if pixels > s.ocr_max_image_pixels:  # a poster-sized page: fewer dots
                    dpi *= (s.ocr_max_image_pixels / pixels) ** 0.5
                bitmap = page.render(scale=dpi / 72, grayscale=True)
                image = bitmap.to_pil().convert("L")
                bitmap.close()
            finally:
                page.close()
        finally:
            doc.close()
    return _Scan(image, dpi, PageSize(float(width), float(height)))


def _bomb(filename: str, s: ExtractionSettings) -> ExtractionError:
    return ExtractionError(
        ErrorCode.HOSTILE,
        f"{filename} claims an image of more than {s.ocr_max_image_pixels:,} pixels "
        "(RECON_EXTRACT_OCR_MAX_IMAGE_PIXELS): a decompression bomb or an absurdly large "
        "scan; recon refuses it undecoded. Re-scan at 300 dpi",
    )


def _corrupt_image(filename: str) -> ExtractionError:
    return ExtractionError(
        ErrorCode.CORRUPT,
        f"{filename}: the image is damaged or truncated (it cannot be decoded); "
        "re-download it or ask the sender to resend it",
    )
