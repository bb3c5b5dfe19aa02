"""A real IMAP server for the mailbox tests: Dovecot on a loopback port.

The server (:mod:`tests.mailbox.dovecot`) is started once per session with a
throwaway configuration and stopped at the end; each test gets an account of
its own. ``make setup`` installs Dovecot (Debian's dovecot-imapd); where it is
missing the tests are skipped with that advice, except under CI, where that is
a failure.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator

import pytest

from tests.mailbox.dovecot import (
    Account,
    Dovecot,
    DovecotMissing,
    free_port,
)
from tests.mailbox.dovecot import start_dovecot as _start

__all__ = ["Account", "Dovecot", "free_port", "start_dovecot"]


def start_dovecot(tls: bool = False) -> Dovecot:
    """Start a server, or skip (fail under CI) where Dovecot is not installed."""
    try:
        return _start(tls=tls)
    except DovecotMissing as exc:
        if os.environ.get("CI"):
            pytest.fail(str(exc))
        pytest.skip(str(exc))


@pytest.fixture(scope="session")
def dovecot() -> Iterator[Dovecot]:
    server = start_dovecot()
    yield server
    server.stop()
    shutil.rmtree(server.root, ignore_errors=True)


@pytest.fixture
def account(dovecot: Dovecot) -> Account:
    """A mailbox of this test's own on the shared server."""
    return dovecot.account()
