"""Tie the lines of one document to the lines of its PO.

Used for invoice lines to PO lines and for receipt lines to PO lines.  The
score says *what the item is*, in levels (as in record linkage):

1. **SKU exact**: both lines carry a SKU and the normalised SKUs are equal:
   score 100.
2. **Description**: otherwise ``fuzz.token_set_ratio`` of the normalised
   descriptions.  Token *set* because vendors add and drop words at will
   (brand, "laptop", specs): the ratio compares the shared tokens with each
   side's extra ones, so "Dell Latitude 5440 14 inch laptop" and
   "lat 5440 laptop 14 inch i 5 16 gb" score on what they share.  Its
   weakness, that generic words shared by many items lift unrelated pairs,
   is what level 3 corrects.
3. **Model numbers**: numbers of three or more digits (``5440``, ``2024``)
   and words mixing letters and digits (``WD19S``, ``U2723QE``) identify a
   model far better than words do, and do so for vendors never seen.  When
   both lines carry some, sharing them pulls the description score towards
   100 (by ``CODE_AGREEMENT_PULL`` times the share of the shorter list),
   sharing none multiplies it by ``CODE_CONFLICT_FACTOR``: "Latitude 5440"
   and "Latitude 7440" read alike but are different items.  Numbers with a
   unit (``16GB``, ``27in``) and short ones (``14``, ``i5``) are specs, not
   identities, and count only as words.
4. **Shipping charges**: two lines that both name a shipping charge
   (shipping, freight, carriage, delivery, postage, courier) are the same
   kind of line whatever else they say ("Freight - UPS Worldwide Expedited"
   vs "Freight (international, DAP Berlin)"): at least
   ``SHIPPING_CHARGE_SCORE``.  These words are universal, not one vendor's.

A pair is a candidate when its score reaches
``MatchingSettings.description_min_score``.  Among the candidates, the
assignment is solved globally (``scipy.optimize.linear_sum_assignment``,
maximising the total), so one greedy early choice cannot take the only good
partner of another line.  Unit price closeness and equal quantities add a
few points to the *assignment weight* only: they break ties between similar
lines (two monitors at different prices) but never make or break a match,
since a price or quantity difference is a discrepancy to report, not a
reason to call the line unmatched.

Pure functions; no I/O, no database.  Score matrices are built with
``process.cdist`` and numpy per block (one PO against all documents that
cite it), never with Python loops over pairs.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Final

import numpy as np
import numpy.typing as npt
from rapidfuzz import fuzz, process

from matching._format import format_money, format_quantity
from matching.normalise import normalise_description, normalise_sku
from matching.settings import MatchingSettings
from matching.types import Line

__all__ = [
    "CODE_AGREEMENT_PULL",
    "CODE_CONFLICT_FACTOR",
    "PARALLEL_MIN_CELLS",
    "PRICE_TIEBREAK_POINTS",
    "QUANTITY_TIEBREAK_POINTS",
    "SHIPPING_CHARGE_SCORE",
    "LineAssignment",
    "LinePair",
    "UnmatchedLine",
    "effective_unit_price",
    "line_scores",
    "match_lines",
    "match_lines_blocked",
]

FloatMatrix = npt.NDArray[np.float64]
BoolMatrix = npt.NDArray[np.bool_]

#: Share of the gap to 100 closed when both lines name the same model numbers.
CODE_AGREEMENT_PULL: Final = 0.5
#: Factor on the description score when both lines name model numbers, none shared.
CODE_CONFLICT_FACTOR: Final = 0.5
#: Assignment-weight points for equal unit prices (falls linearly to 0 at 100 % apart).
PRICE_TIEBREAK_POINTS: Final = 5.0
#: Assignment-weight points for equal quantities (falls with the min/max ratio).
QUANTITY_TIEBREAK_POINTS: Final = 2.0
#: Score of two lines that are both shipping charges.
SHIPPING_CHARGE_SCORE: Final = 90.0
#: Blocks of at least this many line pairs are scored on all cores.
PARALLEL_MIN_CELLS: Final = 10_000

# Words as written, keeping inner hyphens and dots: "U2723-QE", "i7-1365U", "1.5m".
_WORD: Final = re.compile(r"[^\W_]+(?:[-.][^\W_]+)*")
_INNER: Final = re.compile(r"[-.]")
# A model number with a suffix: "5440u" -> "5440".
_LEADING_RUN: Final = re.compile(r"\d{3,}(?=[^\W\d_])")
# A number with a generic unit is a spec, not an identity: 16GB, 130W, 27in, 4K, 1080p.
_SHIPPING: Final = re.compile(
    r"\b(?:shipping|freight|carriage|delivery|postage|courier|shipment)\b"
)
_SPEC: Final = re.compile(
    r"\d+(?:gb|tb|mb|kb|gbps|mbps|w|wh|mah|v|va|hz|khz|mhz|ghz|mm|cm|m|in|inch|k|p|ms|rpm)"
)


@dataclass(frozen=True, slots=True)
class LinePair:
    """``left[left]`` is tied to ``right[right]`` (indexes into the inputs)."""

    left: int
    right: int
    score: float
    reason: str


@dataclass(frozen=True, slots=True)
class UnmatchedLine:
    """``left[left]`` has no partner; ``best`` is the closest right line, if any."""

    left: int
    best: int | None
    best_score: float
    reason: str


@dataclass(frozen=True, slots=True)
class LineAssignment:
    """Every left line appears exactly once, in ``pairs`` or in ``unmatched``."""

    pairs: tuple[LinePair, ...]
    unmatched: tuple[UnmatchedLine, ...]


@dataclass(frozen=True, slots=True)
class _Block:
    """Score matrices of one block (left lines x right lines)."""

    score: FloatMatrix
    weight: FloatMatrix
    description: FloatMatrix
    codes_left: list[frozenset[str]]
    codes_right: list[frozenset[str]]
    sku_equal: BoolMatrix
    shipping: BoolMatrix


def effective_unit_price(line: Line) -> Decimal | None:
    """The unit price, or amount / quantity when only the amount is given."""
    if line.unit_price is not None:
        return line.unit_price
    if line.amount is not None and line.quantity:
        return line.amount / line.quantity
    return None


def line_scores(
    left: Sequence[Line], right: Sequence[Line], settings: MatchingSettings
) -> FloatMatrix:
    """The match score (0-100) of every ``left`` x ``right`` pair, before assignment.

    Scores below what could still reach ``description_min_score`` may be
    reported as lower than they are (rapidfuzz's ``score_cutoff``).
    """
    return _score_block(left, right, settings).score


def match_lines(
    left: Sequence[Line], right: Sequence[Line], settings: MatchingSettings
) -> LineAssignment:
    """Assign ``left`` lines (invoice or receipt) to ``right`` lines (the PO).

    Each line is used at most once on either side.  See the module docstring
    for the score.  Complexity: one ``cdist`` of ``len(left) x len(right)``
    plus an ``O(n^3)`` assignment on that matrix.
    """
    return match_lines_blocked([left], right, settings)[0]


def match_lines_blocked(
    lefts: Sequence[Sequence[Line]], right: Sequence[Line], settings: MatchingSettings
) -> list[LineAssignment]:
    """Assign the lines of each document in ``lefts`` to the same ``right`` lines.

    One block is all documents citing one PO, against that PO: the score
    matrix of the whole block comes from a single ``cdist`` call.  Each
    document is then assigned on its own rows, since two lines of one
    document may not share a PO line but lines of different documents may
    (partial deliveries, partial invoices).
    """
    flat = [line for lines in lefts for line in lines]
    block = _score_block(flat, right, settings)
    out: list[LineAssignment] = []
    start = 0
    for lines in lefts:
        stop = start + len(lines)
        out.append(_assign(lines, right, block, start, settings))
        start = stop
    return out


def _score_block(left: Sequence[Line], right: Sequence[Line], s: MatchingSettings) -> _Block:
    n, m = len(left), len(right)
    codes_left = [_codes(line.description) for line in left]
    codes_right = [_codes(line.description) for line in right]
    if n == 0 or m == 0:
        empty = np.zeros((n, m), dtype=np.float64)
        never = empty.astype(np.bool_)
        return _Block(empty, empty, empty, codes_left, codes_right, never, never)

    # Below this description score even full model-number agreement cannot
    # reach the minimum, so rapidfuzz may skip the exact computation.
    cutoff = max(0.0, (s.description_min_score - 100 * CODE_AGREEMENT_PULL))
    cutoff /= 1 - CODE_AGREEMENT_PULL
    description: FloatMatrix = process.cdist(
        [line.description for line in left],
        [line.description for line in right],
        scorer=fuzz.token_set_ratio,
        processor=normalise_description,
        score_cutoff=cutoff,
        dtype=np.float64,
        # Threads only pay off on big blocks; most POs are a few dozen lines.
        workers=-1 if n * m >= PARALLEL_MIN_CELLS else 1,
    )

    share, both = _code_share(codes_left, codes_right)
    score = np.where(
        both & (share > 0),
        description + (100.0 - description) * CODE_AGREEMENT_PULL * share,
        np.where(both, description * CODE_CONFLICT_FACTOR, description),
    )
    shipping = _is_shipping(left)[:, None] & _is_shipping(right)[None, :]
    score = np.where(shipping, np.maximum(score, SHIPPING_CHARGE_SCORE), score)
    sku_equal = _sku_equal(left, right)
    score = np.where(sku_equal, 100.0, score)

    # Zero weight for non-candidates: a maximum-weight assignment then never
    # gives up a candidate pair for one of them.
    weight = np.where(score >= s.description_min_score, score + _tiebreak(left, right), 0.0)
    return _Block(score, weight, description, codes_left, codes_right, sku_equal, shipping)


def _codes(description: str) -> frozenset[str]:
    """Model numbers in a description: what identifies an item across vendors.

    Numbers of three or more digits (``5440``, ``2024``), words mixing
    letters and digits of four or more characters (``wd19s``, ``u2723qe``)
    and the number leading such a word (``5440`` of ``5440u``).  Numbers
    with a unit (``16gb``, ``27in``) are specs and left out.
    """
    codes: set[str] = set()
    for word in _WORD.findall(description.casefold()):
        compact = _INNER.sub("", word)
        if _SPEC.fullmatch(compact):
            continue
        if compact.isdigit():
            if len(compact) >= 3:
                codes.add(compact)
        elif len(compact) >= 4 and not compact.isalpha():
            codes.add(compact)
            # "5440U" still names the 5440; but "U2723QE" and "P2723D" are two
            # different monitors, so a run after letters is not split off.
            if lead := _LEADING_RUN.match(compact):
                codes.add(lead.group(0))
    return frozenset(codes)


def _code_share(
    left: Sequence[frozenset[str]], right: Sequence[frozenset[str]]
) -> tuple[FloatMatrix, BoolMatrix]:
    """Overlap coefficient of the model numbers, and where both sides have some."""
    vocabulary: dict[str, int] = {}
    for codes in (*left, *right):
        for code in codes:
            vocabulary.setdefault(code, len(vocabulary))
    a = _incidence(left, vocabulary)
    b = _incidence(right, vocabulary)
    shared = a @ b.T
    size_a = a.sum(axis=1)
    size_b = b.sum(axis=1)
    both: BoolMatrix = (size_a > 0)[:, None] & (size_b > 0)[None, :]
    smaller = np.maximum(np.minimum(size_a[:, None], size_b[None, :]), 1.0)
    share: FloatMatrix = shared / smaller
    return share, both


def _incidence(codes: Sequence[frozenset[str]], vocabulary: dict[str, int]) -> FloatMatrix:
    matrix = np.zeros((len(codes), len(vocabulary)), dtype=np.float64)
    for row, line_codes in enumerate(codes):
        for code in line_codes:
            matrix[row, vocabulary[code]] = 1.0
    return matrix


def _is_shipping(lines: Sequence[Line]) -> npt.NDArray[np.bool_]:
    return np.array(
        [_SHIPPING.search(line.description.casefold()) is not None for line in lines],
        dtype=np.bool_,
    )


def _sku_equal(left: Sequence[Line], right: Sequence[Line]) -> BoolMatrix:
    ids: dict[str, int] = {}

    def sku_id(line: Line) -> int:
        if not line.sku or not (key := normalise_sku(line.sku)):
            return -1
        return ids.setdefault(key, len(ids))

    a = np.array([sku_id(line) for line in left], dtype=np.int64)
    b = np.array([sku_id(line) for line in right], dtype=np.int64)
    equal: BoolMatrix = (a[:, None] == b[None, :]) & (a >= 0)[:, None]
    return equal


def _tiebreak(left: Sequence[Line], right: Sequence[Line]) -> FloatMatrix:
    """A few points for close unit prices and equal quantities (0 when unknown)."""
    price_a = _floats([effective_unit_price(line) for line in left])
    price_b = _floats([effective_unit_price(line) for line in right])
    qty_a = _floats([line.quantity for line in left])
    qty_b = _floats([line.quantity for line in right])
    with np.errstate(divide="ignore", invalid="ignore"):
        gap = np.abs(price_a[:, None] - price_b[None, :])
        gap /= np.maximum(np.abs(price_a[:, None]), np.abs(price_b[None, :]))
        price = np.clip(1.0 - gap, 0.0, 1.0)
        qty = np.minimum(qty_a[:, None], qty_b[None, :]) / np.maximum(
            qty_a[:, None], qty_b[None, :]
        )
        qty = np.clip(qty, 0.0, 1.0)
    # Equal prices of 0 and equal quantities of 0 give 0/0: count them as equal.
    price = np.where(price_a[:, None] == price_b[None, :], 1.0, price)
    qty = np.where(qty_a[:, None] == qty_b[None, :], 1.0, qty)
    tiebreak: FloatMatrix = PRICE_TIEBREAK_POINTS * np.nan_to_num(
        price
    ) + QUANTITY_TIEBREAK_POINTS * np.nan_to_num(qty)
    return tiebreak


def _floats(values: Sequence[Decimal | None]) -> FloatMatrix:
    return np.array([np.nan if v is None else float(v) for v in values], dtype=np.float64)


def _assign(
    left: Sequence[Line],
    right: Sequence[Line],
    block: _Block,
    start: int,
    s: MatchingSettings,
) -> LineAssignment:
    """Solve one document's rows ``start:start+len(left)`` of the block."""
    if not left:
        return LineAssignment((), ())
    if not right:
        none = tuple(UnmatchedLine(i, None, 0.0, "the PO has no lines") for i in range(len(left)))
        return LineAssignment((), none)
    rows = slice(start, start + len(left))
    score = block.score[rows]
    pairs: list[LinePair] = []
    partner: dict[int, int] = {}
    # Imported here: SciPy costs most of a second to import, and ingesting
    # (which needs only the normalisers) should not pay for it.
    from scipy.optimize import linear_sum_assignment

    chosen_rows, chosen_cols = linear_sum_assignment(block.weight[rows], maximize=True)
    for i, j in zip(chosen_rows.tolist(), chosen_cols.tolist(), strict=True):
        if score[i, j] >= s.description_min_score:
            partner[j] = i
            reason = _match_reason(left[i], right[j], block, start + i, j, s)
            pairs.append(LinePair(i, j, round(float(score[i, j]), 1), reason))
    unmatched: list[UnmatchedLine] = []
    for i in sorted(set(range(len(left))) - set(partner.values())):
        best = int(np.argmax(score[i]))
        best_score = round(float(score[i, best]), 1)
        reason = _unmatched_reason(right[best], best_score, best in partner, s)
        unmatched.append(UnmatchedLine(i, best, best_score, reason))
    pairs.sort(key=lambda pair: pair.left)
    return LineAssignment(tuple(pairs), tuple(unmatched))


def _match_reason(
    left: Line, right: Line, block: _Block, row: int, col: int, s: MatchingSettings
) -> str:
    parts: list[str] = []
    if block.sku_equal[row, col]:
        parts.append(f"SKU {right.sku} matched exactly")
    elif block.shipping[row, col]:
        parts.append("both are shipping charges")
    description = float(block.description[row, col])
    if description == 0:  # below the cutoff (an SKU match): worth the exact figure
        description = fuzz.token_set_ratio(
            left.description, right.description, processor=normalise_description
        )
    parts.append(f"description {description:.0f} %")
    codes_left, codes_right = block.codes_left[row], block.codes_right[col]
    if codes_left and codes_right:
        shared = sorted(codes_left & codes_right)
        if shared:
            noun = "model number" if len(shared) == 1 else "model numbers"
            parts.append(f"{noun} {', '.join(shared)} on both")
        else:
            parts.append(
                f"model numbers differ ({', '.join(sorted(codes_left))}"
                f" vs {', '.join(sorted(codes_right))})"
            )
    price_left, price_right = effective_unit_price(left), effective_unit_price(right)
    if price_left is not None and price_right is not None:
        parts.append(f"price {format_money(price_left)} vs {format_money(price_right)}")
    parts.append(f"quantity {format_quantity(left.quantity)} vs {format_quantity(right.quantity)}")
    score = float(block.score[row, col])
    parts.append(f"score {score:.0f} (minimum {s.description_min_score:.0f})")
    return "; ".join(parts)


def _unmatched_reason(best: Line, best_score: float, taken: bool, s: MatchingSettings) -> str:
    needed = f"{s.description_min_score:.0f}"
    if best_score <= 0:
        return f"no PO line resembles it (a score of {needed} is needed)"
    closest = f"the closest PO line, {best.line_no} ('{best.description}'), scored {best_score:.0f}"
    if taken and best_score >= s.description_min_score:
        return f"{closest} but was assigned to a line of this document that fits it better"
    return f"{closest}, below the {needed} needed"
