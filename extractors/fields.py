"""Header fields, document kind and vendor from labels and their positions.

A label ("Invoice No.", "Amount due", "Bill to") is found on a text line; its
value is read where documents print values: after it in the same phrase, in
the next phrase to the right, or under it (label above value, in a box or
column). Each slot has a validator, so a label followed by prose ("Your order:
per e-mail from J. Smith") yields no value rather than a wrong one.

Works on :class:`~extractors.layout.Line` values only: no PDF or OCR types here.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from statistics import median
from typing import Any, TypeVar

from extractors.labels import Label, Lexicon, Slot, tokens
from extractors.layout import Line, PageSize, Phrase, h_overlap, union
from extractors.parsing import (
    DateOrder,
    NumberStyle,
    currency_of,
    find_dates,
    identifier,
    identifiers,
    parse_amount,
    po_without_item,
    split_currency,
)
from extractors.settings import ExtractionSettings
from extractors.types import Box, DocumentKind, ExtractedLine, Field, Word

T = TypeVar("T")

_AMOUNT_SLOTS = frozenset({Slot.SUBTOTAL, Slot.TAX, Slot.TOTAL})


@dataclass(frozen=True)
class LabelHit:
    """A label found on a line, with the words that may hold its value."""

    label: Label
    slot: Slot
    line: Line
    phrase_no: int
    words: tuple[Word, ...]
    inline: tuple[Word, ...]

    @property
    def box(self) -> Box:
        return union(w.box for w in self.words)

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)


@dataclass(frozen=True)
class Candidate:
    """Words offered as a label's value, and how they relate to the label."""

    words: tuple[Word, ...]
    where: str  # "inline", "right" or "below"

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)


_WHERE_CONFIDENCE = {"inline": 0.95, "right": 0.95, "below": 0.85, "guess": 0.5}


@dataclass
class Context:
    """What the whole document says that every field reader needs."""

    lines: Sequence[Line]
    kind: DocumentKind
    lexicon: Lexicon
    settings: ExtractionSettings
    pages: Mapping[int, PageSize]
    style: NumberStyle | None
    order: DateOrder | None
    excluded: set[int]
    body_height: float
    order_from_dates: bool = False


# ---------------------------------------------------------------------------
# Labels


def find_labels(ctx: Context) -> list[LabelHit]:
    """Every label on every line not used by the table, in reading order."""
    hits: list[LabelHit] = []
    for line in ctx.lines:
        if line.index in ctx.excluded:
            continue
        for p_no, phrase in enumerate(line.phrases):
            hits.extend(_phrase_labels(line, p_no, phrase, ctx))
    return hits


def _phrase_labels(line: Line, p_no: int, phrase: Phrase, ctx: Context) -> list[LabelHit]:
    toks: list[tuple[str, int]] = [
        (t, k) for k, w in enumerate(phrase.words) for t in tokens(w.text)
    ]
    flat = [t for t, _ in toks]
    found: list[tuple[int, int, Label]] = []  # token start, token count, label
    i = 0
    while i < len(toks):
        word_start = i == 0 or toks[i - 1][1] != toks[i][1]
        hit = ctx.lexicon.match_label(flat, i) if word_start else None
        if hit is not None:
            n, label = hit
            last_word = phrase.words[toks[i + n - 1][1]]
            # Inside a phrase only an explicit "Label:" counts; at its start any label.
            if i == 0 or last_word.text.endswith(":") or _ends_mid_word(toks, i + n):
                found.append((i, n, label))
                i += n
                continue
        i += 1
    out: list[LabelHit] = []
    for j, (start, n, label) in enumerate(found):
        slot = label.slot_for(ctx.kind)
        if slot is None:
            continue
        first_w, last_w = toks[start][1], toks[start + n - 1][1]
        end_tok = found[j + 1][0] if j + 1 < len(found) else len(toks)
        label_words = phrase.words[first_w : last_w + 1]
        value: list[Word] = []
        if _ends_mid_word(toks, start + n):
            rest = _remainder(phrase.words[last_w].text)
            if rest:
                value.append(Word(rest, phrase.words[last_w].box, phrase.words[last_w].confidence))
        next_word = last_w + 1
        end_word = toks[end_tok][1] if end_tok < len(toks) else len(phrase.words)
        value.extend(phrase.words[next_word:end_word])
        out.append(LabelHit(label, slot, line, p_no, label_words, tuple(value)))
    return out


def _ends_mid_word(toks: list[tuple[str, int]], end: int) -> bool:
    return 0 < end < len(toks) and toks[end - 1][1] == toks[end][1]


def _remainder(text: str) -> str:
    """``Invoice#123`` → ``123``; ``No.:A-1`` → ``A-1``."""
    m = re.search(r"[#:]\s*([^#:]+)$", text)
    return m.group(1).strip() if m else ""


def _starts_with_label(phrase: Phrase, ctx: Context) -> bool:
    hit = ctx.lexicon.match_label(phrase.tokens, 0)
    if hit is None:
        return False
    n, _ = hit
    return n == len(phrase.tokens) or phrase.text.rstrip().endswith(":") or ":" in phrase.text


def candidates(hit: LabelHit, ctx: Context) -> list[Candidate]:
    """Where the value of ``hit`` may be: inline, right, below (in that order)."""
    out: list[Candidate] = []
    inline = tuple(w for w in hit.inline if w.text.strip(":#"))
    if inline:
        out.append(Candidate(inline, "inline"))
    right = _right(hit, ctx)
    below = _below(hit, ctx)
    if right is not None and below is not None and not inline and _grid(hit, right, ctx):
        right = None
    if right is not None:
        out.append(Candidate(right.words, "right"))
    if below is not None:
        out.append(Candidate(below.words, "below"))
    return out


def _right(hit: LabelHit, ctx: Context) -> Phrase | None:
    page = ctx.pages.get(hit.line.page)
    width = page.width if page else 600.0
    for phrase in hit.line.phrases[hit.phrase_no + 1 :]:
        if phrase.box.x0 - hit.box.x1 > ctx.settings.value_right_max_width * width:
            return None
        if _starts_with_label(phrase, ctx):
            return None
        return phrase
    return None


def _grid(hit: LabelHit, right: Phrase, ctx: Context) -> bool:
    """A row of headings over a row of values (a box grid): the phrase right of a
    label without a colon is the next heading when it too has a value under it."""
    if hit.text.rstrip().endswith(":") or any(c.isdigit() for c in right.text):
        return False  # a value beside its label, not the next heading
    label_h = hit.box.bottom - hit.box.top
    if abs(right.height - label_h) > 0.25 * label_h:
        return False
    fake = LabelHit(hit.label, hit.slot, hit.line, hit.line.phrases.index(right), right.words, ())
    return _below(fake, ctx) is not None


def _below(hit: LabelHit, ctx: Context) -> Phrase | None:
    label_box = hit.box
    height = label_box.bottom - label_box.top
    limit = label_box.bottom + ctx.settings.value_below_max_lines * height
    for line in ctx.lines[hit.line.index + 1 :]:
        if line.page != hit.line.page or line.box.top > limit:
            return None
        if line.index in ctx.excluded:
            continue
        for phrase in line.phrases:
            left_aligned = abs(phrase.box.x0 - label_box.x0) <= height
            if h_overlap(phrase.box, label_box) > 0 or left_aligned:
                if _starts_with_label(phrase, ctx):
                    return None
                return phrase
    return None


# ---------------------------------------------------------------------------
# Value readers


Reader = Callable[[Candidate, Context], tuple[Any, str, tuple[Word, ...], float] | None]


def _read_identifier(
    cand: Candidate, ctx: Context
) -> tuple[str, str, tuple[Word, ...], float] | None:
    texts = [w.text for w in cand.words]
    value = identifier(texts)
    if value is None:
        return None
    used = cand.words[: len(value.split())]
    return value, value, used, 1.0


def _read_po(cand: Candidate, ctx: Context) -> tuple[str, str, tuple[Word, ...], float] | None:
    """A PO number; of SAP's "PO/item" (``4500012345/10``) the PO."""
    got = _read_identifier(cand, ctx)
    if got is None:
        return None
    value, raw, used, confidence = got
    return po_without_item(value), raw, used, confidence


def _read_date(cand: Candidate, ctx: Context) -> tuple[date, str, tuple[Word, ...], float] | None:
    text = cand.text
    matches = find_dates(text, order=ctx.order)
    if not matches or len(text[: matches[0].start].strip(" :#")) > 3:
        return None
    m = matches[0]
    confidence = 1.0
    if m.parsed.guessed and not ctx.order_from_dates:
        # Day/month read from the locale (number format, currency), or not at all.
        confidence = ctx.settings.ambiguous_date_confidence
        if ctx.order is not None:
            confidence = (1.0 + confidence) / 2
    raw = text[m.start : m.end]
    return m.parsed.value, raw, _words_covering(cand.words, m.start, m.end), confidence


def _words_covering(words: tuple[Word, ...], start: int, end: int) -> tuple[Word, ...]:
    out: list[Word] = []
    pos = 0
    for w in words:
        w_end = pos + len(w.text)
        if pos < end and start < w_end:
            out.append(w)
        pos = w_end + 1
    return tuple(out) or words


def _read_amount(
    cand: Candidate, ctx: Context
) -> tuple[Decimal, str, tuple[Word, ...], float] | None:
    words = cand.words
    # Right-aligned totals: the amount is the last one in the span.
    for n in range(len(words), 0, -1):
        for k in (3, 2, 1):
            if n - k < 0:
                continue
            span = words[n - k : n]
            text = " ".join(w.text for w in span)
            parsed = parse_amount(text, style=ctx.style)
            if parsed is not None:
                return parsed.value, text, span, 0.8 if parsed.guessed else 1.0
    return None


def _read_currency(
    cand: Candidate, ctx: Context
) -> tuple[str, str, tuple[Word, ...], float] | None:
    for w in cand.words[:2]:
        code = currency_of(w.text)
        if code is not None:
            return code, w.text, (w,), 1.0
    return None


def _read_party(cand: Candidate, ctx: Context) -> tuple[str, str, tuple[Word, ...], float] | None:
    text = cand.text.strip(" ,;:")
    if not re.search(r"[A-Za-z]{2}", text) or "@" in text:
        return None
    name = legal_name(text, ctx.lexicon) or text
    return name, text, cand.words, 1.0


_READERS: dict[Slot, Reader] = {
    Slot.NUMBER: _read_identifier,
    Slot.PO_NUMBER: _read_po,
    Slot.CREDITED_INVOICE: _read_identifier,
    Slot.DATE: _read_date,
    Slot.SUBTOTAL: _read_amount,
    Slot.TAX: _read_amount,
    Slot.TOTAL: _read_amount,
    Slot.CURRENCY: _read_currency,
    Slot.SELLER: _read_party,
}


@dataclass(frozen=True)
class Reading:
    """One label's value as read, with how sure the reading is."""

    field: Field[Any]
    hit: LabelHit
    score: float


def read_slot(hits: Sequence[LabelHit], slot: Slot, ctx: Context) -> list[Reading]:
    """All readable values for ``slot``, best first."""
    reader = _READERS[slot]
    readings: list[Reading] = []
    for hit in hits:
        if hit.slot is not slot:
            continue
        cands = candidates(hit, ctx)
        if slot in _AMOUNT_SLOTS:
            cands = _amount_candidates(hit, ctx) + [c for c in cands if c.where == "below"]
        for cand in cands:
            got = reader(cand, ctx)
            if got is None:
                continue
            value, raw, used, conf = got
            confidence = round(_WHERE_CONFIDENCE[cand.where] * conf, 3)
            box = union(w.box for w in used)
            field: Field[Any] = Field(value, raw, confidence, box, hit.text)
            score = hit.label.priority + confidence
            readings.append(Reading(field, hit, score))
            break
    readings.sort(key=lambda r: (-r.score, r.hit.line.index))
    return readings


def read_po_numbers(
    hits: Sequence[LabelHit], ctx: Context
) -> tuple[Field[str] | None, tuple[Field[str], ...]]:
    """The PO number, and the further ones when its label lists several
    ("PO: 4500012345, 4500012346", "Bestellnummern 4711 und 4712")."""
    readings = read_slot(hits, Slot.PO_NUMBER, ctx)
    if not readings:
        return None, ()
    best = readings[0]
    for cand in candidates(best.hit, ctx):
        if _read_identifier(cand, ctx) is None:
            continue  # the candidate read_slot passed over too
        more: list[Field[str]] = []
        for value in identifiers([w.text for w in cand.words])[1:]:
            tail = value.split()[-1]
            used = [w for w in cand.words if tail in w.text] or list(cand.words)
            box = union(w.box for w in used)
            more.append(Field(value, value, best.field.confidence, box, best.hit.text))
        return best.field, tuple(more)
    return best.field, ()


def _amount_candidates(hit: LabelHit, ctx: Context) -> list[Candidate]:
    """Inline words plus the phrases to the right up to the first that is an
    amount (or the next label). Phrases beyond the value belong to whatever
    shares the line: payment details beside a left-hand totals block."""
    words: list[Word] = list(hit.inline)
    for phrase in hit.line.phrases[hit.phrase_no + 1 :]:
        if _starts_with_label(phrase, ctx):
            break
        words.extend(phrase.words)
        if parse_amount(phrase.text, style=ctx.style) is not None:
            break
    return [Candidate(tuple(words), "inline")] if words else []


# ---------------------------------------------------------------------------
# Kind


def detect_kind(
    lines: Sequence[Line], lexicon: Lexicon, pages: Mapping[int, PageSize]
) -> tuple[DocumentKind, float, str]:
    """The document kind from its title (large, near the top) and its labels."""
    if not lines:
        return DocumentKind.UNKNOWN, 0.0, "no text"
    body = median(ln.height for ln in lines) or 1.0
    scores: dict[DocumentKind, float] = {}
    why: dict[DocumentKind, str] = {}
    for line in lines:
        page = pages.get(line.page)
        top_share = line.box.top / page.height if page and page.height else 0.5
        for phrase in line.phrases:
            toks = phrase.tokens
            hit = lexicon.match_title(toks, 0)
            if hit is None:
                continue
            n, kind = hit
            rest = toks[n:]
            title_text = phrase.text
            if ":" in title_text and len(rest) > 0:
                continue  # "Purchase Order: 123" is a label, not a title
            if len(rest) > 3 or not all(
                t in lexicon.title_suffixes or any(c.isdigit() for c in t) for t in rest
            ):
                continue
            weight = phrase.height / body
            weight *= 1.5 if line.page == 1 and top_share < 0.35 else 1.0
            weight *= 1.0 if line.page == 1 else 0.5
            if weight > scores.get(kind, 0.0):
                scores[kind] = weight
                why[kind] = f"title {phrase.text!r}"
    hints: Counter[DocumentKind] = Counter()
    for line in lines:
        for phrase in line.phrases:
            toks = phrase.tokens
            for n in range(min(4, len(toks)), 0, -1):
                kind_hint = lexicon.kind_hints.get(tuple(toks[:n]))
                if kind_hint is not None:
                    hints[kind_hint] += 1
                    break
    for kind, count in hints.items():
        scores[kind] = scores.get(kind, 0.0) + min(0.15 * count, 0.6)
    if not scores:
        return DocumentKind.UNKNOWN, 0.0, "no title or kind-specific labels"
    ranked = sorted(scores.items(), key=lambda kv: -kv[1])
    kind, score = ranked[0]
    second = ranked[1][1] if len(ranked) > 1 else 0.0
    confidence = min(1.0, 0.5 + (score - second) / max(score, 1e-6) / 2)
    return kind, round(confidence, 3), why.get(kind, "labels")


# ---------------------------------------------------------------------------
# Vendor


def legal_name(text: str, lexicon: Lexicon) -> str | None:
    """The company name ending in a legal form inside ``text`` (``Acme Ltd``)."""
    for segment in re.split(r"\s*[·|•;]\s*|\s+-\s+|,\s+(?=\d)", text):
        words = segment.strip(" ,").split()
        for end in range(len(words), 0, -1):
            for k in (4, 3, 2, 1):
                if end - k < 1:
                    continue
                suffix = tuple(tokens(" ".join(words[end - k : end]).rstrip(",")))
                if suffix and suffix in lexicon.legal_forms:
                    name_words = words[:end]
                    if _looks_like_name(name_words, lexicon):
                        return " ".join(name_words).rstrip(",")
    return None


def _looks_like_name(words: list[str], lexicon: Lexicon) -> bool:
    if not 2 <= len(words) <= 8:
        return False
    lower = [w for w in words if w[:1].islower() and w.lower() not in lexicon.prose_words]
    return not lower


def _is_name_like(phrase: Phrase) -> bool:
    text = phrase.text
    if "@" in text or re.search(r"www\.|https?:|\.com\b", text, re.IGNORECASE):
        return False
    if sum(c.isdigit() for c in text) >= 3 or not re.search(r"[A-Za-z]{2}", text):
        return False
    return not text.rstrip().endswith(":")


def party_blocks(hits: Sequence[LabelHit], ctx: Context, slot: Slot) -> set[int]:
    """ids of the words in the address blocks under ``slot`` labels."""
    owned: set[int] = set()
    for hit in hits:
        if hit.slot is not slot:
            continue
        box = hit.box
        height = box.bottom - box.top
        for w in hit.inline:
            owned.add(id(w))
        for phrase in hit.line.phrases[hit.phrase_no + 1 : hit.phrase_no + 2]:
            owned.update(id(w) for w in phrase.words)
        prev_bottom = box.bottom
        for line in ctx.lines[hit.line.index + 1 :]:
            if line.page != hit.line.page or line.box.top - prev_bottom > 1.5 * height:
                break
            col = [p for p in line.phrases if abs(p.box.x0 - box.x0) <= 2 * height]
            if not col:
                col = [p for p in line.phrases if h_overlap(p.box, box) > 0]
            if not col:
                continue
            if any(_starts_with_label(p, ctx) for p in col) and line.index != hit.line.index:
                labelled = ctx.lexicon.match_label(col[0].tokens, 0)
                if labelled is not None and labelled[1].slot_for(ctx.kind) is not slot:
                    break
            for p in col:
                owned.update(id(w) for w in p.words)
            prev_bottom = line.box.bottom
    return owned


def read_vendor(hits: Sequence[LabelHit], ctx: Context, title_words: set[int]) -> Field[str] | None:
    """The issuer on an invoice; the party under "Supplier"/"Vendor" on an order or receipt."""
    for reading in read_slot(hits, Slot.SELLER, ctx):
        return reading.field
    if ctx.kind is DocumentKind.PO:
        return None
    buyer = party_blocks(hits, ctx, Slot.BUYER)
    label_words = {id(w) for h in hits for w in h.words} | {id(w) for h in hits for w in h.inline}
    skip = buyer | label_words | title_words
    letterhead = _letterhead(ctx, skip)
    if letterhead is not None and legal_name(letterhead.text, ctx.lexicon):
        return _party_field(letterhead, ctx, 0.9)
    footer = _footer_name(ctx, skip)
    if footer is not None:
        return footer
    if letterhead is not None:
        return _party_field(letterhead, ctx, 0.7)
    return None


def _party_field(phrase: Phrase, ctx: Context, confidence: float) -> Field[str]:
    text = phrase.text.strip(" ,;")
    name = legal_name(text, ctx.lexicon) or text
    return Field(name, text, confidence, phrase.box, None)


#: Fewer letters and digits than this make initials, not a written-out name.
_MIN_NAME_CHARS = 4


def _letterhead(ctx: Context, skip: set[int]) -> Phrase | None:
    page = ctx.pages.get(1)
    limit = (page.height if page else 800.0) * ctx.settings.letterhead_region
    best: tuple[float, Phrase] | None = None
    for line in ctx.lines:
        if line.page != 1 or line.box.top > limit:
            continue
        if line.index in ctx.excluded:
            continue
        for phrase in line.phrases:
            if any(id(w) in skip for w in phrase.words) or not _is_name_like(phrase):
                continue
            if ctx.lexicon.match_label(phrase.tokens, 0) is not None and ":" in phrase.text:
                continue
            size = phrase.height / ctx.body_height
            score = size + (0.5 if legal_name(phrase.text, ctx.lexicon) else 0.0)
            score -= 0.1 * line.box.top / max(limit, 1.0)
            if sum(c.isalnum() for c in phrase.text) < _MIN_NAME_CHARS:
                score -= 1.0  # a monogram in a logo ("PP") comes after a written-out name
            if best is None or score > best[0]:
                best = (score, phrase)
    return None if best is None else best[1]


def _footer_name(ctx: Context, skip: set[int]) -> Field[str] | None:
    for line in reversed(ctx.lines):
        page = ctx.pages.get(line.page)
        if page is None or line.box.top < page.height * (1 - ctx.settings.footer_region):
            continue
        for phrase in line.phrases:
            if any(id(w) in skip for w in phrase.words):
                continue
            name = legal_name(phrase.text, ctx.lexicon)
            if name is not None:
                return Field(name, phrase.text, 0.8, phrase.box, None)
    return None


# ---------------------------------------------------------------------------
# Currency


def read_currency(hits: Sequence[LabelHit], ctx: Context) -> Field[str] | None:
    """From a "Currency" label, else the symbols and codes printed with amounts."""
    for reading in read_slot(hits, Slot.CURRENCY, ctx):
        return reading.field
    votes: Counter[str] = Counter()
    where: dict[str, Word] = {}
    for line in ctx.lines:
        for w in line.words:
            text = w.text.strip("():,")
            code = None
            if any(c.isdigit() for c in text):
                _, code = split_currency(text)
            else:
                code = currency_of(text) if len(text) <= 4 else None
            if code is not None:
                votes[code] += 1
                where.setdefault(code, w)
    if not votes:
        return None
    code, count = votes.most_common(1)[0]
    share = count / sum(votes.values())
    w = where[code]
    return Field(code, w.text, round(0.6 + 0.35 * share, 3), w.box, None)


# ---------------------------------------------------------------------------
# Totals


def read_totals(
    hits: Sequence[LabelHit],
    ctx: Context,
    lines: Sequence[ExtractedLine],
    table_end: int | None,
) -> tuple[Field[Decimal] | None, Field[Decimal] | None, Field[Decimal] | None]:
    """Subtotal, tax and total, choosing the readings that add up when some do."""
    tol = ctx.settings.amount_tolerance
    options: dict[Slot, list[Reading | None]] = {}
    for slot in (Slot.SUBTOTAL, Slot.TAX, Slot.TOTAL):
        readings = read_slot(hits, slot, ctx)
        if slot is Slot.TAX:
            readings = readings + _summed_taxes(readings)
        options[slot] = [*readings[:6], None]
    line_sum = sum((ln.amount for ln in lines if ln.amount is not None), Decimal(0))
    best: tuple[float, tuple[Reading | None, ...]] | None = None
    for combo in itertools.product(*options.values()):
        sub, tax, total = combo
        score = sum(_reading_score(r, table_end) for r in combo if r is not None)
        if sub and tax and total:
            if abs(sub.field.value + tax.field.value - total.field.value) <= tol:
                score += 6
        elif sub and total and tax is None and abs(sub.field.value - total.field.value) <= tol:
            score += 1
        if sub and lines and abs(sub.field.value - line_sum) <= tol:
            score += 2
        if total and not sub and not tax and lines and abs(total.field.value - line_sum) <= tol:
            score += 1
        if best is None or score > best[0]:
            best = (score, combo)
    assert best is not None
    sub, tax, total = best[1]
    return (
        sub.field if sub else None,
        tax.field if tax else None,
        total.field if total else None,
    )


def _reading_score(reading: Reading, table_end: int | None) -> float:
    score = reading.score
    if table_end is not None and reading.hit.line.index < table_end:
        score -= 1.0  # totals come after the items
    return score


def _summed_taxes(readings: list[Reading]) -> list[Reading]:
    """Several tax lines (one per rate) as one summed reading."""
    distinct: dict[int, Reading] = {}
    for r in readings:
        distinct.setdefault(r.hit.line.index, r)
    if len(distinct) < 2:
        return []
    parts = list(distinct.values())
    total = sum((r.field.value for r in parts), Decimal(0))
    box = union(r.field.box for r in parts if r.field.box is not None)
    conf = min(r.field.confidence for r in parts) * 0.9
    raw = " + ".join(r.field.raw for r in parts)
    field: Field[Any] = Field(total, raw, round(conf, 3), box, parts[0].field.label)
    return [Reading(field, parts[0].hit, min(r.score for r in parts) - 0.5)]


def first_field(readings: Sequence[Reading]) -> Field[Any] | None:
    return readings[0].field if readings else None


def fallback_date(ctx: Context, used: set[int]) -> Field[date] | None:
    """An unlabelled date near the top of page 1 (e.g. "London, 14 October 2026")."""
    page = ctx.pages.get(1)
    limit = (page.height if page else 800.0) * 0.4
    for line in ctx.lines:
        if line.page != 1 or line.box.top > limit or line.index in ctx.excluded:
            continue
        for phrase in line.phrases:
            if any(id(w) in used for w in phrase.words):
                continue
            matches = find_dates(phrase.text, order=ctx.order)
            if matches:
                m = matches[0]
                raw = phrase.text[m.start : m.end]
                return Field(m.parsed.value, raw, _WHERE_CONFIDENCE["guess"], phrase.box, None)
    return None
