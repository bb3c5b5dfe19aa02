"""The accounts-payable mailbox: list, claim, ingest, file away. Plain functions.

One pass (:func:`fetch`) takes every new mail of the folder, one at a time:

1. **claim** it in the mail ledger (:mod:`models.ledger`), so a second run
   working at the same time leaves it alone;
2. **download** it without marking it seen, and ingest every file in it
   through :func:`pipelines.ingest.ingest_mail`, each committed on its own;
3. **finish**: record in the ledger how it ended (``done`` if something in it
   is a document, else ``failed``, with the quarantine saying why);
4. **file** it: move it to the processed or the failed folder (or flag it).

Filing comes last, so a crash before it loses nothing: the next run finds
the mail still there and either ingests it again (every file is stored by
its hash, so nothing doubles) or, if the ledger says it was done, only files
it. A mail that fails for its content never stops the pass; a connection
error does (:class:`MailboxUnavailable`, which the Prefect flow retries).

The connection goes through imap-tools, always with a verifying TLS context:
Python's imaplib on its own does not check the server's certificate.
"""

from __future__ import annotations

import contextlib
import fnmatch
import hashlib
import imaplib
import logging
import os
import re
import socket
import ssl
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from enum import StrEnum
from typing import Any

from imap_tools import BaseMailBox, MailBox, MailBoxStartTls, MailBoxUnencrypted
from imap_tools.errors import (
    MailboxFolderCreateError,
    MailboxFolderSelectError,
    MailboxLoginError,
    UnexpectedCommandStatusError,
)
from imap_tools.utils import encode_folder
from sqlalchemy.orm import Session, sessionmaker

from extractors.mail import MailReadSettings, read_mail
from extractors.types import ErrorCode, ExtractionError
from models import ledger
from models.db import transaction
from models.ledger import Claim, MailKey, MailStatus
from pipelines.ingest import (
    IngestResult,
    MailOrigin,
    Outcome,
    bytes_facts,
    ingest_mail,
    quarantine,
)
from pipelines.settings import AfterIngest, MailSettings, Security

log = logging.getLogger(__name__)

KEYWORD = {MailStatus.DONE: "recon-processed", MailStatus.FAILED: "recon-failed"}


class MailboxError(Exception):
    """The mailbox cannot be used; the message says what to do."""


class MailboxUnavailable(MailboxError):
    """The server cannot be reached, or the connection dropped: worth retrying."""


class MailboxRefused(MailboxError):
    """Login refused, certificate not trusted, folder missing: a person must fix it."""


class MailGone(MailboxError):
    """The mail left the folder meanwhile (another run or a person moved it)."""


#: Response codes (RFC 5530) for a message another session expunged meanwhile.
_GONE_CODES = (b"EXPUNGEISSUED", b"NONEXISTENT")


def _gone_reply(data: Any) -> bool:
    text = b" ".join(d if isinstance(d, bytes) else str(d).encode() for d in data or ())
    return any(code in text for code in _GONE_CODES)


# --- the connection ------------------------------------------------------------------


class Mailbox:
    """One IMAP connection, opened on first use and opened again after it dropped."""

    def __init__(self, settings: MailSettings) -> None:
        self.settings = settings
        self._box: BaseMailBox | None = None
        self._selected: tuple[str, bool] | None = None
        self._uidvalidity: int | None = None
        self._delimiter: str | None = None
        self._prefix: str | None = None
        #: Folders known to exist (a LIST per mail would cost a round trip each).
        self._folders: set[str] = set()

    def __enter__(self) -> Mailbox:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def where(self) -> str:
        s = self.settings
        return f"{s.host}:{s.effective_port} ({s.security.value})"

    def close(self) -> None:
        box, self._box = self._box, None
        if box is not None:
            with contextlib.suppress(Exception):
                box.logout()

    def _drop(self) -> None:
        box, self._box = self._box, None
        if box is not None:
            with contextlib.suppress(Exception):
                box.client.shutdown()

    @contextlib.contextmanager
    def _io(self, doing: str) -> Iterator[None]:
        """Turn library and socket errors into errors that say what to do."""
        try:
            yield
        except MailboxError:
            raise
        except MailboxLoginError as exc:
            self._drop()
            raise MailboxRefused(
                f"{self.where} refused the login of {self.settings.user!r}: check "
                "RECON_MAIL_USER and the password (Gmail and Outlook need an app password, "
                f"not the account password); the server said: {_said(exc)}"
            ) from exc
        except ssl.SSLCertVerificationError as exc:
            self._drop()
            raise MailboxRefused(
                f"the certificate of {self.where} is not trusted ({exc.verify_message}); if "
                "the server uses a certificate of its own, point RECON_MAIL_TLS_CA_FILE at it"
            ) from exc
        except ssl.SSLError as exc:
            self._drop()
            raise MailboxRefused(
                f"TLS with {self.where} failed while {doing} ({exc.reason or exc}); check "
                "RECON_MAIL_PORT and RECON_MAIL_SECURITY (tls is port 993, starttls port 143)"
            ) from exc
        except (OSError, EOFError, imaplib.IMAP4.abort) as exc:
            self._drop()
            raise MailboxUnavailable(
                f"cannot reach {self.where} while {doing}: {exc}; check RECON_MAIL_HOST and "
                "RECON_MAIL_PORT, and that the server is up (recon retries on its own)"
            ) from exc
        except (UnexpectedCommandStatusError, imaplib.IMAP4.error) as exc:
            raise MailboxRefused(f"{self.where} refused {doing}: {_said(exc)}") from exc

    def box(self) -> BaseMailBox:
        """The logged-in connection (opening it, and selecting again, if needed)."""
        if self._box is not None:
            return self._box
        s = self.settings
        with self._io("connecting"):
            context = ssl.create_default_context(
                cafile=str(s.tls_ca_file) if s.tls_ca_file else None
            )
            box: BaseMailBox
            if s.security is Security.TLS:
                box = MailBox(
                    s.host or "", s.effective_port, timeout=s.timeout, ssl_context=context
                )
            elif s.security is Security.STARTTLS:
                box = MailBoxStartTls(
                    s.host or "", s.effective_port, timeout=s.timeout, ssl_context=context
                )
            else:
                box = MailBoxUnencrypted(s.host or "", s.effective_port, timeout=s.timeout)
            try:
                box.login(s.user or "", s.secret(), initial_folder=None)
            except BaseException:
                with contextlib.suppress(Exception):
                    box.client.shutdown()
                raise
            # imaplib keeps the capabilities it saw before login; servers
            # announce more after it (MOVE, UIDPLUS), so ask again.
            typ, data = box.client.capability()
            if typ == "OK" and data and isinstance(data[-1], bytes):
                box.client.capabilities = tuple(data[-1].decode().upper().split())
        self._box = box
        if self._selected is not None:
            folder, readonly = self._selected
            before = self._uidvalidity
            self.select(folder, readonly=readonly)
            if before is not None and self._uidvalidity != before:
                raise MailboxUnavailable(
                    f"{folder} was renumbered (UIDVALIDITY changed) while recon worked on it; "
                    "the next run starts over from the ledger"
                )
        return box

    def select(self, folder: str, *, readonly: bool = False) -> int:
        """Open ``folder``; returns its UIDVALIDITY."""
        box = self.box()
        with self._io(f"opening {folder}"):
            try:
                box.folder.set(folder, readonly=readonly)
            except MailboxFolderSelectError as exc:
                raise MailboxRefused(
                    f"{self.where} has no folder {folder!r} (or refused to open it): set "
                    f"RECON_MAIL_FOLDER to one of: {', '.join(self.folders()) or '?'}"
                ) from exc
            status = box.folder.status(folder, ["UIDVALIDITY"])
        self._selected = (folder, readonly)
        self._uidvalidity = int(status["UIDVALIDITY"])
        return self._uidvalidity

    def folders(self) -> list[str]:
        with self._io("listing folders"):
            return [f.name for f in self.box().folder.list()]

    def uids(self, criteria: str = "ALL") -> list[int]:
        with self._io("searching"):
            return sorted(int(u) for u in self.box().uids(criteria))

    def headers(self, uids: Sequence[int]) -> list[MailRef]:
        """From, Subject, Message-ID and size of these mails, without marking them seen."""
        out: list[MailRef] = []
        if not uids:
            return out
        box = self.box()
        with self._io("reading headers"):
            for msg in box.fetch(
                uid_list=[str(u) for u in uids], headers_only=True, mark_seen=False, bulk=100
            ):
                if msg.uid is None:
                    continue
                ids: tuple[str, ...] = msg.headers.get("message-id", ())  # type: ignore[no-untyped-call]
                out.append(
                    MailRef(
                        uid=int(msg.uid),
                        size=msg.size_rfc822,
                        message_id=" ".join(ids[0].split()) if ids and ids[0].strip() else None,
                        sender=msg.from_ or None,
                        subject=msg.subject or None,
                    )
                )
        return sorted(out, key=lambda r: r.uid)

    def download(self, uid: int) -> bytes | None:
        """The whole mail, without marking it seen; None if it is gone."""
        box = self.box()
        with self._io(f"downloading mail {uid}"):
            typ, data = box.client.uid("FETCH", str(uid), "(BODY.PEEK[])")
        if typ != "OK":
            if _gone_reply(data):
                return None
            raise MailboxRefused(f"{self.where} refused to send mail {uid}: {data!r}")
        for item in data:
            if isinstance(item, tuple) and len(item) == 2 and isinstance(item[1], bytes):
                return item[1]
        return None

    def server_folder(self, name: str) -> str:
        """``name`` with '/' as the server's separator, under its personal prefix."""
        box = self.box()
        if self._delimiter is None:
            with self._io("listing folders"):
                found = box.folder.list("", "INBOX")
            self._delimiter = found[0].delim if found and found[0].delim not in ("", "NIL") else "/"
            self._prefix = self._namespace_prefix()
        parts = [p for p in name.split("/") if p]
        folder = self._delimiter.join(parts) if parts else name
        prefix = self._prefix or ""
        if prefix and folder.upper() != "INBOX" and not folder.startswith(prefix):
            folder = prefix + folder
        return folder

    def _namespace_prefix(self) -> str:
        box = self.box()
        if "NAMESPACE" not in box.client.capabilities:
            return ""
        with self._io("asking for the namespace"):
            typ, data = box.client.namespace()
        if typ != "OK" or not data or not isinstance(data[0], bytes):
            return ""
        m = re.match(rb'\(\("([^"]*)"', data[0])
        return m.group(1).decode("utf-8", "replace") if m else ""

    def ensure_folder(self, name: str) -> str:
        """The server's name for folder ``name``, created when it is missing."""
        folder = self.server_folder(name)
        if folder in self._folders:
            return folder
        box = self.box()
        with self._io(f"creating {folder}"):
            if box.folder.exists(folder):
                self._folders.add(folder)
                return folder
            try:
                box.folder.create(folder)
            except MailboxFolderCreateError as exc:
                raise MailboxRefused(
                    f"{self.where} would not create the folder {folder!r} ({_said(exc)}); "
                    "create it yourself or set RECON_MAIL_PROCESSED_FOLDER / "
                    "RECON_MAIL_FAILED_FOLDER to folders that exist"
                ) from exc
            with contextlib.suppress(UnexpectedCommandStatusError, imaplib.IMAP4.error):
                box.folder.subscribe(folder, True)
        self._folders.add(folder)
        return folder

    def file(self, uid: int, folder: str) -> None:
        """Move one mail to ``folder``, atomically where the server can (MOVE)."""
        box = self.box()
        with self._io(f"moving mail {uid} to {folder}"):
            if "MOVE" in box.client.capabilities:
                typ, data = box.client.uid("MOVE", str(uid), _folder_arg(folder))
                _ok(typ, data, f"moving mail {uid}")
                return
            typ, data = box.client.uid("COPY", str(uid), _folder_arg(folder))
            _ok(typ, data, f"copying mail {uid}")
            typ, data = box.client.uid("STORE", str(uid), "+FLAGS.SILENT", r"(\Deleted)")
            _ok(typ, data, f"marking mail {uid} deleted")
            if "UIDPLUS" in box.client.capabilities:
                typ, data = box.client.uid("EXPUNGE", str(uid))
            else:  # pragma: no cover - servers without UIDPLUS are rare
                typ, data = box.client.expunge()
            _ok(typ, data, f"expunging mail {uid}")

    def flag(self, uid: int, keyword: str) -> None:
        """Mark one mail seen and with ``keyword``, leaving it where it is."""
        box = self.box()
        with self._io(f"flagging mail {uid}"):
            typ, data = box.client.uid("STORE", str(uid), "+FLAGS.SILENT", rf"(\Seen {keyword})")
            _ok(typ, data, f"flagging mail {uid}")


def _folder_arg(folder: str) -> str:
    """The folder as an IMAP argument: modified UTF-7, quoted (imap-tools' encoding)."""
    return encode_folder(folder).decode("ascii")


def _ok(typ: str, data: Any, doing: str) -> None:
    if typ != "OK":
        if _gone_reply(data):
            raise MailGone(f"{doing}: the mail is no longer there")
        raise imaplib.IMAP4.error(f"{doing}: {typ} {data!r}")


def _said(exc: BaseException) -> str:
    """What the server answered, as text (never the command, which may hold the password)."""
    result = getattr(exc, "command_result", None)
    if isinstance(result, tuple) and len(result) == 2:
        parts = [
            p.decode("utf-8", "replace") if isinstance(p, bytes) else str(p) for p in result[1]
        ]
        return " ".join(parts) or str(result[0])
    return str(exc)


# --- what is in the folder -----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class MailRef:
    """A mail in the folder, from its headers."""

    uid: int
    size: int
    message_id: str | None = None
    sender: str | None = None
    subject: str | None = None


class State(StrEnum):
    NEW = "new"
    #: Already ingested (or failed) but still in the folder: only filed.
    TO_FILE = "to file"
    #: Claimed by another run right now.
    CLAIMED = "claimed"
    #: Not matched by RECON_MAIL_SENDERS / RECON_MAIL_SUBJECTS: left alone.
    IGNORED = "ignored"


@dataclass(frozen=True, slots=True)
class Listed:
    ref: MailRef
    state: State
    why: str = ""


@dataclass(frozen=True, slots=True)
class Listing:
    account: str
    folder: str
    uidvalidity: int
    mails: tuple[Listed, ...]

    def of(self, state: State) -> list[Listed]:
        return [m for m in self.mails if m.state is state]


def list_mail(
    box: Mailbox, factory: sessionmaker[Session], settings: MailSettings, *, readonly: bool = False
) -> Listing:
    """Every mail in the folder with what the next pass would do with it."""
    uidvalidity = box.select(settings.folder, readonly=readonly)
    criteria = "ALL"
    if settings.after is AfterIngest.FLAG:
        criteria = " ".join(f"UNKEYWORD {k}" for k in KEYWORD.values())
    uids = box.uids(criteria)
    with factory() as session:
        known = ledger.entries(session, settings.account, settings.folder, uidvalidity, uids)
    refs = {r.uid: r for r in box.headers(uids)}
    mails: list[Listed] = []
    for uid in uids:
        ref = refs.get(uid)
        if ref is None:
            continue  # gone between the search and the fetch
        entry = known.get(uid)
        if entry is not None and entry.status is not MailStatus.CLAIMED:
            mails.append(Listed(ref, State.TO_FILE, f"{entry.status.value} before"))
            continue
        why = _rules_say_no(ref, settings)
        if why:
            mails.append(Listed(ref, State.IGNORED, why))
        elif entry is not None and entry.owner and not _gone(entry.owner):
            mails.append(Listed(ref, State.CLAIMED, f"claimed by {entry.owner}"))
        else:
            mails.append(Listed(ref, State.NEW))
    return Listing(settings.account, settings.folder, uidvalidity, tuple(mails))


def _rules_say_no(ref: MailRef, settings: MailSettings) -> str:
    if settings.senders:
        address = (ref.sender or "").lower()
        if not any(fnmatch.fnmatchcase(address, p.lower()) for p in settings.senders):
            return f"from {ref.sender or '?'}: not matched by RECON_MAIL_SENDERS"
    if settings.subjects:
        subject = (ref.subject or "").lower()
        if not any(fnmatch.fnmatchcase(subject, p.lower()) for p in settings.subjects):
            return "subject not matched by RECON_MAIL_SUBJECTS"
    return ""


# --- one mail ------------------------------------------------------------------------


def new_owner() -> str:
    """Who claims: this host, this process, this run."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"[:128]


def _gone(owner: str) -> bool:
    """True when ``owner`` was a process on this host that no longer runs."""
    try:
        host, pid_text, _run = owner.rsplit(":", 2)
        pid = int(pid_text)
    except ValueError:
        return False
    if host != socket.gethostname() or pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


class MailOutcome(StrEnum):
    INGESTED = "ingested"
    FAILED = "failed"
    #: Ingested by an earlier run (or the same mail from another place): only filed now.
    FILED = "filed"
    BUSY = "claimed by another run"
    GONE = "gone from the folder"
    LOST = "claim lost to another run"
    #: The server refused an operation on it (fetch, move); left where it is.
    ERROR = "not processed"
    #: Another run ingested and filed it after this run listed it.
    SETTLED = "filed by another run"


@dataclass(frozen=True, slots=True)
class MailResult:
    uid: int
    outcome: MailOutcome
    sender: str | None = None
    subject: str | None = None
    message_id: str | None = None
    detail: str = ""
    filed_to: str | None = None
    files: tuple[IngestResult, ...] = ()
    seconds: float = 0.0

    @property
    def documents(self) -> int:
        return sum(r.outcome in (Outcome.INGESTED, Outcome.REREAD) for r in self.files)

    @property
    def duplicates(self) -> int:
        return sum(r.outcome is Outcome.ALREADY for r in self.files)

    @property
    def quarantined(self) -> int:
        return sum(r.outcome is Outcome.QUARANTINED for r in self.files)


def _result(ref: MailRef, outcome: MailOutcome, **kw: Any) -> MailResult:
    return MailResult(ref.uid, outcome, ref.sender, ref.subject, ref.message_id, **kw)


@dataclass
class Pass:
    """What one pass needs besides the mail: settings, the database, who it is."""

    factory: sessionmaker[Session]
    settings: MailSettings
    read_settings: MailReadSettings
    owner: str = field(default_factory=new_owner)

    @property
    def lease(self) -> timedelta:
        return timedelta(seconds=self.settings.claim_seconds)


def process_mail(box: Mailbox, run: Pass, uidvalidity: int, ref: MailRef) -> MailResult:
    """Claim, ingest and file one mail. Raises only for connection and database errors.

    On such an error the claim is handed back, so the next run (or a retry)
    takes the mail up at once; a run that dies outright leaves its claim,
    which the next run on this host sees is dead.
    """
    started = time.perf_counter()
    s = run.settings
    key = MailKey(s.account, s.folder, uidvalidity, ref.uid)
    with transaction(run.factory) as session:
        claim, entry = ledger.claim(
            session,
            key,
            message_key=ref.message_id or f"uid:{uidvalidity}/{ref.uid}",
            owner=run.owner,
            lease=run.lease,
            sender=ref.sender,
            subject=ref.subject,
            owner_is_gone=_gone,
        )
    if claim is Claim.BUSY or entry is None:
        return _result(ref, MailOutcome.BUSY, detail=f"claimed by {entry.owner if entry else '?'}")
    if claim is Claim.SETTLED:
        return _result(ref, MailOutcome.SETTLED, filed_to=entry.filed_to)
    try:
        if claim is Claim.FILE:
            where = _file(box, run, ref.uid, entry.status, entry.id)
            return _result(
                ref,
                MailOutcome.FILED,
                detail=f"{entry.status.value} before; filed now",
                filed_to=where,
                seconds=time.perf_counter() - started,
            )
        return _process(box, run, entry.id, uidvalidity, ref, started)
    except BaseException:
        with contextlib.suppress(Exception), transaction(run.factory) as session:
            ledger.release(session, entry.id, run.owner)
        raise


def _process(
    box: Mailbox, run: Pass, entry_id: int, uidvalidity: int, ref: MailRef, started: float
) -> MailResult:
    s = run.settings
    if ref.size > s.max_mail_bytes:
        source, path = _source(ref.message_id, ref.uid), _path(s, ref.message_id, ref.uid)
        facts = bytes_facts(f"{path} {uidvalidity}/{ref.uid}".encode(), source=source, path=path)
        too_large = (
            f"the mail is {ref.size / 2**20:.0f} MiB, over RECON_MAIL_MAX_MAIL_BYTES "
            f"({s.max_mail_bytes / 2**20:.0f} MiB); it was not downloaded. Save its "
            "attachments and run recon ingest, or raise the limit"
        )
        result = quarantine(run.factory, facts, ErrorCode.TOO_LARGE.value, too_large)
        return _finish(
            box, run, entry_id, ref, started, status=MailStatus.FAILED, reason=too_large,
            message_key=ref.message_id or f"uid:{uidvalidity}/{ref.uid}", sha256=None,
            files=(result,), skipped=0,
        )  # fmt: skip

    raw = box.download(ref.uid)
    if raw is None:
        with transaction(run.factory) as session:
            ledger.release(session, entry_id, run.owner)
        return _result(ref, MailOutcome.GONE)
    sha = hashlib.sha256(raw).hexdigest()
    message_key = ref.message_id or f"sha256:{sha}"
    with run.factory() as session:
        twin = ledger.done_elsewhere(session, s.account, message_key, not_id=entry_id)
    if twin is not None:
        same = (
            f"the same mail ({message_key}) was ingested before from {twin.folder} "
            f"(uid {twin.uid}); not read again"
        )
        return _finish(
            box, run, entry_id, ref, started, status=MailStatus.DONE, reason=same,
            message_key=message_key, sha256=sha, files=(), skipped=0, outcome=MailOutcome.FILED,
        )  # fmt: skip

    files_done = 0

    def renew() -> None:
        """Before each file but the first (the claim is fresh): extend the lease."""
        nonlocal files_done
        files_done += 1
        if files_done > 1:
            with transaction(run.factory) as session:
                ledger.renew(session, entry_id, run.owner, run.lease)

    origin = MailOrigin(
        _source(ref.message_id or f"sha256:{sha[:12]}", ref.uid), _path(s, ref.message_id, ref.uid)
    )
    mail = ingest_mail(run.factory, raw, origin, read_settings=run.read_settings, between=renew)
    reason: str | None = None
    if mail.ok:
        status = MailStatus.DONE
    elif mail.mail.outcome is Outcome.QUARANTINED:
        status, reason = MailStatus.FAILED, f"{mail.mail.code}: {mail.mail.detail}"
    else:
        status = MailStatus.FAILED
        reason = "nothing in it became a document: " + "; ".join(
            f"{r.source.rsplit(' / ', 1)[-1]}: {r.code}" for r in mail.parts
        )
    return _finish(
        box, run, entry_id, ref, started, status=status, reason=reason, message_key=message_key,
        sha256=sha, files=tuple(mail.results), skipped=mail.skipped,
    )  # fmt: skip


def _finish(
    box: Mailbox,
    run: Pass,
    entry_id: int,
    ref: MailRef,
    started: float,
    *,
    status: MailStatus,
    reason: str | None,
    message_key: str,
    sha256: str | None,
    files: tuple[IngestResult, ...],
    skipped: int,
    outcome: MailOutcome | None = None,
) -> MailResult:
    parts = [r for r in files if r.part_of is not None] or [
        r for r in files if r.outcome is not Outcome.MAIL
    ]
    with transaction(run.factory) as session:
        kept = ledger.finish(
            session,
            entry_id,
            run.owner,
            status=status,
            message_key=message_key,
            sha256=sha256,
            reason=reason,
            documents=sum(r.outcome in (Outcome.INGESTED, Outcome.REREAD) for r in parts),
            duplicates=sum(r.outcome is Outcome.ALREADY for r in parts),
            quarantined=sum(r.outcome is Outcome.QUARANTINED for r in files),
            skipped=skipped,
        )
    if not kept:
        return _result(ref, MailOutcome.LOST, files=files)
    # Everything from the mail is committed: only now is it filed away.
    where = _file(box, run, ref.uid, status, entry_id)
    done = MailOutcome.INGESTED if status is MailStatus.DONE else MailOutcome.FAILED
    return _result(
        ref,
        outcome or done,
        detail=reason or "",
        filed_to=where,
        files=files,
        seconds=time.perf_counter() - started,
    )


def _file(box: Mailbox, run: Pass, uid: int, status: MailStatus, entry_id: int) -> str:
    s = run.settings
    if s.after is AfterIngest.FLAG:
        keyword = KEYWORD.get(status, KEYWORD[MailStatus.FAILED])
        try:
            box.flag(uid, keyword)
            where = f"flagged {keyword}"
        except MailGone:
            where = "gone from the folder (moved by someone else)"
    else:
        target = s.processed_folder if status is MailStatus.DONE else s.failed_folder
        where = box.ensure_folder(target)
        try:
            box.file(uid, where)
        except MailGone:
            # Someone else moved it meanwhile; it is stored, and out of the folder.
            where = "gone from the folder (moved by someone else)"
    with transaction(run.factory) as session:
        ledger.filed(session, entry_id, run.owner, where)
    return where


def _source(message_id: str | None, uid: int) -> str:
    """``mail <Message-ID>``, bounded: a source is at most 512 characters with the file name."""
    return (f"mail {message_id}" if message_id else f"mail uid {uid}")[:300]


def _path(settings: MailSettings, message_id: str | None, uid: int) -> str:
    return f"imap://{settings.user}@{settings.host}/{settings.folder}/{message_id or f'uid {uid}'}"


# --- a pass --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FetchSummary:
    """What one pass did, for the CLI and the Prefect artifact (no secrets in it)."""

    account: str
    folder: str
    mails: tuple[MailResult, ...]
    listed: int
    ignored: int
    seconds: float
    #: Why the pass ended before taking every mail (a connection lost), or "".
    stopped: str = ""

    def count(self, *outcomes: MailOutcome) -> int:
        return sum(m.outcome in outcomes for m in self.mails)

    @property
    def read(self) -> int:
        return self.count(MailOutcome.INGESTED, MailOutcome.FAILED)

    @property
    def documents(self) -> int:
        return sum(m.documents for m in self.mails)

    @property
    def duplicates(self) -> int:
        return sum(m.duplicates for m in self.mails)

    @property
    def quarantined(self) -> int:
        return sum(m.quarantined for m in self.mails)

    def text(self) -> str:
        """One line for the terminal."""
        line = (
            f"{self.read} mails read in {self.seconds:.1f} s: {self.documents} documents ingested, "
            f"{self.duplicates} already on file, {self.quarantined} quarantined; "
            f"{self.count(MailOutcome.INGESTED)} filed as processed, "
            f"{self.count(MailOutcome.FAILED)} as failed"
        )
        extra = [
            f"{self.count(MailOutcome.FILED)} filed again (ingested before)"
            if self.count(MailOutcome.FILED)
            else "",
            f"{self.count(MailOutcome.BUSY)} claimed by another run"
            if self.count(MailOutcome.BUSY)
            else "",
            f"{self.ignored} left alone by the rules" if self.ignored else "",
        ]
        line += "".join(f"; {e}" for e in extra if e)
        if self.stopped:
            line += f"\nstopped early: {self.stopped}"
        return line

    def markdown(self) -> str:
        """The run summary published as a Prefect artifact."""
        rows = [
            f"| {m.uid} | {_cell(m.sender)} | {_cell(m.subject)} | {m.outcome.value} | "
            f"{m.documents} | {m.duplicates} | {m.quarantined} | {_cell(m.filed_to)} |"
            for m in self.mails
        ]
        return "\n".join(
            [
                f"# Mailbox {self.account}, {self.folder}",
                "",
                "| mails read | documents ingested | duplicates | quarantined | failed mails "
                "| filed again | busy | left alone |",
                "|---|---|---|---|---|---|---|---|",
                f"| {self.read} | {self.documents} | {self.duplicates} | {self.quarantined} | "
                f"{self.count(MailOutcome.FAILED)} | {self.count(MailOutcome.FILED)} | "
                f"{self.count(MailOutcome.BUSY)} | {self.ignored} |",
                "",
                *([f"**Stopped early:** {_cell(self.stopped)}", ""] if self.stopped else []),
                "| uid | from | subject | result | documents | duplicates | quarantined "
                "| filed to |",
                "|---|---|---|---|---|---|---|---|",
                *rows,
            ]
        )


def _cell(text: str | None) -> str:
    return (text or "").replace("|", "\\|").replace("\n", " ")[:120]


def fetch(
    box: Mailbox,
    run: Pass,
    *,
    on_mail: Callable[[MailResult], None] | None = None,
    limit: int | None = None,
) -> FetchSummary:
    """One pass over the folder: file what was done before, then ingest what is new.

    A mail that fails for its content is filed as failed and the pass goes
    on; a connection or database error ends the pass (the mail being worked
    on keeps its claim, and the next run, or a retry, takes it up again).
    """
    started = time.perf_counter()
    listing = list_mail(box, run.factory, run.settings)
    todo = listing.of(State.TO_FILE) + listing.of(State.NEW) + listing.of(State.CLAIMED)
    todo = todo[: min(limit or run.settings.max_mails, run.settings.max_mails)]
    results: list[MailResult] = []
    stopped = ""
    for listed in todo:
        try:
            result = process_mail(box, run, listing.uidvalidity, listed.ref)
        except MailboxRefused as exc:
            # The server refused to fetch or file this mail (a folder it will not
            # create, say); the next mail would meet the same refusal.
            log.warning("mail %s: %s", listed.ref.uid, exc)
            results.append(_result(listed.ref, MailOutcome.ERROR, detail=str(exc)))
            stopped = str(exc)
            break
        except MailboxUnavailable as exc:
            stopped = str(exc)
            break
        results.append(result)
        if on_mail is not None:
            on_mail(result)
    return FetchSummary(
        account=listing.account,
        folder=listing.folder,
        mails=tuple(results),
        listed=len(listing.mails),
        ignored=len(listing.of(State.IGNORED)),
        seconds=time.perf_counter() - started,
        stopped=stopped,
    )


# --- check: what a pass would do, changing nothing -----------------------------------


@dataclass(frozen=True, slots=True)
class Preview:
    listed: Listed
    #: (label, decision, reason) for each file in a new mail.
    parts: tuple[tuple[str, str, str], ...] = ()
    hint: str | None = None


def check(
    box: Mailbox,
    factory: sessionmaker[Session],
    settings: MailSettings,
    read_settings: MailReadSettings,
    *,
    read_new: bool = True,
) -> tuple[Listing, list[Preview], list[str]]:
    """List the folder read-only; for new mails, what would be taken from each.

    Returns the listing, a preview per mail, and the folders a pass would
    create. Nothing is changed: the folder is opened read-only (EXAMINE),
    mails are read with BODY.PEEK, and no folder is created.
    """
    listing = list_mail(box, factory, settings, readonly=True)
    missing = []
    if settings.after is AfterIngest.MOVE:
        existing = set(box.folders())
        for name in (settings.processed_folder, settings.failed_folder):
            folder = box.server_folder(name)
            if folder not in existing:
                missing.append(folder)
    previews = []
    for listed in listing.mails:
        if listed.state is not State.NEW or not read_new:
            previews.append(Preview(listed))
            continue
        raw = box.download(listed.ref.uid) if listed.ref.size <= settings.max_mail_bytes else None
        if raw is None:
            previews.append(Preview(listed, (("(mail)", "refused", "too large to download"),)))
            continue
        try:
            contents = read_mail(raw, settings=read_settings)
        except ExtractionError as exc:
            previews.append(Preview(listed, (("(mail)", "refused", exc.reason),)))
            continue
        parts = tuple((p.label, p.decision.value, p.reason) for p in contents.parts)
        previews.append(Preview(listed, parts, contents.invoice_hint))
    return listing, previews, missing
