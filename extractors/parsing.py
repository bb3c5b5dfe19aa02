"""Read amounts, quantities, dates and currencies from printed text.

Pure functions over strings: no layout, no PDF, no I/O. Where the text alone
cannot decide (``1.234``: one thousand or one point two?; ``03/04/2026``: March
or April?) the caller passes what the rest of the document says (its
:class:`NumberStyle` or :class:`DateOrder`) and the result says it was a guess.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from extractors.labels import CURRENCY_CODES, CURRENCY_SYMBOLS, MONTHS
from extractors.types import Box, Field


class NumberStyle(StrEnum):
    """Which character separates the decimals."""

    DOT_DECIMAL = "1,234.56"
    COMMA_DECIMAL = "1.234,56"


class DateOrder(StrEnum):
    """How an all-numeric date with slashes or dashes orders day and month."""

    DMY = "dmy"
    MDY = "mdy"


@dataclass(frozen=True, slots=True)
class Amount:
    """A parsed amount; ``guessed`` when the separator meaning was not certain."""

    value: Decimal
    currency: str | None = None
    guessed: bool = False


@dataclass(frozen=True, slots=True)
class ParsedDate:
    """A parsed date; ``guessed`` when day and month could be swapped."""

    value: date
    guessed: bool = False
    numeric_ambiguous: bool = False


# ---------------------------------------------------------------------------
# Currencies


_SYMBOLS_LONGEST_FIRST = tuple(sorted(CURRENCY_SYMBOLS, key=len, reverse=True))


def currency_of(token: str) -> str | None:
    """ISO 4217 code for a symbol or code (``€`` → ``EUR``, ``usd`` → ``USD``)."""
    t = token.strip().strip(".:()")
    if t.upper() in CURRENCY_CODES:
        return t.upper()
    return CURRENCY_SYMBOLS.get(t)


def split_currency(text: str) -> tuple[str, str | None]:
    """Remove one currency symbol or code from either end of ``text``."""
    t = text.strip()
    for sym in _SYMBOLS_LONGEST_FIRST:
        if t.startswith(sym):
            return t[len(sym) :].strip(), CURRENCY_SYMBOLS[sym]
        if t.endswith(sym):
            return t[: -len(sym)].strip(), CURRENCY_SYMBOLS[sym]
    m = re.match(r"^([A-Za-z]{3})\s*(?=[-\u2212(\d])", t)
    if m and m.group(1).upper() in CURRENCY_CODES:
        return t[m.end() :].strip(), m.group(1).upper()
    m = re.search(r"(?<=[\d)\-\u2212])\s*([A-Za-z]{3})$", t)
    if m and m.group(1).upper() in CURRENCY_CODES:
        return t[: m.start()].strip(), m.group(1).upper()
    return t, None


# ---------------------------------------------------------------------------
# Numbers

_GROUPING = "'\u2019\u00a0\u202f "
_NUMBER = re.compile(r"^\d{1,3}(?:[.,'\u2019\u00a0\u202f ]\d{3})+(?:[.,]\d+)?$|^\d*[.,]?\d+$")
_EVIDENCE_DOT = re.compile(r"^\d{1,3}(?:,\d{3})+\.\d+$|^\d+\.\d{1,2}$")
_EVIDENCE_COMMA = re.compile(r"^\d{1,3}(?:\.\d{3})+,\d+$|^\d+,\d{1,2}$")


def parse_number(text: str, *, style: NumberStyle | None = None) -> tuple[Decimal, bool] | None:
    """Parse an unsigned number with grouping; return (value, guessed) or None.

    ``guessed`` is True when a single ``.`` or ``,`` followed by exactly three
    digits was read by ``style`` (or as a thousands separator without a style).
    """
    t = text.strip()
    if not _NUMBER.match(t):
        return None
    for ch in _GROUPING:
        t = t.replace(ch, "")
    dots, commas = t.count("."), t.count(",")
    guessed = False
    if dots and commas:
        decimal_sep = "." if t.rfind(".") > t.rfind(",") else ","
    elif dots + commas == 0:
        decimal_sep = ""
    else:
        sep = "." if dots else ","
        if dots + commas > 1:
            decimal_sep = ""  # repeated separator: grouping
        elif len(t) - t.rfind(sep) - 1 != 3 or t.startswith(sep) or t.startswith("0" + sep):
            decimal_sep = sep
        else:
            guessed = style is None
            styled = "." if style is NumberStyle.DOT_DECIMAL else ","
            decimal_sep = sep if style is not None and styled == sep else ""
    group_sep = {".": ",", ",": ".", "": ".,"}[decimal_sep]
    for ch in group_sep:
        if decimal_sep and t.count(ch) and t.rfind(ch) > t.rfind(decimal_sep):
            return None  # grouping after the decimals: not a number
        t = t.replace(ch, "")
    if decimal_sep:
        t = t.replace(decimal_sep, ".")
    try:
        return Decimal(t), guessed
    except InvalidOperation:
        return None


def parse_amount(text: str, *, style: NumberStyle | None = None) -> Amount | None:
    """Parse a money amount: ``1,234.56``, ``1.234,56 €``, ``EUR -12.00``, ``(5.00)``.

    Returns None for text that is not one amount (words, percentages, dates).
    """
    t = text.strip()
    if not t or "%" in t:
        return None
    negative = False
    if t.startswith("(") and t.endswith(")"):
        negative, t = True, t[1:-1].strip()
    if t.endswith("-") or t.endswith("\u2212"):
        negative, t = True, t[:-1].strip()
    if t[:1] in "-\u2212":
        negative, t = True, t[1:].strip()
    body, currency = split_currency(t)
    if body[:1] in "-\u2212":
        negative, body = True, body[1:].strip()
    if body.endswith("-"):
        negative, body = True, body[:-1].strip()
    parsed = parse_number(body, style=style)
    if parsed is None:
        return None
    value, guessed = parsed
    return Amount(-value if negative else value, currency, guessed)


def parse_quantity(text: str, *, style: NumberStyle | None = None) -> Decimal | None:
    """A quantity, with or without a unit after it (``2``, ``1.5 h``, ``10 pcs``, ``3 Stück``)."""
    t = text.strip()
    m = re.match(r"^([-\u2212]?[\d.,'\u00a0\u202f]+)\s*(?:[xX\u00d7]|(?:[^\W\d_]|\.){1,6})?$", t)
    if not m:
        return None
    token = m.group(1)
    negative = token[:1] in "-\u2212"
    parsed = parse_number(token.lstrip("-\u2212"), style=style)
    if parsed is None:
        return None
    return -parsed[0] if negative else parsed[0]


def number_style_evidence(tokens: Iterable[str]) -> NumberStyle | None:
    """The number style most unambiguous numbers in ``tokens`` use, if any."""
    dot = comma = 0
    for token in tokens:
        body, _ = split_currency(token.strip("()-\u2212"))
        if _EVIDENCE_DOT.match(body):
            dot += 1
        elif _EVIDENCE_COMMA.match(body):
            comma += 1
    if dot == comma:
        return None
    return NumberStyle.DOT_DECIMAL if dot > comma else NumberStyle.COMMA_DECIMAL


# ---------------------------------------------------------------------------
# Dates


def _month_pattern(months: Mapping[str, int]) -> str:
    names = sorted(months, key=len, reverse=True)
    return "|".join(re.escape(n) for n in names)


_MONTH = _month_pattern(MONTHS)
_DATE_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("ymd", re.compile(r"(?<!\d)(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)")),
    ("dmy_dot", re.compile(r"(?<![\d.])(\d{1,2})\.\s?(\d{1,2})\.\s?(\d{4}|\d{2})(?![\d.]\d)")),
    ("numeric", re.compile(r"(?<![\d/-])(\d{1,2})([/-])(\d{1,2})\2(\d{4}|\d{2})(?![\d/-]\d)")),
    (
        "d_month_y",
        re.compile(
            rf"(?<!\w)(\d{{1,2}})(?:st|nd|rd|th|er)?\.?[\s-]+({_MONTH})\.?,?[\s-]+(\d{{4}})"
            r"(?!\d)",
            re.IGNORECASE,
        ),
    ),
    (
        "month_d_y",
        re.compile(
            rf"(?<!\w)({_MONTH})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})(?!\d)",
            re.IGNORECASE,
        ),
    ),
)


@dataclass(frozen=True, slots=True)
class DateMatch:
    """A date found inside a longer text."""

    start: int
    end: int
    parsed: ParsedDate


def _year(text: str) -> int:
    year = int(text)
    if len(text) == 2:
        year += 2000 if year < 70 else 1900
    return year


def _make(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def find_dates(text: str, *, order: DateOrder | None = None) -> list[DateMatch]:
    """Every date printed in ``text``, in order of position.

    An all-numeric ``a/b/yyyy`` with both parts ≤ 12 is read by ``order``
    (day first when None) and marked ``guessed``.
    """
    found: list[DateMatch] = []
    taken: list[tuple[int, int]] = []
    for kind, pattern in _DATE_PATTERNS:
        for m in pattern.finditer(text):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            parsed = _interpret(kind, m, order)
            if parsed is None:
                continue
            taken.append((m.start(), m.end()))
            found.append(DateMatch(m.start(), m.end(), parsed))
    found.sort(key=lambda d: d.start)
    return found


def _interpret(kind: str, m: re.Match[str], order: DateOrder | None) -> ParsedDate | None:
    g = m.groups()
    if kind == "ymd":
        value = _make(int(g[0]), int(g[1]), int(g[2]))
        return ParsedDate(value) if value else None
    if kind == "dmy_dot":
        value = _make(_year(g[2]), int(g[1]), int(g[0]))
        return ParsedDate(value) if value else None
    if kind == "numeric":
        a, b, y = int(g[0]), int(g[2]), _year(g[3])
        if a > 12 or b > 12:
            value = _make(y, b, a) if a > 12 else _make(y, a, b)
            return ParsedDate(value, numeric_ambiguous=False) if value else None
        ambiguous = a != b
        value = _make(y, a, b) if order is DateOrder.MDY else _make(y, b, a)
        return ParsedDate(value, guessed=ambiguous, numeric_ambiguous=ambiguous) if value else None
    if kind == "d_month_y":
        value = _make(int(g[2]), MONTHS[g[1].lower()], int(g[0]))
        return ParsedDate(value) if value else None
    value = _make(int(g[2]), MONTHS[g[0].lower()], int(g[1]))
    return ParsedDate(value) if value else None


def parse_date(text: str, *, order: DateOrder | None = None) -> ParsedDate | None:
    """The date ``text`` holds, if ``text`` is essentially just one date."""
    matches = find_dates(text, order=order)
    if len(matches) != 1:
        return None
    m = matches[0]
    rest = (text[: m.start] + text[m.end :]).strip(" ,.:;()")
    return m.parsed if len(rest) <= 3 else None


def date_order_evidence(texts: Iterable[str]) -> DateOrder | None:
    """Day/month order decided by numeric dates whose first or second part is > 12."""
    dmy = mdy = 0
    for text in texts:
        for m in _DATE_PATTERNS[2][1].finditer(text):
            a, b = int(m.group(1)), int(m.group(3))
            if a > 12 >= b:
                dmy += 1
            elif b > 12 >= a:
                mdy += 1
    if dmy == mdy:
        return None
    return DateOrder.DMY if dmy > mdy else DateOrder.MDY


# ---------------------------------------------------------------------------
# Identifiers

_ID_WORD = re.compile(r"^[A-Za-z0-9][A-Za-z0-9\-/_.#:]*[A-Za-z0-9]$|^[0-9]$")


def identifier(words: list[str]) -> str | None:
    """A document number from the words after a label, or None for prose.

    An identifier has a digit and is one token, or two short tokens such as
    ``PO 4711``; ``per e-mail from J. Smith`` is not one.
    """
    # "4711,4712": a comma or semicolon ends a word even without a space after it.
    words = [part for word in words for part in re.split(r"(?<=[,;])(?=\S)", word)]
    cleaned = [w.strip(",;") for w in words if w.strip(",;:#")]
    if not cleaned:
        return None
    first = cleaned[0].lstrip("#:")
    if _ID_WORD.match(first) and any(c.isdigit() for c in first):
        if parse_date(first) is not None:
            return None
        return first.rstrip(".")
    if (
        len(cleaned) >= 2
        and first.isalpha()
        and first.isupper()
        and len(first) <= 4
        and _ID_WORD.match(cleaned[1])
        and any(c.isdigit() for c in cleaned[1])
    ):
        return f"{first} {cleaned[1].rstrip('.')}"
    return None


# Between the numbers of a list: "4711, 4712", "4711; 4712", "4711 / 4712", "4711 & 4712",
# "4711 and 4712" (und, et), "4711 or 4712" (oder, ou). Not "+": "4711 + 49 89 ..." is a
# phone number after the PO.
_LIST_JOINER = re.compile(r"\s*(?:[,;&]|\s/\s|\b(?:and|und|et|or|oder|ou)\b)\s*", re.IGNORECASE)
_ID_AT = re.compile(r"[A-Za-z0-9][A-Za-z0-9\-/_.#]*[A-Za-z0-9]|[0-9]")
# What may follow the last number of a list: closing punctuation, then nothing.
_LIST_END = re.compile(r"[.)\]]?\s*$")
# "4500012345/10": an SAP-style PO and its item (10, 20, ..., or 00010). The PO
# part ends in at least six digits, so "2026/15" (year/serial) stays whole.
_PO_ITEM = re.compile(r"^(.*\d{6})\s*/\s*(?:\d{1,3}|0\d{2,4})$")
_YEAR = re.compile(r"^(?:19|20)\d\d$")


def po_without_item(value: str) -> str:
    """The PO of a "PO/item" reference (``4500012345/10`` -> ``4500012345``);
    any other value as it is."""
    found = _PO_ITEM.match(value)
    return found.group(1) if found else value


def _shape(text: str) -> str:
    """``PO-2026-0164`` -> ``PO-9999-9999``: the letter prefix as written (any
    case), other letters as ``A``, each digit as ``9``, separators kept, so two
    numbers of one series have one shape and a phone number, a quantity or
    another document's number (``INV-2026-0165``) do not share it."""
    prefix = re.match(r"[A-Za-z]*", text)
    head = prefix.group(0).upper() if prefix else ""
    return head + re.sub(r"\d", "9", re.sub(r"[A-Za-z]", "A", text[len(head) :]))


def identifiers(words: list[str]) -> list[str]:
    """Document numbers listed after a label, in order: ``4500012345, 4500012346``,
    ``PO-1 / PO-2``, ``4711 und 4712``, ``4711,4712``.

    The first is :func:`identifier`'s; each further one must follow a list
    joiner, have the same shape (letter prefix, digit-run lengths and
    separators) and end at the next joiner or the end of the text, so that
    "4711, dated 12.10.2026", "4711, 2 parcels", "12345, 80331 München" or
    "PO-1 / INV-2" stay one. A year after a number that is not one
    ("4711 & 2026") is not listed. A PO's item ("4500012345 / 10", SAP's
    PO/item) is no number of its own: the PO is listed without it.
    """
    words = [part for word in words for part in re.split(r"(?<=[,;])(?=\S)", word)]
    first = identifier(words)
    if first is None:
        return []
    out = [po_without_item(first)]
    text = " ".join(words)
    last = first.split()[-1]
    rest = text[text.index(last) + len(last) :]
    prefix = f"{first.split()[0]} " if " " in first else ""
    shape = _shape(out[0])
    year_first = _YEAR.match(out[0]) is not None
    while (joiner := _LIST_JOINER.match(rest)) is not None:
        after = rest[joiner.end() :].lstrip("#")
        if prefix and after.upper().startswith(prefix.upper()):
            after = after[len(prefix) :]
        found = _ID_AT.match(after)
        if found is None:
            break
        value = prefix + found.group(0).rstrip(".")
        tail = after[found.end() :]
        if joiner.group(0).strip() == "/" and po_without_item(f"{out[-1]}/{value}") == out[-1]:
            rest = tail  # "4500012345 / 10": the item of the PO just read
            continue
        value = po_without_item(value)
        if (
            _shape(value) != shape
            or parse_date(value) is not None
            or (_YEAR.match(value) and not year_first)
            or (_LIST_JOINER.match(tail) is None and _LIST_END.match(tail) is None)
        ):
            break
        out.append(value)
        rest = tail
    return out


_NUMBER_SEPARATORS = re.compile(r"[\s\-_/.:#]+")


def same_number(a: str, b: str) -> bool:
    """Two document numbers that differ only in case and separators
    (``PO-2026-0142`` and ``po 2026 0142``)."""
    return _NUMBER_SEPARATORS.sub("", a).casefold() == _NUMBER_SEPARATORS.sub("", b).casefold()


def cited_pos(
    first: Field[str] | None,
    more: Sequence[Field[str]],
    line_refs: Sequence[tuple[str, Box | None]],
    *,
    label: str,
) -> tuple[Field[str] | None, tuple[Field[str], ...]]:
    """Every PO a document cites, as (``po_number``, ``other_po_numbers``).

    ``first`` and ``more`` are what the header says; ``line_refs`` the PO each
    line cites (with where it is printed), in line order. A PO the lines cite
    that the header does not is added; with none in the header, the first the
    lines cite becomes ``po_number`` (``label`` says where it was read).
    Numbers count once, however they are written; of a "PO/item" reference
    (``4500012345/10``) the PO counts.
    """
    cited = [f for f in (first, *more) if f is not None]
    for printed, box in line_refs:
        value = po_without_item(printed)
        if not any(same_number(value, f.value) for f in cited):
            cited.append(Field(value, printed, 0.9, box, label))
    if not cited:
        return None, ()
    return cited[0], tuple(cited[1:])
