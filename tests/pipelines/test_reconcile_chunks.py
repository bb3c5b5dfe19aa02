"""A month end reconciled chunk by chunk: the same result as one pass, wherever it runs.

On the seeded synthetic month of ``bench/reconcile_scale.py`` (no PO, copies,
credit notes, partial receipts, lines off the PO): chunks of one group each
give what one chunk gives; an interrupted run keeps its finished chunks and a
re-run finishes the month as a clean run would; the Prefect flow on a local
Dask cluster (``recon reconcile --runner dask``) gives the same rows again.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections import defaultdict
from types import ModuleType
from typing import Any

import pytest
from sqlalchemy import Engine, delete, func, select, update
from sqlalchemy.orm import Session, sessionmaker

import pipelines.reconcile as pipeline
from matching.normalise import normalise_vendor
from models.db import transaction
from models.queries import plan_reconcile
from models.tables import Asset, Discrepancy, Document, Match
from pipelines.reconcile import run_reconcile

#: Enough for every case (no PO, copies, credit notes) and a few dozen vendors.
LINES = 1500
SEED = 7


def _state(factory: sessionmaker[Session]) -> dict[str, Any]:
    """Every row reconcile writes, by natural keys, without timestamps."""
    with factory() as session:
        matches = sorted(
            session.execute(
                select(
                    Match.invoice_line_id,
                    Match.po_line_id,
                    Match.receipt_line_id,
                    Match.score,
                    Match.reason,
                )
            ).all()
        )
        discrepancies = sorted(
            session.execute(
                select(
                    Discrepancy.invoice_id,
                    Discrepancy.type,
                    Discrepancy.line_key,
                    Discrepancy.po_id,
                    Discrepancy.expected,
                    Discrepancy.actual,
                    Discrepancy.reason,
                    Discrepancy.status,
                )
            ).all()
        )
        assets = sorted(
            session.execute(
                select(
                    Asset.asset_tag, Asset.invoice_id, Asset.po_id, Asset.cost, Asset.held_reason
                )
            ).all()
        )
        unstamped = session.scalar(
            select(func.count())
            .select_from(Document)
            .where(Document.kind.in_(("invoice", "credit_note")), Document.reconciled_at.is_(None))
        )
    return {
        "matches": matches,
        "discrepancies": discrepancies,
        "assets": assets,
        "unstamped": unstamped,
    }


def _forget(factory: sessionmaker[Session]) -> None:
    """Back to a month never reconciled."""
    with transaction(factory) as session:
        for table in (Match, Asset, Discrepancy):
            session.execute(delete(table))
        session.execute(update(Document).values(reconciled_at=None))


@pytest.fixture
def month(bench: ModuleType, engine: Engine, factory: sessionmaker[Session]) -> dict[str, Any]:
    """The synthetic month, and the state one pass (one chunk) leaves."""
    truth = bench.generate(engine, LINES, SEED)
    assert truth.no_po and truth.duplicates and truth.documents["credit_note"]
    summary = run_reconcile(factory, chunk_lines=10**9)
    assert summary.chunks == 1
    state = _state(factory)
    assert state["matches"] and state["discrepancies"] and state["assets"]
    assert state["unstamped"] == 0
    _forget(factory)
    return state


def test_chunk_by_chunk_gives_what_one_pass_gives(
    month: dict[str, Any], factory: sessionmaker[Session]
) -> None:
    summary = run_reconcile(factory, chunk_lines=1)
    assert summary.chunks > 20  # a chunk per group of tied documents
    assert _state(factory) == month


def test_a_chunk_never_splits_what_depends_on_each_other(
    month: dict[str, Any], factory: sessionmaker[Session]
) -> None:
    """Each PO with every document citing it, each vendor's POs, in one chunk; and
    chunks stay small (no chaining of the month into one)."""
    with factory() as session:
        plan = plan_reconcile(session, chunk_lines=1)
        docs = {
            row.id: row
            for row in session.execute(
                select(Document.id, Document.kind, Document.vendor, Document.number_key,
                       Document.po_key)
            )
        }  # fmt: skip
    chunk_of_vendor: dict[str, set[int]] = defaultdict(set)
    chunk_of_po: dict[str, set[int]] = defaultdict(set)
    for index, chunk in enumerate(plan.chunks):
        for doc_id in (*chunk.invoices, *chunk.pos, *chunk.receipts):
            row = docs[doc_id]
            if row.vendor and row.kind == "po":
                chunk_of_vendor[normalise_vendor(row.vendor)].add(index)
            key = row.number_key if row.kind == "po" else row.po_key
            if key:
                chunk_of_po[key].add(index)
    assert len(plan.chunks) > 20
    assert all(len(chunks) == 1 for chunks in chunk_of_vendor.values())
    assert all(len(chunks) == 1 for chunks in chunk_of_po.values())
    billing = {d for d, row in docs.items() if row.kind in ("invoice", "credit_note")}
    assert {d for c in plan.chunks for d in c.invoices} == billing
    # Invoices citing another vendor's PO tie that PO's group only, not their own vendor's.
    assert max(c.lines for c in plan.chunks) < 0.1 * sum(c.lines for c in plan.chunks)


def test_an_interrupted_run_keeps_its_finished_chunks_and_a_rerun_finishes(
    month: dict[str, Any], factory: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch
) -> None:
    real = pipeline.reconcile_chunk
    calls = 0

    def dies_on_the_fifth(*args: Any, **kwargs: Any) -> Any:
        nonlocal calls
        calls += 1
        if calls == 5:
            raise RuntimeError("the machine went away")
        return real(*args, **kwargs)

    monkeypatch.setattr(pipeline, "reconcile_chunk", dies_on_the_fifth)
    with pytest.raises(RuntimeError, match="went away"):
        run_reconcile(factory, chunk_lines=1)
    halfway = _state(factory)
    total = len(month["matches"])
    assert 0 < len(halfway["matches"]) < total  # four chunks saved, the rest not
    assert halfway["unstamped"] > 0

    monkeypatch.setattr(pipeline, "reconcile_chunk", real)
    summary = run_reconcile(factory, chunk_lines=1)
    assert summary.invoices == halfway["unstamped"]  # the finished chunks are not redone
    assert _state(factory) == month
    assert run_reconcile(factory).invoices == 0  # nothing left to do


@pytest.mark.slow
def test_the_flow_on_a_local_dask_cluster_gives_the_same_rows(
    month: dict[str, Any], factory: sessionmaker[Session], db_url: str
) -> None:
    """``recon reconcile --runner dask``: two worker processes, one Prefect flow."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_API")}
    done = subprocess.run(
        [sys.executable, "-m", "pipelines.cli", "--db", db_url, "-q", "reconcile",
         "--runner", "dask", "--workers", "2"],
        capture_output=True, text=True, env=env, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    assert "reconciled" in done.stdout
    assert _state(factory) == month


@pytest.mark.slow
def test_the_flow_on_a_dask_cluster_at_an_address(
    month: dict[str, Any], factory: sessionmaker[Session], db_url: str
) -> None:
    """``--dask-address``: a scheduler recon did not start (here, the test's own)."""
    if not db_url.startswith("sqlite"):
        pytest.skip("the runner is the same on both backends; once is enough")
    from distributed import LocalCluster

    with LocalCluster(n_workers=1, threads_per_worker=1, processes=True) as cluster:  # type: ignore[no-untyped-call]
        done = subprocess.run(
            [sys.executable, "-m", "pipelines.cli", "--db", db_url, "-q", "reconcile",
             "--dask-address", cluster.scheduler_address],
            capture_output=True, text=True, timeout=300, check=False,
        )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    assert _state(factory) == month
