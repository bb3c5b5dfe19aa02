"""The attachments inside a winmail.dat (Outlook's TNEF wrapper, [MS-OXTNEF]).

Outlook sending "Rich Text" mail wraps the body and every attachment into
one ``application/ms-tnef`` part; without unpacking it the invoice is lost.
This reads only what recon needs: each attachment's bytes and its file name
(the long name from the attachment's MAPI properties, else the 8.3 title).
There is no permissively licensed TNEF reader to use (tnefparse is LGPL, and
a whole library for forty lines of structure is not worth a dependency).
Everything is bounds-checked: a malformed stream raises ``ValueError``.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

SIGNATURE = 0x223E9F78

LVL_ATTACHMENT = 0x02
ATT_ATTACH_REND_DATA = 0x00069002  # starts an attachment
ATT_ATTACH_TITLE = 0x00018010  # 8.3 file name, 8-bit string
ATT_ATTACH_DATA = 0x0006800F  # the attachment's bytes
ATT_ATTACHMENT = 0x00069005  # the attachment's MAPI properties

PR_ATTACH_LONG_FILENAME = 0x3707
PR_ATTACH_DATA = 0x3701  # binary data, or an embedded message (object)

PT_STRING8 = 0x001E
PT_UNICODE = 0x001F
PT_BINARY = 0x0102
PT_OBJECT = 0x000D
PT_CLSID = 0x0048
MV_FLAG = 0x1000
_FIXED_SIZE = {
    0x0002: 4,  # short, padded
    0x0003: 4,
    0x0004: 4,
    0x0005: 8,
    0x0006: 8,
    0x0007: 8,
    0x000A: 4,
    0x000B: 4,  # boolean, padded
    0x0014: 8,
    0x0040: 8,
    PT_CLSID: 16,
}


@dataclass(frozen=True, slots=True)
class TnefAttachment:
    name: str
    data: bytes
    #: True for an attached Outlook item (an embedded message), which TNEF
    #: carries as MAPI objects recon does not unpack.
    embedded: bool = False


def read_tnef(data: bytes) -> list[TnefAttachment]:
    """The attachments in a TNEF stream, in order. Raises ValueError if it is not TNEF."""
    if len(data) < 6 or struct.unpack_from("<I", data, 0)[0] != SIGNATURE:
        raise ValueError("not a TNEF stream (no signature)")
    pos = 6
    found: list[dict[str, object]] = []
    current: dict[str, object] | None = None
    while pos < len(data):
        if pos + 9 > len(data):
            raise ValueError(f"truncated attribute header at byte {pos}")
        level = data[pos]
        attr_id, length = struct.unpack_from("<II", data, pos + 1)
        start = pos + 9
        end = start + length
        if end + 2 > len(data):
            raise ValueError(f"attribute at byte {pos} runs past the end")
        value = data[start:end]
        pos = end + 2  # the checksum is not checked: a wrong one spoils nothing here
        if level != LVL_ATTACHMENT:
            continue
        if attr_id == ATT_ATTACH_REND_DATA:
            current = {}
            found.append(current)
        elif current is None:
            continue
        elif attr_id == ATT_ATTACH_TITLE:
            current["title"] = value.split(b"\x00", 1)[0].decode("cp1252", "replace")
        elif attr_id == ATT_ATTACH_DATA:
            current["data"] = value
        elif attr_id == ATT_ATTACHMENT:
            try:
                props = _mapi_props(value)
            except (ValueError, struct.error):
                props = {}  # the title and data still tell enough
            current.update(props)
    out: list[TnefAttachment] = []
    for i, att in enumerate(found, start=1):
        name = att.get("long_name") or att.get("title") or f"attachment-{i}"
        payload = att.get("data")
        if not isinstance(payload, bytes):
            payload = att.get("data_bin")
        out.append(
            TnefAttachment(
                name=str(name),
                data=payload if isinstance(payload, bytes) else b"",
                embedded=bool(att.get("embedded")),
            )
        )
    return out


def _mapi_props(data: bytes) -> dict[str, object]:
    """The few MAPI properties recon uses from an attAttachment value."""
    out: dict[str, object] = {}
    (count,) = struct.unpack_from("<I", data, 0)
    pos = 4
    for _ in range(count):
        prop_type, prop_id = struct.unpack_from("<HH", data, pos)
        pos += 4
        if prop_id >= 0x8000:  # a named property: GUID, kind, then an id or a name
            pos += 16
            (kind,) = struct.unpack_from("<I", data, pos)
            pos += 4
            if kind == 0:
                pos += 4
            else:
                (name_len,) = struct.unpack_from("<I", data, pos)
                pos += 4 + _pad4(name_len)
        values, pos = _values(data, pos, prop_type)
        if not values:
            continue
        if prop_id == PR_ATTACH_LONG_FILENAME and prop_type in (PT_STRING8, PT_UNICODE):
            out["long_name"] = _text(values[0], prop_type)
        elif prop_id == PR_ATTACH_DATA and prop_type == PT_BINARY:
            out["data_bin"] = values[0]
        elif prop_id == PR_ATTACH_DATA and prop_type == PT_OBJECT:
            out["embedded"] = True
    if pos > len(data):
        raise ValueError("MAPI properties run past the end")
    return out


def _values(data: bytes, pos: int, prop_type: int) -> tuple[list[bytes], int]:
    base = prop_type & ~MV_FLAG
    multi = bool(prop_type & MV_FLAG)
    if base in (PT_STRING8, PT_UNICODE, PT_BINARY, PT_OBJECT):
        (n,) = struct.unpack_from("<I", data, pos)
        pos += 4
        values = []
        for _ in range(n):
            (size,) = struct.unpack_from("<I", data, pos)
            pos += 4
            if pos + size > len(data):
                raise ValueError("MAPI value runs past the end")
            values.append(data[pos : pos + size])
            pos += _pad4(size)
        return values, pos
    size = _FIXED_SIZE.get(base)
    if size is None:
        raise ValueError(f"unknown MAPI property type 0x{prop_type:04x}")
    n = 1
    if multi:
        (n,) = struct.unpack_from("<I", data, pos)
        pos += 4
    values = [data[pos + i * size : pos + (i + 1) * size] for i in range(n)]
    return values, pos + n * size


def _pad4(n: int) -> int:
    return (n + 3) & ~3


def _text(raw: bytes, prop_type: int) -> str:
    if prop_type == PT_UNICODE:
        return raw.decode("utf-16-le", "replace").rstrip("\x00")
    return raw.split(b"\x00", 1)[0].decode("cp1252", "replace")
