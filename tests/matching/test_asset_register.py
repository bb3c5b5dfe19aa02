"""asset_candidates(): what reaches the IT asset register, and what holds it back."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from datetime import date
from decimal import Decimal

import pytest

from matching import (
    AssetCandidate,
    DiscrepancyType,
    Document,
    Kind,
    Line,
    MatchingSettings,
    Status,
    asset_candidates,
    reconcile,
)

T = DiscrepancyType
SETTINGS = MatchingSettings()

PO = Document(
    key="po-1",
    kind=Kind.PO,
    seq=1,
    number="PO-7",
    vendor="ACME GmbH",
    currency="EUR",
    lines=(
        Line(1, "Dell Latitude 5440 14in laptop", Decimal(10), unit_price=Decimal("1249.00")),
        Line(2, "USB-C to HDMI adapter", Decimal(20), unit_price=Decimal("19.90")),
        Line(3, "Logitech MX Keys keyboard", Decimal(10), unit_price=Decimal("100.00")),
    ),
)
RECEIPT = Document(
    key="grn-1",
    kind=Kind.RECEIPT,
    seq=2,
    number="GRN-1",
    po_number="PO-7",
    lines=(
        Line(1, "Latitude 5440", Decimal(10)),
        Line(2, "HDMI adapter", Decimal(20)),
        Line(3, "MX Keys keyboard", Decimal(10)),
    ),
)
LAPTOP = Line(1, 'LAT 5440 Notebook 14" i5/16GB', Decimal(3), unit_price=Decimal("1249.00"))
ADAPTER = Line(2, "Adapter USB-C -> HDMI", Decimal(20), unit_price=Decimal("19.90"))


def invoice(*lines: Line, currency: str = "EUR", key: str = "inv-1") -> Document:
    return Document(
        key=key,
        kind=Kind.INVOICE,
        seq=10,
        number=f"INV-{key}",
        vendor="Acme",
        date=date(2026, 3, 1),
        po_number="PO-7",
        currency=currency,
        lines=lines or (LAPTOP, ADAPTER),
    )


def register(
    invoices: list[Document],
    decide: Mapping[DiscrepancyType, Status] | None = None,
    receipts: tuple[Document, ...] = (RECEIPT,),
) -> list[AssetCandidate]:
    """Reconcile, let a reviewer decide per discrepancy type, then build the register."""
    result = reconcile(invoices, [PO], receipts, SETTINGS)
    decisions = {
        d.natural_key: (decide or {}).get(d.type, Status.OPEN) for d in result.discrepancies
    }
    return asset_candidates(invoices, result, decisions, SETTINGS)


def test_one_candidate_per_unit_and_cheap_lines_left_out() -> None:
    """
    GIVEN an invoice for 3 laptops at 1,249.00 and 20 adapters at 19.90,
          both ordered and received
    WHEN the register is built
    THEN the laptops yield three candidates (units 1-3) and the adapters none
    """
    candidates = register([invoice()])

    assert candidates == [
        AssetCandidate(
            invoice_key="inv-1",
            invoice_line=1,
            unit=unit,
            po_key="po-1",
            vendor="Acme",
            description=LAPTOP.description,
            sku=None,
            cost=Decimal("1249.00"),
            currency="EUR",
        )
        for unit in (1, 2, 3)
    ]


@pytest.mark.parametrize(
    ("quantity", "price", "units"),
    [
        ("3", "100.00", 3),  # exactly the threshold counts
        ("3", "99.99", 0),
        ("2.5", "100.00", 2),  # whole units only
        ("0.5", "100.00", 0),
        ("1", "101.00", 1),
    ],
)
def test_threshold_and_whole_units(quantity: str, price: str, units: int) -> None:
    keyboard = Line(1, "MX Keys Keyboard", Decimal(quantity), unit_price=Decimal(price))

    candidates = register([invoice(keyboard)])

    assert [c.unit for c in candidates] == list(range(1, units + 1))


def test_nothing_received_nothing_registered() -> None:
    assert register([invoice()], receipts=()) == []


@pytest.mark.parametrize(
    ("decision", "registered"),
    [(Status.OPEN, False), (Status.REJECTED, False), (Status.APPROVED, True)],
)
def test_a_line_discrepancy_holds_only_its_line_until_approved(
    decision: Status, registered: bool
) -> None:
    overpriced = Line(1, LAPTOP.description, Decimal(1), unit_price=Decimal("1400.00"))
    keyboard = Line(2, "MX Keys Keyboard", Decimal(1), unit_price=Decimal("100.00"))

    candidates = register([invoice(overpriced, keyboard)], {T.PRICE_VARIANCE: decision})

    assert [c.invoice_line for c in candidates] == ([1, 2] if registered else [2])


@pytest.mark.parametrize(
    ("decision", "registered"),
    [(Status.OPEN, False), (Status.REJECTED, False), (Status.APPROVED, True)],
)
def test_a_header_level_discrepancy_holds_every_line_until_approved(
    decision: Status, registered: bool
) -> None:
    """
    GIVEN an invoice in USD against a PO in EUR (currency_mismatch, header-level)
    WHEN a reviewer leaves it open, rejects it or approves it
    THEN only approval lets its laptops into the register
    """
    candidates = register([invoice(currency="USD")], {T.CURRENCY_MISMATCH: decision})

    assert (len(candidates) == 3) is registered


def test_no_po_and_duplicates_never_register() -> None:
    orphan = Document(
        key="inv-x", kind=Kind.INVOICE, seq=20, number="INV-X", vendor="Acme", lines=(LAPTOP,)
    )
    copy = dataclasses.replace(invoice(), key="inv-2", seq=11)

    candidates = register(
        [invoice(), copy, orphan], {T.NO_PO: Status.APPROVED, T.DUPLICATE_INVOICE: Status.APPROVED}
    )

    assert {c.invoice_key for c in candidates} == {"inv-1"}
