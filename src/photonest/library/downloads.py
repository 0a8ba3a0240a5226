"""Downloads: plan archives (/download/info) and list what goes in one (/download/archive).

Originals go in under their original names (made unique: "IMG_1.jpg", "IMG_1+1.jpg"), with a live photo's video
alongside its still, as Immich does.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import PurePosixPath
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session as Db

from photonest.db.tables import AlbumAsset, Asset
from photonest.library import access, errors
from photonest.library import albums as albums_lib
from photonest.library.auth import AuthContext
from photonest.library.originals import external_path

DEFAULT_ARCHIVE_SIZE = 4 * 1024**3


def _with_live_videos(db: Db, ctx: AuthContext, assets: list[Asset]) -> list[Asset]:
    video_ids = [a.live_photo_video_id for a in assets if a.live_photo_video_id]
    if not video_ids:
        return assets
    have = {a.id for a in assets}
    videos = {v.id: v for v in db.scalars(select(Asset).where(Asset.id.in_(video_ids), Asset.deleted_at.is_(None)))}
    out: list[Asset] = []
    for a in assets:
        out.append(a)
        v = videos.get(a.live_photo_video_id or "")
        if v is not None and v.id not in have:
            out.append(v)  # the still's own access covers its hidden motion part
            have.add(v.id)
    return out


def _assets(db: Db, ctx: AuthContext, ids: Sequence[str]) -> list[Asset]:
    allowed = access.readable_ids(db, ctx, ids, download=True)
    if len(allowed) != len(set(ids)):
        raise errors.BadRequest("Not found or no asset.download access")
    rows = {a.id: a for a in db.scalars(select(Asset).where(Asset.id.in_(list(allowed))))}
    return [rows[i] for i in dict.fromkeys(ids)]


def plan(db: Db, ctx: AuthContext, *, asset_ids: Sequence[str] | None = None, album_id: str | None = None,
         user_id: str | None = None, archive_size: int | None = None) -> dict[str, Any]:
    """Split the requested assets into archives of at most archive_size bytes (one asset never splits)."""
    if album_id:
        if ctx.shared_link is None:
            albums_lib.get_readable(db, ctx, album_id)
        ids = list(db.scalars(select(AlbumAsset.asset_id).where(AlbumAsset.album_id == album_id)))
        ids = sorted(access.readable_ids(db, ctx, ids, download=True))
    elif user_id:
        if user_id != ctx.user.id or ctx.shared_link is not None:
            raise errors.BadRequest("Not found or no asset.download access")
        ids = list(db.scalars(select(Asset.id).where(Asset.owner_id == ctx.user.id, Asset.deleted_at.is_(None),
                                                     Asset.visibility.in_(("timeline", "archive")))))
    elif asset_ids:
        ids = list(asset_ids)
    else:
        raise errors.BadRequest("assetIds, albumId or userId is required")
    limit = archive_size or DEFAULT_ARCHIVE_SIZE
    archives: list[dict[str, Any]] = []
    current: dict[str, Any] = {"assetIds": [], "size": 0}
    total = 0
    for a in _with_live_videos(db, ctx, _assets(db, ctx, ids)):
        if current["assetIds"] and current["size"] + a.file_size > limit:
            archives.append(current)
            current = {"assetIds": [], "size": 0}
        current["assetIds"].append(a.id)
        current["size"] += a.file_size
        total += a.file_size
    if current["assetIds"]:
        archives.append(current)
    return {"totalSize": total, "archives": archives}


def entries(db: Db, ctx: AuthContext, asset_ids: Sequence[str]) -> list[tuple[str, str, datetime | None]]:
    """(storage key, unique name in the archive, taken time) for each requested asset, checked for download."""
    assets = _with_live_videos(db, ctx, _assets(db, ctx, asset_ids))
    used: dict[str, int] = {}
    out: list[tuple[str, str, datetime | None]] = []
    for a in assets:
        # Client-supplied names never choose a path: keep the last component, drop separators and dot-names.
        name = PurePosixPath(a.original_file_name.replace("\\", "/")).name.strip() or f"{a.id}"
        if name in (".", ".."):
            name = a.id
        stem, dot, ext = name.rpartition(".")
        if not dot:
            stem, ext = name, ""
        n = used.get(name.lower(), 0)
        used[name.lower()] = n + 1
        unique = name if n == 0 else f"{stem}+{n}{'.' + ext if ext else ''}"
        # An external library's original: its checked absolute path (api/download opens it as it is).
        key = str(external_path(db, a)) if a.library_id else a.original_path
        out.append((key, unique, a.local_date_time))
    return out
