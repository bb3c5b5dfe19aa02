"""The queries the flows need: matcher input, saving its results, the register.

Set-based: a handful of queries per reconcile run, never one per line.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

from sqlalchemy import and_, delete, exists, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, aliased

from matching.types import (
    AssetCandidate,
    DiscrepancyType,
    Kind,
    ReconcileResult,
    Status,
)
from matching.types import Discrepancy as MDiscrepancy
from matching.types import Document as MDocument
from matching.types import Line as MLine
from models.base import utcnow
from models.tables import Asset, Discrepancy, Document, DocumentLine, Match, RunLock

DecisionKey = tuple[str, str, int | None]
T = TypeVar("T")

#: The documents that bill: reconciled together, since credits net against invoices.
BILLING = (Kind.INVOICE.value, Kind.CREDIT_NOTE.value)


@dataclass(frozen=True, slots=True)
class MatcherInput:
    """Everything one reconcile run compares, as plain matcher values."""

    targets: frozenset[str]
    invoices: tuple[MDocument, ...]
    pos: tuple[MDocument, ...]
    receipts: tuple[MDocument, ...]


def _to_matcher(docs: Sequence[Document], lines: Iterable[DocumentLine]) -> list[MDocument]:
    by_doc: dict[int, list[MLine]] = defaultdict(list)
    for line in lines:
        by_doc[line.document_id].append(
            MLine(
                line_no=line.line_no,
                description=line.description,
                quantity=line.quantity,
                sku=line.sku,
                unit_price=line.unit_price,
                amount=line.amount,
            )
        )
    return [
        MDocument(
            key=str(doc.id),
            kind=Kind(doc.kind),
            seq=doc.id,
            number=doc.number,
            vendor=doc.vendor,
            date=doc.date,
            po_number=doc.po_number,
            currency=doc.currency,
            subtotal=doc.subtotal,
            tax=doc.tax,
            total=doc.total,
            lines=tuple(sorted(by_doc[doc.id], key=lambda ln: ln.line_no)),
            source=doc.source,
        )
        for doc in docs
    ]


def _load(session: Session, docs: Sequence[Document]) -> list[MDocument]:
    if not docs:
        return []
    ids = [d.id for d in docs]
    lines: list[DocumentLine] = []
    for chunk in _chunks(ids, 5000):
        lines.extend(
            session.scalars(select(DocumentLine).where(DocumentLine.document_id.in_(chunk)))
        )
    return _to_matcher(docs, lines)


def _chunks(items: Sequence[T], size: int) -> Iterable[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def load_matcher_input(session: Session, *, everything: bool = False) -> MatcherInput:
    """The invoices to reconcile plus every document their result depends on.

    Targets are the invoices not reconciled yet, and those whose PO or
    receipts arrived after they were last reconciled (a late receipt must
    clear ``not_received``; a late PO, ``no_po``); every invoice with
    ``everything``. Cumulative quantities and duplicates depend on other
    invoices, so the invoices citing the same POs or carrying the same numbers
    come along and are re-evaluated with them.
    """
    invoice_q = select(Document).where(Document.kind.in_(BILLING))
    if not everything:
        newer = aliased(Document)
        changed_since = exists().where(
            newer.ingested_at > Document.reconciled_at,
            or_(
                and_(newer.kind == Kind.PO.value, newer.number_key == Document.po_key),
                and_(newer.kind == Kind.RECEIPT.value, newer.po_key == Document.po_key),
            ),
        )
        invoice_q = invoice_q.where(or_(Document.reconciled_at.is_(None), changed_since))
    targets = list(session.scalars(invoice_q.order_by(Document.id)))
    if not targets:
        return MatcherInput(frozenset(), (), (), ())
    invoices = targets if everything else _related_invoices(session, targets)
    # Every PO and receipt is loaded: an invoice may cite its PO in a form only
    # the matcher's normaliser recognises. (Month-end scale work narrows this.)
    pos = list(session.scalars(select(Document).where(Document.kind == Kind.PO.value)))
    receipts = list(
        session.scalars(
            select(Document).where(Document.kind == Kind.RECEIPT.value).order_by(Document.id)
        )
    )
    return MatcherInput(
        targets=frozenset(str(d.id) for d in targets),
        invoices=tuple(_load(session, invoices)),
        pos=tuple(_load(session, pos)),
        receipts=tuple(_load(session, receipts)),
    )


def _related_invoices(session: Session, targets: Sequence[Document]) -> list[Document]:
    """The targets and every invoice linked to them, transitively.

    Linked = citing the same PO (cumulative quantities), carrying the same
    number (duplicates) or from the same vendor, as printed (suspected
    duplicates: another number, or the same total and date). Followed until
    nothing new comes in: a copy must always be evaluated with its original,
    however the two are reached.
    """
    known: dict[int, Document] = {d.id: d for d in targets}
    po_keys: set[str] = set()
    number_keys: set[str] = set()
    vendors: set[str] = set()
    frontier = list(targets)
    while frontier:
        new_po = {d.po_key for d in frontier if d.po_key} - po_keys
        new_numbers = {d.number_key for d in frontier if d.number_key} - number_keys
        new_vendors = {d.vendor for d in frontier if d.vendor} - vendors
        po_keys |= new_po
        number_keys |= new_numbers
        vendors |= new_vendors
        # One IN list per key and chunk: a month's keys in one statement are past
        # what PostgreSQL (about 140k lines) and SQLite (550k) accept.
        found: list[Document] = []
        for column, keys in (
            (Document.po_key, new_po),
            (Document.number_key, new_numbers),
            (Document.vendor, new_vendors),
        ):
            for chunk in _chunks(sorted(keys), 5000):
                found.extend(
                    session.scalars(
                        select(Document).where(Document.kind.in_(BILLING), column.in_(chunk))
                    )
                )
        frontier = list({d.id: d for d in found if d.id not in known}.values())
        known.update((d.id, d) for d in frontier)
    return sorted(known.values(), key=lambda d: d.id)


def take_run_lock(session: Session, name: str) -> None:
    """Wait until no other run holds ``name``; hold it until the transaction ends.

    The row is made if it is missing (a truncated table must not silently
    turn the lock off); of two runs making it at once, one insert fails and
    that run then waits on the row like any other.
    """
    lock = update(RunLock).where(RunLock.name == name).values(taken_at=utcnow())
    if session.execute(lock).rowcount:  # type: ignore[attr-defined]
        return
    try:
        with session.begin_nested():
            session.add(RunLock(name=name))
    except IntegrityError:
        pass
    session.execute(lock)


def decisions(session: Session, invoice_keys: Iterable[str]) -> dict[DecisionKey, Status]:
    """People's decisions on discrepancies of these invoices, by natural key."""
    ids = [int(k) for k in invoice_keys]
    out: dict[DecisionKey, Status] = {}
    for chunk in _chunks(ids, 5000):
        for row in session.scalars(select(Discrepancy).where(Discrepancy.invoice_id.in_(chunk))):
            if row.status != Status.RESOLVED.value:  # not a decision: open if raised again
                out[(row.type, str(row.invoice_id), row.invoice_line_no)] = Status(row.status)
    return out


def save_result(
    session: Session,
    matcher_input: MatcherInput,
    result: ReconcileResult,
    *,
    started: datetime,
) -> tuple[int, int, int, int]:
    """Replace matches and reconcile discrepancies for the evaluated invoices.

    A discrepancy a person approved or rejected keeps its decision while its
    figures stay the same; when they change (an earlier invoice arrived, a
    receipt was corrected) it is reopened, since the person decided on other
    numbers. An open one that is no longer raised (the late receipt came) is
    marked resolved and kept for the audit trail; raised again, it is open
    again. The targets are
    stamped with ``started`` (when the run read its input), so a document
    that arrives during the run is still newer than the stamp.
    Returns (matches, new, resolved, reopened).
    """
    invoice_ids = [int(d.key) for d in matcher_input.invoices]
    line_ids = _line_ids(
        session,
        (d.key for d in (*matcher_input.invoices, *matcher_input.pos, *matcher_input.receipts)),
    )

    for chunk in _chunks(invoice_ids, 5000):
        session.execute(
            delete(Match).where(
                Match.invoice_line_id.in_(
                    select(DocumentLine.id).where(DocumentLine.document_id.in_(chunk))
                )
            )
        )
    session.add_all(
        Match(
            invoice_line_id=line_ids[(m.invoice_key, m.invoice_line)],
            po_line_id=line_ids[(m.po_key, m.po_line)],
            receipt_line_id=(
                line_ids[(m.receipt_key, m.receipt_line)]
                if m.receipt_key is not None and m.receipt_line is not None
                else None
            ),
            score=m.score,
            reason=m.reason,
        )
        for m in result.matches
    )

    existing: dict[tuple[int, str, int], Discrepancy] = {}
    for chunk in _chunks(invoice_ids, 5000):
        for row in session.scalars(select(Discrepancy).where(Discrepancy.invoice_id.in_(chunk))):
            existing[(row.invoice_id, row.type, row.line_key)] = row
    raised: set[tuple[int, str, int]] = set()
    new = reopened = 0
    for d in result.discrepancies:
        key = (int(d.invoice_key), d.type.value, d.invoice_line or 0)
        raised.add(key)
        found = existing.get(key)
        if found is None:
            session.add(_discrepancy_row(d))
            new += 1
            continue
        if found.status == Status.RESOLVED.value:  # it came back
            found.status, found.raised_at = Status.OPEN.value, utcnow()
            found.reason = d.reason
            new += 1
        elif found.status != Status.OPEN.value and (found.expected, found.actual) != (
            d.expected,
            d.actual,
        ):
            reopened += 1
            d_reason = (
                f"{d.reason} (Reopened: it was {found.status} when the figures were "
                f"expected {found.expected}, actual {found.actual}.)"
            )
            found.status, found.decided_by, found.decided_at = Status.OPEN.value, None, None
            found.reason = d_reason
        else:
            found.reason = d.reason
        found.expected, found.actual = d.expected, d.actual
        found.po_id = int(d.po_key) if d.po_key else None
    resolved = 0
    for key, row in existing.items():
        if key not in raised and row.status == Status.OPEN.value:
            row.status = Status.RESOLVED.value
            row.reason = (
                f"{row.reason} (Resolved {started:%Y-%m-%d %H:%M} UTC: no longer raised when "
                "recon reconciled again.)"
            )
            resolved += 1
    for chunk in _chunks([int(k) for k in matcher_input.targets], 5000):
        session.execute(
            update(Document).where(Document.id.in_(chunk)).values(reconciled_at=started)
        )
    session.flush()
    return len(result.matches), new, resolved, reopened


def _discrepancy_row(d: MDiscrepancy) -> Discrepancy:
    return Discrepancy(
        type=d.type.value,
        invoice_id=int(d.invoice_key),
        line_key=d.invoice_line or 0,
        invoice_line_no=d.invoice_line,
        po_id=int(d.po_key) if d.po_key else None,
        expected=d.expected,
        actual=d.actual,
        reason=d.reason,
        status=Status.OPEN.value,
    )


def _line_ids(session: Session, doc_keys: Iterable[str]) -> dict[tuple[str, int], int]:
    """Database ids of document lines by (document key, line number)."""
    ids = sorted({int(k) for k in doc_keys})
    out: dict[tuple[str, int], int] = {}
    for chunk in _chunks(ids, 5000):
        rows = session.execute(
            select(DocumentLine.id, DocumentLine.document_id, DocumentLine.line_no).where(
                DocumentLine.document_id.in_(chunk)
            )
        )
        for line_id, doc_id, line_no in rows:
            out[(str(doc_id), line_no)] = line_id
    return out


def asset_tag(invoice_line_id: int, unit: int) -> str:
    """A stable, unique tag: the invoice line's id and the unit within it."""
    return f"AT-{invoice_line_id:07d}-{unit:03d}"


def register_assets(
    session: Session, candidates: Sequence[AssetCandidate], evaluated: Iterable[str]
) -> tuple[int, int, int]:
    """Bring the register in line with this run's verified units.

    New candidates are registered. A registered unit of an evaluated invoice
    that is no longer a candidate is never deleted (it may already carry a
    sticker) but held, with the reason; one that is verified again is
    released. Returns (new, held, released).
    """
    line_ids = _line_ids(session, {c.invoice_key for c in candidates})
    wanted = {(line_ids[(c.invoice_key, c.invoice_line)], c.unit): c for c in candidates}
    registered: dict[tuple[int, int], Asset] = {}
    for chunk in _chunks(sorted({int(k) for k in evaluated}), 5000):
        registered.update(
            ((a.invoice_line_id, a.unit), a)
            for a in session.scalars(select(Asset).where(Asset.invoice_id.in_(chunk)))
        )
    held = released = 0
    for key, asset in registered.items():
        if key in wanted and asset.held_reason is not None:
            asset.held_reason = None
            released += 1
        elif key not in wanted and asset.held_reason is None:
            asset.held_reason = (
                "no longer verified: the line or its invoice now has an open or rejected "
                "discrepancy, or it is no longer matched; review before use"
            )
            held += 1
    new = [(key, c) for key, c in sorted(wanted.items()) if key not in registered]
    session.add_all(
        Asset(
            asset_tag=asset_tag(line_id, unit),
            invoice_line_id=line_id,
            unit=unit,
            invoice_id=int(c.invoice_key),
            po_id=int(c.po_key) if c.po_key else None,
            vendor=c.vendor,
            description=c.description,
            sku=c.sku,
            cost=c.cost,
            currency=c.currency,
        )
        for (line_id, unit), c in new
    )
    session.flush()
    return len(new), held, released


#: Re-exported so callers need one import for the vocabulary.
__all__ = [
    "DiscrepancyType",
    "MatcherInput",
    "asset_tag",
    "decisions",
    "load_matcher_input",
    "register_assets",
    "save_result",
]
