"""Run locks: one job of a kind at a time per database, held across transactions.

A month-end reconcile commits chunk by chunk, so its lock cannot live in one
transaction. It lives where the database keeps such things and is given
back by the operating system when the holder dies, so a crashed run never
leaves a stale lock behind:

- **PostgreSQL**: a session advisory lock on a connection of its own, keyed
  by the job's name and the current schema (two test schemas or two
  deployments in one database do not wait for each other).
- **SQLite file**: an exclusive ``flock`` on a file next to the database
  (``<db>.<name>.lock``). SQLite is local by nature, so a file lock is as
  wide as the database is.
- **SQLite in memory**: a lock in this process, the only one that can see it.
"""

from __future__ import annotations

import fcntl
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, text

_MEMORY_LOCKS: dict[tuple[str, str], threading.Lock] = {}
_MEMORY_GUARD = threading.Lock()


@contextmanager
def run_lock(engine: Engine, name: str) -> Iterator[None]:
    """Wait until no other run of ``name`` holds the database; hold it meanwhile."""
    backend = engine.url.get_backend_name()
    if backend == "postgresql":
        with engine.connect() as connection:
            key = text("hashtextextended('recon ' || :name || ' ' || current_schema(), 0)")
            connection.execute(text(f"SELECT pg_advisory_lock({key.text})"), {"name": name})
            connection.commit()
            try:
                yield
            finally:
                connection.execute(text(f"SELECT pg_advisory_unlock({key.text})"), {"name": name})
                connection.commit()
        return
    database = engine.url.database
    if (
        backend == "sqlite"
        and database
        and database != ":memory:"
        and "mode=memory" not in str(engine.url)
    ):
        path = Path(f"{database}.{name}.lock")
        with path.open("a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)
        return
    with _MEMORY_GUARD:
        lock = _MEMORY_LOCKS.setdefault((str(engine.url), name), threading.Lock())
    with lock:
        yield
