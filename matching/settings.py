"""Thresholds and tolerances of the matcher, as data rather than literals.

Read from ``RECON_MATCH_*`` environment variables (e.g.
``RECON_MATCH_PRICE_TOLERANCE_PCT=1.5``) or, through the pipelines, the config
file's ``[matching]`` table. Frozen, so one run uses one set of values
throughout. ``vendors`` holds per-vendor overrides (``[matching.vendors."ACME
GmbH"]``); :meth:`MatchingSettings.for_vendor` gives a vendor's settings, and
the matcher asks for them in one place (:func:`matching.reconcile.settings_for`).
Nothing here reads a file.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from pydantic import Field, PrivateAttr, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = ["MatchingSettings"]

_FIXED_COUNTS = {"dozen": 12, "pair": 2, "dutzend": 12, "paar": 2, "douzaine": 12, "paire": 2}


class MatchingSettings(BaseSettings):
    """How close is close enough, for lines, prices, totals and vendors."""

    model_config = SettingsConfigDict(env_prefix="RECON_MATCH_", frozen=True, extra="forbid")

    price_tolerance_pct: Decimal = Field(
        default=Decimal("2"),
        ge=0,
        description=(
            "Largest accepted difference between invoice and PO unit price, in percent of the"
            " PO price. A difference of exactly this much is accepted; anything above raises"
            " price_variance."
        ),
    )
    price_tolerance_pct_below: Decimal | None = Field(
        default=None,
        ge=0,
        description=(
            "The tolerance in percent for a unit price *below* the PO's, when it differs from"
            " price_tolerance_pct (which then applies above only); as SAP's lower limit."
        ),
    )
    price_tolerance_abs: Decimal | None = Field(
        default=None,
        ge=0,
        description=(
            "Largest accepted difference per unit, in the invoice currency, above or below."
            " With the percent limit, the stricter of the two decides."
        ),
    )
    quantity_tolerance_pct: Decimal = Field(
        default=Decimal(0),
        ge=0,
        description=(
            "How far, in percent of the ordered quantity, a PO line may be invoiced beyond"
            " it (over all invoices) before quantity_variance is raised. 0: not at all."
        ),
    )
    total_tolerance: Decimal = Field(
        default=Decimal("0.01"),
        ge=0,
        description=(
            "Largest accepted difference, in the invoice currency, between the header total"
            " (or subtotal) and the sum of the line amounts (plus tax). Absorbs per-line"
            " rounding; anything above raises total_mismatch."
        ),
    )
    total_tolerance_pct: Decimal | None = Field(
        default=None,
        ge=0,
        description=(
            "The same tolerance in percent of the amount compared (lines plus tax for the"
            " total, the lines for the subtotal). With total_tolerance, the larger of the two"
            " limits applies: total_tolerance absorbs rounding on small invoices, the percent"
            " scales with large ones (rounding tax per line grows with the number of lines)."
            " The percent limit is rounded to cents (half up) before it is compared."
        ),
    )
    total_tolerance_pct_below: Decimal | None = Field(
        default=None,
        ge=0,
        description=(
            "The percent tolerance for a header total (or subtotal) *below* the lines in amount"
            " (a credit note's negative figures compare by their size), when it differs from"
            " total_tolerance_pct (which then applies above only); as SAP's lower limit."
            " total_tolerance still applies on both sides."
        ),
    )
    description_min_score: float = Field(
        default=65.0,
        ge=0,
        le=100,
        description=(
            "Minimum match score (0-100) for an invoice or receipt line to be tied to a PO"
            " line. The score is 100 for an exact SKU match, otherwise the token-set"
            " similarity of the normalised descriptions, pulled up when both name the same"
            " model number and halved when they state different model numbers, generations"
            " (G10 vs G11), editions (Standard vs Premium) or capacities (512GB vs 1TB)."
            " Price and quantity only break ties; they never make or break a match. 65 is"
            " the gap seen on"
            " rewordings of real IT items: the same item worded by two vendors scores about"
            " 70 and up once model numbers count, two different items sharing only generic"
            " words (brand, 'wireless keyboard', a screen size) up to about 61. When unsure"
            " it errs towards 'unmatched', which a person reviews, over a wrong match,"
            " which nobody would."
        ),
    )
    vendor_min_score: float = Field(
        default=85.0,
        ge=0,
        le=100,
        description=(
            "Minimum token-set similarity (0-100) of the normalised vendor names on invoice"
            " and PO; below it the invoice raises vendor_mismatch. Legal forms are already"
            " gone after normalisation, so 85 only has to absorb a typo or two and an extra"
            " word such as 'Technologies'."
        ),
    )
    charges_allowance: Decimal | None = Field(
        default=None,
        ge=0,
        description=(
            "Freight, handling, recycling and similar charge lines the PO does not carry are"
            " accepted up to this much per invoice (invoice currency) instead of raised as"
            " unmatched_line. Unset: every such line is raised. With charges_allowance_pct"
            " too, the smaller limit applies."
        ),
    )
    charges_allowance_pct: Decimal | None = Field(
        default=None,
        ge=0,
        description=(
            "The same allowance in percent of the invoice's items (the lines that are not charges)."
        ),
    )
    pack_words: tuple[str, ...] = Field(
        default=(
            "box", "pack", "packet", "case", "carton", "bag", "set", "roll", "tray", "bundle",
            "packung", "karton", "kiste", "beutel", "rolle", "gebinde",
            "boîte", "boite", "paquet", "lot", "sachet", "rouleau",
        ),
        description=(
            "Words for a pack whose count the description states: 'box of 10', '10-pack',"
            " '10 pcs/box', 'Packung mit 10', 'boîte de 10'. An invoice line billed in packs"
            " is compared with a PO line in pieces (and the other way round) in the PO's units."
        ),
    )  # fmt: skip
    unit_factors: dict[str, Decimal] = Field(
        default_factory=lambda: {k: Decimal(v) for k, v in _FIXED_COUNTS.items()},
        description=(
            "Units that stand for a fixed count wherever a description names them"
            " ('cable ties, dozen' is 12 pieces a line quantity of 1)."
        ),
    )
    vendors: dict[str, dict[str, Any]] = Field(
        default_factory=dict,
        description=(
            "Per-vendor overrides of the settings above, by vendor name as printed (matched"
            " after normalisation: legal form, case and punctuation do not count), e.g."
            " {'ACME GmbH': {'price_tolerance_pct': '5'}}. A discrepancy decided under a"
            " vendor's own tolerance says so."
        ),
    )
    capitalisation_threshold: Decimal = Field(
        default=Decimal("100.00"),
        ge=0,
        description=(
            "Unit price at or above which a received, cleared invoice line goes into the"
            " asset register (one entry per unit), in the invoice currency."
        ),
    )

    #: The vendor whose overrides made these settings ("" for the global ones).
    _vendor: str = PrivateAttr(default="")
    _per_vendor: dict[str, MatchingSettings] = PrivateAttr(default_factory=dict)

    def model_post_init(self, context: Any, /) -> None:
        from matching.normalise import normalise_vendor

        base = self.model_dump(exclude={"vendors"})
        for name, overrides in self.vendors.items():
            if "vendors" in overrides:
                raise ValueError(f"vendor {name!r}: overrides cannot hold 'vendors'")
            try:
                own = MatchingSettings.model_validate({**base, **overrides})
            except ValidationError as exc:
                problems = "; ".join(
                    f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors()
                )
                raise ValueError(f"the overrides for vendor {name!r}: {problems}") from exc
            own._vendor = name
            self._per_vendor[normalise_vendor(name)] = own

    def for_vendor(self, vendor: str | None) -> MatchingSettings:
        """These settings with ``vendor``'s overrides, when it has any."""
        if not self._per_vendor or not vendor:
            return self
        from matching.normalise import normalise_vendor

        return self._per_vendor.get(normalise_vendor(vendor), self)

    @property
    def scope(self) -> str:
        """How a reason names where a tolerance came from: "" or " for ACME GmbH"."""
        return f" for {self._vendor}" if self._vendor else ""
