"""Charge lines: never assets, raised when the PO does not carry them, unless
the vendor's allowance (absolute, percent of the items, or both) covers them."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from matching import Document, Kind, Line, MatchingSettings, asset_candidates, reconcile
from matching.charges import is_charge

LAPTOP = Line(1, "Dell Latitude 5440 laptop", Decimal(2), "210-BDZX", Decimal("1000.00"))


@pytest.mark.parametrize(
    ("description", "charge"),
    [
        ("Freight (international, DAP Berlin)", True),
        ("Shipping & handling", True),
        ("Carriage - next working day", True),
        ("WEEE recycling fee", True),
        ("Versandkosten (Paket)", True),
        ("Frais de port", True),
        ("Éco-participation D3E", True),
        ("Discount 5 %", True),
        ("Dell Latitude 5440 laptop", False),
        ("Thunderbolt 4 dock, 1 port HDMI", False),
        ("USB-C GaN power supply 65W, 2 ports", False),
    ],
)
def test_is_charge(description: str, charge: bool) -> None:
    assert is_charge(Line(1, description, Decimal(1))) is charge


def run(freight: str, settings: MatchingSettings) -> list[str]:
    po = Document("po", Kind.PO, 1, "PO-1", vendor="ACME GmbH", lines=(LAPTOP,))
    receipt = Document("grn", Kind.RECEIPT, 2, "GRN-1", vendor="ACME GmbH", po_number="PO-1",
                       date=date(2026, 10, 1), lines=(LAPTOP,))  # fmt: skip
    lines = (LAPTOP, Line(2, "Freight, express", Decimal(1), None, Decimal(freight)))
    invoice = Document("inv", Kind.INVOICE, 3, "INV-1", vendor="ACME GmbH", po_number="PO-1",
                       date=date(2026, 10, 2), lines=lines)  # fmt: skip
    result = reconcile([invoice], [po], [receipt], settings)
    return [d.type.value for d in result.discrepancies]


@pytest.mark.parametrize(
    ("freight", "overrides", "raised"),
    [
        ("40.00", {}, True),  # no allowance: raised by default
        ("40.00", {"charges_allowance": "50"}, False),
        ("60.00", {"charges_allowance": "50"}, True),
        ("40.00", {"charges_allowance_pct": "2"}, False),  # 2 % of 2,000.00 = 40.00
        ("40.01", {"charges_allowance_pct": "2"}, True),
        # both set: the smaller limit applies
        ("45.00", {"charges_allowance": "50", "charges_allowance_pct": "2"}, True),
    ],
)
def test_allowance(freight: str, overrides: dict[str, str], raised: bool) -> None:
    settings = MatchingSettings(**overrides)  # type: ignore[arg-type]
    assert ("unmatched_line" in run(freight, settings)) is raised


def test_allowance_is_per_vendor() -> None:
    own = MatchingSettings(vendors={"ACME GmbH": {"charges_allowance": "50"}})
    other = MatchingSettings(vendors={"Brightline": {"charges_allowance": "50"}})
    assert "unmatched_line" not in run("40.00", own)
    assert "unmatched_line" in run("40.00", other)


def test_a_charge_on_the_po_is_matched_but_never_an_asset() -> None:
    """Freight above the capitalisation threshold, ordered and received, is
    matched like any line and still registers no asset."""
    freight = Line(2, "Freight (international, DAP Berlin)", Decimal(1), None, Decimal("185.00"))
    po = Document("po", Kind.PO, 1, "PO-1", vendor="ACME GmbH", lines=(LAPTOP, freight))
    receipt = Document("grn", Kind.RECEIPT, 2, "GRN-1", vendor="ACME GmbH", po_number="PO-1",
                       date=date(2026, 10, 1), lines=(LAPTOP, freight))  # fmt: skip
    invoice = Document("inv", Kind.INVOICE, 3, "INV-1", vendor="ACME GmbH", po_number="PO-1",
                       date=date(2026, 10, 2), lines=(LAPTOP, freight))  # fmt: skip
    settings = MatchingSettings()
    result = reconcile([invoice], [po], [receipt], settings)
    assert result.discrepancies == ()
    assert len(result.matches) == 2
    assets = asset_candidates([invoice], result, {}, settings)
    assert {a.invoice_line for a in assets} == {1}
