"""OASIS UBL 2.1 Invoice and CreditNote to an ExtractedDocument.

The syntax of Peppol BIS Billing 3.0 and of XRechnung UBL. Values are read
exactly as the XML states them. A UBL CreditNote states positive quantities
and amounts; they are kept positive and ``kind`` (CREDIT_NOTE) is what says
the document is a credit. Only the ``root`` given is read: no files, no
network, no database.
"""

from __future__ import annotations

from decimal import Decimal
from xml.etree.ElementTree import Element

from extractors.einvoice_xml import (
    CAC_NS,
    CBC_NS,
    CREDIT_TYPE_CODES,
    UBL_CREDIT_NOTE_NS,
    UBL_INVOICE_NS,
    XmlReader,
    join_description,
    unit_price,
)
from extractors.parsing import cited_pos
from extractors.types import DocumentKind, ExtractedDocument, ExtractedLine

NS = {"inv": UBL_INVOICE_NS, "cn": UBL_CREDIT_NOTE_NS, "cac": CAC_NS, "cbc": CBC_NS}

_TOTALS = "cac:LegalMonetaryTotal"
_SELLER = "cac:AccountingSupplierParty/cac:Party"


def read_ubl(
    root: Element, *, credit_note: bool, filename: str, extractor: str, page_count: int
) -> ExtractedDocument:
    """Map a UBL ``Invoice`` or (``credit_note``) ``CreditNote`` root to a document."""
    r = XmlReader(filename, NS)
    notes: list[str] = []
    customization = r.text(root, "cbc:CustomizationID")
    if customization:
        notes.append(f"UBL customization {customization}")
    if credit_note:
        kind = DocumentKind.CREDIT_NOTE
    else:
        type_code = r.text(root, "cbc:InvoiceTypeCode")
        credit = type_code in CREDIT_TYPE_CODES
        kind = DocumentKind.CREDIT_NOTE if credit else DocumentKind.INVOICE
    currency = r.str_field(root, "cbc:DocumentCurrencyCode", "BT-5 currency")
    code = currency.value if currency else None

    lines = _lines(root, r, credit_note=credit_note)
    header_po = r.str_field(root, "cac:OrderReference/cbc:ID", "BT-13 purchase order reference")
    # Order line references (BT-132) name the order too: one PO or several.
    po_number, other_po_numbers = cited_pos(
        header_po,
        (),
        [(line.po_number, None) for line in lines if line.po_number],
        label="BT-13 purchase order reference (lines)",
    )
    if header_po is None and po_number is not None:
        notes.append("purchase order reference taken from the lines (none in the header)")
    credited = None
    if kind is DocumentKind.CREDIT_NOTE:
        credited = r.str_field(
            root,
            "cac:BillingReference/cac:InvoiceDocumentReference/cbc:ID",
            "BT-25 preceding invoice reference",
        )

    vendor = r.str_field(
        root, f"{_SELLER}/cac:PartyLegalEntity/cbc:RegistrationName", "BT-27 seller"
    ) or r.str_field(root, f"{_SELLER}/cac:PartyName/cbc:Name", "BT-28 seller trading name")
    line_total = r.decimal_field(root, f"{_TOTALS}/cbc:LineExtensionAmount", "BT-106 sum of lines")
    subtotal = r.decimal_field(
        root, f"{_TOTALS}/cbc:TaxExclusiveAmount", "BT-109 total without VAT"
    )
    if line_total and subtotal and line_total.value != subtotal.value:
        allowances = r.text(root, f"{_TOTALS}/cbc:AllowanceTotalAmount") or "0"
        charges = r.text(root, f"{_TOTALS}/cbc:ChargeTotalAmount") or "0"
        notes.append(
            f"document-level allowances ({allowances}) and charges ({charges}) make the "
            f"subtotal {subtotal.raw} differ from the sum of the lines {line_total.raw}; "
            "they are not lines"
        )
    return ExtractedDocument(
        kind=kind,
        extractor=extractor,
        page_count=page_count,
        number=r.str_field(root, "cbc:ID", "BT-1 invoice number"),
        date=r.date_field(r.text(root, "cbc:IssueDate"), "BT-2 issue date", fmt="iso"),
        vendor=vendor,
        po_number=po_number,
        currency=currency,
        subtotal=subtotal or line_total,
        tax=r.decimal_field(root, "cac:TaxTotal/cbc:TaxAmount", "BT-110 total VAT", currency=code),
        total=r.decimal_field(root, f"{_TOTALS}/cbc:TaxInclusiveAmount", "BT-112 total with VAT"),
        lines=tuple(lines),
        notes=tuple(notes),
        other_po_numbers=other_po_numbers,
        credited_number=credited,
    )


def _lines(root: Element, r: XmlReader, *, credit_note: bool) -> list[ExtractedLine]:
    """The lines in document order (sub-lines stay inside their line), each
    with the order it cites (if any)."""
    tag, qty_tag = (
        ("cac:CreditNoteLine", "cbc:CreditedQuantity")
        if credit_note
        else ("cac:InvoiceLine", "cbc:InvoicedQuantity")
    )
    lines: list[ExtractedLine] = []
    for item in root.findall(tag, NS):
        where = f"line {r.text(item, 'cbc:ID') or len(lines) + 1}"
        raw_qty = r.required(item, qty_tag, f"BT-129 quantity of {where}")
        price_raw = r.text(item, "cac:Price/cbc:PriceAmount")
        basis_raw = r.text(item, "cac:Price/cbc:BaseQuantity")
        amount_raw = r.text(item, "cbc:LineExtensionAmount")
        price: Decimal | None = None
        if price_raw is not None:
            basis = (
                r.decimal(basis_raw, f"BT-149 price base quantity of {where}")
                if basis_raw
                else None
            )
            price = unit_price(r.decimal(price_raw, f"BT-146 net price of {where}"), basis)
        order = r.text(item, "cac:OrderLineReference/cac:OrderReference/cbc:ID")
        lines.append(
            ExtractedLine(
                line_no=len(lines) + 1,
                description=join_description(
                    r.text(item, "cac:Item/cbc:Name"), r.text(item, "cac:Item/cbc:Description")
                ),
                quantity=r.decimal(raw_qty, f"BT-129 quantity of {where}"),
                sku=r.first_text(
                    item,
                    "cac:Item/cac:SellersItemIdentification/cbc:ID",
                    "cac:Item/cac:StandardItemIdentification/cbc:ID",
                ),
                unit_price=price,
                amount=(
                    r.decimal(amount_raw, f"BT-131 line net amount of {where}")
                    if amount_raw is not None
                    else None
                ),
                po_number=order,
            )
        )
    return lines
