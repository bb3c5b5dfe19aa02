"""reconcile(): one table of cases per discrepancy type, then matches and order.

Every case starts from one PO (three lines), fully received, and changes only
what the case is about.
"""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Sequence
from datetime import date
from decimal import Decimal

import pytest

from matching import (
    DiscrepancyType,
    Document,
    Kind,
    Line,
    MatchingSettings,
    ReconcileResult,
    reconcile,
)

T = DiscrepancyType
SETTINGS = MatchingSettings()
PO_NUMBER = "PO-2026-0142"

PO_LINES = (
    Line(1, "Dell Latitude 5440 14in laptop", Decimal(10), "210-BDZX", Decimal("1000.00")),
    Line(2, 'Dell UltraSharp U2723QE 27" monitor', Decimal(10), unit_price=Decimal("549.00")),
    Line(3, "USB-C to HDMI adapter", Decimal(20), unit_price=Decimal("19.90")),
)

# How the vendor words the same three items.
LAPTOP = 'LAT 5440 Notebook 14" i5/16GB'
MONITOR = "U2723QE UltraSharp 27 4K Monitor"
ADAPTER = "Adapter USB-C -> HDMI"


def make_po(**changes: object) -> Document:
    po = Document(
        key="po-1",
        kind=Kind.PO,
        seq=1,
        number=PO_NUMBER,
        vendor="ACME GmbH",
        currency="EUR",
        lines=PO_LINES,
    )
    return dataclasses.replace(po, **changes)


def make_receipt(key: str = "grn-1", seq: int = 2, *lines: Line, **changes: object) -> Document:
    receipt = Document(
        key=key,
        kind=Kind.RECEIPT,
        seq=seq,
        number=f"GRN-{key}",
        po_number=PO_NUMBER,
        lines=lines
        or (
            Line(1, "Latitude 5440 laptops", Decimal(10)),
            Line(2, "Monitor U2723QE", Decimal(10)),
            Line(3, "HDMI adapter USB-C", Decimal(20)),
        ),
    )
    return dataclasses.replace(receipt, **changes)


def inv_line(
    no: int, description: str, quantity: str | int, price: str | None = None, **kw: object
) -> Line:
    unit_price = Decimal(price) if price is not None else None
    return Line(no, description, Decimal(quantity), unit_price=unit_price, **kw)


def make_invoice(key: str = "inv-1", seq: int = 10, *lines: Line, **changes: object) -> Document:
    invoice = Document(
        key=key,
        kind=Kind.INVOICE,
        seq=seq,
        number=f"INV-{key}",
        vendor="Acme GmbH.",
        date=date(2026, 3, 1),
        po_number=PO_NUMBER,
        currency="EUR",
        lines=lines or (inv_line(1, LAPTOP, 2, "1000.00"),),
    )
    return dataclasses.replace(invoice, **changes)


def run(
    invoices: Sequence[Document],
    pos: Sequence[Document] = (),
    receipts: Sequence[Document] | None = None,
    settings: MatchingSettings = SETTINGS,
) -> ReconcileResult:
    return reconcile(
        invoices,
        pos or [make_po()],
        [make_receipt()] if receipts is None else receipts,
        settings,
    )


def found(
    result: ReconcileResult, kind: DiscrepancyType | None = None
) -> set[tuple[str, int | None]]:
    """(invoice key, invoice line) of every discrepancy (of one type)."""
    return {(d.invoice_key, d.invoice_line) for d in result.discrepancies if kind in (None, d.type)}


def only(result: ReconcileResult, kind: DiscrepancyType) -> dict[str, str | None]:
    [d] = [d for d in result.discrepancies if d.type == kind]
    return {"expected": d.expected, "actual": d.actual, "reason": d.reason}


def test_a_clean_three_way_match_raises_nothing() -> None:
    invoice = make_invoice(
        "inv-1",
        10,
        inv_line(1, ADAPTER, 20, "19.90"),
        inv_line(2, LAPTOP, 10, "1000.00", sku="210BDZX"),
        inv_line(3, MONITOR, 10, "549.00"),
    )

    result = run([invoice])

    assert result.discrepancies == ()
    assert [(m.invoice_line, m.po_line, m.receipt_line) for m in result.matches] == [
        (1, 3, 3),
        (2, 1, 1),
        (3, 2, 2),
    ]


# --- price_variance -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("invoiced", "raised"),
    [
        ("1000.00", False),
        ("1019.00", False),  # 1.9 % above
        ("1020.00", False),  # exactly 2 %: within tolerance
        ("1021.00", True),  # 2.1 % above
        ("980.00", False),  # exactly 2 % below
        ("979.00", True),  # 2.1 % below
        ("1312.00", True),
    ],
)
def test_price_variance_tolerance_edge(invoiced: str, raised: bool) -> None:
    result = run([make_invoice("inv-1", 10, inv_line(1, LAPTOP, 1, invoiced))])

    assert (found(result, T.PRICE_VARIANCE) == {("inv-1", 1)}) is raised
    if raised:
        d = only(result, T.PRICE_VARIANCE)
        assert (d["expected"], d["actual"]) == ("1000.00", invoiced)


def test_price_variance_reason_is_for_people() -> None:
    result = run([make_invoice("inv-1", 10, inv_line(1, LAPTOP, 1, "1050.00"))])

    reason = only(result, T.PRICE_VARIANCE)["reason"]
    assert reason is not None
    assert "Unit price 1,050.00" in reason
    assert "5.0 % above the 1,000.00 of PO PO-2026-0142 line 1" in reason
    assert "(tolerance 2 %)" in reason


def test_price_variance_uses_amount_when_unit_price_is_missing() -> None:
    line = Line(1, LAPTOP, Decimal(2), amount=Decimal("2100.00"))

    result = run([make_invoice("inv-1", 10, line)])

    d = only(result, T.PRICE_VARIANCE)
    assert (d["expected"], d["actual"]) == ("1000.00", "1050.00")


def test_price_tolerance_is_a_setting() -> None:
    strict = MatchingSettings(price_tolerance_pct=Decimal("1"))

    result = run([make_invoice("inv-1", 10, inv_line(1, LAPTOP, 1, "1019.00"))], settings=strict)

    assert found(result, T.PRICE_VARIANCE) == {("inv-1", 1)}


# --- quantity_variance ----------------------------------------------------------------

InvoiceSpec = tuple[str, int, date | None, int]  # key, seq, date, quantity of the laptop


@pytest.mark.parametrize(
    ("specs", "raised"),
    [
        pytest.param([("a", 1, date(2026, 3, 1), 10)], {}, id="all-ordered"),
        pytest.param([("a", 1, date(2026, 3, 1), 11)], {"a": "11"}, id="one-too-many"),
        pytest.param(
            [("a", 1, date(2026, 3, 1), 6), ("b", 2, date(2026, 3, 5), 4)],
            {},
            id="two-invoices-exactly-the-order",
        ),
        pytest.param(
            [("a", 1, date(2026, 3, 1), 6), ("b", 2, date(2026, 3, 5), 6)],
            {"b": "12"},
            id="second-invoice-exceeds",
        ),
        pytest.param(
            [("a", 1, date(2026, 3, 9), 6), ("b", 2, date(2026, 3, 5), 6)],
            {"a": "12"},
            id="date-decides-not-arrival",
        ),
        pytest.param(
            [("a", 1, None, 6), ("b", 2, date(2026, 3, 5), 6)],
            {"a": "12"},
            id="undated-counts-after-dated",
        ),
        pytest.param(
            [("a", 2, None, 6), ("b", 1, None, 6)],
            {"a": "12"},
            id="undated-by-seq",
        ),
        pytest.param(
            [
                ("a", 1, date(2026, 3, 1), 6),
                ("b", 2, date(2026, 3, 5), 6),
                ("c", 3, date(2026, 3, 9), 1),
            ],
            {"b": "12", "c": "13"},
            id="every-invoice-beyond-the-order-raises",
        ),
    ],
)
def test_quantity_variance_is_cumulative(specs: list[InvoiceSpec], raised: dict[str, str]) -> None:
    invoices = [
        make_invoice(key, seq, inv_line(1, LAPTOP, qty, "1000.00"), date=day)
        for key, seq, day, qty in specs
    ]
    receipt = make_receipt("grn-1", 0, Line(1, "Latitude 5440", Decimal(100)))

    result = run(invoices, receipts=[receipt])

    assert found(result, T.QUANTITY_VARIANCE) == {(key, 1) for key in raised}
    for d in result.discrepancies:
        if d.type == T.QUANTITY_VARIANCE:
            assert (d.expected, d.actual) == ("10", raised[d.invoice_key])


# --- not_received ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("received", "invoiced", "raised"),
    [
        pytest.param([4], [3], {}, id="within-partial-receipt"),
        pytest.param([4], [3, 3], {"inv-2": ("4", "6")}, id="second-invoice-beyond-receipt"),
        pytest.param([4], [5], {"inv-1": ("4", "5")}, id="beyond-partial-receipt"),
        pytest.param([4, 6], [10], {}, id="two-receipts-add-up"),
        pytest.param([], [1], {"inv-1": ("0", "1")}, id="nothing-received"),
    ],
)
def test_not_received(
    received: list[int], invoiced: list[int], raised: dict[str, tuple[str, str]]
) -> None:
    """
    GIVEN goods receipts for part of the laptops (worded by the warehouse)
    WHEN invoices for the laptops arrive one after the other
    THEN the invoice line that takes the invoiced total past the received total,
         and only that one, raises not_received
    """
    receipts = [
        make_receipt(f"grn-{n}", n, Line(1, "Latitude 5440 laptops", Decimal(qty)))
        for n, qty in enumerate(received, start=1)
    ]
    invoices = [
        make_invoice(f"inv-{n}", 10 + n, inv_line(1, LAPTOP, qty, "1000.00"))
        for n, qty in enumerate(invoiced, start=1)
    ]

    result = run(invoices, receipts=receipts)

    assert found(result, T.NOT_RECEIVED) == {(key, 1) for key in raised}
    for d in result.discrepancies:
        if d.type == T.NOT_RECEIVED:
            assert (d.expected, d.actual) == raised[d.invoice_key]
    assert found(result, T.QUANTITY_VARIANCE) == set()


def test_a_receipt_for_another_po_counts_for_nothing() -> None:
    other = make_receipt(po_number="PO-2026-9999")

    result = run([make_invoice()], receipts=[other])

    assert found(result, T.NOT_RECEIVED) == {("inv-1", 1)}


# --- duplicate_invoice ----------------------------------------------------------------


def test_duplicate_invoice_only_the_later_copy_and_nothing_else() -> None:
    """
    GIVEN an invoice for all 10 laptops, and the same invoice again (vendor and
          number written differently, the copy also overpriced and cited to no PO)
    WHEN both are reconciled
    THEN only the later copy is flagged, as a duplicate and nothing else, and
         it counts toward no quantity (no quantity_variance for the first)
    """
    first = make_invoice("inv-a", 10, inv_line(1, LAPTOP, 10, "1000.00"), number="INV-1001")
    copy = make_invoice(
        "inv-b",
        11,
        inv_line(1, LAPTOP, 10, "1500.00"),
        number="inv 1001",
        vendor="ACME GmbH",
        total=Decimal("1"),
        po_number=None,
    )

    result = run([copy, first])

    assert [(d.type, d.invoice_key) for d in result.discrepancies] == [
        (T.DUPLICATE_INVOICE, "inv-b")
    ]
    [d] = result.discrepancies
    assert (d.expected, d.actual, d.po_key) == ("document inv-a", "document inv-b", None)
    assert {m.invoice_key for m in result.matches} == {"inv-a"}


@pytest.mark.parametrize(
    ("first", "second", "duplicate"),
    [
        (("ACME GmbH", "INV-1001"), ("Acme GmbH.", "INV 1001"), True),
        (("ACME GmbH", "INV-1001"), ("Acme", "inv1001"), True),
        (("ACME GmbH", "INV-1001"), ("Globex Inc", "INV-1001"), False),
        (("ACME GmbH", "INV-1001"), ("ACME GmbH", "INV-1002"), False),
        ((None, "INV-1001"), (None, "INV-1001"), True),
        ((None, "INV-1001"), ("ACME GmbH", "INV-1001"), False),
        (("ACME GmbH", None), ("ACME GmbH", None), False),
    ],
)
def test_duplicate_invoice_table(
    first: tuple[str | None, str | None], second: tuple[str | None, str | None], duplicate: bool
) -> None:
    invoices = [
        make_invoice("inv-a", 10, vendor=first[0], number=first[1]),
        make_invoice("inv-b", 11, vendor=second[0], number=second[1]),
    ]

    result = run(invoices)

    assert (found(result, T.DUPLICATE_INVOICE) == {("inv-b", None)}) is duplicate
    assert ("inv-a", None) not in found(result, T.DUPLICATE_INVOICE)


def test_every_later_copy_points_at_the_first() -> None:
    invoices = [
        make_invoice(key, seq, number="INV-7") for key, seq in [("c", 3), ("a", 1), ("b", 2)]
    ]

    result = run(invoices)

    assert [(d.invoice_key, d.expected, d.po_key) for d in result.discrepancies] == [
        ("b", "document a", "po-1"),
        ("c", "document a", "po-1"),
    ]


# --- no_po ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cited", "raised"),
    [
        (PO_NUMBER, False),
        ("po 2026 0142", False),
        ("PO/2026/0142", False),
        ("PO-2026-0143", True),
        (None, True),
    ],
)
def test_no_po(cited: str | None, raised: bool) -> None:
    result = run([make_invoice(po_number=cited)])

    assert (found(result, T.NO_PO) == {("inv-1", None)}) is raised
    if raised:
        d = only(result, T.NO_PO)
        # the vendor's PO the invoice's lines fit is suggested as expected
        assert (d["expected"], d["actual"]) == (PO_NUMBER, cited)
        assert f"Best fit among ACME GmbH's POs: {PO_NUMBER} (1 of 1 lines match" in str(
            d["reason"]
        )


@pytest.mark.parametrize(
    ("lines", "suggested"),
    [
        # two of three lines fit PO-2 (the monitor order), one fits PO-1
        ((inv_line(1, MONITOR, 2, "549.00"), inv_line(2, ADAPTER, 4, "19.90"),
          inv_line(3, LAPTOP, 1, "1000.00")), "PO-2"),
        # the laptop alone fits PO-1 better (PO-2 has no laptop)
        ((inv_line(1, LAPTOP, 1, "1000.00"),), "PO-1"),
        # nothing the vendor ordered: no suggestion
        ((inv_line(1, "Espresso machine, dual boiler", 1, "1890.00"),), None),
    ],
)  # fmt: skip
def test_no_po_suggests_the_vendors_po_the_lines_fit(
    lines: tuple[Line, ...], suggested: str | None
) -> None:
    po1 = make_po(key="po-1", number="PO-1", lines=PO_LINES[:1])
    po2 = make_po(key="po-2", seq=2, number="PO-2", lines=PO_LINES[1:])
    other = make_po(key="po-3", seq=3, number="PO-3", vendor="Brightline Systems GmbH")
    invoice = make_invoice("inv-1", 10, *lines, po_number=None)
    d = only(run([invoice], [po1, po2, other], []), T.NO_PO)
    assert d["expected"] == suggested
    assert ("Best fit" in str(d["reason"])) is (suggested is not None)


def test_no_po_suppresses_line_level_discrepancies_and_matches() -> None:
    """
    GIVEN an invoice citing an unknown PO, with an overpriced line, an
          unmatched line and a header total that does not add up
    WHEN it is reconciled
    THEN it gets no_po and total_mismatch (its own arithmetic), nothing per line,
         and no matches
    """
    invoice = make_invoice(
        "inv-1",
        10,
        inv_line(1, LAPTOP, 50, "1500.00"),
        inv_line(2, "Shipping and handling", 1, "30.00"),
        po_number="PO-0000",
        total=Decimal("1.00"),
    )

    result = run([invoice])

    assert sorted(d.type for d in result.discrepancies) == [T.NO_PO, T.TOTAL_MISMATCH]
    assert result.matches == ()


# --- total_mismatch -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("subtotal", "tax", "total", "raised", "expected", "actual"),
    [
        ("1000.00", "190.00", "1190.00", False, None, None),
        (None, "190.00", "1190.01", False, None, None),  # within 0.01
        (None, "190.00", "1190.02", True, "1190.00", "1190.02"),
        (None, "190.00", "1189.98", True, "1190.00", "1189.98"),
        ("999.98", "190.00", "1190.00", True, "1000.00", "999.98"),  # subtotal wrong
        ("999.98", "190.00", None, False, None, None),  # no total: no check
        (None, None, "1000.00", False, None, None),  # no tax: counts as 0
        (None, None, "1190.00", True, "1000.00", "1190.00"),
    ],
)
def test_total_mismatch(
    subtotal: str | None,
    tax: str | None,
    total: str | None,
    raised: bool,
    expected: str | None,
    actual: str | None,
) -> None:
    invoice = make_invoice(
        "inv-1",
        10,
        inv_line(1, LAPTOP, 1, "800.00"),  # 800.00 by quantity x price
        Line(2, MONITOR, Decimal(1), unit_price=Decimal("549.00"), amount=Decimal("200.00")),
        subtotal=None if subtotal is None else Decimal(subtotal),
        tax=None if tax is None else Decimal(tax),
        total=None if total is None else Decimal(total),
    )

    result = run([invoice])

    assert (found(result, T.TOTAL_MISMATCH) == {("inv-1", None)}) is raised
    if raised:
        d = only(result, T.TOTAL_MISMATCH)
        assert (d["expected"], d["actual"]) == (expected, actual)


# --- vendor_mismatch ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("invoice_vendor", "po_vendor", "raised"),
    [
        ("Acme GmbH.", "ACME GmbH", False),
        ("Acme", "ACME GmbH", False),
        ("ACME GMBH", "Acme Gmbh", False),
        ("Globex Inc", "Initech Ltd", True),
        ("Initech Ltd", "ACME GmbH", True),
        (None, "ACME GmbH", False),
        ("Globex Inc", None, False),
    ],
)
def test_vendor_mismatch(invoice_vendor: str | None, po_vendor: str | None, raised: bool) -> None:
    result = run([make_invoice(vendor=invoice_vendor)], pos=[make_po(vendor=po_vendor)])

    assert (found(result, T.VENDOR_MISMATCH) == {("inv-1", None)}) is raised
    if raised:
        d = only(result, T.VENDOR_MISMATCH)
        assert (d["expected"], d["actual"]) == (po_vendor, invoice_vendor)


# --- currency_mismatch ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("invoice_currency", "po_currency", "raised"),
    [
        ("EUR", "EUR", False),
        ("eur ", "EUR", False),
        ("USD", "EUR", True),
        (None, "EUR", False),
        ("USD", None, False),
    ],
)
def test_currency_mismatch(
    invoice_currency: str | None, po_currency: str | None, raised: bool
) -> None:
    result = run([make_invoice(currency=invoice_currency)], pos=[make_po(currency=po_currency)])

    assert (found(result, T.CURRENCY_MISMATCH) == {("inv-1", None)}) is raised


# --- unmatched_line -------------------------------------------------------------------


def test_unmatched_line() -> None:
    invoice = make_invoice(
        "inv-1",
        10,
        inv_line(1, LAPTOP, 1, "1000.00"),
        inv_line(2, "Shipping and handling", 1, "30.00"),
    )

    result = run([invoice])

    assert found(result) == {("inv-1", 2)}
    [d] = result.discrepancies
    assert (d.type, d.po_key, d.actual) == (T.UNMATCHED_LINE, "po-1", "Shipping and handling")
    assert d.reason.startswith("Invoice line 2 ('Shipping and handling') matches no line of PO")
    assert [m.invoice_line for m in result.matches] == [1]


# --- matches and order ----------------------------------------------------------------


def test_a_match_names_the_first_receipt_line_or_none() -> None:
    receipts = [
        make_receipt("grn-late", 5, Line(7, "Latitude 5440", Decimal(4))),
        make_receipt("grn-early", 3, Line(2, "LAT 5440", Decimal(6))),
    ]
    invoice = make_invoice(
        "inv-1", 10, inv_line(1, LAPTOP, 10, "1000.00"), inv_line(2, MONITOR, 1, "549.00")
    )

    result = run([invoice], receipts=receipts)

    laptop, monitor = result.matches
    assert (laptop.receipt_key, laptop.receipt_line) == ("grn-early", 2)
    assert (monitor.receipt_key, monitor.receipt_line) == (None, None)
    assert found(result, T.NOT_RECEIVED) == {("inv-1", 2)}


def test_output_does_not_depend_on_input_order() -> None:
    invoices = [
        make_invoice("a", 1, inv_line(1, LAPTOP, 6, "1100.00"), inv_line(2, "Freight", 1, "9")),
        make_invoice("b", 2, inv_line(1, LAPTOP, 6, "1000.00"), currency="USD"),
        make_invoice("c", 3, inv_line(1, MONITOR, 1, "549.00"), number="INV-a"),
        make_invoice("d", 4, po_number=None),
    ]
    receipts = [make_receipt("grn-1", 1), make_receipt("grn-2", 2)]
    expected = run(invoices, receipts=receipts)

    shuffled = random.Random(3)
    for _ in range(5):
        invoices_, receipts_ = list(invoices), list(receipts)
        shuffled.shuffle(invoices_)
        shuffled.shuffle(receipts_)
        assert run(invoices_, receipts=receipts_) == expected

    assert [(d.invoice_key, d.invoice_line, d.type) for d in expected.discrepancies] == [
        ("a", 1, T.PRICE_VARIANCE),
        ("a", 2, T.UNMATCHED_LINE),
        ("b", None, T.CURRENCY_MISMATCH),
        ("b", 1, T.QUANTITY_VARIANCE),
        ("c", None, T.DUPLICATE_INVOICE),
        ("d", None, T.NO_PO),
    ]


def test_duplicate_names_the_files_a_person_can_find() -> None:
    """GIVEN two copies of one invoice from different files
    THEN the discrepancy names the original's file as expected and the copy's as actual."""
    from dataclasses import replace

    first = replace(
        make_invoice("inv-a", 10, inv_line(1, LAPTOP, 10, "1000.00"), number="INV-1001"),
        source="INV-1001.pdf",
    )
    copy = replace(
        make_invoice("inv-b", 11, inv_line(1, LAPTOP, 10, "1000.00"), number="INV-1001"),
        source="scan_0042.pdf",
    )
    [d] = run([first, copy]).discrepancies
    assert (d.type, d.expected, d.actual) == (T.DUPLICATE_INVOICE, "INV-1001.pdf", "scan_0042.pdf")
    assert "INV-1001.pdf" in d.reason


def test_no_po_finds_the_fit_among_many_pos_of_the_vendor() -> None:
    """Only a shortlist of the vendor's POs is fitted line by line; the right
    one must make the shortlist among 30 others."""
    decoys = [
        make_po(key=f"po-{i}", seq=i, number=f"PO-D{i}",
                lines=(Line(1, f"Office chair model {i}", Decimal(1), unit_price=Decimal(99)),))
        for i in range(2, 32)
    ]  # fmt: skip
    right = make_po(key="po-99", seq=99, number="PO-99", lines=PO_LINES)
    invoice = make_invoice("inv-1", 100, inv_line(1, MONITOR, 2, "549.00"), po_number=None)
    d = only(run([invoice], [*decoys, right], []), T.NO_PO)
    assert d["expected"] == "PO-99"
