"""Rows to Immich response shapes (plain dicts; FastAPI validates them against the DTOs)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from photonest.db.tables import ApiKey, Session, User
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
