"""Amounts, quantities, dates, currencies and identifiers from printed text."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from extractors.parsing import (
    DateOrder,
    NumberStyle,
    currency_of,
    date_order_evidence,
    find_dates,
    identifier,
    number_style_evidence,
    parse_amount,
    parse_date,
    parse_quantity,
)

MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def fmt(value: Decimal, style: NumberStyle, *, grouping: bool = True, places: int = 2) -> str:
    """Print ``value`` the way a document in ``style`` does."""
    text = f"{abs(value):,.{places}f}" if grouping else f"{abs(value):.{places}f}"
    if style is NumberStyle.COMMA_DECIMAL:
        text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return ("-" if value < 0 else "") + text


money = st.decimals(
    min_value=Decimal("-9999999.99"),
    max_value=Decimal("9999999.99"),
    places=2,
    allow_nan=False,
    allow_infinity=False,
)


@given(money, st.sampled_from(list(NumberStyle)), st.booleans())
def test_amount_round_trips_in_either_style(
    value: Decimal, style: NumberStyle, grouping: bool
) -> None:
    parsed = parse_amount(fmt(value, style, grouping=grouping), style=style)
    assert parsed is not None
    assert parsed.value == value


@given(money, st.sampled_from(list(NumberStyle)))
def test_two_decimal_amounts_need_no_style(value: Decimal, style: NumberStyle) -> None:
    """With two decimals the separators say which is which; no locale needed."""
    parsed = parse_amount(fmt(value, style))
    assert parsed is not None
    assert parsed.value == value


@given(
    money,
    st.sampled_from(list(NumberStyle)),
    st.sampled_from(["€", "EUR", "$", "USD", "£", "GBP"]),
    st.booleans(),
    st.booleans(),
)
def test_currency_before_or_after(
    value: Decimal, style: NumberStyle, symbol: str, before: bool, space: bool
) -> None:
    body = fmt(value, style)
    sep = " " if space else ""
    text = f"{symbol}{sep}{body}" if before else f"{body}{sep}{symbol}"
    parsed = parse_amount(text, style=style)
    assert parsed is not None
    assert parsed.value == value
    assert parsed.currency == currency_of(symbol)


@given(st.dates(min_value=date(1971, 1, 1), max_value=date(2068, 12, 31)))
def test_dates_round_trip_in_every_format(d: date) -> None:
    month = MONTHS[d.month - 1]
    unambiguous = [
        d.isoformat(),
        f"{d.day:02d}.{d.month:02d}.{d.year}",
        f"{d.day}.{d.month}.{d.year}",
        f"{month[:3]} {d.day}, {d.year}",
        f"{month} {d.day}, {d.year}",
        f"{d.day} {month} {d.year}",
        f"{d.day}-{month[:3]}-{d.year}",
        f"{d.day:02d}.{d.month:02d}.{d.year % 100:02d}",
    ]
    for text in unambiguous:
        parsed = parse_date(text)
        assert parsed is not None, text
        assert parsed.value == d, text
        assert not parsed.guessed
    us = parse_date(f"{d.month:02d}/{d.day:02d}/{d.year}", order=DateOrder.MDY)
    eu = parse_date(f"{d.day:02d}/{d.month:02d}/{d.year}", order=DateOrder.DMY)
    assert us is not None and us.value == d
    assert eu is not None and eu.value == d


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2060, 12, 31)))
def test_slash_dates_flag_only_real_ambiguity(d: date) -> None:
    parsed = parse_date(f"{d.month}/{d.day}/{d.year}", order=DateOrder.MDY)
    assert parsed is not None and parsed.value == d
    assert parsed.guessed == (d.day <= 12 and d.day != d.month)


@pytest.mark.parametrize(
    ("text", "style", "expected"),
    [
        ("1,234.56", None, Decimal("1234.56")),
        ("1.234,56", None, Decimal("1234.56")),
        ("1 234,56 €", None, Decimal("1234.56")),
        ("1'234.50", None, Decimal("1234.50")),
        ("(12.00)", None, Decimal("-12.00")),
        ("12.00-", None, Decimal("-12.00")),
        ("USD 0.12", None, Decimal("0.12")),
        ("€1,019.00", None, Decimal("1019.00")),
        ("1.234", NumberStyle.COMMA_DECIMAL, Decimal("1234")),
        ("1.234", NumberStyle.DOT_DECIMAL, Decimal("1.234")),
        ("1,500", NumberStyle.COMMA_DECIMAL, Decimal("1.500")),
        ("0,5", None, Decimal("0.5")),
    ],
)
def test_amount_examples(text: str, style: NumberStyle | None, expected: Decimal) -> None:
    parsed = parse_amount(text, style=style)
    assert parsed is not None
    assert parsed.value == expected


@pytest.mark.parametrize("text", ["20%", "VAT", "12.10.2026", "1.2.3", "Net 30", "", "1,23,4"])
def test_not_amounts(text: str) -> None:
    assert parse_amount(text) is None


def test_lone_separator_before_three_digits_is_a_guess_without_style() -> None:
    parsed = parse_amount("1,234")
    assert parsed is not None and parsed.guessed and parsed.value == Decimal(1234)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2", Decimal(2)),
        ("1.5 h", Decimal("1.5")),
        ("10 pcs", Decimal(10)),
        ("1,200", Decimal(1200)),
        ("3x", Decimal(3)),
    ],
)
def test_quantities(text: str, expected: Decimal) -> None:
    assert parse_quantity(text, style=NumberStyle.DOT_DECIMAL) == expected


def test_number_style_evidence() -> None:
    assert number_style_evidence(["1.234,56", "12,00", "EUR"]) is NumberStyle.COMMA_DECIMAL
    assert number_style_evidence(["$1,234.56", "0.12"]) is NumberStyle.DOT_DECIMAL
    assert number_style_evidence(["1,234", "Total"]) is None


def test_date_order_evidence_uses_parts_over_twelve() -> None:
    assert date_order_evidence(["Date 10/04/2026", "Due 10/31/2026"]) is DateOrder.MDY
    assert date_order_evidence(["14/10/2026"]) is DateOrder.DMY
    assert date_order_evidence(["10/04/2026"]) is None


def test_find_dates_inside_text() -> None:
    found = find_dates("Payment due on 05.11.2026, thank you")
    assert [m.parsed.value for m in found] == [date(2026, 11, 5)]
    assert parse_date("due on 05.11.2026 or later") is None  # more than a date


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        (["PO-2026-0141"], "PO-2026-0141"),
        (["4500012345"], "4500012345"),
        (["#", "10427"], "10427"),
        (["PO", "4711"], "PO 4711"),
        (["per", "e-mail", "from", "J.", "Smith"], None),
        (["verbal"], None),
        (["14.10.2026"], None),
    ],
)
def test_identifiers(words: list[str], expected: str | None) -> None:
    assert identifier(words) == expected


def test_currency_of() -> None:
    assert currency_of("€") == "EUR"
    assert currency_of("usd") == "USD"
    assert currency_of("£") == "GBP"
    assert currency_of("words") is None
