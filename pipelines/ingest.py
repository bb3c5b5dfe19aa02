"""Ingest files: read, identify, extract, store or quarantine. Plain functions.

Every input file ends as exactly one document or one quarantine row, and
a failure in one file never stops the batch. The flows in
:mod:`pipelines.flows` call these; so does the CLI's local engine.
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from extractors.registry import extract
from extractors.settings import ExtractionSettings
from extractors.sniff import sniff_mime
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
    digest = hashlib.sha256()
    if data is not None:
        digest.update(data)
        head = data[:4096]
    else:
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
    except OSError as exc:
        # Nothing to hash: record what we know so the file is not lost.
        facts = FileFacts(
            path.name, str(path), hashlib.sha256(str(path).encode()).hexdigest(), 0, "unknown"
        )
        reason = f"could not read the file ({exc.strerror or exc}); check its permissions"
        return _quarantine(factory, facts, "unreadable", reason)
    facts = _facts(path, data, size)

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
                f"file is {size / 2**20:.1f} MiB, over the {settings.max_bytes / 2**20:.0f} MiB "
                "limit; raise RECON_EXTRACT_MAX_BYTES if it is a genuine document",
            )
        extracted = extract(data, filename=facts.source, kind_hint=kind, settings=settings)
    except ExtractionError as exc:
        return _quarantine(factory, facts, exc.code.value, exc.reason)
    except Exception as exc:  # a bug must not stop the batch or lose the file
        log.exception("extraction crashed on %s", path)
        reason = (
            f"recon failed while reading this file ({type(exc).__name__}: {exc}); "
            "please report it with the file attached"
        )
        return _quarantine(factory, facts, "internal_error", reason)

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
        log.exception("could not store %s", path)
        return _quarantine(
            factory, facts, "internal_error",
            "recon read this file but could not store it (a database constraint refused "
            "it); please report it with the file attached",
        )  # fmt: skip
    except SQLAlchemyError as exc:
        log.exception("could not store %s", path)
        return _quarantine(
            factory, facts, "internal_error",
            f"recon read this file but the database refused it ({type(exc).__name__}: "
            f"{str(exc).splitlines()[0][:200]}); please report it with the file attached",
        )  # fmt: skip


def _quarantine(
    factory: sessionmaker[Session], facts: FileFacts, code: str, reason: str
) -> IngestResult:
    try:
        with transaction(factory) as session:
            store_quarantine(session, facts, code, reason)
    except IntegrityError:
        # Another run quarantined the same file between our look and our
        # insert: the row exists now, so this second try updates it.
        with transaction(factory) as session:
            store_quarantine(session, facts, code, reason)
    return IngestResult(facts.source, facts.path, Outcome.QUARANTINED, code=code, detail=reason)


def ingest_files(
    factory: sessionmaker[Session],
    files: Sequence[Path],
    *,
    kind: DocumentKind | None = None,
    settings: ExtractionSettings | None = None,
    on_result: Callable[[IngestResult], None] | None = None,
) -> list[IngestResult]:
    """Ingest files one after another; ``on_result`` reports progress."""
    results: list[IngestResult] = []
    for path in files:
        started = time.perf_counter()
        result = ingest_file(factory, path, kind=kind, settings=settings)
        result = dataclasses.replace(result, seconds=time.perf_counter() - started)
        results.append(result)
        if on_result is not None:
            on_result(result)
    return results
