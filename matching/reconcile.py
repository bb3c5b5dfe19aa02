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
    for copy, original, why in duplicates:
        cited_pos = _resolve(copy, po_by_number).found
        discrepancies.append(
            rules.duplicate_invoice(
                copy, original, cited_pos[0] if cited_pos else None, suspected=why
            )
        )
    credited = _InvoicesOnFile(ordered)
    with_po: list[tuple[Document, _Cited]] = []
    pos_by_vendor: dict[str, _VendorPos] | None = None
    for invoice in originals:
        invoice_settings = settings_for(invoice, settings)
        if total := rules.check_total(invoice, invoice_settings):
            discrepancies.append(total)
        cited = _resolve(invoice, po_by_number)
        if invoice.kind is Kind.CREDIT_NOTE and not credited.holds(invoice, settings):
            first = cited.found[0] if cited.found else None
            discrepancies.append(rules.unknown_credited_invoice(invoice, first))
        if not cited.found:
            if pos_by_vendor is None:
                pos_by_vendor = _pos_by_vendor(pos)
            suggestion = _best_fit(invoice, pos_by_vendor, invoice_settings)
            discrepancies.append(rules.no_po(invoice, suggestion=suggestion, cited=cited.missing))
            continue
        with_po.append((invoice, cited))
        currency = (rules.check_currency(invoice, po) for po in cited.found)
        if (first_currency := next((d for d in currency if d is not None), None)) is not None:
            discrepancies.append(first_currency)
    # One vendor_mismatch per invoice: the first PO (in citation order) that differs.
    vendor_pairs = [(invoice, po) for invoice, cited in with_po for po in cited.found]
    discrepancies.extend(_first_per_key(_vendor_checks(vendor_pairs, settings)))

    # Receipts in the order goods arrived, so "the receipt" of a PO line is the
    # earliest delivery whatever order the files were ingested in.
    receipts_cited = [
        (receipt, cited)
        for receipt in sorted(receipts, key=_date_order)
        if (cited := _resolve(receipt, po_by_number)).found
    ]
    solved = _assign([*with_po, *receipts_cited], settings)
    for invoice, cited in with_po:
        if cited.missing:
            discrepancies.append(_po_not_on_file(invoice, cited, solved[invoice.key]))

    received: dict[tuple[str, int], _Received] = {}
    for receipt, _ in receipts_cited:
        for pair in solved[receipt.key].pairs:
            po_settings = settings_for(pair.po, settings)
            line, _ = in_po_units(receipt.lines[pair.row], pair.po.lines[pair.po_row], po_settings)
            ref = (pair.po.key, pair.po_row)
            if (before := received.get(ref)) is None:
                received[ref] = _Received(line.quantity, receipt.key, line.line_no)
            else:
                received[ref] = _Received(
                    before.quantity + line.quantity, before.receipt_key, before.receipt_line
                )

    matches: list[LineMatch] = []
    invoiced: dict[tuple[str, int], Decimal] = defaultdict(Decimal)
    by_date = sorted(with_po, key=lambda pair: _date_order(pair[0]))
    # Credit notes net against their PO lines before any invoice is counted:
    # a credit corrects what was billed, whenever it is dated, so 50 billed
    # and 5 credited on a 45-unit line is in order, and only what is still
    # over after the credits is raised.
    for credit, credit_cited in (pair for pair in by_date if pair[0].kind is Kind.CREDIT_NOTE):
        credit_settings = settings_for(credit, settings)
        assignment = solved[credit.key]
        discrepancies.extend(
            _unmatched_line(credit, credit_cited, miss) for miss in _reported(assignment)
        )
        for pair in assignment.pairs:
            po_line = pair.po.lines[pair.po_row]
            line, _ = in_po_units(credit.lines[pair.row], po_line, credit_settings)
            invoiced[(pair.po.key, pair.po_row)] -= abs(line.quantity)
            matches.append(
                LineMatch(
                    invoice_key=credit.key,
                    invoice_line=line.line_no,
                    po_key=pair.po.key,
                    po_line=po_line.line_no,
                    receipt_key=None,
                    receipt_line=None,
                    score=pair.score,
                    reason=f"credit of {format_quantity(abs(line.quantity))}: {pair.reason}",
                )
            )
    for invoice, cited in (pair for pair in by_date if pair[0].kind is not Kind.CREDIT_NOTE):
        invoice_settings = settings_for(invoice, settings)
        assignment = solved[invoice.key]
        reported = _reported(assignment)
        missed = [invoice.lines[miss.row] for miss in reported]
        accepted = _allowed_charges(invoice, missed, invoice_settings)
        discrepancies.extend(
            _unmatched_line(invoice, cited, miss)
            for miss in reported
            if invoice.lines[miss.row].line_no not in accepted
        )
        for pair in assignment.pairs:
            po = pair.po
            po_line = po.lines[pair.po_row]
            billed = invoice.lines[pair.row]
            line, factor = in_po_units(billed, po_line, invoice_settings)
            ref = (po.key, pair.po_row)
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
                    reason=pair.reason + _units_note(billed, line, factor),
                )
            )
            checks = (
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
            discrepancies.extend(d for d in checks if d is not None)

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


# ---------------------------------------------------------------------------
# Which POs a document cites, and which of its lines go to which


@dataclass(frozen=True, slots=True)
class _Part:
    """Rows of one document (indexes into its lines) and the POs they are
    matched against: one PO, or several at once (a line goes to the one it
    fits best). ``own``: the lines cite that PO themselves."""

    doc: Document
    rows: tuple[int, ...]
    pos: tuple[Document, ...]
    own: bool
    #: Rows citing a number that is not on file, matched against the header's POs.
    rerouted: frozenset[int] = frozenset()


@dataclass(frozen=True, slots=True)
class _Cited:
    """What a document cites, looked up: the POs on file (in the order cited),
    the numbers that are not, the parts its lines are matched in, the rows
    that cite a PO not on file themselves while the header cites none on file
    (they cannot be checked), and the rows that cite a PO not on file while
    the header cites POs that are (matched against those instead)."""

    found: tuple[Document, ...]
    missing: tuple[str, ...]
    parts: tuple[_Part, ...]
    unchecked: tuple[int, ...]
    rerouted: tuple[int, ...] = ()


def _resolve(doc: Document, po_by_number: dict[str, Document]) -> _Cited:
    """Look up every PO ``doc`` cites: ``po_number``, ``other_po_numbers``, and
    its lines' own references.

    A line citing a PO on file goes to that PO; a line citing none goes to the
    POs the header cites (all that are on file, together), else to every PO
    the lines cite. A line citing a number that is not on file goes to the
    header's POs too when the header cites any on file (what a line prints in
    a PO column may be the vendor's own order number; left unchecked, a
    receipt's line would leave the goods looking unreceived), and is
    unchecked otherwise. Numbers compare normalised (``PO 4711`` is ``po-4711``).
    """
    seen: dict[str, Document | None] = {}
    found: dict[str, Document] = {}
    missing: list[str] = []

    def look(number: str) -> Document | None:
        key = normalise_document_number(number)
        if key not in seen:
            po = seen[key] = po_by_number.get(key)
            if po is None:
                missing.append(number)
            else:
                found.setdefault(po.key, po)
        return seen[key]

    header = {
        po.key: po
        for number in (doc.po_number, *doc.other_po_numbers)
        if number is not None and (po := look(number)) is not None
    }
    own: dict[str, list[int]] = {}
    shared: list[int] = []
    unchecked: list[int] = []
    for row, line in enumerate(doc.lines):
        if line.po_number is None:
            shared.append(row)
        elif (po := look(line.po_number)) is None:
            unchecked.append(row)
        else:
            own.setdefault(po.key, []).append(row)
    parts = [_Part(doc, tuple(rows), (found[key],), own=True) for key, rows in own.items()]
    rerouted: list[int] = []
    if header and unchecked:
        rerouted, unchecked = unchecked, []
        shared = sorted([*shared, *rerouted])
    targets = tuple((header or found).values())
    if shared and targets:
        parts.append(_Part(doc, tuple(shared), targets, own=False, rerouted=frozenset(rerouted)))
    return _Cited(
        tuple(found.values()), tuple(missing), tuple(parts), tuple(unchecked), tuple(rerouted)
    )


@dataclass(frozen=True, slots=True)
class _Pair:
    """``doc.lines[row]`` tied to ``po.lines[po_row]``."""

    row: int
    po: Document
    po_row: int
    score: float
    reason: str


@dataclass(frozen=True, slots=True)
class _Miss:
    """``doc.lines[row]`` tied to nothing: ``po`` holds the closest line (of
    ``pos``, when matched against several), ``why`` says how close it came."""

    row: int
    po: Document
    pos: tuple[Document, ...]
    why: str
    #: The row cites a number not on file (see :attr:`_Part.rerouted`).
    rerouted: bool = False
    #: The row cites no PO of its own: it may be for a cited PO not on file.
    shared: bool = False


@dataclass(slots=True)
class _Solved:
    pairs: list[_Pair]
    missed: list[_Miss]


def _assign(
    documents: Sequence[tuple[Document, _Cited]], settings: MatchingSettings
) -> dict[str, _Solved]:
    """Every document's lines assigned to PO lines, by document key.

    Parts against one PO are blocked by that PO: every document citing it is
    scored against it in one ``cdist`` call, then each document is assigned on
    its own rows (:func:`matching.lines.match_lines_blocked`). A part against
    several POs is assigned against their lines together, so each line goes to
    the PO line it fits best and the assignment is optimal over the part.
    Invoices and credit notes citing several POs are assigned in (date, seq)
    order, each knowing what the ones before it billed on every PO line, so
    that an item two cited POs order goes where quantity is still open when
    the fit is otherwise (nearly) equal.
    """
    out = {doc.key: _Solved([], []) for doc, _ in documents}
    blocks: dict[str, list[_Part]] = defaultdict(list)
    several: list[_Part] = []
    for _, cited in documents:
        for part in cited.parts:
            (blocks[part.pos[0].key] if len(part.pos) == 1 else several).append(part)
    for parts in blocks.values():
        po = parts[0].pos[0]
        # Receipts last: the reasons of their pairs are never shown, so none are written.
        parts.sort(key=lambda part: part.doc.kind is Kind.RECEIPT)
        explained = sum(part.doc.kind is not Kind.RECEIPT for part in parts)
        lefts = [[part.doc.lines[row] for row in part.rows] for part in parts]
        solved = match_lines_blocked(
            lefts, po.lines, settings_for(po, settings), explained=explained
        )
        for part, assignment in zip(parts, solved, strict=True):
            _collect(out[part.doc.key], part, assignment, [(po, 0)])
    several_pos = {po.key for part in several for po in part.pos}
    billed = _Billed(out, [doc for doc, _ in documents], several_pos, settings)
    for part in sorted(several, key=lambda part: _date_order(part.doc)):
        offsets: list[tuple[Document, int]] = []
        right: list[Line] = []
        for po in part.pos:
            offsets.append((po, len(right)))
            right.extend(po.lines)
        left = [part.doc.lines[row] for row in part.rows]
        still_open = billed.open_before(part.doc, part.pos)
        (assignment,) = match_lines_blocked(
            [left],
            right,
            settings_for(part.pos[0], settings),
            open_quantity=still_open,
        )
        _collect(out[part.doc.key], part, assignment, offsets, still_open)
        billed.add(part.doc, out[part.doc.key])
    for result in out.values():
        result.pairs.sort(key=lambda pair: pair.row)
        result.missed.sort(key=lambda miss: miss.row)
    return out


_When = tuple[bool, date, int, str]


class _Billed:
    """What invoices and credit notes billed on each PO line, in (date, seq)
    order, for assigning documents that cite several POs one after another."""

    def __init__(
        self,
        solved: dict[str, _Solved],
        documents: Sequence[Document],
        pos: Iterable[str],
        settings: MatchingSettings,
    ) -> None:
        self._settings = settings
        self._pos = set(pos)  # only these POs' lines are asked about
        self._by_line: dict[tuple[str, int], list[tuple[_When, Decimal]]] = defaultdict(list)
        self._done: set[tuple[str, int]] = set()
        for doc in documents:
            self.add(doc, solved[doc.key])  # what the single-PO blocks assigned

    def add(self, doc: Document, solved: _Solved) -> None:
        """Count ``doc``'s pairs not counted yet (receipts bill nothing)."""
        if doc.kind is Kind.RECEIPT or not self._pos:
            return
        when = _date_order(doc)
        for pair in solved.pairs:
            if pair.po.key not in self._pos or (doc.key, pair.row) in self._done:
                continue
            self._done.add((doc.key, pair.row))
            po_line = pair.po.lines[pair.po_row]
            line, _ = in_po_units(
                doc.lines[pair.row], po_line, settings_for(pair.po, self._settings)
            )
            quantity = -abs(line.quantity) if doc.kind is Kind.CREDIT_NOTE else line.quantity
            self._by_line[(pair.po.key, pair.po_row)].append((when, quantity))

    def open_before(self, doc: Document, pos: Sequence[Document]) -> list[Decimal | None]:
        """Per line of ``pos`` (laid end to end): ordered less what documents
        dated before ``doc`` billed on it."""
        when = _date_order(doc)
        return [
            po_line.quantity
            - sum((q for at, q in self._by_line.get((po.key, row), ()) if at < when), Decimal(0))
            for po in pos
            for row, po_line in enumerate(po.lines)
        ]


def _collect(
    into: _Solved,
    part: _Part,
    assignment: LineAssignment,
    offsets: Sequence[tuple[Document, int]],
    still_open: Sequence[Decimal | None] | None = None,
) -> None:
    """``assignment`` of ``part`` (right indexes into its POs' lines laid end to
    end from ``offsets``) as pairs and misses of the document; ``still_open``
    (per right line) is named in the reason once anything was billed before."""

    def locate(index: int) -> tuple[Document, int]:
        po, start = next((po, start) for po, start in reversed(offsets) if index >= start)
        return po, index - start

    cites_several = len(part.pos) > 1 or len(_all_cited(part.doc)) > 1
    for pair in assignment.pairs:
        po, po_row = locate(pair.right)
        row = part.rows[pair.left]
        if row in part.rerouted:
            reason = pair.reason + _rerouted_note(part, po, part.doc.lines[row])
        else:
            reason = pair.reason + (_po_note(part, po) if cites_several else "")
        if still_open is not None and _billed_before(part, still_open):
            left = still_open[pair.right]
            if left is not None and left > 0:
                reason += f", with {format_quantity(left)} of its line {po.lines[po_row].line_no}"
                reason += " still open"
            else:
                reason += f", though its line {po.lines[po_row].line_no} is billed in full already"
        into.pairs.append(_Pair(row, po, po_row, pair.score, reason))
    for miss in assignment.unmatched:
        closest = locate(miss.best)[0] if miss.best is not None else part.pos[0]
        why = miss.reason
        if len(part.pos) > 1 and miss.best is not None and miss.best_score > 0:
            why = f"on PO {_name(closest)}, {why}"
        row = part.rows[miss.left]
        into.missed.append(
            _Miss(row, closest, part.pos, why, rerouted=row in part.rerouted, shared=not part.own)
        )


def _billed_before(part: _Part, still_open: Sequence[Decimal | None]) -> bool:
    """Whether anything was billed on the part's PO lines before its document."""
    ordered = (line.quantity for po in part.pos for line in po.lines)
    return any(left != full for left, full in zip(still_open, ordered, strict=True))


def _po_note(part: _Part, po: Document) -> str:
    """Which PO a line of an invoice citing several went to, and why that one."""
    if part.own:
        return f"; PO {_name(po)}, as the line cites it"
    if len(part.pos) > 1:
        names = ", ".join(_name(p) for p in part.pos)
        return (
            f"; PO {_name(po)}: of the POs the {_noun(part.doc)} cites ({names}),"
            " the one it fits best"
        )
    return f"; PO {_name(po)}"


def _rerouted_note(part: _Part, po: Document, line: Line) -> str:
    """Why a line citing a number not on file was matched against ``po``."""
    noun = "PO" if len(part.pos) == 1 else "POs"
    names = ", ".join(_name(p) for p in part.pos)
    return (
        f"; PO {_name(po)}: the line cites {line.po_number}, which is not on file, so it was"
        f" matched against the {noun} the {_noun(part.doc)} cites in its header ({names})"
    )


def _noun(doc: Document) -> str:
    """What a finance reviewer calls ``doc``."""
    return {Kind.CREDIT_NOTE: "credit note", Kind.RECEIPT: "receipt"}.get(doc.kind, "invoice")


def _all_cited(doc: Document) -> set[str]:
    """Every PO number ``doc`` cites, normalised."""
    numbers = (doc.po_number, *doc.other_po_numbers, *(line.po_number for line in doc.lines))
    return {normalise_document_number(n) for n in numbers if n is not None}


def _name(doc: Document) -> str:
    return doc.number or f"(no number, key {doc.key})"


def _reported(solved: _Solved) -> list[_Miss]:
    """The misses raised as ``unmatched_line``: not the rows that cite a PO
    not on file (the ``no_po`` for that PO lists them as unchecked)."""
    return [miss for miss in solved.missed if not miss.rerouted]


def _po_not_on_file(invoice: Document, cited: _Cited, solved: _Solved) -> Discrepancy:
    """``no_po`` for the cited POs not on file, once the lines are assigned:
    which lines could not be checked, and which were checked against the
    header's POs instead."""
    missed = {miss.row for miss in solved.missed}
    unchecked = [*cited.unchecked, *(row for row in cited.rerouted if row in missed)]
    checked = [row for row in cited.rerouted if row not in missed]
    return rules.po_not_on_file(
        invoice,
        cited.missing,
        cited.found,
        [invoice.lines[row] for row in sorted(unchecked)],
        checked_instead=[invoice.lines[row] for row in checked],
    )


def _first_per_key(found: Iterable[Discrepancy]) -> list[Discrepancy]:
    """One discrepancy per natural key (type, invoice, line): the first."""
    return list({d.natural_key: d for d in reversed(list(found))}.values())[::-1]


class _InvoicesOnFile:
    """The invoice numbers on file, by vendor, for telling whether a credit
    note's credited invoice is known. Numbers compare as duplicates do
    (``INV-0042`` is ``inv0042``; ``inv 42`` too, loosely); vendors compare as
    the vendor-mismatch check compares them (token-set similarity of the
    normalised names, at least ``vendor_min_score``), so an OCR slip in the
    name is still the vendor; a credit note or invoice without a vendor
    matches the number from any vendor."""

    def __init__(self, documents: Iterable[Document]) -> None:
        self._vendors: dict[str, set[str | None]] = defaultdict(set)
        for doc in documents:
            if doc.kind is Kind.INVOICE and doc.number:
                vendor = normalise_vendor(doc.vendor) if doc.vendor else None
                for key in self._keys(doc.number):
                    self._vendors[key].add(vendor)

    @staticmethod
    def _keys(number: str) -> tuple[str, ...]:
        return (f"={normalise_document_number(number)}", f"~{loose_document_number(number)}")

    def holds(self, credit: Document, settings: MatchingSettings) -> bool:
        """Whether the invoice ``credit`` credits is on file for its vendor."""
        if not credit.credited_number:
            return False
        vendor = normalise_vendor(credit.vendor) if credit.vendor else None
        min_score = settings_for(credit, settings).vendor_min_score
        for key in self._keys(credit.credited_number):
            vendors = self._vendors.get(key)
            if not vendors:
                continue
            if vendor is None or None in vendors or vendor in vendors:
                return True
            scores = process.extract(
                vendor,
                [v for v in vendors if v is not None],
                scorer=fuzz.token_set_ratio,
                score_cutoff=min_score,
                limit=1,
            )
            if scores:
                return True
        return False


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


def _unmatched_line(document: Document, cited: _Cited, miss: _Miss) -> Discrepancy:
    """``unmatched_line`` for one of ``document``'s lines no PO line took."""
    return rules.unmatched_line(
        document,
        document.lines[miss.row],
        miss.po,
        miss.why,
        cited=miss.pos,
        missing=cited.missing if miss.shared else (),
    )


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
    """A vendor's POs, earliest first, and each one's descriptions as one normalised text."""

    pos: list[Document]
    texts: list[str]


def _pos_by_vendor(pos: Iterable[Document]) -> dict[str, _VendorPos]:
    """POs by normalised vendor name, earliest first."""
    out: dict[str, _VendorPos] = {}
    for po in sorted(pos, key=lambda doc: (doc.seq, doc.key)):
        if po.vendor:
            entry = out.setdefault(normalise_vendor(po.vendor), _VendorPos([], []))
            entry.pos.append(po)
            entry.texts.append(normalise_description(" ".join(ln.description for ln in po.lines)))
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
        query = normalise_description(" ".join(line.description for line in invoice.lines))
        closest = process.extract(
            query, vendor.texts, scorer=fuzz.token_set_ratio, limit=_FIT_SHORTLIST
        )
        candidates = [vendor.pos[i] for i in sorted(index for _, _, index in closest)]
    best: tuple[tuple[int, float], Document, LineAssignment] | None = None
    for po in candidates:
        if po.currency and invoice.currency and po.currency != invoice.currency:
            continue
        found = match_lines_blocked([invoice.lines], po.lines, settings, explained=0)[0]
        rank = (len(found.pairs), sum(p.score for p in found.pairs))
        if best is None or rank > best[0]:
            best = (rank, po, found)
    if best is None or best[0][0] * 2 < len(invoice.lines):
        return None
    (matched, _), po, found = best
    amount = sum((rules.line_amount(invoice.lines[p.left]) for p in found.pairs), Decimal(0))
    why = (
        f"{matched} of {len(invoice.lines)} lines match, worth {format_money(amount)}"
        f" of the {_noun(invoice)}'s items"
    )
    return po, why


def _index_pos(pos: Iterable[Document]) -> dict[str, Document]:
    """POs by normalised number; of two with one number, the earlier (seq) wins."""
    index: dict[str, Document] = {}
    for po in sorted(pos, key=lambda doc: (doc.seq, doc.key)):
        if po.number is not None:
            index.setdefault(normalise_document_number(po.number), po)
    return index


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


def _date_order(doc: Document) -> _When:
    """(date, seq) order; undated documents after the dated ones, by seq."""
    return (doc.date is None, doc.date or date.min, doc.seq, doc.key)
