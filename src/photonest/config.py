"""One typed settings object. Every field is documented in docs/configuration.md (a test checks)."""

from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="PHOTONEST_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    host: str = Field("0.0.0.0", description="Address the HTTP server listens on.")
    port: int = Field(2283, description="Port the HTTP server listens on (Immich's default).")
    data: Path = Field(Path("./data"), description="Data directory: database, originals, thumbnails, models.")
    database_url: str | None = Field(
        None,
        description="SQLAlchemy URL, e.g. postgresql+psycopg://user:pw@host/db. Default: SQLite in the data dir.",
    )
    redis_url: str | None = Field(
        None, description="Redis URL for the job queue (scale-out). Default: a SQLite queue in the data dir."
    )
    workers: bool = Field(True, description="Run the background workers inside the server process.")
    worker_threads: int = Field(2, description="Threads of the in-process worker.")
    log_level: Literal["debug", "info", "warning", "error"] = Field("info", description="Log verbosity.")
    login_max_failures: int = Field(
        5, description="Failed logins per email and client address before further attempts get 429."
    )
    login_window_seconds: int = Field(300, description="Window in which failed logins are counted.")
    session_days: int = Field(
        400, description="Days an unused session token stays valid (Immich keeps sessions ~400 days)."
    )
    version_check: bool = Field(
        False, description="Allow the server to report newer releases (no network is needed otherwise)."
    )
    public_users: bool = Field(True, description="Let users list and see the other users of the server.")
    max_upload_bytes: int = Field(
        64 * 1024**3, description="Largest single upload accepted, in bytes."
    )
    trash_days: int = Field(30, description="Days an asset stays in the trash before it is deleted for good.")
    external_domain: str = Field("", description="Public URL of the server, used in share links.")
    map_tile_url: str = Field(
        "https://tile.openstreetmap.org/{z}/{x}/{y}.png", description="Map tile URL template for the web UI."
    )

    @cached_property
    def db_url(self) -> str:
        return self.database_url or f"sqlite:///{(self.data / 'photonest.db').resolve()}"

    @property
    def is_sqlite(self) -> bool:
        return self.db_url.startswith("sqlite")

    # Data directory layout.
    @property
    def library_dir(self) -> Path:
        return self.data / "library"

    @property
    def thumbs_dir(self) -> Path:
        return self.data / "thumbs"

    @property
    def encoded_video_dir(self) -> Path:
        return self.data / "encoded-video"

    @property
    def upload_dir(self) -> Path:
        return self.data / "upload"

    @property
    def models_dir(self) -> Path:
        return self.data / "models"

    @property
    def backups_dir(self) -> Path:
        return self.data / "backups"

    @property
    def profile_dir(self) -> Path:
        return self.data / "profile"

    def ensure_dirs(self) -> None:
        for d in (
            self.data, self.library_dir, self.thumbs_dir, self.encoded_video_dir, self.upload_dir,
            self.models_dir, self.backups_dir, self.profile_dir,
        ):
            d.mkdir(parents=True, exist_ok=True)
