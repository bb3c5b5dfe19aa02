"""The layout logic reads plain Word boxes, as an OCR engine would give them.

No PDF is involved: the words are placed by hand with the jitter OCR boxes
have (uneven heights, baselines off by a point), so the later OCR extractor
can reuse :func:`extractors.document.analyse` unchanged.
"""

from __future__ import annotations

import ast
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from extractors.document import analyse
from extractors.layout import PageSize, build_lines
from extractors.settings import ExtractionSettings
from extractors.types import Box, DocumentKind, Word

SETTINGS = ExtractionSettings()


def place(
    text: str, x: float, top: float, *, size: float = 10, page: int = 1, jitter: float = 0.0
) -> list[Word]:
    """Words of ``text`` laid out left to right with a 0.55 em average glyph width."""
    out = []
    for word in text.split():
        width = 0.55 * size * len(word)
        h = size * (1.0 + (0.15 if any(c in "gjpqy" for c in word) else 0.0))
        out.append(Word(word, Box(page, x, top + jitter, x + width, top + h + jitter), 0.9))
        x += width + 0.3 * size
        jitter = -jitter
    return out


def right(text: str, x1: float, top: float, **kw: float) -> list[Word]:
    width = 0.55 * kw.get("size", 10) * len(text) + 0.3 * kw.get("size", 10) * text.count(" ")
    return place(text, x1 - width, top, **kw)  # type: ignore[arg-type]


def ocr_invoice() -> list[Word]:
    w: list[Word] = []
    w += place("Kestrel Software B.V.", 40, 30, size=18)
    w += right("INVOICE", 560, 30, size=20)
    w += place("Invoice Number", 40, 90, size=8)
    w += place("Date", 200, 90, size=8)
    w += place("Order ref", 330, 90, size=8)
    w += place("KS-2026-000318", 40, 102, jitter=0.8)
    w += place("2 Oct 2026", 200, 102, jitter=0.8)
    w += place("PO-2026-0147", 330, 102, jitter=0.8)
    w += place("Sold to:", 40, 140, size=9)
    w += place("Northwind Analytics GmbH", 40, 153, size=9)
    w += place("Description", 40, 200, size=9)
    w += right("Qty", 360, 200, size=9)
    w += right("Price", 450, 200, size=9)
    w += right("Total", 560, 200, size=9)
    rows = [
        ("Microsoft 365 Business Premium", "40", "€ 226.80", "€ 9,072.00"),
        ("Adobe Acrobat Pro", "10", "€ 239.88", "€ 2,398.80"),
    ]
    top = 218.0
    for desc, qty, price, total in rows:
        w += place(desc, 40, top, size=9, jitter=0.6)
        w += right(qty, 360, top + 0.5, size=9)
        w += right(price, 450, top - 0.4, size=9)
        w += right(total, 560, top, size=9)
        top += 16
    w += place("(annual subscriptions)", 40, top - 4, size=9)
    w += place("Subtotal", 380, top + 20)
    w += right("€ 11,470.80", 560, top + 20)
    w += place("VAT 21%", 380, top + 34)
    w += right("€ 2,408.87", 560, top + 34)
    w += place("Balance due", 380, top + 48)
    w += right("€ 13,879.67", 560, top + 48)
    return w


def test_analyse_reads_ocr_like_words() -> None:
    doc = analyse(
        ocr_invoice(),
        extractor="ocr-test",
        page_count=1,
        settings=SETTINGS,
        pages={1: PageSize(595, 842)},
    )
    assert doc.kind is DocumentKind.INVOICE
    values = {k: (f.value if f else None) for k, f in doc.header_fields().items()}
    assert values == {
        "number": "KS-2026-000318",
        "date": date(2026, 10, 2),
        "vendor": "Kestrel Software B.V.",
        "po_number": "PO-2026-0147",
        "currency": "EUR",
        "subtotal": Decimal("11470.80"),
        "tax": Decimal("2408.87"),
        "total": Decimal("13879.67"),
    }
    rows = [(ln.description, ln.quantity, ln.unit_price, ln.amount) for ln in doc.lines]
    assert rows == [
        ("Microsoft 365 Business Premium", Decimal(40), Decimal("226.80"), Decimal("9072.00")),
        (
            "Adobe Acrobat Pro (annual subscriptions)",
            Decimal(10),
            Decimal("239.88"),
            Decimal("2398.80"),
        ),
    ]


def test_lines_keep_a_big_title_apart_from_small_lines_beside_it() -> None:
    words = [
        *place("INVOICE", 300, 40, size=24),
        *place("Acme Ltd", 40, 40, size=9),
        *place("1 High Street", 40, 52, size=9),
    ]
    lines = build_lines(words, same_line_tolerance=0.35, phrase_gap=0.6)
    texts = [ln.text for ln in lines]
    assert len(lines) == 2  # the title shares a baseline with one of them at most
    assert not any("Acme" in t and "High" in t for t in texts)


LAYOUT_MODULES = ["layout", "fields", "table", "parsing", "labels", "document"]


@pytest.mark.parametrize("module", LAYOUT_MODULES)
def test_layout_logic_imports_no_pdf_library(module: str) -> None:
    source = (Path(__file__).resolve().parents[2] / "extractors" / f"{module}.py").read_text()
    imported: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            imported.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module.split(".")[0])
    assert not imported & {"pdfplumber", "pypdfium2", "pdfminer", "pytesseract", "reportlab"}
