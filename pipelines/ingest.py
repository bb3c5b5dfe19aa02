"""Ingest files: read, identify, extract, store or quarantine. Plain functions.

Every input file ends as exactly one document or one quarantine row, and
a failure in one file never stops the batch. A saved mail (``.eml``, Outlook
``.msg``) is opened: each attachment it holds is such an input, through the
same :func:`ingest_bytes` the mailbox uses (:mod:`pipelines.mailbox`). The
flows in :mod:`pipelines.flows` call these; so does the CLI's local engine.
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from sqlalchemy.exc import IntegrityError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from extractors.mail import Decision, MailPart, MailReadSettings, is_mail, read_mail
from extractors.registry import extract
from extractors.settings import ExtractionSettings
from extractors.sniff import EMAIL, OLE, sniff_mime
from extractors.types import DocumentKind, ErrorCode, ExtractionError
from models.db import transaction
from models.store import (
    FileFacts,
    find_document,
    forget_document,
    has_assets,
    store_document,
    store_quarantine,
)
from models.tables import Document

log = logging.getLogger(__name__)


class Outcome(StrEnum):
    INGESTED = "ingested"
    REREAD = "re-read"
    ALREADY = "already ingested"
    QUARANTINED = "quarantined"
    #: A mail that was opened: its attachments have results of their own.
    MAIL = "mail"

    @property
    def is_document(self) -> bool:
        """The input is (now or already) a document."""
        return self in (Outcome.INGESTED, Outcome.REREAD, Outcome.ALREADY)


@dataclass(frozen=True, slots=True)
class IngestResult:
    source: str
    path: str
    outcome: Outcome
    kind: str | None = None
    number: str | None = None
    code: str | None = None
    detail: str = ""
    #: Wall time this file took, for progress and benchmarks.
    seconds: float = 0.0
    #: For a file found in a mail: the mail's source (its own result comes after).
    part_of: str | None = None


def collect_files(paths: Iterable[Path]) -> list[Path]:
    """Files named directly, plus every file below named folders (sorted).

    Hidden files and folders (``.name``) below a named folder are skipped; a
    missing path raises ``FileNotFoundError`` before anything is ingested.
    """
    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            out.extend(
                p
                for p in sorted(path.rglob("*"))
                # A broken link is kept: it is quarantined as unreadable, not lost.
                if (p.is_file() or (p.is_symlink() and not p.exists()))
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
        elif path.is_file() or path.is_symlink():
            out.append(path)
        else:
            raise FileNotFoundError(f"no such file or folder: {path}")
    seen: set[Path] = set()
    unique: list[Path] = []
    for p in out:
        resolved = p.resolve()
        if resolved not in seen:
            seen.add(resolved)
            unique.append(p)
    return unique


def _facts(path: Path, data: bytes | None, size: int) -> FileFacts:
    if data is not None:
        return bytes_facts(data, source=path.name, path=str(path))
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        head = fh.read(4096)
        fh.seek(0)
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return FileFacts(
        source=path.name,
        path=str(path),
        sha256=digest.hexdigest(),
        size_bytes=size,
        mime=sniff_mime(head),
    )


def bytes_facts(data: bytes, *, source: str, path: str) -> FileFacts:
    """What recon knows about ``data`` before reading it, under a name and a path."""
    return FileFacts(
        source=source,
        path=path,
        sha256=hashlib.sha256(data).hexdigest(),
        size_bytes=len(data),
        mime=sniff_mime(data[:4096]),
    )


def ingest_file(
    factory: sessionmaker[Session],
    path: Path,
    *,
    kind: DocumentKind | None = None,
    settings: ExtractionSettings | None = None,
) -> IngestResult:
    """Ingest one file; never raises for a bad file (it is quarantined)."""
    settings = settings or ExtractionSettings()
    try:
        size = path.stat().st_size
        data = path.read_bytes() if size <= settings.max_bytes else None
        facts = _facts(path, data, size)
    except OSError as exc:
        # Nothing to hash: record what we know so the file is not lost.
        facts = FileFacts(
            path.name, str(path), hashlib.sha256(str(path).encode()).hexdigest(), 0, "unknown"
        )
        reason = f"could not read the file ({exc.strerror or exc}); check its permissions"
        return quarantine(factory, facts, "unreadable", reason)
    return ingest_bytes(factory, data, facts, kind=kind, settings=settings)


def ingest_bytes(
    factory: sessionmaker[Session],
    data: bytes | None,
    facts: FileFacts,
    *,
    kind: DocumentKind | None = None,
    settings: ExtractionSettings | None = None,
) -> IngestResult:
    """Make ``data`` a document, or quarantine it with the reason; never raises for bad input.

    The one path from bytes to the database, for a file on disk and a mail's
    attachment alike. ``data`` is None for a file too large to read (``facts``
    carry its size). The same bytes again are a no-op that says so, unless
    ``kind`` corrects what an earlier ingest took them for.
    """
    settings = settings or ExtractionSettings()
    with factory() as session:
        existing = find_document(session, facts.sha256)
        if existing is not None and (kind is None or existing.kind == kind.value):
            return IngestResult(
                facts.source,
                facts.path,
                Outcome.ALREADY,
                existing.kind,
                existing.number,
                detail=f"same content as {existing.source} (document #{existing.id})",
            )
        # The same bytes again, with a different --kind: the person is
        # correcting what the file is. Re-read it as that, unless assets
        # were already registered from it.
        if existing is not None and has_assets(session, existing.id):
            return IngestResult(
                facts.source,
                facts.path,
                Outcome.ALREADY,
                existing.kind,
                existing.number,
                detail=f"already ingested as {existing.kind} with registered assets; "
                f"kind not changed to {kind.value if kind else '?'}",
            )
    replacing = existing.id if existing is not None else None

    try:
        if data is None:
            raise ExtractionError(
                ErrorCode.TOO_LARGE,
                f"file is {facts.size_bytes / 2**20:.1f} MiB, over the "
                f"{settings.max_bytes / 2**20:.0f} MiB limit; raise RECON_EXTRACT_MAX_BYTES if "
                "it is a genuine document",
            )
        extracted = extract(data, filename=facts.source, kind_hint=kind, settings=settings)
    except ExtractionError as exc:
        return quarantine(factory, facts, exc.code.value, exc.reason)
    except Exception as exc:  # a bug must not stop the batch or lose the file
        log.exception("extraction crashed on %s", facts.path)
        reason = (
            f"recon failed while reading this file ({type(exc).__name__}: {exc}); "
            "please report it with the file attached"
        )
        return quarantine(factory, facts, "internal_error", reason)

    try:
        with transaction(factory) as session:
            was = ""
            if replacing is not None:
                old = session.get(Document, replacing)
                if old is not None:
                    was = f"re-read as {extracted.kind.value} (was {old.kind}); "
                    forget_document(session, old)
            doc = store_document(session, extracted, facts)
            notes = "; ".join(extracted.notes)
            return IngestResult(
                facts.source,
                facts.path,
                Outcome.REREAD if was else Outcome.INGESTED,
                doc.kind,
                doc.number,
                detail=was + notes,
            )
    except IntegrityError:
        with factory() as session:
            stored = find_document(session, facts.sha256)
        if stored is not None:  # another run stored the same bytes just now
            return IngestResult(
                facts.source,
                facts.path,
                Outcome.ALREADY,
                stored.kind,
                stored.number,
                detail="stored concurrently by another run",
            )
        log.exception("could not store %s", facts.path)
        return quarantine(
            factory, facts, "internal_error",
            "recon read this file but could not store it (a database constraint refused "
            "it); please report it with the file attached",
        )  # fmt: skip
    except OperationalError:
        raise  # the database is unreachable or busy: nothing to quarantine into; retry later
    except SQLAlchemyError as exc:
        log.exception("could not store %s", facts.path)
        return quarantine(
            factory, facts, "internal_error",
            f"recon read this file but the database refused it ({type(exc).__name__}: "
            f"{str(exc).splitlines()[0][:200]}); please report it with the file attached",
        )  # fmt: skip


def quarantine(
    factory: sessionmaker[Session], facts: FileFacts, code: str, reason: str
) -> IngestResult:
    """Record why ``facts`` could not become a document (race-safe, idempotent)."""
    try:
        with transaction(factory) as session:
            store_quarantine(session, facts, code, reason)
    except IntegrityError:
        # Another run quarantined the same file between our look and our
        # insert: the row exists now, so this second try updates it.
        with transaction(factory) as session:
            store_quarantine(session, facts, code, reason)
    return IngestResult(facts.source, facts.path, Outcome.QUARANTINED, code=code, detail=reason)


@dataclass(frozen=True, slots=True)
class MailOrigin:
    """Where a mail came from, as its attachments' ``source`` and ``path`` start.

    For a saved file: its name and path. For a mailbox: ``mail <Message-ID>``
    and ``imap://user@host/folder/<Message-ID>``.
    """

    source: str
    path: str


@dataclass(frozen=True, slots=True)
class MailIngest:
    """A mail's outcome: a result per file it held, and the mail's own result."""

    mail: IngestResult
    parts: tuple[IngestResult, ...]
    skipped: int = 0
    message_id: str | None = None
    sender: str | None = None
    subject: str | None = None

    @property
    def results(self) -> list[IngestResult]:
        """The parts, then the mail: the order the CLI prints them in."""
        return [*self.parts, self.mail]

    @property
    def documents(self) -> int:
        return sum(r.outcome in (Outcome.INGESTED, Outcome.REREAD) for r in self.parts)

    @property
    def duplicates(self) -> int:
        return sum(r.outcome is Outcome.ALREADY for r in self.parts)

    @property
    def quarantined(self) -> int:
        return sum(r.outcome is Outcome.QUARANTINED for r in self.results)

    @property
    def ok(self) -> bool:
        """Something in the mail is a document now (or was already)."""
        return any(r.outcome.is_document for r in self.parts)


def ingest_mail(
    factory: sessionmaker[Session],
    raw: bytes,
    origin: MailOrigin,
    *,
    kind: DocumentKind | None = None,
    settings: ExtractionSettings | None = None,
    read_settings: MailReadSettings | None = None,
    between: Callable[[], None] | None = None,
) -> MailIngest:
    """Ingest every file in the mail ``raw``; quarantine what cannot be read.

    Each taken attachment goes through :func:`ingest_bytes` and each refused
    one (a zip bomb, a Word file) becomes a quarantine row with its reason,
    every one committed on its own. The mail's own result is ``MAIL`` when
    it held files, else it is quarantined itself (``no_attachment``: what it
    held instead, and whether its text reads like an invoice), and so is a
    mail that cannot be read at all. ``between`` runs before each file (the
    mailbox renews its claim there). Never raises for bad content.
    """
    settings = settings or ExtractionSettings()

    def mail_facts() -> FileFacts:  # hashing the whole mail only when it is quarantined
        return bytes_facts(raw, source=origin.source, path=origin.path)

    try:
        contents = read_mail(raw, settings=read_settings, name=origin.source)
    except ExtractionError as exc:
        return MailIngest(quarantine(factory, mail_facts(), exc.code.value, exc.reason), ())
    except Exception as exc:  # a bug must not stop the run or lose the mail
        log.exception("reading the mail %s crashed", origin.source)
        reason = (
            f"recon failed while reading this mail ({type(exc).__name__}: {exc}); please "
            "report it with the mail attached"
        )
        return MailIngest(quarantine(factory, mail_facts(), "internal_error", reason), ())
    results: list[IngestResult] = []
    for part in contents.parts:
        if part.decision is Decision.SKIPPED:
            continue
        if between is not None:
            between()
        started = time.perf_counter()
        facts = FileFacts(
            source=f"{origin.source} / {part.label}"[:512],
            path=f"{origin.path}/{part.label}",
            sha256=hashlib.sha256(part.data).hexdigest(),
            size_bytes=len(part.data),
            mime=part.mime,
        )
        if part.decision is Decision.TAKEN:
            result = ingest_bytes(factory, part.data, facts, kind=kind, settings=settings)
        else:
            result = quarantine(factory, facts, part.code or "hostile", part.reason)
        results.append(
            dataclasses.replace(
                result, seconds=time.perf_counter() - started, part_of=origin.source
            )
        )
    skipped = contents.skipped
    if results:
        counts = Counter(r.outcome for r in results)
        detail = f"{len(results)} file{'s' if len(results) != 1 else ''}: " + ", ".join(
            f"{n} {outcome.value}" for outcome, n in counts.items()
        )
        if skipped:
            detail += f"; skipped {_skipped_text(skipped)}"
        mail = IngestResult(origin.source, origin.path, Outcome.MAIL, detail=detail)
    else:
        reason = "the mail has no attachment recon could read"
        if skipped:
            reason += f" (it holds only {_skipped_text(skipped)})"
        if contents.invoice_hint:
            reason += f"; {contents.invoice_hint}, so the invoice may be in the text itself"
        reason += (
            ": ask the sender for the invoice as a PDF attachment, or save it and run recon ingest"
        )
        mail = quarantine(factory, mail_facts(), ErrorCode.NO_ATTACHMENT.value, reason)
    return MailIngest(
        mail,
        tuple(results),
        skipped=len(skipped),
        message_id=contents.message_id,
        sender=contents.sender,
        subject=contents.subject,
    )


def _skipped_text(parts: Sequence[MailPart]) -> str:
    shown = "; ".join(f"{p.label}: {p.reason}" for p in parts[:5])
    more = f"; and {len(parts) - 5} more" if len(parts) > 5 else ""
    return shown + more


def ingest_path(
    factory: sessionmaker[Session],
    path: Path,
    *,
    kind: DocumentKind | None = None,
    settings: ExtractionSettings | None = None,
    read_settings: MailReadSettings | None = None,
) -> list[IngestResult]:
    """Ingest one file: a saved mail (.eml, .msg) yields a result per attachment, then its own."""
    settings = settings or ExtractionSettings()
    try:
        size = path.stat().st_size
        with path.open("rb") as fh:
            head = fh.read(4096)
        mail_like = size <= settings.max_bytes and sniff_mime(head) in (EMAIL, OLE)
        data = path.read_bytes() if mail_like else None
    except OSError:
        data = None  # ingest_file quarantines it as unreadable
    if data is not None and is_mail(data):
        origin = MailOrigin(path.name, str(path))
        outcome = ingest_mail(
            factory, data, origin, kind=kind, settings=settings, read_settings=read_settings
        )
        return outcome.results
    return [ingest_file(factory, path, kind=kind, settings=settings)]


def ingest_files(
    factory: sessionmaker[Session],
    files: Sequence[Path],
    *,
    kind: DocumentKind | None = None,
    settings: ExtractionSettings | None = None,
    on_result: Callable[[IngestResult], None] | None = None,
) -> list[IngestResult]:
    """Ingest files one after another; ``on_result`` reports progress.

    A saved mail contributes a result per attachment and one for itself
    (``part_of`` tells them apart).
    """
    results: list[IngestResult] = []
    for path in files:
        started = time.perf_counter()
        found = ingest_path(factory, path, kind=kind, settings=settings)
        seconds = time.perf_counter() - started
        found[-1] = dataclasses.replace(found[-1], seconds=seconds)
        for result in found:
            results.append(result)
            if on_result is not None:
                on_result(result)
    return results
