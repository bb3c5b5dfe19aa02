"""The mail ledger: which mail of a mailbox was taken, by which run, and how it ended.

A run *claims* a mail before reading it: it inserts the mail's ledger row
(the unique key (account, folder, UIDVALIDITY, UID) lets only one insert
win), or takes over a row whose owner died or whose lease ran out, by a
compare-and-set ``UPDATE ... WHERE owner = <the owner it saw>``. Every write
is such a conditional statement, so this works the same under SQLite's
single writer and PostgreSQL's row locks, and no transaction stays open while
a mail is downloaded or read. A run that lost its claim (its lease ran out
and another run took the mail) finds its ``finish`` refused and leaves the
mail alone.

Knows nothing about IMAP or files: mail keys in, rows out.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from models.base import utcnow
from models.tables import MailLedger


class MailStatus(StrEnum):
    CLAIMED = "claimed"
    DONE = "done"
    FAILED = "failed"


class Claim(StrEnum):
    """What the claiming run should do with the mail."""

    #: New, or left half-done by a run that died: read and ingest it (idempotent).
    PROCESS = "process"
    #: Already ingested (or failed): only move or flag it.
    FILE = "file"
    #: Another live run holds it: leave it alone this time.
    BUSY = "busy"
    #: Done and filed already (by another run, since this one listed it): nothing to do.
    SETTLED = "settled"


@dataclass(frozen=True, slots=True)
class MailKey:
    """Where a mail sits: unique for as long as the folder's UIDVALIDITY holds."""

    account: str
    folder: str
    uidvalidity: int
    uid: int


@dataclass(frozen=True, slots=True)
class LedgerEntry:
    id: int
    status: MailStatus
    message_key: str
    owner: str | None
    lease_until: datetime | None
    reason: str | None
    processed_at: datetime | None
    filed_at: datetime | None
    filed_to: str | None
    documents: int
    duplicates: int
    quarantined: int
    skipped: int
    folder: str
    uid: int


def _entry(row: MailLedger) -> LedgerEntry:
    return LedgerEntry(
        id=row.id,
        status=MailStatus(row.status),
        message_key=row.message_key,
        owner=row.owner,
        lease_until=row.lease_until,
        reason=row.reason,
        processed_at=row.processed_at,
        filed_at=row.filed_at,
        filed_to=row.filed_to,
        documents=row.documents,
        duplicates=row.duplicates,
        quarantined=row.quarantined,
        skipped=row.skipped,
        folder=row.folder,
        uid=row.uid,
    )


def entries(
    session: Session, account: str, folder: str, uidvalidity: int, uids: Iterable[int]
) -> dict[int, LedgerEntry]:
    """The ledger rows of these UIDs of one folder, by UID (set-based, in chunks)."""
    wanted = sorted(set(uids))
    out: dict[int, LedgerEntry] = {}
    for start in range(0, len(wanted), 1000):
        chunk = wanted[start : start + 1000]
        rows = session.scalars(
            select(MailLedger).where(
                MailLedger.account == account,
                MailLedger.folder == folder,
                MailLedger.uidvalidity == uidvalidity,
                MailLedger.uid.in_(chunk),
            )
        )
        out.update((row.uid, _entry(row)) for row in rows)
    return out


def claim(
    session: Session,
    key: MailKey,
    *,
    message_key: str,
    owner: str,
    lease: timedelta,
    sender: str | None = None,
    subject: str | None = None,
    owner_is_gone: Callable[[str], bool] = lambda _owner: False,
) -> tuple[Claim, LedgerEntry | None]:
    """Claim the mail at ``key`` for ``owner`` until ``lease`` from now.

    A claim held by another owner is respected until its lease runs out,
    unless ``owner_is_gone`` says that owner no longer exists (a process on
    this host that died): then it is taken over at once. Claiming again as
    the same owner (a retried task) succeeds.
    """
    now = utcnow()
    row = _find(session, key)
    if row is None:
        inserted = _insert_new(
            session,
            account=key.account,
            folder=key.folder,
            uidvalidity=key.uidvalidity,
            uid=key.uid,
            message_key=message_key[:512],
            sender=sender[:512] if sender else None,
            subject=subject,
            status=MailStatus.CLAIMED.value,
            owner=owner,
            lease_until=now + lease,
            claimed_at=now,
        )
        row = _find(session, key)
        if row is None:  # pragma: no cover - inserted and gone: nothing deletes rows
            return Claim.BUSY, None
        if inserted:
            return Claim.PROCESS, _entry(row)
    entry = _entry(row)
    if entry.filed_at is not None and entry.status is not MailStatus.CLAIMED:
        # A filed mail has left the folder (a UID never comes back), or is flagged.
        return Claim.SETTLED, entry
    if entry.owner != owner:
        held = (
            entry.owner is not None
            and entry.lease_until is not None
            and entry.lease_until > now
            and not owner_is_gone(entry.owner)
        )
        if held:
            return Claim.BUSY, entry
        taken = session.execute(
            update(MailLedger)
            .where(
                MailLedger.id == entry.id,
                MailLedger.owner.is_(None)
                if entry.owner is None
                else MailLedger.owner == entry.owner,
            )
            .values(owner=owner, lease_until=now + lease)
        )
        if not taken.rowcount:  # type: ignore[attr-defined]
            return Claim.BUSY, entry
    session.expire_all()
    entry = _entry(_find(session, key) or row)
    return (Claim.PROCESS if entry.status is MailStatus.CLAIMED else Claim.FILE), entry


def renew(session: Session, entry_id: int, owner: str, lease: timedelta) -> bool:
    """Extend the claim (between attachments of a slow mail); False if it was lost."""
    result = session.execute(
        update(MailLedger)
        .where(MailLedger.id == entry_id, MailLedger.owner == owner)
        .values(lease_until=utcnow() + lease)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


def done_elsewhere(
    session: Session, account: str, message_key: str, *, not_id: int
) -> LedgerEntry | None:
    """The same mail (by Message-ID or content) already ingested from another place."""
    row = session.scalars(
        select(MailLedger)
        .where(
            MailLedger.account == account,
            MailLedger.message_key == message_key,
            MailLedger.status == MailStatus.DONE.value,
            MailLedger.id != not_id,
        )
        .order_by(MailLedger.id)
    ).first()
    return None if row is None else _entry(row)


def finish(
    session: Session,
    entry_id: int,
    owner: str,
    *,
    status: MailStatus,
    message_key: str,
    sha256: str | None,
    reason: str | None = None,
    documents: int = 0,
    duplicates: int = 0,
    quarantined: int = 0,
    skipped: int = 0,
) -> bool:
    """Record how the mail ended; False when the claim was lost to another run."""
    result = session.execute(
        update(MailLedger)
        .where(MailLedger.id == entry_id, MailLedger.owner == owner)
        .values(
            status=status.value,
            message_key=message_key[:512],
            sha256=sha256,
            reason=reason,
            documents=documents,
            duplicates=duplicates,
            quarantined=quarantined,
            skipped=skipped,
            processed_at=utcnow(),
        )
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


def filed(session: Session, entry_id: int, owner: str, where: str) -> bool:
    """The mail was moved (or flagged): release the claim."""
    result = session.execute(
        update(MailLedger)
        .where(MailLedger.id == entry_id, MailLedger.owner == owner)
        .values(filed_at=utcnow(), filed_to=where[:512], owner=None, lease_until=None)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


def release(session: Session, entry_id: int, owner: str) -> None:
    """Give the claim back without finishing (the run stops early): the next run takes it."""
    session.execute(
        update(MailLedger)
        .where(MailLedger.id == entry_id, MailLedger.owner == owner)
        .values(owner=None, lease_until=None)
    )


def _insert_new(session: Session, **values: object) -> bool:
    """Insert the row unless one with the same key exists; True if this call inserted it.

    One statement (``ON CONFLICT DO NOTHING``), so two runs inserting at once
    need no savepoint: one inserts, the other's statement does nothing.
    """
    insert: Any
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    statement = (
        insert(MailLedger)
        .values(**values)
        .on_conflict_do_nothing(index_elements=["account", "folder", "uidvalidity", "uid"])
    )
    return bool(session.execute(statement).rowcount)  # type: ignore[attr-defined]


def _find(session: Session, key: MailKey) -> MailLedger | None:
    return session.scalars(
        select(MailLedger).where(
            MailLedger.account == key.account,
            MailLedger.folder == key.folder,
            MailLedger.uidvalidity == key.uidvalidity,
            MailLedger.uid == key.uid,
        )
    ).first()
