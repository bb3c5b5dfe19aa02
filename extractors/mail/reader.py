"""Turn a mail's bytes into the files recon should read, and say why for each.

Every part of the mail ends in exactly one of three lists, each with a
reason in words:

- **taken**: a file to ingest (PDF, image, XML e-invoice, or anything else a
  sender attached by name: the extractors decide what it is, and quarantine
  what they cannot read);
- **skipped**: not an invoice by any reasonable reading (the body text, an
  inline logo, a signature, a calendar invite, a file the rules exclude);
- **refused**: something that may hold an invoice but is unsafe or unreadable
  (a zip bomb, a path-traversal name, a password ZIP, a Word file, nesting
  too deep): quarantined with the reason, never silently dropped.

Containers are opened where they are: a forwarded mail (message/rfc822 or
an attached ``.eml``), an Outlook ``.msg``, a winmail.dat (TNEF) and a ZIP
archive, each within the limits of :class:`MailReadSettings`. Types come from
the bytes (:mod:`extractors.sniff`), never from the sender's Content-Type or
file extension. Pure: no files, no network, no database.
"""

from __future__ import annotations

import base64
import fnmatch
import html as html_lib
import quopri
import re
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage, Message
from email.parser import BytesParser
from enum import StrEnum
from typing import Any

from extractors import sniff
from extractors.mail import archive, msg, tnef
from extractors.mail.settings import MailReadSettings
from extractors.types import ErrorCode, ExtractionError

IMAGES = frozenset({sniff.PNG, sniff.JPEG, sniff.GIF, sniff.TIFF})
_SIGNATURE_TYPES = frozenset(
    {
        "application/pkcs7-signature",
        "application/x-pkcs7-signature",
        "application/pgp-signature",
        "application/pgp-keys",
    }
)
_SIGNATURE_EXT = (".p7s", ".p7m", ".asc", ".sig", ".gpg")
_CARD_TYPES = frozenset({"text/calendar", "text/vcard", "text/x-vcard", "application/ics"})
_CARD_EXT = (".ics", ".vcs", ".vcf")
_BODY_TEXT_LIMIT = 20_000
_NAME_LIMIT = 200


class Decision(StrEnum):
    TAKEN = "taken"
    SKIPPED = "skipped"
    REFUSED = "refused"


@dataclass(frozen=True, slots=True)
class MailPart:
    """One file found in a mail, and what recon does with it.

    ``trail`` names the containers it sits in, outermost first, ending with
    its own name: ``("Fwd: invoice.eml", "invoices.zip", "A-1.pdf")``.
    Skipped parts carry no bytes (``size`` says how many they had).
    """

    trail: tuple[str, ...]
    decision: Decision
    reason: str
    data: bytes = b""
    size: int = 0
    mime: str = sniff.OCTET_STREAM
    #: The quarantine code (an ``ErrorCode`` value) for a refused part.
    code: str | None = None

    @property
    def name(self) -> str:
        return self.trail[-1]

    @property
    def label(self) -> str:
        return " / ".join(self.trail)


@dataclass(frozen=True, slots=True)
class MailContents:
    """What one mail holds: its headers as text, and every part with its decision."""

    message_id: str | None
    sender: str | None
    subject: str | None
    date: str | None
    parts: tuple[MailPart, ...]
    #: Set when no part was taken and the text reads like an invoice: says why.
    invoice_hint: str | None = None
    #: Structural defects the parser noticed (malformed headers, bad base64).
    defects: tuple[str, ...] = field(default=())
    #: "eml" or "msg".
    format: str = "eml"

    @property
    def taken(self) -> tuple[MailPart, ...]:
        return tuple(p for p in self.parts if p.decision is Decision.TAKEN)

    @property
    def skipped(self) -> tuple[MailPart, ...]:
        return tuple(p for p in self.parts if p.decision is Decision.SKIPPED)

    @property
    def refused(self) -> tuple[MailPart, ...]:
        return tuple(p for p in self.parts if p.decision is Decision.REFUSED)


def is_mail(data: bytes) -> bool:
    """A saved mail recon unpacks (an ``.eml`` or an Outlook ``.msg``), from its bytes."""
    mime = sniff.sniff_mime(data[:4096])
    return mime == sniff.EMAIL or (mime == sniff.OLE and msg.is_outlook_msg(data))


def read_mail(
    raw: bytes, *, settings: MailReadSettings | None = None, name: str = "mail"
) -> MailContents:
    """Every part of the mail ``raw`` (MIME or Outlook .msg) with its decision.

    Never raises for a bad part (it is refused with the reason); raises
    :class:`ExtractionError` only when ``raw`` is no mail at all (an
    Outlook-looking file that cannot be read, or nothing but bytes).
    """
    settings = settings or MailReadSettings()
    walker = _Walker(settings)
    if raw.startswith(msg.OLE_MAGIC):
        if not msg.is_outlook_msg(raw):
            raise ExtractionError(
                ErrorCode.UNSUPPORTED_TYPE,
                f"{name} is an OLE file (an old Word or Excel file?), not an Outlook message",
            )
        try:
            outlook = msg.read_msg(raw, max_depth=settings.max_depth)
        except ValueError as exc:
            raise ExtractionError(
                ErrorCode.CORRUPT,
                f"{name} is not a readable Outlook message ({exc}); save it again from "
                "Outlook or forward it as an attachment",
            ) from exc
        walker.outlook(outlook, (), depth=1)
        return walker.contents(
            outlook.message_id, outlook.sender, outlook.subject, outlook.date, "msg"
        )
    if not raw.strip():
        raise ExtractionError(ErrorCode.EMPTY, f"{name} is empty (0 bytes)")
    message = BytesParser(policy=policy.default).parsebytes(raw)
    if not isinstance(message, EmailMessage) or not list(message.keys()):
        raise ExtractionError(
            ErrorCode.CORRUPT, f"{name} has no mail headers; it is not a mail recon can read"
        )
    walker.mime(message, (), depth=1)
    return walker.contents(
        _header(message, "Message-ID"),
        _header(message, "From"),
        _header(message, "Subject"),
        _header(message, "Date"),
        "eml",
    )


class _Walker:
    """Collects parts across the nested containers of one mail, within one budget."""

    def __init__(self, settings: MailReadSettings) -> None:
        self.settings = settings
        self.parts: list[MailPart] = []
        self.defects: list[str] = []
        self.body: list[str] = []
        self.files = 0
        self.budget = archive.Budget(
            bytes_left=settings.max_unpacked_bytes,
            max_members=settings.max_zip_members,
            max_ratio=settings.max_compression_ratio,
        )

    def contents(
        self,
        message_id: str | None,
        sender: str | None,
        subject: str | None,
        date: str | None,
        fmt: str,
    ) -> MailContents:
        hint = None
        if not any(p.decision is Decision.TAKEN for p in self.parts):
            hint = invoice_hint(" ".join([subject or "", *self.body]))
        return MailContents(
            message_id=message_id.strip() if message_id else None,
            sender=sender,
            subject=subject,
            date=date,
            parts=tuple(self.parts),
            invoice_hint=hint,
            defects=tuple(dict.fromkeys(self.defects)),
            format=fmt,
        )

    # --- containers -----------------------------------------------------------------

    def mime(self, message: Message, trail: tuple[str, ...], depth: int) -> None:
        self.defects.extend(_defect_names(message))
        html_parts: list[str] = []
        leaves: list[Message] = []
        self._leaves(message, leaves, html_parts)
        html = " ".join(html_parts)
        for n, part in enumerate(leaves, start=1):
            self._mime_leaf(part, trail, depth, n, html)

    def _leaves(self, part: Message, out: list[Message], html: list[str]) -> None:
        """The leaves of one mail; a forwarded mail is a leaf (opened as a container)."""
        if part.is_multipart() and part.get_content_maintype() == "multipart":
            for sub in part.get_payload():
                if isinstance(sub, Message):
                    self._leaves(sub, out, html)
            return
        ctype = part.get_content_type()
        filename = _filename(part)
        disposition = part.get_content_disposition()
        if ctype in ("text/plain", "text/html") and not filename and disposition != "attachment":
            text = _text(part)
            if ctype == "text/html":
                html.append(text)
                text = _strip_html(text)
            if sum(len(t) for t in self.body) < _BODY_TEXT_LIMIT:
                self.body.append(text[:_BODY_TEXT_LIMIT])
            return
        out.append(part)

    def _mime_leaf(
        self, part: Message, trail: tuple[str, ...], depth: int, n: int, html: str
    ) -> None:
        ctype = part.get_content_type()
        name = _filename(part)
        content_id = (_header(part, "Content-ID") or "").strip().strip("<>")
        inline = part.get_content_disposition() == "inline" or bool(
            content_id and f"cid:{content_id}" in html
        )
        if ctype == "message/rfc822":
            payload = part.get_payload()
            inner = payload[0] if isinstance(payload, list) and payload else None
            cte = str(part.get("Content-Transfer-Encoding", "")).strip().lower()
            if isinstance(inner, Message) and cte in ("base64", "quoted-printable"):
                # RFC 2046 forbids encoding a message/rfc822 part, but some
                # clients do: the parser then read the encoded text as a mail.
                encoded = inner.as_bytes()
                decoded = (
                    base64.b64decode(encoded, validate=False)
                    if cte == "base64"
                    else quopri.decodestring(encoded)
                )
                inner = BytesParser(policy=policy.default).parsebytes(decoded)
            if isinstance(inner, Message):
                label = _safe_name(name or _mail_name(inner, n))
                if self._enter(trail, label, depth):
                    self.mime(inner, (*trail, label), depth + 1)
                return
        try:
            data = part.get_payload(decode=True)
        except (ValueError, TypeError, LookupError) as exc:
            self.defects.append(f"undecodable part {n}: {exc}")
            data = None
        if not isinstance(data, bytes):
            data = b""
        label = _safe_name(name or _unnamed(data, n))
        self.leaf(
            (*trail, label), data, depth, declared=ctype, inline=inline, named=name is not None
        )

    def outlook(self, message: msg.MsgMessage, trail: tuple[str, ...], depth: int) -> None:
        self.body.append(message.body[:_BODY_TEXT_LIMIT])
        if message.html and not message.body:
            self.body.append(_strip_html(message.html)[:_BODY_TEXT_LIMIT])
        for n, att in enumerate(message.attachments, start=1):
            if att.embedded is not None:
                label = _safe_name(att.name or f"{att.embedded.subject or 'attached item'}.msg")
                if self._enter(trail, label, depth):
                    self.outlook(att.embedded, (*trail, label), depth + 1)
                continue
            label = _safe_name(att.name or _unnamed(att.data, n))
            self.leaf(
                (*trail, label),
                att.data,
                depth,
                declared=(att.mime or "application/octet-stream").lower(),
                inline=att.inline,
                named=att.name is not None,
            )

    def _enter(self, trail: tuple[str, ...], label: str, depth: int) -> bool:
        """May a container at ``depth`` be opened? If not, it is refused here."""
        if depth + 1 <= self.settings.max_depth:
            return True
        self._add(
            (*trail, label),
            Decision.REFUSED,
            f"nested {depth + 1} containers deep, past RECON_MAIL_MAX_DEPTH "
            f"({self.settings.max_depth}); forward the invoice itself",
            code=ErrorCode.HOSTILE,
        )
        return False

    # --- one file -------------------------------------------------------------------

    def leaf(
        self,
        trail: tuple[str, ...],
        data: bytes,
        depth: int,
        *,
        declared: str = "application/octet-stream",
        inline: bool = False,
        named: bool = True,
    ) -> None:
        name = trail[-1]
        lowered = name.lower()
        skip = _matches(lowered, self.settings.skip_attachments)
        if skip:
            reason = f"matches RECON_MAIL_SKIP_ATTACHMENTS {skip!r}"
            self._add(trail, Decision.SKIPPED, reason, data)
            return
        if declared in _SIGNATURE_TYPES or lowered.endswith(_SIGNATURE_EXT):
            self._add(trail, Decision.SKIPPED, "a digital signature, not a document", data)
            return
        if declared in _CARD_TYPES or lowered.endswith(_CARD_EXT):
            self._add(trail, Decision.SKIPPED, "a calendar invite or contact card", data)
            return
        mime = sniff.sniff_mime(data[:4096]) if data else sniff.OCTET_STREAM
        if mime == sniff.EMAIL and (named or declared == "message/rfc822"):
            if self._enter(trail[:-1], name, depth):
                try:
                    inner = BytesParser(policy=policy.default).parsebytes(data)
                except (ValueError, TypeError, LookupError) as exc:
                    self._add(
                        trail, Decision.REFUSED, f"an unreadable attached mail ({exc})", data,
                        code=ErrorCode.CORRUPT,
                    )  # fmt: skip
                    return
                self.mime(inner, trail, depth + 1)
            return
        if mime == sniff.OLE and msg.is_outlook_msg(data):
            if self._enter(trail[:-1], name, depth):
                try:
                    outlook = msg.read_msg(data, max_depth=self.settings.max_depth - depth)
                except ValueError as exc:
                    self._add(trail, Decision.REFUSED, str(exc), data, code=ErrorCode.CORRUPT)
                    return
                self.outlook(outlook, trail, depth + 1)
            return
        if mime == sniff.TNEF:
            self._tnef(trail, data, depth)
            return
        if mime == sniff.ZIP:
            self._zip(trail, data, depth)
            return
        include = self.settings.include_attachments
        if include and not _matches(lowered, include):
            self._add(
                trail, Decision.SKIPPED, "not matched by RECON_MAIL_INCLUDE_ATTACHMENTS", data
            )
            return
        if mime in IMAGES:
            if inline:
                self._add(
                    trail, Decision.SKIPPED, "an image shown in the mail body (logo, signature)",
                    data,
                )  # fmt: skip
                return
            if len(data) < self.settings.min_image_bytes:
                self._add(
                    trail,
                    Decision.SKIPPED,
                    f"a small image ({len(data):,} bytes, under RECON_MAIL_MIN_IMAGE_BYTES): "
                    "a logo or icon, not a scan",
                    data,
                )
                return
        if mime == sniff.TEXT and not named:
            self._add(trail, Decision.SKIPPED, "unnamed text, part of the message", data)
            return
        self._add(trail, Decision.TAKEN, f"{mime}, {len(data):,} bytes", data, mime=mime)

    def _tnef(self, trail: tuple[str, ...], data: bytes, depth: int) -> None:
        if not self._enter(trail[:-1], trail[-1], depth):
            return
        try:
            found = tnef.read_tnef(data)
        except ValueError as exc:
            self._add(
                trail,
                Decision.REFUSED,
                f"Outlook's winmail.dat wrapper could not be unpacked ({exc}); ask the sender "
                "to send the invoice as a PDF attachment in an HTML or plain-text mail "
                "(Outlook: not Rich Text)",
                data,
                code=ErrorCode.UNSUPPORTED_TYPE,
            )
            return
        files = [a for a in found if a.data]
        embedded = [a for a in found if a.embedded]
        for att in embedded:
            self._add(
                (*trail, _safe_name(att.name)),
                Decision.REFUSED,
                "an Outlook item attached inside winmail.dat, which recon does not unpack; "
                "ask the sender to attach the invoice file itself",
                data,
                code=ErrorCode.UNSUPPORTED_TYPE,
            )
        if not files and not embedded:
            self._add(
                trail, Decision.SKIPPED, "winmail.dat with no attachment (only the formatted body)",
                data,
            )  # fmt: skip
        for att in files:
            self.leaf((*trail, _safe_name(att.name)), att.data, depth + 1)

    def _zip(self, trail: tuple[str, ...], data: bytes, depth: int) -> None:
        label = trail[-1]
        if not self._enter(trail[:-1], label, depth):
            return
        for item in archive.unpack(data, label, self.budget):
            if isinstance(item, archive.Refused):
                where = (*trail, _safe_name(item.name)) if item.name else trail
                self._add(where, Decision.REFUSED, item.reason, data, code=item.code)
            else:
                self.leaf((*trail, _safe_name(item.name)), item.data, depth + 1)

    def _add(
        self,
        trail: tuple[str, ...],
        decision: Decision,
        reason: str,
        data: bytes = b"",
        *,
        mime: str | None = None,
        code: ErrorCode | None = None,
    ) -> None:
        if decision is not Decision.SKIPPED:
            self.files += 1
            if self.files > self.settings.max_parts:
                decision, code = Decision.REFUSED, ErrorCode.HOSTILE
                reason = (
                    f"the mail holds more than {self.settings.max_parts} files "
                    "(RECON_MAIL_MAX_PARTS); the rest are refused unread"
                )
        self.parts.append(
            MailPart(
                trail=trail,
                decision=decision,
                reason=reason,
                data=b"" if decision is Decision.SKIPPED else data,
                size=len(data),
                mime=mime or (sniff.sniff_mime(data[:4096]) if data else sniff.OCTET_STREAM),
                code=code.value if code is not None else None,
            )
        )


# --- helpers -------------------------------------------------------------------------

_INVOICE_WORDS = re.compile(
    r"\b(invoice|invoiced|amount due|total due|payment due|rechnung|rechnungsbetrag|"
    r"zahlbar|facture|montant|fattura|factuur)\b",
    re.IGNORECASE,
)
_AMOUNT = re.compile(r"(?<![\d.,])\d{1,3}(?:[.,' \u00a0]\d{3})*[.,]\d{2}(?![\d.,]*\d)")


def invoice_hint(text: str) -> str | None:
    """Why a mail's text reads like an invoice (a word for it and an amount), or None."""
    word = _INVOICE_WORDS.search(text)
    amount = _AMOUNT.search(text)
    if word is None or amount is None:
        return None
    return f"its text mentions {word.group(0)!r} and an amount ({amount.group(0)})"


def _matches(name: str, patterns: tuple[str, ...]) -> str | None:
    for pattern in patterns:
        if fnmatch.fnmatchcase(name, pattern.lower()):
            return pattern
    return None


def _header(part: Message, name: str) -> str | None:
    """A header as text; a malformed one comes back raw rather than raising."""
    try:
        value = part.get(name)
        return None if value is None else " ".join(str(value).split())
    except (ValueError, IndexError, TypeError, AttributeError, LookupError):
        for key, raw in part.raw_items():
            if key.lower() == name.lower():
                return " ".join(str(raw).split())
        return None


def _filename(part: Message) -> str | None:
    try:
        name = part.get_filename()
    except (ValueError, IndexError, TypeError, LookupError):
        name = None
    if name is None:
        param: Any = part.get_param("name")
        name = param if isinstance(param, str) else None
    return name or None


def _text(part: Message) -> str:
    try:
        content = part.get_content() if isinstance(part, EmailMessage) else part.get_payload()
    except (ValueError, LookupError, TypeError, AssertionError):
        raw = part.get_payload(decode=True)
        content = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else ""
    return content if isinstance(content, str) else ""


_TAG = re.compile(r"<(script|style)\b.*?</\1>|<[^>]+>", re.IGNORECASE | re.DOTALL)


def _strip_html(text: str) -> str:
    return " ".join(html_lib.unescape(_TAG.sub(" ", text)).split())


def _safe_name(name: str) -> str:
    """A display name: the last path component, no control characters, bounded."""
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(c for c in name if c.isprintable()).strip() or "unnamed"
    return name[:_NAME_LIMIT]


_EXT = {
    sniff.PDF: "pdf",
    sniff.PNG: "png",
    sniff.JPEG: "jpg",
    sniff.GIF: "gif",
    sniff.TIFF: "tif",
    sniff.XML: "xml",
    sniff.ZIP: "zip",
    sniff.EMAIL: "eml",
    sniff.TEXT: "txt",
}


def _unnamed(data: bytes, n: int) -> str:
    mime = sniff.sniff_mime(data[:4096]) if data else sniff.OCTET_STREAM
    return f"part-{n}.{_EXT.get(mime, 'bin')}"


def _mail_name(inner: Message, n: int) -> str:
    subject = _header(inner, "Subject")
    return f"{subject}.eml" if subject else f"attached-mail-{n}.eml"


def _defect_names(message: Message) -> list[str]:
    out: list[str] = []
    for part in message.walk():
        out.extend(type(d).__name__ for d in getattr(part, "defects", ()))
    return out
