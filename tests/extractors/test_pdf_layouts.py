"""Golden tests on invented layouts: exact header fields and rows.

Each layout in :mod:`tests.extractors.pdfs` varies what real vendors vary:
label wording and position, date and number formats, ruled or unruled
tables, column order, wrapped descriptions, a two-page table, party blocks.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from extractors.registry import extract
from extractors.types import DocumentKind, ExtractedDocument
from tests.extractors import pdfs

D = Decimal

CASES: dict[str, tuple[Callable[[], bytes], dict[str, Any], list[tuple[Any, ...]]]] = {
    "letterhead_invoice_ruled_gbp": (
        pdfs.letterhead_invoice,
        {
            "kind": DocumentKind.INVOICE,
            "number": "INV-2026-0042",
            "date": date(2026, 10, 14),
            "vendor": "Northwind Traders Ltd",
            "po_number": "PO-7781",
            "currency": "GBP",
            "subtotal": D("1886.97"),
            "tax": D("377.39"),
            "total": D("2264.36"),
        },
        [
            ("Ergonomic office chair, black mesh", D(4), None, D("189.00"), D("756.00")),
            (
                "Height-adjustable standing desk with cable tray and memory handset",
                D(2),
                None,
                D("420.50"),
                D("841.00"),
            ),
            ("Monitor arm, dual", D(3), None, D("64.99"), D("194.97")),
            ("Delivery and installation", D(1), None, D("95.00"), D("95.00")),
        ],
    ),
    "boxed_us_invoice_from_billto_shipto": (
        pdfs.boxed_us_invoice,
        {
            "kind": DocumentKind.INVOICE,
            "number": "10427",
            "date": date(2026, 10, 4),
            "vendor": "Fabrikam Components LLC",
            "po_number": "4500012345",
            "currency": "USD",
            "subtotal": D("1637.30"),
            "tax": D("122.80"),
            "total": D("1760.10"),
        },
        [
            (
                "Hex bolt M8 x 40, zinc plated (box of 100)",
                D(12),
                "FC-1002",
                D("18.40"),
                D("220.80"),
            ),
            ("Lock nut M8", D(1200), "FC-2210", D("0.12"), D("144.00")),
            (
                "Custom bracket, laser cut, per drawing DWG-5512 rev C",
                D(250),
                "FC-0007",
                D("4.75"),
                D("1187.50"),
            ),
            ("Freight", D(1), "FRT", D("85.00"), D("85.00")),
        ],
    ),
    "continental_two_page_footer_vendor": (
        pdfs.continental_two_page_invoice,
        {
            "kind": DocumentKind.INVOICE,
            "number": "2026/10/118",
            "date": date(2026, 10, 14),
            "vendor": "Alpenblick Büromöbel GmbH",
            "po_number": None,
            "currency": "EUR",
            "subtotal": D("5046.40"),
            "tax": D("958.82"),
            "total": D("6005.22"),
        },
        [
            ("Desk lamp LED", D(10), "AB-100", D("39.90"), D("399.00")),
            ("Office chair Comfort Plus", D(6), "AB-220", D("249.00"), D("1494.00")),
            (
                "Conference table 240 x 120 cm, oak veneer, with cable management",
                D(1),
                "AB-310",
                D("1180.00"),
                D("1180.00"),
            ),
            ("Whiteboard 180 x 90", D(2), "AB-400", D("129.50"), D("259.00")),
            ("Whiteboard markers, set of 4", D(12), "AB-401", D("6.20"), D("74.40")),
            ("Filing cabinet, 4 drawers", D(3), "AB-512", D("310.00"), D("930.00")),
            ("Acoustic panel 120 x 60", D(8), "AB-600", D("88.75"), D("710.00")),
        ],
    ),
    "purchase_order_two_line_header": (
        pdfs.purchase_order,
        {
            "kind": DocumentKind.PO,
            "number": "4500012345",
            "date": date(2026, 10, 4),
            "vendor": "Fabrikam Components LLC",
            "po_number": None,
            "currency": "USD",
            "subtotal": D("1552.30"),
            "tax": D("116.42"),
            "total": D("1668.72"),
        },
        [
            ("Hex bolt M8 x 40, zinc plated", D(12), "FC-1002", D("18.40"), D("220.80")),
            ("Lock nut M8", D(1200), "FC-2210", D("0.12"), D("144.00")),
            ("Custom bracket per DWG-5512", D(250), "FC-0007", D("4.75"), D("1187.50")),
        ],
    ),
    "goods_receipt_received_quantities": (
        pdfs.goods_receipt,
        {
            "kind": DocumentKind.RECEIPT,
            "number": "GRN-2026-0107",
            "date": date(2026, 10, 16),
            "vendor": "Northwind Traders Ltd",
            "po_number": "PO-7781",
            "currency": None,
            "subtotal": None,
            "tax": None,
            "total": None,
        },
        [
            ("Ergonomic office chair, black mesh", D(4), "NT-CH-01", None, None),
            ("Height-adjustable standing desk", D(1), "NT-DK-02", None, None),
            ("Monitor arm, dual", D(3), "NT-MA-03", None, None),
        ],
    ),
    "inline_labels_services_no_repeated_header": (
        pdfs.inline_labels_services_invoice,
        {
            "kind": DocumentKind.INVOICE,
            "number": "7731",
            "date": date(2026, 10, 14),
            "vendor": "Initech Consulting LLC",
            "po_number": "88-1204",
            "currency": "USD",
            "subtotal": D("2822.75"),
            "tax": D("0.00"),
            "total": D("2822.75"),
        },
        [
            ("Network assessment, on site", D("6.5"), None, D("150.00"), D("975.00")),
            ("Firewall configuration and rule review", D(4), None, D("150.00"), D("600.00")),
            ("Remote support (October)", D("12.25"), None, D("95.00"), D("1163.75")),
            ("Travel (mileage)", D(1), None, D("84.00"), D("84.00")),
        ],
    ),
}

_DOCS: dict[str, ExtractedDocument] = {}


def _doc(case: str) -> ExtractedDocument:
    if case not in _DOCS:
        build = CASES[case][0]
        _DOCS[case] = extract(build(), filename=f"{case}.pdf")
    return _DOCS[case]


@pytest.mark.parametrize("case", sorted(CASES))
def test_header_fields(case: str) -> None:
    doc = _doc(case)
    expected = CASES[case][1]
    got = {name: (f.value if f else None) for name, f in doc.header_fields().items()}
    got["kind"] = doc.kind
    assert got == expected


@pytest.mark.parametrize("case", sorted(CASES))
def test_line_items(case: str) -> None:
    doc = _doc(case)
    rows = [(ln.description, ln.quantity, ln.sku, ln.unit_price, ln.amount) for ln in doc.lines]
    assert rows == CASES[case][2]
    assert [ln.line_no for ln in doc.lines] == list(range(1, len(rows) + 1))


@pytest.mark.parametrize("case", sorted(CASES))
def test_every_value_carries_evidence(case: str) -> None:
    doc = _doc(case)
    for name, f in doc.header_fields().items():
        if f is not None:
            assert f.box is not None, name
            assert 0 < f.confidence <= 1, name
            assert f.raw, name
    for ln in doc.lines:
        assert ln.box is not None and ln.box.page >= 1
        assert 0 < ln.confidence <= 1
    assert doc.words and all(w.box.page <= doc.page_count for w in doc.words)


def test_two_page_table_items_keep_their_pages() -> None:
    doc = _doc("continental_two_page_footer_vendor")
    assert doc.page_count == 2
    assert [ln.box.page for ln in doc.lines if ln.box] == [1, 1, 1, 1, 2, 2, 2]


def test_bill_to_party_is_never_the_vendor() -> None:
    """GIVEN an invoice whose only legal names are the customer's and the issuer's
    footer WHEN extracted THEN the vendor is the issuer."""
    doc = _doc("continental_two_page_footer_vendor")
    assert doc.vendor is not None and "Fabrikam" not in doc.vendor.value


def test_date_order_guessed_from_currency_has_lower_confidence() -> None:
    us = _doc("boxed_us_invoice_from_billto_shipto")  # 10/04/2026, USD: read as m/d
    uk = _doc("letterhead_invoice_ruled_gbp")  # 14/10/2026: unambiguous
    assert us.date is not None and uk.date is not None
    assert us.date.confidence < uk.date.confidence


def test_kind_hint_overrides_the_title() -> None:
    doc = extract(pdfs.letterhead_invoice(), filename="x.pdf", kind_hint=DocumentKind.RECEIPT)
    assert doc.kind is DocumentKind.RECEIPT
    assert all(ln.unit_price is None and ln.amount is None for ln in doc.lines)
    assert any("looks like invoice" in n for n in doc.notes)
