"""``recon ingest`` on saved mails: each attachment is a document or a quarantine row."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import select

from models.db import make_engine, session_factory
from models.tables import Document, Quarantine
from pipelines.cli import main
from tests.extractors.mail import builders as b


def stored(db_url: str) -> tuple[list[tuple[str, str | None]], list[tuple[str, str, str]]]:
    engine = make_engine(db_url)
    with session_factory(engine)() as session:
        docs = [
            (d.source, d.number) for d in session.scalars(select(Document).order_by(Document.id))
        ]
        quarantined = [
            (q.source, q.code, q.reason)
            for q in session.scalars(select(Quarantine).order_by(Quarantine.id))
        ]
    engine.dispose()
    return docs, quarantined


def test_a_saved_eml_becomes_its_attachments(
    db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """GIVEN a saved mail with two invoices, a logo and a zip bomb WHEN it is
    ingested THEN each invoice is a document named after the mail, the bomb is
    quarantined, the logo skipped, and the mail gets a line of its own."""
    (n0, d0), (n1, d1) = b.invoice(0), b.invoice(1)
    eml = tmp_path / "october.eml"
    eml.write_bytes(
        b.Mail(
            "Invoices",
            [
                b.Att(n0, d0, "application/pdf"),
                b.Att(n1, d1, "application/pdf", "quoted-printable"),
                b.Att("logo.png", b.logo_png(), "image/png"),
                b.Att("more.zip", b.zip_bomb(8 * 1024 * 1024)),
            ],
        ).build()
    )
    assert main(["--db", db_url, "-q", "ingest", str(eml)]) == 0
    docs, quarantined = stored(db_url)
    assert docs == [
        (f"october.eml / {n0}", b.invoice_number(n0)),
        (f"october.eml / {n1}", b.invoice_number(n1)),
    ]
    assert [(s, c) for s, c, _ in quarantined] == [
        ("october.eml / more.zip / invoice.pdf", "hostile")
    ]
    out = capsys.readouterr().out
    assert f"  mail         {eml} (3 files: 2 ingested, 1 quarantined; skipped logo.png" in out
    assert re.search(
        r"^1 files in [\d.]+ s \(1 mails holding 3 files\): 2 ingested \(2 invoices\), "
        r"0 already ingested \(no change\), 1 quarantined$",
        out,
        re.MULTILINE,
    ), out

    # The same mail again changes nothing; the same invoice as a plain file is no new document.
    loose = tmp_path / "loose.pdf"
    loose.write_bytes(d0)
    assert main(["--db", db_url, "-q", "ingest", str(eml), str(loose)]) == 0
    assert stored(db_url)[0] == docs


def test_a_mail_without_attachment_is_quarantined_with_what_it_held(
    db_url: str, tmp_path: Path
) -> None:
    body = tmp_path / "body-only.eml"
    body.write_bytes(
        b.Mail(
            "Invoice 2026-118",
            [b.Att("logo.png", b.logo_png(), "image/png")],
            body="Invoice 2026-118, total due 1,250.00 EUR by 30 October.",
        ).build()
    )
    assert main(["--db", db_url, "-q", "ingest", str(body)]) == 1
    docs, quarantined = stored(db_url)
    assert docs == []
    assert quarantined == [
        (
            "body-only.eml",
            "no_attachment",
            "the mail has no attachment recon could read (it holds only logo.png: a small "
            "image (1,820 bytes, under RECON_MAIL_MIN_IMAGE_BYTES): a logo or icon, not a "
            "scan); its text mentions 'Invoice' and an amount (1,250.00), so the invoice may "
            "be in the text itself: ask the sender for the invoice as a PDF attachment, or "
            "save it and run recon ingest",
        )
    ]


def test_an_outlook_msg_is_read_like_a_mail(db_url: str, tmp_path: Path) -> None:
    n0, d0 = b.invoice(3)
    msg = tmp_path / "Invoice.msg"
    msg.write_bytes(b.outlook_msg(subject="Invoice", attachments=[b.MsgAtt(n0, d0)]))
    assert main(["--db", db_url, "-q", "ingest", str(msg)]) == 0
    assert stored(db_url) == ([(f"Invoice.msg / {n0}", b.invoice_number(n0))], [])


def test_a_mail_whose_only_invoice_is_corrupt_fails_as_a_whole(db_url: str, tmp_path: Path) -> None:
    eml = tmp_path / "broken.eml"
    eml.write_bytes(
        b.Mail("x", [b.Att("invoice.pdf", b"%PDF-1.4\ngarbage", "application/pdf")]).build()
    )
    assert main(["--db", db_url, "-q", "ingest", str(eml)]) == 1
    docs, quarantined = stored(db_url)
    assert docs == []
    assert [(s, c) for s, c, _ in quarantined] == [("broken.eml / invoice.pdf", "corrupt")]
