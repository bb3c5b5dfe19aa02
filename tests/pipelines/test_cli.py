"""The ``recon`` command line end to end on the sample month, on both backends.

The sample month is ingested and reconciled once per backend (module
scope); the tests then read what the commands produced.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlalchemy import select, update

from models.db import make_engine, session_factory
from models.tables import Asset, Discrepancy, Document, Quarantine
from pipelines.cli import main
from reports.accuracy import format_scores, score
from tests.conftest import BACKENDS, SAMPLES, drop_pg_schema, new_pg_schema_url

FOLDERS = [SAMPLES / f for f in ("pos", "receipts", "invoices", "bad")]
TRUTH: dict[str, Any] = json.loads((SAMPLES / "ground_truth.json").read_text())


def recon(*args: str) -> int:
    return main(["--engine", "local", "-q", *args])


class Month:
    def __init__(self, url: str, tmp: Path) -> None:
        self.url = url
        self.tmp = tmp

    def run(self, *args: str) -> int:
        return recon("--db", self.url, *args)

    def export(self) -> dict[str, Any]:
        out = self.tmp / f"export-{uuid.uuid4().hex[:6]}.json"
        assert self.run("export", "--output", str(out)) == 0
        data: dict[str, Any] = json.loads(out.read_text())
        return data


@pytest.fixture(scope="module", params=BACKENDS)
def month(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Month]:
    """GIVEN the sample month ingested with kind auto and reconciled."""
    tmp = tmp_path_factory.mktemp("month")
    schema = None
    if request.param == "sqlite":
        url = f"sqlite:///{tmp / 'recon.db'}"
    else:
        request.getfixturevalue("pg_schema_url")  # skips or fails when PG is unreachable
        schema = f"recon_month_{uuid.uuid4().hex[:8]}"
        url = new_pg_schema_url(schema)
    m = Month(url, tmp)
    assert m.run("init") == 0
    assert m.run("ingest", *map(str, FOLDERS)) == 0
    assert m.run("reconcile") == 0
    yield m
    if schema:
        drop_pg_schema(schema)


def test_export_matches_ground_truth(month: Month) -> None:
    """THEN fields, lines, matches, discrepancies, assets and quarantine agree with the truth."""
    scores = score(month.export(), TRUTH)
    report = format_scores(scores) + "\n" + "\n".join(scores.errors)
    assert not scores.missing_documents, report
    assert scores.header_accuracy >= 0.97, report
    assert scores.lines.f1 >= 0.95, report
    assert scores.matches.f1 >= 0.95, report
    assert scores.discrepancy_total.f1 >= 0.95, report
    assert scores.assets.f1 >= 0.95, report
    assert scores.quarantine.f1 == 1.0, report
    expected_types = {d["type"] for d in TRUTH["discrepancies"]}
    assert expected_types == {
        "no_po", "unmatched_line", "price_variance", "quantity_variance", "not_received",
        "duplicate_invoice", "total_mismatch", "vendor_mismatch", "currency_mismatch",
        "unknown_credited_invoice",
    }  # fmt: skip


def test_export_has_the_documented_shape(month: Month) -> None:
    data = month.export()
    assert set(data) == {"documents", "matches", "discrepancies", "assets", "quarantine"}
    doc_keys = {"kind", "source", "vendor", "number", "date", "po_number", "currency",
                "subtotal", "tax", "total", "lines"}  # fmt: skip
    money = re.compile(r"^-?\d+\.\d{2,}$")
    for doc in data["documents"]:
        assert doc_keys <= set(doc)
        assert doc["kind"] in {"invoice", "credit_note", "po", "receipt"}
        # additions: every PO cited (po_number first), the invoice a credit note credits
        assert doc["po_numbers"][:1] == ([doc["po_number"]] if doc["po_number"] else [])
        assert doc["credited_invoice"] is None or doc["kind"] == "credit_note"
        if doc["date"] is not None:
            assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", doc["date"])
        for key in ("subtotal", "tax", "total"):
            assert doc[key] is None or money.match(doc[key]), (doc["source"], key, doc[key])
        assert [ln["line_no"] for ln in doc["lines"]] == list(range(1, len(doc["lines"]) + 1))
        for ln in doc["lines"]:
            assert {"line_no", "sku", "description", "quantity", "unit_price", "amount",
                    "po_number"} <= set(ln)  # fmt: skip
            assert re.fullmatch(r"-?\d+(\.\d+)?", ln["quantity"])
    for m in data["matches"]:
        assert {
            "invoice",
            "invoice_line",
            "po",
            "po_line",
            "receipt",
            "receipt_line",
            "score",
        } <= set(m)
        assert isinstance(m["score"], float)
    for d in data["discrepancies"]:
        assert {"type", "invoice", "invoice_line", "po", "expected", "actual", "status"} <= set(d)
        assert d["status"] in {"open", "approved", "rejected"}
        assert d["reason"]
    for a in data["assets"]:
        assert {"asset_tag", "invoice", "invoice_line", "po", "vendor", "description", "sku",
                "cost", "currency"} <= set(a)  # fmt: skip
        assert money.match(a["cost"]) and float(a["cost"]) >= 100
    assert len({a["asset_tag"] for a in data["assets"]}) == len(data["assets"])
    for q in data["quarantine"]:
        assert q["source"] and q["reason"]


def test_every_input_is_a_document_or_a_quarantine_row(month: Month) -> None:
    files = [p for folder in FOLDERS for p in folder.rglob("*") if p.is_file()]
    data = month.export()
    sources = [d["source"] for d in data["documents"]] + [q["source"] for q in data["quarantine"]]
    assert sorted(sources) == sorted(p.name for p in files)


def test_reingest_and_reconcile_again_change_nothing(
    month: Month, capsys: pytest.CaptureFixture[str]
) -> None:
    """WHEN the same folders are ingested and reconciled again THEN nothing is added twice."""
    before = month.export()
    capsys.readouterr()
    assert month.run("ingest", *map(str, FOLDERS)) == 0
    out = capsys.readouterr().out
    assert " 0 ingested" in out and "already ingested" in out
    assert month.run("reconcile", "--all") == 0
    after = month.export()
    assert after["documents"] == before["documents"]
    assert after["assets"] == before["assets"]
    assert after["discrepancies"] == before["discrepancies"]
    assert after["quarantine"] == before["quarantine"]


def test_quarantine_reasons_say_what_to_do(month: Month) -> None:
    data = month.export()
    by_source = {q["source"]: q for q in data["quarantine"]}
    for want in TRUTH["quarantine"]:
        got = by_source[want["source"]]
        assert got["code"] == want["code"]
        assert len(got["reason"]) > 30, got


@pytest.mark.parametrize("fmt", ["csv", "html", "json", "xlsx", "table"])
def test_report_formats(month: Month, fmt: str, tmp_path: Path) -> None:
    out = tmp_path / f"report.{fmt}"
    assert month.run("report", "--format", fmt, "--output", str(out)) == 0
    open_count = sum(1 for d in month.export()["discrepancies"] if d["status"] == "open")
    assert open_count > 0
    if fmt == "csv":
        assert len(out.read_text().strip().splitlines()) == open_count + 1
    elif fmt == "json":
        data = json.loads(out.read_text())
        assert data["summary"]["discrepancies"] == open_count
        assert sum(t["count"] for t in data["by_type"]) == open_count
    elif fmt == "xlsx":
        wb = load_workbook(out)
        assert {"Summary", "Discrepancies", "By type", "By vendor", "Quarantine"} <= set(
            wb.sheetnames
        )
        assert wb["Discrepancies"].max_row == open_count + 1
    else:
        text = out.read_text()
        for t in {d["type"] for d in TRUTH["discrepancies"]}:
            title = {"no_po": "No PO", "price_variance": "Price variance"}.get(t)
            if title:
                assert title in text


def test_person_decisions_survive_reconcile_and_release_holds(month: Month) -> None:
    """GIVEN an invoice held by a header-level discrepancy WHEN finance approves it
    THEN re-reconciling keeps the decision and its verified lines reach the register."""
    engine = make_engine(month.url)
    factory = session_factory(engine)
    with factory() as session:
        held = session.execute(
            select(Discrepancy.id, Discrepancy.invoice_id).where(
                Discrepancy.type == "total_mismatch"
            )
        ).first()
    assert held is not None
    disc_id, invoice_id = held
    with factory() as session, session.begin():
        session.execute(
            update(Discrepancy).where(Discrepancy.id == disc_id).values(status="approved")
        )
    assert month.run("reconcile", "--all") == 0
    with factory() as session:
        assert session.get(Discrepancy, disc_id).status == "approved"  # type: ignore[union-attr]
        others_open = session.scalars(
            select(Discrepancy).where(
                Discrepancy.invoice_id == invoice_id, Discrepancy.status == "open"
            )
        ).all()
        assets = session.scalars(select(Asset).where(Asset.invoice_id == invoice_id)).all()
    if not others_open:
        assert assets, "approved invoice with no other open discrepancy should register its assets"
    # and back, so other tests see the month as it was (assets stay: the register only grows)
    with factory() as session, session.begin():
        session.execute(update(Discrepancy).where(Discrepancy.id == disc_id).values(status="open"))
        session.execute(Asset.__table__.delete().where(Asset.invoice_id == invoice_id))
    engine.dispose()


def test_only_bad_files_exits_nonzero(db_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert recon("--db", db_url, "ingest", str(SAMPLES / "bad")) == 1
    out = capsys.readouterr().out
    assert "quarantined" in out and " 0 ingested" in out
    engine = make_engine(db_url)
    with session_factory(engine)() as session:
        assert session.scalars(select(Document)).all() == []
        codes = {q.source: q.code for q in session.scalars(select(Quarantine))}
    engine.dispose()
    assert codes == {q["source"]: q["code"] for q in TRUTH["quarantine"]}


def test_one_bad_file_does_not_stop_the_batch(db_url: str, tmp_path: Path) -> None:
    folder = tmp_path / "inbox"
    folder.mkdir()
    good = next((SAMPLES / "invoices").glob("*.pdf"))
    shutil.copy(good, folder / good.name)
    (folder / "truncated.pdf").write_bytes(good.read_bytes()[:900])
    (folder / "zero.pdf").write_bytes(b"")
    assert recon("--db", db_url, "ingest", str(folder)) == 0
    engine = make_engine(db_url)
    with session_factory(engine)() as session:
        assert [d.source for d in session.scalars(select(Document))] == [good.name]
        assert sorted(q.source for q in session.scalars(select(Quarantine))) == [
            "truncated.pdf",
            "zero.pdf",
        ]
    engine.dispose()


def test_missing_path_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert recon("--db", f"sqlite:///{tmp_path / 'x.db'}", "ingest", str(tmp_path / "nope")) == 2
    assert "no such file or folder" in capsys.readouterr().err


def test_unreachable_database_is_a_clear_error(capsys: pytest.CaptureFixture[str]) -> None:
    code = recon("--db", "postgresql+psycopg://nobody@127.0.0.1:1/none", "reconcile")
    assert code == 2
    err = capsys.readouterr().err
    assert "cannot open the database" in err and "RECON_DATABASE_URL" in err


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("--dask-address", "tcp://127.0.0.1:9"), "cannot reach the Dask scheduler"),
        (("--dask-address", "tcp://:x"), "is not an address"),
        (("--runner", "dask", "--workers", "0"), "--workers must be at least 1"),
    ],
)
def test_a_dask_runner_that_cannot_work_is_a_clear_error(
    args: tuple[str, ...], says: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Said at once, not after Dask's 30 s connect timeout and a flow traceback."""
    assert recon("--db", f"sqlite:///{tmp_path / 'x.db'}", "reconcile", "--all", *args) == 2
    assert says in capsys.readouterr().err


def test_console_script_help_is_fast_and_helpful() -> None:
    recon_bin = Path(sys.executable).parent / "recon"
    out = subprocess.run(
        [str(recon_bin), "--help"], capture_output=True, text=True, check=True
    ).stdout
    for command in ("init", "ingest", "reconcile", "report", "export", "month-end"):
        assert command in out
    assert "RECON_DATABASE_URL" in out


def test_one_file_ingest_imports_nothing_heavy(tmp_path: Path) -> None:
    """A one-file ingest must not pay for Prefect (import, API server), SciPy or pandas."""
    invoice = next((SAMPLES / "invoices").glob("*.pdf"))
    argv = ["--engine", "local", "-q", "--db", f"sqlite:///{tmp_path}/x.db", "ingest", str(invoice)]
    code = (
        "import sys; from pipelines.cli import main; "
        f"rc = main({argv!r}); "
        "assert rc == 0, rc; "
        "heavy = {'prefect', 'scipy', 'pandas'} & set(sys.modules); assert not heavy, heavy"
    )
    subprocess.run([sys.executable, "-c", code], check=True, env={"PATH": "/usr/bin:/bin"})


def test_oversized_file_is_quarantined_unread(
    db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    invoice = next((SAMPLES / "invoices").glob("*.pdf"))
    monkeypatch.setenv("RECON_EXTRACT_MAX_BYTES", "2000")
    assert recon("--db", db_url, "ingest", str(invoice)) == 1
    engine = make_engine(db_url)
    with session_factory(engine)() as session:
        [q] = session.scalars(select(Quarantine)).all()
    engine.dispose()
    assert q.code == "too_large"
    assert "RECON_EXTRACT_MAX_BYTES" in q.reason


def test_kind_hint_and_evidence_are_stored(db_url: str) -> None:
    """GIVEN receipts ingested with --kind receipt THEN each is a receipt, and each
    header field keeps its raw text, confidence, page and box, and every word is kept."""
    from models.tables import DocumentEvidence

    assert recon("--db", db_url, "ingest", "--kind", "receipt", str(SAMPLES / "receipts")) == 0
    engine = make_engine(db_url)
    with session_factory(engine)() as session:
        docs = session.scalars(select(Document)).all()
        evidence = {e.document_id: e.words for e in session.scalars(select(DocumentEvidence))}
    engine.dispose()
    assert docs and {d.kind for d in docs} == {"receipt"}
    for doc in docs:
        number = doc.fields["number"]
        assert number["value"] == doc.number and number["raw"]
        assert number["page"] == 1 and len(number["box"]) == 4
        assert 0 < number["confidence"] <= 1
        words = evidence[doc.id]
        assert any(w[0] == doc.number for w in words), "the number's word is kept with its box"
        assert all(len(w) == 7 for w in words)


def test_late_receipts_are_picked_up_by_a_plain_reconcile(db_url: str, tmp_path: Path) -> None:
    """GIVEN POs and invoices reconciled before any goods receipt was ingested
    WHEN the receipts arrive and `recon reconcile` runs (no --all)
    THEN the invoices are re-evaluated and the result equals the ground truth."""
    m = Month(db_url, tmp_path)
    assert m.run("ingest", str(SAMPLES / "pos"), str(SAMPLES / "invoices")) == 0
    assert m.run("reconcile") == 0
    early = m.export()
    not_received = [d for d in early["discrepancies"] if d["type"] == "not_received"]
    assert len(not_received) > len(
        [d for d in TRUTH["discrepancies"] if d["type"] == "not_received"]
    )
    assert early["assets"] == []

    assert m.run("ingest", str(SAMPLES / "receipts")) == 0
    assert m.run("reconcile") == 0
    scores = score(m.export(), TRUTH)
    report = format_scores(scores) + "\n" + "\n".join(scores.errors)
    assert scores.discrepancy_total.f1 == 1.0, report
    assert scores.assets.f1 == 1.0, report
    assert scores.matches.f1 == 1.0, report
