"""Units of measure: lines billed in packs against lines ordered in pieces.

The count a description states for one unit ("box of 100", "10-pack",
"Packung mit 100", "boîte de 100", "dozen") converts a line to the PO line's
units before quantities and prices are compared; words and fixed counts are
settings, so a deployment adds its own.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from matching import DiscrepancyType, Document, Kind, Line, MatchingSettings, reconcile
from matching.units import pack_size

SETTINGS = MatchingSettings()


@pytest.mark.parametrize(
    ("description", "size"),
    [
        ("Cable ties 200mm, box of 100", 100),
        ("Pack of 5 HDMI cables", 5),
        ("USB sticks 32GB 10-pack", 10),
        ("USB sticks 32GB 10 pack", 10),
        ("Ethernet patch cable 10 pcs/box", 10),
        ("Kabelbinder 200mm, Packung mit 100", 100),
        ("10er-Packung Druckerpapier A4", 10),
        ("Attaches câbles, boîte de 100", 100),
        ("Lot de 3 souris sans fil", 3),
        ("AA batteries, dozen", 12),
        # numbers that are not pack counts
        ("Dell Latitude 5440 laptop", 1),
        ("iPhone 15 case", 1),
        ("USB-C hub 7-in-1", 1),
        ("USB-C GaN power supply 65W, 2 ports", 1),
        ("Ubiquiti UniFi Pro 24 PoE switch", 1),
        ("Cable ties, box", 1),
    ],
)
def test_pack_size(description: str, size: int) -> None:
    assert pack_size(description, SETTINGS) == size


def test_fixed_counts_are_settings() -> None:
    settings = MatchingSettings(unit_factors={"gross": Decimal(144)})
    assert pack_size("Screws M4, 1 gross", settings) == 144
    assert pack_size("AA batteries, dozen", settings) == 1  # replaced, not added to


PO_LINE = Line(1, "Cable ties 200mm black", Decimal(200), unit_price=Decimal("0.25"))


def run(
    billed: Line, received: Decimal = Decimal(200)
) -> tuple[list[tuple[str, str | None, str | None]], str]:
    po = Document("po", Kind.PO, 1, "PO-1", vendor="ACME GmbH", lines=(PO_LINE,))
    receipt = Document(
        "grn", Kind.RECEIPT, 2, "GRN-1", vendor="ACME GmbH", po_number="PO-1",
        date=date(2026, 10, 1), lines=(Line(1, "Cable ties 200mm", received),),
    )  # fmt: skip
    invoice = Document(
        "inv", Kind.INVOICE, 3, "INV-1", vendor="ACME GmbH", po_number="PO-1",
        date=date(2026, 10, 2), lines=(billed,),
    )  # fmt: skip
    result = reconcile([invoice], [po], [receipt], SETTINGS)
    found = [(d.type.value, d.expected, d.actual) for d in result.discrepancies]
    return found, result.matches[0].reason


def test_two_boxes_of_100_are_the_200_pieces_ordered() -> None:
    found, reason = run(Line(1, "Cable ties 200mm, box of 100", Decimal(2), None, Decimal("25.00")))
    assert found == []
    assert "billed 2 at 100 of the PO's units each, counted as 200" in reason


def test_three_boxes_of_100_are_over_the_200_ordered() -> None:
    found, _ = run(Line(1, "Cable ties 200mm, box of 100", Decimal(3), None, Decimal("25.00")))
    assert ("quantity_variance", "200", "300") in found


def test_a_box_price_is_compared_per_piece() -> None:
    """30.00 a box of 100 is 0.30 a piece: 20 % over the PO's 0.25."""
    found, _ = run(Line(1, "Cable ties 200mm, box of 100", Decimal(2), None, Decimal("30.00")))
    assert [f[0] for f in found] == [DiscrepancyType.PRICE_VARIANCE.value]
    assert found[0][1:] == ("0.25", "0.30")


def test_a_receipt_counted_in_boxes_is_restated_too() -> None:
    po = Document("po", Kind.PO, 1, "PO-1", vendor="ACME GmbH", lines=(PO_LINE,))
    receipt = Document(
        "grn", Kind.RECEIPT, 2, "GRN-1", vendor="ACME GmbH", po_number="PO-1",
        date=date(2026, 10, 1), lines=(Line(1, "Cable ties 200mm, box of 100", Decimal(1)),),
    )  # fmt: skip
    invoice = Document(
        "inv", Kind.INVOICE, 3, "INV-1", vendor="ACME GmbH", po_number="PO-1",
        date=date(2026, 10, 2),
        lines=(Line(1, "Cable ties 200mm black", Decimal(200), None, Decimal("0.25")),),
    )  # fmt: skip
    result = reconcile([invoice], [po], [receipt], SETTINGS)
    # one box (100 pieces) arrived, 200 pieces billed: 100 not received
    assert [(d.type.value, d.expected, d.actual) for d in result.discrepancies] == [
        ("not_received", "100", "200")
    ]
