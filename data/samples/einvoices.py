"""Build EN 16931 e-invoices (CII, UBL) and Factur-X PDFs from ground-truth dicts.

The sample generator and the tests call these with a dict shaped like one
entry of ``ground_truth.json``::

    {"kind": "invoice" | "credit_note", "source": "...", "vendor": "...",
     "number": "...", "date": "YYYY-MM-DD", "po_number": "..." | None,
     "currency": "EUR", "subtotal": "100.00", "tax": "19.00", "total": "119.00",
     "lines": [{"line_no": 1, "sku": "..." | None, "description": "...",
                "quantity": "2", "unit_price": "50.00", "amount": "100.00"}]}

so a sample's ground truth is exactly the dict it was built from. Optional
keys, ignored by the ground truth: ``tax_rate`` (percent; derived from tax /
subtotal when absent), ``tax_category`` (default S, or AE "reverse charge" at
a zero rate), ``buyer``, ``vendor_country``, ``vendor_vat_id``, and
per line ``name`` + ``item_description`` (printed as two elements; their join
with a space must equal ``description``), ``gtin`` (a standard item ID),
``price_basis`` (the price is stated per that many units), ``order_line_id``.
Per line, ``po_number`` is the order the line cites itself (several POs on
one invoice); on a credit note, ``credited_invoice`` is the number of the
invoice it credits (BT-25).

Pure and byte-deterministic: no clock, no randomness, no recon imports (the
samples stay an independent check of recon). Only one VAT rate per document
is written, and no document-level allowances or charges.
"""

from __future__ import annotations

import io
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime, tzinfo
from decimal import Decimal
from pathlib import Path
from typing import Any
from unittest import mock
from xml.sax.saxutils import escape, quoteattr

CII_NS = {
    "rsm": "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100",
    "qdt": "urn:un:unece:uncefact:data:standard:QualifiedDataType:100",
    "ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100",
    "udt": "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100",
}
UBL_CAC = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
UBL_CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
UBL_INVOICE = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
UBL_CREDIT_NOTE = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"

EN16931 = "urn:cen.eu:en16931:2017"
PEPPOL_CUSTOMIZATION = "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0"
PEPPOL_PROFILE = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"

FIXED_PDF_TIME = datetime(2026, 10, 31, 12, 0, tzinfo=UTC)
"""The timestamp Factur-X metadata gets, instead of the time of generation."""

# An element: (tag, attributes, text or children). Text is a str; None skips
# the element entirely, so optional values need no if-statements.
Node = tuple[str, Mapping[str, str], "str | Sequence[Node | None] | None"]


def build_cii(doc: Mapping[str, Any]) -> bytes:
    """A CII D16B CrossIndustryInvoice (Factur-X / ZUGFeRD EN 16931 profile).

    ``kind`` "credit_note" gives type code 381 with the amounts as stated.
    """
    currency = str(doc["currency"])
    rate = _tax_rate(doc)
    category, exemption = _tax_category(doc, rate)
    type_code = "381" if doc.get("kind") == "credit_note" else "380"

    def tax(header: bool) -> Node:
        children: list[Node | None] = []
        if header:
            children.append(_n("ram:CalculatedAmount", str(doc["tax"])))
        children.append(_n("ram:TypeCode", "VAT"))
        if header:
            children.append(_opt("ram:ExemptionReason", exemption))
            children.append(_n("ram:BasisAmount", str(doc["subtotal"])))
        children += [_n("ram:CategoryCode", category), _n("ram:RateApplicablePercent", rate)]
        return _n("ram:ApplicableTradeTax", children)

    def line(item: Mapping[str, Any]) -> Node:
        name, description = _name_and_description(item)
        price, basis = _price(item)
        order_line = item.get("order_line_id")
        order = item.get("po_number")
        return _n(
            "ram:IncludedSupplyChainTradeLineItem",
            [
                _n(
                    "ram:AssociatedDocumentLineDocument",
                    [_n("ram:LineID", str(item["line_no"]))],
                ),
                _n(
                    "ram:SpecifiedTradeProduct",
                    [
                        _opt("ram:GlobalID", item.get("gtin"), schemeID="0160"),
                        _opt("ram:SellerAssignedID", item.get("sku")),
                        _n("ram:Name", name),
                        _opt("ram:Description", description),
                    ],
                ),
                _n(
                    "ram:SpecifiedLineTradeAgreement",
                    [
                        None
                        if order_line is None and order is None
                        else _n(
                            "ram:BuyerOrderReferencedDocument",
                            [
                                _opt("ram:IssuerAssignedID", order),
                                _opt("ram:LineID", order_line),
                            ],
                        ),
                        _n(
                            "ram:NetPriceProductTradePrice",
                            [
                                _n("ram:ChargeAmount", price),
                                _opt("ram:BasisQuantity", basis, unitCode="C62"),
                            ],
                        ),
                    ],
                ),
                _n(
                    "ram:SpecifiedLineTradeDelivery",
                    [_n("ram:BilledQuantity", str(item["quantity"]), unitCode="C62")],
                ),
                _n(
                    "ram:SpecifiedLineTradeSettlement",
                    [
                        tax(header=False),
                        _n(
                            "ram:SpecifiedTradeSettlementLineMonetarySummation",
                            [_n("ram:LineTotalAmount", str(item["amount"]))],
                        ),
                    ],
                ),
            ],
        )

    po = doc.get("po_number")
    root = _n(
        "rsm:CrossIndustryInvoice",
        [
            _n(
                "rsm:ExchangedDocumentContext",
                [
                    _n(
                        "ram:GuidelineSpecifiedDocumentContextParameter",
                        [_n("ram:ID", EN16931)],
                    )
                ],
            ),
            _n(
                "rsm:ExchangedDocument",
                [
                    _n("ram:ID", str(doc["number"])),
                    _n("ram:TypeCode", type_code),
                    _n(
                        "ram:IssueDateTime",
                        [_n("udt:DateTimeString", str(doc["date"]).replace("-", ""), format="102")],
                    ),
                ],
            ),
            _n(
                "rsm:SupplyChainTradeTransaction",
                [
                    *(line(item) for item in doc["lines"]),
                    _n(
                        "ram:ApplicableHeaderTradeAgreement",
                        [
                            _n(
                                "ram:SellerTradeParty",
                                [
                                    _n("ram:Name", str(doc["vendor"])),
                                    _n(
                                        "ram:PostalTradeAddress",
                                        [_n("ram:CountryID", _vendor_country(doc))],
                                    ),
                                    _n(
                                        "ram:SpecifiedTaxRegistration",
                                        [_n("ram:ID", _vendor_vat_id(doc), schemeID="VA")],
                                    ),
                                ],
                            ),
                            _n(
                                "ram:BuyerTradeParty",
                                [
                                    _n("ram:Name", _buyer(doc)),
                                    _n("ram:PostalTradeAddress", [_n("ram:CountryID", "DE")]),
                                ],
                            ),
                            None
                            if po is None
                            else _n(
                                "ram:BuyerOrderReferencedDocument",
                                [_n("ram:IssuerAssignedID", str(po))],
                            ),
                        ],
                    ),
                    _n("ram:ApplicableHeaderTradeDelivery", []),
                    _n(
                        "ram:ApplicableHeaderTradeSettlement",
                        [
                            _n("ram:InvoiceCurrencyCode", currency),
                            tax(header=True),
                            _n(
                                "ram:SpecifiedTradeSettlementHeaderMonetarySummation",
                                [
                                    _n("ram:LineTotalAmount", str(doc["subtotal"])),
                                    _n("ram:TaxBasisTotalAmount", str(doc["subtotal"])),
                                    _n("ram:TaxTotalAmount", str(doc["tax"]), currencyID=currency),
                                    _n("ram:GrandTotalAmount", str(doc["total"])),
                                    _n("ram:DuePayableAmount", str(doc["total"])),
                                ],
                            ),
                            None
                            if doc.get("credited_invoice") is None
                            else _n(
                                "ram:InvoiceReferencedDocument",
                                [_n("ram:IssuerAssignedID", str(doc["credited_invoice"]))],
                            ),
                        ],
                    ),
                ],
            ),
        ],
    )
    return _serialise(root, CII_NS)


def build_ubl(doc: Mapping[str, Any], credit_note: bool = False) -> bytes:
    """A UBL 2.1 Invoice (Peppol BIS Billing 3.0), or a CreditNote when
    ``credit_note`` or ``doc["kind"] == "credit_note"``; amounts as stated
    (positive in a credit note)."""
    credit_note = credit_note or doc.get("kind") == "credit_note"
    currency = str(doc["currency"])
    rate = _tax_rate(doc)
    code, exemption = _tax_category(doc, rate)

    def money(tag: str, value: object) -> Node:
        return _n(tag, str(value), currencyID=currency)

    def category(tag: str) -> Node:
        return _n(
            tag,
            [
                _n("cbc:ID", code),
                _n("cbc:Percent", rate),
                _opt("cbc:TaxExemptionReason", exemption if tag == "cac:TaxCategory" else None),
                _n("cac:TaxScheme", [_n("cbc:ID", "VAT")]),
            ],
        )

    def party(name: str, country: str, vat_id: str | None) -> Node:
        return _n(
            "cac:Party",
            [
                _n("cac:PartyName", [_n("cbc:Name", name)]),
                _n(
                    "cac:PostalAddress",
                    [_n("cac:Country", [_n("cbc:IdentificationCode", country)])],
                ),
                None
                if vat_id is None
                else _n(
                    "cac:PartyTaxScheme",
                    [
                        _n("cbc:CompanyID", vat_id),
                        _n("cac:TaxScheme", [_n("cbc:ID", "VAT")]),
                    ],
                ),
                _n("cac:PartyLegalEntity", [_n("cbc:RegistrationName", name)]),
            ],
        )

    def line(item: Mapping[str, Any]) -> Node:
        name, description = _name_and_description(item)
        price, basis = _price(item)
        order_line = item.get("order_line_id")
        order = item.get("po_number")
        gtin = item.get("gtin")
        return _n(
            "cac:CreditNoteLine" if credit_note else "cac:InvoiceLine",
            [
                _n("cbc:ID", str(item["line_no"])),
                _n(
                    "cbc:CreditedQuantity" if credit_note else "cbc:InvoicedQuantity",
                    str(item["quantity"]),
                    unitCode="C62",
                ),
                money("cbc:LineExtensionAmount", item["amount"]),
                None
                if order_line is None and order is None
                else _n(
                    "cac:OrderLineReference",
                    [
                        # LineID is mandatory; "NA" where only the order is known.
                        _n("cbc:LineID", str(order_line or "NA")),
                        None
                        if order is None
                        else _n("cac:OrderReference", [_n("cbc:ID", str(order))]),
                    ],
                ),
                _n(
                    "cac:Item",
                    [
                        _opt("cbc:Description", description),
                        _n("cbc:Name", name),
                        None
                        if item.get("sku") is None
                        else _n("cac:SellersItemIdentification", [_n("cbc:ID", str(item["sku"]))]),
                        None
                        if gtin is None
                        else _n(
                            "cac:StandardItemIdentification",
                            [_n("cbc:ID", str(gtin), schemeID="0160")],
                        ),
                        category("cac:ClassifiedTaxCategory"),
                    ],
                ),
                _n(
                    "cac:Price",
                    [
                        money("cbc:PriceAmount", price),
                        _opt("cbc:BaseQuantity", basis, unitCode="C62"),
                    ],
                ),
            ],
        )

    po = doc.get("po_number")
    root_tag = "CreditNote" if credit_note else "Invoice"
    root = _n(
        root_tag,
        [
            _n("cbc:CustomizationID", PEPPOL_CUSTOMIZATION),
            _n("cbc:ProfileID", PEPPOL_PROFILE),
            _n("cbc:ID", str(doc["number"])),
            _n("cbc:IssueDate", str(doc["date"])),
            _n("cbc:CreditNoteTypeCode", "381")
            if credit_note
            else _n("cbc:InvoiceTypeCode", "380"),
            _n("cbc:DocumentCurrencyCode", currency),
            _n("cbc:BuyerReference", str(po) if po is not None else "n/a"),
            None if po is None else _n("cac:OrderReference", [_n("cbc:ID", str(po))]),
            None
            if doc.get("credited_invoice") is None
            else _n(
                "cac:BillingReference",
                [_n("cac:InvoiceDocumentReference", [_n("cbc:ID", str(doc["credited_invoice"]))])],
            ),
            _n(
                "cac:AccountingSupplierParty",
                [party(str(doc["vendor"]), _vendor_country(doc), _vendor_vat_id(doc))],
            ),
            _n("cac:AccountingCustomerParty", [party(_buyer(doc), "DE", None)]),
            _n(
                "cac:TaxTotal",
                [
                    money("cbc:TaxAmount", doc["tax"]),
                    _n(
                        "cac:TaxSubtotal",
                        [
                            money("cbc:TaxableAmount", doc["subtotal"]),
                            money("cbc:TaxAmount", doc["tax"]),
                            category("cac:TaxCategory"),
                        ],
                    ),
                ],
            ),
            _n(
                "cac:LegalMonetaryTotal",
                [
                    money("cbc:LineExtensionAmount", doc["subtotal"]),
                    money("cbc:TaxExclusiveAmount", doc["subtotal"]),
                    money("cbc:TaxInclusiveAmount", doc["total"]),
                    money("cbc:PayableAmount", doc["total"]),
                ],
            ),
            *(line(item) for item in doc["lines"]),
        ],
    )
    default_ns = UBL_CREDIT_NOTE if credit_note else UBL_INVOICE
    return _serialise(root, {"": default_ns, "cac": UBL_CAC, "cbc": UBL_CBC})


def embed_facturx(pdf_bytes: bytes, xml: bytes) -> bytes:
    """A Factur-X PDF: ``xml`` (CII, EN 16931 profile) attached to ``pdf_bytes`` as
    ``factur-x.xml`` by the ``factur-x`` library, schema-checked on the way.

    factur-x stamps the current time into the PDF's /Info, the XMP metadata and
    the attachment's /ModDate; its clock is pinned to :data:`FIXED_PDF_TIME` so
    the same inputs give the same bytes. The visual PDF should come from
    reportlab in invariant mode (a fixed /ID, which pypdf keeps).

    ``generate_from_file`` writes to a fresh file: ``generate_from_binary``
    (factur-x 7.8 with pypdf 7) writes the new PDF into its input stream at the
    position the reader left, so the result starts with part of the old file.
    """
    from facturx import generate_from_file

    with tempfile.TemporaryDirectory(prefix="recon-facturx-") as tmp:
        out = Path(tmp) / "factur-x.pdf"
        with _pinned_facturx_clock():
            generate_from_file(
                io.BytesIO(pdf_bytes),
                xml,
                flavor="factur-x",
                level="en16931",
                check_xsd=True,
                output_pdf_file=str(out),
            )
        return out.read_bytes()


def embed_xml(pdf_bytes: bytes, xml: bytes, *, name: str) -> bytes:
    """``xml`` attached to ``pdf_bytes`` under ``name`` (e.g. ``xrechnung.xml``,
    ``zugferd-invoice.xml``) as a plain embedded file, without Factur-X metadata."""
    from pypdf import PdfWriter

    writer = PdfWriter(clone_from=io.BytesIO(pdf_bytes))
    writer.add_attachment(name, xml)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


@contextmanager
def _pinned_facturx_clock() -> Iterator[None]:
    import facturx.facturx as fx

    class _Pinned(datetime):
        @classmethod
        def now(cls, tz: tzinfo | None = None) -> datetime:  # type: ignore[override]
            if tz is None:
                return FIXED_PDF_TIME.replace(tzinfo=None)
            return FIXED_PDF_TIME.astimezone(tz)

    with mock.patch.object(fx, "datetime", _Pinned):
        yield


# ---------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------


def _n(tag: str, content: str | Sequence[Node | None] | None, **attrs: str) -> Node:
    return (tag, attrs, content)


def _opt(tag: str, value: object, **attrs: str) -> Node | None:
    return None if value is None else _n(tag, str(value), **attrs)


def _serialise(root: Node, namespaces: Mapping[str, str]) -> bytes:
    decls = "".join(
        f" xmlns{':' + prefix if prefix else ''}={quoteattr(uri)}"
        for prefix, uri in namespaces.items()
    )
    out = ['<?xml version="1.0" encoding="UTF-8"?>\n']
    _write(root, out, 0, decls)
    return "".join(out).encode("utf-8")


def _write(node: Node, out: list[str], depth: int, decls: str = "") -> None:
    tag, attrs, content = node
    pad = "  " * depth
    attr_text = decls + "".join(f" {k}={quoteattr(v)}" for k, v in attrs.items())
    if isinstance(content, str):
        out.append(f"{pad}<{tag}{attr_text}>{escape(content)}</{tag}>\n")
        return
    children = [c for c in content or () if c is not None]
    if not children:
        out.append(f"{pad}<{tag}{attr_text}/>\n")
        return
    out.append(f"{pad}<{tag}{attr_text}>\n")
    for child in children:
        _write(child, out, depth + 1)
    out.append(f"{pad}</{tag}>\n")


def _tax_rate(doc: Mapping[str, Any]) -> str:
    if doc.get("tax_rate") is not None:
        return str(doc["tax_rate"])
    subtotal, tax = Decimal(str(doc["subtotal"])), Decimal(str(doc["tax"]))
    if subtotal == 0:
        return "0"
    rate = (tax / subtotal * 100).quantize(Decimal("0.01"))
    return format(rate.normalize(), "f")


def _tax_category(doc: Mapping[str, Any], rate: str) -> tuple[str, str | None]:
    """(VAT category, exemption reason): standard rate, else reverse charge."""
    code = str(doc.get("tax_category") or ("S" if Decimal(rate) else "AE"))
    return code, None if code == "S" else "Reverse charge"


def _price(item: Mapping[str, Any]) -> tuple[str, str | None]:
    """(price as printed, basis quantity or None) for a per-unit ``unit_price``."""
    basis = item.get("price_basis")
    if basis is None:
        return str(item["unit_price"]), None
    stated = Decimal(str(item["unit_price"])) * Decimal(str(basis))
    return format(stated, "f"), str(basis)


def _name_and_description(item: Mapping[str, Any]) -> tuple[str, str | None]:
    if item.get("name") is None:
        return str(item["description"]), None
    name, extra = str(item["name"]), item.get("item_description")
    joined = f"{name} {extra}" if extra else name
    if joined != item["description"]:
        raise ValueError(f"line {item['line_no']}: name + item_description != description")
    return name, None if extra is None else str(extra)


def _vendor_country(doc: Mapping[str, Any]) -> str:
    return str(doc.get("vendor_country") or "DE")


def _vendor_vat_id(doc: Mapping[str, Any]) -> str:
    return str(doc.get("vendor_vat_id") or "DE123456789")


def _buyer(doc: Mapping[str, Any]) -> str:
    return str(doc.get("buyer") or "Northwind Analytics GmbH")
