"""The registry picks the highest-scoring extractor; OCR can slot in later."""

from __future__ import annotations

from extractors.pdf import PdfTextExtractor
from extractors.registry import Extractor, Registry, extract
from extractors.settings import ExtractionSettings
from extractors.sniff import PDF
from extractors.types import DocumentKind, ErrorCode, ExtractedDocument, ExtractionError
from tests.extractors import pdfs


class FakeOcr:
    """Stands in for the OCR extractor a later issue adds."""

    name = "fake-ocr"
    mime_types = frozenset({PDF, "image/png"})

    def score(self, data: bytes, mime: str, *, settings: ExtractionSettings | None = None) -> float:
        return 0.5

    def extract(
        self,
        data: bytes,
        *,
        filename: str,
        kind_hint: DocumentKind | None,
        settings: ExtractionSettings,
    ) -> ExtractedDocument:
        return ExtractedDocument(
            kind=kind_hint or DocumentKind.INVOICE, extractor=self.name, page_count=1
        )


def test_pdf_extractor_satisfies_the_protocol() -> None:
    assert isinstance(PdfTextExtractor(), Extractor)
    assert isinstance(FakeOcr(), Extractor)


def test_text_pdf_goes_to_the_text_extractor_even_with_ocr_registered() -> None:
    registry = Registry((PdfTextExtractor(), FakeOcr()))
    doc = extract(pdfs.letterhead_invoice(), filename="a.pdf", registry=registry)
    assert doc.extractor == "pdf-text"


def test_scanned_pdf_goes_to_ocr_when_registered() -> None:
    registry = Registry((PdfTextExtractor(), FakeOcr()))
    assert PdfTextExtractor().score(pdfs.image_only_pdf(), PDF) == 0.0
    doc = extract(pdfs.image_only_pdf(), filename="scan.pdf", registry=registry)
    assert doc.extractor == "fake-ocr"


def test_scanned_pdf_without_ocr_says_ocr_is_needed() -> None:
    try:
        extract(
            pdfs.image_only_pdf(), filename="scan.pdf", registry=Registry((PdfTextExtractor(),))
        )
    except ExtractionError as err:
        assert err.code is ErrorCode.NEEDS_OCR
    else:
        raise AssertionError("expected NEEDS_OCR")


def test_duplicate_names_are_refused() -> None:
    registry = Registry((PdfTextExtractor(),))
    try:
        registry.register(PdfTextExtractor())
    except ValueError:
        return
    raise AssertionError("expected ValueError")


def test_settings_from_environment(monkeypatch: object) -> None:
    import pytest

    mp = monkeypatch
    assert isinstance(mp, pytest.MonkeyPatch)
    mp.setenv("RECON_EXTRACT_MAX_PAGES", "7")
    assert ExtractionSettings().max_pages == 7
    for name, info in ExtractionSettings.model_fields.items():
        assert info.description, name


def test_the_text_layer_probe_is_done_once_per_file() -> None:
    """Each PDF-reading extractor scores the same file: the probe runs once."""
    from pathlib import Path

    from extractors.pdf import probe_pages, text_pages

    pos = Path(__file__).resolve().parents[2] / "data" / "samples" / "pos"
    data = sorted(pos.glob("*.pdf"))[0].read_bytes()
    first = probe_pages(data, limit=500)
    assert first is not None and len(first) == 1
    assert first[0].chars > 0 and first[0].image_share == 0.0
    assert text_pages(data, limit=500) == (True,)
    assert probe_pages(bytes(data), limit=500) is first  # equal bytes, another object
    assert probe_pages(data, limit=1, max_inflated_bytes=10) is not first  # other question
