"""Errors the CLI turns into one clear line (kept apart so the CLI imports them cheaply)."""

from __future__ import annotations


class ConfigError(Exception):
    """A setting recon cannot work with; the message says which and what to do."""
