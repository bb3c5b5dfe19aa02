"""The matcher on the sample month, as if extraction were perfect.

Documents come straight from ``data/samples/ground_truth.json`` (the values
the PDFs print), so any difference from its matches, discrepancies and assets
is the matcher's own.  ``seq`` follows the order of the file (arrival order).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from matching import Document, Kind, Line, MatchingSettings, asset_candidates, reconcile

TRUTH = Path(__file__).resolve().parents[2] / "data" / "samples" / "ground_truth.json"

pytestmark = pytest.mark.skipif(not TRUTH.exists(), reason="no data/samples/ground_truth.json")


def _decimal(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)


def _document(seq: int, raw: Mapping[str, Any]) -> Document:
    return Document(
        key=raw["source"],
        kind=Kind(raw["kind"]),
        seq=seq,
        number=raw["number"],
        vendor=raw["vendor"],
        date=None if raw["date"] is None else date.fromisoformat(raw["date"]),
        po_number=raw["po_number"],
        other_po_numbers=tuple(raw["po_numbers"][1:]),
        credited_number=raw["credited_invoice"],
        currency=raw["currency"],
        subtotal=_decimal(raw["subtotal"]),
        tax=_decimal(raw["tax"]),
        total=_decimal(raw["total"]),
        lines=tuple(
            Line(
                line_no=line["line_no"],
                description=line["description"],
                quantity=Decimal(line["quantity"]),
                sku=line["sku"],
                unit_price=_decimal(line["unit_price"]),
                amount=_decimal(line["amount"]),
            )
            for line in raw["lines"]
        ),
    )


@pytest.fixture(scope="module")
def truth() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(TRUTH.read_text(encoding="utf-8"))
    return loaded


@pytest.fixture(scope="module")
def documents(truth: dict[str, Any]) -> dict[Kind, list[Document]]:
    out: dict[Kind, list[Document]] = {kind: [] for kind in Kind}
    for seq, raw in enumerate(truth["documents"], start=1):
        document = _document(seq, raw)
        out[document.kind].append(document)
    return out


def billing(documents: dict[Kind, list[Document]]) -> list[Document]:
    """Invoices and credit notes: the matcher takes both (credits net against invoices)."""
    return [*documents[Kind.INVOICE], *documents[Kind.CREDIT_NOTE]]


def test_sample_month_matches_and_discrepancies(
    truth: dict[str, Any], documents: dict[Kind, list[Document]]
) -> None:
    number = {d.key: d.number for docs in documents.values() for d in docs}

    result = reconcile(
        billing(documents), documents[Kind.PO], documents[Kind.RECEIPT], MatchingSettings()
    )

    got_matches = {
        (
            m.invoice_key,
            m.invoice_line,
            number[m.po_key],
            m.po_line,
            m.receipt_key and number[m.receipt_key],
            m.receipt_line,
        )
        for m in result.matches
    }
    want_matches = {
        (
            m["invoice_source"],
            m["invoice_line"],
            m["po"],
            m["po_line"],
            m.get("receipt"),
            m.get("receipt_line"),
        )
        for m in truth["matches"]
    }
    assert sorted(got_matches ^ want_matches, key=str) == []

    got = {(d.type.value, d.invoice_key, d.invoice_line) for d in result.discrepancies}
    want = {(d["type"], d["invoice_source"], d["invoice_line"]) for d in truth["discrepancies"]}
    assert sorted(got ^ want, key=str) == []


def test_sample_month_assets_with_nothing_approved(
    truth: dict[str, Any], documents: dict[Kind, list[Document]]
) -> None:
    settings = MatchingSettings()
    invoices = billing(documents)
    result = reconcile(invoices, documents[Kind.PO], documents[Kind.RECEIPT], settings)

    candidates = asset_candidates(invoices, result, {}, settings)

    units: dict[tuple[str, int], int] = {}
    for c in candidates:
        units[(c.invoice_key, c.invoice_line)] = units.get((c.invoice_key, c.invoice_line), 0) + 1
    want = {(a["invoice_source"], a["invoice_line"]): a["units"] for a in truth["assets"]}
    assert units == want
