"""Identity tokens: generations, editions, capacities and model numbers tell variants apart.

Each case is a pair a reviewer found or a vendor wording seen on real
invoices.  Different variants must score below ``description_min_score`` or
lose to their own PO line in an assignment; the same item in a vendor's
words must still match, however much detail only one side adds.
"""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from matching import Line, MatchingSettings, match_lines
from matching.lines import (
    _CONFLICT_RULE,
    IdentityKind,
    _conflict_matrix,
    _conflicts,
    _overlap,
    identity_tokens,
    line_scores,
)

SETTINGS = MatchingSettings()
MIN_SCORE = SETTINGS.description_min_score


def score(invoice_line: str, po_line: str) -> float:
    return float(line_scores(lines(invoice_line), lines(po_line), SETTINGS)[0, 0])


def lines(*descriptions: str, prices: tuple[str, ...] = ()) -> list[Line]:
    return [
        Line(
            line_no=n,
            description=d,
            quantity=Decimal(1),
            unit_price=Decimal(prices[n - 1]) if prices else None,
        )
        for n, d in enumerate(descriptions, start=1)
    ]


@pytest.mark.parametrize(
    ("description", "kind", "expected"),
    [
        ("HP EliteBook 840 G10", IdentityKind.GENERATION, {"gen10"}),
        ("ThinkPad T14 Gen 5", IdentityKind.GENERATION, {"gen5"}),
        ("ThinkPad T14 G5", IdentityKind.GENERATION, {"gen5"}),
        ("ThinkPad T14 Gen5", IdentityKind.GENERATION, {"gen5"}),
        ("Echo Dot (5th Gen)", IdentityKind.GENERATION, {"gen5"}),
        ("Generation 2 controller", IdentityKind.GENERATION, {"gen2"}),
        ("Mount Mk 2 rev. 3", IdentityKind.GENERATION, {"gen2", "gen3"}),
        ("Hub v2", IdentityKind.GENERATION, {"gen2"}),
        ("HDMI v2.1 cable", IdentityKind.GENERATION, set()),  # a version, not a generation
        ("ThinkPad T14 G5 21ML 125U", IdentityKind.MODEL, {"t14", "21ml", "125u", "125"}),
        ("Logitech MX Master 3S", IdentityKind.MODEL, {"3s"}),
        ("4x IEC outlets, 4th gen", IdentityKind.MODEL, set()),  # multiplier and ordinal
        ('LAT 5440 Notebook 14" i5/16GB', IdentityKind.MODEL, {"5440", "i5"}),
        ("Microsoft 365 Business Standard", IdentityKind.EDITION, {"business", "standard"}),
        ("Windows 11 Professional", IdentityKind.EDITION, {"pro"}),
        ("Dell UltraSharp U2723QE", IdentityKind.EDITION, set()),  # a word, not a tier
        ("MacBook Air 13 512GB", IdentityKind.CAPACITY, {"512gb"}),
        ("SSD 1 TB", IdentityKind.CAPACITY, {"1tb"}),
        ("SSD 1024GB", IdentityKind.CAPACITY, {"1tb"}),
        ("Drive 0.5TB", IdentityKind.CAPACITY, {"500gb"}),
        ("i5/16GB/512GB SSD", IdentityKind.CAPACITY, {"16gb", "512gb"}),
    ],
)
def test_identity_tokens(description: str, kind: IdentityKind, expected: set[str]) -> None:
    assert identity_tokens(description)[kind] == expected


# Variants of one product: read alike, are different items.  The scores before
# identity tokens counted are in the comments.
DIFFERENT_VARIANTS: list[tuple[str, str, str]] = [
    ("HP EliteBook 840 G10", "HP EliteBook 840 G11", "generations differ (gen10 vs gen11)"),
    ("ThinkPad T14 Gen 4", "ThinkPad T14 Gen 5", "generations differ (gen4 vs gen5)"),
    ("Intel NUC 13th gen", "Intel NUC 12th gen", "generations differ (gen13 vs gen12)"),
    ("ThinkPad T14 Gen 5", "ThinkPad T14s Gen 5", "model numbers differ (t14 vs t14s)"),
    ("MacBook Air 13 512GB", "MacBook Air 13 1TB", "capacities differ (512gb vs 1tb)"),
    ("Samsung 990 Pro 1TB NVMe SSD", "Samsung 990 Pro 2TB NVMe SSD", "capacities differ"),
    (
        "Microsoft 365 Business Standard",
        "Microsoft 365 Business Premium",
        "editions differ (business, standard vs business, premium)",
    ),
    ("Office Home & Student 2024", "Office Home & Business 2024", "editions differ"),
    ("Apple MacBook Air 13 M3", "Apple MacBook Pro 13 M3", "editions differ (air vs pro)"),
    ("Windows 11 Pro licence", "Windows 11 Home licence", "editions differ"),
]


@pytest.mark.parametrize(("invoice_line", "po_line", "why"), DIFFERENT_VARIANTS)
def test_different_variants_stay_unmatched(invoice_line: str, po_line: str, why: str) -> None:
    result = match_lines(lines(invoice_line), lines(po_line), SETTINGS)

    assert not result.pairs
    [miss] = result.unmatched
    assert f"below the {MIN_SCORE:.0f} needed: " in miss.reason
    assert why in miss.reason


@pytest.mark.parametrize(("invoice_line", "po_line", "why"), DIFFERENT_VARIANTS)
def test_different_variants_lose_to_their_own_po_line(
    invoice_line: str, po_line: str, why: str
) -> None:
    """
    GIVEN a PO listing both variants
    WHEN invoices name each of them
    THEN each goes to its own variant
    """
    po = lines(po_line, invoice_line)

    for invoice, own in ((invoice_line, 1), (po_line, 0)):
        [pair] = match_lines(lines(invoice), po, SETTINGS).pairs
        assert pair.right == own, why


def test_reworded_mx_keys_stays_below_mx_master() -> None:
    """Shared brand and series words only: the under-match must stay one."""
    assert score("Logitech MX Keys keyboard", "Logitech MX Master 3S mouse") < MIN_SCORE


@pytest.mark.parametrize(
    ("base", "variant"),
    [
        ("iPhone 15", "iPhone 15 Pro"),
        ("iPhone 15 Pro", "iPhone 15 Pro Max"),
        ("Galaxy S24", "Galaxy S24 Ultra"),
    ],
)
def test_a_variant_named_on_one_side_only_goes_to_its_own_line(base: str, variant: str) -> None:
    """
    GIVEN a PO for a product and for its Pro (Max, ...) variant, and an
          invoice for both in the other order, each at the other's PO price
    WHEN the lines are matched
    THEN each invoice line goes to its own variant: naming the same edition
         outweighs a closer price, though the base wording is contained in
         the variant's and scores 100 against both
    """
    po = lines(base, variant, prices=("799.00", "999.00"))
    invoice = lines(variant, base, prices=("799.00", "999.00"))

    result = match_lines(invoice, po, SETTINGS)

    assert {(p.left, p.right) for p in result.pairs} == {(0, 1), (1, 0)}
    for alone, own in ((base, 0), (variant, 1)):
        [pair] = match_lines(lines(alone), po, SETTINGS).pairs
        assert pair.right == own


def test_an_edition_on_one_side_only_is_named_in_the_reason() -> None:
    [pair] = match_lines(lines("iPhone 15 Pro"), lines("iPhone 15"), SETTINGS).pairs

    assert "edition pro named on one line only" in pair.reason


def test_an_sku_match_still_names_a_conflict() -> None:
    po = [Line(1, "HP EliteBook 840 G10", Decimal(1), sku="A26S8EA")]
    invoice = [Line(1, "HP EliteBook 840 G11", Decimal(1), sku="A26S8EA")]

    [pair] = match_lines(invoice, po, SETTINGS).pairs

    assert pair.score == 100
    assert "generations differ (gen11 vs gen10)" in pair.reason


# The same item as a buyer and a vendor write it: abbreviations, reordering,
# marketing words, and detail (part numbers, processor, capacities, editions
# of a component) on one side only.
SAME_ITEM: list[tuple[str, str]] = [
    ("Dell Latitude 5440 14in laptop", 'LAT 5440 Notebook 14" i5/16GB'),
    ("ThinkPad T14 G5", 'ThinkPad T14 G5 21ML 14" Core Ultra 5 125U/32GB/1TB'),
    ("Lenovo ThinkPad T14 Gen 5 laptop", 'ThinkPad T14 G5 21ML 14" Core Ultra 5 125U/32GB/1TB'),
    ("ThinkPad T14 Gen 5", "ThinkPad T14 G5"),
    ("Lenovo ThinkPad T14s Gen 4", "ThinkPad T14s G4 21F6 Ryzen 7"),
    (
        "HP EliteBook 840 G11 laptop",
        'HP EliteBook 840 G11 14" Core Ultra 7 155U, 16GB RAM, 512GB SSD, Windows 11 Pro',
    ),
    ("Apple MacBook Pro 14 M3", "MacBook Pro 14in M3 8-core 512GB"),
    ("MacBook Air 13 512GB", "MacBook Air 13in 16GB 512GB SSD"),
    ("Samsung 980 Pro 1TB NVMe SSD", "SSD 1TB M.2 NVMe 980 PRO"),
    ("Microsoft 365 Business Premium", "Microsoft 365 Business Premium (NCE, annual commitment)"),
    ("Windows 11 Professional", "Windows 11 Pro"),
    ("Logitech Brio 4K webcam", "Logitech BRIO Ultra HD Pro Business Webcam 4K"),
    ("Logitech MX Master 3S mouse", "MX Master 3S Performance Wireless Mouse graphite"),
    ("Dell 27 Monitor P2723D", 'P2723D 27" QHD Monitor'),
]


@pytest.mark.parametrize(("po_line", "invoice_line"), SAME_ITEM)
def test_vendor_wording_still_matches(po_line: str, invoice_line: str) -> None:
    [pair] = match_lines(lines(invoice_line), lines(po_line), SETTINGS).pairs

    assert pair.score >= MIN_SCORE
    assert "differ" not in pair.reason


# Tokens a vendor adds on its side: part numbers, processors, capacities,
# generations, editions, specs.
BASES = [w for pair in SAME_ITEM for w in pair] + [d for d, _, _ in DIFFERENT_VARIANTS]
EXTRAS = [
    "21ML", "W1A53A", "SMT1500IC", "i7-1365U", "125U", "i5", "M.2", "3S", "T14",
    "512GB", "16 GB", "1TB", "G5", "Gen 4", "5th gen", "Pro", "Premium", "Business",
    "130W", '27"', "4K", "USB-C", "graphite", "(EU)", "2x",
]  # fmt: skip


@given(base=st.sampled_from(BASES), extras=st.lists(st.sampled_from(EXTRAS), max_size=4))
def test_detail_on_one_side_never_makes_a_conflict(base: str, extras: list[str]) -> None:
    """An identical pair stays a match whatever one side adds (no conflict can appear)."""
    padded = " ".join([base, *extras])

    assert not _conflicts(identity_tokens(base), identity_tokens(padded))
    assert score(padded, base) >= MIN_SCORE
    assert score(base, padded) >= MIN_SCORE


@given(st.text(min_size=1).filter(lambda t: any(c.isalnum() for c in t)))
def test_a_line_never_conflicts_with_itself(text: str) -> None:
    assert not _conflicts(identity_tokens(text), identity_tokens(text))


@given(
    left=st.lists(st.sampled_from(BASES + EXTRAS), min_size=1, max_size=6),
    right=st.lists(st.sampled_from(BASES + EXTRAS), min_size=1, max_size=6),
)
def test_the_conflict_matrix_equals_the_reference(left: list[str], right: list[str]) -> None:
    """The numpy form used for whole blocks agrees with the per-pair form used in reasons."""
    ids_left = [identity_tokens(d) for d in left]
    ids_right = [identity_tokens(d) for d in right]

    for kind, rule in _CONFLICT_RULE.items():
        fast = _conflict_matrix(
            rule, *_overlap([i[kind] for i in ids_left], [i[kind] for i in ids_right])
        )
        reference = np.array(
            [[kind in _conflicts(a, b) for b in ids_right] for a in ids_left], dtype=np.bool_
        )
        assert (fast == reference).all()
