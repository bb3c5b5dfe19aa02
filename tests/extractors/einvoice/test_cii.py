"""CII (Factur-X / ZUGFeRD / XRechnung syntax) read exactly, as standalone XML."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
from facturx import xml_check_xsd

from data.samples.einvoices import build_cii
from extractors.registry import extract
from extractors.types import DocumentKind, ErrorCode, ExtractionError
from tests.extractors.einvoice.cases import INVOICE, expected_lines, invoice


def test_builder_output_is_valid_factur_x_en16931() -> None:
    xml_check_xsd(build_cii(INVOICE), flavor="factur-x", level="en16931")
    xml_check_xsd(build_cii(invoice(kind="credit_note")), flavor="factur-x", level="en16931")


def test_cii_invoice_is_read_exactly() -> None:
    """GIVEN a CII invoice WHEN extracted THEN every header value and line is the
    one it was built from, with confidence 1.0 and the EN 16931 term as label."""
    doc = extract(build_cii(INVOICE), filename="BRS-2026-4471.xml")
    assert doc.extractor == "einvoice-cii"
    assert doc.kind is DocumentKind.INVOICE
    assert doc.page_count == 0
    values = {name: f.value if f else None for name, f in doc.header_fields().items()}
    assert values == {
        "number": "BRS-2026-4471",
        "date": date(2026, 10, 14),
        "vendor": "Brightline Systems GmbH",
        "po_number": "PO-2026-0141",
        "currency": "EUR",
        "subtotal": Decimal("8337.00"),
        "tax": Decimal("1584.03"),
        "total": Decimal("9921.03"),
    }
    assert all(f is not None and f.confidence == 1.0 for f in doc.header_fields().values())
    assert doc.number is not None and doc.number.label == "BT-1 invoice number"
    assert doc.total is not None and doc.total.raw == "9921.03"
    assert doc.lines == expected_lines(INVOICE)
    assert "CII profile urn:cen.eu:en16931:2017" in doc.notes


def test_price_per_basis_quantity_becomes_a_unit_price() -> None:
    """12.5000 per 1000 pieces (BT-146 / BT-149) is 0.0125 per piece."""
    xml = build_cii(INVOICE)
    assert b"<ram:ChargeAmount>12.5000</ram:ChargeAmount>" in xml
    assert b'<ram:BasisQuantity unitCode="C62">1000</ram:BasisQuantity>' in xml
    line = extract(xml, filename="a.xml").lines[1]
    assert line.unit_price == Decimal("0.0125")
    assert line.quantity * line.unit_price == line.amount


def test_type_code_381_is_a_credit_note_with_amounts_as_stated() -> None:
    doc = extract(build_cii(invoice(kind="credit_note")), filename="cn.xml")
    assert doc.kind is DocumentKind.CREDIT_NOTE
    assert doc.total is not None and doc.total.value == Decimal("9921.03")
    assert doc.lines == expected_lines(INVOICE)


def test_tax_total_is_taken_in_the_invoice_currency() -> None:
    """CII may repeat BT-110 in the accounting currency (BT-111); the invoice's wins."""
    xml = build_cii(INVOICE).replace(
        b'<ram:TaxTotalAmount currencyID="EUR">',
        b'<ram:TaxTotalAmount currencyID="USD">1842.51</ram:TaxTotalAmount>\n'
        b'<ram:TaxTotalAmount currencyID="EUR">',
    )
    doc = extract(xml, filename="a.xml")
    assert doc.tax is not None and doc.tax.value == Decimal("1584.03")


def test_document_level_allowance_is_noted_and_subtotal_is_the_tax_basis() -> None:
    xml = build_cii(invoice(subtotal="8337.00")).replace(
        b"<ram:TaxBasisTotalAmount>8337.00</ram:TaxBasisTotalAmount>",
        b"<ram:AllowanceTotalAmount>37.00</ram:AllowanceTotalAmount>\n"
        b"<ram:TaxBasisTotalAmount>8300.00</ram:TaxBasisTotalAmount>",
    )
    doc = extract(xml, filename="a.xml")
    assert doc.subtotal is not None and doc.subtotal.value == Decimal("8300.00")
    assert any("allowances (37.00)" in note for note in doc.notes)


def with_line_order_reference(xml: bytes, number: str) -> bytes:
    """Line 1's order reference with an order number (EXTENDED profile style)."""
    out, count = re.subn(
        rb"(<ram:BuyerOrderReferencedDocument>\s*)(<ram:LineID>)",
        rb"\1<ram:IssuerAssignedID>" + number.encode() + rb"</ram:IssuerAssignedID>\2",
        xml,
    )
    assert count == 1
    return out


def test_header_order_reference_wins_over_the_lines() -> None:
    xml = with_line_order_reference(build_cii(INVOICE), "PO-OTHER")
    doc = extract(xml, filename="a.xml")
    assert doc.po_number is not None and doc.po_number.value == "PO-2026-0141"


def test_order_reference_only_on_the_lines_is_used_with_lower_confidence() -> None:
    xml = with_line_order_reference(build_cii(invoice(po_number=None)), "PO-2026-0141")
    doc = extract(xml, filename="a.xml")
    assert doc.po_number is not None
    assert (doc.po_number.value, doc.po_number.confidence) == ("PO-2026-0141", 0.9)


@pytest.mark.parametrize(
    ("old", "new", "term"),
    [
        (b"<ram:GrandTotalAmount>9921.03", b"<ram:GrandTotalAmount>9.921,03", "BT-112"),
        (b'<udt:DateTimeString format="102">20261014', b"<udt:DateTimeString>20261314", "BT-2"),
        (
            b'<ram:BilledQuantity unitCode="C62">8</ram:BilledQuantity>',
            b"",
            "BT-129 quantity of line 1",
        ),
    ],
)
def test_invalid_values_make_the_e_invoice_corrupt(old: bytes, new: bytes, term: str) -> None:
    xml = build_cii(INVOICE)
    assert old in xml
    with pytest.raises(ExtractionError) as err:
        extract(xml.replace(old, new), filename="bad.xml")
    assert err.value.code is ErrorCode.CORRUPT
    assert term in err.value.reason


def test_information_only_sub_lines_are_not_lines() -> None:
    """EXTENDED profile: a sub-line with status INFORMATION is not invoiced."""
    xml = build_cii(INVOICE).replace(
        b"<ram:LineID>2</ram:LineID>",
        b"<ram:LineID>2</ram:LineID>\n<ram:LineStatusReasonCode>INFORMATION"
        b"</ram:LineStatusReasonCode>",
    )
    doc = extract(xml, filename="a.xml")
    assert [line.sku for line in doc.lines] == ["210-BFZW", "890-BBRT"]
    assert [line.line_no for line in doc.lines] == [1, 2]
    assert "1 information-only sub-line(s) not counted as lines" in doc.notes
