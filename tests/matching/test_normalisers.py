"""The named normalisers: examples, then properties that must hold for any text."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from rapidfuzz import fuzz

from matching import (
    MatchingSettings,
    normalise_description,
    normalise_document_number,
    normalise_sku,
    normalise_vendor,
)
from matching.normalise import loose_document_number

NORMALISERS: list[Callable[[str], str]] = [
    normalise_description,
    normalise_vendor,
    normalise_document_number,
    normalise_sku,
]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Dell Latitude 5440 14in laptop", "dell latitude 5440 14 inch laptop"),
        ('LAT 5440 Notebook 14" i5/16GB', "lat 5440 laptop 14 inch i 5 16 gb"),
        ("27-inch Monitor", "27 inch monitor"),
        ("27\u2033 Monitor", "27 inch monitor"),  # double prime
        ("27\u201d Monitor", "27 inch monitor"),  # typographic quote
        ("24 Inches monitor", "24 inch monitor"),
        ("U2723-QE", "u 2723 qe"),
        ("U2723QE", "u 2723 qe"),
        ("Cable 1,5m", "cable 1 5 m"),
        ("Cable 1.5m", "cable 1 5 m"),
        ("ThinkPad T14 Gen 5", "thinkpad t 14 g 5"),  # as "T14 G5"
        ("Generation 4 hub", "g 4 hub"),
        ("Echo Dot 5th-gen", "echo dot g 5"),
        ("Next Gen Firewall", "next gen firewall"),  # no number: a word
        ("2 in 1 convertible", "2 in 1 convertible"),  # "in" alone is a word, not inches
        ("  MX   Keys\tKeyboard ", "mx keys keyboard"),
        ("STRASSE Kabel", "strasse kabel"),
        ("Straße Kabel", "strasse kabel"),
    ],
)
def test_normalise_description_examples(raw: str, expected: str) -> None:
    assert normalise_description(raw) == expected


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("ACME GmbH", "Acme GmbH."),
        ("ACME GmbH", "Acme"),
        ("Acme & Co. KG", "ACME"),
        ("Globex S.A.", "Globex SA"),
        ("Initech B.V.", "initech"),
        ("Dell Technologies Inc.", "DELL TECHNOLOGIES, INC"),
        ("Hooli Limited", "Hooli Ltd"),
        ("Umbrella Corp.", "Umbrella Corporation"),
    ],
)
def test_vendor_names_that_are_the_same(a: str, b: str) -> None:
    assert normalise_vendor(a) == normalise_vendor(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Globex Inc", "Initech Ltd"),
        ("Acme GmbH", "Apex GmbH"),
        ("Dell", "HP Inc"),
    ],
)
def test_vendor_names_that_differ_score_below_the_minimum(a: str, b: str) -> None:
    score = fuzz.token_set_ratio(a, b, processor=normalise_vendor)
    assert score < MatchingSettings().vendor_min_score


def test_a_name_of_only_legal_forms_is_not_reduced_to_nothing() -> None:
    assert normalise_vendor("GmbH & Co. KG") != ""


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("PO-2026-0142", "po 2026 0142"),
        ("PO/2026/0142", "PO.2026.0142"),
        ("INV #1001", "inv1001"),
        ("\uff30\uff2f\uff0d\uff12\uff10\uff12\uff16", "po2026"),  # full-width, as from OCR
    ],
)
def test_document_numbers_that_are_the_same(a: str, b: str) -> None:
    assert normalise_document_number(a) == normalise_document_number(b)


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("INV-0042", "inv 42", True),
        # every run of digits, not only the first
        ("INV-2026-42", "INV-2026-0042", True),
        ("INV 2026 0042", "inv-2026-42", True),
        ("RE-007/0042", "RE-7/42", True),
        ("INV-2026-1042", "INV-2026-142", False),
        ("INV-2026-0042", "INV-2026-0043", False),
    ],
)
def test_loose_document_numbers_drop_leading_zeros_of_every_run(a: str, b: str, same: bool) -> None:
    assert (loose_document_number(a) == loose_document_number(b)) is same


def test_document_numbers_keep_leading_zeros() -> None:
    assert normalise_document_number("PO-0142") != normalise_document_number("PO-142")


@pytest.mark.parametrize("normalise", NORMALISERS)
@given(text=st.text())
def test_normalising_twice_changes_nothing(normalise: Callable[[str], str], text: str) -> None:
    once = normalise(text)
    assert normalise(once) == once


@pytest.mark.parametrize("normalise", NORMALISERS)
@pytest.mark.parametrize("scorer", [fuzz.ratio, fuzz.token_set_ratio, fuzz.token_sort_ratio])
@given(text=st.text())
def test_identical_strings_score_100(
    normalise: Callable[[str], str], scorer: Callable[..., float], text: str
) -> None:
    # token-based scorers give two empty strings 0; the matcher treats those itself.
    assume(normalise(text).strip())
    assert scorer(text, text, processor=normalise) == 100


_ALNUM = st.text(alphabet="ABCdef0123456789", min_size=1, max_size=12)


@given(number=_ALNUM, separators=st.lists(st.sampled_from([" ", "-", "/", ".", "_"])))
def test_separators_never_change_a_document_number(number: str, separators: list[str]) -> None:
    spaced = "".join(
        char + (separators[i] if i < len(separators) else "") for i, char in enumerate(number)
    )
    assert normalise_document_number(spaced) == normalise_document_number(number)


@given(
    name=st.text(alphabet="abcdefghijklmnopqrstuvwxyz ", min_size=1, max_size=20),
    suffix=st.sampled_from(["GmbH", "Ltd.", "Inc", "LLC", "B.V.", "S.A.", "AG", "Corp.", "Co."]),
)
def test_a_legal_form_never_changes_a_vendor(name: str, suffix: str) -> None:
    assume(normalise_vendor(name).strip())
    # No legal form inside the name already (then "gmbh gmbh" stays "gmbh gmbh").
    assume(normalise_vendor(f"{name} zzz") == f"{normalise_vendor(name)} zzz")
    assert normalise_vendor(f"{name} {suffix}") == normalise_vendor(name)
    assert normalise_vendor(f"{name.upper()}, {suffix}") == normalise_vendor(name)
