"""Three-way match: invoices against POs and goods receipts.

Order of decisions, each one final for what follows:

1. **Duplicates.** Invoices in ``seq`` order; one with the same normalised
   vendor and number as an earlier one gets ``duplicate_invoice`` and nothing
   else: no matches, no quantities.
2. **PO lookup** by normalised number.  No PO: ``no_po``; the invoice keeps
   header checks of its own (``total_mismatch``) but gets no line checks.
3. **Header checks** against the PO: vendor, currency.
4. **Lines**, blocked by PO: every invoice and receipt citing one PO is
   scored against it in one ``cdist`` call, then each document is assigned
   on its own (:mod:`matching.lines`).
5. **Quantities**, invoices in (date, seq) order (undated ones after the
   dated, by seq): invoiced quantities accumulate per PO line and are held
   against the ordered and the received quantity.

Pure function over plain values: no I/O, no database, no Prefect.  Work is
linear in the number of documents plus one score matrix per PO block.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from rapidfuzz import fuzz, process

from matching import rules
from matching._format import format_money, format_quantity
from matching.charges import charges_allowance, is_charge
from matching.lines import LineAssignment, match_lines_blocked
from matching.normalise import (
    loose_document_number,
    normalise_description,
    normalise_document_number,
    normalise_vendor,
)
from matching.settings import MatchingSettings
from matching.types import (
    Discrepancy,
    DiscrepancyType,
    Document,
    Kind,
    Line,
    LineMatch,
    ReconcileResult,
)
from matching.units import in_po_units

__all__ = ["reconcile", "settings_for"]

_TYPE_ORDER = {kind: rank for rank, kind in enumerate(DiscrepancyType)}


@dataclass(frozen=True, slots=True)
class _Received:
    """What arrived against one PO line: total quantity and the first receipt line."""

    quantity: Decimal
    receipt_key: str
    receipt_line: int


def settings_for(document: Document, settings: MatchingSettings) -> MatchingSettings:
    """The settings that apply to ``document``: its vendor's, where it has its own."""
    return settings.for_vendor(document.vendor)


def reconcile(
    invoices: Sequence[Document],
    pos: Sequence[Document],
    receipts: Sequence[Document],
    settings: MatchingSettings,
) -> ReconcileResult:
    """Match ``invoices`` to ``pos`` and ``receipts`` and list every discrepancy.

    Output is deterministic: matches by (invoice seq, key, line), discrepancies
    by (invoice seq, key, line with header-level first, type).
    """
    discrepancies: list[Discrepancy] = []
    ordered = sorted(invoices, key=lambda doc: (doc.seq, doc.key))

    po_by_number = _index_pos(pos)
    originals, duplicates = _split_duplicates(ordered)
    discrepancies.extend(
        rules.duplicate_invoice(copy, first, _cited(copy, po_by_number), suspected=why)
        for copy, first, why in duplicates
    )
    with_po: list[tuple[Document, Document]] = []
    pos_by_vendor: dict[str, _VendorPos] | None = None
    for invoice in originals:
        invoice_settings = settings_for(invoice, settings)
        if total := rules.check_total(invoice, invoice_settings):
            discrepancies.append(total)
        po = _cited(invoice, po_by_number)
        if po is None:
            if pos_by_vendor is None:
                pos_by_vendor = _pos_by_vendor(pos)
            suggestion = _best_fit(invoice, pos_by_vendor, invoice_settings)
            discrepancies.append(rules.no_po(invoice, suggestion=suggestion))
            continue
        with_po.append((invoice, po))
        if currency := rules.check_currency(invoice, po):
            discrepancies.append(currency)
    discrepancies.extend(_vendor_checks(with_po, settings))

    receipts_by_po: dict[str, list[Document]] = defaultdict(list)
    # Receipts in the order goods arrived, so "the receipt" of a PO line is the
    # earliest delivery whatever order the files were ingested in.
    for receipt in sorted(receipts, key=_date_order):
        if (po := _cited(receipt, po_by_number)) is not None:
            receipts_by_po[po.key].append(receipt)
    invoices_by_po: dict[str, list[Document]] = defaultdict(list)
    for invoice, po in with_po:
        invoices_by_po[po.key].append(invoice)

    assignments: dict[str, LineAssignment] = {}
    received: dict[tuple[str, int], _Received] = {}
    for po in {po.key: po for _, po in with_po}.values():
        block_settings = settings_for(po, settings)
        block_invoices = invoices_by_po[po.key]
        block_receipts = receipts_by_po.get(po.key, [])
        documents = [*block_invoices, *block_receipts]
        solved = match_lines_blocked([doc.lines for doc in documents], po.lines, block_settings)
        split = len(block_invoices)
        assignments.update(zip((doc.key for doc in block_invoices), solved[:split], strict=True))
        received.update(_received(po, block_receipts, solved[split:], block_settings))

    matches: list[LineMatch] = []
    invoiced: dict[tuple[str, int], Decimal] = defaultdict(Decimal)
    by_date = sorted(with_po, key=lambda pair: _date_order(pair[0]))
    # Credit notes net against their PO lines before any invoice is counted:
    # a credit corrects what was billed, whenever it is dated, so 50 billed
    # and 5 credited on a 45-unit line is in order, and only what is still
    # over after the credits is raised.
    for credit, po in (pair for pair in by_date if pair[0].kind is Kind.CREDIT_NOTE):
        credit_settings = settings_for(credit, settings)
        assignment = assignments[credit.key]
        for miss in assignment.unmatched:
            line = credit.lines[miss.left]
            discrepancies.append(rules.unmatched_line(credit, line, po, miss.reason))
        for pair in assignment.pairs:
            po_line = po.lines[pair.right]
            line, _ = in_po_units(credit.lines[pair.left], po_line, credit_settings)
            invoiced[(po.key, pair.right)] -= abs(line.quantity)
            matches.append(
                LineMatch(
                    invoice_key=credit.key,
                    invoice_line=line.line_no,
                    po_key=po.key,
                    po_line=po_line.line_no,
                    receipt_key=None,
                    receipt_line=None,
                    score=pair.score,
                    reason=f"credit of {format_quantity(abs(line.quantity))}: {pair.reason}",
                )
            )
    for invoice, po in (pair for pair in by_date if pair[0].kind is not Kind.CREDIT_NOTE):
        invoice_settings = settings_for(invoice, settings)
        assignment = assignments[invoice.key]
        missed = [invoice.lines[miss.left] for miss in assignment.unmatched]
        accepted = _allowed_charges(invoice, missed, invoice_settings)
        for miss in assignment.unmatched:
            line = invoice.lines[miss.left]
            if line.line_no not in accepted:
                discrepancies.append(rules.unmatched_line(invoice, line, po, miss.reason))
        for pair in assignment.pairs:
            po_line = po.lines[pair.right]
            line, factor = in_po_units(invoice.lines[pair.left], po_line, invoice_settings)
            ref = (po.key, pair.right)
            invoiced[ref] += line.quantity
            arrived = received.get(ref)
            matches.append(
                LineMatch(
                    invoice_key=invoice.key,
                    invoice_line=line.line_no,
                    po_key=po.key,
                    po_line=po_line.line_no,
                    receipt_key=arrived.receipt_key if arrived else None,
                    receipt_line=arrived.receipt_line if arrived else None,
                    score=pair.score,
                    reason=pair.reason + _units_note(invoice.lines[pair.left], line, factor),
                )
            )
            found = (
                rules.check_price(invoice, line, po, po_line, invoice_settings),
                rules.check_quantity(invoice, line, po, po_line, invoiced[ref], invoice_settings),
                rules.check_not_received(
                    invoice,
                    line,
                    po,
                    po_line,
                    invoiced[ref],
                    arrived.quantity if arrived else Decimal(0),
                ),
            )
            discrepancies.extend(d for d in found if d is not None)

    rank = {invoice.key: position for position, invoice in enumerate(ordered)}
    matches.sort(key=lambda m: (rank[m.invoice_key], m.invoice_line))
    discrepancies.sort(
        key=lambda d: (
            rank[d.invoice_key],
            d.invoice_line is not None,
            d.invoice_line or 0,
            _TYPE_ORDER[d.type],
        )
    )
    return ReconcileResult(matches=tuple(matches), discrepancies=tuple(discrepancies))


def _split_duplicates(
    invoices: Iterable[Document],
) -> tuple[list[Document], list[tuple[Document, Document, str | None]]]:
    """The invoices to match, and (later copy, original, why suspected) for the
    copies; ``invoices`` in seq order. A copy is not matched; a suspected copy is.

    A copy has the same kind, vendor and number (normalised: ``INV-0042`` is
    ``inv0042``); ``why`` is None. A *suspected* copy, from a named vendor,
    has a number that differs only in leading zeros (``inv 42``), or the same
    total and date under another number; ``why`` says which. Invoices without
    a number are copies of nothing but a suspected one. A missing vendor is
    its own value: two unnamed-vendor invoices with one number are copies, an
    unnamed one and a named one are not.
    """
    first: dict[tuple[str, str | None, str], Document] = {}
    loose: dict[tuple[str, str, str], Document] = {}
    same_sum: dict[tuple[str, str, Decimal, date], Document] = {}
    originals: list[Document] = []
    duplicates: list[tuple[Document, Document, str | None]] = []
    for invoice in invoices:
        vendor = normalise_vendor(invoice.vendor) if invoice.vendor is not None else None
        kind = invoice.kind.value
        # An invoice and a credit note may share a number series: not copies.
        number = invoice.number
        exact = (kind, vendor, normalise_document_number(number)) if number else None
        if exact is not None and (original := first.get(exact)) is not None:
            duplicates.append((invoice, original, None))
            continue
        keys: list[tuple[dict[Any, Document], Any, str]] = []
        if vendor:
            if number:
                keys.append(
                    (
                        loose,
                        (kind, vendor, loose_document_number(number)),
                        "has a number that differs only in leading zeros or separators from"
                        " one already received",
                    )
                )
            if invoice.total is not None and invoice.date is not None:
                keys.append(
                    (
                        same_sum,
                        (kind, vendor, invoice.total, invoice.date),
                        f"has the same total ({invoice.total}) and date ({invoice.date})",
                    )
                )
        suspect = next(((table[key], why) for table, key, why in keys if key in table), None)
        if suspect is not None:
            # Perhaps a separate invoice after all: matched as usual, its
            # duplicate_invoice holding it (and its assets) for a person.
            duplicates.append((invoice, suspect[0], suspect[1]))
        if exact is not None:
            first[exact] = invoice
        for table, key, _ in keys:
            table.setdefault(key, invoice)
        originals.append(invoice)
    return originals, duplicates


def _allowed_charges(
    invoice: Document, unmatched: Sequence[Line], settings: MatchingSettings
) -> set[int]:
    """Line numbers of the unmatched charge lines the vendor's allowance covers:
    all of them when together they stay within it, else none."""
    charges = [line for line in unmatched if is_charge(line)]
    if not charges:
        return set()
    goods = sum(
        (rules.line_amount(line) for line in invoice.lines if not is_charge(line)), Decimal(0)
    )
    allowance = charges_allowance(goods, settings)
    billed = sum((rules.line_amount(line) for line in charges), Decimal(0))
    if allowance is None or billed > allowance:
        return set()
    return {line.line_no for line in charges}


def _units_note(billed: Line, restated: Line, factor: Decimal) -> str:
    """How a line billed in other units was counted, for the match's reason."""
    if factor == 1:
        return ""
    return (
        f"; billed {format_quantity(billed.quantity)} at {format_quantity(factor)} of the PO's"
        f" units each, counted as {format_quantity(restated.quantity)}"
    )


#: Of a vendor's POs, how many (closest by their descriptions) are fitted line
#: by line when suggesting one for an invoice without a PO.
_FIT_SHORTLIST = 5


@dataclass(frozen=True, slots=True)
class _VendorPos:
    """A vendor's POs, earliest first, and each one's descriptions as one text."""

    pos: list[Document]
    texts: list[str]


def _pos_by_vendor(pos: Iterable[Document]) -> dict[str, _VendorPos]:
    """POs by normalised vendor name, earliest first."""
    out: dict[str, _VendorPos] = {}
    for po in sorted(pos, key=lambda doc: (doc.seq, doc.key)):
        if po.vendor:
            entry = out.setdefault(normalise_vendor(po.vendor), _VendorPos([], []))
            entry.pos.append(po)
            entry.texts.append(" ".join(line.description for line in po.lines))
    return out


def _best_fit(
    invoice: Document, pos_by_vendor: dict[str, _VendorPos], settings: MatchingSettings
) -> tuple[Document, str] | None:
    """The vendor's PO whose lines the invoice's lines fit best, and why; None
    when no PO of the vendor fits at least half of the invoice's lines.

    Fit: lines matched (the same assignment as a cited PO gets), then the
    summed match score, then the earlier PO. Only the :data:`_FIT_SHORTLIST`
    POs closest by their descriptions as a whole are fitted line by line, so a
    vendor with thousands of POs costs one ``extract`` per invoice, not
    thousands of assignments.
    """
    if not invoice.vendor or not invoice.lines:
        return None
    vendor = pos_by_vendor.get(normalise_vendor(invoice.vendor))
    if vendor is None:
        return None
    candidates = vendor.pos
    if len(candidates) > _FIT_SHORTLIST:
        query = " ".join(line.description for line in invoice.lines)
        closest = process.extract(
            query,
            vendor.texts,
            scorer=fuzz.token_set_ratio,
            processor=normalise_description,
            limit=_FIT_SHORTLIST,
        )
        candidates = [vendor.pos[i] for i in sorted(index for _, _, index in closest)]
    best: tuple[tuple[int, float], Document, LineAssignment] | None = None
    for po in candidates:
        if po.currency and invoice.currency and po.currency != invoice.currency:
            continue
        found = match_lines_blocked([invoice.lines], po.lines, settings)[0]
        rank = (len(found.pairs), sum(p.score for p in found.pairs))
        if best is None or rank > best[0]:
            best = (rank, po, found)
    if best is None or best[0][0] * 2 < len(invoice.lines):
        return None
    (matched, _), po, found = best
    amount = sum((rules.line_amount(invoice.lines[p.left]) for p in found.pairs), Decimal(0))
    why = (
        f"{matched} of {len(invoice.lines)} lines match, worth {format_money(amount)}"
        " of the invoice's items"
    )
    return po, why


def _index_pos(pos: Iterable[Document]) -> dict[str, Document]:
    """POs by normalised number; of two with one number, the earlier (seq) wins."""
    index: dict[str, Document] = {}
    for po in sorted(pos, key=lambda doc: (doc.seq, doc.key)):
        if po.number is not None:
            index.setdefault(normalise_document_number(po.number), po)
    return index


def _cited(document: Document, po_by_number: dict[str, Document]) -> Document | None:
    if document.po_number is None:
        return None
    return po_by_number.get(normalise_document_number(document.po_number))


def _vendor_checks(
    pairs: Sequence[tuple[Document, Document]], settings: MatchingSettings
) -> list[Discrepancy]:
    """Vendor names of each (invoice, PO) pair, compared in one ``cpdist`` call."""
    named = [(inv, po) for inv, po in pairs if inv.vendor is not None and po.vendor is not None]
    if not named:
        return []
    cutoff = settings.vendor_min_score
    scores = process.cpdist(
        [inv.vendor for inv, _ in named],
        [po.vendor for _, po in named],
        scorer=fuzz.token_set_ratio,
        processor=normalise_vendor,
        score_cutoff=cutoff,
        workers=-1,
    )
    found: list[Discrepancy] = []
    for (invoice, po), score in zip(named, scores.tolist(), strict=True):
        invoice_vendor, po_vendor = invoice.vendor or "", po.vendor or ""
        min_score = settings_for(invoice, settings).vendor_min_score
        # token_set_ratio scores two empty names 0; equal names are equal.
        same = normalise_vendor(invoice_vendor) == normalise_vendor(po_vendor)
        if same or score >= min_score:
            continue
        exact = fuzz.token_set_ratio(invoice_vendor, po_vendor, processor=normalise_vendor)
        found.append(rules.vendor_mismatch(invoice, po, exact))
    return found


def _received(
    po: Document,
    receipts: Sequence[Document],
    solved: Sequence[LineAssignment],
    settings: MatchingSettings,
) -> dict[tuple[str, int], _Received]:
    """Received quantity per PO line (in its units), and the first receipt line
    (by date) on it."""
    out: dict[tuple[str, int], _Received] = {}
    for receipt, assignment in zip(receipts, solved, strict=True):
        for pair in assignment.pairs:
            line, _ = in_po_units(receipt.lines[pair.left], po.lines[pair.right], settings)
            ref = (po.key, pair.right)
            if (before := out.get(ref)) is None:
                out[ref] = _Received(line.quantity, receipt.key, line.line_no)
            else:
                out[ref] = _Received(
                    before.quantity + line.quantity, before.receipt_key, before.receipt_line
                )
    return out


def _date_order(doc: Document) -> tuple[bool, date, int, str]:
    """(date, seq) order; undated documents after the dated ones, by seq."""
    return (doc.date is None, doc.date or date.min, doc.seq, doc.key)
