"""UBL 2.1 Invoice and CreditNote (Peppol BIS 3.0, XRechnung UBL) read exactly."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from facturx import xml_check_xsd

from data.samples.einvoices import build_ubl
from extractors.registry import extract
from extractors.types import DocumentKind
from tests.extractors.einvoice.cases import INVOICE, expected_lines, invoice

EXPECTED_HEADER = {
    "number": "BRS-2026-4471",
    "date": date(2026, 10, 14),
    "vendor": "Brightline Systems GmbH",
    "po_number": "PO-2026-0141",
    "currency": "EUR",
    "subtotal": Decimal("8337.00"),
    "tax": Decimal("1584.03"),
    "total": Decimal("9921.03"),
}


@pytest.mark.parametrize("credit_note", [False, True])
def test_builder_output_is_valid_ubl_2_1(credit_note: bool) -> None:
    xml_check_xsd(build_ubl(INVOICE, credit_note=credit_note), flavor="ubl")


@pytest.mark.parametrize(
    ("credit_note", "kind"),
    [(False, DocumentKind.INVOICE), (True, DocumentKind.CREDIT_NOTE)],
)
def test_ubl_is_read_exactly(credit_note: bool, kind: DocumentKind) -> None:
    """GIVEN a UBL Invoice or CreditNote WHEN extracted THEN the values are the
    ones it was built from; a credit note keeps its positive amounts."""
    doc = extract(build_ubl(INVOICE, credit_note=credit_note), filename="a.xml")
    assert (doc.extractor, doc.kind, doc.page_count) == ("einvoice-ubl", kind, 0)
    values = {name: f.value if f else None for name, f in doc.header_fields().items()}
    assert values == EXPECTED_HEADER
    assert doc.lines == expected_lines(INVOICE)
    assert any("peppol.eu:2017:poacc:billing:3.0" in note for note in doc.notes)


def test_credit_note_kind_in_the_ground_truth_builds_a_credit_note() -> None:
    xml = build_ubl(invoice(kind="credit_note"))
    assert b"<CreditNote " in xml and b"<cbc:CreditedQuantity" in xml
    assert extract(xml, filename="cn.xml").kind is DocumentKind.CREDIT_NOTE


def test_price_per_base_quantity_becomes_a_unit_price() -> None:
    xml = build_ubl(INVOICE)
    assert b'<cbc:BaseQuantity unitCode="C62">1000</cbc:BaseQuantity>' in xml
    assert extract(xml, filename="a.xml").lines[1].unit_price == Decimal("0.0125")


def test_seller_legal_name_wins_over_the_trading_name() -> None:
    xml = build_ubl(INVOICE).replace(
        b"<cbc:Name>Brightline Systems GmbH</cbc:Name>", b"<cbc:Name>Brightline</cbc:Name>", 1
    )
    doc = extract(xml, filename="a.xml")
    assert doc.vendor is not None and doc.vendor.value == "Brightline Systems GmbH"
    assert doc.vendor.label == "BT-27 seller"


def test_tax_total_in_the_tax_currency_is_not_taken() -> None:
    """BR-53: a second TaxTotal may state the VAT in the tax currency (BT-111)."""
    xml = build_ubl(INVOICE).replace(
        b"<cac:TaxTotal>",
        b'<cac:TaxTotal><cbc:TaxAmount currencyID="SEK">18000.00</cbc:TaxAmount></cac:TaxTotal>'
        b"\n<cac:TaxTotal>",
    )
    doc = extract(xml, filename="a.xml")
    assert doc.tax is not None and doc.tax.value == Decimal("1584.03")


@pytest.mark.parametrize(
    "prefix",
    [
        b"\xef\xbb\xbf",
        b"\n\n   ",
        b"<!-- exported by ERP 7.2 -->\n",
        b'\xef\xbb\xbf<?xml version="1.0" encoding="UTF-8"?>\n<!-- c -->\n<!DOCTYPE Invoice>\n',
    ],
)
def test_bom_whitespace_comments_and_a_bare_doctype_are_fine(prefix: bytes) -> None:
    body = build_ubl(INVOICE).split(b"\n", 1)[1]  # the declaration may only come first
    assert body.startswith(b"<Invoice ")
    doc = extract(prefix + body, filename="a.xml")
    assert doc.number is not None and doc.number.value == "BRS-2026-4471"


def test_utf16_document_is_read() -> None:
    text = build_ubl(INVOICE).decode().replace('encoding="UTF-8"', 'encoding="UTF-16"')
    doc = extract(text.encode("utf-16"), filename="a.xml")
    assert doc.vendor is not None and doc.vendor.value == "Brightline Systems GmbH"
