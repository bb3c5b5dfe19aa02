"""Accuracy and speed of the whole pipeline on data/samples/.

    uv run python bench/accuracy.py [--db URL] [--verbose]

Ingests the sample month into a fresh database (SQLite in a temporary folder
unless --db), reconciles, exports, scores the export against
data/samples/ground_truth.json, and prints the figures with seconds per
document. The baseline printed next to extraction is pdfplumber's own
``extract_words`` over the same files in the same run: the floor that any
layout logic on top of it adds to.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

import pdfplumber

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from models.db import make_engine, migrate, session_factory  # noqa: E402
from models.read import export_state  # noqa: E402
from pipelines.ingest import collect_files, ingest_files  # noqa: E402
from pipelines.reconcile import run_reconcile  # noqa: E402
from reports.accuracy import document_format, format_scores, score  # noqa: E402

SAMPLES = ROOT / "data" / "samples"
FOLDERS = ["pos", "receipts", "invoices", "bad"]


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", help="database URL (default: a temporary SQLite file)")
    parser.add_argument("--verbose", action="store_true", help="list every mismatch")
    args = parser.parse_args()

    files = collect_files(SAMPLES / f for f in FOLDERS)
    good = [f for f in files if f.parent.name != "bad"]
    with tempfile.TemporaryDirectory() as tmp:
        url = args.db or f"sqlite:///{tmp}/bench.db"
        engine = make_engine(url)
        migrate(engine)
        factory = session_factory(engine)

        t0 = time.perf_counter()
        for f in good:
            if not f.read_bytes().startswith(b"%PDF-"):
                continue  # a scanned picture or an XML e-invoice: no PDF words to floor
            with pdfplumber.open(f) as pdf:
                for page in pdf.pages:
                    page.extract_words()
        floor = time.perf_counter() - t0

        t0 = time.perf_counter()
        results = ingest_files(factory, files)
        ingest_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        run_reconcile(factory, everything=True)
        reconcile_s = time.perf_counter() - t0
        with factory() as session:
            export = export_state(session)
        engine.dispose()

    truth = json.loads((SAMPLES / "ground_truth.json").read_text())
    scores = score(export, truth)
    print(format_scores(scores))
    if args.verbose and scores.errors:
        print("\nmismatches:")
        for e in scores.errors:
            print("  " + e)
    by_source = {d["source"]: d for d in export["documents"]}
    per_format: dict[str, list[float]] = {}
    for r in results:
        doc = by_source.get(r.source)
        if doc is None:
            continue
        fmt = document_format(doc.get("extractor"))
        seconds, pages = per_format.setdefault(fmt, [0.0, 0.0])
        per_format[fmt] = [seconds + r.seconds, pages + (doc.get("page_count") or 1)]
    print("\nseconds per page by format:")
    for fmt, (seconds, pages) in sorted(per_format.items()):
        print(f"  {fmt:<9} {seconds / pages:.3f} s/page over {pages:.0f} pages")
    billing = [d["source"] for d in export["documents"] if d["kind"] in ("invoice", "credit_note")]
    flagged = {d["invoice_source"] for d in export["discrepancies"]}
    clean = sum(1 for source in billing if source not in flagged)
    straight = clean / len(billing) if billing else 1.0
    print(
        f"\nstraight-through: {clean} of {len(billing)} invoices and credit notes raise nothing"
        f" ({straight:.3f}); the sample month is built to exercise every discrepancy type"
    )
    n = len(files)
    print(
        f"\nspeed: {n} files ({len(good)} documents, {n - len(good)} bad) "
        f"ingested in {ingest_s:.2f} s = {ingest_s / n:.3f} s per file; "
        f"pdfplumber extract_words alone over the "
        f"{len(good)} documents: {floor:.2f} s ({floor / max(len(good), 1):.3f} s per document, "
        f"recon/floor = {ingest_s / floor if floor else 0:.2f}x); reconcile {reconcile_s:.2f} s"
    )
    print(
        f"header_accuracy={scores.header_accuracy:.3f} line_f1={scores.lines.f1:.3f} "
        f"discrepancy_f1={scores.discrepancy_total.f1:.3f} straight_through={straight:.3f} "
        f"seconds_per_file={ingest_s / n:.3f}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
