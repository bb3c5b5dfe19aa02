"""The run lock: one reconcile at a time per database, given back when its holder dies.

A real second process holds the lock (a PostgreSQL advisory lock, a flock
next to the SQLite file); this one must wait while it lives and get the lock
once it is killed, with no cleanup by anyone.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

from models.db import make_engine
from models.locks import run_lock

ROOT = Path(__file__).resolve().parents[2]
HOLDER = """
import sys, time
from models.db import make_engine
from models.locks import run_lock
with run_lock(make_engine(sys.argv[1]), "reconcile"):
    print("held", flush=True)
    time.sleep(600)
"""


def test_a_run_waits_for_the_holder_and_gets_the_lock_when_it_dies(db_url: str) -> None:
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, db_url],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        engine = make_engine(db_url)
        got = threading.Event()

        def take() -> None:
            with run_lock(engine, "reconcile"):
                got.set()

        waiter = threading.Thread(target=take, daemon=True)
        waiter.start()
        assert not got.wait(1.5)  # the holder is alive: we wait
        holder.send_signal(signal.SIGKILL)  # dies without giving anything back
        assert got.wait(30)
        waiter.join(5)
        with run_lock(engine, "another job"):  # names are separate locks
            pass
        engine.dispose()
    finally:
        holder.kill()
        holder.wait(10)
