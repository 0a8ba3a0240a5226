"""Rows to Immich response shapes (plain dicts; FastAPI validates them against the DTOs)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from photonest.db.tables import ApiKey, Asset, AssetExif, Session, User
from photonest.library.users import avatar_color


def iso(dt: datetime | None) -> str | None:
    return dt.isoformat().replace("+00:00", "Z") if dt else None


def user(u: User) -> dict[str, Any]:
    return {
        "id": u.id, "email": u.email, "name": u.name, "avatarColor": avatar_color(u),
        "profileImagePath": u.profile_image_path, "profileChangedAt": iso(u.profile_changed_at),
    }


def user_admin(u: User) -> dict[str, Any]:
    return {
        **user(u),
        "createdAt": iso(u.created_at), "updatedAt": iso(u.updated_at), "deletedAt": iso(u.deleted_at),
        "isAdmin": u.is_admin, "shouldChangePassword": u.should_change_password,
        "oauthId": u.oauth_id, "storageLabel": u.storage_label,
        "quotaSizeInBytes": u.quota_size_in_bytes, "quotaUsageInBytes": u.quota_usage_in_bytes,
        "status": u.status, "license": u.license,
    }


def session(s: Session, current: Session | None) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": s.id, "createdAt": iso(s.created_at), "updatedAt": iso(s.updated_at),
        "current": current is not None and s.id == current.id,
        "deviceOS": s.device_os, "deviceType": s.device_type, "appVersion": s.app_version,
        "isPendingSyncReset": s.is_pending_sync_reset,
    }
    if s.expires_at:
        out["expiresAt"] = iso(s.expires_at)
    return out


def api_key(k: ApiKey) -> dict[str, Any]:
    return {"id": k.id, "name": k.name, "permissions": k.permissions,
            "createdAt": iso(k.created_at), "updatedAt": iso(k.updated_at)}


def _b64(data: bytes | None) -> str | None:
    import base64

    return base64.b64encode(data).decode() if data is not None else None


def exif(e: AssetExif | None) -> dict[str, Any]:
    if e is None:
        return {}
    rating = e.rating if e.rating is not None and 1 <= e.rating <= 5 else None  # -1 (rejected) has no DTO value
    return {
        "make": e.make, "model": e.model, "lensModel": e.lens_model,
        "exifImageWidth": e.exif_image_width, "exifImageHeight": e.exif_image_height,
        "fileSizeInByte": e.file_size_in_byte, "orientation": e.orientation,
        "dateTimeOriginal": iso(e.date_time_original), "modifyDate": iso(e.modify_date), "timeZone": e.time_zone,
        "latitude": e.latitude, "longitude": e.longitude, "city": e.city, "state": e.state, "country": e.country,
        "description": e.description, "fNumber": e.f_number, "focalLength": e.focal_length, "iso": e.iso,
        "exposureTime": e.exposure_time, "projectionType": e.projection_type, "rating": rating,
    }


def asset(a: Asset, e: AssetExif | None = None, owner: User | None = None) -> dict[str, Any]:
    """AssetResponseDto. exifInfo from the AssetExif row; the owner when loaded."""
    out: dict[str, Any] = {
        "id": a.id, "ownerId": a.owner_id, "type": a.type, "checksum": _b64(a.checksum),
        "originalPath": a.original_path, "originalFileName": a.original_file_name,
        "originalMimeType": a.original_mime_type,
        "fileCreatedAt": iso(a.file_created_at), "fileModifiedAt": iso(a.file_modified_at),
        "localDateTime": iso(a.local_date_time), "createdAt": iso(a.created_at), "updatedAt": iso(a.updated_at),
        "isFavorite": a.is_favorite, "isArchived": a.visibility == "archive", "isTrashed": a.deleted_at is not None,
        "isOffline": a.is_offline, "isEdited": False, "visibility": a.visibility,
        "duration": a.duration, "livePhotoVideoId": a.live_photo_video_id,
        "hasMetadata": "metadata" in (a.stages_done or []), "thumbhash": _b64(a.thumbhash),
        "width": a.width, "height": a.height, "duplicateId": None, "libraryId": a.library_id,
        "exifInfo": exif(e) if e is not None else {"fileSizeInByte": a.file_size},
        "people": [], "tags": [], "resized": True, "stack": None,
    }
    if owner is not None:
        out["owner"] = user(owner)
    return out
