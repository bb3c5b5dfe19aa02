"""Holdout documents: eight layouts written without looking at the extractor.

They were drawn from memory of real-world documents (a marketplace invoice, a
Nordic and a Swiss invoice, a reseller invoice over two pages, a freelancer's
invoice, an ERP purchase order, a packing slip, an invoice with its totals on
the left) so that the extractor's score on them estimates how it does on
layouts nobody here has seen. Do not reshape them to suit the extractor: a
layout that fails is a finding, not a bug in this file.

Each case carries what a person reading the printed page would record.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from io import BytesIO

from reportlab.lib.pagesizes import A4, LETTER
from reportlab.pdfgen import canvas

CENT = Decimal("0.01")


@dataclass(frozen=True, slots=True)
class Line:
    """One expected line item, as printed."""

    sku: str | None
    description: str
    quantity: Decimal
    unit_price: Decimal | None
    amount: Decimal | None


@dataclass(frozen=True, slots=True)
class Expected:
    """What a careful clerk would key in from the printed document."""

    kind: str
    number: str
    date: str
    vendor: str
    po_number: str | None
    currency: str | None
    subtotal: Decimal | None
    tax: Decimal | None
    total: Decimal | None
    lines: tuple[Line, ...]


@dataclass(frozen=True, slots=True)
class Case:
    """A holdout document: how to draw it and what it says."""

    name: str
    build: Callable[[], bytes]
    expected: Expected


def _d(value: str) -> Decimal:
    return Decimal(value)


def _cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def fmt(value: Decimal, *, thousands: str = ",", decimal: str = ".", places: int = 2) -> str:
    """Format ``value`` with the given separators (``1'234.50``, ``12 345,00``)."""
    q = value.quantize(Decimal(1).scaleb(-places)) if places else value.quantize(Decimal(1))
    sign = "-" if q < 0 else ""
    whole, _, frac = f"{abs(q):f}".partition(".")
    groups: list[str] = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    out = thousands.join(groups) or "0"
    return f"{sign}{out}{decimal}{frac}" if places else f"{sign}{out}"


class Sheet:
    """A thin reportlab canvas measured from the top of the page."""

    def __init__(self, size: tuple[float, float], title: str) -> None:
        self.buf = BytesIO()
        self.c = canvas.Canvas(self.buf, pagesize=size, invariant=1)
        self.c.setTitle(title)
        self.w, self.h = size

    def text(
        self,
        x: float,
        top: float,
        s: str,
        *,
        size: float = 9,
        bold: bool = False,
        align: str = "left",
        grey: bool = False,
    ) -> None:
        self.c.setFont("Helvetica-Bold" if bold else "Helvetica", size)
        self.c.setFillGray(0.4 if grey else 0)
        y = self.h - top
        if align == "right":
            self.c.drawRightString(x, y, s)
        elif align == "center":
            self.c.drawCentredString(x, y, s)
        else:
            self.c.drawString(x, y, s)

    def rule(self, x0: float, top: float, x1: float, *, width: float = 0.5) -> None:
        self.c.setLineWidth(width)
        self.c.line(x0, self.h - top, x1, self.h - top)

    def vrule(self, x: float, top: float, bottom: float, *, width: float = 0.5) -> None:
        self.c.setLineWidth(width)
        self.c.line(x, self.h - top, x, self.h - bottom)

    def box(
        self, x0: float, top: float, x1: float, bottom: float, *, fill: float | None = None
    ) -> None:
        self.c.setLineWidth(0.5)
        if fill is not None:
            self.c.setFillGray(fill)
        self.c.rect(
            x0, self.h - bottom, x1 - x0, bottom - top, stroke=1, fill=int(fill is not None)
        )
        self.c.setFillGray(0)

    def dashed(self, x0: float, top: float, x1: float) -> None:
        self.c.setDash(2, 2)
        self.rule(x0, top, x1)
        self.c.setDash()

    def page(self) -> None:
        self.c.showPage()

    def bytes(self) -> bytes:
        self.c.save()
        return self.buf.getvalue()


def _lines(rows: Sequence[tuple[str | None, str, str, str]]) -> tuple[Line, ...]:
    """Lines from (sku, description, quantity, unit price) with amount = qty x price."""
    return tuple(Line(sku, desc, _d(q), _d(p), _cents(_d(q) * _d(p))) for sku, desc, q, p in rows)


def _sum(lines: Sequence[Line]) -> Decimal:
    return sum((ln.amount or Decimal(0) for ln in lines), Decimal(0))


# --------------------------------------------------------------------------- 1
# Marketplace (Amazon Business style): "Order #" next to "Invoice #", an ASIN
# column, a tax-rate column between price and amount, seller details at the
# bottom, the buyer's addresses at the top.

AMAZON_LINES = _lines(
    [
        ("B0BKW3Y4QF", "Logitek MX Keys S wireless keyboard", "4", "109.99"),
        ("B0B2DK8NXL", "Ankor 737 USB-C charger 120W", "6", "79.99"),
        ("B00XJ7T2SO", "Fellmore ergonomic foot rest, black", "2", "45.50"),
        ("B07P6J3V9Q", "Basics A4 copy paper, 5 reams", "10", "32.49"),
    ]
)
AMAZON_SUB = _sum(AMAZON_LINES)
AMAZON_TAX = _cents(AMAZON_SUB * Decimal("0.0825"))


def build_amazon() -> bytes:
    s = Sheet(LETTER, "Invoice US26K7QX4AEI")
    usd = fmt
    s.text(40, 50, "Invoice", size=20, bold=True)
    s.text(40, 66, "Sold by Northgate Outfitters LLC", size=8, grey=True)
    s.box(360, 36, 572, 62, fill=0.92)
    s.text(368, 53, "Total payable", size=10, bold=True)
    s.text(564, 53, f"${usd(AMAZON_SUB + AMAZON_TAX)}", size=10, bold=True, align="right")
    rows = [
        ("Invoice #", "US26K7QX4AEI"),
        ("Invoice date", "17 March 2026"),
        ("Order #", "114-3941689-8837025"),
        ("Order date", "14 March 2026"),
        ("PO number", "HDG-20931"),
    ]
    for i, (label, value) in enumerate(rows):
        s.text(360, 82 + i * 13, label, size=8)
        s.text(450, 82 + i * 13, value, size=8)
    s.text(40, 160, "Billing address", size=9, bold=True)
    s.text(300, 160, "Delivery address", size=9, bold=True)
    for i, ln in enumerate(
        ["Harlow Dental Group", "Attn: Accounts Payable", "55 Elm Street", "Springfield, IL 62704"]
    ):
        s.text(40, 174 + i * 11, ln, size=8)
    for i, ln in enumerate(
        ["Harlow Dental Group", "Front desk", "55 Elm Street, Suite 200", "Springfield, IL 62704"]
    ):
        s.text(300, 174 + i * 11, ln, size=8)
    s.text(40, 240, "Invoice details", size=11, bold=True)
    top = 262
    s.box(40, top - 12, 572, top + 6, fill=0.92)
    s.text(46, top, "Description", size=8, bold=True)
    s.text(250, top, "ASIN", size=8, bold=True)
    s.text(345, top, "Qty", size=8, bold=True, align="right")
    s.text(420, top, "Unit price", size=8, bold=True, align="right")
    s.text(475, top, "Tax rate", size=8, bold=True, align="right")
    s.text(566, top, "Item subtotal", size=8, bold=True, align="right")
    y = top + 22
    for item in AMAZON_LINES:
        assert item.unit_price is not None and item.amount is not None
        s.text(46, y, item.description, size=8)
        s.text(250, y, item.sku or "", size=8)
        s.text(345, y, fmt(item.quantity, places=0), size=8, align="right")
        s.text(420, y, f"${usd(item.unit_price)}", size=8, align="right")
        s.text(475, y, "8.25%", size=8, align="right")
        s.text(566, y, f"${usd(item.amount)}", size=8, align="right")
        s.rule(40, y + 7, 572, width=0.25)
        y += 20
    y += 14
    totals = [
        ("Items subtotal", AMAZON_SUB),
        ("Shipping & handling", Decimal("0.00")),
        ("Total before tax", AMAZON_SUB),
        ("Sales tax", AMAZON_TAX),
    ]
    for label, money in totals:
        s.text(420, y, label, size=8)
        s.text(566, y, f"${usd(money)}", size=8, align="right")
        y += 13
    s.rule(420, y - 8, 572)
    s.text(420, y + 3, "Grand total", size=9, bold=True)
    s.text(566, y + 3, f"${usd(AMAZON_SUB + AMAZON_TAX)}", size=9, bold=True, align="right")
    s.text(40, 560, "Payment information", size=9, bold=True)
    s.text(40, 573, "Paid by Visa ending in 4417 on 14 March 2026", size=8)
    s.rule(40, 680, 572)
    s.text(40, 694, "Seller information", size=9, bold=True)
    for i, ln in enumerate(
        [
            "Sold by: Northgate Outfitters LLC",
            "1200 Harbor Way",
            "Tacoma, WA 98421",
            "Seller EIN 91-2837465",
        ]
    ):
        s.text(40, 708 + i * 11, ln, size=8)
    s.text(300, 708, "This invoice was issued on behalf of the seller by", size=7, grey=True)
    s.text(300, 718, "the marketplace operator. Questions: see Your Orders.", size=7, grey=True)
    return s.bytes()


AMAZON = Case(
    "amazon_business",
    build_amazon,
    Expected(
        kind="invoice",
        number="US26K7QX4AEI",
        date="2026-03-17",
        vendor="Northgate Outfitters LLC",
        po_number="HDG-20931",
        currency="USD",
        subtotal=AMAZON_SUB,
        tax=AMAZON_TAX,
        total=AMAZON_SUB + AMAZON_TAX,
        lines=AMAZON_LINES,
    ),
)

# --------------------------------------------------------------------------- 2
# Nordic invoice: space thousands and comma decimals, "kr", a unit column, a
# discount column that makes the amount differ from qty x price, and öre
# rounding so the total is not subtotal + tax.

NORDIC_LINES = (
    Line("71-2040", "Impact driver 18V, bare tool", _d("6"), _d("1890.00"), _d("10206.00")),
    *_lines(
        [
            ("71-3315", "Battery pack 18V 5.0Ah", "12", "749.00"),
            ("44-0107", "Drill bit set HSS-G, 25 pcs", "10", "329.50"),
            ("90-0001", "Freight", "1", "450.00"),
        ]
    ),
)
NORDIC_SUB = _sum(NORDIC_LINES)
NORDIC_TAX = _cents(NORDIC_SUB * Decimal("0.25"))
NORDIC_TOTAL = (NORDIC_SUB + NORDIC_TAX).quantize(Decimal(1), rounding=ROUND_HALF_UP)


def build_nordic() -> bytes:
    def sek(v: Decimal) -> str:
        return fmt(v, thousands=" ", decimal=",")

    s = Sheet(A4, "Invoice 20261047")
    s.text(40, 56, "FJÄLLVIK", size=22, bold=True)
    s.text(40, 70, "Verktyg & maskiner", size=9, grey=True)
    s.text(555, 56, "INVOICE", size=18, bold=True, align="right")
    grid = [
        ("Invoice no.", "20261047"),
        ("Invoice date", "2026-03-09"),
        ("Due date", "2026-04-08"),
        ("Customer no.", "10442"),
        ("Your order no.", "IK-55120"),
        ("Our reference", "Lina Berg"),
        ("Your reference", "Johan Ek"),
        ("Terms of payment", "30 days net"),
        ("Late interest", "8 %"),
    ]
    for i, (label, value) in enumerate(grid):
        s.text(330, 92 + i * 12, label, size=8, grey=True)
        s.text(430, 92 + i * 12, value, size=8)
    for i, ln in enumerate(["Kvarnby Bygg & Fastighet AB", "Box 2231", "212 02 Malmö", "Sweden"]):
        s.text(60, 110 + i * 12, ln, size=10)
    top = 230
    s.rule(40, top - 11, 555, width=1)
    cols = [
        ("Art. no.", 42, "left"),
        ("Description", 100, "left"),
        ("Qty", 318, "right"),
        ("Unit", 326, "left"),
        ("Unit price", 420, "right"),
        ("Disc. %", 465, "right"),
        ("Amount", 553, "right"),
    ]
    for label, x, align in cols:
        s.text(x, top, label, size=8, bold=True, align=align)
    s.rule(40, top + 5, 555)
    y = top + 20
    for i, item in enumerate(NORDIC_LINES):
        assert item.unit_price is not None and item.amount is not None
        s.text(42, y, item.sku or "", size=9)
        s.text(100, y, item.description, size=9)
        s.text(318, y, fmt(item.quantity, places=0), size=9, align="right")
        s.text(326, y, "pcs", size=9)
        s.text(420, y, sek(item.unit_price), size=9, align="right")
        if i == 0:
            s.text(465, y, "10", size=9, align="right")
        s.text(553, y, sek(item.amount), size=9, align="right")
        y += 15
    s.rule(40, y, 555)
    y += 22
    rows = [
        ("Net amount", sek(NORDIC_SUB) + " kr"),
        ("VAT 25 %", sek(NORDIC_TAX) + " kr"),
        ("Rounding", sek(NORDIC_TOTAL - NORDIC_SUB - NORDIC_TAX) + " kr"),
    ]
    for label, value in rows:
        s.text(380, y, label, size=9)
        s.text(553, y, value, size=9, align="right")
        y += 14
    s.rule(380, y - 6, 555, width=1)
    s.text(330, y + 8, "Amount to pay (SEK)", size=11, bold=True)
    s.text(553, y + 8, sek(NORDIC_TOTAL) + " kr", size=11, bold=True, align="right")
    s.text(40, y + 50, "Please state invoice no. 20261047 when paying. Bankgiro 5412-8890.", size=8)
    s.rule(40, 770, 555)
    foot = [
        ("Address", "Fjällvik Verktyg AB", "Industrigatan 14", "721 34 Västerås"),
        ("Phone", "+46 21 410 22 00", "order@fjallvik.example", ""),
        ("Reg. no.", "556812-4471", "VAT no. SE556812447101", "Approved for F-tax"),
        ("Bankgiro", "5412-8890", "IBAN SE45 5000 0000 0583", "9825 7466"),
    ]
    for i, (head, a, b, c) in enumerate(foot):
        x = 40 + i * 130
        s.text(x, 782, head, size=7, bold=True)
        for j, t in enumerate((a, b, c)):
            s.text(x, 792 + j * 9, t, size=7)
    return s.bytes()


NORDIC = Case(
    "nordic_sek",
    build_nordic,
    Expected(
        kind="invoice",
        number="20261047",
        date="2026-03-09",
        vendor="Fjällvik Verktyg AB",
        po_number="IK-55120",
        currency="SEK",
        subtotal=NORDIC_SUB,
        tax=NORDIC_TAX,
        total=NORDIC_TOTAL,
        lines=NORDIC_LINES,
    ),
)

# --------------------------------------------------------------------------- 3
# Swiss invoice: CHF, apostrophe thousands, dd.mm.yyyy, a position column, and
# the QR-bill payment slip at the bottom with its "Receipt" and "Payment part"
# sections and a space-grouped amount.

SWISS_LINES = _lines(
    [
        ("AP-2210", "Linear guide rail 600 mm", "8", "245.00"),
        ("AP-2215", "Carriage block for guide rail", "16", "138.50"),
        ("AP-7001", "Ball screw assembly 16x5, 500 mm", "4", "1185.00"),
        ("SV-0010", "Assembly and test, per hour", "6", "135.00"),
    ]
)
SWISS_SUB = _sum(SWISS_LINES)
# Swiss amounts round to five centimes.
SWISS_TAX = (SWISS_SUB * Decimal("0.081") / Decimal("0.05")).quantize(
    Decimal(1), rounding=ROUND_HALF_UP
) * Decimal("0.05")
SWISS_TOTAL = SWISS_SUB + SWISS_TAX


def build_swiss() -> bytes:
    def chf(v: Decimal) -> str:
        return fmt(v, thousands="'")

    s = Sheet(A4, "Invoice 26-10412")
    s.text(50, 50, "Alpenmatt Präzision AG", size=14, bold=True)
    s.text(50, 63, "Werkstrasse 9 · 8404 Winterthur · +41 52 208 40 40", size=8, grey=True)
    for i, ln in enumerate(
        ["Tobler Maschinenbau GmbH", "Einkauf", "Seestrasse 118", "8800 Thalwil"]
    ):
        s.text(330, 110 + i * 12, ln, size=10)
    s.text(50, 200, "Invoice", size=16, bold=True)
    grid = [
        ("Invoice No.", "26-10412"),
        ("Date", "12.03.2026"),
        ("Customer No.", "30118"),
        ("Your order", "7700-1182 of 23.02.2026"),
        ("Delivery note", "LS-26-0877"),
        ("VAT No.", "CHE-114.882.301 MWST"),
    ]
    for i, (label, value) in enumerate(grid):
        s.text(50, 222 + i * 12, label, size=8)
        s.text(140, 222 + i * 12, value, size=8)
    top = 312
    cols = [
        ("Pos.", 52, "left"),
        ("Art. No.", 80, "left"),
        ("Description", 140, "left"),
        ("Qty", 350, "right"),
        ("Unit", 358, "left"),
        ("Price CHF", 470, "right"),
        ("Amount CHF", 545, "right"),
    ]
    s.rule(50, top - 11, 545)
    for label, x, align in cols:
        s.text(x, top, label, size=8, bold=True, align=align)
    s.rule(50, top + 5, 545)
    y = top + 19
    for i, item in enumerate(SWISS_LINES, start=1):
        assert item.unit_price is not None and item.amount is not None
        s.text(52, y, str(i), size=9)
        s.text(80, y, item.sku or "", size=9)
        s.text(140, y, item.description, size=9)
        s.text(350, y, fmt(item.quantity, places=0), size=9, align="right")
        s.text(358, y, "h" if item.sku == "SV-0010" else "pcs", size=9)
        s.text(470, y, chf(item.unit_price), size=9, align="right")
        s.text(545, y, chf(item.amount), size=9, align="right")
        y += 15
    s.rule(50, y - 4, 545)
    y += 12
    for label, money, bold in [
        ("Subtotal", SWISS_SUB, False),
        ("VAT 8.1 %", SWISS_TAX, False),
        ("Total CHF", SWISS_TOTAL, True),
    ]:
        s.text(380, y, label, size=9, bold=bold)
        s.text(545, y, chf(money), size=9, bold=bold, align="right")
        y += 14
    s.text(50, y + 20, "Payable within 30 days net. Thank you for your order.", size=8)
    # QR-bill: the detachable payment slip, 105 mm high, at the bottom.
    slip = 842 - 298
    s.dashed(0, slip, 595)
    s.vrule(176, slip, 842)
    s.text(14, slip + 22, "Receipt", size=11, bold=True)
    s.text(14, slip + 40, "Account / Payable to", size=6, bold=True)
    for i, ln in enumerate(
        ["CH44 3199 9123 0008 8901 2", "Alpenmatt Präzision AG", "Werkstrasse 9", "8404 Winterthur"]
    ):
        s.text(14, slip + 50 + i * 9, ln, size=8)
    s.text(14, slip + 100, "Reference", size=6, bold=True)
    s.text(14, slip + 110, "21 00000 00003 13947 14300 09017", size=8)
    s.text(14, slip + 128, "Payable by", size=6, bold=True)
    for i, ln in enumerate(["Tobler Maschinenbau GmbH", "Seestrasse 118", "8800 Thalwil"]):
        s.text(14, slip + 138 + i * 9, ln, size=8)
    s.text(14, slip + 200, "Currency", size=6, bold=True)
    s.text(60, slip + 200, "Amount", size=6, bold=True)
    s.text(14, slip + 210, "CHF", size=8)
    s.text(60, slip + 210, fmt(SWISS_TOTAL, thousands=" "), size=8)
    s.text(120, slip + 250, "Acceptance point", size=6, bold=True)
    s.text(190, slip + 22, "Payment part", size=11, bold=True)
    s.box(190, slip + 40, 326, slip + 176)
    s.text(258, slip + 110, "[QR]", size=8, align="center")
    s.text(190, slip + 200, "Currency", size=8, bold=True)
    s.text(250, slip + 200, "Amount", size=8, bold=True)
    s.text(190, slip + 212, "CHF", size=10)
    s.text(250, slip + 212, fmt(SWISS_TOTAL, thousands=" "), size=10)
    s.text(340, slip + 40, "Account / Payable to", size=8, bold=True)
    for i, ln in enumerate(
        ["CH44 3199 9123 0008 8901 2", "Alpenmatt Präzision AG", "Werkstrasse 9", "8404 Winterthur"]
    ):
        s.text(340, slip + 52 + i * 11, ln, size=10)
    s.text(340, slip + 108, "Reference", size=8, bold=True)
    s.text(340, slip + 120, "21 00000 00003 13947 14300 09017", size=10)
    s.text(340, slip + 138, "Additional information", size=8, bold=True)
    s.text(340, slip + 150, "Invoice 26-10412", size=10)
    s.text(340, slip + 168, "Payable by", size=8, bold=True)
    for i, ln in enumerate(["Tobler Maschinenbau GmbH", "Seestrasse 118", "8800 Thalwil"]):
        s.text(340, slip + 180 + i * 11, ln, size=10)
    return s.bytes()


SWISS = Case(
    "swiss_chf_qr_bill",
    build_swiss,
    Expected(
        kind="invoice",
        number="26-10412",
        date="2026-03-12",
        vendor="Alpenmatt Präzision AG",
        po_number="7700-1182",
        currency="CHF",
        subtotal=SWISS_SUB,
        tax=SWISS_TAX,
        total=SWISS_TOTAL,
        lines=SWISS_LINES,
    ),
)

# --------------------------------------------------------------------------- 4
# IT reseller invoice (CDW style): a boxed header grid with labels above
# values, ordered/shipped quantities, the reseller's item number beside the
# manufacturer's part number, eighteen lines over two pages with the column
# header repeated, one wrapped description, freight in the totals.

RESELLER_ROWS: list[tuple[str, str, str, str, str, str]] = [
    # (ordered, shipped, item number, mfg part, description, unit price)
    ("10", "10", "7288113", "9X8M5UT#ABA", "HP EliteDisplay E24 G5 23.8in monitor", "189.99"),
    ("10", "10", "6612904", "920-009294", "Logitech MK270 wireless keyboard/mouse", "24.99"),
    ("4", "2", "7011452", "40B00135US", "Lenovo ThinkPad USB-C Dock Gen 2", "219.00"),
    ("20", "20", "1234987", "C2G-29021", "C2G 6ft HDMI cable, high speed", "8.49"),
    ("5", "5", "5529031", "SB-SSD-1TB", "Samsung 870 EVO 1TB SATA SSD", "79.99"),
    ("2", "2", "6420078", "JG927A", "HPE Aruba 2930F 24G 4SFP+ switch", "1649.00"),
    ("12", "12", "3390012", "CAT6-10-BL", "Cat6 patch cable 10ft, blue", "3.29"),
    ("12", "12", "3390013", "CAT6-10-GR", "Cat6 patch cable 10ft, grey", "3.29"),
    ("3", "3", "6678120", "APC-SMT1500", "APC Smart-UPS 1500VA LCD 120V", "649.99"),
    ("6", "6", "4482211", "WD-40PURZ", "WD Purple 4TB surveillance hard drive", "94.50"),
    ("1", "1", "7712345", "MS-O365-E3", "Microsoft 365 E3 annual subscription", "432.00"),
    ("8", "8", "2209981", "KNS-K62080", "Kensington K62080 keyed laptop lock", "29.95"),
    ("4", "4", "6120444", "BEL-F7C063", "Belkin BoostCharge USB-C charger 65W", "44.99"),
    ("2", "2", "6832201", "UBQ-U6-PRO", "Ubiquiti UniFi 6 Pro access point", "159.00"),
    ("1", "1", "5011876", "TRP-SRW12US", "Tripp Lite 12U wall-mount rack enclosure", "389.00"),
    ("25", "25", "1099123", "AVR-ST100", "Avery surge protector 6-outlet", "12.75"),
    ("3", "3", "7845012", "BRT-HLL5200", "Brother HL-L5200DW monochrome laser printer", "279.99"),
    ("1", "1", "9000001", "EW-3YR-ONS", "Extended warranty 3-year onsite service", "310.00"),
]
RESELLER_WRAP = {
    "5011876": ("Tripp Lite 12U wall-mount rack", "enclosure"),
    "7845012": ("Brother HL-L5200DW monochrome laser", "printer"),
}
RESELLER_LINES = _lines([(r[2], r[4], r[1], r[5]) for r in RESELLER_ROWS])
RESELLER_SUB = _sum(RESELLER_LINES)
RESELLER_FREIGHT = Decimal("25.00")
RESELLER_TAX = _cents(RESELLER_SUB * Decimal("0.0625"))
RESELLER_TOTAL = RESELLER_SUB + RESELLER_FREIGHT + RESELLER_TAX


def _reseller_page_head(s: Sheet, page: int) -> float:
    s.text(36, 44, "RIDGELINE", size=20, bold=True)
    s.text(36, 56, "Ridgeline Tech Supply Inc.", size=8)
    s.text(36, 66, "200 N. Milwaukee Ave, Vernon Hills, IL 60061", size=7, grey=True)
    s.text(576, 44, "INVOICE", size=18, bold=True, align="right")
    s.text(576, 58, f"PAGE {page} OF 2", size=8, align="right")
    labels = [
        ("INVOICE NUMBER", "RT4471902"),
        ("INVOICE DATE", "03/17/2026"),
        ("CUSTOMER NUMBER", "8815204"),
        ("PURCHASE ORDER NUMBER", "FIN-26-0412"),
        ("SHIP VIA", "UPS Ground"),
        ("TERMS", "Net 30 Days"),
    ]
    width = (576 - 36) / len(labels)
    for i, (label, value) in enumerate(labels):
        x0 = 36 + i * width
        s.box(x0, 80, x0 + width, 108)
        s.text(x0 + 4, 89, label, size=5.5, bold=True)
        s.text(x0 + 4, 102, value, size=8)
    return 120


RESELLER_COLS = [
    ("QTY", "ORDERED", 68, "right"),
    ("QTY", "SHIPPED", 102, "right"),
    ("ITEM", "NUMBER", 110, "left"),
    ("MFG.", "PART #", 160, "left"),
    ("", "DESCRIPTION", 228, "left"),
    ("UNIT", "PRICE", 508, "right"),
    ("EXTENDED", "PRICE", 574, "right"),
]


def _reseller_table_head(s: Sheet, top: float) -> float:
    s.box(36, top, 576, top + 24, fill=0.9)
    for a, b, x, align in RESELLER_COLS:
        s.text(x, top + 9, a, size=6.5, bold=True, align=align)
        s.text(x, top + 18, b, size=6.5, bold=True, align=align)
    return top + 38


def _reseller_row(s: Sheet, y: float, row: tuple[str, str, str, str, str, str]) -> float:
    ordered, shipped, item, mfg, desc, price = row
    amount = _cents(_d(shipped) * _d(price))
    s.text(68, y, ordered, size=8, align="right")
    s.text(102, y, shipped, size=8, align="right")
    s.text(110, y, item, size=8)
    s.text(160, y, mfg, size=8)
    first, second = RESELLER_WRAP.get(item, (desc, ""))
    s.text(228, y, first, size=8)
    s.text(508, y, fmt(_d(price)), size=8, align="right")
    s.text(574, y, fmt(amount), size=8, align="right")
    if second:
        y += 10
        s.text(228, y, second, size=8)
    return y + 16


def build_reseller() -> bytes:
    s = Sheet(LETTER, "Invoice RT4471902")
    y = _reseller_page_head(s, 1)
    for col, (title, ln) in enumerate(
        [
            (
                "BILL TO:",
                [
                    "Marrowfield County Schools",
                    "Accounts Payable",
                    "410 School Road",
                    "Marrowfield, OH 43302",
                ],
            ),
            (
                "SHIP TO:",
                [
                    "Marrowfield County Schools",
                    "IT Department, Bldg C",
                    "410 School Road",
                    "Marrowfield, OH 43302",
                ],
            ),
            (
                "REMIT TO:",
                ["Ridgeline Tech Supply Inc.", "P.O. Box 75721", "Chicago, IL 60675-5721"],
            ),
        ]
    ):
        s.text(36 + col * 185, y + 6, title, size=7, bold=True)
        for i, t in enumerate(ln):
            s.text(36 + col * 185, y + 18 + i * 10, t, size=8)
    y = _reseller_table_head(s, y + 70)
    for row in RESELLER_ROWS[:12]:
        y = _reseller_row(s, y, row)
    s.text(306, 740, "CONTINUED ON NEXT PAGE", size=8, bold=True, align="center")
    s.page()
    y = _reseller_page_head(s, 2)
    y = _reseller_table_head(s, y + 6)
    for row in RESELLER_ROWS[12:]:
        y = _reseller_row(s, y, row)
    s.rule(36, y - 6, 576)
    y += 14
    for label, value in [
        ("SUBTOTAL", fmt(RESELLER_SUB)),
        ("FREIGHT", fmt(RESELLER_FREIGHT)),
        ("SALES TAX", fmt(RESELLER_TAX)),
    ]:
        s.text(440, y, label, size=8, bold=True)
        s.text(574, y, value, size=8, align="right")
        y += 13
    s.box(436, y - 9, 576, y + 7, fill=0.9)
    s.text(440, y + 2, "TOTAL", size=9, bold=True)
    s.text(574, y + 2, f"${fmt(RESELLER_TOTAL)}", size=9, bold=True, align="right")
    s.text(36, y + 40, "Returns require an RMA number within 30 days of invoice date.", size=7)
    s.text(
        36, y + 50, "Past due balances are subject to a finance charge of 1.5% per month.", size=7
    )
    return s.bytes()


RESELLER = Case(
    "reseller_two_pages",
    build_reseller,
    Expected(
        kind="invoice",
        number="RT4471902",
        date="2026-03-17",
        vendor="Ridgeline Tech Supply Inc.",
        po_number="FIN-26-0412",
        currency="USD",
        subtotal=RESELLER_SUB,
        tax=RESELLER_TAX,
        total=RESELLER_TOTAL,
        lines=RESELLER_LINES,
    ),
)

# --------------------------------------------------------------------------- 5
# Freelancer invoice: no rules at all, Hours/Rate columns, pound signs on
# every amount, a short numeric invoice number, "Issued" and "Due" dates.

FREELANCE_LINES = _lines(
    [
        (None, "Cover illustration, The Salt Road", "14.5", "65.00"),
        (None, "Interior chapter openers (12)", "9", "65.00"),
        (None, "Revisions round 2", "2.5", "65.00"),
        (None, "Print-ready file preparation", "3", "55.00"),
    ]
)
FREELANCE_SUB = _sum(FREELANCE_LINES)
FREELANCE_TAX = _cents(FREELANCE_SUB * Decimal("0.20"))


def build_freelance() -> bytes:
    s = Sheet(A4, "Invoice 0047")
    s.text(60, 80, "Tessa Marlow Studio Ltd", size=18, bold=True)
    s.text(60, 96, "Illustration & editorial design", size=9, grey=True)
    s.text(60, 108, "14 Canal Street, Bristol BS1 6TY", size=9, grey=True)
    s.text(60, 120, "hello@tessamarlow.example  ·  VAT no. GB 384 1920 55", size=9, grey=True)
    s.text(60, 180, "Billed to", size=9, grey=True)
    for i, ln in enumerate(
        ["Harbourside Books Ltd", "Attn: Priya Nair", "3 Wapping Wharf", "Bristol BS1 4RH"]
    ):
        s.text(60, 194 + i * 12, ln, size=10)
    for i, (label, value) in enumerate(
        [
            ("Invoice no.", "0047"),
            ("Issued", "4 March 2026"),
            ("Due", "18 March 2026"),
            ("PO number", "HB-20417"),
        ]
    ):
        s.text(380, 180 + i * 14, label, size=9, grey=True)
        s.text(535, 180 + i * 14, value, size=10, align="right")
    top = 300
    s.text(60, top, "Description", size=9, grey=True)
    s.text(380, top, "Hours", size=9, grey=True, align="right")
    s.text(450, top, "Rate", size=9, grey=True, align="right")
    s.text(535, top, "Amount", size=9, grey=True, align="right")
    y = top + 24
    for item in FREELANCE_LINES:
        assert item.unit_price is not None and item.amount is not None
        s.text(60, y, item.description, size=10)
        s.text(380, y, f"{item.quantity:f}", size=10, align="right")
        s.text(450, y, f"£{fmt(item.unit_price)}", size=10, align="right")
        s.text(535, y, f"£{fmt(item.amount)}", size=10, align="right")
        y += 20
    y += 20
    for label, money, bold in [
        ("Subtotal", FREELANCE_SUB, False),
        ("VAT (20%)", FREELANCE_TAX, False),
        ("Total due", FREELANCE_SUB + FREELANCE_TAX, True),
    ]:
        s.text(380, y, label, size=10, bold=bold)
        s.text(535, y, f"£{fmt(money)}", size=10, bold=bold, align="right")
        y += 16
    s.text(60, 700, "Payment by bank transfer within 14 days to Tessa Marlow Studio Ltd,", size=9)
    s.text(60, 712, "sort code 20-45-77, account 63018842, quoting the invoice number.", size=9)
    s.text(60, 736, "Thank you!", size=9, grey=True)
    return s.bytes()


FREELANCE = Case(
    "freelancer_no_rules",
    build_freelance,
    Expected(
        kind="invoice",
        number="0047",
        date="2026-03-04",
        vendor="Tessa Marlow Studio Ltd",
        po_number="HB-20417",
        currency="GBP",
        subtotal=FREELANCE_SUB,
        tax=FREELANCE_TAX,
        total=FREELANCE_SUB + FREELANCE_TAX,
        lines=FREELANCE_LINES,
    ),
)

# --------------------------------------------------------------------------- 6
# ERP purchase order (SAP style): the buyer's letterhead, a "Vendor" address
# block, item numbers 00010/00020, numeric material numbers, a delivery-date
# column inside the table, "Net value" wording.

ERP_LINES = _lines(
    [
        ("100482", "Hydraulic gear pump 11 cc/rev", "10", "412.00"),
        ("100517", "Pressure relief valve 250 bar", "25", "86.40"),
        ("204118", "Hose assembly DN10, 1.5 m", "60", "23.75"),
        ("310020", "Return filter element 10 um", "40", "31.90"),
    ]
)
ERP_DELIVERY = ["20.03.2026", "20.03.2026", "27.03.2026", "27.03.2026"]
ERP_SUB = _sum(ERP_LINES)
ERP_TAX = _cents(ERP_SUB * Decimal("0.19"))


def build_erp_po() -> bytes:
    s = Sheet(A4, "Purchase Order 4500018832")
    s.text(555, 50, "KERROW INSTRUMENTS", size=14, bold=True, align="right")
    s.text(
        555,
        62,
        "Kerrow Instruments GmbH · Am Hafen 3 · 28217 Bremen",
        size=7,
        align="right",
        grey=True,
    )
    s.text(50, 110, "Kerrow Instruments GmbH, Am Hafen 3, 28217 Bremen", size=6, grey=True)
    s.text(50, 124, "Vendor", size=8, bold=True)
    for i, ln in enumerate(
        ["Brenner Hydraulik GmbH", "Industriestr. 22", "73037 Göppingen", "Germany"]
    ):
        s.text(50, 138 + i * 12, ln, size=10)
    s.text(340, 110, "Purchase Order", size=14, bold=True)
    grid = [
        ("PO number", "4500018832"),
        ("Date", "06.03.2026"),
        ("Vendor number", "100234"),
        ("Contact person", "Jana Roth"),
        ("Telephone", "+49 421 5566-210"),
        ("Currency", "EUR"),
    ]
    for i, (label, value) in enumerate(grid):
        s.text(340, 128 + i * 12, label, size=8)
        s.text(440, 128 + i * 12, value, size=8)
    s.text(
        50,
        230,
        "Please deliver to: Kerrow Instruments GmbH, Goods receipt Gate 2, "
        "Am Hafen 3, 28217 Bremen",
        size=8,
    )
    s.text(
        50,
        242,
        "Terms of payment: within 14 days 2 % discount, 30 days net. Incoterms: DAP Bremen",
        size=8,
    )
    top = 276
    cols = [
        ("Item", 52, "left"),
        ("Material", 84, "left"),
        ("Description", 134, "left"),
        ("Deliv. date", 300, "left"),
        ("Quantity", 400, "right"),
        ("Unit", 406, "left"),
        ("Net price", 480, "right"),
        ("Net value", 545, "right"),
    ]
    s.rule(50, top - 11, 545)
    for label, x, align in cols:
        s.text(x, top, label, size=8, bold=True, align=align)
    s.rule(50, top + 5, 545)
    y = top + 20
    for i, item in enumerate(ERP_LINES):
        assert item.unit_price is not None and item.amount is not None
        s.text(52, y, f"{(i + 1) * 10:05d}", size=8)
        s.text(84, y, item.sku or "", size=8)
        s.text(134, y, item.description, size=8)
        s.text(300, y, ERP_DELIVERY[i], size=8)
        s.text(400, y, fmt(item.quantity, places=0), size=8, align="right")
        s.text(406, y, "PC", size=8)
        s.text(480, y, fmt(item.unit_price), size=8, align="right")
        s.text(545, y, fmt(item.amount), size=8, align="right")
        y += 16
    s.rule(50, y - 5, 545)
    y += 12
    for label, money, bold in [
        ("Total net value excl. tax", ERP_SUB, False),
        ("VAT 19 %", ERP_TAX, False),
        ("Total value incl. tax", ERP_SUB + ERP_TAX, True),
    ]:
        s.text(330, y, label, size=8, bold=bold)
        s.text(470, y, "EUR", size=8, bold=bold)
        s.text(545, y, fmt(money), size=8, bold=bold, align="right")
        y += 13
    s.text(
        50,
        y + 24,
        "Please quote our purchase order number on all delivery notes and invoices.",
        size=8,
    )
    s.rule(50, 790, 545)
    s.text(
        50,
        800,
        "Kerrow Instruments GmbH · Registered office Bremen · HRB 31877 HB · "
        "VAT ID DE287441902 · Managing director: A. Kerrow",
        size=6,
        grey=True,
    )
    return s.bytes()


ERP_PO = Case(
    "erp_purchase_order",
    build_erp_po,
    Expected(
        kind="po",
        number="4500018832",
        date="2026-03-06",
        vendor="Brenner Hydraulik GmbH",
        po_number=None,
        currency="EUR",
        subtotal=ERP_SUB,
        tax=ERP_TAX,
        total=ERP_SUB + ERP_TAX,
        lines=ERP_LINES,
    ),
)

# --------------------------------------------------------------------------- 7
# Packing slip used as the goods receipt: no prices, ordered/shipped/backorder
# quantities, a sales order number beside the customer's PO, "Total" only for
# cartons and weight.

SLIP_ROWS = [
    ("CW-10422", "Nitrile exam gloves, M, 100/box", "BX", "20", "20"),
    ("CW-20871", "Serological pipettes 10 mL, sterile", "CS", "6", "4"),
    ("CW-31150", "Microcentrifuge tubes 1.5 mL, 500/pk", "PK", "12", "12"),
    ("CW-40007", "Biohazard bags 24x30, red", "CS", "3", "3"),
]
SLIP_LINES = tuple(Line(r[0], r[1], _d(r[4]), None, None) for r in SLIP_ROWS)


def build_packing_slip() -> bytes:
    s = Sheet(LETTER, "Packing Slip PS-778120")
    s.text(40, 50, "Coldwater Lab Supply Inc.", size=15, bold=True)
    for i, ln in enumerate(
        [
            "88 Riverbend Parkway",
            "Madison, WI 53704",
            "(608) 555-0142  ·  orders@coldwaterlab.example",
        ]
    ):
        s.text(40, 64 + i * 10, ln, size=8, grey=True)
    s.text(572, 50, "PACKING SLIP", size=16, bold=True, align="right")
    for i, (label, value) in enumerate(
        [
            ("Packing Slip #", "PS-778120"),
            ("Ship Date", "03/19/2026"),
            ("Sales Order #", "SO-55102"),
            ("Customer PO", "7781-A"),
            ("Ship Via", "FedEx Ground"),
            ("Tracking #", "7749 1820 5531"),
        ]
    ):
        s.text(400, 72 + i * 12, label, size=8, bold=True)
        s.text(572, 72 + i * 12, value, size=8, align="right")
    s.text(40, 160, "SHIP TO", size=8, bold=True)
    s.text(300, 160, "SOLD TO", size=8, bold=True)
    for i, ln in enumerate(
        ["Bayline Diagnostics Inc.", "Receiving, Dock B", "400 Cannery Row", "Monterey, CA 93940"]
    ):
        s.text(40, 172 + i * 11, ln, size=9)
    for i, ln in enumerate(
        ["Bayline Diagnostics Inc.", "Accounts Payable", "400 Cannery Row", "Monterey, CA 93940"]
    ):
        s.text(300, 172 + i * 11, ln, size=9)
    top = 250
    cols = [
        ("Item #", 44, "left"),
        ("Description", 120, "left"),
        ("UOM", 350, "left"),
        ("Qty Ordered", 440, "right"),
        ("Qty Shipped", 505, "right"),
        ("Qty B/O", 566, "right"),
    ]
    s.box(40, top - 12, 572, top + 6, fill=0.88)
    for label, x, align in cols:
        s.text(x, top, label, size=8, bold=True, align=align)
    y = top + 22
    for sku, desc, uom, ordered, shipped in SLIP_ROWS:
        s.text(44, y, sku, size=9)
        s.text(120, y, desc, size=9)
        s.text(350, y, uom, size=9)
        s.text(440, y, ordered, size=9, align="right")
        s.text(505, y, shipped, size=9, align="right")
        s.text(566, y, str(int(ordered) - int(shipped)), size=9, align="right")
        s.rule(40, y + 7, 572, width=0.25)
        y += 20
    y += 16
    s.text(40, y, "Total cartons: 5", size=9, bold=True)
    s.text(200, y, "Total weight: 38.6 lb", size=9, bold=True)
    s.text(572, y, "Total qty shipped: 39", size=9, bold=True, align="right")
    s.text(
        40,
        y + 30,
        "Backordered items will ship separately at no additional freight charge.",
        size=8,
    )
    s.text(40, y + 70, "Received by: ____________________", size=9)
    s.text(300, y + 70, "Date: ______________", size=9)
    return s.bytes()


PACKING_SLIP = Case(
    "packing_slip",
    build_packing_slip,
    Expected(
        kind="receipt",
        number="PS-778120",
        date="2026-03-19",
        vendor="Coldwater Lab Supply Inc.",
        po_number="7781-A",
        currency=None,
        subtotal=None,
        tax=None,
        total=None,
        lines=SLIP_LINES,
    ),
)

# --------------------------------------------------------------------------- 8
# Dutch invoice: totals block on the LEFT under the table, payment details on
# the right, a two-column label grid with abbreviations, dotted thousands and
# comma decimals (also in quantities), a three-decimal unit price.

DUTCH_LINES = _lines(
    [
        ("FB-350", "Folding boxes 350 g, printed 4/0", "2500", "0.42"),
        ("LB-100", "Self-adhesive labels 100x50 mm", "10000", "0.038"),
        ("PL-001", "Printing plates, set", "1", "145.00"),
        ("DL-010", "Delivery Eindhoven region", "1", "65.00"),
    ]
)
DUTCH_SUB = _sum(DUTCH_LINES)
DUTCH_TAX = _cents(DUTCH_SUB * Decimal("0.21"))


def build_dutch() -> bytes:
    def eur(v: Decimal, places: int = 2) -> str:
        return fmt(v, thousands=".", decimal=",", places=places)

    s = Sheet(A4, "Invoice VPP-26-1183")
    s.text(40, 58, "Veldhoven Print & Pack B.V.", size=16, bold=True)
    for i, ln in enumerate(
        [
            "De Run 4410",
            "5503 LM Veldhoven",
            "The Netherlands",
            "KvK 17098812  ·  VAT NL8123.45.678.B01",
        ]
    ):
        s.text(555, 44 + i * 10, ln, size=8, align="right", grey=True)
    for i, ln in enumerate(
        ["Oosterhout Coffee Roasters", "Attn. Purchasing", "Havenweg 12", "4904 ZA Oosterhout"]
    ):
        s.text(40, 120 + i * 12, ln, size=10)
    s.text(40, 200, "INVOICE", size=14, bold=True)
    left = [("Inv. No.", "VPP-26-1183"), ("Inv. Date", "17-03-2026"), ("Due Date", "16-04-2026")]
    right = [("Cust. No.", "D-2207"), ("Cust. PO", "PO/26/0931"), ("Terms", "30 days")]
    for i, ((la, va), (lb, vb)) in enumerate(zip(left, right, strict=True)):
        s.text(40, 222 + i * 13, la, size=8, bold=True)
        s.text(110, 222 + i * 13, va, size=8)
        s.text(300, 222 + i * 13, lb, size=8, bold=True)
        s.text(370, 222 + i * 13, vb, size=8)
    top = 290
    s.box(40, top - 12, 555, top + 6, fill=0.9)
    cols = [
        ("Code", 44, "left"),
        ("Description", 110, "left"),
        ("Qty", 380, "right"),
        ("Price", 460, "right"),
        ("Total", 551, "right"),
    ]
    for label, x, align in cols:
        s.text(x, top, label, size=8, bold=True, align=align)
    y = top + 22
    for item in DUTCH_LINES:
        assert item.unit_price is not None and item.amount is not None
        places = 3 if item.unit_price != item.unit_price.quantize(CENT) else 2
        s.text(44, y, item.sku or "", size=9)
        s.text(110, y, item.description, size=9)
        s.text(380, y, eur(item.quantity, 0), size=9, align="right")
        s.text(460, y, eur(item.unit_price, places), size=9, align="right")
        s.text(551, y, eur(item.amount), size=9, align="right")
        s.rule(40, y + 6, 555, width=0.25)
        y += 18
    y += 22
    for label, value, bold in [
        ("Net amount", eur(DUTCH_SUB), False),
        ("VAT 21%", eur(DUTCH_TAX), False),
        ("Total EUR", eur(DUTCH_SUB + DUTCH_TAX), True),
    ]:
        s.text(40, y, label, size=9, bold=bold)
        s.text(230, y, value, size=9, bold=bold, align="right")
        y += 14
    s.text(320, y - 42, "Payment details", size=8, bold=True)
    s.text(320, y - 30, "IBAN NL91 ABNA 0417 1643 00  ·  BIC ABNANL2A", size=8)
    s.text(320, y - 18, "Please quote VPP-26-1183 with your payment.", size=8)
    s.text(
        40,
        790,
        "All deliveries are subject to our general terms, filed with the Chamber of Commerce.",
        size=7,
        grey=True,
    )
    return s.bytes()


DUTCH = Case(
    "dutch_totals_left",
    build_dutch,
    Expected(
        kind="invoice",
        number="VPP-26-1183",
        date="2026-03-17",
        vendor="Veldhoven Print & Pack B.V.",
        po_number="PO/26/0931",
        currency="EUR",
        subtotal=DUTCH_SUB,
        tax=DUTCH_TAX,
        total=DUTCH_SUB + DUTCH_TAX,
        lines=DUTCH_LINES,
    ),
)

CASES: tuple[Case, ...] = (AMAZON, NORDIC, SWISS, RESELLER, FREELANCE, ERP_PO, PACKING_SLIP, DUTCH)
