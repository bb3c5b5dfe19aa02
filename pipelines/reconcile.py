"""Reconcile: match, raise discrepancies, push verified items to the register.

A plain function over a session factory: one transaction per run, so a
crash leaves the previous state intact and a re-run is idempotent.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from matching import asset_candidates, reconcile
from matching.settings import MatchingSettings
from models.base import utcnow
from models.db import transaction
from models.queries import (
    decisions,
    load_matcher_input,
    register_assets,
    save_result,
    take_run_lock,
)
from models.tables import Document


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


def run_reconcile(
    factory: sessionmaker[Session],
    *,
    everything: bool = False,
    settings: MatchingSettings | None = None,
) -> ReconcileSummary:
    """Reconcile the invoices not reconciled yet (all with ``everything``)."""
    if settings is None:
        from pipelines.settings import matching_settings

        settings = matching_settings()
    with transaction(factory) as session:
        # One reconcile at a time: a second one waits here, then reads what
        # the first committed (no stale reads, no double registration).
        take_run_lock(session, "reconcile")
        started = utcnow()
        matcher_input = load_matcher_input(session, everything=everything)
        if not matcher_input.targets:
            on_file = session.scalar(
                select(func.count()).select_from(Document).where(Document.kind == "invoice")
            )
            return ReconcileSummary(0, 0, 0, 0, 0, 0, 0, on_file=on_file or 0)
        result = reconcile(
            matcher_input.invoices, matcher_input.pos, matcher_input.receipts, settings
        )
        matches, new, resolved, reopened = save_result(
            session, matcher_input, result, started=started
        )
        evaluated = [d.key for d in matcher_input.invoices]
        people = decisions(session, evaluated)
        candidates = asset_candidates(matcher_input.invoices, result, people, settings)
        assets_new, held, released = register_assets(session, candidates, evaluated)
        return ReconcileSummary(
            invoices=len(matcher_input.targets),
            evaluated=len(matcher_input.invoices),
            matches=matches,
            discrepancies=len(result.discrepancies),
            discrepancies_new=new,
            discrepancies_resolved=resolved,
            assets_new=assets_new,
            decisions_reopened=reopened,
            assets_held=held,
            assets_released=released,
        )
