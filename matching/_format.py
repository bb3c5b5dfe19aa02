"""How numbers appear in reasons (for people) and in expected/actual (plain)."""

from __future__ import annotations

from decimal import Decimal
from typing import Final

_CENT: Final = Decimal("0.01")
_SHOWN: Final = Decimal("0.0001")


def format_plain(value: Decimal) -> str:
    """A Decimal as a plain string, never in exponent form: ``"1249.00"``."""
    return format(value, "f")


def format_money(value: Decimal) -> str:
    """A Decimal for people: ``"1,249.00"``; up to four decimals when they matter."""
    if value == value.quantize(_CENT):
        return f"{value.quantize(_CENT):,f}"
    return f"{value.quantize(_SHOWN).normalize():,f}"


def format_quantity(value: Decimal) -> str:
    """A quantity for people: ``"5"`` for ``5.000``, ``"2.5"`` stays."""
    return (
        format_plain(value.normalize())
        if value == value.to_integral_value()
        else format_plain(value)
    )
