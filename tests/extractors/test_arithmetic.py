"""OCR'd items checked against their own arithmetic (quantity x price = amount).

A misread digit is mended only where two independent checks agree on it
(the line's product and the printed subtotal); anything else is left as read
with a note for the reviewer.
"""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from extractors.document import _check_arithmetic
from extractors.types import DocumentKind, ExtractedDocument, ExtractedLine, Field


def doc(lines: list[tuple[str, str, str]], subtotal: str | None) -> ExtractedDocument:
    return ExtractedDocument(
        kind=DocumentKind.INVOICE,
        extractor="ocr",
        page_count=1,
        subtotal=None if subtotal is None else Field(D(subtotal), subtotal, 0.9),
        lines=tuple(
            ExtractedLine(i, f"item {i}", D(q), unit_price=D(p), amount=D(a), confidence=0.9)
            for i, (q, p, a) in enumerate(lines, 1)
        ),
    )


def figures(d: ExtractedDocument) -> list[tuple[D, D | None, D | None]]:
    return [(ln.quantity, ln.unit_price, ln.amount) for ln in d.lines]


def test_consistent_items_are_left_alone() -> None:
    d = doc([("15", "39.90", "598.50"), ("1", "12.50", "12.50")], "611.00")
    assert _check_arithmetic(d) is d


def test_misread_amount_is_mended_when_the_subtotal_agrees() -> None:
    d = _check_arithmetic(doc([("15", "39.90", "598.80"), ("1", "12.50", "12.50")], "611.00"))
    assert figures(d)[0] == (D(15), D("39.90"), D("598.50"))
    assert d.lines[0].confidence <= 0.6
    assert any("amount read as 598.80, corrected to 598.50" in n for n in d.notes)


def test_misread_quantity_is_mended_when_amount_and_subtotal_agree() -> None:
    """The quantity column was lost ("Oty"): every quantity read as 1."""
    d = _check_arithmetic(doc([("1", "189.00", "378.00"), ("1", "12.50", "12.50")], "390.50"))
    assert figures(d)[0] == (D(2), D("189.00"), D("378.00"))
    assert any("quantity read as 1, corrected to 2" in n for n in d.notes)


@pytest.mark.parametrize(
    ("lines", "subtotal"),
    [
        # no subtotal to confirm anything
        ([("15", "39.90", "598.80")], None),
        # two lines wrong: mending either alone does not add up
        ([("15", "39.90", "598.80"), ("2", "10.00", "25.00")], "618.50"),
        # a discount column recon did not see: the unit price is not "mended"
        ([("2", "100.00", "180.00")], "180.00"),
    ],
)
def test_what_cannot_be_settled_is_noted_not_changed(
    lines: list[tuple[str, str, str]], subtotal: str | None
) -> None:
    before = doc(lines, subtotal)
    after = _check_arithmetic(before)
    assert figures(after) == figures(before)
    assert any(n.startswith("low_confidence: line 1") for n in after.notes)
