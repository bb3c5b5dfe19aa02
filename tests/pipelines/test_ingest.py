"""Ingest over time: fixed files, corrected kinds, broken links, runs at once."""

from __future__ import annotations

import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from sqlalchemy import select

from extractors.types import DocumentKind
from models.db import make_engine, session_factory
from models.tables import Document, Quarantine
from pipelines.cli import main
from pipelines.ingest import Outcome, collect_files, ingest_files
from tests.conftest import SAMPLES

PO = SAMPLES / "pos" / sorted(p.name for p in (SAMPLES / "pos").iterdir())[0]


def rows(db_url: str) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    engine = make_engine(db_url)
    with session_factory(engine)() as session:
        docs = [(d.source, d.kind) for d in session.scalars(select(Document).order_by(Document.id))]
        quarantined = [(q.source, q.code) for q in session.scalars(select(Quarantine))]
    engine.dispose()
    return docs, quarantined


def test_a_fixed_file_leaves_quarantine(db_url: str, tmp_path: Path) -> None:
    """GIVEN invoice.pdf quarantined as corrupt WHEN it is replaced by a good file
    and ingested again THEN it is a document and no longer in quarantine."""
    target = tmp_path / "invoice.pdf"
    shutil.copy(SAMPLES / "bad" / "corrupt.pdf", target)
    assert main(["--db", db_url, "-q", "ingest", str(target)]) == 1
    assert rows(db_url) == ([], [("invoice.pdf", "corrupt")])
    shutil.copy(PO, target)
    assert main(["--db", db_url, "-q", "ingest", str(target)]) == 0
    assert rows(db_url) == ([("invoice.pdf", "po")], [])


def test_a_wrong_kind_can_be_corrected(db_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", db_url, "-q", "ingest", "--kind", "invoice", str(PO)]) == 0
    assert rows(db_url)[0] == [(PO.name, "invoice")]
    assert main(["--db", db_url, "-q", "ingest", str(PO)]) == 0  # auto: no change
    assert rows(db_url)[0] == [(PO.name, "invoice")]
    capsys.readouterr()
    assert main(["--db", db_url, "-q", "ingest", "--kind", "po", str(PO)]) == 0
    assert rows(db_url)[0] == [(PO.name, "po")]
    assert "re-read as po (was invoice)" in capsys.readouterr().out


def test_a_broken_link_is_quarantined_not_skipped(db_url: str, tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "gone.pdf").symlink_to(tmp_path / "nowhere.pdf")
    shutil.copy(PO, inbox / PO.name)
    assert sorted(p.name for p in collect_files([inbox])) == sorted(["gone.pdf", PO.name])
    assert main(["--db", db_url, "-q", "ingest", str(inbox)]) == 0
    docs, quarantined = rows(db_url)
    assert docs == [(PO.name, "po")]
    assert quarantined == [("gone.pdf", "unreadable")]


def test_ingests_at_once_store_each_file_once(db_url: str) -> None:
    """Four runs over the same files at the same time: one row per file, no crash."""
    files = [*sorted((SAMPLES / "pos").glob("*.pdf"))[:4], *sorted((SAMPLES / "bad").iterdir())[:3]]

    def run(_: int) -> list[Outcome]:
        engine = make_engine(db_url)
        try:
            return [r.outcome for r in ingest_files(session_factory(engine), files)]
        finally:
            engine.dispose()

    with ThreadPoolExecutor(max_workers=4) as pool:
        outcomes = list(pool.map(run, range(4)))
    assert all(len(o) == len(files) for o in outcomes)
    docs, quarantined = rows(db_url)
    assert len(docs) == 4 and len(set(docs)) == 4
    assert len(quarantined) == 3 and len(set(quarantined)) == 3
    ingested = sum(o.count(Outcome.INGESTED) for o in outcomes)
    assert ingested == 4


def test_unwritable_output_and_bad_url_are_clear_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = f"sqlite:///{tmp_path / 'r.db'}"
    assert main(["--db", db, "report", "-f", "csv", "-o", str(tmp_path / "no" / "x.csv")]) == 2
    assert "cannot write" in capsys.readouterr().err
    assert main(["--db", db, "export", "-o", str(tmp_path)]) == 2
    assert "cannot write" in capsys.readouterr().err
    for url in ("notaurl", "foo://x"):
        assert main(["--db", url, "reconcile"]) == 2
        err = capsys.readouterr().err
        assert "not a database URL" in err and "sqlite:///" in err


def test_report_does_not_call_unreconciled_invoices_clean(
    db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    invoice = sorted((SAMPLES / "invoices").glob("*.pdf"))[0]
    assert main(["--db", db_url, "-q", "ingest", str(invoice)]) == 0
    capsys.readouterr()
    assert main(["--db", db_url, "report", "-f", "json"]) == 0
    import json

    summary = json.loads(capsys.readouterr().out)["summary"]
    assert summary["invoices"] == 1
    assert summary["invoices_clean"] == 0
    assert summary["invoices_not_reconciled"] == 1


def test_kind_hint_is_passed_through(db_url: str, tmp_path: Path) -> None:
    engine = make_engine(db_url)
    [result] = ingest_files(session_factory(engine), [PO], kind=DocumentKind.RECEIPT)
    engine.dispose()
    assert result.kind == "receipt"
