"""Reconcile: match, raise discrepancies, push verified items to the register.

A run is planned (:func:`models.queries.plan_reconcile`: chunks of documents
that share nothing), then each chunk is reconciled in a transaction of its
own (:func:`reconcile_chunk`): load, match, save, register. A crash leaves
every finished chunk saved and the others as they were; a re-run picks up
what was not stamped, and redoing a chunk is idempotent. One run at a time
per database (:func:`models.locks.run_lock`), held from plan to last chunk.

:func:`run_reconcile` runs the chunks one after the other in this process;
the ``reconcile`` Prefect flow (:mod:`pipelines.flows`) runs the same
:func:`reconcile_chunk` as one task per chunk, on threads or on a Dask
cluster.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, fields
from datetime import datetime

from sqlalchemy.orm import Session, sessionmaker

from matching import asset_candidates, reconcile
from matching.settings import MatchingSettings
from models.base import utcnow
from models.db import transaction
from models.locks import run_lock
from models.queries import (
    CHUNK_LINES,
    Chunk,
    Plan,
    load_chunk,
    plan_reconcile,
    register_assets,
    save_result,
)


@dataclass(frozen=True, slots=True)
class ReconcileSummary:
    invoices: int
    evaluated: int
    matches: int
    discrepancies: int
    discrepancies_new: int
    discrepancies_resolved: int
    assets_new: int
    #: Invoices on file at all (set when there was nothing to reconcile).
    on_file: int = 0
    decisions_reopened: int = 0
    assets_held: int = 0
    assets_released: int = 0
    #: Chunks the run was cut into.
    chunks: int = 0


def combine(summaries: Iterable[ReconcileSummary], plan: Plan) -> ReconcileSummary:
    """One run's summary from its chunks' summaries."""
    names = [f.name for f in fields(ReconcileSummary) if f.name not in ("on_file", "chunks")]
    total = dict.fromkeys(names, 0)
    for summary in summaries:
        for name in names:
            total[name] += getattr(summary, name)
    return ReconcileSummary(**total, on_file=plan.on_file, chunks=len(plan.chunks))


def default_settings(settings: MatchingSettings | None) -> MatchingSettings:
    """``settings``, else the configured ones (RECON_MATCH_*, the TOML file)."""
    if settings is not None:
        return settings
    from pipelines.settings import matching_settings

    return matching_settings()


def plan(
    factory: sessionmaker[Session], *, everything: bool = False, chunk_lines: int = CHUNK_LINES
) -> tuple[Plan, datetime]:
    """The run's chunks, and when their input was read (the targets' stamp)."""
    with factory() as session:
        started = utcnow()
        return plan_reconcile(session, everything=everything, chunk_lines=chunk_lines), started


def reconcile_chunk(
    factory: sessionmaker[Session], chunk: Chunk, settings: MatchingSettings, started: datetime
) -> ReconcileSummary:
    """Reconcile one chunk in one transaction: load, match, save, register."""
    with transaction(factory) as session:
        matcher_input = load_chunk(session, chunk)
        result = reconcile(
            matcher_input.invoices, matcher_input.pos, matcher_input.receipts, settings
        )
        saved = save_result(session, matcher_input, result, started=started)
        candidates = asset_candidates(matcher_input.invoices, result, saved.decisions, settings)
        assets_new, held, released = register_assets(
            session,
            candidates,
            matcher_input.invoices,
            matcher_input.line_ids,
            now=utcnow(),
        )
        return ReconcileSummary(
            invoices=len(chunk.targets),
            evaluated=len(chunk.invoices),
            matches=saved.matches,
            discrepancies=len(result.discrepancies),
            discrepancies_new=saved.new,
            discrepancies_resolved=saved.resolved,
            assets_new=assets_new,
            decisions_reopened=saved.reopened,
            assets_held=held,
            assets_released=released,
        )


def run_reconcile(
    factory: sessionmaker[Session],
    *,
    everything: bool = False,
    settings: MatchingSettings | None = None,
    progress: Callable[[int, int], None] | None = None,
    chunk_lines: int = CHUNK_LINES,
) -> ReconcileSummary:
    """Reconcile the invoices not reconciled yet (all with ``everything``), here.

    ``progress(done, total)`` is called with the lines reconciled so far, once
    the run is planned and after each chunk.
    """
    settings = default_settings(settings)
    engine = factory.kw["bind"]
    # One reconcile at a time: a second one waits here, then plans from what
    # the first committed (no stale reads, no double registration).
    with run_lock(engine, "reconcile"):
        the_plan, started = plan(factory, everything=everything, chunk_lines=chunk_lines)
        total = sum(chunk.lines for chunk in the_plan.chunks)
        done = 0
        summaries = []
        for chunk in the_plan.chunks:
            if progress is not None:
                progress(done, total)
            summaries.append(reconcile_chunk(factory, chunk, settings, started))
            done += chunk.lines
        if progress is not None:
            progress(done, total)
        return combine(summaries, the_plan)
