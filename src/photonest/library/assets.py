"""Assets owned by a user: every query scoped by owner; reads, edits, trash and permanent deletion."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session as Db

from photonest.db.tables import Asset, AssetExif, AssetFile, User
from photonest.db.types import utcnow
from photonest.library import errors
from photonest.library.auth import AuthContext
from photonest.library.ingest import check_live_photo_video, check_visibility
from photonest.storage.local import Storage

log = logging.getLogger(__name__)

# Exif fields a user can edit; an edit locks the field so a metadata refresh keeps the user's value.
LOCKABLE = ("description", "dateTimeOriginal", "latitude", "longitude", "rating", "timeZone")


@dataclass
class AssetView:
    asset: Asset
    exif: AssetExif | None
    owner: User | None


def _visible(a: Asset | None, ctx: AuthContext) -> bool:
    # Locked-folder assets need a session unlocked with the PIN code (as Immich).
    return (a is not None and a.owner_id == ctx.user.id
            and (a.visibility != "locked" or ctx.is_elevated))


def get_readable(db: Db, ctx: AuthContext, asset_id: str, permission: str = "asset.read", *,
                 download: bool = False) -> Asset:
    """An asset the caller may see: their own, a partner's, an album's they are in, or a share link's
    (library.access decides); else the error Immich gives for both 'absent' and 'not yours'."""
    from photonest.library import access

    cond = access.downloadable(ctx) if download else access.readable(ctx)
    a = db.scalar(select(Asset).where(Asset.id == asset_id, cond))
    if a is None:
        raise errors.BadRequest(f"Not found or no {permission} access")
    return a


def get_owned(db: Db, ctx: AuthContext, asset_id: str, permission: str = "asset.read") -> Asset:
    """The caller's asset, or the error Immich gives for both 'absent' and 'not yours'."""
    a = db.get(Asset, asset_id)
    if ctx.shared_link is not None or not _visible(a, ctx):
        raise errors.BadRequest(f"Not found or no {permission} access")
    assert a is not None
    return a


def get_many_owned(db: Db, ctx: AuthContext, ids: Iterable[str], permission: str) -> list[Asset]:
    """All of ids, each the caller's; refuses the whole request if any is not (nothing changes)."""
    wanted = list(dict.fromkeys(str(i) for i in ids))
    if not wanted:
        return []
    if ctx.shared_link is not None:  # a share-link holder changes nothing
        raise errors.BadRequest(f"Not found or no {permission} access")
    rows = list(db.scalars(select(Asset).where(Asset.id.in_(wanted), Asset.owner_id == ctx.user.id)))
    found = {a.id: a for a in rows if _visible(a, ctx)}
    if len(found) != len(wanted):
        raise errors.BadRequest(f"Not found or no {permission} access")
    return [found[i] for i in wanted]  # in the caller's order


def view(db: Db, a: Asset) -> AssetView:
    return AssetView(a, db.get(AssetExif, a.id), db.get(User, a.owner_id))


def get_view(db: Db, ctx: AuthContext, asset_id: str) -> AssetView:
    return view(db, get_readable(db, ctx, asset_id))


def files(db: Db, asset_id: str) -> dict[str, AssetFile]:
    return {f.type: f for f in db.scalars(select(AssetFile).where(AssetFile.asset_id == asset_id))}


def statistics(
    db: Db, owner_id: str, *, is_favorite: bool | None = None, is_trashed: bool | None = None,
    visibility: str | None = None,
) -> dict[str, int]:
    q = select(Asset.type, func.count()).where(Asset.owner_id == owner_id).group_by(Asset.type)
    if is_favorite is not None:
        q = q.where(Asset.is_favorite.is_(is_favorite))
    # As Immich: trashed assets count only when asked for (isTrashed=true).
    q = q.where(Asset.deleted_at.is_not(None) if is_trashed else Asset.deleted_at.is_(None))
    if visibility is not None:
        q = q.where(Asset.visibility == visibility)
    else:
        q = q.where(Asset.visibility.in_(("timeline", "archive")))
    counts: dict[str, int] = {str(t): int(n) for t, n in db.execute(q).all()}
    images, videos = counts.get("IMAGE", 0), counts.get("VIDEO", 0)
    return {"images": images, "videos": videos, "total": images + videos}


# --- edits ------------------------------------------------------------------------------------------


def parse_date_time(value: str) -> tuple[datetime, str | None]:
    """An ISO 8601 date-time; returns the UTC instant and a 'UTC±hh:mm' zone when an offset was given."""
    try:
        dt = datetime.fromisoformat(value.strip().replace("z", "Z"))
    except ValueError as e:
        raise errors.BadRequest(f"dateTimeOriginal must be an ISO 8601 date-time, got {value[:40]!r}") from e
    off = dt.utcoffset()
    if off is None:
        return dt.replace(tzinfo=UTC), None
    return dt.astimezone(UTC), _zone_name(off)


def _zone_name(off: timedelta) -> str:
    if not off:
        return "UTC"
    minutes = int(off.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    h, m = divmod(abs(minutes), 60)
    return f"UTC{sign}{h:02d}:{m:02d}"


def _zone_offset(name: str | None) -> timedelta | None:
    if not name:
        return None
    if name == "UTC":
        return timedelta(0)
    if name.startswith("UTC") and len(name) >= 5:
        sign = -1 if name[3] == "-" else 1
        hh, _, mm = name[4:].partition(":")
        try:
            return sign * timedelta(hours=int(hh), minutes=int(mm or 0))
        except ValueError:
            return None
    return None  # an IANA name: resolved per instant by _local


def _local(instant: datetime, zone: str | None, fallback: datetime | None = None) -> datetime:
    """Local wall-clock time stored as if UTC (Immich's localDateTime)."""
    off = _zone_offset(zone)
    if off is None and zone:
        try:
            from zoneinfo import ZoneInfo

            return instant.astimezone(ZoneInfo(zone)).replace(tzinfo=UTC)
        except Exception:
            off = None
    if off is None:
        return fallback if fallback is not None else instant
    return (instant + off).replace(tzinfo=UTC)


def _exif(db: Db, a: Asset) -> AssetExif:
    e = db.get(AssetExif, a.id)
    if e is None:
        e = AssetExif(asset_id=a.id, file_size_in_byte=a.file_size, locked_fields=[])
        db.add(e)
    return e


def _lock(e: AssetExif, *names: str) -> None:
    locked = list(e.locked_fields or [])
    for n in names:
        if n not in locked:
            locked.append(n)
    e.locked_fields = locked  # a new list, so the JSON column sees the change


def apply_changes(db: Db, ctx: AuthContext, a: Asset, changes: dict[str, Any], *, geocode: bool = True) -> None:
    """Apply UpdateAssetDto / AssetBulkUpdateDto fields (as given, unset ones absent) to one asset. A new
    position names its city/state/country when `geocode` (the reverseGeocoding switch); with it off they are
    cleared, as Immich's metadata extraction leaves them null then."""
    if "isFavorite" in changes and changes["isFavorite"] is not None:
        a.is_favorite = bool(changes["isFavorite"])
    if changes.get("visibility") is not None:
        check_visibility(str(changes["visibility"]), ctx)
        a.visibility = str(changes["visibility"])
    if "livePhotoVideoId" in changes:
        vid = changes["livePhotoVideoId"]
        if vid is None:
            a.live_photo_video_id = None
        else:
            motion = check_live_photo_video(db, a.owner_id, str(vid))
            if motion.id == a.id:
                raise errors.BadRequest("An asset cannot be its own live photo video")
            a.live_photo_video_id = motion.id
            if motion.visibility == "timeline":
                motion.visibility = "hidden"

    lat, lon = changes.get("latitude"), changes.get("longitude")
    exif_keys = {"description", "dateTimeOriginal", "rating", "timeZone", "dateTimeRelative"} & changes.keys()
    if lat is not None or lon is not None:
        if lat is None or lon is None:
            raise errors.BadRequest("latitude and longitude must be given together")
        exif_keys.add("latitude")
    if not exif_keys:
        return
    e = _exif(db, a)
    if "description" in changes and changes["description"] is not None:
        e.description = str(changes["description"])
        _lock(e, "description")
    if "rating" in changes:
        r = changes["rating"]
        if r is not None and r == 0:
            raise errors.BadRequest("rating must be 1-5, -1 (rejected) or null")
        e.rating = r
        _lock(e, "rating")
    if lat is not None and lon is not None:
        from photonest.library.places import apply_place

        e.latitude, e.longitude = float(lat), float(lon)
        _lock(e, "latitude", "longitude")
        if geocode:
            apply_place(e)  # the new position's city/state/country, in the same transaction (issue 6)
        else:  # the old place's name would now be wrong
            e.city = e.state = e.country = None
    if changes.get("timeZone") is not None:
        tz = str(changes["timeZone"])
        try:
            from zoneinfo import ZoneInfo

            ZoneInfo(tz)
        except Exception as err:
            raise errors.BadRequest(f"Unknown time zone {tz[:60]!r}") from err
        e.time_zone = tz
        _lock(e, "timeZone")
    if changes.get("dateTimeOriginal") is not None:
        instant, zone = parse_date_time(str(changes["dateTimeOriginal"]))
        e.date_time_original = instant
        if zone is not None:
            e.time_zone = zone
            _lock(e, "timeZone")
        _lock(e, "dateTimeOriginal")
        a.file_created_at = instant
        a.local_date_time = _local(instant, e.time_zone, fallback=instant if zone is None else None)
    elif changes.get("dateTimeRelative"):
        shift = timedelta(minutes=int(changes["dateTimeRelative"]))
        base = e.date_time_original or a.file_created_at
        e.date_time_original = base + shift
        _lock(e, "dateTimeOriginal")
        a.file_created_at = a.file_created_at + shift
        a.local_date_time = a.local_date_time + shift
    elif changes.get("timeZone") is not None:
        a.local_date_time = _local(e.date_time_original or a.file_created_at, e.time_zone, a.local_date_time)
    a.updated_at = utcnow()


def update_one(db: Db, ctx: AuthContext, asset_id: str, changes: dict[str, Any], *,
               geocode: bool = True) -> AssetView:
    a = get_owned(db, ctx, asset_id, "asset.update")
    apply_changes(db, ctx, a, changes, geocode=geocode)
    db.flush()
    return view(db, a)


def update_many(db: Db, ctx: AuthContext, ids: Sequence[str], changes: dict[str, Any], *,
                geocode: bool = True) -> list[Asset]:
    assets = get_many_owned(db, ctx, ids, "asset.update")
    for a in assets:
        apply_changes(db, ctx, a, changes, geocode=geocode)
    db.flush()
    return assets


# --- trash and deletion -----------------------------------------------------------------------------


def trash(db: Db, ctx: AuthContext, ids: Sequence[str]) -> list[str]:
    """Move to the trash; returns the ids newly trashed."""
    assets = get_many_owned(db, ctx, ids, "asset.delete")
    now = utcnow()
    done = []
    for a in assets:
        if a.deleted_at is None:
            a.deleted_at = now
            done.append(a.id)
    db.flush()
    return done


def restore(db: Db, ctx: AuthContext, ids: Sequence[str] | None = None) -> list[str]:
    """Bring trashed assets back (all of the caller's when ids is None); returns the restored ids."""
    if ids is None:
        assets = list(db.scalars(select(Asset).where(Asset.owner_id == ctx.user.id,
                                                     Asset.deleted_at.is_not(None))))
    else:
        assets = get_many_owned(db, ctx, ids, "asset.delete")
    done = []
    for a in assets:
        if a.deleted_at is not None:
            a.deleted_at = None
            done.append(a.id)
    db.flush()
    return done


def trashed_ids(db: Db, owner_id: str) -> list[str]:
    return list(db.scalars(select(Asset.id).where(Asset.owner_id == owner_id, Asset.deleted_at.is_not(None))))


def purge(db: Db, storage: Storage, assets: Sequence[Asset]) -> list[str]:
    """Delete assets for good: rows (exif, files, metadata cascade), quota usage, then the files on disk.

    The motion part of a live photo goes with its photo when nothing else links to it. Commits.
    """
    todo: dict[str, Asset] = {a.id: a for a in assets}
    for a in list(todo.values()):
        vid = a.live_photo_video_id
        if vid and vid not in todo:
            motion = db.get(Asset, vid)
            others = db.scalar(select(func.count()).select_from(Asset).where(
                Asset.live_photo_video_id == vid, Asset.id.not_in(list(todo))))
            if motion is not None and motion.owner_id == a.owner_id and not others:
                todo[motion.id] = motion
    if not todo:
        return []
    keys: list[str] = []
    usage: dict[str, int] = {}
    for a in todo.values():
        if a.library_id is None:  # an external library's original is never deleted, nor charged to the quota
            keys.append(a.original_path)
            usage[a.owner_id] = usage.get(a.owner_id, 0) + (a.file_size or 0)
        keys.extend(f.path for f in db.scalars(select(AssetFile).where(AssetFile.asset_id == a.id)))
    ids = list(todo)
    # Links to the assets go first (SET NULL on the DB would do it too, but not in the ORM's view).
    db.execute(update(Asset).where(Asset.live_photo_video_id.in_(ids)).values(live_photo_video_id=None)
               .execution_options(synchronize_session=False))
    for a in todo.values():
        db.delete(a)
    for owner_id, n in usage.items():
        db.execute(update(User).where(User.id == owner_id)
                   .values(quota_usage_in_bytes=func.max(User.quota_usage_in_bytes - n, 0)
                           if db.get_bind().dialect.name == "sqlite"
                           else func.greatest(User.quota_usage_in_bytes - n, 0))
                   .execution_options(synchronize_session=False))
    db.commit()
    for k in keys:
        try:
            storage.delete(k)
        except OSError as e:  # the rows are gone; a stray file is logged, not fatal
            log.warning("could not delete %s: %s", k, e)
    return ids


def delete(db: Db, storage: Storage, ctx: AuthContext, ids: Sequence[str], *, force: bool) -> tuple[list[str], bool]:
    """DELETE /assets: trash, or (force) delete for good. Returns (ids affected, purged?)."""
    if not force:
        return trash(db, ctx, ids), False
    assets = get_many_owned(db, ctx, ids, "asset.delete")
    return purge(db, storage, assets), True


def empty_trash(db: Db, storage: Storage, ctx: AuthContext) -> list[str]:
    assets = list(db.scalars(select(Asset).where(Asset.owner_id == ctx.user.id, Asset.deleted_at.is_not(None))))
    return purge(db, storage, assets)


# --- lookups for uploads, jobs and files ---------------------------------------------------------------

# POST /api/assets/jobs names -> the pipeline stages they redo (jobs.runtime.Jobs.enqueue_asset).
JOB_STAGES: dict[str, tuple[str, ...]] = {
    "refresh-metadata": ("metadata",),
    "regenerate-thumbnail": ("thumbnails",),
    "refresh-faces": ("faces",),
    "transcode-video": ("video",),
}


def by_checksums(db: Db, owner_id: str, checksums: Sequence[bytes]) -> dict[bytes, Asset]:
    found: dict[bytes, Asset] = {}
    unique = list(dict.fromkeys(checksums))
    for i in range(0, len(unique), 500):
        for a in db.scalars(select(Asset).where(Asset.owner_id == owner_id, Asset.checksum.in_(unique[i:i + 500]))):
            found[bytes(a.checksum)] = a
    return found


def request_jobs(db: Db, ctx: AuthContext, ids: Sequence[str], name: str) -> list[str]:
    if name not in JOB_STAGES:
        raise errors.BadRequest(f"Unknown asset job {name}")
    assets = get_many_owned(db, ctx, ids, "job.create")
    if name == "transcode-video":
        return [a.id for a in assets if a.type == "VIDEO"]
    return [a.id for a in assets]


def media_file(db: Db, a: Asset, size: str, *, web_images: set[str]) -> str:
    """The stored key to serve for /thumbnail?size=… (as Immich: fullsize falls back to the original for
    browser images, then to the preview; nothing generated yet -> 404 "Asset media not found")."""
    fs = files(db, a.id)
    ext = "." + a.original_path.rsplit(".", 1)[-1].lower() if "." in a.original_path else ""
    if size == "original" or (size == "fullsize" and a.type == "IMAGE" and ext in web_images):
        if a.type != "IMAGE":
            raise errors.BadRequest("Only images have an original to view; use /video/playback")
        return a.original_path
    chosen = None
    if size == "thumbnail":
        chosen = fs.get("thumbnail") or fs.get("preview")
    elif size == "fullsize":
        chosen = fs.get("fullsize") or fs.get("preview")
    else:
        chosen = fs.get("preview")
    if chosen is None:
        raise errors.NotFound("Asset media not found")
    return chosen.path


def playback_file(db: Db, a: Asset) -> str:
    if a.type != "VIDEO":
        raise errors.BadRequest("Asset is not a video")
    encoded = files(db, a.id).get("encoded_video")
    return encoded.path if encoded is not None else a.original_path
