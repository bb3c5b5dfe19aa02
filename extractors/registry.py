"""Pick the extractor for a file and run it: the one entry point, :func:`extract`.

Each extractor declares the MIME types it takes and scores a given file; the
highest score wins (a PDF without a text layer scores 0 for the text
extractor, so an OCR extractor registered later takes it; a PDF carrying a
structured e-invoice scores above 1, so its XML beats the text layer). The
type comes from the bytes, never from the file name.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from extractors.einvoice import EInvoiceExtractor
from extractors.ocr import OcrExtractor
from extractors.pdf import PdfTextExtractor, needs_ocr
from extractors.settings import ExtractionSettings
from extractors.sniff import sniff_mime
from extractors.types import DocumentKind, ErrorCode, ExtractedDocument, ExtractionError


@runtime_checkable
class Extractor(Protocol):
    """A way of turning one kind of file into an :class:`ExtractedDocument`."""

    @property
    def name(self) -> str: ...

    @property
    def mime_types(self) -> frozenset[str]: ...

    def score(self, data: bytes, mime: str, *, settings: ExtractionSettings | None = None) -> float:
        """How well this extractor fits the file, 0 (not at all) to 1; above 1
        only for a structured source (e-invoice XML) that must beat the page.
        ``settings`` are the ones ``extract`` will get (None: from the environment)."""
        ...

    def extract(
        self,
        data: bytes,
        *,
        filename: str,
        kind_hint: DocumentKind | None,
        settings: ExtractionSettings,
    ) -> ExtractedDocument:
        """Read the file or raise ExtractionError with an actionable reason."""
        ...


class Registry:
    """The extractors recon knows, in registration order."""

    def __init__(self, extractors: tuple[Extractor, ...] = ()) -> None:
        self._extractors: list[Extractor] = list(extractors)

    def register(self, extractor: Extractor) -> None:
        if any(e.name == extractor.name for e in self._extractors):
            raise ValueError(f"an extractor named {extractor.name!r} is already registered")
        self._extractors.append(extractor)

    @property
    def extractors(self) -> tuple[Extractor, ...]:
        return tuple(self._extractors)

    def choose(
        self, data: bytes, mime: str, settings: ExtractionSettings | None = None
    ) -> Extractor | None:
        """The highest-scoring extractor for ``mime``; None when none takes it."""
        settings = settings or ExtractionSettings()
        best: tuple[float, Extractor] | None = None
        for e in self._extractors:
            if mime not in e.mime_types:
                continue
            s = e.score(data, mime, settings=settings)
            if s > 0 and (best is None or s > best[0]):
                best = (s, e)
        return None if best is None else best[1]


def default_registry() -> Registry:
    """A registry with every extractor this build ships."""
    return Registry((PdfTextExtractor(), EInvoiceExtractor(), OcrExtractor()))


REGISTRY = default_registry()


def extract(
    data: bytes,
    *,
    filename: str,
    kind_hint: DocumentKind | None = None,
    settings: ExtractionSettings | None = None,
    registry: Registry | None = None,
) -> ExtractedDocument:
    """Turn a file's bytes into a document, or raise ExtractionError saying why not."""
    settings = settings or ExtractionSettings()
    registry = registry or REGISTRY
    if not data:
        raise ExtractionError(
            ErrorCode.EMPTY,
            f"{filename} is empty (0 bytes); re-download it or ask the sender to resend it",
        )
    if len(data) > settings.max_bytes:
        raise ExtractionError(
            ErrorCode.TOO_LARGE,
            f"{filename} is {len(data):,} bytes, over the limit of {settings.max_bytes:,} "
            "(RECON_EXTRACT_MAX_BYTES); ask for a smaller file or raise the limit",
        )
    mime = sniff_mime(data)
    extractor = registry.choose(data, mime, settings)
    if extractor is None:
        handled = sorted({m for e in registry.extractors for m in e.mime_types})
        if any(mime in e.mime_types for e in registry.extractors):
            # Known type, but every extractor declined: a scan with OCR unavailable.
            raise needs_ocr(
                filename,
                "Tesseract, which reads scans, is not installed here (run 'make setup', "
                "or install the tesseract-ocr package)",
            )
        raise ExtractionError(
            ErrorCode.UNSUPPORTED_TYPE,
            f"{filename} is {mime}, which recon cannot read yet (it reads: "
            f"{', '.join(handled)}); ask the sender for a PDF",
        )
    return extractor.extract(data, filename=filename, kind_hint=kind_hint, settings=settings)
