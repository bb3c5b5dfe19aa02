"""Alembic environment: runs on the connection recon hands it, or on ``sqlalchemy.url``."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

import models.tables  # noqa: F401  (registers the tables on Base.metadata)
from models.base import Base
from models.db import make_engine

target_metadata = Base.metadata


def _run(connection: Connection) -> None:
    sqlite = connection.dialect.name == "sqlite"
    if sqlite:
        _foreign_keys_off(connection)
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()
        if sqlite:
            _check_foreign_keys(connection)


def _foreign_keys_off(connection: Connection) -> None:
    """SQLite batch migrations rebuild tables (copy, DROP TABLE, rename); with
    foreign keys on, the DROP deletes every row referencing the old table.
    Setting the PRAGMA is a no-op inside a transaction, so a connection whose
    transaction already wrote something is refused rather than migrated with
    its keys on (``models.db.migrate`` sets them off before it begins)."""
    connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
    if connection.exec_driver_sql("PRAGMA foreign_keys").scalar():
        raise RuntimeError(
            "SQLite foreign keys are still on inside the migration's transaction; "
            "run migrations through models.db.migrate, or set PRAGMA foreign_keys=OFF "
            "before the transaction begins"
        )


def _check_foreign_keys(connection: Connection) -> None:
    """With the keys off nothing checked them while migrating: check before committing."""
    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    if broken:
        raise RuntimeError(f"migration left rows with dangling foreign keys: {broken[:5]}")


connection = context.config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:
    url = context.config.get_main_option("sqlalchemy.url") or "sqlite:///recon.db"
    with make_engine(url).connect() as conn:
        _run(conn)
        conn.commit()
        if conn.dialect.name == "sqlite":
            conn.exec_driver_sql("PRAGMA foreign_keys=ON")
            conn.commit()
