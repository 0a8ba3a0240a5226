"""The tables. Every row that belongs to a user carries owner_id / user_id; repositories scope by it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from photonest.db.types import UTCDateTime, new_id, utcnow

ID = String(36)


class Base(DeclarativeBase):
    type_annotation_map = {datetime: UTCDateTime, dict[str, Any]: JSON, list[str]: JSON}


class User(Base):
    __tablename__ = "user"

    id: Mapped[str] = mapped_column(ID, primary_key=True, default=new_id)
    email: Mapped[str] = mapped_column(String(320), unique=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    password_hash: Mapped[str] = mapped_column(String(200), default="")
    is_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    should_change_password: Mapped[bool] = mapped_column(Boolean, default=False)
    avatar_color: Mapped[str | None] = mapped_column(String(20), nullable=True)
    profile_image_path: Mapped[str] = mapped_column(String(500), default="")
    profile_changed_at: Mapped[datetime] = mapped_column(default=utcnow)
    storage_label: Mapped[str | None] = mapped_column(String(100), unique=True, nullable=True)
    quota_size_in_bytes: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    quota_usage_in_bytes: Mapped[int] = mapped_column(BigInteger, default=0)
    pin_code_hash: Mapped[str | None] = mapped_column(String(200), nullable=True)
    oauth_id: Mapped[str] = mapped_column(String(200), default="")
    status: Mapped[str] = mapped_column(String(20), default="active")  # active | removing | deleted
    preferences: Mapped[dict[str, Any]] = mapped_column(default=dict)
    license: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    onboarding: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    deleted_at: Mapped[datetime | None] = mapped_column(nullable=True)


class Session(Base):
    __tablename__ = "session"

    id: Mapped[str] = mapped_column(ID, primary_key=True, default=new_id)
    user_id: Mapped[str] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    device_type: Mapped[str] = mapped_column(String(100), default="")
    device_os: Mapped[str] = mapped_column(String(100), default="")
    app_version: Mapped[str | None] = mapped_column(String(50), nullable=True)
    parent_id: Mapped[str | None] = mapped_column(
        ForeignKey("session.id", ondelete="CASCADE"), nullable=True
    )
    is_pending_sync_reset: Mapped[bool] = mapped_column(Boolean, default=False)
    pin_expires_at: Mapped[datetime | None] = mapped_column(nullable=True)
    expires_at: Mapped[datetime | None] = mapped_column(nullable=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class ApiKey(Base):
    __tablename__ = "api_key"

    id: Mapped[str] = mapped_column(ID, primary_key=True, default=new_id)
    user_id: Mapped[str] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    permissions: Mapped[list[str]] = mapped_column(default=list)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class VersionHistory(Base):
    __tablename__ = "version_history"

    id: Mapped[str] = mapped_column(ID, primary_key=True, default=new_id)
    version: Mapped[str] = mapped_column(String(50))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class SystemMetadata(Base):
    __tablename__ = "system_metadata"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[dict[str, Any]] = mapped_column(default=dict)


class Asset(Base):
    """One photo or video. The original lives at original_path (relative to the data dir)."""

    __tablename__ = "asset"
    __table_args__ = (
        UniqueConstraint("owner_id", "checksum", name="uq_asset_owner_checksum"),
        Index("ix_asset_owner_time", "owner_id", "local_date_time"),
    )

    id: Mapped[str] = mapped_column(ID, primary_key=True, default=new_id)
    owner_id: Mapped[str] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    checksum: Mapped[bytes] = mapped_column()  # SHA-1, 20 bytes
    type: Mapped[str] = mapped_column(String(10))  # IMAGE | VIDEO | AUDIO | OTHER
    original_path: Mapped[str] = mapped_column(Text)
    original_file_name: Mapped[str] = mapped_column(Text)
    original_mime_type: Mapped[str] = mapped_column(String(100), default="application/octet-stream")
    file_size: Mapped[int] = mapped_column(BigInteger, default=0)
    device_asset_id: Mapped[str] = mapped_column(String(300), default="")
    device_id: Mapped[str] = mapped_column(String(300), default="")
    file_created_at: Mapped[datetime] = mapped_column()
    file_modified_at: Mapped[datetime] = mapped_column()
    local_date_time: Mapped[datetime] = mapped_column()
    visibility: Mapped[str] = mapped_column(String(10), default="timeline")  # archive|timeline|hidden|locked
    is_favorite: Mapped[bool] = mapped_column(Boolean, default=False)
    is_offline: Mapped[bool] = mapped_column(Boolean, default=False)
    duration: Mapped[int | None] = mapped_column(Integer, nullable=True)  # milliseconds (videos)
    live_photo_video_id: Mapped[str | None] = mapped_column(
        ForeignKey("asset.id", ondelete="SET NULL"), nullable=True
    )
    stages_done: Mapped[list[str]] = mapped_column(default=list)
    thumbhash: Mapped[bytes | None] = mapped_column(nullable=True)
    width: Mapped[int | None] = mapped_column(Integer, nullable=True)
    height: Mapped[int | None] = mapped_column(Integer, nullable=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    deleted_at: Mapped[datetime | None] = mapped_column(nullable=True)


class AssetExif(Base):
    """What the file says about itself (EXIF/XMP/video tags), one row per asset (ExifResponseDto)."""

    __tablename__ = "asset_exif"

    asset_id: Mapped[str] = mapped_column(ForeignKey("asset.id", ondelete="CASCADE"), primary_key=True)
    make: Mapped[str | None] = mapped_column(String(200), nullable=True)
    model: Mapped[str | None] = mapped_column(String(200), nullable=True)
    lens_model: Mapped[str | None] = mapped_column(String(200), nullable=True)
    exif_image_width: Mapped[int | None] = mapped_column(Integer, nullable=True)
    exif_image_height: Mapped[int | None] = mapped_column(Integer, nullable=True)
    file_size_in_byte: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    orientation: Mapped[str | None] = mapped_column(String(10), nullable=True)
    date_time_original: Mapped[datetime | None] = mapped_column(nullable=True)
    modify_date: Mapped[datetime | None] = mapped_column(nullable=True)
    time_zone: Mapped[str | None] = mapped_column(String(64), nullable=True)
    latitude: Mapped[float | None] = mapped_column(Float, nullable=True)
    longitude: Mapped[float | None] = mapped_column(Float, nullable=True)
    city: Mapped[str | None] = mapped_column(String(200), nullable=True)
    state: Mapped[str | None] = mapped_column(String(200), nullable=True)
    country: Mapped[str | None] = mapped_column(String(200), nullable=True)
    description: Mapped[str] = mapped_column(Text, default="")
    f_number: Mapped[float | None] = mapped_column(Float, nullable=True)
    focal_length: Mapped[float | None] = mapped_column(Float, nullable=True)
    iso: Mapped[int | None] = mapped_column(Integer, nullable=True)
    exposure_time: Mapped[str | None] = mapped_column(String(30), nullable=True)
    projection_type: Mapped[str | None] = mapped_column(String(50), nullable=True)
    rating: Mapped[int | None] = mapped_column(Integer, nullable=True)
    fps: Mapped[float | None] = mapped_column(Float, nullable=True)
    codec: Mapped[str | None] = mapped_column(String(50), nullable=True)
    live_photo_cid: Mapped[str | None] = mapped_column(String(200), nullable=True, index=True)
    # Fields the user edited through the API; a metadata refresh keeps these.
    locked_fields: Mapped[list[str]] = mapped_column(default=list)


class AssetFile(Base):
    """A derivative on disk: thumbnail, preview, fullsize, encoded_video, sidecar."""

    __tablename__ = "asset_file"
    __table_args__ = (UniqueConstraint("asset_id", "type", name="uq_asset_file_type"),)

    id: Mapped[str] = mapped_column(ID, primary_key=True, default=new_id)
    asset_id: Mapped[str] = mapped_column(ForeignKey("asset.id", ondelete="CASCADE"), index=True)
    type: Mapped[str] = mapped_column(String(20))
    path: Mapped[str] = mapped_column(Text)  # relative to the data dir
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class AssetJobFailure(Base):
    """The last failure of one processing stage for one asset, with its message."""

    __tablename__ = "asset_job_failure"

    asset_id: Mapped[str] = mapped_column(ForeignKey("asset.id", ondelete="CASCADE"), primary_key=True)
    stage: Mapped[str] = mapped_column(String(30), primary_key=True)
    message: Mapped[str] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
