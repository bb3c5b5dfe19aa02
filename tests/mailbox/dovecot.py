"""A throwaway Dovecot IMAP server on loopback ports, for the tests and the benchmark.

It writes its configuration (a passwd-file with PLAIN passwords, a static
userdb, Maildir under a temporary folder), runs ``dovecot -F`` and starts in
about a third of a second. Accounts are written up front (Dovecot looks at a
changed passwd-file at most once a second); each user of the server takes one
of its own, so they share the server but never a mailbox.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from imap_tools import MailBoxUnencrypted

from pipelines.settings import MailSettings, Security

DOVECOT = shutil.which("dovecot") or "/usr/sbin/dovecot"
#: Accounts made when a server starts; each test takes one of its own.
ACCOUNTS = 200
_ids = itertools.count(1)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Account:
    user: str
    password: str
    server: Dovecot

    def settings(self, **overrides: Any) -> MailSettings:
        values: dict[str, Any] = {
            "host": "127.0.0.1",
            "port": self.server.port,
            "security": Security.NONE,
            "user": self.user,
            "password": self.password,
            "timeout": 10,
            "retry_delays": (0.2,),
        }
        values.update(overrides)
        return MailSettings(**values)

    def env(self) -> dict[str, str]:
        """The same settings as RECON_MAIL_* variables, for the CLI."""
        return {
            "RECON_MAIL_HOST": "127.0.0.1",
            "RECON_MAIL_PORT": str(self.server.port),
            "RECON_MAIL_SECURITY": "none",
            "RECON_MAIL_USER": self.user,
            "RECON_MAIL_PASSWORD": self.password,
            "RECON_MAIL_TIMEOUT": "10",
            "RECON_MAIL_RETRY_DELAYS": "0.2",
        }

    def connect(self) -> MailBoxUnencrypted:
        box = MailBoxUnencrypted("127.0.0.1", self.server.port, timeout=10)
        box.login(self.user, self.password, initial_folder=None)
        return box

    def deliver(self, *mails: bytes, folder: str = "INBOX") -> None:
        """Put mails into the folder, as the mail server's delivery would (IMAP APPEND)."""
        with self.connect() as box:
            for raw in mails:
                box.append(raw, folder)

    def folders(self) -> dict[str, list[str]]:
        """Every folder with the subjects of the mails in it, in UID order."""
        out: dict[str, list[str]] = {}
        with self.connect() as box:
            for info in box.folder.list():
                if "\\Noselect" in info.flags or "\\NonExistent" in info.flags:
                    continue  # a parent that only holds other folders
                box.folder.set(info.name, readonly=True)
                out[info.name] = [m.subject for m in box.fetch(headers_only=True, mark_seen=False)]
        return out

    def flags(self, folder: str = "INBOX") -> dict[str, tuple[str, ...]]:
        with self.connect() as box:
            box.folder.set(folder, readonly=True)
            return {m.subject: m.flags for m in box.fetch(headers_only=True, mark_seen=False)}


@dataclass
class Dovecot:
    root: Path
    port: int
    process: subprocess.Popen[bytes] | None = None
    tls_port: int | None = None
    cert: Path | None = None
    users: list[str] = field(default_factory=list)

    @property
    def passwd(self) -> Path:
        return self.root / "passwd"

    def add_accounts(self, n: int) -> None:
        """Write ``n`` accounts up front: Dovecot looks at a changed passwd-file at most
        once a second, so an account added later may not be seen at once."""
        with self.passwd.open("a") as fh:
            for _ in range(n):
                k = next(_ids)
                fh.write(f"ap{k}@example.com:{{PLAIN}}pw-{k}-{os.urandom(6).hex()}::::::\n")

    def account(self) -> Account:
        """The next unused account."""
        for line in self.passwd.read_text().splitlines():
            user, rest = line.split(":", 1)
            if user not in self.users:
                self.users.append(user)
                return Account(user, rest.split(":", 1)[0].removeprefix("{PLAIN}"), self)
        raise RuntimeError("out of test accounts: raise ACCOUNTS in tests/mailbox/conftest.py")

    def log(self) -> str:
        path = self.root / "dovecot.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)


def _config(root: Path, port: int, tls: tuple[Path, Path, int] | None) -> str:
    if os.geteuid() == 0:
        # Dovecot refuses to hand mail to root; its own users run it as on a server.
        internal, login, mail_user = "dovecot", "dovenull", "nobody"
        mail_group = "nogroup"
    else:
        me = pwd.getpwuid(os.geteuid()).pw_name
        internal = login = mail_user = mail_group = me
    if tls:
        cert, key, tls_port = tls
        ssl_lines = f"ssl = yes\nssl_cert = <{cert}\nssl_key = <{key}\n"
        imaps = f"  inet_listener imaps {{\n    address = 127.0.0.1\n    port = {tls_port}\n  }}\n"
    else:
        ssl_lines = "ssl = no\n"
        imaps = "  inet_listener imaps {\n    port = 0\n  }\n"
    return f"""\
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
listen = 127.0.0.1
protocols = imap
{ssl_lines}disable_plaintext_auth = no
auth_mechanisms = plain login
default_internal_user = {internal}
default_internal_group = {internal if internal != mail_user else mail_group}
default_login_user = {login}
first_valid_uid = 1
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/passwd
}}
userdb {{
  driver = static
  args = uid={mail_user} gid={mail_group} home={root}/mail/%u
}}
mail_location = maildir:~/Maildir
service imap-login {{
  chroot =
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
{imaps}}}
# A test that logs in with a wrong password must not slow down the tests after
# it: no failure delay, no penalty for 127.0.0.1.
auth_failure_delay = 0
service anvil {{
  chroot =
  unix_listener anvil-auth-penalty {{
    mode = 0
  }}
}}
"""


class DovecotMissing(RuntimeError):
    """Dovecot is not installed here."""


def start_dovecot(tls: bool = False) -> Dovecot:
    """A Dovecot of its own on free loopback ports, with ACCOUNTS accounts; stop() it."""
    if not Path(DOVECOT).exists():
        raise DovecotMissing(
            "Dovecot is not installed: run 'make setup' (scripts/setup-system.sh installs "
            "Debian's dovecot-imapd) for the IMAP tests"
        )
    root = Path(tempfile.mkdtemp(prefix="recon-dovecot-"))
    root.chmod(0o755)  # Dovecot's own users must reach the Maildir below
    (root / "mail").mkdir(mode=0o777)
    (root / "mail").chmod(0o777)
    (root / "passwd").write_text("")
    (root / "passwd").chmod(0o644)
    server = Dovecot(root, free_port())
    server.add_accounts(ACCOUNTS)
    tls_files = None
    if tls:
        server.cert, key = root / "cert.pem", root / "key.pem"
        subprocess.run(
            [
                "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                "-keyout", str(key), "-out", str(server.cert), "-subj", "/CN=localhost",
                "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
            ],
            check=True, capture_output=True,
        )  # fmt: skip
        key.chmod(0o644)
        server.tls_port = free_port()
        tls_files = (server.cert, key, server.tls_port)
    conf = root / "dovecot.conf"
    conf.write_text(_config(root, server.port, tls_files))
    server.process = subprocess.Popen(
        [DOVECOT, "-F", "-c", str(conf)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    deadline = time.monotonic() + 10
    while True:
        with (
            contextlib.suppress(OSError),
            socket.create_connection(("127.0.0.1", server.port), 0.2),
        ):
            break
        if server.process.poll() is not None or time.monotonic() > deadline:
            err = server.process.stderr.read().decode() if server.process.stderr else ""
            server.stop()
            raise RuntimeError(f"Dovecot did not start: {err}\n{server.log()}")
        time.sleep(0.02)
    return server
