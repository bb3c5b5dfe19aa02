"""UN/CEFACT Cross Industry Invoice (CII D16B) to an ExtractedDocument.

The syntax of Factur-X / ZUGFeRD 2.x (embedded in a PDF/A-3) and of
XRechnung CII. Values are read exactly as the XML states them; nothing is
recomputed. A credit note (type code 381 and the other credit codes) keeps
its quantities and amounts as written; ``kind`` is what says it is a credit.
Only the ``root`` given is read: no files, no network, no database.
"""

from __future__ import annotations

from decimal import Decimal
from xml.etree.ElementTree import Element

from extractors.einvoice_xml import (
    CII_NS,
    CREDIT_TYPE_CODES,
    RAM_NS,
    UDT_NS,
    XmlReader,
    join_description,
    unit_price,
)
from extractors.parsing import cited_pos
from extractors.types import DocumentKind, ExtractedDocument, ExtractedLine, Field

NS = {"rsm": CII_NS, "ram": RAM_NS, "udt": UDT_NS}

_TX = "rsm:SupplyChainTradeTransaction"
_AGREEMENT = f"{_TX}/ram:ApplicableHeaderTradeAgreement"
_SETTLEMENT = f"{_TX}/ram:ApplicableHeaderTradeSettlement"
_TOTALS = f"{_SETTLEMENT}/ram:SpecifiedTradeSettlementHeaderMonetarySummation"


def read_cii(root: Element, *, filename: str, extractor: str, page_count: int) -> ExtractedDocument:
    """Map a ``rsm:CrossIndustryInvoice`` root to a document (BT numbers in labels)."""
    r = XmlReader(filename, NS)
    notes: list[str] = []
    profile = r.text(
        root, "rsm:ExchangedDocumentContext/ram:GuidelineSpecifiedDocumentContextParameter/ram:ID"
    )
    if profile:
        notes.append(f"CII profile {profile}")
    type_code = r.text(root, "rsm:ExchangedDocument/ram:TypeCode")
    kind = DocumentKind.CREDIT_NOTE if type_code in CREDIT_TYPE_CODES else DocumentKind.INVOICE
    currency = r.str_field(root, f"{_SETTLEMENT}/ram:InvoiceCurrencyCode", "BT-5 currency")
    code = currency.value if currency else None

    lines = _lines(root, r, notes)
    header_po = r.str_field(
        root,
        f"{_AGREEMENT}/ram:BuyerOrderReferencedDocument/ram:IssuerAssignedID",
        "BT-13 purchase order reference",
    )
    # EXTENDED profile: order references on the lines, one PO or several.
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
            f"{_SETTLEMENT}/ram:InvoiceReferencedDocument/ram:IssuerAssignedID",
            "BT-25 preceding invoice reference",
        )

    line_total = r.decimal_field(root, f"{_TOTALS}/ram:LineTotalAmount", "BT-106 sum of lines")
    subtotal = r.decimal_field(
        root, f"{_TOTALS}/ram:TaxBasisTotalAmount", "BT-109 total without VAT"
    )
    _note_allowances(root, r, line_total, subtotal, notes)
    return ExtractedDocument(
        kind=kind,
        extractor=extractor,
        page_count=page_count,
        number=r.str_field(root, "rsm:ExchangedDocument/ram:ID", "BT-1 invoice number"),
        date=r.date_field(
            r.text(root, "rsm:ExchangedDocument/ram:IssueDateTime/udt:DateTimeString"),
            "BT-2 issue date",
            fmt="102",
        ),
        vendor=r.str_field(root, f"{_AGREEMENT}/ram:SellerTradeParty/ram:Name", "BT-27 seller"),
        po_number=po_number,
        currency=currency,
        subtotal=subtotal or line_total,
        tax=r.decimal_field(
            root, f"{_TOTALS}/ram:TaxTotalAmount", "BT-110 total VAT", currency=code
        ),
        total=r.decimal_field(root, f"{_TOTALS}/ram:GrandTotalAmount", "BT-112 total with VAT"),
        lines=tuple(lines),
        notes=tuple(notes),
        other_po_numbers=other_po_numbers,
        credited_number=credited,
    )


def _lines(root: Element, r: XmlReader, notes: list[str]) -> list[ExtractedLine]:
    """The invoice lines in document order, each with the order it cites (if any)."""
    lines: list[ExtractedLine] = []
    skipped = 0
    for item in root.findall(f"{_TX}/ram:IncludedSupplyChainTradeLineItem", NS):
        doc_line = "ram:AssociatedDocumentLineDocument"
        line_id = r.text(item, f"{doc_line}/ram:LineID") or str(len(lines) + 1)
        if r.text(item, f"{doc_line}/ram:LineStatusReasonCode") == "INFORMATION":
            skipped += 1  # EXTENDED sub-line shown for information, not invoiced
            continue
        where = f"line {line_id}"
        product = "ram:SpecifiedTradeProduct"
        agreement = "ram:SpecifiedLineTradeAgreement"
        raw_qty = r.required(
            item, "ram:SpecifiedLineTradeDelivery/ram:BilledQuantity", f"BT-129 quantity of {where}"
        )
        price_raw = r.text(item, f"{agreement}/ram:NetPriceProductTradePrice/ram:ChargeAmount")
        basis_raw = r.text(item, f"{agreement}/ram:NetPriceProductTradePrice/ram:BasisQuantity")
        amount_raw = r.text(
            item,
            "ram:SpecifiedLineTradeSettlement/"
            "ram:SpecifiedTradeSettlementLineMonetarySummation/ram:LineTotalAmount",
        )
        price: Decimal | None = None
        if price_raw is not None:
            basis = (
                r.decimal(basis_raw, f"BT-149 price base quantity of {where}")
                if basis_raw
                else None
            )
            price = unit_price(r.decimal(price_raw, f"BT-146 net price of {where}"), basis)
        order = r.text(item, f"{agreement}/ram:BuyerOrderReferencedDocument/ram:IssuerAssignedID")
        lines.append(
            ExtractedLine(
                line_no=len(lines) + 1,
                description=join_description(
                    r.text(item, f"{product}/ram:Name"),
                    r.text(item, f"{product}/ram:Description"),
                ),
                quantity=r.decimal(raw_qty, f"BT-129 quantity of {where}"),
                sku=r.first_text(
                    item,
                    f"{product}/ram:SellerAssignedID",
                    f"{product}/ram:GlobalID",
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
    if skipped:
        notes.append(f"{skipped} information-only sub-line(s) not counted as lines")
    return lines


def _note_allowances(
    root: Element,
    r: XmlReader,
    line_total: Field[Decimal] | None,
    subtotal: Field[Decimal] | None,
    notes: list[str],
) -> None:
    """Say so when document-level allowances or charges sit between lines and subtotal."""
    allowances = r.text(root, f"{_TOTALS}/ram:AllowanceTotalAmount")
    charges = r.text(root, f"{_TOTALS}/ram:ChargeTotalAmount")
    if line_total and subtotal and line_total.value != subtotal.value:
        notes.append(
            f"document-level allowances ({allowances or '0'}) and charges ({charges or '0'}) "
            f"make the subtotal {subtotal.raw} differ from the sum of the lines "
            f"{line_total.raw}; they are not lines"
        )
