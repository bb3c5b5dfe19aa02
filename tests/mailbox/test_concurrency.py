"""Two fetches at once against one mailbox and one database: nothing twice."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from extractors.mail import MailReadSettings
from models.base import utcnow
from models.db import make_engine, session_factory, transaction
from models.ledger import Claim, MailKey, claim
from models.tables import Document, MailLedger
from pipelines.mailbox import Mailbox, MailOutcome, Pass, State, list_mail, process_mail
from tests.conftest import ROOT
from tests.extractors.mail import builders as b
from tests.mailbox.conftest import Account
from tests.mailbox.helpers import documents, fetch_once, ledger_rows

pytestmark = pytest.mark.imap

MAILS = 16


def test_two_fetches_at_once_store_and_file_each_mail_once(account: Account, db_url: str) -> None:
    """GIVEN 16 mails, each with its own invoice WHEN two recon processes fetch
    at the same time THEN there are 16 documents, 16 ledger rows, 16 mails in
    the processed folder, none left in the inbox, and between them the two
    runs read each mail exactly once."""
    account.deliver(
        *(
            b.Mail(f"Invoice {i}", [b.pdf_att(i)], message_id=f"<m{i}@vendor.example>").build()
            for i in range(MAILS)
        )
    )
    env = {**os.environ, **account.env()}
    command = [sys.executable, "-m", "pipelines.cli", "--engine", "local", "--db", db_url,
               "mailbox", "fetch"]  # fmt: skip
    runs = [
        subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         text=True)
        for _ in range(2)
    ]  # fmt: skip
    outputs = [run.communicate(timeout=180) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs

    read = [int(re.findall(r"^(\d+) mails read", out, re.MULTILINE)[-1]) for out, _ in outputs]
    assert sum(read) == MAILS, outputs
    assert len(documents(db_url)) == MAILS
    engine = make_engine(db_url)
    with session_factory(engine)() as session:
        hashes = session.scalars(select(Document.sha256)).all()
    engine.dispose()
    assert len(set(hashes)) == MAILS
    rows = ledger_rows(db_url)
    assert [(r.uid, r.status, r.filed_to, r.owner) for r in rows] == [
        (uid, "done", "recon.processed", None) for uid in range(1, MAILS + 1)
    ]
    folders = account.folders()
    assert folders["INBOX"] == []
    assert sorted(folders["recon.processed"]) == sorted(f"Invoice {i}" for i in range(MAILS))


def test_a_mail_claimed_by_a_live_run_is_left_to_it(account: Account, db_url: str) -> None:
    """GIVEN another run (alive: pid 1 on this host) holds the claim on mail 1
    WHEN this run fetches THEN it takes mail 2 and leaves mail 1 where it is;
    once the other run's lease has run out, the next fetch takes mail 1."""
    account.deliver(
        b.Mail("First", [b.pdf_att(0)]).build(), b.Mail("Second", [b.pdf_att(1)]).build()
    )
    settings = account.settings()
    engine = make_engine(db_url)
    factory = session_factory(engine)
    with account.connect() as box:
        box.folder.set("INBOX")
        uidvalidity = box.folder.status("INBOX", ["UIDVALIDITY"])["UIDVALIDITY"]
    other = f"{socket.gethostname()}:1:otherrun"
    with transaction(factory) as session:
        taken, _ = claim(
            session,
            MailKey(settings.account, "INBOX", uidvalidity, 1),
            message_key="<first>",
            owner=other,
            lease=timedelta(minutes=15),
        )
    assert taken is Claim.PROCESS

    summary = fetch_once(account, db_url)
    assert [(m.uid, m.outcome.value) for m in summary.mails] == [
        (2, "ingested"),
        (1, "claimed by another run"),
    ]
    assert account.folders()["INBOX"] == ["First"]

    with transaction(factory) as session:
        session.execute(update(MailLedger).where(MailLedger.uid == 1).values(
            lease_until=utcnow() - timedelta(seconds=1)))  # fmt: skip
    engine.dispose()
    later = fetch_once(account, db_url)
    assert [(m.uid, m.outcome.value) for m in later.mails] == [(1, "ingested")]
    assert account.folders()["INBOX"] == []
    assert len(documents(db_url)) == 2


def test_mail_filed_by_another_run_after_this_one_listed_it(account: Account, db_url: str) -> None:
    """GIVEN run B has listed two new mails WHEN run A ingests and files both
    before B gets to them THEN B finds them settled: no error, nothing twice."""
    account.deliver(
        b.Mail("First", [b.pdf_att(0)]).build(), b.Mail("Second", [b.pdf_att(1)]).build()
    )
    engine = make_engine(db_url)
    settings = account.settings()
    run_b = Pass(session_factory(engine), settings, MailReadSettings())
    with Mailbox(settings) as box_b:
        listing = list_mail(box_b, run_b.factory, settings)
        assert [m.state for m in listing.mails] == [State.NEW, State.NEW]
        assert fetch_once(account, db_url).read == 2  # run A does it all
        late = [process_mail(box_b, run_b, listing.uidvalidity, m.ref) for m in listing.mails]
    engine.dispose()
    assert [(m.outcome, m.filed_to) for m in late] == [
        (MailOutcome.SETTLED, "recon.processed"),
        (MailOutcome.SETTLED, "recon.processed"),
    ]
    assert len(documents(db_url)) == 2
    assert account.folders()["recon.processed"] == ["First", "Second"]
