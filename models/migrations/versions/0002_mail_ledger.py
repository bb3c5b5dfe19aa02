"""mail ledger: what recon did with each mail of a watched mailbox

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import models.base

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "mail_ledger",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account", sa.String(length=320), nullable=False),
        sa.Column("folder", sa.String(length=512), nullable=False),
        sa.Column("uidvalidity", sa.BigInteger(), nullable=False),
        sa.Column("uid", sa.BigInteger(), nullable=False),
        sa.Column("message_key", sa.String(length=512), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=True),
        sa.Column("sender", sa.String(length=512), nullable=True),
        sa.Column("subject", sa.Text(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("documents", sa.Integer(), nullable=False),
        sa.Column("duplicates", sa.Integer(), nullable=False),
        sa.Column("quarantined", sa.Integer(), nullable=False),
        sa.Column("skipped", sa.Integer(), nullable=False),
        sa.Column("owner", sa.String(length=128), nullable=True),
        sa.Column("lease_until", models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("claimed_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("processed_at", models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("filed_at", models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("filed_to", sa.String(length=512), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mail_ledger")),
        sa.UniqueConstraint(
            "account",
            "folder",
            "uidvalidity",
            "uid",
            name=op.f("uq_mail_ledger_account_folder_uidvalidity_uid"),
        ),
    )
    with op.batch_alter_table("mail_ledger", schema=None) as batch_op:
        batch_op.create_index(
            "ix_mail_ledger_account_message_key", ["account", "message_key"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("mail_ledger", schema=None) as batch_op:
        batch_op.drop_index("ix_mail_ledger_account_message_key")

    op.drop_table("mail_ledger")
