"""MatchingSettings: environment, validation, immutability."""

from __future__ import annotations

from decimal import Decimal

import pytest
from pydantic import ValidationError

from matching import MatchingSettings


def test_defaults() -> None:
    settings = MatchingSettings()

    assert settings.price_tolerance_pct == Decimal("2")
    assert settings.total_tolerance == Decimal("0.01")
    assert settings.capitalisation_threshold == Decimal("100.00")
    assert 0 < settings.description_min_score < 100
    assert 0 < settings.vendor_min_score < 100


def test_read_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RECON_MATCH_PRICE_TOLERANCE_PCT", "1.5")
    monkeypatch.setenv("RECON_MATCH_DESCRIPTION_MIN_SCORE", "70")

    settings = MatchingSettings()

    assert settings.price_tolerance_pct == Decimal("1.5")
    assert settings.description_min_score == 70


@pytest.mark.parametrize(
    "bad",
    [
        {"price_tolerance_pct": Decimal("-1")},
        {"total_tolerance": Decimal("-0.01")},
        {"total_tolerance_pct": Decimal("-0.5")},
        {"total_tolerance_pct_below": Decimal("-0.5")},
        {"description_min_score": 101},
        {"vendor_min_score": -1},
        {"capitalisation_threshold": Decimal("-100")},
        {"price_tolerance": Decimal("2")},  # a typo is an error, not ignored
    ],
)
def test_invalid_values_are_refused(bad: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        MatchingSettings(**bad)  # type: ignore[arg-type]


def test_frozen() -> None:
    settings = MatchingSettings()

    with pytest.raises(ValidationError):
        settings.price_tolerance_pct = Decimal("5")  # type: ignore[misc]


def test_every_field_is_described() -> None:
    for name, field in MatchingSettings.model_fields.items():
        assert field.description, name


# --- per-vendor overrides ------------------------------------------------------


def _priced(vendor: str, invoice_price: str) -> list[str]:
    """Reasons of the price variances raised on one line billed at ``invoice_price``
    against a PO price of 100.00, under per-vendor settings."""
    from datetime import date

    from matching import DiscrepancyType, Document, Kind, Line, reconcile

    settings = MatchingSettings(
        vendors={
            "ACME GmbH": {"price_tolerance_pct": "5"},
            "Brightline": {"price_tolerance_pct": "1"},
        }
    )
    line = Line(1, "Dell Latitude 5440 laptop", Decimal(1), "210-BDZX", Decimal("100.00"))
    po = Document("po", Kind.PO, 1, "PO-1", vendor=vendor, lines=(line,))
    billed = Line(1, "Dell Latitude 5440 laptop", Decimal(1), "210-BDZX", Decimal(invoice_price))
    receipt = Document("grn", Kind.RECEIPT, 2, "GRN-1", vendor=vendor, po_number="PO-1",
                       date=date(2026, 10, 1), lines=(line,))  # fmt: skip
    invoice = Document("inv", Kind.INVOICE, 3, "INV-1", vendor=vendor, po_number="PO-1",
                       date=date(2026, 10, 2), lines=(billed,))  # fmt: skip
    result = reconcile([invoice], [po], [receipt], settings)
    return [d.reason for d in result.discrepancies if d.type is DiscrepancyType.PRICE_VARIANCE]


@pytest.mark.parametrize(
    ("vendor", "price", "raised", "rule"),
    [
        ("Contoso Ltd", "103.00", True, "(tolerance 2 %)."),  # the global 2 %
        ("Acme GmbH.", "103.00", False, None),  # ACME's own 5 %, however written
        ("ACME GMBH", "106.00", True, "(tolerance 5 % for ACME GmbH)."),
        ("Brightline", "101.50", True, "(tolerance 1 % for Brightline)."),
    ],
)
def test_a_vendor_s_own_tolerance_decides_and_says_so(
    vendor: str, price: str, raised: bool, rule: str | None
) -> None:
    reasons = _priced(vendor, price)
    assert bool(reasons) is raised
    if rule is not None:
        assert reasons[0].endswith(rule), reasons[0]


def test_a_typo_in_a_vendor_s_overrides_names_the_vendor() -> None:
    with pytest.raises(ValueError, match=r"'ACME GmbH'.*price_tolerence"):
        MatchingSettings(vendors={"ACME GmbH": {"price_tolerence": "5"}})
