"""Holdout measurement: the extractor on layouts written without reading it.

First figures, 2026-11-25, before any fix to ``extractors/`` (the honest
generalisation estimate; do not update them):

    header field accuracy 0.944 (68/72): kind, number, date, vendor, currency,
        subtotal 8/8; po_number 7/8; tax 7/8; total 6/8
    lines: precision 0.435, recall 0.435, F1 0.435 (20 of 46 lines fully right)
        description 24/46, quantity 45/46, sku 42/46, unit_price 46/46, amount 46/46
    misses: marketplace "Order #" taken as the PO number and its ASIN column not
    read as the SKU; "28 674,00 kr" read as 674; the reseller's item number and
    manufacturer part number folded into the description and the ordered
    quantity billed instead of the shipped one; the ERP item number 00010 taken
    as the description; "Total cartons: 5" taken as a packing slip's total; a
    left-hand totals block's "VAT 21%" read as tax 0.

One of those misses was this file's fault: the Nordic layout printed its bold
"Amount to pay (SEK)" over the amount ("(SEK)28 674,00 kr"). With only that
drawing defect fixed, and the extractor still untouched, header accuracy was
0.958 (69/72; total 7/8) and the lines unchanged.

After the fixes (same day): header accuracy 1.000 (72/72), line precision,
recall and F1 1.000 (46/46). Those figures are no longer a holdout estimate:
the fixes were made looking at these misses. Fixes, each a class of cause and
not a rule for one layout: a bare "Order #" ranks below labels naming the PO,
and "Sales order #" is the seller's own number; manufacturer part numbers and
global product identifiers (ASIN, EAN, UPC, GTIN, MPN) are SKU columns;
totals that count things ("Total cartons") are not money; a one-line heading
in a two-line header row is a column; the gutter between two numeric columns
is not searched left of the first one's right-aligned numbers; of several
description columns the one with prose wins; a totals label's value is the
first amount to its right, not the last number on the line.

New layouts go in :mod:`tests.extractors.holdout.layouts`; record the
figures they get BEFORE fixing anything for them.

Run ``uv run python -m tests.extractors.holdout.test_holdout`` for the report.
"""

from __future__ import annotations

from decimal import Decimal
from functools import cache
from typing import Any

import pytest

from extractors.registry import extract
from extractors.types import ExtractedDocument, ExtractionError
from tests.extractors.holdout.layouts import CASES, Case, Expected
from tests.extractors.test_samples_golden import HEADER_FIELDS, LINE_FIELDS, Report

BY_NAME = {c.name: c for c in CASES}


@cache
def _extracted(name: str) -> ExtractedDocument | ExtractionError:
    case = BY_NAME[name]
    try:
        return extract(case.build(), filename=f"{name}.pdf")
    except ExtractionError as exc:
        return exc


def _norm(value: Any) -> Any:
    return value.normalize() if isinstance(value, Decimal) else value


def _header(doc: ExtractedDocument, name: str) -> Any:
    if name == "kind":
        return str(doc.kind)
    f = doc.header_fields()[name]
    if f is None:
        return None
    return f.value.isoformat() if name == "date" else _norm(f.value)


def misses(case: Case) -> list[str]:
    """Every difference between what ``case`` says and what was extracted."""
    got = _extracted(case.name)
    want: Expected = case.expected
    if isinstance(got, ExtractionError):
        return [f"{case.name}: raised {got}"]
    out = []
    for name in HEADER_FIELDS:
        w, h = _norm(getattr(want, name)), _header(got, name)
        if w != h:
            out.append(f"{case.name}: {name} expected {w!r}, got {h!r}")
    lines = sorted(got.lines, key=lambda ln: ln.line_no)
    for i, wl in enumerate(want.lines):
        if i >= len(lines):
            out.append(f"{case.name}: line {i + 1} missing ({wl.description!r})")
            continue
        for name in LINE_FIELDS:
            w, h = _norm(getattr(wl, name)), _norm(getattr(lines[i], name))
            if w != h:
                out.append(f"{case.name}: line {i + 1} {name} expected {w!r}, got {h!r}")
    for extra in lines[len(want.lines) :]:
        out.append(f"{case.name}: extra line {extra.line_no}: {extra.description!r}")
    return out


def evaluate() -> Report:
    """Per-field accuracy and line precision/recall over the whole holdout set."""
    report = Report()
    for case in CASES:
        want = case.expected
        got = _extracted(case.name)
        for name in HEADER_FIELDS:
            report.header_total[name] = report.header_total.get(name, 0) + 1
        report.lines_expected += len(want.lines)
        report.line_field_total += len(want.lines)
        report.failures.extend(misses(case))
        if isinstance(got, ExtractionError):
            continue
        for name in HEADER_FIELDS:
            if _norm(getattr(want, name)) == _header(got, name):
                report.header_hits[name] = report.header_hits.get(name, 0) + 1
        lines = sorted(got.lines, key=lambda ln: ln.line_no)
        report.lines_extracted += len(lines)
        for wl, hl in zip(want.lines, lines, strict=False):
            ok = True
            for name in LINE_FIELDS:
                if _norm(getattr(wl, name)) == _norm(getattr(hl, name)):
                    report.line_field_hits[name] = report.line_field_hits.get(name, 0) + 1
                else:
                    ok = False
            report.lines_correct += ok
    return report


MIN_HEADER_ACCURACY = 0.97
MIN_LINE_F1 = 0.95


def test_holdout_figures() -> None:
    """GIVEN layouts written without reading the extractor WHEN extracted THEN header
    fields and line items are nearly all right, and every miss is printed."""
    report = evaluate()
    print(report.text())  # noqa: T201 - the report is the point of this test
    assert report.header_accuracy() >= MIN_HEADER_ACCURACY, report.text()
    assert report.line_f1 >= MIN_LINE_F1, report.text()


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_holdout_document_exact(case: Case) -> None:
    """GIVEN one holdout document WHEN extracted THEN every header field and line is right."""
    assert misses(case) == []


if __name__ == "__main__":
    print(evaluate().text())  # noqa: T201
