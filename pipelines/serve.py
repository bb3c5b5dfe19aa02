"""``recon serve``: the mailbox flow on its schedule and the month-end on its, until Ctrl-C.

Two Prefect deployments served by this process (``prefect.serve``): the
``mailbox`` every RECON_MAIL_SCHEDULE, the ``month-end`` on
RECON_MONTH_END_SCHEDULE, each at most one run at a time (a run due while
the previous one still works is cancelled, not queued). Each run is a
subprocess of this one.

Schedules need a Prefect server, whose scheduler creates the runs: Prefect's
temporary (ephemeral) server has none. With ``PREFECT_API_URL`` set, recon
uses that server (``prefect server start``, or Prefect Cloud); without it,
recon starts one on 127.0.0.1 for as long as it serves (its UI shows the runs
and the artifacts), with its data in PREFECT_HOME as usual.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO

from pipelines.mailbox import Mailbox, MailboxUnavailable
from pipelines.settings import ConfigError, mail_settings, month_end_settings, schedule_kwargs

DEFAULT_PORT = 4200


def _die_with_parent() -> None:  # pragma: no cover - runs in the child before exec
    """Linux: the server gets SIGTERM if recon itself is killed outright."""
    with contextlib.suppress(Exception):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


@contextlib.contextmanager
def prefect_api(port: int, *, ui: bool, out: TextIO) -> Iterator[str]:
    """PREFECT_API_URL if set, else a Prefect server of our own on 127.0.0.1:``port``."""
    existing = os.environ.get("PREFECT_API_URL", "").strip()
    if existing:
        yield existing
        return
    with socket.socket() as sock:
        if sock.connect_ex(("127.0.0.1", port)) == 0:
            raise ConfigError(
                f"port {port} is taken (a Prefect server already running?): pass --prefect-port, "
                f"or set PREFECT_API_URL=http://127.0.0.1:{port}/api to use that server"
            )
    home = Path(os.environ.get("PREFECT_HOME", "~/.prefect")).expanduser()
    home.mkdir(parents=True, exist_ok=True)
    log_path = home / "recon-serve-server.log"
    command = [
        sys.executable, "-m", "prefect", "server", "start",
        "--host", "127.0.0.1", "--port", str(port), "--ui" if ui else "--no-ui",
    ]  # fmt: skip
    env = {**os.environ, "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}
    url = f"http://127.0.0.1:{port}/api"
    print(f"starting a Prefect server on 127.0.0.1:{port} (log: {log_path})", file=out, flush=True)
    with log_path.open("ab") as log:
        server = subprocess.Popen(
            command,
            stdout=log,
            stderr=subprocess.STDOUT,
            env=env,
            # Ctrl-C reaches recon, which stops the runs and then the server.
            start_new_session=True,
            preexec_fn=_die_with_parent if sys.platform == "linux" else None,
        )
    try:
        _wait_healthy(url, server, log_path)
        os.environ["PREFECT_API_URL"] = url
        yield url
    finally:
        os.environ.pop("PREFECT_API_URL", None)
        server.terminate()
        try:
            server.wait(20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(5)


def _wait_healthy(url: str, server: subprocess.Popen[bytes], log_path: Path) -> None:
    import httpx

    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if server.poll() is not None:
            tail = log_path.read_text(errors="replace")[-2000:]
            raise ConfigError(
                f"the Prefect server stopped at start (exit {server.returncode}):\n{tail}"
            )
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(f"{url}/health", timeout=2).status_code == 200:
                return
        time.sleep(0.25)
    raise ConfigError(f"the Prefect server did not answer within 90 s; see {log_path}")


def serve(
    db_url: str, *, port: int = DEFAULT_PORT, ui: bool = True, out: TextIO = sys.stdout
) -> int:
    """Serve the two deployments until Ctrl-C (or SIGTERM); 0 on a clean stop."""
    mail, _ = mail_settings()
    mail.require_connection()
    month = month_end_settings()
    mail_schedule = schedule_kwargs(mail.schedule)
    month_schedule = schedule_kwargs(month.schedule)
    # A wrong password or certificate should stop us now, not fail every run.
    try:
        with Mailbox(mail) as box:
            box.select(mail.folder, readonly=True)
    except MailboxUnavailable as exc:
        print(f"warning: {exc}; serving anyway, each run retries", file=out, flush=True)
    # The runs read the database from the environment: never a flow parameter.
    os.environ["RECON_DATABASE_URL"] = db_url
    signal.signal(signal.SIGTERM, _terminate)
    with prefect_api(port, ui=ui, out=out) as api:
        from prefect import serve as prefect_serve
        from prefect.client.schemas.objects import (
            ConcurrencyLimitConfig,
            ConcurrencyLimitStrategy,
        )
        from prefect.deployments.runner import RunnerDeployment
        from prefect.types.entrypoint import EntrypointType

        from pipelines.flows import month_end
        from pipelines.mailbox_flow import mailbox_fetch

        one_at_a_time = ConcurrencyLimitConfig(
            limit=1, collision_strategy=ConcurrencyLimitStrategy.CANCEL_NEW
        )
        common: dict[str, Any] = {
            "concurrency_limit": one_at_a_time,
            "entrypoint_type": EntrypointType.MODULE_PATH,
            "tags": ["recon"],
        }
        mailbox = mailbox_fetch.to_deployment(
            name="mailbox",
            description=f"Ingest new mail of {mail.account} ({mail.folder}) and file it away",
            **mail_schedule,
            **common,
        )
        monthly = month_end.to_deployment(
            name="month-end",
            description="Ingest the drop folders, reconcile everything, publish the report",
            parameters={"paths": list(month.paths)},
            **month_schedule,
            **common,
        )
        print(
            f"serving: mailbox {mail.account} {mail.folder} every {mail.schedule!r}, "
            f"month-end {month.schedule!r}; Prefect API {api}; Ctrl-C stops",
            file=out,
            flush=True,
        )
        # to_deployment returns a coroutine only when called from async code.
        assert isinstance(mailbox, RunnerDeployment) and isinstance(monthly, RunnerDeployment)
        prefect_serve(mailbox, monthly, print_starting_message=False)
    print("recon serve stopped", file=out, flush=True)
    return 0


def _terminate(signum: int, frame: Any) -> None:
    """SIGTERM (systemd, docker stop) stops like Ctrl-C."""
    raise KeyboardInterrupt
