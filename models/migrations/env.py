"""Alembic environment: runs on the connection recon hands it, or on ``sqlalchemy.url``."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

import models.tables  # noqa: F401  (registers the tables on Base.metadata)
from models.base import Base
from models.db import make_engine

target_metadata = Base.metadata


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = context.config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:
    url = context.config.get_main_option("sqlalchemy.url") or "sqlite:///recon.db"
    with make_engine(url).connect() as conn:
        _run(conn)
        conn.commit()
