"""Invented test documents drawn with reportlab.

Each builder draws one layout family that real vendors use (letterhead and
right-hand block, label-above-value boxes, footer-only legal name, ...). The
vendors and numbers are made up; the tests assert exact extracted values.
Coordinates here are points from the top-left, like the extracted boxes.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field

from reportlab.lib.pagesizes import A4, LETTER
from reportlab.pdfgen import canvas


@dataclass
class Page:
    """Drawing operations for one page, top-left coordinates."""

    ops: list[tuple[str, tuple[object, ...]]] = field(default_factory=list)

    def text(
        self,
        x: float,
        top: float,
        text: str,
        *,
        size: float = 10,
        bold: bool = False,
        align: str = "left",
    ) -> None:
        self.ops.append(("text", (x, top, text, size, bold, align)))

    def rule(self, x0: float, top: float, x1: float) -> None:
        self.ops.append(("rule", (x0, top, x1)))

    def rect(self, x: float, top: float, w: float, h: float) -> None:
        self.ops.append(("rect", (x, top, w, h)))

    def lines(
        self, x: float, top: float, texts: Sequence[str], *, size: float = 10, leading: float = 13
    ) -> None:
        for i, t in enumerate(texts):
            self.text(x, top + i * leading, t, size=size)

    def table(
        self,
        top: float,
        columns: Sequence[tuple[float, str]],
        rows: Sequence[Sequence[str]],
        *,
        size: float = 9,
        leading: float = 14,
        ruled: bool = False,
        x_range: tuple[float, float] = (50, 545),
        bold_header: bool = True,
    ) -> float:
        """Draw rows (the first is the header) at column anchors; return the next top.

        ``columns`` are (x, align): text starts at x for "left" and ends at x for
        "right". A row cell of "" is skipped; a row of one string in a list
        starting with None-like "" cells is a wrapped description line.
        """
        y = top
        for r, row in enumerate(rows):
            for (x, align), cell in zip(columns, row, strict=False):
                if cell:
                    self.text(x, y, cell, size=size, bold=bold_header and r == 0, align=align)
            if ruled:
                self.rule(x_range[0], y + size + 3, x_range[1])
            y += leading
        return y


@dataclass
class Doc:
    pages: list[Page] = field(default_factory=list)
    pagesize: tuple[float, float] = A4

    def page(self) -> Page:
        p = Page()
        self.pages.append(p)
        return p

    def build(self, *, encrypt: str | None = None) -> bytes:
        buf = io.BytesIO()
        kwargs: dict[str, object] = {"pagesize": self.pagesize}
        if encrypt is not None:
            from reportlab.lib import pdfencrypt

            kwargs["encrypt"] = pdfencrypt.StandardEncryption(encrypt, ownerPassword="owner")
        c = canvas.Canvas(buf, **kwargs)
        height = self.pagesize[1]
        for page in self.pages:
            for op, args in page.ops:
                if op == "text":
                    x, top, text, size, bold, align = args
                    font = "Helvetica-Bold" if bold else "Helvetica"
                    c.setFont(font, float(size))  # type: ignore[arg-type]
                    baseline = height - float(top) - float(size) * 0.8  # type: ignore[arg-type]
                    if align == "right":
                        c.drawRightString(float(x), baseline, str(text))  # type: ignore[arg-type]
                    else:
                        c.drawString(float(x), baseline, str(text))  # type: ignore[arg-type]
                elif op == "rule":
                    x0, top, x1 = args
                    c.line(float(x0), height - float(top), float(x1), height - float(top))  # type: ignore[arg-type]
                elif op == "rect":
                    x, top, w, h = args
                    c.rect(float(x), height - float(top) - float(h), float(w), float(h), fill=1)  # type: ignore[arg-type]
            c.showPage()
        c.save()
        return buf.getvalue()


# ---------------------------------------------------------------------------
# Layout families


def letterhead_invoice() -> bytes:
    """UK style: big letterhead, INVOICE title, right-hand label/value block,
    Bill-To block, ruled table with a wrapped description, GBP amounts."""
    doc = Doc()
    p = doc.page()
    p.text(50, 40, "Northwind Traders Ltd", size=18, bold=True)
    p.lines(50, 64, ["12 Harbour Road", "Bristol BS1 4QA", "United Kingdom"], size=9, leading=11)
    p.text(545, 40, "INVOICE", size=22, bold=True, align="right")
    block = [
        ("Invoice No.:", "INV-2026-0042"),
        ("Invoice Date:", "14/10/2026"),
        ("Due Date:", "13/11/2026"),
        ("PO Number:", "PO-7781"),
        ("Customer No.:", "C-1009"),
    ]
    for i, (label, value) in enumerate(block):
        p.text(360, 110 + i * 14, label, size=9)
        p.text(545, 110 + i * 14, value, size=9, align="right")
    p.text(50, 130, "Bill To:", size=9, bold=True)
    p.lines(
        50,
        144,
        ["Contoso Manufacturing plc", "Attn: Accounts Payable", "1 Mill Lane", "Leeds LS1 1AA"],
        size=9,
        leading=11,
    )
    cols = [(55, "left"), (80, "left"), (360, "right"), (450, "right"), (540, "right")]
    rows = [
        ["Pos", "Description", "Qty", "Unit Price", "Amount"],
        ["1", "Ergonomic office chair, black mesh", "4", "£189.00", "£756.00"],
        ["2", "Height-adjustable standing desk with", "2", "£420.50", "£841.00"],
        ["", "cable tray and memory handset", "", "", ""],
        ["3", "Monitor arm, dual", "3", "£64.99", "£194.97"],
        ["4", "Delivery and installation", "1", "£95.00", "£95.00"],
    ]
    y = p.table(230, cols, rows, ruled=True)
    totals = [("Subtotal", "£1,886.97"), ("VAT 20%", "£377.39"), ("Total", "£2,264.36")]
    for i, (label, value) in enumerate(totals):
        p.text(380, y + 20 + i * 15, label, size=10, bold=label == "Total")
        p.text(540, y + 20 + i * 15, value, size=10, bold=label == "Total", align="right")
    p.text(50, 760, "Payment terms: 30 days net. Please quote the invoice number.", size=8)
    p.text(
        50,
        790,
        "Northwind Traders Ltd · Registered in England No. 04512345 · VAT Reg. No. GB 123 4567 89",
        size=7,
    )
    return doc.build()


def boxed_us_invoice() -> bytes:
    """US style: labels above values in a row of boxes, From/Bill To/Ship To blocks,
    unruled table with SKU first and "Rate"/"Line Total" headings, m/d/y dates."""
    doc = Doc(pagesize=LETTER)
    p = doc.page()
    p.text(40, 40, "Invoice", size=26, bold=True)
    p.text(40, 90, "From", size=8, bold=True)
    p.lines(
        40,
        102,
        ["Fabrikam Components LLC", "400 Industrial Pkwy", "Dayton, OH 45402"],
        size=9,
        leading=11,
    )
    p.text(230, 90, "Bill To", size=8, bold=True)
    p.lines(
        230,
        102,
        ["Contoso Manufacturing Inc.", "77 Lake Street", "Chicago, IL 60601"],
        size=9,
        leading=11,
    )
    p.text(420, 90, "Ship To", size=8, bold=True)
    p.lines(420, 102, ["Contoso Warehouse 3", "9 Dock Road", "Gary, IN 46402"], size=9, leading=11)
    heads = ["Invoice #", "Invoice Date", "Customer PO", "Due Date", "Terms"]
    vals = ["10427", "10/04/2026", "4500012345", "11/03/2026", "Net 30"]
    for i, (h, v) in enumerate(zip(heads, vals, strict=True)):
        x = 40 + i * 110
        p.text(x, 160, h, size=8, bold=True)
        p.text(x, 174, v, size=10)
    cols = [(40, "left"), (130, "left"), (400, "right"), (480, "right"), (570, "right")]
    rows = [
        ["Item Code", "Description", "Quantity", "Rate", "Line Total"],
        ["FC-1002", "Hex bolt M8 x 40, zinc plated (box of 100)", "12", "$18.40", "$220.80"],
        ["FC-2210", "Lock nut M8", "1,200", "$0.12", "$144.00"],
        ["FC-0007", "Custom bracket, laser cut, per drawing", "250", "$4.75", "$1,187.50"],
        ["", "DWG-5512 rev C", "", "", ""],
        ["FRT", "Freight", "1", "$85.00", "$85.00"],
    ]
    y = p.table(215, cols, rows, leading=16)
    for i, (label, value) in enumerate(
        [("Subtotal", "$1,637.30"), ("Sales Tax (7.5%)", "$122.80"), ("Amount Due", "$1,760.10")]
    ):
        p.text(400, y + 20 + i * 16, label, size=10)
        p.text(570, y + 20 + i * 16, value, size=10, align="right")
    p.text(40, 700, "Thank you for your business!", size=9)
    return doc.build()


def continental_two_page_invoice() -> bytes:
    """Comma decimals with EUR after the amount, vendor only in the footer, a
    prose "Your order", a table continued on a second page under a repeated
    header with page footers and a "continued" note."""
    doc = Doc()
    footer = "Alpenblick Büromöbel GmbH | Seestraße 4 | 80331 München | USt-IdNr. DE123456789"
    p1 = doc.page()
    p1.text(50, 50, "INVOICE", size=20, bold=True)
    p1.lines(
        50,
        100,
        ["Bill to", "Fabrikam Europe B.V.", "Keizersgracht 10", "1015 CN Amsterdam"],
        size=9,
        leading=12,
    )
    for i, (label, value) in enumerate(
        [
            ("Inv. No", "2026/10/118"),
            ("Issue date", "14 October 2026"),
            ("Your order", "per e-mail from J. Smith"),
            ("Currency", "EUR"),
        ]
    ):
        p1.text(330, 100 + i * 13, label, size=9)
        p1.text(420, 100 + i * 13, value, size=9)
    cols = [(50, "left"), (120, "left"), (380, "right"), (460, "right"), (545, "right")]
    header = ["Art.-Nr.", "Article", "Quantity", "Price", "Total"]
    items = [
        ["AB-100", "Desk lamp LED", "10", "39,90 €", "399,00 €"],
        ["AB-220", "Office chair Comfort Plus", "6", "249,00 €", "1.494,00 €"],
        ["AB-310", "Conference table 240 x 120 cm, oak", "1", "1.180,00 €", "1.180,00 €"],
        ["", "veneer, with cable management", "", "", ""],
        ["AB-400", "Whiteboard 180 x 90", "2", "129,50 €", "259,00 €"],
        ["AB-401", "Whiteboard markers, set of 4", "12", "6,20 €", "74,40 €"],
        ["AB-512", "Filing cabinet, 4 drawers", "3", "310,00 €", "930,00 €"],
        ["AB-600", "Acoustic panel 120 x 60", "8", "88,75 €", "710,00 €"],
    ]
    y = p1.table(200, cols, [header, *items[:5]], ruled=False)
    p1.text(545, y + 10, "Continued on next page", size=8, align="right")
    p1.text(297, 780, "Page 1 of 2", size=8, align="center")
    p1.text(50, 800, footer, size=7)
    p2 = doc.page()
    p2.text(50, 50, "Invoice 2026/10/118 (continued)", size=9)
    y = p2.table(90, cols, [header, *items[5:]], ruled=False)
    for i, (label, value) in enumerate(
        [("Net amount", "5.046,40 €"), ("VAT 19%", "958,82 €"), ("Grand total", "6.005,22 €")]
    ):
        p2.text(330, y + 20 + i * 15, label, size=10)
        p2.text(545, y + 20 + i * 15, value, size=10, align="right")
    p2.text(297, 780, "Page 2 of 2", size=8, align="center")
    p2.text(50, 800, footer, size=7)
    return doc.build()


def purchase_order() -> bytes:
    """A buyer's PO: buyer letterhead, "Supplier" block, a two-line table header,
    ISO-coded amounts and a month-name date."""
    doc = Doc(pagesize=LETTER)
    p = doc.page()
    p.text(40, 40, "Contoso Manufacturing Inc.", size=16, bold=True)
    p.text(570, 40, "PURCHASE ORDER", size=18, bold=True, align="right")
    for i, (label, value) in enumerate(
        [
            ("PO Number:", "4500012345"),
            ("Order Date:", "Oct 4, 2026"),
            ("Requested Delivery:", "Oct 20, 2026"),
        ]
    ):
        p.text(370, 80 + i * 14, label, size=9)
        p.text(570, 80 + i * 14, value, size=9, align="right")
    p.text(40, 140, "Supplier:", size=9, bold=True)
    p.lines(
        40,
        153,
        ["Fabrikam Components LLC", "400 Industrial Pkwy", "Dayton, OH 45402"],
        size=9,
        leading=11,
    )
    p.text(300, 140, "Ship To:", size=9, bold=True)
    p.lines(300, 153, ["Contoso Warehouse 3", "9 Dock Road", "Gary, IN 46402"], size=9, leading=11)
    cols = [
        (40, "left"),
        (75, "left"),
        (160, "left"),
        (400, "right"),
        (420, "left"),
        (500, "right"),
        (570, "right"),
    ]
    y = p.table(
        220,
        cols,
        [
            ["Line", "Part No.", "Description", "Qty", "Unit", "Unit", "Extended"],
            ["", "", "", "", "", "Price", "Price"],
            [
                "1",
                "FC-1002",
                "Hex bolt M8 x 40, zinc plated",
                "12",
                "box",
                "USD 18.40",
                "USD 220.80",
            ],
            ["2", "FC-2210", "Lock nut M8", "1,200", "ea", "USD 0.12", "USD 144.00"],
            [
                "3",
                "FC-0007",
                "Custom bracket per DWG-5512",
                "250",
                "ea",
                "USD 4.75",
                "USD 1,187.50",
            ],
        ],
        leading=13,
        ruled=True,
        x_range=(40, 572),
    )
    for i, (label, value) in enumerate(
        [("Subtotal", "USD 1,552.30"), ("Sales tax", "USD 116.42"), ("Total", "USD 1,668.72")]
    ):
        p.text(420, y + 20 + i * 15, label, size=10)
        p.text(570, y + 20 + i * 15, value, size=10, align="right")
    p.text(40, 700, "Authorised by: ______________________", size=9)
    return doc.build()


def goods_receipt() -> bytes:
    """A goods receipt note: vendor under "Vendor", ordered and received
    quantities, no prices."""
    doc = Doc()
    p = doc.page()
    p.text(50, 40, "Contoso Manufacturing plc", size=12)
    p.text(50, 70, "GOODS RECEIPT NOTE", size=18, bold=True)
    for i, (label, value) in enumerate(
        [
            ("GRN No.:", "GRN-2026-0107"),
            ("Received on:", "2026-10-16"),
            ("Purchase Order:", "PO-7781"),
            ("Vendor:", "Northwind Traders Ltd"),
            ("Delivery note:", "DN 55120"),
        ]
    ):
        p.text(50, 110 + i * 14, label, size=9)
        p.text(150, 110 + i * 14, value, size=9)
    cols = [(50, "left"), (80, "left"), (160, "left"), (440, "right"), (530, "right")]
    y = p.table(
        210,
        cols,
        [
            ["#", "SKU", "Description", "Ordered", "Received"],
            ["1", "NT-CH-01", "Ergonomic office chair, black mesh", "4", "4"],
            ["2", "NT-DK-02", "Height-adjustable standing desk", "2", "1"],
            ["3", "NT-MA-03", "Monitor arm, dual", "3", "3"],
        ],
        ruled=True,
    )
    p.text(50, y + 40, "Received by: M. Jones        Condition: good", size=9)
    return doc.build()


# ---------------------------------------------------------------------------
# Broken and hostile inputs


def pages_with_text(count: int) -> bytes:
    doc = Doc()
    for n in range(count):
        page = doc.page()
        page.text(50, 50, "INVOICE", size=16)
        page.text(50, 80, f"Invoice No.: INV-{n + 1:04d}   Page {n + 1} of {count}", size=10)
    return doc.build()


def image_only_pdf() -> bytes:
    """A "scan": shapes on the page, no text layer."""
    doc = Doc()
    p = doc.page()
    for i in range(20):
        p.rect(50, 50 + i * 30, 400, 12)
    return doc.build()


def encrypted_pdf() -> bytes:
    doc = Doc()
    doc.page().text(50, 50, "INVOICE", size=20)
    return doc.build(encrypt="secret")


def zero_page_pdf() -> bytes:
    """A syntactically valid PDF whose page tree is empty (hand-written)."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>"]
    out = b"%PDF-1.4\n"
    offsets = []
    for i, obj in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n".encode() + obj + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for off in offsets:
        out += f"{off:010d} 00000 n \n".encode()
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n"
    ).encode()
    return out


def png_bytes() -> bytes:
    """A real 1x1 PNG."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    ihdr = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00\xff\x00\x00")
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def inline_labels_services_invoice() -> bytes:
    """Labels and values in one string ("Invoice #: 7731"), a services table with
    Hours and Rate, a table continued on page 2 without a repeated header, and
    the issuer named under "Remit to" at the bottom."""
    doc = Doc(pagesize=LETTER)
    p1 = doc.page()
    p1.text(40, 40, "Billing Statement / Invoice", size=16, bold=True)
    p1.text(40, 70, "Invoice #: 7731    Date: Oct 14, 2026    Terms: Net 15", size=10)
    p1.text(40, 84, "Customer: Globex Corporation    PO: 88-1204", size=10)
    cols = [(40, "left"), (400, "right"), (480, "right"), (570, "right")]
    header = ["Service", "Hours", "Rate", "Amount"]
    rows = [
        ["Network assessment, on site", "6.5", "150.00", "975.00"],
        ["Firewall configuration and", "4", "150.00", "600.00"],
        ["rule review", "", "", ""],
        ["Remote support (October)", "12.25", "95.00", "1,163.75"],
    ]
    p1.table(130, cols, [header, *rows])
    p1.text(570, 740, "Page 1/2", size=8, align="right")
    p2 = doc.page()
    p2.table(60, cols, [["Travel (mileage)", "1", "84.00", "84.00"]])
    p2.text(400, 110, "Subtotal:", size=10)
    p2.text(570, 110, "2,822.75", size=10, align="right")
    p2.text(400, 124, "Tax (0%):", size=10)
    p2.text(570, 124, "0.00", size=10, align="right")
    p2.text(400, 138, "TOTAL DUE:  $2,822.75", size=11, bold=True)
    p2.text(40, 200, "Remit to:", size=9, bold=True)
    p2.lines(40, 212, ["Initech Consulting LLC", "PO Box 4411", "Austin, TX 78701"], size=9)
    p2.text(570, 740, "Page 2/2", size=8, align="right")
    return doc.build()
