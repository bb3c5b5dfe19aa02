"""Score an export against a ground-truth file of the same shape.

Used by ``bench/accuracy.py`` (prints the figures) and by the golden tests
(assert them). Amounts compare as Decimals, text after folding white space.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from extractors.types import ExtractedDocument

HEADER_FIELDS = ("vendor", "number", "date", "po_number", "currency", "subtotal", "tax", "total")
MONEY = {"subtotal", "tax", "total", "unit_price", "amount", "quantity"}


def _norm(name: str, value: Any) -> Any:
    if value is None:
        return None
    if name in MONEY:
        try:
            return Decimal(str(value)).normalize()
        except InvalidOperation:
            return str(value)
    return " ".join(str(value).split())


@dataclass
class PR:
    """Precision and recall from true positives, predicted and expected counts."""

    tp: int = 0
    predicted: int = 0
    expected: int = 0

    @property
    def precision(self) -> float:
        return self.tp / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.tp / self.expected if self.expected else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, predicted: Iterable[Any], expected: Iterable[Any]) -> None:
        pc, ec = Counter(predicted), Counter(expected)
        self.tp += sum((pc & ec).values())
        self.predicted += sum(pc.values())
        self.expected += sum(ec.values())


def document_format(extractor: str | None) -> str:
    """digital, scan or einvoice, from the name of the extractor that read it."""
    name = (extractor or "").lower()
    if "einvoice" in name or "facturx" in name or "ubl" in name or "cii" in name:
        return "einvoice"
    if "ocr" in name or "scan" in name:
        return "scan"
    return "digital"


@dataclass
class FormatScores:
    documents: int = 0
    fields_right: int = 0
    fields_total: int = 0
    lines: PR = field(default_factory=PR)

    @property
    def header_accuracy(self) -> float:
        return self.fields_right / self.fields_total if self.fields_total else 1.0


@dataclass
class Scores:
    fields: dict[str, list[int]] = field(default_factory=dict)  # name -> [right, total]
    lines: PR = field(default_factory=PR)
    matches: PR = field(default_factory=PR)
    discrepancies: dict[str, PR] = field(default_factory=dict)
    assets: PR = field(default_factory=PR)
    quarantine: PR = field(default_factory=PR)
    missing_documents: list[str] = field(default_factory=list)
    by_format: dict[str, FormatScores] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)

    @property
    def header_accuracy(self) -> float:
        right = sum(v[0] for v in self.fields.values())
        total = sum(v[1] for v in self.fields.values())
        return right / total if total else 1.0

    @property
    def discrepancy_total(self) -> PR:
        out = PR()
        for pr in self.discrepancies.values():
            out.tp += pr.tp
            out.predicted += pr.predicted
            out.expected += pr.expected
        return out


def document_record(source: str, doc: ExtractedDocument) -> dict[str, Any]:
    """An extracted document in the export's (and ground truth's) document shape."""

    def value(name: str) -> Any:
        f = doc.header_fields()[name]
        if f is None:
            return None
        return f.value.isoformat() if name == "date" else str(f.value)

    record: dict[str, Any] = {"source": source, "kind": str(doc.kind), "extractor": doc.extractor}
    record.update({n: value(n) for n in doc.header_fields()})
    record["lines"] = [
        {
            "line_no": ln.line_no,
            "sku": ln.sku,
            "description": ln.description,
            "quantity": str(ln.quantity),
            "unit_price": None if ln.unit_price is None else str(ln.unit_price),
            "amount": None if ln.amount is None else str(ln.amount),
        }
        for ln in doc.lines
    ]
    return record


def _line_key(line: Mapping[str, Any]) -> tuple[Any, ...]:
    return tuple(
        _norm(k, line.get(k))
        for k in ("line_no", "sku", "description", "quantity", "unit_price", "amount")
    )


def score(export: Mapping[str, Any], truth: Mapping[str, Any]) -> Scores:
    s = Scores()
    got = {d["source"]: d for d in export["documents"]}
    for want in truth["documents"]:
        doc = got.get(want["source"])
        if doc is None:
            s.missing_documents.append(want["source"])
            doc = {"lines": []}
        fmt = want.get("format") or document_format(doc.get("extractor"))
        per = s.by_format.setdefault(fmt, FormatScores())
        per.documents += 1
        for name in ("kind", *HEADER_FIELDS):
            right, total = s.fields.setdefault(name, [0, 0])
            ok = _norm(name, doc.get(name)) == _norm(name, want.get(name))
            s.fields[name] = [right + ok, total + 1]
            per.fields_right += ok
            per.fields_total += 1
            if not ok:
                s.errors.append(
                    f"{want['source']}: {name} = {doc.get(name)!r}, expected {want.get(name)!r}"
                )
        predicted = [_line_key(x) for x in doc["lines"]]
        expected = [_line_key(x) for x in want["lines"]]
        s.lines.add(predicted, expected)
        per.lines.add(predicted, expected)
        for line in sorted(set(expected) - set(predicted), key=str):
            s.errors.append(f"{want['source']}: line missed or wrong {line}")
        for line in sorted(set(predicted) - set(expected), key=str):
            s.errors.append(f"{want['source']}: line extracted {line}")

    def match_key(m: Mapping[str, Any]) -> tuple[Any, ...]:
        return (
            m["invoice_source"],
            m["invoice_line"],
            m["po"],
            m["po_line"],
            m.get("receipt"),
            m.get("receipt_line"),
        )

    s.matches.add(map(match_key, export["matches"]), map(match_key, truth["matches"]))

    def disc_key(d: Mapping[str, Any]) -> tuple[Any, ...]:
        return (d["invoice_source"], d["invoice_line"])

    types = {d["type"] for d in (*export["discrepancies"], *truth["discrepancies"])}
    for t in sorted(types):
        pr = s.discrepancies.setdefault(t, PR())
        predicted = [disc_key(d) for d in export["discrepancies"] if d["type"] == t]
        expected = [disc_key(d) for d in truth["discrepancies"] if d["type"] == t]
        pr.add(predicted, expected)
        for k in sorted(set(expected) - set(predicted), key=str):
            s.errors.append(f"discrepancy missed: {t} {k}")
        for k in sorted(set(predicted) - set(expected), key=str):
            s.errors.append(f"discrepancy raised in error: {t} {k}")

    asset_units = Counter((a["invoice_source"], a["invoice_line"]) for a in export["assets"])
    s.assets.add(
        (k for k, n in asset_units.items() for _ in range(n)),
        (
            (a["invoice_source"], a["invoice_line"])
            for a in truth["assets"]
            for _ in range(a["units"])
        ),
    )
    s.quarantine.add(
        ((q["source"], q.get("code")) for q in export["quarantine"]),
        ((q["source"], q["code"]) for q in truth["quarantine"]),
    )
    return s


def format_scores(s: Scores) -> str:
    out = ["header fields (accuracy):"]
    for name, (right, total) in s.fields.items():
        out.append(f"  {name:<10} {right:>4}/{total:<4} {right / total if total else 1:.3f}")
    out.append(f"  {'ALL':<10} {s.header_accuracy:.3f}")

    def pr(label: str, x: PR) -> str:
        return (
            f"{label:<22} precision {x.precision:.3f}  recall {x.recall:.3f}  F1 {x.f1:.3f}  "
            f"({x.tp} right, {x.predicted} found, {x.expected} expected)"
        )

    out.append(pr("line items", s.lines))
    if len(s.by_format) > 1 or "digital" not in s.by_format:
        out.append("by format:")
        for fmt, f in sorted(s.by_format.items()):
            out.append(
                f"  {fmt:<9} {f.documents:>3} documents  header {f.header_accuracy:.3f}  "
                f"lines P {f.lines.precision:.3f} R {f.lines.recall:.3f} F1 {f.lines.f1:.3f}"
            )
    out.append(pr("line matches", s.matches))
    out.append("discrepancies by type:")
    for t, x in s.discrepancies.items():
        out.append("  " + pr(t, x))
    out.append("  " + pr("ALL", s.discrepancy_total))
    out.append(pr("asset units", s.assets))
    out.append(pr("quarantine (file, code)", s.quarantine))
    if s.missing_documents:
        out.append(f"documents missing from the export: {', '.join(s.missing_documents)}")
    return "\n".join(out)
