"""The type of a file comes from its bytes."""

from __future__ import annotations

import pytest

from extractors import sniff
from tests.extractors import pdfs


@pytest.mark.parametrize(
    ("data", "mime"),
    [
        (b"%PDF-1.7\n...", sniff.PDF),
        (b"\x00" * 500 + b"%PDF-1.4\n", sniff.PDF),  # junk before the header
        (pdfs.png_bytes(), sniff.PNG),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", sniff.JPEG),
        (b"II*\x00\x08\x00\x00\x00", sniff.TIFF),
        (b"MM\x00*\x00\x00\x00\x08", sniff.TIFF),
        (b"GIF89a\x01\x00", sniff.GIF),
        (b"PK\x03\x04\x14\x00", sniff.ZIP),
        (b'<?xml version="1.0"?><Invoice/>', sniff.XML),
        (b"\xef\xbb\xbf<?xml version='1.0'?>", sniff.XML),
        (b"<rsm:CrossIndustryInvoice xmlns:rsm='x'>", sniff.XML),
        (
            b"From: billing@vendor.example\r\nTo: ap@example.com\r\nSubject: Invoice\r\n\r\nHi",
            sniff.EMAIL,
        ),
        (b"Invoice 123\nTotal: 10.00\n", sniff.TEXT),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504), sniff.OLE),  # Outlook .msg, .doc
        (b"\x78\x9f\x3e\x22\x01\x00\x01\x06\x90", sniff.TNEF),  # winmail.dat
        (bytes(range(256)), sniff.OCTET_STREAM),
    ],
)
def test_sniff(data: bytes, mime: str) -> None:
    assert sniff.sniff_mime(data) == mime


def test_a_container_whose_first_member_is_a_pdf_is_the_container() -> None:
    """A stored ZIP or a winmail.dat carries the PDF's %PDF in its first kilobyte."""
    assert sniff.sniff_mime(b"PK\x03\x04" + bytes(26) + b"a.pdf%PDF-1.4") == sniff.ZIP
    assert sniff.sniff_mime(b"\x78\x9f\x3e\x22\x01\x00" + b"%PDF-1.4") == sniff.TNEF


def test_pdf_marker_after_the_first_kilobyte_is_not_a_pdf() -> None:
    assert sniff.sniff_mime(b"\x00" * 2000 + b"%PDF-1.4") == sniff.OCTET_STREAM
