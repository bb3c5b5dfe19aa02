"""Mail: the files in a MIME message or an Outlook .msg, each with a reason.

Bytes in, parts out; no network and no database (the mailbox connection is
:mod:`pipelines.mailbox`, storing the parts is :mod:`pipelines.ingest`).
"""

from extractors.mail.reader import (
    Decision,
    MailContents,
    MailPart,
    invoice_hint,
    is_mail,
    read_mail,
)
from extractors.mail.settings import MailReadSettings

__all__ = [
    "Decision",
    "MailContents",
    "MailPart",
    "MailReadSettings",
    "invoice_hint",
    "is_mail",
    "read_mail",
]
