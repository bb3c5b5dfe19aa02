"""Tying invoice (or receipt) lines to PO lines: scores, global assignment, reasons."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pytest

from matching import Line, MatchingSettings, match_lines
from matching.lines import line_scores, match_lines_blocked

SETTINGS = MatchingSettings()

# The same item as a buyer writes it on the PO and as a vendor writes it on the
# invoice: brand dropped, model numbers kept, specs added, words reordered.
REWORDED: list[tuple[str, str]] = [
    ("Dell Latitude 5440 14in laptop", 'LAT 5440 Notebook 14" i5/16GB'),
    ('Dell UltraSharp U2723QE 27" monitor', "U2723QE UltraSharp 27 4K USB-C Hub Monitor"),
    ("Dell WD19S USB-C docking station", "Dock WD19S 130W"),
    ("Logitech MX Keys keyboard", "MX Keys Advanced Wireless Illuminated Keyboard"),
    ("Microsoft Office 2024 Home & Business licence", "Office Home and Business 2024 ESD"),
    ("Dell Latitude 7440 14in laptop", "Latitude 7440 NB i7 32GB"),
    ("HP EliteBook 840 G10 14in laptop", "EliteBook 840 G10 i5 16GB 512GB"),
    ("Dell Pro Wireless Keyboard and Mouse KM5221W", "KM5221W Pro Wireless Combo"),
    ("USB-C to HDMI adapter", "Adapter USB-C -> HDMI"),
    ("Apple MacBook Pro 14 M3", "MacBook Pro 14in M3 8-core 512GB"),
    ("Lenovo ThinkPad T14s Gen 4", "ThinkPad T14s G4 21F6 Ryzen 7"),
    ("Cisco Catalyst 9200L 24-port switch", "C9200L-24P-4G-E Catalyst 9200L 24p PoE+"),
    ("APC Smart-UPS 1500VA", "SMT1500IC Smart-UPS 1500 VA LCD 230V"),
    ("Samsung 980 Pro 1TB NVMe SSD", "SSD 1TB M.2 NVMe 980 PRO"),
    ("Logitech MX Master 3S mouse", "MX Master 3S Performance Wireless Mouse graphite"),
    ("HP LaserJet Pro M404dn printer", "LaserJet Pro M404dn W1A53A"),
    ("Dell 24 Monitor P2423D", 'P2423D 24" QHD Monitor'),
    ("Dell 27 Monitor P2723D", 'P2723D 27" QHD Monitor'),
]


def lines(*descriptions: str, price: str | None = None) -> list[Line]:
    unit_price = Decimal(price) if price is not None else None
    return [
        Line(line_no=n, description=d, quantity=Decimal(1), unit_price=unit_price)
        for n, d in enumerate(descriptions, start=1)
    ]


def test_reworded_and_reordered_lines_find_their_po_line() -> None:
    """
    GIVEN a PO of 18 IT items and an invoice naming the same items in the
          vendor's words and in a different order
    WHEN the invoice lines are matched to the PO lines
    THEN every invoice line lands on its own PO line
    """
    po = lines(*(ordered for ordered, _ in REWORDED))
    order = np.random.default_rng(7).permutation(len(REWORDED)).tolist()
    invoice = lines(*(REWORDED[i][1] for i in order))

    result = match_lines(invoice, po, SETTINGS)

    assert not result.unmatched
    assert {(p.left, p.right) for p in result.pairs} == {(k, i) for k, i in enumerate(order)}


@pytest.mark.parametrize(
    ("invoice_line", "po_line"),
    [
        ("Latitude 7440 14in laptop", "Dell Latitude 5440 14in laptop"),  # other model
        ('Dell P2423D 24" monitor', 'Dell P2723D 27" monitor'),  # other size, other model
        ("Samsung 990 Pro 2TB NVMe SSD", "Samsung 980 Pro 1TB NVMe SSD"),
        ("Shipping and handling", "Dell Latitude 5440 14in laptop"),
    ],
)
def test_different_items_stay_unmatched(invoice_line: str, po_line: str) -> None:
    result = match_lines(lines(invoice_line), lines(po_line), SETTINGS)

    assert not result.pairs
    [miss] = result.unmatched
    assert miss.best == 0
    assert f"below the {SETTINGS.description_min_score:.0f} needed" in miss.reason


def test_global_assignment_beats_greedy() -> None:
    """
    GIVEN a PO for a plain laptop and for the same laptop bundled with a dock,
          and an invoice whose bundle line reads most like the plain laptop
    WHEN the lines are matched
    THEN the bundle goes to the bundle and the plain laptop to the plain one,
         where taking the best-scoring pair first would have crossed them
    """
    po = lines(
        "Dell Latitude 5440 laptop",
        "Dell Latitude 5440 laptop with WD19S docking station bundle",
    )
    invoice = lines("Dell Latitude 5440 laptop + WD19S dock", "Latitude 5440 14in i5 16GB")
    scores = line_scores(invoice, po, SETTINGS)

    greedy = _greedy(scores, SETTINGS.description_min_score)
    result = match_lines(invoice, po, SETTINGS)

    assert greedy == {(0, 0), (1, 1)}, "the case no longer tricks a greedy matcher"
    assert {(p.left, p.right) for p in result.pairs} == {(0, 1), (1, 0)}


def _greedy(scores: np.ndarray, minimum: float) -> set[tuple[int, int]]:
    """Reference: take the best remaining pair until none reaches the minimum."""
    taken: set[tuple[int, int]] = set()
    left = scores.astype(float)
    while left.size and left.max() >= minimum:
        i, j = np.unravel_index(int(np.argmax(left)), left.shape)
        taken.add((int(i), int(j)))
        left[i, :] = -1
        left[:, j] = -1
    return taken


@pytest.mark.parametrize(
    ("invoice_line", "po_line"),
    [
        ("Freight - UPS Worldwide Expedited", "Freight (international, DAP Berlin)"),
        ("Carriage - next working day", "Delivery charge"),
        ("Freight / delivery charge", "Shipping & handling"),
    ],
)
def test_shipping_charges_match_whatever_the_wording(invoice_line: str, po_line: str) -> None:
    po = lines("Dell Latitude 5440 14in laptop", po_line)
    invoice = lines(invoice_line, 'LAT 5440 Notebook 14" i5/16GB')

    result = match_lines(invoice, po, SETTINGS)

    assert [(p.left, p.right) for p in result.pairs] == [(0, 1), (1, 0)]
    assert "both are shipping charges" in result.pairs[0].reason


def test_exact_sku_matches_whatever_the_wording() -> None:
    po = [Line(1, "Notebook, business, 14 inch", Decimal(2), sku="210-BDZX")]
    invoice = [Line(1, "LAT5440 i5", Decimal(2), sku="210 bdzx", unit_price=Decimal("1249.00"))]

    [pair] = match_lines(invoice, po, SETTINGS).pairs

    assert pair.score == 100
    assert pair.reason.startswith("SKU 210-BDZX matched exactly")


def test_price_breaks_a_tie_between_equally_worded_lines() -> None:
    """
    GIVEN a PO with two lines worded alike at different prices
    WHEN an invoice lists them in the other order, at the PO prices
    THEN each invoice line goes to the PO line with its price
    """
    po = [
        Line(1, "Dell 27 inch monitor", Decimal(1), unit_price=Decimal("249.00")),
        Line(2, "Dell 27 inch monitor", Decimal(1), unit_price=Decimal("599.00")),
    ]
    invoice = [
        Line(1, "DELL MONITOR 27in", Decimal(1), unit_price=Decimal("599.00")),
        Line(2, "DELL MONITOR 27in", Decimal(1), unit_price=Decimal("249.00")),
    ]

    result = match_lines(invoice, po, SETTINGS)

    assert {(p.left, p.right) for p in result.pairs} == {(0, 1), (1, 0)}


def test_a_price_difference_never_prevents_a_match() -> None:
    po = [Line(1, "Dell Latitude 5440 laptop", Decimal(1), unit_price=Decimal("1249.00"))]
    invoice = [Line(1, "Latitude 5440", Decimal(1), unit_price=Decimal("2500.00"))]

    assert len(match_lines(invoice, po, SETTINGS).pairs) == 1


def test_the_reason_names_the_evidence() -> None:
    po = [Line(1, "Dell Latitude 5440 14in laptop", Decimal(5), unit_price=Decimal("1249.00"))]
    invoice = [Line(1, 'LAT 5440 Notebook 14" i5/16GB', Decimal(5), unit_price=Decimal("1249"))]

    [pair] = match_lines(invoice, po, SETTINGS).pairs

    assert "model number 5440 on both" in pair.reason
    assert "price 1,249.00 vs 1,249.00" in pair.reason
    assert "quantity 5 vs 5" in pair.reason


def test_one_invoice_line_takes_one_po_line() -> None:
    po = lines("Dell Latitude 5440 laptop")
    invoice = lines("Dell Latitude 5440 laptop", "Dell Latitude 5440 laptop")

    result = match_lines(invoice, po, SETTINGS)

    assert len(result.pairs) == 1
    [miss] = result.unmatched
    assert "assigned to a line of this document that fits it better" in miss.reason


def test_documents_in_one_block_are_assigned_independently() -> None:
    po = lines("Dell Latitude 5440 laptop")
    first, second = lines("Latitude 5440"), lines("LAT 5440 Notebook")

    a, b = match_lines_blocked([first, second], po, SETTINGS)

    assert [(p.left, p.right) for p in a.pairs] == [(0, 0)]
    assert [(p.left, p.right) for p in b.pairs] == [(0, 0)]


@pytest.mark.parametrize(
    ("invoice", "po"),
    [([], lines("Dell Latitude 5440 laptop")), (lines("Dell Latitude 5440 laptop"), []), ([], [])],
)
def test_empty_sides(invoice: list[Line], po: list[Line]) -> None:
    result = match_lines(invoice, po, SETTINGS)

    assert not result.pairs
    assert len(result.unmatched) == len(invoice)
