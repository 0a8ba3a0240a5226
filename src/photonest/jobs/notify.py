"""What the pipeline tells clients once an upload's thumbnails exist: on_upload_success and AssetUploadReadyV1/V2.

Payloads follow Immich's job service: {asset: SyncAssetV1|SyncAssetV2, exif: SyncAssetExifV1} (the schemas of
the same names in the contract), sent to the owner only and only for assets on the timeline or in the archive.
"""

from __future__ import annotations

import base64
from datetime import datetime
from typing import Any

from photonest.db.engine import Database
from photonest.db.tables import Asset, AssetExif
from photonest.events import ASSET_UPLOAD_READY_V1, ASSET_UPLOAD_READY_V2, UPLOAD_SUCCESS, EventBus


def iso(dt: datetime | None) -> str | None:
    return None if dt is None else dt.isoformat().replace("+00:00", "Z")


def b64(data: bytes | None) -> str | None:
    return None if data is None else base64.b64encode(data).decode()


def v1_duration(ms: int | None) -> str | None:
    """Immich's old duration text, H:MM:SS.ffffff."""
    if ms is None:
        return None
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    return f"{h}:{m:02d}:{rest / 1000:09.6f}"


def sync_asset(asset: Asset, *, v2: bool = True) -> dict[str, Any]:
    return {
        "id": asset.id,
        "ownerId": asset.owner_id,
        "originalFileName": asset.original_file_name,
        "thumbhash": b64(asset.thumbhash),
        "checksum": b64(asset.checksum),
        "fileCreatedAt": iso(asset.file_created_at),
        "fileModifiedAt": iso(asset.file_modified_at),
        "createdAt": iso(asset.created_at),
        "localDateTime": iso(asset.local_date_time),
        "duration": asset.duration if v2 else v1_duration(asset.duration),
        "type": asset.type,
        "deletedAt": iso(asset.deleted_at),
        "isFavorite": asset.is_favorite,
        "visibility": asset.visibility,
        "livePhotoVideoId": asset.live_photo_video_id,
        "stackId": None,
        "libraryId": asset.library_id,
        "width": asset.width,
        "height": asset.height,
        "isEdited": False,
    }


def sync_exif(asset_id: str, exif: AssetExif | None) -> dict[str, Any]:
    e = exif or AssetExif(asset_id=asset_id)
    return {
        "assetId": asset_id,
        "description": e.description,
        "exifImageWidth": e.exif_image_width,
        "exifImageHeight": e.exif_image_height,
        "fileSizeInByte": e.file_size_in_byte,
        "orientation": e.orientation,
        "dateTimeOriginal": iso(e.date_time_original),
        "modifyDate": iso(e.modify_date),
        "timeZone": e.time_zone,
        "latitude": e.latitude,
        "longitude": e.longitude,
        "projectionType": e.projection_type,
        "city": e.city,
        "state": e.state,
        "country": e.country,
        "make": e.make,
        "model": e.model,
        "lensModel": e.lens_model,
        "fNumber": e.f_number,
        "focalLength": e.focal_length,
        "iso": e.iso,
        "exposureTime": e.exposure_time,
        "profileDescription": None,
        "rating": e.rating,
        "fps": e.fps,
    }


def upload_ready(db: Database, events: EventBus, asset_id: str) -> bool:
    """Send on_upload_success (an AssetResponseDto), AssetUploadReadyV1 and V2 to the owner; False when the asset
    is gone or not on the timeline."""
    from photonest.api import mappers  # the API's asset shape; imported here to keep jobs free of the web layer
    from photonest.library import assets as assets_lib

    with db.session(write=False) as s:
        asset = s.get(Asset, asset_id)
        if asset is None or asset.visibility not in ("timeline", "archive"):
            return False
        exif_row = s.get(AssetExif, asset.id)
        exif = sync_exif(asset.id, exif_row)
        v1 = {"asset": sync_asset(asset, v2=False), "exif": exif}
        v2 = {"asset": sync_asset(asset, v2=True), "exif": exif}
        owner = asset.owner_id
        v = assets_lib.view(s, asset)
        uploaded = mappers.asset(v.asset, v.exif, v.owner)
    events.emit(owner, UPLOAD_SUCCESS, uploaded)
    events.emit(owner, ASSET_UPLOAD_READY_V1, v1)
    events.emit(owner, ASSET_UPLOAD_READY_V2, v2)
    return True
