"""Reconcile over time: what arrives later, what people decided, runs at once.

Each test stores documents through the normal store path (as extracted
documents) and calls the same functions the CLI calls.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Sequence
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from extractors.types import DocumentKind, ExtractedDocument, ExtractedLine, Field
from models.db import make_engine, session_factory, transaction
from models.read import export_state
from models.store import FileFacts, store_document
from models.tables import Discrepancy, Document
from pipelines.reconcile import run_reconcile

LAPTOP = "Latitude 5440 laptop"


def _f(value: object) -> Field[object]:
    return Field(value=value, raw=str(value), confidence=1.0)


def store(
    factory: sessionmaker[Session],
    kind: DocumentKind,
    number: str,
    *,
    lines: Sequence[tuple[str, int, str | None]],
    po: str | None = None,
    vendor: str = "Contoso GmbH",
    day: int = 10,
    source: str | None = None,
) -> None:
    extracted_lines = tuple(
        ExtractedLine(
            line_no=i,
            description=desc,
            quantity=Decimal(qty),
            unit_price=Decimal(price) if price else None,
            amount=Decimal(price) * qty if price else None,
        )
        for i, (desc, qty, price) in enumerate(lines, 1)
    )
    priced = kind is not DocumentKind.RECEIPT
    subtotal = sum((ln.amount or Decimal(0) for ln in extracted_lines), Decimal(0))
    doc = ExtractedDocument(
        kind=kind,
        extractor="test",
        page_count=1,
        number=_f(number),  # type: ignore[arg-type]
        date=_f(date(2026, 10, day)),  # type: ignore[arg-type]
        vendor=_f(vendor),  # type: ignore[arg-type]
        po_number=_f(po) if po else None,  # type: ignore[arg-type]
        currency=_f("EUR") if priced else None,  # type: ignore[arg-type]
        subtotal=_f(subtotal) if priced else None,  # type: ignore[arg-type]
        tax=_f(Decimal(0)) if priced else None,  # type: ignore[arg-type]
        total=_f(subtotal) if priced else None,  # type: ignore[arg-type]
        lines=extracted_lines,
    )
    name = source or f"{kind.value}-{number}.pdf"
    facts = FileFacts(
        name, f"/in/{name}", hashlib.sha256(name.encode()).hexdigest(), 1, "application/pdf"
    )
    with transaction(factory) as session:
        store_document(session, doc, facts)


def _export(factory: sessionmaker[Session]) -> dict[str, list[dict[str, object]]]:
    with factory() as session:
        return export_state(session)


def test_a_copy_is_always_judged_with_its_original(factory: sessionmaker[Session]) -> None:
    """GIVEN an original that cites no PO and its copy citing PO-1, both reconciled
    WHEN a new invoice on PO-1 arrives and a plain reconcile runs
    THEN the copy is still the duplicate and registers nothing (review finding 1)."""
    store(factory, DocumentKind.PO, "PO-1", lines=[(LAPTOP, 10, "1000.00")])
    store(factory, DocumentKind.RECEIPT, "GRN-1", po="PO-1", lines=[(LAPTOP, 10, None)])
    store(factory, DocumentKind.INVOICE, "INV-7", lines=[(LAPTOP, 5, "1000.00")], source="o.pdf")
    store(factory, DocumentKind.INVOICE, "INV-7", po="PO-1", lines=[(LAPTOP, 5, "1000.00")],
          source="r.pdf", day=11)  # fmt: skip
    run_reconcile(factory)
    store(factory, DocumentKind.INVOICE, "INV-8", po="PO-1", lines=[(LAPTOP, 2, "1000.00")], day=12)
    run_reconcile(factory)

    state = _export(factory)
    kinds = sorted((d["type"], d["invoice_source"]) for d in state["discrepancies"])
    assert kinds == [("duplicate_invoice", "r.pdf"), ("no_po", "o.pdf")]
    assert {a["invoice_source"] for a in state["assets"]} == {"invoice-INV-8.pdf"}


def test_a_suspected_copy_arriving_later_is_judged_with_its_original(
    factory: sessionmaker[Session],
) -> None:
    """GIVEN an invoice on PO-1, reconciled and registered
    WHEN the same invoice arrives again under another number (same vendor, total
    and date) and a plain reconcile runs
    THEN the late one is a suspected duplicate and registers nothing until a
    person decides."""
    store(factory, DocumentKind.PO, "PO-1", lines=[(LAPTOP, 10, "1000.00")])
    store(factory, DocumentKind.RECEIPT, "GRN-1", po="PO-1", lines=[(LAPTOP, 10, None)])
    store(factory, DocumentKind.INVOICE, "INV-0042", po="PO-1", lines=[(LAPTOP, 5, "1000.00")])
    run_reconcile(factory)
    store(factory, DocumentKind.INVOICE, "42/2026", po="PO-1", lines=[(LAPTOP, 5, "1000.00")])
    run_reconcile(factory)

    state = _export(factory)
    raised = {(d["type"], d["invoice_source"]) for d in state["discrepancies"]}
    assert raised == {("duplicate_invoice", "invoice-42/2026.pdf")}
    (dup,) = state["discrepancies"]
    assert str(dup["reason"]).startswith("Suspected duplicate")
    assert {a["invoice_source"] for a in state["assets"]} == {"invoice-INV-0042.pdf"}


def test_a_late_receipt_resolves_not_received_and_keeps_it(
    factory: sessionmaker[Session],
) -> None:
    """GIVEN an invoice billed before its goods arrived (not_received, open)
    WHEN the receipt comes in and a plain reconcile runs
    THEN the discrepancy is resolved, not deleted, and the assets register;
    and a person's decision on another discrepancy is left as it was."""
    store(factory, DocumentKind.PO, "PO-1", lines=[(LAPTOP, 10, "1000.00")])
    store(factory, DocumentKind.INVOICE, "INV-1", po="PO-1", lines=[(LAPTOP, 4, "1000.00")])
    store(factory, DocumentKind.INVOICE, "INV-2", lines=[(LAPTOP, 1, "1000.00")], day=20)
    first = run_reconcile(factory)
    assert first.assets_new == 0
    with transaction(factory) as session:  # finance rejects INV-2's no_po
        session.execute(
            update(Discrepancy).where(Discrepancy.type == "no_po").values(status="rejected")
        )
    state = _export(factory)
    assert sorted((d["type"], d["status"]) for d in state["discrepancies"]) == [
        ("no_po", "rejected"),
        ("not_received", "open"),
    ]

    store(factory, DocumentKind.RECEIPT, "GRN-1", po="PO-1", lines=[(LAPTOP, 4, None)], day=12)
    second = run_reconcile(factory)

    assert second.discrepancies_resolved == 1
    state = _export(factory)
    assert [(d["type"], d["status"]) for d in state["discrepancies"]] == [("no_po", "rejected")]
    with factory() as session:  # kept for the audit trail
        (gone,) = session.scalars(
            select(Discrepancy).where(Discrepancy.type == "not_received")
        ).all()
    assert gone.status == "resolved"
    assert "Resolved" in gone.reason
    assert len(state["assets"]) == 4
    with factory() as session:
        from models.read import report_data

        report = report_data(session)
        closed = report_data(session, include_closed=True)
    assert [r.type for r in report.rows] == []  # nothing open to review
    assert {(r.type, r.status) for r in closed.rows} == {
        ("not_received", "resolved"),
        ("no_po", "rejected"),
    }
    assert report.invoices_clean == 1  # INV-1; INV-2's rejection still stands


def test_a_resolved_discrepancy_raised_again_is_open_again(
    factory: sessionmaker[Session],
) -> None:
    store(factory, DocumentKind.PO, "PO-1", lines=[(LAPTOP, 10, "1000.00")])
    store(factory, DocumentKind.INVOICE, "INV-1", po="PO-1", lines=[(LAPTOP, 4, "1000.00")])
    run_reconcile(factory)
    store(factory, DocumentKind.RECEIPT, "GRN-1", po="PO-1", lines=[(LAPTOP, 4, None)], day=12)
    run_reconcile(factory)
    with transaction(factory) as session:  # the receipt was booked in error
        receipt = session.scalars(select(Document).where(Document.number == "GRN-1")).one()
        session.delete(receipt)
    run_reconcile(factory, everything=True)
    (row,) = _export(factory)["discrepancies"]
    assert (row["type"], row["status"]) == ("not_received", "open")
    assert "Resolved" not in str(row["reason"])


def test_changed_figures_reopen_a_decision_and_hold_assets(factory: sessionmaker[Session]) -> None:
    """GIVEN an approved quantity_variance (12 invoiced of 10 ordered) whose line was registered
    WHEN an earlier-dated invoice for 3 more arrives
    THEN the decision is reopened (the person approved other numbers) and the line's
    registered assets are held for review, not deleted."""
    store(factory, DocumentKind.PO, "PO-1", lines=[(LAPTOP, 10, "1000.00")])
    store(factory, DocumentKind.RECEIPT, "GRN-1", po="PO-1", lines=[(LAPTOP, 15, None)])
    store(
        factory, DocumentKind.INVOICE, "INV-1", po="PO-1", lines=[(LAPTOP, 12, "1000.00")], day=20
    )
    run_reconcile(factory)
    with transaction(factory) as session:
        session.execute(update(Discrepancy).values(status="approved"))
    summary = run_reconcile(factory, everything=True)
    assert summary.assets_new == 12 and summary.decisions_reopened == 0

    store(factory, DocumentKind.INVOICE, "INV-0", po="PO-1", lines=[(LAPTOP, 3, "1000.00")], day=5)
    summary = run_reconcile(factory)
    assert summary.decisions_reopened == 1
    assert summary.assets_held == 12
    with factory() as session:
        [d] = session.scalars(select(Discrepancy).where(Discrepancy.type == "quantity_variance"))
        assert (d.status, d.expected, d.actual) == ("open", "10", "15")
        assert "Reopened" in d.reason and "approved" in d.reason
    by_invoice: dict[str, list[object]] = {}
    for a in _export(factory)["assets"]:
        by_invoice.setdefault(str(a["invoice"]), []).append(a["status"])
    # INV-1's twelve are held, not deleted; the new, clean INV-0 registers its three.
    assert by_invoice == {"INV-1": ["held"] * 12, "INV-0": ["active"] * 3}


def test_reconciles_at_once_wait_for_each_other(db_url: str) -> None:
    """Two reconcile runs at the same time: one waits, nothing is counted twice."""
    engine = make_engine(db_url)
    factory = session_factory(engine)
    store(factory, DocumentKind.PO, "PO-1", lines=[(LAPTOP, 10, "1000.00")])
    store(factory, DocumentKind.RECEIPT, "GRN-1", po="PO-1", lines=[(LAPTOP, 10, None)])
    for n in range(6):  # dated apart: same-day equal invoices are suspected copies
        store(factory, DocumentKind.INVOICE, f"INV-{n}", po="PO-1", lines=[(LAPTOP, 1, "1000.00")],
              day=10 + n)  # fmt: skip
    errors: list[BaseException] = []

    def run() -> None:
        try:
            run_reconcile(session_factory(make_engine(db_url)), everything=True)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert errors == []
    state = _export(factory)
    assert len(state["matches"]) == 6
    assert len(state["assets"]) == 6
    assert state["discrepancies"] == []
    engine.dispose()


@pytest.mark.parametrize("value", ["110.00", "0.3333333", "1000000000000000000.00", "45"])
def test_numbers_come_back_as_they_went_in(factory: sessionmaker[Session], value: str) -> None:
    """Same text back on both backends: exports must not differ by database."""
    store(factory, DocumentKind.PO, "PO-9", lines=[("Widget", 1, value)])
    [doc] = _export(factory)["documents"]
    [line] = doc["lines"]  # type: ignore[misc]
    expected = value if "." in value and len(value.split(".")[1]) >= 2 else f"{value}.00"
    assert line["unit_price"] == expected
