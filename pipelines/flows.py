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

from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact
from prefect.settings import temporary_settings

from extractors.types import DocumentKind
from models.db import make_engine, session_factory
from models.read import report_data
from models.settings import DatabaseSettings
from pipelines.ingest import IngestResult, Outcome, collect_files, ingest_files
from pipelines.reconcile import ReconcileSummary, run_reconcile
from reports.render import by_type, summary

BATCH_SIZE = 25


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


@task(name="reconcile-batch")
def reconcile_task(db_url: str | None, everything: bool) -> ReconcileSummary:
    return run_reconcile(session_factory(make_engine(_url(db_url))), everything=everything)


@flow(name="reconcile")
def reconcile(db_url: str | None = None, everything: bool = False) -> ReconcileSummary:
    """Three-way match the open invoices, raise discrepancies, fill the register."""
    result = reconcile_task(db_url, everything)
    get_run_logger().info("%s", result)
    return result


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
