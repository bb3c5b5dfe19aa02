"""A pass over a real mailbox: what lands in the database, where each mail ends up."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from models.db import make_engine, session_factory
from models.tables import Discrepancy, Document
from pipelines.reconcile import run_reconcile
from tests.extractors.mail import builders as b
from tests.mailbox.conftest import Account
from tests.mailbox.helpers import documents, fetch_once, ledger_rows, quarantined

pytestmark = pytest.mark.imap

PROCESSED, FAILED = "recon.processed", "recon.failed"


def number(i: int) -> str:
    return b.invoice_number(b.INVOICES[i].name)


def test_a_month_of_vendor_mail(account: Account, db_url: str) -> None:
    """GIVEN an inbox with the mail vendors really send: multipart with a logo,
    quoted-printable with a German file name in RFC 2231, a forwarded .eml, a
    ZIP with a path-traversal member, a winmail.dat, an attached Outlook .msg,
    an invoice only in the text, a malformed header, a corrupt PDF, and the
    same invoice twice (once byte for byte, once as a different file)
    WHEN recon fetches THEN every invoice is one document named after its
    mail, every problem is a quarantine row with the reason, every mail is
    filed (processed or failed), and a second pass changes nothing."""
    (n0, d0), (_, d1), _, (_, d3), (_, d4) = (b.invoice(i) for i in range(5))
    (_, d6), (_, d7), (_, d8), (_, d9) = (b.invoice(i) for i in (6, 7, 8, 9))
    mails = [
        b.Mail(
            "Invoice KS-2026-000318",
            [
                b.Att(n0, d0, "application/pdf"),
                b.Att("logo.png", b.logo_png(), "image/png", inline_cid="logo"),
            ],
            html='<p>Invoice attached.</p><img src="cid:logo">',
            message_id="<ks-318@kestrel.example>",
        ),
        b.Mail(
            "Rechnung RE-2026-10457",
            [b.Att("Rechnung März \u2013 Müller.pdf", d1, "application/pdf", "quoted-printable")],
            message_id="<re-10457@brightline.example>",
        ),
        b.Mail(
            "Fwd: Invoice TVC-INV-20931",
            [
                b.Att(
                    "Invoice TVC-INV-20931.eml",
                    b.Mail("Invoice TVC-INV-20931", [b.pdf_att(2)]).build(),
                    "message/rfc822",
                    "7bit",
                )
            ],
            sender="colleague@example.com",
            message_id="<fwd-20931@example.com>",
        ),
        b.Mail(
            "Invoices (zip)",
            [b.Att("october.zip", b.zip_of([("A-26-01184.pdf", d4), ("../../evil.pdf", d6)]))],
            message_id="<zip@acme.example>",
        ),
        b.Mail(
            "Invoice (Outlook rich text)",
            [
                b.Att(
                    "winmail.dat",
                    b.winmail_dat([("Rechnung 104871.pdf", d6)]),
                    "application/ms-tnef",
                )
            ],
            message_id="<tnef@pacific.example>",
        ),
        b.Mail(
            "Outlook item attached",
            [
                b.Att(
                    "Invoice RE-2026-10512.msg",
                    b.outlook_msg(subject="RE-2026-10512", attachments=[b.MsgAtt("RE.pdf", d7)]),
                )
            ],
            message_id="<msg@brightline.example>",
        ),
        b.Mail(
            "Invoice 2026-118",
            body="Invoice 2026-118 for consulting. Total due: 1,250.00 EUR.",
            message_id="<body-only@vendor.example>",
        ),
        b.Mail(
            "Invoice with a broken header",
            [b.Att("KS-2026-000341.pdf", d8, "application/pdf")],
            message_id="<broken@kestrel.example>",
            extra_headers=[("X-Broken", "=?utf-8?B?not-base64!?=")],
        ),
        b.Mail(
            "Damaged invoice",
            [b.Att("invoice.pdf", d9[: len(d9) // 3], "application/pdf")],
            message_id="<damaged@brightline.example>",
        ),
        b.Mail(
            "Invoice KS-2026-000318 (again)",
            [b.Att("resent.pdf", d0, "application/pdf")],
            message_id="<ks-318-again@kestrel.example>",
        ),
        b.Mail(
            "Invoice TVC-INV-20931 (copy)",
            [b.Att("TVC-INV-20931 copy.pdf", d3, "application/pdf")],
            message_id="<tvc-copy@thamesvalley.example>",
        ),
    ]
    raws = [m.build() for m in mails]
    raws[7] = raws[7].replace(b"From: Billing <billing@acme.example>", b'From: "Billing <<bill@')
    account.deliver(*raws)

    summary = fetch_once(account, db_url)

    assert (summary.read, summary.documents, summary.duplicates, summary.quarantined) == (
        (11, 8, 1, 3)
    )
    assert summary.stopped == ""
    assert sorted(documents(db_url)) == sorted(
        [
            (f"mail <ks-318@kestrel.example> / {n0}", number(0)),
            ("mail <re-10457@brightline.example> / Rechnung März \u2013 Müller.pdf", number(1)),
            (f"mail <fwd-20931@example.com> / Invoice TVC-INV-20931.eml / {b.INVOICES[2].name}",
             number(2)),
            ("mail <zip@acme.example> / october.zip / A-26-01184.pdf", number(4)),
            ("mail <tnef@pacific.example> / winmail.dat / Rechnung 104871.pdf", number(6)),
            ("mail <msg@brightline.example> / Invoice RE-2026-10512.msg / RE.pdf", number(7)),
            ("mail <broken@kestrel.example> / KS-2026-000341.pdf", number(8)),
            ("mail <tvc-copy@thamesvalley.example> / TVC-INV-20931 copy.pdf", number(3)),
        ]
    )  # fmt: skip
    assert len(documents(db_url)) == 8  # the resent invoice is the first one: no ninth
    q = {(source, code): reason for source, code, reason in quarantined(db_url)}
    assert set(q) == {
        ("mail <zip@acme.example> / october.zip / evil.pdf", "hostile"),
        ("mail <body-only@vendor.example>", "no_attachment"),
        ("mail <damaged@brightline.example> / invoice.pdf", "corrupt"),
    }
    assert "path traversal" in q[("mail <zip@acme.example> / october.zip / evil.pdf", "hostile")]
    assert (
        "'Invoice' and an amount (1,250.00)"
        in q[("mail <body-only@vendor.example>", "no_attachment")]
    )

    folders = account.folders()
    assert folders["INBOX"] == []
    assert folders[FAILED] == ["Invoice 2026-118", "Damaged invoice"]
    assert folders[PROCESSED] == [m.subject for m in mails if m.subject not in folders[FAILED]]
    assert [(r.status, r.filed_to, r.owner) for r in ledger_rows(db_url)] == [
        ("failed" if m.subject in folders[FAILED] else "done",
         FAILED if m.subject in folders[FAILED] else PROCESSED, None)
        for m in mails
    ]  # fmt: skip
    damaged = next(r for r in ledger_rows(db_url) if r.subject == "Damaged invoice")
    assert damaged.reason == "nothing in it became a document: invoice.pdf: corrupt"

    # The copy under another name is the duplicate_invoice it always was.
    run_reconcile(session_factory(make_engine(db_url)))
    with session_factory(make_engine(db_url))() as session:
        dups = (
            session.execute(
                select(Document.source)
                .join(Discrepancy, Discrepancy.invoice_id == Document.id)
                .where(Discrepancy.type == "duplicate_invoice")
            )
            .scalars()
            .all()
        )
    assert dups == ["mail <tvc-copy@thamesvalley.example> / TVC-INV-20931 copy.pdf"]

    again = fetch_once(account, db_url)
    assert (again.read, again.documents, len(again.mails)) == (0, 0, 0)
    assert account.folders() == folders


def test_a_20_mb_invoice_arrives_whole(
    account: Account, tmp_path_factory: pytest.TempPathFactory
) -> None:
    db_url = f"sqlite:///{tmp_path_factory.mktemp('big') / 'recon.db'}"
    big = b.big_pdf(6, 20 * 1024 * 1024)
    account.deliver(
        b.Mail(
            "Invoice 104871 with scan",
            [b.Att("104871.pdf", big, "application/pdf")],
            message_id="<big@pacific.example>",
        ).build()
    )
    summary = fetch_once(account, db_url)
    assert (summary.read, summary.documents) == (1, 1)
    assert documents(db_url) == [("mail <big@pacific.example> / 104871.pdf", number(6))]
    engine = make_engine(db_url)
    with session_factory(engine)() as session:
        assert session.scalars(select(Document.size_bytes)).one() == len(big)
    engine.dispose()
    assert account.folders()[PROCESSED] == ["Invoice 104871 with scan"]


def test_a_mail_over_the_size_limit_is_failed_unread(account: Account, db_url: str) -> None:
    account.deliver(b.Mail("Huge", [b.pdf_att(0)], message_id="<huge@x.example>").build())
    summary = fetch_once(account, db_url, max_mail_bytes=5000)
    assert summary.read == 1 and summary.documents == 0
    [(source, code, reason)] = quarantined(db_url)
    assert (source, code) == ("mail <huge@x.example>", "too_large")
    assert "it was not downloaded" in reason
    assert account.folders()[FAILED] == ["Huge"]


def test_rules_leave_other_mail_untouched(account: Account, db_url: str) -> None:
    """Only mail from the vendors' domain with 'invoice' in the subject is taken;
    a newsletter stays in the inbox, unread and unflagged."""
    account.deliver(
        b.Mail("Invoice A-26-01184", [b.pdf_att(4)]).build(),
        b.Mail("Our newsletter", [b.pdf_att(5)], sender="news@marketing.example").build(),
        b.Mail("Lunch?", [b.pdf_att(6)]).build(),
    )
    summary = fetch_once(
        account, db_url, senders=("*@acme.example", "*@kestrel.example"), subjects=("*invoice*",)
    )
    assert (summary.read, summary.ignored) == (1, 2)
    assert account.folders()["INBOX"] == ["Our newsletter", "Lunch?"]
    assert all("\\Seen" not in flags for flags in account.flags().values())
    assert [n for _, n in documents(db_url)] == [number(4)]


def test_flag_mode_leaves_mail_in_place_and_never_reads_it_twice(
    account: Account, db_url: str
) -> None:
    account.deliver(
        b.Mail("Invoice", [b.pdf_att(0)]).build(), b.Mail("Nothing", body="hello").build()
    )
    first = fetch_once(account, db_url, after="flag")
    assert (first.read, first.documents) == (2, 1)
    assert account.folders() == {"INBOX": ["Invoice", "Nothing"]}
    flags = account.flags()
    assert set(flags["Invoice"]) == {"\\Seen", "recon-processed"}
    assert set(flags["Nothing"]) == {"\\Seen", "recon-failed"}
    second = fetch_once(account, db_url, after="flag")
    assert (second.read, len(second.mails)) == (0, 0)


def test_the_same_mail_again_under_a_new_uid_is_not_read_again(
    account: Account, db_url: str
) -> None:
    """A person copies an ingested mail back into the inbox (or the server renumbers
    the folder): its Message-ID is in the ledger, so it is only filed."""
    raw = b.Mail("Invoice", [b.pdf_att(0)], message_id="<once@kestrel.example>").build()
    account.deliver(raw)
    assert fetch_once(account, db_url).documents == 1
    account.deliver(raw)
    again = fetch_once(account, db_url)
    assert [(m.outcome.value, m.filed_to) for m in again.mails] == [("filed", PROCESSED)]
    assert "was ingested before from INBOX (uid 1)" in again.mails[0].detail
    assert len(documents(db_url)) == 1
    assert account.folders()[PROCESSED] == ["Invoice", "Invoice"]
    assert [r.status for r in ledger_rows(db_url)] == ["done", "done"]


def test_a_very_long_message_id_still_fits(account: Account, db_url: str) -> None:
    """Message-IDs have no length limit; sources do (512): the mail is still
    quarantined with its reason and filed, on PostgreSQL as on SQLite."""
    long_id = f"<{'x' * 700}@vendor.example>"
    account.deliver(b.Mail("Only text", body="hello", message_id=long_id).build())
    summary = fetch_once(account, db_url)
    assert [m.outcome.value for m in summary.mails] == ["failed"]
    [(source, code, _)] = quarantined(db_url)
    assert code == "no_attachment" and source.startswith("mail <xxx") and len(source) <= 512
    assert account.folders()[FAILED] == ["Only text"]
