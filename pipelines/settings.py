"""Settings of the scheduled jobs: the mailbox, the month-end, and the config file.

Each value comes from, in this order: a ``RECON_MAIL_*`` (``RECON_MONTH_END_*``)
environment variable, else the ``[mail]`` (``[month_end]``) table of the
TOML config file named by ``RECON_CONFIG`` (``recon --config FILE``), else
the default. The password is a ``SecretStr``: it prints as ``**********`` in
every repr, log line and error, and recon never passes it to Prefect as a
flow parameter (parameters are stored on the Prefect server).
"""

from __future__ import annotations

import os
import re
import tomllib
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, ClassVar

from pydantic import AfterValidator, Field, SecretStr, ValidationError, field_validator
from pydantic_settings import (
    BaseSettings,
    InitSettingsSource,
    NoDecode,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
)

from extractors.mail.settings import MailReadSettings, split_list
from matching.settings import MatchingSettings
from pipelines.errors import ConfigError as ConfigError

CONFIG_ENV = "RECON_CONFIG"

Patterns = Annotated[tuple[str, ...], NoDecode]


def config_path() -> Path | None:
    value = os.environ.get(CONFIG_ENV, "").strip()
    return Path(value) if value else None


def load_config(path: Path | None = None) -> dict[str, Any]:
    """The config file's tables ({} when there is none)."""
    path = path or config_path()
    if path is None:
        return {}
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError as exc:
        raise ConfigError(
            f"config file {path} does not exist (from --config or {CONFIG_ENV})"
        ) from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"config file {path} is not valid TOML: {exc}") from exc
    except OSError as exc:
        raise ConfigError(f"cannot read config file {path}: {exc.strerror or exc}") from exc


class _FromConfigFile(BaseSettings):
    """Adds the config file's table, below the environment, to a settings class."""

    _table: ClassVar[str] = ""

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        table = load_config().get(cls._table, {})
        if not isinstance(table, dict):
            raise ConfigError(f"[{cls._table}] in the config file must be a table")
        known = {k: v for k, v in table.items() if k in settings_cls.model_fields}
        return (
            init_settings,
            env_settings,
            dotenv_settings,
            file_secret_settings,
            InitSettingsSource(settings_cls, init_kwargs=known),
        )


class Security(StrEnum):
    TLS = "tls"
    STARTTLS = "starttls"
    NONE = "none"


class AfterIngest(StrEnum):
    MOVE = "move"
    FLAG = "flag"


_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(s|sec|m|min|h)?\s*$", re.IGNORECASE)


def schedule_kwargs(schedule: str) -> dict[str, Any]:
    """``interval=`` (seconds) or ``cron=`` for Prefect's ``to_deployment``.

    ``"5m"``, ``"90s"``, ``"1h"`` and plain seconds are intervals; five
    space-separated fields are a cron expression.
    """
    m = _DURATION.match(schedule)
    if m:
        unit = (m.group(2) or "s").lower()[0]
        seconds = float(m.group(1)) * {"s": 1, "m": 60, "h": 3600}[unit]
        if seconds <= 0:
            raise ValueError("the interval must be positive")
        return {"interval": seconds}
    if len(schedule.split()) == 5:
        return {"cron": schedule.strip()}
    raise ValueError(
        f"{schedule!r} is neither an interval (300, 90s, 5m, 1h) nor a cron expression "
        "of five fields (*/5 * * * *)"
    )


def _valid_schedule(value: str) -> str:
    schedule_kwargs(value)
    return value


#: An interval or a cron expression, checked when the settings are read.
Schedule = Annotated[str, AfterValidator(_valid_schedule)]


class MailSettings(_FromConfigFile):
    """The accounts-payable mailbox recon reads, and what it does with each mail."""

    model_config = SettingsConfigDict(env_prefix="RECON_MAIL_", frozen=True, extra="ignore")
    _table: ClassVar[str] = "mail"

    host: str | None = Field(
        default=None, description="IMAP server, e.g. imap.gmail.com or outlook.office365.com."
    )
    port: int | None = Field(
        default=None,
        gt=0,
        lt=65536,
        description="IMAP port. Default: 993 with security tls, 143 with starttls or none.",
    )
    security: Security = Field(
        default=Security.TLS,
        description=(
            "tls: TLS from the first byte (port 993); starttls: plain connection upgraded "
            "with STARTTLS (port 143); none: no encryption, for a server on this machine only. "
            "Certificates are always verified."
        ),
    )
    tls_ca_file: Path | None = Field(
        default=None,
        description=(
            "PEM file of the certificate authorities to trust instead of the system's, for a "
            "server with a certificate of its own making."
        ),
    )
    user: str | None = Field(default=None, description="Login name, usually the address.")
    password: SecretStr | None = Field(
        default=None,
        description=(
            "Password; for Gmail and Outlook an app password. Prefer password_file, which "
            "keeps it out of the environment."
        ),
    )
    password_file: Path | None = Field(
        default=None,
        description="File whose first line is the password (a Docker or systemd secret).",
    )
    folder: str = Field(default="INBOX", description="The folder recon reads.")
    processed_folder: str = Field(
        default="recon/processed",
        description=(
            "Where a mail goes once everything in it is stored. '/' separates levels; recon "
            "uses the server's own separator and creates the folder when it is missing."
        ),
    )
    failed_folder: str = Field(
        default="recon/failed",
        description=(
            "Where a mail goes when nothing in it could become a document; the quarantine says why."
        ),
    )
    after: AfterIngest = Field(
        default=AfterIngest.MOVE,
        description=(
            "move: file each mail into processed_folder or failed_folder; flag: leave it in "
            "the folder, marked seen and with the keyword recon-processed or recon-failed."
        ),
    )
    senders: Patterns = Field(
        default=(),
        description=(
            "Only mail from these addresses (shell globs, case-insensitive, e.g. "
            "'*@acme.example'); empty: all. Other mail is left where it is, untouched."
        ),
    )
    subjects: Patterns = Field(
        default=(),
        description=(
            "Only mail whose subject matches one of these shell globs (case-insensitive, "
            "e.g. '*invoice*'); empty: all. Other mail is left untouched."
        ),
    )
    schedule: Schedule = Field(
        default="*/5 * * * *",
        description=(
            "How often recon serve fetches: a cron expression (*/5 * * * *) or an interval "
            "(300, 90s, 5m, 1h)."
        ),
    )
    timeout: float = Field(
        default=30.0, gt=0, description="Seconds to wait on the server before giving up."
    )
    retries: int = Field(
        default=3,
        ge=0,
        description=(
            "Times a connection error (server unreachable, connection dropped, timeout) is "
            "retried, with back-off. A mail that fails for its content is never retried."
        ),
    )
    retry_delays: Annotated[tuple[float, ...], NoDecode] = Field(
        default=(2.0, 10.0, 30.0),
        description="Seconds before each retry (the last one repeats).",
    )
    max_mail_bytes: int = Field(
        default=100 * 1024 * 1024,
        gt=0,
        description="Larger mails are not downloaded: they go to failed_folder, quarantined.",
    )
    max_mails: int = Field(
        default=500,
        gt=0,
        description="Most mails one run takes; the rest wait for the next run.",
    )
    claim_seconds: float = Field(
        default=900.0,
        gt=0,
        description=(
            "How long a mail claimed by a run on another machine is left alone if that run "
            "stops answering; a run on this machine that died is noticed at once."
        ),
    )

    @field_validator("senders", "subjects", "retry_delays", mode="before")
    @classmethod
    def _lists(cls, value: Any) -> Any:
        return split_list(value)

    @property
    def effective_port(self) -> int:
        return self.port or (993 if self.security is Security.TLS else 143)

    @property
    def account(self) -> str:
        """The mailbox, without the password: the ledger's key (the port and security
        may change; the mailbox stays the same) and what logs show."""
        return f"{self.user}@{self.host}"

    @property
    def where(self) -> str:
        """The mailbox and how recon reaches it, for people."""
        return f"{self.account} on port {self.effective_port} ({self.security.value})"

    def require_connection(self) -> None:
        """Refuse to go on without a server, a login and a password, saying how to set them."""
        missing = [
            f"RECON_MAIL_{name.upper()}"
            for name, value in (("host", self.host), ("user", self.user))
            if not value
        ]
        if self.password is None and self.password_file is None:
            missing.append("RECON_MAIL_PASSWORD or RECON_MAIL_PASSWORD_FILE")
        if missing:
            raise ConfigError(
                "the mailbox is not configured: set "
                + ", ".join(missing)
                + " (or host, user, password_file in the [mail] table of the config file "
                "named by --config or RECON_CONFIG); see README, 'Mailbox'"
            )

    def secret(self) -> str:
        """The password, read from password_file when that is set."""
        if self.password_file is not None:
            try:
                text = self.password_file.read_text(encoding="utf-8")
            except OSError as exc:
                raise ConfigError(
                    f"cannot read the password file {self.password_file}: {exc.strerror or exc}"
                ) from exc
            lines = text.splitlines()
            if not lines or not lines[0]:
                raise ConfigError(f"the password file {self.password_file} is empty")
            return lines[0]
        if self.password is None:
            raise ConfigError("no password: set RECON_MAIL_PASSWORD or RECON_MAIL_PASSWORD_FILE")
        return self.password.get_secret_value()


class MailReadConfig(_FromConfigFile, MailReadSettings):
    """:class:`MailReadSettings` with the config file's ``[mail]`` table below the environment."""

    model_config = SettingsConfigDict(env_prefix="RECON_MAIL_", frozen=True, extra="ignore")
    _table: ClassVar[str] = "mail"


class MonthEndSettings(_FromConfigFile):
    """The month-end run that ``recon serve`` schedules."""

    model_config = SettingsConfigDict(env_prefix="RECON_MONTH_END_", frozen=True, extra="ignore")
    _table: ClassVar[str] = "month_end"

    schedule: Schedule = Field(
        default="0 6 1 * *",
        description=(
            "When recon serve runs the month-end: cron or interval (default: 06:00 on the 1st)."
        ),
    )
    paths: Patterns = Field(
        default=(),
        description=(
            "Folders ingested before the month-end reconcile (where POs and goods receipts "
            "are dropped); the mailbox brings the invoices."
        ),
    )

    @field_validator("paths", mode="before")
    @classmethod
    def _paths(cls, value: Any) -> Any:
        return split_list(value)


class MatchingConfig(_FromConfigFile, MatchingSettings):
    """:class:`MatchingSettings` with the config file's ``[matching]`` table (and
    its ``[matching.vendors."<name>"]`` tables) below the environment."""

    model_config = SettingsConfigDict(env_prefix="RECON_MATCH_", frozen=True, extra="forbid")
    _table: ClassVar[str] = "matching"


_KNOWN = {
    "mail": set(MailSettings.model_fields) | set(MailReadSettings.model_fields),
    "month_end": set(MonthEndSettings.model_fields),
    "matching": set(MatchingSettings.model_fields),
}


def check_config(path: Path | None = None) -> None:
    """Refuse a config file with unknown tables or keys (a typo would be ignored silently)."""
    config = load_config(path)
    for table, values in config.items():
        if table not in _KNOWN:
            raise ConfigError(
                f"unknown table [{table}] in the config file; recon reads "
                + ", ".join(f"[{t}]" for t in _KNOWN)
            )
        unknown = sorted(set(values) - _KNOWN[table]) if isinstance(values, dict) else []
        if unknown:
            raise ConfigError(
                f"unknown setting{'s' if len(unknown) > 1 else ''} {', '.join(unknown)} in "
                f"[{table}] of the config file; known: {', '.join(sorted(_KNOWN[table]))}"
            )


def mail_settings() -> tuple[MailSettings, MailReadConfig]:
    """The mailbox settings from the environment and the config file, or a ConfigError."""
    check_config()
    try:
        return MailSettings(), MailReadConfig()
    except ValidationError as exc:
        raise ConfigError(_explain(exc, "RECON_MAIL_")) from exc


def matching_settings() -> MatchingSettings:
    """Tolerances and thresholds from the environment and the config file, or a ConfigError."""
    check_config()
    try:
        return MatchingConfig()
    except (ValidationError, ValueError) as exc:
        if isinstance(exc, ValidationError):
            raise ConfigError(_explain(exc, "RECON_MATCH_")) from exc
        raise ConfigError(f"[matching] in the config file: {exc}") from exc


def month_end_settings() -> MonthEndSettings:
    check_config()
    try:
        return MonthEndSettings()
    except ValidationError as exc:
        raise ConfigError(_explain(exc, "RECON_MONTH_END_")) from exc


def _explain(exc: ValidationError, prefix: str) -> str:
    problems = [
        f"{prefix}{'_'.join(str(p) for p in err['loc']).upper()}: {err['msg']}"
        for err in exc.errors(include_input=False)
    ]
    return "invalid settings: " + "; ".join(problems)
