"""Named normalisers: the one place where vendor spelling is made comparable.

Each function is passed as ``processor=`` to rapidfuzz, so both sides of
every comparison go through exactly the same code.  All of them are
idempotent (normalising twice changes nothing) and total (any ``str`` in,
a ``str`` out); the property tests in ``tests/matching`` hold them to that.

Never put vendor-specific knowledge here (e.g. "LAT" means "Latitude" for
one vendor only): that belongs in per-vendor settings, not in a function that
every vendor's text goes through.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Final

__all__ = [
    "normalise_description",
    "normalise_document_number",
    "normalise_sku",
    "normalise_vendor",
]

# Primes, typographic quotes and the like, reduced to the two ASCII marks.
_DOUBLE_QUOTES: Final = str.maketrans(
    dict.fromkeys("\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb", '"')
)
_SINGLE_QUOTES: Final = str.maketrans(dict.fromkeys("\u2018\u2019\u201a\u201b\u2032\u00b4`", "'"))

# A number followed by an inch mark: 14" 14'' 14in 14-inch 14 inches -> "14 inch".
# "in" only counts glued to the digits or after a hyphen, so "built in" stays.
_INCH: Final = re.compile(r"(\d)(?:\s*(?:\"|'')|-?in\b|(?:\s*|-)inch(?:es)?\b)")
# A generation spelt out, as most vendors abbreviate it ("G5"): "Gen 5", "gen.5",
# "Generation 5" -> "g 5", and "5th gen" -> "g 5".  Only before or after a number,
# so "Next Gen firewall" stays.  Generic across the industry, not one vendor's.
_GENERATION: Final = re.compile(
    r"\bgen(?:eration)?[\s.]*(?=\d)|\b(\d{1,2})(?:st|nd|rd|th)[\s-]*gen(?:eration)?\b"
)
# Everything that is not a letter, a digit or a space; "_" is \w but still noise.
_PUNCTUATION: Final = re.compile(r"[\W_]+")
# Boundary between letters and digits: "5440u" -> "5440 u", "16gb" -> "16 gb".
_LETTER_DIGIT: Final = re.compile(r"(?<=\d)(?=[^\W\d_])|(?<=[^\W\d_])(?=\d)")

# Class-level synonyms every IT vendor uses interchangeably.  Keep this tiny and
# generic; targets must never be keys (or idempotence breaks).
_GENERIC_SYNONYMS: Final[dict[str, str]] = {
    "notebook": "laptop",
    "notebooks": "laptop",
    "laptops": "laptop",
}

# Legal-form suffixes (and the odd prefix) that say nothing about who a vendor is.
_LEGAL_FORMS: Final = frozenset(
    {
        "ab", "ag", "as", "bv", "co", "company", "corp", "corporation", "gmbh", "inc",
        "incorporated", "kg", "limited", "llc", "llp", "lp", "ltd", "nv", "oy", "plc",
        "pty", "sa", "sarl", "sas", "se", "spa", "srl", "ug",
    }
)  # fmt: skip
# Dotted forms that would otherwise split into letters: "S.A.", "B.V.", "e.K.".
_DOTTED_LEGAL_FORM: Final = re.compile(r"\b(?:[a-z]\.){2,}(?=\s|$)|\b(?:[a-z]\.)+[a-z]\b")
_AMPERSAND: Final = re.compile(r"\s*&\s*")

# Document numbers: separators people and OCR put in (or leave out) at will.
_DOC_SEPARATORS: Final = re.compile(r"[\s\-_/\\.:#]+")


def _fold(text: str) -> str:
    """Compatibility-normalise and casefold (NFKC_Casefold-like, idempotent)."""
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", text).casefold())


def normalise_description(text: str) -> str:
    """Make an item description comparable across vendors.

    Casefolds, unifies quote and inch marks (``14"``, ``14in`` and ``14-inch``
    all become ``14 inch``), turns punctuation into spaces, splits letters
    from digits (``5440U`` becomes ``5440 u``, so it still shares the model
    number ``5440`` with a line that omits the suffix, and ``16GB`` equals
    ``16 GB``), writes generations the short way (``Gen 5`` and ``5th gen``
    become ``g 5``, as ``G5`` does) and maps a handful of generic synonyms
    (``notebook`` to ``laptop``).

    Complexity: linear in ``len(text)``.
    """
    folded = _fold(text).translate(_DOUBLE_QUOTES).translate(_SINGLE_QUOTES)
    folded = _INCH.sub(r"\1 inch ", folded)
    folded = _GENERATION.sub(lambda m: f" g {m.group(1)} " if m.group(1) else " g ", folded)
    spaced = _PUNCTUATION.sub(" ", folded)
    split = _LETTER_DIGIT.sub(" ", spaced)
    return " ".join(_GENERIC_SYNONYMS.get(token, token) for token in split.split())


@lru_cache(maxsize=1 << 16)
def normalise_vendor(name: str) -> str:
    """Make a vendor name comparable: ``"ACME GmbH"`` == ``"Acme GmbH."`` == ``"Acme"``.

    Casefolds, drops punctuation and legal-form words (GmbH, Ltd, Inc, LLC,
    BV, SA, AG, Co, Corp, Limited, ...) wherever they stand, and writes
    ``&`` as ``and``.  A name made only of legal-form words is kept as it is
    (minus punctuation) rather than reduced to nothing.

    Complexity: linear in ``len(name)``.
    """
    folded = _AMPERSAND.sub(" and ", _fold(name))
    folded = _DOTTED_LEGAL_FORM.sub(lambda m: m.group(0).replace(".", ""), folded)
    tokens = _PUNCTUATION.sub(" ", folded).split()
    kept = [token for token in tokens if token not in _LEGAL_FORMS]
    while len(kept) > 1 and kept[-1] == "and":  # "Acme & Co." -> "acme", not "acme and"
        kept.pop()
    return " ".join(kept or tokens)


@lru_cache(maxsize=1 << 18)
def normalise_document_number(number: str) -> str:
    """Make a PO or invoice number comparable: ``"PO-2026-0142"`` == ``"po 2026 0142"``.

    Casefolds and drops spaces, dashes, underscores, slashes, dots, colons and
    ``#``.  Leading zeros are kept: ``0142`` and ``142`` may be different
    documents.

    Complexity: linear in ``len(number)``.
    """
    # Folded again: dropping a separator can bring combining marks together,
    # which normalisation then reorders.
    return _fold(_DOC_SEPARATORS.sub("", _fold(number)))


_LEADING_ZEROS: Final = re.compile(r"(?<![0-9])0+(?=[0-9])")


def loose_document_number(number: str) -> str:
    """:func:`normalise_document_number` with leading zeros dropped from every
    run of digits: ``"INV-0042"`` == ``"inv 42"``.

    Too loose to identify a document (``0142`` and ``142`` may be two), close
    enough to *suspect* that two invoices of one vendor are the same. The
    zeros go before the separators do, so each run is still one:
    ``INV-2026-0042`` == ``INV-2026-42``. Give it the number as printed, not a
    normalised key (whose runs are already joined).
    """
    return normalise_document_number(_LEADING_ZEROS.sub("", _fold(number)))


def normalise_sku(sku: str) -> str:
    """Make a SKU / part number comparable: ``"210-BDZX"`` == ``"210 bdzx"``.

    Same rules as :func:`normalise_document_number`; a separate name so the
    two can diverge without surprising callers.
    """
    return normalise_document_number(sku)
