"""Plain values the matcher works on and returns.

No database, no Prefect: the pipelines load these from the models layer,
call :func:`matching.reconcile.reconcile` and store what comes back.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum


class Kind(StrEnum):
    INVOICE = "invoice"
    #: Reduces what was invoiced; its lines count negatively toward a PO line.
    CREDIT_NOTE = "credit_note"
    PO = "po"
    RECEIPT = "receipt"


class DiscrepancyType(StrEnum):
    """The fixed vocabulary finance sees (README, export, report)."""

    NO_PO = "no_po"
    UNMATCHED_LINE = "unmatched_line"
    PRICE_VARIANCE = "price_variance"
    QUANTITY_VARIANCE = "quantity_variance"
    NOT_RECEIVED = "not_received"
    DUPLICATE_INVOICE = "duplicate_invoice"
    TOTAL_MISMATCH = "total_mismatch"
    VENDOR_MISMATCH = "vendor_mismatch"
    CURRENCY_MISMATCH = "currency_mismatch"
    #: A credit note whose credited invoice is not on file for its vendor, or
    #: that names no invoice at all.
    UNKNOWN_CREDITED_INVOICE = "unknown_credited_invoice"


#: Discrepancies about the whole invoice: they hold every line of it.
HEADER_LEVEL: frozenset[DiscrepancyType] = frozenset(
    {
        DiscrepancyType.NO_PO,
        DiscrepancyType.VENDOR_MISMATCH,
        DiscrepancyType.CURRENCY_MISMATCH,
        DiscrepancyType.TOTAL_MISMATCH,
        DiscrepancyType.DUPLICATE_INVOICE,
        DiscrepancyType.UNKNOWN_CREDITED_INVOICE,
    }
)


class Status(StrEnum):
    OPEN = "open"
    APPROVED = "approved"
    REJECTED = "rejected"
    #: No longer raised (a late receipt arrived, a copy went away): kept for
    #: the audit trail, not a person's decision; raised again, it is open again.
    RESOLVED = "resolved"


@dataclass(frozen=True, slots=True)
class Line:
    line_no: int
    description: str
    quantity: Decimal
    sku: str | None = None
    unit_price: Decimal | None = None
    amount: Decimal | None = None
    #: The PO this line cites itself (a "PO" column, an e-invoice's line-level
    #: order reference); None: the document's POs apply.
    po_number: str | None = None


@dataclass(frozen=True, slots=True)
class Document:
    """An invoice, PO or receipt as the matcher sees it.

    ``key`` is unique across all documents (the pipelines use the database
    id); ``seq`` orders documents by arrival, so "the later copy" of a
    duplicate is the one with the higher ``seq``.

    The POs a document cites are ``po_number``, then ``other_po_numbers`` (a
    header list: "PO: 4500012345, 4500012346"), then those its lines cite
    (``Line.po_number``); repeats do not count twice. A line without a PO of
    its own is matched against ``po_number`` and ``other_po_numbers`` together.
    """

    key: str
    kind: Kind
    seq: int
    number: str | None
    vendor: str | None = None
    date: date | None = None
    po_number: str | None = None
    currency: str | None = None
    subtotal: Decimal | None = None
    tax: Decimal | None = None
    total: Decimal | None = None
    lines: tuple[Line, ...] = ()
    #: The file it came from, for people reading a discrepancy.
    source: str | None = None
    #: Further POs the document cites besides ``po_number`` (the rest of a header
    #: list, or of its lines' references).
    other_po_numbers: tuple[str, ...] = ()
    #: On a credit note: the number of the invoice it credits, as printed.
    credited_number: str | None = None


@dataclass(frozen=True, slots=True)
class LineMatch:
    """An invoice line tied to a PO line and, where received, a receipt line."""

    invoice_key: str
    invoice_line: int
    po_key: str
    po_line: int
    receipt_key: str | None
    receipt_line: int | None
    score: float
    reason: str


@dataclass(frozen=True, slots=True)
class Discrepancy:
    """Something finance must look at; ``reason`` is written for them."""

    type: DiscrepancyType
    invoice_key: str
    invoice_line: int | None
    po_key: str | None
    expected: str | None
    actual: str | None
    reason: str

    @property
    def natural_key(self) -> tuple[str, str, int | None]:
        """What identifies it across re-runs (so a person's decision sticks)."""
        return (self.type.value, self.invoice_key, self.invoice_line)


@dataclass(frozen=True, slots=True)
class AssetCandidate:
    """One unit of one invoice line that may go into the asset register."""

    invoice_key: str
    invoice_line: int
    unit: int
    po_key: str | None
    vendor: str | None
    description: str
    sku: str | None
    cost: Decimal
    currency: str | None


@dataclass(frozen=True, slots=True)
class ReconcileResult:
    matches: tuple[LineMatch, ...]
    discrepancies: tuple[Discrepancy, ...]
