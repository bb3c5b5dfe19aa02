"""Credit notes: they net against the PO lines they credit, and register nothing."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from matching import DiscrepancyType, Kind, MatchingSettings, asset_candidates
from tests.matching.test_reconcile_rules import LAPTOP, inv_line, make_invoice, run

T = DiscrepancyType


def credit(key: str, quantity: int | str, *, day: int = 20, number: str | None = None):  # type: ignore[no-untyped-def]
    note = make_invoice(key, 30, inv_line(1, LAPTOP, quantity, "1000.00"), date=date(2026, 3, day))
    return dataclasses.replace(note, kind=Kind.CREDIT_NOTE, number=number or f"CN-{key}")


@pytest.mark.parametrize(
    ("billed", "credited", "raised"),
    [
        ((12,), 2, False),  # 12 billed on a 10-unit line, 2 credited later: in order
        ((12,), 1, True),  # still one over after the credit
        ((6, 6), 2, False),  # the credit may correct either invoice
        ((10,), "-2", False),  # a credit stated with negative quantities counts the same
    ],
)
def test_credits_net_against_the_po_line(
    billed: tuple[int, ...], credited: int | str, raised: bool
) -> None:
    invoices = [
        make_invoice(
            f"inv-{i}", 10 + i, inv_line(1, LAPTOP, q, "1000.00"), date=date(2026, 3, 1 + i)
        )
        for i, q in enumerate(billed)
    ]
    result = run([*invoices, credit("c", credited)])
    over = [d for d in result.discrepancies if d.type is T.QUANTITY_VARIANCE]
    assert bool(over) is raised
    [credit_match] = [m for m in result.matches if m.invoice_key == "c"]
    assert credit_match.po_line == 1 and credit_match.reason.startswith("credit of ")


def test_a_credit_note_registers_nothing_and_is_no_duplicate() -> None:
    """GIVEN an invoice and a credit note that share its number
    THEN the credit note is no duplicate and yields no assets."""
    invoice = make_invoice("inv-1", 10, inv_line(1, LAPTOP, 2, "1000.00"), number="2026-77")
    note = credit("c", 1, number="2026-77")
    result = run([invoice, note])
    assert [d.type for d in result.discrepancies] == []
    units = asset_candidates([invoice, note], result, {}, MatchingSettings())
    assert {c.invoice_key for c in units} == {"inv-1"} and len(units) == 2


def test_a_credit_for_something_not_on_the_po_is_raised() -> None:
    note = dataclasses.replace(
        credit("c", 1), lines=(inv_line(1, "Onsite installation service", 1, "150.00"),)
    )
    result = run([make_invoice(), note])
    assert [(d.type, d.invoice_key) for d in result.discrepancies] == [(T.UNMATCHED_LINE, "c")]
