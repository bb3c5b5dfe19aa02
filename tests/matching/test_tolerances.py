"""Price tolerances like SAP's and Oracle's: percent above and below, an absolute
limit per unit, the stricter deciding, and the rule that decided in the reason."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from matching import DiscrepancyType, Document, Kind, Line, MatchingSettings, reconcile

ORDERED = Line(1, "Dell Latitude 5440 laptop", Decimal(1), "210-BDZX", Decimal("100.00"))


def price_reason(price: str, **overrides: str) -> str | None:
    settings = MatchingSettings(**overrides)  # type: ignore[arg-type]
    po = Document("po", Kind.PO, 1, "PO-1", vendor="ACME GmbH", lines=(ORDERED,))
    receipt = Document("grn", Kind.RECEIPT, 2, "GRN-1", vendor="ACME GmbH", po_number="PO-1",
                       date=date(2026, 10, 1), lines=(ORDERED,))  # fmt: skip
    billed = Line(1, ORDERED.description, Decimal(1), "210-BDZX", Decimal(price))
    invoice = Document("inv", Kind.INVOICE, 3, "INV-1", vendor="ACME GmbH", po_number="PO-1",
                       date=date(2026, 10, 2), lines=(billed,))  # fmt: skip
    result = reconcile([invoice], [po], [receipt], settings)
    found = [d.reason for d in result.discrepancies if d.type is DiscrepancyType.PRICE_VARIANCE]
    return found[0] if found else None


@pytest.mark.parametrize(
    ("price", "overrides", "rule"),
    [
        ("102.00", {}, None),  # exactly at the default 2 %
        ("103.00", {}, "3.0 % above the 100.00 of PO PO-1 line 1 (tolerance 2 %)."),
        ("98.00", {}, None),
        ("97.00", {}, "3.0 % below the 100.00 of PO PO-1 line 1 (tolerance 2 %)."),
        # a lower limit of its own: cheaper is fine down to 5 %, dearer still 2 %
        ("96.00", {"price_tolerance_pct_below": "5"}, None),
        ("94.00", {"price_tolerance_pct_below": "5"}, "(tolerance 5 % below)."),
        ("103.00", {"price_tolerance_pct_below": "5"}, "(tolerance 2 %)."),
        # an absolute limit per unit: the stricter of the two decides
        ("101.50", {"price_tolerance_pct": "10", "price_tolerance_abs": "2"}, None),
        ("103.00", {"price_tolerance_pct": "10", "price_tolerance_abs": "2"},
         "is 3.00 above the 100.00 of PO PO-1 line 1 (tolerance 2.00 a unit)."),
        ("103.00", {"price_tolerance_pct": "2", "price_tolerance_abs": "10"}, "(tolerance 2 %)."),
    ],
)  # fmt: skip
def test_price_tolerance(price: str, overrides: dict[str, str], rule: str | None) -> None:
    reason = price_reason(price, **overrides)
    if rule is None:
        assert reason is None
    else:
        assert reason is not None and reason.endswith(rule), reason


def quantity_reason(billed: int, **overrides: str) -> str | None:
    settings = MatchingSettings(**overrides)  # type: ignore[arg-type]
    ordered = Line(1, "USB-C cable 1 m", Decimal(100), None, Decimal("5.00"))
    po = Document("po", Kind.PO, 1, "PO-1", vendor="ACME GmbH", lines=(ordered,))
    arrived = Line(1, "USB-C cable 1 m", Decimal(110))
    receipt = Document("grn", Kind.RECEIPT, 2, "GRN-1", vendor="ACME GmbH", po_number="PO-1",
                       date=date(2026, 10, 1), lines=(arrived,))  # fmt: skip
    line = Line(1, "USB-C cable 1 m", Decimal(billed), None, Decimal("5.00"))
    invoice = Document("inv", Kind.INVOICE, 3, "INV-1", vendor="ACME GmbH", po_number="PO-1",
                       date=date(2026, 10, 2), lines=(line,))  # fmt: skip
    result = reconcile([invoice], [po], [receipt], settings)
    found = [d.reason for d in result.discrepancies if d.type is DiscrepancyType.QUANTITY_VARIANCE]
    return found[0] if found else None


@pytest.mark.parametrize(
    ("billed", "overrides", "raised", "says"),
    [
        (100, {}, False, None),
        (101, {}, True, "only 100 were ordered."),
        (105, {"quantity_tolerance_pct": "5"}, False, None),
        (106, {"quantity_tolerance_pct": "5"}, True, "only 100 were ordered (tolerance 5 %)."),
    ],
)
def test_quantity_tolerance(
    billed: int, overrides: dict[str, str], raised: bool, says: str | None
) -> None:
    reason = quantity_reason(billed, **overrides)
    assert (reason is not None) is raised
    if says is not None:
        assert reason is not None and reason.endswith(says), reason


def total_reason(total: str, settings: MatchingSettings, *, credit: bool = False) -> str | None:
    """The total_mismatch reason for an invoice of 1,000.00 in lines and 190.00
    tax that prints ``total`` (no subtotal printed), or None when accepted; with
    ``credit``, a credit note of -1,000.00 and -190.00."""
    sign = -1 if credit else 1
    line = Line(1, ORDERED.description, Decimal(10 * sign), "210-BDZX", Decimal("100.00"))
    invoice = Document("inv", Kind.CREDIT_NOTE if credit else Kind.INVOICE, 3, "INV-1",
                       vendor="ACME GmbH", po_number="PO-1", date=date(2026, 10, 2),
                       lines=(line,), tax=Decimal("190.00") * sign,
                       total=Decimal(total))  # fmt: skip
    result = reconcile([invoice], [], [], settings)
    found = [d.reason for d in result.discrepancies if d.type is DiscrepancyType.TOTAL_MISMATCH]
    return found[0] if found else None


@pytest.mark.parametrize(
    ("total", "overrides", "rule"),
    [
        ("1190.01", {}, None),
        ("1190.50", {}, "(tolerance 0.01)."),
        # percent of the lines plus tax: 0.05 % of 1,190.00 is 0.595
        ("1190.50", {"total_tolerance_pct": "0.05"}, None),
        ("1189.50", {"total_tolerance_pct": "0.05"}, None),
        ("1191.00", {"total_tolerance_pct": "0.05"}, "(tolerance 0.05 % of 1,190.00 = 0.60)."),
        # the limit is rounded to cents (half up) before comparing: 0.595 is 0.60
        ("1190.60", {"total_tolerance_pct": "0.05"}, None),
        ("1189.40", {"total_tolerance_pct": "0.05"}, None),
        ("1190.61", {"total_tolerance_pct": "0.05"}, "(tolerance 0.05 % of 1,190.00 = 0.60)."),
        # with both, the larger limit applies: here the absolute one
        ("1190.90", {"total_tolerance": "1.00", "total_tolerance_pct": "0.05"}, None),
        ("1191.50", {"total_tolerance": "1.00", "total_tolerance_pct": "0.05"},
         "(tolerance 1.00)."),
        # a lower limit of its own: below the lines by up to 0.1 %, above only by 0.01
        ("1189.00", {"total_tolerance_pct_below": "0.1"}, None),
        ("1188.00", {"total_tolerance_pct_below": "0.1"},
         "(tolerance for a total under the lines plus tax: 0.1 % of 1,190.00 = 1.19)."),
        ("1188.81", {"total_tolerance_pct_below": "0.1"}, None),
        ("1190.50", {"total_tolerance_pct_below": "0.1"}, "(tolerance 0.01)."),
        ("1190.50", {"total_tolerance_pct": "0.05", "total_tolerance_pct_below": "0"}, None),
        ("1189.50", {"total_tolerance_pct": "0.05", "total_tolerance_pct_below": "0"},
         "(tolerance 0.01)."),
    ],
)  # fmt: skip
def test_total_tolerance(total: str, overrides: dict[str, str], rule: str | None) -> None:
    reason = total_reason(total, MatchingSettings(**overrides))  # type: ignore[arg-type]
    if rule is None:
        assert reason is None
    else:
        assert reason is not None and reason.endswith(rule), reason


@pytest.mark.parametrize(
    ("total", "rule"),
    [
        ("-1188.81", None),  # under the lines in amount: the lower limit, as on an invoice
        ("-1188.80", "(tolerance for a total under the lines plus tax: 0.1 % of 1,190.00 = 1.19)."),
        ("-1190.50", "(tolerance 0.01)."),  # over the lines in amount
    ],
)
def test_a_credit_notes_sign_does_not_change_which_limit_applies(
    total: str, rule: str | None
) -> None:
    reason = total_reason(total, MatchingSettings(total_tolerance_pct_below=Decimal("0.1")),
                          credit=True)  # fmt: skip
    if rule is None:
        assert reason is None
    else:
        assert reason is not None and reason.startswith("On credit note INV-1 the total")
        assert reason.endswith(rule), reason


def test_total_tolerance_per_vendor_names_the_vendor() -> None:
    settings = MatchingSettings(vendors={"Acme GmbH": {"total_tolerance_pct": "0.1"}})
    assert total_reason("1191.00", settings) is None
    assert total_reason("1192.00", settings) == (
        "On invoice INV-1 the total 1,192.00 differs from the lines (1,000.00) plus tax"
        " (190.00) = 1,190.00 by 2.00 (tolerance 0.1 % of 1,190.00 = 1.19, for Acme GmbH)."
    )
    assert total_reason("1190.50", MatchingSettings()) is not None
