"""Which invoice lines become entries in the IT asset register.

A line qualifies when it is fully three-way matched (PO line and receipt
line), nothing about it or its invoice is still open or was rejected, and its
unit price reaches the capitalisation threshold.  It yields one candidate per
whole unit, since each laptop gets its own asset tag.

Pure function: no I/O; decisions come in as a mapping, not from a database.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import ROUND_FLOOR

from matching.charges import is_charge
from matching.lines import effective_unit_price
from matching.settings import MatchingSettings
from matching.types import HEADER_LEVEL, AssetCandidate, Document, Kind, ReconcileResult, Status

__all__ = ["HOLDING", "asset_candidates"]

#: Decision states that keep a line out of the register (APPROVED releases it).
HOLDING: frozenset[Status] = frozenset({Status.OPEN, Status.REJECTED})


def asset_candidates(
    invoices: Sequence[Document],
    result: ReconcileResult,
    decisions: Mapping[tuple[str, str, int | None], Status],
    settings: MatchingSettings,
) -> list[AssetCandidate]:
    """One candidate per unit of every cleared, received line at or above the threshold.

    ``decisions`` maps ``Discrepancy.natural_key`` to a person's decision;
    a discrepancy without one is OPEN.  Lines are held by their own open or
    rejected discrepancies and by open or rejected header-level ones of their
    invoice (``HEADER_LEVEL``).  Quantities are rounded down to whole units.
    Candidates come in the order of ``result.matches``, units 1..n.
    """
    by_key = {invoice.key: invoice for invoice in invoices}
    held_invoices: set[str] = set()
    held_lines: set[tuple[str, int]] = set()
    for discrepancy in result.discrepancies:
        if decisions.get(discrepancy.natural_key, Status.OPEN) not in HOLDING:
            continue
        if discrepancy.type in HEADER_LEVEL or discrepancy.invoice_line is None:
            held_invoices.add(discrepancy.invoice_key)
        else:
            held_lines.add((discrepancy.invoice_key, discrepancy.invoice_line))

    lines = {(inv.key, line.line_no): line for inv in invoices for line in inv.lines}
    candidates: list[AssetCandidate] = []
    for match in result.matches:
        invoice = by_key.get(match.invoice_key)
        if invoice is None or invoice.kind is Kind.CREDIT_NOTE or match.receipt_key is None:
            continue
        if invoice.key in held_invoices or (invoice.key, match.invoice_line) in held_lines:
            continue
        line = lines[(invoice.key, match.invoice_line)]
        if is_charge(line):  # freight, handling, recycling: never an asset
            continue
        cost = effective_unit_price(line)
        if cost is None or cost < settings.capitalisation_threshold:
            continue
        units = int(line.quantity.to_integral_value(rounding=ROUND_FLOOR))
        candidates.extend(
            AssetCandidate(
                invoice_key=invoice.key,
                invoice_line=line.line_no,
                unit=unit,
                po_key=match.po_key,
                vendor=invoice.vendor,
                description=line.description,
                sku=line.sku,
                cost=cost,
                currency=invoice.currency,
            )
            for unit in range(1, units + 1)
        )
    return candidates
