"""references: the further POs a document cites, each line's PO, a credit note's invoice

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26

Nullable columns only: every document stored before reads as citing its one
PO (or none), with no line-level PO and no credited invoice, which is what
recon read from it then.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "other_po_numbers",
                sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
                nullable=True,
            )
        )
        batch_op.add_column(sa.Column("credited_number", sa.String(length=128), nullable=True))
        batch_op.add_column(sa.Column("credited_key", sa.String(length=128), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_documents_credited_key"), ["credited_key"], unique=False
        )
    with op.batch_alter_table("document_lines", schema=None) as batch_op:
        batch_op.add_column(sa.Column("po_number", sa.String(length=128), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("document_lines", schema=None) as batch_op:
        batch_op.drop_column("po_number")
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_documents_credited_key"))
        batch_op.drop_column("credited_key")
        batch_op.drop_column("credited_number")
        batch_op.drop_column("other_po_numbers")
