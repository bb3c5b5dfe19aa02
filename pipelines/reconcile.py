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
from models.db import transaction
from models.queries import decisions, load_matcher_input, register_assets, save_result
from models.tables import Document


@dataclass(frozen=True, slots=True)
class ReconcileSummary:
    invoices: int
    evaluated: int
    matches: int
    discrepancies: int
    discrepancies_new: int
    discrepancies_cleared: int
    assets_new: int
    #: Invoices on file at all (set when there was nothing to reconcile).
    on_file: int = 0


def run_reconcile(
    factory: sessionmaker[Session],
    *,
    everything: bool = False,
    settings: MatchingSettings | None = None,
) -> ReconcileSummary:
    """Reconcile the invoices not reconciled yet (all with ``everything``)."""
    settings = settings or MatchingSettings()
    with transaction(factory) as session:
        matcher_input = load_matcher_input(session, everything=everything)
        if not matcher_input.targets:
            on_file = session.scalar(
                select(func.count()).select_from(Document).where(Document.kind == "invoice")
            )
            return ReconcileSummary(0, 0, 0, 0, 0, 0, 0, on_file=on_file or 0)
        result = reconcile(
            matcher_input.invoices, matcher_input.pos, matcher_input.receipts, settings
        )
        matches, new, cleared = save_result(session, matcher_input, result)
        people = decisions(session, (d.key for d in matcher_input.invoices))
        candidates = asset_candidates(matcher_input.invoices, result, people, settings)
        assets_new = register_assets(session, candidates)
        return ReconcileSummary(
            invoices=len(matcher_input.targets),
            evaluated=len(matcher_input.invoices),
            matches=matches,
            discrepancies=len(result.discrepancies),
            discrepancies_new=new,
            discrepancies_cleared=cleared,
            assets_new=assets_new,
        )
