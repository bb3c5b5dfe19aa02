"""``recon mailbox check|fetch`` as a person runs them: output, errors, config, secrets."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from pipelines.cli import main
from tests.extractors.mail import builders as b
from tests.mailbox.conftest import Account, free_port
from tests.mailbox.helpers import documents, ledger_rows

pytestmark = pytest.mark.imap


@pytest.fixture
def env(account: Account, monkeypatch: pytest.MonkeyPatch) -> Account:
    """The account's settings as RECON_MAIL_* variables, as a deployment sets them."""
    for key, value in account.env().items():
        monkeypatch.setenv(key, value)
    monkeypatch.delenv("RECON_CONFIG", raising=False)
    return account


def recon(db: str, *args: str) -> int:
    return main(["--engine", "local", "--db", db, *args])


def test_check_lists_what_a_fetch_would_take_and_changes_nothing(
    env: Account, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = f"sqlite:///{tmp_path / 'recon.db'}"
    env.deliver(
        b.Mail("Invoice KS", [b.pdf_att(0), b.Att("logo.png", b.logo_png(), "image/png")]).build(),
        b.Mail("Invoice 77", body="Invoice 77, total 99.00 EUR").build(),
    )
    before = env.flags()
    assert recon(db, "mailbox", "check") == 0
    out = capsys.readouterr().out
    assert f"{env.user}@127.0.0.1 on port {env.server.port} (none), folder INBOX: 2 mails" in out
    assert f"take    {b.INVOICES[0].name}: application/pdf, 7,780 bytes" in out
    assert "skip    logo.png: a small image" in out
    assert "nothing to take: its text mentions 'Invoice' and an amount (99.00)" in out
    assert out.rstrip().endswith(
        "a fetch would take 2 mails, file 0 ingested before, leave 0 alone (rules); "
        "it would create the folders recon.processed, recon.failed"
    )
    # Nothing changed: no folder made, nothing marked seen, nothing stored.
    assert env.folders() == {"INBOX": ["Invoice KS", "Invoice 77"]}
    assert env.flags() == before
    assert documents(db) == [] and ledger_rows(db) == []


def test_fetch_prints_each_mail_and_a_summary(
    env: Account, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = f"sqlite:///{tmp_path / 'recon.db'}"
    env.deliver(
        b.Mail("Invoice KS", [b.pdf_att(0)], message_id="<ks@kestrel.example>").build(),
        b.Mail("Broken", [b.Att("x.pdf", b"%PDF-1.4 junk", "application/pdf")]).build(),
    )
    assert recon(db, "mailbox", "fetch") == 0
    out = capsys.readouterr().out
    name = b.INVOICES[0].name
    assert (
        '  uid 1      ingested   "Invoice KS" from billing@acme.example -> recon.processed\n'
        f"             ingested     {name} (invoice {b.invoice_number(name)})\n"
    ) in out
    assert '  uid 2      failed     "Broken" from billing@acme.example -> recon.failed' in out
    assert "             quarantined  x.pdf\n                          corrupt: " in out
    assert out.splitlines()[-1].startswith("2 mails read in ")
    assert out.splitlines()[-1].endswith(
        "1 documents ingested, 0 already on file, 1 quarantined; 1 filed as processed, 1 as failed"
    )


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            {"RECON_MAIL_PASSWORD": "not-the-password-9f1c"},
            "refused the login of '{user}': check RECON_MAIL_USER and the password (Gmail and "
            "Outlook need an app password, not the account password); the server said: "
            "[AUTHENTICATIONFAILED] Authentication failed.",
        ),
        (
            {"RECON_MAIL_FOLDER": "Rechnungen"},
            "has no folder 'Rechnungen' (or refused to open it): set RECON_MAIL_FOLDER to "
            "one of: INBOX",
        ),
        ({"RECON_MAIL_PORT": "FREE"}, "cannot reach 127.0.0.1:{port} (none) while connecting"),
        ({"RECON_MAIL_HOST": ""}, "the mailbox is not configured: set RECON_MAIL_HOST"),
        ({"RECON_MAIL_SCHEDULE": "often"}, "RECON_MAIL_SCHEDULE: Value error, 'often' is neither"),
    ],
)
def test_errors_say_what_to_do(
    env: Account,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    change: dict[str, str],
    expected: str,
) -> None:
    port = str(free_port())
    for key, value in change.items():
        monkeypatch.setenv(key, value.replace("FREE", port))
    assert recon(f"sqlite:///{tmp_path / 'r.db'}", "mailbox", "fetch") == 2
    err = capsys.readouterr().err
    assert err.startswith("recon: ")
    assert expected.format(user=env.user, port=port) in err
    assert "Traceback" not in err
    assert "not-the-password-9f1c" not in err and env.password not in err


def test_a_config_file_below_the_environment(
    account: Account, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    """The [mail] table configures everything; an environment variable wins over it."""
    for key in account.env():
        monkeypatch.delenv(key, raising=False)
    secret = tmp_path / "password"
    secret.write_text(account.password + "\n")
    config = tmp_path / "recon.toml"
    config.write_text(
        f'[mail]\nhost = "127.0.0.1"\nport = {account.server.port}\nsecurity = "none"\n'
        f'user = "{account.user}"\npassword_file = "{secret}"\nfolder = "Nowhere"\n'
        'processed_folder = "Done/Invoices"\nskip_attachments = ["*.png"]\n'
    )
    monkeypatch.setenv("RECON_MAIL_FOLDER", "INBOX")
    account.deliver(b.Mail("Invoice", [b.pdf_att(0)]).build())
    db = f"sqlite:///{tmp_path / 'r.db'}"
    assert main(["--config", str(config), "--db", db, "-q", "mailbox", "fetch"]) == 0
    assert account.folders()["Done.Invoices"] == ["Invoice"]

    config.write_text(config.read_text() + 'hots = "typo"\n')
    assert main(["--config", str(config), "--db", db, "mailbox", "fetch"]) == 2
    assert "unknown setting hots in [mail] of the config file" in capsys.readouterr().err


def test_the_password_is_in_no_output_log_or_export(
    env: Account, tmp_path: Path, capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:  # fmt: skip
    db = f"sqlite:///{tmp_path / 'recon.db'}"
    env.deliver(b.Mail("Invoice", [b.pdf_att(0)]).build(), b.Mail("Text", body="hi").build())
    caplog.set_level(logging.DEBUG)
    assert recon(db, "-v", "mailbox", "check") == 0
    assert recon(db, "-v", "mailbox", "fetch") == 0
    export = tmp_path / "state.json"
    assert recon(db, "export", "--output", str(export)) == 0
    out, err = capsys.readouterr()
    texts = {"stdout": out, "stderr": err, "log": caplog.text, "export": export.read_text()}
    assert json.loads(texts["export"])["documents"]
    assert {name: env.password in text for name, text in texts.items()} == dict.fromkeys(
        texts, False
    )
