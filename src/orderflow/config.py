"""Settings from ``ORDERFLOW_*`` environment variables, validated once at start."""

from __future__ import annotations

import secrets
from functools import lru_cache
from pathlib import Path

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_DB = "sqlite:///" + str(Path("orderflow.db").resolve())


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ORDERFLOW_", extra="ignore")

    database_url: str = Field(default=DEFAULT_DB)
    #: Path to a policy TOML that overrides the shipped defaults key by key.
    policy: Path | None = None
    #: Signs session cookies and API tokens. A random one is made per process when unset,
    #: which logs everybody out on restart: set it in production.
    secret_key: str = Field(default_factory=lambda: secrets.token_urlsafe(32))
    token_ttl_hours: int = 12
    default_locale: str = "zh-CN"
    default_currency: str = "CNY"
    smtp_host: str | None = None
    smtp_port: int = 25
    smtp_user: str | None = None
    smtp_password: str | None = None
    smtp_sender: str = "orderflow@localhost"
    #: Run the deadline sweeper and outbox dispatcher as a thread inside ``serve``.
    embedded_worker: bool = True
    sweep_interval_seconds: float = 30.0
    #: Secure cookies need HTTPS; the demo on 127.0.0.1 runs plain HTTP.
    cookie_secure: bool = False
    #: Uploaded files (signature scans, written approvals) and generated PDFs. Default:
    #: a folder next to the SQLite file (``orderflow.db`` → ``orderflow-files/``), or
    #: ``./orderflow-files`` for PostgreSQL.
    files_dir: Path | None = None
    upload_max_bytes: int = Field(default=10 * 1024 * 1024, ge=1024)
    #: A TrueType font (.ttf, or .ttc with ``#index``) embedded in PDFs; unset: the
    #: built-in Adobe CID font STSong-Light (no font file needed, rendered by the viewer).
    pdf_font: Path | None = None

    def files_path(self) -> Path:
        if self.files_dir is not None:
            return self.files_dir
        if self.database_url.startswith("sqlite:///"):
            db = Path(self.database_url.removeprefix("sqlite:///"))
            return db.with_name(db.stem + "-files")
        return Path("orderflow-files").resolve()

    @field_validator("secret_key")
    @classmethod
    def _long_enough(cls, value: str) -> str:
        if len(value) < 16:
            raise ValueError("ORDERFLOW_SECRET_KEY must be at least 16 characters")
        return value

    @field_validator("default_locale")
    @classmethod
    def _known_locale(cls, value: str) -> str:
        if value not in ("zh-CN", "en"):
            raise ValueError("ORDERFLOW_DEFAULT_LOCALE must be zh-CN or en")
        return value


@lru_cache
def get_settings() -> Settings:
    return Settings()
