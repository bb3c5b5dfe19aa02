"""Files that cannot become documents: each fails with a code and a reason a
person can act on, and none of them takes long."""

from __future__ import annotations

import pytest

from extractors.pdf import PdfTextExtractor
from extractors.registry import Registry, extract
from extractors.settings import ExtractionSettings
from extractors.types import ErrorCode, ExtractionError
from tests.extractors import pdfs

_TEXT_ONLY = Registry((PdfTextExtractor(),))


def _error(data: bytes, settings: ExtractionSettings | None = None) -> ExtractionError:
    with pytest.raises(ExtractionError) as info:
        extract(data, filename="doc.pdf", settings=settings)
    return info.value


def test_empty_file() -> None:
    err = _error(b"")
    assert err.code is ErrorCode.EMPTY
    assert "resend" in err.reason


@pytest.mark.parametrize(
    "data",
    [
        b"%PDF-1.7\n" + bytes(range(256)) * 20,
        pdfs.letterhead_invoice()[:2000],  # truncated download
        b"%PDF-1.4\n1 0 obj << /Type /Catalog >> garbage",
    ],
    ids=["garbage", "truncated", "no-root"],
)
def test_corrupt_pdf(data: bytes) -> None:
    err = _error(data)
    assert err.code is ErrorCode.CORRUPT
    assert "damaged or not a PDF" in err.reason
    assert "resend" in err.reason


def test_encrypted_pdf() -> None:
    err = _error(pdfs.encrypted_pdf())
    assert err.code is ErrorCode.ENCRYPTED
    assert "password" in err.reason


def test_zero_pages() -> None:
    err = _error(pdfs.zero_page_pdf())
    assert err.code is ErrorCode.NO_PAGES


def test_zero_pages_after_an_encrypted_file() -> None:
    """PDFium's last-error code is global: an encrypted file must not make the next
    broken file look encrypted too."""
    _error(pdfs.encrypted_pdf())
    assert _error(pdfs.zero_page_pdf()).code is ErrorCode.NO_PAGES


def test_too_many_pages() -> None:
    err = _error(pdfs.pages_with_text(4), ExtractionSettings(max_pages=3))
    assert err.code is ErrorCode.TOO_MANY_PAGES
    assert "4 pages" in err.reason and "3" in err.reason


def test_page_limit_allows_exactly_the_limit() -> None:
    doc = extract(
        pdfs.pages_with_text(3), filename="ok.pdf", settings=ExtractionSettings(max_pages=3)
    )
    assert doc.page_count == 3


def test_too_large() -> None:
    err = _error(pdfs.letterhead_invoice(), ExtractionSettings(max_bytes=1000))
    assert err.code is ErrorCode.TOO_LARGE


def test_no_text_layer_needs_ocr() -> None:
    """Without an OCR extractor (Tesseract not installed) a scan is reported as such."""
    with pytest.raises(ExtractionError) as info:
        extract(pdfs.image_only_pdf(), filename="doc.pdf", registry=_TEXT_ONLY)
    err = info.value
    assert err.code is ErrorCode.NEEDS_OCR
    assert "scanned image without a text layer; OCR support is needed" in err.reason


def test_png_named_pdf_is_unsupported_and_named() -> None:
    """Without OCR an image is named by its real type (with OCR, it is read)."""
    with pytest.raises(ExtractionError) as info:
        extract(pdfs.png_bytes(), filename="doc.pdf", registry=_TEXT_ONLY)
    err = info.value
    assert err.code is ErrorCode.UNSUPPORTED_TYPE
    assert "image/png" in err.reason


def test_png_given_straight_to_the_pdf_extractor() -> None:
    from extractors.pdf import PdfTextExtractor

    with pytest.raises(ExtractionError) as info:
        PdfTextExtractor().extract(
            pdfs.png_bytes(), filename="scan.pdf", kind_hint=None, settings=ExtractionSettings()
        )
    assert info.value.code is ErrorCode.UNSUPPORTED_TYPE
    assert "image/png" in info.value.reason


def test_text_without_any_kind_is_unknown_kind() -> None:
    doc = pdfs.Doc()
    doc.page().lines(
        50,
        50,
        ["Minutes of the team meeting", "Attendees: A, B, C", "We agreed to meet again next week."],
    )
    err = _error(doc.build())
    assert err.code is ErrorCode.UNKNOWN_KIND


def test_kind_hint_rescues_an_untitled_document() -> None:
    from extractors.types import DocumentKind

    doc = pdfs.Doc()
    doc.page().lines(50, 50, ["Acme Ltd", "Number: 12345", "Date: 2026-10-14"])
    got = extract(doc.build(), filename="x.pdf", kind_hint=DocumentKind.INVOICE)
    assert got.kind is DocumentKind.INVOICE
    assert got.number is not None and got.number.value == "12345"
