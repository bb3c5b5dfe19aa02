"""The [matching] table of the config file: tolerances, globally and per vendor."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from pipelines.errors import ConfigError
from pipelines.settings import matching_settings


@pytest.fixture
def config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for key in ("RECON_MATCH_PRICE_TOLERANCE_PCT", "RECON_MATCH_VENDORS"):
        monkeypatch.delenv(key, raising=False)
    path = tmp_path / "recon.toml"
    monkeypatch.setenv("RECON_CONFIG", str(path))
    return path


def test_file_gives_global_and_vendor_tolerances(config: Path) -> None:
    config.write_text(
        '[matching]\nprice_tolerance_pct = "1.5"\n\n'
        '[matching.vendors."ACME GmbH"]\nprice_tolerance_pct = "5"\ntotal_tolerance = "0.05"\n',
        encoding="utf-8",
    )
    settings = matching_settings()
    assert settings.price_tolerance_pct == Decimal("1.5")
    acme = settings.for_vendor("Acme GmbH.")
    assert (acme.price_tolerance_pct, acme.total_tolerance) == (Decimal(5), Decimal("0.05"))
    assert acme.description_min_score == settings.description_min_score  # the rest inherited


def test_environment_wins_over_the_file(config: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config.write_text('[matching]\nprice_tolerance_pct = "1.5"\n', encoding="utf-8")
    monkeypatch.setenv("RECON_MATCH_PRICE_TOLERANCE_PCT", "3")
    assert matching_settings().price_tolerance_pct == Decimal(3)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[matching]\nprice_tolerence = "1"\n', "price_tolerence"),
        ('[matching.vendors."ACME GmbH"]\nprice_tolerance_pct = "-1"\n', "ACME GmbH"),
    ],
)
def test_mistakes_are_config_errors_that_say_where(config: Path, text: str, message: str) -> None:
    config.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        matching_settings()
