"""TLS from the first byte (IMAPS) and STARTTLS, with a certificate that is checked."""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import pytest

from pipelines.mailbox import Mailbox, MailboxRefused
from pipelines.settings import Security
from tests.extractors.mail import builders as b
from tests.mailbox.conftest import Dovecot, start_dovecot
from tests.mailbox.helpers import documents, fetch_once

pytestmark = pytest.mark.imap


@pytest.fixture(scope="module")
def tls_dovecot() -> Iterator[Dovecot]:
    """Dovecot with ``ssl = yes`` and a self-signed certificate for 127.0.0.1."""
    if shutil.which("openssl") is None:
        pytest.skip("openssl is needed to make the test certificate")
    server = start_dovecot(tls=True)
    yield server
    server.stop()
    shutil.rmtree(server.root, ignore_errors=True)


@pytest.mark.parametrize("security", [Security.TLS, Security.STARTTLS])
def test_fetch_over_tls_with_the_servers_own_certificate(
    tls_dovecot: Dovecot, security: Security, db_url: str
) -> None:
    account = tls_dovecot.account()
    account.deliver(b.Mail("Invoice", [b.pdf_att(0)], message_id="<tls@x.example>").build())
    port = tls_dovecot.tls_port if security is Security.TLS else tls_dovecot.port
    summary = fetch_once(
        account, db_url, security=security, port=port, tls_ca_file=tls_dovecot.cert
    )
    assert (summary.read, summary.documents) == (1, 1)
    assert documents(db_url)[0][0] == f"mail <tls@x.example> / {b.INVOICES[0].name}"
    # The test delivered in plain text; recon's own login (the last one) was TLS.
    logins = [
        line
        for line in tls_dovecot.log().splitlines()
        if "Login:" in line and f"user=<{account.user}>" in line
    ]
    assert len(logins) == 2 and ", TLS," not in logins[0] and ", TLS," in logins[-1]


def test_a_certificate_nobody_vouches_for_is_refused(tls_dovecot: Dovecot) -> None:
    """Without RECON_MAIL_TLS_CA_FILE the system's authorities decide, and they do
    not know this certificate: recon refuses, where Python's imaplib alone would not."""
    account = tls_dovecot.account()
    settings = account.settings(security=Security.TLS, port=tls_dovecot.tls_port)
    with pytest.raises(MailboxRefused) as err, Mailbox(settings) as box:
        box.select("INBOX")
    assert "is not trusted (self-signed certificate)" in str(err.value)
    assert "RECON_MAIL_TLS_CA_FILE" in str(err.value)
