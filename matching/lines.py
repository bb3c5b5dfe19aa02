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
3. **Identity**: some tokens say *which* item, not what kind of item, and
   do so for vendors never seen.  They come in kinds
   (:class:`IdentityKind`), read from the description by
   :func:`identity_tokens`:

   - *model numbers*: numbers of three or more digits (``5440``, ``2024``)
     and words mixing letters and digits (``WD19S``, ``U2723QE``, and the
     short ones too: ``T14``, ``T14s``, ``3S``);
   - *generations*: ``G5``, ``Gen 5``, ``Generation 5``, ``5th gen``,
     ``Mk 2``, ``Rev 2`` and ``v2`` all read ``gen5``;
   - *editions*: a small vocabulary of tier and edition words used across
     the industry (``Pro``, ``Max``, ``Air``, ``Standard``, ``Premium``,
     ``Business``, ... see ``_EDITIONS``);
   - *capacities*: ``512GB``, ``1 TB`` (1 TB = 1000 GB = 1024 GB).

   Numbers with another unit (``27in``, ``130W``) and short numbers
   (``14``) are specs, not identities, and count only as words.

   Extra identity tokens on *one* side are normal (a vendor adds its part
   number, the processor, the capacity) and never lower the score.  A
   *conflict* is when both sides state the same kind and disagree; the
   score is then the description score times ``CODE_CONFLICT_FACTOR``,
   which keeps it below any sensible minimum: "EliteBook 840 G10" and
   "EliteBook 840 G11" read alike but are different items.  How both sides
   disagree depends on the kind (``_CONFLICT_RULE``): a line may carry
   several model numbers (model, part number, processor), so those conflict
   only when none is shared ("T14" vs "T14s"); a generation, an edition or
   a capacity conflicts when each side states one the other lacks
   ("Business Standard" vs "Business Premium", "512GB" vs "1TB").  Without
   a conflict, shared *long* model numbers (all digits, or four characters
   and more) pull the description score towards 100 (by
   ``CODE_AGREEMENT_PULL`` times the share of the shorter list); short
   ones (``i5``, ``T14``) are shared by too many items to say "same item",
   though they do say "another item" when they differ.
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
reason to call the line unmatched.  So does naming the same editions
(``EDITION_TIEBREAK_POINTS``): "iPhone 15" and "iPhone 15 Pro" both
contain all of "iPhone 15", so both score 100 against it, and only this
tiebreak sends each invoice line to its own variant.

Pure functions; no I/O, no database.  Score matrices are built with
``process.cdist`` and numpy per block (one PO against all documents that
cite it), never with Python loops over pairs.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from functools import lru_cache
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
    "EDITION_TIEBREAK_POINTS",
    "OPEN_QUANTITY_TIEBREAK_POINTS",
    "PARALLEL_MIN_CELLS",
    "PRICE_TIEBREAK_POINTS",
    "QUANTITY_TIEBREAK_POINTS",
    "SHIPPING_CHARGE_SCORE",
    "IdentityKind",
    "LineAssignment",
    "LinePair",
    "UnmatchedLine",
    "effective_unit_price",
    "identity_tokens",
    "line_scores",
    "match_lines",
    "match_lines_blocked",
]

FloatMatrix = npt.NDArray[np.float64]
BoolMatrix = npt.NDArray[np.bool_]

#: Share of the gap to 100 closed when both lines name the same model numbers.
CODE_AGREEMENT_PULL: Final = 0.5
#: Factor on the description score when the identity tokens conflict (model numbers,
#: generation, edition, capacity).  0.5 puts even identical wording at 50, under any
#: sensible minimum: a conflict means another item, whatever the words share.
CODE_CONFLICT_FACTOR: Final = 0.5
#: Assignment-weight points for equal unit prices (falls linearly to 0 at 100 % apart).
PRICE_TIEBREAK_POINTS: Final = 5.0
#: Assignment-weight points for equal quantities (falls with the min/max ratio).
QUANTITY_TIEBREAK_POINTS: Final = 2.0
#: Assignment-weight points when both lines name the same editions (or neither names
#: one).  More than price and quantity together (7), so the variant named on both
#: lines wins over a closer price; far less than what tells two items apart.
EDITION_TIEBREAK_POINTS: Final = 8.0
#: Assignment-weight points when the right line still has the left line's quantity
#: open (proportionally less for part of it, none when billed in full already).
#: Given only where documents are assigned one after another against several POs
#: that may order the same item: the second invoice for it goes to the PO that
#: still has it open. Below the edition points: an item's identity comes first.
OPEN_QUANTITY_TIEBREAK_POINTS: Final = 4.0
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
# A generation or revision, in the text: "gen 5", "gen5", "generation 5", "5th gen",
# "mk 2", "rev. 2", and glued to a letter, "g5", "g10", "v2".  Not "v2.1" (a version).
_GENERATION: Final = re.compile(
    r"\b(?:gen(?:eration)?|mk|rev(?:ision)?)[\s.]*(\d{1,2})\b(?![.,]\d)"
    r"|\b[gv](\d{1,2})\b(?![.,]\d)"
    r"|\b(\d{1,2})(?:st|nd|rd|th)[\s-]*gen(?:eration)?\b"
)
# The same as one word, so that it is not also read as a model code; "4th" alone too.
_GENERATION_WORD: Final = re.compile(
    r"(?:gen(?:eration)?|mk|rev(?:ision)?|[gv])\d{1,2}|\d{1,2}(?:st|nd|rd|th)(?:gen)?"
)
# A multiplier, not a model code: "4x IEC outlets", "2x 16GB".
_MULTIPLIER: Final = re.compile(r"\d+x")
# A storage or memory size: "512GB", "1 TB", "1,5TB".
_CAPACITY: Final = re.compile(r"(?<![\w.,])(\d+(?:[.,]\d+)?)\s*(mb|gb|tb)\b")
_GB_PER_UNIT: Final[dict[str, Decimal]] = {
    "mb": Decimal("0.001"),
    "gb": Decimal(1),
    "tb": Decimal(1000),
}

# Tier and edition words that tell variants of one product apart, in every vendor's
# catalogue: hardware tiers (iPhone 15 / 15 Pro / 15 Pro Max, MacBook Air / Pro) and
# software or licence editions (Business Basic / Standard / Premium, Home / Pro /
# Enterprise).  Keep this small and industry-wide; never one vendor's product names.
_EDITIONS: Final[dict[str, str]] = {
    "pro": "pro",
    "professional": "pro",
    "max": "max",
    "plus": "plus",
    "ultra": "ultra",
    "mini": "mini",
    "air": "air",
    "lite": "lite",
    "basic": "basic",
    "standard": "standard",
    "premium": "premium",
    "business": "business",
    "enterprise": "enterprise",
    "education": "education",
    "home": "home",
    "student": "student",
    "essentials": "essentials",
    "ultimate": "ultimate",
}


class IdentityKind(StrEnum):
    """A kind of token that says which item a line is, named as a reviewer reads it."""

    MODEL = "model number"
    GENERATION = "generation"
    EDITION = "edition"
    CAPACITY = "capacity"


class _Rule(StrEnum):
    """When two lines that both state a kind of identity disagree on it."""

    #: Both state some, none shared: for kinds a line holds several of (model,
    #: part number, processor), where each vendor picks which ones to print.
    NONE_SHARED = "none shared"
    #: Each side states one the other lacks: for kinds an item has one of.
    EACH_HAS_OWN = "each has its own"


_CONFLICT_RULE: Final[dict[IdentityKind, _Rule]] = {
    IdentityKind.MODEL: _Rule.NONE_SHARED,
    IdentityKind.GENERATION: _Rule.EACH_HAS_OWN,
    IdentityKind.EDITION: _Rule.EACH_HAS_OWN,
    IdentityKind.CAPACITY: _Rule.EACH_HAS_OWN,
}
_DIFFER: Final[dict[IdentityKind, str]] = {
    IdentityKind.MODEL: "model numbers differ",
    IdentityKind.GENERATION: "generations differ",
    IdentityKind.EDITION: "editions differ",
    IdentityKind.CAPACITY: "capacities differ",
}

#: The identity tokens of one line, by kind (every kind present, maybe empty).
Identity = Mapping[IdentityKind, frozenset[str]]


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
    identity_left: Sequence[Identity]
    identity_right: Sequence[Identity]
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
    lefts: Sequence[Sequence[Line]],
    right: Sequence[Line],
    settings: MatchingSettings,
    *,
    explained: int | None = None,
    open_quantity: Sequence[Decimal | None] | None = None,
) -> list[LineAssignment]:
    """Assign the lines of each document in ``lefts`` to the same ``right`` lines.

    One block is all documents citing one PO, against that PO: the score
    matrix of the whole block comes from a single ``cdist`` call.  Each
    document is then assigned on its own rows, since two lines of one
    document may not share a PO line but lines of different documents may
    (partial deliveries, partial invoices).

    Only the first ``explained`` documents (all when None) get reasons; the
    others' pairs and misses carry an empty one. Writing a reason costs more
    than solving the assignment, and a receipt's is never shown.

    ``open_quantity``, one per ``right`` line (None: unknown), is what is
    still open on it; a candidate pair gets up to
    ``OPEN_QUANTITY_TIEBREAK_POINTS`` for the share of the left line's
    quantity that fits in it. The assignment stays optimal over the weights.
    """
    flat = [line for lines in lefts for line in lines]
    block = _score_block(flat, right, settings)
    out: list[LineAssignment] = []
    start = 0
    for index, lines in enumerate(lefts):
        stop = start + len(lines)
        explain = explained is None or index < explained
        out.append(_assign(lines, right, block, start, settings, explain, open_quantity))
        start = stop
    return out


#: Distinct descriptions whose normal form and identity tokens are kept.  A
#: month repeats its catalogue: the PO's wording comes back on receipts and
#: invoices, and one product on many POs.
_DESCRIPTION_CACHE: Final = 1 << 18


@lru_cache(maxsize=_DESCRIPTION_CACHE)
def normalised(description: str) -> str:
    """:func:`normalise_description`, each distinct description worked out once."""
    return normalise_description(description)


@lru_cache(maxsize=_DESCRIPTION_CACHE)
def _identity(description: str) -> Identity:
    return identity_tokens(description)


@lru_cache(maxsize=_DESCRIPTION_CACHE)
def _names_shipping(description: str) -> bool:
    return _SHIPPING.search(description.casefold()) is not None


def _score_block(left: Sequence[Line], right: Sequence[Line], s: MatchingSettings) -> _Block:
    n, m = len(left), len(right)
    identity_left = [_identity(line.description) for line in left]
    identity_right = [_identity(line.description) for line in right]
    if n == 0 or m == 0:
        empty = np.zeros((n, m), dtype=np.float64)
        never = empty.astype(np.bool_)
        return _Block(empty, empty, empty, identity_left, identity_right, never, never)

    # Below this description score even full model-number agreement cannot
    # reach the minimum, so rapidfuzz may skip the exact computation.
    cutoff = max(0.0, (s.description_min_score - 100 * CODE_AGREEMENT_PULL))
    cutoff /= 1 - CODE_AGREEMENT_PULL
    description: FloatMatrix = process.cdist(
        [normalised(line.description) for line in left],
        [normalised(line.description) for line in right],
        scorer=fuzz.token_set_ratio,
        score_cutoff=cutoff,
        dtype=np.float64,
        # Threads only pay off on big blocks; most POs are a few dozen lines.
        workers=-1 if n * m >= PARALLEL_MIN_CELLS else 1,
    )

    overlaps = {
        kind: _overlap([i[kind] for i in identity_left], [i[kind] for i in identity_right])
        for kind in IdentityKind
    }
    conflict = np.zeros((n, m), dtype=np.bool_)
    for kind, rule in _CONFLICT_RULE.items():
        conflict |= _conflict_matrix(rule, *overlaps[kind])
    shared, size_a, size_b = _overlap(
        [_long(i[IdentityKind.MODEL]) for i in identity_left],
        [_long(i[IdentityKind.MODEL]) for i in identity_right],
    )
    share = shared / np.maximum(np.minimum(size_a, size_b), 1.0)
    score = np.where(
        conflict,
        description * CODE_CONFLICT_FACTOR,
        description + (100.0 - description) * CODE_AGREEMENT_PULL * share,
    )
    shipping = _is_shipping(left)[:, None] & _is_shipping(right)[None, :]
    score = np.where(shipping, np.maximum(score, SHIPPING_CHARGE_SCORE), score)
    sku_equal = _sku_equal(left, right)
    score = np.where(sku_equal, 100.0, score)

    shared, size_a, size_b = overlaps[IdentityKind.EDITION]
    same_edition = (shared == size_a) & (shared == size_b)
    tiebreak = _tiebreak(left, right) + np.where(same_edition, EDITION_TIEBREAK_POINTS, 0.0)
    # Zero weight for non-candidates: a maximum-weight assignment then never
    # gives up a candidate pair for one of them.
    weight = np.where(score >= s.description_min_score, score + tiebreak, 0.0)
    return _Block(score, weight, description, identity_left, identity_right, sku_equal, shipping)


def identity_tokens(description: str) -> dict[IdentityKind, frozenset[str]]:
    """The tokens of a description that say which item it is, by kind.

    See the module docstring for the kinds.  Generations are written
    ``gen<n>`` whatever the spelling (``G5``, ``Gen 5``, ``5th gen``),
    editions in their short form (``professional`` is ``pro``), capacities
    in GB or TB (``1024GB`` is ``1tb``).

    Complexity: linear in ``len(description)``.
    """
    text = description.casefold()
    codes: set[str] = set()
    editions: set[str] = set()
    for word in _WORD.findall(text):
        editions.update(_EDITIONS[part] for part in _INNER.split(word) if part in _EDITIONS)
        compact = _INNER.sub("", word)
        if _SPEC.fullmatch(compact) or _GENERATION_WORD.fullmatch(compact):
            continue
        if compact.isdigit():
            if len(compact) >= 3:
                codes.add(compact)
        elif not compact.isalpha() and not _MULTIPLIER.fullmatch(compact):
            codes.add(compact)
            # "5440U" still names the 5440; but "U2723QE" and "P2723D" are two
            # different monitors, so a run after letters is not split off.
            if lead := _LEADING_RUN.match(compact):
                codes.add(lead.group(0))
    generations = {
        f"gen{int(next(g for g in match.groups() if g))}" for match in _GENERATION.finditer(text)
    }
    return {
        IdentityKind.MODEL: frozenset(codes),
        IdentityKind.GENERATION: frozenset(generations),
        IdentityKind.EDITION: frozenset(editions),
        IdentityKind.CAPACITY: frozenset(_capacity(m) for m in _CAPACITY.finditer(text)),
    }


def _long(codes: frozenset[str]) -> frozenset[str]:
    """The model numbers specific enough to say "same item" when shared."""
    return frozenset(code for code in codes if code.isdigit() or len(code) >= 4)


def _capacity(match: re.Match[str]) -> str:
    """``512gb``, ``1tb``: decimal units, with binary round sizes (1024GB) read as TB."""
    size = Decimal(match.group(1).replace(",", ".")) * _GB_PER_UNIT[match.group(2)]
    if size >= 1024 and size % 1024 == 0:
        size = size / 1024 * 1000
    if size >= 1000:
        return f"{(size / 1000).normalize():f}tb"
    return f"{size.normalize():f}gb"


def _overlap(
    left: Sequence[frozenset[str]], right: Sequence[frozenset[str]]
) -> tuple[FloatMatrix, FloatMatrix, FloatMatrix]:
    """Tokens shared by each pair, and each side's count (as a column and a row)."""
    vocabulary: dict[str, int] = {}
    for tokens in (*left, *right):
        for token in tokens:
            vocabulary.setdefault(token, len(vocabulary))
    a = _incidence(left, vocabulary)
    b = _incidence(right, vocabulary)
    shared: FloatMatrix = a @ b.T
    return shared, a.sum(axis=1)[:, None], b.sum(axis=1)[None, :]


def _conflict_matrix(
    rule: _Rule, shared: FloatMatrix, size_a: FloatMatrix, size_b: FloatMatrix
) -> BoolMatrix:
    """Where ``rule`` says the two lines disagree (the fast form of :func:`_conflicts`)."""
    if rule is _Rule.NONE_SHARED:
        conflict: BoolMatrix = (size_a > 0) & (size_b > 0) & (shared == 0)
    else:
        conflict = (size_a > shared) & (size_b > shared)
    return conflict


def _conflicts(a: Identity, b: Identity) -> list[IdentityKind]:
    """The kinds on which two lines disagree: the reference form, used for reasons."""
    out: list[IdentityKind] = []
    for kind, rule in _CONFLICT_RULE.items():
        if rule is _Rule.NONE_SHARED:
            differ = bool(a[kind]) and bool(b[kind]) and not a[kind] & b[kind]
        else:
            differ = bool(a[kind] - b[kind]) and bool(b[kind] - a[kind])
        if differ:
            out.append(kind)
    return out


def _incidence(codes: Sequence[frozenset[str]], vocabulary: dict[str, int]) -> FloatMatrix:
    matrix = np.zeros((len(codes), len(vocabulary)), dtype=np.float64)
    for row, line_codes in enumerate(codes):
        for code in line_codes:
            matrix[row, vocabulary[code]] = 1.0
    return matrix


def _is_shipping(lines: Sequence[Line]) -> npt.NDArray[np.bool_]:
    return np.array([_names_shipping(line.description) for line in lines], dtype=np.bool_)


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


def _open_tiebreak(
    left: Sequence[Line], open_quantity: Sequence[Decimal | None], candidate: BoolMatrix
) -> FloatMatrix:
    """Points for the share of each left line's quantity still open on each
    right line (0 where unknown, and off candidates so none is made)."""
    want = np.abs(_floats([line.quantity for line in left]))
    room = _floats(list(open_quantity))
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.clip(room[None, :] / want[:, None], 0.0, 1.0)
    share = np.where(want[:, None] == 0, (room > 0)[None, :], share)
    points: FloatMatrix = OPEN_QUANTITY_TIEBREAK_POINTS * np.nan_to_num(share) * candidate
    return points


def _floats(values: Sequence[Decimal | None]) -> FloatMatrix:
    return np.array([np.nan if v is None else float(v) for v in values], dtype=np.float64)


def _assign(
    left: Sequence[Line],
    right: Sequence[Line],
    block: _Block,
    start: int,
    s: MatchingSettings,
    explain: bool = True,
    open_quantity: Sequence[Decimal | None] | None = None,
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

    weight = block.weight[rows]
    if open_quantity is not None:
        weight = weight + _open_tiebreak(left, open_quantity, weight > 0)
    chosen_rows, chosen_cols = linear_sum_assignment(weight, maximize=True)
    for i, j in zip(chosen_rows.tolist(), chosen_cols.tolist(), strict=True):
        if score[i, j] >= s.description_min_score:
            partner[j] = i
            reason = _match_reason(left[i], right[j], block, start + i, j, s) if explain else ""
            pairs.append(LinePair(i, j, round(float(score[i, j]), 1), reason))
    unmatched: list[UnmatchedLine] = []
    for i in sorted(set(range(len(left))) - set(partner.values())):
        best = int(np.argmax(score[i]))
        best_score = round(float(score[i, best]), 1)
        reason = ""
        if explain:
            ids_left, ids_right = block.identity_left[start + i], block.identity_right[best]
            notes = _conflict_notes(ids_left, ids_right, _conflicts(ids_left, ids_right))
            reason = _unmatched_reason(right[best], best_score, best in partner, notes, s)
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
            normalised(left.description), normalised(right.description)
        )
    parts.append(f"description {description:.0f} %")
    ids_left, ids_right = block.identity_left[row], block.identity_right[col]
    if shared := sorted(ids_left[IdentityKind.MODEL] & ids_right[IdentityKind.MODEL]):
        noun = "model number" if len(shared) == 1 else "model numbers"
        parts.append(f"{noun} {', '.join(shared)} on both")
    conflicts = _conflicts(ids_left, ids_right)
    parts.extend(_conflict_notes(ids_left, ids_right, conflicts))
    one_sided = ids_left[IdentityKind.EDITION] ^ ids_right[IdentityKind.EDITION]
    if one_sided and IdentityKind.EDITION not in conflicts:
        parts.append(f"edition {', '.join(sorted(one_sided))} named on one line only")
    price_left, price_right = effective_unit_price(left), effective_unit_price(right)
    if price_left is not None and price_right is not None:
        parts.append(f"price {format_money(price_left)} vs {format_money(price_right)}")
    parts.append(f"quantity {format_quantity(left.quantity)} vs {format_quantity(right.quantity)}")
    score = float(block.score[row, col])
    parts.append(f"score {score:.0f} (minimum {s.description_min_score:.0f})")
    return "; ".join(parts)


def _conflict_notes(a: Identity, b: Identity, kinds: Sequence[IdentityKind]) -> list[str]:
    """``generations differ (gen10 vs gen11)``, one entry per conflicting kind."""
    return [
        f"{_DIFFER[kind]} ({', '.join(sorted(a[kind]))} vs {', '.join(sorted(b[kind]))})"
        for kind in kinds
    ]


def _unmatched_reason(
    best: Line, best_score: float, taken: bool, notes: Sequence[str], s: MatchingSettings
) -> str:
    needed = f"{s.description_min_score:.0f}"
    if best_score <= 0:
        return f"no PO line resembles it (a score of {needed} is needed)"
    closest = f"the closest PO line, {best.line_no} ('{best.description}'), scored {best_score:.0f}"
    if taken and best_score >= s.description_min_score:
        return f"{closest} but was assigned to a line of this document that fits it better"
    why = f": {'; '.join(notes)}" if notes else ""
    return f"{closest}, below the {needed} needed{why}"
