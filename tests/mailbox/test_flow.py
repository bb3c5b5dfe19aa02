"""The ``mailbox_fetch`` Prefect flow, run for real in Prefect's ephemeral mode."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from pipelines.cli import main
from tests.extractors.mail import builders as b
from tests.mailbox.conftest import Account
from tests.mailbox.helpers import documents

pytestmark = [pytest.mark.imap, pytest.mark.prefect, pytest.mark.slow]


class FlakyRelay:
    """A TCP relay to the IMAP server that hangs up on its first ``drop`` connections,
    as a server behind a restarting load balancer does."""

    def __init__(self, target: int, drop: int = 1) -> None:
        self.target, self.drop, self.accepted = target, drop, 0
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = int(self.listener.getsockname()[1])
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            self.accepted += 1
            if self.accepted <= self.drop:
                client.close()
                continue
            upstream = socket.create_connection(("127.0.0.1", self.target))
            for a, z in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(a, z), daemon=True).start()

    @staticmethod
    def _pump(source: socket.socket, sink: socket.socket) -> None:
        with contextlib.suppress(OSError):
            while data := source.recv(65536):
                sink.sendall(data)
        with contextlib.suppress(OSError):
            sink.shutdown(socket.SHUT_WR)

    def close(self) -> None:
        self.listener.close()


@pytest.fixture
def relay(account: Account) -> Iterator[FlakyRelay]:
    r = FlakyRelay(account.server.port)
    yield r
    r.close()


def test_the_flow_retries_a_dropped_connection_and_publishes_a_summary(
    account: Account,
    relay: FlakyRelay,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """GIVEN a server whose first connection is dropped WHEN the flow runs THEN
    the listing task is retried and succeeds, each mail is a task, the mail
    with nothing readable is filed as failed without a retry, and the run
    summary is an artifact; the password is in none of it."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import (
        ArtifactFilter,
        ArtifactFilterKey,
        FlowFilter,
        FlowFilterName,
        FlowRunFilter,
        FlowRunFilterId,
    )
    from prefect.client.schemas.sorting import FlowRunSort

    for key, value in account.env().items():
        monkeypatch.setenv(key, value)
    monkeypatch.setenv("RECON_MAIL_PORT", str(relay.port))
    monkeypatch.setenv("RECON_MAIL_RETRIES", "2")
    monkeypatch.setenv("RECON_MAIL_RETRY_DELAYS", "0.5")
    account.deliver(
        b.Mail("Invoice A", [b.pdf_att(0)]).build(),
        b.Mail("Invoice B", [b.pdf_att(1)]).build(),
        b.Mail("Just text", body="hello").build(),
    )
    db = f"sqlite:///{tmp_path / 'recon.db'}"
    assert main(["--engine", "prefect", "--db", db, "mailbox", "fetch"]) == 0
    out, err = capsys.readouterr()
    assert relay.accepted >= 2  # the first connection was dropped, a retry got through
    assert len(documents(db)) == 2
    assert account.folders()["recon.failed"] == ["Just text"]
    assert "3 mails read" in out

    with get_client(sync_client=True) as client:
        [run] = client.read_flow_runs(
            flow_filter=FlowFilter(name=FlowFilterName(any_=["mailbox_fetch"])),
            sort=FlowRunSort.START_TIME_DESC,
            limit=1,
        )
        # Task runs reach the API as events, recorded a moment later.
        deadline = time.monotonic() + 30
        while True:
            found = client.read_task_runs(
                flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[run.id]))
            )
            tasks = {t.name: t.run_count for t in found if t.state and t.state.is_final()}
            if len(tasks) == 4 or time.monotonic() > deadline:
                break
            time.sleep(0.25)
        artifact = client.read_artifacts(
            artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=["mailbox-fetch"])),
            limit=1,
        )[0]
        logs = client.read_logs()
    assert tasks["list mail"] == 2  # failed once on the dropped connection, then succeeded
    assert tasks["mail uid 3"] == 1  # nothing readable in it: filed as failed, never retried
    assert {tasks["mail uid 1"], tasks["mail uid 2"]} == {1}
    markdown = str(artifact.data)
    assert "| mails read | documents ingested | duplicates | quarantined | failed mails" in markdown
    assert "| 3 | 2 | 0 | 1 | 1 | 0 | 0 | 0 |" in markdown
    assert run.parameters == {"db_url": None, "limit": None}
    secrets = [markdown, out, err, str(run.parameters), *(log.message for log in logs)]
    assert not [text for text in secrets if account.password in text]
