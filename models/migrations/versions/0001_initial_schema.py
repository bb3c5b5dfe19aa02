"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-25
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import models.base

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:

    op.create_table(
        "documents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("source", sa.String(length=512), nullable=False),
        sa.Column("path", sa.Text(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("mime", sa.String(length=128), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("extractor", sa.String(length=64), nullable=False),
        sa.Column("page_count", sa.Integer(), nullable=False),
        sa.Column("vendor", sa.String(length=512), nullable=True),
        sa.Column("number", sa.String(length=128), nullable=True),
        sa.Column("number_key", sa.String(length=128), nullable=True),
        sa.Column("date", sa.Date(), nullable=True),
        sa.Column("po_number", sa.String(length=128), nullable=True),
        sa.Column("po_key", sa.String(length=128), nullable=True),
        sa.Column("currency", sa.String(length=3), nullable=True),
        sa.Column("subtotal", models.base.ExactDecimal(), nullable=True),
        sa.Column("tax", models.base.ExactDecimal(), nullable=True),
        sa.Column("total", models.base.ExactDecimal(), nullable=True),
        sa.Column(
            "fields",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column(
            "notes",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("ingested_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("reconciled_at", models.base.UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_documents")),
        sa.UniqueConstraint("sha256", name=op.f("uq_documents_sha256")),
    )
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_documents_kind"), ["kind"], unique=False)
        batch_op.create_index("ix_documents_kind_po_key", ["kind", "po_key"], unique=False)
        batch_op.create_index(batch_op.f("ix_documents_number_key"), ["number_key"], unique=False)
        batch_op.create_index(batch_op.f("ix_documents_po_key"), ["po_key"], unique=False)

    op.create_table(
        "quarantine",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=512), nullable=False),
        sa.Column("path", sa.Text(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("quarantined_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_quarantine")),
        sa.UniqueConstraint("sha256", "source", name=op.f("uq_quarantine_sha256_source")),
    )
    op.create_table(
        "run_locks",
        sa.Column("name", sa.String(length=32), nullable=False),
        sa.Column("taken_at", models.base.UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_run_locks")),
    )
    run_locks = sa.table("run_locks", sa.column("name", sa.String))
    op.bulk_insert(run_locks, [{"name": "reconcile"}])
    op.create_table(
        "discrepancies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("type", sa.String(length=32), nullable=False),
        sa.Column("invoice_id", sa.Integer(), nullable=False),
        sa.Column("line_key", sa.Integer(), nullable=False),
        sa.Column("invoice_line_no", sa.Integer(), nullable=True),
        sa.Column("po_id", sa.Integer(), nullable=True),
        sa.Column("expected", sa.Text(), nullable=True),
        sa.Column("actual", sa.Text(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("decided_by", sa.String(length=128), nullable=True),
        sa.Column("decided_at", models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("raised_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["invoice_id"],
            ["documents.id"],
            name=op.f("fk_discrepancies_invoice_id_documents"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["po_id"],
            ["documents.id"],
            name=op.f("fk_discrepancies_po_id_documents"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_discrepancies")),
        sa.UniqueConstraint(
            "invoice_id", "type", "line_key", name=op.f("uq_discrepancies_invoice_id_type_line_key")
        ),
    )
    with op.batch_alter_table("discrepancies", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_discrepancies_type"), ["type"], unique=False)

    op.create_table(
        "document_evidence",
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column(
            "words",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["documents.id"],
            name=op.f("fk_document_evidence_document_id_documents"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("document_id", name=op.f("pk_document_evidence")),
    )
    op.create_table(
        "document_lines",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("line_no", sa.Integer(), nullable=False),
        sa.Column("sku", sa.String(length=128), nullable=True),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("quantity", models.base.ExactDecimal(), nullable=False),
        sa.Column("unit_price", models.base.ExactDecimal(), nullable=True),
        sa.Column("amount", models.base.ExactDecimal(), nullable=True),
        sa.Column("confidence", sa.Float(), nullable=False),
        sa.Column(
            "box",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=True,
        ),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["documents.id"],
            name=op.f("fk_document_lines_document_id_documents"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_document_lines")),
        sa.UniqueConstraint(
            "document_id", "line_no", name=op.f("uq_document_lines_document_id_line_no")
        ),
    )
    op.create_table(
        "assets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("asset_tag", sa.String(length=64), nullable=False),
        sa.Column("invoice_line_id", sa.Integer(), nullable=False),
        sa.Column("unit", sa.Integer(), nullable=False),
        sa.Column("invoice_id", sa.Integer(), nullable=False),
        sa.Column("po_id", sa.Integer(), nullable=True),
        sa.Column("vendor", sa.String(length=512), nullable=True),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("sku", sa.String(length=128), nullable=True),
        sa.Column("cost", models.base.ExactDecimal(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=True),
        sa.Column("registered_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("held_reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["invoice_id"],
            ["documents.id"],
            name=op.f("fk_assets_invoice_id_documents"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["invoice_line_id"],
            ["document_lines.id"],
            name=op.f("fk_assets_invoice_line_id_document_lines"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["po_id"], ["documents.id"], name=op.f("fk_assets_po_id_documents"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assets")),
        sa.UniqueConstraint("asset_tag", name=op.f("uq_assets_asset_tag")),
        sa.UniqueConstraint("invoice_line_id", "unit", name=op.f("uq_assets_invoice_line_id_unit")),
    )
    op.create_table(
        "matches",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("invoice_line_id", sa.Integer(), nullable=False),
        sa.Column("po_line_id", sa.Integer(), nullable=False),
        sa.Column("receipt_line_id", sa.Integer(), nullable=True),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["invoice_line_id"],
            ["document_lines.id"],
            name=op.f("fk_matches_invoice_line_id_document_lines"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["po_line_id"],
            ["document_lines.id"],
            name=op.f("fk_matches_po_line_id_document_lines"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["receipt_line_id"],
            ["document_lines.id"],
            name=op.f("fk_matches_receipt_line_id_document_lines"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_matches")),
        sa.UniqueConstraint("invoice_line_id", name=op.f("uq_matches_invoice_line_id")),
    )


def downgrade() -> None:

    op.drop_table("matches")
    op.drop_table("assets")
    op.drop_table("document_lines")
    op.drop_table("document_evidence")
    with op.batch_alter_table("discrepancies", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_discrepancies_type"))

    op.drop_table("discrepancies")
    op.drop_table("run_locks")
    op.drop_table("quarantine")
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_documents_po_key"))
        batch_op.drop_index(batch_op.f("ix_documents_number_key"))
        batch_op.drop_index("ix_documents_kind_po_key")
        batch_op.drop_index(batch_op.f("ix_documents_kind"))

    op.drop_table("documents")
