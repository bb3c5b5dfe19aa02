"""Credit notes: they net against the PO lines they credit, and register nothing."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from matching import DiscrepancyType, Kind, MatchingSettings, asset_candidates
from tests.matching.test_reconcile_rules import LAPTOP, inv_line, make_invoice, run

T = DiscrepancyType


def credit(  # type: ignore[no-untyped-def]
    key: str,
    quantity: int | str,
    *,
    day: int = 20,
    number: str | None = None,
    credits: str | None = "INV-inv-0",
):
    note = make_invoice(key, 30, inv_line(1, LAPTOP, quantity, "1000.00"), date=date(2026, 3, day))
    return dataclasses.replace(
        note, kind=Kind.CREDIT_NOTE, number=number or f"CN-{key}", credited_number=credits
    )


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
    note = credit("c", 1, number="2026-77", credits="2026-77")
    result = run([invoice, note])
    assert [d.type for d in result.discrepancies] == []
    units = asset_candidates([invoice, note], result, {}, MatchingSettings())
    assert {c.invoice_key for c in units} == {"inv-1"} and len(units) == 2


def test_a_credit_for_something_not_on_the_po_is_raised() -> None:
    note = dataclasses.replace(
        credit("c", 1, credits="INV-inv-1"),
        lines=(inv_line(1, "Onsite installation service", 1, "150.00"),),
    )
    result = run([make_invoice(), note])
    assert [(d.type, d.invoice_key) for d in result.discrepancies] == [(T.UNMATCHED_LINE, "c")]


# --- unknown_credited_invoice ---------------------------------------------------------

ON_FILE = make_invoice("inv-1", 10, inv_line(1, LAPTOP, 2, "1000.00"), number="RE-0042")


@pytest.mark.parametrize(
    ("credits", "credit_vendor", "raised", "words"),
    [
        ("RE-0042", "Acme GmbH.", False, None),
        # normalised as duplicates are: separators, case, leading zeros
        ("re 0042", "ACME GMBH", False, None),
        ("RE-42", "Acme GmbH.", False, None),
        # the same number from another vendor is another invoice
        ("RE-0042", "Globex Inc", True, "credits invoice RE-0042, which is not on file"),
        ("RE-2026-0099", "Acme GmbH.", True, "credits invoice RE-2026-0099, which is not on file"),
        # no vendor on the credit note: the number alone decides
        ("RE-0042", None, False, None),
        (None, "Acme GmbH.", True, "names no invoice it credits"),
    ],
)
def test_a_credit_note_for_an_unknown_invoice_is_raised(
    credits: str | None, credit_vendor: str | None, raised: bool, words: str | None
) -> None:
    note = dataclasses.replace(credit("c", 1, credits=credits), vendor=credit_vendor)
    result = run([ON_FILE, note])
    unknown = [d for d in result.discrepancies if d.type is T.UNKNOWN_CREDITED_INVOICE]
    assert bool(unknown) is raised
    if unknown:
        (d,) = unknown
        assert (d.invoice_key, d.invoice_line, d.actual) == ("c", None, credits)
        assert words is not None and words in d.reason
        # the credit is still matched and nets against the PO line
        assert [m.invoice_key for m in result.matches].count("c") == 1


@pytest.mark.parametrize(
    ("credit_vendor", "raised"),
    [
        ("Kestrel Components Ltd", False),
        ("Kestrel Cornponents Ltd", False),  # an OCR slip: 'rn' for 'm'
        ("KESTREL COMPONENTS LIMITED", False),  # case and legal form
        ("Kestrel Logistics Ltd", True),  # another company
    ],
)
def test_the_credited_invoices_vendor_compares_as_vendor_mismatch_does(
    credit_vendor: str, raised: bool
) -> None:
    """GIVEN invoice RE-0042 from Kestrel Components Ltd on file
    WHEN a credit note for RE-0042 names its vendor slightly differently
    THEN the names compare by token-set similarity (vendor_min_score), as an
    invoice's vendor is compared with its PO's: a slip is the same vendor."""
    on_file = dataclasses.replace(ON_FILE, vendor="Kestrel Components Ltd")
    note = dataclasses.replace(credit("c", 1, credits="RE-0042"), vendor=credit_vendor)
    result = run([on_file, note])
    unknown = [d for d in result.discrepancies if d.type is T.UNKNOWN_CREDITED_INVOICE]
    assert bool(unknown) is raised


def test_an_unknown_credited_invoice_holds_the_credit_note_as_a_header_discrepancy() -> None:
    """GIVEN a credit note for an invoice that never came in
    THEN it is raised at header level, which holds the whole credit note for a
    person, and the invoice it claims to credit is named in the reason."""
    from matching import HEADER_LEVEL

    note = credit("c", 1, credits="RE-2026-0099")
    result = run([ON_FILE, note])
    (d,) = [d for d in result.discrepancies if d.invoice_key == "c"]
    assert d.type in HEADER_LEVEL
    assert d.reason == (
        "Credit note CN-c from Acme GmbH. credits invoice RE-2026-0099, which is not on file for"
        " Acme GmbH.: check the invoice number with the vendor before accepting the credit."
    )
    assert d.po_key == "po-1"


def test_an_invoice_is_never_checked_for_a_credited_invoice() -> None:
    result = run([dataclasses.replace(ON_FILE, credited_number="RE-2026-0001")])
    assert result.discrepancies == ()
