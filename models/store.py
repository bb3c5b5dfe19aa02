"""Writing what the extractors produced: documents and quarantine rows.

Idempotent by content: the same bytes become one document, however often
they are ingested and under whatever name. A quarantined file is tried again
on the next ingest (a newer recon may read it); if it still fails its row is
kept as it was, if it now reads its row is removed.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from extractors.types import ExtractedDocument, Field
from matching.normalise import normalise_document_number
from models.tables import Asset, Document, DocumentEvidence, DocumentLine, Quarantine


@dataclass(frozen=True, slots=True)
class FileFacts:
    """What recon knows about an input file before reading it."""

    source: str
    path: str
    sha256: str
    size_bytes: int
    mime: str


def find_document(session: Session, sha256: str) -> Document | None:
    return session.scalars(select(Document).where(Document.sha256 == sha256)).first()


def find_quarantine(session: Session, sha256: str, source: str) -> Quarantine | None:
    return session.scalars(
        select(Quarantine).where(Quarantine.sha256 == sha256, Quarantine.source == source)
    ).first()


def _field_json(field: Field[Any] | None) -> dict[str, Any] | None:
    if field is None:
        return None
    box = field.box
    return {
        "value": str(field.value),
        "raw": field.raw,
        "confidence": round(field.confidence, 4),
        "label": field.label,
        "page": box.page if box else None,
        "box": [box.x0, box.top, box.x1, box.bottom] if box else None,
    }


def _value(field: Field[Any] | None) -> Any:
    return None if field is None else field.value


def _key(text: str | None) -> str | None:
    if text is None:
        return None
    return normalise_document_number(text) or None


def store_document(session: Session, extracted: ExtractedDocument, facts: FileFacts) -> Document:
    """Insert one extracted document with its lines and word evidence."""
    number: str | None = _value(extracted.number)
    po_number: str | None = _value(extracted.po_number)
    credited: str | None = _value(extracted.credited_number)
    fields: dict[str, Any] = {name: _field_json(f) for name, f in extracted.header_fields().items()}
    # Evidence of the references, where the document has them.
    if extracted.other_po_numbers:
        fields["other_po_numbers"] = [_field_json(f) for f in extracted.other_po_numbers]
    if extracted.credited_number is not None:
        fields["credited_number"] = _field_json(extracted.credited_number)
    doc = Document(
        kind=extracted.kind.value,
        source=facts.source,
        path=facts.path,
        sha256=facts.sha256,
        mime=facts.mime,
        size_bytes=facts.size_bytes,
        extractor=extracted.extractor,
        page_count=extracted.page_count,
        vendor=_value(extracted.vendor),
        number=number,
        number_key=_key(number),
        date=_value(extracted.date),
        po_number=po_number,
        po_key=_key(po_number),
        other_po_numbers=[f.value for f in extracted.other_po_numbers] or None,
        credited_number=credited,
        credited_key=_key(credited),
        currency=_value(extracted.currency),
        subtotal=_money(extracted.subtotal),
        tax=_money(extracted.tax),
        total=_money(extracted.total),
        fields=fields,
        notes=list(extracted.notes),
    )
    session.add(doc)
    session.flush()
    session.add_all(
        DocumentLine(
            document_id=doc.id,
            line_no=line.line_no,
            sku=line.sku,
            description=line.description,
            quantity=line.quantity,
            unit_price=line.unit_price,
            amount=line.amount,
            po_number=line.po_number,
            confidence=line.confidence,
            box=[line.box.page, line.box.x0, line.box.top, line.box.x1, line.box.bottom]
            if line.box
            else None,
        )
        for line in extracted.lines
    )
    session.add(
        DocumentEvidence(
            document_id=doc.id,
            words=[
                [
                    w.text,
                    w.box.page,
                    round(w.box.x0, 2),
                    round(w.box.top, 2),
                    round(w.box.x1, 2),
                    round(w.box.bottom, 2),
                    round(w.confidence, 3),
                ]
                for w in extracted.words
            ],
        )
    )
    # It reads now: whatever was quarantined under these bytes, or at this
    # path (the file was fixed and replaced), is resolved.
    session.execute(
        delete(Quarantine).where(
            (Quarantine.sha256 == facts.sha256) | (Quarantine.path == facts.path)
        )
    )
    return doc


def _money(field: Field[Decimal] | None) -> Decimal | None:
    return None if field is None else field.value


def forget_document(session: Session, doc: Document) -> None:
    """Remove a document (its lines, matches and discrepancies go with it)."""
    session.delete(doc)
    session.flush()


def has_assets(session: Session, document_id: int) -> bool:

    return (
        session.scalars(select(Asset.id).where(Asset.invoice_id == document_id)).first() is not None
    )


def store_quarantine(session: Session, facts: FileFacts, code: str, reason: str) -> Quarantine:
    """Record why a file could not be read (once per file content and name)."""
    existing = find_quarantine(session, facts.sha256, facts.source)
    if existing is not None:
        existing.code = code
        existing.reason = reason
        existing.path = facts.path
        return existing
    row = Quarantine(
        source=facts.source,
        path=facts.path,
        sha256=facts.sha256,
        size_bytes=facts.size_bytes,
        code=code,
        reason=reason,
    )
    session.add(row)
    return row
