"""Read models: the export document and the discrepancy report's rows."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from matching.normalise import normalise_document_number
from models.tables import Asset, Discrepancy, Document, DocumentLine, Match, Quarantine

TWO_PLACES = Decimal("0.01")


def money(value: Decimal | None) -> str | None:
    """ "1234.50": two places, more only when the value really has them."""
    if value is None:
        return None
    quantized = value.quantize(TWO_PLACES)
    return format(quantized if quantized == value else value.normalize(), "f")


def quantity(value: Decimal | None) -> str | None:
    """ "2", "1.5": no trailing zeros, never an exponent."""
    if value is None:
        return None
    text = format(value.normalize(), "f")
    return text


def _label(doc: Document | None) -> str | None:
    if doc is None:
        return None
    return doc.number or doc.source


def _cited(doc: Document, lines: list[DocumentLine]) -> list[str]:
    """Every PO the document cites, in order, each once (as first printed)."""
    numbers = [doc.po_number, *(doc.other_po_numbers or []), *(ln.po_number for ln in lines)]
    out: dict[str, str] = {}
    for number in numbers:
        if number is not None:
            out.setdefault(normalise_document_number(number), number)
    return list(out.values())


def export_state(session: Session) -> dict[str, Any]:
    """Everything recon knows, in the export's public JSON shape (README)."""
    docs = list(
        session.scalars(select(Document).order_by(Document.kind, Document.source, Document.id))
    )
    by_id = {d.id: d for d in docs}
    lines_by_doc: dict[int, list[DocumentLine]] = defaultdict(list)
    line_by_id: dict[int, DocumentLine] = {}
    for line in session.scalars(
        select(DocumentLine).order_by(DocumentLine.document_id, DocumentLine.line_no)
    ):
        lines_by_doc[line.document_id].append(line)
        line_by_id[line.id] = line

    documents = [
        {
            "kind": d.kind,
            "source": d.source,
            "vendor": d.vendor,
            "number": d.number,
            "date": d.date.isoformat() if d.date else None,
            "po_number": d.po_number,
            "po_numbers": _cited(d, lines_by_doc[d.id]),
            "credited_invoice": d.credited_number,
            "currency": d.currency,
            "subtotal": money(d.subtotal),
            "tax": money(d.tax),
            "total": money(d.total),
            "extractor": d.extractor,
            "page_count": d.page_count,
            "notes": list(d.notes or []),
            "lines": [
                {
                    "line_no": ln.line_no,
                    "sku": ln.sku,
                    "description": ln.description,
                    "quantity": quantity(ln.quantity),
                    "unit_price": money(ln.unit_price),
                    "amount": money(ln.amount),
                    "po_number": ln.po_number,
                }
                for ln in lines_by_doc[d.id]
            ],
        }
        for d in docs
    ]

    matches = []
    for m in session.scalars(select(Match).order_by(Match.invoice_line_id)):
        inv_line = line_by_id[m.invoice_line_id]
        po_line = line_by_id[m.po_line_id]
        rec_line = line_by_id.get(m.receipt_line_id) if m.receipt_line_id else None
        invoice = by_id[inv_line.document_id]
        matches.append(
            {
                "invoice": _label(invoice),
                "invoice_source": invoice.source,
                "invoice_line": inv_line.line_no,
                "po": _label(by_id[po_line.document_id]),
                "po_line": po_line.line_no,
                "receipt": _label(by_id[rec_line.document_id]) if rec_line else None,
                "receipt_line": rec_line.line_no if rec_line else None,
                "score": round(m.score, 4),
                "reason": m.reason,
            }
        )

    discrepancies = [
        {
            "type": r.type,
            "invoice": _label(by_id[r.invoice_id]),
            "invoice_source": by_id[r.invoice_id].source,
            "invoice_line": r.invoice_line_no,
            "po": _label(by_id.get(r.po_id)) if r.po_id else None,
            "expected": r.expected,
            "actual": r.actual,
            "status": r.status,
            "reason": r.reason,
        }
        for r in session.scalars(
            select(Discrepancy).order_by(
                Discrepancy.invoice_id, Discrepancy.line_key, Discrepancy.type
            )
        )
    ]

    assets = [
        {
            "asset_tag": a.asset_tag,
            "invoice": _label(by_id[a.invoice_id]),
            "invoice_source": by_id[a.invoice_id].source,
            "invoice_line": line_by_id[a.invoice_line_id].line_no,
            "po": _label(by_id.get(a.po_id)) if a.po_id else None,
            "vendor": a.vendor,
            "description": a.description,
            "sku": a.sku,
            "cost": money(a.cost),
            "currency": a.currency,
            "status": "held" if a.held_reason else "active",
            "held_reason": a.held_reason,
        }
        for a in session.scalars(select(Asset).order_by(Asset.asset_tag))
    ]

    quarantine = [
        {"source": q.source, "reason": q.reason, "code": q.code, "path": q.path}
        for q in session.scalars(select(Quarantine).order_by(Quarantine.source, Quarantine.id))
    ]
    # Natural-key order, so two databases holding the same facts export the same file.
    matches.sort(key=lambda m: (m["invoice_source"], m["invoice_line"]))
    discrepancies.sort(key=lambda d: (d["invoice_source"], d["invoice_line"] or 0, d["type"]))
    assets.sort(key=lambda a: (a["invoice_source"], a["invoice_line"], a["asset_tag"]))
    return {
        "documents": documents,
        "matches": matches,
        # What is raised now: a resolved one (no longer raised) stays in the
        # database for the audit trail and shows in `report --include-closed`.
        "discrepancies": [d for d in discrepancies if d["status"] != "resolved"],
        "assets": assets,
        "quarantine": quarantine,
    }


@dataclass(frozen=True, slots=True)
class ReportRow:
    """One discrepancy as finance reads it."""

    vendor: str | None
    invoice: str
    invoice_source: str
    invoice_date: str | None
    invoice_total: Decimal | None
    currency: str | None
    po: str | None
    type: str
    line: int | None
    description: str | None
    expected: str | None
    actual: str | None
    status: str
    reason: str


@dataclass(frozen=True, slots=True)
class QuarantineRow:
    source: str
    path: str
    code: str
    reason: str


@dataclass(frozen=True, slots=True)
class ReportData:
    rows: tuple[ReportRow, ...]
    quarantine: tuple[QuarantineRow, ...]
    invoices: int
    #: Reconciled, with no open or rejected discrepancy.
    invoices_clean: int
    invoices_open: int
    invoices_unreconciled: int
    discrepancies_open: int
    assets: int
    assets_held: int


def report_data(session: Session, *, include_closed: bool = False) -> ReportData:
    """Discrepancies joined to their invoice, line and PO; quarantined files."""
    invoice = aliased(Document)
    po = aliased(Document)
    q = (
        select(Discrepancy, invoice, po.number, DocumentLine.description)
        .join(invoice, invoice.id == Discrepancy.invoice_id)
        .outerjoin(po, po.id == Discrepancy.po_id)
        .outerjoin(
            DocumentLine,
            (DocumentLine.document_id == Discrepancy.invoice_id)
            & (DocumentLine.line_no == Discrepancy.invoice_line_no),
        )
        .order_by(
            invoice.vendor, invoice.number, invoice.id, Discrepancy.line_key, Discrepancy.type
        )
    )
    if not include_closed:
        q = q.where(Discrepancy.status == "open")
    rows = tuple(
        ReportRow(
            vendor=inv.vendor,
            invoice=inv.number or inv.source,
            invoice_source=inv.source,
            invoice_date=inv.date.isoformat() if inv.date else None,
            invoice_total=inv.total,
            currency=inv.currency,
            # An invoice citing several POs: the PO this discrepancy is about.
            po=po_number if inv.other_po_numbers and po_number else inv.po_number or po_number,
            type=d.type,
            line=d.invoice_line_no,
            description=description,
            expected=d.expected,
            actual=d.actual,
            status=d.status,
            reason=d.reason,
        )
        for d, inv, po_number, description in session.execute(q)
    )
    quarantine = tuple(
        QuarantineRow(q.source, q.path, q.code, q.reason)
        for q in session.scalars(select(Quarantine).order_by(Quarantine.source))
    )
    invoices: dict[int, object] = {
        doc_id: at
        for doc_id, at in session.execute(
            select(Document.id, Document.reconciled_at).where(Document.kind == "invoice")
        )
    }
    reconciled = {i for i, at in invoices.items() if at is not None}
    status_of = [
        (invoice_id, status)
        for invoice_id, status in session.execute(
            select(Discrepancy.invoice_id, Discrepancy.status)
        )
    ]
    with_open = {i for i, status in status_of if status == "open"}
    # A rejected discrepancy still stands against its invoice: not clean.
    not_clean = {i for i, status in status_of if status in ("open", "rejected")}
    held = session.execute(select(Asset.held_reason)).scalars().all()
    return ReportData(
        rows=rows,
        quarantine=quarantine,
        invoices=len(invoices),
        invoices_clean=len(reconciled - not_clean),
        invoices_open=len(with_open),
        invoices_unreconciled=len(invoices) - len(reconciled),
        discrepancies_open=sum(1 for _, status in status_of if status == "open"),
        assets=sum(1 for h in held if h is None),
        assets_held=sum(1 for h in held if h is not None),
    )
