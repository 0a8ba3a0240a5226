"""Albums: who may see and change one, what is in it, its cover and its summary figures.

Access (every query in here is scoped by it, nothing in api/ is):
- read (album.read, timeline of an album): the owner, or a user the album is shared with (album_user);
- add assets (albumAsset.create): the owner or an "editor" member; only assets the caller owns can go in;
- remove assets (albumAsset.delete): the owner or an editor (issue 5 refines who removes what);
- update, delete: the owner only.
Refusals say "Not found or no <permission> access" (400) whether the album is absent or someone else's, as
Immich does, so a stranger learns nothing about which ids exist.

What an album shows: its assets that are not trashed and are on the timeline or archived (hidden motion parts of
live photos and locked-folder assets never appear); counts, dates and the cover follow the same rule. Deleting an
album, or removing assets from it, never touches the assets themselves.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, delete, exists, func, or_, select
from sqlalchemy.orm import Session as Db

from photonest.db.tables import Album, AlbumAsset, AlbumTimeline, AlbumUser, Asset, AssetExif, User
from photonest.db.types import utcnow
from photonest.library import bulk_ids, errors
from photonest.library.auth import AuthContext

# The visibilities an album (and the default timeline) shows.
SHOWN = ("archive", "timeline")
ROLES = ("editor", "viewer")


def shown(asset: type[Asset] = Asset) -> ColumnElement[bool]:
    """The assets an album counts and shows: not trashed, timeline or archive."""
    return and_(asset.deleted_at.is_(None), asset.visibility.in_(SHOWN))


def _denied(permission: str) -> errors.BadRequest:
    return errors.BadRequest(f"Not found or no {permission} access")


# --- access ---------------------------------------------------------------------------------------------


def accessible_ids(ctx: AuthContext) -> Any:
    """A subquery of the ids of every album the caller may read (owned or shared with them)."""
    member = select(AlbumUser.album_id).where(AlbumUser.user_id == ctx.user.id)
    return select(Album.id).where(or_(Album.owner_id == ctx.user.id, Album.id.in_(member)))


def _role(db: Db, album: Album, user_id: str) -> str | None:
    if album.owner_id == user_id:
        return "owner"
    return db.scalar(select(AlbumUser.role).where(AlbumUser.album_id == album.id, AlbumUser.user_id == user_id))


def get_readable(db: Db, ctx: AuthContext, album_id: str, permission: str = "album.read") -> Album:
    album = db.get(Album, str(album_id))
    if album is None or _role(db, album, ctx.user.id) is None:
        raise _denied(permission)
    return album


def get_owned(db: Db, ctx: AuthContext, album_id: str, permission: str) -> Album:
    album = db.get(Album, str(album_id))
    if album is None or album.owner_id != ctx.user.id:
        raise _denied(permission)
    return album


def _get_editable(db: Db, ctx: AuthContext, album_id: str, permission: str) -> Album:
    album = db.get(Album, str(album_id))
    if album is None or _role(db, album, ctx.user.id) not in ("owner", "editor"):
        raise _denied(permission)
    return album


def _addable_asset_ids(db: Db, ctx: AuthContext, ids: Iterable[str]) -> set[str]:
    """Of ids, the assets the caller may put in an album: their own, not in the locked folder."""
    wanted = list(dict.fromkeys(str(i) for i in ids))
    found: set[str] = set()
    for i in range(0, len(wanted), 500):
        found.update(db.scalars(select(Asset.id).where(
            Asset.id.in_(wanted[i:i + 500]), Asset.owner_id == ctx.user.id, Asset.visibility != "locked")))
    return found


def _present(db: Db, album_id: str, ids: Sequence[str]) -> set[str]:
    found: set[str] = set()
    for i in range(0, len(ids), 500):
        found.update(db.scalars(select(AlbumAsset.asset_id).where(
            AlbumAsset.album_id == album_id, AlbumAsset.asset_id.in_(ids[i:i + 500]))))
    return found


# --- summaries ------------------------------------------------------------------------------------------


@dataclass
class AlbumView:
    """An album with what its response needs: figures over the assets it shows, its people."""

    album: Album
    owner: User
    members: list[tuple[User, str]] = field(default_factory=list)  # (user, role), sharing (issue 5)
    asset_count: int = 0
    start_date: datetime | None = None
    end_date: datetime | None = None
    last_modified: datetime | None = None
    cover_id: str | None = None
    contributors: dict[str, int] | None = None

    @property
    def shared(self) -> bool:
        return bool(self.members)


def _newest_shown(db: Db, album_id: str) -> str | None:
    return db.scalar(select(Asset.id).join(AlbumAsset, AlbumAsset.asset_id == Asset.id)
                     .where(AlbumAsset.album_id == album_id, shown())
                     .order_by(Asset.file_created_at.desc(), Asset.id).limit(1))


def _cover_ok(db: Db, album: Album) -> bool:
    cid = album.album_thumbnail_asset_id
    if cid is None:
        return False
    return _in_album_and_shown(db, album.id, cid)


def _in_album_and_shown(db: Db, album_id: str, asset_id: str) -> bool:
    return db.scalar(select(Asset.id).join(AlbumAsset, AlbumAsset.asset_id == Asset.id).where(
        AlbumAsset.album_id == album_id, Asset.id == asset_id, shown())) is not None


def cover(db: Db, album: Album) -> str | None:
    """The cover to show: the chosen one while it is in the album and shown; else the newest asset shown."""
    if _cover_ok(db, album):
        return album.album_thumbnail_asset_id
    return _newest_shown(db, album.id)


def refresh_cover(db: Db, album: Album) -> None:
    """Store the cover `cover()` would show (after a write that may have taken the old one away)."""
    if not _cover_ok(db, album):
        album.album_thumbnail_asset_id = _newest_shown(db, album.id)


def _per_album(agg: Any) -> Any:
    """`agg` over the album's rows of album_timeline, as a column of a SELECT from album."""
    return select(agg).where(AlbumTimeline.album_id == Album.id).correlate(Album).scalar_subquery()


def views(db: Db, ctx: AuthContext, albums: Sequence[Album], *, contributors: bool = False) -> list[AlbumView]:
    """Summaries for many albums in a few queries (one for the figures, from album_timeline)."""
    if not albums:
        return []
    ids = [a.id for a in albums]
    stats: dict[str, tuple[int, datetime | None, datetime | None, datetime | None]] = {}
    members: dict[str, list[tuple[User, str]]] = {}
    for i in range(0, len(ids), 500):
        chunk = ids[i:i + 500]
        # album_timeline holds exactly the members shown (kept by triggers). Per album, the count is a range of
        # an index and the dates are its ends (single probes), rather than one pass over every member's row.
        q = select(Album.id, _per_album(func.count()), _per_album(func.min(AlbumTimeline.local_date_time)),
                   _per_album(func.max(AlbumTimeline.local_date_time)),
                   _per_album(func.max(AlbumTimeline.updated_at))).where(Album.id.in_(chunk))
        for row in db.execute(q):
            if row[1]:
                stats[row[0]] = (row[1], row[2], row[3], row[4])
        for album_id, user, role in db.execute(
                select(AlbumUser.album_id, User, AlbumUser.role).join(User, User.id == AlbumUser.user_id)
                .where(AlbumUser.album_id.in_(chunk)).order_by(User.name, User.email)):
            members.setdefault(album_id, []).append((user, role))
    owners = {u.id: u for u in db.scalars(select(User).where(User.id.in_({a.owner_id for a in albums})))}
    out = []
    for a in albums:
        n, lo, hi, mod = stats.get(a.id, (0, None, None, None))
        mine = members.get(a.id, [])
        # The caller second (after the owner), the rest by name: Immich's order.
        mine.sort(key=lambda m: m[0].id != ctx.user.id)
        v = AlbumView(a, owners[a.owner_id], mine, n, lo, hi, mod, cover(db, a) if n else None)
        if contributors and v.shared:
            v.contributors = dict(db.execute(
                select(AlbumTimeline.owner_id, func.count()).where(AlbumTimeline.album_id == a.id)
                .group_by(AlbumTimeline.owner_id)).all())
        out.append(v)
    return out


def view(db: Db, ctx: AuthContext, album: Album) -> AlbumView:
    return views(db, ctx, [album], contributors=True)[0]


# --- reading --------------------------------------------------------------------------------------------


def list_albums(db: Db, ctx: AuthContext, *, asset_id: str | None = None, album_id: str | None = None,
                is_owned: bool | None = None, is_shared: bool | None = None,
                name: str | None = None) -> list[Album]:
    """GET /albums: the albums the caller may read, newest first, filtered as asked.

    asset_id: the albums holding that asset (ignores the other filters, as Immich does).
    is_owned: true = own albums, false = albums shared with the caller. is_shared: true = albums with other
    users (or, later, shared links), false = albums nobody else sees. name: exact album name.
    """
    q = select(Album).where(Album.id.in_(accessible_ids(ctx)))
    if asset_id is not None:
        q = q.where(Album.id.in_(select(AlbumAsset.album_id).where(AlbumAsset.asset_id == str(asset_id))))
    else:
        if album_id is not None:
            q = q.where(Album.id == str(album_id))
        if is_owned is not None:
            q = q.where(Album.owner_id == ctx.user.id if is_owned else Album.owner_id != ctx.user.id)
        if is_shared is not None:
            has_users = exists().where(AlbumUser.album_id == Album.id)
            q = q.where(has_users if is_shared else ~has_users)
        if name is not None:
            q = q.where(Album.album_name == name)
    return list(db.scalars(q.order_by(Album.created_at.desc(), Album.id)))


def statistics(db: Db, ctx: AuthContext) -> dict[str, int]:
    has_users = exists().where(AlbumUser.album_id == Album.id)
    owned = db.scalar(select(func.count()).select_from(Album).where(Album.owner_id == ctx.user.id)) or 0
    shared = db.scalar(select(func.count()).select_from(Album)
                       .where(Album.id.in_(accessible_ids(ctx)), has_users)) or 0
    not_shared = db.scalar(select(func.count()).select_from(Album)
                           .where(Album.owner_id == ctx.user.id, ~has_users)) or 0
    return {"owned": owned, "shared": shared, "notShared": not_shared}


def map_markers(db: Db, ctx: AuthContext, album_id: str) -> list[dict[str, Any]]:
    """GET /albums/{id}/map-markers: the album's shown assets that have coordinates."""
    album = get_readable(db, ctx, album_id)
    q = (select(Asset.id, AssetExif.latitude, AssetExif.longitude, AssetExif.city, AssetExif.state,
                AssetExif.country)
         .join(AlbumAsset, AlbumAsset.asset_id == Asset.id).join(AssetExif, AssetExif.asset_id == Asset.id)
         .where(AlbumAsset.album_id == album.id, shown(), AssetExif.latitude.is_not(None),
                AssetExif.longitude.is_not(None))
         .order_by(Asset.file_created_at.desc()))
    return [{"id": i, "lat": lat, "lon": lon, "city": city, "state": state, "country": country}
            for i, lat, lon, city, state, country in db.execute(q)]


# --- writing --------------------------------------------------------------------------------------------


def _check_members(db: Db, ctx: AuthContext, members: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
    out: dict[str, str] = {}
    for user_id, role in members:
        user_id = str(user_id)
        if role not in ROLES:
            raise errors.BadRequest(f"role must be one of {', '.join(ROLES)}")
        if user_id == ctx.user.id:
            raise errors.BadRequest("Cannot share album with owner")
        u = db.get(User, user_id)
        if u is None or u.deleted_at is not None:
            raise errors.BadRequest("User not found")
        out[user_id] = role
    return list(out.items())


def create(db: Db, ctx: AuthContext, *, name: str, description: str | None = None,
           asset_ids: Sequence[str] = (), members: Sequence[tuple[str, str]] = (),
           order: str = "desc") -> Album:
    """A new album owned by the caller. Of asset_ids, those the caller may add go in (others are skipped, as
    Immich does); the first of them is the cover."""
    users = _check_members(db, ctx, members)
    allowed = _addable_asset_ids(db, ctx, asset_ids)
    ordered = [i for i in dict.fromkeys(str(a) for a in asset_ids) if i in allowed]
    now = utcnow()
    album = Album(owner_id=ctx.user.id, album_name=name, description=description or "",
                  album_thumbnail_asset_id=ordered[0] if ordered else None, order=order,
                  is_activity_enabled=True, created_at=now, updated_at=now)
    db.add(album)
    db.flush()
    db.add_all(AlbumAsset(album_id=album.id, asset_id=i, added_by_id=ctx.user.id, created_at=now) for i in ordered)
    db.add_all(AlbumUser(album_id=album.id, user_id=u, role=r, created_at=now) for u, r in users)
    db.flush()
    if users:
        from photonest.library import notifications

        notifications.album_invite(db, album.id, album.album_name, ctx.user, [u for u, _r in users])
    return album


def update_album(db: Db, ctx: AuthContext, album_id: str, changes: dict[str, Any]) -> Album:
    """PATCH /albums/{id} (owner only): name, description, cover, activity, order."""
    album = get_owned(db, ctx, album_id, "album.update")
    cover_id = changes.get("albumThumbnailAssetId")
    if cover_id is not None:
        cover_id = str(cover_id)
        if not _in_album_and_shown(db, album.id, cover_id):
            raise errors.BadRequest("Invalid album thumbnail")
        album.album_thumbnail_asset_id = cover_id
    if changes.get("albumName") is not None:
        album.album_name = str(changes["albumName"])
    if "description" in changes:
        album.description = str(changes["description"] or "")
    if changes.get("isActivityEnabled") is not None:
        album.is_activity_enabled = bool(changes["isActivityEnabled"])
    if changes.get("order") is not None:
        album.order = str(changes["order"])
    album.updated_at = utcnow()
    db.flush()
    return album


def delete_album(db: Db, ctx: AuthContext, album_id: str) -> None:
    """DELETE /albums/{id} (owner only). The album and its membership rows go; the assets stay."""
    album = get_owned(db, ctx, album_id, "album.delete")
    db.execute(delete(AlbumAsset).where(AlbumAsset.album_id == album.id))
    db.execute(delete(AlbumUser).where(AlbumUser.album_id == album.id))
    db.delete(album)
    db.flush()


def add_assets(db: Db, ctx: AuthContext, album_id: str, ids: Sequence[str]) -> list[dict[str, Any]]:
    """PUT /albums/{id}/assets: one BulkIdResponseDto per id, in order.

    duplicate: already in the album (or earlier in this request); no_permission: not an asset the caller may add
    (someone else's, locked, or absent: Immich does not tell these apart).
    """
    album = _get_editable(db, ctx, album_id, "albumAsset.create")
    wanted = [str(i) for i in ids]
    present = _present(db, album.id, list(dict.fromkeys(wanted)))
    allowed = _addable_asset_ids(db, ctx, [i for i in wanted if i not in present])
    results, added = bulk_ids.sort_additions(wanted, present, allowed)
    if added:
        _insert(db, album, added, ctx.user.id)
    return results


def _insert(db: Db, album: Album, asset_ids: Sequence[str], by: str) -> None:
    now = utcnow()
    db.add_all(AlbumAsset(album_id=album.id, asset_id=i, added_by_id=by, created_at=now) for i in asset_ids)
    db.flush()
    if album.album_thumbnail_asset_id is None:
        album.album_thumbnail_asset_id = asset_ids[0]
    refresh_cover(db, album)
    album.updated_at = now
    db.flush()


def remove_assets(db: Db, ctx: AuthContext, album_id: str, ids: Sequence[str]) -> list[dict[str, Any]]:
    """DELETE /albums/{id}/assets: not_found for ids not in the album; the assets themselves stay."""
    album = _get_editable(db, ctx, album_id, "albumAsset.delete")
    wanted = [str(i) for i in ids]
    results, removed = bulk_ids.sort_removals(wanted, _present(db, album.id, list(dict.fromkeys(wanted))))
    if removed:
        for k in range(0, len(removed), 500):
            db.execute(delete(AlbumAsset).where(AlbumAsset.album_id == album.id,
                                                AlbumAsset.asset_id.in_(removed[k:k + 500])))
        if album.album_thumbnail_asset_id in removed:
            album.album_thumbnail_asset_id = None
        refresh_cover(db, album)
        album.updated_at = utcnow()
        db.flush()
    return results


def add_assets_to_albums(db: Db, ctx: AuthContext, album_ids: Sequence[str],
                         asset_ids: Sequence[str]) -> dict[str, Any]:
    """PUT /albums/assets: every allowed asset into every album the caller may add to.

    success once anything went in; otherwise error no_permission (no album or no asset allowed) or duplicate
    (everything was already there)."""
    albums = []
    for aid in dict.fromkeys(str(a) for a in album_ids):
        try:
            albums.append(_get_editable(db, ctx, aid, "albumAsset.create"))
        except errors.BadRequest:
            continue
    if not albums:
        return {"success": False, "error": "no_permission"}
    wanted = list(dict.fromkeys(str(a) for a in asset_ids))
    allowed = [i for i in wanted if i in _addable_asset_ids(db, ctx, wanted)]
    if not allowed:
        return {"success": False, "error": "no_permission"}
    result: dict[str, Any] = {"success": False, "error": "duplicate"}
    for album in albums:
        present = _present(db, album.id, allowed)
        new = [i for i in allowed if i not in present]
        if new:
            _insert(db, album, new, ctx.user.id)
            result = {"success": True}
    return result
