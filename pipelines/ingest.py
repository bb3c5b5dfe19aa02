"""Ingest files: read, identify, extract, store or quarantine. Plain functions.

Every input file ends as exactly one document or one quarantine row, and
a failure in one file never stops the batch. The flows in
:mod:`pipelines.flows` call these; so does the CLI's local engine.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from extractors.registry import extract
from extractors.settings import ExtractionSettings
from extractors.sniff import sniff_mime
from extractors.types import DocumentKind, ErrorCode, ExtractionError
from models.db import transaction
from models.store import FileFacts, find_document, store_document, store_quarantine

log = logging.getLogger(__name__)


class Outcome(StrEnum):
    INGESTED = "ingested"
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
                if p.is_file()
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
        elif path.is_file():
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
        if existing is not None:
            return IngestResult(
                facts.source,
                facts.path,
                Outcome.ALREADY,
                existing.kind,
                existing.number,
                detail=f"same content as {existing.source} (document #{existing.id})",
            )

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
            doc = store_document(session, extracted, facts)
            return IngestResult(
                facts.source,
                facts.path,
                Outcome.INGESTED,
                doc.kind,
                doc.number,
                detail="; ".join(extracted.notes),
            )
    except IntegrityError:
        # Another run stored the same bytes between our check and our insert.
        return IngestResult(
            facts.source,
            facts.path,
            Outcome.ALREADY,
            extracted.kind.value,
            None,
            detail="stored concurrently by another run",
        )


def _quarantine(
    factory: sessionmaker[Session], facts: FileFacts, code: str, reason: str
) -> IngestResult:
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
        result = ingest_file(factory, path, kind=kind, settings=settings)
        results.append(result)
        if on_result is not None:
            on_result(result)
    return results
