"""Prefect flows: ``ingest_documents``, ``reconcile``, ``month_end``.

Orchestration only. The work is done by the plain functions in
:mod:`pipelines.ingest` and :mod:`pipelines.reconcile`; the flows fan out
over batches of files (a task per batch, never per line), add retries where
there is I/O worth retrying, and publish a summary artifact. They run in
Prefect's ephemeral mode when ``PREFECT_API_URL`` is unset, or against the
server it names.
"""

from __future__ import annotations

# Before Prefect loads its settings: no telemetry, and no empty PREFECT_API_URL.
import pipelines.prefect_env  # noqa: F401  # isort: skip

import logging
import os
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import ParamSpec, TypeVar

from prefect import Flow, flow, get_run_logger, task, unmapped
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE
from prefect.settings import temporary_settings

from extractors.types import DocumentKind
from matching.settings import MatchingSettings
from models.db import make_engine, session_factory
from models.locks import run_lock
from models.queries import Chunk
from models.read import report_data
from models.settings import DatabaseSettings
from pipelines.ingest import IngestResult, Outcome, collect_files, ingest_files
from pipelines.reconcile import (
    ReconcileSummary,
    combine,
    default_settings,
    plan,
    reconcile_chunk,
)
from reports.render import by_type, summary

BATCH_SIZE = 25
P = ParamSpec("P")
R = TypeVar("R")


@contextmanager
def quiet_prefect() -> Iterator[None]:
    """No heartbeat thread: it costs every synchronous flow run about a second."""
    with temporary_settings(updates={"flows.heartbeat_frequency": None}):
        yield


def _url(db_url: str | None) -> str:
    """The database: the flow's parameter, else RECON_DATABASE_URL of the process running it.

    ``recon serve`` passes None, so no database password is ever stored on the
    Prefect server as a flow parameter.
    """
    return db_url or str(DatabaseSettings().url)


@task(name="ingest-batch", retries=1, retry_delay_seconds=[2])
def ingest_batch(
    db_url: str | None, paths: Sequence[str], kind: DocumentKind | None
) -> list[IngestResult]:
    """Ingest one batch of files (a bad file is quarantined, never raised)."""
    factory = session_factory(make_engine(_url(db_url)))
    return ingest_files(factory, [Path(p) for p in paths], kind=kind)


@flow(name="ingest_documents", log_prints=False)
def ingest_documents(
    paths: list[str],
    db_url: str | None = None,
    kind: DocumentKind | None = None,
    batch_size: int = BATCH_SIZE,
) -> list[IngestResult]:
    """Ingest files and folders: each file becomes a document or a quarantine row."""
    logger = get_run_logger()
    files = [str(p) for p in collect_files(Path(p) for p in paths)]
    batches = [files[i : i + batch_size] for i in range(0, len(files), batch_size)]
    logger.info("ingesting %d files in %d batches", len(files), len(batches))
    futures = [ingest_batch.submit(db_url, batch, kind) for batch in batches]
    results = [r for f in futures for r in f.result()]
    counts = Counter(r.outcome for r in results)
    logger.info(
        "%d ingested, %d already there, %d quarantined",
        counts[Outcome.INGESTED],
        counts[Outcome.ALREADY],
        counts[Outcome.QUARANTINED],
    )
    return results


@task(name="reconcile-chunk", cache_policy=NO_CACHE)
def reconcile_chunk_task(
    db_url: str | None, chunk: Chunk, settings: MatchingSettings, started: datetime
) -> ReconcileSummary:
    """Reconcile one chunk in its own transaction, wherever the task runner put it."""
    engine = make_engine(_url(db_url))
    try:
        return reconcile_chunk(session_factory(engine), chunk, settings, started)
    finally:
        engine.dispose()


@flow(name="reconcile")
def reconcile(db_url: str | None = None, everything: bool = False) -> ReconcileSummary:
    """Three-way match the open invoices, raise discrepancies, fill the register.

    One task per chunk (:func:`models.queries.plan_reconcile`), on the flow's
    task runner: threads by default, a Dask cluster with :func:`on_dask`. The
    run lock is held here, by the flow, from the plan to the last chunk.
    """
    logger = get_run_logger()
    url = _url(db_url)
    engine = make_engine(url)
    settings = default_settings(None)
    try:
        with run_lock(engine, "reconcile"):
            the_plan, started = plan(session_factory(engine), everything=everything)
            chunks = len(the_plan.chunks)
            logger.info(
                "%d invoices to reconcile in %d chunk%s (%d lines)",
                the_plan.targets,
                chunks,
                "" if chunks == 1 else "s",
                sum(c.lines for c in the_plan.chunks),
            )
            # The URL goes to the tasks: a Dask worker on another machine has
            # no RECON_DATABASE_URL. Task parameters are not stored by Prefect.
            futures = reconcile_chunk_task.map(
                url, list(the_plan.chunks), unmapped(settings), unmapped(started)
            )
            result = combine((f.result() for f in futures), the_plan)
    finally:
        engine.dispose()
    logger.info("%s", result)
    return result


def on_dask(
    flow_fn: Flow[P, R], address: str | None = None, workers: int | None = None
) -> Flow[P, R]:
    """``flow_fn`` with its tasks on Dask: the cluster at ``address``, else a local
    cluster of ``workers`` processes (default: one per core), one thread each.

    Each worker process runs one chunk at a time with all of a core; Tesseract
    and cdist then do not fight over cores.
    """
    from prefect_dask.task_runners import DaskTaskRunner

    # The scheduler's chatter (workers joining, comms opening) is not the user's concern.
    logging.getLogger("distributed").setLevel(logging.WARNING)
    if address:
        runner = DaskTaskRunner(address=address)
    else:
        runner = DaskTaskRunner(
            cluster_kwargs={
                "n_workers": workers or os.cpu_count() or 1,
                "threads_per_worker": 1,
                "processes": True,
                "silence_logs": logging.WARNING,
            }
        )
    # DaskTaskRunner runs PrefectDaskFutures, which Flow's annotation does not admit.
    return flow_fn.with_options(task_runner=runner)  # type: ignore[arg-type]


@dataclass(frozen=True, slots=True)
class MonthEndResult:
    ingested: list[IngestResult]
    reconciled: ReconcileSummary


@flow(name="month_end")
def month_end(
    paths: list[str], db_url: str | None = None, kind: DocumentKind | None = None
) -> MonthEndResult:
    """Ingest the month's documents, reconcile everything, publish the report summary."""
    ingested = ingest_documents(paths, db_url, kind)
    result = reconcile(db_url, everything=True)
    with session_factory(make_engine(_url(db_url)))() as session:
        data = report_data(session)
    s = summary(data)
    lines = [
        "# Month-end reconciliation",
        "",
        f"- invoices: {s['invoices']} ({s['invoices_clean']} clean)",
        f"- open discrepancies: {s['discrepancies']}",
        f"- assets registered: {s['assets_registered']}",
        f"- files quarantined: {s['files_quarantined']}",
        "",
        "| type | discrepancies | invoices |",
        "|---|---|---|",
        *(f"| {r['title']} | {r['count']} | {r['invoices']} |" for r in by_type(data)),
    ]
    create_markdown_artifact("\n".join(lines), key="month-end-report")
    return MonthEndResult(ingested, result)
