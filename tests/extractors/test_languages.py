"""German and French: labels, column headings, titles, month names and numbers.

Vocabularies are data (``extractors.labels``); these tables pin what the
words mean, the property tests that German and French dates and amounts
read back as printed, and two word-only invoices that the layout logic reads
end to end in each language with all three vocabularies active (the default).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from extractors.document import analyse
from extractors.labels import Column, Slot, lexicon, tokens
from extractors.parsing import NumberStyle, parse_amount, parse_date, parse_quantity
from extractors.settings import ExtractionSettings
from extractors.types import DocumentKind, Word
from tests.extractors.test_words_only import place, right

SETTINGS = ExtractionSettings()
LEX = lexicon(SETTINGS.languages)
INV, P, R, C = DocumentKind.INVOICE, DocumentKind.PO, DocumentKind.RECEIPT, DocumentKind.CREDIT_NOTE


def test_all_three_languages_are_on_by_default() -> None:
    assert SETTINGS.languages == ("en", "de", "fr")


@pytest.mark.parametrize(
    ("text", "kind", "slot"),
    [
        # German
        ("Rechnungsnummer:", INV, Slot.NUMBER),
        ("Rechnungs-Nr.", INV, Slot.NUMBER),
        ("Rechnung Nr.", INV, Slot.NUMBER),
        ("Gutschrift-Nr.", C, Slot.NUMBER),
        ("Rechnungsdatum", INV, Slot.DATE),
        ("Datum", INV, Slot.DATE),
        ("Datum", P, Slot.DATE),
        ("Bestellnummer", INV, Slot.PO_NUMBER),
        ("Bestellnummer", P, Slot.NUMBER),
        ("Ihre Bestellung", INV, Slot.PO_NUMBER),
        ("Bestell-Nr.:", R, Slot.PO_NUMBER),
        ("Lieferant", P, Slot.SELLER),
        ("Lieferschein-Nr.", R, Slot.NUMBER),
        ("Lieferschein-Nr.", INV, Slot.OTHER_ID),
        ("Lieferdatum", INV, Slot.OTHER_DATE),
        ("Lieferdatum", R, Slot.DATE),
        ("Wareneingang am", R, Slot.DATE),
        ("Kunden-Nr.", INV, Slot.OTHER_ID),
        ("USt-IdNr.", INV, Slot.OTHER_ID),
        ("USt.-IdNr.:", INV, Slot.OTHER_ID),
        ("Fällig am", INV, Slot.OTHER_DATE),
        ("Währung", INV, Slot.CURRENCY),
        ("Gesamtbetrag", INV, Slot.TOTAL),
        ("Summe", INV, Slot.TOTAL),
        ("Nettobetrag", INV, Slot.SUBTOTAL),
        ("Zwischensumme", INV, Slot.SUBTOTAL),
        ("MwSt.", INV, Slot.TAX),
        ("USt.", INV, Slot.TAX),
        ("zzgl. MwSt.", INV, Slot.TAX),
        ("Übertrag", INV, Slot.CARRY),
        ("Rechnungsempfänger", INV, Slot.BUYER),
        # French
        ("Numéro de facture", INV, Slot.NUMBER),
        ("N° de facture :", INV, Slot.NUMBER),
        ("Facture n°", INV, Slot.NUMBER),
        ("Avoir n°", C, Slot.NUMBER),
        ("Date", INV, Slot.DATE),
        ("Date de facture", INV, Slot.DATE),
        ("Date d'échéance", INV, Slot.OTHER_DATE),
        ("Bon de commande", INV, Slot.PO_NUMBER),
        ("Bon de commande", P, Slot.NUMBER),
        ("Votre commande", INV, Slot.PO_NUMBER),
        ("Fournisseur", R, Slot.SELLER),
        ("Bon de livraison", R, Slot.NUMBER),
        ("N° client", INV, Slot.OTHER_ID),
        ("N° TVA intracommunautaire", INV, Slot.OTHER_ID),
        ("Montant HT", INV, Slot.SUBTOTAL),
        ("Total HT", INV, Slot.SUBTOTAL),
        ("TVA", INV, Slot.TAX),
        ("Total TTC", INV, Slot.TOTAL),
        ("Net à payer", INV, Slot.TOTAL),
        ("Devise", INV, Slot.CURRENCY),
        ("Facturé à", INV, Slot.BUYER),
        # English labels keep their meaning with three languages on
        ("Invoice No.", INV, Slot.NUMBER),
        ("Credit note no.", C, Slot.NUMBER),
        ("Invoice no.", C, Slot.NUMBER),
        ("Total", INV, Slot.TOTAL),
    ],
)
def test_labels(text: str, kind: DocumentKind, slot: Slot) -> None:
    toks = tokens(text)
    hit = LEX.match_label(toks, 0)
    assert hit is not None, text
    n, label = hit
    assert n == len(toks), (text, label.text)
    assert label.slot_for(kind) is slot


def test_a_credit_note_number_outranks_the_invoice_it_credits() -> None:
    """GIVEN a credit note that prints its own number and the invoice it credits
    THEN its own number's label says more."""
    own = [LEX.match_label(tokens(t), 0) for t in ("Gutschrift-Nr.", "Avoir n°", "Credit note no")]
    credited = [LEX.match_label(tokens(t), 0) for t in ("Rechnungsnummer", "N° de facture")]
    assert all(h is not None for h in own + credited)
    assert min(h[1].priority for h in own if h) > max(h[1].priority for h in credited if h)


@pytest.mark.parametrize(
    ("text", "column"),
    [
        ("Pos.", Column.LINE_NO),
        ("Art.-Nr.", Column.SKU),
        ("Artikelnummer", Column.SKU),
        ("Bezeichnung", Column.DESCRIPTION),
        ("Menge", Column.QUANTITY),
        ("Einheit", Column.UNIT),
        ("Einzelpreis", Column.UNIT_PRICE),
        ("Betrag", Column.AMOUNT),
        ("Gesamtpreis", Column.AMOUNT),
        ("Bestellt", Column.QUANTITY_ORDERED),
        ("Geliefert", Column.QUANTITY_RECEIVED),
        ("MwSt. %", Column.RATE),
        ("Réf.", Column.SKU),
        ("Désignation", Column.DESCRIPTION),
        ("Quantité", Column.QUANTITY),
        ("Qté", Column.QUANTITY),
        ("Qté reçue", Column.QUANTITY_RECEIVED),
        ("Prix unitaire", Column.UNIT_PRICE),
        ("P.U. HT", Column.UNIT_PRICE),
        ("Montant HT", Column.AMOUNT),
        ("Total HT", Column.AMOUNT),
        ("Montant TTC", Column.GROSS_AMOUNT),
        ("TVA", Column.RATE),
    ],
)
def test_column_headings(text: str, column: Column) -> None:
    toks = tokens(text)
    hit = LEX.match_column(toks, 0)
    assert hit == (len(toks), column), text


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Rechnung", INV),
        ("RECHNUNG", INV),
        ("Gutschrift", C),
        ("Bestellung", P),
        ("Lieferschein", R),
        ("Wareneingang", R),
        ("Facture", INV),
        ("Avoir", C),
        ("Bon de commande", P),
        ("Bon de livraison", R),
        ("Credit note", C),
        ("Invoice", INV),
    ],
)
def test_titles(text: str, kind: DocumentKind) -> None:
    toks = tokens(text)
    assert LEX.match_title(toks, 0) == (len(toks), kind)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("14. Oktober 2026", date(2026, 10, 14)),
        ("14. Okt. 2026", date(2026, 10, 14)),
        ("3. März 2026", date(2026, 3, 3)),
        ("1. Dezember 2026", date(2026, 12, 1)),
        ("14.10.2026", date(2026, 10, 14)),
        ("14 octobre 2026", date(2026, 10, 14)),
        ("14 oct. 2026", date(2026, 10, 14)),
        ("1er octobre 2026", date(2026, 10, 1)),
        ("2 décembre 2026", date(2026, 12, 2)),
        ("5 févr. 2026", date(2026, 2, 5)),
        ("15 août 2026", date(2026, 8, 15)),
        ("14/10/2026", date(2026, 10, 14)),
    ],
)
def test_dates(text: str, expected: date) -> None:
    parsed = parse_date(text)
    assert parsed is not None and parsed.value == expected
    assert not parsed.guessed


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1.234,56", Decimal("1234.56")),
        ("1.234,56 €", Decimal("1234.56")),
        ("1\u00a0234,56 €", Decimal("1234.56")),
        ("1\u202f234,56 EUR", Decimal("1234.56")),
        ("12\u202f345\u202f678,90", Decimal("12345678.90")),
        ("-1\u00a0234,56", Decimal("-1234.56")),
        ("0,50", Decimal("0.50")),
    ],
)
def test_amounts(text: str, expected: Decimal) -> None:
    parsed = parse_amount(text)
    assert parsed is not None and parsed.value == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("3 Stück", Decimal(3)), ("10 Stk.", Decimal(10)), ("2 pièces", Decimal(2))],
)
def test_quantities_with_unit_words(text: str, expected: Decimal) -> None:
    assert parse_quantity(text) == expected


# ---------------------------------------------------------------------------
# Round trips

DE_MONTHS = (
    ("Januar", "Jan."),
    ("Februar", "Feb."),
    ("März", "Mär."),
    ("April", "Apr."),
    ("Mai", "Mai"),
    ("Juni", "Jun."),
    ("Juli", "Jul."),
    ("August", "Aug."),
    ("September", "Sept."),
    ("Oktober", "Okt."),
    ("November", "Nov."),
    ("Dezember", "Dez."),
)
FR_MONTHS = (
    ("janvier", "janv."),
    ("février", "févr."),
    ("mars", "mars"),
    ("avril", "avr."),
    ("mai", "mai"),
    ("juin", "juin"),
    ("juillet", "juil."),
    ("août", "août"),
    ("septembre", "sept."),
    ("octobre", "oct."),
    ("novembre", "nov."),
    ("décembre", "déc."),
)
days = st.dates(min_value=date(1971, 1, 1), max_value=date(2068, 12, 31))


@given(days, st.booleans(), st.booleans())
def test_german_dates_round_trip(d: date, short: bool, upper: bool) -> None:
    month = DE_MONTHS[d.month - 1][short]
    text = f"{d.day}. {month.upper() if upper else month} {d.year}"
    parsed = parse_date(text)
    assert parsed is not None and parsed.value == d, text


@given(days, st.booleans(), st.booleans())
def test_french_dates_round_trip(d: date, short: bool, capital: bool) -> None:
    month = FR_MONTHS[d.month - 1][short]
    day = "1er" if d.day == 1 else str(d.day)
    text = f"{day} {month.capitalize() if capital else month} {d.year}"
    parsed = parse_date(text)
    assert parsed is not None and parsed.value == d, text


money = st.decimals(
    min_value=Decimal("-99999999.99"),
    max_value=Decimal("99999999.99"),
    places=2,
    allow_nan=False,
    allow_infinity=False,
)


def grouped(value: Decimal, group: str) -> str:
    """``value`` with ``group`` between thousands and a decimal comma."""
    text = f"{abs(value):,.2f}".replace(",", "\0").replace(".", ",").replace("\0", group)
    return ("-" if value < 0 else "") + text


@given(
    money,
    st.sampled_from([".", "\u00a0", "\u202f", " "]),
    st.sampled_from(["", " €", "\u00a0€", " EUR"]),
    st.sampled_from([None, NumberStyle.COMMA_DECIMAL]),
)
def test_comma_decimal_amounts_round_trip(
    value: Decimal, group: str, currency: str, style: NumberStyle | None
) -> None:
    text = grouped(value, group) + currency
    parsed = parse_amount(text, style=style)
    assert parsed is not None, text
    assert parsed.value == value, text
    assert parsed.currency == ("EUR" if currency else None)


# ---------------------------------------------------------------------------
# Whole documents from words


def german_invoice() -> list[Word]:
    w: list[Word] = []
    w += place("Werkstatt Elektronik GmbH", 40, 30, size=16)
    w += right("RECHNUNG", 560, 30, size=18)
    w += place("Rechnungs-Nr.:", 330, 80)
    w += place("R-2026-0815", 450, 80)
    w += place("Datum:", 330, 94)
    w += place("14. Oktober 2026", 450, 94)
    w += place("Ihre Bestellung:", 330, 108)
    w += place("PO-2026-0170", 450, 108)
    w += place("Kunden-Nr.:", 330, 122)
    w += place("10442", 450, 122)
    w += place("Rechnungsempfänger:", 40, 80, size=9)
    w += place("Northwind Analytics GmbH", 40, 93, size=9)
    w += place("Pos.", 40, 200, size=9)
    w += place("Art.-Nr.", 70, 200, size=9)
    w += place("Bezeichnung", 140, 200, size=9)
    w += right("Menge", 360, 200, size=9)
    w += right("Einzelpreis", 460, 200, size=9)
    w += right("Betrag", 560, 200, size=9)
    rows = [
        ("1", "WE-1001", "Lötstation 80 W digital", "2", "1.249,00", "2.498,00"),
        ("2", "WE-2040", "Messleitungen Satz", "10", "12,50", "125,00"),
    ]
    top = 218.0
    for pos, sku, desc, qty, price, amount in rows:
        w += place(pos, 40, top, size=9)
        w += place(sku, 70, top, size=9)
        w += place(desc, 140, top, size=9)
        w += right(qty, 360, top, size=9)
        w += right(price, 460, top, size=9)
        w += right(amount, 560, top, size=9)
        top += 16
    w += place("Nettobetrag", 380, top + 20)
    w += right("2.623,00 €", 560, top + 20)
    w += place("zzgl. 19 % MwSt.", 380, top + 34)
    w += right("498,37 €", 560, top + 34)
    w += place("Gesamtbetrag", 380, top + 48)
    w += right("3.121,37 €", 560, top + 48)
    w += place("Zahlbar bis 13.11.2026 ohne Abzug.", 40, top + 80, size=8)
    return w


def french_invoice() -> list[Word]:
    nb = "\u00a0"
    w: list[Word] = []
    w += place("Atelier Numérique SARL", 40, 30, size=16)
    w += right("FACTURE", 560, 30, size=18)
    w += place("N° de facture :", 330, 80)
    w += place("F-2026-0042", 450, 80)
    w += place("Date :", 330, 94)
    w += place("14 octobre 2026", 450, 94)
    w += place("Votre commande :", 330, 108)
    w += place("PO-2026-0171", 450, 108)
    w += place("Facturé à :", 40, 80, size=9)
    w += place("Northwind Analytics GmbH", 40, 93, size=9)
    w += place("Réf.", 40, 200, size=9)
    w += place("Désignation", 110, 200, size=9)
    w += right("Qté", 360, 200, size=9)
    w += right("P.U. HT", 460, 200, size=9)
    w += right("Montant HT", 560, 200, size=9)
    rows = [
        ("AN-77", "Station de travail compacte", "3", f"1{nb}120,00", f"3{nb}360,00"),
        ("AN-12", "Câble réseau 5 m", "20", "4,90", "98,00"),
    ]
    top = 218.0
    for sku, desc, qty, price, amount in rows:
        w += place(sku, 40, top, size=9)
        w += place(desc, 110, top, size=9)
        w += right(qty, 360, top, size=9)
        w += right(price, 460, top, size=9)
        w += right(amount, 560, top, size=9)
        top += 16
    w += place("Total HT", 380, top + 20)
    w += right(f"3{nb}458,00 €", 560, top + 20)
    w += place("TVA 20 %", 380, top + 34)
    w += right("691,60 €", 560, top + 34)
    w += place("Total TTC", 380, top + 48)
    w += right(f"4{nb}149,60 €", 560, top + 48)
    w += place("Net à payer", 380, top + 62)
    w += right(f"4{nb}149,60 €", 560, top + 62)
    return w


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        (
            german_invoice,
            {
                "number": "R-2026-0815",
                "date": date(2026, 10, 14),
                "po_number": "PO-2026-0170",
                "vendor": "Werkstatt Elektronik GmbH",
                "currency": "EUR",
                "subtotal": Decimal("2623.00"),
                "tax": Decimal("498.37"),
                "total": Decimal("3121.37"),
                "lines": [
                    ("WE-1001", "Lötstation 80 W digital", 2, "1249.00", "2498.00"),
                    ("WE-2040", "Messleitungen Satz", 10, "12.50", "125.00"),
                ],
            },
        ),
        (
            french_invoice,
            {
                "number": "F-2026-0042",
                "date": date(2026, 10, 14),
                "po_number": "PO-2026-0171",
                "vendor": "Atelier Numérique SARL",
                "currency": "EUR",
                "subtotal": Decimal("3458.00"),
                "tax": Decimal("691.60"),
                "total": Decimal("4149.60"),
                "lines": [
                    ("AN-77", "Station de travail compacte", 3, "1120.00", "3360.00"),
                    ("AN-12", "Câble réseau 5 m", 20, "4.90", "98.00"),
                ],
            },
        ),
    ],
    ids=["german", "french"],
)
def test_invoices_in_german_and_french(words: object, expected: dict[str, object]) -> None:
    """GIVEN an invoice printed in German or French (words only, as OCR gives them)
    WHEN analysed with the default languages
    THEN kind, header fields, totals and lines are read."""
    assert callable(words)
    doc = analyse(words(), extractor="test", page_count=1, settings=SETTINGS)
    assert doc.kind is DocumentKind.INVOICE
    fields = {name: (f.value if f else None) for name, f in doc.header_fields().items()}
    for name in ("number", "date", "po_number", "vendor", "currency", "subtotal", "tax", "total"):
        assert fields[name] == expected[name], name
    got = [
        (ln.sku, ln.description, int(ln.quantity), str(ln.unit_price), str(ln.amount))
        for ln in doc.lines
    ]
    assert got == expected["lines"]
