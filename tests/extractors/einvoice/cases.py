"""Invented e-invoices for the tests: ground-truth dicts and the page a PDF shows.

The XML itself comes from ``data/samples/einvoices.py`` (the same builders
the sample generator uses); the tests assert that recon reads back exactly
the dict a document was built from.
"""

from __future__ import annotations

import copy
import io
from decimal import Decimal
from typing import Any

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from extractors.types import ExtractedLine

INVOICE: dict[str, Any] = {
    "kind": "invoice",
    "source": "BRS-2026-4471.xml",
    "vendor": "Brightline Systems GmbH",
    "number": "BRS-2026-4471",
    "date": "2026-10-14",
    "po_number": "PO-2026-0141",
    "currency": "EUR",
    "subtotal": "8337.00",
    "tax": "1584.03",
    "total": "9921.03",
    "tax_rate": "19",
    "lines": [
        {
            "line_no": 1,
            "sku": "210-BFZW",
            "description": "Dell Latitude 5440 14in laptop",
            "quantity": "8",
            "unit_price": "1019.00",
            "amount": "8152.00",
            "order_line_id": "1",
        },
        {
            # Priced per 1000 pieces (BasisQuantity), identified only by GTIN.
            "line_no": 2,
            "sku": None,
            "gtin": "4012345000009",
            "description": "M3 x 6 mm cable-tray screws",
            "quantity": "2000",
            "unit_price": "0.0125",
            "price_basis": "1000",
            "amount": "25.00",
        },
        {
            # Item name and item description as two elements.
            "line_no": 3,
            "sku": "890-BBRT",
            "name": "Dell ProSupport",
            "item_description": "3-year warranty extension (Latitude 5440)",
            "description": "Dell ProSupport 3-year warranty extension (Latitude 5440)",
            "quantity": "1",
            "unit_price": "160.00",
            "amount": "160.00",
        },
    ],
}


def invoice(**changes: Any) -> dict[str, Any]:
    """A deep copy of INVOICE with top-level keys replaced."""
    doc = copy.deepcopy(INVOICE)
    doc.update(changes)
    return doc


def expected_lines(doc: dict[str, Any]) -> tuple[ExtractedLine, ...]:
    """The lines an exact reading of ``doc`` gives."""
    return tuple(
        ExtractedLine(
            line_no=line["line_no"],
            description=line["description"],
            quantity=Decimal(line["quantity"]),
            sku=line["sku"] or line.get("gtin"),
            unit_price=Decimal(line["unit_price"]),
            amount=Decimal(line["amount"]),
        )
        for line in doc["lines"]
    )


def page_pdf(doc: dict[str, Any]) -> bytes:
    """The human-readable page of ``doc`` (reportlab, invariant: same bytes each time)."""
    buffer = io.BytesIO()
    c = canvas.Canvas(buffer, pagesize=A4, invariant=1)
    height = A4[1]
    c.setFont("Helvetica-Bold", 16)
    c.drawString(50, height - 60, doc["vendor"])
    c.setFont("Helvetica", 10)
    c.drawString(50, height - 100, f"Invoice No. {doc['number']}")
    c.drawString(50, height - 115, f"Invoice date {doc['date']}")
    c.drawString(50, height - 130, f"Your order {doc['po_number']}")
    top = height - 180
    for i, line in enumerate(doc["lines"]):
        y = top - 16 * i
        c.drawString(50, y, line["sku"] or "")
        c.drawString(130, y, line["description"])
        c.drawRightString(420, y, line["quantity"])
        c.drawRightString(480, y, line["unit_price"])
        c.drawRightString(545, y, line["amount"])
    y = top - 16 * len(doc["lines"]) - 20
    for label, key in (("Subtotal", "subtotal"), ("VAT", "tax"), ("Total", "total")):
        c.drawString(400, y, label)
        c.drawRightString(545, y, f"{doc['currency']} {doc[key]}")
        y -= 16
    c.showPage()
    c.save()
    return buffer.getvalue()
