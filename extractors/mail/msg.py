"""Outlook ``.msg`` files: an OLE compound file of MAPI properties ([MS-OXMSG]).

Read with olefile (BSD). extract-msg would do more, but it is GPL-3.0 and
recon's core install carries no GPL code; recon needs only the headers, the
body text and the attachments, which are plain streams:

- ``__substg1.0_PPPPTTTT``: property ``PPPP`` of type ``TTTT`` (001F UTF-16
  text, 001E 8-bit text, 0102 binary);
- ``__attach_version1.0_#N/``: one storage per attachment, its bytes in
  ``__substg1.0_37010102`` or, for an attached Outlook item, a whole
  embedded message in the storage ``__substg1.0_3701000D``;
- ``__properties_version1.0``: the fixed-size properties (attach method,
  hidden flag) as 16-byte entries after a header.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field
from email.parser import HeaderParser
from email.policy import default as default_policy
from typing import Any

import olefile

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

PR_SUBJECT = 0x0037
PR_TRANSPORT_MESSAGE_HEADERS = 0x007D
PR_SENDER_NAME = 0x0C1A
PR_SENDER_EMAIL = 0x0C1F
PR_BODY = 0x1000
PR_HTML = 0x1013
PR_INTERNET_MESSAGE_ID = 0x1035
PR_SENDER_SMTP_ADDRESS = 0x5D01
PR_DISPLAY_NAME = 0x3001
PR_ATTACH_DATA = 0x3701
PR_ATTACH_FILENAME = 0x3704
PR_ATTACH_LONG_FILENAME = 0x3707
PR_ATTACH_MIME_TAG = 0x370E
PR_ATTACH_CONTENT_ID = 0x3712
PR_ATTACH_FLAGS = 0x3714
PR_ATTACHMENT_HIDDEN = 0x7FFE
ATT_MHTML_REF = 0x4

_PROPS = "__properties_version1.0"
_ATTACH_PREFIX = "__attach_version1.0_#"
_EMBEDDED = "__substg1.0_3701000D"


@dataclass(frozen=True, slots=True)
class MsgAttachment:
    name: str | None
    data: bytes
    mime: str | None
    content_id: str | None
    #: Hidden or referenced from the HTML body: an inline picture.
    inline: bool
    embedded: MsgMessage | None = None


@dataclass(frozen=True, slots=True)
class MsgMessage:
    subject: str | None
    sender: str | None
    message_id: str | None
    date: str | None
    body: str
    html: str
    attachments: tuple[MsgAttachment, ...] = field(default=())


def is_outlook_msg(data: bytes) -> bool:
    """An OLE file holding a mail (not a .doc or .xls, which are OLE files too)."""
    if not data.startswith(OLE_MAGIC):
        return False
    try:
        ole = olefile.OleFileIO(data)
    except (OSError, ValueError, IndexError, struct.error):
        return False
    try:
        return bool(ole.exists(_PROPS)) and any(
            path[0].lower().startswith("__substg1.0_") for path in ole.listdir()
        )
    finally:
        ole.close()


def read_msg(data: bytes, *, max_depth: int = 3) -> MsgMessage:
    """The mail in an Outlook .msg file. Raises ValueError if it cannot be read."""
    try:
        ole = olefile.OleFileIO(data)
    except (OSError, ValueError, IndexError, struct.error) as exc:
        raise ValueError(f"not a readable Outlook file ({exc})") from exc
    try:
        return _message(ole, [], depth_left=max_depth)
    except (OSError, IndexError, struct.error, UnicodeError) as exc:
        raise ValueError(f"damaged Outlook file ({type(exc).__name__}: {exc})") from exc
    finally:
        ole.close()


def _message(ole: Any, prefix: list[str], *, depth_left: int) -> MsgMessage:
    headers_text = _string(ole, prefix, PR_TRANSPORT_MESSAGE_HEADERS)
    headers = HeaderParser(policy=default_policy).parsestr(headers_text) if headers_text else None
    message_id = _string(ole, prefix, PR_INTERNET_MESSAGE_ID) or _header(headers, "Message-ID")
    sender = (
        _string(ole, prefix, PR_SENDER_SMTP_ADDRESS)
        or _smtp(_string(ole, prefix, PR_SENDER_EMAIL))
        or _header(headers, "From")
    )
    name = _string(ole, prefix, PR_SENDER_NAME)
    if sender and name and name != sender:
        sender = f"{name} <{sender}>"
    html_raw = _binary(ole, prefix, PR_HTML)
    html = html_raw.decode("utf-8", "replace") if html_raw else _string(ole, prefix, PR_HTML) or ""
    attachments: list[MsgAttachment] = []
    depth = len(prefix)
    storages = sorted(
        {
            path[depth]
            for path in ole.listdir(streams=True, storages=True)
            if len(path) > depth
            and [p.lower() for p in path[:depth]] == [p.lower() for p in prefix]
            and path[depth].lower().startswith(_ATTACH_PREFIX)
        }
    )
    for storage in storages:
        attachments.append(_attachment(ole, [*prefix, storage], html, depth_left))
    return MsgMessage(
        subject=_string(ole, prefix, PR_SUBJECT),
        sender=sender,
        message_id=message_id,
        date=_header(headers, "Date"),
        body=_string(ole, prefix, PR_BODY) or "",
        html=html,
        attachments=tuple(attachments),
    )


def _attachment(ole: Any, prefix: list[str], html: str, depth_left: int) -> MsgAttachment:
    props = _fixed_props(ole, prefix, header=8)
    name = (
        _string(ole, prefix, PR_ATTACH_LONG_FILENAME)
        or _string(ole, prefix, PR_ATTACH_FILENAME)
        or _string(ole, prefix, PR_DISPLAY_NAME)
    )
    content_id = _string(ole, prefix, PR_ATTACH_CONTENT_ID)
    flags = props.get(PR_ATTACH_FLAGS, 0)
    inline = bool(props.get(PR_ATTACHMENT_HIDDEN, 0)) or bool(flags & ATT_MHTML_REF)
    if content_id and f"cid:{content_id}" in html:
        inline = True
    inner = [*prefix, _EMBEDDED]
    if ole.exists("/".join(inner)):
        # An attached Outlook item. Past the depth limit only its subject is
        # read; the caller refuses it as nested too deep.
        embedded = (
            _message(ole, inner, depth_left=depth_left - 1)
            if depth_left > 1
            else MsgMessage(_string(ole, inner, PR_SUBJECT), None, None, None, "", "")
        )
        return MsgAttachment(name, b"", None, content_id, False, embedded)
    data = _binary(ole, prefix, PR_ATTACH_DATA) or b""
    return MsgAttachment(name, data, _string(ole, prefix, PR_ATTACH_MIME_TAG), content_id, inline)


def _stream(ole: Any, prefix: list[str], name: str) -> bytes | None:
    path = "/".join([*prefix, name])
    if not ole.exists(path):
        return None
    data: bytes = ole.openstream(path).read()
    return data


def _string(ole: Any, prefix: list[str], prop: int) -> str | None:
    raw = _stream(ole, prefix, f"__substg1.0_{prop:04X}001F")
    if raw is not None:
        text = raw.decode("utf-16-le", "replace").rstrip("\x00")
        return text or None
    raw = _stream(ole, prefix, f"__substg1.0_{prop:04X}001E")
    if raw is None:
        return None
    raw = raw.rstrip(b"\x00")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", "replace")
    return text or None


def _binary(ole: Any, prefix: list[str], prop: int) -> bytes | None:
    return _stream(ole, prefix, f"__substg1.0_{prop:04X}0102")


def _fixed_props(ole: Any, prefix: list[str], *, header: int) -> dict[int, int]:
    """Integer-valued fixed-size properties (PT_LONG, PT_BOOLEAN) by property id."""
    raw = _stream(ole, prefix, _PROPS)
    out: dict[int, int] = {}
    if raw is None:
        return out
    for pos in range(header, len(raw) - 15, 16):
        tag, _flags, value = struct.unpack_from("<IIQ", raw, pos)
        prop_type, prop_id = tag & 0xFFFF, tag >> 16
        if prop_type in (0x0003, 0x000B):
            out[prop_id] = value & 0xFFFFFFFF
    return out


def _header(headers: Any, name: str) -> str | None:
    if headers is None:
        return None
    try:
        value = headers.get(name)
    except (ValueError, IndexError, TypeError):
        return None
    return str(value) if value else None


def _smtp(address: str | None) -> str | None:
    """PR_SENDER_EMAIL is an Exchange DN (/O=ORG/OU=...) for internal senders."""
    if address and "@" in address and not address.startswith("/"):
        return address
    return None
