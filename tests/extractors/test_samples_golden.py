"""Golden test: the extractor against ``data/samples/ground_truth.json``.

The samples are one set of invented vendors, not the target (recon meets
layouts nobody here has seen), so this asserts broad accuracy figures and
prints every miss for a person to judge; it does not pin each value.
Run ``uv run python -m tests.extractors.test_samples_golden`` for the report.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from extractors.registry import extract
from extractors.settings import ExtractionSettings
from extractors.types import ExtractedDocument, ExtractedLine, ExtractionError

SAMPLES = Path(__file__).resolve().parents[2] / "data" / "samples"
GROUND_TRUTH = SAMPLES / "ground_truth.json"
HEADER_FIELDS = (
    "kind",
    "number",
    "date",
    "vendor",
    "po_number",
    "currency",
    "subtotal",
    "tax",
    "total",
)
LINE_FIELDS = ("description", "quantity", "sku", "unit_price", "amount")

MIN_HEADER_ACCURACY = 0.95
MIN_LINE_F1 = 0.95


@dataclass
class Report:
    """Per-field hits and the misses behind them."""

    header_hits: dict[str, int] = field(default_factory=dict)
    header_total: dict[str, int] = field(default_factory=dict)
    lines_expected: int = 0
    lines_extracted: int = 0
    lines_correct: int = 0
    line_field_hits: dict[str, int] = field(default_factory=dict)
    line_field_total: int = 0
    quarantine_hits: int = 0
    quarantine_total: int = 0
    failures: list[str] = field(default_factory=list)

    def header_accuracy(self, name: str | None = None) -> float:
        names = [name] if name else list(self.header_total)
        total = sum(self.header_total.get(n, 0) for n in names)
        return sum(self.header_hits.get(n, 0) for n in names) / total if total else 1.0

    @property
    def line_precision(self) -> float:
        return self.lines_correct / self.lines_extracted if self.lines_extracted else 1.0

    @property
    def line_recall(self) -> float:
        return self.lines_correct / self.lines_expected if self.lines_expected else 1.0

    @property
    def line_f1(self) -> float:
        p, r = self.line_precision, self.line_recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def text(self) -> str:
        out = ["header field accuracy:"]
        for name in HEADER_FIELDS:
            hits, total = self.header_hits.get(name, 0), self.header_total.get(name, 0)
            out.append(f"  {name:10} {hits}/{total} = {self.header_accuracy(name):.3f}")
        out.append(f"  {'all':10} {self.header_accuracy():.3f}")
        out.append(
            f"lines: precision {self.line_precision:.3f} recall {self.line_recall:.3f} "
            f"F1 {self.line_f1:.3f} ({self.lines_correct} correct, {self.lines_extracted} "
            f"extracted, {self.lines_expected} expected)"
        )
        for name in LINE_FIELDS:
            hits = self.line_field_hits.get(name, 0)
            out.append(f"  line {name:11} {hits}/{self.line_field_total}")
        out.append(f"quarantine codes: {self.quarantine_hits}/{self.quarantine_total}")
        out.extend(self.failures)
        return "\n".join(out)


def _norm(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, Decimal):
        return value.normalize()
    return value


def _expected(name: str, value: Any) -> Any:
    if value is None:
        return None
    if name in ("subtotal", "tax", "total", "quantity", "unit_price", "amount"):
        return Decimal(value).normalize()
    return value


def _actual(doc: ExtractedDocument, name: str) -> Any:
    if name == "kind":
        return str(doc.kind)
    f = doc.header_fields()[name]
    if f is None:
        return None
    return f.value.isoformat() if name == "date" else _norm(f.value)


def _line_value(line: ExtractedLine, name: str) -> Any:
    return _norm(getattr(line, name))


def evaluate(settings: ExtractionSettings | None = None) -> Report:
    truth = json.loads(GROUND_TRUTH.read_text(encoding="utf-8"))
    report = Report()
    paths = {p.name: p for p in SAMPLES.rglob("*") if p.is_file()}  # PDFs, scans, XML
    for doc in truth["documents"]:
        source = doc["source"]
        try:
            got = extract(paths[source].read_bytes(), filename=source, settings=settings)
        except ExtractionError as exc:
            report.failures.append(f"{source}: raised {exc}")
            for name in HEADER_FIELDS:
                report.header_total[name] = report.header_total.get(name, 0) + 1
            report.lines_expected += len(doc["lines"])
            continue
        for name in HEADER_FIELDS:
            report.header_total[name] = report.header_total.get(name, 0) + 1
            want, have = _expected(name, doc[name]), _actual(got, name)
            if want == have:
                report.header_hits[name] = report.header_hits.get(name, 0) + 1
            else:
                report.failures.append(f"{source}: {name} expected {want!r}, got {have!r}")
        by_no = {ln.line_no: ln for ln in got.lines}
        report.lines_expected += len(doc["lines"])
        report.lines_extracted += len(got.lines)
        for want_line in doc["lines"]:
            have_line = by_no.get(want_line["line_no"])
            report.line_field_total += 1
            if have_line is None:
                report.failures.append(f"{source}: line {want_line['line_no']} missing")
                continue
            ok = True
            for name in LINE_FIELDS:
                want, have = _expected(name, want_line[name]), _line_value(have_line, name)
                if want == have:
                    report.line_field_hits[name] = report.line_field_hits.get(name, 0) + 1
                else:
                    ok = False
                    report.failures.append(
                        f"{source}: line {want_line['line_no']} {name} expected {want!r}, "
                        f"got {have!r}"
                    )
            report.lines_correct += ok
        extra = set(by_no) - {ln["line_no"] for ln in doc["lines"]}
        for n in sorted(extra):
            report.failures.append(f"{source}: extra line {n}: {by_no[n].description!r}")
    for item in truth.get("quarantine", []):
        report.quarantine_total += 1
        source = item["source"]
        try:
            extract(paths[source].read_bytes(), filename=source, settings=settings)
            report.failures.append(f"{source}: expected {item['code']}, extracted fine")
        except ExtractionError as exc:
            if exc.code == item["code"]:
                report.quarantine_hits += 1
            else:
                report.failures.append(f"{source}: expected {item['code']}, got {exc.code}")
    return report


@pytest.mark.skipif(not GROUND_TRUTH.exists(), reason="data/samples not generated")
def test_samples_match_ground_truth() -> None:
    """GIVEN the sample documents WHEN extracted THEN headers and lines are nearly all right."""
    report = evaluate()
    print(report.text())  # noqa: T201 - the report is the point of this test
    assert report.header_accuracy() >= MIN_HEADER_ACCURACY, report.text()
    for name in HEADER_FIELDS:
        assert report.header_accuracy(name) >= 0.9, report.text()
    assert report.line_f1 >= MIN_LINE_F1, report.text()
    assert report.quarantine_hits == report.quarantine_total, report.text()


if __name__ == "__main__":
    print(evaluate().text())  # noqa: T201
