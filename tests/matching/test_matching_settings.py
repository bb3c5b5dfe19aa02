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
