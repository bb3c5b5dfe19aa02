"""Tell a file's type from its bytes.

The extension and the sender's Content-Type are hints at best: an image saved as
``invoice.pdf`` must be recognised as an image. This module only looks at the
leading bytes; it never parses the file.
"""

from __future__ import annotations

import re

PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"
TIFF = "image/tiff"
GIF = "image/gif"
ZIP = "application/zip"
XML = "application/xml"
EMAIL = "message/rfc822"
#: An OLE compound file: Outlook .msg, but also old .doc/.xls (extractors.mail tells them apart).
OLE = "application/x-ole-storage"
#: Outlook's TNEF wrapper (winmail.dat).
TNEF = "application/ms-tnef"
TEXT = "text/plain"
OCTET_STREAM = "application/octet-stream"

PDF_MAGIC_WINDOW = 1024
"""PDF readers accept ``%PDF`` anywhere in the first kilobyte (ISO 32000, Annex H)."""

_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", PNG),
    (b"\xff\xd8\xff", JPEG),
    (b"II*\x00", TIFF),
    (b"MM\x00*", TIFF),
    (b"GIF87a", GIF),
    (b"GIF89a", GIF),
    (b"PK\x03\x04", ZIP),
    (b"PK\x05\x06", ZIP),
)

#: Containers whose first member may be a PDF within the first kilobyte (a
#: stored ZIP, a winmail.dat): their magic at offset 0 wins over ``%PDF``.
_CONTAINER_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"PK\x03\x04", ZIP),
    (b"PK\x05\x06", ZIP),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", OLE),
    (b"\x78\x9f\x3e\x22", TNEF),
)

_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")
_HEADER_LINE = re.compile(rb"^[!-9;-~]+:[ \t]?.*$")
_EMAIL_HEADERS = frozenset(
    {
        b"from",
        b"to",
        b"subject",
        b"date",
        b"message-id",
        b"received",
        b"return-path",
        b"mime-version",
        b"content-type",
        b"delivered-to",
        b"reply-to",
        b"cc",
    }
)


def sniff_mime(data: bytes) -> str:
    """Return the MIME type the bytes really are.

    Complexity: O(1) in the file size; only the first few kilobytes are read.
    """
    for magic, mime in _CONTAINER_MAGIC:
        if data.startswith(magic):
            return mime
    if b"%PDF" in data[:PDF_MAGIC_WINDOW]:
        return PDF
    for magic, mime in _MAGIC:
        if data.startswith(magic):
            return mime
    head = data[:4096]
    text = _decode_text(head)
    if text is None:
        return OCTET_STREAM
    if _looks_like_xml(text):
        return XML
    if _looks_like_email(head):
        return EMAIL
    return TEXT


_XML_PROLOG_ITEM = re.compile(r"\s*(?:<!--.*?-->|<\?.*?\?>)", re.DOTALL)
_XML_START = re.compile(r"\s*(?:<!DOCTYPE\s|<[A-Za-z_][\w:.-]*[\s>/])")


def _looks_like_xml(text: str) -> bool:
    """An XML declaration, or an element or DOCTYPE after comments and
    processing instructions (a BOM is already gone: see _decode_text)."""
    if text.lstrip().startswith("<?xml"):
        return True
    pos = 0
    while (m := _XML_PROLOG_ITEM.match(text, pos)) is not None:
        pos = m.end()
    return _XML_START.match(text, pos) is not None


def _decode_text(head: bytes) -> str | None:
    """The head as text, or None when it holds binary bytes."""
    for bom in _BOMS:
        if head.startswith(bom):
            encoding = "utf-8-sig" if bom == _BOMS[0] else "utf-16"
            try:
                return head.decode(encoding, errors="strict")
            except UnicodeDecodeError:
                return None
    if b"\x00" in head:
        return None
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A multi-byte character cut by the 4 KiB window is still text.
        if exc.start < len(head) - 4:
            text = head.decode("latin-1")
            if sum(not (c.isprintable() or c in "\r\n\t") for c in text) > len(text) // 20:
                return None
            return text
        text = head[: exc.start].decode("utf-8")
    if any(not (c.isprintable() or c in "\r\n\t\f") for c in text):
        return None
    return text


def _looks_like_email(head: bytes) -> bool:
    """RFC 822: a block of ``Name: value`` lines, with known header names."""
    lines = head.splitlines()
    known = 0
    for line in lines[:40]:
        if not line.strip():
            break
        if line[:1] in (b" ", b"\t"):
            continue  # folded header continuation
        if not _HEADER_LINE.match(line):
            return False
        name = line.split(b":", 1)[0].strip().lower()
        if name in _EMAIL_HEADERS:
            known += 1
    return known >= 2
