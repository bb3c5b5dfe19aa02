"""A fetch that dies half-way loses nothing and stores nothing twice.

The fetch runs as a real ``recon mailbox fetch`` process whose process is
ended with ``os._exit`` (no cleanup, no finally blocks, as a kill -9 or a
power cut would) at the chosen moment; then a new run goes on.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.conftest import ROOT
from tests.extractors.mail import builders as b
from tests.mailbox.conftest import Account
from tests.mailbox.helpers import documents, fetch_once, ledger_rows

pytestmark = pytest.mark.imap

#: A recon that dies when it reaches ``target`` (module attribute path).
DIE_AT = """
import importlib, os, sys
module, name = sys.argv[1].rsplit(".", 1)
target = importlib.import_module(module)
if ":" in name:
    cls, name = name.split(":")
    target = getattr(target, cls)
setattr(target, name, lambda *args, **kwargs: os._exit(3))
from pipelines.cli import main
sys.exit(main(sys.argv[2:]))
"""


def fetch_that_dies(account: Account, db_url: str, target: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, **account.env()}
    return subprocess.run(
        [sys.executable, "-c", DIE_AT, target, "--engine", "local", "--db", db_url,
         "-q", "mailbox", "fetch"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def test_killed_between_ingesting_and_moving(account: Account, db_url: str) -> None:
    """GIVEN a fetch killed right after the mail's invoice and its ledger row were
    committed, before the mail was moved WHEN the next run comes THEN it moves
    the mail and stores nothing again."""
    name, _ = b.invoice(0)
    account.deliver(b.Mail("Invoice", [b.pdf_att(0)], message_id="<crash@kestrel.example>").build())
    died = fetch_that_dies(account, db_url, "pipelines.mailbox.Mailbox:file")
    assert died.returncode == 3, died.stderr
    # Committed, not filed: the invoice is stored, the mail still in the inbox.
    assert documents(db_url) == [(f"mail <crash@kestrel.example> / {name}", b.invoice_number(name))]
    assert account.folders() == {"INBOX": ["Invoice"], "recon.processed": []}
    [row] = ledger_rows(db_url)
    assert (row.status, row.filed_at, row.owner is not None) == ("done", None, True)

    after = fetch_once(account, db_url)
    assert [(m.outcome.value, m.filed_to) for m in after.mails] == [("filed", "recon.processed")]
    assert len(documents(db_url)) == 1
    assert account.folders()["recon.processed"] == ["Invoice"]
    assert account.folders()["INBOX"] == []
    [row] = ledger_rows(db_url)
    assert (row.status, row.filed_to, row.owner) == ("done", "recon.processed", None)


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_killed_after_the_attachments_before_the_ledger(account: Account, db_url: str) -> None:
    """GIVEN a fetch killed after storing both invoices of a mail but before it
    recorded the mail as done WHEN the next run comes (at once: the dead run's
    claim is recognised as dead) THEN it reads the mail again, finds both
    invoices on file, and files the mail: two documents, not four."""
    account.deliver(
        b.Mail("Two invoices", [b.pdf_att(0), b.pdf_att(1)], message_id="<two@x.example>").build()
    )
    died = fetch_that_dies(account, db_url, "models.ledger.finish")
    assert died.returncode == 3, died.stderr
    assert len(documents(db_url)) == 2
    [row] = ledger_rows(db_url)
    assert (row.status, row.processed_at) == ("claimed", None)

    after = fetch_once(account, db_url)
    [mail] = after.mails
    assert (mail.outcome.value, mail.documents, mail.duplicates) == ("ingested", 0, 2)
    assert len(documents(db_url)) == 2
    assert account.folders()["recon.processed"] == ["Two invoices"]
    assert [r.status for r in ledger_rows(db_url)] == ["done"]
