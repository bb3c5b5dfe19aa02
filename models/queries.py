"""The queries the flows need: a reconcile run's plan, its chunks' input and output.

Set-based and in bulk: a handful of statements per chunk, never one per line.
A month end is cut into chunks that share nothing (:func:`plan_reconcile`),
so each chunk is loaded, matched and saved in a transaction of its own, on
any worker, and a run's memory is a chunk's, not the month's.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from typing import Any, TypeVar, cast

from sqlalchemy import Table, and_, bindparam, delete, exists, func, or_, select, update
from sqlalchemy.orm import Session, aliased

from matching.normalise import (
    loose_document_number,
    normalise_document_number,
    normalise_vendor,
)
from matching.types import (
    AssetCandidate,
    DiscrepancyType,
    Kind,
    ReconcileResult,
    Status,
)
from matching.types import Document as MDocument
from matching.types import Line as MLine
from models.bulk import insert_rows
from models.tables import Asset, Discrepancy, Document, DocumentLine, Match

DecisionKey = tuple[str, str, int | None]
T = TypeVar("T")

#: The documents that bill: reconciled together, since credits net against invoices.
BILLING = (Kind.INVOICE.value, Kind.CREDIT_NOTE.value)
#: A chunk is closed once its documents hold this many lines (invoices, POs and
#: receipts together). A group of tied documents is never split, so a chunk may
#: be bigger. One chunk at a time keeps a process under 1 GB at 1M lines.
CHUNK_LINES = 60_000
#: Ids per IN list: well under PostgreSQL's 65,535 parameters and SQLite's limit.
_IN_LIST = 5000

_DOCUMENTS = cast(Table, Document.__table__)
_LINES = cast(Table, DocumentLine.__table__)
_MATCHES = cast(Table, Match.__table__)
_DISCREPANCIES = cast(Table, Discrepancy.__table__)
_ASSETS = cast(Table, Asset.__table__)


@dataclass(frozen=True, slots=True)
class Chunk:
    """Documents that can be reconciled apart from every other chunk's (ids).

    ``invoices`` are the billing documents evaluated (credit notes too);
    ``targets``, those of them the run was asked for, are stamped reconciled.
    """

    invoices: tuple[int, ...]
    targets: tuple[int, ...]
    pos: tuple[int, ...]
    receipts: tuple[int, ...]
    #: Lines of all its documents: what it costs to reconcile.
    lines: int


@dataclass(frozen=True, slots=True)
class Plan:
    chunks: tuple[Chunk, ...]
    #: Invoices and credit notes on file, reconciled or not.
    on_file: int

    @property
    def targets(self) -> int:
        return sum(len(c.targets) for c in self.chunks)


@dataclass(frozen=True, slots=True)
class MatcherInput:
    """Everything one chunk compares, as plain matcher values."""

    targets: frozenset[str]
    invoices: tuple[MDocument, ...]
    pos: tuple[MDocument, ...]
    receipts: tuple[MDocument, ...]
    #: Database id of every loaded line, by (document key, line number).
    line_ids: dict[tuple[str, int], int] = field(default_factory=dict)


def _chunks(items: Sequence[T], size: int = _IN_LIST) -> Iterable[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


@lru_cache(maxsize=65_536)
def _vendor_key(vendor: str) -> str:
    return normalise_vendor(vendor)


class _Components:
    """Union-find over the keys that tie documents together."""

    def __init__(self) -> None:
        self._index: dict[str, int] = {}
        self._parent: list[int] = []

    def node(self, key: str) -> int:
        found = self._index.get(key)
        if found is None:
            found = self._index[key] = len(self._parent)
            self._parent.append(found)
        return found

    def find(self, node: int) -> int:
        parent = self._parent
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    def join(self, keys: Sequence[str]) -> int:
        first = self.find(self.node(keys[0]))
        for key in keys[1:]:
            other = self.find(self.node(key))
            if other != first:
                self._parent[other] = first
        return first


def _ties(row: Any, po_keys: Sequence[str], pos_on_file: set[str], credited: set[str]) -> list[str]:
    """The keys through which a document's result can depend on another's.

    Only what reconcile really compares, so that groups stay small (a vendor
    tie on every invoice would chain the whole month through the few
    invoices that cite another vendor's PO):

    - a receipt: the POs it cites (what arrived on them);
    - a PO: its number, and its vendor (the POs an invoice without one is
      fitted against);
    - an invoice or credit note: the POs it cites (cumulative quantities);
      its vendor when a cited PO is not on file or it cites none (the
      suggested PO); what makes two invoices (suspected) copies of each
      other: the same kind, vendor and number, the same number but for
      leading zeros, the same total and date; and, when a credit note
      credits its number, that loose number (a credit note credits an
      invoice of any vendor when either names none).
    """
    kind = row.kind
    if kind == Kind.RECEIPT.value:
        return ["p" + key for key in po_keys]
    vendor = _vendor_key(row.vendor) if row.vendor is not None else None
    if kind == Kind.PO.value:
        ties = ["p" + key for key in po_keys]
        return [*ties, "v" + vendor] if vendor else ties
    ties = ["p" + key for key in po_keys]
    if vendor and (not po_keys or any(key not in pos_on_file for key in po_keys)):
        ties.append("v" + vendor)
    number = row.number
    if number:
        exact = normalise_document_number(number)
        ties.append(f"x{kind}|{vendor if vendor is not None else chr(0)}|{exact}")
        loose = loose_document_number(number)
        if vendor:
            ties.append(f"l{kind}|{vendor}|{loose}")
        if kind == Kind.INVOICE.value and loose in credited:
            ties.append("c" + loose)
    if vendor and row.total is not None and row.date is not None:
        ties.append(f"s{kind}|{vendor}|{row.total.normalize():f}|{row.date.isoformat()}")
    if kind == Kind.CREDIT_NOTE.value and row.credited_number:
        ties.append("c" + loose_document_number(row.credited_number))
    return ties


def _po_keys(numbers: Iterable[str | None]) -> list[str]:
    return [key for n in numbers if n and (key := normalise_document_number(n))]


def target_ids(session: Session, *, everything: bool = False) -> list[int]:
    """The invoices and credit notes to reconcile, by id.

    Those not reconciled yet, and those whose PO or receipts arrived after
    they were last reconciled (a late receipt must clear ``not_received``; a
    late PO, ``no_po``); every one with ``everything``. POs cited besides the
    first (a header list, a line's own) are checked apart: few documents
    have them.
    """
    query = select(Document.id).where(Document.kind.in_(BILLING))
    if everything:
        return list(session.scalars(query.order_by(Document.id)))
    newer = aliased(Document)
    changed_since = exists().where(
        newer.ingested_at > Document.reconciled_at,
        or_(
            and_(newer.kind == Kind.PO.value, newer.number_key == Document.po_key),
            and_(newer.kind == Kind.RECEIPT.value, newer.po_key == Document.po_key),
        ),
    )
    query = query.where(or_(Document.reconciled_at.is_(None), changed_since))
    found = set(session.scalars(query))
    found.update(_late_for_other_pos(session))
    return sorted(found)


def _late_for_other_pos(session: Session) -> set[int]:
    """Reconciled billing documents with a PO besides the first that has news since."""
    cited: dict[int, tuple[datetime | None, list[str]]] = {}
    for doc_id, reconciled, others in session.execute(
        select(Document.id, Document.reconciled_at, Document.other_po_numbers).where(
            Document.kind.in_(BILLING),
            Document.reconciled_at.is_not(None),
            Document.other_po_numbers.is_not(None),
        )
    ):
        cited[doc_id] = (reconciled, _po_keys(others or ()))
    line_refs = (
        select(DocumentLine.document_id, Document.reconciled_at, DocumentLine.po_number)
        .join(Document, Document.id == DocumentLine.document_id)
        .where(
            Document.kind.in_(BILLING),
            Document.reconciled_at.is_not(None),
            DocumentLine.po_number.is_not(None),
        )
        .distinct()
    )
    for doc_id, reconciled, po_number in session.execute(line_refs):
        cited.setdefault(doc_id, (reconciled, []))[1].extend(_po_keys([po_number]))
    if not cited:
        return set()
    keys = sorted({key for _, ks in cited.values() for key in ks})
    latest: dict[str, datetime] = {}
    for part in _chunks(keys):
        for column, kind in ((Document.number_key, Kind.PO), (Document.po_key, Kind.RECEIPT)):
            for key, when in session.execute(
                select(column, func.max(Document.ingested_at))
                .where(Document.kind == kind.value, column.in_(part))
                .group_by(column)
            ):
                if key is not None and (key not in latest or when > latest[key]):
                    latest[key] = when
    return {
        doc_id
        for doc_id, (reconciled, ks) in cited.items()
        if reconciled is not None and any(key in latest and latest[key] > reconciled for key in ks)
    }


def plan_reconcile(
    session: Session, *, everything: bool = False, chunk_lines: int = CHUNK_LINES
) -> Plan:
    """Cut the run into chunks that share nothing, each with all it depends on.

    Documents are tied by :func:`_ties`; a chunk holds whole groups of tied
    documents (in practice: a vendor's POs with the invoices, credit notes
    and receipts that cite them), so reconciling chunk by chunk gives what
    one pass over the month gives. Groups with a
    target in them are evaluated whole (a copy is always judged with its
    original, a late invoice with those billed before it); groups without
    one are left out. Cost: one pass over the documents' keys and one count
    of lines per document.
    """
    targets = set(target_ids(session, everything=everything))
    rows = session.execute(
        select(
            Document.id,
            Document.kind,
            Document.vendor,
            Document.number,
            Document.number_key,
            Document.po_key,
            Document.other_po_numbers,
            Document.credited_number,
            Document.total,
            Document.date,
        ).order_by(Document.id)
    ).all()
    on_file = sum(1 for row in rows if row.kind in BILLING)
    if not targets:
        return Plan((), on_file)
    counts = dict(
        session.execute(
            select(DocumentLine.document_id, func.count()).group_by(DocumentLine.document_id)
        ).all()
    )
    line_pos: dict[int, list[str]] = defaultdict(list)
    for doc_id, po_number in session.execute(
        select(DocumentLine.document_id, DocumentLine.po_number)
        .where(DocumentLine.po_number.is_not(None))
        .distinct()
    ):
        line_pos[doc_id].extend(_po_keys([po_number]))
    pos_on_file = {row.number_key for row in rows if row.kind == Kind.PO.value and row.number_key}
    credited = {
        loose_document_number(row.credited_number)
        for row in rows
        if row.kind == Kind.CREDIT_NOTE.value and row.credited_number
    }
    components = _Components()
    group_of: list[tuple[int, int, str]] = []
    for row in rows:
        if row.kind == Kind.PO.value:
            po_keys = [row.number_key] if row.number_key else []
        else:
            po_keys = [row.po_key] if row.po_key else []
            if row.other_po_numbers:
                po_keys.extend(_po_keys(row.other_po_numbers))
            po_keys.extend(line_pos.get(row.id, ()))
        ties = _ties(row, po_keys, pos_on_file, credited)
        root = components.join(ties) if ties else components.node(f"d{row.id}")
        group_of.append((row.id, root, row.kind))
    wanted = {components.find(root) for doc_id, root, _ in group_of if doc_id in targets}
    groups: dict[int, dict[str, list[int]]] = {}
    for doc_id, root, kind in group_of:
        top = components.find(root)
        if top in wanted:
            groups.setdefault(top, defaultdict(list))[kind].append(doc_id)

    chunks: list[Chunk] = []
    pending: dict[str, list[int]] = defaultdict(list)
    size = 0

    def close() -> None:
        nonlocal size
        billing = sorted(pending[Kind.INVOICE.value] + pending[Kind.CREDIT_NOTE.value])
        if billing:
            chunks.append(
                Chunk(
                    invoices=tuple(billing),
                    targets=tuple(d for d in billing if d in targets),
                    pos=tuple(sorted(pending[Kind.PO.value])),
                    receipts=tuple(sorted(pending[Kind.RECEIPT.value])),
                    lines=size,
                )
            )
        pending.clear()
        size = 0

    # Groups in order of their first document: chunks come out in arrival order.
    for group in sorted(groups.values(), key=lambda g: min(min(ids) for ids in g.values())):
        for kind, ids in group.items():
            pending[kind].extend(ids)
            size += sum(counts.get(d, 0) for d in ids)
        if size >= chunk_lines:
            close()
    close()
    return Plan(tuple(chunks), on_file)


def load_chunk(session: Session, chunk: Chunk) -> MatcherInput:
    """The chunk's documents and lines as matcher values (plain columns, no ORM)."""
    line_ids: dict[tuple[str, int], int] = {}
    loaded = {
        kind: _load(session, ids, line_ids)
        for kind, ids in (
            ("invoices", chunk.invoices),
            ("pos", chunk.pos),
            ("receipts", chunk.receipts),
        )
    }
    return MatcherInput(
        targets=frozenset(str(d) for d in chunk.targets),
        invoices=loaded["invoices"],
        pos=loaded["pos"],
        receipts=loaded["receipts"],
        line_ids=line_ids,
    )


def load_matcher_input(session: Session, *, everything: bool = False) -> MatcherInput:
    """The whole run as one input (tests and tools; runs reconcile chunk by chunk)."""
    plan = plan_reconcile(session, everything=everything, chunk_lines=2**62)
    if not plan.chunks:
        return MatcherInput(frozenset(), (), (), ())
    [chunk] = plan.chunks
    return load_chunk(session, chunk)


_DOC_COLUMNS = (
    _DOCUMENTS.c.id,
    _DOCUMENTS.c.kind,
    _DOCUMENTS.c.number,
    _DOCUMENTS.c.vendor,
    _DOCUMENTS.c.date,
    _DOCUMENTS.c.po_number,
    _DOCUMENTS.c.currency,
    _DOCUMENTS.c.subtotal,
    _DOCUMENTS.c.tax,
    _DOCUMENTS.c.total,
    _DOCUMENTS.c.source,
    _DOCUMENTS.c.other_po_numbers,
    _DOCUMENTS.c.credited_number,
)
_LINE_COLUMNS = (
    _LINES.c.id,
    _LINES.c.document_id,
    _LINES.c.line_no,
    _LINES.c.description,
    _LINES.c.quantity,
    _LINES.c.sku,
    _LINES.c.unit_price,
    _LINES.c.amount,
    _LINES.c.po_number,
)


def _load(
    session: Session, ids: Sequence[int], line_ids: dict[tuple[str, int], int]
) -> tuple[MDocument, ...]:
    if not ids:
        return ()
    by_doc: dict[int, list[MLine]] = defaultdict(list)
    docs: list[Any] = []
    for part in _chunks(ids):
        docs.extend(session.execute(select(*_DOC_COLUMNS).where(_DOCUMENTS.c.id.in_(part))))
        # line_no, description, quantity, sku, unit_price, amount, po_number: MLine's order
        for line_id, doc_id, line_no, *rest in session.execute(
            select(*_LINE_COLUMNS).where(_LINES.c.document_id.in_(part))
        ):
            by_doc[doc_id].append(MLine(line_no, *rest))
            line_ids[(str(doc_id), line_no)] = line_id
    out = [
        MDocument(
            key=str(row.id),
            kind=Kind(row.kind),
            seq=row.id,
            number=row.number,
            vendor=row.vendor,
            date=row.date,
            po_number=row.po_number,
            currency=row.currency,
            subtotal=row.subtotal,
            tax=row.tax,
            total=row.total,
            lines=tuple(sorted(by_doc[row.id], key=lambda ln: ln.line_no)),
            source=row.source,
            other_po_numbers=tuple(row.other_po_numbers or ()),
            credited_number=row.credited_number,
        )
        for row in docs
    ]
    out.sort(key=lambda d: d.seq)
    return tuple(out)


@dataclass(frozen=True, slots=True)
class Saved:
    """What saving a chunk's result changed, and the decisions now on file."""

    matches: int
    new: int
    resolved: int
    reopened: int
    #: People's decisions (approved, rejected) by natural key, after the save.
    decisions: dict[DecisionKey, Status]


def save_result(
    session: Session,
    matcher_input: MatcherInput,
    result: ReconcileResult,
    *,
    started: datetime,
) -> Saved:
    """Replace matches and reconcile discrepancies for the evaluated invoices.

    A discrepancy a person approved or rejected keeps its decision while its
    figures stay the same; when they change (an earlier invoice arrived, a
    receipt was corrected) it is reopened, since the person decided on other
    numbers. An open one that is no longer raised (the late receipt came) is
    marked resolved and kept for the audit trail; raised again, it is open
    again. Rows whose content is unchanged are not written. The targets are
    stamped with ``started`` (when the run read its input), so a document
    that arrives during the run is still newer than the stamp.
    """
    line_ids = matcher_input.line_ids
    invoice_ids = [int(d.key) for d in matcher_input.invoices]
    invoice_lines = [
        line_ids[(d.key, line.line_no)] for d in matcher_input.invoices for line in d.lines
    ]
    for part in _chunks(invoice_lines):
        session.execute(delete(Match).where(Match.invoice_line_id.in_(part)))
    matches = insert_rows(
        session,
        _MATCHES,
        ("invoice_line_id", "po_line_id", "receipt_line_id", "score", "reason"),
        (
            (
                line_ids[(m.invoice_key, m.invoice_line)],
                line_ids[(m.po_key, m.po_line)],
                line_ids[(m.receipt_key, m.receipt_line)]
                if m.receipt_key is not None and m.receipt_line is not None
                else None,
                m.score,
                m.reason,
            )
            for m in result.matches
        ),
    )

    columns = _DISCREPANCIES.c
    existing: dict[tuple[int, str, int], dict[str, Any]] = {}
    for part in _chunks(invoice_ids):
        for record in session.execute(
            select(
                columns.id,
                columns.invoice_id,
                columns.type,
                columns.line_key,
                columns.invoice_line_no,
                columns.po_id,
                columns.expected,
                columns.actual,
                columns.reason,
                columns.status,
                columns.decided_by,
                columns.decided_at,
                columns.raised_at,
            ).where(columns.invoice_id.in_(part))
        ).mappings():
            existing[(record["invoice_id"], record["type"], record["line_key"])] = dict(record)
    now = started
    inserts: list[tuple[Any, ...]] = []
    changed: list[dict[str, Any]] = []
    raised: set[tuple[int, str, int]] = set()
    new = reopened = 0
    for d in result.discrepancies:
        key = (int(d.invoice_key), d.type.value, d.invoice_line or 0)
        raised.add(key)
        po_id = int(d.po_key) if d.po_key else None
        found = existing.get(key)
        if found is None:
            inserts.append(
                (d.type.value, key[0], key[2], d.invoice_line, po_id, d.expected, d.actual,
                 d.reason, Status.OPEN.value, now)
            )  # fmt: skip
            new += 1
            continue
        row = dict(found)
        if found["status"] == Status.RESOLVED.value:  # it came back
            row.update(status=Status.OPEN.value, raised_at=now, reason=d.reason)
            new += 1
        elif found["status"] != Status.OPEN.value and (found["expected"], found["actual"]) != (
            d.expected,
            d.actual,
        ):
            reopened += 1
            row.update(
                status=Status.OPEN.value,
                decided_by=None,
                decided_at=None,
                reason=(
                    f"{d.reason} (Reopened: it was {found['status']} when the figures were "
                    f"expected {found['expected']}, actual {found['actual']}.)"
                ),
            )
        else:
            row["reason"] = d.reason
        row.update(expected=d.expected, actual=d.actual, po_id=po_id)
        existing[key] = row
        if row != found:
            changed.append(row)
    resolved = 0
    for key, found in list(existing.items()):
        if key not in raised and found["status"] == Status.OPEN.value:
            row = dict(found)
            row["status"] = Status.RESOLVED.value
            row["reason"] = (
                f"{found['reason']} (Resolved {started:%Y-%m-%d %H:%M} UTC: no longer raised "
                "when recon reconciled again.)"
            )
            existing[key] = row
            changed.append(row)
            resolved += 1
    insert_rows(
        session,
        _DISCREPANCIES,
        ("type", "invoice_id", "line_key", "invoice_line_no", "po_id", "expected", "actual",
         "reason", "status", "raised_at"),
        inserts,
    )  # fmt: skip
    if changed:
        mutable = ("po_id", "expected", "actual", "reason", "status", "decided_by", "decided_at",
                   "raised_at")  # fmt: skip
        session.execute(
            update(_DISCREPANCIES)
            .where(columns.id == bindparam("row_id"))
            .values({name: bindparam(f"new_{name}") for name in mutable}),
            [{"row_id": r["id"], **{f"new_{n}": r[n] for n in mutable}} for r in changed],
        )
    for part in _chunks(sorted(int(k) for k in matcher_input.targets)):
        session.execute(update(Document).where(Document.id.in_(part)).values(reconciled_at=started))
    people = {
        (kind, str(invoice_id), row["invoice_line_no"]): Status(row["status"])
        for (invoice_id, kind, _), row in existing.items()
        if row["status"] not in (Status.OPEN.value, Status.RESOLVED.value)
    }
    return Saved(matches, new, resolved, reopened, people)


def asset_tag(invoice_line_id: int, unit: int) -> str:
    """A stable, unique tag: the invoice line's id and the unit within it."""
    return f"AT-{invoice_line_id:07d}-{unit:03d}"


_NO_LONGER_VERIFIED = (
    "no longer verified: the line or its invoice now has an open or rejected "
    "discrepancy, or it is no longer matched; review before use"
)


def register_assets(
    session: Session,
    candidates: Sequence[AssetCandidate],
    evaluated: Iterable[MDocument],
    line_ids: dict[tuple[str, int], int],
    *,
    now: datetime,
) -> tuple[int, int, int]:
    """Bring the register in line with this run's verified units.

    New candidates are registered. A registered unit of an evaluated invoice
    that is no longer a candidate is never deleted (it may already carry a
    sticker) but held, with the reason; one that is verified again is
    released. Returns (new, held, released).
    """
    wanted = {(line_ids[(c.invoice_key, c.invoice_line)], c.unit): c for c in candidates}
    columns = _ASSETS.c
    registered: dict[tuple[int, int], tuple[int, str | None]] = {}
    # By invoice line, which the (line, unit) key indexes; invoice_id has no index
    # and a month end would scan the whole register once per 5,000 invoices.
    lines = sorted(line_ids[(doc.key, line.line_no)] for doc in evaluated for line in doc.lines)
    for part in _chunks(lines):
        for asset_id, line_id, unit, held_reason in session.execute(
            select(columns.id, columns.invoice_line_id, columns.unit, columns.held_reason).where(
                columns.invoice_line_id.in_(part)
            )
        ):
            registered[(line_id, unit)] = (asset_id, held_reason)
    changes: list[dict[str, Any]] = []
    held = released = 0
    for key, (asset_id, held_reason) in registered.items():
        if key in wanted and held_reason is not None:
            changes.append({"row_id": asset_id, "new_held_reason": None})
            released += 1
        elif key not in wanted and held_reason is None:
            changes.append({"row_id": asset_id, "new_held_reason": _NO_LONGER_VERIFIED})
            held += 1
    if changes:
        session.execute(
            update(_ASSETS)
            .where(columns.id == bindparam("row_id"))
            .values(held_reason=bindparam("new_held_reason")),
            changes,
        )
    new = insert_rows(
        session,
        _ASSETS,
        ("asset_tag", "invoice_line_id", "unit", "invoice_id", "po_id", "vendor", "description",
         "sku", "cost", "currency", "registered_at"),
        _new_assets(wanted, registered, now),
    )  # fmt: skip
    return new, held, released


def _new_assets(
    wanted: dict[tuple[int, int], AssetCandidate],
    registered: dict[tuple[int, int], Any],
    now: datetime,
) -> Iterator[tuple[Any, ...]]:
    for (line_id, unit), c in sorted(wanted.items()):
        if (line_id, unit) in registered:
            continue
        yield (
            asset_tag(line_id, unit),
            line_id,
            unit,
            int(c.invoice_key),
            int(c.po_key) if c.po_key else None,
            c.vendor,
            c.description,
            c.sku,
            c.cost,
            c.currency,
            now,
        )


#: Re-exported so callers need one import for the vocabulary.
__all__ = [
    "CHUNK_LINES",
    "Chunk",
    "DiscrepancyType",
    "MatcherInput",
    "Plan",
    "Saved",
    "asset_tag",
    "load_chunk",
    "load_matcher_input",
    "plan_reconcile",
    "register_assets",
    "save_result",
    "target_ids",
]
