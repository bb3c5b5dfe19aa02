"""The words documents use, as data.

Labels for header fields, column headings, titles, parties, month names and
currency symbols live here and nowhere else, so that another language is one
more :class:`Vocabulary` (English, German and French today) and no rule in
the layout code names a word. Matching is on normalised tokens (see
:func:`tokens`): case, dots and colons do not matter.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TypeVar

from extractors.types import DocumentKind

V = TypeVar("V")

INVOICE, PO, RECEIPT = DocumentKind.INVOICE, DocumentKind.PO, DocumentKind.RECEIPT
CREDIT_NOTE = DocumentKind.CREDIT_NOTE
ANY_KIND: frozenset[DocumentKind] = frozenset({INVOICE, PO, RECEIPT})


class Slot(StrEnum):
    """What a label announces. The ``OTHER_*`` slots exist so that a longer,
    more specific label ("Due date", "VAT ID") wins over the short one inside it
    ("Date", "VAT") and its value is not taken for a header field."""

    NUMBER = "number"
    DATE = "date"
    PO_NUMBER = "po_number"
    #: On a credit note: the invoice it credits ("Original invoice", "zu Rechnung").
    CREDITED_INVOICE = "credited_invoice"
    CURRENCY = "currency"
    SUBTOTAL = "subtotal"
    TAX = "tax"
    TOTAL = "total"
    SELLER = "seller"
    BUYER = "buyer"
    CARRY = "carry"
    OTHER_ID = "other_id"
    OTHER_DATE = "other_date"
    OTHER_AMOUNT = "other_amount"
    OTHER = "other"


class Column(StrEnum):
    """What a line-item table column holds."""

    LINE_NO = "line_no"
    SKU = "sku"
    DESCRIPTION = "description"
    QUANTITY = "quantity"
    QUANTITY_ORDERED = "quantity_ordered"
    QUANTITY_RECEIVED = "quantity_received"
    UNIT = "unit"
    UNIT_PRICE = "unit_price"
    AMOUNT = "amount"
    #: The PO a line cites itself ("PO", "Bestellung", "Commande" per row).
    PO_NUMBER = "po_number"
    GROSS_AMOUNT = "gross_amount"
    RATE = "rate"
    OTHER = "other"


NUMERIC_COLUMNS = frozenset(
    {
        Column.QUANTITY,
        Column.QUANTITY_ORDERED,
        Column.QUANTITY_RECEIVED,
        Column.UNIT_PRICE,
        Column.AMOUNT,
        Column.GROSS_AMOUNT,
    }
)


@dataclass(frozen=True, slots=True)
class Label:
    """One way of printing a label, the slot it announces on each kind, and how
    much it says (a specific "Invoice date" outranks a bare "Date")."""

    text: str
    slots: tuple[tuple[frozenset[DocumentKind], Slot], ...]
    priority: int = 2

    def slot_for(self, kind: DocumentKind) -> Slot | None:
        if kind is DocumentKind.CREDIT_NOTE:
            kind = INVOICE  # a credit note prints what an invoice prints
        for kinds, slot in self.slots:
            if kind in kinds or kind is DocumentKind.UNKNOWN:
                return slot
        return None


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """Everything one language prints on invoices, orders and receipts."""

    labels: tuple[Label, ...]
    columns: tuple[tuple[str, Column], ...]
    titles: tuple[tuple[str, DocumentKind], ...]
    kind_hints: tuple[tuple[str, DocumentKind], ...]
    months: tuple[tuple[str, int], ...]
    page_footers: tuple[str, ...]
    legal_forms: tuple[str, ...]
    prose_words: tuple[str, ...] = field(default=())
    title_suffixes: tuple[str, ...] = field(default=())


def _l(text: str, *slots: tuple[Iterable[DocumentKind], Slot], priority: int = 2) -> list[Label]:
    """One label per ``|``-separated spelling."""
    resolved = tuple((frozenset(kinds), slot) for kinds, slot in slots)
    return [Label(t.strip(), resolved, priority) for t in text.split("|")]


def _all(slot: Slot) -> tuple[frozenset[DocumentKind], Slot]:
    return (ANY_KIND, slot)


_PO_ON_OTHERS = ((INVOICE, RECEIPT), Slot.PO_NUMBER)
# On an invoice or credit note (a credit note reads an invoice's labels): the
# credited invoice; on an order or receipt, some other document's number.
_CREDITED = (((INVOICE,), Slot.CREDITED_INVOICE), ((PO, RECEIPT), Slot.OTHER_ID))

ENGLISH = Vocabulary(
    labels=tuple(
        [
            # Document numbers.
            *_l(
                "invoice no|invoice number|invoice #|invoice nr|inv no|inv #|inv number|"
                "bill no|bill number|bill #|tax invoice no|invoice id|invoice ref",
                ((INVOICE,), Slot.NUMBER),
                ((PO, RECEIPT), Slot.OTHER_ID),
                priority=3,
            ),
            # On a credit note these outrank the number of the invoice it credits.
            *_l(
                "credit note no|credit note number|credit note #|credit memo no|"
                "credit memo number|credit memo #|credit no|credit number|cn no|cn #",
                ((INVOICE,), Slot.NUMBER),
                ((PO, RECEIPT), Slot.OTHER_ID),
                priority=4,
            ),
            # Only phrases that point to another document: "Invoice Reference" or
            # "Corrected invoice" is as often the document's own number.
            *_l(
                "original invoice|original invoice no|original invoice number|original invoice #|"
                "referenced invoice|related invoice|against invoice|credited invoice|"
                "credited invoice no|credit note for invoice|credit note for invoice no|"
                "credit for invoice|credit note to invoice|credit note against invoice|"
                "invoice credited|original inv no",
                *_CREDITED,
                priority=4,
            ),
            *_l(
                "document no|document number|document #|doc no|doc #|number|no|#|nº|n°|ref no|"
                "reference no|reference number",
                _all(Slot.NUMBER),
                priority=1,
            ),
            *_l(
                "invoice|tax invoice|commercial invoice",
                ((INVOICE,), Slot.NUMBER),
                ((PO, RECEIPT), Slot.OTHER_ID),
                priority=0,
            ),
            *_l(
                "purchase order|purchase order no|purchase order number|purchase order #|"
                "po number|po no|po #|po|p o|p o number|p o no|po ref|po reference|"
                "your order|"
                "your order no|your order number|your order ref|your po|customer po|"
                "customer po no|customer po number|customer order|customer order no|"
                "customer order number|cust po|buyer's order no|buyer order no|against po|"
                "reference po|po id|"
                # a list of them: "PO numbers: 4500012345, 4500012346"
                "po numbers|po nos|po refs|purchase orders|purchase order numbers|"
                "purchase order nos|your orders|your order numbers|your po numbers|"
                "customer po numbers|customer orders",
                ((PO,), Slot.NUMBER),
                _PO_ON_OTHERS,
                priority=2,
            ),
            # A bare "Order #" is the buyer's order on an order form, but on an
            # invoice or a delivery note it is as often the seller's own (web shop,
            # marketplace, sales order) number: a label naming the PO or the
            # customer outranks it.
            *_l(
                "order no|order number|order #|order ref|order reference|order numbers|order nos",
                ((PO,), Slot.NUMBER),
                _PO_ON_OTHERS,
                priority=1,
            ),
            # The seller's own order numbers, never the buyer's PO.
            *_l(
                "sales order|sales order no|sales order number|sales order #|so no|so #|"
                "so number|order confirmation|order confirmation no|confirmation no|"
                "web order no|online order no",
                _all(Slot.OTHER_ID),
                priority=3,
            ),
            *_l(
                "receipt no|receipt number|receipt #|receipt ref|receipt reference|"
                "goods receipt no|goods receipt number|goods receipt #|goods receipt ref|"
                "grn|grn no|grn number|grn #|grn ref|receiving report no|gr no|gr number|"
                "receiving no|receiving number",
                ((RECEIPT,), Slot.NUMBER),
                ((INVOICE, PO), Slot.OTHER_ID),
                priority=3,
            ),
            # The supplier's delivery document: the number of a delivery note, a
            # reference on a buyer's goods receipt.
            *_l(
                "delivery note no|delivery note number|delivery note #|dn no|"
                "packing slip no|packing slip number|packing slip #|delivery no|"
                "delivery number|delivery ref|delivery reference|delivery note ref|"
                "advice note no|dispatch note no",
                ((RECEIPT,), Slot.NUMBER),
                ((INVOICE, PO), Slot.OTHER_ID),
                priority=2,
            ),
            *_l(
                "delivery note|goods receipt|packing slip|receiving report|delivery receipt",
                ((RECEIPT,), Slot.NUMBER),
                ((INVOICE, PO), Slot.OTHER_ID),
                priority=0,
            ),
            *_l(
                "customer no|customer number|customer #|customer id|account no|"
                "account number|account #|client no|client number|vat id|vat no|"
                "vat number|vat reg no|vat registration no|vat registration number|vat reg|"
                "tax id|tax no|tax number|ein|company no|company number|registration no|"
                "iban|bic|swift|sort code|phone|tel|fax|email|e-mail|web|tracking no|"
                "tracking number|quote no|quote number|quotation no|contract no|"
                "project no|cost centre|cost center|requisition no|vendor no|"
                "vendor number|vendor id|supplier no|supplier number|supplier id|"
                "supplier code|vendor code|contact|attn|attention|page|terms|"
                "payment terms|ship via|incoterms|carrier|shipping method|buyer ref|received by|"
                "inspected by|checked by|approved by|signature",
                _all(Slot.OTHER_ID),
                priority=3,
            ),
            # Dates.
            *_l(
                "invoice date|date of invoice|invoice dt|date of issue|issue date|issued|"
                "date issued|billing date|tax point|tax point date|invoice issue date|"
                "credit note date|credit memo date",
                ((INVOICE,), Slot.DATE),
                ((PO, RECEIPT), Slot.OTHER_DATE),
                priority=3,
            ),
            *_l("date|dated|document date|doc date", _all(Slot.DATE), priority=1),
            *_l(
                "order date|po date|purchase order date|date of order|date ordered",
                ((PO,), Slot.DATE),
                ((INVOICE, RECEIPT), Slot.OTHER_DATE),
                priority=3,
            ),
            *_l(
                "delivery date|date of delivery|received on|date received|receipt date|"
                "received date|goods received|delivered on|receiving date|grn date|"
                "delivery note date",
                ((RECEIPT,), Slot.DATE),
                ((INVOICE, PO), Slot.OTHER_DATE),
                priority=3,
            ),
            *_l(
                "due date|payment due|due|due by|pay by|payment date|ship date|shipping date|"
                "expected delivery|required by|delivery by|deliver by|need by|valid until|"
                "period|service period|date of service|performance date|requested delivery|"
                "requested delivery date|expected delivery date|ship by",
                _all(Slot.OTHER_DATE),
                priority=3,
            ),
            # Currency.
            *_l("currency|invoice currency|currency code", _all(Slot.CURRENCY), priority=3),
            # Totals block.
            *_l(
                "subtotal|sub total|sub-total|net amount|net total|total net|"
                "total excl vat|total excl tax|total excluding vat|total excluding tax|"
                "total before tax|amount before tax|total net amount|"
                "total (excl vat)|total ex vat|amount excl vat|net value|goods total|"
                "total excl. vat|taxable amount|net subtotal",
                _all(Slot.SUBTOTAL),
                priority=3,
            ),
            *_l(
                "vat|tax|sales tax|gst|hst|pst|vat amount|tax amount|total vat|total tax|"
                "value added tax|plus vat|sales tax amount|vat total|tax total|"
                "total sales tax|vat at|tax at",
                _all(Slot.TAX),
                priority=3,
            ),
            *_l(
                "total|grand total|invoice total|total amount|total incl vat|"
                "total including vat|total incl tax|total including tax|total gross|"
                "gross total|gross amount|total (incl vat)|amount incl vat|total due|"
                "total amount due|total payable|total to pay|order total|po total|"
                "total value|total order value|total (eur)|total (usd)|total (gbp)|"
                "invoice amount|total invoice amount",
                _all(Slot.TOTAL),
                priority=3,
            ),
            *_l(
                "amount due|balance due|balance|amount payable|please pay|pay this amount|"
                "amount to pay",
                _all(Slot.TOTAL),
                priority=2,
            ),
            *_l(
                "amount paid|paid|payments|payment received|deposit|discount|shipping|"
                "freight|shipping & handling|shipping and handling|handling|rounding|"
                "credit|less discount|total quantity|total qty|total items|total weight|"
                # Totals that count things rather than money.
                "total cartons|total packages|total pieces|total pcs|total units|"
                "total boxes|total pallets|total parcels|total lines|total pages|"
                "total hours|total volume|total net weight|total gross weight",
                _all(Slot.OTHER_AMOUNT),
                priority=3,
            ),
            *_l(
                "carried forward|brought forward|carry forward|balance forward|"
                "subtotal carried forward|continued|continued on next page|"
                "continued from previous page|transfer",
                _all(Slot.CARRY),
                priority=4,
            ),
            # Parties.
            *_l(
                "seller|supplier|vendor|issued by|sold by|remit to|supplier name|"
                "vendor name|supplier address|vendor address|seller name|payee|beneficiary",
                _all(Slot.SELLER),
                priority=3,
            ),
            *_l(
                "bill to|billed to|billing address|invoice to|invoiced to|invoice address|"
                "ship to|shipped to|deliver to|delivered to|delivery address|"
                "delivery location|customer|customer name|sold to|buyer|client|"
                "recipient|consignee|purchaser|ordered by|bill-to|ship-to|"
                "customer address|deliver-to|receiving location",
                _all(Slot.BUYER),
                priority=3,
            ),
            # "To:" on an order addresses the supplier; on an invoice, the customer.
            *_l("to", ((PO,), Slot.SELLER), ((INVOICE, RECEIPT), Slot.BUYER), priority=2),
            *_l("from", ((PO,), Slot.BUYER), ((INVOICE, RECEIPT), Slot.SELLER), priority=2),
        ]
    ),
    columns=(
        ("pos|position|line|line no|ln|#|no|s/n|sr no|sl no", Column.LINE_NO),
        (
            "sku|item no|item #|item number|part no|part number|part #|item code|"
            "product code|article no|art no|"
            "art-nr|art nr|article number|catalog no|catalogue no|cat no|model|model no|"
            "mfr part no|product no|product id|item id|code|ref|reference|material|"
            "material no|vendor part no|your part no|our ref|"
            # Manufacturers' part numbers and global product identifiers.
            "mfg part #|mfg part no|mfg part number|mfr part #|mfr part number|"
            "manufacturer part no|manufacturer part number|manufacturer part #|mpn|"
            "asin|ean|upc|gtin|isbn|ean code|upc code|barcode",
            Column.SKU,
        ),
        (
            "description|item|items|item description|product|product description|"
            "article|details|service|services|particulars|item & description|"
            "description of goods|goods|designation|product / service|name|"
            "product name|item name|description of services",
            Column.DESCRIPTION,
        ),
        ("qty|quantity|qnty|qty.|hours|hrs|units|count|no of units|quant", Column.QUANTITY),
        (
            "ordered|qty ordered|quantity ordered|order qty|ordered qty|po qty",
            Column.QUANTITY_ORDERED,
        ),
        (
            "received|qty received|quantity received|delivered|qty delivered|"
            "quantity delivered|shipped|qty shipped|quantity shipped|received qty|"
            "delivered qty|qty rec|rcvd|qty rcvd|accepted|qty accepted",
            Column.QUANTITY_RECEIVED,
        ),
        ("unit|uom|u/m|unit of measure|um|per", Column.UNIT),
        (
            "unit price|price|rate|unit cost|price per unit|unit rate|each|price each|"
            "cost|net price|unit net|list price|price/unit|unit price excl vat|"
            "hourly rate|fee",
            Column.UNIT_PRICE,
        ),
        (
            "amount|total|line total|net amount|ext price|extended price|extension|"
            "extended|line amount|value|total price|net total|net value|sum|"
            "amount excl vat|total excl vat|subtotal|line value|total net|net",
            Column.AMOUNT,
        ),
        ("gross|gross amount|total incl vat|amount incl vat|gross total", Column.GROSS_AMOUNT),
        ("vat|vat %|tax|tax %|tax rate|vat rate|gst|%|disc|disc %|discount", Column.RATE),
        # The buyer's PO only: a bare "Order No" is as often the vendor's own
        # sales order, and a line citing it would be checked against no PO.
        (
            "po|po no|po number|po #|p o|p o no|purchase order|purchase order no|"
            "purchase order number|your order|your order no|your order number|your po|"
            "your po no|customer po|customer po no|customer order no",
            Column.PO_NUMBER,
        ),
        # A line of the PO, not the PO: "PO line", "PO pos."
        ("po line|po line no|po pos|po item|po position|order line", Column.OTHER),
        # The vendor's own order: kept out of the descriptions, never a PO.
        (
            "order no|order number|order #|order ref|sales order|sales order no|so no|so #|"
            "our order|our order no|our ref",
            Column.OTHER,
        ),
        ("backorder|backordered|b/o|remaining|open|outstanding|date|condition", Column.OTHER),
    ),
    titles=(
        ("invoice|tax invoice|commercial invoice|vat invoice|bill|sales invoice", INVOICE),
        ("credit note|credit memo|credit invoice|credit note invoice", CREDIT_NOTE),
        ("purchase order|order|po|p.o.|purchase order form|order form", PO),
        (
            "goods receipt|goods received note|goods receipt note|delivery note|"
            "delivery receipt|packing slip|packing list|receiving report|grn|"
            "receipt of goods|dispatch note|proof of delivery",
            RECEIPT,
        ),
    ),
    kind_hints=(
        ("invoice no|invoice number|invoice date|bill to|amount due|balance due", INVOICE),
        ("payment terms|due date|remit to|pay by|iban", INVOICE),
        ("order date|ship to|deliver to|requested delivery|ship via|buyer", PO),
        (
            "received by|qty received|quantity received|received|delivered|goods received|"
            "condition|inspected by|delivery note no|grn no",
            RECEIPT,
        ),
    ),
    months=(
        ("january", 1),
        ("jan", 1),
        ("february", 2),
        ("feb", 2),
        ("march", 3),
        ("mar", 3),
        ("april", 4),
        ("apr", 4),
        ("may", 5),
        ("june", 6),
        ("jun", 6),
        ("july", 7),
        ("jul", 7),
        ("august", 8),
        ("aug", 8),
        ("september", 9),
        ("sept", 9),
        ("sep", 9),
        ("october", 10),
        ("oct", 10),
        ("november", 11),
        ("nov", 11),
        ("december", 12),
        ("dec", 12),
    ),
    page_footers=(
        r"^page\s+\d+(\s*(of|/)\s*\d+)?$",
        r"^\d+\s*/\s*\d+$",
        r"^-?\s*\d+\s*-?$",
        r"^continued(\s+on\s+(the\s+)?next\s+page)?\.*$",
        r"^\(?continued\)?\.*$",
        r"^continued from (the )?previous page\.*$",
        r"^see next page\.*$",
    ),
    legal_forms=(
        "ltd",
        "limited",
        "llc",
        "l l c",
        "inc",
        "incorporated",
        "corp",
        "corporation",
        "co",
        "company",
        "plc",
        "llp",
        "lp",
        "gmbh",
        "ag",
        "kg",
        "gmbh & co kg",
        "ug",
        "e k",
        "sa",
        "s a",
        "sas",
        "sarl",
        "s a r l",
        "bv",
        "b v",
        "nv",
        "n v",
        "pty",
        "pty ltd",
        "oy",
        "ab",
        "as",
        "a/s",
        "aps",
        "srl",
        "s r l",
        "spa",
        "s p a",
        "sl",
        "s l",
        "kft",
        "sp z o o",
    ),
    prose_words=("and", "of", "the", "&", "for", "de", "la", "le", "und", "van", "von"),
    # Words that may follow a title ("Invoice No. 123", "Invoice (copy)"); any
    # other word makes the phrase something else ("PO Box 4411").
    title_suffixes=("no", "#", "number", "nr", "ref", "copy", "original", "duplicate"),
)

GERMAN = Vocabulary(
    labels=tuple(
        [
            # Document numbers. Hyphenated spellings are one token ("Rechnungs-Nr."),
            # abbreviations with a dot before the hyphen two ("Art.-Nr." → art nr).
            *_l(
                "rechnungsnummer|rechnungs-nummer|rechnungs-nr|rechnungs nr|rechnungsnr|"
                "rechnung nr|rechnung-nr|rechnung nummer|re-nr|re nr|rg-nr|rg nr|rgnr",
                ((INVOICE,), Slot.NUMBER),
                ((PO, RECEIPT), Slot.OTHER_ID),
                priority=3,
            ),
            *_l(
                "gutschriftsnummer|gutschrift-nr|gutschrifts-nr|gutschrift nr|gutschriftnummer|"
                "gutschrift nummer",
                ((INVOICE,), Slot.NUMBER),
                ((PO, RECEIPT), Slot.OTHER_ID),
                priority=4,
            ),
            *_l(
                "zu rechnung|zur rechnung|bezugsrechnung|ursprungsrechnung|"
                "ursprüngliche rechnung|korrektur zu rechnung|storno zu rechnung|"
                "zu rechnung nr|zur rechnung nr|zu rechnungsnummer|referenz-rechnung|"
                "referenzrechnung|rechnungsbezug|gutschrift zu rechnung|gutschrift zur rechnung|"
                "bezug rechnung|bezug rechnungsnummer",
                *_CREDITED,
                priority=4,
            ),
            *_l(
                "nummer|nr|belegnummer|beleg-nr|beleg nr|belegnr|dokumentnummer|dokument-nr",
                _all(Slot.NUMBER),
                priority=1,
            ),
            *_l(
                "rechnung|steuerrechnung",
                ((INVOICE,), Slot.NUMBER),
                ((PO, RECEIPT), Slot.OTHER_ID),
                priority=0,
            ),
            *_l(
                "bestellnummer|bestell-nummer|bestell-nr|bestell nr|bestellnr|best-nr|best nr|"
                "bestellung nr|bestellung|ihre bestellung|ihre bestellnummer|ihre bestell-nr|"
                "ihre bestell nr|ihre bestellnr|ihr bestellzeichen|bestellzeichen|"
                "ihre auftragsnummer|ihr auftrag|ihr auftrag nr|einkaufsbestellung|"
                "kundenbestellung|kundenbestellnummer|kunden-bestellnr|po-nummer|po-nr|"
                "bestellnummern|bestellungen|ihre bestellungen|ihre bestellnummern|"
                "ihre bestellnummer(n)|bestellnummer(n)|po-nummern",
                ((PO,), Slot.NUMBER),
                _PO_ON_OTHERS,
                priority=2,
            ),
            # "Auftrag" on an order form is the order; on an invoice as often the
            # seller's own sales order: a label naming the buyer's order outranks it.
            *_l(
                "auftragsnummer|auftrags-nr|auftrags nr|auftragsnr|auftrag nr|auftrag",
                ((PO,), Slot.NUMBER),
                _PO_ON_OTHERS,
                priority=1,
            ),
            *_l(
                "auftragsbestätigung|auftragsbestätigung nr|ab-nr|ab nr|ab-nummer|"
                "unser auftrag|unsere auftragsnummer|unser zeichen|angebot|angebotsnummer|"
                "angebots-nr|angebot nr",
                _all(Slot.OTHER_ID),
                priority=3,
            ),
            *_l(
                "wareneingangsnummer|wareneingangs-nr|wareneingang nr|wareneingangsbeleg|"
                "we-nr|we nr|we-beleg|we-nummer|eingangsnummer|eingangs-nr",
                ((RECEIPT,), Slot.NUMBER),
                ((INVOICE, PO), Slot.OTHER_ID),
                priority=3,
            ),
            *_l(
                "lieferscheinnummer|lieferschein-nr|lieferschein nr|lieferscheinnr|ls-nr|"
                "ls nr|lieferschein-nummer|liefernummer|lieferungs-nr",
                ((RECEIPT,), Slot.NUMBER),
                ((INVOICE, PO), Slot.OTHER_ID),
                priority=2,
            ),
            *_l(
                "lieferschein|wareneingang|warenempfang",
                ((RECEIPT,), Slot.NUMBER),
                ((INVOICE, PO), Slot.OTHER_ID),
                priority=0,
            ),
            *_l(
                "kundennummer|kunden-nr|kunden nr|kundennr|kd-nr|kd nr|kdnr|ihre kundennummer|"
                "ihre kunden-nr|kunde nr|debitor|debitorennummer|konto-nr|kontonummer|"
                "ust-idnr|ust idnr|ust-id|ust id|ust-id-nr|ust-ident-nr|ustidnr|"
                "ust-idnr des kunden|"
                "ihre ust-idnr|ihre ust-id|umsatzsteuer-id|umsatzsteuer-identifikationsnummer|"
                "steuernummer|steuer-nr|steuer nr|st-nr|handelsregister|registergericht|"
                "amtsgericht|hrb|hra|geschäftsführer|geschäftsführung|vorstand|"
                "bankverbindung|blz|iban|bic|telefon|tel|fax|e-mail|email|internet|web|"
                "sendungsnummer|paketnummer|tracking-nr|vertragsnummer|vertrags-nr|projekt|"
                "projektnummer|projekt-nr|kostenstelle|lieferantennummer|lieferanten-nr|"
                "lieferantennr|lief-nr|kreditor|kreditorennummer|ansprechpartner|"
                "ihr ansprechpartner|bearbeiter|sachbearbeiter|kontakt|seite|blatt|"
                "zahlungsbedingungen|zahlungsbedingung|lieferbedingungen|lieferbedingung|"
                "versandart|spediteur|incoterms|empfangen von|erhalten von|geprüft von|"
                "kontrolliert von|freigegeben von|genehmigt von|unterschrift|angenommen von",
                _all(Slot.OTHER_ID),
                priority=3,
            ),
            # Dates.
            *_l(
                "rechnungsdatum|rechnungs-datum|datum der rechnung|"
                "ausstellungsdatum|ausgestellt am|belegdatum|gutschriftsdatum|"
                "datum der gutschrift|steuerzeitpunkt",
                ((INVOICE,), Slot.DATE),
                ((PO, RECEIPT), Slot.OTHER_DATE),
                priority=3,
            ),
            *_l("datum|dokumentdatum", _all(Slot.DATE), priority=1),
            *_l(
                "bestelldatum|bestell-datum|datum der bestellung|auftragsdatum|bestellt am",
                ((PO,), Slot.DATE),
                ((INVOICE, RECEIPT), Slot.OTHER_DATE),
                priority=3,
            ),
            *_l(
                "eingangsdatum|wareneingangsdatum|wareneingang am|eingegangen am|erhalten am|"
                "empfangen am|geliefert am|lieferdatum|liefertag|datum der lieferung|"
                "lieferscheindatum|angeliefert am",
                ((RECEIPT,), Slot.DATE),
                ((INVOICE, PO), Slot.OTHER_DATE),
                priority=3,
            ),
            *_l(
                "fällig am|fälligkeit|fälligkeitsdatum|fällig|zahlbar bis|zahlbar am|"
                "zahlungsziel|zahlungstermin|bitte zahlen bis|liefertermin|wunschtermin|"
                "gewünschter liefertermin|lieferung bis|leistungsdatum|leistungszeitraum|"
                "lieferzeitraum|abrechnungszeitraum|zeitraum|gültig bis|versanddatum|"
                "versandt am|skonto bis",
                _all(Slot.OTHER_DATE),
                priority=3,
            ),
            # Currency.
            *_l("währung|währungscode", _all(Slot.CURRENCY), priority=3),
            # Totals block.
            *_l(
                "nettobetrag|netto-betrag|nettosumme|netto-summe|summe netto|gesamt netto|"
                "gesamtbetrag netto|netto gesamt|zwischensumme|warenwert|rechnungsbetrag netto|"
                "summe positionen|positionssumme|betrag netto|netto|nettowert|"
                "gesamtsumme netto|summe ohne mwst|summe exkl mwst|summe zzgl mwst",
                _all(Slot.SUBTOTAL),
                priority=3,
            ),
            *_l(
                "mwst|mwst-betrag|mwst betrag|mehrwertsteuer|ust|ust-betrag|ust betrag|"
                "umsatzsteuer|zzgl mwst|zzgl ust|zzgl|zuzüglich mwst|zuzüglich ust|"
                "zzgl umsatzsteuer|enthaltene mwst|darin enthaltene mwst|inkl mwst|"
                "steuer|steuerbetrag|summe mwst|summe ust|mwst gesamt|ust gesamt",
                _all(Slot.TAX),
                priority=3,
            ),
            *_l(
                "gesamtbetrag|gesamtsumme|gesamt|summe|rechnungsbetrag|rechnungssumme|"
                "endbetrag|endsumme|bruttobetrag|brutto-betrag|summe brutto|gesamt brutto|"
                "gesamtbetrag brutto|betrag brutto|bruttosumme|brutto|zahlbetrag|"
                "zu zahlen|zu zahlender betrag|zahlbarer betrag|bitte überweisen|"
                "gutschriftsbetrag|gesamtbetrag eur|summe eur|gesamt eur|bestellwert|"
                "auftragswert|gesamtwert",
                _all(Slot.TOTAL),
                priority=3,
            ),
            *_l(
                "bezahlt|anzahlung|abzüglich anzahlung|rabatt|nachlass|skonto|abzgl rabatt|"
                "abzgl skonto|versand|versandkosten|fracht|frachtkosten|porto|verpackung|"
                "rundung|gesamtmenge|menge gesamt|anzahl positionen|anzahl pakete|"
                "anzahl packstücke|packstücke|gewicht|gesamtgewicht|nettogewicht|"
                "bruttogewicht|stückzahl gesamt",
                _all(Slot.OTHER_AMOUNT),
                priority=3,
            ),
            *_l(
                "übertrag|seitenübertrag|übertrag von seite|übertrag auf seite|"
                "zwischensumme übertrag|fortsetzung auf seite|fortsetzung auf der nächsten seite|"
                "fortsetzung nächste seite|fortsetzung folgt",
                _all(Slot.CARRY),
                priority=4,
            ),
            # Parties.
            *_l(
                "lieferant|verkäufer|rechnungssteller|auftragnehmer|absender|anbieter|"
                "lieferant name|lieferantenname|lieferanschrift des lieferanten|zahlungsempfänger",
                _all(Slot.SELLER),
                priority=3,
            ),
            *_l(
                "rechnungsempfänger|rechnungsadresse|rechnungsanschrift|rechnung an|"
                "lieferadresse|lieferanschrift|liefern an|lieferung an|versand an|"
                "warenempfänger|empfänger|kunde|kundenname|käufer|besteller|auftraggeber|"
                "leistungsempfänger|anlieferadresse|anlieferung|lieferort",
                _all(Slot.BUYER),
                priority=3,
            ),
        ]
    ),
    columns=(
        ("pos|pos-nr|position|positionsnummer|lfd nr|lfd-nr|zeile|nr", Column.LINE_NO),
        (
            "art nr|art-nr|artikelnummer|artikel-nr|artikel nr|artikelnr|artikelcode|"
            "materialnummer|material-nr|material nr|matnr|teilenummer|teile-nr|"
            "herstellernummer|hersteller-nr|hersteller-artikelnummer|herst-nr|"
            "ihre art-nr|ihre artikelnummer|unsere art-nr|bestellnummer lieferant|"
            "lieferanten-art-nr|produktnummer|produkt-nr|sachnummer|ean-nr|ean-code",
            Column.SKU,
        ),
        (
            "bezeichnung|beschreibung|artikel|artikelbezeichnung|artikelbeschreibung|"
            "leistung|leistungsbeschreibung|produkt|produktbezeichnung|warenbezeichnung|"
            "text|artikeltext|positionstext|gegenstand|dienstleistung",
            Column.DESCRIPTION,
        ),
        (
            "menge|anzahl|anz|stück|stk|stückzahl|std|stunden|menge berechnet|"
            "berechnete menge|fakturierte menge",
            Column.QUANTITY,
        ),
        (
            "bestellt|bestellmenge|bestellte menge|menge bestellt|auftragsmenge|soll|"
            "soll-menge|sollmenge",
            Column.QUANTITY_ORDERED,
        ),
        (
            "geliefert|liefermenge|gelieferte menge|menge geliefert|erhalten|menge erhalten|"
            "erhaltene menge|eingangsmenge|empfangen|angenommen|ist|ist-menge|istmenge|"
            "eingegangen|menge eingegangen|wareneingang",
            Column.QUANTITY_RECEIVED,
        ),
        ("einheit|me|mengeneinheit|vpe", Column.UNIT),
        (
            "einzelpreis|einzelpreis netto|e-preis|epreis|stückpreis|preis|preis/einheit|"
            "preis je einheit|preis pro einheit|preis/me|preis netto|netto-einzelpreis|"
            "nettopreis|listenpreis|stundensatz|tagessatz",
            Column.UNIT_PRICE,
        ),
        (
            "betrag|gesamtpreis|gesamt|summe|nettobetrag|betrag netto|gesamt netto|"
            "positionsbetrag|positionswert|wert|gesamtbetrag|netto|g-preis|gpreis|"
            "betrag eur|gesamtpreis netto|nettowert",
            Column.AMOUNT,
        ),
        ("brutto|bruttobetrag|betrag brutto|gesamt brutto|bruttopreis", Column.GROSS_AMOUNT),
        (
            "mwst|mwst %|mwst-satz|ust|ust %|ust-satz|steuersatz|steuer %|rabatt|rabatt %|nachlass",
            Column.RATE,
        ),
        (
            "bestellung|bestellnummer|bestell-nr|bestell nr|bestellnr|best-nr|best nr|"
            "ihre bestellung|ihre bestell-nr|ihre bestellnummer|po-nr",
            Column.PO_NUMBER,
        ),
        ("bestellposition|best-pos|bestellpos|pos bestellung", Column.OTHER),
        # The vendor's own order (Auftrag), never the buyer's PO.
        ("auftrag|auftragsnummer|auftrags-nr|auftragsnr|unser auftrag|ab-nr", Column.OTHER),
        ("rückstand|offen|offene menge|restmenge|datum|zustand|bemerkung|lagerort", Column.OTHER),
    ),
    titles=(
        (
            "rechnung|steuerrechnung|sammelrechnung|teilrechnung|abschlagsrechnung|"
            "schlussrechnung|proformarechnung|rechnungskopie|rechnung kopie",
            INVOICE,
        ),
        ("gutschrift|rechnungskorrektur|stornorechnung|gutschriftsanzeige", CREDIT_NOTE),
        ("bestellung|auftrag|bestellschein|einkaufsbestellung|bestellauftrag", PO),
        (
            "lieferschein|wareneingang|wareneingangsschein|wareneingangsbeleg|"
            "warenempfangsschein|wareneingangsmeldung|empfangsbestätigung|lieferbeleg|"
            "packliste|packzettel",
            RECEIPT,
        ),
    ),
    kind_hints=(
        ("rechnungsnummer|rechnungsdatum|rechnung an|rechnungsempfänger|zahlbar bis", INVOICE),
        ("zahlungsbedingungen|fällig am|zahlungsziel|bankverbindung", INVOICE),
        ("bestelldatum|liefertermin|lieferanschrift|besteller|wunschtermin", PO),
        (
            "geliefert|erhalten|empfangen von|zustand|liefermenge|eingangsdatum|"
            "wareneingang am|erhalten am|geprüft von",
            RECEIPT,
        ),
    ),
    months=(
        ("januar", 1),
        ("jänner", 1),
        ("jan", 1),
        ("jän", 1),
        ("februar", 2),
        ("feber", 2),
        ("feb", 2),
        ("märz", 3),
        ("maerz", 3),
        ("mär", 3),
        ("mrz", 3),
        ("april", 4),
        ("apr", 4),
        ("mai", 5),
        ("juni", 6),
        ("jun", 6),
        ("juli", 7),
        ("jul", 7),
        ("august", 8),
        ("aug", 8),
        ("september", 9),
        ("sept", 9),
        ("sep", 9),
        ("oktober", 10),
        ("okt", 10),
        ("november", 11),
        ("nov", 11),
        ("dezember", 12),
        ("dez", 12),
    ),
    page_footers=(
        r"^seite\s+\d+(\s*(von|/)\s*\d+)?$",
        r"^blatt\s+\d+(\s*(von|/)\s*\d+)?$",
        r"^fortsetzung(\s+(auf|siehe))?(\s+(der\s+)?(nächsten|folgenden)\s+seite)?\.*$",
        r"^bitte wenden\.*$",
    ),
    legal_forms=(
        "gmbh",
        "ag",
        "kg",
        "ohg",
        "gbr",
        "ug",
        "ug (haftungsbeschränkt)",
        "ug haftungsbeschränkt",
        "gmbh & co kg",
        "gmbh & co. kg",
        "ag & co kg",
        "kgaa",
        "e k",
        "e kfm",
        "e kfr",
        "eg",
        "mbh",
    ),
    prose_words=("und", "für", "der", "die", "das", "des", "mit", "zur", "zum", "im", "am"),
    title_suffixes=(
        "nr",
        "nummer",
        "kopie",
        "duplikat",
        "original",
        "zweitschrift",
        "abschrift",
    ),
)

FRENCH = Vocabulary(
    labels=tuple(
        [
            # Document numbers. "N°" is one token; so are elided words ("d'avoir").
            *_l(
                "numéro de facture|n° de facture|no de facture|nº de facture|n de facture|"
                "n° facture|no facture|nº facture|numéro facture|num facture|facture n°|"
                "facture nº|facture no|facture numéro|facture num|réf facture|"
                "référence facture|référence de la facture|n° de la facture",
                ((INVOICE,), Slot.NUMBER),
                ((PO, RECEIPT), Slot.OTHER_ID),
                priority=3,
            ),
            *_l(
                "numéro d'avoir|n° d'avoir|no d'avoir|nº d'avoir|n° avoir|avoir n°|avoir nº|"
                "avoir no|avoir numéro|numéro de l'avoir|n° de l'avoir",
                ((INVOICE,), Slot.NUMBER),
                ((PO, RECEIPT), Slot.OTHER_ID),
                priority=4,
            ),
            *_l(
                "facture d'origine|facture initiale|facture de référence|sur facture|"
                "avoir sur facture|facture concernée|avoir sur la facture|"
                "facture d'origine n°|n° facture d'origine|n° de facture d'origine|"
                "réf facture d'origine|avoir relatif à la facture|en référence à la facture",
                *_CREDITED,
                priority=4,
            ),
            *_l(
                "numéro|num|n°|référence du document|n° de document", _all(Slot.NUMBER), priority=1
            ),
            *_l(
                "facture",
                ((INVOICE,), Slot.NUMBER),
                ((PO, RECEIPT), Slot.OTHER_ID),
                priority=0,
            ),
            *_l(
                "bon de commande|bon de commande n°|n° bon de commande|n° de bon de commande|"
                "numéro de bon de commande|n° de commande|no de commande|nº de commande|"
                "numéro de commande|n° commande|commande n°|commande nº|commande no|"
                "votre commande|votre commande n°|votre commande nº|votre bon de commande|"
                "votre n° de commande|votre référence commande|votre réf commande|"
                "réf commande|référence commande|référence de commande|commande client|"
                "n° commande client|bdc|n° bdc|bdc n°|réf bdc|vos références|votre référence|"
                "bons de commande|vos bons de commande|vos commandes|n° de commandes|"
                "numéros de commande|numéros de bons de commande|n° des bons de commande",
                ((PO,), Slot.NUMBER),
                _PO_ON_OTHERS,
                priority=2,
            ),
            *_l("commande", ((PO,), Slot.NUMBER), _PO_ON_OTHERS, priority=1),
            *_l(
                "notre référence|notre réf|nos références|notre commande|n° de devis|"
                "numéro de devis|devis|devis n°|confirmation de commande|"
                "accusé de réception de commande|n° arc|arc n°",
                _all(Slot.OTHER_ID),
                priority=3,
            ),
            *_l(
                "n° de réception|numéro de réception|réception n°|n° bon de réception|"
                "n° de bon de réception|bon de réception n°",
                ((RECEIPT,), Slot.NUMBER),
                ((INVOICE, PO), Slot.OTHER_ID),
                priority=3,
            ),
            *_l(
                "n° de bon de livraison|numéro de bon de livraison|bon de livraison n°|n° bl|"
                "bl n°|no bl|réf bl|n° de livraison|numéro de livraison|bordereau n°",
                ((RECEIPT,), Slot.NUMBER),
                ((INVOICE, PO), Slot.OTHER_ID),
                priority=2,
            ),
            *_l(
                "bon de livraison|bon de réception|bordereau de livraison|réception",
                ((RECEIPT,), Slot.NUMBER),
                ((INVOICE, PO), Slot.OTHER_ID),
                priority=0,
            ),
            *_l(
                "n° client|no client|nº client|numéro client|numéro de client|n° de client|"
                "code client|réf client|référence client|compte client|votre n° client|"
                "n° tva|no tva|n° de tva|numéro de tva|n° tva intracommunautaire|"
                "tva intracommunautaire|n° tva intracom|tva intracom|n° identification tva|"
                "identifiant tva|votre n° tva|siret|siren|rcs|n° rcs|ape|code ape|naf|"
                "code naf|capital|capital social|iban|bic|rib|domiciliation|banque|tél|"
                "téléphone|tel|fax|courriel|e-mail|email|site web|site internet|contact|"
                "votre contact|interlocuteur|page|conditions de paiement|"
                "conditions de règlement|mode de paiement|mode de règlement|règlement|"
                "moyen de paiement|transporteur|mode de livraison|mode d'expédition|"
                "incoterms|n° fournisseur|code fournisseur|numéro fournisseur|"
                "n° de suivi|numéro de suivi|n° de colis|affaire|n° d'affaire|projet|"
                "centre de coût|centre de coûts|reçu par|réceptionné par|contrôlé par|"
                "vérifié par|signature|visa|pénalités de retard|indemnité forfaitaire",
                _all(Slot.OTHER_ID),
                priority=3,
            ),
            # Dates.
            *_l(
                "date de facture|date de facturation|date facture|date de la facture|"
                "date d'émission|émise le|émis le|facturé le|date de l'avoir|date d'avoir|"
                "date avoir",
                ((INVOICE,), Slot.DATE),
                ((PO, RECEIPT), Slot.OTHER_DATE),
                priority=3,
            ),
            *_l("date|date du document|en date du|fait le", _all(Slot.DATE), priority=1),
            *_l(
                "date de commande|date commande|date de la commande|commandé le|"
                "date du bon de commande",
                ((PO,), Slot.DATE),
                ((INVOICE, RECEIPT), Slot.OTHER_DATE),
                priority=3,
            ),
            *_l(
                "date de réception|date réception|reçu le|réceptionné le|livré le|"
                "date de livraison|date livraison|date du bon de livraison|date bl",
                ((RECEIPT,), Slot.DATE),
                ((INVOICE, PO), Slot.OTHER_DATE),
                priority=3,
            ),
            *_l(
                "date d'échéance|échéance|date limite de paiement|date limite de règlement|"
                "à payer avant le|payable le|payable avant le|date de paiement|"
                "date de règlement|période|période de facturation|période de service|"
                "date de prestation|date d'expédition|expédié le|délai de livraison|"
                "livraison souhaitée|date de livraison souhaitée|livraison prévue|"
                "valable jusqu'au|validité",
                _all(Slot.OTHER_DATE),
                priority=3,
            ),
            # Currency.
            *_l("devise|monnaie|devise de facturation", _all(Slot.CURRENCY), priority=3),
            # Totals block.
            *_l(
                "total ht|montant ht|sous-total|sous total|sous-total ht|total hors taxes|"
                "montant hors taxes|total hors taxe|montant hors taxe|total net ht|net ht|"
                "base ht|montant total ht|total h t|total ht net|montant net ht|total brut ht|"
                "total ht en eur|total ht eur",
                _all(Slot.SUBTOTAL),
                priority=3,
            ),
            *_l(
                "tva|montant tva|montant de la tva|total tva|tva à|taxe|taxes|montant taxes|"
                "total taxes|tva collectée|dont tva",
                _all(Slot.TAX),
                priority=3,
            ),
            *_l(
                "total ttc|montant ttc|net à payer|net a payer|total à payer|montant à payer|"
                "montant total ttc|total général|total general|montant total|"
                "total toutes taxes comprises|toutes taxes comprises|ttc|reste à payer|"
                "total de la commande|montant de la commande|total commande|montant de l'avoir|"
                "total avoir|total de l'avoir|net à déduire|total ttc en eur|total ttc eur",
                _all(Slot.TOTAL),
                priority=3,
            ),
            *_l("solde|solde dû|montant dû|à payer", _all(Slot.TOTAL), priority=2),
            *_l(
                "acompte|acompte versé|déjà réglé|déjà payé|remise|escompte|frais de port|"
                "port|frais de livraison|frais d'expédition|emballage|arrondi|"
                "quantité totale|qté totale|nombre d'articles|nombre de colis|colis|poids|"
                "poids total|poids net|poids brut",
                _all(Slot.OTHER_AMOUNT),
                priority=3,
            ),
            *_l(
                "à reporter|total à reporter|sous-total à reporter|report à nouveau|"
                "report de la page précédente|reporté|suite page suivante|"
                "suite à la page suivante|suite au verso|à suivre",
                _all(Slot.CARRY),
                priority=4,
            ),
            # Parties.
            *_l(
                "fournisseur|vendeur|émetteur|prestataire|expéditeur|raison sociale|"
                "nom du fournisseur|bénéficiaire",
                _all(Slot.SELLER),
                priority=3,
            ),
            *_l(
                "facturé à|facturer à|adresse de facturation|adresse facturation|"
                "livré à|livrer à|livraison à|adresse de livraison|adresse livraison|"
                "lieu de livraison|destinataire|acheteur|donneur d'ordre|commandé par|"
                "client final|à l'attention de|nom du client",
                _all(Slot.BUYER),
                priority=3,
            ),
        ]
    ),
    columns=(
        ("n°|nº|ligne|n° ligne|pos|poste", Column.LINE_NO),
        (
            "réf|réf article|référence|référence article|code article|code produit|"
            "réf fournisseur|référence fournisseur|réf produit|code|ean",
            Column.SKU,
        ),
        (
            "désignation|libellé|description|article|produit|prestation|détail|"
            "désignation des produits|désignation article|nature|objet",
            Column.DESCRIPTION,
        ),
        ("quantité|qté|qte|nombre|quantité facturée|qté facturée", Column.QUANTITY),
        (
            "qté commandée|quantité commandée|qte commandée|commandé|commandée|qté cdée|cdé",
            Column.QUANTITY_ORDERED,
        ),
        (
            "qté reçue|quantité reçue|qte reçue|reçu|reçue|livré|livrée|qté livrée|"
            "quantité livrée|qté réceptionnée",
            Column.QUANTITY_RECEIVED,
        ),
        ("unité|uv|unité de mesure", Column.UNIT),
        (
            "prix unitaire|p u|pu|p u ht|pu ht|prix unitaire ht|prix u ht|prix ht|prix|"
            "tarif|prix unit|prix unit ht|p unit|pu net|prix net",
            Column.UNIT_PRICE,
        ),
        (
            "montant|montant ht|total ht|total|total ligne|net ht|montant net|"
            "montant total ht|montant net ht|total net",
            Column.AMOUNT,
        ),
        ("montant ttc|total ttc|ttc", Column.GROSS_AMOUNT),
        ("tva|tva %|taux tva|taux de tva|taux|remise|remise %|rem", Column.RATE),
        (
            "bon de commande|n° bon de commande|bdc|n° bdc|votre commande|"
            "votre réf commande|votre n° de commande",
            Column.PO_NUMBER,
        ),
        ("ligne de commande|ligne commande", Column.OTHER),
        # A bare "commande" is as often the vendor's own order number.
        ("commande|n° commande|n° de commande|réf commande", Column.OTHER),
        ("reliquat|reste à livrer|état|date|observations|remarque", Column.OTHER),
    ),
    titles=(
        (
            "facture|facture originale|facture d'acompte|facture de solde|"
            "facture définitive|facture pro forma|duplicata de facture",
            INVOICE,
        ),
        ("avoir|facture d'avoir|note de crédit|facture rectificative", CREDIT_NOTE),
        ("bon de commande|commande|commande fournisseur|bon de commande fournisseur", PO),
        (
            "bon de livraison|bon de réception|bordereau de livraison|bordereau de réception|"
            "avis de réception|réception de marchandises|procès-verbal de réception",
            RECEIPT,
        ),
    ),
    kind_hints=(
        ("numéro de facture|date de facture|date d'échéance|net à payer|facturé à", INVOICE),
        ("conditions de paiement|conditions de règlement|échéance|rib", INVOICE),
        ("date de commande|délai de livraison|livraison souhaitée|adresse de livraison", PO),
        ("reçu par|qté reçue|quantité reçue|date de réception|réceptionné le|état", RECEIPT),
    ),
    months=(
        ("janvier", 1),
        ("janv", 1),
        ("février", 2),
        ("fevrier", 2),
        ("févr", 2),
        ("fevr", 2),
        ("fév", 2),
        ("mars", 3),
        ("avril", 4),
        ("avr", 4),
        ("mai", 5),
        ("juin", 6),
        ("juillet", 7),
        ("juil", 7),
        ("août", 8),
        ("aout", 8),
        ("septembre", 9),
        ("sept", 9),
        ("octobre", 10),
        ("oct", 10),
        ("novembre", 11),
        ("nov", 11),
        ("décembre", 12),
        ("decembre", 12),
        ("déc", 12),
    ),
    page_footers=(
        r"^page\s+\d+(\s*(sur|/)\s*\d+)?$",
        r"^suite\s+(page suivante|à la page suivante|au verso)\.*$",
    ),
    legal_forms=(
        "sa",
        "sas",
        "sasu",
        "sarl",
        "eurl",
        "snc",
        "sca",
        "scop",
        "s a s",
        "s a s u",
        "s a r l",
        "e u r l",
        "sa à directoire",
    ),
    prose_words=("et", "de", "des", "du", "la", "le", "les", "pour", "en", "à", "aux"),
    title_suffixes=("n°", "nº", "no", "numéro", "copie", "duplicata", "original", "originale"),
)

VOCABULARIES: dict[str, Vocabulary] = {"en": ENGLISH, "de": GERMAN, "fr": FRENCH}
"""Language code → vocabulary. Settings choose which are active."""

# Currency symbols and codes are the same in every language.
CURRENCY_SYMBOLS: dict[str, str] = {
    "€": "EUR",
    "£": "GBP",
    "$": "USD",
    "US$": "USD",
    "USD$": "USD",
    "C$": "CAD",
    "CA$": "CAD",
    "A$": "AUD",
    "AU$": "AUD",
    "NZ$": "NZD",
    "¥": "JPY",
    "₹": "INR",
    "CHF": "CHF",
    "Fr.": "CHF",
    "kr": "SEK",
    "zł": "PLN",
    "Kč": "CZK",
}
_CODES = "EUR USD GBP CHF JPY CAD AUD NZD SEK NOK DKK PLN CZK HUF RON BGN INR CNY HKD SGD ZAR"
CURRENCY_CODES = frozenset(_CODES.split(" "))

MONTHS: dict[str, int] = {name: n for voc in VOCABULARIES.values() for name, n in voc.months}


# ---------------------------------------------------------------------------
# Normalisation and matching

_SPLIT = re.compile(r"[\s.:()\[\]]+")


def tokens(text: str) -> list[str]:
    """Normalised tokens: lower case, dots and colons dropped, ``#`` on its own.

    >>> tokens("Invoice No.:")
    ['invoice', 'no']
    >>> tokens("Inv.#123")
    ['inv', '#', '123']
    """
    t = text.lower().replace("#", " # ")
    return [q for p in _SPLIT.split(t) if (q := p.strip("-"))]


def label_tokens(text: str) -> tuple[str, ...]:
    return tuple(tokens(text))


@dataclass(frozen=True, slots=True)
class Lexicon:
    """Active vocabularies compiled for matching."""

    labels: dict[tuple[str, ...], Label]
    columns: dict[tuple[str, ...], Column]
    titles: dict[tuple[str, ...], DocumentKind]
    kind_hints: dict[tuple[str, ...], DocumentKind]
    page_footers: tuple[re.Pattern[str], ...]
    legal_forms: frozenset[tuple[str, ...]]
    prose_words: frozenset[str]
    title_suffixes: frozenset[str]
    max_label_len: int

    #: The same three tables keyed by :func:`ocr_skeleton`, for words OCR misread.
    loose_labels: dict[tuple[str, ...], Label]
    loose_columns: dict[tuple[str, ...], Column]
    loose_titles: dict[tuple[str, ...], DocumentKind]

    def match_label(self, toks: Sequence[str], start: int) -> tuple[int, Label] | None:
        """The longest label at ``toks[start:]`` as (token count, label)."""
        return _longest(self.labels, self.loose_labels, toks, start, self.max_label_len)

    def match_column(self, toks: Sequence[str], start: int) -> tuple[int, Column] | None:
        return _longest(self.columns, self.loose_columns, toks, start, self.max_label_len)

    def match_title(self, toks: Sequence[str], start: int) -> tuple[int, DocumentKind] | None:
        return _longest(self.titles, self.loose_titles, toks, start, self.max_label_len)

    def is_page_footer(self, text: str) -> bool:
        t = " ".join(tokens(text)) if not re.search(r"\d\s*/\s*\d", text) else text.lower()
        return any(p.match(t.strip()) for p in self.page_footers)


def _longest(
    table: Mapping[tuple[str, ...], V],
    loose: Mapping[tuple[str, ...], V],
    toks: Sequence[str],
    start: int,
    max_len: int,
) -> tuple[int, V] | None:
    """The longest entry at ``toks[start:]``: spelt exactly, else as OCR misreads it."""
    for n in range(min(max_len, len(toks) - start), 0, -1):
        key = tuple(toks[start : start + n])
        hit = table.get(key)
        if hit is None and loose:
            hit = loose.get(tuple(map(_skeleton_token, key)))
        if hit is not None:
            return n, hit
    return None


# Characters Tesseract confuses in labels ("Oty" for "Qty", "lnvoice", "N0."),
# each mapped to one representative, and letter pairs it reads as one letter.
_CONFUSABLE = str.maketrans({"0": "o", "q": "o", "1": "l", "i": "l", "|": "l", "!": "l"})
_CONFUSABLE_PAIRS = (("rn", "m"), ("vv", "w"), ("cl", "d"))
#: Keys shorter than this are left to exact spelling: too little to go on.
_MIN_LOOSE_CHARS = 3


@functools.lru_cache(maxsize=8192)
def _skeleton_token(token: str) -> str:
    out = token.translate(_CONFUSABLE)
    for pair, one in _CONFUSABLE_PAIRS:
        out = out.replace(pair, one)
    return out


def ocr_skeleton(key: tuple[str, ...]) -> tuple[str, ...]:
    """``key`` with the characters OCR confuses made the same.

    >>> ocr_skeleton(("oty",)) == ocr_skeleton(("qty",))
    True
    """
    return tuple(map(_skeleton_token, key))


def _loose(table: Mapping[tuple[str, ...], V]) -> dict[tuple[str, ...], V]:
    """``table`` keyed by skeleton, and a key of several words also by its words
    run together (OCR drops the space in "Item no."); a skeleton two entries
    share is left out."""
    out: dict[tuple[str, ...], V] = {}
    clashes: set[tuple[str, ...]] = set()
    for key, value in table.items():
        if sum(map(len, key)) < _MIN_LOOSE_CHARS:
            continue
        skeletons = [ocr_skeleton(key)]
        if len(key) > 1:
            skeletons.append(ocr_skeleton(("".join(key),)))
        for skel in skeletons:
            if skel in out and out[skel] != value:
                clashes.add(skel)
            out.setdefault(skel, value)
    for skel in clashes:
        del out[skel]
    return out


def _kind_specific(label: Label) -> DocumentKind | None:
    """The kind a label names a number or date for, when it names one for no other
    ("Invoice No.", "GRN date"); such a label is evidence of the kind."""
    own = [
        kind for kinds, slot in label.slots if slot in (Slot.NUMBER, Slot.DATE) for kind in kinds
    ]
    if len(own) != 1 or label.priority < 3:
        return None
    others = [slot for kinds, slot in label.slots if own[0] not in kinds]
    if all(slot in (Slot.OTHER_ID, Slot.OTHER_DATE) for slot in others) and others:
        return own[0]
    return None


def lexicon(languages: Iterable[str]) -> Lexicon:
    """Compile the vocabularies for ``languages`` (unknown codes raise KeyError).

    Compiled once per combination and shared: a lexicon is never modified.
    Where two languages spell a label alike, the first language listed decides it.
    """
    return _compile(tuple(languages))


@functools.lru_cache(maxsize=16)
def _compile(languages: tuple[str, ...]) -> Lexicon:
    vocabs = [VOCABULARIES[code] for code in languages]
    labels: dict[tuple[str, ...], Label] = {}
    columns: dict[tuple[str, ...], Column] = {}
    titles: dict[tuple[str, ...], DocumentKind] = {}
    hints: dict[tuple[str, ...], DocumentKind] = {}
    for voc in vocabs:
        for label in voc.labels:
            key = label_tokens(label.text)
            if key and key not in labels:
                labels[key] = label
        for spellings, column in voc.columns:
            for s in spellings.split("|"):
                columns.setdefault(label_tokens(s), column)
        for spellings, kind in voc.titles:
            for s in spellings.split("|"):
                titles.setdefault(label_tokens(s), kind)
        for spellings, kind in voc.kind_hints:
            for s in spellings.split("|"):
                hints.setdefault(label_tokens(s), kind)
        for label in voc.labels:
            own = _kind_specific(label)
            if own is not None:
                hints.setdefault(label_tokens(label.text), own)
    columns.pop((), None)
    longest = max(len(k) for k in [*labels, *columns, *titles, *hints])
    return Lexicon(
        labels=labels,
        columns=columns,
        titles=titles,
        kind_hints=hints,
        loose_labels=_loose(labels),
        loose_columns=_loose(columns),
        loose_titles=_loose(titles),
        page_footers=tuple(re.compile(p) for voc in vocabs for p in voc.page_footers),
        legal_forms=frozenset(label_tokens(f) for voc in vocabs for f in voc.legal_forms),
        prose_words=frozenset(w for voc in vocabs for w in voc.prose_words),
        title_suffixes=frozenset(w for voc in vocabs for w in voc.title_suffixes),
        max_label_len=longest,
    )
