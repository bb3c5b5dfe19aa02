"""Typed values that leave the extractors.

An extractor turns bytes into an :class:`ExtractedDocument` or raises
:class:`ExtractionError` with a reason a person can act on. Nothing here
touches the database: the models layer stores these values as they are.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any, Generic, TypeVar

T = TypeVar("T")


class DocumentKind(StrEnum):
    """What a business document is. ``UNKNOWN`` only inside extraction."""

    INVOICE = "invoice"
    CREDIT_NOTE = "credit_note"
    PO = "po"
    RECEIPT = "receipt"
    UNKNOWN = "unknown"


class ErrorCode(StrEnum):
    """Why a file was quarantined; stable, used in reports and tests."""

    EMPTY = "empty"
    CORRUPT = "corrupt"
    ENCRYPTED = "encrypted"
    NEEDS_OCR = "needs_ocr"
    NO_PAGES = "no_pages"
    TOO_MANY_PAGES = "too_many_pages"
    TOO_LARGE = "too_large"
    UNSUPPORTED_TYPE = "unsupported_type"
    NOT_A_DOCUMENT = "not_a_document"
    UNKNOWN_KIND = "unknown_kind"
    HOSTILE = "hostile"
    #: A mail with nothing recon could take (no attachment, only logos).
    NO_ATTACHMENT = "no_attachment"


class ExtractionError(Exception):
    """A file that cannot become a document; ``reason`` says what to do."""

    def __init__(self, code: ErrorCode, reason: str) -> None:
        super().__init__(f"{code}: {reason}")
        self.code = code
        self.reason = reason


@dataclass(frozen=True, slots=True)
class Box:
    """Where something sits: 1-based page, PDF points from the top-left."""

    page: int
    x0: float
    top: float
    x1: float
    bottom: float

    def union(self, other: Box) -> Box:
        if other.page != self.page:
            return self
        return Box(
            self.page,
            min(self.x0, other.x0),
            min(self.top, other.top),
            max(self.x1, other.x1),
            max(self.bottom, other.bottom),
        )


@dataclass(frozen=True, slots=True)
class Word:
    """One word as the page prints it; ``confidence`` is 1.0 for digital text."""

    text: str
    box: Box
    confidence: float = 1.0


@dataclass(frozen=True, slots=True)
class Field(Generic[T]):
    """A header value with the evidence for it: raw text, where, how sure."""

    value: T
    raw: str
    confidence: float
    box: Box | None = None
    label: str | None = None


@dataclass(frozen=True, slots=True)
class ExtractedLine:
    """One line item, numbered 1.. in the order the document prints them."""

    line_no: int
    description: str
    quantity: Decimal
    sku: str | None = None
    unit_price: Decimal | None = None
    amount: Decimal | None = None
    box: Box | None = None
    confidence: float = 1.0
    #: The PO this line cites itself (a "PO" column, an e-invoice line's order
    #: reference), as printed.
    po_number: str | None = None


@dataclass(frozen=True, slots=True)
class ExtractedDocument:
    """Everything one extractor read from one file."""

    kind: DocumentKind
    extractor: str
    page_count: int
    number: Field[str] | None = None
    date: Field[date] | None = None
    vendor: Field[str] | None = None
    po_number: Field[str] | None = None
    currency: Field[str] | None = None
    subtotal: Field[Decimal] | None = None
    tax: Field[Decimal] | None = None
    total: Field[Decimal] | None = None
    lines: tuple[ExtractedLine, ...] = ()
    words: tuple[Word, ...] = ()
    notes: tuple[str, ...] = field(default=())
    #: Further POs the document cites besides ``po_number``: the rest of a
    #: header list ("PO: 4500012345, 4500012346"), or of its lines' references.
    other_po_numbers: tuple[Field[str], ...] = ()
    #: On a credit note: the number of the invoice it credits.
    credited_number: Field[str] | None = None

    def header_fields(self) -> dict[str, Field[Any] | None]:
        """The header fields by name, in a fixed order (for storage and reports)."""
        return {
            "number": self.number,
            "date": self.date,
            "vendor": self.vendor,
            "po_number": self.po_number,
            "currency": self.currency,
            "subtotal": self.subtotal,
            "tax": self.tax,
            "total": self.total,
        }
