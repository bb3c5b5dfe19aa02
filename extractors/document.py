"""From positioned words to an :class:`ExtractedDocument`.

The one place where layout, table and field reading meet. Every extractor that
can produce words with boxes (digital PDF today, OCR later) calls
:func:`analyse`; none of them reads fields itself. No PDF or OCR library here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from decimal import Decimal
from statistics import median
from typing import Any

from extractors import fields as f
from extractors.labels import Lexicon, Slot, lexicon
from extractors.layout import Line, PageSize, build_lines, page_sizes_from_words
from extractors.parsing import (
    DateOrder,
    NumberStyle,
    cited_pos,
    date_order_evidence,
    number_style_evidence,
)
from extractors.settings import ExtractionSettings
from extractors.table import read_table
from extractors.types import (
    Box,
    DocumentKind,
    ErrorCode,
    ExtractedDocument,
    ExtractedLine,
    ExtractionError,
    Field,
    Word,
)

_MDY_CURRENCIES = frozenset({"USD"})


def analyse(
    words: Sequence[Word],
    *,
    extractor: str,
    page_count: int,
    settings: ExtractionSettings,
    kind_hint: DocumentKind | None = None,
    pages: Mapping[int, PageSize] | None = None,
    aside: Sequence[Word] = (),
) -> ExtractedDocument:
    """Read kind, header fields and line items from ``words``.

    ``aside`` are words kept for the document's word list but left out of the
    layout (text drawn at an angle: stamps and watermarks).

    Raises ExtractionError(UNKNOWN_KIND) only when neither ``kind_hint`` nor
    any title or label says what the document is.
    """
    lex = lexicon(settings.languages)
    lines = build_lines(
        words,
        same_line_tolerance=settings.same_line_tolerance,
        phrase_gap=settings.phrase_gap,
    )
    sizes = dict(pages) if pages else page_sizes_from_words(words)
    notes: list[str] = []
    detected, kind_confidence, why = f.detect_kind(lines, lex, sizes)
    kind: DocumentKind
    if kind_hint is not None and kind_hint is not DocumentKind.UNKNOWN:
        kind = kind_hint
        if detected not in (kind_hint, DocumentKind.UNKNOWN):
            notes.append(f"kind given as {kind_hint}; the document looks like {detected} ({why})")
    else:
        kind = detected
        notes.append(f"kind {kind} from {why} (confidence {kind_confidence})")
    if kind is DocumentKind.UNKNOWN:
        raise ExtractionError(
            ErrorCode.UNKNOWN_KIND,
            "no title or label says whether this is an invoice, a purchase order or a "
            "goods receipt; pass the kind explicitly or check the file is a business document",
        )

    all_text = [w.text for w in words]
    style = number_style_evidence(all_text)
    table = read_table(lines, kind=kind, lexicon=lex, style=style, settings=settings)
    notes.extend(table.notes)
    body_height = median(ln.height for ln in lines) if lines else 1.0
    ctx = f.Context(
        lines=lines,
        kind=kind,
        lexicon=lex,
        settings=settings,
        pages=sizes,
        style=style,
        order=None,
        excluded=table.used,
        body_height=body_height or 1.0,
    )
    hits = f.find_labels(ctx)
    currency = f.read_currency(hits, ctx)
    texts = [ln.text for ln in lines]
    ctx.order_from_dates = date_order_evidence(texts) is not None
    ctx.order = _date_order(texts, style, currency.value if currency else None)

    number = f.first_field(f.read_slot(hits, Slot.NUMBER, ctx))
    po_number: Field[str] | None = None
    other_po_numbers: tuple[Field[str], ...] = ()
    if kind is not DocumentKind.PO:
        po_number, other_po_numbers = f.read_po_numbers(hits, ctx)
        line_refs = [(ln.po_number, ln.box) for ln in table.lines if ln.po_number]
        po_number, other_po_numbers = cited_pos(
            po_number, other_po_numbers, line_refs, label="PO column of the items"
        )
    credited = None
    if kind is DocumentKind.CREDIT_NOTE:
        credited = f.first_field(f.read_slot(hits, Slot.CREDITED_INVOICE, ctx))
    date = f.first_field(f.read_slot(hits, Slot.DATE, ctx))
    if date is None:
        used = {id(w) for h in hits for w in (*h.words, *h.inline)}
        date = f.fallback_date(ctx, used)
    title_words = _title_words(lines, lex)
    vendor = f.read_vendor(hits, ctx, title_words)
    subtotal, tax, total = f.read_totals(hits, ctx, table.lines, table.end_line)
    if style is None:
        notes.append("number format not evident; a lone separator before 3 digits read as grouping")
    doc = ExtractedDocument(
        kind=kind,
        extractor=extractor,
        page_count=page_count,
        number=number,
        date=date,
        vendor=vendor,
        po_number=po_number,
        currency=currency,
        subtotal=subtotal,
        tax=tax,
        total=total,
        lines=tuple(table.lines),
        words=(*words, *aside),
        notes=tuple(notes),
        other_po_numbers=other_po_numbers,
        credited_number=credited,
    )
    doc = _with_word_confidence(doc, words, settings.ocr_low_confidence)
    if any(w.confidence < 1.0 for w in words):
        doc = _check_arithmetic(doc)
    return doc


def _check_arithmetic(doc: ExtractedDocument) -> ExtractedDocument:
    """Check OCR'd items against their own arithmetic, and mend a misread digit
    only where two independent checks agree on it.

    A line whose quantity times unit price is not its amount has a misread
    figure (or a discount column recon did not see). The amount is corrected
    to quantity times price when that, and only that, makes the items add up
    to the printed subtotal; with the amount confirmed by the subtotal, a
    whole quantity that amount and unit price agree on replaces the one read.
    Every correction and every line left inconsistent gets a note for the
    reviewer.
    """
    lines = list(doc.lines)
    bad = [i for i, ln in enumerate(lines) if _product(ln) not in (None, ln.amount)]
    if not bad:
        return doc
    notes = list(doc.notes)
    amounts = [ln.amount for ln in lines]
    subtotal = doc.subtotal.value if doc.subtotal is not None else None
    if subtotal is not None and all(a is not None for a in amounts):
        printed = sum((a for a in amounts if a is not None), Decimal(0))
        if printed != subtotal:
            mends = [
                i
                for i in bad
                if printed - (lines[i].amount or 0) + (_product(lines[i]) or 0) == subtotal
            ]
            if len(mends) == 1:
                i = mends[0]
                ln, product = lines[i], _product(lines[i])
                notes.append(
                    f"line {ln.line_no}: amount read as {ln.amount}, corrected to {product} "
                    "(quantity x unit price, and the items then add up to the subtotal)"
                )
                lines[i] = replace(ln, amount=product, confidence=min(ln.confidence, 0.6))
                bad.remove(i)
        elif printed == subtotal:
            for i in list(bad):
                ln = lines[i]
                qty = _whole_quantity(ln)
                if qty is not None:
                    notes.append(
                        f"line {ln.line_no}: quantity read as {ln.quantity}, corrected to "
                        f"{qty} (amount / unit price, and the amount agrees with the subtotal)"
                    )
                    lines[i] = replace(ln, quantity=qty, confidence=min(ln.confidence, 0.6))
                    bad.remove(i)
    for i in bad:
        ln = lines[i]
        notes.append(
            f"low_confidence: line {ln.line_no} ({ln.quantity} x {ln.unit_price} is not "
            f"{ln.amount}; a figure may be misread)"
        )
    return replace(doc, lines=tuple(lines), notes=tuple(notes))


def _product(line: ExtractedLine) -> Decimal | None:
    """Quantity times unit price, to the amount's decimal places; None when a
    figure is missing."""
    if line.unit_price is None or line.amount is None:
        return None
    exponent = line.amount.as_tuple().exponent
    product = line.quantity * line.unit_price
    if isinstance(exponent, int) and exponent < 0:
        return Decimal(product.quantize(Decimal(1).scaleb(exponent)))
    return Decimal(product)


def _whole_quantity(line: ExtractedLine) -> Decimal | None:
    """The whole quantity amount and unit price agree on, if they agree on one.
    (A unit price is never mended: a discount column recon did not see would
    make every discounted price look misread.)"""
    if line.unit_price is None or line.amount is None or not line.unit_price:
        return None
    qty = line.amount / line.unit_price
    if qty > 0 and qty == qty.to_integral_value():
        return qty.quantize(Decimal(1))
    return None


def _with_word_confidence(
    doc: ExtractedDocument, words: Sequence[Word], threshold: float
) -> ExtractedDocument:
    """Scale each field's and line's confidence by how sure OCR was of its words.

    A value read from a word OCR was unsure of (below ``threshold``) gets a note
    ``low_confidence: <field>`` (``line <n>`` for items) so a person checks it.
    Digital text (confidence 1.0) changes nothing.
    """
    if all(w.confidence >= 1.0 for w in words):
        return doc
    notes = list(doc.notes)
    changes: dict[str, Any] = {}
    for name, fld in doc.header_fields().items():
        if fld is None or fld.box is None:
            continue
        read = _read_confidence(fld.box, words)
        if read < 1.0:
            changes[name] = replace(fld, confidence=round(fld.confidence * read, 3))
        if read < threshold:
            notes.append(f"low_confidence: {name} ({fld.raw!r} read with {read:.2f})")
    lines = []
    for line in doc.lines:
        read = 1.0 if line.box is None else _read_confidence(line.box, words)
        if read < threshold:
            notes.append(f"low_confidence: line {line.line_no} (read with {read:.2f})")
        lines.append(replace(line, confidence=round(line.confidence * read, 3)))
    return replace(doc, **changes, lines=tuple(lines), notes=tuple(notes))


def _read_confidence(box: Box, words: Sequence[Word]) -> float:
    """The least confidence of the words whose centre lies inside ``box``."""
    least = 1.0
    for w in words:
        b = w.box
        if b.page != box.page:
            continue
        cx, cy = (b.x0 + b.x1) / 2, (b.top + b.bottom) / 2
        if box.x0 <= cx <= box.x1 and box.top <= cy <= box.bottom:
            least = min(least, w.confidence)
    return least


def _date_order(
    texts: Sequence[str], style: NumberStyle | None, currency: str | None
) -> DateOrder | None:
    """Day/month order: dates that settle it, else the number format and currency."""
    evidence = date_order_evidence(texts)
    if evidence is not None:
        return evidence
    if style is NumberStyle.COMMA_DECIMAL:
        return DateOrder.DMY
    if currency is not None:
        return DateOrder.MDY if currency in _MDY_CURRENCIES else DateOrder.DMY
    return None


def _title_words(lines: Sequence[Line], lex: Lexicon) -> set[int]:
    out: set[int] = set()
    for line in lines:
        for phrase in line.phrases:
            hit = lex.match_title(phrase.tokens, 0)
            if hit is not None and len(phrase.tokens) <= hit[0] + 3:
                out.update(id(w) for w in phrase.words)
    return out
