"""Real mails for the tests: MIME built with Python's ``email`` package, a
winmail.dat written to [MS-OXTNEF], an Outlook .msg written as a genuine OLE
compound file ([MS-CFB], [MS-OXMSG]) that olefile reads like Outlook's own.

The attachments are the sample month's real PDFs.
"""

from __future__ import annotations

import io
import math
import random
import struct
import zipfile
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default
from email.utils import format_datetime, make_msgid
from pathlib import Path

from tests.conftest import SAMPLES

INVOICES = sorted((SAMPLES / "invoices").glob("*.pdf"))


def invoice(i: int = 0) -> tuple[str, bytes]:
    """The i-th sample invoice: (file name, bytes)."""
    path = INVOICES[i]
    return path.name, path.read_bytes()


def invoice_number(path_name: str) -> str:
    """The invoice number the sample file name carries (``..._<number>.pdf``)."""
    return Path(path_name).stem.split("_", 2)[2].removesuffix("_copy")


@dataclass(frozen=True)
class Att:
    """An attachment: bytes, name, and how it travels."""

    name: str
    data: bytes
    mime: str = "application/octet-stream"
    cte: str = "base64"
    inline_cid: str | None = None


@dataclass
class Mail:
    subject: str
    attachments: Sequence[Att] = ()
    body: str = "Please find our invoice attached.\n\nKind regards\nAccounts"
    html: str | None = None
    sender: str = "Billing <billing@acme.example>"
    to: str = "ap@example.com"
    message_id: str | None = None
    extra_headers: list[tuple[str, str]] = field(default_factory=list)

    def build(self) -> bytes:
        msg = EmailMessage()
        msg["From"] = self.sender
        msg["To"] = self.to
        msg["Subject"] = self.subject
        msg["Date"] = format_datetime(datetime(2026, 10, 9, 9, 30, tzinfo=UTC))
        msg["Message-ID"] = self.message_id or make_msgid(domain="acme.example")
        for key, value in self.extra_headers:
            msg[key] = value
        msg.set_content(self.body)
        if self.html is not None:
            msg.add_alternative(self.html, subtype="html")
            related = msg.get_payload()[1]
            for att in self.attachments:
                if att.inline_cid:
                    maintype, subtype = att.mime.split("/")
                    related.add_related(
                        att.data, maintype, subtype, cid=f"<{att.inline_cid}>", filename=att.name
                    )
        for att in self.attachments:
            if att.inline_cid and self.html is not None:
                continue
            maintype, subtype = att.mime.split("/")
            if maintype == "message" and att.cte in ("7bit", "8bit"):
                inner = message_from_bytes(att.data, policy=default)
                msg.add_attachment(inner, filename=att.name)
                continue
            msg.add_attachment(att.data, maintype, subtype, filename=att.name, cte=att.cte)
        return msg.as_bytes()


def pdf_att(i: int = 0, name: str | None = None, cte: str = "base64") -> Att:
    file_name, data = invoice(i)
    return Att(name or file_name, data, "application/pdf", cte)


def png(width: int, height: int, *, seed: int = 1) -> bytes:
    """A real RGB PNG of noise (noise does not compress: about 3 bytes a pixel)."""
    rng = random.Random(seed)
    rows = b"".join(
        b"\x00" + bytes(rng.getrandbits(8) for _ in range(width * 3)) for _ in range(height)
    )

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def big_pdf(i: int, size: int) -> bytes:
    """Sample invoice ``i`` grown to ``size`` bytes by an embedded file of noise.

    Still a valid PDF with the same text; like a vendor's invoice that carries
    its terms or a high-resolution scan as an attachment.
    """
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(invoice(i)[1])))
    writer.add_attachment("scan-archive.bin", random.Random(i).randbytes(size))
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def logo_png() -> bytes:
    """A small real PNG, like a company logo in a signature (about 2 KB)."""
    return png(24, 24)


def scan_png(i: int = 0, dpi: int = 200) -> bytes:
    """A sample invoice's first page rendered to PNG: what a scanner mails."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(invoice(i)[1])
    try:
        image = pdf[0].render(scale=dpi / 72).to_pil()
    finally:
        pdf.close()
    buf = io.BytesIO()
    image.convert("L").save(buf, format="PNG")
    return buf.getvalue()


def zip_of(members: Iterable[tuple[str, bytes]], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression) as zf:
        for name, data in members:
            zf.writestr(name, data)
    return buf.getvalue()


def zip_bomb(unpacked: int = 64 * 1024 * 1024) -> bytes:
    """A small archive of one member that inflates ``unpacked`` bytes of zeros."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf, zf.open("invoice.pdf", "w") as fh:
        block = bytes(1024 * 1024)
        for _ in range(unpacked // len(block)):
            fh.write(block)
    return buf.getvalue()


# --- winmail.dat (TNEF) ----------------------------------------------------------------


def _tnef_attr(level: int, attr_id: int, data: bytes) -> bytes:
    checksum = sum(data) & 0xFFFF
    return (
        bytes([level]) + struct.pack("<II", attr_id, len(data)) + data + struct.pack("<H", checksum)
    )


def _pad4(data: bytes) -> bytes:
    return data + bytes(-len(data) % 4)


def winmail_dat(files: Sequence[tuple[str, bytes]]) -> bytes:
    """A TNEF stream carrying ``files``, each with an 8.3 title and its long name."""
    out = struct.pack("<IH", 0x223E9F78, 0x0001)
    out += _tnef_attr(1, 0x00089006, struct.pack("<I", 0x00010000))  # attTnefVersion
    out += _tnef_attr(1, 0x00069007, b"\xe4\x04\x00\x00\x00\x00\x00\x00")  # attOemCodepage
    for name, data in files:
        out += _tnef_attr(2, 0x00069002, struct.pack("<HIIHH", 1, 0xFFFFFFFF, 0, 0, 0))
        short = (Path(name).stem[:6] + "~1" + Path(name).suffix[:4]).upper()
        out += _tnef_attr(2, 0x00018010, short.encode("cp1252") + b"\x00")
        out += _tnef_attr(2, 0x0006800F, data)
        long_name = (name + "\x00").encode("utf-16-le")
        props = struct.pack("<I", 2)
        props += struct.pack("<HH", 0x0003, 0x3705) + struct.pack("<I", 1)  # attach method
        props += struct.pack("<HH", 0x001F, 0x3707) + struct.pack("<II", 1, len(long_name))
        props += _pad4(long_name)
        out += _tnef_attr(2, 0x00069005, props)
    return out


# --- Outlook .msg (an OLE compound file) -----------------------------------------------

FREESECT, ENDOFCHAIN, FATSECT, NOSTREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF


def compound_file(streams: dict[str, bytes]) -> bytes:
    """An OLE compound file (CFB v3) holding ``streams`` by '/'-separated path.

    Storages are made for every folder on a path. Small streams go to the mini
    stream, as the format requires; directories are balanced binary trees in
    CFB name order.
    """
    # The tree: storage path -> child names.
    children: dict[str, dict[str, str]] = {"": {}}
    for path in streams:
        parts = path.split("/")
        for depth in range(len(parts)):
            parent = "/".join(parts[:depth])
            own = "/".join(parts[: depth + 1])
            kind = "stream" if depth == len(parts) - 1 else "storage"
            children.setdefault(parent, {})[parts[depth]] = kind
            if kind == "storage":
                children.setdefault(own, {})
    entries: list[dict[str, object]] = [{"name": "Root Entry", "type": 5, "path": ""}]
    index: dict[str, int] = {"": 0}
    for parent in sorted(children, key=lambda p: (p.count("/"), p)):
        for name, kind in children[parent].items():
            path = f"{parent}/{name}" if parent else name
            index[path] = len(entries)
            entries.append({"name": name, "type": 1 if kind == "storage" else 2, "path": path})
    for entry in entries:
        entry.update(left=NOSTREAM, right=NOSTREAM, child=NOSTREAM, start=0, size=0)

    def order(name: str) -> tuple[int, str]:
        return (len(name), name.upper())

    def balance(ids: list[int]) -> int:
        if not ids:
            return NOSTREAM
        mid = len(ids) // 2
        entries[ids[mid]]["left"] = balance(ids[:mid])
        entries[ids[mid]]["right"] = balance(ids[mid + 1 :])
        return ids[mid]

    for parent, names in children.items():
        ids = [index[f"{parent}/{n}" if parent else n] for n in sorted(names, key=order)]
        entries[index[parent]]["child"] = balance(ids)

    # Data layout: small streams in the mini stream, the rest in sectors.
    mini = bytearray()
    minifat: list[int] = []
    big: list[tuple[int, bytes]] = []
    for path, data in streams.items():
        entry = entries[index[path]]
        entry["size"] = len(data)
        if len(data) < 4096:
            if not data:
                entry["start"] = ENDOFCHAIN
                continue
            first = len(minifat)
            count = math.ceil(len(data) / 64)
            minifat.extend(range(first + 1, first + count))
            minifat.append(ENDOFCHAIN)
            entry["start"] = first
            mini.extend(data + bytes(count * 64 - len(data)))
        else:
            big.append((index[path], data))

    def sectors(n: int) -> int:
        return math.ceil(n / 512)

    n_dir = sectors(len(entries) * 128)
    n_minifat = sectors(len(minifat) * 4)
    n_mini = sectors(len(mini))
    n_big = sum(sectors(len(d)) for _, d in big)
    n_fat = 1
    while n_fat * 128 < n_fat + n_dir + n_minifat + n_mini + n_big:
        n_fat += 1
    assert n_fat <= 109, "test compound files stay under 109 FAT sectors"
    fat: list[int] = [FATSECT] * n_fat
    body = bytearray()

    def chain(data: bytes) -> int:
        start = n_fat + len(body) // 512
        count = sectors(len(data))
        fat.extend(range(start + 1, start + count))
        fat.append(ENDOFCHAIN)
        body.extend(data + bytes(count * 512 - len(data)))
        return start

    dir_start_placeholder = len(body)
    body.extend(bytes(n_dir * 512))
    fat.extend(range(n_fat + 1, n_fat + n_dir))
    fat.append(ENDOFCHAIN)
    minifat_start = (
        chain(b"".join(struct.pack("<I", v) for v in minifat)) if minifat else ENDOFCHAIN
    )
    mini_start = chain(bytes(mini)) if mini else ENDOFCHAIN
    entries[0]["start"], entries[0]["size"] = mini_start, len(mini)
    for entry_id, data in big:
        entries[entry_id]["start"] = chain(data)
    fat.extend([FREESECT] * (n_fat * 128 - len(fat)))

    directory = bytearray()
    for entry in entries:
        name = str(entry["name"]).encode("utf-16-le") + b"\x00\x00"
        directory += name + bytes(64 - len(name))
        directory += struct.pack("<HBB", len(name), int(str(entry["type"])), 1)
        directory += struct.pack("<III", entry["left"], entry["right"], entry["child"])
        directory += bytes(16 + 4 + 16)
        directory += struct.pack("<IQ", entry["start"], entry["size"])
    directory += bytes(n_dir * 512 - len(directory))
    body[dir_start_placeholder : dir_start_placeholder + len(directory)] = directory

    header = bytearray(512)
    header[0:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    struct.pack_into("<HHHHH", header, 24, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<III", header, 40, 0, n_fat, n_fat)  # dir sectors (v3: 0), FAT, first dir
    struct.pack_into("<III", header, 52, 0, 4096, minifat_start)
    struct.pack_into("<III", header, 64, n_minifat, ENDOFCHAIN, 0)
    difat = list(range(n_fat)) + [FREESECT] * (109 - n_fat)
    struct.pack_into("<109I", header, 76, *difat)
    fat_bytes = b"".join(struct.pack("<I", v) for v in fat)
    return bytes(header) + fat_bytes + bytes(body)


def _utf16(text: str) -> bytes:
    return text.encode("utf-16-le")


def _props_stream(header: int, values: dict[int, int]) -> bytes:
    out = bytes(header)
    for prop_id, value in values.items():
        tag = (prop_id << 16) | 0x0003
        out += struct.pack("<IIQ", tag, 0x6, value)
    return out


@dataclass(frozen=True)
class MsgAtt:
    name: str
    data: bytes = b""
    hidden: bool = False
    content_id: str | None = None
    embedded: dict[str, bytes] | None = None


def outlook_msg(
    *,
    subject: str,
    sender: str = "billing@acme.example",
    message_id: str | None = "<outlook-1@acme.example>",
    body: str = "Please find our invoice attached.",
    attachments: Sequence[MsgAtt] = (),
) -> bytes:
    """An Outlook .msg file as Outlook writes it (the streams recon reads)."""
    return compound_file(
        _msg_streams(
            subject=subject, sender=sender, message_id=message_id, body=body,
            attachments=attachments, header=32,
        )
    )  # fmt: skip


def _msg_streams(
    *,
    subject: str,
    sender: str,
    message_id: str | None,
    body: str,
    attachments: Sequence[MsgAtt],
    header: int,
    prefix: str = "",
) -> dict[str, bytes]:
    s: dict[str, bytes] = {
        f"{prefix}__properties_version1.0": _props_stream(header, {}),
        f"{prefix}__substg1.0_0037001F": _utf16(subject),
        f"{prefix}__substg1.0_0C1F001F": _utf16(sender),
        f"{prefix}__substg1.0_1000001F": _utf16(body),
    }
    if message_id:
        s[f"{prefix}__substg1.0_1035001F"] = _utf16(message_id)
    for n, att in enumerate(attachments):
        a = f"{prefix}__attach_version1.0_#{n:08X}/"
        method = 5 if att.embedded is not None else 1
        s[f"{a}__properties_version1.0"] = _props_stream(
            8, {0x3705: method, 0x7FFE: int(att.hidden)} if att.hidden else {0x3705: method}
        )
        s[f"{a}__substg1.0_3707001F"] = _utf16(att.name)
        if att.content_id:
            s[f"{a}__substg1.0_3712001F"] = _utf16(att.content_id)
        if att.embedded is not None:
            for key, value in att.embedded.items():
                s[f"{a}__substg1.0_3701000D/{key}"] = value
        else:
            s[f"{a}__substg1.0_37010102"] = att.data
    return s


def embedded_msg(*, subject: str, attachments: Sequence[MsgAtt]) -> dict[str, bytes]:
    """The streams of a mail attached inside a .msg (an embedded Outlook item)."""
    return _msg_streams(
        subject=subject, sender="forwarder@acme.example", message_id=None,
        body="Forwarded.", attachments=attachments, header=24,
    )  # fmt: skip
