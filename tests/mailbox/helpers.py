"""Running a pass and reading what it left, for the mailbox tests."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from extractors.mail import MailReadSettings
from models.db import ensure_schema, make_engine, session_factory
from models.tables import Document, MailLedger, Quarantine
from pipelines.mailbox import FetchSummary, Mailbox, Pass, fetch
from tests.mailbox.conftest import Account


def fetch_once(
    account: Account, db_url: str, *, read: MailReadSettings | None = None, **settings: Any
) -> FetchSummary:
    """One pass with the plain functions, as ``recon mailbox fetch --engine local`` runs it."""
    engine = make_engine(db_url)
    ensure_schema(engine)
    try:
        mail_settings = account.settings(**settings)
        run = Pass(session_factory(engine), mail_settings, read or MailReadSettings())
        with Mailbox(mail_settings) as box:
            return fetch(box, run)
    finally:
        engine.dispose()


def documents(db_url: str) -> list[tuple[str, str | None]]:
    """(source, number) of every document, in the order stored."""
    engine = make_engine(db_url)
    with session_factory(engine)() as session:
        rows = [
            (d.source, d.number) for d in session.scalars(select(Document).order_by(Document.id))
        ]
    engine.dispose()
    return rows


def quarantined(db_url: str) -> list[tuple[str, str, str]]:
    """(source, code, reason) of every quarantine row."""
    engine = make_engine(db_url)
    with session_factory(engine)() as session:
        rows = [
            (q.source, q.code, q.reason)
            for q in session.scalars(select(Quarantine).order_by(Quarantine.id))
        ]
    engine.dispose()
    return rows


def ledger_rows(db_url: str) -> list[MailLedger]:
    engine = make_engine(db_url)
    with session_factory(engine)() as session:
        rows = list(session.scalars(select(MailLedger).order_by(MailLedger.uid)))
    engine.dispose()
    return rows
