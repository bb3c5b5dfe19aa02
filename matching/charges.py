"""Charge lines: freight, shipping, handling, packaging, recycling and discounts.

Such a line bills no item: it is never an asset, and a PO often does not
carry it. :func:`is_charge` tells one by its words (English, German, French;
universal words, not one vendor's); :func:`charges_allowance` is how much of
them a vendor may bill beyond the PO before they are raised.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Final

from matching.settings import MatchingSettings
from matching.types import Line

__all__ = ["charges_allowance", "is_charge"]

_CHARGE: Final = re.compile(
    r"\b(?:shipping|freight|carriage|delivery charges?|delivery fee|postage|courier|shipment"
    r"|handling|packaging|packing|surcharge|insurance|recycling|weee|disposal|eco[- ]?fee"
    r"|discount|rebate|versand\w*|fracht\w*|porto|verpackung\w*|entsorgung\w*|rabatt|skonto"
    r"|zuschlag|frais de port|frais d'envoi|livraison|emballage|remise|rabais"
    r"|éco[- ]?participation|eco[- ]?participation|d3e)\b",
    re.IGNORECASE,
)


def is_charge(line: Line) -> bool:
    """A freight, handling, recycling, packaging or discount line, by its words."""
    return _CHARGE.search(line.description) is not None


def charges_allowance(goods: Decimal, settings: MatchingSettings) -> Decimal | None:
    """The most charges beyond the PO a vendor may bill on an invoice whose
    items come to ``goods``: the smaller of the absolute and the percentage
    allowance, where set; None when neither is."""
    limits = []
    if settings.charges_allowance is not None:
        limits.append(settings.charges_allowance)
    if settings.charges_allowance_pct is not None:
        limits.append(abs(goods) * settings.charges_allowance_pct / 100)
    return min(limits) if limits else None
