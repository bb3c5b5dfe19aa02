"""What recon takes out of a mail, and the limits that keep a hostile one harmless.

Read from ``RECON_MAIL_*`` environment variables (or the ``[mail]`` table of
the config file, see :mod:`pipelines.settings`), like the mailbox connection
settings; these are the ones the pure mail reader needs. Nothing here reads
files, the network or the database.
"""

from __future__ import annotations

import json
from typing import Annotated, Any

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

MIB = 1024 * 1024

#: A list setting written as JSON (``["*.pdf", "*.xml"]``) or comma-separated (``*.pdf,*.xml``).
Patterns = Annotated[tuple[str, ...], NoDecode]


def split_list(value: Any) -> Any:
    """Comma-separated text or a JSON array into a list; anything else as it is."""
    if not isinstance(value, str):
        return value
    text = value.strip()
    if text.startswith("["):
        return json.loads(text)
    return [item.strip() for item in text.split(",") if item.strip()]


class MailReadSettings(BaseSettings):
    """Which attachments of a mail are taken, and how far recon unpacks it."""

    model_config = SettingsConfigDict(env_prefix="RECON_MAIL_", frozen=True, extra="ignore")

    include_attachments: Patterns = Field(
        default=(),
        description=(
            "Attachment file-name patterns to take (shell globs, case-insensitive, e.g. "
            "'*.pdf'). Empty: every attachment that is not skipped. Applies to the files "
            "inside ZIP archives and forwarded mails too."
        ),
    )
    skip_attachments: Patterns = Field(
        default=(),
        description=(
            "Attachment file-name patterns never taken (shell globs, case-insensitive, e.g. "
            "'terms*.pdf'). Signatures (.p7s, .asc), calendar invites and contact cards are "
            "always skipped; so are inline and small images (logos)."
        ),
    )
    min_image_bytes: int = Field(
        default=16 * 1024,
        ge=0,
        description=(
            "Attached images smaller than this are taken for logos, icons or signature "
            "pictures and skipped; a scanned invoice is larger. Images shown inside the mail "
            "body (inline, with a Content-ID) are skipped whatever their size."
        ),
    )
    max_depth: int = Field(
        default=3,
        ge=1,
        le=10,
        description=(
            "How many containers deep recon unpacks: a ZIP in a forwarded mail in the mail is "
            "3. Anything deeper is quarantined as hostile."
        ),
    )
    max_parts: int = Field(
        default=200,
        gt=0,
        description="Most files one mail may yield, ZIP members included; the rest are refused.",
    )
    max_zip_members: int = Field(
        default=100,
        gt=0,
        description="Most files one ZIP archive may hold; a larger archive is refused unread.",
    )
    max_unpacked_bytes: int = Field(
        default=256 * MIB,
        gt=0,
        description=(
            "Most bytes the ZIP archives of one mail may unpack to, all together; an archive "
            "that would unpack to more (a zip bomb) is refused."
        ),
    )
    max_compression_ratio: int = Field(
        default=200,
        gt=1,
        description=(
            "Largest unpacked/packed ratio of a ZIP member over 1 MiB. PDFs and scans "
            "compress a few times at most; a member that inflates hundreds of times is a bomb."
        ),
    )

    @field_validator("include_attachments", "skip_attachments", mode="before")
    @classmethod
    def _patterns(cls, value: Any) -> Any:
        return split_list(value)
