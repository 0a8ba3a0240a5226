"""One way in for every original: multipart uploads and finished tus uploads both end here.

The caller has already streamed the bytes into upload/ (hashing SHA-1 on the fly) and closed the file with
fsync. `ingest` then checks the type and size, deduplicates per owner by SHA-1, charges the quota, moves the
file into library/ with one rename, and commits the asset row. On any failure nothing stays behind: the
upload file is removed, a moved original is removed again and the transaction rolls back.
"""

from __future__ import annotations

import base64
import binascii
import logging
import os
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from sqlalchemy import or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session as Db

from photonest.db.tables import (
    AlbumAsset,
    Asset,
    AssetExif,
    AssetFile,
    AssetMetadata,
    SharedLink,
    SharedLinkAsset,
    User,
)
from photonest.library import errors
from photonest.library.auth import AuthContext
from photonest.media.types import asset_type, mime_type
from photonest.storage.local import Storage, owner_folder

log = logging.getLogger(__name__)

MAX_FILENAME_BYTES = 255
VISIBILITIES = ("archive", "timeline", "hidden", "locked")


@dataclass
class Upload:
    """A complete file in upload/ with its size and SHA-1."""

    path: Path
    size: int
    checksum: bytes


@dataclass
class NewAsset:
    """What the client told us about the file (AssetMediaCreateDto / tus Upload-Metadata)."""

    filename: str
    file_created_at: datetime
    file_modified_at: datetime
    is_favorite: bool = False
    visibility: str = "timeline"
    live_photo_video_id: str | None = None
    duration: int | None = None
    device_asset_id: str = ""
    device_id: str = ""
    metadata: list[tuple[str, dict[str, Any]]] = field(default_factory=list)


@dataclass
class IngestResult:
    id: str
    status: Literal["created", "duplicate"]
    asset: Asset | None = None  # the new row when created


def check_filename(name: str) -> tuple[str, str]:
    """(extension, asset type) for a client's file name, or BadRequest with the reason."""
    if not name:
        raise errors.BadRequest("filename is required")
    if any(ord(c) < 32 or ord(c) == 127 for c in name):
        raise errors.BadRequest("Filename contains control characters")
    if "/" in name or "\\" in name:
        raise errors.BadRequest("Filename must be a plain name, not a path")
    if len(name.encode("utf-8", "surrogatepass")) > MAX_FILENAME_BYTES:
        raise errors.BadRequest(f"Filename is longer than {MAX_FILENAME_BYTES} bytes")
    ext = os.path.splitext(name)[1].lower()
    typ = asset_type(ext)
    if typ is None:
        raise errors.BadRequest(f"Unsupported file type {name}")
    return ext, typ


def check_visibility(visibility: str, ctx: AuthContext) -> None:
    if visibility not in VISIBILITIES:
        raise errors.BadRequest(f"visibility must be one of {', '.join(VISIBILITIES)}")
    if visibility == "locked" and not ctx.is_elevated:
        raise errors.Unauthorized("Elevated permission is required")


def parse_checksum(value: str) -> bytes:
    """A SHA-1 given as 40 hex digits or 28 characters of base64 (Immich accepts both)."""
    v = value.strip()
    try:
        raw = bytes.fromhex(v) if len(v) == 40 else base64.b64decode(v, validate=True)
    except (ValueError, binascii.Error):
        raw = b""
    if len(raw) != 20:
        raise errors.BadRequest(f"Invalid checksum {value[:60]!r}: expected a SHA-1 in hex or base64")
    return raw


def find_by_checksum(db: Db, owner_id: str, checksum: bytes) -> Asset | None:
    return db.scalar(select(Asset).where(Asset.owner_id == owner_id, Asset.checksum == checksum))


def quota_message(user: User, size: int) -> str:
    return (f"Quota has been exceeded! The file needs {size} bytes; {user.quota_usage_in_bytes} of "
            f"{user.quota_size_in_bytes} bytes are used.")


def check_quota(user: User, size: int) -> None:
    """Early refusal (before or while receiving) when the file cannot fit the owner's quota."""
    if user.quota_size_in_bytes is not None and user.quota_usage_in_bytes + size > user.quota_size_in_bytes:
        raise errors.BadRequest(quota_message(user, size))


def remaining_quota(user: User) -> int | None:
    if user.quota_size_in_bytes is None:
        return None
    return max(0, user.quota_size_in_bytes - user.quota_usage_in_bytes)


def check_upload_access(ctx: AuthContext) -> None:
    """A share-link holder may upload only through a link that allows it (the link owner owns the asset)."""
    link = ctx.shared_link
    if isinstance(link, SharedLink) and not link.allow_upload:
        raise errors.Forbidden("This shared link does not allow uploads")


def add_to_shared_link(db: Db, ctx: AuthContext, asset_id: str) -> None:
    """After a guest upload (new or duplicate): the asset joins the link's album, or the link's own assets."""
    link = ctx.shared_link
    if not isinstance(link, SharedLink):
        return
    if link.type == "ALBUM" and link.album_id:
        if db.get(AlbumAsset, (link.album_id, asset_id)) is None:
            db.add(AlbumAsset(album_id=link.album_id, asset_id=asset_id))
    elif db.get(SharedLinkAsset, (link.id, asset_id)) is None:
        db.add(SharedLinkAsset(shared_link_id=link.id, asset_id=asset_id))
    db.commit()


def check_live_photo_video(db: Db, owner_id: str, video_id: str) -> Asset:
    """The motion part of a live photo: it must exist, be a video and belong to the same owner."""
    motion = db.get(Asset, video_id)
    if motion is None or motion.owner_id != owner_id:
        raise errors.BadRequest("Live photo video not found")
    if motion.type != "VIDEO":
        raise errors.BadRequest("Live photo video must be a video")
    return motion


def ingest(db: Db, storage: Storage, ctx: AuthContext, info: NewAsset, upload: Upload,
           sidecar: Upload | None = None) -> IngestResult:
    """Turn a complete upload into an asset (or find the owner's duplicate). Always consumes the upload files."""
    try:
        check_upload_access(ctx)
        result = _ingest(db, storage, ctx, info, upload, sidecar)
        add_to_shared_link(db, ctx, result.id)
        return result
    finally:
        upload.path.unlink(missing_ok=True)
        if sidecar is not None:
            sidecar.path.unlink(missing_ok=True)


def _ingest(db: Db, storage: Storage, ctx: AuthContext, info: NewAsset, upload: Upload,
            sidecar: Upload | None) -> IngestResult:
    owner = ctx.user
    ext, typ = check_filename(info.filename)
    if upload.size == 0:
        raise errors.BadRequest("File is empty (0 bytes)")
    check_visibility(info.visibility, ctx)
    if info.duration is not None and info.duration < 0:
        raise errors.BadRequest("duration must not be negative")

    # Reads in their own short transaction; the write transaction below starts with the quota update.
    db.commit()
    existing = find_by_checksum(db, owner.id, upload.checksum)
    if existing is not None:
        db.commit()
        return IngestResult(existing.id, "duplicate")
    if info.live_photo_video_id:
        check_live_photo_video(db, owner.id, info.live_photo_video_id)
    db.commit()

    charged = db.execute(
        update(User)
        .where(User.id == owner.id,
               or_(User.quota_size_in_bytes.is_(None),
                   User.quota_usage_in_bytes + upload.size <= User.quota_size_in_bytes))
        .values(quota_usage_in_bytes=User.quota_usage_in_bytes + upload.size)
        .execution_options(synchronize_session=False)
    )
    if not getattr(charged, "rowcount", 0):
        db.rollback()
        db.refresh(owner)
        raise errors.BadRequest(quota_message(owner, upload.size))

    created_at = info.file_created_at.astimezone(UTC)
    keys: list[str] = []
    try:
        key = storage.commit(upload.path, owner_folder(owner.storage_label, owner.id), created_at, ext)
        keys.append(key)
        asset = Asset(
            owner_id=owner.id, checksum=upload.checksum, type=typ, original_path=key,
            original_file_name=info.filename, original_mime_type=mime_type(ext), file_size=upload.size,
            device_asset_id=info.device_asset_id[:300], device_id=info.device_id[:300],
            file_created_at=created_at, file_modified_at=info.file_modified_at.astimezone(UTC),
            local_date_time=created_at, visibility=info.visibility, is_favorite=info.is_favorite,
            duration=info.duration or None, live_photo_video_id=info.live_photo_video_id,
        )
        db.add(asset)
        db.flush()  # raises IntegrityError here when the same bytes were committed meanwhile
        db.add(AssetExif(asset_id=asset.id, file_size_in_byte=upload.size))
        if sidecar is not None and sidecar.size > 0:
            skey = storage.commit_beside(sidecar.path, key, ".xmp")
            keys.append(skey)
            db.add(AssetFile(asset_id=asset.id, type="sidecar", path=skey))
        for mkey, value in info.metadata:
            db.merge(AssetMetadata(asset_id=asset.id, key=mkey, value=value))
        if info.live_photo_video_id:
            # As Immich: the motion part of a live photo leaves the timeline.
            db.execute(update(Asset)
                       .where(Asset.id == info.live_photo_video_id, Asset.owner_id == owner.id,
                              Asset.visibility == "timeline")
                       .values(visibility="hidden").execution_options(synchronize_session=False))
        db.commit()
    except IntegrityError:
        db.rollback()
        for k in keys:
            storage.delete(k)
        dup = find_by_checksum(db, owner.id, upload.checksum)
        db.commit()
        if dup is None:
            raise
        return IngestResult(dup.id, "duplicate")
    except BaseException:
        db.rollback()
        for k in keys:
            storage.delete(k)
        raise
    db.refresh(owner)
    db.commit()
    return IngestResult(asset.id, "created", asset)
