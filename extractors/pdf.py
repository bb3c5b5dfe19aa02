"""The digital-PDF extractor: words with boxes from a PDF's text layer.

Opens the bytes with pypdfium2 (a cheap page count before any parsing) and
pdfplumber (the words), closes both, and hands the words to
:func:`extractors.document.analyse`. Reading header fields or tables here is
not allowed: that logic must stay usable for OCR words too.
"""

from __future__ import annotations

import hashlib
import io
import threading
import zlib
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import pdfplumber
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_raw
from pdfminer.pdftypes import LITERALS_FLATE_DECODE, PDFStream, resolve1
from pdfminer.psparser import LIT
from pdfplumber.utils.exceptions import PdfminerException

from extractors._pdfium import PDFIUM_LOCK
from extractors.document import analyse
from extractors.layout import PageSize
from extractors.settings import ExtractionSettings
from extractors.sniff import PDF, sniff_mime
from extractors.types import (
    Box,
    DocumentKind,
    ErrorCode,
    ExtractedDocument,
    ExtractionError,
    Word,
)

NAME = "pdf-text"

_RESEND = "re-download it or ask the vendor to resend it"
MIXED_SCORE = 0.5
"""Score of a PDF with text on some pages only: OCR (when installed) does better."""
_SKEW_LIMIT = 0.02  # about one degree: rotated text is a stamp, not the layout


class PdfTextExtractor:
    """Digital PDFs with a text layer. Scans (no text) are left to OCR."""

    name = NAME
    mime_types = frozenset({PDF})

    def score(self, data: bytes, mime: str, *, settings: ExtractionSettings | None = None) -> float:
        """1.0 for a PDF whose pages all have text, 0.0 for a scan without any.

        A PDF with text on some pages only (a scanned page appended to a
        digital one), or with pages mostly covered by pictures (see
        :func:`pages_to_ocr`), scores :data:`MIXED_SCORE`, below the OCR
        extractor, which reads those pages too. A PDF that does not open scores 0.1: no other
        extractor will do better, and :meth:`extract` explains what is wrong.
        The probe is PDFium's character count per page (no parsing of layout).
        """
        if mime != PDF:
            return 0.0
        s = settings or ExtractionSettings()
        flags = text_pages(data, limit=s.max_pages, max_inflated_bytes=s.max_inflated_bytes)
        if not flags:
            return 0.1
        if not any(flags):
            return 0.0
        if all(flags) and not any(pages_to_ocr(data, s) or ()):
            return 1.0
        return MIXED_SCORE

    def extract(
        self,
        data: bytes,
        *,
        filename: str,
        kind_hint: DocumentKind | None,
        settings: ExtractionSettings,
    ) -> ExtractedDocument:
        """Read the document; raise ExtractionError saying what to do when it cannot."""
        if not data:
            raise ExtractionError(ErrorCode.EMPTY, f"{filename} is empty (0 bytes); {_RESEND}")
        mime = sniff_mime(data)
        if mime != PDF:
            raise ExtractionError(
                ErrorCode.UNSUPPORTED_TYPE,
                f"{filename} is not a PDF but {mime} (the name or sender says PDF); "
                "convert it to PDF or ask the vendor for a PDF",
            )
        page_count = count_pages(data, filename=filename)
        if page_count == 0:
            raise ExtractionError(
                ErrorCode.NO_PAGES, f"{filename} is a PDF with no pages; {_RESEND}"
            )
        check_page_limit(page_count, filename, settings)
        words, skewed, sizes = read_words(
            data, filename=filename, max_inflated_bytes=settings.max_inflated_bytes
        )
        chars = sum(len(w.text) for w in words)
        if chars < settings.min_text_chars_per_page * page_count:
            raise needs_ocr(
                filename,
                f"its text layer holds only {chars} characters on {page_count} pages, "
                "too little to read",
            )
        return analyse(
            words,
            extractor=NAME,
            page_count=page_count,
            settings=settings,
            kind_hint=kind_hint,
            pages=sizes,
            aside=skewed,
        )


def check_page_limit(pages: int, filename: str, s: ExtractionSettings) -> None:
    """Refuse a document longer than ``max_pages`` before its pages are read."""
    if pages > s.max_pages:
        raise ExtractionError(
            ErrorCode.TOO_MANY_PAGES,
            f"{filename} has {pages} pages, more than the limit of {s.max_pages} "
            "(RECON_EXTRACT_MAX_PAGES); split it into single documents or raise the limit",
        )


def needs_ocr(filename: str, why: str) -> ExtractionError:
    """A scan recon cannot read here; ``why`` says what stood in the way."""
    return ExtractionError(
        ErrorCode.NEEDS_OCR,
        f"{filename} is a scanned image without a text layer; OCR support is needed, but "
        f"{why}: ask the vendor for the digital PDF, or ingest it again once that is fixed",
    )


@dataclass(frozen=True, slots=True)
class PageProbe:
    """What PDFium says of one page before anything is parsed."""

    chars: int
    """Characters in its text layer (visible or not)."""
    image_share: float
    """The share of the page that pictures cover (0 to 1)."""


def probe_pages(
    data: bytes, *, limit: int, max_inflated_bytes: int | None = None
) -> tuple[PageProbe, ...] | None:
    """For each of the first ``limit`` pages: its text characters and picture area.

    None when the PDF does not open or its contents are a decompression bomb
    (PDFium's probe would inflate it; :meth:`PdfTextExtractor.extract` says why).
    Several extractors ask this of the same file in a row (each scores it, then
    OCR reads it), so the last few answers are kept, by a digest of the bytes
    (the documents themselves are not kept).
    """
    cap = max_inflated_bytes or ExtractionSettings().max_inflated_bytes
    key = (hashlib.blake2b(data, digest_size=16).digest(), limit, cap)
    with _PROBE_LOCK:
        if key in _PROBES:
            _PROBES.move_to_end(key)
            return _PROBES[key]
    probes = _probe(data, limit, cap)
    with _PROBE_LOCK:
        _PROBES[key] = probes
        while len(_PROBES) > _PROBES_KEPT:
            _PROBES.popitem(last=False)
    return probes


def text_pages(
    data: bytes, *, limit: int, max_inflated_bytes: int | None = None
) -> tuple[bool, ...] | None:
    """For each of the first ``limit`` pages, whether it has a text layer."""
    probes = probe_pages(data, limit=limit, max_inflated_bytes=max_inflated_bytes)
    return None if probes is None else tuple(p.chars > 0 for p in probes)


def pages_to_ocr(data: bytes, settings: ExtractionSettings) -> tuple[bool, ...] | None:
    """For each page, whether OCR should read it: it has no text layer, or
    pictures cover at least ``ocr_min_image_share`` of it (a letterhead baked
    into an image, a scan under a stamp's few words of text)."""
    probes = probe_pages(
        data, limit=settings.max_pages, max_inflated_bytes=settings.max_inflated_bytes
    )
    if probes is None:
        return None
    return tuple(p.chars == 0 or p.image_share >= settings.ocr_min_image_share for p in probes)


#: Answers kept: enough for the documents a few threads are choosing for.
_PROBES_KEPT = 16
_PROBES: OrderedDict[tuple[bytes, int, int], tuple[PageProbe, ...] | None] = OrderedDict()
_PROBE_LOCK = threading.Lock()


def _probe(data: bytes, limit: int, cap: int) -> tuple[PageProbe, ...] | None:
    if _exceeds_inflate_cap(data, cap):
        return None
    with PDFIUM_LOCK:
        try:
            doc = pdfium.PdfDocument(data)
        except pdfium.PdfiumError:
            return None
        try:
            probes: list[PageProbe] = []
            for i in range(min(len(doc), limit)):
                page = doc[i]
                try:
                    textpage = page.get_textpage()
                    try:
                        chars = textpage.count_chars()
                    finally:
                        textpage.close()
                    probes.append(PageProbe(chars, _image_share(page)))
                finally:
                    page.close()
            return tuple(probes)
        finally:
            doc.close()


def _image_share(page: Any) -> float:
    """The share of ``page`` its image objects cover (overlaps counted once
    each, so a collage can count above its area; capped at 1)."""
    width, height = page.get_size()
    if width <= 0 or height <= 0:
        return 0.0
    area = 0.0
    for obj in page.get_objects(filter=(pdfium_raw.FPDF_PAGEOBJ_IMAGE,)):
        left, bottom, right, top = obj.get_bounds()
        area += max(0.0, min(right, width) - max(left, 0.0)) * max(
            0.0, min(top, height) - max(bottom, 0.0)
        )
    return float(min(1.0, area / (width * height)))


def count_pages(data: bytes, *, filename: str) -> int:
    """The page count without parsing page contents (PDFium, then pdfminer)."""
    with PDFIUM_LOCK:
        try:
            doc = pdfium.PdfDocument(data)
            try:
                return len(doc)
            finally:
                doc.close()
        except pdfium.PdfiumError:
            pass
    # PDFium's error code is process-global and can be stale (an empty page
    # tree fails with the previous file's "password" code), and pdfminer reads
    # some files PDFium refuses: let pdfminer decide what is wrong.
    try:
        with _open_plumber(data, filename=filename) as pdf:
            return len(pdf.pages)
    except ExtractionError:
        raise
    except Exception as exc2:
        raise _corrupt(filename) from exc2


def read_words(
    data: bytes, *, filename: str, max_inflated_bytes: int | None = None
) -> tuple[list[Word], list[Word], dict[int, PageSize]]:
    """Every word with its box (points from the page's top-left), split into the
    page's upright text and skewed text (stamps, watermarks), plus page sizes.

    With ``max_inflated_bytes``, the page content streams are first inflated
    with that cap, and a document over it is refused as HOSTILE unparsed.
    """
    words: list[Word] = []
    skewed: list[Word] = []
    sizes: dict[int, PageSize] = {}
    try:
        with _open_plumber(data, filename=filename) as pdf:
            if max_inflated_bytes is not None:
                _check_inflated_size(pdf, max_inflated_bytes, filename)
            for number, page in enumerate(pdf.pages, 1):
                sizes[number] = PageSize(float(page.width), float(page.height))
                straight = page.filter(_not_skewed)
                for w in straight.extract_words(keep_blank_chars=False, use_text_flow=False):
                    words.append(_word(w, number))
                tilted = page.filter(
                    lambda obj: obj.get("object_type") == "char" and not _not_skewed(obj)
                )
                for w in tilted.extract_words(keep_blank_chars=False, use_text_flow=False):
                    skewed.append(_word(w, number))
                page.close()
    except ExtractionError:
        raise
    except Exception as exc:
        raise _corrupt(filename) from exc
    return words, skewed, sizes


def _skewed_char(obj: dict[str, Any]) -> bool:
    return obj.get("object_type") == "char" and not _not_skewed(obj)


def _not_skewed(obj: dict[str, Any]) -> bool:
    """False for a character drawn at an angle (a "COPY" or "PAID" stamp)."""
    if obj.get("object_type") != "char":
        return True
    matrix = obj.get("matrix")
    if not matrix:
        return True
    a, b, c, d = (float(v) for v in matrix[:4])
    scale = max(abs(a), abs(d), 1e-9)
    return abs(b) / scale < _SKEW_LIMIT and abs(c) / scale < _SKEW_LIMIT


def _word(w: dict[str, Any], page: int) -> Word:
    box = Box(page, float(w["x0"]), float(w["top"]), float(w["x1"]), float(w["bottom"]))
    return Word(str(w["text"]), box)


def _content_streams(page: Any) -> Iterator[PDFStream]:
    """A page's content streams and the form XObjects it draws (unparsed)."""
    page_obj = page.page_obj
    for ref in page_obj.contents:
        stream = resolve1(ref)
        if isinstance(stream, PDFStream):
            yield stream
    resources = resolve1(page_obj.resources) or {}
    xobjects = resolve1(resources.get("XObject")) if isinstance(resources, dict) else None
    for ref in (xobjects or {}).values():
        stream = resolve1(ref)
        if isinstance(stream, PDFStream) and stream.attrs.get("Subtype") is LIT("Form"):
            yield stream


def _inflated_size(stream: PDFStream, cap: int) -> int:
    """How far the stream inflates, counting no further than ``cap + 1`` bytes."""
    if stream.data is not None:
        return len(stream.data)
    raw = stream.rawdata or b""
    filters = stream.get_filters()
    if not filters or filters[0][0] not in LITERALS_FLATE_DECODE:
        return len(raw)
    if stream.decipher and stream.objid is not None and stream.genno is not None:
        raw = stream.decipher(stream.objid, stream.genno, raw, stream.attrs)
    try:
        return len(zlib.decompressobj().decompress(raw, cap + 1))
    except zlib.error:
        return len(raw)  # damaged: pdfminer's own recovery decides later


def _exceeds_inflate_cap(data: bytes, cap: int) -> bool:
    """True when the PDF opens and its page contents inflate past ``cap``."""
    try:
        with _open_plumber(data) as pdf:
            _check_inflated_size(pdf, cap, "the file")
    except ExtractionError as exc:
        return exc.code is ErrorCode.HOSTILE
    except Exception:
        return False  # unreadable: extract() reports that
    return False


def _check_inflated_size(pdf: Any, cap: int, filename: str) -> None:
    """Refuse a decompression bomb before pdfminer inflates it all into memory."""
    seen: set[int] = set()
    total = 0
    for page in pdf.pages:
        for stream in _content_streams(page):
            if id(stream) in seen:
                continue
            seen.add(id(stream))
            total += _inflated_size(stream, cap - total)
            if total > cap:
                raise ExtractionError(
                    ErrorCode.HOSTILE,
                    f"{filename}'s page contents inflate to more than {cap / 2**20:.0f} MiB "
                    "(a decompression bomb, or an extremely complex drawing); recon refuses "
                    "it unparsed. If it is a genuine document, raise "
                    "RECON_EXTRACT_MAX_INFLATED_BYTES",
                )


@contextmanager
def _open_plumber(data: bytes, *, filename: str = "the file") -> Iterator[Any]:
    """pdfplumber on the bytes, closed on exit; password errors become ENCRYPTED."""
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except PdfminerException as exc:
        cause = exc.args[0] if exc.args else None
        if cause is not None and "Password" in type(cause).__name__:
            raise _encrypted(filename) from exc
        raise
    try:
        yield pdf
    finally:
        pdf.close()


def _encrypted(filename: str) -> ExtractionError:
    return ExtractionError(
        ErrorCode.ENCRYPTED,
        f"{filename} is password protected; ask the vendor to send it without a "
        "password, or open it with the password and save an unprotected copy",
    )


def _corrupt(filename: str) -> ExtractionError:
    return ExtractionError(
        ErrorCode.CORRUPT,
        f"{filename}: the file is damaged or not a PDF (it cannot be parsed); {_RESEND}",
    )
