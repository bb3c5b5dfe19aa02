"""What recon takes out of a mail, and why: real MIME, winmail.dat and .msg files."""

from __future__ import annotations

import struct
import zipfile

import pytest

from extractors import sniff
from extractors.mail import Decision, MailContents, MailReadSettings, read_mail
from extractors.mail.reader import invoice_hint, is_mail
from extractors.types import ErrorCode, ExtractionError
from tests.extractors.mail import builders as b


def decisions(contents: MailContents) -> list[tuple[str, str, str | None]]:
    return [(p.label, p.decision.value, p.code) for p in contents.parts]


def test_attachments_are_taken_and_logos_signatures_and_invites_skipped() -> None:
    """GIVEN an HTML mail with a base64 PDF, a quoted-printable PDF, an inline logo,
    a small attached icon, an S/MIME signature and a calendar invite
    THEN both PDFs are taken byte for byte and the rest skipped, each with a reason."""
    pdf0, pdf1 = b.invoice(0), b.invoice(1)
    raw = b.Mail(
        subject="Invoices October",
        html='<p>Invoices attached.</p><img src="cid:logo123">',
        attachments=[
            b.Att("logo.png", b.logo_png(), "image/png", inline_cid="logo123"),
            b.Att(pdf0[0], pdf0[1], "application/pdf", "base64"),
            b.Att(pdf1[0], pdf1[1], "application/pdf", "quoted-printable"),
            b.Att("icon.png", b.logo_png(), "image/png"),
            b.Att("smime.p7s", b"0\x82\x05", "application/pkcs7-signature"),
            b.Att("meeting.ics", b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "text/calendar"),
        ],
    ).build()
    contents = read_mail(raw)
    taken = {p.name: p.data for p in contents.taken}
    assert taken == {pdf0[0]: pdf0[1], pdf1[0]: pdf1[1]}
    assert all(p.mime == sniff.PDF for p in contents.taken)
    skipped = {p.name: p.reason for p in contents.skipped}
    assert skipped == {
        "logo.png": "an image shown in the mail body (logo, signature)",
        "icon.png": "a small image (1,820 bytes, under RECON_MAIL_MIN_IMAGE_BYTES): "
        "a logo or icon, not a scan",
        "smime.p7s": "a digital signature, not a document",
        "meeting.ics": "a calendar invite or contact card",
    }
    assert contents.subject == "Invoices October"
    assert contents.sender == "Billing <billing@acme.example>"
    assert contents.message_id is not None and contents.message_id.endswith("@acme.example>")
    assert contents.invoice_hint is None


def test_a_large_attached_image_is_a_scan_and_taken() -> None:
    scan = b.png(120, 80)  # 28 KB of noise: over the 16 KiB logo limit
    contents = read_mail(b.Mail("Scan", [b.Att("scan.png", scan, "image/png")]).build())
    assert [(p.name, p.decision, p.mime) for p in contents.parts] == [
        ("scan.png", Decision.TAKEN, sniff.PNG)
    ]


@pytest.mark.parametrize(
    "name",
    ["Rechnung März 2026 \u2013 Müller & Söhne.pdf", "請求書_2026.pdf", "facture n°12 (été).pdf"],
)
def test_non_ascii_file_names_in_rfc_2231_come_out_exactly(name: str) -> None:
    raw = b.Mail("Rechnung", [b.pdf_att(0, name=name)]).build()
    assert b"filename*" in raw and b"=utf-8''" in raw  # really RFC 2231 on the wire
    assert [p.name for p in read_mail(raw).taken] == [name]


def test_an_rfc_2047_encoded_file_name_as_outlook_writes_it() -> None:
    raw = b.Mail("Rechnung", [b.pdf_att(0, name="x.pdf")]).build()
    encoded = b'filename="=?utf-8?B?UmVjaG51bmcgTcOkcnoucGRm?="'  # "Rechnung März.pdf"
    raw = raw.replace(b'filename="x.pdf"', encoded)
    assert [p.name for p in read_mail(raw).taken] == ["Rechnung März.pdf"]


@pytest.mark.parametrize("cte", ["7bit", "base64"])
def test_a_forwarded_mail_is_opened_where_it_is(cte: str) -> None:
    """GIVEN a mail forwarding the vendor's mail as message/rfc822 (as RFC 2046
    says, and base64-encoded, as some clients do all the same), and another
    that attaches a saved .eml as a plain file THEN the PDFs inside are taken."""
    inner = b.Mail("Invoice A-26-01184", [b.pdf_att(4)]).build()
    forwarded = b.Mail(
        "Fwd: Invoice A-26-01184",
        [b.Att("Invoice A-26-01184.eml", inner, "message/rfc822", cte)],
        sender="colleague@example.com",
    ).build()
    assert f"Content-Transfer-Encoding: {cte}".encode() in forwarded.split(b"message/rfc822")[1]
    saved = b.Mail("saved", [b.Att("vendor mail.eml", inner)]).build()
    name, data = b.invoice(4)
    assert [(p.label, p.decision.value, p.data) for p in read_mail(forwarded).parts] == [
        (f"Invoice A-26-01184.eml / {name}", "taken", data)
    ]
    assert decisions(read_mail(saved)) == [(f"vendor mail.eml / {name}", "taken", None)]


def test_a_zip_of_invoices_is_unpacked_and_its_hostile_members_refused() -> None:
    pdf0, pdf1 = b.invoice(0), b.invoice(1)
    archive = b.zip_of(
        [
            (f"october/{pdf0[0]}", pdf0[1]),
            (pdf1[0], pdf1[1]),
            ("../../etc/cron.d/evil.pdf", pdf0[1]),
            ("__MACOSX/._x.pdf", b"junk"),
        ]
    )
    contents = read_mail(b.Mail("Invoices", [b.Att("invoices.zip", archive)]).build())
    assert decisions(contents) == [
        (f"invoices.zip / {pdf0[0]}", "taken", None),
        (f"invoices.zip / {pdf1[0]}", "taken", None),
        ("invoices.zip / evil.pdf", "refused", "hostile"),
    ]
    assert "path traversal" in contents.refused[0].reason
    assert contents.taken[0].data == pdf0[1]


def test_a_zip_bomb_is_refused_before_it_inflates() -> None:
    bomb = b.zip_bomb(64 * 1024 * 1024)
    assert len(bomb) < 200_000
    contents = read_mail(b.Mail("Invoice", [b.Att("invoice.zip", bomb)]).build())
    assert decisions(contents) == [("invoice.zip / invoice.pdf", "refused", "hostile")]
    assert "zip bomb" in contents.parts[0].reason


def test_archives_past_the_unpack_budget_are_refused() -> None:
    pdf = b.invoice(0)
    archive = b.zip_of([("a.pdf", pdf[1]), ("b.pdf", pdf[1])], zipfile.ZIP_STORED)
    settings = MailReadSettings(max_unpacked_bytes=len(pdf[1]) + 100)
    contents = read_mail(b.Mail("x", [b.Att("two.zip", archive)]).build(), settings=settings)
    assert decisions(contents) == [("two.zip", "refused", "hostile")]
    assert "would unpack to" in contents.parts[0].reason


def test_a_password_zip_and_an_office_file_are_refused_with_what_to_do() -> None:
    archive = bytearray(b.zip_of([("invoice.pdf", b.invoice(0)[1])], zipfile.ZIP_STORED))
    # Mark the member encrypted, as a password ZIP does (local and central header flags).
    for sig, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        pos = archive.index(sig)
        flags = struct.unpack_from("<H", archive, pos + offset)[0]
        struct.pack_into("<H", archive, pos + offset, flags | 0x1)
    docx = b.zip_of([("[Content_Types].xml", b"<Types/>"), ("word/document.xml", b"<w/>")])
    contents = read_mail(
        b.Mail("x", [b.Att("locked.zip", bytes(archive)), b.Att("Rechnung.docx", docx)]).build()
    )
    assert decisions(contents) == [
        ("locked.zip / invoice.pdf", "refused", "encrypted"),
        ("Rechnung.docx", "refused", "unsupported_type"),
    ]
    assert contents.parts[1].reason == (
        "Rechnung.docx is a Word document, which recon cannot read; ask the sender for a PDF"
    )


def test_nesting_past_the_depth_limit_is_refused() -> None:
    """mail > zip > zip > zip: the third archive is four containers deep."""
    pdf = b.invoice(0)
    inner = b.zip_of([("c.zip", b.zip_of([("deep.pdf", pdf[1])]))])
    outer = b.zip_of([("b.zip", inner), ("ok.pdf", pdf[1])])
    contents = read_mail(b.Mail("x", [b.Att("a.zip", outer)]).build())
    assert decisions(contents) == [
        ("a.zip / b.zip / c.zip", "refused", "hostile"),
        ("a.zip / ok.pdf", "taken", None),
    ]
    assert "past RECON_MAIL_MAX_DEPTH (3)" in contents.parts[0].reason


def test_winmail_dat_is_unpacked_with_the_long_file_names() -> None:
    pdf0, pdf1 = b.invoice(0), b.invoice(2)
    tnef = b.winmail_dat([("Rechnung Oktober 2026.pdf", pdf0[1]), (pdf1[0], pdf1[1])])
    assert sniff.sniff_mime(tnef) == sniff.TNEF
    contents = read_mail(
        b.Mail("Invoice", [b.Att("winmail.dat", tnef, "application/ms-tnef")]).build()
    )
    assert [(p.label, p.data) for p in contents.taken] == [
        ("winmail.dat / Rechnung Oktober 2026.pdf", pdf0[1]),
        (f"winmail.dat / {pdf1[0]}", pdf1[1]),
    ]


def test_a_damaged_winmail_dat_is_refused_not_dropped() -> None:
    tnef = b.winmail_dat([("invoice.pdf", b.invoice(0)[1])])[:200]
    contents = read_mail(b.Mail("x", [b.Att("winmail.dat", tnef, "application/ms-tnef")]).build())
    assert decisions(contents) == [("winmail.dat", "refused", "unsupported_type")]
    assert "not Rich Text" in contents.parts[0].reason


def test_an_invoice_in_the_body_alone_is_reported() -> None:
    raw = b.Mail(
        "Invoice 2026-118",
        body="Dear customer,\n\nInvoice 2026-118 for October. Total due: 1.234,50 EUR.\n",
    ).build()
    contents = read_mail(raw)
    assert contents.parts == ()
    assert contents.invoice_hint == "its text mentions 'Invoice' and an amount (1.234,50)"


def test_a_mail_with_only_a_greeting_has_no_hint() -> None:
    contents = read_mail(b.Mail("Hello", body="See you on Monday.").build())
    assert contents.parts == () and contents.invoice_hint is None


@pytest.mark.parametrize(
    ("text", "hint"),
    [
        ("Rechnung Nr. 5 über 99,00 EUR", "its text mentions 'Rechnung' and an amount (99,00)"),
        ("Facture: montant 1 250.00", "its text mentions 'Facture' and an amount (1 250.00)"),
        ("invoice attached", None),
        ("we paid 1,234.50 yesterday", None),
    ],
)
def test_invoice_hint(text: str, hint: str | None) -> None:
    assert invoice_hint(text) == hint


def test_a_mail_with_malformed_headers_still_yields_its_invoice() -> None:
    """Broken From, an undecodable encoded word, an unterminated quote in the
    attachment's name and a base64 body with junk: the PDF still comes out."""
    pdf = b.invoice(0)
    raw = b.Mail("x", [b.Att("invoice.pdf", pdf[1], "application/pdf")]).build()
    raw = raw.replace(b"From: Billing <billing@acme.example>", b'From: "Billing <<billing@@')
    raw = raw.replace(b"Subject: x", b"Subject: =?utf-8?B?not base64!?= Invoice")
    raw = raw.replace(b'name="invoice.pdf"', b'name="invoice.pdf', 1)
    contents = read_mail(raw)
    assert [(p.name, p.data) for p in contents.taken] == [("invoice.pdf", pdf[1])]
    assert contents.sender is not None and "billing@@" in contents.sender
    assert contents.subject is not None and "Invoice" in contents.subject


def test_too_many_files_in_one_mail_are_refused_past_the_limit() -> None:
    raw = b.Mail("x", [b.pdf_att(i) for i in range(3)]).build()
    contents = read_mail(raw, settings=MailReadSettings(max_parts=2))
    assert [p.decision.value for p in contents.parts] == ["taken", "taken", "refused"]
    assert "more than 2 files" in contents.parts[2].reason


def test_include_and_skip_patterns_apply_to_files_inside_archives_too() -> None:
    pdf = b.invoice(0)
    archive = b.zip_of([("a.pdf", pdf[1]), ("terms.pdf", pdf[1]), ("data.xml", b"<x/>")])
    raw = b.Mail("x", [b.Att("all.zip", archive), b.Att("notes.xml", b"<n/>")]).build()
    settings = MailReadSettings(include_attachments=("*.PDF",), skip_attachments=("terms*",))
    contents = read_mail(raw, settings=settings)
    assert decisions(contents) == [
        ("all.zip / a.pdf", "taken", None),
        ("all.zip / terms.pdf", "skipped", None),
        ("all.zip / data.xml", "skipped", None),
        ("notes.xml", "skipped", None),
    ]


def test_an_unnamed_pdf_part_gets_a_name_from_its_bytes() -> None:
    pdf = b.invoice(0)
    raw = b.Mail("x", [b.Att("placeholder", pdf[1], "application/pdf")]).build()
    raw = raw.replace(b'Content-Disposition: attachment; filename="placeholder"\n', b"")
    assert [p.name for p in read_mail(raw).taken] == ["part-1.pdf"]


def test_outlook_msg_attachments_inline_pictures_and_attached_items() -> None:
    pdf0, pdf1 = b.invoice(0), b.invoice(1)
    raw = b.outlook_msg(
        subject="Invoice KS-2026-000318",
        attachments=[
            b.MsgAtt(pdf0[0], pdf0[1]),
            b.MsgAtt("image001.png", b.png(100, 100), hidden=True),
            b.MsgAtt(
                "Invoice RE-2026-10457",
                embedded=b.embedded_msg(subject="inner", attachments=[b.MsgAtt("RE.pdf", pdf1[1])]),
            ),
        ],
    )
    assert sniff.sniff_mime(raw) == sniff.OLE and is_mail(raw)
    contents = read_mail(raw)
    assert contents.format == "msg"
    assert (contents.subject, contents.sender, contents.message_id) == (
        "Invoice KS-2026-000318",
        "billing@acme.example",
        "<outlook-1@acme.example>",
    )
    assert [(p.label, p.decision.value) for p in contents.parts] == [
        (pdf0[0], "taken"),
        ("image001.png", "skipped"),
        ("Invoice RE-2026-10457 / RE.pdf", "taken"),
    ]
    assert contents.taken[1].data == pdf1[1]


def test_an_ole_file_that_is_not_a_mail_is_not_read_as_one() -> None:
    doc = b.compound_file({"WordDocument": b"\x00" * 5000, "\x05SummaryInformation": b"x" * 10})
    assert not is_mail(doc)
    with pytest.raises(ExtractionError) as err:
        read_mail(doc, name="old.doc")
    assert err.value.code is ErrorCode.UNSUPPORTED_TYPE


def test_is_mail_by_content_not_name() -> None:
    assert is_mail(b.Mail("x").build())
    assert not is_mail(b.invoice(0)[1])
    assert not is_mail(b"From: only one header\n\nbody")


def test_every_attachment_ends_in_exactly_one_list() -> None:
    raw = b.Mail(
        "x",
        [b.pdf_att(0), b.Att("i.png", b.logo_png(), "image/png"), b.Att("z.zip", b"PK\x03\x04x")],
    ).build()
    contents = read_mail(raw)
    assert (
        len(contents.taken) + len(contents.skipped) + len(contents.refused)
        == len(contents.parts)
        == 3
    )
    assert decisions(contents)[2] == ("z.zip", "refused", "corrupt")
