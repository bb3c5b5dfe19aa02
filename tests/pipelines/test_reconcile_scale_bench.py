"""The month-end scale benchmark's synthetic month really flows through recon.

``bench/reconcile_scale.py`` writes its documents with bulk inserts instead
of ``store_document``; these tests hold it to what ingest would have stored
(same rows, the same matcher input) and check that a small month reconciles
as generated: matches for the invoices that cite a PO, ``no_po`` for those
that do not, ``duplicate_invoice`` for the copies.
"""

from __future__ import annotations

import dataclasses
import hashlib
from types import ModuleType
from typing import Any

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session, sessionmaker

from extractors.types import Box, DocumentKind, ExtractedDocument, ExtractedLine, Field
from models.db import transaction
from models.queries import load_matcher_input
from models.store import FileFacts, store_document
from models.tables import Discrepancy, Document, DocumentLine, Match
from pipelines.reconcile import run_reconcile

LINES = 300
#: A small month with every case: no PO, a copy, a credit note, lines not on the PO.
SEED = 2


def _extracted(doc: Any) -> ExtractedDocument:
    """What an extractor would have read from the synthetic document's file."""

    def f(value: object) -> Field[Any] | None:
        return None if value is None else Field(value, str(value), 0.95, Box(1, 0, 0, 1, 1))

    priced = doc.kind != "receipt"
    return ExtractedDocument(
        kind=DocumentKind(doc.kind),
        extractor="pdf-text",
        page_count=1,
        number=f(doc.number),
        date=f(doc.date),
        vendor=f(doc.vendor),
        po_number=f(doc.po_number),
        credited_number=f(doc.credited),
        currency=f(doc.currency if priced else None),
        subtotal=f(doc.subtotal if priced else None),
        tax=f(doc.tax if priced else None),
        total=f(doc.total if priced else None),
        lines=tuple(
            ExtractedLine(
                line_no=i,
                description=ln.description,
                quantity=ln.quantity,
                sku=ln.sku,
                unit_price=ln.unit_price if priced else None,
                amount=ln.amount if priced else None,
            )
            for i, ln in enumerate(doc.lines, 1)
        ),
    )


def _matcher_view(session: Session) -> dict[str, Any]:
    """load_matcher_input's documents by source, without the database keys."""
    loaded = load_matcher_input(session, everything=True)
    out: dict[str, Any] = {}
    for doc in (*loaded.invoices, *loaded.pos, *loaded.receipts):
        out.setdefault(doc.source or "", []).append(dataclasses.replace(doc, key="", seq=0))
    return out


def test_bulk_rows_are_what_ingest_stores(
    bench: ModuleType, engine: Engine, factory: sessionmaker[Session]
) -> None:
    truth = bench.generate(engine, LINES, SEED)
    # The same documents again, through the ingest path, under other file names.
    docs = list(bench.MonthGenerator(SEED, LINES).documents())
    samples = [
        next(d for d in docs if d.kind == "po"),
        next(d for d in docs if d.kind == "receipt"),
        next(d for d in docs if d.kind == "invoice" and d.po_number is not None),
        next(d for d in docs if d.kind == "invoice" and d.po_number is None),
    ]
    with factory() as session:
        bulk = _matcher_view(session)
    with transaction(factory) as session:
        for doc in samples:
            source = f"ingested-{doc.source}"
            facts = FileFacts(
                source, f"/in/{source}", hashlib.sha256(source.encode()).hexdigest(), 1, "x"
            )
            store_document(session, _extracted(doc), facts)
    with factory() as session:
        ingested = _matcher_view(session)
        for doc in samples:
            (via_bulk,) = bulk[doc.source]
            (via_ingest,) = ingested[f"ingested-{doc.source}"]
            assert dataclasses.replace(via_ingest, source=doc.source) == via_bulk
            rows = {
                row.source: row
                for row in session.scalars(
                    select(Document).where(
                        Document.source.in_([doc.source, f"ingested-{doc.source}"])
                    )
                )
            }
            assert len(rows) == 2
            keys = (
                "kind", "vendor", "number", "number_key", "date", "po_number", "po_key",
                "credited_number", "credited_key", "other_po_numbers",
                "currency", "subtotal", "tax", "total", "reconciled_at",
            )  # fmt: skip
            bulk_row, ingest_row = rows[doc.source], rows[f"ingested-{doc.source}"]
            for key in keys:
                assert getattr(bulk_row, key) == getattr(ingest_row, key), key
            assert bulk_row.fields.keys() == ingest_row.fields.keys()
        counts = dict(
            session.execute(select(Document.kind, func.count()).group_by(Document.kind)).all()
        )
    assert counts == {k: v + sum(d.kind == k for d in samples) for k, v in truth.documents.items()}


def test_synthetic_month_reconciles_as_generated(
    bench: ModuleType, engine: Engine, factory: sessionmaker[Session]
) -> None:
    truth = bench.generate(engine, LINES, SEED)
    assert truth.lines["invoice"] + truth.lines["credit_note"] >= LINES
    assert truth.no_po and truth.duplicates and truth.documents["credit_note"]

    summary = run_reconcile(factory)

    billing = truth.documents["invoice"] + truth.documents["credit_note"]
    assert summary.invoices == summary.evaluated == billing
    with factory() as session:
        found = dict(
            session.execute(select(Discrepancy.type, func.count()).group_by(Discrepancy.type)).all()
        )
        matched_invoices = session.scalar(
            select(func.count(func.distinct(DocumentLine.document_id))).join(
                Match, Match.invoice_line_id == DocumentLine.id
            )
        )
    assert found.get("no_po", 0) == truth.no_po
    assert found.get("duplicate_invoice", 0) == truth.duplicates
    # Every synthetic credit note names the invoice it credits, which is on file.
    assert found.get("unknown_credited_invoice", 0) == 0
    # Every line of a PO-citing invoice that is on its PO is matched, bar the odd
    # rewording the matcher rightly refuses. (A line not on the PO may still match
    # a similar one, another length of the same cable, so it bounds nothing.)
    on_po = truth.po_citing_lines - truth.off_po_lines
    assert 0.97 * on_po <= summary.matches <= truth.po_citing_lines
    assert matched_invoices >= 0.97 * truth.po_citing
    assert summary.assets_new > 0
