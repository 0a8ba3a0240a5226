"""Server-wide facts: version history, usage statistics, disk use, features and config."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session as Db

from photonest import __version__
from photonest.config import Settings
from photonest.db.tables import Asset, SystemMetadata, User, VersionHistory
from photonest.library.auth import has_admin


def record_version(db: Db) -> None:
    """Append to the version history when this version runs for the first time."""
    last = db.scalar(select(VersionHistory).order_by(VersionHistory.created_at.desc()).limit(1))
    if last is None or last.version != __version__:
        db.add(VersionHistory(version=__version__))
        db.flush()


def version_history(db: Db) -> list[VersionHistory]:
    return list(db.scalars(select(VersionHistory).order_by(VersionHistory.created_at.desc())))


def usage_by_user(db: Db, user_id: str | None = None) -> list[dict[str, Any]]:
    photo = case((Asset.type == "IMAGE", 1), else_=0)
    video = case((Asset.type == "VIDEO", 1), else_=0)
    q = (
        select(
            User.id, User.name, User.quota_size_in_bytes,
            func.coalesce(func.sum(photo), 0), func.coalesce(func.sum(video), 0),
            func.coalesce(func.sum(Asset.file_size * photo), 0),
            func.coalesce(func.sum(Asset.file_size * video), 0),
        )
        .select_from(User)
        # Trashed assets still occupy disk, so they count; hidden ones are live-photo videos.
        .outerjoin(Asset, (Asset.owner_id == User.id) & (Asset.visibility != "hidden"))
        .where(User.deleted_at.is_(None))
        .group_by(User.id, User.name, User.quota_size_in_bytes)
        .order_by(User.created_at)
    )
    if user_id:
        q = q.where(User.id == user_id)
    rows = []
    for uid, name, quota, photos, videos, up, uv in db.execute(q):
        rows.append({
            "userId": uid, "userName": name, "quotaSizeInBytes": quota,
            "photos": int(photos), "videos": int(videos),
            "usagePhotos": int(up), "usageVideos": int(uv), "usage": int(up) + int(uv),
        })
    return rows


def statistics(db: Db) -> dict[str, Any]:
    by_user = usage_by_user(db)
    total = {k: sum(r[k] for r in by_user) for k in ("photos", "videos", "usage", "usagePhotos", "usageVideos")}
    return {**total, "usageByUser": by_user}


def _human(n: float) -> str:
    for unit in ("B", "KiB", "MiB", "GiB", "TiB"):
        if n < 1024 or unit == "TiB":
            return f"{n:.1f} {unit}"
        n /= 1024
    return f"{n:.1f} PiB"


def storage(data: Path) -> dict[str, Any]:
    du = shutil.disk_usage(data)
    return {
        "diskSize": _human(du.total), "diskSizeRaw": du.total,
        "diskUse": _human(du.used), "diskUseRaw": du.used,
        "diskAvailable": _human(du.free), "diskAvailableRaw": du.free,
        "diskUsagePercentage": round(du.used / du.total * 100, 2) if du.total else 0.0,
    }


def features(settings: Settings) -> dict[str, bool]:
    # The live settings: the admin's system config switches (library/system_config.py) show here at once.
    # ML switches already include machineLearning.enabled (off = every ML switch off).
    return {
        "configFile": False, "duplicateDetection": settings.duplicates_enabled, "email": False,
        "facialRecognition": settings.faces_enabled, "importFaces": False,
        "map": settings.map_enabled, "oauth": False, "oauthAutoLaunch": False,
        "ocr": settings.ocr_enabled, "passwordLogin": settings.password_login, "realtimeTranscoding": False,
        "reverseGeocoding": settings.reverse_geocoding, "search": True, "sidecar": True,
        "smartSearch": settings.clip_enabled or settings.text_embedding_enabled,
        "trash": settings.trash_enabled and settings.trash_days > 0,
    }


def config(db: Db, settings: Settings, base_url: str = "") -> dict[str, Any]:
    from photonest.library.places import map_settings

    initialized = has_admin(db)
    map_ = map_settings(settings, base_url)  # MapLibre style URLs, absolute for the mobile app
    onboarding = db.get(SystemMetadata, "admin-onboarding")  # POST /system-metadata/admin-onboarding
    onboarded = bool(onboarding.value.get("isOnboarded")) if onboarding is not None else initialized
    return {
        "externalDomain": settings.external_domain,
        "isInitialized": initialized,
        "isOnboarded": onboarded,
        "loginPageMessage": settings.login_page_message,
        "maintenanceMode": False,
        "mapDarkStyleUrl": map_["darkStyle"],
        "mapLightStyleUrl": map_["lightStyle"],
        "minFaces": settings.faces_min_faces,
        "oauthButtonText": "Login with OAuth",
        "publicUsers": settings.public_users,
        "trashDays": settings.trash_days,
        "userDeleteDelay": settings.user_delete_delay_days,
    }


def version_check_state(db: Db) -> dict[str, Any]:
    row = db.get(SystemMetadata, "version-check-state")
    return dict(row.value) if row else {}
