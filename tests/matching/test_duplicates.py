"""Duplicate invoices: the same number, and suspected copies under another one.

A copy has the same vendor and number once both are normalised; a suspected
copy, from a named vendor, has a number that differs only in leading zeros,
or the same total and date under another number. Either is held out of
matching (it counts toward no quantities) and raised as duplicate_invoice;
a suspected one says "Suspected" and why.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from matching import DiscrepancyType, Document, Kind, Line, MatchingSettings, reconcile

LINE = (Line(1, "Dell Latitude 5440 14in laptop", Decimal(2), unit_price=Decimal("1000.00")),)


def invoice(
    key: str,
    seq: int,
    number: str | None,
    *,
    vendor: str | None = "ACME GmbH",
    total: str = "2000.00",
    day: int = 10,
    kind: Kind = Kind.INVOICE,
) -> Document:
    return Document(
        key=key,
        kind=kind,
        seq=seq,
        number=number,
        vendor=vendor,
        date=date(2026, 10, day),
        currency="EUR",
        subtotal=Decimal(total),
        tax=Decimal(0),
        total=Decimal(total),
        lines=LINE,
        source=f"{key}.pdf",
    )


def duplicates(*docs: Document) -> list[tuple[str, str | None, bool]]:
    """(copy, original, suspected) for each duplicate_invoice raised."""
    result = reconcile(docs, [], [], MatchingSettings())
    return [
        (d.invoice_key, d.expected, d.reason.startswith("Suspected"))
        for d in result.discrepancies
        if d.type is DiscrepancyType.DUPLICATE_INVOICE
    ]


@pytest.mark.parametrize(
    ("second", "expected"),
    [
        # the same number, however written: a copy
        (invoice("b", 2, "INV0042", total="1.00", day=20), [("b", "a.pdf", False)]),
        (invoice("b", 2, "inv 0042", total="1.00", day=20), [("b", "a.pdf", False)]),
        # leading zeros dropped: suspected
        (invoice("b", 2, "inv 42", total="1.00", day=20), [("b", "a.pdf", True)]),
        # same vendor, total and date under another number: suspected
        (invoice("b", 2, "INV-0043"), [("b", "a.pdf", True)]),
        (invoice("b", 2, None), [("b", "a.pdf", True)]),
        # another date, or another total, or another vendor: not a copy
        (invoice("b", 2, "INV-0043", day=11), []),
        (invoice("b", 2, "INV-0043", total="2000.01"), []),
        (invoice("b", 2, "INV-0042", vendor="Brightline Systems GmbH"), []),
        # a credit note may share the invoice's number and sum: not a copy
        (invoice("b", 2, "INV-0042", kind=Kind.CREDIT_NOTE), []),
        # no vendor to go on: only an exact number makes a copy
        (invoice("b", 2, "inv 42", vendor=None), []),
    ],
)
def test_duplicates(second: Document, expected: list[tuple[str, str, bool]]) -> None:
    first = invoice("a", 1, "INV-0042")
    assert duplicates(first, second) == expected


def test_a_suspected_copy_says_why_and_is_still_matched() -> None:
    """A suspected copy may be a separate invoice: it is checked like one (here
    both meet the no-PO check), while an exact copy is not checked at all."""
    first, second = invoice("a", 1, "INV-0042"), invoice("b", 2, "INV-0043")
    result = reconcile([first, second], [], [], MatchingSettings())
    (dup,) = [d for d in result.discrepancies if d.type is DiscrepancyType.DUPLICATE_INVOICE]
    assert "same total (2000.00) and date (2026-10-10)" in dup.reason
    assert "INV-0042" in dup.reason
    no_po = [d.invoice_key for d in result.discrepancies if d.type is DiscrepancyType.NO_PO]
    assert no_po == ["a", "b"]
    exact = reconcile([first, invoice("c", 3, "INV0042")], [], [], MatchingSettings())
    no_po = [d.invoice_key for d in exact.discrepancies if d.type is DiscrepancyType.NO_PO]
    assert no_po == ["a"]


def test_the_earlier_invoice_is_the_original_whatever_the_order_given() -> None:
    first, second = invoice("a", 1, "INV-0042"), invoice("b", 2, "inv 42")
    assert duplicates(second, first) == [("b", "a.pdf", True)]
