"""Environment fixes applied before Prefect loads its settings (import this first).

- No usage reporting unasked: the ephemeral server's telemetry job also logs
  "database is locked" tracebacks under load. PREFECT_SERVER_ANALYTICS_ENABLED=true
  turns it back on.
- An empty PREFECT_API_URL means "no server" to a person (and to recon's
  ``--engine auto``), but Prefect 3.9 takes any string for a server address:
  its events worker then fails on every event and no task run is recorded.
  Unset it, so Prefect uses its ephemeral server as intended.
"""

from __future__ import annotations

import os


def prepare() -> None:
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    if not os.environ.get("PREFECT_API_URL", "x").strip():
        del os.environ["PREFECT_API_URL"]


prepare()
