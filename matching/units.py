"""Units of measure: how many pieces one unit of a line stands for.

A vendor bills "Cable ties, box of 100" x 2 against a PO line of 200 cable
ties; a PO orders "USB sticks, 10-pack" x 3 and the receipt counts 30 pieces.
:func:`pack_size` reads the count a description states for one unit, from the
pack words and fixed-count units in :class:`~matching.settings.MatchingSettings`
(data, so a deployment adds its own); :func:`in_po_units` restates a line in
the units of the PO line it is matched to. Pure functions, no I/O.
"""

from __future__ import annotations

import functools
import re
from dataclasses import replace
from decimal import Decimal

from matching.settings import MatchingSettings
from matching.types import Line

__all__ = ["in_po_units", "pack_size"]

_ONE = Decimal(1)


@functools.lru_cache(maxsize=8)
def _reader(
    words: tuple[str, ...], units: tuple[tuple[str, Decimal], ...]
) -> tuple[tuple[re.Pattern[str], ...], dict[str, Decimal]]:
    """The patterns for these pack words and fixed-count units, and the counts
    by casefolded unit; compiled once per set of settings."""
    pack = "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))
    n = r"(\d{1,5})"
    found = [
        # box of 10, Packung mit 10, Packung à 10, boîte de 10, lot de 10
        rf"\b(?:{pack})\s+(?:of|mit|à|a|zu|de|von)\s+{n}\b",
        # 10-pack, 10er-Packung, 10er Pack, and "10 pack" (not "iPhone 15 case")
        rf"\b{n}(?:-|er[\s-]?)(?:{pack})\b",
        rf"\b{n}\s+pack\b",
        # 10 pcs/box, 10 Stück/Packung, 10 pièces par boîte, 10 per box
        rf"\b{n}\s*(?:pcs|pc|pieces|piece|stück|stk|pièces|pièce|units|ea)?\.?\s*"
        rf"(?:/|per|pro|par)\s*(?:{pack})\b",
    ]
    if units:
        unit = "|".join(re.escape(u) for u, _ in units)
        found.append(rf"\b(?P<unit>{unit})\b")
    patterns = tuple(re.compile(p, re.IGNORECASE) for p in found)
    return patterns, {u.casefold(): count for u, count in units}


def pack_size(description: str, settings: MatchingSettings) -> Decimal:
    """Pieces in one unit of a line with this description (1 when it states none).

    >>> pack_size("Cable ties 200mm, box of 100", MatchingSettings())
    Decimal('100')
    >>> pack_size("Dell Latitude 5440 laptop", MatchingSettings())
    Decimal('1')
    """
    return _pack_size(description, settings.pack_words, tuple(settings.unit_factors.items()))


@functools.lru_cache(maxsize=1 << 16)
def _pack_size(
    description: str, words: tuple[str, ...], units: tuple[tuple[str, Decimal], ...]
) -> Decimal:
    # Cached by description: a PO line's text is read again for every invoice
    # and receipt line matched to it (9 us a call uncached, millions a month end).
    patterns, factors = _reader(words, units)
    for pattern in patterns:
        m = pattern.search(description)
        if m is None:
            continue
        if m.groupdict().get("unit"):
            return factors[m.group("unit").casefold()]
        count = Decimal(m.group(1))
        if count > 1:
            return count
    return _ONE


def in_po_units(line: Line, po_line: Line, settings: MatchingSettings) -> tuple[Line, Decimal]:
    """``line`` restated in ``po_line``'s units, and the factor used (1: unchanged).

    Quantity times the factor, unit price divided by it; the amount stays.
    """
    factor = pack_size(line.description, settings) / pack_size(po_line.description, settings)
    if factor == _ONE:
        return line, _ONE
    price = line.unit_price / factor if line.unit_price is not None else None
    return replace(line, quantity=line.quantity * factor, unit_price=price), factor
