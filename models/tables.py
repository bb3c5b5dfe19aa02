"""The ORM tables.

Relationships are ``lazy="raise"``: a query that would load them behind the
caller's back fails loudly instead. The unique constraints are what make
re-runs idempotent: a file's bytes are stored once (``documents.sha256``,
``quarantine.sha256``+``source``), a match per invoice line, a discrepancy per
(invoice, type, line), an asset per invoice line unit.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    BigInteger,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, ExactDecimal, JSONType, UTCDateTime, utcnow


class Document(Base):
    """One ingested file that became an invoice, PO or receipt."""

    __tablename__ = "documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16), index=True)
    source: Mapped[str] = mapped_column(String(512))
    path: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    mime: Mapped[str] = mapped_column(String(128))
    size_bytes: Mapped[int] = mapped_column(Integer)
    extractor: Mapped[str] = mapped_column(String(64))
    page_count: Mapped[int] = mapped_column(Integer)
    vendor: Mapped[str | None] = mapped_column(String(512))
    number: Mapped[str | None] = mapped_column(String(128))
    number_key: Mapped[str | None] = mapped_column(String(128), index=True)
    date: Mapped[date | None] = mapped_column(Date)
    po_number: Mapped[str | None] = mapped_column(String(128))
    po_key: Mapped[str | None] = mapped_column(String(128), index=True)
    #: Further POs the document cites besides ``po_number`` (a header list, or
    #: other lines' references), as printed; None when it cites one or none.
    other_po_numbers: Mapped[list[str] | None] = mapped_column(JSONType)
    #: On a credit note: the invoice it credits, as printed and normalised.
    credited_number: Mapped[str | None] = mapped_column(String(128))
    credited_key: Mapped[str | None] = mapped_column(String(128), index=True)
    currency: Mapped[str | None] = mapped_column(String(3))
    subtotal: Mapped[Decimal | None] = mapped_column(ExactDecimal)
    tax: Mapped[Decimal | None] = mapped_column(ExactDecimal)
    total: Mapped[Decimal | None] = mapped_column(ExactDecimal)
    #: Per header field: raw text, confidence, label, page and box.
    fields: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    notes: Mapped[list[str]] = mapped_column(JSONType, default=list)
    ingested_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    reconciled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    lines: Mapped[list[DocumentLine]] = relationship(
        back_populates="document",
        lazy="raise",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="DocumentLine.line_no",
    )
    evidence: Mapped[DocumentEvidence | None] = relationship(
        back_populates="document", lazy="raise", cascade="all, delete-orphan", passive_deletes=True
    )

    __table_args__ = (Index("ix_documents_kind_po_key", "kind", "po_key"),)


class DocumentEvidence(Base):
    """Every word of the document with its page and box, for the reviewer."""

    __tablename__ = "document_evidence"

    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True
    )
    words: Mapped[list[list[Any]]] = mapped_column(JSONType)

    document: Mapped[Document] = relationship(back_populates="evidence", lazy="raise")


class DocumentLine(Base):
    __tablename__ = "document_lines"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    line_no: Mapped[int] = mapped_column(Integer)
    sku: Mapped[str | None] = mapped_column(String(128))
    description: Mapped[str] = mapped_column(Text)
    quantity: Mapped[Decimal] = mapped_column(ExactDecimal)
    unit_price: Mapped[Decimal | None] = mapped_column(ExactDecimal)
    amount: Mapped[Decimal | None] = mapped_column(ExactDecimal)
    #: The PO this line cites itself, as printed (a PO column, an e-invoice line).
    po_number: Mapped[str | None] = mapped_column(String(128))
    confidence: Mapped[float] = mapped_column(Float, default=1.0)
    box: Mapped[list[float] | None] = mapped_column(JSONType)

    document: Mapped[Document] = relationship(back_populates="lines", lazy="raise")

    __table_args__ = (UniqueConstraint("document_id", "line_no"),)


class Quarantine(Base):
    """A file that could not become a document, and why."""

    __tablename__ = "quarantine"

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(String(512))
    path: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64))
    size_bytes: Mapped[int] = mapped_column(Integer)
    code: Mapped[str] = mapped_column(String(32))
    reason: Mapped[str] = mapped_column(Text)
    quarantined_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (UniqueConstraint("sha256", "source"),)


class Match(Base):
    """An invoice line tied to its PO line and (when received) receipt line."""

    __tablename__ = "matches"

    id: Mapped[int] = mapped_column(primary_key=True)
    invoice_line_id: Mapped[int] = mapped_column(
        ForeignKey("document_lines.id", ondelete="CASCADE"), unique=True
    )
    po_line_id: Mapped[int] = mapped_column(ForeignKey("document_lines.id", ondelete="CASCADE"))
    receipt_line_id: Mapped[int | None] = mapped_column(
        ForeignKey("document_lines.id", ondelete="CASCADE")
    )
    score: Mapped[float] = mapped_column(Float)
    reason: Mapped[str] = mapped_column(Text)


class Discrepancy(Base):
    """Something finance must look at. ``status`` is a person's decision."""

    __tablename__ = "discrepancies"

    id: Mapped[int] = mapped_column(primary_key=True)
    type: Mapped[str] = mapped_column(String(32), index=True)
    invoice_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    #: 0 for an invoice-level discrepancy (so the unique key works on both backends).
    line_key: Mapped[int] = mapped_column(Integer)
    invoice_line_no: Mapped[int | None] = mapped_column(Integer)
    po_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id", ondelete="SET NULL"))
    expected: Mapped[str | None] = mapped_column(Text)
    actual: Mapped[str | None] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="open")
    decided_by: Mapped[str | None] = mapped_column(String(128))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    raised_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (UniqueConstraint("invoice_id", "type", "line_key"),)


class Asset(Base):
    """One unit of a verified invoice line in the IT asset register."""

    __tablename__ = "assets"

    id: Mapped[int] = mapped_column(primary_key=True)
    asset_tag: Mapped[str] = mapped_column(String(64), unique=True)
    invoice_line_id: Mapped[int] = mapped_column(
        ForeignKey("document_lines.id", ondelete="CASCADE")
    )
    unit: Mapped[int] = mapped_column(Integer)
    invoice_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    po_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id", ondelete="SET NULL"))
    vendor: Mapped[str | None] = mapped_column(String(512))
    description: Mapped[str] = mapped_column(Text)
    sku: Mapped[str | None] = mapped_column(String(128))
    cost: Mapped[Decimal] = mapped_column(ExactDecimal)
    currency: Mapped[str | None] = mapped_column(String(3))
    registered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: Set when a later reconcile finds the line no longer verified (a new
    #: discrepancy, a decision changed): the asset stays, flagged for review.
    held_reason: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (UniqueConstraint("invoice_line_id", "unit"),)


class RunLock(Base):
    """Unused since reconcile commits chunk by chunk: a row lock lives only as
    long as one transaction. :mod:`models.locks` holds the run lock now. The
    table stays until a migration has another reason to touch the schema.
    """

    __tablename__ = "run_locks"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    taken_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class MailLedger(Base):
    """One mail of a watched mailbox folder, and what recon did with it.

    Keyed on where the mail sits, (account, folder, UIDVALIDITY, UID), like an
    IMAP client's own cache: a UID is unique in its folder for as long as the
    folder's UIDVALIDITY stays the same. ``message_key`` (the Message-ID, or
    ``sha256:<hex>`` of the raw mail when it has none) recognises the same mail
    after the server renumbered the folder or it was copied elsewhere.

    ``status`` is ``claimed`` while a run works on it (``owner``, until
    ``lease_until``), then ``done`` (something in it became a document) or
    ``failed`` (nothing could: see ``reason`` and the quarantine). ``filed_at``
    is set once the mail was moved or flagged; a done mail still in the inbox
    is only filed again, never re-ingested.
    """

    __tablename__ = "mail_ledger"

    id: Mapped[int] = mapped_column(primary_key=True)
    account: Mapped[str] = mapped_column(String(320))
    folder: Mapped[str] = mapped_column(String(512))
    uidvalidity: Mapped[int] = mapped_column(BigInteger)
    uid: Mapped[int] = mapped_column(BigInteger)
    message_key: Mapped[str] = mapped_column(String(512))
    sha256: Mapped[str | None] = mapped_column(String(64))
    sender: Mapped[str | None] = mapped_column(String(512))
    subject: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str | None] = mapped_column(Text)
    documents: Mapped[int] = mapped_column(Integer, default=0)
    duplicates: Mapped[int] = mapped_column(Integer, default=0)
    quarantined: Mapped[int] = mapped_column(Integer, default=0)
    skipped: Mapped[int] = mapped_column(Integer, default=0)
    owner: Mapped[str | None] = mapped_column(String(128))
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    claimed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    processed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    filed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    filed_to: Mapped[str | None] = mapped_column(String(512))

    __table_args__ = (
        UniqueConstraint("account", "folder", "uidvalidity", "uid"),
        Index("ix_mail_ledger_account_message_key", "account", "message_key"),
    )
