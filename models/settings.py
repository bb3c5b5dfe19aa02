"""Database settings (``RECON_DATABASE_URL``)."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_URL = "sqlite:///recon.db"


class DatabaseSettings(BaseSettings):
    """Where recon keeps its state."""

    model_config = SettingsConfigDict(env_prefix="RECON_DATABASE_", frozen=True, extra="ignore")

    url: str = Field(
        default=DEFAULT_URL,
        description=(
            "SQLAlchemy URL of the database. Default: recon.db (SQLite) in the working "
            "directory. For PostgreSQL: postgresql+psycopg://user@host:5432/dbname."
        ),
    )
    echo: bool = Field(default=False, description="Log every SQL statement (debugging).")
