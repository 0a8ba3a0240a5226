"""Live photos and motion photos: a still with a short video that plays when the photo is held.

- Live photo (Apple): two files. The still names its video at upload (livePhotoVideoId), or both carry the
  same content identifier in their metadata (AssetExif.live_photo_cid). Either way, same owner only: the still's
  live_photo_video_id points at the video and the video leaves the timeline (visibility "hidden").
- Motion photo (Google, Samsung): the video is embedded at the end of the JPEG/HEIC. It is cut out into a file
  of its own under the library folder and becomes a hidden video asset (its own checksum) linked the same way.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session as Db

from photonest.db.tables import Asset, AssetExif, User
from photonest.storage.local import LocalStorage, owner_folder

HIDDEN = "hidden"


def _hide(video: Asset) -> bool:
    if video.visibility == HIDDEN or video.visibility == "locked":
        return False
    video.visibility = HIDDEN
    return True


def link(db: Db, asset: Asset, cid: str | None) -> list[str]:
    """Pair `asset` with its other half, if it has one. Returns the ids of videos this hid (for events)."""
    hidden: list[str] = []
    if asset.type == "IMAGE":
        video: Asset | None = None
        if asset.live_photo_video_id:
            video = db.get(Asset, asset.live_photo_video_id)
            if video is None or video.owner_id != asset.owner_id or video.type != "VIDEO":
                return hidden  # not ours to touch; ingest checked it at upload
        elif cid:
            video = db.scalars(
                select(Asset).join(AssetExif, AssetExif.asset_id == Asset.id)
                .where(Asset.owner_id == asset.owner_id, Asset.type == "VIDEO", Asset.id != asset.id,
                       Asset.deleted_at.is_(None), AssetExif.live_photo_cid == cid)
                .order_by(Asset.created_at).limit(1)
            ).first()
            if video is not None:
                asset.live_photo_video_id = video.id
        if video is not None and _hide(video):
            hidden.append(video.id)
    elif asset.type == "VIDEO" and cid:
        still = db.scalars(
            select(Asset).join(AssetExif, AssetExif.asset_id == Asset.id)
            .where(Asset.owner_id == asset.owner_id, Asset.type == "IMAGE", Asset.deleted_at.is_(None),
                   Asset.live_photo_video_id.is_(None), AssetExif.live_photo_cid == cid)
            .order_by(Asset.created_at).limit(1)
        ).first()
        if still is not None:
            still.live_photo_video_id = asset.id
            if _hide(asset):
                hidden.append(asset.id)
    return hidden


@dataclass
class MotionPart:
    """A motion photo's video, cut out into upload/ and hashed, not yet an asset."""

    path: Path
    checksum: bytes
    size: int


def sha1_file(path: Path) -> bytes:
    h = hashlib.sha1()
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            h.update(chunk)
    return h.digest()


def attach_motion(db: Db, storage: LocalStorage, still: Asset, part: MotionPart) -> tuple[Asset, bool]:
    """Make the cut-out video a hidden asset of the still's owner (or reuse the owner's asset with the same
    bytes) and link it. Returns (video asset, created). The file in upload/ is moved or removed."""
    existing = db.scalar(select(Asset).where(Asset.owner_id == still.owner_id, Asset.checksum == part.checksum))
    if existing is not None:
        part.path.unlink(missing_ok=True)
        still.live_photo_video_id = existing.id
        _hide(existing)
        return existing, False
    owner = db.get(User, still.owner_id)
    label = owner_folder(owner.storage_label if owner else None, still.owner_id)
    key = storage.commit(part.path, label, still.file_created_at, ".mp4")
    stem = Path(still.original_file_name).stem or "motion"
    video = Asset(
        owner_id=still.owner_id, checksum=part.checksum, type="VIDEO", original_path=key,
        original_file_name=f"{stem}.mp4", original_mime_type="video/mp4", file_size=part.size,
        device_asset_id=still.device_asset_id, device_id=still.device_id,
        file_created_at=still.file_created_at, file_modified_at=still.file_modified_at,
        local_date_time=still.local_date_time, visibility=HIDDEN,
    )
    db.add(video)
    db.flush()
    db.add(AssetExif(asset_id=video.id, file_size_in_byte=part.size))
    still.live_photo_video_id = video.id
    return video, True
