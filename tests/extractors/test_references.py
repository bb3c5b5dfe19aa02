"""References to other documents: several POs, and the invoice a credit note credits.

Invented documents drawn with reportlab (``tests/extractors/pdfs.py``) in
English, German and French, read end to end; and e-invoices (UBL and CII)
with line-level order references and a preceding-invoice reference.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from facturx import xml_check_xsd

from data.samples.einvoices import build_cii, build_ubl
from extractors.parsing import identifiers
from extractors.registry import extract
from extractors.types import DocumentKind, ExtractedDocument
from tests.extractors.einvoice.cases import invoice
from tests.extractors.pdfs import Doc

# Per language: title, number label, date label and date, PO label, column
# headings (line no, PO, description, quantity, unit price, amount), totals labels.
LANGUAGES = {
    "en": ("INVOICE", "Invoice No.:", "Invoice Date:", "14/10/2026", "PO Numbers:",
           ("Pos", "PO", "Description", "Qty", "Unit Price", "Amount"),
           ("Subtotal", "VAT 20%", "Total"), ("CREDIT NOTE", "Credit Note No.:",
           "Credit note for invoice:")),
    "de": ("RECHNUNG", "Rechnungsnummer:", "Rechnungsdatum:", "14.10.2026", "Bestellnummern:",
           ("Pos.", "Bestellung", "Bezeichnung", "Menge", "Einzelpreis", "Betrag"),
           ("Nettobetrag", "MwSt. 19 %", "Gesamtbetrag"), ("GUTSCHRIFT", "Gutschrift-Nr.:",
           "Zu Rechnung:")),
    "fr": ("FACTURE", "N° de facture :", "Date de facture :", "14/10/2026",
           "Bons de commande :",
           ("N°", "Bon de commande", "Désignation", "Qté", "Prix unitaire", "Montant"),
           ("Total HT", "TVA 20 %", "Total TTC"), ("AVOIR", "N° d'avoir :",
           "Facture d'origine :")),
}  # fmt: skip


def draw(
    lang: str,
    *,
    header_pos: str | None,
    line_pos: tuple[str, str, str] | None,
    credits: str | None = None,
    titled_invoice: bool = False,
    po_heading: str | None = None,
    number: tuple[str, str] | None = None,
) -> bytes:
    """A one-page invoice (or, with ``credits``, a credit note unless
    ``titled_invoice``) of three items."""
    title, number_label, date_label, day, po_label, heads, totals, credit = LANGUAGES[lang]
    doc = Doc()
    p = doc.page()
    p.text(50, 40, "Kestrel Components GmbH", size=18, bold=True)
    p.lines(50, 64, ["Hafenstraße 12", "20457 Hamburg"], size=9, leading=11)
    as_credit = credits is not None and not titled_invoice
    p.text(545, 40, credit[0] if as_credit else title, size=20, bold=True, align="right")
    block = [
        number or (credit[1] if as_credit else number_label, "DOC-2026-0077"),
        (date_label, day),
    ]
    if header_pos is not None:
        block.append((po_label, header_pos))
    if credits is not None:
        block.append((credit[2], credits))
    for i, (label, value) in enumerate(block):
        p.text(290, 100 + i * 14, label, size=9)
        p.text(395, 100 + i * 14, value, size=9)
    items = [
        ("Dell Latitude 5440 laptop", "2", "1000.00", "2000.00"),
        ("Logitech MX Keys S keyboard", "5", "100.00", "500.00"),
        ("Dell WD19S docking station", "1", "200.00", "200.00"),
    ]
    if line_pos is None:
        cols = [(55, "left"), (90, "left"), (360, "right"), (450, "right"), (540, "right")]
        rows = [[heads[0], *heads[2:]]]
        rows += [[str(i), *item] for i, item in enumerate(items, 1)]
    else:
        cols = [(55, "left"), (85, "left"), (175, "left"), (360, "right"), (450, "right"),
                (540, "right")]  # fmt: skip
        rows = [[heads[0], po_heading or heads[1], *heads[2:]]]
        rows += [
            [str(i), po, *item] for i, (po, item) in enumerate(zip(line_pos, items, strict=True), 1)
        ]
    y = p.table(200, cols, rows, ruled=True)
    for i, (label, value) in enumerate(zip(totals, ("2700.00", "540.00", "3240.00"), strict=True)):
        p.text(380, y + 20 + i * 15, label, size=10)
        p.text(540, y + 20 + i * 15, value, size=10, align="right")
    return doc.build()


def read(data: bytes) -> ExtractedDocument:
    return extract(data, filename="doc.pdf")


def values(doc: ExtractedDocument) -> tuple[str | None, tuple[str, ...]]:
    return (
        doc.po_number.value if doc.po_number else None,
        tuple(f.value for f in doc.other_po_numbers),
    )


@pytest.mark.parametrize(
    ("lang", "printed", "po_number", "others"),
    [
        ("en", "4500012345, 4500012346", "4500012345", ("4500012346",)),
        ("en", "PO-2026-0164 / PO-2026-0165 / PO-2026-0166", "PO-2026-0164",
         ("PO-2026-0165", "PO-2026-0166")),
        ("de", "4711 und 4712", "4711", ("4712",)),
        ("fr", "BC-2026-11 et BC-2026-12", "BC-2026-11", ("BC-2026-12",)),
        # one PO: nothing further
        ("en", "4500012345", "4500012345", ()),
        # what follows is not another PO number
        ("en", "4500012345, J. Smith", "4500012345", ()),
        ("en", "4500012345, 089 1234567", "4500012345", ()),
        ("de", "12345, 80331 München", "12345", ()),
        ("en", "PO-2026-0164 / INV-2026-0165", "PO-2026-0164", ()),
        # no space after the comma; SAP's PO / item
        ("en", "4711,4712", "4711", ("4712",)),
        ("en", "4500012345/10", "4500012345", ()),
        ("en", "4500012345 / 10", "4500012345", ()),
    ],
)  # fmt: skip
def test_a_header_list_of_pos(lang: str, printed: str, po_number: str, others: tuple[str]) -> None:
    doc = read(draw(lang, header_pos=printed, line_pos=None))
    assert doc.kind is DocumentKind.INVOICE
    assert values(doc) == (po_number, others)
    assert all(f.box is not None and f.box.page == 1 for f in doc.other_po_numbers)
    assert [ln.po_number for ln in doc.lines] == [None, None, None]
    assert doc.lines[0].description == "Dell Latitude 5440 laptop"


@pytest.mark.parametrize("lang", ["en", "de", "fr"])
def test_a_po_column_in_the_items(lang: str) -> None:
    """GIVEN an invoice with no PO in its header and a PO column in its table
    THEN each line carries its PO, the first becomes po_number and the other
    ones other_po_numbers, and the column is no part of the descriptions."""
    doc = read(draw(lang, header_pos=None, line_pos=("4711", "4712", "4711")))
    assert [(ln.po_number, ln.quantity) for ln in doc.lines] == [
        ("4711", Decimal(2)),
        ("4712", Decimal(5)),
        ("4711", Decimal(1)),
    ]
    assert doc.lines[1].description == "Logitech MX Keys S keyboard"
    assert values(doc) == ("4711", ("4712",))


@pytest.mark.parametrize(
    ("lang", "heading"),
    [("en", "Your Order"), ("en", "Customer PO"), ("en", "P.O. No."), ("en", "Purchase Order"),
     ("de", "Ihre Bestellung"), ("de", "Bestellnummer"), ("de", "Bestell-Nr."),
     ("fr", "Votre commande"), ("fr", "N° BDC")],
)  # fmt: skip
def test_buyer_side_po_column_labels(lang: str, heading: str) -> None:
    doc = read(draw(lang, header_pos=None, line_pos=("4711", "4712", "4711"), po_heading=heading))
    assert [ln.po_number for ln in doc.lines] == ["4711", "4712", "4711"]
    assert values(doc) == ("4711", ("4712",))


@pytest.mark.parametrize(
    ("lang", "heading"),
    [("en", "Order No"), ("en", "Order Number"), ("en", "Order Ref"), ("de", "Auftrag"),
     ("de", "Auftragsnummer"), ("de", "Auftrags-Nr."), ("fr", "Commande"),
     ("fr", "N° commande"), ("fr", "N° de commande")],
)  # fmt: skip
def test_the_vendors_own_order_column_is_not_a_po(lang: str, heading: str) -> None:
    """GIVEN an invoice citing PO 4711 in its header and a column of the
    vendor's own sales-order numbers ("Order No", "Auftrag", "N° commande")
    THEN no line cites a PO of its own, the only PO is the header's, and the
    column is no part of the descriptions."""
    doc = read(
        draw(lang, header_pos="4711", line_pos=("SO-8812", "SO-8813", "SO-8812"),
             po_heading=heading)
    )  # fmt: skip
    assert [ln.po_number for ln in doc.lines] == [None, None, None]
    assert values(doc) == ("4711", ())
    assert [ln.description for ln in doc.lines] == [
        "Dell Latitude 5440 laptop",
        "Logitech MX Keys S keyboard",
        "Dell WD19S docking station",
    ]


@pytest.mark.parametrize(
    "cells", [("4500012345/10", "4500012346/20", "4500012345/30"),
              ("4500012345 / 10", "4500012346 / 20", "4500012345 / 30")],
)  # fmt: skip
def test_a_po_column_of_po_and_item_cites_the_po(cells: tuple[str, str, str]) -> None:
    """SAP's "PO/item" in a PO column is the PO, not a PO of its own per item."""
    doc = read(draw("en", header_pos=None, line_pos=cells))
    assert [ln.po_number for ln in doc.lines] == ["4500012345", "4500012346", "4500012345"]
    assert values(doc) == ("4500012345", ("4500012346",))


def test_a_po_column_adds_to_the_header_po() -> None:
    doc = read(draw("en", header_pos="4711", line_pos=("4711", "4713", "")))
    assert [ln.po_number for ln in doc.lines] == ["4711", "4713", None]
    assert values(doc) == ("4711", ("4713",))


@pytest.mark.parametrize(
    ("lang", "credited"),
    [("en", "INV-2026-0040"), ("de", "RE-2026-0815"), ("fr", "F-2026-0912")],
)
def test_the_invoice_a_credit_note_credits(lang: str, credited: str) -> None:
    doc = read(draw(lang, header_pos="4711", line_pos=None, credits=credited))
    assert doc.kind is DocumentKind.CREDIT_NOTE
    assert doc.number is not None and doc.number.value == "DOC-2026-0077"
    assert doc.credited_number is not None and doc.credited_number.value == credited
    assert doc.po_number is not None and doc.po_number.value == "4711"


@pytest.mark.parametrize(
    ("lang", "label"),
    [("en", "Invoice Reference:"), ("en", "Invoice Ref.:"), ("de", "Rechnungsreferenz:"),
     ("fr", "Référence facture :")],
)  # fmt: skip
def test_an_invoice_reference_label_is_the_invoices_own_number(lang: str, label: str) -> None:
    """GIVEN an ordinary invoice whose number is labelled "Invoice Reference"
    THEN that is its number, not an invoice it credits."""
    doc = read(draw(lang, header_pos="4711", line_pos=None, number=(label, "INV-2026-0077")))
    assert doc.kind is DocumentKind.INVOICE
    assert doc.number is not None and doc.number.value == "INV-2026-0077"
    assert doc.credited_number is None


def test_an_invoice_has_no_credited_invoice() -> None:
    """The same label on an invoice is some other reference, not a credit."""
    doc = read(
        draw("en", header_pos="4711", line_pos=None, credits="INV-2026-0040", titled_invoice=True)
    )
    assert doc.kind is DocumentKind.INVOICE
    assert doc.credited_number is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("4500012345, 4500012346", ["4500012345", "4500012346"]),
        ("PO 4711 / PO 4712", ["PO 4711", "PO 4712"]),
        ("#4711, #4712", ["4711", "4712"]),
        ("A-1; A-2; A-3.", ["A-1", "A-2", "A-3"]),
        ("4711, dated 12.10.2026", ["4711"]),
        ("4711, 12.10.2026", ["4711"]),
        ("4711/4712", ["4711/4712"]),  # one number with a slash
        ("per e-mail from J. Smith", []),
        # what follows a joiner is listed only with the first's shape, ending the text or
        # at the next joiner: no phone numbers, parcel counts, quantities, years, postcodes
        ("4500012345, 089 1234567", ["4500012345"]),
        ("4711, 2 parcels", ["4711"]),
        ("4500012345, 10 pcs", ["4500012345"]),
        ("4711 & 2026", ["4711"]),
        ("4711 & 4712", ["4711", "4712"]),
        ("4500012345 + 49 89 1234567", ["4500012345"]),
        ("12345, 80331 München", ["12345"]),
        ("12345, 12346", ["12345", "12346"]),
        ("PO-2026-0164 / INV-2026-0165", ["PO-2026-0164"]),
        ("4711A, 4711B", ["4711A", "4711B"]),
        # no space after the comma
        ("4711,4712", ["4711", "4712"]),
        ("4711;4712;4713", ["4711", "4712", "4713"]),
        # SAP's PO / item is one PO; a year and a serial number are not an item
        ("4500012345 / 10", ["4500012345"]),
        ("4500012345/10", ["4500012345"]),
        ("4500012345/00010", ["4500012345"]),
        ("4500012345 / 10, 4500012346 / 20", ["4500012345", "4500012346"]),
        ("2026/15", ["2026/15"]),
    ],
)
def test_identifiers(text: str, expected: list[str]) -> None:
    assert identifiers(text.split()) == expected


# --- e-invoices ------------------------------------------------------------------------


def einvoice(
    *,
    kind: str = "invoice",
    header_order: str | None,
    line_orders: tuple[str | None, ...],
    credited: str | None = None,
) -> dict[str, object]:
    """The e-invoice test case with its first lines citing ``line_orders``."""
    doc = invoice(kind=kind, po_number=header_order, credited_invoice=credited)
    lines = doc["lines"][: len(line_orders)]
    for line, order in zip(lines, line_orders, strict=True):
        line["po_number"] = order
    subtotal = sum(Decimal(line["amount"]) for line in lines)
    tax = (subtotal * Decimal("0.19")).quantize(Decimal("0.01"))
    doc.update(lines=lines, subtotal=str(subtotal), tax=str(tax), total=str(subtotal + tax))
    return doc


def test_ubl_line_order_references_and_the_billing_reference() -> None:
    data = einvoice(
        kind="credit_note", header_order=None, line_orders=("PO-1", "PO-2"), credited="KS-377"
    )
    xml_check_xsd(build_ubl(data), flavor="ubl")
    doc = extract(build_ubl(data), filename="cn.xml")
    assert doc.kind is DocumentKind.CREDIT_NOTE
    assert [ln.po_number for ln in doc.lines] == ["PO-1", "PO-2"]
    assert values(doc) == ("PO-1", ("PO-2",))
    assert doc.credited_number is not None
    assert (doc.credited_number.value, doc.credited_number.label) == (
        "KS-377",
        "BT-25 preceding invoice reference",
    )


def test_cii_line_order_references_beside_the_header_order() -> None:
    data = einvoice(header_order="PO-1", line_orders=("PO-1", "PO-3"))
    xml_check_xsd(build_cii(data), flavor="factur-x", level="en16931")
    doc = extract(build_cii(data), filename="inv.xml")
    assert [ln.po_number for ln in doc.lines] == ["PO-1", "PO-3"]
    assert values(doc) == ("PO-1", ("PO-3",))
    assert doc.credited_number is None


def test_cii_credit_note_names_the_invoice_it_credits() -> None:
    data = einvoice(
        kind="credit_note", header_order="PO-1", line_orders=(None, None), credited="RE-10457"
    )
    xml_check_xsd(build_cii(data), flavor="factur-x", level="en16931")
    doc = extract(build_cii(data), filename="cn.xml")
    assert doc.kind is DocumentKind.CREDIT_NOTE
    assert doc.credited_number is not None and doc.credited_number.value == "RE-10457"
    assert values(doc) == ("PO-1", ())
