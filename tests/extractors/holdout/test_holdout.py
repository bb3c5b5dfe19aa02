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

Run ``uv run python -m tests.extractors.holdout.test_holdout`` for the report.
"""

from __future__ import annotations

from decimal import Decimal
from functools import cache
from typing import Any

from extractors.registry import extract
from extractors.types import ExtractedDocument, ExtractionError
from tests.extractors.holdout.layouts import CASES, Case, Expected, Line
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


def _line(ln: Line) -> tuple[Any, ...]:
    return tuple(_norm(getattr(ln, n)) for n in LINE_FIELDS)


def test_holdout_report() -> None:
    """GIVEN unseen layouts WHEN extracted THEN print the figures (no thresholds yet)."""
    print(evaluate().text())  # noqa: T201 - the report is the point of this test


if __name__ == "__main__":
    print(evaluate().text())  # noqa: T201
