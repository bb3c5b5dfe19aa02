"""One invoice citing several POs: a header list, per-line references, or both.

Two POs of one vendor, fully received: PO-A (laptops, monitors, adapters, from
test_reconcile_rules) and PO-B (keyboards, mice, docks). Each case changes
what the invoice cites and bills, and says where every line must go.
"""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal

import pytest

from matching import HEADER_LEVEL, DiscrepancyType, Document, Kind, Line, ReconcileResult
from tests.matching.test_reconcile_rules import (
    ADAPTER,
    LAPTOP,
    MONITOR,
    PO_NUMBER,
    inv_line,
    make_invoice,
    make_po,
    make_receipt,
    run,
)

T = DiscrepancyType
PO_A, PO_B = PO_NUMBER, "PO-2026-0143"
KEYBOARD = "Logitech MX Keys S keyboard, DE layout"
DOCK = "Dell WD19S docking station 130W"

PO_B_LINES = (
    Line(1, "Logitech MX Keys S wireless keyboard", Decimal(20), unit_price=Decimal("110.00")),
    Line(2, "Logitech MX Master 3S mouse", Decimal(20), unit_price=Decimal("95.00")),
    Line(3, "Dell dock WD19S 130W", Decimal(5), "210-AZBX", Decimal("229.00")),
)


def pos() -> list[Document]:
    return [make_po(), make_po(key="po-2", seq=2, number=PO_B, lines=PO_B_LINES)]


def receipts() -> list[Document]:
    arrived = tuple(dataclasses.replace(line, unit_price=None) for line in PO_B_LINES)
    return [make_receipt(), make_receipt("grn-2", 3, *arrived, po_number=PO_B)]


def invoice(*lines: Line, cites: tuple[str | None, ...] = (PO_A, PO_B), key: str = "inv-1"):  # type: ignore[no-untyped-def]
    return make_invoice(
        key, 10, *lines, po_number=cites[0], other_po_numbers=tuple(n for n in cites[1:] if n)
    )


def placed(result: ReconcileResult) -> set[tuple[int, str, int]]:
    """(invoice line, PO number, PO line) of every match."""
    number = {po.key: po.number for po in pos()}
    return {(m.invoice_line, number[m.po_key] or "", m.po_line) for m in result.matches}


def raised(result: ReconcileResult) -> set[tuple[DiscrepancyType, int | None]]:
    return {(d.type, d.invoice_line) for d in result.discrepancies}


@pytest.mark.parametrize(
    ("lines", "cites", "where", "discrepancies"),
    [
        # a header list: each line goes to the PO where it fits
        ((inv_line(1, LAPTOP, 10, "1000.00"), inv_line(2, KEYBOARD, 20, "110.00"),
          inv_line(3, DOCK, 5, "229.00"), inv_line(4, MONITOR, 10, "549.00")),
         (PO_A, PO_B), {(1, PO_A, 1), (2, PO_B, 1), (3, PO_B, 3), (4, PO_A, 2)}, set()),
        # per-line references, no header PO at all
        ((inv_line(1, LAPTOP, 10, "1000.00", po_number=PO_A),
          inv_line(2, KEYBOARD, 20, "110.00", po_number="po 2026 0143")),
         (None,), {(1, PO_A, 1), (2, PO_B, 1)}, set()),
        # a line's own reference wins over where it would fit: the keyboard is not on PO-A
        ((inv_line(1, LAPTOP, 10, "1000.00"), inv_line(2, KEYBOARD, 20, "110.00", po_number=PO_A)),
         (PO_A, PO_B), {(1, PO_A, 1)}, {(T.UNMATCHED_LINE, 2)}),
        # a line fitting none of the cited POs
        ((inv_line(1, LAPTOP, 10, "1000.00"), inv_line(2, "Onsite installation", 1, "150.00")),
         (PO_A, PO_B), {(1, PO_A, 1)}, {(T.UNMATCHED_LINE, 2)}),
        # one cited PO not on file: no_po for the invoice, the lines that fit the other checked
        ((inv_line(1, LAPTOP, 10, "1000.00"), inv_line(2, KEYBOARD, 20, "110.00")),
         (PO_A, "PO-2026-0999"), {(1, PO_A, 1)}, {(T.NO_PO, None), (T.UNMATCHED_LINE, 2)}),
        # a line citing a PO not on file cannot be checked: no_po says so, nothing per line
        ((inv_line(1, LAPTOP, 10, "1000.00"), inv_line(2, KEYBOARD, 20, "110.00", po_number="X-9")),
         (PO_A,), {(1, PO_A, 1)}, {(T.NO_PO, None)}),
        # none of the cited POs on file: no_po alone, no line checks
        ((inv_line(1, LAPTOP, 10, "1000.00"),), ("PO-2026-0998", "PO-2026-0999"), set(),
         {(T.NO_PO, None)}),
        # the same PO twice, however written, is one PO
        ((inv_line(1, LAPTOP, 10, "1000.00"),), (PO_A, "po-2026-0142"), {(1, PO_A, 1)}, set()),
    ],
)  # fmt: skip
def test_lines_go_to_the_po_they_cite_or_fit(
    lines: tuple[Line, ...],
    cites: tuple[str | None, ...],
    where: set[tuple[int, str, int]],
    discrepancies: set[tuple[DiscrepancyType, int | None]],
) -> None:
    result = run([invoice(*lines, cites=cites)], pos(), receipts())
    assert placed(result) == where
    assert raised(result) == discrepancies


def test_the_same_item_on_two_pos_is_assigned_optimally_over_both() -> None:
    """GIVEN laptops on both POs (10 at 1000.00 on A, 4 at 1100.00 on B)
    WHEN one invoice citing both bills two laptop lines (4 at 1100.00 listed first)
    THEN each line goes to the PO whose line it fits (quantity and price decide
    between equal descriptions), not the first PO that has a laptop."""
    laptops_b = (Line(1, "Dell Latitude 5440 14in laptop", Decimal(4), None, Decimal("1100.00")),)
    both = [make_po(), make_po(key="po-2", seq=2, number=PO_B, lines=laptops_b)]
    arrived = [make_receipt(), make_receipt("grn-2", 3, *laptops_b, po_number=PO_B)]
    billed = invoice(inv_line(1, LAPTOP, 4, "1100.00"), inv_line(2, LAPTOP, 10, "1000.00"))

    result = run([billed], both, arrived)

    assert {(m.invoice_line, m.po_key, m.po_line) for m in result.matches} == {
        (1, "po-2", 1),
        (2, "po-1", 1),
    }
    assert result.discrepancies == ()


@pytest.mark.parametrize("reverse_files", [False, True])
def test_an_item_on_two_cited_pos_goes_where_quantity_is_still_open(reverse_files: bool) -> None:
    """GIVEN PO-100 and PO-200 each ordering 2 of one laptop, both received
    WHEN inv-1 and then inv-2 (a day later) each bill 2, citing both POs
    THEN inv-1 goes to PO-100 and inv-2 to PO-200, where 2 are still open:
    nothing is over or unreceived, whichever file came in first, and inv-2's
    match says why it went there."""
    laptop = (Line(1, "Dell Latitude 5440 14in laptop", Decimal(2), None, Decimal("1000.00")),)
    both = [
        make_po(key="po-100", number="PO-100", lines=laptop),
        make_po(key="po-200", seq=2, number="PO-200", lines=laptop),
    ]
    arrived = [
        make_receipt("grn-1", 3, *laptop, po_number="PO-100"),
        make_receipt("grn-2", 4, *laptop, po_number="PO-200"),
    ]
    bills = [
        make_invoice(key, seq, inv_line(1, LAPTOP, 2, "1000.00"), po_number="PO-100",
                     other_po_numbers=("PO-200",), date=date(2026, 3, day))
        for key, seq, day in (("inv-1", 10, 1), ("inv-2", 11, 2))
    ]  # fmt: skip
    if reverse_files:  # inv-2's file came in first: dates decide, not seq
        bills = [dataclasses.replace(bills[0], seq=11), dataclasses.replace(bills[1], seq=10)]

    result = run(bills, both, arrived)

    assert {(m.invoice_key, m.po_key, m.receipt_key) for m in result.matches} == {
        ("inv-1", "po-100", "grn-1"),
        ("inv-2", "po-200", "grn-2"),
    }
    assert result.discrepancies == ()
    second = next(m for m in result.matches if m.invoice_key == "inv-2")
    assert second.reason.endswith(
        "; PO PO-200: of the POs the invoice cites (PO-100, PO-200), the one it fits best,"
        " with 2 of its line 1 still open"
    )


def test_matches_and_line_discrepancies_name_their_po() -> None:
    """Every match of an invoice citing several POs says which PO it went to
    and why; a price variance names the PO line it was compared with."""
    billed = invoice(
        inv_line(1, LAPTOP, 10, "1000.00"),
        inv_line(2, KEYBOARD, 20, "125.00"),
        inv_line(3, DOCK, 5, "229.00", po_number=PO_B),
    )
    result = run([billed], pos(), receipts())

    reasons = {m.invoice_line: m.reason for m in result.matches}
    assert reasons[1].endswith(
        f"; PO {PO_A}: of the POs the invoice cites ({PO_A}, {PO_B}), the one it fits best"
    )
    assert reasons[3].endswith(f"; PO {PO_B}, as the line cites it")
    (price,) = result.discrepancies
    assert (price.type, price.invoice_line, price.po_key) == (T.PRICE_VARIANCE, 2, "po-2")
    assert f"of PO {PO_B} line 1" in price.reason


def test_cumulative_quantities_stay_per_po_line() -> None:
    """GIVEN an invoice citing A and B that bills all 10 laptops of A and 20
    keyboards of B, then an invoice citing only A that bills 2 more laptops
    THEN only A's laptop line is over: the keyboards on B are not counted
    against A, and the second invoice's quantity_variance names A."""
    first = invoice(inv_line(1, LAPTOP, 10, "1000.00"), inv_line(2, KEYBOARD, 20, "110.00"))
    second = make_invoice("inv-2", 11, inv_line(1, LAPTOP, 2, "1000.00"))

    result = run([first, second], pos(), receipts())

    assert {(d.invoice_key, d.type, d.invoice_line) for d in result.discrepancies} == {
        ("inv-2", T.QUANTITY_VARIANCE, 1),
        ("inv-2", T.NOT_RECEIVED, 1),
    }
    over = next(d for d in result.discrepancies if d.type is T.QUANTITY_VARIANCE)
    assert over.po_key == "po-1" and f"12 of PO {PO_A} line 1" in over.reason


def test_a_cited_po_not_on_file_is_raised_with_the_lines_it_leaves_unchecked() -> None:
    """Lines cite their POs, the header none: lines citing a PO not on file
    have no header PO to go to and cannot be checked."""
    billed = invoice(
        inv_line(1, ADAPTER, 20, "19.90", po_number=PO_A),
        inv_line(2, KEYBOARD, 20, "110.00", po_number="PO-2026-0999"),
        inv_line(3, MONITOR, 10, "549.00", po_number="PO-2026-0999"),
        cites=(None,),
    )
    result = run([billed], pos(), receipts())

    (d,) = result.discrepancies
    assert (d.type, d.expected, d.actual, d.po_key) == (T.NO_PO, None, "PO-2026-0999", None)
    assert d.type in HEADER_LEVEL
    assert d.reason == (
        f"The invoice cites PO PO-2026-0999 besides {PO_A}, and PO-2026-0999 is not among the"
        " known POs: lines 2 and 3, which cite it, cannot be checked. Its other lines were"
        f" checked against {PO_A} only; get the missing PO on file, or approve this if the"
        " invoice is in order."
    )
    assert [(m.invoice_line, m.po_key) for m in result.matches] == [(1, "po-1")]


@pytest.mark.parametrize(
    ("kind", "lines", "says"),
    [
        (Kind.INVOICE, 1, "The invoice cites PO PO-2026-0999 besides PO-2026-0142, and"
         " PO-2026-0999 is not among the known POs: line 2, which cites it, cannot be checked."),
        (Kind.INVOICE, 2, "The invoice cites PO PO-2026-0999 besides PO-2026-0142, and"
         " PO-2026-0999 is not among the known POs: lines 2 and 3, which cite it, cannot be"
         " checked."),
        (Kind.CREDIT_NOTE, 1, "The credit note cites PO PO-2026-0999 besides PO-2026-0142, and"
         " PO-2026-0999 is not among the known POs: line 2, which cites it, cannot be checked."),
    ],
)  # fmt: skip
def test_the_lines_a_missing_po_leaves_unchecked_are_named_in_good_grammar(
    kind: Kind, lines: int, says: str
) -> None:
    billed = dataclasses.replace(
        invoice(
            inv_line(1, ADAPTER, 20, "19.90", po_number=PO_A),
            *(inv_line(n, KEYBOARD, 1, "110.00", po_number="PO-2026-0999")
              for n in range(2, 2 + lines)),
            cites=(None,),
        ),
        kind=kind,
    )  # fmt: skip
    result = run([billed], pos(), receipts())
    no_po = next(d for d in result.discrepancies if d.type is T.NO_PO)
    assert no_po.reason.startswith(says)


def test_a_line_citing_a_number_not_on_file_is_matched_against_the_header_pos() -> None:
    """GIVEN an invoice citing PO-A in its header whose lines print a number
    that is no PO on file (the vendor's own order number, a typo)
    WHEN it is reconciled THEN a line that fits PO-A is matched there, saying
    why, and checked (here: a price variance); no_po names the number and says
    which lines were checked against PO-A instead; a line that fits nothing
    there stays unchecked, listed in no_po, with no unmatched_line of its own."""
    billed = invoice(
        inv_line(1, LAPTOP, 10, "1000.00", po_number="SO-8812"),
        inv_line(2, MONITOR, 10, "599.00", po_number="SO-8812"),
        inv_line(3, KEYBOARD, 20, "110.00", po_number="SO-8812"),
        cites=(PO_A,),
    )
    result = run([billed], pos(), receipts())

    assert placed(result) == {(1, PO_A, 1), (2, PO_A, 2)}
    assert raised(result) == {(T.NO_PO, None), (T.PRICE_VARIANCE, 2)}
    reason = {m.invoice_line: m.reason for m in result.matches}[1]
    assert reason.endswith(
        f"; PO {PO_A}: the line cites SO-8812, which is not on file, so it was matched against"
        f" the PO the invoice cites in its header ({PO_A})"
    )
    no_po = next(d for d in result.discrepancies if d.type is T.NO_PO)
    assert no_po.actual == "SO-8812"
    assert no_po.reason == (
        f"The invoice cites PO SO-8812 besides {PO_A}, and SO-8812 is not among the known POs:"
        f" line 3, which cites it, fits no line of {PO_A} and cannot be checked; lines 1 and 2,"
        f" which cite it too, fit lines of {PO_A} and were checked against them. Its other lines"
        f" were checked against {PO_A} only; get the missing PO on file, or approve this if the"
        " invoice is in order."
    )


def test_a_receipt_line_citing_a_number_not_on_file_still_counts_as_received() -> None:
    """GIVEN a receipt for PO-A whose lines print the delivery's own order number
    WHEN an invoice bills what it received THEN the goods count as received
    (matched against the receipt's header PO), so no not_received is raised."""
    arrived = tuple(dataclasses.replace(line, po_number="SO-8812") for line in make_receipt().lines)
    result = run(
        [invoice(inv_line(1, LAPTOP, 10, "1000.00"), cites=(PO_A,))],
        pos(),
        [make_receipt("grn-1", 2, *arrived)],
    )
    assert result.discrepancies == ()
    (match,) = result.matches
    assert (match.receipt_key, match.receipt_line) == ("grn-1", 1)


@pytest.mark.parametrize(
    ("kind", "noun"), [(Kind.INVOICE, "Invoice"), (Kind.CREDIT_NOTE, "Credit note")]
)
def test_a_line_fitting_no_found_po_may_be_for_the_missing_one(kind: Kind, noun: str) -> None:
    """GIVEN an invoice citing PO-A and PO-2026-0999 (not on file) whose
    keyboard line fits nothing on PO-A THEN its unmatched_line says it may be
    for the missing PO, rather than only that it matches no line of PO-A."""
    billed = dataclasses.replace(
        invoice(inv_line(1, LAPTOP, 10, "1000.00"), inv_line(2, KEYBOARD, 20, "110.00"),
                cites=(PO_A, "PO-2026-0999")),
        kind=kind,
    )  # fmt: skip
    result = run([billed], pos(), receipts())
    (d,) = [d for d in result.discrepancies if d.type is T.UNMATCHED_LINE]
    assert d.reason.startswith(f"{noun} line 2 ('{KEYBOARD}') matches no line of PO {PO_A}: ")
    lower = noun.lower()
    assert d.reason.endswith(
        f". It may be for PO PO-2026-0999, which the {lower} also cites and which is not on file."
    )


def test_a_line_citing_a_found_po_is_not_said_to_be_for_the_missing_one() -> None:
    billed = invoice(
        inv_line(1, LAPTOP, 10, "1000.00"),
        inv_line(2, KEYBOARD, 20, "110.00", po_number=PO_A),
        cites=(PO_A, "PO-2026-0999"),
    )
    result = run([billed], pos(), receipts())
    (d,) = [d for d in result.discrepancies if d.type is T.UNMATCHED_LINE]
    assert "PO-2026-0999" not in d.reason


def test_a_credit_note_citing_no_po_is_called_a_credit_note() -> None:
    billed = dataclasses.replace(invoice(cites=(None,)), kind=Kind.CREDIT_NOTE)
    result = run([billed], pos(), receipts())
    no_po = next(d for d in result.discrepancies if d.type is T.NO_PO)
    assert no_po.reason.startswith(
        "The credit note cites no PO number, so none of its lines can be checked."
    )
    assert "invoice" not in no_po.reason.replace("credits invoice", "")


def test_an_invoice_citing_several_unknown_pos_names_them_all() -> None:
    result = run([invoice(cites=("PO-2026-0998", "PO-2026-0999"))], pos(), receipts())
    (d,) = result.discrepancies
    assert d.actual == "PO-2026-0998, PO-2026-0999"
    assert d.reason.startswith(
        "The invoice cites POs PO-2026-0998 and PO-2026-0999, none of which is among the known"
        " POs, so none of its lines can be checked."
    )


def test_an_unmatched_line_names_every_cited_po() -> None:
    billed = invoice(inv_line(1, LAPTOP, 10, "1000.00"), inv_line(2, "Logitech webcam C920", 3))
    result = run([billed], pos(), receipts())
    (d,) = result.discrepancies
    assert (d.type, d.invoice_line) == (T.UNMATCHED_LINE, 2)
    assert d.reason.startswith(
        f"Invoice line 2 ('Logitech webcam C920') matches no line of the POs it cites, {PO_A}"
        f" or {PO_B}: "
    )


def test_the_currency_of_every_cited_po_is_checked_once() -> None:
    """A currency differing from the second PO's is raised once, naming it."""
    dollars = [make_po(), make_po(key="po-2", seq=2, number=PO_B, lines=PO_B_LINES, currency="USD")]
    billed = invoice(inv_line(1, LAPTOP, 10, "1000.00"), inv_line(2, KEYBOARD, 20, "110.00"))
    result = run([billed], dollars, receipts())
    (d,) = result.discrepancies
    assert (d.type, d.po_key, d.expected, d.actual) == (T.CURRENCY_MISMATCH, "po-2", "USD", "EUR")


def test_a_vendor_differing_on_both_pos_is_raised_once() -> None:
    other = [dataclasses.replace(po, vendor="Initech Ltd") for po in pos()]
    billed = invoice(inv_line(1, LAPTOP, 10, "1000.00"), inv_line(2, KEYBOARD, 20, "110.00"))
    result = run([billed], other, receipts())
    assert [(d.type, d.po_key) for d in result.discrepancies] == [(T.VENDOR_MISMATCH, "po-1")]
